"""Pure Elasticsearch request bodies for the search API and `govreports search` (no client, no I/O).

The same bodies work in Kibana's dev tools and on the official images: only built-in CJK bigram
analysis (`body`/`title`) plus the `body.exact` subfield for phrase matches. Search matches and
highlights `body` — the report text without its page header and outline sentence
(`services/indexer/body.py`) — so neither ranking nor fragments come from chrome; `text` keeps
the full text that fact offsets refer to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from opencc import OpenCC

# Facet name (URL parameter) → keyword field of the reports index.
FACET_FIELDS: dict[str, str] = {
    "province": "province",
    "region": "region",
    "admin_level": "admin_level",
    "year": "year",
    "era": "era",
    "check_status": "check_status",
    "metric": "metric_keys",
    "cross_year": "cross_year.failed",  # continuity with the body's year before/after failed (services/cross_year)
}
FACET_SIZE = 50  # buckets per facet: 34 provinces fit; regions and metric keys show the top 50
BODY = "body"  # the text searched and highlighted: the report without page header and outline sentence
MAX_PAGE_SIZE = 50
MAX_RESULT_WINDOW = 10_000  # Elasticsearch's index.max_result_window: from + size beyond it is refused
HIT_SOURCE = ["report_id", "title", "filename", "issuer", "region", "province", "admin_level", "year", "era",
              "check_status", "metric_count"]
CompareBy = Literal["region", "province"]
_T2S = OpenCC("t2s")
_TW2SP = OpenCC("tw2sp")


def simplified_variants(query: str) -> list[str]:
    """The query in simplified script, plus its Taiwan-vocabulary reading when that differs.

    The index holds simplified text. Script conversion alone leaves Taiwan words (政府資訊公開 →
    政府资讯公开, which no mainland report says); phrase conversion finds 政府信息公开 but also rewrites
    words both sides share (程序 → 进程), so a traditional query is searched in both readings. A query
    without traditional characters is left alone: tw2sp would rewrite simplified 文件 → 文档.
    """
    query = query.strip()
    script = _T2S.convert(query)
    if script == query:
        return [query]
    return list(dict.fromkeys([script, _TW2SP.convert(query)]))


def _reading_query(query: str) -> dict[str, Any]:
    """Bigram relevance on body and title, boosted by an exact phrase match."""
    return {
        "bool": {
            # CJK bigrams: with plain OR any shared pair (行政…) matches; require most of the query's pairs.
            "must": [
                {"multi_match": {"query": query, "fields": ["title^2", BODY], "minimum_should_match": "3<75%"}}
            ],
            "should": [{"match_phrase": {f"{BODY}.exact": {"query": query, "boost": 2}}}],
        }
    }


def full_text_query(query: str) -> dict[str, Any]:
    """One reading of the query, or the best-scoring of its readings (dis_max); match-all when empty."""
    readings = [_reading_query(variant) for variant in simplified_variants(query) if variant]
    if not readings:
        return {"match_all": {}}
    return readings[0] if len(readings) == 1 else {"dis_max": {"queries": readings}}


def highlight(fragments: int = 3) -> dict[str, Any]:
    """HTML-encoded fragments of `body`, best-matching first; the whole title marked.

    The text is escaped by Elasticsearch, only <em> tags are markup. Fragments in document order
    would open most hits with the intro, whatever matched best.
    """
    return {
        "encoder": "html",
        "pre_tags": ["<em>"],
        "post_tags": ["</em>"],
        "fields": {
            BODY: {"fragment_size": 80, "number_of_fragments": fragments, "order": "score"},
            "title": {"number_of_fragments": 0},
        },
    }


def hit_fragments(hit: Mapping[str, Any]) -> list[str]:
    """A hit's highlighted passages (empty when only the title matched)."""
    return list(hit.get("highlight", {}).get(BODY, []))


def page_window(page: int, size: int) -> tuple[int, int]:
    """(from, size) with size capped at MAX_PAGE_SIZE and from + size inside the result window."""
    size = max(1, min(size, MAX_PAGE_SIZE))
    start = (max(page, 1) - 1) * size
    return min(start, MAX_RESULT_WINDOW - size), size


def _terms(field: str, values: Sequence[str]) -> dict[str, Any]:
    return {"terms": {field: list(values)}}


def search_body(query: str, filters: Mapping[str, Sequence[str]], page: int = 1, size: int = 10) -> dict[str, Any]:
    """Search with multi-select facets: values OR within a facet, AND across facets.

    Filters go to `post_filter`, and each facet aggregates under every filter but its own, so a
    chosen province still shows the counts of the others (what a user clicks next).
    """
    active = {name: list(values) for name, values in filters.items() if values and name in FACET_FIELDS}
    clauses = {name: _terms(FACET_FIELDS[name], values) for name, values in active.items()}
    start, size = page_window(page, size)
    aggs = {
        name: {
            "filter": {"bool": {"filter": [c for other, c in clauses.items() if other != name]}},
            "aggs": {"values": {"terms": {"field": field, "size": FACET_SIZE}}},
        }
        for name, field in FACET_FIELDS.items()
    }
    return {
        "query": full_text_query(query),
        "post_filter": {"bool": {"filter": list(clauses.values())}},
        "aggs": aggs,
        "highlight": highlight(),
        "_source": HIT_SOURCE,
        "from": start,
        "size": size,
        "track_total_hits": True,
    }


def report_parts_body(report_id: str, source_excludes: Sequence[str] = ("text",), size: int = 5000) -> dict[str, Any]:
    """A report's section or fact docs in text order (a report has tens of sections, hundreds of facts)."""
    return {
        "query": {"term": {"report_id": report_id}},
        "sort": [{"start": "asc"}],
        "_source": {"excludes": list(source_excludes)},
        "size": size,
    }


def compare_body(
    key: str, by: CompareBy, years: tuple[int, int], applicant: str = "total", admin_level: str | None = None
) -> dict[str, Any]:
    """One value per place, year and report: places → years → reports → max(value_base).

    A report can state a key twice (table and prose); max takes one of the agreeing numbers instead
    of adding them. Summing across reports happens in `compare_table`.
    """
    filters: list[dict[str, Any]] = [
        {"term": {"key": key}},
        {"term": {"applicant": applicant}},
        {"term": {"period": "annual"}},
        {"range": {"year": {"gte": years[0], "lte": years[1]}}},
    ]
    if admin_level:
        filters.append({"term": {"admin_level": admin_level}})
    per_report = {"terms": {"field": "report_id", "size": 100}, "aggs": {"value": {"max": {"field": "value_base"}}}}
    return {
        "query": {"bool": {"filter": filters}},
        "size": 0,
        "aggs": {
            "places": {
                "terms": {"field": by, "size": 1000, "order": {"_key": "asc"}},
                "aggs": {"years": {"terms": {"field": "year", "size": 100}, "aggs": {"reports": per_report}}},
            }
        },
    }
