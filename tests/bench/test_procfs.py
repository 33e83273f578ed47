"""Reading /proc: a process tree's CPU and memory, counted once."""

from __future__ import annotations

import os

from tests.bench.procfs import CLOCK_TICKS, PAGE_BYTES, ProcStat, parse_stat, process_table, tree_usage

# proc(5) fields 1..24 (pid, comm, state, ppid, …, utime 14, stime 15, cutime 16, cstime 17, …, rss 24)
STAT = "4242 (python3 -m (x) y) S 17 4242 4242 0 -1 4194304 100 0 0 0 250 50 7 3 20 0 3 0 100 1000 321 0"


def test_stat_line_with_spaces_and_parentheses_in_the_command() -> None:
    assert parse_stat(STAT) == ProcStat(ppid=17, cpu_ticks=250 + 50 + 7 + 3, rss_pages=321)


def test_tree_adds_descendants_and_leaves_out_the_rest() -> None:
    table = {
        10: ProcStat(ppid=1, cpu_ticks=CLOCK_TICKS, rss_pages=1),
        11: ProcStat(ppid=10, cpu_ticks=2 * CLOCK_TICKS, rss_pages=2),
        12: ProcStat(ppid=11, cpu_ticks=3 * CLOCK_TICKS, rss_pages=4),
        20: ProcStat(ppid=1, cpu_ticks=100 * CLOCK_TICKS, rss_pages=100),
    }
    usage = tree_usage(10, table)
    assert (usage.cpu_seconds, usage.rss_bytes) == (6.0, 7 * PAGE_BYTES)
    assert tree_usage(99, table).cpu_seconds == 0.0  # gone


def test_this_process_is_in_the_table_with_its_parent() -> None:
    assert process_table()[os.getpid()].ppid == os.getppid()
