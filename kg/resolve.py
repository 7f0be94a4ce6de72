"""Resolve references to documents of the corpus.

``match_reference(title, doc_number, candidates) -> Match | None``

1. **By 发文字号** (``method="doc-number"``): equal after :func:`normalize_doc_number` and unique
   among the candidates → confidence 0.99 (0.90 when a title is cited too and it matches none of
   that document's titles — the number still wins, but we say we are less sure).
2. **By title** (``method="title-match"``): both sides go through :func:`title_key`; equal keys
   → confidence 0.95.  Otherwise each title is split into *hard* and *soft* parts:

   - hard tokens — the place (中华人民共和国/全国/国家 = national; 上海市, 上海, 杨浦区 …), 4-digit
     years (二〇三五 = 2035), five-year-plan ordinals (“十四五” = 第十四个五年), other ordinals
     (第N), counts of years (三年), Latin digit runs (5G), quoted names (“万物智联”) — must be *equal when both sides state
     them*; any disagreement rejects the pair outright.
   - the soft part — the rest, with an issuer prefix (…关于), the leading place and the year range
     removed — is compared with ``rapidfuzz.fuzz.ratio`` (0–100).

   Penalties: a local place on one side only −5, different issuer prefixes on both sides −8,
   years on one side only −1.  A pair matches when the score ≥ :data:`TITLE_THRESHOLD` (90);
   confidence then runs from 0.60 (score 90) to 0.90 (score 100 after a non-trivial
   normalisation).  When the two best candidates are different documents within
   :data:`TIE_MARGIN`, the reference is ambiguous and stays unresolved (``None``).

A reference title in an issuing frame (X关于印发《Y》的通知) is also tried as ``Y``.

``title_key`` is also the stable key for external-document IRIs.

>>> title_key("《中华人民共和国反电信网络诈骗法》") == title_key("反电信网络诈骗法")
True
>>> title_key("行动计划（2021—2023 年）")
'行动计划(2021-2023)'
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from kg.extract.docnumber import normalize_doc_number
from kg.numerals import cn_to_int, cn_year
from kg.divisions import place_at_start, provinces_short
from kg.patterns import compile_template

TITLE_THRESHOLD = 90.0
TIE_MARGIN = 1.0

METHODS = ("doc-number", "title-match")


@dataclass(frozen=True)
class DocCandidate:
    doc_id: str
    titles: tuple[str, ...] | list[str] = field(default_factory=tuple)
    doc_number: str | None = None
    issuers: tuple[str, ...] | list[str] = field(default_factory=tuple)


@dataclass(frozen=True)
class Match:
    doc_id: str
    method: str  # doc-number | title-match
    confidence: float
    score: float


# --------------------------------------------------------------------------------------------
# normalisation

_QUOTES = re.compile(r"[《》〈〉“”‘’\"'「」『』<>]")
_OPEN = re.compile(r"[\[【〔〖［]")
_CLOSE = re.compile(r"[\]】〕〗］]")
_DASH = re.compile(r"[—–‐‑‒―－~～\-]+")
_number_key = lru_cache(maxsize=1 << 14)(normalize_doc_number)  # the same 文号s are normalised again and again
_CN_YEAR_BEFORE_NIAN = compile_template(r"{cn_year}(?=年)")  # 二〇三五年 (patterns.yaml)


def _cn_year(m: re.Match) -> str:
    return str(cn_year(m.group(0)))


@lru_cache(maxsize=1 << 16)
def title_key(title: str) -> str:
    """The normal form of a title used for matching and for external-document IRIs.

    NFKC (full-width → half-width); whitespace, 《》〈〉 and quotes removed; brackets → ``()``;
    dash/tilde variants → ``-``; Chinese-numeral years (二〇三五年) → digits; a year range
    ``(2021-2023年)`` → ``(2021-2023)``; Latin letters lower-cased; the 中华人民共和国 prefix of
    a law (…法) dropped, so a law's short title has the same key as its full title.
    """
    s = unicodedata.normalize("NFKC", title or "")
    s = re.sub(r"\s+", "", s)
    s = _QUOTES.sub("", s)
    s = _OPEN.sub("(", s)
    s = _CLOSE.sub(")", s)
    s = _DASH.sub("-", s)
    s = re.sub(r"(?<=\d)至(?=\d)", "-", s)
    s = _CN_YEAR_BEFORE_NIAN.sub(_cn_year, s)
    s = re.sub(r"\((\d{4})-(\d{4})年?\)", r"(\1-\2)", s)
    s = s.lower()
    if s.startswith("中华人民共和国") and re.search(r"法(?:\(.*\))?$", s) and len(s) > 8:
        s = s[len("中华人民共和国"):]
    return s


# --------------------------------------------------------------------------------------------
# hard tokens

# (short name, suffix) of every provincial-level division, from kg/ontology/divisions.csv
_PROVINCES = provinces_short()
_PROV_RE = re.compile(
    "^(?:" + "|".join(f"{re.escape(a)}(?:{re.escape(b)}|{re.escape(b[-3:])}|{re.escape(b[-1:])})?" for a, b in
                      sorted(_PROVINCES, key=lambda p: -len(p[0]))) + ")"
)
_NATIONAL_RE = re.compile(r"^(?:中华人民共和国|全国|国家|国务院|中共中央|党中央)")
_LOCAL_RE = re.compile(r"^[\u4e00-\u9fff]{2,3}?(?:市|区|县|州|盟)(?=[\u4e00-\u9fff])")
NATIONAL = "全国"


def _place(s: str) -> tuple[str | None, int]:
    """(place, length consumed) at the start of ``s``."""
    m = _NATIONAL_RE.match(s)
    if m:
        return NATIONAL, m.end()
    m = _PROV_RE.match(s)
    if m:
        name = m.group(0)
        base = next(a for a, _ in _PROVINCES if name.startswith(a))
        return base, m.end()
    m = _LOCAL_RE.match(s)
    if m:
        return m.group(0), m.end()
    return None, 0


def _cn_int(s: str) -> str:
    """A numeral as a comparable token: its value, or the text itself when it is not a numeral."""
    v = cn_to_int(s, default=None)
    return s if v is None else str(v)


_FYP_RE = re.compile(r"第([一二三四五六七八九十]+)个五年|([十][一二三四五六七八九]?)五(?=规划|时期|期间|期末|$|[^\u4e00-\u9fff])")
_ORD_RE = compile_template(r"第([{cn_ordinal_chars}\d]+)(?!个五年)")
_COUNT_RE = compile_template(r"([{cn_nonzero_digit_chars}十两]+)年(?!代)")
_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_DIGITS_RE = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class _Parsed:
    key: str
    issuer: str
    place: str | None
    soft: str
    years: frozenset
    fyp: frozenset
    ordinals: frozenset
    counts: frozenset
    digits: frozenset
    quoted: frozenset


_QUOTED_RE = re.compile(r"[“\"「『]([^“”\"「」『』]{1,30})[”\"」』]")


@lru_cache(maxsize=1 << 16)  # a title is parsed once, not once per pair it is scored in
def _parse(title: str) -> _Parsed:
    quoted = {title_key(q) for q in _QUOTED_RE.findall(unicodedata.normalize("NFKC", title or ""))}
    quoted = {q for q in quoted if not _FYP_RE.fullmatch(q)}
    key = title_key(title)
    issuer, body = "", key
    p = key.find("关于")
    if 0 < p <= 80:
        issuer, body = key[:p], key[p:]
    place, n = _place(issuer) if issuer else (None, 0)
    body_core = body[2:] if body.startswith("关于") else body
    bplace, bn = _place(body_core)
    if bplace:
        body_core = body_core[bn:]
        if place is None:
            place = bplace
    # hard tokens, taken from the whole key
    rest = key
    fyp = set()
    for m in _FYP_RE.finditer(rest):
        fyp.add(_cn_int(m.group(1) or m.group(2)))
    rest = _FYP_RE.sub(" ", rest)
    ordinals = {_cn_int(m.group(1)) for m in _ORD_RE.finditer(rest)}
    counts = {_cn_int(m.group(1)) for m in _COUNT_RE.finditer(rest)}
    years = set(_YEAR_RE.findall(rest))
    digits = {d for d in _DIGITS_RE.findall(_YEAR_RE.sub(" ", rest))}
    soft = re.sub(r"\(\d{4}-\d{4}\)", "", body_core)
    soft = re.sub(r"第([一二三四五六七八九十]+)个五年", r"\1五", soft)  # 第十四个五年规划 = 十四五规划
    soft = re.sub(r"^(?:关于)", "", soft)
    return _Parsed(key, issuer, place, soft, frozenset(years), frozenset(fyp), frozenset(ordinals),
                   frozenset(counts), frozenset(digits), frozenset(quoted))


_FRAME_RE = compile_template(r"{notice_frame}\s*$")  # patterns.yaml: X关于印发《Y》的通知 (group plan: Y)


@lru_cache(maxsize=1 << 14)
def _variants(title: str) -> tuple[str, ...]:
    m = _FRAME_RE.search(title)
    return (title, m.group("plan")) if m else (title,)


def title_score(a: str, b: str) -> float | None:
    """Similarity of two titles (0–100) after hard-token checks; ``None`` when they disagree on
    a hard token (place, year, ordinal, five-year plan, count, number)."""
    pa, pb = _parse(a), _parse(b)
    if pa.key == pb.key:
        return 100.0
    if pa.place and pb.place and pa.place != pb.place:
        return None
    for f in ("years", "fyp", "ordinals", "counts", "digits", "quoted"):
        x, y = getattr(pa, f), getattr(pb, f)
        if x and y and x != y:
            return None
    score = fuzz.ratio(pa.soft, pb.soft)
    if bool(pa.place) != bool(pb.place) and (pa.place or pb.place) != NATIONAL:
        score -= 5
    if pa.issuer and pb.issuer and pa.issuer != pb.issuer:
        score -= 8
    if bool(pa.years) != bool(pb.years):
        score -= 1
    return max(0.0, score)


# --------------------------------------------------------------------------------------------
# matching


def match_reference(title: str | None, doc_number: str | None,
                    candidates: list[DocCandidate]) -> Match | None:
    """The corpus document a reference points to, or ``None`` (see module docstring)."""
    return Resolver(candidates).match(title, doc_number)


# Only a candidate scoring above TITLE_THRESHOLD - TIE_MARGIN can be the best match or tie with it; a
# title scores at most the fuzz.ratio of the soft parts (penalties only subtract) unless the keys are
# equal, so pairs below this raw ratio need no scoring (with a margin for float rounding).
_PREFILTER = TITLE_THRESHOLD - TIE_MARGIN - 1.0


class Resolver:
    """:func:`match_reference` against a fixed list of candidates, indexed once: by normalised 文号, by
    title key, and the soft parts of every title for a bulk ``fuzz.ratio`` pre-filter (in C), so a
    reference is scored in full only against the few titles that could reach the threshold.

    ``match(title, number, exclude=d)`` gives what ``match_reference(title, number, [candidates other
    than document d])`` gives."""

    def __init__(self, candidates: list[DocCandidate]):
        self.candidates = list(candidates)
        self._by_number: dict[str, list[DocCandidate]] = {}
        self._owner: list[int] = []  # per title: the index of its candidate
        self._title: list[str] = []
        self._soft: list[str] = []
        self._by_key: dict[str, list[int]] = {}
        for k, c in enumerate(self.candidates):
            if c.doc_number:
                self._by_number.setdefault(_number_key(c.doc_number), []).append(c)
            for t in c.titles:
                p = _parse(t)
                self._by_key.setdefault(p.key, []).append(len(self._title))
                self._owner.append(k)
                self._title.append(t)
                self._soft.append(p.soft)

    def _by_doc_number(self, title: str | None, doc_number: str, exclude: str | None) -> Match | None:
        hits = [c for c in self._by_number.get(_number_key(doc_number), ()) if c.doc_id != exclude]
        if len({c.doc_id for c in hits}) != 1:
            return None
        c = hits[0]
        conf = 0.99
        if title and c.titles and not any(
            (title_score(v, t) or 0.0) >= TITLE_THRESHOLD for v in _variants(title) for t in c.titles
        ):
            conf = 0.90
        return Match(doc_id=c.doc_id, method="doc-number", confidence=conf, score=100.0)

    def match(self, title: str | None, doc_number: str | None, exclude: str | None = None) -> Match | None:
        if doc_number:
            m = self._by_doc_number(title, doc_number, exclude)
            if m is not None:
                return m
        if not title:
            return None
        best: dict[int, tuple[float, bool]] = {}  # candidate → its best (score, exact_key)
        for v in _variants(title):
            pv = _parse(v)
            near = {i for _, _, i in process.extract(pv.soft, self._soft, scorer=fuzz.ratio,
                                                     score_cutoff=_PREFILTER, limit=None)}
            near.update(self._by_key.get(pv.key, ()))
            for i in near:
                k = self._owner[i]
                if self.candidates[k].doc_id == exclude:
                    continue
                s = title_score(v, self._title[i])
                if s is None:
                    continue
                cand = (s, pv.key == _parse(self._title[i]).key)
                if k not in best or cand > best[k]:
                    best[k] = cand
        scored = sorted(((s, e, self.candidates[k].doc_id) for k, (s, e) in best.items()),
                        key=lambda x: (-x[0], not x[1], x[2]))
        if not scored:
            return None
        top = scored[0]
        if top[0] < TITLE_THRESHOLD:
            return None
        for other in scored[1:]:
            if other[2] != top[2] and top[0] - other[0] < TIE_MARGIN and top[1] == other[1]:
                return None
            break
        if top[1]:
            conf = 0.95
        else:
            conf = 0.60 + 0.30 * (top[0] - TITLE_THRESHOLD) / (100.0 - TITLE_THRESHOLD)
        return Match(doc_id=top[2], method="title-match", confidence=round(min(conf, 0.95), 3),
                     score=round(float(top[0]), 2))


__all__ = ["DocCandidate", "Match", "Resolver", "match_reference", "title_key", "title_score",
           "TITLE_THRESHOLD", "TIE_MARGIN"]


# --------------------------------------------------------------------------------------------
# the level of a cited document outside the corpus

@dataclass(frozen=True)
class CitedLevel:
    level: str
    jurisdiction: str
    method: str  # cited-issuer | title-issuer | doc-number-code
    confidence: float


@lru_cache(maxsize=1)
def _doc_number_codes() -> tuple[tuple[str, ...], frozenset]:
    from pathlib import Path

    from kg.yamlio import load_yaml

    d = load_yaml(Path(__file__).resolve().parent / "ontology" / "doc_number_codes.yaml")
    return tuple(sorted(d["national"], key=len, reverse=True)), frozenset(d.get("ambiguous_abbr") or ())


def cited_level(title: str | None, doc_number: str | None, issuer: str | None = None) -> CitedLevel | None:
    """The level and jurisdiction of a cited document that is not in the corpus, from what the citation
    says: its issuer when named (国务院《…》), the issuer or place its title opens with (国务院关于…,
    中华人民共和国…法, 上海市…), else the 机关代字 of its 文号 (kg/ontology/doc_number_codes.yaml).  None
    when nothing says.

    >>> cited_level("分布式光伏发电开发建设管理办法", "国能发新能规〔2025〕7号")
    CitedLevel(level='national', jurisdiction='全国', method='doc-number-code', confidence=0.8)
    >>> cited_level("上海市能源电力领域碳达峰实施方案", None).level
    'provincial'
    >>> cited_level("关于推进某项工作的通知", None) is None
    True
    """
    from kg.gazetteer import default_gazetteer

    g = default_gazetteer()
    for text, method, conf in ((issuer, "cited-issuer", 0.9), (title, "title-issuer", 0.85)):
        if not text:
            continue
        for m in g.find_mentions(text[:40])[:1]:
            r = m.resolution
            if m.start == 0 and r.party_type == "organization" and r.level and r.jurisdiction:
                return CitedLevel(r.level, r.jurisdiction, method, conf)
    if title:
        if _place(title)[0] == NATIONAL:
            return CitedLevel("national", NATIONAL, "title-place", 0.85)
        div = place_at_start(title)
        if div is not None:
            return CitedLevel(div.level, div.name, "title-place", 0.8)
    if doc_number:
        m = _DOC_CODE.match(normalize_doc_number(doc_number))
        code = m.group(1) if m else ""
        national, ambiguous = _doc_number_codes()
        if code.startswith(national):
            return CitedLevel("national", NATIONAL, "doc-number-code", 0.8)
        p = g.place(code[:1]) if code and code[:1] not in ambiguous else None
        if p is not None and p.level == "provincial":
            return CitedLevel("provincial", p.name, "doc-number-code", 0.8)
    return None


_DOC_CODE = re.compile(r"^([\u4e00-\u9fff]+)〔")
