"""Table shapes of real reports (issue 7), each from a synthetic example with invented places and numbers.

Classes: short rows, table 四 anchoring, the 2008–2018 statistics appendix, digits inside header
words, half-glued rows with stray spaces, ambiguous glued runs, the 2019 procurement row.
"""

from __future__ import annotations

import pytest

from services.section_splitter import tables as tables_module
from services.section_splitter.tables import find_tables
from services.section_splitter.tokens import tokenize
from shared.messages.v1 import Table

from .builders import cell_values, expected_requests, render_active, render_requests
from .conftest import sectioned


def _table(text: str, kind: str) -> Table:
    return next(t for t in find_tables(text) if t.kind == kind)


def _totals(table: Table) -> dict[str, int | float | None]:
    return {c.key: c.value for c in table.cells if c.key and c.applicant == "total"}


# ---------------------------------------------------------------- class 1: short rows


def test_short_row_keeps_its_cells_with_a_warning() -> None:
    text = (
        "望川县2030年政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第(一)项 |\n"
        "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | 3 | 12 |\n行政规范性文件 | 5 | 1 | 20 |\n"
    )
    table = _table(text, "active_disclosure")
    values = _totals(table)
    assert (values["active.normative_docs.issued"], values["active.normative_docs.repealed"]) == (5, 1)
    assert values["active.normative_docs.in_force"] == 20
    assert values["active.regulations.in_force"] is None
    assert any(w.startswith("规章: 2 of 3 cells present") for w in table.warnings)


def test_procurement_count_glued_to_its_amount_is_left_out() -> None:
    text = render_active("fmt2019", "row_per_line").replace(
        "政府集中采购 | 36 | 251000元 |", "政府集中采购 | 4218830.50元 |"
    )
    table = _table(text, "active_disclosure")
    assert not [c for c in table.cells if c.row == "政府集中采购"]
    assert "政府集中采购: count and amount glued together, left out" in table.warnings
    assert _totals(table)["active.coercion.decisions"] == 48


def test_one_unreadable_table_costs_only_that_table(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> Table:
        raise IndexError("list index out of range")

    monkeypatch.setattr(tables_module, "_table_at", broken)
    doc = sectioned("一、总体情况\n正文。\n" + render_requests("fmt2021", "row_per_line"))
    assert doc.tables == [] and doc.sections[0].title == "总体情况"
    assert any("skipped: IndexError" in w for w in doc.warnings)


# ---------------------------------------------------------------- class 2: table 四


_FIFTEEN = "| 2 | 0 | 1 | 0 | 3 | 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 |"
_REVIEW_SHAPES = {
    "spaced_label": (
        "四、政府信息公开行政复议、行政诉讼情况\n行 政复议 | 行 政诉讼 |\n"
        "结果维持 | 结果 纠正 | 其 他 结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉 |\n"
        "结果维持 | 结果 纠正 | 其 他 结果 | 尚未审结 | 总计 | 结果维持 | 结果 纠正 | 其 他 结果 | 尚未审结 | 总计 |\n"
        "2 | 0 | 1 | 0 | 3 | 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 |\n"
    ),
    "footnote": (
        "四、政府信息公开行政复议、行政诉讼情况\n行政复议行政诉讼\n未经复议直接起诉复议后起诉\n"
        "结果维持结果纠正其他结果尚未审结总计\n注:表中复议、诉讼案件数包括上年度结转的案件。\n" + _FIFTEEN + "\n"
    ),
    "subtables": "## 四、政府信息公开行政复议、行政诉讼情况\n"
    + "".join(
        f"### {title}\n| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n|---|---|---|---|---|\n| {row} |\n"
        for title, row in (
            ("行政复议", "2 | 0 | 1 | 0 | 3"),
            ("行政诉讼(未经复议直接起诉)", "1 | 0 | 0 | 0 | 1"),
            ("行政诉讼(复议后起诉)", "0 | 0 | 0 | 0 | 0"),
        )
    ),
    "footnote_then_next_chapter": (
        "四、行政复议、行政诉讼情况 行政复议 行政诉讼 未经复议直接起诉 复议后起诉 "
        "结果维持 结果纠正 其他结果 尚未审结 总计 注:复议案件含上年结转。注:诉讼案件含上年结转。 "
        "2 0 1 0 3 1 0 0 0 1 0 0 0 0 0 五、存在的主要问题 2031年计划 5 6 7 8 9。"
    ),
}


@pytest.mark.parametrize("shape", sorted(_REVIEW_SHAPES))
def test_table_four_is_found_in_every_shape(shape: str) -> None:
    values = _totals(_table(_REVIEW_SHAPES[shape], "review_litigation"))
    assert [values[f"reconsideration.{k}"] for k in ("upheld", "corrected", "other", "pending", "total")] == [
        2,
        0,
        1,
        0,
        3,
    ]
    assert values["litigation.direct.total"] == 1
    assert values["litigation.after_reconsideration.total"] == 0


def test_table_four_glued_to_its_heading_on_a_one_line_body() -> None:
    text = (
        "标题: 望川县2030年政府信息公开工作年度报告\n一、总体情况 2030年,望川县持续推进政务公开。"
        "四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计"
        "未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计"
        "311052010341016五、存在的主要问题及改进情况 需进一步加强。\n"
    )
    table = _table(text, "review_litigation")
    assert [c.value for c in table.cells] == [3, 1, 1, 0, 5, 2, 0, 1, 0, 3, 4, 1, 0, 1, 6]
    assert table.style == "glued" and table.warnings == []


def test_review_prose_is_not_a_table() -> None:
    text = "四、政府信息公开行政复议、行政诉讼情况\n本年度发生政府信息公开行政复议1件、行政诉讼2件,结果维持3件。\n"
    assert [t for t in find_tables(text) if t.kind == "review_litigation"] == []


# ---------------------------------------------------------------- class 3: the 2008–2018 statistics appendix

_STATS_GLUED = (
    "标题: 临湖县人民政府2016年政府信息公开工作年度报告\n一、概述 2016年,临湖县持续推进政府信息公开工作。"
    "二、政府信息依申请公开工作情况 2016年全县共收到政府信息公开申请6件。 附件:临湖县2016年政府信息公开情况统计表 "
    "指标名称计量单位2016年度历年累计主动公开信息数条3127840其中:1.网站公开条29876512.政府公报公开条00"
    "受理依申请公开信息总数条6150其中:1.当面申请数条4902.网上申请数条260对申请的答复总数条6150"
    "其中:1.同意公开答复数条51222.同意部分公开答复数条1283.否决公开答复数条00行政复议数件00行政诉讼数件13行政申诉数件00\n"
)
_STATS_SPACED = (
    "标题: 临湖县人民政府2016年政府信息公开工作年度报告\n一、概述 2016年,临湖县持续推进政府信息公开工作。 "
    "附件:临湖县2016年政府信息公开情况统计表 指标名称 计量单位 2016年度 历年累计 主动公开信息数 条 312 7840 "
    "其中:1、网站公开 条 298 7651 2、政府公报公开 条 0 0 受理依申请公开信息总数 条 6 150 对申请的答复总数 条 6 150 "
    "其中:1、同意公开答复数 条 5 122 2、同意部分公开答复数 条 1 28 行政复议数 件 0 0 行政诉讼数 件 1 3 "
    "行政申诉、举报数 件 0 0\n"
)
_STATS_EXPECTED = {
    "active.total": 312,
    "active.cumulative_total": 7840,
    "active.channel.website": 298,
    "active.channel.gazette": 0,
    "requests.new": 6,
    "requests.outcome.total": 6,
    "requests.outcome.granted": 5,
    "requests.outcome.partial": 1,
    "reconsideration.total": 0,
    "litigation.total": 1,
    "complaints.total": 0,
}


def test_statistics_appendix_glued_with_the_next_ordinal() -> None:
    table = _table(_STATS_GLUED, "legacy_stats")
    assert table.era == "pre2019" and table.style == "glued" and table.warnings == []
    assert _totals(table) == {
        **_STATS_EXPECTED,
        "requests.channel.in_person": 4,
        "requests.channel.online": 2,
        "requests.outcome.denied.total": 0,
    }


def test_statistics_appendix_space_separated_rows_are_masked_from_headings() -> None:
    doc = sectioned(_STATS_SPACED)
    table = next(t for t in doc.tables if t.kind == "legacy_stats")
    assert _totals(table) == _STATS_EXPECTED
    assert [s.title for s in doc.sections] == ["概述"]


def test_statistics_appendix_cumulative_cells_are_never_annual_keys() -> None:
    table = _table(_STATS_SPACED, "legacy_stats")
    cumulative = [c for c in table.cells if c.column == "历年累计"]
    assert {c.key for c in cumulative} == {"active.cumulative_total", None}
    assert [c.value for c in cumulative if c.row == "行政诉讼数"] == [3]


def test_statistics_appendix_one_row_per_line_with_blank_cells_and_keyless_rows() -> None:
    text = (
        "七、附表:年度统计表\n指 标 名 称 | 计量 单位 | 年末统计 |\n主动公开信息数 | 条 | 48 |\n"
        "其中:1.政府公报 | 条 | 0 |\n2.政府网站 | 条 | 48 |\n3.新闻发布会 | 条 | 2 |\n"
        "4.其他便于公众知晓的方式 | 条 | |\n网站中政府信息公开专栏页面访问量 | 人次 | 7215 |\n"
        "受理依申请公开信息总数 | 条 | 3 |\n其中:1.当面申请数 | 条 | 1 |\n2.传真申请数 | 条 | 0 |\n"
        "3.网上申请数 | 条 | 2 |\n本年度对申请的答复总数 | 条 | 3 |\n其中:1.同意公开答复数 | 条 | 2 |\n"
        "2.同意部分公开答复数 | 条 | 0 |\n3.否决公开答复总数 | 条 | 0 |\n4.其他类型答复数 | 条 | 1 |\n"
        "行政复议数 | 件 | 0 |\n望川县科技局\n2031年1月12日\n"
    )
    table = _table(text, "legacy_stats")
    values = _totals(table)
    assert values == {
        "active.total": 48,
        "active.channel.gazette": 0,
        "active.channel.website": 48,
        "active.channel.other": None,
        "requests.new": 3,
        "requests.channel.in_person": 1,
        "requests.channel.fax": 0,
        "requests.channel.online": 2,
        "requests.outcome.total": 3,
        "requests.outcome.granted": 2,
        "requests.outcome.partial": 0,
        "requests.outcome.denied.total": 0,
        "reconsideration.total": 0,
    }
    assert {c.row for c in table.cells if c.key is None} == {
        "3.新闻发布会",
        "网站中政府信息公开专栏页面访问量",
        "4.其他类型答复数",
    }
    assert "望川县科技局" not in text[table.start : table.end]


def test_statistics_pair_still_ambiguous_emits_nothing_but_its_candidates() -> None:
    # a lone row: 1224 reads 1|224 or 12|24, and no parent or sibling can tell
    text = "指标名称 计量单位 本年度 历年累计 主动公开信息数 条 40 900 行政复议数件1224行政诉讼数件00\n"
    table = _table(text, "legacy_stats")
    assert "reconsideration.total" not in _totals(table)
    assert "行政复议数: glued run 1224 is ambiguous (2 splits), left out; candidates: 1|224; 12|24" in table.warnings


def test_statistics_children_bound_and_partition_their_parent() -> None:
    # 受理 12|85: the channels must add up, so 当面 `975` is 9|75 (not 97|5, more than its parent)
    text = "指标名称计量单位本年度历年累计受理依申请公开信息总数条1285其中:1.当面申请数条9752.网上申请数条310\n"
    values = {(c.key, c.column): c.value for c in _table(text, "legacy_stats").cells}
    assert values[("requests.new", "本年度")] == 12
    assert values[("requests.channel.in_person", "本年度")] == 9
    assert values[("requests.channel.online", "本年度")] == 3


# ---------------------------------------------------------------- class 9: digits inside header words


def test_header_codes_are_label_text_and_a_repeated_label_rebinds() -> None:
    head = "| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |\n|---|---|---|---|---|---|---|---|\n"
    text = "## 三、收到和处理政府信息公开申请情况\n(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)\n"
    for caption, label, values in (
        ("一、本年新收政府信息公开申请数量", "本年新收政府信息公开申请数量", "52 | 3 | 0 | 0 | 1 | 0 | 56"),
        ("二、上年结转政府信息公开申请数量", "上年结转政府信息公开申请数量", "4 | 0 | 0 | 0 | 0 | 0 | 4"),
        ("(一) 予以公开", "予以公开", "30 | 2 | 0 | 0 | 1 | 0 | 33"),
    ):
        text += f"### {caption}\n{head}| {label} | {values} |\n"
    values = _totals(_table(text, "requests"))
    assert (values["requests.new"], values["requests.carried_over"], values["requests.outcome.granted"]) == (56, 4, 33)
    assert cell_values(_table(text, "requests"))[("requests.new", "natural_person")] == 52


# ---------------------------------------------------------------- class 12: half-glued rows


def test_glued_row_with_stray_spaces_and_leading_zero_tokens() -> None:
    glued = render_requests("fmt2021", "glued")
    text = glued.replace("一、本年新收政府信息公开申请数量351200038", "一、本年新收政府信息公开申请数量140 0001 15")
    text = text.replace("二、上年结转政府信息公开申请数量3000003", "二、上年结转政府信息公开申请数量0 00 0 000")
    table = _table(text.replace("\n", ""), "requests")
    values = cell_values(table)
    assert [values[("requests.new", a)] for a in ("natural_person", "other_org", "total")] == [14, 1, 15]
    assert {values[("requests.carried_over", a)] for a in ("natural_person", "research_institution", "total")} == {0}


def test_space_separated_pdf_row_is_not_taken_for_glued() -> None:
    table = _table(render_requests("fmt2021", "space_separated"), "requests")
    assert cell_values(table) == expected_requests("fmt2021")


# ---------------------------------------------------------------- class 13: ambiguous glued runs


def test_ambiguous_glued_triple_lists_its_candidate_splits() -> None:
    text = (
        "二、主动公开政府信息情况 第二十条第(一)项信息内容本年制发件数本年废止件数现行有效件数"
        "规章000行政规范性文件311190第二十条第(五)项信息内容本年处理决定数量行政许可0\n"
    )
    table = _table(text, "active_disclosure")
    assert "active.normative_docs.issued" not in _totals(table)
    warning = next(w for w in table.warnings if w.startswith("行政规范性文件: glued run 311190 is ambiguous"))
    candidates = warning.split("candidates: ")[1].split("; ")
    assert "31|1|190" in candidates and len(candidates) == 10


def test_an_intro_listing_the_parts_is_not_table_four() -> None:
    text = (
        "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议行政诉讼情况、"
        "存在的主要问题及改进情况、其他需要报告的事项等六个部分组成。本报告所列数据的统计期限为2030年1月1日至12月31日。\n"
    )
    assert find_tables(text) == []


def test_a_count_cell_with_its_counter_word() -> None:
    printed = "政府集中采购 | 36 | 251000元 |"
    text = render_active("fmt2019", "row_per_line").replace(printed, "政府集中采购 | 3批 | 160200元 |")
    table = _table(text, "active_disclosure")
    assert [(c.column, c.value) for c in table.cells if c.row == "政府集中采购"] == [
        ("采购项目数量", 3),
        ("采购总金额", 160200),
    ]


# ---------------------------------------------------------------- crawled page text: one cell per line, repeats merged


def test_one_value_per_line_with_merged_repeats() -> None:
    lines = render_requests("fmt2021", "cell_per_line").replace(" |", "").split("\n")
    merged = [line for i, line in enumerate(lines) if not (i and line.isdigit() and line == lines[i - 1])]
    table = _table("\n".join(merged) + "\n", "requests")
    values = cell_values(table)
    assert [values[("requests.new", a)] for a in ("natural_person", "commercial_enterprise", "total")] == [35, 1, 38]
    assert values[("requests.outcome.denied.state_secret", "total")] == 0  # `0` stood for seven zeros
    assert any("one per line, read as merged repeats" in w for w in table.warnings)


def test_one_value_per_line_that_no_expansion_explains_is_left_out() -> None:
    text = "申请人情况 本年新收\n一、本年新收政府信息公开申请数量\n258\n12\n1\n二、上年结转政府信息公开申请数量\n0\n"
    table = _table(text, "requests")
    assert ("requests.new", "total") not in cell_values(table)
    assert any("cannot be placed, left out" in w for w in table.warnings)


def test_statistics_value_alone_on_its_line_stands_for_both_columns() -> None:
    cells = ("指 标 名 称", "计量", "单位", "本年度", "历年累计", "主动公开信息数", "条", "30", "412")
    text = "\n".join((*cells, "行政复议数", "件", "0", "行政诉讼数", "件", "1", "3", ""))
    values = {(c.key, c.column): c.value for c in _table(text, "legacy_stats").cells}
    assert values[("reconsideration.total", "本年度")] == 0
    assert values[("litigation.total", "本年度")] == 1
    assert values[("active.total", "本年度")] == 30


def test_statistics_row_codes_and_bracketed_label_numbers_are_not_values() -> None:
    text = (
        "指标名称 | 计量单位 | 代码 | 本年度 |\n"
        "主动公开政府信息数(不同渠道和方式公开相同信息计1条) | 条 | 01 | 312 |\n"
        "其中:主动公开规范性文件数 | 条 | 02 | 12 |\n收到申请数 | 件 | 03 | 6 |\n"
        "其中:1.当面申请数 | 件 | 04 | 4 |\n2.网络申请数 | 件 | 05 | 2 |\n"
    )
    assert _totals(_table(text, "legacy_stats")) == {
        "active.total": 312,
        "active.normative_docs.published": 12,
        "requests.new": 6,
        "requests.channel.in_person": 4,
        "requests.channel.online": 2,
    }


def test_any_numbered_header_row_is_label_text() -> None:
    head = "| 类别 | 列1 | 列2 | 列3 | 列4 | 列5 | 列6 | 列7 |\n"
    text = "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)\n"
    for label, values in (
        ("一、本年新收政府信息公开申请数量", "52 | 3 | 0 | 0 | 1 | 0 | 56"),
        ("二、上年结转政府信息公开申请数量", "4 | 0 | 0 | 0 | 0 | 0 | 4"),
        ("(一)予以公开", "30 | 2 | 0 | 0 | 1 | 0 | 33"),
    ):
        text += f"### {label}\n{head}| {label} | {values} |\n"
    values = _totals(_table(text, "requests"))
    assert (values["requests.new"], values["requests.carried_over"], values["requests.outcome.granted"]) == (56, 4, 33)


def test_numbered_header_cells_tokenize_as_labels() -> None:
    line = "| 类别 | 列1 | 列2 | 列3 | 总计 |\n| 行政许可 | 3 | 4 |\n"
    kinds = [(t.kind, t.text) for t in tokenize(line, 0, len(line))]
    assert kinds[:5] == [("text", "类别"), ("text", "列1"), ("text", "列2"), ("text", "列3"), ("text", "总计")]
    assert ("num", "3") in kinds


def test_a_glued_chapter_title_stays_outside_table_four() -> None:
    text = (
        "三、收到和处理政府信息公开申请情况 无。四、政府信息公开行政复议行政诉讼情况行政复议行政诉讼"
        "结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计"
        "结果维持结果纠正其他结果尚未审结总计000000000000000五、存在的主要问题 无。"
    )
    table = _table(text, "review_litigation")
    assert text[: table.start].endswith("四、政府信息公开行政复议行政诉讼情况")
    assert [c.value for c in table.cells] == [0] * 15


def test_statistics_appendix_ends_before_the_next_chapter() -> None:
    text = _STATS_SPACED.rstrip("\n") + " 三、政府信息公开的收费情况 2016年全县未收取费用。\n"
    doc = sectioned(text)
    table = next(t for t in doc.tables if t.kind == "legacy_stats")
    assert "三、政府信息公开" not in text[table.start : table.end]
    assert _totals(table)["complaints.total"] == 0


def test_thousands_separators_in_cells() -> None:
    text = (
        "指 标 名 称 | 计量单位 | 2030年度 | 历年累计 |\n主动公开信息数 | 条 | 30,293 | 169,247 |\n"
        "其中:1.政府网站 | 条 | 23,793 | 162,747 |\n受理依申请公开信息总数 | 条 | 421 | 1,521 |\n"
    )
    values = _totals(_table(text, "legacy_stats"))
    assert (values["active.total"], values["active.cumulative_total"]) == (30293, 169247)
    assert (values["active.channel.website"], values["requests.new"]) == (23793, 421)


def test_zero_led_row_codes_without_a_code_header() -> None:
    text = (
        "指标名称 | 计量单位 | 本年度 |\n主动公开信息数 | 条 | 01 | 312 |\n其中:1.政府网站 | 条 | 02 | 300 |\n"
        "收到申请数 | 件 | 03 | 6 |\n"
    )
    assert _totals(_table(text, "legacy_stats")) == {
        "active.total": 312,
        "active.channel.website": 300,
        "requests.new": 6,
    }


def test_national_statistics_table_rows_of_response_and_review() -> None:
    text = (
        "指标名称 | 单位 | 统计数 |\n一、主动公开情况 | | |\n(一)主动公开政府信息数 | 条 | 860 |\n"
        "二、回应解读情况 | | |\n(一)回应公众关注热点或重大舆情数 | 次 | 12 |\n"
        "1.参加或举办新闻发布会总次数 | 次 | 5 |\n3.政策解读稿件发布数 | 篇 | 30 |\n"
        "四、行政复议数量 | 件 | 3 |\n(一)维持具体行政行为数 | 件 | 2 |\n(二)被依法纠错数 | 件 | 1 |\n"
        "(三)其他情形数 | 件 | 0 |\n五、行政诉讼数量 | 件 | 1 |\n"
        "(一)维持具体行政行为或者驳回原告诉讼请求数 | 件 | 1 |\n"
    )
    values = _totals(_table(text, "legacy_stats"))
    assert values["active.total"] == 860
    assert (values["response.hot_topics"], values["response.press_conferences"]) == (12, 5)
    assert values["response.interpretations"] == 30
    assert [values[f"reconsideration.{k}"] for k in ("total", "upheld", "corrected", "other")] == [3, 2, 1, 0]
    assert (values["litigation.total"], values["litigation.upheld"]) == (1, 1)


def test_table_four_window_ends_at_any_next_chapter() -> None:
    text = (
        "三、政府信息公开行政复议、行政诉讼情况\n行政复议 | 行政诉讼 |\n"
        "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n"
        "四、存在的主要问题及改进情况\n一是数据 1 2 3 4 5 项需要核对。\n"
    )
    assert not [c for t in find_tables(text) for c in t.cells if c.value is not None]


def test_statistics_table_comparing_two_years_keys_only_the_latest() -> None:
    text = "指标名称 | 计量单位 | 2029年 | 2030年 |\n主动公开信息数 | 条 | 900 | 812 |\n行政复议数 | 件 | 2 | 0 |\n"
    cells = _table(text, "legacy_stats").cells
    assert {(c.column, c.key, c.value) for c in cells if c.row == "主动公开信息数"} == {
        ("上年度", None, 900),
        ("本年度", "active.total", 812),
    }


def test_statistics_list_lead_alone_on_its_line_does_not_end_the_table() -> None:
    """Crawler text, one cell per line: `其中:` sits alone before the numbered rows it leads."""
    text = (
        "附表\n指标名称\n计量单位\n2016年度\n历年累计\n主动公开信息数\n条\n312\n7840\n受理政府信息公开申请总数\n条\n6\n150\n"
        "其中:\n1.当面申请数\n条\n4\n90\n2.网络申请数\n条\n2\n60\n对申请的答复总数\n条\n6\n150\n"
    )
    (table,) = find_tables(text, "pre2019")
    annual = {c.key: c.value for c in table.cells if c.key and c.column != "历年累计"}
    assert annual == {
        "active.total": 312,
        "requests.new": 6,
        "requests.channel.in_person": 4,
        "requests.channel.online": 2,
        "requests.outcome.total": 6,
    }
