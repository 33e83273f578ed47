"""Heading rules on small texts: styles, inline positions, relative levels, false headings."""

from __future__ import annotations

from services.section_splitter.headings import find_headings
from services.section_splitter.tables import find_tables

from .builders import render_review
from .conftest import sectioned


def _titles(text: str) -> list[tuple[int, str]]:
    return [(h.level, h.title) for h in find_headings(text)]


def test_line_start_styles_and_relative_levels() -> None:
    text = "一、概 述\n正文。\n(1)建立健全组织机构\n正文。\n①第一项工作\n正文。\n二、主动公开情况\n⑴新增\n正文。\n"
    assert _titles(text) == [(1, "概 述"), (2, "建立健全组织机构"), (1, "主动公开情况"), (2, "新增")]


def test_the_outline_is_two_levels_deep_but_deeper_items_shape_the_levels() -> None:
    text = "一、概述\n1.政府网站\n(1)栏目建设\n正文。\n(2)内容保障\n正文。\n2.政务微博\n正文。\n"
    assert _titles(text) == [(1, "概述"), (2, "政府网站"), (2, "政务微博")]


def test_inline_headings_after_sentence_end_pipe_and_space() -> None:
    text = (
        "联系电话:0932-8228865) 一、概述 2018年,全市推进政务公开。 (一)加强组织领导 建立了领导体系。"
        "| 二、依申请公开 全年收到申请5件。"
    )
    assert _titles(text) == [(1, "概述"), (2, "加强组织领导"), (1, "依申请公开")]


def test_run_in_leads_and_titles_ending_in_full_stop() -> None:
    text = "一、工作情况\n㈠ 加强组织领导。2014年召开会议8次。\n㈡加强制度建设。建立健全信息公开制度。\n"
    assert _titles(text) == [(1, "工作情况"), (2, "加强组织领导"), (2, "加强制度建设")]
    assert _titles("一、工作情况\n(一)切实加强组织领导。\n正文。\n") == [(1, "工作情况"), (2, "切实加强组织领导")]


def test_enumerations_decimals_dates_and_counts_are_not_headings() -> None:
    text = (
        "一、概述\n一是加强领导;二是完善制度。一要继续加大力度。同比上升19.51%。陇西3.24、7.14事故。"
        "2018.3.8召开会议。 1.5万条信息。 (1)共收到申请5件。\n"
    )
    assert _titles(text) == [(1, "概述")]


def test_run_in_list_items_below_level_two_are_paragraphs() -> None:
    body = "认真落实各项政策文件,除依法需要保密的都及时进行公开。"
    text = (
        f"一、概述 2018年工作。 (一)围绕重大决策进行公开 1.着力推进政策执行公开。{body} 2.着力做好权责清单调整。{body}"
    )
    assert _titles(text) == [(1, "概述"), (2, "围绕重大决策进行公开")]


def test_run_in_leads_of_a_family_printed_as_heading_lines_elsewhere() -> None:
    text = "一、概述\n(1)组织机构建设\n正文。\n二、存在问题\n(1)公开标准方面。标准化水平有待提高。\n"
    assert _titles(text) == [(1, "概述"), (2, "组织机构建设"), (1, "存在问题")]


def test_unnumbered_wiki_headings_only_without_numbered_top_level() -> None:
    text = "某市2009年政府信息公开工作年度报告\n\n基本介绍\n• 中文名:某市报告\n报告内容\n" + "正文。" * 20
    text += "\n信息情况\n主动公开政府信息数量\n全年主动公开政府信息6348件。\n相关词条\n热门词条\n"
    assert _titles(text) == [(1, "报告内容"), (1, "信息情况"), (2, "主动公开政府信息数量")]


def test_table_rows_are_not_headings() -> None:
    text = "四、政府信息公开行政复议、行政诉讼情况\n" + render_review("row_per_line") + "\n五、存在问题\n问题。\n"
    doc = sectioned(text)
    assert [s.title for s in doc.sections] == ["政府信息公开行政复议、行政诉讼情况", "存在问题"]


def test_empty_table_four_does_not_take_numbers_from_the_next_section() -> None:
    text = render_review("row_per_line", blank=True).split("\n")[:3]
    table = next(t for t in find_tables("\n".join(text) + "\n五、存在问题\n2021年,我单位存在3个问题。") if t.cells)
    assert all(c.value is None for c in table.cells)


def test_full_width_ordinals() -> None:
    text = "一．总体情况\n正文。\n（一）主动公开\n正文。\n⒈ 政府网站\n正文。\n"
    assert _titles(text) == [(1, "总体情况"), (2, "主动公开")]
    assert _titles("一．总体情况\n正文。\n⒈ 政府网站\n正文。\n") == [(1, "总体情况"), (2, "政府网站")]
