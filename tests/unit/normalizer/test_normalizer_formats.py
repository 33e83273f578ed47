"""Each input format reaches the same flattened text; bad input fails with a readable reason."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from services.normalizer.transform import normalize
from shared.failures import PermanentError
from tests.unit.normalizer.pdf_builder import build_pdf, grid, page_stream

REPORT = "根据《条例》规定,现公布某某县人民政府2018年政府信息公开工作年度报告。"

HTML = f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>2018年某某县政府信息公开工作年度报告_某某县人民政府</title><style>p {{color: red}}</style></head>
<body><div class="nav">首页 &gt; 信息公开 &gt; 年报</div><ul class="menu"><li>机构概况</li><li>政策文件</li></ul>
<div class="info">发布日期:2019-03-11 浏览次数:12</div>
<div class="TRS_Editor"><p>{REPORT}</p><p>一、概述&nbsp;&nbsp;&nbsp;</p>
<table><tr><td rowspan="2">信息内容</td><td>本年制发件数</td><td>本年废止件数</td></tr>
<tr><td>规章</td><td>3</td><td></td></tr><tr><td>商业<br>企业</td><td>5</td><td>0</td></tr></table>
<p>[ 打印本页 | 关闭窗口 ]</p></div><div class="footer">版权所有:某某县人民政府 备案号</div></body></html>"""


def test_html_takes_cms_container_and_flattens_tables() -> None:
    doc = normalize(HTML.encode("gbk"), "report.html")
    assert doc.source_format == "html"
    assert doc.text.splitlines() == [
        "2018年某某县政府信息公开工作年度报告",  # <title> minus site name: outside the container
        REPORT,
        "一、概述",
        "信息内容 | 本年制发件数 | 本年废止件数 |",
        "规章 | 3 | |",
        "商业 企业 | 5 | 0 |",
    ]
    assert doc.metadata.published_on.isoformat() == "2019-03-11"  # read from page chrome
    assert doc.metadata.era == "fmt2021"


def test_html_without_known_container_uses_densest_block() -> None:
    page = (
        "<html><body><div><a>首页</a><a>新闻</a></div>"
        f"<div><p>{REPORT * 3}</p><p>二、主动公开情况</p></div><div>联系我们 网站地图</div></body></html>"
    )
    doc = normalize(page.encode(), "page.htm")
    assert doc.text.splitlines() == [REPORT * 3, "二、主动公开情况"]


def test_markup_saved_as_txt_is_read_as_html() -> None:
    assert normalize(f"<html><body><p>{REPORT}</p></body></html>".encode(), "a.txt").source_format == "html"


def _table_pdf() -> bytes:
    texts = [
        (50, 350, "Annual report 2018"),
        (55, 286, "Item"), (175, 286, "Issued"), (235, 286, "Repealed"),
        (55, 266, "Rules"), (175, 266, "3"), (235, 266, "0"),
        (55, 246, "Normative docs"), (175, 246, "12"), (235, 246, "1"),
        (50, 200, "Text after the table."), (195, 30, "- 1 -"),
    ]  # fmt: skip
    second = page_stream([(50, 350, "Second page text."), (50, 30, "Page 2 of 2")])
    return build_pdf([page_stream(texts, grid(50, 300, [120, 60, 60], 3)), second])


def test_pdf_rows_in_reading_order_and_page_numbers_dropped() -> None:
    doc = normalize(_table_pdf(), "report.pdf")
    assert doc.source_format == "pdf"
    assert doc.text.splitlines() == [
        "Annual report 2018",
        "Item | Issued | Repealed |",
        "Rules | 3 | 0 |",
        "Normative docs | 12 | 1 |",
        "Text after the table.",
        "Second page text.",
    ]


def test_pdf_without_text_needs_ocr() -> None:
    scanned = build_pdf([page_stream([], [(10, 10, 300, 300)])])
    with pytest.raises(PermanentError, match="scanned PDF, needs OCR"):
        normalize(scanned, "scan.pdf")


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("2018年某某县政府信息公开工作年度报告")
    document.add_paragraph("一、概述")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "第二十条第（一）项"
    label = table.cell(1, 0).merge(table.cell(2, 0))
    label.text = "三、本年度办理结果"
    for row, (name, value) in enumerate([("（一）予以公开", "３"), ("（二）部分公开", "1")], start=1):
        table.cell(row, 1).text = name
        table.cell(row, 2).text = value
    document.add_paragraph("二、结语")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_body_in_order_with_merged_cells_once() -> None:
    doc = normalize(_docx_bytes(), "report.docx")
    assert doc.source_format == "docx"
    assert doc.text.splitlines() == [
        "2018年某某县政府信息公开工作年度报告",
        "一、概述",
        "第二十条第(一)项 |",
        "三、本年度办理结果 | (一)予以公开 | 3 |",
        "(二)部分公开 | 1 |",
        "二、结语",
    ]


@pytest.mark.parametrize(
    ("encoding", "source"),
    [
        ("gbk", "本年度报告由某某县人民政府办公室编制,统计期限自2018年1月1日起至2018年12月31日止。"),
        ("gb18030", "本年度报告由某某县人民政府办公室编制,涉及䶮字等扩展汉字,统计期限自2018年1月1日起。"),
        ("utf-16", "本年度报告由某某县人民政府办公室编制,统计期限自2018年1月1日起至2018年12月31日止。"),
        ("utf-8-sig", "本年度报告由某某县人民政府办公室编制,统计期限自2018年1月1日起至2018年12月31日止。"),
    ],
)
def test_text_encodings(encoding: str, source: str) -> None:
    doc = normalize(source.encode(encoding), "report.txt")
    assert doc.text == source
    assert doc.metadata.year == 2018


def test_big5_text_is_decoded_and_converted() -> None:
    source = "本年度報告根據《中華人民共和國政府信息公開條例》編制,全文包括概述、主動公開政府信息情況、依申請公開情況。"
    doc = normalize(source.encode("big5"), "report.txt")
    assert (
        doc.text
        == "本年度报告根据《中华人民共和国政府信息公开条例》编制,全文包括概述、主动公开政府信息情况、依申请公开情况。"
    )
    assert doc.metadata.script == "traditional"


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "filename", "reason"),
    [
        (b"", "a.txt", "empty file (0 bytes)"),
        (b" \r\n\t \n", "a.html", "only whitespace"),
        (b"\x00\x01\x02\x03binary\x00\x00\x05\x06" * 20, "a.bin", "binary data"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "scan.png", "PNG image"),
        (_zip(["a.txt", "b.csv"]), "report.zip", "ZIP archive (not a DOCX report)"),
        (_zip(["xl/workbook.xml"]), "report.xlsx", "XLSX spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "report.doc", "legacy Microsoft Office"),
        (b"report \xff\x80\xff\x80 data " * 20, "report.txt", "cannot decode the text"),
        (b"%PDF-1.4\nnot really a pdf", "report.pdf", "PDF cannot be read"),
        (b"<html><body><script>x()</script></body></html>", "a.html", "no text content"),
    ],
)
def test_bad_input_is_permanent_with_reason(content: bytes, filename: str, reason: str) -> None:
    with pytest.raises(PermanentError) as failure:
        normalize(content, filename)
    assert reason in failure.value.reason


def test_doc_reason_names_the_fix() -> None:
    with pytest.raises(PermanentError, match=r"\.doc.*save it as DOCX or PDF"):
        normalize(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "report.doc")


def test_size_limits_are_configurable() -> None:
    with pytest.raises(PermanentError, match="exceeds the 0 MiB limit"):
        normalize(REPORT.encode() * 10, "a.txt", max_bytes=100)
    with pytest.raises(PermanentError, match="characters of text exceed the 50 limit"):
        normalize(REPORT.encode() * 10, "a.txt", max_chars=50)


def test_layout_tables_are_walked_and_inner_data_table_flattened() -> None:
    page = (
        "<html><body><table><tr><td>当前位置:首页</td></tr><tr><td><table><tr><td>"
        f"<p>{REPORT * 3}</p><p>一、总体情况</p>"
        "<table><tr><td colspan=2>第二十条第（一）项</td></tr><tr><td>规章</td><td>0</td></tr></table>"
        "<p>责任编辑:马洁</p></td></tr></table></td></tr><tr><td>版权所有</td></tr></table></body></html>"
    )
    doc = normalize(page.encode(), "layout.html")
    assert doc.text.splitlines() == [REPORT * 3, "一、总体情况", "第二十条第(一)项 |", "规章 | 0 |"]


def test_docx_with_broken_xml_is_permanent() -> None:
    broken = _zip(["[Content_Types].xml", "word/document.xml"])  # both parts hold just "x"
    with pytest.raises(PermanentError, match="DOCX cannot be read"):
        normalize(broken, "broken.docx")


_JS_REPORT = (
    r"<p style=\"text-align: center;\">2030年鹿鸣市人民政府办公厅政府信息公开工作年度报告</p>"
    r"<p>本报告数据统计期限为2030年1月1日至12月31日。</p><p>一、总体情况</p><p>(一)主动公开方面</p>"
    r"<p>2030年,主动公开行政规范性文件18件。</p><p>(二)依申请公开方面</p><p>共受理政府信息公开申请75件,不予公开6件。</p>"
    r"<p>四、政府信息公开行政复议、行政诉讼情况</p><table><tr><td colspan=\"5\">行政复议</td>"
    r"<td colspan=\"10\">行政诉讼</td></tr><tr><td style=\"width:36px;\"><p>3<\/p></td>"
    r"<td style=\"width:52px;\">0</td><td>0</td><td>1</td><td>\u0034</td></tr></table>"
)


def _js_page(filler_lines: int) -> bytes:
    filler = "\n".join(f'let filler{i} = [{{"id": {i}, "name": "栏目{i}", "url": "/col/{i}/"}}];' for i in range(120))
    return f'{filler[: filler_lines * 60]}\nlet content = "{_JS_REPORT}";\nrender(content);\n'.encode()


def test_html_inside_a_javascript_string_is_read_as_html() -> None:
    doc = normalize(_js_page(120), "data.js")
    lines = doc.text.splitlines()
    assert doc.source_format == "html"
    assert lines[:3] == [
        "2030年鹿鸣市人民政府办公厅政府信息公开工作年度报告",
        "本报告数据统计期限为2030年1月1日至12月31日。",
        "一、总体情况",
    ]
    assert "四、政府信息公开行政复议、行政诉讼情况" in lines
    assert "3 | 0 | 0 | 1 | 4 |" in lines
    assert not any(s in doc.text for s in ("width", "px", "<", "\\", "filler"))
    assert (doc.metadata.year, doc.metadata.admin_level) == (2030, "province")  # a 办公厅 reports for its government


def test_markup_far_down_a_text_file_is_sniffed() -> None:
    text = "说明文字\n" * 1500 + "<div><p>一、总体情况</p><p>全年公开政府信息12条。</p><p>二、其他</p></div>"
    doc = normalize(text.encode(), "page.txt")
    assert doc.source_format == "html"
    assert "<p>" not in doc.text


def test_html_page_with_ordinary_scripts_keeps_its_body() -> None:
    page = (
        '<html><body><script>var menu = "<li>首页</li>";</script><div class="TRS_Editor"><p>'
        + REPORT
        + '</p><p class="x">一、概述</p><p>全年公开政府信息12条。</p></div></body></html>'
    )
    assert normalize(page.encode(), "page.html").text.splitlines() == [REPORT, "一、概述", "全年公开政府信息12条。"]


def test_pdf_prose_inside_a_ruled_frame_is_text_not_rows() -> None:
    prose = [
        (55, 286, "The office compiled this annual report under the regulation."),
        (55, 266, "Done."),
        (55, 246, "Item"), (175, 246, "Issued"),
        (55, 226, "Rules"), (175, 226, "3"),
    ]  # fmt: skip
    frame = grid(50, 300, [300], 2) + grid(50, 260, [120, 180], 2)
    doc = normalize(build_pdf([page_stream(prose, frame)]), "framed.pdf")
    assert doc.text.splitlines() == [
        "The office compiled this annual report under the regulation.",
        "Done.",
        "Item | Issued |",
        "Rules | 3 |",
    ]


def test_json_with_unicode_escaped_markup_is_read_as_html() -> None:
    markup = "".join(f"<p>{line}</p>" for line in [REPORT, "一、概述", "全年公开政府信息12条。"])
    escaped = markup.replace("<", "\\u003c").replace(">", "\\u003e")
    doc = normalize(f'{{"code": 0, "data": {{"title": "年报", "content": "{escaped}"}}}}'.encode(), "api.json")
    assert doc.source_format == "html"
    assert doc.text.splitlines() == [REPORT, "一、概述", "全年公开政府信息12条。"]


CHROME = """<html><head><title>某某县人民政府</title></head><body><div class="nav">首页 &gt; 信息公开 &gt; 年报</div>
<ul class="menu"><li>机构概况</li><li>政策文件</li><li>政府信息公开年报</li></ul><div class="TRS_Editor">{body}</div>
<div class="footer">版权所有:某某县人民政府 地址:某某路1号 电话:0591-12345678 邮编:350000 备案号:闽ICP备00000000号
网站标识码:3500000001</div></body></html>"""


@pytest.mark.parametrize(
    "body",
    [
        "",
        "<div>用户名 密码 登录</div>",
        "<div>页面不存在</div>",
    ],
)
def test_web_page_of_chrome_only_is_refused_as_not_a_report(body: str) -> None:
    with pytest.raises(PermanentError) as failure:
        normalize(CHROME.format(body=body).encode(), "2021年报.html")
    assert failure.value.reason.startswith("not a report: the web page holds no sentence and no table")


@pytest.mark.parametrize(
    "body",
    [
        # one short sentence of prose is a body
        "<p>发布日期:2024-01-28 来源:某某县人民政府办公室 浏览次数:12</p><p>2023年,我局全年主动公开政府信息50条。</p>",
        "<table>"
        + "".join(f"<tr><td>第{n}项申请数量</td><td>{n}</td><td>{n * 2}</td></tr>" for n in range(9))
        + "</table>",
    ],
)
def test_web_page_with_prose_or_a_table_is_a_report(body: str) -> None:
    assert normalize(CHROME.format(body=body).encode(), "2021年报.html").source_format == "html"


def test_pdf_or_text_without_prose_is_not_second_guessed() -> None:
    """The body check is for crawler-saved pages; an authored file of short lines is still read."""
    assert normalize("机构概况\n政策文件\n".encode(), "notes.txt").text == "机构概况\n政策文件"
