"""Thin wiring: raw report in, normalized report out; the work is `transform.normalize`, run in the
bounded parsing child (worker.py) so a hostile file can neither block the event loop nor exhaust the
service, while a heartbeat keeps the JetStream message ours through a long parse."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TypeVar

import structlog
from faststream.nats import NatsBroker, NatsRouter
from nats.js.errors import NotFoundError, ObjectNotFoundError

from services.normalizer.transform import normalize
from services.normalizer.worker import ParseLimits, ParseWorker
from shared import topology
from shared.failures import PermanentError, TransientError
from shared.messages import NormalizedDocument, NormalizedReport, RawReport
from shared.runtime import stage_router
from shared.settings import Settings

log = structlog.get_logger()
T = TypeVar("T")


async def fetch_raw(broker: NatsBroker, raw: RawReport) -> bytes:
    """Claim check: the report's bytes from the Object Store."""
    try:
        store = await broker.object_storage(raw.object_bucket, declare=False)
        result = await store.get(raw.object_name)
    except (ObjectNotFoundError, NotFoundError) as exc:
        raise PermanentError(f"raw bytes {raw.object_bucket}/{raw.object_name} are not in the Object Store") from exc
    except Exception as exc:
        raise TransientError(f"Object Store unavailable: {exc}") from exc
    return result.data or b""


async def with_heartbeat(work: Awaitable[T], beat: Callable[[], Awaitable[None]], every: float) -> T:
    """Await `work`, calling `beat` every `every` seconds meanwhile (JetStream `in_progress` resets the ack wait)."""
    task = asyncio.ensure_future(work)
    try:
        while not (await asyncio.wait({task}, timeout=every))[0]:
            try:
                await beat()
            except Exception as exc:  # a lost heartbeat costs at most a redelivery; the work goes on
                log.warning("heartbeat_failed", error=repr(exc))
        return task.result()
    finally:
        task.cancel()  # no-op once done; stops the parse when the handler itself is cancelled


def build_router(settings: Settings, broker: NatsBroker) -> NatsRouter:
    worker = ParseWorker(
        ParseLimits(settings.parse_timeout_seconds, settings.parse_memory_mib),
        partial(normalize, max_bytes=settings.max_report_bytes),
    )

    async def decode(raw: RawReport) -> NormalizedDocument:
        content = await fetch_raw(broker, raw)
        message = broker.context.get_local("message")
        # three beats per ack wait: one may be lost and the message still stays ours
        return await with_heartbeat(
            worker.normalize(content, raw.filename), message.in_progress, settings.ack_wait_seconds / 3
        )

    return stage_router(
        settings,
        service=topology.NORMALIZER,
        consumes=topology.RAW,
        produces=topology.NORMALIZED,
        input_model=RawReport,
        output_model=NormalizedReport,
        step=decode,
    )
