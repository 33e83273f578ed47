"""Every case of tests/fixtures/malformed/ ends as its manifest says; zip bombs are refused unopened."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import docx
import pytest

from services.normalizer import read_docx
from services.normalizer.transform import normalize
from shared.failures import PermanentError
from shared.messages.v1 import NormalizedDocument
from tests.support.malformed import Case, check_outcome, docx_bomb, load_cases

CASES = load_cases()


def test_manifest_covers_the_issue_cases() -> None:
    assert len(CASES) >= 20
    assert all(bool(c.refused) != bool(c.accepted) for c in CASES)


@pytest.mark.parametrize("case", [c for c in CASES if not c.worker_only], ids=str)
def test_malformed_case_in_process(case: Case) -> None:
    content = case.content()
    try:
        result: NormalizedDocument | PermanentError = normalize(content, case.filename)
    except PermanentError as exc:
        result = exc
    check_outcome(case, result)


def test_docx_bomb_is_refused_before_decompressing() -> None:
    bomb = docx_bomb()
    assert len(bomb) < 2**20
    tracemalloc.start()
    try:
        with pytest.raises(PermanentError, match=r"DOCX too large when unpacked: word/document.xml declares 300.0 MiB"):
            normalize(bomb, "bomb.docx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 2**20  # bytes: the 300 MiB part was never inflated


def _docx_with_part(name: str, content: bytes) -> bytes:
    """A valid DOCX with one extra part (as an embedded image would be)."""
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def test_docx_part_with_a_bomb_ratio_is_refused() -> None:
    bomb = _docx_with_part("word/media/image1.png", bytes(4 * 2**20))  # 4 MiB of zeros: ratio ~1000
    with pytest.raises(PermanentError, match=r"word/media/image1.png expands \d+× to 4.0 MiB \(limit 100×\)"):
        normalize(bomb, "report.docx")


def test_docx_too_large_in_all_parts_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read_docx, "MAX_UNPACKED_BYTES", 2**20)
    with pytest.raises(PermanentError, match=r"DOCX too large when unpacked: 1.\d MiB in \d+ parts \(limit 1 MiB\)"):
        normalize(_docx_with_part("word/media/image1.bin", bytes(range(256)) * 3000), "report.docx")
