"""The one way every service and command builds its Elasticsearch client from the settings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from elasticsearch import AsyncElasticsearch
from faststream import FastStream
from faststream.nats import NatsRouter

from shared.runtime import create_service_app
from shared.settings import Settings


def elasticsearch_client(settings: Settings, request_timeout: float | None = None) -> AsyncElasticsearch:
    """Requests spread over every node of ES_URL (a dead one is set aside and retried later).

    With ES_API_KEY (compose: a write key for the indexer, a read-only key for search) every request
    authenticates; without, none does (the dev node runs without security)."""
    api_key = settings.es_api_key.get_secret_value() if settings.es_api_key else None
    timeout = settings.es_request_timeout if request_timeout is None else request_timeout
    return AsyncElasticsearch(settings.es_hosts, api_key=api_key, request_timeout=timeout)


ElasticRouter = Callable[[Settings, AsyncElasticsearch], NatsRouter]
ElasticPrepare = Callable[[AsyncElasticsearch, Settings, FastStream], Awaitable[None]]


def elasticsearch_service_app(service: str, build_router: ElasticRouter, prepare: ElasticPrepare) -> FastStream:
    """A stage that writes Elasticsearch: one client for the process, closed on shutdown; `prepare` readies
    what the stage needs there (indices, mappings) before it consumes, waiting while Elasticsearch is down."""
    settings = Settings()
    es = elasticsearch_client(settings)

    async def ready() -> None:
        await prepare(es, settings, app)

    app = create_service_app(settings, service, lambda settings, _broker: build_router(settings, es), prepare=ready)

    @app.after_shutdown  # after the broker stopped its consumers: a handler in flight never meets a closed client
    async def close_client() -> None:
        await es.close()

    return app
