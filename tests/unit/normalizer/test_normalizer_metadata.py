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
