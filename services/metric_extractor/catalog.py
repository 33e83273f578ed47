"""Catalog knowledge the extractor needs as data: units, home sections, sums and identities.

Everything here mirrors the catalog in docs/metrics.md; the extraction code only reads these tables.
"""

from __future__ import annotations

from typing import get_args

from shared.messages.v1 import Applicant, SectionKind

# Longest matching prefix wins; counts default to 件 (catalog: requests, cases, decisions).
UNIT_BY_PREFIX: dict[str, str] = {
    "active.total": "条",
    "active.cumulative_total": "条",
    "active.channel": "条",
    "active.admin_fees.amount": "万元",
    "active.procurement.amount": "元",
    "response.interpretations": "条",
    "response.hot_topics": "条",
    "response.press_conferences": "次",
    "fees": "元",
    "expenditure": "元",
    "training.sessions": "次",
    "training.participants": "人次",
    "training.meetings": "次",
}
DEFAULT_UNIT = "件"

# Multiplier from a stated money unit to the base unit 元; counts are unchanged.
MONEY_FACTOR: dict[str, int] = {"元": 1, "万元": 10_000, "亿元": 100_000_000}

# The section that is authoritative for a key family (key without its last segment, first part).
HOME_SECTION: dict[str, SectionKind] = {
    "active": "active_disclosure",
    "requests": "requests",
    "reconsideration": "review_litigation",
    "litigation": "review_litigation",
    "complaints": "review_litigation",
    "fees": "fees_costs",
    "expenditure": "fees_costs",
}

# The 2008-era appendix row 同意公开答复数 counts the requests answered with "already public" too, which
# the prose may state apart (已主动公开52件;同意公开259件 vs the table's 311): table key → prose parts
# that fold into it. Those parts are read only to reconcile the sources; catalog v1 has no key for them.
TABLE_FOLDS: dict[str, tuple[str, ...]] = {"requests.outcome.granted": ("requests.outcome.already_public",)}
UNPUBLISHED_KEYS: frozenset[str] = frozenset(part for parts in TABLE_FOLDS.values() for part in parts)

# Keys whose running total has a key of its own (the appendix's 历年累计 column uses it too).
CUMULATIVE_KEYS: dict[str, str] = {"active.total": "active.cumulative_total"}

# Families whose keys split one total (by channel): a report's breakdown comes from one place, so
# parts stated elsewhere are not mixed in (004: 其他方式申请14件 in 一 vs 信函申请14件 in 三).
BREAKDOWN_FAMILIES: frozenset[str] = frozenset({"requests.channel", "active.channel"})

_OUTCOME = "requests.outcome"
# Group totals of table 三 that the official layout does not print: total → its rows.
GROUP_ROWS: dict[str, tuple[str, ...]] = {
    f"{_OUTCOME}.denied.total": tuple(
        f"{_OUTCOME}.denied.{row}"
        for row in (
            "state_secret",
            "law_prohibited",
            "security_stability",
            "third_party",
            "internal_affairs",
            "process_info",
            "enforcement_file",
            "admin_query",
        )
    ),
    f"{_OUTCOME}.unable.total": tuple(f"{_OUTCOME}.unable.{row}" for row in ("not_held", "needs_creation", "unclear")),
    f"{_OUTCOME}.not_processed.total": tuple(
        f"{_OUTCOME}.not_processed.{row}"
        for row in ("petition_complaint", "duplicate", "publication", "excessive", "confirm_reissue")
    ),
    f"{_OUTCOME}.other.total": tuple(
        f"{_OUTCOME}.other.{row}" for row in ("overdue_correction", "overdue_fee", "other")
    ),
}

OUTCOME_PARTS: tuple[str, ...] = (
    f"{_OUTCOME}.granted",
    f"{_OUTCOME}.partial",
    f"{_OUTCOME}.denied.total",
    f"{_OUTCOME}.unable.total",
    f"{_OUTCOME}.not_processed.total",
    f"{_OUTCOME}.other.total",
)

# Table 三 columns whose sum is the 总计 column (自然人 + the five 法人或其他组织 columns).
APPLICANT_COLUMNS: tuple[Applicant, ...] = tuple(a for a in get_args(Applicant) if a != "total")


REVIEW_RESULTS: tuple[str, ...] = ("upheld", "corrected", "other", "pending")
# Table 四 blocks whose printed 总计 must equal the sum of their four results.
REVIEW_BLOCKS: tuple[str, ...] = (
    "reconsideration",
    "litigation",
    "litigation.direct",
    "litigation.after_reconsideration",
)
# 2019+ table 四 prints litigation in two blocks; litigation.<result> is their sum.
LITIGATION_BLOCKS: tuple[str, ...] = ("litigation.direct", "litigation.after_reconsideration")


# Column keys of the table rows whose glued runs the prose can settle, by (era, printed row label); era
# None for a row of every era (docs/metrics.md): table 二's 2021 columns 本年制发/废止/现行有效件数 and
# 2019 columns 本年新制作/新公开/对外公开总数量, and table 四's single row of 15 cells.
_DOCS_2021 = ("issued", "repealed", "in_force")
_DOCS_2019 = ("issued", "published", "public_total")
GLUED_ROW_KEYS: dict[tuple[str | None, str], tuple[str, ...]] = {
    ("fmt2021", "规章"): tuple(f"active.regulations.{c}" for c in _DOCS_2021),
    ("fmt2021", "行政规范性文件"): tuple(f"active.normative_docs.{c}" for c in _DOCS_2021),
    ("fmt2019", "规章"): tuple(f"active.regulations.{c}" for c in _DOCS_2019),
    ("fmt2019", "规范性文件"): tuple(f"active.normative_docs.{c}" for c in _DOCS_2019),
    (None, "行政复议、行政诉讼"): tuple(
        f"{block}.{result}"
        for block in ("reconsideration", *LITIGATION_BLOCKS)
        for result in (*REVIEW_RESULTS, "total")
    ),
}


def unit_for(key: str) -> str:
    """Catalog unit of a key (longest prefix match), used for table facts."""
    best = max((p for p in UNIT_BY_PREFIX if key == p or key.startswith(p + ".")), key=len, default=None)
    return UNIT_BY_PREFIX[best] if best else DEFAULT_UNIT


def _tidy(number: float) -> float:
    return int(number) if float(number).is_integer() else round(number, 6)


def base_value(value: float, unit: str) -> float:
    """Value in the base unit: 万元 → 元; counts unchanged."""
    return _tidy(value * MONEY_FACTOR[unit]) if unit in MONEY_FACTOR else value


def in_catalog_unit(key: str, value: float, unit: str) -> tuple[float, str]:
    """Money restated in the key's catalog unit (经费5万元 → 50000 元) so `value` compares across reports."""
    target = unit_for(key)
    if unit in MONEY_FACTOR and target in MONEY_FACTOR and unit != target:
        return _tidy(value * MONEY_FACTOR[unit] / MONEY_FACTOR[target]), target
    return value, unit


def family_of(key: str) -> str:
    """Family of a key: the key without its last segment (requests.channel.online → requests.channel)."""
    return key.rsplit(".", 1)[0] if "." in key else key


def home_section(key: str) -> SectionKind | None:
    """The section kind whose statements are authoritative for the key."""
    return HOME_SECTION.get(key.split(".", 1)[0])
