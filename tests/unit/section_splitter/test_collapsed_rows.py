"""Rows whose repeated cells a crawler collapsed are re-expanded only where the sum blocks allow one reading."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from services.section_splitter.collapsed import collapsed_expansions


def collapse(row: tuple[int, ...]) -> list[int]:
    """What crawler text keeps of a row: one line per run of equal cells."""
    return [value for i, value in enumerate(row) if i == 0 or row[i - 1] != value]


def test_an_all_zero_row_is_one_zero() -> None:
    assert collapsed_expansions([0], 7, (7,)) == [(0,) * 7]
    assert collapsed_expansions([0], 3) == [(0, 0, 0)]  # table 二 row: every cell equal


def test_the_total_of_a_requests_row_comes_back() -> None:
    # 19 natural persons, 1 public-welfare organisation, total 20: the zeros between are ambiguous
    rows = collapsed_expansions([19, 0, 1, 0, 20], 7, (7,))
    assert {row[-1] for row in rows} == {20}
    assert {row[0] for row in rows} == {19}
    assert len(rows) > 1  # where the 1 sits is not recoverable


def test_a_table_four_row_keeps_only_what_every_reading_shares() -> None:
    # 行政复议 尚未审结 1, 总计 1, everything else 0 — or the same in one of the two 行政诉讼 groups
    rows = collapsed_expansions([0, 1, 0], 15, (5, 5, 5))
    pending_one = (0, 0, 0, 1, 1)
    zeros = (0,) * 5
    assert sorted(rows) == sorted([pending_one + zeros * 2, zeros + pending_one + zeros])


def test_a_distinct_table_four_row_is_unique() -> None:
    # 复议 维持 2 纠正 0 其他 1 未审结 0 总计 3, litigation all zero
    assert collapsed_expansions([2, 0, 1, 0, 3, 0], 15, (5, 5, 5)) == [(2, 0, 1, 0, 3) + (0,) * 10]


def test_unreadable_rows_give_nothing() -> None:
    assert collapsed_expansions([2, 5], 3) == []  # 2 2 5 or 2 5 5: no identity decides
    assert collapsed_expansions([3, 3], 7, (7,)) == []  # equal neighbours never come out of a collapse
    assert collapsed_expansions([], 7, (7,)) == []
    assert collapsed_expansions(list(range(1, 9)), 7, (7,)) == []  # more values than cells


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.integers(0, 30), min_size=4, max_size=4), st.lists(st.integers(0, 3), min_size=6, max_size=6))
def test_the_true_row_is_always_among_the_expansions(parts: list[int], applicants: list[int]) -> None:
    review = (*parts, sum(parts))
    table_four = review + review + (0, 0, 0, 0, 0)
    assert table_four in collapsed_expansions(collapse(table_four), 15, (5, 5, 5))
    requests = (*applicants, sum(applicants))
    assert requests in collapsed_expansions(collapse(requests), 7, (7,))
