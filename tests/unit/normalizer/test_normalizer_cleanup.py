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
