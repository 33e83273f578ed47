"""A PDF report's facts on the search page, each beside the page region it was read from.

A real-shaped Chinese PDF (drawn here: title, prose with figures, the ruled requests table) goes through the
real pipeline on a fresh NATS (ingest from the Object Store → normalizer → splitter → extractor → indexer);
the search-api process reads the raw file back from the Object Store. In Debian's headless chromium the
report page must show a loaded crop beside each fact, outlined in the marking colour, and the marked region
of the PDF page, re-read with pdfplumber (no OCR), must print the fact's digits.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pdfplumber
import pytest
from PIL import Image
from playwright.async_api import Page, expect

from services.cli.stack import free_port
from services.search_api.crops import MARK_COLOUR
from tests.e2e import test_search_page
from tests.e2e.pipeline_support import running_pipeline
from tests.e2e.test_search_page import screenshot
from tests.support.images import png_colours
from tests.support.report_pdf import REQUESTS_TABLE, report_pdf

pytestmark = pytest.mark.e2e
browser = test_search_page.browser
page = test_search_page.page

PDF = report_pdf(
    [
        [
            "望川县人民政府2021年政府信息公开工作年度报告",
            "一、总体情况",
            "2021年,全县主动公开政府信息1208条,其中通过门户网站公开960条。",
        ],
        ["三、收到和处理政府信息公开申请情况", REQUESTS_TABLE, "四、政府信息公开行政复议、行政诉讼情况",
         "全年发生行政复议3件,行政诉讼1件。"],
    ]
)  # fmt: skip


@pytest.fixture(scope="module")
def pdf_site(es_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(search page URL, the PDF's report id) once the pipeline has indexed it."""
    path = tmp_path_factory.mktemp("pdf") / "望川县2021年政府信息公开工作年度报告.pdf"
    path.write_bytes(PDF)
    with running_pipeline(es_url, object_report=path) as pipeline:
        assert pipeline.object_report_id
        yield pipeline.stack.start_web("search-api", free_port()), pipeline.object_report_id


def printed_in(box: dict[str, float]) -> str:
    """What the PDF page prints inside the box, read from its text layer."""
    with pdfplumber.open(io.BytesIO(PDF)) as pdf:
        region = pdf.pages[int(box["page"]) - 1].crop((box["x0"], box["top"], box["x1"], box["bottom"]))
        return "".join((region.extract_text() or "").split())


def marked_pixels(png: bytes) -> int:
    """Pixels near the marking colour (the screenshot scales the crop, so not only the exact colour)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return sum(count for count, (r, g, b) in image.getcolors(image.width * image.height) or []
               if r > 150 and g < 90 and b < 110)  # fmt: skip


async def test_each_pdf_fact_shows_its_page_crop_with_the_number_marked(pdf_site: tuple[str, str], page: Page) -> None:
    site, report_id = pdf_site
    report = httpx.get(f"{site}/api/reports/{quote(report_id)}", timeout=30).json()
    assert report["source_format"] == "pdf" and len(report["facts"]) >= 16
    assert all(fact["crop_url"] for fact in report["facts"])  # every fact of this PDF has its box

    await page.goto(f"{site}/#/report/{quote(report_id)}")
    rows = page.locator("tr.fact")
    await expect(rows).to_have_count(len(report["facts"]))
    await expect(page.locator("tr.fact td.crop img")).to_have_count(len(report["facts"]))

    total = next(f for f in report["facts"] if f["key"] == "requests.new" and f["applicant"] == "total")
    prose = next(f for f in report["facts"] if f["key"] == "active.total")
    for fact in (total, prose):
        image = page.locator(f'tr.fact td.crop img[src="{fact["crop_url"]}"]')
        await image.scroll_into_view_if_needed()  # the crops load lazily
        await expect(image).to_have_attribute("alt", fact["evidence"])
        await page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=await image.element_handle())
        assert marked_pixels(await image.screenshot()) > 50  # the outline shows on the page, not only in the file
        served = await page.request.get(f"{site}{fact['crop_url']}")
        assert served.ok and MARK_COLOUR in png_colours(await served.body())
        printed = printed_in(fact["box"])
        for digits in re.findall(r"\d+", fact["evidence"]):
            assert digits in printed, (fact["key"], fact["evidence"], printed)
    assert "960" not in printed_in(prose["box"])  # a prose box holds its own figure, not the whole line
    await screenshot(page, "report-pdf-crops")
