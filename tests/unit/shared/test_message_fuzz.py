"""Message models under fuzzing: whatever bytes arrive on a subject, parsing either yields the model or
raises pydantic's ValidationError (which the stage turns into a dead letter) — never anything else.

Seeded from real messages: the envelopes of one report carried through the three transforms.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from services.metric_extractor.transform import extract_metrics
from services.normalizer.transform import normalize
from services.section_splitter.transform import split_sections
from shared.messages import MetricsReport, NormalizedReport, SectionedReport
from shared.messages.v1 import Envelope

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "reports" / "fmt2021_rows.txt"
ENVELOPE = {
    "report_id": "a" * 64,
    "event_id": "e1",
    "caused_by": "c1",
    "produced_by": "fuzz",
    "produced_at": "2026-01-01T00:00:00Z",
}
FUZZ = settings(max_examples=150, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def real_messages() -> dict[type[Envelope], dict[str, Any]]:
    normalized = normalize(FIXTURE.read_bytes(), FIXTURE.name)
    sectioned = split_sections(normalized)
    metrics = extract_metrics(sectioned)
    return {
        NormalizedReport: NormalizedReport(**ENVELOPE, **dict(normalized)).model_dump(mode="json"),
        SectionedReport: SectionedReport(**ENVELOPE, **dict(sectioned)).model_dump(mode="json"),
        MetricsReport: MetricsReport(**ENVELOPE, **dict(metrics)).model_dump(mode="json"),
    }


MODELS = [NormalizedReport, SectionedReport, MetricsReport]
JSON_LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key/index path into a JSON value, so a mutation can land anywhere, deep in cells too."""
    found = [prefix] if prefix else []
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    for key, child in children:
        found += paths(child, (*prefix, key))
    return found


def mutate(message: dict[str, Any], path: tuple[Any, ...], action: str, replacement: Any) -> dict[str, Any]:
    copy = json.loads(json.dumps(message))
    parent = copy
    for key in path[:-1]:
        parent = parent[key]
    if action == "delete" and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = replacement
    return copy


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_real_messages_round_trip(model: type[Envelope]) -> None:
    message = real_messages()[model]
    assert model.model_validate_json(json.dumps(message)).model_dump(mode="json") == message


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@FUZZ
@given(data=st.data())
def test_mutated_messages_parse_or_fail_validation(model: type[Envelope], data: st.DataObject) -> None:
    message = real_messages()[model]
    path = data.draw(st.sampled_from(paths(message)))
    action = data.draw(st.sampled_from(["delete", "replace"]))
    mutated = mutate(message, path, action, data.draw(JSON_VALUES))
    try:
        parsed = model.model_validate_json(json.dumps(mutated))
    except ValidationError:
        return
    assert parsed.report_id  # what parses is a whole model, with its identity


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@FUZZ
@given(raw=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_arbitrary_bytes_fail_validation(model: type[Envelope], raw: bytes) -> None:
    with pytest.raises(ValidationError):
        model.model_validate_json(raw)
