"""Resolution: which body (or class of actors) a mention names, relative names resolved against the
document's jurisdiction, lists sharing a prefix, and the guarded fuzzy last resort."""
from __future__ import annotations

import re

from .grammar import CLASS_SCOPE_WORDS, FINAL_CHARS, gazetteer_org_type, org_type, relative_body
from .model import (_PLACE_SUFFIX, _a_division, _RELATIVE, Agency, Place, Resolution, Template, _adhoc_place, normalize,
                    normalize_keep_space)

# split an issuer list on separators, and on 和 right after a complete body name (…局和…)
_ISSUER_SPLIT = re.compile(rf"[、，,；;\s]+|(?<=[{re.escape(FINAL_CHARS)}])和")


class ResolutionMixin:
    """Resolution methods of :class:`kg.gazetteer.Gazetteer` (the index is built by its constructor)."""

    # ------------------------------------------------------------------ resolution
    def resolve(self, mention: str, jurisdiction: str | None = None) -> Resolution | None:
        """Canonical body or class named by ``mention``; relative names use ``jurisdiction``."""
        key = normalize(mention)
        if not key:
            return None
        hit = self._exact.get(key)
        if hit:
            a, canonical = hit
            ambiguous = not canonical and key in self._bodies
            return self._org(a, "gazetteer-exact" if canonical else "gazetteer-alias",
                             1.0 if canonical else (0.75 if ambiguous else 0.95))
        rel = self._resolve_relative(key, jurisdiction)
        if rel:
            return rel
        c = self._class_index.get(key)
        if c:
            return Resolution(c[0].id, c[0].label, "class", None, None,
                              "gazetteer-exact" if c[1] else "gazetteer-alias", 0.9 if c[1] else 0.85)
        # 各类金融机构, 本市行业管理部门: a class after a word saying which of its members is the same class
        scope = next((w for w in CLASS_SCOPE_WORDS if key.startswith(w) and len(key) > len(w) + 1), None)
        c = self._class_index.get(key[len(scope):]) if scope else None
        if c:
            return Resolution(c[0].id, c[0].label, "class", None, None, "gazetteer-alias", 0.8)
        hit = self._instance_surface.get(key)
        if hit:
            a, canonical = hit
            return self._org(a, "gazetteer-exact" if canonical else "place-prefix", 1.0 if canonical else 0.9)
        pp = self._resolve_place_prefix(key)
        if pp:
            return pp
        for pre in self._format_prefixes():  # 国家税务总局嘉兴市税务局: the fixed head of a body's name format, then a place's body
            if key.startswith(pre) and len(key) > len(pre) + 2:
                pp = self._resolve_place_prefix(key[len(pre):])
                if pp and normalize(pp.name) == key:
                    return pp
        return self._fuzzy(key, jurisdiction)

    def _format_prefixes(self) -> tuple[str, ...]:
        """What a body's name format writes before the place (国家税务总局{seat}{place}税务局 → 国家税务总局)."""
        if getattr(self, "_fmt_prefixes", None) is None:
            pres = {f.split("{", 1)[0] for entries in self._bodies.values() for t, _ in entries
                    for f in (t.name_format, *t.alias_formats) if f and not f.startswith("{")}
            self._fmt_prefixes = tuple(sorted((p for p in pres if len(p) >= 2), key=len, reverse=True))
        return self._fmt_prefixes

    def resolve_in_list(self, body: str, prefix: str, jurisdiction: str | None = None) -> Resolution | None:
        """Resolve a bare list item that shares the prefix of the item before it.

        ``市通信管理局、数据局`` → ``prefix="市", body="数据局"``; ``上海电信、移动`` → ``prefix="上海"``.
        """
        key = normalize(body)
        entries = self._bodies.get(key)
        if not entries:
            return None
        place = self._prefix_place(prefix, jurisdiction)
        if place is None:
            return None
        relative = prefix in dict(_RELATIVE)
        for t, _ in entries:
            if place.level in t.levels and (t.relative or not relative):
                return self._body_org(place, t, key, "list-prefix", 0.85)
        return None

    def split_issuers(self, text: str, jurisdiction: str | None = None) -> list[str]:
        """Split a list of issuing agencies into canonical names (unresolved items kept as written)."""
        out: list[str] = []
        prev_prefix: str | None = None
        for raw in _ISSUER_SPLIT.split(normalize_keep_space(text)):
            item = raw.strip()
            if not item:
                continue
            r = self.resolve(item, jurisdiction)
            if r is None and prev_prefix:
                r = self.resolve_in_list(item, prev_prefix, jurisdiction)
            prev_prefix = self._leading_prefix(item) or prev_prefix
            name = r.name if r else item
            if name not in out:
                out.append(name)
        return out


    def _org(self, a: Agency, method: str, conf: float) -> Resolution:
        return Resolution(a.id, a.name, "organization", a.level, a.jurisdiction, method, conf,
                          gazetteer_org_type(a.type))

    def _body_org(self, p: Place, t: Template, body: str, method: str, conf: float) -> Resolution:
        """The instance of ``t`` at ``p``, named by the variant ``body`` belongs to when the place
        does not declare the body's real name (区科信局 → 海淀区科学技术和信息化局)."""
        a = self._instantiate(p, t)
        vname = self._variant_name.get((t.id, normalize(body)))
        declared = t.id in dict(p.names) or t.id in dict(p.same_as)
        if vname and not declared:
            return Resolution(a.id, p.name + vname, "organization", a.level, a.jurisdiction, method, conf,
                              gazetteer_org_type(a.type))
        return self._org(a, method, conf)


    def _place_for(self, jurisdiction: str | None) -> Place | None:
        if not jurisdiction:
            return None
        p = self.place(jurisdiction)
        if p is not None:
            return p
        # a place written with the places above it (上海市松江区, 浙江省杭州市): the listed place it ends with,
        # when that place lies under the one it starts with
        j = normalize(jurisdiction)
        top = self.place_prefix(j)
        if top is not None:
            for form in sorted({top.name, *top.short}, key=len, reverse=True):
                rest = j[len(form):] if j.startswith(form) else ""
                low = self.place(rest) if rest else None
                if low is not None and low.id != top.id and self._ancestor(low, (top.kind,)) is top:
                    return low
        here = _adhoc_place(j)
        if here is None:
            # a long path (甘肃省天水市张家川回族自治县, 湖南省湘西土家族苗族自治州凤凰县): the division it ends with (GB/T 2260),
            # as that division alone is read
            for k in range(1, len(j) - 1):
                if j[k - 1] in "省市州盟区" and _a_division(j[k:]):
                    return _adhoc_place(j[k:])
        return here

    def _ancestor(self, p: Place, kinds: tuple[str, ...]) -> Place | None:
        seen = 0
        cur: Place | None = p
        while cur is not None and seen < 5:
            if cur.kind in kinds:
                return cur
            cur = self._places.get(cur.parent) if cur.parent else None
            seen += 1
        return None

    def _prefix_place(self, prefix: str, jurisdiction: str | None) -> Place | None:
        kinds = dict(_RELATIVE).get(prefix)
        if kinds is not None:
            p = self._place_for(jurisdiction)
            return self._ancestor(p, kinds) if p else None
        return self._place_by_name.get(prefix) or _adhoc_place(prefix)

    def _resolve_relative(self, key: str, jurisdiction: str | None) -> Resolution | None:
        for pre, kinds in _RELATIVE:
            if not key.startswith(pre) or len(key) <= len(pre):
                continue
            entries = self._bodies.get(key[len(pre):])
            if not entries:
                continue
            p = self._place_for(jurisdiction)
            target = self._ancestor(p, kinds) if p else None
            if target is None:
                return None
            for t, _ in entries:
                if t.relative and target.level in t.levels:
                    return self._body_org(target, t, key[len(pre):], "jurisdiction-prefix", 0.9)
            return None
        return None

    def resolve_unlisted(self, mention: str, jurisdiction: str | None) -> Resolution | None:
        """A relative name of a body the gazetteer does not list (市科技创新局 in 深圳市 →
        深圳市科技创新局): the jurisdiction's place name replaces the prefix.  No id, low confidence."""
        key = normalize(mention)
        for pre, kinds in _RELATIVE:
            if not key.startswith(pre):
                continue
            rest = key[len(pre):]
            if not relative_body(rest) or rest in self._bodies:
                return None  # a listed body that does not exist at this level (区通信管理局) stays unknown
            p = self._place_for(jurisdiction)
            target = self._ancestor(p, kinds) if p else None
            if target is None:
                return None
            return Resolution("", target.name + rest, "organization", target.level, target.name,
                              "jurisdiction-prefix-unlisted", 0.5, org_type(rest))
        return None

    def _resolve_place_prefix(self, key: str) -> Resolution | None:
        k = key[2:] if key.startswith("中共") else key
        hit = self._prefix_trie.longest(k, 0)
        candidates: list[tuple[Place, str, float]] = []
        if hit:
            end, p = hit
            candidates.append((p, k[end:], 0.9))  # type: ignore[arg-type]
        m = _PLACE_SUFFIX.match(k)
        if m and (not hit or m.group(1) != k[: hit[0]]):
            ad = _adhoc_place(m.group(1))
            if ad is not None:
                candidates.append((ad, k[m.end():], 0.75))
        for p, rest, conf in candidates:
            entries = self._bodies.get(rest)
            if not entries:
                continue
            for t, _ in entries:
                if p.level in t.levels:
                    return self._body_org(p, t, rest, "place-prefix", conf)
        return None

    def _leading_prefix(self, surface: str) -> str | None:
        k = normalize(surface)
        if k.startswith("中共"):
            k = k[2:]
        hit = self._prefix_trie.longest(k, 0)
        if hit:
            return k[: hit[0]]
        for pre, _ in _RELATIVE:
            if k.startswith(pre) and k[len(pre):] in self._bodies:
                return pre
        m = _PLACE_SUFFIX.match(k)
        if m and k[m.end():] in self._bodies:
            return m.group(1)
        return None

    def _fuzzy(self, key: str, jurisdiction: str | None) -> Resolution | None:
        """Guarded last resort: same place, same final character, high similarity, close length."""
        from rapidfuzz import fuzz, process

        if len(key) < 4:
            return None
        place = self.place_prefix(key)
        pool: dict[str, Agency] = {}
        if place is not None:
            for k, (a, _) in self._instance_surface.items():
                if a.jurisdiction == place.name:
                    pool[k] = a
        elif key.startswith(("国家", "中国", "中央", "国务院")) or jurisdiction in (None, "全国"):
            for k, (a, _) in self._exact.items():
                if a.level == "national":
                    pool[k] = a
        else:
            return None
        pool = {k: a for k, a in pool.items() if k[-1] == key[-1] and abs(len(k) - len(key)) <= 2}
        if not pool:
            return None
        best = process.extractOne(key, list(pool), scorer=fuzz.ratio, score_cutoff=88)
        if best is None:
            return None
        a = pool[best[0]]
        return self._org(a, "fuzzy", round(0.6 * best[1] / 100, 3))

