"""GB/T 9704 elements (kg.extract.layout + kg.extract.metadata) of the seeds and of our own texts.

What the text does not state stays None / empty: never filled from outside knowledge.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import pytest

from kg.clean import clean
from kg.extract.layout import find_zones
from kg.extract.metadata import parse_date, read_metadata, split_recipients, tidy_title
from kg.read import read_bytes, read_file

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
OWN = ROOT / "tests" / "data" / "own"
D = dt.date


def _meta(src):
    ct = clean(src)
    z = find_zones(ct)
    return read_metadata(ct, z), z


@lru_cache(maxsize=None)
def seed(name: str):
    return _meta(read_file(CORPUS / name))[0]


@lru_cache(maxsize=None)
def own(name: str):
    return _meta(read_file(OWN / name))[0]


def meta_of(text: str, name: str = "t.txt"):
    return _meta(read_bytes(text.encode("utf-8"), name=name))


# --- the five seeds -----------------------------------------------------------------------------

def test_2026_shanghai_plan():
    m = seed("2026-hu-tongxinguanfa-5-wuzhihulian-iot-action-plan.txt")
    assert m.doc_number == "沪通信管发〔2026〕5号"
    assert m.issuers == ["上海市通信管理局"]
    assert m.sources["issuers"] == "masthead"
    # conversion spaces ("物联网及 物联感知", "“物智沪联” 行动计划") removed, half-width brackets normalised
    assert m.title == "上海市物联网及物联感知“物智沪联”行动计划（2026—2028年）"
    assert m.notice_title == "上海市通信管理局关于印发《上海市物联网及物联感知“物智沪联”行动计划（2026—2028年）》的通知"
    assert m.doc_type == "通知"
    assert m.plan_type == "行动计划"
    assert (m.level, m.jurisdiction) == ("provincial", "上海市")
    assert m.date_document is None  # no signature date in the file
    assert m.date_header is None
    assert m.date_publication == D(2026, 1, 16)
    assert m.period == (2026, 2028)
    assert m.recipients == ["各相关单位"]
    assert m.cc == ["上海市经济和信息化委员会", "上海市数据局"]
    assert m.printer == "上海市通信管理局办公室"


def test_2025_shanghai_plan_keeps_the_real_space():
    m = seed("2025-hu-tongxinguan-lingang-1-business-environment-plan.txt")
    assert m.doc_number == "沪通信管临港〔2025〕1号"
    assert m.title == "上海信息通信业聚焦提升企业感受 持续打造国际一流通信服务能级和营商环境行动方案"
    assert m.notice_title == (
        "上海市通信管理局关于印发《上海信息通信业聚焦提升企业感受 持续打造国际一流通信服务能级和营商环境行动方案》的通知")
    assert m.issuers == ["上海市通信管理局"]
    assert m.doc_type == "通知"
    assert m.plan_type == "行动方案"
    assert (m.level, m.jurisdiction) == ("provincial", "上海市")
    assert m.date_document is None
    assert m.date_publication == D(2025, 2, 6)
    assert m.period is None  # the title states no period
    assert m.recipients[:5] == ["上海电信公司", "上海移动公司", "上海联通公司", "上海铁塔公司", "上海东方有线公司"]
    assert m.recipients[5:] == ["各有关单位"]
    assert m.cc == ["上海市发展和改革委员会", "工业和信息化部信息通信发展司"]


def test_2024_notice_is_silent_on_dates():
    m = seed("2024-gongxinting-tongxin-52-mobile-iot-notice.txt")
    assert m.doc_number == "工信厅通信〔2024〕52号"
    assert m.issuers == ["工业和信息化部办公厅"]
    assert m.sources["issuers"] == "title"
    assert m.title == m.notice_title == "工业和信息化部办公厅关于推进移动物联网“万物智联”发展的通知"
    assert m.doc_type == "通知"
    assert m.plan_type is None
    assert (m.level, m.jurisdiction) == ("national", "全国")
    assert (m.date_document, m.date_header, m.date_publication) == (None, None, None)
    assert m.period is None
    assert m.recipients[:2] == ["各省、自治区、直辖市通信管理局", "各省、自治区、直辖市及新疆生产建设兵团工业和信息化主管部门"]
    assert "中国电信集团有限公司" in m.recipients
    assert m.cc == []


def test_2021_fyp_has_no_issuer_and_no_number():
    m = seed("2021-shanghai-14th-fyp-new-information-infrastructure.txt")
    assert m.doc_number is None
    assert m.issuers == []
    assert m.notice_title is None
    assert m.title == "上海市新一代信息基础设施发展“十四五”规划"
    assert m.doc_type == "规划"
    assert (m.level, m.jurisdiction) == ("provincial", "上海市")
    assert m.sources["level"] == "title-place"
    assert (m.date_document, m.date_header, m.date_publication) == (None, None, None)
    assert m.period == (2021, 2025)
    assert m.recipients == [] and m.cc == []


def test_2021_national_plan():
    m = seed("2021-gongxinbu-lianke-130-iot-infrastructure-plan.txt")
    assert m.doc_number == "工信部联科〔2021〕130号"
    assert m.issuers == ["工业和信息化部", "中央网络安全和信息化委员会办公室", "科学技术部", "生态环境部",
                         "住房和城乡建设部", "农业农村部", "国家卫生健康委员会", "国家能源局"]
    assert m.sources["issuers"] == "signature"
    assert m.issuers_shorthand == "八部门"
    assert m.title == "物联网新型基础设施建设三年行动计划（2021—2023年）"
    assert m.notice_title.endswith("国家能源局关于印发《物联网新型基础设施建设三年行动计划（2021—2023年）》的通知")
    assert " " not in m.notice_title
    assert m.doc_type == "通知"
    assert (m.level, m.jurisdiction) == ("national", "全国")
    assert m.date_document == D(2021, 9, 10)  # at the signature
    assert m.date_header == D(2021, 9, 15)  # 成文日期 in the web header, kept apart
    assert m.date_publication == D(2021, 9, 27)
    assert m.sources["date_document"] == "signature"
    assert m.period == (2021, 2023)
    assert m.header["发布机构"] == "工业和信息化部"
    assert len(m.recipients) == 19
    assert m.recipients[0] == "各省、自治区、直辖市及计划单列市工业和信息化主管部门"
    assert m.recipients[-2:] == ["各中央企业", "各相关单位"]
    assert "新疆生产建设兵团科技局" in m.recipients


# --- our own files ------------------------------------------------------------------------------

def test_gd_joint_notice_chinese_numeral_date():
    m = own("gd-5g-implementation-plan.txt")
    assert m.doc_number == "粤工信通信函〔2025〕18号"
    assert m.issuers == ["广东省工业和信息化厅", "广东省通信管理局"]
    assert m.title == "广东省5G-A与千兆光网协同发展实施方案（2025—2027年）"
    assert m.notice_title == "广东省工业和信息化厅 广东省通信管理局关于印发《广东省5G-A与千兆光网协同发展实施方案（2025—2027年）》的通知"
    assert m.date_document == D(2025, 3, 18)
    assert m.date_publication is None
    assert (m.level, m.jurisdiction) == ("provincial", "广东省")
    assert m.period == (2025, 2027)
    assert m.plan_type == "实施方案"
    assert m.recipients == ["各地级以上市工业和信息化主管部门", "广东电信公司", "广东移动公司", "广东联通公司",
                            "广东铁塔公司"]


def test_hz_prefectural_opinion():
    m = own("hz-digital-notice.md")
    assert m.doc_number == "杭政办函〔2025〕7号"
    assert m.issuers == ["杭州市人民政府办公厅"]
    assert m.doc_type == "意见"
    assert (m.level, m.jurisdiction) == ("prefectural", "杭州市")
    assert m.date_document == D(2025, 4, 2)
    assert m.recipients == ["各区、县（市）人民政府", "市政府各部门", "各直属单位"]


def test_yp_district_plan_without_issuer():
    m = own("yp-district-plan.html")
    assert m.title == "杨浦区推进智慧城市建设三年行动计划（2025—2027年）"
    assert m.issuers == [] and m.doc_number is None
    assert (m.level, m.jurisdiction) == ("county", "杨浦区")
    assert m.period == (2025, 2027)


def test_xa_notice_without_numbering():
    m = own("xa-no-numbering-notice.txt")
    assert m.doc_number == "市工信发〔2025〕12号"
    assert m.issuers == ["西安市工业和信息化局"]
    assert m.date_document == D(2025, 5, 20)
    assert m.recipients == ["各区县工业和信息化主管部门", "各有关企业"]


# --- small texts --------------------------------------------------------------------------------

@pytest.mark.parametrize("num", ["沪经信规[2025]3号", "沪经信规（2025）3号", "沪经信规(2025)3号", "沪经信规【2025】3号",
                                 "沪经信规〔2025〕第3号", "沪经信规 〔 2025 〕 3 号"])
def test_doc_number_bracket_variants(num):
    m, z = meta_of(f"上海市经济和信息化委员会关于加快推进算力基础设施建设的通知\n{num}\n各区经委：\n一、目标\n到2026年完成建设。\n")
    assert z.doc_number == 1
    assert m.doc_number == "沪经信规〔2025〕3号"


def test_district_notice_issuing_a_plan_with_colophon():
    m, z = meta_of(
        "杨浦区人民政府办公室关于印发《杨浦区推进智慧城市建设三年行动计划（2025—2027年）》的通知\n"
        "杨府办发〔2025〕9号\n"
        "各街道办事处、区政府各委、办、局：\n"
        "现将《杨浦区推进智慧城市建设三年行动计划（2025—2027年）》印发给你们，请认真按照执行。\n"
        "杨浦区人民政府办公室\n"
        "2025年4月30日\n"
        "杨浦区推进智慧城市建设三年行动计划（2025—2027年）\n"
        "一、工作目标\n"
        "到2027年，全区建成5G基站1.2万个。\n"
        "抄送：区委办公室，区人大常委会办公室。\n"
        "杨浦区人民政府办公室\n"
        "2025年5月6日印发\n"
    )
    assert z.issues_plan and z.plan_title == 6 and z.signature == [4] and z.signature_date == 5
    assert z.colophon == [9, 10, 11]
    assert m.doc_number == "杨府办发〔2025〕9号"
    assert m.issuers == ["杨浦区人民政府办公室"]
    assert (m.level, m.jurisdiction) == ("county", "杨浦区")
    assert m.title == "杨浦区推进智慧城市建设三年行动计划（2025—2027年）"
    assert m.doc_type == "通知" and m.plan_type == "三年行动计划"
    assert m.date_document == D(2025, 4, 30)
    assert m.date_publication == D(2025, 5, 6)
    assert m.printer == "杨浦区人民政府办公室"
    assert m.recipients == ["各街道办事处", "区政府各委、办、局"]
    assert m.cc == ["区委办公室", "区人大常委会办公室"]


def test_web_header_block_kept_apart():
    m, z = meta_of(
        "首页 > 政策文件 > 规划计划\n"
        "发文机关：浙江省经济和信息化厅\n"
        "标  题：浙江省经济和信息化厅关于印发《浙江省算力基础设施发展规划》的通知\n"
        "发文字号：浙经信数字〔2024〕20号\n"
        "成文日期：2024年10月8日\n"
        "发布日期：2024-10-12\n"
        "浙江省经济和信息化厅关于印发《浙江省算力基础设施发展规划》的通知\n"
        "各市经信局：\n"
        "现将《浙江省算力基础设施发展规划》印发给你们，请认真贯彻落实。\n"
        "浙江省经济和信息化厅\n"
        "二〇二四年十月九日\n"
        "浙江省算力基础设施发展规划\n"
        "一、发展目标\n"
        "到2025年，全省算力规模超过20EFLOPS。\n"
    )
    assert z.header == [0, 1, 2, 3, 4, 5]
    assert m.doc_number == "浙经信数字〔2024〕20号" and m.sources["doc_number"] == "header"
    assert m.date_document == D(2024, 10, 9)
    assert m.date_header == D(2024, 10, 8)
    assert m.date_publication == D(2024, 10, 12) and m.sources["date_publication"] == "header"
    assert m.title == "浙江省算力基础设施发展规划"
    assert m.issuers == ["浙江省经济和信息化厅"]
    assert (m.level, m.jurisdiction) == ("provincial", "浙江省")
    assert m.recipients == ["各市经信局"]
    assert m.period is None


def test_issuer_from_header_when_nothing_else():
    m, _ = meta_of("发文机关：上海市通信管理局\n发文字号：沪通信管发〔2024〕3号\n"
                   "为加快5G网络建设，提出以下措施。\n一、加快建设\n推进基站建设。\n")
    assert m.issuers == ["上海市通信管理局"]
    assert m.sources["issuers"] == "header"
    assert m.doc_number == "沪通信管发〔2024〕3号"


# --- helpers ------------------------------------------------------------------------------------

@pytest.mark.parametrize("s,d", [
    ("二〇二五年三月十八日", D(2025, 3, 18)),
    ("二○二四年十二月三十一日", D(2024, 12, 31)),
    ("2021年9月10日", D(2021, 9, 10)),
    ("2021 年 9 月 10 日", D(2021, 9, 10)),
    ("2021-09-15", D(2021, 9, 15)),
    ("2021/9/5", D(2021, 9, 5)),
    ("2025年2月30日", None),
    ("主动公开", None),
])
def test_parse_date(s, d):
    assert parse_date(s) == d


@pytest.mark.parametrize("raw,tidy", [
    ("上海市物联网及 物联感知“物智沪联” 行动计划 (2026—2028年)", "上海市物联网及 物联感知“物智沪联”行动计划（2026—2028年）"),
    ("物联网新型基础设施建设三年行动计划 (2021-2023年)", "物联网新型基础设施建设三年行动计划（2021—2023年）"),
    ("  关于印发《 某某方案 》的通知 ", "关于印发《某某方案》的通知"),
])
def test_tidy_title(raw, tidy):
    assert tidy_title(raw) == tidy


@pytest.mark.parametrize("s,out", [
    ("上海电信、移动、联通、铁塔、东方有线公司", ["上海电信公司", "上海移动公司", "上海联通公司", "上海铁塔公司", "上海东方有线公司"]),
    ("各区人民政府，市政府各委、办、局，各有关单位。", ["各区人民政府", "市政府各委、办、局", "各有关单位"]),
    # (有关 as 各: the bodies concerned, one class — from a document tried as a new user, 2026-11-30)
    ("各区人民政府，市政府有关委、办、局", ["各区人民政府", "市政府有关委、办、局"]),
    ("有关单位、办、局", ["有关单位", "办", "局"]),  # (negative: a single character after a body that is no 委/办/局 head)
    ("市发展改革委、市经济信息化委、市通信管理局", ["市发展改革委", "市经济信息化委", "市通信管理局"]),
    ("各省、自治区、直辖市通信管理局", ["各省、自治区、直辖市通信管理局"]),
    ("中国电信集团有限公司；中国铁塔股份有限公司", ["中国电信集团有限公司", "中国铁塔股份有限公司"]),
    # zones name their own place: the place of the first is not shared with the next (issue 8)
    ("各镇人民政府、街道办事处，嘉定工业区、菊园新区管委会", ["各镇人民政府", "街道办事处", "嘉定工业区管委会", "菊园新区管委会"]),
    # cities named short share the last one's office, each under its full name (not 郑州委, 新乡)
    ("郑州、平顶山、驻马店市发展改革委，汝州市发展改革委", ["郑州市发展改革委", "平顶山市发展改革委", "驻马店市发展改革委", "汝州市发展改革委"]),
    ("满洲里市、二连浩特市发展改革委", ["满洲里市发展改革委", "二连浩特市发展改革委"]),
    # a class addressed by its fields of work (各… ⋯ 主管部门) is one class of recipients, not eight bodies
    ("各市州发展改革、科技、工业和信息化、住房和城乡建设、能源主管部门，各供电企业",
     ["各市州发展改革、科技、工业和信息化、住房和城乡建设、能源主管部门", "各供电企业"]),
    # … but a list whose items are bodies of their own is split (negatives)
    ("各市发展改革委、工业和信息化局、财政局", ["各市发展改革委", "工业和信息化局", "财政局"]),
    ("市发展改革委、市经济信息化委、有关部门", ["市发展改革委", "市经济信息化委", "有关部门"]),
])
def test_split_recipients(s, out):
    assert split_recipients(s) == out


# --- layouts of dev set 4 (issue 8) -------------------------------------------------------------------------
def test_a_page_byline_is_not_the_recipient_line():
    m, _ = meta_of("某市人民政府办公室关于印发2025年农业保险工作实施方案的通知\n某政办发〔2025〕8号\n"
                "张三 签发于2025/3/2 10:15:00\n各镇政府、街道办事处，市政府各部门：\n"
                "《某市2025年农业保险工作实施方案》已经市政府同意，现印发给你们。\n某市人民政府办公室\n2025年3月1日\n")
    assert m.recipients == ["各镇政府", "街道办事处", "市政府各部门"]
    assert m.date_document == D(2025, 3, 1)


def test_a_notice_forwarding_a_plan_someone_drew_up_issues_that_plan():
    m, _ = meta_of("上海市某区人民政府办公室关于转发区建设管理委制订的《某区城市更新2025年度实施计划》的通知\n"
                "各镇人民政府、街道办事处，区政府各部门：\n现将《某区城市更新2025年度实施计划》转发给你们，请认真遵照执行。\n"
                "2025年7月15日\n某区城市更新2025年度实施计划\n一、总体要求\n推进城市更新。\n")
    assert m.date_document == D(2025, 7, 15)
    assert "某区城市更新2025年度实施计划" in m.titles


def test_a_plan_signed_at_its_end():
    m, _ = meta_of("上海市某区某镇人民政府关于印发《某镇文物保护规划》的通知\n各相关单位、部门：\n现将《某镇文物保护规划》印发给你们。\n"
                "特此通知\n某镇文物保护规划\n一、保护对象\n加强文物保护。\n二、保障措施\n加强组织领导。\n"
                "上海市某区某镇人民政府\n2023年10月13日\n")
    assert m.date_document == D(2023, 10, 13)


def test_a_collectors_note_is_not_glued_to_the_title_below_it():
    from kg.clean import should_join

    assert not should_join("> 依《中华人民共和国著作权法》第五条第一项，具有立法、行政、司法性质的文件不适用著作权法。",
                           "关于印发《上海市零碳园区建设工作方案》的通知")
    assert should_join("国务院关于", "印发《“十四五”数字经济发展规划》的通知")


def test_relative_names_in_a_joint_signature_are_read_in_the_place_of_the_doc_number():
    """市发展改革委 in the signature of a notice whose title names no place: the 文号's 沪 says where (not the
    national 国家发展和改革委员会)."""
    m, _ = meta_of("关于印发《关于推进本市新建建筑可再生能源应用的实施意见》的通知\n沪建建材联〔2022〕679号\n各有关单位：\n"
                   "现将《关于推进本市新建建筑可再生能源应用的实施意见》印发给你们，请认真贯彻执行。\n"
                   "市住房城乡建设管理委\n市发展改革委\n市规划资源局\n2022年12月30日\n")
    assert m.issuers == ["上海市住房和城乡建设管理委员会", "上海市发展和改革委员会", "上海市规划和自然资源局"]
    assert (m.level, m.jurisdiction) == ("provincial", "上海市")


def test_title_run_into_its_body_and_place_from_local_fit():
    m, _ = meta_of("关于支持人才引进的八条意见。为落实市委部署，结合漳州实际，现提出以下意见。1.对来漳州创业的团队给予支持。\n")
    assert m.title == "关于支持人才引进的八条意见"
    assert (m.level, m.jurisdiction) == ("prefectural", "漳州市")
    assert m.sources["level"] == "body-place"


def test_local_fit_without_a_place_name_says_nothing():
    m, _ = meta_of("关于支持人才引进的八条意见。为落实部署，结合本地实际，现提出以下意见。\n")
    assert m.jurisdiction is None and m.level is None


def test_township_government_issuer():
    text = ("上海市奉贤区庄行镇人民政府关于印发《庄行镇生态保护规划》的通知\n奉庄府〔2024〕8号\n各相关单位：\n"
            "现将《庄行镇生态保护规划》印发给你们，请认真贯彻执行。\n上海市奉贤区庄行镇人民政府\n2024年5月6日\n")
    m, _ = meta_of(text)
    assert m.issuers == ["上海市奉贤区庄行镇人民政府"]
    assert (m.level, m.jurisdiction) == ("township", "庄行镇")


def test_a_page_title_drops_its_site_after_an_underscore():
    assert tidy_title("某某省发展和改革委员会关于印发《某某方案》的通知_某某省发展和改革委员会") == \
        "某某省发展和改革委员会关于印发《某某方案》的通知"
    assert tidy_title("国务院关于某某工作的通知_中国政府网") == "国务院关于某某工作的通知"
    assert tidy_title("关于开展A_B测试的通知") == "关于开展A_B测试的通知"  # an underscore inside: kept


def test_a_collectors_heading_and_fields_then_the_documents_own_head():
    """A collector's page: its own heading and fields, a label, then the notice as issued — a joint masthead, the
    文号, a title without 关于 (the bodies before 印发) and the 主送 line. The notice's head is read there."""
    m, z = meta_of(
        "关于加快建设充电基础设施的若干措施\n"
        "文号: 湘能新能〔2025〕18号\n"
        "发文机构: 湖南省能源局、发改委\n"
        "发布日期: 2025-03-02\n"
        "政策原文\n"
        "湖南省能源局湖南省发展和改革委员会\n"
        "湘能新能〔2025〕18号\n"
        "湖南省能源局 湖南省发展和改革委员会印发《关于加快建设充电基础设施的若干措施》的通知\n"
        "各市州能源主管部门、发展改革委，国网湖南省电力有限公司：\n"
        "现将《关于加快建设充电基础设施的若干措施》印发给你们，请认真贯彻落实。\n"
        "湖南省能源局\n"
        "湖南省发展和改革委员会\n"
        "2025年2月28日\n"
        "关于加快建设充电基础设施的若干措施\n"
        "一、扩大充电设施规模\n"
    )
    assert z.header == [0, 1, 2, 3, 4] and z.masthead == 5 and z.doc_number == 6 and z.notice_title == [7]
    assert m.notice_title == "湖南省能源局 湖南省发展和改革委员会印发《关于加快建设充电基础设施的若干措施》的通知"
    assert m.title == "关于加快建设充电基础设施的若干措施"
    assert m.recipients == ["各市州能源主管部门", "发展改革委", "国网湖南省电力有限公司"]
    assert m.issuers == ["湖南省能源局", "湖南省发展和改革委员会"]
    assert m.date_document == D(2025, 2, 28)


def test_a_title_without_guanyu_needs_bodies_before_its_verb():
    from kg.extract.layout import _issuer_notice

    assert _issuer_notice("工业和信息化部等十部门联合印发《5G应用“扬帆”行动计划》的通知")
    assert _issuer_notice("根据国务院印发《X方案》的通知") is None


def test_page_images_spaced_signature_bracketed_date_field_and_a_notice_opening_with_a_preamble_cue():
    """A portal page: a seal image between the 文号 and the title, a signature spaced out (国 资 委), a date field
    in brackets (发布日期（…）), a notice whose own text opens with 为贯彻落实."""
    m, z = meta_of(
        "首页 > 政务公开\n"
        "国资发改革〔2022〕12号\n"
        "![](http://example.gov.cn/part/seal.png)\n"
        "关于印发《关于深化国有企业改革的指导意见》的通知\n"
        "各中央企业：\n"
        "现将《关于深化国有企业改革的指导意见》印发给你们，请结合实际认真贯彻落实。\n"
        "国 资 委\n"
        "2022年3月1日\n"
        "关于深化国有企业改革的指导意见\n"
        "一、总体要求\n"
    )
    assert z.doc_number == 1 and 2 in z.header and z.notice_title == [3] and z.recipients == 4
    assert m.issuers == ["国务院国有资产监督管理委员会"] and m.date_document == D(2022, 3, 1)
    m, z = meta_of(
        "当前位置:首页规范性文件\n"
        "市商务委等三部门关于印发《上海市家电以旧换新实施细则》的通知\n"
        "发布日期（2024-09-27）\n"
        "沪商规〔2024〕15号\n"
        "各相关单位：\n"
        "为贯彻落实国家部署，现将《上海市家电以旧换新实施细则》印发给你们，请认真按照执行。\n"
        "上海市商务委员会\n"
        "上海市发展和改革委员会\n"
        "上海市财政局\n"
        "2024年9月27日\n"
        "上海市家电以旧换新实施细则为贯彻落实国家部署，制定本细则。\n"
        "一、补贴范围\n"
    )
    assert z.header == [0, 2] and z.doc_number == 3 and z.recipients == 4
    assert m.issuers == ["上海市商务委员会", "上海市发展和改革委员会", "上海市财政局"]
    assert m.date_document == D(2024, 9, 27)


def test_a_notice_under_page_chrome_without_a_head_and_signed_after_its_closing_formula():
    m, z = meta_of(
        "搜索搜索\n来源：消费促进司\n"
        "商务部等2部门办公厅关于印发《汽车置换更新补贴实施细则》的通知\n"
        "按照有关部署，现将《汽车置换更新补贴实施细则》印发给你们，请认真抓好落实。\n"
        "商务部办公厅\n财政部办公厅\n2025年12月30日\n"
        "汽车置换更新补贴实施细则\n第一条 对个人消费者给予补贴。\n"
    )
    assert z.notice_title == [2] and m.date_document == D(2025, 12, 30)
    assert m.issuers == ["商务部办公厅", "财政部办公厅"]
    m, z = meta_of(
        "首页＞通知公告\n市商务局关于开展年度检查工作的通知\n各区商务主管部门：\n"
        "根据有关规定，现就年度检查工作通知如下：\n一、检查范围\n全市加油站。\n二、检查要求\n"
        "材料发至邮箱：abc@163.com特此通知。\n武汉市商务局\n2025年6月11日\n"
        "（联系人：张三 联系方式：82796612）\n[附件1：登记表.doc](https://example.gov.cn/a.doc)\n【打印此页】【关闭窗口】\n"
    )
    assert m.issuers == ["武汉市商务局"] and m.date_document == D(2025, 6, 11)
    assert (m.level, m.jurisdiction) == ("prefectural", "武汉市")


def test_page_matter_between_a_notice_title_and_its_recipients():
    m, z = meta_of(
        "国务院办公厅转发国家发展改革委关于促进数据产业发展意见的通知\n"
        "国办函〔2025〕9号\n"
        "-国家发展改革委网站\n"
        "政策原文\n"
        "索引号:\t000019705/2025-00010\n"
        "国务院办公厅转发国家发展改革委关于促进数据产业发展意见的通知\n"
        "国办函〔2025〕9号\n"
        "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n"
        "国家发展改革委《关于促进数据产业发展的意见》已经国务院同意，现转发给你们，请认真贯彻落实。\n"
        "国务院办公厅\n2025年3月1日\n"
    )
    assert z.recipients == 7 and z.header[-3:] == [4, 5, 6]
    assert m.recipients[0] == "各省、自治区、直辖市人民政府"
    # without a 主送 line ahead, a short line under a title is the text's, not the page's
    _, z = meta_of("关于加强数据管理的通知\n工作要求\n一、加强领导。\n")
    assert 1 not in z.header


def test_register_number_title_field_and_a_plan_issued_after_its_adoption():
    m, z = meta_of(
        "湖南省发展和改革委员会关于印发《湖南省充电设施管理办法》的通知\n湘发改能源规〔2025〕9号\nHNPR—2025—02011\n"
        "各市州发展改革委，各供电企业：\n现将《湖南省充电设施管理办法》印发给你们，请遵照执行。\n"
        "湖南省发展和改革委员会\n2025年6月30日\n湖南省充电设施管理办法\n第一条 为规范管理，制定本办法。\n"
    )
    assert z.recipients == 3 and m.recipients == ["各市州发展改革委", "各供电企业"]
    # a portal's 标题 cut short, its 信息名称 whole
    m, _ = meta_of(
        "标题：省发展改革委转发《国家发展改革委关于输配电价的通知》 ...\n"
        "信息名称：\t省发展改革委转发《国家发展改革委关于输配电价及有关事项的通知》的通知\t|\n"
        "苏发改价格发〔2023〕52号\n各设区市发展改革委：\n现将《国家发展改革委关于输配电价及有关事项的通知》转发给你们。\n"
        "江苏省发展和改革委员会\n2023年5月26日\n"
    )
    assert m.notice_title == "省发展改革委转发《国家发展改革委关于输配电价及有关事项的通知》的通知"
    # a notice without a title line whose body says it issues a plan after it was adopted
    m, z = meta_of(
        "各设区市发展改革委，国网陕西省电力有限公司：\n"
        "为推进电力市场建设，陕西省发展改革委联合制定了《陕西省虚拟电厂实施方案》，经省电力市场管理委员会审议通过，现予以印发，请遵照执行。\n"
        "陕西省发展和改革委员会\n2025年6月9日\n陕西省虚拟电厂实施方案\n一、总体要求\n"
    )
    assert z.issues_plan and m.title == "陕西省虚拟电厂实施方案" and m.date_document == D(2025, 6, 9)


def test_signature_above_the_annexes_and_a_colophon_issue_line_is_not_the_signature():
    m, _ = meta_of(
        "关于做好电力市场建设有关工作的通知\n各市发展改革委，国网山东省电力公司：\n现就有关事项通知如下：\n"
        "一、调整合同签订原则\n市场主体签订中长期合同比例不低于90%。\n附件：1.商户明细（模板）\n"
        "山东省发展和改革委员会 山东省能源局\n2026年3月4日\n附件1\n商户明细\n（模板）\n商户名称：\n联系电话：\n"
        "附件2\n授权书\n单位:（公章）\n日期： 年 月 日\n"
    )
    assert m.issuers == ["山东省发展和改革委员会", "山东省能源局"] and m.date_document == D(2026, 3, 4)
    m, _ = meta_of(
        "关于印发海南省电力交易方案的通知\n琼发改能源〔2020〕9号\n各市县发展改革委，海南电网有限责任公司、各发电企业、有关售电企业:\n"
        "现将《海南省电力交易方案》印发给你们，请认真贯彻执行。\n海南省发展和改革委员会\n2020年12月17日\n"
        "（此件主动公开）\n海南省发展和改革委员会办公室\n2020年12月24日印发\n海南省电力交易方案\n一、交易规模\n"
    )
    assert m.issuers == ["海南省发展和改革委员会"] and m.date_document == D(2020, 12, 17)
    # a company's place is part of its name, and a class (各…, 有关…) takes no place prefix
    assert m.recipients == ["各市县发展改革委", "海南电网有限责任公司", "各发电企业", "有关售电企业"]


def test_a_header_title_cut_short_is_no_rendering_when_another_field_has_it_whole():
    m, _ = meta_of(
        "标题：海南省发展和改革委员会关于印发海南省2021 ...\n"
        "标 题：海南省发展和改革委员会关于印发海南省2021年电力交易方案的通知 -\n"
        "琼发改能源〔2020〕9号\n各市县发展改革委：\n现将《海南省2021年电力交易方案》印发给你们。\n"
        "海南省发展和改革委员会\n2020年12月17日\n"
    )
    assert m.notice_title == "海南省发展和改革委员会关于印发海南省2021年电力交易方案的通知"


def test_issuer_line_above_a_title_the_verb_after_a_title_prefix_and_a_closing_formula_without_a_stop():
    m, _ = meta_of(
        "重庆市经济和信息化委员会\n关于废止部分行政规范性文件的通知\n渝经信规范〔2024〕20号\n各区县经济信息委，有关单位：\n"
        "根据有关规定，我委对行政规范性文件进行了清理，决定废止9件。\n本通知自公布之日起施行。\n"
    )
    assert m.notice_title == "重庆市经济和信息化委员会关于废止部分行政规范性文件的通知"
    m, _ = meta_of(
        "虹口区人民政府办公室印发关于建立历史建筑风险排查机制实施意见的通知\n区政府各部门、有关单位：\n"
        "《关于建立历史建筑风险排查机制的实施意见》已经区政府同意，现印发给你们，请认真按照执行。\n"
    )
    assert [i.removeprefix("上海市") for i in m.issuers] == ["虹口区人民政府办公室"]  # not …办公室印发
    m, _ = meta_of(
        "上海市奉贤区柘林镇人民政府关于印发《柘林镇文物保护管理办法》的通知\n各相关单位：\n"
        "现将《柘林镇文物保护管理办法》印发给你们，请认真遵照执行。\n特此通知\n奉贤区柘林镇人民政府\n2023年10月13日\n"
        "柘林镇文物保护管理办法\n第一条 为了加强对文物的保护，制定本办法。\n"
    )
    assert [i.removeprefix("上海市") for i in m.issuers] == ["奉贤区柘林镇人民政府"]  # 特此通知 is no issuer


def test_header_fields_run_together_as_list_items_and_a_date_under_the_annex_list():
    m, _ = meta_of(
        "- [首页](http://x.gov.cn/)- 索 引 号：FJ00103-2026-00062- 文号：闽工信函节能〔2026〕16号- 发布机构：福建省工业和信息化厅\n"
        "福建省工业和信息化厅关于公布2026年节能改造项目的通知\n各设区市工信局：\n现将项目名单予以公布。\n"
        "福建省工业和信息化厅\n2026年4月2日\n"
    )
    assert m.doc_number == "闽工信函节能〔2026〕16号"
    m, _ = meta_of(
        "关于组织开展氢能项目试点征集工作的通知\n各有关单位：\n为推动氢能发展，现组织开展项目试点征集。\n一、申报要求\n"
        "各区于2025年7月9日前报送材料。\n附件：1.项目试点申请表\n2.项目试点申请报告（参考大纲）\n2025年6月19日\n"
        "（联系人：张三 联系电话：23142267）\n主办单位：天津市发展和改革委员会\n"
    )
    assert m.date_document == D(2025, 6, 19)


def test_a_page_repeats_the_head_under_empty_fields_and_a_masthead_line():
    # a portal's fields, then the title, its empty 文号 and 主送 fields (无, ：), then the document's own head again:
    # the masthead's names over the title once more, the 主送 line, the body
    m, _ = meta_of(
        "关于转发《国家发展改革委 国家能源局关于规范开展第四批增量配电业务改革试点的通知》的通知\n无\n：\n河南省发展和改革委员会\n"
        "关于转发《国家发展改革委 国家能源局关于规范开展第四批增量配电业务改革试点的通知》的通知\n"
        "郑州、平顶山、驻马店市发展改革委，国网河南省电力公司，有关单位：\n现将《通知》转发给你们，请一并贯彻执行。\n"
        "河南省发展和改革委员会\n2019年7月26日\n"
    )
    assert m.doc_number is None and "无" not in m.recipients and m.recipients[-2:] == ["国网河南省电力公司", "有关单位"]
    m, _ = meta_of(
        "关于河南省2025年电力中长期交易有关事项的通知\n豫发改运行〔2024〕852号\n：\n河南省发展和改革委员会 国家能源局河南监管办\n"
        "关于河南省2025年电力中长期交易有关事项的通知\n各省辖市发展改革委，国网河南省电力公司、河南电力交易中心，有关市场主体：\n"
        "为贯彻落实有关要求，现将有关事项通知如下。\n河南省发展和改革委员会\n2024年12月31日\n"
    )
    assert m.recipients == ["各省辖市发展改革委", "国网河南省电力公司", "河南电力交易中心", "有关市场主体"]
    # negative: a lone colon is no 主送 line, and bodies' names under a title that does not come again are no masthead
    m, _ = meta_of("关于开展检查工作的通知\n：\n河南省商务厅\n一、检查范围\n全省成品油零售企业。\n")
    assert m.recipients == []


def test_a_title_split_from_its_site_name_and_a_date_over_a_source_line():
    m, _ = meta_of(
        "关于印发《关于推动交通运输与能源融合发展的实施意见》的通知\n- 湖南省发展和改革委员会\n政策原文\n"
        "关于印发《关于推动交通运输与能源融合发展的实施意见》的通知\n湘发改能源〔2026〕23号\n各市州能源主管部门，各供电企业：\n"
        "现将《实施意见》印发你们，请认真组织实施。\n湖南省发展和改革委员会 湖南省能源局\n2026年1月14日\n"
    )
    assert m.doc_number == "湘发改能源〔2026〕23号" and m.recipients == ["各市州能源主管部门", "各供电企业"]
    # a date line with nothing under it but the page's source line ends the notice (no signer's name on the page)
    m, _ = meta_of(
        "江西省发展改革委关于进一步完善分时电价机制有关事项的通知\n赣发改价管〔2025〕463号\n各设区市发展改革委：\n"
        "现就有关事项通知如下：\n一、优化峰谷时段设置\n本通知自2025年7月1日起执行。\n2025年6月23日\n来源：江西省发展和改革委员会\n"
    )
    assert m.date_document == D(2025, 6, 23)
    # negative: a date line with running text below it is no signature
    m, _ = meta_of(
        "江西省发展改革委关于进一步完善分时电价机制有关事项的通知\n赣发改价管〔2025〕463号\n各设区市发展改革委：\n"
        "现就有关事项通知如下：\n一、优化峰谷时段设置\n2025年6月23日\n调整后的时段为高峰时段9：00－12：00。\n"
    )
    assert m.date_document is None


def test_colophon_issue_line_with_the_printer_on_the_same_line():
    # d31-01: a trial township notice (关于进一步规范吴泾镇建筑垃圾治理的通知) ends with 公开属性 and a 印发 line that sets the
    # printing office and the date apart on one line; its date was read as a deadline of the last clause
    text = ("关于进一步规范吴泾镇建筑垃圾治理的通知\n闵吴府发〔2021〕3号\n一、工作目标\n到2022年实现全程监管。\n"
            "闵行区吴泾镇人民政府\n2021年2月7日\n公开属性：主动公开\n吴泾镇人民政府办公室                  2021年2月7日印发\n")
    m, z = meta_of(text)
    assert z.colophon == [6, 7]
    assert m.date_document == D(2021, 2, 7)
    from kg.pipeline import process_text
    surfaces = [d["surface"] for d in process_text(text).facts["deadlines"]]
    assert surfaces == ["到2022年"]


def test_signature_on_one_line_is_no_colophon():
    # negative for d31-01: a name and a date on one line without 印发 stay in the text above the colophon
    m, z = meta_of("关于进一步规范吴泾镇建筑垃圾治理的通知\n一、工作目标\n到2022年实现全程监管。\n"
                   "闵行区吴泾镇人民政府 2021年2月7日\n")
    assert z.colophon == []


def test_plan_title_set_on_two_lines_under_the_notice():
    # d31-02: a trial district plan (2026年松江区建筑垃圾运输行业“清水行动”工作方案) sets its title on two lines; the first half
    # was read as the notice's text (its year a deadline) and the second as a cited title
    text = ("关于印发《2026年松江区建筑垃圾运输行业“清水行动”工作方案》的通知\n各相关部门、各街镇（经开区）：\n"
            "我局牵头制定了《2026年松江区建筑垃圾运输行业“清水行动”工作方案》，现印发给你们，请认真贯彻落实。\n"
            "松江区绿化和市容管理局\n2026年5月7日\n2026年松江区建筑垃圾运输行业\n“清水行动”工作方案\n"
            "一、工作目标\n全面加强建筑垃圾运输车辆车容治理。\n")
    m, z = meta_of(text)
    assert z.plan_title == 5 and z.body[0] == 7
    assert m.title == "2026年松江区建筑垃圾运输行业“清水行动”工作方案"
    from kg.pipeline import process_text
    facts = process_text(text).facts
    assert [d["surface"] for d in facts["deadlines"]] == []
    assert [(r["title"], r["relation"]) for r in facts["refs"]] == [("2026年松江区建筑垃圾运输行业“清水行动”工作方案", "self")]


def test_plan_title_line_followed_by_a_heading_is_one_line():
    # negative for d31-02: a title on one line keeps the line after it in the body
    m, z = meta_of("关于印发《松江区清水行动工作方案》的通知\n各街镇：\n现将《松江区清水行动工作方案》印发给你们。\n"
                   "松江区绿化和市容管理局\n2026年5月7日\n松江区清水行动工作方案\n一、工作目标\n全面加强治理。\n")
    assert z.plan_title == 5 and z.body[0] == 6


def test_plan_title_named_in_the_notice_text_when_the_notice_title_says_bengu():
    # d31-03: a trial district notice (上海市崇明区人民政府办公室关于印发本区深化农村公路管理养护体制改革实施方案的通知) calls
    # the plan 本区… in its title and 《崇明区…》 in its text; the title line was read as the notice's text (崇明区深化… a
    # place as the subject of a task, 崇明区人民政府 lead)
    text = ("上海市崇明区人民政府办公室关于印发本区深化农村公路管理养护体制改革实施方案的通知\n沪崇府办发〔2021〕13号\n"
            "各乡、镇人民政府，区政府有关委、办、局：\n"
            "《崇明区深化农村公路管理养护体制改革实施方案》已经区政府同意，现印发给你们，请认真按照执行。\n"
            "2021年7月24日\n崇明区深化农村公路管理养护体制改革实施方案\n一、总体要求\n加快构建农村公路管理养护体系。\n")
    m, z = meta_of(text)
    assert z.plan_title == 5 and z.body[0] == 6
    assert m.title == "崇明区深化农村公路管理养护体制改革实施方案"
    from kg.pipeline import process_text
    assert [p["party"] for p in process_text(text).facts["parties"] if p["role"] != "implied"] == []


def test_plan_named_in_the_notice_text_with_no_title_line():
    # negative for d31-03: no line repeats the plan's name, the notice is its first paragraph as before
    m, z = meta_of("上海市崇明区人民政府办公室关于印发本区深化农村公路管理养护体制改革实施方案的通知\n"
                   "各乡、镇人民政府：\n《崇明区深化农村公路管理养护体制改革实施方案》已经区政府同意，现印发给你们。\n"
                   "2021年7月24日\n一、总体要求\n加快构建农村公路管理养护体系。\n")
    assert z.plan_title is None
