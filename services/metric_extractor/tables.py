"""Facts from the parsed official tables, plus the subtotals those tables do not print.

A derived fact's evidence is the text span from its first part's cell to its last part's cell
(start of the earliest part, end of the latest): the smallest span that shows every addend.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from services.metric_extractor.catalog import (
    APPLICANT_COLUMNS,
    GLUED_ROW_KEYS,
    GROUP_ROWS,
    LITIGATION_BLOCKS,
    REVIEW_RESULTS,
    base_value,
    unit_for,
)
from services.metric_extractor.prose import TextFact
from services.metric_extractor.sections import SectionLocator
from shared.messages.v1 import Applicant, MetricFact, SectionedDocument, SectionKind, Table, TableCell

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


def _table_fact(
    key: str, value: int | float, applicant: Applicant, section: SectionKind | None, text: str, span: tuple[int, int],
    derived: bool = False,
) -> MetricFact:
    """A fact read from (or summed over) table cells, in its catalog unit, with the cells as evidence."""
    unit, (start, end) = unit_for(key), span
    return MetricFact(
        key=key,
        value=value,
        value_base=base_value(value, unit),
        unit=unit,
        applicant=applicant,
        period="cumulative" if key.endswith("cumulative_total") else "annual",
        source="table",
        section=section,
        evidence=text[start:end],
        start=start,
        end=end,
        derived=derived,
    )


def _fact_from(cell: TableCell, text: str, locate: SectionLocator) -> MetricFact:
    span = (cell.start, cell.end)
    return _table_fact(str(cell.key), cell.value or 0, cell.applicant, locate.kind_at(cell.start), text, span)


def _cell_facts(table: Table, text: str, locate: SectionLocator) -> list[MetricFact]:
    keyed = (c for c in table.cells if c.key is not None and c.value is not None and not _cumulative(c))
    return [_fact_from(cell, text, locate) for cell in keyed]


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
    span = (min(f.start for f in addends), max(f.end for f in addends))
    value = sum(f.value for f in addends)
    return _table_fact(key, value, applicant, addends[0].section, text, span, derived=True)


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


# How the splitter reports a glued run it could not split uniquely (docs/tables.md, ambiguous runs).
_AMBIGUOUS_RUN = re.compile(
    r"^(?P<label>[^:]+): glued run (?P<run>[0-9][0-9 ]*) is ambiguous \([0-9]+ splits\), left out; "
    r"candidates: (?P<candidates>[0-9|; ]+)$"
)


def _with_sums(keys: tuple[str, ...], split: tuple[int, ...]) -> dict[str, float]:
    """A candidate's cells by key, plus the sums the prose may restate instead (litigation.total)."""
    values: dict[str, float] = dict(zip(keys, split, strict=True))
    for total, parts in DERIVATIONS.items():
        if total not in values and all(part in values for part in parts):
            values[total] = sum(values[part] for part in parts)
    return values


def _settle(
    table: Table, warning: str, restated: dict[str, set[float]], text: str, locate: SectionLocator
) -> tuple[list[MetricFact], str] | None:
    """The cells of an ambiguous run when exactly one candidate agrees with every prose restatement."""
    match = _AMBIGUOUS_RUN.match(warning)
    if match is None:
        return None
    keys = GLUED_ROW_KEYS.get((table.era, match["label"])) or GLUED_ROW_KEYS.get((None, match["label"]))
    if keys is None:
        return None
    candidates = [c.split("|") for c in match["candidates"].split(";")]
    splits = [
        tuple(int(v) for v in c) for c in candidates if len(c) == len(keys) and all(v.strip().isdigit() for v in c)
    ]
    readings = [(s, _with_sums(keys, s)) for s in splits]
    undecided = {k for k in restated if len({values.get(k) for _, values in readings}) > 1}
    if not undecided:
        return None  # the prose restates none of the undecided cells
    agreeing = [s for s, values in readings if all(values[k] in restated[k] for k in restated if k in values)]
    if len(agreeing) != 1:
        return None
    open_keys = [i for i in range(len(keys)) if len({s[i] for s, _ in readings}) > 1]
    start = text.find(match["run"], table.start, table.end)
    if start < 0:
        return None
    end = start + len(match["run"])
    cell = TableCell(row=match["label"], column="", value=None, raw=match["run"], start=start, end=end)
    facts = [
        _fact_from(cell.model_copy(update={"key": keys[i], "value": agreeing[0][i]}), text, locate) for i in open_keys
    ]
    return facts, f"{match['label']}: glued run {match['run']} read as {agreeing[0]}, the split its prose restates"


def prose_settled_runs(
    doc: SectionedDocument, prose: list[TextFact], locate: SectionLocator, warnings: list[str]
) -> list[MetricFact]:
    """Ambiguous glued table-二 runs settled by the report's own prose (制发行政规范性文件31件 → 31|1|190)."""
    restated: dict[str, set[float]] = defaultdict(set)
    for fact in prose:
        if fact.period == "annual" and fact.scope >= 0:
            restated[fact.key].add(fact.value)
    facts: list[MetricFact] = []
    for table in doc.tables:
        for warning in table.warnings:
            try:
                settled = _settle(table, warning, restated, doc.text, locate)
            except Exception as error:  # a malformed candidate list costs only that run
                warnings.append(f"{table.kind} table: candidates not read: {type(error).__name__}: {error}")
                continue
            if settled is not None:
                facts += settled[0]
                warnings.append(settled[1])
    return facts
