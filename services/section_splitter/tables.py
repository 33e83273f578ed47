"""Locate and read the official tables 二/三/四 (2019 and 2021 formats) in any flattening.

Per §3.2: find a region by its header strings, tokenise every cell in order, walk the expected
row sequence assigning the values that follow each label, and validate with the identities.
Glued digit runs are split only where the identities leave exactly one reading.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise, product

from shared.messages.v1 import Era, Table, TableCell, TableStyle

from .channels import find_channel_tables
from .glued import glued_splits
from .layouts import ACTIVE_2019, ACTIVE_2021, REQUESTS_2019, REQUESTS_2021, REVIEW, Column, Layout, Row
from .tokens import MARKDOWN_RULE, Token, fold_label, tokenize

_WINDOW = 15000  # chars read after an anchor; a docx-style 2021 表三 is ~4k
_CONFIRM = 1500  # the era header words must follow the anchor within this many chars
_LOOKAHEAD = 4  # a label may skip at most 3 missing rows, so header words never jump ahead
_PENDING_JUNK = 12  # a longer unmatched label between a row label and its values ends the row
_MIN_ROWS = 2  # prose naming one row label is not a table (表四's single row excepted)
_MIN_PARTIAL = 5  # a 表四 row narrower than its 15 cells must still fill one block
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True, eq=False)
class _Family:
    layouts: tuple[Layout, ...]
    anchor: re.Pattern[str]
    confirm: re.Pattern[str]


_FAMILIES = (
    _Family(
        (ACTIVE_2021, ACTIVE_2019),
        re.compile(r"第二十条第\s*[(（]\s*一\s*[)）]\s*项|信息内容"),
        re.compile(r"本年制发件数|本年新制作数量|处理决定数量"),
    ),
    _Family(
        (REQUESTS_2021, REQUESTS_2019),
        re.compile(r"[(（]?本列数据的勾稽关系|申请人情况|(?:[一1][、.．]\s*)?本年新收政府信息公开申请数量"),
        re.compile(r"本年新收"),
    ),
    _Family(
        (REVIEW,),
        re.compile(r"(?:^|(?<=[\s|\d]))行政复议(?=[\s|]*(?:行政复议[\s|]*)*行政诉讼)"),
        re.compile(r"[结维审总]"),  # PDF headers may be split one character per line
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


def find_tables(text: str, era_hint: Era | None = None) -> list[Table]:
    """Every official table in the text, plus ad-hoc channel tables, in text order."""
    tables: list[Table] = []
    taken: list[tuple[int, int]] = []
    anchors = {family: [m.start() for m in family.anchor.finditer(text)] for family in _FAMILIES}
    for family in _FAMILIES:
        others = sorted(pos for other, starts in anchors.items() if other is not family for pos in starts)
        for reading in _readings(text, family, anchors[family], others, taken):
            taken.append((reading.start, reading.end))
            tables.append(_to_table(text, reading))
    known_era = next((t.era for t in tables if t.era), era_hint)
    tables = [t.model_copy(update={"era": known_era}) if t.era is None else t for t in tables]
    tables.extend(find_channel_tables(text, taken))
    return sorted(tables, key=lambda t: t.start)


def _readings(
    text: str, family: _Family, starts: Sequence[int], others: Sequence[int], taken: list[tuple[int, int]]
) -> Iterator[_Reading]:
    """Read a table at each confirmed anchor; the window ends at the next sentence or table."""
    resume = 0
    for start in starts:
        if start < resume or any(a <= start < b for a, b in taken):
            continue
        if not family.confirm.search(text, start, start + _CONFIRM):
            continue
        sentence = text.find("。", start, start + _WINDOW)
        limit = sentence + 1 if sentence >= 0 else min(len(text), start + _WINDOW)
        limit = min(limit, next((pos for pos in others if pos > start), limit))
        tokens = list(tokenize(text, start, limit))
        readings = [_read(layout, tokens, start) for layout in family.layouts]
        best = max(readings, key=lambda r: (_signed(text, r), len(r.hits)))
        if len(best.hits) >= min(_MIN_ROWS, len(best.layout.rows)):
            resume = best.end
            yield best


def _signed(text: str, reading: _Reading) -> bool:
    signature = reading.layout.signature
    return bool(signature and signature.search(text, reading.start, reading.end))


def _read(layout: Layout, tokens: list[Token], start: int) -> _Reading:
    """Walk the tokens once; each label stretch selects rows, the values after it fill the last."""
    if layout.rows[0].pattern is None:
        return _read_unlabelled(layout, tokens, start)
    hits: dict[int, _Hit] = {}
    current: _Hit | None = None
    label: list[Token] = []

    def flush() -> None:
        """Match the pending label text against the rows still expected."""
        nonlocal current
        folded = fold_label("".join(t.text for t in label))
        label.clear()
        pointer = max(hits, default=-1) + 1
        rows = _match_rows(layout.rows, folded, pointer)
        for row in rows:
            hits[row] = _Hit(row, label_end)
        if rows:
            current = hits[rows[-1]]
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
    return _Reading(layout, tokens[0].start if tokens else start, max(ends, default=start), hits)


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


def _read_unlabelled(layout: Layout, tokens: list[Token], start: int) -> _Reading:
    """表四: the data row is the first run of value slots wide enough for all its cells."""
    width = len(layout.rows[0].columns)
    runs = list(_slot_runs(tokens))
    chosen = next((run for run in runs if _wide_enough(run, width)), None)
    if chosen is None:
        chosen = next((run for run in runs if len(run) >= _MIN_PARTIAL and any(t.kind == "num" for t in run)), [])
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
    run: list[Token] = []
    for token in tokens:
        if token.kind in ("num", "empty"):
            run.append(token)
            continue
        if run:
            yield run
            run = []
        if token.kind == "stop":
            return
    if run:
        yield run


def _wide_enough(run: Sequence[Token], width: int) -> bool:
    numbers = [t for t in run if t.kind == "num"]
    if len(run) >= width:
        return True
    return len(numbers) == 1 and len(run) == 1 and numbers[0].text.isdigit() and len(numbers[0].text) >= width


# ------------------------------------------------------------------ cells


@dataclass
class _RowCells:
    """A row's cells, or for a glued run its candidate splits (`run` set, cells empty)."""

    row: Row
    cells: list[TableCell]
    warnings: list[str]
    run: Token | None = None
    splits: list[tuple[int, ...]] = field(default_factory=list)


_MAX_COMBINATIONS = 512
Values = dict[tuple[str | None, str], int | float | None]


def _to_table(text: str, reading: _Reading) -> Table:
    layout = reading.layout
    rows: list[_RowCells] = []
    warnings: list[str] = []
    for index, row in enumerate(layout.rows):
        hit = reading.hits.get(index)
        if hit is None:
            warnings.append(f"row not found: {row.label}")
        else:
            rows.append(_row_cells(row, hit))
    _settle_glued(layout, rows)
    cells = [cell for row_cells in rows for cell in row_cells.cells]
    warnings += [w for row_cells in rows for w in row_cells.warnings]
    warnings += _check_rows(layout, {(c.key, c.applicant): c.value for c in cells})
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


def _row_cells(row: Row, hit: _Hit) -> _RowCells:
    width = len(row.columns)
    slots = hit.slots
    numbers = [t for t in slots if t.kind == "num"]
    if width > 1 and len(slots) == 1 and numbers and numbers[0].text.isdigit() and len(numbers[0].text) >= width:
        run = numbers[0]
        return _RowCells(row, [], [], run, glued_splits(run.text, _block_spec(row)))
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
            options = [sorted({combo[i] for combo in survivors}) for i in range(len(glued))]
    for row_cells, splits in zip(glued, options, strict=True):
        if row_cells.run is not None:
            row_cells.cells, row_cells.warnings = _glued_cells(row_cells.row, row_cells.run, splits)


def _fill(known: Values, glued: Sequence[_RowCells], combo: Sequence[tuple[int, ...]]) -> Values:
    values = dict(known)
    for row_cells, split in zip(glued, combo, strict=True):
        for column, value in zip(row_cells.row.columns, split, strict=True):
            values[(column.key, column.applicant)] = value
    return values


def _glued_cells(row: Row, run: Token, splits: Sequence[tuple[int, ...]]) -> tuple[list[TableCell], list[str]]:
    if not splits:
        return [], [f"{row.label}: glued run {run.text} has no split satisfying the identities"]
    warnings = []
    if len(splits) > 1:
        warnings.append(f"{row.label}: glued run {run.text} is ambiguous ({len(splits)} splits), cells left out")
    cells = []
    for i, column in enumerate(row.columns):
        values = {split[i] for split in splits}
        if len(values) == 1:
            value = values.pop()
            cells.append(_cell(row, column, value, str(value), run.start, run.end))
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
    digits = re.sub(r"万?元$", "", token.text)
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
    glued = sum(1 for r in rows if r.run is not None)
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
    # python-docx repeats a merged label cell in every grid position it covers (§3.4)
    if any(any(a == b and _CJK.search(a) for a, b in pairwise(cells)) for cells in cells_per_line):
        return "docx"
    single = sum(1 for cells in cells_per_line if len(cells) <= 1)
    return "cell_per_line" if single * 2 > len(piped) else "row_per_line"
