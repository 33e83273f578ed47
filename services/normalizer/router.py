"""Thin wiring: raw report in, normalized report out; the work is `transform.normalize`."""

from __future__ import annotations

from faststream.nats import NatsBroker, NatsRouter
from nats.js.errors import NotFoundError, ObjectNotFoundError

from services.normalizer.transform import normalize
from shared import topology
from shared.failures import PermanentError, TransientError
from shared.messages import NormalizedReport, RawReport
from shared.runtime import (
    REPORTS_STREAM,
    dedup_headers,
    durable_subscription,
    envelope_after,
    message_context,
)
from shared.settings import Settings


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


def build_router(settings: Settings, broker: NatsBroker) -> NatsRouter:
    router = NatsRouter()
    publisher = router.publisher(topology.NORMALIZED, stream=REPORTS_STREAM)

    @router.subscriber(topology.RAW, **durable_subscription(settings, topology.NORMALIZER))
    async def on_raw(raw: RawReport) -> None:
        with message_context(raw, topology.RAW):
            document = normalize(await fetch_raw(broker, raw), raw.filename)
            message = NormalizedReport(**envelope_after(raw, topology.NORMALIZER), **dict(document))
            await publisher.publish(message, headers=dedup_headers(message))

    return router
