"""Shared helpers: build NormalizedDocuments from text the way the normalizer shapes it."""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest

from services.section_splitter.transform import split_sections
from shared.messages.v1 import NormalizedDocument, ReportMetadata, SectionedDocument

REPO = Path(__file__).resolve().parents[3]
SEEDS = REPO / "seeds"
FIXTURES = REPO / "tests" / "fixtures" / "reports"


def sectioned(text: str) -> SectionedDocument:
    """Run the pure transform on bare text."""
    doc = NormalizedDocument(
        filename="t.txt", source_format="text", text=text, metadata=ReportMetadata(), extractor_version="test"
    )
    return split_sections(doc)


@pytest.fixture(scope="session")
def t2s() -> opencc.OpenCC:
    """OpenCC traditional→simplified converter (seed 002 is traditional)."""
    return opencc.OpenCC("t2s")
