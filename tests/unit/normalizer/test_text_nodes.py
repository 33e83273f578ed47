"""Crawler text with one line per HTML text node: sentences come back, table cells stay cells."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from services.normalizer.textnodes import rejoin_text_nodes


def test_numbers_return_to_their_sentences() -> None:
    broken = "报告中所列的\n2030\n年数据统计期限自\n2030\n年\n1\n月\n1\n日至\n2030\n年\n12\n月\n31\n日。"
    assert rejoin_text_nodes(broken) == "报告中所列的2030年数据统计期限自2030年1月1日至2030年12月31日。"


def test_document_numbers_and_lone_punctuation() -> None:
    broken = "(望政办〔\n2030\n〕\n41\n号)要求,编制本报告。全年共收到申请\n9\n件\n,\n均已答复。"
    assert rejoin_text_nodes(broken) == "(望政办〔2030〕41号)要求,编制本报告。全年共收到申请9件,均已答复。"


def test_table_cells_one_per_line_stay_apart() -> None:
    table = "规章\n0\n行政规范性文件\n1\n7\n16\n一、本年新收政府信息公开申请数量\n19\n0\n1\n0\n20\n二、上年结转\n0"
    assert rejoin_text_nodes(table) == table


def test_a_heading_is_not_extended_by_its_body() -> None:
    text = "一、概述\n2030\n年,望川县持续推进政务公开。\n(一)主动公开方面\n全年公开\n12\n条。"
    assert rejoin_text_nodes(text).split("\n") == [
        "一、概述",
        "2030年,望川县持续推进政务公开。",
        "(一)主动公开方面",
        "全年公开12条。",
    ]


def test_a_marker_after_an_unpunctuated_title_opens_its_own_line() -> None:
    text = "望川县2030年政府信息公开工作年度报告\n一、\n概述\n(一)\n主动公开"
    assert rejoin_text_nodes(text).split("\n") == ["望川县2030年政府信息公开工作年度报告", "一、概述", "(一)主动公开"]


def test_a_marker_alone_on_its_line_gets_its_title() -> None:
    text = "进一步公开。\n1.\n社会公益事业建设领域\n(\n1\n)脱贫攻坚领域\n二、\n主动公开政府信息情况"
    assert rejoin_text_nodes(text).split("\n") == [
        "进一步公开。",
        "1.社会公益事业建设领域",
        "(1)脱贫攻坚领域",
        "二、主动公开政府信息情况",
    ]


def test_a_finished_sentence_is_not_extended() -> None:
    text = "全年主动公开信息312条。\n2031\n年,将进一步加强公开。"
    assert rejoin_text_nodes(text).split("\n") == ["全年主动公开信息312条。", "2031年,将进一步加强公开。"]


_PIECES = ["0", "12", "年", "条。", ",", "〔", "一、概述", "规章", "", "数量", "3.5", "1."]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_only_line_breaks_are_removed(pieces: list[str]) -> None:  # pieces carry no outer spaces
    text = "\n".join(pieces)
    joined = rejoin_text_nodes(text)
    assert joined.replace("\n", "") == text.replace("\n", "")  # nothing but line breaks ever goes
    assert joined.count("\n") <= text.count("\n")
