"""Pure shaping of Elasticsearch responses into what the API returns (JSON-ready dicts, CSV text)."""

from __future__ import annotations

import csv
import io
import re
from typing import Any
from urllib.parse import quote, urlencode

from services.search_api.queries import FACET_FIELDS, hit_fragments

EVIDENCE_MARGIN = 40  # characters of report text shown on each side of a fact's evidence
_YEARS = re.compile(r"^\s*(\d{4})\s*(?:-\s*(\d{4}))?\s*$")


def search_result(response: dict[str, Any], page: int, size: int) -> dict[str, Any]:
    hits = []
    for hit in response["hits"]["hits"]:
        source, marked = hit["_source"], hit.get("highlight", {})
        hits.append({
            "report_id": hit["_id"],
            "title": source.get("title") or source.get("filename"),
            "title_html": (marked.get("title") or [None])[0],
            **{name: source.get(name) for name in ("issuer", "region", "province", "admin_level", "year", "era",
                                                   "check_status", "metric_count")},
            "score": hit["_score"],
            "highlights": hit_fragments(hit),
        })
    total = response["hits"]["total"]["value"]
    return {
        "total": total,
        "page": page,
        "size": size,
        "pages": -(-total // size),
        "hits": hits,
        "facets": {
            name: [{"value": b.get("key_as_string", b["key"]), "count": b["doc_count"]}
                   for b in response["aggregations"][name]["values"]["buckets"]]
            for name in FACET_FIELDS
        },
    }


def evidence_in_context(text: str, start: int, end: int, margin: int = EVIDENCE_MARGIN) -> dict[str, str]:
    """The evidence and the report text around it, split so a page can mark it without parsing HTML."""
    return {
        "before": text[max(0, start - margin) : start],
        "evidence": text[start:end],
        "after": text[end : end + margin],
    }


def crop_url(report_id: str, box: dict[str, Any] | None) -> str | None:
    """Where the page crop of a PDF fact is rendered (None for a fact without a box: not from a PDF)."""
    if not box:
        return None
    fields = {name: box[name] for name in ("page", "x0", "top", "x1", "bottom")}
    return f"/api/reports/{quote(report_id, safe='')}/crop.png?{urlencode(fields)}"


_NOT_METADATA = frozenset({"text", "body", "metrics", "cross_year", "section_ids", "metric_ids"})


def report_view(report: dict[str, Any], sections: list[dict[str, Any]], facts: list[dict[str, Any]]) -> dict[str, Any]:
    """Metadata without the texts (full and search body) or the indexer's bookkeeping (ids of the report's section
    and metric docs); facts carry their evidence in context (offsets into text) and, from a PDF, their page crop."""
    text = report.get("text", "")
    metadata = {k: v for k, v in report.items() if k not in _NOT_METADATA}
    return {
        **metadata,
        "cross_year": cross_year_results(report.get("cross_year") or {}),
        "text_length": len(text),
        "sections": [{k: s.get(k) for k in ("level", "number", "title", "kind", "start", "end")} for s in sections],
        "facts": [
            {
                **{k: f.get(k) for k in ("key", "value", "value_base", "unit", "qualifier", "applicant", "period",
                                         "source", "section", "evidence", "start", "end", "box")},
                "context": evidence_in_context(text, f["start"], f["end"]),
                "crop_url": crop_url(report["report_id"], f.get("box")),
            }
            for f in facts
        ],
    }


def cross_year_results(fields: dict[str, Any]) -> dict[str, Any]:
    """The report's checks against its body's reports of the year before and after (none until compared); the rest
    of `cross_year` (identity, basis) is the cross-year service's own bookkeeping."""
    return {"checks": fields.get("checks") or [], "failed": fields.get("failed") or [],
            "status": fields.get("status") or "none"}


def parse_years(years: str) -> tuple[int, int]:
    """`2014-2024` or `2018` → an inclusive range; ValueError on anything else."""
    match = _YEARS.match(years)
    if not match:
        raise ValueError(f"years must look like 2014-2024 or 2018, not {years!r}")
    first, last = int(match[1]), int(match[2] or match[1])
    return min(first, last), max(first, last)


def compare_table(response: dict[str, Any], key: str, by: str, applicant: str) -> dict[str, Any]:
    """Rows = places, columns = the years that have a value; a cell sums its reports' values."""
    cells: dict[str, dict[int, float]] = {}
    for place in response["aggregations"]["places"]["buckets"]:
        cells[place["key"]] = {
            int(year["key"]): sum(r["value"]["value"] for r in year["reports"]["buckets"])
            for year in place["years"]["buckets"]
        }
    years = sorted({year for row in cells.values() for year in row})
    return {
        "key": key,
        "by": by,
        "applicant": applicant,
        "years": years,
        "rows": [
            {"place": place, "values": [_number(row.get(year)) for year in years]} for place, row in cells.items()
        ],
    }


def _number(value: float | None) -> int | float | None:
    return int(value) if value is not None and float(value).is_integer() else value


PLACE_HEADER = {"region": "地区", "province": "省份"}


def table_csv(table: dict[str, Any]) -> str:
    """CSV with a UTF-8 BOM so Excel opens the Chinese place names correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([PLACE_HEADER.get(table["by"], table["by"]), *table["years"]])
    for row in table["rows"]:
        writer.writerow([row["place"], *("" if v is None else v for v in row["values"])])
    return "\ufeff" + out.getvalue()
