"""Contracts: committed JSON Schemas match the models; envelopes are deterministic."""

from __future__ import annotations

import pytest

from shared.ids import event_id_for, report_id_for
from shared.messages.export import CONTRACTS, SCHEMA_DIR, render
from shared.runtime import decode_header, encode_header


@pytest.mark.parametrize("subject", sorted(CONTRACTS))
def test_committed_schema_matches_model(subject: str) -> None:
    committed = (SCHEMA_DIR / f"{subject}.json").read_text("utf-8")
    assert committed == render(subject, CONTRACTS[subject]), "run `python -m shared.messages.export`"


def test_ids_are_deterministic() -> None:
    assert report_id_for(b"abc") == report_id_for(b"abc") != report_id_for(b"abd")
    assert event_id_for("normalizer", "e1") == event_id_for("normalizer", "e1")
    assert event_id_for("normalizer", "e1") != event_id_for("section-splitter", "e1")


def test_error_headers_survive_chinese_and_newlines() -> None:
    reason = "无法解码:\n不是 GB18030/Big5/UTF-8 文本"
    encoded = encode_header(reason)
    assert encoded.isascii() and "\n" not in encoded
    assert decode_header(encoded) == "无法解码: 不是 GB18030/Big5/UTF-8 文本"
