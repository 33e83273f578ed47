"""Ingest against a real JetStream server: claim check, dedup, rejection to DLQ and failed/."""

from __future__ import annotations

from pathlib import Path

import pytest
from faststream.nats import NatsBroker

from services.ingest.intake import Intake
from shared import topology
from shared.ids import report_id_for
from shared.runtime import ERROR_HEADER, build_broker, decode_header, ensure_topology
from shared.settings import Settings

pytestmark = pytest.mark.integration

REPORT = "2018年某县政府信息公开工作年度报告\n一、概述\n全县受理政府信息公开申请12件。\n".encode()


@pytest.fixture
async def intake(nats_url: str, tmp_path: Path) -> Intake:
    settings = Settings(NATS_URL=nats_url, BUCKET_DIR=str(tmp_path / "bucket"), MAX_REPORT_BYTES=1000)
    broker: NatsBroker = build_broker(settings, "ingest")
    await broker.connect()
    await ensure_topology(broker.connection)
    yield Intake(broker, settings)
    await broker.stop()


def drop(intake: Intake, name: str, content: bytes) -> Path:
    incoming = intake.settings.incoming_dir
    incoming.mkdir(parents=True, exist_ok=True)
    path = incoming / name
    path.write_bytes(content)
    return path


async def raw_events_for(intake: Intake, report_id: str) -> int:
    """Count reports.raw.v1 events of one report by reading the stream (no consumer state)."""
    js = intake.broker.connection.jetstream()
    subscription = await js.pull_subscribe(topology.RAW, stream=topology.STREAM_NAME)
    count = 0
    try:
        while True:
            batch = await subscription.fetch(100, timeout=1)
            count += sum(report_id.encode() in msg.data for msg in batch)
    except TimeoutError:
        return count
    finally:
        await subscription.unsubscribe()


async def test_accepted_file_is_stored_published_and_moved(intake: Intake, unique: str) -> None:
    content = REPORT + unique.encode()
    outcome = await intake.ingest_path(drop(intake, f"{unique}.txt", content))

    assert outcome.report is not None and outcome.report.report_id == report_id_for(content)
    store = await intake.broker.object_storage(topology.RAW_BUCKET)
    assert (await store.get(outcome.report.object_name)).data == content
    assert outcome.moved_to == intake.settings.processed_dir / f"{unique}.txt"
    assert not (intake.settings.incoming_dir / f"{unique}.txt").exists()


async def test_same_bytes_twice_make_one_event(intake: Intake, unique: str) -> None:
    content = REPORT + unique.encode()
    first = await intake.ingest_path(drop(intake, f"{unique}-a.txt", content))
    second = await intake.ingest_path(drop(intake, f"{unique}-b.txt", content))

    assert first.report and second.report and first.report.event_id == second.report.event_id
    assert await raw_events_for(intake, first.report.report_id) == 1


async def test_empty_file_goes_to_failed_and_dead_letter(intake: Intake, unique: str) -> None:
    outcome = await intake.ingest_path(drop(intake, f"{unique}.txt", b"  \n"))

    assert outcome.report is None
    failed = intake.settings.failed_dir
    assert (failed / f"{unique}.txt").exists()
    note = (failed / f"{unique}.txt.error.txt").read_text("utf-8")
    assert "empty" in note and "stage: ingest" in note
    dead = await intake.broker.connection.jetstream().get_last_msg(
        topology.STREAM_NAME, topology.dlq_subject(topology.RAW)
    )
    assert "empty" in decode_header(dead.headers[ERROR_HEADER])


async def test_oversized_file_is_refused_without_reading(intake: Intake, unique: str) -> None:
    outcome = await intake.ingest_path(drop(intake, f"{unique}.pdf", b"%PDF-" + b"x" * 2000))

    assert outcome.report is None and "limit" in (outcome.reason or "")
    assert (intake.settings.failed_dir / f"{unique}.pdf.error.txt").exists()
