"""The bucket watcher against a real JetStream server: growing files wait, bursts are all taken, once each."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from nats.aio.msg import Msg

from services.ingest.intake import Intake
from services.ingest.watcher import watch_bucket
from shared import topology
from shared.runtime import build_broker, ensure_topology
from shared.settings import Settings

pytestmark = pytest.mark.integration

REPORT = "2018年某县政府信息公开工作年度报告\n一、概述\n全县受理政府信息公开申请12件。\n".encode()


class Published:
    """reports.raw.v1 events of this test's files (by file name), as the watcher publishes them."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.events: list[dict] = []
        self.arrived = asyncio.Condition()

    async def on_raw(self, msg: Msg) -> None:
        event = json.loads(msg.data)
        if event.get("filename", "").startswith(self.prefix):
            async with self.arrived:
                self.events.append(event)
                self.arrived.notify_all()

    async def wait_for(self, count: int, timeout: float = 60) -> list[dict]:
        async with self.arrived:
            await asyncio.wait_for(self.arrived.wait_for(lambda: len(self.events) >= count), timeout)
        return self.events


@contextlib.asynccontextmanager
async def watching(nats_url: str, bucket: Path, prefix: str, stable_seconds: float) -> AsyncIterator[Published]:
    """The watcher running on `bucket` with a real Intake; yields the events of files named `prefix*`."""
    settings = Settings(NATS_URL=nats_url, BUCKET_DIR=str(bucket), INGEST_STABLE_SECONDS=stable_seconds)
    broker = build_broker(settings, "ingest")
    await broker.connect()
    await ensure_topology(broker.connection)
    published = Published(prefix)
    subscription = await broker.connection.subscribe(topology.RAW, cb=published.on_raw)
    task = asyncio.create_task(watch_bucket(Intake(broker, settings), settings))
    try:
        while not settings.incoming_dir.exists():
            await asyncio.sleep(0.01)
        yield published
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await subscription.unsubscribe()
        await broker.stop()


async def test_a_growing_file_is_published_once_it_is_complete(nats_url: str, tmp_path: Path, unique: str) -> None:
    """Appends every 50 ms for 1.5 s while the window is 1 s: no look pair ever sees it unchanged."""
    bucket = tmp_path / "bucket"
    async with watching(nats_url, bucket, unique, stable_seconds=1.0) as published:
        path = bucket / "incoming" / f"{unique}.txt"
        content = REPORT + unique.encode()
        with path.open("wb") as handle:
            for index in range(30):
                handle.write(f"{index}\n".encode())
                handle.flush()
                await asyncio.sleep(0.05)
            handle.write(content)
        complete = path.read_bytes()
        events = await published.wait_for(1)  # a partial publication would come first
        # The event reaches this subscriber before the watcher has its publish ack and moves the file:
        # leaving the context now would cancel the watcher in between, so wait for the move while it runs.
        processed = bucket / "processed" / f"{unique}.txt"
        async with asyncio.timeout(30):
            while not processed.exists():
                await asyncio.sleep(0.02)
    assert [event["size"] for event in events] == [len(complete)]
    assert processed.read_bytes() == complete


async def test_a_burst_of_files_is_all_published_once(nats_url: str, tmp_path: Path, unique: str) -> None:
    bucket = tmp_path / "bucket"
    count = 60
    async with watching(nats_url, bucket, unique, stable_seconds=0.2) as published:
        for index in range(count):
            (bucket / "incoming" / f"{unique}-{index:03d}.txt").write_bytes(REPORT + f"{unique}-{index}".encode())
        events = await published.wait_for(count)
        await asyncio.sleep(0.5)  # room for a duplicate to show up
    names = [event["filename"] for event in events]
    assert sorted(names) == [f"{unique}-{index:03d}.txt" for index in range(count)]
    assert len({event["report_id"] for event in events}) == count
    assert sorted(path.name for path in (bucket / "processed").iterdir()) == sorted(names)
    assert not list((bucket / "incoming").iterdir())
