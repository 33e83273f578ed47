"""`govreports status`: draws the pipeline's status (shared/status.py gathers it; the search API serves the
same model at GET /api/status) once, or live with --watch."""

from __future__ import annotations

import asyncio

from elasticsearch import AsyncElasticsearch
from rich.console import Console, Group
from rich.live import Live
from rich.table import Table
from rich.text import Text

from shared.settings import Settings
from shared.status import PipelineStatus, ServiceState, pipeline_status, watch_status

STATE_STYLES = {"up": "green", "waiting": "yellow", "down": "bold red", "unknown": "dim"}


def _state(state: ServiceState) -> Text:
    return Text(state, style=STATE_STYLES[state])


def _rate(rate: float | None) -> str:
    return "–" if rate is None else f"{rate:.1f}"


def render(status: PipelineStatus) -> Group:
    """The servers and services, one row per stage, and the dead letters by failed stage."""
    health = Table(title=f"govreports status at {status.checked_at:%Y-%m-%d %H:%M:%S} UTC", title_justify="left")
    for column in ("", "state", "detail"):
        health.add_column(column)
    for server in status.servers:
        health.add_row(server.name, _state("up" if server.up else "down"), server.detail)
    for service in status.services:
        health.add_row(service.name, _state(service.state), service.detail)

    stages = Table(title="stages (durable consumers of the REPORTS stream)", title_justify="left")
    stages.add_column("consumer")
    stages.add_column("subjects")
    for column in ("pending", "in flight", "redelivered", "rate/s", "dead letters"):
        stages.add_column(column, justify="right")
    for stage in status.stages:
        stages.add_row(
            stage.durable, ", ".join(stage.subjects), str(stage.pending), str(stage.in_flight),
            str(stage.redelivered), _rate(stage.rate), str(stage.dead_letters),
        )
    if status.dead_letters is None:
        letters = Text("stages and dead letters unknown: NATS does not answer", style="bold red")
    elif status.dead_letters:
        counts = ", ".join(f"{stage} {count}" for stage, count in status.dead_letters.items())
        letters = Text(f"dead letters by failed stage: {counts} (govreports dlq list)", style="yellow")
    else:
        letters = Text("no dead letters")
    return Group(health, stages, letters)


def console() -> Console:
    """Colours on a terminal; piped, a width that keeps one stage per line."""
    terminal = Console()
    return terminal if terminal.is_terminal else Console(width=200)


async def run(settings: Settings, es: AsyncElasticsearch, as_json: bool, watch: bool, interval: float) -> int:
    """The `status` subcommand: exit 1 when a server or service is not up (the last status, when watching)."""
    if not watch:
        status = await pipeline_status(settings, es, interval)
        if as_json:
            print(status.model_dump_json(indent=1))
        else:
            console().print(render(status))
        return 0 if status.all_up else 1
    last: PipelineStatus | None = None
    if as_json:  # one JSON document per line
        async for last in watch_status(settings, es, interval):
            print(last.model_dump_json(), flush=True)
    else:
        with Live(console=console(), auto_refresh=False) as screen:
            async for last in watch_status(settings, es, interval):
                screen.update(render(last), refresh=True)
    return 0 if last is None or last.all_up else 1


def command(as_json: bool, watch: bool, interval: float) -> int:
    from shared.elastic import elasticsearch_client

    async def main() -> int:
        settings = Settings()
        async with elasticsearch_client(settings) as es:
            return await run(settings, es, as_json, watch, interval)

    try:
        return asyncio.run(main())
    except KeyboardInterrupt:  # the way out of --watch
        return 0 if watch else 130

