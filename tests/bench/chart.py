"""bench/latency.png: each report's latency and every stage's backlog over the run, phases shaded.

Drawn from the results document alone. matplotlib comes with the `bench` extra (`make bench-speed`
installs it); it is imported here only, so the rest of the bench runs without it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

SHADES = ("#f2f2f2", "#ffffff")


def draw(doc: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    from matplotlib import pyplot

    line = doc["timeline"]
    figure, (latency, backlog) = pyplot.subplots(2, 1, sharex=True, figsize=(13, 8), constrained_layout=True)
    for number, phase in enumerate(line["phases"]):
        for axes in (latency, backlog):
            axes.axvspan(phase["start"], phase["end"], color=SHADES[number % 2], zorder=0)
            axes.axvline(phase["start"], color="#bbbbbb", linewidth=0.5, zorder=0)
        latency.annotate(phase["name"], (phase["start"], 1.0), xycoords=("data", "axes fraction"), rotation=90,
                         va="top", fontsize=7, color="#555555")
        points = line["latencies"].get(phase["name"], [])
        if points:
            latency.scatter([t for t, _ in points], [s for _, s in points], s=4)
    latency.set_ylabel("entered → indexed (s)")
    latency.set_title(f"govreports speed · {doc['machine']['git_rev']} · {doc['machine']['date']}")

    samples = line["samples"]
    times = [s["t"] for s in samples]
    for name in sorted({name for s in samples for name in s["backlog"]}):
        backlog.plot(times, [s["backlog"].get(name, 0) for s in samples], label=name, linewidth=1)
    backlog.plot(times, [s["incoming"] for s in samples], label="incoming/ files", linewidth=1, linestyle="--")
    backlog.set_ylabel("backlog (pending + in flight)")
    backlog.set_xlabel("seconds since the bench started")
    backlog.legend(loc="upper left", fontsize=8)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)
    pyplot.close(figure)
