"""Index report files exactly as the pipeline would, without the broker (for search-side tests)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from elasticsearch import AsyncElasticsearch

from services.indexer import transform
from services.indexer.elastic import bulk_write, ensure_indices, indexed_metric_keys, stale_ids
from services.metric_extractor.transform import extract_metrics
from services.normalizer.transform import normalize
from services.section_splitter.transform import split_sections
from shared.ids import report_id_for
from shared.messages import MetricsDocument
from shared.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[2]
# Five seeds (昆山市 2009 is in traditional script) + two 2021-format reports whose checks run (宿迁市: 江苏省 too).
SEARCH_CORPUS = [
    *sorted((REPO_ROOT / "seeds").glob("*.txt")),
    *(REPO_ROOT / "tests" / "fixtures" / "reports" / name for name in ("fmt2021_rows.txt", "fmt2021_glued.txt")),
]


async def index_files(es: AsyncElasticsearch, settings: Settings, paths: list[Path]) -> dict[str, MetricsDocument]:
    """normalize → split → extract → the indexer's own writes (through the write aliases); report_id → facts."""
    await ensure_indices(es, settings)
    reports, sections, metrics = (settings.write_alias(k) for k in ("reports", "sections", "metrics"))
    extracted = {}
    for path in paths:
        content = path.read_bytes()
        report_id = report_id_for(content)
        sectioned = split_sections(normalize(content, path.name))
        result = extract_metrics(sectioned)
        document = transform.report_document(report_id, sectioned, None, datetime.now(UTC))
        await bulk_write(es, reports, {report_id: document}, partial=True)
        await bulk_write(es, sections, transform.section_documents(report_id, sectioned))
        facts = transform.metric_documents(report_id, result)
        await bulk_write(es, metrics, facts, await stale_ids(es, metrics, report_id, set(facts)))
        summary = transform.metrics_summary(result, await indexed_metric_keys(es, reports, report_id))
        await bulk_write(es, reports, {report_id: summary}, partial=True)
        extracted[report_id] = result
    await es.indices.refresh(index=",".join(settings.index_alias(k) for k in ("reports", "sections", "metrics")))
    return extracted
