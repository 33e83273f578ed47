"""`faststream run --factory services.indexer.main:create_app`"""

from elasticsearch import ApiError, TransportError
from faststream import FastStream
from faststream.nats import NatsBroker, NatsRouter

from services.indexer.elastic import classify, ensure_indices
from services.indexer.router import build_router
from shared import topology
from shared.elastic import elasticsearch_client
from shared.runtime import create_service_app
from shared.settings import Settings


def create_app() -> FastStream:
    settings = Settings()
    es = elasticsearch_client(settings)

    def router_for(settings: Settings, broker: NatsBroker) -> NatsRouter:
        return build_router(settings, es)

    async def prepare_indices() -> None:
        """Templates and aliases; an Elasticsearch still starting (or down) is waited for, not fatal."""
        try:
            await ensure_indices(es, settings)
        except (ApiError, TransportError) as exc:
            raise classify(exc) from exc

    app = create_service_app(settings, topology.INDEXER, router_for, prepare=prepare_indices)

    @app.on_shutdown
    async def close_client() -> None:
        await es.close()

    return app
