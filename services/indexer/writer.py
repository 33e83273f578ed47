"""The indexer's one writer: the parts of a fetch reach Elasticsearch as one mget and one bulk request.

FastStream runs one handler per fetched message, concurrently (up to INDEX_BATCH_SIZE per fetch). Each
hands its part to `ReportWriter.write` and waits for its own outcome, so acks, waits, dead letters,
heartbeats and traces stay per message (shared.runtime's middleware does them as for every stage). A
flush starts once no part has come for INDEX_BATCH_WAIT_MS (or INDEX_BATCH_SIZE parts are waiting) and
writes them together: FastStream fetches again only when every handler of a fetch is done, so a flush
never waits for more than its own fetch. Flushes never overlap: the indexer never races itself on a
report document.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence

from elasticsearch import AsyncElasticsearch

from services.indexer.batch import Indices, ReportPart, Stage, plan_bulk
from services.indexer.elastic import Refresh, bulk_items, failure_of, stored_ids

Outcome = int | None | BaseException
"""Per part: documents to announce, None when a later message of its report and stage superseded it,
or why it failed (a PermanentError dead-letters, a TransientError waits)."""


async def write_parts(
    es: AsyncElasticsearch, indices: Indices, parts: Sequence[ReportPart], refresh: Refresh = "false"
) -> list[Outcome]:
    """Write `parts` with one mget (stored ids) and one bulk request; each part's outcome from its own items."""
    stages: dict[str, set[Stage]] = defaultdict(set)
    for part in parts:
        stages[part.report.report_id].add(part.stage)
    stored = await stored_ids(es, indices, stages)
    plan = await asyncio.to_thread(plan_bulk, parts, stored, indices)  # CPU: keep the loop free for heartbeats
    results = await bulk_items(es, plan.operations, refresh)
    owned: list[list[dict]] = [[] for _ in parts]
    for owners, result in zip(plan.owners, results, strict=True):
        for position in owners:
            owned[position].append(result)
    outcomes: list[Outcome] = []
    for position, items in enumerate(owned):
        failure = failure_of(items)
        outcomes.append(plan.documents.get(position) if failure is None else failure)
    return outcomes


class ReportWriter:
    """Collects the parts handed in by concurrent handlers and writes them in flushes, one at a time."""

    def __init__(
        self, es: AsyncElasticsearch, indices: Indices, *, batch_size: int, wait_seconds: float, refresh: Refresh
    ) -> None:
        self.es, self.indices, self.refresh = es, indices, refresh
        self.batch_size, self.wait_seconds = batch_size, wait_seconds
        self._queue: list[tuple[ReportPart, asyncio.Future[int | None]]] = []
        self._lock = asyncio.Lock()
        self._timer: asyncio.TimerHandle | None = None
        self._flushes: set[asyncio.Task[None]] = set()  # strong references: the loop keeps only weak ones

    async def write(self, part: ReportPart) -> int | None:
        """Documents written for `part` (None: superseded); raises its failure."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[int | None] = loop.create_future()
        self._queue.append((part, future))
        if len(self._queue) >= self.batch_size:
            self._flush_now()
        else:  # the handlers of one fetch reach this over a few loop turns: wait until they stop coming
            if self._timer is not None:
                self._timer.cancel()
            self._timer = loop.call_later(self.wait_seconds, self._flush_now)
        return await future

    def _flush_now(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        task = asyncio.get_running_loop().create_task(self._flush())
        self._flushes.add(task)
        task.add_done_callback(self._flushes.discard)

    async def _flush(self) -> None:
        async with self._lock:
            batch, self._queue = self._queue[: self.batch_size], self._queue[self.batch_size :]
            batch = [(part, future) for part, future in batch if not future.done()]  # cancelled: work timeout
            if not batch:
                return
            outcomes: Sequence[Outcome]
            try:
                outcomes = await write_parts(self.es, self.indices, [part for part, _ in batch], self.refresh)
            except Exception as exc:  # the request itself failed (Elasticsearch down, refused): all parts share it
                outcomes = [exc] * len(batch)
            for (_, future), outcome in zip(batch, outcomes, strict=True):
                if future.done():
                    continue
                if isinstance(outcome, BaseException):
                    future.set_exception(outcome)
                else:
                    future.set_result(outcome)
