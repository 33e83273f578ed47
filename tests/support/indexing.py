"""Index report files exactly as the pipeline would, without the broker (for search-side tests)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from elasticsearch import AsyncElasticsearch

from services.indexer.batch import ReportPart
from services.indexer.elastic import ensure_indices, write_indices
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


def report_parts(report_id: str, sectioned: SectionedDocument, result: MetricsDocument) -> list[ReportPart]:
    """The two messages the indexer gets for one report, as parts (stream order: sectioned, then metrics)."""
    now = datetime.now(UTC)
    envelope = {"report_id": report_id, "event_id": f"test-{report_id}", "produced_by": "test", "produced_at": now}
    return [
        ReportPart(SectionedReport(**envelope, **sectioned.model_dump()), 1, None, now),
        ReportPart(MetricsReport(**envelope, **result.model_dump()), 2, None, now),
    ]


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
    outcomes = await write_parts(es, write_indices(settings), parts)
    assert not [outcome for outcome in outcomes if isinstance(outcome, BaseException)], outcomes
    await es.indices.refresh(index=",".join(settings.index_alias(k) for k in ("reports", "sections", "metrics")))
    return extracted
