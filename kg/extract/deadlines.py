"""Deadlines and other time expressions: 到2025年底, 2024年9月30日前, 2026—2028年, “十四五”期末, 年内, 每季度…

``extract_deadlines(text, ctx)`` finds every time expression in a clause and resolves it to dates.
It does not decide whether an expression is the deadline of a target (a background figure such as
"2020年的22%" is reported as a ``point`` too); the caller decides, helped by ``cue`` (到/至/力争于…),
``qualifier`` and ``confidence``.

Relative expressions are anchored on ``ctx.date_document`` (年内, 明年, 三年内) or on ``ctx.period``
(规划期末); when the context lacks the anchor the expression is still reported, with ``None`` dates and a
low confidence.  Today's date is never used.

Patterns and lexicons are data: ``kg/ontology/time_patterns.yaml`` (rules, qualifiers, cues, recurrences)
and ``kg/ontology/periods.yaml`` (five-year plans, period suffixes).  They are compiled once, at import.

A date range (2025年10月1日至2026年9月30日, 2025年1月至6月, 2025年至2027年) is ONE ``period``, never two
points.  Past references (上一年度, 上年度, 去年) are reported as ``relative`` with a confidence below 0.5:
they name the period a figure is measured over, never a deadline.  A period name used as the name of a
plan in a backward-looking sentence (“十四五”规划实施以来) yields nothing (periods.yaml ``plan_title_use``).

Two steps, as in Recognizers-Text: every rule proposes candidate matches on a whitespace-free copy of
the text (``_candidates``), the leftmost-longest non-overlapping ones are kept, and each rule's
production resolves its match into a ``Deadline`` (``_PRODUCTIONS``).

>>> ctx = DocContext(date_document=_dt.date(2026, 1, 16), period=(2026, 2028))
>>> [d.date_end.isoformat() for d in extract_deadlines("力争到 2028 年底，完成全市物联感知终端的整合。", ctx)]
['2028-12-31']
>>> period_from_title("上海市物联网行动计划（2026—2028年）")
(2026, 2028)
>>> five_year_plan("十四五")
(2021, 2025)
"""
from __future__ import annotations

import calendar
import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from kg.yamlio import loads_yaml

from kg.extract.base import Annotation, DocContext, alternation
from kg.numerals import cn_to_int, cn_year
from kg.patterns import PatternError, fragments
from kg.text import compact, may_match

_ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"
PATTERNS_FILE = _ONTOLOGY / "time_patterns.yaml"
PERIODS_FILE = _ONTOLOGY / "periods.yaml"

KINDS = ("point", "period", "recurring", "relative")
ANCHORS = ("document_date", "period")


@dataclass(frozen=True)
class Deadline(Annotation):
    """A time expression resolved to dates.

    ``start``/``end`` (inherited) are character offsets; the calendar dates are ``date_start`` and
    ``date_end`` (inclusive; ``None`` when open or unresolved).  ``year`` is the year of ``date_end``
    (of ``date_start`` for an open-ended 2025年起).  ``anchor`` is ``"document_date"`` or ``"period"``
    for relative expressions, ``None`` for absolute ones.  ``recurrence`` is an ISO 8601 duration for
    ``kind == "recurring"``.  ``cue`` is the time preposition kept in the span (到, 至, 力争于…).
    """

    kind: str = "point"
    date_start: _dt.date | None = None
    date_end: _dt.date | None = None
    year: int | None = None
    qualifier: str | None = None
    anchor: str | None = None
    recurrence: str | None = None
    cue: str | None = None


# --------------------------------------------------------------------------------------------------
# data loading and compilation (once)

def _load_yaml(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        return loads_yaml(fh.read())


_PERIODS = _load_yaml(PERIODS_FILE)
_PATTERNS = _load_yaml(PATTERNS_FILE)

# five-year plans: every surface → (start, end)
_FYP: dict[str, tuple[int, int]] = {}
_FYP_BY_ORDINAL: dict[int, tuple[int, int]] = {}
_FYP_SHORT: list[str] = []
_FYP_LONG: list[str] = []
for _p in _PERIODS["five_year_plans"]:
    _span = (int(_p["start"]), int(_p["end"]))
    _FYP_BY_ORDINAL[int(_p["ordinal"])] = _span
    for _n in _p.get("names", []):
        _FYP[_n] = _span
        _FYP_SHORT.append(_n)
    for _n in _p.get("long_names", []):
        _FYP[_n] = _span
        _FYP_LONG.append(_n)
_PERIOD_SUFFIXES: dict[str, str] = dict(_PERIODS["period_suffixes"])
_PLAN_TITLE_USE: dict[str, list[str]] = dict(_PERIODS.get("plan_title_use") or {})
_OWN_PERIOD_TERMS: dict[str, str] = dict(_PERIODS["own_period_terms"])
_OWN_PERIOD_TERMS.setdefault("期末", "end")

_QUALIFIERS: dict[str, dict[str, Any]] = dict(_PATTERNS["qualifiers"])
_RELATIVE_YEARS: dict[str, dict[str, Any]] = dict(_PATTERNS["relative_years"])
_RECURRENCES: dict[str, str] = dict(_PATTERNS["recurrences"])
_RECURRENCE_UNITS: dict[str, str] = dict(_PATTERNS["recurrence_units"])


def _qualifieralternation() -> str:
    alts = []
    for word in sorted(_QUALIFIERS, key=lambda w: (-len(w), w)):
        nfb = _QUALIFIERS[word].get("not_followed_by")
        alts.append(re.escape(word) + (f"(?![{re.escape(nfb)}])" if nfb else ""))
    return "|".join(alts)


def _build_table() -> dict[str, str]:
    lex = _PATTERNS["lexicons"]
    table = {name: alternation(words) for name, words in lex.items()}
    table["QUALIFIERS"] = _qualifieralternation()
    table["RELATIVE_YEARS"] = alternation(_RELATIVE_YEARS)
    table["VAGUE_HORIZONS"] = alternation(_PATTERNS["vague_horizons"])
    table["RECURRENCES"] = alternation(_RECURRENCES)
    table["FYP_NAMES"] = alternation(_FYP_SHORT)
    table["FYP_LONG_NAMES"] = alternation(_FYP_LONG)
    table["PERIOD_SUFFIXES"] = alternation(_PERIOD_SUFFIXES)
    table["OWN_PERIOD_TERMS"] = alternation(_OWN_PERIOD_TERMS)
    _ref = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
    shared = dict(fragments())  # kg/ontology/patterns.yaml, inserted as written (character classes included)
    shared["cue_blockers"] = re.escape(_PATTERNS["cue_blockers"])  # a class body: [{cue_blockers}]

    def sub(m: re.Match) -> str:
        name = m.group(1)
        if name in table:
            return f"(?:{table[name]})"
        if name in shared:
            return shared[name]
        raise PatternError(f"time_patterns.yaml refers to {{{name}}}, which is defined neither there nor in patterns.yaml")

    def expand(s: str) -> str:
        return _ref.sub(sub, s)

    for name, frag in _PATTERNS["fragments"].items():  # in order: later fragments may use earlier ones
        table[name] = expand(frag)
    table["_expand"] = expand  # type: ignore[assignment]
    return table


_TABLE = _build_table()


@dataclass(frozen=True)
class _Rule:
    name: str
    production: str
    regex: re.Pattern[str]
    conf: dict[str, float]


_RULES: list[_Rule] = [
    _Rule(
        name=r["name"],
        production=r["production"],
        regex=re.compile(_TABLE["_expand"](r["pattern"])),  # type: ignore[operator]
        conf={k: float(v) for k, v in r.items() if k.startswith("confidence")},
    )
    for r in _PATTERNS["rules"]
]


# --------------------------------------------------------------------------------------------------
# small helpers

def _month_end(y: int, m: int) -> _dt.date:
    return _dt.date(y, m, calendar.monthrange(y, m)[1])


def _add_months(d: _dt.date, months: int) -> _dt.date:
    total = d.year * 12 + d.month - 1 + months
    y, m = divmod(total, 12)
    m += 1
    return _dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _unit_bounds(y: int, g: dict[str, str | None]) -> tuple[_dt.date, _dt.date]:
    """First and last day of the unit named by year + optional half/quarter/month/day/xun groups."""
    if g.get("half"):
        return (_dt.date(y, 1, 1), _dt.date(y, 6, 30)) if g["half"] == "上半年" else (_dt.date(y, 7, 1), _dt.date(y, 12, 31))
    if g.get("quarter"):
        q = cn_to_int(g["quarter"])  # type: ignore[arg-type]
        return _dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q)
    if g.get("month"):
        m = cn_to_int(g["month"])  # type: ignore[arg-type]
        if g.get("day"):
            d = _dt.date(y, m, cn_to_int(g["day"]))  # type: ignore[arg-type]
            return d, d
        if g.get("xun"):
            last = _month_end(y, m)
            return {
                "上旬": (_dt.date(y, m, 1), _dt.date(y, m, 10)),
                "中旬": (_dt.date(y, m, 11), _dt.date(y, m, 20)),
                "下旬": (_dt.date(y, m, 21), last),
            }[g["xun"]]  # type: ignore[index]
        return _dt.date(y, m, 1), _month_end(y, m)
    return _dt.date(y, 1, 1), _dt.date(y, 12, 31)


def _apply_qualifier(lo: _dt.date, hi: _dt.date, qual: str | None, ctx: DocContext):
    """(kind, date_start, date_end, qualifier value) for a unit [lo, hi] and a qualifier surface."""
    if not qual:
        return "point", lo, hi, None
    q = _QUALIFIERS[qual]
    value, effect = q["value"], q["effect"]
    if effect == "end":
        return "point", hi, hi, value
    if effect == "before":
        return "point", None, hi, value
    if effect == "within":
        return "point", lo, hi, value
    if effect == "start":
        return "point", lo, lo, value
    if effect == "from":
        return "point", lo, None, value
    if effect == "after":
        return "point", hi + _dt.timedelta(days=1), None, value
    if effect == "since":  # to the document date; open when the document is older than the start
        end = ctx.date_document if ctx.date_document and ctx.date_document >= lo else None
        return "period", lo, end, value
    raise ValueError(f"unknown qualifier effect {effect!r} for {qual!r}")


def _year_of(ds: _dt.date | None, de: _dt.date | None) -> int | None:
    return de.year if de else (ds.year if ds else None)


# --------------------------------------------------------------------------------------------------
# productions: (rule, match, ctx) → dict of Deadline fields (without offsets/surface/method), or None

def _p_date(rule: _Rule, m: re.Match[str], ctx: DocContext, norm: str) -> dict[str, Any] | None:
    g = m.groupdict()
    y = cn_year(g["year"])
    try:
        lo, hi = _unit_bounds(y, g)
    except (ValueError, KeyError):
        return None  # 2月30日 and the like
    kind, ds, de, qual = _apply_qualifier(lo, hi, g.get("qual"), ctx)
    detailed = any(g.get(k) for k in ("half", "quarter", "month", "cue", "qual"))
    if detailed or rule.name == "iso_date":
        conf = rule.conf["confidence"]
    elif norm[m.end():m.end() + 1] == "的":
        conf = rule.conf.get("confidence_statistic", rule.conf["confidence"])
    else:
        conf = rule.conf.get("confidence_bare", rule.conf["confidence"])
    if not g["year"].isdigit():
        conf = min(conf, 0.9)
    return dict(kind=kind, date_start=ds, date_end=de, year=_year_of(ds, de), qualifier=qual,
                anchor=None, cue=g.get("cue"), confidence=conf)


_SIDE = re.compile(_TABLE["_expand"](  # type: ignore[operator]
    r"(?P<year>{YEAR})?年?(?:(?P<month>{MON})月(?:(?P<day>{DAY})[日号]?)?)?"))


def _p_date_range(rule: _Rule, m: re.Match[str], ctx: DocContext, norm: str) -> dict[str, Any] | None:
    left, right = _SIDE.fullmatch(m.group("left")), _SIDE.fullmatch(m.group("right"))
    if not left or not right or not left["year"]:
        return None
    y1 = cn_year(left["year"])
    y2 = cn_year(right["year"]) if right["year"] else y1  # 2025年3月1日至3月31日
    if not right["year"] and not right["month"]:
        return None
    try:
        lo = _unit_bounds(y1, left.groupdict())[0]
        hi = _unit_bounds(y2, right.groupdict())[1]
    except (ValueError, KeyError):
        return None  # 2月30日 and the like
    if hi < lo or y2 - y1 > 50:
        return None
    g = m.groupdict()
    return dict(kind="period", date_start=lo, date_end=hi, year=hi.year, qualifier=g.get("suffix"),
                anchor=None, cue=g.get("cue"), confidence=rule.conf["confidence"])


def _p_month_range(rule: _Rule, m: re.Match[str], ctx: DocContext, norm: str) -> dict[str, Any] | None:
    g = m.groupdict()
    y, m1, m2 = cn_year(g["year"]), cn_to_int(g["m1"]), cn_to_int(g["m2"])
    if not (1 <= m1 < m2 <= 12):
        return None
    return dict(kind="period", date_start=_dt.date(y, m1, 1), date_end=_month_end(y, m2), year=y,
                qualifier=g.get("qual"), anchor=None, cue=g.get("cue"), confidence=rule.conf["confidence"])


def _p_five_year_plan(rule: _Rule, m: re.Match[str], ctx: DocContext, norm: str) -> dict[str, Any] | None:
    g = m.groupdict()
    s, e = _FYP[g["name"]]
    suffix = g.get("suffix")
    part = _PERIOD_SUFFIXES.get(suffix, "whole") if suffix else "whole"
    conf = rule.conf["confidence"]
    if part == "end":
        kind, ds, de = "point", _dt.date(e, 12, 31), _dt.date(e, 12, 31)
    elif part == "start":
        kind, ds, de = "point", _dt.date(s, 1, 1), _dt.date(s, 1, 1)
    elif part == "middle":
        mid = (s + e) // 2
        kind, ds, de = "point", _dt.date(mid, 1, 1), _dt.date(mid, 12, 31)
        conf = rule.conf.get("confidence_middle", conf)
    elif part == "since":  # to the document date; open when the document is older than the plan
        kind, ds = "period", _dt.date(s, 1, 1)
        de = ctx.date_document if ctx.date_document and ctx.date_document >= ds else None
    else:
        kind, ds, de = "period", _dt.date(s, 1, 1), _dt.date(e, 12, 31)
    return dict(kind=kind, date_start=ds, date_end=de, year=_year_of(ds, de), qualifier=suffix,
                anchor=None, cue=g.get("cue"), confidence=conf)


def _p_own_period(rule: _Rule, m: re.Match[str], ctx: DocContext, norm: str) -> dict[str, Any] | None:
    g = m.groupdict()
    part = _OWN_PERIOD_TERMS[g["term"]]
    if ctx.period:
        s, e = ctx.period
        if part == "end":
            kind, ds, de = "point", _dt.date(e, 12, 31), _dt.date(e, 12, 31)
        else:
            kind, ds, de = "period", _dt.date(s, 1, 1), _dt.date(e, 12, 31)
        conf = rule.conf["confidence"]
    else:
        kind, ds, de = ("point" if part == "end" else "period"), None, None
        conf = rule.conf["confidence_unresolved"]
    return dict(kind=kind, date_start=ds, date_end=de, year=_year_of(ds, de),
                qualifier="末" if part == "end" else None, anchor="period", cue=g.get("cue"), confidence=conf)


def _p_relative_year(rule: _Rule, m: re.Match[str], ctx: DocContext, norm: str) -> dict[str, Any] | None:
    g = m.groupdict()
    # 今年/明年/年内… (relative_year) or a bare 上半年/三季度 of the document's year (relative_part_of_year)
    entry = _RELATIVE_YEARS[g["word"]] if g.get("word") else {"offset": 0, "confidence": rule.conf["confidence"]}
    qual = g.get("qual")
    base_qual = entry.get("qualifier")
    if base_qual and qual:
        return None  # 年底前前 …
    if ctx.date_document is None:
        value = _QUALIFIERS[qual]["value"] if qual else base_qual
        return dict(kind="relative", date_start=None, date_end=None, year=None, qualifier=value,
                    anchor="document_date", cue=g.get("cue"), confidence=rule.conf["confidence_unresolved"])
    y = ctx.date_document.year + int(entry["offset"])
    if not _dt.MINYEAR <= y <= _dt.MAXYEAR:
        return None  # 明年 in a document dated 9999 (found by tests/test_fuzz.py)
    lo, hi = _unit_bounds(y, g)
    if base_qual and not qual:
        qual = next(w for w, q in _QUALIFIERS.items() if q["value"] == base_qual and len(w) == len(base_qual))
    _, ds, de, value = _apply_qualifier(lo, hi, qual, ctx)
    return dict(kind="relative", date_start=ds, date_end=de, year=_year_of(ds, de), qualifier=value,
                anchor="document_date", cue=g.get("cue"), confidence=float(entry["confidence"]))


def _p_relative_month(rule: _Rule, m: re.Match[str], ctx: DocContext, norm: str) -> dict[str, Any] | None:
    g = m.groupdict()
    if not (g.get("day") or g.get("xun") or g.get("qual") or g.get("cue")):
        return None  # a bare "5月" is too weak
    if ctx.date_document is None:
        return dict(kind="relative", date_start=None, date_end=None, year=None,
                    qualifier=_QUALIFIERS[g["qual"]]["value"] if g.get("qual") else None,
                    anchor="document_date", cue=g.get("cue"), confidence=rule.conf["confidence_unresolved"])
    try:
        lo, hi = _unit_bounds(ctx.date_document.year, g)
    except (ValueError, KeyError):
        return None
    _, ds, de, value = _apply_qualifier(lo, hi, g.get("qual"), ctx)
    return dict(kind="relative", date_start=ds, date_end=de, year=_year_of(ds, de), qualifier=value,
                anchor="document_date", cue=g.get("cue"), confidence=rule.conf["confidence"])


def _p_relative_span(rule: _Rule, m: re.Match[str], ctx: DocContext, norm: str) -> dict[str, Any] | None:
    g = m.groupdict()
    pre, suf = g.get("pre"), g.get("suf")
    if not (suf or pre in ("今后", "未来", "近", "用", "有效期", "有效期为")):
        return None  # 三年行动计划, 五年的持续努力
    if pre == "在" and not suf:
        return None
    n = cn_to_int(g["n"])
    unit = g["unit"]
    past = pre == "近" or suf == "来"
    sign = -1 if past else 1

    def shift(d: _dt.date) -> _dt.date | None:
        if unit in ("年", "个月", "个季度"):
            return _add_months(d, sign * n * {"年": 12, "个月": 1, "个季度": 3}[unit])
        if unit in ("天", "日", "周"):
            return d + _dt.timedelta(days=sign * n * (7 if unit == "周" else 1))
        return None  # 个工作日: needs a working-day calendar, left unresolved

    d = ctx.date_document
    try:
        other = shift(d) if d else None
    except (ValueError, OverflowError):  # beyond the calendar (今后99年 from 9950): left unresolved
        other = None
    if other is None:
        ds, de = (None, None) if d is None else ((None, d) if past else (d, None))
        conf = rule.conf["confidence_unresolved"]
    elif past:
        ds, de = other, d
        conf = rule.conf["confidence_past"]
    else:
        ds, de = d, other
        conf = rule.conf["confidence"]
    return dict(kind="relative", date_start=ds, date_end=de, year=_year_of(ds, de),
                qualifier=suf if suf in ("内", "以内", "之内", "来") else None,
                anchor="document_date", cue=None, confidence=conf)


def _p_recurrence(rule: _Rule, m: re.Match[str], ctx: DocContext, norm: str) -> dict[str, Any] | None:
    g = m.groupdict()
    word = g["word"]
    if word in _RECURRENCES:
        rec = _RECURRENCES[word]
    else:
        n = cn_to_int(g["n"])
        designator = _RECURRENCE_UNITS[g["unit"]]
        rec = f"P{3 * n}M" if designator == "Q" else f"P{n}{designator}"
    conf = rule.conf["confidence_weak"] if word == "逐年" else rule.conf["confidence"]
    return dict(kind="recurring", date_start=None, date_end=None, year=None, qualifier=g.get("tail"),
                anchor=None, recurrence=rec, cue=None, confidence=conf)


def _p_vague(rule: _Rule, m: re.Match[str], ctx: DocContext, norm: str) -> dict[str, Any] | None:
    return dict(kind="relative", date_start=None, date_end=None, year=None, qualifier=None,
                anchor="document_date", cue=None, confidence=rule.conf["confidence"])


_PRODUCTIONS: dict[str, Callable[..., dict[str, Any] | None]] = {
    "date": _p_date,
    "date_range": _p_date_range,
    "month_range": _p_month_range,
    "five_year_plan": _p_five_year_plan,
    "own_period": _p_own_period,
    "relative_year": _p_relative_year,
    "relative_month": _p_relative_month,
    "relative_span": _p_relative_span,
    "recurrence": _p_recurrence,
    "vague": _p_vague,
}
for _r in _RULES:  # configuration is validated here, once
    if _r.production not in _PRODUCTIONS:
        raise ValueError(f"{PATTERNS_FILE}: rule {_r.name!r} names unknown production {_r.production!r}")


# --------------------------------------------------------------------------------------------------
# public API

def _candidates(norm: str) -> list[tuple[int, int, int, _Rule, re.Match[str]]]:
    out = []
    chars = set(norm)
    for order, rule in enumerate(_RULES):
        if not may_match(rule.regex, chars):  # a character every match needs is missing: no match
            continue
        for m in rule.regex.finditer(norm):
            if m.end() > m.start():
                out.append((m.start(), m.end(), order, rule, m))
    return out


_TITLE_PAIRS: tuple[tuple[str, str], ...] = tuple((o, c) for o, c in _PATTERNS.get("title_brackets") or [])
_TITLE_MAX = int(_PATTERNS.get("title_max_chars") or 80)
_TITLE_YEAR_OPENERS: tuple[str, ...] = ("",) + tuple(_PATTERNS.get("title_year_openers") or [])


def _title_spans(norm: str) -> list[tuple[int, int]]:
    """(start, end) of every cited title in ``norm``: 《…》, 〈…〉, <…> (one inside another too) — a pair of
    time_patterns.yaml ``title_brackets`` around at most ``title_max_chars`` characters and no sentence break."""
    spans = []
    for o, c in _TITLE_PAIRS:
        i = norm.find(o)
        while i >= 0:
            j = norm.find(c, i + 1)
            if j < 0:
                break
            inner = norm[i + 1:j]
            if inner and len(inner) <= _TITLE_MAX and not any(ch in inner for ch in _SENTENCE_BREAKS):
                spans.append((i, j + 1))
                i = norm.find(o, j + 1)
            else:
                i = norm.find(o, i + 1)
    return spans


def extract_deadlines(text: str, ctx: DocContext | None = None, *, in_titles: bool = False) -> list[Deadline]:
    """Every time expression in ``text``, resolved against ``ctx`` (never against today).

    Offsets are into ``text`` itself; matching ignores whitespace (到 2028 年底) and full-width digits.  A time
    year that opens a cited title (《2024年…工作方案》) names the document's edition, not a time of the sentence, and is
    left out unless ``in_titles`` (reading a title itself, as :func:`period_from_title` does).
    """
    ctx = ctx or DocContext()
    c = compact(text)  # the one extractor normalisation (kg/text.py), with its offset map
    norm, idx = c.text, c.orig
    cands = _candidates(norm)
    edition_years: list[tuple[int, int]] = []  # spans of years that open a cited title (the document's edition)
    if not in_titles and cands and _TITLE_PAIRS:
        opens = {a + 1 + len(w) for a, b in _title_spans(norm) for w in _TITLE_YEAR_OPENERS
                 if norm.startswith(w, a + 1)}
        edition_years = [(x[0], x[1]) for x in cands if x[0] in opens]
    # leftmost-longest, earlier rule first on ties; a candidate whose production refuses it frees its span
    cands.sort(key=lambda c: (c[0], -(c[1] - c[0]), c[2]))
    results: list[Deadline] = []
    taken_until = 0
    for s, e, _order, rule, m in cands:
        if s < taken_until:
            continue
        fields = _PRODUCTIONS[rule.production](rule, m, ctx, norm)
        if fields is None:
            continue
        if (s, e) in edition_years and fields.get("kind") == "point" and not fields.get("qualifier"):
            taken_until = e  # 《2024年城市体检工作方案》: the year names the cited document's edition
            continue
        if rule.production == "five_year_plan" and _plan_title_use(m, norm):
            taken_until = e
            continue
        if _comparison_base(norm, s, e):
            taken_until = e  # 较2020年下降13.5%: the base of a comparison, not a time of the sentence
            continue
        if fields.get("kind") == "point" and not fields.get("qualifier") and fields.get("date_start") \
                and _SINCE_EVENT is not None and _SINCE_EVENT.match(norm, e):
            # 2016年本市建筑垃圾落实属地处理以来: since then, as 2016年以来
            kind, ds, de, qual = _apply_qualifier(fields["date_start"], fields["date_end"], "以来", ctx)
            fields.update(kind=kind, date_start=ds, date_end=de, year=_year_of(ds, de), qualifier=qual)
        o_start, o_end = idx[s], idx[e - 1] + 1
        conf = round(float(fields.pop("confidence")), 3)
        results.append(Deadline(start=o_start, end=o_end, surface=text[o_start:o_end], method=rule.name,
                                confidence=conf, **fields))
        taken_until = e
    return results


_SINCE_EVENT = re.compile(_PATTERNS["since_event_after"]) if _PATTERNS.get("since_event_after") else None
_SENTENCE_BREAKS = "。；;！!？?\n"
_COMPARE_BEFORE: tuple[str, ...] = tuple(_PATTERNS.get("comparison_before") or [])
_COMPARE_AROUND: dict = _PATTERNS.get("comparison_around") or {}


def _comparison_base(norm: str, s: int, e: int) -> bool:
    """The time at ``norm[s:e]`` is what a figure is compared with (较2020年, 比上年, 与2020年相比)."""
    if norm[:s].endswith(_COMPARE_BEFORE):
        return True
    return (norm[:s].endswith(tuple(_COMPARE_AROUND.get("before") or ()))
            and norm.startswith(tuple(_COMPARE_AROUND.get("after") or ()), e))


def _plan_title_use(m: re.Match[str], norm: str) -> bool:
    """“十四五”规划实施以来…: a period name that names a plan document in a backward-looking sentence."""
    if m.groupdict().get("suffix") or not _PLAN_TITLE_USE:
        return False
    e = m.end()
    if not any(norm.startswith(w, e) for w in _PLAN_TITLE_USE.get("followers", [])):
        return False
    a = max((norm.rfind(ch, 0, m.start()) for ch in _SENTENCE_BREAKS), default=-1) + 1
    ends = [i for i in (norm.find(ch, e) for ch in _SENTENCE_BREAKS) if i >= 0]
    b = min(ends) if ends else len(norm)
    sentence = norm[a:b]
    return any(w in sentence for w in _PLAN_TITLE_USE.get("backward_cues", []))


_TITLE_RANGE = re.compile(_TABLE["_expand"](  # type: ignore[operator]
    r"(?P<y1>{YEAR})年?(?:{MON}月)?{SEP}(?P<y2>{YEAR})年?"))


def period_from_title(title: str) -> tuple[int, int] | None:
    """The plan period a title states: "（2026—2028年）" → (2026, 2028); "十四五" → (2021, 2025); else None."""
    if not title:
        return None
    norm = compact(title).text
    for m in _TITLE_RANGE.finditer(norm):
        y1, y2 = cn_year(m.group("y1")), cn_year(m.group("y2"))
        if y1 <= y2 <= y1 + 50:
            return (y1, y2)
    for d in extract_deadlines(title, in_titles=True):
        if d.method in ("five_year_plan", "five_year_plan_long") and d.kind == "period" and d.date_end:
            return (d.date_start.year, d.date_end.year)  # type: ignore[union-attr]
    return None


def five_year_plan_names() -> list[str]:
    """The short names of the five-year plans in periods.yaml (十一五 … 十五五), as written in text."""
    return list(_FYP_SHORT)


@lru_cache(maxsize=None)
def five_year_plan(name: str | int) -> tuple[int, int]:
    """(start_year, end_year) of a five-year plan, from periods.yaml.

    Accepts 十四五, “十四五”, 第十四个五年规划 or the ordinal 14.  Raises ``KeyError`` if unknown.
    """
    if isinstance(name, int):
        return _FYP_BY_ORDINAL[name]
    key = name.strip().strip("".join(_PATTERNS["lexicons"]["OPEN_QUOTES"] + _PATTERNS["lexicons"]["CLOSE_QUOTES"]))
    for suffix in ("时期", "期间", "规划"):
        if key not in _FYP and key.endswith(suffix):
            key = key[: -len(suffix)]
    if key in _FYP:
        return _FYP[key]
    raise KeyError(f"unknown five-year plan: {name!r}")


__all__ = ["Deadline", "extract_deadlines", "period_from_title", "five_year_plan", "five_year_plan_names", "KINDS",
           "ANCHORS"]
