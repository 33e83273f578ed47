"""The counting behind `make faults`, on hand-made observations (no servers): a wrong count would
let a lost or duplicated report pass as fine."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from shared.ids import report_id_for
from shared.settings import Settings
from tests.faults.accounting import Snapshot, settled, tally
from tests.faults.harness import drop, failed_report_ids, redrop_failed
from tests.faults.reports import make_reports, source_files

FULL = {"section_count": 2, "metric_count": 3}


def test_each_report_is_indexed_dead_lettered_or_lost() -> None:
    snapshot = Snapshot(
        report_hits=Counter({"done": 1, "half": 1, "twice": 2}),
        summaries={"done": FULL, "half": {"section_count": 2}, "twice": FULL},
        section_docs=Counter({"done": 2, "half": 2, "twice": 2}),
        metric_docs=Counter({"done": 3, "twice": 3}),
        failed={"failed"},
        dead_letters=Counter({"failed": 1, "dropped": 1}),
    )
    result = tally("fault", {"done", "half", "twice", "failed", "dropped"}, snapshot, 1.23)
    assert (result.indexed, result.dead_lettered, result.lost, result.duplicated) == (2, 1, 2, 1)
    assert result.dlq_messages == 2 and result.seconds == 1.2 and not result.ok
    assert result.notes == ["1 half-indexed", "1 dead letters without their file in failed/"]


def test_more_fact_docs_than_facts_is_a_duplicate_and_trailing_sections_are_not_done() -> None:
    snapshot = Snapshot(
        report_hits=Counter({"a": 1, "b": 1}),
        summaries={"a": FULL, "b": FULL},
        section_docs=Counter({"a": 2, "b": 1}),
        metric_docs=Counter({"a": 4, "b": 3}),
    )
    result = tally("fault", {"a", "b"}, snapshot, 0)
    assert (result.indexed, result.duplicated, result.lost) == (1, 1, 1)
    assert not settled(snapshot, {"a", "b"})
    assert settled(snapshot, {"a"})


def test_reports_are_distinct_and_keep_their_format(tmp_path: Path) -> None:
    sources = source_files()
    reports = make_reports(2 * len(sources) + 1, "t")
    assert len({r.report_id for r in reports}) == len(reports)
    assert reports[len(sources)].content.startswith(sources[0].read_bytes())
    (tmp_path / "putian").mkdir()
    (tmp_path / "putian" / "page.html").write_text("<html></html>", encoding="utf-8")
    with_corpus = make_reports(len(sources) + 1, "t", tmp_path)
    assert with_corpus[-1].content.endswith(b"<!-- t-%05d -->\n" % len(sources))


def test_same_names_land_in_their_own_folders_and_failed_files_are_known_by_their_bytes(tmp_path: Path) -> None:
    settings = Settings(BUCKET_DIR=str(tmp_path))
    reports = make_reports(3, "t")
    drop(settings.incoming_dir, reports, same_names=True)
    dropped = sorted(settings.incoming_dir.rglob("*.txt"))
    assert len(dropped) == 3 and len({p.name for p in dropped}) == 1
    settings.failed_dir.mkdir()
    (settings.failed_dir / "x.txt").write_bytes(reports[0].content)
    (settings.failed_dir / "x.txt.error.txt").write_text("reason: ES down", encoding="utf-8")
    (settings.failed_dir / "no-reason.txt").write_bytes(reports[1].content)
    assert failed_report_ids(settings.failed_dir) == {reports[0].report_id}
    for path in dropped:
        path.unlink()
    assert redrop_failed(settings) == 1
    assert report_id_for((settings.incoming_dir / "x.txt").read_bytes()) == reports[0].report_id
    assert not (settings.failed_dir / "x.txt.error.txt").exists()
