"""Section titles of every era and place, in every rendering a crawl or a PDF gives them.

The title variants are those of docs/sections.md (official 2019/2021 titles, their observed
variants and the 2008–2018 titles); the reports around them are invented (望川县), so a rule
that fits one city's wording fails here.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .conftest import sectioned

# (title, kind) of top-level sections: official titles and the variants reports print.
TOP_TITLES: tuple[tuple[str, str], ...] = (
    ("总体情况", "overview"),
    ("概述", "overview"),
    ("基本情况", "overview"),
    ("工作情况", "overview"),
    ("主要工作概述", "overview"),
    ("基本工作情况", "overview"),
    ("政府信息公开总体工作情况", "overview"),
    ("引言", "overview"),
    ("主动公开政府信息情况", "active_disclosure"),
    ("主动公开情况", "active_disclosure"),
    ("政府信息公开情况", "active_disclosure"),
    ("收到和处理政府信息公开申请情况", "requests"),
    ("依申请公开政府信息情况", "requests"),
    ("依申请公开政府信息和不予公开政府信息的情况", "requests"),
    ("政府信息依申请公开办理情况", "requests"),
    ("依申请公开办理及行政复议、行政诉讼情况", "requests"),
    ("政府信息公开行政复议、行政诉讼情况", "review_litigation"),
    ("因政府信息公开工作被申请行政复议提起行政诉讼情况", "review_litigation"),
    ("因政府信息公开工作被申请行政复议和提起行政诉讼情况", "review_litigation"),
    ("因政府信息公开工作被申请行政复议、提起行政诉讼情况", "review_litigation"),
    ("政府信息公开行政复议及行政诉讼情况", "review_litigation"),
    ("政府信息公开行政复议和行政诉讼情况", "review_litigation"),
    ("复议、诉讼和申诉情况", "review_litigation"),
    ("因政府信息公开申请行政复议、提起行政诉讼的情况", "review_litigation"),
    ("政府信息公开类行政复议和行政诉讼情况", "review_litigation"),
    ("行政复议诉讼和举报投诉情况", "review_litigation"),
    ("因政府信息公开引发的行政复议、行政诉讼和举报投诉情况", "review_litigation"),
    ("政府信息公开的收费及减免情况", "fees_costs"),
    ("依申请收费及减免情况", "fees_costs"),
    ("政府信息公开支出及收费情况", "fees_costs"),
    ("政府支出和收费情况", "fees_costs"),
    ("政府信息公开相关费用情况", "fees_costs"),
    ("存在的主要问题及改进情况", "problems"),
    ("政府信息公开工作存在的主要问题及改进情况", "problems"),
    ("存在的主要问题和改进情况", "problems"),
    ("存在问题及改进情况", "problems"),
    ("存在的主要问题及改进措施", "problems"),
    ("存在的主要问题和改进措施", "problems"),
    ("存在问题", "problems"),
    ("存在问题及工作打算", "problems"),
    ("下一步工作打算", "plans"),
    ("2019年工作思路", "plans"),
    ("2018年工作安排", "plans"),
    ("其他需要报告的事项", "other"),
    ("需要说明的事项与附表", "other"),
    ("附件", "other"),
    ("附表", "other"),
    ("咨询处理情况", "other"),
    ("回应解读情况", "other"),
    ("政府信息公开工作机构、人员情况", "other"),
    ("人大代表建议和政协委员提案办理结果情况", "other"),
    ("因依申请公开引发的行政复议、行政诉讼情况", "review_litigation"),
    ("投诉举报情况", "review_litigation"),
    ("政府信息公开申请答复情况", "requests"),
    ("政府信息公开信息处理费收取情况", "fees_costs"),
    ("机构建设、保障经费和培训会议情况", "fees_costs"),
    ("上年度问题整改情况", "problems"),
    ("今后工作展望", "plans"),
    ("工作考核、社会评议和责任追究结果情况", "other"),
)
BODIES = (
    "2030年,望川县持续推进政务公开工作,全年发布信息812条。",
    "全县各部门认真落实条例要求,按时完成各项任务。",
    "本机关严格执行保密审查制度。",
)
_CN = "一二三四五六七八九十"
_INTRO = "望川县人民政府2030年政府信息公开工作年度报告\n本报告根据《中华人民共和国政府信息公开条例》编制。\n"


def _pdf_wrap(title: str) -> str:
    """A narrow PDF column wraps a long title a few characters before its end."""
    cut = max(8, len(title) - 5) if len(title) > 10 else len(title)
    return "\n".join(part for part in (title[:cut], title[cut:]) if part)


# How a top-level section (its ordinal index, title and body) reaches the splitter.
Rendering = Callable[[int, str, str], str]
TOP_RENDERINGS: dict[str, Rendering] = {
    "own_line": lambda i, title, body: f"{_CN[i]}、{title}\n{body}\n",
    "pdf_letter_spaced": lambda i, title, body: f"{_CN[i]}、{' '.join(title)}\n{body}\n",
    "pdf_hard_wrap": lambda i, title, body: f"{_CN[i]}、{_pdf_wrap(title)}\n{body}\n",
    "one_line_body_spaced": lambda i, title, body: f"{_CN[i]}、{title} {body}",
    "one_line_body_glued": lambda i, title, body: f"{_CN[i]}、{title}{body}",
    "text_nodes": lambda i, title, body: f"{_CN[i]}、\n{title}\n" + "\n".join(body.split(",")) + "\n",
    "cms_html": lambda i, title, body: f"<p>{_CN[i]}、{title}</p><p>{body}</p>",
    "part_spaced": lambda i, title, body: f"第{_CN[i]}部分 {title}\n{body}\n",
    "part_glued": lambda i, title, body: f"第{_CN[i]}部分{title}\n{body}\n",
    "chapter_colon": lambda i, title, body: f"第{_CN[i]}章:{title}\n{body}\n",
    "part_pdf_letter_spaced": lambda i, title, body: f"第 {_CN[i]} 部 分 {' '.join(title)}\n{body}\n",
}


def _outline(text: str) -> list[tuple[int, str, str]]:
    """(level, title without spaces, kind) of every section."""
    return [(s.level, s.title.replace(" ", ""), s.kind) for s in sectioned(text).sections]


@pytest.mark.parametrize("rendering", TOP_RENDERINGS)
@pytest.mark.parametrize(("title", "kind"), TOP_TITLES)
def test_top_level_title_variants(title: str, kind: str, rendering: str) -> None:
    render = TOP_RENDERINGS[rendering]
    for body in BODIES:
        text = (
            _INTRO
            + render(0, "概述", BODIES[0])
            + render(1, title, body)
            + render(2, "其他需要报告的事项", "本年度无其他需要报告的事项。")
        )
        assert _outline(text) == [
            (1, "概述", "overview"),
            (1, title, kind),
            (1, "其他需要报告的事项", "other"),
        ], body


# (parent title, parent kind, its sub-headings with the kind each must get): the template's
# sub-headings of 总体情况 and the sub-headings of 2008–2018 reports.
SUB_TITLES: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "总体情况",
        "overview",
        (
            ("主动公开", "active_disclosure"),
            ("依申请公开", "requests"),
            ("政府信息管理", "overview"),
            ("政府信息公开平台建设", "overview"),
            ("监督保障", "overview"),
            ("加强组织领导", "overview"),
        ),
    ),
    (
        "主动公开政府信息情况",
        "active_disclosure",
        (
            ("主动公开的数量", "active_disclosure"),
            ("主动公开的类别", "active_disclosure"),
            ("主动公开的形式", "active_disclosure"),
            ("开展政策解读工作情况", "active_disclosure"),
            ("重点领域信息公开情况", "active_disclosure"),
        ),
    ),
    (
        "依申请公开情况",
        "requests",
        (
            ("申请情况", "requests"),
            ("申请处理情况", "requests"),
            ("依申请收费情况", "fees_costs"),
            ("政府信息公开相关费用情况", "fees_costs"),
            ("不予公开的情况", "requests"),
        ),
    ),
    (
        "行政复议、行政诉讼和申诉情况",
        "review_litigation",
        (
            ("行政复议情况", "review_litigation"),
            ("行政诉讼情况", "review_litigation"),
            ("举报投诉情况", "review_litigation"),
        ),
    ),
    (
        "存在的主要问题及改进情况",
        "problems",
        (
            ("存在的主要问题", "problems"),
            ("主动公开方面", "problems"),
            ("改进措施", "plans"),
            ("下一步工作打算", "plans"),
        ),
    ),
    (
        "其他需要报告的事项",
        "other",
        (("人大代表建议和政协委员提案办理情况", "other"), ("政务公开工作要点落实情况", "other")),
    ),
)


def _enclosed(j: int) -> str:
    return chr(ord("㈠") + j)


# How a sub-heading (its index, title and body) is printed, and whether its parent's title
# runs on into it on one line.
SUB_RENDERINGS: dict[str, tuple[Rendering, bool]] = {
    "paren_line": (lambda j, title, body: f"({_CN[j]}){title}\n{body}\n", False),
    "full_width_line": (lambda j, title, body: f"（{_CN[j]}）{title}\n{body}\n", False),
    "enclosed_line": (lambda j, title, body: f"{_enclosed(j)}{title}\n{body}\n", False),
    "enclosed_spaced": (lambda j, title, body: f"{_enclosed(j)} {title} {body}", True),
    "run_in": (lambda j, title, body: f"({_CN[j]}){title}。{body}\n", False),
    "one_line_body_glued": (lambda j, title, body: f"({_CN[j]}){title}{body}", True),
    "enclosed_glued": (lambda j, title, body: f"{_enclosed(j)}{title}{body}", True),
    "number_dot": (lambda j, title, body: f"{j + 1}.{title}\n{body}\n", False),
    "number_comma": (lambda j, title, body: f"{j + 1}、{title}\n{body}\n", False),
    "paren_number": (lambda j, title, body: f"({j + 1}){title}\n{body}\n", False),
    "text_nodes": (lambda j, title, body: f"({_CN[j]})\n{title}\n" + "\n".join(body.split(",")) + "\n", False),
    "pdf_letter_spaced": (lambda j, title, body: f"({_CN[j]}) {' '.join(title)}\n{body}\n", False),
}


@pytest.mark.parametrize("rendering", SUB_RENDERINGS)
@pytest.mark.parametrize(("parent", "parent_kind", "subs"), SUB_TITLES, ids=[p for p, _, _ in SUB_TITLES])
def test_sub_heading_variants(parent: str, parent_kind: str, subs: tuple[tuple[str, str], ...], rendering: str) -> None:
    render, one_line = SUB_RENDERINGS[rendering]
    end = "" if one_line else "\n"
    for body in BODIES:
        text = f"{_INTRO}三、{parent}{end}" + "".join(render(j, title, body) for j, (title, _) in enumerate(subs))
        text += f"四、其他需要报告的事项{end}无。\n"
        assert _outline(text) == [
            (1, parent, parent_kind),
            *((2, title, kind) for title, kind in subs),
            (1, "其他需要报告的事项", "other"),
        ], body


def test_parts_put_the_chinese_ordinals_one_level_down() -> None:
    text = (
        f"{_INTRO}第一部分 总体情况\n一、主动公开\n{BODIES[0]}\n二、依申请公开。{BODIES[1]}\n"
        f"第二部分 存在的主要问题及改进情况\n一、存在的主要问题\n(一)公开意识有待增强\n{BODIES[2]}\n"
        f"二、下一步工作打算\n{BODIES[1]}\n"
    )
    assert _outline(text) == [
        (1, "总体情况", "overview"),
        (2, "主动公开", "active_disclosure"),
        (2, "依申请公开", "requests"),
        (1, "存在的主要问题及改进情况", "problems"),
        (2, "存在的主要问题", "problems"),
        (2, "下一步工作打算", "plans"),
    ]


# How body text opens right after a title when a crawl glued the two together.
BODY_OPENERS = (
    "全县上下高度重视政务公开工作,取得明显成效。",
    "县政府高度重视政府信息公开工作,成立了领导小组。",
    "望川县认真贯彻落实《条例》,扎实推进各项工作。",
    "各乡镇、各部门按照要求开展工作。",
    "今年以来,全县政务公开工作稳步推进。",
    "一年来,全县认真贯彻落实条例。",
    "为进一步推进政务公开,县政府制定了实施方案。",
    "依据《条例》规定,现将有关情况报告如下。",
    "截至12月31日,全县共公开信息812条。",
    "县委县政府始终把政务公开作为重点工作。",
    "政府信息公开工作领导小组召开会议3次。",
    "我们坚持以公开为常态。",
    "无。",
    "本年度无相关情况。",
    "未收到相关申请。",
    "根据《条例》规定,对申请人提供的政府信息不收取任何费用。",
    "在县委县政府的领导下,各项工作有序开展。",
    "主要存在以下问题:一是公开意识不强;二是公开内容不全。",
    "下一步,我县将继续深化政务公开。",
    "全年未发生因政府信息公开引起的行政复议和行政诉讼。",
    "政务公开工作虽然取得了一定成绩,但仍存在一些不足。",
    "加强组织领导,完善工作机制。",
    "2030年度,望川县政府信息公开工作在县委领导下稳步推进。",
    "受理政府信息公开申请21件,均按时办结。",
    "政务公开工作取得新进展,全年发布信息812条。",
    "门户网站全年发布信息812条。",
    "县政府门户网站共发布信息1200条。",
    "政务新媒体发布信息300条。",
    "主动公开方面,全年发布信息812条。",
    "行政复议方面,全年未发生行政复议案件。",
    "2030年全年无收费情况。",
    "全年共受理申请9件。",
    "无相关情况。",
    "县政务公开领导小组召开会议2次。",
    "本单位未收取任何费用。",
    "截至2030年底,累计公开信息5000条。",
    "共召开会议3次,培训人员200人次。",
    "今年全县政务公开工作取得新成效。",
    "对照年初工作要点,全面完成各项任务。",
    "通过门户网站公开政府信息812条。",
    "严格落实保密审查制度。",
    "进一步加强政务公开工作。",
)


@pytest.mark.parametrize(("title", "kind"), TOP_TITLES)
def test_top_level_titles_glued_to_any_body_opener(title: str, kind: str) -> None:
    for opener in BODY_OPENERS:
        text = f"{_INTRO.replace(chr(10), ' ')}一、概述{BODY_OPENERS[0]}二、{title}{opener}三、其他需要报告的事项无。"
        assert _outline(text) == [(1, "概述", "overview"), (1, title, kind), (1, "其他需要报告的事项", "other")], opener


def test_a_section_title_glued_to_a_short_sentence() -> None:
    text = "一、概述县政务公开办加强对各单位的指导。二、依申请公开情况县政务公开办按时答复。"
    assert _outline(text) == [(1, "概述", "overview"), (1, "依申请公开情况", "requests")]


def test_a_run_in_lead_with_a_title_word_inside_stays_whole() -> None:
    text = "一、概述\n(一)推进问题整改落实情况。正文。\n(二)坚持问题导向提升实效。正文。\n"
    assert _outline(text) == [
        (1, "概述", "overview"),
        (2, "推进问题整改落实情况", "problems"),
        (2, "坚持问题导向提升实效", "overview"),
    ]


def test_statistics_row_labels_printed_one_cell_per_line_are_not_headings() -> None:
    rows = "主动公开信息数\n条\n312\n2.传真申请数\n条\n1\n3.电子邮件申请数\n人次\n6\n"
    text = f"六、附表\n{rows}七、其他需要报告的事项\n无。\n"
    assert _outline(text) == [(1, "附表", "other"), (1, "其他需要报告的事项", "other")]


@pytest.mark.parametrize("separator", ["\n\n", "\n"], ids=["blank_lines", "single_lines"])
@pytest.mark.parametrize(("title", "kind"), TOP_TITLES)
def test_wiki_pages_without_ordinals(title: str, kind: str, separator: str) -> None:
    body = "2030年,望川县持续推进政务公开工作,全年发布信息812条,各部门按要求完成各项任务。"
    parts = ["望川县2030年政府信息公开工作年度报告", "概述", body, title, body, "其他需要报告的事项", body]
    assert _outline(separator.join(parts) + "\n") == [
        (1, "概述", "overview"),
        (1, title, kind),
        (1, "其他需要报告的事项", "other"),
    ]


# Body sentences and table rows with ordinals, enumerations, dates and counts inside them.
NOT_HEADINGS = (
    "一是加强组织领导,二是完善工作制度,三是强化监督考核。",
    "一要提高认识,二要加强领导。",
    "第一,加强领导。第二,完善制度。",
    "首先,加强领导;其次,完善制度。",
    "坚持统一、规范、高效的原则。",
    "按照“一、二、三”工作法推进。",
    "全县在一、二季度集中开展培训。",
    "全县按\n一、二、三类分级公开。",  # a PDF line break before listed ordinals
    "依据《条例》第二十条第\n(一)项规定主动公开。",  # a PDF line break inside a reference
    "本年度第一季度公开信息120条。",
    "按照第一部分的要求认真执行。",
    "依据《条例》第二十条第(一)项规定主动公开。",
    "全年共收到申请5件。(1)网上申请3件,(2)信函申请2件。",
    "主要做法包括:1.加强领导;2.完善制度;3.强化培训。",
    "2030.3.8召开全县政务公开工作会议。",
    "同比增长19.51%,第1季度增长3.2%。",
    "全年受理审批服务事项13799件(二)办结13474件。",
    "发布《望川县关于加强政务公开工作的通知》(望政办〔2030〕12号)。",
    "联系电话:0000-1234567 邮编:123456 地址:望川县人民路1号",
    "(一)予以公开 2 1 0 0 0 0 3",
    "2.同意部分公开答复数 | 条 | 0 | 0 |",
    "主动公开信息数 条 312 7840 其中:1、网站公开 条 298 7651",
    "一、\n1\n二、\n2",
)


@pytest.mark.parametrize("body", NOT_HEADINGS)
def test_body_sentences_and_table_rows_are_not_headings(body: str) -> None:
    for text in (f"一、概述\n{body}\n", f"一、概述 {body}"):
        assert _outline(text) == [(1, "概述", "overview")]


def test_a_top_level_ordinal_after_a_lost_full_stop_continues_the_numbering() -> None:
    text = (
        "一、概述2030年,望川县持续推进政务公开,取得明显成效二、主动公开情况全年主动公开信息812条"
        "三、依申请公开情况全年受理申请9件四、存在问题及工作打算一是公开意识不强"
        "五、政务公开工作要点落实情况全年落实要点30项。"
    )
    assert _outline(text) == [
        (1, "概述", "overview"),
        (1, "主动公开情况", "active_disclosure"),
        (1, "依申请公开情况", "requests"),
        (1, "存在问题及工作打算", "problems"),
        (1, "政务公开工作要点落实情况", "other"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "坚持统一、主动公开情况良好。",  # 统一 is a word
        "要求如下四、依申请公开情况良好。",  # 四 does not follow 二
        "全县按一、二、三类分级公开。",  # no section title after the ordinal
    ],
)
def test_an_ordinal_inside_a_sentence_opens_no_section(sentence: str) -> None:
    text = f"一、概述\n正文。\n二、主动公开政府信息情况\n{sentence}\n"
    assert _outline(text) == [(1, "概述", "overview"), (1, "主动公开政府信息情况", "active_disclosure")]


# Bodies that read on as a title after a bare sub-heading (`主动公开主要存在以下问题`): a glued
# one-line body gives no way to tell them apart.
_READS_AS_TITLE = (
    "政府信息公开工作领导小组召开会议3次。",
    "主要存在以下问题:一是公开意识不强;二是公开内容不全。",
    "受理政府信息公开申请21件,均按时办结。",
)
_TEMPLATE_SUBS = (
    ("主动公开", "active_disclosure"),
    ("依申请公开", "requests"),
    ("政府信息管理", "overview"),
    ("政府信息公开平台建设", "overview"),
    ("监督保障", "overview"),
)


@pytest.mark.parametrize("opener", [o for o in BODY_OPENERS if o not in _READS_AS_TITLE])
def test_template_sub_headings_glued_to_any_body_opener(opener: str) -> None:
    subs = "".join(f"{_enclosed(j)}{title}{opener}" for j, (title, _) in enumerate(_TEMPLATE_SUBS))
    text = f"一、总体情况{subs}二、主动公开政府信息情况"
    assert _outline(text) == [
        (1, "总体情况", "overview"),
        *((2, title, kind) for title, kind in _TEMPLATE_SUBS),
        (1, "主动公开政府信息情况", "active_disclosure"),
    ]


def test_a_template_sub_heading_that_heads_a_longer_title_is_not_cut() -> None:
    text = "二、主动公开政府信息情况\n(二)主动公开政府信息的主要类别情况1.机构职能类信息40条。\n"
    assert _outline(text) == [
        (1, "主动公开政府信息情况", "active_disclosure"),
        (2, "主动公开政府信息的主要类别情况", "active_disclosure"),
    ]


@pytest.mark.parametrize(
    "intro",
    [
        "本报告包括:一、概述;二、主动公开政府信息情况;三、依申请公开情况。",
        "本报告包括一、概述,二、主动公开政府信息情况,三、依申请公开情况。",
        "全文分为一、概述 二、主动公开政府信息情况 三、依申请公开情况等三部分。",
    ],
)
@pytest.mark.parametrize("glue", ["\n", ""], ids=["lines", "one_line"])
def test_an_intro_that_lists_the_parts_with_their_ordinals_opens_none(intro: str, glue: str) -> None:
    body = "一、概述2030年,望川县持续推进政务公开。二、主动公开政府信息情况全年主动公开信息812条。"
    text = intro + glue + body + "三、依申请公开情况全年受理申请9件。"
    assert _outline(text) == [
        (1, "概述", "overview"),
        (1, "主动公开政府信息情况", "active_disclosure"),
        (1, "依申请公开情况", "requests"),
    ]


def test_a_sub_heading_ordinal_after_a_lost_full_stop_continues_the_numbering() -> None:
    text = (
        "一、概述(一)加强组织领导成立了领导小组,取得明显成效(二)完善制度建设建立健全了各项制度,做到有章可循"
        "㈢强化培训举办培训班3期。二、主动公开情况"
    )
    assert _outline(text) == [
        (1, "概述", "overview"),
        (2, "加强组织领导", "overview"),
        (2, "完善制度建设", "overview"),
        (2, "强化培训", "overview"),
        (1, "主动公开情况", "active_disclosure"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "主要措施是(一)加强领导,(二)完善制度,(三)强化培训。",  # an enumeration inside a sentence
        "依据第(二)项规定(三)执行。",  # 第(二)项 is a reference, so (三) continues nothing
        "按照部署开展(一)规范公开工作。",  # (一) opens no sequence
    ],
)
def test_a_parenthesised_ordinal_inside_a_sentence_opens_no_sub_heading(sentence: str) -> None:
    assert _outline(f"一、概述\n{sentence}\n") == [(1, "概述", "overview")]


@pytest.mark.parametrize(
    "sentence",
    [
        "今年全县政务公开工作取得新成效。",
        "本年度无相关情况。",
        "无。",
        "下一步,我县将继续深化政务公开。",
        "对照年初工作要点,全面完成各项任务。",
        "全年未发生因政府信息公开引起的行政复议和行政诉讼。",
    ],
)
def test_a_free_sub_heading_glued_to_a_sentence_that_opens_like_one(sentence: str) -> None:
    text = f"一、概述(一)加强组织领导{sentence}(二)完善工作机制{sentence}二、主动公开情况"
    assert _outline(text) == [
        (1, "概述", "overview"),
        (2, "加强组织领导", "overview"),
        (2, "完善工作机制", "overview"),
        (1, "主动公开情况", "active_disclosure"),
    ]


def test_a_run_in_lead_in_two_verb_phrases_stays_whole() -> None:
    text = "一、概述\n(一)完善工作机制进一步规范公开流程。正文。\n(二)强化监督保障推进工作落实。正文。\n"
    assert _outline(text) == [
        (1, "概述", "overview"),
        (2, "完善工作机制进一步规范公开流程", "overview"),
        (2, "强化监督保障推进工作落实", "overview"),
    ]


def test_a_space_inside_a_title_on_a_one_line_body() -> None:
    text = "一、概述 正文。二、主动公开 政府信息情况 全年主动公开信息812条。三、依申请公开 全年受理申请9件。"
    assert _outline(text) == [
        (1, "概述", "overview"),
        (1, "主动公开政府信息情况", "active_disclosure"),
        (1, "依申请公开", "requests"),
    ]
