"""Prose rules: each number trap, qualifiers, units, zero statements, scope and period choices."""

from __future__ import annotations

import pytest

from services.metric_extractor.transform import extract_metrics
from shared.messages.v1 import MetricFact
from tests.unit.metric_extractor.builders import Heading, document


def facts(text: str, headings: list[Heading] = ()) -> dict[str, MetricFact]:
    found = extract_metrics(document(text, headings)).metrics
    return {f.key: f for f in found}


@pytest.mark.parametrize(
    "text",
    [
        "全市主动公开政府信息占全部信息的56%。",  # percentage
        "主动公开政府信息同比增长12条。",  # year-on-year delta in a count unit
        "申请数量较去年增加14件。",  # delta after a count word
        "如有疑问请联系,电话:0909-2318248,邮编:833400。",  # phone, postcode
        "索引号:000000000-2019-03726,发布日期:2019-03-11。",  # index number, date
        "按照《工作要点》(国办发〔2014〕12号)主动公开政府信息。",  # document number
        "组织1至2次全州政务公开业务培训。",  # range
        "全年共受理市民来电29640件,市长信箱1681条,省长信箱26条。",  # hotline and mailboxes
        "共收到网民留言210条,办结200条。",  # 网民留言 are not requests
        "累计受理审批服务事项13799件,办结13474件。",  # 审批服务事项 are not requests
        "权力清单总数为7540,其中行政许可198项,行政处罚6055项。",  # power-list items, not decisions
        "共组织讲座12次2400余人参加。",  # lecture attendees are not training participants
        "通过电话和网络接访227件,其中咨询类127件,投诉类101件。",  # hotline complaints
    ],
)
def test_numbers_that_are_not_metrics(text: str) -> None:
    assert facts(text) == {}


def test_enumerator_is_not_part_of_the_number() -> None:
    fact = facts("全年受理政府信息公开申请①12件。")["requests.new"]
    assert fact.value == 12


def test_delta_right_after_a_real_count_is_ignored() -> None:
    found = facts("全市各级行政机关共受理政府信息公开申请25件,申请数量较去年增加14%。")
    assert [(k, f.value) for k, f in found.items()] == [("requests.new", 25)]


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("全市主动公开政府信息122180多条。", 122180, "gt"),
        ("全年共发布解读材料90余件。", 90, "gt"),
        ("我市主动公开政府信息约5000条。", 5000, "approx"),
        ("我市主动公开政府信息近万条。", 10000, "approx"),
        ("我市主动公开政府信息3000条左右。", 3000, "approx"),
        ("我市主动公开政府信息超过800条。", 800, "gt"),
        ("我市主动公开政府信息逾800条。", 800, "gt"),
        ("我市主动公开政府信息不足100条。", 100, "lt"),
        ("我市主动公开政府信息150条以上。", 150, "gt"),
        ("我市主动公开政府信息1.2万条。", 12000, None),
    ],
)
def test_qualifiers_and_multipliers(text: str, value: float, qualifier: str | None) -> None:
    fact = next(iter(facts(text).values()))
    assert (fact.value, fact.qualifier) == (value, qualifier)


def test_money_is_stated_in_the_catalog_unit_of_its_key() -> None:
    fact = facts("本年度政府信息公开实际支出为5万元。")["expenditure.total"]
    assert (fact.value, fact.unit, fact.value_base) == (50000, "元", 50000)  # expenditure is in 元 in the catalog


@pytest.mark.parametrize("text", ["依申请公开信息收取的费用 万元", "收取信息处理费千元。"])
def test_a_money_unit_without_a_number_is_no_amount(text: str) -> None:
    assert facts(text) == {}  # a blank 万元 cell or unit heading, not ten thousand 元


def test_ten_yuan_in_chinese_numerals_is_still_an_amount() -> None:
    assert facts("本年度收取信息处理费十元。")["fees.collected"].value == 10


def test_chinese_numerals_on_matched_spans() -> None:
    found = facts("今年召开政务公开工作会议三次,举办政务公开培训两次。")
    assert (found["training.meetings"].value, found["training.sessions"].value) == (3, 2)


def test_unit_decides_between_sessions_and_participants() -> None:
    found = facts("举办政务公开培训班数共6次,接受培训人员数342人次。")
    assert (found["training.sessions"].value, found["training.participants"].value) == (6, 342)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2009年度未发生关于政府信息公开事务的行政复议案、行政诉讼案和有关申诉案。",
         {"reconsideration.total": 0, "litigation.total": 0, "complaints.total": 0}),
        ("我市未收到政府信息公开行为引发的行政复议申请。", {"reconsideration.total": 0}),
        ("全年未收到政府信息公开申请。", {"requests.new": 0}),
        ("对申请资料全部免费予以提供,未收取费用。", {"fees.collected": 0}),
        ("所有依申请公开办件均未收费。", {"fees.collected": 0}),
        ("本年度没有向申请人进行依申请信息公开的收费情况。", {"fees.collected": 0}),
        ("本年度依申请公开收取信息处理费共计400元。", {"fees.collected": 400}),
    ],
)  # fmt: skip
def test_zero_and_fee_statements(text: str, expected: dict[str, int]) -> None:
    assert {k: f.value for k, f in facts(text).items()} == expected


def test_partial_negative_is_not_a_zero() -> None:
    assert facts("(二)依申请公开情况。2018未发生依申请公开投诉并被纠正的案件情况。") == {}


def test_no_cost_clause_does_not_zero_review_counts() -> None:
    found = facts("本年度政府信息公开实际支出为5万元,也无诉讼、复议方面的费用支出。")
    assert set(found) == {"expenditure.total"}


def test_annual_preferred_over_cumulative() -> None:
    found = facts("本区到年底累计主动公开政府信息5928条,全文电子化率达90.3%,其中,本年度新增主动公开政府信息2110条。")
    fact = found["active.total"]
    assert (fact.value, fact.period) == (2110, "annual")


def test_cumulative_alone_is_flagged() -> None:
    found = facts("截至2014年底,我区累计主动公开政府信息5928条。")
    fact = found["active.cumulative_total"]  # the running total has its own key; never active.total
    assert (fact.value, fact.period, set(found)) == (5928, "cumulative", {"active.cumulative_total"})


def test_whole_jurisdiction_beats_its_parts() -> None:
    text = ("2014年,全州主动公开各类政府信息58781条,其中,州政府本级主动公开信息15980条,"
            "各县(市、口岸)主动公开信息42801条。")  # fmt: skip
    assert facts(text)["active.total"].value == 58781


def test_parts_of_an_answer_count_are_not_facts() -> None:
    found = facts("答复政府信息公开申请25件,其中市级行政机关9件,各县(区)16件。")
    assert {k: f.value for k, f in found.items()} == {"requests.outcome.total": 25}


def test_old_table_outcome_labels_follow_their_block() -> None:
    text = ("全州各级政府机关接到行政复议数26件,其中维持具体行政行为数14件,被依法纠错数1件,其他情形数11件。"
            "全州针对各政府机关行政诉讼数为27件,其中维持具体行政行为或者驳回原告诉讼请求数6件,"
            "被依法纠错数12件,其他情形数9件。")  # fmt: skip
    found = {
        k: f.value for k, f in facts(f"四、复议、诉讼和申诉情况\n{text}", [("四、", 1, "review_litigation")]).items()
    }
    assert found == {"reconsideration.total": 26, "reconsideration.upheld": 14, "reconsideration.corrected": 1,
                     "reconsideration.other": 11, "litigation.total": 27, "litigation.upheld": 6,
                     "litigation.corrected": 12, "litigation.other": 9}  # fmt: skip


def test_label_after_the_number() -> None:
    text = "三、依申请公开办理情况\n全旗各行政机关受理政府信息公开申请2件。2件不予公开(不属条例所指政府信息)。"
    found = facts(text, [("三、", 1, "requests")])
    assert {k: f.value for k, f in found.items()} == {"requests.new": 2, "requests.outcome.denied.total": 2}


@pytest.mark.parametrize(
    "overview",
    [
        [("一、", 1, "overview")],
        [("一、", 1, "overview"), ("(六)做好依申请公开工作", 2, "requests")],  # a requests paragraph of 一
    ],
)
def test_channel_breakdown_from_the_requests_chapter_wins(overview: list[Heading]) -> None:
    text = (
        "一、概述\n(六)做好依申请公开工作 2018年共收到有效依申请公开25件,其中网络申请11件,其他方式申请14件。\n"
        "三、依申请公开政府信息情况\n全市共受理政府信息公开申请25件。"
        "申请渠道方面,信函申请是最主要的申请形式(14件,占56%),其次为网络申请(11件,占44%)。"
    )
    found = facts(text, [*overview, ("三、", 1, "requests")])
    channels = {k: f.value for k, f in found.items() if k.startswith("requests.channel")}
    assert channels == {"requests.channel.mail": 14, "requests.channel.online": 11}
    assert found["requests.new"].start > text.index("三、")


def test_other_channels_stated_elsewhere_are_kept() -> None:
    text = (
        "一、总体情况\n(一)主动公开\n全年通过政府门户网站主动公开政府信息2316条。\n"
        "(四)政府信息公开平台建设\n完善政务新媒体矩阵,政务微信公众号全年发布信息865条。"
    )
    headings = [("一、", 1, "overview"), ("(一)", 2, "active_disclosure"), ("(四)", 2, "overview")]
    found = facts(text, headings)
    assert (found["active.channel.website"].value, found["active.channel.wechat"].value) == (2316, 865)


def test_overview_facts_survive_when_the_chapter_states_other_keys() -> None:
    text = "一、总体情况\n全年共收到政府信息公开申请66件。\n三、依申请公开情况\n上年结转2件,行政复议1件。"
    found = facts(text, [("一、", 1, "overview"), ("三、", 1, "requests")])
    assert (found["requests.new"].value, found["requests.carried_over"].value) == (66, 2)


def test_home_chapter_wins_a_value_conflict() -> None:
    text = "一、总体情况\n全年共收到政府信息公开申请66件。\n三、依申请公开情况\n本年度共收到政府信息公开申请64件。"
    fact = facts(text, [("一、", 1, "overview"), ("三、", 1, "requests")])["requests.new"]
    assert (fact.value, fact.section) == (64, "requests")


def test_restatement_keeps_the_first_evidence_with_offsets() -> None:
    text = "全市通过微博公开信息6476条。22.用好新平台。全市通过微博公开信息6476条。"
    found = extract_metrics(document(text)).metrics
    assert len(found) == 1
    fact = found[0]
    assert text[fact.start : fact.end] == fact.evidence == "通过微博公开信息6476条"
    assert fact.start < 10


def test_specific_channel_label_beats_the_total_label() -> None:
    found = facts("截至2014年12月31日,博州政府门户网站主动公开各类政府信息58781条。")
    assert set(found) == {"active.channel.website"}


def test_generic_labels_need_disclosure_context() -> None:
    assert facts("区政府组织开展消防安全培训4次。") == {}
    assert facts("区政府组织开展政务公开业务培训4次。")["training.sessions"].value == 4


def test_section_kind_is_recorded() -> None:
    text = "二、主动公开情况\n我区主动公开政府信息1209条。"
    fact = facts(text, [("二、", 1, "active_disclosure")])["active.total"]
    assert fact.section == "active_disclosure"
