"""`faststream run --factory services.indexer.main:create_app`"""

from elasticsearch import ApiError, AsyncElasticsearch, TransportError
from faststream import FastStream

from services.indexer.durables import adopt_legacy_durables
from services.indexer.elastic import classify, ensure_indices
from services.indexer.router import build_router, subscription
from shared import topology
from shared.elastic import elasticsearch_service_app
from shared.settings import Settings


async def prepare(es: AsyncElasticsearch, settings: Settings, app: FastStream) -> None:
    """Templates and aliases, then the one durable taking over the legacy ones; an Elasticsearch still
    starting (or down) is waited for, not fatal."""
    try:
        await ensure_indices(es, settings)
    except (ApiError, TransportError) as exc:
        raise classify(exc) from exc
    await adopt_legacy_durables(app.broker.connection.jetstream(), subscription(settings)["config"])


def create_app() -> FastStream:
    return elasticsearch_service_app(topology.INDEXER, build_router, prepare)
