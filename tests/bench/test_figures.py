"""The bench's definitions, without servers: percentiles, backlog trend, sustained, per-stage rates."""

from __future__ import annotations

import pytest

from shared import topology
from tests.bench.figures import (
    ConsumerState,
    Sample,
    backlog_trend,
    latency_summary,
    percentile,
    rate,
    slope,
    stage_figures,
    sustained,
)


def sample(at: float, incoming: int = 0, **consumers: tuple[int, int, int]) -> Sample:
    return Sample(at, {name: ConsumerState(*state) for name, state in consumers.items()}, incoming)


def test_percentile_is_an_observed_value_by_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert (percentile(values, 0.5), percentile(values, 0.9), percentile(values, 0.99)) == (50.0, 90.0, 99.0)
    assert percentile([3.0, 1.0, 2.0], 0.99) == 3.0
    with pytest.raises(ValueError):
        percentile([], 0.5)


def test_latency_summary_of_nothing_measured_is_zero_with_count_zero() -> None:
    assert latency_summary([]) == {"count": 0, "p50": 0.0, "p90": 0.0, "p99": 0.0, "max": 0.0}
    assert latency_summary([0.2, 0.4]) == {"count": 2, "p50": 0.2, "p90": 0.4, "p99": 0.4, "max": 0.4}


def test_rate_is_zero_for_an_instant_or_nothing() -> None:
    assert (rate(10, 2.0), rate(0, 2.0), rate(5, 0.0)) == (5.0, 0.0, 0.0)


def test_slope_is_least_squares() -> None:
    assert slope([(0, 1), (1, 3), (2, 5)]) == pytest.approx(2.0)
    assert slope([(1, 4)]) == 0.0
    assert slope([(1, 4), (1, 9)]) == 0.0


def test_backlog_trend_reads_only_the_second_half_where_the_pipeline_has_filled() -> None:
    filling = [sample(t, incoming=10 * t) for t in range(5)]  # 0..4 s: +10/s while the pipeline fills
    steady = [sample(t, incoming=40 + (t % 2)) for t in range(5, 11)]  # 5..10 s: flat, with batching noise
    samples = filling + steady
    assert backlog_trend(samples, 0, 10) == pytest.approx(0.0, abs=0.2)
    assert sustained(backlog_trend(samples, 0, 10), feed_rate=20)
    growing = [sample(t, a=(3 * t, 1, 0)) for t in range(11)]
    assert backlog_trend(growing, 0, 10) == pytest.approx(3.0)
    assert not sustained(3.0, feed_rate=20)  # 3/s of 20/s pile up: 15% > 5%


def test_backlog_counts_pending_in_flight_and_incoming_files() -> None:
    assert sample(0, incoming=2, a=(3, 1, 9), b=(0, 4, 1)).backlog == 2 + 3 + 1 + 0 + 4


def test_a_downstream_subscribers_backlog_is_not_on_the_way_to_search() -> None:
    consumers = {"indexer": ConsumerState(5, 1, 0), topology.CROSS_YEAR: ConsumerState(900, 1, 0)}
    assert Sample(0, consumers, incoming=1).backlog == 1 + 5 + 1


def test_stage_rate_counts_only_the_time_the_stage_had_work() -> None:
    samples = [
        sample(0, a=(4, 1, 0), b=(0, 0, 0)),
        sample(1, a=(2, 1, 2), b=(0, 0, 0)),
        sample(2, a=(0, 1, 4), b=(0, 0, 0)),
        sample(3, a=(0, 0, 5), b=(0, 0, 0)),
        sample(4, a=(0, 0, 5), b=(0, 0, 0)),  # idle: no work done, no busy time
        sample(9, a=(0, 0, 5)),  # outside the window
    ]
    figures = stage_figures(samples, 0, 4)
    a, b = figures["a"], figures["b"]
    assert (a.done, a.busy_seconds, a.busy_rate, a.peak_backlog, a.peak_pending) == (5, 3.0, 1.67, 5, 4)
    assert (b.done, b.busy_seconds, b.busy_rate, b.peak_backlog) == (0, 0.0, 0.0, 0)


def test_a_consumer_that_appears_mid_run_is_measured_from_its_first_sample() -> None:
    samples = [sample(0), sample(1, batch=(2, 0, 0)), sample(2, batch=(0, 0, 2))]
    assert stage_figures(samples, 0, 2)["batch"].done == 2
