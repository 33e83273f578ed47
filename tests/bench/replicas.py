"""`python -m tests.bench --replicas 1,2` (`make bench-replicas`): the end-to-end rate with N replicas of every
service, one fresh pipeline (NATS, bucket, index prefix) per N on the same Elasticsearch node.

Each pipeline gets the bench's probe, warm-up and burst (`--reports` dropped at once into the bucket folder);
the figure is the burst's reports/s, first report in to last report announced indexed, with the fault
harness's accounting (lost, duplicated) beside it. On a 2-core machine the CPU stages already share the
cores, so a second replica mainly overlaps I/O waits; the table says what this machine gives.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from services.cli.stack import LocalStack
from tests.bench.results import phase_figures
from tests.bench.runner import Bench, Options
from tests.bench.table import table
from tests.faults.harness import pipeline


def replica_counts(text: str) -> tuple[int, ...]:
    """`1,2` → (1, 2): replicas per service for each run."""
    try:
        counts = tuple(int(part) for part in text.split(","))
    except ValueError:
        counts = ()
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError(f"replica counts must be positive integers, comma-separated: {text!r}")
    return counts


def burst_figures(replicas: int, bench: Bench) -> dict[str, Any]:
    """The burst of one run, with its accounting: what the comparison table shows."""
    burst = next(phase for phase in bench.run.phases if phase.kind == "burst")
    figures = phase_figures(burst)
    accounting = burst.accounting
    return {
        "replicas": replicas,
        **{key: figures[key] for key in ("reports", "seconds", "reports_per_s", "latency_seconds", "cpu_seconds")},
        "lost": accounting.lost if accounting else None,
        "duplicated": accounting.duplicated if accounting else None,
        "dlq_messages": accounting.dlq_messages if accounting else None,
    }


def compare(
    counts: tuple[int, ...], options: Options, tag: str, infra: LocalStack, base: Path, logs: Path,
    service_env: dict[str, str],
) -> list[dict[str, Any]]:
    """One fresh pipeline per replica count, measured in turn (never two at once: they would share the cores)."""
    rows = []
    for replicas in counts:
        print(f"{replicas} replica(s) of every service …", flush=True)
        with pipeline(infra, base, logs, service_env, replicas=replicas) as running:
            bench = Bench(running, options, f"{tag}r{replicas}")
            asyncio.run(bench.measure(burst_only=True))
        rows.append(burst_figures(replicas, bench))
    return rows


def format_comparison(rows: list[dict[str, Any]]) -> str:
    headers = ["replicas per service", "burst reports", "seconds", "reports/s", "latency p50 s", "lost", "duplicated"]
    return table(headers, [
        (row["replicas"], row["reports"], row["seconds"], row["reports_per_s"],
         row["latency_seconds"]["p50"], row["lost"], row["duplicated"])
        for row in rows
    ])
