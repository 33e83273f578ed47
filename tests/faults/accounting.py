"""What became of every report sent: the pure counting behind each row of the fault table.

A report is *indexed* when its report doc carries both stage summaries and all its section docs are
there; *dead-lettered* when its bytes sit in failed/ beside a `.error.txt` (the user can act on it);
*lost* otherwise. Deterministic `_id`s mean a healthy pipeline can never hold more section or fact
docs than the report doc counts, nor one report id twice: anything above is a duplicate.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Snapshot:
    """Raw observations of one batch: from Elasticsearch, failed/ and the dead-letter subjects."""

    report_hits: Counter[str] = field(default_factory=Counter)  # report _id → hits under the read alias
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)  # report _id → its _source counts
    section_docs: Counter[str] = field(default_factory=Counter)  # report_id → section docs
    metric_docs: Counter[str] = field(default_factory=Counter)  # report_id → fact docs
    failed: set[str] = field(default_factory=set)  # report ids of the bytes in failed/ with a reason
    dead_letters: Counter[str] = field(default_factory=Counter)  # report_id → messages on dlq.reports.>


@dataclass
class Tally:
    fault: str
    sent: int
    indexed: int
    duplicated: int
    dead_lettered: int
    lost: int
    seconds: float
    dlq_messages: int
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Failed checks beyond the counting (a cluster not healthy again after a node loss)."""

    @property
    def ok(self) -> bool:
        return self.lost == 0 and self.duplicated == 0 and not self.problems


def complete(snapshot: Snapshot, report_id: str) -> bool:
    """Both stages reached the report doc and every section doc is written (they may trail it)."""
    summary = snapshot.summaries.get(report_id, {})
    if "metric_count" not in summary or "section_count" not in summary:
        return False
    return snapshot.section_docs[report_id] >= summary["section_count"]


def duplicated(snapshot: Snapshot, report_id: str) -> bool:
    summary = snapshot.summaries.get(report_id, {})
    return (
        snapshot.report_hits[report_id] > 1
        or snapshot.section_docs[report_id] > summary.get("section_count", snapshot.section_docs[report_id])
        or snapshot.metric_docs[report_id] > summary.get("metric_count", snapshot.metric_docs[report_id])
    )


def settled(snapshot: Snapshot, sent: set[str]) -> bool:
    """Nothing left to wait for: every report is indexed or dead-lettered."""
    return all(complete(snapshot, rid) or rid in snapshot.failed for rid in sent)


def tally(fault: str, sent: set[str], snapshot: Snapshot, seconds: float) -> Tally:
    indexed = {rid for rid in sent if complete(snapshot, rid)}
    dead = {rid for rid in sent - indexed if rid in snapshot.failed}
    notes = []
    if partial := len({rid for rid in sent - indexed if rid in snapshot.summaries}):
        notes.append(f"{partial} half-indexed")
    if misfiled := len(indexed & snapshot.failed):
        notes.append(f"{misfiled} indexed reports' bytes in failed/")
    if unrecorded := len({rid for rid in sent - indexed - dead if snapshot.dead_letters[rid]}):
        notes.append(f"{unrecorded} dead letters without their file in failed/")
    return Tally(
        fault=fault,
        sent=len(sent),
        indexed=len(indexed),
        duplicated=sum(1 for rid in sent if duplicated(snapshot, rid)),
        dead_lettered=len(dead),
        lost=len(sent) - len(indexed) - len(dead),
        seconds=round(seconds, 1),
        dlq_messages=sum(snapshot.dead_letters[rid] for rid in sent),
        notes=notes,
    )
