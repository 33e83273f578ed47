"""Pure cross-year comparison (no broker, Elasticsearch, clock or tracing).

`compare` evaluates the continuity rules on two reports' figures; `doc_state` is what a report doc shows
given every report of its body one year before or after it. Both are functions of the figures only, so
the order in which reports arrive, or a re-extraction, cannot change the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.cross_year.continuity import RULE_KEYS, RULES, ContinuityRule
from services.cross_year.identity import ReportingBody, reporting_body
from shared.messages import CrossYearCheck, MetricFact, MetricsReport
from shared.messages.v1 import Applicant, Era

Figures = Mapping[str, int | float]
"""`key[applicant]` → value in the base unit."""


def figure_name(key: str, applicant: Applicant) -> str:
    return f"{key}[{applicant}]"


def figures_of(facts: Iterable[MetricFact]) -> dict[str, int | float]:
    """The figures the rules read: annual and exact (an approximate 约/余 figure proves nothing about an
    equality); the first fact of a key and applicant, as the extractor keeps one."""
    figures: dict[str, int | float] = {}
    for fact in facts:
        if fact.key in RULE_KEYS and fact.period == "annual" and fact.qualifier is None:
            figures.setdefault(figure_name(fact.key, fact.applicant), fact.value_base)
    return figures


@dataclass(frozen=True)
class YearFigures:
    """What one report brings to a comparison: its covered year, format and figures."""

    year: int
    era: Era | None
    figures: Figures


@dataclass(frozen=True)
class CrossYearResult:
    """The checks of one pair of reports, in rule order."""

    checks: tuple[CrossYearCheck, ...] = ()


def _evaluate(
    rule: ContinuityRule, applicant: Applicant, current: YearFigures, previous: YearFigures
) -> CrossYearCheck | None:
    """One rule for one applicant column; None when a figure it needs is missing from either report."""
    actual = current.figures.get(figure_name(rule.actual, applicant))
    terms = [
        ((previous if term.previous_year else current).figures.get(figure_name(term.key, applicant)), term.sign)
        for term in rule.expected
    ]
    if actual is None or any(value is None for value, _ in terms):
        return None
    expected = sum(sign * value for value, sign in terms if value is not None)
    passed = actual == expected if rule.relation == "equal" else actual >= expected
    return CrossYearCheck(
        name=f"{rule.name}[{applicant}]",
        passed=passed,
        year=current.year,
        previous_year=previous.year,
        expected=expected,
        actual=actual,
        keys=rule.keys,
    )


def compare(current: YearFigures, previous: YearFigures | None) -> CrossYearResult:
    """Every continuity rule whose figures both reports state; nothing without a report of the year before."""
    if previous is None or previous.year != current.year - 1:
        return CrossYearResult()
    checks = []
    for rule in RULES:
        if rule.era is not None and not current.era == previous.era == rule.era:
            continue
        for applicant in rule.applicants:
            if (check := _evaluate(rule, applicant, current, previous)) is not None:
                checks.append(check)
    return CrossYearResult(tuple(checks))


@dataclass(frozen=True)
class Basis:
    """What the service records on a report doc: who reported which year, from which extraction, what figures."""

    report_id: str
    event_id: str
    produced_at: datetime
    """When the extraction was published: a later extraction of the same report supersedes an earlier one."""
    body: ReportingBody | None
    year: int | None
    era: Era | None
    figures: Figures

    @property
    def comparable(self) -> bool:
        return self.body is not None and self.year is not None

    def supersedes(self, other: Basis) -> bool:
        return (self.produced_at, self.event_id) > (other.produced_at, other.event_id)

    def year_figures(self) -> YearFigures:
        if self.year is None:
            raise ValueError(f"report {self.report_id} has no covered year")
        return YearFigures(self.year, self.era, self.figures)


def basis_of(report: MetricsReport) -> Basis:
    metadata = report.metadata
    return Basis(
        report_id=report.report_id,
        event_id=report.event_id,
        produced_at=report.produced_at,
        body=reporting_body(metadata),
        year=metadata.year,
        era=metadata.era,
        figures=figures_of(report.metrics),
    )


def in_order(one: Basis, other: Basis) -> tuple[Basis, Basis]:
    """(the later year's report, the earlier year's) of two adjacent-year reports."""
    return (one, other) if (one.year or 0) > (other.year or 0) else (other, one)


def pair_result(one: Basis, other: Basis) -> CrossYearResult:
    current, previous = in_order(one, other)
    return compare(current.year_figures(), previous.year_figures())


def doc_state(basis: Basis, partners: Iterable[Basis]) -> dict[str, Any]:
    """The `cross_year` results of a report doc: its checks against each adjacent-year report of its body
    (`other_report_id`, `other_year`), the names that failed, and a status for filters."""
    checks: list[dict[str, Any]] = []
    for partner in sorted(partners, key=lambda p: (p.year or 0, p.report_id)):
        for check in pair_result(basis, partner).checks:
            checks.append(check.model_dump() | {"other_report_id": partner.report_id, "other_year": partner.year})
    failed = sorted({check["name"] for check in checks if not check["passed"]})
    return {"checks": checks, "failed": failed, "status": "none" if not checks else "failed" if failed else "passed"}


def comparison(current: Basis, previous: Basis) -> dict[str, Any]:
    """Payload of reports.crossyear.v1 for one pair (the envelope is the wiring's)."""
    if current.body is None or current.year is None or previous.year is None:
        raise ValueError("only reports of one body and adjacent years are compared")
    return {
        "adcode": current.body.adcode,
        "issuer": current.body.issuer,
        "year": current.year,
        "previous_year": previous.year,
        "previous_report_id": previous.report_id,
        "previous_event_id": previous.event_id,
        "checks": list(pair_result(current, previous).checks),
    }
