"""deploy/nats/nats-auth.conf on a real nats-server: each service publishes only what it produces.

The server is started with the compose permission file and random passwords; each service connects as
its own user, runs its start-up topology declaration, publishes its own subject and tries every other
stage's. Only its own lands in the stream; the others are refused with a permissions violation. A pull
consumer acked by its service user really is acked (the ack subjects in the file match the server's).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import nats
import pytest
from nats.aio.client import Client

from services.cli.stack import REPO_ROOT, LocalStack
from services.ingest import objects
from services.ingest.transform import announced_put
from services.search_api.raw_reports import RawReports
from shared import topology
from shared.claims import load_text, store_text
from shared.runtime import ensure_topology
from tests.integration.test_claim_check import normalized_report, report_of
from tests.support.servers import nats_with_config

pytestmark = pytest.mark.integration

AUTH_CONFIG = REPO_ROOT / "deploy" / "nats" / "nats-auth.conf"
PRODUCES = {
    "ingest": topology.RAW,
    "normalizer": topology.NORMALIZED,
    "section-splitter": topology.SECTIONED,
    "metric-extractor": topology.METRICS,
    "indexer": topology.INDEXED,
    "cross-year": topology.CROSSYEAR,
}
USERS = [*PRODUCES, "search-api", "minio", "admin"]
TEXT_WRITERS = ["normalizer", "section-splitter"]
TEXT_READERS = ["section-splitter", "metric-extractor", "indexer"]
"""Users of the text bucket (claim checks of long normalized texts, shared/claims.py)."""


def password_variable(user: str) -> str:
    return f"NATS_{user.upper().replace('-', '_')}_PASSWORD"


@pytest.fixture(scope="module")
def secured_nats(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """(url without credentials, user → password) of a server running the compose permission file."""
    base = tmp_path_factory.mktemp("nats-auth")
    passwords = {user: uuid.uuid4().hex for user in USERS}
    variables = {password_variable(user): password for user, password in passwords.items()}
    with nats_with_config(base, AUTH_CONFIG, variables) as address:
        yield address, passwords


class Connected:
    """One user's connection, recording the errors the server reports asynchronously (-ERR)."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.client = Client()

    async def on_error(self, exc: Exception) -> None:
        self.errors.append(str(exc))

    async def connect(self, address: str, user: str, password: str) -> Client:
        await self.client.connect(f"nats://{user}:{password}@{address}", error_cb=self.on_error,
                                  allow_reconnect=False, connect_timeout=5)
        return self.client

    async def refused(self) -> list[str]:
        """Violations so far, lower-cased as the client reports them: a PING/PONG round trip orders them
        before us, then the callbacks run."""
        await self.client.flush()
        await asyncio.sleep(0.05)
        return [e.lower() for e in self.errors if "permissions violation" in e.lower()]


ConnectAs = Callable[[str], Awaitable[Connected]]


@pytest.fixture
async def connect(secured_nats: tuple[str, dict[str, str]]) -> AsyncIterator[ConnectAs]:
    """Connects as a user of the file; closes every connection after the test."""
    address, passwords = secured_nats
    opened: list[Connected] = []

    async def as_user(user: str) -> Connected:
        connection = Connected()
        await connection.connect(address, user, passwords[user])
        opened.append(connection)
        return connection

    yield as_user
    for connection in opened:
        await connection.client.close()


async def stored_count(admin: Client, subject: str) -> int:
    info = await admin.jetstream().stream_info(topology.STREAM_NAME, subjects_filter=subject)
    return (info.state.subjects or {}).get(subject, 0)


async def test_a_wrong_password_is_refused(secured_nats: tuple[str, dict[str, str]]) -> None:
    address, _ = secured_nats
    with pytest.raises(nats.errors.Error, match=r"(?i)authorization"):
        await nats.connect(f"nats://normalizer:wrong@{address}", allow_reconnect=False, max_reconnect_attempts=0)


@pytest.mark.parametrize("service", list(PRODUCES))
async def test_a_service_publishes_only_the_subject_it_produces(service: str, connect: ConnectAs) -> None:
    admin = (await connect("admin")).client
    await ensure_topology(admin)
    before = {subject: await stored_count(admin, subject) for subject in PRODUCES.values()}

    user = await connect(service)
    await ensure_topology(user.client)  # its start-up declaration works under its own permissions
    ack = await user.client.jetstream().publish(PRODUCES[service], b"{}", stream=topology.STREAM_NAME)
    assert ack.stream == topology.STREAM_NAME
    others = [subject for name, subject in PRODUCES.items() if name != service]
    for subject in others:
        await user.client.publish(subject, b"{}")

    refused = await user.refused()
    assert len(refused) == len(others), refused
    assert all(any(f'"{subject}"' in error for error in refused) for subject in others), refused
    after = {subject: await stored_count(admin, subject) for subject in PRODUCES.values()}
    assert after == before | {PRODUCES[service]: before[PRODUCES[service]] + 1}


async def test_a_service_cannot_listen_to_subjects_or_destroy_the_stream(connect: ConnectAs) -> None:
    admin = (await connect("admin")).client
    await ensure_topology(admin)
    normalizer = await connect("normalizer")
    await normalizer.client.subscribe("reports.>")
    assert any("subscription" in error.lower() for error in await normalizer.refused())
    with pytest.raises(nats.errors.TimeoutError):  # the request never reaches the JetStream API
        await normalizer.client.jetstream(timeout=1).purge_stream(topology.STREAM_NAME)
    assert any(f"purge.{topology.STREAM_NAME}".lower() in error for error in await normalizer.refused())


CONSUMES = {  # each stage's durable is named after it, its input produced by the stage before
    "normalizer": ("ingest", topology.RAW),
    "section-splitter": ("normalizer", topology.NORMALIZED),
    "metric-extractor": ("section-splitter", topology.SECTIONED),
    "indexer": ("metric-extractor", topology.METRICS),
    "cross-year": ("metric-extractor", topology.METRICS),
}


@pytest.mark.parametrize("service", list(CONSUMES))
async def test_a_pull_consumer_acked_by_its_service_user_is_acked(service: str, connect: ConnectAs) -> None:
    admin = (await connect("admin")).client
    await ensure_topology(admin)
    producer, subject = CONSUMES[service]
    consumer = await connect(service)
    marker = f"permissions-{uuid.uuid4().hex}".encode()
    await (await connect(producer)).client.jetstream().publish(subject, marker, stream=topology.STREAM_NAME)

    jetstream = consumer.client.jetstream()
    subscription = await jetstream.pull_subscribe(subject, durable=service, stream=topology.STREAM_NAME)
    received = []
    while marker not in received:  # earlier tests' events come first on the shared durable
        for message in await subscription.fetch(10, timeout=5):
            received.append(message.data)
            await message.ack_sync()
    info = await admin.jetstream().consumer_info(topology.STREAM_NAME, service)
    assert info.num_ack_pending == 0 and not await consumer.refused()


async def test_ingest_takes_object_store_puts_from_its_shared_durable(connect: ConnectAs) -> None:
    """The incoming bucket's puts reach the ingest replicas through one durable on the bucket's own stream."""
    admin = (await connect("admin")).client
    await ensure_topology(admin)
    name = f"permissions-{uuid.uuid4().hex}.txt"
    await (await admin.jetstream().object_store(topology.INCOMING_BUCKET)).put(name, b"report bytes")

    ingest = await connect("ingest")
    subscription = await ingest.client.jetstream().pull_subscribe(
        objects.PUTS, durable=objects.DURABLE, stream=objects.BUCKET_STREAM
    )
    announced = []
    while name not in announced:  # earlier tests' puts come first on the shared durable
        for message in await subscription.fetch(10, timeout=5):
            announced += [put.name] if (put := announced_put(message.data)) else []
            await message.ack_sync()
    info = await admin.jetstream().consumer_info(objects.BUCKET_STREAM, objects.DURABLE)
    assert info.num_ack_pending == 0 and not await ingest.refused()


async def test_the_local_stack_runs_each_service_as_its_own_user(tmp_path: Path) -> None:
    """`govreports run` and the tests start nats-server with the same file: a service's URL carries its
    own user; a connection without credentials (the CLI, and locally the search API) is the operator."""
    stack = LocalStack(data_dir=tmp_path / "data", log_dir=tmp_path / "logs")
    try:
        url = stack.start_nats()
        assert stack.service_nats_url("govreports") == url  # no user of that name: the operator
        operator = Connected()
        await operator.client.connect(url, error_cb=operator.on_error, allow_reconnect=False)
        await ensure_topology(operator.client)
        normalizer = Connected()
        await normalizer.client.connect(stack.service_nats_url("normalizer"), error_cb=normalizer.on_error,
                                        allow_reconnect=False)
        await normalizer.client.jetstream().publish(topology.NORMALIZED, b"{}", stream=topology.STREAM_NAME)
        await normalizer.client.publish(topology.METRICS, b"{}")
        assert [e for e in await normalizer.refused() if f'"{topology.METRICS}"' in e]
        await operator.client.publish(topology.METRICS, b"{}")
        assert not await operator.refused()
        for connection in (operator, normalizer):
            await connection.client.close()
    finally:
        stack.stop()


async def test_only_ingest_writes_the_object_store_and_the_normalizer_reads_it(connect: ConnectAs) -> None:
    ingest = (await connect("ingest")).client
    await ensure_topology(ingest)
    name = f"{uuid.uuid4().hex}.txt"
    await (await ingest.jetstream().object_store(topology.RAW_BUCKET)).put(name, b"report bytes")

    normalizer = await connect("normalizer")
    store = await normalizer.client.jetstream().object_store(topology.RAW_BUCKET)
    assert (await store.get(name)).data == b"report bytes"
    with pytest.raises(TimeoutError):  # the chunk publish is dropped, so its acknowledgement never comes
        await asyncio.wait_for(store.put(f"forged-{name}", b"forged"), 5)
    assert any(f"$o.{topology.RAW_BUCKET}" in error for error in await normalizer.refused())


async def test_the_search_api_reads_report_files_and_pipeline_state_and_writes_nothing(
    secured_nats: tuple[str, dict[str, str]], connect: ConnectAs
) -> None:
    """Its page crops read reports-raw (services/search_api/raw_reports.py); /api/status reads the stream."""
    ingest = (await connect("ingest")).client
    await ensure_topology(ingest)
    name = f"{uuid.uuid4().hex}.pdf"
    await (await ingest.jetstream().object_store(topology.RAW_BUCKET)).put(name, b"%PDF report bytes" * 20_000)

    address, passwords = secured_nats
    raw_reports = RawReports([f"nats://search-api:{passwords['search-api']}@{address}"], cache_bytes=0)
    try:
        assert await raw_reports.get(name) == b"%PDF report bytes" * 20_000  # 340 KB: several chunks
        assert await raw_reports.get(f"missing-{name}") is None
    finally:
        await raw_reports.close()

    search_api = await connect("search-api")
    js = search_api.client.jetstream(timeout=2)
    assert (await js.stream_info(topology.STREAM_NAME)).config.name == topology.STREAM_NAME
    await js.consumers_info(topology.STREAM_NAME)
    assert not await search_api.refused()
    store = await js.object_store(topology.RAW_BUCKET)
    with pytest.raises(TimeoutError):  # the chunk publish is dropped, so its acknowledgement never comes
        await asyncio.wait_for(store.put(f"forged-{name}", b"forged"), 5)
    await search_api.client.publish(topology.RAW, b"{}")
    with pytest.raises(nats.errors.TimeoutError):  # the request never reaches the JetStream API
        await js.purge_stream(topology.STREAM_NAME)
    refused = await search_api.refused()
    assert any(f"$o.{topology.RAW_BUCKET}" in error for error in refused), refused
    assert any(f'"{topology.RAW}"' in error for error in refused), refused


@pytest.mark.parametrize("writer", TEXT_WRITERS)
async def test_a_text_writer_stores_long_texts_that_every_later_stage_reads(writer: str, connect: ConnectAs) -> None:
    user = await connect(writer)
    await ensure_topology(user.client)
    report = normalized_report(report_of(0) + uuid.uuid4().hex.encode(), uuid.uuid4().hex)
    stored = await store_text(user.client.jetstream(), report, limit=1024)
    assert stored.text_object is not None and not await user.refused()
    for name in TEXT_READERS:
        reader = await connect(name)
        assert (await load_text(reader.client.jetstream(), stored)).text == report.text
        assert not await reader.refused(), name


@pytest.mark.parametrize("reader", sorted(set(TEXT_READERS) - set(TEXT_WRITERS)))
async def test_a_text_reader_cannot_write_the_text_bucket(reader: str, connect: ConnectAs) -> None:
    await ensure_topology((await connect("admin")).client)
    user = await connect(reader)
    store = await user.client.jetstream().object_store(topology.TEXT_BUCKET)
    with pytest.raises(TimeoutError):  # the chunk publish is dropped, so its acknowledgement never comes
        await asyncio.wait_for(store.put(f"forged-{uuid.uuid4().hex}", b"forged"), 5)
    assert any(f"$o.{topology.TEXT_BUCKET}" in error for error in await user.refused())


def test_the_config_file_names_every_produced_subject() -> None:
    """The permissions are written by hand: a renamed subject must show up here, not as a silent refusal."""
    text = Path(AUTH_CONFIG).read_text(encoding="utf-8")
    for user, subject in PRODUCES.items():
        assert f"user: {user}," in text and f'"{subject}"' in text, user
