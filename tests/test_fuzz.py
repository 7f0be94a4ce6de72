"""Property-based fuzzing (hypothesis) of the parsers that read untrusted text, and of the SPARQL guard.

Targets: the number, deadline, 文号 and reference extractors (kg/extract/*), the cleaner's offset
map (kg/clean.py, kg/text.py), the clause segmenter (kg/extract/structure.py) and the read-only
SPARQL guard (kg/sparql_guard.py).  Properties:

- no input crashes them (random Unicode, and texts built from policy fragments: Chinese numerals,
  万/亿, %, 百分之, 〔2024〕, 《…》, 到2027年, 第X条, 一、（一）1.（1）①, full-width punctuation,
  unbalanced brackets, NUL, markup, very long runs);
- every annotation's ``[start, end)`` lies inside the text and ``text[start:end] == surface``
  (the extractor contract, kg/extract/base.py);
- parsing is stable where it should be: the 文号 normaliser is idempotent and agrees with the
  finder, a formatted number/date is read back as the value it was formatted from, an extractor
  finds the same thing in its own surface;
- cleaning maps every kept character back to a source character that is the same (or is covered
  by a recorded change), with source offsets that never go backwards;
- the segmenter's clause spans lie inside the text and no two clauses own the same characters;
- the SPARQL guard refuses every generated query that holds SERVICE / an update / LOAD, wherever
  it sits, and accepts generated harmless SELECTs over the seed vocabulary.

Reproducible: ``derandomize=True`` (the examples are a function of the test alone), no example
database, ``deadline=None`` (hypothesis's default deadline is a timed assertion).  More examples
for a deeper local run: ``KG_FUZZ_EXAMPLES=3000 pytest tests/test_fuzz.py``; fresh random
examples instead of the fixed ones: ``KG_FUZZ_RANDOM=1``.
"""
from __future__ import annotations

import bisect
import datetime as dt
import itertools
import json
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from kg.clean import CleanText, clean
from kg.errors import QueryRefused
from kg.extract.base import DocContext
from kg.extract.deadlines import KINDS, extract_deadlines, five_year_plan, period_from_title
from kg.extract.docnumber import find_doc_numbers, normalize_doc_number
from kg.extract.layout import find_zones
from kg.extract.numbers import extract_numbers, lexicon, parse_number, split_unit, unit_info
from kg.extract.references import REF_KINDS, RELATIONS, clean_title, extract_references
from kg.extract.structure import segment
from kg.read import SourceDoc
from kg.sparql_guard import MSG_SERVICE, check_query, parser_check
from kg.store import check_read_only

ROOT = Path(__file__).resolve().parent.parent

N = int(os.environ.get("KG_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=N,
    deadline=None,
    derandomize=os.environ.get("KG_FUZZ_RANDOM") != "1",
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
# the heavier targets (whole-document cleaning and segmentation, the SPARQL parser) get fewer examples
FUZZ_HEAVY = settings(FUZZ, max_examples=max(20, N * 3 // 4))

# ------------------------------------------------------------------------------------------ strategies

FRAGMENTS = [
    # numerals, multipliers, percentages, units, approximations, ranges
    "一", "二", "两", "三", "十", "十四", "二十", "百", "千", "万", "亿", "万亿", "零", "〇", "点", "三点五",
    "%", "％", "百分之", "百分之八十", "百分点", "个百分点", "个", "家", "万个", "亿元", "万户", "Mbps", "Gbit/s",
    "ms", "EFLOPS", "吨标准煤", "约", "近", "超过", "突破", "达到", "余", "多", "级", "亿级", "近百万个",
    "3—5家", "-", "—", "——", "～", "~", "至", "到", "每万人", "每", "5G", "IPv6", "10GPON", "LTE-Cat1",
    "0", "1", "7", "13", "2024", "2027", "9999", "0000", "3.5", "1,000", "1,00", "63902000", "1.2.3", "１２",
    "２０２４", "．", "，", "１０万",
    # dates and periods
    "年", "月", "日", "号", "到2027年", "2025年底", "年底前", "年内", "前", "以前", "底", "初", "上半年", "下半年",
    "第三季度", "三季度", "上旬", "下旬", "2月30日", "13月", "0月", "2025年1月至6月", "2025—2027年",
    "2024年9月30日前", "二〇二五年", "十四五", "“十四五”", "期末", "期间", "以来", "规划期末", "明年", "今年",
    "三年内", "今后五年", "近三年来", "每年", "每季度", "逐年", "2021-09-15", "2025/13/40", "12:30",
    # 文号 and references
    "〔", "〕", "〔2024〕", "[2021]", "（2025）", "【2023】", "(2020)", "第5号", "52号", "130号", "号文",
    "国发", "工信部联科", "沪通信管临港", "国办发〔2024〕7号", "发文字号：", "文号", "《", "》", "〈", "〉",
    "《关于", "的通知》", "印发", "关于印发《", "》的通知", "现将《", "》印发给你们", "根据", "依据", "贯彻落实",
    "按照", "参照", "转发", "（国发〔2024〕7号）", "行动计划", "实施方案", "（2024—2026年）", "“", "”", "‘", "’",
    "“双千兆”", "工业和信息化部", "以下简称", "有效执行",
    # structure
    "第", "条", "章", "第一章", "第十二条", "一、", "二、", "十一、", "（一）", "(二)", "1.", "2、", "12.",
    "（1）", "(3)", "①", "②", "⑳", "—— ", "- ", "* ", "专栏1", "专栏", "附件", "附件2：", "附表", "序号\t指标\t目标值",
    "1\t5G基站\t13万个", "缩略语\t全称\t解释", "其中：", "注：", "注1：", "【注】", "^{1}", "[^1]", "^[2]",
    # debris: markup, footers, whitespace, control characters
    "<p>", "</p>", "<br/>", "<td>", "</td>", "<tr>", "<script>", "</script>", "&lt;", "&amp;", "&#8220;",
    "&#x4E00;", "&bogus;", "**", "__", "#", "## ", "|", "| --- |", "---", "\\", "- 3 -", "第 3 页 共 10 页",
    " and ", " will ", " etc ", "\n", "\n\n", "\r\n", "\r", "\t", " ", "\u3000", "\u00a0", "\x00", "\f", "\v",
    "\u2028", "\u200b", "\ufeff", "\u00ad", "。", "；", "：", ":", "、", "！", "？", "（", "）", "(", ")", "【",
    "】", "「", "」", "…", "＜", "＞", "<", ">",
    # ordinary prose
    "推进", "建设", "网络", "物联网", "基站", "新建", "累计", "全市", "工作", "要求", "加快推进网络建设。",
    "各区人民政府", "上海市通信管理局", "某某市人民政府办公厅",
]

# fragments of one kind, for texts dense in what one parser looks for
NUMBER_FRAGMENTS = [f for f in FRAGMENTS[:FRAGMENTS.index("年")]] + ["万", "亿", "百分之", "个", "%", "—", "至"]
TIME_FRAGMENTS = FRAGMENTS[FRAGMENTS.index("年"):FRAGMENTS.index("〔")] + [
    "到", "至", "力争到", "截至", "自", "起", "止", "以来", "以前", "之内", "个月", "个季度", "周", "天", "个工作日",
    "近", "今后", "未来", "有效期为", "每", "1", "12", "31", "2", "2025", "2027", "二〇二五", "一九九九", "十二",
    "三十一", "二十", "999", "99", "—", "（", "）", "年", "月", "日", "号", "“", "”", "去年", "上年度", "次年",
    "上旬", "中旬", "下旬", "近期", "远期", "十三五", "十五五", "国民经济和社会发展第十四个五年规划", "规划期内"]
DOCNUM_FRAGMENTS = FRAGMENTS[FRAGMENTS.index("〔"):FRAGMENTS.index("第")] + [
    "〔", "〕", "[", "]", "［", "］", "（", "）", "(", ")", "【", "】", "〖", "〗", "2024", "１９９９", "2099", "1900",
    "3000", "0", "00052", "第", "号", " ", "\u3000", "发文字号", "根据", "的", "和", "文件", "国办发", "沪府"]
REF_FRAGMENTS = DOCNUM_FRAGMENTS + [
    "《", "》", "《", "》", "〈", "〉", "“", "”", "“海上扬帆”", "5G—A 应用赋能", "升级行动计划", "工程", "专项行动",
    "（2024—2026 年）", "\n", "等", "（以下简称“", "”）", "关于印发", "的通知", "的决定", "（国发〔2024〕7号、", "等文件",
    "现将", "印发给你们", "推进", "有效执行", "工业和信息化部、", "国家发展改革委", "和", "及", "、", "，", "。", "；"]
STRUCTURE_FRAGMENTS = FRAGMENTS[FRAGMENTS.index("第"):FRAGMENTS.index("<p>")]

# characters from the scripts and blocks a policy text (or debris in it) can hold
_ALPHABET = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "S", "Z", "Cc", "Cf", "M"),
)
_UNICODE = st.text(_ALPHABET, max_size=12)
_CJK_NUMERALS = st.text(st.sampled_from("零〇一二两三四五六七八九十百千万亿点"), min_size=1, max_size=8)
_DIGITS = st.one_of(st.integers(0, 10**13).map(str), st.integers(0, 10**60).map(str),
                    st.decimals(0, 10**6, places=2, allow_nan=False, allow_infinity=False).map(str))


def texts_from(fragments: list[str]):
    """Texts built mostly from ``fragments``, with policy fragments, random Unicode, numbers, numerals
    and long runs mixed in; bounded in size."""
    piece = st.one_of(
        st.sampled_from(fragments), st.sampled_from(fragments), st.sampled_from(fragments),
        st.sampled_from(FRAGMENTS), _UNICODE, _CJK_NUMERALS, _DIGITS,
    )
    run = st.builds(lambda frag, n: frag * n, st.sampled_from(fragments + ["一", "《", "（", "\n", "9"]),
                    st.one_of(*[st.integers(20, 400)] * 6, st.just(4400)))  # 4,400 digits: past int→str's limit
    return st.lists(st.one_of(piece, piece, piece, piece, piece, run), max_size=40).map("".join)


policy_text = texts_from(FRAGMENTS)
any_text = st.one_of(policy_text, policy_text, st.text(_ALPHABET, max_size=200))
number_text = st.one_of(texts_from(NUMBER_FRAGMENTS), any_text)
time_text = st.one_of(texts_from(TIME_FRAGMENTS), texts_from(TIME_FRAGMENTS), any_text)
docnum_text = st.one_of(texts_from(DOCNUM_FRAGMENTS), any_text)
ref_text = st.one_of(texts_from(REF_FRAGMENTS), texts_from(REF_FRAGMENTS), any_text)
# a line-structured document: lines built from fragments, some starting with a numbering marker
_MARKERS = ["", "", "", "一、", "二、", "（一）", "（二）", "1.", "2.", "（1）", "①", "②", "—— ", "第一章", "第二条",
            "专栏1 ", "附件1", "附表", "注：", "- 3 -"]
_line = st.builds(lambda m, body: m + body, st.sampled_from(_MARKERS),
                  st.one_of(policy_text, texts_from(STRUCTURE_FRAGMENTS)))
document_text = st.one_of(st.lists(_line, max_size=25).map("\n".join), any_text)

# document dates: ordinary ones, none, and the ends of the calendar (明年 in a document dated 9999)
_dates = st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)), st.dates(),
                   st.sampled_from([dt.date.min, dt.date.max, dt.date(1, 12, 31), dt.date(9999, 1, 1),
                                    dt.date(9950, 6, 30), dt.date(2026, 1, 16)]))
_period = st.one_of(st.none(), st.tuples(st.integers(1, 9999), st.integers(1, 9999)).map(lambda t: (min(t), max(t))),
                    st.just((2026, 2028)))
contexts = st.builds(
    DocContext,
    doc_id=st.none(),
    title=st.one_of(st.none(), policy_text),
    jurisdiction=st.none(),
    level=st.none(),
    date_document=_dates,
    period=_period,
    issuers=st.just(()),
    doc_number=st.one_of(st.none(), st.sampled_from(["国发〔2024〕7号", "工信部联科〔2021〕130号", "x"]), docnum_text),
)


def _check_spans(text: str, anns) -> None:
    """The extractor contract: ``[start, end)`` inside ``text``, non-empty, and the surface is that slice."""
    for a in anns:
        assert 0 <= a.start < a.end <= len(text), (a, len(text))
        assert text[a.start:a.end] == a.surface, a
        assert 0.0 <= a.confidence <= 1.0, a
        assert isinstance(a.method, str) and a.method, a
        json.dumps(a.to_dict(), allow_nan=False, ensure_ascii=False)  # the JSON view never fails


# ------------------------------------------------------------------------------------------ numbers

@FUZZ
@given(number_text)
@example("全市新建5G基站达到" + "9" * 5000 + "个。")  # was a value no one could print (int→str limit)
@example("近百万个" * 4400)  # was quadratic (each number walked back to its clause start)
def test_numbers_never_crash_and_spans_point_into_the_text(text):
    qs = extract_numbers(text)
    _check_spans(text, qs)
    for q in qs:
        # negative only when written with a minus sign (负3.9%, -22.2%)
        assert isinstance(q.value, (int, float)) and (q.value >= 0 or q.surface[0] in "-−－负"), q
        assert q.multiplier >= 1, q
        if q.value_high is not None:
            assert isinstance(q.value_high, (int, float)), q
        # every value can be written to the graph and to JSON (finite, printable)
        json.dumps(q.to_dict(), allow_nan=False)
        Decimal(str(q.value))
    assert [q.start for q in qs] == sorted(q.start for q in qs)


@FUZZ
@given(st.one_of(number_text, _CJK_NUMERALS, _DIGITS,
                 st.text(st.sampled_from("零〇一二两三四五六七八九十百千万亿点负分之.,0123456789%"), max_size=30)))
def test_number_helpers_are_total(s):
    d = parse_number(s)
    assert d is None or isinstance(d, Decimal)
    mult, unit, _kind = split_unit(s)
    assert isinstance(mult, int) and mult >= 1
    assert unit is None or isinstance(unit, str)
    unit_info(s)


_CJK_UNITS = sorted(u for u, i in lexicon().units.items() if not u.isascii() and i.get("kind") == "count")


@FUZZ
@given(st.integers(1, 10**7), st.sampled_from(["", "万", "亿"]), st.sampled_from(_CJK_UNITS))
def test_a_formatted_quantity_reads_back_as_its_value(n, mult, unit):
    text = f"全市累计达到{n}{mult}{unit}。"
    qs = extract_numbers(text)
    assert len(qs) == 1, (text, qs)
    q = qs[0]
    factor = {"": 1, "万": 10**4, "亿": 10**8}[mult]
    assert (q.value, q.multiplier) == (n * factor, factor), (text, q)
    assert q.surface == f"{n}{mult}{unit}"
    # stable: the extractor reads its own surface the same way
    again = extract_numbers(q.surface)
    assert [(a.value, a.unit) for a in again] == [(q.value, q.unit)]
    # spaces and full-width digits put in by format conversion change nothing but the offsets
    wide = str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    spaced = f"全市累计达到 {wide} {mult} {unit}。"
    [w] = extract_numbers(spaced)
    assert (w.value, w.unit, w.multiplier) == (q.value, q.unit, q.multiplier)
    assert spaced[w.start:w.end] == w.surface


@FUZZ
@given(st.integers(0, 10**8))
def test_chinese_numerals_parse_back_to_their_value(n):
    import cn2an

    assert parse_number(cn2an.an2cn(n)) == n
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n


@FUZZ
@given(st.decimals(0, 10**6, places=2, allow_nan=False, allow_infinity=False))
def test_percentages_read_back(d):
    text = f"覆盖率达到{d}%。"
    qs = extract_numbers(text)
    assert len(qs) == 1 and qs[0].unit == "%", (text, qs)
    assert Decimal(str(qs[0].value)) == d


# ------------------------------------------------------------------------------------------ deadlines

@FUZZ
@given(time_text, contexts)
@example("明年底前完成", DocContext(date_document=dt.date(9999, 1, 1)))  # was ValueError: year 10000
@example("去年", DocContext(date_document=dt.date(1, 5, 1)))  # was ValueError: year 0
@example("今后99年内、99周内", DocContext(date_document=dt.date(9999, 12, 1)))  # was Overflow/ValueError
@example("“十四五”以来，2025年以来", DocContext(date_document=dt.date(2000, 1, 1)))  # was a period ending before it starts
def test_deadlines_never_crash_and_spans_point_into_the_text(text, ctx):
    ds = extract_deadlines(text, ctx)
    _check_spans(text, ds)
    prev_end = 0
    for d in ds:
        assert d.kind in KINDS, d
        assert d.start >= prev_end, "deadlines never overlap"
        prev_end = d.end
        if d.date_start and d.date_end:
            assert d.date_start <= d.date_end, d
        if d.year is not None:
            assert d.year in {x.year for x in (d.date_start, d.date_end) if x}, d


@FUZZ
@given(time_text)
def test_period_helpers_are_total(s):
    p = period_from_title(s)
    assert p is None or (isinstance(p, tuple) and p[0] <= p[1])
    try:
        five_year_plan(s)
    except KeyError:
        pass


@FUZZ
@given(st.dates(dt.date(1950, 1, 1), dt.date(2099, 12, 31)), st.sampled_from(["到", "力争到", "至", ""]),
       st.sampled_from(["", "前", "底前"]), st.booleans())
def test_a_formatted_date_reads_back_as_itself(d, cue, tail, spaced):
    sp = " " if spaced else ""
    expr = f"{cue}{sp}{d.year}{sp}年{sp}{d.month}{sp}月{sp}{d.day}{sp}日{tail}"
    text = f"各单位{expr}，完成部署工作。"
    ds = extract_deadlines(text, DocContext(date_document=dt.date(2026, 1, 16)))
    assert len(ds) == 1, (text, ds)
    [x] = ds
    assert x.date_end == d and x.year == d.year, (text, x)
    # stable: the surface alone reads the same
    [y] = extract_deadlines(x.surface, DocContext(date_document=dt.date(2026, 1, 16)))
    assert (y.date_start, y.date_end, y.kind) == (x.date_start, x.date_end, x.kind)


@FUZZ
@given(st.integers(1950, 2099), st.sampled_from(["到", "力争到", ""]), st.sampled_from(["年底", "年末", "年"]))
def test_a_formatted_year_end_reads_back(y, cue, unit):
    [x] = extract_deadlines(f"{cue}{y}{unit}，全市新建5G基站1万个。", DocContext())
    assert x.date_end == dt.date(y, 12, 31), x


# ------------------------------------------------------------------------------------------ 文号

@FUZZ
@given(docnum_text)
def test_doc_number_normaliser_is_total_and_idempotent(s):
    once = normalize_doc_number(s)
    assert isinstance(once, str)
    assert normalize_doc_number(once) == once


@FUZZ
@given(docnum_text)
def test_doc_numbers_found_are_in_normal_form_and_point_into_the_text(text):
    dns = find_doc_numbers(text)
    _check_spans(text, dns)
    for d in dns:
        assert normalize_doc_number(d.value) == d.value, d
        assert normalize_doc_number(d.surface) == d.value, d
        assert d.value == f"{d.agency_code}〔{d.year}〕{d.serial}号", d
        assert [x.value for x in find_doc_numbers(d.surface)] == [d.value], d


_CODES = st.text(st.sampled_from("国务院办公厅工信部联科通信管发沪临港粤府函"), min_size=1, max_size=8)
_BRACKETS = st.sampled_from(["〔〕", "[]", "［］", "（）", "()", "【】", "〖〗"])


@FUZZ
@given(_CODES, _BRACKETS, st.integers(1900, 2099), st.integers(1, 99999), st.booleans(), st.booleans(),
       st.booleans())
def test_doc_number_variants_normalise_to_one_form(code, br, year, serial, pad, di, spaces):
    sp = " " if spaces else ""
    ser = f"{serial:05d}" if pad else str(serial)
    written = f"{code}{sp}{br[0]}{sp}{year}{sp}{br[1]}{sp}{'第' if di else ''}{ser}{sp}号"
    assert normalize_doc_number(written) == f"{code}〔{year}〕{serial}号"
    found = find_doc_numbers(f"根据{written}文件精神")
    assert found and found[-1].year == year and found[-1].serial == serial


# ------------------------------------------------------------------------------------------ references

@FUZZ
@given(ref_text, contexts)
def test_references_never_crash_and_spans_point_into_the_text(text, ctx):
    refs = extract_references(text, ctx)
    _check_spans(text, refs)
    for r in refs:
        assert r.relation in RELATIONS, r
        assert r.ref_kind in REF_KINDS, r
        if r.ref_kind in ("title", "programme"):
            assert r.title, r
        if r.doc_number is not None:
            assert normalize_doc_number(r.doc_number) == r.doc_number, r
        if r.ref_kind == "title":
            assert r.surface.startswith("《"), r
    assert [(r.start, r.end) for r in refs] == sorted((r.start, r.end) for r in refs)


@FUZZ
@given(ref_text)
def test_clean_title_is_idempotent(s):
    once = clean_title(s)
    assert clean_title(once) == once
    assert "\n" not in once


@FUZZ
@given(st.lists(st.sampled_from(["物联网", "行动计划", "5G", "（2024—2026年）", "“双千兆”", "发展", " ", "\n", "——"]),
                min_size=1, max_size=8).map("".join),
       st.sampled_from(["", "贯彻落实", "根据", "按照", "工业和信息化部"]))
def test_a_bracketed_title_is_found_once_with_its_clean_text(inner, cue):
    assume(clean_title(inner) and "《" not in inner)
    text = f"{cue}《{inner}》，加快推进网络建设。"
    refs = [r for r in extract_references(text, DocContext()) if r.ref_kind == "title"]
    assert len(refs) == 1, (text, refs)
    assert refs[0].title == clean_title(inner)
    assert refs[0].surface == f"《{inner}》"


# ------------------------------------------------------------------------------------------ cleaner

_FORMATS = st.sampled_from([("t.txt", "text"), ("t.md", "markdown"), ("t.html", "html")])


def _source(text: str, fmt: tuple[str, str]) -> SourceDoc:
    name, kind = fmt
    return SourceDoc(path=name, name=name, format=kind, encoding="utf-8", sha256="0" * 64, text=text)


def _assert_maps_back(ct: CleanText) -> None:
    """Every character of the cleaned text maps to a source span inside the source that holds the
    same character, unless a recorded change covers it (a replacement, an entity, a join) or it is a
    line break standing where the source had a break; source offsets never go backwards."""
    src, mt = ct.source.text, ct.mt
    assert len(mt.starts) == len(mt.ends) == len(mt.text)
    # "is [s, e) inside some change?" in O(log n): changes by start, with the running maximum end
    spans = sorted((c.start, c.end) for c in ct.changes)
    starts = [a for a, _ in spans]
    reach = list(itertools.accumulate((b for _, b in spans), max))
    for i, ch in enumerate(mt.text):
        s, e = mt.starts[i], mt.ends[i]
        assert 0 <= s <= e <= len(src), (i, s, e, len(src))
        if src[s:e] == ch:
            continue
        k = bisect.bisect_right(starts, s) - 1
        covered = k >= 0 and reach[k] >= e
        if ch == "\n" and not covered:
            prev_end = mt.ends[i - 1] if i else 0
            next_start = mt.starts[i + 1] if i + 1 < len(mt.text) else len(src)
            covered = any(b in src[prev_end:next_start] for b in "\n\r\f\v\u2028\u2029")
        assert covered, f"char {i} {ch!r} maps to {src[s:e]!r} at {s}:{e} without a recorded change"
    assert list(mt.starts) == sorted(mt.starts), "source offsets go backwards"
    assert list(mt.ends) == sorted(mt.ends), "source offsets go backwards"
    for c in ct.changes:
        assert 0 <= c.start <= c.end <= len(src), c
    for fn in ct.footnotes:
        assert 0 <= fn.start <= fn.end <= len(src), fn
        assert fn.marker_pos is None or 0 <= fn.marker_pos <= len(src), fn


@FUZZ_HEAVY
@given(document_text, _FORMATS)
def test_cleaning_maps_every_character_back_to_the_source(text, fmt):
    ct = clean(_source(text, fmt))
    _assert_maps_back(ct)
    t = ct.text
    assert "\n\n" not in t and not t.startswith("\n") and not t.endswith("\n")
    for s, e in ct.lines():
        assert 0 <= s < e <= len(t) and "\n" not in t[s:e]
        ss, se = ct.mt.source_span(s, e)
        assert 0 <= ss <= se <= len(text)


@FUZZ
@given(st.lists(st.sampled_from(["推进", "网络", "建设", "，", "。", "5G", "基站", "13万个", "到2027年", "（一）",
                                 "一、", "《", "》", "\n", "\n\n", " "]), max_size=30).map("".join))
def test_clean_text_without_debris_keeps_every_character(text):
    """Plain prose: cleaning only rejoins and trims, so the non-space characters survive in order."""
    ct = clean(_source(text, ("t.txt", "text")))
    _assert_maps_back(ct)
    assert re.sub(r"\s", "", ct.text) == re.sub(r"\s", "", text)


_PROSE_WITH_LAYOUT = st.lists(st.sampled_from(
    ["推进", "网络", "建设", "，", "。", "5G", "基站", "13万个", "到2027年", "（一）", "一、", "1.", "《", "》", "“", "\n",
     "\n\n", " ", "\u3000", "- 3 -", "第 3 页 共 10 页", "注：", "【注】", "^{1}", "专栏1", "附件", "Narrow", "Band", "a", "b",
     "2025年3月1日", "某某市人民政府办公厅", "行动计划（2025—2027年）", "\t"]), max_size=40).map("".join)


@FUZZ
@given(_PROSE_WITH_LAYOUT)
def test_cleaning_plain_text_is_idempotent(text):
    """Line breaks, footers, footnotes, joins: a text already cleaned comes out of the cleaner unchanged.

    Known wart (kg/clean.py): a footnote marker is removed after the whitespace pass, so the space or
    tab next to a marker at a line's edge (``^{1}\t推进``) survives the first pass and only goes in the
    second; with markers, lines are compared without their edge whitespace."""
    once = clean(_source(text, ("t.txt", "text")))
    _assert_maps_back(once)
    assume(once.text.strip())
    twice = clean(_source(once.text, ("t.txt", "text"))).text
    if "^{" in text:
        assert [x.strip() for x in twice.split("\n")] == [x.strip() for x in once.text.split("\n")]
    else:
        assert twice == once.text


# ------------------------------------------------------------------------------------------ segmenter

def _segment(text: str, fmt=("t.txt", "text")):
    ct = clean(_source(text, fmt))
    z = find_zones(ct)
    roots, glossary = segment(ct, z)
    return ct, roots, glossary


@FUZZ_HEAVY
@given(document_text, _FORMATS)
@example("一\n一、\t一\n一", ("t.txt", "text"))  # text after a top-level table went into the preamble before it
@example("为加快建设，制定本方案。\n序号\t指标\n1\t5G基站\n以上指标为预期性指标。", ("t.txt", "text"))
def test_segmenter_spans_are_inside_the_text_and_never_shared(text, fmt):
    ct, roots, glossary = _segment(text, fmt)
    t = ct.text
    n = len(t)
    all_clauses = [c for r in roots for c in r.walk()]
    owned: list[tuple[int, int, str]] = []
    for c in all_clauses:
        for s, e in c.lines:
            assert 0 <= s <= e <= n, (c.kind, s, e, n)
            if e > s:
                owned.append((s, e, c.label))
        if c.lines:
            first_len = c.lines[0][1] - c.lines[0][0]
            assert 0 <= c.text_start <= first_len, (c.kind, c.text_start, first_len)
        for s, e in c.own_segments() + c.content_segments():
            assert 0 <= s < e <= n
        for k, off in (c.attrs.get("cell_offsets") or {}).items():
            if off is not None:
                s, e = c.lines[0]
                assert s <= off <= e, (k, off, s, e)
                if k not in c.attrs.get("filled_down", []) and c.cells[k]:
                    assert t[off:off + len(c.cells[k])] == c.cells[k]
    # no two clauses own the same characters of the cleaned text
    owned.sort()
    for (s1, e1, l1), (s2, e2, l2) in zip(owned, owned[1:]):
        assert e1 <= s2, f"{l1} [{s1},{e1}) overlaps {l2} [{s2},{e2})"

    # siblings follow each other: a clause's whole subtree ends before its next sibling's begins
    def extent(c):
        segs = [seg for x in c.walk() for seg in x.lines if seg[1] > seg[0]]
        return (min(s for s, _ in segs), max(e for _, e in segs)) if segs else None

    def check_siblings(children):
        exts = [x for x in (extent(ch) for ch in children) if x]
        for a, b in zip(exts, exts[1:]):
            assert a[1] <= b[0], (a, b)
        for ch in children:
            check_siblings(ch.children)

    check_siblings([r for r in roots if r.kind != "notice"])
    ids = [c.clause_id for c in all_clauses]
    labels = [c.label for c in all_clauses]
    assert len(set(ids)) == len(ids), "clause ids are unique"
    assert len(set(labels)) == len(labels), "clause labels are unique"
    for g in glossary:
        assert 0 <= g.start <= g.end <= n and g.term


# ------------------------------------------------------------------------------------------ SPARQL guard

def _seed_vocabulary() -> list[str]:
    ttl = (ROOT / "kg" / "ontology" / "policy.ttl").read_text(encoding="utf-8")
    terms = sorted(set(re.findall(r"(?m)^((?:kg|eli|org|skos|prov|dcterms):[A-Za-z][A-Za-z0-9_]*)\s", ttl)))
    assert len(terms) > 30
    return terms


VOCAB = _seed_vocabulary()
CLASSES = [t for t in VOCAB if t.split(":")[1][:1].isupper()]
PROPS = [t for t in VOCAB if t.split(":")[1][:1].islower()] + ["rdfs:label", "skos:prefLabel", "dcterms:title",
                                                                "eli:applies", "eli:is_part_of"]
# words that must never count when they are only data, a name or a comment
SCARY = ["SERVICE", "service", "INSERT", "insert DATA", "LOAD", "load <http://x/>", "DELETE", "DROP ALL", "CLEAR",
         "WITH", "ADD", "COPY", "MOVE", "CREATE"]

_var = st.sampled_from(["?s", "?p", "?o", "?d", "?c", "?t", "?n", "?service", "?load", "?insert", "$with", "?x1"])


def _str_literal(s: str) -> str:
    body = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{body}"'


_literal_text = st.one_of(st.sampled_from(SCARY + ["通信", "5G基站", "'", '"', "}", "{", "#", "<", ">", "\\"]),
                          st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=10))
_literal = st.one_of(
    _literal_text.map(_str_literal),
    _literal_text.map(_str_literal).map(lambda x: x + "@zh"),
    st.integers(-1000, 10**6).map(str),
    st.sampled_from(["true", "false", '"2025"^^xsd:gYear', '"3.5"^^xsd:decimal']),
)
_iri = st.sampled_from(["<https://policykg.example/doc/x>", "<https://policykg.example/graph/links>",
                        "<http://example.org/SERVICE>", "<urn:insert:load>"])
_term = st.one_of(_var, st.sampled_from(VOCAB), _iri)
_pred = st.one_of(st.sampled_from(PROPS), st.just("a"), _var,
                  st.sampled_from(PROPS).map(lambda p: p + "+"), st.sampled_from(PROPS).map(lambda p: "^" + p),
                  st.tuples(st.sampled_from(PROPS), st.sampled_from(PROPS)).map(lambda t: f"({t[0]}|{t[1]})"))
_triple = st.one_of(
    st.builds(lambda s, p, o: f"{s} {p} {o} .", _var, _pred, st.one_of(_term, _literal)),
    st.builds(lambda s, c: f"{s} a {c} .", _var, st.sampled_from(CLASSES)),
)
_filter = st.one_of(
    st.builds(lambda v, lit: f"FILTER({v} != {lit})", _var, _literal),
    st.builds(lambda v, lit: f"FILTER(CONTAINS(STR({v}), {lit}))", _var, _literal_text.map(_str_literal)),
    st.builds(lambda v: f"FILTER(BOUND({v}))", _var),
    st.builds(lambda t: f"FILTER NOT EXISTS {{ {t} }}", _triple),
)
_comment = _literal_text.map(lambda s: "# " + re.sub(r"[\r\n\x0b\x0c\x85\u2028\u2029]", " ", s) + "\n")


def _group(depth: int):
    leaf = st.lists(st.one_of(_triple, _triple, _filter, _comment), min_size=1, max_size=4).map(" ".join)
    if depth == 0:
        return leaf
    inner = _group(depth - 1)
    return st.one_of(
        leaf,
        st.builds(lambda a, b: f"{a} OPTIONAL {{ {b} }}", leaf, inner),
        st.builds(lambda a, b: f"{{ {a} }} UNION {{ {b} }}", leaf, inner),
        st.builds(lambda a, b: f"{a} MINUS {{ {b} }}", leaf, inner),
        st.builds(lambda a, b: f"{a} GRAPH ?g {{ {b} }}", leaf, inner),
        st.builds(lambda a, b: f"{a} {{ SELECT * WHERE {{ {b} }} LIMIT 5 }}", leaf, inner),
        st.builds(lambda a, b: f"{a} FILTER EXISTS {{ {b} }}", leaf, inner),
    )


_where = _group(2)
_projection = st.sampled_from(["*", "?s", "DISTINCT ?s ?o", "(COUNT(*) AS ?n)", "?s (STR(?o) AS ?serviceName)"])
harmless_select = st.builds(
    lambda proj, where, lim, case: (f"SELECT {proj} WHERE {{ {where} }}" + lim).replace("SELECT", case),
    _projection, _where, st.sampled_from(["", " LIMIT 10", " ORDER BY ?s LIMIT 3"]),
    st.sampled_from(["SELECT", "select", "Select"]),
)


def _accepted_by_pyoxigraph(q: str) -> bool:
    import pyoxigraph as ox

    from kg.vocab import PREFIXES

    try:
        ox.Store().query(q, prefixes=PREFIXES)
        return True
    except SyntaxError:
        return False


@FUZZ_HEAVY
@given(harmless_select)
def test_guard_accepts_harmless_selects_over_the_seed_vocabulary(q):
    # a backslash before u/U is refused on purpose (kg/sparql_guard.py wall 2), even inside a string
    assume("\\u" not in q and "\\U" not in q)
    # the generator writes valid SPARQL; the engine is the referee of that
    assert _accepted_by_pyoxigraph(q), q
    check_read_only(q)


def _case(word: str, mask: int) -> str:
    return "".join(ch.upper() if (mask >> (i % 16)) & 1 else ch.lower() for i, ch in enumerate(word))


_SERVICE_IRI = st.sampled_from(["<http://127.0.0.1:9/sparql>", "<http://x/\\u0041#>", "?svc", "<urn:x>",
                                "<https://query.wikidata.org/sparql>"])
_sep = st.sampled_from([" ", "\n", "\t", "  ", " # SERVICE in a comment\n", " #'\n", "\r\n"])
_service = st.builds(
    lambda kw, silent, sep1, sep2, iri, body: f"{kw}{sep1}{silent}{iri}{sep2}{{ {body} }}",
    st.integers(0, 2**16 - 1).map(lambda m: _case("service", m)),
    st.sampled_from(["", "SILENT ", "silent "]), _sep, _sep, _SERVICE_IRI, _group(0),
)
_WRAPS = ["{s}", "OPTIONAL {{ {s} }}", "{{ ?s ?p ?o }} UNION {{ {s} }}", "{{ {s} }} UNION {{ ?s ?p ?o }}",
          "MINUS {{ {s} }}", "{{ SELECT * WHERE {{ {s} }} }}", "FILTER EXISTS {{ {s} }}",
          "FILTER NOT EXISTS {{ {s} }}", "GRAPH ?g {{ {s} }}", "OPTIONAL {{ {{ SELECT ?x WHERE {{ {s} }} }} }}",
          "BIND(EXISTS {{ {s} }} AS ?b)", "FILTER(?o = 1 || EXISTS {{ {s} }})"]
_NOISE = ["FILTER(?o<'>'||true)", "FILTER(?o != <http://x/a'b>)", 'FILTER(?o != "\\"")', "FILTER(?o != '#')",
          "FILTER(?o != '''a'b''')", "BIND('}' AS ?q)", ""]


@FUZZ_HEAVY
@given(_service, st.lists(st.sampled_from(_WRAPS), min_size=1, max_size=3), st.sampled_from(_NOISE), _group(0),
       st.booleans(), st.sampled_from(["SELECT *", "ASK", "CONSTRUCT { ?s ?p ?o }", "DESCRIBE ?s"]))
def test_guard_refuses_service_in_any_position(svc, wraps, noise, other, before, form):
    inner = svc
    for w in wraps:
        inner = w.format(s=inner)
    body = f"{noise} {inner} {other}" if before else f"{other} {noise} {inner}"
    pre = "VALUES ?svc { <http://127.0.0.1:9/> } " if "?svc" in svc else ""
    q = f"{form} WHERE {{ {pre}{body} }}" if form != "ASK" else f"ASK {{ {pre}{body} }}"
    with pytest.raises(QueryRefused):
        check_query(q)
    with pytest.raises(QueryRefused):
        check_read_only(q)
    if "\\u" not in q:
        # the parser wall holds on its own, and refuses for the SERVICE it found — except that rdflib
        # cannot parse a SERVICE pattern after a "#" inside a string or an IRI (FILTER(?o != "#")
        # SERVICE …): it reports a syntax error there, which is a refusal too
        with pytest.raises(QueryRefused) as refused:
            parser_check(q)
        if "#" not in q:
            assert MSG_SERVICE in str(refused.value), (q, str(refused.value))


_UPDATES = [
    "LOAD <http://x/a.ttl>", "LOAD SILENT <http://x/a.ttl> INTO GRAPH <urn:g>", "INSERT DATA {{ <urn:a> <urn:b> {lit} }}",
    "DELETE DATA {{ <urn:a> <urn:b> {lit} }}", "DELETE WHERE {{ ?s <urn:p> {lit} . ?s ?p ?o }}", "INSERT {{ ?s <urn:p> {lit} }} WHERE {{ {where} }}",
    "DELETE {{ ?s ?p ?o }} INSERT {{ ?s ?p {lit} }} WHERE {{ {where} }}", "WITH <urn:g> DELETE {{ ?s ?p ?o }} WHERE {{ {where} }}",
    "CLEAR ALL", "CLEAR SILENT GRAPH <urn:g>", "DROP DEFAULT", "CREATE GRAPH <urn:g>", "ADD DEFAULT TO <urn:g>",
    "COPY <urn:a> TO <urn:b>", "MOVE SILENT <urn:a> TO DEFAULT",
]


@FUZZ_HEAVY
@given(st.lists(st.sampled_from(_UPDATES), min_size=1, max_size=3), st.integers(0, 2**16 - 1), _group(1),
       _literal, _sep, st.booleans())
def test_guard_refuses_updates_and_load_in_any_form(ops, mask, where, lit, sep, prefix):
    parts = [op.format(lit=lit, where=where) for op in ops]
    # vary keyword case (the grammar is case-insensitive) on the leading keyword of each operation
    parts = [_case(p.split(" ", 1)[0], mask) + " " + p.split(" ", 1)[1] if " " in p else _case(p, mask)
             for p in parts]
    q = (";" + sep).join(parts)
    if prefix:
        q = f"PREFIX ex: <http://example.org/>{sep}BASE <http://example.org/>{sep}{q}"
    with pytest.raises(QueryRefused):
        check_query(q)
    if "\\u" not in q:
        with pytest.raises(QueryRefused, match="只允许只读查询"):
            parser_check(q)


@FUZZ
@given(st.one_of(st.text(_ALPHABET, max_size=80), policy_text,
                 st.builds(lambda a, b: a + b, st.sampled_from(["SELECT * WHERE { ", "ASK { ", "LOAD ", "SERVICE "]),
                           st.text(_ALPHABET, max_size=40))))
def test_guard_on_garbage_only_ever_refuses(q):
    """Any text: the guard either accepts it or raises QueryRefused — never anything else."""
    try:
        check_query(q)
    except QueryRefused as e:
        assert str(e)
