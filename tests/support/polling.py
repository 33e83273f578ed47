"""Polling with a deadline instead of sleeping (house style: tests wait for a condition, never for a time)."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")
POLL_SECONDS = 0.1


async def eventually(check: Callable[[], T | Awaitable[T]], what: str, seconds: float) -> T:
    """The first truthy result of `check` (a plain or an async function), polled for at most `seconds`;
    an AssertionError naming `what` when it never comes."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while loop.time() < deadline:
        result = check()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return result
        await asyncio.sleep(POLL_SECONDS)
    raise AssertionError(f"timed out after {seconds:g} s waiting for {what}")
