"""The search API over a real Elasticsearch node, fed the seeds through the real extraction and indexer code."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
from elasticsearch import AsyncElasticsearch

from services.search_api.main import create_app
from shared.messages import MetricsDocument
from shared.settings import Settings
from tests.support.indexing import SEARCH_CORPUS as CORPUS
from tests.support.indexing import index_files

pytestmark = pytest.mark.integration



@pytest.fixture(scope="module")
async def corpus(es_url: str) -> AsyncIterator[tuple[Settings, dict[str, MetricsDocument]]]:
    settings = Settings(ES_URL=es_url, ES_INDEX_PREFIX=f"api{datetime.now(UTC):%H%M%S%f}")
    async with AsyncElasticsearch(es_url, request_timeout=30) as es:
        yield settings, await index_files(es, settings, CORPUS)


@pytest.fixture
async def client(corpus: tuple[Settings, dict[str, MetricsDocument]]) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(corpus[0])
    async with app.router.lifespan_context(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://search-api"
    ) as http:
        yield http


def by_region(corpus: tuple[Settings, dict[str, MetricsDocument]], region: str) -> str:
    return next(rid for rid, doc in corpus[1].items() if doc.metadata.region == region)


async def test_healthz_and_page(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json()["status"] == "ok"
    page = await client.get("/")
    assert page.status_code == 200 and "检索" in page.text and "/static/app.js" in page.text
    assert (await client.get("/static/app.js")).status_code == 200


async def test_chinese_query_hits_with_highlights(client: httpx.AsyncClient, corpus) -> None:
    result = (await client.get("/api/search", params={"q": "行政复议 纠错"})).json()
    assert result["total"] >= 3
    assert all(hit["highlights"] and any("<em>" in f for f in hit["highlights"]) for hit in result["hits"])
    first = result["hits"][0]
    assert first["region"] and first["year"] and first["title"]


async def test_traditional_query_matches_simplified_text(client: httpx.AsyncClient, corpus) -> None:
    """行政複議 is converted to simplified script; the index holds only 行政复议."""
    traditional = (await client.get("/api/search", params={"q": "行政複議", "size": 50})).json()
    simplified = (await client.get("/api/search", params={"q": "行政复议", "size": 50})).json()
    assert traditional["total"] == simplified["total"] >= 5
    assert [h["report_id"] for h in traditional["hits"]] == [h["report_id"] for h in simplified["hits"]]
    assert by_region(corpus, "昆山市") in {h["report_id"] for h in traditional["hits"]}  # the traditional seed
    kunshan = next(h for h in traditional["hits"] if h["region"] == "昆山市")
    # Unconverted, only the bigram 行政 would match (政複/複議 are in no document): 复议 marked proves the conversion.
    assert any("复议</em>" in fragment for fragment in kunshan["highlights"]), kunshan["highlights"]


async def test_taiwan_vocabulary_query_finds_mainland_wording(client: httpx.AsyncClient, corpus) -> None:
    """政府資訊公開 (Taiwan's word for 信息) finds the reports that say 政府信息公开; 资讯 is in none of them."""
    taiwan = (await client.get("/api/search", params={"q": "政府資訊公開", "size": 50})).json()
    mainland = (await client.get("/api/search", params={"q": "政府信息公开", "size": 50})).json()
    assert taiwan["total"] == mainland["total"] == len(CORPUS)
    dingxi = next(h for h in taiwan["hits"] if h["report_id"] == by_region(corpus, "定西市"))
    assert any("<em>信息</em>" in f or "<em>政府信息公开</em>" in f for f in dingxi["highlights"]), dingxi["highlights"]


async def test_facet_counts_match_the_indexed_metadata(client: httpx.AsyncClient, corpus) -> None:
    docs = corpus[1].values()
    result = (await client.get("/api/search")).json()
    assert result["total"] == len(CORPUS)
    counts = {name: {b["value"]: b["count"] for b in buckets} for name, buckets in result["facets"].items()}
    assert counts["province"] == Counter(d.metadata.province for d in docs)
    assert counts["province"]["江苏省"] == 2
    assert counts["year"] == Counter(d.metadata.year for d in docs)
    assert counts["admin_level"] == Counter(d.metadata.admin_level for d in docs)
    assert counts["check_status"] == {"none": 5, "passed": 2}
    assert counts["metric"]["requests.new"] == sum(1 for d in docs if any(f.key == "requests.new" for f in d.metrics))


async def test_filters_and_multi_select_facets(client: httpx.AsyncClient, corpus) -> None:
    result = (await client.get("/api/search", params={"province": "江苏省"})).json()
    assert {h["region"] for h in result["hits"]} == {"昆山市", "宿迁市"}
    provinces = {b["value"]: b["count"] for b in result["facets"]["province"]}
    assert provinces["甘肃省"] == 1  # the province facet ignores its own filter: other choices stay visible
    assert {b["value"]: b["count"] for b in result["facets"]["year"]} == {2009: 1, 2021: 1}
    both = (await client.get("/api/search", params=[("province", "江苏省"), ("province", "甘肃省"), ("year", "2018")]))
    assert [h["region"] for h in both.json()["hits"]] == ["定西市"]


async def test_pagination_is_capped_and_disjoint(client: httpx.AsyncClient) -> None:
    first = (await client.get("/api/search", params={"size": 3, "page": 1})).json()
    third = (await client.get("/api/search", params={"size": 3, "page": 3})).json()
    assert (first["pages"], len(first["hits"]), len(third["hits"])) == (3, 3, 1)
    assert not {h["report_id"] for h in first["hits"]} & {h["report_id"] for h in third["hits"]}
    assert (await client.get("/api/search", params={"size": 1000})).json()["size"] == 50


async def test_report_view_facts_with_evidence_in_context(client: httpx.AsyncClient, corpus) -> None:
    report_id = by_region(corpus, "博尔塔拉蒙古自治州")
    report = (await client.get(f"/api/reports/{report_id}")).json()
    assert (report["region"], report["year"], report["province"]) == ("博尔塔拉蒙古自治州", 2014, "新疆维吾尔自治区")
    assert "text" not in report and len(report["sections"]) == len(corpus[1][report_id].sections)
    assert [s["start"] for s in report["sections"]] == sorted(s["start"] for s in report["sections"])
    new = next(f for f in report["facts"] if f["key"] == "requests.new" and f["applicant"] == "total")
    assert new["value"] == 120
    assert new["context"]["evidence"] == new["evidence"] and "120" in new["evidence"]
    assert new["context"]["before"] and new["context"]["after"]
    assert (await client.get("/api/reports/nope")).status_code == 404


async def test_compare_table_json_and_csv(client: httpx.AsyncClient) -> None:
    params = {"key": "requests.new", "by": "region", "years": "2008-2024"}
    table = (await client.get("/api/compare", params=params)).json()
    rows = {row["place"]: dict(zip(table["years"], row["values"], strict=True)) for row in table["rows"]}
    assert rows["博尔塔拉蒙古自治州"][2014] == 120
    assert rows["昆山市"][2009] == 66
    assert rows["定西市"][2018] == 25
    assert rows["博尔塔拉蒙古自治州"][2009] is None
    assert table["years"] == sorted(table["years"]) and 2014 in table["years"]
    narrow = (await client.get("/api/compare", params={**params, "years": "2014-2017"})).json()
    assert narrow["years"] == [2014, 2017]
    provinces = (await client.get("/api/compare", params={**params, "by": "province"})).json()
    assert {row["place"] for row in provinces["rows"]} >= {"江苏省", "甘肃省"}

    response = await client.get("/api/compare", params={**params, "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0][0] == "地区" and lines[0][1:] == [str(y) for y in table["years"]]
    kunshan = next(line for line in lines if line[0] == "昆山市")
    assert kunshan[1 + table["years"].index(2009)] == "66"
    assert (await client.get("/api/compare", params={**params, "years": "soon"})).status_code == 422
