"""Figure a, the in-process ceiling: normalize → split → extract over the inputs in one process.

No broker, no Elasticsearch, no parsing child: the yardstick the end-to-end rate is divided by. The chain is
the one `govreports extract` runs (services/cli/extract.py).
"""

from __future__ import annotations

import time
from typing import Any

from services.metric_extractor.transform import extract_metrics
from services.normalizer.transform import normalize
from services.section_splitter.transform import split_sections
from shared.failures import PermanentError
from tests.bench.figures import percentile, rate
from tests.faults.reports import Report


def measure_ceiling(reports: list[Report]) -> dict[str, Any]:
    """Reports/s over the whole list, and each report's CPU time (this thread only: the bench's event loop
    keeps sampling in another)."""
    cpu_ms, refused = [], 0
    started = time.perf_counter()
    for report in reports:
        before = time.thread_time()
        try:
            extract_metrics(split_sections(normalize(report.content, report.name)))
        except PermanentError:  # refused input costs its detection time, as in the pipeline
            refused += 1
        cpu_ms.append((time.thread_time() - before) * 1000)
    seconds = time.perf_counter() - started
    return {
        "reports": len(reports),
        "refused": refused,
        "seconds": round(seconds, 2),
        "reports_per_s": rate(len(reports), seconds),
        "cpu_ms_p50": round(percentile(cpu_ms, 0.5), 1),
        "cpu_ms_max": round(max(cpu_ms), 1),
    }
