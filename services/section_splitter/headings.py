"""Heading detection for flattened report text.

Headings are found in three passes: every ordinal marker at a line start or after an inline
boundary becomes a candidate with a *form* (stand-alone line, title followed by a space, or a
run-in paragraph lead ending in `。`); levels are then assigned relative to the numbering styles
seen so far; documents without `一、` headings fall back to short unnumbered lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Form = Literal["line", "spaced", "runin", "unnumbered"]

_CN = "一二三四五六七八九十"
_SPACE = " \t\xa0\u3000"
# One alternative per numbering family; the group name is the family (see _family()).
_MARKER = re.compile(
    rf"(?P<cn>[{_CN}]{{1,3}})[{_SPACE}]*[、.．]"
    rf"|(?P<pcn>[(（][{_SPACE}]*[{_CN}]{{1,3}}[{_SPACE}]*[)）]|[㈠-㈩])"
    rf"|(?P<num>\d{{1,2}})[{_SPACE}]*[.、．](?![\d.])|(?P<numd>[⒈-⒛])"
    rf"|(?P<pnum>[(（][{_SPACE}]*\d{{1,2}}[{_SPACE}]*[)）]|[⑴-⒇])"
    r"|(?P<circ>[①-⑳])"
)
_FAMILY = {"cn": "cn", "pcn": "pcn", "num": "num", "numd": "num", "pnum": "pnum", "circ": "circ"}
_INLINE_AFTER = frozenset("。)）|!?！？")
_GAP = re.compile(rf"[{_SPACE}]+")
_TITLE_START = re.compile(r"[\u4e00-\u9fff“\"《「0-9A-Za-z]")
# A heading names a topic; it never states a count ("共收到申请5件").
_COUNT = re.compile(r"\d+\s*(?:件|条|次|个|人次|项|万?元|%|家|篇|份)")
_BODYISH = re.compile(r"[,，。;；:：\d]")
_NUMERIC_TOKEN = re.compile(r"[+-]?\d+(?:\.\d+)?$")
_MAX_LINE = 40
_MAX_INLINE = 30
_BODY_LINE = 40
_UNNUMBERED = re.compile(r"[^。,，;；:：!?！？|•·()（）]{2,25}")


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


def find_headings(text: str, masked: Sequence[tuple[int, int]] = ()) -> list[Heading]:
    """Return the report's headings in text order; `masked` spans (tables) are ignored."""
    candidates = [c for c in _numbered_candidates(text) if not _inside(c.start, masked)]
    headings = _assign_levels(candidates, [])
    if not any(h.family == "cn" for h in headings):
        unnumbered = _unnumbered(text, masked)
        if unnumbered:
            headings = _assign_levels(candidates, unnumbered)
    return headings


def _inside(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start <= pos < end for start, end in spans)


def _numbered_candidates(text: str) -> list[_Candidate]:
    found = []
    for match in _MARKER.finditer(text):
        if not _at_boundary(text, match.start()):
            continue
        parsed = _title_after(text, match.end())
        if parsed is None:
            continue
        title, form = parsed
        family = _FAMILY[match.lastgroup or "cn"]
        number = match.group(match.lastgroup or 0) if family in ("cn", "num") else match.group(0)
        found.append(_Candidate(match.start(), re.sub(rf"[{_SPACE}]", "", number), title, family, form))
    return found


def _at_boundary(text: str, pos: int) -> bool:
    """A marker starts a heading at a line start, or inline after a space or sentence end."""
    i = pos - 1
    spaced = False
    while i >= 0 and text[i] in _SPACE:
        i -= 1
        spaced = True
    return i < 0 or text[i] == "\n" or spaced or text[i] in _INLINE_AFTER


def _title_after(text: str, pos: int) -> tuple[str, Form] | None:
    eol = text.find("\n", pos)
    eol = len(text) if eol < 0 else eol
    while pos < eol and text[pos] in _SPACE:
        pos += 1
    rest = text[pos:eol].rstrip(_SPACE)
    if not rest or not _TITLE_START.match(rest):
        return None
    ends = [i for i in (rest.find("。"), rest.find("|")) if i >= 0]
    gap = _GAP.search(rest)
    stop = min(ends) if ends else len(rest)
    if gap and gap.start() < stop:
        if rest[gap.end() : gap.end() + 1] == "。":
            title, form = rest[: gap.start()], _runin_or_line(rest, gap.end())
        else:
            title, form = _split_spaced(rest, gap)
    elif stop < len(rest) and rest[stop] == "|":
        return None
    elif stop < len(rest):
        title, form = rest[:stop], _runin_or_line(rest, stop)
    else:
        title, form = rest, "line"
    title = title.strip(_SPACE)
    return (title, form) if _plausible(title, form) else None


def _runin_or_line(rest: str, dot: int) -> Form:
    return "runin" if rest[dot + 1 :].strip(_SPACE) else "line"


def _split_spaced(rest: str, gap: re.Match[str]) -> tuple[str, Form]:
    """`(一)加强组织领导 建立了…` → spaced title; `一、概 述` keeps its internal space."""
    head, tail = rest[: gap.start()], rest[gap.end() :]
    if len(head) == 1:  # 概 述 / 引 言: a spaced-out short title
        nxt = _GAP.search(tail)
        word = tail[: nxt.start()] if nxt else tail
        if len(word) <= 3 and not _BODYISH.search(word):
            head = rest[: gap.end() + len(word)]
            tail = tail[len(word) :].strip(_SPACE)
            if not tail:
                return head, "line"
    first_token = tail.split()[0] if tail.split() else ""
    if _NUMERIC_TOKEN.match(first_token):
        return "", "spaced"  # a table row such as `(一)予以公开 2 1 0`
    if len(rest) <= _MAX_LINE and not _BODYISH.search(tail) and len(tail) <= 12:
        return rest, "line"
    return head, "spaced"


def _plausible(title: str, form: Form) -> bool:
    limit = _MAX_LINE if form == "line" else _MAX_INLINE
    if not title or len(title) > limit or _COUNT.search(title):
        return False
    if title[-1] in ",，:：;；、":
        return False
    return not (form == "spaced" and re.search(r"[,，;；:：]", title))


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
    return (
        bool(_UNNUMBERED.fullmatch(line))
        and not line.endswith(("报告", "图", "年报"))
        and not _COUNT.search(line)
        and not _marker_line(line)
    )


def _marker_line(line: str) -> bool:
    match = _MARKER.match(line)
    return bool(match) and _title_after(line, match.end()) is not None


def _is_body(line: str) -> bool:
    return "。" in line or len(line) >= _BODY_LINE


def _assign_levels(candidates: Sequence[_Candidate], unnumbered: Sequence[tuple[_Candidate, int]]) -> list[Heading]:
    """Relative levels: a family keeps the level it first took under its parent.

    Run-in paragraph leads (`1.着力推进…。认真落实…`) count as headings only directly below a
    level-1 heading, and only when the document never prints that family as stand-alone lines.
    """
    fixed = {c.start: level for c, level in unnumbered}
    heading_families = {c.family for c in candidates if c.form != "runin"}
    merged = sorted([*candidates, *(c for c, _ in unnumbered)], key=lambda c: c.start)
    stack: list[tuple[str, int]] = []
    headings: list[Heading] = []
    for cand in merged:
        if cand.family == "unnumbered":
            level = fixed[cand.start]
            stack = [entry for entry in stack if entry[1] < level] + [(f"u{level}", level)]
        elif cand.family == "cn":
            level, stack = 1, [("cn", 1)]
        else:
            families = [family for family, _ in stack]
            if cand.family in families:
                keep = families.index(cand.family)
                level = stack[keep][1]
            else:
                keep = len(stack)
                level = min(stack[-1][1] + 1, 6) if stack else 1
            if cand.form == "runin" and (level > 2 or cand.family in heading_families):
                continue
            stack = [*stack[:keep], (cand.family, level)]
        number = cand.number or None
        headings.append(Heading(cand.start, level, number, cand.title, cand.family, cand.form))
    return headings
