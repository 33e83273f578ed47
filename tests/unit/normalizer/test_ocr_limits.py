"""The parsing child's budget with OCR on: more address space, and time per page a PDF may OCR."""

from __future__ import annotations

from services.normalizer.router import parse_limits
from shared.settings import Settings

PDF = b"%PDF-1.4\n"
HTML = b"<html><body><p>report</p></body></html>"
LIMITS = {"PARSE_TIMEOUT_SECONDS": 60, "PARSE_MEMORY_MIB": 1024, "OCR_MAX_PAGES": 20, "OCR_PAGE_SECONDS": 15}


def test_with_ocr_a_pdf_gets_time_for_every_page_it_may_recognise_and_the_ocr_memory() -> None:
    limits = parse_limits(Settings(**LIMITS, OCR_ENABLED=True, OCR_MEMORY_MIB=2048))
    assert limits.memory_mib == 2048
    assert limits.seconds_for(PDF) == 60 + 20 * 15
    assert limits.seconds_for(HTML) == 60  # only a PDF can hold scanned pages


def test_a_larger_parse_memory_is_kept_and_without_ocr_the_plain_limits_apply() -> None:
    assert parse_limits(Settings(**LIMITS | {"PARSE_MEMORY_MIB": 4096}, OCR_ENABLED=True)).memory_mib == 4096
    plain = parse_limits(Settings(**LIMITS, OCR_ENABLED=False, OCR_MEMORY_MIB=2048))
    assert (plain.memory_mib, plain.seconds_for(PDF)) == (1024, 60)
