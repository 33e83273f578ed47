"""All configuration, env-overridable (pydantic-settings). Built only in create_app()/the CLI.

Every variable is listed in .env.example with its unit; nothing else reads the environment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared import topology


def url_list(urls: str) -> list[str]:
    """`a,b , c` → [a, b, c]: one environment variable names every server of a cluster."""
    return [url.strip() for url in urls.split(",") if url.strip()]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    nats_url: str = Field(
        "nats://127.0.0.1:4222", alias="NATS_URL", description="a server URL, or a cluster's URLs comma-separated"
    )
    nats_replicas: int = Field(
        1, alias="NATS_REPLICAS", ge=1, le=5, description="servers holding a copy of the streams and Object Store "
        "buckets (consumers follow their stream); 3 on a 3-node cluster survives the loss of one"
    )
    es_url: str = Field(
        "http://127.0.0.1:9200", alias="ES_URL", description="a node URL, or a cluster's node URLs comma-separated"
    )
    es_index_replicas: int = Field(
        0, alias="ES_INDEX_REPLICAS", ge=0, description="copies of each index shard beyond the primary (0 on one "
        "node, which cannot place a replica; 1 on a 3-node cluster survives the loss of one)"
    )
    es_index_prefix: str = Field("govreports", alias="ES_INDEX_PREFIX")
    es_request_timeout: float = Field(30.0, alias="ES_REQUEST_TIMEOUT", description="seconds")
    es_api_key: SecretStr | None = Field(
        None, alias="ES_API_KEY", description="encoded API key (security on, as in compose); unset: no auth"
    )

    search_api_host: str = Field("127.0.0.1", alias="SEARCH_API_HOST", description="0.0.0.0 to serve other hosts")
    search_api_port: int = Field(8080, alias="SEARCH_API_PORT", description="HTTP port of the search API and page")
    # Page crops of PDF facts (services/search_api/crops.py): report ids are content hashes, so nothing goes stale
    crop_cache_bytes: int = Field(
        32 * 2**20, alias="CROP_CACHE_BYTES", ge=0, description="bytes of rendered page crops kept (LRU; ~30 KB each)"
    )
    raw_report_cache_bytes: int = Field(
        64 * 2**20, alias="RAW_REPORT_CACHE_BYTES", ge=0,
        description="bytes of raw report files kept for their crops (LRU; a report view asks one per fact)",
    )

    bucket_dir: Path = Field(Path("bucket"), alias="BUCKET_DIR", description="holds incoming/ processed/ failed/")
    ingest_dir: Path | None = Field(None, alias="INGEST_DIR", description="default: BUCKET_DIR/incoming")
    ingest_stable_seconds: float = Field(
        0.2,
        alias="INGEST_STABLE_SECONDS",
        gt=0,
        description="seconds between the two looks at a new file: it is read once its size and mtime_ns are "
        "unchanged across them (a writer pausing longer than this must write under a .part name and rename)",
    )
    ingest_debounce_seconds: float = Field(
        0.1, alias="INGEST_DEBOUNCE_SECONDS", gt=0, description="longest filesystem events are gathered before "
        "incoming/ is scanned while files keep arriving (watchfiles debounce, s)"
    )
    ingest_step_seconds: float = Field(
        0.02, alias="INGEST_STEP_SECONDS", gt=0, description="a batch of filesystem events ends after this long "
        "(s) without a new one (watchfiles step)"
    )
    ingest_scan_seconds: float = Field(
        5.0, alias="INGEST_SCAN_SECONDS", description="safety rescan period beside filesystem events"
    )
    ingest_claim_timeout_seconds: float = Field(
        300.0, alias="INGEST_CLAIM_TIMEOUT_SECONDS", gt=0, description="seconds after which a file an ingest "
        "replica claimed (BUCKET_DIR/claims/) and never finished goes back to incoming/ (its replica died); "
        "longer than one file's ingest, which takes seconds even at MAX_REPORT_BYTES"
    )
    max_report_bytes: int = Field(50 * 1024 * 1024, alias="MAX_REPORT_BYTES", description="bytes; larger → failed/")

    # S3 / MinIO ingest (services/ingest/s3.py): on when S3_ENDPOINT_URL is set. Bucket notifications arrive on
    # a JetStream subject inside the REPORTS stream (`reports.>`), so they are durable and retried like any event.
    s3_endpoint_url: str | None = Field(None, alias="S3_ENDPOINT_URL", description="e.g. http://minio:9000")
    s3_access_key_id: str | None = Field(None, alias="S3_ACCESS_KEY_ID")
    s3_secret_access_key: SecretStr | None = Field(None, alias="S3_SECRET_ACCESS_KEY")
    s3_region: str = Field("us-east-1", alias="S3_REGION")
    s3_events_subject: str = Field(
        "reports.s3.events", alias="S3_EVENTS_SUBJECT", pattern=r"^reports\.", description="must be under reports."
    )
    s3_delete_after_ingest: bool = Field(False, alias="S3_DELETE_AFTER_INGEST", description="delete once ingested")

    max_deliver: int = Field(
        5, alias="MAX_DELIVER", description="deliveries of a message that crashes/hangs its worker, then dead letter"
    )
    nak_backoff_seconds: float = Field(
        2.0, alias="NAK_BACKOFF_SECONDS", description="first retry delay (s); doubles up to RETRY_MAX_SECONDS"
    )
    ack_wait_seconds: float = Field(
        15.0, alias="ACK_WAIT_SECONDS", gt=0, description="redelivery after a crashed worker; heartbeat every third"
    )
    retry_max_seconds: float = Field(
        30.0, alias="RETRY_MAX_SECONDS", gt=0, description="longest pause between retries while a dependency is down"
    )
    work_timeout_seconds: float = Field(
        900.0, alias="WORK_TIMEOUT_SECONDS", gt=0, description="one delivery's handler time before it counts as hung"
    )
    health_dir: Path | None = Field(
        None, alias="HEALTH_DIR", description="writes <service>.json: healthy, waiting_for (unset: log only)"
    )
    stream_max_age_seconds: float = Field(
        topology.STREAM_MAX_AGE_SECONDS, alias="STREAM_MAX_AGE_SECONDS", description="seconds; 0 = keep forever"
    )
    stream_max_bytes: int = Field(
        topology.STREAM_MAX_BYTES, alias="STREAM_MAX_BYTES", description="bytes; -1 = no limit"
    )
    # 256 KiB (≈ 87k Chinese characters, 3 bytes each in UTF-8): seed reports are 8–26 KB, so they travel inline;
    # a longer one goes by claim check (shared/claims.py), its PDF layout with it, leaving room for sections and
    # table cells under even NATS' default 1 MB max_payload, not only our 8 MB one.
    text_claim_check_bytes: int = Field(
        256 * 1024, alias="TEXT_CLAIM_CHECK_BYTES", gt=0,
        description="bytes of UTF-8 text plus its PDF layout as JSON; larger → reports-text",
    )

    # The normalizer's parsing child (services/normalizer/worker.py): a breach is a permanent error
    parse_timeout_seconds: float = Field(
        60.0, alias="PARSE_TIMEOUT_SECONDS", gt=0, description="seconds one report's extraction may take"
    )
    parse_memory_mib: int = Field(
        1024, alias="PARSE_MEMORY_MIB", ge=256, description="MiB of address space (RLIMIT_AS) of the parsing child"
    )
    # OCR of PDF pages without a text layer, in that child (services/normalizer/ocr.py: RapidOCR, ~6 s CPU a page)
    ocr_enabled: bool = Field(
        True, alias="OCR_ENABLED", description="recognise scanned PDF pages; false: they fail as 'needs OCR'"
    )
    ocr_dpi: int = Field(
        200, alias="OCR_DPI", ge=72, le=600, description="dots per inch a scanned page is rendered at for OCR "
        "(the detector scales pages to at most 2000 px a side, ~170 dpi on A4: more only costs rendering)"
    )
    ocr_max_pages: int = Field(
        20, alias="OCR_MAX_PAGES", ge=1, description="scanned pages OCR'd per report at most; later ones stay unread"
    )
    ocr_page_seconds: float = Field(
        15.0, alias="OCR_PAGE_SECONDS", gt=0, description="seconds added to PARSE_TIMEOUT_SECONDS for a PDF per page "
        "it may OCR (× OCR_MAX_PAGES: 60 + 20 × 15 = 360 s, under WORK_TIMEOUT_SECONDS)"
    )
    ocr_memory_mib: int = Field(
        3072, alias="OCR_MEMORY_MIB", ge=1024, description="MiB of address space of the parsing child when OCR is "
        "on (the ONNX models and one A4 page reach ~1.8 GiB, ~1 GiB resident; the rest is room for larger pages); "
        "the larger of this and PARSE_MEMORY_MIB applies"
    )

    replay_max_in_flight: int = Field(
        500, alias="REPLAY_MAX_IN_FLIGHT", ge=1, description="replayed reports published but not yet indexed or "
        "dead-lettered, at most (the stream drops its oldest messages beyond STREAM_MAX_BYTES, unread ones too)"
    )

    # The indexer's batches (services/indexer/writer.py): one mget + one bulk request per fetch
    index_batch_size: int = Field(
        100, alias="INDEX_BATCH_SIZE", ge=1, description="messages per fetch, written in one bulk request"
    )
    index_batch_wait_ms: float = Field(
        5.0, alias="INDEX_BATCH_WAIT_MS", ge=0, description="ms without a new message of the fetch before its bulk goes"
    )
    index_refresh: Literal["false", "wait_for", "true"] = Field(
        "false", alias="INDEX_REFRESH", description="bulk refresh: false = searchable within the refresh interval"
    )

    log_level: str = Field("INFO", alias="LOG_LEVEL")
    log_format: Literal["auto", "json", "console"] = Field("auto", alias="LOG_FORMAT")

    otel_traces_exporter: str = Field("none", alias="OTEL_TRACES_EXPORTER", description="console | otlp | none")
    otel_metrics_exporter: str = Field("none", alias="OTEL_METRICS_EXPORTER", description="console | otlp | none")
    otel_service_name: str | None = Field(None, alias="OTEL_SERVICE_NAME")
    trace_file: Path | None = Field(
        None, alias="TRACE_FILE", description="console exporter target: a file, or a directory of <service>.jsonl",
    )

    @property
    def nats_servers(self) -> list[str]:
        """Every NATS server the clients may connect to (they learn the rest of the cluster from any one)."""
        return url_list(self.nats_url)

    @property
    def es_hosts(self) -> list[str]:
        """Every Elasticsearch node the client spreads requests over (and retries on when one is down)."""
        return url_list(self.es_url)

    @property
    def incoming_dir(self) -> Path:
        return self.ingest_dir or self.bucket_dir / "incoming"

    @property
    def claims_dir(self) -> Path:
        """Where an ingest replica renames a file it takes: on incoming/'s filesystem, so the rename is atomic."""
        return self.bucket_dir / "claims"

    @property
    def processed_dir(self) -> Path:
        return self.bucket_dir / "processed"

    @property
    def failed_dir(self) -> Path:
        return self.bucket_dir / "failed"

    def index_alias(self, kind: Literal["reports", "sections", "metrics"]) -> str:
        return f"{self.es_index_prefix}-{kind}"

    def write_alias(self, kind: Literal["reports", "sections", "metrics"]) -> str:
        """What the indexer writes to; reindex/replay move it to the next version before the read alias."""
        return f"{self.es_index_prefix}-{kind}-write"
