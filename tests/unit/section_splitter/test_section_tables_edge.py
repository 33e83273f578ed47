"""Blank templates, glued runs, captions, PDF chrome and the ad-hoc channel table."""

from __future__ import annotations

from services.section_splitter.glued import glued_splits
from services.section_splitter.tables import find_tables
from shared.messages.v1 import Table

from .builders import (
    REQUEST_HEADER,
    cell_values,
    expected_requests,
    expected_review,
    render_active,
    render_requests,
    render_review,
)


def _table(text: str, kind: str) -> Table:
    return next(t for t in find_tables(text) if t.kind == kind)


def test_blank_template_cells_are_none_not_zero() -> None:
    text = render_requests("fmt2021", "row_per_line", blank=True) + "\n" + render_review("row_per_line", blank=True)
    requests = _table(text, "requests")
    assert cell_values(requests) == expected_requests("fmt2021", blank=True)
    assert "no values: an empty template" in requests.warnings
    review = _table(text, "review_litigation")
    assert cell_values(review) == expected_review(blank=True)


def test_blank_template_without_separators_still_yields_every_row() -> None:
    text = render_requests("fmt2019", "space_separated", blank=True) + "\n本年度无其他需要报告的事项。"
    table = _table(text, "requests")
    assert len(table.cells) == 23 * 7 and all(c.value is None for c in table.cells)


def test_glued_run_with_a_unique_split() -> None:
    assert glued_splits("351200038", [(7, True)]) == [(35, 1, 2, 0, 0, 0, 38)]
    assert glued_splits("3512000038", [(7, True)]) == []  # one 0 too many for any split
    assert glued_splits("410385000521104", [(5, True)] * 3) == [(4, 1, 0, 3, 8, 5, 0, 0, 0, 5, 2, 1, 1, 0, 4)]


def test_glued_row_resolved_by_the_cross_row_identities() -> None:
    # 121000013 reads 12|1|0|0|0|0|13 or 1|2|10|0|0|0|13; only the first keeps (七)总计 = Σ outcomes
    table = _table(render_requests("fmt2021", "glued"), "requests")
    assert cell_values(table) == expected_requests("fmt2021")
    assert table.warnings == []


def test_ambiguous_glued_run_emits_no_guess() -> None:
    text = "第二十条第(一)项\n信息内容本年制发件数本年废止件数现行有效件数\n规章1012\n行政规范性文件305\n"
    table = _table(text, "active_disclosure")
    keys = {c.key for c in table.cells}
    assert "active.regulations.issued" not in keys and "active.regulations.in_force" not in keys
    assert cell_values(table)[("active.normative_docs.in_force", "total")] == 5
    assert any("规章: glued run 1012 is ambiguous" in w for w in table.warnings)


def test_ambiguous_glued_requests_row_keeps_only_agreed_cells() -> None:
    # 121000013 = 12|1|0|0|0|0|13 or 1|2|10|0|0|0|13, and no other row can tell them apart
    text = "一、本年新收政府信息公开申请数量121000013\n二、上年结转政府信息公开申请数量0000000\n"
    table = _table(text, "requests")
    new = {c.applicant: c.value for c in table.cells if c.key == "requests.new"}
    assert new == {"public_welfare_org": 0, "legal_service_org": 0, "other_org": 0, "total": 13}
    assert any("glued run 121000013 is ambiguous" in w for w in table.warnings)


def test_table_four_glued_block_identities() -> None:
    table = _table("行政复议行政诉讼\n结果维持结果纠正其他结果尚未审结总计\n410385000521104\n", "review_litigation")
    assert cell_values(table) == expected_review()
    assert table.style == "glued"


def test_captions_and_block_headers_are_not_values() -> None:
    text = (
        "## 表2:主动公开政府信息情况\n附表1\n"
        + render_active("fmt2021", "markdown")
        + "\n表3 收到和处理政府信息公开申请情况\n(单位:件)\n"
        + render_requests("fmt2021", "markdown")
    )
    active = _table(text, "active_disclosure")
    assert [c.value for c in active.cells if c.key == "active.regulations.issued"] == [1]
    assert active.warnings == []
    requests = _table(text, "requests")
    assert cell_values(requests) == expected_requests("fmt2021") and requests.warnings == []


def test_pdf_page_chrome_between_rows_is_ignored() -> None:
    lines = render_requests("fmt2021", "space_separated").split("\n")
    lines.insert(12, "- 3 -")
    table = _table("\n".join(lines), "requests")
    assert cell_values(table) == expected_requests("fmt2021")


def test_pdf_character_split_headers_and_trailing_values() -> None:
    header = "行政复议 行政诉讼\n结 结 其 尚 总\n果 果 他 未 计\n维 纠 结 审\n"
    text = header + "4 1 0 3 8 5 0 0 0 5 2 1 1 0 4\n五、存在的主要问题"
    assert cell_values(_table(text, "review_litigation")) == expected_review()


def test_identity_failures_become_warnings() -> None:
    text = render_requests("fmt2021", "row_per_line").replace(
        "| 35 | 1 | 2 | 0 | 0 | 0 | 38 |", "| 35 | 1 | 2 | 0 | 0 | 0 | 39 |"
    )
    table = _table(text, "requests")
    assert cell_values(table)[("requests.new", "total")] == 39
    assert any("cells sum to 38, total printed 39" in w for w in table.warnings)
    assert any("requests.new+requests.carried_over" in w for w in table.warnings)


def test_missing_cells_stay_empty() -> None:
    text = "第二十条第(六)项 | |||\n信息内容 |\n本年处理决定数量 | ||\n行政处罚 |\n3 | ||\n行政强制 |\n| ||\n"
    table = _table(text, "active_disclosure")
    values = cell_values(table)
    assert values[("active.penalty.decisions", "total")] == 3
    assert values[("active.coercion.decisions", "total")] is None


def test_prose_mentioning_header_words_is_not_a_table() -> None:
    text = "三、收到和处理政府信息公开申请情况\n本年新收政府信息公开申请数量为35件,比上年增加3件。\n"
    assert [t for t in find_tables(text) if t.kind == "requests"] == []


def test_channel_table_keys_columns_that_map_cleanly() -> None:
    text = (
        "公开渠道和方式 | 政府网站 | 规范性文件 | 政务微信 | 网审平台 | 重点领域 |\n"
        "数量 | 1124 | 17 | 85 | 658 | 630 |\n"
    )
    table = _table(text, "channels")
    assert [(c.column, c.key, c.value) for c in table.cells] == [
        ("政府网站", "active.channel.website", 1124),
        ("规范性文件", "active.normative_docs.published", 17),
        ("政务微信", "active.channel.wechat", 85),
        ("网审平台", None, 658),
        ("重点领域", None, 630),
    ]
    assert all(text[c.start : c.end] == c.raw for c in table.cells)


def test_header_words_alone_do_not_jump_ahead() -> None:
    header = "\n".join(" | ".join(row) for row in REQUEST_HEADER)
    assert find_tables(header + "\n") == [] or all(not t.cells for t in find_tables(header))


def test_full_width_originals_are_accepted() -> None:
    text = render_requests("fmt2021", "row_per_line")
    wide = text.replace("(", "（").replace(")", "）").replace(",", "，").replace(":", "：")
    wide = wide.replace("3.其他", "3．其他")
    table = _table(wide, "requests")
    assert cell_values(table) == expected_requests("fmt2021") and table.warnings == []


def test_whole_table_glued_on_one_line() -> None:
    text = "前文。" + render_requests("fmt2019", "glued").replace("\n", "") + "四、政府信息公开行政复议"
    table = _table(text, "requests")
    assert cell_values(table) == expected_requests("fmt2019") and table.warnings == []
