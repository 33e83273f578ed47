"""Pure planning of index versions: names, the next version, alias actions, replay event ids.

Each kind (reports, sections, metrics) has concrete indices `<prefix>-<kind>-vN`, a READ alias
`<prefix>-<kind>` (search API, Kibana, tests) and a WRITE alias `<prefix>-<kind>-write` (the indexer).
`govreports reindex` and `govreports replay` create v(N+1), move the write alias there first and the
read alias last, each move being one atomic `_aliases` call, so readers never see a missing alias.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from shared.ids import event_id_for

Layout = Mapping[str, Iterable[str]]
"""Concrete index → the aliases on it (the shape of `GET <read alias>-v*/_alias`)."""

REPLAY_PRODUCER = "replay"


def versioned_index(read_alias: str, version: int) -> str:
    return f"{read_alias}-v{version}"


def version_of(index: str, read_alias: str) -> int | None:
    """N of `<read alias>-vN`, None for any other name (a wildcard also matches e.g. `-vold`)."""
    match = re.fullmatch(rf"{re.escape(read_alias)}-v(\d+)", index)
    return int(match.group(1)) if match else None


def next_index(read_alias: str, layout: Layout) -> str:
    """One past the highest existing version, so a version left by an aborted run is never reused."""
    versions = [v for index in layout if (v := version_of(index, read_alias)) is not None]
    return versioned_index(read_alias, max(versions, default=0) + 1)


def alias_target(alias: str, layout: Layout) -> str | None:
    """The one concrete index behind `alias`; more than one is a broken deployment, not a state we plan from."""
    targets = sorted(index for index, aliases in layout.items() if alias in set(aliases))
    if len(targets) > 1:
        raise ValueError(f"alias {alias} points at {len(targets)} indices ({', '.join(targets)}); expected one")
    return targets[0] if targets else None


def bootstrap(read_alias: str, write_alias: str, layout: Layout) -> tuple[str | None, list[dict[str, Any]]]:
    """What the indexer must do at start-up: (index to create with both aliases, or None; alias actions).

    A deployment from before the write alias existed gets it on the index its read alias names.
    """
    read, write = alias_target(read_alias, layout), alias_target(write_alias, layout)
    if read is None and write is None:
        return next_index(read_alias, layout), []
    if write is None:
        return None, [{"add": {"index": read, "alias": write_alias}}]
    if read is None:
        return None, [{"add": {"index": write, "alias": read_alias}}]
    return None, []


@dataclass(frozen=True)
class VersionStep:
    """Moving one kind to its next version: the read alias from `read_source`, the write alias from `write_source`."""

    read_alias: str
    write_alias: str
    read_source: str
    write_source: str
    target: str

    @property
    def settled(self) -> bool:
        """Both aliases on one index: no earlier reindex/replay was left half-way."""
        return self.read_source == self.write_source


def plan_step(read_alias: str, write_alias: str, layout: Layout) -> VersionStep:
    read, write = alias_target(read_alias, layout), alias_target(write_alias, layout)
    if read is None or write is None:
        raise ValueError(f"{read_alias} / {write_alias} do not exist yet: start the indexer first")
    return VersionStep(read_alias, write_alias, read, write, next_index(read_alias, layout))


def _move(alias: str, source: str, target: str) -> list[dict[str, Any]]:
    return [{"remove": {"index": source, "alias": alias}}, {"add": {"index": target, "alias": alias}}]


def write_moves(steps: Iterable[VersionStep]) -> list[dict[str, Any]]:
    """One `_aliases` body moving every step's write alias: new writes land in the new versions."""
    return [action for s in steps for action in _move(s.write_alias, s.write_source, s.target)]


def read_swaps(steps: Iterable[VersionStep]) -> list[dict[str, Any]]:
    """One `_aliases` body swapping every step's read alias: searches see old, then new, never neither."""
    return [action for s in steps for action in _move(s.read_alias, s.read_source, s.target)]


def replay_event_id(extractor_version: str, run_id: str, report_id: str) -> str:
    """Differs from the ingest event (and from other runs) so JetStream's 24 h dedup window keeps it;
    every later stage derives its deterministic ids from it."""
    return event_id_for(REPLAY_PRODUCER, f"{extractor_version}:{run_id}:{report_id}")
