"""One source of truth for shared pattern knowledge: kg/ontology/patterns.yaml (named regex fragments that
refer to each other) and kg/ontology/numerals.yaml (Chinese numerals), loaded by kg/patterns.py and
kg/numerals.py.  The copies that used to live in several modules are gone; these tests pin the loader,
the conversion, and the fixes that came with merging the copies."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.numerals import cn_to_int, cn_year, char_classes
from kg.patterns import PatternError, build_table, compile_template, expand, fragment, fragments, pattern

KG = Path(__file__).resolve().parent.parent / "kg"


# ---- the loader ---------------------------------------------------------------------------------


def test_fragments_refer_to_each_other_in_any_order():
    t = build_table({"date": "{year}年{month}月", "year": r"\d{4}", "month": "[{digits}]{1,2}"},
                    {"digits": "0-9"})
    assert t["date"] == r"\d{4}年[0-9]{1,2}月"
    assert re.fullmatch(t["date"], "2025年12月")
    assert re.fullmatch(t["year"], "2025") and not re.fullmatch(t["year"], "202")  # {4} is a quantifier


def test_a_list_is_a_literal_alternation_longest_first():
    t = build_table({"verbs": ["提升", "提升至", "a.b"], "x": "{verbs}$"})
    assert t["verbs"] == r"(?:a\.b|提升至|提升)"  # longest first, ties sorted
    assert re.search(t["x"], "增长率提升至").group(0) == "提升至"


def test_missing_reference_is_a_clear_error():
    with pytest.raises(PatternError) as e:
        build_table({"date": "{year}年{mnth}月", "year": r"\d{4}"})
    assert "'date'" in str(e.value) and "{mnth}" in str(e.value) and "not defined" in str(e.value)


def test_cycle_is_an_error():
    with pytest.raises(PatternError, match="cycle.*a -> b -> a"):
        build_table({"a": "x{b}", "b": "y{a}"})


def test_builtin_names_cannot_be_shadowed():
    with pytest.raises(PatternError, match="shadow"):
        build_table({"cn_digit_chars": "0-9"}, char_classes())


def test_unknown_names_in_templates_and_lookups_are_errors():
    with pytest.raises(PatternError, match="nope"):
        expand(r"^{nope}$")
    with pytest.raises(PatternError, match="nope"):
        fragment("nope")


def test_every_fragment_of_patterns_yaml_compiles():
    bad = []
    for name in fragments():
        try:
            pattern(name)
        except re.error:
            try:
                re.compile(f"[{fragment(name)}]")  # a character-class body (cn_digit_chars, doc_number_open)
            except re.error as e:
                bad.append((name, str(e)))
    assert bad == []


def test_numeral_classes_come_from_numerals_yaml():
    c = char_classes()
    assert set(c["cn_digit_chars"]) == set("〇零一二三四五六七八九")
    assert set(c["cn_count_digit_chars"]) - set(c["cn_digit_chars"]) == {"两"}
    # ○ (a bullet elsewhere), and the letter O or the digit 0 a typed signature date writes for 〇 (二OO六年)
    assert set(c["cn_year_digit_chars"]) - set(c["cn_digit_chars"]) == {"○", "O", "Ｏ", "0", "０"}
    assert fragment("cn_year") == "[〇零一二三四五六七八九○OＯ0０]{4}"


# ---- the shared fragments -----------------------------------------------------------------------


@pytest.mark.parametrize("line,ok,suffix", [
    ("二〇二一年十二月十二日", True, None),
    ("二○二一年十二月十二日", True, None),  # white circle as zero in a written-out year
    (" 2024 年 9 月 30 日 印发", True, "印发"),
    ("2024年9月30日起施行", True, "起施行"),
    ("2024年9月30日前完成部署", False, None),
    ("2024年9月", False, None),
])
def test_date_line(line, ok, suffix):
    m = pattern("date_line").match(line)
    assert bool(m) == ok
    if m:
        assert m.group("suffix") == suffix


@pytest.mark.parametrize("line,ok", [
    ("国发〔2021〕29号", True), ("沪府办发 [2024] 5 号", True), ("工信部联科〔2021〕第130号", True),
    ("沪通信管临港（2025）1号", True), ("根据国发〔2021〕29号文件精神", False), ("〔2021〕29号", False),
])
def test_doc_number_line(line, ok):
    assert bool(pattern("doc_number_line").fullmatch(line)) == ok


@pytest.mark.parametrize("title,plan,kind", [
    ("上海市通信管理局关于印发《上海市物联网行动计划（2026—2028年）》的通知", "上海市物联网行动计划（2026—2028年）", "通知"),
    ("关于转发〈国务院关于X的意见〉的函", "国务院关于X的意见", "函"),
    ("关于印发《A办法》等三个文件的通知", "A办法", "通知"),
    ("关于发布《B标准》的通告", "B标准", "通告"),
])
def test_notice_frame(title, plan, kind):
    m = compile_template(r"{notice_frame}\s*$").search(title)
    assert m and m.group("plan") == plan and m.group("type") == kind


def test_notice_frame_needs_the_frame():
    assert not pattern("notice_frame").search("关于推进移动物联网“万物智联”发展的通知")


# ---- numerals -----------------------------------------------------------------------------------


@pytest.mark.parametrize("s,n", [
    ("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("两", 2), ("三十一", 31),
    ("一百零一", 101),  # the old clause-number reader gave 1001
    ("一百二十", 120),  # … and 10
    ("二〇二五", 2025), ("7", 7), ("１２", 12),
])
def test_cn_to_int(s, n):
    assert cn_to_int(s) == n


def test_cn_to_int_rejects_non_numerals_unless_given_a_default():
    with pytest.raises(ValueError):
        cn_to_int("十十")
    with pytest.raises(ValueError):
        cn_to_int("")
    assert cn_to_int("规划", default=None) is None


def test_cn_year():
    assert [cn_year(s) for s in ("二〇三五", "二○二一", "二零二五", "2026", "２０２６")] == [2035, 2021, 2025, 2026, 2026]
    with pytest.raises(ValueError):
        cn_year("十四五")


# ---- fixes that came with merging the copies ----------------------------------------------------


def test_title_key_reads_a_year_written_with_a_white_circle():
    from kg.resolve import title_key

    assert title_key("国民经济和社会发展第十四个五年规划和二○三五年远景目标纲要") == \
        title_key("国民经济和社会发展第十四个五年规划和2035年远景目标纲要")


def test_article_numbers_in_the_hundreds():
    from kg.clean import clean
    from kg.extract.layout import find_zones
    from kg.extract.structure import segment
    from kg.read import read_bytes

    text = "某某条例\n第一百条 甲。\n第一百零一条 乙。\n第一百二十条 丙。\n"
    ct = clean(read_bytes(text.encode("utf-8"), name="t.txt"))
    clauses, _ = segment(ct, find_zones(ct))
    arts = [c for c in clauses if c.kind == "article"]
    assert [c.number for c in arts] == ["一百", "一百零一", "一百二十"]
    assert [c.clause_id for c in arts] == ["art_100", "art_101", "art_120"]


def test_five_year_plan_years_come_from_periods_yaml():
    from kg.extract.deadlines import five_year_plan
    from kg.extract.targets import _fyp_years

    assert _fyp_years("十四五") == five_year_plan("十四五") == (2021, 2025)
    assert _fyp_years("十三五") == (2016, 2020)
    assert _fyp_years("十九五") is None  # not in periods.yaml: no year arithmetic


def test_every_level_verb_makes_a_from_to_pair():
    from kg.extract.base import DocContext
    from kg.extract.targets import extract_targets

    # 压缩至 was missing from two of the four copies of the verb list: the 1.5 came out as a target
    a, b = extract_targets("数据中心PUE由1.5压缩至1.3。", DocContext(period=(2025, 2027)))
    assert (a.kind, a.value) == ("baseline", 1.5)
    assert (b.kind, b.value, b.comparator, b.baseline) == ("target", 1.3, "<=", {"value": 1.5, "year": None})


@pytest.mark.parametrize("cell,comp", [("≥120", ">="), ("＞＝120", ">="), ("～120", "~"), ("不低于120", ">="),
                                       ("120以上", ">="), ("120及以下", "<="), ("120左右", "~"), ("120", "=")])
def test_table_cells_use_the_running_text_comparators(cell, comp):
    from kg.extract.targets import targets_from_table_row

    (t,) = targets_from_table_row({"指标名称": "5G基站", "单位": "个", "目标值": cell}, None)
    assert (t.value, t.comparator) == (120, comp)


def test_time_patterns_refer_to_shared_fragments_and_fail_on_unknown_names():
    from kg.extract import deadlines

    assert "〇零一二三四五六七八九" in deadlines._TABLE["YEAR"]
    with pytest.raises(PatternError, match="nope"):
        deadlines._TABLE["_expand"]("{nope}")  # type: ignore[operator]


# ---- no copies ----------------------------------------------------------------------------------

# A Chinese-digit table written in code: a dict entry "一": 1 / '二': '2', a translation table built from
# Chinese digits, or a digit string used as a lookup ("一二三四五六七八九".index(…)).
_COPY_RES = [
    re.compile(r"""["'][〇零○一二两三四五六七八九]["']\s*:\s*["']?\d"""),
    re.compile(r"""maketrans\(\s*["'][^"']*[〇零○一二三四五六七八九]"""),
    re.compile(r"""["'][〇零○一二两三四五六七八九十]{3,}["']\s*\.\s*(?:index|find|rfind)\("""),
]


def _digit_table_lines(source: str) -> list[str]:
    return [line for line in source.splitlines() if any(r.search(line) for r in _COPY_RES)]


def test_the_copy_detector_finds_the_old_copies():
    old = [
        'CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2}',
        '_CN_DIGIT = {"〇": "0", "零": "0", "一": "1"}',
        '_CN_YEAR = str.maketrans("〇零○一二三四五六七八九", "00012345678" "9")',
        'n = 10 + "一二三四五六七八九".index(m.group(1)) + 1',
    ]
    assert all(_digit_table_lines(line) for line in old)
    assert not _digit_table_lines('_CN_YEAR = YEAR_TRANS  # numerals.yaml')


def test_no_module_defines_its_own_chinese_digit_table():
    offenders = {}
    for path in sorted(KG.rglob("*.py")):
        found = _digit_table_lines(path.read_text(encoding="utf-8"))
        if found:
            offenders[str(path.relative_to(KG.parent))] = found
    assert offenders == {}, "Chinese numerals belong in kg/ontology/numerals.yaml (use kg.numerals)"


def test_no_data_file_of_the_ontology_writes_a_key_twice():
    """A key written twice in a mapping is silently the last one for YAML; two merges each adding an entry under the
    same name (不足 among the comparators, 2026-12-02) must be caught here, not by a figure that moved."""
    from pathlib import Path

    import yaml

    dups = []

    class Checking(yaml.SafeLoader):
        pass

    def mapping(loader, node, deep=False):
        keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
        dups.extend((loader.name, k, node.start_mark.line) for k in set(keys)
                    if isinstance(k, (str, int)) and keys.count(k) > 1)
        return yaml.SafeLoader.construct_mapping(loader, node, deep)

    Checking.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    files = sorted((Path(__file__).resolve().parent.parent / "kg" / "ontology").rglob("*.yaml"))
    assert files
    for f in files:
        with open(f, encoding="utf-8") as fh:
            yaml.load(fh, Loader=Checking)  # noqa: S506 — a safe loader
    assert not dups, dups
