"""`faststream run --factory services.metric_extractor.main:create_app`"""

from faststream import FastStream

from services.metric_extractor.router import build_router
from shared import topology
from shared.runtime import create_service_app
from shared.settings import Settings


def create_app() -> FastStream:
    return create_service_app(Settings(), topology.METRIC_EXTRACTOR, build_router)
