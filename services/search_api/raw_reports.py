"""The raw report files, read from the Object Store (bucket reports-raw, object = report id) for page crops.

One NATS connection, opened on the first crop that needs a file (the search page works without NATS) and
again after it was lost. Report ids are content hashes, so a file never changes: the last few read are kept.
"""

from __future__ import annotations

import asyncio

import nats
from nats.aio.client import Client
from nats.js.errors import BucketNotFoundError, NotFoundError, ObjectNotFoundError

from services.search_api.crops import BoundedCache
from shared import topology

CONNECT_TIMEOUT_SECONDS = 2.0  # a crop request waits at most about this long for a server that is down


class RawReports:
    """Raw report bytes by report id; None for an id the bucket does not hold."""

    def __init__(self, servers: list[str], cache_bytes: int) -> None:
        self._servers = servers
        self._client: Client | None = None
        self._connecting = asyncio.Lock()
        self._cache = BoundedCache(cache_bytes)

    async def _connection(self) -> Client:
        async with self._connecting:
            if self._client is None or self._client.is_closed:
                self._client = await nats.connect(
                    self._servers, name="search-api", connect_timeout=CONNECT_TIMEOUT_SECONDS,
                    max_reconnect_attempts=2, reconnect_time_wait=0.5,
                )  # fmt: skip
            return self._client

    async def get(self, report_id: str) -> bytes | None:
        """The file's bytes; connection errors propagate (the route answers 503)."""
        if (content := self._cache.get(report_id)) is not None:
            return content
        client = await self._connection()
        try:
            store = await client.jetstream().object_store(topology.RAW_BUCKET)
            result = await store.get(report_id)
        except (BucketNotFoundError, ObjectNotFoundError, NotFoundError):
            return None
        content = result.data or b""
        self._cache.put(report_id, content)
        return content

    async def close(self) -> None:
        if self._client is not None and not self._client.is_closed:
            await self._client.close()
