"""OpenTelemetry set-up from the standard OTEL_* settings: traces (spans cross NATS via message headers) and
the service metrics every stage records in one place (shared.runtime's failure middleware)."""

from __future__ import annotations

import contextlib
import importlib
import sys
import time
from collections.abc import Iterator
from typing import IO, Any, Literal

from opentelemetry import trace
from opentelemetry.metrics import MeterProvider
from opentelemetry.sdk.metrics import MeterProvider as SdkMeterProvider
from opentelemetry.sdk.metrics.export import (
    ConsoleMetricExporter,
    MetricReader,
    MetricsData,
    PeriodicExportingMetricReader,
)
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor

from shared.settings import Settings

Exporter = Literal["none", "console", "otlp"]
FailureKind = Literal["permanent", "transient", "timeout", "exhausted"]
"""permanent: dead-lettered at once; transient: one try that waits for a dependency; timeout: a hung delivery
given back for redelivery; exhausted: dead-lettered after its last delivery."""

OTLP_EXPORTERS = {
    "OTEL_TRACES_EXPORTER": ("opentelemetry.exporter.otlp.proto.http.trace_exporter", "OTLPSpanExporter"),
    "OTEL_METRICS_EXPORTER": ("opentelemetry.exporter.otlp.proto.http.metric_exporter", "OTLPMetricExporter"),
}


class TelemetryConfigError(RuntimeError):
    """An OTEL_*_EXPORTER this process cannot honour: the service refuses to start rather than export nothing."""


def exporter_choice(variable: str, value: str) -> Exporter:
    choice = value.strip().lower()
    if choice not in ("none", "console", "otlp"):
        raise TelemetryConfigError(f"{variable}={value!r}: choose none, console or otlp")
    return choice  # type: ignore[return-value]


def otlp_exporter(variable: str) -> Any:
    """The OTLP/HTTP exporter for `variable`'s signal; it comes with the optional extra `otlp`."""
    module, name = OTLP_EXPORTERS[variable]
    try:
        return getattr(importlib.import_module(module), name)()
    except ImportError as exc:
        raise TelemetryConfigError(
            f"{variable}=otlp needs the OTLP exporter, which is not installed: "
            "pip install 'govreports[otlp]' (make install and the Docker image have it)"
        ) from exc


def service_resource(settings: Settings, service: str) -> Resource:
    return Resource.create({"service.name": settings.otel_service_name or service})


def _json_line(span: ReadableSpan) -> str:
    return span.to_json(indent=None) + "\n"


def _metrics_json_line(data: MetricsData) -> str:
    return data.to_json(indent=None) + "\n"


def setup_tracing(settings: Settings, service: str) -> TracerProvider:
    """Tracer provider for one service process; exporter per OTEL_TRACES_EXPORTER (default none)."""
    provider = TracerProvider(resource=service_resource(settings, service))
    exporter = exporter_choice("OTEL_TRACES_EXPORTER", settings.otel_traces_exporter)
    if exporter == "console":
        out: IO[str] = sys.stdout
        if settings.trace_file is not None:
            # A directory gets one file per service: concurrent processes never interleave lines.
            target = settings.trace_file / f"{service}.jsonl" if settings.trace_file.is_dir() else settings.trace_file
            out = target.open("a", encoding="utf-8")
        # One JSON object per line, flushed per span, so a crash loses nothing and tests can read it.
        provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter(out=out, formatter=_json_line)))
    elif exporter == "otlp":
        provider.add_span_processor(BatchSpanProcessor(otlp_exporter("OTEL_TRACES_EXPORTER")))
    trace.set_tracer_provider(provider)
    return provider


def setup_metrics(settings: Settings, service: str) -> SdkMeterProvider:
    """Meter provider for one service process; exporter per OTEL_METRICS_EXPORTER (default none).

    Readers export every OTEL_METRIC_EXPORT_INTERVAL ms (SDK default 60000) and once more at exit. The provider
    is handed to the instruments, not made global, so a test's reader sees exactly its own broker's measurements.
    """
    readers: list[MetricReader] = []
    exporter = exporter_choice("OTEL_METRICS_EXPORTER", settings.otel_metrics_exporter)
    if exporter == "console":
        # One JSON line per export, to sys.stdout as it is now (the exporter's default binds it at import).
        console = ConsoleMetricExporter(out=sys.stdout, formatter=_metrics_json_line)
        readers.append(PeriodicExportingMetricReader(console))
    elif exporter == "otlp":
        readers.append(PeriodicExportingMetricReader(otlp_exporter("OTEL_METRICS_EXPORTER")))
    return SdkMeterProvider(metric_readers=readers, resource=service_resource(settings, service))


class HandlerMetrics:
    """A service's message instruments, labelled by service and subject (and failure kind).

    `govreports.messages.handled` counts deliveries, `govreports.messages.failed` failures by kind and
    `govreports.handler.duration` the seconds one delivery took, waits for a dependency included.
    """

    def __init__(self, service: str, provider: MeterProvider) -> None:
        meter = provider.get_meter("govreports")
        self.service = service
        self._handled = meter.create_counter(
            "govreports.messages.handled", unit="{message}", description="deliveries a stage handled"
        )
        self._failed = meter.create_counter(
            "govreports.messages.failed", unit="{failure}", description="failed handler runs by kind"
        )
        self._duration = meter.create_histogram(
            "govreports.handler.duration", unit="s", description="time from a delivery to its ack, nak or dead letter"
        )

    @contextlib.contextmanager
    def handling(self, subject: str) -> Iterator[None]:
        """Count one delivery of `subject` and time it, whatever its outcome."""
        attributes = {"service": self.service, "subject": subject}
        started = time.perf_counter()
        try:
            yield
        finally:
            self._duration.record(time.perf_counter() - started, attributes)
            self._handled.add(1, attributes)

    def failed(self, subject: str, kind: FailureKind) -> None:
        self._failed.add(1, {"service": self.service, "subject": subject, "kind": kind})


def current_trace_id() -> str | None:
    """Hex trace id of the active span (stored on indexed docs to find a report's trace)."""
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None
