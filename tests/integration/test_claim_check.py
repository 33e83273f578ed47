"""Long normalized texts travel by claim check (shared/claims.py) on a real nats-server.

The server here is the deploy configuration with max_payload cut to 256 KiB, so a report whose text
alone is larger can only get through by claim check. The normalizer, section-splitter and
metric-extractor run with their real routers; the facts on reports.metrics.v1 must equal the in-process
chain's on the same bytes, whichever way the text travelled.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import nats
import nats.errors
import pytest
from faststream.nats import NatsBroker, NatsRouter
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy

from services.cli.stack import REPO_ROOT, LocalStack
from services.metric_extractor.router import build_router as metric_extractor_router
from services.metric_extractor.transform import extract_metrics
from services.normalizer.router import build_router as normalizer_router
from services.normalizer.transform import normalize
from services.section_splitter.router import build_router as section_splitter_router
from services.section_splitter.transform import split_sections
from shared import topology
from shared.claims import load_text, store_text, text_object_name
from shared.failures import is_transient
from shared.ids import report_id_for
from shared.messages import MetricsReport, NormalizedReport, RawReport, SectionedReport
from shared.runtime import (
    ERROR_HEADER,
    ERROR_KIND_HEADER,
    FAILED_STAGE_HEADER,
    build_broker,
    decode_header,
    ensure_topology,
)
from shared.settings import Settings
from tests.integration.test_dead_letters import FAST
from tests.support.report_pdf import REQUESTS_TABLE, RuledTable, report_pdf
from tests.support.servers import jetstream_connection, nats_with_config

pytestmark = pytest.mark.integration

MAX_PAYLOAD = 256 * 1024
"""Bytes; the deploy configuration's 8 MB would need texts of megabytes to show the same."""
CLAIM_CHECK_BYTES = 64 * 1024
"""TEXT_CLAIM_CHECK_BYTES in these tests: a quarter of MAX_PAYLOAD, as 256 KiB is of NATS' default 1 MB."""
REPORT = REPO_ROOT / "tests" / "fixtures" / "reports" / "fmt2021_rows.txt"
FILLER = "本机关坚持以公开为常态、不公开为例外,持续推进政务公开标准化规范化建设,不断提升公开质量和实效。\n"
"""Prose without digits or headings, already in normalized form (half-width commas): it lengthens the last
section by its own size and adds no fact."""
STAGES: dict[str, Callable[[Settings, NatsBroker], NatsRouter]] = {
    topology.NORMALIZER: normalizer_router,
    topology.SECTION_SPLITTER: section_splitter_router,
    topology.METRIC_EXTRACTOR: metric_extractor_router,
}


def report_of(size: int) -> bytes:
    """The 2021-template report, lengthened with filler prose to at least `size` bytes."""
    content = REPORT.read_bytes()
    repeats = -(-max(0, size - len(content)) // len(FILLER.encode()))  # rounded up
    return content + ("\n" + FILLER * repeats).encode() if repeats else content


@pytest.fixture(scope="module")
def small_payload_nats(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A nats-server of this module: the deploy configuration with max_payload MAX_PAYLOAD."""
    base = tmp_path_factory.mktemp("claim-check-nats")
    config = base / "nats.conf"
    deploy_config = (REPO_ROOT / "deploy" / "nats" / "nats-server.conf").read_text(encoding="utf-8")
    config.write_text(f"{deploy_config}\nmax_payload: {MAX_PAYLOAD}\n", encoding="utf-8")  # the last one counts
    with nats_with_config(base, config) as address:
        yield f"nats://{address}"


@pytest.fixture
async def client(small_payload_nats: str) -> AsyncIterator[Client]:
    async with jetstream_connection(small_payload_nats) as connection:
        yield connection


@contextlib.asynccontextmanager
async def running_stages(nats_url: str) -> AsyncIterator[None]:
    """The three stages that produce or consume texts, each on its own connection as in production."""
    settings = Settings(NATS_URL=nats_url, TEXT_CLAIM_CHECK_BYTES=CLAIM_CHECK_BYTES, **FAST)
    async with contextlib.AsyncExitStack() as brokers:
        for service, build_router in STAGES.items():
            broker = build_broker(settings, service)
            broker.include_router(build_router(settings, broker))
            await brokers.enter_async_context(broker)
            await broker.connect()
            await ensure_topology(broker.connection, settings)
            await broker.start()
        yield


async def send_raw(js: JetStreamContext, content: bytes, unique: str, filename: str = "report.txt") -> str:
    """Ingest's part: bytes into reports-raw, a RawReport onto reports.raw.v1; returns the report_id."""
    report_id = report_id_for(content)
    await (await js.object_store(topology.RAW_BUCKET)).put(report_id, content)
    raw = RawReport(
        report_id=report_id,
        event_id=f"e-{unique}-{len(content)}",
        produced_by="test",
        produced_at=datetime.now(UTC),
        filename=filename,
        size=len(content),
        object_bucket=topology.RAW_BUCKET,
        object_name=report_id,
        source="cli",
        source_uri="test",
    )
    await js.publish(topology.RAW, raw.model_dump_json().encode(), headers={"Nats-Msg-Id": raw.event_id})
    return report_id


async def message_about(js: JetStreamContext, subject: str, report_id: str, timeout: float = 60.0) -> Msg:
    """The first message on `subject` (from the stream's start) about `report_id`."""
    config = ConsumerConfig(deliver_policy=DeliverPolicy.ALL)
    subscription = await js.subscribe(subject, config=config, ordered_consumer=True)
    try:
        while True:
            try:
                message = await subscription.next_msg(timeout=timeout)
            except nats.errors.TimeoutError:
                raise AssertionError(f"nothing about {report_id} on {subject} within {timeout:g} s") from None
            if json.loads(message.data)["report_id"] == report_id:
                return message
    finally:
        await subscription.unsubscribe()


def normalized_report(content: bytes, unique: str) -> NormalizedReport:
    """What the normalizer publishes for `content`, before any claim check."""
    envelope = {"report_id": report_id_for(content), "event_id": f"e-{unique}", "produced_by": "test"}
    return NormalizedReport(**envelope, produced_at=datetime.now(UTC), **normalize(content, "report.txt").model_dump())


@pytest.mark.parametrize(
    ("size", "claim_checked"),
    [(0, False), (2 * CLAIM_CHECK_BYTES, True), (MAX_PAYLOAD + CLAIM_CHECK_BYTES, True)],
    ids=["inline", "over-the-threshold", "over-max-payload"],
)
async def test_a_long_text_reaches_the_metrics_with_the_facts_of_the_in_process_chain(
    small_payload_nats: str, client: Client, unique: str, size: int, claim_checked: bool
) -> None:
    content = report_of(size)
    expected = extract_metrics(split_sections(normalize(content, "report.txt")))
    js = client.jetstream()
    async with running_stages(small_payload_nats):
        report_id = await send_raw(js, content, unique)
        metrics = MetricsReport.model_validate_json((await message_about(js, topology.METRICS, report_id)).data)
    normalized = NormalizedReport.model_validate_json((await message_about(js, topology.NORMALIZED, report_id)).data)
    sectioned = SectionedReport.model_validate_json((await message_about(js, topology.SECTIONED, report_id)).data)

    assert [fact.model_dump() for fact in metrics.metrics] == [fact.model_dump() for fact in expected.metrics]
    assert {(f.key, f.applicant, f.value) for f in metrics.metrics} >= {("requests.new", "natural_person", 35)}
    text = (await load_text(js, sectioned)).text
    assert len(text.encode()) >= size and all(text[f.start : f.end] == f.evidence for f in metrics.metrics)
    if claim_checked:
        # Same text, same object: the section-splitter hands on the normalizer's claim check.
        assert normalized.text == sectioned.text == "" and normalized.text_object == sectioned.text_object
        assert normalized.text_object == text_object_name(report_id, text.encode())
    else:
        assert normalized.text_object is sectioned.text_object is None and sectioned.text == text


def long_pdf(pages: int) -> bytes:
    """A PDF report: the requests table, then pages of prose and statistics tables (a line or cell per ~12
    characters of text: its layout in JSON is several times the text's size)."""
    statistics = RuledTable([[f"第{row}项统计", *(str(row * column) for column in range(7))] for row in range(12)],
                            widths=[190, 40, 45, 45, 60, 60, 30, 30])  # fmt: skip
    prose = [f"本页第{line}行说明本机关政务公开工作的开展情况和主要做法。" for line in range(14)]
    first = ["某县人民政府2021年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况", REQUESTS_TABLE]
    return report_pdf([first] + [[*prose, statistics]] * pages)


async def test_a_long_pdf_keeps_its_page_boxes_when_its_layout_sends_it_by_claim_check(
    small_payload_nats: str, client: Client, unique: str
) -> None:
    content = long_pdf(pages=30)
    document = normalize(content, "report.pdf")
    assert len(document.text.encode()) < CLAIM_CHECK_BYTES  # the text alone would travel inline,
    assert len(document.model_copy(update={"text": ""}).model_dump_json()) > MAX_PAYLOAD  # but not with its layout
    expected = extract_metrics(split_sections(document))
    js = client.jetstream()
    async with running_stages(small_payload_nats):
        report_id = await send_raw(js, content, unique, filename="report.pdf")
        metrics = MetricsReport.model_validate_json((await message_about(js, topology.METRICS, report_id)).data)
    sectioned = SectionedReport.model_validate_json((await message_about(js, topology.SECTIONED, report_id)).data)

    assert sectioned.layout == [] and sectioned.layout_object and sectioned.text_object
    assert len((await message_about(js, topology.SECTIONED, report_id)).data) < MAX_PAYLOAD
    loaded = await load_text(js, sectioned)
    assert loaded.layout == document.layout
    text_only = await load_text(js, sectioned, with_layout=False)  # the indexer's read: the layout stays stored
    assert text_only.text == loaded.text and text_only.layout == [] and text_only.layout_object
    assert [fact.box for fact in metrics.metrics] == [fact.box for fact in expected.metrics]
    assert metrics.metrics and all(fact.box for fact in metrics.metrics)


async def test_the_long_text_inline_is_refused_by_this_server(client: Client, unique: str) -> None:
    """The control: without the claim check the over-max-payload report could not be published at all."""
    content = report_of(MAX_PAYLOAD + CLAIM_CHECK_BYTES)
    inline = normalized_report(content, unique)
    with pytest.raises(nats.errors.MaxPayloadError):
        await client.publish(f"claims.probe.{unique}", inline.model_dump_json().encode())


@pytest.mark.parametrize(
    ("subject", "model", "consumer"),
    [
        (topology.NORMALIZED, NormalizedReport, topology.SECTION_SPLITTER),
        (topology.SECTIONED, SectionedReport, topology.METRIC_EXTRACTOR),
    ],
)
async def test_a_missing_text_object_is_dead_lettered_with_its_name(
    small_payload_nats: str,
    client: Client,
    unique: str,
    subject: str,
    model: type[NormalizedReport] | type[SectionedReport],
    consumer: str,
) -> None:
    normalized = normalized_report(report_of(2 * CLAIM_CHECK_BYTES) + unique.encode(), unique)  # its own object
    sectioned = SectionedReport(**normalized.model_dump() | split_sections(normalized).model_dump())
    inline = sectioned if model is SectionedReport else normalized
    js = client.jetstream()
    message = await store_text(js, inline, CLAIM_CHECK_BYTES)
    assert message.text_object is not None
    await (await js.object_store(topology.TEXT_BUCKET)).delete(message.text_object)  # e.g. by an operator

    async with running_stages(small_payload_nats):
        await js.publish(subject, message.model_dump_json().encode(), headers={"Nats-Msg-Id": message.event_id})
        dead = await message_about(js, topology.dlq_subject(subject), message.report_id)
    assert decode_header(dead.headers[ERROR_HEADER]) == (
        f"text claim check {message.text_object} missing from bucket {topology.TEXT_BUCKET}"
    )
    assert (dead.headers[ERROR_KIND_HEADER], dead.headers[FAILED_STAGE_HEADER]) == ("permanent", consumer)


async def test_an_object_store_outage_is_transient(tmp_path: Path, unique: str) -> None:
    """NATS gone while a text is loaded: the error is one the failure policy waits out, not a dead letter."""
    stack = LocalStack(data_dir=tmp_path / "data", log_dir=tmp_path / "logs")
    connection = await nats.connect(stack.start_nats(), max_reconnect_attempts=-1)
    try:
        await ensure_topology(connection)
        report = normalized_report(report_of(2 * CLAIM_CHECK_BYTES), unique)
        stored = await store_text(connection.jetstream(), report, CLAIM_CHECK_BYTES)
        stack.stop()
        with pytest.raises(Exception) as outage:
            await load_text(connection.jetstream(timeout=1), stored)
        assert is_transient(outage.value), repr(outage.value)
    finally:
        stack.stop()
        await connection.close()


async def test_the_text_bucket_expires_with_the_stream(small_payload_nats: str, client: Client) -> None:
    """Created with STREAM_MAX_AGE_SECONDS as TTL; a service start brings it to the configured age."""
    js = client.jetstream()

    async def ttl() -> float | None:
        return (await (await js.object_store(topology.TEXT_BUCKET)).status()).stream_info.config.max_age

    assert await ttl() == topology.STREAM_MAX_AGE_SECONDS
    await ensure_topology(client, Settings(NATS_URL=small_payload_nats, STREAM_MAX_AGE_SECONDS=3600))
    assert await ttl() == 3600
    await ensure_topology(client, Settings(NATS_URL=small_payload_nats))
    assert await ttl() == topology.STREAM_MAX_AGE_SECONDS
