"""Upgrade of the indexer's consumers: the two per-subject durables become the one `indexer` durable.

Before the batch indexer, durables `indexer-sections` (reports.sectioned.v1) and `indexer-metrics`
(reports.metrics.v1) consumed one message at a time. A new durable would start at the stream's first
message (the whole history re-indexed) or at new messages only (what the old ones still owed lost).
Instead it starts right after the lower of their ack floors, so every message either of them had not
acknowledged is delivered again (some already acked beyond the floor are re-indexed: writes are
idempotent), and then the old durables are deleted.
"""

from __future__ import annotations

import dataclasses

import structlog
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from shared import topology

log = structlog.get_logger()

LEGACY_DURABLES = (f"{topology.INDEXER}-sections", f"{topology.INDEXER}-metrics")


async def ack_floors(js: JetStreamContext, durables: tuple[str, ...]) -> dict[str, int]:
    """durable → stream sequence up to which it acknowledged everything, for those that exist."""
    floors = {}
    for durable in durables:
        try:
            info = await js.consumer_info(topology.STREAM_NAME, durable)
        except NotFoundError:
            continue
        floors[durable] = info.ack_floor.stream_seq if info.ack_floor else 0
    return floors


async def adopt_legacy_durables(js: JetStreamContext, config: ConsumerConfig) -> None:
    """Create the durable of `config` where the legacy ones left off, then delete them (idempotent)."""
    floors = await ack_floors(js, LEGACY_DURABLES)
    if not floors:
        return
    try:
        await js.consumer_info(topology.STREAM_NAME, config.durable_name)
    except NotFoundError:
        start = min(floors.values()) + 1
        resumed = dataclasses.replace(
            config, deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=start
        )
        await js.add_consumer(topology.STREAM_NAME, config=resumed)
        log.info("consumer_adopted", durable=config.durable_name, start_sequence=start, legacy=floors)
    for durable in floors:
        await js.delete_consumer(topology.STREAM_NAME, durable)
        log.info("consumer_retired", durable=durable)
