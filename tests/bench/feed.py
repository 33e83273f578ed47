"""Feeding the pipeline as users do: files into the bucket folder, or `govreports ingest`'s direct publish.

Each feeder returns report_id → the wall-clock time the report entered the pipeline, the start of its
latency: the moment its file appeared in incoming/ (renamed into place), or the moment the publish began
(the raw bytes still go to the Object Store first, as with `govreports ingest`).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import TypeVar

from services.ingest.intake import Intake
from shared.runtime import build_broker, ensure_topology
from shared.settings import Settings
from tests.faults.harness import drop
from tests.faults.reports import Report

T = TypeVar("T")


async def paced(items: Sequence[T], per_second: float | None) -> AsyncIterator[T]:
    """Yield item i at start + i / per_second (a late item goes at once, the schedule never slips);
    `None`: all at once."""
    start = time.monotonic()
    for number, item in enumerate(items):
        if per_second:
            await asyncio.sleep(max(0.0, start + number / per_second - time.monotonic()))
        yield item


async def drop_files(incoming: Path, reports: Sequence[Report], per_second: float | None) -> dict[str, float]:
    """Write-then-rename each report into incoming/ (never half-read), as the fault harness and `rsync` do."""
    entered = {}
    async for report in paced(reports, per_second):
        await asyncio.to_thread(drop, incoming, [report], False)
        entered[report.report_id] = time.time()
    return entered


async def publish(intake: Intake, reports: Sequence[Report], per_second: float | None) -> dict[str, float]:
    """What `govreports ingest PATH` does per file: Object Store put, then reports.raw.v1."""
    entered = {}
    async for report in paced(reports, per_second):
        entered[report.report_id] = time.time()
        outcome = await intake.ingest_bytes(report.content, report.name, "cli", f"bench:{report.name}")
        if outcome.report is None:
            raise RuntimeError(f"ingest refused {report.name}: {outcome.reason}")
    return entered


@contextlib.asynccontextmanager
async def direct_intake(settings: Settings) -> AsyncIterator[Intake]:
    """The connection `govreports ingest` opens (services/cli: the ingest broker, topology ensured).

    Logging at WARNING: the bench prints its tables, not a line per ingested file or Elasticsearch request."""
    broker = build_broker(settings.model_copy(update={"log_level": "WARNING"}), "ingest")
    await broker.connect()
    try:
        await ensure_topology(broker.connection)
        yield Intake(broker, settings)
    finally:
        await broker.stop()
