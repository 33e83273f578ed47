"""The one way every service and command builds its Elasticsearch client from the settings."""

from __future__ import annotations

from elasticsearch import AsyncElasticsearch

from shared.settings import Settings


def elasticsearch_client(settings: Settings, request_timeout: float | None = None) -> AsyncElasticsearch:
    """With ES_API_KEY (compose: a write key for the indexer, a read-only key for search) every request
    authenticates; without, none does (the dev node runs without security)."""
    api_key = settings.es_api_key.get_secret_value() if settings.es_api_key else None
    timeout = settings.es_request_timeout if request_timeout is None else request_timeout
    return AsyncElasticsearch(settings.es_url, api_key=api_key, request_timeout=timeout)
