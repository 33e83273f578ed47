"""Elasticsearch I/O of the cross-year service: the `cross_year` fields of report docs behind the write alias.

Every write is conditional on the doc's `_seq_no`/`_primary_term` as read (optimistic concurrency): a doc
that changed in between — another replica, or the indexer writing its own fields — raises `Changed` and
the caller reads again. A doc the indexer has not written yet is created with the `cross_year` fields
only; the indexer's partial upserts add theirs beside them, so either order ends in the same doc.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from elasticsearch import ApiError, AsyncElasticsearch, ConflictError, TransportError

from services.cross_year.documents import FIELD, basis_fields, basis_from, state_from
from services.cross_year.transform import Basis
from shared.failures import PermanentError, TransientError

SEARCH_SIZE = 1000
"""Far above the reports of one body in three years, or the docs that ever paired with one report."""


class Changed(Exception):
    """The doc changed since it was read: read it again."""


@contextmanager
def elastic_errors(what: str) -> Iterator[None]:
    """Conflicts → Changed; a refused request is permanent; Elasticsearch away, busy or the index missing
    (the indexer creates it) is transient."""
    try:
        yield
    except ConflictError as exc:
        raise Changed(what) from exc
    except ApiError as exc:
        status = exc.meta.status
        if status in (404, 408, 429) or status >= 500:
            raise TransientError(f"Elasticsearch could not {what} ({status}): {exc.message}", "elasticsearch") from exc
        raise PermanentError(f"Elasticsearch refused to {what} ({status}): {exc.message}") from exc
    except TransportError as exc:
        raise TransientError(f"Elasticsearch unavailable: {exc}", "elasticsearch") from exc


@dataclass(frozen=True)
class StoredDoc:
    basis: Basis | None
    state: dict[str, Any]
    seq_no: int
    primary_term: int


class ReportDocs:
    """The report docs of one write alias (the version the indexer writes, also during a reindex/replay)."""

    def __init__(self, es: AsyncElasticsearch, alias: str) -> None:
        self.es, self.alias = es, alias

    async def ready(self) -> None:
        """Transient until the indexer has created the index and given it the `cross_year` mapping."""
        with elastic_errors(f"read the mapping of {self.alias}"):
            response = await self.es.indices.get_mapping(index=self.alias)
        if not all(FIELD in body["mappings"].get("properties", {}) for body in response.body.values()):
            raise TransientError(f"{self.alias} has no {FIELD} mapping yet (the indexer adds it)", "elasticsearch")

    async def read(self, report_id: str) -> StoredDoc | None:
        """The doc as it is now (a real-time get, not the last refresh); None when nobody wrote it yet."""
        with elastic_errors(f"read report {report_id}"):
            found = await self.es.options(ignore_status=404).get(
                index=self.alias, id=report_id, source_includes=[FIELD]
            )
        if not found.get("found"):
            if "error" in found:  # the alias itself is missing, not the doc
                raise TransientError(f"{self.alias} missing: {found['error']}", "elasticsearch")
            return None
        fields = found["_source"].get(FIELD) or {}
        return StoredDoc(basis_from(report_id, fields), state_from(fields), found["_seq_no"], found["_primary_term"])

    async def record(self, basis: Basis, stored: StoredDoc | None) -> None:
        """Write the basis: into the doc as read, or as a new doc holding only `cross_year`."""
        fields = {FIELD: basis_fields(basis)}
        with elastic_errors(f"record report {basis.report_id}"):
            if stored is None:
                await self.es.index(
                    index=self.alias, id=basis.report_id, document=fields, op_type="create", require_alias=True
                )
            else:
                await self._update(basis.report_id, fields, stored)

    async def write_state(self, report_id: str, state: dict[str, Any], stored: StoredDoc) -> None:
        with elastic_errors(f"write the results of report {report_id}"):
            await self._update(report_id, {FIELD: state}, stored)

    async def _update(self, report_id: str, fields: dict[str, Any], stored: StoredDoc) -> None:
        """A partial update of the doc as read: `cross_year` objects merge, its lists are replaced."""
        await self.es.update(
            index=self.alias,
            id=report_id,
            doc=fields,
            if_seq_no=stored.seq_no,
            if_primary_term=stored.primary_term,
            require_alias=True,
        )

    async def refresh(self) -> None:
        """Make every recorded basis searchable: the searches below must see what was written before them."""
        with elastic_errors(f"refresh {self.alias}"):
            await self.es.indices.refresh(index=self.alias)

    async def _search_ids(self, query: dict[str, Any]) -> list[str]:
        with elastic_errors(f"search {self.alias}"):
            response = await self.es.search(index=self.alias, query=query, source=False, size=SEARCH_SIZE)
        return [hit["_id"] for hit in response["hits"]["hits"]]

    async def touched_by(self, report_id: str, bases: list[Basis]) -> list[str]:
        """Docs whose results may involve `report_id`: the adjacent-year reports of each body and year it was
        recorded with (now and before), and every doc holding a check against it."""
        adjacent = [_adjacent(basis) for basis in bases if basis.comparable]
        referencing = {"term": {f"{FIELD}.checks.other_report_id": report_id}}
        query = {"bool": {"should": [*adjacent, referencing], "must_not": [{"ids": {"values": [report_id]}}]}}
        return await self._search_ids(query)

    async def partners(self, basis: Basis) -> list[Basis]:
        """The recorded reports of the same body one year before or after `basis`."""
        query = {"bool": {"filter": [_adjacent(basis)], "must_not": [{"ids": {"values": [basis.report_id]}}]}}
        with elastic_errors(f"search {self.alias}"):
            response = await self.es.search(index=self.alias, query=query, source_includes=[FIELD], size=SEARCH_SIZE)
        found = (basis_from(hit["_id"], hit["_source"][FIELD]) for hit in response["hits"]["hits"])
        return [partner for partner in found if partner is not None]


def _adjacent(basis: Basis) -> dict[str, Any]:
    """Docs of the same body whose covered year is one before or after."""
    if basis.body is None or basis.year is None:
        raise ValueError(f"report {basis.report_id} has no identity to compare by")
    return {
        "bool": {
            "filter": [
                {"term": {f"{FIELD}.identity": basis.body.key}},
                {"terms": {f"{FIELD}.year": [basis.year - 1, basis.year + 1]}},
            ]
        }
    }
