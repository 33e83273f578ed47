"""Which section a text offset belongs to: the innermost heading containing it, and its chapter."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence

from shared.messages.v1 import Section, SectionKind

Kinds = tuple[SectionKind | None, SectionKind | None]


class SectionLocator:
    """Sections nest: `kind_at` is the deepest containing section, `kinds_at` adds the outermost.

    A sweep cuts the text into segments at every section start and end, each with its answer
    precomputed, so a lookup is one bisection: the prose pass asks once per number, and a damaged
    document may carry thousands of junk sections.
    """

    def __init__(self, sections: Sequence[Section]) -> None:
        starting: dict[int, list[int]] = defaultdict(list)
        ending: dict[int, list[int]] = defaultdict(list)
        for i, section in enumerate(sections):
            if section.start < section.end:
                starting[section.start].append(i)
                ending[section.end].append(i)
        self._bounds = sorted(starting.keys() | ending.keys())
        self._kinds: list[Kinds] = []
        active: dict[int, Section] = {}
        for bound in self._bounds:
            for i in ending[bound]:
                active.pop(i, None)
            for i in starting[bound]:
                active[i] = sections[i]
            if active:
                inner = max(active.values(), key=lambda s: (s.level, s.start))
                outer = min(active.values(), key=lambda s: (s.level, s.start))
                self._kinds.append((inner.kind, outer.kind))
            else:
                self._kinds.append((None, None))

    def kinds_at(self, offset: int) -> Kinds:
        """(innermost kind, chapter kind): the chapter is the outermost section containing the offset."""
        i = bisect.bisect_right(self._bounds, offset) - 1
        return self._kinds[i] if i >= 0 else (None, None)

    def kind_at(self, offset: int) -> SectionKind | None:
        return self.kinds_at(offset)[0]
