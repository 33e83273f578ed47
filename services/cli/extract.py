"""`govreports extract`: the whole extraction chain in-process, no broker (also what eval measures)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from services.metric_extractor.transform import extract_metrics
from services.normalizer.transform import normalize
from services.section_splitter.transform import split_sections
from shared.failures import PermanentError


def run_extraction(path: Path) -> dict[str, Any]:
    """normalize → split_sections → extract_metrics on one file; the `extract --json` object.

    `warnings` gathers what each stage gave up on (a cleanup that removed much, an unreadable table …).
    """
    content = path.read_bytes()
    sectioned = split_sections(normalize(content, path.name))
    result = extract_metrics(sectioned)
    return {
        "report_id": hashlib.sha256(content).hexdigest(),
        "source_format": sectioned.source_format,
        "metadata": result.metadata.model_dump(mode="json"),
        "sections": [s.model_dump(mode="json") for s in result.sections],
        "metrics": [f.model_dump(mode="json") for f in result.metrics],
        "checks": [c.model_dump(mode="json") for c in result.checks],
        "warnings": [*result.warnings, *(w for t in sectioned.tables for w in t.warnings)],
    }


def survey(paths: Iterable[Path]) -> tuple[list[str], int]:
    """One line per file as a user reads a folder's results: what was found, or why nothing was.

    Returns the lines and the number of crashes (exceptions other than a declared refusal of bad input).
    """
    lines, crashes = [], 0
    for path in paths:
        try:
            result = run_extraction(path)
        except PermanentError as exc:
            lines.append(f"refused  {path}: {exc.reason}")
            continue
        except Exception as exc:  # a survey reports every file; the crash is the finding
            crashes += 1
            lines.append(f"CRASH    {path}: {type(exc).__name__}: {exc}")
            continue
        meta = result["metadata"]
        lines.append(
            f"ok       {path}: {meta.get('region')} · {meta.get('year')} · {meta.get('era')} · "
            f"{len(result['sections'])} sections · {len(result['metrics'])} facts · "
            f"{sum(not c['passed'] for c in result['checks'])} failed checks · {len(result['warnings'])} warnings"
            f" · {meta.get('title')}"
        )
    lines.append(f"{len(lines)} files, {crashes} crashes")
    return lines, crashes
