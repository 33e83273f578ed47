"""Distinct real-shaped reports for the fault runs, made from the seeds and the synthetic fixtures.

Every report must have its own report_id (sha256 of the bytes), so each copy gets a unique trailer in
a form its format ignores; the team corpus is added only when a caller (the Makefile) passes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import cycle, islice
from pathlib import Path

from services.cli.stack import REPO_ROOT
from shared.ids import report_id_for

SOURCES = (REPO_ROOT / "seeds", REPO_ROOT / "tests" / "fixtures" / "reports")
CORPUS_PATTERNS = ("putian/*.html", "putian/*.txt", "pdf/*.pdf")
# A trailer each format treats as a comment; plain text gets a closing line, as crawlers leave them.
TRAILERS = {".html": "\n<!-- {} -->\n", ".htm": "\n<!-- {} -->\n", ".pdf": "\n%{}\n"}
TEXT_TRAILER = "\n（归档编号：{}）\n"
UNDECODABLE = b"\x8f\xff\xfe\x80\xc3\x28\xa0\xa1\xff\xff" * 300  # valid in no supported encoding


@dataclass(frozen=True)
class Report:
    name: str
    content: bytes

    @property
    def report_id(self) -> str:
        return report_id_for(self.content)


def source_files(corpus: Path | None = None) -> list[Path]:
    """The seeds and fixtures, plus the team corpus's pages and PDFs when given."""
    files = [p for directory in SOURCES for p in sorted(directory.iterdir()) if p.is_file()]
    if corpus is not None:
        files += [p for pattern in CORPUS_PATTERNS for p in sorted(corpus.glob(pattern))]
    return files


def make_reports(count: int, tag: str, corpus: Path | None = None) -> list[Report]:
    """`count` reports cycling through the sources, each with a unique trailer (`tag` + its number)."""
    reports = []
    for number, source in enumerate(islice(cycle(source_files(corpus)), count)):
        trailer = TRAILERS.get(source.suffix.lower(), TEXT_TRAILER).format(f"{tag}-{number:05d}")
        reports.append(Report(f"{number:05d}-{source.name}", source.read_bytes() + trailer.encode("utf-8")))
    return reports


def undecodable(count: int, tag: str) -> list[Report]:
    """Distinct files no stage can read: they must end in failed/ with their own bytes and reason."""
    return [Report(f"broken-{n:05d}.txt", UNDECODABLE + f"{tag}-{n:05d}".encode()) for n in range(count)]
