"""Real NATS and Elasticsearch for tests: env URLs → testcontainers (Docker engine) → local processes."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import nats
from nats.aio.client import Client

from services.cli.stack import LocalStack, es_healthy, free_port, nats_server_binary, port_open, wait_until
from shared.runtime import ensure_topology

NATS_IMAGE = "nats:2.11"
ES_IMAGE = "docker.elastic.co/elasticsearch/elasticsearch:8.19.21"


def docker_available() -> bool:
    try:
        import docker

        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


@contextlib.contextmanager
def nats_server(stack: LocalStack) -> Iterator[str]:
    if url := os.environ.get("NATS_URL"):
        yield url
    elif docker_available():
        from testcontainers.core.container import DockerContainer

        with DockerContainer(NATS_IMAGE).with_command("-js").with_exposed_ports(4222) as container:
            yield f"nats://{container.get_container_host_ip()}:{container.get_exposed_port(4222)}"
    else:
        yield stack.start_nats()


@contextlib.contextmanager
def elasticsearch_node(stack: LocalStack) -> Iterator[str]:
    if url := os.environ.get("ES_URL"):
        yield url
    elif docker_available():
        from testcontainers.core.container import DockerContainer

        container = (
            DockerContainer(ES_IMAGE)
            .with_env("discovery.type", "single-node")
            .with_env("xpack.security.enabled", "false")
            .with_env("ES_JAVA_OPTS", "-Xms512m -Xmx512m")
            .with_exposed_ports(9200)
        )
        with container:
            url = f"http://{container.get_container_host_ip()}:{container.get_exposed_port(9200)}"
            wait_until(lambda: es_healthy(url), 180, "elasticsearch container")
            yield url
    else:
        yield stack.start_elasticsearch()


def new_stack(base: Path) -> LocalStack:
    return LocalStack(data_dir=base / "data", log_dir=base / "logs")


@contextlib.contextmanager
def nats_with_config(base: Path, config: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """A nats-server of one test module on its own configuration (a permission file, a payload limit);
    yields its host:port. `env` carries what the configuration reads (passwords)."""
    port = free_port()
    stack = new_stack(base)
    command = [nats_server_binary(), "-c", str(config), "-js", "-sd", str(base / "store"), "-a", "127.0.0.1"]
    process = stack.spawn(f"nats-{config.stem}", [*command, "-p", str(port)], env)
    try:
        wait_until(lambda: port_open(port), 30, f"nats-server with {config.name}", process.alive)
        yield f"127.0.0.1:{port}"
    finally:
        stack.stop()


@contextlib.asynccontextmanager
async def jetstream_connection(url: str) -> AsyncIterator[Client]:
    """A client of `url` with the stream and buckets declared, closed afterwards."""
    connection = await nats.connect(url)
    try:
        await ensure_topology(connection)
        yield connection
    finally:
        await connection.close()
