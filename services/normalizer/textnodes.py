"""Rejoin sentences that crawler text broke at every inline element.

A crawler that writes one line per HTML text node turns `统计期限自<span>2018</span>年1月` into
`统计期限自\n2018\n年1月`, so a number leaves its sentence and its unit (docs/flattening.md, "crawler
text"). A bare number or a lone punctuation line is glued back when the next line continues it
(a unit, a date word, punctuation) — the signature of a broken sentence. A table cell written one
per line is followed by another cell or a row label, never by a unit, so tables stay as they are;
a heading line is never extended by the sentence after it.
"""

from __future__ import annotations

import re

_NUMBER = re.compile(r"[-+]?\d[\d,.]*%?")
_PUNCTUATION = re.compile(r"[,、.:;)\]】〕》”’\"'(\[【〔《“‘\-—~～/·]+")
# What a line may start with when it continues the number before it: units, date and count words,
# punctuation. 一/二 (ordinals of the next heading or row) are deliberately absent.
_CONTINUES_NUMBER = frozenset(
    "年月日号时分秒条件个次人篇份项期批家所名位元万亿千百余多户页起场部套台辆张册本类幅倍%,、.;:)】〕》”’-—~～至"
)
_ORDINAL = re.compile(r"\d{1,2}[.、]|[(]\d{1,2}[)]|[一二三四五六七八九十]{1,3}、|[(][一二三四五六七八九十]{1,3}[)]")
_SENTENCE_END = frozenset("。!?;")
_HEADING = re.compile(r"\s*(?:[一二三四五六七八九十]+[、.]|[(][一二三四五六七八九十\d]+[)]|\d+[、.](?!\d))")


def rejoin_text_nodes(text: str) -> str:
    """`text` with number and punctuation fragments glued back into the sentences they came from."""
    lines = text.split("\n")
    out: list[str] = []
    glue_next = False
    for index, line in enumerate(lines):
        fragment = line.strip()
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if glue_next and out and fragment:
            out[-1] += fragment
            glue_next = _joins_next(fragment, following)
            continue
        glue_next = _joins_next(fragment, following)
        if glue_next:
            if out and _open(out[-1]) and not _ORDINAL.fullmatch(fragment):
                out[-1] += fragment
            else:
                out.append(fragment)  # a sentence or heading starts here: it keeps its own line
            continue
        if out and _PUNCTUATION.fullmatch(fragment) and _open(out[-1]):
            out[-1] += fragment  # a lone `,` or `)` closes the line before it
            continue
        out.append(line)
    return "\n".join(out)


def _joins_next(fragment: str, following: str) -> bool:
    """A number followed by its unit, a bare ordinal marker, or punctuation that opens or continues a sentence."""
    if not following:
        return False
    if _ORDINAL.fullmatch(fragment):
        return True  # a heading or list marker alone on its line: its title follows
    if _NUMBER.fullmatch(fragment):
        return following[0] in _CONTINUES_NUMBER
    return bool(_PUNCTUATION.fullmatch(fragment)) and fragment[-1] not in _SENTENCE_END


def _open(previous: str) -> bool:
    """The line before a fragment is an unfinished sentence, not a finished one or a heading."""
    stripped = previous.rstrip()
    return bool(stripped) and stripped[-1] not in _SENTENCE_END and not _HEADING.match(previous)
