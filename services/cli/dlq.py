"""`govreports dlq list | show ID | redrive ID... | redrive --all`: the dead letters, and a way back.

A dead letter is a message of the REPORTS stream under `dlq.reports.>`; its ID is its stream sequence.
Redrive republishes the original body to its original subject under a FRESH event id (uuid5 of
`redrive:<old event id>:<dead letter id>`, also the Nats-Msg-Id): the original id would be swallowed by
the 24 h duplicate window, and every later stage derives its ids from this one. The dead letter is
then deleted from the stream, so it is never redriven twice; if the stage fails again, a new one appears.
Uploads refused by ingest itself are not redriven: the file was bad, the fix is a new file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from nats.js import JetStreamContext

from shared import topology
from shared.dead_letters import DeadLetter, dead_letter, dead_letters, payload_of
from shared.ids import event_id_for

REDRIVE_PRODUCER = "redrive"
_KEPT_HEADERS = ("traceparent", "tracestate")


class RedriveRefused(Exception):
    """This dead letter cannot be sent again as it is; the message says what to do instead."""


@dataclass(frozen=True)
class Redrive:
    subject: str
    data: bytes
    headers: dict[str, str]


def redrive_message(letter: DeadLetter) -> Redrive:
    """The message that redrives `letter`: its original body on its original subject, with a fresh event id."""
    if letter.stage == topology.INGEST:
        name = letter.filename or "the file"
        raise RedriveRefused(f"refused by ingest ({letter.reason}): fix {name} and drop it into incoming/ again")
    subject = letter.original_subject
    if not subject.startswith("reports.") or subject.startswith(topology.DLQ_PREFIX):
        raise RedriveRefused(f"original subject {subject!r} is no pipeline subject")
    payload = payload_of(letter.data)
    old_id = payload.get("event_id")
    if isinstance(old_id, str):
        fresh = event_id_for(REDRIVE_PRODUCER, f"{old_id}:{letter.seq}")
        data = json.dumps(payload | {"event_id": fresh}, ensure_ascii=False).encode("utf-8")
    else:  # not an envelope (e.g. an S3 notification, or a malformed body): sent as it was
        fresh, data = event_id_for(REDRIVE_PRODUCER, f"{subject}:{letter.seq}"), letter.data
    headers = {k: v for k, v in letter.headers.items() if k in _KEPT_HEADERS} | {"Nats-Msg-Id": fresh}
    return Redrive(subject, data, headers)


def matches(letter: DeadLetter, stage: str | None, subject: str | None) -> bool:
    return (stage is None or letter.stage == stage) and (subject is None or letter.original_subject == subject)


async def select(js: JetStreamContext, stage: str | None = None, subject: str | None = None) -> list[DeadLetter]:
    return [letter for letter in await dead_letters(js) if matches(letter, stage, subject)]


async def redrive(js: JetStreamContext, seq: int) -> str:
    """Redrive one dead letter; the line to print. Raises RedriveRefused / LookupError."""
    letter = await dead_letter(js, seq)
    if letter is None:
        raise LookupError(f"no dead letter {seq} (already redriven, or not a dead letter)")
    message = redrive_message(letter)
    # A crash between the two calls is harmless: the same id again is dropped by the duplicate window.
    await js.publish(message.subject, message.data, stream=topology.STREAM_NAME, headers=message.headers)
    await js.delete_msg(topology.STREAM_NAME, seq)
    return f"redriven {seq} → {message.subject} (event {message.headers['Nats-Msg-Id']})"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def format_list(letters: list[DeadLetter]) -> str:
    if not letters:
        return "no dead letters"
    lines = [f"{'ID':>6}  {'TIME (UTC)':19}  {'STAGE':16}  {'SUBJECT':24}  {'DLV':>3}  REPORT / FILE  REASON"]
    for letter in letters:
        when = letter.time.strftime("%Y-%m-%d %H:%M:%S") if letter.time else "-"
        what = (letter.report_id or "-")[:12] + (f" {letter.filename}" if letter.filename else "")
        lines.append(
            f"{letter.seq:>6}  {when:19}  {letter.stage:16}  {letter.original_subject:24}  {letter.deliveries:>3}  "
            f"{_clip(what, 40)}  {_clip(letter.reason, 100)}"
        )
    return "\n".join(lines) + f"\n{len(letters)} dead letter(s); `govreports dlq show ID`, `govreports dlq redrive ID`"


def format_letter(letter: DeadLetter) -> str:
    body = payload_of(letter.data)
    shown = json.dumps(body, ensure_ascii=False, indent=1) if body else f"<{len(letter.data)} bytes, not JSON>"
    fields = {
        "id": letter.seq,
        "time": letter.time.isoformat() if letter.time else "-",
        "stage": letter.stage,
        "original subject": letter.original_subject,
        "kind": letter.kind,
        "deliveries": letter.deliveries,
        "report_id": letter.report_id or "-",
        "file": letter.filename or "-",
        "reason": letter.reason,
    }
    return "\n".join(f"{key + ':':18} {value}" for key, value in fields.items()) + f"\nbody:\n{shown}"


async def run(js: JetStreamContext, action: str, ids: list[int], everything: bool, stage: str | None,
              subject: str | None) -> int:
    """The `dlq` subcommand; exit code 2 when an id was unknown or a dead letter could not be redriven."""
    if action == "list":
        print(format_list(await select(js, stage, subject)))
        return 0
    if action == "show":
        letters = [await dead_letter(js, seq) for seq in ids]
        for seq, letter in zip(ids, letters, strict=True):
            print(format_letter(letter) if letter else f"no dead letter {seq}")
        return 0 if all(letters) else 2
    targets = [letter.seq for letter in await select(js, stage, subject)] if everything else ids
    failed = 0
    for seq in targets:
        try:
            print(await redrive(js, seq))
        except (RedriveRefused, LookupError) as exc:
            failed += 1
            print(f"skipped {seq}: {exc}")
    print(f"{len(targets) - failed} redriven, {failed} skipped")
    return 2 if failed else 0
