"""Section kinds from title words (never from ordinals, which shift between reports)."""

from __future__ import annotations

import re

from shared.messages.v1 import SectionKind

# First match wins, so the order encodes precedence: `存在问题及工作打算` is a problems
# section, `依申请收费情况` a fees section, `依申请公开办理及行政复议…` a requests section.
# The words are those of docs/sections.md plus the 2021 template's 信息处理费 and
# 问题整改 sub-headings.
_RULES: tuple[tuple[SectionKind, re.Pattern[str]], ...] = (
    ("problems", re.compile(r"存在.{0,8}问题|主要问题|问题(?:及|和|与)|问题.{0,3}整改|不足")),
    ("plans", re.compile(r"下一步|打算|思路|展望|努力方向|工作安排|工作计划|工作措施|工作重点|改进措施|整改措施")),
    ("other", re.compile(r"其他需要报告|其他事项|需要说明的事项|附件|附表")),
    ("fees_costs", re.compile(r"收费|费用|处理费|支出|经费")),
    ("review_litigation", re.compile(r"(?:因|引发|引起).{0,16}(?:复议|诉讼)")),  # 因依申请公开引发的行政复议…
    ("requests", re.compile(r"依申请|收到和处理|申请情况|申请处理|申请办理|申请答复|申请公开")),
    ("review_litigation", re.compile(r"复议|诉讼|申诉|投诉")),
    ("active_disclosure", re.compile(r"主动公开|公开渠道|公开形式|公开方式|^政府信息公开情况$")),
    ("overview", re.compile(r"总体情况|概述|概况|基本情况|工作情况|工作概述|引言|综述")),
)
_CLOSING: frozenset[SectionKind] = frozenset({"problems", "plans"})


def title_kind(title: str) -> SectionKind | None:
    """The kind a title names on its own, or None when it names none."""
    compact = re.sub(r"\s+", "", title)
    for kind, pattern in _RULES:
        if pattern.search(compact):
            return kind
    return None


def section_kind(title: str, parent: SectionKind | None) -> SectionKind:
    """Children inherit the parent's kind unless their own title clearly names another.

    Below a problems/plans heading, topic words (`主动公开方面`) describe what is wrong or
    planned, so only another closing kind may override there. `overview` is no topic of its
    own (`开展政策解读工作情况` under 主动公开), so it never overrides a parent either.
    """
    own = title_kind(title)
    if parent is None:
        return own or "other"
    if own in (None, "overview") or (parent in _CLOSING and own not in _CLOSING):
        return parent
    return own
