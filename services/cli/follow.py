"""`govreports follow`: a downstream subscriber of reports.metrics.v1 — the example to copy.

It reads the stream REPORTS through a durable pull consumer of its own (`--durable`, default follow-<login>):
the server remembers which events that durable acknowledged, so a restart resumes after the last one. Each
event is printed first and acknowledged after, so nothing is skipped; an event fetched but not printed when
Ctrl-C arrives is handed back (nak) for the next start. A durable that is new starts at the oldest event the
stream keeps (90 days). The filters run here, on the MetricsReport: the subject carries no region or year to
filter on in the server. Only nats-py and the contract model are needed.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import re
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO, get_args

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NothingNew
from pydantic import ValidationError

from shared import topology
from shared.messages import MetricFact, MetricsReport
from shared.messages.v1 import AdminLevel
from shared.settings import Settings

FETCH_BATCH = 100
"""Events asked for per pull request."""
FETCH_WAIT_SECONDS = 1.0
"""How long one pull request waits for new events: also the longest Ctrl-C takes to stop follow."""

Render = Callable[[MetricsReport, MetricFact], str]


@dataclass(frozen=True)
class Filters:
    """Which facts to print; an empty tuple lets every value through."""

    keys: tuple[str, ...] = ()
    """Metric keys, or their prefixes up to a dot: `requests.outcome` matches requests.outcome.denied.total."""
    regions: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    admin_levels: tuple[str, ...] = ()
    years: tuple[int, ...] = ()

    def facts(self, report: MetricsReport) -> list[MetricFact]:
        meta = report.metadata
        wanted = (
            (self.regions, meta.region),
            (self.provinces, meta.province),
            (self.admin_levels, meta.admin_level),
            (self.years, meta.year),
        )
        if any(values and value not in values for values, value in wanted):
            return []
        return [fact for fact in report.metrics if not self.keys or any(key_matches(k, fact.key) for k in self.keys)]


def key_matches(wanted: str, key: str) -> bool:
    return key == wanted or key.startswith(f"{wanted}.")


def table_line(report: MetricsReport, fact: MetricFact) -> str:
    meta = report.metadata
    return (
        f"{meta.year or '-'}  {meta.region or '-'}  {fact.key:<40}  {fact.applicant}  {fact.value:>10} {fact.unit}"
        f"  {fact.period}  {report.report_id[:12]}"
    )


def json_line(report: MetricsReport, fact: MetricFact) -> str:
    """One fact with the report's identity and facets: what a consumer usually stores per row."""
    meta = report.metadata
    where = {
        "report_id": report.report_id,
        "event_id": report.event_id,
        "year": meta.year,
        "region": meta.region,
        "province": meta.province,
        "adcode": meta.adcode,
        "admin_level": meta.admin_level,
    }
    return json.dumps(where | fact.model_dump(mode="json"), ensure_ascii=False)


async def follow(
    client: Client, durable: str, filters: Filters, render: Render, out: TextIO, stop: asyncio.Event
) -> None:
    """Print the matching facts of every event the durable has not acknowledged yet, until `stop` is set."""
    # Created on first use (deliver all, explicit acks), found again by name on every later start.
    events = await client.jetstream().pull_subscribe(topology.METRICS, durable=durable, stream=topology.STREAM_NAME)
    while not stop.is_set():
        try:
            batch = await events.fetch(FETCH_BATCH, timeout=FETCH_WAIT_SECONDS)
        except NothingNew:
            continue
        for event in batch:
            if stop.is_set():
                await event.nak()  # fetched, not shown: redelivered at once to the next start
            else:
                await show(event, filters, render, out)


async def show(event: Msg, filters: Filters, render: Render, out: TextIO) -> None:
    try:
        report = MetricsReport.model_validate_json(event.data)
    except ValidationError as exc:
        print(f"follow: skipped an event that is no MetricsReport: {exc.error_count()} error(s)", file=sys.stderr)
        await event.term()  # never again: it would fail the same way
        return
    for fact in filters.facts(report):
        print(render(report, fact), file=out)
    out.flush()
    await event.ack_sync()  # confirmed by the server: a restart never shows this event again


def default_durable() -> str:
    """follow-<login>: each person keeps a position of their own (a shared durable splits the events)."""
    return "follow-" + re.sub(r"[^A-Za-z0-9_-]", "_", getpass.getuser())  # no '.', '*', '>' in a durable name


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--durable", default=None, help="consumer name (default follow-<login>): the same name resumes")
    parser.add_argument("--key", action="append", default=[], help="metric key or prefix, e.g. requests.outcome")
    parser.add_argument("--region", action="append", default=[], help="e.g. 博尔塔拉蒙古自治州")
    parser.add_argument("--province", action="append", default=[], help="e.g. 新疆维吾尔自治区")
    parser.add_argument("--admin-level", action="append", default=[], choices=get_args(AdminLevel))
    parser.add_argument("--year", action="append", default=[], type=int, help="the year a report covers")
    parser.add_argument("--json", action="store_true", help="one JSON object per fact instead of a table line")


def command(args: argparse.Namespace) -> int:
    filters = Filters(
        tuple(args.key), tuple(args.region), tuple(args.province), tuple(args.admin_level), tuple(args.year)
    )
    render = json_line if args.json else table_line
    return asyncio.run(run(Settings().nats_servers, args.durable or default_durable(), filters, render))


async def run(nats_servers: list[str], durable: str, filters: Filters, render: Render) -> int:
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):  # Ctrl-C ends the loop; the connection is closed below
        asyncio.get_running_loop().add_signal_handler(signum, stop.set)
    client = await nats.connect(nats_servers, name=durable)
    try:
        await follow(client, durable, filters, render, sys.stdout, stop)
    finally:
        # flush: the last naks reach the server before the close. Not drain(): draining the pull subscription
        # can wait out its whole timeout on a busy machine, and nothing here needs delivering any more.
        await client.flush()
        await client.close()
    return 0
