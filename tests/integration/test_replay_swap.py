"""`govreports replay` against real NATS and Elasticsearch, with the test playing the pipeline.

The test answers each replayed reports.raw.v1 event the way the services would (two indexed
announcements, or a dead letter), so the swap decision and the roll-back are observable without
running the five services (tests/e2e/test_replay.py does that for the successful case).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable

import nats
import pytest
from elasticsearch import AsyncElasticsearch
from nats.aio.msg import Msg
from nats.js.api import DeliverPolicy, ObjectMeta

from services.cli.replay import ReplayResult, format_result, replay
from services.indexer.elastic import ensure_indices
from shared import topology
from shared.ids import report_id_for
from shared.messages import RawReport, ReportMetadata, SectionedDocument
from shared.runtime import ERROR_HEADER, FAILED_STAGE_HEADER, ensure_topology
from shared.settings import Settings
from tests.support.indexing import sectioned_part, write_reports

pytestmark = pytest.mark.integration

def document(name: str) -> SectionedDocument:
    metadata = ReportMetadata(title=f"{name}政府信息公开工作年度报告", region="某县", year=2021)
    return SectionedDocument(filename=f"{name}.txt", source_format="text", text="一、概述\n", metadata=metadata,
                             extractor_version="old", sections=[])


async def index_report(es: AsyncElasticsearch, settings: Settings, report_id: str) -> None:
    """What the indexer writes for a report, through the write alias."""
    await write_reports(es, settings, [sectioned_part(report_id, document(report_id[:8]))])
    await es.indices.refresh(index=settings.write_alias("reports"))


async def aliases(es: AsyncElasticsearch, settings: Settings) -> tuple[list[str], list[str]]:
    read = list((await es.indices.get_alias(name=settings.index_alias("reports"))).keys())
    write = list((await es.indices.get_alias(name=settings.write_alias("reports"))).keys())
    return read, write


class FakePipeline:
    """Answers replayed events: a dead letter for `doomed`, both indexed stages for every other report."""

    def __init__(self, client: nats.NATS, doomed: str) -> None:
        self.js = client.jetstream()
        self.doomed = doomed
        self.on_first: Callable[[], Awaitable[None]] | None = None

    async def on_raw(self, msg: Msg) -> None:
        event = RawReport.model_validate_json(msg.data)
        if event.source != "replay":
            return
        if self.on_first is not None:
            first, self.on_first = self.on_first, None
            await first()
        if event.report_id == self.doomed:
            await self.js.publish(topology.dlq_subject(topology.RAW), msg.data, headers={
                FAILED_STAGE_HEADER: topology.NORMALIZER, ERROR_HEADER: "new extractor crashed"})
            return
        for stage in ("sectioned", "metrics"):
            await self.js.publish(topology.INDEXED, json.dumps({"report_id": event.report_id, "stage": stage}).encode())


@pytest.fixture
async def world(nats_url: str, es: AsyncElasticsearch, unique: str) -> AsyncIterator[tuple[Settings, nats.NATS]]:
    settings = Settings(NATS_URL=nats_url, ES_INDEX_PREFIX=f"rp{unique}")
    await ensure_indices(es, settings)
    client = await nats.connect(nats_url)
    await ensure_topology(client)
    yield settings, client
    await client.close()


async def store_raw(client: nats.NATS, content: bytes) -> str:
    report_id = report_id_for(content)
    store = await client.jetstream().object_store(topology.RAW_BUCKET)
    await store.put(report_id, content, meta=ObjectMeta(name=report_id, description="报告.txt"))
    return report_id


async def run_replay(
    es: AsyncElasticsearch, settings: Settings, pipeline: FakePipeline | None, timeout: float
) -> ReplayResult:
    subscription = None
    if pipeline is not None:
        subscription = await pipeline.js.subscribe(
            topology.RAW, ordered_consumer=True, deliver_policy=DeliverPolicy.NEW, cb=pipeline.on_raw
        )
    try:
        return await replay(es, settings, timeout)
    finally:
        if subscription is not None:
            await subscription.unsubscribe()


async def test_a_searchable_report_the_new_extractor_cannot_handle_blocks_the_swap(
    es: AsyncElasticsearch, world: tuple[Settings, nats.NATS], unique: str
) -> None:
    settings, client = world
    doomed = await store_raw(client, f"doomed {unique}".encode())
    newcomer = await store_raw(client, f"ingested during the replay {unique}".encode())
    await index_report(es, settings, doomed)
    before = await aliases(es, settings)
    pipeline = FakePipeline(client, doomed)

    async def ingest_meanwhile() -> None:  # the indexer writing a fresh report while the replay runs
        await index_report(es, settings, newcomer)

    pipeline.on_first = ingest_meanwhile

    result = await run_replay(es, settings, pipeline, timeout=30)

    assert not result.swapped and result.kept == {doomed} and "new extractor crashed" in result.dead[doomed]
    assert await aliases(es, settings) == before  # read AND write aliases back on v1
    assert result.restored == {newcomer}
    last = RawReport.model_validate_json((await client.jetstream().get_last_msg(
        topology.STREAM_NAME, topology.RAW)).data)
    assert last.report_id == newcomer and last.source == "replay"  # re-indexed where searches look
    assert f"dead-lettered {doomed[:12]} (searchable now: kept)" in format_result(result)


async def test_a_report_that_never_was_searchable_does_not_block_the_swap(
    es: AsyncElasticsearch, world: tuple[Settings, nats.NATS], unique: str
) -> None:
    settings, client = world
    doomed = await store_raw(client, f"scanned, never indexed {unique}".encode())

    result = await run_replay(es, settings, FakePipeline(client, doomed), timeout=30)

    assert result.swapped and result.kept == set() and doomed in result.dead
    read, write = await aliases(es, settings)
    assert read == write == [f"{settings.index_alias('reports')}-v2"]


async def test_a_timed_out_replay_moves_the_write_alias_back(
    es: AsyncElasticsearch, world: tuple[Settings, nats.NATS], unique: str
) -> None:
    settings, client = world
    await store_raw(client, f"never answered {unique}".encode())
    before = await aliases(es, settings)

    result = await run_replay(es, settings, None, timeout=0.5)

    assert result.pending and not result.swapped
    assert await aliases(es, settings) == before  # new writes land where searches read
    assert "timed out" in format_result(result)


class PacedPipeline(FakePipeline):
    """Answers each replayed event a little later, counting how many it holds unanswered at once."""

    def __init__(self, client: nats.NATS) -> None:
        super().__init__(client, doomed="")
        self.unanswered = 0
        self.most_unanswered = 0
        self.answers: set[asyncio.Task[None]] = set()

    async def on_raw(self, msg: Msg) -> None:
        if RawReport.model_validate_json(msg.data).source != "replay":
            return
        self.unanswered += 1
        self.most_unanswered = max(self.most_unanswered, self.unanswered)
        task = asyncio.create_task(self.answer_later(msg))
        self.answers.add(task)
        task.add_done_callback(self.answers.discard)

    async def answer_later(self, msg: Msg) -> None:
        await asyncio.sleep(0.05)
        self.unanswered -= 1  # before the announcement: replay may publish the next one as soon as it hears it
        await super().on_raw(msg)


async def test_a_replay_keeps_at_most_its_window_of_reports_in_flight(
    es: AsyncElasticsearch, world: tuple[Settings, nats.NATS], unique: str
) -> None:
    """A national replay must not publish a million raw events at once: beyond STREAM_MAX_BYTES the stream
    drops its oldest messages, unread ones included."""
    settings, client = world
    settings = settings.model_copy(update={"replay_max_in_flight": 2})
    for index in range(5):
        await store_raw(client, f"paced {unique} {index}".encode())
    pipeline = PacedPipeline(client)

    result = await run_replay(es, settings, pipeline, timeout=60)

    assert result.swapped and not result.pending
    assert pipeline.most_unanswered == 2  # the window was used, never exceeded


async def raw_events_in_stream(client: nats.NATS) -> int:
    info = await client.jetstream().stream_info(topology.STREAM_NAME, subjects_filter=topology.RAW)
    return (info.state.subjects or {}).get(topology.RAW, 0)


async def test_a_replay_into_a_stuck_pipeline_publishes_one_window_then_times_out(
    es: AsyncElasticsearch, world: tuple[Settings, nats.NATS], unique: str
) -> None:
    settings, client = world
    settings = settings.model_copy(update={"replay_max_in_flight": 1})
    for index in range(3):
        await store_raw(client, f"stuck {unique} {index}".encode())
    before = await raw_events_in_stream(client)

    result = await run_replay(es, settings, None, timeout=0.5)

    assert await raw_events_in_stream(client) - before == 1  # one window, then nothing finished: it stopped
    assert not result.swapped and len(result.pending) == result.replayed >= 3
    assert "timed out" in format_result(result)
