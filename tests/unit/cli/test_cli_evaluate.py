"""Quality measurement: scoring rules, and the real chain against the seed and synthetic gold sets."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from services.cli.evaluate import EvalReport, Score, evaluate, format_report, score_metrics
from services.cli.extract import run_extraction
from tests.support.gold import SEED_GOLD_DIR as SEED_GOLD

REPO = Path(__file__).resolve().parents[3]
FIXTURE_GOLD = REPO / "tests" / "fixtures" / "gold"  # for the section-splitter's tests/fixtures/reports
SYNTHETIC_GOLD = FIXTURE_GOLD / "synthetic"  # documents in tests/fixtures/gold/reports


@pytest.fixture(scope="module")
def seed_report() -> EvalReport:
    return evaluate(SEED_GOLD, REPO / "seeds")


@pytest.fixture(scope="module")
def synthetic_report() -> EvalReport:
    return evaluate(SYNTHETIC_GOLD)


def fact(key: str, value: float, applicant: str = "total", value_base: float | None = None) -> dict[str, object]:
    base = value if value_base is None else value_base
    return {"key": key, "value": value, "value_base": base, "applicant": applicant, "evidence": "…"}


def test_seed_gold_is_fully_recalled_and_precise(seed_report: EvalReport) -> None:
    totals = seed_report.totals()
    assert totals["metrics"].recall == 1.0, [r.missed for r in seed_report.reports]
    assert totals["metrics"].precision >= 0.95, [r.spurious for r in seed_report.reports]
    assert len(seed_report.reports) == 5


def test_seed_headline_facts_through_the_real_chain() -> None:
    result = run_extraction(next((REPO / "seeds").glob("000_*.txt")))
    values = {f["key"]: f["value"] for f in result["metrics"] if f["applicant"] == "total"}
    assert (values["requests.new"], values["reconsideration.total"]) == (120, 26)


def test_synthetic_2019_and_2021_gold(synthetic_report: EvalReport) -> None:
    assert len(synthetic_report.reports) == 2
    totals = synthetic_report.totals()
    assert totals["metrics"].recall == 1.0, [r.missed for r in synthetic_report.reports]
    assert totals["metrics"].precision >= 0.95, [r.spurious for r in synthetic_report.reports]
    assert totals["sections"].f1 == 1.0


@pytest.mark.parametrize("name", ["nanzhang_2022_fmt2021.txt", "ningguo_2019_fmt2019.txt"])
def test_synthetic_reports_pass_their_checks(name: str) -> None:
    result = run_extraction(FIXTURE_GOLD / "reports" / name)
    assert len(result["checks"]) == 17  # 2 per applicant column + 3 table-四 blocks
    assert all(c["passed"] for c in result["checks"])


def test_splitter_fixture_gold() -> None:
    report = evaluate(FIXTURE_GOLD)
    totals = report.totals()
    assert len(report.reports) == 6
    assert totals["metrics"].recall == 1.0, [r.missed for r in report.reports]
    assert totals["metrics"].precision >= 0.95, [r.spurious for r in report.reports]


def test_report_ends_with_a_json_summary(seed_report: EvalReport) -> None:
    lines = format_report(seed_report).splitlines()
    summary = json.loads(lines[-1])
    assert summary["reports"] == 5
    assert summary["fields"]["metrics"]["recall"] == 1.0
    assert summary["metrics_emitted_unscoped"] >= summary["fields"]["metrics"]["tp"]
    assert summary["cpu_ms"]["max"] > 0
    assert lines[0].startswith("document")


def test_extract_json_shape() -> None:
    path = next((REPO / "seeds").glob("001_*.txt"))
    result = run_extraction(path)
    assert result["report_id"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert set(result) == {"report_id", "metadata", "sections", "metrics", "checks"}
    assert set(result["sections"][0]) == {"level", "title", "kind", "start", "end"}
    assert set(result["metrics"][0]) == {"key", "value", "value_base", "unit", "qualifier", "applicant", "period",
                                         "source", "section", "evidence", "start", "end"}  # fmt: skip


def test_metric_matching_rules() -> None:
    gold = [
        {"key": ["active.normative_docs.issued", "active.normative_docs.published"], "value": 17},
        {"key": "expenditure.total", "value": 50000},  # stated as 5万元
        {"key": "requests.new", "value": 58, "applicant": "natural_person"},
        {"key": "requests.new", "value": 66},
    ]
    found = [
        fact("active.normative_docs.published", 17),
        fact("expenditure.total", 5, value_base=50000),
        fact("requests.new", 58, "natural_person"),
        fact("requests.new", 60),  # wrong value: a false positive and a miss
        fact("requests.new", 8, "commercial_enterprise"),  # column not annotated: out of scope
        fact("training.meetings", 8),  # key not annotated: out of scope
    ]
    score, missed, spurious = score_metrics(gold, found)
    assert (score.tp, score.fp, score.fn) == (3, 1, 1)
    assert missed == ["requests.new[total]=66"]
    assert spurious[0].startswith("requests.new[total]=60")


def test_empty_score_is_perfect_and_f1_combines() -> None:
    assert (Score().precision, Score().recall) == (1.0, 1.0)
    assert Score(tp=1, fp=1, fn=0).f1 == pytest.approx(2 / 3)
