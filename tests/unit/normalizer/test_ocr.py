"""OCR line and row reconstruction from text boxes (pure), rule erasure, and the scanned-PDF fallbacks."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.normalizer import ocr, read_pdf
from services.normalizer.ocr import OcrOptions, TextBox, boxes_from_quads, erase_rules, lines_from_boxes
from services.normalizer.read_pdf import pdf_to_text
from shared.failures import PermanentError
from tests.support.report_pdf import RuledTable, report_pdf
from tests.support.scans import pdf_with_table_image, scanned_pdf


def box(text: str, x0: float, top: float, x1: float, height: float = 10.0) -> TextBox:
    return TextBox(text=text, box=(x0, top, x1, top + height), confidence=0.9)


def test_prose_lines_come_top_to_bottom_whatever_the_box_order() -> None:
    lines = lines_from_boxes([box("二、主动公开政府信息情况", 40, 60, 160), box("一、总体情况", 40, 40, 100)], page=2)
    assert [line.text for line in lines] == ["一、总体情况", "二、主动公开政府信息情况"]
    assert [line.page for line in lines] == [2, 2]
    assert lines[0].cells == () and lines[0].box == (40, 40, 100, 50)


def test_separate_boxes_on_one_line_are_a_table_row_rendered_like_the_text_layer() -> None:
    row = [box("规章", 40, 100, 60), box("1", 200, 101, 205), box("0", 260, 99, 265), box("12", 320, 100, 330)]
    [line] = lines_from_boxes(row, page=1)
    assert line.text == "规章 | 1 | 0 | 12 |"
    assert line.cells == ((40, 100, 60, 110), (200, 101, 205, 111), (260, 99, 265, 109), (320, 100, 330, 110))
    assert line.box == (40, 99, 330, 111)


def test_close_boxes_join_into_one_cell_and_latin_words_keep_their_space() -> None:
    [line] = lines_from_boxes([box("电子邮箱：", 40, 10, 90), box("hzzwgk@126.com", 92, 10, 160)], page=1)
    assert line.text == "电子邮箱：hzzwgk@126.com"
    [latin] = lines_from_boxes([box("Annual", 40, 10, 70), box("Report", 72, 10, 100)], page=1)
    assert latin.text == "Annual Report"


def test_a_run_of_numbers_read_as_one_box_becomes_one_cell_per_number() -> None:
    [line] = lines_from_boxes([box("1.本机关不掌握相关政府信息10 0 0 0 0 0 10", 100, 10, 500)], page=1)
    assert line.text == "1.本机关不掌握相关政府信息 | 10 | 0 | 0 | 0 | 0 | 0 | 10 |"
    assert len(line.cells) == 8 and all(a[2] <= b[0] for a, b in zip(line.cells, line.cells[1:], strict=False))


def test_noise_marks_are_dropped_and_a_letter_o_alone_in_a_cell_is_a_zero() -> None:
    row = [box("行政处罚", 40, 10, 80), box("0.", 200, 10, 210), box(":", 230, 10, 232), box("o", 260, 10, 265)]
    assert [line.text for line in lines_from_boxes(row, page=1)] == ["行政处罚 | 0 | 0 |"]


def test_a_skewed_page_is_turned_back_so_a_row_stays_on_one_line() -> None:
    """1.5° over 400 px moves the last cell 10 px down, as far as a line's height: one row, not two."""
    angle = math.radians(1.5)

    def quad(x0: float, y0: float, width: float, height: float) -> list[list[float]]:
        corners = [(x0, y0), (x0 + width, y0), (x0 + width, y0 + height), (x0, y0 + height)]
        return [
            [x * math.cos(angle) - y * math.sin(angle), x * math.sin(angle) + y * math.cos(angle)] for x, y in corners
        ]

    found = [
        (quad(40, 300, 300, 12), "一、本年新收政府信息公开申请数量", 0.95),
        (quad(380, 300, 12, 12), "35", 0.9),
        (quad(430, 300, 12, 12), "38", 0.9),
        (quad(40, 330, 300, 12), "二、上年结转政府信息公开申请数量", 0.95),
        (quad(380, 330, 12, 12), "3", 0.9),
    ]
    lines = lines_from_boxes(boxes_from_quads(found, points_per_pixel=0.5), page=1)
    assert [line.text for line in lines] == [
        "一、本年新收政府信息公开申请数量 | 35 | 38 |",
        "二、上年结转政府信息公开申请数量 | 3 |",
    ]


texts = st.text(alphabet=st.sampled_from("0123456789 .:o一二、公开申请|ab"), max_size=20)
coordinates = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False)


@given(st.lists(st.tuples(texts, coordinates, coordinates, st.floats(0, 500), st.floats(0, 50)), max_size=40))
def test_reconstruction_never_crashes_and_rows_have_one_box_per_cell(
    items: list[tuple[str, float, float, float, float]],
) -> None:
    boxes = [TextBox(text, (x, y, x + width, y + height), 0.5) for text, x, y, width, height in items]
    for line in lines_from_boxes(boxes, page=3):
        assert line.page == 3 and line.text.strip()
        if line.cells:
            assert len(line.cells) == line.text.count(" |") >= 2


@given(st.lists(st.tuples(st.lists(st.tuples(coordinates, coordinates), min_size=4, max_size=4), texts), max_size=20))
def test_deskewing_never_crashes_on_arbitrary_quadrilaterals(
    quads: list[tuple[list[tuple[float, float]], str]],
) -> None:
    boxes = boxes_from_quads([(quad, text, 0.5) for quad, text in quads], points_per_pixel=0.36)
    assert all(b.box[0] <= b.box[2] and b.box[1] <= b.box[3] for b in boxes)


def test_rules_are_erased_and_strokes_of_text_kept() -> None:
    page = np.full((200, 400), 255, dtype=np.uint8)
    page[50:53, 10:390] = 0  # a horizontal rule, 380 px ≈ 137 pt at 2 px per point
    page[10:190, 200:202] = 0  # a vertical rule
    page[100:102, 20:40] = 0  # the stroke of `一`, 10 pt
    page[90:110, 60:62] = 0  # the stroke of `1`, 10 pt tall
    cleaned = erase_rules(page, pixels_per_point=2.0)
    assert (cleaned[50:53, 10:390] == 255).all() and (cleaned[10:190, 200:202] == 255).all()
    assert (cleaned[100:102, 20:40] == 0).all() and (cleaned[90:110, 60:62] == 0).all()


@pytest.fixture(scope="module")
def image_only_pdf() -> bytes:
    return scanned_pdf(report_pdf([["某县人民政府2021年政府信息公开工作年度报告", "一、总体情况"]]), dpi=72)


def test_scanned_pages_past_the_cap_are_left_unread_with_a_warning() -> None:
    pages = [
        ["某县人民政府2021年政府信息公开工作年度报告", "本报告所列数据统计期限为2021年1月1日至12月31日。"],
        ["二、主动公开政府信息情况"],
        ["三、收到和处理政府信息公开申请情况"],
    ]
    extracted = pdf_to_text(scanned_pdf(report_pdf(pages), dpi=100, noise=0), OcrOptions(dpi=100, max_pages=1))
    assert extracted.ocr_pages == (1,)
    assert "2021年政府信息公开工作年度报告" in extracted.text and "主动公开" not in extracted.text
    assert extracted.warnings == ("OCR page cap (1) reached: page(s) 2, 3 left unread",)


def test_a_table_pasted_as_an_image_into_a_text_page_is_read_in_its_place() -> None:
    table = RuledTable(
        rows=[["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "16", "0", "12"]],
        widths=[150, 100, 100, 100],
    )
    before = ["二、主动公开政府信息情况", "第二十条第（一）项"]
    pdf = pdf_with_table_image(before, table, ["三、收到和处理政府信息公开申请情况"])
    extracted = pdf_to_text(pdf, OcrOptions())
    assert extracted.text.splitlines() == [
        *before,
        "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
        "规章 | 16 | 0 | 12 |",
        "三、收到和处理政府信息公开申请情况",
    ]
    assert extracted.ocr_pages == (1,)
    tops = [line.box[1] for line in extracted.lines]  # the image's lines in page coordinates, among the text's
    assert tops == sorted(tops) and [len(line.cells) for line in extracted.lines] == [0, 0, 4, 4, 0]
    assert "规章" not in pdf_to_text(pdf, OcrOptions(enabled=False)).text  # the text layer alone lacks the table


def test_an_image_only_pdf_without_ocr_fails_as_needing_it(image_only_pdf: bytes) -> None:
    for options in (None, OcrOptions(enabled=False)):
        with pytest.raises(PermanentError, match="scanned PDF, needs OCR"):
            pdf_to_text(image_only_pdf, options)


def test_a_blank_scan_read_by_ocr_says_so() -> None:
    blank = scanned_pdf(report_pdf([[]], page_numbers=False), dpi=72, noise=0)
    with pytest.raises(PermanentError, match=r"scanned PDF, OCR read only 0 characters on 1 page\(s\)"):
        pdf_to_text(blank, OcrOptions(dpi=72))


def test_without_the_engine_installed_a_scan_still_fails_as_needing_ocr(
    image_only_pdf: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(read_pdf, "engine_available", lambda: False)
    with pytest.raises(PermanentError, match="scanned PDF, needs OCR"):
        pdf_to_text(image_only_pdf, OcrOptions())


def test_the_engine_ships_with_the_project() -> None:
    assert ocr.engine_available()
