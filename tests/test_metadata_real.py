"""Metadata on real layouts (issue 8): titles over two lines, joint signatures on one line, decisions of a
people's congress, and scraped text whose line breaks were lost — plus the scorer against the Zhejiang
annotations and its floors.

The texts below are written for this file in the style of real documents (other places and titles than
the Zhejiang set); the Zhejiang figures are measured on the annotated files themselves.
"""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import meta

from kg.clean import clean
from kg.divisions import place_at_start, place_chain
from kg.evaluate_meta import FIELDS, _docnum_eq, _regroup, _spells_out, evaluate_meta, load_cases, zhejiang_split
from kg.extract.metadata import split_recipients, tidy_title
from kg.extract.reflow import reflow, split_org_run
from kg.pipeline import process_text
from kg.read import SourceDoc



# --- the examples of the issue ----------------------------------------------------------------------

STATE_COUNCIL = (
    "国务院关于印发\n\n“十四五”数字经济发展规划的通知\n国发〔2021〕29号\n"
    "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n"
    "现将《“十四五”数字经济发展规划》印发给你们，请认真贯彻执行。\n国务院\n2021年12月12日\n（此件公开发布）\n"
    "“十四五”数字经济发展规划\n数字经济是继农业经济、工业经济之后的主要经济形态。\n"
    "一、发展现状和形势\n（一）发展现状。我国深入实施数字经济发展战略。\n")


def test_state_council_title_over_two_lines():
    m = meta(STATE_COUNCIL)
    assert m.title == "“十四五”数字经济发展规划"
    assert m.notice_title == "国务院关于印发“十四五”数字经济发展规划的通知"
    assert m.doc_number == "国发〔2021〕29号"
    assert m.issuers == ["国务院"]
    assert (m.level, m.jurisdiction) == ("national", "全国")
    assert m.date_document == dt.date(2021, 12, 12)
    assert m.recipients[0] == "各省、自治区、直辖市人民政府"


def test_joint_signature_on_one_line_gives_two_issuers():
    m = meta("上海市交通委员会 上海市发展和改革委员会关于印发《上海市交通节能减排专项扶持资金管理办法》的通知\n"
             "沪交科〔2023〕12号\n各有关单位：\n现将《上海市交通节能减排专项扶持资金管理办法》印发给你们，请遵照执行。\n"
             "上海市交通委员会    上海市发展和改革委员会\n2023年5月6日\n上海市交通节能减排专项扶持资金管理办法\n"
             "第一条 为了规范资金管理，制定本办法。\n第二条 本办法自2023年6月1日起施行。\n")
    assert m.issuers == ["上海市交通委员会", "上海市发展和改革委员会"]
    assert m.title == "上海市交通节能减排专项扶持资金管理办法"
    assert m.date_document == dt.date(2023, 5, 6)


def test_congress_decision_has_title_issuer_and_adoption_date():
    m = meta("上海市人民代表大会常务委员会关于促进和保障浦东新区改革开放的决定\n"
             "（2021年6月23日上海市第十五届人民代表大会常务委员会第三十二次会议通过）\n"
             "为了推动浦东新区高水平改革开放，根据有关法律的规定，结合本市实际，作出如下决定：\n"
             "一、浦东新区应当坚持系统观念。\n二、本决定自2021年7月1日起施行。\n")
    assert m.title == "上海市人民代表大会常务委员会关于促进和保障浦东新区改革开放的决定"
    assert m.issuers == ["上海市人民代表大会常务委员会"]
    assert m.date_document == dt.date(2021, 6, 23)
    assert m.sources["date_document"] == "adoption"
    assert m.recipients == []  # 作出如下决定： leads to the body; it names no recipient
    assert (m.level, m.jurisdiction) == ("provincial", "上海市")


# --- scraped text: elements run together -------------------------------------------------------------

GLUED_JOINT = (
    "衢州市经济和信息化局衢州市财政局衢经信〔2019〕33号\n"
    "衢州市经济和信息化局衢州市财政局关于印发《衢州市工业设计奖励办法》的通知各县（市、区）经信局、财政局，市级有关部门：\n"
    "现将《衢州市工业设计奖励办法》印发给你们，请遵照执行。\n"
    "衢州市经济和信息化局衢州市财政局2019年3月5日衢州市工业设计奖励办法为推动工业设计发展，制定本办法。\n"
    "第一条 本办法适用于本市工业企业。\n第二条 本办法自2019年4月1日起施行。\n")


def test_glued_joint_masthead_signature_and_next_title():
    m = meta(GLUED_JOINT)
    assert m.doc_number == "衢经信〔2019〕33号"
    assert m.issuers == ["衢州市经济和信息化局", "衢州市财政局"]
    assert m.date_document == dt.date(2019, 3, 5)
    assert (m.level, m.jurisdiction) == ("prefectural", "衢州市")
    assert m.title == "衢州市工业设计奖励办法"
    assert m.recipients[-1] == "市级有关部门"


def test_masthead_bare_doc_number_and_recipients_glued():
    m = meta("丽水市人民政府文件丽政发201912号丽水市人民政府关于加快农村电商发展的若干意见各县（市、区）人民政府，"
             "市政府直属各单位：\n为加快农村电子商务发展，现提出如下意见。\n一、总体要求\n（一）主要目标。到2022年，建成一批电商专业村。\n"
             "丽水市人民政府2019年5月8日（此件公开发布）抄送：市委各部门。\n")
    assert m.doc_number == "丽政发〔2019〕12号"
    assert m.issuers == ["丽水市人民政府"]
    assert m.recipients == ["各县（市、区）人民政府", "市政府直属各单位"]
    assert m.date_document == dt.date(2019, 5, 8)


def test_party_document_dated_under_its_title():
    m = meta("义县委发〔2019〕7号\n中共义乌市委义乌市人民政府关于推进数字经济发展的若干意见（2019年4月2日）为加快数字经济发展，"
             "现提出如下意见。\n一、发展目标\n到2022年，数字经济核心产业增加值达到300亿元。\n")
    assert m.date_document == dt.date(2019, 4, 2)
    assert m.sources["date_document"] == "title"
    assert len(m.issuers) == 2 and m.issuers[1] == "义乌市人民政府"
    assert (m.level, m.jurisdiction) == ("county", "义乌市")


def test_county_from_a_title_when_no_issuer_is_named():
    m = meta("龙泉市青瓷产业扶持政策为推动青瓷产业发展，制定本政策。\n一、支持企业做大\n1.对年销售额首次超过1亿元的企业给予奖励。\n")
    assert m.title == "龙泉市青瓷产业扶持政策"
    assert (m.level, m.jurisdiction) == ("county", "龙泉市")


def test_a_date_in_running_text_is_no_signature():
    m = meta("关于规范专项资金管理的通知\n各区财政局：\n一、资金使用\n具体由区金融办会同区财政局负责解释。本通知自2018年1月1日起实施。\n")
    assert m.date_document is None
    assert m.issuers in ([], [])  # no signature, and the title names no issuer


def test_reflow_only_inserts_line_breaks_and_keeps_offsets():
    src = "衢州市财政局2019年3月5日衢州市奖励办法为推动发展，制定本办法。"
    ct = reflow(clean(SourceDoc(path="x", name="x.txt", format="text", encoding="utf-8", sha256="", text=src)))
    assert ct.text.replace("\n", "") == src
    assert ct.text.split("\n")[:3] == ["衢州市财政局", "2019年3月5日", "衢州市奖励办法"]
    for k, ch in enumerate(ct.text):
        if ch != "\n":
            s, e = ct.mt.source_span(k, k + 1)
            assert src[s:e] == ch
    assert any(c.kind == "reflow" for c in ct.changes)


def test_split_org_run():
    assert split_org_run("中共东阳市委东阳市人民政府") == ["中共东阳市委", "东阳市人民政府"]
    assert split_org_run("嘉兴市人民政府金融工作办公室") == ["嘉兴市人民政府金融工作办公室"]
    assert split_org_run("上海市交通委员会 上海市发展和改革委员会") == ["上海市交通委员会", "上海市发展和改革委员会"]
    # a national body's office in a province is one name (kg/ontology/agencies.yaml name formats)
    assert split_org_run("国家能源局河南监管办公室") == ["国家能源局河南监管办公室"]
    assert split_org_run("国家税务总局上海市税务局") == ["国家税务总局上海市税务局"]
    assert split_org_run("国家能源局浙江监管办公室浙江省能源局") == ["国家能源局浙江监管办公室", "浙江省能源局"]
    # … but two bodies of one place are two names
    assert split_org_run("浙江省发展和改革委员会浙江省能源局") == ["浙江省发展和改革委员会", "浙江省能源局"]


def test_divisions_every_county_with_ambiguity():
    assert [d.name for d in place_chain("舟山市普陀区人民政府")] == ["舟山市", "普陀区"]
    assert place_chain("舟山市普陀区")[-1].code == "330903"
    assert place_at_start("普陀区人民政府").code == ""  # two 普陀区 (Shanghai, Zhoushan): name and level only
    assert place_at_start("普陀区人民政府", within="上海市").code == "310107"
    assert place_at_start("各乡镇人民政府") is None


# --- the scorer and the honest figures -------------------------------------------------------------

def test_zhejiang_split_is_fixed_and_disjoint():
    sp = zhejiang_split()
    assert len(sp["zhejiang-dev"]) == len(sp["zhejiang-heldout"]) == 21
    assert not set(sp["zhejiang-dev"]) & set(sp["zhejiang-heldout"])
    assert sp["zhejiang-dev"][0] == "zj0016.txt" and sp["zhejiang-heldout"][0] == "zj0018.txt"


def test_docnumber_match_rules():
    assert _docnum_eq("湖政办发〔2017〕97号", "〔2017〕97号")  # annotators left out the 代字
    assert not _docnum_eq("湖政办发〔2017〕98号", "〔2017〕97号")
    assert _docnum_eq("湖政办发[2017]97号", "湖政办发〔2017〕97号")


def test_recipients_spelled_out_of_a_shared_run_count_as_the_run():
    # the gold keeps a run sharing a suffix as written (tests/ANNOTATION.md); the reader spells out its bodies
    gold = ["海口市、三亚市、三沙市、定安县发展和改革委", "洋浦经济发展局"]
    pred = ["海口市发展和改革委", "三亚市发展和改革委", "三沙市发展和改革委", "定安县发展和改革委", "洋浦经济发展局"]
    assert _regroup(pred, gold)[0] == gold
    # a part of the run only is no match, nor are the bodies in another order
    assert _regroup(pred[:2] + pred[4:], gold)[0] == pred[:2] + pred[4:]
    assert _regroup([pred[1], pred[0], *pred[2:]], gold)[0] == [pred[1], pred[0], *pred[2:]]
    # names that share nothing are no spelling-out of a run (郑州委, 新乡: a run the reader cut wrong)
    assert not _spells_out(["郑州委", "新乡", "驻马店市发展改革委"], "郑州、新乡、驻马店市发展改革委")
    assert _spells_out(["郑州市发展改革委", "新乡市发展改革委", "驻马店市发展改革委"], "郑州、新乡、驻马店市发展改革委")
    # a shared prefix written once (the classes of bodies first, then each office)
    assert _spells_out(["各省、自治区、直辖市交通运输厅", "各省、自治区、直辖市财政厅"],
                       "各省、自治区、直辖市交通运输厅、财政厅")
    # the scorer's own check, not the reader's: a spelling-out that does not join back into the run is none
    assert not _spells_out(["海口市发展和改革委", "三亚市发展和改革局"], "海口市、三亚市发展和改革委")
    assert not _spells_out(["海口市发展和改革委"], "海口市、三亚市发展和改革委")


def test_every_zhejiang_case_has_its_file():
    for name in ("zhejiang-dev", "zhejiang-heldout"):
        for c in load_cases(name):
            assert c.path.exists(), c.path


def _figures(name: str) -> dict[str, float]:
    return {s.kind: s.f1 for s in evaluate_meta(name)}


# Floors just under the figures measured when the rules were written (README, "Evaluation").  The dev half
# was tuned on; the held-out half was never looked at, so its floors are the honest ones.
# (zhejiang-dev issuers 0.943 since 2026-11-30: zj0556's annotation names the office that printed it — 苍南县人力资源和
# 社会保障局办公室, the 印发 line — where the signature names the two issuing bureaus)
DEV_FLOORS = {"doc_number": 0.95, "issuers": 0.93, "date": 0.90, "jurisdiction": 0.95, "recipients": 0.95}
# (the held-out floors below were raised to just under the figures of 2026-12-01 where they sat far under them; raised
# again on 2026-12-01 (night) after the rules of tests/test_metadata_layouts.py: 文号 0.944 → 1.000, issuers 0.851 → 0.857,
# 成文日期 0.800 → 0.846)
HELDOUT_FLOORS = {"doc_number": 0.99, "issuers": 0.85, "date": 0.84, "jurisdiction": 0.77, "recipients": 0.92}
DEV3_FLOORS = {"doc_number": 0.95, "issuers": 0.95, "date": 0.95, "jurisdiction": 0.92, "level": 0.92,
               "recipients": 0.92, "title": 0.9}
HELDOUT3_FLOORS = {"doc_number": 0.95, "issuers": 0.78, "date": 0.95, "jurisdiction": 0.8, "level": 0.8,
                   "recipients": 0.9, "title": 0.88}
# plan-type documents annotated to tests/ANNOTATION.md: dev4 tuned on, held-out 4 blind
DEV4_FLOORS = {"doc_number": 0.95, "issuers": 0.95, "date": 0.95, "jurisdiction": 0.94, "level": 0.94,
               "recipients": 0.95, "title": 0.95}
DEV5_FLOORS = {"doc_number": 0.95, "issuers": 0.95, "date": 0.95, "jurisdiction": 0.95, "level": 0.95,
               "recipients": 0.9, "title": 0.95}
HELDOUT4_FLOORS = {"doc_number": 0.95, "issuers": 0.95, "date": 0.9, "jurisdiction": 0.95, "level": 0.95,
                   "recipients": 0.93, "title": 0.95}
# dev 7 and dev 8 (tuned on): every field at 1.0 but one recipient
DEV7_FLOORS = dict.fromkeys(FIELDS, 0.95)
# held-out 5: annotated blind, never tuned on (its first run, on the code before dev 7's rules, was far lower)
HELDOUT5_FLOORS = {"doc_number": 0.92, "issuers": 0.94, "date": 0.85, "jurisdiction": 0.93, "level": 0.93,
                   "recipients": 0.95, "title": 0.66}

# dev 9 (tuned on since its first run: title 0.57, recipients 0.91)
DEV9_FLOORS = {"doc_number": 0.95, "issuers": 0.9, "date": 0.9, "jurisdiction": 0.95, "level": 0.95,
               "recipients": 0.88, "title": 0.83}
# held-out 6: annotated blind, never tuned on; under its first run (recipients far below: a known gap)
HELDOUT6_FLOORS = {"doc_number": 0.83, "issuers": 0.9, "date": 0.95, "jurisdiction": 0.9, "level": 0.9,
                   "recipients": 0.5, "title": 0.85}


# dev 10 and dev 11 (notices with a 公文 head, annotated blind; tuned on since their first runs: dev 10 issuers 0.60,
# title 0.67; dev 11 issuers 0.68, title 0.75)
DEV10_FLOORS = dict.fromkeys(FIELDS, 0.95)
DEV11_FLOORS = DEV10_FLOORS  # recipients 0.951 → 1.0 once spelled-out runs count as the run (2026-11-30)
# dev 12 (eleven notices and a reply with a 公文 head, annotated blind; tuned on since its first run: date 0.909,
# recipients 0.739, every other field 1.0; every field 1.0 since the rules of 2026-11-30)
DEV12_FLOORS = dict.fromkeys(FIELDS, 0.95)
# dev 13 (thirteen real 公文 heads — national joint notices, big5 portal pages, portal header fields — annotated blind;
# tuned on since its first run: 文号 0.889, issuers 0.682, 成文日期 / jurisdiction / level 0.917, 主送 0.857, title 0.538)
DEV13_FLOORS = {**dict.fromkeys(FIELDS, 0.95), "title": 0.9}  # title 0.923: one heading the page cut short
# dev 18 (twelve prefecture- and county-level documents of 广东, 山东, 河南 — portal pages, a reply to a CPPCC member,
# a county plan's draft, city regulations — annotated blind; first run: 文号 / issuers / 成文日期 / jurisdiction / level
# 1.000, 主送 0.667, title 0.750; tuned on since)
DEV18_FLOORS = {**dict.fromkeys(FIELDS, 0.95), "title": 0.9}  # title 0.917: the county plan's draft marker (送审稿)
# dev 20 (twenty heads of unseen layouts — legal-information pages, county portals' field lists, spun and traditional
# copies, congress-adopted regulations, a decree, State Council 批复 — annotated blind; first run: 文号 1.000 / 0.667,
# issuers 0.682 / 0.714, 成文日期 0.900 / 0.562, jurisdiction and level 1.000 / 0.800, 主送 1.000 / 0.622, title 0.684;
# tuned on since: its misses are a journal abstract that glues signature, date and the next title into one paragraph,
# and two doubts of the gold — a portal naming a site as 发文机构, a collector's issuer line before a title)
# (issuers, 成文日期 and jurisdiction 1.000 since 2026-12-01 (night): the abstract's signature glued to the title its notice
# names, and the body a title opens with where the portal names a site; the collector's issuer line stays a doubt)
DEV20_FLOORS = {**dict.fromkeys(FIELDS, 0.95), "title": 0.93}  # F1 title 0.947
# dev 24 (twenty-one heads of every level — joint signatures of up to fourteen bodies, Chinese-numeral and garbled dates,
# portals' field lists, standing committees' decision and 公告, a 批复, a law — annotated blind on 2026-12-01 and split by
# document).  Half A is tuned on: first run 文号 0.941, issuers 0.943, 成文日期 0.909, jurisdiction / level 0.818, 主送 0.737,
# title 0.600; every field 1.000 after the rules written from its errors (tests/test_metadata_dev24.py).  Half B is never
# tuned on (its errors are not shown, and a failing floor here prints its figure only): first run 文号 0.667, issuers
# 0.526, 成文日期 0.857, jurisdiction / level 0.875, 主送 0.759, title 0.875 — A's rules moved none of them.
DEV24A_FLOORS = dict.fromkeys(FIELDS, 0.95)
# (2026-12-01 (night): 文号 0.667 → 0.769, issuers 0.526 → 0.750 with the decree rules of tests/test_metadata_layouts.py —
# decrees signed by acting or named office holders, a presidential order; the README's description of the set names such
# layouts, so this transfer is less honest than A's)
# (2026-12-02: 主送 0.759 → 0.786 with dev 31's rule that a byline's label alone over its date is no 主送 line)
DEV24B_FLOORS = {"doc_number": 0.76, "issuers": 0.74, "date": 0.85, "jurisdiction": 0.87, "level": 0.87,
                 "recipients": 0.78, "title": 0.87}
# held-out 7: thirteen notices annotated blind, never tuned on; just under its first run, which is where it stands
HELDOUT7_FLOORS = {"doc_number": 0.82, "issuers": 0.92, "date": 0.9, "jurisdiction": 0.95, "level": 0.95,
                   "recipients": 0.85, "title": 0.84}
# held-out 8: ten documents of every level annotated blind for every kind, never tuned on; just under its first run
# (文号 / 成文日期 / level / title 1.000, issuers 0.960, jurisdiction 0.900, 主送 0.971)
HELDOUT8_FLOORS = {"doc_number": 0.95, "issuers": 0.95, "date": 0.95, "jurisdiction": 0.89, "level": 0.95,
                   "recipients": 0.96, "title": 0.95}
# held-out 11: ten documents of every level annotated blind for every kind (tests/data/heldout11), never tuned on; just
# under its first run (文号 0.923, issuers / 成文日期 1.000, jurisdiction / level 0.947, 主送 0.810, title 0.667)
HELDOUT11_FLOORS = {"doc_number": 0.91, "issuers": 0.99, "date": 0.99, "jurisdiction": 0.93, "level": 0.93,
                    "recipients": 0.8, "title": 0.65}


# dev 31 (twenty-four heads of layouts and levels the sets before show little of — collector and portal field rows with and
# without colons, traditional copies with a converter's readings in brackets, congress resolutions, 公告 and regulations,
# untitled, unsigned and undated heads, prefectures and counties of twelve provinces — annotated blind on 2026-12-02 and
# split by source address).  Half A is tuned on: first run 文号 0.571, issuers 0.300, 成文日期 0.952, jurisdiction / level
# 0.818, 主送 0.815, title 0.455; every field 1.000 after the rules written from its errors (tests/test_metadata_dev31.py).
# Half B is never tuned on (its errors are not shown): first run 文号 0.875, issuers 0.762, 成文日期 0.833, jurisdiction /
# level 0.900, 主送 0.889, title 0.818; after A's rules 文号 0.941, issuers 0.909, 成文日期 0.923, jurisdiction / level 0.952,
# 主送 0.889, title 0.909 (the first rule — a converter's readings, 發(fā) — is folded by the scorer in both halves too)
DEV31A_FLOORS = dict.fromkeys(FIELDS, 0.99)
DEV31B_FLOORS = {"doc_number": 0.93, "issuers": 0.9, "date": 0.91, "jurisdiction": 0.94, "level": 0.94,
                 "recipients": 0.88, "title": 0.9}
# dev 33 (twenty heads chosen for titles and 主送 — titles over two to four lines, under a collector's or a news page's
# repeated title, untitled heads, 主送 with brackets, places run on one suffix and 、-joined classes, decrees, 通告 and
# 批复 without 主送; thirteen provinces — annotated blind on 2026-12-02 and split by source address).  Half A is tuned on:
# first run 文号 0.750, issuers 0.571, 成文日期 1.000, jurisdiction 0.900, level 0.952, 主送 0.894, title 0.625; after the
# rules written from its errors (tests/test_metadata_dev33.py) 文号 1.000, issuers 0.977, 成文日期 1.000, jurisdiction 0.952,
# level / 主送 / title 1.000.  Half B is never tuned on (its errors are not shown): first run 文号 0.909, issuers 0.615,
# 成文日期 0.500, jurisdiction 0.615, level 0.714, 主送 0.828, title 0.429; after A's rules issuers 0.714, jurisdiction 0.714,
# the rest as it was
DEV33A_FLOORS = {"doc_number": 0.99, "issuers": 0.96, "date": 0.99, "jurisdiction": 0.94, "level": 0.99,
                 "recipients": 0.99, "title": 0.99}
DEV33B_FLOORS = {"doc_number": 0.9, "issuers": 0.7, "date": 0.49, "jurisdiction": 0.7, "level": 0.7,
                 "recipients": 0.81, "title": 0.42}


@pytest.mark.parametrize("name,floors", [("zhejiang-dev", DEV_FLOORS), ("zhejiang-heldout", HELDOUT_FLOORS),
                                         ("dev3", DEV3_FLOORS), ("heldout3", HELDOUT3_FLOORS),
                                         ("dev4", DEV4_FLOORS), ("heldout4", HELDOUT4_FLOORS),
                                         ("dev5", DEV5_FLOORS), ("dev6", DEV5_FLOORS), ("dev7", DEV7_FLOORS),
                                         ("dev8", DEV7_FLOORS), ("heldout5", HELDOUT5_FLOORS),
                                         ("heldout6", HELDOUT6_FLOORS), ("dev9", DEV9_FLOORS),
                                         ("dev10", DEV10_FLOORS), ("dev11", DEV11_FLOORS), ("heldout7", HELDOUT7_FLOORS),
                                         ("dev12", DEV12_FLOORS), ("dev13", DEV13_FLOORS),
                                         ("dev18", DEV18_FLOORS), ("dev20", DEV20_FLOORS),
                                         ("dev24a", DEV24A_FLOORS), ("dev24b", DEV24B_FLOORS),
                                         ("heldout8", HELDOUT8_FLOORS), ("heldout11", HELDOUT11_FLOORS),
                                         ("dev31a", DEV31A_FLOORS), ("dev31b", DEV31B_FLOORS),
                                         ("dev33a", DEV33A_FLOORS), ("dev33b", DEV33B_FLOORS)])
def test_zhejiang_floors(name, floors):
    got = _figures(name)
    for field, floor in floors.items():
        assert got[field] >= floor, (name, field, got[field])


def test_portal_header_block_then_the_document_with_a_chinese_numeral_date():
    m = meta("索引号：000014349/2021-00123\n发文机关：国务院办公厅\n标  题：国务院办公厅关于加快发展保障性租赁住房的意见\n"
             "发文字号：国办发〔2021〕22号\n成文日期：2021年06月24日\n发布日期：2021年07月02日\n"
             "国务院办公厅关于加快发展保障性租赁住房的意见\n国办发〔2021〕22号\n"
             "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n"
             "为加快完善住房保障体系，经国务院同意，现提出以下意见。\n一、明确对象标准\n"
             "（一）保障性租赁住房主要解决新市民、青年人等群体的住房困难问题。\n国务院办公厅\n二〇二一年六月二十四日\n（此件公开发布）\n")
    assert m.doc_number == "国办发〔2021〕22号"
    assert m.issuers == ["国务院办公厅"]
    assert m.date_document == dt.date(2021, 6, 24) == m.date_header
    assert m.date_publication == dt.date(2021, 7, 2)
    assert m.recipients[0] == "各省、自治区、直辖市人民政府"


def test_autonomous_region_notice_without_angle_brackets():
    m = meta("宁夏回族自治区人民政府办公厅关于印发宁夏回族自治区数字政府建设行动计划（2021年—2023年）的通知\n"
             "宁政办发〔2021〕55号\n各市、县（区）人民政府，自治区政府各部门、各直属机构：\n"
             "现将《宁夏回族自治区数字政府建设行动计划（2021年—2023年）》印发给你们，请认真贯彻落实。\n"
             "宁夏回族自治区人民政府办公厅\n2021年8月4日\n（此件公开发布）\n"
             "宁夏回族自治区数字政府建设行动计划（2021年—2023年）\n为加快数字政府建设，制定本行动计划。\n一、总体要求\n")
    assert m.title == "宁夏回族自治区数字政府建设行动计划（2021年—2023年）"
    assert (m.level, m.jurisdiction) == ("provincial", "宁夏回族自治区")
    assert m.period == (2021, 2023)
    assert m.date_document == dt.date(2021, 8, 4)


def test_plan_title_found_when_its_inner_quotes_differ_from_the_notices():
    doc = process_text(
        "衢科〔2019〕8号\n关于印发《<衢州市人民政府关于推动科技创新的若干意见>有关内容的操作办法》的通知\n各县（市、区）科技局：\n"
        "现将操作办法予以印发，请遵照执行。\n衢州市科学技术局\n2019年5月6日\n"
        "《衢州市人民政府关于推动科技创新的若干意见》有关内容的操作办法\n为了落实若干意见，制定本办法。\n"
        "一、研发投入补助\n（一）对企业研发投入给予补助。\n二、平台建设\n（一）支持建设重点实验室。\n", "x.txt", with_facts=False)
    assert doc.zones.plan_title is not None
    assert len([c for c in doc.all_clauses() if c.kind not in ("preamble", "notice")]) >= 4


def test_a_body_and_a_date_inside_a_sentence_are_no_signature():
    text = ("宁波市财政局关于印发资金管理办法的通知\n各区县（市）财政局：\n现将《资金管理办法》印发给你们，请遵照执行。\n"
            "第一条 本办法经宁波市人民政府2018年2月2日常务会议审议通过。\n第二条 本办法自发布之日起施行。\n宁波市财政局\n2019年3月4日\n")
    assert meta(text).date_document == dt.date(2019, 3, 4)
    for s in ("杭州市财政局2018年2月2日印发的文件继续有效。", "按照浙政办发〔2018〕4号要求，现将办法印发给你们。"):
        ct = reflow(clean(SourceDoc(path="x", name="x.txt", format="text", encoding="utf-8", sha256="", text=s)))
        assert ct.text == s


# --- page chrome and collectors' front matter above the notice's head (dev set 7's layouts) -------------------

def test_a_collectors_markdown_page_with_the_notice_below_its_fields():
    m = meta("# “十四五”某某体系规划\n\n**发布日期**: 2021年12月\n**发布机构**: \n**来源**: https://www.gov.cn/zhengce/x.htm\n\n"
             "---\n\n## 政策全文\n\n国务院关于印发\n\n“十四五”某某体系规划的通知\n\n国发〔2021〕99号\n\n\n"
             "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n\n现将《“十四五”某某体系规划》印发给你们，请认真贯彻执行。\n\n"
             "国务院\n\n2021年12月30日\n\n“十四五”某某体系规划\n\n为全面推进某某工作，制定本规划。\n\n一、规划背景\n\n"
             "（一）取得的进展。各地区、各有关部门认真贯彻落实党中央、国务院决策部署。\n")
    assert m.doc_number == "国发〔2021〕99号" and m.issuers == ["国务院"]
    assert m.date_document == dt.date(2021, 12, 30) and (m.level, m.jurisdiction) == ("national", "全国")
    assert m.notice_title == "国务院关于印发“十四五”某某体系规划的通知"
    assert m.recipients[:2] == ["各省、自治区、直辖市人民政府", "国务院各部委"]


def test_a_portal_page_then_a_joint_masthead_one_name_a_line():
    m = meta("重庆市经济和信息化委员会\n行政规范性文件\n下载文字版\n政策解读\n一图读懂\n"
             "《重庆市支持某某产业发展政策措施》政策问答\n重庆市经济和信息化委员会\n重庆市财政局\n重庆市商务委员会\n"
             "关于印发《重庆市支持某某产业发展\n政策措施》的通知\n渝经信规范〔2025〕99号\n各有关单位：\n"
             "现将《重庆市支持某某产业发展政策措施》印发给你们，请认真贯彻执行。\n"
             "重庆市经济和信息化委员会\n重庆市财政局\n重庆市商务委员会\n2025年12月30日\n（此件公开发布）\n"
             "重庆市支持某某产业发展政策措施\n一、研发激励\n对销量达一定规模的车型给予激励。\n")
    assert m.doc_number == "渝经信规范〔2025〕99号"
    assert m.issuers == ["重庆市经济和信息化委员会", "重庆市财政局", "重庆市商务委员会"]
    assert m.notice_title == "关于印发《重庆市支持某某产业发展政策措施》的通知"
    assert m.date_document == dt.date(2025, 12, 30) and m.recipients == ["各有关单位"]


def test_a_doc_number_scraped_one_piece_a_line_under_page_buttons_and_an_attachment_list():
    m = meta("通知公告_ 内蒙古自治区能源局\n返回首页\n页面放大\n语音播报\n通知公告\n"
             "内蒙古自治区能源局关于印发《某某项目实施方案（试行）》的通知\n发布日期：2026-01-14 23:00\n来源：内蒙古自治区能源局\n"
             "朗读\n内能源新能发\n〔\n2\n026\n〕\n1\n号\n"
             "各盟市能源局、有关盟市发展改革委，满洲里市、二连浩特市发展改革委，内蒙古电力公司、国网蒙东电力公司：\n"
             "按照有关要求，自治区能源局研究制定了《某某项目实施方案（试行）》，现印发你们，请认真执行。\n此通知。\n"
             "附件：\n1.某某项目实施方案（试行）\n2.某某项目申报大纲\n内蒙古自治区能源局\n2026年1月13日\n（此件主动公开）\n"
             "附件1\n某某项目实施方案（试行）\n一、总体要求\n为进一步明确项目开发建设要求，制定本方案。\n")
    assert m.doc_number == "内能源新能发〔2026〕1号"
    assert m.issuers == ["内蒙古自治区能源局"] and m.date_document == dt.date(2026, 1, 13)
    assert (m.level, m.jurisdiction) == ("provincial", "内蒙古自治区")
    # each city's commission (not 满洲里市委, the city's party committee); 国网… keeps its own name
    assert "满洲里市发展改革委" in m.recipients and "二连浩特市发展改革委" in m.recipients
    assert "国网蒙东电力公司" in m.recipients and "满洲里市委" not in m.recipients


def test_a_fragment_that_opens_with_a_recipients_line_of_any_body():
    m = meta("各地级以上市发展改革局（委）、广州市工业和信息化局，广东电网公司、广东电力交易中心：\n"
             "为完善电力市场年度交易工作，我们研究制定了《某某实施方案》，现印发给你们，请遵照执行。\n"
             "广东省能源局          国家能源局南方监管局\n2025年10月20日\n")
    assert m.recipients[:2] == ["各地级以上市发展改革局（委）", "广州市工业和信息化局"]
    assert m.issuers == ["广东省能源局", "国家能源局南方监管局"] and m.date_document == dt.date(2025, 10, 20)


# --- dev set 8's layouts: a collector's English-keyed front matter, a page heading cut short, a byline ----------

def test_english_keyed_front_matter_gives_header_fields_and_the_page_above_the_notice_is_chrome():
    m = meta("---\nid: P_2023_HA_0001\naliases:\n- P_2023_GO_0001\ntitle: 某某市人民政府关于印发某某市交通发展规划的通知\n"
             "official_number: 某政〔2023〕9号\nissuer:\n- 政府门户.www.example.gov.cn\ndate: '2023-02-24'\n"
             "region:\n  level: 市\n  name: 某某市\nprovenance:\n  url: https://www.example.gov.cn/x.html\n---\n\n"
             "# 某某市人民政府关于印发某某市交通发展规划的通知\n\n## 政策原文\n\n某某市人民政府关于印发某某市交通发展规划的通知\n\n"
             "某政〔2023〕9号\n\n各县（市、区）人民政府，市人民政府各部门：\n\n《某某市交通发展规划》已经市政府常务会议研究同意，"
             "现印发给你们，请认真贯彻实施。\n\n2023年3月15日\n\n某某市交通发展规划\n\n为推动全市交通高质量发展，制定本规划。\n")
    assert m.doc_number == "某政〔2023〕9号" and m.date_document == dt.date(2023, 3, 15)
    assert m.notice_title == "某某市人民政府关于印发某某市交通发展规划的通知"
    assert m.recipients == ["各县（市、区）人民政府", "市人民政府各部门"]
    assert "www" not in "".join(m.issuers)  # a portal's domain is no issuer


def test_a_page_heading_cut_short_and_the_doc_number_repeated_are_chrome():
    m = meta("柳发改能安〔2025〕23号\n柳州市发展和改革委员会关于进一步贯彻 ...\n政策原文\n柳发改能安〔2025〕23号\n"
             "柳州市发展和改革委员会关于进一步贯彻落实某某安全管理有关工作的通知\n各县（区）、新区发展改革部门，柳州供电局，各相关能源企业：\n"
             "为贯彻落实有关文件精神，现就有关工作通知如下：\n一、强化安全论证\n（一）加强项目前期安全论证。\n"
             "柳州市发展和改革委员会\n2025年11月14日\n")
    assert m.notice_title == "柳州市发展和改革委员会关于进一步贯彻落实某某安全管理有关工作的通知"
    assert m.recipients == ["各县（区）、新区发展改革部门", "柳州供电局", "各相关能源企业"]


def test_a_byline_under_the_title_and_a_seal_on_behalf():
    m = meta("深圳市人民政府关于印发某某实施方案的通知\n信息来源：深圳市人民政府信息提供日期：2024-07-29 【字体：大中小 】\n"
             "深府函〔2024〕999号\n各区人民政府，市有关单位：\n现将《某某实施方案》印发给你们，请认真组织实施。\n"
             "重庆市綦江区商务委员会（代章）\n2024年7月11日\n某某实施方案\n一、建设目标\n")
    assert m.recipients == ["各区人民政府", "市有关单位"] and m.doc_number == "深府函〔2024〕999号"
    assert m.issuers == ["重庆市綦江区商务委员会"]


def test_a_notice_that_lost_its_head_is_read_from_its_recipients_line():
    m = meta("标题：关于印发《2025年某某专项资金项目申报指南》的通 ...\n政策原文\n|\n"
             "各辖市、区发改（经发）委（局）、工信局、财政局，常州经开区经发局、财政局，有关单位：\n"
             "为贯彻落实有关决策部署，制定《2025年某某专项资金项目申报指南》，现印发给你们，请遵照执行。\n"
             "常州市发展和改革委员会 常州市工业和信息化局\n常州市财政局\n2025年10月24日\n（此件公开发布）\n"
             "2025年某某专项资金项目申报指南\n一、支持范围\n")
    assert m.issuers == ["常州市发展和改革委员会", "常州市工业和信息化局", "常州市财政局"]
    assert m.date_document == dt.date(2025, 10, 24) and (m.level, m.jurisdiction) == ("prefectural", "常州市")
    assert m.recipients[-1] == "有关单位"


# --- dev set 13's layouts: a clock time before the 文号, a 文号 given twice on a run-together line, places named short
# over one suffix, a page's column and site after the title, a 文号 at the end of a title line, pipe-table header cells --

def test_a_clock_time_under_the_title_ends_no_recipients_line():
    m = meta("# 关于某某电价有关事项的通知\n\n**2021-10-26 16:10**来源：\n\n*大*\n\n*中*\n\n*小*】\n\n某发改规〔2021〕3号\n\n"
             "各市（地）发展改革委，某某省电力有限公司、各有关企业：\n\n为了推进改革，现就有关事项通知如下。\n\n一、有序放开电价。\n\n"
             "某某省发展和改革委员会\n\n2021年10月25日\n")
    assert m.recipients == ["各市（地）发展改革委", "某某省电力有限公司", "各有关企业"]
    assert m.doc_number == "某发改规〔2021〕3号" and m.date_document == dt.date(2021, 10, 25)


def test_a_doc_number_given_twice_before_the_recipients_on_one_scraped_line():
    m = meta("## 国家能源局关于印发《某某基本规则》的通知 国能发监管〔2024〕99号 国能发监管〔2024〕99号 各省（自治区、直辖市）能源局，"
             "各派出机构，北京、广州电力交易中心： 为贯彻落实有关精神，国家能源局研究制定了《某某基本规则》，现印发给你们，请遵照执行。"
             " 国家能源局 2024年1月31日\n|\n")
    assert m.doc_number == "国能发监管〔2024〕99号" and m.date_document == dt.date(2024, 1, 31)
    assert m.recipients == ["各省（自治区、直辖市）能源局", "各派出机构", "北京电力交易中心", "广州电力交易中心"]


def test_places_named_short_share_what_follows_the_last_ones_place():
    assert split_recipients("天津、内蒙古、广西工业和信息化主管部门") == [
        "天津工业和信息化主管部门", "内蒙古工业和信息化主管部门", "广西工业和信息化主管部门"]
    # a city named short before a city named whole still takes its full name (the run's own rule)
    assert split_recipients("郑州、驻马店市发展改革委") == ["郑州市发展改革委", "驻马店市发展改革委"]
    # bodies named whole are not places: nothing is shared
    assert split_recipients("国网某某省电力有限公司、某某电力交易中心") == ["国网某某省电力有限公司", "某某电力交易中心"]


def test_a_pages_column_and_site_and_the_doc_number_after_a_title_are_no_part_of_it():
    assert tidy_title("关于某某事项的通知_行政规范性文件_省发展和改革委员会") == "关于某某事项的通知"
    assert tidy_title("国家能源局关于印发《某某规则》的通知 国能发监管〔2024〕99号-国家能源局网站") == "国家能源局关于印发《某某规则》的通知"
    assert tidy_title("关于印发《某某实施方案》的通知（川发改能源〔2023〕99号）") == "关于印发《某某实施方案》的通知"
    # a 文号 inside the title (a document it forwards) stays; so does a title that is no page's (no separator)
    assert tidy_title("关于转发《国务院关于某某的通知》（国发〔2020〕99号）的通知") == "关于转发《国务院关于某某的通知》（国发〔2020〕99号）的通知"
    assert tidy_title("关于某某工作的实施意见（试行）") == "关于某某工作的实施意见（试行）"


def test_pipe_table_cells_of_a_portal_header_are_fields_of_their_own():
    m = meta("发文单位：某某自治区能源局 | 成文日期：2025年12月23日 |\n标 题：某某自治区能源局关于进一步明确某某交易有关事项的通知 | |\n"
             "发文字号：桂能电力〔2025〕999号 | 发布日期：2025年12月24日 |\n\n各设区市电力市场化交易主管部门，各经营主体：\n\n"
             "为保障交易平稳有序实施，现就有关事项通知如下。\n\n一、允许签订意向协议。\n\n某某自治区能源局\n\n2025年12月23日\n")
    assert m.notice_title == "某某自治区能源局关于进一步明确某某交易有关事项的通知"
    assert m.header["成文日期"] == "2025年12月23日" and m.date_header == dt.date(2025, 12, 23)
    assert m.doc_number == "桂能电力〔2025〕999号"


def test_a_page_title_line_ending_with_its_doc_number_is_not_joined_to_the_documents_own_title():
    m = meta("关于印发《某某专项行动方案(2025—2027年)》的通知(发改能源〔2025〕9999号)\n\n"
             "**国家发展改革委 国家能源局关于印发《某某专项行动方案（2025—2027年）》的通知**\n\n发改能源〔2025〕9999号\n\n"
             "各省、自治区、直辖市发展改革委、能源局，有关中央企业：\n\n为推动某某发展，研究制定了《某某专项行动方案（2025—2027年）》。"
             "现予印发，请认真抓好贯彻落实。\n\n国家发展改革委\n\n国家能源局\n\n2025年8月27日\n")
    assert m.notice_title == "国家发展改革委 国家能源局关于印发《某某专项行动方案（2025—2027年）》的通知"
    assert "关于印发《某某专项行动方案（2025—2027年）》的通知" in m.titles
    assert m.issuers == ["国家发展和改革委员会", "国家能源局"]


_FIRMS = "".join(f"{k} |\n某某{k}号餐饮有限公司 |\n" for k in range(1, 9))


def test_a_publicity_page_its_own_title_under_a_label_and_its_signature_before_the_list():
    m = meta("标题：2024年度某某专项资金（某某项目 ...\n文号：沪商规〔2022〕99号\n发布日期：2024-10-31\n"
             "2024年度某某专项资金（某某项目 ...\n政策原文\n**2024年度某某专项资金（某某项目）拟支持企业公示**\n"
             "根据《某某专项资金管理办法》（沪商规〔2022〕99号）有关要求，完成了申报和审核工作。现将拟支持企业予以公示，名单附后。\n"
             "地址：某某路300号\n电话：23110650\n上海市商务委员会\n2024年10月30日\n\n拟支持企业名单\n" + _FIRMS)
    assert m.title == "2024年度某某专项资金（某某项目）拟支持企业公示"
    assert m.issuers == ["上海市商务委员会"] and m.date_document == dt.date(2024, 10, 30)
    assert (m.level, m.jurisdiction) == ("provincial", "上海市")


def test_a_name_and_a_date_in_a_list_with_no_text_above_them_are_no_signature():
    m = meta("标题：某某名单\n发布日期：2024-10-31\n政策原文\n拟支持企业名单\n上海市商务委员会\n2024年10月30日\n" + _FIRMS)
    assert m.date_document is None and m.issuers == []


# --- a page a portal's big5 gate serves in traditional characters (script_variants.yaml) ----------------------------

BIG5_NOTICE = ("# 國家發展改革委國家能源局關於印發《某某公司管理辦法》的通知\n\n## 政策原文\n\n發改體改規〔2021〕9999號\n\n"
               "各省、自治區、直轄市發展改革委、能源局、工業和資訊化主管部門，新疆生産建設兵團發展改革委：\n\n"
               "為貫徹落實電力體制改革配套文件精神，國家發展改革委、國家能源局制定了《某某公司管理辦法》，現印發給你們，請按照執行。\n\n"
               "附件：1.某某公司管理辦法\n\n國家發展改革委\n\n國家能源局\n\n2021年11月11日\n")


def test_a_page_in_traditional_characters_is_read_in_simplified_ones():
    m = meta(BIG5_NOTICE)
    assert m.doc_number == "发改体改规〔2021〕9999号" and m.date_document == dt.date(2021, 11, 11)
    assert m.issuers == ["国家发展和改革委员会", "国家能源局"] and (m.level, m.jurisdiction) == ("national", "全国")
    assert m.notice_title == "国家发展改革委国家能源局关于印发《某某公司管理办法》的通知"
    assert m.recipients[-1] == "新疆生产建设兵团发展改革委"  # 資訊 → 信息, 産 → 产: the gate's own forms too
    assert any("工业和信息化主管部门" in r for r in m.recipients)


def test_a_simplified_page_quoting_a_few_traditional_characters_is_left_as_it_is():
    text = "关于支持某某企业发展的通知\n各有关单位：\n鼓励与臺灣聯華電子公司、香港某某公司合作。\n某某市人民政府\n2024年1月2日\n"
    assert "臺灣聯華電子" in clean(SourceDoc(path="x", name="x.txt", format="text", encoding="utf-8", sha256="", text=text)).text


def test_the_metadata_scorer_folds_the_two_scripts():
    assert _docnum_eq("发改体改规〔2021〕1595号", "發改體改規〔2021〕1595號")
    assert not _docnum_eq("发改体改规〔2021〕1595号", "發改體改規〔2021〕1596號")


_HEADLESS = ("标题：某某省发展和改革委员会关于印发《某某 ...\n政策原文\n各设区市发展改革委，各有关经营主体：\n"
             "为支持新型主体发展，省发展改革委联合制定了《某某虚拟电厂实施方案》，经审议通过，现予以印发，请遵照执行。\n"
             "某某省发展和改革委员会 国家能源局某某监管局\n2025年6月9日\n**某某虚拟电厂实施方案**\n为贯彻落实有关文件精神，制定本方案。\n"
             "一、总体思路\n积极推动虚拟电厂有序入市。\n")


def test_a_notice_that_lost_its_head_takes_its_title_from_its_download_named_after_it():
    m = meta(_HEADLESS + "某某省发展和改革委员会 国家能源局某某监管局关于印发《某某虚拟电厂实施方案》的通知.pdf\n")
    assert m.notice_title == "某某省发展和改革委员会 国家能源局某某监管局关于印发《某某虚拟电厂实施方案》的通知"
    assert m.title == "某某虚拟电厂实施方案"


def test_a_download_named_after_another_document_is_no_title():
    m = meta(_HEADLESS + "某某省发展和改革委员会关于印发《某某储能实施方案》的通知.pdf\n")
    assert m.notice_title is None and m.title == "某某虚拟电厂实施方案"


def test_a_header_doc_number_the_text_cites_as_another_documents_is_not_this_ones():
    page = ("标题：省某某厅调整与某某改革相关的权责事项清单\n文号：国办发〔2019〕99号\n发布日期：2019-12-25\n"
            "省某某厅调整与某某改革相关的权责事项清单\n政策原文\n"
            "根据国务院办公厅《关于某某的意见》（国办发〔2019〕99号）要求，我厅权责清单同步进行相应调整：\n"
            "一、行政许可事项\n某某审批行使层级为市、县级。\n某某省商务厅\n2020年1月15日\n")
    assert meta(page).doc_number is None
    # a header 文号 the text does not cite stays the document's own
    assert meta(page.replace("文号：国办发〔2019〕99号", "文号：闽商务〔2020〕9号")).doc_number == "闽商务〔2020〕9号"


# --- dev set 18's layouts: a portal's byline and field table between a notice's title and its 主送 line, a reply
# addressed to a CPPCC member or a deputy, a collector's heading naming the host body only, a disclosure catalogue's
# field table below the text --

_COUNTY_PAGE = ("标题：某某区支持某某产业发展扶持计划操作规程\n文号：某发改规〔2025〕1号\n发文机关：某某市某某区发展和改革局\n"
                "政策原文\n- [首页](https://example.gov.cn/)\n- [信息公开](https://example.gov.cn/xxgk/)\n"
                "当前位置： [首页](https://example.gov.cn/) > [区级规范性文件](https://example.gov.cn/gfxwj/)\n"
                "# 某某市某某区发展和改革局关于印发《某某区支持某某产业发展扶持计划操作规程》的通知\n"
                "来源： **某某市某某区发展和改革局**日期：2025-02-12字号：\\[大中小\\]\n"
                "|     |     |     |     |\n| --- | --- | --- | --- |\n"
                "| **文　号** | 某发改规〔2025〕1 号 | **发布机关** | 某某市某某区发展和改革局 |\n"
                "| **签发日期** | 2025-02-06 | **实施日期** | 2025-02-25 |\n\n各有关单位：\n\n"
                "现将《某某区支持某某产业发展扶持计划操作规程》印发给你们，请遵照执行。\n\n某某市某某区发展和改革局\n\n2025年2月6日\n\n"
                "**某某区支持某某产业发展扶持计划操作规程**\n\n**第一章 总则**\n\n第一条 为加强扶持计划管理，制定本规程。\n")


def test_a_portal_byline_and_field_table_between_a_notice_title_and_its_recipients_line():
    m = meta(_COUNTY_PAGE)
    assert m.notice_title == "某某市某某区发展和改革局关于印发《某某区支持某某产业发展扶持计划操作规程》的通知"
    assert m.recipients == ["各有关单位"] and m.date_document == dt.date(2025, 2, 6)


def test_only_a_portals_byline_and_field_rows_are_looked_past_under_a_title():
    from kg.extract.layout import _past_page_matter

    lines = ["某某局关于印发《某某办法》的通知", "来源：某某局日期：2025-02-12字号：[大中小]", "文\u3000号\t某发改规〔2025〕1 号\t发布机关\t某某局",
             "签发日期\t2025-02-06\t实施日期\t2025-02-25", "各有关单位："]
    assert _past_page_matter(lines, 1, 1) == [4]
    # a table's data rows (序号⇥项目), a one-field line and running text are no page matter: nothing is skipped
    for other in ("序号\t项目名称\t金额", "发布时间：", "为加强管理，制定本办法。"):
        assert _past_page_matter([lines[0], other, *lines[2:]], 1, 1) == [1]


_REPLY_PAGE = ("标题：关于推动某某转型提案的答复\n发文机关：某某市行政审批服务局\n发布日期：2025-07-11\n"
               "关于推动某某转型提案的答复\n政策原文\n- 索引号:133701000761786494/2025-00084公开方式:\n"
               "#### 标题\n\n关于推动某某转型的提议\n\n#### 提案者\n\n张某某\n\n#### 答复内容\n\n张某某委员：\n\n"
               "您提出的“关于推动某某转型的提议”已收悉，现答复如下：\n\n下一步，我局将继续加强沟通协调。\n\n"
               "某某市行政审批服务局\n\n2025年7月11日\n")


def test_a_reply_to_a_member_is_addressed_to_them():
    m = meta(_REPLY_PAGE)
    assert m.recipients == ["张某某委员"] and m.date_document == dt.date(2025, 7, 11)
    assert meta(_REPLY_PAGE.replace("张某某委员：", "王某某等5名代表：")).recipients == ["王某某等5名代表"]


def test_a_name_and_a_colon_not_followed_by_a_reply_is_no_recipients_line():
    # the member's name as a field's value, the reply not in the second person: no 主送 line
    m = meta(_REPLY_PAGE.replace("您提出的", "关于提出的"))
    assert m.recipients == []


_FEEDBACK_PAGE = ("标题：广州市番禺区发展和改革局\n文号：某光府规〔2024〕14号\n发布日期：2025-08-26\n\n# 广州市番禺区发展和改革局\n\n"
                  "## 政策原文\n\n番禺区发展和改革局2025年8月26日至9月25日就废止《某某区若干措施》（某光府规〔2024〕14号）公开征求意见。"
                  "现将意见采纳情况予以公示。\n\n番禺区发展和改革局\n\n2025年9月26日\n\n"
                  "| 索引号： | 11440300MB2D29255A/2025-00050 | 分类： | |\n"
                  "| 发布机构： | 广州市番禺区发展和改革局 | 成文日期： | 2025-09-26 |\n"
                  "| 名称： | 广州市番禺区发展和改革局关于废止《某某区若干措施》征求社会公众意见的结果反馈 | ||\n"
                  "| 文号： | 发布日期： | 2025-09-26 | |\n| 主题词： |\n")


def test_a_heading_naming_the_host_body_only_is_no_title_and_the_catalogue_table_below_names_it():
    m = meta(_FEEDBACK_PAGE)
    assert m.title == "广州市番禺区发展和改革局关于废止《某某区若干措施》征求社会公众意见的结果反馈"
    assert m.doc_number is None


def test_a_name_field_outside_a_field_table_is_no_title():
    # 名称： in running text, with no other field around it, names no document
    m = meta("某某区若干措施的结果反馈\n现将意见采纳情况予以公示。\n名称：某某区储能产业园\n某某区发展和改革局\n2025年9月26日\n")
    assert m.title != "某某区储能产业园"
