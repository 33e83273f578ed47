"""Thin wiring: normalized report in, sectioned report out; the work is `transform.split_sections`."""

from __future__ import annotations

from faststream.nats import NatsBroker, NatsRouter

from services.section_splitter.transform import split_sections
from shared import topology
from shared.messages import NormalizedReport, SectionedReport
from shared.runtime import (
    REPORTS_STREAM,
    dedup_headers,
    durable_subscription,
    envelope_after,
    message_context,
)
from shared.settings import Settings


def build_router(settings: Settings, broker: NatsBroker) -> NatsRouter:
    router = NatsRouter()
    publisher = router.publisher(topology.SECTIONED, stream=REPORTS_STREAM)

    @router.subscriber(topology.NORMALIZED, **durable_subscription(settings, topology.SECTION_SPLITTER))
    async def on_normalized(report: NormalizedReport) -> None:
        with message_context(report, topology.NORMALIZED):
            document = split_sections(report)
            message = SectionedReport(**envelope_after(report, topology.SECTION_SPLITTER), **dict(document))
            await publisher.publish(message, headers=dedup_headers(message))

    return router
