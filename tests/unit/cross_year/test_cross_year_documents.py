"""The `cross_year` object of a report doc: what is recorded reads back as the same basis."""

from __future__ import annotations

import json

from services.cross_year.documents import basis_fields, basis_from, state_from
from tests.unit.cross_year.builders import basis


def test_a_recorded_basis_reads_back_equal_through_json() -> None:
    recorded = basis("r22", 2022, {"requests.carried_over[total]": 3, "active.regulations.in_force[total]": 1.5})
    fields = json.loads(json.dumps(basis_fields(recorded)))
    assert fields["identity"] == "330111|望川县人民政府" and fields["year"] == 2022
    assert fields["basis"]["figures"] == [
        ["active.regulations.in_force[total]", 1.5],
        ["requests.carried_over[total]", 3],
    ]  # a list: replaced, never merged
    assert basis_from("r22", fields) == recorded


def test_a_report_never_compared_reads_back_without_identity() -> None:
    recorded = basis("zone", 2022, body=None)
    fields = basis_fields(recorded)
    assert fields["identity"] is None and basis_from("zone", fields) == recorded


def test_a_doc_the_service_has_not_seen_has_no_basis_and_no_results() -> None:
    assert basis_from("r", {}) is None
    assert state_from({}) == {"checks": None, "failed": None, "status": None}
