"""`govreports status`: what a consumer, a dead letter and a health file mean, and how the status is drawn."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import pytest
from nats.js.api import ConsumerConfig, ConsumerInfo, SequenceInfo
from rich.console import Console

from services.cli.status import render
from shared.dead_letters import DeadLetter
from shared.runtime import FAILED_STAGE_HEADER, ORIGINAL_SUBJECT_HEADER
from shared.status import (
    PipelineStatus,
    Sample,
    ServerStatus,
    ServiceStatus,
    StageStatus,
    service_of,
    service_status,
    stage_status,
    subject_matches,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("pattern", "subject", "matches"),
    [
        ("reports.raw.v1", "reports.raw.v1", True),
        ("reports.raw.v1", "reports.raw.v2", False),
        ("reports.*.v1", "reports.metrics.v1", True),
        ("reports.*", "reports.metrics.v1", False),
        ("dlq.reports.>", "dlq.reports.raw.v1", True),
        ("dlq.reports.>", "dlq.reports", False),
        ("reports.raw.v1.x", "reports.raw.v1", False),
    ],
)
def test_subjects_match_like_nats(pattern: str, subject: str, matches: bool) -> None:
    assert subject_matches(pattern, subject) is matches


@pytest.mark.parametrize(
    ("durable", "service"),
    [
        ("indexer", "indexer"),
        ("indexer-sections", "indexer"),
        ("ingest-failures", "ingest"),
        ("section-splitter", "section-splitter"),
        ("normalizers", None),
        ("test-1234", None),
    ],
)
def test_a_durable_belongs_to_the_service_it_is_named_after(durable: str, service: str | None) -> None:
    assert service_of(durable) == service


def consumer(name: str, subjects: list[str], delivered: int = 0, **counts: int) -> ConsumerInfo:
    return ConsumerInfo(
        name=name,
        stream_name="REPORTS",
        config=ConsumerConfig(durable_name=name, filter_subjects=subjects),
        created=NOW,
        delivered=SequenceInfo(consumer_seq=delivered, stream_seq=delivered),
        **counts,
    )


def letter(stage: str, original_subject: str) -> DeadLetter:
    headers = {FAILED_STAGE_HEADER: stage, ORIGINAL_SUBJECT_HEADER: original_subject}
    return DeadLetter(1, f"dlq.{original_subject}", headers, b"{}", NOW)


def test_a_stage_row_reads_the_consumer_counters() -> None:
    info = consumer("normalizer", ["reports.raw.v1"], 7, num_pending=12, num_ack_pending=2, num_redelivered=1,
                    num_waiting=0)
    stage = stage_status(info, [], None, now=10.0)
    assert (stage.service, stage.subjects, stage.pending, stage.in_flight, stage.redelivered, stage.pulling) == (
        "normalizer", ["reports.raw.v1"], 12, 2, 1, 0
    )
    assert stage.delivered == 7 and stage.rate is None  # no earlier sample


def test_the_rate_is_deliveries_per_second_since_the_sample() -> None:
    info = consumer("indexer", ["reports.sectioned.v1", "reports.metrics.v1"], delivered=50)
    assert stage_status(info, [], Sample(8.0, {"indexer": 30}), now=10.0).rate == 10.0
    assert stage_status(info, [], Sample(8.0, {"other": 30}), now=10.0).rate is None  # new since the sample
    assert stage_status(info, [], Sample(8.0, {"indexer": 90}), now=10.0).rate == 0.0  # recreated durable


def test_a_stage_counts_the_dead_letters_of_its_service_on_its_subjects() -> None:
    info = consumer("indexer", ["reports.sectioned.v1", "reports.metrics.v1"])
    letters = [
        letter("indexer", "reports.metrics.v1"),  # its own
        letter("indexer", "reports.sectioned.v1"),  # its own
        letter("metric-extractor", "reports.sectioned.v1"),  # another stage reading the same subject
        letter("indexer", "reports.raw.v1"),  # not a subject it reads
    ]
    assert stage_status(info, letters, None, now=1.0).dead_letters == 2
    exhausted = letter("indexer-sections", "reports.sectioned.v1")  # the advisory names the durable
    legacy = consumer("indexer-sections", ["reports.sectioned.v1"])
    assert stage_status(legacy, [exhausted], None, now=1.0).dead_letters == 1


def stage(durable: str, **counts: Any) -> StageStatus:
    values = {"pending": 0, "in_flight": 0, "redelivered": 0, "pulling": 0, "delivered": 0, "rate": None,
              "dead_letters": 0} | counts
    return StageStatus(durable=durable, subjects=["reports.raw.v1"], service=service_of(durable), **values)


def test_a_service_waiting_for_a_dependency_says_for_what_and_since_when() -> None:
    health = {"healthy": False, "waiting_for": {"elasticsearch": "ConnectionError: refused"},
              "updated_at": "2026-03-01T11:59:00+00:00"}
    service = service_status("indexer", health, [stage("indexer", pulling=1)], nats_up=True)
    assert service.state == "waiting" and service.waiting_for == {"elasticsearch": "ConnectionError: refused"}
    assert "2026-03-01T11:59:00" in service.detail and "elasticsearch: ConnectionError: refused" in service.detail


@pytest.mark.parametrize(
    ("stages", "nats_up", "state", "detail"),
    [
        ([stage("normalizer", pulling=1)], True, "up", "pulling from normalizer"),
        ([stage("normalizer", in_flight=3)], True, "up", "working on 3 message(s)"),
        ([stage("normalizer")], True, "down", "no worker pulls from normalizer"),
        ([stage("indexer", pulling=1)], True, "down", "no consumer"),
        ([], False, "unknown", "NATS is down"),
    ],
)
def test_without_a_wait_the_consumers_tell_whether_a_service_is_up(
    stages: list[StageStatus], nats_up: bool, state: str, detail: str
) -> None:
    healthy_file = {"healthy": True, "waiting_for": {}}  # written on recovery: says nothing about now
    service = service_status("normalizer", healthy_file, stages, nats_up)
    assert service.state == state and detail in service.detail


def status(**changes: Any) -> PipelineStatus:
    values: dict[str, Any] = {
        "checked_at": NOW,
        "servers": [ServerStatus(name="nats", up=True, detail="nats-server 2.11"),
                    ServerStatus(name="elasticsearch", up=True, detail="cluster dev: yellow")],
        "stages": [stage("normalizer", pending=1234, in_flight=2, redelivered=1, pulling=1, delivered=99, rate=12.34,
                         dead_letters=3),
                   stage("indexer", pending=0)],
        "services": [ServiceStatus(name="normalizer", state="up", detail="pulling from normalizer"),
                     ServiceStatus(name="indexer", state="waiting", detail="waiting — elasticsearch: refused",
                                   waiting_for={"elasticsearch": "refused"})],
        "dead_letters": {"ingest": 2, "normalizer": 3},
    }
    return PipelineStatus(**(values | changes))


def drawn(value: PipelineStatus) -> list[str]:
    screen = Console(record=True, width=160, file=io.StringIO())
    screen.print(render(value))
    return screen.export_text().splitlines()


def test_the_table_has_one_row_per_stage_with_its_figures() -> None:
    lines = drawn(status())
    row = next(line for line in lines if "│ normalizer" in line and "reports.raw.v1" in line)
    assert [cell.strip() for cell in row.strip("│ ").split("│")][2:] == ["1234", "2", "1", "12.3", "3"]
    indexer = next(line for line in lines if "│ indexer" in line and "reports.raw.v1" in line)
    assert "–" in indexer  # no rate yet
    assert "dead letters by failed stage: ingest 2, normalizer 3 (govreports dlq list)" in lines


def test_the_table_shows_each_server_and_service_state_with_its_reason() -> None:
    lines = drawn(status())
    assert any("elasticsearch" in line and "up" in line and "cluster dev: yellow" in line for line in lines)
    assert any("indexer" in line and "waiting" in line and "elasticsearch: refused" in line for line in lines)


def test_nats_down_leaves_stages_and_dead_letters_unknown_not_zero() -> None:
    down = status(servers=[ServerStatus(name="nats", up=False, detail="NoServersError")], stages=[],
                  dead_letters=None)
    lines = drawn(down)
    assert "stages and dead letters unknown: NATS does not answer" in lines
    assert not down.all_up and status().all_up is False  # the indexer waits
    assert status(services=[ServiceStatus(name="normalizer", state="up", detail="")]).all_up
