"""Failure policy against a real JetStream server.

Permanent → DLQ once; transient → waited out without spending deliveries; a delivery budget that
runs out (hang, crash) → DLQ with a reason; a dead letter that cannot be written → nak, not lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import nats
import nats.errors
import nats.js.errors
import pytest
from faststream.nats import JStream, NatsBroker
from nats.js.api import ConsumerConfig, StreamConfig
from nats.js.errors import NotFoundError

from shared import topology
from shared.failures import PermanentError, TransientError
from shared.messages import RawReport
from shared.runtime import (
    ERROR_HEADER,
    ERROR_KIND_HEADER,
    FAILED_STAGE_HEADER,
    FailurePolicy,
    build_broker,
    decode_header,
    durable_subscription,
    ensure_topology,
    exhausted_deliveries_router,
    reconcile_consumers,
    stage_router,
)
from shared.settings import Settings

pytestmark = pytest.mark.integration

FAST = {"MAX_DELIVER": 3, "NAK_BACKOFF_SECONDS": 0.05, "RETRY_MAX_SECONDS": 0.2}
"""Retry timings short enough for the suite; the rules are the same at production values."""


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


async def no_dead_letter(broker: NatsBroker, subject: str) -> bool:
    with contextlib.suppress(NotFoundError):
        await broker.connection.jetstream().get_last_msg(topology.STREAM_NAME, topology.dlq_subject(subject))
        return False
    return True


@contextlib.asynccontextmanager
async def stage(
    nats_url: str, subject: str, durable: str, handler: Callable[..., Any], **env: Any
) -> AsyncIterator[tuple[NatsBroker, FailurePolicy]]:
    """A running broker whose one durable subscriber on `subject` is `handler`, with the real policy."""
    settings = Settings(NATS_URL=nats_url, **(FAST | env))
    policy = FailurePolicy.from_settings(settings, "test-stage")
    broker = build_broker(settings, "test-stage", policy)
    broker.subscriber(subject, **durable_subscription(settings, durable))(handler)
    async with broker:
        await broker.connect()
        await ensure_topology(broker.connection)
        await broker.start()
        yield broker, policy


async def run_failing_consumer(nats_url: str, unique: str, error: Exception) -> tuple[list[int], object]:
    subject = f"reports.test{unique}.v1"
    calls: list[int] = []

    async def handler(report: RawReport) -> None:
        calls.append(1)
        raise error

    async with stage(nats_url, subject, f"test-{unique}", handler) as (broker, _):
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


@pytest.mark.parametrize(
    "outage",
    [
        TransientError("Elasticsearch unavailable", "elasticsearch"),
        nats.errors.NoRespondersError(),
        nats.errors.ConnectionClosedError(),
        nats.js.errors.ServiceUnavailableError(code=503),
        TimeoutError(),
    ],
    ids=lambda exc: type(exc).__name__,
)
async def test_transient_failure_waits_without_spending_deliveries(
    nats_url: str, unique: str, outage: Exception
) -> None:
    """Twice MAX_DELIVER failures in a row: still one delivery, no dead letter, health says why."""
    subject = f"reports.test{unique}.v1"
    deliveries: list[int] = []
    seen_unhealthy: list[dict[str, str]] = []

    async def handler(report: RawReport) -> None:
        deliveries.append(1)
        if len(deliveries) <= 2 * FAST["MAX_DELIVER"]:
            raise outage
        done.set()

    done = asyncio.Event()
    async with stage(nats_url, subject, f"test-{unique}", handler) as (broker, policy):

        async def watch_health() -> None:
            while not done.is_set():
                if not policy.health.healthy:
                    seen_unhealthy.append(dict(policy.health.waiting_for))
                await asyncio.sleep(0.02)

        watcher = asyncio.create_task(watch_health())
        await broker.publish(sample_report(unique), subject=subject, stream=topology.STREAM_NAME)
        await asyncio.wait_for(done.wait(), 15)
        await watcher
        info = await broker.connection.jetstream().consumer_info(topology.STREAM_NAME, f"test-{unique}")
        assert await no_dead_letter(broker, subject)
    assert len(deliveries) == 2 * FAST["MAX_DELIVER"] + 1
    assert info.num_redelivered == 0  # the server delivered it once: waiting spent no delivery
    assert seen_unhealthy, "health must say what the stage waits for"
    assert policy.health.healthy


async def test_long_work_heartbeats_past_the_ack_wait(nats_url: str, unique: str) -> None:
    subject = f"reports.test{unique}.v1"
    calls: list[int] = []

    async def handler(report: RawReport) -> None:
        calls.append(1)
        await asyncio.sleep(2.0)  # more than three ack waits

    async with stage(nats_url, subject, f"test-{unique}", handler, ACK_WAIT_SECONDS=0.6) as (broker, _):
        await broker.publish(sample_report(unique), subject=subject, stream=topology.STREAM_NAME)
        await asyncio.sleep(3.0)  # a redelivery (missed heartbeat) would call the handler again by now
    assert len(calls) == 1


async def test_hanging_handler_spends_deliveries_then_dead_letters(nats_url: str, unique: str) -> None:
    subject = f"reports.test{unique}.v1"
    calls: list[int] = []

    async def handler(report: RawReport) -> None:
        calls.append(1)
        await asyncio.Event().wait()  # never returns

    async with stage(nats_url, subject, f"test-{unique}", handler, WORK_TIMEOUT_SECONDS=0.3) as (broker, _):
        await broker.publish(sample_report(unique), subject=subject, stream=topology.STREAM_NAME)
        dead = await last_dead_letter(broker, subject)
    assert len(calls) == FAST["MAX_DELIVER"]
    assert dead.headers[ERROR_KIND_HEADER] == "exhausted"
    assert "no result within 0.3 s" in decode_header(dead.headers[ERROR_HEADER])


async def test_deliveries_run_out_by_ack_wait_end_in_dead_letter(nats_url: str, unique: str) -> None:
    """A worker that crashes on every delivery never acks: the server's advisory is dead-lettered."""
    subject = f"reports.test{unique}.v1"
    durable = f"crashing-{unique}"
    settings = Settings(NATS_URL=nats_url, **FAST)
    broker = build_broker(settings, "test-stage")
    broker.include_router(exhausted_deliveries_router(settings, broker))
    async with broker:
        await broker.connect()
        await ensure_topology(broker.connection)
        await broker.start()
        worker = await nats.connect(nats_url)  # the crashing stage: its own connection, as in its own process
        try:
            crashing = await worker.jetstream().pull_subscribe(
                subject, durable, stream=topology.STREAM_NAME, config=ConsumerConfig(max_deliver=2, ack_wait=0.5)
            )
            await broker.publish(sample_report(unique), subject=subject, stream=topology.STREAM_NAME)
            for _ in range(2):  # takes it and "dies" before acking, twice
                await crashing.fetch(1, timeout=5)
            # The restarted worker asks again: the server, with no delivery left, emits the advisory.
            with contextlib.suppress(nats.errors.TimeoutError):
                await crashing.fetch(1, timeout=2)
        finally:
            await worker.close()
        dead = await last_dead_letter(broker, subject)
    assert dead.headers[ERROR_KIND_HEADER] == "exhausted"
    assert dead.headers[FAILED_STAGE_HEADER] == durable
    assert "2 times and never finished" in decode_header(dead.headers[ERROR_HEADER])
    assert RawReport.model_validate_json(dead.data).report_id == f"r{unique}"


async def test_failed_dead_letter_publish_naks_instead_of_dropping(nats_url: str, unique: str) -> None:
    """No stream takes `dlq.<subject>` here: the message must come back, not be terminated."""
    subject = f"other{unique}.raw"
    calls: list[int] = []
    nc = await nats.connect(nats_url)
    try:
        await nc.jetstream().add_stream(StreamConfig(name=f"OTHER{unique}", subjects=[f"other{unique}.>"]))
    finally:
        await nc.close()

    async def handler(report: RawReport) -> None:
        calls.append(1)
        raise PermanentError("bad data")

    settings = Settings(NATS_URL=nats_url, **FAST)
    broker = build_broker(settings, "test-stage")
    options = durable_subscription(settings, f"test-{unique}") | {"stream": JStream(f"OTHER{unique}", declare=False)}
    broker.subscriber(subject, **options)(handler)
    async with broker:
        await broker.start()
        await broker.publish(sample_report(unique), subject=subject, stream=f"OTHER{unique}")
        deadline = asyncio.get_running_loop().time() + 10
        while len(calls) < 2 and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.1)
    assert len(calls) >= 2


async def test_changed_delivery_settings_reach_an_existing_consumer(nats_url: str, unique: str) -> None:
    subject = f"reports.test{unique}.v1"
    durable = f"test-{unique}"

    async def handler(report: RawReport) -> None:
        pass

    async with stage(nats_url, subject, durable, handler):
        pass  # created with MAX_DELIVER=3 and the default ack wait
    settings = Settings(NATS_URL=nats_url, MAX_DELIVER=7, ACK_WAIT_SECONDS=12)
    broker = build_broker(settings, "test-stage")
    broker.subscriber(subject, **durable_subscription(settings, durable))(handler)
    async with broker:
        await broker.connect()
        await reconcile_consumers(broker)
        info = await broker.connection.jetstream().consumer_info(topology.STREAM_NAME, durable)
    assert (info.config.max_deliver, info.config.ack_wait) == (7, 12.0)


async def test_malformed_message_is_dead_lettered(nats_url: str, unique: str) -> None:
    subject = f"reports.test{unique}.v1"

    async def handler(report: RawReport) -> None:
        raise AssertionError("a malformed body must not reach the handler")

    async with stage(nats_url, subject, f"test-{unique}", handler) as (broker, _):
        await broker.publish(b'{"report_id": 1}', subject=subject, stream=topology.STREAM_NAME)
        dead = await last_dead_letter(broker, subject)
    assert decode_header(dead.headers[ERROR_HEADER]).startswith("malformed message:")
    assert dead.data == b'{"report_id": 1}'


async def test_a_long_plain_transform_keeps_its_message(nats_url: str, unique: str) -> None:
    """A CPU-bound transform runs off the event loop, so heartbeats go on while it works: no redelivery."""
    subject, produces = f"reports.test{unique}.v1", f"reports.out{unique}.v1"
    calls: list[int] = []

    def slow_transform(report: RawReport) -> dict[str, Any]:
        calls.append(1)
        time.sleep(2.0)  # more than three ack waits, holding the GIL only between bytecodes
        return report.model_dump(include={"filename", "size", "object_bucket", "object_name", "source", "source_uri"})

    settings = Settings(NATS_URL=nats_url, ACK_WAIT_SECONDS=0.6, **FAST)
    broker = build_broker(settings, "test-stage", FailurePolicy.from_settings(settings, "test-stage"))
    broker.include_router(stage_router(settings, service=f"test-{unique}", consumes=subject, produces=produces,
                                       input_model=RawReport, output_model=RawReport, step=slow_transform))
    async with broker:
        await broker.connect()
        await ensure_topology(broker.connection)
        await broker.start()
        loop = asyncio.get_running_loop()
        ticks: list[float] = []

        async def tick() -> None:  # what a heartbeat needs: the loop running while the transform works
            while True:
                ticks.append(loop.time())
                await asyncio.sleep(0.05)

        ticker = asyncio.create_task(tick())
        await broker.publish(sample_report(unique), subject=subject, stream=topology.STREAM_NAME)
        await asyncio.sleep(3.5)  # a missed heartbeat would have redelivered it by now
        ticker.cancel()
        out = await broker.connection.jetstream().get_last_msg(topology.STREAM_NAME, produces)
    assert len(calls) == 1
    assert RawReport.model_validate_json(out.data).caused_by == f"e{unique}"
    assert max(b - a for a, b in itertools.pairwise(ticks)) < 0.5  # never blocked for the 2 s of work
