"""Property tests: extract_metrics never raises, whatever the text, and evidence always quotes the text.

Inputs are arbitrary strings over the report vocabulary and real-shaped reports mutated the way crawlers
and converters damage them (numbers glued, separators removed, one-line bodies, chrome, full-width
digits, huge numbers, qualifiers). A fixed, derandomized example budget keeps the suite fast.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.metric_extractor.transform import extract_metrics
from shared.messages.v1 import MetricsDocument, ReportMetadata, Section, SectionedDocument, Table, TableCell

BUDGET = settings(max_examples=80, deadline=None, derandomize=True)

WORDS = ["主动公开", "政府信息", "收到", "受理", "申请", "答复", "同意公开", "部分公开", "不予公开", "行政复议",
         "行政诉讼", "申诉", "未", "没有", "无", "收取", "费用", "信息处理费", "暂不收费", "其中", "全市", "本级",
         "县直部门", "局", "累计", "历年", "截至", "全年", "2030年", "发布", "网站", "公众号", "微博", "解读",
         "培训", "新闻发布会", "类", "按类别:", "分为:", "现行有效", "规范性文件", "的", "共", "为", "以",
         "形式", "多", "余", "约", "近", "万", "条", "件", "份", "起", "次", "元", "万元", "人次", "(", ")",
         ",", "。", ";", "、", ":", "|", "\n", " ", "“", "”", "0", "1", "12", "３", "1,234", "0.5"]  # fmt: skip
KINDS = ["overview", "active_disclosure", "requests", "review_litigation", "fees_costs", "problems", "plans", "other"]

REPORT = (
    "望川县2030年政府信息公开工作年度报告\n"
    "一、总体情况\n2030年,全县共公布政府信息1375条(按类别:机构设置类40条、其他应主动公开政府信息510条)。"
    "通过县政府门户网站全年主动公开各类政府信息2210条;“望川发布”公众号全年发布信息310条。"
    "县直部门主动公开政府信息700条。现行有效行政规范性文件230件;本年度制发的规范性文件14件。\n"
    "二、依申请公开情况\n全年受理有关政府信息公开的申请共12条,其中当面申请5条、以网上提交表单形式申请7条。"
    "已答复12条,“同意公开”的为10件,不予公开的信息300条。\n"
    "三、复议诉讼情况\n本年度没有因信息公开引起的行政复议、提起行政诉讼的申请。涉及信息公开的行政复议案件2起。\n"
    "四、收费及支出\n本年度依申请提供的信息一律暂不收费。全年共计产生政府信息公开费用2万元。"
    "截至2030年底,历年累计主动公开政府信息52000条。全年累计推出解读材料35篇。\n"
)
SEPARATORS = [",", "。", ";", "、", ":", "\n", " ", "|"]
CHROME = ["当前位置:首页>政务公开>年报", "【字体:大 中 小】", "打印本页 关闭窗口", "微信 微博 QQ空间", "var x = 1;"]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _document(text: str, sections: list[Section] = (), tables: list[Table] = ()) -> SectionedDocument:
    return SectionedDocument(filename="p.txt", source_format="text", text=text, metadata=ReportMetadata(era="pre2019"),
                             extractor_version="test", sections=list(sections), tables=list(tables))  # fmt: skip


def _valid(result: MetricsDocument, text: str) -> None:
    """Evidence quotes the text, and no paragraph or table needed the last-resort skip."""
    assert not [w for w in result.warnings if "skipped" in w or "not read" in w]
    for fact in result.metrics:
        assert text[fact.start : fact.end] == fact.evidence


@st.composite
def sections(draw: st.DrawFn, length: int) -> list[Section]:
    """Nested or overlapping spans of any kind, as a splitter might produce from damaged text."""
    found = []
    for _ in range(draw(st.integers(0, 5))):
        start = draw(st.integers(0, max(length, 0)))
        end = draw(st.integers(start, max(length, start)))
        found.append(Section(level=draw(st.integers(1, 3)), title="t", kind=draw(st.sampled_from(KINDS)),
                             start=start, end=end))  # fmt: skip
    return found


@st.composite
def tables(draw: st.DrawFn, length: int) -> list[Table]:
    """Tables whose cells carry any key, applicant, column and value, spans anywhere in the text."""
    keys = st.sampled_from([None, "requests.new", "active.total", "requests.outcome.granted",
                            "reconsideration.total", "active.cumulative_total", "no.such.key"])  # fmt: skip
    applicants = st.sampled_from(["total", "natural_person", "other_org"])
    values = st.one_of(st.none(), st.integers(0, 10**15), st.floats(0, 1e9, allow_nan=False))
    found = []
    for _ in range(draw(st.integers(0, 2))):
        cells = [
            TableCell(row="r", column=draw(st.sampled_from(["总计", "年末统计", "历年累计", "自然人"])), key=draw(keys),
                      applicant=draw(applicants), value=draw(values), raw="1",
                      start=(s := draw(st.integers(0, length))), end=draw(st.integers(s, length)))
            for _ in range(draw(st.integers(0, 8)))
        ]  # fmt: skip
        start = draw(st.integers(0, length))
        runs = st.from_regex(r"\A(行政规范性文件|规章|行政复议、行政诉讼|x): glued run [0-9 ]{1,20} is ambiguous "
                             r"\([0-9]\ splits\), left out; candidates: [0-9|; ]{0,60}\Z")  # fmt: skip
        found.append(Table(kind="active_disclosure", era=draw(st.sampled_from([None, "fmt2019", "fmt2021"])),
                           style="mixed", start=start, end=draw(st.integers(start, length)), cells=cells,
                           warnings=draw(st.lists(runs, max_size=2))))  # fmt: skip
    return found


@BUDGET
@given(st.data(), st.lists(st.sampled_from(WORDS), max_size=80).map("".join))
def test_arbitrary_text_never_raises(data: st.DataObject, text: str) -> None:
    doc = _document(text, data.draw(sections(len(text))), data.draw(tables(len(text))))
    _valid(extract_metrics(doc), text)


@st.composite
def mutated_reports(draw: st.DrawFn) -> str:
    text = REPORT
    if draw(st.booleans()):  # numbers glued: the separators between two counts removed
        text = text.replace("条,", "条").replace("、", "")
    for sep in draw(st.lists(st.sampled_from(SEPARATORS), max_size=3, unique=True)):
        text = text.replace(sep, "")
    if draw(st.booleans()):  # whole body on one line
        text = text.replace("\n", " ")
    for chrome in draw(st.lists(st.sampled_from(CHROME), max_size=3)):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + chrome + text[at:]
    if draw(st.booleans()):
        text = text.translate(FULL_WIDTH)
    if draw(st.booleans()):  # huge numbers, beyond int() string limits
        text = text.replace("1375", "9" * draw(st.sampled_from([16, 40, 5000])))
    if draw(st.booleans()):
        text = text.replace("条", draw(st.sampled_from(["多条", "余条", "条左右", "万条"])))
    if draw(st.booleans()):
        text = draw(st.sampled_from(["约", "近", "超过", "逾"])).join(text.split("共"))
    return text


@BUDGET
@given(st.data(), mutated_reports())
def test_mutated_real_shaped_reports_never_raise(data: st.DataObject, text: str) -> None:
    doc = _document(text, data.draw(sections(len(text))), data.draw(tables(len(text))))
    result = extract_metrics(doc)
    _valid(result, text)
    assert all(f.value >= 0 for f in result.metrics)


def test_the_unmutated_report_reads_its_shapes() -> None:
    found = {f.key: f.value for f in extract_metrics(_document(REPORT)).metrics}
    assert found["active.channel.website"] == 2210
    assert found["requests.new"] == 12
    assert found["litigation.total"] == 0
    assert found["fees.collected"] == 0
    assert found["expenditure.total"] == 20000


@pytest.mark.parametrize(
    "text",
    [
        REPORT.replace("1375", "9" * 5000),  # beyond int()'s 4300-digit limit
        REPORT.replace("\n", ""),
        REPORT.translate(FULL_WIDTH),
        "条" * 3000 + "1" * 3000 + "件",
        # no sentence end for 40k characters: every lookback is capped, so this stays linear
        "全市主动公开政府信息1条," * 3000,
        "未发生行政复议、" * 5000,
    ],
)
def test_edge_inputs_need_no_skips(text: str) -> None:
    _valid(extract_metrics(_document(text)), text)
