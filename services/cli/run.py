"""`govreports run`: the whole deployment on this machine, seeds ingested, results shown.

Starts NATS and the Elasticsearch dev node (unless something already answers at NATS_URL /
ES_URL; with `--cluster` a 3-node NATS cluster and a 3-node Elasticsearch cluster instead), the
services, copies seeds/ into the bucket, waits until every seed is indexed or failed, prints a
summary and one highlighted search, then keeps watching until Ctrl-C.
"""

from __future__ import annotations

import asyncio
import shutil
import signal
import time
from pathlib import Path
from urllib.parse import urlparse

from elasticsearch import ApiError, AsyncElasticsearch, NotFoundError

from services.cli.search import format_hits, search_reports
from services.cli.stack import CLUSTER_REPLICAS, CLUSTER_SIZE, REPO_ROOT, LocalStack, es_healthy, port_open
from shared.elastic import elasticsearch_client
from shared.ids import report_id_for
from shared.settings import Settings

SUMMARY_QUERY = "行政复议"


def _port(url: str, default: int) -> int:
    return urlparse(url).port or default


def start_cluster(stack: LocalStack) -> None:
    """Fresh clusters on free loopback ports (their data under .data/), the services at cluster replica counts."""
    print(f"starting a {CLUSTER_SIZE}-node NATS cluster …")
    print(f"  NATS_URL={stack.start_nats_cluster(CLUSTER_SIZE)}")
    print(f"starting a {CLUSTER_SIZE}-node Elasticsearch cluster (minutes on a small machine) …")
    print(f"  ES_URL={stack.start_elasticsearch_cluster(CLUSTER_SIZE)}")
    stack.env |= CLUSTER_REPLICAS


def start_servers(settings: Settings, stack: LocalStack) -> None:
    """Reuse servers already answering at the configured URLs (the first of a list); start the missing ones."""
    nats_port = _port(settings.nats_servers[0], 4222)
    if port_open(nats_port):
        print(f"using the NATS server already at {settings.nats_url}")
        stack.env["NATS_URL"] = settings.nats_url
    else:
        print(f"starting nats-server on :{nats_port} …")
        stack.start_nats(nats_port)
    if es_healthy(settings.es_hosts[0]):
        print(f"using the Elasticsearch node already at {settings.es_url}")
        stack.env["ES_URL"] = settings.es_url
    else:
        es_port = _port(settings.es_hosts[0], 9200)
        print(f"starting Elasticsearch on :{es_port} (first run resolves it with Maven) …")
        stack.start_elasticsearch(es_port)


def start_stack(settings: Settings, stack: LocalStack, cluster: bool = False, replicas: int = 1) -> None:
    """The servers (fresh clusters with `cluster`), then `replicas` processes of each service and the search page."""
    if cluster:
        start_cluster(stack)
    else:
        start_servers(settings, stack)
    stack.env["BUCKET_DIR"] = str(settings.bucket_dir.resolve())
    each = f" ({replicas} replicas each)" if replicas > 1 else ""
    print(f"starting services{each}: ingest, normalizer, section-splitter, metric-extractor, indexer, cross-year …")
    stack.start_services(replicas=replicas)
    if port_open(settings.search_api_port):
        print(f"port {settings.search_api_port} is taken: search page not started (set SEARCH_API_PORT)")
    else:
        url = stack.start_web("search-api", settings.search_api_port, settings.search_api_host)
        print(f"search page and API: {url}/  (e.g. {url}/api/search?q={SUMMARY_QUERY})")


def drop_seeds(seeds: Path, incoming: Path) -> dict[str, str]:
    """Copy the seed files into the bucket; returns report_id → file name."""
    incoming.mkdir(parents=True, exist_ok=True)
    expected = {}
    for seed in sorted(p for p in seeds.iterdir() if p.is_file()):
        expected[report_id_for(seed.read_bytes())] = seed.name
        shutil.copy2(seed, incoming / f".{seed.name}.part")  # atomic rename: never half-read
        (incoming / f".{seed.name}.part").rename(incoming / seed.name)
    return expected


async def wait_for_reports(
    es: AsyncElasticsearch, settings: Settings, expected: dict[str, str], timeout: float
) -> dict[str, dict]:
    """Poll until each expected report has its metrics indexed or sits in failed/."""
    done: dict[str, dict] = {}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(done) < len(expected):
        for report_id, name in expected.items():
            if report_id in done:
                continue
            if (settings.failed_dir / f"{name}.error.txt").exists():
                done[report_id] = {"failed": (settings.failed_dir / f"{name}.error.txt").read_text("utf-8")}
                continue
            try:
                doc = await es.get(index=settings.index_alias("reports"), id=report_id)
            except NotFoundError:
                continue
            except ApiError as exc:
                if exc.meta.status != 503:  # 503: the new index's shard is still starting
                    raise
                continue
            if "metric_count" in doc["_source"]:
                done[report_id] = doc["_source"]
        await asyncio.sleep(0.5)
    return done


async def summarize(settings: Settings, expected: dict[str, str], timeout: float) -> bool:
    es = elasticsearch_client(settings, request_timeout=30)
    try:
        results = await wait_for_reports(es, settings, expected, timeout)
        await es.indices.refresh(index=f"{settings.es_index_prefix}-*")
        counts = {
            kind: (await es.count(index=settings.index_alias(kind)))["count"]
            for kind in ("reports", "sections", "metrics")
        }
        reports, sections, facts = counts["reports"], counts["sections"], counts["metrics"]
        print(f"\nindexed: {reports} reports, {sections} sections, {facts} metric facts")
        for report_id, name in expected.items():
            source = results.get(report_id)
            if source is None:
                print(f"  …  {name}: not finished in {timeout:.0f} s (see .data/logs/)")
            elif "failed" in source:
                print(f"  ✗  {name}: failed — {source['failed'].splitlines()[1]}")
            else:
                print(
                    f"  ✓  {name}: {source.get('region')} {source.get('year')} · {source.get('section_count')} sections"
                    f" · {source.get('metric_count')} facts · checks {source.get('check_status')}"
                )
        print()
        print(format_hits(SUMMARY_QUERY, await search_reports(es, settings, SUMMARY_QUERY, size=3)))
        return len(results) == len(expected)
    finally:
        await es.close()


def _stop_on_sigterm(signum: int, frame: object) -> None:
    """`kill` stops the stack as cleanly as Ctrl-C."""
    raise KeyboardInterrupt


def run(seeds: Path, once: bool, timeout: float, cluster: bool = False, replicas: int = 1) -> int:
    settings = Settings()
    stack = LocalStack(data_dir=REPO_ROOT / ".data", log_dir=REPO_ROOT / ".data" / "logs")
    try:
        start_stack(settings, stack, cluster, replicas)
        if cluster:  # the summary reads the clusters just started, not the configured URLs
            settings = settings.model_copy(update={"nats_url": stack.env["NATS_URL"], "es_url": stack.env["ES_URL"]})
        expected = drop_seeds(seeds, settings.incoming_dir)
        print(f"dropped {len(expected)} file(s) from {seeds} into {settings.incoming_dir}")
        complete = asyncio.run(summarize(settings, expected, timeout))
        if once:
            return 0 if complete else 1
        print(f"\nwatching {settings.incoming_dir} — drop more reports there; Ctrl-C stops everything")
        signal.signal(signal.SIGTERM, _stop_on_sigterm)
        while True:
            if dead := stack.dead():
                print(f"{dead[0].name} exited; see {dead[0].log_path}")
                return 1
            time.sleep(1)
    except KeyboardInterrupt:
        return 0
    finally:
        print("stopping …")
        stack.stop()
