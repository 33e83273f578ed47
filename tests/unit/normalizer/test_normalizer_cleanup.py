"""Text normalization rules: script, widths, enumerators, chrome, glued dates."""

from __future__ import annotations

import pytest

from services.normalizer.cleanup import clean_text, repair_glued_dates


def test_taiwan_phrases_are_converted_at_phrase_level() -> None:
    cleaned = clean_text("市政府印發了多項檔案,通過網路和入口網站公開,並建立健全查詢制度,完善應用程式。")
    assert cleaned.text == "市政府印发了多项文件,通过网络和门户网站公开,并建立健全查询制度,完善应用程序。"
    assert cleaned.script == "traditional"
    assert "tw2sp" in cleaned.warnings[0]


def test_plain_traditional_uses_t2s_and_keeps_archives() -> None:
    cleaned = clean_text("本年度共收到依申請公開申請66件,均已按時辦結,市檔案館設立了查閱點。")
    assert cleaned.text == "本年度共收到依申请公开申请66件,均已按时办结,市档案馆设立了查阅点。"
    assert cleaned.script == "traditional"


def test_simplified_text_is_left_alone() -> None:
    text = "本年度共收到依申请公开申请66件,著作权相关申请2件。"
    assert clean_text(text).text == text
    assert clean_text(text).script == "simplified"


def test_full_width_folding_keeps_chinese_punctuation() -> None:
    cleaned = clean_text("（一）主动公开：共１２３条；比例１００％，《条例》“五公开”。〔２０１８〕")
    assert cleaned.text == "(一)主动公开:共123条;比例100%,《条例》“五公开”。〔2018〕"


@pytest.mark.parametrize("enumerated", ["①12件", "⑴12件", "⒈12件", "㈠12件"])
def test_enumerators_never_become_digits(enumerated: str) -> None:
    assert clean_text(f"{enumerated}已办结").text == f"{enumerated}已办结"


def test_kangxi_radicals_and_spaces() -> None:
    raw = "\u3000\u3000⼀、概述\xa0\xa0 \n\n\n⼆、主动公开⼯作   情况  \n"
    assert clean_text(raw).text == "一、概述\n二、主动公开工作 情况"


def test_chrome_lines_are_dropped_content_kept() -> None:
    raw = "\n".join(
        [
            "• 您好,欢迎来到某某县人民政府门户网站!",
            "您的位置:首页 > 信息公开年报",
            "| 当前位置:首页 |",
            "字号: 大 中 小",
            "某某县2018年政府信息公开工作年度报告",
            "一、概述 本年度共收到申请5件,网站浏览次数:8000次。",
            "责任编辑:马洁",
            "| 分享到: |",
            "| [ 打印本页 | 关闭窗口 ] |",
            "扫一扫在手机打开当前页",
            "|",
        ]
    )
    cleaned = clean_text(raw)
    assert cleaned.text == "某某县2018年政府信息公开工作年度报告\n一、概述 本年度共收到申请5件,网站浏览次数:8000次。"
    assert "责任编辑:马洁" in cleaned.removed


def test_wiki_infobox_is_removed_but_kept_for_metadata() -> None:
    infobox = ["基本介紹", "  • 中文名:崑山市2009年報告", "  • 發布單位:崑山市政府"]
    raw = "\n".join(["崑山市2009年政府信息公開工作年度報告", *infobox, "正文開始。", "相關詞條", "熱門詞條"])
    cleaned = clean_text(raw)
    assert cleaned.text == "昆山市2009年政府信息公开工作年度报告\n正文开始。"
    assert "• 发布单位:昆山市政府" in cleaned.removed


def test_seo_pinyin_injections_are_stripped_only_when_recurring() -> None:
    assert clean_text("政(zheng)(zheng)府(fu)信息公开,人民(mín)群众").text == "政府信息公开,人民群众"
    assert clean_text("开通移动客户端(app)一个").text == "开通移动客户端(app)一个"


def test_glued_dates_are_repaired_when_unambiguous() -> None:
    text, warnings = repair_glued_dates(
        "统计期限自201911日起至20191231日止,依据裕政〔201510号,于2020119日发布,20191月起"
    )
    assert text == ("统计期限自2019年1月1日起至2019年12月31日止,依据裕政〔2015〕10号,于2020119日发布,2019年1月起")
    assert warnings == ["ambiguous glued date left as is: 2020119日"]


def test_normal_dates_are_untouched() -> None:
    text = "自2018年1月1日起至2018年12月31日止,〔2018〕94号,电话0932-8228865"
    assert repair_glued_dates(text) == (text, [])


CRAWLED_ONE_LINE = "\n".join(
    [
        "标题: 松涛区2030年政府信息公开工作年度报告",
        "发布时间: 2031-02-10 00:00",
        "==================== 正文 ====================",
        "当前位置： 首页政务公开年报 松涛区2030年政府信息公开工作年度报告 来源：松涛区人民政府 "
        "一、概述 2030年，全区主动公开政府信息812条。二、依申请公开情况 2030年全区共收到政府信息公开申请9件，"
        "均已按时答复。三、行政复议、行政诉讼情况 2030年全区未发生政府信息公开行政复议、行政诉讼案件。",
    ]
)


def test_breadcrumb_prefix_of_a_one_line_body_is_trimmed_not_the_body() -> None:
    cleaned = clean_text(CRAWLED_ONE_LINE)
    body = cleaned.text.splitlines()[-1]
    assert cleaned.text.splitlines()[-2] == "松涛区2030年政府信息公开工作年度报告"
    assert body.startswith("一、概述 2030年,全区主动公开政府信息812条。")
    assert body.endswith("未发生政府信息公开行政复议、行政诉讼案件。")
    assert "当前位置" not in cleaned.text and "来源" not in cleaned.text
    assert any("来源:松涛区人民政府" in r for r in cleaned.removed)  # kept as context, never as body


@pytest.mark.parametrize(
    "prefix",
    [
        "您的位置 : 首页 > 政务公开 > 政府信息公开年报 > ",
        "分享到: 微信 微博 QQ空间 ",
        "全真版 文字版 字号: 大 中 小 打印 关闭 ",
        "来源:望川县人民政府办公室 时间:2031-01-20 09:30 浏览次数:203 ",
        "【 打印本页 】【 关闭窗口 】 ",
    ],
)
def test_chrome_prefixes_of_long_lines_are_stripped(prefix: str) -> None:
    body = "一、总体情况 2030年,望川县共主动公开政府信息1200条,收到政府信息公开申请15件,全部按期答复。"
    assert clean_text(prefix + body).text == body


def test_short_chrome_lines_go_whole_but_long_lines_never() -> None:
    long_line = "责任编辑:李明 " + "本年度全县主动公开政府信息1200条,其中通过门户网站公开960条。" * 2
    assert clean_text("责任编辑:李明").text == ""
    assert clean_text(long_line).text == long_line


def test_cleanup_warns_when_it_removes_a_large_share() -> None:
    chrome = "\n".join(["您的位置:首页 > 政务公开 > 年报", "分享到: 微信 微博", "【 打印本页 】【 关闭窗口 】"] * 4)
    cleaned = clean_text(chrome + "\n一、概述 全年公开政府信息12条。")
    assert any("cleanup removed" in w for w in cleaned.warnings)
    assert not any("cleanup removed" in w for w in clean_text(CRAWLED_ONE_LINE).warnings)


def test_table_rows_whose_label_is_a_share_word_are_kept() -> None:
    rows = "政务新媒体 | 发布条数 |\n微信 | 310 |\n微博 | 660 |"
    assert clean_text(rows).text == rows


def test_one_line_body_with_a_table_still_loses_its_breadcrumb() -> None:
    line = "当前位置:首页 > 年报 一、总体情况 全县公开政府信息1200条。规章 | 3 | 0 | 12 | 二、其他事项 无。"
    assert clean_text(line).text == line.removeprefix("当前位置:首页 > 年报 ")
