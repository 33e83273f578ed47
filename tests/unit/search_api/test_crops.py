"""Page crops: the region around a box, the box outlined in the marking colour, and a bounded cache."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from services.search_api.crops import MARGIN, MARK_COLOUR, SCALE, BoundedCache, CropError, render_crop
from shared.messages.v1 import PageBox
from tests.support.images import png_colours
from tests.support.report_pdf import report_pdf

PDF = report_pdf([["某县人民政府2021年政府信息公开工作年度报告", "全年共收到政府信息公开申请56件。"]])
LINE = PageBox(page=1, x0=40.0, top=54.6, x1=210.0, bottom=64.6)  # the second line (pdfplumber's box)


def about(size: tuple[int, int], expected: tuple[float, float]) -> bool:
    """Pixel sizes as pdfium rounds them (to a pixel either way)."""
    return all(abs(got - want) <= 1 for got, want in zip(size, expected, strict=True))


def test_the_crop_shows_the_box_with_a_margin_and_marks_it() -> None:
    png = render_crop(PDF, LINE)
    image = Image.open(io.BytesIO(png))
    assert about(image.size, ((LINE.x1 - LINE.x0 + 2 * MARGIN) * SCALE, (LINE.bottom - LINE.top + 2 * MARGIN) * SCALE))
    colours = png_colours(png)
    assert MARK_COLOUR in colours
    assert any(sum(colour) < 200 for colour in colours)  # the printed glyphs are in it


def test_a_box_at_the_page_corner_is_clipped_to_the_page() -> None:
    image = Image.open(io.BytesIO(render_crop(PDF, PageBox(page=1, x0=0, top=0, x1=20, bottom=10))))
    assert about(image.size, ((20 + MARGIN) * SCALE, (10 + MARGIN) * SCALE))


@pytest.mark.parametrize(
    ("pdf", "box"),
    [
        (PDF, PageBox(page=2, x0=40, top=54, x1=210, bottom=64)),  # no such page
        (PDF, PageBox(page=1, x0=5000, top=5000, x1=5100, bottom=5100)),  # off the page
        (b"<html>not a pdf</html>", LINE),
    ],
)
def test_what_cannot_be_cropped_says_why(pdf: bytes, box: PageBox) -> None:
    with pytest.raises(CropError):
        render_crop(pdf, box)


def test_the_cache_keeps_the_most_recently_used_within_its_bytes() -> None:
    cache = BoundedCache(max_bytes=10)
    cache.put("a", b"1234")
    cache.put("b", b"1234")
    assert cache.get("a") == b"1234"  # a is now the most recent
    cache.put("c", b"1234")  # 12 bytes: b goes
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (b"1234", None, b"1234")
    cache.put("huge", b"x" * 11)
    assert cache.get("huge") is None and cache.get("c") == b"1234"
