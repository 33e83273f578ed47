"""Re-expand table rows whose repeated cells a crawler collapsed (`0 0 0 0 0 0 0` → `0`).

Crawler text of a CMS page keeps one line per table cell but drops every line equal to the one
before it, so a row arrives as its runs of equal values: `19 0 0 0 1 0 20` becomes `19 0 1 0 20`
(docs/flattening.md, "collapsed cells"). The run lengths are lost; the sum blocks of the official
tables (总计 = the applicant columns, each 表四 group's 总计 = its four results) bring them back
where only one set of lengths satisfies them. Callers emit only cells on which every surviving
expansion agrees, so an ambiguous row costs its uncertain cells, never a guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

Number = int | float
_LIMIT = 64  # expansions kept; a row with more is hopeless anyway


def collapsed_expansions(values: Sequence[Number], width: int, blocks: Sequence[int] = ()) -> list[tuple[Number, ...]]:
    """Every row of `width` cells that collapses to `values` and satisfies the sum `blocks`.

    Without blocks only the trivial cases are readable: as many values as cells, or one value
    repeated across the row. Neighbouring equal values cannot come out of a collapse: no reading.
    """
    count = len(values)
    if not 0 < count <= width or any(a == b for a, b in pairwise(values)):
        return []
    if not blocks:
        return [tuple(values) * (width // count)] if count in (1, width) else []
    ends = _block_ends(blocks)
    found: list[tuple[Number, ...]] = []

    def walk(index: int, acc: tuple[Number, ...]) -> None:
        if len(found) >= _LIMIT or not _blocks_hold(acc, ends):
            return
        runs_left = count - index - 1
        if runs_left == 0:
            row = acc + (values[index],) * (width - len(acc))
            if _blocks_hold(row, ends):
                found.append(row)
            return
        for length in range(1, width - len(acc) - runs_left + 1):
            walk(index + 1, acc + (values[index],) * length)

    walk(0, ())
    return found


def _block_ends(blocks: Sequence[int]) -> list[tuple[int, int]]:
    """(start, end) of each summed block in the row."""
    spans, start = [], 0
    for size in blocks:
        spans.append((start, start + size))
        start += size
    return spans


def _blocks_hold(row: Sequence[Number], spans: Sequence[tuple[int, int]]) -> bool:
    """Every block that `row` already covers has its last cell equal to the sum of the others."""
    return all(sum(row[start : end - 1]) == row[end - 1] for start, end in spans if end <= len(row))


def blank_placements(
    values: Sequence[Number], width: int, blocks: Sequence[int], limit: int = _LIMIT
) -> list[tuple[Number | None, ...]]:
    """Every row of `width` cells holding `values` in order, the other cells blank (None).

    PDF text and some crawls drop blank cells without a trace (Shanghai leaves zeros blank), so
    `12 1 13` may be any three of seven cells. A blank reads as zero in the sum `blocks`, and
    only placements where every block holds survive. More than `limit` placements: no reading.
    """
    count = len(values)
    if not blocks or not 0 < count < width:
        return []
    ends = _block_ends(blocks)
    found: list[tuple[Number | None, ...]] = []

    def walk(index: int, acc: tuple[Number | None, ...]) -> bool:
        zeroed = tuple(0 if v is None else v for v in acc)
        if not _blocks_hold(zeroed, ends):
            return True
        if len(acc) == width:
            found.append(acc)
            return len(found) <= limit
        if index < count and not walk(index + 1, (*acc, values[index])):
            return False
        return width - len(acc) <= count - index or walk(index, (*acc, None))

    return found if walk(0, ()) else []
