"""The one table-row flattening every reader uses, so one downstream table parser serves all."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Extracted:
    """A reader's output: body text, the page title if the format has one, and `aside` text
    (page chrome outside the main content) that metadata may read but the body must not carry."""

    text: str
    title: str | None = None
    aside: str = ""


def cell_text(text: str | None) -> str:
    """Cell content on one line: intra-cell breaks become spaces (`商业\\n企业` → `商业 企业`)."""
    return _WS.sub(" ", text or "").strip()


def render_row(cells: Iterable[str | None]) -> str:
    """`信息内容 | 本年制发件数 | |`: each cell closed by ` |`, an empty cell is a bare `|`."""
    return " ".join(f"{c} |" if c else "|" for c in map(cell_text, cells))
