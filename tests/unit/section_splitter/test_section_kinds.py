"""Section kinds come from title words; children inherit unless their title names another kind."""

from __future__ import annotations

import pytest

from services.section_splitter.kinds import section_kind, title_kind

from .conftest import SEEDS, sectioned


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("总体情况", "overview"),
        ("概 述", "overview"),
        ("主动公开政府信息情况", "active_disclosure"),
        ("收到和处理政府信息公开申请情况", "requests"),
        ("依申请公开政府信息和不予公开政府信息的情况", "requests"),
        ("政府信息公开行政复议、行政诉讼情况", "review_litigation"),
        ("因政府信息公开工作被申请行政复议、提起行政诉讼情况", "review_litigation"),
        ("复议、诉讼和申诉情况", "review_litigation"),
        ("政府信息公开的收费及减免情况", "fees_costs"),
        ("政府信息公开支出及收费情况", "fees_costs"),
        ("存在的主要问题及改进情况", "problems"),
        ("存在问题及工作打算", "problems"),
        ("下一步工作打算", "plans"),
        ("2019年工作思路", "plans"),
        ("其他需要报告的事项", "other"),
        # 2021 sub-headings and closing-section variants of other places
        ("信息处理费收取情况", "fees_costs"),
        ("上年度问题整改情况", "problems"),
        ("发现问题的整改落实情况", "problems"),
        ("整改措施", "plans"),
        ("今后工作展望", "plans"),
        ("努力方向", "plans"),
        ("投诉举报情况", "review_litigation"),
        ("政府信息公开申请答复情况", "requests"),
        ("机构建设、保障经费和培训会议情况", "fees_costs"),
        ("依申请公开信息收取的费用", "fees_costs"),
        ("因依申请公开引发的行政复议、行政诉讼情况", "review_litigation"),
        ("依申请公开引起的行政复议和行政诉讼情况", "review_litigation"),
        ("依申请公开办理及行政复议、行政诉讼情况", "requests"),
        ("工作考核、社会评议和责任追究结果情况", None),
        ("人大代表建议和政协委员提案办理结果公开情况", None),
    ],
)
def test_title_words_decide_the_kind(title: str, kind: str | None) -> None:
    assert title_kind(title) == kind


def test_children_inherit_unless_their_title_names_a_kind() -> None:
    assert section_kind("加强组织领导", "overview") == "overview"
    assert section_kind("依申请公开情况", "active_disclosure") == "requests"
    assert section_kind("主动公开方面", "problems") == "problems"
    assert section_kind("工作措施", "problems") == "plans"
    assert section_kind("要点落实情况", None) == "other"


def test_a_generic_work_title_keeps_the_parent_topic() -> None:
    assert section_kind("开展政策解读工作情况", "active_disclosure") == "active_disclosure"
    assert section_kind("政府信息管理工作情况", "overview") == "overview"
    assert section_kind("工作情况", None) == "overview"


def test_seed_001_children_of_the_disclosure_section() -> None:
    sections = sectioned((SEEDS / "001_bb9a5f7779685f94.txt").read_text(encoding="utf-8")).sections
    kinds = {s.title: s.kind for s in sections}
    assert kinds["政府信息公开情况"] == "active_disclosure"
    assert kinds["主动公开情况"] == "active_disclosure"
    assert kinds["依申请公开情况"] == "requests"
    assert kinds["因政府信息公开申请行政复议、提起行政诉讼的情况"] == "review_litigation"
    assert kinds["政府信息公开相关费用情况"] == "fees_costs"
    assert kinds["存在的主要问题"] == "problems"
    assert kinds["2019年工作思路"] == "plans"


def test_a_fee_sub_heading_of_the_other_matters_section_is_a_fees_section() -> None:
    text = "六、其他需要报告的事项\n(一)信息处理费收取情况\n本年度未收取信息处理费。\n(二)建议提案办理情况\n正文。\n"
    kinds = [(s.title, s.kind) for s in sectioned(text).sections]
    assert kinds == [
        ("其他需要报告的事项", "other"),
        ("信息处理费收取情况", "fees_costs"),
        ("建议提案办理情况", "other"),
    ]
