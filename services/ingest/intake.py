"""Ingest I/O shared by every source (bucket folder, Object Store bucket, CLI)."""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import structlog
from faststream.nats import NatsBroker
from nats.js.api import ObjectMeta, PubAck
from nats.js.errors import ObjectNotFoundError
from opentelemetry import trace

from services.ingest import folders
from services.ingest.names import DUPLICATE_SUFFIX
from services.ingest.transform import (
    changed_while_read,
    duplicate_note,
    entry_refusal,
    failure_note,
    inspect_upload,
    raw_report,
    redrop_event_id,
)
from shared import topology
from shared.dead_letters import dead_letters
from shared.failures import PermanentError
from shared.ids import doc_id, report_id_for
from shared.messages import RawReport
from shared.messages.v1 import IngestSource
from shared.runtime import (
    DELIVERIES_HEADER,
    ERROR_HEADER,
    ERROR_KIND_HEADER,
    FAILED_STAGE_HEADER,
    ORIGINAL_SUBJECT_HEADER,
    dedup_headers,
    encode_header,
)
from shared.settings import Settings

log = structlog.get_logger()
tracer = trace.get_tracer("govreports.ingest")


Status = Literal["ingested", "reprocessed", "duplicate", "rejected", "deferred"]


@dataclass
class Outcome:
    """What became of one upload. `reprocessed`: a re-drop of a report whose last attempt was
    dead-lettered; `duplicate`: the same bytes are already in the pipeline; `deferred`: still being written."""

    filename: str
    report: RawReport | None
    reason: str | None = None
    moved_to: Path | None = None
    status: Status = "ingested"


def read_settled(path: Path) -> bytes | None:
    """The bytes of a regular file, or None when it changed while being read (or is no regular file any more).

    O_NOFOLLOW: a file swapped for a link after the watcher's lstat is still never followed; O_NONBLOCK:
    a swapped-in FIFO cannot hang the watcher on open.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        with os.fdopen(os.open(path, flags), "rb") as handle:
            before = os.fstat(handle.fileno())
            if entry_refusal(before.st_mode):
                return None
            content = handle.read()
        after = os.lstat(path)
    except OSError:  # ELOOP (a link now), or gone: the next pass decides
        return None
    signature = (before.st_size, before.st_mtime_ns)
    return None if changed_while_read(signature, (after.st_size, after.st_mtime_ns), len(content)) else content


class Intake:
    """Stores bytes (claim check), publishes reports.raw.v1, dead-letters what it rejects."""

    def __init__(self, broker: NatsBroker, settings: Settings) -> None:
        self.broker = broker
        self.settings = settings

    async def submit(self, content: bytes, filename: str, source: IngestSource, source_uri: str) -> Outcome:
        """Accept one upload; raises PermanentError for input no stage could use.

        The event id derives from the bytes, so a re-drop within the 24 h duplicate window is swallowed by
        the server. When that happens and the report's last attempt was dead-lettered, it is published
        again under a new id; otherwise it is reported as a duplicate. Ingest never deletes dead letters
        (its NATS user may not): `govreports dlq list` still shows the answered ones.
        """
        upload = inspect_upload(content, filename, self.settings.max_report_bytes)
        store = await self.broker.object_storage(topology.RAW_BUCKET, declare=False)
        try:
            await store.get_info(upload.report_id)
        except ObjectNotFoundError:
            await store.put(upload.report_id, content, meta=ObjectMeta(name=upload.report_id, description=filename))
        report = raw_report(upload, filename, len(content), source, source_uri, datetime.now(UTC))
        status: Status = "ingested"
        if (await self._publish(report)).duplicate:
            failures = await dead_letters(self.broker.connection.jetstream(), report.report_id)
            if failures:  # the same new id for every re-drop answering the latest failure
                report = report.model_copy(update={"event_id": redrop_event_id(report.report_id, failures[-1].seq)})
            if not failures or (await self._publish(report)).duplicate:
                log.warning("duplicate", filename=filename, report_id=report.report_id, source=source)
                return Outcome(filename, report, status="duplicate")
            status = "reprocessed"
        log.info(status, filename=filename, report_id=report.report_id, size=len(content), source=source)
        return Outcome(filename, report, status=status)

    async def _publish(self, report: RawReport) -> PubAck:
        return await self.broker.publish(
            report, subject=topology.RAW, stream=topology.STREAM_NAME, headers=dedup_headers(report)
        )

    async def reject(self, filename: str, size: int, source: str, source_uri: str, reason: str) -> None:
        """Dead-letter an upload ingest refused (body: a descriptor, the bytes stay in failed/)."""
        body = {"filename": filename, "size": size, "source": source, "source_uri": source_uri, "reason": reason}
        headers = {
            "Nats-Msg-Id": f"dlq:{topology.INGEST}:{doc_id(source_uri, size, reason)}",
            ERROR_HEADER: encode_header(reason),
            ERROR_KIND_HEADER: "permanent",
            FAILED_STAGE_HEADER: topology.INGEST,
            ORIGINAL_SUBJECT_HEADER: topology.RAW,
            DELIVERIES_HEADER: "0",
        }
        await self.broker.publish(
            json.dumps(body, ensure_ascii=False).encode("utf-8"),
            subject=topology.dlq_subject(topology.RAW),
            stream=topology.STREAM_NAME,
            headers=headers,
        )
        log.warning("rejected", filename=filename, reason=reason, source=source)

    async def ingest_bytes(self, content: bytes, filename: str, source: IngestSource, source_uri: str) -> Outcome:
        """One upload as one trace: accepted, or rejected with a reason (never raises for bad data)."""
        with tracer.start_as_current_span("ingest", attributes={"govreports.filename": filename}):
            try:
                return await self.submit(content, filename, source, source_uri)
            except PermanentError as exc:
                await self.reject(filename, len(content), source, source_uri, exc.reason)
                return Outcome(filename, None, exc.reason, status="rejected")

    async def ingest_path(self, path: Path, source: IngestSource = "bucket", origin: Path | None = None) -> Outcome:
        """An entry of the bucket folder: ingest it, then move it to processed/ or failed/.

        `origin` is where it was dropped when `path` is the watcher's claim of it (folders.claim): the name
        users and events see. Links and special files are refused unopened; a file still changing is left
        for a later pass.
        """
        origin = origin or path
        entry = path.lstat()
        if (refusal := entry_refusal(entry.st_mode)) is not None:
            tag = doc_id(origin, entry.st_mtime_ns)
            return await self._refuse(path, origin, entry.st_size, source, refusal, tag, True)
        if entry.st_size > self.settings.max_report_bytes:  # don't read a huge file just to refuse it
            reason = f"{path.name} is {entry.st_size:,} bytes, over the {self.settings.max_report_bytes:,}-byte limit"
            return await self._refuse(path, origin, entry.st_size, source, reason, doc_id(origin, entry.st_size), False)
        content = await asyncio.to_thread(read_settled, path)
        if content is None:
            log.info("still_being_written", filename=path.name, size=entry.st_size)
            return Outcome(path.name, None, status="deferred")
        outcome = await self.ingest_bytes(content, path.name, source, str(origin))
        if outcome.report is None:
            outcome.moved_to = self.quarantine(path.name, outcome.reason or "", report_id_for(content), source=path)
            return outcome
        outcome.moved_to = folders.move_into(path, self.settings.processed_dir, outcome.report.report_id)
        if outcome.status == "duplicate":
            store = await self.broker.object_storage(topology.RAW_BUCKET, declare=False)
            info = await store.get_info(outcome.report.report_id)
            note = duplicate_note(path.name, outcome.report.report_id, info.description, datetime.now(UTC))
            folders.contained(self.settings.processed_dir, outcome.moved_to.name + DUPLICATE_SUFFIX).write_text(
                note, encoding="utf-8"
            )
        return outcome

    def quarantine(
        self, filename: str, reason: str, tag: str, content: bytes | None = None, source: Path | None = None
    ) -> Path:
        """failed/<stem>.<tag><ext> + .error.txt; the bytes moved from `source` or written from `content`."""
        return folders.record_failure(self.settings.failed_dir, filename, tag, _note(filename, reason), content, source)

    async def _refuse(
        self, path: Path, origin: Path, size: int, source: IngestSource, reason: str, tag: str, special: bool
    ) -> Outcome:
        """Refuse a folder entry without reading it: dead letter + failed/ record."""
        with tracer.start_as_current_span("ingest", attributes={"govreports.filename": path.name}):
            await self.reject(path.name, size, source, str(origin), reason)
        if special:  # a link or special file leaves incoming/ without being opened
            moved = folders.refuse_entry(path, self.settings.failed_dir, tag, _note(path.name, reason))
        else:
            moved = self.quarantine(path.name, reason, tag, source=path)
        return Outcome(path.name, None, reason, moved, status="rejected")


def _note(filename: str, reason: str) -> str:
    return failure_note(filename, reason, topology.INGEST, topology.RAW, None, datetime.now(UTC))
