"""Policies between sources (docs/policies.md): blank 总计, the 历年累计 column, prose vs appendix, defects."""

from __future__ import annotations

import pytest

from services.metric_extractor import tables as table_module
from services.metric_extractor.sections import SectionLocator
from services.metric_extractor.transform import extract_metrics
from services.section_splitter.transform import split_sections
from shared.messages.v1 import NormalizedDocument, ReportMetadata, Section, SectionedDocument, Table, TableCell
from tests.unit.metric_extractor.builders import APPLICANTS, document, table_text


def test_blank_total_is_the_sum_of_the_applicant_cells_and_flagged_derived() -> None:
    row = list(zip(APPLICANTS, (2, 0, 0, 0, 0, 0, None), strict=True))
    text, table = table_text(
        "requests", {"requests.carried_forward": row}, prefix="三、收到和处理政府信息公开申请情况\n"
    )
    facts = extract_metrics(document(text, [("三、", 1, "requests")], [table])).metrics
    total = next(f for f in facts if f.key == "requests.carried_forward" and f.applicant == "total")
    assert (total.value, total.derived) == (2, True)
    assert not any(f.derived for f in facts if f.applicant != "total")


def _stats_document(prose: str, rows: list[tuple[str, str, float]], era: str = "pre2019") -> SectionedDocument:
    """Prose, then an appendix with (key, column, value) cells: 年末统计 is this year, 历年累计 cumulative."""
    text, cells = prose + "\n附表\n", []
    for key, column, value in rows:
        raw = str(value)
        cells.append(TableCell(row=key, column=column, key=key, value=value, raw=raw, start=len(text),
                               end=len(text) + len(raw)))  # fmt: skip
        text += f"{raw} |\n"
    table = Table(kind="legacy_stats", style="row_per_line", start=len(prose), end=len(text), cells=cells)
    doc = document(text, tables=[table])
    return doc.model_copy(update={"metadata": ReportMetadata(era=era)})


def test_prose_beats_a_differing_appendix_cell_in_a_pre2019_report() -> None:
    cells = [("requests.new", "年末统计", 421), ("requests.outcome.granted", "年末统计", 398)]
    doc = _stats_document("全市共受理政府信息公开申请421件,“同意公开”的为277件。", cells)
    result = extract_metrics(doc)
    granted = [f for f in result.metrics if f.key == "requests.outcome.granted"]
    assert [(f.value, f.source) for f in granted] == [(277, "text")]
    assert [f.key for f in result.metrics].count("requests.new") == 1  # agreeing sources: one fact
    failed = [c for c in result.checks if not c.passed]
    assert [(c.name, c.expected, c.actual) for c in failed] == [("prose_vs_table.requests.outcome.granted", 277, 398)]


def test_the_table_wins_in_a_template_era_report() -> None:
    doc = _stats_document("全年“同意公开”的为277件。", [("requests.outcome.granted", "总计", 398)], era="fmt2021")
    granted = [f for f in extract_metrics(doc).metrics if f.key == "requests.outcome.granted"]
    assert [(f.value, f.source) for f in granted] == [(398, "table")]


def test_cumulative_column_is_never_an_annual_fact() -> None:
    doc = _stats_document("", [("active.total", "历年累计", 7840), ("active.channel.website", "历年累计", 7651),
                               ("active.channel.website", "年末统计", 298)])  # fmt: skip
    facts = extract_metrics(doc).metrics
    assert [(f.key, f.value, f.period) for f in facts] == [("active.channel.website", 298, "annual")]


def test_a_table_that_cannot_be_read_costs_only_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    original = table_module._cell_facts

    def broken(table: Table, text: str, locate: object) -> list:
        if table.kind == "legacy_stats":
            raise ValueError("unreadable cell")
        return original(table, text, locate)

    monkeypatch.setattr(table_module, "_cell_facts", broken)
    result = extract_metrics(_stats_document("全年主动公开政府信息312条。", [("active.total", "年末统计", 312)]))
    assert [(f.key, f.source) for f in result.metrics] == [("active.total", "text")]
    assert any("legacy_stats table" in w and "unreadable cell" in w for w in result.warnings)


AMBIGUOUS = (
    "一、总体情况 (一)主动公开方面 制发行政规范性文件31件,现行有效行政规范性文件190件。"
    "二、主动公开政府信息情况 第二十条第(一)项信息内容本年制发件数本年废止件数现行有效件数"
    "规章000行政规范性文件311190第二十条第(五)项"
)


def _ambiguous_document(prose: str) -> SectionedDocument:
    """The class-13 shape: the table stage lists the candidate splits of 311190 (its warning format)."""
    text = AMBIGUOUS.replace("制发行政规范性文件31件,现行有效行政规范性文件190件。", prose)
    start = text.index("第二十条")
    candidates = "3|1|1190; 3|11|190; 3|111|90; 31|1|190; 31|11|90; 311|1|90; 311|19|0"
    warning = f"行政规范性文件: glued run 311190 is ambiguous (7 splits), left out; candidates: {candidates}"
    table = Table(kind="active_disclosure", era="fmt2021", style="glued", start=start, end=len(text),
                  warnings=[warning])  # fmt: skip
    return document(text, [("二、", 1, "active_disclosure")], [table])


def test_ambiguous_glued_run_takes_the_split_the_prose_restates() -> None:
    result = extract_metrics(_ambiguous_document("制发行政规范性文件31件,现行有效行政规范性文件190件。"))
    docs = {f.key: (f.value, f.source, f.evidence) for f in result.metrics if "normative_docs" in f.key}
    assert docs == {
        "active.normative_docs.issued": (31, "table", "311190"),
        "active.normative_docs.repealed": (1, "table", "311190"),
        "active.normative_docs.in_force": (190, "table", "311190"),
    }


@pytest.mark.parametrize(
    "prose",
    [
        "本年度政务公开工作平稳推进。",  # nothing restated: stays left out
        "制发行政规范性文件3件。",  # two splits start with 3: still ambiguous
    ],
)
def test_ambiguous_glued_run_stays_out_without_a_unique_restatement(prose: str) -> None:
    result = extract_metrics(_ambiguous_document(prose))
    assert not any(f.source == "table" and "normative_docs" in f.key for f in result.metrics)


def test_the_splitter_lists_candidates_in_the_format_read_here() -> None:
    """The contract between the stages: the class-13 run, split by the real table stage, is settled here."""
    text = AMBIGUOUS + "信息内容本年处理决定数量行政许可12 三、收到和处理政府信息公开申请情况"
    doc = NormalizedDocument(filename="t.txt", source_format="text", text=text,
                             metadata=ReportMetadata(era="fmt2021"), extractor_version="test")  # fmt: skip
    found = {f.key: f.value for f in extract_metrics(split_sections(doc)).metrics if f.source == "table"}
    assert (found["active.normative_docs.issued"], found["active.normative_docs.in_force"]) == (31, 190)


def test_already_public_answers_folded_into_the_table_granted_row_are_no_conflict() -> None:
    prose = "在500件政府信息公开申请中,已答复500件。其中,已主动公开40件;同意公开210件;同意部分公开90件。"
    doc = _stats_document(prose, [("requests.outcome.granted", "年末统计", 250)])
    result = extract_metrics(doc)
    assert [(f.key, f.value) for f in result.metrics if "granted" in f.key] == [("requests.outcome.granted", 250)]
    assert not any("already_public" in f.key for f in result.metrics)
    assert all(c.passed for c in result.checks if c.name.startswith("prose_vs_table"))


def test_ambiguous_table_four_run_settled_by_a_restated_sum() -> None:
    """Two readings of one 15-cell run; the prose states the litigation total, a sum of two blocks."""
    prose = "四、行政复议、行政诉讼情况 全年因政府信息公开被提起行政诉讼12件。"
    text = prose + "行政复议行政诉讼结果维持…总计 11100110011012101"
    first = "1|1|1|0|3|1|1|0|0|2|1|0|1|0|2"  # litigation 2 + 2
    second = "1|1|1|0|3|1|1|0|0|2|10|1|0|0|11"  # litigation 2 + 11 = 13
    third = "1|1|1|0|3|1|1|0|0|2|10|0|0|0|10"  # litigation 2 + 10 = 12
    warning = (
        "行政复议、行政诉讼: glued run 11100110011012101 is ambiguous (3 splits), left out; "
        f"candidates: {first}; {second}; {third}"
    )
    start = text.index("111")
    agreed = [  # the cells on which every candidate agrees, as the table stage emits them
        TableCell(row="行政复议、行政诉讼", column=key, key=f"{block}.{key}", value=value, raw=str(value),
                  start=start, end=start + 17)
        for block, values in (("reconsideration", (1, 1, 1, 0, 3)), ("litigation.direct", (1, 1, 0, 0, 2)))
        for key, value in zip(("upheld", "corrected", "other", "pending", "total"), values, strict=True)
    ]  # fmt: skip
    table = Table(kind="review_litigation", style="glued", start=len(prose), end=len(text), cells=agreed,
                  warnings=[warning])  # fmt: skip
    facts = {f.key: f.value for f in extract_metrics(document(text, tables=[table])).metrics if f.source == "table"}
    assert facts["litigation.after_reconsideration.total"] == 10
    assert facts["litigation.total"] == 12  # derived from the settled cells


def test_section_lookup_matches_the_nesting() -> None:
    sections = [Section(level=1, title="一", kind="overview", start=0, end=50),
                Section(level=2, title="(一)", kind="requests", start=10, end=20),
                Section(level=1, title="二", kind="active_disclosure", start=50, end=80),
                Section(level=3, title="junk", kind="other", start=70, end=70)]  # fmt: skip
    locate = SectionLocator(sections)
    assert [locate.kinds_at(i) for i in (0, 10, 19, 20, 50, 79, 80)] == [
        ("overview", "overview"), ("requests", "overview"), ("requests", "overview"), ("overview", "overview"),
        ("active_disclosure", "active_disclosure"), ("active_disclosure", "active_disclosure"), (None, None),
    ]  # fmt: skip
