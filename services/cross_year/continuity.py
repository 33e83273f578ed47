"""The continuity pairs between a body's reports of consecutive years, as data: the one place they are defined.

From the metric catalog ("Cross-year continuity"; docs/metrics.md, Across years):
- this year's 上年结转 is last year's 结转下年度继续办理, per applicant column of table 三;
- 2021 table 二: `in_force`(Y) = `in_force`(Y−1) + `issued`(Y) − `repealed`(Y), for 规章 and for 行政规范性文件
  (only between two 2021-format reports: the 2019 columns mean something else).
From issue 11: review cases still pending (尚未审结) last year reappear in this year's totals, so this year's
总计 is at least last year's 尚未审结 (reconsideration, and litigation as the sum of its two blocks).
A failed pair is a fact about both reports, never a correction of either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from shared.messages.v1 import Applicant, Era

Relation = Literal["equal", "at_least"]


@dataclass(frozen=True)
class Term:
    """One figure of a prediction: a key of this year's or the previous year's report, added or subtracted."""

    key: str
    previous_year: bool
    sign: Literal[1, -1] = 1


@dataclass(frozen=True)
class ContinuityRule:
    """`actual` (this year's printed figure) must be equal to, or at least, the sum of the `expected` terms."""

    name: str
    actual: str
    expected: tuple[Term, ...]
    relation: Relation = "equal"
    applicants: tuple[Applicant, ...] = ("total",)
    era: Era | None = None
    """Both reports must be in this format (None: any)."""

    @property
    def keys(self) -> list[str]:
        return list(dict.fromkeys([self.actual, *(term.key for term in self.expected)]))


def _in_force(family: str) -> ContinuityRule:
    return ContinuityRule(
        f"{family}.in_force",
        f"{family}.in_force",
        (Term(f"{family}.in_force", True), Term(f"{family}.issued", False), Term(f"{family}.repealed", False, -1)),
        era="fmt2021",
    )


def _pending_reappears(block: str) -> ContinuityRule:
    return ContinuityRule(f"{block}.pending_reappears", f"{block}.total", (Term(f"{block}.pending", True),), "at_least")


RULES: tuple[ContinuityRule, ...] = (
    ContinuityRule(
        "requests.carried_over",
        "requests.carried_over",
        (Term("requests.carried_forward", True),),
        applicants=get_args(Applicant),
    ),
    _in_force("active.regulations"),
    _in_force("active.normative_docs"),
    _pending_reappears("reconsideration"),
    _pending_reappears("litigation"),
)

RULE_KEYS: frozenset[str] = frozenset(key for rule in RULES for key in rule.keys)
"""The only keys a report doc records for comparison."""
