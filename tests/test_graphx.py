"""The networkx projection (kg/query/graphx.py) and ``kg export --format graphml``."""
from __future__ import annotations

import io
import random

import networkx as nx
import pytest
from rdflib import Literal, URIRef

from kg.export import export
from kg.query import graphx
from kg.query.docs import list_docs
from kg.store import GraphStore

BASE = "https://policykg.example/"
PLAN = f"{BASE}doc/2026-hu-tongxinguanfa-5-wuzhihulian-iot-action-plan"
NOTICE = f"{BASE}doc/2024-gongxinting-tongxin-52-mobile-iot-notice"


@pytest.fixture(scope="module")
def G(built_store):
    return graphx.projection(built_store)


def test_nodes_cover_documents_clauses_agencies_and_targets(G, built_store):
    kinds = nx.get_node_attributes(G, "kind")
    docs = list_docs(built_store)
    assert {d["iri"] for d in docs} == {n for n, k in kinds.items() if k == "document"}
    for d in docs:
        attrs = G.nodes[d["iri"]]
        assert attrs["label"] == d["title"] and attrs.get("level") == d["level"]
        # every clause of the document hangs under it through has_part
        clauses = {n for n in nx.descendants(G.edge_subgraph(
            [(u, v, k) for u, v, k, e in G.edges(keys=True, data=True) if e["kind"] == "has_part"]), d["iri"])}
        assert len(clauses) == d["clause_count"], d["id"]
    assert {"external", "clause", "agency", "target"} <= set(kinds.values())
    assert all(G.nodes[n].get("label") for n in G)


def test_edges_carry_links_parties_and_targets(G):
    by_kind: dict[str, list] = {}
    for u, v, k, e in G.edges(keys=True, data=True):
        by_kind.setdefault(e["kind"], []).append((u, v, k, e))
    assert {"has_part", "link", "party", "states"} <= set(by_kind)
    link = [e for u, v, _, e in by_kind["link"] if u == PLAN and v == NOTICE]
    assert link and link[0]["relation"] == "applies" and link[0]["method"] and 0 < link[0]["confidence"] <= 1
    for u, v, _, e in by_kind["party"]:
        assert G.nodes[u]["kind"] == "clause" and G.nodes[v]["kind"] in ("agency", "actor_class")
        assert e["role"] in ("lead", "co", "actor", "implied")
    for u, v, _, e in by_kind.get("alignment", []):
        assert G.nodes[u]["kind"] == G.nodes[v]["kind"] == "clause" and 0 <= e["score"] <= 1
    for u, v, _, e in by_kind.get("target_link", []):
        assert G.nodes[u]["kind"] == G.nodes[v]["kind"] == "target"


def test_upstream_paths_and_neighbourhood(G):
    paths = graphx.upstream_paths(G, PLAN)
    assert paths and all(p[0] == PLAN for p in paths)
    assert any(p[1] == NOTICE for p in paths)
    for p in paths:
        assert len(set(p)) == len(p)  # simple paths: a cycle ends a chain
        for a, b in zip(p, p[1:]):
            assert any(e["kind"] == "link" for e in G.get_edge_data(a, b).values())
    assert graphx.upstream_paths(G, f"{BASE}doc/nowhere") == []
    hood = graphx.neighbourhood(G, NOTICE, 1)
    assert NOTICE in hood and PLAN in hood  # one hop, whichever direction
    assert all(nx.shortest_path_length(hood.to_undirected(), NOTICE, n) <= 1 for n in hood)
    assert graphx.neighbourhood(G, NOTICE, 2).number_of_nodes() > hood.number_of_nodes()


def test_graphml_is_deterministic_and_reads_back(G, built_store):
    text = graphx.to_graphml(G)
    # the same graph built in another order gives the same bytes
    H = nx.MultiDiGraph()
    nodes = list(G.nodes(data=True))
    edges = list(G.edges(keys=True, data=True))
    random.Random(7).shuffle(nodes)
    random.Random(8).shuffle(edges)
    H.add_nodes_from(nodes)
    for u, v, k, d in edges:
        H.add_edge(u, v, key=k, **d)
    assert graphx.to_graphml(H) == text
    assert graphx.to_graphml(graphx.build_graph(built_store)) == text
    back = nx.read_graphml(io.BytesIO(text.encode("utf-8")), force_multigraph=True)
    assert back.number_of_nodes() == G.number_of_nodes() and back.number_of_edges() == G.number_of_edges()
    assert back.nodes[PLAN]["kind"] == "document"
    assert export(built_store, "graphml") == text  # kg export --format graphml


def test_graphml_needs_scalars_and_gets_them():
    H = nx.MultiDiGraph()
    H.add_node("a", label="甲", tags=["y", "x"], none=None, n=1)
    H.add_node("b", label="乙", n=2.5)
    H.add_edge("a", "b", key="k", kind="link", confidence=0.5)
    text = graphx.to_graphml(H)
    back = nx.read_graphml(io.BytesIO(text.encode("utf-8")), force_multigraph=True)
    assert back.nodes["a"]["tags"] == "x; y" and "none" not in back.nodes["a"]
    assert back.nodes["a"]["n"] == 1.0 and back.nodes["b"]["n"] == 2.5  # int + float → double


def test_the_projection_is_cached_per_store_state():
    store = GraphStore(None, BASE)
    g = URIRef(f"{BASE}graph/test")
    doc = URIRef(f"{BASE}doc/a")
    rdf_type = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    store.replace_graph(g, [(doc, rdf_type, URIRef("https://policykg.example/ns#SourceDocument")),
                            (doc, URIRef("https://policykg.example/ns#documentId"), Literal("a"))])
    first = graphx.projection(store)
    assert graphx.projection(store) is first  # unchanged store: the cached graph
    assert first.nodes[str(doc)]["kind"] == "document"
    store.replace_graph(g, [(doc, rdf_type, URIRef("https://policykg.example/ns#SourceDocument")),
                            (doc, URIRef("https://policykg.example/ns#documentId"), Literal("b"))])
    second = graphx.projection(store)
    assert second is not first and second.nodes[str(doc)]["doc_id"] == "b"
