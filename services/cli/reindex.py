"""`govreports reindex`: copy each kind into its next index version (current template) and swap its alias.

Client-side copy (the dev node has no `_reindex`), in this order:
1. create `<kind>-v(N+1)` (the current template gives it the current mapping) and move the WRITE alias
   there: from now on the indexer writes to the new version;
2. wait `settle` seconds, so writes that resolved the write alias before the move have landed in the
   old version, which is then frozen; copy it page by page (point in time + `search_after`) with bulk
   `create`, which never overwrites a document the indexer wrote after the move;
3. a report doc the indexer created meanwhile by a partial update (sectioned or metrics stage alone)
   gets the old doc's fields it lacks (its own fields win; optimistic concurrency on `_seq_no`);
4. the indexer writes a report's sections/facts as a complete set: for every report it wrote after the
   move, copied docs it did not rewrite are stale and are deleted (the indexer's own stale-doc lookup
   may have missed them when they were copied after its lookup);
5. swap the READ alias in one atomic `_aliases` call; keep the old version unless `--delete-old`.

Guarantee: the new version holds every write made after the move unchanged, plus every old doc no
later write replaced or made stale. Not covered: a report re-extracted during the copy to zero sections
or facts keeps its old ones until its next extraction (nothing it wrote marks it as rewritten).
Memory: the ids and `_seq_no`s of the copied docs (about 100 bytes per doc).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from elasticsearch import AsyncElasticsearch, ConflictError

from services.indexer.elastic import INDEX_KINDS, IndexKind, begin_versions, finish_versions, plan_versions
from services.indexer.versions import VersionStep
from shared.settings import Settings

PAGE_SIZE = 500
"""Docs per point-in-time page and per bulk request (report docs carry whole texts: ~50 KB each)."""
KEEP_ALIVE = "2m"
SETTLE_SECONDS = 2.0
"""Time for writes already routed to the old version to finish; a bulk request takes milliseconds."""

Version = tuple[int, int]  # (_seq_no, _primary_term): identifies one write of one doc


@dataclass
class CopyResult:
    copied: int = 0
    kept_live: int = 0  # the indexer had already written the doc: its version stays
    completed: int = 0  # live partial report docs given the old doc's other fields
    dropped_stale: int = 0


class ReindexError(RuntimeError):
    pass


async def scan(es: AsyncElasticsearch, index: str, **search: Any) -> AsyncIterator[list[dict[str, Any]]]:
    """Every doc of `index` as one consistent snapshot (point in time), page by page."""
    pit_id = (await es.open_point_in_time(index=index, keep_alive=KEEP_ALIVE))["id"]
    after = None
    try:
        while True:
            response = await es.search(
                pit={"id": pit_id, "keep_alive": KEEP_ALIVE}, sort=["_shard_doc"], size=PAGE_SIZE,
                search_after=after, **search,
            )
            hits = response["hits"]["hits"]
            if not hits:
                return
            yield hits
            pit_id, after = response["pit_id"], hits[-1]["sort"]
    finally:
        await es.close_point_in_time(id=pit_id)


async def complete_live_doc(es: AsyncElasticsearch, index: str, old: dict[str, Any]) -> bool:
    """Add the old doc's fields to the one a live write created (live fields win); False if nothing lacked."""
    while True:
        live = await es.options(ignore_status=404).get(index=index, id=old["_id"])
        if not live.get("found"):
            return False  # the indexer deleted it as stale: nothing to complete
        merged = old["_source"] | live["_source"]
        if merged == live["_source"]:
            return False
        try:
            await es.index(
                index=index, id=old["_id"], document=merged,
                if_seq_no=live["_seq_no"], if_primary_term=live["_primary_term"],
            )
            return True
        except ConflictError:
            continue  # another live write in between: merge again on top of it


async def copy_page(
    es: AsyncElasticsearch, target: str, hits: list[dict[str, Any]], created: dict[str, Version], result: CopyResult
) -> None:
    operations: list[dict[str, Any]] = []
    for hit in hits:
        operations += [{"create": {"_index": target, "_id": hit["_id"]}}, hit["_source"]]
    response = await es.bulk(operations=operations)
    for hit, item in zip(hits, response["items"], strict=True):
        outcome = item["create"]
        if outcome["status"] == 201:
            created[hit["_id"]] = (outcome["_seq_no"], outcome["_primary_term"])
            result.copied += 1
        elif outcome["status"] == 409:
            result.kept_live += 1
            result.completed += await complete_live_doc(es, target, hit)
        else:
            raise ReindexError(f"copying {hit['_id']} into {target} failed: {outcome.get('error')}")


async def drop_superseded_copies(es: AsyncElasticsearch, target: str, created: dict[str, Version]) -> int:
    """Delete copies of reports the indexer rewrote after the move that its rewrite did not touch."""
    rewritten: set[str] = set()
    untouched: dict[str, list[tuple[str, Version]]] = defaultdict(list)
    async for hits in scan(es, target, source_includes=["report_id"], seq_no_primary_term=True):
        for hit in hits:
            version = (hit["_seq_no"], hit["_primary_term"])
            report_id = hit["_source"]["report_id"]
            if created.get(hit["_id"]) == version:
                untouched[report_id].append((hit["_id"], version))
            else:
                rewritten.add(report_id)
    stale = [entry for report_id in rewritten for entry in untouched.get(report_id, [])]
    if not stale:
        return 0
    operations = [
        {"delete": {"_index": target, "_id": identity, "if_seq_no": seq_no, "if_primary_term": term}}
        for identity, (seq_no, term) in stale
    ]
    response = await es.bulk(operations=operations)
    return sum(1 for item in response["items"] if item["delete"]["status"] == 200)  # 409: rewritten since


async def copy_version(es: AsyncElasticsearch, source: str, target: str, settle: float) -> CopyResult:
    """Steps 2-4 of the module docstring for one kind (its write alias already on `target`)."""
    result = CopyResult()
    created: dict[str, Version] = {}
    await es.indices.refresh(index=source)
    async for hits in scan(es, source):
        await copy_page(es, target, hits, created, result)
    await es.indices.refresh(index=target)
    await asyncio.sleep(settle)  # a live write racing the last page is done and visible to the scan below
    await es.indices.refresh(index=target)
    result.dropped_stale = await drop_superseded_copies(es, target, created)
    return result


async def reindex(
    es: AsyncElasticsearch,
    settings: Settings,
    kinds: tuple[IndexKind, ...] = INDEX_KINDS,
    delete_old: bool = False,
    settle: float = SETTLE_SECONDS,
) -> list[tuple[VersionStep, CopyResult]]:
    steps = await plan_versions(es, settings, kinds)
    if unsettled := [s for s in steps if not s.settled]:
        s = unsettled[0]
        raise ReindexError(
            f"{s.read_alias} is on {s.read_source} but {s.write_alias} on {s.write_source}: an earlier replay or "
            "reindex did not finish; run `govreports replay` to rebuild from the raw reports"
        )
    await begin_versions(es, steps)
    await asyncio.sleep(settle)
    results = [(step, await copy_version(es, step.read_source, step.target, settle)) for step in steps]
    await finish_versions(es, steps, delete_old)
    return results


def format_results(results: list[tuple[VersionStep, CopyResult]], delete_old: bool) -> str:
    lines = []
    for step, r in results:
        lines.append(
            f"{step.read_alias}: {step.read_source} → {step.target}  copied {r.copied}, kept {r.kept_live} newer "
            f"(completed {r.completed}), dropped {r.dropped_stale} stale"
            + ("; old version deleted" if delete_old else "; old version kept")
        )
    return "\n".join(lines)
