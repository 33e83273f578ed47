"""Facts of a PDF report carry the box of their evidence: the page region that prints the number."""

from __future__ import annotations

import io
import re
from functools import cache

import pdfplumber
from hypothesis import given, settings
from hypothesis import strategies as st

from services.metric_extractor.provenance import with_boxes
from services.metric_extractor.transform import extract_metrics
from services.normalizer.transform import normalize
from services.section_splitter.transform import split_sections
from shared.messages.v1 import MetricFact, PageBox, Placement
from tests.support.report_pdf import REQUESTS_TABLE, report_pdf

PDF = report_pdf(
    [
        [
            "某县人民政府2021年政府信息公开工作年度报告",
            "一、总体情况",
            "2021年,全县主动公开政府信息1208条,其中通过门户网站公开960条。",
        ],
        [
            "三、收到和处理政府信息公开申请情况",
            REQUESTS_TABLE,
            "四、政府信息公开行政复议、行政诉讼情况",
            "全年发生行政复议3件,行政诉讼1件。",
        ],
    ]
)


@cache
def pdf_facts(pdf: bytes) -> tuple[MetricFact, ...]:
    """The report's facts, extracted once for all tests of this module."""
    document = split_sections(normalize(pdf, "年报.pdf"))
    assert document.layout  # the section splitter carries the normalizer's layout through
    return tuple(extract_metrics(document).metrics)


def printed_in(box: PageBox) -> str:
    """What pdfplumber reads inside the box on the page, spaces dropped."""
    with pdfplumber.open(io.BytesIO(PDF)) as pdf:
        page = pdf.pages[box.page - 1]
        return "".join((page.crop((box.x0, box.top, box.x1, box.bottom)).extract_text() or "").split())


def test_every_fact_box_prints_the_digits_of_its_evidence() -> None:
    facts = pdf_facts(PDF)
    assert len(facts) >= 16
    for fact in facts:
        assert fact.box is not None, fact.key
        printed = printed_in(fact.box)
        for digits in re.findall(r"\d+", fact.evidence):
            assert digits in printed, (fact.key, fact.evidence, printed)


def test_a_table_fact_gets_its_cell_box() -> None:
    fact = next(f for f in pdf_facts(PDF) if f.key == "requests.new" and f.applicant == "total")
    assert fact.box == PageBox(page=2, x0=500.0, top=67.9, x1=530.0, bottom=85.9)  # the 总计 column's ruled cell
    assert printed_in(fact.box) == "56"


def test_a_prose_fact_gets_the_line_narrowed_to_its_evidence() -> None:
    facts = {f.key: f for f in pdf_facts(PDF)}
    total, website = facts["active.total"], facts["active.channel.website"]
    assert total.box is not None and website.box is not None
    assert total.box.top == website.box.top and total.box.x1 <= website.box.x0  # same line, side by side
    assert "1208" in printed_in(total.box) and "960" not in printed_in(total.box)
    assert "960" in printed_in(website.box) and "1208" not in printed_in(website.box)


def test_a_derived_fact_gets_the_box_around_its_parts() -> None:
    fact = next(f for f in pdf_facts(PDF) if f.key == "requests.carried_over" and f.applicant == "total")
    assert fact.derived and fact.box is not None
    assert printed_in(fact.box) == "200030"  # the six printed parts, from 自然人 to 其他


def test_facts_of_a_text_without_layout_have_no_box() -> None:
    document = normalize("全年共收到政府信息公开申请56件,均已按时答复。".encode(), "年报.txt")
    assert all(fact.box is None for fact in extract_metrics(split_sections(document)).metrics)


_PLACEMENTS = st.builds(
    Placement,
    page=st.integers(1, 3),
    x0=st.floats(0, 300),
    top=st.floats(0, 700),
    x1=st.floats(300, 600),
    bottom=st.floats(700, 800),
    start=st.integers(0, 40),
    end=st.integers(0, 60),
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    layout=st.lists(_PLACEMENTS, max_size=8),
    text=st.text(max_size=60),
    span=st.tuples(st.integers(0, 60), st.integers(0, 60)),
)
def test_any_layout_gives_a_box_inside_the_placements_or_none(
    layout: list[Placement], text: str, span: tuple[int, int]
) -> None:
    start, end = sorted(span)
    fact = MetricFact(
        key="requests.new", value=1, value_base=1, unit="件", source="text", evidence="1", start=start, end=end
    )
    (placed,) = with_boxes([fact], sorted(layout, key=lambda p: p.start), text)
    if placed.box is not None:
        pages = [p for p in layout if p.page == placed.box.page]
        assert min(p.x0 for p in pages) <= placed.box.x0 <= placed.box.x1 <= max(p.x1 for p in pages) + 1e-6
        assert min(p.top for p in pages) <= placed.box.top <= placed.box.bottom <= max(p.bottom for p in pages)


def test_an_evidence_wrapped_over_two_lines_is_shown_on_the_line_of_its_number() -> None:
    text = "全县通过政府门户网\n站公开960条。"
    layout = [
        Placement(page=1, x0=40.0, top=50.0, x1=220.0, bottom=60.0, start=0, end=9),
        Placement(page=1, x0=40.0, top=70.0, x1=150.0, bottom=80.0, start=10, end=len(text)),
    ]
    start = text.index("通过")
    end = text.index("条") + 1
    fact = MetricFact(key="active.channel.website", value=960, value_base=960, unit="条", source="text",
                      evidence=text[start:end], start=start, end=end)  # fmt: skip
    (placed,) = with_boxes([fact], layout, text)
    assert placed.box is not None and (placed.box.top, placed.box.bottom) == (70.0, 80.0)
    assert placed.box.x0 == 40.0 and placed.box.x1 < 150.0  # from the line's start to 条, not the closing 。
