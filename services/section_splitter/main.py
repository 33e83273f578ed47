"""`faststream run --factory services.section_splitter.main:create_app`"""

from faststream import FastStream

from services.section_splitter.router import build_router
from shared import topology
from shared.runtime import create_service_app
from shared.settings import Settings


def create_app() -> FastStream:
    return create_service_app(Settings(), topology.SECTION_SPLITTER, build_router)
