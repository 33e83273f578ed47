"""The whole pipeline as five service processes on real NATS JetStream and Elasticsearch.

Drops the five seeds and three malformed files into the bucket folder, then checks what a user
sees: reports with the right region and year, sections and facts, Chinese full-text search with
highlights, failures in the DLQ and failed/, no duplicate on a re-drop, one trace per report.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import opencc
import pytest
from elasticsearch import AsyncElasticsearch
from nats.aio.client import Client as NATS
from nats.js.errors import NotFoundError

from services.cli.stack import REPO_ROOT
from services.ingest.names import tagged_name
from shared import topology
from shared.ids import report_id_for
from shared.runtime import ERROR_HEADER, decode_header
from tests.e2e.pipeline_support import SEEDS, Pipeline, running_pipeline
from tests.support.gold import SEED_GOLD_DIR

pytestmark = pytest.mark.e2e

MALFORMED = {
    "empty.txt": b"",
    "scan.pdf.bin": bytes(range(256)) * 40,  # binary: NULs and control bytes, no known format
    "broken.txt": b"\x8f\xff\xfe\x80\xc3\x28\xa0\xa1\xff\xff" * 300,  # valid in no supported encoding
}
T2S = opencc.OpenCC("t2s")


OBJECT_REPORT = REPO_ROOT / "tests" / "fixtures" / "reports" / "fmt2021_rows.txt"


def gold_by_seed() -> dict[str, dict]:
    golds = (json.loads(p.read_text("utf-8")) for p in sorted(SEED_GOLD_DIR.glob("*.json")))
    return {g["seed_file"]: g for g in golds}


@pytest.fixture(scope="module")
def pipeline(es_url: str) -> Iterator[Pipeline]:
    with running_pipeline(es_url, MALFORMED, OBJECT_REPORT) as pipeline:
        yield pipeline


async def report_docs(es: AsyncElasticsearch, pipeline: Pipeline) -> dict[str, dict]:
    result = await es.search(index=pipeline.settings.index_alias("reports"), size=100)
    return {hit["_id"]: hit["_source"] for hit in result["hits"]["hits"]}


async def test_every_seed_has_region_and_year_of_gold(es: AsyncElasticsearch, pipeline: Pipeline) -> None:
    golds = gold_by_seed()
    docs = await report_docs(es, pipeline)
    for report_id, seed in pipeline.expected.items():
        expected = golds[seed]["metadata"]
        assert docs[report_id]["region"] == T2S.convert(expected["region"]), seed
        assert docs[report_id]["year"] == expected["year"], seed


async def test_sections_and_facts_are_indexed(es: AsyncElasticsearch, pipeline: Pipeline) -> None:
    settings = pipeline.settings
    golds = gold_by_seed()
    for report_id, seed in pipeline.expected.items():
        sections = await es.search(
            index=settings.index_alias("sections"), query={"term": {"report_id": report_id}}, size=500
        )
        titles = {T2S.convert(h["_source"]["title"]) for h in sections["hits"]["hits"]}
        top_level = {T2S.convert(s["title"]) for s in golds[seed]["sections"] if s["level"] == 1}
        assert top_level <= titles, seed
    boertala = next(rid for rid, seed in pipeline.expected.items() if seed.startswith("000_"))
    facts = await es.search(
        index=settings.index_alias("metrics"),
        query={"bool": {"filter": [{"term": {"report_id": boertala}}, {"term": {"applicant": "total"}}]}},
        size=500,
    )
    values = {(h["_source"]["key"], h["_source"]["value"]) for h in facts["hits"]["hits"]}
    assert ("requests.new", 120) in values
    assert ("reconsideration.total", 26) in values


async def test_chinese_search_finds_reports_with_highlights(es: AsyncElasticsearch, pipeline: Pipeline) -> None:
    result = await es.search(
        index=pipeline.settings.index_alias("reports"),
        query={"match_phrase": {"body": "行政复议"}},
        highlight={"fields": {"body": {}}},
        size=10,
    )
    hits = result["hits"]["hits"]
    assert set(pipeline.expected) <= {hit["_id"] for hit in hits}  # incl. the traditional seed (行政複議)
    assert all("<em>" in hit["highlight"]["body"][0] for hit in hits)


async def test_malformed_files_reach_dlq_and_failed_folder(pipeline: Pipeline) -> None:
    failed = pipeline.settings.failed_dir
    for name, content in MALFORMED.items():
        record = failed / tagged_name(name, report_id_for(content))  # failed/<stem>.<sha256, 12 hex><ext>
        assert record.read_bytes() == content, name
        note = (failed / f"{record.name}.error.txt").read_text("utf-8")
        assert "reason:" in note and len(note.splitlines()[1]) > len("reason: "), note
    nc = NATS()
    await nc.connect(pipeline.settings.nats_url)
    try:
        dlq = topology.dlq_subject(topology.RAW)
        subscription = await nc.jetstream().pull_subscribe(dlq, stream=topology.STREAM_NAME)
        dead = await subscription.fetch(10, timeout=5)
    finally:
        await nc.close()
    reasons = [decode_header(msg.headers[ERROR_HEADER]) for msg in dead]
    assert len(reasons) == len(MALFORMED), reasons


async def test_object_store_put_is_ingested_with_its_tables(es: AsyncElasticsearch, pipeline: Pipeline) -> None:
    report = (await es.get(index=pipeline.settings.index_alias("reports"), id=pipeline.object_report_id))["_source"]
    assert report["era"] == "fmt2021" and report["check_status"] == "passed" and report["checks_failed"] == 0
    facts = await es.count(
        index=pipeline.settings.index_alias("metrics"),
        query={"bool": {"filter": [{"term": {"report_id": pipeline.object_report_id}},
                                   {"term": {"applicant": "natural_person"}}, {"term": {"source": "table"}}]}},
    )
    assert facts["count"] > 20  # table 三 parsed per applicant column
    assert await incoming_objects(pipeline.settings.nats_url) == []  # ingest deleted what it took


async def incoming_objects(nats_url: str) -> list[str]:
    nc = NATS()
    await nc.connect(nats_url)
    try:
        store = await nc.jetstream().object_store(topology.INCOMING_BUCKET)
        return [info.name for info in await store.list(ignore_deletes=True)]
    except NotFoundError:  # nats-py's answer for a bucket without objects
        return []
    finally:
        await nc.close()


async def test_redropping_a_seed_creates_no_duplicate(es: AsyncElasticsearch, pipeline: Pipeline) -> None:
    settings = pipeline.settings
    before = {kind: (await es.count(index=settings.index_alias(kind)))["count"] for kind in ("reports", "metrics")}
    seed = next(p for p in sorted(SEEDS.glob("*.txt")))
    shutil.copy(seed, settings.incoming_dir / f"again-{seed.name}")
    deadline = time.monotonic() + 60
    while not (settings.processed_dir / f"again-{seed.name}").exists():
        assert time.monotonic() < deadline, "the re-dropped file was not ingested"
        await asyncio.sleep(0.5)
    await asyncio.sleep(5)  # time for any (wrong) second pass through the stages
    await es.indices.refresh(index=f"{settings.es_index_prefix}-*")
    after = {kind: (await es.count(index=settings.index_alias(kind)))["count"] for kind in ("reports", "metrics")}
    assert after == before


def traced_services(spans_dir: Path, trace_id: str) -> set[str]:
    """The services with a span in the trace, as their console exporters wrote them so far (a line still being
    written is skipped)."""
    services = set()
    for line in (line for path in spans_dir.glob("*.jsonl") for line in path.read_text().splitlines()):
        with contextlib.suppress(json.JSONDecodeError):
            span = json.loads(line)
            if span["context"]["trace_id"].removeprefix("0x") == trace_id:
                services.add(span["resource"]["attributes"]["service.name"])
    return services


async def test_one_report_is_one_trace_across_all_services(es: AsyncElasticsearch, pipeline: Pipeline) -> None:
    docs = await report_docs(es, pipeline)
    for report_id in pipeline.expected:
        trace_id = docs[report_id]["trace_id"]
        deadline = time.monotonic() + 60  # cross-year, a downstream consumer, may still be at work after indexing
        while (services := traced_services(pipeline.spans_dir, trace_id)) != set(topology.PIPELINE_SERVICES):
            if time.monotonic() > deadline:
                break
            await asyncio.sleep(0.5)
        assert services == set(topology.PIPELINE_SERVICES), services
