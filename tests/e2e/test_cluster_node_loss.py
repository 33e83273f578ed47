"""`make faults-cluster` small, inside `make test`: a batch in flight on a 3-node NATS cluster and a 3-node
Elasticsearch cluster, the JetStream meta leader SIGKILLed and restarted, later an Elasticsearch node holding
primaries; every report indexed exactly once, no dead letter, both clusters whole again (tests/faults/cluster.py).

The services get a 5 s ack wait, so a message whose pull died with its server comes back in seconds.
"""

from __future__ import annotations

import shutil
import uuid

import pytest

from tests.faults.cluster import node_loss, run_node_loss
from tests.faults.harness import elasticsearch, pipeline, workspace
from tests.faults.reports import make_reports

pytestmark = pytest.mark.e2e

REPORTS = 40
DOWN_SECONDS = 2.0
SERVICE_ENV = {"ACK_WAIT_SECONDS": "5"}
SETTLE_SECONDS = 300.0
"""Only a stuck run waits this out: a healthy one ends once every report is indexed."""


def test_losing_a_nats_server_then_an_elasticsearch_node_loses_and_duplicates_nothing() -> None:
    base, logs = workspace("e2e-cluster")
    reports = make_reports(REPORTS, uuid.uuid4().hex[:8])
    try:
        with (
            elasticsearch(base, logs, cluster=True) as infra,
            pipeline(infra, base, logs, SERVICE_ENV, SETTLE_SECONDS, cluster=True) as running,
        ):
            result = run_node_loss(running, node_loss("meta-leader", DOWN_SECONDS, REPORTS), reports, SETTLE_SECONDS)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print(result)  # the figures: which nodes, at what progress, how long each took to rejoin
    assert (result.indexed, result.lost, result.duplicated, result.dead_lettered, result.dlq_messages) == (
        REPORTS, 0, 0, 0, 0
    ), result
    assert not result.problems, result.problems
