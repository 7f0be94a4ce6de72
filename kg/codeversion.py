"""Which code a stored result depends on, as a digest: a new version of that code recomputes the result, and
only that result.

A document's graph depends on the modules that read, clean, segment, extract and write it — the modules
:data:`kg.build.PIPELINE_ROOTS` import, directly or through others, at module level or inside a function —
and on the ontology's data files.  The query layer, the app, the CLI, evaluation and the steps derived across
documents (lineage, target links: their graphs carry versions of their own, :func:`kg.lineage.align_version`)
are not among them, so a new version of those does not re-extract every document of a store.

The imports are read from the source, not from ``sys.modules``: a module imported only inside a function
counts as well, and nothing is imported to find out.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ONTOLOGY_DIR = PACKAGE_DIR / "ontology"
#: the ontology's data files (every one counts: which extractor reads which is not worth tracking)
DATA_SUFFIXES = (".ttl", ".yaml", ".txt", ".json", ".jsonld", ".csv")


def _path(module: str) -> Path | None:
    """The source file of a module of the package (``kg.extract.targets`` → kg/extract/targets.py)."""
    parts = module.split(".")[1:]
    p = PACKAGE_DIR.joinpath(*parts)
    if (p / "__init__.py").is_file():
        return p / "__init__.py"
    if p.with_suffix(".py").is_file():
        return p.with_suffix(".py")
    return None


# ``from .x import a, b`` / ``from kg.x import (a, b)`` / ``import kg.x``, at any indentation (inside a function
# too).  A line of a docstring that reads like an import counts as well: a module too many only means a digest
# that changes more often than it must.
_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(?P<base>\.+[\w.]*|kg(?:\.\w+)*)[ \t]+import[ \t]+(?P<names>\([^)]*\)|[^\n#]+)"
                     r"|import[ \t]+(?P<mods>kg(?:\.\w+)*(?:[ \t]*,[ \t]*kg(?:\.\w+)*)*))", re.M)


def _imports(module: str, source: Path) -> list[str]:
    """The package's modules that ``module`` imports anywhere in its source (``from .x import y``: ``kg.x`` and,
    when ``y`` is a module, ``kg.x.y``).  Read with a pattern, not parsed: parsing every module took half a
    second, and every build pays it."""
    package = module.split(".") if source.name == "__init__.py" else module.split(".")[:-1]
    out: list[str] = []
    for m in _IMPORT.finditer(source.read_text(encoding="utf-8")):
        if m.group("mods"):
            out.extend(x.strip() for x in m.group("mods").split(","))
            continue
        base = m.group("base")
        if base.startswith("."):
            dots = len(base) - len(base.lstrip("."))
            rest = base[dots:]
            base = ".".join(package[:len(package) - dots + 1] + ([rest] if rest else []))
        out.append(base)
        names = m.group("names").strip("() \t\n\\")
        out.extend(f"{base}.{n.split()[0]}" for n in names.replace("\n", ",").split(",") if n.strip())
    return [m for m in out if (m == "kg" or m.startswith("kg.")) and _path(m) is not None]


@lru_cache(maxsize=None)
def module_closure(roots: tuple[str, ...]) -> tuple[str, ...]:
    """The modules of the package ``roots`` import, directly or not, with the roots and the packages above
    each (their ``__init__`` runs first), sorted."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        source = _path(m)
        if source is None:
            raise ValueError(f"no module {m} in {PACKAGE_DIR}")
        seen.add(m)
        parts = m.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))
        todo.extend(_imports(m, source))
    return tuple(sorted(seen))


@lru_cache(maxsize=None)
def code_version(roots: tuple[str, ...], extra: tuple[str, ...] = ()) -> str:
    """A digest of the source of :func:`module_closure` of ``roots``, of the ``extra`` modules (their own
    source only, not what they import) and of the ontology's data files."""
    files = {_path(m) for m in module_closure(roots)} | {_path(m) for m in extra}
    if None in files:
        raise ValueError(f"no module among {extra} in {PACKAGE_DIR}")
    files |= {p for p in ONTOLOGY_DIR.rglob("*") if p.is_file() and p.suffix in DATA_SUFFIXES}
    h = hashlib.sha256()
    for p in sorted(files):
        h.update(str(p.relative_to(PACKAGE_DIR)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]
