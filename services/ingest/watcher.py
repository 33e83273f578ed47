"""Watches the bucket folder; a file is ingested once two looks a short window apart find it unchanged, by the
one replica whose claim (an atomic rename into BUCKET_DIR/claims/, services/ingest/folders.py) succeeds.

Latency budget of one dropped file: the filesystem event batch ends `INGEST_STEP_SECONDS` after the last
event (at most `INGEST_DEBOUNCE_SECONDS` while files keep arriving), the first look records its size and
mtime_ns, the second comes `INGEST_STABLE_SECONDS` later, then it is read (re-checked after reading) and
published. No fixed per-file wait: every file waiting for its second look shares the same sleep.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path
from typing import Any

import structlog
from watchfiles import awatch

from services.ingest import folders
from services.ingest.intake import Intake
from shared.settings import Settings

log = structlog.get_logger()

Signature = tuple[int, int]
"""(size in bytes, mtime in ns): what must stay the same between two looks."""


class StabilityTracker:
    """Remembers each file's signature and since when it has been unchanged."""

    def __init__(self, stable_seconds: float) -> None:
        self.stable_seconds = stable_seconds
        self._seen: dict[Path, tuple[Signature, float]] = {}

    def ready(self, paths: list[Path], now: float) -> list[Path]:
        """The paths whose signature has not changed for `stable_seconds`; they are forgotten once returned."""
        complete = []
        current: dict[Path, tuple[Signature, float]] = {}
        for path in paths:
            try:
                stat = path.lstat()  # a link is judged (and refused) as itself, never through its target
            except FileNotFoundError:
                continue
            signature = (stat.st_size, stat.st_mtime_ns)
            previous = self._seen.get(path)
            since = previous[1] if previous and previous[0] == signature else now
            if now - since >= self.stable_seconds:
                complete.append(path)
            else:
                current[path] = (signature, since)
        self._seen = current
        return complete

    def next_look(self) -> float | None:
        """When the earliest file still waiting can be judged (monotonic s); None when none waits."""
        if not self._seen:
            return None
        return min(since for _, since in self._seen.values()) + self.stable_seconds


def watch_options(settings: Settings) -> dict[str, Any]:
    """watchfiles arguments (ms): a batch of events ends after a short quiet step, or at the debounce cap."""
    return {
        "debounce": round(settings.ingest_debounce_seconds * 1000),
        "step": round(settings.ingest_step_seconds * 1000),
        "recursive": True,
    }


async def watch_bucket(intake: Intake, settings: Settings) -> None:
    """Run forever: one pass over incoming/ on every batch of filesystem events, when a file is due for its
    second look, and at least every INGEST_SCAN_SECONDS (events can be missed, e.g. on network filesystems)."""
    incoming = settings.incoming_dir
    for directory in (incoming, settings.claims_dir, settings.processed_dir, settings.failed_dir):
        directory.mkdir(parents=True, exist_ok=True)
    tracker = StabilityTracker(settings.ingest_stable_seconds)
    changed = asyncio.Event()
    stop = asyncio.Event()
    listener = asyncio.create_task(listen(incoming, settings, changed, stop), name="incoming-events")
    log.info("watching", folder=str(incoming.resolve()))
    try:
        while not listener.done():
            changed.clear()  # events arriving during the pass set it again: no batch is missed
            await ingest_ready(intake, tracker, settings)
            due = tracker.next_look()
            wait = settings.ingest_scan_seconds if due is None else max(0.0, due - time.monotonic())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), wait)
        listener.result()  # the watch itself failed (e.g. out of inotify watches): the service must know
    finally:
        # The watch runs in a thread that checks `stop` every step and then ends: cancelling the listener
        # instead could land between two thread calls, where watchfiles' task group swallows it, and the
        # listener would then watch forever (seen as a hung shutdown on a loaded machine).
        stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await listener


async def listen(incoming: Path, settings: Settings, changed: asyncio.Event, stop: asyncio.Event) -> None:
    try:
        async for _changes in awatch(incoming, stop_event=stop, **watch_options(settings)):
            changed.set()
    finally:
        changed.set()  # a watch that ended wakes the loop at once, which then raises its error


async def ingest_ready(intake: Intake, tracker: StabilityTracker, settings: Settings) -> None:
    """One pass: ingest every file found unchanged across its two looks and claimed by this replica (a file
    that changed while it was read goes back to incoming/; its writer's events bring it back for two new looks).
    Claims a dead replica left behind for INGEST_CLAIM_TIMEOUT_SECONDS go back to incoming/ first."""
    incoming = settings.incoming_dir
    for path in folders.recover_stale_claims(
        settings.claims_dir, incoming, settings.ingest_claim_timeout_seconds, time.time()
    ):
        log.warning("claim_recovered", path=str(path))
    for path in tracker.ready(folders.scan(incoming), time.monotonic()):
        if (claimed := folders.claim(path, settings.claims_dir)) is None:
            continue  # another replica took it
        try:
            outcome = await intake.ingest_path(claimed, origin=path)
        except Exception:  # a broker hiccup must not kill the watcher; the file goes back for a later pass
            log.exception("ingest_failed", path=str(path))
            folders.release(claimed, path)
            continue
        if outcome.status == "deferred":
            folders.release(claimed, path)
        else:
            folders.finish(claimed, path)
