"""Full-text search over the report index, shared by `govreports search` and the run summary."""

from __future__ import annotations

from dataclasses import dataclass

from elasticsearch import AsyncElasticsearch

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
    """Bigram relevance on the text, boosted by exact phrase matches and title hits."""
    response = await es.search(
        index=settings.index_alias("reports"),
        query={
            "bool": {
                "must": [{"multi_match": {"query": query, "fields": ["title^2", "text"]}}],
                "should": [{"match_phrase": {"text.exact": {"query": query, "boost": 2}}}],
            }
        },
        highlight={"fields": {"text": {"fragment_size": 80, "number_of_fragments": 2}}},
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
            highlights=hit.get("highlight", {}).get("text", []),
        )
        for hit in response["hits"]["hits"]
    ]


def format_hits(query: str, hits: list[Hit]) -> str:
    lines = [f"search {query!r}: {len(hits)} hit(s)"]
    for hit in hits:
        name = hit.title or hit.filename or hit.report_id
        lines.append(f"  {hit.score:6.2f}  {hit.region or '?'} {hit.year or '?'}  {name}")
        lines += [f"          … {fragment.replace(chr(10), ' ')} …" for fragment in hit.highlights]
    return "\n".join(lines)
