"""Quantities in Chinese policy text: 13万个, 3.5万, 百分之八十, 30余种, 近百万个, 亿级, 3—5家,
千分之一 (0.1%), 负3.9%, 四亿五千六百四十二万, 5万4千.

``extract_numbers(text, ctx=None) -> list[Quantity]``.  Each :class:`Quantity` carries the value with
its multiplier applied (13万个 → 130000), the unit kept apart from the multiplier (个), the multiplier
itself, a qualifier (约/近/超/余 …), the upper end of a range and a per-capita denominator (每万人).

Lexicons (units, multipliers, rejected neighbours) live in ``kg/ontology/units.yaml`` and are
compiled once, longest alternative first.

Whitespace inserted by format conversion ("13 万个", "5G 基站") must not stop matching, so matching
runs on a *compacted* copy of the text (whitespace next to a CJK character, or between a digit and a
letter, removed) and every offset is mapped back into the text given.  Numbers that are not
quantities yield nothing: technology names (5G, IPv6, 3CC, 10GPON), numbered congresses and plans
(二十大, 十四五), years and dates (2025年, 2021-09-15), ordinals (第五届), document numbers
(〔2024〕52号), list numbering (1. / （一）), telephone numbers and bare Chinese numerals without a
unit.  A number written after 每 (每万人) is a denominator: it is reported as ``per`` of the next
quantity in the same clause, never as a quantity of its own.

Percentages: 百分之N, N%, and per-mille/per-ten-thousand 千分之N / 万分之N, reported in percent
(千分之五 → 0.5 %); N百分之M is a fraction and yields nothing.  A minus sign (负, -, −) right
before a number makes it negative unless a digit, letter or closing bracket stands before the sign
(2021-2025 is a range) or it is 正负 (±).  A Chinese numeral may hold 万/亿 inside
(一百零一万一千); Arabic digits with descending multipliers add up (5万4千6百 → 54600); a
number with a multiplier is a quantity even without a unit (四千万).  Digits inside a URL are not
quantities.  Checked against Microsoft Recognizers-Text's Chinese specs: kg/evaluate_numbers.py.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from kg.yamlio import load_yaml

from kg.extract.base import Annotation, DocContext, alternation
from kg.patterns import fragment
from kg.text import FULLWIDTH_FOLD, RANGE_DASHES, Compact, compact  # noqa: F401  (re-exported)

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"
UNITS_FILE = ONTOLOGY / "units.yaml"

# Fullwidth digits and signs → ASCII (kg/text.py: the one extractor normalisation folds them too)
_FULLWIDTH = FULLWIDTH_FOLD

_CN_DIGITS = fragment("cn_count_digit_chars") + "十"  # numerals.yaml: 〇零一…九两 + 十
_CN_ALL = _CN_DIGITS + "百千"
_CN_DIGIT0 = fragment("cn_digit_chars")  # 〇零一…九
_CLAUSE_BREAK = "，,；;。！!？?：:、（）()\n\t"
# A minus sign written before a number (负3.9%, -22.2%); "-" only when no digit, letter or closing
# bracket stands before it (2021-2025 is a range, LTE-Cat1 a name).
_MINUS_SIGNS = "-−负"
_RANGE_DASHES = RANGE_DASHES
_URL_RE = re.compile(r"(?:https?://|www\.)[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]+")


@dataclass(frozen=True)
class Quantity(Annotation):
    """A number with its unit.  ``value`` has the multiplier applied; ``unit`` does not carry it."""

    value: int | float = 0
    unit: str | None = None
    unit_kind: str | None = None  # count | percent | rate | currency | time | length | power …
    multiplier: int = 1
    qualifier: str | None = None  # 约, 近, 超, 过, 逾, 余, 多, 级 (order of magnitude) …
    value_high: int | float | None = None  # upper end of a range (3—5家 → value 3, value_high 5)
    per: str | None = None  # denominator written before it in the clause: 每万人


# ---------------------------------------------------------------------------------------------
# Lexicon → compiled patterns (once)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Lexicon:
    multipliers: dict[str, int]
    units: dict[str, dict[str, Any]]
    approx_prefixes: tuple[str, ...]
    approx_suffixes: tuple[str, ...]
    magnitude_suffix: str
    grade_unit_kinds: frozenset
    reject_suffixes: tuple[str, ...]
    reject_prefixes: tuple[str, ...]
    per_units: tuple[str, ...]
    code_neighbours: tuple[str, ...]
    number_re: re.Pattern
    bare_re: re.Pattern
    percent_re: re.Pattern
    per_re: re.Pattern
    date_re: re.Pattern
    reject_suffix_re: re.Pattern
    denominator_re: re.Pattern | None = None
    joiner_re: re.Pattern | None = None  # units.yaml per_joiners: 元/千瓦·年
    markdown_escaped: frozenset = frozenset()  # after a backslash: a Markdown escape (\[), not a code sign
    alternatives_re: re.Pattern | None = None  # （套）, （台、套） right after a count's unit
    alt_value_re: re.Pattern | None = None  # （330）千伏 right after a bare number: an alternative value, one unit
    title_re: re.Pattern | None = None  # 《…》: a document's title; numbers inside name it
    duration_units: dict | None = None  # 满1年: years as a span of time, not a date
    duration_prefixes: tuple[str, ...] = ()
    article_not_before_kinds: frozenset = frozenset()  # 一个百分点: a lone 一 before these units is a measure
    duration_point_after: tuple[str, ...] = ()
    scientific_re: re.Pattern | None = None  # 1×10-7: a number in scientific notation (a technical coefficient)


@functools.lru_cache(maxsize=None)
def lexicon(path: str | None = None) -> _Lexicon:
    data = load_yaml(Path(path or UNITS_FILE))
    mults = {str(k): int(v) for k, v in data["multipliers"].items()}
    units = {str(k): dict(v or {}) for k, v in data["units"].items()}
    # a thousands group is exactly three digits: "8，2027年" (a clause comma before a year) is 8, not 8202
    arabic = r"\d+(?:,\d{3}(?![\d年月日号]))*(?:\.\d+)?"
    # a Chinese numeral may hold 万/亿 inside (一百零一万一千, 一万三, 四亿五千六百四十二万零一十五); a
    # trailing 万/亿 is left to the multiplier group (三十万个 → 30 × 10000, unit 个), and so is one
    # followed by a lone 一/两, which is an article (三十万一批)
    lone_ok = "".join(ch for ch in _CN_DIGITS if ch not in "一两")
    cn = (f"[{_CN_DIGITS}][{_CN_ALL}]*(?:[万亿](?=[{_CN_DIGITS}][{_CN_ALL}]|[{lone_ok}])[{_CN_DIGITS}][{_CN_ALL}]*)*"
          f"(?:点[{_CN_DIGIT0}]+)?")
    num = f"(?:{arabic}|{cn})"
    # a unit that begins like a multiplier is the unit, not a multiplier and a rest (100000千克, 5千米, 2千瓦)
    mult_units = [u for u in units if not u.isascii() and any(u.startswith(m) and len(u) > len(m) for m in mults)]
    mult = alternation(mults)
    if mult_units:
        mult = f"(?!{alternation(mult_units)})(?:{mult})"
    sfx = alternation(data["approx_suffixes"])
    ascii_units = [u for u in units if u.isascii()]
    cjk_units = [u for u in units if not u.isascii()]
    # ASCII units must not run into more letters (10GPON is not 10 GB…); `ignore_case` units match in
    # any letter case (EFlops, Eflops → EFLOPS).  Longest alternative first.
    ascii_alt = "|".join(
        (f"(?i:{re.escape(u)})" if units[u].get("ignore_case") else re.escape(u))
        for u in sorted(set(ascii_units), key=lambda w: (-len(w), w))
    )
    unit = "(?:" + "|".join(
        [f"(?:{ascii_alt})(?![A-Za-z])"] + ([f"(?:{alternation(cjk_units)})"] if cjk_units else [])
    ) + ")"
    # ASCII units sorted longest first inside _alt; a combined alternation keeps longest overall
    # because CJK and ASCII units never share a prefix.
    range_sep = r"(?:至|到|—{1,2}|－|-|–|~|～|−)"
    number_re = re.compile(
        rf"(?P<num>{num})(?P<mult1>{mult})?(?P<unit1>{unit})?"
        # 3000（含）—5000辆（不含）: whether the low end is included, said between the two ends
        rf"(?:(?:[（(]不?含[）)])?(?P<sep>{range_sep})(?P<num2>{num}))?"
        rf"(?P<sfx1>{sfx})?(?P<mult>{mult})?(?P<sfx2>{sfx})?(?P<unit>{unit})?"
    )
    bare_re = re.compile(rf"(?P<bare>{mult})(?P<ji>{re.escape(data['magnitude_suffix'])})?(?P<unit>{unit})?")
    # 百分之八十, 百分之百, 千分之一 (0.1%), 万分之三 (0.03%): the base is a one-character multiplier
    bases = alternation([k for k in mults if len(k) == 1])
    percent_re = re.compile(rf"(?P<base>{bases})分之(?P<num>{num}|百)")
    per_units = tuple(data.get("per_units", []))
    per_re = re.compile(
        rf"每(?:{arabic}|[一二两三四五六七八九十])?(?:{mult})?(?:{alternation(per_units)})(?:{alternation(per_units)})?"
    )
    implicit = data.get("per_implicit_units") or []
    if implicit:  # 十万人口死亡率: a multiplier not after a digit, the unit, a rate's or amount's head a few characters on
        per_re = re.compile(
            f"{per_re.pattern}|(?<![0-9{_CN_DIGITS}.])(?:{mult})(?:{alternation(implicit)})"
            f"(?=[\u4e00-\u9fff]{{0,8}}?(?:{alternation(data.get('per_implicit_heads') or ['率'])}))"
        )
    seps = data.get("per_separators") or []
    denominators = alternation(sorted(set(cjk_units) | set(per_units) | set(data.get('per_periods') or [])
                                      | set(data.get('per_only_units') or [])))
    denominator_re = re.compile(
        rf"(?:{alternation(seps)})(?P<mult>{mult}|[1-9]\d*)?(?P<unit>{denominators})"
    ) if seps else None
    joins = data.get("per_joiners") or []
    joiner_re = re.compile(rf"(?P<sep>{alternation(joins)})(?P<unit>{denominators})") if joins else None
    counts = alternation([u for u, i in units.items() if i.get("kind") == "count" and not u.isascii()])
    alternatives_re = re.compile("|".join(
        rf"{re.escape(b[0])}(?:{counts})(?:、(?:{counts}))*{re.escape(b[1])}" for b in data.get("alternative_unit_brackets") or [])
    ) if data.get("alternative_unit_brackets") else None
    # 220（330）千伏: a second value in brackets between a bare number and its unit; both take the unit
    alt_value_re = re.compile(rf"[（(](?P<alt>{arabic})[）)](?P<unit>{unit})")
    date_re = re.compile(
        r"(?<!\d)(?:19|20)\d{2}(?:[-/](?:0?[1-9]|1[0-2])(?:[-/]\d{1,2})?|\.(?:0?[1-9]|1[0-2])\.\d{1,2})(?!\d)"
        r"|(?<!\d)\d{1,2}:\d{2}(?!\d)"
    )
    reject_suffix_re = re.compile(alternation(data["reject_suffixes"]))
    return _Lexicon(
        multipliers=mults,
        units=units,
        approx_prefixes=tuple(sorted(data["approx_prefixes"], key=len, reverse=True)),
        approx_suffixes=tuple(data["approx_suffixes"]),
        magnitude_suffix=data["magnitude_suffix"],
        grade_unit_kinds=frozenset(data.get("grade_unit_kinds") or ()),
        reject_suffixes=tuple(data["reject_suffixes"]),
        reject_prefixes=tuple(sorted(data["reject_prefixes"], key=len, reverse=True)),
        per_units=per_units,
        code_neighbours=tuple(data.get("code_neighbours", [])),
        markdown_escaped=frozenset(data.get("markdown_escaped") or []),
        number_re=number_re,
        bare_re=bare_re,
        percent_re=percent_re,
        per_re=per_re,
        date_re=date_re,
        reject_suffix_re=reject_suffix_re,
        denominator_re=denominator_re,
        joiner_re=joiner_re,
        alternatives_re=alternatives_re,
        alt_value_re=alt_value_re,
        duration_units=dict(data.get("duration_units") or {}),
        duration_prefixes=tuple(data.get("duration_prefixes") or ()),
        article_not_before_kinds=frozenset(data.get("article_not_before_kinds") or ()),
        duration_point_after=tuple(data.get("duration_point_after") or ()),
        scientific_re=re.compile(data["scientific_notation"]) if data.get("scientific_notation") else None,
        title_re=re.compile("|".join(
            rf"{re.escape(b[0])}[^{re.escape(b)}\n]{{1,120}}{re.escape(b[1])}" for b in data.get("title_brackets") or [])
        ) if data.get("title_brackets") else None,
    )


# ---------------------------------------------------------------------------------------------
# Value parsing
# ---------------------------------------------------------------------------------------------


# No quantity in a policy text has more than 20 integer digits (万亿 is 13).  A longer digit run is a
# code or debris; reading it would make a value no one can print (Python refuses int→str beyond 4,300
# digits) and Decimal arithmetic (28 significant digits) would round it.  Found by tests/test_fuzz.py.
_MAX_INT_DIGITS = 20


def parse_number(s: str) -> Decimal | None:
    """'3.20' → Decimal('3.20'); '八十' → 80; '三点五' → 3.5.  None when it is not a number (or is
    absurdly large: more than ``_MAX_INT_DIGITS`` integer digits)."""
    s = s.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        d = Decimal(s)
    else:
        if s[:1] in ("百", "千"):
            s = "一" + s  # 百分之百: a leading 百/千 means one hundred/thousand
        if len(s) > 1:
            s = s.rstrip("零〇")  # 一百零(几万): a dangling 零 adds nothing
        try:
            import cn2an  # 0.2 s to import: only when a long Chinese numeral is read

            v = cn2an.cn2an(s, "smart")
        except (ValueError, KeyError, IndexError, TypeError):
            return None
        try:
            d = Decimal(str(v))
        except (InvalidOperation, ValueError):
            return None
    if not d.is_finite() or (d != 0 and d.adjusted() >= _MAX_INT_DIGITS):
        return None
    return d


def as_number(d: Decimal) -> int | float:
    """Integral values become ``int`` (130000), others ``float`` (4.5)."""
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def unit_info(surface: str | None) -> tuple[str | None, str | None]:
    """(canonical unit, kind) for a unit surface; unknown surfaces are kept as written."""
    if not surface:
        return None, None
    units = lexicon().units
    key = surface
    info = units.get(surface)
    if info is None:
        key = next((u for u, i in units.items() if i.get("ignore_case") and u.lower() == surface.lower()), None)
        info = units.get(key) if key else None
    if info is None:
        return surface, None
    return info.get("canonical", key), info.get("kind")


def unit_key(unit: str | None) -> str:
    """The unit two targets are compared in: 台（套） and 台 are one (the bracket's other classifiers, units.yaml
    ``alternative_unit_brackets``, do not change what is counted)."""
    if not unit:
        return ""
    alternatives = lexicon().alternatives_re
    last = None
    for last in alternatives.finditer(unit) if alternatives is not None else ():
        pass
    return unit[:last.start()] if last is not None and last.start() > 0 and last.end() == len(unit) else unit


def split_unit(unit_text: str) -> tuple[int, str | None, str | None]:
    """A unit column such as '万个' → (10000, '个', 'count'); 'Mbps' → (1, 'Mbps', 'rate'); '-' → (1, None, None)."""
    lex = lexicon()
    u = unit_text.strip().translate(_FULLWIDTH)
    if u in {"", "-", "—", "－", "/", "无"}:
        return 1, None, None
    if unit_info(re.split(r"[/／]", u, maxsplit=1)[0])[1] is not None:  # 千瓦, 千米/平方千米: a unit of the lexicon whole,
        cu, kind = unit_info(u)                                       # not 千 times 瓦 or 米
        return 1, cu, kind
    for m in sorted(lex.multipliers, key=len, reverse=True):
        if u.startswith(m) and len(u) > len(m):
            rest = u[len(m):]
            cu, kind = unit_info(rest)
            return lex.multipliers[m], cu, kind
    if u in lex.multipliers:
        return lex.multipliers[u], None, None
    cu, kind = unit_info(u)
    return 1, cu, kind


# ---------------------------------------------------------------------------------------------
# Extraction
# ---------------------------------------------------------------------------------------------


def _preceding(ct: str, i: int, words) -> str | None:
    for w in words:
        if ct.startswith(w, i - len(w)) and i - len(w) >= 0:
            return w
    return None


def _line_start(ct: str, i: int) -> bool:
    j = i - 1
    while j >= 0 and ct[j] in " \t":
        j -= 1
    return j < 0 or ct[j] == "\n"


def _reject(ct: str, s: int, e: int, m: re.Match | None, has_unit: bool, lex: _Lexicon) -> bool:
    before = ct[s - 1] if s > 0 else ""
    after = ct[e] if e < len(ct) else ""
    # Glued to Latin letters or a code sign: 5G, IPv6, 3CC, G60, LTE-Cat1, 1+16+X, 63902000*856
    if before.isascii() and before.isalpha():
        return True
    if after.isascii() and after.isalpha() and not (has_unit and not ct[e - 1].isascii()):
        return True  # (9座LNG加气站, 20个AI应用场景: letters after a Chinese classifier open the noun counted)
    if after == "\\" and ct[e + 1:e + 2] in lex.markdown_escaped and ct[e + 1:e + 2]:
        after = ""  # 3000千瓦\[…\]: a Markdown escape of the converted page, punctuation after the quantity
    if (before and before in lex.code_neighbours) or (after and after in lex.code_neighbours):
        return True
    if before == "-" and s >= 2 and ct[s - 2].isascii() and ct[s - 2].isalpha():
        return True
    if after and after in "-—" and e + 1 < len(ct) and (ct[e + 1].isascii() and ct[e + 1].isalpha()):
        return True  # 5G—A style names after a bare number
    if _preceding(ct, s, lex.reject_prefixes):
        return True
    if lex.reject_suffix_re.match(ct, e):
        return True
    if not has_unit:
        num = m.group("num") if m else ""
        plain_int = bool(re.fullmatch(r"\d+", num or ""))
        # list numbering: "1." / "2、" / "(3)" / a table's 序号 cell
        if plain_int and after and after in ".、" and not (e + 1 < len(ct) and ct[e + 1].isdigit()):
            return True
        if before and after and before in "(（" and after in ")）":
            return True
        if plain_int and _line_start(ct, s) and (after == "\t" or after == ""):
            return True
        if plain_int and len(num) >= 7:
            return True  # telephone numbers and codes
        if plain_int and len(num) == 4 and 1900 <= int(num) <= 2100 and not _preceding(
                ct, s, lex.approx_prefixes + ("≥", "≤", ">", "<", "＞", "＜", "~")):
            return True  # a bare year (铸盾 2025)
        if num and not num[0].isdigit():
            return True  # bare Chinese numerals: 十四五, 二十大, 一物一卡
    return False


def _clause_starts(ct: str) -> list[int]:
    """For every ``i`` in ``0..len(ct)``, where the clause holding ``i`` starts (just after the last
    clause break before ``i``), in one pass: walking back from each number was quadratic in a long
    clause (found by tests/test_fuzz.py)."""
    out, cur = [0] * (len(ct) + 1), 0
    # a short bracket inside a name (执业（助理）医师数), or a note (（含乡村医生）), breaks no clause: 每千人口 before it
    # is the name's denominator
    inner = {k for m in _INNER_BRACKET.finditer(ct) for k in (m.start(), m.end() - 1)}
    for i in range(1, len(ct) + 1):
        if ct[i - 1] in _CLAUSE_BREAK and i - 1 not in inner:
            cur = i
        out[i] = cur
    return out


_INNER_BRACKET = re.compile(r"(?<=[\u4e00-\u9fff])[（(](?:[\u4e00-\u9fff]{1,4}|(?:含|不含|包括|包含)[^（）()，,；;。：:\n]{1,12})[）)]"
                            r"(?=[\u4e00-\u9fff\d])")  # or a note: 5G基站（含5G-A基站）30个


def extract_numbers(text: str, ctx: DocContext | None = None) -> list[Quantity]:
    """All quantities in ``text`` (offsets into ``text``), in order of appearance."""
    lex = lexicon()
    c = compact(text)
    ct = c.text
    blocked = [False] * (len(ct) + 1)
    for dm in lex.date_re.finditer(ct):
        for k in range(dm.start(), dm.end()):
            blocked[k] = True
    # Denominators (每万人) are not quantities.
    pers: list[tuple[int, int, str]] = []
    for pm in lex.per_re.finditer(ct):
        pers.append((pm.start(), pm.end(), pm.group(0)))
        for k in range(pm.start(), pm.end()):
            blocked[k] = True

    # Digits inside a document's title (《…等6部门关于…》) are not quantities.
    if lex.title_re is not None:
        for tm in lex.title_re.finditer(ct):
            for k in range(tm.start(), tm.end()):
                blocked[k] = True

    # Digits inside a web address (…?q=30%25%2020%) are not quantities.
    for um in _URL_RE.finditer(ct):
        for k in range(um.start(), um.end()):
            blocked[k] = True

    # A number in scientific notation (渗透系数K≤1×10-7cm/s) is a technical coefficient of a design standard, not a quantity.
    for sm in lex.scientific_re.finditer(ct) if lex.scientific_re is not None else ():
        for k in range(sm.start(), sm.end()):
            blocked[k] = True

    raw: list[tuple[int, int, dict[str, Any]]] = []

    # 百分之八十, 百分之百, 千分之一 (0.1%), 万分之三 (0.03%); 五百分之二 is a fraction, not a percentage
    for pm in lex.percent_re.finditer(ct):
        v = parse_number(pm.group("num"))
        if v is None or blocked[pm.start()]:
            continue
        if pm.start() > 0 and (ct[pm.start() - 1].isdigit() or ct[pm.start() - 1] in _CN_ALL + "万亿"):
            for k in range(pm.start(), pm.end()):
                blocked[k] = True  # a fraction (五百分之二): neither a percentage nor a quantity
            continue
        v = v * 100 / lex.multipliers[pm.group("base")]
        raw.append((pm.start(), pm.end(), dict(value=v, unit="%", kind="percent", mult=1,
                                               qual=None, high=None, method="numbers.percent_words",
                                               conf=0.9)))
        for k in range(pm.start(), pm.end()):
            blocked[k] = True

    for m in lex.number_re.finditer(ct):
        s, e = m.span()
        if blocked[s]:
            continue
        g = m.groupdict()
        num_s = g["num"]
        # a Chinese numeral directly after another CJK numeral char is a word (一物一卡, 十四五)
        if s > 0 and ct[s - 1] in _CN_ALL + "万亿" and not num_s[0].isdigit():
            continue
        if g["num2"] is not None and (g["unit1"] or g["mult1"]) and lex.reject_suffix_re.match(ct, m.end("num2")):
            # 从2019年新注册登记120万辆到2023年…: the second "end" is a year (a date, 年/月 …), no range — the first
            # quantity stands alone
            e = m.end("unit1") if g["unit1"] else m.end("mult1")
            g = dict(g, sep=None, num2=None, sfx1=None, mult=None, sfx2=None, unit=None)
        if g["num2"] is None and g["unit1"] and (g["sfx1"] or g["mult"] or g["sfx2"] or g["unit"]):
            # "一批亿级": nothing may follow a unit outside a range; cut the match after the unit
            e = m.end("unit1")
            g = dict(g, sfx1=None, mult=None, sfx2=None, unit=None)
        if g["num2"] is None:
            mult_s = g["mult1"] or g["mult"]
            unit_s = g["unit1"] or g["unit"]
            if g["mult1"] and g["unit1"] is None and g["unit"] is not None:
                unit_s = g["unit"]
            high_s = None
        else:
            mult_s = g["mult"] or g["mult1"]
            unit_s = g["unit"] or g["unit1"]
            if g["unit1"] and g["unit"] and g["unit1"] != g["unit"]:
                continue
            high_s = g["num2"]
        sfx = g["sfx1"] or g["sfx2"]
        # trim a trailing range separator that matched nothing useful (e.g. "2021-")
        # a multiplier counts as a unit here: 四千万 and a lone 1000万 cell are quantities, 十四五 is not
        inner = any(ch in "万亿" for ch in num_s)  # 一百零一万一千: a multiplier inside the numeral
        duration = None
        if unit_s is None and not mult_s and high_s is None and lex.duration_units and len(num_s) <= 2:
            duration = next((u for u in lex.duration_units if ct.startswith(u, e) and _preceding(ct, s, lex.duration_prefixes)
                             and not ct.startswith(lex.duration_point_after, e + len(u))), None)
            if duration is not None:  # 满一年: a span of years
                unit_s, e = duration, e + len(duration)
        if _reject(ct, s, e, m, bool(unit_s or mult_s or inner), lex):
            continue
        if blocked[min(e - 1, len(ct) - 1)]:
            continue
        chinese = not num_s[0].isdigit()
        alt = None
        if unit_s is None and not mult_s and high_s is None and not chinese:
            alt = lex.alt_value_re.match(ct, e)
            if alt is not None:  # 220（330）千伏
                unit_s = alt.group("unit")
        v = parse_number(num_s)
        if v is None and not (chinese and inner and mult_s):  # 四十五亿四千零四(万) reads only whole
            continue
        # a lone 一/两 with a classifier (一个, 一批, 一件事) is an article, not a quantity
        if chinese and num_s in {"一", "两", "二"} and not mult_s and high_s is None and duration is None \
                and unit_info(unit_s)[1] not in lex.article_not_before_kinds:  # 提高一个百分点: a measure
            continue
        mult = lex.multipliers.get(mult_s, 1) if mult_s else 1
        if high_s is None and g["mult1"] and g["mult"] and not g["unit1"]:
            mult *= lex.multipliers[g["mult"]]  # 十万万 = 十亿 (two multipliers multiply)
        if chinese and inner and mult_s:
            # 四十五亿零四百零四万: the trailing 万 belongs to the last group, not to the whole numeral
            whole = parse_number(num_s + (g["mult1"] or "") + (g["mult"] or ""))
            if whole is not None:
                v, mult = whole, 1
        if v is None:
            continue
        unit, kind = unit_info(unit_s)
        if kind in lex.grade_unit_kinds and ct.startswith(lex.magnitude_suffix, e):
            continue  # 5万吨级以上泊位: a grade the size names, not a quantity
        if duration is not None:
            kind = lex.duration_units[duration]
        dm = lex.denominator_re.match(ct, e) if unit and lex.denominator_re is not None else None
        while dm is not None:  # 4元/千瓦时, 12.5标台/万人: one compound unit (600元/户/采暖季: a chain of them)
            unit = f"{unit}/{dm.group('mult') or ''}{unit_info(dm.group('unit'))[0] or dm.group('unit')}"
            kind = kind if kind == "currency" else "rate"
            e = dm.end()
            dm = lex.denominator_re.match(ct, e) if unit.count("/") < 3 else None
        jm = lex.joiner_re.match(ct, e) if unit and "/" in unit and lex.joiner_re is not None else None
        if jm is not None:  # 300元/千瓦·年, 2400元/台·月: a second denominator joined with a middle dot (per kW and year)
            unit, e = f"{unit}{jm.group('sep')}{unit_info(jm.group('unit'))[0] or jm.group('unit')}", jm.end()
        am = lex.alternatives_re.match(ct, e) if kind == "count" and lex.alternatives_re is not None else None
        if am is not None:  # 35000台（套）: the other classifiers it may be counted in belong to the unit
            unit, e = unit + am.group(0), am.end()
        high = None
        if high_s is not None:
            hv = parse_number(high_s)
            if hv is None:
                continue
            high = hv * mult
        qual = _preceding(ct, s, lex.approx_prefixes) or sfx
        conf = 0.9 if unit else (0.8 if mult_s else 0.6)
        if chinese:
            conf -= 0.05
        prev = raw[-1][2] if raw and raw[-1][1] == s else None
        if (prev is not None and not chinese and high is None and prev["method"] == "numbers.arabic"
                and prev["unit"] is None and prev["high"] is None and prev["qual"] not in lex.approx_suffixes
                and prev.get("tail", prev["mult"]) > mult > 1):
            # 5万4千6百, 1万5千人: Arabic digits with descending multipliers add up
            ps = raw.pop()[0]
            raw.append((ps, e, dict(prev, value=prev["value"] + v * mult, unit=unit, kind=kind, mult=1, tail=mult)))
            for k in range(s, e):
                blocked[k] = True
            continue
        if (s > 0 and ct[s - 1] in _MINUS_SIGNS and not blocked[s - 1] and high is None
                and not (s >= 2 and (ct[s - 2].isdigit() or (ct[s - 2].isascii() and ct[s - 2].isalpha())
                                     or ct[s - 2] in ")）]%" or ct[s - 2: s] == "正负"))):
            s, v = s - 1, -v  # 负3.9%, -22.2% (正负5% is ±5%, 2021-2025 a range)
        raw.append((s, e, dict(value=v * mult, unit=unit, kind=kind, mult=mult, qual=qual,
                               high=high, method="numbers.chinese" if chinese else "numbers.arabic",
                               conf=conf)))
        for k in range(s, e):
            blocked[k] = True
        av = parse_number(alt.group("alt")) if alt is not None else None
        if av is not None:  # the value in brackets, with the same unit
            raw.append((alt.start("alt"), alt.end(), dict(value=av, unit=unit, kind=kind, mult=1, qual=None, high=None,
                                                          method="numbers.arabic", conf=conf)))
            for k in range(alt.start(), alt.end()):
                blocked[k] = True

    # Orders of magnitude and bare multipliers: 近百万个, 过百亿, 亿级, 千万级
    for m in lex.bare_re.finditer(ct):
        s, e = m.span()
        if blocked[s] or (s > 0 and (ct[s - 1].isdigit() or ct[s - 1] in _CN_ALL + "万亿")):
            continue
        if m.group("ji") and not m.group("unit"):
            e = m.end("ji")
        after = ct[e] if e < len(ct) else ""
        qual = _preceding(ct, s, lex.approx_prefixes)
        prefix_ok = qual is not None or _preceding(ct, s, ("突破", "达到", "达", "超过", "数")) is not None
        if m.group("ji"):
            qual = "级"
        elif m.group("unit") and prefix_ok:
            pass
        elif prefix_ok and (after == "" or after in _CLAUSE_BREAK or after == "的"):  # noqa: SIM114
            pass
        else:
            continue
        unit, kind = unit_info(m.group("unit"))
        mult = lex.multipliers[m.group("bare")]
        raw.append((s, e, dict(value=Decimal(mult), unit=unit, kind=kind, mult=mult, qual=qual, high=None,
                               method="numbers.magnitude", conf=0.6)))

    raw.sort(key=lambda r: r[0])
    out: list[Quantity] = []
    cstarts = _clause_starts(ct) if raw else []
    per_ends = [pe for _ps, pe, _t in pers]  # pers do not overlap: sorted by start and by end
    for s, e, d in raw:
        per = None
        cs = cstarts[s]
        # the last denominator ending before the number, if it starts in the number's clause
        k = bisect.bisect_right(per_ends, s) - 1
        if k >= 0 and pers[k][0] >= cs:
            per = pers[k][2]
        os_, oe = c.span(s, e)
        out.append(Quantity(
            start=os_, end=oe, surface=text[os_:oe], method=d["method"], confidence=round(d["conf"], 2),
            value=as_number(d["value"]), unit=d["unit"], unit_kind=d["kind"], multiplier=d["mult"],
            qualifier=d["qual"], value_high=as_number(d["high"]) if d["high"] is not None else None,
            per=per,
        ))
    return out


__all__ = ["Quantity", "extract_numbers", "compact", "Compact", "parse_number", "split_unit", "unit_info", "unit_key",
           "lexicon", "as_number"]
