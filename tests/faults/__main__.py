"""`python -m tests.faults` (`make faults`): every fault of issue 8 against the real pipeline, one row each.
`--cluster` (`make faults-cluster`): node loss on a 3-node NATS and a 3-node Elasticsearch cluster (issue 10).

Exits 1 when any report was lost or duplicated (or, on the cluster, dead-lettered, or a cluster stayed broken);
the rows also go to test-output/faults.json (faults-cluster.json).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import sys
import uuid
from pathlib import Path

from services.cli.stack import REPO_ROOT
from tests.faults.accounting import Tally
from tests.faults.cluster import NATS_VICTIMS, node_loss, run_node_loss
from tests.faults.harness import elasticsearch, pipeline, run_scenario, scenarios, workspace
from tests.faults.reports import make_reports

COLUMNS = ("fault", "sent", "indexed", "duplicated", "dead_lettered", "lost", "seconds", "dlq_messages")


def format_row(values: list[str]) -> str:
    return f"| {values[0]:<40} | " + " | ".join(f"{v:>13}" for v in values[1:]) + " |"


def header() -> str:
    return format_row([c.replace("_", "-") for c in COLUMNS]) + "\n" + format_row(["-" * 40] + ["-" * 13] * 7)


def row(result: Tally) -> str:
    line = format_row([str(getattr(result, c)) for c in COLUMNS])
    notes = result.notes + [f"FAILED: {problem}" for problem in result.problems]
    return line + (f"  {'; '.join(notes)}" if notes else "")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.faults", description=__doc__)
    parser.add_argument("--reports", type=int, default=int(os.environ.get("FAULT_REPORTS", "200")),
                        help="reports per fault (env FAULT_REPORTS, default 200)")
    parser.add_argument("--corpus", type=Path, help="also draw reports from this corpus (pages and PDFs)")
    parser.add_argument("--long", action="store_true", default=os.environ.get("FAULT_LONG") == "1",
                        help="add the 5-minute Elasticsearch and NATS outages (env FAULT_LONG=1)")
    parser.add_argument("--only", action="append", default=[], help="run faults whose name contains this")
    parser.add_argument("--settle-seconds", type=float, default=600, help="deadline per wait, seconds")
    parser.add_argument("--cluster", action="store_true",
                        help="node loss on a 3-node NATS and a 3-node Elasticsearch cluster instead of the table")
    parser.add_argument("--nats-node", choices=NATS_VICTIMS, default="stream-leader",
                        help="with --cluster: the NATS server to kill (default: the REPORTS stream leader)")
    parser.add_argument("--down-seconds", type=float, default=5, help="with --cluster: each node's time down")
    parser.add_argument("--json", type=Path, help="default test-output/faults.json (faults-cluster.json)")
    args = parser.parse_args(argv)
    args.json = args.json or REPO_ROOT / "test-output" / ("faults-cluster.json" if args.cluster else "faults.json")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.cluster:
        chosen = [node_loss(args.nats_node, args.down_seconds, args.reports)]
        run = run_node_loss
    else:
        chosen = [s for s in scenarios(args.long) if not args.only or any(o in s.name for o in args.only)]
        run = run_scenario
    base, logs = workspace("make-cluster" if args.cluster else "make")
    tag = uuid.uuid4().hex[:8]
    results: list[Tally] = []
    print(f"{len(chosen)} faults × {args.reports} reports; logs in {logs.relative_to(REPO_ROOT)}", flush=True)
    print(header(), flush=True)
    try:
        with elasticsearch(base, logs, args.cluster) as infra:
            for number, scenario in enumerate(chosen):
                # Fresh report bytes per fault: one run's ids never meet another's in the shared node.
                reports = make_reports(args.reports, f"{tag}-{number}", args.corpus)
                with pipeline(infra, base, logs, cluster=args.cluster) as running:
                    results.append(run(running, scenario, reports, args.settle_seconds))
                print(row(results[-1]), flush=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)
        args.json.parent.mkdir(parents=True, exist_ok=True)
        document = {"reports": args.reports, "faults": [dataclasses.asdict(r) for r in results]}
        args.json.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    failing = [r.fault for r in results if not r.ok]
    print(f"\n{len(failing)} of {len(results)} faults failed" + (f": {failing}" if failing else ""))
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
