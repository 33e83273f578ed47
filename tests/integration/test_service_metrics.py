"""Service metrics recorded by the shared failure middleware, on a real JetStream server.

Each delivery counts once in `govreports.messages.handled` and once in `govreports.handler.duration`,
per service and subject; `govreports.messages.failed` counts by kind what went wrong on the way.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime

import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import HistogramDataPoint, InMemoryMetricReader, NumberDataPoint

from shared import topology
from shared.failures import PermanentError, TransientError
from shared.messages import RawReport
from shared.runtime import FailurePolicy, build_broker, durable_subscription, ensure_topology
from shared.settings import Settings
from shared.telemetry import HandlerMetrics

pytestmark = pytest.mark.integration

SERVICE = "metered-stage"
FAST = {"MAX_DELIVER": 2, "NAK_BACKOFF_SECONDS": 0.05, "RETRY_MAX_SECONDS": 0.1, "WORK_TIMEOUT_SECONDS": 0.3}


def report(unique: str, filename: str) -> RawReport:
    return RawReport(
        report_id=f"r{unique}{filename}",
        event_id=f"e{unique}{filename}",
        produced_by="test",
        produced_at=datetime.now(UTC),
        filename=filename,
        size=3,
        object_bucket=topology.RAW_BUCKET,
        object_name=f"r{unique}",
        source="cli",
        source_uri="test",
    )


def measurements(reader: InMemoryMetricReader) -> Counter[tuple[str, tuple[tuple[str, str], ...]]]:
    """(instrument, sorted attributes) → counter sum or histogram count, cumulative."""
    seen: Counter[tuple[str, tuple[tuple[str, str], ...]]] = Counter()
    data = reader.get_metrics_data()
    for resource in data.resource_metrics if data else []:
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                for point in metric.data.data_points:
                    key = (metric.name, tuple(sorted((k, str(v)) for k, v in point.attributes.items())))
                    if isinstance(point, HistogramDataPoint):
                        seen[key] += point.count
                    elif isinstance(point, NumberDataPoint):
                        seen[key] += int(point.value)
    return seen


async def test_handling_records_deliveries_failures_by_kind_and_handler_time(nats_url: str, unique: str) -> None:
    subject = f"reports.metered{unique}.v1"
    reader = InMemoryMetricReader()
    settings = Settings(NATS_URL=nats_url, **FAST)
    broker = build_broker(
        settings,
        SERVICE,
        FailurePolicy.from_settings(settings, SERVICE),
        HandlerMetrics(SERVICE, MeterProvider(metric_readers=[reader])),
    )
    outages = Counter[str]()

    async def handler(message: RawReport) -> None:
        if message.filename == "bad":
            raise PermanentError("bad data")
        if message.filename == "outage" and outages["outage"] < 2:  # Elasticsearch down twice, then back
            outages["outage"] += 1
            raise TransientError("Elasticsearch unavailable", "elasticsearch")
        if message.filename == "hangs":
            await asyncio.Event().wait()

    broker.subscriber(subject, **durable_subscription(settings, f"metered-{unique}"))(handler)
    base = {"service": SERVICE, "subject": subject}
    attributes = tuple(sorted(base.items()))
    expected = Counter(
        {
            # good, bad, outage: one delivery each; hangs: MAX_DELIVER deliveries
            ("govreports.messages.handled", attributes): 5,
            ("govreports.handler.duration", attributes): 5,
            ("govreports.messages.failed", tuple(sorted((base | {"kind": "permanent"}).items()))): 1,
            ("govreports.messages.failed", tuple(sorted((base | {"kind": "transient"}).items()))): 2,
            ("govreports.messages.failed", tuple(sorted((base | {"kind": "timeout"}).items()))): 1,
            ("govreports.messages.failed", tuple(sorted((base | {"kind": "exhausted"}).items()))): 1,
        }
    )
    async with broker:
        await broker.connect()
        await ensure_topology(broker.connection)
        await broker.start()
        for filename in ("good", "bad", "outage", "hangs"):
            await broker.publish(report(unique, filename), subject=subject, stream=topology.STREAM_NAME)
        deadline = asyncio.get_running_loop().time() + 20
        while measurements(reader) != expected and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.1)
    assert measurements(reader) == expected
