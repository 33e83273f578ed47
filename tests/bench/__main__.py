"""`python -m tests.bench` (`make bench-speed`): the speed of the whole pipeline on this machine.

Starts a fresh Elasticsearch node, nats-server and the five services exactly as `govreports run` does (the
fault harness's LocalStack processes, with the ingest timing of the current settings), feeds distinct
reports made from seeds/, the test fixtures and `--corpus`, prints the tables and writes the results JSON
and the chart. Exits 1 when a report was lost or duplicated.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import shutil
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from services.cli.stack import REPO_ROOT, LocalStack
from shared.settings import Settings
from tests.bench.chart import draw
from tests.bench.machine import describe
from tests.bench.replicas import compare, format_comparison, replica_counts
from tests.bench.results import document
from tests.bench.runner import ACCOUNTED_MAX, Bench, Options
from tests.bench.table import format_results
from tests.faults.harness import elasticsearch, pipeline, workspace

QUICK = {"reports": 10, "warmup": 5, "rates": "5", "window_seconds": 2.0, "steps": "10", "step_seconds": 2.0}
"""A smoke run: every phase, tiny (the e2e smoke test; figures meaningless)."""


def rates(text: str) -> tuple[float, ...]:
    """`5,20` → (5.0, 20.0): reports per second, each above zero."""
    values = tuple(float(v) for v in text.split(",") if v.strip())
    if not values or min(values) <= 0:
        raise argparse.ArgumentTypeError(f"rates must be positive numbers, comma-separated: {text!r}")
    return values


def parser() -> argparse.ArgumentParser:
    parse = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parse.add_argument("--reports", type=int, default=300, help="the burst dropped at once, also the ceiling's inputs")
    parse.add_argument("--warmup", type=int, default=300, help="reports dropped at once on the fresh node first")
    parse.add_argument("--rates", type=rates, default="5,20", help="fixed feed rates for latency, reports/s")
    parse.add_argument("--window-seconds", type=float, default=20.0, help="feed time per fixed rate and entry")
    parse.add_argument("--steps", type=rates, default="5,10,15,20,40,60", help="rising rates for the sustained rate")
    parse.add_argument("--step-seconds", type=float, default=30.0, help="feed time per step")
    parse.add_argument("--quick", action="store_true", help=f"smoke run: {QUICK} unless given")
    parse.add_argument("--corpus", type=Path, help="also draw reports from this corpus (pages and PDFs)")
    parse.add_argument("--es-url", help="use this Elasticsearch node (not fresh: warm-up and its process unmeasured)")
    parse.add_argument("--settle-seconds", type=float, default=600, help="deadline per phase, seconds")
    parse.add_argument("--json", type=Path, default=REPO_ROOT / "bench" / "results.json")
    parse.add_argument("--chart", type=Path, default=REPO_ROOT / "bench" / "latency.png")
    parse.add_argument("--no-chart", action="store_true", help="skip the PNG (no matplotlib needed)")
    parse.add_argument(
        "--replicas", type=replica_counts, help="instead: burst rate with N replicas of every service, e.g. 1,2 "
        "(writes replicas.json beside --json)"
    )
    return parse


def parse_options(argv: list[str] | None) -> tuple[argparse.Namespace, Options]:
    parse = parser()
    if parse.parse_known_args(argv)[0].quick:
        parse.set_defaults(**QUICK)  # explicit flags still win
    args = parse.parse_args(argv)
    options = Options(
        reports=args.reports, warmup=args.warmup, rates=args.rates, window_seconds=args.window_seconds,
        steps=args.steps, step_seconds=args.step_seconds, corpus=args.corpus, settle_seconds=args.settle_seconds,
    )
    if min(options.reports, options.warmup) < 1:
        parse.error("--reports and --warmup must be at least 1")
    if options.largest_phase() > ACCOUNTED_MAX:
        parse.error(f"a phase of {options.largest_phase()} reports: at most {ACCOUNTED_MAX} can be accounted")
    if not args.no_chart:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            parse.error("matplotlib is missing: pip install -e '.[test]' (make install does), or --no-chart")
    return args, options


@contextlib.contextmanager
def elasticsearch_node(url: str | None, base: Path, logs: Path) -> Iterator[LocalStack]:
    """A fresh node of our own, as `govreports run` starts it; or the one at `url` (its process unmeasured)."""
    if url is None:
        with elasticsearch(base, logs) as infra:
            yield infra
    else:
        yield LocalStack(data_dir=base / "infra", log_dir=logs / "infra", env={"ES_URL": url})


def main(argv: list[str] | None = None) -> int:
    args, options = parse_options(argv)
    tag = uuid.uuid4().hex[:8]
    # The services read the same settings `govreports run` gives them; the harness's own shorter
    # stability wait (for fault runs) must not make the bench faster than a user's pipeline.
    service_env = {"ES_INDEX_PREFIX": f"bench{tag}", "INGEST_STABLE_SECONDS": str(Settings().ingest_stable_seconds)}
    base, logs = workspace("run", harness="bench")
    machine = describe()
    print(f"speed benchmark: logs in {logs.relative_to(REPO_ROOT)}", flush=True)
    if args.replicas:
        return compare_replicas(args, options, tag, service_env, (base, logs), machine)
    try:
        with elasticsearch_node(args.es_url, base, logs) as infra, pipeline(infra, base, logs, service_env) as running:
            run = asyncio.run(Bench(running, options, tag).measure())
    finally:
        shutil.rmtree(base, ignore_errors=True)
    results = document(run, options, machine, args.es_url or "a fresh node started by the bench")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(format_results(results))
    print(f"\nwrote {args.json}")
    if not args.no_chart:
        draw(results, args.chart)
        print(f"wrote {args.chart}")
    return 0 if results["complete"] else 1


def compare_replicas(
    args: argparse.Namespace, options: Options, tag: str, service_env: dict[str, str],
    workspace_dirs: tuple[Path, Path], machine: dict[str, Any],
) -> int:
    """The `--replicas` run: its table and replicas.json; exits 1 when a report was lost or duplicated."""
    base, logs = workspace_dirs
    try:
        with elasticsearch_node(args.es_url, base, logs) as infra:
            rows = compare(args.replicas, options, tag, infra, base, logs, service_env)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    target = args.json.with_name("replicas.json")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"machine": machine, "runs": rows}, ensure_ascii=False, indent=1), "utf-8")
    print(format_comparison(rows))
    print(f"\nwrote {target}")
    return 0 if all(row["lost"] == 0 and row["duplicated"] == 0 for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
