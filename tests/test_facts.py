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


@pytest.mark.parametrize("header,row,value,cell", [
    ("类别\t指标\t单位\t现状值（2023年）\t目标值（2026年）", "千兆用户数\t万户\t300\t500", 5000000, "500"),  # merged cell dropped
    ("类别\t指标\t单位\t现状值\t目标值（2026年）", "应用\t物联网终端数\t万个\t10\t10", 100000, "10"),  # same text twice
    ("指标\t目标值\t目标值\t单位", "5G基站\t10\t12\t万个", 100000, "10"),  # repeated header
])
def test_table_row_spans_point_at_the_target_cell(header, row, value, cell):
    text = f"某某市方案\n一、目标\n主要指标\n{header}\n{row}\n"
    doc = process_text(text, name="t.txt")
    t = next(f for f in doc.facts["targets"] if f["value"] == value and f["kind"] == "target")
    s, e = t["span"]
    assert text[s:e] == cell
    row_start = text.index(row)
    assert text[s:].startswith(cell) and s >= row_start + row.rindex(cell) - (len(row) - len(row.rstrip()))
    # a baseline cell, a value of its own, points at its own cell, before the target's
    for b in (f for f in doc.facts["targets"] if f["kind"] == "baseline"):
        bs, be = b["span"]
        assert row_start <= bs < s and text[bs:be].strip()


def test_html_and_markdown_tables_keep_their_numbers():
    from kg.pipeline import process_source
    from kg.read import read_bytes

    html = ("<html><body><p>某某市数字基础设施行动方案</p><p>一、主要目标</p><p>到2026年，建成以下目标。</p>"
            "<table><tr><td><p>指标</p></td><td><p>单位</p></td><td><p>目标值（2026年）</p></td></tr>"
            "<tr><td><p>5G基站数</p></td><td><p>万个</p></td><td><p>10</p></td></tr></table></body></html>")
    d = process_source(read_bytes(html.encode("utf-8"), name="t.html"))
    t = d.facts["targets"][0]
    assert (t["value"], t["unit"], d.source.text[t["span"][0]:t["span"][1]]) == (100000, "个", "10")
    md = "某某市行动方案\n\n一、目标\n\n| 序号 | 指标 | 单位 | 2026年目标 |\n|---|---|---|---|\n| 1 | 5G基站 | 个 | 12000 |\n"
    d = process_source(read_bytes(md.encode("utf-8"), name="t.md"))
    t = d.facts["targets"][0]
    assert (t["metric"], t["value"], d.source.text[t["span"][0]:t["span"][1]]) == ("5G基站", 12000, "12000")


def test_invisible_characters_do_not_hide_headings_or_split_metrics():
    d = process_text("\u200b某某市方案\n\ufeff一、目标\n到2026年，5G基站\u200b达到1万个。\n", name="z.txt")
    assert [c.label for c in d.all_clauses()] == ["一、"]
    assert [(t["metric"], t["value"]) for t in d.facts["targets"]] == [("5G基站", 10000)]


def test_every_fact_of_a_task_table_points_at_its_own_text():
    """Filled-down cells (a 责任单位 merged over rows) point at the row that writes them, prose cells at themselves."""
    from kg.pipeline import process_file

    d = process_file(Path(__file__).parent / "data" / "dev4" / "2023-hujiaoke-429-transport-pv-plan.txt")
    src = d.source.text
    checked = 0
    for facts in d.facts.values():
        for f in facts:
            if f.get("surface"):
                s, e = f["span"]
                assert "".join(src[s:e].split()) == "".join(f["surface"].split()), f
                checked += 1
    assert checked > 200
