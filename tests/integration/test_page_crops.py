"""The search API's page crops over a real NATS: the raw PDF read from the Object Store, rendered, cached."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import nats
import pytest
from nats.js.object_store import ObjectStore

from services.cli.stack import free_port
from services.search_api.crops import MARK_COLOUR
from services.search_api.main import create_app
from shared import topology
from shared.ids import report_id_for
from shared.runtime import ensure_topology
from shared.settings import Settings
from tests.support.images import png_colours
from tests.support.report_pdf import report_pdf

pytestmark = pytest.mark.integration

NO_ELASTICSEARCH = "http://127.0.0.1:9"  # the crops never ask it; a request that did would fail loudly
BOX = {"page": 1, "x0": 40.0, "top": 54.6, "x1": 210.0, "bottom": 64.6}


async def api(nats_url: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(NATS_URL=nats_url, ES_URL=NO_ELASTICSEARCH))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://search-api") as http,
    ):
        yield http


@pytest.fixture
async def client(nats_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async for http in api(nats_url):
        yield http


@pytest.fixture
async def stored_report(nats_url: str, unique: str) -> AsyncIterator[tuple[str, ObjectStore]]:
    """A PDF in reports-raw under its report id, as ingest stores it (unique text: a report of its own)."""
    pdf = report_pdf([[f"某县{unique}政府信息公开工作年度报告", "全年共收到政府信息公开申请56件。"]])
    connection = await nats.connect(nats_url)
    try:
        await ensure_topology(connection)
        store = await connection.jetstream().object_store(topology.RAW_BUCKET)
        report_id = report_id_for(pdf)
        await store.put(report_id, pdf)
        yield report_id, store
    finally:
        await connection.close()


def crop_path(report_id: str) -> str:
    return f"/api/reports/{report_id}/crop.png"


async def test_a_crop_is_a_marked_png_that_never_changes(
    client: httpx.AsyncClient, stored_report: tuple[str, ObjectStore]
) -> None:
    report_id, _ = stored_report
    response = await client.get(crop_path(report_id), params=BOX)
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    assert "immutable" in response.headers["cache-control"]
    assert "img-src 'self'" in response.headers["content-security-policy"]
    assert MARK_COLOUR in png_colours(response.content)


async def test_crops_come_from_the_cache_once_rendered(
    client: httpx.AsyncClient, stored_report: tuple[str, ObjectStore]
) -> None:
    report_id, store = stored_report
    first = await client.get(crop_path(report_id), params=BOX)
    await store.delete(report_id)  # from now on only the caches can answer
    again = await client.get(crop_path(report_id), params=BOX)
    other_box = await client.get(crop_path(report_id), params={**BOX, "x1": 100.0})  # the raw file's cache
    assert again.status_code == other_box.status_code == 200
    assert again.content == first.content and other_box.content != first.content


async def test_unknown_report_bad_box_and_no_nats_answer_apart(
    client: httpx.AsyncClient, stored_report: tuple[str, ObjectStore]
) -> None:
    report_id, _ = stored_report
    assert (await client.get(crop_path("f" * 64), params=BOX)).status_code == 404
    assert (await client.get(crop_path(report_id), params={**BOX, "page": 9})).status_code == 422
    assert (await client.get(crop_path(report_id), params={**BOX, "x0": -5})).status_code == 422
    async for down in api(f"nats://127.0.0.1:{free_port()}"):
        response = await down.get(crop_path(report_id), params=BOX)
        assert response.status_code == 503 and "NATS" in response.json()["detail"]
