"""`govreports reindex` against a real Elasticsearch node: copy, current mapping, atomic swap, live writes win."""

from __future__ import annotations

import asyncio

import pytest
from elasticsearch import AsyncElasticsearch

from services.cli.reindex import copy_version, reindex
from services.indexer.elastic import begin_versions, ensure_indices, load_template, plan_versions
from shared.messages import ReportMetadata, Section, SectionedDocument
from shared.settings import Settings
from tests.support.indexing import bulk_write, sectioned_part, write_reports

pytestmark = pytest.mark.integration

KINDS = ("reports", "sections", "metrics")
TEXT = "一、概述\n本年度共受理政府信息公开申请120件。\n二、行政复议情况\n全年行政复议26件。\n"


def report(n: int, titles: tuple[str, ...] = ("概述", "行政复议情况")) -> SectionedDocument:
    metadata = ReportMetadata(title=f"某州{2000 + n}年政府信息公开工作年度报告", region="某州", year=2000 + n)
    bounds = [(0, 24), (24, len(TEXT))]
    sections = [
        Section(level=1, title=title, kind="other", start=start, end=end)
        for title, (start, end) in zip(titles, bounds, strict=False)
    ]
    return SectionedDocument(filename=f"r{n}.txt", source_format="text", text=TEXT, metadata=metadata,
                             extractor_version="test", sections=sections)


async def write_report(es: AsyncElasticsearch, settings: Settings, n: int, doc: SectionedDocument) -> None:
    """What the indexer writes for a report's sectioned message, through the write aliases."""
    await write_reports(es, settings, [sectioned_part(f"rep{n}", doc)])


@pytest.fixture
async def settings(es: AsyncElasticsearch, unique: str) -> Settings:
    settings = Settings(ES_INDEX_PREFIX=f"r{unique}")
    await ensure_indices(es, settings)
    return settings


def v(settings: Settings, kind: str, version: int) -> str:
    return f"{settings.index_alias(kind)}-v{version}"  # type: ignore[arg-type]


async def aliases_of(es: AsyncElasticsearch, index: str) -> set[str]:
    return set((await es.indices.get_alias(index=index))[index]["aliases"])


async def test_reindex_copies_everything_into_the_next_version_and_swaps_the_read_alias(
    es: AsyncElasticsearch, settings: Settings
) -> None:
    for n in range(1, 4):
        await write_report(es, settings, n, report(n))
    # More than two PAGE_SIZE pages of report docs, so paging through the point in time is exercised.
    bulk = {f"rep{n}": {"report_id": f"rep{n}", "title": f"报告{n}", "year": 2020} for n in range(4, 1201)}
    await bulk_write(es, settings.write_alias("reports"), bulk)
    await es.indices.refresh(index=f"{settings.es_index_prefix}-*")
    before = {k: (await es.count(index=settings.index_alias(k)))["count"] for k in KINDS}

    seen: list[int | str] = []

    async def search_loop() -> None:  # what users do meanwhile: they must always see every report
        while True:
            try:
                seen.append((await es.count(index=settings.index_alias("reports")))["count"])
            except Exception as exc:
                seen.append(repr(exc))
            await asyncio.sleep(0.02)

    searching = asyncio.create_task(search_loop())
    results = await reindex(es, settings, settle=0.1)
    searching.cancel()
    assert len(seen) > 5 and set(seen) == {before["reports"]}, set(seen)

    for step, result in results:
        assert step.target == f"{step.read_alias}-v2"
        assert result.copied == before[step.read_alias.rsplit("-", 1)[1]]
        assert (result.kept_live, result.dropped_stale) == (0, 0)
    await es.indices.refresh(index=f"{settings.es_index_prefix}-*")
    for kind in KINDS:
        read, v1, v2 = settings.index_alias(kind), v(settings, kind, 1), v(settings, kind, 2)
        assert list((await es.indices.get_alias(name=read)).keys()) == [v2]
        assert await aliases_of(es, v2) == {read, settings.write_alias(kind)}
        assert await aliases_of(es, v1) == set()  # kept, out of both aliases
        assert (await es.count(index=v2))["count"] == (await es.count(index=v1))["count"] == before[kind]
    hit = await es.search(index=settings.index_alias("reports"), query={"match": {"body": "行政复议"}})
    assert hit["hits"]["total"]["value"] == 3


async def test_the_new_version_takes_the_current_template(es: AsyncElasticsearch, settings: Settings) -> None:
    template = load_template("metrics", settings.es_index_prefix)
    template["template"]["mappings"]["properties"]["reindex_probe"] = {"type": "keyword"}  # a "mapping change"
    await es.indices.put_index_template(name=settings.index_alias("metrics"), **template)
    await reindex(es, settings, kinds=("metrics",), delete_old=True, settle=0)
    v2 = f"{settings.index_alias('metrics')}-v2"
    mapping = (await es.indices.get_mapping(index=v2))[v2]["mappings"]["properties"]
    assert mapping["reindex_probe"] == {"type": "keyword"}
    assert not await es.indices.exists(index=f"{settings.index_alias('metrics')}-v1")  # --delete-old
    untouched = await es.indices.get_alias(name=settings.index_alias("reports"))
    assert list(untouched.keys()) == [f"{settings.index_alias('reports')}-v1"]  # --kind metrics only


async def test_writes_after_the_move_win_over_the_copy(es: AsyncElasticsearch, settings: Settings) -> None:
    await write_report(es, settings, 1, report(1))
    await write_report(es, settings, 2, report(2))
    old_summary = {"metric_count": 1, "metric_keys": ["requests.new"], "check_status": "none"}
    await bulk_write(es, settings.write_alias("reports"), {"rep1": old_summary}, partial=True)
    await es.indices.refresh(index=f"{settings.es_index_prefix}-*")
    await begin_versions(es, await plan_versions(es, settings, ("reports", "sections")))  # write aliases → v2
    # Live, before the copy: report 1 re-extracted with a renamed second section (its old one is stale);
    # the metrics stage of report 2 wrote its summary alone (a partial report doc without metadata).
    await write_report(es, settings, 1, report(1, ("概述", "复议和诉讼")))
    summary = {"metric_count": 7, "metric_keys": []}
    await bulk_write(es, settings.write_alias("reports"), {"rep2": summary}, partial=True)

    sections = await copy_version(es, v(settings, "sections", 1), v(settings, "sections", 2), settle=0)
    reports = await copy_version(es, v(settings, "reports", 1), v(settings, "reports", 2), settle=0)

    # rep1: 概述 was rewritten live (kept), 行政复议情况 copied then dropped as stale; rep2: both copied
    assert (sections.copied, sections.kept_live, sections.dropped_stale) == (3, 1, 1)
    assert (reports.kept_live, reports.completed) == (2, 2)
    await es.indices.refresh(index=f"{settings.es_index_prefix}-*")
    v2_sections = await es.search(index=v(settings, "sections", 2), query={"term": {"report_id": "rep1"}})
    assert sorted(h["_source"]["title"] for h in v2_sections["hits"]["hits"]) == ["复议和诉讼", "概述"]
    rep2 = (await es.get(index=v(settings, "reports", 2), id="rep2"))["_source"]
    assert rep2["metric_count"] == 7 and rep2["title"] == "某州2002年政府信息公开工作年度报告"  # live + old fields
    rep1 = (await es.get(index=v(settings, "reports", 2), id="rep1"))["_source"]
    assert rep1["metric_count"] == 1  # the live sectioned write lacked the summary: taken from v1
