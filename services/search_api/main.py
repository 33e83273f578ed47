"""create_app() for `uvicorn --factory services.search_api.main:create_app` (and `govreports serve`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from elasticsearch import AsyncElasticsearch, TransportError
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from services.search_api.routes import build_router
from shared.logging import setup_logging
from shared.settings import Settings

SERVICE = "search-api"
STATIC = resources.files("services.search_api") / "static"


def create_app(settings: Settings | None = None, es: AsyncElasticsearch | None = None) -> FastAPI:
    settings = settings or Settings()
    setup_logging(settings, SERVICE)
    client = es or AsyncElasticsearch(settings.es_url, request_timeout=settings.es_request_timeout)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        if es is None:  # close only the client we made
            await client.close()

    app = FastAPI(title="govreports search", lifespan=lifespan)
    app.include_router(build_router(settings, client))
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(str(STATIC / "index.html"))

    @app.exception_handler(TransportError)
    async def elasticsearch_down(_: Request, exc: TransportError) -> JSONResponse:
        return JSONResponse({"detail": f"Elasticsearch unavailable: {exc}"}, status_code=503)

    return app
