"""Broker and app construction shared by every service: topology, telemetry, failure policy.

Services call `create_service_app()` with their router; nothing else in a service touches
connection set-up, stream declaration, tracing or dead-lettering.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any
from urllib.parse import quote, unquote

import nats.errors
import structlog
from faststream import FastStream
from faststream._internal.basic_types import AsyncFuncAny
from faststream.middlewares import BaseMiddleware
from faststream.nats import JStream, NatsBroker, NatsMessage, NatsRouter, PullSub
from faststream.nats.opentelemetry import NatsTelemetryMiddleware
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js.api import ConsumerConfig, ObjectStoreConfig, StorageType
from nats.js.errors import NotFoundError
from pydantic import ValidationError

from shared import topology
from shared.failures import PermanentError, TransientError
from shared.ids import event_id_for
from shared.logging import setup_logging
from shared.messages import Envelope
from shared.settings import Settings
from shared.telemetry import current_trace_id, setup_tracing

log = structlog.get_logger()

ERROR_HEADER = "Govreports-Error"
ERROR_KIND_HEADER = "Govreports-Error-Kind"
FAILED_STAGE_HEADER = "Govreports-Failed-Stage"
ORIGINAL_SUBJECT_HEADER = "Govreports-Original-Subject"
DELIVERIES_HEADER = "Govreports-Deliveries"
_TRACE_HEADERS = ("traceparent", "tracestate")
_TRANSIENT = (TransientError, ConnectionError, TimeoutError, asyncio.TimeoutError, nats.errors.TimeoutError)

REPORTS_STREAM = JStream(topology.STREAM_NAME, declare=False)
"""Subscribers bind to the stream; only `ensure_topology` declares it."""


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


@dataclass(frozen=True)
class FailurePolicy:
    """Transient → nak with capped exponential backoff; permanent or exhausted → dead letter + term."""

    service: str
    max_deliver: int
    backoff_seconds: float

    def delay(self, delivered: int) -> float:
        return min(self.backoff_seconds * 2 ** max(delivered - 1, 0), 60.0)

    async def dead_letter(self, msg: NatsMessage, exc: BaseException, kind: str, delivered: int) -> None:
        raw = msg.raw_message
        headers = {k: v for k, v in (raw.headers or {}).items() if k in _TRACE_HEADERS}
        headers |= {
            "Nats-Msg-Id": f"dlq:{self.service}:{(raw.headers or {}).get('Nats-Msg-Id', msg.message_id)}",
            ERROR_HEADER: encode_header(describe_failure(exc)),
            ERROR_KIND_HEADER: kind,
            FAILED_STAGE_HEADER: self.service,
            ORIGINAL_SUBJECT_HEADER: raw.subject,
            DELIVERIES_HEADER: str(delivered),
        }
        client: Client = raw._client  # the subscriber's own connection: no second broker needed
        await client.jetstream().publish(topology.dlq_subject(raw.subject), raw.data, headers=headers)
        log.warning(
            "dead_lettered",
            service=self.service,
            subject=raw.subject,
            kind=kind,
            reason=describe_failure(exc),
            deliveries=delivered,
        )


class DeadLetterMiddleware(BaseMiddleware):
    """Applies the FailurePolicy around every handler call (including body validation)."""

    def __init__(self, msg: Any, /, *, context: Any, policy: FailurePolicy) -> None:
        super().__init__(msg, context=context)
        self.policy = policy

    async def consume_scope(self, call_next: AsyncFuncAny, msg: Any) -> Any:
        if not isinstance(msg.raw_message, Msg):  # Object Store / KV watches handle their own errors
            return await call_next(msg)
        try:
            return await call_next(msg)
        except _TRANSIENT as exc:
            delivered = _deliveries(msg)
            if delivered < self.policy.max_deliver:
                delay = self.policy.delay(delivered)
                log.warning("retrying", service=self.policy.service, reason=describe_failure(exc), delay=delay)
                await msg.nack(delay=delay)
                return None
            await self.policy.dead_letter(msg, exc, "transient", delivered)
            await msg.reject()
            return None
        except Exception as exc:  # data errors and bugs alike: retrying a pure transform cannot help
            await self.policy.dead_letter(msg, exc, "permanent", _deliveries(msg))
            await msg.reject()
            return None


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


async def ensure_topology(connection: Client) -> None:
    """Declare the one stream and the Object Store buckets (idempotent; any service may run it)."""
    js = connection.jetstream()
    config = topology.stream_config()
    try:
        info = await js.stream_info(config.name)
        if set(info.config.subjects or []) != set(config.subjects or []):
            await js.update_stream(config)
    except NotFoundError:
        await js.add_stream(config)
    for bucket in (topology.RAW_BUCKET, topology.INCOMING_BUCKET):
        try:
            await js.object_store(bucket)
        except (NotFoundError, nats.js.errors.BucketNotFoundError):
            await js.create_object_store(bucket, config=ObjectStoreConfig(storage=StorageType.FILE))


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


def build_broker(settings: Settings, service: str) -> NatsBroker:
    provider = setup_tracing(settings, service)
    policy = FailurePolicy(service, settings.max_deliver, settings.nak_backoff_seconds)
    return NatsBroker(
        settings.nats_url,
        middlewares=[NatsTelemetryMiddleware(tracer_provider=provider), partial(DeadLetterMiddleware, policy=policy)],
        logger=setup_logging(settings, service),
        name=service,
    )


Step = Callable[[Any], Any]
"""Input message → output payload: a pure transform, or a coroutine that first fetches a claim check."""


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
    so transforms stay clock-free.
    """
    router = NatsRouter()
    publisher = router.publisher(produces, stream=REPORTS_STREAM)

    async def handle(message: Any) -> None:
        with message_context(message, consumes):
            payload = step(message)
            if inspect.isawaitable(payload):
                payload = await payload
            result = output_model(**envelope_after(message, service), **dict(payload))
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
) -> FastStream:
    """FastStream app for one service: broker + topology + the service's router.

    `background` is a long-running coroutine (e.g. the ingest directory watcher) started once the
    broker is up and cancelled on shutdown.
    """
    broker = build_broker(settings, service)
    broker.include_router(build_router(settings, broker))
    app = FastStream(broker, logger=setup_logging(settings, service))
    tasks: list[asyncio.Task[None]] = []

    @app.on_startup
    async def declare_topology() -> None:
        await broker.connect()
        await ensure_topology(broker.connection)

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
