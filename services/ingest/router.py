"""Wiring: Object Store bucket watch, S3 bucket notifications, and dead letters → failed/."""

from __future__ import annotations

from typing import Any

import structlog
from faststream.nats import NatsBroker, NatsMessage, NatsRouter, ObjWatch

from services.ingest.dead_letters import record_dead_letter
from services.ingest.intake import Intake
from services.ingest.s3 import S3Notification, S3Source, created_objects
from shared import topology
from shared.ids import report_id_for
from shared.runtime import REPORTS_STREAM, durable_subscription
from shared.settings import Settings

log = structlog.get_logger()


def build_router(settings: Settings, broker: NatsBroker) -> NatsRouter:
    router = NatsRouter()
    intake = Intake(broker, settings)

    @router.subscriber(
        topology.INCOMING_BUCKET, obj_watch=ObjWatch(ignore_deletes=True, include_history=True, declare=True)
    )
    async def on_object_put(name: str) -> None:
        """A file put into the `reports-incoming` bucket by any NATS client: ingest it, then delete it."""
        try:
            store = await broker.object_storage(topology.INCOMING_BUCKET)
            content = (await store.get(name)).data or b""
            uri = f"nats://{topology.INCOMING_BUCKET}/{name}"
            outcome = await intake.ingest_bytes(content, name, "object_store", uri)
            if outcome.report is None:  # no local file to move: keep the bytes beside the reason
                intake.quarantine(name, outcome.reason or "", report_id_for(content), content)
            await store.delete(name)
        except Exception:  # keep the watch alive; the object stays in the bucket for the next start
            log.exception("object_ingest_failed", name=name)

    if settings.s3_endpoint_url:  # S3 / MinIO ingest is opt-in: it needs an endpoint and credentials
        s3 = S3Source(intake, settings)

        @router.subscriber(settings.s3_events_subject, **durable_subscription(settings, f"{topology.INGEST}-s3"))
        async def on_s3_event(notification: S3Notification) -> None:
            """A MinIO / S3 bucket notification; S3 errors nak (transient) or dead-letter (permanent)."""
            for ref in created_objects(notification):
                await s3.ingest(ref)

    options = durable_subscription(settings, f"{topology.INGEST}-failures") | {"stream": REPORTS_STREAM}

    @router.subscriber(topology.DLQ_ALL, **options)
    async def on_dead_letter(body: Any, msg: NatsMessage) -> None:
        try:
            await record_dead_letter(msg.raw_message, broker, settings)
        except Exception:  # never dead-letter a dead letter
            log.exception("failure_record_failed", subject=msg.raw_message.subject)

    return router
