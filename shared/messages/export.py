"""Writes the committed JSON Schemas of the v1 contracts: `python -m shared.messages.export`.

A unit test fails when a model changes without its schema being regenerated (schema drift).
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from shared import topology
from shared.messages import CrossYearReport, IndexedReport, MetricsReport, NormalizedReport, RawReport, SectionedReport

SCHEMA_DIR = Path(__file__).parent / "schemas"
CONTRACTS: dict[str, type[BaseModel]] = {
    topology.RAW: RawReport,
    topology.NORMALIZED: NormalizedReport,
    topology.SECTIONED: SectionedReport,
    topology.METRICS: MetricsReport,
    topology.INDEXED: IndexedReport,
    topology.CROSSYEAR: CrossYearReport,
}


def render(subject: str, model: type[BaseModel]) -> str:
    schema = {"$id": f"govreports:{subject}", "title": subject, **model.model_json_schema()}
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main() -> None:
    SCHEMA_DIR.mkdir(exist_ok=True)
    for subject, model in CONTRACTS.items():
        (SCHEMA_DIR / f"{subject}.json").write_text(render(subject, model), encoding="utf-8")


if __name__ == "__main__":
    main()
