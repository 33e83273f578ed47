"""The PDF reader's placed lines: the text is their join, and each box holds what its line or cell prints."""

from __future__ import annotations

import io

import pdfplumber

from services.normalizer.read_pdf import pdf_to_text
from services.normalizer.rows import Box
from services.normalizer.transform import normalize
from tests.support.report_pdf import RuledTable, report_pdf

TABLE = RuledTable(
    rows=[
        ["", "自然人", "商业企业", "总计"],
        ["一、本年新收政府信息公开申请数量", "50", "5", "55"],
        ["二、上年结转政府信息公开申请数量", "7", None, "9"],  # merged cell: printed once
    ],
    widths=[190, 40, 45, 30],
)
PDF = report_pdf(
    [
        ["某县人民政府2021年政府信息公开工作年度报告", "本年共受理政府信息公开申请12件。", TABLE],
        ["四、政府信息公开行政复议情况", RuledTable([["行政复议", "结果维持"], ["本年", "3"]], [100, 60])],
    ]
)


def words_in(box: Box, page: int) -> str:
    """The page's text inside the box, spaces dropped (what a reader sees there)."""
    with pdfplumber.open(io.BytesIO(PDF)) as pdf:
        return "".join((pdf.pages[page - 1].crop(box).extract_text() or "").split())


def test_text_is_the_join_of_the_placed_lines() -> None:
    extracted = pdf_to_text(PDF)
    assert extracted.text == "\n".join(line.text for line in extracted.lines)
    assert "- 1 -" not in extracted.text and "- 2 -" not in extracted.text  # footers dropped with their boxes
    assert [line.page for line in extracted.lines] == [1] * 5 + [2] * 3


def test_prose_line_box_holds_the_line() -> None:
    line = next(line for line in pdf_to_text(PDF).lines if "12件" in line.text)
    assert line.cells == ()
    assert words_in(line.box, line.page) == line.text


def test_each_rendered_cell_box_holds_the_cell_text_even_with_merged_cells() -> None:
    rows = [line for line in pdf_to_text(PDF).lines if line.cells]
    assert len(rows) == 5
    for row in rows:
        printed = [cell.strip() for cell in row.text.split("|")[:-1]]
        assert len(row.cells) == len(printed)  # one box per ` |`-closed cell, merged ones not rendered
        assert [words_in(cell, row.page) for cell in row.cells] == [cell.replace(" ", "") for cell in printed]
    merged = next(row for row in rows if row.text.startswith("二、"))
    assert merged.text.endswith("| 7 | 9 |") and len(merged.cells) == 3


def test_boxes_are_rounded_to_a_tenth_of_a_point() -> None:
    for line in pdf_to_text(PDF).lines:
        for value in (*line.box, *(v for cell in line.cells for v in cell)):
            assert value == round(value, 1)


def test_normalized_layout_points_each_span_at_the_box_that_prints_it() -> None:
    document = normalize(PDF, "年报.pdf")
    assert len(document.layout) == 8 + 3 + 4 + 3 + 2 + 2  # every line, every filled cell
    for placement in document.layout:
        box = (placement.x0, placement.top, placement.x1, placement.bottom)
        printed = document.text[placement.start : placement.end]
        assert words_in(box, placement.page) == printed.replace(" ", "").replace("|", "")  # rules are no text
