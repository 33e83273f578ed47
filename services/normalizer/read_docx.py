"""DOCX → lines with python-docx: body walked in order, paragraphs and tables interleaved.

Table rows are read from the XML cells (`w:tc`) rather than python-docx's grid, which repeats a
merged cell's text in every position it spans; a vertically merged continuation is skipped, so a
rowspan label appears on its first row only, as in the HTML flattening.

Zip bombs are refused from the archive's central directory before anything is inflated. The
declared sizes can be trusted as upper bounds: Python's zipfile stops inflating an entry at its
declared size and fails its CRC check if more data follows.
"""

from __future__ import annotations

import io
import zipfile

import docx
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl, CT_Tc
from docx.oxml.text.paragraph import CT_P

from services.normalizer.rows import Extracted, render_row
from shared.failures import PermanentError

_SDT_CONTENT = qn("w:sdtContent")
_SDT = qn("w:sdt")
_T = qn("w:t")
_P = qn("w:p")
_BREAKS = {qn("w:tab"): " ", qn("w:br"): "\n", qn("w:cr"): "\n"}
# A long real report's document.xml is ~5 MiB, its images a few MiB each, stored at ratio ~1; the XML
# compresses 5-20×. Parsed by lxml, a part takes ~10× its size in memory: 64 MiB → ~640 MiB.
MAX_PART_BYTES = 64 * 2**20
MAX_UNPACKED_BYTES = 256 * 2**20  # all parts together
MAX_RATIO = 100  # declared size / compressed size, for parts above _RATIO_FLOOR
_RATIO_FLOOR = 2**20  # tiny parts (styles, settings) can compress any amount without harm


def _paragraph_text(p: CT_P) -> str:
    """Runs' text; tabs become spaces and manual line breaks new lines."""
    return "".join((el.text or "") if el.tag == _T else _BREAKS[el.tag] for el in p.iter(_T, *_BREAKS))


def _cell_text(tc: CT_Tc) -> str:
    return " ".join(_paragraph_text(p) for p in tc.iter(_P))


def _table_lines(tbl: CT_Tbl) -> list[str]:
    lines = []
    for tr in tbl.tr_lst:
        cells = [_cell_text(tc) for tc in tr.tc_lst if tc.vMerge != "continue"]
        if any(c.strip() for c in cells):
            lines.append(render_row(cells))
    return lines


def _block_lines(parent: object) -> list[str]:
    lines: list[str] = []
    for child in parent.iterchildren():  # type: ignore[attr-defined]
        if isinstance(child, CT_P):
            lines.append(_paragraph_text(child))
        elif isinstance(child, CT_Tbl):
            lines.extend(_table_lines(child))
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                lines.extend(_block_lines(content))
    return lines


def check_unpacked_size(archive: zipfile.ZipFile) -> None:
    """Refuse a zip bomb from the sizes its central directory declares, before decompressing."""
    entries = archive.infolist()
    for entry in entries:
        mib = entry.file_size / 2**20
        if entry.file_size > MAX_PART_BYTES:
            raise PermanentError(
                f"DOCX too large when unpacked: {entry.filename} declares {mib:.1f} MiB "
                f"(limit {MAX_PART_BYTES / 2**20:.0f} MiB per part)"
            )
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > _RATIO_FLOOR and ratio > MAX_RATIO:
            raise PermanentError(
                f"DOCX too large when unpacked: {entry.filename} expands {ratio:.0f}× "
                f"to {mib:.1f} MiB (limit {MAX_RATIO}×)"
            )
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNPACKED_BYTES:
        raise PermanentError(
            f"DOCX too large when unpacked: {total / 2**20:.1f} MiB in {len(entries)} parts "
            f"(limit {MAX_UNPACKED_BYTES / 2**20:.0f} MiB)"
        )


def docx_to_text(content: bytes) -> Extracted:
    """Body text of a DOCX; raises PermanentError for a damaged package or a zip bomb."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            check_unpacked_size(archive)
    except zipfile.BadZipFile as exc:
        raise PermanentError(f"DOCX cannot be read (damaged package): {exc}") from exc
    try:
        document = docx.Document(io.BytesIO(content))
    except MemoryError:
        raise  # the worker's memory limit, reported as such
    # python-docx reports malformed parts with whatever lxml/attribute error it meets; parsing bytes
    # in memory has no transient failure, so every error here is the file's
    except Exception as exc:
        raise PermanentError(f"DOCX cannot be read (damaged package): {type(exc).__name__}: {exc}") from exc
    return Extracted(text="\n".join(_block_lines(document.element.body)))
