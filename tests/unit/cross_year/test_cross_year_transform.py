"""compare() and the results of a report doc: the continuity pairs of the metric catalog, as pure functions."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from services.cross_year.continuity import RULES
from services.cross_year.transform import YearFigures, basis_of, compare, comparison, doc_state, figures_of
from tests.unit.cross_year.builders import BODY, EXTRACTED_AT, basis, fact, metrics_report

CARRIED = "requests.carried_over"


def without_other(check: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in check.items() if not name.startswith("other_")}


def test_carried_over_equals_last_years_carried_forward_per_applicant_column() -> None:
    previous = YearFigures(
        2021, "fmt2021", {"requests.carried_forward[total]": 3, "requests.carried_forward[natural_person]": 2}
    )
    current = YearFigures(
        2022, "fmt2021", {"requests.carried_over[total]": 3, "requests.carried_over[natural_person]": 2}
    )
    checks = compare(current, previous).checks
    assert [(c.name, c.passed, c.expected, c.actual) for c in checks] == [
        ("requests.carried_over[total]", True, 3, 3),
        ("requests.carried_over[natural_person]", True, 2, 2),
    ]
    assert checks[0].keys == [CARRIED, "requests.carried_forward"]
    assert (checks[0].year, checks[0].previous_year) == (2022, 2021)


def test_an_unequal_pair_fails_with_both_figures_and_corrects_neither() -> None:
    previous = YearFigures(2021, "fmt2021", {"requests.carried_forward[total]": 5})
    current = YearFigures(2022, "fmt2021", {"requests.carried_over[total]": 3})
    (check,) = compare(current, previous).checks
    assert (check.passed, check.expected, check.actual) == (False, 5, 3)
    assert current.figures == {"requests.carried_over[total]": 3}


def test_a_figure_missing_from_either_report_makes_no_check() -> None:
    previous = YearFigures(2021, "fmt2021", {"requests.carried_forward[total]": 5})
    assert compare(YearFigures(2022, "fmt2021", {"requests.new[total]": 9}), previous).checks == ()
    assert compare(YearFigures(2022, "fmt2021", {"requests.carried_over[natural_person]": 5}), previous).checks == ()


def test_no_previous_report_or_not_the_year_before_compares_nothing() -> None:
    current = YearFigures(2022, "fmt2021", {"requests.carried_over[total]": 3})
    assert compare(current, None).checks == ()
    assert compare(current, YearFigures(2020, "fmt2021", {"requests.carried_forward[total]": 3})).checks == ()
    assert compare(current, YearFigures(2023, "fmt2021", {"requests.carried_forward[total]": 3})).checks == ()


def test_documents_in_force_follow_last_year_plus_issued_minus_repealed_between_2021_tables() -> None:
    docs = "active.normative_docs"
    previous = {f"{docs}.in_force[total]": 16}
    current = {f"{docs}.issued[total]": 4, f"{docs}.repealed[total]": 4, f"{docs}.in_force[total]": 16}
    (check,) = compare(YearFigures(2024, "fmt2021", current), YearFigures(2023, "fmt2021", previous)).checks
    assert (check.name, check.passed, check.expected, check.actual) == (f"{docs}.in_force[total]", True, 16, 16)
    assert check.keys == [f"{docs}.in_force", f"{docs}.issued", f"{docs}.repealed"]
    wrong = current | {f"{docs}.in_force[total]": 9}
    (failed,) = compare(YearFigures(2024, "fmt2021", wrong), YearFigures(2023, "fmt2021", previous)).checks
    assert (failed.passed, failed.expected, failed.actual) == (False, 16, 9)
    # the 2019 table's columns mean something else: never compared with a 2021 one
    assert compare(YearFigures(2021, "fmt2021", current), YearFigures(2020, "fmt2019", previous)).checks == ()


def test_review_cases_pending_last_year_reappear_in_this_years_total() -> None:
    previous = YearFigures(2023, "fmt2021", {"reconsideration.pending[total]": 1, "litigation.pending[total]": 2})
    current = YearFigures(2024, "fmt2021", {"reconsideration.total[total]": 1, "litigation.total[total]": 1})
    checks = {c.name: (c.passed, c.expected, c.actual) for c in compare(current, previous).checks}
    assert checks == {
        "reconsideration.pending_reappears[total]": (True, 1, 1),
        "litigation.pending_reappears[total]": (False, 2, 1),
    }


def test_every_rule_reads_only_keys_of_the_catalog_families() -> None:
    families = {"requests", "active", "reconsideration", "litigation"}
    assert {key.split(".")[0] for rule in RULES for key in rule.keys} == families


def test_figures_are_annual_exact_and_the_first_of_a_key_and_applicant() -> None:
    facts = [
        fact(CARRIED, 3),
        fact(CARRIED, 4),  # a second statement of the same figure: the extractor keeps one, so do we
        fact(CARRIED, 2, "natural_person"),
        fact("requests.carried_forward", 7, period="cumulative"),
        fact("reconsideration.total", 5, qualifier="approx"),
        fact("requests.new", 120),  # no rule reads it
    ]
    assert figures_of(facts) == {"requests.carried_over[total]": 3, "requests.carried_over[natural_person]": 2}


def test_basis_of_a_report_names_its_body_year_and_extraction() -> None:
    report = metrics_report("r22", 2022, [fact(CARRIED, 3)], issuer="临湖市望川县人民政府办公室")
    recorded = basis_of(report)
    assert (recorded.body, recorded.year, recorded.era, recorded.event_id) == (BODY, 2022, "fmt2021", "metrics-r22")
    assert recorded.figures == {"requests.carried_over[total]": 3} and recorded.comparable
    assert not basis_of(metrics_report("zone", 2022, [], adcode=None)).comparable


def test_a_later_extraction_supersedes_an_earlier_one() -> None:
    first = basis("r", 2022)
    later = replace(first, produced_at=EXTRACTED_AT + timedelta(minutes=1))
    assert later.supersedes(first) and not first.supersedes(later) and not first.supersedes(first)


def test_a_doc_shows_its_checks_against_the_year_before_and_the_year_after() -> None:
    r21 = basis("r21", 2021, {"requests.carried_forward[total]": 3, "requests.carried_over[total]": 1})
    r22 = basis("r22", 2022, {"requests.carried_over[total]": 3, "requests.carried_forward[total]": 4})
    r23 = basis("r23", 2023, {"requests.carried_over[total]": 0})
    state = doc_state(r22, [r23, r21])
    assert [(c["name"], c["passed"], c["year"], c["other_report_id"], c["other_year"]) for c in state["checks"]] == [
        ("requests.carried_over[total]", True, 2022, "r21", 2021),
        ("requests.carried_over[total]", False, 2023, "r23", 2023),
    ]
    assert state["failed"] == ["requests.carried_over[total]"] and state["status"] == "failed"
    assert doc_state(r22, [r21, r23]) == state  # the order partners are found in does not matter
    on_r21 = doc_state(r21, [r22])["checks"][0]  # one pair: the same check on both docs, each naming the other
    assert (on_r21["other_report_id"], on_r21["other_year"]) == ("r22", 2022)
    assert without_other(on_r21) == without_other(state["checks"][0])
    assert doc_state(r22, [r21])["status"] == "passed"
    assert doc_state(r22, []) == {"checks": [], "failed": [], "status": "none"}


def test_the_event_of_a_pair_names_both_reports_and_extractions() -> None:
    r21 = basis("r21", 2021, {"requests.carried_forward[total]": 3})
    r22 = basis("r22", 2022, {"requests.carried_over[total]": 2})
    payload = comparison(r22, r21)
    assert {k: v for k, v in payload.items() if k != "checks"} == {
        "adcode": "330111",
        "issuer": "望川县人民政府",
        "year": 2022,
        "previous_year": 2021,
        "previous_report_id": "r21",
        "previous_event_id": "metrics-r21",
    }
    assert [(c.name, c.passed) for c in payload["checks"]] == [("requests.carried_over[total]", False)]
