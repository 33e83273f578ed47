"""`faststream run --factory services.normalizer.main:create_app`"""

from faststream import FastStream

from services.normalizer.router import build_router
from shared import topology
from shared.runtime import create_service_app
from shared.settings import Settings


def create_app() -> FastStream:
    return create_service_app(Settings(), topology.NORMALIZER, build_router)
