"""docker-compose.yml read as YAML (no Docker engine here): contained by default, and its `cluster` profile.

Ports listen on loopback unless BIND_ADDRESS says otherwise, no password has a default, Elasticsearch
security is on with separate write/read keys, every NATS client is its own user, images are pinned.
The `cluster` profile: three NATS servers routed to each other and three Elasticsearch nodes seeding each other,
and a copy of every pipeline service with the default one's settings pointed at all of them.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[3]
COMPOSE_TEXT = (REPO_ROOT / "docker-compose.yml").read_text(encoding="utf-8")
COMPOSE = yaml.safe_load(COMPOSE_TEXT)
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
DEFAULT = {name for name, spec in SERVICES.items() if not spec.get("profiles")}
CLUSTER = {name for name, spec in SERVICES.items() if "cluster" in spec.get("profiles", [])}
NATS_NODES = ("nats-1", "nats-2", "nats-3")
ES_NODES = ("es-1", "es-2", "es-3")
PIPELINE = {name for name in DEFAULT if "build" in SERVICES[name]}
"""The six NATS services and the search API: the ones the cluster profile runs again as cluster-<name>."""
NATS_AUTH = (REPO_ROOT / "deploy" / "nats" / "nats-auth.conf").read_text(encoding="utf-8")
ES_SETUP = (REPO_ROOT / "deploy" / "elasticsearch" / "security-setup.sh").read_text(encoding="utf-8")

_REFERENCE = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}")
_SECRET_NAME = re.compile(r"PASSWORD|SECRET|API_KEY")
PINNED_TAG = re.compile(r"^(\d+\.\d+\.\d+(-[a-z0-9]+)?|RELEASE\.\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z)$")


def with_defaults(value: str) -> str:
    """What compose makes of `value` with an empty environment: `${X:-d}` → d (a required `${X:?}` → X)."""
    return _REFERENCE.sub(lambda m: m[3] if m[2] in ("-", ":-") else m[1], value)


def environment(service: str) -> dict[str, str]:
    return {name: str(value) for name, value in (SERVICES[service].get("environment") or {}).items()}


@pytest.mark.parametrize("service", [name for name, spec in SERVICES.items() if spec.get("ports")])
def test_published_ports_listen_on_loopback_by_default(service: str) -> None:
    for port in SERVICES[service]["ports"]:
        assert port.startswith("${BIND_ADDRESS:-"), f"{service} {port}: bind address not configurable"
        address, _host_port, _container_port = with_defaults(port).split(":")
        assert ipaddress.ip_address(address).is_loopback, f"{service} {port}"


def test_no_password_has_a_default() -> None:
    """Every secret is a required variable (`${X:?…}`): compose refuses to start without it."""
    for match in _REFERENCE.finditer(COMPOSE_TEXT):
        if _SECRET_NAME.search(match[1]):
            assert match[2] == ":?", f"${{{match[1]}}} must be required, not {match[0]}"
    for service in SERVICES:
        for name, value in environment(service).items():
            if _SECRET_NAME.search(name):
                assert _REFERENCE.fullmatch(value) or value.startswith("elastic:${"), f"{service} {name}={value}"
            if "://" in value and "@" in value:  # credentials in a URL
                assert re.search(r"://[\w-]+:\$\{\w+:\?[^}]+\}@", value), f"{service} {name}"


def test_every_required_variable_is_documented_in_env_example() -> None:
    example = (REPO_ROOT / ".env.example").read_text(encoding="utf-8")
    required = {m[1] for m in _REFERENCE.finditer(COMPOSE_TEXT) if m[2] == ":?"}
    assert required and all(re.search(rf"^#? ?{name}=", example, re.M) for name in required), required


def test_elasticsearch_security_is_on_with_a_write_and_a_read_only_key() -> None:
    es = environment("elasticsearch")
    assert es["xpack.security.enabled"] == "true" and es["ELASTIC_PASSWORD"].startswith("${ELASTIC_PASSWORD:?")
    assert "-u" in " ".join(SERVICES["elasticsearch"]["healthcheck"]["test"])  # health needs a login now
    assert environment("kibana")["ELASTICSEARCH_USERNAME"] == "kibana_system"
    mounts = {name: SERVICES[name]["volumes"] for name in ("indexer", "search-api", "cross-year")}
    assert mounts == {"indexer": ["es-key-indexer:/es-key:ro"], "search-api": ["es-key-search-api:/es-key:ro"],
                      "cross-year": ["es-key-cross-year:/es-key:ro"]}
    for name in mounts:
        assert SERVICES[name]["depends_on"]["es-setup"]["condition"] == "service_completed_successfully"
        assert "/es-key/es-api-key" in " ".join(SERVICES[name]["entrypoint"])
    read_only = re.search(r"^key search-api (.*?)(?=^\S|\Z)", ES_SETUP, re.M | re.S)
    privileges = read_only[1].replace("\\", "") if read_only else ""
    assert '"read"' in privileges and "write" not in privileges and "manage" not in privileges


def test_each_nats_client_is_its_own_user_in_the_permission_file() -> None:
    assert "/etc/govreports/nats-auth.conf" in SERVICES["nats"]["command"]
    clients = {name: environment(name)["NATS_URL"] for name in DEFAULT if "NATS_URL" in environment(name)}
    assert set(clients) == {"ingest", "normalizer", "section-splitter", "metric-extractor", "indexer", "cross-year",
                            "search-api"}
    for name, url in clients.items():
        assert url.startswith(f"nats://{name}:"), url
        assert f"user: {name}," in NATS_AUTH
    assert environment("minio")["MINIO_NOTIFY_NATS_USERNAME_1"] == "minio" and "user: minio," in NATS_AUTH
    passwords = set(re.findall(r"password: \$(\w+)", NATS_AUTH))
    assert passwords == set(environment("nats")), "the nats container must receive every password the file reads"


@pytest.mark.parametrize("service", [name for name, spec in SERVICES.items() if "build" not in spec])
def test_images_are_pinned_to_exact_versions(service: str) -> None:
    image = with_defaults(SERVICES[service]["image"])
    name, _, tag = image.rpartition(":")
    assert name and PINNED_TAG.match(tag), f"{service}: {image} is not an exact version"


@pytest.mark.parametrize(
    "service", ["nats", "elasticsearch", "kibana", "search-api", "minio", *NATS_NODES, *ES_NODES, "cluster-search-api"]
)
def test_long_running_infrastructure_keeps_its_healthcheck(service: str) -> None:
    assert SERVICES[service]["healthcheck"]["test"]


OBSERVABILITY = {"otel-collector", "jaeger"}
COLLECTOR_MOUNT = "./deploy/otel/collector.yaml:/etc/otelcol-contrib/collector.yaml:ro"


def collector_config() -> dict[str, Any]:
    assert COLLECTOR_MOUNT in SERVICES["otel-collector"]["volumes"]
    assert f"--config={COLLECTOR_MOUNT.split(':')[1]}" in SERVICES["otel-collector"]["command"]
    return yaml.safe_load((REPO_ROOT / COLLECTOR_MOUNT.split(":")[0]).read_text(encoding="utf-8"))


def test_observability_runs_only_with_its_profile() -> None:
    profiled = {name for name, spec in SERVICES.items() if "observability" in spec.get("profiles", [])}
    assert profiled == OBSERVABILITY
    assert all(SERVICES[name]["profiles"] == ["observability"] for name in OBSERVABILITY)
    assert set(SERVICES) == DEFAULT | OBSERVABILITY | CLUSTER


def test_the_services_export_to_the_collector_only_when_asked() -> None:
    for name in (name for name, spec in SERVICES.items() if "build" in spec):
        env = environment(name)
        assert with_defaults(env["OTEL_TRACES_EXPORTER"]) == with_defaults(env["OTEL_METRICS_EXPORTER"]) == "none"
        assert env["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://otel-collector:4318", name


def test_the_collector_pipelines_receive_otlp_and_send_traces_to_jaeger() -> None:
    config = collector_config()
    assert config["receivers"]["otlp"]["protocols"]["http"]["endpoint"].endswith(":4318")  # the services' endpoint
    pipelines = config["service"]["pipelines"]
    assert set(pipelines) == {"traces", "metrics"}
    for pipeline in pipelines.values():  # every component a pipeline names is configured
        assert pipeline["processors"][0] == "memory_limiter"
        for section in ("receivers", "processors", "exporters"):
            assert set(pipeline[section]) <= set(config[section]), (section, pipeline)
    (traces_exporter,) = pipelines["traces"]["exporters"]
    assert config["exporters"][traces_exporter]["endpoint"] == "jaeger:4317"
    assert environment("jaeger")["COLLECTOR_OTLP_ENABLED"] == "true"
    assert any(port.endswith(":16686") for port in SERVICES["jaeger"]["ports"])  # the UI, on BIND_ADDRESS
    assert set(config["service"]["extensions"]) <= set(config["extensions"])


def url_hosts(value: str) -> list[str]:
    """Host of every URL in a (comma-separated) value, credentials skipped: `nats://u:p@nats-1:4222,…` → nats-1."""
    return re.findall(r"[a-z]+://(?:[^@/,]*@)?([\w.-]+)", with_defaults(value))


def option(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def test_the_cluster_profile_stands_apart_from_the_default_deployment() -> None:
    """Neither flavour waits for a service of the other, so naming the cluster's services starts only them
    (`make docker-up-cluster` names every cluster-* service)."""
    assert set(NATS_NODES) | set(ES_NODES) | {f"cluster-{name}" for name in PIPELINE} <= CLUSTER
    for name in SERVICES:
        allowed = SERVICES if name in OBSERVABILITY else CLUSTER if name in CLUSTER else DEFAULT
        assert set(SERVICES[name].get("depends_on") or {}) <= set(allowed), name
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    assert "docker compose --profile cluster up --build -d $$(docker compose --profile cluster config --services" \
        " | grep '^cluster-')" in makefile


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_url_names_a_service_of_its_own_flavour(service: str) -> None:
    """The collector (profile observability) serves both; every other host is a service of the same flavour."""
    own = CLUSTER if service in CLUSTER else DEFAULT | OBSERVABILITY
    for name, value in environment(service).items():
        assert set(url_hosts(value)) <= own | {"otel-collector", "127.0.0.1"}, f"{service} {name}={value}"


@pytest.mark.parametrize("service", sorted(PIPELINE))
def test_each_cluster_service_is_the_default_one_on_every_node(service: str) -> None:
    default, cluster = SERVICES[service], SERVICES[f"cluster-{service}"]
    for key in ("image", "command", "entrypoint", "user", "healthcheck"):
        assert cluster.get(key) == default.get(key), (service, key)
    default_env, cluster_env = environment(service), environment(f"cluster-{service}")
    # The S3 ingest stays with the single node: MinIO announces its objects to the single NATS server.
    expected = {name for name in default_env if not name.startswith("S3_")} | {"NATS_REPLICAS", "ES_INDEX_REPLICAS"}
    assert set(cluster_env) == expected, service
    for name in expected - {"NATS_URL", "ES_URL", "NATS_REPLICAS", "ES_INDEX_REPLICAS"}:
        assert cluster_env[name] == default_env[name], (service, name)
    assert url_hosts(cluster_env["ES_URL"]) == list(ES_NODES)
    if "NATS_URL" in default_env:  # the same user and password variable, once per server
        credentials = re.match(r"(nats://[^@]+@)", default_env["NATS_URL"])[1]  # type: ignore[index]
        assert cluster_env["NATS_URL"] == ",".join(f"{credentials}{node}:4222" for node in NATS_NODES)
    key_volume = [v.replace("es-key-", "cluster-es-key-", 1) for v in default.get("volumes", []) if "es-key" in v]
    assert [v for v in cluster.get("volumes", []) if "es-key" in v] == key_volume


def test_the_replica_counts_fit_the_clusters() -> None:
    """NATS_REPLICAS copies need as many servers; an index replica needs a node beside its primary."""
    for name in (f"cluster-{service}" for service in PIPELINE):
        env = environment(name)
        assert int(env["NATS_REPLICAS"]) == len(NATS_NODES)
        assert 1 <= int(env["ES_INDEX_REPLICAS"]) <= len(ES_NODES) - 1


def test_the_nats_servers_route_to_each_other_with_the_default_users() -> None:
    names, clusters, routes = [], set(), set()
    for node in NATS_NODES:
        spec = SERVICES[node]
        command = spec["command"]
        assert spec["image"] == SERVICES["nats"]["image"]
        assert command[: len(SERVICES["nats"]["command"])] == SERVICES["nats"]["command"]  # same file, JetStream
        assert environment(node) == environment("nats"), "every password the permission file reads"
        assert "./deploy/nats:/etc/govreports:ro" in spec["volumes"]
        names.append(option(command, "--name"))
        clusters.add(option(command, "--cluster_name"))
        listen_port = option(command, "--cluster").rpartition(":")[2]
        routes.add(option(command, "--routes"))
        assert {route.rpartition(":")[2] for route in option(command, "--routes").split(",")} == {listen_port}
    assert names == list(NATS_NODES) and len(clusters) == 1
    for node in NATS_NODES:  # the single server's check skips the meta layer a cluster must have elected first
        assert SERVICES[node]["healthcheck"]["test"][-1] == "http://127.0.0.1:8222/healthz", node
    (route_list,) = routes  # one list for all, naming every server
    assert url_hosts(route_list) == list(NATS_NODES)
    data = {volume for node in NATS_NODES for volume in SERVICES[node]["volumes"] if volume.endswith(":/data")}
    assert len(data) == len(NATS_NODES), "each server its own JetStream store"


def certutil_files() -> set[str]:
    """What es-certs leaves in the certs volume, relative to the config directory: certutil's PEM zips hold
    ca/ca.crt + ca/ca.key and <name>/<name>.crt + <name>/<name>.key, unpacked into config/certs."""
    command = " ".join(SERVICES["es-certs"]["command"])
    assert "unzip -oq config/certs/ca.zip -d config/certs" in command
    unpacked = r"--out config/certs/(\w+)\.zip && unzip -oq config/certs/\2\.zip -d config/certs"
    name = re.search(rf"--name (\w+) .*{unpacked}", command)
    assert name, command
    return {"certs/ca/ca.crt", "certs/ca/ca.key", f"certs/{name[1]}/{name[1]}.crt", f"certs/{name[1]}/{name[1]}.key"}


CERTUTIL_FILES = certutil_files()


def test_the_elasticsearch_nodes_form_one_secured_cluster() -> None:
    single = environment("elasticsearch")
    clusters = set()
    for node in ES_NODES:
        env = environment(node)
        assert SERVICES[node]["image"] == SERVICES["elasticsearch"]["image"]
        assert env["node.name"] == node and "discovery.type" not in env
        seeds, masters = env["discovery.seed_hosts"].split(","), env["cluster.initial_master_nodes"].split(",")
        assert seeds == masters == list(ES_NODES)
        clusters.add(env["cluster.name"])
        for setting in ("xpack.security.enabled", "xpack.security.http.ssl.enabled", "ELASTIC_PASSWORD"):
            assert env[setting] == single[setting], setting  # security as the single node has it
        assert env["xpack.security.transport.ssl.enabled"] == "true"  # a secured multi-node cluster requires it
        certs = [v for v in SERVICES[node]["volumes"] if v.startswith("es-certs:")]
        assert certs == ["es-certs:/usr/share/elasticsearch/config/certs:ro"]
        for setting in ("key", "certificate", "certificate_authorities"):  # relative to the config directory
            assert env[f"xpack.security.transport.ssl.{setting}"] in CERTUTIL_FILES, setting
        assert SERVICES[node]["depends_on"]["es-certs"]["condition"] == "service_completed_successfully"
    assert len(clusters) == 1
    certificate = " ".join(SERVICES["es-certs"]["command"])
    # certutil resolves relative paths against the Elasticsearch home: the one-shot works from there
    assert SERVICES["es-certs"]["working_dir"] == "/usr/share/elasticsearch"
    assert "es-certs:/usr/share/elasticsearch/config/certs" in SERVICES["es-certs"]["volumes"]
    assert f"--dns {','.join(ES_NODES)}" in certificate and "--name node" in certificate
    setup = SERVICES["es-cluster-setup"]
    assert url_hosts(environment("es-cluster-setup")["ES_URL"])[0] in ES_NODES
    assert setup["entrypoint"] == SERVICES["es-setup"]["entrypoint"]
    assert {v.split(":")[1] for v in setup["volumes"]} == {v.split(":")[1] for v in SERVICES["es-setup"]["volumes"]}
