"""The `cross_year` object of a report doc (pure): the basis the service records and reads back.

Figures are stored as a list of [name, value] pairs, not an object: a partial update merges objects key by
key, so a figure a re-extraction no longer has would survive in an object, while a list is replaced whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from services.cross_year.identity import ReportingBody
from services.cross_year.transform import Basis

FIELD = "cross_year"
STATE_FIELDS = ("checks", "failed", "status")


def basis_fields(basis: Basis) -> dict[str, Any]:
    return {
        "identity": basis.body.key if basis.body else None,
        "year": basis.year,
        "basis": {
            "event_id": basis.event_id,
            "produced_at": basis.produced_at.isoformat(),
            "era": basis.era,
            "figures": sorted([name, value] for name, value in basis.figures.items()),
        },
    }


def basis_from(report_id: str, fields: Mapping[str, Any]) -> Basis | None:
    """The basis recorded in a doc's `cross_year` fields; None when the service has not seen the report."""
    recorded = fields.get("basis")
    if not recorded:
        return None
    identity = fields.get("identity")
    return Basis(
        report_id=report_id,
        event_id=recorded["event_id"],
        produced_at=datetime.fromisoformat(recorded["produced_at"]),
        body=ReportingBody.from_key(identity) if identity else None,
        year=fields.get("year"),
        era=recorded.get("era"),
        figures={name: value for name, value in recorded["figures"]},
    )


def state_from(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The results a doc shows now (None where it has none yet), comparable with `transform.doc_state`."""
    return {name: fields.get(name) for name in STATE_FIELDS}
