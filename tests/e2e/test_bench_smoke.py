"""`python -m tests.bench --quick` against the real stack (nats-server, Elasticsearch, the five services as
processes): every section of results.json is there with sane figures, and every report was indexed exactly
once. No figure is judged against a speed: speed lives in the benchmark (`make bench-speed`), never in a test.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from services.cli.stack import SERVICES
from tests.bench.__main__ import main
from tests.bench.chart import draw

pytestmark = pytest.mark.e2e

SECTIONS = ("machine", "options", "definitions", "ceiling", "warmup", "burst", "latency", "sustained", "stages",
            "processes", "accounting", "complete", "phases", "timeline")
SIGNED = {"backlog_trend_per_s"}  # a backlog may shrink


@pytest.fixture(scope="module")
def bench(es_url: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict[str, Any]]:
    """One quick run on the session's Elasticsearch node (a fresh one would only add its start-up)."""
    results = tmp_path_factory.mktemp("bench") / "results.json"
    code = main(["--quick", "--es-url", es_url, "--no-chart", "--json", str(results)])
    return code, json.loads(results.read_text("utf-8"))


def numbers(value: Any, path: str = "") -> Iterator[tuple[str, float]]:
    """Every number in the document with its path (booleans are no figures)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from numbers(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from numbers(item, f"{path}[{index}]")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield path, value


def test_every_report_is_indexed_exactly_once(bench: tuple[int, dict[str, Any]]) -> None:
    code, doc = bench
    rows = [(a["fault"], a["sent"], a["indexed"], a["duplicated"], a["lost"]) for a in doc["accounting"]]
    assert rows and all(sent == indexed and (duplicated, lost) == (0, 0) for _, sent, indexed, duplicated, lost in rows)
    assert doc["complete"] and code == 0
    assert [p["reports"] for p in doc["phases"]] == [a["sent"] for a in doc["accounting"]]


def test_every_section_is_there_with_non_negative_figures(bench: tuple[int, dict[str, Any]]) -> None:
    _, doc = bench
    assert [s for s in SECTIONS if s not in doc] == []
    negative = [(path, n) for path, n in numbers(doc) if n < 0 and path.rsplit(".", 1)[-1] not in SIGNED]
    assert negative == []
    assert doc["machine"]["cores"] >= 1 and doc["machine"]["python"]


def test_each_figure_was_measured(bench: tuple[int, dict[str, Any]]) -> None:
    _, doc = bench
    assert doc["ceiling"]["reports"] == 10 and doc["ceiling"]["reports_per_s"] > 0
    assert doc["burst"]["reports_per_s"] > 0 and doc["burst"]["ratio_to_ceiling"] > 0
    assert doc["warmup"]["reports"] == 5 and doc["warmup"]["first_report_seconds"] > 0
    assert [(f["entry"], f["rate"]) for f in doc["latency"]] == [("bucket", 5.0), ("publish", 5.0)]
    for figure in doc["latency"]:
        latency = figure["latency_seconds"]
        assert latency["count"] == figure["reports"] == 10
        assert 0 < latency["p50"] <= latency["p90"] <= latency["p99"] <= latency["max"]
    assert [s["rate"] for s in doc["sustained"]["steps"]] == [10.0]
    assert sum(f["done"] for f in doc["stages"]["burst"].values()) > 0  # the consumers, as JetStream lists them
    assert set(SERVICES) | {"nats"} <= doc["processes"].keys()
    assert all(p["peak_rss_mib"] > 0 for p in doc["processes"].values())
    assert doc["timeline"]["samples"] and len(doc["timeline"]["phases"]) == len(doc["phases"])


def test_the_chart_draws_the_run(bench: tuple[int, dict[str, Any]], tmp_path: Path) -> None:
    chart = tmp_path / "latency.png"
    draw(bench[1], chart)
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
