"""Data types of the gazetteer and the small helpers every part of it shares."""
from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .grammar import PLACE_SUFFIXES, RELATIVE

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"

# Relative prefixes, longest first, and the place kinds each may point at (org_grammar.yaml).
_RELATIVE = RELATIVE
_WS = re.compile(r"[\s\u3000*#]+")
_PLACE_SUFFIX = re.compile(r"^(.{1,8}?(?:%s))" % "|".join(re.escape(s) for s, _, _ in PLACE_SUFFIXES))


def normalize(text: str) -> str:
    """Mention key: whitespace and markdown debris removed, ASCII brackets made full-width."""
    return _WS.sub("", text).replace("(", "（").replace(")", "）")


def normalize_keep_space(text: str) -> str:
    return text.replace("(", "（").replace(")", "）").replace("*", "").replace("#", "")


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
    # gazetteer-exact | gazetteer-alias | jurisdiction-prefix | place-prefix | list-prefix | fuzzy |
    # jurisdiction-prefix-unlisted | org-grammar (a name the gazetteer does not list, read by the grammar)
    method: str
    confidence: float
    org_type: str | None = None  # government | party | enterprise | institution | association (grammar or gazetteer type)


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


@functools.lru_cache(maxsize=512)
def _a_division(name: str) -> bool:
    """A division's full name (GB/T 2260), however long (湘西土家族苗族自治州)."""
    from kg.divisions import named

    return any(d.name == name for d in named(name))


def _adhoc_place(name: str) -> Place | None:
    """A place not in places.yaml, its kind and level read from its suffix (汕头市 → prefectural)."""
    if len(name) < 2 or (len(name) > 9 and not _a_division(name)) or name.startswith(("国家", "国务院", "中国", "中央", "共青团")) \
            or re.search(r"[局委厅]|海关(?!区)", name):
        return None  # (国家税务总局嘉兴市, 共青团嘉兴市: a body's name and a place, no place of its own)
    pid = "x-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    for suffix, kind, level in PLACE_SUFFIXES:  # 自治区 before 区
        if name.endswith(suffix):
            return Place(pid, name, level, kind)
    return None


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
