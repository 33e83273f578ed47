"""`faststream run --factory services.cross_year.main:create_app`"""

from faststream import FastStream
from faststream.nats import NatsBroker, NatsRouter

from services.cross_year.router import build_router
from services.cross_year.store import ReportDocs
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
        """Consume only once the indexer has created the reports index with the `cross_year` mapping."""
        await ReportDocs(es, settings.write_alias("reports")).ready()

    app = create_service_app(settings, topology.CROSS_YEAR, router_for, prepare=prepare)

    @app.on_shutdown
    async def close_client() -> None:
        await es.close()

    return app
