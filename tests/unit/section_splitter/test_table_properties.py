"""Property tests: real-shaped tables, mutated the way crawlers and converters damage them, never raise.

Each mutation is one a real page showed (a cell lost or repeated, separators stripped, rows cut,
page chrome between rows, the whole body on one line). The table engine may read less from a
damaged table, but it must not raise, must not need its per-table guard, and must keep every
offset inside the text. Example budgets are fixed and derandomized, so the suite stays fast and
reproducible.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from services.section_splitter.layouts import ACTIVE_2019, ACTIVE_2021, REQUESTS_2019, REQUESTS_2021, REVIEW, Row
from services.section_splitter.tables import find_tables
from shared.messages.v1 import Table

from .builders import STYLES, render_active, render_requests, render_review
from .conftest import sectioned

_STATS = (
    "附件:统计表 指标名称 计量单位 2030年度 历年累计 主动公开信息数 条 312 7840 其中:1、网站公开 条 298 7651 "
    "2、政府公报公开 条 0 0 受理依申请公开信息总数 条 6 150 其中:1、当面申请数 条 4 90 2、网上申请数 条 2 60 "
    "对申请的答复总数 条 6 150 其中:1、同意公开答复数 条 5 122 2、同意部分公开答复数 条 1 28 "
    "行政复议数 件 0 0 行政诉讼数 件 1 3 行政申诉数 件 0 0"
)
_STATS_GLUED = re.sub(r"(?<=[\d条件]) (?=[\d其受对行12])", "", _STATS)
_BASES = (
    *(render_requests(era, style) for era in ("fmt2019", "fmt2021") for style in STYLES),
    *(render_active(era, style, small=True) for era in ("fmt2019", "fmt2021") for style in STYLES),
    *(render_review(style) for style in STYLES),
    _STATS,
    _STATS_GLUED,
)
_CHROME = ("- 3 -", "当前位置:首页 > 年报", "\u3000", "\xa0", "第 2 页 共 4 页", "。", "注:本表数据含上年结转。")
_SEPARATOR = re.compile(r" \| | \||\| |\|| ")
_CELL = re.compile(r"\d+(?:\.\d+)?元?")


@st.composite
def _mutated(draw: st.DrawFn) -> str:
    """A rendered table after a few real-world damages, in a report body."""
    text = draw(st.sampled_from(_BASES))
    for _ in range(draw(st.integers(0, 4))):
        cells = list(_CELL.finditer(text))
        seps = list(_SEPARATOR.finditer(text))
        operation = draw(st.sampled_from(("drop", "repeat", "glue", "cut", "unpipe", "chrome", "one_line", "crawl")))
        if operation == "drop" and cells:
            cell = draw(st.sampled_from(cells))
            text = text[: cell.start()] + text[cell.end() :]
        elif operation == "repeat" and cells:
            cell = draw(st.sampled_from(cells))
            text = text[: cell.end()] + " | " + cell.group() + text[cell.end() :]
        elif operation == "glue" and seps:
            sep = draw(st.sampled_from(seps))
            text = text[: sep.start()] + text[sep.end() :]
        elif operation == "cut":
            lines = text.split("\n")
            keep = draw(st.integers(1, len(lines)))
            text = "\n".join(lines[:keep])
        elif operation == "unpipe":
            text = text.replace("|", draw(st.sampled_from(("", " "))))
        elif operation == "chrome":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.sampled_from(_CHROME)) + text[at:]
        elif operation == "one_line":
            text = text.replace("\n", draw(st.sampled_from(("", " "))))
        elif operation == "crawl":  # one text node per line, consecutive identical lines merged
            nodes = [node.strip() for node in re.split(r"[|\n]", text) if node.strip()]
            text = "\n".join(node for i, node in enumerate(nodes) if i == 0 or node != nodes[i - 1])
    return "一、总体情况 2030年,望川县推进政务公开。\n" + text + "\n五、存在的主要问题及改进情况 需进一步加强。"


def _sound(text: str, tables: list[Table], warnings: list[str]) -> None:
    assert not [w for w in warnings if "skipped" in w], warnings  # the guard is a net, not the fix
    for table in tables:
        assert 0 <= table.start <= table.end <= len(text)
        for cell in table.cells:
            assert 0 <= cell.start <= cell.end <= len(text)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(_mutated())
def test_mutated_tables_never_raise(text: str) -> None:
    warnings: list[str] = []
    _sound(text, find_tables(text, None, warnings), warnings)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(_mutated())
def test_split_sections_survives_mutated_tables(text: str) -> None:
    doc = sectioned(text)
    _sound(text, doc.tables, doc.warnings)
    assert all(0 <= s.start <= s.end <= len(text) for s in doc.sections)


_ANCHORS = {"active_disclosure": "第二十条第(一)项 信息内容 本年制发件数\n", "requests": "申请人情况 本年新收\n"}
_ROWS = [
    (layout.kind, row) for layout in (ACTIVE_2019, ACTIVE_2021, REQUESTS_2019, REQUESTS_2021) for row in layout.rows
]
_SLOT = st.one_of(
    st.integers(0, 99999).map(str),
    st.sampled_from(("", "00", "0001", "+3", "-1", "251000元", "4218830.50元", "7730.28", "数据1")),
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.sampled_from(_ROWS), st.data())
def test_any_row_with_any_slot_count_never_raises(kind_row: tuple[str, Row], data: st.DataObject) -> None:
    """Short, exact and over-full rows, piped or space-separated, in a minimal two-row table."""
    kind, row = kind_row
    slots = data.draw(st.lists(_SLOT, min_size=0, max_size=len(row.columns) + 3))
    joiner = data.draw(st.sampled_from((" | ", " ", "")))
    line = f"{row.label} | {joiner.join(slots)} |\n" if joiner == " | " else f"{row.label} {joiner.join(slots)}\n"
    body = _ANCHORS[kind] + line + line
    warnings: list[str] = []
    _sound(body, find_tables(body, None, warnings), warnings)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(("0", "1", "12", "00", "305", "")), max_size=20), st.sampled_from((" ", " | ", "")))
def test_review_value_runs_of_any_length_never_raise(values: list[str], joiner: str) -> None:
    text = "行政复议 行政诉讼\n结果维持 结果纠正 其他结果 尚未审结 总计\n" + joiner.join(values) + "\n五、"
    warnings: list[str] = []
    tables = find_tables(text, None, warnings)
    _sound(text, tables, warnings)
    assert all(len(t.cells) <= len(REVIEW.rows[0].columns) for t in tables)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(st.integers(0, 40), min_size=6, max_size=6), st.lists(st.integers(0, 9), min_size=12, max_size=12))
def test_dropped_blank_cells_are_never_misplaced(six: list[int], review: list[int]) -> None:
    """Zeros printed blank and lost (PDF): whatever is emitted is the true value, or blank."""
    row = [*six, sum(six)]
    blocks = [review[i : i + 4] for i in (0, 4, 8)]
    fifteen = [v for block in blocks for v in (*block, sum(block))]
    shown = " ".join(str(v) for v in row if v)
    text = (
        "三、收到和处理政府信息公开申请情况\n申请人情况\n自然人 法人或其他组织 总计\n"
        f"一、本年新收政府信息公开申请数量 {shown}\n二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0\n"
        "四、政府信息公开行政复议、行政诉讼情况\n行政复议 行政诉讼\n结果维持 结果纠正 其他结果 尚未审结 总计\n"
        + " ".join(str(v) for v in fifteen if v)
        + "\n五、存在的主要问题及改进情况\n"
    )
    truth = {
        **{("requests.new", c.applicant): v for c, v in zip(REQUESTS_2021.rows[0].columns, row, strict=True)},
        **{(c.key, "total"): v for c, v in zip(REVIEW.rows[0].columns, fifteen, strict=True)},
    }
    for table in find_tables(text):
        for cell in table.cells:
            if (cell.key, cell.applicant) in truth and cell.value is not None:
                assert cell.value == truth[(cell.key, cell.applicant)], (cell, text)
