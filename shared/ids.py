"""Deterministic identities: the same input always yields the same ids, so redelivery dedups."""

from __future__ import annotations

import hashlib
import uuid

_NAMESPACE = uuid.UUID("6f1c1b0e-3f4e-5d0a-9a57-0b9d0c6a2f11")


def report_id_for(content: bytes) -> str:
    """Business key of a report: sha256 of its bytes (dropping a file twice is one report)."""
    return hashlib.sha256(content).hexdigest()


def event_id_for(producer: str, cause: str) -> str:
    """uuid5 of the producing service and the input event id; used as Nats-Msg-Id."""
    return str(uuid.uuid5(_NAMESPACE, f"{producer}:{cause}"))


def doc_id(*parts: object) -> str:
    """Deterministic Elasticsearch _id from its parts (replays overwrite, never duplicate)."""
    joined = "\x1f".join(str(p) for p in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()
