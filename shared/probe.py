"""Kubernetes exec probe of a pipeline service: `python -m shared.probe HEALTH_FILE` (deploy/k8s).

Exit 0 while the service waits for nothing: its health file (`HEALTH_DIR/<service>.json`, rewritten by
shared.runtime.Health whenever a dependency is lost or comes back) says healthy, or was never written (nothing
waited for yet). Exit 1 while it waits for NATS or Elasticsearch, printing what for, so `kubectl describe pod`
shows the reason. Standard library only: the kubelet runs it every few seconds in every pod.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def waiting_for(health_file: Path) -> dict[str, str]:
    """dependency → reason from the health file; empty when healthy, absent or unreadable (nothing to say)."""
    try:
        status = json.loads(health_file.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    waiting = status.get("waiting_for") if isinstance(status, dict) else None
    return {str(k): str(v) for k, v in waiting.items()} if isinstance(waiting, dict) else {}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m shared.probe HEALTH_FILE", file=sys.stderr)
        return 2
    waiting = waiting_for(Path(args[0]))
    for dependency, reason in waiting.items():
        print(f"waiting for {dependency}: {reason}")
    return 1 if waiting else 0


if __name__ == "__main__":
    raise SystemExit(main())
