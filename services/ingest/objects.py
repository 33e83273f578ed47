"""NATS Object Store source: a put into `reports-incoming` → the intake every source shares → delete.

Every ingest replica pulls the bucket's meta messages (`$O.reports-incoming.M.>`, one per put, in the
bucket's own stream `OBJ_reports-incoming`) from the one durable `ingest-objects`, so each put is taken
by one replica; a watch per replica would hand every put to every replica. The message is acked only
after ingest and delete: a replica that dies in between leaves it to another after ACK_WAIT_SECONDS,
and the content-hash event id makes that second publication a duplicate the server drops.
"""

from __future__ import annotations

import structlog
from faststream.nats import NatsBroker
from nats.js.errors import ObjectDeletedError, ObjectNotFoundError

from services.ingest.intake import Intake, Outcome
from services.ingest.transform import ObjectPut
from shared import topology
from shared.ids import report_id_for

log = structlog.get_logger()

BUCKET_STREAM = f"OBJ_{topology.INCOMING_BUCKET}"
"""The stream the server keeps the bucket in (Object Store layout: chunks on `C.>`, one meta per object on `M.>`)."""
PUTS = f"$O.{topology.INCOMING_BUCKET}.M.>"
"""The bucket's meta messages: one per put (a rollup keeps only an object's latest), a tombstone per delete."""
DURABLE = f"{topology.INGEST}-objects"
"""Shared by every ingest replica: each put is delivered to one of them."""


class ObjectStoreSource:
    """Reads an announced object, hands it to the Intake, then deletes it (bad content is quarantined first)."""

    def __init__(self, intake: Intake, broker: NatsBroker) -> None:
        self.intake = intake
        self.broker = broker

    async def ingest(self, put: ObjectPut) -> Outcome | None:
        """None when the announced version is no longer in the bucket (ingested already, or replaced: the
        newer put has its own meta message, so it is left for that one)."""
        store = await self.broker.object_storage(topology.INCOMING_BUCKET, declare=False)
        try:
            if (await store.get_info(put.name)).nuid != put.nuid:  # the put's own info: a link is not followed
                log.info("object_replaced", name=put.name)
                return None
            content = (await store.get(put.name)).data or b""
        except (ObjectNotFoundError, ObjectDeletedError):
            log.info("object_gone", name=put.name)
            return None
        uri = f"nats://{topology.INCOMING_BUCKET}/{put.name}"
        outcome = await self.intake.ingest_bytes(content, put.name, "object_store", uri)
        if outcome.report is None:  # no local file to move: keep the bytes beside the reason
            self.intake.quarantine(put.name, outcome.reason or "", report_id_for(content), content)
        current = await store.get_info(put.name)
        if current.nuid == put.nuid:  # a put of the same name since the read is left for its own message
            await store.delete(put.name)
        return outcome
