"""Quantities: values with multipliers, units apart, and numbers that are not quantities."""
from __future__ import annotations

import pytest

from kg.extract.numbers import extract_numbers, split_unit


def vals(text):
    return [(q.value, q.unit) for q in extract_numbers(text)]


@pytest.mark.parametrize("text,value,unit", [
    ("13万个", 130000, "个"), ("13 万个", 130000, "个"), ("36亿", 3600000000, None), ("3.5万", 35000, None),
    ("百分之八十", 80, "%"), ("95%", 95, "%"), ("98％", 98, "%"), ("1600Tbps", 1600, "Tbps"),
    ("470Mbps", 470, "Mbps"), ("100Gbit/s", 100, "Gbps"), ("120MW", 120, "MW"), ("1000 公里", 1000, "公里"),
    ("8000 幢", 8000, "幢"), ("5万架", 50000, "架"), ("500 万户", 5000000, "户"), ("300户", 300, "户"),
    ("1500台", 1500, "台"), ("20套", 20, "套"), ("50条", 50, "条"), ("10ms", 10, "ms"), ("1 毫秒", 1, "ms"),
    ("100亿元", 10000000000, "元"), ("2000万元", 20000000, "元"), ("3.20 万个", 32000, "个"),
    ("三十家", 30, "家"), ("50款", 50, "款"), ("40项", 40, "项"), ("5万吨标准煤", 50000, "吨标准煤"),
])
def test_values_and_units(text, value, unit):
    [q] = extract_numbers(f"达到{text}。")
    assert (q.value, q.unit) == (value, unit)
    assert isinstance(q.value, int) == (value == int(value))


def test_multiplier_kept_apart():
    [q] = extract_numbers("互联网数据中心标准机架数达到62万个")
    assert (q.value, q.unit, q.multiplier) == (620000, "个", 10000)
    [q] = extract_numbers("投资36亿元")
    assert q.unit_kind == "currency"
    [q] = extract_numbers("终端连接数突破36亿")
    assert q.unit is None and q.unit_kind is None  # a count, not money


def test_approximations_and_ranges():
    qs = extract_numbers("已部署 30 余种近百万个智能感知终端")
    assert [(q.value, q.unit, q.qualifier) for q in qs] == [(30, "种", "余"), (1000000, "个", "近")]
    [q] = extract_numbers("部署3—5家")
    assert (q.value, q.value_high, q.unit) == (3, 5, "家")
    [q] = extract_numbers("占比20%～30%")
    assert (q.value, q.value_high) == (20, 30)
    [q] = extract_numbers("约6000")
    assert (q.value, q.qualifier) == (6000, "约")
    [q] = extract_numbers("规模超过亿级")
    assert (q.value, q.qualifier) == (100000000, "级")


def test_per_capita_denominator():
    [q] = extract_numbers("每万人拥有OTN站点数提升至4.5个")
    assert (q.value, q.unit, q.per) == (4.5, "个", "每万人")


def test_offsets_ignore_inserted_spaces():
    text = "至 2025 年 5G 基站规模超过 7 万个"
    [q] = extract_numbers(text)
    assert text[q.start:q.end] == q.surface == "7 万个"
    assert q.value == 70000


@pytest.mark.parametrize("text", [
    "5G", "4G/5G", "6G", "IPv6", "5G 3CC", "10GPON", "5G-A", "5G—A基站", "党的二十大", "“十四五”期间",
    "一物一卡一码一号一数据", "铸盾 2025", "第五届", "2025年", "2028 年底", "（2026—2028年）",
    "电话：63902000", "63902000\\*856", "工信厅通信〔2024〕52号", "1. 率先建成", "（一）加强网络规划建设",
    "保持全国第一", "2021-09-15", "浦东开发开放 30 周年", "第 6 版互联网协议", "1+16+X", "3F 杆", "LTE-Cat1",
    "G60 科创走廊", "万兆光网", "二〇三五年", "一批", "一件事", "V2X",
])
def test_not_quantities(text):
    assert extract_numbers(text) == [], text


def test_split_unit_column():
    assert split_unit("万个") == (10000, "个", "count")
    assert split_unit("万架") == (10000, "架", "count")
    assert split_unit("Mbps") == (1, "Mbps", "rate")
    assert split_unit("-") == (1, None, None)


@pytest.mark.parametrize("text,value,unit", [
    ("30EFLOPS", 30, "EFLOPS"), ("30EFlops", 30, "EFLOPS"), ("30Eflops", 30, "EFLOPS"), ("3 eflops", 3, "EFLOPS"),
    ("500PFlops", 500, "PFLOPS"), ("80Tflops", 80, "TFLOPS"),
    ("100Gbit/s", 100, "Gbps"), ("400Gb/s", 400, "Gbps"), ("10Tbit/s", 10, "Tbps"), ("1000Mbit/s", 1000, "Mbps"),
    ("175ZB", 175, "ZB"),
])
def test_one_canonical_spelling_per_unit(text, value, unit):
    [q] = extract_numbers(text)
    assert (q.value, q.unit) == (value, unit)
    assert text[q.start:q.end] == q.surface


def test_split_unit_canonical_and_case_insensitive():
    assert split_unit("EFlops") == (1, "EFLOPS", "compute")
    assert split_unit("Gbit/s") == (1, "Gbps", "rate")


def test_clause_comma_is_not_a_thousands_separator():
    # a full-width clause comma before a year must not glue two numbers together (8，2027年 ≠ 8202)
    qs = extract_numbers("基期值8，2027年目标值25")
    assert [q.value for q in qs] == [8, 25]
    [q] = extract_numbers("共计1,200个")
    assert q.value == 1200
