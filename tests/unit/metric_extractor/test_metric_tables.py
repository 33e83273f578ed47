"""Table-cell facts, derived subtotals and the 勾稽 checks (passing and visibly failing)."""

from __future__ import annotations

from services.metric_extractor.transform import extract_metrics
from shared.messages.v1 import Check, MetricsDocument
from tests.unit.metric_extractor.builders import APPLICANTS, document, requests_rows, table_text

OUT = "requests.outcome"
# (自然人, 商业企业) per row of a 2021 table 三 that adds up; 总计 is their sum.
CONSISTENT = {
    "requests.new": (58, 8),
    "requests.carried_over": (2, 0),
    f"{OUT}.granted": (27, 3),
    f"{OUT}.partial": (9, 1),
    f"{OUT}.denied.state_secret": (1, 0),
    f"{OUT}.denied.law_prohibited": (0, 0),
    f"{OUT}.denied.security_stability": (0, 0),
    f"{OUT}.denied.third_party": (2, 0),
    f"{OUT}.denied.internal_affairs": (1, 0),
    f"{OUT}.denied.process_info": (1, 0),
    f"{OUT}.denied.enforcement_file": (0, 0),
    f"{OUT}.denied.admin_query": (0, 0),
    f"{OUT}.unable.not_held": (9, 2),
    f"{OUT}.unable.needs_creation": (2, 0),
    f"{OUT}.unable.unclear": (1, 0),
    f"{OUT}.not_processed.petition_complaint": (3, 0),
    f"{OUT}.not_processed.duplicate": (1, 0),
    f"{OUT}.not_processed.publication": (0, 0),
    f"{OUT}.not_processed.excessive": (0, 0),
    f"{OUT}.not_processed.confirm_reissue": (0, 0),
    f"{OUT}.other.overdue_correction": (1, 0),
    f"{OUT}.other.overdue_fee": (0, 0),
    f"{OUT}.other.other": (1, 0),
    f"{OUT}.total": (59, 6),  # 27+9+5+12+4+2 and 3+1+2
    "requests.carried_forward": (1, 2),  # 58+2-59 and 8+0-6
}
# Table 四: 复议 4|1|0|3|8, 直接起诉 5|0|0|0|5, 复议后起诉 2|1|1|0|4.
REVIEW = {
    "reconsideration": (4, 1, 0, 3, 8),
    "litigation.direct": (5, 0, 0, 0, 5),
    "litigation.after_reconsideration": (2, 1, 1, 0, 4),
}


def extract(rows: dict[str, tuple[float | None, float | None]], prose: str = "") -> MetricsDocument:
    text, table = table_text("requests", requests_rows(rows), prefix="三、收到和处理政府信息公开申请情况\n")
    return extract_metrics(document(text + prose, [("三、", 1, "requests")], [table]))


def review_document(blocks: dict[str, tuple[int, ...]]) -> MetricsDocument:
    rows = {
        f"{block}.{result}": [("total", value)]
        for block, values in blocks.items()
        for result, value in zip(("upheld", "corrected", "other", "pending", "total"), values, strict=True)
    }
    text, table = table_text("review_litigation", rows)
    return extract_metrics(document(text, tables=[table]))


def values(doc: MetricsDocument, applicant: str = "total") -> dict[str, float]:
    return {f.key: f.value for f in doc.metrics if f.applicant == applicant}


def checks(doc: MetricsDocument) -> dict[str, Check]:
    return {c.name: c for c in doc.checks}


def test_every_cell_is_a_fact_with_its_evidence() -> None:
    doc = extract(CONSISTENT)
    new = next(f for f in doc.metrics if f.key == "requests.new" and f.applicant == "natural_person")
    assert (new.value, new.unit, new.source, new.section, new.evidence) == (58, "件", "table", "requests", "58")
    assert len([f for f in doc.metrics if f.key == "requests.new"]) == 7


def test_group_subtotals_are_derived_per_column() -> None:
    doc = extract(CONSISTENT)
    assert values(doc, "natural_person")[f"{OUT}.denied.total"] == 5
    assert values(doc)[f"{OUT}.unable.total"] == 14
    assert values(doc)[f"{OUT}.not_processed.total"] == 4
    assert values(doc)[f"{OUT}.other.total"] == 2
    denied = next(f for f in doc.metrics if f.key == f"{OUT}.denied.total" and f.applicant == "total")
    # evidence runs from the first addend cell (state_secret 总计 = 1) to the last (admin_query 总计 = 0)
    assert denied.evidence.startswith("1 |\n") and denied.evidence.endswith(
        f"{OUT}.denied.admin_query | 0 | 0 | 0 | 0 | 0 | 0 | 0"
    )


def test_consistent_table_passes_every_check() -> None:
    found = checks(extract(CONSISTENT))
    assert {c.passed for c in found.values()} == {True}
    assert len(found) == 14  # balance + outcome sum for each of the 7 columns
    assert found["requests.balance[total]"].expected == found["requests.balance[total]"].actual == 68


def test_a_table_that_does_not_add_up_fails_visibly() -> None:
    broken = {**CONSISTENT, f"{OUT}.granted": (28, 3)}
    found = checks(extract(broken))
    failed = {name for name, c in found.items() if not c.passed}
    assert failed == {f"{OUT}.total[natural_person]", f"{OUT}.total[total]"}
    check = found[f"{OUT}.total[natural_person]"]
    assert (check.expected, check.actual) == (59, 60)
    assert f"{OUT}.granted" in check.keys


def test_balance_check_fails_on_wrong_carry_forward() -> None:
    found = checks(extract({**CONSISTENT, "requests.carried_forward": (2, 2)}))
    assert not found["requests.balance[natural_person]"].passed
    assert found["requests.balance[commercial_enterprise]"].passed


def test_printed_subtotal_is_checked_against_its_rows() -> None:
    found = checks(extract({**CONSISTENT, f"{OUT}.denied.total": (6, 0)}))
    assert not found[f"{OUT}.denied.total[natural_person]"].passed
    assert found[f"{OUT}.denied.total[commercial_enterprise]"].passed


def test_empty_cells_are_not_zeros() -> None:
    doc = extract({**CONSISTENT, f"{OUT}.denied.third_party": (None, 0)})
    assert not [f for f in doc.metrics if f.key == f"{OUT}.denied.third_party" and f.applicant == "natural_person"]
    assert f"{OUT}.denied.total" not in values(doc, "natural_person")  # not derived from a missing row
    assert f"{OUT}.total[natural_person]" not in checks(doc)  # its inputs do not all exist


def test_template_without_data_yields_nothing() -> None:
    text, table = table_text("requests", {key: [(a, None) for a in APPLICANTS] for key in CONSISTENT})
    doc = extract_metrics(document(text, tables=[table]))
    assert (doc.metrics, doc.checks) == ([], [])


def test_table_beats_prose_for_the_same_key() -> None:
    doc = extract(CONSISTENT, prose="本年度共收到政府信息公开申请70件。")
    new = [f for f in doc.metrics if f.key == "requests.new" and f.applicant == "total"]
    assert [(f.value, f.source) for f in new] == [(66, "table")]


def test_litigation_totals_are_sums_of_the_two_blocks() -> None:
    doc = review_document(REVIEW)
    found = values(doc)
    assert (found["litigation.upheld"], found["litigation.total"], found["litigation.other"]) == (7, 9, 1)
    assert {c.name: c.passed for c in doc.checks} == {
        "reconsideration.total[total]": True,
        "litigation.direct.total[total]": True,
        "litigation.after_reconsideration.total[total]": True,
    }


def test_review_block_that_does_not_add_up_fails() -> None:
    doc = review_document({**REVIEW, "litigation.direct": (5, 0, 0, 0, 6)})
    check = checks(doc)["litigation.direct.total[total]"]
    assert (check.passed, check.expected, check.actual) == (False, 6, 5)


def test_money_cells_carry_a_base_value() -> None:
    text, table = table_text("active_disclosure", {"active.admin_fees.amount": [("total", 240.5)]})
    fact = extract_metrics(document(text, tables=[table])).metrics[0]
    assert (fact.value, fact.unit, fact.value_base) == (240.5, "万元", 2405000)


def test_sections_are_summarised() -> None:
    doc = extract(CONSISTENT)
    assert [(s.level, s.kind) for s in doc.sections] == [(1, "requests")]
