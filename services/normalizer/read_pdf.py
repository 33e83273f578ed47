"""PDF → lines with pdfplumber: page text in reading order, ruled tables as ` | ` rows."""

from __future__ import annotations

import io
import re

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
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
_PROSE_CELL_CHARS = 20  # a lone cell this long in a ruled frame is a line of text (a table label is shorter)


def _inside(obj: dict[str, float], bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    return obj["x0"] >= x0 - 1 and obj["x1"] <= x1 + 1 and obj["top"] >= top - 1 and obj["bottom"] <= bottom + 1


def _row_or_prose(cells: list[str | None]) -> str:
    """A table row; a lone long cell is a prose line inside a ruled frame, kept without a pipe."""
    filled = [c for c in cells if c]
    if len(filled) == 1 and "\n" not in filled[0] and (len(filled[0]) >= _PROSE_CELL_CHARS or filled[0][-1] in "。;."):
        return filled[0]
    return render_row(cells)


def _page_lines(page: pdfplumber.page.Page) -> list[str]:
    """Text lines and table rows of one page, ordered top to bottom, page numbers dropped."""
    # a ruled frame around prose comes back as a one-column "table": its lines are text, not rows
    tables = [t for t in page.find_tables() if any(sum(1 for c in row if c) > 1 for row in t.extract())]
    boxes = [t.bbox for t in tables]
    outside = page.filter(lambda o: not any(_inside(o, b) for b in boxes)) if boxes else page
    placed = [(line["top"], line["text"]) for line in outside.extract_text_lines()]
    for table in tables:
        # merged cells come back as None: render them once, like an HTML colspan
        rows = [_row_or_prose([c for c in row if c is not None]) for row in table.extract()]
        placed.append((table.bbox[1], "\n".join(r for r in rows if r.strip("| "))))
    lines = [text for _, text in sorted(placed, key=lambda p: p[0]) if text.strip()]
    while lines and _PAGE_NUMBER.match(lines[-1].strip()):
        lines.pop()
    while lines and _PAGE_NUMBER.match(lines[0].strip()):
        lines.pop(0)
    return lines


def _unreadable(exc: Exception) -> Exception:
    """The reason for a PDF pdfminer refuses; pdfplumber wraps every pdfminer error, even running out of memory."""
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, MemoryError):
        return cause  # the worker's memory limit, reported as such
    if isinstance(cause, PDFPasswordIncorrect):
        return PermanentError("encrypted PDF: password needed (it opens only with a user password)")
    if isinstance(cause, PDFEncryptionError):
        return PermanentError(f"encrypted PDF: unsupported encryption ({cause or type(cause).__name__})")
    return PermanentError(f"PDF cannot be read (damaged): {cause or type(cause).__name__}")


def pdf_to_text(content: bytes) -> Extracted:
    """All pages' lines; raises PermanentError for unreadable, password-protected or image-only PDFs.

    A PDF with only an owner password (permissions: no copying, no printing) opens with the empty
    user password, which pdfminer tries by itself: its text is extracted like any other.
    """
    try:
        with pdfplumber.open(io.BytesIO(content)) as pdf:
            pages = [_page_lines(page) for page in pdf.pages]
    except (PdfminerException, PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise _unreadable(exc) from exc
    text = "\n".join(line for page in pages for line in page)
    visible = len(re.sub(r"\s", "", _CID.sub("", text)))
    if visible < _MIN_CHARS_PER_PAGE * max(1, len(pages)) / 2 or len(_CID.findall(text)) > visible:
        raise PermanentError(f"scanned PDF, needs OCR: {len(pages)} page(s) but only {visible} extractable characters")
    return Extracted(text=text)
