"""Claim check for long normalized texts: the text rides in the Object Store, the message names it.

A report's normalized text travels inside reports.normalized.v1 and reports.sectioned.v1; a long one
(plus sections and table cells) would exceed the server's max_payload and the publish would fail.
Producers call `store_text` just before publishing, consumers `load_text` before their transform, so
transforms only ever see full texts. A PDF's layout (page boxes of the text's lines and cells) is sized
with its text and several times larger as JSON, so it leaves and comes back with it, as an object of its own.

Objects are named `<report_id>/<sha256 of the UTF-8 text>`: a name always means one content, so a
re-extraction with another extractor version, a redelivery or a redrive can never read another run's
text, and nothing is ever rewritten (no reader can see an object change under it). The section-splitter
publishing the text it was given finds the object already there and writes nothing.

Retention: the bucket's TTL is the stream's age limit (STREAM_MAX_AGE_SECONDS, topology.text_bucket_config),
counted from the first put. The messages naming an object are published after it and expire with the
stream, so they cannot outlive it by more than their stage's lag; a dead letter redriven after its text
expired dead-letters again as "missing", and `govreports replay` (from reports-raw) re-extracts it.
"""

from __future__ import annotations

import hashlib
from typing import TypeVar

import structlog
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError
from nats.js.object_store import ObjectStore
from pydantic import TypeAdapter

from shared import topology
from shared.failures import PermanentError
from shared.messages import NormalizedReport, SectionedReport
from shared.messages.v1 import Placement

log = structlog.get_logger()
D = TypeVar("D", NormalizedReport, SectionedReport)
"""The messages that carry a normalized text."""
_LAYOUT = TypeAdapter(list[Placement])


def text_object_name(report_id: str, content: bytes) -> str:
    """Content-addressed name: the same text of the same report always lands on the same object."""
    return f"{report_id}/{hashlib.sha256(content).hexdigest()}"


def needs_claim_check(content: bytes, limit: int) -> bool:
    """A text (with its layout) over `limit` bytes (TEXT_CLAIM_CHECK_BYTES) leaves the message."""
    return len(content) > limit


async def _put_once(store: ObjectStore, name: str, content: bytes) -> None:
    """Content-addressed: an object already there holds these very bytes."""
    try:
        await store.get_info(name)
    except NotFoundError:
        await store.put(name, content)
        log.info("text_claim_check_stored", object=name, bytes=len(content))


async def store_text(js: JetStreamContext, document: D, limit: int) -> D:
    """`document` with its text moved to the text bucket when longer than `limit` UTF-8 bytes, else itself.

    The returned copy has `text=""` and `text_object` set. A PDF's layout (a placement per line and table
    cell, several times the text's size in JSON) counts with the text and leaves with it, as its own object
    (`layout_object`). Object Store errors propagate: an outage is transient (shared.failures.is_transient), so
    the stage retries the whole message.
    """
    content = document.text.encode()
    layout = _LAYOUT.dump_json(document.layout) if document.layout else b""
    if not needs_claim_check(content + layout, limit):
        return document
    store = await js.object_store(topology.TEXT_BUCKET)
    name = text_object_name(document.report_id, content)
    await _put_once(store, name, content)
    update: dict[str, object] = {"text": "", "text_object": name}
    if layout:
        layout_name = text_object_name(document.report_id, layout)
        await _put_once(store, layout_name, layout)
        update |= {"layout": [], "layout_object": layout_name}
    return document.model_copy(update=update)


async def _fetch(js: JetStreamContext, name: str) -> bytes:
    """An object of the text bucket; a missing one is permanent (dead letter), an outage transient."""
    try:
        store = await js.object_store(topology.TEXT_BUCKET)
        result = await store.get(name)
    except NotFoundError as exc:  # the object, or the whole bucket, is gone: retrying cannot bring it back
        raise PermanentError(f"text claim check {name} missing from bucket {topology.TEXT_BUCKET}") from exc
    content = result.data or b""
    log.info("text_claim_check_loaded", object=name, bytes=len(content))
    return content


async def load_text(js: JetStreamContext, document: D, *, with_layout: bool = True) -> D:
    """`document` with the text (and layout) of its claim checks filled in and the names cleared, else itself.

    Clearing makes a loaded document the same as one that came inline, so a transform copying its input
    (the section-splitter) never forwards a stale claim check beside a full text. A reader that never looks at
    the layout (the indexer) passes `with_layout=False`: the layout, several times the text's size, stays in the
    bucket and its claim check stays set. A missing object is a permanent error (dead letter); an Object Store
    outage propagates as a transient one.
    """
    update: dict[str, object] = {}
    if document.text_object is not None:
        update |= {"text": (await _fetch(js, document.text_object)).decode(), "text_object": None}
    if with_layout and document.layout_object is not None:
        update |= {"layout": _LAYOUT.validate_json(await _fetch(js, document.layout_object)), "layout_object": None}
    return document.model_copy(update=update) if update else document
