"""Official table variants from other provinces and years (docs/tables.md), in several flattenings.

Every table is synthetic: invented places and numbers that satisfy the table identities.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from services.cli.extract import run_extraction
from services.section_splitter.tables import find_tables
from shared.messages.v1 import Table

from .builders import (
    REQUEST_HEADER,
    REVIEW_VALUES,
    STYLES,
    Era,
    Line,
    Style,
    cell_values,
    expected_active,
    expected_requests,
    expected_review,
    join_rows,
    pdf_requests,
    render_active,
    render_requests,
    render_review,
    request_lines,
)

# ---------------------------------------------------------------- the national 2014–2018 statistics table

# (label, unit, value, catalog key); unit "" marks a chapter or sub-heading row with blank cells
NationalRow = tuple[str, str, str, str | None]
NATIONAL: tuple[NationalRow, ...] = (
    ("一、主动公开情况", "", "", None),
    ("(一)主动公开政府信息数(不同渠道和方式公开相同信息计1条)", "条", "860", "active.total"),
    ("其中:主动公开规范性文件数", "条", "12", "active.normative_docs.published"),
    ("制发规范性文件总数", "件", "10", "active.normative_docs.issued"),
    ("(二)通过不同渠道和方式公开政府信息的情况", "", "", None),
    ("1.政府公报公开政府信息数", "条", "20", "active.channel.gazette"),
    ("2.政府网站公开政府信息数", "条", "800", "active.channel.website"),
    ("3.政务微博公开政府信息数", "条", "300", "active.channel.weibo"),
    ("4.政务微信公开政府信息数", "条", "250", "active.channel.wechat"),
    ("5.其他方式公开政府信息数", "条", "40", "active.channel.other"),
    ("二、回应解读情况", "", "", None),
    ("(一)回应公众关注热点或重大舆情数(不同方式回应同一热点或舆情计1次)", "次", "15", "response.hot_topics"),
    ("(二)通过不同渠道和方式回应解读的情况", "", "", None),
    ("1.参加或举办新闻发布会总次数", "次", "6", "response.press_conferences"),
    ("其中:主要负责同志参加新闻发布会次数", "次", "2", None),
    ("2.政府网站在线访谈次数", "次", "4", None),
    ("其中:主要负责同志参加政府网站在线访谈次数", "次", "1", None),
    ("3.政策解读稿件发布数", "篇", "30", "response.interpretations"),
    ("4.微博微信回应事件数", "次", "8", None),
    ("5.其他方式回应事件数", "次", "3", None),
    ("三、依申请公开情况", "", "", None),
    ("(一)收到申请数", "件", "25", "requests.new"),
    ("1.当面申请数", "件", "5", "requests.channel.in_person"),
    ("2.传真申请数", "件", "1", "requests.channel.fax"),
    ("3.网络申请数", "件", "15", "requests.channel.online"),
    ("4.信函申请数", "件", "4", "requests.channel.mail"),
    ("(二)申请办结数", "件", "25", None),
    ("1.按时办结数", "件", "24", None),
    ("2.延期办结数", "件", "1", None),
    ("(三)申请答复数", "件", "25", "requests.outcome.total"),
    ("1.属于已主动公开范围数", "件", "3", None),
    ("2.同意公开答复数", "件", "12", "requests.outcome.granted"),
    ("3.同意部分公开答复数", "件", "2", "requests.outcome.partial"),
    ("4.不同意公开答复数", "件", "3", "requests.outcome.denied.total"),
    ("其中:涉及国家秘密", "件", "1", "requests.outcome.denied.state_secret"),
    ("涉及商业秘密", "件", "0", None),
    ("涉及个人隐私", "件", "1", None),
    ("危及国家安全、公共安全、经济安全和社会稳定", "件", "0", "requests.outcome.denied.security_stability"),
    ("不是《条例》所指政府信息", "件", "1", None),
    ("法律法规规定的其他情形", "件", "0", "requests.outcome.denied.law_prohibited"),
    ("5.不属于本行政机关公开数", "件", "2", None),
    ("6.申请信息不存在数", "件", "2", "requests.outcome.unable.not_held"),
    ("7.告知作出更改补充数", "件", "1", "requests.outcome.unable.unclear"),
    ("8.告知通过其他途径办理数", "件", "0", None),
    ("四、行政复议数量", "件", "3", "reconsideration.total"),
    ("(一)维持具体行政行为数", "件", "2", "reconsideration.upheld"),
    ("(二)被依法纠错数", "件", "1", "reconsideration.corrected"),
    ("(三)其他情形数", "件", "0", "reconsideration.other"),
    ("五、行政诉讼数量", "件", "2", "litigation.total"),
    ("(一)维持具体行政行为或者驳回原告诉讼请求数", "件", "1", "litigation.upheld"),
    ("(二)被依法纠错数", "件", "0", "litigation.corrected"),
    ("(三)其他情形数", "件", "1", "litigation.other"),
    ("六、举报投诉数量", "件", "1", "complaints.total"),
    ("(一)维持具体行政行为数", "件", "1", None),
    ("(二)被纠错数", "件", "0", None),
    ("(三)其他情形数", "件", "0", None),
    ("七、依申请公开信息收取的费用", "万元", "0", None),
    ("八、机构建设和保障经费情况", "", "", None),
    ("(一)政府信息公开工作专门机构数", "个", "1", None),
    ("(二)设置政府信息公开查阅点数", "个", "3", None),
    ("(三)从事政府信息公开工作人员数", "人", "5", None),
    ("1.专职人员数(不包括政府公报及政府网站工作人员数)", "人", "2", None),
    ("2.兼职人员数", "人", "3", None),
    ("(四)政府信息公开专项经费(不包括用于政府公报编辑管理及政府网站建设维护等方面的经费)", "万元", "8.5", None),
    ("九、政府信息公开会议和培训情况", "", "", None),
    ("(一)召开政府信息公开工作会议或专题会议数", "次", "4", "training.meetings"),
    ("(二)举办各类培训班数", "次", "3", "training.sessions"),
    ("(三)接受培训人员数", "人次", "120", "training.participants"),
)
NATIONAL_STYLES = ("row_per_line", "dash_cells", "docx", "space_separated", "cell_per_line", "markdown", "glued")
NATIONAL_HEADER = ("统计指标", "单位", "统计数")


def _national_line(style: str, cells: Sequence[str]) -> str:
    if style == "dash_cells":
        cells = [c or "—" for c in cells]
    if style == "docx" and not any(cells[1:]):  # a chapter row merged across the grid, repeated per cell
        cells = [cells[0]] * len(cells)
    if style == "space_separated":
        return " ".join(c for c in cells if c)
    if style == "glued":
        return "".join(cells)
    if style == "cell_per_line":
        return "\n".join(f"{c} |" if c else "|" for c in cells)
    if style == "markdown":
        return "| " + " | ".join(cells) + " |"
    return " | ".join(cells) + " |"


def render_national(
    style: str, rows: Sequence[NationalRow] = NATIONAL, header: Sequence[str] | None = NATIONAL_HEADER
) -> str:
    """The statistics table after a report's closing line, as a county government attaches it."""
    lines = [_national_line(style, header)] if header else []
    if header and style == "markdown":
        lines.append("|---|---|---|")
    lines += [_national_line(style, (label, unit, value)) for label, unit, value, _ in rows]
    body = "\n".join(lines)
    return f"六、其他需要报告的事项\n无。\n附件\n望川市2031年政府信息公开情况统计表\n{body}\n"


def _stats(text: str) -> Table:
    tables = [t for t in find_tables(text) if t.kind == "legacy_stats"]
    assert len(tables) == 1, [t.kind for t in find_tables(text)]
    return tables[0]


def _number(raw: str) -> int | float:
    return float(raw) if "." in raw else int(raw)


@pytest.mark.parametrize("header", [NATIONAL_HEADER, ("项目", "单位", "数量"), ("指标", "单位", "数值"), None])
@pytest.mark.parametrize("style", NATIONAL_STYLES)
def test_national_statistics_table_full_row_list(style: str, header: Sequence[str] | None) -> None:
    table = _stats(render_national(style, header=header))
    keyed = {c.key: c.value for c in table.cells if c.key}
    assert keyed == {key: _number(value) for _, _, value, key in NATIONAL if key}
    # rows without a catalog key are still read, so no value moves onto a neighbour
    unkeyed = [c.value for c in table.cells if c.key is None and c.value is not None]
    assert unkeyed == [_number(value) for _, _, value, key in NATIONAL if value and key is None]
    assert table.era == "pre2019" and table.warnings == []


@pytest.mark.parametrize("style", ["space_separated", "cell_per_line", "row_per_line"])
def test_national_statistics_rows_with_blank_cells_keep_their_own_values(style: str) -> None:
    # PDF text drops a blank cell without a trace: `2.传真申请数 件` must not take the next row's 15
    blanked = {"2.传真申请数", "涉及商业秘密", "(二)被依法纠错数", "2.兼职人员数"}
    rows = [(label, unit, "" if label in blanked else value, key) for label, unit, value, key in NATIONAL]
    table = _stats(render_national(style, rows))
    keyed = {c.key: c.value for c in table.cells if c.key and c.value is not None}
    assert keyed == {key: _number(value) for _, _, value, key in rows if key and value}


@pytest.mark.parametrize("separator", [" | ", " ", "\n"])
def test_national_statistics_table_without_a_unit_column(separator: str) -> None:
    body = "\n".join(f"{label}{separator}{value}" for label, _, value, _ in NATIONAL)
    table = _stats(f"附件\n指标名称{separator}数量\n{body}\n")
    assert {c.key: c.value for c in table.cells if c.key} == {key: _number(v) for _, _, v, key in NATIONAL if key}


# ---------------------------------------------------------------- a regional statistics table (定西/莆田 style)

# (label, unit, this year, cumulative, key of this year's value)
RegionalRow = tuple[str, str, int, int, str | None]
REGIONAL: tuple[RegionalRow, ...] = (
    ("主动公开信息数", "条", 520, 6100, "active.total"),
    ("受理申请总数", "条", 12, 150, "requests.new"),
    ("其中:当面申请数", "条", 3, 40, "requests.channel.in_person"),
    ("网上申请数", "条", 7, 90, "requests.channel.online"),
    ("信函申请数", "条", 2, 20, "requests.channel.mail"),
    ("对申请的答复总数", "条", 12, 150, "requests.outcome.total"),
    ("其中:同意公开答复数", "条", 8, 100, "requests.outcome.granted"),
    ("同意部分公开答复数", "条", 1, 10, "requests.outcome.partial"),
    ("否决公开答复总数", "条", 3, 40, "requests.outcome.denied.total"),
    ("其中:“免予公开范围1”数", "条", 0, 5, None),
    ("“免予公开范围2”数", "条", 0, 3, None),
    ("“非《规定》所指政府信息”数", "条", 1, 10, None),
    ("“信息不存在”数", "条", 1, 8, "requests.outcome.unable.not_held"),
    ("“非本部门掌握”数", "条", 0, 6, None),
    ("“申请内容不明确”数", "条", 1, 8, "requests.outcome.unable.unclear"),
    ("行政复议数", "件", 0, 1, "reconsideration.total"),
    ("行政诉讼数", "件", 0, 0, "litigation.total"),
    ("行政申诉数", "件", 1, 2, "complaints.total"),
    ("网上咨询数", "条", 45, 400, None),
    ("现场接待人数", "人次", 30, 350, None),
    ("网站专栏页面访问量", "人次", 52000, 800000, None),
)


@pytest.mark.parametrize("style", ["row_per_line", "space_separated", "cell_per_line"])
def test_regional_statistics_table_with_row_codes_and_quoted_names(style: str) -> None:
    header = ("指标名称", "计量单位", "代码", "本年度", "历年累计")
    rows = [header] + [
        (label, unit, f"{i:02d}", str(year), str(total)) for i, (label, unit, year, total, _) in enumerate(REGIONAL, 1)
    ]
    if style == "space_separated":
        body = "\n".join(" ".join(r) for r in rows)
    elif style == "cell_per_line":
        body = "\n".join(f"{c} |" for r in rows for c in r)
    else:
        body = "\n".join(" | ".join(r) + " |" for r in rows)
    table = _stats("附件\n望川市政府信息公开工作情况统计表\n" + body + "\n")
    annual = {c.row: (c.key, c.value) for c in table.cells if c.column == "本年度"}
    assert annual == {label.removeprefix("其中:"): (key, year) for label, _, year, _, key in REGIONAL}
    cumulative = {c.key: c.value for c in table.cells if c.column == "历年累计" and c.key}
    assert cumulative == {"active.cumulative_total": 6100}


@pytest.mark.parametrize("separator", [" | ", " "])
def test_a_serial_number_column_holds_no_value(separator: str) -> None:
    rows = [row for row in REGIONAL if row[4]]
    header = separator.join(("序号", "指标名称", "计量单位", "本年度", "历年累计"))
    body = "\n".join(
        separator.join((str(i), label, unit, str(year), str(total)))
        for i, (label, unit, year, total, _) in enumerate(rows, 1)
    )
    table = _stats(f"附件\n{header}\n{body}\n")
    assert {(c.key, c.column): c.value for c in table.cells if c.key} == {
        **{(key, "本年度"): year for _, _, year, _, key in rows},
        ("active.cumulative_total", "历年累计"): 6100,
    }
    assert table.warnings == []


@pytest.mark.parametrize("separator", [" | ", " "])
def test_a_rate_row_is_read_without_a_value(separator: str) -> None:
    rows = (
        ("主动公开信息数", "条", "520", "6100"),
        ("其中:全文电子化率", "%", "100%", "98%"),
        ("受理申请总数", "条", "12", "150"),
        ("行政复议数", "件", "0", "1"),
    )
    header = separator.join(("指标名称", "计量单位", "本年度", "历年累计"))
    table = _stats("附件\n" + "\n".join([header, *(separator.join(r) for r in rows)]) + "\n")
    assert {(c.row, c.column): c.value for c in table.cells if c.row == "全文电子化率"} == {
        ("全文电子化率", "本年度"): None,
        ("全文电子化率", "历年累计"): None,
    }
    keyed = {c.key: c.value for c in table.cells if c.key}
    assert keyed == {
        "active.total": 520,
        "active.cumulative_total": 6100,
        "requests.new": 12,
        "reconsideration.total": 0,
    }


@pytest.mark.parametrize("separator", [" | ", " "])
def test_a_two_column_row_printing_one_value_claims_neither(separator: str) -> None:
    # `行政复议数 件 12`: the other cell was blank and dropped; 12 is never split into 1 | 2
    header = separator.join(("指标名称", "计量单位", "本年度", "历年累计"))
    rows = ("主动公开信息数 条 520 6100", "行政复议数 件 12", "行政诉讼数 件 0 3")
    table = _stats(f"附件\n{header}\n" + "\n".join(r.replace(" ", separator) for r in rows) + "\n")
    assert {(c.key, c.column): c.value for c in table.cells if c.key and c.value is not None} == {
        ("active.total", "本年度"): 520,
        ("active.cumulative_total", "历年累计"): 6100,
        ("litigation.total", "本年度"): 0,
    }
    assert "行政复议数: one value for 2 cells, left out" in table.warnings


# ---------------------------------------------------------------- blank cells (Shanghai 2019 leaves zeros blank)

REQUESTS_PREFIX = "三、收到和处理政府信息公开申请情况\n"
REQUESTS_SUFFIX = "\n四、政府信息公开行政复议、行政诉讼情况\n"


def _only(text: str, kind: str) -> Table:
    tables = [t for t in find_tables(text) if t.kind == kind]
    assert len(tables) == 1, [t.kind for t in find_tables(text)]
    return tables[0]


def _blanked(lines: Sequence[Line], blank: str) -> list[Line]:
    """Zero cells printed blank, and the 予以公开 total left blank as well."""
    out = []
    for line in lines:
        values = [blank if v == "0" else v for v in line.values]
        if line.key == "requests.outcome.granted":
            values[-1] = blank
        out.append(Line(line.labels, tuple(values), line.key, line.width))
    return out


@pytest.mark.parametrize("blank", ["", "–", "—", "/"])
@pytest.mark.parametrize("era", ["fmt2019", "fmt2021"])
def test_blank_cells_are_none_never_zero_nor_a_neighbours_value(era: Era, blank: str) -> None:
    lines = _blanked(request_lines(era), blank)
    rows = [*(list(h) for h in REQUEST_HEADER), *([*line.labels, *line.values] for line in lines)]
    table = _only(REQUESTS_PREFIX + "\n".join(" | ".join(r) + " |" for r in rows) + REQUESTS_SUFFIX, "requests")
    expected = {k: None if v == 0 else v for k, v in expected_requests(era).items()}
    expected[("requests.outcome.granted", "total")] = None
    assert cell_values(table) == expected
    assert table.era == era


@pytest.mark.parametrize("era", ["fmt2019", "fmt2021"])
def test_pdf_row_that_dropped_its_blank_cells_keeps_only_what_the_sums_place(era: Era) -> None:
    # pdftotext prints nothing for a blank cell: `(一)予以公开 12 1 13` may be any 3 of 7 cells
    lines = [Line(line.labels, tuple(v for v in line.values if v != "0"), line.key) for line in request_lines(era)]
    table = _only(REQUESTS_PREFIX + pdf_requests(lines) + REQUESTS_SUFFIX, "requests")
    values = cell_values(table)
    totals = {k: v for (k, applicant), v in expected_requests(era).items() if applicant == "total" and v}
    assert {k: values[(k, "total")] for k in totals} == totals
    placed = {k: v for k, v in values.items() if v is not None and k[1] != "total"}
    assert placed == {}  # 35 1 2 38: which columns hold 35, 1 and 2 is unknown, so none is claimed
    assert table.style == "space_separated"


# ---------------------------------------------------------------- short forms of table 三


@pytest.mark.parametrize("separator", [" | ", " "])
def test_table_three_printed_with_only_its_total_column(separator: str) -> None:
    lines = [separator.join([*line.labels, line.values[-1]]) for line in request_lines("fmt2021")]
    table = _only(REQUESTS_PREFIX + "申请人情况 | 总计\n" + "\n".join(lines) + REQUESTS_SUFFIX, "requests")
    totals = {k: v for k, v in expected_requests("fmt2021").items() if k[1] == "total"}
    assert cell_values(table) == totals
    assert "one value per row: read as the 总计 column" in table.warnings


def test_table_three_with_the_organisations_merged_into_one_column() -> None:
    # 自然人 | 法人或其他组织 | 总计: three cells where seven are expected; only the 总计 is certain
    lines = []
    for line in request_lines("fmt2021"):
        natural, *organisations, total = (int(v) for v in line.values)
        lines.append(" | ".join([*line.labels, str(natural), str(sum(organisations)), str(total)]) + " |")
    text = "申请人情况 | 自然人 | 法人或其他组织 | 总计 |\n" + "\n".join(lines)
    values = cell_values(_only(REQUESTS_PREFIX + text + REQUESTS_SUFFIX, "requests"))
    # `0 | 0 | 0` fits with the last zero as 总计 or as a cell before a blank 总计: nothing is claimed
    totals = {k: v for k, v in expected_requests("fmt2021").items() if k[1] == "total" and v}
    assert {k: v for k, v in values.items() if v is not None} == totals


# ---------------------------------------------------------------- printed subtotals


def _with_subtotals(era: Era, word: str) -> list[Line]:
    """A `小计` row after each numbered group of 表三 (some reports print the subtotals)."""
    out: list[Line] = []
    group: list[Line] = []
    for line in request_lines(era):
        if group and (not line.labels[-1][0].isdigit() or line.labels[-1].startswith("1.")):
            sums = tuple(str(sum(int(g.values[i]) for g in group)) for i in range(7))
            out.append(Line((word,), sums))
            group = []
        if line.labels[-1][0].isdigit():
            group.append(line)
        out.append(line)
    return out


@pytest.mark.parametrize("word", ["小计", "合计"])
@pytest.mark.parametrize("style", ["row_per_line", "space_separated", "markdown"])
@pytest.mark.parametrize("era", ["fmt2019", "fmt2021"])
def test_subtotal_rows_are_consumed(era: Era, style: Style, word: str) -> None:
    lines = _with_subtotals(era, word)
    assert sum(1 for line in lines if line.labels == (word,)) == (4 if era == "fmt2021" else 3)
    if style == "space_separated":
        body = pdf_requests(lines)
    else:
        rows = [*(list(h) for h in REQUEST_HEADER), *([*line.labels, *line.values] for line in lines)]
        body = "\n".join(join_rows(style, rows, 10))
    table = _only(REQUESTS_PREFIX + body + REQUESTS_SUFFIX, "requests")
    assert cell_values(table) == expected_requests(era)
    assert table.warnings == []


def test_a_subtotal_that_does_not_add_up_is_flagged() -> None:
    lines = _with_subtotals("fmt2021", "小计")
    first = next(i for i, line in enumerate(lines) if line.labels == ("小计",))
    wrong = ("6", *lines[first].values[1:6], "6")  # (三)不予公开 adds up to 5
    lines[first] = Line(("小计",), wrong)
    rows = [*(list(h) for h in REQUEST_HEADER), *([*line.labels, *line.values] for line in lines)]
    table = _only(REQUESTS_PREFIX + "\n".join(join_rows("row_per_line", rows, 10)) + REQUESTS_SUFFIX, "requests")
    assert cell_values(table) == expected_requests("fmt2021")
    assert table.warnings == [
        "(三)不予公开 小计, 自然人: printed 6, its rows add up to 5",
        "(三)不予公开 小计, 总计: printed 6, its rows add up to 5",
    ]


# ---------------------------------------------------------------- label variants of real reports

LABEL_VARIANTS = (
    ("(七)总计", "(七)合计"),
    ("一、本年新收", "一、本年度新收"),
    ("二、上年结转", "二、上年度结转"),
    ("四、结转下年度继续办理", "四、结转下一年度继续办理"),
    ("四、结转下年度继续办理", "四、结转至下年度继续办理"),
)


@pytest.mark.parametrize(("printed", "variant"), LABEL_VARIANTS)
@pytest.mark.parametrize("style", ["row_per_line", "space_separated", "cell_per_line", "docx"])
@pytest.mark.parametrize("era", ["fmt2019", "fmt2021"])
def test_request_row_label_variants(era: Era, style: Style, printed: str, variant: str) -> None:
    text = render_requests(era, style).replace(printed, variant)
    assert variant in text
    table = _only(REQUESTS_PREFIX + text + REQUESTS_SUFFIX, "requests")
    assert cell_values(table) == expected_requests(era)


@pytest.mark.parametrize("style", STYLES)
def test_a_page_break_inside_table_three(style: Style) -> None:
    lines = render_requests("fmt2021", style).split("\n")
    middle = len(lines) // 2
    chrome = ["- 4 -", "第 4 页 共 9 页"]
    text = "\n".join([*lines[:middle], *chrome, *lines[middle:]])
    assert cell_values(_only(REQUESTS_PREFIX + text + REQUESTS_SUFFIX, "requests")) == expected_requests("fmt2021")


# ---------------------------------------------------------------- 表二 without sums


def test_table_two_pdf_row_that_dropped_a_blank_cell_claims_nothing() -> None:
    # `规章 1 12`: 本年废止件数 was blank, but 1|12|– reads as well as 1|–|12 and table II has no sums
    text = render_active("fmt2021", "space_separated").replace("规章 1 0 12", "规章 1 12")
    table = _only("二、主动公开政府信息情况\n" + text + "\n三、收到", "active_disclosure")
    values = {c.key: c.value for c in table.cells}
    assert not [k for k in values if k and k.startswith("active.regulations.")]
    assert values["active.normative_docs.in_force"] == 25
    assert "规章: 2 values for 3 cells, blanks dropped, left out" in table.warnings


def test_glued_2019_table_two_row_with_a_signed_change_claims_no_wrong_cell() -> None:
    # `行政许可120+35630`: 120 | +3 | 5630 lost its separators; the sign starts a cell, so 120 is never 1|2|0
    text = "二、主动公开政府信息情况\n" + render_active("fmt2019", "glued") + "\n三、收到"
    values = cell_values(_only(text, "active_disclosure"))
    expected = expected_active("fmt2019")
    assert all(expected[k] == v for k, v in values.items() if v is not None)
    assert ("active.licensing.decisions", "total") not in values


def test_table_two_lone_pdf_value_is_not_split_into_digits() -> None:
    # `规章 105`: one printed cell among dropped blanks, or 1|0|5 glued; table II has no sums to decide
    text = render_active("fmt2021", "space_separated").replace("规章 1 0 12", "规章 105")
    values = cell_values(_only("二、主动公开政府信息情况\n" + text + "\n三、收到", "active_disclosure"))
    assert not [k for k in values if k[0].startswith("active.regulations.")]
    assert values[("active.normative_docs.in_force", "total")] == 25


# ---------------------------------------------------------------- 表四 in the shapes of other sites


def test_table_four_values_without_their_blank_cells() -> None:
    # zeros left blank and dropped: each block's 总计 is still fixed by the sums
    text = render_review("space_separated").replace(" ".join(map(str, REVIEW_VALUES)), "4 1 3 8 5 5 2 1 1 4")
    table = _only("四、政府信息公开行政复议、行政诉讼情况\n" + text + "\n五、存在的主要问题\n", "review_litigation")
    assert {c.key: c.value for c in table.cells} == {
        "reconsideration.total": 8,
        "litigation.direct.total": 5,
        "litigation.after_reconsideration.total": 4,
    }


def test_table_four_dash_cells_are_blank() -> None:
    text = render_review("space_separated").replace(" ".join(map(str, REVIEW_VALUES)), "4 1 – 3 8 5 – – – 5 2 1 1 – 4")
    table = _only("四、政府信息公开行政复议、行政诉讼情况\n" + text + "\n五、", "review_litigation")
    expected = {k: None if v == 0 else v for (k, _), v in expected_review().items()}
    assert {c.key: c.value for c in table.cells} == expected


@pytest.mark.parametrize("separator", [" | ", " "])
def test_table_four_with_only_its_reconsideration_block(separator: str) -> None:
    # `4 1 0 3 8` prints its zeros and adds up as the first block: the litigation cells are missing
    text = "行政复议 行政诉讼\n结果维持 结果纠正 其他结果 尚未审结 总计\n" + separator.join("41038") + "\n"
    table = _only("四、政府信息公开行政复议、行政诉讼情况\n" + text + "五、存在的主要问题\n", "review_litigation")
    values = {c.key: c.value for c in table.cells if c.value is not None}
    assert values == {
        "reconsideration.upheld": 4,
        "reconsideration.corrected": 1,
        "reconsideration.other": 0,
        "reconsideration.pending": 3,
        "reconsideration.total": 8,
    }


def test_table_four_markdown_under_a_glued_group_header() -> None:
    text = (
        "四、政府信息公开行政复议、行政诉讼情况\n| 行政复议行政诉讼 |\n|---|\n"
        "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉 |\n"
        "| 119 | 25 | 91 | 24 | 259 | 7 | 0 | 15 | 6 | 28 | 21 | 1 | 7 | 9 | 38 |\n五、存在的主要问题及改进情况\n"
    )
    values = {c.key: c.value for c in _only(text, "review_litigation").cells}
    assert [values[f"reconsideration.{k}"] for k in ("upheld", "total")] == [119, 259]
    assert values["litigation.direct.total"] == 28 and values["litigation.after_reconsideration.pending"] == 9


def test_table_four_pdf_header_one_character_per_line() -> None:
    text = (
        "四、政府信息公开行政复议、行政诉讼情况\n行政复议 行政诉讼\n未经复议直接起诉 复议后起诉\n"
        "结 结 其 尚 总 结 结 其 尚 总 结 结 其 尚 总\n果 果 他 未 计 果 果 他 未 计 果 果 他 未 计\n"
        "维 纠 结 审 维 纠 结 审 维 纠 结 审\n持 正 果 结 持 正 果 结 持 正 果 结\n"
        "3 1 0 0 4 2 0 1 0 3 0 0 0 1 1\n五、存在的主要问题及改进情况\n"
    )
    values = [c.value for c in _only(text, "review_litigation").cells]
    assert values == [3, 1, 0, 0, 4, 2, 0, 1, 0, 3, 0, 0, 0, 1, 1]


# ---------------------------------------------------------------- pages that only carry the empty skeleton


def _notice(style: Style) -> str:
    """A format notice (not a report): all three tables with every value cell blank."""
    return (
        "关于印发政府信息公开工作年度报告格式的通知\n各县区人民政府办公室:\n现将年度报告格式印发给你们,请遵照执行。\n"
        "附件:政府信息公开工作年度报告格式\n一、总体情况\n二、主动公开政府信息情况\n"
        + render_active("fmt2021", style, blank=True)
        + "\n三、收到和处理政府信息公开申请情况\n"
        + render_requests("fmt2021", style, blank=True)
        + "\n四、政府信息公开行政复议、行政诉讼情况\n"
        + render_review(style, blank=True)
        + "\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n"
    )


@pytest.mark.parametrize("style", STYLES)
def test_an_empty_template_yields_no_values(style: Style, tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_text(_notice(style), encoding="utf-8")
    assert run_extraction(path)["metrics"] == []
    assert all(c.value is None for t in find_tables(_notice(style)) for c in t.cells)


@pytest.mark.parametrize("style", NATIONAL_STYLES)
def test_an_empty_national_statistics_table_yields_no_values(style: str, tmp_path: Path) -> None:
    empty = [(label, unit, "", key) for label, unit, _, key in NATIONAL]
    path = tmp_path / "template.txt"
    path.write_text(render_national(style, empty), encoding="utf-8")
    assert run_extraction(path)["metrics"] == []


# ---------------------------------------------------------------- whole reports, end to end


def _facts(text: str, tmp_path: Path) -> dict[tuple[str, str], set[float]]:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    facts: dict[tuple[str, str], set[float]] = {}
    for fact in run_extraction(path)["metrics"]:
        facts.setdefault((fact["key"], fact.get("applicant", "total")), set()).add(fact["value"])
    return facts


@pytest.mark.parametrize("style", STYLES)
def test_a_2019_report_in_every_style(style: Style, tmp_path: Path) -> None:
    small = style == "glued"
    text = (
        "望川县人民政府2019年政府信息公开工作年度报告\n一、总体情况\n本年度,我县扎实推进政府信息公开工作。\n"
        "二、主动公开政府信息情况\n"
        + render_active("fmt2019", style, small)
        + "\n三、收到和处理政府信息公开申请情况\n"
        + render_requests("fmt2019", style)
        + "\n四、政府信息公开行政复议、行政诉讼情况\n"
        + render_review(style)
        + "\n五、存在的主要问题及改进情况\n一是公开的深度不够。\n六、其他需要报告的事项\n无。\n"
    )
    facts = _facts(text, tmp_path)
    expected = {**expected_active("fmt2019", small), **expected_requests("fmt2019"), **expected_review()}
    assert {k: facts.get(k) for k in expected} == {k: {v} for k, v in expected.items()}


@pytest.mark.parametrize("style", NATIONAL_STYLES)
def test_a_2016_report_with_the_national_statistics_table(style: str, tmp_path: Path) -> None:
    text = (
        "望川市2016年政府信息公开工作年度报告\n一、概述\n2016年,我市认真贯彻落实《条例》。\n"
        "二、主动公开政府信息情况\n全年主动公开政府信息860条。\n三、存在的主要问题和改进措施\n公开内容还不够全面。\n"
        + render_national(style)
    )
    facts = _facts(text, tmp_path)
    expected = {(key, "total"): {_number(value)} for _, _, value, key in NATIONAL if key}
    assert facts == expected
