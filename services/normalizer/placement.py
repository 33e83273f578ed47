"""Map a PDF reader's placed lines onto the normalized text: the layout that points a fact back at its page.

Cleanup drops chrome lines, cuts prefixes, collapses spaces, inserts lost date characters and rejoins
broken lines, so the normalized text is the reader's text with small edits. Lines are aligned in order
(monotone): each placed line is looked for right where the previous one ended — verbatim first, else by
a character alignment (difflib) of the line against the next stretch of text; a long line found verbatim
further on re-anchors the cursor past text no line gave (a prepended title). A line that is not found
(dropped as chrome) gets no placement and does not move the cursor. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from services.normalizer.cleanup import fold, t2s
from services.normalizer.rows import Box, PlacedLine
from shared.messages.v1 import Placement, Script

_SPACE_RUN = re.compile(r"\s+")
_MIN_MATCHED = 0.6  # share of a line's visible characters found in the text for the line to count as kept
_MAX_LEAD = 2  # visible characters of text (inserted by cleanup) allowed before a line's first match
_WINDOW_SLACK = 8  # characters beyond a line's length that cleanup may have inserted into it
_RESYNC_CHARS = 8  # a line this long found verbatim further on re-anchors the cursor (text with no line)


Blocks = list[tuple[int, int, int]]
"""Matching blocks (line offset, text offset, length) of one placed line, in order."""


def _canonical(line: str, script: Script) -> str:
    """The line as cleanup writes it: widths folded, simplified script, whitespace runs as one space, trimmed."""
    folded = fold(line)
    return _SPACE_RUN.sub(" ", t2s(folded) if script == "traditional" else folded).strip()


def _lead(text: str, cursor: int) -> int:
    """Offset of the first visible character at or after `cursor` (line breaks and spaces skipped)."""
    while cursor < len(text) and text[cursor].isspace():
        cursor += 1
    return cursor


def _align(line: str, text: str, cursor: int) -> Blocks | None:
    """Where `line` stands in `text` after `cursor`, as matching blocks; None if it is not there."""
    start = _lead(text, cursor)
    if text.startswith(line, start):
        return [(0, start, len(line))]
    if blocks := _edited(line, text, start):
        return blocks
    if len(line) >= _RESYNC_CHARS and (ahead := text.find(line, start)) >= 0:
        return [(0, ahead, len(line))]
    return None


def _edited(line: str, text: str, start: int) -> Blocks | None:
    """`line` as cleanup edited it, right at `start`: most of its characters in order, none far on."""
    window = text[start : start + len(line) + len(line) // 4 + _WINDOW_SLACK]
    blocks = [
        (a, start + b, size)
        for a, b, size in SequenceMatcher(None, line, window, autojunk=False).get_matching_blocks()
        if size
    ]
    visible = len(line.replace(" ", ""))
    matched = sum(size - line[a : a + size].count(" ") for a, _, size in blocks)
    if not blocks or matched < _MIN_MATCHED * visible:
        return None
    if len(text[start : blocks[0][1]].replace(" ", "").replace("\n", "")) > _MAX_LEAD:
        return None  # the characters it shares sit further on, in a later line
    return blocks


def _span(blocks: Blocks, begin: int, end: int) -> tuple[int, int] | None:
    """Text span covering the matched characters of line offsets [begin, end), None if none matched."""
    starts = [b + max(a, begin) - a for a, b, size in blocks if a < end and a + size > begin]
    ends = [b + min(a + size, end) - a for a, b, size in blocks if a < end and a + size > begin]
    return (min(starts), max(ends)) if starts else None


def _cell_ranges(line: str, cells: int) -> list[tuple[int, int]] | None:
    """Line offsets of each ` |`-closed cell's text (empty cells give an empty range); None if a cell
    itself holds a pipe, which would shift the count."""
    parts = line.split("|")
    if len(parts) - 1 != cells:
        return None
    ranges, offset = [], 0
    for part in parts[:-1]:
        lead = len(part) - len(part.lstrip())
        ranges.append((offset + lead, offset + len(part.rstrip())))
        offset += len(part) + 1
    return ranges


def _placement(page: int, box: Box, span: tuple[int, int]) -> Placement:
    x0, top, x1, bottom = box
    return Placement(page=page, x0=x0, top=top, x1=x1, bottom=bottom, start=span[0], end=span[1])


def place_lines(lines: Sequence[PlacedLine], text: str, script: Script = "simplified") -> list[Placement]:
    """One placement per line found in `text`, plus one per non-empty table cell of a row; ordered by start.
    `script` is the one cleanup found: a traditional report's lines are converted before they are looked for."""
    layout: list[Placement] = []
    cursor = 0
    for placed in lines:
        line = _canonical(placed.text, script)
        blocks = _align(line, text, cursor) if line else None
        if blocks is None:
            continue
        line_span = _span(blocks, 0, len(line))
        if line_span is None:
            continue
        layout.append(_placement(placed.page, placed.box, line_span))
        cursor = line_span[1]
        ranges = _cell_ranges(line, len(placed.cells)) if placed.cells else None
        for box, (begin, end) in zip(placed.cells, ranges or [], strict=False):
            if begin < end and (cell_span := _span(blocks, begin, end)):
                layout.append(_placement(placed.page, box, cell_span))
    return sorted(layout, key=lambda p: (p.start, -p.end))
