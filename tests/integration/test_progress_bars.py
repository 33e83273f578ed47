"""`govreports ingest --progress` and replay's progress against real servers: the bar counts the work, and
stdout keeps exactly the lines it printed before (scripts and tests read them)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import nats
import pytest
from elasticsearch import AsyncElasticsearch
from nats.js.api import DeliverPolicy

from services.cli import main
from services.cli.replay import replay
from shared import topology
from shared.settings import Settings
from tests.integration import test_replay_swap as replay_scene

pytestmark = pytest.mark.integration
world = replay_scene.world  # the replay test's settings + NATS client fixture


async def test_ingest_prints_one_line_per_file_and_the_bar_on_stderr(
    nats_url: str, tmp_path: Path, unique: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, content in {"a.txt": f"报告甲 {unique}", "b.txt": f"报告乙 {unique}", "empty.txt": " "}.items():
        (folder / name).write_text(content, encoding="utf-8")
    monkeypatch.setenv("NATS_URL", nats_url)
    capsys.readouterr()

    code = await asyncio.to_thread(main, ["ingest", "--progress", str(folder)])

    out, err = capsys.readouterr()
    lines = [line for line in out.splitlines() if not line.startswith("20")]  # structlog lines carry a timestamp
    assert [re.sub(r"report_id=\w+", "report_id=…", line) for line in lines] == [
        f"ingested  {folder / 'a.txt'}  report_id=…",
        f"ingested  {folder / 'b.txt'}  report_id=…",
        f"rejected  {folder / 'empty.txt'}: empty.txt is empty (1 bytes): nothing to extract",
    ]
    assert code == 2 and "ingesting" in err and "3/3" in err


async def test_replay_reports_how_many_reports_are_answered(
    es: AsyncElasticsearch, world: tuple[Settings, nats.NATS], unique: str
) -> None:
    settings, client = world
    stored = {await replay_scene.store_raw(client, f"progress {unique} {index}".encode()) for index in range(3)}
    pipeline = replay_scene.FakePipeline(client, doomed="")
    answers = await client.jetstream().subscribe(
        topology.RAW, ordered_consumer=True, deliver_policy=DeliverPolicy.NEW, cb=pipeline.on_raw
    )
    seen: list[tuple[int, int]] = []
    try:
        result = await replay(es, settings, timeout=30, on_progress=lambda done, total: seen.append((done, total)))
    finally:
        await answers.unsubscribe()
    total = result.replayed  # every report of the session's raw bucket, these three among them
    assert result.swapped and total >= len(stored)
    assert seen[-1] == (total, total) and all(now[1] == total for now in seen)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)  # only ever forward
