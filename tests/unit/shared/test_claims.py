"""The pure parts of the text claim check: the threshold, the object names, the additive v1 field."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from shared import topology
from shared.claims import needs_claim_check, text_object_name
from shared.messages import NormalizedReport, SectionedReport
from shared.messages.export import SCHEMA_DIR

REPORT_ID = "0f37" * 16


def old_message(model: type[NormalizedReport] | type[SectionedReport]) -> dict[str, Any]:
    """A message as producers wrote it before text_object existed."""
    message = {
        "report_id": REPORT_ID,
        "event_id": "e1",
        "produced_by": "normalizer",
        "produced_at": datetime.now(UTC).isoformat(),
        "filename": "报告.txt",
        "source_format": "text",
        "text": "某某县人民政府2021年政府信息公开工作年度报告",
        "metadata": {"year": 2021},
        "extractor_version": "1.0.0",
    }
    return message | ({"sections": [], "tables": []} if model is SectionedReport else {})


def test_a_text_of_exactly_the_limit_stays_inline() -> None:
    assert not needs_claim_check(b"x" * 1024, 1024)
    assert needs_claim_check(b"x" * 1025, 1024)


def test_the_limit_counts_utf8_bytes_not_characters() -> None:
    text = "政府信息公开" * 100  # 600 characters, 1800 bytes
    assert needs_claim_check(text.encode(), 1000)


def test_object_names_follow_report_and_content() -> None:
    name = text_object_name(REPORT_ID, "正文".encode())
    assert name.startswith(f"{REPORT_ID}/") and name == text_object_name(REPORT_ID, "正文".encode())
    assert name != text_object_name(REPORT_ID, "正文。".encode())  # a re-extraction with another text
    assert name != text_object_name("1" * 64, "正文".encode())


@pytest.mark.parametrize("model", [NormalizedReport, SectionedReport])
def test_messages_without_text_object_still_validate(model: type[NormalizedReport] | type[SectionedReport]) -> None:
    message = model.model_validate_json(json.dumps(old_message(model), ensure_ascii=False))
    assert message.text_object is None and message.text.startswith("某某县")


@pytest.mark.parametrize("subject", [topology.NORMALIZED, topology.SECTIONED])
def test_text_object_is_optional_in_the_committed_schemas(subject: str) -> None:
    schema = json.loads((SCHEMA_DIR / f"{subject}.json").read_text("utf-8"))
    assert "text_object" in schema["properties"] and "text_object" not in schema["required"]
    assert schema["properties"]["text_object"]["default"] is None
    assert "text" in schema["required"]  # still there for old readers: empty when claim-checked
