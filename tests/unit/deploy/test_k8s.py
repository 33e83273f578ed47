"""deploy/k8s validated offline (no cluster, no Helm, no network).

- Core kinds (Deployment, Service, ConfigMap, PodDisruptionBudget, HorizontalPodAutoscaler, Namespace) against the
  Kubernetes KUBERNETES_VERSION OpenAPI schemas shipped by `kubernetes-validate`, strict (an unknown field fails).
- CRD kinds: `kubernetes-validate` has no ECK or KEDA schemas, so their apiVersions and the fields their CRDs
  require are checked here one by one, and the core objects they embed (ECK's podTemplate and
  volumeClaimTemplates) are validated as PodTemplate / PersistentVolumeClaim against the Kubernetes schemas.
- nats-values.yaml against the keys the nats-io/nats chart 1.x reads (NATS_CHART_KEYS), its users and
  permissions against deploy/nats/nats-auth.conf, and the server config it renders through `nats-server -t`.
- Everything against the code: durables and the stream from shared/topology.py, ConfigMap keys from
  shared/settings.py, commands from docker-compose.yml, sizes that fit each other.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from services.cli.stack import nats_server_binary
from shared import topology
from shared.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[3]
K8S = REPO_ROOT / "deploy" / "k8s"
KUBERNETES_VERSION = "1.34.0"
"""The oldest Kubernetes release the manifests target; `kubernetes-validate` ships its schemas."""
KUSTOMIZATION = yaml.safe_load((K8S / "kustomization.yaml").read_text("utf-8"))
NATS_VALUES = yaml.safe_load((K8S / "nats-values.yaml").read_text("utf-8"))
COMPOSE = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text("utf-8"))
NATS_AUTH = (REPO_ROOT / "deploy" / "nats" / "nats-auth.conf").read_text("utf-8")
NATS_SERVER_CONF = (REPO_ROOT / "deploy" / "nats" / "nats-server.conf").read_text("utf-8")

CRD_GROUPS = {"elasticsearch.k8s.elastic.co", "kibana.k8s.elastic.co", "keda.sh"}
STAGES = (
    topology.NORMALIZER, topology.SECTION_SPLITTER, topology.METRIC_EXTRACTOR, topology.INDEXER, topology.CROSS_YEAR
)
"""The durables of REPORTS that KEDA scales on; ingest (several sources) runs a fixed count."""
NATS_RELEASE = "nats"
"""The Helm release name of README's `helm install nats …`: pods nats-0..2, headless Service nats-headless."""


def manifests() -> list[dict[str, Any]]:
    found = []
    for resource in KUSTOMIZATION["resources"]:
        found += [doc for doc in yaml.safe_load_all((K8S / resource).read_text("utf-8")) if doc]
    return found


MANIFESTS = manifests()


def named(kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in MANIFESTS if doc["kind"] == kind}


def group(doc: dict[str, Any]) -> str:
    return doc["apiVersion"].rpartition("/")[0]


def label(doc: dict[str, Any]) -> str:
    return f"{doc['kind']}/{doc['metadata']['name']}"


def container(deployment: dict[str, Any]) -> dict[str, Any]:
    (only,) = deployment["spec"]["template"]["spec"]["containers"]
    return only


def env(deployment: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in container(deployment).get("env", [])}


CONFIG = named("ConfigMap")["govreports-config"]["data"]
DEPLOYMENTS = named("Deployment")
ELASTICSEARCH = named("Elasticsearch")["govreports"]


def test_the_kustomization_applies_every_manifest_of_the_folder() -> None:
    listed = set(KUSTOMIZATION["resources"])
    on_disk = {path.name for path in K8S.glob("*.yaml")} - {"kustomization.yaml", "nats-values.yaml"}
    assert listed == on_disk
    assert KUSTOMIZATION["namespace"] == "govreports" and KUSTOMIZATION["kind"] == "Kustomization"
    assert [image["name"] for image in KUSTOMIZATION["images"]] == ["govreports"]
    assert {container(d)["image"] for d in DEPLOYMENTS.values()} == {"govreports"}  # all rewritten by `images`


@pytest.mark.parametrize("doc", [d for d in MANIFESTS if group(d) not in CRD_GROUPS], ids=label)
def test_core_kinds_validate_against_the_kubernetes_schemas(doc: dict[str, Any]) -> None:
    kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_the_validator_refuses_what_kubernetes_would() -> None:
    """The strict schemas catch a misspelt field and a wrong type, so the test above proves something."""
    deployment = yaml.safe_load(yaml.safe_dump(DEPLOYMENTS["normalizer"]))
    container(deployment)["readinesProbe"] = container(deployment).pop("readinessProbe")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)
    deployment = yaml.safe_load(yaml.safe_dump(DEPLOYMENTS["normalizer"]))
    deployment["spec"]["replicas"] = "one"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


def test_the_crd_kinds_are_only_those_checked_by_hand() -> None:
    crd_kinds = {(doc["apiVersion"], doc["kind"]) for doc in MANIFESTS if group(doc) in CRD_GROUPS}
    assert crd_kinds == {
        ("elasticsearch.k8s.elastic.co/v1", "Elasticsearch"),
        ("kibana.k8s.elastic.co/v1", "Kibana"),
        ("keda.sh/v1alpha1", "ScaledObject"),
    }


def validate_pod_template(template: dict[str, Any]) -> None:
    """ECK merges a podTemplate into the pods it builds: it must be a valid core PodTemplateSpec."""
    pod = {"apiVersion": "v1", "kind": "PodTemplate", "metadata": {"name": "embedded"}, "template": template}
    kubernetes_validate.validate(pod, KUBERNETES_VERSION, strict=True)


def test_the_eck_elasticsearch_has_three_nodes_of_the_compose_version() -> None:
    spec = ELASTICSEARCH["spec"]
    compose_version = re.search(r":-([\d.]+)\}", COMPOSE["services"]["elasticsearch"]["image"])[1]  # type: ignore[index]
    assert spec["version"] == compose_version
    (node_set,) = spec["nodeSets"]  # the CRD requires nodeSets, each with name and count
    assert node_set["name"] and node_set["count"] == 3
    validate_pod_template(node_set["podTemplate"])
    (main,) = node_set["podTemplate"]["spec"]["containers"]
    assert main["name"] == "elasticsearch"  # ECK merges the settings into its own container by this name
    heap = re.findall(r"-Xm[sx](\d+)g", next(e["value"] for e in main["env"] if e["name"] == "ES_JAVA_OPTS"))
    memory = main["resources"]["limits"]["memory"]
    assert len(set(heap)) == 1 and int(heap[0]) * 2 == int(memory.removesuffix("Gi")), "heap = half the memory"
    (claim,) = node_set["volumeClaimTemplates"]
    assert claim["metadata"]["name"] == "elasticsearch-data"  # the claim ECK mounts as the data path
    kubernetes_validate.validate(
        {"apiVersion": "v1", "kind": "PersistentVolumeClaim", **claim}, KUBERNETES_VERSION, strict=True
    )
    assert spec["http"]["tls"]["selfSignedCertificate"]["disabled"] is True  # ES_URL is http://
    assert ELASTICSEARCH["metadata"]["name"] == "govreports"


def test_kibana_follows_the_elasticsearch_cluster() -> None:
    (kibana,) = named("Kibana").values()
    assert kibana["spec"]["version"] == ELASTICSEARCH["spec"]["version"]  # the CRD requires version
    assert kibana["spec"]["elasticsearchRef"]["name"] == ELASTICSEARCH["metadata"]["name"]
    validate_pod_template(kibana["spec"]["podTemplate"])


def test_every_stage_scales_on_the_lag_of_its_own_durable() -> None:
    scaled = named("ScaledObject")
    assert set(scaled) == set(STAGES)
    for name, scaled_object in scaled.items():
        spec = scaled_object["spec"]
        assert spec["scaleTargetRef"]["name"] == name and name in DEPLOYMENTS  # the CRD requires scaleTargetRef
        assert 1 <= spec["minReplicaCount"] <= spec["maxReplicaCount"]
        (trigger,) = spec["triggers"]
        assert trigger["type"] == "nats-jetstream"
        metadata = trigger["metadata"]
        assert metadata["stream"] == topology.STREAM_NAME and metadata["consumer"] == name
        assert metadata["account"] == "$G"  # users in the server's global account (nats-auth.conf)
        host, _, port = metadata["natsServerMonitoringEndpoint"].partition(":")
        assert host.startswith(f"{NATS_RELEASE}-headless.{KUSTOMIZATION['namespace']}.")
        assert int(port) == NATS_VALUES["config"]["monitor"]["port"]
        assert all(isinstance(value, str) for value in metadata.values())  # trigger metadata is map[string]string
        assert int(metadata["lagThreshold"]) > 0


def test_the_deployments_are_the_compose_services() -> None:
    services = COMPOSE["services"]
    assert set(DEPLOYMENTS) == set(topology.PIPELINE_SERVICES) | {"search-api"}
    for name, deployment in DEPLOYMENTS.items():
        assert container(deployment)["command"] == services[name]["command"], name
        assert container(deployment)["name"] == name
        selector = {"app.kubernetes.io/name": name}
        assert deployment["spec"]["selector"]["matchLabels"] == selector
        assert selector.items() <= deployment["spec"]["template"]["metadata"]["labels"].items()


@pytest.mark.parametrize("name", sorted(DEPLOYMENTS))
def test_each_pod_runs_unprivileged_on_a_read_only_root(name: str) -> None:
    pod = DEPLOYMENTS[name]["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True and pod["automountServiceAccountToken"] is False
    dockerfile = (REPO_ROOT / "deploy" / "Dockerfile").read_text("utf-8")
    assert f"--uid {pod['securityContext']['runAsUser']} " in dockerfile
    security = container(DEPLOYMENTS[name])["securityContext"]
    assert security["readOnlyRootFilesystem"] is True and security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]
    mounts = {mount["mountPath"] for mount in container(DEPLOYMENTS[name])["volumeMounts"]}
    assert "/tmp" in mounts
    resources = container(DEPLOYMENTS[name])["resources"]
    assert set(resources) == {"requests", "limits"} and resources["limits"]["memory"]


@pytest.mark.parametrize("name", sorted(topology.PIPELINE_SERVICES))
def test_a_pipeline_pod_probes_its_own_health_file(name: str) -> None:
    main = container(DEPLOYMENTS[name])
    expected = ["python", "-m", "shared.probe", f"{CONFIG['HEALTH_DIR']}/{name}.json"]
    assert main["readinessProbe"]["exec"]["command"] == expected
    assert main["livenessProbe"]["exec"]["command"] == expected
    assert {"mountPath": CONFIG["HEALTH_DIR"], "name": "health"} in main["volumeMounts"]
    liveness, readiness = main["livenessProbe"], main["readinessProbe"]
    # liveness gives up far later than readiness: an outage makes a pod unready, not restarted
    assert liveness["periodSeconds"] * liveness["failureThreshold"] >= 10 * readiness["periodSeconds"] * readiness[
        "failureThreshold"
    ]
    assert importlib.util.find_spec(expected[2]) is not None  # the module the image runs


def test_the_search_api_is_probed_over_http_and_served_by_a_service() -> None:
    main = container(DEPLOYMENTS["search-api"])
    port = option_value(main["command"], "--port")
    assert [p["containerPort"] for p in main["ports"]] == [int(port)]
    assert main["readinessProbe"]["httpGet"]["path"] == "/healthz"
    assert main["livenessProbe"]["tcpSocket"]["port"] == main["ports"][0]["name"]
    service = named("Service")["search-api"]
    assert service["spec"]["selector"] == DEPLOYMENTS["search-api"]["spec"]["selector"]["matchLabels"]
    assert service["spec"]["ports"][0]["targetPort"] == main["ports"][0]["name"]


def option_value(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


@pytest.mark.parametrize("name", sorted(DEPLOYMENTS))
def test_every_deployment_has_a_disruption_budget_that_lets_a_node_drain(name: str) -> None:
    pods = DEPLOYMENTS[name]["spec"]["template"]["metadata"]["labels"].items()
    budgets = named("PodDisruptionBudget").values()
    (budget,) = [b for b in budgets if b["spec"]["selector"]["matchLabels"].items() <= pods]
    replicas = DEPLOYMENTS[name]["spec"]["replicas"]
    assert budget["spec"].get("maxUnavailable", 0) >= 1 or budget["spec"]["minAvailable"] < replicas


@pytest.mark.parametrize("name", [*sorted(topology.PIPELINE_SERVICES), "search-api"])
def test_each_service_connects_to_every_nats_server_as_its_own_user(name: str) -> None:
    variables = env(DEPLOYMENTS[name])
    assert variables["NATS_PASSWORD"]["valueFrom"]["secretKeyRef"] == {"name": "govreports-nats-users", "key": name}
    urls = variables["NATS_URL"]["value"].split(",")
    servers = NATS_VALUES["config"]["cluster"]["replicas"]
    pods = [f"{NATS_RELEASE}-{n}.{NATS_RELEASE}-headless" for n in range(servers)]
    assert urls == [f"nats://{name}:$(NATS_PASSWORD)@{pod}:4222" for pod in pods]
    assert list(variables).index("NATS_PASSWORD") < list(variables).index("NATS_URL")  # $(…) sees earlier ones only


def test_only_the_services_compose_gives_a_key_get_one() -> None:
    """The same three API keys as compose's es-setup volumes: indexer and cross-year write, search-api reads."""
    keyed = {
        name: variables["ES_API_KEY"]["valueFrom"]["secretKeyRef"]
        for name, deployment in DEPLOYMENTS.items()
        if "ES_API_KEY" in (variables := env(deployment))
    }
    compose_keyed = {
        name for name, spec in COMPOSE["services"].items()
        if not spec.get("profiles") and any(v.endswith(":/es-key:ro") for v in spec.get("volumes", []))
    }
    assert set(keyed) == compose_keyed
    assert all(ref == {"name": "govreports-es-keys", "key": name} for name, ref in keyed.items())


def test_the_config_map_holds_only_settings_and_fits_the_clusters() -> None:
    aliases = {field.alias for field in Settings.model_fields.values()}
    assert set(CONFIG) <= aliases, set(CONFIG) - aliases
    settings = Settings.model_validate(CONFIG)  # the values parse as the services will parse them
    assert settings.nats_replicas == NATS_VALUES["config"]["cluster"]["replicas"]
    node_set = ELASTICSEARCH["spec"]["nodeSets"][0]
    assert 1 <= settings.es_index_replicas <= node_set["count"] - 1
    prefix = f"{ELASTICSEARCH['metadata']['name']}-es-{node_set['name']}"
    assert settings.es_hosts == [f"http://{prefix}-{n}.{prefix}:9200" for n in range(node_set["count"])]
    file_store = NATS_VALUES["config"]["jetstream"]["fileStore"]
    assert settings.stream_max_bytes < gib(file_store["maxSize"]) <= gib(file_store["pvc"]["size"])


def gib(size: str) -> int:
    """Bytes of a Kubernetes / NATS chart quantity in Gi."""
    return int(size.removesuffix("Gi")) * 1024**3


# nats-io/nats chart 1.x values.yaml: the keys the chart reads where these values set any. None marks a
# free-form block (the chart merges it into the server config, the container or the pod as it is).
NATS_CHART_KEYS: dict[str, Any] = {
    "config": {
        "cluster": {"enabled": None, "replicas": None, "port": None, "tls": None, "routeURLs": None, "merge": None,
                    "patch": None, "name": None},
        "jetstream": {
            "enabled": None,
            "fileStore": {"enabled": None, "dir": None, "maxSize": None,
                          "pvc": {"enabled": None, "size": None, "storageClassName": None, "merge": None,
                                  "patch": None, "name": None}},
            "memoryStore": {"enabled": None, "maxSize": None},
            "merge": None, "patch": None,
        },
        "nats": None, "leafnodes": None, "websocket": None, "mqtt": None, "gateway": None,
        "monitor": {"enabled": None, "port": None, "tls": None},
        "profiling": None, "resolver": None, "serverNamePrefix": None, "merge": None, "patch": None,
    },
    "container": {"image": {"repository": None, "tag": None, "pullPolicy": None, "registry": None},
                  "ports": None, "env": None, "merge": None, "patch": None},
    "podTemplate": {"configChecksumAnnotation": None, "topologySpreadConstraints": None, "merge": None,
                    "patch": None},
    "podDisruptionBudget": {"enabled": None, "merge": None, "patch": None, "name": None},
    "natsBox": {"enabled": None, "container": None, "contexts": None, "defaultContextName": None,
                "deployment": None, "serviceAccount": None},
    "global": None, "fullnameOverride": None, "namespaceOverride": None, "nameOverride": None, "reloader": None,
    "promExporter": None, "service": None, "headlessService": None, "statefulSet": None, "serviceAccount": None,
    "extraResources": None,
}


def unknown_keys(values: dict[str, Any], layout: dict[str, Any], path: str = "") -> list[str]:
    unknown = []
    for key, value in values.items():
        if key not in layout:
            unknown.append(f"{path}{key}")
        elif isinstance(layout[key], dict) and isinstance(value, dict):
            unknown += unknown_keys(value, layout[key], f"{path}{key}.")
    return unknown


def test_the_nats_values_use_only_keys_the_chart_reads() -> None:
    assert unknown_keys(NATS_VALUES, NATS_CHART_KEYS) == []
    assert unknown_keys({"config": {"clustr": {}}}, NATS_CHART_KEYS) == ["config.clustr"]  # the walk finds typos


def test_the_nats_values_are_a_three_server_jetstream_cluster_like_compose() -> None:
    config = NATS_VALUES["config"]
    assert config["cluster"]["enabled"] is True and config["cluster"]["replicas"] == 3
    assert config["jetstream"]["enabled"] is True and config["jetstream"]["fileStore"]["pvc"]["enabled"] is True
    image = NATS_VALUES["container"]["image"]
    assert f"{image['repository']}:{image['tag']}" == COMPOSE["services"]["nats"]["image"]
    server_settings = dict(re.findall(r"^(\w+): +\"?([\w.]+)\"?", NATS_SERVER_CONF, re.M))
    for key, value in config["merge"].items():
        if key != "authorization":
            assert str(value).removeprefix("<< ").removesuffix(" >>") == server_settings[key], key
    assert {k for k in server_settings if k not in ("server_name", "port")} <= set(config["merge"])


def conf_users() -> dict[str, dict[str, Any]]:
    """nats-auth.conf's users: password variable, publish allow/deny and subscribe allow lists."""
    text = re.sub(r"#.*", "", NATS_AUTH)
    variables = {
        "JS_DESTRUCTIVE": re.findall(r'"([^"]+)"', re.search(r"JS_DESTRUCTIVE: \[(.*?)\]", text, re.S)[1]),  # type: ignore[index]
        "INBOXES": re.findall(r'"([^"]+)"', re.search(r"INBOXES: \{ allow: \[(.*?)\]", text, re.S)[1]),  # type: ignore[index]
    }
    users = {}
    for chunk in re.split(r"\{ user: ", text.partition("authorization")[2])[1:]:
        name = re.match(r"([\w-]+),", chunk)[1]  # type: ignore[index]
        allow = re.search(r"publish: \{ allow: \[(.*?)\]", chunk, re.S)
        deny = re.search(r"deny: \$(\w+)", chunk)
        subscribe = re.search(r"subscribe: \$(\w+)", chunk)
        users[name] = {
            "password": re.search(r"password: \$(\w+)", chunk)[1],  # type: ignore[index]
            "allow": re.findall(r'"([^"]+)"', allow[1]) if allow else None,
            "deny": variables[deny[1]] if deny else None,
            "subscribe": variables[subscribe[1]] if subscribe else None,
        }
    return users


def test_the_nats_users_and_permissions_are_those_of_nats_auth_conf() -> None:
    expected = conf_users()
    assert {"ingest", "normalizer", "admin", "minio"} <= set(expected)  # the parser found the file's users
    users = {user["user"]: user for user in NATS_VALUES["config"]["merge"]["authorization"]["users"]}
    assert set(users) == set(expected)
    secret_env = NATS_VALUES["container"]["env"]
    for name, want in expected.items():
        user = users[name]
        assert user["password"] == f"<< ${want['password']} >>"
        secret = secret_env[want["password"]]["valueFrom"]["secretKeyRef"]
        assert secret == {"name": "govreports-nats-users", "key": name}
        permissions = user.get("permissions", {})
        assert permissions.get("publish", {}).get("allow") == want["allow"], name
        assert permissions.get("publish", {}).get("deny") == want["deny"], name
        assert permissions.get("subscribe", {}).get("allow") == want["subscribe"], name


def chart_rendered_config(merge: dict[str, Any]) -> str:
    """The server config the chart renders from config.merge: JSON (a valid NATS config), `<< raw >>` unquoted."""
    return re.sub(r'"<< (.*?) >>"', r"\1", json.dumps(merge, indent=1))


def nats_config_check(config: Path, passwords: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`nats-server -t` on `config` with exactly `passwords` as the password variables of its environment."""
    environment = {k: v for k, v in os.environ.items() if not k.endswith("_PASSWORD")} | passwords
    command = [nats_server_binary(), "-c", str(config), "-t"]
    return subprocess.run(command, capture_output=True, text=True, env=environment, timeout=30)


def test_nats_server_accepts_the_config_the_chart_renders_from_the_values(tmp_path: Path) -> None:
    """It parses, with every password variable resolved from the container's environment (container.env)."""
    config = tmp_path / "merge.conf"
    config.write_text(chart_rendered_config(NATS_VALUES["config"]["merge"]), "utf-8")
    passwords = {name: "x" for name in NATS_VALUES["container"]["env"] if name.endswith("_PASSWORD")}
    checked = nats_config_check(config, passwords)
    assert checked.returncode == 0, checked.stderr
    del passwords["NATS_ADMIN_PASSWORD"]  # the check would catch a user whose password nothing provides
    refused = nats_config_check(config, passwords)
    assert refused.returncode != 0 and "NATS_ADMIN_PASSWORD" in refused.stderr + refused.stdout
