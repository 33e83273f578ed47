"""The one table-row flattening every reader uses, so one downstream table parser serves all."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_WS = re.compile(r"\s+")


Box = tuple[float, float, float, float]
"""x0, top, x1, bottom in PDF points from the page's top-left corner (pdfplumber's coordinates)."""


def rounded(box: Box) -> Box:
    """Rounded to 0.1 pt (text layer and OCR alike): finer than any glyph, and it keeps a long report's layout
    small in the message."""
    x0, top, x1, bottom = box
    return (round(x0, 1), round(top, 1), round(x1, 1), round(bottom, 1))


@dataclass(frozen=True)
class PlacedLine:
    """One line of a PDF reader's text and where it stands: its page, its box, and for a table row the box
    of each ` |`-closed cell in order (text layer and OCR alike), so facts can point back at the page."""

    text: str
    page: int
    box: Box
    cells: tuple[Box, ...] = ()


@dataclass(frozen=True)
class Extracted:
    """A reader's output: body text, the page title if the format has one, and `aside` text
    (page chrome outside the main content) that metadata may read but the body must not carry.
    `lines`, when a reader knows placement (PDF), are the lines of `text` in order with their boxes;
    `ocr_pages` name the pages recognised by OCR, `ocr_confidence` the engine's mean confidence on them;
    `warnings` say what the reader had to leave out (scanned pages past the OCR page cap)."""

    text: str
    title: str | None = None
    aside: str = ""
    lines: tuple[PlacedLine, ...] = ()
    ocr_pages: tuple[int, ...] = ()
    ocr_confidence: float | None = None
    warnings: tuple[str, ...] = ()


def cell_text(text: str | None) -> str:
    """Cell content on one line: intra-cell breaks become spaces (`商业\\n企业` → `商业 企业`)."""
    return _WS.sub(" ", text or "").strip()


def render_row(cells: Iterable[str | None]) -> str:
    """`信息内容 | 本年制发件数 | |`: each cell closed by ` |`, an empty cell is a bare `|`."""
    return " ".join(f"{c} |" if c else "|" for c in map(cell_text, cells))
