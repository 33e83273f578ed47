"""Ingest's pure decisions and folder handling."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.ingest import folders, intake
from services.ingest.transform import (
    changed_while_read,
    duplicate_note,
    entry_refusal,
    failure_note,
    guess_media_type,
    inspect_upload,
    raw_report,
    redrop_event_id,
)
from services.ingest.watcher import StabilityTracker
from shared.failures import PermanentError
from shared.ids import report_id_for


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
    assert "dlq redrive" in note  # a stage's failure can be sent again; a file ingest refused cannot
    assert "dlq" not in failure_note("x.pdf", "empty", "ingest", "reports.raw.v1", None, datetime.now(UTC))


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


FUZZ = settings(max_examples=120, deadline=None, derandomize=True)


@FUZZ
@given(st.binary(max_size=300), st.text(max_size=40), st.integers(min_value=0, max_value=400))
def test_an_upload_is_refused_exactly_when_empty_or_too_big(content: bytes, name: str, limit: int) -> None:
    try:
        upload = inspect_upload(content, name, limit)
    except PermanentError as exc:
        assert not content.strip() or len(content) > limit
        assert exc.reason  # the user always reads why
    else:
        assert content.strip() and len(content) <= limit and upload.report_id == report_id_for(content)


@FUZZ
@given(st.sampled_from([stat.S_IFREG, stat.S_IFLNK, stat.S_IFIFO, stat.S_IFSOCK, stat.S_IFCHR, stat.S_IFBLK]),
       st.integers(min_value=0, max_value=0o7777))
def test_only_regular_files_are_read(kind: int, permissions: int) -> None:
    refusal = entry_refusal(kind | permissions)
    assert (refusal is None) == (kind == stat.S_IFREG)


@FUZZ
@given(st.tuples(st.integers(0, 10), st.integers(0, 10)), st.tuples(st.integers(0, 10), st.integers(0, 10)),
       st.integers(0, 10))
def test_any_change_while_reading_defers_the_file(before: tuple[int, int], after: tuple[int, int], read: int) -> None:
    assert changed_while_read(before, after, read) == (before != after or read != before[0])


def test_a_redrop_after_a_failure_gets_a_new_but_stable_event_id() -> None:
    report = raw_report(inspect_upload(b"report", "a.txt", 100), "a.txt", 6, "bucket", "a", datetime.now(UTC))
    redrop = redrop_event_id(report.report_id, 42)
    assert redrop != report.event_id and redrop == redrop_event_id(report.report_id, 42)
    assert redrop != redrop_event_id(report.report_id, 43)


def test_a_file_growing_while_read_is_deferred(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "r.pdf"
    path.write_bytes(b"%PDF-1.7 first half")
    assert intake.read_settled(path) == b"%PDF-1.7 first half"
    real_fstat = os.fstat

    def fstat_before_the_writer_appended(fd: int) -> os.stat_result:
        now = real_fstat(fd)
        return os.stat_result((*now[:6], now.st_size - 5, *now[7:]))

    monkeypatch.setattr(intake.os, "fstat", fstat_before_the_writer_appended)
    assert intake.read_settled(path) is None


def test_a_link_is_never_read(tmp_path: Path) -> None:
    (tmp_path / "secret").write_bytes(b"outside the bucket")
    (tmp_path / "link.pdf").symlink_to(tmp_path / "secret")
    assert intake.read_settled(tmp_path / "link.pdf") is None
    assert [p.name for p in folders.scan(tmp_path)] == ["link.pdf", "secret"]  # listed, to be refused


def test_duplicate_note_names_the_report_it_repeats() -> None:
    note = duplicate_note("b.pdf", "abc", "a.pdf", datetime.now(UTC))
    assert "duplicate_of: report abc (first ingested as a.pdf)" in note
