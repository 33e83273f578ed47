"""The prose shapes of real reports that the seed-fitted rules missed, each as a synthetic example first,
then variants of the same shape (invented places and numbers), so a rule fitted to one sentence fails."""

from __future__ import annotations

import pytest

from services.metric_extractor.transform import extract_metrics
from shared.messages.v1 import MetricFact, ReportMetadata, Table
from tests.unit.metric_extractor.builders import Heading, document

ACTIVE: list[Heading] = [("二、", 1, "active_disclosure")]
REQUESTS: list[Heading] = [("三、", 1, "requests")]


def found(text: str, headings: list[Heading] = ()) -> dict[str, MetricFact]:
    return {f.key: f for f in extract_metrics(document(text, headings)).metrics}


def values(text: str, headings: list[Heading] = ()) -> dict[str, float]:
    return {k: f.value for k, f in found(text, headings).items()}


@pytest.mark.parametrize(
    "text",
    [
        "三、政府信息公开的收费及减免情况\n本年度依申请提供的信息一律暂不收费。",
        "六、其他需要报告的事项\n本年度本机关无收取信息处理费的情况。",
        "六、其他需要报告的事项\n全年办理申请的过程中未发生收费情况。",
        "六、其他需要报告的事项\n本局全年未收取任何信息公开处理费。",
        "六、其他需要报告的事项\n2030年我局未收取政府信息公开信息处理费。",
        "六、其他需要报告的事项\n2030年度没有产生信息公开处理费。",
        "四、收费情况\n对依申请公开的信息均不收取费用。",
    ],
)
def test_fee_zero_variants(text: str) -> None:
    fact = found(text)["fees.collected"]
    assert (fact.value, fact.unit) == (0, "元")


@pytest.mark.parametrize(
    "text",
    [
        "行政事业性收费项目均未收费的情况已公开。",  # a table-二 row, not a request fee
        # some units did charge (copying, postage): the city as a whole is not a zero
        "全市对依申请提供政府信息不收取任何费用;部分单位对复印、邮寄等费用按收费标准执行。",
        "坚持维持不收费的原则。",  # a principle, not a statement about the year
    ],
)
def test_not_a_fee_zero(text: str) -> None:
    assert "fees.collected" not in found(text)


def test_requests_counted_in_tiao() -> None:
    text = (
        "二、主动公开政府信息情况 按属性划分,不予公开的信息300条、依申请公开的信息60条。\n"
        "三、政府信息依申请公开工作情况 全年受理有关政府信息公开的申请共12条,包括当面申请数5条、网上申请数7条。"
        "已答复12条,同意公开答复数10条。"
    )
    assert values(text, [*ACTIVE, *REQUESTS]) == {
        "requests.new": 12,
        "requests.channel.in_person": 5,
        "requests.channel.online": 7,
        "requests.outcome.total": 12,
        "requests.outcome.granted": 10,
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("涉及信息公开的行政复议案件12起、行政诉讼案件4起均已审结。",
         {"reconsideration.total": 12, "litigation.total": 4}),
        ("三、政府信息依申请公开工作情况 本年度办理了2份涉及政府信息公开的行政复议申请。",
         {"reconsideration.total": 2}),
        ("本年度共收到政府信息公开申请9份,均已答复。", {"requests.new": 9}),
        ("全年发生3起因政府信息公开引起的行政诉讼。", {"litigation.total": 3}),
    ],
)  # fmt: skip
def test_case_units_and_count_before_noun(text: str, expected: dict[str, float]) -> None:
    assert values(text, REQUESTS if text.startswith("三") else []) == expected


def test_channel_phrases() -> None:
    text = (
        "(一)主动公开方面。依托门户网站,本年度通过县政府门户网站全年主动公开各类政府信息2210条;"
        "“望川发布”公众号全年发布信息310条。\n"
        "(二)平台建设方面。政务微博全年发布微博660条,微信公众号推出原创文章420篇。"
    )
    assert values(text) == {
        "active.channel.website": 2210,
        "active.channel.wechat": 310,
        "active.channel.weibo": 660,
    }


def test_channel_list_in_one_clause() -> None:
    text = "全年共主动公开政府信息40条,网站信息152条,微信公众号信息318条。"
    assert values(text) == {"active.total": 40, "active.channel.website": 152, "active.channel.wechat": 318}


def test_several_channels_joined_state_the_total() -> None:
    text = "通过网站、“望川城管”微信公众号和政务公开栏主动公开信息640条。"
    assert values(text) == {"active.total": 640}


def test_request_channels_phrased_with_form() -> None:
    text = (
        "全县共受理政府信息公开申请90件,其中当面申请50件,以网上提交表单形式申请30件,"
        "以电子邮件形式申请6件,以信函形式申请3件,以传真形式申请1件。"
    )
    assert values(text) == {
        "requests.new": 90,
        "requests.channel.in_person": 50,
        "requests.channel.online": 30,
        "requests.channel.email": 6,
        "requests.channel.mail": 3,
        "requests.channel.fax": 1,
    }


def test_scope_qizhong_only_demotes_the_same_key() -> None:
    text = (
        "(一)主动公开的数量 全年共形成政府信息2100条,其中主动公开政府信息960条。"
        "分层级看,县直部门主动公开政府信息700条、各乡镇主动公开政府信息260条。"
    )
    assert values(text) == {"active.total": 960}


def test_an_office_of_the_body_is_a_part() -> None:
    text = "全区主动公开政府信息1500条。区发改局主动公开政府信息120条,区府办主动公开信息数为80条。"
    assert values(text) == {"active.total": 1500}
    text = "区府办主动公开信息数为80条。全区共主动公开政府信息1500条。"
    assert values(text) == {"active.total": 1500}


@pytest.mark.parametrize(
    ("text", "total"),
    [
        ("(一)基本情况 全年全县共公布政府信息1375条(按类别:机构设置类40条、政策与规范性文件类信息52条、"
         "其他应主动公开政府信息510条)。", 1375),
        ("(一)主动公开政府信息情况\n本局当年经审核对外发布各类公开政府信息96条,分为:公文类21条、"
         "政策解读与通知类信息7条、网站动态信息60条。", 96),
        ("(一)主动公开的数量 在政府信息公开专栏,共更新发布48条信息(常态信息不计入),其中规范性文件3条。", 48),
        ("(一)主动公开的数量 2030年,共更新发布31条政府信息,历年累计发布402条政府信息。", 31),
    ],
)  # fmt: skip
def test_active_total_verbs_and_category_items(text: str, total: int) -> None:
    found = values(text, [("(一)", 2, "active_disclosure")])
    found.pop("active.cumulative_total", None)  # 历年累计发布402条 is stated too, under its own key
    assert found == {"active.total": total}


def test_normative_qualifiers() -> None:
    text = "(一)主动公开方面 在政务公开专栏集中展示现行有效行政规范性文件230件;本年度制发的规范性文件14件均已上线。"
    assert values(text) == {"active.normative_docs.in_force": 230, "active.normative_docs.issued": 14}


def test_expenditure_as_feiyong() -> None:
    text = "(二)政府信息公开事务支出情况 全年印制公开指南、维护查阅点共计产生政府信息公开费用2万元。"
    fact = found(text)["expenditure.total"]
    assert (fact.value, fact.unit) == (20000, "元")


def test_fees_collected_is_not_an_expenditure() -> None:
    assert values("本年度收取政府信息公开费用300元。") == {"fees.collected": 300}


@pytest.mark.parametrize(
    ("text", "key", "value", "period"),
    [
        ("政策解读方面,全年累计推出解读材料35篇。", "response.interpretations", 35, "annual"),
        ("截至2030年底,历年累计主动公开政府信息52000条。", "active.cumulative_total", 52000, "cumulative"),
        ("2030年,全市累计召开14场新闻发布会。", "response.press_conferences", 14, "annual"),
        ("2030年出刊12期,已累计出刊106期,共发布政府信息3452条。", "active.cumulative_total", 3452, "cumulative"),
        ("截至2030年12月31日,全年主动公开政府信息6348条。", "active.total", 6348, "annual"),
        ("全市共发布209篇政策解读稿。", "response.interpretations", 209, "annual"),
    ],
)
def test_period_of_a_statement(text: str, key: str, value: float, period: str) -> None:
    fact = found(text, [("", 1, "active_disclosure")])[key]
    assert (fact.value, fact.period) == (value, period)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("本年度没有因信息公开引起的行政复议、提起行政诉讼的申请。",
         {"reconsideration.total": 0, "litigation.total": 0}),
        ("2030年度及历年没有收到因政府信息公开申请而发生的行政复议、被提起行政诉讼和接受行政申诉、举报等相关情况。",
         {"reconsideration.total": 0, "litigation.total": 0, "complaints.total": 0}),
    ],
)  # fmt: skip
def test_zero_noun_variants(text: str, expected: dict[str, float]) -> None:
    assert values(text) == expected


def test_training_context_anywhere_in_the_sentence() -> None:
    text = "全市各单位通过不同形式共举办培训班40期,参加政府信息各类培训班总人数为1650人。"
    assert values(text) == {"training.sessions": 40, "training.participants": 1650}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(四)政策解读情况。本局2030年没有政策解读事项,政策解读数量为0。", {"response.interpretations": 0}),
        ("全年因政府信息公开被申请行政复议数量为0,行政诉讼数量为零。",
         {"reconsideration.total": 0, "litigation.total": 0}),
        ("本年度依申请公开收费金额为0。", {"fees.collected": 0}),
    ],
)  # fmt: skip
def test_bare_zero_takes_the_unit_of_its_key(text: str, expected: dict[str, float]) -> None:
    facts = found(text, [("", 1, "fees_costs")] if "收费" in text else [])
    assert {k: f.value for k, f in facts.items()} == expected
    assert all(f.unit for f in facts.values())


def test_category_items_in_tiao_are_not_normative_documents() -> None:
    text = "(一)主动公开数量 在政府信息公开专栏,共更新发布56条信息,其中发展规划2条,行政法规、规章和规范性文件13条。"
    assert values(text, [("(一)", 2, "active_disclosure")]) == {"active.total": 56}


def test_a_kind_of_a_split_total_is_not_the_total() -> None:
    assert values("2030年,我局发布文字类解读6份,图片类解读3份。") == {}
    assert values("全年发布各类解读材料25篇。") == {"response.interpretations": 25}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全年政府信息公开行政复议和行政诉讼均为0件。", {"reconsideration.total": 0, "litigation.total": 0}),
        ("因政府信息公开被申请行政复议、提起行政诉讼的案件都是2件。",
         {"reconsideration.total": 2, "litigation.total": 2}),
        ("全年政府信息公开行政复议和行政诉讼共3件。", {}),  # a sum of two keys is neither
    ],
)  # fmt: skip
def test_joined_labels_share_a_count_only_with_jun(text: str, expected: dict[str, float]) -> None:
    assert values(text) == expected


def test_channel_verbs_without_object_and_new_requests_inside_a_handled_total() -> None:
    text = "政务微博发布1200条。全年共办理政府信息公开申请60件,其中新收57件,上年结转3件。本年度无收费情况。"
    assert values(text) == {
        "active.channel.weibo": 1200,
        "requests.new": 57,
        "requests.carried_over": 3,
        "fees.collected": 0,
    }


@pytest.mark.parametrize(
    "text",
    ["2030年全年无依申请公开事项。", "本机关本年度未收到依申请公开。", "本镇未收到任何形式的政府信息公开申请。"],
)
def test_no_requests_variants(text: str) -> None:
    assert values(text) == {"requests.new": 0}


def test_requests_zero_is_not_read_from_a_partial_negative() -> None:
    assert values("本年度未发生依申请公开投诉并被纠正的情况。") == {}


def test_table_row_labels_are_not_zero_statements() -> None:
    label = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    text = f"三、收到和处理政府信息公开申请情况\n(六)其他处理 {label} |\n"
    table = Table(kind="requests", style="row_per_line", start=text.index("(六)"), end=len(text))
    assert extract_metrics(document(text, tables=[table])).metrics == []
    assert values(f"本年度{label[2:]}的情况。") == {}


def test_tiao_counts_need_a_touching_request_label() -> None:
    text = "三、依申请公开情况\n全年受理政府信息公开申请共8条,回复网民留言200条,答复8条。"
    assert values(text, REQUESTS) == {"requests.new": 8, "requests.outcome.total": 8}


def test_outcomes_after_a_settled_clause_and_listed_fees() -> None:
    text = "全年共受理政府信息公开申请45件;已全部办结,其中同意公开38件,同意部分公开2件,不予公开5件。"
    assert values(text) == {"requests.new": 45, "requests.outcome.granted": 38, "requests.outcome.partial": 2,
                            "requests.outcome.denied.total": 5}  # fmt: skip
    fees = found("四、收费情况\n全年共收取检索、复制、邮寄等费用0元。", [("四、", 1, "fees_costs")])
    assert (fees["fees.collected"].value, fees["fees.collected"].unit) == (0, "元")


def test_gazette_with_a_verb_only() -> None:
    assert values("全县通过政府网站公开3980条,通过政府公报公开120条。") == {
        "active.channel.website": 3980,
        "active.channel.gazette": 120,
    }


@pytest.mark.parametrize(
    "text",
    [
        "通过政府网站、政务微博、微信等平台发布信息3000条。",
        "通过微博和微信发布信息300条。",
        "(一)主动公开 全年发布政府信息公开指南1份。",
    ],
)
def test_lists_of_channels_and_other_documents_are_no_channel_or_total(text: str) -> None:
    assert values(text, [("(一)", 2, "active_disclosure")] if text.startswith("(") else []) == {}


def test_a_bureau_is_a_part_of_a_government_but_the_body_of_its_own_report() -> None:
    text = "2030年,市城管局主动公开政府信息34条。"
    government = document(text).model_copy(update={"metadata": ReportMetadata(title="望川市人民政府2030年年报")})
    department = document(text).model_copy(
        update={"metadata": ReportMetadata(title="望川市城市管理局2030年年报", admin_level="department")}
    )
    assert extract_metrics(government).metrics == []
    assert [(f.key, f.value) for f in extract_metrics(department).metrics] == [("active.total", 34)]


@pytest.mark.parametrize("subject", ["本街道", "全街道", "本镇", "我乡"])
def test_a_township_body_is_whole(subject: str) -> None:
    fact = found(f"2030年,{subject}主动公开政府信息52条。")["active.total"]
    assert (fact.value, fact.period) == (52, "annual")


def test_no_disclosure_fee_charged() -> None:
    assert values("本年度未收取政府信息公开费用。") == {"fees.collected": 0}


def test_items_about_proposals_are_not_proposals() -> None:
    assert values("主动公开人大代表建议和政协委员提案办理情况9条。") == {}
    assert values("全年办理政协委员提案12件。") == {"proposals.cppcc_proposals": 12}


@pytest.mark.parametrize("text", ["2030年,我局共收到20份依申请公开,未收取任何费用。", "全年受理20件政府信息公开申请。"])
def test_requests_counted_before_the_noun(text: str) -> None:
    assert values(text)["requests.new"] == 20


def test_narrated_statistics_table_training_labels() -> None:
    text = "全年举办各类培训班数5次,接受培训人员数310人次。"
    assert values(text) == {"training.sessions": 5, "training.participants": 310}
    assert values("区政府组织开展消防安全培训4次。") == {}


def test_applicants_named_between_verb_and_noun() -> None:
    text = "全年共受理公民、法人或其他组织提出的政府信息公开申请27件。"
    assert values(text) == {"requests.new": 27}
    assert values("本年度没有收到公民、法人或其他组织提出的政府信息公开申请。") == {"requests.new": 0}


def test_last_years_figure_is_not_this_years() -> None:
    text = "上年度共受理政府信息公开申请30件,本年度共受理政府信息公开申请45件。"
    assert values(text) == {"requests.new": 45}
    assert values("本年度新收申请12件,上年结转3件。") == {"requests.new": 12, "requests.carried_over": 3}
