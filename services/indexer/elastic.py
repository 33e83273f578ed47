"""Elasticsearch I/O of the indexer: templates, versioned indices behind read/write aliases, bulk writes."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from importlib import resources
from typing import Any, Literal

from elasticsearch import ApiError, AsyncElasticsearch, BadRequestError, TransportError

from services.indexer import versions
from services.indexer.batch import Indices, Stage, StoredIds
from shared.failures import PermanentError, PipelineError, TransientError
from shared.settings import Settings

IndexKind = Literal["reports", "sections", "metrics"]
INDEX_KINDS: tuple[IndexKind, ...] = ("reports", "sections", "metrics")
Refresh = Literal["false", "wait_for", "true"]
STORED_FIELDS = ["section_ids", "metric_ids", "metric_keys", "section_count", "metric_count"]


def retryable(status: int) -> bool:
    """Statuses that say the node is busy or broken, not that the request is wrong: wait them out.

    408 is a node too busy (or still recovering) to answer in time; 409 a conflict `retry_on_conflict`
    could not settle: the next try re-reads the doc.
    """
    return status in (408, 409, 429) or status >= 500


def load_template(kind: IndexKind, prefix: str, replicas: int = 0) -> dict[str, Any]:
    """The committed template for `kind`, retargeted at this deployment's index prefix and replica count."""
    text = resources.files("services.indexer").joinpath("templates", f"govreports-{kind}.json").read_text("utf-8")
    template = json.loads(text)
    template["index_patterns"] = [f"{prefix}-{kind}-v*"]
    template["template"]["settings"]["index"]["number_of_replicas"] = replicas
    return template


async def index_layout(es: AsyncElasticsearch, read_alias: str) -> dict[str, list[str]]:
    """Every version of one kind with the aliases on it."""
    response = await es.indices.get_alias(index=f"{read_alias}-v*")
    return {index: list(body.get("aliases", {})) for index, body in response.body.items()}


async def create_version(es: AsyncElasticsearch, index: str, aliases: tuple[str, ...] = ()) -> None:
    """Create one index version (the template supplies the mapping); a concurrent creator is no error."""
    try:
        await es.indices.create(index=index, aliases={alias: {} for alias in aliases})
    except BadRequestError as exc:
        if exc.error != "resource_already_exists_exception":
            raise
    await es.cluster.health(index=index, wait_for_status="yellow", timeout="60s")


async def ensure_indices(es: AsyncElasticsearch, settings: Settings) -> None:
    """Put the templates; give each kind its read and write alias (v1 on a fresh cluster). Idempotent."""
    for kind in INDEX_KINDS:
        read_alias, write_alias = settings.index_alias(kind), settings.write_alias(kind)
        template = load_template(kind, settings.es_index_prefix, settings.es_index_replicas)
        await es.indices.put_index_template(name=read_alias, **template)
        create, actions = versions.bootstrap(read_alias, write_alias, await index_layout(es, read_alias))
        if create:
            await create_version(es, create, (read_alias, write_alias))
        if actions:
            await es.indices.update_aliases(actions=actions)
        await add_new_fields(es, write_alias, template["template"]["mappings"])
        # Versions created before ES_INDEX_REPLICAS changed follow it too (a dynamic index setting).
        replicas = {"index": {"number_of_replicas": settings.es_index_replicas}}
        await es.indices.put_settings(index=read_alias, settings=replicas)
        await es.cluster.health(index=read_alias, wait_for_status="yellow", timeout="60s")


def missing_fields(current: dict[str, Any], wanted: dict[str, Any]) -> dict[str, Any]:
    """Top-level fields of `wanted` that a strict mapping lacks (a dynamic one accepts them as they come)."""
    if current.get("dynamic") != "strict":
        return {}
    have = current.get("properties", {})
    return {name: spec for name, spec in wanted["properties"].items() if name not in have}


async def add_new_fields(es: AsyncElasticsearch, write_alias: str, wanted: dict[str, Any]) -> None:
    """Give the version being written the fields the template added since it was created.

    Why: its strict mapping would refuse every document that carries a new field (an additive change
    needs no new version). Documents indexed before have no value in it until `govreports replay`.
    """
    response = await es.indices.get_mapping(index=write_alias)
    for index, body in response.body.items():
        if fields := missing_fields(body["mappings"], wanted):
            await es.indices.put_mapping(index=index, properties=fields)


async def plan_versions(
    es: AsyncElasticsearch, settings: Settings, kinds: tuple[IndexKind, ...] = INDEX_KINDS
) -> list[versions.VersionStep]:
    """Where each kind's aliases point now and the version it moves to next."""
    steps = []
    for kind in kinds:
        read = settings.index_alias(kind)
        steps.append(versions.plan_step(read, settings.write_alias(kind), await index_layout(es, read)))
    return steps


async def begin_versions(es: AsyncElasticsearch, steps: list[versions.VersionStep]) -> None:
    """Create the next versions, then move every write alias to them in one atomic call."""
    for step in steps:
        await create_version(es, step.target)
    await es.indices.update_aliases(actions=versions.write_moves(steps))


async def finish_versions(es: AsyncElasticsearch, steps: list[versions.VersionStep], delete_old: bool) -> None:
    """Swap every read alias in one atomic call; optionally drop the superseded versions."""
    await es.indices.update_aliases(actions=versions.read_swaps(steps))
    if delete_old:
        old = sorted(({s.read_source for s in steps} | {s.write_source for s in steps}) - {s.target for s in steps})
        await es.indices.delete(index=",".join(old))


def classify(exc: Exception) -> Exception:
    """The pipeline's failure kind of an Elasticsearch client error: only a refused request is permanent."""
    if isinstance(exc, ApiError) and not retryable(exc.meta.status):
        return PermanentError(f"Elasticsearch rejected the request ({exc.meta.status}): {exc.message}")
    return TransientError(f"Elasticsearch unavailable: {exc}", dependency="elasticsearch")


def write_indices(settings: Settings) -> Indices:
    return Indices(*(settings.write_alias(kind) for kind in INDEX_KINDS))


async def bulk_items(
    es: AsyncElasticsearch, operations: list[dict[str, Any]], refresh: Refresh = "false"
) -> list[dict[str, Any]]:
    """One bulk request; its per-action results in order (`{status, error?, ...}`). Request failures raise."""
    try:
        response = await es.bulk(operations=operations, refresh=refresh)
    except (ApiError, TransportError) as exc:
        raise classify(exc) from exc
    return [next(iter(item.values())) for item in response["items"]]


def failure_of(results: Sequence[dict[str, Any]]) -> PipelineError | None:
    """The failure kind of some bulk item results: permanent if any was refused, transient if any was busy.

    A delete of a doc that is already gone (404 without an error) is no failure.
    """
    errors = [result for result in results if result.get("error")]
    if refused := [e for e in errors if not retryable(e["status"])]:
        return PermanentError(f"Elasticsearch rejected {len(refused)} document(s): {refused[0]['error']}")
    if errors:
        return TransientError(f"Elasticsearch could not take the write: {errors[0]['error']}", "elasticsearch")
    return None


async def report_doc_ids(es: AsyncElasticsearch, index: str, report_id: str) -> frozenset[str]:
    """Ids of every doc of a report in a sections or metrics index (one search)."""
    try:
        response = await es.search(
            index=index, query={"term": {"report_id": report_id}}, source=False, size=10_000
        )
    except (ApiError, TransportError) as exc:
        raise classify(exc) from exc
    return frozenset(hit["_id"] for hit in response["hits"]["hits"])


async def listed_ids(
    es: AsyncElasticsearch, source: dict[str, Any], kind: Literal["section", "metric"], index: str, needed: bool
) -> frozenset[str]:
    """The ids a report doc lists for `kind`; a doc indexed before the lists were kept (a count, no ids)
    costs one search, and only when this batch rewrites that kind (the write then stores the list)."""
    if f"{kind}_ids" in source:
        return frozenset(source[f"{kind}_ids"])
    if needed and f"{kind}_count" in source:
        return await report_doc_ids(es, index, source["report_id"])
    return frozenset()


async def stored_ids(
    es: AsyncElasticsearch, indices: Indices, stages: Mapping[str, Collection[Stage]]
) -> dict[str, StoredIds]:
    """What the report docs of a batch list (one mget); report_id → the stages the batch rewrites."""
    try:
        response = await es.mget(index=indices.reports, ids=list(stages), source_includes=STORED_FIELDS)
    except (ApiError, TransportError) as exc:
        raise classify(exc) from exc
    stored = {}
    for doc in response["docs"]:
        if error := doc.get("error"):
            raise TransientError(f"Elasticsearch could not read report {doc['_id']}: {error}", "elasticsearch")
        if not doc.get("found"):
            continue
        source, wanted = doc["_source"] | {"report_id": doc["_id"]}, stages[doc["_id"]]
        stored[doc["_id"]] = StoredIds(
            section_ids=await listed_ids(es, source, "section", indices.sections, "sectioned" in wanted),
            metric_ids=await listed_ids(es, source, "metric", indices.metrics, "metrics" in wanted),
            metric_keys=frozenset(source.get("metric_keys", [])),
        )
    return stored
