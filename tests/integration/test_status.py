"""`govreports status --json` and GET /api/status against a real nats-server and Elasticsearch node.

The test plays the pipeline: a consumer with a known backlog and one message in flight, a live worker with an
open pull request, a dead letter, and a health file written by shared.runtime.Health.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import nats
import pytest
from nats.js.api import ConsumerConfig

from services.cli import main
from services.search_api.main import create_app
from shared import topology
from shared.runtime import Health, ensure_topology, publish_dead_letter
from shared.settings import Settings
from shared.status import PipelineStatus, StageStatus

pytestmark = pytest.mark.integration


@dataclass(frozen=True)
class Scene:
    backlog: str
    """Durable holding 2 undelivered messages and 1 delivered, unacknowledged, with 1 dead letter."""
    subject: str
    worker: str
    """A normalizer durable with a worker waiting for work: the normalizer is up."""


@contextlib.asynccontextmanager
async def scene(nats_url: str, unique: str, health_dir: Path) -> AsyncIterator[Scene]:
    client = await nats.connect(nats_url)
    js = client.jetstream()
    await ensure_topology(client)
    played = Scene(f"test-{unique}", f"reports.status-{unique}.v1", f"{topology.NORMALIZER}-{unique}")
    backlog = await js.pull_subscribe(
        played.subject, durable=played.backlog, stream=topology.STREAM_NAME, config=ConsumerConfig(ack_wait=300)
    )
    for index in range(3):
        await js.publish(played.subject, json.dumps({"report_id": f"{unique}-{index}"}).encode())
    await backlog.fetch(1, timeout=5)  # in flight: never acknowledged
    await publish_dead_letter(
        js, subject=played.subject, data=b'{"report_id": "x"}', headers={"Nats-Msg-Id": unique},
        stage=played.backlog, kind="permanent", reason="unreadable", deliveries=1,
    )
    worker = await js.pull_subscribe(f"reports.idle-{unique}.v1", durable=played.worker, stream=topology.STREAM_NAME)
    waiting = asyncio.create_task(worker.fetch(1, timeout=60))  # an open pull request, as a live service keeps
    Health(topology.INDEXER, health_dir).waiting("elasticsearch", "ConnectionError: connection refused")
    try:
        while (await js.consumer_info(topology.STREAM_NAME, played.worker)).num_waiting == 0:
            await asyncio.sleep(0.05)
        yield played
    finally:
        waiting.cancel()
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await waiting
        await client.close()


def stage(status: PipelineStatus, durable: str) -> StageStatus:
    return next(stage for stage in status.stages if stage.durable == durable)


def check(status: PipelineStatus, played: Scene, unique: str) -> None:
    assert [(server.name, server.up) for server in status.servers] == [("nats", True), ("elasticsearch", True)]
    backlog = stage(status, played.backlog)
    assert (backlog.subjects, backlog.service) == ([played.subject], None)
    assert (backlog.pending, backlog.in_flight, backlog.redelivered, backlog.dead_letters) == (2, 1, 0, 1)
    assert status.dead_letters[played.backlog] == 1
    assert stage(status, played.worker).pulling >= 1
    services = {service.name: service for service in status.services}
    assert services[topology.NORMALIZER].state == "up"
    assert services[topology.INDEXER].state == "waiting"
    assert services[topology.INDEXER].waiting_for == {"elasticsearch": "ConnectionError: connection refused"}


async def test_status_json_shows_backlog_in_flight_dead_letters_and_health(
    nats_url: str, es_url: str, tmp_path: Path, unique: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in {"NATS_URL": nats_url, "ES_URL": es_url, "HEALTH_DIR": str(tmp_path)}.items():
        monkeypatch.setenv(name, value)
    async with scene(nats_url, unique, tmp_path) as played:
        capsys.readouterr()  # the scene's own log lines
        code = await asyncio.to_thread(main, ["status", "--json", "--interval", "0.2"])
    status = PipelineStatus.model_validate_json(capsys.readouterr().out)
    check(status, played, unique)
    assert stage(status, played.backlog).rate == 0.0  # sampled twice, nothing delivered in between
    assert code == 1  # the indexer waits: not everything is up


async def test_the_api_returns_the_same_status(nats_url: str, es_url: str, tmp_path: Path, unique: str) -> None:
    app = create_app(Settings(NATS_URL=nats_url, ES_URL=es_url, HEALTH_DIR=str(tmp_path)))
    async with scene(nats_url, unique, tmp_path) as played, app.router.lifespan_context(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://search-api"
    ) as http:
        response = await http.get("/api/status", params={"interval": 0})
    assert response.status_code == 200
    status = PipelineStatus.model_validate(response.json())
    check(status, played, unique)
    assert stage(status, played.backlog).rate is None  # one sample only
