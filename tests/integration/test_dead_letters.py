"""Failure policy against a real JetStream server: permanent → DLQ once; transient → retried, then DLQ."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from faststream.nats import NatsBroker
from nats.js.errors import NotFoundError

from shared import topology
from shared.failures import PermanentError, TransientError
from shared.messages import RawReport
from shared.runtime import (
    ERROR_HEADER,
    ERROR_KIND_HEADER,
    FAILED_STAGE_HEADER,
    build_broker,
    decode_header,
    durable_subscription,
    ensure_topology,
)
from shared.settings import Settings

pytestmark = pytest.mark.integration


def sample_report(unique: str) -> RawReport:
    return RawReport(
        report_id=f"r{unique}",
        event_id=f"e{unique}",
        produced_by="test",
        produced_at=datetime.now(UTC),
        filename="报告.txt",
        size=3,
        object_bucket=topology.RAW_BUCKET,
        object_name=f"r{unique}",
        source="cli",
        source_uri="test",
    )


async def last_dead_letter(broker: NatsBroker, subject: str, timeout: float = 15.0):  # type: ignore[no-untyped-def]
    js = broker.connection.jetstream()
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        try:
            return await js.get_last_msg(topology.STREAM_NAME, topology.dlq_subject(subject))
        except NotFoundError:
            await asyncio.sleep(0.2)
    raise AssertionError(f"no dead letter on {topology.dlq_subject(subject)}")


async def run_failing_consumer(nats_url: str, unique: str, error: Exception) -> tuple[list[int], object]:
    settings = Settings(NATS_URL=nats_url, MAX_DELIVER=3, NAK_BACKOFF_SECONDS=0.1)
    broker = build_broker(settings, "test-stage")
    subject = f"reports.test{unique}.v1"
    calls: list[int] = []

    @broker.subscriber(subject, **durable_subscription(settings, f"test-{unique}"))
    async def handler(report: RawReport) -> None:
        calls.append(1)
        raise error

    async with broker:
        await broker.connect()
        await ensure_topology(broker.connection)
        await broker.start()
        await broker.publish(sample_report(unique), subject=subject, stream=topology.STREAM_NAME)
        dead = await last_dead_letter(broker, subject)
        await asyncio.sleep(1.0)  # a wrongly nak'ed message would be redelivered within this
    return calls, dead


async def test_permanent_failure_is_dead_lettered_once_with_reason(nats_url: str, unique: str) -> None:
    calls, dead = await run_failing_consumer(nats_url, unique, PermanentError("表格无法解析: bad data"))
    assert len(calls) == 1
    assert decode_header(dead.headers[ERROR_HEADER]) == "表格无法解析: bad data"
    assert dead.headers[ERROR_KIND_HEADER] == "permanent"
    assert dead.headers[FAILED_STAGE_HEADER] == "test-stage"
    assert RawReport.model_validate_json(dead.data).report_id == f"r{unique}"


async def test_transient_failure_is_retried_then_dead_lettered(nats_url: str, unique: str) -> None:
    calls, dead = await run_failing_consumer(nats_url, unique, TransientError("Elasticsearch unavailable"))
    assert len(calls) == 3  # MAX_DELIVER deliveries, then the dead letter
    assert dead.headers[ERROR_KIND_HEADER] == "transient"


async def test_malformed_message_is_dead_lettered(nats_url: str, unique: str) -> None:
    settings = Settings(NATS_URL=nats_url, MAX_DELIVER=3)
    broker = build_broker(settings, "test-stage")
    subject = f"reports.test{unique}.v1"

    @broker.subscriber(subject, **durable_subscription(settings, f"test-{unique}"))
    async def handler(report: RawReport) -> None:
        raise AssertionError("a malformed body must not reach the handler")

    async with broker:
        await broker.connect()
        await ensure_topology(broker.connection)
        await broker.start()
        await broker.publish(b'{"report_id": 1}', subject=subject, stream=topology.STREAM_NAME)
        dead = await last_dead_letter(broker, subject)
    assert decode_header(dead.headers[ERROR_HEADER]).startswith("malformed message:")
    assert dead.data == b'{"report_id": 1}'
