"""A Chinese PDF with a ruled table, generated here (reportlab's built-in STSong CID font), end to end."""

from __future__ import annotations

import io

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from services.metric_extractor.transform import extract_metrics
from services.normalizer.transform import normalize
from services.section_splitter.transform import split_sections

ROWS = [
    ["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
    ["一、本年新收政府信息公开申请数量", "50", "5", "0", "0", "1", "0", "56"],
    ["二、上年结转政府信息公开申请数量", "2", "0", "0", "0", "0", "0", "2"],
]


def chinese_pdf() -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont("STSong-Light", 10)
    lines = [
        "某县人民政府2021年政府信息公开工作年度报告",
        "本报告所列数据统计期限为2021年1月1日至12月31日。",
        "三、收到和处理政府信息公开申请情况",
    ]
    y = 800
    for line in lines:
        page.drawString(40, y, line)
        y -= 20
    widths = [190, 40, 45, 45, 60, 60, 30, 30]
    for row in ROWS:  # a ruled table, as government PDFs print it
        x = 30
        for width, cell in zip(widths, row, strict=True):
            page.rect(x, y - 6, width, 18)
            page.drawString(x + 2, y, cell)
            x += width
        y -= 18
    page.drawString(290, 40, "- 1 -")
    page.save()
    return buffer.getvalue()


def test_chinese_pdf_text_table_and_facts() -> None:
    document = normalize(chinese_pdf(), "年报.pdf")
    assert document.source_format == "pdf"
    assert document.metadata.year == 2021
    assert "一、本年新收政府信息公开申请数量 | 50 | 5 | 0 | 0 | 1 | 0 | 56 |" in document.text
    assert "- 1 -" not in document.text  # page-number chrome dropped
    facts = {(f.key, f.applicant): f.value for f in extract_metrics(split_sections(document)).metrics}
    assert facts[("requests.new", "total")] == 56
    assert facts[("requests.new", "natural_person")] == 50
