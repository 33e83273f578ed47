"""A fact's page crop: the region of the PDF page around its evidence, the number marked, as PNG.

Pure: bytes in, bytes out (pdfium renders, Pillow draws and encodes). pdfium is not thread-safe, so
renders run one at a time behind a lock (the route runs them off the event loop).
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Hashable

import pypdfium2 as pdfium
from PIL import ImageDraw

from shared.messages.v1 import PageBox

MARK_COLOUR = (200, 16, 46)  # the page's own red (#c8102e): a rectangle around the evidence
MARK_WIDTH = 3  # pixels
MARGIN = 36.0  # points of page shown around the evidence on each side (half an inch)
SCALE = 2.0  # pixels per point: 144 dpi, sharp on a high-density screen
MAX_SIDE = 612.0  # points: a crop is at most a US-letter width on each side, whatever box it is asked
_PDFIUM = threading.Lock()


class CropError(ValueError):
    """The box cannot be cut from this file (not a PDF pdfium reads, no such page, or the box lies off the page)."""


def render_crop(pdf: bytes, box: PageBox) -> bytes:
    """PNG of the page region around `box` (PDF points from the top-left corner) with `box` outlined."""
    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(pdf)
        except pdfium.PdfiumError as exc:
            raise CropError(f"not a readable PDF: {exc}") from exc
        try:
            if not 1 <= box.page <= len(document):
                raise CropError(f"page {box.page} of a {len(document)}-page PDF")
            page = document[box.page - 1]
            width, height = page.get_size()
            left, top = max(0.0, box.x0 - MARGIN), max(0.0, box.top - MARGIN)
            right = min(width, box.x1 + MARGIN, left + MAX_SIDE)
            bottom = min(height, box.bottom + MARGIN, top + MAX_SIDE)
            if right <= left or bottom <= top:
                raise CropError(f"box {box} lies off the {width:.0f}×{height:.0f} pt page")
            # pdfium crops by the amount cut off each edge: (left, bottom, right, top), bottom-up points
            bitmap = page.render(scale=SCALE, crop=(left, height - bottom, width - right, top))
            image = bitmap.to_pil().convert("RGB")
        finally:
            document.close()
    outline = [(box.x0 - left) * SCALE, (box.top - top) * SCALE, (box.x1 - left) * SCALE, (box.bottom - top) * SCALE]
    pad = MARK_WIDTH + 1  # the rectangle sits just outside the evidence, not over its glyphs
    ImageDraw.Draw(image).rectangle(
        [outline[0] - pad, outline[1] - pad, outline[2] + pad, outline[3] + pad], outline=MARK_COLOUR, width=MARK_WIDTH
    )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


class BoundedCache:
    """Least-recently-used bytes by key, bounded by total size; a value larger than the bound is not kept."""

    def __init__(self, max_bytes: int) -> None:
        self._max_bytes = max_bytes
        self._items: OrderedDict[Hashable, bytes] = OrderedDict()
        self._size = 0

    def get(self, key: Hashable) -> bytes | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: Hashable, value: bytes) -> None:
        if len(value) > self._max_bytes:
            return
        if (old := self._items.pop(key, None)) is not None:
            self._size -= len(old)
        self._items[key] = value
        self._size += len(value)
        while self._size > self._max_bytes:
            _, evicted = self._items.popitem(last=False)
            self._size -= len(evicted)
