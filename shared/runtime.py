"""Broker and app construction shared by every service: topology, telemetry, failure policy.

Services call `create_service_app()` with their router; nothing else in a service touches
connection set-up, stream declaration, tracing or dead-lettering.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, unquote

import nats.errors
import structlog
from faststream import FastStream
from faststream._internal.basic_types import AsyncFuncAny
from faststream.middlewares import BaseMiddleware
from faststream.nats import JStream, NatsBroker, NatsMessage, NatsRouter, PullSub
from faststream.nats.annotations import JsClient
from faststream.nats.opentelemetry import NatsTelemetryMiddleware
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, ObjectStoreConfig, StreamConfig
from nats.js.errors import NotFoundError
from pydantic import BaseModel, ValidationError

from shared import topology
from shared.claims import load_text, store_text
from shared.failures import PermanentError, TransientError, backoff_delay, dependency_of, is_transient
from shared.ids import event_id_for
from shared.logging import setup_logging
from shared.messages import Envelope, NormalizedDocument
from shared.settings import Settings
from shared.telemetry import HandlerMetrics, current_trace_id, setup_metrics, setup_tracing

log = structlog.get_logger()
T = TypeVar("T")

ERROR_HEADER = "Govreports-Error"
ERROR_KIND_HEADER = "Govreports-Error-Kind"
FAILED_STAGE_HEADER = "Govreports-Failed-Stage"
ORIGINAL_SUBJECT_HEADER = "Govreports-Original-Subject"
DELIVERIES_HEADER = "Govreports-Deliveries"
_TRACE_HEADERS = ("traceparent", "tracestate")
RECONCILED_CONSUMER_FIELDS = ("max_deliver", "ack_wait", "backoff")
"""Consumer settings that follow the environment on every start (all editable on a live consumer)."""

REPORTS_STREAM = JStream(topology.STREAM_NAME, declare=False)
"""Subscribers bind to the stream; only `ensure_topology` declares it."""
ADVISORY_STREAM = JStream(topology.ADVISORY_STREAM_NAME, declare=False)


def encode_header(text: str) -> str:
    """Header-safe (ASCII, one line) form of a human-readable reason."""
    return quote(" ".join(text.split())[:2000], safe=" :,;/()[]'\"=<>.-_!?#@+*")


def decode_header(value: str) -> str:
    return unquote(value)


def describe_failure(exc: BaseException) -> str:
    """The reason users read in failed/*.error.txt and in DLQ headers."""
    if isinstance(exc, PermanentError | TransientError):
        return exc.reason
    if isinstance(exc, ValidationError):
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
        return f"malformed message: {problems}"
    return f"{type(exc).__name__}: {exc}"


@dataclass
class Health:
    """What a service is waiting for right now; healthy when nothing.

    Mirrored to `<HEALTH_DIR>/<service>.json` when set, so a container health check or the fault
    harness can read it without a port.
    """

    service: str
    directory: Path | None = None
    waiting_for: dict[str, str] = field(default_factory=dict)
    """dependency → the last reason it gave."""

    @property
    def healthy(self) -> bool:
        return not self.waiting_for

    def waiting(self, dependency: str, reason: str) -> None:
        if self.waiting_for.get(dependency) != reason:
            self.waiting_for[dependency] = reason
            self._write()

    def recovered(self, dependency: str) -> None:
        if self.waiting_for.pop(dependency, None) is not None:
            log.info("dependency_back", service=self.service, dependency=dependency)
            self._write()

    def _write(self) -> None:
        if self.directory is None:
            return
        status = {
            "service": self.service,
            "healthy": self.healthy,
            "waiting_for": self.waiting_for,
            "updated_at": datetime.now(UTC).isoformat(),
        }
        target = self.directory / f"{self.service}.json"
        draft = target.with_suffix(".tmp")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            draft.write_text(json.dumps(status, ensure_ascii=False), "utf-8")
            draft.replace(target)  # readers never see half a file
        except OSError as exc:  # a status file must never turn an outage into a failed message
            log.warning("health_not_written", path=str(target), error=repr(exc))


async def publish_dead_letter(
    js: JetStreamContext,
    *,
    subject: str,
    data: bytes,
    headers: dict[str, str] | None,
    stage: str,
    kind: str,
    reason: str,
    deliveries: int,
) -> None:
    """Publish the original message to `dlq.<subject>` with the reason headers users and redrive read."""
    original = headers or {}
    dead_headers = {k: v for k, v in original.items() if k in _TRACE_HEADERS}
    dead_headers |= {
        # Dedup: the middleware and the max-deliveries listener may both dead-letter one message.
        "Nats-Msg-Id": f"dlq:{stage}:{original.get('Nats-Msg-Id', subject)}",
        ERROR_HEADER: encode_header(reason),
        ERROR_KIND_HEADER: kind,
        FAILED_STAGE_HEADER: stage,
        ORIGINAL_SUBJECT_HEADER: subject,
        DELIVERIES_HEADER: str(deliveries),
    }
    await js.publish(topology.dlq_subject(subject), data, headers=dead_headers)
    log.warning("dead_lettered", service=stage, subject=subject, kind=kind, reason=reason, deliveries=deliveries)


@dataclass(frozen=True)
class FailurePolicy:
    """How a stage treats a failed delivery.

    Transient (a dependency is down) → keep the message, heartbeat, retry with capped backoff until
    the dependency is back: an outage never dead-letters and never spends a delivery. Permanent (the
    data) → dead letter + term. A delivery that hangs past `work_timeout` spends one delivery (nak);
    the last one dead-letters.
    """

    service: str
    max_deliver: int
    backoff_seconds: float
    backoff_max_seconds: float
    heartbeat_seconds: float
    work_timeout: float
    health: Health

    @classmethod
    def from_settings(cls, settings: Settings, service: str) -> FailurePolicy:
        return cls(
            service,
            settings.max_deliver,
            settings.nak_backoff_seconds,
            backoff_max_seconds=settings.retry_max_seconds,
            # Three beats per ack wait: one lost beat (a busy loop, a NATS hiccup) does not redeliver.
            heartbeat_seconds=settings.ack_wait_seconds / 3,
            work_timeout=settings.work_timeout_seconds,
            health=Health(service, settings.health_dir),
        )

    def delay(self, attempt: int) -> float:
        return backoff_delay(attempt, self.backoff_seconds, self.backoff_max_seconds)

    async def until_available(self, call: Callable[[], Awaitable[T]]) -> T:
        """`call()`, retried with capped backoff for as long as it fails transiently; other errors raise.

        Logs and records in `health` what it waits for, so an outage is visible, not silent.
        """
        attempt = 0
        dependency = ""
        while True:
            try:
                result = await call()
            except Exception as exc:
                if not is_transient(exc):
                    raise
                attempt += 1
                dependency, delay, reason = dependency_of(exc), self.delay(attempt), describe_failure(exc)
                self.health.waiting(dependency, reason)
                log.warning(
                    "waiting_for_dependency",
                    service=self.service,
                    dependency=dependency,
                    reason=reason,
                    attempt=attempt,
                    retry_in=delay,
                )
                await asyncio.sleep(delay)
                continue
            if attempt:
                self.health.recovered(dependency)
            return result

    async def dead_letter(self, msg: NatsMessage, exc: BaseException, kind: str, delivered: int) -> None:
        """Dead-letter and term; if the dead letter cannot be written, nak so the message is not lost."""
        raw = msg.raw_message
        client: Client = raw._client  # the subscriber's own connection: no second broker needed
        headers = dict(raw.headers or {})
        headers.setdefault("Nats-Msg-Id", str(msg.message_id))
        try:
            await publish_dead_letter(
                client.jetstream(),
                subject=raw.subject,
                data=raw.data,
                headers=headers,
                stage=self.service,
                kind=kind,
                reason=describe_failure(exc),
                deliveries=delivered,
            )
        except Exception as failure:
            delay = self.delay(delivered)
            log.error(
                "dead_letter_failed", service=self.service, subject=raw.subject, error=repr(failure), retry_in=delay
            )
            with contextlib.suppress(Exception):  # NATS itself away: ack-wait expiry redelivers it
                await msg.nack(delay=delay)
            return
        await msg.reject()


class WorkTimeoutError(Exception):
    """One delivery's handler ran past WORK_TIMEOUT_SECONDS: counted like a crash."""


class DeadLetterMiddleware(BaseMiddleware):
    """Applies the FailurePolicy around every handler call (including body validation), and records the
    service metrics (deliveries, failures by kind, time) where each outcome is decided."""

    def __init__(self, msg: Any, /, *, context: Any, policy: FailurePolicy, metrics: HandlerMetrics) -> None:
        super().__init__(msg, context=context)
        self.policy = policy
        self.metrics = metrics

    async def consume_scope(self, call_next: AsyncFuncAny, msg: Any) -> Any:
        if not isinstance(msg.raw_message, Msg):  # Object Store / KV watches handle their own errors
            return await call_next(msg)
        subject = msg.raw_message.subject

        async def attempt() -> Any:
            limit = asyncio.timeout(self.policy.work_timeout)
            try:
                async with limit:
                    return await call_next(msg)
            except Exception as exc:
                if isinstance(exc, TimeoutError) and limit.expired():  # our limit, not a dependency's timeout
                    raise WorkTimeoutError(f"no result within {self.policy.work_timeout:g} s") from exc
                if is_transient(exc):  # until_available waits for the dependency and tries again
                    self.metrics.failed(subject, "transient")
                raise

        with self.metrics.handling(subject):
            async with heartbeat(msg, self.policy.heartbeat_seconds):
                try:
                    return await self.policy.until_available(attempt)
                except WorkTimeoutError as exc:
                    return await self._hung(msg, exc)
                except Exception as exc:  # data errors and bugs alike: retrying a pure transform cannot help
                    self.metrics.failed(subject, "permanent")
                    return await self.policy.dead_letter(msg, exc, "permanent", _deliveries(msg))

    async def _hung(self, msg: NatsMessage, exc: WorkTimeoutError) -> None:
        """A hung delivery spends one delivery like a crash; the last one dead-letters."""
        delivered = _deliveries(msg)
        if delivered >= self.policy.max_deliver:
            self.metrics.failed(msg.raw_message.subject, "exhausted")
            error = WorkTimeoutError(f"{exc} on each of {delivered} deliveries (the handler hangs on this input)")
            return await self.policy.dead_letter(msg, error, "exhausted", delivered)
        self.metrics.failed(msg.raw_message.subject, "timeout")
        log.error("work_timeout", service=self.policy.service, reason=str(exc), delivery=delivered)
        await msg.nack(delay=self.policy.delay(delivered))


@contextlib.asynccontextmanager
async def heartbeat(msg: NatsMessage, every: float) -> AsyncIterator[None]:
    """Tell JetStream we are still working (`+WPI`) so ack-wait never expires on long work or waits."""

    async def beat() -> None:
        while True:
            await asyncio.sleep(every)
            try:
                await msg.raw_message.in_progress()
            except Exception as exc:  # NATS away: the message may be redelivered, dedup absorbs it
                log.debug("heartbeat_failed", error=repr(exc))

    task = asyncio.create_task(beat())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def _deliveries(msg: NatsMessage) -> int:
    try:
        return int(msg.raw_message.metadata.num_delivered)
    except Exception:  # core NATS message without JetStream metadata
        return 1


def durable_subscription(settings: Settings, durable: str) -> dict[str, Any]:
    """Subscriber options for a durable, horizontally scalable JetStream pull consumer."""
    return {
        "stream": REPORTS_STREAM,
        "durable": durable,
        "pull_sub": PullSub(batch_size=1, timeout=5.0),
        "config": ConsumerConfig(max_deliver=settings.max_deliver, ack_wait=settings.ack_wait_seconds),
    }


class MaxDeliveriesAdvisory(BaseModel):
    """The server's `io.nats.jetstream.advisory.v1.max_deliver` event (the fields we use)."""

    stream: str
    consumer: str
    stream_seq: int
    deliveries: int


def exhausted_deliveries_router(settings: Settings, broker: NatsBroker) -> NatsRouter:
    """Dead-letters every message whose deliveries ran out unacknowledged (a crash or hang each time).

    Those never reach a handler's `except`, so the server's advisory is the only witness. Every
    service runs this one shared durable: a stage that keeps crashing cannot report its own losses.
    """
    router = NatsRouter()
    options = durable_subscription(settings, topology.EXHAUSTED) | {"stream": ADVISORY_STREAM}

    @router.subscriber(topology.MAX_DELIVERIES_ADVISORIES, **options)
    async def on_max_deliveries(advisory: MaxDeliveriesAdvisory) -> None:
        js = broker.connection.jetstream()
        try:
            stored = await js.get_msg(advisory.stream, advisory.stream_seq)
        except NotFoundError:  # aged out of the stream (STREAM_MAX_AGE_SECONDS) before anyone heard
            log.error("exhausted_message_gone", consumer=advisory.consumer, stream_seq=advisory.stream_seq)
            return
        if stored.subject is None or stored.subject.startswith(topology.DLQ_PREFIX):
            return
        await publish_dead_letter(
            js,
            subject=stored.subject,
            data=stored.data or b"",
            headers=stored.headers,
            stage=advisory.consumer,
            kind="exhausted",
            reason=(
                f"{advisory.consumer} took this message {advisory.deliveries} times and never finished it "
                "(the worker crashed, hung or lost its connection each time)"
            ),
            deliveries=advisory.deliveries,
        )

    return router


def consumer_drift(current: ConsumerConfig, wanted: ConsumerConfig) -> dict[str, Any]:
    """The reconciled settings where `wanted` differs from the live consumer (empty: nothing to do)."""
    return {
        name: getattr(wanted, name)
        for name in RECONCILED_CONSUMER_FIELDS
        if getattr(wanted, name) != getattr(current, name)
    }


async def reconcile_consumers(broker: NatsBroker) -> None:
    """Bring existing durables to this start's MAX_DELIVER / ACK_WAIT_SECONDS (creation ignores changes)."""
    js = broker.connection.jetstream()
    for subscriber in broker.subscribers:
        wanted = getattr(subscriber, "config", None)
        stream = getattr(getattr(subscriber, "stream", None), "name", None)
        if not isinstance(wanted, ConsumerConfig) or not wanted.durable_name or not stream:
            continue
        try:
            info = await js.consumer_info(stream, wanted.durable_name)
        except NotFoundError:
            continue  # the subscriber creates it with `wanted` when it starts
        if changes := consumer_drift(info.config, wanted):
            for name, value in changes.items():
                setattr(info.config, name, value)
            await js.add_consumer(stream, config=info.config)  # create-or-update on the server
            log.info("consumer_updated", stream=stream, durable=wanted.durable_name, **changes)


STREAM_RECONCILED_FIELDS = ("max_age", "max_bytes", "num_replicas")
"""Stream settings that follow the environment on every service start (JetStream edits them in place; a
new replica count makes the server copy the stream and its consumers to more servers, or drop copies)."""


async def ensure_stream(js: JetStreamContext, config: StreamConfig, reconcile: bool) -> None:
    """Create the stream, or (when `reconcile`) bring its subjects, limits and replicas to `config`."""
    try:
        info = await js.stream_info(config.name)
    except NotFoundError:
        await js.add_stream(config)
        return
    current = info.config
    same_subjects = set(current.subjects or []) == set(config.subjects or [])
    drifted = any(
        getattr(config, name) is not None and getattr(current, name) != getattr(config, name)
        for name in STREAM_RECONCILED_FIELDS
    )
    if not same_subjects or (reconcile and drifted):
        await js.update_stream(config)


async def ensure_topology(connection: Client, settings: Settings | None = None) -> None:
    """Declare the streams and the Object Store buckets (idempotent; any service may run it).

    With `settings` (the services) the stream limits follow STREAM_MAX_AGE_SECONDS/STREAM_MAX_BYTES and
    every stream and bucket has NATS_REPLICAS copies; without (CLI, tests) what is missing gets the
    defaults (one copy) and what exists keeps its limits and replicas.
    """
    js = connection.jetstream()
    if settings is None:
        reconcile, replicas = False, 1
        max_age, max_bytes = topology.STREAM_MAX_AGE_SECONDS, topology.STREAM_MAX_BYTES
    else:
        reconcile, replicas = True, settings.nats_replicas
        max_age, max_bytes = settings.stream_max_age_seconds, settings.stream_max_bytes
    await ensure_stream(js, topology.stream_config(max_age, max_bytes, replicas), reconcile)
    await ensure_stream(js, topology.advisory_stream_config(replicas), reconcile)
    for bucket in (topology.RAW_BUCKET, topology.INCOMING_BUCKET):
        await ensure_bucket(js, topology.bucket_config(bucket, replicas), reconcile)
    await ensure_bucket(js, topology.text_bucket_config(max_age, replicas), reconcile)


async def ensure_bucket(js: JetStreamContext, config: ObjectStoreConfig, reconcile: bool) -> None:
    """Create the bucket, or (when `reconcile`) bring its TTL and replicas to `config`: both live on the
    bucket's own stream, which JetStream edits in place."""
    try:
        store = await js.object_store(config.bucket)
    except (NotFoundError, nats.js.errors.BucketNotFoundError):
        await js.create_object_store(config.bucket, config=config)
        return
    if not reconcile:
        return
    bucket_stream = (await store.status()).stream_info.config
    wanted = (config.ttl or 0, config.replicas)
    if (bucket_stream.max_age or 0, bucket_stream.num_replicas) != wanted:
        bucket_stream.max_age, bucket_stream.num_replicas = wanted
        await js.update_stream(bucket_stream)


def envelope_after(cause: Envelope, producer: str) -> dict[str, Any]:
    """Envelope fields of the message `producer` derives from `cause` (deterministic event_id)."""
    return {
        "report_id": cause.report_id,
        "event_id": event_id_for(producer, cause.event_id),
        "caused_by": cause.event_id,
        "produced_by": producer,
        "produced_at": datetime.now(UTC),
    }


def dedup_headers(message: Envelope) -> dict[str, str]:
    """Nats-Msg-Id = event_id: a redelivered input republishes the same id and the server drops it."""
    return {"Nats-Msg-Id": message.event_id}


@contextlib.contextmanager
def message_context(message: Envelope, subject: str) -> Iterator[None]:
    """Bind per-message log context (report_id, event_id, subject, trace_id)."""
    with structlog.contextvars.bound_contextvars(
        report_id=message.report_id, event_id=message.event_id, subject=subject, trace_id=current_trace_id()
    ):
        yield


def build_broker(
    settings: Settings, service: str, policy: FailurePolicy | None = None, metrics: HandlerMetrics | None = None
) -> NatsBroker:
    """The service's broker: reconnects forever (an outage of any length is waited out), tells `health`;
    `metrics` defaults to instruments exported per OTEL_METRICS_EXPORTER."""
    provider = setup_tracing(settings, service)
    policy = policy or FailurePolicy.from_settings(settings, service)
    metrics = metrics or HandlerMetrics(service, setup_metrics(settings, service))
    health = policy.health

    async def disconnected() -> None:
        if broker.connection.is_closed:  # our own shutdown, not an outage
            return
        health.waiting("nats", "connection to NATS lost, reconnecting")
        log.warning("waiting_for_dependency", service=service, dependency="nats", reason="disconnected")

    async def reconnected() -> None:
        health.recovered("nats")

    broker = NatsBroker(
        settings.nats_servers,
        middlewares=[
            NatsTelemetryMiddleware(tracer_provider=provider),
            partial(DeadLetterMiddleware, policy=policy, metrics=metrics),
        ],
        logger=setup_logging(settings, service),
        name=service,
        max_reconnect_attempts=-1,  # the client's default gives up after ~2 min and leaves the service idle
        disconnected_cb=disconnected,
        reconnected_cb=reconnected,
    )
    return broker


Step = Callable[[Any], Any]
"""Input message → output payload: a pure transform, or a coroutine that first fetches a claim check."""


async def _run_step(step: Step, message: Any) -> Any:
    """Async steps run on the loop; a plain CPU-bound transform runs in a thread, so the loop stays free
    to heartbeat the message (and to answer NATS pings) for as long as the transform works."""
    if inspect.iscoroutinefunction(step):
        return await step(message)
    payload = await asyncio.to_thread(step, message)
    return await payload if inspect.isawaitable(payload) else payload


def stage_router(
    settings: Settings,
    *,
    service: str,
    consumes: str,
    produces: str,
    input_model: type[Envelope],
    output_model: type[Envelope],
    step: Step,
) -> NatsRouter:
    """The wiring every pipeline stage shares: durable consumer → step → envelope → publish.

    `step` turns the validated input message into the output payload; the envelope is derived here
    so transforms stay clock-free. Normalized texts go by claim check (shared/claims.py) around the step:
    loaded before it, stored before publishing when over TEXT_CLAIM_CHECK_BYTES.
    """
    router = NatsRouter()
    publisher = router.publisher(produces, stream=REPORTS_STREAM)

    async def handle(message: Any, js: JsClient) -> None:
        with message_context(message, consumes):
            if isinstance(message, NormalizedDocument):  # the step reads the full text, wherever it travelled
                message = await load_text(js, message)
            payload = await _run_step(step, message)
            result = output_model(**envelope_after(message, service), **dict(payload))
            if isinstance(result, NormalizedDocument):  # a long text would push the message past max_payload
                result = await store_text(js, result, settings.text_claim_check_bytes)
            await publisher.publish(result, headers=dedup_headers(result))

    handle.__annotations__["message"] = input_model  # FastStream validates the body against it
    handle.__name__ = f"on_{consumes.split('.')[1]}"
    router.subscriber(consumes, **durable_subscription(settings, service))(handle)
    return router


BackgroundTask = Callable[[NatsBroker], Awaitable[None]]


def create_service_app(
    settings: Settings,
    service: str,
    build_router: Callable[[Settings, NatsBroker], NatsRouter],
    background: BackgroundTask | None = None,
    prepare: Callable[[], Awaitable[None]] | None = None,
) -> FastStream:
    """FastStream app for one service: broker + topology + the service's router.

    `background` is a long-running coroutine (e.g. the ingest directory watcher) started once the
    broker is up and cancelled on shutdown. `prepare` readies a dependency (e.g. index templates)
    before consuming starts; while that dependency is down the service waits, it does not exit.
    """
    policy = FailurePolicy.from_settings(settings, service)
    broker = build_broker(settings, service, policy)
    broker.include_router(build_router(settings, broker))
    broker.include_router(exhausted_deliveries_router(settings, broker))
    app = FastStream(broker, logger=setup_logging(settings, service))
    tasks: list[asyncio.Task[None]] = []

    @app.on_startup
    async def declare_topology() -> None:
        await broker.connect()
        await policy.until_available(partial(ensure_topology, broker.connection, settings))
        await policy.until_available(partial(reconcile_consumers, broker))
        if prepare is not None:  # consuming starts only once the stage's own dependency answers
            await policy.until_available(prepare)

    @app.after_startup
    async def start_background() -> None:
        if background is not None:
            tasks.append(asyncio.create_task(background(broker), name=f"{service}-background"))

    @app.on_shutdown
    async def stop_background() -> None:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return app
