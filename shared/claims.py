"""Claim check for long normalized texts: the text rides in the Object Store, the message names it.

A report's normalized text travels inside reports.normalized.v1 and reports.sectioned.v1; a long one
(plus sections and table cells) would exceed the server's max_payload and the publish would fail.
Producers call `store_text` just before publishing, consumers `load_text` before their transform, so
transforms only ever see full texts.

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

from shared import topology
from shared.failures import PermanentError
from shared.messages import NormalizedReport, SectionedReport

log = structlog.get_logger()
D = TypeVar("D", NormalizedReport, SectionedReport)
"""The messages that carry a normalized text."""


def text_object_name(report_id: str, content: bytes) -> str:
    """Content-addressed name: the same text of the same report always lands on the same object."""
    return f"{report_id}/{hashlib.sha256(content).hexdigest()}"


def needs_claim_check(content: bytes, limit: int) -> bool:
    """A text over `limit` bytes (TEXT_CLAIM_CHECK_BYTES) leaves the message."""
    return len(content) > limit


async def store_text(js: JetStreamContext, document: D, limit: int) -> D:
    """`document` with its text moved to the text bucket when longer than `limit` UTF-8 bytes, else itself.

    The returned copy has `text=""` and `text_object` set. Object Store errors propagate: an outage is
    transient (shared.failures.is_transient), so the stage retries the whole message.
    """
    content = document.text.encode()
    if not needs_claim_check(content, limit):
        return document
    name = text_object_name(document.report_id, content)
    store = await js.object_store(topology.TEXT_BUCKET)
    try:
        await store.get_info(name)
    except NotFoundError:
        await store.put(name, content)
        log.info("text_claim_check_stored", object=name, bytes=len(content))
    return document.model_copy(update={"text": "", "text_object": name})


async def load_text(js: JetStreamContext, document: D) -> D:
    """`document` with the text of its claim check filled in (and `text_object` cleared), else itself.

    Clearing makes a loaded document the same as one that came inline, so a transform copying its input
    (the section-splitter) never forwards a stale claim check beside a full text. A missing object is a
    permanent error (dead letter); an Object Store outage propagates as a transient one.
    """
    name = document.text_object
    if name is None:
        return document
    try:
        store = await js.object_store(topology.TEXT_BUCKET)
        result = await store.get(name)
    except NotFoundError as exc:  # the object, or the whole bucket, is gone: retrying cannot bring it back
        raise PermanentError(f"text claim check {name} missing from bucket {topology.TEXT_BUCKET}") from exc
    content = result.data or b""
    log.info("text_claim_check_loaded", object=name, bytes=len(content))
    return document.model_copy(update={"text": content.decode(), "text_object": None})

