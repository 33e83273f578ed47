"""Choosing one fact per (key, applicant) among tables, restatements and conflicting prose.

Order of preference, each step only among what the previous one left:
1. a table cell (or a sum of cells) over any prose — except in a pre-2019 report, where the prose
   figure is the fact and a differing appendix cell becomes a failed check (docs/policies.md);
2. statements closest to the key's home section (its own chapter, then a sub-section of that kind
   elsewhere, then anywhere); in a breakdown family (requests.channel.*) a part whose count a closer
   statement assigns to a sibling is the same requests described twice, and is dropped;
3. annual over cumulative (累计…);
4. the whole jurisdiction (全州…) over an unscoped statement; a part (州政府本级…, 县直部门…, 其中… of a
   same-key total) is never the body's fact (docs/metrics.md: facts are about the whole reporting body);
5. the first statement over later restatements.
"""

from __future__ import annotations

from collections import defaultdict

from services.metric_extractor.catalog import (
    BREAKDOWN_FAMILIES,
    TABLE_FOLDS,
    UNPUBLISHED_KEYS,
    base_value,
    family_of,
    home_section,
    in_catalog_unit,
)
from services.metric_extractor.prose import TextFact
from shared.messages.v1 import Check, MetricFact


def _home_score(fact: TextFact) -> int:
    """2 in the key's own chapter (三、依申请…), 1 in such a sub-section of another chapter, else 0."""
    home = home_section(fact.key)
    return 0 if home is None else int(fact.section == home) + int(fact.chapter == home)


def _restated_parts(text: list[TextFact]) -> set[int]:
    """Indexes of breakdown parts whose count a closer statement gives to a sibling key (14件: 其他方式 vs 信函)."""
    # (family, value) → {key: best home score}; a part loses to a sibling key with a higher score
    best: dict[tuple[str, float], dict[str, int]] = defaultdict(dict)
    for fact in text:
        if family_of(fact.key) in BREAKDOWN_FAMILIES:
            scores = best[(family_of(fact.key), fact.value)]
            scores[fact.key] = max(scores.get(fact.key, -1), _home_score(fact))
    return {
        i
        for i, fact in enumerate(text)
        if family_of(fact.key) in BREAKDOWN_FAMILIES
        and any(
            key != fact.key and score > _home_score(fact)
            for key, score in best[(family_of(fact.key), fact.value)].items()
        )
    }


def _rank(fact: TextFact) -> tuple[int, int, int, int]:
    return (-_home_score(fact), int(fact.period != "annual"), -fact.scope, fact.start)


def _to_metric(fact: TextFact, doc_text: str) -> MetricFact:
    value, unit = in_catalog_unit(fact.key, fact.value, fact.unit)
    return MetricFact(
        key=fact.key,
        value=value,
        value_base=base_value(fact.value, fact.unit),
        unit=unit,
        qualifier=fact.qualifier,
        period=fact.period,
        source="text",
        section=fact.section,
        evidence=doc_text[fact.start : fact.end],
        start=fact.start,
        end=fact.end,
    )


def _prose_vs_table(key: str, prose: TextFact, cell: MetricFact) -> Check:
    """The failed check that records an appendix cell the prose contradicts: expected = prose, actual = table."""
    return Check(name=f"prose_vs_table.{key}", passed=False, expected=prose.value, actual=cell.value, keys=[key])


def choose(
    table: list[MetricFact], text: list[TextFact], doc_text: str, prose_first: bool
) -> tuple[list[MetricFact], list[Check]]:
    """The facts to publish, in text order, and the prose/table disagreements (`prose_first`: pre-2019)."""
    restated = _restated_parts(text)
    text = [f for i, f in enumerate(text) if f.scope >= 0 and i not in restated]
    chosen: dict[tuple[str, str], MetricFact] = {}
    for fact in table:
        chosen.setdefault((fact.key, fact.applicant), fact)
    by_key: dict[str, list[TextFact]] = defaultdict(list)
    for fact in text:
        by_key[fact.key].append(fact)
    best = {key: min(statements, key=_rank) for key, statements in by_key.items()}
    checks: list[Check] = []
    for key, statement in best.items():
        cell = chosen.get((key, "total"))
        if cell is None:
            chosen[(key, "total")] = _to_metric(statement, doc_text)
        elif prose_first and statement.period == "annual" and statement.value != cell.value:
            folded = statement.value + sum(best[part].value for part in TABLE_FOLDS.get(key, ()) if part in best)
            if folded != cell.value:
                checks.append(_prose_vs_table(key, statement, cell))
                chosen[(key, "total")] = _to_metric(statement, doc_text)
    published = [f for f in chosen.values() if f.key not in UNPUBLISHED_KEYS]
    return sorted(published, key=lambda f: (f.start, f.key, f.applicant)), checks
