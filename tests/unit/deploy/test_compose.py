"""docker-compose.yml read as YAML (no Docker engine here): contained by default.

Ports listen on loopback unless BIND_ADDRESS says otherwise, no password has a default, Elasticsearch
security is on with separate write/read keys, every NATS client is its own user, images are pinned.
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
    clients = {name: environment(name)["NATS_URL"] for name in SERVICES if "NATS_URL" in environment(name)}
    assert set(clients) == {"ingest", "normalizer", "section-splitter", "metric-extractor", "indexer", "cross-year"}
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


@pytest.mark.parametrize("service", ["nats", "elasticsearch", "kibana", "search-api", "minio"])
def test_long_running_infrastructure_keeps_its_healthcheck(service: str) -> None:
    assert SERVICES[service]["healthcheck"]["test"]


OBSERVABILITY = {"otel-collector", "jaeger"}
COLLECTOR_MOUNT = "./deploy/otel/collector.yaml:/etc/otelcol-contrib/collector.yaml:ro"


def collector_config() -> dict[str, Any]:
    assert COLLECTOR_MOUNT in SERVICES["otel-collector"]["volumes"]
    assert f"--config={COLLECTOR_MOUNT.split(':')[1]}" in SERVICES["otel-collector"]["command"]
    return yaml.safe_load((REPO_ROOT / COLLECTOR_MOUNT.split(":")[0]).read_text(encoding="utf-8"))


def test_observability_runs_only_with_its_profile() -> None:
    profiled = {name for name, spec in SERVICES.items() if spec.get("profiles")}
    assert profiled == OBSERVABILITY
    assert all(SERVICES[name]["profiles"] == ["observability"] for name in OBSERVABILITY)


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
