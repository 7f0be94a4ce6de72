"""Inline definitions become glossary concepts; abbreviation tables win over them."""
import pytest

from kg.extract.definitions import extract_definitions
from kg.pipeline import process_text


@pytest.mark.parametrize("text,expected", [
    ("加快智能传感器、射频识别（RFID）、二维码等技术的应用。", [("RFID", "射频识别", "inline-zh-abbr")]),
    ("持续深度参与国际标准化组织（ISO）工作。", [("ISO", "国际标准化组织", "inline-zh-abbr")]),
    ("充分利用区域全面经济伙伴关系协定（RCEP）等合作机制。", [("RCEP", "区域全面经济伙伴关系协定", "inline-zh-abbr")]),
    ("开发和推广基于统一应用程序接口（API）的应用。", [("API", "统一应用程序接口", "inline-zh-abbr")]),
    ("开展 5G TSN（时间敏感网络）技术研究。", [("TSN", "时间敏感网络", "inline-abbr-zh")]),
    ("支持参与5G-Advanced（5G演进）国际标准制定。", [("5G-Advanced", "5G演进", "inline-abbr-zh")]),
    ("基于5G（含NB-IoT，窄带物联网；RedCap，轻量化）高低搭配。",
     [("NB-IoT", "窄带物联网", "inline-list"), ("RedCap", "轻量化", "inline-list")]),
    ("推动建设城市信息模型（CIM）基础平台。", [("CIM", "城市信息模型", "inline-zh-abbr")]),
    # not definitions
    ("根据国发（2024）7号文件精神。", []),
    ("到2025年（含）完成。", []),
    ("打造车联网（智能网联汽车）协同服务。", []),
    ("建成5G基站（含室内小站）1万个。", []),
])
def test_inline_definitions(text, expected):
    got = [(d.term, d.expansion, d.method) for d in extract_definitions(text)]
    assert got == expected
    for d in extract_definitions(text):
        assert text[d.start:d.end] == d.surface


def test_definitions_join_the_glossary_with_their_clause():
    doc = process_text("某某市智慧城市行动方案\n一、主要任务\n（一）推广射频识别（RFID）技术在物流领域的应用。\n", with_facts=False)
    g = [x for x in doc.glossary if x.term == "RFID"]
    assert len(g) == 1 and g[0].expansion == "射频识别" and g[0].clause.label == "一（一）"


@pytest.mark.parametrize("text, expected", [
    ("国网常州供电公司（以下简称“供电公司”）提供数据。", [("供电公司", "国网常州供电公司")]),
    ("领导小组下设项目管理办公室(以下简称项管办)负责具体工作。", [("项管办", "项目管理办公室")]),
    ("区规划和土地管理局（以下简称区规土局）等部门发挥条线指导作用。", [("区规土局", "区规划和土地管理局")]),
    ("分步治理违法用地（以下简称“存量违法用地”）。", [("存量违法用地", "分步治理违法用地")]),
    ("依据《上海市养老服务条例》（以下简称《条例》）制定本办法。", []),  # a document's short title is a reference's
])
def test_short_form_definitions(text, expected):
    from kg.extract.definitions import short_form_definitions

    got = short_form_definitions(text)
    assert [(d.term, d.expansion) for d in got] == expected
    for d in got:
        assert text[d.start:d.end] == d.surface and d.method == "short-form"
