"""`govreports eval`: precision/recall/F1 of the in-process chain against a gold set.

Gold files (shape in docs/evaluation.md) name their document in `seed_file` (found in `docs_dir`, or in
the `seeds/` (else `reports/`) folder beside the gold folder) or in `file` (a path relative to the gold folder's
parent, as in the team corpus). Gold is not exhaustive, so the headline metric precision counts only emitted facts
whose (key, applicant) the document's gold annotates. The unscoped precision is the honest one: every emitted fact
of a (key, applicant) that the gold set annotates anywhere is judged, so a fact a document does not state counts
against the extractor. A gold metric may carry `applicant` (default `total`) and a list of accepted keys.
A document that crashes the chain scores as nothing found; the crash is counted, and the run goes on.
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
    era: str = "unknown"  # as detected by the chain
    source_format: str = "unknown"  # html, pdf, text, docx …
    crash: str | None = None  # the exception that stopped the chain on this document
    unscoped: Score = field(default_factory=Score)
    miss_classes: Counter[str] = field(default_factory=Counter)


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

    def metrics_by(self, attribute: str) -> dict[str, Score]:
        """Metric counts grouped by a report attribute (`era`, `source_format`)."""
        groups: dict[str, Score] = {}
        for report in self.reports:
            groups.setdefault(getattr(report, attribute), Score()).add(report.fields["metrics"])
        return dict(sorted(groups.items()))

    def unscoped(self) -> Score:
        total = Score()
        for report in self.reports:
            total.add(report.unscoped)
        return total

    def miss_classes(self) -> Counter[str]:
        return sum((r.miss_classes for r in self.reports), Counter())

    def summary(self) -> dict[str, Any]:
        cpu = [r.cpu_seconds * 1000 for r in self.reports]
        return {
            "reports": len(self.reports),
            "crashes": sum(1 for r in self.reports if r.crash),
            "fields": {name: score.as_dict() for name, score in self.totals().items()},
            "metrics_unscoped": self.unscoped().as_dict(),
            "metrics_by_era": {name: score.as_dict() for name, score in self.metrics_by("era").items()},
            "metrics_by_format": {name: score.as_dict() for name, score in self.metrics_by("source_format").items()},
            "miss_classes": dict(self.miss_classes().most_common()),
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


Annotated = set[tuple[str, str]]


def annotated_pairs(gold: list[dict[str, Any]]) -> Annotated:
    """The (key, applicant) pairs a list of gold facts covers."""
    return {(key, g.get("applicant", "total")) for g in gold for key in _gold_keys(g)}


Facts = list[dict[str, Any]]


def _match(gold: Facts, judged: Facts) -> tuple[Facts, Facts]:
    """Greedy one-to-one matching on key (any accepted) + applicant + value; returns (missed gold, unmatched)."""
    unmatched = list(judged)
    missed: list[dict[str, Any]] = []
    for g in gold:
        keys, applicant = _gold_keys(g), g.get("applicant", "total")
        match = next(
            (f for f in unmatched if f["key"] in keys and f["applicant"] == applicant and _same_value(g["value"], f)),
            None,
        )
        if match is None:
            missed.append(g)
        else:
            unmatched.remove(match)
    return missed, unmatched


def _describe_gold(g: dict[str, Any]) -> str:
    return f"{'|'.join(_gold_keys(g))}[{g.get('applicant', 'total')}]={g['value']}"


def _describe_fact(f: dict[str, Any]) -> str:
    return f"{f['key']}[{f['applicant']}]={f['value']} 「{f['evidence']}」"


def score_metrics(gold: list[dict[str, Any]], found: list[dict[str, Any]]) -> tuple[Score, list[str], list[str]]:
    """Scoped score: only facts whose (key, applicant) this document's gold annotates are judged."""
    annotated = annotated_pairs(gold)
    missed, unmatched = _match(gold, [f for f in found if (f["key"], f["applicant"]) in annotated])
    score = Score(tp=len(gold) - len(missed), fp=len(unmatched), fn=len(missed))
    return score, [_describe_gold(g) for g in missed], [_describe_fact(f) for f in unmatched]


def score_unscoped(gold: list[dict[str, Any]], found: list[dict[str, Any]], covered: Annotated) -> Score:
    """Unscoped score: every fact of a (key, applicant) the whole gold set covers is judged."""
    missed, unmatched = _match(gold, [f for f in found if (f["key"], f["applicant"]) in covered])
    return Score(tp=len(gold) - len(missed), fp=len(unmatched), fn=len(missed))


_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_TABLE_ROW = re.compile(r"\d[\s|]+\d")  # cells side by side: a table row, not a sentence


def classify_misses(gold: list[dict[str, Any]], found: list[dict[str, Any]]) -> Counter[str]:
    """Why each gold fact was missed: a wrong value, the value under another key, or nothing (table or prose)."""
    missed, _ = _match(gold, found)
    classes: Counter[str] = Counter()
    for g in missed:
        keys, applicant = _gold_keys(g), g.get("applicant", "total")
        evidence = _text(g.get("evidence", ""))
        if any(f["key"] in keys and f["applicant"] == applicant for f in found):
            classes["wrong value"] += 1
        elif g["value"] and any(_same_value(g["value"], f) and _text(f["evidence"]) in evidence for f in found):
            classes["other key"] += 1
        else:
            printed = str(g.get("evidence", ""))
            where = "table" if _TABLE_ROW.search(printed) or len(_NUMBER.findall(printed)) >= 3 else "prose"
            classes[f"not found ({where})"] += 1
    return classes


def _document_name(gold: dict[str, Any]) -> str:
    """The document a gold file describes: `seed_file` (seed gold) or `file` (corpus gold, relative path)."""
    return gold.get("seed_file") or gold["file"]


def _document(gold_dir: Path, docs_dir: Path | None, seed_file: str, rendering: str | None = None) -> Path:
    """`docs_dir/seed_file`, else the first of `.`, `seeds/` and `reports/` beside the gold folder holding it.

    `rendering` (a suffix such as `txt`) picks another rendering of the same document: the crawler text of a
    page whose gold was made on its HTML.
    """
    name = str(Path(seed_file).with_suffix(f".{rendering}")) if rendering else seed_file
    if docs_dir is not None:
        return docs_dir / name
    candidates = [gold_dir.parent / folder / name for folder in (".", "seeds", "reports")]
    return next((path for path in candidates if path.is_file()), candidates[0])


_NOTHING: dict[str, Any] = {"metadata": {}, "sections": [], "metrics": []}


def evaluate_one(gold_path: Path, document: Path, covered: Annotated | None = None) -> ReportScore:
    """Run the chain on `document` and score it against the gold file (`covered`: the gold set's pairs)."""
    from services.cli.extract import run_extraction  # the chain; scoring alone does not need it

    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    gold_metrics = gold.get("metrics", [])
    crash = None
    started = time.process_time()
    try:
        result = run_extraction(document)
    except Exception as exc:  # a crash is a measured outcome here, not a reason to stop measuring
        crash, result = f"{type(exc).__name__}: {exc}", _NOTHING
    cpu = time.process_time() - started
    fields = {
        f"metadata.{name}": _score_metadata(gold.get("metadata", {}).get(name), result["metadata"].get(name))
        for name in METADATA_FIELDS
    }
    fields["sections"] = _score_sections(gold.get("sections", []), result["sections"])
    # gold annotates the covered year only; a fact labelled cumulative is not a claim about that year
    found = [f for f in result["metrics"] if f.get("period", "annual") != "cumulative"]
    fields["metrics"], missed, spurious = score_metrics(gold_metrics, found)
    return ReportScore(
        str(Path(_document_name(gold)).with_suffix(document.suffix)),
        fields,
        len(result["metrics"]),
        cpu,
        missed,
        spurious,
        era=result["metadata"].get("era") or "unknown",
        source_format=result.get("source_format") or document.suffix.lstrip(".") or "unknown",
        crash=crash,
        unscoped=score_unscoped(gold_metrics, found, covered or annotated_pairs(gold_metrics)),
        miss_classes=Counter({"crash": len(gold_metrics)}) if crash else classify_misses(gold_metrics, found),
    )


def evaluate(gold_dir: Path, docs_dir: Path | None = None, rendering: str | None = None) -> EvalReport:
    """Score every gold file of `gold_dir` (documents in `docs_dir` or a sibling `seeds/`/`reports/`).

    With `rendering`, only documents that exist in that rendering are scored (see `_document`).
    """
    golds = {path: json.loads(path.read_text(encoding="utf-8")) for path in sorted(gold_dir.glob("*.json"))}
    covered = set().union(*(annotated_pairs(g.get("metrics", [])) for g in golds.values()))
    documents = {path: _document(gold_dir, docs_dir, _document_name(gold), rendering) for path, gold in golds.items()}
    return EvalReport(
        [evaluate_one(path, document, covered) for path, document in documents.items() if document.is_file()]
    )


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
        if r.crash:
            lines.append(f"    CRASH    {r.crash}")
        lines += [f"    missed   {m}" for m in r.missed] + [f"    spurious {s}" for s in r.spurious]
    header = f"{'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>4} {'fn':>4}"
    lines += ["", f"{'field':<22} {header}"]
    lines += [_row(name, score) for name, score in report.totals().items()]
    lines.append(_row("metrics (unscoped)", report.unscoped()))
    for attribute, title in (("era", "era"), ("source_format", "format")):
        lines += ["", f"{'metrics by ' + title:<22} {header}"]
        lines += [_row(name, score) for name, score in report.metrics_by(attribute).items()]
    classes = ", ".join(f"{n} {c}" for c, n in report.miss_classes().most_common()) or "none"
    lines += ["", f"missed facts by class: {classes}"]
    crashes = [r.seed_file for r in report.reports if r.crash]
    lines.append(f"crashes: {len(crashes)}" + (f" ({', '.join(crashes)})" if crashes else ""))
    lines.append(json.dumps(report.summary(), ensure_ascii=False))
    return "\n".join(lines)
