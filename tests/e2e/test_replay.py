"""`govreports replay` on a running pipeline while users search: no failed search, never zero hits.

The services run the current EXTRACTOR_VERSION; an extractor bump is simulated by stamping the indexed
docs with an older version first, so "every report re-extracted by the current extractor" is observable.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from elasticsearch import AsyncElasticsearch

from services.cli.stack import REPO_ROOT
from shared.version import EXTRACTOR_VERSION
from tests.e2e.pipeline_support import Pipeline, running_pipeline

pytestmark = pytest.mark.e2e

KINDS = ("reports", "sections", "metrics")
QUERY = "行政复议"
OLDER_EXTRACTOR = "0.9.0-before-bump"


@pytest.fixture(scope="module")
def pipeline(es_url: str) -> Iterator[Pipeline]:
    with running_pipeline(es_url) as pipeline:
        yield pipeline


async def stamp_older_extractor(es: AsyncElasticsearch, index: str) -> None:
    await es.indices.refresh(index=index)
    hits = (await es.search(index=index, source=False, size=10_000))["hits"]["hits"]
    operations: list[dict] = []
    for hit in hits:
        operations += [{"update": {"_index": hit["_index"], "_id": hit["_id"]}}, {"doc": {
            "extractor_version": OLDER_EXTRACTOR}}]
    await es.bulk(operations=operations, refresh=True)


async def versions_in(es: AsyncElasticsearch, index: str) -> dict[str, int]:
    response = await es.search(
        index=index, size=0, aggs={"v": {"terms": {"field": "extractor_version", "size": 10}}}
    )
    return {b["key"]: b["doc_count"] for b in response["aggregations"]["v"]["buckets"]}


async def test_replay_reindexes_every_report_into_a_new_version_while_search_stays_up(
    es: AsyncElasticsearch, pipeline: Pipeline
) -> None:
    settings = pipeline.settings
    for kind in KINDS:
        await stamp_older_extractor(es, settings.index_alias(kind))
    before = {kind: (await es.count(index=settings.index_alias(kind)))["count"] for kind in KINDS}
    queries, empty, errors = 0, 0, []

    async def search_loop() -> None:  # a user hitting the READ alias every ~50 ms with a Chinese query
        nonlocal queries, empty
        while True:
            try:
                result = await es.search(index=settings.index_alias("reports"), query={"match": {"body": QUERY}})
                empty += result["hits"]["total"]["value"] == 0
            except Exception as exc:
                errors.append(repr(exc))
            queries += 1
            await asyncio.sleep(0.05)

    searching = asyncio.create_task(search_loop())
    command = Path(sys.executable).with_name("govreports")
    process = await asyncio.create_subprocess_exec(
        str(command), "replay", "--timeout", "180", cwd=REPO_ROOT, env=os.environ | pipeline.stack.env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    output = (await process.communicate())[0].decode()
    await asyncio.sleep(0.5)  # searches right after the swap count too
    searching.cancel()

    assert process.returncode == 0, output
    assert f"{len(pipeline.expected)} raw reports, {len(pipeline.expected)} indexed" in output, output
    assert queries > 20 and errors == [] and empty == 0, (queries, errors[:3], empty)
    for kind in KINDS:
        read, write = settings.index_alias(kind), settings.write_alias(kind)
        assert list((await es.indices.get_alias(name=read)).keys()) == [f"{read}-v2"]
        assert list((await es.indices.get_alias(name=write)).keys()) == [f"{read}-v2"]
        assert await versions_in(es, f"{read}-v1") == {OLDER_EXTRACTOR: before[kind]}  # kept, untouched
        assert await versions_in(es, read) == {EXTRACTOR_VERSION: before[kind]}  # same docs, re-extracted
    ids = await es.search(index=settings.index_alias("reports"), source=False, size=100)
    assert {hit["_id"] for hit in ids["hits"]["hits"]} == set(pipeline.expected)
