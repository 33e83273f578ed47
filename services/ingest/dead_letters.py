"""Records every dead letter in failed/: the file itself and `<name>.error.txt` with the reason."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import structlog
from faststream.nats import NatsBroker
from nats.aio.msg import Msg

from services.ingest import folders
from services.ingest.transform import failure_note
from shared import topology
from shared.runtime import ERROR_HEADER, FAILED_STAGE_HEADER, ORIGINAL_SUBJECT_HEADER, decode_header
from shared.settings import Settings

log = structlog.get_logger()


def _payload(data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(data)
    except (UnicodeDecodeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


async def record_dead_letter(raw: Msg, broker: NatsBroker, settings: Settings) -> None:
    """Put the failed report into failed/ (moving it out of processed/ when it is there)."""
    headers = raw.headers or {}
    stage = headers.get(FAILED_STAGE_HEADER, "unknown")
    if stage == topology.INGEST:
        return  # ingest quarantined the file itself when it refused it
    payload = _payload(raw.data)
    report_id = payload.get("report_id")
    filename = payload.get("filename") or f"{report_id or 'unknown'}.bin"
    reason = decode_header(headers.get(ERROR_HEADER, "unknown error"))
    subject = headers.get(ORIGINAL_SUBJECT_HEADER, raw.subject)
    note = failure_note(filename, reason, stage, subject, report_id, datetime.now(UTC))
    processed = settings.processed_dir / filename
    if processed.exists():
        moved = folders.move_into(processed, settings.failed_dir, (report_id or "x")[:12])
        folders.record_failure(settings.failed_dir, moved.name, note)
    else:
        content = None
        if report_id:
            store = await broker.object_storage(topology.RAW_BUCKET)
            content = (await store.get(report_id)).data
        folders.record_failure(settings.failed_dir, filename, note, content)
    log.warning("failure_recorded", filename=filename, stage=stage, reason=reason)
