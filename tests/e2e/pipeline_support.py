"""Start-up shared by the e2e modules: a fresh NATS, the five service processes, a unique index prefix.

Each module gets its own pipeline (own JetStream, own indices) so what one test does to the stream or
the aliases never shows in another module.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from elasticsearch import AsyncElasticsearch
from nats.aio.client import Client as NATS

from services.cli.stack import REPO_ROOT, LocalStack
from shared import topology
from shared.ids import report_id_for
from shared.runtime import ensure_topology
from shared.settings import Settings

SEEDS = REPO_ROOT / "seeds"
DEADLINE_SECONDS = 240


@dataclass
class Pipeline:
    settings: Settings
    stack: LocalStack  # stack.env is what the services got: a `govreports` subprocess run with it joins them
    spans_dir: Path
    expected: dict[str, str]  # report_id → seed file name
    object_report_id: str | None  # the report put into the `reports-incoming` Object Store bucket


async def put_into_incoming_bucket(nats_url: str, path: Path) -> None:
    """What any NATS client can do: put a file into the incoming Object Store bucket."""
    nc = NATS()
    await nc.connect(nats_url)
    try:
        await ensure_topology(nc)
        store = await nc.jetstream().object_store(topology.INCOMING_BUCKET)
        await store.put(path.name, path.read_bytes())
    finally:
        await nc.close()


async def wait_indexed(
    es: AsyncElasticsearch, settings: Settings, report_ids: set[str], stack: LocalStack, failures: int
) -> None:
    """Until every report has its metrics indexed and `failures` files sit in failed/ (deadline, not sleep)."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if dead := stack.dead():
            raise AssertionError(f"{dead[0].name} died:\n{dead[0].log_path.read_text()[-3000:]}")
        if not await es.indices.exists_alias(name=settings.index_alias("reports")):
            await asyncio.sleep(1)  # the indexer is still starting
            continue
        await es.indices.refresh(index=settings.index_alias("reports"))
        result = await es.search(
            index=settings.index_alias("reports"),
            query={
                "bool": {"filter": [{"ids": {"values": sorted(report_ids)}}, {"exists": {"field": "metric_count"}}]}
            },
            size=0,
        )
        failed = len(list(settings.failed_dir.glob("*.error.txt")))
        if result["hits"]["total"]["value"] == len(report_ids) and failed >= failures:
            await asyncio.sleep(0.5)  # the sections bulk of the last report may trail its report doc
            await es.indices.refresh(index=f"{settings.es_index_prefix}-*")
            return
        await asyncio.sleep(1)
    raise AssertionError("pipeline did not index every seed and fail every malformed file in time")


@contextlib.contextmanager
def running_pipeline(
    es_url: str, malformed: dict[str, bytes] | None = None, object_report: Path | None = None
) -> Iterator[Pipeline]:
    """Five services on a fresh NATS; the seeds (+ `malformed` files) dropped into the bucket folder,
    `object_report` put into the incoming Object Store bucket; yields once all are indexed or failed."""
    malformed = malformed or {}
    run_id = uuid.uuid4().hex[:8]
    base = REPO_ROOT / ".data" / "test-servers" / f"e2e-{run_id}"
    logs = REPO_ROOT / "test-output" / f"e2e-{run_id}"
    spans_dir = logs / "spans"
    spans_dir.mkdir(parents=True)
    stack = LocalStack(data_dir=base, log_dir=logs)
    stack.start_nats()  # a fresh JetStream per run: the stream holds only this run's events
    stack.env |= {
        "ES_URL": es_url,
        "ES_INDEX_PREFIX": f"e2e{run_id}",
        "BUCKET_DIR": str(base / "bucket"),
        "INGEST_STABLE_SECONDS": "0.5",
        "MAX_DELIVER": "3",
        "NAK_BACKOFF_SECONDS": "0.5",
        "OTEL_TRACES_EXPORTER": "console",
        "TRACE_FILE": str(spans_dir),
        "LOG_FORMAT": "json",
    }
    wanted = {"NATS_URL", "ES_URL", "ES_INDEX_PREFIX", "BUCKET_DIR"}
    settings = Settings(**{k: v for k, v in stack.env.items() if k in wanted})
    try:
        stack.start_services()
        incoming = settings.incoming_dir
        incoming.mkdir(parents=True, exist_ok=True)
        expected = {}
        for seed in sorted(SEEDS.glob("*.txt")):
            expected[report_id_for(seed.read_bytes())] = seed.name
            shutil.copy(seed, incoming / seed.name)
        for name, content in malformed.items():
            (incoming / name).write_bytes(content)
        object_report_id = report_id_for(object_report.read_bytes()) if object_report else None

        async def settle() -> None:
            if object_report:
                await put_into_incoming_bucket(settings.nats_url, object_report)
            async with AsyncElasticsearch(es_url) as es:
                ids = {*expected, *([object_report_id] if object_report_id else [])}
                await wait_indexed(es, settings, ids, stack, len(malformed))

        asyncio.run(settle())
        yield Pipeline(settings, stack, spans_dir, expected, object_report_id)
    finally:
        stack.stop()
        shutil.rmtree(base, ignore_errors=True)
