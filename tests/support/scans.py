"""Scanned copies of report PDFs, made in the tests: each page rendered to a grey image, turned slightly, speckled
with noise and saved as an image-only PDF (no text layer), as a scanner delivers a printed report (图片版).

Rendering the Chinese text needs a CJK font on the machine (Debian's fonts-noto-cjk, installed by `make browser`,
which `make test` runs first); pdfium substitutes it for the PDF's non-embedded STSong.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import numpy as np
import pypdfium2
from PIL import Image, ImageOps
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from tests.support.report_pdf import FONT, LINE_STEP, ROW_HEIGHT, RuledTable, report_pdf

FIXTURE_2021 = Path(__file__).parent.parent / "fixtures" / "reports" / "fmt2021_rows.txt"
_PAGE_POINTS = 740  # drawable height of report_pdf's A4 page: first baseline at 800, footer at 40
_PROSE_CHARS = 48  # 10 pt characters on one 515 pt line
_NUMBER_WIDTH = 30.0  # points of a number cell
_TABLE_WIDTH = 535.0
_MAX_LABEL_CHARS = 30  # longer row labels would spill out of their cell at 10 pt


def _widths(row: list[str]) -> list[float]:
    """Number cells narrow, label cells sharing the rest in proportion to their length."""
    numeric = [cell.isdigit() for cell in row]
    labels = [max(len(cell), 2) for cell, number in zip(row, numeric, strict=True) if not number]
    rest = _TABLE_WIDTH - _NUMBER_WIDTH * sum(numeric)
    shares = iter(rest * n / sum(labels) for n in labels) if labels else iter(())
    return [_NUMBER_WIDTH if number else next(shares) for number in numeric]


def report_blocks(flattened: str) -> list[list[str | RuledTable]]:
    """A flattened report (prose lines, ` |`-closed table rows) laid out as report_pdf pages: prose wrapped,
    consecutive rows of the same cell count drawn as one ruled table, rows with overlong labels left out."""
    blocks: list[str | RuledTable] = []
    for line in flattened.splitlines():
        if not line.strip():
            continue
        if not line.rstrip().endswith("|"):
            blocks += textwrap.wrap(line.strip(), _PROSE_CHARS)
            continue
        row = [cell.strip() for cell in line.rstrip().rstrip("|").split(" | ")]
        if sum(len(cell) for cell in row if not cell.isdigit()) > _MAX_LABEL_CHARS:
            continue
        previous = blocks[-1] if blocks else None
        if isinstance(previous, RuledTable) and len(previous.rows[0]) == len(row):
            previous.rows.append(row)
        else:
            blocks.append(RuledTable(rows=[row], widths=_widths(row)))
    pages: list[list[str | RuledTable]] = [[]]
    used = 0.0
    for block in blocks:
        height = LINE_STEP if isinstance(block, str) else ROW_HEIGHT * len(block.rows) + LINE_STEP
        if used + height > _PAGE_POINTS and pages[-1]:
            pages.append([])
            used = 0.0
        pages[-1].append(block)
        used += height
    return pages


def report_2021_pdf() -> bytes:
    """A text-layer PDF of the 2021-format fixture report, its statistics tables ruled."""
    return report_pdf(report_blocks(FIXTURE_2021.read_text(encoding="utf-8")))


def scanned_pdf(pdf: bytes, *, dpi: int = 150, degrees: float = 0.7, noise: float = 12.0, seed: int = 0) -> bytes:
    """`pdf`'s pages as images only: rendered at `dpi`, rotated by `degrees`, with Gaussian grain of `noise`
    grey levels and 0.2 % dust specks (seeded: the same bytes every run)."""
    rng = np.random.default_rng(seed)
    images = []
    document = pypdfium2.PdfDocument(pdf)
    for page in document:
        grey = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        turned = grey.rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=255)
        pixels = np.asarray(turned, dtype=np.float32) + rng.normal(0, noise, (turned.height, turned.width))
        pixels[rng.random(pixels.shape) < 0.002] = 0
        images.append(Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)))
    document.close()
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return buffer.getvalue()


def pdf_with_table_image(before: list[str], table: RuledTable, after: list[str], dpi: int = 200) -> bytes:
    """A text-layer page whose table is a picture (a screenshot pasted into the report): prose lines, the table
    rendered at `dpi` and placed as an image, more prose below it."""
    rendered = pypdfium2.PdfDocument(report_pdf([[table]], page_numbers=False))[0].render(scale=dpi / 72).to_pil()
    picture = rendered.crop(ImageOps.invert(rendered.convert("L")).getbbox())
    width, height = picture.width * 72 / dpi, picture.height * 72 / dpi
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont(FONT, 10)
    y = 800.0
    for line in before:
        page.drawString(40, y, line)
        y -= LINE_STEP
    page.drawImage(ImageReader(picture), 30, y - height, width, height)
    y -= height + LINE_STEP
    for line in after:
        page.drawString(40, y, line)
        y -= LINE_STEP
    page.save()
    return buffer.getvalue()
