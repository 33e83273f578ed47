"""Full-text search over the report index for `govreports search` and the run summary (queries from search_api)."""

from __future__ import annotations

import html
from dataclasses import dataclass

from elasticsearch import AsyncElasticsearch

from services.search_api.queries import full_text_query, highlight, hit_fragments
from shared.settings import Settings


@dataclass(frozen=True)
class Hit:
    report_id: str
    title: str | None
    filename: str | None
    region: str | None
    year: int | None
    score: float
    highlights: list[str]


async def search_reports(es: AsyncElasticsearch, settings: Settings, query: str, size: int = 10) -> list[Hit]:
    """The search API's query (bigrams + exact-phrase boost, traditional → simplified) for the terminal."""
    response = await es.search(
        index=settings.index_alias("reports"),
        query=full_text_query(query),
        highlight=highlight(fragments=2),
        source_includes=["title", "filename", "region", "year"],
        size=size,
    )
    return [
        Hit(
            report_id=hit["_id"],
            title=hit["_source"].get("title"),
            filename=hit["_source"].get("filename"),
            region=hit["_source"].get("region"),
            year=hit["_source"].get("year"),
            score=hit["_score"],
            highlights=hit_fragments(hit),
        )
        for hit in response["hits"]["hits"]
    ]


def format_hits(query: str, hits: list[Hit]) -> str:
    lines = [f"search {query!r}: {len(hits)} hit(s)"]
    for hit in hits:
        name = hit.title or hit.filename or hit.report_id
        lines.append(f"  {hit.score:6.2f}  {hit.region or '?'} {hit.year or '?'}  {name}")
        # fragments are HTML-encoded for the page; the terminal wants the plain text back
        lines += [f"          … {html.unescape(fragment).replace(chr(10), ' ')} …" for fragment in hit.highlights]
    return "\n".join(lines)
