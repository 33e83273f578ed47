"""The one place that declares JetStream topology: stream, subjects, durables, buckets, DLQ rule."""

from __future__ import annotations

from nats.js.api import DiscardPolicy, ObjectStoreConfig, RetentionPolicy, StorageType, StreamConfig

STREAM_NAME = "REPORTS"

RAW = "reports.raw.v1"
NORMALIZED = "reports.normalized.v1"
SECTIONED = "reports.sectioned.v1"
METRICS = "reports.metrics.v1"
INDEXED = "reports.indexed.v1"
CROSSYEAR = "reports.crossyear.v1"
"""Continuity checks between consecutive reports of one body (services/cross_year); the stream's reports.> has it."""

DLQ_PREFIX = "dlq."
DLQ_ALL = "dlq.reports.>"

RAW_BUCKET = "reports-raw"
"""Object Store bucket holding every accepted report's bytes, named by report_id (claim check)."""
INCOMING_BUCKET = "reports-incoming"
"""Object Store bucket any NATS client may put files into; ingest picks them up and deletes them."""
TEXT_BUCKET = "reports-text"
"""Object Store bucket of normalized texts too long to travel inside a message (claim check, shared/claims.py).

Objects are named `<report_id>/<sha256 of the text>` and never rewritten; they expire with the stream (see
`text_bucket_config`)."""

# Durable consumer names equal the kebab service names (compose service, service.name, logs).
INGEST = "ingest"
NORMALIZER = "normalizer"
SECTION_SPLITTER = "section-splitter"
METRIC_EXTRACTOR = "metric-extractor"
INDEXER = "indexer"
CROSS_YEAR = "cross-year"
PIPELINE_SERVICES = (INGEST, NORMALIZER, SECTION_SPLITTER, METRIC_EXTRACTOR, INDEXER, CROSS_YEAR)
"""The NATS services a local deployment runs (`govreports run`) and the status reports on; each one's code is
the package services/<name with _ for ->."""

DUPLICATE_WINDOW_SECONDS = 24 * 3600
"""Nats-Msg-Id dedup window: re-dropping a file within a day is absorbed by the server itself;
later duplicates are caught by the Object Store lookup in ingest and by deterministic _ids."""

STREAM_MAX_AGE_SECONDS = 90 * 24 * 3600
"""Events and dead letters older than 90 days are dropped: replay re-reads the Object Store, not the
stream, so the limit only bounds how long a dead letter waits for `redrive` (and, as the TTL of
TEXT_BUCKET, how long a long text is kept)."""
STREAM_MAX_BYTES = 2 * 1024**3
"""2 GiB (bytes) of events and dead letters, the oldest going first beyond it. The server reserves it
out of its file store (deploy/nats: max_file_store 10GB); the Object Store buckets need the rest."""

ADVISORY_STREAM_NAME = "REPORTS_ADVISORIES"
MAX_DELIVERIES_ADVISORIES = f"$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.{STREAM_NAME}.*"
"""The server announces here every message whose deliveries ran out unacknowledged (crash, hang)."""
EXHAUSTED = "exhausted-deliveries"
"""Durable shared by every service: whichever is alive dead-letters a message its stage kept losing."""
ADVISORY_MAX_AGE_SECONDS = 7 * 24 * 3600


def dlq_subject(subject: str) -> str:
    """Dead-letter subject for messages that failed permanently on `subject`."""
    return f"{DLQ_PREFIX}{subject}"


def stream_config(
    max_age_seconds: float = STREAM_MAX_AGE_SECONDS, max_bytes: int = STREAM_MAX_BYTES, replicas: int = 1
) -> StreamConfig:
    """File-backed stream keeping every report event and dead letter within the age and size limits, on
    `replicas` servers of a cluster (its consumers get the same number)."""
    return StreamConfig(
        name=STREAM_NAME,
        subjects=["reports.>", DLQ_ALL],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        max_age=max_age_seconds,
        max_bytes=max_bytes,
        # The server refuses a dedup window longer than the age limit.
        duplicate_window=min(DUPLICATE_WINDOW_SECONDS, max_age_seconds or DUPLICATE_WINDOW_SECONDS),
        num_replicas=replicas,
    )


def advisory_stream_config(replicas: int = 1) -> StreamConfig:
    """Keeps max-deliveries advisories until a service reads them, even if none runs when they fire."""
    return StreamConfig(
        name=ADVISORY_STREAM_NAME,
        subjects=[MAX_DELIVERIES_ADVISORIES],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        max_age=ADVISORY_MAX_AGE_SECONDS,
        num_replicas=replicas,
    )


def bucket_config(bucket: str, replicas: int = 1) -> ObjectStoreConfig:
    """File-backed Object Store bucket kept forever (RAW_BUCKET, INCOMING_BUCKET) on `replicas` servers."""
    return ObjectStoreConfig(bucket=bucket, storage=StorageType.FILE, replicas=replicas)


def text_bucket_config(max_age_seconds: float = STREAM_MAX_AGE_SECONDS, replicas: int = 1) -> ObjectStoreConfig:
    """File-backed text bucket whose objects live as long as the stream keeps events.

    A message older than the stream's age limit is gone and cannot be redelivered, so nothing reads its
    text after that; the same TTL bounds the bucket without a clean-up job (0 keeps both forever).
    """
    return ObjectStoreConfig(
        bucket=TEXT_BUCKET,
        description="normalized texts of reports.normalized.v1/reports.sectioned.v1 (claim check)",
        ttl=max_age_seconds,
        storage=StorageType.FILE,
        replicas=replicas,
    )
