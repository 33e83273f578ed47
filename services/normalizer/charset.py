"""Bytes → str for text-like inputs (HTML, plain text).

Order: BOM, then the HTML meta charset, then strict UTF-8, then charset-normalizer restricted to
the encodings Chinese sites use. GB2312/GBK are decoded as their superset GB18030 and Big5 as
Big5-HKSCS, so rare characters survive instead of becoming U+FFFD.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from shared.failures import PermanentError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "big5": "big5hkscs",
    "cp950": "big5hkscs",
    "x-big5": "big5hkscs",
}
# Chinese reports only; BOM-less UTF-16 is sniffed separately (any even-length garbage "decodes" as it)
_CANDIDATES = ["utf_8", "gb18030", "big5hkscs"]
_UTF16_LE = re.compile(rb"(?:[\x09\x0a\x0d\x20-\x7e]\x00){8}")
_UTF16_BE = re.compile(rb"(?:\x00[\x09\x0a\x0d\x20-\x7e]){8}")


def canonical(encoding: str) -> str:
    """Python codec name, widened to the superset the label is commonly used for."""
    name = encoding.strip().lower()
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return name
    return _SUPERSETS.get(name, _SUPERSETS.get(encoding.strip().lower(), name))


def sniff_bom(content: bytes) -> str | None:
    return next((enc for bom, enc in _BOMS if content.startswith(bom)), None)


def sniff_utf16(content: bytes) -> str | None:
    """BOM-less UTF-16 (Windows exports) shows ASCII characters paired with NUL bytes."""
    head = content[:4096]
    if _UTF16_LE.search(head) and head[:1] != b"\x00":
        return "utf-16-le"
    return "utf-16-be" if _UTF16_BE.search(head) else None


def decode_text(content: bytes, *, html: bool = False) -> tuple[str, str]:
    """Decode `content`; returns (text, encoding used). Raises PermanentError when nothing fits."""
    bom = sniff_bom(content) or sniff_utf16(content)
    if bom:
        try:
            return content.decode(bom), bom
        except UnicodeDecodeError as exc:
            raise PermanentError(f"text looks like {bom} (BOM or NUL pattern) but is not valid {bom}") from exc
    tried: list[str] = []
    if html and (match := _META_CHARSET.search(content[:8192])):
        declared = canonical(match.group(1).decode("ascii", "replace"))
        try:
            return content.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            tried.append(declared)  # pages often lie about their charset; fall through
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        tried.append("utf-8")
    best = from_bytes(content, cp_isolation=_CANDIDATES).best()
    if best is not None and best.encoding:
        encoding = canonical(best.encoding)
        try:
            return content.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            tried.append(encoding)
    raise PermanentError(
        "cannot decode the text: it is not valid in any supported encoding "
        f"(tried {', '.join(dict.fromkeys(tried))}, GB18030, Big5); the file may be corrupt or binary"
    )
