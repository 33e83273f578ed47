"""Pure decisions of ingest: accept or reject an upload, name its event, describe failures."""

from __future__ import annotations

import json
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath

from shared import topology
from shared.failures import PermanentError
from shared.ids import event_id_for, report_id_for
from shared.messages import RawReport
from shared.messages.v1 import IngestSource

_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),
    (b"\xd0\xcf\x11\xe0", "application/x-ole-storage"),
)
_EXTENSIONS = {
    ".html": "text/html",
    ".htm": "text/html",
    ".shtml": "text/html",
    ".txt": "text/plain",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
}


@dataclass(frozen=True)
class Upload:
    report_id: str
    media_type: str | None


def guess_media_type(filename: str, head: bytes) -> str | None:
    """Magic bytes first (names lie), extension second; the normalizer decides for real."""
    for magic, media_type in _MAGIC:
        if head.startswith(magic):
            if media_type == "application/zip" and filename.lower().endswith(".docx"):
                return _EXTENSIONS[".docx"]
            return media_type
    return _EXTENSIONS.get(PurePath(filename).suffix.lower())


def inspect_upload(content: bytes, filename: str, max_bytes: int) -> Upload:
    """Reject what no stage could use; everything else gets its content-derived identity."""
    if not content.strip():
        raise PermanentError(f"{filename} is empty ({len(content)} bytes): nothing to extract")
    if len(content) > max_bytes:
        raise PermanentError(
            f"{filename} is {len(content):,} bytes, over the {max_bytes:,}-byte limit (MAX_REPORT_BYTES)"
        )
    return Upload(report_id_for(content), guess_media_type(filename, content[:8]))


def raw_report(
    upload: Upload, filename: str, size: int, source: IngestSource, source_uri: str, produced_at: datetime
) -> RawReport:
    return RawReport(
        report_id=upload.report_id,
        event_id=event_id_for(topology.INGEST, upload.report_id),
        caused_by=None,
        produced_by=topology.INGEST,
        produced_at=produced_at,
        filename=filename,
        size=size,
        media_type=upload.media_type,
        object_bucket=topology.RAW_BUCKET,
        object_name=upload.report_id,
        source=source,
        source_uri=source_uri,
    )


def failure_note(filename: str, reason: str, stage: str, subject: str, report_id: str | None, at: datetime) -> str:
    """Contents of failed/<name>.error.txt: what failed, where, and why, for a human."""
    lines = [
        f"file: {filename}",
        f"reason: {reason}",
        f"stage: {stage}",
        f"subject: {subject}",
        f"report_id: {report_id or '-'}",
        f"failed_at: {at.isoformat()}",
        "",
        "Fix the file and drop it into the incoming folder again; nothing else needs resetting.",
    ]
    if stage != topology.INGEST:  # the message reached a stage: it can be sent again as it is
        lines.append("If the file was fine and the cause is fixed, `govreports dlq list` / `govreports dlq redrive ID`"
                     " reprocesses it without a re-drop.")
    return "\n".join(lines) + "\n"


def duplicate_note(filename: str, report_id: str, first_name: str | None, at: datetime) -> str:
    """Contents of processed/<name>.duplicate.txt: why a re-dropped file caused nothing."""
    lines = [
        f"file: {filename}",
        f"duplicate_of: report {report_id}" + (f" (first ingested as {first_name})" if first_name else ""),
        f"noticed_at: {at.isoformat()}",
        "",
        "These exact bytes were ingested within the last 24 hours and are in the pipeline (not failed, or already",
        "re-dropped after their failure): nothing was reprocessed. `govreports dlq list` shows failures.",
        "To re-extract every stored report with the current extractor run `govreports replay`.",
    ]
    return "\n".join(lines) + "\n"


_SPECIAL_KINDS = (
    (stat.S_ISLNK, "symbolic link"),
    (stat.S_ISFIFO, "named pipe (FIFO)"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
)


def entry_refusal(mode: int) -> str | None:
    """Why a folder entry (its lstat mode) is not read at all; None for a regular file.

    A link is never followed: its target may lie outside the bucket (e.g. a file only the service may read).
    """
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _SPECIAL_KINDS if test(mode)), "special file")
    return f"{kind}: refused, only regular files are ingested (links are never followed); put the file itself here"


def changed_while_read(before: tuple[int, int], after: tuple[int, int], read: int) -> bool:
    """(size, mtime_ns) before and after reading, and bytes read: a writer still at work shows in any of them."""
    return before != after or read != before[0]


def redrop_event_id(report_id: str, dead_letter_seq: int) -> str:
    """The event id of a re-dropped report whose last attempt was dead-lettered (stream sequence
    `dead_letter_seq`): new, so the 24 h duplicate window lets it through, yet the same for every re-drop
    answering that one failure."""
    return event_id_for(topology.INGEST, f"redrop:{report_id}:{dead_letter_seq}")


@dataclass(frozen=True)
class ObjectPut:
    """One put into the incoming Object Store bucket: the object's name and the id of that version."""

    name: str
    nuid: str


def announced_put(meta: bytes) -> ObjectPut | None:
    """The put an Object Store meta message announces; None for a delete's tombstone or anything unreadable
    (the bucket's stream is written by NATS clients, not by us: nothing in it may stop the consumer)."""
    try:
        info = json.loads(meta)
    except ValueError:  # UnicodeDecodeError included
        return None
    if not isinstance(info, dict) or info.get("deleted"):
        return None
    name, nuid = info.get("name"), info.get("nuid")
    if not isinstance(name, str) or not isinstance(nuid, str) or not name or not nuid:
        return None
    return ObjectPut(name, nuid)
