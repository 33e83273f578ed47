"""The run: every figure from one stack in one go, so they share the machine's state.

Order: a start-up probe (one report: every service is up), the warm-up of the fresh Elasticsearch node
(figure g, reported apart), the in-process ceiling (a) on the burst's own reports, the burst (b), the
fixed feed rates through the bucket folder, then through direct publish (c), the sustained-rate steps (d),
stopping at the first rate whose backlog grows. A phase ends when its every report is announced indexed
(or sits in failed/) and is then accounted in Elasticsearch (lost, duplicated) before the next one starts,
so phases never overlap. The sampler (e, f) runs throughout.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from elasticsearch import Elasticsearch
from nats.aio.client import Client as NATS

from services.ingest.intake import Intake
from tests.bench.announcements import Announcements
from tests.bench.ceiling import measure_ceiling
from tests.bench.feed import direct_intake, drop_files, publish
from tests.bench.figures import Sample, backlog_trend, sustained
from tests.bench.procfs import Usage
from tests.bench.sampler import Sampler
from tests.faults.accounting import Snapshot, Tally, settled, tally
from tests.faults.harness import Pipeline, dead_letters, failed_report_ids, wait_settled
from tests.faults.reports import Report, make_reports

Entry = Literal["bucket", "publish"]
Kind = Literal["probe", "warm-up", "burst", "latency", "sustained"]
POLL_SECONDS = 0.2
ACCOUNTED_MAX = 5000
"""Reports one phase can account for: the fault harness reads them back in one search of up to 2 hits
each, within Elasticsearch's 10,000-hit result window."""


@dataclass(frozen=True)
class Options:
    reports: int  # the burst, and the ceiling's inputs
    warmup: int
    rates: tuple[float, ...]  # fixed feed rates for the latency figures, reports/s
    window_seconds: float  # feed time per fixed rate
    steps: tuple[float, ...]  # rising feed rates for the sustained rate, reports/s
    step_seconds: float  # feed time per step
    corpus: Path | None
    settle_seconds: float  # deadline for one phase's reports to be indexed

    def largest_phase(self) -> int:
        fed = [round(r * self.window_seconds) for r in self.rates] + [round(r * self.step_seconds) for r in self.steps]
        return max([self.reports, self.warmup, *fed])


@dataclass
class Phase:
    kind: Kind
    entry: Entry  # bucket folder, or direct publish (`govreports ingest`)
    rate: float | None  # reports/s fed; None: all at once
    start: float  # seconds since the bench started
    entered: dict[str, float] = field(default_factory=dict)  # report_id → wall clock it entered the pipeline
    indexed: dict[str, float] = field(default_factory=dict)  # report_id → wall clock it was announced indexed
    fed: float = 0.0  # seconds since the bench started: the last report entered
    end: float = 0.0  # … every report indexed or failed
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # per process tree, during the phase
    accounting: Tally | None = None

    @property
    def name(self) -> str:
        if self.kind == "latency":
            return f"{self.entry} {self.rate:g}/s"
        return self.kind if self.rate is None else f"{self.kind} {self.rate:g}/s"


@dataclass
class Run:
    started: float  # wall clock of the bench's time 0
    ceiling: dict[str, float] = field(default_factory=dict)
    phases: list[Phase] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    peak_rss: dict[str, int] = field(default_factory=dict)  # process tree → bytes
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # process tree → over the whole run


class Bench:
    def __init__(self, running: Pipeline, options: Options, tag: str) -> None:
        self.running = running
        self.options = options
        self.tag = tag
        self.announcements = Announcements()
        self.run = Run(started=time.time())

    def now(self) -> float:
        """Seconds since the bench started."""
        return round(time.time() - self.run.started, 3)

    def reports(self, count: int) -> list[Report]:
        """Fresh bytes per phase: no report of one phase duplicates another's."""
        return make_reports(count, f"{self.tag}-{len(self.run.phases)}", self.options.corpus)

    async def measure(self, burst_only: bool = False) -> Run:
        """Every phase; `burst_only`: the probe, the warm-up and the burst (the replica comparison's run)."""
        settings = self.running.settings
        processes = [*self.running.infra.processes, *self.running.stack.processes]
        client = NATS()
        await client.connect(settings.nats_url)
        sampler = Sampler(
            client.jetstream(), settings.incoming_dir, {p.name: p.process.pid for p in processes}, self.run.started
        )
        self.run.samples, self.run.peak_rss = sampler.samples, sampler.peak_rss  # live: the sampler appends
        first = sampler.usage()
        sampling = asyncio.create_task(sampler.run())
        try:
            await self.announcements.listen(client)
            async with direct_intake(settings) as intake:
                await self.phases_in_order(sampler, intake, burst_only)
        finally:
            sampling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sampling
            await client.close()
        self.run.cpu_seconds = cpu_delta(first, sampler.usage())
        return self.run

    async def phases_in_order(self, sampler: Sampler, intake: Intake, burst_only: bool = False) -> None:
        options = self.options
        await self.phase(sampler, intake, "probe", "bucket", self.reports(1), None)
        await self.phase(sampler, intake, "warm-up", "bucket", self.reports(options.warmup), None)
        burst = self.reports(options.reports)
        if burst_only:
            await self.phase(sampler, intake, "burst", "bucket", burst, None)
            return
        self.run.ceiling = await asyncio.to_thread(measure_ceiling, burst)
        await self.phase(sampler, intake, "burst", "bucket", burst, None)
        entries: tuple[Entry, ...] = ("bucket", "publish")
        for entry in entries:
            for per_second in options.rates:
                reports = self.reports(round(per_second * options.window_seconds))
                await self.phase(sampler, intake, "latency", entry, reports, per_second)
        for per_second in options.steps:
            reports = self.reports(round(per_second * options.step_seconds))
            step = await self.phase(sampler, intake, "sustained", "bucket", reports, per_second)
            if not sustained(backlog_trend(self.run.samples, step.start, step.fed), per_second):
                break

    async def phase(
        self, sampler: Sampler, intake: Intake, kind: Kind, entry: Entry, reports: list[Report], rate: float | None
    ) -> Phase:
        before = sampler.usage()
        phase = Phase(kind, entry, rate, self.now())
        self.run.phases.append(phase)
        if entry == "bucket":
            phase.entered = await drop_files(self.running.settings.incoming_dir, reports, rate)
        else:
            phase.entered = await publish(intake, reports, rate)
        phase.fed = self.now()
        await self.until_indexed(set(phase.entered))
        phase.end = self.now()
        phase.indexed = {rid: at for rid, at in self.announcements.indexed_at.items() if rid in phase.entered}
        phase.cpu_seconds = cpu_delta(before, sampler.usage())
        phase.accounting = await self.account(phase.name, set(phase.entered), phase.end - phase.start)
        print(f"  {phase.name}: {len(reports)} reports, {phase.end - phase.start:.1f} s", flush=True)
        return phase

    async def until_indexed(self, sent: set[str]) -> None:
        """Until each report is announced indexed or its bytes sit in failed/; a dead service ends the run."""
        deadline = time.monotonic() + self.options.settle_seconds
        waiting = set(sent)
        while waiting and time.monotonic() < deadline:
            if dead := self.running.stack.dead():
                raise RuntimeError(f"{dead[0].name} exited during the bench; see {dead[0].log_path}")
            waiting -= self.announcements.indexed_at.keys()
            if waiting:
                waiting -= await asyncio.to_thread(failed_report_ids, self.running.settings.failed_dir)
                await asyncio.sleep(POLL_SECONDS)

    async def account(self, name: str, sent: set[str], seconds: float) -> Tally:
        """The fault harness's count of what became of each report: indexed, duplicated, dead-lettered, lost."""

        def observe_settled() -> Snapshot:
            deadline = time.monotonic() + self.options.settle_seconds
            with Elasticsearch(self.running.es_url, request_timeout=30) as es:
                return wait_settled(es, self.running, sent, deadline, lambda snapshot: settled(snapshot, sent))

        snapshot = await asyncio.to_thread(observe_settled)
        snapshot.dead_letters = await dead_letters(self.running.settings.nats_url)
        return tally(name, sent, snapshot, seconds)


def cpu_delta(before: dict[str, Usage], after: dict[str, Usage]) -> dict[str, float]:
    """CPU seconds spent between two readings (0 for a tree that vanished)."""
    return {name: round(max(0.0, after[name].cpu_seconds - before[name].cpu_seconds), 2) for name in after}
