"""The fast faults of `make faults`, small: 10 reports each, asserting none lost and none duplicated.

The services get a 5 s ack wait, so a message a killed worker held comes back in seconds; the
outages and re-drop scenarios run only in `make faults` (minutes each).
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.cli.stack import LocalStack
from tests.faults.harness import Pipeline, Scenario, elasticsearch, fast_scenarios, pipeline, run_scenario, workspace
from tests.faults.reports import make_reports

pytestmark = pytest.mark.e2e

REPORTS = 10
SERVICE_ENV = {"ACK_WAIT_SECONDS": "5"}
SETTLE_SECONDS = 90
# A healthy run ends as soon as every report is indexed; only a stuck one waits out the deadline, so
# stillness never ends a wait early (a loaded CI machine restarts a service slower than the ack wait).
QUIET_SECONDS = SETTLE_SECONDS


@pytest.fixture(scope="module")
def workdirs() -> Iterator[tuple[Path, Path]]:
    base, logs = workspace("e2e")
    yield base, logs
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def infra(workdirs: tuple[Path, Path]) -> Iterator[LocalStack]:
    """Our own node, not the session's: only a process the test started can be frozen."""
    with elasticsearch(*workdirs) as node:
        yield node


@pytest.fixture(scope="module")
def running(infra: LocalStack, workdirs: tuple[Path, Path]) -> Iterator[Pipeline]:
    """One pipeline for the three faults (each counts only its own reports): start-up is most of the time."""
    with pipeline(infra, *workdirs, SERVICE_ENV, QUIET_SECONDS) as started:
        yield started


@pytest.mark.parametrize("scenario", fast_scenarios(), ids=lambda s: s.name)
def test_no_report_lost_or_duplicated(running: Pipeline, scenario: Scenario) -> None:
    result = run_scenario(running, scenario, make_reports(REPORTS, uuid.uuid4().hex[:8]), SETTLE_SECONDS)
    assert (result.lost, result.duplicated, result.dead_lettered) == (0, 0, 0), result
