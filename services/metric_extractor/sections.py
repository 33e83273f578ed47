"""Which section a text offset belongs to: the innermost heading containing it, and its chapter."""

from __future__ import annotations

from collections.abc import Sequence

from shared.messages.v1 import Section, SectionKind


class SectionLocator:
    """Sections nest: `kind_at` is the deepest containing section, `kinds_at` adds the outermost."""

    def __init__(self, sections: Sequence[Section]) -> None:
        self._sections = sorted(sections, key=lambda s: (s.start, s.level))

    def _containing(self, offset: int) -> list[Section]:
        return [s for s in self._sections if s.start <= offset < s.end]

    def kind_at(self, offset: int) -> SectionKind | None:
        found = self._containing(offset)
        return max(found, key=lambda s: (s.level, s.start)).kind if found else None

    def kinds_at(self, offset: int) -> tuple[SectionKind | None, SectionKind | None]:
        """(innermost kind, chapter kind): the chapter is the outermost section containing the offset."""
        found = self._containing(offset)
        if not found:
            return None, None
        return self.kind_at(offset), min(found, key=lambda s: (s.level, s.start)).kind
