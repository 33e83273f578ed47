"""Indexer writes against a real Elasticsearch node: templates, aliases, upserts, highlights, stale docs.

The writes go through `write_parts`, the batch writer the indexer service uses (without the broker)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from elasticsearch import AsyncElasticsearch

from services.indexer import transform
from services.indexer.elastic import ensure_indices, write_indices
from services.indexer.writer import write_parts
from shared.messages import MetricFact, MetricsDocument, ReportMetadata, Section, SectionedDocument
from shared.settings import Settings
from tests.support.indexing import bulk_write, report_parts

pytestmark = pytest.mark.integration

TEXT = "一、概述\n本年度共受理政府信息公开申请120件。\n二、行政复议情况\n全年行政复议26件,其中维持14件。\n"


def sectioned(year: int = 2014) -> SectionedDocument:
    metadata = ReportMetadata(title="某州2014年政府信息公开工作年度报告", region="某州", province="新疆维吾尔自治区",
                              admin_level="city", year=year, era="pre2019")
    return SectionedDocument(
        filename="r.txt", source_format="text", text=TEXT, metadata=metadata, extractor_version="test",
        sections=[
            Section(level=1, number="一", title="概述", kind="overview", start=0, end=24),
            Section(level=1, number="二", title="行政复议情况", kind="review_litigation", start=24, end=len(TEXT)),
        ],
    )


def fact(key: str, value: int, evidence: str) -> MetricFact:
    start = TEXT.index(evidence)
    return MetricFact(key=key, value=value, value_base=value, unit="件", source="text", section="requests",
                      evidence=evidence, start=start, end=start + len(evidence))


@pytest.fixture
async def settings(es: AsyncElasticsearch, unique: str) -> Settings:
    settings = Settings(ES_INDEX_PREFIX=f"t{unique}")
    await ensure_indices(es, settings)
    await ensure_indices(es, settings)  # idempotent: a restarted indexer must not fail
    return settings


async def index_report(
    es: AsyncElasticsearch, settings: Settings, facts: list[MetricFact], doc: SectionedDocument | None = None
) -> None:
    doc = doc or sectioned()
    metrics = MetricsDocument(filename="r.txt", metadata=doc.metadata, metrics=facts, extractor_version="test")
    outcomes = await write_parts(es, write_indices(settings), report_parts("rep1", doc, metrics))
    assert outcomes == [len(doc.sections) + 1, len(facts)]  # documents each reports.indexed.v1 announces
    await es.indices.refresh(index=f"{settings.es_index_prefix}-*")


async def test_versioned_indices_behind_read_and_write_aliases(es: AsyncElasticsearch, settings: Settings) -> None:
    for kind in ("reports", "sections", "metrics"):
        alias = settings.index_alias(kind)
        for name in (alias, settings.write_alias(kind)):
            assert list((await es.indices.get_alias(name=name)).keys()) == [f"{alias}-v1"]


async def test_a_deployment_without_write_alias_gets_one(es: AsyncElasticsearch, unique: str) -> None:
    legacy = Settings(ES_INDEX_PREFIX=f"l{unique}")
    await es.indices.create(index=f"{legacy.index_alias('reports')}-v1", aliases={legacy.index_alias("reports"): {}})
    await ensure_indices(es, legacy)
    write_target = await es.indices.get_alias(name=legacy.write_alias("reports"))
    assert list(write_target.keys()) == [f"{legacy.index_alias('reports')}-v1"]


async def test_chinese_full_text_search_highlights(es: AsyncElasticsearch, settings: Settings) -> None:
    await index_report(es, settings, [fact("requests.new", 120, "受理政府信息公开申请120件")])
    result = await es.search(
        index=settings.index_alias("reports"),
        query={"match": {"body": "行政复议"}},
        highlight={"fields": {"body": {}}},
    )
    assert result["hits"]["total"]["value"] == 1
    assert "<em>" in result["hits"]["hits"][0]["highlight"]["body"][0]
    phrase = await es.search(index=settings.index_alias("sections"), query={"match_phrase": {"text.exact": "行政复议"}})
    assert [h["_source"]["title"] for h in phrase["hits"]["hits"]] == ["行政复议情况"]


async def test_reindexing_overwrites_and_drops_stale_facts(es: AsyncElasticsearch, settings: Settings) -> None:
    await index_report(es, settings, [fact("requests.new", 120, "受理政府信息公开申请120件"),
                                      fact("reconsideration.total", 26, "行政复议26件")])
    await index_report(es, settings, [fact("requests.new", 120, "受理政府信息公开申请120件")])
    metrics = await es.search(index=settings.index_alias("metrics"), query={"term": {"report_id": "rep1"}})
    assert [h["_source"]["key"] for h in metrics["hits"]["hits"]] == ["requests.new"]
    report = await es.get(index=settings.index_alias("reports"), id="rep1")
    assert report["_source"]["metric_count"] == 1
    assert report["_source"]["metrics"] == {"requests.new": 120.0, "reconsideration.total": None}
    assert report["_source"]["region"] == "某州"  # the partial summary update kept the metadata
    assert (await es.count(index=settings.index_alias("reports")))["count"] == 1


async def section_titles(es: AsyncElasticsearch, settings: Settings) -> list[str]:
    hits = await es.search(index=settings.index_alias("sections"), query={"term": {"report_id": "rep1"}})
    return sorted(hit["_source"]["title"] for hit in hits["hits"]["hits"])


async def test_a_report_indexed_before_the_ids_were_kept_loses_its_stale_docs(
    es: AsyncElasticsearch, settings: Settings
) -> None:
    """Upgrade: the old indexer's report doc has counts but no id lists; one search finds the stale docs."""
    old = sectioned()
    legacy = transform.report_document("rep1", old, None, datetime.now(UTC))  # no section_ids
    await bulk_write(es, settings.write_alias("reports"), {"rep1": legacy}, partial=True)
    await bulk_write(es, settings.write_alias("sections"), transform.section_documents("rep1", old))
    await es.indices.refresh(index=f"{settings.es_index_prefix}-*")
    one_section = old.model_copy(update={"sections": [old.sections[0].model_copy(update={"end": len(TEXT)})]})

    await index_report(es, settings, [], one_section)

    assert await section_titles(es, settings) == ["概述"]
    report = (await es.get(index=settings.index_alias("reports"), id="rep1"))["_source"]
    assert len(report["section_ids"]) == 1 and report["metric_ids"] == []
