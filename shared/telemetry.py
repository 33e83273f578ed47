"""OpenTelemetry set-up from the standard OTEL_* settings; spans cross NATS via message headers."""

from __future__ import annotations

import sys
from typing import IO

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor

from shared.settings import Settings


def _json_line(span: ReadableSpan) -> str:
    return span.to_json(indent=None) + "\n"


def setup_tracing(settings: Settings, service: str) -> TracerProvider:
    """Tracer provider for one service process; exporter per OTEL_TRACES_EXPORTER (default none)."""
    provider = TracerProvider(resource=Resource.create({"service.name": settings.otel_service_name or service}))
    exporter = settings.otel_traces_exporter.strip().lower()
    if exporter == "console":
        out: IO[str] = sys.stdout
        if settings.trace_file is not None:
            # A directory gets one file per service: concurrent processes never interleave lines.
            target = settings.trace_file / f"{service}.jsonl" if settings.trace_file.is_dir() else settings.trace_file
            out = target.open("a", encoding="utf-8")
        # One JSON object per line, flushed per span, so a crash loses nothing and tests can read it.
        provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter(out=out, formatter=_json_line)))
    elif exporter == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter  # optional extra

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    return provider


def current_trace_id() -> str | None:
    """Hex trace id of the active span (stored on indexed docs to find a report's trace)."""
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None
