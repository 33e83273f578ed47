"""normalize(): raw report bytes → NormalizedDocument. Pure: no broker, ES, tracing or clock."""

from __future__ import annotations

import re

from services.normalizer.cleanup import clean_text
from services.normalizer.formats import detect_format, extract
from services.normalizer.metadata import extract_metadata
from services.normalizer.ocr import OcrOptions
from services.normalizer.placement import place_lines
from services.normalizer.textnodes import rejoin_text_nodes
from shared.failures import PermanentError
from shared.messages.v1 import NormalizedDocument
from shared.version import EXTRACTOR_VERSION

MAX_BYTES = 50 * 1024 * 1024  # 50 MiB: the largest real reports (PDF with scans) stay far below
MAX_CHARS = 2_000_000  # extracted characters; a long report is ~100k
_REPORT_WORD = re.compile("报告|報告|年报|年報")  # a page <title> that is only the site name is not prepended
_TITLE_LINE_SLACK = 20  # a header line may carry a label or pipes around the title, not a sentence
_HEADER_LINES = 40
_HAN = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE_MARK = re.compile(r"[。，；,;！？!?]")
_SENTENCE_HAN = 8
"""A line of prose: eight or more Chinese characters and sentence punctuation. Set low on purpose: a page
wrongly refused is a report lost to search, a chrome page wrongly let in is only an empty hit."""
_NUMBER = re.compile(r"\d+")
_TABLE_NUMBERS = 12
"""More numbers than a page footer carries (phone, ICP record, site code, post code): a statistics table."""


def _check_size(content: bytes, max_bytes: int) -> None:
    if len(content) > max_bytes:
        raise PermanentError(
            f"input too large: {len(content) / 2**20:.1f} MiB exceeds the {max_bytes / 2**20:.0f} MiB limit"
        )
    if not content.strip():
        raise PermanentError("empty file (0 bytes)" if not content else "empty file: only whitespace")


def _has_report_body(text: str) -> bool:
    """Checked on web pages only: crawlers save navigation, error and login pages as .html, while a PDF or
    DOCX is an authored attachment. Any prose line or table-sized run of numbers counts as a body."""
    lines = text.splitlines()
    prose = any(_SENTENCE_MARK.search(line) and len(_HAN.findall(line)) >= _SENTENCE_HAN for line in lines)
    return prose or len(_NUMBER.findall(text)) >= _TABLE_NUMBERS


def _prints_title(raw: str, title: str) -> bool:
    """The body has the title as a header line (not merely quoted inside its first sentence)."""
    cores = (line.strip("| \t") for line in raw.split("\n", _HEADER_LINES)[:_HEADER_LINES])
    return any(
        (core.startswith(title) or core.endswith(title)) and len(core) <= len(title) + _TITLE_LINE_SLACK
        for core in cores
    )


def normalize(
    content: bytes,
    filename: str,
    *,
    max_bytes: int = MAX_BYTES,
    max_chars: int = MAX_CHARS,
    ocr: OcrOptions | None = None,
) -> NormalizedDocument:
    """Detect the format, extract text (OCR'ing scanned PDF pages when `ocr` allows), clean it and read the
    report metadata."""
    _check_size(content, max_bytes)
    extracted, source_format = extract(content, detect_format(content, filename), ocr)
    raw = extracted.text
    if len(raw) > max_chars:
        raise PermanentError(f"input too large: {len(raw):,} characters of text exceed the {max_chars:,} limit")
    title = extracted.title
    if title and _REPORT_WORD.search(title) and not _prints_title(raw, title):
        raw = f"{title}\n{raw}"  # the CMS title sits outside the content container
    cleaned = clean_text(raw)
    cleaned.text = rejoin_text_nodes(cleaned.text)
    if not cleaned.text.strip():
        raise PermanentError(f"no text content: the {source_format} file holds no readable report text")
    if source_format == "html" and not _has_report_body(cleaned.text):
        raise PermanentError(
            "not a report: the web page holds no sentence and no table, only site chrome "
            "(navigation, footer) — an index, error or login page saved instead of the report?"
        )
    context_lines = cleaned.removed
    if extracted.aside:
        aside = clean_text(extracted.aside)
        context_lines = [*context_lines, aside.text, *aside.removed]
    metadata, warnings = extract_metadata(cleaned.text, cleaned.script, "\n".join(context_lines))
    metadata.ocr_pages, metadata.ocr_confidence = list(extracted.ocr_pages), extracted.ocr_confidence
    return NormalizedDocument(
        filename=filename,
        source_format=source_format,
        text=cleaned.text,
        metadata=metadata,
        layout=place_lines(extracted.lines, cleaned.text, cleaned.script),
        warnings=[*extracted.warnings, *cleaned.warnings, *warnings],
        extractor_version=EXTRACTOR_VERSION,
    )
