"""The client-side metrics follow `_rank_eval`'s definitions (hand-computed expectations)."""

from __future__ import annotations

import math

import pytest

from services.indexer.relevance import (
    CUTOFFS,
    Judgement,
    load_judgements,
    mean_scores,
    ndcg_at_k,
    per_query,
    precision_at_k,
    rank_eval_body,
    rank_eval_metric,
    recall_at_k,
    reciprocal_rank,
)

RATINGS = {"a": 2, "b": 0, "c": 1, "d": 1}  # b is judged not relevant; x, y are unrated


def test_precision_counts_unrated_and_zero_graded_hits_as_misses() -> None:
    assert precision_at_k(["a", "x", "b", "c"], RATINGS, 4) == 0.5
    assert precision_at_k(["a", "x", "b", "c"], RATINGS, 1) == 1.0


def test_precision_divides_by_hits_returned_not_by_k() -> None:
    assert precision_at_k(["c"], RATINGS, 5) == 1.0
    assert precision_at_k([], RATINGS, 5) == 0.0


def test_recall_is_over_all_relevant_rated_documents() -> None:
    assert recall_at_k(["a", "x", "c"], RATINGS, 10) == pytest.approx(2 / 3)
    assert recall_at_k(["a", "x", "c"], RATINGS, 1) == pytest.approx(1 / 3)
    assert recall_at_k(["a"], {"a": 0}, 10) == 0.0  # nothing relevant to find


def test_reciprocal_rank_of_first_relevant_hit_within_k() -> None:
    assert reciprocal_rank(["x", "b", "c", "a"], RATINGS, 10) == pytest.approx(1 / 3)
    assert reciprocal_rank(["x", "b", "c", "a"], RATINGS, 2) == 0.0
    assert reciprocal_rank(["a"], RATINGS, 10) == 1.0


def test_ndcg_with_graded_gains_and_log2_discount() -> None:
    # hits c, a, x: DCG = (2^1-1)/log2(2) + (2^2-1)/log2(3) + 0; ideal of 3 hits = 3/1 + 1/log2(3) + 1/log2(4)
    dcg = 1 + 3 / math.log2(3)
    ideal = 3 + 1 / math.log2(3) + 1 / 2
    assert ndcg_at_k(["c", "a", "x"], RATINGS, 10) == pytest.approx(dcg / ideal)
    assert ndcg_at_k(["a", "c", "d", "b"], RATINGS, 10) == pytest.approx(1.0)
    assert ndcg_at_k(["x", "y"], RATINGS, 10) == 0.0
    assert ndcg_at_k(["a"], {"a": 0}, 10) == 0.0  # no gain to be had: 0, not a division by zero


def test_per_query_and_mean_scores() -> None:
    judgements = [Judgement("q1", "甲", {"a": 2}), Judgement("q2", "乙", {"b": 1})]
    scores = per_query({"q1": ["a", "b"], "q2": ["a", "b"]}, judgements)
    assert scores["q1"] == {"precision": 0.5, "recall": 1.0, "mean_reciprocal_rank": 1.0, "dcg": 1.0}
    assert scores["q2"]["mean_reciprocal_rank"] == 0.5
    assert mean_scores(scores)["mean_reciprocal_rank"] == 0.75


def test_rank_eval_body_uses_the_same_requests_and_cutoffs() -> None:
    judgements = load_judgements({"queries": [{"id": "q1", "query": "信息处理费", "ratings": {"a.txt": 2}}]})
    request = {"query": {"match": {"text": "信息处理费"}}}
    body = rank_eval_body(judgements, {"q1": request}, {"a.txt": ("idx-v1", "abc")}, "dcg")
    assert body["requests"] == [
        {"id": "q1", "request": request, "ratings": [{"_index": "idx-v1", "_id": "abc", "rating": 2}]}
    ]
    assert body["metric"] == {"dcg": {"k": CUTOFFS["dcg"], "normalize": True}}
    assert rank_eval_metric("precision") == {"precision": {"k": 5, "relevant_rating_threshold": 1}}
