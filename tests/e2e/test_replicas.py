"""Two replicas of every pipeline service as real processes on real NATS and Elasticsearch share the work.

40 distinct reports enter through the three ingest sources at once (bucket folder, the incoming Object Store
bucket, S3 notifications from moto's server). Each must be indexed once with no duplicate side effect: one
event per report on each reports.*.v1 subject, no duplicate documents (the fault harness's accounting), no
dead letter, no message left on any durable, nothing left in the folder or the bucket; and each replica's log
shows it took part.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch
from nats.aio.client import Client as NATS
from nats.js.errors import NotFoundError

from services.cli.stack import LocalStack, replica_names, wait_until
from shared import topology
from tests.faults.accounting import Tally, settled, tally
from tests.faults.harness import Pipeline, dead_letters, drop, pipeline, until_drained, wait_settled, workspace
from tests.faults.reports import Report, make_reports
from tests.support.s3 import S3_CREDENTIALS, minio_notification, moto_server, s3_client
from tests.support.servers import jetstream_connection

pytestmark = pytest.mark.e2e

REPLICAS = 2
FOLDER, OBJECT_STORE, S3 = 24, 8, 8
"""Reports per ingest source: 40 in all."""
STAGE_SUBJECTS = (topology.RAW, topology.NORMALIZED, topology.SECTIONED, topology.METRICS)
SETTLE_SECONDS = 600.0
STARTUP_SECONDS = 300.0
STARTED = "FastStream app started successfully"
NOT_WORK = (topology.DLQ_ALL, topology.MAX_DELIVERIES_ADVISORIES)
"""Subjects every replica subscribes to beside its stage's input: messages there are no share of the work."""


@pytest.fixture(scope="module")
def replicated(es_url: str) -> Iterator[tuple[Pipeline, str]]:
    """(two replicas of every service, the moto S3 endpoint they ingest from)."""
    base, logs = workspace("replicas", harness="e2e")
    infra = LocalStack(data_dir=base / "infra", log_dir=logs / "infra", env={"ES_URL": es_url})
    with moto_server() as s3_url:
        s3_env = {"S3_ENDPOINT_URL": s3_url, "S3_DELETE_AFTER_INGEST": "true", **S3_CREDENTIALS}
        with pipeline(infra, base, logs, s3_env, quiet_seconds=90, replicas=REPLICAS) as running:
            until_consuming(running.stack)
            yield running, s3_url


def until_consuming(stack: LocalStack) -> None:
    """Until every replica consumes: a batch stage still starting would leave the whole backlog to the
    first one up (the indexer takes up to INDEX_BATCH_SIZE messages per fetch)."""
    services = [process for process in stack.processes if process.name != "nats"]
    wait_until(
        lambda: all(STARTED in process.log_path.read_text("utf-8") for process in services),
        STARTUP_SECONDS,
        "every replica started",
        lambda: not stack.dead(),
    )


async def put_objects(nats_url: str, reports: list[Report]) -> None:
    """What any NATS client does: put files into the incoming Object Store bucket."""
    async with jetstream_connection(nats_url) as client:  # the services may still be declaring the bucket
        store = await client.jetstream().object_store(topology.INCOMING_BUCKET)
        for report in reports:
            await store.put(report.name, report.content)


async def put_s3(nats_url: str, s3_url: str, bucket: str, reports: list[Report]) -> None:
    """Upload to S3, then announce each object on NATS as MinIO's bucket notification does."""
    s3 = s3_client(s3_url)
    await asyncio.to_thread(s3.create_bucket, Bucket=bucket)
    async with jetstream_connection(nats_url) as client:
        for report in reports:
            await asyncio.to_thread(s3.put_object, Bucket=bucket, Key=report.name, Body=report.content)
            notification = minio_notification(bucket, report.name, len(report.content))
            await client.jetstream().publish("reports.s3.events", notification, stream=topology.STREAM_NAME)


async def stage_events(nats_url: str) -> Counter[tuple[str, str]]:
    """(subject, report_id) → events in the stream, read with an ephemeral consumer (no durable's state)."""
    client = NATS()
    await client.connect(nats_url)
    counts: Counter[tuple[str, str]] = Counter()
    try:
        for subject in STAGE_SUBJECTS:
            subscription = await client.jetstream().pull_subscribe(subject, stream=topology.STREAM_NAME)
            while True:
                try:
                    batch = await subscription.fetch(256, timeout=1)
                except TimeoutError:
                    break
                counts.update((subject, json.loads(msg.data)["report_id"]) for msg in batch)
            await subscription.unsubscribe()
    finally:
        await client.close()
    return counts


async def objects_left(nats_url: str) -> list[str]:
    client = NATS()
    await client.connect(nats_url)
    try:
        store = await client.jetstream().object_store(topology.INCOMING_BUCKET)
        try:
            return [info.name for info in await store.list(ignore_deletes=True)]
        except NotFoundError:  # an empty bucket
            return []
    finally:
        await client.close()


def work_done(log: Path) -> int:
    """Inputs a replica handled, from its JSON log: consumed messages of its stage and folder files it ingested."""
    done = 0
    for line in log.read_text("utf-8").splitlines():
        try:
            record = json.loads(line)
        except ValueError:  # Elasticsearch client lines are plain text
            continue
        if not isinstance(record, dict):
            continue
        subject = (record.get("extra") or {}).get("subject")
        consumed = record.get("event") == "Processed" and subject not in NOT_WORK
        done += consumed or (record.get("event") == "ingested" and record.get("source") == "bucket")
    return done


def test_two_replicas_of_every_stage_index_each_report_once(replicated: tuple[Pipeline, str]) -> None:
    running, s3_url = replicated
    settings = running.settings
    reports = make_reports(FOLDER + OBJECT_STORE + S3, f"replicas-{uuid.uuid4().hex[:8]}")
    folder, objects, s3 = reports[:FOLDER], reports[FOLDER:-S3], reports[-S3:]
    sent = {report.report_id for report in reports}
    started = time.monotonic()

    drop(settings.incoming_dir, folder, same_names=False)
    asyncio.run(put_objects(settings.nats_url, objects))
    asyncio.run(put_s3(settings.nats_url, s3_url, f"reports-{uuid.uuid4().hex[:8]}", s3))
    with Elasticsearch(settings.es_hosts, request_timeout=30) as es:
        snapshot = wait_settled(es, running, sent, started + SETTLE_SECONDS, lambda s: settled(s, sent))
    undrained = asyncio.run(until_drained(settings.nats_servers, time.monotonic() + SETTLE_SECONDS))
    snapshot.dead_letters = asyncio.run(dead_letters(settings.nats_servers))
    result: Tally = tally("two replicas of every stage", sent, snapshot, time.monotonic() - started)
    events = asyncio.run(stage_events(settings.nats_url))

    assert not running.stack.dead(), [process.name for process in running.stack.dead()]
    assert not undrained, f"messages never handled: {undrained}"
    assert (result.indexed, result.duplicated, result.lost, result.dlq_messages) == (len(sent), 0, 0, 0), result
    for subject in STAGE_SUBJECTS:
        assert {report_id: events[subject, report_id] for report_id in sent} == dict.fromkeys(sent, 1), subject
    assert not list(settings.incoming_dir.rglob("*")) and not list(settings.claims_dir.iterdir())
    assert asyncio.run(objects_left(settings.nats_url)) == []
    shares = {
        name: work_done(process.log_path)
        for process in running.stack.processes
        if (name := process.name) != "nats"
    }
    for service in topology.PIPELINE_SERVICES:
        replicas = {name: shares[name] for name in replica_names(service, REPLICAS)}
        assert all(replicas.values()), f"a replica of {service} did nothing: {replicas}"
