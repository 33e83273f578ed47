"""Heading detection for flattened report text.

Headings are found in three passes: every ordinal marker at a line start or after an inline
boundary becomes a candidate with a *form* (stand-alone line, title followed by a space, a
run-in paragraph lead ending in `。`, or a title glued to its body); levels are then assigned
relative to the numbering styles seen so far; documents without `一、` headings fall back to
short unnumbered lines. The outline is two levels deep (docs/sections.md): deeper ordinals
still take part in level assignment but are list items, not sections.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .kinds import title_kind
from .layouts import TABLE_HEADER_START

Form = Literal["line", "spaced", "runin", "glued", "unnumbered"]

_CN = "一二三四五六七八九十"
_SPACE = " \t\xa0\u3000"
# One alternative per numbering family; the group name maps to the family in _FAMILY. `第一部分`
# and `第一章` head the parts of some reports; where they occur they are the top level.
_MARKER = re.compile(
    rf"(?P<part>第[{_SPACE}]*[{_CN}]{{1,3}}[{_SPACE}]*(?:部[{_SPACE}]*分|章))[{_SPACE}]*[:：、.．]?"
    rf"|(?P<cn>[{_CN}]{{1,3}})[{_SPACE}]*[、.．]"
    rf"|(?P<pcn>[(（][{_SPACE}]*[{_CN}]{{1,3}}[{_SPACE}]*[)）]|[㈠-㈩])"
    rf"|(?P<num>\d{{1,2}})[{_SPACE}]*[.、．](?![\d.])|(?P<numd>[⒈-⒛])"
    rf"|(?P<pnum>[(（][{_SPACE}]*\d{{1,2}}[{_SPACE}]*[)）]|[⑴-⒇])"
    r"|(?P<circ>[①-⑳])"
)
_FAMILY = {"part": "part", "cn": "cn", "pcn": "pcn", "num": "num", "numd": "num", "pnum": "pnum", "circ": "circ"}
_TOP = ("part", "cn")  # the families that may be the top level (docs/sections.md)
_MAX_LEVEL = 2
# Characters that make a word with the numeral after them (`统一、`, `之一、`, `第一、`).
_NUMERAL_WORDS = frozenset("统唯之第同单万逐专划如归不初")

# ---- where a title starts and stops
# Also after markup: a tag's `>` (HTML inside a script) and Markdown's `**`/`#` (converter output).
_INLINE_AFTER = frozenset("。)）|!?！？>*#")
_TITLE_START = re.compile(r"[\u4e00-\u9fff“\"《「0-9A-Za-z]")
_TITLE_STOPS = ("。", "|", "<", "**")
_GAP = re.compile(rf"[{_SPACE}]+")
# PDF letter spacing: single characters (ideographs, digits of a year, `、`) one space apart.
_SPACED_CHAR = r"[\u4e00-\u9fff\d、]"
_LETTER_SPACED = re.compile(rf"{_SPACED_CHAR}(?:[{_SPACE}]+{_SPACED_CHAR}(?!{_SPACED_CHAR}))+")
_SPACED_DATE = re.compile(rf"\d[{_SPACE}]*[年月]$")
# A PDF wraps only long titles, and the wrapped tail is short.
_WRAP_HEAD = 8
_WRAP_TAIL = 10
_JOINERS = "及和与、的"
_PAIRS = (("“", "”"), ("《", "》"), ("(", ")"), ("（", "）"))
_MAX_LINE = 40
_MAX_INLINE = 30
# Characters read after a marker: a title and enough body to judge it; keeps one-line bodies
# with thousands of markers linear.
_WINDOW = 200

# ---- what a title is not
# A heading names a topic; it never states a count ("共收到申请5件") nor carries a phone
# number or a statistics row's glued cells ("网站公开条2987651").
_COUNT = re.compile(r"\d+\s*(?:件|条|次|个|人次|项|万?元|%|家|篇|份)|(?<!第)[条件]\d|\d{3,}-\d|\d{6,}")
_BODYISH = re.compile(r"[,，。;；:：\d]")
# A title followed by a space holds no clause break; a colon only before a subtitle (`附表:统计表`).
_SPACED_PUNCT = re.compile(r"[,，;；]|[:：].*\d")

# ---- tables next to titles
_UNIT = r"(?:条|件次|件|人次|次|个|万元|元|项|篇|期|场|人|份|起|家)"
_ENDS_COUNT = re.compile(rf"\d[{_SPACE}]*{_UNIT}$")
# What follows a statistics-table row label: a unit cell (`| 条 | 36 |`, `条 298 7651`, `条 公开…`
# with blank cells lost), a value, or an empty cell (`| |`); possessive, so that one pipe alone
# (`| 2023 年,…`, `|信息内容`) is not an empty cell.
_ROW_TAIL = re.compile(
    rf"[{_SPACE}]*+\|?+[{_SPACE}]*+(?:{_UNIT}(?=[{_SPACE}|]|$)"
    rf"|[+-]?\d+(?:\.\d+)?(?![{_SPACE}]*[年月日号])(?=[{_SPACE}|]|$)|\|)"
)
# A unit cell alone on the next line: the label of a statistics row printed one cell per line
# (`2.传真申请数` / `条` / `1`).
_UNIT_CELL = re.compile(rf"[{_SPACE}|]*{_UNIT}[{_SPACE}|]*(?:\n|$)")

# ---- titles glued to their body (docs/sections.md, one-line bodies)
# Words that end a section title; a glued title is cut after one of them when body text, not
# more title, follows.
_TITLE_END = r"(?:情况|概[述况]|引言|方面|措施|问题|数量|类别|形式|事项|附表|打算|思路|安排|展望)"
# `附件` ends a glued title too, but a marker after it (`附件1.…`) opens no heading.
_TITLE_END_AT = re.compile(rf"{_TITLE_END}|附件")
_ENDS_LIKE_TITLE = re.compile(rf"(?:{_TITLE_END}|工作|建设|机制|制度|管理|保障|平台|领导)$")
_CONTINUES = re.compile(rf"[及和与、的或暨]|{_TITLE_END}|说明|统计|工作|汇总|一览")
_SHORT_TAIL = 15  # an unpunctuated tail up to this long still belongs to the title
_SHORT_RUN = 6  # `整改情况` after `问题`: two title words run on
_MIN_SENTENCE = 4  # a body after a known title is at least this long (`主动公开内容` is one title)
# Weaker: words a title often ends with, and words a body sentence often opens with.
_TITLE_FINAL = re.compile(
    rf"{_TITLE_END}|建设|水平|公开|机制|保障|说明|困难|工作|管理|制度|领导|力度|作用|成效|质量|效率|意识|能力"
    r"|体系|渠道|平台|服务|监督|培训|宣传|落实|规范|实效|》|”"
)
_BODY_START = re.compile(
    r"在(?!线)|对(?!接|照|标)|为(?!民)|自(?!查|身|觉|主)|从(?!严)|我|[市县区](?:财政|公安|政府|委|直|级|属)|围绕|根据|按照|依据|依托|通过|严格|积极|进一步|坚持|结合|针对|开展|认真|不断|截[至止]"
    r"|按时|及时|切实|修订|印发|制定|出台|召开|举办|持续|强化|加强|完善|健全|推进|深化|优化|加大|注重|高度重视|成立"
    r"|扎实|着力|聚焦|紧扣|紧紧围绕|全面|[\u4e00-\u9fff]{2}了|建立健全|(?:\d{1,2}|[一二三四五六七八九十]{1,2})月"
    r"|由于|目前|今年|去年|全年|本年度?|近年来|一年来|暂?无|没有|未|本(?:机关|局|单位|部门|委|办|院)|局领导"
    r"|全[省市县区镇乡]|各[级单位部门县区乡镇]"
)
# A sentence's subject (`本机关严格执行…`, `我县…`, `全县各部门…`): no title goes on with it.
_SUBJECT = re.compile(
    r"我(?:们|[省市县区镇乡局委办厅院])|本(?:机关|局|单位|部门|委|办|院|县|市|区)|全[省市县区镇乡]各|[省市县区](?:委|政府)"
    r"|各(?:乡镇|街道|部门|单位|县区|级)"
)
# Words that open a sentence, never the second half of a title (`加强组织领导今年全县…。`).
_OPENER = re.compile(
    rf"{_SUBJECT.pattern}|今年|去年|全年|本年度?|近年来|一年来|目前|截[至止]|根据|按照|依据|对照|由于|暂?无|没有|未|下一步"
)
# A clause opening like this is a sentence (`在局党组领导下,我局…`); titles open with a verb or a topic.
_NOT_TITLE_START = re.compile(r"[在我]|截[至止]|根据|按照|依据|由于|目前|今年|去年|全年")
_CLAUSES = re.compile(r"[,，]")
_YEAR = re.compile(rf"(?:(?:19|20)\d\d|[一二][〇零○][〇零○一二三四五六七八九]{{2}})[{_SPACE}]*年")
# A year after these closes a phrase or a subject (`截至2016年`, `我局2016年`), not a title.
_NOT_BEFORE_YEAR = frozenset("于在至截自从到为是对将及和与、,，的年第共局市县区委府下中后前时来内")
_SUBTITLE_END = re.compile(rf"[,，。;；\d]|{_YEAR.pattern}")
_FIRST_ITEM = re.compile(r"(?<![统唯之第同单])一是")

# ---- the titles a report announces
# The intro's list of parts: 全文分为A、B、C三部分 / 本报告由A、B…组成 / 报告共分6个部分:A、B…
_PARTS = re.compile(
    r"(?:全文|报告|年报)[^。]{0,6}?(?:分为|包括|包含|由|共分)[^。:：]{0,8}?[:：]?"
    r"(?P<parts>[^。]{4,300}?)(?:等?[共计]?[一二三四五六七八九十\d]+个?(?:部分|方面)|组成|。)"
)
_PART_SEP = re.compile(r"[、,，;；]|以及")
# The official section titles of the 2019/2021 templates and the 2007 条例 (docs/sections.md).
_OFFICIAL = (
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "政府信息公开行政复议、行政诉讼情况",
    "存在的主要问题及改进情况",
    "其他需要报告的事项",
    "政府信息公开的收费及减免情况",
)
# The sub-headings of 一、总体情况 in the 2021 template: a lexicon for `(一)` titles.
_OFFICIAL_SUBS = frozenset(("主动公开", "依申请公开", "政府信息管理", "政府信息公开平台建设", "监督保障"))

# ---- unnumbered fallback (wiki mirrors)
_UNNUMBERED = re.compile(rf"[^。,，;；:：!?！？|•·()（）]{{2,{_MAX_INLINE}}}")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_BODY_LINE = 40


@dataclass(frozen=True)
class Heading:
    """A detected heading; `start` is the offset of its ordinal (or first title char)."""

    start: int
    level: int
    number: str | None
    title: str
    family: str
    form: Form


@dataclass(frozen=True)
class _Candidate:
    start: int
    number: str
    title: str
    family: str
    form: Form
    sequel: bool = False  # a `X、`/`(X)` glued to text, kept only as the next ordinal


def find_headings(text: str, masked: Sequence[tuple[int, int]] = ()) -> list[Heading]:
    """Return the report's headings in text order; `masked` spans (tables) are ignored."""
    announced = _PARTS.search(text[:3000])
    lexicon = _lexicon(announced)
    # the intro's own list (`本报告包括一、概述,二、…`) names the parts; it opens none of them
    listed = [(announced.start("parts"), announced.end("parts"))] if announced else []
    candidates = _in_sequence(
        [
            c
            for c in _numbered_candidates(text, lexicon)
            if _outside_tables(c, masked, lexicon) and not (c.family in _TOP and _inside(c.start, listed))
        ]
    )
    headings = _assign_levels(candidates, [])
    if not any(h.family in _TOP for h in headings):
        unnumbered = _unnumbered(text, masked)
        if unnumbered:
            headings = _assign_levels(candidates, unnumbered)
    return [h for h in headings if h.level <= _MAX_LEVEL]


def _inside(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start <= pos < end for start, end in spans)


def _outside_tables(cand: _Candidate, masked: Sequence[tuple[int, int]], lexicon: frozenset[str]) -> bool:
    """A table span that runs over the next section's own title (one-line bodies) does not hide it."""
    return not _inside(cand.start, masked) or (cand.family in _TOP and cand.title in lexicon)


def _lexicon(match: re.Match[str] | None) -> frozenset[str]:
    """Section titles the report announces in its intro, plus the official template titles."""
    parts: set[str] = set(_OFFICIAL)
    if match:
        for listed in _PART_SEP.split(match.group("parts")):
            listed = re.sub(r"^(?:和|与|以及)", "", listed.strip(_SPACE))
            # `A和B` is one title (存在的主要问题和改进措施) or the last two items: keep all three
            for part in (listed, *listed.split("和")):
                if 2 <= len(part) <= _MAX_INLINE:
                    parts.add(part)
    return frozenset(parts)


def _numbered_candidates(text: str, lexicon: frozenset[str]) -> list[_Candidate]:
    """Every marker that opens a plausible title; announced titles only matter after `一、`,
    the template's sub-headings after `(一)`.

    A `X、` right after text that lost its `。` (`…成效二、主动公开情况全年…`) opens a section
    when its title names a section kind or ends like a title, a `(X)` there (`…明显成效(二)完善制度…`) when it has a
    title; `_in_sequence` then keeps either only as the next ordinal.
    """
    found = []
    for match in _MARKER.finditer(text):
        family = _FAMILY[match.lastgroup or "cn"]
        known = lexicon if family in _TOP else _OFFICIAL_SUBS if family == "pcn" else frozenset()
        opens = _at_boundary(text, match.start(), family)
        before = text[match.start() - 1 : match.start()]
        glued = (family == "cn" and before not in _NUMERAL_WORDS) or (family == "pcn" and before != "第")
        if not opens and not glued and not any(text.startswith(title, match.end()) for title in known):
            continue  # `统一、规范` inside a sentence; but `…件数三、收到和处理…情况` opens a part
        after = _MARKER.match(text, _skip_space(text, match.end()))
        if family == "cn" and after and after.lastgroup == "cn":
            continue  # `一、二、三类`: ordinals listed in a sentence
        parsed = _title_after(text, match.end(), known)
        if parsed is None:
            continue
        title, form = parsed
        sequel = not opens and title not in known
        if sequel and family == "cn" and title_kind(title) is None and not _ENDS_LIKE_TITLE.search(title):
            continue
        number = match.group(match.lastgroup or 0) if family in ("part", "cn", "num") else match.group(0)
        found.append(_Candidate(match.start(), re.sub(rf"[{_SPACE}]", "", number), title, family, form, sequel))
    return found


def _in_sequence(candidates: Sequence[_Candidate]) -> list[_Candidate]:
    """Drop glued `X、` and `(X)` candidates that do not continue their numbering: the top level
    across the report, `(X)` within its part (never `(一)`, which opens no sequence)."""
    kept: list[_Candidate] = []
    last = {"cn": 0, "pcn": 0}
    for cand in candidates:
        if cand.family not in last:
            if cand.family == "part":  # each part numbers its sections afresh
                last = {"cn": 0, "pcn": 0}
            kept.append(cand)
            continue
        value = _ordinal_value(cand.number)
        if cand.sequel and (value != last[cand.family] + 1 or (value == 1 and cand.family == "pcn")):
            continue
        kept.append(cand)
        last[cand.family] = value
        if cand.family == "cn":
            last["pcn"] = 0
    return kept


def _ordinal_value(number: str) -> int:
    """The value of a `X、` or `(X)` ordinal: 一 → 1, (十二) → 12, ㈢ → 3."""
    numeral = number.strip("()（）")
    if "㈠" <= numeral <= "㈩":
        return ord(numeral) - ord("㈠") + 1
    if "十" not in numeral:
        return _CN.index(numeral) + 1
    tens, _, units = numeral.rpartition("十")
    return (_CN.index(tens) + 1 if tens else 1) * 10 + (_CN.index(units) + 1 if units else 0)


def _at_boundary(text: str, pos: int, family: str) -> bool:
    """A marker starts a heading at a line start, or inline after a space or sentence end.

    On one-line bodies it also starts one right after a title (`…情况(一)`) or a count, and a
    top-level or `(一)` marker right after a colon, a table value (`…0000000四、`) or a URL.
    """
    i = pos - 1
    spaced = False
    while i >= 0 and text[i] in _SPACE:
        i -= 1
        spaced = True
    j = i
    while j >= 0 and (text[j] in _SPACE or text[j] == "\n"):
        j -= 1
    if j >= 0 and text[j] == "第":
        return False  # `第` + a PDF line break + `(一)项`: a reference, not a heading
    if family == "cn" and j < i and text[j] in _NUMERAL_WORDS:
        return False  # `…标准不统` + a PDF line break + `一、公开要素…`: the word 统一
    if i < 0 or text[i] == "\n" or spaced or text[i] in _INLINE_AFTER:
        return True
    if text[i] in ":：":  # `如下:(一)…`; but `措施如下:1.加强领导;2.…` is an enumeration
        return family in ("part", "cn", "pcn")
    if _ENDS_LIKE_TITLE.search(text, max(0, i - 3), i + 1):
        return True
    if family != "num" and _ENDS_COUNT.search(text, max(0, i - 4), i + 1):
        return True  # `…热线863件(3)政务服务…`: a sentence whose `。` was lost
    return family in ("part", "cn", "pcn") and ((text[i].isascii() and text[i].isalnum()) or text[i] == "元")


def _title_after(text: str, pos: int, lexicon: frozenset[str]) -> tuple[str, Form] | None:
    """The title after a marker and its form, or None when what follows is no title.

    Order matters: a title glued to body or a table header is cut first; a title whose own
    line continues with table cells is a table row label, not a heading.
    """
    pos = _skip_space(text, pos)
    rest = _line_at(text, pos, lexicon).rstrip(_SPACE)
    if not rest or not _TITLE_START.match(rest):
        return None
    spaced_out = _spaced_out(rest)
    if spaced_out:
        title, form = _split_spaced(rest, spaced_out, rest[len(spaced_out) :], lexicon)
    else:
        parsed = _unspaced_title(rest, lexicon)
        if parsed is None:
            return None
        title, form = parsed
    title = title.strip(_SPACE)
    if form == "line" and _next_line_is_unit(text, pos):
        return None  # a statistics row label, one cell per line
    if form == "line" and rest.rstrip(_SPACE + "|").endswith("。") and _body_line_follows(text, pos):
        form = "runin"  # a bold lead `(1)公开标准方面。` in its own text node, its paragraph below
    if title[-1:] in (":", "：") and _ENDS_LIKE_TITLE.search(title, 0, len(title) - 1):
        title = title[:-1]  # `一、总体情况:` on its own line
    return (title, form) if _plausible(title, form) else None


def _body_line_follows(text: str, pos: int) -> bool:
    """The next non-empty line is text, not another numbered item."""
    eol = text.find("\n", pos, pos + _WINDOW)
    if eol < 0:
        return False
    after = _skip_space(text, eol + 1, "\n")
    return after < len(text) and not _MARKER.match(text, after)


def _next_line_is_unit(text: str, pos: int) -> bool:
    """The line after the title holds a unit cell only: the title is a statistics row label."""
    eol = text.find("\n", pos, pos + _WINDOW)
    return eol >= 0 and bool(_UNIT_CELL.match(text, eol + 1))


def _unspaced_title(rest: str, lexicon: frozenset[str]) -> tuple[str, Form] | None:
    """A title printed without letter spacing: cut where it is glued to body or a table, or at
    its first space, `。` or cell pipe; None when the line is a table row."""
    ends = [i for i in (rest.find(end) for end in _TITLE_STOPS) if i >= 0]
    stop = min(ends) if ends else len(rest)
    gap = _gap(rest, stop)
    natural = rest[: gap.start() if gap else stop]
    glued = _glued_title(rest, natural, lexicon)
    if glued:
        return glued, "glued"
    if TABLE_HEADER_START.match(rest, _skip_space(rest, len(natural), "|")):
        return (natural, "line") if _plausible(natural, "line") else None  # the table opens the section
    if _ROW_TAIL.match(rest, len(natural)) and not _only_pipes(rest[len(natural) :]):
        return None  # a table row such as `2.传真申请数 | 条 | 0 |` or `(一)予以公开 2 1 0`
    if gap:
        if rest[gap.end() : gap.end() + 1] == "。":
            title, form = rest[: gap.start()], _runin_or_line(rest, gap.end())
        else:
            title, form = _split_spaced(rest, rest[: gap.start()], rest[gap.end() :], lexicon)
    elif stop < len(rest) and rest[stop] == "|":
        if not _only_pipes(rest[stop:]):
            return None  # a label cell followed by other cells
        title, form = rest[:stop], "line"
    elif stop < len(rest):
        title, form = rest[:stop], _runin_or_line(rest, stop)
    else:
        title, form = rest, "line"
    return title, form


def _line_at(text: str, pos: int, lexicon: frozenset[str], follow: bool = True) -> str:
    """The rest of the line (at most `_WINDOW` characters), continued across breaks that a
    crawler put inside a quotation (`(三)推行“一网` + `通` + `办”`, one text node per
    line) or that a PDF put inside a known part title (`二、主动公开政府信` + `息情况`)."""
    eol = text.find("\n", pos, pos + _WINDOW)
    if eol < 0:
        return text[pos : pos + _WINDOW]
    line = text[pos:eol]
    head = line.rstrip(_SPACE + "|")
    after = _skip_space(text, eol + 1)
    if not head and follow:  # `<b>一、</b><b>概述</b>`: marker and title are two text nodes
        title = _line_at(text, after, lexicon, follow=False)
        titled = _TITLE_START.match(title) and _CJK.search(title)  # `2019年工作思路`, not a lone cell `0`
        return title if titled and len(title.strip(_SPACE + "|")) <= _MAX_LINE else ""
    if head and follow and _wrapped(head, text[after : after + _WINDOW].split("\n", 1)[0], lexicon):
        return head + _line_at(text, after, lexicon, follow=False)
    joined, end = line, eol
    while _unbalanced(joined) and end < len(text) and len(joined) <= _MAX_LINE:
        nxt = text.find("\n", end + 1, end + 1 + _WINDOW)
        nxt = min(len(text), end + 1 + _WINDOW) if nxt < 0 else nxt
        joined, end = joined + text[end + 1 : nxt].strip(_SPACE), nxt
        if not _unbalanced(joined):
            return joined
    return line


def _wrapped(head: str, tail: str, lexicon: frozenset[str]) -> bool:
    """A PDF hard wrap inside a title: the line completes a known part title, or a long
    unpunctuated head that does not end like a title (or goes on with `及…`) is completed by a
    short tail that does (`四、因政府信息公开工作被申请行政复议提起行` + `政诉讼情况`), alone on
    the next line or before its `。` or space."""
    if any(title.startswith(head) and tail.startswith(title[len(head) :]) for title in lexicon if head != title):
        return True
    tail = re.split(rf"[。|{_SPACE}]", tail, maxsplit=1)[0]  # `情况。2018年,…`: a run-in lead's end
    return (
        len(head) >= _WRAP_HEAD
        and not _GAP.search(head)  # a spaced-out line (`主 要 工 作 概 述`) is whole
        and 0 < len(tail) <= _WRAP_TAIL
        and not _BODYISH.search(head + tail)
        and (not _ENDS_LIKE_TITLE.search(head) or tail[0] in _JOINERS)
        and bool(_ENDS_LIKE_TITLE.search(head + tail))
        and len(head + tail) <= _MAX_LINE
    )


def _unbalanced(line: str) -> bool:
    return any(line.count(opening) > line.count(closing) for opening, closing in _PAIRS)


def _only_pipes(tail: str) -> bool:
    return not tail.strip(_SPACE + "|")


def _gap(rest: str, stop: int) -> re.Match[str] | None:
    """The first space that ends a title; PDF spacing inside `2029 年`/`1 月`/`5 件` does not."""
    for gap in _GAP.finditer(rest, 0, stop):
        before, after = rest[gap.start() - 1 : gap.start()], rest[gap.end() : gap.end() + 1]
        if before.isdigit() and re.match(_UNIT + "|[年月日号]", after):
            continue
        if before in ("年", "月") and after.isdigit() and _SPACED_DATE.search(rest, 0, gap.start()):
            continue
        return gap
    return None


def _glued_title(rest: str, natural: str, lexicon: frozenset[str]) -> str | None:
    """The title at the head of `natural` when body text follows it without a separator.

    Cuts at the earliest of: the end of an announced title, a table header, a following
    ordinal marker or `一是`, a year that opens a sentence (`概述2016年,…`), or a title end
    word followed by body text (or by a sentence, after a section title). Weakest: any
    title-final word followed by a word that opens a sentence (`…平台建设持续优化…,…`); unless
    the whole run cannot be a title, only into a title without a comma and before a punctuated
    body (`理顺机制,统筹推进,队伍建设不断加强` stays whole), or before a sentence's subject
    (`监督保障本机关…`), or, when the run is a sentence, before a word that opens one
    (`加强组织领导今年全县…。`).
    """
    announced = [
        known
        for known in lexicon
        if natural.startswith(known) and not _CONTINUES.match(natural, len(known)) and not _longer_sub(natural, known)
    ]
    cuts = [
        len(known)
        for known in announced
        if _ends_title(natural[len(known) :])
        or (not _ENDS_LIKE_TITLE.search(natural) and len(natural) - len(known) >= _MIN_SENTENCE)
    ]
    table = TABLE_HEADER_START.search(rest, 2)
    if table and table.start() < len(natural):
        cuts.append(table.start())
    item = _FIRST_ITEM.search(natural, 2)
    if item:
        cuts.append(item.start())
    marker = next((m for m in _MARKER.finditer(natural, 2) if _opens_inside(rest, m)), None)
    if marker:
        cuts.append(marker.start())
    year = next((m for m in _YEAR.finditer(natural, 2) if natural[m.start() - 1] not in _NOT_BEFORE_YEAR), None)
    if year and _body_like(natural[year.end() :]):
        cuts.append(year.start())
    sentence = rest[len(natural) : len(natural) + 1] == "。"
    ends = list(_TITLE_END_AT.finditer(natural))
    end = next(
        (
            m
            for m, later in zip(ends, [*ends[1:], None], strict=False)
            if (_ends_title(natural[m.end() :]) or (sentence and _sentence_after_section(natural, m.end())))
            and not (later and _title_goes_on(natural, m.end(), later.end()))
        ),
        None,
    )
    if end:
        cuts.append(end.end())
    opens = [m.end() for m in _TITLE_FINAL.finditer(natural, 2) if sentence and _OPENER.match(natural, m.end())]
    weak = [m.end() for m in _TITLE_FINAL.finditer(natural, 2) if _BODY_START.match(natural, m.end())]
    if _plausible(natural, "line"):
        weak = [
            cut
            for cut in weak
            if _SUBJECT.match(natural, cut) or (_BODYISH.search(natural, cut) and not _CLAUSES.search(natural, 0, cut))
        ]
    cuts.extend(opens)
    cuts.extend(weak)
    for cut in sorted(cuts):
        title = natural[:cut].strip(_SPACE)
        if _plausible(title, "glued") and not any(_NOT_TITLE_START.match(part) for part in _CLAUSES.split(title)):
            return title
    return None


def _title_goes_on(natural: str, start: int, end: int) -> bool:
    """A short run to the next title end is more title (`问题` + `整改情况`), not body; but
    `主动公开方面,` opens a body paragraph by its topic."""
    between = natural[start:end]
    return (
        len(between) <= _SHORT_RUN
        and not _topic_lead(natural, end)
        and not _BODYISH.search(between)
        and not _BODY_START.match(between)
        and not _SUBJECT.match(between)
    )


def _longer_sub(natural: str, known: str) -> bool:
    """A template sub-heading that heads a longer title (`主动公开` + `政府信息的主要类别情况`):
    what follows opens no sentence and its first clause goes on to a title end."""
    tail = natural[len(known) :]
    clause = re.split(r"[,，:：;；]", tail, maxsplit=1)[0]
    return (
        known in _OFFICIAL_SUBS
        and not _BODY_START.match(tail)
        and bool(_TITLE_END_AT.search(clause))
        and not _topic_lead(tail, len(clause))
    )


def _topic_lead(text: str, end: int) -> bool:
    """`主动公开方面,`: a body paragraph opened by its topic, not the end of a title."""
    return text.endswith("方面", 0, end) and text[end : end + 1] in (",", "，")


def _sentence_after_section(natural: str, cut: int) -> bool:
    """A section title (one that names a kind: `概述`, `依申请公开情况`) followed by a whole
    short sentence (`县政务公开办加强对各单位的指导。`) that does not end like a title."""
    tail = natural[cut:]
    return (
        len(tail) >= _MIN_SENTENCE
        and not _CONTINUES.match(tail)
        and not _ENDS_LIKE_TITLE.search(tail)
        and title_kind(natural[:cut]) is not None
    )


def _opens_inside(rest: str, marker: re.Match[str]) -> bool:
    """A marker inside a run ends the title before it (`规范公开行为1、完善…`, `…情况㈠ 加强…`)."""
    if marker.lastgroup == "cn":  # `统一、规范` is a word, not a marker
        opens = _at_boundary(rest, marker.start(), "cn")
    else:
        opens = not rest[marker.start() - 1].isdigit()
    return opens and bool(_TITLE_START.match(rest, _skip_space(rest, marker.end())))


def _skip_space(text: str, pos: int, also: str = "") -> int:
    while pos < len(text) and (text[pos] in _SPACE or text[pos] in also):
        pos += 1
    return pos


def _ends_title(tail: str) -> bool:
    """Body text follows: not a continuation of the title (`及改进情况`, `和困难`)."""
    return bool(tail) and not _CONTINUES.match(tail) and _body_like(tail)


def _body_like(tail: str) -> bool:
    """Body text, as opposed to the rest of a title (`整改落实情况` after `问题`, `:年度统计表`)."""
    if tail[:1] in (":", "："):  # a subtitle up to the next clause, number or year is title
        tail = tail[1:]
        subtitle = _SUBTITLE_END.split(tail, maxsplit=1)[0]
        return len(subtitle) > _SHORT_TAIL or not subtitle or bool(_BODY_START.match(tail))
    return len(tail) > _SHORT_TAIL or bool(_BODYISH.search(tail) or _BODY_START.match(tail))


def _runin_or_line(rest: str, dot: int) -> Form:
    return "runin" if rest[dot + 1 :].strip(_SPACE) else "line"


def _spaced_out(rest: str) -> str:
    """A letter-spaced title at the head of the line (`概 述`, `行 政 复 议 、 行 政 诉 讼 情 况`,
    `2 0 1 9 年 工 作 思 路`), ending on an ideograph; empty when there is none."""
    match = _LETTER_SPACED.match(rest)
    if not match:
        return ""
    run = match.group().rstrip(_SPACE + "0123456789、")
    return run if len(_CJK.findall(run)) >= 2 and _CJK.match(run[-1]) else ""


def _split_spaced(rest: str, head: str, tail: str, lexicon: frozenset[str]) -> tuple[str, Form]:
    """`(一)加强组织领导 建立了…` → spaced title; a letter-spaced `一、概 述` keeps its spaces;
    a short unpunctuated tail, or a title word before the body, completes a title that does not
    look complete yet."""
    tail = tail.strip(_SPACE)
    if not tail:
        return head, "line"
    compact = _GAP.sub("", head)
    complete = compact in lexicon or _ENDS_LIKE_TITLE.search(compact)
    if not complete and len(rest) <= _MAX_LINE and not _BODYISH.search(tail) and len(tail) <= 12:
        return rest, "line"
    word = _GAP.split(tail, maxsplit=1)[0]
    if not complete and _completes(word) and len(word) < len(tail):
        return f"{head} {word}", "spaced"  # `二、主动公开 政府信息情况 全年…`: a space inside the title
    return head, "spaced"


def _completes(word: str) -> bool:
    """A short unpunctuated word that ends a title and opens no sentence (`政府信息情况`)."""
    return (
        len(word) <= _SHORT_RUN * 2
        and not _BODYISH.search(word)
        and bool(_ENDS_LIKE_TITLE.search(word))
        and not _BODY_START.match(word)
        and not _SUBJECT.match(word)
    )


def _plausible(title: str, form: Form) -> bool:
    """Short, no count, no dangling clause; a spaced title holds no clause break."""
    limit = _MAX_LINE if form == "line" else _MAX_INLINE
    if not title or len(_GAP.sub("", title)) > limit or _COUNT.search(title):
        return False
    if title[-1] in ",，:：;；、" or ";" in title or "；" in title:
        return False
    return not (form == "spaced" and _SPACED_PUNCT.search(title))


def _unnumbered(text: str, masked: Sequence[tuple[int, int]]) -> list[tuple[_Candidate, int]]:
    """Short stand-alone lines followed by body text (wiki-style pages without ordinals).

    A line set off by blank lines on both sides is top-level; a heading directly followed by
    another heading is that heading's parent; otherwise a heading is a sibling of the last one.
    """
    raw_lines = text.split("\n")
    lines: list[tuple[int, str, bool]] = []  # (offset, stripped line, set off by blank lines)
    pos = 0
    for i, raw in enumerate(raw_lines):
        stripped = raw.strip(_SPACE)
        if stripped and not _inside(pos, masked):
            isolated = _blank(raw_lines, i - 1) and _blank(raw_lines, i + 1)
            lines.append((pos + raw.index(stripped[0]), stripped, isolated))
        pos += len(raw) + 1
    accepted = [False] * len(lines)
    for i in range(len(lines) - 2, -1, -1):
        nxt = lines[i + 1][1]
        accepted[i] = _looks_unnumbered(lines[i][1]) and (accepted[i + 1] or _is_body(nxt) or _marker_line(nxt))
    result: list[tuple[_Candidate, int]] = []
    for i, (start, line, isolated) in enumerate(lines):
        if not accepted[i]:
            continue
        if isolated or not result:
            level = 1
        elif accepted[i - 1]:
            level = min(result[-1][1] + 1, 6)
        else:
            level = result[-1][1]
        result.append((_Candidate(start, "", line, "unnumbered", "unnumbered"), level))
    return result


def _blank(lines: Sequence[str], index: int) -> bool:
    return not 0 <= index < len(lines) or not lines[index].strip(_SPACE)


def _looks_unnumbered(line: str) -> bool:
    """A title-like line: short, mostly CJK (never a script fragment such as `}]`), no count.

    The digits of a year (`2019年工作思路`) do not count against it; a bare date is no title.
    """
    cjk = len(_CJK.findall(line))
    return (
        bool(_UNNUMBERED.fullmatch(line))
        and cjk - sum(line.count(unit) for unit in "年月日") >= 2
        and cjk >= 0.8 * len(re.sub(r"[\d ]", "", line))
        and not line.endswith(("报告", "图", "年报"))
        and not _COUNT.search(line)
        and not _marker_line(line)
    )


def _marker_line(line: str) -> bool:
    match = _MARKER.match(line)
    return bool(match) and _title_after(line, match.end(), frozenset()) is not None


def _is_body(line: str) -> bool:
    return "。" in line or len(line) >= _BODY_LINE


def _assign_levels(candidates: Sequence[_Candidate], unnumbered: Sequence[tuple[_Candidate, int]]) -> list[Heading]:
    """Relative levels: a family keeps the level it first took under its parent.

    The top level is `一、`, or `第一部分` where a report has parts (then `一、` is the second
    level). A run-in lead `(一)标题。正文` is a sub-heading directly below a level-1 heading: `(一)`
    (`一、` under parts) is the official second level, whatever the other parts of the report
    print. Run-in leads of the other families (`1.着力推进…。`, `(1)…。`) are paragraph items.
    """
    top = "part" if any(c.family == "part" for c in candidates) else "cn"
    second = "cn" if top == "part" else "pcn"
    fixed = {c.start: level for c, level in unnumbered}
    merged = sorted([*candidates, *(c for c, _ in unnumbered)], key=lambda c: c.start)
    stack: list[tuple[str, int]] = []
    headings: list[Heading] = []
    for cand in merged:
        if cand.family == "unnumbered":
            level = fixed[cand.start]
            stack = [entry for entry in stack if entry[1] < level] + [(f"u{level}", level)]
        elif cand.family == top:
            level, stack = 1, [(top, 1)]
        else:
            families = [family for family, _ in stack]
            if cand.family in families:
                keep = families.index(cand.family)
                level = stack[keep][1]
            else:
                keep = len(stack)
                level = min(stack[-1][1] + 1, 6) if stack else 1
            if cand.form == "runin" and (level > 2 or cand.family != second):
                continue
            stack = [*stack[:keep], (cand.family, level)]
        number = cand.number or None
        headings.append(Heading(cand.start, level, number, cand.title, cand.family, cand.form))
    return headings
