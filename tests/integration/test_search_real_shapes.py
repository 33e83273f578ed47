"""Search on real-shaped reports (synthetic texts): crawled pages with a header block, CMS header tables,
a zone outside GB/T 2260. The real chain and the indexer's own writes feed a real node; the API is queried
over httpx's ASGI transport.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from elasticsearch import AsyncElasticsearch

from services.indexer.elastic import ensure_indices, load_template
from services.search_api.main import create_app
from shared.settings import Settings
from tests.support.indexing import index_files

pytestmark = pytest.mark.integration

ZONE = "云岭综合实验区"
# Synthetic, shared with the relevance corpus. zone_crawled_2023: a crawler's page.txt (header lines, `正文:`,
# the report) where 行政复议 is mentioned in passing in part 一 and answered in part 四 (its result 纠正), the
# passage a hit should open with. city_cms_2022: title, a flattened CMS metadata table with spaced labels.
SHAPES = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "relevance" / "reports").glob("*.txt"))
CHROME = re.compile(r"标题|发布时间|发布机构|栏目|原始链接|正文|索\s*引\s*号|发布日期|全文包括")


def plain(fragment: str) -> str:
    return re.sub(r"</?em>", "", fragment)


@pytest.fixture(scope="module")
async def client(es_url: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(ES_URL=es_url, ES_INDEX_PREFIX=f"shape{datetime.now(UTC):%H%M%S%f}")
    async with AsyncElasticsearch(es_url, request_timeout=30) as es:
        await index_files(es, settings, SHAPES)
    app = create_app(settings)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://search-api"
    ) as http:
        yield http


async def search(client: httpx.AsyncClient, **params: str) -> dict:
    response = await client.get("/api/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_hits_open_with_the_passage_that_matched(client: httpx.AsyncClient) -> None:
    """Best fragment first: the answer in part 四, not the passing mention in part 一 that comes earlier."""
    result = await search(client, q="行政复议 纠正")
    zone = next(hit for hit in result["hits"] if hit["region"] == ZONE)
    assert "行政复议结果纠正1件" in plain(zone["highlights"][0]), zone["highlights"]
    assert any("行政复议应诉" in plain(f) for f in zone["highlights"][1:]), zone["highlights"]


@pytest.mark.parametrize("query", ["政府信息公开 年度报告", "行政复议 行政诉讼", "主动公开政府信息", "不予公开"])
async def test_page_header_and_outline_are_never_highlighted(client: httpx.AsyncClient, query: str) -> None:
    """The header lines and the outline sentence match most queries; fragments come from the report proper."""
    result = await search(client, q=query)
    assert result["total"] >= 1
    fragments = [plain(f) for hit in result["hits"] for f in hit["highlights"]]
    assert fragments and not [f for f in fragments if CHROME.search(f)], fragments


async def test_a_zone_has_its_region_facet_value(client: httpx.AsyncClient) -> None:
    """A place outside GB/T 2260 is a region like any other: facet bucket, filter, hit and comparison row."""
    everything = await search(client)
    assert {"value": ZONE, "count": 1} in everything["facets"]["region"]
    chosen = await search(client, region=ZONE)
    assert [hit["region"] for hit in chosen["hits"]] == [ZONE]
    assert chosen["hits"][0]["title"] == f"{ZONE}2023年政府信息公开工作年度报告"
    table = (await client.get("/api/compare", params={"key": "requests.new", "by": "region"})).json()
    rows = {row["place"]: dict(zip(table["years"], row["values"], strict=True)) for row in table["rows"]}
    assert rows[ZONE][2023] == 14  # fact docs carry the zone as their region too


async def test_an_index_from_before_the_body_field_gets_it(es: AsyncElasticsearch, unique: str) -> None:
    """A deployment whose reports index predates `body`: the indexer adds the field instead of failing every write."""
    settings = Settings(ES_INDEX_PREFIX=f"old{unique}")
    template = load_template("reports", settings.es_index_prefix)["template"]
    del template["mappings"]["properties"]["body"]
    alias = settings.index_alias("reports")
    await es.indices.create(index=f"{alias}-v1", aliases={alias: {}, settings.write_alias("reports"): {}}, **template)
    await ensure_indices(es, settings)
    await index_files(es, settings, SHAPES)
    found = await es.search(index=alias, query={"match_phrase": {"body.exact": "行政复议结果纠正"}})
    assert found["hits"]["total"]["value"] == 1
