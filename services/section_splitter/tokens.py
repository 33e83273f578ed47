"""Tokenise a flattened table region into label text, numbers, empty cells and sentence stops.

Line structure is not trusted (§3.2): `|`, newlines and spaces are all just separators. A
whitespace-only cell between pipes is an EMPTY token (a blank template cell or colspan
padding); `。` is a STOP token because table cells never contain sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

TokenKind = Literal["text", "num", "empty", "stop"]

MARKDOWN_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}")
_WORD = re.compile(r"[^\s|]+")
_STOP = re.compile(r"[。！？!?]")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?(?:万元|元)?")
_ORDINAL_TAIL = frozenset(".、．")
_FOLD = str.maketrans("（）：，．；", "():,.;")


@dataclass(frozen=True)
class Token:
    kind: TokenKind
    text: str
    start: int
    end: int


def fold_label(text: str) -> str:
    """Whitespace-free, width-folded form used to match row labels."""
    return re.sub(r"\s+", "", text).translate(_FOLD)


def tokenize(text: str, start: int, end: int) -> Iterator[Token]:
    """Yield the tokens of text[start:end] with absolute offsets."""
    pos = start
    markdown = _has_markdown_rule(text, start, end)
    while pos < end:
        eol = text.find("\n", pos, end)
        eol = end if eol < 0 else eol
        yield from _line(text, pos, eol, markdown)
        pos = eol + 1


def _has_markdown_rule(text: str, start: int, end: int) -> bool:
    return any(MARKDOWN_RULE.match(line) for line in text[start:end].split("\n"))


def _line(text: str, start: int, end: int, markdown: bool) -> Iterator[Token]:
    line = text[start:end]
    if markdown and MARKDOWN_RULE.match(line):
        return
    if "|" not in line:
        yield from _words(text, start, end)
        return
    cells: list[tuple[int, int]] = []
    cell_start = start
    for i in range(start, end):
        if text[i] == "|":
            cells.append((cell_start, i))
            cell_start = i + 1
    cells.append((cell_start, end))
    # `cell |` rows end with a separator; markdown rows also open with one.
    if not text[cells[-1][0] : cells[-1][1]].strip():
        cells.pop()
    if markdown and cells and not text[cells[0][0] : cells[0][1]].strip():
        cells.pop(0)
    for cell_start, cell_end in cells:
        if text[cell_start:cell_end].strip():
            yield from _words(text, cell_start, cell_end)
        else:
            yield Token("empty", "", cell_start, cell_end)


def _words(text: str, start: int, end: int) -> Iterator[Token]:
    for word in _WORD.finditer(text, start, end):
        yield from _chunks(word.group(), word.start())


def _chunks(word: str, offset: int) -> Iterator[Token]:
    """Split `一、本年新收…数量3512000038` or `…0000000 3.其他` into labels and numbers.

    A digit directly followed by `.`/`、` and a non-digit is the next label's ordinal
    (`00000003.其他` → `0000000`, `3.其他`), never part of a value.
    """
    pos = 0
    text_start = 0
    while pos < len(word):
        stop = _STOP.match(word, pos)
        if stop:
            if text_start < pos:
                yield Token("text", word[text_start:pos], offset + text_start, offset + pos)
            yield Token("stop", stop.group(), offset + pos, offset + stop.end())
            pos = text_start = stop.end()
            continue
        number = _NUMBER.match(word, pos) if _can_start_number(word, pos) else None
        if number is None:
            pos += 1
            continue
        num_end = number.end()
        if num_end < len(word) and word[num_end] in _ORDINAL_TAIL and not word[num_end + 1 : num_end + 2].isdigit():
            num_end -= 1  # the last digit is the ordinal of the next label
        if num_end <= pos or not word[pos:num_end].lstrip("+-"):
            pos = number.end()
            continue
        if text_start < pos:
            yield Token("text", word[text_start:pos], offset + text_start, offset + pos)
        yield Token("num", word[pos:num_end], offset + pos, offset + num_end)
        pos = text_start = num_end
        if pos < number.end():  # skip the ordinal digit so it stays with its label
            pos = number.end()
    if text_start < len(word):
        yield Token("text", word[text_start:], offset + text_start, offset + len(word))


def _can_start_number(word: str, pos: int) -> bool:
    char = word[pos]
    if char in "+-":
        return pos == 0 and len(word) > 1 and word[1].isdigit()
    return char.isdigit() and (pos == 0 or not word[pos - 1].isdigit())
