"""Report metadata from normalized text (domain.md §4.3, §5.1–5.3), by general rules only.

`context` is text the body does not carry but the page showed (HTML chrome outside the content
container, dropped infobox/chrome lines): it may hold 发布日期, 索引号 or 发布单位.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from services.normalizer import divisions
from services.normalizer.divisions import Division
from shared.messages.v1 import AdminLevel, Era, ReportMetadata, Script

_Y = r"(?:19|20)\d\d"
_HEAD_CHARS = 3000  # metadata lives in the page header and the intro paragraph
_TITLE_LINES = 25
_TITLE = re.compile(r"(?:政府信息公开|政务公开|政务信息公开|信息公开).{0,14}(?:报告|年报)$")
_TITLE_LABEL = re.compile(r"^(?:名\s*称|标\s*题|题\s*名)\s*:\s*")
_TITLE_YEAR = re.compile(rf"({_Y})\s*年度?")
_SUBJECT_END = re.compile(r"(?:关于)?(?:政府信息公开|政务信息公开|政务公开|信息公开)")
_ORG_SUFFIX = re.compile(
    r"(?:人民政府|政府|行政公署|行署|管委会|管理委员会|办事处|办公室|办公厅|领导小组|局|委员会|委|厅|署|中心|院|公司|所)$"
)
_GOV_REST = re.compile(r"^(?:人民政府|政府|行政公署|行署|管委会|管理委员会|街道办事处|办事处)?$")
_TOWNSHIP = re.compile(r"^([\u4e00-\u9fff]{1,8}?(?:街道|镇|乡|苏木))(?:人民政府|政府|办事处)?")
_NAME = r"[^\s,。;:、“”《》()|]{3,40}?"
_OPENER = re.compile(rf"现(?:就|将|予以|特)?(?:公布|发布)?({_NAME})({_Y})\s*年度?[^。\n]{{0,40}}?报告")
_COMPILER = re.compile(rf"由({_NAME})(?:(?:综合|汇总|负责|牵头|会同|根据|依据|按照|统一)[^。\n]{{0,60}}?)?编制")
_FIELD_ISSUER = re.compile(r"(?:发布单位|发布机构|发文机关|发文单位|发布部门)\s*:\s*\|?\s*([^\s|,。;:]{2,30})")
_PERIOD_YEAR = re.compile(rf"统计(?:期限|时限|时间|区间|周期|范围|期间)[^。\n]{{0,12}}?({_Y})\s*年")
_OPENER_YEAR = re.compile(rf"^({_Y})\s*年度?\s*,", re.MULTILINE)
_DATE = r"((?:19|20)\d\d)\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})"
_DATE_LABELS = ("发布日期", "发布时间", "公开日期", "发文日期", "成文日期", "生成日期")
_PUBLISHED = re.compile(rf"({'|'.join(_DATE_LABELS)})\s*:?\s*\|?\s*{_DATE}")
_DATED_LINE = re.compile(rf"^\(?{_DATE}日?\)?$")
_INDEX_NO = re.compile(r"索\s*引\s*号\s*:?\s*\|?\s*([0-9A-Za-z][0-9A-Za-z\-/_.]*)")
_FMT2021 = ("本年制发件数", "本年废止件数", "现行有效件数", "逾期不补正", "本年收费金额")
_FMT2019 = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量")


@dataclass(frozen=True)
class Place:
    """Where a report belongs: the resolved division (if any) and the region name."""

    region: str
    division: Division | None
    level: AdminLevel | None


def find_title(lines: list[str]) -> str | None:
    """The first short header line shaped like a report title (not a sentence)."""
    for line in lines[:_TITLE_LINES]:
        core = _TITLE_LABEL.sub("", line.strip("| ").strip())
        if 8 <= len(core) <= 60 and _TITLE.search(core) and not core.startswith(("根据", "本", "现")):
            return core
    return None


def title_subject(title: str) -> str:
    """The entity a title names: before its year (`鄂托克旗人民政府2017年…`) or before 政府信息公开."""
    year = _TITLE_YEAR.search(title)
    if year and year.start() > 0:
        subject = title[: year.start()]
    else:
        rest = title[year.end() :] if year else title
        cut = _SUBJECT_END.search(rest)
        subject = rest[: cut.start()] if cut else ""
    return re.sub(r"(?:关于|的)+$", "", subject).strip()


def _is_bare(subject: str) -> bool:
    return not _ORG_SUFFIX.search(subject)


def _names_place(candidate: str, subject: str) -> bool:
    """A body-text issuer must name the title's place, or any place when the title has none."""
    if subject:
        return candidate.startswith(subject) and len(candidate) > len(subject)
    return divisions.longest_prefix(candidate) is not None


def find_issuer(subject: str, head: str, context: str) -> tuple[str | None, list[str]]:
    """Title issuer if it names an organisation; else 现公布X…报告, 由X编制, 发布单位 (in that order)."""
    if subject and not _is_bare(subject):
        return subject, []
    found = [m.group(1) for m in _OPENER.finditer(head)]
    found += [m.group(1) for m in _COMPILER.finditer(head)]
    found += [m.group(1) for m in _FIELD_ISSUER.finditer(head + "\n" + context)]
    issuer = next((c for c in found if _names_place(c, subject)), None)
    if issuer:
        return issuer, []
    if subject:
        return f"{subject}人民政府", [f"issuer not stated; assumed {subject}人民政府 from the title"]
    return None, ["issuer not found"]


def find_place(entity: str | None, head: str, year: int | None) -> Place | None:
    """Region of the issuing body: its leading division name, a township, or the first place named."""
    if not entity:
        name = divisions.first_mentioned(head[:600])
        return _place(name, "", head, year) if name else None
    name = divisions.longest_prefix(entity)
    if name is None:
        township = _TOWNSHIP.match(entity)
        return Place(township.group(1), None, "township") if township else None
    rest = entity[len(name) :]
    township = _TOWNSHIP.match(rest)
    if township and not _GOV_REST.match(rest):
        parent = divisions.resolve(name, head, year)
        return Place(township.group(1), parent, "township")
    return _place(name, rest, head, year)


def _place(name: str, rest: str, head: str, year: int | None) -> Place:
    division = divisions.resolve(name, head, year)
    level: AdminLevel | None = division.level if division else None
    if not _GOV_REST.match(rest):
        level = "department"
    return Place(name, division, level)


def find_year(title: str | None, head: str, published: date | None) -> tuple[int | None, list[str]]:
    """Covered year: 统计期限 > title > body opener > publication year − 1."""
    if m := _PERIOD_YEAR.search(head):
        return int(m.group(1)), []
    if title and (m := _TITLE_YEAR.search(title)):
        return int(m.group(1)), []
    if m := _OPENER.search(head):
        return int(m.group(2)), []
    if m := _OPENER_YEAR.search(head[:800]):
        return int(m.group(1)), []
    if published:
        return published.year - 1, [f"covered year assumed from publication date {published.isoformat()}"]
    return None, ["covered year not found"]


def _as_date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def find_published(lines: list[str], title: str | None, head: str, context: str) -> date | None:
    """Labelled publication date (by label priority), else a dated line right under the title."""
    matches = sorted(_PUBLISHED.finditer(head + "\n" + context), key=lambda m: _DATE_LABELS.index(m.group(1)))
    for m in matches:
        if found := _as_date(*m.groups()[1:]):
            return found
    if title is None:
        return None
    position = next((i for i, line in enumerate(lines) if title in line), None)
    for line in lines[position + 1 : position + 4] if position is not None else []:
        if (m := _DATED_LINE.match(line.strip("| "))) and (found := _as_date(*m.groups())):
            return found
    return None


def find_era(text: str, year: int | None) -> Era:
    """Table-header strings first (some agencies lag a format), the covered year second."""
    if any(marker in text for marker in _FMT2021):
        return "fmt2021"
    if any(marker in text for marker in _FMT2019):
        return "fmt2019"
    if year is not None and year >= 2021:
        return "fmt2021"
    return "fmt2019" if year in (2019, 2020) else "pre2019"


def extract_metadata(text: str, script: Script, context: str = "") -> tuple[ReportMetadata, list[str]]:
    """Every ReportMetadata field that the text supports, plus warnings about guesses."""
    lines = text[: _HEAD_CHARS * 2].splitlines()
    head = text[:_HEAD_CHARS]
    title = find_title(lines)
    subject = title_subject(title) if title else ""
    issuer, warnings = find_issuer(subject, head, context)
    published = find_published(lines, title, head, context)
    year, year_warnings = find_year(title, head, published)
    # the title names what the report is about; the issuer may be the office that compiled it
    place = find_place(subject or issuer, head, year) or find_place(None, head, year)
    division = place.division if place else None
    province = divisions.province_of(division).name if division else None
    index_no = m.group(1) if (m := _INDEX_NO.search(head + "\n" + context)) else None
    metadata = ReportMetadata(
        title=title,
        issuer=issuer,
        region=place.region if place else None,
        province=province,
        adcode=division.adcode if division and place and place.level != "township" else None,
        admin_level=place.level if place else None,
        year=year,
        published_on=published,
        index_no=index_no,
        era=find_era(text, year),
        script=script,
    )
    if place is None:
        warnings.append("region not resolved")
    elif division is None:
        warnings.append(f"region {place.region} not in the division table")
    return metadata, warnings + year_warnings
