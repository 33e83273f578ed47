"""Thin wiring: sectioned → report + section docs; metrics → metric docs + report summary."""

from __future__ import annotations

from datetime import UTC, datetime

from elasticsearch import AsyncElasticsearch
from faststream.nats import NatsRouter

from services.indexer import transform
from services.indexer.elastic import bulk_write, indexed_metric_keys, stale_ids
from shared import topology
from shared.messages import IndexedReport, MetricsReport, SectionedReport
from shared.runtime import (
    REPORTS_STREAM,
    dedup_headers,
    durable_subscription,
    envelope_after,
    message_context,
)
from shared.settings import Settings
from shared.telemetry import current_trace_id


def build_router(settings: Settings, es: AsyncElasticsearch) -> NatsRouter:
    router = NatsRouter()
    indexed = router.publisher(topology.INDEXED, stream=REPORTS_STREAM)
    # Writes, stale-doc lookups and metric-key reads all go to the version being written (during a
    # reindex/replay that is the next version, while searches still read the current one).
    reports, sections, metrics = (settings.write_alias(k) for k in ("reports", "sections", "metrics"))

    async def announce(cause: SectionedReport | MetricsReport, index: str, count: int, stage: str) -> None:
        message = IndexedReport(
            **envelope_after(cause, topology.INDEXER), index=index, documents=count, stage=stage
        )
        await indexed.publish(message, headers=dedup_headers(message))

    @router.subscriber(topology.SECTIONED, **durable_subscription(settings, f"{topology.INDEXER}-sections"))
    async def on_sectioned(report: SectionedReport) -> None:
        with message_context(report, topology.SECTIONED):
            document = transform.report_document(report.report_id, report, current_trace_id(), datetime.now(UTC))
            await bulk_write(es, reports, {report.report_id: document}, partial=True)
            section_docs = transform.section_documents(report.report_id, report)
            stale = await stale_ids(es, sections, report.report_id, set(section_docs))
            count = await bulk_write(es, sections, section_docs, stale)
            await announce(report, sections, count + 1, "sectioned")

    @router.subscriber(topology.METRICS, **durable_subscription(settings, f"{topology.INDEXER}-metrics"))
    async def on_metrics(report: MetricsReport) -> None:
        with message_context(report, topology.METRICS):
            metric_docs = transform.metric_documents(report.report_id, report)
            stale = await stale_ids(es, metrics, report.report_id, set(metric_docs))
            count = await bulk_write(es, metrics, metric_docs, stale)
            previous = await indexed_metric_keys(es, reports, report.report_id)
            summary = transform.metrics_summary(report, previous)
            await bulk_write(es, reports, {report.report_id: summary}, partial=True)
            await announce(report, metrics, count, "metrics")

    return router
