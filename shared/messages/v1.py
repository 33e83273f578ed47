"""Version 1 of the govreports message contracts.

Each pipeline message is an envelope (identity and causality) plus a payload. Payloads are
defined separately so pure transforms can produce them without knowing about brokers or
clocks; the service wiring adds the envelope. Additive optional fields stay in v1; anything
breaking makes a `v2` module and new `.v2` subjects that run side by side.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

AdminLevel = Literal["province", "city", "county", "township", "department"]
Era = Literal["pre2019", "fmt2019", "fmt2021"]
Script = Literal["simplified", "traditional"]
SourceFormat = Literal["html", "text", "pdf", "docx"]
SectionKind = Literal[
    "overview",
    "active_disclosure",
    "requests",
    "review_litigation",
    "fees_costs",
    "problems",
    "plans",
    "other",
]
Qualifier = Literal["gt", "approx", "lt"]
Applicant = Literal[
    "total",
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "public_welfare_org",
    "legal_service_org",
    "other_org",
]
Period = Literal["annual", "cumulative"]
FactSource = Literal["table", "text"]
IngestSource = Literal["bucket", "object_store", "cli", "s3", "replay"]
TableKind = Literal["active_disclosure", "requests", "review_litigation", "channels", "legacy_stats"]
TableStyle = Literal[
    "row_per_line", "cell_per_line", "markdown", "space_separated", "glued", "html", "docx", "pdf", "mixed"
]


class Contract(BaseModel):
    """Base of every contract model: tolerant of unknown fields (forward-compatible readers)."""

    model_config = ConfigDict(extra="ignore")


class Envelope(Contract):
    """Identity and causality carried by every message; trace context travels in headers."""

    report_id: str = Field(description="sha256 hex of the raw report bytes; stable across stages")
    event_id: str = Field(description="uuid5(producer, caused_by); equals the Nats-Msg-Id header")
    caused_by: str | None = Field(default=None, description="event_id of the message this one was made from")
    produced_by: str = Field(description="kebab-case name of the producing service")
    produced_at: datetime


# ---------------------------------------------------------------- reports.raw.v1


class RawReport(Envelope):
    """A report file accepted by ingest; the bytes live in the Object Store (claim check)."""

    filename: str = Field(description="original file name, e.g. 2018年定西市政府信息公开年报.html")
    size: int = Field(ge=0, description="bytes")
    media_type: str | None = Field(default=None, description="guessed from name and magic bytes")
    object_bucket: str = Field(description="JetStream Object Store bucket holding the bytes")
    object_name: str = Field(description="object name inside the bucket (the report_id)")
    source: IngestSource
    source_uri: str = Field(description="where the file came from (path, object name, s3 URI)")


# ---------------------------------------------------------------- reports.normalized.v1


class ReportMetadata(Contract):
    """Report-level facts, named as in the metric catalog."""

    title: str | None = None
    issuer: str | None = None
    region: str | None = None
    province: str | None = None
    adcode: str | None = Field(default=None, pattern=r"^\d{6}$")
    admin_level: AdminLevel | None = None
    year: int | None = Field(default=None, description="the year the report COVERS")
    published_on: date | None = None
    index_no: str | None = None
    era: Era | None = None
    script: Script = "simplified"
    ocr_pages: list[int] = Field(
        default_factory=list, description="1-based numbers of the PDF pages whose text was recognised (OCR)"
    )
    ocr_confidence: float | None = Field(
        default=None, ge=0, le=1, description="mean recognition confidence over the OCR'd pages (None: no OCR)"
    )


class PageBox(Contract):
    """A rectangle on one page of a PDF: PDF points from the page's top-left corner (pdfplumber's `top`)."""

    page: int = Field(ge=1, description="1-based page number")
    x0: float
    top: float
    x1: float
    bottom: float


class Placement(PageBox):
    """Where a span of the normalized text stands on its page: a text line, or one cell of a table row."""

    start: int = Field(ge=0, description="offset in the normalized text")
    end: int = Field(ge=0)


class NormalizedDocument(Contract):
    """Payload of reports.normalized.v1: clean simplified-script text plus metadata."""

    filename: str
    source_format: SourceFormat
    text: str = Field(description="normalized text; every offset downstream refers to it")
    text_object: str | None = Field(
        default=None,
        description=(
            "claim check of a long text: when set, `text` is empty and the text is the object of this name "
            "in the Object Store bucket reports-text"
        ),
    )
    metadata: ReportMetadata
    layout: list[Placement] = Field(
        default_factory=list,
        description="PDF only: page and box of the text's lines and table cells, ordered by start (empty otherwise)",
    )
    layout_object: str | None = Field(
        default=None,
        description=(
            "claim check of a long text's layout, which leaves with its text: when set, `layout` is empty and the "
            "placements are the JSON array of this object in the Object Store bucket reports-text"
        ),
    )
    warnings: list[str] = Field(default_factory=list)
    extractor_version: str


class NormalizedReport(Envelope, NormalizedDocument):
    """reports.normalized.v1"""


# ---------------------------------------------------------------- reports.sectioned.v1


class Section(Contract):
    level: int = Field(ge=1, le=6)
    number: str | None = Field(default=None, description="the printed ordinal, e.g. 二 or （一）")
    title: str = Field(description="heading text without its ordinal")
    kind: SectionKind
    start: int = Field(ge=0, description="offset of the heading in the normalized text")
    end: int = Field(ge=0, description="offset where the section (with its children) ends")


class TableCell(Contract):
    row: str = Field(description="canonical row label, e.g. 一、本年新收政府信息公开申请数量")
    column: str = Field(description="canonical column label, e.g. 自然人 or 总计")
    key: str | None = Field(default=None, description="catalog metric key this cell states, if any")
    applicant: Applicant = "total"
    value: int | float | None = Field(description="None for an empty template cell (not zero)")
    raw: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Table(Contract):
    kind: TableKind
    era: Era | None = None
    style: TableStyle
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    cells: list[TableCell] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class SectionedDocument(NormalizedDocument):
    """Payload of reports.sectioned.v1: the normalized document plus structure."""

    sections: list[Section] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)


class SectionedReport(Envelope, SectionedDocument):
    """reports.sectioned.v1"""


# ---------------------------------------------------------------- reports.metrics.v1


class MetricFact(Contract):
    """One number a report states, with where it says it."""

    key: str = Field(description="catalog key, e.g. requests.new")
    value: int | float = Field(description="number in `unit`")
    value_base: int | float = Field(description="value in the base unit (元 for money; counts unchanged)")
    unit: str
    qualifier: Qualifier | None = None
    applicant: Applicant = "total"
    period: Period = "annual"
    source: FactSource
    section: SectionKind | None = None
    evidence: str = Field(description="exact substring of the normalized text")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    derived: bool = Field(
        default=False, description="computed from printed parts (a subtotal or a blank 总计), not printed itself"
    )
    box: PageBox | None = Field(
        default=None, description="PDF only: where the evidence stands on the page (None for other formats)"
    )


class Check(Contract):
    """A consistency identity (勾稽) of the official tables, evaluated on the extracted facts."""

    name: str
    passed: bool
    expected: int | float | None
    actual: int | float | None
    keys: list[str]


class SectionSummary(Contract):
    level: int
    title: str
    kind: SectionKind
    start: int
    end: int


class MetricsDocument(Contract):
    """Payload of reports.metrics.v1: the downstream contract (facts + checks + metadata)."""

    filename: str
    metadata: ReportMetadata
    sections: list[SectionSummary] = Field(default_factory=list)
    metrics: list[MetricFact] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)
    warnings: list[str] = Field(
        default_factory=list, description="upstream warnings plus the paragraphs and tables this stage had to skip"
    )
    extractor_version: str


class MetricsReport(Envelope, MetricsDocument):
    """reports.metrics.v1"""


# ---------------------------------------------------------------- reports.indexed.v1


class IndexedReport(Envelope):
    """reports.indexed.v1: the indexer wrote these documents (lets callers wait for search)."""

    index: str
    documents: int = Field(ge=0)
    stage: Literal["sectioned", "metrics"]


# ---------------------------------------------------------------- reports.crossyear.v1


class CrossYearCheck(Contract):
    """One continuity pair of the metric catalog, evaluated on a body's reports of consecutive years."""

    name: str = Field(description="rule and applicant column, e.g. requests.carried_over[total]")
    passed: bool
    year: int = Field(description="covered year of the later report")
    previous_year: int
    expected: int | float = Field(description="what the previous year's figures (with this year's flows) predict")
    actual: int | float = Field(description="the figure the later report prints")
    keys: list[str]


class CrossYearReport(Envelope):
    """reports.crossyear.v1: one reporting body's reports of two consecutive years compared.

    `report_id` and `caused_by` are the later report's; a failed check is a fact about both reports,
    never a correction of either.
    """

    adcode: str
    issuer: str = Field(description="normalized issuer; with adcode, the identity of the reporting body")
    year: int
    previous_year: int
    previous_report_id: str
    previous_event_id: str = Field(description="event_id of the previous year's reports.metrics.v1 message")
    checks: list[CrossYearCheck] = Field(default_factory=list)
