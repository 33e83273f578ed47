"""create_app() for `uvicorn --factory services.search_api.main:create_app` (and `govreports serve`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib import resources

from elasticsearch import AsyncElasticsearch, TransportError
from fastapi import FastAPI, Request, Response
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from services.search_api.raw_reports import RawReports
from services.search_api.routes import build_router
from shared.elastic import elasticsearch_client
from shared.logging import setup_logging
from shared.settings import Settings

SERVICE = "search-api"
STATIC = resources.files("services.search_api") / "static"

# Report text is untrusted input. The page loads only its own script and stylesheet, runs no inline code, and
# Trusted Types make any string-to-HTML sink (innerHTML …) throw, so markup in a report can only ever be text.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
])
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def create_app(settings: Settings | None = None, es: AsyncElasticsearch | None = None) -> FastAPI:
    settings = settings or Settings()
    setup_logging(settings, SERVICE)
    client = es or elasticsearch_client(settings)
    raw_reports = RawReports(settings.nats_servers, settings.raw_report_cache_bytes)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await raw_reports.close()
        if es is None:  # close only the client we made
            await client.close()

    # No Swagger/ReDoc pages: they need inline script and a CDN, which the policy refuses; /openapi.json stays.
    app = FastAPI(title="govreports search", lifespan=lifespan, docs_url=None, redoc_url=None)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        """On every response, errors and static files included, so no path serves a page without the policy."""
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    app.include_router(build_router(settings, client, raw_reports))
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(str(STATIC / "index.html"))

    @app.exception_handler(TransportError)
    async def elasticsearch_down(_: Request, exc: TransportError) -> JSONResponse:
        return JSONResponse({"detail": f"Elasticsearch unavailable: {exc}"}, status_code=503)

    return app
