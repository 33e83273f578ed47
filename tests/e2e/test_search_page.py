"""The search page in Debian's headless chromium (Playwright), served by a real uvicorn over a real Elasticsearch.

Types Chinese queries, checks hits, highlights and facet counts in the DOM, opens a report with its facts and
evidence, the comparison table and its CSV link, and saves screenshots under test-output/screenshots/ that are
checked for size and pixel variance (a blank or unstyled page fails).
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from elasticsearch import AsyncElasticsearch
from PIL import Image, ImageStat
from playwright.async_api import Browser, Page, Route, async_playwright, expect

from services.cli.stack import REPO_ROOT, LocalStack, free_port
from shared.settings import Settings
from tests.support.indexing import SEARCH_CORPUS, index_files

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package (`make browser`); Playwright downloads nothing here
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = REPO_ROOT / "test-output" / "screenshots"


@contextlib.contextmanager
def serve(es_url: str, index: Callable[[AsyncElasticsearch, Settings], Awaitable[object]]) -> Iterator[str]:
    """`index` fills a fresh prefix; then the search-api process exactly as `govreports run` starts it."""
    run_id = uuid.uuid4().hex[:8]
    settings = Settings(ES_URL=es_url, ES_INDEX_PREFIX=f"page{run_id}")

    async def fill() -> None:
        async with AsyncElasticsearch(es_url, request_timeout=30) as es:
            await index(es, settings)

    asyncio.run(fill())
    stack = LocalStack(data_dir=REPO_ROOT / ".data" / "test-servers" / f"page-{run_id}",
                       log_dir=REPO_ROOT / "test-output" / f"page-{run_id}")
    stack.env |= {"ES_URL": es_url, "ES_INDEX_PREFIX": settings.es_index_prefix}
    try:
        yield stack.start_web("search-api", free_port())
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def site(es_url: str) -> Iterator[str]:
    """The seeds, searchable in a real page."""
    with serve(es_url, lambda es, settings: index_files(es, settings, SEARCH_CORPUS)) as url:
        yield url


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    assert CHROMIUM.exists(), "chromium missing: `make browser` installs Debian's chromium and fonts-noto-cjk"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        await browser.close()


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    """A fresh tab that fails the test on a script error, a dialog (alert) or a Content-Security-Policy refusal:
    the page's own code must live within its policy."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda message: errors.append(message.text) if "Content Security Policy" in message.text
            or "TrustedHTML" in message.text else None)
    page.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}"))  # unanswered: a stuck alert
    yield page
    await context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


async def screenshot(page: Page, name: str) -> Path:
    """Save and check: a PNG of sane size whose pixels vary (text and colour, not a blank canvas)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 15_000, f"{path} is suspiciously small"
    with Image.open(path) as image:
        assert image.format == "PNG" and image.width >= 1000 and image.height >= 600
        grey = image.convert("L")
        assert ImageStat.Stat(grey).stddev[0] > 20, f"{path} looks blank"
        assert len(grey.getcolors(maxcolors=256) or range(256)) > 32, f"{path} has too few shades for text"
    return path


async def search(page: Page, query: str) -> None:
    box = page.locator("#q")
    await box.fill("")
    await box.press_sequentially(query)
    await box.press("Enter")
    await expect(page.locator("#q")).to_have_value(query)
    await page.wait_for_function("q => new URLSearchParams(location.hash.split('?')[1]).get('q') === q", arg=query)
    await expect(page.locator("#summary")).to_contain_text("共找到")


async def facet_counts(page: Page, facet: str) -> dict[str, int]:
    labels = page.locator(f'fieldset[data-facet="{facet}"] label')
    return {
        await label.get_attribute("data-value"): int(await label.locator(".count").inner_text())
        for label in await labels.all()
    }


async def test_search_hits_highlights_and_facet_counts(site: str, page: Page) -> None:
    await page.goto(site)
    await expect(page.locator("li.hit")).to_have_count(7)  # empty query: every indexed report
    await search(page, "行政复议 纠错")
    api = httpx.get(f"{site}/api/search", params={"q": "行政复议 纠错", "size": 10}).json()
    await expect(page.locator("li.hit")).to_have_count(len(api["hits"]))
    await expect(page.locator("#summary")).to_have_text(f"共找到 {api['total']} 份报告")
    first = page.locator("li.hit").first
    await expect(first.locator(".fragment em").first).to_be_visible()
    marked = await page.locator("li.hit .fragment em").all_inner_texts()
    assert any("复议" in text or "纠错" in text for text in marked), marked
    for facet in ("province", "year", "admin_level"):
        expected = {str(b["value"]): b["count"] for b in api["facets"][facet]}
        assert await facet_counts(page, facet) == expected, facet
    assert (await facet_counts(page, "province"))["江苏省"] == 2
    await screenshot(page, "search")

    await page.locator('fieldset[data-facet="province"] label[data-value="江苏省"] input').check()
    await expect(page.locator("li.hit")).to_have_count(2)
    regions = await page.locator("li.hit .meta").all_inner_texts()
    assert sorted(r.split(" · ")[1] for r in regions) == ["宿迁市", "昆山市"]
    assert (await facet_counts(page, "province"))["甘肃省"] == 1  # other provinces stay selectable
    await screenshot(page, "search-filtered")


async def test_traditional_query_and_pagination(site: str, page: Page) -> None:
    await page.goto(site)
    await search(page, "行政複議")
    await expect(page.locator("li.hit .meta", has_text="昆山市")).to_have_count(1)
    await page.goto(f"{site}/#/?size=3")
    await expect(page.locator("#pager")).to_contain_text("第 1 / 3 页")
    await expect(page.locator("#prev")).to_be_disabled()
    first_page = await page.locator("li.hit").evaluate_all("items => items.map(i => i.dataset.reportId)")
    await page.locator("#next").click()
    await expect(page.locator("#pager")).to_contain_text("第 2 / 3 页")
    second_page = await page.locator("li.hit").evaluate_all("items => items.map(i => i.dataset.reportId)")
    assert len(first_page) == len(second_page) == 3 and not set(first_page) & set(second_page)


async def test_a_slow_earlier_search_never_paints_over_the_latest(site: str, page: Page) -> None:
    release = asyncio.Event()

    async def hold_slow_search(route: Route) -> None:
        await release.wait()
        await route.continue_()

    await page.route("**/api/search?q=%E5%8D%9A%E5%B0%94%E5%A1%94%E6%8B%89*", hold_slow_search)  # q=博尔塔拉
    await page.goto(f"{site}/#/?q=博尔塔拉")
    await page.goto(f"{site}/#/?size=3")
    await expect(page.locator("#pager")).to_contain_text("第 1 / 3 页")
    release.set()  # the held answer (one hit, one page) now arrives: it must be dropped
    await page.wait_for_timeout(500)
    await expect(page.locator("#pager")).to_contain_text("第 1 / 3 页")
    await expect(page.locator("#next")).to_be_enabled()
    await expect(page.locator("#error")).to_be_hidden()


async def test_report_view_shows_facts_with_marked_evidence(site: str, page: Page) -> None:
    await page.goto(site)
    await search(page, "博尔塔拉")
    await page.locator("li.hit", has_text="博尔塔拉蒙古自治州").locator("a.hit-title").click()
    await expect(page.locator("#report h2")).to_be_visible()
    await expect(page.locator("dl.metadata")).to_contain_text("新疆维吾尔自治区")
    await expect(page.locator("dl.metadata")).to_contain_text("2014")
    assert await page.locator("#sections li").count() >= 10
    row = page.locator("tr.fact", has_text="requests.new").first
    await expect(row.locator("mark")).to_contain_text("120")
    context = await row.locator("td.context").inner_text()
    assert len(context) > len(await row.locator("mark").inner_text()) + 10  # evidence shown inside its sentence
    await screenshot(page, "report")


async def test_compare_table_and_csv_link(site: str, page: Page) -> None:
    await page.goto(f"{site}/#/compare?key=requests.new&by=region&years=2008-2024")
    table = page.locator("#compare-table")
    await expect(table.locator("tr", has_text="博尔塔拉蒙古自治州")).to_contain_text("120")
    await expect(table.locator("thead")).to_contain_text("2014年")
    href = await page.locator("#csv").get_attribute("href")
    assert href and "format=csv" in href
    csv_response = await page.request.get(f"{site}{href}")
    assert csv_response.ok and (await csv_response.body()).startswith("\ufeff地区".encode())
    await screenshot(page, "compare")


# A report whose text carries markup (as an HTML report with &lt;script&gt; in its text normalizes to), and whose
# title and region were set to markup, as a crafted or broken source could make them.
HOSTILE_TITLE = '某县2020年行政复议报告<script>alert("title")</script><img src=x onerror=alert("title-img")>'
HOSTILE_REGION = '<img src=x onerror=alert("region")>县'
HOSTILE_TEXT = "\n".join([
    "某县人民政府2020年政府信息公开工作年度报告",
    "一、总体情况",
    '本年度<img src=x onerror=alert("body")>行政复议工作有序开展<script>alert("body")</script>。',
    "二、收到和处理政府信息公开申请情况",
    '2020年，本机关新收政府信息公开申请120件，<script>alert("before")</script>'
    '上年结转申请3件<img src=x onerror=alert("after")>。',
    "三、政府信息公开行政复议、行政诉讼情况",
    "全年发生行政复议案件2件，行政诉讼案件1件。",
])


@pytest.fixture(scope="module")
def hostile_site(es_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("hostile") / "hostile.txt"
    path.write_text(HOSTILE_TEXT, encoding="utf-8")

    async def index(es: AsyncElasticsearch, settings: Settings) -> None:
        (report_id,) = await index_files(es, settings, [path])
        await es.update(index=settings.write_alias("reports"), id=report_id,
                        doc={"title": HOSTILE_TITLE, "region": HOSTILE_REGION}, refresh=True)
        facts = await es.search(index=settings.index_alias("metrics"), query={"term": {"report_id": report_id}})
        for fact in facts["hits"]["hits"]:
            await es.update(index=fact["_index"], id=fact["_id"], doc={"region": HOSTILE_REGION}, refresh=True)

    with serve(es_url, index) as url:
        yield url


async def assert_inert(page: Page) -> None:
    """Markup from the index became text: no element it spells exists, no handler ran (the fixture sees dialogs)."""
    await page.wait_for_timeout(300)  # an injected <img src=x> would have failed to load by now
    assert await page.locator("#view img, #view script, #view svg").count() == 0
    assert await page.evaluate("document.scripts.length") == 1  # /static/app.js only


async def test_markup_in_a_report_renders_as_text_everywhere(hostile_site: str, page: Page) -> None:
    await page.goto(f"{hostile_site}/#/?q=行政复议")
    hit = page.locator("li.hit")
    await expect(hit).to_have_count(1)
    await expect(hit.locator("a.hit-title")).to_contain_text('<script>alert("title")</script>')
    await expect(hit.locator("a.hit-title em").first).to_be_visible()  # the title highlight is still marked
    await expect(hit.locator(".meta")).to_contain_text(HOSTILE_REGION)
    await expect(hit.locator(".fragment", has_text="总体情况")).to_contain_text('<img src=x onerror=alert("body")>')
    await expect(hit.locator(".fragment em").first).to_be_visible()
    await expect(page.locator('fieldset[data-facet="region"] label').first).to_contain_text(HOSTILE_REGION)
    await assert_inert(page)

    await hit.locator("a.hit-title").click()
    await expect(page.locator("#report h2")).to_have_text(HOSTILE_TITLE)
    row = page.locator("tr.fact", has_text="requests.carried_over")
    await expect(row.locator("td.context")).to_contain_text('<script>alert("before")</script>')
    await expect(row.locator("td.context")).to_contain_text('<img src=x onerror=alert("after")>')
    await expect(row.locator("mark")).to_have_text("上年结转申请3件")
    await assert_inert(page)

    await page.goto(f"{hostile_site}/#/compare?key=requests.carried_over&by=region&years=2020")
    await expect(page.locator("#compare-table tbody th")).to_have_text(HOSTILE_REGION)
    await assert_inert(page)


async def test_markup_in_the_address_renders_as_text(hostile_site: str, page: Page) -> None:
    """The hash is attacker-controlled too (a shared link): query and compare key come back as text."""
    key = '<img src=x onerror=alert("key")>'
    await page.goto(f"{hostile_site}/#/compare?key={quote(key)}")
    await expect(page.locator("#view h2")).to_contain_text(key)
    await expect(page.locator("#key")).to_have_value(key)
    await page.goto(f"{hostile_site}/#/?q={quote(key)}")
    await expect(page.locator("#q")).to_have_value(key)
    await assert_inert(page)


async def test_the_page_is_served_with_its_security_headers(hostile_site: str, page: Page) -> None:
    """Through the real server process (the fixture's console check proves the page lives within the policy)."""
    response = await page.goto(hostile_site)
    assert response is not None
    headers = await response.all_headers()
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "require-trusted-types-for 'script'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
