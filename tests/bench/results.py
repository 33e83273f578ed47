"""bench/results.json: the figures of one run, each with the definition it was measured by.

Pure: built from what the runner recorded, so the table and the chart read only this document.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from tests.bench.figures import (
    backlog_trend,
    latency_summary,
    rate,
    stage_figures,
    sustained,
    within,
)
from tests.bench.runner import Options, Phase, Run

DEFINITIONS = {
    "indexed": "the indexer's reports.indexed.v1 announcement of the report's `metrics` stage (its produced_at):"
    " facts and report summary written to Elasticsearch; searchable within the refresh interval after",
    "latency": "indexed minus entered: bucket = the file renamed into incoming/, publish = the `govreports"
    " ingest` call began (Object Store put, then reports.raw.v1)",
    "burst_rate": "reports / (last indexed - first entered), all dropped at once into incoming/",
    "ceiling": "normalize -> split_sections -> extract_metrics in one process, no broker, no Elasticsearch",
    "backlog": "per durable consumer num_pending + num_ack_pending (read from JetStream every 0.5 s), plus files"
    " waiting in incoming/",
    "sustained": "a feed rate whose total backlog grows by less than 5% of it per second over the second half of"
    " its window; steps stop at the first rate that does not",
    "stage_busy_rate": "messages a consumer finished per second while it had a backlog (its capacity)",
    "cpu_and_rss": "per process tree (a service with its children; Elasticsearch with its launcher), from /proc;"
    " peak RSS sampled every 0.5 s",
    "accounting": "after each phase, Elasticsearch and failed/ read back as in `make faults`: lost = neither"
    " indexed nor in failed/, duplicated = a report or fact doc more than once; complete = every report of"
    " every phase indexed, none duplicated",
}


def feed_rate(phase: Phase) -> float:
    """Reports/s actually fed (a busy machine may fall behind the schedule)."""
    return rate(len(phase.entered) - 1, max(phase.entered.values()) - min(phase.entered.values()))


def latency(phase: Phase) -> dict[str, float]:
    return latency_summary([at - phase.entered[rid] for rid, at in phase.indexed.items()])


def phase_figures(phase: Phase) -> dict[str, Any]:
    first_in = min(phase.entered.values())
    seconds = max(phase.indexed.values(), default=first_in) - first_in
    return {
        "name": phase.name,
        "entry": phase.entry,
        "rate": phase.rate,
        "reports": len(phase.entered),
        "feed_rate": feed_rate(phase) if phase.rate else None,
        "seconds": round(seconds, 2),
        "reports_per_s": rate(len(phase.indexed), seconds),
        "latency_seconds": latency(phase),
        "window": {"start": phase.start, "fed": phase.fed, "end": phase.end},
        "cpu_seconds": phase.cpu_seconds,
    }


def step_figures(run: Run, phase: Phase) -> dict[str, Any]:
    """A sustained-rate step: did the backlog stay flat while it was fed?"""
    assert phase.rate is not None
    trend = backlog_trend(run.samples, phase.start, phase.fed)
    fed = within(run.samples, phase.start, phase.fed)
    return {
        "rate": phase.rate,
        "feed_rate": feed_rate(phase),
        "backlog_trend_per_s": round(trend, 2),
        "backlog_at_end_of_feed": fed[-1].backlog if fed else 0,
        "sustained": sustained(trend, phase.rate),
        "latency_seconds": latency(phase),
    }


def highest_sustained(steps: list[dict[str, Any]]) -> float | None:
    """The last rate of the unbroken run of sustained steps from the lowest (None: not even the first)."""
    highest = None
    for step in steps:
        if not step["sustained"]:
            break
        highest = step["rate"]
    return highest


def process_figures(run: Run, burst: Phase) -> dict[str, dict[str, float]]:
    return {
        name: {
            "cpu_seconds": cpu,
            "cpu_ms_per_report_in_burst": round(1000 * burst.cpu_seconds.get(name, 0.0) / len(burst.entered), 1),
            "peak_rss_mib": round(run.peak_rss.get(name, 0) / 1024**2, 1),
        }
        for name, cpu in run.cpu_seconds.items()
    }


def timeline(run: Run) -> dict[str, Any]:
    """What the chart draws: every sample's backlog per stage, every report's latency by phase."""
    return {
        "phases": [{"name": p.name, "start": p.start, "fed": p.fed, "end": p.end} for p in run.phases],
        "samples": [
            {"t": s.at, "incoming": s.incoming, "backlog": {name: c.backlog for name, c in s.consumers.items()}}
            for s in run.samples
        ],
        "latencies": {  # phase → [entered (s since start), latency (s)] per report
            p.name: [[round(p.entered[r] - run.started, 3), round(at - p.entered[r], 3)] for r, at in p.indexed.items()]
            for p in run.phases
        },
    }


def document(run: Run, options: Options, machine: dict[str, Any], elasticsearch: str) -> dict[str, Any]:
    by_kind: dict[str, list[Phase]] = {}
    for phase in run.phases:
        by_kind.setdefault(phase.kind, []).append(phase)
    probe, warmup, burst = by_kind["probe"][0], by_kind["warm-up"][0], by_kind["burst"][0]
    burst_figures = phase_figures(burst)
    steps = [step_figures(run, p) for p in by_kind.get("sustained", [])]
    accounting = [dataclasses.asdict(p.accounting) for p in run.phases if p.accounting]
    return {
        "machine": machine,
        "options": {
            **{k: v for k, v in dataclasses.asdict(options).items() if k != "corpus"},
            "corpus": options.corpus is not None,
            "elasticsearch": elasticsearch,
        },
        "definitions": DEFINITIONS,
        "ceiling": run.ceiling,
        "warmup": {
            "first_report_seconds": phase_figures(probe)["latency_seconds"]["max"],
            **{k: phase_figures(warmup)[k] for k in ("reports", "seconds", "reports_per_s")},
        },
        "burst": {
            **{k: burst_figures[k] for k in ("reports", "seconds", "reports_per_s", "latency_seconds")},
            "ratio_to_ceiling": round(burst_figures["reports_per_s"] / run.ceiling["reports_per_s"], 3)
            if run.ceiling["reports_per_s"]
            else 0.0,
        },
        "latency": [
            {k: f[k] for k in ("entry", "rate", "feed_rate", "reports", "latency_seconds")}
            for f in map(phase_figures, by_kind.get("latency", []))
        ],
        "sustained": {"steps": steps, "highest_sustained_rate": highest_sustained(steps)},
        "stages": {
            "burst": {
                name: dataclasses.asdict(f) for name, f in stage_figures(run.samples, burst.start, burst.end).items()
            },
            "whole_run": {
                name: dataclasses.asdict(f)
                for name, f in stage_figures(run.samples, 0.0, run.phases[-1].end).items()
            },
        },
        "processes": process_figures(run, burst),
        "accounting": accounting,
        "complete": all(a["indexed"] == a["sent"] and a["duplicated"] == 0 for a in accounting),
        "phases": [phase_figures(p) for p in run.phases],
        "timeline": timeline(run),
    }
