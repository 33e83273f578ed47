"""The app without a reachable Elasticsearch: the page is served, bad input is 422, a dead node is 503."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest

from services.cli.stack import free_port
from services.search_api.main import create_app
from shared.elastic import elasticsearch_client
from shared.settings import Settings


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(ES_URL=f"http://127.0.0.1:{free_port()}", ES_REQUEST_TIMEOUT=2))  # nothing listens
    async with app.router.lifespan_context(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://search-api"
    ) as http:
        yield http


async def test_the_page_and_its_assets_are_served(client: httpx.AsyncClient) -> None:
    page = await client.get("/")
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="zh-CN">' in page.text and "/static/app.js" in page.text
    script = await client.get("/static/app.js")
    assert script.status_code == 200 and "检索" in script.text


async def test_elasticsearch_down_is_503_not_a_crash(client: httpx.AsyncClient) -> None:
    for path in ("/healthz", "/api/search?q=行政复议"):
        response = await client.get(path)
        assert response.status_code == 503, path
        assert "Elasticsearch unavailable" in response.json()["detail"]


async def test_bad_years_are_refused_before_any_query(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/compare", params={"key": "requests.new", "years": "recent"})
    assert response.status_code == 422 and "2014-2024" in response.json()["detail"]
    assert (await client.get("/api/compare", params={"key": "requests.new", "by": "county"})).status_code == 422


async def test_every_response_carries_the_security_headers(client: httpx.AsyncClient) -> None:
    """The page, its assets, the API and its errors: no path serves content without the policy."""
    for path in ("/", "/static/app.js", "/static/style.css", "/api/search", "/api/compare?key=x&years=recent", "/x"):
        headers = (await client.get(path)).headers
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "no-referrer", path
        policy = dict(directive.split(" ", 1) for directive in headers["content-security-policy"].split("; "))
        assert policy["default-src"] == policy["script-src"] == policy["style-src"] == "'self'", path
        assert policy["object-src"] == policy["base-uri"] == "'none'", path
        assert policy["require-trusted-types-for"] == "'script'", path


async def test_the_page_has_no_inline_code(client: httpx.AsyncClient) -> None:
    """What the policy would refuse: inline <script>/<style>, on* handlers, style attributes, javascript: URLs."""
    page = (await client.get("/")).text
    script = (await client.get("/static/app.js")).text
    assert not re.search(r"<script(?![^>]*\bsrc=)|<style|\son\w+=|\sstyle=", page)
    assert "javascript:" not in page + script
    assert not re.search(r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write", script)


async def test_the_api_key_authenticates_every_request() -> None:
    keyed = elasticsearch_client(Settings(ES_URL="http://elasticsearch:9200", ES_API_KEY="aWQ6c2VjcmV0"))
    anonymous = elasticsearch_client(Settings(_env_file=None, ES_URL="http://elasticsearch:9200"))
    try:
        assert keyed._headers["authorization"] == "ApiKey aWQ6c2VjcmV0"
        assert "authorization" not in anonymous._headers
    finally:
        await keyed.close()
        await anonymous.close()
