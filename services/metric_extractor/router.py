"""Thin wiring: sectioned report in, metrics report out; the work is `transform.extract_metrics`."""

from __future__ import annotations

from faststream.nats import NatsBroker, NatsRouter

from services.metric_extractor.transform import extract_metrics
from shared import topology
from shared.messages import MetricsReport, SectionedReport
from shared.runtime import stage_router
from shared.settings import Settings


def build_router(settings: Settings, broker: NatsBroker) -> NatsRouter:
    return stage_router(
        settings,
        service=topology.METRIC_EXTRACTOR,
        consumes=topology.SECTIONED,
        produces=topology.METRICS,
        input_model=SectionedReport,
        output_model=MetricsReport,
        step=extract_metrics,
    )
