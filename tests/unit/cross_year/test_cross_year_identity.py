"""The identity of a reporting body across years: adcode + issuer, folding only what docs/metadata.md says varies."""

from __future__ import annotations

import pytest

from services.cross_year.identity import ReportingBody, normalized_issuer, reporting_body
from shared.messages import ReportMetadata


@pytest.mark.parametrize(
    ("issuer", "region", "normalized"),
    [
        ("望川县人民政府", "望川县", "望川县人民政府"),
        (" 望 川 县 人民政府\u3000", "望川县", "望川县人民政府"),  # PDF letter spacing
        ("临湖市望川县人民政府", "望川县", "望川县人民政府"),  # the prefecture a page may print before it
        ("某某省临湖市望川县财政局", "望川县", "望川县财政局"),
        ("望川县人民政府办公室", "望川县", "望川县人民政府"),  # the general office reports for its government
        ("上海市人民政府办公厅", "上海市", "上海市人民政府"),
        ("望川县政府办", "望川县", "望川县人民政府"),
        ("松岭区政府", "松岭区", "松岭区人民政府"),
        ("鹿鸣市科委", "鹿鸣市", "鹿鸣市科委"),
        ("国家税务总局鹿鸣市税务局", "鹿鸣市", "国家税务总局鹿鸣市税务局"),  # not a division before the place
        ("国家统计局", None, "国家统计局"),
    ],
)
def test_issuer_variance_of_one_body_is_folded(issuer: str, region: str | None, normalized: str) -> None:
    assert normalized_issuer(issuer, region) == normalized


def test_different_bodies_of_one_place_stay_apart() -> None:
    names = ["望川县财政局", "望川县审计局", "望川县科技局", "望川县科学技术局", "望川县人民政府"]
    assert len({normalized_issuer(name, "望川县") for name in names}) == len(names)  # no dictionary expands 科技


def test_a_body_is_its_adcode_and_normalized_issuer() -> None:
    metadata = ReportMetadata(issuer="临湖市望川县人民政府", region="望川县", adcode="330111", year=2022)
    body = reporting_body(metadata)
    assert body == ReportingBody("330111", "望川县人民政府")
    assert body is not None and ReportingBody.from_key(body.key) == body
    assert reporting_body(metadata.model_copy(update={"adcode": None})) is None  # a zone: no code, never compared
    assert reporting_body(metadata.model_copy(update={"issuer": None})) is None
