"""`normalize()` in a child process under a memory limit (RLIMIT_AS) and a time limit.

A hostile file (zip or Flate bomb, a PDF that takes minutes) may exhaust only the child: the
service's event loop keeps serving heartbeats and other messages, and a breach becomes a
PermanentError naming the limit. The child is reused across reports (importing the readers costs
~1 s) and replaced after a breach, so the next report starts with a fresh heap.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import resource
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from services.normalizer.formats import parser_name
from services.normalizer.transform import normalize
from shared.failures import PermanentError, TransientError
from shared.messages.v1 import NormalizedDocument

Work = Callable[[bytes, str], NormalizedDocument]
# forkserver: never fork the service itself (its event loop and NATS threads); the server preloads
# the readers once, so a replacement child is ready in milliseconds
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["services.normalizer.transform"])
_STARTUP_SECONDS = 60.0  # a cold start imports pdfplumber, python-docx, lxml: ~1 s, more on a loaded host


@dataclass(frozen=True)
class ParseLimits:
    seconds: float
    memory_mib: int
    ocr_seconds: float = 0.0
    """Added to `seconds` for a PDF: the time its scanned pages may take to OCR."""

    def seconds_for(self, content: bytes) -> float:
        return self.seconds + (self.ocr_seconds if parser_name(content) == "PDF" else 0.0)


def _serve(conn: Connection, memory_mib: int, work: Work) -> None:
    """Child loop: (content, filename) in, ("ok", document) | (failure kind, reason) out."""
    limit = memory_mib * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    conn.send(("ready", None))  # imports are done: the time limit now measures parsing alone
    while True:
        try:
            content, filename = conn.recv()
        except EOFError:  # the service closed the pipe
            return
        try:
            reply: tuple[str, object] = ("ok", work(content, filename))
        except PermanentError as exc:
            reply = ("permanent", exc.reason)
        except MemoryError:
            reply = ("memory", "")
        except Exception as exc:  # a reader bug on this input: the file's problem as far as the pipeline goes
            reply = ("error", f"{type(exc).__name__}: {exc}")
        conn.send(reply)
        if reply[0] == "memory":
            return  # a heap that hit the limit may be fragmented or half-updated: start afresh


class ParseWorker:
    """One bounded child process; calls are serialized (the consumer takes one message at a time)."""

    def __init__(self, limits: ParseLimits, work: Work = normalize) -> None:
        self.limits = limits
        self._work = work
        self._lock = asyncio.Lock()
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None

    async def _start(self) -> tuple[BaseProcess, Connection]:
        ours, theirs = _CONTEXT.Pipe()
        process = _CONTEXT.Process(
            target=_serve, args=(theirs, self.limits.memory_mib, self._work), name="normalizer-parse", daemon=True
        )
        await asyncio.to_thread(process.start)
        theirs.close()
        self._process, self._conn = process, ours
        try:
            await asyncio.wait_for(_readable(ours), _STARTUP_SECONDS)
            await asyncio.to_thread(ours.recv)
        except (TimeoutError, EOFError) as exc:
            self.close()
            raise TransientError("the normalizer's parsing process did not start") from exc
        return process, ours

    def close(self) -> None:
        """Stop the child (also after a breach: it is killed, never trusted again)."""
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            self._process.kill()
            self._process.join()
        self._process = self._conn = None

    async def normalize(self, content: bytes, filename: str) -> NormalizedDocument:
        async with self._lock:
            kind, value = await self._call(content, filename)
            if kind == "memory":
                self.close()
        if kind == "ok" and isinstance(value, NormalizedDocument):
            return value
        parser = parser_name(content)
        if kind == "memory":
            raise PermanentError(f"{parser} parsing exceeded {self.limits.memory_mib} MiB")
        raise PermanentError(str(value) if kind == "permanent" else f"{parser} parsing failed: {value}")

    async def _call(self, content: bytes, filename: str) -> tuple[str, object]:
        """One round trip to the child; a timeout or a dead child becomes a PermanentError."""
        if self._process is not None and self._conn is not None and self._process.is_alive():
            process, conn = self._process, self._conn
        else:
            process, conn = await self._start()
        try:
            await asyncio.to_thread(conn.send, (content, filename))  # up to MAX_BYTES through the pipe
            await asyncio.wait_for(_readable(conn), self.limits.seconds_for(content))
            return await asyncio.to_thread(conn.recv)
        except asyncio.CancelledError:
            self.close()  # its answer would be read as the next report's
            raise
        except TimeoutError:
            self.close()
            seconds = self.limits.seconds_for(content)
            raise PermanentError(f"{parser_name(content)} parsing exceeded {seconds:g} s") from None
        except (EOFError, BrokenPipeError, ConnectionResetError):
            await asyncio.to_thread(process.join, 1)  # EOF: it is exiting; wait for its code off the loop
            code = process.exitcode
            self.close()
            raise PermanentError(
                f"{parser_name(content)} parsing crashed the worker process (exit code {code}); "
                f"the file is malformed or needs more than {self.limits.memory_mib} MiB"
            ) from None


async def _readable(conn: Connection) -> None:
    """Wait, without a thread, until the child answers or dies (EOF is readable too)."""
    loop = asyncio.get_running_loop()
    ready = asyncio.Event()
    loop.add_reader(conn.fileno(), ready.set)
    try:
        await ready.wait()
    finally:
        loop.remove_reader(conn.fileno())
