"""Index version planning: names, next version, bootstrap, atomic alias moves, replay event ids."""

from __future__ import annotations

import pytest

from services.indexer import versions
from shared.ids import event_id_for

READ, WRITE = "gr-reports", "gr-reports-write"


def test_next_index_skips_past_every_existing_version_and_ignores_foreign_names() -> None:
    layout = {"gr-reports-v1": [READ, WRITE], "gr-reports-v3": [], "gr-reports-vold": [], "gr-reports-v2x": []}
    assert versions.next_index(READ, layout) == "gr-reports-v4"
    assert versions.next_index(READ, {}) == "gr-reports-v1"
    assert versions.version_of("gr-reports-v12", READ) == 12
    assert versions.version_of("gr-reports-write", READ) is None


def test_bootstrap_creates_v1_with_both_aliases_on_a_fresh_cluster() -> None:
    assert versions.bootstrap(READ, WRITE, {}) == ("gr-reports-v1", [])


def test_bootstrap_is_a_no_op_once_both_aliases_exist() -> None:
    assert versions.bootstrap(READ, WRITE, {"gr-reports-v2": [READ], "gr-reports-v3": [WRITE]}) == (None, [])


def test_bootstrap_adds_the_write_alias_to_a_deployment_from_before_it_existed() -> None:
    create, actions = versions.bootstrap(READ, WRITE, {"gr-reports-v1": [READ]})
    assert create is None
    assert actions == [{"add": {"index": "gr-reports-v1", "alias": WRITE}}]


def test_bootstrap_never_reuses_an_orphaned_version() -> None:
    assert versions.bootstrap(READ, WRITE, {"gr-reports-v1": []}) == ("gr-reports-v2", [])


def test_an_alias_on_two_indices_is_refused() -> None:
    with pytest.raises(ValueError, match="2 indices"):
        versions.plan_step(READ, WRITE, {"gr-reports-v1": [READ, WRITE], "gr-reports-v2": [READ]})


def test_plan_needs_both_aliases() -> None:
    with pytest.raises(ValueError, match="start the indexer"):
        versions.plan_step(READ, WRITE, {"gr-reports-v1": [READ]})


def test_settled_step_moves_write_then_read_alias_atomically_to_the_next_version() -> None:
    step = versions.plan_step(READ, WRITE, {"gr-reports-v1": [READ, WRITE]})
    assert step.settled and step.target == "gr-reports-v2"
    assert versions.write_moves([step]) == [
        {"remove": {"index": "gr-reports-v1", "alias": WRITE}},
        {"add": {"index": "gr-reports-v2", "alias": WRITE}},
    ]
    assert versions.read_swaps([step]) == [
        {"remove": {"index": "gr-reports-v1", "alias": READ}},
        {"add": {"index": "gr-reports-v2", "alias": READ}},
    ]


def test_a_step_after_an_aborted_run_moves_each_alias_from_where_it_is() -> None:
    step = versions.plan_step(READ, WRITE, {"gr-reports-v1": [READ], "gr-reports-v2": [WRITE]})
    assert not step.settled and step.target == "gr-reports-v3"
    assert versions.write_moves([step])[0] == {"remove": {"index": "gr-reports-v2", "alias": WRITE}}
    assert versions.read_swaps([step])[0] == {"remove": {"index": "gr-reports-v1", "alias": READ}}


def test_one_alias_call_covers_every_kind() -> None:
    steps = [
        versions.plan_step(f"gr-{k}", f"gr-{k}-write", {f"gr-{k}-v1": [f"gr-{k}", f"gr-{k}-write"]})
        for k in ("reports", "sections", "metrics")
    ]
    assert [a["add"]["index"] for a in versions.read_swaps(steps) if "add" in a] == [
        "gr-reports-v2", "gr-sections-v2", "gr-metrics-v2",
    ]


def test_replay_event_ids_differ_from_ingest_and_between_runs_and_versions() -> None:
    report_id = "ab" * 32
    first = versions.replay_event_id("1.0.0", "run1", report_id)
    assert first == versions.replay_event_id("1.0.0", "run1", report_id)  # deterministic within a run
    assert first != event_id_for("ingest", report_id)
    assert first != versions.replay_event_id("1.0.0", "run2", report_id)
    assert first != versions.replay_event_id("1.1.0", "run1", report_id)
    assert first != versions.replay_event_id("1.0.0", "run1", "cd" * 32)
