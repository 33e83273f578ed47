"""`python -m tests.watcher_latency`: drop → published latency of the bucket watcher at a fixed feed rate.

Starts a fresh nats-server and the ingest service as a process (exactly as `govreports run` does), drops
distinct report files into its incoming/ folder at `--rate` files per second and prints the percentiles of
the time from each drop to its reports.raw.v1 event. It prints figures only (speed is measured, never
asserted). INGEST_* variables in the environment reach the service, so settings can be compared.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import nats
from nats.aio.msg import Msg
from nats.js.errors import NotFoundError

from services.cli.stack import REPO_ROOT, LocalStack
from shared import topology

SEEDS = REPO_ROOT / "seeds"
READY_CONSUMER = f"{topology.INGEST}-failures"
"""Created by the ingest service once its start-up is done; the watcher starts right after."""


def report_bodies(count: int, run_id: str) -> list[bytes]:
    """Distinct real-shaped reports: the seeds in turn, each with a unique last line (a new sha256)."""
    seeds = [path.read_bytes() for path in sorted(SEEDS.iterdir()) if path.is_file()]
    return [seeds[i % len(seeds)] + f"\n{run_id}-{i}\n".encode() for i in range(count)]


def drop(incoming: Path, name: str, content: bytes, atomic: bool) -> None:
    """Write as a plain copy would (the watcher sees it grow), or under a hidden name renamed when complete."""
    if atomic:
        draft = incoming / f".{name}"
        draft.write_bytes(content)
        draft.rename(incoming / name)
    else:
        (incoming / name).write_bytes(content)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def wait_for_ingest(nats_url: str, timeout: float = 120.0) -> None:
    client = await nats.connect(nats_url)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                await client.jetstream().consumer_info(topology.STREAM_NAME, READY_CONSUMER)
                return
            except NotFoundError:
                await asyncio.sleep(0.2)
        raise TimeoutError(f"the ingest service did not start within {timeout:.0f} s")
    finally:
        await client.close()


async def measure(nats_url: str, incoming: Path, rate: float, seconds: float, atomic: bool) -> list[float]:
    """Latencies (s) of every file dropped at `rate` per second for `seconds`; a missing event is reported."""
    run_id = uuid.uuid4().hex[:8]
    bodies = report_bodies(round(rate * seconds), run_id)
    dropped: dict[str, float] = {}
    published: dict[str, float] = {}
    everything = asyncio.Event()

    async def on_raw(msg: Msg) -> None:
        name = json.loads(msg.data).get("filename")
        if name in dropped and name not in published:
            published[name] = time.monotonic()
            if len(published) == len(bodies):
                everything.set()

    client = await nats.connect(nats_url)
    try:
        await client.subscribe(topology.RAW, cb=on_raw)
        start = time.monotonic()
        for index, body in enumerate(bodies):
            await asyncio.sleep(max(0.0, start + index / rate - time.monotonic()))
            name = f"{run_id}-{index:05d}.txt"
            dropped[name] = time.monotonic()
            await asyncio.to_thread(drop, incoming, name, body, atomic)
        try:
            await asyncio.wait_for(everything.wait(), timeout=60)
        except TimeoutError:
            print(f"only {len(published)} of {len(bodies)} files were published within 60 s")
    finally:
        await client.close()
    return [published[name] - dropped[name] for name in published]


def report(latencies: list[float], rate: float, atomic: bool) -> str:
    writes = "written under a hidden name, then renamed" if atomic else "written in place"
    if not latencies:
        return f"{rate:g} files/s ({writes}): nothing published"
    figures = {
        "p50": statistics.median(latencies),
        "p90": percentile(latencies, 0.90),
        "p99": percentile(latencies, 0.99),
        "max": max(latencies),
    }
    shown = "  ".join(f"{label} {value * 1000:6.0f} ms" for label, value in figures.items())
    return f"{rate:g} files/s, {len(latencies)} files ({writes}): drop → published  {shown}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.watcher_latency", description=__doc__)
    parser.add_argument("--rate", type=float, default=20.0, help="files dropped per second")
    parser.add_argument("--seconds", type=float, default=15.0, help="how long files are dropped")
    parser.add_argument("--atomic", action="store_true", help="drop by rename instead of writing in place")
    args = parser.parse_args(argv)
    settings_shown = {k: v for k, v in sorted(os.environ.items()) if k.startswith("INGEST_")}
    with tempfile.TemporaryDirectory(prefix="watcher-latency-") as base:
        stack = LocalStack(data_dir=Path(base) / "data", log_dir=Path(base) / "logs")
        incoming = Path(base) / "bucket" / "incoming"
        incoming.mkdir(parents=True)
        try:
            nats_url = stack.start_nats()
            stack.env["BUCKET_DIR"] = str(Path(base) / "bucket")
            stack.start_services([topology.INGEST])
            asyncio.run(wait_for_ingest(nats_url))
            latencies = asyncio.run(measure(nats_url, incoming, args.rate, args.seconds, args.atomic))
        finally:
            stack.stop()
    print(f"settings from the environment: {settings_shown or 'defaults'}")
    print(report(latencies, args.rate, args.atomic))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
