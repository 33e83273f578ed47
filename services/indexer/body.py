"""The part of a report that search matches and highlights: its text without page chrome.

Why: a hit should open with the passage that matched, and ranking should not count words that the
chrome repeats in every report. Chrome here is what sits above the report proper — the crawler's or
CMS's header block (标题:/发布时间:/文号:/发布机构:/栏目:/原始链接:/正文:, 索引号:/发布日期:/主题分类:…),
the title line (the `title` field holds it) — and the intro's outline sentence, which lists the title
of every part (全文包括总体情况、主动公开政府信息情况、…) and so matches most queries about any of them.
The full text stays in `text`: fact and section offsets refer to it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from shared.messages import Section

HEADER_LABELS = (
    "标题", "发布时间", "发布日期", "发文日期", "成文日期", "废止日期", "文号", "发布机构", "栏目", "原始链接",
    "正文", "索引号", "主题分类", "分类", "关键词", "主题词", "内容概述", "时效", "名称", "来源", "信息来源",
)  # fmt: skip
# A label may be spaced out (索 引 号, 文  号) and follow table pipes of a flattened header table.
_LABELS = "|".join(r"\s*".join(label) for label in HEADER_LABELS)
_HEADER_LINE = re.compile(rf"^[|\s]*(?:{_LABELS})\s*:")
_BODY_LABEL = re.compile(r"^[|\s]*正\s*文\s*:\s*")
HEADER_SCAN_LINES = 30  # the header block sits in the first lines; deeper lines are never dropped
MAX_HEADER_LINE = 200  # a longer line that starts with a label is a one-line body, kept whole

_SENTENCE = re.compile(r"[^。\n]+。?")
_OUTLINE_CUE = re.compile(r"(?:全文|报告|年报)(?:内容)?(?:主要)?(?:包括|包含|由|分为)")
_LIST_SEPARATOR = re.compile(r"[、,，:：;；]")
# List items that name a part of the report: 概述, …情况, 存在的主要问题, 其他需要报告的事项, 改进措施, 附表.
_PART_TITLE = re.compile(r"情况|概述|问题|事项|措施|思路|打算|附表")
MIN_OUTLINE_PARTS = 3


def _is_chrome_line(line: str, title: str | None) -> bool:
    core = line.strip("| \t")
    if not core:
        return True
    if title and core.rstrip("| ") == title:
        return True
    return len(line) <= MAX_HEADER_LINE and bool(_HEADER_LINE.match(line))


def strip_header(text: str, title: str | None) -> str:
    """Drop the leading block of header-label, title and blank lines; text after `正文:` on its line stays."""
    lines = text.split("\n")
    first = 0
    while first < min(len(lines), HEADER_SCAN_LINES):
        line = lines[first]
        if (opened := _BODY_LABEL.match(line)) and line[opened.end() :].strip():
            lines[first] = line[opened.end() :]
            break
        if not _is_chrome_line(line, title):
            break
        first += 1
    return "\n".join(lines[first:])


def is_outline_sentence(sentence: str) -> bool:
    """`全文包括A、B、C…` / `本报告由A,B,C…组成`: a cue, then at least three part titles."""
    cue = _OUTLINE_CUE.search(sentence)
    if not cue:
        return False
    parts = _LIST_SEPARATOR.split(sentence[cue.end() :])
    return sum(1 for part in parts if _PART_TITLE.search(part)) >= MIN_OUTLINE_PARTS


def strip_outline(text: str, intro_end: int) -> str:
    """Remove outline sentences from the intro (before the first heading); the body below is not touched."""
    intro = _SENTENCE.sub(lambda m: "" if is_outline_sentence(m.group(0)) else m.group(0), text[:intro_end])
    return intro + text[intro_end:]


def search_body(text: str, title: str | None, sections: Sequence[Section]) -> str:
    """The text a search matches and highlights (see the module docstring)."""
    intro_end = min((s.start for s in sections), default=len(text))
    return strip_header(strip_outline(text, intro_end), title).strip()
