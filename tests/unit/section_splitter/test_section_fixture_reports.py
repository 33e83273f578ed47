"""The synthetic complete reports in tests/fixtures/reports: six sections, three tables each."""

from __future__ import annotations

import pytest

from .builders import Era, Style, cell_values, expected_active, expected_requests, expected_review
from .conftest import FIXTURES, sectioned

REPORTS: dict[str, tuple[Era, Style]] = {
    "fmt2021_rows.txt": ("fmt2021", "row_per_line"),
    "fmt2019_cells.txt": ("fmt2019", "cell_per_line"),
    "fmt2021_pdf.txt": ("fmt2021", "space_separated"),
    "fmt2021_glued.txt": ("fmt2021", "glued"),
    "fmt2021_markdown.txt": ("fmt2021", "markdown"),
    "fmt2019_docx.txt": ("fmt2019", "docx"),
}
KINDS = ["overview", "active_disclosure", "requests", "review_litigation", "problems", "other"]
OVERVIEW_CHILDREN = ["主动公开", "依申请公开", "政府信息管理", "政府信息公开平台建设", "监督保障"]


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_fixture_report_sections(name: str) -> None:
    doc = sectioned((FIXTURES / name).read_text(encoding="utf-8"))
    top = [s for s in doc.sections if s.level == 1]
    assert [s.kind for s in top] == KINDS
    assert [s.number for s in top] == ["一", "二", "三", "四", "五", "六"]
    children = [s for s in doc.sections if s.level == 2]
    assert [s.title for s in children] == OVERVIEW_CHILDREN
    assert [s.kind for s in children] == ["active_disclosure", "requests", "overview", "overview", "overview"]


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_fixture_report_tables(name: str) -> None:
    era, style = REPORTS[name]
    doc = sectioned((FIXTURES / name).read_text(encoding="utf-8"))
    tables = {t.kind: t for t in doc.tables}
    assert set(tables) == {"active_disclosure", "requests", "review_litigation"}
    assert cell_values(tables["active_disclosure"]) == expected_active(era, small=style == "glued")
    assert cell_values(tables["requests"]) == expected_requests(era)
    assert cell_values(tables["review_litigation"]) == expected_review()
    for table in doc.tables:
        assert (table.era, table.style, table.warnings) == (era, style, [])
    sections = {s.kind: s for s in doc.sections if s.level == 1}
    for table in doc.tables:
        section = sections[table.kind]
        assert section.start < table.start < table.end <= section.end
