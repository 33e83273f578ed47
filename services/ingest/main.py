"""`faststream run --factory services.ingest.main:create_app`"""

from faststream import FastStream
from faststream.nats import NatsBroker

from services.ingest.intake import Intake
from services.ingest.router import build_router
from services.ingest.watcher import watch_bucket
from shared import topology
from shared.runtime import create_service_app
from shared.settings import Settings


def create_app() -> FastStream:
    settings = Settings()

    async def watch(broker: NatsBroker) -> None:
        await watch_bucket(Intake(broker, settings), settings)

    return create_service_app(settings, topology.INGEST, build_router, background=watch)
