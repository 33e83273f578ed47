"""`govreports replay`: re-extract every stored raw report with the current extractor, search staying up.

1. create the next version of every kind and move the three WRITE aliases there in one atomic call;
   searches keep reading the current versions through the READ aliases;
2. listen to reports.indexed.v1 and dlq.reports.> (ordered consumers, new messages only);
3. republish a reports.raw.v1 event for every object of the `reports-raw` bucket, with a fresh
   event_id (uuid5 of replay:<EXTRACTOR_VERSION>:<run id>:<report_id>): JetStream's 24 h dedup window
   would drop the ingest event id, and every later stage derives its ids from this one;
4. wait until each replayed report has both its sectioned and its metrics stage indexed, or was
   dead-lettered;
5. swap the three READ aliases in one atomic call (old versions kept unless `--delete-old`).

Reports ingested meanwhile are written to the new versions and become searchable at the swap. On
timeout the read aliases stay where they are (search unaffected, but frozen) and the command fails;
running it again starts over on a fresh version.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from elasticsearch import AsyncElasticsearch
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy, ObjectInfo
from nats.js.errors import NotFoundError

from services.indexer.elastic import begin_versions, finish_versions, plan_versions
from services.indexer.versions import VersionStep, replay_event_id
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


async def replay(
    es: AsyncElasticsearch, settings: Settings, timeout: float = 600.0, delete_old: bool = False
) -> ReplayResult:
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
        await begin_versions(es, steps)
        progress = Progress(pending={info.name for info in objects})
        listeners = {topology.INDEXED: progress.on_indexed, topology.DLQ_ALL: progress.on_dead_letter}
        subscriptions = [
            await js.subscribe(subject, ordered_consumer=True, deliver_policy=DeliverPolicy.NEW, cb=callback)
            for subject, callback in listeners.items()
        ]
        for info in objects:
            event = replayed_report(info, run_id, datetime.now(UTC))
            await broker.publish(event, subject=topology.RAW, stream=topology.STREAM_NAME, headers=dedup_headers(event))
        deadline = time.monotonic() + timeout
        while progress.pending and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        for subscription in subscriptions:
            await subscription.unsubscribe()
        if not progress.pending:
            await es.indices.refresh(index=",".join(step.target for step in steps))
            await finish_versions(es, steps, delete_old)
        return ReplayResult(run_id, steps, len(objects), progress.dead, set(progress.pending))
    finally:
        await broker.stop()


def format_result(result: ReplayResult) -> str:
    if not result.replayed:
        return f"no raw reports in the {topology.RAW_BUCKET} bucket: nothing replayed, aliases unchanged"
    done = result.replayed - len(result.dead) - len(result.pending)
    lines = [f"replay {result.run_id} (extractor {EXTRACTOR_VERSION}): {result.replayed} raw reports, "
             f"{done} indexed, {len(result.dead)} dead-lettered, {len(result.pending)} unfinished"]
    lines += [f"  dead-lettered {report_id[:12]}: {reason}" for report_id, reason in sorted(result.dead.items())]
    for step in result.steps:
        if result.pending:
            lines.append(f"  {step.read_alias} stays on {step.read_source}; {step.write_alias} is on {step.target}")
        else:
            lines.append(f"  {step.read_alias}: {step.read_source} → {step.target}")
    if result.pending:
        lines.append("timed out: read aliases unchanged; run `govreports replay` again once the pipeline is healthy")
    return "\n".join(lines)
