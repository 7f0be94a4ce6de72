"""Agency gazetteer: canonical bodies, places, local-government templates and actor classes.

Data lives in ``kg/ontology/agencies.yaml``, ``places.yaml`` and ``actor_classes.yaml``; this module
compiles it once (``default_gazetteer()`` is cached) and answers three questions:

* ``resolve(mention, jurisdiction)`` — which body (or class of actors) a mention names;
* ``place_prefix(text)`` / ``place(name)`` — which place a title or name starts with;
* ``find_mentions(text, jurisdiction)`` — character-level longest-match scan for every mention.

Local bodies are not listed one by one: a *template* (通信管理局, 发展和改革委员会 …) is instantiated for
every place whose level it fits, so ``上海市通信管理局`` and ``广东省工业和信息化厅`` are known, and
relative names (``市通信管理局``, ``省工信厅``) are resolved against the document's jurisdiction.
Places that are not in places.yaml still work with an explicit full name (``汕头市数据局``) through
an ad-hoc place whose level is read from its suffix.

>>> g = default_gazetteer()
>>> g.resolve("市通信管理局", "上海市").name
'上海市通信管理局'
>>> g.resolve("省工信厅", "广东省").name
'广东省工业和信息化厅'
>>> g.resolve("上海市数据局").id
'sh-data'
"""
from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import yaml

ONTOLOGY_DIR = Path(__file__).resolve().parent / "ontology"

# Relative prefixes, longest first, and the place kinds each may point at.
_RELATIVE = (
    ("自治区", ("autonomous_region",)),
    ("省", ("province",)),
    ("市", ("municipality", "city")),
    ("区", ("district",)),
    ("县", ("county",)),
)
_WS = re.compile(r"[\s\u3000*#]+")
_PLACE_SUFFIX = re.compile(r"^(.{1,8}?(?:自治区|自治州|省|市|区|县|旗))")
# The rest of a relative name of an unlisted body: a few characters ending with a body word, not
# starting with what makes 市/区/省 part of another word (市场, 区域, 省级, 市民, 区块链 …).
_UNLISTED_BODY = re.compile(
    r"(?![场级域民内外属直委辖情县区块长])[\u4e00-\u9fff]{1,10}?(?:委员会办公室|委员会|管理局|局|委|厅|办公室|办|中心|院|署)")


def normalize(text: str) -> str:
    """Mention key: whitespace and markdown debris removed, ASCII brackets made full-width."""
    return _WS.sub("", text).replace("(", "（").replace(")", "）")


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    level: str
    kind: str
    short: tuple[str, ...] = ()
    abbr: tuple[str, ...] = ()
    parent: str | None = None
    names: tuple[tuple[str, str], ...] = ()  # (template id, the body's real name here)
    same_as: tuple[tuple[str, str], ...] = ()  # (template id, template id serving it here)


@dataclass(frozen=True)
class Agency:
    id: str
    name: str
    level: str
    jurisdiction: str
    aliases: tuple[str, ...] = ()
    type: str | None = None
    parent: str | None = None
    template: str | None = None  # template id when instantiated from one


@dataclass(frozen=True)
class ActorClass:
    id: str
    label: str
    aliases: tuple[str, ...] = ()
    government: bool = False  # a class of government bodies (各区政府, 有关部门), not of enterprises


@dataclass(frozen=True)
class Template:
    id: str
    name: str
    levels: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    name_format: str | None = None
    alias_formats: tuple[str, ...] = ()
    type: str | None = None
    relative: bool = True
    parent: str | None = None
    parent_template: str | None = None
    list_body: tuple[str, ...] = ()
    variants: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (real name used by some places, its short forms)

    @property
    def bodies(self) -> tuple[str, ...]:
        """Surface forms of the body that may follow a place name or a relative prefix."""
        return _dedupe((self.name, *self.aliases, *(_derived(self.name)), *self.list_body))

    def variant_bodies(self) -> Iterator[tuple[str, str]]:
        """(surface, full variant name) for every variant name of the body and its short forms."""
        for vname, valiases in self.variants:
            for b in _dedupe((vname, *valiases, *_derived(vname))):
                yield b, vname


@dataclass(frozen=True)
class Resolution:
    id: str
    name: str
    party_type: str  # organization | class
    level: str | None
    jurisdiction: str | None
    method: str  # gazetteer-exact | gazetteer-alias | jurisdiction-prefix | place-prefix | list-prefix | fuzzy
    confidence: float


@dataclass(frozen=True)
class Mention:
    """A gazetteer hit in a text: ``[start, end)`` into the scanned string."""

    start: int
    end: int
    surface: str
    resolution: Resolution
    prefix: str | None = None  # place name or relative prefix the surface started with


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for x in items:
        if x and x not in seen:
            seen[x] = None
    return tuple(seen)


def _derived(name: str) -> list[str]:
    """Short forms writers derive mechanically: …委员会 → …委, dropping 和 (发展和改革 → 发展改革)."""
    out = []
    forms = [name]
    if "和" in name and not name.startswith("和"):
        forms.append(name.replace("和", ""))
    for f in forms:
        out.append(f)
        if f.endswith("委员会") and len(f) > 5:
            out.append(f[:-2])
    return [x for x in out if x != name]


class _Trie:
    __slots__ = ("root",)

    def __init__(self) -> None:
        self.root: dict = {}

    def add(self, key: str, value) -> None:
        node = self.root
        for ch in key:
            node = node.setdefault(ch, {})
        node.setdefault("\0", value)  # first value wins (canonical names are added first)

    def longest(self, text: str, i: int) -> tuple[int, object] | None:
        node, best, j = self.root, None, i
        while j < len(text):
            node = node.get(text[j])
            if node is None:
                break
            j += 1
            if "\0" in node:
                best = (j, node["\0"])
        return best


class Gazetteer:
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
        self._build_scanner()

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, path: str | Path | None = None) -> "Gazetteer":
        """Load from an ontology directory (default ``kg/ontology``) holding the three YAML files."""
        base = Path(path) if path else ONTOLOGY_DIR
        if base.is_file():
            base = base.parent
        ag = yaml.safe_load((base / "agencies.yaml").read_text(encoding="utf-8")) or {}
        pl = yaml.safe_load((base / "places.yaml").read_text(encoding="utf-8")) or {}
        cl = yaml.safe_load((base / "actor_classes.yaml").read_text(encoding="utf-8")) or {}
        agencies = [
            Agency(id=str(d["id"]), name=d["name"], level=d["level"], jurisdiction=d["jurisdiction"],
                   aliases=tuple(d.get("aliases") or ()), type=d.get("type"), parent=d.get("parent"))
            for d in ag.get("agencies") or []
        ]
        agencies = _with_general_offices(agencies)
        templates = [
            Template(id=str(d["id"]), name=d["name"], levels=tuple(d["levels"]),
                     aliases=tuple(d.get("aliases") or ()), name_format=d.get("name_format"),
                     alias_formats=tuple(d.get("alias_formats") or ()), type=d.get("type"),
                     relative=bool(d.get("relative", True)), parent=d.get("parent"),
                     parent_template=d.get("parent_template"), list_body=tuple(d.get("list_body") or ()),
                     variants=tuple((v["name"], tuple(v.get("aliases") or ())) for v in d.get("variants") or []))
            for d in ag.get("templates") or []
        ]
        places = [
            Place(id=str(d["id"]), name=d["name"], level=d["level"], kind=d["kind"],
                  short=tuple(d.get("short") or ()), abbr=tuple(d.get("abbr") or ()), parent=d.get("parent"),
                  names=tuple((str(k), str(v)) for k, v in (d.get("names") or {}).items()),
                  same_as=tuple((str(k), str(v)) for k, v in (d.get("same_as") or {}).items()))
            for d in pl.get("places") or []
        ]
        classes = [ActorClass(id=str(d["id"]), label=d["label"], aliases=tuple(d.get("aliases") or ()),
                              government=bool(d.get("government", False)))
                   for d in cl.get("classes") or []]
        _check_unique([a.id for a in agencies] + [t.id for t in templates], "agency/template id")
        _check_unique([p.id for p in places], "place id")
        _check_unique([c.id for c in classes], "class id")
        return cls(agencies, templates, places, classes)

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
        hit = self._instance_surface.get(key)
        if hit:
            a, canonical = hit
            return self._org(a, "gazetteer-exact" if canonical else "place-prefix", 1.0 if canonical else 0.9)
        pp = self._resolve_place_prefix(key)
        if pp:
            return pp
        return self._fuzzy(key, jurisdiction)

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
        for raw in re.split(r"[、，,；;\s]+|(?<=[部局委办院厅署府])和", normalize_keep_space(text)):
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

    # ------------------------------------------------------------------ scanning
    def find_mentions(self, text: str, jurisdiction: str | None = None) -> list[Mention]:
        """Longest-match scan of ``text`` for agencies, instances, relative names and classes.

        Bare bodies (``数据局``) count only as list items right after a prefixed mention and a
        separator (``市通信管理局、数据局``).  Offsets are into ``text`` as given.
        """
        out: list[Mention] = []
        i, n = 0, len(text)
        last: Mention | None = None
        while i < n:
            hit = self._scan_trie.longest(text, i)
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

    def _org(self, a: Agency, method: str, conf: float) -> Resolution:
        return Resolution(a.id, a.name, "organization", a.level, a.jurisdiction, method, conf)

    def _body_org(self, p: Place, t: Template, body: str, method: str, conf: float) -> Resolution:
        """The instance of ``t`` at ``p``, named by the variant ``body`` belongs to when the place
        does not declare the body's real name (区科信局 → 海淀区科学技术和信息化局)."""
        a = self._instantiate(p, t)
        vname = self._variant_name.get((t.id, normalize(body)))
        declared = t.id in dict(p.names) or t.id in dict(p.same_as)
        if vname and not declared:
            return Resolution(a.id, p.name + vname, "organization", a.level, a.jurisdiction, method, conf)
        return self._org(a, method, conf)

    def _instantiate(self, p: Place, t: Template) -> Agency:
        redirect = dict(p.same_as).get(t.id)
        if redirect and redirect in self._templates and redirect != t.id:
            return self._instantiate(p, self._templates[redirect])
        aid = f"{p.id}-{t.id}"
        a = self._instances.get(aid)
        if a is not None:
            return a
        short = p.short[0] if p.short else p.name
        name = t.name_format.format(place=p.name, short=short) if t.name_format else p.name + t.name
        real = dict(p.names).get(t.id)
        if real:
            name = p.name + real
        parent = t.parent
        if t.parent_template:
            parent = f"{p.id}-{t.parent_template}"
        aliases = _dedupe([p.name + b for b in (*t.bodies, *(vb for vb, v in t.variant_bodies() if v == real))
                           if p.name + b != name]
                          + [f.format(place=p.name, short=short) for f in t.alias_formats])
        a = Agency(id=aid, name=name, level=p.level, jurisdiction=p.name, aliases=aliases, type=t.type,
                   parent=parent, template=t.id)
        self._instances[aid] = a
        return a

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

    def _place_for(self, jurisdiction: str | None) -> Place | None:
        if not jurisdiction:
            return None
        p = self.place(jurisdiction)
        if p is not None:
            return p
        return _adhoc_place(normalize(jurisdiction))

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
            if not _UNLISTED_BODY.fullmatch(rest) or rest in self._bodies:
                return None  # a listed body that does not exist at this level (区通信管理局) stays unknown
            p = self._place_for(jurisdiction)
            target = self._ancestor(p, kinds) if p else None
            if target is None:
                return None
            return Resolution("", target.name + rest, "organization", target.level, target.name,
                              "jurisdiction-prefix-unlisted", 0.5)
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


def normalize_keep_space(text: str) -> str:
    return text.replace("(", "（").replace(")", "）").replace("*", "").replace("#", "")


def _follows_list_sep(text: str, prev_end: int, i: int) -> bool:
    between = text[prev_end:i]
    return between in ("、", "和", "及", "以及", "，", ",") and between != ""


def _ends_cleanly(text: str, end: int) -> bool:
    """A bare list item must not run on into a longer word (数据局 ok, 移动物联网 not)."""
    if end >= len(text):
        return True
    return text[end] in "、，,；;。和及等）)：:\n 　要应将须需负牵配会分" or text[end:end + 1] in ("公", "分")


@functools.lru_cache(maxsize=512)
def _adhoc_place(name: str) -> Place | None:
    """A place not in places.yaml, its kind and level read from its suffix (汕头市 → prefectural)."""
    if len(name) < 2 or len(name) > 9:
        return None
    pid = "x-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    if name.endswith("自治区"):
        return Place(pid, name, "provincial", "autonomous_region")
    if name.endswith("省"):
        return Place(pid, name, "provincial", "province")
    if name.endswith(("市", "自治州")):
        return Place(pid, name, "prefectural", "city")
    if name.endswith("区"):
        return Place(pid, name, "county", "district")
    if name.endswith(("县", "旗")):
        return Place(pid, name, "county", "county")
    return None


def _with_general_offices(agencies: list[Agency]) -> list[Agency]:
    """Every national ministry/commission gets a ``<name>办公厅`` entry unless one is listed."""
    names = {a.name for a in agencies}
    ids = {a.id for a in agencies}
    out = list(agencies)
    for a in agencies:
        if a.level != "national" or a.type not in ("ministry", "commission"):
            continue
        name = a.name + "办公厅"
        aid = a.id + "-general-office"
        if name in names or aid in ids:
            continue
        aliases = tuple(al + "办公厅" for al in (*a.aliases, *_derived(a.name)) if not al.startswith("中华人民共和国"))
        out.append(Agency(id=aid, name=name, level="national", jurisdiction=a.jurisdiction, aliases=aliases,
                          type="office", parent=a.id))
    return out


def _check_unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"duplicate {what}: {i}")
        seen.add(i)


@functools.lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer built from ``kg/ontology`` (compiled once per process)."""
    return Gazetteer.load()


__all__ = ["ActorClass", "Agency", "Gazetteer", "Mention", "Place", "Resolution", "Template",
           "default_gazetteer", "normalize"]
