"""DOCX → lines with python-docx: body walked in order, paragraphs and tables interleaved.

Table rows are read from the XML cells (`w:tc`) rather than python-docx's grid, which repeats a
merged cell's text in every position it spans; a vertically merged continuation is skipped, so a
rowspan label appears on its first row only, as in the HTML flattening.
"""

from __future__ import annotations

import io

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


def docx_to_text(content: bytes) -> Extracted:
    """Body text of a DOCX; raises PermanentError for a damaged package."""
    try:
        document = docx.Document(io.BytesIO(content))
    # python-docx reports malformed parts with whatever lxml/attribute error it meets; parsing bytes
    # in memory has no transient failure, so every error here is the file's
    except Exception as exc:
        raise PermanentError(f"DOCX cannot be read (damaged package): {type(exc).__name__}: {exc}") from exc
    return Extracted(text="\n".join(_block_lines(document.element.body)))
