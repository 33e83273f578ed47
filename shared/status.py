"""The pipeline's status: the backlog, rate and dead letters of every stage, and whether each server and service
is up (`govreports status`, GET /api/status of the search API).

Stages are the durable consumers of the REPORTS stream as JetStream lists them, named by durable and filter
subject: nothing is hard-coded, so a service that changes its consumers shows up as it runs. A service is
up while one of its consumers has an open pull request (a worker waiting for work) or a message in flight;
its health file (`HEALTH_DIR/<service>.json`, shared.runtime.Health) says what it is waiting for. Gathering
is `pipeline_status` / `watch_status`; deciding is the pure functions below them; drawing is the CLI's.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

import nats
from elasticsearch import AsyncElasticsearch
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import ClusterInfo, ConsumerConfig, ConsumerInfo
from nats.js.errors import NotFoundError
from pydantic import BaseModel, Field

from shared import topology
from shared.dead_letters import DeadLetter, dead_letters
from shared.settings import Settings

CONSUMER_PAGE = 256
"""Consumers per page of JetStream's CONSUMER.LIST answer."""
PROBE_TIMEOUT_SECONDS = 3.0
"""How long a server may take to answer before it counts as down."""
ServiceState = Literal["up", "waiting", "down", "unknown"]


class ServerStatus(BaseModel):
    name: str
    up: bool
    detail: str


class StageStatus(BaseModel):
    durable: str
    subjects: list[str]
    service: str | None = Field(description="the service owning the durable (named <service> or <service>-<part>)")
    pending: int = Field(description="in the stream, not yet delivered (num_pending)")
    in_flight: int = Field(description="delivered, not yet acknowledged (num_ack_pending)")
    redelivered: int = Field(description="delivered more than once, not yet acknowledged (num_redelivered)")
    pulling: int = Field(description="open pull requests: workers waiting for work (num_waiting)")
    delivered: int = Field(description="deliveries so far, redeliveries included")
    rate: float | None = Field(description="deliveries per second since the previous sample; null without one")
    dead_letters: int = Field(description="dead letters its service wrote for messages of its subjects")


class ServiceStatus(BaseModel):
    name: str
    state: ServiceState
    detail: str
    waiting_for: dict[str, str] = Field(default_factory=dict, description="dependency → the reason it gave")


class PipelineStatus(BaseModel):
    checked_at: datetime
    servers: list[ServerStatus]
    stages: list[StageStatus]
    services: list[ServiceStatus]
    dead_letters: dict[str, int] | None = Field(description="failed stage → dead letters (null: NATS down)")

    @property
    def all_up(self) -> bool:
        return all(server.up for server in self.servers) and all(s.state == "up" for s in self.services)


@dataclass(frozen=True)
class Sample:
    """Deliveries per durable at one instant (monotonic seconds): the rate is measured against it."""

    taken_at: float
    delivered: dict[str, int]


# --- pure decisions -------------------------------------------------------------------------------------------


def subject_matches(pattern: str, subject: str) -> bool:
    """NATS subject matching: `*` is one token, `>` one or more trailing tokens."""
    wanted, tokens = pattern.split("."), subject.split(".")
    for index, token in enumerate(wanted):
        if token == ">":
            return len(tokens) > index
        if index >= len(tokens) or token not in ("*", tokens[index]):
            return False
    return len(tokens) == len(wanted)


def filter_subjects(config: ConsumerConfig) -> list[str]:
    return list(config.filter_subjects or ([config.filter_subject] if config.filter_subject else []))


def service_of(durable: str, services: tuple[str, ...] = topology.PIPELINE_SERVICES) -> str | None:
    """The service a durable belongs to: `indexer`, `indexer-sections` → indexer; None for anything else."""
    owners = [name for name in services if durable == name or durable.startswith(f"{name}-")]
    return max(owners, key=len, default=None)


def stage_status(info: ConsumerInfo, letters: list[DeadLetter], since: Sample | None, now: float) -> StageStatus:
    subjects, service = filter_subjects(info.config), service_of(info.name)
    delivered = info.delivered.consumer_seq if info.delivered else 0
    rate = None
    if since is not None and info.name in since.delivered and now > since.taken_at:
        rate = max(0, delivered - since.delivered[info.name]) / (now - since.taken_at)  # a recreated durable restarts
    writers = {info.name, service}  # a stage dead-letters as its service; an exhausted delivery as its durable
    dead = sum(
        letter.stage in writers and any(subject_matches(s, letter.original_subject) for s in subjects)
        for letter in letters
    )
    return StageStatus(
        durable=info.name,
        subjects=subjects,
        service=service,
        pending=info.num_pending or 0,
        in_flight=info.num_ack_pending or 0,
        redelivered=info.num_redelivered or 0,
        pulling=info.num_waiting or 0,
        delivered=delivered,
        rate=rate,
        dead_letters=dead,
    )


def service_status(name: str, health: dict[str, Any] | None, stages: list[StageStatus], nats_up: bool) -> ServiceStatus:
    """Waiting (its health file says for what), up (pulling or working), down (nobody pulls), or unknown."""
    waiting_for = {str(k): str(v) for k, v in ((health or {}).get("waiting_for") or {}).items()}
    if waiting_for:
        since = f" since {health['updated_at']}" if health and health.get("updated_at") else ""
        reasons = "; ".join(f"{dependency}: {reason}" for dependency, reason in waiting_for.items())
        return ServiceStatus(name=name, state="waiting", detail=f"waiting{since} — {reasons}", waiting_for=waiting_for)
    if not nats_up:
        return ServiceStatus(name=name, state="unknown", detail="NATS is down: its consumers cannot be seen")
    own = [stage for stage in stages if stage.service == name]
    durables = ", ".join(stage.durable for stage in own)
    if any(stage.pulling for stage in own):
        return ServiceStatus(name=name, state="up", detail=f"pulling from {durables}")
    if in_flight := sum(stage.in_flight for stage in own):
        return ServiceStatus(name=name, state="up", detail=f"working on {in_flight} message(s) of {durables}")
    if not own:
        return ServiceStatus(name=name, state="down", detail="no consumer on the REPORTS stream (never started?)")
    return ServiceStatus(name=name, state="down", detail=f"no worker pulls from {durables}")


def cluster_detail(cluster: ClusterInfo | None) -> str:
    """Which NATS servers hold the REPORTS stream and whether each copy is up to date ('' for one server).

    A killed follower stays listed, no longer current (JetStream marks it offline only much later)."""
    if cluster is None or not cluster.replicas:
        return ""
    followers = [
        f"{peer.name} {'offline' if peer.offline else 'current' if peer.current else 'behind'}"
        for peer in cluster.replicas
    ]
    current = bool(cluster.leader) + sum(bool(peer.current) and not peer.offline for peer in cluster.replicas)
    leader = f"{cluster.leader} leads" if cluster.leader else "no leader"
    copies = f"{current}/{1 + len(cluster.replicas)} copies current"
    return f"stream {topology.STREAM_NAME} {copies}: {leader}, {', '.join(followers)}"


def servers_detail(answering: int, servers: int) -> str:
    """'2/3 servers answer' for a cluster's URL list ('' for one server: the connection says it all)."""
    return f"{answering}/{servers} servers answer" if servers > 1 else ""


def dead_letters_by_stage(letters: list[DeadLetter]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for letter in letters:
        counts[letter.stage] = counts.get(letter.stage, 0) + 1
    return dict(sorted(counts.items()))


# --- gathering (I/O) ------------------------------------------------------------------------------------------


async def _ignore(_: Exception) -> None:
    """nats-py logs every failed connect attempt by default; a down server is reported in the status instead."""


@contextlib.asynccontextmanager
async def nats_connection(servers: list[str]) -> AsyncIterator[tuple[Client | None, ServerStatus]]:
    """A short-lived client of the first server that answers (None when none does) and what it tells."""
    try:
        client = await nats.connect(  # by default the client retries a first connect for 2 min (60 × 2 s)
            servers, name="status", connect_timeout=PROBE_TIMEOUT_SECONDS, allow_reconnect=False,
            max_reconnect_attempts=1, reconnect_time_wait=0.1, error_cb=_ignore,
        )
    except Exception as exc:
        detail = f"{', '.join(servers)}: {type(exc).__name__} {exc}".strip()
        yield None, ServerStatus(name="nats", up=False, detail=detail)
        return
    try:
        version, url = client.connected_server_version, client.connected_url
        where = f"nats://{url.hostname}:{url.port}" if url else "?"  # no credentials in the status
        detail = f"{where}: nats-server {version.major}.{version.minor}.{version.patch}"
        yield client, ServerStatus(name="nats", up=True, detail=detail)
    finally:
        await client.close()


async def answers(url: str) -> bool:
    """The server at `url` accepts a TCP connection within PROBE_TIMEOUT_SECONDS."""
    address = urlparse(url if "://" in url else f"nats://{url}")
    try:
        connecting = asyncio.open_connection(address.hostname, address.port or 4222)
        _, writer = await asyncio.wait_for(connecting, PROBE_TIMEOUT_SECONDS)
    except (OSError, TimeoutError):
        return False
    writer.close()
    return True


async def durable_consumers(js: JetStreamContext) -> list[ConsumerInfo]:
    """Every durable consumer of the REPORTS stream, page by page (ephemeral ones are tools, not stages)."""
    found: list[ConsumerInfo] = []
    while True:
        try:
            page = await js.consumers_info(topology.STREAM_NAME, offset=len(found))
        except NotFoundError:  # no stream yet: nothing has started
            return []
        found += page
        if len(page) < CONSUMER_PAGE:
            return sorted((info for info in found if info.config.durable_name), key=lambda info: info.name)


async def take_sample(settings: Settings) -> Sample | None:
    async with nats_connection(settings.nats_servers) as (client, _):
        if client is None:
            return None
        infos = await durable_consumers(client.jetstream())
        return Sample(time.monotonic(), {info.name: info.delivered.consumer_seq if info.delivered else 0
                                         for info in infos})


async def elasticsearch_status(es: AsyncElasticsearch) -> ServerStatus:
    try:
        health = await es.options(request_timeout=PROBE_TIMEOUT_SECONDS, max_retries=0).cluster.health()
    except Exception as exc:
        return ServerStatus(name="elasticsearch", up=False, detail=f"{type(exc).__name__}: {exc}")
    up = health["status"] in ("green", "yellow")  # yellow: a single node cannot place replicas
    nodes = health["number_of_nodes"]
    detail = f"cluster {health['cluster_name']}: {health['status']}, {nodes} node{'s' if nodes != 1 else ''}"
    return ServerStatus(name="elasticsearch", up=up, detail=detail)


def read_health(directory: Path | None, service: str) -> dict[str, Any] | None:
    if directory is None:
        return None
    try:
        value = json.loads((directory / f"{service}.json").read_text("utf-8"))
    except (OSError, ValueError):  # absent, or unreadable: nothing to say beyond the consumers
        return None
    return value if isinstance(value, dict) else None


async def gather_status(
    settings: Settings, es: AsyncElasticsearch, since: Sample | None
) -> tuple[PipelineStatus, Sample | None]:
    """One status, rates measured against `since`; also the sample the next status measures against."""
    infos: list[ConsumerInfo] = []
    letters: list[DeadLetter] = []
    async with nats_connection(settings.nats_servers) as (client, nats_server):
        if client is not None:
            js = client.jetstream(timeout=PROBE_TIMEOUT_SECONDS)
            try:
                infos, letters = await durable_consumers(js), await dead_letters(js)
                if infos and (cluster := cluster_detail((await js.stream_info(topology.STREAM_NAME)).cluster)):
                    nats_server.detail += f"; {cluster}"
            except Exception as exc:  # connected, but JetStream does not answer
                nats_server = ServerStatus(name="nats", up=False, detail=f"JetStream: {type(exc).__name__} {exc}")
    servers = settings.nats_servers
    if len(servers) > 1:  # one server: the connection above already said whether it answers, no second probe
        answering = sum(await asyncio.gather(*map(answers, servers)))
        nats_server.detail += f"; {servers_detail(answering, len(servers))}"
    now = time.monotonic()
    stages = [stage_status(info, letters, since, now) for info in infos]
    services = [
        service_status(name, read_health(settings.health_dir, name), stages, nats_server.up)
        for name in topology.PIPELINE_SERVICES
    ]
    status = PipelineStatus(
        checked_at=datetime.now(UTC),
        servers=[nats_server, await elasticsearch_status(es)],
        stages=stages,
        services=services,
        dead_letters=dead_letters_by_stage(letters) if nats_server.up else None,
    )
    sample = Sample(now, {stage.durable: stage.delivered for stage in stages}) if nats_server.up else None
    return status, sample


async def pipeline_status(settings: Settings, es: AsyncElasticsearch, interval: float = 1.0) -> PipelineStatus:
    """The status now; with `interval` > 0 the rates come from a first sample taken that long before."""
    baseline = None
    if interval > 0:
        baseline = await take_sample(settings)
        await asyncio.sleep(interval)
    status, _ = await gather_status(settings, es, baseline)
    return status


async def watch_status(settings: Settings, es: AsyncElasticsearch, interval: float) -> AsyncIterator[PipelineStatus]:
    """A status every `interval` seconds, each rate measured since the one before."""
    sample = await take_sample(settings)
    while True:
        await asyncio.sleep(interval)
        status, sample = await gather_status(settings, es, sample)
        yield status
