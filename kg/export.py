"""Byte-stable exports: the same set of files gives the same bytes, whatever the build order."""
from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef

from .store import GraphStore
from .vocab import PREFIXES

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
FORMATS = ("turtle", "trig", "jsonld", "nt", "nq", "graphml")
CONTEXT_FILE = Path(__file__).resolve().parent / "ontology" / "context.jsonld"


def _to_rdflib(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:  # RDF 1.1: a simple literal is an xsd:string
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"blank nodes are not used in this graph: {term!r}")


def _nt_line(q: ox.Quad, with_graph: bool) -> str:
    s = str(ox.Triple(q.subject, q.predicate, q.object))
    if with_graph and isinstance(q.graph_name, ox.NamedNode):
        return f"{s} <{q.graph_name.value}> ."
    return f"{s} ."


def export(store: GraphStore, fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"未知格式 {fmt}；可选: {', '.join(FORMATS)}")
    if fmt == "graphml":  # the networkx projection (kg/query/graphx.py), nodes and edges sorted
        from .query.graphx import projection, to_graphml

        return to_graphml(projection(store))
    quads = store.quads()
    if fmt == "nt":
        return "".join(sorted({_nt_line(q, False) + "\n" for q in quads}))
    if fmt == "nq":
        return "".join(sorted({_nt_line(q, True) + "\n" for q in quads}))
    ordered = sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    if fmt == "turtle":
        g = Graph()
        for k, v in PREFIXES.items():
            g.bind(k, v)
        for q in ordered:
            g.add((_to_rdflib(q.subject), _to_rdflib(q.predicate), _to_rdflib(q.object)))
        return g.serialize(format="turtle")
    ds = Dataset()
    for k, v in PREFIXES.items():
        ds.bind(k, v)
    for q in ordered:
        gname = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None
        graph = ds.graph(URIRef(gname)) if gname else ds.default_graph
        graph.add((_to_rdflib(q.subject), _to_rdflib(q.predicate), _to_rdflib(q.object)))
    if fmt == "trig":
        return _trig(ordered)
    context = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    data = json.loads(ds.serialize(format="json-ld", context=context, auto_compact=True))
    return json.dumps(_sorted_jsonld(data), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _turtle_body(quads: list) -> str:
    g = Graph()
    for k, v in PREFIXES.items():
        g.bind(k, v)
    for q in quads:
        g.add((_to_rdflib(q.subject), _to_rdflib(q.predicate), _to_rdflib(q.object)))
    text = g.serialize(format="turtle")
    return "\n".join(line for line in text.splitlines() if not line.startswith("@prefix")).strip()


def _trig(ordered: list) -> str:
    """TriG written graph by graph in IRI order (rdflib's own TriG order depends on the hash seed)."""
    out = [f"@prefix {k}: <{v}> ." for k, v in sorted(PREFIXES.items())]
    by_graph: dict[str, list] = {}
    for q in ordered:
        key = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        by_graph.setdefault(key, []).append(q)
    for name in sorted(by_graph):
        body = _turtle_body(by_graph[name])
        out.append("")
        out.append(f"<{name}> {{" if name else "{")
        out.extend("    " + line if line else "" for line in body.splitlines())
        out.append("}")
    return "\n".join(out) + "\n"


def _sorted_jsonld(node):
    if isinstance(node, dict):
        return {k: _sorted_jsonld(v) for k, v in node.items()}
    if isinstance(node, list):
        items = [_sorted_jsonld(x) for x in node]
        return sorted(items, key=lambda x: json.dumps(x, ensure_ascii=False, sort_keys=True))
    return node
