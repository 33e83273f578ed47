"""Node loss on a cluster (issue 10): SIGKILL one NATS server, later one Elasticsearch node holding primaries,
each started again, with reports in flight. Every report must be indexed exactly once with no dead letter, and
both clusters must be whole again: every stream, bucket and consumer replica current, the indices green.

`make faults-cluster` runs it (`python -m tests.faults --cluster`); tests/e2e/test_cluster_node_loss.py runs a
small batch inside `make test`. The clustering itself is NATS's and Elasticsearch's; the test only kills.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Literal

from elasticsearch import ApiError, Elasticsearch, TransportError
from nats.aio.client import Client as NATS
from nats.errors import Error as NatsError
from nats.js.api import ClusterInfo

from services.cli.stack import CLUSTER_SIZE
from shared import topology
from tests.faults.accounting import Tally
from tests.faults.harness import POLL_SECONDS, Pipeline, Scenario, forget, kill, named, run_scenario
from tests.faults.reports import Report

NatsVictim = Literal["stream-leader", "meta-leader", "follower"]
NATS_VICTIMS: tuple[NatsVictim, ...] = ("stream-leader", "meta-leader", "follower")
REPLICATED_STREAMS = (
    topology.STREAM_NAME,
    topology.ADVISORY_STREAM_NAME,
    *(f"OBJ_{bucket}" for bucket in (topology.RAW_BUCKET, topology.INCOMING_BUCKET, topology.TEXT_BUCKET)),
)
"""The streams of the topology (an Object Store bucket is the stream OBJ_<bucket>)."""
RECOVERY_SECONDS = 300.0
"""How long the clusters get to be whole again once the batch settled (replica catch-up, shard recovery)."""


def lagging_replicas(name: str, cluster: ClusterInfo | None, copies: int) -> list[str]:
    """What keeps one replicated asset (stream or consumer) of `copies` copies from being whole: no leader, fewer
    followers than it should have, a follower offline or behind."""
    if cluster is None:
        return [f"{name}: no cluster info"]
    problems = [] if cluster.leader else [f"{name}: no leader"]
    if len(cluster.replicas or []) < copies - 1:
        problems.append(f"{name}: {len(cluster.replicas or [])} of {copies - 1} followers")
    for peer in cluster.replicas or []:
        if peer.offline or not peer.current:
            problems.append(f"{name}: {peer.name} {'offline' if peer.offline else 'not current'}")
    return problems


async def nats_problems(servers: list[str], copies: int = CLUSTER_SIZE) -> list[str]:
    """Every stream and REPORTS consumer whose `copies` replicas are not all current ([] when the cluster is whole)."""
    client = NATS()
    await client.connect(servers)
    try:
        js = client.jetstream(timeout=5)
        problems: list[str] = []
        for stream in REPLICATED_STREAMS:
            problems += lagging_replicas(stream, (await js.stream_info(stream)).cluster, copies)
        for consumer in await js.consumers_info(topology.STREAM_NAME):
            problems += lagging_replicas(f"{topology.STREAM_NAME}/{consumer.name}", consumer.cluster, copies)
        return problems
    except (NatsError, TimeoutError) as exc:  # a leader election in progress: not whole yet
        return [f"JetStream does not answer: {type(exc).__name__} {exc}"]
    finally:
        await client.close()


async def stream_leader(servers: list[str]) -> str:
    client = NATS()
    await client.connect(servers)
    try:
        cluster = (await client.jetstream(timeout=5).stream_info(topology.STREAM_NAME)).cluster
        return cluster.leader if cluster and cluster.leader else ""
    finally:
        await client.close()


def pick_nats_server(pipeline: Pipeline, which: NatsVictim) -> tuple[str, str]:
    """The server to kill and what it was: REPORTS' stream leader, the meta leader, or neither."""
    leader, meta = asyncio.run(stream_leader(pipeline.settings.nats_servers)), pipeline.stack.nats_meta_leader()
    members = [name for name in pipeline.stack.nodes if name.startswith("nats-")]
    if which == "stream-leader":
        name = leader
    elif which == "meta-leader":
        name = meta
    else:
        name = next(member for member in members if member not in (leader, meta))
    roles = [role for role, holder in (("REPORTS leader", leader), ("meta leader", meta)) if holder == name]
    return name, " + ".join(roles) or "follower"


def primary_holder(es: Elasticsearch, prefix: str) -> tuple[str, int]:
    """The Elasticsearch node with the most started primary shards of this run's indices, and how many."""
    shards = es.cat.shards(index=f"{prefix}-*", format="json", h="node,prirep,state")
    primaries = Counter(s["node"] for s in shards if s["prirep"] == "p" and s["state"] == "STARTED")
    return primaries.most_common(1)[0]


def indexed_reports(es: Elasticsearch, pipeline: Pipeline) -> int:
    """Report docs of this run so far, as one shard copy sees them (each refreshes on its own, so two calls may
    disagree a little): a figure for the log and a moment for the second kill; the accounting counts per id."""
    try:
        return int(es.count(index=pipeline.settings.index_alias("reports"))["count"])
    except (ApiError, TransportError):  # the index is not there yet, or its shard is moving
        return 0


def restart(pipeline: Pipeline, infra: bool, name: str, down_seconds: float) -> float:
    """SIGKILL one cluster node, start it again after `down_seconds`; returns how long it took to rejoin."""
    stack = pipeline.infra if infra else pipeline.stack
    process = named(stack, name)
    kill(process)
    forget(stack, process)
    time.sleep(down_seconds)
    started = time.monotonic()
    stack.start_node(name)
    return time.monotonic() - started


def node_loss(which: NatsVictim, down_seconds: float, batch: int) -> Scenario:
    """One NATS server killed and restarted; once half the batch is indexed, one Elasticsearch node with
    primaries killed and restarted (never both at once: each cluster loses one node of three)."""

    def fault(pipeline: Pipeline) -> None:
        with Elasticsearch(pipeline.settings.es_hosts, request_timeout=10) as es:
            name, role = pick_nats_server(pipeline, which)
            at = indexed_reports(es, pipeline)
            rejoined = restart(pipeline, False, name, down_seconds)
            pipeline.events.append(
                f"SIGKILL {name} ({role}) at {at}/{batch} indexed, down {down_seconds:g} s, healthy {rejoined:.1f} s"
                " after restart"
            )
            deadline = time.monotonic() + RECOVERY_SECONDS
            while indexed_reports(es, pipeline) < batch // 2 and time.monotonic() < deadline:
                time.sleep(POLL_SECONDS)
            node, primaries = primary_holder(es, pipeline.settings.es_index_prefix)
            at = indexed_reports(es, pipeline)
            rejoined = restart(pipeline, True, node, down_seconds)
            pipeline.events.append(
                f"SIGKILL {node} (primary of {primaries} shards) at {at}/{batch} indexed, down {down_seconds:g} s,"
                f" rejoined {rejoined:.1f} s after restart"
            )

    # Early: on a quiet machine a small batch would be indexed before the Elasticsearch node goes.
    return Scenario(f"NATS {which}, then ES node killed", fault, fault_at=0.1)


def wait_whole(pipeline: Pipeline, deadline: float) -> list[str]:
    """Poll until both clusters are whole again; what is still not whole at the deadline ([] = whole)."""
    started = time.monotonic()
    with Elasticsearch(pipeline.settings.es_hosts, request_timeout=10) as es:
        while True:
            problems = asyncio.run(nats_problems(pipeline.settings.nats_servers))
            health = es.options(ignore_status=408).cluster.health(wait_for_status="green", timeout="1s")
            if health["status"] != "green":
                problems.append(f"elasticsearch {health['status']}: {health['unassigned_shards']} unassigned shards")
            if not problems:
                pipeline.events.append(f"both clusters whole {time.monotonic() - started:.1f} s after settling")
                return []
            if time.monotonic() > deadline:
                return problems
            time.sleep(POLL_SECONDS)


def run_node_loss(pipeline: Pipeline, scenario: Scenario, reports: list[Report], settle_seconds: float) -> Tally:
    """The fault row, failed also by any dead letter and by a cluster not whole again in RECOVERY_SECONDS."""
    result = run_scenario(pipeline, scenario, reports, settle_seconds)
    result.problems += wait_whole(pipeline, time.monotonic() + RECOVERY_SECONDS)
    result.notes += pipeline.events
    pipeline.events.clear()
    if result.dead_lettered or result.dlq_messages:
        result.problems.append(f"{result.dead_lettered} reports dead-lettered, {result.dlq_messages} dead letters")
    return result
