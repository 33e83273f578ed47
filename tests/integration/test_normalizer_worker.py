"""The bounded parsing child, alone and behind the normalizer's router on a real JetStream server.

Every malformed case ends as its manifest says with the child's memory capped; a breach of the time
or memory limit, or a crash, is a permanent error naming it, and the next report is served.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import nats.errors
import pytest
from faststream.nats import NatsBroker
from nats.js.api import ConsumerConfig, DeliverPolicy

from services.normalizer import router as normalizer_router
from services.normalizer.worker import ParseLimits, ParseWorker
from shared import topology
from shared.failures import PermanentError
from shared.messages import NormalizedReport, RawReport
from shared.messages.v1 import NormalizedDocument
from shared.runtime import ERROR_HEADER, build_broker, decode_header, ensure_topology
from shared.settings import Settings
from tests.support.malformed import check_outcome, load_cases
from tests.support.misbehaving import misbehaving_normalize
from tests.support.servers import nats_server, new_stack

pytestmark = pytest.mark.integration

MEMORY_MIB = 512  # enough for every real case (the child starts at ~150 MiB), not for a 1 GiB Flate bomb
REPORT = "某某县人民政府2021年政府信息公开工作年度报告\n一、总体情况\n本年度主动公开政府信息120条。\n".encode()


@pytest.fixture
async def worker() -> AsyncIterator[ParseWorker]:
    parse_worker = ParseWorker(ParseLimits(seconds=2, memory_mib=MEMORY_MIB), misbehaving_normalize)
    yield parse_worker
    parse_worker.close()


async def outcome(worker: ParseWorker, content: bytes, filename: str) -> NormalizedDocument | PermanentError:
    try:
        return await worker.normalize(content, filename)
    except PermanentError as exc:
        return exc


async def test_every_malformed_case_through_the_worker(worker: ParseWorker) -> None:
    for case in load_cases():
        check_outcome(case, await outcome(worker, case.content(), case.filename))
    assert (await worker.normalize(REPORT, "report.txt")).source_format == "text"  # still serving


async def test_time_limit_is_permanent_and_the_loop_keeps_running(worker: ParseWorker) -> None:
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.05)
            ticks += 1

    ticker = asyncio.create_task(tick())
    with pytest.raises(PermanentError, match=r"^PDF parsing exceeded 2 s$"):
        await worker.normalize(b"sleep:60\n%PDF-1.4", "slow.pdf")
    ticker.cancel()
    assert ticks >= 20  # 2 s of 50 ms ticks: the event loop was never blocked by the parse
    assert (await worker.normalize(REPORT, "report.txt")).text.startswith("某某县")  # a fresh child


async def test_memory_limit_is_permanent_and_the_worker_recovers(worker: ParseWorker) -> None:
    with pytest.raises(PermanentError, match=rf"^DOCX parsing exceeded {MEMORY_MIB} MiB$"):
        await worker.normalize(b"PK\x03\x04hog:2048\n", "big.docx")  # the directive follows the zip magic
    assert (await worker.normalize(REPORT, "report.txt")).source_format == "text"


async def test_a_crash_is_permanent_and_the_worker_recovers(worker: ParseWorker) -> None:
    with pytest.raises(PermanentError, match=r"crashed the worker process \(exit code 3\)"):
        await worker.normalize(b"crash:3\n", "report.txt")
    assert (await worker.normalize(REPORT, "report.txt")).source_format == "text"


# --------------------------------------------------------------------------- behind the router
@pytest.fixture(scope="module")
def own_nats(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of our own: the normalizer's durable and subjects are fixed names, shared by nothing else here."""
    stack = new_stack(tmp_path_factory.mktemp("normalizer-nats"))
    try:
        with nats_server(stack) as url:
            yield url
    finally:
        stack.stop()


async def send_raw(broker: NatsBroker, content: bytes, filename: str, name: str) -> None:
    store = await broker.object_storage(topology.RAW_BUCKET)
    await store.put(name, content)
    raw = RawReport(
        report_id=name,
        event_id=f"e-{name}",
        produced_by="test",
        produced_at=datetime.now(UTC),
        filename=filename,
        size=len(content),
        object_bucket=topology.RAW_BUCKET,
        object_name=name,
        source="cli",
        source_uri="test",
    )
    await broker.publish(raw, subject=topology.RAW, stream=topology.STREAM_NAME, headers={"Nats-Msg-Id": raw.event_id})


async def next_on(broker: NatsBroker, subject: str, timeout: float = 30.0):  # type: ignore[no-untyped-def]
    js = broker.connection.jetstream()
    sub = await js.subscribe(subject, config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL), ordered_consumer=True)
    try:
        return await sub.next_msg(timeout=timeout)
    finally:
        await sub.unsubscribe()


async def test_normalizer_keeps_long_parses_and_dead_letters_breaches(
    own_nats: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(normalizer_router, "normalize", misbehaving_normalize)
    settings = Settings(NATS_URL=own_nats, ACK_WAIT_SECONDS=2, PARSE_TIMEOUT_SECONDS=6, PARSE_MEMORY_MIB=MEMORY_MIB)
    broker = build_broker(settings, topology.NORMALIZER)
    broker.include_router(normalizer_router.build_router(settings, broker))
    async with broker:
        await broker.connect()
        await ensure_topology(broker.connection)
        await broker.start()
        # 5 s of parsing, 2.5 ack waits: only the heartbeat (shared.runtime) keeps the message from a second replica
        await send_raw(broker, b"sleep:5\n" + REPORT, "report.txt", "slow")
        await asyncio.sleep(1)  # the service has fetched it
        replica = await broker.connection.jetstream().pull_subscribe_bind(topology.NORMALIZER, topology.STREAM_NAME)
        with pytest.raises(nats.errors.TimeoutError):
            await replica.fetch(1, timeout=3.5)
        await replica.unsubscribe()
        normalized = NormalizedReport.model_validate_json((await next_on(broker, topology.NORMALIZED)).data)
        assert normalized.report_id == "slow"
        await send_raw(broker, b"sleep:60\n" + REPORT, "stuck.txt", "stuck")
        dead = await next_on(broker, topology.dlq_subject(topology.RAW))
        assert decode_header(dead.headers[ERROR_HEADER]) == "text/HTML parsing exceeded 6 s"
        consumer = await broker.connection.jetstream().consumer_info(topology.STREAM_NAME, topology.NORMALIZER)
        assert consumer.num_redelivered == 0
