"""The one place that declares JetStream topology: stream, subjects, durables, buckets, DLQ rule."""

from __future__ import annotations

from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig

STREAM_NAME = "REPORTS"

RAW = "reports.raw.v1"
NORMALIZED = "reports.normalized.v1"
SECTIONED = "reports.sectioned.v1"
METRICS = "reports.metrics.v1"
INDEXED = "reports.indexed.v1"

DLQ_PREFIX = "dlq."
DLQ_ALL = "dlq.reports.>"

RAW_BUCKET = "reports-raw"
"""Object Store bucket holding every accepted report's bytes, named by report_id (claim check)."""
INCOMING_BUCKET = "reports-incoming"
"""Object Store bucket any NATS client may put files into; ingest picks them up and deletes them."""

# Durable consumer names equal the kebab service names (compose service, service.name, logs).
INGEST = "ingest"
NORMALIZER = "normalizer"
SECTION_SPLITTER = "section-splitter"
METRIC_EXTRACTOR = "metric-extractor"
INDEXER = "indexer"

DUPLICATE_WINDOW_SECONDS = 24 * 3600
"""Nats-Msg-Id dedup window: re-dropping a file within a day is absorbed by the server itself;
later duplicates are caught by the Object Store lookup in ingest and by deterministic _ids."""


def dlq_subject(subject: str) -> str:
    """Dead-letter subject for messages that failed permanently on `subject`."""
    return f"{DLQ_PREFIX}{subject}"


def stream_config() -> StreamConfig:
    """File-backed stream keeping every report event and dead letter (replay reads it)."""
    return StreamConfig(
        name=STREAM_NAME,
        subjects=["reports.>", DLQ_ALL],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
    )
