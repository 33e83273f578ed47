"""Metadata of the five seeds against gold, and the general rules behind them."""

from __future__ import annotations

from pathlib import Path

import pytest
from opencc import OpenCC

from services.normalizer.metadata import extract_metadata, title_subject
from services.normalizer.transform import normalize
from tests.support.gold import seed_gold

REPO = Path(__file__).resolve().parents[3]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))
_T2S = OpenCC("t2s")  # gold of seed 002 is in traditional script


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_seed_metadata_matches_gold(seed: Path) -> None:
    gold = seed_gold(seed)["metadata"]
    doc = normalize(seed.read_bytes(), seed.name)
    expected = {k: _T2S.convert(v) if isinstance(v, str) else v for k, v in gold.items()}
    assert {k: getattr(doc.metadata, k) for k in expected} == expected
    assert doc.metadata.era == "pre2019"


def test_seed_codes_and_dates() -> None:
    docs = {p.name[:3]: normalize(p.read_bytes(), p.name).metadata for p in SEEDS}
    assert [docs[k].adcode for k in sorted(docs)] == ["652700", None, "320583", "150624", "621100"]
    assert docs["001"].published_on.isoformat() == "2019-03-11"
    assert docs["001"].index_no == "000000000-2019-03726"
    assert docs["003"].published_on.isoformat() == "2018-03-08"
    assert docs["002"].script == "traditional"
    assert docs["004"].title == "定西市政府信息公开工作年度报告"


@pytest.mark.parametrize(
    ("title", "subject"),
    [
        ("鄂托克旗人民政府2017年政府信息公开年度报告", "鄂托克旗人民政府"),
        ("2018年松岭区政府信息公开工作年度报告", "松岭区"),
        ("定西市政府信息公开工作年度报告", "定西市"),
        ("定西市教育局关于2018年度政府信息公开工作的报告", "定西市教育局"),
    ],
)
def test_title_subject(title: str, subject: str) -> None:
    assert title_subject(title) == subject


def test_department_inherits_region_and_is_department() -> None:
    lines = ["定西市教育局2019年政府信息公开工作年度报告", "(2020年1月20日)", "本年度共收到申请3件。"]
    text = "\n".join([*lines, "信息内容 | 本年新制作数量 |"])
    meta, _ = extract_metadata(text, "simplified")
    assert (meta.issuer, meta.region, meta.province, meta.adcode) == ("定西市教育局", "定西市", "甘肃省", "621100")
    assert meta.admin_level == "department"
    assert meta.published_on.isoformat() == "2020-01-20"
    assert (meta.year, meta.era) == (2019, "fmt2019")


def test_duplicate_names_use_parent_mentions() -> None:
    text = "2022年鼓楼区政府信息公开工作年度报告\n按照省、福州市的统一部署,本区推进政务公开。\n本年制发件数 |"
    meta, _ = extract_metadata(text, "simplified")
    assert (meta.region, meta.province, meta.adcode, meta.era) == ("鼓楼区", "福建省", "350102", "fmt2021")


def test_year_falls_back_to_publication_date() -> None:
    text = "某某县政府信息公开工作年度报告\n发布日期:2016-03-25\n本年度,我县信息公开工作稳步推进。"
    meta, warnings = extract_metadata(text, "simplified")
    assert meta.year == 2015
    assert any("publication date" in w for w in warnings)


def test_township_report() -> None:
    meta, _ = extract_metadata("2020年陇西县文峰镇人民政府政府信息公开工作年度报告\n正文。", "simplified")
    assert (meta.region, meta.admin_level, meta.province, meta.adcode) == ("文峰镇", "township", "甘肃省", None)


def _meta(text: str, context: str = "") -> tuple[tuple[object, ...], list[str]]:
    meta, warnings = extract_metadata(text, "simplified", context)
    return (meta.title, meta.issuer, meta.region, meta.province, meta.admin_level, meta.year), warnings


def test_zone_outside_the_division_table_is_its_own_region() -> None:
    text = (
        "云岭综合实验区2030年度政府信息公开工作年度报告\n"
        "本报告由云岭综合实验区管委会办公室依据《浙江省政府信息公开规定》编写,"
        "数据统计期限自2030年1月1日起至2030年12月31日止。\n一、总体情况"
    )
    (_, issuer, region, province, level, year), _ = _meta(text)
    assert (issuer, region, province, year) == ("云岭综合实验区管委会办公室", "云岭综合实验区", "浙江省", 2030)
    assert level is None  # not in the curated zone table: rank unknown


def test_zone_department_never_takes_the_first_place_mentioned() -> None:
    text = (
        "云岭综合实验区地方税务局2030年信息公开年度报告\n"
        "本报告根据《条例》编制,统计期限自2030年1月1日起至2030年12月31日。如有疑问请与望川县人民政府办公室联系。"
    )
    (_, issuer, region, province, level, year), _ = _meta(text)
    assert (issuer, region, province) == ("云岭综合实验区地方税务局", "云岭综合实验区", None)
    assert (level, year) == ("department", 2030)


def test_curated_zone_has_province_and_level_and_no_fabricated_government() -> None:
    text = "平潭综合实验区2030年政府信息公开工作年度报告\n2030年,实验区管委会持续推进政务公开。"
    (_, issuer, region, province, level, _), _ = _meta(text)
    assert (region, province, level) == ("平潭综合实验区", "福建省", "city")
    assert issuer is None or "人民政府" not in issuer
    text = "平潭综合实验区2030年政府信息公开工作年度报告\n本报告由平潭综合实验区管委会编制。"
    assert _meta(text)[0][1] == "平潭综合实验区管委会"


def test_zone_inside_a_city_keeps_the_city_province() -> None:
    text = "鹿鸣市青溪经济技术开发区管委会2030年政府信息公开工作年度报告\n依据《福建省政府信息公开办法》编制。"
    (_, issuer, region, province, level, _), _ = _meta(text)
    assert (issuer, region) == ("鹿鸣市青溪经济技术开发区管委会", "鹿鸣市青溪经济技术开发区")
    assert (province, level) == ("福建省", None)


def test_pdf_wrapped_title_and_period() -> None:
    text = (
        "正文\n2030 年鹿鸣市科委政府信息公开工作\n年度报告\n"
        "鹿鸣市科委依据《条例》编写本报告。报告所列数据的统计周期\n为 2030 年 1 月 1 日至 12 月 31 日。"
    )
    (title, issuer, region, _, level, year), _ = _meta(text)
    assert (title, issuer, region, level, year) == (
        "2030 年鹿鸣市科委政府信息公开工作年度报告", "鹿鸣市科委", "鹿鸣市", "department", 2030,
    )  # fmt: skip


def test_wrapped_issuer_line_above_the_title_joins_it() -> None:
    text = "苏州市吴江区人民政府 |\n2030 年政府信息公开工作年度报告 |\n本报告由苏州市吴江区人民政府办公室编制。"
    (title, issuer, region, province, level, _), _ = _meta(text)
    assert title == "苏州市吴江区人民政府2030 年政府信息公开工作年度报告"
    assert (issuer, region, province, level) == ("苏州市吴江区人民政府", "吴江区", "江苏省", "county")


def test_sentence_fragment_ending_in_report_is_not_a_title() -> None:
    text = "依据《条例》编制本机关2030年政府信息公开工作年度报告\n鹿鸣市2030年政府信息公开工作年度报告\n正文。"
    assert _meta(text)[0][0] == "鹿鸣市2030年政府信息公开工作年度报告"
    text = "政府信息公开条例》编制2030年政府信息公开工作年度报告\n正文。"
    assert _meta(text)[0][0] is None


@pytest.mark.parametrize(
    ("title", "issuer", "region", "level"),
    [
        ("# 望川县人民政府 2030 年 政府信息公开工作年度报告", "望川县人民政府", "望川县", "county"),
        ("## 望川市人民政府2030年政府信息公开工作年度报告", "望川市人民政府", "望川市", "city"),
        ("望川县青石镇人民政府2030年政府信息公开工作年度报告", "望川县青石镇人民政府", "青石镇", "township"),
        ("望川县财政局2030年政府信息公开工作年度报告", "望川县财政局", "望川县", "department"),
    ],
)
def test_level_from_the_issuer_suffix_when_the_place_is_unknown(
    title: str, issuer: str, region: str, level: str
) -> None:
    (_, got_issuer, got_region, _, got_level, year), _ = _meta(f"{title}\n正文。")
    assert (got_issuer, got_region, got_level, year) == (issuer, region, level, 2030)


def test_disclosure_office_compiles_but_the_government_issues() -> None:
    text = "定西市2030年政府信息公开工作年度报告\n本报告由定西市人民政府信息公开办公室汇总各县区报告编制而成。"
    assert _meta(text)[0][1:3] == ("定西市人民政府", "定西市")


def test_compiler_without_you() -> None:
    text = "定西市2030年政府信息公开工作年度报告\n根据《条例》要求,定西市人民政府办公室编制完成本报告。"
    assert _meta(text)[0][1] == "定西市人民政府办公室"


def test_issuer_is_the_fullest_form_the_report_prints() -> None:
    text = "定西市科技局2030年政府信息公开工作年度报告\n本局全年公开信息12条。"
    assert _meta(text, context="定西市科学技术局 版权所有")[0][1] == "定西市科学技术局"
    text = "吴江区人民政府2030年政府信息公开工作年度报告\n如有疑问请与苏州市吴江区人民政府办公室联系。"
    assert _meta(text)[0][1:3] == ("苏州市吴江区人民政府", "吴江区")
    text = "定西市科技局2030年政府信息公开工作年度报告\n定西市科技局局长办公会审议。定西市科技馆开放。"
    assert _meta(text)[0][1] == "定西市科技局"


def test_year_from_the_period_sentence_after_a_long_header() -> None:
    chrome = "\n".join(f"栏目{i} | 链接{i} | 导航项目{i} |" for i in range(250))
    text = f"{chrome}\n鹿鸣市政府信息公开工作年度报告\n本报告数据统计期限为2030年1月1日至12月31日。"
    assert _meta(text)[0][5] == 2030


def test_a_report_without_title_gets_a_composed_one() -> None:
    text = (
        "根据《条例》,现将本局工作报告如下。本报告由定西市教育局编制,统计期限为2030年1月1日至12月31日。\n一、总体情况"
    )
    meta, warnings = extract_metadata(text, "simplified")
    assert meta.title == "定西市教育局2030年政府信息公开工作年度报告"
    assert any("composed" in w for w in warnings)


def test_cms_title_is_prepended_when_the_body_only_quotes_it() -> None:
    page = (
        '<html><head><meta name="ArticleTitle" content="定西市教育局2030年政府信息公开工作年度报告"></head><body>'
        '<div class="TRS_Editor"><p>根据《条例》,特向社会公布定西市教育局2030年政府信息公开工作年度报告。</p>'
        "<p>一、总体情况</p></div></body></html>"
    )
    doc = normalize(page.encode(), "page.html")
    assert doc.text.splitlines()[0] == "定西市教育局2030年政府信息公开工作年度报告"
    assert (doc.metadata.title, doc.metadata.issuer) == ("定西市教育局2030年政府信息公开工作年度报告", "定西市教育局")


def test_chrome_field_in_a_one_line_body_is_context_not_issuer() -> None:
    body = (
        "当前位置:首页 政务公开 云岭综合实验区2030年政府信息公开工作年度报告 来源:浙江省人民政府 "
        "一、总体情况 2030年,实验区主动公开政府信息300条,收到政府信息公开申请4件。"
    )
    doc = normalize(body.encode(), "crawl.txt")
    assert doc.text.startswith("云岭综合实验区2030年政府信息公开工作年度报告\n一、总体情况 2030年")
    assert (doc.metadata.region, doc.metadata.issuer) == ("云岭综合实验区", None)
    assert doc.metadata.title == "云岭综合实验区2030年政府信息公开工作年度报告"


@pytest.mark.parametrize(
    ("title", "region", "province", "level"),
    [
        ("北京市朝阳区人民政府2030年政府信息公开工作年度报告", "朝阳区", "北京市", "county"),
        ("2030年广州市天河区教育局政府信息公开工作年度报告", "天河区", "广东省", "department"),
        ("浙江省人民政府办公厅2030年政府信息公开工作年度报告", "浙江省", "浙江省", "province"),
        ("延边朝鲜族自治州人民政府2030年政府信息公开年度报告", "延边朝鲜族自治州", "吉林省", "city"),
        ("成都市武侯区玉林街道办事处2030年政府信息公开工作年度报告", "玉林街道", "四川省", "township"),
        ("重庆市渝北区人民政府2030年度政府信息公开工作年度报告", "渝北区", "重庆市", "county"),
        ("海西蒙古族藏族自治州格尔木市人民政府2030年政府信息公开工作年度报告", "格尔木市", "青海省", "county"),
        ("2030年度黄山市黄山区人民政府政府信息公开工作年度报告", "黄山区", "安徽省", "county"),
        ("上海市浦东新区人民政府2030年政府信息公开工作年度报告", "浦东新区", "上海市", "county"),
        ("河北雄安新区管理委员会2030年政府信息公开工作年度报告", "雄安新区", "河北省", "city"),
        (
            "中国(望海)自由贸易试验区青湾片区管理局2030年政府信息公开工作年度报告",
            "中国(望海)自由贸易试验区青湾片区",
            None,
            None,
        ),
        ("望海工业园区管理委员会2030年政府信息公开工作年度报告", "望海工业园区", None, None),
    ],
)
def test_places_of_every_level_and_shape(title: str, region: str, province: str | None, level: str | None) -> None:
    text = f"{title}\n本报告统计期限自2030年1月1日起至2030年12月31日止。"
    (_, issuer, got_region, got_province, got_level, year), _ = _meta(text)
    assert (issuer, got_region, got_province, got_level, year) == (title_subject(title), region, province, level, 2030)


def test_national_department_is_a_department_without_region() -> None:
    (_, issuer, region, _, level, _), _ = _meta("国家统计局2030年政府信息公开工作年度报告\n正文。")
    assert (issuer, region, level) == ("国家统计局", None, "department")


def test_zone_inside_a_known_city_takes_its_province_but_not_its_code() -> None:
    meta, _ = extract_metadata("定西市高新技术产业开发区管委会2030年政府信息公开工作年度报告\n正文。", "simplified")
    assert (meta.region, meta.province, meta.adcode, meta.admin_level) == (
        "定西市高新技术产业开发区", "甘肃省", None, None,
    )  # fmt: skip


def test_township_whose_name_holds_a_place_suffix() -> None:
    meta, _ = extract_metadata("新市镇人民政府2030年政府信息公开工作年度报告\n正文。", "simplified")
    assert (meta.region, meta.admin_level, meta.issuer) == ("新市镇", "township", "新市镇人民政府")


@pytest.mark.parametrize(
    "line",
    [
        "定西市2030年政府信息公开工作年度报告(全文)",
        "《定西市2030年政府信息公开工作年度报告》",
        "## 定西市2030年政府信息公开工作年度报告",
    ],
)
def test_title_decorations(line: str) -> None:
    meta, _ = extract_metadata(f"{line}\n正文。", "simplified")
    assert (meta.region, meta.year) == ("定西市", 2030)
    assert meta.title.startswith("定西市2030年") and "《" not in meta.title and "#" not in meta.title


def test_dated_line_under_a_wrapped_title() -> None:
    meta, _ = extract_metadata("定西市教育局\n2030年政府信息公开工作年度报告\n(2031年1月20日)\n正文。", "simplified")
    assert (meta.title, meta.published_on.isoformat()) == ("定西市教育局2030年政府信息公开工作年度报告", "2031-01-20")
