"""Pure mapping from pipeline messages to Elasticsearch documents (no client, no clock)."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from datetime import datetime
from typing import Any

from services.indexer.body import search_body
from shared.ids import doc_id
from shared.messages import MetricFact, MetricsDocument, ReportMetadata, SectionedDocument

FACET_FIELDS = ("region", "province", "adcode", "admin_level", "year", "era", "issuer")


def facets(metadata: ReportMetadata) -> dict[str, Any]:
    """Report facets copied onto section and metric docs so each index aggregates on its own."""
    return metadata.model_dump(mode="json", include=set(FACET_FIELDS))


def report_document(
    report_id: str, doc: SectionedDocument, trace_id: str | None, indexed_at: datetime
) -> dict[str, Any]:
    return {
        "report_id": report_id,
        **doc.metadata.model_dump(mode="json"),
        "source_format": doc.source_format,
        "filename": doc.filename,
        "text": doc.text,
        "body": search_body(doc.text, doc.metadata.title, doc.sections),
        "warnings": doc.warnings,
        "extractor_version": doc.extractor_version,
        "trace_id": trace_id,
        "indexed_at": indexed_at.isoformat(),
        "section_count": len(doc.sections),
    }


def section_documents(report_id: str, doc: SectionedDocument) -> dict[str, dict[str, Any]]:
    """Section docs by deterministic _id (report, position, title)."""
    shared = facets(doc.metadata)
    documents = {}
    for position, section in enumerate(doc.sections):
        section_id = doc_id(report_id, position, section.start, section.title)
        documents[section_id] = {
            "report_id": report_id,
            "section_id": section_id,
            "level": section.level,
            "number": section.number,
            "title": section.title,
            "kind": section.kind,
            "start": section.start,
            "end": section.end,
            "text": doc.text[section.start : section.end],
            "report_title": doc.metadata.title,
            "extractor_version": doc.extractor_version,
            **shared,
        }
    return documents


def fact_id(report_id: str, fact: MetricFact) -> str:
    return doc_id(report_id, fact.key, fact.applicant, fact.period, fact.source, fact.start, fact.end)


def metric_documents(report_id: str, doc: MetricsDocument) -> dict[str, dict[str, Any]]:
    """One doc per fact (for Kibana aggregations), carrying the report's facets and title."""
    shared = facets(doc.metadata) | {"title": doc.metadata.title}
    documents = {}
    for fact in doc.metrics:
        identity = fact_id(report_id, fact)
        documents[identity] = {
            "fact_id": identity,
            "report_id": report_id,
            **fact.model_dump(mode="json"),
            "extractor_version": doc.extractor_version,
            **shared,
        }
    return documents


def metrics_summary(doc: MetricsDocument, previous_keys: AbstractSet[str] = frozenset()) -> dict[str, Any]:
    """Partial update of the report doc once its facts and checks are known.

    Partial updates merge objects, so keys an earlier extraction produced are nulled explicitly.
    """
    failed = sum(1 for check in doc.checks if not check.passed)
    headline: dict[str, float] = {}
    for fact in doc.metrics:  # one comparable number per key: the whole body, this year
        if fact.applicant == "total" and fact.period == "annual":
            headline.setdefault(fact.key, float(fact.value_base))
    cleared: dict[str, float | None] = dict.fromkeys(previous_keys - headline.keys())
    return {
        "metric_count": len(doc.metrics),
        "metric_keys": sorted({fact.key for fact in doc.metrics}),
        "metrics": cleared | headline,
        "checks_total": len(doc.checks),
        "checks_failed": failed,
        "check_status": "none" if not doc.checks else ("failed" if failed else "passed"),
    }
