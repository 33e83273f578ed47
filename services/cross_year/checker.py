"""One report's cross-year work on Elasticsearch: record its basis, then settle every doc its change touches.

Why the same final state whatever the order of arrival, re-extractions or concurrent replicas:
- a doc's results are a pure function (`transform.doc_state`) of its basis and its partners' bases, all
  stored in Elasticsearch, and every write is conditional on the doc as read (`store.Changed` → read again);
- the handler of a report records its basis first and refreshes, and only then settles its own doc and
  every doc that may pair with it (its body's adjacent years, before and after the change, and any doc
  holding a check against it). So of two reports that pair, whichever is handled second sees the other,
  and a settlement computed from a basis that changed meanwhile loses its conditional write to the
  settlement of the handler that changed it, or is overwritten by it.
- an extraction older than the recorded one (a redelivery after a re-extraction) changes nothing.
"""

from __future__ import annotations

from typing import Any

import structlog

from services.cross_year.store import Changed, ReportDocs, StoredDoc
from services.cross_year.transform import Basis, doc_state, in_order
from shared.failures import TransientError

log = structlog.get_logger()

ATTEMPTS = 20
"""Reads and conditional writes of one doc before giving up for now (the message is then retried)."""


class CrossYearChecker:
    def __init__(self, docs: ReportDocs) -> None:
        self.docs = docs

    async def check(self, basis: Basis) -> list[tuple[Basis, Basis]]:
        """Record `basis` and settle what it touches; its pairs (later year first) to announce, none when a
        later extraction of the report is recorded already."""
        recorded = await self._record(basis)
        if recorded is None:
            log.info("superseded_extraction", report_id=basis.report_id)
            return []
        await self.docs.refresh()
        touched = await self.docs.touched_by(basis.report_id, [basis, *recorded])
        pairs = await self._settle(basis.report_id)
        for report_id in sorted(set(touched)):
            await self._settle(report_id)
        return pairs

    async def _record(self, basis: Basis) -> list[Basis] | None:
        """Write the basis unless a later one is recorded (None); the one it replaced, if any."""
        for _ in range(ATTEMPTS):
            stored = await self.docs.read(basis.report_id)
            earlier = stored.basis if stored else None
            if earlier is not None and earlier.supersedes(basis):
                return None
            if earlier == basis:  # a redelivery: settle again, the first delivery may have stopped half-way
                return []
            try:
                await self.docs.record(basis, stored)
            except Changed:
                continue
            return [earlier] if earlier else []
        raise TransientError(f"report {basis.report_id} kept changing while recording it", "elasticsearch")

    async def _settle(self, report_id: str) -> list[tuple[Basis, Basis]]:
        """Bring one doc's results in line with the bases recorded now; the pairs they came from."""
        for _ in range(ATTEMPTS):
            stored = await self.docs.read(report_id)
            if stored is None or stored.basis is None:
                return []
            basis = stored.basis
            partners = await self.docs.partners(basis) if basis.comparable else []
            if not await self._write(report_id, doc_state(basis, partners), stored):
                continue
            return [in_order(basis, partner) for partner in partners]
        raise TransientError(f"report {report_id} kept changing while settling it", "elasticsearch")

    async def _write(self, report_id: str, state: dict[str, Any], stored: StoredDoc) -> bool:
        """False when the doc changed since it was read."""
        if state == stored.state:
            return True
        try:
            await self.docs.write_state(report_id, state, stored)
        except Changed:
            return False
        return True
