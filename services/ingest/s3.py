"""S3 / MinIO source: a bucket notification → fetch the object → the intake every source shares.

MinIO publishes one notification per created object (`mc event add ... --event put`) to NATS. With
`MINIO_NOTIFY_NATS_JETSTREAM=on` it lands on `S3_EVENTS_SUBJECT` inside the REPORTS stream, and ingest
reads it with the durable pull consumer `ingest-s3`: a notification sent while ingest is down waits
for it, an unreachable S3 endpoint is retried with backoff (TransientError), and a body that is no
S3 event is dead-lettered at once. Redeliveries cost nothing: the report_id is the content hash.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TypeVar
from urllib.parse import unquote_plus

import boto3
import structlog
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import BaseModel, Field

from services.ingest.intake import Intake, Outcome
from shared.failures import PermanentError, TransientError
from shared.ids import doc_id, report_id_for
from shared.settings import Settings

log = structlog.get_logger()
T = TypeVar("T")


class S3Bucket(BaseModel):
    name: str


class S3ObjectInfo(BaseModel):
    key: str = Field(description="URL-encoded (query style: space → '+')")
    size: int = 0


class S3Entity(BaseModel):
    bucket: S3Bucket
    object: S3ObjectInfo


class S3Record(BaseModel):
    event_name: str = Field(alias="eventName", description="MinIO: s3:ObjectCreated:Put; AWS: ObjectCreated:Put")
    s3: S3Entity


class S3Notification(BaseModel):
    """What MinIO's NATS target publishes ({"EventName", "Key", "Records"}); only Records matter here."""

    records: list[S3Record] = Field(alias="Records")


@dataclass(frozen=True)
class ObjectRef:
    bucket: str
    key: str
    size: int  # bytes, as announced by the event

    @property
    def filename(self) -> str:
        return PurePosixPath(self.key).name

    @property
    def uri(self) -> str:
        return f"s3://{self.bucket}/{self.key}"


# Verbs that bring new bytes; PutRetention/PutLegalHold/PutTagging only change metadata.
_NEW_BYTES = {"Put", "Post", "Copy", "CompleteMultipartUpload"}
# Worth a retry: the server or the network, not the request (S3 error codes).
_TRANSIENT_CODES = {"SlowDown", "Throttling", "RequestTimeout", "ServiceUnavailable", "InternalError"}


def created_objects(notification: S3Notification) -> list[ObjectRef]:
    """The objects whose bytes (re)appeared: removals, metadata changes and folder markers are no reports."""
    refs = []
    for record in notification.records:
        category, _, verb = record.event_name.removeprefix("s3:").partition(":")
        key = unquote_plus(record.s3.object.key)
        if category == "ObjectCreated" and verb in _NEW_BYTES and not key.endswith("/"):
            refs.append(ObjectRef(record.s3.bucket.name, key, record.s3.object.size))
    return refs


def s3_failure(ref: ObjectRef, exc: ClientError | BotoCoreError) -> Exception | None:
    """None when the object is gone (deleted since the event: nothing to do); else the error to raise."""
    if isinstance(exc, BotoCoreError):  # connection refused, timeouts: the endpoint, not the object
        return TransientError(f"S3 endpoint unavailable for {ref.uri}: {exc}")
    code = str(exc.response.get("Error", {}).get("Code", ""))
    status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
    if code in {"NoSuchKey", "404"}:
        return None
    if status >= 500 or code in _TRANSIENT_CODES:
        return TransientError(f"S3 error {code} ({status}) for {ref.uri}")
    return PermanentError(f"S3 refused {ref.uri}: {code} ({status})")


class S3Source:
    """Fetches announced objects with boto3 (in a thread: it blocks) and hands them to the Intake."""

    def __init__(self, intake: Intake, settings: Settings) -> None:
        self.intake = intake
        self.settings = settings
        secret = settings.s3_secret_access_key
        self.client = boto3.client(
            "s3",
            endpoint_url=settings.s3_endpoint_url,
            aws_access_key_id=settings.s3_access_key_id,
            aws_secret_access_key=secret.get_secret_value() if secret else None,
            region_name=settings.s3_region,
            # path-style: MinIO and moto serve every bucket on one host. Timeouts in seconds; one quick
            # retry here, the slow ones are JetStream redeliveries with backoff (NAK_BACKOFF_SECONDS).
            config=Config(
                s3={"addressing_style": "path"},
                connect_timeout=5,
                read_timeout=60,
                retries={"mode": "standard", "max_attempts": 2},
            ),
        )

    def _download(self, ref: ObjectRef) -> tuple[int, bytes | None]:
        """(size in bytes, content); content None when over MAX_REPORT_BYTES, so a huge object is never read."""
        response = self.client.get_object(Bucket=ref.bucket, Key=ref.key)
        size = int(response["ContentLength"])
        if size > self.settings.max_report_bytes:
            response["Body"].close()
            return size, None
        return size, response["Body"].read()

    async def _call(self, ref: ObjectRef, operation: Callable[[ObjectRef], T]) -> T | None:
        """Run a blocking boto3 call in a thread; S3 errors become ours, a vanished object becomes None."""
        try:
            return await asyncio.to_thread(operation, ref)
        except (ClientError, BotoCoreError) as exc:
            if (failure := s3_failure(ref, exc)) is not None:
                raise failure from exc
            return None

    def _delete(self, ref: ObjectRef) -> None:
        self.client.delete_object(Bucket=ref.bucket, Key=ref.key)

    async def ingest(self, ref: ObjectRef) -> Outcome | None:
        """One created object through the shared intake; deleted afterwards when configured and safe."""
        fetched = await self._call(ref, self._download)
        if fetched is None:  # e.g. a redelivery after S3_DELETE_AFTER_INGEST removed it
            log.info("s3_object_gone", uri=ref.uri)
            return None
        size, content = fetched
        if content is None:
            reason = f"{ref.filename} is {size:,} bytes, over the {self.settings.max_report_bytes:,}-byte limit"
            await self.intake.reject(ref.filename, size, "s3", ref.uri, reason)
            self._quarantine(ref, reason, None)
            return Outcome(ref.filename, None, reason, status="rejected")  # kept in the bucket: no copy in failed/
        outcome = await self.intake.ingest_bytes(content, ref.filename, "s3", ref.uri)
        if outcome.report is None:
            self._quarantine(ref, outcome.reason or "", content)
        if self.settings.s3_delete_after_ingest:  # the bytes are now in reports-raw or failed/
            await self._call(ref, self._delete)
        return outcome

    def _quarantine(self, ref: ObjectRef, reason: str, content: bytes | None) -> None:
        tag = report_id_for(content) if content is not None else doc_id(ref.uri, ref.size)
        self.intake.quarantine(ref.filename, reason, tag, content)
        log.warning("s3_object_refused", uri=ref.uri, reason=reason)
