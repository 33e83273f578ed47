"""Official table variants from other provinces and years (docs/tables.md), in several flattenings.

Every table is synthetic: invented places and numbers that satisfy the table identities.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from services.section_splitter.tables import find_tables
from shared.messages.v1 import Table

# ---------------------------------------------------------------- the national 2014–2018 statistics table

# (label, unit, value, catalog key); unit "" marks a chapter or sub-heading row with blank cells
NationalRow = tuple[str, str, str, str | None]
NATIONAL: tuple[NationalRow, ...] = (
    ("一、主动公开情况", "", "", None),
    ("(一)主动公开政府信息数(不同渠道和方式公开相同信息计1条)", "条", "860", "active.total"),
    ("其中:主动公开规范性文件数", "条", "12", "active.normative_docs.published"),
    ("制发规范性文件总数", "件", "10", "active.normative_docs.issued"),
    ("(二)通过不同渠道和方式公开政府信息的情况", "", "", None),
    ("1.政府公报公开政府信息数", "条", "20", "active.channel.gazette"),
    ("2.政府网站公开政府信息数", "条", "800", "active.channel.website"),
    ("3.政务微博公开政府信息数", "条", "300", "active.channel.weibo"),
    ("4.政务微信公开政府信息数", "条", "250", "active.channel.wechat"),
    ("5.其他方式公开政府信息数", "条", "40", "active.channel.other"),
    ("二、回应解读情况", "", "", None),
    ("(一)回应公众关注热点或重大舆情数(不同方式回应同一热点或舆情计1次)", "次", "15", "response.hot_topics"),
    ("(二)通过不同渠道和方式回应解读的情况", "", "", None),
    ("1.参加或举办新闻发布会总次数", "次", "6", "response.press_conferences"),
    ("其中:主要负责同志参加新闻发布会次数", "次", "2", None),
    ("2.政府网站在线访谈次数", "次", "4", None),
    ("其中:主要负责同志参加政府网站在线访谈次数", "次", "1", None),
    ("3.政策解读稿件发布数", "篇", "30", "response.interpretations"),
    ("4.微博微信回应事件数", "次", "8", None),
    ("5.其他方式回应事件数", "次", "3", None),
    ("三、依申请公开情况", "", "", None),
    ("(一)收到申请数", "件", "25", "requests.new"),
    ("1.当面申请数", "件", "5", "requests.channel.in_person"),
    ("2.传真申请数", "件", "1", "requests.channel.fax"),
    ("3.网络申请数", "件", "15", "requests.channel.online"),
    ("4.信函申请数", "件", "4", "requests.channel.mail"),
    ("(二)申请办结数", "件", "25", None),
    ("1.按时办结数", "件", "24", None),
    ("2.延期办结数", "件", "1", None),
    ("(三)申请答复数", "件", "25", "requests.outcome.total"),
    ("1.属于已主动公开范围数", "件", "3", None),
    ("2.同意公开答复数", "件", "12", "requests.outcome.granted"),
    ("3.同意部分公开答复数", "件", "2", "requests.outcome.partial"),
    ("4.不同意公开答复数", "件", "3", "requests.outcome.denied.total"),
    ("其中:涉及国家秘密", "件", "1", "requests.outcome.denied.state_secret"),
    ("涉及商业秘密", "件", "0", None),
    ("涉及个人隐私", "件", "1", None),
    ("危及国家安全、公共安全、经济安全和社会稳定", "件", "0", "requests.outcome.denied.security_stability"),
    ("不是《条例》所指政府信息", "件", "1", None),
    ("法律法规规定的其他情形", "件", "0", "requests.outcome.denied.law_prohibited"),
    ("5.不属于本行政机关公开数", "件", "2", None),
    ("6.申请信息不存在数", "件", "2", "requests.outcome.unable.not_held"),
    ("7.告知作出更改补充数", "件", "1", "requests.outcome.unable.unclear"),
    ("8.告知通过其他途径办理数", "件", "0", None),
    ("四、行政复议数量", "件", "3", "reconsideration.total"),
    ("(一)维持具体行政行为数", "件", "2", "reconsideration.upheld"),
    ("(二)被依法纠错数", "件", "1", "reconsideration.corrected"),
    ("(三)其他情形数", "件", "0", "reconsideration.other"),
    ("五、行政诉讼数量", "件", "2", "litigation.total"),
    ("(一)维持具体行政行为或者驳回原告诉讼请求数", "件", "1", "litigation.upheld"),
    ("(二)被依法纠错数", "件", "0", "litigation.corrected"),
    ("(三)其他情形数", "件", "1", "litigation.other"),
    ("六、举报投诉数量", "件", "1", "complaints.total"),
    ("(一)维持具体行政行为数", "件", "1", None),
    ("(二)被纠错数", "件", "0", None),
    ("(三)其他情形数", "件", "0", None),
    ("七、依申请公开信息收取的费用", "万元", "0", None),
    ("八、机构建设和保障经费情况", "", "", None),
    ("(一)政府信息公开工作专门机构数", "个", "1", None),
    ("(二)设置政府信息公开查阅点数", "个", "3", None),
    ("(三)从事政府信息公开工作人员数", "人", "5", None),
    ("1.专职人员数(不包括政府公报及政府网站工作人员数)", "人", "2", None),
    ("2.兼职人员数", "人", "3", None),
    ("(四)政府信息公开专项经费(不包括用于政府公报编辑管理及政府网站建设维护等方面的经费)", "万元", "8.5", None),
    ("九、政府信息公开会议和培训情况", "", "", None),
    ("(一)召开政府信息公开工作会议或专题会议数", "次", "4", "training.meetings"),
    ("(二)举办各类培训班数", "次", "3", "training.sessions"),
    ("(三)接受培训人员数", "人次", "120", "training.participants"),
)
NATIONAL_STYLES = ("row_per_line", "dash_cells", "space_separated", "cell_per_line", "markdown")


def _national_line(style: str, label: str, unit: str, value: str) -> str:
    cells = [label, unit or "—", value or "—"] if style == "dash_cells" else [label, unit, value]
    if style == "space_separated":
        return " ".join(c for c in cells if c)
    if style == "cell_per_line":
        return "\n".join(f"{c} |" if c else "|" for c in cells)
    if style == "markdown":
        return "| " + " | ".join(cells) + " |"
    return " | ".join(cells) + " |"


def render_national(style: str, rows: Sequence[NationalRow] = NATIONAL) -> str:
    """The statistics table after a report's closing line, as a county government attaches it."""
    header = _national_line(style, "统计指标", "单位", "统计数")
    if style == "markdown":
        header += "\n|---|---|---|"
    body = "\n".join(_national_line(style, label, unit, value) for label, unit, value, _ in rows)
    return f"六、其他需要报告的事项\n无。\n附件\n望川市2031年政府信息公开情况统计表\n{header}\n{body}\n"


def _stats(text: str) -> Table:
    tables = [t for t in find_tables(text) if t.kind == "legacy_stats"]
    assert len(tables) == 1, [t.kind for t in find_tables(text)]
    return tables[0]


def _number(raw: str) -> int | float:
    return float(raw) if "." in raw else int(raw)


@pytest.mark.parametrize("style", NATIONAL_STYLES)
def test_national_statistics_table_full_row_list(style: str) -> None:
    table = _stats(render_national(style))
    keyed = {c.key: c.value for c in table.cells if c.key}
    assert keyed == {key: _number(value) for _, _, value, key in NATIONAL if key}
    # rows without a catalog key are still read, so no value moves onto a neighbour
    unkeyed = [c.value for c in table.cells if c.key is None and c.value is not None]
    assert unkeyed == [_number(value) for _, _, value, key in NATIONAL if value and key is None]
    assert table.era == "pre2019" and table.warnings == []
