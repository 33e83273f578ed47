"""Locate and read the official tables 二/三/四 (2019 and 2021 formats) and the 2008–2018
statistics appendix, in any flattening.

Per docs/tables.md ("How the table engine reads a table"): find a region by its header content,
tokenise every cell in order, walk the expected row sequence assigning the values that follow
each label, and validate with the identities. Glued digit runs and collapsed rows are split
only where the identities leave exactly one reading; otherwise the cells are left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import accumulate, pairwise, product
from math import prod

from shared.messages.v1 import Era, Table, TableCell, TableStyle

from .channels import find_channel_tables
from .collapsed import blank_placements, collapsed_expansions
from .glued import glued_splits
from .layouts import (
    ACTIVE_2019,
    ACTIVE_2021,
    REQUESTS_2019,
    REQUESTS_2021,
    REVIEW,
    STATS_CUMULATIVE_KEYS,
    STATS_UNIT,
    Column,
    Layout,
    Row,
    StatRow,
    result_key,
    stat_row,
)
from .tokens import MARKDOWN_RULE, Token, fold_label, tokenize

_WINDOW = 15000  # chars read after an anchor; a docx-style 2021 表三 is ~4k
_CONFIRM = 1500  # the era header words must follow the anchor within this many chars
_LOOKAHEAD = 4  # a label may skip at most 3 missing rows, so header words never jump ahead
_PENDING_JUNK = 12  # a longer unmatched label between a row label and its values ends the row
_MIN_ROWS = 2  # prose naming one row label is not a table (表四's single row excepted)
_MIN_PARTIAL = 5  # a 表四 row narrower than its 15 cells must still fill one block
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SPACES = (" ", "\t", "\u3000")  # a value set apart by these is printed alone, not glued


_SENTENCE = re.compile("。")
# 表四 may carry a `注:…。` footnote between header and values: its window ends at the next chapter.
_SUBTOTAL = re.compile(r"(?:小计|合计)$")
_NEXT_CHAPTER = re.compile(r"[一二三四五六七八九十]{1,2}\s*[、.．](?!\d)")
_REVIEW_WINDOW = 2500
_REVIEW_CONFIRM = 400
_REVIEW_WORD = r"行\s*政\s*复\s*议"


@dataclass(frozen=True, eq=False)
class _Family:
    """A table family: its layouts, where it starts, what proves it, and what ends its window."""

    layouts: tuple[Layout, ...]
    anchor: re.Pattern[str]
    confirm: re.Pattern[str]
    end: re.Pattern[str] = _SENTENCE
    window: int = _WINDOW
    confirm_within: int = _CONFIRM


_FAMILIES = (
    _Family(
        (ACTIVE_2021, ACTIVE_2019),
        re.compile(r"第二十条第\s*[(（]\s*一\s*[)）]\s*项|信息内容"),
        re.compile(r"本年制发件数|本年新制作数量|处理决定数量"),
    ),
    _Family(
        (REQUESTS_2021, REQUESTS_2019),
        re.compile(r"[(（]?本列数据的勾稽关系|申请人情况|(?:[一1][、.．]\s*)?本年度?新收政府信息公开申请数量"),
        re.compile(r"本年度?新收"),
    ),
    # The header content, not a line start: glued to its heading (`…情况行政复议行政诉讼结果维持`),
    # split by Word spans (`行 政复议`), or one sub-table per block (`### 行政复议` + `| 结果维持 |`).
    _Family(
        (REVIEW,),
        # (`…行政复议行政诉讼情况` is the chapter title, not the header)
        re.compile(rf"{_REVIEW_WORD}(?=[\s|#]*(?:{_REVIEW_WORD}[\s|]*)*(?:行\s*政\s*诉\s*讼(?!\s*情\s*况)|结\s*果))"),
        # the block header follows at once; PDF may split it one character per line (`维 纠 结 审`),
        # while an intro listing the parts (`…、行政复议行政诉讼情况、…`) has none of it nearby
        re.compile(r"维\s*持|维\s+纠|未\s*经\s*复\s*议|复\s*议\s*后\s*起\s*诉|尚\s*未\s*审\s*结"),
        _NEXT_CHAPTER,
        _REVIEW_WINDOW,
        _REVIEW_CONFIRM,
    ),
)


@dataclass
class _Hit:
    """A row label found in the text and the value slots that follow it."""

    row: int
    label_end: int
    slots: list[Token] = field(default_factory=list)


@dataclass
class _Reading:
    layout: Layout
    start: int
    end: int
    hits: dict[int, _Hit]
    subtotals: list[_Hit] = field(default_factory=list)  # printed 小计 rows, `row` = the group's last row


def find_tables(text: str, era_hint: Era | None = None, warnings: list[str] | None = None) -> list[Table]:
    """Every official table in the text, plus ad-hoc channel tables, in text order.

    A defect while reading one table costs that table: the exception becomes a line in
    `warnings` (the document's), never a failed report.
    """
    tables: list[Table] = []
    taken: list[tuple[int, int]] = []
    anchors = {family: [m.start() for m in family.anchor.finditer(text)] for family in _FAMILIES}
    official = sorted(pos for starts in anchors.values() for pos in starts)
    readers: list[tuple[int, Callable[[int], Table | None]]] = []
    for family in _FAMILIES:
        others = sorted(pos for other, starts in anchors.items() if other is not family for pos in starts)
        readers += [(start, partial(_table_at, text, family, others=others)) for start in anchors[family]]
    for match in _STATS_ANCHOR.finditer(text):
        end = min(len(text), match.start() + _STATS_WINDOW)
        limit = next((pos for pos in official if pos > match.start()), end)
        readers.append((match.start(), partial(_stats_table, text, limit=min(limit, end))))
    for start, read in readers:
        if any(a <= start < b for a, b in taken):
            continue
        try:
            table = read(start)
        except Exception as exc:
            if warnings is not None:
                warnings.append(f"table at {start} skipped: {type(exc).__name__}: {exc}")
            continue
        if table is not None:
            taken.append((table.start, table.end))
            tables.append(table)
    known_era = next((t.era for t in tables if t.era), era_hint)
    tables = [t.model_copy(update={"era": known_era}) if t.era is None else t for t in tables]
    tables.extend(find_channel_tables(text, taken))
    return sorted(tables, key=lambda t: t.start)


def _table_at(text: str, family: _Family, start: int, others: Sequence[int]) -> Table | None:
    """Read a table at a confirmed anchor; the window ends at the family's end mark or the next table."""
    if not family.confirm.search(text, start, start + family.confirm_within):
        return None
    end = family.end.search(text, start, start + family.window)
    limit = end.end() if end else min(len(text), start + family.window)
    limit = min(limit, next((pos for pos in others if pos > start), limit))
    tokens = list(tokenize(text, start, limit))
    readings = [_read(text, layout, tokens, start) for layout in family.layouts]
    best = max(readings, key=lambda r: (_signed(text, r), len(r.hits)))
    if len(best.hits) < min(_MIN_ROWS, len(best.layout.rows)):
        return None
    return _to_table(text, best)


def _signed(text: str, reading: _Reading) -> bool:
    signature = reading.layout.signature
    return bool(signature and signature.search(text, reading.start, reading.end))


def _read(text: str, layout: Layout, tokens: list[Token], start: int) -> _Reading:
    """Walk the tokens once; each label stretch selects rows, the values after it fill the last."""
    if layout.rows[0].pattern is None:
        return _read_unlabelled(text, layout, tokens, start)
    hits: dict[int, _Hit] = {}
    subtotals: list[_Hit] = []
    current: _Hit | None = None
    label: list[Token] = []

    def flush() -> None:
        """Match the pending label text against the rows still expected."""
        nonlocal current
        folded = fold_label("".join(t.text for t in label))
        label.clear()
        last = max(hits, default=-1)
        # a label printed again before its values (a `### 一、…` caption, then the Markdown row) re-binds
        pointer = last if last >= 0 and not hits[last].slots else last + 1
        rows = _match_rows(layout.rows, folded, pointer)
        for row in rows:
            hits[row] = _Hit(row, label_end)
        if rows:
            current = hits[rows[-1]]
        elif _SUBTOTAL.search(folded) and last >= 0:
            current = _Hit(last, label_end)  # checked against its group, never a row of its own
            subtotals.append(current)
        elif current is not None and (current.slots or len(folded) > _PENDING_JUNK):
            current = None

    label_end = start
    for token in tokens:
        if token.kind == "text":
            if not label and current is not None and current.slots and max(hits) == len(layout.rows) - 1:
                break  # the last row has its values
            label.append(token)
            label_end = token.end
            continue
        if label:
            flush()
        if token.kind == "stop":
            if hits:
                break
            current = None
        elif current is not None:
            current.slots.append(token)
    else:
        if label:
            flush()
    ends = [t.end for hit in hits.values() for t in hit.slots] + [hit.label_end for hit in hits.values()]
    return _Reading(layout, tokens[0].start if tokens else start, max(ends, default=start), hits, subtotals)


def _match_rows(rows: Sequence[Row], folded: str, pointer: int) -> list[int]:
    """Expected rows whose labels occur, in order, in this stretch of label text.

    Each step may skip at most `_LOOKAHEAD - 1` rows, so header words (`其他`, `总计`) can
    never match rows far ahead; a blank template's run of bare labels yields every row.
    """
    found: list[int] = []
    pos = 0
    index = pointer
    while index < len(rows):
        for candidate in range(index, min(index + _LOOKAHEAD, len(rows))):
            pattern = rows[candidate].pattern
            match = pattern.search(folded, pos) if pattern else None
            if match:
                found.append(candidate)
                pos, index = match.end(), candidate + 1
                break
        else:
            return found
    return found


def _read_unlabelled(text: str, layout: Layout, tokens: list[Token], start: int) -> _Reading:
    """表四: the data row is the first run of value slots wide enough for all its cells.

    Failing that, consecutive block-wide runs (one sub-table per block, `### 行政复议` …) are
    joined in order, and failing that the first run that fills one block is kept.
    """
    width = len(layout.rows[0].columns)
    block = layout.rows[0].blocks[0] if layout.rows[0].blocks else width
    runs = [run for run in _slot_runs(tokens) if any(t.kind == "num" for t in run)]
    chosen = next((run for run in runs if _wide_enough(text, run, layout.rows[0])), None)
    if chosen is None:
        blocks = [run for run in runs if len(run) % block == 0]
        joined = [t for run in blocks for t in run][:width]
        partial = next((run for run in runs if len(run) >= _MIN_PARTIAL), [])
        chosen = joined if len(joined) == width else partial
    header = [t for t in _until_stop(tokens) if t.kind == "text"]
    label_end = header[-1].end if header else start
    end = chosen[-1].end if chosen else label_end
    return _Reading(layout, tokens[0].start if tokens else start, end, {0: _Hit(0, label_end, chosen)})


def _until_stop(tokens: Sequence[Token]) -> Iterator[Token]:
    for token in tokens:
        if token.kind == "stop":
            return
        yield token


def _slot_runs(tokens: Sequence[Token]) -> Iterator[list[Token]]:
    """Runs of value slots; a footnote sentence between header and values only separates runs."""
    run: list[Token] = []
    for token in tokens:
        if token.kind in ("num", "empty"):
            run.append(token)
            continue
        if run:
            yield run
            run = []
    if run:
        yield run


def _wide_enough(text: str, run: Sequence[Token], row: Row) -> bool:
    width = len(row.columns)
    glued = _glued_run(text, run, width, summed=True) is not None
    return len(run) >= width or glued or bool(_collapsed(text, run, row))


def _line_per_value(text: str, slots: Sequence[Token]) -> bool:
    """Each value alone on its own line: the one-text-node-per-line crawl (no `|`, no spaces between)."""
    if not slots or not all(t.kind == "num" and t.text.isdigit() for t in slots):
        return False
    alone = text[slots[0].start - 1 : slots[0].start] == "\n" and text[slots[-1].end : slots[-1].end + 1] in ("\n", "")
    return alone and all(text[a.end : b.start] == "\n" for a, b in pairwise(slots))


def _collapsed(text: str, slots: Sequence[Token], row: Row) -> list[tuple[int, ...]]:
    """Expansions of a short row printed one value per line, whose equal neighbours were merged."""
    if len(slots) >= len(row.columns) or not _line_per_value(text, slots):
        return []
    return [
        tuple(int(v) for v in cells)
        for cells in collapsed_expansions([int(t.text) for t in slots], len(row.columns), row.blocks)
    ]


def _placed(text: str, slots: Sequence[Token], row: Row) -> list[tuple[int | None, ...]]:
    """Readings of a short row of whole numbers whose blank cells left no mark (docs/flattening.md).

    Only where nothing marks a blank: no empty token (a piped row that simply has fewer cells, as under
    a `自然人 | 法人或其他组织 | 总计` header, hides them too), not one value per line (a collapsed crawl),
    no zero-led token (a glued fragment, never a cell).
    """
    if not row.blocks or not 1 < len(slots) < len(row.columns) or _line_per_value(text, slots):
        return []
    if not all(t.kind == "num" and t.text.isdigit() and (t.text == "0" or t.text[0] != "0") for t in slots):
        return []
    values = [int(t.text) for t in slots]
    if _leading_blocks(row, slots):
        return []
    return [
        tuple(None if v is None else int(v) for v in cells)
        for cells in blank_placements(values, len(row.columns), row.blocks, _PLACEMENTS)
    ]


def _leading_blocks(row: Row, slots: Sequence[Token]) -> bool:
    """The values fill whole leading sum blocks that add up and print their zeros (表四's 复议 block
    alone, `4 1 0 3 8`): the rest of the row is missing, not blank, so the values keep their places.
    Without a printed zero the same values could fill any block whose zeros were left blank."""
    values = [_value(t) for t in slots]
    padded = [*values, *([None] * (len(row.columns) - len(values)))]
    return 0 in values and len(values) in accumulate(row.blocks) and not _check_blocks(row, padded)


def _glued_run(text: str, slots: Sequence[Token], width: int, summed: bool) -> tuple[Token, frozenset[int]] | None:
    """The row's digits as one run when its separators were lost, with its stray spaces as cuts.

    A lone run of at least `width` digits is glued; so are space-separated digit runs fewer than
    the cells (`140 0001 15`) or with a leading zero (`00`, never a cell) when no `|` or line
    break divides them. Without sum blocks only a leading zero proves the gluing.
    """
    if width < 2 or not slots or not all(t.kind == "num" and t.text.isdigit() for t in slots):
        return None
    digits = "".join(t.text for t in slots)
    if len(digits) < width:
        return None
    run = Token("num", digits, slots[0].start, slots[-1].end)
    if len(slots) == 1:
        # a lone number set apart from its label (`规章 105`) may be one cell whose blank neighbours
        # were dropped as well as a glued row; only sums can tell, so without them it is not split
        if not summed and text[run.start - 1 : run.start] in _SPACES:
            return None
        return run, frozenset()
    if re.search(r"[|\n]", text[run.start : run.end]):
        return None
    zero_led = any(len(t.text) > 1 and t.text.startswith("0") for t in slots)
    if not zero_led and (len(slots) >= width or not summed):
        return None
    cuts = frozenset(accumulate(len(t.text) for t in slots[:-1]))
    return run, cuts


# ------------------------------------------------------------------ cells


@dataclass
class _RowCells:
    """A row's cells, or for a glued run its candidate splits (`run` set, cells empty)."""

    row: Row
    cells: list[TableCell]
    warnings: list[str]
    run: Token | None = None
    splits: list[tuple[int | None, ...]] = field(default_factory=list)
    placed: bool = False  # the readings are placements of whole values among dropped blanks


_MAX_COMBINATIONS = 512
_PLACEMENTS = 512  # readings of a row with dropped blanks; 表四 with 10 of 15 values has a few hundred
_CANDIDATES = 32  # splits listed for an ambiguous run; a 6-digit 3-cell run has 10
Values = dict[tuple[str | None, str], int | float | None]


def _to_table(text: str, reading: _Reading) -> Table:
    layout = reading.layout
    rows: list[_RowCells] = []
    warnings: list[str] = []
    totals_only = _totals_only(layout, reading)
    if totals_only:
        warnings.append("one value per row: read as the 总计 column")
    for index, row in enumerate(layout.rows):
        hit = reading.hits.get(index)
        if hit is None:
            warnings.append(f"row not found: {row.label}")
        elif totals_only:
            total, token = row.columns[-1], hit.slots[0]
            rows.append(_RowCells(row, [_cell(row, total, _value(token), token.text, token.start, token.end)], []))
        else:
            rows.append(_row_cells(text, row, hit))
    _settle_glued(layout, rows)
    cells = [cell for row_cells in rows for cell in row_cells.cells]
    warnings += [w for row_cells in rows for w in row_cells.warnings]
    warnings += _check_rows(layout, {(c.key, c.applicant): c.value for c in cells})
    warnings += _check_subtotals(layout, reading.subtotals, cells)
    if cells and all(c.value is None for c in cells):
        warnings.append("no values: an empty template")
    return Table(
        kind=layout.kind,
        era=layout.era,
        style=_style(text, reading, rows),
        start=reading.start,
        end=max(reading.end, reading.start),
        cells=cells,
        warnings=warnings,
    )


def _totals_only(layout: Layout, reading: _Reading) -> bool:
    """A table III printed with one value per row (a department's short form): each is the row's 总计.

    One value cannot stand alone in a summed row (a cell and its total would both print it), so
    when every row has exactly one, the table kept only its 总计 column. A run of at least as many
    digits as cells is a glued row instead.
    """
    hits = list(reading.hits.values())
    if len(hits) < _MIN_ROWS:
        return False
    for hit in hits:
        row = layout.rows[hit.row]
        if row.blocks != (len(row.columns),) or len(hit.slots) != 1 or hit.slots[0].kind != "num":
            return False
        if len(hit.slots[0].text) >= len(row.columns):
            return False
    return True


def _row_cells(text: str, row: Row, hit: _Hit) -> _RowCells:
    width = len(row.columns)
    slots = hit.slots
    # a blank cell of a merged label column (`(七)总计 | | 21 | …`) is padding, not the first value
    while len(slots) > width and slots[0].kind == "empty":
        slots = slots[1:]
    numbers = [t for t in slots if t.kind == "num"]
    placed = _placed(text, slots, row)
    glued = _glued_run(text, slots, width, summed=bool(row.blocks))
    if glued is not None:
        run, cuts = glued
        splits = glued_splits(run.text, _block_spec(row), _CANDIDATES, cuts)
        if splits or len(slots) == 1:
            # spaced digits may also be whole cells whose blank neighbours were dropped: both readings stand
            return _RowCells(row, [], [], run, [*splits, *placed])
    if placed:
        run = Token("num", " ".join(t.text for t in slots), slots[0].start, slots[-1].end)
        return _RowCells(row, [], [], run, placed, placed=True)
    if len(slots) < width and _line_per_value(text, slots):
        # the crawl drops blank cells and merges repeats: only the expansions place the values
        note = f"{row.label}: {len(slots)} values for {width} cells, one per line"
        collapsed = _collapsed(text, slots, row)
        if not collapsed:
            return _RowCells(row, [], [f"{note}, cannot be placed, left out"])
        run = Token("num", " ".join(t.text for t in slots), slots[0].start, slots[-1].end)
        return _RowCells(row, [], [f"{note}, read as merged repeats"], run, collapsed)
    if _amount_misplaced(row, slots[:width]):  # 2019 `政府集中采购 4218830.50元`: count glued to amount
        return _RowCells(row, [], [f"{row.label}: count and amount glued together, left out"])
    if _blanks_untraced(text, slots, width) and not _leading_blocks(row, slots):
        return _RowCells(row, [], [f"{row.label}: {len(slots)} values for {width} cells, blanks dropped, left out"])
    warnings = []
    last = slots[width - 1].text if len(slots) >= width else ""
    extra = {t.text for t in slots[width:] if t.kind == "num"} - {last}
    if len(slots) > width and extra:  # repeats of the last value are python-docx merged cells
        warnings.append(f"{row.label}: {len(numbers)} values for {width} cells, extra ignored")
    elif numbers and len(slots) < width:
        warnings.append(f"{row.label}: {len(slots)} of {width} cells present, the rest left empty")
    cells = []
    for i, column in enumerate(row.columns):
        if i < len(slots):
            token = slots[i]
            cells.append(_cell(row, column, _value(token), token.text, token.start, token.end))
        else:
            cells.append(_cell(row, column, None, "", hit.label_end, hit.label_end))
    warnings.extend(_check_blocks(row, [c.value for c in cells]))
    return _RowCells(row, cells, warnings)


def _blanks_untraced(text: str, slots: Sequence[Token], width: int) -> bool:
    """A short row of numbers with no separator left to show where its blank cells were.

    Space-separated (PDF) text drops a blank cell without a trace; with no sums to place the values
    (table II), `规章 1 12` may be 1|–|12 as well as 1|12|–, so none of its cells is claimed.
    """
    if not 0 < len(slots) < width or any(t.kind != "num" for t in slots):
        return False
    line_start = text.rfind("\n", 0, slots[0].start) + 1
    line_end = text.find("\n", slots[-1].end)
    return "|" not in text[line_start : len(text) if line_end < 0 else line_end]


def _amount_misplaced(row: Row, slots: Sequence[Token]) -> bool:
    money = {i for i, column in enumerate(row.columns) if column.money}
    return bool(money) and any(t.text.endswith("元") and i not in money for i, t in enumerate(slots))


def _settle_glued(layout: Layout, rows: list[_RowCells]) -> None:
    """Turn glued runs into cells; several splits are narrowed by the cross-row identities.

    Cells on which the surviving splits disagree are not emitted (never a guess).
    """
    glued = [r for r in rows if r.run is not None]
    if not glued:
        return
    known: Values = {(c.key, c.applicant): c.value for r in rows for c in r.cells}
    options = [r.splits for r in glued]
    combos = 1
    for splits in options:
        combos *= max(len(splits), 1)
    if layout.checks and 1 < combos <= _MAX_COMBINATIONS and all(options):
        survivors = [combo for combo in product(*options) if not _check_rows(layout, _fill(known, glued, combo))]
        if survivors:
            options = [sorted({combo[i] for combo in survivors}, key=str) for i in range(len(glued))]
    for row_cells, splits in zip(glued, options, strict=True):
        if row_cells.run is not None:
            row_cells.cells, warnings = _glued_cells(row_cells, row_cells.run, splits)
            row_cells.warnings += warnings


def _fill(known: Values, glued: Sequence[_RowCells], combo: Sequence[tuple[int | None, ...]]) -> Values:
    values = dict(known)
    for row_cells, split in zip(glued, combo, strict=True):
        for column, value in zip(row_cells.row.columns, split, strict=True):
            values[(column.key, column.applicant)] = value
    return values


def _glued_cells(
    row_cells: _RowCells, run: Token, splits: Sequence[tuple[int | None, ...]]
) -> tuple[list[TableCell], list[str]]:
    row = row_cells.row
    if not splits:
        return [], [f"{row.label}: glued run {run.text} has no split satisfying the identities"]
    warnings = []
    if len(splits) > 1 and row_cells.placed:
        warnings.append(f"{row.label}: {run.text} fits {len(splits)} placements among blank cells, undecided left out")
    elif len(splits) > 1:
        # the candidates let the metric stage pick the one its prose restates (docs/tables.md)
        shown = "; ".join("|".join("_" if v is None else str(v) for v in split) for split in splits)
        warnings.append(
            f"{row.label}: glued run {run.text} is ambiguous ({len(splits)} splits), left out; candidates: {shown}"
        )
    cells = []
    for i, column in enumerate(row.columns):
        values = {split[i] for split in splits}
        if len(values) == 1:
            value = values.pop()
            cells.append(_cell(row, column, value, "" if value is None else str(value), run.start, run.end))
    return cells, warnings


def _block_spec(row: Row) -> list[tuple[int, bool]]:
    if row.blocks:
        return [(size, True) for size in row.blocks]
    return [(1, False)] * len(row.columns)


def _cell(row: Row, column: Column, value: int | float | None, raw: str, start: int, end: int) -> TableCell:
    return TableCell(
        row=column.row or row.label,
        column=column.label,
        key=column.key,
        applicant=column.applicant,
        value=value,
        raw=raw,
        start=start,
        end=end,
    )


def _value(token: Token) -> int | float | None:
    if token.kind != "num":
        return None
    digits = re.sub(r"万?元$", "", token.text).replace(",", "")
    return float(digits) if "." in digits else int(digits)


def _check_blocks(row: Row, values: Sequence[int | float | None]) -> list[str]:
    warnings = []
    offset = 0
    for size in row.blocks:
        block = values[offset : offset + size]
        offset += size
        if len(block) == size and all(v is not None for v in block):
            parts = sum(v for v in block[:-1] if v is not None)
            if parts != block[-1]:
                warnings.append(f"{row.label}: cells sum to {parts}, total printed {block[-1]}")
    return warnings


def _check_subtotals(layout: Layout, subtotals: Sequence[_Hit], cells: Sequence[TableCell]) -> list[str]:
    """A printed 小计 must equal the sum of its group's rows (表三 (三)…(六)), per column."""
    warnings = []
    for hit in subtotals:
        row = layout.rows[hit.row]
        group = row.label.partition(" ")[0] if " " in row.label else ""
        numbers = [t for t in hit.slots if t.kind == "num"]
        if not group or len(numbers) != len(row.columns):
            continue
        labels = {r.label for r in layout.rows if r.label.startswith(group + " ")}
        for column, token in zip(row.columns, numbers, strict=True):
            parts = [c.value for c in cells if c.row in labels and c.column == column.label and c.value is not None]
            if len(parts) == len(labels) and sum(parts) != _value(token):
                warnings.append(f"{group} 小计, {column.label}: printed {token.text}, its rows add up to {sum(parts)}")
    return warnings


def _check_rows(layout: Layout, values: Values) -> list[str]:
    """Cross-row identities per applicant column; rows with blank cells are not judged."""
    warnings = []
    applicants = dict.fromkeys(applicant for _, applicant in values)
    for left, right in layout.checks:
        for applicant in applicants:
            lhs = [values.get((k, applicant)) for k in left]
            rhs = [values.get((k, applicant)) for k in right]
            if any(v is None for v in (*lhs, *rhs)):
                continue
            total_l = sum(v for v in lhs if v is not None)
            total_r = sum(v for v in rhs if v is not None)
            if total_l != total_r:
                warnings.append(f"{'+'.join(left)} != {'+'.join(right)} for {applicant}: {total_l} vs {total_r}")
    return warnings


def _style(text: str, reading: _Reading, rows: Sequence[_RowCells]) -> TableStyle:
    region = text[reading.start : reading.end]
    glued = sum(1 for r in rows if r.run is not None and not r.placed)
    multi = sum(1 for r in rows if r.run is not None or (len(r.row.columns) > 1 and any(c.raw for c in r.cells)))
    if glued:
        return "glued" if glued >= multi else "mixed"
    lines = [line for line in region.split("\n") if line.strip()]
    if any(MARKDOWN_RULE.match(line) for line in lines):
        return "markdown"
    piped = [line for line in lines if "|" in line]
    if not piped:
        return "space_separated"
    cells_per_line = [[c.strip() for c in line.split("|") if c.strip()] for line in piped]
    # python-docx repeats a merged label cell in every grid position it covers (docs/flattening.md, DOCX)
    if any(any(a == b and _CJK.search(a) for a, b in pairwise(cells)) for cells in cells_per_line):
        return "docx"
    single = sum(1 for cells in cells_per_line if len(cells) <= 1)
    return "cell_per_line" if single * 2 > len(piped) else "row_per_line"


# ------------------------------------------------------------------ 2008–2018 statistics appendix

# the header words (`指标名称`, `统计指标`, `计量单位`, or any `指标`/`项目`/`名称` cell followed by a
# `单位` cell), or the national table's first row when there is no header
_STATS_ANCHOR = re.compile(
    r"指\s*标\s*名\s*称|统\s*计\s*指\s*标|计\s*量\s*单\s*位|(?:指\s*标|项\s*目|名\s*称)(?=[\s|]+单\s*位)"
    r"|[(（]\s*一\s*[)）]\s*主\s*动\s*公\s*开\s*政\s*府\s*信\s*息\s*数"
)
_STATS_CONFIRM = re.compile(r"主\s*动\s*公\s*开|申\s*请")
_STATS_WINDOW = 6000
_STATS_MAX_LABEL = 40  # a longer label stretch is prose after the table
_PERIOD_WORD = (
    r"(?P<cumulative>累\s*计)|(?P<annual>年\s*末\s*统\s*计|统\s*计\s*数|本\s*年\s*度?|(?:19|20)\d\d\s*年\s*度?)"
)
_CHAPTER = re.compile(r"[一二三四五六七八九十]{1,2}、")
_ROW_CODE = r"代\s*码"  # a column of row codes (`01`, `02`) between the unit and the values
_STATS_HEADER = re.compile(
    rf"(?:指\s*标\s*名\s*称|统\s*计\s*指\s*标|指\s*标|项\s*目|名\s*称|数\s*[量值]|计\s*量\s*单\s*位|单\s*位|{_ROW_CODE}|历\s*年|{_PERIOD_WORD}|[\s|:])+"
)
_ORDINAL = r"\d{1,2}[.、]|[(][一二三四五六七八九十]{1,2}[)]"
_SERIAL = re.compile(r"序\s*号")
_COUNT_NAME = re.compile(r"(?:数量?|费用|经费)$")  # a row name that states a count or an amount
_UNIT_CELL = re.compile(STATS_UNIT.pattern.removesuffix("$"))
_NOTE = re.compile(r"\([^()]*\)")
_STATS_CHILD = re.compile(rf"^(?:其中:?)?(?:{_ORDINAL})|^其中")
_LIST_LEAD = re.compile(r"^其中:?")
_STATS_MARKS = re.compile(rf"^(?:其中:?)?(?:{_ORDINAL}|[一二三四五六七八九十]{{1,2}}、)?")
Pair = tuple[int | float | None, ...]
_PERIOD_COLUMNS = {"annual": "本年度", "cumulative": "历年累计", "previous": "上年度"}


@dataclass
class _StatLine:
    """One appendix row: its label, unit, numbered-child flag, value slots and candidate readings."""

    name: str
    unit: str
    stat: StatRow | None
    key: str | None
    child: bool
    label_end: int
    slots: list[Token] = field(default_factory=list)
    options: list[Pair] = field(default_factory=list)
    run: Token | None = None


def _stats_table(text: str, start: int, limit: int) -> Table | None:
    """The national statistics appendix: label, unit, this year's value, often the cumulative one.

    Glued pairs (`条29876512.政府…` = 298 | 7651, then item 2.) are split by the next ordinal
    (tokens.py), annual ≤ cumulative, child ≤ parent and children adding up to a parent they
    partition; a row still ambiguous yields no cells, its candidates listed in a warning.
    """
    if not _STATS_CONFIRM.search(text, start, start + _CONFIRM):
        return None
    header = _STATS_HEADER.match(text, start)
    body = header.end() if header else start
    periods = _periods(text[start:body])
    # a 序号 column before the label (`1 | 主动公开政府信息数 | 条 | 860`) numbers rows, it holds no value
    numbered = bool(_SERIAL.search(text, text.rfind("\n", 0, start) + 1, body))
    lines = _stat_lines(text, body, limit, numbered)
    coded = bool(re.search(_ROW_CODE, text[start:body]))
    for line in lines:
        # a row code: under a 代码 header, or zero-led (`01`, never a count) before the values
        first = line.slots[0].text if line.slots else ""
        if coded or (len(line.slots) > len(periods) and re.fullmatch(r"0\d+", first)):
            line.slots = line.slots[1:]
    if sum(1 for line in lines if line.key and line.slots) < _MIN_ROWS:
        return None
    warnings: list[str] = []
    for line in lines:
        line.options = _stat_options(text, line, periods, warnings)
    cells: list[TableCell] = []
    for group in _stat_groups(lines):
        for child in group[1:]:
            child.key = result_key(group[0].key, child.name) or child.key
        for line, values in zip(group, _settle_stats(group, warnings), strict=True):
            cells.extend(_stat_cells(line, periods, values))
    ends = [line.slots[-1].end if line.slots else line.label_end for line in lines]
    glued = any(line.run for line in lines)
    style: TableStyle = "glued" if glued else "row_per_line" if "|" in text[body : ends[-1]] else "space_separated"
    return Table(
        kind="legacy_stats",
        era="pre2019",
        style=style,
        start=start,
        end=max(ends),
        cells=cells,
        warnings=warnings,
    )


def _stat_lines(text: str, body: int, limit: int, numbered: bool = False) -> list[_StatLine]:
    """Label stretches and the value slots after each; prose or a signature ends the table.

    `numbered`: the first cell of each line is a row number, never a value.
    """
    lines: list[_StatLine] = []
    label: list[Token] = []
    for token in tokenize(text, body, limit):
        if token.kind == "stop":
            break
        if numbered and token.kind == "num" and _opens_line(text, token):
            continue
        if token.kind == "text" and label and _merged_echo(text, label[-1], token):
            continue
        opened = "".join(t.text for t in label)
        if token.kind == "text" and label and _row_break(text, opened, label[-1], token):
            blank = Token("empty", "", label[-1].end, label[-1].end)
            line = _stat_line(label, blank)
            label = []
            if line is None:
                break
            lines.append(line)
            line.slots.append(blank)
        if token.kind == "text" or (token.kind == "num" and opened.count("(") > opened.count(")")):
            label.append(token)  # `(…相同信息计1条)`: a number inside the label's brackets is label text
            continue
        if label:
            line = _stat_line(label, token)
            label = []
            if line is None:
                break
            lines.append(line)
        if lines:
            lines[-1].slots.append(token)
    return lines


def _merged_echo(text: str, last: Token, token: Token) -> bool:
    """The same label again in the next cell: python-docx repeats a merged cell (docs/flattening.md, DOCX)."""
    return token.text == last.text and "|" in text[last.end : token.start]


def _opens_line(text: str, token: Token) -> bool:
    """Nothing but separators before the token on its line."""
    return not text[text.rfind("\n", 0, token.start) + 1 : token.start].strip(" |")


def _row_break(text: str, opened: str, last: Token, token: Token) -> bool:
    """A new line starting a new row while the previous one had no value: its cells were blank.

    Space-separated text drops blank cells, so `2.传真申请数 件` / `3.网络申请数 件 15` would read
    as one label (and 15 as the fax count). A line break ends a row whose brackets are closed
    when the next line opens with an ordinal, or when the row already ends with its unit (`…件`,
    a glued row too) and the next line is not the unit cell of a label that ends like one
    (`公开查阅点利用件次` / `件次`).
    """
    if "\n" not in text[last.end : token.start] or opened.count("(") > opened.count(")"):
        return False
    if not _LIST_LEAD.sub("", opened).strip():
        return False  # `其中:` alone on its line leads the numbered rows after it; it is no row of its own
    if _STATS_MARKS.match(token.text).end() or token.text.startswith("其中"):
        return True
    return bool(STATS_UNIT.search(last.text)) and not _UNIT_CELL.fullmatch(token.text) and bool(_CJK.match(token.text))


def _stat_line(label: Sequence[Token], first: Token) -> _StatLine | None:
    """The row a label stretch starts, given the first slot after it; None where the table has ended."""
    folded = fold_label("".join(t.text for t in label))
    unit = STATS_UNIT.search(folded)
    name = folded[: unit.start()] if unit else folded
    # a bracketed note (`(不包括用于政府公报…的经费)`) neither names the row nor makes it prose
    tail = _NOTE.sub("", _STATS_MARKS.sub("", name))
    # a chapter row of the national table has blank cells (`二、回应解读情况 | — | — |`) or, printed
    # without a unit column, names a count (`四、行政复议数量 | 3 |`); the report's next chapter is
    # followed by prose numbers (`三、…收费情况 2031年…`)
    chapter = bool(_CHAPTER.match(name)) and unit is None and not _COUNT_NAME.search(tail)
    stat = None if chapter else stat_row(tail)
    if chapter and first.kind != "empty":
        return None
    # a sub-heading with blank cells (`(二)通过不同渠道和方式公开…的情况 | — |`) is a row without a key,
    # and so is a count printed without a unit column (`(一)维持具体行政行为数 | 2 |`)
    row = chapter or first.kind == "empty" or bool(_COUNT_NAME.search(tail))
    if len(tail) > _STATS_MAX_LABEL or not tail or (unit is None and stat is None and not row):
        return None  # prose or a signature
    return _StatLine(
        name=_LIST_LEAD.sub("", name),
        unit=unit.group() if unit else "",
        stat=stat,
        key=stat.key if stat else None,
        child=bool(_STATS_CHILD.match(name)),
        label_end=label[-1].end,
    )


def _periods(header: str) -> list[str]:
    """Column kinds in header order: annual, cumulative, or previous (an earlier year's column)."""
    found = [
        (m.lastgroup or "annual", re.search(r"(?:19|20)\d\d", m.group())) for m in re.finditer(_PERIOD_WORD, header)
    ]
    latest = max((int(year.group()) for _, year in found if year), default=0)
    return [
        "previous" if kind == "annual" and year and int(year.group()) < latest else kind for kind, year in found
    ] or ["annual"]


def _stat_options(text: str, line: _StatLine, periods: Sequence[str], warnings: list[str]) -> list[Pair]:
    """Candidate readings of a row: the printed cells, or every split of one glued pair.

    A lone value on its own line is the one-line-per-cell crawl that merges equal neighbours
    (`0` for `0 0`), so it stands for both columns.
    """
    slots = line.slots
    width = len(periods)
    numbers = [t for t in slots if t.kind == "num"]
    if width == 2 and len(slots) == 1 and _line_per_value(text, slots):
        line.run = slots[0]
        warnings.append(f"{line.name}: one value on its own line, read as both columns")
        return [(int(slots[0].text), int(slots[0].text))]
    if width == 2 and len(slots) == 1 and numbers and text[numbers[0].start - 1 : numbers[0].start] in _SPACES:
        # `行政复议数 件 12`: one cell printed, the other blank and dropped; which one is unknown
        warnings.append(f"{line.name}: one value for {width} cells, left out")
        return [(None,) * width]
    if width == 2 and len(slots) == 1 and numbers and numbers[0].text.isdigit() and len(numbers[0].text) > 1:
        line.run = numbers[0]
        return _pair_splits(numbers[0].text, periods)
    if len(numbers) > width or (numbers and len(slots) < width):
        warnings.append(f"{line.name}: {len(numbers)} values for {width} cells")
    return [tuple(_value(slots[i]) if i < len(slots) else None for i in range(width))]


def _pair_splits(digits: str, periods: Sequence[str]) -> list[Pair]:
    """Every split into two cells with no leading zero; this year's value never exceeds the cumulative one."""
    pairs: list[Pair] = []
    for cut in range(1, len(digits)):
        head, tail = digits[:cut], digits[cut:]
        if (head[0] == "0" and cut > 1) or (tail[0] == "0" and len(tail) > 1):
            continue
        pair = (int(head), int(tail))
        annual = dict(zip(periods, pair, strict=True))
        if annual.get("annual", 0) <= annual.get("cumulative", pair[0] + pair[1]):
            pairs.append(pair)
    return pairs


def _stat_groups(lines: Sequence[_StatLine]) -> Iterator[list[_StatLine]]:
    """A parent row and the numbered rows under it (`其中:1.…`, `2.…`)."""
    group: list[_StatLine] = []
    for line in lines:
        if group and not line.child:
            yield group
            group = []
        group.append(line)
    if group:
        yield group


def _settle_stats(group: Sequence[_StatLine], warnings: list[str]) -> list[Pair]:
    """Per row, the values every admissible reading of the group agrees on (None where they differ)."""
    bounded = _bounded_readings([line.options or [()] for line in group])
    parts = group[0].stat is not None and group[0].stat.parts and len(group) > 1
    survivors = [combo for combo in bounded if parts and _adds_up(combo)] or bounded
    settled: list[Pair] = []
    for i, line in enumerate(group):
        readings = sorted({combo[i] for combo in survivors}, key=str) if survivors else line.options
        if len(readings) == 1:
            settled.append(readings[0])
            continue
        first = readings[0] if readings else ()
        settled.append(tuple(v if all(r[k] == v for r in readings) else None for k, v in enumerate(first)))
        if line.run is not None:  # the same shape as an official table's ambiguous run, for a prose cross-check
            shown = "; ".join("|".join(str(v) for v in r) for r in readings) or "none"
            warnings.append(
                f"{line.name}: glued run {line.run.text} is ambiguous ({len(readings)} splits), left out; "
                f"candidates: {shown}"
            )
    return settled


def _bounded_readings(options: Sequence[Sequence[Pair]]) -> list[tuple[Pair, ...]]:
    """Every reading of a group whose children stay within their parent; [] when too open to enumerate."""
    readings: list[tuple[Pair, ...]] = []
    for parent in options[0]:
        children = [[child for child in choices if _within(child, parent)] for choices in options[1:]]
        if prod(len(choices) for choices in children) > _MAX_COMBINATIONS * 8:
            return []
        readings += [(parent, *rest) for rest in product(*children)]
    return readings


def _within(child: Pair, parent: Pair) -> bool:
    """A child row never exceeds its parent, in either column."""
    for part, whole in zip(child, parent, strict=False):
        if part is not None and whole is not None and part > whole:
            return False
    return True


def _adds_up(combo: Sequence[Pair]) -> bool:
    """The numbered children of a partitioned row sum to it, in every fully printed column."""
    parent, children = combo[0], combo[1:]
    for k in range(len(parent)):
        column = [child[k] if k < len(child) else None for child in children]
        if parent[k] is None or any(v is None for v in column):
            continue
        if sum(v for v in column if v is not None) != parent[k]:
            return False
    return True


def _stat_cells(line: _StatLine, periods: Sequence[str], values: Pair) -> list[TableCell]:
    """Cells of one row; a 历年累计 cell is keyed only where the catalog names the cumulative figure,
    an earlier year's column never."""
    cells = []
    keys = {"annual": line.key, "cumulative": STATS_CUMULATIVE_KEYS.get(line.key or ""), "previous": None}
    for i, period in enumerate(periods):
        value = values[i] if i < len(values) else None
        if line.run is not None:
            raw, start, end = ("" if value is None else str(value)), line.run.start, line.run.end
        elif i < len(line.slots):
            raw, start, end = line.slots[i].text, line.slots[i].start, line.slots[i].end
        else:
            raw, start, end = "", line.label_end, line.label_end
        if line.run is not None and value is None:
            continue
        cells.append(
            TableCell(
                row=line.name,
                column=_PERIOD_COLUMNS[period],
                key=keys[period],
                value=value,
                raw=raw,
                start=start,
                end=end,
            )
        )
    return cells
