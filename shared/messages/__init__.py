"""Message contracts, versioned by subject (`reports.<state>.v1`); JSON Schemas live in schemas/."""

from shared.messages.v1 import (
    Check,
    Envelope,
    IndexedReport,
    MetricFact,
    MetricsDocument,
    MetricsReport,
    NormalizedDocument,
    NormalizedReport,
    RawReport,
    ReportMetadata,
    Section,
    SectionedDocument,
    SectionedReport,
    SectionSummary,
    Table,
    TableCell,
)

__all__ = [
    "Check",
    "Envelope",
    "IndexedReport",
    "MetricFact",
    "MetricsDocument",
    "MetricsReport",
    "NormalizedDocument",
    "NormalizedReport",
    "RawReport",
    "ReportMetadata",
    "Section",
    "SectionSummary",
    "SectionedDocument",
    "SectionedReport",
    "Table",
    "TableCell",
]
