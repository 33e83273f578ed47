"""`govreports replay`: re-extract every stored raw report with the current extractor, search staying up.

1. create the next version of every kind and move the three WRITE aliases there in one atomic call;
   searches keep reading the current versions through the READ aliases;
2. listen to reports.indexed.v1 and dlq.reports.> (ordered consumers, new messages only);
3. republish a reports.raw.v1 event for every object of the `reports-raw` bucket, with a fresh
   event_id (uuid5 of replay:<EXTRACTOR_VERSION>:<run id>:<report_id>): JetStream's 24 h dedup window
   would drop the ingest event id, and every later stage derives its ids from this one — at most
   REPLAY_MAX_IN_FLIGHT of them published and not yet indexed or dead-lettered, so a national replay never
   floods the stream, which drops its oldest messages beyond STREAM_MAX_BYTES (unread ones too);
4. wait until each replayed report has both its sectioned and its metrics stage indexed, or was
   dead-lettered;
5. swap the three READ aliases in one atomic call (old versions kept unless `--delete-old`) — only
   when nothing is unfinished and no report searchable now was dead-lettered (it would vanish from
   search; a report that never was searchable, e.g. a scanned PDF, does not block the swap).

Reports ingested meanwhile are written to the new versions and become searchable at the swap. When
the swap is called off (timeout, or a searchable report dead-lettered), the WRITE aliases move back to
the versions reads use, and every report found only in the new versions (ingested meanwhile) is
republished, so it is re-indexed where searches look; the command exits 1 and reports which reports
blocked it. Running it again starts over on a fresh version (`--delete-old` also drops the abandoned one).
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from elasticsearch import AsyncElasticsearch
from faststream.nats import NatsBroker
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy, ObjectInfo
from nats.js.errors import NotFoundError

from services.cli.progress import Advance
from services.indexer.elastic import begin_versions, finish_versions, plan_versions
from services.indexer.versions import VersionStep, replay_event_id, write_moves
from services.ingest.transform import guess_media_type
from shared import topology
from shared.messages import RawReport
from shared.runtime import ERROR_HEADER, build_broker, decode_header, dedup_headers, ensure_topology
from shared.settings import Settings
from shared.version import EXTRACTOR_VERSION

INDEXED_STAGES = frozenset({"sectioned", "metrics"})
"""The indexer announces each stage once written; a report is replayed when both are."""


def replayed_report(info: ObjectInfo, run_id: str, produced_at: datetime) -> RawReport:
    """The reports.raw.v1 event of a stored report (the object name is its report_id, the description its file name)."""
    filename = info.description or f"{info.name}.bin"
    return RawReport(
        report_id=info.name,
        event_id=replay_event_id(EXTRACTOR_VERSION, run_id, info.name),
        caused_by=None,
        produced_by="replay",
        produced_at=produced_at,
        filename=filename,
        size=info.size or 0,
        media_type=guess_media_type(filename, b""),
        object_bucket=topology.RAW_BUCKET,
        object_name=info.name,
        source="replay",
        source_uri=f"nats-object-store://{topology.RAW_BUCKET}/{info.name}",
    )


@dataclass
class Progress:
    pending: set[str]
    stages: dict[str, set[str]] = field(default_factory=dict)
    dead: dict[str, str] = field(default_factory=dict)  # report_id → reason
    total: int = field(init=False)

    def __post_init__(self) -> None:
        self.total = len(self.pending)

    @property
    def finished(self) -> int:
        """Replayed reports indexed or dead-lettered (only published ones can be)."""
        return self.total - len(self.pending)

    async def room_for(self, published: int, window: int, stall_seconds: float, tick: Callable[[], None]) -> bool:
        """Wait until fewer than `window` published reports are unfinished; False when none finished for
        `stall_seconds` meanwhile (the pipeline is stuck: the replay stops publishing and times out)."""
        finished, stalled_at = self.finished, time.monotonic() + stall_seconds
        while published - self.finished >= window:
            if self.finished != finished:
                finished, stalled_at = self.finished, time.monotonic() + stall_seconds
            if time.monotonic() >= stalled_at:
                return False
            await asyncio.sleep(0.05)
            tick()
        return True

    async def on_indexed(self, msg: Msg) -> None:
        event = json.loads(msg.data)
        report_id = event.get("report_id")
        if report_id in self.pending:
            self.stages.setdefault(report_id, set()).add(event.get("stage"))
            if self.stages[report_id] >= INDEXED_STAGES:
                self.pending.discard(report_id)

    async def on_dead_letter(self, msg: Msg) -> None:
        try:
            report_id = json.loads(msg.data).get("report_id")
        except (ValueError, AttributeError):
            return  # not a pipeline message: nothing of ours
        if report_id in self.pending:
            self.pending.discard(report_id)
            self.dead[report_id] = decode_header((msg.headers or {}).get(ERROR_HEADER, "unknown error"))


async def stored_reports(js: JetStreamContext) -> list[ObjectInfo]:
    store = await js.object_store(topology.RAW_BUCKET)
    try:
        return [info for info in await store.list(ignore_deletes=True) if not info.deleted]
    except NotFoundError:  # nats-py's answer for a bucket without objects
        return []


@dataclass
class ReplayResult:
    run_id: str
    steps: list[VersionStep]
    replayed: int
    dead: dict[str, str]
    pending: set[str]
    kept: set[str] = field(default_factory=set)
    """Dead-lettered reports that are searchable now: swapping would have made them vanish."""
    restored: set[str] = field(default_factory=set)
    """Reports written only to the abandoned versions, republished into the current ones."""

    @property
    def swapped(self) -> bool:
        return self.replayed > 0 and not self.pending and not self.kept


async def report_ids_in(es: AsyncElasticsearch, index: str, among: set[str] | None = None) -> set[str]:
    """The report_ids with a document in `index` (optionally only those `among`), by composite aggregation."""
    query = {"terms": {"report_id": sorted(among)}} if among is not None else {"match_all": {}}
    found: set[str] = set()
    after: dict[str, Any] | None = None
    while True:
        composite: dict[str, Any] = {"size": 1000, "sources": [{"id": {"terms": {"field": "report_id"}}}]}
        if after:
            composite["after"] = after
        response = await es.search(index=index, size=0, query=query, aggs={"ids": {"composite": composite}})
        buckets = response["aggregations"]["ids"]["buckets"]
        found |= {bucket["key"]["id"] for bucket in buckets}
        after = response["aggregations"]["ids"].get("after_key")
        if not buckets or after is None:
            return found


async def roll_back(es: AsyncElasticsearch, steps: list[VersionStep], delete_new: bool) -> set[str]:
    """Move the WRITE aliases back to where reads are, so nothing written from now on is unsearchable.

    Returns the reports that were written only to the abandoned versions meanwhile (ingested during the
    replay, or not searchable before it): the caller republishes them into the current versions.
    """
    back = [VersionStep(s.read_alias, s.write_alias, s.read_source, s.target, s.write_source) for s in steps]
    await es.indices.update_aliases(actions=write_moves(back))
    await es.indices.refresh(index=",".join(s.target for s in steps))
    stranded: set[str] = set()
    for step in steps:
        stranded |= await report_ids_in(es, step.target) - await report_ids_in(es, step.read_source)
    if delete_new:
        await es.indices.delete(index=",".join(s.target for s in steps))
    return stranded


async def replay(
    es: AsyncElasticsearch,
    settings: Settings,
    timeout: float = 600.0,
    delete_old: bool = False,
    on_progress: Advance | None = None,
) -> ReplayResult:
    """Re-extract every stored report into new versions; swap reads only if none of them is lost.

    `on_progress(done, total)` hears how many replayed reports are indexed or dead-lettered (a progress bar).

    Aborted (timeout, or a searchable report dead-lettered by the new extractor): the read aliases stay,
    the write aliases move back, and reports written only to the new versions meanwhile are republished
    into the current ones, so no write is left unsearchable.
    """
    run_id = uuid.uuid4().hex[:12]
    broker = build_broker(settings, "replay")
    await broker.connect()
    try:
        await ensure_topology(broker.connection)
        js = broker.connection.jetstream()
        objects = await stored_reports(js)
        steps = await plan_versions(es, settings)
        if not objects:  # new versions would be empty: searching them would lose every report
            return ReplayResult(run_id, steps, 0, {}, set())
        progress = Progress(pending={info.name for info in objects})
        listeners = {topology.INDEXED: progress.on_indexed, topology.DLQ_ALL: progress.on_dead_letter}
        subscriptions = [  # before the write aliases move: no announcement after the move is missed
            await js.subscribe(subject, ordered_consumer=True, deliver_policy=DeliverPolicy.NEW, cb=callback)
            for subject, callback in listeners.items()
        ]
        await begin_versions(es, steps)

        def report() -> None:
            if on_progress is not None:
                on_progress(progress.finished, progress.total)

        stuck = False
        for published, info in enumerate(objects):  # the pipeline answers while the rest is being published
            if not await progress.room_for(published, settings.replay_max_in_flight, timeout, report):
                stuck = True
                break
            await publish_replayed(broker, info, run_id)
            report()
        deadline = time.monotonic() + (0 if stuck else timeout)
        while progress.pending and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
            report()
        for subscription in subscriptions:
            await subscription.unsubscribe()
        reports_index = next(s.read_source for s in steps if s.read_alias == settings.index_alias("reports"))
        kept = await report_ids_in(es, reports_index, set(progress.dead)) if progress.dead else set()
        result = ReplayResult(run_id, steps, len(objects), progress.dead, set(progress.pending), kept)
        if result.swapped:
            await es.indices.refresh(index=",".join(step.target for step in steps))
            await finish_versions(es, steps, delete_old)
            return result
        result.restored = await roll_back(es, steps, delete_old)
        store = await js.object_store(topology.RAW_BUCKET)
        for report_id in sorted(result.restored):
            await publish_replayed(broker, await store.get_info(report_id), f"{run_id}-restore")
        return result
    finally:
        await broker.stop()


async def publish_replayed(broker: NatsBroker, info: ObjectInfo, run_id: str) -> None:
    event = replayed_report(info, run_id, datetime.now(UTC))
    await broker.publish(event, subject=topology.RAW, stream=topology.STREAM_NAME, headers=dedup_headers(event))


def format_result(result: ReplayResult) -> str:
    if not result.replayed:
        return f"no raw reports in the {topology.RAW_BUCKET} bucket: nothing replayed, aliases unchanged"
    done = result.replayed - len(result.dead) - len(result.pending)
    lines = [f"replay {result.run_id} (extractor {EXTRACTOR_VERSION}): {result.replayed} raw reports, "
             f"{done} indexed, {len(result.dead)} dead-lettered, {len(result.pending)} unfinished"]
    for report_id, reason in sorted(result.dead.items()):
        searchable = " (searchable now: kept)" if report_id in result.kept else ""
        lines.append(f"  dead-lettered {report_id[:12]}{searchable}: {reason}")
    for step in result.steps:
        if result.swapped:
            lines.append(f"  {step.read_alias}: {step.read_source} → {step.target}")
        else:
            lines.append(f"  {step.read_alias} and {step.write_alias} stay on {step.read_source}")
    if result.swapped:
        return "\n".join(lines)
    why = (f"{len(result.kept)} searchable report(s) could not be re-extracted (`govreports dlq list`)"
           if result.kept else "timed out")
    lines.append(f"{why}: aliases unchanged, {len(result.restored)} report(s) written meanwhile republished "
                 f"into the current versions; run `govreports replay` again once fixed")
    return "\n".join(lines)
