"""kg validate: the compiled SHACL engine (kg/validate.py) against pySHACL, the reference it replaces.

The seed store is copied and broken on purpose — in one document's graph and across graphs (a link
to an untyped document, an organisation given a second name in another document's graph, an alignment
pointing at a fact) — and both engines must report the same violations (focus, path, message,
severity; pySHACL prints ``sh:in`` lists in set order, so those lists are compared as sets)."""
from __future__ import annotations

import re
import shutil
from collections import Counter

import pytest
from rdflib import Graph

from kg.export import _to_rdflib
from kg.store import GraphStore
from kg.validate import validate_graph, validate_graph_pyshacl, validate_store

from conftest import BASE

KG = "https://policykg.example/ns#"
B = "https://policykg.example/"

BREAK = f"""
PREFIX kg: <{KG}>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
DELETE {{ GRAPH ?g {{ ?d eli:title ?t }} }} WHERE {{ GRAPH ?g {{ ?d a kg:SourceDocument ; kg:documentId "2024-gongxinting-tongxin-52-mobile-iot-notice" ; eli:title ?t }} }} ;
DELETE {{ GRAPH ?g {{ ?d kg:clauseCount ?n }} }} INSERT {{ GRAPH ?g {{ ?d kg:clauseCount "many" ; kg:level "galactic" }} }}
  WHERE {{ GRAPH ?g {{ ?d a kg:SourceDocument ; kg:documentId "2021-gongxinbu-lianke-130-iot-infrastructure-plan" ; kg:clauseCount ?n }} }} ;
INSERT {{ GRAPH ?g {{ ?b rdfs:label ?l }} }} WHERE {{
  {{ SELECT ?g ?a ?b WHERE {{ GRAPH ?g {{ ?a a kg:Clause ; kg:position 1 ; kg:inDocument ?d . ?b a kg:Clause ; kg:position 2 ; kg:inDocument ?d }} }} LIMIT 1 }}
  GRAPH ?g {{ ?a rdfs:label ?l }} }} ;
INSERT {{ GRAPH ?g {{ ?f kg:spanStart 999999 ; kg:confidence 1.5 }} }} WHERE {{
  {{ SELECT ?g ?f WHERE {{ GRAPH ?g {{ ?f a kg:Target }} }} ORDER BY ?f LIMIT 1 }} }} ;
INSERT DATA {{ GRAPH <{B}graph/links> {{
  <{B}link/broken> a kg:Link ; kg:linkSource <{B}doc/2026-hu-tongxinguanfa-5-wuzhihulian-iot-action-plan> ;
    kg:linkTarget <{B}doc/nowhere> ; kg:relation "applies" ; kg:method "doc-number" ; kg:confidence 0.9 ;
    <http://www.w3.org/ns/prov#wasDerivedFrom> <{B}nothing> . }} }} ;
INSERT DATA {{ GRAPH <{B}graph/2024-gongxinting-tongxin-52-mobile-iot-notice> {{
  <{B}agency/miit> skos:prefLabel "信息产业部"@zh . }} }} ;
INSERT {{ GRAPH <{B}graph/review> {{ <{B}review/x> a kg:Review ; kg:reviewOf ?a ; kg:reviewState "maybe" .
  ?a kg:sourceClause ?f }} }} WHERE {{
  {{ SELECT ?a WHERE {{ GRAPH ?g1 {{ ?a a kg:ClauseAlignment }} }} ORDER BY ?a LIMIT 1 }}
  {{ SELECT ?f WHERE {{ GRAPH ?g2 {{ ?f a kg:Target }} }} ORDER BY ?f LIMIT 1 }} }}
"""


def _norm(vs):
    def msg(m):  # "Value … not in list [a, b]": pySHACL lists a set, in any order
        return re.sub(r"not in list \[(.*)\]$", lambda x: "not in list " + str(sorted(x.group(1).split(", "))), m or "")

    return Counter((v["focus"], v["path"], msg(v["message"]), v["severity"]) for v in vs)


def _rdflib(store: GraphStore) -> Graph:
    g = Graph()
    for q in store.quads():
        g.add((_to_rdflib(q.subject), _to_rdflib(q.predicate), _to_rdflib(q.object)))
    return g


def test_seed_store_conforms_and_counts_the_union(built_store):
    rep = validate_store(built_store)
    assert rep.conforms, rep.violations[:5]
    assert rep.triples == len(_rdflib(built_store))  # distinct triples of the union, the manifest excepted


@pytest.fixture(scope="module")
def broken_store(built_store, tmp_path_factory):
    path = tmp_path_factory.mktemp("broken")
    shutil.copytree(built_store.path, path, dirs_exist_ok=True)
    store = GraphStore(path, BASE)
    store._run(True, lambda st: st.update(BREAK))
    return store


def test_broken_store_same_violations_as_pyshacl(broken_store):
    rep = validate_store(broken_store)
    ref = validate_graph_pyshacl(_rdflib(broken_store))
    assert not rep.conforms and not ref.conforms
    assert _norm(rep.violations) == _norm(ref.violations)
    assert rep.triples == ref.triples
    found = {(v["path"] or "").rsplit("#", 1)[-1] for v in rep.violations}
    # in one document, across documents (the link's target, the organisation's two names), in the review graph
    for p in ("title", "clauseCount", "level", "spanStart", "confidence", "linkTarget", "prefLabel",
              "sourceClause", "reviewState", ""):
        assert p in found, (p, sorted(found))
    assert any("条款标签重复" in (v["message"] or "") for v in rep.violations)
    assert "Conforms: False" in rep.text


def test_many_candidates_are_checked_against_the_focus_nodes_read_once(broken_store, monkeypatch):
    """Above ``IN_FOCUS_VALUES`` candidates the focus nodes are read and intersected in Python instead of a VALUES
    join in the store (a predicate shared by classes with more values, at scale): the same report either way."""
    import kg.validate as v

    ref = validate_store(broken_store)
    monkeypatch.setattr(v, "IN_FOCUS_VALUES", 0)
    rep = validate_store(broken_store)
    assert not rep.conforms and rep.text == ref.text
    assert rep.violations == ref.violations


def test_graph_api_matches_pyshacl_on_a_small_broken_graph():
    from rdflib import Literal, Namespace, RDF, URIRef

    K = Namespace(KG)
    g = Graph()
    d = URIRef(B + "doc/x")
    g.add((d, RDF.type, K.SourceDocument))
    g.add((d, K.level, Literal("galactic")))
    g.add((d, K.sha256, Literal("nothex")))
    rep, ref = validate_graph(g), validate_graph_pyshacl(g)
    assert _norm(rep.violations) == _norm(ref.violations) and len(rep.violations) >= 3


def test_unsupported_shacl_is_refused(monkeypatch, tmp_path):
    import kg.validate as V

    (tmp_path / "shapes.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix kg: <https://policykg.example/ns#> .\n"
        "kg:S a sh:NodeShape ; sh:targetClass kg:Clause ; sh:closed true .\n", encoding="utf-8")
    monkeypatch.setattr(V, "ONTOLOGY", tmp_path)
    V.compiled_shapes.cache_clear()
    try:
        with pytest.raises(ValueError, match="not implemented"):
            V.compiled_shapes()
    finally:
        monkeypatch.undo()
        V.compiled_shapes.cache_clear()
