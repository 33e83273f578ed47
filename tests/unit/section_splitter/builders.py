"""Official table layouts (docs/tables.md) rendered in every flattening style of docs/flattening.md.

Numbers are realistic and satisfy every identity: 总计 = sum of the applicant columns,
一+二 = (七)总计+四, (七)总计 = sum of the outcome rows, and each 表四 block sums to its 总计.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

Era = Literal["fmt2019", "fmt2021"]
Style = Literal["row_per_line", "cell_per_line", "markdown", "space_separated", "docx", "glued"]
STYLES: tuple[Style, ...] = ("row_per_line", "cell_per_line", "markdown", "space_separated", "docx", "glued")
APPLICANTS = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "public_welfare_org",
    "legal_service_org",
    "other_org",
    "total",
)


@dataclass(frozen=True)
class Line:
    """One printed table row: its label cells (merged cells repeat in docx) and values."""

    labels: tuple[str, ...]
    values: tuple[str, ...]
    key: str | None = None
    width: int = 0  # total grid width, for docx/markdown padding


Expected = dict[tuple[str, str], int | float | None]

# ---------------------------------------------------------------- 表三

_R = "三、本年度办理结果"
_REQUEST_ROWS_2021: tuple[tuple[tuple[str, ...], str, tuple[int, ...]], ...] = (
    (("一、本年新收政府信息公开申请数量",), "new", (35, 1, 2, 0, 0, 0)),
    (("二、上年结转政府信息公开申请数量",), "carried_over", (3, 0, 0, 0, 0, 0)),
    ((_R, "(一)予以公开"), "outcome.granted", (12, 1, 0, 0, 0, 0)),
    (("(二)部分公开(区分处理的,只计这一情形,不计其他情形)",), "outcome.partial", (4, 0, 1, 0, 0, 0)),
    (("(三)不予公开", "1.属于国家秘密"), "outcome.denied.state_secret", (0, 0, 0, 0, 0, 0)),
    (("2.其他法律行政法规禁止公开",), "outcome.denied.law_prohibited", (1, 0, 0, 0, 0, 0)),
    (("3.危及“三安全一稳定”",), "outcome.denied.security_stability", (0, 0, 0, 0, 0, 0)),
    (("4.保护第三方合法权益",), "outcome.denied.third_party", (2, 0, 0, 0, 0, 0)),
    (("5.属于三类内部事务信息",), "outcome.denied.internal_affairs", (1, 0, 0, 0, 0, 0)),
    (("6.属于四类过程性信息",), "outcome.denied.process_info", (0, 0, 0, 0, 0, 0)),
    (("7.属于行政执法案卷",), "outcome.denied.enforcement_file", (1, 0, 0, 0, 0, 0)),
    (("8.属于行政查询事项",), "outcome.denied.admin_query", (0, 0, 0, 0, 0, 0)),
    (("(四)无法提供", "1.本机关不掌握相关政府信息"), "outcome.unable.not_held", (8, 0, 1, 0, 0, 0)),
    (("2.没有现成信息需要另行制作",), "outcome.unable.needs_creation", (1, 0, 0, 0, 0, 0)),
    (("3.补正后申请内容仍不明确",), "outcome.unable.unclear", (1, 0, 0, 0, 0, 0)),
    (("(五)不予处理", "1.信访举报投诉类申请"), "outcome.not_processed.petition_complaint", (2, 0, 0, 0, 0, 0)),
    (("2.重复申请",), "outcome.not_processed.duplicate", (1, 0, 0, 0, 0, 0)),
    (("3.要求提供公开出版物",), "outcome.not_processed.publication", (0, 0, 0, 0, 0, 0)),
    (("4.无正当理由大量反复申请",), "outcome.not_processed.excessive", (0, 0, 0, 0, 0, 0)),
    (("5.要求行政机关确认或重新出具已获取信息",), "outcome.not_processed.confirm_reissue", (0, 0, 0, 0, 0, 0)),
)
_OTHER_2021 = (
    (
        ("(六)其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        "outcome.other.overdue_correction",
        (1, 0, 0, 0, 0, 0),
    ),
    (
        ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",),
        "outcome.other.overdue_fee",
        (0, 0, 0, 0, 0, 0),
    ),
    (("3.其他",), "outcome.other.other", (1, 0, 0, 0, 0, 0)),
)
_OTHER_2019 = ((("(六)其他处理",), "outcome.other.total", (2, 0, 0, 0, 0, 0)),)


def request_lines(era: Era, blank: bool = False) -> list[Line]:
    """The data rows of 表三 with totals and the carried-forward row derived."""
    rows = [*_REQUEST_ROWS_2021, *(_OTHER_2021 if era == "fmt2021" else _OTHER_2019)]
    outcome = [r for r in rows if r[1].startswith("outcome.")]
    totals = tuple(sum(r[2][i] for r in outcome) for i in range(6))
    forward = tuple(rows[0][2][i] + rows[1][2][i] - totals[i] for i in range(6))
    rows += [(("(七)总计",), "outcome.total", totals), (("四、结转下年度继续办理",), "carried_forward", forward)]
    lines = []
    for labels, key, six in rows:
        values = () if blank else tuple(str(v) for v in (*six, sum(six)))
        lines.append(Line(labels, values or ("",) * 7, f"requests.{key}", 10))
    return lines


REQUEST_HEADER = (
    ("(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", "申请人情况"),
    ("自然人", "法人或其他组织", "总计"),
    ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"),
)

# ---------------------------------------------------------------- 表四

REVIEW_VALUES = (4, 1, 0, 3, 8, 5, 0, 0, 0, 5, 2, 1, 1, 0, 4)
_REVIEW_KEYS = tuple(
    f"{group}.{item}"
    for group in ("reconsideration", "litigation.direct", "litigation.after_reconsideration")
    for item in ("upheld", "corrected", "other", "pending", "total")
)
_OUTCOME_WORDS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

# ---------------------------------------------------------------- 表二

ActiveBlock = tuple[str, tuple[str, ...], tuple[tuple[str, tuple[str, ...], tuple[str | None, ...]], ...]]
_ACTIVE_2021: tuple[ActiveBlock, ...] = (
    (
        "第二十条第(一)项",
        ("本年制发件数", "本年废止件数", "现行有效件数"),
        (
            (
                "规章",
                ("1", "0", "12"),
                ("active.regulations.issued", "active.regulations.repealed", "active.regulations.in_force"),
            ),
            (
                "行政规范性文件",
                ("5", "1", "25"),
                ("active.normative_docs.issued", "active.normative_docs.repealed", "active.normative_docs.in_force"),
            ),
        ),
    ),
    ("第二十条第(五)项", ("本年处理决定数量",), (("行政许可", ("1203",), ("active.licensing.decisions",)),)),
    (
        "第二十条第(六)项",
        ("本年处理决定数量",),
        (
            ("行政处罚", ("356",), ("active.penalty.decisions",)),
            ("行政强制", ("12",), ("active.coercion.decisions",)),
        ),
    ),
    ("第二十条第(八)项", ("本年收费金额(单位:万元)",), (("行政事业性收费", ("240",), ("active.admin_fees.amount",)),)),
)
_ITEMS_2019 = ("上一年项目数量", "本年增/减", "处理决定数量")
_ACTIVE_2019: tuple[ActiveBlock, ...] = (
    (
        "第二十条第(一)项",
        ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
        (
            (
                "规章",
                ("2", "2", "15"),
                ("active.regulations.issued", "active.regulations.published", "active.regulations.public_total"),
            ),
            (
                "规范性文件",
                ("8", "8", "96"),
                (
                    "active.normative_docs.issued",
                    "active.normative_docs.published",
                    "active.normative_docs.public_total",
                ),
            ),
        ),
    ),
    (
        "第二十条第(五)项",
        _ITEMS_2019,
        (
            ("行政许可", ("120", "+3", "5630"), (None, None, "active.licensing.decisions")),
            ("其他对外管理服务事项", ("15", "0", "210"), (None, None, None)),
        ),
    ),
    (
        "第二十条第(六)项",
        _ITEMS_2019,
        (
            ("行政处罚", ("85", "-2", "1342"), (None, None, "active.penalty.decisions")),
            ("行政强制", ("12", "0", "48"), (None, None, "active.coercion.decisions")),
        ),
    ),
    ("第二十条第(八)项", ("上一年项目数量", "本年增/减"), (("行政事业性收费", ("9", "-1"), (None, None)),)),
    ("第二十条第(九)项", ("采购项目数量", "采购总金额"), (("政府集中采购", ("36", "251000元"), (None, None)),)),
)


def active_blocks(era: Era, small: bool = False) -> tuple[ActiveBlock, ...]:
    """表二 blocks; `small` keeps multi-column cells to one digit so a glued run stays readable."""
    blocks = _ACTIVE_2021 if era == "fmt2021" else _ACTIVE_2019
    if not small:
        return blocks
    return tuple(
        (
            head,
            cols,
            tuple(
                (label, tuple(v if len(vals) == 1 else v.strip("+-元")[-1] for v in vals), keys)
                for label, vals, keys in rows
            ),
        )
        for head, cols, rows in blocks
    )


# ---------------------------------------------------------------- expectations


def _number(raw: str) -> int | float | None:
    raw = raw.removesuffix("元")
    if not raw:
        return None
    return float(raw) if "." in raw else int(raw)


def expected_requests(era: Era, blank: bool = False) -> Expected:
    return {
        (line.key or "", applicant): _number(value)
        for line in request_lines(era, blank)
        for applicant, value in zip(APPLICANTS, line.values, strict=True)
    }


def expected_review(blank: bool = False) -> Expected:
    return {(key, "total"): None if blank else v for key, v in zip(_REVIEW_KEYS, REVIEW_VALUES, strict=True)}


def expected_active(era: Era, small: bool = False) -> Expected:
    return {
        (key, "total"): _number(value)
        for _, _, rows in active_blocks(era, small)
        for _, values, keys in rows
        for key, value in zip(keys, values, strict=True)
        if key
    }


def cell_values(table) -> Expected:  # type: ignore[no-untyped-def]
    """(key, applicant) → value of the keyed cells of a parsed Table."""
    return {(c.key, c.applicant): c.value for c in table.cells if c.key}


# ---------------------------------------------------------------- renderers


def _join(style: Style, cells: Sequence[str]) -> str:
    if style == "markdown":
        return "| " + " | ".join(cells) + " |"
    if style == "space_separated":
        return " ".join(c for c in cells if c)
    if style == "glued":
        return "".join(cells)
    if style == "cell_per_line":
        return "\n".join(f"{c} |" if c else "|" for c in cells)
    return " | ".join(cells) + " |"


def join_rows(style: Style, rows: Sequence[Sequence[str]], width: int) -> list[str]:
    lines = []
    for i, cells in enumerate(rows):
        padded = [*cells, *([""] * (width - len(cells)))] if style == "markdown" else list(cells)
        lines.append(_join(style, padded))
        if style == "markdown" and i == 0:
            lines.append("|" + "---|" * width)
    return lines


def render_requests(era: Era, style: Style, blank: bool = False) -> str:
    """表三 flattened in one style (docx repeats merged label cells, docs/flattening.md#docx)."""
    lines = request_lines(era, blank)
    header: list[list[str]]
    if style == "docx":
        header = [[REQUEST_HEADER[0][0]] * 3 + [REQUEST_HEADER[0][1]] * 7]
        header += [[REQUEST_HEADER[0][0]] * 3 + ["自然人"] + ["法人或其他组织"] * 5 + ["总计"]]
        header += [[REQUEST_HEADER[0][0]] * 3 + ["自然人", *REQUEST_HEADER[2], "总计"]]
        body = [[*labels, *line.values] for labels, line in zip(_docx_labels(lines), lines, strict=True)]
    else:
        header = [list(h) for h in REQUEST_HEADER]
        body = [[*line.labels, *line.values] for line in lines]
    if style == "space_separated":
        return pdf_requests(lines)
    return "\n".join(join_rows(style, [*header, *body], 10))


def _docx_labels(lines: Sequence[Line]) -> list[list[str]]:
    """python-docx repeats a merged label in every grid cell it covers (3 label columns)."""
    group = ""
    out = []
    for line in lines:
        first, last = line.labels[0], line.labels[-1]
        if first[0] in "一二四":
            out.append([first] * 3)
        elif last.startswith(("(一)", "(二)", "(七)")):
            out.append([_R, last, last])
        else:
            group = first if len(line.labels) == 2 else group
            out.append([_R, group, last])
    return out


def pdf_requests(lines: Sequence[Line]) -> str:
    """pdftotext shape: vertical split headers, values space-separated, long labels wrapped."""
    out = [
        "(本列数据的勾稽关系为:第一项加第二项之和,",
        "等于第三项加第四项之和)",
        "申请人情况",
        "自然人 法人或其他组织 总计",
        "商业 科研 社会公 法律服 其他",
        "企业 机构 益组织 务机构",
    ]
    for line in lines:
        label = " ".join(line.labels)
        values = " ".join(line.values)
        if line.labels[0] == _R:
            out.append(_R)
            label = line.labels[1]
        if len(label) > 30:  # wrap like a narrow PDF column, values on the first line
            out += [f"{label[:16]} {values}".rstrip(), label[16:]]
        else:
            out.append(f"{label} {values}".rstrip())
    return "\n".join(out)


def render_review(style: Style, blank: bool = False) -> str:
    """表四: three header rows then one 15-value row."""
    values = ("",) * 15 if blank else tuple(str(v) for v in REVIEW_VALUES)
    if style == "space_separated":
        out = [
            "行政复议 行政诉讼",
            "未经复议直接起诉 复议后起诉",
            "结果 结果 其他 尚未 总",
            "维持 纠正 结果 审结 计 结果 结果 其他 尚未 总 结果 结果 其他 尚未 总",
            "维持 纠正 结果 审结 计 维持 纠正 结果 审结 计",
        ]
        return "\n".join([*out, " ".join(values)])
    if style == "glued":
        return "行政复议行政诉讼\n未经复议直接起诉复议后起诉\n" + "".join(_OUTCOME_WORDS) * 3 + "\n" + "".join(values)
    if style == "docx":
        header = [
            ["行政复议"] * 5 + ["行政诉讼"] * 10,
            [*_OUTCOME_WORDS] + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5,
            [*_OUTCOME_WORDS] * 3,
        ]
    else:
        header = [["行政复议", "行政诉讼"], ["未经复议直接起诉", "复议后起诉"], [*_OUTCOME_WORDS] * 3]
    return "\n".join(join_rows(style, [*header, list(values)], 15))


def render_active(era: Era, style: Style, small: bool = False, blank: bool = False) -> str:
    """表二: block header rows, column headers, then data rows per block (`blank`: the empty template)."""
    rows: list[list[str]] = []
    for head, columns, filled in active_blocks(era, small):
        data = [(label, ("",) * len(values) if blank else values, keys) for label, values, keys in filled]
        if style == "docx":
            rows += [[head] * 4, ["信息内容", *columns] + [columns[-1]] * (3 - len(columns))]
            rows += [[label, *values] + [values[-1]] * (3 - len(values)) for label, values, _ in data]
        else:
            rows += [[head], ["信息内容", *columns]]
            rows += [[label, *values] for label, values, _ in data]
    if style == "cell_per_line":
        return "\n".join(_cells_shidz(rows))
    return "\n".join(join_rows(style, rows, 4))


def _cells_shidz(rows: Sequence[Sequence[str]]) -> list[str]:
    """shidz 2022 shape: one cell per line, colspan padding as `||` after the spanning cell."""
    out = []
    for cells in rows:
        for i, cell in enumerate(cells):
            pad = " " + "|" * (4 - len(cells)) if i == len(cells) - 1 and len(cells) < 4 else ""
            out.append(f"{cell} |{pad}" if cell else f"|{pad}")
    return out


Renderer = Callable[[Era, Style], str]
