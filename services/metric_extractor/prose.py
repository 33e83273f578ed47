"""The small engine that applies the phrase rules to prose.

For every counted quantity (numbers.py) it looks back, inside the same sentence, for the label that
governs it: the label must end at most a few characters before the number, with no digit, comma or
list separator in between (that is what keeps 其中市级行政机关9件 away from 答复…申请). Then it
records how the statement is scoped (全州 vs 州政府本级 / 其中) and whether it is cumulative, so
resolve.py can choose between restatements. Zero statements (未发生…行政复议案) are a second pass.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from services.metric_extractor.numbers import DELTA_RE, Quantity, find_quantities
from services.metric_extractor.phrases import (
    DISCLOSURE,
    FAMILY_MARKERS,
    FAMILY_PLACEHOLDER,
    FEE_ZERO,
    PHRASES,
    ZERO_FORBID,
    ZERO_NOUN_END,
    ZERO_NOUNS,
    ZERO_TRIGGER,
    Phrase,
)
from services.metric_extractor.sections import SectionLocator
from shared.messages.v1 import Period, Qualifier, SectionKind

_SENTENCE_END = re.compile(r"[。!?！？;；\n|]")
_CLAUSE_END = re.compile(r"[。!?！？;；\n|,，]")
_GAP_FORBIDDEN = re.compile(r"[0-9,，、。;；:：!?！？|\n]|其中")
MAX_GAP = 8  # chars between a label and its number: 行政诉讼数为27件, 培训班数共6次
MAX_GAP_PAREN = 12  # a parenthesised count: 信函申请是最主要的申请形式(14件
LOOKBACK = 48  # a label longer than this does not exist
_JOINERS = ("及", "和", "与", "、")

_WHOLE_SCOPE = re.compile(
    r"全(?:州|市|区|县|旗|省|盟|镇|乡)|我(?:州|市|区|县|旗|省|盟|镇|乡)|本(?:州|市|区|县|旗|省)(?!级)"
)
_SUB_SCOPE = re.compile(
    r"本级|市级|县级|州级|区级|乡级|镇级|各县|县区|县\(区\)|县（区）|各区|各乡|乡镇|街道|市直|州直|区直"
)
_CUMULATIVE = re.compile(r"累计|历年")
_DISCLOSURE_RE = re.compile(DISCLOSURE)
_ZERO_NOUNS_RE = re.compile("|".join(f"(?P<n{i}>{z.noun}){ZERO_NOUN_END}" for i, z in enumerate(ZERO_NOUNS)))
_ZERO_KINDS = frozenset({"review_litigation", "requests", "fees_costs"})


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
    """Sentence and clause starts by bisection over precomputed boundary offsets."""

    def __init__(self, text: str) -> None:
        self._sentence = [m.end() for m in _SENTENCE_END.finditer(text)]
        self._clause = [m.end() for m in _CLAUSE_END.finditer(text)]

    @staticmethod
    def _start(bounds: list[int], pos: int) -> int:
        i = bisect.bisect_right(bounds, pos) - 1
        return bounds[i] if i >= 0 else 0

    def sentence_start(self, pos: int) -> int:
        return self._start(self._sentence, pos)

    def clause_start(self, pos: int) -> int:
        return self._start(self._clause, pos)


def _gap_ok(gap: str) -> bool:
    limit = MAX_GAP_PAREN if gap.endswith(("(", "（")) else MAX_GAP
    return len(gap) <= limit and not _GAP_FORBIDDEN.search(gap) and not DELTA_RE.search(gap)


def _applies(phrase: Phrase, sentence: str, kind: SectionKind | None) -> bool:
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


def _label_before(text: str, q: Quantity, sentences: _Sentences, locate: SectionLocator) -> tuple[str, int] | None:
    """(key, label start) of the label governing `q`, preferring the closest, then the longest."""
    sentence_start = sentences.sentence_start(q.start)
    window_start = max(sentence_start, q.start - LOOKBACK)
    window = text[window_start : q.start]
    sentence = text[sentence_start : q.start]
    kind = locate.kind_at(q.start)
    best: tuple[int, int, str] | None = None
    for phrase in PHRASES:
        if phrase.after or q.unit not in phrase.units or not _applies(phrase, sentence, kind):
            continue
        for m in phrase.pattern.finditer(window):
            if not m.group() or not _gap_ok(window[m.end() :]):
                continue
            key = phrase.key
            if FAMILY_PLACEHOLDER in key:
                family = _family(text, sentence_start, window_start + m.start())
                if family is None:
                    continue
                key = key.replace(FAMILY_PLACEHOLDER, family)
            rank = (m.end(), -m.start())
            if best is None or rank > best[:2]:
                best = (m.end(), -m.start(), key)
    if best is None or _joined_label(window[: -best[1]]):
        return None
    return best[2], window_start - best[1]


def _joined_label(before: str) -> bool:
    """True when another label is joined to this one (予以公开及部分公开258件): a combined count."""
    if not before.endswith(_JOINERS):
        return False
    head = before[:-1]
    return any(m.end() == len(head) for phrase in PHRASES if not phrase.after for m in phrase.pattern.finditer(head))


def _label_after(text: str, q: Quantity, sentences: _Sentences, locate: SectionLocator) -> tuple[str, int] | None:
    """(key, label end) for a label that follows its number: 2件不予公开."""
    sentence = text[sentences.sentence_start(q.start) : q.end + 8]
    kind = locate.kind_at(q.start)
    for phrase in PHRASES:
        if phrase.after and q.unit in phrase.units and _applies(phrase, sentence, kind):
            m = phrase.pattern.match(text, q.end)
            if m:
                return phrase.key, m.end()
    return None


def _scope(text: str, q: Quantity, sentences: _Sentences) -> int:
    sentence = text[sentences.sentence_start(q.start) : q.start]
    clause = text[sentences.clause_start(q.start) : q.start]
    if _SUB_SCOPE.search(clause) or "其中" in sentence:
        return -1
    return 1 if _WHOLE_SCOPE.search(sentence) else 0


def _quantity_facts(
    text: str, sentences: _Sentences, locate: SectionLocator, skip: list[tuple[int, int]]
) -> list[TextFact]:
    facts: list[TextFact] = []
    for q in find_quantities(text):
        if any(start <= q.start < end for start, end in skip):
            continue  # numbers inside parsed tables are read from their cells
        before = _label_before(text, q, sentences, locate)
        if before is not None:
            (key, start), end = before, q.end
        else:
            after = _label_after(text, q, sentences, locate)
            if after is None:
                continue
            (key, end), start = after, q.start
        clause = text[sentences.clause_start(q.start) : q.start]
        period: Period = "cumulative" if _CUMULATIVE.search(clause) else "annual"
        scope = _scope(text, q, sentences)
        facts.append(TextFact(key, q.value, q.unit, q.qualifier, period, *locate.kinds_at(start), start, end, scope))
    return facts


def _zero_facts(text: str, sentences: _Sentences, locate: SectionLocator) -> list[TextFact]:
    """Facts of value 0 from negative statements; partial negatives (投诉并被纠正的) are skipped."""
    facts = [
        TextFact("fees.collected", 0, "元", None, "annual", *locate.kinds_at(m.start()), m.start(), m.end(), 0)
        for m in FEE_ZERO.finditer(text)
    ]
    for trigger in ZERO_TRIGGER.finditer(text):
        clause_end = _CLAUSE_END.search(text, trigger.end())
        clause = text[trigger.end() : clause_end.start() if clause_end else len(text)]
        sentence = text[sentences.sentence_start(trigger.start()) : trigger.end() + len(clause)]
        kind = locate.kind_at(trigger.start())
        if ZERO_FORBID.search(clause) or not (_DISCLOSURE_RE.search(sentence) or kind in _ZERO_KINDS):
            continue
        for m in _ZERO_NOUNS_RE.finditer(clause):
            key = ZERO_NOUNS[int(str(m.lastgroup)[1:])].key
            end = trigger.end() + m.end()
            facts.append(
                TextFact(key, 0, "件", None, "annual", *locate.kinds_at(trigger.start()), trigger.start(), end, 0)
            )
    return facts


def find_text_facts(text: str, locate: SectionLocator, skip: list[tuple[int, int]]) -> list[TextFact]:
    """Every catalog statement in the prose of `text`, before choosing among restatements."""
    sentences = _Sentences(text)
    return _quantity_facts(text, sentences, locate, skip) + _zero_facts(text, sentences, locate)
