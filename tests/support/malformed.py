"""The malformed-input cases of tests/fixtures/malformed/manifest.json, with builders for the large ones.

Large inputs are generated here, in memory, so the repository holds only small files.
"""

from __future__ import annotations

import functools
import io
import json
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

from services.normalizer.transform import MAX_BYTES, MAX_CHARS
from shared.failures import PermanentError
from shared.messages.v1 import NormalizedDocument
from tests.unit.normalizer.pdf_builder import build_pdf

MALFORMED_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "malformed"
_SENTENCE = "根据《中华人民共和国政府信息公开条例》规定,现公布某某县人民政府2021年政府信息公开工作年度报告。"


@functools.cache  # deflating 300 MiB takes ~1 s; two tests use it
def docx_bomb() -> bytes:
    """A zip of ~0.5 MiB whose word/document.xml declares 300 MiB (the issue's bomb was 315 MB in 1.5 MB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b"<w:p/>" * (2**20 // 6)
            for _ in range(300):  # streamed 1 MiB at a time: the test never holds the 300 MiB
                part.write(chunk)
    return buffer.getvalue()


def docx_entity_bomb() -> bytes:
    """A DOCX whose document.xml declares nested entities ("billion laughs"): 10^9 × "ha" if expanded."""
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    template = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    levels = "".join(f'<!ENTITY e{i + 1} "{f"&e{i};" * 10}">' for i in range(9))
    doctype = f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY e0 "ha">{levels}]>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in template.namelist():
            part = template.read(name)
            if name == "word/document.xml":
                body = part[part.index(b"<w:document") :].decode()
                part = doctype + body.replace("<w:body>", "<w:body><w:p><w:r><w:t>&e9;</w:t></w:r></w:p>", 1)
            archive.writestr(name, part)
    return out.getvalue()


def _encrypted_pdf(user_password: str) -> bytes:
    """Text behind permissions (no copy, print, edit); an empty `user_password` opens without one."""
    buffer = io.BytesIO()
    permissions = {"canPrint": 0, "canModify": 0, "canCopy": 0, "canAnnotate": 0}
    encryption = StandardEncryption(user_password, "owner-secret", strength=128, **permissions)
    page = canvas.Canvas(buffer, encrypt=encryption, invariant=1)
    for i, line in enumerate(("Annual report 2021 of the county government.", "One: overall situation.", "120 items.")):
        page.drawString(50, 700 - 20 * i, line)
    page.showPage()
    page.save()
    return buffer.getvalue()


def owner_password_pdf() -> bytes:
    return _encrypted_pdf("")


def user_password_pdf() -> bytes:
    return _encrypted_pdf("user-secret")


def huge_single_line() -> bytes:
    return (_SENTENCE * (2**20 // len(_SENTENCE.encode()))).encode()


def over_max_bytes() -> bytes:
    return b"a" * (MAX_BYTES + 1)


def over_max_chars() -> bytes:
    return ("年度报告 " * (MAX_CHARS // 5 + 1)).encode()


def pdf_flate_bomb() -> bytes:
    """A one-page PDF whose ~1 MiB Flate content stream inflates to 1 GiB of spaces.

    Built without compressing 1 GiB: a fully flushed deflate block of 1 MiB of spaces is
    self-contained, so the stream repeats it 1024 times; the Adler-32 of n equal bytes has a closed form.
    """
    size, modulus = 2**30, 65521
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate, no zlib header
    block = deflate.compress(b" " * 2**20) + deflate.flush(zlib.Z_FULL_FLUSH)
    low, high = (1 + size * 32) % modulus, (size + 32 * size * (size + 1) // 2) % modulus
    stream = b"\x78\xda" + block * (size // 2**20) + b"\x03\x00" + (high << 16 | low).to_bytes(4, "big")
    pdf = build_pdf([b"BT /F1 10 Tf 50 350 Td (x) Tj ET"])
    # Swap the last object, the page's content stream, for the compressed one: only startxref goes stale,
    # and pdfminer then finds the objects by scanning, as it does in real damaged files.
    plain = b"<< /Length 32 >>\nstream\nBT /F1 10 Tf 50 350 Td (x) Tj ET\nendstream"
    bomb = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"
    return pdf.replace(plain, bomb)


GENERATORS: dict[str, Callable[[], bytes]] = {
    f.__name__: f
    for f in (
        docx_bomb,
        docx_entity_bomb,
        owner_password_pdf,
        user_password_pdf,
        huge_single_line,
        over_max_bytes,
        over_max_chars,
        pdf_flate_bomb,
    )
}


@dataclass(frozen=True)
class Case:
    name: str
    filename: str
    source: str  # committed file name or generator name
    generated: bool
    refused: str | None = None
    accepted: dict[str, Any] = field(default_factory=dict)
    worker_only: bool = False

    def content(self) -> bytes:
        return GENERATORS[self.source]() if self.generated else (MALFORMED_DIR / self.source).read_bytes()

    def __str__(self) -> str:
        return self.name


def load_cases() -> list[Case]:
    cases = json.loads((MALFORMED_DIR / "manifest.json").read_text(encoding="utf-8"))["cases"]
    return [
        Case(
            name=c["name"],
            filename=c.get("filename") or c["file"],
            source=c.get("generate") or c["file"],
            generated="generate" in c,
            refused=c.get("refused"),
            accepted=c.get("accepted", {}),
            worker_only=c.get("worker_only", False),
        )
        for c in cases
    ]


def check_outcome(case: Case, result: NormalizedDocument | PermanentError) -> None:
    """The document normalize() returned, or the error it raised, is what the manifest expects."""
    if case.refused:
        assert isinstance(result, PermanentError), f"{case}: accepted, expected refusal ({case.refused})"
        assert case.refused in result.reason
        return
    assert isinstance(result, NormalizedDocument), f"{case}: refused with {result}"
    assert result.source_format == case.accepted["source_format"]
    for fragment in case.accepted.get("contains", []):
        assert fragment in result.text
    for warning in case.accepted.get("warnings", []):
        assert warning in result.warnings
