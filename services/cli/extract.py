"""`govreports extract`: the whole extraction chain in-process, no broker (also what eval measures)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from services.metric_extractor.transform import extract_metrics
from services.normalizer.transform import normalize
from services.section_splitter.transform import split_sections


def run_extraction(path: Path) -> dict[str, Any]:
    """normalize → split_sections → extract_metrics on one file; the `extract --json` object."""
    content = path.read_bytes()
    result = extract_metrics(split_sections(normalize(content, path.name)))
    return {
        "report_id": hashlib.sha256(content).hexdigest(),
        "metadata": result.metadata.model_dump(mode="json"),
        "sections": [s.model_dump(mode="json") for s in result.sections],
        "metrics": [f.model_dump(mode="json") for f in result.metrics],
        "checks": [c.model_dump(mode="json") for c in result.checks],
    }
