"""search-api: HTTP search, report view and comparison over the READ aliases, plus a small Chinese web page.

In: HTTP (`/api/search`, `/api/reports/{id}`, `/api/compare`, `/healthz`, the page at `/`).
Reads `<ES_INDEX_PREFIX>-reports|sections|metrics` (aliases, so a reindex swap is invisible here).
Failure modes: Elasticsearch unreachable → 503 (the page shows it); unknown report → 404.
Run: `govreports serve` or `uvicorn --factory services.search_api.main:create_app`.
"""
