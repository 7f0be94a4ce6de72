"""The fact schema (``kg/ontology/fact_schema.yaml``): each field of an extracted fact once, with its
predicate, datatype and comment.  The graph writer (:mod:`kg.graph`) and the query layer
(:mod:`kg.query.facts`) both derive their mapping from it.

Imports nothing from the pipeline or the store (the query layer reads it without loading the extractors)
and nothing from rdflib: predicates stay CURIEs (``kg:metric``) here, each side expands them its own way.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.yamlio import load_yaml

SCHEMA_FILE = Path(__file__).resolve().parent / "ontology" / "fact_schema.yaml"
DATATYPES = ("xsd:string", "rdf:langString", "xsd:integer", "xsd:decimal", "xsd:date", "xsd:gYear",
             "xsd:duration", "iri")
WRITERS = ("facts", "code", "links")


@dataclass(frozen=True)
class Field:
    key: str
    predicate: str | None = None
    datatype: str | None = None
    comment: str = ""
    required: bool = False
    multi: bool = False
    via: str | None = None
    inverse: bool = False
    cls: str | None = None
    writer: str = "facts"
    computed: bool = False
    hidden: bool = False
    digits: int | None = None

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.key.split("."))

    @property
    def var(self) -> str:
        """The SPARQL variable that reads it (``?v_baseline_value``): prefixed, so it never meets the
        query's own variables."""
        return "v_" + self.key.replace(".", "_")


@dataclass(frozen=True)
class Kind:
    name: str  # targets | deadlines | parties | refs (as facts are grouped)
    cls: str  # kg:Target …
    node: str  # the IRI's local part: {clause}/{node}_{start}_{end}
    fields: tuple[Field, ...]

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)


@dataclass(frozen=True)
class Schema:
    common: tuple[Field, ...]
    kinds: dict[str, Kind]


def _field(d: dict) -> Field:
    d = dict(d)
    if "class" in d:
        d["cls"] = d.pop("class")
    f = Field(**d)
    if f.computed:
        if f.predicate or f.datatype:
            raise ValueError(f"fact schema: computed field {f.key} has a predicate")
    elif not f.predicate or f.datatype not in DATATYPES:
        raise ValueError(f"fact schema: field {f.key}: predicate and a datatype of {DATATYPES} are required")
    if f.writer not in WRITERS:
        raise ValueError(f"fact schema: field {f.key}: writer must be one of {WRITERS}")
    return f


@lru_cache(maxsize=1)
def load(path: str | None = None) -> Schema:
    data = load_yaml(Path(path or SCHEMA_FILE))
    common = tuple(_field(d) for d in data["common"])
    kinds = {}
    for name, k in data["kinds"].items():
        fields = tuple(_field(d) for d in k["fields"])
        keys = [f.key for f in fields]
        if len(set(keys)) != len(keys):
            raise ValueError(f"fact schema: a field of {name} is listed twice")
        for f in fields:
            if f.via and f.via not in keys:
                raise ValueError(f"fact schema: {name}.{f.key} is via {f.via}, which is not a field")
        kinds[name] = Kind(name, k["class"], k["node"], fields)
    return Schema(common, kinds)


def value_at(fact: dict, path: tuple[str, ...]) -> Any:
    """``fact['baseline']['value']`` for ``('baseline', 'value')``, ``fact['span'][0]`` for ``('span', '0')``;
    None where anything on the way is missing."""
    v: Any = fact
    for part in path:
        if v is None:
            return None
        if isinstance(v, (list, tuple)):
            i = int(part)
            v = v[i] if i < len(v) else None
        else:
            v = v.get(part)
    return v


def present(v: Any) -> bool:
    """Is a value written?  Not for None, an empty string or list, or False; 0 is a value."""
    return v is not None and v is not False and v != "" and v != [] and v != {}
