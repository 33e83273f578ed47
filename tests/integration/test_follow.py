"""`govreports follow` on a real nats-server: its durable resumes after a restart, every event shown once.

The stream is shared with the session's other tests, so each test's reports carry a region of their own and
follow filters on it; other events are acknowledged without a line. A run ends once it has written the lines
the test waits for (no sleep); `asyncio.timeout` only bounds a run that would otherwise wait forever.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import signal
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from nats.aio.client import Client

from services.cli.follow import Filters, follow, json_line
from shared import topology
from shared.messages import MetricFact, MetricsReport, ReportMetadata
from tests.support.servers import jetstream_connection

pytestmark = pytest.mark.integration

DEADLINE_SECONDS = 60


class LinesUntil(io.StringIO):
    """What follow prints; sets `stop` once `count` lines are written (follow flushes after each event)."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count
        self.stop = asyncio.Event()

    def flush(self) -> None:
        if len(self.getvalue().splitlines()) >= self.count:
            self.stop.set()


def metrics_report(unique: str, number: int, region: str, year: int = 2020, level: str = "city") -> MetricsReport:
    facts = [
        MetricFact(
            key=key, value=number, value_base=number, unit="件", source="text", evidence=f"{number}件", start=0, end=2
        )
        for key in ("requests.new", "requests.outcome.denied.total")
    ]
    return MetricsReport(
        report_id=f"follow-{unique}-{number}",
        event_id=f"follow-{unique}-{number}",
        produced_by="metric-extractor",
        produced_at=datetime.now(UTC),
        filename=f"{number}.txt",
        extractor_version="1.0.0",
        metadata=ReportMetadata(region=region, province="甘肃省", admin_level=level, year=year),
        metrics=facts,
    )


@pytest.fixture
async def client(nats_url: str) -> AsyncIterator[Client]:
    async with jetstream_connection(nats_url) as connection:
        yield connection


async def publish(client: Client, reports: list[MetricsReport]) -> None:
    for report in reports:
        await client.jetstream().publish(
            topology.METRICS,
            report.model_dump_json().encode(),
            stream=topology.STREAM_NAME,
            headers={"Nats-Msg-Id": report.event_id},
        )


async def run_follow(client: Client, durable: str, filters: Filters, lines: int) -> list[dict[str, object]]:
    out = LinesUntil(lines)
    async with asyncio.timeout(DEADLINE_SECONDS):
        await follow(client, durable, filters, json_line, out, out.stop)
    return [json.loads(line) for line in out.getvalue().splitlines()]


async def test_every_event_is_shown_once_across_a_restart(client: Client, unique: str) -> None:
    region, durable = f"测试州{unique}", f"follow-test-{unique}"
    only_ours = Filters(regions=(region,))
    await publish(client, [metrics_report(unique, n, region) for n in range(6)])

    first = await run_follow(client, durable, only_ours, lines=3 * 2)  # stops after 3 reports (2 facts each)
    await publish(client, [metrics_report(unique, n, region) for n in range(6, 10)])
    second = await run_follow(client, durable, only_ours, lines=(3 + 4) * 2)  # the 3 handed back + 4 new

    shown = [line["report_id"] for line in first + second]
    assert sorted(shown) == sorted(f"follow-{unique}-{n}" for n in range(10) for _ in range(2))
    assert [line["report_id"] for line in first][::2] == [f"follow-{unique}-{n}" for n in range(3)]
    consumer = await client.jetstream().consumer_info(topology.STREAM_NAME, durable)
    assert consumer.num_pending == 0 and consumer.num_ack_pending == 0  # nothing left that could repeat


async def test_filters_choose_the_facts(client: Client, unique: str) -> None:
    region, elsewhere = f"测试州{unique}", f"别州{unique}"
    await publish(
        client,
        [
            metrics_report(unique, 1, elsewhere),  # other region
            metrics_report(unique, 2, region, year=2019),  # other year
            metrics_report(unique, 3, region, level="county"),  # other admin level
            metrics_report(unique, 4, region),
            metrics_report(unique, 5, region),  # last in the stream: every earlier event was decided before it
        ],
    )
    wanted = Filters(
        keys=("requests.outcome",), regions=(region,), provinces=("甘肃省",), admin_levels=("city",), years=(2020,)
    )
    lines = await run_follow(client, f"follow-test-{unique}", wanted, lines=2)
    assert [(line["report_id"], line["key"]) for line in lines] == [
        (f"follow-{unique}-{n}", "requests.outcome.denied.total") for n in (4, 5)
    ]


async def test_the_command_prints_json_lines_and_stops_cleanly_on_ctrl_c(
    client: Client, nats_url: str, unique: str
) -> None:
    region = f"测试州{unique}"
    await publish(client, [metrics_report(unique, n, region) for n in range(2)])
    command = [
        sys.executable,
        "-c",
        "import sys; from services.cli import main; sys.exit(main())",
        "follow",
        "--json",
        "--region",
        region,
        "--key",
        "requests.new",
        "--durable",
        f"follow-test-{unique}",
    ]
    process = await asyncio.create_subprocess_exec(
        *command,
        env=os.environ | {"NATS_URL": nats_url},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(DEADLINE_SECONDS):
        assert process.stdout is not None
        lines = [json.loads(await process.stdout.readline()) for _ in range(2)]
        process.send_signal(signal.SIGINT)
        _, errors = await process.communicate()
    assert process.returncode == 0 and not errors, errors.decode()
    assert [(line["report_id"], line["key"], line["value"]) for line in lines] == [
        (f"follow-{unique}-{n}", "requests.new", n) for n in range(2)
    ]
