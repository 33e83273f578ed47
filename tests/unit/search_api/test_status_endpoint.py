"""GET /api/status with nothing reachable: a status saying so (200), never an error page."""

from __future__ import annotations

import httpx

from services.cli.stack import free_port
from services.search_api.main import create_app
from shared.settings import Settings
from shared.status import PipelineStatus


async def test_the_status_reports_down_servers_instead_of_failing() -> None:
    nothing = f"127.0.0.1:{free_port()}"
    app = create_app(Settings(NATS_URL=f"nats://{nothing}", ES_URL=f"http://{nothing}", ES_REQUEST_TIMEOUT=2))
    async with app.router.lifespan_context(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://search-api"
    ) as http:
        response = await http.get("/api/status", params={"interval": 0})
        too_long = await http.get("/api/status", params={"interval": 60})
    assert response.status_code == 200
    status = PipelineStatus.model_validate(response.json())
    assert [(server.name, server.up) for server in status.servers] == [("nats", False), ("elasticsearch", False)]
    assert {service.state for service in status.services} == {"unknown"}
    assert status.stages == [] and status.dead_letters is None
    assert too_long.status_code == 422  # a request may not hold the API for a minute
