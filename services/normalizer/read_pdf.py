"""PDF → lines with pdfplumber: page text in reading order, ruled tables as ` | ` rows."""

from __future__ import annotations

import io
import re

import pdfplumber
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from services.normalizer.rows import Extracted, render_row
from shared.failures import PermanentError

# Page chrome on a page's first/last line: `15`, `- 3 -`, `— 5 —`, `第 2 页 共 4 页`, `Page 9`, `P. 9`
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–\s]*\d{1,4}[-—–\s]*|第\s*\d+\s*页\s*(?:[,/]?\s*共\s*\d+\s*页)?|(?:Page|P\.)\s*\d+.*"
    r"|\d+\s*/\s*\d+)$",
    re.IGNORECASE,
)
_MIN_CHARS_PER_PAGE = 20  # fewer extractable characters than this means images of text
_CID = re.compile(r"\(cid:\d+\)")


def _inside(obj: dict[str, float], bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    return obj["x0"] >= x0 - 1 and obj["x1"] <= x1 + 1 and obj["top"] >= top - 1 and obj["bottom"] <= bottom + 1


def _page_lines(page: pdfplumber.page.Page) -> list[str]:
    """Text lines and table rows of one page, ordered top to bottom, page numbers dropped."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    outside = page.filter(lambda o: not any(_inside(o, b) for b in boxes)) if boxes else page
    placed = [(line["top"], line["text"]) for line in outside.extract_text_lines()]
    for table in tables:
        # merged cells come back as None: render them once, like an HTML colspan
        rows = [render_row(c for c in row if c is not None) for row in table.extract()]
        placed.append((table.bbox[1], "\n".join(r for r in rows if r.strip("| "))))
    lines = [text for _, text in sorted(placed, key=lambda p: p[0]) if text.strip()]
    while lines and _PAGE_NUMBER.match(lines[-1].strip()):
        lines.pop()
    while lines and _PAGE_NUMBER.match(lines[0].strip()):
        lines.pop(0)
    return lines


def pdf_to_text(content: bytes) -> Extracted:
    """All pages' lines; raises PermanentError for unreadable or image-only PDFs."""
    try:
        with pdfplumber.open(io.BytesIO(content)) as pdf:
            pages = [_page_lines(page) for page in pdf.pages]
    except (PdfminerException, PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise PermanentError(f"PDF cannot be read (damaged or encrypted): {exc}") from exc
    text = "\n".join(line for page in pages for line in page)
    visible = len(re.sub(r"\s", "", _CID.sub("", text)))
    if visible < _MIN_CHARS_PER_PAGE * max(1, len(pages)) / 2 or len(_CID.findall(text)) > visible:
        raise PermanentError(f"scanned PDF, needs OCR: {len(pages)} page(s) but only {visible} extractable characters")
    return Extracted(text=text)
