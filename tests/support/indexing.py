"""Index reports exactly as the pipeline would, without the broker: every write goes through the indexer's own
`write_parts` (one mget + one bulk request), never a copy of its sequence."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from elasticsearch import AsyncElasticsearch

from services.indexer.batch import RETRY_ON_CONFLICT, ReportPart
from services.indexer.elastic import bulk_items, ensure_indices, failure_of, write_indices
from services.indexer.writer import write_parts
from services.metric_extractor.transform import extract_metrics
from services.normalizer.transform import normalize
from services.section_splitter.transform import split_sections
from shared.ids import report_id_for
from shared.messages import MetricsDocument, MetricsReport, SectionedDocument, SectionedReport
from shared.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[2]
# Five seeds (昆山市 2009 is in traditional script) + two 2021-format reports whose checks run (宿迁市: 江苏省 too).
SEARCH_CORPUS = [
    *sorted((REPO_ROOT / "seeds").glob("*.txt")),
    *(REPO_ROOT / "tests" / "fixtures" / "reports" / name for name in ("fmt2021_rows.txt", "fmt2021_glued.txt")),
]


def envelope(report_id: str) -> dict[str, Any]:
    return {
        "report_id": report_id,
        "event_id": f"test-{report_id}",
        "produced_by": "test",
        "produced_at": datetime.now(UTC),
    }


def sectioned_part(report_id: str, sectioned: SectionedDocument, sequence: int = 1) -> ReportPart:
    """The indexer's share of a report's sectioned message (`sequence`: its place in the stream)."""
    return ReportPart(
        SectionedReport(**envelope(report_id), **sectioned.model_dump()), sequence, None, datetime.now(UTC)
    )


def report_parts(report_id: str, sectioned: SectionedDocument, result: MetricsDocument) -> list[ReportPart]:
    """The two messages the indexer gets for one report, as parts (stream order: sectioned, then metrics)."""
    metrics = MetricsReport(**envelope(report_id), **result.model_dump())
    return [sectioned_part(report_id, sectioned), ReportPart(metrics, 2, None, datetime.now(UTC))]


async def write_reports(es: AsyncElasticsearch, settings: Settings, parts: list[ReportPart]) -> None:
    """The indexer's writes for `parts`, through the write aliases; fails the test on any refused part."""
    outcomes = await write_parts(es, write_indices(settings), parts)
    assert not [outcome for outcome in outcomes if isinstance(outcome, BaseException)], outcomes


async def index_files(es: AsyncElasticsearch, settings: Settings, paths: list[Path]) -> dict[str, MetricsDocument]:
    """normalize → split → extract → the indexer's own writes (through the write aliases); report_id → facts."""
    await ensure_indices(es, settings)
    extracted, parts = {}, []
    for path in paths:
        content = path.read_bytes()
        report_id = report_id_for(content)
        sectioned = split_sections(normalize(content, path.name))
        extracted[report_id] = extract_metrics(sectioned)
        parts += report_parts(report_id, sectioned, extracted[report_id])
    await write_reports(es, settings, parts)
    await es.indices.refresh(index=",".join(settings.index_alias(k) for k in ("reports", "sections", "metrics")))
    return extracted


async def bulk_write(
    es: AsyncElasticsearch,
    index: str,
    upserts: dict[str, dict[str, Any]],
    deletes: Sequence[str] = (),
    partial: bool = False,
) -> int:
    """Docs written as they are, not as the indexer builds them (legacy shapes, a reindex's sources): bulk upsert
    by _id (full replace, or partial `doc_as_upsert` with the indexer's retry_on_conflict), delete ids; raises on
    any failure."""
    operations: list[dict[str, Any]] = []
    for identity, document in upserts.items():
        if partial:
            action = {"_index": index, "_id": identity, "retry_on_conflict": RETRY_ON_CONFLICT}
            operations += [{"update": action}, {"doc": document, "doc_as_upsert": True}]
        else:
            operations += [{"index": {"_index": index, "_id": identity}}, document]
    operations += [{"delete": {"_index": index, "_id": identity}} for identity in deletes]
    if operations and (failure := failure_of(await bulk_items(es, operations))):
        raise failure
    return len(upserts)
