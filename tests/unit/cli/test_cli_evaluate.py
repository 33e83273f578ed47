"""Quality measurement: scoring rules, and the real chain against the seed and synthetic gold sets."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from services.cli.evaluate import (
    EvalReport,
    Score,
    annotated_pairs,
    classify_misses,
    evaluate,
    format_report,
    score_metrics,
    score_unscoped,
)
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
    assert set(result) == {"report_id", "source_format", "metadata", "sections", "metrics", "checks", "warnings"}
    assert result["source_format"] == "text"
    assert set(result["sections"][0]) == {"level", "title", "kind", "start", "end"}
    assert set(result["metrics"][0]) == {"key", "value", "value_base", "unit", "qualifier", "applicant", "period",
                                         "source", "section", "evidence", "start", "end", "derived", "box"}  # fmt: skip


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


def test_unscoped_precision_judges_keys_the_document_does_not_annotate() -> None:
    gold = [{"key": "requests.new", "value": 12}]
    found = [fact("requests.new", 12), fact("active.total", 300), fact("training.meetings", 4)]
    covered = annotated_pairs(gold) | {("active.total", "total")}  # another gold file annotates active.total
    scoped, _, _ = score_metrics(gold, found)
    unscoped = score_unscoped(gold, found, covered)
    assert (scoped.tp, scoped.fp) == (1, 0)
    assert (unscoped.tp, unscoped.fp) == (1, 1)  # active.total=300 is stated nowhere: a false positive


def test_misses_are_classified() -> None:
    gold = [
        {"key": "requests.new", "value": 12, "evidence": "共收到申请12件"},
        {"key": "active.total", "value": 312, "evidence": "主动公开信息312条"},
        {"key": "reconsideration.total", "value": 3, "evidence": "行政复议 2 0 1 0 3"},
        {"key": "fees.collected", "value": 0, "evidence": "未收取任何费用"},
    ]
    found = [fact("requests.new", 13), {**fact("active.channel.website", 312), "evidence": "主动公开信息312条"}]
    assert classify_misses(gold, found) == {
        "wrong value": 1,
        "other key": 1,
        "not found (table)": 1,
        "not found (prose)": 1,
    }


def test_a_crash_is_measured_and_the_run_goes_on(tmp_path: Path) -> None:
    gold_dir, docs = tmp_path / "gold", tmp_path / "docs"
    gold_dir.mkdir()
    docs.mkdir()
    (docs / "empty.txt").write_bytes(b"")  # refused by the normalizer: an exception for the chain
    seed = next((REPO / "seeds").glob("000_*.txt"))
    (docs / seed.name).write_bytes(seed.read_bytes())
    (gold_dir / "a.json").write_text(json.dumps({"file": "docs/empty.txt", "metrics": [{"key": "requests.new",
                                                                                       "value": 1}]}))
    (gold_dir / "b.json").write_text(json.dumps({"file": f"docs/{seed.name}", "metrics": [
        {"key": "requests.new", "value": 120}]}))
    report = evaluate(gold_dir)
    assert [r.crash is not None for r in report.reports] == [True, False]
    assert report.summary()["crashes"] == 1
    assert report.miss_classes()["crash"] == 1
    assert report.totals()["metrics"].tp == 1
    assert "crashes: 1 (docs/empty.txt)" in format_report(report)


def test_another_rendering_of_the_same_document_is_scored(tmp_path: Path) -> None:
    seed = next((REPO / "seeds").glob("000_*.txt"))
    (tmp_path / "page.txt").write_bytes(seed.read_bytes())
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "page.json").write_text(json.dumps({"file": "page.html", "metrics": [
        {"key": "requests.new", "value": 120}]}))
    assert evaluate(tmp_path / "gold", rendering="txt").reports[0].seed_file == "page.txt"
    assert evaluate(tmp_path / "gold").reports == []  # page.html is not there: nothing to score


def test_breakdown_by_era_and_format(seed_report: EvalReport) -> None:
    summary = seed_report.summary()
    assert summary["metrics_by_era"]["pre2019"]["tp"] == summary["fields"]["metrics"]["tp"]
    assert set(summary["metrics_by_format"]) == {"text"}
    assert summary["metrics_unscoped"]["precision"] >= 0.95


def test_cumulative_facts_are_not_judged_against_the_covered_year(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "gold").mkdir()
    report = "望川县2030年政府信息公开工作年度报告\n一、依申请公开情况\n自2008年以来,历年累计受理申请150件。"
    (tmp_path / "docs" / "a.txt").write_text(report, encoding="utf-8")
    (tmp_path / "gold" / "a.json").write_text(json.dumps({"file": "docs/a.txt", "metrics": [
        {"key": "requests.new", "value": 12}]}))
    facts = run_extraction(tmp_path / "docs" / "a.txt")["metrics"]
    assert [(f["key"], f["value"], f["period"]) for f in facts] == [("requests.new", 150, "cumulative")]
    score = evaluate(tmp_path / "gold").reports[0]
    assert (score.fields["metrics"].fp, score.fields["metrics"].fn) == (0, 1)  # a miss, not a wrong annual figure
