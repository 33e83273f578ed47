"""Heading shapes of real reports (H1–H5 and junk rows), each from an invented synthetic example.

The places and numbers are made up; the shapes are those of crawled one-line bodies, PDF text
and flattened statistics tables.
"""

from __future__ import annotations

import unicodedata

import pytest

from services.section_splitter.headings import find_headings

from .conftest import sectioned


def _titles(text: str) -> list[tuple[int, str]]:
    return [(h.level, h.title) for h in find_headings(text)]


def _folded(text: str) -> list[tuple[int, str]]:
    return [(level, unicodedata.normalize("NFKC", title).replace(" ", "")) for level, title in _titles(text)]


def test_h1_titles_glued_to_their_body_on_a_one_line_report() -> None:
    text = (
        "标题: 临湖县人民政府2016年政府信息公开工作年度报告\n"
        "全文分为概述、主动公开政府信息情况、政府信息依申请公开工作情况三部分。联系电话:0000-1234567。"
        "一、 概述2016年,临湖县持续推进政务公开。二、主动公开政府信息情况(一)主动公开的数量全县共主动公开"
        "政府信息812条。(二)主动公开的类别2016年,机构职能类信息40条。三、政府信息依申请公开工作情况2016年"
        "全县共收到政府信息公开申请9件。"
    )
    assert _titles(text) == [
        (1, "概述"),
        (1, "主动公开政府信息情况"),
        (2, "主动公开的数量"),
        (2, "主动公开的类别"),
        (1, "政府信息依申请公开工作情况"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a title end followed by body text, the body opening with a phrase
            "五、存在的主要问题及改进情况从总体看,全县政务公开仍有差距。",
            [(1, "存在的主要问题及改进情况")],
        ),
        (  # an enumeration `一是` right after the title
            "一、概述\n(二)健全工作机制一是明确责任分工;二是加强督查。",
            [(1, "概述"), (2, "健全工作机制")],
        ),
        (  # a list item right after the title, and a marker after a colon
            "一、概述\n主要开展了以下工作:(一)规范公开行为1、完善审核制度。全年审核信息300条。",
            [(1, "概述"), (2, "规范公开行为")],
        ),
        (  # a sentence-initial year right after a title with a comma
            "一、概述\n(五)确定示范单位,提升全县公开水平2016年6月,县政务公开办确定了示范单位。",
            [(1, "概述"), (2, "确定示范单位,提升全县公开水平")],
        ),
        (  # a title end followed by a plain-text body with no punctuation at all
            "三、依申请公开情况\n(三)“不予公开”的政府信息情况主要为涉及国家秘密的应急预案等信息",
            [(1, "依申请公开情况"), (2, "“不予公开”的政府信息情况")],
        ),
    ],
)
def test_h1_where_a_glued_title_ends(text: str, expected: list[tuple[int, str]]) -> None:
    assert _titles(text) == expected


@pytest.mark.parametrize(
    "intro",
    [
        "本报告由概述、主动公开情况、下一步工作打算组成。",
        "全文分为概述、主动公开情况和下一步工作打算三部分。",
        "报告共分3个部分:概述,主动公开情况,以及下一步工作打算。",
        "本年报包括概述、主动公开情况、下一步工作打算等三个方面。",
    ],
)
def test_h1_the_intro_list_of_parts_is_a_lexicon_of_titles(intro: str) -> None:
    text = f"{intro}\n一、概述\n正文。\n三、下一步工作打算全县将继续深化政务公开工作,进一步规范公开流程。\n"
    assert _titles(text) == [(1, "概述"), (1, "下一步工作打算")]


def test_h1_titles_that_continue_after_a_title_word_are_not_cut() -> None:
    text = (
        "一、存在的主要问题及改进情况\n正文。\n二、主动公开政府信息的主要类别情况\n正文。\n"
        "三、落实2018年政务公开工作要点情况\n正文。\n四、附表:年度统计表\n"
        "五、概述\n(一)理顺机制,统筹推进,队伍建设不断加强\n正文。\n(二)坚持服务为民\n正文。\n"
        "(三)拓展公开在线访谈渠道\n正文。\n"
    )
    assert _titles(text) == [
        (1, "存在的主要问题及改进情况"),
        (1, "主动公开政府信息的主要类别情况"),
        (1, "落实2018年政务公开工作要点情况"),
        (1, "附表:年度统计表"),
        (1, "概述"),
        (2, "理顺机制,统筹推进,队伍建设不断加强"),
        (2, "坚持服务为民"),
        (2, "拓展公开在线访谈渠道"),
    ]


def test_h2_titles_glued_to_a_table_header() -> None:
    text = (
        "一、总体情况 2030年,望川县持续推进政务公开。二、主动公开政府信息情况第二十条第(一)项信息内容"
        "本年制发件数本年废止件数现行有效件数规章000行政规范性文件511"
        "三、收到和处理政府信息公开申请情况(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"
        "申请人情况自然人法人或其他组织总计一、本年新收政府信息公开申请数量1000001"
        "四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计"
        "000000000000000五、存在的主要问题及改进情况 需进一步加强。"
        "六、其他需要报告的事项2030年度本机关无需要说明的其他事项。"
    )
    titles = [s.title for s in sectioned(text).sections if s.level == 1]
    assert titles == [
        "总体情况",
        "主动公开政府信息情况",
        "收到和处理政府信息公开申请情况",
        "政府信息公开行政复议、行政诉讼情况",
        "存在的主要问题及改进情况",
        "其他需要报告的事项",
    ]


def test_h3_run_in_leads_are_decided_per_section() -> None:
    text = (
        "二、主动公开政府信息情况\n"
        "(一)主动公开政府信息的数量 全县共主动公开政府信息620条。\n"
        "(二)主动公开政府信息的形式 主要通过门户网站公开。\n"
        "三、存在的主要问题及改进情况\n"
        "(一)丰富公开载体,提升公开质量。进一步加大公开力度。\n"
        "(二)规范公开行为。进一步完善工作机制。\n"
    )
    assert _titles(text) == [
        (1, "主动公开政府信息情况"),
        (2, "主动公开政府信息的数量"),
        (2, "主动公开政府信息的形式"),
        (1, "存在的主要问题及改进情况"),
        (2, "丰富公开载体,提升公开质量"),
        (2, "规范公开行为"),
    ]


def test_h4_a_short_body_sentence_is_not_absorbed_into_a_known_title() -> None:
    assert _titles("六、其他需要报告的事项 本年度无需要说明的事项\n") == [(1, "其他需要报告的事项")]
    assert _titles("五、存在问题 无\n") == [(1, "存在问题")]


def test_h5_pdf_spacing_inside_a_year_does_not_split_a_title() -> None:
    text = "五、存在的主要问题及改进情况\n(一)2029 年度工作中发现问题的整改落实情况\n正文。\n"
    assert _folded(text) == [(1, "存在的主要问题及改进情况"), (2, "2029年度工作中发现问题的整改落实情况")]


def test_pdf_cell_separator_after_a_title_line() -> None:
    text = "一、总体情况 |\n2030 年,望川县持续推进政务公开。 |\n二、主动公开政府信息情况 |\n"
    assert _titles(text) == [(1, "总体情况"), (1, "主动公开政府信息情况")]


@pytest.mark.parametrize(
    "table",
    [
        # one row per line, cells separated by pipes (some blank)
        "指 标 名 称 | 计量 单位 | 本年度 | 历年 累计 |\n主动公开信息数 | 条 | 36 | 240 |\n"
        "其中:1.政府网站 | 条 | 36 | 240 |\n2.传真申请数 | 条 | 0 | 0 |\n"
        "4.其他便于公众知晓的方式 | 条 | | |\n2.同意部分公开答复数 | 条 | 0 | 0 |\n",
        # the whole table on one line, unit words and two values separated by spaces
        "主动公开信息数 条 312 7840 其中:1、网站公开 条 298 7651 2、政府公报公开 条 0 0 "
        "受理依申请公开信息总数 条 6 150 对申请的答复总数 条 6 150 "
        "其中:1、同意公开答复数 条 5 122 2、同意部分公开答复数 条 1 28 行政复议数 件 0 0",
        # glued together with the next item's ordinal
        "指标名称计量单位2016年度历年累计主动公开信息数条3127840其中:1.网站公开条29876512.政府公报公开条00"
        "受理依申请公开信息总数条6150其中:1.当面申请数条4902.网上申请数条260",
    ],
    ids=["piped", "spaced", "glued"],
)
def test_pre2019_statistics_rows_are_not_headings(table: str) -> None:
    text = f"五、存在的主要问题\n正文。\n六、附表\n{table}\n"
    doc = sectioned(text)
    assert [(s.title, s.kind) for s in doc.sections] == [("存在的主要问题", "problems"), ("附表", "other")]


def test_a_phone_number_is_not_a_title() -> None:
    text = "二、主动公开情况\n(三)信息公开的形式\n1.设立政府网站专栏。\n3.设立咨询电话:0000-1234567。\n"
    assert _titles(text) == [(1, "主动公开情况"), (2, "信息公开的形式")]


def test_script_fragments_never_become_unnumbered_headings() -> None:
    filler = "".join(f'let filler{i} = [{{"id": {i}, "name": "栏目{i}"}}]\n}}]\n' for i in range(5))
    text = filler + "\n鹿鸣市2030年政府信息公开工作年度报告\n\n报告内容\n" + "全年主动公开政府信息100条。" * 5
    titles = [t for _, t in _titles(text)]
    assert "}]" not in titles
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in titles)


def test_sections_after_junk_rows_keep_their_own_kind() -> None:
    text = (
        "三、依申请公开情况\n全年收到申请6件。\n附表\n2.传真申请数 | 条 | 0 | 0 |\n四、行政复议、行政诉讼情况\n无。\n"
    )
    kinds = [(s.title, s.kind) for s in sectioned(text).sections]
    assert kinds == [("依申请公开情况", "requests"), ("行政复议、行政诉讼情况", "review_litigation")]


def test_markup_left_in_the_text_keeps_its_headings() -> None:
    text = (
        '<p style="text-align: center;">鹿鸣市2030年政府信息公开工作年度报告</p><p>一、总体情况</p>'
        "<p>(一)主动公开方面</p><p>2030年,主动公开行政规范性文件18件。</p><p>(二)依申请公开方面</p>"
        "<p>共受理政府信息公开申请75件。</p><p>四、政府信息公开行政复议、行政诉讼情况</p><table><tr><td>"
    )
    assert _titles(text) == [
        (1, "总体情况"),
        (2, "主动公开方面"),
        (2, "依申请公开方面"),
        (1, "政府信息公开行政复议、行政诉讼情况"),
    ]


def test_a_crawler_line_break_inside_a_quoted_title() -> None:
    text = "三、依申请公开情况\n(三)“不予公开\n”的政府信息情况\n主要为涉及国家秘密的信息。\n"
    assert _titles(text) == [(1, "依申请公开情况"), (2, "“不予公开”的政府信息情况")]


def test_a_known_part_title_opens_a_section_after_any_character() -> None:
    text = (
        "二、主动公开政府信息情况第二十条第(一)项信息内容本年制发件数"
        "三、收到和处理政府信息公开申请情况(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)申请人情况"
        "统一、规范公开流程。"
    )
    assert _titles(text) == [(1, "主动公开政府信息情况"), (1, "收到和处理政府信息公开申请情况")]


def test_a_pdf_line_break_inside_a_known_part_title() -> None:
    text = "一、总体情况 |\n正文。 |\n二、主动公开政府信 |\n息情况 |\n第二十条第(一)项 |\n三、存在的主要问题\n正文。\n"
    assert _titles(text) == [(1, "总体情况"), (1, "主动公开政府信息情况"), (1, "存在的主要问题")]


def test_crawler_text_nodes_inside_a_quoted_title_are_one_title() -> None:
    text = "一、概述\n(三)推行“一网\n通\n办”\n一是完善目录。\n(四)加强培训“\n正文。\n"
    assert _titles(text) == [(1, "概述"), (2, "推行“一网通办”"), (2, "加强培训“")]


def test_a_marker_and_its_title_in_two_text_nodes() -> None:
    text = "一、\n概述\n2030年,望川县持续推进政务公开。\n(一)\n主动公开\n正文。\n二、\n0\n1.\n"
    assert _titles(text) == [(1, "概述"), (2, "主动公开")]


def test_a_statistics_row_whose_blank_cells_were_lost() -> None:
    text = "七、附表\n主动公开信息数 条 36 其中:1.政府公报 条 0 4.其他便于公众知晓的方式 条 公开查阅点查阅人数 人次\n"
    assert _titles(text) == [(1, "附表")]


def test_titles_followed_by_a_colon() -> None:
    text = (
        "一、总体情况:\n2030年,望川县持续推进政务公开。\n"
        "(一)主动公开情况:依托县政府网站和政务新媒体发布规划、预算和办事指南。\n"
        "(二)依申请公开情况:2030年全县受理申请21件。\n七、附表:年度统计表二〇三一年三月三十一日\n"
    )
    assert _titles(text) == [(1, "总体情况"), (2, "主动公开情况"), (2, "依申请公开情况"), (1, "附表:年度统计表")]


def test_markdown_emphasis_around_titles() -> None:
    text = "**一、总体情况**\n正文。\n**(一)主动公开情况**全年主动公开信息812条。\n## 二、主动公开政府信息情况\n"
    assert _titles(text) == [(1, "总体情况"), (2, "主动公开情况"), (1, "主动公开政府信息情况")]


def test_pdf_letter_spacing_inside_a_title() -> None:
    text = "一、总 体 情 况\n正文。\n二、主 动 公 开 政 府 信 息 情 况\n(一) 主 动 公 开 2030年全年公开信息5条。\n"
    assert _folded(text) == [(1, "总体情况"), (1, "主动公开政府信息情况"), (2, "主动公开")]


def test_a_marker_right_after_a_count_whose_full_stop_was_lost() -> None:
    text = (
        "一、概述\n截至年底,共发布解读17条,回应舆情12条,县长热线863件(二)政务服务中心运行整体情况为推进"
        "政务服务改革,中心于2030年5月迁入新址。(三)建立健全制度建设修订了《望川县政府信息公开办法》"
        "和《望川县政府信息公开保密审查办法》。"
    )
    assert _titles(text) == [(1, "概述"), (2, "政务服务中心运行整体情况"), (2, "建立健全制度建设")]


def test_template_sub_headings_glued_to_their_body() -> None:
    text = (
        "一、总体情况2030年,望川县持续推进政务公开。(一)主动公开2030年主动公开政府信息812条。"
        "(三)政府信息管理严格落实保密审查制度,全年审查信息900条。"
        "(四)政府信息公开平台建设持续优化政府网站栏目设置,提升平台服务能力和水平。"
        "(五)监督保障强化考核评议,将政务公开纳入年度绩效考核。(六)完善制度建设建立健全了主动公开、"
        "依申请公开、保密审查等制度,做到有章可循。二、主动公开政府信息情况"
    )
    assert _titles(text) == [
        (1, "总体情况"),
        (2, "主动公开"),
        (2, "政府信息管理"),
        (2, "政府信息公开平台建设"),
        (2, "监督保障"),
        (2, "完善制度建设"),
        (1, "主动公开政府信息情况"),
    ]


def test_an_enumeration_after_a_colon_is_body() -> None:
    text = "一、概述\n主要措施如下:1.加强领导;2.完善制度。\n包括:(1)网站;(2)公报。\n"
    assert _titles(text) == [(1, "概述")]
