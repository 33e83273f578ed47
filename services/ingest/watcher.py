"""Watches the bucket folder; a file is ingested once its size and mtime stop changing."""

from __future__ import annotations

import time
from pathlib import Path

import structlog
from watchfiles import awatch

from services.ingest import folders
from services.ingest.intake import Intake
from shared.settings import Settings

log = structlog.get_logger()


class StabilityTracker:
    """Remembers each file's (size, mtime) and since when it has been unchanged."""

    def __init__(self, stable_seconds: float) -> None:
        self.stable_seconds = stable_seconds
        self._seen: dict[Path, tuple[tuple[int, float], float]] = {}

    def ready(self, paths: list[Path], now: float) -> list[Path]:
        complete = []
        current: dict[Path, tuple[tuple[int, float], float]] = {}
        for path in paths:
            try:
                stat = path.lstat()  # a link is judged (and refused) as itself, never through its target
            except FileNotFoundError:
                continue
            signature = (stat.st_size, stat.st_mtime)
            previous = self._seen.get(path)
            since = previous[1] if previous and previous[0] == signature else now
            current[path] = (signature, since)
            if now - since >= self.stable_seconds:
                complete.append(path)
        self._seen = {p: v for p, v in current.items() if p not in complete}
        return complete


async def watch_bucket(intake: Intake, settings: Settings) -> None:
    """Run forever: rescan on filesystem events and at least every half stability period."""
    incoming = settings.incoming_dir
    for directory in (incoming, settings.processed_dir, settings.failed_dir):
        directory.mkdir(parents=True, exist_ok=True)
    tracker = StabilityTracker(settings.ingest_stable_seconds)
    tick_ms = int(max(0.1, min(settings.ingest_stable_seconds / 2, settings.ingest_scan_seconds)) * 1000)
    log.info("watching", folder=str(incoming.resolve()))
    await ingest_ready(intake, tracker, incoming)
    async for _changes in awatch(incoming, rust_timeout=tick_ms, yield_on_timeout=True, recursive=True):
        await ingest_ready(intake, tracker, incoming)


async def ingest_ready(intake: Intake, tracker: StabilityTracker, incoming: Path) -> None:
    for path in tracker.ready(folders.scan(incoming), time.monotonic()):
        try:
            await intake.ingest_path(path)
        except Exception:  # a broker hiccup must not kill the watcher; the file stays for the next pass
            log.exception("ingest_failed", path=str(path))
