"""The bucket watcher: two looks a window apart, event-driven passes, its settings."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import cast

import pytest

from services.ingest import watcher
from services.ingest.intake import Intake, Outcome
from services.ingest.watcher import StabilityTracker, watch_bucket, watch_options
from shared.settings import Settings


def test_a_rewrite_of_the_same_size_is_a_change(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes(b"draft")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    tracker = StabilityTracker(stable_seconds=0.2)
    assert tracker.ready([path], now=10.0) == []
    path.write_bytes(b"final")  # same size, new mtime_ns
    os.utime(path, ns=(1_000_000_001, 1_000_000_001))
    assert tracker.ready([path], now=10.3) == []  # changed since the first look: this is a new first look
    assert tracker.ready([path], now=10.6) == [path]


def test_the_next_look_is_due_one_window_after_the_earliest_first_look(tmp_path: Path) -> None:
    early, late = tmp_path / "a.txt", tmp_path / "b.txt"
    for path in (early, late):
        path.write_bytes(b"x")
    tracker = StabilityTracker(stable_seconds=0.2)
    assert tracker.next_look() is None
    tracker.ready([early], now=5.0)
    tracker.ready([early, late], now=5.1)
    assert tracker.next_look() == pytest.approx(5.2)


def test_taken_and_vanished_files_are_forgotten(tmp_path: Path) -> None:
    kept, gone = tmp_path / "kept.txt", tmp_path / "gone.txt"
    for path in (kept, gone):
        path.write_bytes(b"x")
    tracker = StabilityTracker(stable_seconds=0.2)
    tracker.ready([kept, gone], now=1.0)
    gone.unlink()
    assert tracker.ready([kept, gone], now=1.5) == [kept]
    assert tracker.next_look() is None


def test_the_watch_options_follow_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INGEST_DEBOUNCE_SECONDS", "0.25")
    monkeypatch.setenv("INGEST_STEP_SECONDS", "0.005")
    monkeypatch.setenv("INGEST_STABLE_SECONDS", "0.7")
    settings = Settings()
    assert watch_options(settings) == {"debounce": 250, "step": 5, "recursive": True}
    assert settings.ingest_stable_seconds == 0.7


class RecordingIntake:
    """Stands in for Intake: takes each file out of incoming/ and notes when and at what size."""

    def __init__(self) -> None:
        self.taken: dict[str, tuple[float, int]] = {}
        self.any_taken = asyncio.Event()

    async def ingest_path(self, path: Path, origin: Path | None = None) -> Outcome:
        self.taken[path.name] = (time.monotonic(), len(path.read_bytes()))
        path.unlink()
        self.any_taken.set()
        return Outcome(path.name, None, status="rejected")


def bucket_settings(tmp_path: Path, stable_seconds: float) -> Settings:
    return Settings(BUCKET_DIR=str(tmp_path / "bucket"), INGEST_STABLE_SECONDS=stable_seconds, INGEST_SCAN_SECONDS=1)


async def test_a_dropped_file_is_taken_whole_and_not_before_its_window(tmp_path: Path) -> None:
    settings = bucket_settings(tmp_path, stable_seconds=0.3)
    intake = RecordingIntake()
    task = asyncio.create_task(watch_bucket(cast(Intake, intake), settings))
    try:
        while not settings.incoming_dir.exists():
            await asyncio.sleep(0.01)
        dropped = time.monotonic()
        (settings.incoming_dir / "r.txt").write_bytes(b"report")
        await asyncio.wait_for(intake.any_taken.wait(), timeout=30)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    taken_at, size = intake.taken["r.txt"]
    assert size == len(b"report") and taken_at - dropped >= 0.3


async def test_a_failing_watch_stops_the_watcher(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken_watch(*_: object, **__: object) -> AsyncIterator[set[object]]:
        raise OSError("inotify watch limit reached")
        yield set()

    monkeypatch.setattr(watcher, "awatch", broken_watch)
    settings = bucket_settings(tmp_path, stable_seconds=0.2)
    with pytest.raises(OSError, match="inotify"):
        await asyncio.wait_for(watch_bucket(cast(Intake, RecordingIntake()), settings), timeout=30)
