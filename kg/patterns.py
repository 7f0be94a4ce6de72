"""Named regex fragments, loaded once from ``kg/ontology/patterns.yaml``, references expanded.

A fragment may use another as ``{name}`` (see the header of patterns.yaml); the numeral character
classes come from ``kg/ontology/numerals.yaml``.  Modules never copy a fragment: they ask for it.

>>> bool(pattern("date_line").match("二〇二一年十二月十二日"))
True
>>> pattern("doc_number").search("根据国发〔2024〕7号文件").group("serial")
'7'
>>> compile_template(r"^{year4}年$").pattern.startswith("^(?:")
True
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from kg.yamlio import loads_yaml

from kg.numerals import char_classes

PATTERNS_FILE = Path(__file__).resolve().parent / "ontology" / "patterns.yaml"

def alternation(words) -> str:
    """A regex alternation of literal words, longest first (so 提升至 wins over 提升), ties sorted."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@lru_cache(maxsize=1)
def doc_types() -> dict:
    """kg/ontology/doc_types.yaml: the 文种 (``official``), plan genres (``genres``), issuer shorthand."""
    with open(PATTERNS_FILE.parent / "doc_types.yaml", encoding="utf-8") as fh:
        return loads_yaml(fh.read())


def doc_kinds() -> str:
    """A regex alternation of every 文种 and genre word that can end a title, longest first."""
    t = doc_types()
    return alternation(set(t["official"]) | set(t["genres"]))


_REF = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class PatternError(ValueError):
    """A fragment refers to a name that is not defined, or refers to itself through others."""


def build_table(raw: Mapping[str, str | list], builtins: Mapping[str, str] | None = None,
                source: str = "patterns.yaml") -> dict[str, str]:
    """Every fragment of ``raw`` with its references expanded (lists become literal alternations)."""
    defs: dict[str, str] = {}
    for name, v in raw.items():
        if isinstance(v, (list, tuple)):
            defs[str(name)] = f"(?:{alternation(str(w) for w in v)})"
        elif isinstance(v, str):
            defs[str(name)] = v
        else:
            raise PatternError(f"fragment {name!r} in {source} must be a string or a list, not {type(v).__name__}")
    done: dict[str, str] = dict(builtins or {})
    clash = sorted(set(done) & set(defs))
    if clash:
        raise PatternError(f"fragment(s) {', '.join(clash)} in {source} shadow built-in names")

    def resolve(name: str, chain: tuple[str, ...]) -> str:
        if name in done:
            return done[name]
        if name in chain:
            raise PatternError(f"fragment cycle in {source}: {' -> '.join(chain + (name,))}")
        if name not in defs:
            raise PatternError(
                f"fragment {chain[-1]!r} in {source} refers to {{{name}}}, which is not defined" if chain
                else f"no fragment named {name!r} in {source}")
        out = _REF.sub(lambda m: resolve(m.group(1), chain + (name,)), defs[name])
        done[name] = out
        return out

    for name in defs:
        resolve(name, ())
    return {k: done[k] for k in [*(builtins or {}), *defs]}


@lru_cache(maxsize=1)
def _raw() -> dict:
    with open(PATTERNS_FILE, encoding="utf-8") as fh:
        return (loads_yaml(fh.read()) or {}).get("fragments") or {}


@lru_cache(maxsize=1)
def front_matter_keys() -> dict[str, tuple[str, ...]]:
    """Header field → the English front-matter keys that give it (patterns.yaml ``front_matter_keys``)."""
    with open(PATTERNS_FILE, encoding="utf-8") as fh:
        d = (loads_yaml(fh.read()) or {}).get("front_matter_keys") or {}
    return {str(k): tuple(str(x) for x in v) for k, v in d.items()}


@lru_cache(maxsize=None)
def fragments() -> dict[str, str]:
    """name → expanded regex source, for every fragment of patterns.yaml and the built-ins: the numeral
    character classes and ``doc_kinds`` (every 文种 and genre word of doc_types.yaml)."""
    return build_table(_raw(), {**char_classes(), "doc_kinds": doc_kinds()})


def fragment_list(name: str) -> list[str]:
    """The words of a list fragment of patterns.yaml, as written (for code that builds its own regex)."""
    v = _raw().get(name)
    if not isinstance(v, list):
        raise PatternError(f"no list fragment named {name!r} in patterns.yaml")
    return [str(w) for w in v]


def fragment(name: str) -> str:
    """The expanded regex source of fragment ``name``."""
    table = fragments()
    if name not in table:
        raise PatternError(f"no fragment named {name!r} in patterns.yaml")
    return table[name]


def expand(template: str, table: Mapping[str, str] | None = None) -> str:
    """``template`` with every ``{name}`` replaced by its fragment (an unknown name is an error)."""
    table = fragments() if table is None else table

    def sub(m: re.Match) -> str:
        if m.group(1) not in table:
            raise PatternError(f"template {template!r} refers to {{{m.group(1)}}}, which is not defined")
        return table[m.group(1)]

    return _REF.sub(sub, template)


@lru_cache(maxsize=None)
def pattern(name: str, flags: int = 0) -> re.Pattern[str]:
    """Fragment ``name``, compiled (once)."""
    return re.compile(fragment(name), flags)


@lru_cache(maxsize=None)
def compile_template(template: str, flags: int = 0) -> re.Pattern[str]:
    """A regex written with fragment references, compiled (once)."""
    return re.compile(expand(template), flags)


__all__ = ["PATTERNS_FILE", "PatternError", "build_table", "compile_template", "expand", "fragment", "fragments",
           "pattern"]
