"""Progress bars of long commands (`govreports ingest DIR`, `govreports replay`).

Drawn on stderr, so stdout keeps exactly the lines scripts and tests read; by default only when stderr
is a terminal (`--progress` / `--no-progress` decide otherwise).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

Advance = Callable[[int, int], None]
"""(done, total): what the bar shows next."""


def wanted(flag: bool | None) -> bool:
    """--progress / --no-progress decide; without either, a bar only when stderr is a terminal."""
    return sys.stderr.isatty() if flag is None else flag


def _hidden(done: int, total: int) -> None:
    """No bar: nothing to draw."""


@contextmanager
def progress_bar(description: str, enabled: bool) -> Iterator[Advance]:
    """A bar on stderr while the block runs; the final state stays on screen."""
    if not enabled:
        yield _hidden
        return
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        # Lines printed meanwhile go above the bar when both streams share the terminal; otherwise stdout
        # (a file, a pipe) must receive them untouched.
        redirect_stdout=sys.stdout.isatty() and sys.stderr.isatty(),
        redirect_stderr=False,
    )
    task = bar.add_task(description, total=None)
    with bar:
        yield lambda done, total: bar.update(task, completed=done, total=total)
