"""Thin wiring: normalized report in, sectioned report out; the work is `transform.split_sections`."""

from __future__ import annotations

from faststream.nats import NatsBroker, NatsRouter

from services.section_splitter.transform import split_sections
from shared import topology
from shared.messages import NormalizedReport, SectionedReport
from shared.runtime import stage_router
from shared.settings import Settings


def build_router(settings: Settings, broker: NatsBroker) -> NatsRouter:
    return stage_router(
        settings,
        service=topology.SECTION_SPLITTER,
        consumes=topology.NORMALIZED,
        produces=topology.SECTIONED,
        input_model=NormalizedReport,
        output_model=SectionedReport,
        step=split_sections,
    )
