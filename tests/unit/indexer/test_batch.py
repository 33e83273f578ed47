"""Planning one bulk request for a fetch: one report-doc write per report, stream order, stale deletes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from services.indexer.batch import Indices, ReportPart, StoredIds, plan_bulk
from shared.messages import MetricFact, MetricsReport, ReportMetadata, Section, SectionedReport

INDICES = Indices("reports", "sections", "metrics")
TEXT = "一、概述\n共受理申请25件。\n二、复议\n复议3件。\n"
META = ReportMetadata(title="定西市2018年报告", region="定西市", year=2018)
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def envelope(report_id: str) -> dict[str, Any]:
    return {"report_id": report_id, "event_id": f"e-{report_id}", "produced_by": "test", "produced_at": NOW}


def sectioned(report_id: str, sequence: int, sections: int = 2) -> ReportPart:
    all_sections = [Section(level=1, title="概述", kind="overview", start=0, end=17),
                    Section(level=1, title="复议", kind="review_litigation", start=17, end=len(TEXT))]
    report = SectionedReport(**envelope(report_id), filename="r.txt", source_format="text", text=TEXT,
                             metadata=META, extractor_version="v", sections=all_sections[:sections])
    return ReportPart(report, sequence, "trace", NOW)


def metrics(report_id: str, sequence: int, *keys: str) -> ReportPart:
    facts = [MetricFact(key=key, value=25, value_base=25, unit="件", source="text", evidence="受理申请25件",
                        start=7, end=14) for key in keys]
    report = MetricsReport(**envelope(report_id), filename="r.txt", metadata=META, metrics=facts,
                           extractor_version="v")
    return ReportPart(report, sequence, None, NOW)


def actions(plan_operations: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(action, index) of every action line of a bulk body (sources follow index/update lines)."""
    kinds = ("index", "update", "delete")
    return [(kind, line[kind]["_index"]) for line in plan_operations for kind in kinds if kind in line]


def report_update(operations: list[dict[str, Any]], report_id: str) -> dict[str, Any]:
    position = next(i for i, line in enumerate(operations) if line.get("update", {}).get("_id") == report_id)
    return operations[position + 1]["doc"]


def test_both_parts_of_a_report_make_one_report_doc_update() -> None:
    plan = plan_bulk([sectioned("r1", 1), metrics("r1", 2, "requests.new")], {}, INDICES)
    assert actions(plan.operations) == [("update", "reports"), ("index", "sections"), ("index", "sections"),
                                        ("index", "metrics")]
    doc = report_update(plan.operations, "r1")
    assert doc["region"] == "定西市" and doc["metric_count"] == 1 and doc["trace_id"] == "trace"
    assert len(doc["section_ids"]) == 2 and len(doc["metric_ids"]) == 1
    assert plan.owners == [(0, 1), (0,), (0,), (1,)]  # the shared report doc decides both parts
    assert plan.documents == {0: 3, 1: 1}


def test_a_metrics_part_earlier_in_the_fetch_merges_the_same_way() -> None:
    forward = plan_bulk([sectioned("r1", 1), metrics("r1", 2, "requests.new")], {}, INDICES)
    backward = plan_bulk([metrics("r1", 1, "requests.new"), sectioned("r1", 2)], {}, INDICES)
    assert report_update(backward.operations, "r1") == report_update(forward.operations, "r1")


def test_the_later_message_of_a_report_and_stage_wins_and_the_other_is_superseded() -> None:
    newer, older = sectioned("r1", 9, sections=1), sectioned("r1", 4, sections=2)
    plan = plan_bulk([newer, older], {}, INDICES)  # handlers may hand them in out of stream order
    assert len(report_update(plan.operations, "r1")["section_ids"]) == 1
    assert plan.documents == {0: 2}  # only the winner is announced
    assert all(owners == (0, 1) for owners in plan.owners)  # the superseded part shares the winner's fate


def test_ids_the_report_doc_lists_but_the_new_parts_lack_are_deleted() -> None:
    first = plan_bulk([sectioned("r1", 1), metrics("r1", 2, "requests.new", "appeals.total")], {}, INDICES)
    before = report_update(first.operations, "r1")
    stored = {"r1": StoredIds(frozenset(before["section_ids"]), frozenset(before["metric_ids"]),
                              frozenset(before["metric_keys"]))}
    plan = plan_bulk([sectioned("r1", 3, sections=1), metrics("r1", 4, "requests.new")], stored, INDICES)
    deletes = [line["delete"]["_id"] for line in plan.operations if "delete" in line]
    assert len(deletes) == 2  # the second section, the dropped fact
    assert set(deletes) <= set(before["section_ids"]) | set(before["metric_ids"])
    assert report_update(plan.operations, "r1")["metrics"] == {"requests.new": 25.0, "appeals.total": None}


def test_a_part_alone_writes_only_its_own_fields() -> None:
    plan = plan_bulk([metrics("r1", 1, "requests.new"), sectioned("r2", 2)], {}, INDICES)
    assert "metric_ids" in report_update(plan.operations, "r1") and "text" not in report_update(plan.operations, "r1")
    assert "section_ids" in report_update(plan.operations, "r2") and "metric_ids" not in report_update(
        plan.operations, "r2"
    )
