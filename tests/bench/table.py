"""The printed tables of one run, read from its results document only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A Markdown table: first column left-aligned, the figures right-aligned."""
    cells = [[str(h) for h in headers], *([str(c) for c in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        first, *rest = row
        figures = (cell.rjust(width) for cell, width in zip(rest, widths[1:], strict=True))
        return "| " + " | ".join([first.ljust(widths[0]), *figures]) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])


def machine_line(machine: dict[str, Any]) -> str:
    dirty = " + uncommitted changes" if machine["git_dirty"] else ""
    return (
        f"{machine['cpu_model']} · {machine['cores']} cores · {machine['ram_gib']} GiB RAM · Python {machine['python']}"
        f" · git {machine['git_rev']}{dirty} · {machine['date']} · load at start {machine['load_average_at_start']}"
    )


def headline(doc: dict[str, Any]) -> str:
    ceiling, warmup, burst, steps = doc["ceiling"], doc["warmup"], doc["burst"], doc["sustained"]["steps"]
    highest = doc["sustained"]["highest_sustained_rate"]
    tried = ", ".join(f"{s['rate']:g}/s {'flat' if s['sustained'] else 'growing'}" for s in steps)
    cpu = f"CPU per report p50 {ceiling['cpu_ms_p50']} ms, max {ceiling['cpu_ms_max']} ms"
    rows = [
        ("in-process ceiling (normalize → split → extract)", f"{ceiling['reports_per_s']} reports/s · {cpu}"),
        ("first report after the services started", f"{warmup['first_report_seconds']} s"),
        (f"warm-up: {warmup['reports']} at once, fresh Elasticsearch", f"{warmup['reports_per_s']} reports/s"),
        (f"burst: {burst['reports']} dropped at once",
         f"{burst['reports_per_s']} reports/s = {burst['ratio_to_ceiling']} × ceiling"),
        ("highest sustained rate (bucket folder)", f"{'none' if highest is None else f'{highest:g}/s'} ({tried})"),
    ]
    return table(("figure", "measured"), rows)


def latencies(doc: dict[str, Any]) -> str:
    rows = [
        (f"{'drop' if f['entry'] == 'bucket' else 'publish'} → indexed", f"{f['rate']:g}/s", f["feed_rate"],
         f["reports"], *(f["latency_seconds"][k] for k in ("p50", "p90", "p99", "max")))
        for f in doc["latency"]
    ]
    return table(("latency (s)", "rate", "fed/s", "reports", "p50", "p90", "p99", "max"), rows)


def steps(doc: dict[str, Any]) -> str:
    rows = [
        (f"{s['rate']:g}/s", s["feed_rate"], s["backlog_trend_per_s"], s["backlog_at_end_of_feed"],
         "yes" if s["sustained"] else "no", s["latency_seconds"]["p99"])
        for s in doc["sustained"]["steps"]
    ]
    return table(("sustained step", "fed/s", "backlog +/s", "backlog at end", "flat", "p99 s"), rows)


def stages(doc: dict[str, Any]) -> str:
    rows = [
        (name, f["done"], f["busy_seconds"], f["busy_rate"], f["peak_backlog"], f["peak_pending"])
        for name, f in doc["stages"]["burst"].items()
    ]
    return table(("consumer (burst)", "done", "busy s", "busy rate/s", "peak backlog", "peak pending"), rows)


def processes(doc: dict[str, Any]) -> str:
    rows = [
        (name, f["cpu_seconds"], f["cpu_ms_per_report_in_burst"], f["peak_rss_mib"])
        for name, f in doc["processes"].items()
    ]
    return table(("process tree", "CPU s (run)", "CPU ms/report (burst)", "peak RSS MiB"), rows)


def accounting(doc: dict[str, Any]) -> str:
    columns = ("sent", "indexed", "duplicated", "dead_lettered", "lost", "seconds")
    rows = [(a["fault"], *(a[c] for c in columns)) for a in doc["accounting"]]
    return table(("phase", *(c.replace("_", "-") for c in columns)), rows)


def format_results(doc: dict[str, Any]) -> str:
    verdict = "every report indexed once" if doc["complete"] else "REPORTS LOST OR DUPLICATED (see accounting)"
    parts = [machine_line(doc["machine"]), headline(doc), latencies(doc), steps(doc), stages(doc), processes(doc),
             accounting(doc), verdict]
    return "\n\n".join(parts)
