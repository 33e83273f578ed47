"""The cross-year service on a real nats-server and a real Elasticsearch node, beside the real indexer.

A body's reports of 2021 and 2022 (the 2022 page prints the prefecture before the county) plus another body
of the same place. Whatever the order they arrive in, a re-extraction with a changed figure, or the
cross-year service running before the indexer has written a doc, the final state is the same: the checks
on both report docs, the indexer's fields beside them, and the last reports.crossyear.v1 of the pair.
Each service connects as its own NATS user (deploy/nats/nats-auth.conf). Nothing is timed: the tests wait
until both durables have nothing left to do.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from elasticsearch import AsyncElasticsearch
from faststream.nats import NatsRouter
from nats.aio.client import Client
from nats.js.api import DeliverPolicy
from nats.js.errors import NotFoundError

from services.cli.stack import LocalStack
from services.cross_year.checker import CrossYearChecker
from services.cross_year.router import build_router as cross_year_router
from services.cross_year.store import ReportDocs
from services.cross_year.transform import Basis, basis_of, doc_state
from services.indexer.elastic import ensure_indices
from services.indexer.router import build_router as indexer_router
from shared import topology
from shared.messages import CrossYearReport, MetricFact, MetricsReport, ReportMetadata, SectionedReport
from shared.runtime import build_broker, ensure_topology
from shared.settings import Settings
from tests.integration import test_outages
from tests.integration.test_dead_letters import FAST
from tests.integration.test_outages import until
from tests.unit.cross_year.builders import fact

pytestmark = pytest.mark.integration
private_nats = test_outages.private_nats

EXTRACTED = datetime(2031, 2, 1, tzinfo=UTC)
R2021, R2022, OTHER = "report-2021", "report-2022", "finance-2021"
FACTS_2021 = [
    fact("requests.carried_forward", 3),
    fact("requests.carried_forward", 2, "natural_person"),
    fact("active.normative_docs.in_force", 16),
    fact("reconsideration.pending", 1),
]


def facts_2022(carried_over: int = 3) -> list[MetricFact]:
    return [
        fact("requests.carried_over", carried_over),
        fact("requests.carried_over", 1, "natural_person"),  # last year carried 2 forward: fails
        fact("active.normative_docs.issued", 4),
        fact("active.normative_docs.repealed", 4),
        fact("active.normative_docs.in_force", 15),  # 16 + 4 − 4 = 16 predicted: fails
        fact("reconsideration.total", 1),
    ]


@dataclass(frozen=True)
class Report:
    """One extraction of one report: its sectioned and metrics messages."""

    report_id: str
    issuer: str
    year: int
    facts: list[MetricFact]
    extraction: int = 1

    def messages(self) -> list[SectionedReport | MetricsReport]:
        return [self.sectioned(), self.metrics()]

    def sectioned(self) -> SectionedReport:
        return SectionedReport(event_id=f"sectioned-{self.tag}", source_format="text", text=self.title, **self.common())

    def metrics(self) -> MetricsReport:
        return MetricsReport(event_id=f"metrics-{self.tag}", metrics=self.facts, **self.common())

    @property
    def tag(self) -> str:
        return f"{self.report_id}-{self.extraction}"

    @property
    def title(self) -> str:
        return f"{self.issuer}{self.year}年政府信息公开工作年度报告"

    def common(self) -> dict[str, Any]:
        metadata = ReportMetadata(
            title=self.title,
            issuer=self.issuer,
            region="望川县",
            province="某某省",
            adcode="330111",
            admin_level="county",
            year=self.year,
            era="fmt2021",
        )
        return {
            "report_id": self.report_id,
            "produced_by": "test",
            "produced_at": EXTRACTED + timedelta(hours=self.extraction),
            "filename": f"{self.report_id}.txt",
            "metadata": metadata,
            "extractor_version": "test",
        }


COUNTY_2021 = Report(R2021, "望川县人民政府", 2021, FACTS_2021)
COUNTY_2022 = Report(R2022, "临湖市望川县人民政府", 2022, facts_2022())
FINANCE_2021 = Report(OTHER, "望川县财政局", 2021, [fact("requests.carried_forward", 9)])  # another body: no pair


def check(name: str, passed: bool, expected: int, actual: int, keys: list[str]) -> dict[str, Any]:
    return {
        "name": name,
        "passed": passed,
        "year": 2022,
        "previous_year": 2021,
        "expected": expected,
        "actual": actual,
        "keys": keys,
    }


PAIR_CHECKS = [
    check("requests.carried_over[total]", True, 3, 3, ["requests.carried_over", "requests.carried_forward"]),
    check("requests.carried_over[natural_person]", False, 2, 1, ["requests.carried_over", "requests.carried_forward"]),
    check(
        "active.normative_docs.in_force[total]",
        False,
        16,
        15,
        ["active.normative_docs.in_force", "active.normative_docs.issued", "active.normative_docs.repealed"],
    ),
    check("reconsideration.pending_reappears[total]", True, 1, 1, ["reconsideration.total", "reconsideration.pending"]),
]
FAILED = ["active.normative_docs.in_force[total]", "requests.carried_over[natural_person]"]
FINAL_DOCS = {
    R2021: {
        "checks": [c | {"other_report_id": R2022, "other_year": 2022} for c in PAIR_CHECKS],
        "failed": FAILED,
        "status": "failed",
    },
    R2022: {
        "checks": [c | {"other_report_id": R2021, "other_year": 2021} for c in PAIR_CHECKS],
        "failed": FAILED,
        "status": "failed",
    },
    OTHER: {"checks": [], "failed": [], "status": "none"},
}
"""The one final state every scenario must reach (results per doc)."""


class Deployment:
    """The indexer and cross-year routers, each in its own broker as its own NATS user, on one private server."""

    def __init__(self, stack: LocalStack, es: AsyncElasticsearch, settings: Settings, admin: Client) -> None:
        self.stack, self.es, self.settings, self.admin = stack, es, settings, admin
        self.brokers = contextlib.AsyncExitStack()

    async def start(self, service: str) -> None:
        settings = self.settings.model_copy(update={"nats_url": self.stack.service_nats_url(service)})
        broker = build_broker(settings, service)
        router: NatsRouter = (cross_year_router if service == topology.CROSS_YEAR else indexer_router)(
            settings, self.es
        )
        broker.include_router(router)
        await self.brokers.enter_async_context(broker)
        await broker.start()

    async def publish(self, *reports: Report) -> None:
        js = self.admin.jetstream()
        for report in reports:
            for message in report.messages():
                subject = topology.SECTIONED if isinstance(message, SectionedReport) else topology.METRICS
                await js.publish(subject, message.model_dump_json().encode(), stream=topology.STREAM_NAME)

    async def settled(self, *durables: str) -> None:
        """Until each durable has delivered and settled every message, then make the writes searchable."""

        async def idle() -> bool:
            for durable in durables:
                try:
                    info = await self.admin.jetstream().consumer_info(topology.STREAM_NAME, durable)
                except NotFoundError:
                    return False
                if info.num_pending or info.num_ack_pending or info.num_redelivered:
                    return False
            return True

        await until(idle, 60, f"{', '.join(durables)} settled")
        await self.es.indices.refresh(index=self.settings.index_alias("reports"))

    async def docs(self) -> dict[str, dict[str, Any]]:
        response = await self.es.search(index=self.settings.index_alias("reports"), size=100)
        return {hit["_id"]: hit["_source"] for hit in response["hits"]["hits"]}

    async def stored(self, subject: str) -> list[bytes]:
        subscription = await self.admin.jetstream().subscribe(
            subject, ordered_consumer=True, deliver_policy=DeliverPolicy.ALL
        )
        messages = []
        with contextlib.suppress(TimeoutError):
            while True:
                messages.append((await subscription.next_msg(timeout=1)).data)
        await subscription.unsubscribe()
        return messages

    async def last_events(self) -> dict[tuple[str, str], CrossYearReport]:
        """The last reports.crossyear.v1 of each pair (later report, earlier report)."""
        events = [CrossYearReport.model_validate_json(data) for data in await self.stored(topology.CROSSYEAR)]
        return {(event.report_id, event.previous_report_id): event for event in events}


@pytest.fixture
async def deployment(private_nats: LocalStack, es: AsyncElasticsearch, unique: str) -> AsyncIterator[Deployment]:
    settings = Settings(NATS_URL=private_nats.env["NATS_URL"], ES_INDEX_PREFIX=f"cy{unique}", **FAST)
    await ensure_indices(es, settings)
    admin = Client()
    await admin.connect(private_nats.env["NATS_URL"])  # no credentials: the operator (no_auth_user admin)
    await ensure_topology(admin)
    running = Deployment(private_nats, es, settings, admin)
    async with running.brokers:
        yield running
    await admin.close()


async def assert_final_state(deployment: Deployment) -> None:
    docs = await deployment.docs()
    assert set(docs) == {R2021, R2022, OTHER}
    results = {
        rid: {k: v for k, v in doc["cross_year"].items() if k in ("checks", "failed", "status")}
        for rid, doc in docs.items()
    }
    assert results == FINAL_DOCS
    assert {rid: (doc["title"], doc["metric_count"]) for rid, doc in docs.items()} == {
        R2021: ("望川县人民政府2021年政府信息公开工作年度报告", 4),
        R2022: ("临湖市望川县人民政府2022年政府信息公开工作年度报告", 6),
        OTHER: ("望川县财政局2021年政府信息公开工作年度报告", 1),
    }  # the indexer's fields beside cross_year: neither writer overwrote the other
    events = await deployment.last_events()
    assert list(events) == [(R2022, R2021)]
    event = events[R2022, R2021]
    assert (event.adcode, event.issuer, event.year, event.previous_year) == ("330111", "望川县人民政府", 2022, 2021)
    assert event.caused_by == docs[R2022]["cross_year"]["basis"]["event_id"]
    assert event.previous_event_id == docs[R2021]["cross_year"]["basis"]["event_id"]
    assert [c.model_dump() for c in event.checks] == PAIR_CHECKS
    assert not await deployment.stored(topology.dlq_subject(topology.METRICS))


BOTH = (topology.INDEXER, topology.CROSS_YEAR)
Scenario = Callable[[Deployment], Awaitable[None]]


async def in_order(deployment: Deployment) -> None:
    await deployment.publish(COUNTY_2021, FINANCE_2021)
    await deployment.settled(*BOTH)
    await deployment.publish(COUNTY_2022)


async def out_of_order(deployment: Deployment) -> None:
    await deployment.publish(COUNTY_2022)
    await deployment.settled(*BOTH)
    await deployment.publish(FINANCE_2021, COUNTY_2021)


async def re_extraction(deployment: Deployment) -> None:
    """2022 first extracted with a wrong carried-over figure, then again with the right one."""
    await deployment.publish(COUNTY_2021, FINANCE_2021, Report(R2022, COUNTY_2022.issuer, 2022, facts_2022(5)))
    await deployment.settled(*BOTH)
    first = (await deployment.docs())[R2022]["cross_year"]
    assert "requests.carried_over[total]" in first["failed"]  # the wrong figure was compared as printed
    await deployment.publish(Report(R2022, COUNTY_2022.issuer, 2022, facts_2022(), extraction=2))


@pytest.mark.parametrize("scenario", [in_order, out_of_order, re_extraction], ids=lambda s: s.__name__)
async def test_any_order_or_re_extraction_ends_in_the_same_state(deployment: Deployment, scenario: Scenario) -> None:
    for service in BOTH:
        await deployment.start(service)
    await scenario(deployment)
    await deployment.settled(*BOTH)
    await assert_final_state(deployment)


async def test_a_doc_the_indexer_has_not_written_yet_gets_both_writers_fields(deployment: Deployment) -> None:
    """The cross-year service first: it creates the docs with cross_year only; the indexer's upserts add theirs."""
    await deployment.start(topology.CROSS_YEAR)
    await deployment.publish(COUNTY_2022, COUNTY_2021, FINANCE_2021)
    await deployment.settled(topology.CROSS_YEAR)
    assert not any("title" in doc for doc in (await deployment.docs()).values())
    await deployment.start(topology.INDEXER)
    await deployment.settled(*BOTH)
    await assert_final_state(deployment)


async def test_an_older_extraction_delivered_again_changes_nothing(deployment: Deployment) -> None:
    for service in BOTH:
        await deployment.start(service)
    await deployment.publish(COUNTY_2021, FINANCE_2021, Report(R2022, COUNTY_2022.issuer, 2022, facts_2022(), 2))
    await deployment.settled(*BOTH)
    await deployment.publish(Report(R2022, COUNTY_2022.issuer, 2022, facts_2022(5)))  # extraction 1, produced earlier
    await deployment.settled(*BOTH)
    results = (await deployment.docs())[R2022]["cross_year"]
    assert (results["basis"]["event_id"], results["failed"]) == (f"metrics-{R2022}-2", FAILED)


async def test_two_replicas_on_many_years_in_random_order_agree_with_the_pure_comparison(
    deployment: Deployment,
) -> None:
    """Two cross-year replicas share the durable, so neighbouring years are handled at the same time; with
    re-extractions among them, every doc still ends as doc_state() of the last extraction of each year."""
    years = range(2015, 2025)
    first = [Report(f"r{y}", "望川县人民政府", y, year_facts(y, shift=1)) for y in years]
    last = [Report(f"r{y}", "望川县人民政府", y, year_facts(y), extraction=2) for y in years]
    order = [*first, *last]
    random.Random(11).shuffle(order)
    await deployment.publish(*order)
    await deployment.start(topology.CROSS_YEAR)
    await deployment.start(topology.CROSS_YEAR)
    await deployment.settled(topology.CROSS_YEAR)

    bases = {report.report_id: basis_of(report.metrics()) for report in last}
    docs = await deployment.docs()
    for report_id, basis in bases.items():
        partners = [other for other in bases.values() if abs((other.year or 0) - (basis.year or 0)) == 1]
        stored = {k: v for k, v in docs[report_id]["cross_year"].items() if k in ("checks", "failed", "status")}
        assert stored == doc_state(basis, partners), report_id
    assert {doc["cross_year"]["status"] for doc in docs.values()} == {"passed", "failed"}


def year_facts(year: int, shift: int = 0) -> list[MetricFact]:
    """Figures that pass for some years and fail for others (every third year carries one request too many)."""
    return [
        fact("requests.carried_over", year % 4 + (year % 3 == 0) + shift),
        fact("requests.carried_forward", (year + 1) % 4),
    ]


class InterleavedDocs(ReportDocs):
    """Report docs where another handler's whole work lands right after this handler's first partner lookup,
    i.e. between its reads and its conditional write: the interleaving two replicas can produce."""

    def __init__(self, es: AsyncElasticsearch, alias: str, meanwhile: Callable[[], Awaitable[object]]) -> None:
        super().__init__(es, alias)
        self.meanwhile: Callable[[], Awaitable[object]] | None = meanwhile
        self.looked_up: list[list[Basis]] = []

    async def partners(self, basis: Basis) -> list[Basis]:
        found = await super().partners(basis)
        self.looked_up.append(found)
        if self.meanwhile is not None:
            run, self.meanwhile = self.meanwhile, None
            await run()
        return found


async def test_a_result_computed_from_a_basis_that_changed_meanwhile_is_computed_again(
    es: AsyncElasticsearch, unique: str
) -> None:
    settings = Settings(ES_INDEX_PREFIX=f"cyi{unique}")
    await ensure_indices(es, settings)
    alias = settings.write_alias("reports")
    plain = CrossYearChecker(ReportDocs(es, alias))
    for report in (COUNTY_2021, COUNTY_2022):
        await plain.check(basis_of(report.metrics()))
    # 2022 re-extracted (1 carried over, was 3) by one replica while another handles 2021 re-extracted (1
    # carried forward, was 3): the first computes 2022's results from the old 2021 and must not keep them
    again_2021 = basis_of(Report(R2021, COUNTY_2021.issuer, 2021, [fact("requests.carried_forward", 1)], 2).metrics())
    again_2022 = basis_of(Report(R2022, COUNTY_2022.issuer, 2022, facts_2022(carried_over=1), 2).metrics())
    interleaved = InterleavedDocs(es, alias, lambda: plain.check(again_2021))
    await CrossYearChecker(interleaved).check(again_2022)

    assert [p.event_id for p in interleaved.looked_up[0]] == [f"metrics-{R2021}-1"]  # it did read the old 2021
    await es.indices.refresh(index=alias)
    docs = {hit["_id"]: hit["_source"]["cross_year"] for hit in (await es.search(index=alias))["hits"]["hits"]}
    for basis, partner in ((again_2022, again_2021), (again_2021, again_2022)):
        stored = {k: v for k, v in docs[basis.report_id].items() if k in ("checks", "failed", "status")}
        assert stored == doc_state(basis, [partner]), basis.report_id
    assert (docs[R2022]["status"], docs[R2022]["checks"][0]["expected"]) == ("passed", 1)
