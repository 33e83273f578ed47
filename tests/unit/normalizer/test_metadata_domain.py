"""Metadata across the shapes of real reports (docs/metadata.md): every level, many provinces, zones,
departments, year placements and page furniture. Bodies are invented; place names are real GB/T 2260
names (or invented ones where the rule is about an unknown place).

Each case is `(text, issuer, region, province, admin_level, year)`. Where a field cannot be known from
the text, the expected value is None: a wrong region is worse than none. Besides the hand-written
shapes, every division of the table is put through the common title shapes, so that no rule can be
fitted to the few places the development corpus holds.
"""

from __future__ import annotations

import pytest

from services.normalizer import divisions
from services.normalizer.metadata import extract_metadata
from services.normalizer.transform import normalize

_PERIOD = "本报告中所列数据的统计期限自{0}年1月1日起至{0}年12月31日止。"
_Fields = tuple[str | None, str | None, str | None, str | None, int | None]


def _report(title: str, body: str = "", year: int = 2023) -> str:
    """A title line, an intro with the period sentence and a first chapter."""
    return f"{title}\n{body}{_PERIOD.format(year)}\n一、总体情况\n全年主动公开政府信息120条。"


def _fields(text: str, context: str = "") -> _Fields:
    meta, _ = extract_metadata(text, "simplified", context)
    return meta.issuer, meta.region, meta.province, meta.admin_level, meta.year


PROVINCE_LEVEL = [
    (_report("浙江省人民政府2023年政府信息公开工作年度报告"), ("浙江省人民政府", "浙江省", "浙江省", "province", 2023)),
    (
        _report("广西壮族自治区人民政府2023年政府信息公开工作年度报告"),
        ("广西壮族自治区人民政府", "广西壮族自治区", "广西壮族自治区", "province", 2023),
    ),
    (_report("上海市2023年政府信息公开工作年度报告"), ("上海市人民政府", "上海市", "上海市", "province", 2023)),
    (_report("重庆市人民政府2023年政府信息公开工作年度报告"), ("重庆市人民政府", "重庆市", "重庆市", "province", 2023)),
    (_report("浙江省教育厅2023年政府信息公开工作年度报告"), ("浙江省教育厅", "浙江省", "浙江省", "department", 2023)),
    (
        _report("2023年内蒙古自治区发展和改革委员会政府信息公开工作年度报告"),
        ("内蒙古自治区发展和改革委员会", "内蒙古自治区", "内蒙古自治区", "department", 2023),
    ),
    (
        _report("2019年上海市人民政府办公厅政府信息公开工作年度报告", year=2019),
        ("上海市人民政府办公厅", "上海市", "上海市", "province", 2019),
    ),
    (
        _report("北京市生态环境局2023年政府信息公开工作年度报告"),
        ("北京市生态环境局", "北京市", "北京市", "department", 2023),
    ),
]

CITY_LEVEL = [
    (
        _report("威海市人民政府2022年政府信息公开工作年度报告", year=2022),
        ("威海市人民政府", "威海市", "山东省", "city", 2022),
    ),
    (_report("广元市2024年政府信息公开工作年度报告", year=2024), ("广元市人民政府", "广元市", "四川省", "city", 2024)),
    (
        _report("山东省威海市人民政府2022年政府信息公开工作年度报告", year=2022),
        ("山东省威海市人民政府", "威海市", "山东省", "city", 2022),
    ),
    (
        _report("六安市人民政府2015年政府信息公开工作年度报告", year=2015),
        ("六安市人民政府", "六安市", "安徽省", "city", 2015),
    ),
    (
        _report("锡林郭勒盟行政公署2023年政府信息公开工作年度报告"),
        ("锡林郭勒盟行政公署", "锡林郭勒盟", "内蒙古自治区", "city", 2023),
    ),
    (_report("阿里地区行署2023年政府信息公开工作年度报告"), ("阿里地区行署", "阿里地区", "西藏自治区", "city", 2023)),
    (
        _report("甘孜藏族自治州人民政府2023年政府信息公开工作年度报告"),
        ("甘孜藏族自治州人民政府", "甘孜藏族自治州", "四川省", "city", 2023),
    ),
    (_report("衡阳市2019年政府信息公开工作年度报告", year=2019), ("衡阳市人民政府", "衡阳市", "湖南省", "city", 2019)),
]

COUNTY_LEVEL = [
    (
        _report("南京市秦淮区人民政府2014年政府信息公开工作年度报告", year=2014),
        ("南京市秦淮区人民政府", "秦淮区", "江苏省", "county", 2014),
    ),
    (
        _report("福州市晋安区2016年政府信息公开工作年度报告", year=2016),
        ("福州市晋安区人民政府", "晋安区", "福建省", "county", 2016),
    ),
    (
        _report("深圳市龙岗区人民政府2024年政府信息公开工作年度报告", year=2024),
        ("深圳市龙岗区人民政府", "龙岗区", "广东省", "county", 2024),
    ),
    (
        _report("吉林市龙潭区2017年政府信息公开工作年度报告", year=2017),
        ("吉林市龙潭区人民政府", "龙潭区", "吉林省", "county", 2017),
    ),
    (
        _report("济南市历下区人民政府2022年政府信息公开工作年度报告", year=2022),
        ("济南市历下区人民政府", "历下区", "山东省", "county", 2022),
    ),
    (_report("昆山市人民政府2023年政府信息公开工作年度报告"), ("昆山市人民政府", "昆山市", "江苏省", "county", 2023)),
    (
        _report("长白朝鲜族自治县人民政府2023年政府信息公开工作年度报告"),
        ("长白朝鲜族自治县人民政府", "长白朝鲜族自治县", "吉林省", "county", 2023),
    ),
    (
        _report("莫力达瓦达斡尔族自治旗人民政府2023年政府信息公开工作年度报告"),
        ("莫力达瓦达斡尔族自治旗人民政府", "莫力达瓦达斡尔族自治旗", "内蒙古自治区", "county", 2023),
    ),
    (
        _report("神农架林区人民政府2023年政府信息公开工作年度报告"),
        ("神农架林区人民政府", "神农架林区", "湖北省", "county", 2023),
    ),
    (
        _report("六枝特区人民政府2023年政府信息公开工作年度报告"),
        ("六枝特区人民政府", "六枝特区", "贵州省", "county", 2023),
    ),
    # a province or city by its short name before one of its divisions
    (
        _report("天津滨海新区2023年政府信息公开工作年度报告"),
        ("天津滨海新区人民政府", "滨海新区", "天津市", "county", 2023),
    ),
    (
        _report("江苏南京市秦淮区人民政府2014年政府信息公开工作年度报告", year=2014),
        ("江苏南京市秦淮区人民政府", "秦淮区", "江苏省", "county", 2014),
    ),
    (_report("仙桃市人民政府2023年政府信息公开工作年度报告"), ("仙桃市人民政府", "仙桃市", "湖北省", "county", 2023)),
    (
        _report("北京市密云县人民政府2012年政府信息公开工作年度报告", year=2012),
        ("北京市密云县人民政府", "密云县", "北京市", "county", 2012),
    ),
    (
        _report("上海市浦东新区2023年政府信息公开工作年度报告"),
        ("上海市浦东新区人民政府", "浦东新区", "上海市", "county", 2023),
    ),
    (
        _report("江苏省南京市秦淮区人民政府2014年政府信息公开工作年度报告", year=2014),
        ("江苏省南京市秦淮区人民政府", "秦淮区", "江苏省", "county", 2014),
    ),
    (_report("望川县人民政府2023年政府信息公开工作年度报告"), ("望川县人民政府", "望川县", None, "county", 2023)),
    (
        _report("望川县人民政府2023年政府信息公开工作年度报告", "按照浙江省统一部署,"),
        ("望川县人民政府", "望川县", "浙江省", "county", 2023),
    ),
]

TOWNSHIP_LEVEL = [
    (
        _report("南京市秦淮区夫子庙街道办事处2023年政府信息公开工作年度报告"),
        ("南京市秦淮区夫子庙街道办事处", "夫子庙街道", "江苏省", "township", 2023),
    ),
    (
        _report("南京市秦淮区夫子庙街道2023年政府信息公开工作年度报告"),
        ("南京市秦淮区夫子庙街道办事处", "夫子庙街道", "江苏省", "township", 2023),
    ),
    (
        _report("望川县青石乡人民政府2023年政府信息公开工作年度报告"),
        ("望川县青石乡人民政府", "青石乡", None, "township", 2023),
    ),
    (_report("青石镇人民政府2023年政府信息公开工作年度报告"), ("青石镇人民政府", "青石镇", None, "township", 2023)),
    (_report("2023年青石镇政府信息公开工作年度报告"), ("青石镇人民政府", "青石镇", None, "township", 2023)),
    (
        _report("鄂托克旗阿尔巴斯苏木2023年政府信息公开工作年度报告"),
        ("鄂托克旗阿尔巴斯苏木人民政府", "阿尔巴斯苏木", "内蒙古自治区", "township", 2023),
    ),
    (
        _report("临湖县青石回族乡人民政府2023年政府信息公开工作年度报告"),
        ("临湖县青石回族乡人民政府", "青石回族乡", None, "township", 2023),
    ),
    (_report("望川街道办事处2023年政府信息公开工作年度报告"), ("望川街道办事处", "望川街道", None, "township", 2023)),
]

DEPARTMENTS = [
    (
        _report("南京市生态环境局2023年政府信息公开工作年度报告"),
        ("南京市生态环境局", "南京市", "江苏省", "department", 2023),
    ),
    (
        _report("望川县自然资源局2023年政府信息公开工作年度报告"),
        ("望川县自然资源局", "望川县", None, "department", 2023),
    ),
    (
        _report("六安市金安区住房和城乡建设局2023年政府信息公开工作年度报告"),
        ("六安市金安区住房和城乡建设局", "金安区", "安徽省", "department", 2023),
    ),
    (_report("教育部2023年政府信息公开工作年度报告"), ("教育部", None, None, "department", 2023)),
    (_report("国务院办公厅2023年政府信息公开工作年度报告"), ("国务院办公厅", None, None, "department", 2023)),
    (_report("海关总署2023年政府信息公开工作年度报告"), ("海关总署", None, None, "department", 2023)),
    (
        _report("国家税务总局南京市税务局2023年政府信息公开工作年度报告"),
        ("国家税务总局南京市税务局", "南京市", "江苏省", "department", 2023),
    ),
    (
        _report("国家统计局莆田调查队2023年政府信息公开工作年度报告"),
        ("国家统计局莆田调查队", "莆田市", "福建省", "department", 2023),
    ),
    (
        _report("城市管理行政执法局2023年政府信息公开工作年度报告"),
        ("城市管理行政执法局", None, None, "department", 2023),
    ),
    (
        _report("莆田市城市管理局2023年度政府信息公开工作年度报告"),
        ("莆田市城市管理局", "莆田市", "福建省", "department", 2023),
    ),
    (
        _report("定西市教育局关于2023年度政府信息公开工作的报告"),
        ("定西市教育局", "定西市", "甘肃省", "department", 2023),
    ),
    (
        _report("吉林省人民政府国有资产监督管理委员会2023年政府信息公开工作年度报告"),
        ("吉林省人民政府国有资产监督管理委员会", "吉林省", "吉林省", "department", 2023),
    ),
]

ZONES = [
    (
        _report("平潭综合实验区2023年政府信息公开工作年度报告", "本报告由平潭综合实验区管委会办公室编制。"),
        ("平潭综合实验区管委会办公室", "平潭综合实验区", "福建省", "city", 2023),
    ),
    (
        _report("兰州新区管委会2023年政府信息公开工作年度报告"),
        ("兰州新区管委会", "兰州新区", "甘肃省", "city", 2023),
    ),
    (
        _report("南京经济技术开发区管理委员会2023年政府信息公开工作年度报告"),
        ("南京经济技术开发区管理委员会", "南京经济技术开发区", "江苏省", None, 2023),
    ),
    (
        _report("望川市高新区管委会2023年政府信息公开工作年度报告", "按照浙江省统一部署,"),
        ("望川市高新区管委会", "望川市高新区", "浙江省", None, 2023),
    ),
    (
        _report("中国(福建)自由贸易试验区福州片区管理委员会2023年政府信息公开工作年度报告"),
        ("中国(福建)自由贸易试验区福州片区管理委员会", "中国(福建)自由贸易试验区福州片区", "福建省", None, 2023),
    ),
    (
        _report(
            "威海经济技术开发区2023年政府信息公开工作年度报告", "威海经济技术开发区管委会根据山东省要求编制本报告。"
        ),
        ("威海经济技术开发区管委会", "威海经济技术开发区", "山东省", None, 2023),
    ),
    (
        _report("云岭新区管委会经济发展局2023年政府信息公开工作年度报告"),
        ("云岭新区管委会经济发展局", "云岭新区", None, "department", 2023),
    ),
]

YEARS = [
    # the year in other places of the title, or only in the body
    ("望川县人民政府政府信息公开工作2016年度报告\n正文。", ("望川县人民政府", "望川县", None, "county", 2016)),
    ("望川县人民政府信息公开工作2016年度报告\n正文。", ("望川县人民政府", "望川县", None, "county", 2016)),
    ("望川县政府信息公开工作年度报告(2016年)\n正文。", ("望川县人民政府", "望川县", None, "county", 2016)),
    ("二〇一九年度望川县政府信息公开工作年度报告\n正文。", ("望川县人民政府", "望川县", None, "county", 2019)),
    ("望川县二○一九年政府信息公开工作年度报告\n正文。", ("望川县人民政府", "望川县", None, "county", 2019)),
    ("望川县 2019 年 政府信息公开工作年度报告\n正文。", ("望川县人民政府", "望川县", None, "county", 2019)),
    (
        "望川县政府信息公开工作年度报告\n本报告统计期限为二〇一九年一月一日至十二月三十一日。",
        ("望川县人民政府", "望川县", None, "county", 2019),
    ),
    (
        "望川县财政局政府信息公开工作年度报告\n本报告所列数据截至2023年12月31日。",
        ("望川县财政局", "望川县", None, "department", 2023),
    ),
    (
        "望川县财政局政府信息公开工作年度报告\n本报告统计截止时间为2023年12月31日。",
        ("望川县财政局", "望川县", None, "department", 2023),
    ),
    (
        "望川县财政局政府信息公开工作年度报告\n本报告数据统计时段为2023年1月至12月。",
        ("望川县财政局", "望川县", None, "department", 2023),
    ),
    # period and title disagree: the publication date tells which one was copied from last year
    (
        "望川县财政局2023年政府信息公开工作年度报告\n发布日期:2024-01-20\n" + _PERIOD.format(2022),
        ("望川县财政局", "望川县", None, "department", 2023),
    ),
    (
        "望川县财政局2022年政府信息公开工作年度报告\n发布日期:2024-01-20\n" + _PERIOD.format(2023),
        ("望川县财政局", "望川县", None, "department", 2023),
    ),
    (
        "望川县财政局2023年政府信息公开工作年度报告\n" + _PERIOD.format(2022),
        ("望川县财政局", "望川县", None, "department", 2022),
    ),
    (
        "望川县政府信息与政务公开工作年度报告\n" + _PERIOD.format(2023),
        ("望川县人民政府", "望川县", None, "county", 2023),
    ),
    (
        "陇西县人民政府办公室关于陇西县2023年政府信息公开工作年度报告的说明\n陇西县2023年政府信息公开工作年度报告\n正文。",
        ("陇西县人民政府", "陇西县", "甘肃省", "county", 2023),
    ),
    ("关于陇西县2023年政府信息公开工作的报告\n正文。", ("陇西县人民政府", "陇西县", "甘肃省", "county", 2023)),
    (
        "陇西县人民政府办公室关于陇西县2023年政府信息公开工作的报告\n正文。",
        ("陇西县人民政府办公室", "陇西县", "甘肃省", "county", 2023),
    ),
    # the covered year, not the publication year
    (
        "望川县财政局政府信息公开工作年度报告\n发布日期:2024-01-25\n本报告所列数据统计期限为2023年1月1日至12月31日。",
        ("望川县财政局", "望川县", None, "department", 2023),
    ),
    (
        "望川县财政局政府信息公开工作年度报告\n发布日期:2024-01-25\n2023年,我局认真贯彻落实《条例》。",
        ("望川县财政局", "望川县", None, "department", 2023),
    ),
    (
        "望川县财政局2025年政府信息公开工作年度报告\n2024年度我局未收到政府信息公开申请。依据2024年工作要点。",
        ("望川县财政局", "望川县", None, "department", 2025),
    ),
    (
        "望川县财政局政府信息公开工作年度报告\n根据望政办〔2024〕3号文件要求,现将2023年度报告公布如下。",
        ("望川县财政局", "望川县", None, "department", 2023),
    ),
    (
        "望川县财政局政府信息公开工作年度报告\n本年度报告统计时限为2023年1月1日至2023年12月31日,2024年工作打算见第五部分。",
        ("望川县财政局", "望川县", None, "department", 2023),
    ),
    (
        "望川县财政局政府信息公开工作年度报告\n本报告所列数据的统计期限为202311日至20231231日。",
        ("望川县财政局", "望川县", None, "department", 2023),
    ),
    (
        "望川县财政局政府信息公开工作年度报告\n本报告数据统计区间:2023年1月至12月。",
        ("望川县财政局", "望川县", None, "department", 2023),
    ),
]

CHROME = [
    # page chrome naming another body: 来源 / 发布机构 of the parent site
    (
        "来源:浙江省人民政府\n发布机构:浙江省人民政府办公厅\n望川县财政局2023年政府信息公开工作年度报告\n正文。",
        ("望川县财政局", "望川县", "浙江省", "department", 2023),
    ),
    (
        "当前位置:首页 > 信息公开 > 年报\n来源:定西市人民政府\n陇西县人民政府2023年政府信息公开工作年度报告\n正文。",
        ("陇西县人民政府", "陇西县", "甘肃省", "county", 2023),
    ),
    # crawler header lines
    (
        "标题:陇西县2023年政府信息公开工作年度报告\n发布机构:陇西县人民政府办公室\n发布日期:2024-03-20\n正文。",
        ("陇西县人民政府办公室", "陇西县", "甘肃省", "county", 2023),
    ),
    (
        "标题: 2023年度陇西县财政局政府信息公开工作年度报告\n来源: 定西市人民政府网\n正文。",
        ("陇西县财政局", "陇西县", "甘肃省", "department", 2023),
    ),
    # the column's name above the title, as a field or a bare line
    (
        "栏目: 政府信息公开年度报告\n陇西县财政局2023年政府信息公开工作年度报告\n正文。",
        ("陇西县财政局", "陇西县", "甘肃省", "department", 2023),
    ),
    (
        "政府信息公开年报\n陇西县2023年政府信息公开工作年度报告\n正文。",
        ("陇西县人民政府", "陇西县", "甘肃省", "county", 2023),
    ),
    # a PDF cover: issuer, generic title, year, date in numerals
    (
        "陇西县人民政府\n政府信息公开工作年度报告\n(2023年度)\n二〇二四年一月\n正文。",
        ("陇西县人民政府", "陇西县", "甘肃省", "county", 2023),
    ),
    (
        "陇西县 财政局 2023年政府信息公开工作年度报告\n正文。",
        ("陇西县财政局", "陇西县", "甘肃省", "department", 2023),
    ),
    (
        "信息名称:陇西县财政局2023年政府信息公开工作年度报告\n正文。",
        ("陇西县财政局", "陇西县", "甘肃省", "department", 2023),
    ),
    # titles split over lines
    (
        "陇西县人民政府\n2023年政府信息公开\n工作年度报告\n正文。",
        ("陇西县人民政府", "陇西县", "甘肃省", "county", 2023),
    ),
    (
        "2023年度陇西县\n财政局政府信息公开工作年度报告\n正文。",
        ("陇西县财政局", "陇西县", "甘肃省", "department", 2023),
    ),
]

SHARED_NAMES = [
    # a name several provinces share resolves only by the parents the report names
    (
        _report("鼓楼区人民政府2023年政府信息公开工作年度报告", "按照福州市委、市政府的统一部署,"),
        ("鼓楼区人民政府", "鼓楼区", "福建省", "county", 2023),
    ),
    (_report("鼓楼区人民政府2023年政府信息公开工作年度报告"), ("鼓楼区人民政府", "鼓楼区", None, "county", 2023)),
    (
        _report("鼓楼区人民政府2023年政府信息公开工作年度报告", "依据《江苏省政府信息公开规定》,"),
        ("鼓楼区人民政府", "鼓楼区", "江苏省", "county", 2023),
    ),
    (
        _report("朝阳区教育委员会2023年政府信息公开工作年度报告"),
        ("朝阳区教育委员会", "朝阳区", None, "department", 2023),
    ),
    (
        _report("长春市朝阳区人民政府2023年政府信息公开工作年度报告"),
        ("长春市朝阳区人民政府", "朝阳区", "吉林省", "county", 2023),
    ),
    (
        _report("南京市秦淮区人民政府夫子庙街道办事处2023年政府信息公开工作年度报告"),
        ("南京市秦淮区人民政府夫子庙街道办事处", "夫子庙街道", "江苏省", "township", 2023),
    ),
]

SHORT_FORMS = [
    # a title naming the body without its place (`区教育局`) takes the place the report prints
    (
        _report("2023年区教育局政府信息公开工作年度报告", "本报告由南京市秦淮区教育局编制。"),
        ("南京市秦淮区教育局", "秦淮区", "江苏省", "department", 2023),
    ),
    (
        _report("市审计局2023年政府信息公开工作年度报告", "如有疑问请与莆田市审计局办公室联系。"),
        ("莆田市审计局", "莆田市", "福建省", "department", 2023),
    ),
    (
        _report("市科技局2023年政府信息公开工作年度报告", "本报告由莆田市科学技术局编制。"),
        ("莆田市科学技术局", "莆田市", "福建省", "department", 2023),
    ),
    (_report("市审计局2023年政府信息公开工作年度报告"), ("市审计局", None, None, "department", 2023)),
    # no subject at all: the body names the issuer
    (
        _report("2023年政府信息公开工作年度报告", "本报告由威海市环翠区人民政府办公室编制。"),
        ("威海市环翠区人民政府办公室", "环翠区", "山东省", "county", 2023),
    ),
    (
        _report("政府信息公开工作年度报告", "现公布威海市环翠区人民政府2023年政府信息公开工作年度报告。"),
        ("威海市环翠区人民政府", "环翠区", "山东省", "county", 2023),
    ),
]

MORE_ZONES = [
    (
        _report("苏州工业园区管理委员会2023年政府信息公开工作年度报告"),
        ("苏州工业园区管理委员会", "苏州工业园区", "江苏省", None, 2023),
    ),
    (
        _report("中国(上海)自由贸易试验区临港新片区管理委员会2023年政府信息公开工作年度报告"),
        ("中国(上海)自由贸易试验区临港新片区管理委员会", "中国(上海)自由贸易试验区临港新片区", "上海市", None, 2023),
    ),
    (
        _report("望川风景名胜区管理委员会2023年政府信息公开工作年度报告"),
        ("望川风景名胜区管理委员会", "望川风景名胜区", None, None, 2023),
    ),
    (
        _report("郑州航空港经济综合实验区管理委员会2023年政府信息公开工作年度报告"),
        ("郑州航空港经济综合实验区管理委员会", "郑州航空港经济综合实验区", "河南省", None, 2023),
    ),
    (
        _report("平潭综合实验区教育与体育局2023年政府信息公开工作年度报告"),
        ("平潭综合实验区教育与体育局", "平潭综合实验区", "福建省", "department", 2023),
    ),
    (
        _report("平潭综合实验区潭城镇人民政府2023年政府信息公开工作年度报告"),
        ("平潭综合实验区潭城镇人民政府", "潭城镇", "福建省", "township", 2023),
    ),
    (
        _report("望川产业集聚区管委会2023年政府信息公开工作年度报告"),
        ("望川产业集聚区管委会", "望川产业集聚区", None, None, 2023),
    ),
]

MORE_YEARS = [
    (
        "望川县财政局政府信息公开工作年度报告 一、总体情况 2023年,我局认真贯彻《条例》。",
        ("望川县财政局", "望川县", None, "department", 2023),
    ),
    (
        "望川县财政局政府信息公开工作年度报告\n2019年以来,我局累计公开信息900条。",
        ("望川县财政局", "望川县", None, "department", None),
    ),
    (
        "望川县财政局政府信息公开工作年度报告\n根据《关于做好2024年政务公开工作的通知》,我局认真落实。",
        ("望川县财政局", "望川县", None, "department", None),
    ),
]

UNNAMED = [
    # the title names no body: the place the report calls itself (全县/我县), never a cited province
    (
        "2023年政府信息公开工作年度报告\n根据《浙江省政府信息公开规定》,现将我县工作情况报告如下。"
        "2023年,淳安县认真贯彻落实《条例》,全县主动公开信息300条。",
        ("淳安县人民政府", "淳安县", "浙江省", "county", 2023),
    ),
    (
        "2023年政府信息公开工作年度报告\n2023年,我局围绕全市中心工作,落实淳安县委部署。",
        (None, None, None, None, 2023),
    ),
    (
        "2023年政府信息公开工作年度报告\n根据《浙江省政府信息公开规定》,现将本机关工作情况报告如下。",
        (None, None, None, None, 2023),
    ),
    (
        "来源:福建省人民政府\n2023年政府信息公开工作年度报告\n2023年,我局认真贯彻落实《条例》。",
        (None, None, None, None, 2023),
    ),
    (
        "发布机构:福建省人民政府\n2023年政府信息公开工作年度报告\n2023年,我局认真贯彻落实《条例》。",
        (None, None, None, None, 2023),
    ),
    (
        "发布机构:莆田市审计局\n2023年政府信息公开工作年度报告\n2023年,我局认真贯彻落实《条例》。",
        ("莆田市审计局", "莆田市", "福建省", "department", 2023),
    ),
]

PRINTED = [
    # PDF text with a space between every character of the title
    (
        "陇 西 县 财 政 局 2023 年 政 府 信 息 公 开 工 作 年 度 报 告\n正文。",
        ("陇西县财政局", "陇西县", "甘肃省", "department", 2023),
    ),
    (
        "威 海 市 文 登 区 教 育 和 体 育 局\n2 0 2 3 年 政 府 信 息 公 开 工 作 年 度 报 告\n正文。",
        ("威海市文登区教育和体育局", "文登区", "山东省", "department", 2023),
    ),
    # the year on a line of its own above or below the title
    ("2023年度\n陇西县政府信息公开工作年度报告\n正文。", ("陇西县人民政府", "陇西县", "甘肃省", "county", 2023)),
    ("陇西县政府信息公开工作年度报告\n(2023年度)\n正文。", ("陇西县人民政府", "陇西县", "甘肃省", "county", 2023)),
    ("陇西县政府信息公开工作年度报告\n(2024年1月20日)\n正文。", ("陇西县人民政府", "陇西县", "甘肃省", "county", 2023)),
    ("陇西县政府信息公开工作年度报告\n2024年\n正文。", ("陇西县人民政府", "陇西县", "甘肃省", "county", None)),
    # the 索引号 carries the publication year when nothing else dates the report
    (
        "陇西县财政局政府信息公开工作年度报告\n索引号:013960112/2024-00031\n我局认真贯彻落实《条例》。",
        ("陇西县财政局", "陇西县", "甘肃省", "department", 2023),
    ),
    # a province's department by its level word
    (
        _report("省教育厅2023年政府信息公开工作年度报告", "本报告由浙江省教育厅编制。"),
        ("浙江省教育厅", "浙江省", "浙江省", "department", 2023),
    ),
    # units of the 新疆生产建设兵团 are governed through its divisions (师)
    (
        _report("新疆生产建设兵团第八师石河子市2023年政府信息公开工作年度报告"),
        ("新疆生产建设兵团第八师石河子市人民政府", "石河子市", "新疆维吾尔自治区", "county", 2023),
    ),
]

CASES = (
    PROVINCE_LEVEL + CITY_LEVEL + COUNTY_LEVEL + TOWNSHIP_LEVEL + DEPARTMENTS + ZONES + YEARS + CHROME
    + SHARED_NAMES + SHORT_FORMS + MORE_ZONES + MORE_YEARS + UNNAMED + PRINTED
)  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0].split("\n")[0][:30] for c in CASES])
def test_metadata_of_report_shapes(text: str, expected: _Fields) -> None:
    assert _fields(text) == expected


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            "崑山市人民政府2009年政府資訊公開工作年度報告\n本報告由崑山市人民政府辦公室編製。" + _PERIOD.format(2009),
            ("昆山市人民政府", "昆山市", "江苏省", "county", 2009),
        ),
        (
            "臨湖縣財政局2023年政府信息公開工作年度報告\n本局認真貫徹執行《條例》。" + _PERIOD.format(2023),
            ("临湖县财政局", "临湖县", None, "department", 2023),
        ),
    ],
)
def test_traditional_script_is_converted_before_metadata(page: str, expected: _Fields) -> None:
    meta = normalize(page.encode(), "mirror.txt").metadata
    assert (meta.issuer, meta.region, meta.province, meta.admin_level, meta.year) == expected


_PAGE = (
    "<html><head><title>{title}</title>{meta}</head><body>"
    '<div class="nav">首页 &gt; 政务公开 &gt; 年度报告</div>'
    '<div class="TRS_Editor">{body}</div>'
    '<div class="footer">主办:{site} 版权所有</div></body></html>'
)


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (  # the CMS title carries the site name after an underscore
            _PAGE.format(
                title="秦淮区人民政府2023年政府信息公开工作年度报告_南京市秦淮区人民政府",
                meta="",
                body="<p>" + _PERIOD.format(2023) + "</p><p>一、总体情况</p>",
                site="南京市秦淮区人民政府",
            ),
            ("南京市秦淮区人民政府", "秦淮区", "江苏省", "county", 2023),
        ),
        (  # the site's name in the h1 and before the title in <title>; the body does not print the title
            _PAGE.format(
                title="威海市环翠区人民政府-环翠区2023年政府信息公开工作年度报告",
                meta="",
                body="<p>" + _PERIOD.format(2023) + "</p><p>一、总体情况</p>",
                site="威海市环翠区人民政府",
            ).replace("<body>", "<body><h1>威海市环翠区人民政府</h1>"),
            ("威海市环翠区人民政府", "环翠区", "山东省", "county", 2023),
        ),
        (  # a zone's province from the page: its address in the footer
            _PAGE.format(
                title="湄洲岛国家旅游度假区管委会2023年政府信息公开工作年度报告",
                meta="",
                body="<p>" + _PERIOD.format(2023) + "</p><p>一、总体情况</p>",
                site="湄洲岛国家旅游度假区管委会 地址:福建省莆田市",
            ),
            ("湄洲岛国家旅游度假区管委会", "湄洲岛国家旅游度假区", "福建省", None, 2023),
        ),
        (  # a shared name settled by the page around the body
            _PAGE.format(
                title="鼓楼区2023年政府信息公开工作年度报告",
                meta='<meta name="SiteName" content="福州市鼓楼区人民政府">',
                body="<p>鼓楼区2023年政府信息公开工作年度报告</p><p>" + _PERIOD.format(2023) + "</p>",
                site="福州市鼓楼区人民政府",
            ),
            ("福州市鼓楼区人民政府", "鼓楼区", "福建省", "county", 2023),
        ),
        (  # a report published the next year covers the year of its statistics
            _PAGE.format(
                title="望川县财政局政府信息公开工作年度报告",
                meta='<meta name="PubDate" content="2024-01-28">',
                body="<p>发布日期:2024-01-28</p><p>2023年,我局全年主动公开政府信息50条。</p>",
                site="望川县财政局",
            ),
            ("望川县财政局", "望川县", None, "department", 2023),
        ),
    ],
)
def test_cms_pages(page: str, expected: _Fields) -> None:
    meta = normalize(page.encode(), "page.html").metadata
    assert (meta.issuer, meta.region, meta.province, meta.admin_level, meta.year) == expected


def _sweep_cases() -> list[tuple[str, str, str | None, str | None, int]]:
    """For every division of the table, titles of its government, its office, a department, a
    township and a zone in several shapes (`text, region, province, level, year`). The province is
    expected only where the name is not shared by another division."""
    cases = []
    for name, rows in divisions.table().by_name.items():
        div = rows[0]
        if div.adcode is None:
            continue
        year = 2023 if div.last_year == 9999 else min(max(div.first_year, 2015), div.last_year)
        province = divisions.province_of(div).name if len({d.adcode for d in rows}) == 1 else None
        shapes = [
            (f"{name}人民政府{year}年政府信息公开工作年度报告", name, div.level),
            (f"{name}{year}年政府信息公开工作年度报告", name, div.level),
            (f"{name}人民政府政府信息公开工作{year}年度报告", name, div.level),
            (f"{name}人民政府关于{year}年度政府信息公开工作情况的报告", name, div.level),
            (f"{name}人民政府办公室{year}年政府信息公开工作年度报告", name, div.level),
            (f"{year}年{name}财政局政府信息公开工作年度报告", name, "department"),
            (f"{name}住房和城乡建设局{year}年政府信息公开工作年度报告", name, "department"),
            (f"{name}青石镇人民政府{year}年政府信息公开工作年度报告", "青石镇", "township"),
            (f"{name}经济技术开发区管委会{year}年政府信息公开工作年度报告", f"{name}经济技术开发区", None),
        ]
        cases += [(text, region, province, level, year) for text, region, level in shapes]
        if (parent := divisions.parent_of(div)) and parent.level == "city":
            title = f"{parent.name}{name}人民政府{year}年政府信息公开工作年度报告"
            cases.append((title, name, divisions.province_of(div).name, div.level, year))
    return cases


def test_every_division_of_the_table_in_every_title_shape() -> None:
    wrong = []
    for text, region, province, level, year in _sweep_cases():
        meta, _ = extract_metadata(f"{text}\n正文。", "simplified")
        got = (meta.region, meta.admin_level, meta.year) + ((meta.province,) if province else ())
        if got != (region, level, year) + ((province,) if province else ()):
            wrong.append((text, got))
    assert not wrong, wrong[:10]
