"""Thin wiring: a metrics report in, its basis recorded and compared, one reports.crossyear.v1 per pair out."""

from __future__ import annotations

from datetime import UTC, datetime

from elasticsearch import AsyncElasticsearch
from faststream.nats import NatsRouter

from services.cross_year.checker import CrossYearChecker
from services.cross_year.store import ReportDocs
from services.cross_year.transform import Basis, basis_of, comparison
from shared import topology
from shared.ids import event_id_for
from shared.messages import CrossYearReport, MetricsReport
from shared.runtime import REPORTS_STREAM, dedup_headers, durable_subscription, message_context
from shared.settings import Settings


def announcement(current: Basis, previous: Basis) -> CrossYearReport:
    """The event of one pair; its id depends only on the two extractions compared, so whichever report's
    handler finds the pair (or both, or a redelivery) publishes the same event and JetStream keeps one."""
    return CrossYearReport(
        report_id=current.report_id,
        event_id=event_id_for(topology.CROSS_YEAR, f"{current.event_id}+{previous.event_id}"),
        caused_by=current.event_id,
        produced_by=topology.CROSS_YEAR,
        produced_at=datetime.now(UTC),
        **comparison(current, previous),
    )


def build_router(settings: Settings, es: AsyncElasticsearch) -> NatsRouter:
    router = NatsRouter()
    published = router.publisher(topology.CROSSYEAR, stream=REPORTS_STREAM)
    checker = CrossYearChecker(ReportDocs(es, settings.write_alias("reports")))

    @router.subscriber(topology.METRICS, **durable_subscription(settings, topology.CROSS_YEAR))
    async def on_metrics(report: MetricsReport) -> None:
        with message_context(report, topology.METRICS):
            for current, previous in await checker.check(basis_of(report)):
                message = announcement(current, previous)
                await published.publish(message, headers=dedup_headers(message))

    return router
