"""`python -m tests.indexer_throughput`: the indexer's drain rate and latency per batch setting.

For each INDEX_BATCH_SIZE × INDEX_BATCH_WAIT_MS × INDEX_REFRESH given, starts a fresh nats-server and the
indexer as a process (exactly as `govreports run` does) against Elasticsearch (ES_URL, or a dev node it
starts), then
* burst: publishes the sectioned + metrics messages of `--burst` reports, starts the indexer and times
  the drain (reports/s, from its consumer appearing to the last reports.indexed.v1) and the CPU it cost,
  per report, in the indexer process and in Elasticsearch: on a shared machine the CPU figures compare
  settings fairly where the rates follow whatever else runs;
* feed: publishes `--rate` reports/s for `--seconds` (metrics right after sectioned, as the extractor
  does) and prints the percentiles of publish → reports.indexed.v1.
Inputs are real-shaped: the seeds, the committed test reports and the reports of `--corpus DIR` (e.g. the
team corpus beside the clone), run through normalize → split → extract once and made distinct by report id.
Figures only.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import nats
from elasticsearch import AsyncElasticsearch
from nats.aio.msg import Msg

from services.cli.stack import REPO_ROOT, LocalStack
from services.metric_extractor.transform import extract_metrics
from services.normalizer.transform import normalize
from services.section_splitter.transform import split_sections
from shared import topology
from shared.claims import store_text
from shared.messages import MetricsReport, SectionedReport
from shared.runtime import ensure_topology
from shared.settings import Settings
from tests.support.servers import elasticsearch_node, new_stack
from tests.watcher_latency import percentile

SOURCES = [*sorted((REPO_ROOT / "seeds").glob("*.txt")), *sorted((REPO_ROOT / "tests/fixtures/reports").glob("*.txt"))]
Payloads = tuple[dict, dict]
"""The sectioned and metrics payloads of one source report (without envelope)."""


def extracted_sources(corpus: Path | None) -> list[Payloads]:
    extra = sorted(p for p in corpus.rglob("*") if p.suffix in {".txt", ".html"}) if corpus and corpus.is_dir() else []
    paths = SOURCES + extra
    payloads = []
    for path in paths:
        try:
            sectioned = split_sections(normalize(path.read_bytes(), path.name))
        except Exception:  # a source the chain refuses (e.g. a scanned page) is not an indexer input
            continue
        payloads.append((sectioned.model_dump(), extract_metrics(sectioned).model_dump()))
    return payloads


def messages(sources: list[Payloads], count: int, run_id: str) -> Iterator[tuple[SectionedReport, MetricsReport]]:
    """`count` reports cycling through the sources, each with its own report id."""
    for number, (sectioned, metrics) in zip(range(count), itertools.cycle(sources), strict=False):
        report_id = f"{run_id}-{number:06d}"
        envelope = {"report_id": report_id, "produced_by": "bench", "produced_at": datetime.now(UTC)}
        yield (SectionedReport(**envelope, event_id=f"s-{report_id}", **sectioned),
               MetricsReport(**envelope, event_id=f"m-{report_id}", **metrics))


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def elasticsearch_cpu_seconds(es: AsyncElasticsearch) -> float:
    """CPU the node(s) used so far (node stats: works for a node this script did not start)."""
    nodes = (await es.nodes.stats(metric="process"))["nodes"].values()
    return sum(node["process"]["cpu"]["total_in_millis"] for node in nodes) / 1000


class Run:
    """One indexer process on a fresh nats-server; announcements received per (report_id, stage)."""

    def __init__(self, client: nats.NATS, settings: Settings) -> None:
        self.client, self.settings = client, settings
        self.js = client.jetstream()
        self.published: dict[tuple[str, str], float] = {}
        self.indexed: dict[tuple[str, str], float] = {}
        self.expected = 0
        self.done = asyncio.Event()

    async def on_indexed(self, msg: Msg) -> None:
        event = json.loads(msg.data)
        self.indexed.setdefault((event["report_id"], event["stage"]), time.monotonic())
        if len(self.indexed) >= self.expected:
            self.done.set()

    async def publish(self, report: SectionedReport | MetricsReport) -> None:
        if isinstance(report, SectionedReport):
            report = await store_text(self.js, report, self.settings.text_claim_check_bytes)
        subject, stage = (topology.SECTIONED, "sectioned") if isinstance(report, SectionedReport) else (
            topology.METRICS, "metrics")
        self.published[(report.report_id, stage)] = time.monotonic()
        await self.js.publish(subject, report.model_dump_json().encode(), headers={"Nats-Msg-Id": report.event_id})

    async def until_indexed(self, total: int, timeout: float) -> None:
        self.expected = total
        if len(self.indexed) < total:
            self.done.clear()
            try:
                await asyncio.wait_for(self.done.wait(), timeout)
            except TimeoutError:
                print(f"    only {len(self.indexed)} of {total} announcements within {timeout:.0f} s")

    async def consumer_appeared(self, timeout: float = 120.0) -> float:
        """When the indexer's first durable exists (it consumes from then on): the drain's start."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if await self.js.consumers_info(topology.STREAM_NAME):
                return time.monotonic()
            await asyncio.sleep(0.02)
        raise TimeoutError("the indexer did not start")


async def measure(stack: LocalStack, sources: list[Payloads], burst: int, rate: float, seconds: float) -> str:
    settings = Settings(**stack.env)
    client = await nats.connect(settings.nats_url)
    es = AsyncElasticsearch(settings.es_url)
    run = Run(client, settings)
    try:
        await ensure_topology(client)
        await client.subscribe(topology.INDEXED, cb=run.on_indexed)
        for pair in messages(sources, burst, uuid.uuid4().hex[:8]):
            for report in pair:
                await run.publish(report)
        stack.start_services([topology.INDEXER])
        started = await run.consumer_appeared()
        indexer_pid = stack.processes[-1].process.pid
        cpu = (process_cpu_seconds(indexer_pid), await elasticsearch_cpu_seconds(es))
        await run.until_indexed(2 * burst, 600)
        drained = max(run.indexed.values()) - started
        cpu = (process_cpu_seconds(indexer_pid) - cpu[0], await elasticsearch_cpu_seconds(es) - cpu[1])
        run.published.clear()
        run.indexed.clear()
        feed = list(messages(sources, round(rate * seconds), uuid.uuid4().hex[:8]))
        start = time.monotonic()
        for number, pair in enumerate(feed):
            await asyncio.sleep(max(0.0, start + number / rate - time.monotonic()))
            for report in pair:
                await run.publish(report)
        await run.until_indexed(2 * len(feed), 120)
    finally:
        await client.close()
        await es.close()
    latencies = [run.indexed[key] - sent for key, sent in run.published.items() if key in run.indexed]
    shown = "  ".join(
        f"{label} {value * 1000:5.0f} ms"
        for label, value in (("p50", statistics.median(latencies)), ("p90", percentile(latencies, 0.9)),
                             ("p99", percentile(latencies, 0.99)), ("max", max(latencies)))
    )
    per_report = f"CPU/report: indexer {cpu[0] / burst * 1000:4.1f} ms, ES {cpu[1] / burst * 1000:5.1f} ms"
    return f"burst {burst / drained:6.1f} reports/s ({per_report})   feed {rate:g}/s: {shown}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.indexer_throughput", description=__doc__)
    parser.add_argument("--batch-size", type=int, nargs="+", default=[1, 25, 100, 250])
    parser.add_argument("--wait-ms", type=float, nargs="+", default=[5.0])
    parser.add_argument("--refresh", nargs="+", default=["false"], choices=["false", "wait_for", "true"])
    parser.add_argument("--burst", type=int, default=600, help="reports published before the indexer starts")
    parser.add_argument("--rate", type=float, default=20.0, help="reports per second of the feed")
    parser.add_argument("--seconds", type=float, default=15.0, help="how long the feed lasts")
    parser.add_argument("--corpus", type=Path, help="a folder of real reports (.txt/.html) to add")
    parser.add_argument("--repeat", type=int, default=1, help="runs of every setting (the first warms the node)")
    args = parser.parse_args(argv)
    sources = extracted_sources(args.corpus)
    print(f"{len(sources)} source reports; burst {args.burst} reports; feed {args.rate:g}/s for {args.seconds:g} s")
    # The node's data under the repository (not /tmp): it runs as an unprivileged user when we are root.
    node_dir = REPO_ROOT / ".data" / "indexer-throughput" / uuid.uuid4().hex[:8]
    es_stack = new_stack(node_dir)
    try:
        with tempfile.TemporaryDirectory(prefix="indexer-throughput-") as base, elasticsearch_node(es_stack) as es_url:
            for size, wait, refresh, _ in itertools.product(args.batch_size, args.wait_ms, args.refresh,
                                                            range(args.repeat)):
                stack = LocalStack(data_dir=Path(base) / uuid.uuid4().hex, log_dir=Path(base) / "logs")
                stack.start_nats()
                stack.env |= {"ES_URL": es_url, "ES_INDEX_PREFIX": f"bench{uuid.uuid4().hex[:8]}",
                              "INDEX_BATCH_SIZE": str(size), "INDEX_BATCH_WAIT_MS": str(wait),
                              "INDEX_REFRESH": refresh, "LOG_LEVEL": "WARNING"}
                try:
                    line = asyncio.run(measure(stack, sources, args.burst, args.rate, args.seconds))
                finally:
                    stack.stop()
                print(f"INDEX_BATCH_SIZE={size:<4} INDEX_BATCH_WAIT_MS={wait:<4g} INDEX_REFRESH={refresh:<8} {line}",
                      flush=True)
    finally:
        es_stack.stop()
        shutil.rmtree(node_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
