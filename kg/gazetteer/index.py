"""Index: the compiled gazetteer — concrete agencies, template instances for every known place,
classes, places — and its listings.  Resolution and scanning live in their own modules and are
mixed into :class:`Gazetteer`."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from .grammar import OrgGrammar
from .loading import load_parts
from .model import _RELATIVE, ActorClass, Agency, Place, Template, _dedupe, _derived, _Trie, normalize
from .resolution import ResolutionMixin
from .scanning import ScanningMixin


class Gazetteer(ResolutionMixin, ScanningMixin):
    """Compiled gazetteer.  Build with :meth:`load`; use :func:`default_gazetteer` for the shared one."""

    def __init__(self, agencies: list[Agency], templates: list[Template], places: list[Place],
                 classes: list[ActorClass]):
        self._agencies = {a.id: a for a in agencies}
        self._templates = {t.id: t for t in templates}
        self._places = {p.id: p for p in places}
        self._classes = {c.id: c for c in classes}
        self._place_by_name: dict[str, Place] = {}
        self._place_prefix_names: dict[str, Place] = {}
        for p in places:
            self._place_by_name.setdefault(p.name, p)
            self._place_prefix_names.setdefault(p.name, p)
            for s in p.short:
                self._place_by_name.setdefault(s, p)
                if len(s) >= 2:
                    self._place_prefix_names.setdefault(s, p)
            for s in p.abbr:
                self._place_by_name.setdefault(s, p)
        self._prefix_trie = _Trie()
        for n, p in sorted(self._place_prefix_names.items(), key=lambda kv: -len(kv[0])):
            self._prefix_trie.add(n, p)

        # national / concrete agencies: key -> (agency, canonical?)
        self._exact: dict[str, tuple[Agency, bool]] = {}
        for a in agencies:
            self._exact.setdefault(normalize(a.name), (a, True))
        for a in agencies:
            for al in (*a.aliases, *_derived(a.name)):
                self._exact.setdefault(normalize(al), (a, False))
        self._class_index: dict[str, tuple[ActorClass, bool]] = {}
        for c in classes:
            self._class_index.setdefault(normalize(c.label), (c, True))
        for c in classes:
            for al in c.aliases:
                self._class_index.setdefault(normalize(al), (c, False))
        # template bodies: body -> [(template, canonical?)], relative prefixes allowed per template
        self._bodies: dict[str, list[tuple[Template, bool]]] = {}
        self._variant_name: dict[tuple[str, str], str] = {}  # (template id, body) -> variant full name
        for t in templates:
            for b in t.bodies:
                self._bodies.setdefault(normalize(b), []).append((t, b == t.name))
        for t in templates:  # variants after every canonical body, so a canonical reading wins
            for b, vname in t.variant_bodies():
                k = normalize(b)
                if not any(t2.id == t.id for t2, _ in self._bodies.get(k, [])):
                    self._bodies.setdefault(k, []).append((t, False))
                    self._variant_name[(t.id, k)] = vname
        # instantiated agencies for known places: surface -> agency
        self._instances: dict[str, Agency] = {}
        self._instance_surface: dict[str, tuple[Agency, bool]] = {}
        for p in places:
            for t in templates:
                if p.level not in t.levels:
                    continue
                a = self._instantiate(p, t)
                for s, canonical in self._instance_surfaces(p, t, a):
                    k = normalize(s)
                    if k not in self._exact:
                        self._instance_surface.setdefault(k, (a, canonical))
        # full names built on a variant body (深圳市科技创新局): resolved by _resolve_place_prefix
        self._variant_surfaces: set[str] = set()
        for p in places:
            for (tid, body) in self._variant_name:
                t = self._templates[tid]
                if p.level not in t.levels:
                    continue
                for pre in (p.name, *(s for s in p.short if len(s) >= 2)):
                    k = normalize(pre + body)
                    if k not in self._exact and k not in self._instance_surface:
                        self._variant_surfaces.add(k)
        self._grammar_place_trie = _Trie()  # listed places that may start a name (not 全国)
        for n, p in self._place_prefix_names.items():
            if p.level != "national" and len(n) >= 2:
                self._grammar_place_trie.add(n, p)
        self.org_grammar = OrgGrammar(self._grammar_place_end)
        self._build_scanner()

    def _grammar_place_end(self, text: str, i: int) -> int | None:
        hit = self._grammar_place_trie.longest(text, i)
        return hit[0] if hit else None

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, path: str | Path | None = None) -> "Gazetteer":
        """Load from an ontology directory (default ``kg/ontology``) holding the three YAML files.

        The default one is compiled once and kept in the on-disk cache (:mod:`kg.cache`, pickled, keyed
        by the digest of the YAML files and of this package's code), so a new process loads it instead of
        parsing the YAML and instantiating every template again."""
        if path is not None:
            return cls(*load_parts(path))
        from kg import cache

        key = _cache_key()
        g = cache.load("gazetteer", key, "pickle")
        if isinstance(g, cls):
            return g
        g = cls(*load_parts(None))
        cache.save("gazetteer", key, g, "pickle")
        return g


    # ------------------------------------------------------------------ places
    def place(self, name: str) -> Place | None:
        """The place called ``name`` (full name, short form or one-character abbreviation)."""
        return self._place_by_name.get(normalize(name))

    def place_by_id(self, pid: str) -> Place | None:
        return self._places.get(pid)

    def places(self) -> list[Place]:
        return list(self._places.values())

    def place_prefix(self, text: str) -> Place | None:
        """The longest place name at the start of ``text`` (上海市新一代… → 上海市), else None."""
        t = normalize(text)
        hit = self._prefix_trie.longest(t, 0)
        if hit is None:
            return None
        end, p = hit
        # "上海" followed by "市" is the full name; the trie already prefers the longest key.
        return p  # type: ignore[return-value]

    # ------------------------------------------------------------------ listings
    def agencies(self) -> list[Agency]:
        """National/concrete agencies plus template instances for every known place."""
        return list(self._agencies.values()) + list(self._instances.values())

    def agency(self, aid: str) -> Agency | None:
        return self._agencies.get(aid) or self._instances.get(aid)

    def classes(self) -> list[ActorClass]:
        return list(self._classes.values())

    def actor_class(self, cid: str) -> ActorClass | None:
        return self._classes.get(cid)

    def agency_names(self) -> list[str]:
        """Every surface form of every agency (canonical names, aliases, instances, relative forms).

        For the jieba dictionary and the spaCy entity ruler; longest first.
        """
        names = set(self._exact) | set(self._instance_surface) | self._variant_surfaces
        for body, entries in self._bodies.items():
            if any(t.relative for t, _ in entries):
                for pre, _ in _RELATIVE:
                    names.add(pre + body)
            if len(body) >= 3:
                names.add(body)
        return sorted(names, key=lambda s: (-len(s), s))

    def class_names(self) -> list[str]:
        return sorted(self._class_index, key=lambda s: (-len(s), s))

    def place_names(self) -> list[str]:
        return sorted((n for n in self._place_by_name if len(n) >= 2), key=lambda s: (-len(s), s))


    def _instantiate(self, p: Place, t: Template) -> Agency:
        redirect = dict(p.same_as).get(t.id)
        if redirect and redirect in self._templates and redirect != t.id:
            return self._instantiate(p, self._templates[redirect])
        aid = f"{p.id}-{t.id}"
        a = self._instances.get(aid)
        if a is not None:
            return a
        short = p.short[0] if p.short else p.name
        seat = self._seat(p)
        name = t.name_format.format(place=p.name, short=short, seat=seat) if t.name_format else p.name + t.name
        real = dict(p.names).get(t.id)
        if real:
            name = p.name + real
        parent = t.parent
        if t.parent_template:
            parent = f"{p.id}-{t.parent_template}"
        aliases = _dedupe([p.name + b for b in (*t.bodies, *(vb for vb, v in t.variant_bodies() if v == real))
                           if p.name + b != name]
                          + [f.format(place=p.name, short=short, seat=seat) for f in t.alias_formats])
        a = Agency(id=aid, name=name, level=p.level, jurisdiction=p.name, aliases=aliases, type=t.type,
                   parent=parent, template=t.id)
        self._instances[aid] = a
        return a

    def _seat(self, p: Place) -> str:
        """The name of the city (or municipality) above a county-level place, for names that carry it
        (国家税务总局重庆市綦江区税务局); "" for other places, or when the place is already named with it."""
        if p.level != "county":
            return ""
        parent = self._places.get(p.parent) if p.parent else None
        if parent is not None:
            return parent.name if parent.level in ("prefectural", "provincial") else ""
        from kg.divisions import by_code, named

        ds = named(p.name)
        up = by_code(ds[0].parent) if len(ds) == 1 and ds[0].parent else None
        return up.name if up is not None else ""

    def _instance_surfaces(self, p: Place, t: Template, a: Agency) -> Iterator[tuple[str, bool]]:
        yield a.name, True
        for al in a.aliases:
            yield al, False
        if a.template != t.id:  # served here by another template's body (same_as)
            for b in t.bodies:
                yield p.name + b, False
        for s in p.short:
            if len(s) >= 2 and t.relative:
                for b in t.bodies:
                    if len(b) >= 2:
                        yield s + b, False


def _cache_key() -> str:
    from kg import cache

    from .model import ONTOLOGY_DIR

    here = Path(__file__).resolve().parent
    files = [ONTOLOGY_DIR / n for n in ("agencies.yaml", "places.yaml", "actor_classes.yaml", "org_grammar.yaml")]
    return cache.digest(["gazetteer 1"], [*files, *sorted(here.glob("*.py"))])
