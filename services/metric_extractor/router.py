"""Thin wiring: sectioned report in, metrics report out; the work is `transform.extract_metrics`."""

from __future__ import annotations

from faststream.nats import NatsBroker, NatsRouter

from services.metric_extractor.transform import extract_metrics
from shared import topology
from shared.messages import MetricsReport, SectionedReport
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
    publisher = router.publisher(topology.METRICS, stream=REPORTS_STREAM)

    @router.subscriber(topology.SECTIONED, **durable_subscription(settings, topology.METRIC_EXTRACTOR))
    async def on_sectioned(report: SectionedReport) -> None:
        with message_context(report, topology.SECTIONED):
            document = extract_metrics(report)
            message = MetricsReport(**envelope_after(report, topology.METRIC_EXTRACTOR), **dict(document))
            await publisher.publish(message, headers=dedup_headers(message))

    return router
