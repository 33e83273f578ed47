"""Search relevance against a judgement set, with the metric definitions of Elasticsearch's `_rank_eval`.

Why client-side too: the dev node has no rank-eval module, so the same maths runs over the hits of real
`_search`/`_msearch` requests; where `_rank_eval` exists (official image) both must agree. Pure: no client.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import Any

RELEVANT = 1  # relevant_rating_threshold: grade 0 = judged not relevant, 1 = relevant, 2 = highly relevant
# Cut-offs per metric, as `_rank_eval` names them: precision over the first page a user reads,
# the others over the first ten hits (the API's default page and rank_eval's default k).
CUTOFFS: dict[str, int] = {"precision": 5, "recall": 10, "mean_reciprocal_rank": 10, "dcg": 10}


@dataclass(frozen=True)
class Judgement:
    """One user query with graded documents (by a stable name, e.g. the report's file name)."""

    id: str
    query: str
    ratings: Mapping[str, int]


def load_judgements(data: Mapping[str, Any]) -> list[Judgement]:
    """The committed judgement file: {"queries": [{"id", "query", "ratings": {name: grade}}]}."""
    return [Judgement(q["id"], q["query"], dict(q["ratings"])) for q in data["queries"]]


def precision_at_k(ranked: Sequence[str], ratings: Mapping[str, int], k: int) -> float:
    """Relevant share of the top-k hits actually returned; unrated hits count as not relevant."""
    top = ranked[:k]
    return sum(ratings.get(name, 0) >= RELEVANT for name in top) / len(top) if top else 0.0


def recall_at_k(ranked: Sequence[str], ratings: Mapping[str, int], k: int) -> float:
    relevant = {name for name, grade in ratings.items() if grade >= RELEVANT}
    return len(relevant.intersection(ranked[:k])) / len(relevant) if relevant else 0.0


def reciprocal_rank(ranked: Sequence[str], ratings: Mapping[str, int], k: int) -> float:
    """1 / rank of the first relevant hit within k, 0 when there is none."""
    for rank, name in enumerate(ranked[:k], start=1):
        if ratings.get(name, 0) >= RELEVANT:
            return 1 / rank
    return 0.0


def _dcg(grades: Sequence[int]) -> float:
    return sum((2**grade - 1) / math.log2(rank + 1) for rank, grade in enumerate(grades, start=1))


def ndcg_at_k(ranked: Sequence[str], ratings: Mapping[str, int], k: int) -> float:
    """DCG of the top k (gain 2^grade - 1) over the DCG of the best order of the rated documents.

    Like `_rank_eval`, the ideal list is cut at the number of hits returned, not at k.
    """
    top = ranked[:k]
    ideal = _dcg(sorted(ratings.values(), reverse=True)[: len(top)])
    return _dcg([ratings.get(name, 0) for name in top]) / ideal if ideal else 0.0


METRICS: dict[str, Callable[[Sequence[str], Mapping[str, int], int], float]] = {
    "precision": precision_at_k,
    "recall": recall_at_k,
    "mean_reciprocal_rank": reciprocal_rank,
    "dcg": ndcg_at_k,
}


def per_query(rankings: Mapping[str, Sequence[str]], judgements: Sequence[Judgement]) -> dict[str, dict[str, float]]:
    """{query id: {metric: score}} for the ranked document names each query returned."""
    return {
        j.id: {name: metric(rankings[j.id], j.ratings, CUTOFFS[name]) for name, metric in METRICS.items()}
        for j in judgements
    }


def mean_scores(scores: Mapping[str, Mapping[str, float]]) -> dict[str, float]:
    """Mean over queries, as `_rank_eval`'s metric_score."""
    return {name: fmean(query[name] for query in scores.values()) for name in METRICS}


def rank_eval_metric(name: str) -> dict[str, Any]:
    """The `_rank_eval` metric spec equivalent to METRICS[name] (dcg normalized = nDCG)."""
    spec: dict[str, Any] = {"k": CUTOFFS[name]}
    if name in ("precision", "recall", "mean_reciprocal_rank"):
        spec["relevant_rating_threshold"] = RELEVANT
    if name == "dcg":
        spec["normalize"] = True
    return {name: spec}


def rank_eval_body(
    judgements: Sequence[Judgement],
    requests: Mapping[str, Mapping[str, Any]],
    doc_ids: Mapping[str, tuple[str, str]],
    metric: str,
) -> dict[str, Any]:
    """`_rank_eval` body over the same search requests; doc_ids maps a rated name to (concrete index, _id)."""
    return {
        "requests": [
            {
                "id": j.id,
                "request": dict(requests[j.id]),
                "ratings": [
                    {"_index": doc_ids[name][0], "_id": doc_ids[name][1], "rating": grade}
                    for name, grade in j.ratings.items()
                ],
            }
            for j in judgements
        ],
        "metric": rank_eval_metric(metric),
    }
