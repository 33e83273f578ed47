"""Which section a text offset belongs to (the innermost heading whose span contains it)."""

from __future__ import annotations

from collections.abc import Sequence

from shared.messages.v1 import Section, SectionKind


class SectionLocator:
    """Answers `kind_at(offset)`; sections nest, so the deepest containing one wins."""

    def __init__(self, sections: Sequence[Section]) -> None:
        self._sections = sorted(sections, key=lambda s: (s.start, s.level))

    def kind_at(self, offset: int) -> SectionKind | None:
        best: Section | None = None
        for section in self._sections:
            if section.start > offset:
                break
            if offset < section.end and (best is None or section.level >= best.level):
                best = section
        return best.kind if best else None
