"""Pure planning of one bulk request for the messages of one fetch (no client, no clock).

Each message is a part of its report: a sectioned part (the report's fields, its section docs) or a
metrics part (the summary fields, its metric docs). All parts of one report merge into ONE report-doc
update, sectioned fields first; of two parts of the same report and stage, the later in the stream wins
and the other is superseded (it shares the winner's outcome, but is not announced). Stale section and
metric docs are the ids the report doc lists (`section_ids`, `metric_ids`) that the new parts no longer
produce: their deletes go into the same bulk request, so no search per report is needed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from services.indexer.transform import metric_documents, metrics_summary, report_document, section_documents
from shared.messages import MetricsReport, SectionedReport

Stage = Literal["sectioned", "metrics"]
RETRY_ON_CONFLICT = 5
"""A report-doc update re-reads and re-applies this often when another writer (a reindex completing the
doc, a second indexer replica) changed it in between."""


@dataclass(frozen=True)
class ReportPart:
    """One message's share of its report: the unit that is acked, retried or dead-lettered."""

    report: SectionedReport | MetricsReport
    sequence: int
    """JetStream stream sequence: orders the parts of one report and stage."""
    trace_id: str | None
    indexed_at: datetime

    @property
    def stage(self) -> Stage:
        return "sectioned" if isinstance(self.report, SectionedReport) else "metrics"


@dataclass(frozen=True)
class StoredIds:
    """What a report doc records of the report's docs in the other indices (read by one mget per batch)."""

    section_ids: frozenset[str] = frozenset()
    metric_ids: frozenset[str] = frozenset()
    metric_keys: frozenset[str] = frozenset()
    """Headline keys to null when a new extraction no longer has them (partial updates merge objects)."""


@dataclass(frozen=True)
class Indices:
    """The write aliases of the three kinds (the version a reindex or replay is filling, if any)."""

    reports: str
    sections: str
    metrics: str


@dataclass
class BulkPlan:
    operations: list[dict[str, Any]] = field(default_factory=list)
    owners: list[tuple[int, ...]] = field(default_factory=list)
    """Per bulk action, i.e. per response item: the positions of the parts whose outcome it decides."""
    documents: dict[int, int] = field(default_factory=dict)
    """Per winning part: documents written for it (the count its reports.indexed.v1 announces)."""

    def add(self, owners: tuple[int, ...], action: dict[str, Any], source: dict[str, Any] | None = None) -> None:
        self.operations += [action] if source is None else [action, source]
        self.owners.append(owners)


STAGE_ORDER: tuple[Stage, ...] = ("sectioned", "metrics")
"""Merge order of a report's parts: the summary of the metrics part lands on the sectioned part's doc."""


@dataclass(frozen=True)
class PartDocuments:
    """What one part writes: report-doc fields, its docs in its own index, and that index's stale ids."""

    fields: dict[str, Any]
    index: str
    documents: dict[str, dict[str, Any]]
    stale: list[str]
    announced: int


def part_documents(part: ReportPart, known: StoredIds, indices: Indices) -> PartDocuments:
    report, report_id = part.report, part.report.report_id
    if isinstance(report, SectionedReport):
        sections = section_documents(report_id, report)
        fields = report_document(report_id, report, part.trace_id, part.indexed_at) | {"section_ids": sorted(sections)}
        stale = sorted(known.section_ids - sections.keys())
        return PartDocuments(fields, indices.sections, sections, stale, len(sections) + 1)  # + the report doc
    facts = metric_documents(report_id, report)
    fields = metrics_summary(report, known.metric_keys) | {"metric_ids": sorted(facts)}
    return PartDocuments(fields, indices.metrics, facts, sorted(known.metric_ids - facts.keys()), len(facts))


def latest_by_stage(parts: Sequence[ReportPart], positions: list[int]) -> list[tuple[int, tuple[int, ...]]]:
    """(winning position, every position of its stage) per stage present among one report's parts, in
    STAGE_ORDER; the winner is the latest in the stream."""
    by_stage: dict[Stage, list[int]] = defaultdict(list)
    for position in positions:
        by_stage[parts[position].stage].append(position)
    return [
        (max(by_stage[stage], key=lambda p: (parts[p].sequence, p)), tuple(by_stage[stage]))
        for stage in STAGE_ORDER
        if stage in by_stage
    ]


def plan_bulk(parts: Sequence[ReportPart], stored: Mapping[str, StoredIds], indices: Indices) -> BulkPlan:
    """The bulk request writing every part: per report one merged report-doc upsert, docs and stale deletes."""
    by_report: dict[str, list[int]] = defaultdict(list)
    for position, part in enumerate(parts):
        by_report[part.report.report_id].append(position)
    plan = BulkPlan()
    for report_id, positions in by_report.items():
        known = stored.get(report_id, StoredIds())
        written = [(winner, group, part_documents(parts[winner], known, indices))
                   for winner, group in latest_by_stage(parts, positions)]
        fields: dict[str, Any] = {}
        for _, _, documents in written:
            fields |= documents.fields
        update = {"_index": indices.reports, "_id": report_id, "retry_on_conflict": RETRY_ON_CONFLICT}
        plan.add(tuple(positions), {"update": update}, {"doc": fields, "doc_as_upsert": True})
        for winner, group, documents in written:
            for identity, document in documents.documents.items():
                plan.add(group, {"index": {"_index": documents.index, "_id": identity}}, document)
            for identity in documents.stale:
                plan.add(group, {"delete": {"_index": documents.index, "_id": identity}})
            plan.documents[winner] = documents.announced
    return plan
