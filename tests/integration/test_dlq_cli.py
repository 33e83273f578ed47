"""`govreports dlq` against a real JetStream server: list, show, redrive with a fresh event id, once."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import nats
import pytest
from nats.js.errors import NotFoundError

from services.cli import main
from services.cli.dlq import RedriveRefused, redrive_message
from shared import topology
from shared.dead_letters import DeadLetter
from shared.messages import RawReport
from shared.runtime import (
    DELIVERIES_HEADER,
    ERROR_HEADER,
    FAILED_STAGE_HEADER,
    ORIGINAL_SUBJECT_HEADER,
    encode_header,
    ensure_topology,
)

pytestmark = pytest.mark.integration


def report(unique: str) -> RawReport:
    return RawReport(
        report_id=f"r{unique}", event_id=f"e{unique}", produced_by="ingest", produced_at=datetime.now(UTC),
        filename="2021年政府信息公开工作年度报告.pdf", size=3, object_bucket=topology.RAW_BUCKET,
        object_name=f"r{unique}", source="bucket", source_uri="test",
    )


async def publish_dead_letter(url: str, subject: str, body: bytes, stage: str, reason: str) -> int:
    """What a failing stage publishes (shared/runtime.py FailurePolicy); its stream sequence is the dead letter id."""
    client = await nats.connect(url)
    try:
        await ensure_topology(client)
        ack = await client.jetstream().publish(topology.dlq_subject(subject), body, headers={
            ERROR_HEADER: encode_header(reason), FAILED_STAGE_HEADER: stage,
            ORIGINAL_SUBJECT_HEADER: subject, DELIVERIES_HEADER: "5",
        })
        return ack.seq
    finally:
        await client.close()


async def last_on(url: str, subject: str) -> tuple[bytes, dict[str, str]] | None:
    client = await nats.connect(url)
    try:
        msg = await client.jetstream().get_last_msg(topology.STREAM_NAME, subject)
        return msg.data or b"", dict(msg.headers or {})
    except NotFoundError:
        return None
    finally:
        await client.close()


def govreports(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["dlq", *argv])
    return code, capsys.readouterr().out


@pytest.fixture
def cli_env(nats_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("NATS_URL", nats_url)
    return nats_url


def test_list_show_and_redrive_once_with_a_fresh_event_id(
    cli_env: str, unique: str, capsys: pytest.CaptureFixture[str]
) -> None:
    subject = f"reports.t{unique}.v1"
    original = report(unique)
    seq = asyncio.run(publish_dead_letter(
        cli_env, subject, original.model_dump_json().encode(), "normalizer", "Elasticsearch unavailable: 503"
    ))

    code, listing = govreports(capsys, "list", "--subject", subject)
    assert code == 0 and str(seq) in listing and "normalizer" in listing and "Elasticsearch unavailable" in listing
    code, shown = govreports(capsys, "show", str(seq))
    assert code == 0 and f"r{unique}" in shown and "deliveries:        5" in shown

    code, output = govreports(capsys, "redrive", str(seq))
    assert code == 0 and f"redriven {seq} → {subject}" in output
    body, headers = asyncio.run(last_on(cli_env, subject)) or (b"", {})
    redriven = RawReport.model_validate_json(body)
    assert redriven.report_id == original.report_id and redriven.event_id != original.event_id
    assert headers["Nats-Msg-Id"] == redriven.event_id  # a fresh id: the duplicate window lets it through

    code, again = govreports(capsys, "redrive", str(seq))
    assert code == 2 and "no dead letter" in again  # deleted: never redriven twice
    assert govreports(capsys, "list", "--subject", subject)[1].startswith("no dead letters")


def test_redrive_all_skips_uploads_refused_by_ingest(
    cli_env: str, unique: str, capsys: pytest.CaptureFixture[str]
) -> None:
    subject = f"reports.t{unique}.v1"
    good = asyncio.run(publish_dead_letter(
        cli_env, subject, report(unique).model_dump_json().encode(), "indexer", "boom"
    ))
    refused = asyncio.run(publish_dead_letter(
        cli_env, subject, json.dumps({"filename": "空.txt", "reason": "empty"}).encode(), topology.INGEST, "empty"
    ))

    code, output = govreports(capsys, "redrive", "--all", "--subject", subject)

    assert code == 2 and f"redriven {good}" in output and f"skipped {refused}: refused by ingest" in output
    assert "drop it into incoming/ again" in output
    listing = govreports(capsys, "list", "--subject", subject)[1].splitlines()[1:-1]
    assert [int(line.split()[0]) for line in listing] == [refused]


def test_redrive_needs_ids_or_all(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["dlq", "redrive"])


def letter(seq: int, subject: str, data: bytes, stage: str = "normalizer") -> DeadLetter:
    return DeadLetter(seq, topology.dlq_subject(subject), {FAILED_STAGE_HEADER: stage, ORIGINAL_SUBJECT_HEADER: subject,
                                                          "traceparent": "00-ab-cd-01"}, data, None)


def test_a_body_without_an_event_id_is_redriven_as_it_was() -> None:
    notification = b'{"Records": []}'
    first = redrive_message(letter(7, "reports.s3.events", notification, topology.INGEST + "-s3"))
    assert first.data == notification and first.headers["traceparent"] == "00-ab-cd-01"
    assert first.headers["Nats-Msg-Id"] != redrive_message(letter(8, "reports.s3.events", notification)).headers[
        "Nats-Msg-Id"]  # one id per dead letter


def test_what_cannot_be_redriven_says_why() -> None:
    with pytest.raises(RedriveRefused, match="no pipeline subject"):
        redrive_message(letter(1, "other.subject", b"{}"))
    with pytest.raises(RedriveRefused, match="drop it into incoming/ again"):
        redrive_message(letter(2, topology.RAW, b'{"filename": "a.pdf"}', topology.INGEST))
