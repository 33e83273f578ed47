"""`faststream run --factory services.cross_year.main:create_app`"""

from elasticsearch import AsyncElasticsearch
from faststream import FastStream

from services.cross_year.router import build_router
from services.cross_year.store import ReportDocs
from shared import topology
from shared.elastic import elasticsearch_service_app
from shared.settings import Settings


async def prepare(es: AsyncElasticsearch, settings: Settings, app: FastStream) -> None:
    """Consume only once the indexer has created the reports index with the `cross_year` mapping."""
    await ReportDocs(es, settings.write_alias("reports")).ready()


def create_app() -> FastStream:
    return elasticsearch_service_app(topology.CROSS_YEAR, build_router, prepare)
