"""Pure transform: a sectioned report in, its metric facts, checks and section summary out.

No broker, Elasticsearch, tracing or clock imports here; services/metric_extractor/router.py wires it.
"""

from __future__ import annotations

from services.metric_extractor.checks import run_checks
from services.metric_extractor.prose import find_text_facts
from services.metric_extractor.provenance import with_boxes
from services.metric_extractor.resolve import choose
from services.metric_extractor.sections import SectionLocator
from services.metric_extractor.tables import derived_facts, prose_settled_runs, table_facts
from shared.messages.v1 import MetricsDocument, SectionedDocument, SectionSummary
from shared.version import EXTRACTOR_VERSION


def extract_metrics(doc: SectionedDocument) -> MetricsDocument:
    """Catalog facts from tables (plus derived subtotals) and prose, one per key and applicant.

    Never raises on content: a table or paragraph that cannot be read costs itself, with a warning.
    """
    warnings: list[str] = []
    locate = SectionLocator(doc.sections)
    meta = doc.metadata
    body = "" if meta.admin_level == "department" else " ".join(filter(None, (meta.title, meta.issuer)))
    prose = find_text_facts(doc.text, doc.sections, [(t.start, t.end) for t in doc.tables], body, warnings)
    cells = table_facts(doc, locate, warnings) + prose_settled_runs(doc, prose, locate, warnings)
    derived = derived_facts(cells, doc.text)
    facts, disagreements = choose(cells + derived, prose, doc.text, prose_first=doc.metadata.era == "pre2019")
    return MetricsDocument(
        filename=doc.filename,
        metadata=doc.metadata,
        sections=[
            SectionSummary(level=s.level, title=s.title, kind=s.kind, start=s.start, end=s.end) for s in doc.sections
        ],
        metrics=with_boxes(facts, doc.layout, doc.text),
        checks=run_checks(facts, derived) + disagreements,
        warnings=doc.warnings + warnings,
        extractor_version=EXTRACTOR_VERSION,
    )
