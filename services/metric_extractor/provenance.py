"""Where a fact's evidence stands on the PDF page: the box a reader checks the number against.

The normalized document's layout places each line and each table cell of a PDF's text. A fact in one
cell gets that cell's box; a fact in a prose line gets the line's box narrowed to the evidence by
character position (a full-width character counts twice a half-width one, as fonts print them); an
evidence spanning several cells or lines (a derived subtotal) gets the box around them on its first
page. Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Sequence

from shared.messages.v1 import MetricFact, PageBox, Placement

_NUMBER = re.compile(r"\d+")


def _width(text: str) -> int:
    """Printed width in half-width units."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _narrowed(placement: Placement, start: int, end: int, text: str) -> PageBox:
    """The part of a line's box that prints text[start:end] (clipped to the line)."""
    start, end = max(start, placement.start), min(end, placement.end)
    line = text[placement.start : placement.end]
    total = _width(line) or 1
    scale = (placement.x1 - placement.x0) / total
    left = placement.x0 + _width(line[: start - placement.start]) * scale
    right = placement.x0 + _width(line[: end - placement.start]) * scale
    left = min(max(placement.x0, round(left, 1)), placement.x1)  # 0.1 pt like the layout, never outside the line
    right = min(max(left, round(right, 1)), placement.x1)
    return PageBox(page=placement.page, x0=left, top=placement.top, x1=right, bottom=placement.bottom)


def _union(boxes: Sequence[PageBox]) -> PageBox:
    return PageBox(
        page=boxes[0].page,
        x0=min(b.x0 for b in boxes),
        top=min(b.top for b in boxes),
        x1=max(b.x1 for b in boxes),
        bottom=max(b.bottom for b in boxes),
    )


def _inside(inner: Placement, outer: Placement) -> bool:
    """`inner` is a strict part of `outer` (a cell of its row)."""
    return (
        outer.page == inner.page
        and outer.start <= inner.start
        and inner.end <= outer.end
        and outer.end - outer.start > inner.end - inner.start
    )


def _nearby(
    layout: Sequence[Placement], starts: Sequence[int], start: int, end: int, reach: int
) -> Sequence[Placement]:
    """The placements that may overlap [start, end): layout is ordered by start, none longer than `reach`."""
    return layout[bisect_left(starts, start - reach) : bisect_left(starts, end)]


def _box(placement: Placement) -> PageBox:
    return PageBox(page=placement.page, x0=placement.x0, top=placement.top, x1=placement.x1, bottom=placement.bottom)


class _Locator:
    """Boxes of evidence spans over one document's layout (ordered by start, as the normalizer writes it)."""

    def __init__(self, layout: Sequence[Placement], text: str) -> None:
        self._layout = sorted(layout, key=lambda p: p.start)
        self._starts = [p.start for p in self._layout]
        self._reach = max((p.end - p.start for p in self._layout), default=0)
        self._text = text

    def box(self, start: int, end: int) -> PageBox | None:
        nearby = _nearby(self._layout, self._starts, start, end, self._reach)
        overlapping = [p for p in nearby if p.start < end and start < p.end]
        leaves = [p for p in overlapping if not any(_inside(q, p) for q in overlapping)]  # cells, not their row
        # an evidence wrapped over lines is shown where its number is (a sentence's first word may end a line)
        numbers = [m.span() for m in _NUMBER.finditer(self._text, start, end)]
        leaves = [p for p in leaves if any(p.start < b and a < p.end for a, b in numbers)] or leaves
        if not leaves:
            return None
        page = leaves[0].page
        return _union([self._leaf_box(p, overlapping, start, end) for p in leaves if p.page == page])

    def _leaf_box(self, placement: Placement, overlapping: Sequence[Placement], start: int, end: int) -> PageBox:
        """A prose line's box hugs its text, so it narrows to the evidence; a cell's box is its ruled frame."""
        in_table = "|" in self._text[placement.start : placement.end] or any(_inside(placement, q) for q in overlapping)
        return _box(placement) if in_table else _narrowed(placement, start, end, self._text)


def with_boxes(facts: Sequence[MetricFact], layout: Sequence[Placement], text: str) -> list[MetricFact]:
    """`facts` each with the box of its evidence (unchanged when the document has no layout)."""
    if not layout:
        return list(facts)
    locate = _Locator(layout, text)
    return [fact.model_copy(update={"box": locate.box(fact.start, fact.end)}) for fact in facts]
