"""Two ingest replicas on one real NATS server share every source: each file or object is taken by one.

The bucket folder is shared through atomic claims (services/ingest/folders.py), the incoming Object Store
bucket through the durable `ingest-objects`. A file taken twice would show as a `.duplicate.txt` note or a
second failure note; each replica's own count shows that both took part.
"""

from __future__ import annotations

import asyncio
import os
from functools import partial
from pathlib import Path

import pytest
from faststream.nats import NatsBroker
from nats.js.errors import NotFoundError

from services.ingest.intake import Intake, Outcome
from shared import topology
from shared.ids import report_id_for
from shared.settings import Settings
from tests.integration.test_ingest import raw_events_for
from tests.support.ingest import ingest_replica
from tests.support.polling import eventually

pytestmark = pytest.mark.integration

REPORT = "2019年某区政府信息公开工作年度报告\n一、总体情况\n全年受理政府信息公开申请7件。\n".encode()
DEADLINE_SECONDS = 60.0


class CountingIntake(Intake):
    """The real intake, noting the names of the files this replica ingested."""

    def __init__(self, broker: NatsBroker, settings: Settings, taken: list[str]) -> None:
        super().__init__(broker, settings)
        self.taken = taken

    async def ingest_path(self, path: Path, source: str = "bucket", origin: Path | None = None) -> Outcome:
        outcome = await super().ingest_path(path, "bucket", origin)
        if outcome.status != "deferred":
            self.taken.append(path.name)
        return outcome


def folder_settings(nats_url: str, bucket: Path, **extra: object) -> Settings:
    return Settings(NATS_URL=nats_url, BUCKET_DIR=str(bucket), INGEST_STABLE_SECONDS=0.2, **extra)


async def test_two_replicas_on_one_folder_take_each_file_once(nats_url: str, tmp_path: Path, unique: str) -> None:
    settings = folder_settings(nats_url, tmp_path / "bucket")
    count = 40
    first: list[str] = []
    second: list[str] = []
    async with (
        ingest_replica(settings, partial(CountingIntake, taken=first)) as broker,
        ingest_replica(settings, partial(CountingIntake, taken=second)),
    ):
        await eventually(settings.incoming_dir.exists, "incoming/", DEADLINE_SECONDS)
        names = [f"{unique}-{index:03d}.txt" for index in range(count)]
        for index, name in enumerate(names):
            (settings.incoming_dir / name).write_bytes(REPORT + f"{unique}-{index}".encode())
        await eventually(lambda: len(first) + len(second) >= count, "every file to be taken", DEADLINE_SECONDS)
        await asyncio.sleep(0.5)  # room for a second take to show up
        published = [await raw_events_for(Intake(broker, settings), report_id_for(REPORT + f"{unique}-{i}".encode()))
                     for i in range(count)]

    assert sorted(first + second) == names, "a file was taken twice or not at all"
    assert first and second, f"one replica did all the work: {len(first)} / {len(second)}"
    assert published == [1] * count
    assert sorted(path.name for path in settings.processed_dir.iterdir()) == names  # no .duplicate.txt notes
    assert not list(settings.incoming_dir.iterdir()) and not list(settings.claims_dir.iterdir())


async def test_a_claim_left_by_a_dead_replica_is_ingested_after_the_timeout(
    nats_url: str, tmp_path: Path, unique: str
) -> None:
    settings = folder_settings(nats_url, tmp_path / "bucket", INGEST_CLAIM_TIMEOUT_SECONDS=1, INGEST_SCAN_SECONDS=0.5)
    holder = settings.claims_dir / "left-by-a-dead-replica"
    holder.mkdir(parents=True)
    (holder / f"{unique}.txt").write_bytes(REPORT + unique.encode())
    os.utime(holder, (0, 0))  # claimed long ago
    taken: list[str] = []
    async with ingest_replica(settings, partial(CountingIntake, taken=taken)):
        await eventually(
            lambda: (settings.processed_dir / f"{unique}.txt").exists(),
            "the recovered file in processed/",
            DEADLINE_SECONDS,
        )
    assert taken == [f"{unique}.txt"] and not list(settings.claims_dir.iterdir())


async def test_two_replicas_take_each_object_store_put_once(nats_url: str, tmp_path: Path, unique: str) -> None:
    """Empty objects are refused: each replica writes the refusal under its own failed/, so a put taken twice
    would leave two notes. Good objects are published once and every object leaves the bucket."""
    replicas = [folder_settings(nats_url, tmp_path / f"replica-{index}") for index in range(2)]
    refused = [f"{unique}-empty-{index:02d}" for index in range(30)]
    accepted = {f"{unique}-{index:02d}.txt": REPORT + f"{unique}-{index}".encode() for index in range(10)}
    async with ingest_replica(replicas[0]) as broker, ingest_replica(replicas[1]):
        store = await broker.object_storage(topology.INCOMING_BUCKET)
        for name in refused:
            await store.put(f"{name}.txt", b"")
        for name, content in accepted.items():
            await store.put(name, content)

        def notes() -> list[list[str]]:
            return [sorted(path.name for path in r.failed_dir.glob(f"{unique}*.error.txt")) for r in replicas]

        async def bucket_emptied() -> bool:
            try:
                left = await store.list(ignore_deletes=True)
            except NotFoundError:  # no object at all
                return True
            return not [info for info in left if info.name.startswith(unique)]

        await eventually(
            lambda: sum(map(len, notes())) >= len(refused),
            "a failure note per empty object",
            DEADLINE_SECONDS,
        )
        await eventually(bucket_emptied, "every object deleted from the bucket", DEADLINE_SECONDS)
        await asyncio.sleep(0.5)  # room for a second take to show up
        published = [await raw_events_for(Intake(broker, replicas[0]), report_id_for(c)) for c in accepted.values()]

    first, second = notes()
    assert sorted(note.split(".")[0] for note in first + second) == refused, "an object was taken twice"
    assert first and second, f"one replica did all the work: {len(first)} / {len(second)}"
    assert published == [1] * len(accepted)
