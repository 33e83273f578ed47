"""Chinese report PDFs drawn in tests with reportlab's built-in STSong CID font (no font file needed):
prose lines and ruled tables at known places, the way government PDFs print them."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
LINE_STEP = 20  # points between two prose baselines
ROW_HEIGHT = 18  # points, one ruled table row


@dataclass(frozen=True)
class RuledTable:
    """Rows of cells; None merges a cell into the one on its left (a colspan)."""

    rows: list[list[str | None]]
    widths: list[float]


def report_pdf(pages: list[list[str | RuledTable]], page_numbers: bool = True) -> bytes:
    """One PDF page per list: prose lines and ruled tables top to bottom, a `- n -` footer per page."""
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer)
    for number, blocks in enumerate(pages, 1):
        drawing.setFont(FONT, 10)
        y = 800.0
        for block in blocks:
            if isinstance(block, str):
                drawing.drawString(40, y, block)
                y -= LINE_STEP
            else:
                y = _draw_table(drawing, block, y)
        if page_numbers:
            drawing.drawString(290, 40, f"- {number} -")
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def _draw_table(drawing: canvas.Canvas, table: RuledTable, y: float) -> float:
    """Each cell ruled and its text 2 pt in from the left; returns the baseline below the table."""
    for row in table.rows:
        x = 30.0
        spans: list[tuple[float, float, str]] = []  # x, width, text of each drawn cell
        for width, cell in zip(table.widths, row, strict=True):
            if cell is None and spans:
                left, span, text = spans[-1]
                spans[-1] = (left, span + width, text)
            else:
                spans.append((x, width, cell or ""))
            x += width
        for left, width, text in spans:
            drawing.rect(left, y - 6, width, ROW_HEIGHT)
            drawing.drawString(left + 2, y, text)
        y -= ROW_HEIGHT
    return y - LINE_STEP


REQUESTS_TABLE = RuledTable(
    rows=[
        ["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
        ["一、本年新收政府信息公开申请数量", "50", "5", "0", "0", "1", "0", "56"],
        ["二、上年结转政府信息公开申请数量", "2", "0", "0", "0", "3", "0", ""],  # blank 总计: a derived fact
    ],
    widths=[190, 40, 45, 45, 60, 60, 30, 30],
)
"""The head of the 2021 template's requests table as PDFs print it: 56 new requests, 5 carried over."""
