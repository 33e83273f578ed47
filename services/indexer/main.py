"""`faststream run --factory services.indexer.main:create_app`"""

from elasticsearch import ApiError, TransportError
from faststream import FastStream
from faststream.nats import NatsBroker, NatsRouter

from services.indexer.durables import adopt_legacy_durables
from services.indexer.elastic import classify, ensure_indices
from services.indexer.router import build_router, subscription
from shared import topology
from shared.elastic import elasticsearch_client
from shared.runtime import create_service_app
from shared.settings import Settings


def create_app() -> FastStream:
    settings = Settings()
    es = elasticsearch_client(settings)

    def router_for(settings: Settings, broker: NatsBroker) -> NatsRouter:
        return build_router(settings, es)

    async def prepare() -> None:
        """Templates and aliases, then the one durable taking over the legacy ones; an Elasticsearch still
        starting (or down) is waited for, not fatal."""
        try:
            await ensure_indices(es, settings)
        except (ApiError, TransportError) as exc:
            raise classify(exc) from exc
        await adopt_legacy_durables(app.broker.connection.jetstream(), subscription(settings)["config"])

    app = create_service_app(settings, topology.INDEXER, router_for, prepare=prepare)

    @app.on_shutdown
    async def close_client() -> None:
        await es.close()

    return app
