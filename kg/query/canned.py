"""Canned SPARQL queries: ``kg/query/sparql/*.rq``, each with a Chinese title and description.

A canned query is a plain SPARQL 1.1 file that runs as it is (``kg sparql --file F``) on the union of
all graphs with the store's predeclared prefixes.  Its header says what it is::

    # title: 按层级列出文件
    # description: 语料中的文件按层级排列……
    # param: level (string) 层级：national | provincial …（默认：所有层级）

A parameter is a one-variable ``VALUES ?level { UNDEF }`` line in the query (``UNDEF``: no
restriction) or with a default value (``VALUES ?min_score { 0.6 }``); :func:`render` replaces that
block with the value given.  Types: ``iri``, ``string``, ``integer``, ``decimal``, ``gYear``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KGError

SPARQL_DIR = Path(__file__).resolve().parent / "sparql"

_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(r"^(\w+)\s*(?:\((iri|string|integer|decimal|gYear)\))?\s*(.*)$")
_IRI_OK = re.compile(r'^[a-z][a-z0-9+.\-]*:[^<>"{}|^`\\\x00-\x20]*$', re.I)
_XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str


@dataclass(frozen=True)
class CannedQuery:
    name: str
    title: str
    description: str
    text: str
    path: Path
    params: tuple[Param, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "description": self.description, "file": str(self.path),
                "params": [{"name": p.name, "type": p.type, "description": p.description} for p in self.params]}


def parse(text: str, name: str = "query", path: Path | None = None) -> CannedQuery:
    """Read a canned query's header (the leading ``#`` lines)."""
    meta: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        s = line.strip()
        if not s:
            continue
        if not s.startswith("#"):
            break
        m = _HEADER.match(s)
        if not m:
            continue
        key, value = m.groups()
        if key == "param":
            pm = _PARAM.match(value)
            if not pm:
                raise KGError(f"预置查询 {name} 的参数行无法解析：{value}")
            params.append(Param(pm.group(1), pm.group(2) or "string", pm.group(3)))
        else:
            meta[key] = value
    missing = [k for k in ("title", "description") if not meta.get(k)]
    if missing:
        raise KGError(f"预置查询 {name} 缺少表头 {'、'.join('# ' + k + ':' for k in missing)}")
    for p in params:
        if not _values_block(p.name).search(text):
            raise KGError(f"预置查询 {name} 声明了参数 {p.name}，但查询中没有 VALUES ?{p.name} {{ … }}")
    return CannedQuery(name, meta["title"], meta["description"], text, path or Path(name), tuple(params))


def list_queries(directory: Path | None = None) -> list[CannedQuery]:
    """Every canned query, by name (the file name without ``.rq``)."""
    d = directory or SPARQL_DIR
    return [parse(f.read_text(encoding="utf-8"), f.stem, f) for f in sorted(d.glob("*.rq"))]


def load(name: str, directory: Path | None = None) -> CannedQuery:
    """One canned query by name (``lineage_chain`` or ``lineage_chain.rq``)."""
    stem = Path(name).name.removesuffix(".rq")
    d = directory or SPARQL_DIR
    f = d / f"{stem}.rq"
    if not re.fullmatch(r"[\w\-]+", stem) or not f.is_file():
        names = ", ".join(q.name for q in list_queries(d))
        raise KGError(f"没有名为“{name}”的预置查询；可选：{names}")
    return parse(f.read_text(encoding="utf-8"), stem, f)


def _values_block(var: str) -> re.Pattern:
    return re.compile(r"VALUES\s+\?" + re.escape(var) + r"\s*\{[^{}]*\}", re.I)


def _term(value, typ: str) -> str:
    s = str(value).strip()
    if typ == "iri":
        if not _IRI_OK.match(s):
            raise KGError(f"不是有效的 IRI：{s}")
        return f"<{s}>"
    if typ in ("integer", "gYear"):
        if not re.fullmatch(r"[+-]?\d+", s):
            raise KGError(f"应为整数：{s}")
        return f'"{int(s):04d}"^^<{_XSD}gYear>' if typ == "gYear" else str(int(s))
    if typ == "decimal":
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", s):
            raise KGError(f"应为数字：{s}")
        return s if "." in s else s + ".0"
    esc = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{esc}"'


def render(q: CannedQuery, **values) -> str:
    """The query text with the given parameters bound (``None`` keeps the file's default)."""
    known = {p.name: p for p in q.params}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise KGError(f"预置查询 {q.name} 没有参数 {', '.join(unknown)}；可用参数：{', '.join(known) or '无'}")
    text = q.text
    for name, value in values.items():
        if value is None:
            continue
        term = _term(value, known[name].type)
        text = _values_block(name).sub(lambda _m, n=name, t=term: f"VALUES ?{n} {{ {t} }}", text, count=1)
    return text
