"""What a result was measured on: figures from another machine or another commit are not comparable."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from services.cli.stack import REPO_ROOT


def cpu_model(cpuinfo: str) -> str:
    """The first `model name` of /proc/cpuinfo (else the platform's processor string)."""
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name":
            return value.strip()
    return platform.processor() or "unknown"


def memory_bytes(meminfo: str) -> int:
    """MemTotal of /proc/meminfo (given in KiB)."""
    for line in meminfo.splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024
    return 0


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, check=False).stdout.strip()


def describe() -> dict[str, Any]:
    """CPU model, cores, RAM, Python, git revision (dirty: uncommitted changes were measured too), date, load."""
    return {
        "cpu_model": cpu_model(_read("/proc/cpuinfo")),
        "cores": os.cpu_count(),
        "ram_gib": round(memory_bytes(_read("/proc/meminfo")) / 1024**3, 1),
        "python": platform.python_version(),
        "os": platform.platform(),
        "git_rev": git("rev-parse", "--short=12", "HEAD") or "unknown",
        "git_dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average_at_start": [round(load, 2) for load in os.getloadavg()],
    }


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""
