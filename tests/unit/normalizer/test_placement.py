"""place_lines: the reader's placed lines mapped onto the normalized text, through what cleanup does to it."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.normalizer.cleanup import clean_text
from services.normalizer.placement import place_lines
from services.normalizer.rows import Box, PlacedLine
from services.normalizer.textnodes import rejoin_text_nodes
from shared.messages.v1 import Placement


def placed(*texts: str, page: int = 1) -> list[PlacedLine]:
    """Lines stacked 20 pt apart; a line with pipes gets one 40 pt wide box per ` |`-closed cell."""
    lines = []
    for number, text in enumerate(texts):
        top = 40.0 + 20 * number
        cells = tuple((30.0 + 40 * i, top, 70.0 + 40 * i, top + 18) for i in range(text.count("|")))
        lines.append(PlacedLine(text=text, page=page, box=(30.0, top, 500.0, top + 18), cells=cells))
    return lines


def normalized(lines: list[PlacedLine]) -> str:
    """The text normalize() makes of the reader's text."""
    return rejoin_text_nodes(clean_text("\n".join(line.text for line in lines)).text)


def spans(layout: list[Placement], text: str) -> list[str]:
    return [text[p.start : p.end] for p in layout]


def box_of(placement: Placement) -> Box:
    return (placement.x0, placement.top, placement.x1, placement.bottom)


def test_each_line_and_each_filled_cell_gets_its_span() -> None:
    lines = placed("四、政府信息公开行政复议情况", "行政复议 | 3 | | 5 |")
    text = normalized(lines)
    layout = place_lines(lines, text)
    assert spans(layout, text) == ["四、政府信息公开行政复议情况", "行政复议 | 3 | | 5 |", "行政复议", "3", "5"]
    assert [box_of(p) for p in layout[2:]] == [lines[1].cells[0], lines[1].cells[1], lines[1].cells[3]]
    assert all(p.page == 1 for p in layout)


def test_a_dropped_chrome_line_gets_none_and_the_rest_stay_aligned() -> None:
    lines = placed(
        "【 打印本页 】【 关闭窗口 】",
        "全年共收到政府信息公开申请15件,均已按时答复。",
        "字号: 大 中 小",
        "二、主动公开",
    )
    text = normalized(lines)
    layout = place_lines(lines, text)
    assert spans(layout, text) == ["全年共收到政府信息公开申请15件,均已按时答复。", "二、主动公开"]
    assert [p.top for p in layout] == [lines[1].box[1], lines[3].box[1]]


def test_lines_rejoined_into_one_keep_their_own_boxes() -> None:
    lines = placed("本年度共受理申请", "12", "件,办结11件。")
    text = normalized(lines)
    assert text == "本年度共受理申请12件,办结11件。"
    layout = place_lines(lines, text)
    assert spans(layout, text) == ["本年度共受理申请", "12", "件,办结11件。"]
    assert [p.top for p in layout] == [40.0, 60.0, 80.0]


def test_edited_lines_are_still_found() -> None:
    lines = placed("统计期限为２０２１年１月１日至１２月３１日。", "印发日期:2021131日 共  3  件", "二、主动公开")
    text = normalized(lines)
    assert spans(place_lines(lines, text), text) == [
        "统计期限为2021年1月1日至12月31日。",  # full-width digits folded
        "印发日期:2021年1月31日 共 3 件",  # a glued date repaired, spaces collapsed
        "二、主动公开",
    ]


def test_a_traditional_report_is_placed_in_its_simplified_text() -> None:
    lines = placed(
        "本機關全年共收到政府資訊公開申請15件，均已按時答覆。", "四、行政復議及行政訴訟情況", "行政復議 | 3 | 0 |"
    )
    cleaned = clean_text("\n".join(line.text for line in lines))
    assert cleaned.script == "traditional"
    text = rejoin_text_nodes(cleaned.text)
    assert spans(place_lines(lines, text, cleaned.script), text) == [
        "本机关全年共收到政府信息公开申请15件,均已按时答复。",
        "四、行政复议及行政诉讼情况",
        "行政复议 | 3 | 0 |",
        "行政复议",
        "3",
        "0",
    ]


def test_text_no_line_gave_is_skipped_by_a_long_line_found_further_on() -> None:
    lines = placed("本年度共受理政府信息公开申请12件。", "二、主动公开")
    text = "某县2021年政府信息公开工作年度报告\n" + normalized(lines)  # a title put in front
    assert spans(place_lines(lines, text), text) == ["本年度共受理政府信息公开申请12件。", "二、主动公开"]


def test_no_lines_no_layout() -> None:
    assert place_lines([], "一些文字") == []


_LINE_PIECES = st.sampled_from(
    ["一、总体情况", "本年共受理申请", "12", "件。", "行政复议 | 3 | 0 |", "| 自然人 | 总计 |", "打印本页",
     "２０２１年", "  ", "|", "2021131日", "字号: 大 中 小", "您的位置:首页 > 年报", "政府資訊公開",
     "(zheng)", "\u3000"]
)  # fmt: skip
_LINES = st.lists(st.lists(_LINE_PIECES | st.text(max_size=8), max_size=4).map("".join), max_size=12)


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(texts=_LINES, foreign=st.booleans())
def test_placements_never_crash_and_always_point_at_a_placed_line(texts: list[str], foreign: bool) -> None:
    lines = placed(*texts)
    text = normalized(placed(*reversed(texts))) if foreign else normalized(lines)
    layout = place_lines(lines, text)
    boxes = {line.box for line in lines} | {cell for line in lines for cell in line.cells}
    for placement in layout:
        assert 0 <= placement.start < placement.end <= len(text)
        assert box_of(placement) in boxes
    assert [p.start for p in layout] == sorted(p.start for p in layout)
    line_order = {line.box: number for number, line in enumerate(lines)}
    by_line = sorted((line_order[box_of(p)], p.start) for p in layout if box_of(p) in line_order)
    assert [start for _, start in by_line] == sorted(start for _, start in by_line)  # monotone: lines keep their order
