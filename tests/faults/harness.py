"""Runs the real pipeline (nats-server, the Elasticsearch dev node, the five services as processes),
drops a batch of reports, injects one fault mid-run and counts what became of every report.

Wraps `LocalStack` (the processes `govreports run` starts) with what an operator does to them:
SIGKILL, SIGSTOP/SIGCONT, start again on the same port and data directory.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from elasticsearch import ApiError, Elasticsearch, TransportError
from nats.aio.client import Client as NATS
from nats.errors import TimeoutError as NatsTimeout

from services.cli.stack import CLUSTER_REPLICAS, CLUSTER_SIZE, REPO_ROOT, SERVICES, LocalStack, ManagedProcess
from shared import topology
from shared.ids import report_id_for
from shared.settings import Settings
from tests.faults.accounting import Snapshot, Tally, settled, tally
from tests.faults.reports import Report, undecodable

POLL_SECONDS = 1.0


def kill(process: ManagedProcess) -> None:
    """SIGKILL the whole process group (ES runs under a launcher), as the OOM killer would."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.process.pid, signal.SIGKILL)
    process.process.wait(30)


def named(stack: LocalStack, name: str) -> ManagedProcess:
    return next(p for p in stack.processes if p.name == name)


def forget(stack: LocalStack, process: ManagedProcess) -> None:
    """A process we killed on purpose is no crash: drop it before starting its successor."""
    stack.processes.remove(process)


def port_of(url: str) -> int:
    return int(urlparse(url).port or 0)


@dataclass
class Pipeline:
    """One fresh JetStream, bucket and index prefix, with the five services; ES belongs to `infra`."""

    infra: LocalStack
    stack: LocalStack
    settings: Settings
    quiet_seconds: float
    events: list[str] = field(default_factory=list)
    """What the fault did and saw (which node, when), added to the row's notes."""

    @property
    def es_url(self) -> str:
        return self.settings.es_url

    def restart_service(self, name: str) -> None:
        process = named(self.stack, name)
        kill(process)
        forget(self.stack, process)
        self.stack.start_services([name])

    def freeze_elasticsearch(self, seconds: float) -> None:
        group = named(self.infra, "elasticsearch").process.pid
        os.killpg(group, signal.SIGSTOP)
        try:
            time.sleep(seconds)
        finally:
            os.killpg(group, signal.SIGCONT)

    def stop_elasticsearch(self) -> None:
        process = named(self.infra, "elasticsearch")
        kill(process)
        forget(self.infra, process)

    def start_elasticsearch(self) -> None:
        self.infra.start_elasticsearch(port_of(self.es_url))

    def restart_nats(self, down_seconds: float) -> None:
        process = named(self.stack, "nats")
        kill(process)
        forget(self.stack, process)
        time.sleep(down_seconds)
        self.stack.start_nats(port_of(self.settings.nats_url))  # same store dir: the stream survives

    def failed_reasons(self) -> int:
        return len(list(self.settings.failed_dir.glob("*.error.txt")))


Fault = Callable[[Pipeline], None]


@dataclass(frozen=True)
class Scenario:
    name: str
    fault: Fault
    same_names: bool = False  # drop every report under the one name CMS sites give them all
    hostile: int = 0  # undecodable files added to the batch: dead letters expected, of their own bytes
    redrop_failed: bool = False  # afterwards move failed/ files back to incoming/, as .error.txt says
    fault_at: float = 0.25  # share of the batch indexed when the fault starts


def spoken(seconds: float) -> str:
    return f"{seconds / 60:g} min" if seconds >= 120 else f"{seconds:g} s"


def service_killed(name: str) -> Scenario:
    return Scenario(f"SIGKILL+restart {name}", lambda pipeline: pipeline.restart_service(name))


def elasticsearch_frozen(seconds: float) -> Scenario:
    return Scenario(f"Elasticsearch frozen {spoken(seconds)}", lambda pipeline: pipeline.freeze_elasticsearch(seconds))


def elasticsearch_killed(seconds: float) -> Scenario:
    def fault(pipeline: Pipeline) -> None:
        pipeline.stop_elasticsearch()
        time.sleep(seconds)
        pipeline.start_elasticsearch()

    return Scenario(f"Elasticsearch killed, back after {spoken(seconds)}", fault)


def nats_killed(seconds: float) -> Scenario:
    name = f"nats-server killed, back after {spoken(seconds)}"
    return Scenario(name, lambda pipeline: pipeline.restart_nats(seconds))


def elasticsearch_down_until_failures(max_seconds: float) -> Fault:
    """Down until the first report lands in failed/ (or `max_seconds`): something to re-drop."""

    def fault(pipeline: Pipeline) -> None:
        pipeline.stop_elasticsearch()
        deadline = time.monotonic() + max_seconds
        while time.monotonic() < deadline and not pipeline.failed_reasons():
            time.sleep(POLL_SECONDS)
        pipeline.start_elasticsearch()

    return fault


def no_fault(pipeline: Pipeline) -> None:
    """The input itself is the fault (same names)."""


def scenarios(long: bool = False) -> list[Scenario]:
    """Every row of issue 8's fault table; the 5-minute outages only with `long`."""
    rows = [service_killed(name) for name in SERVICES]
    rows += [
        elasticsearch_frozen(30),
        elasticsearch_killed(60),
        nats_killed(5),
        Scenario("re-drop failed files", elasticsearch_down_until_failures(60), redrop_failed=True),
        Scenario("same-named files, different content", no_fault, same_names=True, hostile=2),
    ]
    if long:
        rows += [elasticsearch_killed(300), nats_killed(300)]
    return rows


def fast_scenarios() -> list[Scenario]:
    """The subset inside `make test`: a CPU stage and the indexer killed, Elasticsearch frozen briefly."""
    return [service_killed("metric-extractor"), service_killed("indexer"), elasticsearch_frozen(3)]


SAME_NAMES = {".pdf": "2021年政府信息公开工作年度报告.pdf", ".html": "2021年政府信息公开工作年度报告.html"}
SAME_NAME_TEXT = "2021年政府信息公开工作年度报告.txt"


def drop(incoming: Path, reports: list[Report], same_names: bool) -> None:
    """Write-then-rename into incoming/ (never half-read); same names go to one sub-folder each."""
    for number, report in enumerate(reports):
        if same_names:
            target = incoming / f"site{number:05d}" / SAME_NAMES.get(Path(report.name).suffix, SAME_NAME_TEXT)
        else:
            target = incoming / report.name
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.part")
        partial.write_bytes(report.content)
        partial.rename(target)


def redrop_failed(settings: Settings) -> int:
    """What the `.error.txt` tells the user: move the file back into incoming/."""
    moved = 0
    for note in sorted(settings.failed_dir.glob("*.error.txt")):
        original = note.with_name(note.name.removesuffix(".error.txt"))
        if original.exists():
            original.rename(settings.incoming_dir / original.name)
            note.unlink()
            moved += 1
    return moved


def observe(es: Elasticsearch, settings: Settings, sent: set[str]) -> Snapshot:
    """Elasticsearch and failed/ as they are now (an unreachable node shows nothing indexed)."""
    snapshot = Snapshot(failed=failed_report_ids(settings.failed_dir))
    ids = sorted(sent)
    try:
        es.indices.refresh(index=f"{settings.es_index_prefix}-*", ignore_unavailable=True)
        reports = es.search(
            index=settings.index_alias("reports"),
            query={"ids": {"values": ids}},
            source=["metric_count", "section_count"],
            size=2 * len(ids),
        )
        for hit in reports["hits"]["hits"]:
            snapshot.report_hits[hit["_id"]] += 1
            snapshot.summaries[hit["_id"]] = hit["_source"]
        for kind, counter in (("sections", snapshot.section_docs), ("metrics", snapshot.metric_docs)):
            result = es.search(
                index=settings.index_alias(kind),
                query={"terms": {"report_id": ids}},
                aggs={"per_report": {"terms": {"field": "report_id", "size": len(ids)}}},
                size=0,
            )
            counter.update({b["key"]: b["doc_count"] for b in result["aggregations"]["per_report"]["buckets"]})
    except (ApiError, TransportError):  # the alias isn't there yet, or the node is down
        pass
    return snapshot


def failed_report_ids(failed_dir: Path) -> set[str]:
    """Report ids of the bytes in failed/ that have a reason beside them (hashing, not trusting names)."""
    if not failed_dir.is_dir():
        return set()
    return {
        report_id_for(note.with_name(note.name.removesuffix(".error.txt")).read_bytes())
        for note in failed_dir.glob("*.error.txt")
        if note.with_name(note.name.removesuffix(".error.txt")).is_file()
    }


async def dead_letters(nats_servers: list[str]) -> Counter[str]:
    """report_id → messages on dlq.reports.> (ingest's own rejects carry no report id)."""
    nc = NATS()
    await nc.connect(nats_servers)
    counts: Counter[str] = Counter()
    try:
        subscription = await nc.jetstream().pull_subscribe(topology.DLQ_ALL, stream=topology.STREAM_NAME)
        while True:
            try:
                batch = await subscription.fetch(256, timeout=1)
            except (TimeoutError, NatsTimeout):  # nats-py raises either, by version
                return counts
            for msg in batch:
                counts[_report_id(msg.data)] += 1
    finally:
        await nc.close()


async def until_drained(nats_servers: list[str], deadline: float) -> dict[str, int]:
    """Poll until no durable of REPORTS has messages left to deliver or to be acked (cross-year, a downstream
    reader of reports.metrics.v1, trails the indexer); durable → what it still had at the `deadline` (monotonic)."""
    nc = NATS()
    await nc.connect(nats_servers)
    try:
        js = nc.jetstream()
        while True:
            consumers = await js.consumers_info(topology.STREAM_NAME)
            left = {info.name: count for info in consumers if (count := info.num_pending + info.num_ack_pending)}
            if not left or time.monotonic() > deadline:
                return left
            await asyncio.sleep(POLL_SECONDS)
    finally:
        await nc.close()


def _report_id(data: bytes) -> str:
    try:
        body: Any = json.loads(data)
    except ValueError:
        return "?"
    return str(body.get("report_id", "?")) if isinstance(body, dict) else "?"


def wait_settled(
    es: Elasticsearch, pipeline: Pipeline, sent: set[str], deadline: float, until: Callable[[Snapshot], bool]
) -> Snapshot:
    """Poll until `until` holds, nothing changed for `quiet_seconds`, or the deadline passes."""
    last, changed = None, time.monotonic()
    while True:
        snapshot = observe(es, pipeline.settings, sent)
        if until(snapshot) or time.monotonic() > deadline:
            return snapshot
        state = (len(snapshot.summaries), sum(snapshot.metric_docs.values()), len(snapshot.failed))
        if state != last:
            last, changed = state, time.monotonic()
        elif time.monotonic() - changed > pipeline.quiet_seconds:
            return snapshot
        time.sleep(POLL_SECONDS)


def run_scenario(pipeline: Pipeline, scenario: Scenario, reports: list[Report], settle_seconds: float) -> Tally:
    """Drop the batch, inject the fault once `fault_at` of it is indexed, wait for the pipeline to settle."""
    notes = [f"{scenario.hostile} undecodable among them"] if scenario.hostile else []
    reports = reports + undecodable(scenario.hostile, reports[0].report_id[:8])
    sent = {r.report_id for r in reports}
    threshold = max(1, int(len(sent) * scenario.fault_at))
    started = time.monotonic()
    with Elasticsearch(pipeline.settings.es_hosts, request_timeout=10) as es:
        drop(pipeline.settings.incoming_dir, reports, scenario.same_names)
        wait_settled(es, pipeline, sent, started + settle_seconds, lambda s: len(s.summaries) >= threshold)
        scenario.fault(pipeline)
        snapshot = wait_settled(es, pipeline, sent, time.monotonic() + settle_seconds, lambda s: settled(s, sent))
        if scenario.redrop_failed:
            notes.append(f"{redrop_failed(pipeline.settings)} failed files re-dropped")
            snapshot = wait_settled(
                es, pipeline, sent, time.monotonic() + settle_seconds, lambda s: settled(s, sent)
            )
    snapshot.dead_letters = asyncio.run(dead_letters(pipeline.settings.nats_servers))
    result = tally(scenario.name, sent, snapshot, time.monotonic() - started)
    result.notes[:0] = notes + pipeline.events
    pipeline.events.clear()
    if crashed := [p.name for p in pipeline.stack.dead()]:
        result.notes.append(f"exited on their own: {', '.join(crashed)}")
    return result


@contextlib.contextmanager
def elasticsearch(base: Path, logs: Path, cluster: bool = False) -> Iterator[LocalStack]:
    """The harness's own node (or cluster): only a process it started can be frozen and killed."""
    infra = LocalStack(data_dir=base / "infra", log_dir=logs / "infra")
    try:
        if cluster:
            infra.start_elasticsearch_cluster(CLUSTER_SIZE)
        else:
            infra.start_elasticsearch()
        yield infra
    finally:
        infra.stop()


@contextlib.contextmanager
def pipeline(
    infra: LocalStack,
    base: Path,
    logs: Path,
    service_env: dict[str, str] | None = None,
    quiet_seconds: float = 150,
    cluster: bool = False,
    replicas: int = 1,
) -> Iterator[Pipeline]:
    """Fresh NATS + bucket + index prefix + the services (`replicas` processes each), on the harness's
    Elasticsearch node.

    `quiet_seconds` without progress counts as settled: longer than one ack wait (60 s) plus backoff,
    the longest a healthy pipeline stays still after a crash. With `cluster`, a NATS cluster and the
    replica counts of `govreports run --cluster` (the infra must be an Elasticsearch cluster then).
    """
    run_id = uuid.uuid4().hex[:8]
    stack = LocalStack(data_dir=base / run_id, log_dir=logs / run_id)
    try:
        if cluster:
            stack.start_nats_cluster(CLUSTER_SIZE)
            stack.env |= CLUSTER_REPLICAS
        else:
            stack.start_nats()
        stack.env |= {
            "ES_URL": infra.env["ES_URL"],
            "ES_INDEX_PREFIX": f"faults{run_id}",
            "BUCKET_DIR": str(base / run_id / "bucket"),
            "INGEST_STABLE_SECONDS": "0.5",
            "LOG_FORMAT": "json",
            **(service_env or {}),
        }
        wanted = ("NATS_URL", "ES_URL", "ES_INDEX_PREFIX", "BUCKET_DIR")
        settings = Settings(**{k: stack.env[k] for k in wanted})
        settings.incoming_dir.mkdir(parents=True, exist_ok=True)
        stack.start_services(replicas=replicas)
        yield Pipeline(infra, stack, settings, quiet_seconds)
    finally:
        stack.stop()


def workspace(label: str, harness: str = "faults") -> tuple[Path, Path]:
    """Data under .data/ (the ES user can traverse it), logs under test-output/; the bench shares this."""
    run_id = f"{label}-{uuid.uuid4().hex[:8]}"
    return REPO_ROOT / ".data" / harness / run_id, REPO_ROOT / "test-output" / harness / run_id
