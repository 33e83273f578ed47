"""Exporter choice (OTEL_TRACES_EXPORTER / OTEL_METRICS_EXPORTER) and the handler instruments, without a broker."""

from __future__ import annotations

import sys

import pytest
from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader

from shared.settings import Settings
from shared.telemetry import (
    OTLP_EXPORTERS,
    HandlerMetrics,
    TelemetryConfigError,
    otlp_exporter,
    setup_metrics,
    setup_tracing,
)


@pytest.mark.parametrize("variable", sorted(OTLP_EXPORTERS))
def test_otlp_without_the_extra_names_the_extra(variable: str, monkeypatch: pytest.MonkeyPatch) -> None:
    module, _ = OTLP_EXPORTERS[variable]
    monkeypatch.setitem(sys.modules, module, None)  # what an install without `govreports[otlp]` looks like
    with pytest.raises(TelemetryConfigError, match=rf"{variable}=otlp needs .*govreports\[otlp\]"):
        otlp_exporter(variable)


def test_otlp_exporters_come_from_the_extra() -> None:
    assert isinstance(otlp_exporter("OTEL_TRACES_EXPORTER"), OTLPSpanExporter)
    assert isinstance(otlp_exporter("OTEL_METRICS_EXPORTER"), OTLPMetricExporter)


@pytest.mark.parametrize("setup", [setup_tracing, setup_metrics])
def test_an_unknown_exporter_refuses_to_start(setup: object) -> None:
    settings = Settings(OTEL_TRACES_EXPORTER="jaeger", OTEL_METRICS_EXPORTER="prometheus")
    with pytest.raises(TelemetryConfigError, match="choose none, console or otlp"):
        setup(settings, "normalizer")  # type: ignore[operator]


@pytest.mark.parametrize(("choice", "printed"), [("none", False), (" Console ", True)])
def test_metrics_export_as_chosen(choice: str, printed: bool, capfd: pytest.CaptureFixture[str]) -> None:
    provider = setup_metrics(Settings(OTEL_METRICS_EXPORTER=choice), "normalizer")
    HandlerMetrics("normalizer", provider).failed("reports.raw.v1", "transient")
    provider.shutdown()  # the last export, as at process exit
    out = capfd.readouterr().out
    assert ("govreports.messages.failed" in out and '"service.name": "normalizer"' in out) is printed


def test_a_delivery_counts_and_is_timed_even_when_its_handler_raises() -> None:
    reader = InMemoryMetricReader()
    metrics = HandlerMetrics("indexer", MeterProvider(metric_readers=[reader]))
    with pytest.raises(RuntimeError), metrics.handling("reports.metrics.v1"):
        raise RuntimeError("a bug")
    metrics.failed("reports.metrics.v1", "permanent")
    data = reader.get_metrics_data()
    assert data is not None
    points = {
        metric.name: point
        for resource in data.resource_metrics
        for scope in resource.scope_metrics
        for metric in scope.metrics
        for point in metric.data.data_points
    }
    subject = {"service": "indexer", "subject": "reports.metrics.v1"}
    assert dict(points["govreports.messages.handled"].attributes) == subject
    assert points["govreports.messages.handled"].value == 1
    assert points["govreports.handler.duration"].count == 1
    assert dict(points["govreports.messages.failed"].attributes) == subject | {"kind": "permanent"}
