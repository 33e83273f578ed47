"""Ingest's pure decisions and folder handling."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from services.ingest import folders
from services.ingest.transform import failure_note, guess_media_type, inspect_upload, raw_report
from services.ingest.watcher import StabilityTracker
from shared.failures import PermanentError


def test_empty_and_whitespace_uploads_are_refused() -> None:
    for content in (b"", b" \r\n\t"):
        with pytest.raises(PermanentError, match="empty"):
            inspect_upload(content, "a.txt", 1000)


def test_oversized_upload_is_refused_with_the_limit() -> None:
    with pytest.raises(PermanentError, match="1,000-byte limit"):
        inspect_upload(b"x" * 1001, "big.pdf", 1000)


def test_identity_comes_from_content_not_name() -> None:
    a = raw_report(inspect_upload(b"report", "a.txt", 100), "a.txt", 6, "bucket", "a", datetime.now(UTC))
    b = raw_report(inspect_upload(b"report", "b.html", 100), "b.html", 6, "cli", "b", datetime.now(UTC))
    assert a.report_id == b.report_id and a.event_id == b.event_id and a.object_name == a.report_id


def test_media_type_trusts_magic_bytes_over_names() -> None:
    assert guess_media_type("report.txt", b"%PDF-1.7") == "application/pdf"
    assert guess_media_type("r.docx", b"PK\x03\x04").endswith("wordprocessingml.document")
    assert guess_media_type("r.htm", b"<html>") == "text/html"


def test_failure_note_names_reason_and_stage() -> None:
    note = failure_note("x.pdf", "scanned PDF, needs OCR", "normalizer", "reports.raw.v1", "abc", datetime.now(UTC))
    assert "reason: scanned PDF, needs OCR" in note and "stage: normalizer" in note


def test_partial_and_hidden_files_wait(tmp_path: Path) -> None:
    for name in ("report.html", ".hidden", "dl.crdownload", "copy.part"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in folders.scan(tmp_path)] == ["report.html"]


def test_name_clash_in_processed_gets_a_tag(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "done").mkdir()
    (tmp_path / "done" / "r.txt").write_text("old")
    (tmp_path / "in" / "r.txt").write_text("new")
    moved = folders.move_into(tmp_path / "in" / "r.txt", tmp_path / "done", "abc123")
    assert moved.name == "r.abc123.txt" and (tmp_path / "done" / "r.txt").read_text() == "old"


def test_a_file_is_ready_only_after_it_stopped_growing(tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    path.write_bytes(b"a")
    tracker = StabilityTracker(stable_seconds=1.0)
    assert tracker.ready([path], now=100.0) == []
    path.write_bytes(b"ab")  # still being written
    assert tracker.ready([path], now=100.8) == []
    assert tracker.ready([path], now=101.5) == []  # unchanged for only 0.7 s
    assert tracker.ready([path], now=101.9) == [path]
