"""The indexer's document mapping: deterministic ids, facets on every doc, summary of checks."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from importlib import resources

from services.indexer import transform
from services.indexer.elastic import missing_fields
from shared.messages import Check, MetricFact, MetricsDocument, ReportMetadata, Section, SectionedDocument
from shared.messages.v1 import PageBox, Placement

META = ReportMetadata(title="定西市2018年报告", region="定西市", province="甘肃省", admin_level="city", year=2018)
TEXT = "一、概述\n共受理申请25件。\n"


def metrics(*facts: MetricFact, checks: tuple[Check, ...] = ()) -> MetricsDocument:
    return MetricsDocument(filename="r", metadata=META, metrics=list(facts), checks=list(checks), extractor_version="v")


def fact(key: str, value: float, applicant: str = "total") -> MetricFact:
    return MetricFact(key=key, value=value, value_base=value, unit="件", applicant=applicant, source="text",
                      evidence="受理申请25件", start=12, end=19)


def template_fields(kind: str) -> set[str]:
    text = resources.files("services.indexer").joinpath("templates", f"govreports-{kind}.json").read_text("utf-8")
    return set(json.loads(text)["template"]["mappings"]["properties"])


def test_documents_only_use_fields_the_strict_templates_declare() -> None:
    doc = SectionedDocument(filename="r", source_format="text", text=TEXT, metadata=META, extractor_version="v",
                            sections=[Section(level=1, title="概述", kind="overview", start=0, end=len(TEXT))])
    report = transform.report_document("r1", doc, None, datetime.now(UTC))
    summary = transform.metrics_summary(metrics(fact("requests.new", 25)))
    assert set(report) | set(summary) <= template_fields("reports")
    assert set(next(iter(transform.section_documents("r1", doc).values()))) <= template_fields("sections")
    assert set(next(iter(transform.metric_documents("r1", metrics(fact("requests.new", 25))).values()))) <= (
        template_fields("metrics")
    )


def test_fact_ids_are_stable_and_distinguish_applicants() -> None:
    facts = (fact("requests.new", 25), fact("requests.new", 3, "natural_person"))
    first = transform.metric_documents("r1", metrics(*facts))
    again = transform.metric_documents("r1", metrics(*facts))
    assert list(first) == list(again) and len(first) == 2


def test_summary_flags_failed_checks_and_headlines_totals() -> None:
    failed = Check(name="requests.balance", passed=False, expected=10, actual=9, keys=["requests.new"])
    summary = transform.metrics_summary(
        metrics(fact("requests.new", 25), fact("requests.new", 3, "natural_person"), checks=(failed,)),
        previous_keys={"requests.new", "litigation.total"},
    )
    assert summary["check_status"] == "failed" and summary["checks_failed"] == 1
    assert summary["metrics"] == {"requests.new": 25.0, "litigation.total": None}


def test_only_a_strict_mapping_is_given_the_fields_it_lacks() -> None:
    wanted = {"properties": {"text": {"type": "text"}, "body": {"type": "text"}}}
    strict = {"dynamic": "strict", "properties": {"text": {"type": "text"}}}
    assert missing_fields(strict, wanted) == {"body": {"type": "text"}}
    assert missing_fields({"dynamic": "strict", **wanted}, wanted) == {}
    assert missing_fields({"properties": {}}, wanted) == {}  # dynamic: new fields are mapped as they come


def test_a_pdf_fact_carries_its_box_and_the_report_leaves_the_layout_out() -> None:
    placement = Placement(page=2, x0=220.0, top=67.9, x1=260.0, bottom=85.9, start=12, end=19)
    doc = SectionedDocument(filename="r.pdf", source_format="pdf", text=TEXT, metadata=META, extractor_version="v",
                            layout=[placement])
    assert "layout" not in transform.report_document("r1", doc, None, datetime.now(UTC))  # the reports index is strict
    box = PageBox(page=2, x0=220.0, top=67.9, x1=260.0, bottom=85.9)
    boxed = fact("requests.new", 25).model_copy(update={"box": box})
    (document,) = transform.metric_documents("r1", metrics(boxed)).values()
    mapping = json.loads(
        resources.files("services.indexer").joinpath("templates", "govreports-metrics.json").read_text("utf-8")
    )
    assert document["box"] == {"page": 2, "x0": 220.0, "top": 67.9, "x1": 260.0, "bottom": 85.9}
    assert set(document["box"]) == set(mapping["template"]["mappings"]["properties"]["box"]["properties"])
