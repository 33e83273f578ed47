"""Tokenise a flattened table region into label text, numbers, empty cells and sentence stops.

Line structure is not trusted (docs/flattening.md): `|`, newlines and spaces are all just separators. A
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
_MARKDOWN_LINE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}", re.M)
_WORD = re.compile(r"[^\s|]+")
_BAR = re.compile(r"\|")
# A sign counts only at the start of a cell (2019 表二 本年增/减: +1036, -3), or right after the
# previous cell's digits in a glued row (`行政许可120+35630`: 120 | +35630, never 1|2|0).
# Thousands separators (`30,293`) occur in big cities' cells; only exact 3-digit groups count.
_PIECE = re.compile(
    r"(?P<stop>[。！？!?])|(?P<num>(?:(?:^|(?<=\d))[+-])?(?<!\d)(?:\d{1,3}(?:,\d{3})+(?![\d,])|\d+)(?:\.\d+)?(?:万元|元)?)"
)
_ORDINAL_TAIL = frozenset(".、．")
_NUMBERED_HEADER = re.compile(r"\s*(?P<word>[\u4e00-\u9fff]{1,4})\s*\d{1,2}\s*")
_COUNTED_CELL = re.compile(r"\s*(?P<num>\d+)\s*(?:批|项|个|件|份|次|家|篇)\s*")
# Column codes printed inside header cells (`数据1`, `代码01`, `栏次3`) are label text (docs/tables.md).
_HEADER_CODE = re.compile(r"(?:数据|代码|栏次|行次|列次|序号|编号)$")
_PERCENT = frozenset("%％")
_CLOSING_QUOTES = frozenset("”’」』》\"")
_FOLD = str.maketrans("（）：，．；", "():,.;")
# A cell holding only a dash or slash is a blank (`—` on chapter rows of the statistics table,
# `–` for Shanghai's empty cells; docs/flattening.md): an EMPTY token, never label text.
_PLACEHOLDER = re.compile(r"[—–\-－/／\\×]+")
# Page chrome inside a table that a PDF page break cut (`- 3 -`, `第 4 页 共 9 页`, `Page 9`): no cells.
_PAGE_NUMBER = re.compile(
    r"\s*(?:[—–\-－]+\s*\d{1,3}\s*[—–\-－]+|第\s*\d{1,3}\s*页(?:\s*,?\s*共\s*\d{1,3}\s*页)?"
    r"|共\s*\d{1,3}\s*页\s*,?\s*第\s*\d{1,3}\s*页|(?:Page|P\.)\s*\d{1,3})\s*"
)


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
    markdown = bool(_MARKDOWN_LINE.search(text, start, end))
    while pos < end:
        eol = text.find("\n", pos, end)
        eol = end if eol < 0 else eol
        yield from _line(text, pos, eol, markdown)
        pos = eol + 1


def _line(text: str, start: int, end: int, markdown: bool) -> Iterator[Token]:
    line = text[start:end]
    if (markdown and MARKDOWN_RULE.match(line)) or _PAGE_NUMBER.fullmatch(line):
        return
    if "|" not in line:
        yield from _words(text, start, end)
        return
    cells: list[tuple[int, int]] = []
    cell_start = start
    for bar in _BAR.finditer(text, start, end):
        cells.append((cell_start, bar.start()))
        cell_start = bar.end()
    cells.append((cell_start, end))
    # `cell |` rows end with a separator; markdown rows also open with one.
    if not text[cells[-1][0] : cells[-1][1]].strip():
        cells.pop()
    # Markdown rows open with a separator too, even without a `|---|` rule line.
    opens = markdown or (line.lstrip().startswith("|") and any(text[a:b].strip() for a, b in cells))
    if opens and len(cells) > 1 and not text[cells[0][0] : cells[0][1]].strip():
        cells.pop(0)
    numbered = _numbered_headers(text, cells)
    for cell_start, cell_end in cells:
        counted = _COUNTED_CELL.fullmatch(text, cell_start, cell_end)
        if counted:  # `3批`: the cell's counter word is not label text
            yield Token("num", counted.group("num"), counted.start("num"), counted.end("num"))
        elif (cell_start, cell_end) in numbered:
            yield Token("text", text[cell_start:cell_end].strip(), cell_start, cell_end)
        elif text[cell_start:cell_end].strip():
            yield from _words(text, cell_start, cell_end)
        else:
            yield Token("empty", "", cell_start, cell_end)


def _numbered_headers(text: str, cells: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """Cells of a header row that numbers its columns (`数据1 | 数据2 | …`, `列1 | 列2`): all label text."""
    prefixes: dict[str, list[tuple[int, int]]] = {}
    for cell in cells:
        header = _NUMBERED_HEADER.fullmatch(text, *cell)
        if header:
            prefixes.setdefault(header.group("word"), []).append(cell)
    return {cell for group in prefixes.values() if len(group) > 1 for cell in group}


def _words(text: str, start: int, end: int) -> Iterator[Token]:
    for word in _WORD.finditer(text, start, end):
        if _PLACEHOLDER.fullmatch(word.group()):
            yield Token("empty", "", word.start(), word.end())
        else:
            yield from _chunks(word.group(), word.start())


def _chunks(word: str, offset: int) -> Iterator[Token]:
    """Split `一、本年新收…数量351200038` or `…00000003.其他` into labels and numbers.

    A digit directly followed by `.`/`、` and a non-digit is the next label's ordinal
    (`00000003.其他` → `0000000`, `3.其他`), never part of a value.
    """
    pos = 0
    for piece in _PIECE.finditer(word):
        begin, end = piece.span()
        kind: TokenKind = "stop" if piece.lastgroup == "stop" else "num"
        if kind == "num" and end - begin <= 2 and _HEADER_CODE.search(word, 0, begin):
            continue
        if kind == "num" and word[end : end + 1] in _CLOSING_QUOTES:
            continue  # `“免予公开范围1”数`: a number inside a quoted row name is label text
        if kind == "num" and word[end : end + 1] in _PERCENT:
            end += 1  # `100%` (全文电子化率): a rate fills its cell but is never a count
            kind = "empty"
        if kind == "num" and end < len(word) and word[end] in _ORDINAL_TAIL and not word[end + 1 : end + 2].isdigit():
            end -= 1
            if end <= begin:
                continue  # a bare ordinal stays with its label
        if pos < begin:
            yield Token("text", word[pos:begin], offset + pos, offset + begin)
        yield Token(kind, word[begin:end], offset + begin, offset + end)
        pos = end
    if pos < len(word):
        yield Token("text", word[pos:], offset + pos, offset + len(word))
