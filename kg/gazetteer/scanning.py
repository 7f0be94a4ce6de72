"""Scanning: every mention of a listed body, instance, relative name or class in a text (a
longest-match trie walk, linear in the text), and organisation names the gazetteer does not list,
read by the name grammar (:mod:`kg.gazetteer.grammar`) and confirmed or canonicalised here."""
from __future__ import annotations

import functools
from typing import Iterable

from .grammar import CLASS_OPENERS, DISTRIBUTIVE, DISTRIBUTIVE_NOT_BEFORE, OrgSpan, org_type
from .model import _PLACE_SUFFIX, _RELATIVE, Mention, Resolution, _adhoc_place, _Trie, normalize

# a class alias ending with one of these (各市, 各区) is no class when the next character makes a longer word with it (市场,
# 区域, 县级: org_grammar.yaml relative_not_followed_by)
_PLACE_WORD_ENDS = frozenset("市区县省")


@functools.lru_cache(maxsize=1)
@functools.lru_cache(maxsize=1)
def _list_ends_before() -> tuple[str, ...]:
    """Words a running list of bodies ends before (县财政局、监察局要…): org_grammar.yaml ``list_ends_before``."""
    from .grammar import grammar_data

    return tuple(grammar_data().get("list_ends_before") or ())


def _not_after_place_word() -> frozenset:
    from .grammar import grammar_data

    return frozenset(grammar_data().get("relative_not_followed_by") or ())


@functools.lru_cache(maxsize=1)
def _name_not_followed_by() -> dict[str, frozenset]:
    """org_grammar.yaml name_not_followed_by: a name's last character and the characters that may not follow it."""
    from .grammar import grammar_data

    return {k: frozenset(v) for k, v in (grammar_data().get("name_not_followed_by") or {}).items()}


def runs_on(text: str, end: int) -> bool:
    """Whether a name read up to ``end`` runs on into a longer word there (财政部 + 门: 财政部门, a department named by
    function, not the ministry): org_grammar.yaml name_not_followed_by."""
    return end < len(text) and text[end] in _name_not_followed_by().get(text[end - 1], ())


_KIND_LEVEL = {"autonomous_region": "provincial", "province": "provincial", "municipality": "provincial",
               "city": "prefectural", "district": "county", "county": "county"}
# where a name may start when the caller does not say: the text's start and after these
_DEFAULT_BREAKS = frozenset("。；;，,、：:（(）)\n!！?？ 　和及与")


class ScanningMixin:
    """Scanning methods of :class:`kg.gazetteer.Gazetteer`."""

    def find_mentions(self, text: str, jurisdiction: str | None = None) -> list[Mention]:
        """Longest-match scan of ``text`` for agencies, instances, relative names and classes.

        Bare bodies (``数据局``) count only as list items right after a prefixed mention and a
        separator (``市通信管理局、数据局``).  Offsets are into ``text`` as given.
        """
        out: list[Mention] = []
        i, n = 0, len(text)
        last: Mention | None = None
        scan = self._scan_trie
        first = scan.root  # no name starts with a character that is not a key here: no walk needed
        while i < n:
            if last is not None and last.prefix in DISTRIBUTIVE and _follows_list_sep(text, last.end, i):
                # 各区发展改革委、教育局: a bare body after a distributive class shares its prefix
                m = self._distributive(text, i, last.prefix)
                if m is not None:
                    out.append(m)
                    last = m
                    i = m.end
                    continue
            hit = scan.longest(text, i) if text[i] in first else None
            m = self._distributive_at(text, i) if text[i] == "各" else None
            if m is not None and (hit is None or hit[0] < m.end):
                # 各区发展改革委: the class of every district's commission (a listed class such as
                # 各区人民政府 is kept)
                out.append(m)
                last = m
                i = m.end
                continue
            # a bare body after a prefixed one and a list joiner is in the list's place: 市发展改革委、住房建设局、
            # 城管和综合执法局 — even when the bare name is also a national body's short name (发展改革委、国资委)
            bare = hit is None or self._leading_prefix(text[i:hit[0]]) is None
            if bare and last is not None and last.prefix and _follows_list_sep(text, last.end, i):
                body = self._body_trie.longest(text, i)
                m = None
                if body is not None and (hit is None or body[0] >= hit[0]):
                    end, _ = body
                    r = self.resolve_in_list(text[i:end], last.prefix, jurisdiction)
                    if r is not None and _ends_cleanly(text, end):
                        m = Mention(i, end, text[i:end], r, last.prefix)
                if m is None and hit is None:  # 省发展改革委、环境保护厅: a body the gazetteer does not list
                    m = self._unlisted_list_item(text, i, last.prefix, jurisdiction)
                if m is not None:
                    out.append(m)
                    last = m
                    i = m.end
                    continue
            if hit is None:
                m = self._relative_list_item(text, i, last, jurisdiction)
                if m is not None:  # 、省扶贫移民局、财政厅: an unlisted relative name keeps the list going
                    out.append(m)
                    last = m
                    i = m.end
                    continue
                i += 1
                continue
            end, kind = hit
            if runs_on(text, end):
                i = end + 1  # 财政部门: a department named by function, not the ministry 财政部
                continue
            if kind == "c" and text[end - 1] in _PLACE_WORD_ENDS and end < n and text[end] in _not_after_place_word():
                i += 1  # 各市场主体, 各区域: 各市/各区 run on into another word (市场, 区域), no class of governments
                continue
            surface = text[i:end]
            r = self.resolve(surface, jurisdiction)
            if r is None:
                # a relative name with no place to resolve to (区发展改革委 in a city's document) is not
                # read again from its second character (发展改革委 would be the national commission)
                i = end if kind == "r" else i + 1
                continue
            m = Mention(i, end, surface, r, self._leading_prefix(surface))
            out.append(m)
            last = m
            i = end
        return out

    def _unlisted_list_item(self, text: str, i: int, prefix: str, jurisdiction: str | None) -> Mention | None:
        """A bare government body the gazetteer does not list, as an item of a list whose members share
        ``prefix`` (省发展改革委、环境保护厅、民政厅 → 四川省环境保护厅): read by the name grammar, ending where the
        list goes on or ends; named with the list's place, no id, low confidence."""
        span = self.org_grammar.match_at(text, i, weak_bare=True)
        if span is None or span.start != i or span.prefix or span.org_type != "government" \
                or not 3 <= len(span.surface) <= 10 or (span.end < len(text) and text[span.end] not in _LIST_GOES_ON
                                                        and not text.startswith(_list_ends_before(), span.end)):
            return None
        place = self._prefix_place(prefix, jurisdiction)
        if place is None:
            return None
        r = Resolution("", place.name + span.surface, "organization", place.level, place.name,
                       "list-prefix-unlisted", 0.5, "government")
        return Mention(i, span.end, span.surface, r, prefix)

    def _relative_list_item(self, text: str, i: int, last: Mention | None, jurisdiction: str | None) -> Mention | None:
        """A relative name the gazetteer does not list (省扶贫移民局) as an item of a list of prefixed bodies, read
        by the name grammar: the bare bodies after it share its prefix as they do the listed ones'."""
        if last is None or not last.prefix or not _follows_list_sep(text, last.end, i):
            return None
        span = self.org_grammar.match_at(text, i)
        if span is None or span.start != i or span.prefix_kind != "relative" \
                or (span.end < len(text) and text[span.end] not in _LIST_GOES_ON):
            return None
        r = self.resolve_org(span, jurisdiction)
        return Mention(i, span.end, span.surface, r, span.prefix) if r is not None else None

    def _distributive_at(self, text: str, i: int) -> Mention | None:
        """A distributive prefix at ``i`` and the body right after it (各区 + 发展改革委), or None."""
        for p in DISTRIBUTIVE:
            if text.startswith(p, i):
                m = self._distributive(text, i + len(p), p, i)
                if m is not None:
                    return m
        return None

    def _distributive(self, text: str, i: int, prefix: str, start: int | None = None) -> Mention | None:
        """The class named by a distributive prefix and the body at ``i`` (各区 + 发展改革委), from
        ``start`` (the prefix's own start) or ``i`` (a bare list item sharing the prefix); None when no
        listed body starts at ``i`` or it runs on into a longer word."""
        if start is None and text.startswith(CLASS_OPENERS, i):
            return None  # 各级政府和相关部门: a class opening a later item of the list names its own class (org_grammar.yaml class_openers)
        hit = self._body_trie.longest(text, i)
        # a body ending in a government head (…局, …委) may run straight into its verb (国资委充分发挥)
        if hit is None or not (_ends_cleanly(text, hit[0]) or org_type(text[i:hit[0]]) == "government"):
            # 各区相关部门: a class of government bodies, in each district (各乡镇各部门: two classes, org_grammar.yaml)
            if text.startswith(DISTRIBUTIVE_NOT_BEFORE, i):
                return None
            hit = self._scan_trie.longest(text, i) if text[i:i + 1] in self._scan_trie.root else None
            r = self.resolve(text[i:hit[0]]) if hit is not None and hit[1] == "c" else None
            cls = self.actor_class(r.id) if r is not None and r.party_type == "class" else None
            if cls is None or not cls.government:
                return None
        s = i if start is None else start
        name = prefix + text[i:hit[0]]
        r = Resolution("", name, "class", None, None, "distributive-class", 0.7, "government")
        return Mention(s, hit[0], text[s:hit[0]], r, prefix)

    # ------------------------------------------------------------------ internals
    def _build_scanner(self) -> None:
        self._scan_trie = _Trie()
        for k in self._exact:
            self._scan_trie.add(k, "a")
        for k in self._class_index:
            self._scan_trie.add(k, "c")
        for k in self._instance_surface:
            self._scan_trie.add(k, "i")
        for k in self._variant_surfaces:
            self._scan_trie.add(k, "v")
        for body, entries in self._bodies.items():
            if any(t.relative for t, _ in entries):
                for pre, _ in _RELATIVE:
                    self._scan_trie.add(pre + body, "r")
        self._body_trie = _Trie()
        for body in self._bodies:
            if len(body) >= 2:
                self._body_trie.add(body, "b")

    def find_orgs(self, text: str, jurisdiction: str | None = None, starts: Iterable[int] | None = None, *,
                  weak_bare: bool = False, overlapping: bool = False) -> list[Mention]:
        """Organisation names read by the grammar at ``starts`` (default: the text's start and every
        position after a break or a list joiner), each confirmed by the gazetteer when it knows it,
        else kept with a lower confidence: a relative name (市大数据中心) canonicalised by the
        jurisdiction's place name (``jurisdiction-prefix-unlisted``), any other name as written
        (``org-grammar``), typed by its head.  ``weak_bare`` also reads names without a prefix
        whose head is weak (数据中心): only for the items of a responsibility list.  ``overlapping``
        keeps names that overlap an earlier one (for a caller that settles overlaps itself)."""
        if starts is None:
            starts = [0] + [i + 1 for i, ch in enumerate(text) if ch in _DEFAULT_BREAKS]
        out: list[Mention] = []
        for s in self.org_grammar.spans(text, starts, weak_bare=weak_bare, overlapping=overlapping):
            r = self.resolve_org(s, jurisdiction)
            if r is not None:
                out.append(Mention(s.start, s.end, s.surface, r, s.prefix or None))
        return out

    def resolve_org(self, span: OrgSpan, jurisdiction: str | None = None) -> Resolution | None:
        """The resolution of a name the grammar read (see :meth:`find_orgs`); a name the gazetteer does not list is written
        with the full form of its standard short words (org_grammar.yaml canonical_words: 高新区管委会 → 高新技术产业开发区
        管理委员会)."""
        r = self.resolve(span.surface, jurisdiction)
        if r is not None:
            return r
        r = self._resolve_unlisted_org(span, jurisdiction)
        if r is None or r.id:
            return r
        name = _canonical_words(r.name)
        return r if name == r.name else Resolution(r.id, name, r.party_type, r.level, r.jurisdiction, r.method,
                                                   r.confidence, r.org_type)

    def _resolve_unlisted_org(self, span: OrgSpan, jurisdiction: str | None) -> Resolution | None:
        key = normalize(span.surface)
        if span.prefix_kind == "relative":
            rest = key[len(span.prefix):]
            if not jurisdiction:
                return None  # a relative name without jurisdiction: no guess
            if rest not in self._bodies:
                r = self.resolve_unlisted(key, jurisdiction)
                if r is not None:
                    return r
            levels = {_KIND_LEVEL[k] for k in dict(_RELATIVE).get(span.prefix, ())}
            if rest in self._bodies and not any(levels & set(t.levels) for t, _ in self._bodies[rest]):
                return None  # a listed body that does not exist at this level (区通信管理局)
            # 区数据资源局 in a city's document: the district bodies, named as written
            return Resolution("", key, "organization", None, None, "org-grammar", 0.4, span.org_type)
        if span.prefix_kind in ("place", "adhoc-place"):
            p = self.place(span.prefix) or _adhoc_place(normalize(span.prefix))
            if p is None:
                return None
            sub = _PLACE_SUFFIX.match(key[len(normalize(span.prefix)):])  # 杭州市临安区…: the district's
            if sub and len(sub.group(1)) >= 3 and self.place_prefix(sub.group(1)) is None:
                p = _adhoc_place(sub.group(1)) or p
            return Resolution("", key, "organization", p.level, p.name, "org-grammar", 0.6, span.org_type)
        return Resolution("", key, "organization", None, None, "org-grammar", 0.5 if span.strong else 0.45,
                          span.org_type)


@functools.lru_cache(maxsize=1)
def _canonical_word_pairs() -> tuple[tuple[str, str], ...]:
    from .grammar import grammar_data

    d = grammar_data().get("canonical_words") or {}
    return tuple(sorted(((str(k), str(v)) for k, v in d.items()), key=lambda kv: -len(kv[0])))


def _canonical_words(name: str) -> str:
    """``name`` with each standard short word written out (org_grammar.yaml canonical_words), a full form left as it is."""
    for short, full in _canonical_word_pairs():
        if short in name and full not in name:
            name = name.replace(short, full)
    return name


_LIST_GOES_ON = frozenset("、，,；;。和及等）)")


def _follows_list_sep(text: str, prev_end: int, i: int) -> bool:
    between = text[prev_end:i]
    return between in ("、", "和", "及", "以及", "，", ",") and between != ""


def _ends_cleanly(text: str, end: int) -> bool:
    """A bare list item must not run on into a longer word (数据局 ok, 移动物联网 not)."""
    if end >= len(text):
        return True
    return text[end] in "、，,；;。和及等）)：:\n 　要应将须需负牵配会分按根" or text[end:end + 1] in ("公", "分")


