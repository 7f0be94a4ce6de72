"""Tests for kg/extract/deadlines.py: unit cases plus the gold spec in tests/gold/deadlines/*.yaml."""
from __future__ import annotations

import datetime as dt
import doctest
from pathlib import Path

import pytest
import yaml

import kg.extract.deadlines as deadlines_mod
from kg.extract.base import DocContext
from kg.extract.deadlines import Deadline, extract_deadlines, five_year_plan, period_from_title
from kg.evaluate import score_kind

GOLD_DIR = Path(__file__).parent / "gold" / "deadlines"
D = dt.date

# Thresholds set from measurement (see the report): the gold currently scores P = R = 1.0; the margin
# leaves room for new, harder cases without letting a real regression through.
MIN_PRECISION = 0.95
MIN_RECALL = 0.95


def ctx(date_document=None, period=None) -> DocContext:
    return DocContext(date_document=date_document, period=tuple(period) if period else None)


def one(text: str, c: DocContext | None = None) -> Deadline:
    found = extract_deadlines(text, c or ctx())
    assert len(found) == 1, found
    return found[0]


# ---------------------------------------------------------------------------------------------- unit

def test_spaces_from_conversion_offsets_into_given_text():
    text = "力争到 2028 年底，完成全市物联感知终端的整合。"
    d = one(text, ctx(D(2026, 1, 16), (2026, 2028)))
    assert (d.kind, d.date_end, d.year, d.qualifier, d.anchor) == ("point", D(2028, 12, 31), 2028, "底", None)
    assert text[d.start:d.end] == d.surface == "力争到 2028 年底"
    assert d.cue == "力争到"


@pytest.mark.parametrize("text,end,qual", [
    ("到2025年底", D(2025, 12, 31), "底"),
    ("到2025年", D(2025, 12, 31), None),
    ("至2023年", D(2023, 12, 31), None),
    ("2025年", D(2025, 12, 31), None),
    ("2024年9月30日前", D(2024, 9, 30), "前"),
    ("力争于2023年底前", D(2023, 12, 31), "底前"),
    ("二〇二五年", D(2025, 12, 31), None),
    ("二〇三五年", D(2035, 12, 31), None),
    ("2020 年末", D(2020, 12, 31), "末"),
    ("截至2024年6月底", D(2024, 6, 30), "底"),
    ("2024年第四季度", D(2024, 12, 31), None),
    ("2025年下半年", D(2025, 12, 31), None),
    ("2025年3月上旬", D(2025, 3, 10), None),
    ("２０２５年底", D(2025, 12, 31), "底"),
])
def test_absolute_points(text, end, qual):
    d = one(text)
    assert (d.kind, d.date_end, d.year, d.qualifier, d.anchor) == ("point", end, end.year, qual, None)
    assert d.surface == text


@pytest.mark.parametrize("text", ["2026—2028年", "2026-2028年", "2026～2028年", "2026 — 2028 年", "2026年至2028年",
                                  "（2026—2028）"])
def test_year_ranges(text):
    d = one(text)
    assert (d.kind, d.date_start, d.date_end, d.year) == ("period", D(2026, 1, 1), D(2028, 12, 31), 2028)


@pytest.mark.parametrize("text,kind,start,end", [
    ("“十四五”期间", "period", D(2021, 1, 1), D(2025, 12, 31)),
    ("“十四五”时期", "period", D(2021, 1, 1), D(2025, 12, 31)),
    ("“十四五”期内", "period", D(2021, 1, 1), D(2025, 12, 31)),
    ("“十四五”期末", "point", D(2025, 12, 31), D(2025, 12, 31)),
    ("十四五末", "point", D(2025, 12, 31), D(2025, 12, 31)),
    ("十五五", "period", D(2026, 1, 1), D(2030, 12, 31)),
    ("“十一五”", "period", D(2006, 1, 1), D(2010, 12, 31)),
    ("第十四个五年规划", "period", D(2021, 1, 1), D(2025, 12, 31)),
])
def test_five_year_plan_expressions(text, kind, start, end):
    d = one(text, ctx(D(2022, 1, 1)))
    assert (d.kind, d.date_start, d.date_end, d.anchor) == (kind, start, end, None)


@pytest.mark.parametrize("text,end", [
    ("年内", D(2025, 12, 31)), ("今年", D(2025, 12, 31)), ("本年度", D(2025, 12, 31)),
    ("明年", D(2026, 12, 31)), ("次年", D(2026, 12, 31)), ("年底前", D(2025, 12, 31)),
    ("今年底", D(2025, 12, 31)), ("明年6月底前", D(2026, 6, 30)), ("去年", D(2024, 12, 31)),
])
def test_relative_to_document_date(text, end):
    d = one(text, ctx(D(2025, 2, 6)))
    assert (d.kind, d.date_end, d.year, d.anchor) == ("relative", end, end.year, "document_date")


def test_relative_without_reference_date_is_unresolved_and_less_sure():
    d = one("年内", ctx())
    assert (d.kind, d.date_end, d.anchor) == ("relative", None, "document_date")
    assert d.confidence < one("年内", ctx(D(2025, 1, 1))).confidence


def test_never_today():
    # same text, two reference dates → two answers; nothing depends on the clock
    a = one("明年", ctx(D(2001, 5, 1)))
    b = one("明年", ctx(D(2030, 5, 1)))
    assert (a.year, b.year) == (2002, 2031)


@pytest.mark.parametrize("text,end", [("三年内", D(2027, 6, 1)), ("两年内", D(2026, 6, 1)),
                                      ("用三年时间", D(2027, 6, 1)), ("6个月内", D(2024, 12, 1))])
def test_relative_spans(text, end):
    d = one(text, ctx(D(2024, 6, 1)))
    assert (d.kind, d.date_end, d.anchor) == ("relative", end, "document_date")


@pytest.mark.parametrize("text,rec", [("每年", "P1Y"), ("每季度", "P3M"), ("每月", "P1M"), ("每半年", "P6M"),
                                      ("每两年", "P2Y"), ("每周", "P1W"), ("按季度", "P3M"),
                                      ("每年年底前", "P1Y")])
def test_recurring(text, rec):
    d = one(text)
    assert (d.kind, d.recurrence, d.date_end) == ("recurring", rec, None)
    assert d.surface == text


def test_vague_horizons_low_confidence():
    found = extract_deadlines("近期重点推进，中期全面提升", ctx(D(2024, 1, 1)))
    assert [d.kind for d in found] == ["relative", "relative"]
    assert all(d.confidence <= 0.3 and d.date_end is None for d in found)


def test_own_period_needs_context():
    d = one("到规划期末", ctx(D(2026, 1, 1), (2026, 2030)))
    assert (d.kind, d.date_end, d.anchor) == ("point", D(2030, 12, 31), "period")
    u = one("到规划期末", ctx(D(2026, 1, 1)))
    assert u.date_end is None and u.confidence < d.confidence


def test_background_statistics_are_points():
    text = "全球数字经济占 GDP 比重已从 2016 年的 22% 增长至 2020 年的 41.5%"
    found = extract_deadlines(text, ctx())
    assert [(d.kind, d.year, d.cue) for d in found] == [("point", 2016, None), ("point", 2020, None)]
    # 增长至 is a verb, not the preposition 至; a bare statistic year is less sure than 到2025年底
    assert all(d.confidence < one("到2025年底").confidence for d in found)


@pytest.mark.parametrize("text", [
    "上海市“铸盾 2025”车联网网络安全实战攻防", "5G基站", "党的二十大", "第五届“磐石行动”",
    "工信厅通信〔2024〕52号", "沪通信管发[2026]5号", "（2024）3号", "【2025】12号", "电话 63902000*856",
    "021-20252024", "GB/T 9704-2012", "三年行动计划", "通过五年的持续努力", "十五项任务", "2025个行政村",
    "2023年初步建成"[4:], "年度滚动规划", "每万人拥有OTN站点数", "3个月", "以后年度",
])
def test_not_time_expressions(text):
    assert extract_deadlines(text, ctx(D(2025, 1, 1), (2025, 2027))) == []


@pytest.mark.parametrize("text,year", [("2025年内蒙古新建基站", 2025), ("2023年初步建成", 2023),
                                       ("2025年前沿技术", 2025), ("2024年前后", 2024)])
def test_qualifier_lookalikes_do_not_attach(text, year):
    d = one(text)
    assert (d.year, d.qualifier) == (year, None)
    assert d.surface == f"{year}年"


def test_leftmost_longest_no_double_counting():
    found = extract_deadlines("行动计划（2021—2023年）提出到2023年底前完成，“十四五”期末再评估", ctx())
    assert [d.surface for d in found] == ["2021—2023年", "到2023年底前", "“十四五”期末"]


def test_to_dict_is_json_ready():
    d = one("2024年9月30日前").to_dict()
    assert d["date_end"] == "2024-09-30" and d["kind"] == "point" and isinstance(d["start"], int)


def test_period_from_title():
    assert period_from_title("上海市物联网及物联感知“物智沪联” 行动计划（2026—2028年）") == (2026, 2028)
    assert period_from_title("物联网新型基础设施建设三年行动计划 (2021-2023年)") == (2021, 2023)
    assert period_from_title("上海市新一代信息基础设施发展“十四五”规划") == (2021, 2025)
    assert period_from_title("关于推进移动物联网“万物智联”发展的通知") is None
    assert period_from_title("") is None


def test_five_year_plan():
    assert five_year_plan("十四五") == (2021, 2025)
    assert five_year_plan("“十五五”") == (2026, 2030)
    assert five_year_plan("十三五规划") == (2016, 2020)
    assert five_year_plan("第十二个五年规划") == (2011, 2015)
    assert five_year_plan(11) == (2006, 2010)
    with pytest.raises(KeyError):
        five_year_plan("十六五")


def test_doctests():
    assert doctest.testmod(deadlines_mod).failed == 0


# ---------------------------------------------------------------------------------------------- gold

def _load_gold():
    cases = []
    for path in sorted(GOLD_DIR.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert spec["kind"] == "deadlines", path
        for case in spec["cases"]:
            cases.append((path.name, case))
    return cases


GOLD = _load_gold()


def test_gold_spec_shape():
    ids = [c["id"] for _, c in GOLD]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    own = sum(1 for _, c in GOLD if c["source"] == "own")
    assert len(GOLD) >= 50 and own * 2 >= len(GOLD)
    assert sum(1 for _, c in GOLD if not c["expected"]) >= 10  # negatives
    for _, c in GOLD:
        assert c["source"] == "own" or c["source"].startswith("seed:")


def test_gold_precision_recall():
    s = score_kind("deadlines", GOLD_DIR.parent)
    assert s.precision >= MIN_PRECISION and s.recall >= MIN_RECALL, (s.as_dict(), s.errors)


# ---------------------------------------------------------------------------------------------- ranges

@pytest.mark.parametrize("text,start,end", [
    ("2025年10月1日至2026年9月30日", D(2025, 10, 1), D(2026, 9, 30)),
    ("2026年3月1日至3月31日", D(2026, 3, 1), D(2026, 3, 31)),
    ("自2025年7月1日起至2027年6月30日止", D(2025, 7, 1), D(2027, 6, 30)),
    ("2025年10月至2026年3月", D(2025, 10, 1), D(2026, 3, 31)),
    ("2025年1月至6月", D(2025, 1, 1), D(2025, 6, 30)),
    ("2025年至2027年", D(2025, 1, 1), D(2027, 12, 31)),
    ("2025年1月1日—12月31日", D(2025, 1, 1), D(2025, 12, 31)),
])
def test_date_range_is_one_period(text, start, end):
    d = one(text, ctx(D(2025, 1, 1)))
    assert (d.kind, d.date_start, d.date_end) == ("period", start, end)
    assert d.surface == text


def test_impossible_day_range_is_not_a_period():
    assert all(d.kind != "period" for d in extract_deadlines("2025年2月30日至3月5日", ctx(D(2025, 1, 1))))


@pytest.mark.parametrize("text", ["上一年度", "上年度", "上年", "去年"])
def test_past_references_are_relative_and_below_deadline_confidence(text):
    # Decision: a past reference (上一年度营业收入) is reported as kind relative, resolved to the previous
    # year, with confidence < 0.5 so that it is never read as the deadline of a target or task.
    d = one(f"{text}营业收入不低于1000万元", ctx(D(2025, 3, 1)))
    assert (d.kind, d.year) == ("relative", 2024)
    assert d.confidence < 0.5


@pytest.mark.parametrize("text,n", [
    ("“十四五”规划实施以来，全省信息基础设施水平大幅提升。", 0),
    ("《数字经济发展“十四五”规划》印发以来，已建成5G基站8万个。", 0),
    ("“十四五”规划期间，全市累计投资超过1000亿元。", 1),            # 规划期间 is a period suffix
    ("根据《数字化转型“十四五”规划》，制定本方案。", 1),              # a cited title, not backward-looking
    ("“十四五”时期，全省累计建成5G基站10万个。", 1),
])
def test_plan_name_in_backward_looking_sentence_is_not_a_period(text, n):
    assert len([d for d in extract_deadlines(text, ctx(D(2024, 5, 1))) if d.method.startswith("five_year")]) == n
