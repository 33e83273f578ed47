"""The bench's arithmetic, pure: percentiles, rates, backlog trend and per-stage figures from the samples.

Kept apart from the runs so each figure's definition is tested without servers (test_figures.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from shared import topology

FLAT_SLOPE_FRACTION = 0.05
"""A feed rate is sustained when the backlog grows by less than 5% of it (reports/s) over the window's
second half: fewer than 1 report in 20 piles up. The first half is left out, where the pipeline fills."""


@dataclass(frozen=True)
class ConsumerState:
    """One durable consumer at one instant (JetStream's consumer info)."""

    pending: int  # num_pending: in the stream, not yet delivered
    in_flight: int  # num_ack_pending: delivered, not yet acknowledged
    done: int  # delivered.consumer_seq - num_ack_pending: finished (acked, or terminated)

    @property
    def backlog(self) -> int:
        return self.pending + self.in_flight


DOWNSTREAM = frozenset({topology.CROSS_YEAR})
"""Consumers of reports.metrics.v1 besides the indexer: after the index, not on the way to it."""


@dataclass(frozen=True)
class Sample:
    at: float  # seconds since the bench started
    consumers: dict[str, ConsumerState]
    incoming: int  # files waiting in bucket/incoming/ (the watcher's backlog, before any consumer)

    @property
    def backlog(self) -> int:
        """What still stands between a dropped report and search: downstream consumers' backlogs are left
        out (shown per stage) — a lagging subscriber does not delay indexing."""
        return self.incoming + sum(s.backlog for name, s in self.consumers.items() if name not in DOWNSTREAM)


@dataclass(frozen=True)
class StageFigures:
    done: int  # messages finished in the window
    busy_seconds: float  # time it had a backlog
    busy_rate: float  # messages/s while it had a backlog: what the stage can do, not what it was fed
    peak_backlog: int
    peak_pending: int


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest rank: p99 of 100 values is the 99th smallest, an observed value (no interpolation)."""
    if not values:
        raise ValueError("percentile of nothing")
    ordered = sorted(values)
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


def latency_summary(latencies: Sequence[float]) -> dict[str, float]:
    """Seconds: p50, p90, p99 and max (zeros when nothing was measured, with count 0)."""
    if not latencies:
        return {"count": 0, "p50": 0.0, "p90": 0.0, "p99": 0.0, "max": 0.0}
    figures = {name: percentile(latencies, q) for name, q in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99))}
    return {"count": len(latencies), **{k: round(v, 3) for k, v in figures.items()}, "max": round(max(latencies), 3)}


def rate(count: int, seconds: float) -> float:
    """Per second, 0 for an empty or instantaneous interval."""
    return round(count / seconds, 2) if count and seconds > 0 else 0.0


def slope(points: Sequence[tuple[float, float]]) -> float:
    """Least-squares slope of y over x (0 for fewer than two distinct x)."""
    if len(points) < 2:
        return 0.0
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else 0.0


def within(samples: Sequence[Sample], start: float, end: float) -> list[Sample]:
    return [s for s in samples if start <= s.at <= end]


def backlog_trend(samples: Sequence[Sample], start: float, end: float) -> float:
    """Reports/s the total backlog grew by over the second half of [start, end]."""
    return slope([(s.at, s.backlog) for s in within(samples, (start + end) / 2, end)])


def sustained(trend: float, feed_rate: float) -> bool:
    return trend < FLAT_SLOPE_FRACTION * feed_rate


def stage_figures(samples: Sequence[Sample], start: float, end: float) -> dict[str, StageFigures]:
    """Per durable consumer over [start, end]: work done, and its rate while it had something to do."""
    window = within(samples, start, end)
    names = sorted({name for sample in window for name in sample.consumers})
    figures = {}
    for name in names:
        states = [(s.at, s.consumers[name]) for s in window if name in s.consumers]
        done = busy_done = 0
        busy_seconds = 0.0
        for (at, state), (next_at, following) in pairwise(states):
            finished = max(0, following.done - state.done)
            done += finished
            if state.backlog or following.backlog:
                busy_done += finished
                busy_seconds += next_at - at
        figures[name] = StageFigures(
            done=done,
            busy_seconds=round(busy_seconds, 2),
            busy_rate=rate(busy_done, busy_seconds),
            peak_backlog=max((state.backlog for _, state in states), default=0),
            peak_pending=max((state.pending for _, state in states), default=0),
        )
    return figures
