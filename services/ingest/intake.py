"""Ingest I/O shared by every source (bucket folder, Object Store bucket, CLI)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import structlog
from faststream.nats import NatsBroker
from nats.js.api import ObjectMeta
from nats.js.errors import ObjectNotFoundError
from opentelemetry import trace

from services.ingest import folders
from services.ingest.transform import failure_note, inspect_upload, raw_report
from shared import topology
from shared.failures import PermanentError
from shared.ids import doc_id
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


@dataclass
class Outcome:
    filename: str
    report: RawReport | None
    reason: str | None = None
    moved_to: Path | None = None


class Intake:
    """Stores bytes (claim check), publishes reports.raw.v1, dead-letters what it rejects."""

    def __init__(self, broker: NatsBroker, settings: Settings) -> None:
        self.broker = broker
        self.settings = settings

    async def submit(self, content: bytes, filename: str, source: IngestSource, source_uri: str) -> RawReport:
        """Accept one upload; raises PermanentError for input no stage could use."""
        upload = inspect_upload(content, filename, self.settings.max_report_bytes)
        store = await self.broker.object_storage(topology.RAW_BUCKET)
        try:
            await store.get_info(upload.report_id)
        except ObjectNotFoundError:
            await store.put(upload.report_id, content, meta=ObjectMeta(name=upload.report_id, description=filename))
        report = raw_report(upload, filename, len(content), source, source_uri, datetime.now(UTC))
        await self.broker.publish(
            report, subject=topology.RAW, stream=topology.STREAM_NAME, headers=dedup_headers(report)
        )
        log.info("ingested", filename=filename, report_id=report.report_id, size=len(content), source=source)
        return report

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
                return Outcome(filename, await self.submit(content, filename, source, source_uri))
            except PermanentError as exc:
                await self.reject(filename, len(content), source, source_uri, exc.reason)
                return Outcome(filename, None, exc.reason)

    async def ingest_path(self, path: Path, source: IngestSource = "bucket") -> Outcome:
        """A file of the bucket folder: ingest it, then move it to processed/ or failed/."""
        size = path.stat().st_size
        if size > self.settings.max_report_bytes:  # don't read a huge file just to refuse it
            outcome = await self._refuse_unread(path, size, source)
        else:
            content = await asyncio.to_thread(path.read_bytes)
            outcome = await self.ingest_bytes(content, path.name, source, str(path))
        tag = outcome.report.report_id[:12] if outcome.report else doc_id(path, size)[:12]
        if outcome.report is not None:
            outcome.moved_to = folders.move_into(path, self.settings.processed_dir, tag)
        else:
            outcome.moved_to = folders.move_into(path, self.settings.failed_dir, tag)
            self.quarantine(outcome.moved_to.name, outcome.reason or "")
        return outcome

    def quarantine(self, filename: str, reason: str, content: bytes | None = None) -> None:
        """failed/<filename>.error.txt (+ the bytes when no local file was moved there)."""
        note = failure_note(filename, reason, topology.INGEST, topology.RAW, None, datetime.now(UTC))
        folders.record_failure(self.settings.failed_dir, filename, note, content)

    async def _refuse_unread(self, path: Path, size: int, source: IngestSource) -> Outcome:
        reason = f"{path.name} is {size:,} bytes, over the {self.settings.max_report_bytes:,}-byte limit"
        with tracer.start_as_current_span("ingest", attributes={"govreports.filename": path.name}):
            await self.reject(path.name, size, source, str(path), reason)
        return Outcome(path.name, None, reason)
