"""The prose phrase rules, as data: which label governs the quantity that follows it.

Aliases come from the catalog's Chinese column, the 2014–2018 statistics-table labels (often narrated
verbatim: 收到依申请公开数, 维持具体行政行为数) and the phrasings of real reports of many provinces
(docs/metrics.md, phrasings per key).
A label governs the first quantity after it within the same clause (see prose.py). When two labels end
at the same place the longer one wins, so 政府门户网站主动公开各类政府信息 is a channel, not the total.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ITEMS = frozenset({"条", "件", "篇", "项"})
WRITINGS = ITEMS | {"份"}  # interpretations and documents also come in 份 (政策解读共4份)
# Requests and cases: 件 in the 2019+ templates, 条 in the 2008-era table, 份/起 in prose (docs/metrics.md).
CASES = frozenset({"件", "条", "份", "起", "宗"})  # 宗 in Guangdong prose: 行政复议案件3宗
DOCUMENTS = frozenset({"件", "份"})
PROPOSALS = frozenset({"件"})  # 提案办理情况9条 counts disclosed items about proposals, not proposals
TIMES = frozenset({"次", "期", "场"})
PEOPLE = frozenset({"人次", "人"})
MONEY = frozenset({"元", "万元", "亿元"})

# A sentence that names disclosure work; generic labels (投诉, 培训) need it to count.
DISCLOSURE = r"信息公开|政务公开|依申请|公开申请"
FAMILY_PLACEHOLDER = "{family}"


@dataclass(frozen=True)
class Phrase:
    """One alias of a catalog key.

    `context` must occur in the sentence, unless the label sits in one of `kinds` (a rule with kinds
    and no context is valid only there). `{family}` in the key is filled from the nearest
    行政复议/行政诉讼/投诉 marker before the label (the old table repeats 维持…数 per block).
    An `after` label follows its number (2件不予公开); its `lead`, when given, is the verb that must
    end right before the number (发布56条信息: without the verb, 56条信息 is any mention).
    `veto` in the sentence disables the rule (a fee sentence about 行政事业性收费 is not about requests).
    """

    key: str
    alias: str
    units: frozenset[str]
    context: str | None = None
    kinds: frozenset[str] = frozenset()
    after: bool = False
    lead: str | None = None
    veto: str | None = None
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)
    lead_pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pattern", re.compile(self.alias))
        lead = None if self.lead is None else re.compile(rf"(?:{self.lead})(?:了|共|共计|合计|达)?$")
        object.__setattr__(self, "lead_pattern", lead)


def _p(
    key: str,
    alias: str,
    units: frozenset[str],
    context: str | None = None,
    kinds: tuple[str, ...] = (),
    after: bool = False,
    lead: str | None = None,
    veto: str | None = None,
) -> Phrase:
    return Phrase(key, alias, units, context, frozenset(kinds), after or lead is not None, lead, veto)


_INFO = r"(?:的)?(?:各类|各项)?(?:政府)?信息(?:数|条数|数量|总量)?"
_VIA = r"(?:通过)?"
# Words between a channel and its verb (全年, 各类, the body's own name); a list joiner (和、及) or a
# clause mark would make it several channels together, i.e. the total (docs/metrics.md, channels).
_FILLER = r"[^\d,，。;；、:：和及与等()（）]{0,6}?"
_PUBLISH = r"(?:主动)?(?:公开|发布|推送|编发|推出|公布)(?:了)?"
_OBJECT = r"(?:各类|各项)?(?:政府|政务)?(?:信息|文章|微博)(?:数|条数|数量)?"
# The verb, its object, or both: 网站信息129条, 政务微博发布1200条, 公众号推出原创文章420篇.
_PUBLISHED = rf"(?:{_PUBLISH}(?:[^\d,，。;；、:：和及与]{{0,3}}?{_OBJECT})?|{_OBJECT})"
_REQ = ("requests",)
_RECEIVE = r"(?:收到|受理|接到|接收|接受)"
_REQUEST = r"(?:依申请公开(?:政府信息)?|政府信息公开|信息公开)"
_COUNT = r"(?:数量|件数|总数|数)?"
# Who may apply (条例: 公民、法人或者其他组织), named right after the verb.
_APPLICANTS = r"(?:公民|法人|其他组织|个人|企业|社会公众)"
# A character of the words between them that is not another kind of request (咨询及政府信息公开申请).
_NOT_ASKED = r"(?:(?!咨询|投诉|建议|信访|留言)[^\d,，。;；])"
# Fees in a sentence about table 二's administrative fees are not fees charged for requests (docs/metrics.md).
_OTHER_FEES = "行政事业性"
# Training counts about disclosure work; the 2014 statistics table's own labels (举办各类培训班数,
# 接受培训人员数) are narrated without naming it (docs/metrics.md, phrasings).
_TRAINING_CONTEXT = "公开|政府信息|培训班数|培训人员数"
# An outcome label counts in a sentence about requests or their answers (已全部办结,其中同意公开38件).
_ANSWERED = "申请|答复|办结"
_ACTIVE = ("active_disclosure",)
# The reasons of table 三 (rows of 不予公开, 无法提供, 不予处理), as prose also names them: 其中属于国家秘密1件.
_OUTCOME_ROWS: tuple[tuple[str, str], ...] = (
    ("denied.state_secret", "国家秘密"),
    ("denied.law_prohibited", "其他法律行政法规禁止公开|法律法规禁止公开"),
    ("denied.security_stability", "危及“三安全一稳定”|危及国家安全、公共安全、经济安全和社会稳定"),
    ("denied.third_party", "保护第三方合法权益"),
    ("denied.internal_affairs", "三类内部事务信息|内部事务信息"),
    ("denied.process_info", "四类过程性信息|过程性信息"),
    ("denied.enforcement_file", "行政执法案卷"),
    ("denied.admin_query", "行政查询事项"),
    ("unable.needs_creation", "没有现成信息需要另行制作|需要另行制作"),
    ("not_processed.petition_complaint", "信访举报投诉类申请|信访举报投诉类"),
    ("not_processed.duplicate", "重复申请"),
    ("not_processed.publication", "要求提供公开出版物"),
    ("not_processed.excessive", "无正当理由大量反复申请"),
    ("not_processed.confirm_reissue", "要求行政机关确认或重新出具已获取信息"),
)
_REVIEW = ("review_litigation", "requests")
# A request channel, optionally phrased as a form: 以网上提交表单形式申请, 以电子邮件方式提交.
_FORM = r"[^\d,，。;；、]{0,4}?(?:形式|方式)?"
_APPLY = r"(?:申请|提交|提出申请)(?:数)?"

PHRASES: tuple[Phrase, ...] = (
    # active disclosure; 其他应主动公开… is a category item, never the total
    _p("active.total", rf"(?<!应)(?:新增|本年度新增)?主动公开(?:了)?{_INFO}(?:总数|总量)?", ITEMS),
    _p("active.total", r"(?:共|对外)?(?:公布|发布)(?:了)?(?:各类|各项)?(?:公开)?(?:政府)?信息", ITEMS, kinds=_ACTIVE),
    _p("active.total", r"(?:政府)?信息", ITEMS, kinds=_ACTIVE, lead=r"(?:公开|发布|公布)"),
    # 通过各类渠道公开政府信息3560条, 全年共发布政府信息1209条 in any section; not 依申请/不予/同意/部分/应
    # 公开, which are requests or categories
    _p(
        "active.total",
        r"(?<![予请意应未])(?<!部分)(?:公开|公布|发布)(?:了)?(?:(?:各类|各项)(?:政府)?信息|政府信息)(?:数)?",
        ITEMS,
    ),
    _p("active.channel.website", rf"{_VIA}(?:政府)?(?:门户)?网站(?:上)?{_FILLER}{_PUBLISHED}", ITEMS),
    _p("active.channel.gazette", rf"{_VIA}(?:政府)?公报(?:上)?{_FILLER}{_PUBLISHED}", ITEMS),
    _p("active.channel.gazette", r"(?:政府)?公报[,，]?(?:共)?(?:发布|刊登|刊发)(?:了)?(?:各类)?(?:政府)?信息", ITEMS),
    _p("active.channel.weibo", rf"{_VIA}(?:政务)?微博{_FILLER}{_PUBLISHED}", ITEMS),
    _p("active.channel.wechat", rf"{_VIA}(?:政务)?微信(?:公众号)?(?:及客户端)?(?:主动)?公开(?:{_INFO})?", ITEMS),
    _p("active.channel.wechat", rf"(?:(?:政务)?微信(?:公众号)?|公众号){_FILLER}{_PUBLISHED}", ITEMS),
    _p("active.channel.app", rf"{_VIA}(?:移动)?客户端(?:主动)?公开(?:{_INFO})?", ITEMS),
    _p("active.channel.other", rf"其他(?:方式|渠道)(?:主动)?公开{_INFO}", ITEMS),
    _p("active.normative_docs.published", r"(?:主动)?公开(?:了)?(?:行政)?规范性文件(?:数)?", ITEMS),
    # 公开…会议25次,规范性文件101件; after 其中 the same words are one category of a total (docs/metrics.md)
    # in 条 the same words are a category of information items (其中…规范性文件4条), not documents
    _p("active.normative_docs.published", r"(?<!其中)(?<!其中[:：,，])(?:行政)?规范性文件", DOCUMENTS, context="公开"),
    _p(
        "active.normative_docs.issued",
        r"(?:制发|制定|印发|出台)(?:了)?(?:的)?(?:行政)?规范性文件(?:总数|数)?",
        ITEMS,
    ),
    _p("active.normative_docs.repealed", r"废止(?:了)?(?:的)?(?:行政)?规范性文件(?:数)?", ITEMS),
    _p("active.normative_docs.in_force", r"现行有效(?:的)?(?:行政)?规范性文件(?:数|件数)?", ITEMS),
    # 制发规范性文件3件,废止1件,现行有效25件: a bare verb clause continues the sentence's documents, unless
    # the sentence also counts 规章 and the verb could be about either
    *(
        _p(f"active.normative_docs.{key}", rf"(?<=[,，;；、])(?:{verb})", DOCUMENTS, context="规范性文件", veto="规章")
        for key, verb in (("repealed", "废止|本年废止"), ("in_force", "现行有效|目前现行有效"))
    ),
    # interpretation and response
    _p("response.interpretations", r"解读(?:材料|稿件|文章|信息)?(?:发布数)?", WRITINGS),
    _p("response.interpretations", r"(?:政策)?解读(?:材料|稿件|稿|文章)", WRITINGS, lead=r"(?:发布|推出|编发|制作)"),
    _p(
        "response.hot_topics",
        r"回应(?:了)?(?:公众|社会)?(?:关注)?(?:热点|政务舆情|舆情|关切)(?:或重大舆情)?(?:问题)?(?:数)?",
        ITEMS | TIMES | {"个"},
    ),
    _p("response.press_conferences", r"新闻发布会(?:总次数)?", TIMES),
    _p("response.press_conferences", r"(?:政府|政务)?新闻发布会", TIMES, lead=r"(?:召开|举办|举行)"),
    # requests received, by channel, carried over/forward
    _p(
        "requests.new",
        rf"{_RECEIVE}(?:了)?(?:各类)?(?:有效)?(?:有关)?(?:的)?{_REQUEST}(?:的)?(?:申请(?:书|表)?)?{_COUNT}",
        CASES,
    ),
    # 政府信息公开申请受理量45件: the noun before the verb; 依申请公开数量为0: the noun and its count
    _p("requests.new", rf"{_REQUEST}(?:的)?(?:申请)?(?:受理|收到)(?:量|{_COUNT})", CASES),
    _p("requests.new", r"(?:依申请公开(?:申请)?|(?:政府信息公开|信息公开)申请)(?:数量|件数|总量|总数|量)", CASES),
    _p("requests.new", r"(?:本年(?:度)?)?新收(?:到)?(?:的)?(?:政府信息公开|依申请公开)?申请(?:数量|件数|数)?", CASES),
    _p("requests.new", r"(?:本年(?:度)?)?新收(?:到)?", CASES, context="申请"),
    _p("requests.new", r"(?:收到|受理|接到)(?:各类)?申请(?:数量|数)?", CASES, kinds=_REQ),
    # 收到公民、法人或其他组织(提出的)政府信息公开申请12件: the applicants named between verb and noun
    _p(
        "requests.new",
        rf"{_RECEIVE}(?:[^\d,，。;；]{{1,16}}?(?:提出|提交)的{_REQUEST}?|{_APPLICANTS}{_NOT_ASKED}{{0,12}}?{_REQUEST}(?:的)?)申请",
        CASES,
    ),
    _p("requests.new", rf"{_REQUEST}(?:的)?(?:申请)?", CASES, lead=_RECEIVE),
    _p("requests.carried_over", r"上年(?:度)?结转(?:的)?(?:政府信息公开)?(?:申请)?(?:数量|数)?", CASES),
    _p("requests.carried_forward", r"(?:结转|顺延|转入)(?:至|到)?下(?:一)?年度?(?:继续办理)?(?:的)?(?:申请)?", CASES),
    _p("requests.carried_forward", r"尚未办结(?:的)?(?:申请)?", CASES, kinds=_REQ),
    _p("requests.channel.online", rf"(?:网络|网上|在线|互联网){_FORM}{_APPLY}", CASES),
    _p("requests.channel.mail", rf"信函{_FORM}(?:{_APPLY})?", CASES, context="申请"),
    _p("requests.channel.in_person", rf"(?:当面|现场){_FORM}{_APPLY}", CASES),
    _p("requests.channel.fax", rf"传真{_FORM}(?:{_APPLY})?", CASES, context="申请"),
    _p("requests.channel.email", rf"(?:电子邮件|电子邮箱|邮件){_FORM}{_APPLY}", CASES),
    _p("requests.channel.other", rf"其他(?:方式|形式|途径){_APPLY}", CASES),
    # outcomes (the old table: 申请答复数, 同意公开答复数, 不同意公开答复数 …)
    _p(
        "requests.outcome.total",
        r"(?:答复|回复)(?:了)?(?:政府信息公开|依申请公开)?(?:申请)?(?:数|总数)?",
        CASES,
        context="申请",
        kinds=_REQ,
    ),
    _p("requests.outcome.total", r"申请答复数", CASES),
    _p("requests.outcome.granted", r"(?:同意|予以)公开(?:答复)?(?:数)?", CASES, context=_ANSWERED, kinds=_REQ),
    _p("requests.outcome.partial", r"(?:同意)?部分公开(?:答复)?(?:数)?", CASES, context=_ANSWERED, kinds=_REQ),
    _p(
        "requests.outcome.denied.total",
        r"(?:不(?:同意|予)公开|否决公开)(?:答复)?(?:总数|数)?",
        CASES,
        context=_ANSWERED,
        kinds=_REQ,
    ),
    _p(
        "requests.outcome.already_public",
        r"(?:属于)?已(?:经)?主动公开(?:范围)?(?:数)?",
        CASES,
        context=_ANSWERED,
        kinds=_REQ,
    ),
    _p("requests.outcome.unable.total", r"无法提供", CASES, context=_ANSWERED, kinds=_REQ),
    _p(
        "requests.outcome.unable.not_held",
        r"(?:本机关)?不掌握(?:相关)?(?:政府)?信息|(?:申请)?信息不存在(?:数)?",
        CASES,
        context=_ANSWERED,
        kinds=_REQ,
    ),
    *(
        _p(
            f"requests.outcome.{row}",
            rf"(?:属于|涉及)?(?:{alias})(?:的)?(?:申请)?(?:数)?",
            CASES,
            context=_ANSWERED,
            kinds=_REQ,
        )
        for row, alias in _OUTCOME_ROWS
    ),
    _p("requests.outcome.unable.unclear", r"申请内容不明确(?:数)?|告知作出更改补充(?:数)?", CASES),
    _p("requests.outcome.not_processed.total", r"不予处理", CASES, context=_ANSWERED, kinds=_REQ),
    _p("requests.outcome.other.total", r"其他处理", CASES, context=_ANSWERED, kinds=_REQ),
    _p("requests.outcome.granted", r"(?:同意|予以)公开", CASES, context=_ANSWERED, kinds=_REQ, after=True),
    _p("requests.outcome.partial", r"部分公开", CASES, context=_ANSWERED, kinds=_REQ, after=True),
    _p("requests.outcome.denied.total", r"不予公开|不同意公开", CASES, context=_ANSWERED, kinds=_REQ, after=True),
    _p("requests.outcome.unable.total", r"无法提供", CASES, context=_ANSWERED, kinds=_REQ, after=True),
    _p("requests.outcome.not_processed.total", r"不予处理", CASES, context=_ANSWERED, kinds=_REQ, after=True),
    # reconsideration, litigation, complaints
    _p(
        "reconsideration.total", r"行政复议(?:案件|案|申请)?(?:数量|总数|数)?", CASES, context=DISCLOSURE, kinds=_REVIEW
    ),
    _p(
        "litigation.total",
        r"(?:行政诉讼(?:案件|案)?(?:数量|总数|数)?|提起(?:行政)?诉讼)",
        CASES,
        context=DISCLOSURE,
        kinds=_REVIEW,
    ),
    # 2份涉及政府信息公开的行政复议申请, 3起因信息公开引起的行政诉讼: the count before its noun
    _p(
        "reconsideration.total",
        r"[^\d,，。;；、]{0,14}?行政复议(?:案件|案|申请)?(?![^,，。;；]{0,3}(?:决定|机关))",
        CASES,
        context=DISCLOSURE,
        kinds=_REVIEW,
        after=True,
    ),
    _p(
        "litigation.total",
        r"[^\d,，。;；、]{0,14}?行政诉讼(?:案件|案)?",
        CASES,
        context=DISCLOSURE,
        kinds=_REVIEW,
        after=True,
    ),
    # 行政复议7件,诉讼9件: a bare 诉讼 right after a reconsideration count is the litigation count
    _p("litigation.total", r"(?<=[,、;和及])诉讼(?:案件|案)?", CASES, context="行政复议"),
    _p(
        "complaints.total",
        r"(?:举报|投诉|申诉)(?:案件|案)?(?:数量|数)?",
        CASES,
        context=DISCLOSURE,
        kinds=("review_litigation",),
    ),
    _p("litigation.upheld", r"维持具体行政行为或者驳回原告诉讼请求(?:数)?", CASES),
    _p("{family}.upheld", r"(?:结果)?维持(?:原)?(?:具体行政行为|决定)?(?:数)?", CASES),
    _p("{family}.corrected", r"(?:结果)?纠正(?:数)?|(?:被)?(?:依法)?纠错(?:数)?|被纠正(?:数)?", CASES),
    _p("{family}.other", r"其他(?:情形|结果)(?:数)?", CASES),
    _p("{family}.pending", r"尚未审结(?:数)?|(?:正在|尚在)审理(?:中)?", CASES),
    # fees and spending
    _p(
        "fees.collected",
        r"(?:收取|收)(?:了)?(?:政府信息公开|信息公开)?(?:信息处理费|检索费|复制费|邮寄费|处理费|费用)(?:共计|合计|共)?",
        MONEY,
        context=DISCLOSURE + "|申请人",
        kinds=("fees_costs",),
        veto=_OTHER_FEES,
    ),
    _p("fees.collected", r"信息处理费(?:共计|合计|共)?", MONEY, veto=_OTHER_FEES),
    # 收取检索、复制、邮寄等费用0元, 收取检索复制费80元: the charged services between the verb and 费(用)
    _p(
        "fees.collected",
        r"收取[^\d,，。;；]{1,12}?等?费(?:用)?",
        MONEY,
        context=DISCLOSURE + "|申请",
        kinds=("fees_costs",),
        veto=_OTHER_FEES,
    ),
    _p(
        "fees.collected",
        r"(?<!性)收费(?:金额|总额)?(?:共计|合计|共|为)?",
        MONEY,
        context="申请",
        kinds=("fees_costs",),
        veto=_OTHER_FEES,
    ),
    _p("fees.collected", r"依申请公开(?:政府)?信息收取(?:的)?费用", MONEY, veto=_OTHER_FEES),
    _p(
        "expenditure.total",
        r"(?<!收取)(?<!收)(?:政府信息公开|政务公开|信息公开)(?:工作|事务)?(?:的)?(?:专项|实际|总)?(?:经费|支出|费用)(?:总额)?"
        r"(?:为|共计|合计)?",
        MONEY,
    ),
    _p(
        "expenditure.total", r"(?:实际支出|专项经费)(?:为|共计|合计)?", MONEY, context=DISCLOSURE, kinds=("fees_costs",)
    ),
    # organisation
    _p("training.sessions", r"培训(?:班|会|活动|课)?(?:数)?", TIMES, context=_TRAINING_CONTEXT),
    _p(
        "training.participants",
        r"培训[^\d,，。;；]{1,20}?(?:人员|干部)"  # 培训各乡镇、县直各部门政务公开工作人员260余人次
        r"|(?:(?:接受|参加)?培训(?:班)?(?:的)?(?:人员|干部|人数|总人数)?|参训(?:人员|干部|人数)?)(?:数)?",
        PEOPLE,
        context=_TRAINING_CONTEXT,
    ),
    _p(
        "training.meetings",
        r"召开(?:了)?(?:全[省市县区州旗盟镇乡])?(?:政府信息公开|政务公开|信息公开)?(?:工作)?(?:领导小组)?(?:会议|专题会议|推进会|工作会|联席会议)"
        r"(?:和专题会议|或专题会议)?(?:数)?",
        TIMES,
    ),
    # 建议提案105件 counts both kinds together: neither key
    _p("proposals.npc_suggestions", r"人大(?:代表)?建议", PROPOSALS),
    _p("proposals.cppcc_proposals", r"(?:政协(?:委员)?)?(?<!建议)提案", PROPOSALS),
)

# Markers that say which block an outcome label (维持/纠错/其他情形) belongs to.
FAMILY_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("reconsideration", re.compile(r"复议")),
    ("litigation", re.compile(r"诉讼|起诉")),
    ("complaints", re.compile(r"举报|投诉|申诉")),
)


@dataclass(frozen=True)
class ZeroNoun:
    """What a negative statement (未发生…行政复议案) says is zero."""

    key: str
    noun: str


# Negations that state a zero count; the clause after them lists the nouns.
ZERO_TRIGGER = re.compile(r"(?<!尚)(?:未|没有)(?:被|收到|发生|接到|出现|受理|产生|有)|没有|无(?!法|论|需|须|效|正当)")
# The same, after the nouns it applies to: 行政复议、行政诉讼案件均未发生.
ZERO_AFTER = re.compile(r"(?:均|都|皆)(?:未|没有)(?:发生|收到|出现|产生|受理)(?:过)?(?=[,，。;；]|$)")
ZERO_NOUNS: tuple[ZeroNoun, ...] = (
    ZeroNoun("reconsideration.total", r"行政复议(?:案件|案|申请)?"),
    ZeroNoun("litigation.total", r"行政诉讼(?:案件|案)?"),
    ZeroNoun("complaints.total", r"(?:有关)?(?:申诉|举报|投诉)(?:案件|案)?"),
    ZeroNoun("requests.new", r"(?:依申请公开|政府信息公开|信息公开)(?:的)?(?:申请|事项)|依申请公开"),
)
# A noun counts only when the clause ends or the list continues after it: 投诉并被纠正的案件 is partial.
ZERO_NOUN_END = r"(?=(?:的)?(?:情况|事项|事件|申请|案件)?(?:[,，。;；、)）]|和|及|与|或|等|$))"
ZERO_FORBID = re.compile(r"费用|支出|经费|收费")
# A zero fee for requests (docs/metrics.md, fees): not charged, no processing fee, no charge happened.
_FEE = r"(?:政府信息公开|信息公开|依申请公开)?(?:信息)?(?:处理费|费用)"
FEE_ZERO = re.compile(
    rf"未(?:向申请人)?(?:收取|产生|发生)[^,，。;；]{{0,12}}?(?:{_FEE}|收费)(?:情况|事项)?|(?:均|都)?未(?:进行)?收费|(?:暂|一律|均)不(?:收费|收取(?:任何)?费用)"
    rf"|没有[^,，。;；]{{0,20}}?(?:收费|{_FEE})|不收取(?:任何)?费用|无收取[^,，。;；]{{0,10}}?(?:{_FEE})"
    r"|无(?:任何)?收费(?:情况|事项)?"
    rf"|不涉及[^,，。;；]{{0,10}}?(?:{_FEE}|收费)"
)
# A fee statement about something else, or one that admits some units did charge (部分单位…按收费标准).
FEE_ZERO_VETO = re.compile(rf"{_OTHER_FEES}|收费标准执行|按[^。]{{0,20}}标准收取|部分[^。]{{0,12}}(?:收取|收费)")
