"""Pure transform of the section-splitter stage: NormalizedDocument → SectionedDocument."""

from __future__ import annotations

from collections.abc import Sequence

from shared.messages.v1 import NormalizedDocument, Section, SectionedDocument, SectionKind

from .headings import Heading, find_headings
from .kinds import section_kind
from .tables import find_tables


def split_sections(doc: NormalizedDocument) -> SectionedDocument:
    """Find the official tables first, then the headings outside them, then section kinds."""
    warnings = list(doc.warnings)  # a table that could not be read costs itself, with a warning
    tables = find_tables(doc.text, doc.metadata.era, warnings)
    headings = find_headings(doc.text, [(t.start, t.end) for t in tables])
    sections = build_sections(headings, len(doc.text))
    return SectionedDocument(**{**doc.model_dump(), "warnings": warnings}, sections=sections, tables=tables)


def build_sections(headings: Sequence[Heading], text_length: int) -> list[Section]:
    """A section ends where the next heading of the same or a higher level starts."""
    sections: list[Section] = []
    parents: list[tuple[int, SectionKind]] = []  # (level, kind) of the open ancestors
    for i, heading in enumerate(headings):
        end = next((h.start for h in headings[i + 1 :] if h.level <= heading.level), text_length)
        while parents and parents[-1][0] >= heading.level:
            parents.pop()
        kind = section_kind(heading.title, parents[-1][1] if parents else None)
        parents.append((heading.level, kind))
        sections.append(
            Section(
                level=heading.level,
                number=heading.number,
                title=heading.title,
                kind=kind,
                start=heading.start,
                end=end,
            )
        )
    return sections
