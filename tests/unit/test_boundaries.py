"""The clock half of "transforms are pure", which import-linter cannot say.

`make lint` forbids transforms the `time` module, but they legitimately import `datetime` for the types of
timestamps handed to them (`produced_at`, `indexed_at`). So: no code a transform can reach — the module and
everything it imports inside services/ and shared/ — reads the clock; the runtime passes the time in.
"""

from __future__ import annotations

import ast
import importlib.util
from collections.abc import Iterator

import grimp
import pytest

CLOCK_READS = {"now", "utcnow", "today", "time", "time_ns", "monotonic", "monotonic_ns", "perf_counter"}
"""datetime.now/utcnow/today, date.today, time.time/… — called as attributes (`from time import …` is linted)."""
GRAPH = grimp.build_graph("services", "shared")
TRANSFORMS = sorted(m for m in GRAPH.modules if m.startswith("services.") and m.rsplit(".", 1)[-1] == "transform")


def clock_reads(source: str) -> Iterator[str]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CLOCK_READS:
            yield f"line {node.lineno}: {ast.unparse(node)}"


def test_every_service_has_a_transform_to_check() -> None:
    assert {"services.normalizer.transform", "services.indexer.transform"} <= set(TRANSFORMS)


@pytest.mark.parametrize("transform", TRANSFORMS)
def test_no_code_a_transform_reaches_reads_the_clock(transform: str) -> None:
    reached = sorted(GRAPH.find_upstream_modules(transform) | {transform})
    found = {}
    for module in reached:
        spec = importlib.util.find_spec(module)
        assert spec is not None and spec.origin is not None
        with open(spec.origin, encoding="utf-8") as source:
            if reads := list(clock_reads(source.read())):
                found[module] = reads
    assert not found, f"{transform} reaches clock reads: {found}"


def test_the_scan_finds_clock_reads() -> None:
    code = "from datetime import UTC, datetime\nstamp = datetime.now(UTC)\nday = date.today()\nt = time.monotonic()"
    assert len(list(clock_reads(code))) == 3
    assert list(clock_reads("when = datetime.fromisoformat(text)")) == []
