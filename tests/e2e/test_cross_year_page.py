"""The cross-year checks on the search page: a real uvicorn over a real Elasticsearch, Debian's headless chromium.

Two reports of one body (安吉县人民政府 2022, a committed fixture, and the same report rewritten as 2023 with
one request fewer carried over) go through the real extraction chain and the indexer's own writes; the
cross-year checker then compares them on the same node. The page must show each check with its result and
both figures, link the other year's report, and filter reports by the checks that failed.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from elasticsearch import AsyncElasticsearch
from playwright.async_api import Page, expect

from services.cli.stack import REPO_ROOT
from services.cross_year.checker import CrossYearChecker
from services.cross_year.store import ReportDocs
from services.cross_year.transform import basis_of
from shared.messages import MetricsReport
from shared.settings import Settings
from tests.e2e import test_search_page
from tests.e2e.test_search_page import facet_counts, screenshot, serve
from tests.support.indexing import envelope, index_files

pytestmark = pytest.mark.e2e
browser = test_search_page.browser
page = test_search_page.page

REPORT_2022 = REPO_ROOT / "tests" / "fixtures" / "reports" / "fmt2021_rows.txt"
REGULATIONS = "active.regulations.in_force[total]"  # 2022: 12 in force; 2023 issues 1, repeals 0, prints 12 again
DOCUMENTS = "active.normative_docs.in_force[total]"
CARRIED = "requests.carried_over[total]"


def the_next_year(text: str) -> str:
    """The 2022 report as its body's 2023 report: 2 requests carried over (2022 carried 2 forward), one more new
    request so the table still balances, everything else as printed the year before."""
    return (
        text.replace("2022", "2023")
        .replace(
            "一、本年新收政府信息公开申请数量 | 35 | 1 | 2 | 0 | 0 | 0 | 38 |",
            "一、本年新收政府信息公开申请数量 | 36 | 1 | 2 | 0 | 0 | 0 | 39 |",
        )
        .replace(
            "二、上年结转政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |",
            "二、上年结转政府信息公开申请数量 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |",
        )
    )


@pytest.fixture(scope="module")
def site(es_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("cross-year")
    text = REPORT_2022.read_text("utf-8")
    paths = [folder / "anji-2022.txt", folder / "anji-2023.txt"]
    for path, content in zip(paths, (text, the_next_year(text)), strict=True):
        path.write_text(content, encoding="utf-8")

    async def index(es: AsyncElasticsearch, settings: Settings) -> None:
        extracted = await index_files(es, settings, paths)
        checker = CrossYearChecker(ReportDocs(es, settings.write_alias("reports")))
        for report_id, result in extracted.items():
            await checker.check(basis_of(MetricsReport(**envelope(report_id), **result.model_dump())))
        await es.indices.refresh(index=settings.index_alias("reports"))

    with serve(es_url, index) as url:
        yield url


async def open_report(page: Page, year: int) -> None:
    await page.locator("li.hit", has_text=f"{year}年").locator("a.hit-title").click()
    await expect(page.locator("#report h2")).to_contain_text(str(year))


async def test_search_filters_on_failed_cross_year_checks(site: str, page: Page) -> None:
    await page.goto(site)
    await expect(page.locator("li.hit")).to_have_count(2)
    assert await facet_counts(page, "cross_year") == {REGULATIONS: 2, DOCUMENTS: 2}  # a failure flags both years
    choice = page.locator(f'fieldset[data-facet="cross_year"] label[data-value="{REGULATIONS}"]')
    await expect(choice).to_contain_text("规章现行有效件数 = 上年现行有效 + 本年制发 − 本年废止")
    await choice.locator("input").check()
    await expect(page.locator("li.hit")).to_have_count(2)
    await expect(page.locator("#summary")).to_have_text("共找到 2 份报告")


async def test_report_view_shows_each_check_with_both_figures_and_the_other_years_report(site: str, page: Page) -> None:
    await page.goto(site)
    await open_report(page, 2023)
    await expect(page.locator("dl.metadata")).to_contain_text("未通过（2 项未通过）")
    regulations = page.locator(f'#cross-year tr[data-name="{REGULATIONS}"]')
    await expect(regulations.locator("td.result")).to_have_text("未通过")
    await expect(regulations.locator("td.num")).to_have_text(["13", "12"])  # 12 + 1 − 0 predicted, 12 printed
    await expect(regulations).to_contain_text("2023年 ← 2022年")
    carried = page.locator(f'#cross-year tr[data-name="{CARRIED}"]')
    await expect(carried.locator("td.result")).to_have_text("通过")
    await expect(carried.locator("td.num")).to_have_text(["2", "2"])
    await screenshot(page, "report-cross-year")

    await regulations.locator("a.other-report").click()  # the same pair, seen from the 2022 report
    await expect(page.locator("#report h2")).to_contain_text("2022")
    await expect(page.locator(f'#cross-year tr[data-name="{REGULATIONS}"] td.result')).to_have_text("未通过")
    await expect(page.locator(f'#cross-year tr[data-name="{REGULATIONS}"] a.other-report')).to_have_text("2023年报告")
