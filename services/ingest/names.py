"""The one safe-name rule for every path built from a name that arrives from outside.

Folder entries, Object Store object names, S3 keys and message fields (`filename`) all end up as
file names under the bucket directory. Whatever they contain, the result is one path component:
no separators, no `.`/`..`, no control characters, no leading dot (it would hide the file), and at
most MAX_NAME_BYTES of UTF-8, the extension kept. Pure: no I/O.
"""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

NAME_LIMIT_BYTES = 255
"""ext4/xfs/APFS limit of one path component, in bytes (a CJK character is 3 bytes in UTF-8)."""
ERROR_SUFFIX = ".error.txt"
DUPLICATE_SUFFIX = ".duplicate.txt"
MAX_NAME_BYTES = NAME_LIMIT_BYTES - len(DUPLICATE_SUFFIX)
"""241 bytes: the notes `<name>.error.txt` / `<name>.duplicate.txt` must still fit beside any safe name."""
TAG_LENGTH = 12
"""Hex characters of the report id (or hash) that tag a failed/ name: 48 bits, no collision in practice."""
_MAX_SUFFIX_BYTES = 16
_FALLBACK = "report"


def _truncate(text: str, max_bytes: int) -> str:
    """Longest prefix of `text` within `max_bytes` of UTF-8, never splitting a character."""
    return text.encode("utf-8")[:max_bytes].decode("utf-8", errors="ignore")


def _split(name: str) -> tuple[str, str]:
    """(stem, extension); an over-long or odd "extension" is part of the stem."""
    suffix = Path(name).suffix
    if not suffix or len(suffix.encode("utf-8")) > _MAX_SUFFIX_BYTES or not suffix[1:].isalnum():
        return name, ""
    return name[: -len(suffix)], suffix


def _fit(stem: str, suffix: str, max_bytes: int, digest_of: str) -> str:
    """stem + suffix, the stem cut (and marked with a hash of the full name) when over max_bytes."""
    name = stem + suffix
    if len(name.encode("utf-8")) <= max_bytes:
        return name
    mark = "~" + hashlib.sha256(digest_of.encode("utf-8", errors="surrogatepass")).hexdigest()[:8]
    room = max_bytes - len((mark + suffix).encode("utf-8"))
    return _truncate(stem, room) + mark + suffix


def safe_name(name: str) -> str:
    """`name` as one harmless path component: the last segment of any path, cleaned and bounded."""
    last = name.replace("\\", "/").rstrip("/").rpartition("/")[2]
    cleaned = "".join(c for c in last if unicodedata.category(c) not in {"Cc", "Cs"})
    cleaned = cleaned.strip().lstrip(".").strip()
    stem, suffix = _split(cleaned or _FALLBACK)
    return _fit(stem or _FALLBACK, suffix, MAX_NAME_BYTES, name)


def tagged_name(name: str, tag: str) -> str:
    """`<stem>.<tag><ext>` of the safe name: same-named files with different bytes never collide.

    A name already carrying the tag keeps it once (a failed/ file re-dropped as it is, then failing again).
    """
    stem, suffix = _split(safe_name(name))
    mark = f".{tag[:TAG_LENGTH]}"
    return _fit(stem.removesuffix(mark), mark + suffix, MAX_NAME_BYTES, name)
