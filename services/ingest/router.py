"""Wiring: Object Store bucket puts (one shared durable), S3 bucket notifications, and dead letters → failed/."""

from __future__ import annotations

from typing import Any

import structlog
from faststream.nats import JStream, NatsBroker, NatsMessage, NatsRouter

from services.ingest.dead_letters import record_dead_letter
from services.ingest.intake import Intake
from services.ingest.objects import BUCKET_STREAM, DURABLE, PUTS, ObjectStoreSource
from services.ingest.s3 import S3Notification, S3Source, created_objects
from services.ingest.transform import announced_put
from shared import topology
from shared.failures import is_transient
from shared.runtime import REPORTS_STREAM, durable_subscription
from shared.settings import Settings

log = structlog.get_logger()
INCOMING_BUCKET_STREAM = JStream(BUCKET_STREAM, declare=False)
"""The Object Store bucket's stream: ensure_topology creates the bucket, never a subscriber."""


def build_router(settings: Settings, broker: NatsBroker) -> NatsRouter:
    router = NatsRouter()
    intake = Intake(broker, settings)
    objects = ObjectStoreSource(intake, broker)
    options = durable_subscription(settings, DURABLE) | {"stream": INCOMING_BUCKET_STREAM}

    @router.subscriber(PUTS, **options)
    async def on_object_put(body: Any, msg: NatsMessage) -> None:
        """A file put into the `reports-incoming` bucket by any NATS client, taken by one ingest replica:
        ingest it, then delete it. Deletes (tombstones) are skipped; a NATS outage is waited out."""
        if (put := announced_put(msg.raw_message.data)) is None:
            return
        try:
            await objects.ingest(put)
        except Exception as exc:
            if is_transient(exc):  # the middleware waits for NATS and tries again
                raise
            # A bug, not the data (bad content is quarantined): the object stays in the bucket and is tried
            # again later, MAX_DELIVER times in all.
            log.exception("object_ingest_failed", name=put.name)
            await msg.nack(delay=settings.nak_backoff_seconds)

    if settings.s3_endpoint_url:  # S3 / MinIO ingest is opt-in: it needs an endpoint and credentials
        s3 = S3Source(intake, settings)

        @router.subscriber(settings.s3_events_subject, **durable_subscription(settings, f"{topology.INGEST}-s3"))
        async def on_s3_event(notification: S3Notification) -> None:
            """A MinIO / S3 bucket notification; S3 errors nak (transient) or dead-letter (permanent)."""
            for ref in created_objects(notification):
                await s3.ingest(ref)

    failures = durable_subscription(settings, f"{topology.INGEST}-failures") | {"stream": REPORTS_STREAM}

    @router.subscriber(topology.DLQ_ALL, **failures)
    async def on_dead_letter(body: Any, msg: NatsMessage) -> None:
        try:
            await record_dead_letter(msg.raw_message, broker, settings)
        except Exception:  # never dead-letter a dead letter
            log.exception("failure_record_failed", subject=msg.raw_message.subject)

    return router
