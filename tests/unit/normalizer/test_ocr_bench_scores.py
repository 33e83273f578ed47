"""The OCR benchmark's scores (tests/bench_ocr.py): edit distance and fact precision/recall/F1."""

from __future__ import annotations

from tests.bench_ocr import Measured, edit_distance


def test_edit_distance_counts_substitutions_insertions_and_deletions() -> None:
    assert edit_distance("本年新收申请38件", "本年新收申请38件") == 0
    assert edit_distance("本年新收申请38件", "本年新收申清3件") == 2  # one substitution, one deletion
    assert edit_distance("", "公开") == 2 and edit_distance("公开", "") == 2


def test_fact_scores_of_a_scan() -> None:
    row = Measured("r", pages=2, characters=10, cer=0.1, facts_expected=10, facts_found=8, facts_right=6,
                   cpu_seconds=12.0, confidence=0.9)  # fmt: skip
    assert (row.precision, row.recall) == (0.75, 0.6)
    assert abs(row.f1 - 2 * 0.75 * 0.6 / 1.35) < 1e-12
    nothing = Measured("r", 1, 0, 1.0, facts_expected=0, facts_found=0, facts_right=0, cpu_seconds=0, confidence=None)
    assert (nothing.precision, nothing.recall, nothing.f1) == (0.0, 0.0, 0.0)
