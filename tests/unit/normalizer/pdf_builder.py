"""A hand-written minimal PDF (base-14 Helvetica, ruled rectangles): no PDF library needed.

Only ASCII text: a CJK glyph needs an embedded CID font, which no installed package can write.
"""

from __future__ import annotations

Cell = tuple[float, float, float, float]


def page_stream(texts: list[tuple[float, float, str]], rects: list[Cell] = ()) -> bytes:
    """Drawing operators for one page: rectangles stroked, then text at (x, y) in points."""
    ops = [f"{x} {y} {w} {h} re S" for x, y, w, h in rects]
    ops += [f"BT /F1 10 Tf {x} {y} Td ({text}) Tj ET" for x, y, text in texts]
    return "\n".join(ops).encode("ascii")


def build_pdf(pages: list[bytes]) -> bytes:
    """Catalog, page tree, one font and a page + content stream per page, with a valid xref."""
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, stream in enumerate(pages):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 400] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def grid(x: float, top: float, widths: list[float], rows: int, height: float = 20) -> list[Cell]:
    """Ruled cells of a table whose top-left corner is (x, top)."""
    cells = []
    for r in range(rows):
        left = x
        for w in widths:
            cells.append((left, top - (r + 1) * height, w, height))
            left += w
    return cells
