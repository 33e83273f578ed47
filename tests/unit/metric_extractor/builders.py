"""Hand-built SectionedDocuments, so the extractor is tested without the splitter's heuristics."""

from __future__ import annotations

from pathlib import Path

import opencc

from shared.messages.v1 import (
    Applicant,
    ReportMetadata,
    Section,
    SectionedDocument,
    SectionKind,
    Table,
    TableCell,
    TableKind,
)

SEEDS = Path(__file__).resolve().parents[3] / "seeds"
Heading = tuple[str, int, SectionKind]  # (heading text as printed, level, kind)

# Headings of the five seeds, in order; a heading's section ends at the next one of its level or above.
SEED_HEADINGS: dict[str, list[Heading]] = {
    "000": [("一、工作情况", 1, "overview"), ("二、主动公开情况", 1, "active_disclosure"),
            ("三、依申请公开政府信息情况", 1, "requests"), ("四、复议、诉讼和申诉情况", 1, "review_litigation"),
            ("五、要点落实情况", 1, "other"), ("六、存在的主要问题", 1, "problems"),
            ("七、下一步工作打算", 1, "plans")],
    "001": [("一、概述", 1, "overview"), ("二、政府信息公开情况", 1, "other"),
            ("(一)主动公开情况", 2, "active_disclosure"), ("(二)依申请公开情况", 2, "requests"),
            ("(三)因政府信息公开申请行政复议", 2, "review_litigation"), ("(四)人大代表建议", 2, "other"),
            ("(五)政府信息公开相关费用情况", 2, "fees_costs"), ("三、存在的主要问题", 1, "problems"),
            ("四、2019年工作思路", 1, "plans")],
    "002": [("\n报告内容\n", 1, "overview"), ("\n信息情况\n", 1, "other"),
            ("\n主动公开政府信息数量\n", 2, "active_disclosure"), ("\n主动公开形式\n", 2, "active_disclosure"),
            ("\n依申请公开政府信息情况和咨询情况\n", 2, "requests"),
            ("\n复议、诉讼和申诉情况\n", 2, "review_litigation"),
            ("\n政府信息公开支出及收费情况\n", 2, "fees_costs"), ("\n存在的主要问题和改进措施\n", 2, "problems")],
    "003": [("一、概述", 1, "overview"), ("二、主动公开政府信息情况", 1, "active_disclosure"),
            ("三、依申请公开办理及行政复议", 1, "requests"), ("四、存在问题", 1, "problems"),
            ("五、2018年工作安排", 1, "plans")],
    "004": [("一、概述", 1, "overview"), ("三、依申请公开政府信息情况", 1, "requests"),
            ("(三)依申请收费情况", 2, "fees_costs"), ("四、因政府信息公开引发的", 1, "review_litigation"),
            ("五、存在问题及工作措施", 1, "problems")],
}  # fmt: skip


def sections_for(text: str, headings: list[Heading]) -> list[Section]:
    """Locate each heading after the previous one and close it at the next heading of its level or above."""
    starts: list[tuple[int, Heading]] = []
    cursor = 0
    for heading in headings:
        at = text.index(heading[0], cursor)
        starts.append((at, heading))
        cursor = at + len(heading[0])
    sections = []
    for i, (at, (title, level, kind)) in enumerate(starts):
        end = next((s for s, h in starts[i + 1 :] if h[1] <= level), len(text))
        sections.append(Section(level=level, title=title.strip(), kind=kind, start=at, end=end))
    return sections


def document(text: str, headings: list[Heading] = (), tables: list[Table] = ()) -> SectionedDocument:
    """A SectionedDocument over `text` with the given headings and tables."""
    return SectionedDocument(filename="test.txt", source_format="text", text=text, metadata=ReportMetadata(),
                             extractor_version="test", sections=sections_for(text, list(headings)),
                             tables=list(tables))  # fmt: skip


def seed_document(number: str) -> SectionedDocument:
    """Seed `number` as the pipeline sees it (simplified script) with its headings."""
    path = next(SEEDS.glob(f"{number}_*.txt"))
    text = opencc.OpenCC("t2s").convert(path.read_text(encoding="utf-8"))
    return document(text, SEED_HEADINGS[number])


APPLICANTS: tuple[Applicant, ...] = ("natural_person", "commercial_enterprise", "research_institution",
                                     "public_welfare_org", "legal_service_org", "other_org", "total")  # fmt: skip


def table_text(
    kind: TableKind, rows: dict[str, list[tuple[Applicant, float | None]]], prefix: str = ""
) -> tuple[str, Table]:
    """Render `rows` (key → [(applicant, value)]) as `key | v | v |` lines and the matching parsed table."""
    text, cells = prefix, []
    start = len(text)
    for key, values in rows.items():
        text += f"{key} |"
        for applicant, value in values:
            raw = "" if value is None else str(value)
            text += " "
            cells.append(TableCell(row=key, column=applicant, key=key, applicant=applicant, value=value, raw=raw,
                                   start=len(text), end=len(text) + len(raw)))  # fmt: skip
            text += raw + " |"
        text += "\n"
    return text, Table(kind=kind, style="row_per_line", start=start, end=len(text), cells=cells)


def requests_rows(
    columns: dict[str, tuple[float | None, float | None]],
) -> dict[str, list[tuple[Applicant, float | None]]]:
    """Table 三 rows from (自然人, 商业企业) pairs; the other org columns are 0 and 总计 is the row sum."""
    rows: dict[str, list[tuple[Applicant, float | None]]] = {}
    for key, (person, company) in columns.items():
        total = None if person is None or company is None else person + company
        rows[key] = list(zip(APPLICANTS, (person, company, 0, 0, 0, 0, total), strict=True))
    return rows
