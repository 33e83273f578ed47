"""Facts from the parsed official tables, plus the subtotals those tables do not print.

A derived fact's evidence is the text span from its first part's cell to its last part's cell
(start of the earliest part, end of the latest): the smallest span that shows every addend.
"""

from __future__ import annotations

from collections.abc import Iterable

from services.metric_extractor.catalog import (
    APPLICANT_COLUMNS,
    GROUP_ROWS,
    LITIGATION_BLOCKS,
    REVIEW_RESULTS,
    base_value,
    unit_for,
)
from services.metric_extractor.sections import SectionLocator
from shared.messages.v1 import Applicant, MetricFact, SectionedDocument, Table, TableCell

FactIndex = dict[tuple[str, Applicant], MetricFact]

# total → parts, for every sum the extractor may derive (table 三 groups, table 四 litigation).
DERIVATIONS: dict[str, tuple[str, ...]] = {
    **GROUP_ROWS,
    **{
        f"litigation.{result}": tuple(f"{block}.{result}" for block in LITIGATION_BLOCKS)
        for result in (*REVIEW_RESULTS, "total")
    },
}


def _cumulative(cell: TableCell) -> bool:
    """A 历年累计 column of the 2008–2018 statistics table: never an annual fact (docs/policies.md)."""
    return "累计" in cell.column and not (cell.key or "").endswith("cumulative_total")


def _cell_facts(table: Table, text: str, locate: SectionLocator) -> list[MetricFact]:
    facts: list[MetricFact] = []
    for cell in table.cells:
        if cell.key is None or cell.value is None or _cumulative(cell):
            continue
        unit = unit_for(cell.key)
        facts.append(
            MetricFact(
                key=cell.key,
                value=cell.value,
                value_base=base_value(cell.value, unit),
                unit=unit,
                applicant=cell.applicant,
                period="cumulative" if cell.key.endswith("cumulative_total") else "annual",
                source="table",
                section=locate.kind_at(cell.start),
                evidence=text[cell.start : cell.end],
                start=cell.start,
                end=cell.end,
            )
        )
    return facts


def table_facts(doc: SectionedDocument, locate: SectionLocator, warnings: list[str]) -> list[MetricFact]:
    """One fact per keyed, non-empty cell (an empty template cell is not a zero).

    A table whose cells cannot be read is left out with a warning; the report keeps its other facts.
    """
    facts: list[MetricFact] = []
    for table in doc.tables:
        try:
            facts += _cell_facts(table, doc.text, locate)
        except Exception as error:  # one bad table must not cost the report
            warnings.append(f"{table.kind} table at {table.start}-{table.end} skipped: {type(error).__name__}: {error}")
    return facts


def index(facts: Iterable[MetricFact]) -> FactIndex:
    """First annual fact per (key, applicant)."""
    found: FactIndex = {}
    for fact in facts:
        if fact.period == "annual":
            found.setdefault((fact.key, fact.applicant), fact)
    return found


def _sum(key: str, applicant: Applicant, addends: list[MetricFact], text: str) -> MetricFact:
    value = sum(f.value for f in addends)
    start, end = min(f.start for f in addends), max(f.end for f in addends)
    unit = unit_for(key)
    return MetricFact(
        key=key,
        value=value,
        value_base=base_value(value, unit),
        unit=unit,
        applicant=applicant,
        source="table",
        section=addends[0].section,
        evidence=text[start:end],
        start=start,
        end=end,
        derived=True,
    )


def _blank_totals(known: FactIndex, text: str) -> list[MetricFact]:
    """A table-三 row with a blank 总计 but every applicant cell printed: 总计 = Σ applicants (docs/metrics.md)."""
    derived: list[MetricFact] = []
    for key in sorted({key for key, applicant in known if applicant != "total"}):
        found = [known.get((key, applicant)) for applicant in APPLICANT_COLUMNS]
        if (key, "total") in known or any(f is None for f in found):
            continue
        fact = _sum(key, "total", [f for f in found if f is not None], text)
        derived.append(fact)
        known[(key, "total")] = fact
    return derived


def derived_facts(facts: list[MetricFact], text: str) -> list[MetricFact]:
    """Sums the official layout leaves out, per applicant column, when every part is present."""
    known = index(facts)
    derived = _blank_totals(known, text)
    for applicant in sorted({applicant for _, applicant in known}):
        for total, parts in DERIVATIONS.items():
            found = [known.get((part, applicant)) for part in parts]
            if (total, applicant) in known or any(f is None for f in found):
                continue
            fact = _sum(total, applicant, [f for f in found if f is not None], text)
            derived.append(fact)
            known[(total, applicant)] = fact
    return derived
