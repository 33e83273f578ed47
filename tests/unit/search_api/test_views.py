"""Response shaping: hits and facets, evidence in context, comparison table and its Excel-friendly CSV."""

from __future__ import annotations

import csv
import io

import pytest

from services.search_api import views


def es_hit(report_id: str, **source: object) -> dict:
    return {"_id": report_id, "_score": 1.5, "_source": source, "highlight": {"body": ["<em>复议</em>26件"]}}


def facet(*buckets: tuple[object, int]) -> dict:
    return {"values": {"buckets": [{"key": key, "doc_count": count} for key, count in buckets]}}


def test_search_result_hits_facets_and_pages() -> None:
    response = {
        "hits": {"total": {"value": 21},
                 "hits": [es_hit("r1", title=None, filename="a.txt", region="定西市", year=2018)]},
        "aggregations": {name: facet() for name in views.FACET_FIELDS} | {"year": facet((2018, 20), (2009, 1))},
    }
    result = views.search_result(response, page=2, size=10)
    assert (result["total"], result["page"], result["pages"]) == (21, 2, 3)
    hit = result["hits"][0]
    assert (hit["report_id"], hit["title"], hit["region"], hit["year"]) == ("r1", "a.txt", "定西市", 2018)
    assert hit["highlights"] == ["<em>复议</em>26件"] and hit["title_html"] is None
    assert result["facets"]["year"] == [{"value": 2018, "count": 20}, {"value": 2009, "count": 1}]
    assert result["facets"]["province"] == []


def test_evidence_in_context_uses_the_offsets() -> None:
    text = "一、概述\n全州收到依申请公开数120件,同比增长。"
    start = text.index("收到")
    end = text.index("件") + 1
    context = views.evidence_in_context(text, start, end, margin=3)
    assert context == {"before": "\n全州", "evidence": "收到依申请公开数120件", "after": ",同比"}
    assert views.evidence_in_context(text, 0, 2, margin=3)["before"] == ""


def test_report_view_drops_the_text_and_keeps_sections_and_facts() -> None:
    text = "全年行政复议26件。"
    report = {"report_id": "r", "title": "t", "text": text, "body": text, "metrics": {"reconsideration.total": 26.0},
              "section_ids": ["r-s0"], "metric_ids": ["r-m0"]}
    fact = {"key": "reconsideration.total", "value": 26, "unit": "件", "applicant": "total", "evidence": "行政复议26件",
            "start": 2, "end": 9}
    section = {"level": 1, "number": "一", "title": "概述", "kind": "overview", "start": 0, "end": 10, "text": "x"}
    view = views.report_view(report, [section], [fact])
    assert not {"text", "body", "metrics", "section_ids", "metric_ids"} & view.keys()
    assert view["title"] == "t" and view["text_length"] == len(text)
    assert view["sections"] == [{k: v for k, v in section.items() if k != "text"}]
    assert view["facts"][0]["context"] == {"before": "全年", "evidence": "行政复议26件", "after": "。"}


def test_report_view_shows_the_cross_year_results_without_the_services_bookkeeping() -> None:
    check = {"name": "requests.carried_over[total]", "passed": False, "year": 2022, "previous_year": 2021,
             "expected": 5, "actual": 3, "keys": ["requests.carried_over", "requests.carried_forward"],
             "other_report_id": "r21", "other_year": 2021}
    cross_year = {"identity": "330111|望川县人民政府", "year": 2022, "basis": {"figures": []}, "checks": [check],
                  "failed": [check["name"]], "status": "failed"}
    view = views.report_view({"report_id": "r22", "text": "", "cross_year": cross_year}, [], [])
    assert view["cross_year"] == {"checks": [check], "failed": [check["name"]], "status": "failed"}
    never_compared = views.report_view({"report_id": "r", "text": ""}, [], [])["cross_year"]
    assert never_compared == {"checks": [], "failed": [], "status": "none"}


@pytest.mark.parametrize(("text", "span"), [("2014-2024", (2014, 2024)), ("2018", (2018, 2018)),
                                             (" 2024 - 2014 ", (2014, 2024))])
def test_parse_years(text: str, span: tuple[int, int]) -> None:
    assert views.parse_years(text) == span


@pytest.mark.parametrize("text", ["", "soon", "14-24", "2014-"])
def test_parse_years_refuses_anything_else(text: str) -> None:
    with pytest.raises(ValueError, match="2014-2024"):
        views.parse_years(text)


def compare_response() -> dict:
    def year(key: int, *values: float) -> dict:
        return {"key": key, "reports": {"buckets": [{"key": f"r{v}", "value": {"value": v}} for v in values]}}

    return {"aggregations": {"places": {"buckets": [
        {"key": "江苏省", "years": {"buckets": [year(2009, 66.0), year(2021, 38.0, 2.5)]}},
        {"key": "甘肃省", "years": {"buckets": [year(2018, 25.0)]}},
    ]}}}


def test_compare_table_sums_reports_per_cell_and_leaves_gaps_empty() -> None:
    table = views.compare_table(compare_response(), "requests.new", "province", "total")
    assert table["years"] == [2009, 2018, 2021]
    assert table["rows"] == [
        {"place": "江苏省", "values": [66, None, 40.5]},
        {"place": "甘肃省", "values": [None, 25, None]},
    ]
    assert isinstance(table["rows"][0]["values"][0], int)


def test_table_csv_has_a_bom_and_chinese_header() -> None:
    text = views.table_csv(views.compare_table(compare_response(), "requests.new", "province", "total"))
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text[1:]))) == [
        ["省份", "2009", "2018", "2021"], ["江苏省", "66", "", "40.5"], ["甘肃省", "", "25", ""]
    ]


def test_a_pdf_fact_links_its_page_crop_and_others_do_not() -> None:
    box = {"page": 2, "x0": 220.0, "top": 67.9, "x1": 260.0, "bottom": 85.9}
    fact = {"key": "requests.new", "value": 50, "unit": "件", "evidence": "50", "start": 0, "end": 2}
    view = views.report_view({"report_id": "a/b c", "text": "50"}, [], [{**fact, "box": box}, fact])
    assert view["facts"][0]["crop_url"] == (
        "/api/reports/a%2Fb%20c/crop.png?page=2&x0=220.0&top=67.9&x1=260.0&bottom=85.9"
    )
    assert view["facts"][1]["crop_url"] is None
