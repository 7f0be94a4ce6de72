"""The clause tree (kg.extract.structure) on the seeds and on our own texts: what a reader sees."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from kg.clean import clean
from kg.extract.layout import find_zones
from kg.extract.structure import Clause, cn_to_int, segment, split_heading
from kg.read import read_bytes, read_file

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
OWN = ROOT / "tests" / "data" / "own"

PLAN_2026 = "2026-hu-tongxinguanfa-5-wuzhihulian-iot-action-plan.txt"
FYP_2021 = "2021-shanghai-14th-fyp-new-information-infrastructure.txt"
NAT_2021 = "2021-gongxinbu-lianke-130-iot-infrastructure-plan.txt"
NOTICE_2024 = "2024-gongxinting-tongxin-52-mobile-iot-notice.txt"
PLAN_2025 = "2025-hu-tongxinguan-lingang-1-business-environment-plan.txt"


class Doc:
    def __init__(self, src):
        self.ct = clean(src)
        self.zones = find_zones(self.ct)
        self.roots, self.glossary = segment(self.ct, self.zones)
        self.all = [c for r in self.roots for c in r.walk()]
        self.by_label = {c.label: c for c in self.all}
        self.by_id = {c.clause_id: c for c in self.all}
        self.parent = {id(ch): c for c in self.all for ch in c.children}

    def own(self, c: Clause) -> str:
        return "\n".join(self.ct.text[s:e] for s, e in c.own_segments())

    def parent_of(self, c: Clause) -> Clause | None:
        return self.parent.get(id(c))

    def kids(self, label: str, kind: str | None = None) -> list[Clause]:
        return [c for c in self.by_label[label].children if kind is None or c.kind == kind]


@lru_cache(maxsize=None)
def seed(name: str) -> Doc:
    return Doc(read_file(CORPUS / name))


@lru_cache(maxsize=None)
def own(name: str) -> Doc:
    return Doc(read_file(OWN / name))


def text_doc(text: str, name: str = "t.txt") -> Doc:
    return Doc(read_bytes(text.encode("utf-8"), name=name))


ALL_SEEDS = [PLAN_2026, FYP_2021, NAT_2021, NOTICE_2024, PLAN_2025]
ALL_OWN = sorted(p.name for p in OWN.glob("*.*"))


# --- invariants ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ALL_SEEDS + ALL_OWN)
def test_labels_and_ids_unique(name):
    d = seed(name) if name in ALL_SEEDS else own(name)
    labels = [c.label for c in d.all]
    ids = [c.clause_id for c in d.all]
    assert len(labels) == len(set(labels))
    assert len(ids) == len(set(ids))
    assert not any("（第" in lb and "处）" in lb for lb in labels), "no label needed a disambiguation suffix"
    for c in d.all:
        p = d.parent_of(c)
        if p is not None and p.kind not in ("notice", "preamble"):
            assert c.clause_id.startswith(p.clause_id + "__"), (c.clause_id, p.clause_id)


@pytest.mark.parametrize("name", ALL_SEEDS)
def test_ids_are_stable(name):
    a = [(c.clause_id, c.label) for c in seed(name).all]
    b = [(c.clause_id, c.label) for c in Doc(read_file(CORPUS / name)).all]
    assert a == b


def test_ids_do_not_depend_on_preamble_or_debris():
    base = "一、目标\n（一）网络。推进建设。\n（二）应用。拓展场景。\n二、保障\n1.加强领导。建立机制。\n"
    a = [(c.clause_id, c.label) for c in text_doc(base).all if c.kind != "preamble"]
    b = [(c.clause_id, c.label) for c in
         text_doc("为加快发展，制定本方案。\n\n- 1 -\n" + base.replace("\n", "\n\n")).all if c.kind != "preamble"]
    assert a == b == [
        ("sec_1", "一、"), ("sec_1__subsec_1", "一（一）"), ("sec_1__subsec_2", "一（二）"),
        ("sec_2", "二、"), ("sec_2__para_1", "二、1."),
    ]


# --- 2026 Shanghai plan -------------------------------------------------------------------------

def test_2026_sections_and_subsections():
    d = seed(PLAN_2026)
    secs = [c for c in d.roots if c.kind == "section"]
    assert [c.label for c in secs] == ["一、", "二、", "三、", "四、", "五、"]
    assert [c.heading for c in secs] == ["主要目标", "夯实网络底座", "智联感知终端", "创新融合应用", "加强工作统筹推进"]
    c = d.by_label["五（四）"]
    assert c.clause_id == "sec_5__subsec_4"
    assert c.heading == "提升服务"
    assert d.parent_of(c) is d.by_label["五、"]
    assert d.own(c).startswith("引导基础电信企业保护用户权益")
    assert [x.label for x in d.kids("五、")] == ["五（一）", "五（二）", "五（三）", "五（四）"]


def test_2026_skipped_level_nests_under_section():
    d = seed(PLAN_2026)
    c = d.by_label["三、1."]
    assert c.clause_id == "sec_3__para_1"
    assert c.kind == "item"
    assert d.parent_of(c) is d.by_label["三、"]
    assert [x.label for x in d.kids("三、")] == ["三、1.", "三、2.", "三、3."]
    assert [x.label for x in d.kids("四、")] == ["四、1.", "四、2.", "四、3.", "四、4."]
    # the page break inside item 1 is rejoined: one paragraph
    assert "逐步纳入到体系，力争到 2028 年底" in d.own(c)
    assert len(c.lines) == 1


def test_2026_notice_and_preamble():
    d = seed(PLAN_2026)
    assert d.roots[0].kind == "notice"
    assert d.own(d.roots[0]).startswith("现将《上海市物联网及物联感知")
    assert d.roots[1].kind == "preamble"
    assert d.own(d.roots[1]).startswith("为深入贯彻党的二十大")
    assert not any("信息公开" in d.own(c) or "抄送" in d.own(c) for c in d.all)


# --- 2021 Shanghai 14th FYP ---------------------------------------------------------------------

def test_fyp_indicator_table():
    d = seed(FYP_2021)
    t = d.by_label["主要指标表"]
    assert t.kind == "table"
    assert t.clause_id == "sec_3__subsec_3__table_1"
    assert d.parent_of(t) is d.by_label["三（三）"]
    assert t.attrs["table_kind"] == "indicator"
    assert sorted(t.attrs["column_years"].values()) == [2020, 2025]
    rows = [c for c in t.children if c.kind == "row"]
    assert len(rows) == 12
    assert [r.label for r in rows[:3]] == ["主要指标表 第1行", "主要指标表 第2行", "主要指标表 第3行"]
    assert rows[2].clause_id == "sec_3__subsec_3__table_1__row_3"
    assert rows[1].cells["类别"] == "连接高地" and rows[1].attrs["filled_down"] == ["类别"]
    assert rows[0].cells["类别"] == "连接高地" and "filled_down" not in rows[0].attrs
    assert rows[1].cells["指标名称"] == "固定宽带平均接入带宽"
    assert rows[8].cells["类别"] == "感知高地"
    assert rows[8].cells["指标名称"] == "其中：新型城域物联感知终端数量"
    assert rows[8].attrs["sub_row_of"] is rows[7]
    assert rows[7].cells["指标名称"] == "物联网数据卡终端数量"
    assert "sub_row_of" not in rows[7].attrs
    assert [r.cells["类别"] for r in rows] == ["连接高地"] * 4 + ["计算高地"] * 3 + ["感知高地"] * 2 + [
        "枢纽高地"] * 2 + ["创新高地"]
    assert rows[11].cells["预期值 (2025年)"] == "1500"


def test_fyp_glossary():
    d = seed(FYP_2021)
    assert len(d.glossary) == 26
    g = {x.term: x for x in d.glossary}
    assert g["NB-IoT"].expansion == "Narrow Band Internet of Things"
    assert g["NB-IoT"].definition == "窄带物联网"
    assert g["5G SA"].definition == "5G 独立组网技术"
    assert g["WUE"].expansion == "Water Usage Effectiveness"
    assert {x.method for x in d.glossary} == {"glossary-table"}
    annex = d.by_label["附表"]
    assert annex.kind == "annex" and annex.clause_id == "annex_1"
    gt = d.kids("附表", "table")
    assert len(gt) == 1 and gt[0].attrs["table_kind"] == "glossary"
    assert len(gt[0].children) == 26


def test_fyp_footnote_attached_to_clause():
    d = seed(FYP_2021)
    c = d.by_label["一（一）4."]
    assert c.clause_id == "sec_1__subsec_1__para_4"
    assert c.heading == "促进互联网数据中心有序建设"
    assert len(c.notes) == 1
    assert c.notes[0].text.startswith("本文所提标准机架均是指")
    assert sum(len(x.notes) for x in d.all) == 1


def test_fyp_boxes_and_bullets():
    d = seed(FYP_2021)
    boxes = [c for c in d.all if c.kind == "box"]
    assert [b.label for b in boxes] == ["专栏1", "专栏2", "专栏3", "专栏4", "专栏5"]
    assert d.parent_of(boxes[0]) is d.by_label["五（一）"]
    assert boxes[0].clause_id == "sec_5__subsec_1__box_1"
    bullets = d.kids("三（三）", "bullet")
    assert [b.label for b in bullets] == [f"三（三）——{i}" for i in range(1, 6)]
    assert bullets[0].clause_id == "sec_3__subsec_3__item_1"
    assert d.by_label["五（一）1."].heading == "全面推进 5G 网络深度覆盖"
    # the plan has no notice: no notice clause, the title is not a clause
    assert d.roots[0].kind == "preamble"
    assert d.own(d.roots[0]).startswith("为全力支撑上海打造")


# --- 2021 national plan -------------------------------------------------------------------------

def test_national_boxes_close_at_next_numbered_clause():
    d = seed(NAT_2021)
    boxes = [c for c in d.all if c.kind == "box"]
    assert [b.label for b in boxes] == [f"专栏{i}" for i in range(1, 7)]
    assert [b.heading for b in boxes] == ["创新能力提升指引", "产业生态培育指引", "社会治理建设指引", "行业应用建设指引",
                                          "民生消费建设指引", "IPv6规模部署和应用指引"]
    parents = [d.parent_of(b).label for b in boxes]
    assert parents == ["二（一）", "二（二）", "二（三）", "二（三）", "二（三）", "二（四）"]
    # 专栏3 closes where item 7 starts: item 7 is its sibling, not its child
    sub = [(c.kind, c.label) for c in d.kids("二（三）")]
    assert sub == [("item", "二（三）6."), ("box", "专栏3"), ("item", "二（三）7."), ("box", "专栏4"),
                   ("item", "二（三）8."), ("box", "专栏5")]
    assert all(not b.children for b in boxes)
    b2 = d.by_label["专栏2"]
    assert d.own(b2).startswith("多元化市场主体。")  # the <p> debris is gone
    assert "<p>" not in d.own(b2)


def test_national_items_numbered_across_sections():
    d = seed(NAT_2021)
    items = [c for c in d.all if c.kind == "item"]
    assert [int(c.number) for c in items] == list(range(1, 13))
    assert [c.label for c in items][:6] == ["二（一）1.", "二（一）2.", "二（一）3.", "二（二）4.", "二（二）5.", "二（三）6."]
    assert items[3].clause_id == "sec_2__subsec_2__para_4"
    assert items[11].clause_id == "sec_2__subsec_4__para_12"
    assert items[11].heading == "强化安全支撑保障"


def test_national_item5_split_out_of_item4_line():
    d = seed(NAT_2021)
    i4, i5 = d.by_label["二（二）4."], d.by_label["二（二）5."]
    assert i4.heading == "培育多元化市场主体"
    assert i5.heading == "加强产业集聚发展"
    assert "加强产业集聚发展" not in d.own(i4)
    assert d.own(i5).startswith("支持产业特色鲜明、基础条件好")
    assert d.parent_of(i5) is d.parent_of(i4)


def test_national_bullets_and_signature_not_in_body():
    d = seed(NAT_2021)
    bullets = d.kids("一（三）", "bullet")
    assert [b.heading for b in bullets] == ["创新能力有所突破", "产业生态不断完善", "应用规模持续扩大", "支撑体系更加健全"]
    texts = "\n".join(d.own(c) for c in d.all)
    assert "国家能源局\n2021年9月10日" not in texts
    assert d.own(d.roots[0]) == "现将《物联网新型基础设施建设三年行动计划（2021-2023年）》印发给你们，请认真贯彻落实。"


# --- 2024 notice and 2025 plan ------------------------------------------------------------------

def test_2024_headings_running_into_body():
    d = seed(NOTICE_2024)
    c = d.by_label["二（一）"]
    assert c.heading == "加强网络规划建设"
    assert d.own(c).startswith("基础电信企业要开展移动物联网年度滚动规划")
    assert [c.label for c in d.roots if c.kind == "section"] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert d.by_label["六（三）"].heading == "加强交流推广"


def test_2025_subsections_numbered_across_sections():
    d = seed(PLAN_2025)
    subs = [c for c in d.all if c.kind == "subsection"]
    assert [cn_to_int(c.number) for c in subs] == list(range(1, 21))
    c = d.by_label["四（二十）"]
    assert c.clause_id == "sec_4__subsec_20"
    assert c.heading == "“智网上海”创新发展，激发“IPv6+”创新之城潜能"
    assert d.by_label["三（十一）"].clause_id == "sec_3__subsec_11"
    assert d.by_label["二（六）"].heading == "深入推动联合报装“一件事”，不断提升通信报装服务能力"


# --- our own texts ------------------------------------------------------------------------------

def test_gd_levels_down_to_circled_points():
    d = own("gd-5g-implementation-plan.txt")
    assert d.by_label["二、1."].clause_id == "sec_2__para_1"
    sp = d.by_label["二、1.（1）"]
    assert sp.kind == "subitem" and sp.clause_id == "sec_2__para_1__subpara_1"
    assert sp.heading == "推进站址共享"
    p2 = d.by_label["二、1.（2）②"]
    assert p2.kind == "point" and p2.clause_id == "sec_2__para_1__subpara_2__point_2"
    assert p2.heading == "重点建筑"
    assert d.own(p2) == "新建商务楼宇同步部署室内分布系统。"
    assert p2.attrs.get("inline") is True
    assert d.own(d.by_label["二、1.（2）"]) == ""  # the points took the whole rest of the line
    # half-width (一) after full-width levels
    assert [c.label for c in d.kids("三、")] == ["三（一）", "三（二）"]
    assert d.by_label["三（一）"].heading == "加强组织领导"
    box = d.by_label["专栏1"]
    assert box.heading == "重点工程" and d.parent_of(box) is d.by_label["二、"]
    assert d.own(box).split("\n") == ["5G-A精品网络工程。2026年底前建成5G-A精品网络城市5个以上。",
                                      "万兆光网试点工程。打造万兆光网试点小区不少于200个。"]


def test_gd_task_table_in_annex():
    d = own("gd-5g-implementation-plan.txt")
    t = d.by_label["重点任务分工表"]
    assert d.parent_of(t) is d.by_label["附件"]
    rows = t.children
    assert [r.label for r in rows] == ["重点任务分工表 第1行", "重点任务分工表 第2行"]
    assert rows[1].cells == {"序号": "2", "重点任务": "深化融合应用", "牵头单位": "省工业和信息化厅",
                             "配合单位": "省发展改革委、省科技厅", "完成时限": "持续推进"}
    assert t.attrs["table_kind"] == "table"
    assert "（责任单位：省工业和信息化厅、省发展改革委、省科技厅）" in d.own(d.by_label["二、2."])


def test_sz_indicator_table_with_dropped_merged_cell():
    d = own("sz-computing-plan.txt")
    t = d.by_label["主要指标"]
    assert d.parent_of(t) is d.by_label["一、"]
    assert t.attrs["column_years"] == {"2024年": 2024, "2026年": 2026}
    rows = t.children
    assert len(rows) == 5
    assert [r.cells["类别"] for r in rows] == ["算力规模"] * 3 + ["绿色低碳"] * 2
    assert [r.cells["序号"] for r in rows] == ["1", "2", "3", "4", "5"]  # the short rows were realigned
    assert rows[2].cells["指标名称"] == "标准机架数量" and rows[2].cells["2026年"] == "15"
    assert rows[4].cells == {"类别": "绿色低碳", "序号": "5", "指标名称": "可再生能源使用比例", "单位": "%",
                             "2024年": "20", "2026年": "≥30"}
    assert rows[1].attrs["sub_row_of"] is rows[0]
    assert rows[2].attrs["filled_down"] == ["类别"]


def test_sz_numbering_continues_across_subsections_and_boxes_close():
    d = own("sz-computing-plan.txt")
    items = [c for c in d.all if c.kind == "item"]
    assert [c.label for c in items] == ["二（一）1.", "二（一）2.", "二（一）3.", "二（二）4.", "二（二）5."]
    assert items[3].clause_id == "sec_2__subsec_2__para_4"
    assert [(c.kind, c.label) for c in d.kids("二（一）")] == [
        ("item", "二（一）1."), ("item", "二（一）2."), ("box", "专栏1"), ("item", "二（一）3.")]
    assert d.by_label["二（二）"].heading == "强化网络支撑"
    assert d.own(d.by_label["二（二）"]) == ""
    pts = d.kids("二（二）5.", "point")
    assert [p.label for p in pts] == ["二（二）5.①", "二（二）5.②"]
    assert [p.heading for p in pts] == [None, None]  # one short sentence each: text, not heading
    assert [d.own(p) for p in pts] == ["建设算力调度平台；", "开展算力券试点。"]
    assert "牵头单位：市通信管理局；配合单位：各区人民政府" in d.own(items[3])
    tasks = d.by_label["重点任务分工表"].children
    assert tasks[0].cells["牵头单位"] == "市发展改革委" and tasks[0].cells["配合单位"] == "市工业和信息化局"


def test_hz_markdown_notice():
    d = own("hz-digital-notice.md")
    c = d.by_label["二（二）"]
    assert c.heading == "推进数据共享"  # split out of the line of （一） where it started inside **bold**
    assert d.own(c) == "市数据资源局负责建立公共数据平台，年内完成主要部门数据归集。"
    assert d.own(d.by_label["二（一）"]) == "市经信局会同市发改委、市建委推进千兆光网建设。"
    bullets = d.kids("二（三）", "bullet")
    assert [d.own(b) for b in bullets] == ["建立数据安全监测体系；", "开展年度网络安全攻防演练。"]
    t = d.by_label["表1"]
    assert [r.cells["2026年目标"] for r in t.children] == ["8", "≥400"]
    assert not any("此件" in d.own(x) or "杭州市人民政府办公厅" == d.own(x) for x in d.all)


def test_yp_html_responsibility_table():
    d = own("yp-district-plan.html")
    assert [c.label for c in d.all if c.kind != "row"] == ["序言", "一、", "二、", "二（一）", "二（二）", "表1"]
    assert d.own(d.by_label["二（一）"]) == "区科委会同区建管委推进5G网络深度覆盖&优化。"
    assert d.by_label["表1 第1行"].cells == {"任务": "5G网络覆盖", "责任单位": "区科委"}
    assert "不是条款" not in d.ct.text  # the script is gone


def test_document_without_numbering():
    d = own("xa-no-numbering-notice.txt")
    assert [c.kind for c in d.all] == ["preamble"]
    pre = d.all[0]
    assert pre.clause_id == "preamble"
    assert len(pre.lines) == 3
    assert d.own(pre).split("\n")[1].startswith("请各单位按照申报要求")
    assert "西安市工业和信息化局\n2025年5月20日" not in d.own(pre)


# --- small texts for single rules ---------------------------------------------------------------

def test_points_on_their_own_lines_and_subitems():
    d = text_doc(
        "一、重点任务\n"
        "（一）推进网络建设\n"
        "1.加快部署\n"
        "（1）宏站建设。新建宏站1000个。\n"
        "① 城区。实现连续覆盖。\n"
        "② 郊区。实现重点覆盖。\n"
        "（2）室分建设。新建室分500套。\n"
        "2.深化应用。推动行业应用。\n"
    )
    labels = [c.label for c in d.all]
    assert labels == ["一、", "一（一）", "一（一）1.", "一（一）1.（1）", "一（一）1.（1）①", "一（一）1.（1）②",
                      "一（一）1.（2）", "一（一）2."]
    pt = d.by_label["一（一）1.（1）②"]
    assert pt.clause_id == "sec_1__subsec_1__para_1__subpara_1__point_2"
    assert pt.heading == "郊区" and d.own(pt) == "实现重点覆盖。"


def test_mixed_bracket_widths():
    d = text_doc("一、任务\n(一)网络建设。推进5G。\n（二）应用推广。拓展场景。\n( 三 ) 安全保障。强化防护。\n"
                 "1、加强领导。建立机制。\n(1)落实责任。明确分工。\n")
    assert [c.label for c in d.all] == ["一、", "一（一）", "一（二）", "一（三）", "一（三）1.", "一（三）1.（1）"]
    assert [c.heading for c in d.all[1:4]] == ["网络建设", "应用推广", "安全保障"]
    assert d.by_label["一（三）1.（1）"].clause_id == "sec_1__subsec_3__para_1__subpara_1"


def test_chapters_and_articles_label():
    d = text_doc("第一章 总则\n一、目的\n为规范管理，制定本办法。\n第二章 附则\n一、解释\n本办法由市局负责解释。\n")
    assert [(c.clause_id, c.label) for c in d.all] == [
        ("chp_1", "第一章"), ("chp_1__sec_1", "第一章一、"), ("chp_2", "第二章"), ("chp_2__sec_1", "第二章一、")]


@pytest.mark.parametrize("rest,expected", [
    ("加强网络规划建设。基础电信企业要开展规划。", ("加强网络规划建设", 9)),
    ("提升服务", ("提升服务", 4)),
    ("基础电信企业要加快探索人工智能技术在移动物联网络的应用部署，推动实现网络连接、资源管理、运行维护等方面的内生智能。",
     (None, 0)),
    ("主要目标如下：", (None, 0)),
    ("", (None, 0)),
])
def test_split_heading(rest, expected):
    assert split_heading(rest) == expected


@pytest.mark.parametrize("s,n", [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("7", 7)])
def test_cn_to_int(s, n):
    assert cn_to_int(s) == n


def test_regulation_chapters_and_articles():
    """办法/条例 number 第一章 … 第一条 …; articles are cited on their own (第三条), items under them too."""
    from kg.pipeline import process_text

    text = ("某某市公共数据管理办法\n\n第一章 总则\n第一条 为规范公共数据管理，制定本办法。\n"
            "第二条 本办法适用于本市行政区域。\n第二章 数据共享\n第三条 公共数据共享遵循以下原则：\n"
            "（一）以共享为原则；\n（二）需求导向。\n第十一条 市数据局负责统筹。\n")
    doc = process_text(text, with_facts=False)
    labels = [c.label for c in doc.all_clauses()]
    assert labels == ["第一章", "第一条", "第二条", "第二章", "第三条", "第三条（一）", "第三条（二）", "第十一条"]
    ids = [c.clause_id for c in doc.all_clauses()]
    assert ids[-1] == "chp_2__art_11" and ids[5] == "chp_2__art_3__subsec_1"


# --- a notice that issues a plan and sets requirements of its own ---------------------------------

_OWN_REQUIREMENTS = """关于印发《某市历史街区保护专项规划》的通知

各区人民政府，各相关单位:

《某市历史街区保护专项规划》经市政府常务会议审议通过，现予印发。根据市政府部署，相关要求通知如下：

一、要强化规划统领，传承保护好历史街区风貌。坚持在保护中发展，在发展中保护，抓好文化遗产的活化利用。

二、要凝聚各方力量，抓好专项规划推进实施。进一步加强市、区、街镇协同，做好规划宣传解读和培训工作。

三、要积极开展试点示范，到2027年，打造一批风貌保护样板。

特此通知。

某市规划和自然资源局

2024年4月24日
"""


def test_a_notices_own_numbered_requirements_are_clauses():
    """The plan is not in the file: the notice's own 一、二、三、 (long lines, not headings) are its clauses, not the
    notice's text — they are what the document asks for (and what lineage aligns)."""
    d = text_doc(_OWN_REQUIREMENTS)
    assert [c.kind for c in d.roots] == ["notice", "section", "section", "section"]
    assert d.own(d.roots[0]).startswith("《某市历史街区保护专项规划》经市政府常务会议审议通过")
    assert "一、要强化" not in d.own(d.roots[0])
    assert [c.label for c in d.roots[1:]] == ["一、", "二、", "三、"]
    assert d.own(d.roots[3]).startswith("要积极开展试点示范，到2027年")


def test_a_notice_without_numbered_items_stays_one_notice():
    text = _OWN_REQUIREMENTS.split("一、")[0] + "请结合实际认真贯彻执行。\n\n某市规划和自然资源局\n\n2024年4月24日\n"
    d = text_doc(text)
    assert [c.kind for c in d.roots] == ["notice"]


def _tree(text: str):
    ct = clean(read_bytes(text.encode("utf-8"), name="x.txt"))
    roots, _ = segment(ct, find_zones(ct))
    return [(c.kind, c.label, c.heading) for r in roots for c in r.walk()]


DECIMAL_PLAN = """某区综合能源站布局规划（2023—2030年）

1 总论
1.1 规划背景
近年来，全区能源消费持续增长。
1.2 现状分析
截至2022年底，全区共有加油站45座。
2 规划目标
2.1 总体目标
到2030年，建成综合能源站30座。
2.1.1 近期目标
到2025年，建成综合能源站10座。
1. 加快布局。
"""


def test_a_decimal_outline_is_read_as_headings():
    """1 总论 / 1.1 现状分析 / 2.1.1 近期目标 (a design institute's plan): the 现状 section is seen as one (the fact
    layer reads its figures as where things stand), each number labels its clause, 1. nests under 2.1.1."""
    tree = _tree(DECIMAL_PLAN)
    assert ("decimal", "1", "总论") in tree and ("decimal", "1.2", "现状分析") in tree
    assert ("decimal", "2.1.1", "近期目标") in tree and ("item", "2.1.1 1.", "加快布局") in tree
    ct = clean(read_bytes(DECIMAL_PLAN.encode("utf-8"), name="x.txt"))
    roots, _ = segment(ct, find_zones(ct))
    by_label = {c.label: c for r in roots for c in r.walk()}
    assert [c.label for c in by_label["2"].children] == ["2.1"]
    assert "2 规划目标" not in ct.text[by_label["1.2"].lines[-1][0]:by_label["1.2"].lines[-1][1]]


def test_figures_at_the_start_of_lines_are_no_decimal_outline():
    """One 1.5 line, or figures with units (1.5万吨, 2.5%), do not make a document a decimal outline."""
    text = "某市工作方案\n\n一、目标\n1.5万吨以上的企业全部纳入监测。\n2.5%的资金用于奖励。\n3.2 亿元用于补贴。\n"
    assert all(k != "decimal" for k, _, _ in _tree(text))
