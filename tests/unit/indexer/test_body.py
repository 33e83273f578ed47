"""The searchable body: page header, title line and outline sentence out; every line of the report proper kept."""

from __future__ import annotations

from services.indexer.body import is_outline_sentence, search_body, strip_header
from shared.messages import Section

TITLE = "云岭综合实验区2023年政府信息公开工作年度报告"
OUTLINE = (
    "全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、行政诉讼情况、"
    "存在的主要问题及改进情况、其他需要报告的事项。"
)
INTRO = "本报告根据《中华人民共和国政府信息公开条例》编制。" + OUTLINE + "本报告所列数据的统计期限自2023年1月1日起。"
REPORT = "一、总体情况\n2023年,全区主动公开政府信息120条。\n"
CRAWLED = (
    f"标题: {TITLE}\n发布时间: 2024-01-20 09:00\n文号:\n发布机构: 云岭综合实验区管理委员会\n栏目: 政府信息公开年报\n"
    "原始链接: https://www.example.gov.cn/ndbg/t20240120_1.htm\n正文:\n"
)


def body_of(text: str, title: str | None = TITLE) -> str:
    return search_body(text, title, [Section(level=1, title="总体情况", kind="overview", start=text.index("一、"),
                                             end=len(text))])


def test_crawl_header_title_and_outline_are_left_out() -> None:
    body = body_of(CRAWLED + INTRO + "\n" + REPORT)
    intro = "本报告根据《中华人民共和国政府信息公开条例》编制。本报告所列数据的统计期限自2023年1月1日起。"
    assert body == intro + "\n" + REPORT.strip()


def test_cms_header_table_with_spaced_labels_and_repeated_title() -> None:
    text = (
        f"{TITLE}\n索 引 号: 000014349/2024-00549 分  类: 综合\n发布机构:管委会办公室 发文日期:2024年01月20日\n"
        f"名  称: {TITLE}\n| 文 号: | 主题分类: | |\n关键词: | |||\n{TITLE} |\n{INTRO}\n{REPORT}"
    )
    assert body_of(text).startswith("本报告根据《中华人民共和国政府信息公开条例》编制。本报告所列数据")


def test_a_body_on_the_label_line_is_kept() -> None:
    """Text after `正文:` is the report; a long line that starts with a label is a one-line body."""
    crawled = "标题: 某报告\n正文: 本年度共收到申请3件。\n一、概述"
    assert strip_header(crawled, "某报告") == "本年度共收到申请3件。\n一、概述"
    one_line = "发布机构: 某局 " + "本年度共收到政府信息公开申请3件,均按时答复。" * 10
    assert strip_header(one_line, None) == one_line


def test_only_the_leading_block_is_header() -> None:
    text = "2023年,本局共收到申请3件。\n来源: 本局统计\n"
    assert strip_header(text, None) == text


def test_outline_sentences_of_every_era() -> None:
    assert is_outline_sentence(OUTLINE)
    assert is_outline_sentence("本年报由概述、政府信息公开情况、存在的主要问题、2019年工作思路等四部分组成。")
    assert is_outline_sentence(
        "本报告由六部分组成,分别是:总体情况,主动公开政府信息情况,收到和处理政府信息公开申请情况,其他需要报告的事项。"
    )
    assert is_outline_sentence("全文内容包括:概述,主动公开政府信息情况,政府信息依申请公开办理情况,附表。")
    # `本报告由…编制而成`: the cue without a list of parts
    assert not is_outline_sentence("本报告由市政府办公室综合各县区的年度报告编制而成,所列数据统计期限从1月1日起。")
    assert not is_outline_sentence("全年主动公开政府信息120条,包括机构职能、政策文件、规划计划等情况。")


def test_an_outline_below_the_first_heading_is_report_text() -> None:
    text = "前言。\n一、总体情况\n" + OUTLINE + "\n"
    assert search_body(text, None, [Section(level=1, title="总体情况", kind="overview", start=4, end=len(text))]) == (
        text.strip()
    )


def test_a_report_without_sections_or_chrome_is_unchanged() -> None:
    text = "2014年,全州收到依申请公开数120件。\n行政复议26件。"
    assert search_body(text, None, []) == text
