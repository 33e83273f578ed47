"""When each report was indexed: the indexer's `metrics` announcement on reports.indexed.v1.

The end of a report's latency is that message's `produced_at`: the indexer wrote the report's facts and
summary to Elasticsearch (bulk request answered) and announced it; the report is searchable within the
index refresh interval after it. A plain NATS subscription, not a JetStream consumer, so the bench never
shows up among the stages it samples.
"""

from __future__ import annotations

from collections import Counter

from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from pydantic import ValidationError

from shared import topology
from shared.messages import IndexedReport

INDEXED_STAGE = "metrics"  # the indexer's last write for a report: its facts and the report summary


class Announcements:
    def __init__(self) -> None:
        self.indexed_at: dict[str, float] = {}  # report_id → wall-clock time of its first announcement
        self.repeats: Counter[str] = Counter()  # report_id → announcements after the first (redeliveries)

    async def listen(self, client: NATS) -> None:
        await client.subscribe(topology.INDEXED, cb=self.on_message)

    async def on_message(self, msg: Msg) -> None:
        try:
            announcement = IndexedReport.model_validate_json(msg.data)
        except ValidationError:
            return
        if announcement.stage != INDEXED_STAGE:
            return
        if announcement.report_id in self.indexed_at:
            self.repeats[announcement.report_id] += 1
        else:
            self.indexed_at[announcement.report_id] = announcement.produced_at.timestamp()
