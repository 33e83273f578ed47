"""Dependency outages are waited out, never dead-lettered (real nats-server, real Elasticsearch node).

Elasticsearch "goes down" behind a TCP relay the test cuts (connections refused, open ones reset):
the node keeps its data and restarts in no time, so the suite stays fast. NATS is a private
nats-server the test kills and restarts on the same port and store.

The outage lengths here are short for `make test`; the `ride_out_*` functions take the length as a
parameter so the fault harness can run them for minutes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import nats.errors
import pytest
from elasticsearch import AsyncElasticsearch
from nats.js.errors import NotFoundError

from services.cli.stack import LocalStack, free_port, port_open, wait_until
from services.indexer.elastic import ensure_indices
from services.indexer.router import build_router
from shared import topology
from shared.messages import SectionedReport
from shared.runtime import FailurePolicy, build_broker, ensure_topology
from shared.settings import Settings
from tests.integration.test_dead_letters import FAST, sample_report, stage
from tests.integration.test_indexer_es import sectioned
from tests.support.indexing import bulk_write

pytestmark = pytest.mark.integration

IN_SUITE_OUTAGE_SECONDS = 6.0


class Relay:
    """A TCP relay to a real server that the test can cut (refuse + reset) and restore, same port."""

    def __init__(self, target: str) -> None:
        parts = urlsplit(target)
        self.target_host, self.target_port = parts.hostname or "127.0.0.1", parts.port or 80
        self.port = free_port()
        self.url = f"{parts.scheme}://127.0.0.1:{self.port}"
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def restore(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def cut(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(self.target_host, self.target_port)
        self._writers |= {writer, up_writer}

        async def pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError, OSError):
                while chunk := await source.read(65536):
                    sink.write(chunk)
                    await sink.drain()
            sink.transport.abort()

        await asyncio.gather(pump(reader, up_writer), pump(up_reader, writer))


@contextlib.asynccontextmanager
async def relay_to(url: str) -> AsyncIterator[Relay]:
    relay = Relay(url)
    await relay.restore()
    try:
        yield relay
    finally:
        await relay.cut()


@pytest.fixture
def private_nats(tmp_path: Path) -> Iterator[LocalStack]:
    """A nats-server of this test's own: killing it disturbs no other test."""
    stack = LocalStack(data_dir=tmp_path / "data", log_dir=tmp_path / "logs")
    stack.start_nats()
    try:
        yield stack
    finally:
        stack.stop()


def sectioned_report(unique: str) -> SectionedReport:
    envelope = {"report_id": f"r{unique}", "event_id": f"e{unique}", "produced_by": "test"}
    return SectionedReport(**envelope, produced_at=datetime.now(UTC), **sectioned().model_dump())


async def dead_letters(js: nats.js.JetStreamContext, subject: str) -> int:
    try:
        await js.get_last_msg(topology.STREAM_NAME, topology.dlq_subject(subject))
    except NotFoundError:
        return 0
    return 1


async def until(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not await condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not within {timeout:g} s: {what}")
        await asyncio.sleep(0.2)


async def ride_out_elasticsearch_outage(nats_url: str, es_url: str, unique: str, seconds: float) -> None:
    """The indexer, Elasticsearch unreachable for `seconds`: it waits, says so, then indexes; 0 dead letters."""
    settings = Settings(NATS_URL=nats_url, ES_INDEX_PREFIX=f"o{unique}", **FAST)
    direct = AsyncElasticsearch(es_url, request_timeout=30)
    await ensure_indices(direct, settings)
    policy = FailurePolicy.from_settings(settings, topology.INDEXER)
    async with relay_to(es_url) as relay:
        es = AsyncElasticsearch(relay.url, request_timeout=5, max_retries=0)
        broker = build_broker(settings, topology.INDEXER, policy)
        broker.include_router(build_router(settings, es))
        try:
            async with broker:
                await broker.connect()
                await ensure_topology(broker.connection)
                await broker.start()
                await relay.cut()
                report = sectioned_report(unique)
                await broker.publish(report, subject=topology.SECTIONED, stream=topology.STREAM_NAME)

                async def waiting() -> bool:
                    return "elasticsearch" in policy.health.waiting_for

                await until(waiting, 10, "health says the indexer waits for elasticsearch")
                await asyncio.sleep(seconds)
                await relay.restore()

                async def indexed() -> bool:
                    found = await direct.options(ignore_status=404).get(
                        index=settings.write_alias("reports"), id=report.report_id
                    )
                    return bool(found.get("found"))

                await until(indexed, settings.retry_max_seconds + 30, "the report indexed once ES is back")
                js = broker.connection.jetstream()
                assert await dead_letters(js, topology.SECTIONED) == 0
                assert policy.health.healthy
        finally:
            await es.close()
            await direct.close()


async def test_indexer_waits_out_an_elasticsearch_outage(
    private_nats: LocalStack, es_url: str, unique: str
) -> None:
    await ride_out_elasticsearch_outage(private_nats.env["NATS_URL"], es_url, unique, IN_SUITE_OUTAGE_SECONDS)


async def test_indexer_waits_while_elasticsearch_refuses_writes(
    private_nats: LocalStack, es: AsyncElasticsearch, unique: str
) -> None:
    """A flood-stage block (ES answers 429 per document) is load, not bad data: wait until lifted."""
    nats_url = private_nats.env["NATS_URL"]
    settings = Settings(NATS_URL=nats_url, ES_INDEX_PREFIX=f"b{unique}", **FAST)
    await ensure_indices(es, settings)
    blocked = settings.write_alias("reports")
    await es.indices.put_settings(index=blocked, settings={"index.blocks.read_only_allow_delete": True})
    policy = FailurePolicy.from_settings(settings, topology.INDEXER)
    broker = build_broker(settings, topology.INDEXER, policy)
    broker.include_router(build_router(settings, es))
    report = sectioned_report(unique)
    async with broker:
        await broker.connect()
        await ensure_topology(broker.connection)
        await broker.start()
        await broker.publish(report, subject=topology.SECTIONED, stream=topology.STREAM_NAME)

        async def waiting() -> bool:
            return "elasticsearch" in policy.health.waiting_for

        await until(waiting, 10, "health says the indexer waits for elasticsearch")
        await es.indices.put_settings(index=blocked, settings={"index.blocks.read_only_allow_delete": None})

        async def indexed() -> bool:
            return bool((await es.options(ignore_status=404).get(index=blocked, id=report.report_id)).get("found"))

        await until(indexed, 15, "the report indexed once the block is lifted")
        assert await dead_letters(broker.connection.jetstream(), topology.SECTIONED) == 0


async def ride_out_nats_restart(stack: LocalStack, unique: str, seconds: float, health_dir: Path) -> None:
    """A stage mid-message when nats-server dies for `seconds`: it finishes after, once; 0 dead letters."""
    url = stack.env["NATS_URL"]
    port = urlsplit(url).port or 4222
    subject, produced = f"reports.in{unique}.v1", f"reports.out{unique}.v1"
    working, release = asyncio.Event(), asyncio.Event()

    async def handler(report: dict) -> None:  # type: ignore[type-arg]
        working.set()
        await release.wait()
        await broker.publish(report, subject=produced, stream=topology.STREAM_NAME, headers={"Nats-Msg-Id": unique})

    async with stage(url, subject, f"test-{unique}", handler, HEALTH_DIR=str(health_dir)) as (broker, policy):
        await broker.publish(sample_report(unique), subject=subject, stream=topology.STREAM_NAME)
        await asyncio.wait_for(working.wait(), 10)
        nats_process = next(p for p in stack.processes if p.name == "nats")
        nats_process.stop()
        stack.processes.remove(nats_process)
        await asyncio.sleep(0.5)
        release.set()  # the publish now meets a dead server: it must wait, not dead-letter
        status = json.loads((health_dir / "test-stage.json").read_text("utf-8"))
        assert status["healthy"] is False and "nats" in status["waiting_for"]
        await asyncio.sleep(seconds)
        await asyncio.to_thread(stack.start_nats, port)
        await asyncio.to_thread(wait_until, lambda: port_open(port), 10, "nats-server back")
        js = broker.connection.jetstream()

        async def published() -> bool:
            with contextlib.suppress(NotFoundError, nats.errors.Error):
                await js.get_last_msg(topology.STREAM_NAME, produced)
                return True
            return False

        await until(published, 40, "the stage's output once NATS is back")

        async def settled() -> bool:
            with contextlib.suppress(nats.errors.Error):
                info = await js.consumer_info(topology.STREAM_NAME, f"test-{unique}")
                return info.num_ack_pending == 0 and info.num_pending == 0
            return False

        await until(settled, 30, "the input acknowledged")
        assert await dead_letters(js, subject) == 0
        assert policy.health.healthy
    assert json.loads((health_dir / "test-stage.json").read_text("utf-8"))["healthy"] is True


async def test_stage_rides_out_a_nats_restart(private_nats: LocalStack, unique: str, tmp_path: Path) -> None:
    await ride_out_nats_restart(private_nats, unique, IN_SUITE_OUTAGE_SECONDS, tmp_path / "health")


async def test_stream_limits_follow_the_settings_at_start_up(private_nats: LocalStack) -> None:
    url = private_nats.env["NATS_URL"]
    client = await nats.connect(url)
    try:
        await ensure_topology(client)  # the CLI's way: defaults for a new stream
        js = client.jetstream()
        info = await js.stream_info(topology.STREAM_NAME)
        defaults = (topology.STREAM_MAX_AGE_SECONDS, topology.STREAM_MAX_BYTES)
        assert (info.config.max_age, info.config.max_bytes) == defaults
        settings = Settings(NATS_URL=url, STREAM_MAX_AGE_SECONDS=3600, STREAM_MAX_BYTES=64 * 1024**2)
        await ensure_topology(client, settings)  # a service's start with changed limits
        info = await js.stream_info(topology.STREAM_NAME)
        assert (info.config.max_age, info.config.max_bytes) == (3600, 64 * 1024**2)
        assert info.config.duplicate_window == 3600  # never longer than the age limit
    finally:
        await client.close()


async def test_concurrent_partial_updates_of_one_report_never_conflict(es: AsyncElasticsearch, unique: str) -> None:
    """The indexer's RETRY_ON_CONFLICT is enough for ten concurrent partial upserts of one report doc."""
    settings = Settings(ES_INDEX_PREFIX=f"c{unique}")
    await ensure_indices(es, settings)
    index = settings.write_alias("reports")
    writes = [
        bulk_write(es, index, {f"r{unique}": {"metric_count": n}}, partial=True) for n in range(10)
    ]
    assert await asyncio.gather(*writes) == [1] * 10
