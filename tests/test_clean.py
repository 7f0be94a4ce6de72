"""kg.clean: debris removal, line rejoining, footnotes — every change recorded, every char mapped back."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.clean import CleanText, clean, should_join
from kg.read import read_bytes, read_file

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus").glob("*.txt"))
OWN = sorted((ROOT / "tests" / "data" / "own").glob("*.*"))


def cl(text: str, name: str = "t.txt") -> CleanText:
    return clean(read_bytes(text.encode("utf-8"), name=name))


def lines(ct: CleanText) -> list[str]:
    return ct.text.split("\n")


def assert_mapped(ct: CleanText) -> None:
    """Every char of the cleaned text maps to a source span holding that very char, unless a recorded
    change covers the span; every line break stands where the source had a break or a change."""
    src, mt = ct.source.text, ct.mt
    assert len(mt.starts) == len(mt.ends) == len(mt.text)
    for i, ch in enumerate(mt.text):
        s, e = mt.source_span(i, i + 1)
        assert 0 <= s <= e <= len(src)
        if src[s:e] == ch:
            continue
        covered = any(c.start <= s and e <= c.end for c in ct.changes)
        if ch == "\n" and not covered:
            prev_end = mt.source_span(i - 1, i)[1] if i else 0
            next_start = mt.source_span(i + 1, i + 2)[0] if i + 1 < len(mt.text) else len(src)
            covered = "\n" in src[prev_end:next_start] or "\r" in src[prev_end:next_start]
        assert covered, f"char {i} {ch!r} maps to {src[s:e]!r} at {s}:{e} without a recorded change"
    # spans increase along the text
    assert list(mt.starts) == sorted(mt.starts)


def assert_changes_located(ct: CleanText) -> None:
    src = ct.source.text
    for c in ct.changes:
        assert 0 <= c.start <= c.end <= len(src), c
        if c.kind in ("join", "whitespace"):
            # a gap between lines may hold debris removed earlier (tags, footers, note lines), and
            # any word in it was removed by another recorded change
            for m in re.finditer(r"[\u4e00-\u9fff]", src[c.start:c.end]):
                pos = c.start + m.start()
                assert any(o.start <= pos < o.end and o is not c for o in ct.changes), c
        else:
            assert src[c.start:c.end] == c.before, c


# --- mapping invariants on real files -----------------------------------------------------------

@pytest.mark.parametrize("path", SEEDS + OWN, ids=lambda p: p.name)
def test_every_char_maps_back(path):
    ct = clean(read_file(path))
    assert_mapped(ct)
    assert_changes_located(ct)
    assert "\n\n" not in ct.text and not ct.text.startswith("\n") and not ct.text.endswith("\n")


def test_seed_debris_is_gone():
    texts = {p.name: clean(read_file(p)).text for p in SEEDS}
    for name, t in texts.items():
        assert "<p>" not in t and "</p>" not in t, name
        assert "**" not in t, name
        assert not re.search(r"(?m)^#", t), name
        assert "^{" not in t, name
        assert not re.search(r"[\u4e00-\u9fff] (and|will|etc) [\u4e00-\u9fff]", t), name
    fyp = texts["2021-shanghai-14th-fyp-new-information-infrastructure.txt"]
    assert "解决实际问题和满足发展需求" in fyp
    assert "同时将有效地帮助" in fyp
    assert "城市管理等应用场景" in fyp
    # the glossary keeps its English: noise is only replaced between Chinese words
    assert "Narrow Band Internet of Things" in fyp
    assert "Fiber to The Room" in fyp
    plan = texts["2021-gongxinbu-lianke-130-iot-infrastructure-plan.txt"]
    assert "网络和平台" in plan


def test_seed_page_breaks_rejoined():
    t = clean(read_file(ROOT / "corpus" / "2026-hu-tongxinguanfa-5-wuzhihulian-iot-action-plan.txt")).text
    assert "逐步纳入到体系，力争到 2028 年底，完成全市物联感知终端的整合" in t
    assert "在智能制造、智慧城市、医疗健康等领域形成全国标杆。" in t
    assert "开展重点领域“标识+联网设备”认证体系建设" in t
    assert "在智能网联车、居家健康管理" in t
    # the 《title》 left open across a line break in the notice body
    assert "现将《上海市物联网及物联感知“物智沪联”行动计划(2026—2028年)》印发给你们" in t


# --- rejoining ----------------------------------------------------------------------------------

def test_join_inside_title_quote_word_and_number():
    ct = cl(
        "各单位要认真贯彻落实《中华人民共和国网络安全法》《关于推进移动物联网“万物智联\n\n"
        "”发展的通知》等文件要求，加快推进网络建设。\n"
        "请结合实际，落实《某某省新型基础设施建设三年\n"
        "行动计划》的部署要求。\n"
        "开展“千兆城市\n\n"
        "”建设，提升全市网络能级，推进物联网终端在工业制造和城市管\n\n"
        "理领域的规模部署，推进数据中心集约化建设。\n"
        "力争到 2028 年\n\n"
        "底，完成全市物联感知终端的整合工作。\n"
    )
    assert lines(ct) == [
        "各单位要认真贯彻落实《中华人民共和国网络安全法》《关于推进移动物联网“万物智联”发展的通知》等文件要求，加快推进网络建设。",
        "请结合实际，落实《某某省新型基础设施建设三年行动计划》的部署要求。",
        "开展“千兆城市”建设，提升全市网络能级，推进物联网终端在工业制造和城市管理领域的规模部署，推进数据中心集约化建设。",
        "力争到 2028 年底，完成全市物联感知终端的整合工作。",
    ]
    joins = [c for c in ct.changes if c.kind == "join"]
    assert len(joins) == 5
    for j in joins:
        assert ct.source.text[j.start:j.end].strip() == ""
    assert_mapped(ct)


def test_join_number_cut_from_its_unit():
    ct = cl("全市新增5G基站累计达到1.2\n万个，千兆用户超过 300\n\n万户。\n")
    assert lines(ct) == ["全市新增5G基站累计达到1.2万个，千兆用户超过 300万户。"]


def test_join_ascii_words_get_a_space():
    ct = cl("推进基于标识解析体系的联网设备认证与追溯管理体系，推广 Narrow\nBand IoT 终端。\n")
    assert lines(ct) == ["推进基于标识解析体系的联网设备认证与追溯管理体系，推广 Narrow Band IoT 终端。"]
    j = [c for c in ct.changes if c.kind == "join"]
    assert [(c.before, c.after) for c in j] == [("\n", " ")]
    assert_mapped(ct)


def test_never_glue_headings_titles_rows_signatures_dates():
    text = (
        "关于印发《某某市物联网发展行动计划（2025—2027年）》的通知\n"
        "各区人民政府，市政府各委、办、局：\n"
        "现将《某某市物联网发展行动计划（2025—2027年）》印发给你们，请认真贯彻落实，确保各项任务落到实处\n"
        "某某市人民政府办公厅\n"
        "某某市通信管理局\n"
        "2025年3月1日\n"
        "某某市物联网发展行动计划（2025—2027年）\n"
        "为深入贯彻落实党中央决策部署，加快推进物联网新型基础设施建设，结合本市实际\n"
        "一、主要目标\n"
        "到2027年，物联网终端连接数突破2亿，推进物联网在工业制造、智慧城市、医疗健康、\n"
        "（一）加强网络建设\n"
        "建立健全工作协调机制，统筹推进各项任务，加强部门协同，形成工作合力，确保取得实效\n"
        "1.加快网络部署\n"
        "推进5G基站、千兆光网、物联网感知终端等新型基础设施在重点区域的规模部署和深度覆盖\n"
        "专栏1 重点工程\n"
        "推进城域物联专网、5G行业虚拟专网、算力网络等重点工程建设，形成一批标杆示范项目\n"
        "序号\t指标名称\t目标值\n"
        "1\t5G基站\t13万个\n"
        "附件：重点任务分工表\n"
    )
    assert lines(cl(text)) == text.rstrip("\n").split("\n")


def test_date_line_in_chinese_numerals_not_glued():
    text = (
        "请各单位结合实际认真贯彻执行，加强统筹协调，确保各项任务按期完成并取得实效\n"
        "广东省工业和信息化厅\n"
        "二〇二五年三月十八日\n"
        "广东省5G-A与千兆光网协同发展实施方案（2025—2027年）\n"
    )
    assert lines(cl(text)) == text.rstrip("\n").split("\n")


@pytest.mark.parametrize("a,b,expected", [
    ("请结合实际，落实《某某省新型基础设施", "建设三年行动计划》的部署要求。", True),
    ("加快推进网络建设。", "到2025年，全市新增部署5G基站1万个。", False),
    ("推进物联网在工业制造、", "城市管理等领域的应用。", True),
    ("一、主要目标", "到2027年，物联网终端连接数突破2亿。", False),
    ("推进物联网终端在工业制造和城市管理、交通运输、生态环保", "（一）加强网络建设", False),
    ("推进物联网终端在工业制造和城市管理、交通运输、生态环保", "2.深化融合应用。", False),
    ("推进物联网终端在工业制造和城市管理、交通运输、生态环保", "专栏2 重点工程", False),
    ("序号\t指标", "1\t5G基站", False),
    ("发文字号：工信部联科〔2021〕130号", "成文日期：2021-09-15", False),
    ("工信部联科〔2021〕130号", "各省、自治区、直辖市工业和信息化主管部门：", False),
    ("2025年3月1日", "某某市物联网发展行动计划（2025—2027年）", False),
    ("到2025年底，全面完成城市数字底座主体建设，力争全市算力规模达到", "2025年底的两倍以上。", True),
    ("完成全市物联感知终端的整合，形成 10", "个以上的高质量应用场景。", True),
    ("上海市人民政府办公厅关于", "印发《某某方案》的通知", True),
    ("国务院", "关于印发某某规划的通知", True),
    ("浏览量：1 | | | |", "关于印发某某实施方案的通知", False),  # a page's counter, then the notice's title
    # a run-together notice's line ends with its signature; the plan it issues starts on the next line
    ("现将《2025年能源监管工作要点》印发给你们，请抓好落实。 国家能源局 2025年1月6日", "2025年能源监管工作的总体思路是：", False),
    # … but a sentence cut after a date goes on (what precedes the date is no run of bodies' names)
    ("各县（市、区）发展改革部门要认真组织本辖区企业申报，申报截止时间为2025年1月6日", "下午五时，逾期不予受理。", True),
    ("本通知已经省人民政府同意。 具体由省发展改革委会同省财政局于2025年1月6日", "组织实施，各地要认真贯彻落实。", True),
])
def test_should_join(a, b, expected):
    assert should_join(a, b) is expected


# --- markdown -----------------------------------------------------------------------------------

def test_markdown_debris():
    ct = cl(
        "# 某某市数字经济发展规划\n"
        "## 一、总体要求\n"
        "**（一）指导思想。**坚持以人民为中心。\n"
        "坚持统筹推进，强化协同联动。**5.加强产业集聚发展。**支持产业特色鲜明的地区建设示范基地。\n"
        "联系电话：63902000\\*856，邮箱 iot\\_office@example.cn\n"
        "---\n"
        "| 序号 | 指标 | 目标值 |\n"
        "|:---|---:|:---:|\n"
        "| 1 | 5G基站 | 10万个 |\n"
        "| 2 | 千兆用户 | 200万户 |\n"
        "***\n"
        "二、重点任务\n",
        name="plan.md",
    )
    assert lines(ct) == [
        "某某市数字经济发展规划",
        "一、总体要求",
        "（一）指导思想。坚持以人民为中心。",
        "坚持统筹推进，强化协同联动。",
        "5.加强产业集聚发展。支持产业特色鲜明的地区建设示范基地。",
        "联系电话：63902000*856，邮箱 iot_office@example.cn",
        "序号\t指标\t目标值",
        "1\t5G基站\t10万个",
        "2\t千兆用户\t200万户",
        "二、重点任务",
    ]
    kinds = [c.kind for c in ct.changes]
    assert kinds.count("markdown") >= 10
    split = [c for c in ct.changes if c.after == "\n" and c.before == "**"]
    assert len(split) == 1
    assert ct.source.text[split[0].start:split[0].end] == "**"
    assert ct.source.text[split[0].end:].startswith("5.加强产业集聚发展")
    assert_mapped(ct)
    assert_changes_located(ct)


def test_bold_inside_a_sentence_is_only_unwrapped():
    ct = cl("到2025年，**5G基站**累计建设13万个，**千兆光网**覆盖全市。\n")
    assert ct.text == "到2025年，5G基站累计建设13万个，千兆光网覆盖全市。"


# --- HTML debris in text files ------------------------------------------------------------------

def test_html_debris_in_txt():
    ct = cl(
        "<p>一、主要目标</p>\n"
        "<p>到2026年，全市算力规模超过10EFLOPS。</p><br/>\n"
        "<div class=\"x\">二、重点任务</div>\n"
        "推进&ldquo;双千兆&rdquo;建设&amp;应用，&lt;示例&gt;，&#8220;十四五&#8221;，&#x4E00;网统管。\n"
    )
    assert lines(ct) == [
        "一、主要目标",
        "到2026年，全市算力规模超过10EFLOPS。",
        "二、重点任务",
        "推进“双千兆”建设&应用，<示例>，“十四五”，一网统管。",
    ]
    ents = {(c.before, c.after) for c in ct.changes if c.kind == "html" and c.before.startswith("&")}
    assert ("&ldquo;", "“") in ents and ("&#x4E00;", "一") in ents and ("&amp;", "&") in ents
    assert_mapped(ct)
    assert_changes_located(ct)


def test_angle_brackets_that_are_not_tags_survive_in_txt():
    ct = cl("新建数据中心综合PUE<1.3，且 a<b 与 5G>4G 的表述保持原样。\n")
    assert ct.text == "新建数据中心综合PUE<1.3，且 a<b 与 5G>4G 的表述保持原样。"


# --- machine-translation noise ------------------------------------------------------------------

def test_noise_words_between_chinese():
    ct = cl("加快建设网络 and 平台，各单位 will 加强协同，覆盖基站、光纤 etc 设施。\n")
    assert ct.text == "加快建设网络和平台，各单位将加强协同，覆盖基站、光纤等设施。"
    noise = [(c.before, c.after) for c in ct.changes if c.kind == "noise"]
    assert noise == [(" and ", "和"), (" will ", "将"), (" etc ", "等")]
    assert_mapped(ct)


def test_english_is_left_alone():
    ct = cl("SaaS\tSoftware as a Service\t软件即服务\nV2X\tVehicle to Everything\t车联网\n")
    assert lines(ct) == ["SaaS\tSoftware as a Service\t软件即服务", "V2X\tVehicle to Everything\t车联网"]
    assert not [c for c in ct.changes if c.kind == "noise"]


# --- footers and footnotes ----------------------------------------------------------------------

def test_page_footers_dropped_and_the_sentence_rejoined():
    ct = cl(
        "到2025年，全市数据中心标准机架达到8万架，推进算力设施绿色低碳发展，新建数据中心\n"
        "- 3 -\n"
        "\f"
        "综合PUE降至1.3以下。\n"
        "第 3 页 共 10 页\n"
        "－ 12 －\n"
        "7/10\n"
        "Page 4 of 9\n"
        "二、重点任务\n"
    )
    assert lines(ct) == [
        "到2025年，全市数据中心标准机架达到8万架，推进算力设施绿色低碳发展，新建数据中心综合PUE降至1.3以下。",
        "二、重点任务",
    ]
    footers = [c.before for c in ct.changes if c.kind == "footer"]
    assert footers == ["- 3 -", "第 3 页 共 10 页", "－ 12 －", "7/10", "Page 4 of 9"]
    assert_mapped(ct)


def test_table_cell_numbers_are_not_footers():
    ct = cl("序号\t指标\n1\t5G基站\n2\t千兆用户\n")
    assert lines(ct) == ["序号\t指标", "1\t5G基站", "2\t千兆用户"]


def test_footnote_lifted_out_with_marker_position():
    text = (
        "1. 促进数据中心有序建设。对本市新建数据中心实施总量控制，机架规模达到14万个^{【注】}，\n"
        "— 注：本文所提标准机架均是指 IT 设备机架功耗 6kW 的标准机架\n"
        "平均上架率保持在70%以上。\n"
    )
    ct = cl(text)
    assert lines(ct) == ["1. 促进数据中心有序建设。对本市新建数据中心实施总量控制，机架规模达到14万个，平均上架率保持在70%以上。"]
    assert len(ct.footnotes) == 1
    fn = ct.footnotes[0]
    assert fn.marker == "【注】"
    assert fn.text == "本文所提标准机架均是指 IT 设备机架功耗 6kW 的标准机架"
    assert fn.marker_pos == text.index("^{【注】}")
    assert text[fn.start:fn.end] == "— 注：本文所提标准机架均是指 IT 设备机架功耗 6kW 的标准机架"
    kinds = {(c.kind, c.before) for c in ct.changes}
    assert ("footnote", "^{【注】}") in kinds
    assert_mapped(ct)


def test_numbered_footnotes_pair_by_number():
    text = (
        "推进智慧城市建设^{2}，深化行业应用^[1]。\n"
        "[1] 行业应用包括工业、交通、能源等领域。\n"
        "2) 注：智慧城市指以数据为驱动的城市治理。\n"
    )
    ct = cl(text)
    assert ct.text == "推进智慧城市建设，深化行业应用。"
    by_marker = {f.marker: f for f in ct.footnotes}
    assert by_marker["1"].text == "行业应用包括工业、交通、能源等领域。"
    assert by_marker["1"].marker_pos == text.index("^[1]")
    assert by_marker["2"].text == "智慧城市指以数据为驱动的城市治理。"
    assert by_marker["2"].marker_pos == text.index("^{2}")


def test_seed_footnote():
    path = ROOT / "corpus" / "2021-shanghai-14th-fyp-new-information-infrastructure.txt"
    ct = clean(read_file(path))
    assert len(ct.footnotes) == 1
    fn = ct.footnotes[0]
    src = ct.source.text
    assert fn.marker == "【注】"
    assert src[fn.marker_pos:].startswith("^{【注】}")
    assert fn.text.startswith("本文所提标准机架")
    assert "本文所提标准机架" not in ct.text


# --- the changes list ---------------------------------------------------------------------------

def test_changes_sorted_and_typed():
    ct = clean(read_file(ROOT / "tests" / "data" / "own" / "hz-digital-notice.md"))
    assert ct.changes == sorted(ct.changes, key=lambda c: (c.start, c.end, c.kind))
    assert {c.kind for c in ct.changes} <= {"newline", "html", "markdown", "noise", "footer", "footnote", "join",
                                              "whitespace"}
    assert ("footer", "- 2 -") in {(c.kind, c.before) for c in ct.changes}


def test_untouched_text_has_no_changes():
    text = "一、主要目标\n到2027年，全省5G基站累计达到12万个。\n"
    ct = cl(text)
    assert ct.text == text.rstrip("\n")
    assert ct.changes == []
    assert ct.mt.source_span(0, len(ct.text)) == (0, len(text) - 1)


def test_a_table_written_one_cell_per_line_becomes_tab_rows():
    """Scraped pages give tables one cell per line (序号 / 区域 / … / 1 / 黄浦区 / …): rows of tabs again, a
    row that lost its merged cells gets empty ones where the row above had its shortest cells, and a total
    row sits under the name column."""
    from kg.clean import clean
    from kg.read import read_bytes

    text = "\n\n".join(["附表", "任务分配表", "序号", "区域", "新增装机容量（MW）", "新增示范工程",
                        "1", "黄浦区", "0.3-0.4", "1", "2", "徐汇区", "2-2.6", "3", "合计", "2.3-3", "4",
                        "三、保障措施", "加强组织领导，确保任务落实。"])
    ct = clean(read_bytes(text.encode("utf-8"), name="t.txt"))
    lines = ct.text.split("\n")
    assert "序号\t区域\t新增装机容量（MW）\t新增示范工程" in lines
    assert "1\t黄浦区\t0.3-0.4\t1" in lines and "2\t徐汇区\t2-2.6\t3" in lines
    assert "\t合计\t2.3-3\t4" in lines
    assert "加强组织领导，确保任务落实。" in lines
    # every cell keeps its place in the source
    i = ct.text.index("徐汇区")
    assert text[ct.mt.source_span(i, i + 3)[0]:][:3] == "徐汇区"


def test_a_numbered_list_is_not_taken_for_a_table():
    from kg.clean import clean
    from kg.read import read_bytes

    text = "一、主要任务\n1\n加快建设5G网络。\n2\n推进应用示范。\n"
    ct = clean(read_bytes(text.encode("utf-8"), name="t.txt"))
    assert "\t" not in ct.text


def test_a_one_cell_per_line_table_stops_at_the_body_and_puts_numbers_under_numbers():
    from kg.clean import clean
    from kg.read import read_bytes

    def rebuilt(cells):
        return clean(read_bytes("\n\n".join(cells).encode("utf-8"), name="t.txt")).text.split("\n")

    lines = rebuilt(["序号", "区域", "类别", "容量（MW）", "1", "黄浦区", "光伏", "0.3", "2", "徐汇区", "0.5",
                     "三、保障措施", "各区要按照本方案要求落实。"])
    assert "2\t徐汇区\t\t0.5" in lines and "三、保障措施" in lines and "各区要按照本方案要求落实。" in lines
    lines = rebuilt(["序号", "区域", "类别", "新增容量（MW）", "1", "黄浦区", "分布式光伏", "5", "2", "徐汇区", "8",
                     "3", "静安区", "集中式", "6"])
    assert "2\t徐汇区\t\t8" in lines and "3\t静安区\t集中式\t6" in lines


def test_a_row_that_lost_its_leading_category_keeps_its_unit_under_the_unit_column():
    """An indicator table one cell a line whose category cell (类型) is merged over several rows: the row that lost it
    keeps its name, unit, value and attribute under their own columns (the words before a number right-aligned to the
    word columns before its column), not its name under 类型 and its unit under 指标名称 (dev 25 A, 2026-12-01)."""
    from kg.clean import clean
    from kg.read import read_bytes

    cells = ["序号", "类型", "指标名称", "指标单位", "2025年目标值", "属性",
             "1", "保护修缮", "居住类历史建筑全项目修缮建筑面积", "万平方米", "30", "约束性",
             "2", "老大楼商业化改造利用面积", "万平方米", "11.4", "预期性",
             "3", "红色文化", "红色文物保护建筑修缮改造", "处", "4", "预期性",
             "4", "“建筑可阅读”线下走读线路数", "条", "5", "预期性",
             "5", "民生改善", "消除老旧小区手拎马桶", "—", "基本消除", "约束性",
             "6", "老旧住房综合修缮改造累计面积", "万平方米", "100", "约束性"]
    lines = clean(read_bytes("\n\n".join(cells).encode("utf-8"), name="t.txt")).text.split("\n")
    assert "2\t\t老大楼商业化改造利用面积\t万平方米\t11.4\t预期性" in lines
    assert "2\t老大楼商业化改造利用面积\t万平方米\t\t11.4\t预期性" not in lines
    assert "3\t红色文化\t红色文物保护建筑修缮改造\t处\t4\t预期性" in lines
    # a value equal to the next row's number (5) does not end the row; a row above with no number (基本消除) does not
    # hide where the numbers sit
    assert "4\t\t“建筑可阅读”线下走读线路数\t条\t5\t预期性" in lines
    assert "5\t民生改善\t消除老旧小区手拎马桶\t—\t基本消除\t约束性" in lines
    assert "6\t\t老旧住房综合修缮改造累计面积\t万平方米\t100\t约束性" in lines


def test_a_one_cell_per_line_table_with_its_category_column_before_the_number():
    """指标类别 / 序号 / … written before the rows (dev 21 A, 2026-12-02): the category cell, merged over its rows, stands
    before the number of its first row only; the header (year sub-headers included) is one line, each row one line with
    its category or an empty first cell.  Without a category header before 序号 the table is read as before."""
    from kg.clean import clean
    from kg.read import read_bytes

    def rebuilt(cells):
        return clean(read_bytes("\n\n".join(cells).encode("utf-8"), name="t.txt")).text.split("\n")

    lines = rebuilt(["专栏1 核心指标表", "指标类别", "序号", "指标名称", "单位", "属性", "指标值", "基期值", "规划目标",
                     "（2025年）", "（2030年）",
                     "城市发展", "1", "常住人口规模", "万人", "预期性", "120", "125",
                     "公共服务", "2", "社区养老床位数", "张", "约束性", "800", "1200",
                     "3", "人均公园绿地面积", "平方米/人", "约束性", "/", "8.5",
                     "4", "每千人口医疗机构床位数", "张", "预期性", "5", "6",
                     "绿色低碳", "5", "河湖水面率", "%", "约束性", "4.1", "4.3",
                     "二、主要任务", "各街镇要按照本规划要求落实。"])
    assert "指标类别\t序号\t指标名称\t单位\t属性\t指标值\t基期值\t规划目标\t（2025年）\t（2030年）" in lines
    assert "城市发展\t1\t常住人口规模\t万人\t预期性\t120\t125" in lines
    assert "公共服务\t2\t社区养老床位数\t张\t约束性\t800\t1200" in lines
    assert "\t3\t人均公园绿地面积\t平方米/人\t约束性\t/\t8.5" in lines
    # a value equal to the next row's number (5) does not end the row
    assert "\t4\t每千人口医疗机构床位数\t张\t预期性\t5\t6" in lines
    assert "绿色低碳\t5\t河湖水面率\t%\t约束性\t4.1\t4.3" in lines
    assert "二、主要任务" in lines and "各街镇要按照本规划要求落实。" in lines
    # a caption before 序号 is no category header: the table starts at 序号 as before
    lines = rebuilt(["主要指标", "序号", "区域", "新增装机容量（MW）", "新增示范工程",
                     "1", "黄浦区", "0.3", "1", "2", "徐汇区", "2", "3", "3", "静安区", "1", "2"])
    assert "主要指标" in lines and "序号\t区域\t新增装机容量（MW）\t新增示范工程" in lines
    assert "2\t徐汇区\t2\t3" in lines


def test_year_sub_headers_join_their_columns_and_the_group_header_goes():
    from kg.extract.structure import _subheaders_joined

    header = ["指标类别", "序号", "指标项", "单位", "类型", "指标值", "现状", "近期规划", "（2025年）", "（2030年）"]
    assert _subheaders_joined(header, 7) == ["指标类别", "序号", "指标项", "单位", "类型", "现状（2025年）", "近期规划（2030年）"]
    # no group header: nothing else is dropped
    assert _subheaders_joined(header[:5] + header[6:], 7) == \
        ["指标类别", "序号", "指标项", "单位", "类型", "现状（2025年）", "近期规划（2030年）"]
    # no year sub-header: the header as it is
    assert _subheaders_joined(["序号", "指标", "2025年", "2030年"], 4) == ["序号", "指标", "2025年", "2030年"]
