"""Properties of `normalize` on anything a user may drop on it (hypothesis, fixed example budget).

1. Arbitrary bytes and text: a NormalizedDocument or the declared PermanentError, nothing else.
2. A real-shaped report, mutated the way pages and crawlers mangle reports (chrome lines, stray
   whitespace, the whole body on one line, a breadcrumb prefix, HTML inside a JS string, a CMS page):
   every heading line and every sentence carrying report text survives normalization.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.normalizer.transform import normalize
from shared.failures import PermanentError

_BUDGET = {"deadline": None, "derandomize": True, "suppress_health_check": [HealthCheck.too_slow]}

TITLE = "望川县2030年政府信息公开工作年度报告"
HEADINGS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、存在的主要问题及改进情况",
]
SENTENCES = [
    "本报告由望川县人民政府办公室编制,统计期限自2030年1月1日起至2030年12月31日止。",
    "2030年,全县主动公开政府信息1208条,其中通过门户网站公开960条。",
    "全年共收到政府信息公开申请15件,均已按时答复。",
    "政府信息公开工作仍存在更新不够及时等问题。",
]
TABLE_ROWS = ["规章 | 3 | 0 | 12 |", "微信 | 310 | 0 | 420 |"]  # a row label may be a share-bar word
CHROME_LINES = [
    "您的位置:首页 > 政务公开 > 年报",
    "分享到: 微信 微博 QQ空间",
    "字号: 大 中 小",
    "【 打印本页 】【 关闭窗口 】",
    "扫一扫在手机打开当前页",
    "责任编辑:李明",
    "全真版 文字版",
]
PREFIXES = [
    "当前位置: 首页 政务公开 年报 ",
    "您的位置 : 首页 > 信息公开 > ",
    "分享到: 微信 微博 QQ空间 ",
    "全真版 文字版 字号: 大 中 小 打印 关闭 ",
    "来源:望川县人民政府 时间:2031-01-20 09:30 ",
]
WHITESPACE = [" ", "  ", "\u3000", "\xa0", "\t"]


def report_lines() -> list[str]:
    return [
        TITLE,
        SENTENCES[0],
        HEADINGS[0],
        SENTENCES[1],
        HEADINGS[1],
        *TABLE_ROWS,
        HEADINGS[2],
        SENTENCES[2],
        HEADINGS[3],
        SENTENCES[3],
    ]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("\u3000", "").replace("\xa0", ""))


@st.composite
def mutated_reports(draw: st.DrawFn) -> tuple[bytes, str]:
    lines = report_lines()
    for _ in range(draw(st.integers(0, 4))):  # chrome lines between report lines
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(CHROME_LINES)))
    for _ in range(draw(st.integers(0, 6))):  # stray whitespace inside a line, never inside a number
        index = draw(st.integers(0, len(lines) - 1))
        line = lines[index]
        cuts = [
            i for i in range(len(line) + 1) if not (line[i - 1 : i + 1].isdigit() and len(line[i - 1 : i + 1]) == 2)
        ]
        cut = draw(st.sampled_from(cuts))
        lines[index] = line[:cut] + draw(st.sampled_from(WHITESPACE)) + line[cut:]
    if draw(st.booleans()):
        lines = [" ".join(lines)]  # a crawler flattened the whole page
    if draw(st.booleans()):
        lines[0] = draw(st.sampled_from(PREFIXES)) + lines[0]
    text = "\n" + "\n".join(lines) + "\n"
    shape = draw(st.sampled_from(["text", "html", "js"]))
    if shape == "html":
        body = "".join(f"<p>{line}</p>" for line in lines)
        return f'<html><body><div class="TRS_Editor">{body}</div></body></html>'.encode(), "report.html"
    if shape == "js":
        body = "".join(f'<p style="width:36px;">{line}</p>' for line in lines).replace('"', '\\"').replace("/", "\\/")
        filler = "\n".join(f'let item{i} = [{{"id": {i}, "name": "栏目{i}"}}];' for i in range(100))
        return f'{filler}\nlet content = "{body}";\n'.encode(), "data.js"
    return text.encode(draw(st.sampled_from(["utf-8", "gb18030"]))), "report.txt"


def _normalize_or_permanent(content: bytes, filename: str) -> None:
    try:
        normalize(content, filename)
    except PermanentError as exc:
        assert exc.reason


@settings(max_examples=60, **_BUDGET)
@given(st.binary(max_size=3000), st.sampled_from(["a.txt", "a.html", "a.pdf", "a.docx", "a.js", "a"]))
def test_arbitrary_bytes_raise_only_permanent_errors(content: bytes, filename: str) -> None:
    _normalize_or_permanent(content, filename)


_ALPHABET = st.sampled_from([*"政府信息公开报告年一二、()|:;,。<>/\"'\\ \n\t\u3000", "<p>", "</p>", "<td>", "2030"])


@settings(max_examples=60, **_BUDGET)
@given(st.lists(st.one_of(_ALPHABET, st.text(max_size=5)), max_size=300).map("".join))
def test_arbitrary_text_raises_only_permanent_errors(text: str) -> None:
    _normalize_or_permanent(text.encode("utf-8", "surrogatepass"), "report.txt")


@settings(max_examples=80, **_BUDGET)
@given(mutated_reports())
def test_mutated_reports_never_lose_report_text(report: tuple[bytes, str]) -> None:
    content, filename = report
    doc = normalize(content, filename)
    text = _squash(doc.text)
    for kept in [*HEADINGS, *SENTENCES, *TABLE_ROWS]:
        assert _squash(kept).replace("|", "") in text.replace("|", "")
    assert doc.metadata.year == 2030
    assert not any(s in doc.text for s in ("width", "px;", "<p", "\\"))
