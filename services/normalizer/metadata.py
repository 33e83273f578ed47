"""Report metadata from normalized text (docs/metadata.md), by general rules only.

`context` is text the body does not carry but the page showed (HTML chrome outside the content
container, dropped infobox/chrome lines): it may hold 发布日期, 索引号 or 发布单位.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date

from services.normalizer import divisions
from services.normalizer.divisions import Division
from shared.messages.v1 import AdminLevel, Era, ReportMetadata, Script

_Y = r"(?:19|20)\d\d"
_SELF_CHARS = 600  # the intro, where a report names itself
_HEAD_CHARS = 3000  # metadata lives in the page header and the intro paragraph after the title
_TITLE_LINES = 40
_TITLE_WRAP = 3  # a PDF wraps a title over at most this many lines
_TITLE_MIN, _TITLE_MAX = 8, 60  # characters
_TITLE = re.compile(r"(?:政府信息公开|政务公开|政务信息公开|信息公开).{0,14}(?:报告|年报)(?:\([^()]{1,8}\))?$")
# `标题:`, `文章标题:`, `信息名称:`, a Markdown `#`
_TITLE_LABEL = re.compile(r"^(?:#{1,6}\s*|[\u4e00-\u9fff]{0,4}?(?:名\s*称|标\s*题|题\s*名)\s*:\s*)")
_SENTENCE_START = ("根据", "依据", "按照", "依照", "本", "现")
_SENTENCE_WORDS = re.compile(r"编制|编写|公布|特向")
_SENTENCE_END = re.compile(r"[。;:!?]$")
# a title's year on its own line: above it `2030年` or `2030年度`, below it only `(2030年度)` (a cover
# may print the publication year `2031年` there)
_YEAR_ABOVE = re.compile(rf"^\(?{_Y}\s*年度?\)?$")
_YEAR_BELOW = re.compile(rf"^\(?{_Y}\s*年度\)?$")
_BREADCRUMB = re.compile(r"[>»]|当前位置|您的位置|首页")
_TITLE_YEAR = re.compile(rf"({_Y})\s*年度?")
# A year written in numerals (二〇一九年, 二○一九年, 二零一九年) is read as digits (docs/metadata.md, covered year)
_NUMERAL_YEAR = re.compile(r"(一九|二[〇○零O0])([〇○零O0一二三四五六七八九]{2})(?=\s*年)")
_NUMERAL_DIGIT = str.maketrans("〇○零O0一二三四五六七八九", "00000123456789")
_SUBJECT_END = re.compile(r"(?:关于)?(?:政府信息[与和及]政务公开|政府信息公开|政务信息公开|政务公开|信息公开)")
_ORG_SUFFIX = re.compile(
    r"(?:人民政府|政府|行政公署|行署|管委会|管理委员会|办事处|办公室|办公厅|领导小组|局|委员会|委|厅|署|中心|院|公司|所"
    r"|部|办|馆|站|队|社|(?<!社)会|海关|行)$"
)
# the government itself, or its general office, which reports at the government's level
# (docs/metadata.md, levels): `上海市人民政府办公厅` is `province`, `莆田市人民政府办公室` is `city`
_GOV_REST = re.compile(
    r"^(?:(?:人民政府|政府|行政公署|行署)(?:办公厅|办公室|办)?|管委会|管理委员会|街道办事处|办事处)?$"
)
_LEVEL_WORDS = frozenset("省市州盟县区旗")  # `区教育局`: the body of this district
_GOV_PREFIX = re.compile(r"^(?:人民政府|政府)(?=.)")  # `秦淮区人民政府夫子庙街道办事处`
_GOV_END = re.compile(r"(?:人民政府|政府|行政公署|行署|管委会|管理委员会|办事处)$")
# a township only when nothing but its government follows (`城乡建设局` holds no township)
_TOWNSHIP = re.compile(r"^([\u4e00-\u9fff]{1,8}?(?:街道|镇|乡|苏木))(?:人民政府|政府|街道办事处|办事处)?$")
_TOWNSHIP_END = re.compile(r"街道|镇|乡|苏木")
# A place not in the division table still tells its level by its suffix (docs/metadata.md, levels)
# (two characters at least before the suffix, and no organisation word: not `城市管理局`, `国家税务总局南京市`)
_UNKNOWN_PLACE = re.compile(
    r"^((?:(?![局部委厅办署府院所站队处室司会])[\u4e00-\u9fff]){2,10}?"
    r"(?:自治区|自治州|自治县|自治旗|地区|林区|特区|省|市|州|盟|县|区|旗))"
)
# A nationally run body in a place (`国家税务总局南京市税务局`) is a department of that place
_NATIONAL_ORG = re.compile(r"^(?:国家|中国|中华人民共和国)[\u4e00-\u9fff]{1,12}?(?:总局|局|署|委员会|银行)")
_SUFFIX_LEVEL: tuple[tuple[str, AdminLevel], ...] = (
    ("自治区", "province"), ("省", "province"), ("自治州", "city"), ("地区", "city"), ("州", "city"),
    ("盟", "city"), ("市", "city"), ("县", "county"), ("旗", "county"), ("区", "county"),
)  # fmt: skip
# Zones run by a 管委会 (docs/metadata.md, places outside GB/T 2260): the zone itself is the region
_ZONE = re.compile(
    r"^(.*(?:综合实验区|高新技术产业开发区|经济技术开发区|开发区|高新区|新区|试验区|实验区|示范区|合作区|度假区|保税区"
    r"|园区|管理区|片区|集聚区|名胜区|景区|港区|经济区))"
)
# any …区 run by a 管委会 is a zone: a district of the table has a 人民政府
_ZONE_BOARD = re.compile(r"^(.+区)(?=(?:党工委)?(?:管委会|管理委员会))")
_FREE_TRADE = re.compile(r"^中国\(")  # 中国(上海)自由贸易试验区: the place is in the brackets
_ZONE_GOV = re.compile(r"^(?:党工委)?(?:(?:管委会|管理委员会)(?:办公室)?|管理局)?$")
# A body's own disclosure office compiles the report; the body issues it (`X人民政府信息公开办公室`)
_DISCLOSURE_OFFICE = re.compile(
    r"^(.+(?:人民政府|政府|局|委员会|委|厅|办))(?:政府)?信息公开(?:工作)?(?:领导小组)?(?:办公室|办)$"
)
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_WRAP = re.compile(r"(?<![。;:!?])[ |]*\n[ |]*")
# a letter-spaced PDF title (`陇 西 县 财 政 局 2 0 3 0 年`): spaces between single ideographs or digits
_LETTER_SPACE = re.compile(r"(?:(?<=^[\u4e00-\u9fff\d])|(?<=\s[\u4e00-\u9fff\d])) (?=[\u4e00-\u9fff\d](?:\s|$))")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])")
_COMPOSED_TITLE = "{}{}年政府信息公开工作年度报告"
_NAME = r"[^\s\d由,。;:、“”《》()|]{3,40}?"
_OPENER = re.compile(rf"现(?:就|将|予以|特)?(?:公布|发布)?({_NAME})?({_Y})\s*年度?[^。\n]{{0,40}}?报告")
# a lookahead, so that a wrong candidate cannot swallow the right one that follows it
_COMPILER = re.compile(
    rf"(?=(?:由|(?<![^\s,。;:、)》|]))({_NAME})(?:(?:综合|汇总|负责|牵头|会同|根据|依据|按照|统一)[^。]{{0,80}}?)?编(?:制|写))"
)
_FIELD_ISSUER = re.compile(r"(?:发布单位|发布机构|发文机关|发文单位|发布部门)\s*:\s*\|?\s*([^\s|,。;:]{2,30})")
# `…期限为2030年1月1日…`, or with 年/月 lost in a crawl (`…期限为203011日…`, docs/flattening.md)
_PERIOD_YEAR = re.compile(
    rf"统计(?:期限|时限|时间|时段|区间|周期|范围|期间|年度)[^。]{{0,16}}?({_Y})(?:\s*年|(?=\d{{1,4}}日))"
)
_DATA_YEAR_END = re.compile(rf"(?:数据|统计)[^。]{{0,8}}?(?:截止|截至)[^。]{{0,6}}?({_Y})\s*年\s*12\s*月\s*31\s*日")
# a paragraph opening with the year, also mid-line in a one-line body (`一、总体情况 2030年,…`)
_OPENER_YEAR = re.compile(rf"(?:^|(?<=[\s。]))({_Y})\s*年度?\s*,", re.MULTILINE)  # not `2019年以来`: a span
_DATE = r"((?:19|20)\d\d)\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})"
_DATE_LABELS = ("发布日期", "发布时间", "公开日期", "发文日期", "成文日期", "生成日期")
_PUBLISHED = re.compile(rf"({'|'.join(_DATE_LABELS)})\s*:?\s*\|?\s*{_DATE}")
_DATED_LINE = re.compile(rf"^\(?{_DATE}日?\)?$")
_INDEX_NO = re.compile(r"索\s*引\s*号\s*:?\s*\|?\s*([0-9A-Za-z][0-9A-Za-z\-/_.]*)")
_INDEX_YEAR = re.compile(r"[/-]((?:19|20)\d\d)(?:0[1-9]|1[0-2])?-\d")  # `013960112/2031-00031`: published 2031
# A report naming no issuer calls itself 我县/全县…; the place is the first division of that kind it names
_SELF = re.compile(r"[全我本](省|市|州|盟|县|区|旗)")
_SELF_LEVELS: dict[str, tuple[str, ...]] = {
    "省": ("province",), "市": ("province", "city", "county"), "州": ("city",), "盟": ("city",),
    "县": ("county",), "区": ("county",), "旗": ("county",),
}  # fmt: skip
_SELF_DEPARTMENT = re.compile(r"[我本](?:局|委|厅|办|中心)(?![长内外法])")
_CITED = re.compile(r"《[^》]*》")
# Bodies governed through an owner that is no division (`新疆生产建设兵团第八师石河子市`)
_OWNER = re.compile(r"^新疆生产建设兵团(?:第[一二三四五六七八九十]+师)?")
_FMT2021 = ("本年制发件数", "本年废止件数", "现行有效件数", "逾期不补正", "本年收费金额")
_FMT2019 = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量")


@dataclass(frozen=True)
class Place:
    """Where a report belongs: the region name, the division that gives its province, its level, and
    whether the division's adcode is the region's own (not for a township or a zone inside a city)."""

    region: str
    division: Division | None
    level: AdminLevel | None
    coded: bool = True
    # an unknown place may take the first province the text names; a shared name (鼓楼区) may not
    guess_province: bool = True

    @property
    def adcode(self) -> str | None:
        return self.division.adcode if self.division and self.coded else None


def _header_core(line: str) -> str:
    """A line without pipes and label; of a long line (a one-line body) only its leading token."""
    core = _LETTER_SPACE.sub("", _TITLE_LABEL.sub("", line.strip("| ").strip()).strip())
    if core.startswith("《") and core.endswith("》"):
        core = core[1:-1]
    first = core.split(" ", 1)[0]
    # a one-line body opens with its title: `望川县…年度报告 一、总体情况 2030年,…`
    return first if len(core) > _TITLE_MAX or (_is_title(first) and not _is_title(core)) else core


def _is_title(core: str) -> bool:
    """Short, shaped like a title, not a sentence fragment (docs/metadata.md, title rules)."""
    return (
        _TITLE_MIN <= len(core) <= _TITLE_MAX
        and bool(_TITLE.search(core))
        and (not core.startswith(_SENTENCE_START) or divisions.longest_prefix(core) is not None)  # 本溪市
        and not _SENTENCE_WORDS.search(core)
        and core.count("《") == core.count("》")
        and core.count("(") == core.count(")")
        and not _BREADCRUMB.search(core)
        and ":" not in core  # a field (`栏目:政府信息公开年度报告`)
    )


def _names_body(line: str) -> bool:
    """A header line holding only an organisation or place, as PDFs print it above the title."""
    return (
        len(line) <= 30
        and not re.search(r"[,。;:、\s]", line)
        and bool(_ORG_SUFFIX.search(line) or divisions.longest_prefix(line) or _UNKNOWN_PLACE.match(line))
    )


def _dates(line: str, title: str, pattern: re.Pattern[str] = _YEAR_ABOVE) -> bool:
    """A line holding only the year of a title that has none (`2030年度` ⏎ `望川县…年度报告`)."""
    return bool(pattern.match(arabic_years(line))) and not _TITLE_YEAR.search(arabic_years(title))


def _completes(line: str, title: str) -> bool:
    """The header line above holds the start of a wrapped title: the issuer (`洪泽区人民政府` ⏎
    `2030 年…年度报告`), its year, or the year and place of a subject left without one
    (`2030年度陇西县` ⏎ `财政局政府信息公开…`)."""
    if _dates(line, title):
        return True
    subject = title_subject(title)
    if not subject:
        return _names_body(line)
    return (
        len(line) <= 30
        and not re.search(r"[,。;:、]", line)
        and find_place(subject, "", None) is None
        and find_place(title_subject(line + title), "", None) is not None
    )


def _is_named(title: str) -> bool:
    """A title naming its year or its body, unlike a column's name (`政府信息公开年报`)."""
    return bool(_TITLE_YEAR.search(arabic_years(title)) or title_subject(title))


def _titles(cores: list[str]) -> Iterator[tuple[str, int]]:
    """Header titles in order, each with the index of its first line; wrapped titles joined."""
    for end in range(len(cores)):
        for size in range(1, _TITLE_WRAP + 1):
            start = end - size + 1
            parts = cores[max(start, 0) : end + 1]
            if start < 0 or any(_SENTENCE_END.search(part) for part in parts[:-1]):
                break
            title = "".join(parts)
            # a title joined from wrapped lines must name a year or a body, unlike a joined menu
            if _is_title(title) and (size == 1 or _is_named(title)):
                if start > 0 and _completes(cores[start - 1], title):
                    title, start = cores[start - 1] + title, start - 1
                if end + 1 < len(cores) and _dates(cores[end + 1], title, _YEAR_BELOW):
                    title += cores[end + 1]  # `…年度报告` ⏎ `(2030年度)`
                yield title, start
                break


def find_title(lines: list[str]) -> tuple[str, int] | None:
    """The first header title naming a body or a year; a bare one (`政府信息公开年报`, often the
    column's name above the title) only when no other follows."""
    titles = _titles([_header_core(line) for line in lines[:_TITLE_LINES]])
    first = next(titles, None)
    if first is None or _is_named(first[0]):
        return first
    return next((t for t in titles if _is_named(t[0])), first)


def arabic_years(text: str) -> str:
    """Years written in numerals as digits, same length (`二〇一九年` → `2019年`)."""
    return _NUMERAL_YEAR.sub(lambda m: m.group().translate(_NUMERAL_DIGIT), text)


def title_subject(title: str) -> str:
    """The entity a title names: before its year (`鄂托克旗人民政府2017年…`) or before 政府信息公开,
    whichever comes first (`临湖县人民政府政府信息公开工作2016年度报告`); after a leading year."""
    title = arabic_years(title)
    year = _TITLE_YEAR.search(title)
    leading = year is not None and year.start() == 0
    rest = title[year.end() :] if year and leading else title
    ends = [m.start() for m in (_SUBJECT_END.search(rest), None if leading else year) if m]
    subject = rest[: min(ends)] if ends else ""
    # `X关于Y2030年…的报告`: X reports (on its own place); `关于Y2030年…`: Y
    before, _, after = subject.partition("关于")
    subject = _CJK_GAP.sub("", re.sub(r"的+$", "", before or after)).strip()
    # `望川县人民政府信息公开…` shares 政府 between the body and 政府信息公开
    return subject + "政府" if subject.endswith("人民") else subject


def _is_bare(subject: str) -> bool:
    return not _ORG_SUFFIX.search(subject)


def _names_place(candidate: str, subject: str) -> bool:
    """A body-text issuer must name the title's place, or any place when the title has none."""
    if subject:
        return candidate.startswith(subject) and len(candidate) > len(subject)
    return divisions.longest_prefix(candidate) is not None


def _place_steps(name: str) -> list[str]:
    """The division names a name opens with (`淮安市洪泽区人民政府` → `淮安市`, `洪泽区`)."""
    steps: list[str] = []
    while step := divisions.longest_prefix(name[sum(map(len, steps)) :]):
        steps.append(step)
    return steps


def _full_lead(name: str) -> str:
    """A name opening with a short name before one of its divisions, written in full (`天津滨海新区`
    → `天津市滨海新区`, `江苏南京市秦淮区` → `江苏省南京市秦淮区`)."""
    if divisions.longest_prefix(name) or not (lead := divisions.short_prefix(name)):
        return name
    rest = name[len(lead.short) :]
    inner = divisions.longest_prefix(rest)
    return lead.name + rest if inner and divisions.child(inner, lead) else name


def _place_chain(name: str) -> tuple[str, str]:
    """Split a name into its leading places and the rest (`淮安市洪泽区人民政府` → `淮安市洪泽区`, `人民政府`)."""
    end = sum(map(len, _place_steps(name)))
    return name[:end], name[end:]


def _zone(subject: str) -> tuple[str, Division | None] | None:
    """The zone a subject names and its curated or parent division (`鹿鸣市青溪开发区管委会`); a zone
    named by a place's short name (`苏州工业园区`, `中国(上海)自由贸易试验区…`) lies in that place."""
    subject = _full_lead(subject)
    if not (zone := _ZONE.match(subject) or _ZONE_BOARD.match(subject)):
        return None
    name = zone.group(1)
    steps = _place_steps(name)
    parent = divisions.resolve(steps[-1]) if steps else divisions.short_prefix(_FREE_TRADE.sub("", name))
    if sum(map(len, steps)) < len(name):
        return name, parent  # not in the table: the zone itself is the region
    return (parent.short or parent.name, parent) if parent and parent.adcode is None else None


def _spells_out(short: str, full: str) -> bool:
    """`full` writes the organisation `short` abbreviates (`科技局` → `科学技术局`): same first and
    last character, the short one's characters in order, not much longer."""
    chars = iter(full)
    return (
        full[0] == short[0]
        and full[-1] == short[-1]
        and short not in full
        and len(full) <= 2 * len(short) + 2
        and all(ch in chars for ch in short)
    )


def _expands(short: str, full: str) -> bool:
    """`full` is a longer written form of `short`: its prefecture prefixed (`淮安市` + `洪泽区人民政府`;
    a province prefix is not part of the name), the organisation spelled out (`科技局` → `科学技术局`),
    or the place a level word stands for (`区教育局` → `秦淮区教育局`, `市科技局` → `莆田市科学技术局`)."""
    short_place, short_org = _place_chain(short)
    full_place, full_org = _place_chain(full)
    if not short_org or not full_org:
        return False
    if not short_place and short_org[0] in _LEVEL_WORDS:
        own = short_org[1:]
        return full_place.endswith(short_org[0]) and (full_org == own or _spells_out(own, full_org))
    if not short_place or not full_place.endswith(short_place):
        return False
    if full_org == short_org:
        added = _place_steps(full_place[: len(full_place) - len(short_place)])
        return len(added) == 1 and (parent := divisions.resolve(added[0])) is not None and parent.level == "city"
    return full_place == short_place and _spells_out(short_org, full_org)


def fullest_form(name: str, text: str) -> str:
    """The longest form of the issuer's name the report or its page prints (the official name)."""
    best = name
    for run in _CJK_RUN.findall(text):
        for end in (m.end() for m in re.finditer(re.escape(name[-1]), run)):
            for start in range(max(0, end - len(name) - 12), end - len(best)):
                if _expands(name, run[start:end]):
                    best = run[start:end]
                    break
    return best


def _is_government(name: str) -> bool:
    """A government (`…人民政府`) or a bare place, as opposed to one of its departments."""
    return bool(_GOV_END.search(name)) or _place_chain(name)[1] == ""


def _body_issuer(subject: str, head: str, context: str) -> str | None:
    """现公布X…报告, 由X编制 / X编制完成本报告, 发布单位 (in that order), naming the title's place."""
    flat = unwrap(head)
    found = [m.group(1) for m in _OPENER.finditer(flat) if m.group(1)]
    found += [m.group(1) for m in _COMPILER.finditer(flat)]
    # a department (我局, 本委) is not published by the government its page's 发布机构 names
    fields = [m.group(1) for m in _FIELD_ISSUER.finditer(head + "\n" + context)]
    found += [f for f in fields if not (_SELF_DEPARTMENT.search(flat) and _is_government(f))]
    issuer = next((c for c in found if _names_place(c, subject)), None)
    if issuer and (office := _DISCLOSURE_OFFICE.match(issuer)):
        return office.group(1)
    return issuer


def find_issuer(subject: str, head: str, context: str) -> tuple[str | None, list[str]]:
    """Title issuer if it names an organisation, else the body's; never an invented zone government."""
    printed = unwrap(head) + "\n" + context
    if subject and not _is_bare(subject):
        return fullest_form(subject, printed), []
    if issuer := _body_issuer(subject, head, context):
        return fullest_form(issuer, printed), []
    if subject and _zone(subject):
        board = re.search(rf"{re.escape(subject)}(?:党工委)?(?:管委会|管理委员会)", printed)
        return (board.group(), []) if board else (None, [f"issuer not found for the zone {subject}"])
    if subject:
        # a 街道 is run by its 办事处, any other place by its 人民政府
        assumed = fullest_form(subject + ("办事处" if subject.endswith("街道") else "人民政府"), printed)
        return assumed, [f"issuer not stated; assumed {assumed} from the title"]
    return None, ["issuer not found"]


def _placeless_level(issuer: str | None) -> AdminLevel | None:
    """An organisation named without any place (国家统计局) is still a department."""
    return "department" if issuer and _ORG_SUFFIX.search(issuer) and not _GOV_END.search(issuer) else None


def _suffix_level(place: str) -> AdminLevel | None:
    return next((level for suffix, level in _SUFFIX_LEVEL if place.endswith(suffix)), None)


def _province(place: Place, head: str, context: str) -> str | None:
    """Province of a resolved division; for a zone or an unknown place, the first province the text
    names, else the page around it (a zone's site prints its address and parent sites)."""
    if place.division:
        return divisions.province_of(place.division).name
    if not place.guess_province:
        return None
    found = divisions.first_province(head) or divisions.first_province(context)
    return found.name if found else None


def _self_named(body: str) -> str | None:
    """The division a report names itself by when nothing names its issuer: the first one of the
    kind it calls itself (我县 → a county) outside cited titles, where a province's regulation sits."""
    if _SELF_DEPARTMENT.search(body):
        return None  # a department (我局) names its place's government, not its own name
    words = tuple(_SELF.findall(body))
    levels = {level for word in words for level in _SELF_LEVELS[word]}
    for name in divisions.mentioned(_CITED.sub("", body)):
        if name.endswith(words) and any(d.level in levels for d in divisions.readings(name)):
            return name
    return None


def find_place(entity: str, head: str, year: int | None) -> Place | None:
    """Region of the issuing body: its innermost division, a township, a zone, or an unknown place."""
    if national := _NATIONAL_ORG.match(entity):
        branch = entity[national.end() :]  # `南京市税务局`, `莆田调查队`
        if divisions.longest_prefix(branch) and (inner := find_place(branch, head, year)):
            return replace(inner, level="department")
        if seat := divisions.short_prefix(branch):
            return Place(seat.name, seat, "department")
    if (owner := _OWNER.match(entity)) and divisions.longest_prefix(entity[owner.end() :]):
        return find_place(entity[owner.end() :], head, year)
    entity = _full_lead(entity)
    if zone := _zone(entity):
        name, division = zone
        rest = entity[entity.index(name) + len(name) :]
        if township := _TOWNSHIP.match(rest):  # a township the zone runs
            return Place(township.group(1), division, "township", coded=False)
        if not _ZONE_GOV.match(rest):
            return Place(name, division, "department", coded=False)
        curated = division is not None and division.adcode is None and name in (division.name, division.short)
        return Place(name, division, division.level if curated else None, coded=False)
    steps = _place_steps(entity)
    division = divisions.resolve(steps[0], head, year) if steps else None
    used = len(steps[0]) if steps else 0
    for step in steps[1:]:
        if division is None or (inner := divisions.child(step, division, year)) is None:
            break
        division, used = inner, used + len(step)
    unknown = _UNKNOWN_PLACE.match(entity)
    coded, guess = True, True
    if division:
        prefix, region, level = entity[:used], division.name, division.level
    elif steps:  # a name several divisions share: keep what all of its readings agree on
        readings = divisions.readings(steps[0], head, year)
        prefix = region = steps[0]
        division, coded, guess = divisions.shared_ancestor(readings), False, False
        level = readings[0].level if len({d.level for d in readings}) == 1 else None
    elif unknown and not _TOWNSHIP_END.match(entity, unknown.end()):  # not the 市 of 新市镇
        prefix = region = unknown.group(1)
        # only a province-level government's general office is a 办公厅
        level = "province" if entity.endswith("人民政府办公厅") else _suffix_level(region)
    elif township := _TOWNSHIP.match(entity):
        return Place(township.group(1), None, "township", coded=False)
    else:
        return None
    rest = entity[len(prefix) :]
    if (township := _TOWNSHIP.match(_GOV_PREFIX.sub("", rest))) and not _GOV_REST.match(rest):
        return Place(township.group(1), division, "township", coded=False, guess_province=guess)
    if not _GOV_REST.match(rest):
        return Place(region, division, "department", coded, guess)
    return Place(region, division, level, coded, guess)


def unwrap(text: str) -> str:
    """Join hard-wrapped lines (a line ending without 。;: continues on the next) and close PDF gaps
    between ideographs (`统 计期限`), as docs/flattening.md (PDF) describes."""
    return _CJK_GAP.sub("", _WRAP.sub("", text))


def _period_year(text: str) -> int | None:
    """The year of the statistical period, or of the year end the data run to (`数据截至2030年12月31日`)."""
    m = _PERIOD_YEAR.search(text) or _DATA_YEAR_END.search(text)
    return int(m.group(1)) if m else None


def _arbitrate(period: int, titled: int, published: date | None) -> tuple[int, list[str]]:
    """Period and title disagree (one was copied from last year's report): the one that fits the
    publication date (published the year after the covered one) wins, else the period."""
    found = titled if published and titled == published.year - 1 != period else period
    return found, [f"statistical period says {period}, title says {titled}: {found} taken"]


def find_year(
    title: str | None, head: str, text: str, published: date | None, index_no: str | None = None
) -> tuple[int | None, list[str]]:
    """Covered year: 统计期限 > title > body opener > 统计期限 further down > publication year − 1
    (the publication date, else the year in the 索引号)."""
    head, text = arabic_years(head), arabic_years(text)
    period = _period_year(unwrap(head))
    titled = int(m.group(1)) if title and (m := _TITLE_YEAR.search(arabic_years(title))) else None
    if period and titled and period != titled:
        return _arbitrate(period, titled, published)
    if found := period or titled:
        return found, []
    if m := _OPENER.search(head):
        return int(m.group(2)), []
    if m := _OPENER_YEAR.search(head[:800]):
        return int(m.group(1)), []
    if found := _period_year(unwrap(text)):
        return found, []
    if published:
        return published.year - 1, [f"covered year assumed from publication date {published.isoformat()}"]
    if index_no and (m := _INDEX_YEAR.search(index_no)):
        return int(m.group(1)) - 1, [f"covered year assumed from the 索引号 {index_no}"]
    return None, ["covered year not found"]


def _as_date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def find_published(lines: list[str], title_line: int | None, head: str, context: str) -> date | None:
    """Labelled publication date (by label priority), else a dated line right under the title."""
    matches = sorted(_PUBLISHED.finditer(head + "\n" + context), key=lambda m: _DATE_LABELS.index(m.group(1)))
    for m in matches:
        if found := _as_date(*m.groups()[1:]):
            return found
    if title_line is None:
        return None
    for line in lines[title_line + 1 : title_line + 1 + _TITLE_WRAP + 2]:
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
    lines = text[:20000].split("\n")
    title, title_line = find_title(lines) or (None, None)
    # the head runs from the page top to _HEAD_CHARS past the title, so chrome cannot exhaust it
    head = text[: sum(len(line) + 1 for line in lines[: title_line or 0]) + _HEAD_CHARS]
    flat = unwrap(head)
    subject = title_subject(title) if title else ""
    issuer, warnings = find_issuer(subject, head, context)
    published = find_published(lines, title_line, head, context)
    index_no = m.group(1) if (m := _INDEX_NO.search(head + "\n" + context)) else None
    year, year_warnings = find_year(title, head, text, published, index_no)
    # the title names what the report is about; the issuer may be the office that compiled it
    # parents named anywhere on the page tell a shared name apart (`福州市鼓楼区人民政府 版权所有`)
    mentions = flat + "\n" + context
    place = next((p for e in (subject, issuer) if e and (p := find_place(e, mentions, year))), None)
    body = "\n".join(lines[title_line + 1 :] if title_line is not None else lines)[:_SELF_CHARS]
    if place is None and not subject and not issuer and (named := _self_named(body)):
        place, issuer = find_place(named, mentions, year), f"{named}人民政府"
        warnings.append(f"issuer not stated; assumed {issuer}, the place the report calls itself by")
    division = place.division if place else None
    if title is None and (issuer or place) and year:
        title = _COMPOSED_TITLE.format(issuer or place.region, year)
        warnings.append(f"no title printed; composed from the metadata: {title}")
    metadata = ReportMetadata(
        title=title,
        issuer=issuer,
        region=place.region if place else None,
        province=_province(place, flat, context) if place else None,
        adcode=place.adcode if place else None,
        admin_level=place.level if place else _placeless_level(issuer),
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
