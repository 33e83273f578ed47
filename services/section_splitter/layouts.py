"""The official table layouts (国办公开办函〔2019〕60号 and 〔2021〕30号) as data.

One generic engine (tables.py) walks these specs; nothing here knows about flattening styles.
Row patterns match the whitespace-free, width-folded label text and are deliberately short
heads of the official wording so that wrapped PDF labels still match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shared.messages.v1 import Applicant, Era, TableKind

# Words that open the header of an official table (第二十条 blocks, table 三's 勾稽 note and 申请人情况,
# table 四's 行政复议/行政诉讼 row, the statistics appendix's 指标名称). A section title glued to a
# flattened table ends right before them (headings.py); the table engine anchors on the same words.
TABLE_HEADER_START = re.compile(
    r"第二十条|[(（]本列数据|(?:行\s*政\s*复\s*议[\s|]*)+行\s*政\s*诉\s*讼|信息内容|申请人情况|指\s*标\s*名\s*称|结果维持"
)


@dataclass(frozen=True)
class Column:
    """A value column; `row` overrides the row label (table 四 has one row of three groups)."""

    label: str
    key: str | None
    applicant: Applicant = "total"
    row: str | None = None
    money: bool = False  # an amount (`251000元`); a count column never holds one


@dataclass(frozen=True)
class Row:
    """An expected data row: canonical label, label pattern, columns, sum blocks.

    `blocks` lists consecutive column groups whose last cell is the sum of the others
    (表三: 7 → 总计 = 6 applicant columns; 表四: 5+5+5). They validate rows and split glued
    digit runs; rows without blocks can only be split when every cell is one digit.
    """

    label: str
    pattern: re.Pattern[str] | None
    columns: tuple[Column, ...]
    blocks: tuple[int, ...] = ()


@dataclass(frozen=True)
class Layout:
    """A table format: its rows, the header words that prove the era, cross-row identities.

    `checks` pairs key lists whose per-applicant sums must agree (表三's 勾稽关系).
    """

    kind: TableKind
    era: Era | None
    rows: tuple[Row, ...]
    signature: re.Pattern[str] | None = None
    checks: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()


_APPLICANTS: tuple[tuple[str, Applicant], ...] = (
    ("自然人", "natural_person"),
    ("商业企业", "commercial_enterprise"),
    ("科研机构", "research_institution"),
    ("社会公益组织", "public_welfare_org"),
    ("法律服务机构", "legal_service_org"),
    ("其他", "other_org"),
    ("总计", "total"),
)


def _request_row(label: str, pattern: str, suffix: str) -> Row:
    columns = tuple(Column(name, f"requests.{suffix}", applicant) for name, applicant in _APPLICANTS)
    return Row(label, re.compile(pattern), columns, blocks=(7,))


_DENIED = "(三)不予公开 "
_UNABLE = "(四)无法提供 "
_NOT_PROCESSED = "(五)不予处理 "
_OTHER = "(六)其他处理 "
_REQUESTS_HEAD = (
    _request_row("一、本年新收政府信息公开申请数量", r"本年度?新收", "new"),
    _request_row("二、上年结转政府信息公开申请数量", r"上一?年度?结转", "carried_over"),
    _request_row("(一)予以公开", r"予以公开", "outcome.granted"),
    _request_row("(二)部分公开(区分处理的,只计这一情形,不计其他情形)", r"部分公开", "outcome.partial"),
    _request_row(_DENIED + "1.属于国家秘密", r"国家秘密", "outcome.denied.state_secret"),
    _request_row(_DENIED + "2.其他法律行政法规禁止公开", r"其他法律|禁止公开", "outcome.denied.law_prohibited"),
    _request_row(_DENIED + "3.危及“三安全一稳定”", r"危及|三安全", "outcome.denied.security_stability"),
    _request_row(_DENIED + "4.保护第三方合法权益", r"第三方", "outcome.denied.third_party"),
    _request_row(_DENIED + "5.属于三类内部事务信息", r"内部事务", "outcome.denied.internal_affairs"),
    _request_row(_DENIED + "6.属于四类过程性信息", r"过程性", "outcome.denied.process_info"),
    _request_row(_DENIED + "7.属于行政执法案卷", r"执法案卷", "outcome.denied.enforcement_file"),
    _request_row(_DENIED + "8.属于行政查询事项", r"行政查询", "outcome.denied.admin_query"),
    _request_row(_UNABLE + "1.本机关不掌握相关政府信息", r"不掌握", "outcome.unable.not_held"),
    _request_row(_UNABLE + "2.没有现成信息需要另行制作", r"没有现成|另行制作", "outcome.unable.needs_creation"),
    _request_row(_UNABLE + "3.补正后申请内容仍不明确", r"补正后|仍不明确", "outcome.unable.unclear"),
    _request_row(_NOT_PROCESSED + "1.信访举报投诉类申请", r"信访", "outcome.not_processed.petition_complaint"),
    _request_row(_NOT_PROCESSED + "2.重复申请", r"重复申请", "outcome.not_processed.duplicate"),
    _request_row(_NOT_PROCESSED + "3.要求提供公开出版物", r"出版物", "outcome.not_processed.publication"),
    _request_row(_NOT_PROCESSED + "4.无正当理由大量反复申请", r"大量反复|反复申请", "outcome.not_processed.excessive"),
    _request_row(
        _NOT_PROCESSED + "5.要求行政机关确认或重新出具已获取信息",
        r"确认或|重新出具",
        "outcome.not_processed.confirm_reissue",
    ),
)
_REQUESTS_TAIL = (
    _request_row("(七)总计", r"\(七\)[总合]计|^总计$", "outcome.total"),
    _request_row("四、结转下年度继续办理", r"结转(?:至|到)?下一?年", "carried_forward"),
)


def _request_checks(rows: tuple[Row, ...]) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """一+二 = (七)总计+四, and (七)总计 = the sum of every outcome row."""
    keys = [row.columns[0].key or "" for row in rows]
    outcomes = tuple(k for k in keys if k.startswith("requests.outcome.") and k != "requests.outcome.total")
    return (
        (("requests.new", "requests.carried_over"), ("requests.outcome.total", "requests.carried_forward")),
        (("requests.outcome.total",), outcomes),
    )


def _requests_layout(era: Era, rows: tuple[Row, ...], signature: str | None) -> Layout:
    return Layout("requests", era, rows, re.compile(signature) if signature else None, _request_checks(rows))


REQUESTS_2019 = _requests_layout(
    "fmt2019",
    (*_REQUESTS_HEAD, _request_row("(六)其他处理", r"其他处理", "outcome.other.total"), *_REQUESTS_TAIL),
    None,
)
REQUESTS_2021 = _requests_layout(
    "fmt2021",
    (
        *_REQUESTS_HEAD,
        _request_row(
            _OTHER + "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            r"其他处理1[.、]|无正当理由逾期|逾期不补正",
            "outcome.other.overdue_correction",
        ),
        _request_row(
            _OTHER + "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            r"逾期未按|收费通知",
            "outcome.other.overdue_fee",
        ),
        _request_row(_OTHER + "3.其他", r"3[.、]其他$|^其他$", "outcome.other.other"),
        *_REQUESTS_TAIL,
    ),
    r"逾期不补正|逾期未按|收费通知",
)

_OUTCOMES = (
    ("结果维持", "upheld"),
    ("结果纠正", "corrected"),
    ("其他结果", "other"),
    ("尚未审结", "pending"),
    ("总计", "total"),
)
_REVIEW_GROUPS = (
    ("行政复议", "reconsideration"),
    ("行政诉讼 未经复议直接起诉", "litigation.direct"),
    ("行政诉讼 复议后起诉", "litigation.after_reconsideration"),
)
# 表四 has no row label: its single data row is the first run of values after the header.
REVIEW = Layout(
    "review_litigation",
    None,
    (
        Row(
            "行政复议、行政诉讼",
            None,
            tuple(
                Column(name, f"{prefix}.{suffix}", row=group)
                for group, prefix in _REVIEW_GROUPS
                for name, suffix in _OUTCOMES
            ),
            blocks=(5, 5, 5),
        ),
    ),
)


def _active_row(label: str, pattern: str, columns: tuple[tuple[str, str | None], ...]) -> Row:
    return Row(label, re.compile(pattern), tuple(Column(name, key) for name, key in columns))


_ISSUED_2021 = (("本年制发件数", "issued"), ("本年废止件数", "repealed"), ("现行有效件数", "in_force"))
_ISSUED_2019 = (("本年新制作数量", "issued"), ("本年新公开数量", "published"), ("对外公开总数量", "public_total"))


def _docs_rows(norm_label: str, columns: tuple[tuple[str, str], ...]) -> tuple[Row, Row]:
    return (
        _active_row("规章", r"规章", tuple((n, f"active.regulations.{k}") for n, k in columns)),
        _active_row(norm_label, r"规范性文件", tuple((n, f"active.normative_docs.{k}") for n, k in columns)),
    )


_DECISIONS_2021 = "本年处理决定数量"
ACTIVE_2021 = Layout(
    "active_disclosure",
    "fmt2021",
    (
        *_docs_rows("行政规范性文件", _ISSUED_2021),
        _active_row("行政许可", r"行政许可", ((_DECISIONS_2021, "active.licensing.decisions"),)),
        _active_row("行政处罚", r"行政处罚", ((_DECISIONS_2021, "active.penalty.decisions"),)),
        _active_row("行政强制", r"行政强制", ((_DECISIONS_2021, "active.coercion.decisions"),)),
        _active_row("行政事业性收费", r"事业性收费", (("本年收费金额(单位:万元)", "active.admin_fees.amount"),)),
    ),
    re.compile(r"本年制发件数|本年废止件数|现行有效件数|本年收费金额"),
)


def _items_2019(decisions_key: str | None) -> tuple[tuple[str, str | None], ...]:
    return (("上一年项目数量", None), ("本年增/减", None), ("处理决定数量", decisions_key))


ACTIVE_2019 = Layout(
    "active_disclosure",
    "fmt2019",
    (
        *_docs_rows("规范性文件", _ISSUED_2019),
        _active_row("行政许可", r"行政许可", _items_2019("active.licensing.decisions")),
        _active_row("其他对外管理服务事项", r"其他对外管理", _items_2019(None)),
        _active_row("行政处罚", r"行政处罚", _items_2019("active.penalty.decisions")),
        _active_row("行政强制", r"行政强制", _items_2019("active.coercion.decisions")),
        _active_row("行政事业性收费", r"事业性收费", (("上一年项目数量", None), ("本年增/减", None))),
        Row(
            "政府集中采购",
            re.compile(r"集中采购"),
            (Column("采购项目数量", None), Column("采购总金额", None, money=True)),
        ),
    ),
    re.compile(r"本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|本年增/减"),
)

# The small ad-hoc channel table (公开渠道和方式 | 政府网站 | …); unmapped columns keep key=None.
CHANNEL_KEYS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"网站"), "active.channel.website"),
    (re.compile(r"公报"), "active.channel.gazette"),
    (re.compile(r"微博"), "active.channel.weibo"),
    (re.compile(r"微信"), "active.channel.wechat"),
    (re.compile(r"客户端|APP|App|app"), "active.channel.app"),
    (re.compile(r"^规范性文件$"), "active.normative_docs.published"),
)


@dataclass(frozen=True)
class StatRow:
    """A row of the 2008–2018 statistics appendix (docs/tables.md): label pattern → catalog key.

    `parts` marks rows whose numbered children partition them (requests by channel, replies by
    outcome), so the children must add up; other children (channels of active disclosure
    overlap) are only bounded by their parent.
    """

    pattern: re.Pattern[str]
    key: str | None
    parts: bool = False


def _stat(pattern: str, key: str | None, parts: bool = False) -> StatRow:
    return StatRow(re.compile(pattern), key, parts)


# First match wins, so the specific labels come before the general ones. Labels vary by region
# and year (主动公开信息数/文件数, 网上/网络申请数, 否决/不予公开答复数); rows without a catalog
# key are still rows (key None), so their values are never taken for a neighbour's.
STATS_ROWS: tuple[StatRow, ...] = (
    # rows without a catalog key
    _stat(r"访问量|查阅人数|利用件次|查阅点|咨询|接待", None),
    _stat(r"已主动公开", None),
    _stat(r"其[他它]\S*答复", None),
    _stat(r"主要负责", None),  # 其中:主要负责同志参加… is part of the row above
    _stat(r"新闻发布会\S*次数", "response.press_conferences"),
    _stat(r"新闻发布", None),  # items published at press conferences (条), not conferences
    _stat(r"回应\S*(?:热点|舆情)", "response.hot_topics"),
    _stat(r"解读稿件", "response.interpretations"),
    _stat(r"访谈|回应事件", None),  # 在线访谈次数, 微博微信回应事件数: responses, not channels
    _stat(r"信函.?传真|传真.?信函", None),  # two channels in one row
    _stat(r"非本|不属于本|所指|免予公开|其他途径|商业秘密|个人隐私", None),
    _stat(r"办结", None),  # 申请办结数 restates the requests, it is not another count of them
    # money in 万元 (the catalog keys fees and spending in 元); staff and units of the office
    _stat(r"收费|减免|费用|经费|机构数|工作人员|专职|兼职", None),  # the waiver amount is not fees collected
    # review, complaints
    _stat(r"行政复议", "reconsideration.total"),
    _stat(r"行政诉讼", "litigation.total"),
    _stat(r"申诉|举报|投诉", "complaints.total"),
    # active disclosure and its channels
    _stat(r"制发.*规范性文件", "active.normative_docs.issued"),
    _stat(r"规范性文件", "active.normative_docs.published"),
    _stat(r"主动公开", "active.total"),
    _stat(r"公报", "active.channel.gazette"),
    _stat(r"网站", "active.channel.website"),
    _stat(r"微博", "active.channel.weibo"),
    _stat(r"微信", "active.channel.wechat"),
    _stat(r"客户端", "active.channel.app"),
    # requests by channel, replies by outcome
    _stat(r"当面", "requests.channel.in_person"),
    _stat(r"传真", "requests.channel.fax"),
    _stat(r"电子邮件|邮件", "requests.channel.email"),
    _stat(r"网上|网络|在线", "requests.channel.online"),
    _stat(r"信函", "requests.channel.mail"),
    _stat(r"其[他它](?:形式|方式)?申请", "requests.channel.other"),
    _stat(r"其[他它].*方式", "active.channel.other"),
    _stat(r"部分公开", "requests.outcome.partial"),
    _stat(r"否决|不予公开|不同意公开", "requests.outcome.denied.total"),
    _stat(r"同意公开", "requests.outcome.granted"),
    _stat(r"国家秘密", "requests.outcome.denied.state_secret"),
    _stat(r"危及", "requests.outcome.denied.security_stability"),
    _stat(r"法律法规规定", "requests.outcome.denied.law_prohibited"),
    _stat(r"信息不存在", "requests.outcome.unable.not_held"),
    _stat(r"内容不明确|更改补充", "requests.outcome.unable.unclear"),
    _stat(r"答复", "requests.outcome.total", parts=True),
    _stat(r"申请", "requests.new", parts=True),
    _stat(r"(?:工作|专题)会议", "training.meetings"),
    _stat(r"培训班", "training.sessions"),
    _stat(r"培训.*(?:人员|人次)", "training.participants"),
)


def stat_row(name: str) -> StatRow | None:
    """The appendix row a printed label (without ordinal or unit) stands for; first match wins."""
    return next((row for row in STATS_ROWS if row.pattern.search(name)), None)


# Results under a review row of the national table (四、行政复议数量 (一)维持具体行政行为数 …).
_RESULTS = (
    (re.compile(r"维持|驳回"), "upheld"),
    (re.compile(r"纠错|纠正"), "corrected"),
    (re.compile(r"其他情形"), "other"),
)
_RESULT_PARENTS = frozenset({"reconsideration.total", "litigation.total"})


def result_key(parent_key: str | None, name: str) -> str | None:
    """The key of a result row under a reconsideration or litigation row, e.g. reconsideration.upheld."""
    if parent_key not in _RESULT_PARENTS:
        return None
    family = parent_key.rsplit(".", 1)[0]
    return next((f"{family}.{suffix}" for pattern, suffix in _RESULTS if pattern.search(name)), None)


# The only cumulative figure the catalog names; other 历年累计 cells carry no key.
STATS_CUMULATIVE_KEYS: dict[str, str] = {"active.total": "active.cumulative_total"}
STATS_UNIT = re.compile(r"(?:万元|元|人次|件次|条|件|次|个|人|篇|期|场|项|%|％)$")
