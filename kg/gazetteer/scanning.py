"""Scanning: every mention of a listed body, instance, relative name or class in a text (a
longest-match trie walk, linear in the text), and organisation names the gazetteer does not list,
read by the name grammar (:mod:`kg.gazetteer.grammar`) and confirmed or canonicalised here."""
from __future__ import annotations

from typing import Iterable

from .grammar import OrgSpan
from .model import _PLACE_SUFFIX, _RELATIVE, Mention, Resolution, _adhoc_place, _Trie, normalize

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
            hit = scan.longest(text, i) if text[i] in first else None
            if hit is None and last is not None and last.prefix and _follows_list_sep(text, last.end, i):
                hit = self._body_trie.longest(text, i)
                if hit is not None:
                    end, _ = hit
                    r = self.resolve_in_list(text[i:end], last.prefix, jurisdiction)
                    if r is not None and _ends_cleanly(text, end):
                        m = Mention(i, end, text[i:end], r, last.prefix)
                        out.append(m)
                        last = m
                        i = end
                        continue
                hit = None
            if hit is None:
                i += 1
                continue
            end, _ = hit
            surface = text[i:end]
            r = self.resolve(surface, jurisdiction)
            if r is None:
                i += 1
                continue
            m = Mention(i, end, surface, r, self._leading_prefix(surface))
            out.append(m)
            last = m
            i = end
        return out

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
        """The resolution of a name the grammar read (see :meth:`find_orgs`)."""
        r = self.resolve(span.surface, jurisdiction)
        if r is not None:
            return r
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


def _follows_list_sep(text: str, prev_end: int, i: int) -> bool:
    between = text[prev_end:i]
    return between in ("、", "和", "及", "以及", "，", ",") and between != ""


def _ends_cleanly(text: str, end: int) -> bool:
    """A bare list item must not run on into a longer word (数据局 ok, 移动物联网 not)."""
    if end >= len(text):
        return True
    return text[end] in "、，,；;。和及等）)：:\n 　要应将须需负牵配会分" or text[end:end + 1] in ("公", "分")


