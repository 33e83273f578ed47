"""Text normalization: the exact text every downstream offset refers to.

One output line per source line/paragraph/table row. Widths are folded the way the seed corpus
already is (`，（）：；` → ASCII) with a hand-made table instead of NFKC, because NFKC turns
enumerators into digits (`①12件` → `112件`, `⒈` → `1.`). Traditional script is converted only when
a ratio test fires; Taiwan-phrase text gets `tw2sp` so 檔案/網路/程式 come back as 文件/网络/程序.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from opencc import OpenCC

from shared.messages.v1 import Script

_T2S = OpenCC("t2s")
_TW2SP = OpenCC("tw2sp")


def _translation_table() -> dict[int, str | int | None]:
    """Kangxi radicals → ideographs, full-width ASCII → ASCII, odd spaces → space, controls out."""
    table: dict[int, str | int | None] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
    table.update({cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)})
    for cp in (0x00A0, 0x3000, 0x202F, 0x205F, *range(0x2000, 0x200B)):
        table[cp] = " "
    for cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, *range(0x00, 0x09), 0x0B, *range(0x0E, 0x1C)):
        table[cp] = None
    table[0x09] = " "
    return table


_TABLE = _translation_table()
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Words that s2twp-style conversion introduces; two distinct ones mark a Taiwan-phrase text
# (one alone is not enough: mainland traditional pages write 檔案館 for 档案馆).
_TW_MARKERS = (
    "檔案", "網路", "程式", "入口網站", "套用", "計畫", "資料庫", "軟體",
    "網際網路", "簡訊", "最佳化", "螢幕", "巨觀", "資訊", "觸控",
)  # fmt: skip
# tw2sp also "corrects" words that mainland text uses as they are (建立→创建, 整合→集成, 效能→性能,
# 查詢→查找, 檔案局→文件局, 資料→数据): shield them and convert them with plain t2s instead.
_TW_SHIELD = re.compile(r"建立|整合|效能|查詢|檔案(?=[局館室])|資料(?!庫)")
_SHIELDED = re.compile("\ue000(\\d+)\ue001")
_TRADITIONAL_RATIO = 0.06
_PINYIN = re.compile(
    r"(?<=[\u4e00-\u9fff])(?:\((?:[zcs]h|[bpmfdtnlgkhjqxrzcsyw])?"
    r"[aeiouüvāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+(?:ng|n|r)?\))+"
)
_SPACE_RUN = re.compile(r" {2,}")
_CHROME_TOKENS = frozenset(
    [
        "打印本页",
        "打印",
        "关闭窗口",
        "关闭",
        "关闭本页",
        "收藏",
        "加入收藏",
        "返回顶部",
        "返回",
        "保存",
        "打印此页",
        "打印文章",
        "【",
        "】",
        "[",
        "]",
        "|",
        "大",
        "中",
        "小",
        "字号",
        "字体",
        "默认",
        "复制链接",
        "纠错",
    ]
)
_CHROME_LINE = re.compile(
    r"^(?:分享到|扫一扫|责任编辑\s*:|•?\s*您好\s*,?\s*欢迎(?:来到|访问|光临)|"
    r"(?:浏览|点击|阅读|访问)(?:次数|量|数)\s*:|【?发表评论】?|相关文章$|"
    r"相关词条$|热门词条$|联络我们$|联系我们$|基本介绍$)"
)
# A whole line is chrome only when short: a crawler that flattened the page puts the breadcrumb in
# front of the entire report body on one line (docs/flattening.md, page chrome).
_CHROME_LINE_MAX = 60
# Pieces of page chrome that open a line; they are cut off one by one and the rest is kept.
_CRUMB = re.compile(r"(?:您的|当前|所在)位置\s*:?\s*")
_CRUMB_STEP = re.compile(r"[^\s>»›/→|]{1,12}(?:\s*[>»›/→|]\s*|\s+|$)")
_NOT_A_CRUMB = re.compile(r"[\d,。;]|^[一二三四五六七八九十]+、|^\(")
_FIELD = re.compile(
    r"(?:(?:信息|文章)?来源|发布(?:时间|日期|机构)|时间|日期|作者|(?:浏览|点击|阅读|访问)(?:次数|量|数))\s*:\s*"
    r"(?:(?:19|20)\d\d[-./年]\d{1,2}[-./月]\d{1,2}日?(?:\s+\d{1,2}:\d\d(?::\d\d)?)?|[^\s|]{1,40})"
)
_SHARE = re.compile(
    r"(?:(?:字号|字体)\s*:?\s*(?:[大中小](?=[\s|\]】]|$)\s*){0,3}|"
    r"(?:分享到\s*:?|分享|微信|微博|QQ空间|QQ|新浪微博|腾讯微博|全真版|文字版|打印本页|打印|关闭窗口|关闭|收藏|默认|[【】\[\]|])"
    r"(?=[\s【】\[\]|]|$))"
)
_ROW_WITH_VALUES = re.compile(r"^[^|]{1,20}\|\s*\d")  # a table row (`微信 | 310 |`) has no chrome prefix
_HEADLINE = re.compile(r"[^\s]{6,60}?(?:报告|年报)(?=\s|$)")
_REMOVED_SHARE_WARN = 0.30  # of the characters; chrome lines are a few percent of a real report page
_QR_LINE = re.compile(r"二维码|扫码|手机(?:扫描|打开)")
_INFOBOX_START = "基本介绍"
_PIPES_ONLY = re.compile(r"^[|\s]*$")
# Glued dates (docs/flattening.md, dropped characters in dates): 年/月 lost between digits; the
# digit run after the year is split into month+day only when exactly one split is a valid date.
_GLUED_DAY = re.compile(r"(?<![\d.])((?:19|20)\d\d)(\d{2,4})日")
_GLUED_MONTH = re.compile(r"(?<![\d.])((?:19|20)\d\d)(1[0-2]|[1-9])月")
_GLUED_DOCNO = re.compile(r"([〔﹝［\[【])((?:19|20)\d\d)(\d{1,4})号")
_CLOSERS = {"〔": "〕", "﹝": "﹞", "［": "］", "[": "]", "【": "】"}


@dataclass
class Cleaned:
    """Normalized text plus what cleanup learnt: the script and the chrome lines it dropped."""

    text: str
    script: Script
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def fold(text: str) -> str:
    """Width folding, Kangxi radicals and space variants in one pass (enumerators untouched)."""
    return text.translate(_TABLE)


def t2s(text: str) -> str:
    """Plain traditional → simplified conversion, without the ratio test (a fragment of a text known to be
    traditional)."""
    return _T2S.convert(text)


def traditional_ratio(text: str) -> float:
    """Share of CJK characters that t2s would change (char-level, on a 20k-char sample)."""
    sample = text[:20000]
    chars = sorted(set(_CJK.findall(sample)))
    if not chars:
        return 0.0
    converted = _T2S.convert("\n".join(chars)).split("\n")
    changed = {c for c, s in zip(chars, converted, strict=False) if c != s}
    total = sum(1 for _ in _CJK.finditer(sample))
    return sum(1 for ch in sample if ch in changed) / total


def tw2sp(text: str) -> str:
    """Taiwan-phrase conversion without its over-corrections of shared vocabulary."""
    held: list[str] = []

    def hold(m: re.Match[str]) -> str:
        held.append(m.group(0))
        return f"\ue000{len(held) - 1}\ue001"

    converted = _TW2SP.convert(_TW_SHIELD.sub(hold, text))
    return _SHIELDED.sub(lambda m: _T2S.convert(held[int(m.group(1))]), converted)


def to_simplified(text: str) -> tuple[str, Script, list[str]]:
    """Convert traditional text to simplified when the ratio test fires."""
    ratio = traditional_ratio(text)
    if ratio < _TRADITIONAL_RATIO:
        return text, "simplified", []
    markers = [m for m in _TW_MARKERS if m in text]
    if len(markers) >= 2:
        note = f"traditional script ({ratio:.0%}) with Taiwan phrases ({'、'.join(markers[:4])}): tw2sp"
        return tw2sp(text), "traditional", [note]
    # 政府資訊公開 is the Taiwan name of 政府信息公开 even where it is the text's only Taiwan word
    converted = _T2S.convert(text).replace("资讯公开", "信息公开")
    return converted, "traditional", [f"traditional script ({ratio:.0%}): t2s"]


def strip_pinyin(text: str) -> str:
    """Remove SEO pinyin injections `政(zheng)府(fu)`; only when they recur (≥3), to spare `(app)`."""
    if len(_PINYIN.findall(text, 0, 200000)) < 3:
        return text
    return _PINYIN.sub("", text)


def _chrome_piece(line: str, pos: int, fields: bool) -> int:
    """End of a chrome piece (breadcrumb, labelled field, share/print token) at `pos`, or `pos`."""
    if crumb := _CRUMB.match(line, pos):
        end = crumb.end()
        while (step := _CRUMB_STEP.match(line, end)) and step.end() > end and not _NOT_A_CRUMB.search(step.group()):
            end = step.end()
        return end
    piece = (_FIELD.match(line, pos) if fields else None) or _SHARE.match(line, pos)
    return piece.end() if piece else pos


def strip_chrome_prefix(line: str) -> tuple[list[str], list[str]]:
    """Cut the page chrome that opens a line: (lines kept, pieces removed).

    A headline between the pieces (the report title after the breadcrumb) is kept as a line of
    its own, so that title detection finds it like any header line.

    Labelled fields (来源:, 时间:) are cut only from long lines: on a short header line such as
    `发布日期: | 2019-03-11 |` they are the page's own metadata.
    """
    fields = len(line) > _CHROME_LINE_MAX
    pos, kept, removed = 0, [], []
    while pos < len(line):
        start = pos + len(line[pos:]) - len(line[pos:].lstrip())
        end = _chrome_piece(line, start, fields)
        if end > start:
            removed.append(line[start:end].strip())
        elif removed and (headline := _HEADLINE.match(line, start)):
            kept.append(headline.group())
            end = headline.end()
        else:
            break
        pos = end
    if not removed:
        return [line], []
    return [piece for piece in [*kept, line[pos:].strip()] if piece], removed


def is_chrome(line: str) -> bool:
    """A short navigation/share/print line that is never report content."""
    core = line.strip("| ").strip()
    if not core:
        return False
    if len(core) <= _CHROME_LINE_MAX and _CHROME_LINE.match(core):
        return True
    if len(core) <= 24 and _QR_LINE.search(core):
        return True
    tokens = re.split(r"[\s|\[\]【】]+", core)
    return all(t in _CHROME_TOKENS for t in tokens if t)


def split_lines(text: str) -> list[str]:
    """Non-empty lines, spaces collapsed and trimmed."""
    lines = (_SPACE_RUN.sub(" ", raw).strip() for raw in text.splitlines())
    return [line for line in lines if line]


def drop_boilerplate(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split lines into (kept, removed); an infobox after 基本介绍 goes with it."""
    kept: list[str] = []
    removed: list[str] = []
    in_infobox = False
    for line in lines:
        if in_infobox and line.startswith("•"):
            removed.append(line)
            continue
        in_infobox = line == _INFOBOX_START
        rest, pieces = ([line], []) if _ROW_WITH_VALUES.search(line) else strip_chrome_prefix(line.strip("| "))
        if in_infobox or (not pieces and is_chrome(line)):
            removed.append(line)
            continue
        removed.extend(pieces)
        for piece in rest if pieces else [line]:
            (removed if is_chrome(piece) else kept).append(piece)
    while kept and _PIPES_ONLY.match(kept[-1]):
        removed.append(kept.pop())
    while kept and _PIPES_ONLY.match(kept[0]):
        removed.append(kept.pop(0))
    return kept, removed


def _month_day_splits(digits: str) -> list[tuple[int, int]]:
    """Every (month, day) reading of a glued digit run such as `1231` or `119`."""
    splits = []
    for cut in (1, 2):
        month, day = digits[:cut], digits[cut:]
        if not 1 <= len(day) <= 2 or (day[0] == "0" and len(day) == 1):
            continue
        if 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
            splits.append((int(month), int(day)))
    return splits


def repair_glued_dates(text: str) -> tuple[str, list[str]]:
    """Restore lost 年/月/〕 where the reading is unique; warn about the ambiguous rest."""
    warnings: list[str] = []

    def day(m: re.Match[str]) -> str:
        splits = _month_day_splits(m.group(2))
        if len(splits) == 1:
            month, dd = splits[0]
            return f"{m.group(1)}年{month}月{dd}日"
        if splits:
            warnings.append(f"ambiguous glued date left as is: {m.group(0)}")
        return m.group(0)

    text = _GLUED_DAY.sub(day, text)
    text = _GLUED_MONTH.sub(r"\1年\2月", text)
    text = _GLUED_DOCNO.sub(lambda m: f"{m.group(1)}{m.group(2)}{_CLOSERS[m.group(1)]}{m.group(3)}号", text)
    return text, warnings


def removal_warnings(kept: list[str], removed: list[str]) -> list[str]:
    """Cleanup should only ever shave chrome off: a large removed share means a body may be gone."""
    total = sum(map(len, kept)) + sum(map(len, removed))
    share = sum(map(len, removed)) / total if total else 0.0
    return [f"cleanup removed {share:.0%} of the text as page chrome"] if share > _REMOVED_SHARE_WARN else []


def clean_text(raw: str) -> Cleaned:
    """Fold, convert script, strip chrome and repair glued dates; keeps one line per source line."""
    text, script, warnings = to_simplified(fold(raw))
    kept, removed = drop_boilerplate(split_lines(strip_pinyin(text)))
    text, date_warnings = repair_glued_dates("\n".join(kept))
    warnings += removal_warnings(kept, removed)
    return Cleaned(text=text, script=script, removed=removed, warnings=warnings + date_warnings)
