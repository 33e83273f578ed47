"""The five seeds with hand-built sections: every gold fact recalled, almost nothing extra, fast."""

from __future__ import annotations

import pytest

from services.cli.evaluate import score_metrics
from services.metric_extractor.transform import extract_metrics
from tests.support.gold import seed_gold
from tests.unit.metric_extractor.builders import SEED_HEADINGS, seed_document


def gold_metrics(number: str) -> list[dict[str, object]]:
    return seed_gold(number)["metrics"]


@pytest.mark.parametrize("number", sorted(SEED_HEADINGS))
def test_seed_gold_is_recalled_precisely(number: str) -> None:
    found = [f.model_dump() for f in extract_metrics(seed_document(number)).metrics]
    score, missed, spurious = score_metrics(gold_metrics(number), found)
    assert missed == []
    assert score.precision >= 0.95, spurious


def test_bortala_headline_facts() -> None:
    facts = {f.key: f for f in extract_metrics(seed_document("000")).metrics}
    assert facts["requests.new"].value == 120
    assert facts["reconsideration.total"].value == 26
    assert facts["requests.new"].evidence == "收到依申请公开数120件"


def test_evidence_is_an_exact_substring_with_offsets() -> None:
    for number in SEED_HEADINGS:
        doc = seed_document(number)
        for fact in extract_metrics(doc).metrics:
            assert doc.text[fact.start : fact.end] == fact.evidence
