"""SHACL validation of the built graph with pySHACL (shapes in kg/ontology/shapes.ttl, no network)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from .export import _to_rdflib
from .store import GraphStore

ONTOLOGY = Path(__file__).resolve().parent / "ontology"


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[dict]
    triples: int
    text: str


def load_shapes() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY / "shapes.ttl", format="turtle")
    return g


def load_ontology() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY / "policy.ttl", format="turtle")
    return g


def validate_store(store: GraphStore) -> ValidationReport:
    data = Graph()
    for q in store.quads():
        data.add((_to_rdflib(q.subject), _to_rdflib(q.predicate), _to_rdflib(q.object)))
    return validate_graph(data)


def validate_graph(data: Graph) -> ValidationReport:
    from pyshacl import validate

    conforms, report_graph, text = validate(
        data, shacl_graph=load_shapes(), ont_graph=load_ontology(), inference="none",
        advanced=True, allow_warnings=True, abort_on_first=False,
    )
    SH = "http://www.w3.org/ns/shacl#"
    q = f"""SELECT ?focus ?path ?msg ?sev WHERE {{ ?r a <{SH}ValidationResult> ; <{SH}focusNode> ?focus ;
            <{SH}resultSeverity> ?sev . OPTIONAL {{ ?r <{SH}resultPath> ?path }} OPTIONAL {{ ?r <{SH}resultMessage> ?msg }} }}"""
    violations = [{"focus": str(r.focus), "path": str(r.path) if r.path else None,
                   "message": str(r.msg) if r.msg else None, "severity": str(r.sev).rsplit("#", 1)[-1]}
                  for r in report_graph.query(q)]
    violations.sort(key=lambda v: (v["focus"], v["path"] or "", v["message"] or ""))
    return ValidationReport(bool(conforms), violations, len(data), text)
