"""Format detection (magic bytes first, file extension second) and dispatch to the readers."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

from services.normalizer.charset import decode_text, sniff_bom, sniff_utf16
from services.normalizer.ocr import OcrOptions
from services.normalizer.read_docx import docx_to_text
from services.normalizer.read_html import html_to_text
from services.normalizer.read_pdf import pdf_to_text
from services.normalizer.rows import Extracted
from shared.failures import PermanentError
from shared.messages.v1 import SourceFormat

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF87a", "GIF"), (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"), (b"BM", "BMP"),
)  # fmt: skip
_ARCHIVES = ((b"\x1f\x8b", "gzip"), (b"Rar!", "RAR"), (b"7z\xbc\xaf\x27\x1c", "7-Zip"))
_ZIP_KINDS = (("xl/", "XLSX spreadsheet"), ("ppt/", "PPTX presentation"), ("content.xml", "OpenDocument"))
_HTML_SNIFF = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|div|p|table|title|span|br)\b", re.IGNORECASE)
# Content tags anywhere in a file: a report's markup may sit after kilobytes of JS data
_CONTENT_TAG = re.compile(r"<(?:p|td|tr|div)\b", re.IGNORECASE)
_MIN_CONTENT_TAGS = 3
_LONG_LITERAL = 200  # characters: a string literal this long with a content tag in it is a document
# A JS string literal in assignment/argument position (docs/flattening.md, HTML inside JavaScript)
_JS_STRING = re.compile(r"""(?<=[=:(+,])\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\.)*)`)""")
_JS_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.DOTALL)
_JS_CHARS = {"n": "\n", "t": "\t", "r": "\n", "b": "", "f": "", "v": ""}
_HTML_EXTENSIONS = {".htm", ".html", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php"}
_BINARY_CONTROLS = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def _unsupported(kind: str, advice: str) -> PermanentError:
    return PermanentError(f"unsupported format: {kind}; {advice}")


def _zip_format(content: bytes) -> SourceFormat:
    try:
        names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    except zipfile.BadZipFile as exc:
        raise PermanentError("damaged ZIP/DOCX archive: cannot list its contents") from exc
    if "word/document.xml" in names:
        return "docx"
    kind = next((k for prefix, k in _ZIP_KINDS if any(n.startswith(prefix) for n in names)), "ZIP archive")
    raise _unsupported(f"{kind} (not a DOCX report)", "expected HTML, text, PDF or DOCX")


def sniff_binary(content: bytes, ext: str) -> SourceFormat | None:
    """Formats known by their magic bytes; raises for known-but-unsupported ones."""
    head = content[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(_ZIP):
        return _zip_format(content)
    if head.startswith(_OLE2):
        raise _unsupported(
            f"legacy Microsoft Office binary file{f' ({ext})' if ext else ''} (.doc/.xls/.ppt, OLE2)",
            "save it as DOCX or PDF",
        )
    if head.startswith(b"{\\rtf"):
        raise _unsupported("RTF document", "save it as DOCX or PDF")
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        raise _unsupported("WEBP image", "an image of a report needs OCR")
    for magic, kind in _IMAGES:
        if head.startswith(magic):
            raise _unsupported(f"{kind} image", "an image of a report needs OCR")
    for magic, kind in _ARCHIVES:
        if head.startswith(magic):
            raise _unsupported(f"{kind} archive", "unpack it and submit the report file")
    return None


def parser_name(content: bytes) -> str:
    """The parser `content` will meet, from magic bytes alone: names a limit breach without parsing anything."""
    head = content[:1024]
    return "PDF" if b"%PDF-" in head else "DOCX" if head.startswith(_ZIP) else "text/HTML"


def detect_format(content: bytes, filename: str) -> SourceFormat:
    """html, text, pdf or docx; PermanentError for anything else."""
    ext = PurePath(filename).suffix.lower()
    known = sniff_binary(content, ext)
    if known:
        return known
    if ext == ".pdf":
        raise PermanentError("file is named .pdf but is not a PDF (no %PDF- header)")
    text_like = sniff_bom(content) or sniff_utf16(content)
    if not text_like and len(_BINARY_CONTROLS.findall(content[:8192])) > 2:
        raise _unsupported("binary data (control/NUL bytes) that is none of HTML, text, PDF or DOCX", "check the file")
    return "html" if ext in _HTML_EXTENSIONS else "text"


def _unescape_js(literal: str) -> str:
    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        if len(code) > 1:
            return chr(int(code[1:], 16))
        return _JS_CHARS.get(code, code)

    return _JS_ESCAPE.sub(one, literal)


def js_markup(text: str) -> str | None:
    """The HTML held in JS string literals, when it outweighs the markup outside them."""
    literals, outside, last, inside_tags = [], [], 0, 0
    for m in _JS_STRING.finditer(text):
        body = next(g for g in m.groups() if g is not None)
        if "<" not in body and "\\u003c" not in body.lower():  # JSON may escape `<` as \u003c
            continue
        markup = _unescape_js(body)
        tags = len(_CONTENT_TAG.findall(markup))
        if tags >= _MIN_CONTENT_TAGS or (tags and len(markup) >= _LONG_LITERAL):
            literals.append(markup)
            outside.append(text[last : m.start()])
            last, inside_tags = m.end(), inside_tags + tags
    outside_tags = len(_CONTENT_TAG.findall("".join(outside) + text[last:]))
    return "\n".join(literals) if inside_tags > outside_tags else None


def extract(content: bytes, fmt: SourceFormat, ocr: OcrOptions | None = None) -> tuple[Extracted, SourceFormat]:
    """Run the reader for `fmt` (`ocr`: whether and how scanned PDF pages are recognised); text that turns out
    to be markup is read as HTML."""
    if fmt == "pdf":
        return pdf_to_text(content, ocr), fmt
    if fmt == "docx":
        return docx_to_text(content), fmt
    text, _ = decode_text(content, html=True)
    if markup := js_markup(text):
        return html_to_text(markup), "html"
    if fmt == "html" or _HTML_SNIFF.search(text[:4096]) or len(_CONTENT_TAG.findall(text)) >= _MIN_CONTENT_TAGS:
        return html_to_text(text), "html"
    return Extracted(text=text), "text"
