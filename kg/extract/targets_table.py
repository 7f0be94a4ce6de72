"""Quantitative targets from indicator tables: one row (序号/类别/指标名称/单位/现状值 (2020年)/预期值 (2025年)).

``targets_from_table_row(cells, headers, ctx) -> list[Target]``, ``table_roles(cells, headers)``; both are
also importable from :mod:`kg.extract.targets` (the running-text reader), whose ``Target`` and
``patterns()`` (kg/ontology/target_patterns.yaml) they share: a cell's comparator words are the
``comparators_before``/``comparators_after`` of running text (≥120, 不低于80, 500以上, 约6000).

>>> [(t.metric, t.value, t.comparator, t.target_year) for t in targets_from_table_row(
...     {"指标名称": "5G基站数", "单位": "万个", "预期值（2025年）": "≥12"}, None)]
[('5G基站数', 120000, '>=', 2025)]
"""
from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from typing import Any

from kg.extract.base import DocContext
from kg.extract.numbers import as_number, parse_number, split_unit
from kg.extract.targets import Target, _Patterns, _front_verbs_removed, _fyp_years, extract_targets, patterns


_CELL_YEAR = re.compile(r"^\s*(?:到|至)?((?:19|20)\d{2})\s*年(?:底|末)?\s*[：:，,]?\s*(?:达到|为|达)?\s*")


def _cell_year(cell: str) -> int | None:
    """The year a target cell opens with: 2027年60% / 到2025年达到40% → 2027 / 2025."""
    m = _CELL_YEAR.match(cell or "")
    return int(m.group(1)) if m and m.end() < len(cell) else None


def _cell_value(cell: str) -> tuple[str, Any, Any, int, int] | None:
    """'≥120' → ('>=', 120, None, start, end); '约6000' → ('~', 6000, …); '2027年60%' → the 60; '-' → None."""
    if cell is None:
        return None
    p = patterns()
    ym = _CELL_YEAR.match(cell)
    skip = ym.end() if ym and ym.end() < len(cell) else 0
    parsed = _cell_value_at(cell[skip:], p)
    if parsed is None:
        return None
    comp, v, hi, start, end = parsed
    return comp, v, hi, start + skip, end + skip


def _cell_value_at(cell: str, p) -> tuple[str, Any, Any, int, int] | None:
    raw = cell
    m = p.cell_comp_re.match(raw)
    comp_word = m.group(1) if m else None
    rest_start = m.end() if m else 0
    nm = re.match(r"(\d+(?:,\d{3})*(?:\.\d+)?)(?:\s*(?:[-—~～至])\s*(\d+(?:\.\d+)?))?", raw[rest_start:])
    if not nm:
        return None
    v = parse_number(nm.group(1))
    if v is None:
        return None
    hi = parse_number(nm.group(2)) if nm.group(2) else None
    tail = raw[rest_start + nm.end():].strip()
    # the comparator words of running text (full-width forms folded: ～ → ~, ＞ → >)
    comp = p.comp_before.get(unicodedata.normalize("NFKC", comp_word or ""), "=")
    am = p.comp_after_re.match(_cell_tail_res()[0].sub("", tail))  # 30个以上: the bound after the unit
    if am:
        comp = p.comp_after[am.group(0)]
    start = len(raw) - len(raw.lstrip())
    end = len(raw.rstrip())
    return comp, v, hi, start, end


@functools.lru_cache(maxsize=1)
def _cell_change_re() -> re.Pattern:
    """A cell that opens with a change word (下降15%): the increase and decrease words of target_patterns.yaml."""
    from kg.extract.base import alternation

    p = patterns()
    return re.compile(rf"^\s*({alternation([*p.change['increase'], *p.change['decrease']])})\s*(?=\S?\s*\d)")


@functools.lru_cache(maxsize=1)
def _cell_tail_res() -> tuple[re.Pattern, re.Pattern]:
    """(a unit before a bound word: 个 in 30个以上; a cell's number and the unit after it, its comparator word read
    already: ≥60%, 30个以上, 120MW) — the bound words are the comparators written after a number (target_patterns.yaml)."""
    from kg.extract.base import alternation

    after = alternation(patterns().comp_after)
    return (re.compile(rf"^[^\d\s，。；;]{{1,6}}?(?={after})"),
            re.compile(rf"[\d,.]+(?:\s*[-—~～至]\s*[\d.]+)?\s*([^\d\s，。；;、（()）]{{1,8}}?)\s*(?:{after})?\s*$"))


_METRIC_UNIT = re.compile(r"[（(]([^（）()]{1,8})[）)]\s*$")
_YEAR_HEADER = re.compile(r"((?:19|20)\d{2})年?(?:[（(](?:基期|现状|目标|规划)?[）)])?")


def _years_headed(cells: dict[str, str], headers: dict) -> list[tuple[int, str]]:
    """(year, key) of each column headed by a year alone (指标 | 2024年 | 2025年 | 2026年), earliest first (a header
    spaced out to the column's width read without its spaces)."""
    out = []
    for k in cells:
        y = _YEAR_HEADER.fullmatch(re.sub(r"\s+", "", str(headers.get(k, k))))
        if y:
            out.append((int(y.group(1)), k))
    return sorted(out)


def _header_year(h: str) -> int | None:
    """The year a header names (预期值（2025年）), or the last year of the five-year plan it names (“十五五”目标 →
    2030, periods.yaml)."""
    m = re.search(r"((?:19|20)\d{2})\s*年?", h or "")
    if m:
        return int(m.group(1))
    f = patterns().fyp_re.search(h or "")
    years = _fyp_years(f.group(0)) if f else None
    return years[1] if years else None


def _roles(cells: dict[str, str], headers: dict, p: _Patterns) -> dict[str, str]:
    """Role → key of ``cells``.  ``headers`` may give roles directly ({'metric': '指标名称'}) or
    header texts for opaque cell keys ({'c3': '指标名称'}); otherwise the cell keys are read as headers."""
    roles: dict[str, str] = {}
    headers = headers or {}
    for role in p.table_headers:
        if role in headers and headers[role] in cells:
            roles[role] = headers[role]
    for key in cells:
        htext = re.sub(r"\s+", "", str(headers.get(key, key)))  # 指　　标: a header spaced out to the column's width
        for role, pats in p.table_headers.items():
            if role in roles:
                continue
            if any(pt.search(htext) for pt in pats):
                roles[role] = key
                break
    years = _years_headed(cells, headers)
    if "metric" not in roles and "category" in roles and ("unit" in roles or len(years) >= 2):
        # 类别 | 单位 | 2020年 | 2025年: with no 指标 column, the 类别 cells name the indicators
        roles["metric"] = roles.pop("category")
    if "metric" in roles and "target" not in roles:
        # 指标 | 2020 | 2025: columns headed by years alone — the latest is the target, the one before it the baseline
        if len(years) >= 2:
            roles["target"] = years[-1][1]
            if roles.get("baseline") in (None, roles["target"]):
                roles["baseline"] = years[-2][1]
    return roles


def year_columns(cells: dict[str, str], headers: dict | None = None) -> list[str]:
    """The columns of an indicator row headed by a year alone (指标 | 2024年 | 2025年 | 2026年): each holds a value."""
    return [k for _, k in _years_headed(cells, headers or {})]


def table_roles(cells: dict[str, str], headers: dict | None = None) -> dict[str, str]:
    """Which column of an indicator table is the metric, unit, baseline, target … (role → cell key)."""
    return _roles(cells, headers or {}, patterns())


def targets_from_table_row(cells: dict[str, str], headers: dict | None, ctx: DocContext | None = None) -> list[Target]:
    """One ``target`` for an indicator-table row.

    ``cells`` maps a column key to the cell text of this row.  Column roles (指标名称, 单位, 现状值,
    预期值/目标值, 类别, 属性) are found from the header text: either ``headers[role] = key``, or
    ``headers[key] = header text``, or the keys of ``cells`` are the header texts themselves.
    Years come from the headers ("现状值 (2020年)" → baseline year 2020, "预期值 (2025年)" →
    ``target_year`` 2025); without a year in the target header, ``ctx.period[1]`` is used.

    Offsets: ``start``/``end`` (and ``sentence_start``/``sentence_end``) are relative to the **target
    value cell's text** (e.g. "≥120" → 0..4); the pipeline knows where that cell sits in the source.
    ``surface`` is that cell text.
    """
    p = patterns()
    ctx = ctx or DocContext()
    roles = _roles(cells, headers or {}, p)
    if "metric" not in roles or "target" not in roles:
        return _allocation_row(cells, headers or {}, ctx, roles) or _year_plan_row(cells, headers or {}, ctx) \
            or _grant_row(cells, ctx, roles)
    metric = _clean_metric(cells.get(roles["metric"]) or "")
    mult, unit, _kind_u = split_unit(cells.get(roles["unit"], "") if "unit" in roles else "")
    row_change = None
    um = _METRIC_UNIT.search(metric)
    if um and _change_word(um.group(1)):  # 用户侧光伏装机规模（累计）: the bracket says how the value counts
        row_change, metric = _change_word(um.group(1)), metric[:um.start()].strip()
        um = _METRIC_UNIT.search(metric)
    if um and unit is None and mult == 1:  # 高速铁路里程（公里）: the unit in the metric cell's brackets
        m_mult, m_unit, _kind_u = split_unit(um.group(1))
        if m_unit is not None:
            mult, unit, metric = m_mult, m_unit, metric[:um.start()].strip()
    if not metric:
        return []
    if row_change is None:  # 新增科技型企业孵化器 | 10: the name says how the values count
        opener = next(((w, k) for w, k in _CHANGE_OPENERS if metric.startswith(w)), None)
        row_change = opener[1] if opener else None
        if opener and _kind_u is not None and _kind_u not in _LEVEL_UNIT_KINDS and len(metric) - len(opener[0]) >= 2:
            # and is no part of the things counted (科技型企业孵化器, change new), as an allocation table's header
            # 新增装机容量（MW） is read (ANNOTATION.md; dev 21 A and dev 25 A annotate so). A share's or a rate's
            # name keeps it: 新建数据中心综合PUE is the PUE of new data centres, not a number of new things
            metric = metric[len(opener[0]):]
    if row_change is None:  # 老旧住房综合修缮改造累计面积: a change word inside the name (target_patterns.yaml)
        row_change = next((k for w, k in _name_change_words().items() if w in metric[1:]), None)
        opened_by_change = False
    else:
        opened_by_change = True
    # 建成典型示范项目 | >300个: the verb that opens the indicator's name says what is done, the things counted are the
    # indicator (the same cut as a metric in running text; 新增/累计 stay, they say how the values count)
    metric = _front_verbs_removed(metric, p) if not opened_by_change else metric
    columns = _value_columns(cells, headers or {}, roles, ctx)
    category = (cells.get(roles["category"]) or "").strip() or None if "category" in roles else None
    attribute = (cells.get(roles["attribute"]) or "").strip() or None if "attribute" in roles else None
    out: list[Target] = []
    baseline = None
    row_mult, row_unit = mult, unit
    if row_unit is None and row_mult == 1:  # a cell without a unit takes the one the row's target cell writes (55 | ＞90%)
        tcell = _cell_parts(cells.get(roles["target"]) or "")[0][1]
        tm = _cell_tail_res()[1].match(tcell, p.cell_comp_re.match(tcell).end())
        if tm:
            row_mult, row_unit, _k = split_unit(tm.group(1))
    for key, kind, year in columns:
        cell = cells.get(key) or ""
        # 下降15%, 提高20%: a change the row asks for, written before its size (the change words of target_patterns.yaml)
        cm = _cell_change_re().match(cell)
        change = next(k for k in ("increase", "decrease") if cm.group(1) in p.change[k]) if cm else None
        change = change or ("increase" if kind.endswith("+growth") else row_change) or "absolute"
        kind = kind.removesuffix("+growth")
        off = cm.end() if cm else 0
        for ps, part in _cell_parts(cell[off:]):
            lead = len(part) - len(part.lstrip("[【 "))
            ps, part = ps + lead, part.strip("[]【】 ")  # [6.1]: a change in points, bracketed
            if _phrase_cell(part, p):
                # 高于全区税收年均增速3个百分点以上, 5分钟覆盖区超80%: a value cell written as a phrase is read as running text;
                # its figures are the row's, in the column's kind and year
                for t in extract_targets(part, ctx):
                    out.append(dataclasses.replace(
                        t, start=t.start + off + ps, end=t.end + off + ps, surface=cell, method="targets.table_row_phrase",
                        metric=metric, kind=kind, change=t.change if t.change not in (None, "absolute") else change,
                        scope=None, sentence_start=0, sentence_end=len(cell), baseline=None,
                        target_year=year if kind != "baseline" else None, category=category, attribute=attribute,
                        column=key))
                continue
            parsed = _cell_value(part)
            if parsed is None:
                continue
            comp, v, hi, start, end = parsed
            start, end = start + off + ps, end + off + ps
            c_mult, c_unit = mult, unit
            if re.search(r"[%％]", part):  # 3.3% in a row whose values are 亿千瓦时: the cell's own percent
                c_mult, c_unit = 1, "%"
            elif c_unit is None and c_mult == 1:  # no unit column: the unit written in the cell (≥60%, 下降15%, 30个)
                tm = _cell_tail_res()[1].match(part, p.cell_comp_re.match(part).end())
                if tm:
                    c_mult, c_unit, _k = split_unit(tm.group(1))
                else:
                    c_mult, c_unit = row_mult, row_unit
            if comp == "=" and ps and out and out[-1].column == key:
                comp = out[-1].comparator  # >40万千瓦/80万千瓦时: the bound before the pair bounds both halves
            value = as_number(v * c_mult)
            if kind == "baseline":
                if baseline is None:
                    baseline = {"value": value, "year": year, "comparator": comp}
            out.append(Target(
                start=start, end=end, surface=cell, method="targets.table_row",
                confidence=(0.9 if c_unit or c_mult > 1 else 0.8) if kind != "baseline" else 0.8, metric=metric,
                value=value, unit=c_unit, comparator=comp, kind=kind, level_of_ambition=None, change=change,
                scope=None, per=None, recurring=None, sentence_start=0, sentence_end=len(cell),
                value_high=as_number(hi * c_mult) if hi is not None else None,
                baseline=baseline if kind != "baseline" else None, target_year=year if kind != "baseline" else None,
                category=category, attribute=attribute, column=key,
            ))
    tcell = (cells.get(roles["target"]) or "").strip()
    worded = bool(re.search(r"[\u4e00-\u9fff]", tcell)) and not re.search(r"\d", tcell)
    # 住宅用地面积 | 20.26 | 动态调整: a plan stated in words keeps the row's present value (a baseline without a number to
    # reach); a row with nothing in its target cell sets nothing
    return out if any(t.kind != "baseline" for t in out) or worded else []


_LIST_NUMBER = re.compile(r"^\s*(?:\d+(?:\.\d+)+|\d+[、．.])\s*(?=[\u4e00-\u9fff])")
_MARKUP = re.compile(r"<br\s*/?>|\*\*", re.I)


def _clean_metric(cell: str) -> str:
    """An indicator's name as its cell writes it, without a list number (1.1 可再生能源发电装机) or line-break markup
    (充储一体化示范站<br>（累计））."""
    metric = _MARKUP.sub("", cell).strip()
    metric = re.sub(r"^其中[：:]\s*", "", metric)
    return _LIST_NUMBER.sub("", metric).strip()


def _change_word(s: str) -> str | None:
    """累计 → cumulative, 新增 → new: a bracket after an indicator's name that says how its values count."""
    s = s.strip()
    return next((k for k in ("cumulative", "new") if s in patterns().change[k]), None)


def _value_columns(cells: dict[str, str], headers: dict, roles: dict[str, str], ctx: DocContext) -> list[tuple]:
    """(column key, kind, year) of each value cell of an indicator row, the baseline first.

    Columns headed by years alone (指标 | 2024年 | 2025年 | 2026年) are read against the document's date: each year
    not before it is a target of its own (one per year), the latest year before it the baseline; when every year is
    past (a table of what the last plan achieved: 2015 | 2020 in a 2023 plan), the latest is an achievement and the one
    before it the baseline.  A growth column (增速) says how much the row's value grew or is to grow.  Otherwise the
    header roles stand: 现状值 the baseline, 预期值 the target."""
    hdr = lambda key: re.sub(r"\s+", "", str(headers.get(key, key)))  # noqa: E731
    year_of = lambda key: _header_year(hdr(key))  # noqa: E731
    ref = ctx.date_document.year if ctx.date_document else None
    years = _years_headed(cells, headers)
    growth = [roles["growth"]] if "growth" in roles else []
    if ref is not None and len(years) >= 2 and roles["target"] == years[-1][1]:
        past = [(y, k) for y, k in years if y < ref]
        future = [(y, k) for y, k in years if y >= ref]
        if future:
            cols = ([(past[-1][1], "baseline", past[-1][0])] if past else []) + [(k, "target", y) for y, k in future]
            return cols + [(k, "target+growth", future[-1][0]) for k in growth]
        cols = ([(past[-2][1], "baseline", past[-2][0])] if len(past) >= 2 else []) + [(past[-1][1], "achievement", past[-1][0])]
        return cols + [(k, "achievement+growth", past[-1][0]) for k in growth]
    tyear = _cell_year(cells.get(roles["target"]) or "") or year_of(roles["target"]) \
        or (int(ctx.period[1]) if ctx.period else None)
    cols = [(roles["baseline"], "baseline", year_of(roles["baseline"]))] if "baseline" in roles else []
    return cols + [(roles["target"], "target", tyear)] + [(k, "target+growth", tyear) for k in growth]


_PAIR = re.compile(r"^(\s*[^\d/]{0,3}\d[\d,.]*\s*[^\d\s/]{1,6})\s*/\s*(\d[\d,.]*\s*[^\d\s/]{1,6})\s*$")


_PHRASE_AFTER_NUMBER = re.compile(r"^[\d,.]+[^\d\u4e00-\u9fff]{0,3}[\u4e00-\u9fff]{2,}[^\d]*\d")


def _phrase_cell(part: str, p: _Patterns) -> bool:
    """A value cell written as a phrase: words before its number (高于全区税收年均增速3个百分点以上, 较2020年下降18%), or
    words and a second number after it (5分钟覆盖区超80%) — not a bare value with its unit and bound (≥60%, 30个以上,
    约6000, 2027年60%: the year, comparator and change words are read by the cell reader)."""
    rest = part.strip()
    ym = _CELL_YEAR.match(rest)
    if ym and ym.end() < len(rest):
        rest = rest[ym.end():]
    rest = rest[p.cell_comp_re.match(rest).end():]
    cm = _cell_change_re().match(rest)
    if cm:
        rest = rest[cm.end():].lstrip()
    if not re.search(r"\d", rest) or not re.search(r"[\u4e00-\u9fff]", rest):
        return False
    return not rest[:1].isdigit() or bool(_PHRASE_AFTER_NUMBER.match(rest))


def _cell_parts(cell: str) -> list[tuple[int, str]]:
    """(offset, text) of each quantity a cell holds: one, or a pair written with a slash (>40万千瓦/80万千瓦时 — a
    storage's power and its energy) when both halves carry their own unit."""
    m = _PAIR.match(cell)
    if not m:
        return [(0, cell)]
    return [(m.start(1), m.group(1)), (m.start(2), m.group(2))]


@functools.lru_cache(maxsize=1)
def _allocation_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    from kg.yamlio import load_yaml
    from kg.extract.targets import PATTERNS_FILE

    d = load_yaml(PATTERNS_FILE)
    return (re.compile("|".join(d["allocation_name_headers"])), re.compile(d["allocation_measure_header"]),
            re.compile("|".join(map(re.escape, d["allocation_skip_headers"]))),
            re.compile("|".join(map(re.escape, d["allocation_plan_words"]))))


_CHANGE_OPENERS = (("新增", "new"), ("新建", "new"), ("累计", "cumulative"))
_LEVEL_UNIT_KINDS = ("percent", "percent_point", "rate", "ratio")  # units of a level, never a number of new things


@functools.lru_cache(maxsize=1)
def _name_change_words() -> dict[str, str]:
    from kg.extract.targets import PATTERNS_FILE
    from kg.yamlio import load_yaml

    return dict(load_yaml(PATTERNS_FILE).get("table_name_change_words") or {})


_NUMERIC_CELL = re.compile(r"^[≥≤>＜<＞～~约]?\s*\d+(?:\.\d+)?(?:\s*[-—~～至]\s*\d+(?:\.\d+)?)?\s*%?\s*(?:以上|以下|左右)?$")


@functools.lru_cache(maxsize=1)
def _year_plan_re() -> re.Pattern:
    from kg.yamlio import load_yaml
    from kg.extract.targets import PATTERNS_FILE

    return re.compile("|".join(map(re.escape, load_yaml(PATTERNS_FILE)["year_plan_header_words"])))


def _year_plan_row(cells: dict[str, str], headers: dict, ctx: DocContext) -> list[Target]:
    """A work-plan table with a column per year (重点任务 | 2024年工作项目 | 2025年计划 | 2026年计划): a year's cell
    that is nothing but a quantity and its unit (200辆, ≥30个) is that year's target.  Its metric is the one the
    row's task text gives a quantity of the same unit, when it gives exactly one."""
    from kg.extract.numbers import extract_numbers

    p = patterns()
    plan_re = _year_plan_re()
    header = {k: re.sub(r"\s+", "", str(headers.get(k, k))) for k in cells}

    def one_year(h: str) -> int | None:  # 2025年计划 → 2025; 重点任务（2024-2026） names a span, not a year
        return _header_year(h) if len(re.findall(r"(?:19|20)\d{2}", h)) == 1 else None

    ref = ctx.date_document.year if ctx.date_document else None
    found = []
    for key, cell in cells.items():
        year = one_year(header[key])
        text = (cell or "").strip()
        if year is None or not plan_re.search(header[key]) or not text:
            continue
        qs = extract_numbers(text)
        if len(qs) != 1 or qs[0].unit is None or qs[0].per is not None:
            continue
        q = qs[0]
        parsed = _cell_value(text)
        # nothing around the quantity but its comparator words (≥, 不少于 before it; 以上 after it) and punctuation
        before = p.cell_comp_re.sub("", text[:q.start], count=1)
        after = p.comp_after_re.sub("", text[q.end:].strip(), count=1)
        if parsed is None or (before + after).strip(" \t。；;，,"):
            continue  # a sentence with a number in it is prose (read as such), not a quantity cell
        found.append((key, text, q, parsed[0], year))
    if not found:
        return []
    metric = None
    tasks = [c for k, c in cells.items() if one_year(header[k]) is None and len(c or "") >= 8]
    if tasks:
        from kg.extract.targets import extract_targets

        named = {t.metric for t in extract_targets(max(tasks, key=len), ctx) if t.unit == found[0][2].unit and t.metric}
        metric = named.pop() if len(named) == 1 else None
    return [Target(
        start=q.start + (len(cell) - len(cell.lstrip())), end=q.end + (len(cell) - len(cell.lstrip())), surface=text,
        method="targets.table_year_plan", confidence=0.7 if metric else 0.6, metric=metric, value=q.value, unit=q.unit,
        comparator=comp, kind="achievement" if ref is not None and year < ref else "target", level_of_ambition=None,
        change="absolute", scope=None, per=None, recurring=None, sentence_start=0, sentence_end=len(cell),
        value_high=q.value_high, baseline=None, target_year=year, category=None, attribute=None, column=key,
    ) for key, text, q, comp, year in found for cell in (cells[key],)]


def _allocation_row(cells: dict[str, str], headers: dict, ctx: DocContext, roles: dict) -> list[Target]:
    """One target per measure column of an allocation-table row (区域 | 新增装机容量（MW） | 新增示范工程): the
    header gives the metric, the unit (in brackets) and the change (新增 → new), the row's name cell the scope."""
    name_re, measure_re, skip_re, plan_re = _allocation_patterns()
    header = {k: str(headers.get(k, k)) for k in cells}
    name_key = next((k for k in cells if name_re.search(header[k])), None)
    if name_key is None or "metric" in roles:
        return []
    scope = (cells.get(name_key) or "").strip() or None
    if scope in ("合计", "总计", "小计", "汇总"):
        scope = None  # the total row: the sum over the rows, not a place
    year = int(ctx.period[1]) if ctx.period else None
    # a row of years gone by (年份 2020年-2023年 in a 2024 plan) states what was done: achievements
    ref = ctx.date_document.year if ctx.date_document else None
    row_years = [int(y) for k, v in cells.items() if re.search(r"年份|年度|时间", header[k])
                 for y in re.findall(r"((?:19|20)\d{2})年?", v or "")]
    kind = "achievement" if ref is not None and row_years and max(row_years) < ref else "target"
    out = []
    for key, cell in cells.items():
        h = re.sub(r"\s+", "", header[key])
        if key == name_key or skip_re.search(h) or not measure_re.search(h) or not plan_re.search(h) \
                or not _NUMERIC_CELL.match((cell or "").strip()):
            continue
        parsed = _cell_value(cell)
        if parsed is None:
            continue
        comp, v, hi, start, end = parsed
        um = re.search(r"[（(]([^（）()]{1,8})[）)]", h)
        mult, unit, _k = split_unit(um.group(1)) if um else (1, None, None)
        if "%" in cell:
            mult, unit = 1, "%"
        metric = (h[:um.start()] + h[um.end():]) if um else h
        change = "absolute"
        for word, ch in _CHANGE_OPENERS:
            if metric.startswith(word) and len(metric) > len(word):
                metric, change = metric[len(word):], ch
                break
        out.append(Target(
            start=start, end=end, surface=cell, method="targets.table_allocation", confidence=0.75,
            metric=metric or None, value=as_number(v * mult), unit=unit, comparator=comp, kind=kind,
            level_of_ambition=None, change=change, scope=scope, per=None, recurring=None,
            sentence_start=0, sentence_end=len(cell), value_high=as_number(hi * mult) if hi is not None else None,
            baseline=None, target_year=year, category=None, attribute=None, column=key,
        ))
    return out


def _grant_row(cells: dict[str, str], ctx: DocContext, roles: dict) -> list[Target]:
    """The grants of a reward table's row (奖励对象 | 奖励方式 | 奖励标准): each amount of money in the column headed by a
    grant's rate or sum (target_patterns.yaml table_headers grant) is an incentive, with the bound word written before
    it (最高不超过30万元) or after it (5万元以内); its label (交流充电桩：, A级) is no part of it."""
    from kg.extract.numbers import extract_numbers

    key = roles.get("grant")
    cell = cells.get(key) or "" if key else ""
    if not cell.strip():
        return []
    p = patterns()
    out = []
    for q in extract_numbers(cell):
        if q.unit_kind != "currency" or q.per is not None:
            continue
        before = re.sub(r"\s+", "", cell[max(0, q.start - 8):q.start])
        bm = p.comp_before_re.search(before)
        am = p.comp_after_re.match(cell, q.end)
        comp = p.comp_after[am.group(0)] if am else p.comp_before[bm.group(0)] if bm else "="
        out.append(Target(
            start=q.start, end=q.end, surface=cell, method="targets.table_grant", confidence=0.75, metric=None,
            value=q.value, unit=q.unit, comparator=comp if q.value_high is None else None, kind="incentive",
            level_of_ambition=None, change="absolute", scope=None, per=None, recurring=None,
            sentence_start=0, sentence_end=len(cell), value_high=q.value_high, baseline=None, target_year=None,
            category=None, attribute=None, column=key,
        ))
    return out


__all__ = ["table_roles", "targets_from_table_row", "year_columns"]
