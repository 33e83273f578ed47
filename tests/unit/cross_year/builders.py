"""Small metrics reports and bases for the cross-year tests (synthetic bodies and figures)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from services.cross_year.identity import ReportingBody
from services.cross_year.transform import Basis
from shared.messages import MetricFact, MetricsReport, ReportMetadata
from shared.messages.v1 import Applicant, Era

BODY = ReportingBody("330111", "望川县人民政府")
EXTRACTED_AT = datetime(2031, 2, 1, tzinfo=UTC)


def fact(key: str, value: float, applicant: Applicant = "total", **fields: Any) -> MetricFact:
    evidence = f"{key} {value}"
    return MetricFact(
        key=key,
        value=value,
        value_base=value,
        unit="件",
        applicant=applicant,
        source="table",
        evidence=evidence,
        start=0,
        end=len(evidence),
        **fields,
    )


def metrics_report(
    report_id: str,
    year: int,
    facts: list[MetricFact],
    era: Era = "fmt2021",
    event_id: str | None = None,
    issuer: str = "望川县人民政府",
    adcode: str | None = "330111",
) -> MetricsReport:
    metadata = ReportMetadata(
        issuer=issuer,
        region="望川县",
        adcode=adcode,
        year=year,
        era=era,
        title=f"{issuer}{year}年政府信息公开工作年度报告",
    )
    return MetricsReport(
        report_id=report_id,
        event_id=event_id or f"metrics-{report_id}",
        produced_by="test",
        produced_at=EXTRACTED_AT,
        filename=f"{report_id}.txt",
        metadata=metadata,
        metrics=facts,
        extractor_version="test",
    )


def basis(
    report_id: str,
    year: int | None,
    figures: dict[str, float] | None = None,
    era: Era | None = "fmt2021",
    body: ReportingBody | None = BODY,
) -> Basis:
    """A recorded basis; `figures` by name, e.g. {"requests.carried_over[total]": 3}."""
    return Basis(report_id, f"metrics-{report_id}", EXTRACTED_AT, body, year, era, figures or {})
