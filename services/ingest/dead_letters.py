"""Dead letters: record each in failed/ (reading them is shared.dead_letters)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import structlog
from faststream.nats import NatsBroker
from nats.aio.msg import Msg
from nats.js.errors import NotFoundError

from services.ingest import folders
from services.ingest.names import safe_name, tagged_name
from services.ingest.transform import failure_note
from shared import topology
from shared.dead_letters import DeadLetter
from shared.ids import report_id_for
from shared.settings import Settings

log = structlog.get_logger()


async def _stored_bytes(broker: NatsBroker, report_id: str) -> bytes | None:
    store = await broker.object_storage(topology.RAW_BUCKET, declare=False)
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
