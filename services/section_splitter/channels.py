"""The small ad-hoc channel table of older reports (seed 001 shape, docs/tables.md).

`公开渠道和方式 | 政府网站 | 规范性文件 | 政务微信 | …` followed by `数量 | 1124 | 17 | 85 | …`.
Columns are named by the report, so only those that map cleanly onto a catalog key get one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from shared.messages.v1 import Table, TableCell

from .layouts import CHANNEL_KEYS

_HEADER = re.compile(r"^[ \t|]*(?:公开)?(?:渠道|方式)(?:和|及|与)?(?:方式|渠道)?[ \t]*\|(?P<cells>.*)$", re.M)
_VALUES = re.compile(r"[ \t|]*(?P<label>数量|条数|信息数量?|公开数量)[ \t]*\|(?P<cells>.*)")
_INT = re.compile(r"\d+")


def find_channel_tables(text: str, taken: Sequence[tuple[int, int]]) -> list[Table]:
    """Channel tables outside the spans already read as official tables."""
    tables: list[Table] = []
    for header in _HEADER.finditer(text):
        if any(a <= header.start() < b for a, b in taken):
            continue
        next_line = header.end() + 1
        line_end = text.find("\n", next_line)
        line_end = len(text) if line_end < 0 else line_end
        values = _VALUES.match(text, next_line, line_end)
        if values is None:
            continue
        columns = _cells(text, header.start("cells"), header.end("cells"))
        cells = [
            _cell(text, values.group("label"), text[c_start:c_end].strip(), v_start, v_end)
            for (c_start, c_end), (v_start, v_end) in zip(
                columns, _cells(text, values.start("cells"), values.end("cells")), strict=False
            )
        ]
        tables.append(Table(kind="channels", style="row_per_line", start=header.start(), end=line_end, cells=cells))
    return tables


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Non-empty cell spans, stripped of surrounding spaces."""
    spans = []
    pos = start
    for part in text[start:end].split("|"):
        stripped = part.strip()
        if stripped:
            offset = pos + part.index(stripped)
            spans.append((offset, offset + len(stripped)))
        pos += len(part) + 1
    return spans


def _cell(text: str, row: str, column: str, start: int, end: int) -> TableCell:
    raw = text[start:end]
    key = next((key for pattern, key in CHANNEL_KEYS if pattern.search(column)), None)
    value = int(raw) if _INT.fullmatch(raw) else None
    return TableCell(row=row, column=column, key=key, value=value, raw=raw, start=start, end=end)
