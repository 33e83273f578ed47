"""Counted quantities in prose: a number with its unit and qualifier, minus the number traps.

Only a number followed by a measure word can be a metric, which already rules out phone numbers,
postcodes, 索引号, dates (年/月/日), document numbers (〔2014〕12号) and percentages. What remains
to reject here: ordinals (第三次), ranges (1至2次), and year-on-year deltas (较上年增加12件).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shared.messages.v1 import Qualifier

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_CHARS = "".join(_CN_DIGITS) + "十百千万"

UNITS = ("人次", "万元", "亿元", "元", "件", "条", "份", "起", "次", "期", "场", "篇", "项", "个", "宗", "人")
# Longer digit runs are glued table cells or identifiers, never a stated count (and int() refuses > 4300).
MAX_DIGITS = 15

# ASCII and full-width digits, not \d: \d would accept other scripts; enumerators like ① never match,
# so ①12件 → 12. Full-width digits survive in texts that did not pass the normalizer's folding.
_D = "0-9０-９"
QUANTITY_RE = re.compile(
    rf"(?P<pre>约|大约|近|将近|接近|超过|逾|不足|不到)?"
    rf"(?:(?P<arabic>[{_D}]{{1,3}}(?:,[{_D}]{{3}})+|[{_D}]+)(?P<frac>\.[{_D}]+)?\s*(?P<mul>[万亿](?!元))?"
    rf"|(?P<chinese>[{_CN_CHARS}]+))"
    rf"\s*(?P<post>余|多)?\s*(?P<unit>{'|'.join(UNITS)})(?P<tail>以上|左右|以下|以内|多)?"
)

_PRE_QUALIFIER: dict[str, Qualifier] = {
    "约": "approx",
    "大约": "approx",
    "近": "approx",
    "将近": "approx",
    "接近": "approx",
    "超过": "gt",
    "逾": "gt",
    "不足": "lt",
    "不到": "lt",
}
_POST_QUALIFIER: dict[str, Qualifier] = {
    "余": "gt",
    "多": "gt",
    "以上": "gt",
    "左右": "approx",
    "以下": "lt",
    "以内": "lt",
}

# 数十件, 几十件, 上百条 are vague amounts, not 10 or 100 (docs/policies.md, ambiguous means nothing).
_VAGUE = ("数", "几", "上", "若干")
_RANGE_BEFORE = re.compile(rf"[{_D}{_CN_CHARS}]\s*(?:至|到|~|～|-|—|–|－)+\s*$")
_RANGE_AFTER = re.compile(rf"\s*(?:至|到|~|～|-|—|–|－)+\s*[{_D}]")
DELTA_RE = re.compile(
    r"同比|环比|较(?:去|上|前)一?年|比(?:去|上|前)一?年|增长|增加|减少|下降|上升|回落|提高|增幅|降幅|增/减|增减"
)


@dataclass(frozen=True)
class Quantity:
    """A number as stated: value in `unit` (万/亿 counts already multiplied), its span and qualifier."""

    value: int | float
    unit: str  # "" for a bare zero (数量为0): any label's unit applies
    qualifier: Qualifier | None
    start: int  # first char of the number (or of a leading qualifier such as 约)
    number_start: int
    end: int


def parse_chinese(numeral: str) -> int | None:
    """Value of a Chinese numeral such as 三, 十二, 两千三百, 一万二千; None if malformed."""
    total, section, digit = 0, 0, None
    for char in numeral:
        if char in _CN_DIGITS:
            if digit is not None and digit != 0:
                return None  # two digits in a row (一二) is a list, not a number
            digit = _CN_DIGITS[char]
        elif char in _CN_SMALL_UNITS:
            section += (1 if digit is None else digit) * _CN_SMALL_UNITS[char]
            digit = None
        elif char == "万":
            total += ((section + (digit or 0)) or 1) * 10_000  # 万 alone (近万条) is 10000
            section, digit = 0, None
    return total + section + (digit or 0)


def _number(match: re.Match[str]) -> int | float | None:
    if match["chinese"]:
        return parse_chinese(match["chinese"])
    digits = match["arabic"].replace(",", "")
    if len(digits) > MAX_DIGITS:
        return None
    value: int | float = int(digits)
    if match["frac"]:
        value = float(digits + match["frac"][: MAX_DIGITS + 1])
    if match["mul"]:
        value *= 10_000 if match["mul"] == "万" else 100_000_000
        value = int(value) if float(value).is_integer() else value
    return value


def _is_money_unit(match: re.Match[str]) -> bool:
    """`万元`/`千元` with no digit before it is a unit heading a blank cell (费用 万元), not ten thousand 元."""
    numeral = match["chinese"] or ""
    return bool(numeral) and match["unit"] == "元" and set(numeral) <= set("百千万")  # 十元 is still ten 元


def _is_trap(text: str, match: re.Match[str]) -> bool:
    number_start = match.start("arabic") if match["arabic"] else match.start("chinese")
    before = text[max(0, number_start - 8) : number_start]
    return (
        _is_money_unit(match)
        or before.endswith("第")
        or bool(match["chinese"] and before.endswith(_VAGUE))
        or bool(_RANGE_BEFORE.search(before))
        or bool(_RANGE_AFTER.match(text, match.end()))
        or bool(DELTA_RE.search(before[-6:]))
    )


# Counts without a measure word take the unit of their key: a zero after 数量为/金额为/均为 (政策解读数量为0,
# 行政复议和行政诉讼均为零), and a count whose share follows (部分公开67,占4.61%).
_BARE_ZERO = re.compile(r"(?:数|量|额|均|都)为\s*(?P<zero>0|零)(?![0-9.])(?=\s*(?:[,，。;；)）]|$))")
_BARE_SHARE = re.compile(rf"(?<![{_D}.,])(?P<count>[{_D}]{{1,6}})(?=\s*[,，(（]\s*占\s*[{_D}.]+\s*%)")


def find_quantities(text: str, offset: int = 0) -> list[Quantity]:
    """Every counted quantity in `text` that is not a number trap, in text order, offsets + `offset`."""
    found: list[Quantity] = []
    for match in QUANTITY_RE.finditer(text):
        if _is_trap(text, match):
            continue
        value = _number(match)
        if value is None:
            continue
        qualifier = _PRE_QUALIFIER.get(match["pre"] or "") or _POST_QUALIFIER.get(match["post"] or match["tail"] or "")
        number_start = match.start("arabic") if match["arabic"] else match.start("chinese")
        start, end = offset + match.start(), offset + match.end()
        found.append(Quantity(value, match["unit"], qualifier, start, offset + number_start, end))
    for match in _BARE_ZERO.finditer(text):
        start, end = offset + match.start("zero"), offset + match.end("zero")
        found.append(Quantity(0, "", None, start, start, end))
    for match in _BARE_SHARE.finditer(text):
        start, end = offset + match.start("count"), offset + match.end("count")
        found.append(Quantity(int(match["count"]), "", None, start, start, end))
    return sorted(found, key=lambda q: q.start)
