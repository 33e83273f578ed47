"""S3 ingest against real servers: moto's S3 server, NATS JetStream, the ingest router on a real broker.

The notification is the body MinIO's NATS target publishes; the router consumes it from the REPORTS
stream, fetches the object over HTTP and runs the shared intake (claim check, DLQ, failed/).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from faststream.nats import NatsBroker
from nats.js.errors import NotFoundError

from services.ingest.intake import Intake
from services.ingest.s3 import ObjectRef, S3Source
from shared import topology
from shared.ids import report_id_for
from shared.messages import RawReport
from shared.runtime import ERROR_HEADER, FAILED_STAGE_HEADER, decode_header
from shared.settings import Settings
from tests.support.ingest import ingest_replica
from tests.support.polling import eventually
from tests.support.s3 import S3_CREDENTIALS, minio_notification, moto_server, s3_client

pytestmark = pytest.mark.integration

REPORT = "2021年某县政府信息公开工作年度报告\n一、总体情况\n全年受理政府信息公开申请12件。\n".encode()
DEADLINE_SECONDS = 15.0


@pytest.fixture(scope="module")
def s3_url() -> Iterator[str]:
    with moto_server() as url:
        yield url


@dataclass
class Running:
    settings: Settings
    broker: NatsBroker
    s3: Any  # boto3 S3 client: how a user (or MinIO's mc) puts files into the bucket

    async def put(self, bucket: str, key: str, content: bytes) -> None:
        await asyncio.to_thread(self.s3.create_bucket, Bucket=bucket)
        await asyncio.to_thread(self.s3.put_object, Bucket=bucket, Key=key, Body=content)

    async def notify(self, body: bytes) -> None:
        await self.broker.connection.jetstream().publish(self.settings.s3_events_subject, body)

    async def exists(self, bucket: str, key: str) -> bool:
        listing = await asyncio.to_thread(self.s3.list_objects_v2, Bucket=bucket, Prefix=key)
        return listing.get("KeyCount", 0) > 0


def s3_settings(nats_url: str, s3_url: str, bucket_dir: Path, delete: bool) -> Settings:
    return Settings(
        NATS_URL=nats_url,
        BUCKET_DIR=str(bucket_dir),
        S3_ENDPOINT_URL=s3_url,
        **S3_CREDENTIALS,
        S3_DELETE_AFTER_INGEST=delete,
        MAX_DELIVER=2,
        NAK_BACKOFF_SECONDS=0.1,
    )


@pytest.fixture(scope="module")
async def ingest(nats_url: str, s3_url: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Running]:
    """The ingest service's router on a real broker, deleting objects once ingested."""
    settings = s3_settings(nats_url, s3_url, tmp_path_factory.mktemp("s3-bucket"), delete=True)
    async with ingest_replica(settings) as broker:
        yield Running(settings, broker, s3_client(s3_url))


async def last_message(broker: NatsBroker, subject: str, contains: bytes) -> Any:
    """The last message on `subject` when it mentions `contains` (tests run one at a time)."""
    try:
        msg = await broker.connection.jetstream().get_last_msg(topology.STREAM_NAME, subject)
    except NotFoundError:
        return None
    return msg if contains in msg.data else None


async def test_put_object_is_ingested_stored_and_deleted(ingest: Running, unique: str) -> None:
    bucket, key = f"reports-{unique}", f"2021/{unique} 某县年报.txt"
    content = REPORT + unique.encode()
    await ingest.put(bucket, key, content)

    await ingest.notify(minio_notification(bucket, key, len(content)))

    report_id = report_id_for(content)
    msg = await eventually(
        lambda: last_message(ingest.broker, topology.RAW, report_id.encode()),
        "reports.raw.v1",
        DEADLINE_SECONDS,
    )
    report = RawReport.model_validate_json(msg.data)
    assert (report.source, report.source_uri) == ("s3", f"s3://{bucket}/{key}")
    assert report.filename == f"{unique} 某县年报.txt" and report.size == len(content)
    store = await ingest.broker.object_storage(topology.RAW_BUCKET)
    assert (await store.get(report_id)).data == content
    await eventually(
        lambda: _not(ingest.exists(bucket, key)),
        "S3_DELETE_AFTER_INGEST to delete the object",
        DEADLINE_SECONDS,
    )


async def _not(check: Awaitable[bool]) -> bool:
    return not await check


async def test_empty_object_goes_to_failed_and_dead_letter(ingest: Running, unique: str) -> None:
    bucket, key = f"reports-{unique}", f"{unique}.txt"
    await ingest.put(bucket, key, b"")

    await ingest.notify(minio_notification(bucket, key, 0))

    failed = ingest.settings.failed_dir / f"{unique}.{report_id_for(b'')[:12]}.txt"  # tagged with the bytes' hash
    note = await eventually(
        lambda: _read(Path(f"{failed}.error.txt")),
        "failed/<name>.<hash>.txt.error.txt",
        DEADLINE_SECONDS,
    )
    assert "empty" in note and "stage: ingest" in note
    assert failed.read_bytes() == b""
    uri = f"s3://{bucket}/{key}".encode()
    dead = await last_message(ingest.broker, topology.dlq_subject(topology.RAW), uri)
    assert dead is not None and "empty" in decode_header(dead.headers[ERROR_HEADER])
    assert json.loads(dead.data)["source"] == "s3"


def _read(path: Path) -> str | None:
    return path.read_text("utf-8") if path.exists() else None


async def test_a_body_that_is_no_notification_is_dead_lettered(ingest: Running, unique: str) -> None:
    body = json.dumps({"EventName": "s3:ObjectCreated:Put", "Key": unique}).encode()
    await ingest.notify(body)

    dead = await eventually(
        lambda: last_message(ingest.broker, topology.dlq_subject(ingest.settings.s3_events_subject), unique.encode()),
        "the dead letter of the malformed notification",
        DEADLINE_SECONDS,
    )
    assert decode_header(dead.headers[ERROR_HEADER]).startswith("malformed message:")
    assert dead.headers[FAILED_STAGE_HEADER] == topology.INGEST


async def test_without_delete_the_object_stays_and_a_vanished_one_is_skipped(
    ingest: Running, s3_url: str, tmp_path: Path, unique: str
) -> None:
    settings = s3_settings(ingest.settings.nats_url, s3_url, tmp_path, delete=False)
    source = S3Source(Intake(ingest.broker, settings), settings)
    bucket, key = f"reports-{unique}", "年报.txt"
    content = REPORT + unique.encode()
    await ingest.put(bucket, key, content)

    outcome = await source.ingest(ObjectRef(bucket, key, len(content)))

    assert outcome is not None and outcome.report is not None
    assert outcome.report.report_id == report_id_for(content)
    assert await ingest.exists(bucket, key)
    assert await source.ingest(ObjectRef(bucket, "deleted-since.txt", 1)) is None


@pytest.mark.parametrize("hostile", ["../escape-{u}.txt", "/etc/{u}.txt", "a/../../{u}.txt", "nul\x00{u}.txt"])
async def test_object_store_names_from_outside_stay_inside_failed(ingest: Running, unique: str, hostile: str) -> None:
    name = hostile.format(u=unique)
    store = await ingest.broker.object_storage(topology.INCOMING_BUCKET)
    await store.put(name, b"")  # empty: refused, so its bytes and reason are written under failed/

    bucket = ingest.settings.bucket_dir
    notes = await eventually(
        lambda: sorted(bucket.parent.rglob(f"*{unique}*.error.txt")), "the failure note", DEADLINE_SECONDS
    )
    assert [note.parent for note in notes] == [ingest.settings.failed_dir]
    assert not list(bucket.parent.parent.glob(f"*{unique}*")) and not list(bucket.parent.glob(f"*{unique}*"))


async def test_two_replicas_take_each_notified_object_once(
    ingest: Running, s3_url: str, tmp_path: Path, unique: str
) -> None:
    """A second replica joins the durable `ingest-s3`. Empty objects are refused, each replica noting the refusal
    under its own failed/: an object taken twice would leave two notes."""
    second = s3_settings(ingest.settings.nats_url, s3_url, tmp_path, delete=True)
    bucket, names = f"reports-{unique}", [f"{unique}-{index:02d}" for index in range(20)]
    for name in names:
        await ingest.put(bucket, f"{name}.txt", b"")

    def notes() -> list[list[str]]:
        return [sorted(p.name for p in s.failed_dir.glob(f"{unique}*.error.txt")) for s in (ingest.settings, second)]

    async with ingest_replica(second):
        for name in names:
            await ingest.notify(minio_notification(bucket, f"{name}.txt", 0))
        await eventually(lambda: sum(map(len, notes())) >= len(names), "a failure note per object", DEADLINE_SECONDS)
        await asyncio.sleep(0.5)  # room for a second take to show up
    first, other = notes()
    assert sorted(note.split(".")[0] for note in first + other) == names, "an object was taken twice"
    assert first and other, f"one replica did all the work: {len(first)} / {len(other)}"
