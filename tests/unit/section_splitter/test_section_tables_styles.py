"""表二/三/四 of both formats in every flattening style: keyed cells equal the printed numbers."""

from __future__ import annotations

import pytest

from services.section_splitter.tables import find_tables
from shared.messages.v1 import Table

from .builders import (
    STYLES,
    Era,
    Style,
    cell_values,
    expected_active,
    expected_requests,
    expected_review,
    render_active,
    render_requests,
    render_review,
)

ERAS: tuple[Era, ...] = ("fmt2019", "fmt2021")
PREFIX = "三、收到和处理政府信息公开申请情况\n"


def _only(text: str, kind: str) -> Table:
    tables = [t for t in find_tables(text) if t.kind == kind]
    assert len(tables) == 1, [t.kind for t in find_tables(text)]
    return tables[0]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("era", ERAS)
def test_requests_table(era: Era, style: Style) -> None:
    table = _only(PREFIX + render_requests(era, style) + "\n四、政府信息公开行政复议、行政诉讼情况", "requests")
    assert cell_values(table) == expected_requests(era)
    assert (table.era, table.style, table.warnings) == (era, style, [])


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("era", ERAS)
def test_review_table(era: Era, style: Style) -> None:
    text = render_requests(era, "row_per_line") + "\n四、政府信息公开行政复议、行政诉讼情况\n" + render_review(style)
    table = _only(text + "\n五、存在的主要问题及改进情况\n", "review_litigation")
    assert cell_values(table) == expected_review()
    assert (table.era, table.style, table.warnings) == (era, style, [])


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("era", ERAS)
def test_active_table(era: Era, style: Style) -> None:
    small = style == "glued"
    table = _only("二、主动公开政府信息情况\n" + render_active(era, style, small) + "\n三、收到", "active_disclosure")
    assert cell_values(table) == expected_active(era, small)
    assert (table.era, table.style, table.warnings) == (era, style, [])


def test_cells_carry_canonical_labels_and_token_offsets() -> None:
    text = PREFIX + render_requests("fmt2021", "row_per_line")
    table = _only(text, "requests")
    granted = [c for c in table.cells if c.key == "requests.outcome.granted"]
    assert [(c.column, c.applicant, c.value) for c in granted][:2] == [
        ("自然人", "natural_person", 12),
        ("商业企业", "commercial_enterprise", 1),
    ]
    assert all(text[c.start : c.end] == c.raw for c in table.cells)
    assert granted[0].row == "(一)予以公开"
    fee = next(c for c in table.cells if c.key == "requests.outcome.other.overdue_fee")
    assert fee.row.startswith("(六)其他处理 2.申请人逾期未按收费通知")
    assert text[table.start :].startswith("(本列数据的勾稽关系")
    assert table.end == len(text.removesuffix(" |"))


def test_review_cells_name_their_group() -> None:
    table = _only(render_review("row_per_line"), "review_litigation")
    rows = {(c.row, c.column): c.key for c in table.cells}
    assert rows[("行政复议", "结果维持")] == "reconsideration.upheld"
    assert rows[("行政诉讼 未经复议直接起诉", "总计")] == "litigation.direct.total"
    assert rows[("行政诉讼 复议后起诉", "尚未审结")] == "litigation.after_reconsideration.pending"
