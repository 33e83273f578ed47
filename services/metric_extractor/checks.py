"""The consistency identities (勾稽) of tables 三 and 四, evaluated on the chosen facts.

A check is emitted only when every input exists; `expected` is the printed side of the identity,
`actual` the sum of the other side. Names carry the applicant column: `requests.balance[total]`.
"""

from __future__ import annotations

from collections.abc import Iterable

from services.metric_extractor.catalog import GROUP_ROWS, OUTCOME_PARTS, REVIEW_BLOCKS, REVIEW_RESULTS
from services.metric_extractor.tables import FactIndex, index
from shared.messages.v1 import Applicant, Check, MetricFact

_TOLERANCE = 1e-6  # values are integers or 万元 with a few decimals


def _check(
    name: str, known: FactIndex, applicant: Applicant, left: Iterable[str], right: Iterable[str]
) -> Check | None:
    left, right = list(left), list(right)
    facts = [known.get((key, applicant)) for key in left + right]
    if any(f is None for f in facts):
        return None
    values = [f.value for f in facts if f is not None]
    expected, actual = sum(values[: len(left)]), sum(values[len(left) :])
    return Check(
        name=f"{name}[{applicant}]",
        passed=abs(expected - actual) < _TOLERANCE,
        expected=expected,
        actual=actual,
        keys=left + right,
    )


def run_checks(facts: list[MetricFact], derived: Iterable[MetricFact]) -> list[Check]:
    """Every identity whose inputs exist; a derived group total is not checked against its own rows."""
    known = index(facts)
    computed = {(f.key, f.applicant) for f in derived}
    applicants = sorted({applicant for key, applicant in known if key.startswith("requests.")})
    candidates: list[Check | None] = []
    for applicant in applicants:
        candidates.append(
            _check(
                "requests.balance",
                known,
                applicant,
                ("requests.new", "requests.carried_over"),
                ("requests.outcome.total", "requests.carried_forward"),
            )
        )
        candidates.append(
            _check("requests.outcome.total", known, applicant, ("requests.outcome.total",), OUTCOME_PARTS)
        )
        candidates.extend(
            _check(total, known, applicant, (total,), rows)
            for total, rows in GROUP_ROWS.items()
            if (total, applicant) not in computed
        )
    candidates.extend(
        _check(f"{block}.total", known, "total", (f"{block}.total",), [f"{block}.{r}" for r in REVIEW_RESULTS])
        for block in REVIEW_BLOCKS
        if (f"{block}.total", "total") not in computed
    )
    return [c for c in candidates if c is not None]
