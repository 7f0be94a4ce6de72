"""Fact assembly over whole documents: spans, deadline inheritance, merged sources, implied parties."""
from pathlib import Path

import pytest

from kg.pipeline import process_file, process_text

ROOT = Path(__file__).resolve().parent.parent
PLAN = """上海市杨浦区数字基础设施行动计划（2026—2028年）

一、主要目标
到2027年，全区5G基站累计建设1.5万个。千兆光网用户突破80万户。新建数据中心PUE不超过1.25。

二、重点任务
（一）网络建设。区科委会同区建管委推进网络建设，每年新增5G基站不少于1000个。
（二）应用推广。打造10个以上应用场景。
（三）能力提升。2026年底前建成算力调度平台1个。

主要指标表
序号	指标名称	单位	现状值 (2025年)	目标值 (2028年)
1	新建数据中心PUE	-	1.35	≤1.25
"""


@pytest.fixture(scope="module")
def doc():
    return process_text(PLAN, name="own-district-plan.txt")


def _t(doc, value):
    hits = [t for t in doc.facts["targets"] if t["value"] == value]
    assert hits, [(t["metric"], t["value"]) for t in doc.facts["targets"]]
    return hits[0]


def test_deadline_sources(doc):
    assert (_t(doc, 15000)["deadline"], _t(doc, 15000)["deadline_source"]) == ("2027-12-31", "explicit")
    assert (_t(doc, 800000)["deadline"], _t(doc, 800000)["deadline_source"]) == ("2027-12-31", "inherited")
    assert (_t(doc, 10)["deadline"], _t(doc, 10)["deadline_source"]) == ("2028-12-31", "period")
    assert (_t(doc, 1)["deadline"], _t(doc, 1)["deadline_source"]) == ("2026-12-31", "explicit")


def test_table_and_text_are_one_target_with_two_sources(doc):
    pue = [t for t in doc.facts["targets"] if t["value"] == 1.25 and t["kind"] == "target"]
    assert len(pue) == 1
    assert pue[0]["method"] == "targets.table_row" and pue[0]["baseline"]["value"] == 1.35
    assert pue[0]["sources"] and pue[0]["sources"][0]["clause"] == "一、"


def test_spans_point_into_the_source(doc):
    src = doc.source.text
    for kind in ("targets", "deadlines", "parties", "refs"):
        for f in doc.facts[kind]:
            s, e = f["span"]
            if f.get("surface") and kind != "targets":
                assert "".join(src[s:e].split()) == "".join(f["surface"].split()), f
    t = _t(doc, 15000)
    assert src[t["span"][0]:t["span"][1]].replace(" ", "") in ("1.5万个", "累计建设1.5万个")


def test_parties_lead_co_and_implied(doc):
    ps = {(p["clause"], p["party"], p["role"]) for p in doc.facts["parties"]}
    leads = [p for c, p, r in ps if c == "二（一）" and r == "lead"]
    cos = [p for c, p, r in ps if c == "二（一）" and r == "co"]
    assert len(leads) == 1 and leads[0].startswith("杨浦区") and "科" in leads[0]
    assert len(cos) == 1 and cos[0].startswith("杨浦区")
    # no issuer stated in this text: nobody is implied
    assert not [p for p in doc.facts["parties"] if p["role"] == "implied"]


def test_changing_numbers_and_agencies_changes_the_output():
    src = (ROOT / "corpus" / "2026-hu-tongxinguanfa-5-wuzhihulian-iot-action-plan.txt").read_text(encoding="utf-8")
    base = process_text(src, name="a.txt")
    edited = process_text(src.replace("13万个", "15万个").replace("市数据局", "市科委"), name="b.txt")
    assert any(t["value"] == 130000 for t in base.facts["targets"])
    assert any(t["value"] == 150000 for t in edited.facts["targets"])
    assert not any(t["value"] == 130000 for t in edited.facts["targets"])
    co = lambda d: {p["party"] for p in d.facts["parties"] if p["role"] == "co"}  # noqa: E731
    assert "上海市数据局" in co(base) and "上海市数据局" not in co(edited)
    assert "上海市科学技术委员会" in co(edited)


def test_implied_issuer_per_clause():
    d = process_file(ROOT / "corpus" / "2026-hu-tongxinguanfa-5-wuzhihulian-iot-action-plan.txt")
    implied = [p for p in d.facts["parties"] if p["role"] == "implied"]
    assert implied and all(p["party"] == "上海市通信管理局" and p["confidence"] <= 0.3 for p in implied)
    per_clause = {}
    for p in d.facts["parties"]:
        per_clause.setdefault(p["clause_id"], []).append(p["role"])
    assert all(roles.count("implied") <= 1 for roles in per_clause.values())
    assert all("implied" not in roles or roles == ["implied"] for roles in per_clause.values())
