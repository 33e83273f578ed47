"""Figures e and f over time: every durable consumer's backlog, the files waiting in incoming/, and the CPU
and memory of each process, sampled every half second for the whole run.

The consumers are read from JetStream each time, never listed here: a stage that changes its durables
(the indexer becoming one batch consumer) is followed without a change to the bench.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path

from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from services.ingest import folders
from shared import topology
from tests.bench.figures import ConsumerState, Sample
from tests.bench.procfs import Usage, usage_by_name

SAMPLE_SECONDS = 0.5


class Sampler:
    def __init__(self, js: JetStreamContext, incoming: Path, processes: dict[str, int], started: float) -> None:
        self.js = js
        self.incoming = incoming
        self.processes = processes  # name → pid of the root of its process tree
        self.started = started  # wall clock of the bench's time 0
        self.samples: list[Sample] = []
        self.peak_rss: dict[str, int] = dict.fromkeys(processes, 0)

    async def run(self) -> None:
        """Until cancelled. A JetStream request that times out (a busy server) costs that sample only."""
        while True:
            with contextlib.suppress(TimeoutError, NatsTimeout):  # nats-py raises either, by version
                self.samples.append(await self.sample())
            self.usage()
            await asyncio.sleep(SAMPLE_SECONDS)

    async def sample(self) -> Sample:
        try:
            infos = await self.js.consumers_info(topology.STREAM_NAME)
        except NotFoundError:  # no service has declared the stream yet
            infos = []
        consumers = {
            info.name: ConsumerState(
                pending=info.num_pending or 0,
                in_flight=info.num_ack_pending or 0,
                done=(info.delivered.consumer_seq or 0) - (info.num_ack_pending or 0) if info.delivered else 0,
            )
            for info in infos
            if info.config.durable_name  # the stages; an ephemeral lookup (dlq list, ingest) is no stage
        }
        incoming = len(await asyncio.to_thread(folders.scan, self.incoming)) if self.incoming.is_dir() else 0
        return Sample(round(time.time() - self.started, 2), consumers, incoming)

    def usage(self) -> dict[str, Usage]:
        """CPU and RSS of every process tree now; keeps each tree's peak RSS."""
        now = usage_by_name(self.processes)
        for name, usage in now.items():
            self.peak_rss[name] = max(self.peak_rss[name], usage.rss_bytes)
        return now
