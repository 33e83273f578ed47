"""Thin wiring: one durable over sectioned + metrics → one part per message → the report writer → announce."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from elasticsearch import AsyncElasticsearch
from faststream.nats import NatsMessage, NatsRouter, PullSub
from faststream.nats.annotations import JsClient

from services.indexer.batch import Indices, ReportPart
from services.indexer.elastic import write_indices
from services.indexer.writer import ReportWriter
from shared import topology
from shared.claims import load_text
from shared.messages import IndexedReport, MetricsReport, SectionedReport
from shared.runtime import REPORTS_STREAM, dedup_headers, durable_subscription, envelope_after, message_context
from shared.settings import Settings
from shared.telemetry import current_trace_id

MODELS: dict[str, type[SectionedReport | MetricsReport]] = {
    topology.SECTIONED: SectionedReport,
    topology.METRICS: MetricsReport,
}
"""The subjects of the one indexer durable and the message each carries."""


def subscription(settings: Settings) -> dict[str, Any]:
    """One durable (`indexer`) filtering both subjects: a single writer per report document; every fetch
    takes up to INDEX_BATCH_SIZE messages, handled concurrently and written together."""
    options = durable_subscription(settings, topology.INDEXER)
    options["config"].filter_subjects = list(MODELS)
    options["config"].durable_name = options["durable"]  # complete: start-up may create it (durables.py)
    options["pull_sub"] = PullSub(batch_size=settings.index_batch_size, timeout=options["pull_sub"].timeout)
    return options


def announced_index(part: ReportPart, indices: Indices) -> str:
    return indices.sections if part.stage == "sectioned" else indices.metrics


def build_router(settings: Settings, es: AsyncElasticsearch) -> NatsRouter:
    router = NatsRouter()
    indexed = router.publisher(topology.INDEXED, stream=REPORTS_STREAM)
    # Writes and stale-doc lookups go to the version being written (during a reindex/replay that is the
    # next version, while searches still read the current one).
    indices = write_indices(settings)
    writer = ReportWriter(
        es,
        indices,
        batch_size=settings.index_batch_size,
        wait_seconds=settings.index_batch_wait_ms / 1000,
        refresh=settings.index_refresh,
    )

    # Subject "": the consumer's filter subjects say what it reads (FastStream's way for filter_subjects).
    @router.subscriber("", **subscription(settings))
    async def on_report(msg: NatsMessage, js: JsClient) -> None:
        raw = msg.raw_message
        report = MODELS[raw.subject].model_validate_json(raw.data)
        with message_context(report, raw.subject):
            if isinstance(report, SectionedReport):  # a long text travels by claim check; its layout is not indexed
                report = await load_text(js, report, with_layout=False)
            part = ReportPart(report, raw.metadata.sequence.stream, current_trace_id(), datetime.now(UTC))
            documents = await writer.write(part)
            if documents is None:  # a later message of this report and stage in the same batch was written
                return
            message = IndexedReport(
                **envelope_after(report, topology.INDEXER),
                index=announced_index(part, indices),
                documents=documents,
                stage=part.stage,
            )
            await indexed.publish(message, headers=dedup_headers(message))

    return router
