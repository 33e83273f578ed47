"""An Elasticsearch stage closes its client only after its consumers stopped (no server needed: the order of
the shutdown steps is what matters, and it is observed on the real app objects)."""

from __future__ import annotations

import pytest
from elasticsearch import AsyncElasticsearch
from faststream.nats import NatsRouter

from shared.elastic import elasticsearch_service_app
from shared.settings import Settings


async def test_the_client_outlives_the_consumers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing it first made a handler still in flight fail with `Session is closed`, a permanent error:
    cross-year dead-lettered good reports on every shutdown."""
    steps: list[str] = []
    clients: list[AsyncElasticsearch] = []

    def build_router(_settings: Settings, es: AsyncElasticsearch) -> NatsRouter:
        clients.append(es)
        return NatsRouter()

    async def prepare(*_args: object) -> None:
        return None

    app = elasticsearch_service_app("elastic-app-test", build_router, prepare)
    [es] = clients
    close_client, stop_broker = es.close, app.broker.stop

    async def record_close() -> None:
        steps.append("client closed")
        await close_client()

    async def record_stop(*args: object, **kwargs: object) -> None:
        steps.append("consumers stopped")
        await stop_broker(*args, **kwargs)

    monkeypatch.setattr(es, "close", record_close)
    monkeypatch.setattr(app.broker, "stop", record_stop)
    await app.stop()
    assert steps == ["consumers stopped", "client closed"]
