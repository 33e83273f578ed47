"""PDF → lines with pdfplumber: page text in reading order, ruled tables as ` | ` rows, each line with its box."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from operator import itemgetter

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.table import Table
from pdfplumber.utils.exceptions import PdfminerException

from services.normalizer.ocr import OcrOptions, OcrResult, OcrTarget, engine_available, recognise
from services.normalizer.rows import Box, Extracted, PlacedLine, render_row, rounded
from shared.failures import PermanentError

# Page chrome on a page's first/last line: `15`, `- 3 -`, `— 5 —`, `第 2 页 共 4 页`, `Page 9`, `P. 9`
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–\s]*\d{1,4}[-—–\s]*|第\s*\d+\s*页\s*(?:[,/]?\s*共\s*\d+\s*页)?|(?:Page|P\.)\s*\d+.*"
    r"|\d+\s*/\s*\d+)$",
    re.IGNORECASE,
)
_MIN_CHARS_PER_PAGE = 20  # fewer extractable characters than this means images of text
_CID = re.compile(r"\(cid:\d+\)")
# An image this share of the page's width and this tall, with no text over it, may be a table (one row at least);
# a seal, a logo or a signature is narrower
_MIN_IMAGE_WIDTH_SHARE = 0.4
_MIN_IMAGE_POINTS = 15.0
_EDGES = itemgetter("x0", "top", "x1", "bottom")  # a pdfplumber object's box
_PROSE_CELL_CHARS = 20  # a lone cell this long in a ruled frame is a line of text (a table label is shorter)


def _inside(obj: dict[str, float], bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    return obj["x0"] >= x0 - 1 and obj["x1"] <= x1 + 1 and obj["top"] >= top - 1 and obj["bottom"] <= bottom + 1


def _rendered(cells: list[str | None]) -> tuple[str, bool]:
    """A table row and whether it prints as one (` |`-closed cells); a lone long cell is a prose line
    inside a ruled frame, kept without a pipe."""
    filled = [c for c in cells if c]
    if len(filled) == 1 and "\n" not in filled[0] and (len(filled[0]) >= _PROSE_CELL_CHARS or filled[0][-1] in "。;."):
        return filled[0], False
    return render_row(cells), True


def _table_rows(table: Table, page_number: int) -> list[PlacedLine]:
    """One line per printed row with the box of the row and of each rendered cell.

    Merged cells come back as None (text and box alike): they are not rendered, like an HTML colspan,
    so the cell boxes stay aligned with the ` |`-closed cells `render_row` prints."""
    placed = []
    for row, texts in zip(table.rows, table.extract(), strict=True):
        kept = [(box, text) for box, text in zip(row.cells, texts, strict=True) if text is not None]
        text, is_row = _rendered([text for _, text in kept])
        if text.strip("| "):
            cells = tuple(rounded(box) for box, _ in kept) if is_row else ()
            placed.append(PlacedLine(text=text, page=page_number, box=rounded(row.bbox), cells=cells))
    return placed


def _page_lines(page: pdfplumber.page.Page) -> list[PlacedLine]:
    """Text lines and table rows of one page with their boxes, ordered top to bottom, page numbers dropped."""
    # a ruled frame around prose comes back as a one-column "table": its lines are text, not rows
    tables = [t for t in page.find_tables() if any(sum(1 for c in row if c) > 1 for row in t.extract())]
    boxes = [t.bbox for t in tables]
    outside = page.filter(lambda o: not any(_inside(o, b) for b in boxes)) if boxes else page
    # blocks ordered by their top; a table's rows stay together in table order
    blocks = [
        (line["top"], [PlacedLine(line["text"], page.page_number, rounded(_EDGES(line)))])
        for line in outside.extract_text_lines()
    ]
    blocks += [(table.bbox[1], _table_rows(table, page.page_number)) for table in tables]
    return _without_page_numbers(
        [line for _, block in sorted(blocks, key=lambda b: b[0]) for line in block if line.text.strip()]
    )


def _without_page_numbers(lines: list[PlacedLine]) -> list[PlacedLine]:
    """A page's lines less the page number on its first or last line."""
    while lines and _PAGE_NUMBER.match(lines[-1].text.strip()):
        lines.pop()
    while lines and _PAGE_NUMBER.match(lines[0].text.strip()):
        lines.pop(0)
    return lines


def _visible_chars(lines: Sequence[PlacedLine]) -> int:
    return len(re.sub(r"\s", "", _CID.sub("", "\n".join(line.text for line in lines))))


def _lacks_text_layer(lines: Sequence[PlacedLine], min_chars: float = _MIN_CHARS_PER_PAGE) -> bool:
    """Images of text: fewer than `min_chars` extractable characters, or mostly unmapped glyphs `(cid:N)`."""
    visible = _visible_chars(lines)
    return visible < min_chars or sum(len(_CID.findall(line.text)) for line in lines) > visible


def _image_regions(page: pdfplumber.page.Page) -> list[Box]:
    """Images large enough to hold a table with no text-layer character over them: text only OCR can read."""
    regions = []
    for image in page.images:
        box = (
            max(image["x0"], 0),
            max(image["top"], 0),
            min(image["x1"], page.width),
            min(image["bottom"], page.height),
        )
        wide = box[2] - box[0] >= _MIN_IMAGE_WIDTH_SHARE * page.width and box[3] - box[1] >= _MIN_IMAGE_POINTS
        # the size first: a seal or a logo (most images of a report) is never walked over every character
        if wide and not any(_inside(char, box) for char in page.chars):
            regions.append(rounded(box))
    return regions


def _inserted(lines: list[PlacedLine], block: list[PlacedLine]) -> list[PlacedLine]:
    """A region's lines placed among the page's text lines by their top."""
    if not block:
        return lines
    at = next((i for i, line in enumerate(lines) if line.box[1] > block[0].box[1]), len(lines))
    return [*lines[:at], *block, *lines[at:]]


def _with_ocr(
    content: bytes, pages: list[list[PlacedLine]], targets: list[OcrTarget], ocr: OcrOptions
) -> tuple[list[list[PlacedLine]], OcrResult]:
    """Scanned pages and image regions recognised by OCR; a page keeps its text layer when OCR reads less."""
    recognised = recognise(content, targets, ocr)
    pages = list(pages)
    for target, block in zip(recognised.targets, recognised.blocks, strict=True):
        lines = pages[target.page - 1]
        if target.box is not None:
            pages[target.page - 1] = _inserted(lines, list(block))
        elif _visible_chars(read := _without_page_numbers(list(block))) > _visible_chars(lines):
            pages[target.page - 1] = read
    return pages, recognised


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


def pdf_to_text(content: bytes, ocr: OcrOptions | None = None) -> Extracted:
    """All pages' lines; raises PermanentError for unreadable, password-protected or image-only PDFs.

    With `ocr` enabled and the engine installed, pages without a usable text layer are recognised by OCR
    instead; an image-only PDF fails only when OCR is off, missing, or reads too little text as well.

    A PDF with only an owner password (permissions: no copying, no printing) opens with the empty
    user password, which pdfminer tries by itself: its text is extracted like any other.
    """
    try:
        with pdfplumber.open(io.BytesIO(content)) as pdf:
            pages = [_page_lines(page) for page in pdf.pages]
            images = [_image_regions(page) for page in pdf.pages] if ocr is not None and ocr.enabled else []
    except (PdfminerException, PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise _unreadable(exc) from exc
    recognised = OcrResult(targets=(), blocks=(), confidence=None)
    warnings: tuple[str, ...] = ()
    scanned = [number for number, lines in enumerate(pages, 1) if _lacks_text_layer(lines)]
    regions = [OcrTarget(n, box) for n, boxes in enumerate(images, 1) if n not in scanned for box in boxes]
    targets = [OcrTarget(n) for n in scanned] + regions
    if ocr is not None and ocr.enabled and targets and engine_available():
        pages, recognised = _with_ocr(content, pages, targets, ocr)
        if unread := sorted({target.page for target in targets[len(recognised.targets) :]}):
            warnings = (f"OCR page cap ({ocr.max_pages}) reached: page(s) {', '.join(map(str, unread))} left unread",)
    lines = tuple(line for page in pages for line in page)
    text = "\n".join(line.text for line in lines)
    if _lacks_text_layer(lines, _MIN_CHARS_PER_PAGE * max(1, len(pages)) / 2):  # the document as a whole
        visible = _visible_chars(lines)
        if recognised.targets:  # OCR ran and read too little as well: a blank or illegible scan
            raise PermanentError(
                f"scanned PDF, OCR read only {visible} characters on {len(pages)} page(s) "
                f"(page(s) {', '.join(map(str, recognised.pages))} recognised)"
            )
        raise PermanentError(f"scanned PDF, needs OCR: {len(pages)} page(s) but only {visible} extractable characters")
    return Extracted(
        text=text, lines=lines, ocr_pages=recognised.pages, ocr_confidence=recognised.confidence, warnings=warnings
    )
