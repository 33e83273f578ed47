"""results.json and the printed tables from a recorded run, without servers."""

from __future__ import annotations

from tests.bench.figures import ConsumerState, Sample
from tests.bench.machine import cpu_model, memory_bytes
from tests.bench.results import document, highest_sustained
from tests.bench.runner import Options, Phase, Run
from tests.bench.table import format_results
from tests.faults.accounting import Tally

T0 = 1_000_000.0
OPTIONS = Options(
    reports=4, warmup=2, rates=(5.0,), window_seconds=2, steps=(10.0, 20.0), step_seconds=2, corpus=None,
    settle_seconds=60,
)
MACHINE = {"cpu_model": "cpu", "cores": 2, "ram_gib": 8.0, "python": "3.11", "os": "linux", "git_rev": "abc",
           "git_dirty": False, "date": "2026-01-01T00:00:00+00:00", "load_average_at_start": [0.1, 0.1, 0.1]}


def phase(kind: str, entry: str, rate: float | None, start: float, latencies: list[float], lost: int = 0) -> Phase:
    """Reports entered 0.1 s apart from `start`, each indexed after its latency."""
    entered = {f"{kind}{entry}{rate}-{n}": T0 + start + 0.1 * n for n in range(len(latencies))}
    indexed = {rid: at + latency for (rid, at), latency in zip(entered.items(), latencies, strict=True)}
    end = max(indexed.values()) - T0
    sent = len(entered)
    tally = Tally(f"{kind} {rate}", sent, sent - lost, 0, 0, lost, end - start, 0)
    return Phase(kind, entry, rate, start, entered, indexed, fed=start + 0.1 * sent, end=end,  # type: ignore[arg-type]
                 cpu_seconds={"indexer": 0.4}, accounting=tally)


def recorded(lost: int = 0) -> Run:
    phases = [
        phase("probe", "bucket", None, 0, [3.0]),
        phase("warm-up", "bucket", None, 4, [1.0, 2.0]),
        phase("burst", "bucket", None, 10, [0.5, 1.0, 1.5, 1.7], lost=lost),
        phase("latency", "bucket", 5.0, 20, [0.4] * 10),
        phase("latency", "publish", 5.0, 30, [0.1] * 10),
        phase("sustained", "bucket", 10.0, 40, [0.5] * 20),
    ]
    samples = [Sample(t / 2, {"indexer": ConsumerState(1, 1, t)}, 0) for t in range(0, 120)]
    return Run(T0, {"reports": 4, "refused": 0, "seconds": 0.1, "reports_per_s": 40.0, "cpu_ms_p50": 5.0,
                    "cpu_ms_max": 9.0}, phases, samples, {"indexer": 50 * 1024**2}, {"indexer": 3.0})


def test_document_holds_every_figure_with_its_definition() -> None:
    doc = document(recorded(), OPTIONS, MACHINE, "a fresh node started by the bench")
    # 4 reports: the first entered at 10.0 s, the last (entered 10.3 s, 1.7 s latency) indexed at 12.0 s
    assert (doc["burst"]["reports_per_s"], doc["burst"]["ratio_to_ceiling"]) == (2.0, 0.05)
    assert doc["warmup"]["first_report_seconds"] == 3.0
    assert [(f["entry"], f["latency_seconds"]["p99"]) for f in doc["latency"]] == [("bucket", 0.4), ("publish", 0.1)]
    assert doc["sustained"]["steps"][0]["sustained"]  # samples hold a constant backlog of 2
    assert doc["sustained"]["highest_sustained_rate"] == 10.0
    indexer = doc["processes"]["indexer"]
    assert indexer == {"cpu_seconds": 3.0, "cpu_ms_per_report_in_burst": 100.0, "peak_rss_mib": 50.0}
    assert doc["stages"]["burst"]["indexer"]["done"] > 0
    assert doc["complete"] is True
    assert {"indexed", "latency", "sustained"} <= doc["definitions"].keys()
    assert len(doc["timeline"]["latencies"]["burst"]) == 4


def test_a_lost_report_makes_the_run_incomplete_and_says_so() -> None:
    doc = document(recorded(lost=1), OPTIONS, MACHINE, "external")
    assert doc["complete"] is False
    assert "LOST OR DUPLICATED" in format_results(doc)


def test_tables_show_the_headline_figures() -> None:
    text = format_results(document(recorded(), OPTIONS, MACHINE, "external"))
    assert "× ceiling" in text and "publish → indexed" in text and "every report indexed once" in text


def test_highest_sustained_rate_is_the_last_flat_step_before_the_first_growing_one() -> None:
    steps = [{"rate": 20, "sustained": True}, {"rate": 40, "sustained": True}, {"rate": 60, "sustained": False}]
    assert highest_sustained(steps) == 40
    assert highest_sustained([{"rate": 20, "sustained": False}]) is None


def test_machine_facts_from_proc_files() -> None:
    assert cpu_model("processor\t: 0\nmodel name\t: Intel(R) Xeon(R)\n") == "Intel(R) Xeon(R)"
    assert memory_bytes("MemTotal:       24576000 kB\nMemFree: 1 kB\n") == 24576000 * 1024
