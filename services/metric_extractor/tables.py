"""Facts from the parsed official tables, plus the subtotals those tables do not print.

A derived fact's evidence is the text span from its first part's cell to its last part's cell
(start of the earliest part, end of the latest): the smallest span that shows every addend.
"""

from __future__ import annotations

from collections.abc import Iterable

from services.metric_extractor.catalog import GROUP_ROWS, LITIGATION_BLOCKS, REVIEW_RESULTS, base_value, unit_for
from services.metric_extractor.sections import SectionLocator
from shared.messages.v1 import Applicant, MetricFact, SectionedDocument

FactIndex = dict[tuple[str, Applicant], MetricFact]

# total → parts, for every sum the extractor may derive (table 三 groups, table 四 litigation).
DERIVATIONS: dict[str, tuple[str, ...]] = {
    **GROUP_ROWS,
    **{
        f"litigation.{result}": tuple(f"{block}.{result}" for block in LITIGATION_BLOCKS)
        for result in (*REVIEW_RESULTS, "total")
    },
}


def table_facts(doc: SectionedDocument, locate: SectionLocator) -> list[MetricFact]:
    """One fact per keyed, non-empty cell (an empty template cell is not a zero)."""
    facts: list[MetricFact] = []
    for table in doc.tables:
        for cell in table.cells:
            if cell.key is None or cell.value is None:
                continue
            unit = unit_for(cell.key)
            facts.append(
                MetricFact(
                    key=cell.key,
                    value=cell.value,
                    value_base=base_value(cell.value, unit),
                    unit=unit,
                    applicant=cell.applicant,
                    source="table",
                    section=locate.kind_at(cell.start),
                    evidence=doc.text[cell.start : cell.end],
                    start=cell.start,
                    end=cell.end,
                )
            )
    return facts


def index(facts: Iterable[MetricFact]) -> FactIndex:
    """First annual fact per (key, applicant)."""
    found: FactIndex = {}
    for fact in facts:
        if fact.period == "annual":
            found.setdefault((fact.key, fact.applicant), fact)
    return found


def derived_facts(facts: list[MetricFact], text: str) -> list[MetricFact]:
    """Sums the official layout leaves out, per applicant column, when every part is present."""
    known = index(facts)
    derived: list[MetricFact] = []
    for applicant in sorted({applicant for _, applicant in known}):
        for total, parts in DERIVATIONS.items():
            found = [known.get((part, applicant)) for part in parts]
            if (total, applicant) in known or any(f is None for f in found):
                continue
            addends = [f for f in found if f is not None]
            value = sum(f.value for f in addends)
            start, end = min(f.start for f in addends), max(f.end for f in addends)
            unit = unit_for(total)
            fact = MetricFact(
                key=total,
                value=value,
                value_base=base_value(value, unit),
                unit=unit,
                applicant=applicant,
                source="table",
                section=addends[0].section,
                evidence=text[start:end],
                start=start,
                end=end,
            )
            derived.append(fact)
            known[(total, applicant)] = fact
    return derived
