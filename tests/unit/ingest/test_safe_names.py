"""The safe-name rule: every name from outside becomes one bounded component, and writes stay in the bucket."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.ingest import folders
from services.ingest.names import DUPLICATE_SUFFIX, MAX_NAME_BYTES, NAME_LIMIT_BYTES, safe_name, tagged_name

HOSTILE = ["../x", "/etc/x", "a/../../x", "x\x00y", "..", ".", "", "a\\..\\..\\x", "\x1b[31mx\n", "a" * 300 + ".pdf"]
FUZZ = settings(max_examples=150, deadline=None, derandomize=True)


def is_one_component(name: str) -> bool:
    return (
        bool(name)
        and name not in {".", ".."}
        and "/" not in name
        and "\\" not in name
        and not name.startswith(".")
        and all(ord(c) >= 32 and ord(c) != 127 for c in name)
        and len(name.encode("utf-8")) <= MAX_NAME_BYTES
    )


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_become_one_harmless_component(name: str) -> None:
    assert is_one_component(safe_name(name))
    assert is_one_component(tagged_name(name, "0123456789abcdef"))


@pytest.mark.parametrize("name", HOSTILE)
def test_failure_records_stay_inside_failed(name: str, tmp_path: Path) -> None:
    failed = tmp_path / "bucket" / "failed"
    target = folders.record_failure(failed, name, "0123456789ab", "reason\n", b"bytes")
    assert target.parent == failed and target.read_bytes() == b"bytes"
    assert sorted(p.parent for p in tmp_path.rglob("*") if p.is_file()) == [failed, failed]


def test_plain_names_are_kept() -> None:
    assert safe_name("2021年政府信息公开工作年度报告.pdf") == "2021年政府信息公开工作年度报告.pdf"
    assert safe_name("reports/2021/某县 报告.html") == "某县 报告.html"  # an S3 key: its last segment
    assert tagged_name("报告.pdf", "0123456789abcdef") == "报告.0123456789ab.pdf"
    assert tagged_name("报告.0123456789ab.pdf", "0123456789abcdef") == "报告.0123456789ab.pdf"  # re-dropped as is


def test_a_long_name_keeps_its_extension_and_gains_a_hash() -> None:
    one, other = "报" * 100 + "甲.pdf", "报" * 100 + "乙.pdf"  # 307 bytes each, same first 241
    assert safe_name(one).endswith(".pdf") and "~" in safe_name(one)
    assert safe_name(one) != safe_name(other)  # the hash of the full name tells them apart
    assert len((tagged_name(one, "abcdef012345") + DUPLICATE_SUFFIX).encode()) <= NAME_LIMIT_BYTES


def test_contained_refuses_anything_but_one_component(tmp_path: Path) -> None:
    for name in ("../x", "/etc/x", "a/b", "..", ""):
        with pytest.raises(ValueError):
            folders.contained(tmp_path, name)
    (tmp_path / "link").symlink_to(tmp_path.parent)
    with pytest.raises(ValueError):
        folders.contained(tmp_path, "link")


@FUZZ
@given(st.text())
def test_any_text_becomes_one_bounded_component(name: str) -> None:
    assert is_one_component(safe_name(name))


@FUZZ
@given(st.text(), st.text(alphabet="0123456789abcdef", min_size=12, max_size=64))
def test_tagged_names_carry_the_tag_and_are_stable(name: str, tag: str) -> None:
    tagged = tagged_name(name, tag)
    assert is_one_component(tagged) and tag[:12] in tagged and tagged == tagged_name(name, tag)


@FUZZ
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=60))
def test_clean_short_names_pass_unchanged(stem: str) -> None:
    name = stem.replace("/", "_").replace("\\", "_").strip().lstrip(".").strip() + ".pdf"
    if name != ".pdf":
        assert safe_name(name) == name
