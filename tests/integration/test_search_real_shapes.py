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
OUTLINE = (
    "全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、行政诉讼情况、"
    "存在的主要问题及改进情况、其他需要报告的事项。"
)
# A crawler's page.txt: header lines, `正文:`, then the report; 行政复议 is mentioned in passing in the first
# part and answered in part 四 (复议 with its result 纠正), which is the passage a hit should open with.
CRAWLED_ZONE = f"""标题: {ZONE}2023年政府信息公开工作年度报告
发布时间: 2024-01-20 09:00
文号:
发布机构: {ZONE}管理委员会
栏目: 政府信息公开年报
原始链接: https://www.example.gov.cn/zfxxgk/ndbg/202401/t20240120_1.htm
正文:
本报告根据《中华人民共和国政府信息公开条例》编制。{OUTLINE}本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。
一、总体情况
2023年,实验区管委会持续推进政务公开标准化规范化建设,做好政策解读和回应关切,统筹推进信息发布与行政复议应诉等各项工作,不断提升政府工作透明度。
二、主动公开政府信息情况
全年通过门户网站主动公开政府信息326条,其中规范性文件12件。
三、收到和处理政府信息公开申请情况
本年度共收到政府信息公开申请14件,均在法定期限内答复。
四、政府信息公开行政复议、行政诉讼情况
本年度因政府信息公开申请行政复议3件,行政复议结果纠正1件,维持2件;行政诉讼0件。
五、存在的主要问题及改进情况
公开内容的规范性仍需加强。
"""
# A CMS page flattened by hand: title, a pipe table of page metadata with spaced labels, the report.
CMS_CITY = f"""临江市人民政府2022年政府信息公开工作年度报告
索 引 号: | 11220000-2023-00012 | 发布机构: | 临江市人民政府办公室 |
发布日期: | 2023-01-30 | 文 号: | |
临江市人民政府2022年政府信息公开工作年度报告
本报告根据《中华人民共和国政府信息公开条例》编制。{OUTLINE}
一、总体情况
2022年,临江市人民政府深入贯彻落实《条例》,持续深化政务公开。
二、收到和处理政府信息公开申请情况
本年度共收到政府信息公开申请38件,不予公开2件,理由为属于国家秘密。
三、政府信息公开行政复议、行政诉讼情况
本年度因政府信息公开申请行政复议1件,结果维持1件,未发生纠正情形。
"""
CHROME = re.compile(r"标题|发布时间|发布机构|栏目|原始链接|正文|索\s*引\s*号|发布日期|全文包括")


def plain(fragment: str) -> str:
    return re.sub(r"</?em>", "", fragment)


@pytest.fixture(scope="module")
async def client(es_url: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[httpx.AsyncClient]:
    folder = tmp_path_factory.mktemp("shapes")
    paths = []
    for name, text in (("zone_crawled.txt", CRAWLED_ZONE), ("city_cms.txt", CMS_CITY)):
        (path := folder / name).write_text(text, "utf-8")
        paths.append(path)
    settings = Settings(ES_URL=es_url, ES_INDEX_PREFIX=f"shape{datetime.now(UTC):%H%M%S%f}")
    async with AsyncElasticsearch(es_url, request_timeout=30) as es:
        await index_files(es, settings, paths)
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
    """A place outside GB/T 2260 is a region like any other: facet bucket, filter and hit."""
    everything = await search(client)
    assert {"value": ZONE, "count": 1} in everything["facets"]["region"]
    chosen = await search(client, region=ZONE)
    assert [hit["region"] for hit in chosen["hits"]] == [ZONE]
    assert chosen["hits"][0]["title"] == f"{ZONE}2023年政府信息公开工作年度报告"


async def test_an_index_from_before_the_body_field_gets_it(es: AsyncElasticsearch, unique: str, tmp_path: Path) -> None:
    """A deployment whose reports index predates `body`: the indexer adds the field instead of failing every write."""
    settings = Settings(ES_INDEX_PREFIX=f"old{unique}")
    template = load_template("reports", settings.es_index_prefix)["template"]
    del template["mappings"]["properties"]["body"]
    alias = settings.index_alias("reports")
    await es.indices.create(index=f"{alias}-v1", aliases={alias: {}, settings.write_alias("reports"): {}}, **template)
    await ensure_indices(es, settings)
    (path := tmp_path / "zone_crawled.txt").write_text(CRAWLED_ZONE, "utf-8")
    await index_files(es, settings, [path])
    found = await es.search(index=alias, query={"match_phrase": {"body.exact": "行政复议结果纠正"}})
    assert found["hits"]["total"]["value"] == 1
