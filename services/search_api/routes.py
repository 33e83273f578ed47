"""Thin HTTP wiring: parse parameters, one Elasticsearch call per view, shape with the pure functions."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated, Literal

import nats.errors
from elasticsearch import AsyncElasticsearch
from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import HTMLResponse, Response

from services.search_api import queries, views
from services.search_api.asyncapi_page import render_page
from services.search_api.crops import BoundedCache, CropError, render_crop
from services.search_api.raw_reports import RawReports
from shared.messages.export import ASYNCAPI_DOCUMENT
from shared.messages.v1 import PageBox
from shared.settings import Settings
from shared.status import PipelineStatus, pipeline_status

Values = Annotated[list[str], Query()]
Points = Annotated[float, Query(ge=0, le=14400)]  # PDF points; 14400 is the largest page size PDF allows
IMMUTABLE = "public, max-age=31536000, immutable"  # a report id is its file's hash: a crop never changes


def committed_asyncapi() -> str:
    """docs/asyncapi.json as committed (`make asyncapi`); an installation without it answers 404."""
    try:
        return ASYNCAPI_DOCUMENT.read_text("utf-8")
    except FileNotFoundError as exc:
        raise HTTPException(404, "no AsyncAPI document in this installation (docs/asyncapi.json)") from exc


def build_router(settings: Settings, es: AsyncElasticsearch, raw_reports: RawReports) -> APIRouter:
    router = APIRouter()
    crops = BoundedCache(settings.crop_cache_bytes)
    reports, sections, metrics = (settings.index_alias(k) for k in ("reports", "sections", "metrics"))

    @router.get("/healthz")
    async def healthz() -> dict[str, str | bool]:
        """Up while Elasticsearch answers (503 otherwise); before the first report is indexed the alias is missing."""
        health = await es.cluster.health(timeout="5s")
        indexed = bool(await es.indices.exists_alias(name=reports))
        return {"status": "ok", "elasticsearch": health["status"], "indexed": indexed}

    @router.get("/api/status")
    async def status(interval: Annotated[float, Query(ge=0, le=10)] = 1.0) -> PipelineStatus:
        """What `govreports status --json` prints: backlog, rate and dead letters per stage, servers and services
        up; the rates come from two samples `interval` seconds apart (0: answer at once, without rates)."""
        return await pipeline_status(settings, es, interval)

    @router.get("/api/search")
    async def search(
        q: str = "",
        province: Values = [],  # noqa: B006  (FastAPI copies defaults per request)
        region: Values = [],  # noqa: B006
        admin_level: Values = [],  # noqa: B006
        year: Values = [],  # noqa: B006
        era: Values = [],  # noqa: B006
        check_status: Values = [],  # noqa: B006
        metric: Values = [],  # noqa: B006
        cross_year: Values = [],  # noqa: B006
        page: Annotated[int, Query(ge=1)] = 1,
        size: Annotated[int, Query(ge=1)] = 10,
    ) -> dict:
        filters = {"province": province, "region": region, "admin_level": admin_level, "year": year, "era": era,
                   "check_status": check_status, "metric": metric, "cross_year": cross_year}
        body = queries.search_body(q, {k: [v for v in vs if v] for k, vs in filters.items()}, page, size)
        response = await es.search(index=reports, **body)
        return views.search_result(response.body, page, body["size"])

    @router.get("/api/reports/{report_id}")
    async def report(report_id: str) -> dict:
        found = await es.options(ignore_status=404).get(index=reports, id=report_id)
        if not found.get("found"):
            raise HTTPException(404, f"no report {report_id}")
        parts = queries.report_parts_body(report_id)
        section_hits = (await es.search(index=sections, **parts))["hits"]["hits"]
        fact_hits = (await es.search(index=metrics, **parts))["hits"]["hits"]
        return views.report_view(
            found["_source"], [h["_source"] for h in section_hits], [h["_source"] for h in fact_hits]
        )

    @router.get("/api/reports/{report_id}/crop.png", response_class=Response)
    async def crop(report_id: str, page: Annotated[int, Query(ge=1)], x0: Points, top: Points, x1: Points,
                   bottom: Points) -> Response:
        """The PDF page region around a fact's box (`box` of its metric doc) with the box marked, as PNG."""
        box = PageBox(page=page, x0=x0, top=top, x1=x1, bottom=bottom)
        key = (report_id, page, x0, top, x1, bottom)
        if (png := crops.get(key)) is None:
            try:
                pdf = await raw_reports.get(report_id)
            except (nats.errors.Error, OSError, TimeoutError) as exc:
                raise HTTPException(503, f"NATS Object Store unavailable: {exc}") from exc
            if pdf is None:
                raise HTTPException(404, f"no raw file of report {report_id}")
            try:
                png = await asyncio.to_thread(render_crop, pdf, box)
            except CropError as exc:
                raise HTTPException(422, f"cannot crop report {report_id}: {exc}") from exc
            crops.put(key, png)
        return Response(png, media_type="image/png", headers={"Cache-Control": IMMUTABLE})

    @router.get("/api/compare", response_model=None)
    async def compare(
        key: str,
        by: Literal["region", "province"] = "region",
        years: str = "2008-2030",
        applicant: str = "total",
        admin_level: str | None = None,
        format: Literal["json", "csv"] = "json",
    ) -> dict | Response:
        try:
            span = views.parse_years(years)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from exc
        response = await es.search(index=metrics, **queries.compare_body(key, by, span, applicant, admin_level))
        table = views.compare_table(response.body, key, by, applicant)
        if format == "json":
            return table
        return Response(
            views.table_csv(table).encode("utf-8"),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="compare-{key}-{by}.csv"'},
        )

    @router.get("/asyncapi.json", include_in_schema=False)
    def asyncapi_document() -> Response:
        """The AsyncAPI document of every subject, generated from the service apps."""
        return Response(committed_asyncapi(), media_type="application/json")

    @router.get("/asyncapi", include_in_schema=False)
    def asyncapi_page() -> HTMLResponse:
        """The same document as a page: channels, who sends and receives, message payloads."""
        return HTMLResponse(render_page(json.loads(committed_asyncapi())))

    return router
