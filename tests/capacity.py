"""`python -m tests.capacity [--corpus DIR]`: bytes per report in every store, for docs/scaling.md.

Runs the real pipeline (fault harness: a fresh Elasticsearch node, nats-server, the six services) on every
source `--copies` times (seeds/, the test fixtures and, when given, the team corpus's pages and PDFs; each copy
its own report by a unique trailer, so an index's fixed overhead is spread over many reports), waits until every
durable consumer of REPORTS is caught up, then reads back what one report costs:
- the stream, per subject: messages and bytes of payload and headers (every message read back by sequence);
- each Object Store bucket (its OBJ_ stream's stored bytes);
- each index after refresh and a force merge to one segment (`_cat/indices`: docs and store bytes).
Prints one JSON document; nothing is written to the repository.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import nats
from elasticsearch import Elasticsearch
from nats.js.errors import NotFoundError

from shared import topology
from tests.faults.accounting import complete, settled
from tests.faults.harness import drop, elasticsearch, pipeline, until_drained, wait_settled, workspace
from tests.faults.reports import make_reports, source_files

BUCKETS = (topology.RAW_BUCKET, topology.TEXT_BUCKET, topology.INCOMING_BUCKET)


async def stream_sizes(nats_url: str) -> dict[str, Any]:
    """Per subject of REPORTS: messages, payload bytes, header bytes; per Object Store bucket: stored bytes."""
    client = await nats.connect(nats_url)
    try:
        js = client.jetstream()
        info = await js.stream_info(topology.STREAM_NAME)
        subjects: dict[str, dict[str, int]] = defaultdict(lambda: {"messages": 0, "data_bytes": 0, "header_bytes": 0})
        for sequence in range(info.state.first_seq, info.state.last_seq + 1):
            try:
                message = await js.get_msg(topology.STREAM_NAME, sequence)
            except NotFoundError:
                continue
            entry = subjects[message.subject]
            entry["messages"] += 1
            entry["data_bytes"] += len(message.data or b"")
            entry["header_bytes"] += sum(len(k) + len(v) + 4 for k, v in (message.headers or {}).items())
        buckets = {}
        for bucket in BUCKETS:
            try:
                state = (await js.stream_info(f"OBJ_{bucket}")).state
            except NotFoundError:
                continue
            buckets[bucket] = {"messages": state.messages, "bytes": state.bytes}
        return {
            "stream": {"messages": info.state.messages, "bytes": info.state.bytes},
            "subjects": dict(sorted(subjects.items())),
            "object_store": buckets,
        }
    finally:
        await client.close()


def index_sizes(es: Elasticsearch, prefix: str) -> dict[str, dict[str, int]]:
    """Docs and primary store bytes per index, once refreshed and merged to one segment (the steady state)."""
    pattern = f"{prefix}-*"
    es.indices.refresh(index=pattern)
    es.indices.forcemerge(index=pattern, max_num_segments=1)
    rows = es.cat.indices(index=pattern, format="json", bytes="b")
    return {
        str(row["index"]): {"docs": int(row["docs.count"]), "primary_bytes": int(row["pri.store.size"])}
        for row in rows
    }


def per_report(figures: dict[str, Any], reports: int) -> dict[str, Any]:
    """Every byte and doc figure divided by the reports indexed (rounded to whole bytes)."""
    def divide(entry: dict[str, int]) -> dict[str, float]:
        return {key: round(value / reports, 1) for key, value in entry.items()}

    return {
        "subjects": {subject: divide(entry) for subject, entry in figures["subjects"].items()},
        "object_store": {bucket: divide(entry) for bucket, entry in figures["object_store"].items()},
        "indices": {index: divide(entry) for index, entry in figures["indices"].items()},
        "stream_bytes": round(figures["stream"]["bytes"] / reports, 1),
    }


def measure(corpus: Path | None, copies: int, settle_seconds: float) -> dict[str, Any]:
    base, logs = workspace("capacity", "capacity")
    reports = make_reports(copies * len(source_files(corpus)), "capacity", corpus)
    sent = {report.report_id for report in reports}
    try:
        with elasticsearch(base, logs) as infra, pipeline(infra, base, logs) as running:
            drop(running.settings.incoming_dir, reports, False)
            deadline = time.monotonic() + settle_seconds
            with Elasticsearch(running.es_url, request_timeout=120) as es:
                snapshot = wait_settled(es, running, sent, deadline, lambda s: settled(s, sent))
                left = asyncio.run(until_drained(running.settings.nats_servers, deadline))
                figures = asyncio.run(stream_sizes(running.settings.nats_url))
                figures["indices"] = index_sizes(es, running.settings.es_index_prefix)
        indexed = sum(complete(snapshot, report_id) for report_id in sent)
        return {
            "sources": len(reports),
            "indexed": indexed,
            "failed": len(snapshot.failed),
            "consumers_not_caught_up": left,
            "totals": figures,
            "per_report": per_report(figures, max(indexed, 1)),
        }
    finally:
        shutil.rmtree(base, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.capacity", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=None, help="the team corpus (putian/, pdf/), read only")
    parser.add_argument("--copies", type=int, default=4, help="reports made of each source file")
    parser.add_argument("--settle-seconds", type=float, default=600.0, help="longest wait for the pipeline")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.corpus, args.copies, args.settle_seconds), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
