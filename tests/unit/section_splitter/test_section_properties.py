"""Property tests of `split_sections`: any text, and real-shaped reports damaged the way crawlers,
converters and PDF text layers damage them, never raise and always give a well-formed outline.

The reports are synthetic (invented places and numbers) in the shapes of real ones: the 2021
template with its tables, and a prose report with an intro list of parts. Mutations: the whole
body on one line, headings glued to their body, separators removed, whitespace and page chrome
inserted, ordinal markers dropped in odd places, chunks cut or repeated, PDF hard wraps. Example budgets are
fixed and derandomized so the suite stays fast and reproducible.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.messages.v1 import SectionedDocument

from .builders import STYLES, render_active, render_requests, render_review
from .conftest import sectioned
from .test_section_headings_domain import BODY_OPENERS, TOP_RENDERINGS, TOP_TITLES

_OFFICIAL = (
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "政府信息公开行政复议、行政诉讼情况",
    "存在的主要问题及改进情况",
    "其他需要报告的事项",
)


def _template_report(style: str) -> list[str]:
    """A 2021-template report as its lines: title, six parts, the three tables in `style`."""
    return [
        "望川县2030年政府信息公开工作年度报告",
        "一、总体情况",
        "2030年,望川县持续推进政务公开。",
        "(一)主动公开。全年主动公开政府信息812条。",
        "(二)依申请公开。全年收到申请9件。",
        "二、主动公开政府信息情况",
        render_active("fmt2021", style),  # type: ignore[arg-type]
        "三、收到和处理政府信息公开申请情况",
        render_requests("fmt2021", style),  # type: ignore[arg-type]
        "四、政府信息公开行政复议、行政诉讼情况",
        render_review(style),  # type: ignore[arg-type]
        "五、存在的主要问题及改进情况",
        "一是公开深度不够;二是解读形式单一。",
        "六、其他需要报告的事项",
        "本年度无其他需要报告的事项。",
    ]


_PROSE_REPORT = [
    "临湖县人民政府2016年政府信息公开工作年度报告",
    "全文分为概述、主动公开政府信息情况、政府信息依申请公开工作情况、存在的主要问题及改进措施四部分。",
    "一、概述",
    "2016年,临湖县持续推进政务公开。",
    "(一)加强组织领导。调整了领导小组。",
    "(二)规范公开行为。1、完善审核制度。全年审核信息300条。",
    "二、主动公开政府信息情况",
    "(一)主动公开的数量",
    "全县共主动公开政府信息812条。",
    "(二)主动公开的类别",
    "机构职能类信息40条。",
    "三、政府信息依申请公开工作情况",
    "2016年全县共收到政府信息公开申请9件。",
    "四、存在的主要问题及改进措施",
    "公开深度不够。",
    "附表",
    "主动公开信息数 | 条 | 312 | 7840 |",
    "其中:1.网站公开 | 条 | 298 | 7651 |",
    "2.传真申请数 | 条 | 0 | 0 |",
]
_PROSE_TITLES = ("概述", "主动公开政府信息情况", "政府信息依申请公开工作情况", "存在的主要问题及改进措施")
_BASES = (*(_template_report(style) for style in STYLES), _PROSE_REPORT)
_CHROME = ("- 3 -", "当前位置:首页 > 年报", "\u3000", "\xa0", "第 2 页 共 4 页", "|", "}]", "扫一扫在手机打开当前页")
_MARKERS = ("一、", "(一)", "1.", "(1)", "①", "㈠", "十二、", "一是")
_ALPHABET = st.sampled_from(
    list("一二三四五六七八九十、.()（）|:：。,;情况概述方面问题数量附表年条件第部分章0123456789 \n\t\xa0\u3000")
    + list("㈠①⑴⒈}]<>p")
)


def _well_formed(doc: SectionedDocument) -> None:
    """Sections are ordered, nested, inside the text, and two levels deep."""
    length = len(doc.text)
    starts = [s.start for s in doc.sections]
    assert starts == sorted(starts)
    for section in doc.sections:
        assert 1 <= section.level <= 2
        assert 0 <= section.start < section.end <= length
        assert section.title.strip()


def _level_one(doc: SectionedDocument) -> list[str]:
    return [s.title.replace(" ", "") for s in doc.sections if s.level == 1]


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.text(_ALPHABET, max_size=400))
def test_any_text_gives_a_well_formed_outline(text: str) -> None:
    _well_formed(sectioned(text))


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.sampled_from(_BASES), st.sampled_from(["", " ", "\n", " | "]))
def test_whole_body_on_one_line_keeps_the_top_level_titles(lines: list[str], glue: str) -> None:
    text = lines[0] + "\n" + glue.join(line.replace("\n", glue) for line in lines[1:])
    doc = sectioned(text)
    _well_formed(doc)
    expected = _PROSE_TITLES if lines is _PROSE_REPORT else _OFFICIAL
    assert _level_one(doc) == list(expected)


@st.composite
def _damaged(draw: st.DrawFn) -> str:
    """A real-shaped report with a few random kinds of damage applied at random places."""
    text = "\n".join(draw(st.sampled_from(_BASES)))
    for _ in range(draw(st.integers(1, 6))):
        pos = draw(st.integers(0, len(text)))
        damage = draw(st.sampled_from(["chrome", "marker", "cut", "repeat", "unpipe", "unline", "wrap"]))
        if damage == "chrome":
            text = text[:pos] + draw(st.sampled_from(_CHROME)) + text[pos:]
        elif damage == "marker":
            text = text[:pos] + draw(st.sampled_from(_MARKERS)) + text[pos:]
        elif damage == "cut":
            text = text[:pos] + text[pos + draw(st.integers(1, 200)) :]
        elif damage == "repeat":
            text = text[:pos] + text[pos : pos + draw(st.integers(1, 120))] + text[pos:]
        elif damage == "unpipe":
            text = text.replace("|", "")
        elif damage == "wrap":  # PDF hard line breaks every few characters
            width = draw(st.integers(5, 40))
            text = "\n".join(text[i : i + width] for i in range(0, len(text), width))
        else:
            text = text.replace("\n", draw(st.sampled_from(["", " "])))
    return text


@settings(max_examples=150, deadline=None, derandomize=True)
@given(_damaged())
def test_damaged_reports_give_a_well_formed_outline(text: str) -> None:
    _well_formed(sectioned(text))


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    st.lists(st.sampled_from(TOP_TITLES), min_size=2, max_size=7, unique_by=lambda t: t[0]),
    st.sampled_from(sorted(TOP_RENDERINGS)),
    st.lists(st.sampled_from(BODY_OPENERS), min_size=7, max_size=7),
)
def test_any_sequence_of_title_variants_keeps_titles_and_kinds(
    titles: list[tuple[str, str]], rendering: str, bodies: list[str]
) -> None:
    """Titles of any era in any order and rendering, each followed by any kind of body."""
    render = TOP_RENDERINGS[rendering]
    text = "望川县2030年政府信息公开工作年度报告\n" + "".join(
        render(i, title, body) for i, ((title, _), body) in enumerate(zip(titles, bodies, strict=False))
    )
    doc = sectioned(text)
    _well_formed(doc)
    assert [(s.level, s.title.replace(" ", ""), s.kind) for s in doc.sections] == [(1, t, k) for t, k in titles]
