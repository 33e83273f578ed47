"""`govreports eval`: precision/recall/F1 of the in-process chain against a gold set.

Gold files (shape in /work/shared/README.md) name their document in `seed_file`, found in `docs_dir`
or in the `seeds/` (else `reports/`) folder beside the gold folder. Gold is not exhaustive, so metric precision counts
only emitted facts whose (key, applicant) the gold file annotates; the unscoped count is reported
too. A gold metric may carry `applicant` (default `total`) and a list of accepted keys.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import opencc

METADATA_FIELDS = ("issuer", "region", "province", "admin_level", "year")
_TOLERANCE = 1e-6
_SPACES = re.compile(r"\s+")


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@dataclass
class Score:
    """Counts of one field; precision/recall/F1 follow (1.0 when there is nothing to get wrong)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Score) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class ReportScore:
    """One gold document: scores per field, misses and spurious facts, CPU time of the chain."""

    seed_file: str
    fields: dict[str, Score]
    emitted: int  # all metric facts the chain emitted, annotated key or not
    cpu_seconds: float
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)


@dataclass
class EvalReport:
    reports: list[ReportScore]

    def totals(self) -> dict[str, Score]:
        """Micro-averaged counts per field over all reports."""
        totals: dict[str, Score] = {}
        for report in self.reports:
            for name, score in report.fields.items():
                totals.setdefault(name, Score()).add(score)
        return totals

    def summary(self) -> dict[str, Any]:
        cpu = [r.cpu_seconds * 1000 for r in self.reports]
        return {
            "reports": len(self.reports),
            "fields": {name: score.as_dict() for name, score in self.totals().items()},
            "metrics_emitted_unscoped": sum(r.emitted for r in self.reports),
            "cpu_ms": {"mean": round(sum(cpu) / len(cpu), 2) if cpu else 0.0, "max": round(max(cpu, default=0.0), 2)},
        }


def _text(value: object) -> str:
    """Comparable form: simplified script, half-width punctuation (NFKC), no spaces."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", _t2s().convert(str(value))))


def _score_metadata(gold: object, found: object) -> Score:
    if gold is None:
        return Score(fp=int(found is not None))
    if found is None:
        return Score(fn=1)
    return Score(tp=1) if _text(gold) == _text(found) else Score(fp=1, fn=1)


def _score_sections(gold: list[dict[str, Any]], found: list[dict[str, Any]]) -> Score:
    want = Counter((s["level"], _text(s["title"])) for s in gold)
    got = Counter((s["level"], _text(s["title"])) for s in found)
    tp = sum((want & got).values())
    return Score(tp=tp, fp=sum(got.values()) - tp, fn=sum(want.values()) - tp)


def _gold_keys(fact: dict[str, Any]) -> list[str]:
    return fact["key"] if isinstance(fact["key"], list) else [fact["key"]]


def _same_value(gold: float, fact: dict[str, Any]) -> bool:
    return abs(fact["value"] - gold) < _TOLERANCE or abs(fact["value_base"] - gold) < _TOLERANCE


def score_metrics(gold: list[dict[str, Any]], found: list[dict[str, Any]]) -> tuple[Score, list[str], list[str]]:
    """Greedy one-to-one matching on key (any accepted) + applicant + value (or value in base unit)."""
    annotated = {(key, g.get("applicant", "total")) for g in gold for key in _gold_keys(g)}
    scoped = [f for f in found if (f["key"], f["applicant"]) in annotated]
    unmatched = list(scoped)
    missed: list[str] = []
    for g in gold:
        keys, applicant = _gold_keys(g), g.get("applicant", "total")
        match = next(
            (f for f in unmatched if f["key"] in keys and f["applicant"] == applicant and _same_value(g["value"], f)),
            None,
        )
        if match is None:
            missed.append(f"{'|'.join(keys)}[{applicant}]={g['value']}")
        else:
            unmatched.remove(match)
    score = Score(tp=len(gold) - len(missed), fp=len(unmatched), fn=len(missed))
    return score, missed, [f"{f['key']}[{f['applicant']}]={f['value']} 「{f['evidence']}」" for f in unmatched]


def _document_name(gold: dict[str, Any]) -> str:
    """The document a gold file describes: `seed_file` (seed gold) or `file` (corpus gold, relative path)."""
    return gold.get("seed_file") or gold["file"]


def _document(gold_dir: Path, docs_dir: Path | None, seed_file: str) -> Path:
    """`docs_dir/seed_file`, else the first of `seeds/` and `reports/` beside the gold folder holding it."""
    if docs_dir is not None:
        return docs_dir / seed_file
    candidates = [gold_dir.parent / folder / seed_file for folder in (".", "seeds", "reports")]
    return next((path for path in candidates if path.is_file()), candidates[0])


def evaluate_one(gold_path: Path, document: Path) -> ReportScore:
    """Run the chain on `document` and score it against the gold file."""
    from services.cli.extract import run_extraction  # the chain; scoring alone does not need it

    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    started = time.process_time()
    result = run_extraction(document)
    cpu = time.process_time() - started
    fields = {
        f"metadata.{name}": _score_metadata(gold.get("metadata", {}).get(name), result["metadata"].get(name))
        for name in METADATA_FIELDS
    }
    fields["sections"] = _score_sections(gold.get("sections", []), result["sections"])
    fields["metrics"], missed, spurious = score_metrics(gold.get("metrics", []), result["metrics"])
    return ReportScore(_document_name(gold), fields, len(result["metrics"]), cpu, missed, spurious)


def evaluate(gold_dir: Path, docs_dir: Path | None = None) -> EvalReport:
    """Score every gold file of `gold_dir` (documents in `docs_dir` or a sibling `seeds/`/`reports/`)."""
    reports = []
    for gold_path in sorted(gold_dir.glob("*.json")):
        seed_file = _document_name(json.loads(gold_path.read_text(encoding="utf-8")))
        reports.append(evaluate_one(gold_path, _document(gold_dir, docs_dir, seed_file)))
    return EvalReport(reports)


def _row(name: str, score: Score) -> str:
    rates = f"{score.precision:>6.3f} {score.recall:>6.3f} {score.f1:>6.3f}"
    return f"{name:<22} {rates} {score.tp:>5} {score.fp:>4} {score.fn:>4}"


def format_report(report: EvalReport) -> str:
    """Per-report lines, misses and spurious facts, per-field totals; the JSON summary is the last line."""
    lines = [f"{'document':<34} {'meta':>5} {'sect F1':>7} {'met P':>6} {'met R':>6} {'emitted':>7} {'cpu ms':>7}"]
    for r in report.reports:
        meta = Score()
        for name, score in r.fields.items():
            if name.startswith("metadata."):
                meta.add(score)
        lines.append(
            f"{r.seed_file:<34} {meta.tp:>2}/{meta.tp + meta.fn:<2} {r.fields['sections'].f1:>7.3f} "
            f"{r.fields['metrics'].precision:>6.3f} {r.fields['metrics'].recall:>6.3f} {r.emitted:>7} "
            f"{r.cpu_seconds * 1000:>7.1f}"
        )
        lines += [f"    missed   {m}" for m in r.missed] + [f"    spurious {s}" for s in r.spurious]
    lines += ["", f"{'field':<22} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>4} {'fn':>4}"]
    lines += [_row(name, score) for name, score in report.totals().items()]
    lines.append(json.dumps(report.summary(), ensure_ascii=False))
    return "\n".join(lines)
