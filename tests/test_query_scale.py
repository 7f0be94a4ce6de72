"""The query layer's reads that scale with the store (kg/query/facts.py, clauses.py, lineage.py): a document's facts
read inside its named graph, several documents' clauses inside their graphs, targets read by IRI — each gives the
rows the plain union-of-graphs form gives (the form they replace; bench/RESULTS.md has the timings)."""
from __future__ import annotations

import pytest

from kg.iris import IRIs
from kg.query import clauses as cq
from kg.query import docs as dq
from kg.query import facts as fq


@pytest.fixture(scope="module")
def store(built_store):
    return built_store


@pytest.fixture(scope="module")
def docs(store):
    return dq.list_docs(store)


def test_a_documents_graph_is_named_from_its_iri():
    iris = IRIs("https://policykg.example/")
    doc = iris.doc("沪府办发〔2024〕5号/附件")
    assert iris.graph_of_doc(str(doc)) == iris.graph("沪府办发〔2024〕5号/附件")
    assert iris.graph_of_doc(str(iris.clause("d1", "一"))) is None  # a clause, not a document
    assert iris.graph_of_doc("https://other.example/doc/d1") is None
    assert iris.graph_of_doc("https://policykg.example/doc/") is None


@pytest.mark.parametrize("kind", ["targets", "deadlines", "parties", "refs"])
def test_a_documents_facts_read_in_its_graph_are_those_of_the_union(store, docs, kind, monkeypatch):
    in_graph = {d["iri"]: fq.facts_of(kind, store, d["iri"]) for d in docs}
    monkeypatch.setattr(fq, "_doc_graph", lambda *a: None)  # the union of the graphs, as before
    union = {d["iri"]: fq.facts_of(kind, store, d["iri"]) for d in docs}
    assert in_graph == union
    assert any(in_graph.values())


def test_some_fields_read_in_a_documents_graph_are_those_of_the_union(store, docs, monkeypatch):
    keys = ("value", "unit", "metric", "deadline_year")
    in_graph = [fq.fields_of("targets", store, keys, d["iri"]) for d in docs]
    monkeypatch.setattr(fq, "_doc_graph", lambda *a: None)
    assert in_graph == [fq.fields_of("targets", store, keys, d["iri"]) for d in docs]


@pytest.mark.parametrize("kind", ["targets", "deadlines", "parties", "refs"])
def test_facts_read_by_iri_are_those_read_by_document(store, docs, kind):
    every = fq.facts_of(kind, store)
    picked = every[::3]
    assert len(picked) >= 3 and len({t["doc"] for t in picked}) >= 2
    wanted = {t["iri"] for t in picked}  # (a fact with two values of a node field is two rows: all of them)
    assert fq.facts_by_iri(kind, store, sorted(wanted)) == [t for t in every if t["iri"] in wanted]
    assert fq.facts_by_iri(kind, store, []) == []
    assert fq.facts_by_iri("targets", store, ["https://policykg.example/target/none"]) == []


def test_several_documents_clauses_read_in_their_graphs_are_those_of_the_union(store, docs, monkeypatch):
    iris = [d["iri"] for d in docs]
    in_graphs = cq.alignable_clauses(store, iris)
    assert in_graphs and sum(map(len, in_graphs.values())) > 20
    monkeypatch.setattr(store.iris, "graph_of_doc", lambda d: None)  # the union, bound by document
    assert cq.alignable_clauses(store, iris) == in_graphs
