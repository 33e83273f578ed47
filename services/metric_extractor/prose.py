"""The small engine that applies the phrase rules to prose.

For every counted quantity (numbers.py) it looks back, inside the same sentence, for the label that
governs it: the label must end at most a few characters before the number, with no digit, comma or
list separator in between (that is what keeps 其中市级行政机关9件 away from 答复…申请); failing that, a
label right after it (2件不予公开, 发布56条信息). Items of a category list (按类别:…, 文字类解读) are
not keys. Then it records how the statement is scoped (全州 vs 州政府本级 / 其中 / 区发改局) and
whether it is cumulative, so resolve.py can choose between restatements. Zero statements
(未发生…行政复议案, 暂不收费) are a second pass. Rules and their reasons: docs/metrics.md.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from services.metric_extractor.catalog import CUMULATIVE_KEYS, unit_for
from services.metric_extractor.numbers import DELTA_RE, Quantity, find_quantities
from services.metric_extractor.phrases import (
    DISCLOSURE,
    FAMILY_MARKERS,
    FAMILY_PLACEHOLDER,
    FEE_ZERO,
    FEE_ZERO_VETO,
    PHRASES,
    ZERO_AFTER,
    ZERO_FORBID,
    ZERO_NOUN_END,
    ZERO_NOUNS,
    ZERO_TRIGGER,
    Phrase,
)
from services.metric_extractor.sections import SectionLocator
from shared.messages.v1 import Period, Qualifier, Section, SectionKind

_SENTENCE_END = re.compile(r"[。!?！？;；\n|]")
# A rule's context (申请, 信息公开) may sit anywhere in the full sentence: 答复申请…;不予公开35件.
_CONTEXT_END = re.compile(r"[。!?！？\n|]")
# A line break inside a sentence: after a character that ends no sentence, before text that opens no
# heading or list item (一、 / 1. / (一) start with their own marker).
_SOFT_WRAP = re.compile(
    r"(?<=[^\s。!?！？;；:：|])\n(?=[\u4e00-\u9fff0-9])(?![一二三四五六七八九十]{1,3}[、.．]|[0-9]{1,2}[.、．](?![0-9]))"
)
MIN_WRAPPED_LINE = 12  # shorter lines without punctuation are headings or table cells, not wrapped prose
_CLAUSE_END = re.compile(r"[。!?！？;；\n|,，]")
# 类: 政策解读与通知类信息7条 is a category; 分别: L1、L2分别为N1、N2 pairs labels and counts by position
_GAP_FORBIDDEN = re.compile(r"[0-9,，、。;；:：!?！？|\n]|其中|类|分别|率")  # 率: 纠错率均为0 is a rate
_RESPECTIVELY = re.compile(r"分别(?:为|是|有|达)?")
_LIST_SEP = re.compile(r"[、和]")
_BETWEEN_COUNTS = re.compile(r"\s*[、,，和及与]\s*")
_NOTHING = re.compile(r"\s*")
# 不予公开的信息300条 classifies information, not requests; 受理政府信息公开咨询150件 counts inquiries, messages
# or calls about disclosure, not requests (docs/policies.md, never a fact).
_REQUEST_GAP_FORBIDDEN = re.compile(r"信息|咨询|留言|来电|来信|信箱|诉求|建议")
# 条/份/起 also count messages, letters and items: a request or case label must touch such a number
# (答复12条, 申请共12条), while 回复网民留言200条 is no answer to a request.
_LOOSE_CASE_UNITS = frozenset({"条", "份", "起"})
_CASE_FAMILIES = frozenset({"requests", "reconsideration", "litigation", "complaints"})
_TIGHT_GAP = re.compile(r"(?:的)?(?:共|共计|合计|总计|为|达|数为|总数为)?\s*")
# A narrated statistics row puts a colon between its label and value (主动公开政府信息数:1209条); any other
# colon opens a list whose items are not the label's count (按类别分:机构职能647条).
_LABEL_COLON = re.compile(r"^\s*[:：]\s*(?=(?:共|共计|合计|总计|为|约|近)?\s*$)")
MAX_GAP = 8  # chars between a label and its number: 行政诉讼数为27件, 培训班数共6次
MAX_GAP_PAREN = 12  # a parenthesised count: 信函申请是最主要的申请形式(14件
LOOKBACK = 48  # a label longer than this does not exist
MAX_SENTENCE = 300  # chars each side; the longest real sentences with a count are about 250
LEAD_LOOKBACK = 12  # a verb before a count-before-noun statement: 共更新发布56条信息
_JOINERS = ("及", "和", "与", "、")
_EACH = re.compile(r"均|都")
_PREVIOUS_YEAR = re.compile(r"上一?年度?(?!结转|底|末)|去年|前年")
# A target for next year (力争全年主动公开政府信息350条以上) is a plan, not a figure of the report.
# 计划 only as a verb (计划举办培训班4期), not the noun of 按照年度工作计划 or 计划生育.
_PLANNED = re.compile(r"力争|争取|预计|拟(?!定|订)|计划(?=[^\d,，。;；]{0,4}?(?:举办|开展|召开|公开|发布|完成|组织))")
_COUNTED_ITEM_END = re.compile(r"[0-9条件篇项份次场期人元]")

_WHOLE_SCOPE = re.compile(r"[全我本](?:州|市|区|县|旗|省|盟|镇|乡|街道)(?!级)")
# A part of the reporting body: a level (本级, 各县) or a group of departments (县直部门); and one office
# or bureau named as the subject (区发改局主动公开…), unless 本局/我局 or the body's own name.
_SUB_SCOPE = re.compile(
    r"本级|市级|县级|州级|区级|乡级|镇级|各县|县区|县\(区\)|县（区）|各区|各乡|各镇|镇街|各苏木|(?<![全我本])(?:乡镇|街道)"
    r"|[市州区县旗]直|(?:各|工作)部门"
)
_OFFICE_SUBJECT = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:局|办|委|厅|中心)(?=(?:主动|共|全年|本年)*(?:公开|发布|公布))")
# 历年, 至今, 迄今 always mean a running total, and so does 截至…已… (the stock so far). 累计 and 以来 do
# too unless the year of the report anchors them (全年累计, 2030年,全市累计召开… with no other count in
# between, or an annual word after the marker); 今年以来 is the reporting year itself. 截至年底 alone
# closes the reporting year: 截至12月31日,受理申请2件 is annual (docs/metrics.md, periods).
_ALWAYS_CUMULATIVE = re.compile(r"历年|至今|迄今")
_STOCK_SO_FAR = re.compile(r"(?:截至|截止)[^。;；]*已")
_THIS_YEAR = re.compile(r"全年|本年|今年|当年|年内")  # 截至12月31日,本年度已受理… is the year's figure
_CUMULATIVE = re.compile(r"累计|(?<!今年)(?<!本年)(?<!年初)以来")
_ANNUAL_ANCHOR = re.compile(r"全年|本年|今年|当年|年内|20[0-9]{2}\s*年(?:度)?(?![底末0-9\s]|[0-9]{1,2}月)")
# After these openers a list enumerates categories of information, not catalog keys (docs/metrics.md).
_CATEGORY_OPENER = re.compile(r"按(?:信息)?(?:类别|属性|内容)(?:划?分)?|分为[:：]|类别[:：]|分类[:：]")
_CATEGORY_LABEL = re.compile(r"(?<![各此该这两几多])(?<!公开)类$")  # 文字类解读4份 is one kind; 信息公开类 is the topic
_DISCLOSURE_RE = re.compile(DISCLOSURE)
_ZERO_NOUNS_RE = re.compile("|".join(f"(?P<n{i}>{z.noun}){ZERO_NOUN_END}" for i, z in enumerate(ZERO_NOUNS)))
_ZERO_KINDS = frozenset({"review_litigation", "requests", "fees_costs"})
_FULL_STOP = re.compile(r"[。!?！？\n]")


@dataclass(frozen=True)
class TextFact:
    """A prose statement of a key, with what resolve.py needs to rank restatements."""

    key: str
    value: int | float
    unit: str
    qualifier: Qualifier | None
    period: Period
    section: SectionKind | None
    chapter: SectionKind | None  # kind of the top-level section around it
    start: int
    end: int
    scope: int  # 1 whole jurisdiction (全州), 0 unscoped, -1 a part (州政府本级, 其中…)


class _Sentences:
    """Sentence and clause bounds by bisection over precomputed boundary offsets.

    A "sentence" is capped at MAX_SENTENCE characters each side of a position, so a body without
    punctuation (a flattened table, a crawl on one line) costs linear time, not quadratic.
    """

    def __init__(self, text: str) -> None:
        self._sentence = [m.end() for m in _SENTENCE_END.finditer(text)]
        self._clause = [m.end() for m in _CLAUSE_END.finditer(text)]
        self._context = [m.end() for m in _CONTEXT_END.finditer(text)]
        self._text = text

    @staticmethod
    def _start(bounds: list[int], pos: int) -> int:
        i = bisect.bisect_right(bounds, pos) - 1
        return bounds[i] if i >= 0 else 0

    def sentence_start(self, pos: int) -> int:
        return max(self._start(self._sentence, pos), pos - MAX_SENTENCE)

    def context(self, pos: int) -> str:
        """The full sentence around `pos`, across semicolons: where a rule looks for its context."""
        start = max(self._start(self._context, pos), pos - MAX_SENTENCE)
        i = bisect.bisect_right(self._context, pos)
        end = min(self._context[i] if i < len(self._context) else len(self._text), pos + MAX_SENTENCE)
        return self._text[start:end]

    def clause_start(self, pos: int) -> int:
        return max(self._start(self._clause, pos), pos - MAX_SENTENCE)


def _gap_ok(gap: str, key: str, unit: str) -> bool:
    gap = _LABEL_COLON.sub("", gap, count=1)
    limit = MAX_GAP_PAREN if gap.endswith(("(", "（")) else MAX_GAP
    if key.startswith("requests.") and _REQUEST_GAP_FORBIDDEN.search(gap):
        return False
    if unit in _LOOSE_CASE_UNITS and key.split(".", 1)[0] in _CASE_FAMILIES and not _TIGHT_GAP.fullmatch(gap):
        return False
    return len(gap) <= limit and not _GAP_FORBIDDEN.search(gap) and not DELTA_RE.search(gap)


def _unit_fits(q: Quantity, phrase: Phrase) -> bool:
    return q.unit in phrase.units or q.unit == ""


def _applies(phrase: Phrase, sentence: str, kind: SectionKind | None) -> bool:
    if phrase.veto is not None and re.search(phrase.veto, sentence):
        return False
    if kind is not None and kind in phrase.kinds:
        return True
    if phrase.context is None:
        return not phrase.kinds
    return re.search(phrase.context, sentence) is not None


def _family(text: str, sentence_start: int, label_start: int) -> str | None:
    """The 复议/诉讼/投诉 block nearest before an outcome label, in the same sentence."""
    before = text[sentence_start:label_start]
    best: tuple[int, str] | None = None
    for family, marker in FAMILY_MARKERS:
        last = max((m.start() for m in marker.finditer(before)), default=-1)
        if last >= 0 and (best is None or last > best[0]):
            best = (last, family)
    return best[1] if best else None


def _best_label(
    text: str, window_start: int, window: str, q: Quantity, sentences: _Sentences, kind: SectionKind | None, exact: bool
) -> tuple[int, int, str] | None:
    """(end, start, key) of the closest, then longest label in `window` that may govern `q`.

    `exact`: any label that ends the window, whatever its unit or context (it only shows a joined list).
    """
    sentence_start = sentences.sentence_start(q.start)
    sentence = sentences.context(q.start)
    best: tuple[int, int, str] | None = None
    for phrase in PHRASES:
        if phrase.after or (not exact and not (_unit_fits(q, phrase) and _applies(phrase, sentence, kind))):
            continue
        for m in phrase.pattern.finditer(window):
            if not m.group() or (exact and m.end() != len(window)):
                continue
            key = phrase.key
            if FAMILY_PLACEHOLDER in key:
                family = _family(text, sentence_start, window_start + m.start())
                if family is None:
                    continue
                key = key.replace(FAMILY_PLACEHOLDER, family)
            if not exact and not _gap_ok(window[m.end() :], key, q.unit):
                continue
            if best is None or (m.end(), -m.start()) > (best[0], -best[1]):
                best = (m.end(), m.start(), key)
    return best


def _label_before(text: str, q: Quantity, sentences: _Sentences, locate: SectionLocator) -> list[tuple[str, int]]:
    """(key, label start) of the label governing `q`; labels joined to it (行政复议和行政诉讼均为0件) share
    the count only when 均/都 says each has it; otherwise the count is their sum, and no fact."""
    window_start = max(sentences.sentence_start(q.start), q.start - LOOKBACK)
    window = text[window_start : q.start]
    kind = locate.kind_at(q.start)
    best = _best_label(text, window_start, window, q, sentences, kind, exact=False)
    if best is None:
        return []
    labels = [(best[2], window_start + best[1])]
    head = best[1]
    while window[:head].endswith(_JOINERS):
        joined = _best_label(text, window_start, window[: head - 1], q, sentences, kind, exact=True)
        if joined is None:
            break
        labels.insert(0, (joined[2], window_start + joined[1]))
        head = joined[1]
    if len(labels) > 1 and not _EACH.search(window[best[0] :]):
        return []
    return labels


def _label_after(text: str, q: Quantity, sentences: _Sentences, locate: SectionLocator) -> tuple[str, int, int] | None:
    """(key, statement start, label end) for a label that follows its number: 2件不予公开, 发布56条信息."""
    sentence = sentences.context(q.start)
    before = text[max(sentences.clause_start(q.start), q.start - LEAD_LOOKBACK) : q.start]
    kind = locate.kind_at(q.start)
    for phrase in PHRASES:
        if not phrase.after or not _unit_fits(q, phrase) or not _applies(phrase, sentence, kind):
            continue
        m = phrase.pattern.match(text, q.end)
        if not m:
            continue
        if phrase.lead_pattern is None:
            return phrase.key, q.start, m.end()
        lead = phrase.lead_pattern.search(before)
        if lead:
            return phrase.key, q.start - len(before) + lead.start(), m.end()
    return None


def _office_part(clause: str, body: str) -> bool:
    """An office or bureau as the subject (区发改局主动公开…) of a government's report; in a department's
    own report (市城管局 for 城市管理局) the bureau is the body, and so are 本局/我局 and the body's name."""
    if "政府" not in body:
        return False
    for m in _OFFICE_SUBJECT.finditer(clause):
        name = m.group()
        if name[-2] not in "本我该" and name[-3:] not in body:
            return True
    return False


def _own_name(subject: str, part: re.Match[str], body: str) -> bool:
    """Whether a part word names the body itself: 街道 (临湖街道, 街道干部) in the report of 临湖街道办事处,
    unless it counts several (各街道)."""
    return bool(body) and part.group() in body and not subject[: part.start()].endswith("各")


def _scope(text: str, q: Quantity, label_start: int, sentences: _Sentences, body: str) -> int:
    """Whole jurisdiction (1), unscoped (0) or a part (-1) by the words of the clause and sentence.

    A part is named as the subject, before the label: in 培训各乡镇政务公开工作人员260人次 the 乡镇 are
    whom the body trained, not who trained."""
    sentence = text[sentences.sentence_start(q.start) : q.start]
    clause_start = sentences.clause_start(label_start)
    clause = text[clause_start : q.start]
    subject = text[clause_start:label_start]
    if _WHOLE_SCOPE.search(clause):
        return 1
    # 市政府及市级机关 joins the parts into the whole; 县直部门, 各县 alone are parts; 临湖街道 in the report
    # of 临湖街道办事处 is the body itself
    if any(
        not subject[: m.start()].endswith(_JOINERS) and not _own_name(subject, m, body)
        for m in _SUB_SCOPE.finditer(subject)
    ):
        return -1
    if _office_part(clause, body):
        return -1
    return 1 if _WHOLE_SCOPE.search(sentence) else 0


def _period(text: str, q: Quantity, sentences: _Sentences) -> Period:
    """Annual unless a running-total marker governs the statement and no annual anchor overrides it."""
    start = sentences.sentence_start(q.start)
    before = text[start : q.start]
    stock = _STOCK_SO_FAR.search(before)
    if _ALWAYS_CUMULATIVE.search(text[sentences.clause_start(q.start) : q.start]) or (
        stock and not _THIS_YEAR.search(before, stock.start() + 2)
    ):
        return "cumulative"
    marker = next(reversed(list(_CUMULATIVE.finditer(before))), None)
    if marker is None:
        return "annual"
    if _ANNUAL_ANCHOR.search(before, marker.end()):
        return "annual"  # 截至12月31日,全年主动公开…
    anchors = list(_ANNUAL_ANCHOR.finditer(before, 0, marker.start()))
    if marker.group() == "累计" and anchors and not find_quantities(before[anchors[-1].end() : marker.start()]):
        return "annual"  # 全年累计…, 2030年,全市累计召开…
    return "cumulative"


def _category_item(text: str, label_start: int, sentences: _Sentences) -> bool:
    """A label inside a 按类别…/分为: enumeration, or after X类, names a category, not a catalog key."""
    sentence_start = sentences.sentence_start(label_start)
    return (
        _CATEGORY_OPENER.search(text, sentence_start, label_start) is not None
        or _CATEGORY_LABEL.search(text, sentence_start, label_start) is not None
    )


def _listed_channel(text: str, key: str, start: int) -> bool:
    """A channel named last in a list (网站、政务微博、微信发布信息3000条) states the list's total, not its own;
    after a counted item (…17条、政务微信公开…85条) the joiner only separates statements."""
    if not key.startswith("active.channel.") or text[max(0, start - 1) : start] not in _JOINERS:
        return False
    return _COUNTED_ITEM_END.match(text, max(0, start - 2)) is None


def _demote_qizhong(text: str, facts: list[TextFact], sentences: _Sentences) -> list[TextFact]:
    """`其中` makes a part only of a same-key total stated before it in the sentence (其中主动公开… is not)."""
    starts: dict[tuple[str, str], list[int]] = defaultdict(list)  # (key, period) → statement starts, ascending
    for fact in sorted(facts, key=lambda f: f.start):
        starts[(fact.key, fact.period)].append(fact.start)
    out: list[TextFact] = []
    for fact in facts:
        sentence_start = sentences.sentence_start(fact.start)
        split = text.rfind("其中", sentence_start, fact.start)
        same = starts[(fact.key, fact.period)]
        first = bisect.bisect_left(same, sentence_start)
        whole_before = split >= 0 and first < len(same) and same[first] < split
        out.append(replace(fact, scope=-1) if whole_before else fact)
    return out


def _respectively(
    text: str, span: tuple[int, int], quantities: list[Quantity], sentences: _Sentences, locate: SectionLocator
) -> dict[int, tuple[str, int]]:
    """q.start → (key, label start) for `L1、L2分别为N1、N2`: the i-th label states the i-th count.

    Every listed label must govern its count (unit, context); otherwise the list gives nothing."""
    assigned: dict[int, tuple[str, int]] = {}
    starts = [q.start for q in quantities]
    for marker in _RESPECTIVELY.finditer(text, *span):
        counts: list[Quantity] = []
        pos = marker.end()
        for q in quantities[bisect.bisect_left(starts, marker.end()) :]:
            if not (_BETWEEN_COUNTS if counts else _NOTHING).fullmatch(text, pos, q.start):
                break
            counts.append(q)
            pos = q.end
        if len(counts) < 2:
            continue
        clause_start = sentences.clause_start(marker.start())
        cuts = [clause_start, *(m.end() for m in _LIST_SEP.finditer(text, clause_start, marker.start()))]
        parts = list(zip(cuts, [c - 1 for c in cuts[1:]] + [marker.start()], strict=True))[-len(counts) :]
        labels = []
        for (start, end), q in zip(parts, counts, strict=False):
            kind = locate.kind_at(q.start)
            label = _best_label(text, start, text[start:end], q, sentences, kind, exact=False)
            labels.append(None if label is None else (label[2], start + label[1]))
        if len(parts) == len(counts) and all(labels):
            assigned.update({q.start: label for q, label in zip(counts, labels, strict=True) if label})
    return assigned


def _statements(
    text: str,
    q: Quantity,
    sentences: _Sentences,
    locate: SectionLocator,
    context: _Context,
    assigned: tuple[str, int] | None = None,
) -> list[TextFact]:
    """The facts `q` states: one per label governing it (several when joined labels each have it), or the
    label a `分别为` list assigns it."""
    before = [assigned] if assigned else _label_before(text, q, sentences, locate)
    labels = [(key, start, q.end) for key, start in before]
    if not labels:
        after = _label_after(text, q, sentences, locate)
        labels = [after] if after else []
    facts = []
    for key, start, end in labels:
        if _category_item(text, start, sentences) or _listed_channel(text, key, start):
            continue
        if _PREVIOUS_YEAR.search(text, sentences.clause_start(start), start):
            continue  # 上年度共受理…30件 compares with last year; it is not this report's figure
        if _PLANNED.search(text, sentences.clause_start(start), start):
            continue
        scope = _scope(text, q, start, sentences, context.body)
        unit = q.unit or unit_for(key)
        period = _period(text, q, sentences)
        key = CUMULATIVE_KEYS.get(key, key) if period == "cumulative" else key
        facts.append(TextFact(key, q.value, unit, q.qualifier, period, *locate.kinds_at(start), start, end, scope))
    return facts


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in spans)


def _quantity_facts(
    text: str, span: tuple[int, int], sentences: _Sentences, locate: SectionLocator, context: _Context
) -> list[TextFact]:
    facts: list[TextFact] = []
    # numbers inside parsed tables are read from their cells
    quantities = [
        q for q in find_quantities(text[span[0] : span[1]], offset=span[0]) if not _inside(q.start, context.skip)
    ]
    assigned = _respectively(text, span, quantities, sentences, locate)
    for q in quantities:
        facts += _statements(text, q, sentences, locate, context, assigned.get(q.start))
    return facts


def _fee_zeros(text: str, span: tuple[int, int], locate: SectionLocator) -> list[TextFact]:
    facts = []
    for m in FEE_ZERO.finditer(text, *span):
        stop = _FULL_STOP.search(text, m.end(), m.end() + MAX_SENTENCE)
        head = max(span[0], m.start() - MAX_SENTENCE)
        sentence_start = max((b.end() for b in _FULL_STOP.finditer(text, head, m.start())), default=head)
        if FEE_ZERO_VETO.search(text, sentence_start, stop.start() if stop else m.end() + MAX_SENTENCE):
            continue
        kinds = locate.kinds_at(m.start())
        facts.append(TextFact("fees.collected", 0, "元", None, "annual", *kinds, m.start(), m.end(), 0))
    return facts


def _negative_clauses(
    text: str, span: tuple[int, int], sentences: _Sentences
) -> Iterator[tuple[int, int, int, int | None]]:
    """(statement start, clause start, clause end, statement end) of each negative statement: its nouns
    follow the trigger (未发生行政复议、行政诉讼案件) or precede 均未… (行政复议、行政诉讼案件均未发生).
    A statement end of None ends the statement at its last noun."""
    for trigger in ZERO_TRIGGER.finditer(text, *span):
        limit = min(len(text), trigger.end() + MAX_SENTENCE)
        clause_end = _CLAUSE_END.search(text, trigger.end(), limit)
        yield trigger.start(), trigger.end(), clause_end.start() if clause_end else limit, None
    for trigger in ZERO_AFTER.finditer(text, *span):
        clause_start = sentences.clause_start(trigger.start())
        yield clause_start, clause_start, trigger.start(), trigger.end()


def _zero_facts(
    text: str, span: tuple[int, int], sentences: _Sentences, locate: SectionLocator, skip: list[tuple[int, int]]
) -> list[TextFact]:
    """Facts of value 0 from negative statements; partial negatives (投诉并被纠正的) and the row labels of
    parsed tables (申请人无正当理由逾期不补正…) are skipped."""
    facts = [f for f in _fee_zeros(text, span, locate) if not _inside(f.start, skip)]
    for start, clause_start, clause_end, end in _negative_clauses(text, span, sentences):
        if _inside(start, skip):
            continue
        clause = text[clause_start:clause_end]
        sentence = text[sentences.sentence_start(start) : clause_end]
        kinds = locate.kinds_at(start)
        if ZERO_FORBID.search(clause) or not (_DISCLOSURE_RE.search(sentence) or kinds[0] in _ZERO_KINDS):
            continue
        for m in _ZERO_NOUNS_RE.finditer(clause):
            key = ZERO_NOUNS[int(str(m.lastgroup)[1:])].key
            stop = clause_start + m.end() if end is None else end
            facts.append(TextFact(key, 0, "件", None, "annual", *kinds, start, stop, 0))
    return facts


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Line spans: the unit a defect may cost (a one-line body is one paragraph)."""
    spans, start = [], 0
    for m in re.finditer(r"\n", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [s for s in spans if s[1] > s[0]]


@dataclass(frozen=True)
class _Context:
    """What the prose pass knows besides the text: table spans to skip and the body's name."""

    skip: list[tuple[int, int]]
    body: str


def _unwrap(text: str) -> tuple[str, list[int]]:
    """`text` without its hard wraps, and the original offset of each of its characters (plus the end).

    PDF text breaks lines at a fixed width, inside words and between a number and its unit
    (受理政府\n信息公开申请 17 件, 会议 7\n期): a long line that ends without punctuation continues on
    the next one, unless that one opens a heading or a list item (docs/metrics.md, hard wraps)."""
    dropped = {
        m.start()
        for m in _SOFT_WRAP.finditer(text)
        if m.start() - (text.rfind("\n", 0, m.start()) + 1) >= MIN_WRAPPED_LINE
    }
    if not dropped:
        return text, list(range(len(text) + 1))
    origin = [i for i in range(len(text)) if i not in dropped]
    return "".join(text[i] for i in origin), [*origin, len(text)]


def find_text_facts(
    text: str, sections: Sequence[Section], skip: list[tuple[int, int]], body: str, warnings: list[str]
) -> list[TextFact]:
    """Every catalog statement in the prose of `text`, before choosing among restatements.

    `body` names the reporting body (title and issuer of a government; empty for a department), so
    only a government's bureaus are taken for parts of it. Hard-wrapped lines are read joined; the
    facts keep offsets into `text`.
    A paragraph whose reading fails is left out with a warning; the rest of the report still counts.
    """
    joined, origin = _unwrap(text)

    def here(offset: int) -> int:
        return bisect.bisect_left(origin, offset)

    locate = SectionLocator([s.model_copy(update={"start": here(s.start), "end": here(s.end)}) for s in sections])
    sentences = _Sentences(joined)
    context = _Context([(here(start), here(end)) for start, end in skip], body)
    facts: list[TextFact] = []
    for span in _paragraphs(joined):
        try:
            facts += _quantity_facts(joined, span, sentences, locate, context)
            facts += _zero_facts(joined, span, sentences, locate, context.skip)
        except Exception as error:  # one bad paragraph must not cost the report
            where = f"{origin[span[0]]}-{origin[span[1]]}"
            warnings.append(f"prose at {where} skipped: {type(error).__name__}: {error}")
    return [
        replace(f, start=origin[f.start], end=origin[f.end - 1] + 1) for f in _demote_qizhong(joined, facts, sentences)
    ]
