"""The grammar of Chinese organisation names (``kg/ontology/org_grammar.yaml``), compiled once.

A name is ``[place or relative prefix] + internal words + head``; the head gives the type
(government body, enterprise, institution, association).  :class:`OrgGrammar` reads names at the
positions a caller says a name may start, so a body the gazetteer does not list (华谊集团, 同济大学,
市大数据中心) is still found; the gazetteer then confirms and canonicalises it
(:meth:`kg.gazetteer.Gazetteer.find_orgs`).

The module-level :data:`ORG_SUFFIX` (any head or class head at the end of a string) and
:data:`FINAL_CHARS` (the last characters of those suffixes) are the one agency-suffix set the
gazetteer, the parties extractor and the metadata extractor share.

>>> org_type("久事集团"), org_type("同济大学"), org_type("区数据资源局"), org_type("数据")
('enterprise', 'institution', 'government', None)
>>> ORG_SUFFIX.search("上海电信、移动、联通公司").group(1)
'公司'
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from kg.yamlio import load_yaml

GRAMMAR_PATH = Path(__file__).resolve().parent.parent / "ontology" / "org_grammar.yaml"
_CJK = "\u4e00-\u9fff"


@functools.lru_cache(maxsize=1)
def grammar_data() -> dict:
    """The parsed ``org_grammar.yaml``."""
    return load_yaml(GRAMMAR_PATH)


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _cls(chars: Iterable[str]) -> str:
    return "".join(re.escape(c) for c in chars)


def _heads() -> dict[str, tuple[str, bool]]:
    """head -> (organisation type, strong?)"""
    out: dict[str, tuple[str, bool]] = {}
    for typ, d in grammar_data()["heads"].items():
        for strength in ("strong", "weak"):
            for h in d.get(strength) or ():
                out.setdefault(h, (typ, strength == "strong"))
    return out


HEADS: dict[str, tuple[str, bool]] = _heads()
CLASS_HEADS: tuple[str, ...] = tuple(grammar_data().get("class_heads") or ())
ZONE_HEADS: tuple[str, ...] = tuple(grammar_data().get("zone_heads") or ())
CLASS_SCOPE_WORDS: tuple[str, ...] = tuple(sorted(grammar_data().get("class_scope_words") or (), key=len, reverse=True))
#: every suffix that ends an organisation name, a class of actors or a functional zone, longest first
SUFFIXES: tuple[str, ...] = tuple(sorted(set(HEADS) | set(CLASS_HEADS) | set(ZONE_HEADS), key=lambda w: (-len(w), w)))
#: any suffix at the end of a string; group 1 is the (longest) suffix
ORG_SUFFIX = re.compile(rf"({_alt(SUFFIXES)})$")
#: the last character of every head (a list may be split on 和 right after one: …局和…; class heads
#: are left out: 企业 would split 工业和信息化部)
FINAL_CHARS: str = "".join(sorted({s[-1] for s in HEADS}))
RELATIVE: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (d["prefix"], tuple(d["kinds"])) for d in grammar_data()["relative_prefixes"])
#: prefixes naming every body of a kind at one level (各区, 各市 …), longest first
DISTRIBUTIVE: tuple[str, ...] = tuple(sorted(grammar_data().get("distributive_prefixes") or (), key=lambda w: (-len(w), w)))
#: words opening a class after a distributive prefix that make it a second class (各乡镇各部门)
DISTRIBUTIVE_NOT_BEFORE: tuple[str, ...] = tuple(grammar_data().get("distributive_not_before") or ())
#: words opening the name of a class rather than a body (有关部门, 相关单位): a shared prefix does not distribute over them
CLASS_OPENERS: tuple[str, ...] = tuple(grammar_data().get("class_openers") or ())
PLACE_SUFFIXES: tuple[tuple[str, str, str], ...] = tuple(
    (d["suffix"], d["kind"], d["level"]) for d in grammar_data()["place_suffixes"])

_HEAD_RE = re.compile(rf"(?:{_alt(HEADS)})$")


def _head_pattern(heads: Iterable[str]) -> str:
    """Alternation of heads, longest first, each with its not-followed-by guard."""
    guards = grammar_data().get("head_not_followed_by") or {}
    before = grammar_data().get("head_not_preceded_by") or {}
    parts = []
    for h in sorted(set(heads), key=lambda w: (-len(w), w)):
        g, b = guards.get(h), before.get(h)
        parts.append((f"(?<![{_cls(b)}])" if b else "") + re.escape(h) + (f"(?!{_alt(g)})" if g else ""))
    return "|".join(parts)


def org_type(name: str) -> str | None:
    """The organisation type a name's head gives (``None`` when it ends with no head)."""
    m = _HEAD_RE.search(name)
    if not m:
        return None
    return HEADS[m.group(0)][0]


def gazetteer_org_type(agency_type: str | None) -> str | None:
    """Organisation type of an agencies.yaml ``type`` (bureau → government, enterprise → enterprise)."""
    if not agency_type:
        return None
    for typ, kinds in (grammar_data().get("gazetteer_types") or {}).items():
        if agency_type in kinds:
            return typ
    return None


_REL_BODY = None


def relative_body(rest: str) -> bool:
    """Whether ``rest`` (a name after 市/区/省/县) is the body of a relative name (科技创新局, 某某服务中心)."""
    global _REL_BODY
    if _REL_BODY is None:
        d = grammar_data()
        types = set(d.get("relative_types") or ())
        heads = [h for h, (t, _) in HEADS.items() if t in types]
        no = _cls(d.get("relative_not_followed_by") or ())
        _REL_BODY = re.compile(rf"(?![{no}])[{_CJK}]{{1,{d['internal']['max_len']}}}?(?:{_head_pattern(heads)})")
    return _REL_BODY.fullmatch(rest) is not None


class _PlaceMatch:
    """A match of a listed place name followed by a name's body, read like the regex match."""

    def __init__(self, place: str, start: int, body: re.Match):
        self._place, self._start, self._body = place, start, body

    def group(self, name: str | int = 0) -> str | None:
        if name == "place":
            return self._place
        if name in ("adhoc", "rel"):
            return None
        if name == 0:
            return self._place + self._body.group(0)
        return self._body.group(name)

    def groupdict(self) -> dict:
        return {"place": self._place, "adhoc": None, "rel": None, **self._body.groupdict()}

    def start(self, name: str) -> int:
        return self._body.start(name)

    def end(self, name: str | int = 0) -> int:
        return self._body.end(name) if name != 0 else self._body.end()


@dataclass(frozen=True)
class OrgSpan:
    start: int
    end: int
    surface: str
    prefix: str  # the place name or relative prefix the name starts with ("" when none)
    prefix_kind: str  # place | adhoc-place | relative | ""
    head: str
    org_type: str
    strong: bool


class OrgGrammar:
    """The name grammar, reading listed place names with the gazetteer's place trie.

    ``place_at(text, i)`` is the end of the longest listed place name (full name or short form of
    two characters or more) starting at ``text[i]``, or None: a trie walk, so the work per position
    does not grow with the number of places."""

    def __init__(self, place_at: Callable[[str, int], int | None]):
        self._place_at = place_at
        d = grammar_data()
        internal = d["internal"]
        forbidden = _cls(internal["forbidden_chars"])
        not_initial = _cls(d.get("place_not_initial") or ())
        rel_no = _cls(d.get("relative_not_followed_by") or ())
        suffixes = _alt(s for s, _, _ in PLACE_SUFFIXES)
        words = _alt(internal.get("bracketed_words") or ())
        brackets = rf"[（(](?:{words})[）)]" if words else "(?!)"
        self._bare_min = int(internal.get("bare_min_len", 2))
        self._bare_not_initial = frozenset(internal.get("bare_not_initial") or ())
        self._reanchor_after = frozenset(d.get("reanchor_after") or ())
        self._never = re.compile(_alt(internal.get("never_words") or ()) or "(?!)")
        self._bare_forbidden = re.compile(_alt(internal.get("bare_forbidden_words") or ()) or "(?!)")
        self._place_min = int(d.get("place_min_len", 3))
        self._place_not_inside = re.compile(_alt([*(d.get("place_not_inside") or ()), *HEADS]))
        place_alts = [r"(?P<place>(?!))",  # listed places are read by the trie (see _match)
                      rf"(?P<adhoc>(?![{not_initial}])[{_CJK}]{{1,6}}?(?:{suffixes}))(?![{rel_no}])",
                      rf"(?P<rel>{_alt(p for p, _ in RELATIVE)})(?![{rel_no}])"]
        body = (rf"(?P<int>(?:[^{forbidden}]|{brackets}){{0,{int(internal['max_len'])}}}?)"
                rf"(?P<head>{_head_pattern(HEADS)})(?:{_alt(d.get('continuations') or ()) or '(?!)'})?")
        self._re = re.compile(rf"(?:{'|'.join(place_alts)})?" + body)
        # the same without the unlisted-place reading, when that reading is refused
        self._re_no_adhoc = re.compile(rf"(?:{place_alts[0]}|{place_alts[2]})?" + body)
        # the body alone, read after a listed place name
        self._re_body = re.compile(body)

    def match_at(self, text: str, i: int, *, weak_bare: bool = False) -> OrgSpan | None:
        """The organisation name starting at ``text[i]``, if the grammar reads one there.

        A name without a prefix needs a strong head (集团, 大学 …), ``bare_min_len`` characters
        before it and none of the ``bare_forbidden_words``; ``weak_bare`` lifts the head condition
        (for the items of a responsibility list, which are names by construction).  When no prefix
        is read at ``i`` but one starts inside the run (并报县经济商务局), the name starts there
        (``reanchor_after``).  A relative name of an enterprise obeys ``bare_forbidden_words`` too."""
        m = self._match(text, i)
        if m is None:
            return None
        if not (m.group("place") or m.groupdict().get("adhoc") or m.group("rel")):
            # no prefix at i: a name with a prefix may start inside (并报县经济商务局 → 县经济商务局)
            for k in range(i + 1, m.start("head")):
                m2 = self._match(text, k)
                if m2 is not None and m2.end("head") == m.end("head") and \
                        (m2.group("place") or ((m2.groupdict().get("adhoc") or m2.group("rel"))
                                               and text[k - 1] in self._reanchor_after)):
                    return self.match_at(text, k, weak_bare=weak_bare)
        head = m.group("head")
        typ, strong = HEADS[head]
        inner = m.group("int")
        if self._never.search(inner):
            return None
        if m.group("place"):
            prefix, kind = m.group("place"), "place"
        elif m.groupdict().get("adhoc"):
            prefix, kind = m.group("adhoc"), "adhoc-place"
        elif m.group("rel"):
            prefix, kind = m.group("rel"), "relative"
            if typ == "enterprise" and self._bare_forbidden.search(inner):
                return None
        else:
            prefix, kind = "", ""
            if (not strong and not weak_bare) or len(inner) < self._bare_min or inner[:1] in self._bare_not_initial or inner[:2] in self._bare_not_initial \
                    or self._bare_forbidden.search(inner) or inner in ZONE_HEADS:
                return None
        if kind and not inner and kind != "relative" and not strong:
            return None  # 上海市局: a place and a bare weak head is no name
        return OrgSpan(i, m.end(), m.group(0), prefix, kind, head, typ, strong)

    def _match(self, text: str, i: int) -> re.Match | _PlaceMatch | None:
        j = self._place_at(text, i)
        if j is not None:
            b = self._re_body.match(text, j)
            if b is not None:
                return _PlaceMatch(text[i:j], i, b)
        m = self._re.match(text, i)
        if m is not None and m.group("adhoc"):
            a = m.group("adhoc")
            if len(a) < self._place_min or self._bare_forbidden.search(a) or self._place_not_inside.search(a):
                m = self._re_no_adhoc.match(text, i)
        return m

    def spans(self, text: str, starts: Iterable[int], *, weak_bare: bool = False,
              overlapping: bool = False) -> list[OrgSpan]:
        """Names starting at the given positions, left to right; not overlapping unless asked (a
        caller that drops some names, e.g. those overlapping a gazetteer mention, asks for all)."""
        out: list[OrgSpan] = []
        end = -1
        for i in sorted(set(starts)):
            if (i < end and not overlapping) or i >= len(text):
                continue
            s = self.match_at(text, i, weak_bare=weak_bare)
            if s is not None and (not out or s.start >= out[-1].end or overlapping):
                out.append(s)
                end = s.end
        return out


__all__ = ["CLASS_HEADS", "FINAL_CHARS", "HEADS", "ORG_SUFFIX", "OrgGrammar", "OrgSpan", "PLACE_SUFFIXES",
           "RELATIVE", "SUFFIXES", "CLASS_SCOPE_WORDS", "grammar_data", "gazetteer_org_type", "org_type", "relative_body"]
