"""GET /asyncapi.json serves the committed document; GET /asyncapi renders it as a script-free, escaped page."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from services.cli.asyncapi import ASYNCAPI_DOCUMENT
from services.cli.stack import free_port
from services.search_api import routes
from services.search_api.asyncapi_page import render_page
from services.search_api.main import CONTENT_SECURITY_POLICY, create_app
from shared import topology
from shared.settings import Settings


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(ES_URL=f"http://127.0.0.1:{free_port()}", ES_REQUEST_TIMEOUT=2))  # nothing listens
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://search-api") as http,
    ):
        yield http


async def test_the_json_is_the_committed_document(client: httpx.AsyncClient) -> None:
    response = await client.get("/asyncapi.json")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert response.content == ASYNCAPI_DOCUMENT.read_bytes()
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


async def test_the_page_lists_every_channel_and_payload(client: httpx.AsyncClient) -> None:
    response = await client.get("/asyncapi")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    page = response.text
    for subject in (topology.RAW, topology.NORMALIZED, topology.SECTIONED, topology.METRICS, topology.INDEXED):
        assert f"<code>{subject}</code>" in page
    assert "<code>dlq.reports.&gt;</code>" in page
    assert '<section id="schema-MetricsReport">' in page and "<code>extractor_version</code>" in page
    assert "downstream contract" in page and 'href="/asyncapi.json"' in page


async def test_the_page_runs_nothing_and_loads_only_its_own_stylesheet(client: httpx.AsyncClient) -> None:
    page = (await client.get("/asyncapi")).text
    assert not re.search(r"<script|<style|\son\w+=|\sstyle=|javascript:", page)
    assert re.findall(r'<link [^>]*href="([^"]+)"', page) == ["/static/style.css"]


async def test_every_link_on_the_page_has_its_target(client: httpx.AsyncClient) -> None:
    page = (await client.get("/asyncapi")).text
    targets = set(re.findall(r'id="([^"]+)"', page))
    assert set(re.findall(r'href="#([^"]+)"', page)) <= targets


async def test_an_installation_without_the_document_answers_404(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(routes, "ASYNCAPI_DOCUMENT", tmp_path / "asyncapi.json")
    for path in ("/asyncapi.json", "/asyncapi"):
        response = await client.get(path)
        assert response.status_code == 404 and "docs/asyncapi.json" in response.json()["detail"], path


def test_text_from_the_document_is_escaped() -> None:
    hostile = "<script>alert(1)</script>"
    document = json.loads(ASYNCAPI_DOCUMENT.read_text("utf-8"))
    document["info"]["description"] = hostile
    document["channels"][topology.METRICS]["description"] = hostile
    document["components"]["schemas"]["MetricFact"]["properties"]["key"]["description"] = hostile
    page = render_page(document)
    assert "<script" not in page and page.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 3
