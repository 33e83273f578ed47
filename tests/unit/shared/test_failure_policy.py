"""The pure parts of the failure policy: what counts as transient, the backoff schedule, consumer drift."""

from __future__ import annotations

import json
from pathlib import Path

import nats.errors
import nats.js.errors
import pytest
from hypothesis import given
from hypothesis import strategies as st
from nats.js.api import ConsumerConfig

from services.indexer.elastic import retryable
from shared.failures import PermanentError, TransientError, backoff_delay, dependency_of, is_transient
from shared.runtime import Health, consumer_drift


@pytest.mark.parametrize(
    "exc",
    [
        TransientError("Elasticsearch unavailable", "elasticsearch"),
        ConnectionRefusedError(),
        TimeoutError(),
        nats.errors.TimeoutError(),
        nats.errors.NoRespondersError(),
        nats.errors.ConnectionClosedError(),
        nats.errors.OutboundBufferLimitError(),
        nats.errors.StaleConnectionError(),
        nats.js.errors.ServiceUnavailableError(code=503),
        nats.js.errors.ServerError(code=500, err_code=10047, description="insufficient storage resources"),
        nats.js.errors.APIError(code=504),
    ],
    ids=lambda exc: type(exc).__name__,
)
def test_dependency_outages_are_transient(exc: BaseException) -> None:
    assert is_transient(exc)


@pytest.mark.parametrize(
    "exc",
    [
        PermanentError("empty file"),
        ValueError("bad table"),
        KeyError("x"),
        nats.js.errors.NotFoundError(code=404),
        nats.js.errors.BadRequestError(code=400),
        nats.errors.MaxPayloadError(),
    ],
    ids=lambda exc: type(exc).__name__,
)
def test_data_errors_and_bugs_are_not_transient(exc: BaseException) -> None:
    assert not is_transient(exc)


def test_dependency_names_what_is_awaited() -> None:
    assert dependency_of(TransientError("down", "elasticsearch")) == "elasticsearch"
    assert dependency_of(nats.errors.NoRespondersError()) == "nats"


@given(
    attempt=st.integers(min_value=1, max_value=100_000),
    first=st.floats(min_value=0.01, max_value=10),
    cap=st.floats(min_value=0.01, max_value=600),
)
def test_backoff_is_capped_and_never_shrinks(attempt: int, first: float, cap: float) -> None:
    delay = backoff_delay(attempt, first, cap)
    assert 0 < delay <= cap
    assert backoff_delay(attempt + 1, first, cap) >= delay


def test_backoff_doubles_from_the_first_delay() -> None:
    assert [backoff_delay(n, 2.0, 30.0) for n in range(1, 7)] == [2.0, 4.0, 8.0, 16.0, 30.0, 30.0]


@given(st.integers(min_value=100, max_value=599))
def test_elasticsearch_busy_or_broken_statuses_are_retried(status: int) -> None:
    assert retryable(status) == (status in (408, 409, 429) or status >= 500)


def test_consumer_drift_lists_only_changed_reconciled_fields() -> None:
    live = ConsumerConfig(durable_name="x", max_deliver=5, ack_wait=60.0, filter_subject="reports.raw.v1")
    assert consumer_drift(live, ConsumerConfig(durable_name="x", max_deliver=5, ack_wait=60.0)) == {}
    wanted = ConsumerConfig(durable_name="x", max_deliver=8, ack_wait=30.0)
    assert consumer_drift(live, wanted) == {"max_deliver": 8, "ack_wait": 30.0}


def test_health_file_says_what_the_service_waits_for(tmp_path: Path) -> None:
    health = Health("indexer", tmp_path / "health")
    health.waiting("elasticsearch", "Elasticsearch unavailable")
    status = json.loads((tmp_path / "health" / "indexer.json").read_text("utf-8"))
    assert status["healthy"] is False and status["waiting_for"] == {"elasticsearch": "Elasticsearch unavailable"}
    health.recovered("elasticsearch")
    assert json.loads((tmp_path / "health" / "indexer.json").read_text("utf-8"))["healthy"] is True


def test_an_unwritable_health_dir_never_fails_the_stage(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file, not a directory")
    health = Health("indexer", tmp_path / "taken")
    health.waiting("nats", "connection to NATS lost, reconnecting")
    assert not health.healthy
