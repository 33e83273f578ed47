"""The indexer service's batches on a real nats-server and a real Elasticsearch node.

Each test runs the indexer's router on a private nats-server (its durable `indexer` reads the real
subjects) and publishes before the consumer starts, so one fetch takes every message: the batch is
then known exactly. Nothing is timed: the tests wait until the consumer has nothing left to do.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from elasticsearch import AsyncElasticsearch
from faststream.nats import NatsBroker
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError
from pydantic import BaseModel

from services.cli.stack import LocalStack
from services.indexer.durables import LEGACY_DURABLES, adopt_legacy_durables
from services.indexer.elastic import ensure_indices
from services.indexer.router import build_router, subscription
from shared import topology
from shared.claims import text_object_name
from shared.messages import IndexedReport, MetricFact, MetricsReport, SectionedReport
from shared.runtime import ERROR_HEADER, FailurePolicy, build_broker, decode_header, ensure_topology
from shared.settings import Settings
from tests.integration import test_outages
from tests.integration.test_dead_letters import FAST
from tests.integration.test_indexer_es import fact, sectioned
from tests.integration.test_outages import relay_to, until

pytestmark = pytest.mark.integration
private_nats = test_outages.private_nats
"""A nats-server of the test's own (the fixture of test_outages): the durable and the subjects are real."""

KINDS = ("reports", "sections", "metrics")
FACTS = (("requests.new", 120, "受理政府信息公开申请120件"), ("reconsideration.total", 26, "行政复议26件"))


def sectioned_report(report_id: str, event: str, sections: int = 2, year: int = 2014) -> SectionedReport:
    doc = sectioned(year)
    envelope = {"report_id": report_id, "event_id": event, "produced_by": "test", "produced_at": datetime.now(UTC)}
    return SectionedReport(**envelope, **doc.model_copy(update={"sections": doc.sections[:sections]}).model_dump())


def metrics_report(report_id: str, event: str, facts: int = 2) -> MetricsReport:
    chosen: list[MetricFact] = [fact(key, value, evidence) for key, value, evidence in FACTS[:facts]]
    envelope = {"report_id": report_id, "event_id": event, "produced_by": "test", "produced_at": datetime.now(UTC)}
    return MetricsReport(**envelope, filename="r.txt", metadata=sectioned().metadata, metrics=chosen,
                         extractor_version="test")


@contextlib.asynccontextmanager
async def indexer(
    nats_url: str, es: AsyncElasticsearch, prefix: str, writes_through: AsyncElasticsearch | None = None, **env: Any
) -> AsyncIterator[Indexer]:
    """The indexer's router in a broker with the real failure policy; consuming starts at `start()`.

    `writes_through`: the client the indexer uses (e.g. one behind a relay the test cuts); `es` checks."""
    settings = Settings(NATS_URL=nats_url, ES_INDEX_PREFIX=prefix, **(FAST | env))
    await ensure_indices(es, settings)
    policy = FailurePolicy.from_settings(settings, topology.INDEXER)
    broker = build_broker(settings, topology.INDEXER, policy)
    broker.include_router(build_router(settings, writes_through or es))
    async with broker:
        await broker.connect()
        await ensure_topology(broker.connection)
        yield Indexer(broker, policy, es, settings)


class Indexer:
    def __init__(self, broker: NatsBroker, policy: FailurePolicy, es: AsyncElasticsearch, settings: Settings) -> None:
        self.broker, self.policy, self.es, self.settings = broker, policy, es, settings

    @property
    def js(self) -> JetStreamContext:
        return self.broker.connection.jetstream()

    async def publish(self, *messages: BaseModel) -> None:
        for message in messages:
            subject = topology.SECTIONED if isinstance(message, SectionedReport) else topology.METRICS
            await self.js.publish(subject, message.model_dump_json().encode(), stream=topology.STREAM_NAME)

    async def start(self) -> None:
        await self.broker.start()

    async def settled(self) -> None:
        """Until the durable has delivered and settled every message, then make the writes searchable."""

        async def idle() -> bool:
            with contextlib.suppress(NotFoundError):
                info = await self.js.consumer_info(topology.STREAM_NAME, topology.INDEXER)
                return info.num_pending == 0 and info.num_ack_pending == 0 and info.num_redelivered == 0
            return False

        await until(idle, 60, "the indexer durable settled")
        await self.es.indices.refresh(index=f"{self.settings.es_index_prefix}-*")

    async def source(self, report_id: str) -> dict[str, Any]:
        return (await self.es.get(index=self.settings.index_alias("reports"), id=report_id))["_source"]

    async def children(self, kind: str, report_id: str) -> list[dict[str, Any]]:
        hits = await self.es.search(
            index=self.settings.index_alias(kind), query={"term": {"report_id": report_id}}, size=100  # type: ignore[arg-type]
        )
        return sorted((hit["_source"] for hit in hits["hits"]["hits"]), key=lambda doc: str(sorted(doc.items())))

    async def count(self, kind: str) -> int:
        return (await self.es.count(index=self.settings.index_alias(kind)))["count"]  # type: ignore[arg-type]

    async def bulk_requests(self, kind: str) -> int:
        """Bulk requests the kind's index has taken (its one shard: one per request)."""
        stats = await self.es.indices.stats(index=self.settings.index_alias(kind), metric="bulk")  # type: ignore[arg-type]
        return stats["_all"]["primaries"]["bulk"]["total_operations"]

    async def stored(self, subject: str) -> list[Any]:
        """Every message on `subject` in the stream, oldest first."""
        subscription_ = await self.js.subscribe(subject, ordered_consumer=True, deliver_policy=DeliverPolicy.ALL)
        messages = []
        with contextlib.suppress(TimeoutError):
            while True:
                messages.append(await subscription_.next_msg(timeout=1))
        await subscription_.unsubscribe()
        return messages

    async def announcements(self) -> list[IndexedReport]:
        return [IndexedReport.model_validate_json(msg.data) for msg in await self.stored(topology.INDEXED)]


@pytest.fixture
async def service(
    private_nats: LocalStack, es: AsyncElasticsearch, unique: str
) -> AsyncIterator[Indexer]:
    async with indexer(private_nats.env["NATS_URL"], es, f"ib{unique}", INDEX_BATCH_WAIT_MS=200) as running:
        yield running


async def test_a_fetch_of_many_reports_is_written_in_one_bulk_request(service: Indexer) -> None:
    reports = [f"rep{n:02}" for n in range(30)]
    for n, report_id in enumerate(reports):
        await service.publish(sectioned_report(report_id, f"s{n}"), metrics_report(report_id, f"m{n}", n % 2 + 1))
    await service.start()
    await service.settled()

    assert [await service.bulk_requests(kind) for kind in KINDS] == [1, 1, 1]
    assert [await service.count(kind) for kind in KINDS] == [30, 60, 45]
    for n, report_id in enumerate(reports):
        report = await service.source(report_id)
        assert (report["region"], report["section_count"], report["metric_count"]) == ("某州", 2, n % 2 + 1)
        assert len(report["section_ids"]) == 2 and len(report["metric_ids"]) == n % 2 + 1
        assert [doc["title"] for doc in await service.children("sections", report_id)] == ["概述", "行政复议情况"]
    announced = {(a.report_id, a.stage): a.documents for a in await service.announcements()}
    assert announced == {
        **{(report_id, "sectioned"): 3 for report_id in reports},  # two sections + the report doc
        **{(report_id, "metrics"): n % 2 + 1 for n, report_id in enumerate(reports)},
    }


async def test_a_re_extraction_deletes_the_docs_it_no_longer_produces(service: Indexer) -> None:
    await service.start()
    await service.publish(sectioned_report("rep", "s1"), metrics_report("rep", "m1"))
    await service.settled()
    await service.publish(sectioned_report("rep", "s2", sections=1), metrics_report("rep", "m2", facts=1))
    await service.settled()

    assert [doc["title"] for doc in await service.children("sections", "rep")] == ["概述"]
    assert [doc["key"] for doc in await service.children("metrics", "rep")] == ["requests.new"]
    report = await service.source("rep")
    assert report["metrics"] == {"requests.new": 120.0, "reconsideration.total": None}
    assert (len(report["section_ids"]), len(report["metric_ids"]), report["metric_count"]) == (1, 1, 1)


async def test_a_poison_message_is_dead_lettered_and_the_rest_of_its_batch_indexed(service: Indexer) -> None:
    good = [f"good{n}" for n in range(5)]
    for n, report_id in enumerate(good[:2]):
        await service.publish(sectioned_report(report_id, f"s{n}"), metrics_report(report_id, f"m{n}"))
    await service.publish(sectioned_report("poison", "s-poison", year=10**10))  # beyond the `integer` mapping
    for n, report_id in enumerate(good[2:], start=2):
        await service.publish(sectioned_report(report_id, f"s{n}"), metrics_report(report_id, f"m{n}"))
    await service.start()
    await service.settled()

    dead = await service.stored(topology.dlq_subject(topology.SECTIONED))
    assert [SectionedReport.model_validate_json(msg.data).report_id for msg in dead] == ["poison"]
    reason = decode_header(dead[0].headers[ERROR_HEADER])
    assert "Elasticsearch rejected" in reason and "year" in reason, reason
    assert await service.bulk_requests("reports") == 1  # the poison travelled in the same request
    assert [await service.count(kind) for kind in KINDS] == [5, 10, 10]
    assert {a.report_id for a in await service.announcements()} == set(good)


async def test_a_batch_waits_out_an_elasticsearch_outage_and_is_indexed_whole(
    private_nats: LocalStack, es: AsyncElasticsearch, es_url: str, unique: str
) -> None:
    async with relay_to(es_url) as relay:
        through = AsyncElasticsearch(relay.url, request_timeout=5, max_retries=0)
        try:
            async with indexer(private_nats.env["NATS_URL"], es, f"io{unique}", through) as service:
                for n in range(10):
                    await service.publish(sectioned_report(f"r{n}", f"s{n}"), metrics_report(f"r{n}", f"m{n}"))
                await relay.cut()
                await service.start()

                async def waiting() -> bool:
                    return "elasticsearch" in service.policy.health.waiting_for

                await until(waiting, 15, "health says the indexer waits for elasticsearch")
                await relay.restore()
                await service.settled()

                assert await service.stored(topology.dlq_subject(topology.SECTIONED)) == []
                assert await service.stored(topology.dlq_subject(topology.METRICS)) == []
                assert [await service.count(kind) for kind in KINDS] == [10, 20, 20]
                assert len(await service.announcements()) == 20 and service.policy.health.healthy
        finally:
            await through.close()


async def test_a_message_waits_for_its_own_refused_items_while_the_rest_of_its_batch_is_acked(
    service: Indexer
) -> None:
    """Elasticsearch refuses the metric docs for now (429, flood-stage block): only the metrics messages wait."""
    blocked = service.settings.write_alias("metrics")
    await service.es.indices.put_settings(index=blocked, settings={"index.blocks.read_only_allow_delete": True})
    for n in range(5):
        await service.publish(sectioned_report(f"r{n}", f"s{n}"), metrics_report(f"r{n}", f"m{n}"))
    await service.start()

    async def sections_announced() -> bool:
        return len(await service.announcements()) == 5 and "elasticsearch" in service.policy.health.waiting_for

    await until(sections_announced, 30, "the sectioned messages indexed while the metrics ones wait")
    assert {a.stage for a in await service.announcements()} == {"sectioned"}
    info = await service.js.consumer_info(topology.STREAM_NAME, topology.INDEXER)
    assert info.num_ack_pending == 5  # the metrics messages: held, not acked, not dead-lettered
    await service.es.indices.put_settings(index=blocked, settings={"index.blocks.read_only_allow_delete": None})
    await service.settled()

    assert await service.stored(topology.dlq_subject(topology.METRICS)) == []
    assert [await service.count(kind) for kind in KINDS] == [5, 10, 10]
    assert len(await service.announcements()) == 10


def comparable(report: dict[str, Any]) -> dict[str, Any]:
    """A report doc without what names the report or the moment (ids, trace, time)."""
    skip = {"report_id", "section_ids", "metric_ids", "indexed_at", "trace_id"}
    return {key: value for key, value in report.items() if key not in skip} | {
        "sections": len(report["section_ids"]), "facts": len(report["metric_ids"])
    }


def without_ids(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in doc.items() if k not in {"report_id", "section_id", "fact_id"}} for doc in docs]


async def test_metrics_before_sectioned_converge_to_the_same_documents(service: Indexer) -> None:
    """Every arrival order ends in the same docs; two messages of one report and stage: the later wins."""
    await service.publish(
        sectioned_report("together", "s-together"), metrics_report("together", "m-together"),
        metrics_report("reversed", "m-reversed"), sectioned_report("reversed", "s-reversed"),
        metrics_report("apart", "m-apart"),
        sectioned_report("twice", "s-twice-old", sections=1), sectioned_report("twice", "s-twice-new"),
        metrics_report("twice", "m-twice"),
    )
    await service.start()
    await service.settled()
    await service.publish(sectioned_report("apart", "s-apart"))  # its metrics were written a batch earlier
    await service.settled()

    expected = comparable(await service.source("together"))
    assert expected["section_count"] == 2 and expected["metric_count"] == 2 and expected["region"] == "某州"
    for report_id in ("reversed", "apart", "twice"):
        assert comparable(await service.source(report_id)) == expected, report_id
        for kind in ("sections", "metrics"):
            together = without_ids(await service.children(kind, "together"))
            assert without_ids(await service.children(kind, report_id)) == together, (report_id, kind)
    twice = [a for a in await service.announcements() if a.report_id == "twice" and a.stage == "sectioned"]
    assert [(a.caused_by, a.documents) for a in twice] == [("s-twice-new", 3)]  # the superseded one is silent


async def test_the_legacy_durables_hand_over_what_they_had_not_acknowledged(
    private_nats: LocalStack, es: AsyncElasticsearch, unique: str
) -> None:
    async with indexer(private_nats.env["NATS_URL"], es, f"il{unique}") as service:
        js = service.js
        for durable, subject in zip(LEGACY_DURABLES, (topology.SECTIONED, topology.METRICS), strict=True):
            await js.add_consumer(topology.STREAM_NAME, ConsumerConfig(durable_name=durable, filter_subject=subject))
        for n in range(3):
            await service.publish(sectioned_report(f"r{n}", f"s{n}"), metrics_report(f"r{n}", f"m{n}"))
        # Before the upgrade: sectioned 0 and 1 acked, metrics 0 acked, metrics 1 fetched but never acked.
        old_sections = await js.pull_subscribe_bind(durable=LEGACY_DURABLES[0], stream=topology.STREAM_NAME)
        for msg in await old_sections.fetch(2):
            await msg.ack_sync()
        old_metrics = await js.pull_subscribe_bind(durable=LEGACY_DURABLES[1], stream=topology.STREAM_NAME)
        first, second = await old_metrics.fetch(2)
        await first.ack_sync()

        await adopt_legacy_durables(js, subscription(service.settings)["config"])
        await adopt_legacy_durables(js, subscription(service.settings)["config"])  # a restart: nothing to do
        await service.start()
        await service.settled()

        for durable in LEGACY_DURABLES:
            with pytest.raises(NotFoundError):
                await js.consumer_info(topology.STREAM_NAME, durable)
        announced = sorted((a.report_id, a.stage) for a in await service.announcements())
        # From the first message either legacy durable still owed (metrics 1) on; nothing acked comes again.
        assert announced == [("r1", "metrics"), ("r2", "metrics"), ("r2", "sectioned")]
        assert second.metadata.sequence.stream == 4  # metrics 1: delivered to the legacy durable, never acked


async def test_the_one_durable_reads_both_subjects(
    private_nats: LocalStack, es: AsyncElasticsearch, unique: str
) -> None:
    async with indexer(private_nats.env["NATS_URL"], es, f"id{unique}") as service:
        await service.start()
        info = await service.js.consumer_info(topology.STREAM_NAME, topology.INDEXER)
    assert sorted(info.config.filter_subjects or []) == [topology.METRICS, topology.SECTIONED]
    assert info.config.max_deliver == FAST["MAX_DELIVER"]


async def test_a_long_report_is_indexed_from_its_text_object_without_fetching_its_layout(service: Indexer) -> None:
    """The indexer reads a claim-checked text, never the PDF layout beside it (it indexes no layout): here the
    layout object is not even in the bucket, which would dead-letter the report if it were fetched."""
    report = sectioned_report("long", "s-long")
    name = text_object_name("long", report.text.encode())
    await (await service.js.object_store(topology.TEXT_BUCKET)).put(name, report.text.encode())
    await service.publish(report.model_copy(update={"text": "", "text_object": name, "layout_object": "long/layout"}))
    await service.start()
    await service.settled()

    assert (await service.source("long"))["text"] == report.text
    assert await service.stored(topology.dlq_subject(topology.SECTIONED)) == []
