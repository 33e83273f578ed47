"""Real phrasings from reports of many provinces and levels (docs/metrics.md#phrasings-per-key), each
placed in a minimal synthetic report of an invented place: in section 一, in its home section, and with
the whole body on one line. Plus the number traps and confusers that must stay facts of nothing.

The sentences are real wording with the place names replaced; a rule fitted to one sentence fails the
other layouts, so each fix has to hold for the shape, not for the string.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from services.metric_extractor.transform import extract_metrics
from shared.messages.v1 import MetricFact, ReportMetadata, SectionKind
from tests.unit.metric_extractor.builders import Heading, document

PLACE = "望川县"
TITLE = f"{PLACE}人民政府2030年政府信息公开工作年度报告"
INTRO = "本报告根据《中华人民共和国政府信息公开条例》要求编制,所列数据的统计期限自2030年1月1日起至2030年12月31日止。"
OVERVIEW: Heading = ("一、概述", 1, "overview")
HOME: dict[SectionKind, str] = {
    "active_disclosure": "二、主动公开政府信息情况",
    "requests": "三、依申请公开政府信息情况",
    "review_litigation": "四、因政府信息公开申请行政复议、提起行政诉讼的情况",
    "fees_costs": "五、政府信息公开的收费及减免情况",
    "other": "六、其他需要报告的事项",
}
CLOSING: Heading = ("七、存在的主要问题及改进情况", 1, "problems")
CLOSING_BODY = "部分单位公开意识有待加强,下一步将加大培训力度。"
LAYOUTS = ("overview", "home", "one_line")


def report(sentence: str, kind: SectionKind, layout: str) -> str:
    """The report text around `sentence`; `report_headings` gives its sections."""
    heading = OVERVIEW[0] if layout == "overview" else HOME[kind]
    lines = [TITLE, INTRO, heading, f"2030年,{PLACE}认真贯彻落实《条例》。{sentence}", CLOSING[0], CLOSING_BODY]
    return (" " if layout == "one_line" else "\n").join(lines)


def report_headings(kind: SectionKind, layout: str) -> list[Heading]:
    home: Heading = OVERVIEW if layout == "overview" else (HOME[kind], 1, kind)
    return [home, CLOSING]


def extract(sentence: str, kind: SectionKind, layout: str, issuer: str = f"{PLACE}人民政府") -> dict[str, MetricFact]:
    doc = document(report(sentence, kind, layout), report_headings(kind, layout))
    level = "township" if issuer.endswith(("街道办事处", "镇人民政府")) else "county"
    meta = ReportMetadata(title=f"{issuer}2030年政府信息公开工作年度报告", issuer=issuer, admin_level=level,
                          year=2030, era="pre2019")  # fmt: skip
    result = extract_metrics(doc.model_copy(update={"metadata": meta}))
    return {f.key: f for f in result.metrics}


@dataclass(frozen=True)
class Case:
    """A real sentence, its home section, the facts it states; `layouts` where it is self-contained."""

    sentence: str
    kind: SectionKind
    expected: dict[str, float]
    units: dict[str, str] | None = None
    qualifiers: dict[str, str] | None = None
    layouts: tuple[str, ...] = LAYOUTS


A, R, V, F, X = "active_disclosure", "requests", "review_litigation", "fees_costs", "other"

# docs/metrics.md#phrasings-per-key: active disclosure totals, channels, categories
ACTIVE_CASES = [
    Case("全州主动公开各类政府信息58781条,其中,州政府本级主动公开信息15980条,各县(市、口岸)主动公开信息42801条。", A,
         {"active.total": 58781}),
    Case("我区主动公开政府信息1209条。", A, {"active.total": 1209}),
    Case("新增主动公开信息42735条,同比增长11.2%。", A, {"active.total": 42735}),
    Case("全市主动公开政府信息122180多条,同比上升19.51%。", A, {"active.total": 122180},
         qualifiers={"active.total": "gt"}),
    Case("截至2030年12月31日,全年县政府及县级机关主动公开政府信息6348件。", A, {"active.total": 6348},
         units={"active.total": "件"}),
    Case("本区到年底累计主动公开政府信息5928条,全文电子化率达90.3%,其中,本年度新增主动公开政府信息2110条。", A,
         {"active.total": 2110, "active.cumulative_total": 5928}),
    Case("政府网站公开政府信息1124条、主动公开规范性文件17条、政务微信公开政府信息数85条。", A,
         {"active.channel.website": 1124, "active.normative_docs.published": 17, "active.channel.wechat": 85}),
    Case("政务微博公开政府信息条数8700条,政务微信公开政府信息条数13200条,其他方式公开政府信息14383条。", A,
         {"active.channel.weibo": 8700, "active.channel.wechat": 13200, "active.channel.other": 14383}),
    Case("通过微博公开信息6476条,通过微信及客户端公开13647多条。", A,
         {"active.channel.weibo": 6476, "active.channel.wechat": 13647}),
    Case("按类别分:机构职能647条,占1.1%,政策法规1117条,占1.9%。", A, {}),
]  # fmt: skip

REQUEST_CASES = [
    Case("全州收到依申请公开数120件,其中网络申请数24件,信函申请数96件,全部按时办结。", R,
         {"requests.new": 120, "requests.channel.online": 24, "requests.channel.mail": 96}),
    Case("共收到有效依申请公开25件,其中网络申请11件,其他方式申请14件。", R,
         {"requests.new": 25, "requests.channel.online": 11, "requests.channel.other": 14}),
    Case("全旗各行政机关受理政府信息公开申请2件。", R, {"requests.new": 2}),
    Case("共收到依申请公开申请66件。", R, {"requests.new": 66}),
    Case("信函申请是最主要的申请形式(14件,占56%)。", R, {"requests.channel.mail": 14}),
    Case("答复的申请中,2件不予公开(不属条例所指政府信息)。", R, {"requests.outcome.denied.total": 2}),
    Case("答复政府信息公开申请25件,其中市级行政机关9件,各县(区)16件。", R, {"requests.outcome.total": 25}),
    Case("全县共办理政府信息公开申请516件,办理结果:予以公开及部分公开258件,占50%;不予公开35件,占6.8%;"
         "因本机关不掌握等原因无法提供65件,占12.6%;不予处理158件,占30.6%;其他处理0件。", R,
         {"requests.outcome.denied.total": 35, "requests.outcome.unable.total": 65,
          "requests.outcome.not_processed.total": 158, "requests.outcome.other.total": 0}),
    Case("全年答复政府信息公开申请1453件,同意公开1200件,部分公开67,占4.61%。", R,
         {"requests.outcome.total": 1453, "requests.outcome.granted": 1200, "requests.outcome.partial": 67}),
]  # fmt: skip

REVIEW_CASES = [
    Case("因政府信息公开申请行政复议1件、提起行政诉讼1件。", V, {"reconsideration.total": 1, "litigation.total": 1}),
    Case("信息公开行政复议1件,已结案。", V, {"reconsideration.total": 1}),
    Case("未收到政府信息公开行为引发的行政复议申请。收到政府信息公开行为引发的行政诉讼案件1件,目前原告撤回起诉。", V,
         {"reconsideration.total": 0, "litigation.total": 1}),
    Case("未发生关于政府信息公开事务的行政复议案、行政诉讼案和有关申诉案。", V,
         {"reconsideration.total": 0, "litigation.total": 0, "complaints.total": 0}),
    Case("信息公开类行政复议7件,诉讼9件,均获维持。", V, {"reconsideration.total": 7, "litigation.total": 9}),
]  # fmt: skip

MONEY_CASES = [
    Case("本年度没有向申请人进行依申请信息公开的收费。", F, {"fees.collected": 0}),
    Case("依申请公开工作中未向申请人收取相关费用。", F, {"fees.collected": 0}),
    Case("对政府信息公开申请资料全部免费予以提供,未收取费用。", F, {"fees.collected": 0}),
    Case("所有依申请公开办件均未收费。", F, {"fees.collected": 0}),
    Case("依据《政府信息公开信息处理费管理办法》规定,2030年全县实际收取信息处理费共计400元。", X,
         {"fees.collected": 400}),
    Case("本年度未收取信息处理费。", X, {"fees.collected": 0}),
    Case("本机关2030年度不涉及政府信息公开信息处理费收取。", X, {"fees.collected": 0}),
    Case("2030 年有 1 件政府信息公开申请案件收取信息处理费 380 元。", X, {"fees.collected": 380}),
    Case("本年度政府信息公开实际支出为5万元。", F, {"expenditure.total": 50000}, units={"expenditure.total": "元"}),
    Case("将政务公开专项经费5000元列入财政预算。", F, {"expenditure.total": 5000}),
]  # fmt: skip

CAPACITY_CASES = [
    Case("召开政府信息公开会议和专题会议共8次。", X, {"training.meetings": 8}),
    Case("举办政务公开培训班数共6次,接受培训人员数342人次。", X,
         {"training.sessions": 6, "training.participants": 342}),
    Case("全年共组织开展政务公开平台操作培训4次。", X, {"training.sessions": 4}),
    Case("共发布重要政策措施的解读17条,回应政务舆情12条。", A,
         {"response.interpretations": 17, "response.hot_topics": 12}),
    Case("发布解读材料90余件。", A, {"response.interpretations": 90}, qualifiers={"response.interpretations": "gt"}),
    Case("举办政务公开专题讲座12次2400余人参加。", X, {}),
]  # fmt: skip

# Counts of something else (docs/policies.md#what-is-never-a-fact); proposals are their own keys.
CONFUSER_CASES = [
    Case("全年受理市民来电29640件。", R, {}),
    Case("省长信箱26条,市长信箱1681条。", R, {}),
    Case("累计受理审批服务事项13799件,办结13474件。", R, {}),
    Case("权力清单总数为7540,其中行政许可198项,行政处罚6055项。", A, {}),
    Case("办理人大代表建议16件和政协委员提案28件。", X,
         {"proposals.npc_suggestions": 16, "proposals.cppcc_proposals": 28}),
    Case("县长信箱共受理投诉、咨询和建议479件。", R, {}),
    Case("全年办理人大建议45件、政协提案60件。", X, {"proposals.npc_suggestions": 45, "proposals.cppcc_proposals": 60}),
    Case("全年共办理建议提案105件。", X, {}),
]  # fmt: skip

# The 2014–2018 statistics-table labels narrated in prose (docs/metrics.md#keys, old labels).
TABLE_LABEL_CASES = [
    Case("主动公开政府信息数1209条,其中主动公开规范性文件数17条,制发规范性文件总数20件。", A,
         {"active.total": 1209, "active.normative_docs.published": 17, "active.normative_docs.issued": 20}),
    Case("政府公报公开政府信息数56条,政府网站公开政府信息数1124条,政务微博公开政府信息数870条,"
         "政务微信公开政府信息数85条,其他方式公开政府信息数300条。", A,
         {"active.channel.gazette": 56, "active.channel.website": 1124, "active.channel.weibo": 870,
          "active.channel.wechat": 85, "active.channel.other": 300}),
    Case("回应公众关注热点或重大舆情数12次。", A, {"response.hot_topics": 12}),
    Case("参加或举办新闻发布会总次数5次,政府网站在线访谈次数3次,政策解读稿件发布数17篇,微博微信回应事件数9次。", A,
         {"response.press_conferences": 5, "response.interpretations": 17}),
    Case("收到政府信息公开申请数25件,其中当面申请数5件,传真申请数1件,网络申请数15件,信函申请数4件。", R,
         {"requests.new": 25, "requests.channel.in_person": 5, "requests.channel.fax": 1,
          "requests.channel.online": 15, "requests.channel.mail": 4}),
    Case("收到申请数25件,申请办结数25件,其中按时办结数23件,延期办结数2件。", R, {"requests.new": 25},
         layouts=("home", "one_line")),
    Case("申请答复数25件,其中属于已主动公开范围数3件,同意公开答复数15件,同意部分公开答复数2件,不同意公开答复数1件,"
         "不属于本行政机关公开数2件,申请信息不存在数1件,告知作出更改补充数1件,告知通过其他途径办理数0件。", R,
         {"requests.outcome.total": 25, "requests.outcome.granted": 15, "requests.outcome.partial": 2,
          "requests.outcome.denied.total": 1, "requests.outcome.unable.not_held": 1,
          "requests.outcome.unable.unclear": 1}),
    Case("全年答复申请12件,否决公开答复总数2件,“信息不存在”数1件,“申请内容不明确”数1件。", R,
         {"requests.outcome.total": 12, "requests.outcome.denied.total": 2, "requests.outcome.unable.not_held": 1,
          "requests.outcome.unable.unclear": 1}),
    Case("接到政府信息公开行政复议数26件,其中维持具体行政行为数14件,被依法纠错数1件,其他情形数11件。", V,
         {"reconsideration.total": 26, "reconsideration.upheld": 14, "reconsideration.corrected": 1,
          "reconsideration.other": 11}),
    Case("政府信息公开行政诉讼数量3件,其中维持具体行政行为或者驳回原告诉讼请求数2件,被依法纠错数0件,其他情形数1件。", V,
         {"litigation.total": 3, "litigation.upheld": 2, "litigation.corrected": 0, "litigation.other": 1}),
    Case("政府信息公开举报投诉数量2件。", V, {"complaints.total": 2}),
    Case("政府信息公开行政申诉数0件。", V, {"complaints.total": 0}),
    Case("依申请公开信息收取的费用0.02万元。", F, {"fees.collected": 200}, units={"fees.collected": "元"}),
    Case("政府信息公开专项经费5万元。", F, {"expenditure.total": 50000}),
    Case("召开政府信息公开工作会议或专题会议数3次,举办各类培训班数5次,接受培训人员数310人次。", X,
         {"training.meetings": 3, "training.sessions": 5, "training.participants": 310}),
    Case("政府信息公开网上咨询数120件,现场接待人数85人,网站专栏页面访问量12000次。", R, {}),
]  # fmt: skip

# Zero statements (docs/metrics.md#zero-statements) in their common shapes.
ZERO_CASES = [
    Case("本年度未收到政府信息公开申请。", R, {"requests.new": 0}),
    Case("本年度没有收到政府信息公开申请。", R, {"requests.new": 0}),
    Case("本年度无因政府信息公开引起的行政复议和行政诉讼。", V, {"reconsideration.total": 0, "litigation.total": 0}),
    Case("因政府信息公开引起的行政复议、行政诉讼案件均未发生。", V,
         {"reconsideration.total": 0, "litigation.total": 0}),
    Case("因政府信息公开被申请行政复议0件,提起行政诉讼0件。", V, {"reconsideration.total": 0, "litigation.total": 0}),
    Case("因政府信息公开引起的行政复议和行政诉讼案件均为零。", V, {"reconsideration.total": 0, "litigation.total": 0}),
    Case("本年度未发生依申请公开投诉并被纠正的案件情况。", R, {}),
]  # fmt: skip

# Number forms (docs/metrics.md#how-prose-becomes-a-fact): qualifiers, units, numerals, multipliers.
NUMBER_CASES = [
    Case("全年主动公开政府信息达1209条。", A, {"active.total": 1209}),
    Case("全年共主动公开政府信息1209项。", A, {"active.total": 1209}),
    Case("全年累计主动公开政府信息1209条。", A, {"active.total": 1209}),
    Case("全年主动公开政府信息3.5万余条。", A, {"active.total": 35000}, qualifiers={"active.total": "gt"}),
    Case("全年主动公开政府信息约1.2万条。", A, {"active.total": 12000}, qualifiers={"active.total": "approx"}),
    Case("全年受理政府信息公开申请逾200件。", R, {"requests.new": 200}, qualifiers={"requests.new": "gt"}),
    Case("全年受理政府信息公开申请近百件。", R, {"requests.new": 100}, qualifiers={"requests.new": "approx"}),
    Case("全年收到政府信息公开申请十二件,均已按时答复。", R, {"requests.new": 12}),
    Case("全年受理政府信息公开申请两件。", R, {"requests.new": 2}),
    Case("二〇三〇年全县主动公开政府信息1209条。", A, {"active.total": 1209}),
    Case("全年主动公开政府信息１２０９条。", A, {"active.total": 1209}),
    Case("全年共受理政府信息公开申请1,234件。", R, {"requests.new": 1234}),
    Case("同意公开38件,占84.4%,部分公开7件,占15.6%,均按时答复申请人。", R,
         {"requests.outcome.granted": 38, "requests.outcome.partial": 7}),
    Case("全年发布政策解读稿件120篇,召开新闻发布会12场,回应社会关切6个。", A,
         {"response.interpretations": 120, "response.press_conferences": 12, "response.hot_topics": 6}),
    Case("举办政务公开培训班3期,培训280人次。", X, {"training.sessions": 3, "training.participants": 280}),
]  # fmt: skip

# Traps that must state nothing (or only the running total).
TRAP_CASES = [
    Case("截至2030年底,全县已累计主动公开政府信息52000条。", A, {"active.cumulative_total": 52000}),
    Case("历年累计受理政府信息公开申请300件。", R, {}),
    Case("政府信息公开申请按时办结率100%,满意率达98.5%。", R, {}),
    Case("去年同期受理政府信息公开申请20件。", R, {}),
    Case("比上年多受理政府信息公开申请12件。", R, {}),
    Case("政府信息公开专栏页面访问量12万人次。", A, {}),
    Case("回复网民留言200条。", R, {}),
    Case("受理政府信息公开咨询150件。", R, {}),
    Case("接受政府信息公开咨询300人次,其中网上咨询200人次。", R, {}),
    Case("县直部门主动公开政府信息700条、各乡镇主动公开政府信息260条。", A, {}),
    Case("各乡镇共受理政府信息公开申请12件。", R, {}),
    Case("各镇(街道)共主动公开政府信息2300条,各苏木镇主动公开政府信息860条。", A, {}),
    Case("行政事业性收费本年收费金额12万元。", F, {}),
    Case("12345热线受理群众诉求3000件。", R, {}),
    Case("组织1至2次政务公开业务培训。", X, {}),
    Case("第三次召开政务公开工作会议。", X, {}),
    Case("因政府信息公开引起的行政复议案件纠错率均为0。", V, {}),
    Case("全县政府信息公开行政复议案件数量均未发生变化。", V, {}),
    Case("按照年度工作计划,全年主动公开政府信息1209条。", A, {"active.total": 1209}),
    Case("依法公开政府信息,全年已公开政府信息1200条,不予公开政府信息3条,申请公开政府信息5件。", A,
         {"active.total": 1200}),
]  # fmt: skip

# Variants of the same shapes as other provinces write them: other verbs, fillers, word orders and units.
VARIANT_CASES = [
    Case("全年通过各类渠道公开政府信息3560条。", A, {"active.total": 3560}),
    Case("全年主动公开政府信息共计2356条,其中通过政府网站公开1980条,政务微博公开200条,政务微信公开176条。", A,
         {"active.total": 2356, "active.channel.website": 1980, "active.channel.weibo": 200,
          "active.channel.wechat": 176}),
    Case("在县政府门户网站发布信息2300余条,微信公众号推送信息1200条。", A,
         {"active.channel.website": 2300, "active.channel.wechat": 1200}),
    Case("本年制发规范性文件3件,废止1件,现行有效25件。", A,
         {"active.normative_docs.issued": 3, "active.normative_docs.repealed": 1,
          "active.normative_docs.in_force": 25}),
    Case("本年制发规章1件、规范性文件3件,废止2件。", A, {}),
    Case("本年度新制发规范性文件5件,废止规范性文件2件,现行有效规范性文件45件。", A,
         {"active.normative_docs.issued": 5, "active.normative_docs.repealed": 2,
          "active.normative_docs.in_force": 45}),
    Case("发布政策解读信息120条,解读政策文件15件。", A, {"response.interpretations": 120}),
    Case("回应公众关切120余次,召开新闻发布会8次。", A,
         {"response.hot_topics": 120, "response.press_conferences": 8}),
    Case("全年共受理政府信息公开申请件数45件。", R, {"requests.new": 45}),
    Case("本年度共收到政府信息公开申请45件,其中自然人申请40件,法人或其他组织申请5件。", R, {"requests.new": 45}),
    Case("全年受理依申请公开政府信息申请45件。", R, {"requests.new": 45}),
    Case("受理政府信息公开申请共计45件,同比减少5件。", R, {"requests.new": 45}),
    Case("本年度新收政府信息公开申请45件,上年结转政府信息公开申请3件,结转下年度继续办理4件。", R,
         {"requests.new": 45, "requests.carried_over": 3, "requests.carried_forward": 4}),
    Case("全年受理政府信息公开申请30件,顺延至下年度办理2件。", R,
         {"requests.new": 30, "requests.carried_forward": 2}),
    Case("全年受理政府信息公开申请30件,其中现场申请10件,通过信函方式申请3件,网上申请17件。", R,
         {"requests.new": 30, "requests.channel.in_person": 10, "requests.channel.mail": 3,
          "requests.channel.online": 17}),
    Case("全年受理政府信息公开申请8件,其中当面提交申请5件,通过电子邮件提交3件。", R,
         {"requests.new": 8, "requests.channel.in_person": 5, "requests.channel.email": 3}),
    Case("对申请人作出答复45件,其中予以公开的23件,部分公开5件,无法提供12件,不予处理3件,其他处理2件。", R,
         {"requests.outcome.total": 45, "requests.outcome.granted": 23, "requests.outcome.partial": 5,
          "requests.outcome.unable.total": 12, "requests.outcome.not_processed.total": 3,
          "requests.outcome.other.total": 2}),
    Case("全年未发生政府信息公开行政复议、行政诉讼情况。", V, {"reconsideration.total": 0, "litigation.total": 0}),
    Case("本机关未被申请政府信息公开行政复议,也未被提起行政诉讼。", V,
         {"reconsideration.total": 0, "litigation.total": 0}),
    Case("因政府信息公开被申请行政复议2件,被提起行政诉讼1件。", V, {"reconsideration.total": 2, "litigation.total": 1}),
    Case("政府信息公开行政复议和行政诉讼案件数均为0。", V, {"reconsideration.total": 0, "litigation.total": 0}),
    Case("本年度未产生信息处理费。", X, {"fees.collected": 0}),
    Case("本机关未发生收取信息处理费的情况。", X, {"fees.collected": 0}),
    Case("本年度依申请公开政府信息未收取任何形式的费用。", F, {"fees.collected": 0}),
    Case("投入政务公开工作经费8万元。", F, {"expenditure.total": 80000}),
    Case("召开政务公开工作领导小组会议2次,开展政务公开业务培训5场,培训工作人员200余人次。", X,
         {"training.meetings": 2, "training.sessions": 5, "training.participants": 200}),
    Case("办理人大代表建议58件、政协提案73件,办理结果均已公开。", X,
         {"proposals.npc_suggestions": 58, "proposals.cppcc_proposals": 73}),
    Case("全年受理政府信息公开申请12件,均在法定期限内答复,答复率100%。", R, {"requests.new": 12}),
    Case("今年以来,全县主动公开政府信息1209条。", A, {"active.total": 1209}),
    Case("全年主动公开的政府信息总量为1209条。", A, {"active.total": 1209}),
    Case("主动向社会公开政府信息1209条。", A, {"active.total": 1209}),
    Case("全年共受理公民、法人和其他组织政府信息公开申请45件。", R, {"requests.new": 45}),
    Case("全年接受政府信息公开申请45件。", R, {"requests.new": 45}),
    Case("全年受理政府信息公开申请45宗,涉及政府信息公开的行政复议案件3宗。", R,
         {"requests.new": 45, "reconsideration.total": 3}),
    Case("全年政府信息公开申请受理量45件,均已办结。", R, {"requests.new": 45}),
    Case("全年受理政府信息公开申请 12 条,答复 12 条。", R, {"requests.new": 12, "requests.outcome.total": 12}),
    Case("全年受理群众咨询及政府信息公开申请500件。", R, {}),
    Case("2008年以来,全县主动公开政府信息52000条。", A, {"active.cumulative_total": 52000}),
    Case("本镇全年共公开各类信息286条。", A, {"active.total": 286}),
    Case("通过政府公报公开规范性文件42件,通过政务微博、微信公开信息8,900余条。", A,
         {"active.normative_docs.published": 42}),
    Case("我区各级行政机关共受理政府信息公开申请302件(其中当面申请112件,网络申请158件,信函申请32件),已全部办结。", R,
         {"requests.new": 302, "requests.channel.in_person": 112, "requests.channel.online": 158,
          "requests.channel.mail": 32}),
    Case("全年未收取政府信息公开相关费用。", F, {"fees.collected": 0}),
    Case("依申请公开共收取检索复制费80元,减免费用20元。", F, {"fees.collected": 80}),
    Case("2030年度,我县政府信息公开工作的专项经费为20万元。", F, {"expenditure.total": 200000}),
    Case("举办全县政府信息公开工作培训班2期,培训各级政府信息公开工作人员300余人。", X,
         {"training.sessions": 2, "training.participants": 300}),
    Case("全年受理政府信息公开申请45件次。", R, {"requests.new": 45}),
    Case("全年受理政府信息公开申请百余件。", R, {"requests.new": 100}, qualifiers={"requests.new": "gt"}),
    Case("全年受理政府信息公开申请数十件,主动公开政府信息上百条。", R, {}),
    Case("全年受理政府信息公开申请几十件。", R, {}),
    Case("全县未发生因政府信息公开申请行政复议或提起行政诉讼的情况。", V,
         {"reconsideration.total": 0, "litigation.total": 0}),
    Case("收到有关政府信息公开的举报投诉3件。", V, {"complaints.total": 3}),
    Case("本年度共收到政府信息公开申请15件,其中自然人申请13件,法人或其他组织申请2件;上年结转0件。"
         "办理结果:予以公开8件,部分公开2件,不予公开1件,无法提供3件,不予处理1件。结转下年度继续办理0件。", R,
         {"requests.new": 15, "requests.carried_over": 0, "requests.outcome.granted": 8,
          "requests.outcome.partial": 2, "requests.outcome.denied.total": 1, "requests.outcome.unable.total": 3,
          "requests.outcome.not_processed.total": 1, "requests.carried_forward": 0}, layouts=("home", "one_line")),
    Case("主动公开政府信息数:1209条;收到政府信息公开申请数:25件;政府信息公开行政复议数量:0件。", A,
         {"active.total": 1209, "requests.new": 25, "reconsideration.total": 0}),
    Case("全年主动公开政府信息,按类别分:机构职能647条,政策法规1117条。", A, {}),
    Case("全年答复申请20件,不予公开3件,其中属于国家秘密1件,属于三类内部事务信息2件;无法提供5件,其中本机关不掌握相关政府信息4件,"
         "没有现成信息需要另行制作1件;不予处理2件,其中重复申请1件,信访举报投诉类申请1件。", R,
         {"requests.outcome.total": 20, "requests.outcome.denied.total": 3, "requests.outcome.denied.state_secret": 1,
          "requests.outcome.denied.internal_affairs": 2, "requests.outcome.unable.total": 5,
          "requests.outcome.unable.not_held": 4, "requests.outcome.unable.needs_creation": 1,
          "requests.outcome.not_processed.total": 2, "requests.outcome.not_processed.duplicate": 1,
          "requests.outcome.not_processed.petition_complaint": 1}),
    Case("严格保守国家秘密,全年开展保密审查3次。", A, {}),
    Case("全年共收到政府信息公开申请书12份。", R, {"requests.new": 12}),
    Case("2030年,全县共发布政府信息1209条,发布政务信息3000条。", A, {"active.total": 1209}),
    Case("召开全县政务公开工作推进会1次,举办政务公开业务培训班3期,培训各乡镇、县直各部门政务公开工作人员260余人次。", X,
         {"training.meetings": 1, "training.sessions": 3, "training.participants": 260}),
    Case("2031年,我县将力争全年主动公开政府信息350条以上,计划举办培训班4期。", X, {}),
    Case("全年受理政府信息公开申请236件,当面申请、网上申请、信函申请分别为85件、120件、31件。", R,
         {"requests.new": 236, "requests.channel.in_person": 85, "requests.channel.online": 120,
          "requests.channel.mail": 31}),
    Case("因政府信息公开引起的行政复议、行政诉讼分别为2件、1件。", V,
         {"reconsideration.total": 2, "litigation.total": 1}),
    Case("答复申请16件,同意公开、部分公开和不予公开的分别有12件、3件、1件。", R,
         {"requests.outcome.total": 16, "requests.outcome.granted": 12, "requests.outcome.partial": 3,
          "requests.outcome.denied.total": 1}),
    Case("全县主动公开政府信息、政策解读分别为1200条、35篇、18次。", A, {}),
    Case("截至2030年12月31日,本年度已受理政府信息公开申请45件,已全部办结。", R, {"requests.new": 45}),
    Case("截至2030年,全县已累计主动公开政府信息52000条。", A, {"active.cumulative_total": 52000}),
    Case("本年度政府信息公开申请数量为36件,较上年减少4件。", R, {"requests.new": 36}),
    Case("本机关依申请公开数量为0。", R, {"requests.new": 0}),
    Case("全年答复申请10件,其中6件予以公开,2件无法提供,2件不予处理。", R,
         {"requests.outcome.total": 10, "requests.outcome.granted": 6, "requests.outcome.unable.total": 2,
          "requests.outcome.not_processed.total": 2}),
    Case("上年结转政府信息公开申请数量2件,本年新收政府信息公开申请数量12件。", R,
         {"requests.carried_over": 2, "requests.new": 12}),
]  # fmt: skip

ALL_CASES = {
    "active": ACTIVE_CASES,
    "requests": REQUEST_CASES,
    "review": REVIEW_CASES,
    "money": MONEY_CASES,
    "capacity": CAPACITY_CASES,
    "confuser": CONFUSER_CASES,
    "table_label": TABLE_LABEL_CASES,
    "zero": ZERO_CASES,
    "number": NUMBER_CASES,
    "trap": TRAP_CASES,
    "variant": VARIANT_CASES,
}  # fmt: skip


def _params() -> list[object]:
    return [
        pytest.param(case, layout, id=f"{group}{i}-{layout}")
        for group, cases in ALL_CASES.items()
        for i, case in enumerate(cases)
        for layout in case.layouts
    ]


@pytest.mark.parametrize(("case", "layout"), _params())
def test_domain_phrasing(case: Case, layout: str) -> None:
    found = extract(case.sentence, case.kind, layout)
    assert {k: f.value for k, f in found.items() if f.period == "annual" or k.endswith("cumulative_total")} == (
        case.expected
    )
    for key, unit in (case.units or {}).items():
        assert found[key].unit == unit
    for key, qualifier in (case.qualifiers or {}).items():
        assert found[key].qualifier == qualifier
    for fact in found.values():
        assert case.sentence.find(fact.evidence) >= 0 or fact.evidence in report(case.sentence, case.kind, layout)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_township_names_itself_and_its_cadres(layout: str) -> None:
    """In a 街道's own report, 街道 is the body; 各街道 are still several other bodies."""
    sentence = "通过“临湖街道”微信公众号发布各类信息420余条,组织街道干部参加政务公开培训3次。"
    own = extract(sentence, "active_disclosure", layout, issuer="临湖街道办事处")
    assert {k: f.value for k, f in own.items()} == {"active.channel.wechat": 420, "training.sessions": 3}
    several = extract("各街道主动公开政府信息260条。", "active_disclosure", layout, issuer="临湖街道办事处")
    assert several == {}


def test_pdf_hard_wraps_inside_labels_and_before_units() -> None:
    """PDF text breaks lines at a fixed width; the facts read across the break and quote it."""
    text = (
        "一、总体情况\n"
        "(一)主动公开情况。2030年,全县通过各类渠道共主动公开政府\n"
        "信息1209条,召开政务公开工作推进会 3\n"
        "次。全年共受理政府信息公开申请\n"
        "45 件,均已按时答复。\n"
        "二、主动公开政府信息情况\n"
    )
    found = extract_metrics(document(text, [("一、", 1, "overview"), ("二、", 1, "active_disclosure")])).metrics
    assert {f.key: f.value for f in found} == {"active.total": 1209, "training.meetings": 3, "requests.new": 45}
    assert all(text[f.start : f.end] == f.evidence for f in found)
    assert next(f for f in found if f.key == "requests.new").evidence == "受理政府信息公开申请\n45 件"


def test_short_lines_and_list_items_are_not_joined() -> None:
    text = "(一)主动公开\n1209条信息已归档。\n全县主动公开政府信息数量如下\n1.政务微博公开信息870条。"
    found = {f.key: f.value for f in extract_metrics(document(text)).metrics}
    assert found == {"active.channel.weibo": 870}
