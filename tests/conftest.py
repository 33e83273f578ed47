"""Session-wide real servers, started only when a test asks for them."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from elasticsearch import AsyncElasticsearch

from tests.support.servers import elasticsearch_node, nats_server, new_stack

REPO_ROOT = Path(__file__).resolve().parents[1]
OUTPUT_DIR = REPO_ROOT / "test-output"


@pytest.fixture(scope="session")
def servers_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("servers")


@pytest.fixture(scope="session")
def nats_url(servers_dir: Path) -> Iterator[str]:
    stack = new_stack(servers_dir / "nats")
    try:
        with nats_server(stack) as url:
            yield url
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def es_url() -> Iterator[str]:
    # Under the repo, not /tmp/pytest-of-root: the node runs as an unprivileged user when we are root,
    # and pytest's temp root (mode 700) is not traversable for it.
    base = REPO_ROOT / ".data" / "test-servers" / uuid.uuid4().hex[:8]
    stack = new_stack(base)
    try:
        with elasticsearch_node(stack) as url:
            yield url
    finally:
        stack.stop()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
async def es(es_url: str) -> AsyncIterator[AsyncElasticsearch]:
    client = AsyncElasticsearch(es_url, request_timeout=30)
    yield client
    await client.close()


@pytest.fixture
def unique() -> str:
    """Isolation by unique names, not cleanup."""
    return uuid.uuid4().hex[:10]
