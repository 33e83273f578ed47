"""A real 3-node NATS JetStream cluster (LocalStack.start_nats_cluster, as `govreports run --cluster` starts it):
the services' topology reconcile gives every stream, bucket and consumer three copies, and publishing carries on
through the loss of the stream's leader, exactly once, with `govreports status` telling which server is gone."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import nats
import pytest
from elasticsearch import AsyncElasticsearch
from nats.aio.client import Client
from nats.errors import Error as NatsError

from services.cli.stack import CLUSTER_SIZE, LocalStack, free_port
from shared import topology
from shared.runtime import ensure_topology
from shared.settings import Settings
from shared.status import ServerStatus, gather_status
from tests.faults.cluster import REPLICATED_STREAMS, nats_problems, stream_leader
from tests.faults.harness import forget, kill, named
from tests.support.servers import new_stack

pytestmark = pytest.mark.integration

CATCH_UP_SECONDS = 60.0
MESSAGES = 20


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    stack = new_stack(tmp_path_factory.mktemp("nats-cluster"))
    try:
        stack.start_nats_cluster(CLUSTER_SIZE)
        yield stack
    finally:
        stack.stop()


def cluster_settings(stack: LocalStack) -> Settings:
    return Settings(NATS_URL=stack.env["NATS_URL"], NATS_REPLICAS=CLUSTER_SIZE, HEALTH_DIR=None)


async def until_whole(servers: list[str]) -> None:
    """Replicas catch up in the background: poll with a deadline until nothing lags."""
    deadline = time.monotonic() + CATCH_UP_SECONDS
    while problems := await nats_problems(servers):
        assert time.monotonic() < deadline, problems
        await asyncio.sleep(0.5)


async def publish_exactly_once(client: Client, subject: str, number: int) -> None:
    """What a stage does while the stream elects a new leader: retry the same Nats-Msg-Id until acknowledged."""
    deadline = time.monotonic() + CATCH_UP_SECONDS
    while True:
        try:
            await client.jetstream(timeout=2).publish(subject, b"{}", headers={"Nats-Msg-Id": f"{subject}-{number}"})
            return
        except (NatsError, TimeoutError):
            assert time.monotonic() < deadline, f"message {number} not accepted in {CATCH_UP_SECONDS:g} s"
            await asyncio.sleep(0.2)


async def status_saying(settings: Settings, es: AsyncElasticsearch, words: str) -> ServerStatus:
    """The NATS line of `govreports status` once JetStream answers and it says `words` (while the cluster
    elects new leaders, JetStream may time out)."""
    deadline = time.monotonic() + CATCH_UP_SECONDS
    while True:
        status, _ = await gather_status(settings, es, None)
        if status.servers[0].up and words in status.servers[0].detail:
            return status.servers[0]
        assert time.monotonic() < deadline, status.servers[0]
        await asyncio.sleep(0.5)


async def test_reconcile_gives_every_stream_bucket_and_consumer_three_copies(cluster: LocalStack, unique: str) -> None:
    settings = cluster_settings(cluster)
    client = await nats.connect(settings.nats_servers)
    try:
        await ensure_topology(client)  # as the CLI or a test declares it first: one copy each
        js = client.jetstream()
        await js.pull_subscribe(f"reports.{unique}.v1", durable=f"test-{unique}", stream=topology.STREAM_NAME)
        await ensure_topology(client, settings)  # a service start with NATS_REPLICAS=3
        for stream in REPLICATED_STREAMS:
            assert (await js.stream_info(stream)).config.num_replicas == CLUSTER_SIZE, stream
        await until_whole(settings.nats_servers)
        consumer = await js.consumer_info(topology.STREAM_NAME, f"test-{unique}")
        assert consumer.cluster is not None and len(consumer.cluster.replicas or []) == CLUSTER_SIZE - 1
    finally:
        await client.close()


async def test_publishing_survives_the_stream_leaders_loss_exactly_once(cluster: LocalStack, unique: str) -> None:
    settings = cluster_settings(cluster)
    subject = f"reports.loss-{unique}.v1"
    es = AsyncElasticsearch(f"http://127.0.0.1:{free_port()}")  # nobody there: the status is about NATS here
    client = await nats.connect(settings.nats_servers, max_reconnect_attempts=-1, reconnect_time_wait=0.2)
    try:
        await ensure_topology(client, settings)
        await client.jetstream().pull_subscribe(subject, durable=f"test-{unique}", stream=topology.STREAM_NAME)
        await until_whole(settings.nats_servers)
        victim = await stream_leader(settings.nats_servers)
        for number in range(MESSAGES // 2):
            await publish_exactly_once(client, subject, number)
        process = named(cluster, victim)
        kill(process)
        forget(cluster, process)
        for number in range(MESSAGES):  # the first half again: the dedup window drops them
            await publish_exactly_once(client, subject, number)
        degraded = await status_saying(settings, es, f"{CLUSTER_SIZE - 1}/{CLUSTER_SIZE} servers answer")
        assert f"{victim} current" not in degraded.detail

        await asyncio.to_thread(cluster.start_node, victim)
        await until_whole(settings.nats_servers)
        info = await client.jetstream().stream_info(topology.STREAM_NAME, subjects_filter=subject)
        assert info.state.subjects == {subject: MESSAGES}
        whole = await status_saying(settings, es, f"{CLUSTER_SIZE}/{CLUSTER_SIZE} copies current")
        assert f"{CLUSTER_SIZE}/{CLUSTER_SIZE} servers answer" in whole.detail
    finally:
        await client.close()
        await es.close()

