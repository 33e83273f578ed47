"""CPU seconds and resident memory of a process and everything under it, read from Linux's /proc.

A service's tree is what it costs: Elasticsearch is a JVM under a bash launcher, the normalizer parses in
a child process. No dependency (psutil is not installed); the stack itself only runs on Linux.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")  # units of the CPU times in /proc/<pid>/stat
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")  # unit of its rss field


@dataclass(frozen=True)
class ProcStat:
    ppid: int
    cpu_ticks: int  # utime + stime, plus cutime + cstime: children that exited and were waited for
    rss_pages: int


@dataclass(frozen=True)
class Usage:
    cpu_seconds: float
    rss_bytes: int


def parse_stat(line: str) -> ProcStat:
    """One /proc/<pid>/stat line; the command name may hold spaces and parentheses, so split after the last ')'."""
    fields = line[line.rindex(")") + 2 :].split()
    # fields[0] is field 3 of proc(5) (state): ppid is field 4, utime..cstime 14..17, rss 24.
    return ProcStat(ppid=int(fields[1]), cpu_ticks=sum(int(f) for f in fields[11:15]), rss_pages=int(fields[21]))


def process_table() -> dict[int, ProcStat]:
    """Every process now (one that exits while being read is skipped)."""
    table = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            try:
                table[int(entry.name)] = parse_stat((entry / "stat").read_text())
            except (OSError, ValueError):
                continue
    return table


def tree_usage(root: int, table: dict[int, ProcStat]) -> Usage:
    """`root` and its descendants. A waited-for child's time sits in its parent's cutime, a live one's in
    its own utime, so nothing is counted twice."""
    children: dict[int, list[int]] = {}
    for pid, stat in table.items():
        children.setdefault(stat.ppid, []).append(pid)
    tree, frontier = [], [root] if root in table else []
    while frontier:
        pid = frontier.pop()
        tree.append(pid)
        frontier += children.get(pid, [])
    return Usage(
        cpu_seconds=sum(table[pid].cpu_ticks for pid in tree) / CLOCK_TICKS,
        rss_bytes=sum(table[pid].rss_pages for pid in tree) * PAGE_BYTES,
    )


def usage_by_name(roots: dict[str, int]) -> dict[str, Usage]:
    """name → usage of that process tree, all from one reading of /proc."""
    table = process_table()
    return {name: tree_usage(pid, table) for name, pid in roots.items()}
