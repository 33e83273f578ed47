"""`govreports follow`'s pure parts: which facts the filters let through, and how a fact is printed."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from services.cli.follow import Filters, default_durable, json_line, table_line
from shared.messages import MetricFact, MetricsReport, ReportMetadata


def fact(key: str, value: int = 7) -> MetricFact:
    return MetricFact(
        key=key, value=value, value_base=value, unit="件", source="text", evidence=f"{value}件", start=0, end=2
    )


def report(**metadata: object) -> MetricsReport:
    return MetricsReport(
        report_id="ab" * 32,
        event_id="e-1",
        produced_by="metric-extractor",
        produced_at=datetime.now(UTC),
        filename="r.txt",
        extractor_version="1.0.0",
        metadata=ReportMetadata(
            **{"region": "定西市", "province": "甘肃省", "admin_level": "city", "year": 2018, "adcode": "621100"}
            | metadata
        ),
        metrics=[fact("requests.new"), fact("requests.outcome.denied.total"), fact("requests.outcome_note")],
    )


def keys(facts: list[MetricFact]) -> list[str]:
    return [f.key for f in facts]


def test_no_filter_prints_every_fact() -> None:
    assert len(Filters().facts(report())) == 3


def test_a_key_matches_itself_and_what_lies_below_it_only() -> None:
    assert keys(Filters(keys=("requests.outcome",)).facts(report())) == ["requests.outcome.denied.total"]
    assert keys(Filters(keys=("requests.new", "requests.outcome_note")).facts(report())) == [
        "requests.new",
        "requests.outcome_note",
    ]


@pytest.mark.parametrize(
    ("filters", "shown"),
    [
        (Filters(regions=("定西市",)), True),
        (Filters(regions=("兰州市",)), False),
        (Filters(provinces=("甘肃省", "新疆维吾尔自治区")), True),
        (Filters(provinces=("新疆维吾尔自治区",)), False),
        (Filters(admin_levels=("city",)), True),
        (Filters(admin_levels=("county",)), False),
        (Filters(years=(2017, 2018)), True),
        (Filters(years=(2019,)), False),
        (Filters(regions=("定西市",), years=(2019,)), False),  # every filter must hold
    ],
)
def test_report_filters(filters: Filters, shown: bool) -> None:
    assert bool(filters.facts(report())) is shown


def test_a_report_without_the_filtered_facet_is_not_shown() -> None:
    assert Filters(years=(2018,)).facts(report(year=None)) == []


def test_a_json_line_is_the_fact_with_the_report_identity_and_facets() -> None:
    line = json.loads(json_line(report(), fact("requests.new", 120)))
    assert line["report_id"] == "ab" * 32 and line["event_id"] == "e-1"
    assert (line["region"], line["province"], line["admin_level"], line["year"]) == ("定西市", "甘肃省", "city", 2018)
    assert (line["key"], line["value"], line["unit"], line["evidence"]) == ("requests.new", 120, "件", "120件")


def test_a_table_line_shows_year_region_key_value_and_report() -> None:
    line = table_line(report(), fact("requests.new", 120))
    assert line.split()[:3] == ["2018", "定西市", "requests.new"] and "120 件" in line and ("ab" * 6) in line


def test_the_default_durable_is_a_valid_consumer_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("getpass.getuser", lambda: "li.ming wang")
    assert default_durable() == "follow-li_ming_wang"
