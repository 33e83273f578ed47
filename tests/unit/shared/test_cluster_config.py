"""Cluster configuration without servers: server lists, replica counts, what the status and the node-loss
check make of a stream's replicas. A wrong split or a lost replica count would leave a cluster at one copy."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from nats.js.api import ClusterInfo, PeerInfo

from services.cli.stack import CLUSTER_REPLICAS, LocalStack
from services.indexer.elastic import INDEX_KINDS, load_template
from shared import topology
from shared.settings import Settings, url_list
from shared.status import cluster_detail, servers_detail
from tests.faults.cluster import lagging_replicas


def test_one_variable_names_every_server_of_a_cluster() -> None:
    settings = Settings(NATS_URL="nats://a:4222, nats://b:4222,nats://c:4222", ES_URL="http://a:9200")
    assert settings.nats_servers == ["nats://a:4222", "nats://b:4222", "nats://c:4222"]
    assert settings.es_hosts == ["http://a:9200"]
    assert (settings.nats_replicas, settings.es_index_replicas) == (1, 0)  # one server, one node: no copies


@given(st.text())
def test_url_list_never_crashes_and_keeps_no_blank_or_padded_entry(text: str) -> None:
    urls = url_list(text)
    assert all(url and url == url.strip() and "," not in url for url in urls)


def test_the_cluster_stack_asks_for_three_copies_of_streams_and_one_replica_per_shard() -> None:
    settings = Settings(**CLUSTER_REPLICAS)
    assert (settings.nats_replicas, settings.es_index_replicas) == (3, 1)


def test_every_stream_and_bucket_config_carries_the_replica_count() -> None:
    assert topology.stream_config(replicas=3).num_replicas == 3
    assert topology.advisory_stream_config(3).num_replicas == 3
    assert topology.bucket_config(topology.RAW_BUCKET, 3).replicas == 3
    assert topology.text_bucket_config(replicas=3).replicas == 3
    assert topology.stream_config().num_replicas == 1


def test_index_templates_take_the_replica_count() -> None:
    for kind in INDEX_KINDS:
        assert load_template(kind, "p", 1)["template"]["settings"]["index"]["number_of_replicas"] == 1
        assert load_template(kind, "p")["template"]["settings"]["index"]["number_of_replicas"] == 0


def test_each_service_gets_its_own_credentials_on_every_server_of_the_cluster(tmp_path: Path) -> None:
    stack = LocalStack(data_dir=tmp_path, log_dir=tmp_path)
    stack.env["NATS_URL"] = "nats://127.0.0.1:1,nats://127.0.0.1:2"
    stack.nats_passwords = {"NATS_INDEXER_PASSWORD": "secret"}
    assert stack.service_nats_url("indexer") == "nats://indexer:secret@127.0.0.1:1,nats://indexer:secret@127.0.0.1:2"
    assert stack.service_nats_url("search-api") == stack.env["NATS_URL"]  # no user of its own: the operator


def peer(name: str, current: bool = True, offline: bool | None = None) -> PeerInfo:
    return PeerInfo(name=name, current=current, offline=offline, active=0, lag=None)


def test_status_names_the_servers_holding_the_stream_and_which_are_behind() -> None:
    whole = ClusterInfo(leader="nats-1", name="govreports", replicas=[peer("nats-2"), peer("nats-3")])
    detail = cluster_detail(whole)
    assert detail == "stream REPORTS 3/3 copies current: nats-1 leads, nats-2 current, nats-3 current"
    degraded = ClusterInfo(leader="nats-2", replicas=[peer("nats-1", False, True), peer("nats-3", False)])
    assert cluster_detail(degraded) == "stream REPORTS 1/3 copies current: nats-2 leads, nats-1 offline, nats-3 behind"
    assert cluster_detail(ClusterInfo(leader="govreports-nats")) == ""  # one server: nothing to say
    assert (servers_detail(2, 3), servers_detail(1, 1)) == ("2/3 servers answer", "")


def test_node_loss_check_names_every_replica_that_is_not_whole() -> None:
    whole = ClusterInfo(leader="nats-1", replicas=[peer("nats-2"), peer("nats-3")])
    assert lagging_replicas("REPORTS", whole, 3) == []
    broken = ClusterInfo(leader=None, replicas=[peer("nats-2", False, True), peer("nats-3", False)])
    assert lagging_replicas("REPORTS", broken, 3) == [
        "REPORTS: no leader", "REPORTS: nats-2 offline", "REPORTS: nats-3 not current"
    ]
    assert lagging_replicas("REPORTS", ClusterInfo(leader="nats-1"), 3) == ["REPORTS: 0 of 2 followers"]
    assert lagging_replicas("REPORTS", None, 3) == ["REPORTS: no cluster info"]
