"""Dead letters as read from the REPORTS stream (`dlq.reports.>`): their id is the stream sequence, their reason
and stage are in the headers shared.runtime writes. Read by ingest (failed/), `govreports dlq` and the status."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from nats.js import JetStreamContext
from nats.js.api import RawStreamMsg
from nats.js.errors import NotFoundError

from shared import topology
from shared.runtime import (
    DELIVERIES_HEADER,
    ERROR_HEADER,
    ERROR_KIND_HEADER,
    FAILED_STAGE_HEADER,
    ORIGINAL_SUBJECT_HEADER,
    decode_header,
)


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
