"""A scanned (image-only) copy of a 2021-format report yields its facts instead of failing as 'needs OCR'.

The scan is made here (tests/support/scans.py): the report's text-layer PDF rendered to grey pages, turned
0.7°, with grain and dust, saved as images only. Its facts are judged against the text-layer copy's; then the
same bytes go through the real normalizer (bounded parsing child with the OCR settings), section-splitter and
metric-extractor on a real JetStream server, and into a real Elasticsearch through the indexer's writes.
"""

from __future__ import annotations

import pytest
from elasticsearch import AsyncElasticsearch

from services.indexer.elastic import ensure_indices
from services.metric_extractor.transform import extract_metrics
from services.normalizer.ocr import OcrOptions
from services.normalizer.transform import normalize
from services.section_splitter.transform import split_sections
from shared import topology
from shared.failures import PermanentError
from shared.messages import MetricsReport, NormalizedReport, SectionedReport
from shared.messages.v1 import MetricsDocument, NormalizedDocument, SectionedDocument
from shared.settings import Settings
from tests.integration.test_claim_check import message_about, running_stages, send_raw
from tests.support.indexing import report_parts, write_reports
from tests.support.scans import report_2021_pdf, scanned_pdf
from tests.support.servers import jetstream_connection

pytestmark = pytest.mark.integration

OCR_SECONDS = 600.0
"""Generous wait for three OCR'd pages (~6 CPU s each) on a 2-core machine that other tests share."""

Fact = tuple[str, str | None, float]


def facts(result: MetricsDocument) -> set[Fact]:
    return {(fact.key, fact.applicant, fact.value) for fact in result.metrics}


@pytest.fixture(scope="module")
def text_layer_pdf() -> bytes:
    return report_2021_pdf()


@pytest.fixture(scope="module")
def scan(text_layer_pdf: bytes) -> bytes:
    return scanned_pdf(text_layer_pdf)


@pytest.fixture(scope="module")
def recognised(scan: bytes) -> NormalizedDocument:
    return normalize(scan, "年报-扫描件.pdf", ocr=OcrOptions())


def test_the_scan_has_no_text_layer(scan: bytes) -> None:
    """The control: without OCR the scanned copy is the 'needs OCR' failure it used to be."""
    with pytest.raises(PermanentError, match="scanned PDF, needs OCR"):
        normalize(scan, "年报-扫描件.pdf")


def test_the_scan_says_which_pages_were_recognised_and_how_surely(recognised: NormalizedDocument) -> None:
    assert recognised.source_format == "pdf"
    assert recognised.metadata.ocr_pages == [1, 2, 3]
    assert recognised.metadata.ocr_confidence is not None and 0.8 <= recognised.metadata.ocr_confidence <= 1
    assert recognised.metadata.year == 2022
    assert {placement.page for placement in recognised.layout} == {1, 2, 3}


def test_the_scan_yields_the_facts_of_the_text_layer_copy(
    text_layer_pdf: bytes, recognised: NormalizedDocument
) -> None:
    expected = facts(extract_metrics(split_sections(normalize(text_layer_pdf, "年报.pdf"))))
    found = facts(extract_metrics(split_sections(recognised)))
    right = found & expected
    # measured on this scan: precision 0.97, recall 0.87 (a lone `1` beside a rule is the usual miss)
    assert len(right) / len(found) >= 0.9, sorted(found - expected)
    assert len(right) / len(expected) >= 0.75, sorted(expected - found)
    assert {("requests.new", "total", 38), ("requests.new", "natural_person", 35)} <= found


async def test_the_scan_goes_through_the_running_stages_into_elasticsearch(
    nats_url: str, es_url: str, es: AsyncElasticsearch, scan: bytes, recognised: NormalizedDocument, unique: str
) -> None:
    """Normalizer, section-splitter, metric-extractor on JetStream; their messages written by the indexer's own
    writes: the report is searchable with its OCR'd pages and its facts."""
    async with jetstream_connection(nats_url) as client, running_stages(nats_url):
        js = client.jetstream()
        report_id = await send_raw(js, scan, unique)
        metrics_message = await message_about(js, topology.METRICS, report_id, timeout=OCR_SECONDS)
        normalized = NormalizedReport.model_validate_json(
            (await message_about(js, topology.NORMALIZED, report_id)).data
        )
        sectioned = SectionedReport.model_validate_json((await message_about(js, topology.SECTIONED, report_id)).data)
    metrics = MetricsReport.model_validate_json(metrics_message.data)
    assert normalized.metadata.ocr_pages == [1, 2, 3]
    assert normalized.metadata.ocr_confidence == recognised.metadata.ocr_confidence
    assert facts(metrics) == facts(extract_metrics(split_sections(recognised)))

    settings = Settings(ES_URL=es_url, ES_INDEX_PREFIX=f"scan{unique}")
    await ensure_indices(es, settings)
    documents = (
        SectionedDocument.model_validate(sectioned.model_dump()),
        MetricsDocument.model_validate(metrics.model_dump()),
    )
    await write_reports(es, settings, report_parts(report_id, *documents))  # the envelope is the indexer's own
    await es.indices.refresh(index=f"{settings.index_alias('reports')},{settings.index_alias('metrics')}")
    report = await es.get(index=settings.index_alias("reports"), id=report_id)
    assert report["_source"]["ocr_pages"] == [1, 2, 3]
    hit = await es.search(
        index=settings.index_alias("metrics"),
        query={"bool": {"filter": [{"term": {"report_id": report_id}}, {"term": {"key": "requests.new"}}]}},
        size=20,
    )
    indexed = {(h["_source"].get("applicant"), h["_source"]["value"]) for h in hit["hits"]["hits"]}
    assert {("total", 38), ("natural_person", 35)} <= indexed
