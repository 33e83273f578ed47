"""Ingest against a real JetStream server: claim check, dedup, rejection to DLQ and failed/."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest
from faststream.nats import NatsBroker
from nats.aio.msg import Msg

from services.ingest.dead_letters import record_dead_letter
from services.ingest.intake import Intake
from shared import topology
from shared.ids import report_id_for
from shared.runtime import ERROR_HEADER, FAILED_STAGE_HEADER, build_broker, decode_header, ensure_topology
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
    blank = b"  \n"
    outcome = await intake.ingest_path(drop(intake, f"{unique}.txt", blank))

    assert outcome.report is None
    failed = intake.settings.failed_dir
    tagged = f"{unique}.{report_id_for(blank)[:12]}.txt"
    assert outcome.moved_to == failed / tagged and outcome.moved_to.exists()
    note = (failed / f"{tagged}.error.txt").read_text("utf-8")
    assert "empty" in note and "stage: ingest" in note
    dead = await intake.broker.connection.jetstream().get_last_msg(
        topology.STREAM_NAME, topology.dlq_subject(topology.RAW)
    )
    assert "empty" in decode_header(dead.headers[ERROR_HEADER])


async def test_oversized_file_is_refused_without_reading(intake: Intake, unique: str) -> None:
    outcome = await intake.ingest_path(drop(intake, f"{unique}.pdf", b"%PDF-" + b"x" * 2000))

    assert outcome.report is None and "limit" in (outcome.reason or "")
    assert outcome.moved_to and Path(f"{outcome.moved_to}.error.txt").exists()


async def test_same_named_failures_keep_their_own_bytes_and_reasons(intake: Intake, unique: str) -> None:
    name = f"2021年政府信息公开工作年度报告{unique}.txt"
    empty = await intake.ingest_path(drop(intake, name, b" "))
    big = await intake.ingest_path(drop(intake, name, b"x" * 2000))

    assert empty.moved_to and big.moved_to and empty.moved_to != big.moved_to
    assert empty.moved_to.read_bytes() == b" " and big.moved_to.read_bytes() == b"x" * 2000
    assert "empty" in Path(f"{empty.moved_to}.error.txt").read_text("utf-8")
    assert "limit" in Path(f"{big.moved_to}.error.txt").read_text("utf-8")


async def test_a_250_byte_name_that_fails_still_gets_its_reason(intake: Intake, unique: str) -> None:
    name = unique + "报" * 78 + ".pdf"  # 10 + 234 + 4 = 248 bytes of UTF-8
    outcome = await intake.ingest_path(drop(intake, name, b""))

    assert outcome.moved_to and outcome.moved_to.suffix == ".pdf"
    assert outcome.moved_to.parent == intake.settings.failed_dir
    assert "empty" in Path(f"{outcome.moved_to}.error.txt").read_text("utf-8")


async def test_symlink_to_an_outside_file_is_refused_unread(intake: Intake, unique: str, tmp_path: Path) -> None:
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_bytes(REPORT + unique.encode())
    link = intake.settings.incoming_dir / f"{unique}.txt"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(secret)

    outcome = await intake.ingest_path(link)

    assert outcome.status == "rejected" and "symbolic link" in (outcome.reason or "")
    assert outcome.moved_to and outcome.moved_to.is_symlink() and not link.exists()
    assert "symbolic link" in Path(f"{outcome.moved_to}.error.txt").read_text("utf-8")
    assert secret.read_bytes() == REPORT + unique.encode()  # the target is untouched ...
    assert await raw_events_for(intake, report_id_for(secret.read_bytes())) == 0  # ... and never ingested


async def test_a_fifo_is_refused_without_blocking(intake: Intake, unique: str) -> None:
    fifo = intake.settings.incoming_dir / f"{unique}.pdf"
    fifo.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(fifo)

    outcome = await asyncio.wait_for(intake.ingest_path(fifo), timeout=5)

    assert outcome.status == "rejected" and "named pipe" in (outcome.reason or "") and not fifo.exists()


async def test_a_redropped_file_is_reported_as_duplicate(intake: Intake, unique: str) -> None:
    content = REPORT + unique.encode()
    first = await intake.ingest_path(drop(intake, f"{unique}.txt", content))
    again = await intake.ingest_path(drop(intake, f"{unique}.txt", content))

    assert first.status == "ingested" and again.status == "duplicate" and again.moved_to
    note = Path(f"{again.moved_to}.duplicate.txt").read_text("utf-8")
    assert report_id_for(content) in note and f"first ingested as {unique}.txt" in note
    assert await raw_events_for(intake, report_id_for(content)) == 1


async def test_a_redropped_file_whose_attempt_failed_is_reprocessed(intake: Intake, unique: str) -> None:
    content = REPORT + unique.encode()
    first = await intake.ingest_path(drop(intake, f"{unique}.txt", content))
    assert first.report
    js = intake.broker.connection.jetstream()
    await js.publish(  # what a failing stage publishes (shared/runtime.py's FailurePolicy)
        topology.dlq_subject(topology.RAW), first.report.model_dump_json().encode(),
        headers={FAILED_STAGE_HEADER: "normalizer", ERROR_HEADER: "Elasticsearch unavailable"},
    )

    again = await intake.ingest_path(drop(intake, f"{unique}.txt", content))

    assert again.status == "reprocessed" and again.report and again.report.event_id != first.report.event_id
    assert await raw_events_for(intake, first.report.report_id) == 2
    third = await intake.ingest_path(drop(intake, f"{unique}.txt", content))
    assert third.status == "duplicate"  # the re-drop already answers that failure
    assert await raw_events_for(intake, first.report.report_id) == 2


async def test_a_dead_letter_records_its_own_report_not_a_same_named_one(intake: Intake, unique: str) -> None:
    name = f"2021年政府信息公开工作年度报告{unique}.txt"
    other = await intake.ingest_path(drop(intake, name, REPORT + b"other" + unique.encode()))
    ours = await intake.ingest_path(drop(intake, name, REPORT + b"ours" + unique.encode()))
    assert ours.report and other.moved_to and ours.moved_to and other.moved_to.name == name  # ours: tagged
    letter = Msg(None, subject=topology.dlq_subject(topology.RAW), data=ours.report.model_dump_json().encode(),  # type: ignore[arg-type]
                 headers={FAILED_STAGE_HEADER: "normalizer", ERROR_HEADER: "scanned PDF, needs OCR"})

    await record_dead_letter(letter, intake.broker, intake.settings)

    failed = intake.settings.failed_dir / f"{name[:-4]}.{ours.report.report_id[:12]}.txt"
    assert failed.read_bytes() == REPORT + b"ours" + unique.encode() and not ours.moved_to.exists()
    assert "scanned PDF" in Path(f"{failed}.error.txt").read_text("utf-8")
    assert other.moved_to.read_bytes() == REPORT + b"other" + unique.encode()  # the same-named one stays


@pytest.mark.parametrize("hostile", ["../x{u}.pdf", "/etc/x{u}.pdf", "a/../../x{u}.pdf", "x\x00{u}.pdf", "{u}" * 30])
async def test_a_dead_letter_filename_cannot_write_outside_failed(intake: Intake, unique: str, hostile: str) -> None:
    body = json.dumps({"report_id": f"missing{unique}", "filename": hostile.format(u=unique)}).encode()
    letter = Msg(None, subject=topology.dlq_subject(topology.RAW), data=body,  # type: ignore[arg-type]
                 headers={FAILED_STAGE_HEADER: "normalizer", ERROR_HEADER: "boom"})

    await record_dead_letter(letter, intake.broker, intake.settings)

    written = [p for p in intake.settings.bucket_dir.parent.rglob("*") if unique in p.name]
    assert [p.parent for p in written] == [intake.settings.failed_dir] and written[0].name.endswith(".error.txt")
