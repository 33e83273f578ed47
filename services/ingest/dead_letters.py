"""Dead letters: read them from the stream (id = stream sequence), and record each in failed/."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import structlog
from faststream.nats import NatsBroker
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import RawStreamMsg
from nats.js.errors import NotFoundError

from services.ingest import folders
from services.ingest.names import safe_name, tagged_name
from services.ingest.transform import failure_note
from shared import topology
from shared.ids import report_id_for
from shared.runtime import (
    DELIVERIES_HEADER,
    ERROR_HEADER,
    ERROR_KIND_HEADER,
    FAILED_STAGE_HEADER,
    ORIGINAL_SUBJECT_HEADER,
    decode_header,
)
from shared.settings import Settings

log = structlog.get_logger()


def payload_of(data: bytes) -> dict[str, Any]:
    """The JSON object of a body, or {} for anything else (a malformed message is a dead letter too)."""
    try:
        value = json.loads(data)
    except (UnicodeDecodeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class DeadLetter:
    """One message of `dlq.reports.>`; `seq` (its stream sequence) is the id users type."""

    seq: int
    subject: str
    headers: dict[str, str]
    data: bytes
    time: datetime | None

    @property
    def original_subject(self) -> str:
        return self.headers.get(ORIGINAL_SUBJECT_HEADER) or self.subject.removeprefix(topology.DLQ_PREFIX)

    @property
    def stage(self) -> str:
        return self.headers.get(FAILED_STAGE_HEADER, "unknown")

    @property
    def reason(self) -> str:
        return decode_header(self.headers.get(ERROR_HEADER, "unknown error"))

    @property
    def kind(self) -> str:
        return self.headers.get(ERROR_KIND_HEADER, "-")

    @property
    def deliveries(self) -> str:
        return self.headers.get(DELIVERIES_HEADER, "-")

    @property
    def report_id(self) -> str | None:
        value = payload_of(self.data).get("report_id")
        return value if isinstance(value, str) else None

    @property
    def filename(self) -> str | None:
        value = payload_of(self.data).get("filename")
        return value if isinstance(value, str) else None


def _dead_letter(msg: RawStreamMsg) -> DeadLetter:
    return DeadLetter(msg.seq or 0, msg.subject or "", dict(msg.headers or {}), msg.data or b"", msg.time)


async def dead_letters(js: JetStreamContext, report_id: str | None = None) -> list[DeadLetter]:
    """Every dead letter still in the stream (oldest first), optionally only those of one report."""
    found, seq = [], 1
    while True:
        try:
            msg = await js.get_msg(topology.STREAM_NAME, seq, subject=topology.DLQ_ALL, next=True)
        except NotFoundError:
            return found
        letter = _dead_letter(msg)
        if report_id is None or letter.report_id == report_id:
            found.append(letter)
        seq = letter.seq + 1


async def dead_letter(js: JetStreamContext, seq: int) -> DeadLetter | None:
    """The dead letter with this id; None when it is gone or the id names another kind of message."""
    try:
        msg = await js.get_msg(topology.STREAM_NAME, seq)
    except NotFoundError:
        return None
    return _dead_letter(msg) if (msg.subject or "").startswith(topology.DLQ_PREFIX) else None


async def _stored_bytes(broker: NatsBroker, report_id: str) -> bytes | None:
    store = await broker.object_storage(topology.RAW_BUCKET)
    try:
        return (await store.get(report_id)).data
    except NotFoundError:
        return None


def _processed_copy(settings: Settings, filename: str, report_id: str) -> Path | None:
    """The processed/ file holding exactly this report's bytes (a same-named file of another report is not it)."""
    for name in (safe_name(filename), tagged_name(filename, report_id)):
        path = folders.contained(settings.processed_dir, name)
        if path.is_file() and report_id_for(path.read_bytes()) == report_id:
            return path
    return None


async def record_dead_letter(raw: Msg, broker: NatsBroker, settings: Settings) -> None:
    """Put the failed report into failed/ (moving it out of processed/ when it is there)."""
    letter = DeadLetter(0, raw.subject, dict(raw.headers or {}), raw.data, None)
    if letter.stage == topology.INGEST:
        return  # ingest quarantined the file itself when it refused it
    report_id = letter.report_id
    filename = letter.filename or f"{report_id or 'unknown'}.bin"
    tag = report_id or report_id_for(raw.data)
    note = failure_note(filename, letter.reason, letter.stage, letter.original_subject, report_id, datetime.now(UTC))
    source = await asyncio.to_thread(_processed_copy, settings, filename, report_id) if report_id else None
    content = None if source or not report_id else await _stored_bytes(broker, report_id)
    folders.record_failure(settings.failed_dir, filename, tag, note, content, source)
    log.warning("failure_recorded", filename=filename, stage=letter.stage, reason=letter.reason)
