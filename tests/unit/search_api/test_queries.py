"""Request bodies of the search API: full text, multi-select facets, pagination caps, comparison."""

from __future__ import annotations

from services.search_api import queries


def filter_clauses(body: dict) -> list[dict]:
    return body["post_filter"]["bool"]["filter"]


def test_full_text_query_is_bigram_match_plus_exact_phrase_boost() -> None:
    query = queries.full_text_query("  行政复议 纠错 ")
    assert query["bool"]["must"] == [
        {"multi_match": {"query": "行政复议 纠错", "fields": ["title^2", "body"], "minimum_should_match": "3<75%"}}
    ]
    assert query["bool"]["should"] == [{"match_phrase": {"body.exact": {"query": "行政复议 纠错", "boost": 2}}}]


def test_traditional_query_is_searched_in_simplified_script() -> None:
    assert queries.simplified_variants(" 行政複議 ") == ["行政复议"]  # no Taiwan word: one reading
    assert queries.full_text_query("行政複議") == queries.full_text_query("行政复议")


def test_taiwan_vocabulary_is_also_searched_in_mainland_words() -> None:
    """資訊 is Taiwan's 信息: the query must find 信息, and 程序 (the same word on both sides) must survive."""
    assert queries.simplified_variants("政府資訊公開") == ["政府资讯公开", "政府信息公开"]
    assert queries.simplified_variants("依申請公開 程序") == ["依申请公开 程序", "依申请公开 进程"]
    readings = queries.full_text_query("政府資訊公開")["dis_max"]["queries"]
    assert [r["bool"]["must"][0]["multi_match"]["query"] for r in readings] == ["政府资讯公开", "政府信息公开"]
    assert [r["bool"]["should"][0]["match_phrase"]["body.exact"]["query"] for r in readings] == [
        "政府资讯公开", "政府信息公开"
    ]


def test_simplified_queries_are_not_rewritten_as_taiwan_text() -> None:
    for query in ("信息处理费", "文件", "程序", "资讯"):  # tw2sp alone would turn 文件 into 文档, 程序 into 进程
        assert queries.simplified_variants(query) == [query]


def test_empty_query_lists_everything() -> None:
    assert queries.full_text_query("   ") == {"match_all": {}}


def test_filters_or_within_a_facet_and_across_facets() -> None:
    body = queries.search_body("复议", {"province": ["江苏省", "甘肃省"], "year": ["2018"], "era": []})
    assert filter_clauses(body) == [{"terms": {"province": ["江苏省", "甘肃省"]}}, {"terms": {"year": ["2018"]}}]


def test_each_facet_counts_under_the_other_filters_only() -> None:
    body = queries.search_body("", {"province": ["江苏省"], "year": ["2018"]})
    assert body["aggs"]["province"]["filter"]["bool"]["filter"] == [{"terms": {"year": ["2018"]}}]
    assert body["aggs"]["year"]["filter"]["bool"]["filter"] == [{"terms": {"province": ["江苏省"]}}]
    assert body["aggs"]["era"]["filter"]["bool"]["filter"] == [
        {"terms": {"province": ["江苏省"]}}, {"terms": {"year": ["2018"]}}
    ]
    assert body["aggs"]["metric"]["aggs"]["values"]["terms"]["field"] == "metric_keys"
    assert set(body["aggs"]) == {"province", "region", "admin_level", "year", "era", "check_status", "metric",
                                 "cross_year"}


def test_reports_filter_on_the_cross_year_checks_that_failed() -> None:
    failed = "requests.carried_over[total]"
    body = queries.search_body("", {"cross_year": [failed]})
    assert filter_clauses(body) == [{"terms": {"cross_year.failed": [failed]}}]
    assert body["aggs"]["cross_year"]["aggs"]["values"]["terms"]["field"] == "cross_year.failed"


def test_unknown_filters_are_ignored() -> None:
    assert filter_clauses(queries.search_body("", {"title": ["x"]})) == []


def test_highlights_are_best_fragments_of_the_body_and_whole_titles() -> None:
    """`body` has no page header or outline sentence; fragments come best first, not in text order."""
    highlight = queries.search_body("复议", {})["highlight"]
    assert highlight["encoder"] == "html"
    assert highlight["fields"]["title"]["number_of_fragments"] == 0
    assert set(highlight["fields"]) == {"title", "body"}
    assert highlight["fields"]["body"] == {"fragment_size": 80, "number_of_fragments": 3, "order": "score"}
    assert queries.hit_fragments({"highlight": {"body": ["<em>复议</em>"], "title": ["t"]}}) == ["<em>复议</em>"]
    assert queries.hit_fragments({}) == []


def test_pagination_caps_size_and_stays_inside_the_result_window() -> None:
    assert queries.page_window(1, 10) == (0, 10)
    assert queries.page_window(3, 10) == (20, 10)
    assert queries.page_window(0, 0) == (0, 1)
    assert queries.page_window(2, 500) == (queries.MAX_PAGE_SIZE, queries.MAX_PAGE_SIZE)
    start, size = queries.page_window(10**6, 10)
    assert start + size == queries.MAX_RESULT_WINDOW
    body = queries.search_body("", {}, page=2, size=20)
    assert (body["from"], body["size"], body["track_total_hits"]) == (20, 20, True)


def test_report_parts_in_text_order_without_their_text() -> None:
    body = queries.report_parts_body("abc")
    assert body["query"] == {"term": {"report_id": "abc"}}
    assert body["sort"] == [{"start": "asc"}] and body["_source"] == {"excludes": ["text"]}


def test_compare_one_value_per_report_within_place_and_year() -> None:
    body = queries.compare_body("requests.new", "province", (2014, 2024), "natural_person", "city")
    assert body["size"] == 0
    assert body["query"]["bool"]["filter"] == [
        {"term": {"key": "requests.new"}},
        {"term": {"applicant": "natural_person"}},
        {"term": {"period": "annual"}},
        {"range": {"year": {"gte": 2014, "lte": 2024}}},
        {"term": {"admin_level": "city"}},
    ]
    places = body["aggs"]["places"]
    assert places["terms"]["field"] == "province"
    reports = places["aggs"]["years"]["aggs"]["reports"]
    assert reports["terms"]["field"] == "report_id" and reports["aggs"]["value"] == {"max": {"field": "value_base"}}
    assert len(queries.compare_body("requests.new", "region", (2014, 2014))["query"]["bool"]["filter"]) == 4
