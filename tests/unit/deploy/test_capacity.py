"""tests.capacity's arithmetic: every figure of a store divided by the reports indexed (docs/scaling.md)."""

from __future__ import annotations

from tests.capacity import per_report


def test_every_store_is_divided_by_the_reports() -> None:
    figures = {
        "stream": {"messages": 30, "bytes": 4_000},
        "subjects": {"reports.raw.v1": {"messages": 10, "data_bytes": 5_000, "header_bytes": 2_380}},
        "object_store": {"reports-raw": {"messages": 21, "bytes": 524_703}},
        "indices": {"govreports-reports-v1": {"docs": 10, "primary_bytes": 1_260_829}},
    }
    assert per_report(figures, 10) == {
        "subjects": {"reports.raw.v1": {"messages": 1.0, "data_bytes": 500.0, "header_bytes": 238.0}},
        "object_store": {"reports-raw": {"messages": 2.1, "bytes": 52_470.3}},
        "indices": {"govreports-reports-v1": {"docs": 1.0, "primary_bytes": 126_082.9}},
        "stream_bytes": 400.0,
    }
