"""An ingest replica inside the test process: the service's router (and optionally its folder watcher) on a
broker of its own, against a real NATS server."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable

from faststream.nats import NatsBroker

from services.ingest.intake import Intake
from services.ingest.router import build_router
from services.ingest.watcher import watch_bucket
from shared import topology
from shared.runtime import build_broker, ensure_topology
from shared.settings import Settings


@contextlib.asynccontextmanager
async def ingest_replica(
    settings: Settings, watch_with: Callable[[NatsBroker, Settings], Intake] | None = None
) -> AsyncIterator[NatsBroker]:
    """The router consuming its durables; with `watch_with` (Intake, or a factory of one that records what it
    took) the bucket folder is watched too, as the service's background task does."""
    broker = build_broker(settings, topology.INGEST)
    broker.include_router(build_router(settings, broker))
    async with broker:
        await broker.connect()
        await ensure_topology(broker.connection)
        await broker.start()
        watching = watch_bucket(watch_with(broker, settings), settings) if watch_with is not None else None
        task = asyncio.create_task(watching) if watching is not None else None
        try:
            yield broker
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
