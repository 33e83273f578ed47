"""OCR benchmark (make bench-ocr): scanned copies of text-layer PDFs against the text-layer copies.

Every PDF is read twice by the normalizer: as it is (its text layer), and as a scan made from it
(tests/support/scans.py: pages rendered to grey images, turned slightly, grain and dust, saved as images
only) read through OCR. Printed per PDF and overall: character error rate of the scan's normalized text
against the text layer's (edit distance over characters, whitespace and ` |` cell marks left out), fact
precision/recall/F1 of the scan's facts (key, applicant, value) against the text layer's, CPU seconds per
OCR'd page and the peak resident memory. Inputs: the 2021-format fixture report, always; with --corpus DIR,
every DIR/pdf/*.pdf (the team corpus, read only here). Results also go to bench/ocr.json.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from services.metric_extractor.transform import extract_metrics
from services.normalizer.ocr import OcrOptions
from services.normalizer.transform import normalize
from services.section_splitter.transform import split_sections
from shared.messages.v1 import NormalizedDocument
from tests.support.scans import report_2021_pdf, scanned_pdf

RESULTS = Path(__file__).resolve().parents[1] / "bench" / "ocr.json"
_NOT_COMPARED = re.compile(r"\s| \|")


@dataclass
class Measured:
    name: str
    pages: int
    characters: int
    cer: float
    facts_expected: int
    facts_found: int
    facts_right: int
    cpu_seconds: float
    confidence: float | None

    @property
    def precision(self) -> float:
        return self.facts_right / self.facts_found if self.facts_found else 0.0

    @property
    def recall(self) -> float:
        return self.facts_right / self.facts_expected if self.facts_expected else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, one row at a time (a report is a few thousand characters)."""
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other)))
        previous = current
    return previous[-1]


def compared_text(document: NormalizedDocument) -> str:
    return _NOT_COMPARED.sub("", document.text)


def facts(document: NormalizedDocument) -> set[tuple[str, str | None, float]]:
    return {(f.key, f.applicant, f.value) for f in extract_metrics(split_sections(document)).metrics}


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(name: str, pdf: bytes, options: OcrOptions, degrees: float, noise: float) -> Measured:
    text_layer = normalize(pdf, f"{name}.pdf")
    scan = scanned_pdf(pdf, dpi=options.dpi, degrees=degrees, noise=noise)
    started = cpu_seconds()
    recognised = normalize(scan, f"{name}.pdf", ocr=options)
    spent = cpu_seconds() - started
    reference, read = compared_text(text_layer), compared_text(recognised)
    expected, found = facts(text_layer), facts(recognised)
    return Measured(
        name=name,
        pages=len(recognised.metadata.ocr_pages),
        characters=len(reference),
        cer=edit_distance(reference, read) / max(len(reference), 1),
        facts_expected=len(expected),
        facts_found=len(found),
        facts_right=len(expected & found),
        cpu_seconds=spent,
        confidence=recognised.metadata.ocr_confidence,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench_ocr", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="team corpus folder: its pdf/*.pdf are scanned and read too")
    parser.add_argument("--dpi", type=int, default=OcrOptions().dpi, help="scan and OCR resolution (dots per inch)")
    parser.add_argument("--degrees", type=float, default=0.7, help="rotation of the scanned pages (degrees)")
    parser.add_argument("--noise", type=float, default=12.0, help="Gaussian grain of the scans (grey levels)")
    args = parser.parse_args(argv)
    inputs = [("fmt2021_rows (fixture)", report_2021_pdf())]
    if args.corpus:
        inputs += [(path.stem, path.read_bytes()) for path in sorted((args.corpus / "pdf").glob("*.pdf"))]
    options = OcrOptions(dpi=args.dpi, max_pages=1000)
    print(f"{'pdf':<24} {'pages':>5} {'CER':>6} {'facts P':>8} {'R':>6} {'F1':>6} {'CPU s/page':>11} {'conf':>6}")
    results = []
    for name, pdf in inputs:
        row = measure(name, pdf, options, args.degrees, args.noise)
        results.append(row)
        print(
            f"{row.name:<24} {row.pages:>5} {row.cer:>6.3f} {row.precision:>8.3f} {row.recall:>6.3f} {row.f1:>6.3f}"
            f" {row.cpu_seconds / max(row.pages, 1):>11.2f} {row.confidence or 0:>6.3f}",
            flush=True,
        )
    total = Measured(
        name="all",
        pages=sum(r.pages for r in results),
        characters=sum(r.characters for r in results),
        cer=sum(r.cer * r.characters for r in results) / max(sum(r.characters for r in results), 1),
        facts_expected=sum(r.facts_expected for r in results),
        facts_found=sum(r.facts_found for r in results),
        facts_right=sum(r.facts_right for r in results),
        cpu_seconds=sum(r.cpu_seconds for r in results),
        confidence=None,
    )
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{'all':<24} {total.pages:>5} {total.cer:>6.3f} {total.precision:>8.3f} {total.recall:>6.3f}"
        f" {total.f1:>6.3f} {total.cpu_seconds / max(total.pages, 1):>11.2f}   peak RSS {peak_mib:.0f} MiB"
    )
    summary = {
        "settings": {"dpi": args.dpi, "degrees": args.degrees, "noise": args.noise},
        "peak_rss_mib": round(peak_mib),
        "reports": [asdict(r) | {"precision": r.precision, "recall": r.recall, "f1": r.f1} for r in [*results, total]],
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
