"""One fact schema (kg/ontology/fact_schema.yaml) for the graph writer and the query layer, and the vocabulary
(kg/vocab.py) in agreement with the ontology (kg/ontology/policy.ttl)."""
from __future__ import annotations

import math
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib import namespace as rdfns

from kg import fact_schema
from kg.graph import doc_triples, term
from kg.pipeline import process_file, process_text
from kg.query import facts as qfacts
from kg.store import GraphStore
from kg.vocab import KG, KG_NS

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://policykg.example/"
TTL = ROOT / "kg" / "ontology" / "policy.ttl"

# a text that sets every kind of fact and most optional fields: a range, a baseline, a recurrence, a
# table target restated in the text (evidence), lead and co parties, a cited title and 文号
TEXT = """某某市算力基础设施提升行动方案（2026—2028年）

一、主要目标
到2028年，全市算力规模达到30EFLOPS，其中智能算力占比不低于60%。新建数据中心PUE不超过1.25。

二、重点任务
（一）网络建设。市通信管理局牵头，市经济信息化委配合，每年新增5G基站2000至3000个，5G用户普及率由2025年的70%提升至90%。
（二）应用推广。根据《某某市数字经济发展规划》（某政发〔2025〕3号）要求，2027年6月底前建成行业算力平台5个。

主要指标表
序号	指标名称	单位	现状值（2025年）	目标值（2028年）
1	新建数据中心PUE	-	1.4	≤1.25
"""


@pytest.fixture(scope="module")
def ttl():
    return Graph().parse(TTL, format="turtle")


@pytest.fixture(scope="module")
def docs():
    return [process_text(TEXT, name="schema-plan.txt"),
            process_file(ROOT / "corpus" / "2026-hu-tongxinguanfa-5-wuzhihulian-iot-action-plan.txt")]


def _kg_types(ttl) -> dict[str, set]:
    out: dict[str, set] = {}
    for s, o in ttl.subject_objects(RDF.type):
        if str(s).startswith(KG_NS):
            out.setdefault(str(s)[len(KG_NS):], set()).add(o)
    return out


def test_vocab_and_ontology_declare_the_same_terms_with_the_right_type(ttl):
    declared = _kg_types(ttl)
    vocab = list(KG.__annotations__)
    assert sorted(set(vocab) - set(declared)) == [], "kg: terms in vocab.py that policy.ttl does not declare"
    assert sorted(set(declared) - set(vocab)) == [], "kg: terms in policy.ttl that vocab.py lacks"
    for name in vocab:
        types = declared[name]
        if name[0].isupper():
            assert OWL.Class in types, (name, types)
        else:
            assert types & {OWL.DatatypeProperty, OWL.ObjectProperty}, (name, types)
            assert not {OWL.DatatypeProperty, OWL.ObjectProperty} <= types, (name, types)


def test_every_kg_term_the_graph_writer_uses_is_declared_with_the_right_type(ttl, docs):
    declared = _kg_types(ttl)
    seen_props: set[str] = set()
    for doc in docs:
        _, triples = doc_triples(doc, BASE, "test")
        for s, p, o in triples:
            if str(p).startswith(KG_NS):
                name = str(p)[len(KG_NS):]
                seen_props.add(name)
                want = OWL.DatatypeProperty if isinstance(o, Literal) else OWL.ObjectProperty
                assert want in declared.get(name, set()), (name, o)
                rng = ttl.value(URIRef(p), RDFS.range)
                if isinstance(o, Literal) and rng is not None:
                    got = RDF.langString if o.language else (o.datatype or rdfns.XSD.string)
                    assert got == rng, (name, o, rng)
            if p == RDF.type and str(o).startswith(KG_NS):
                assert OWL.Class in declared.get(str(o)[len(KG_NS):], set()), o
    # the fact fields are all exercised by the two documents
    assert {"metric", "numericValue", "numericValueHigh", "baselineValue", "baselineYear", "deadline",
            "deadlineSource", "recurrence", "evidence", "agent", "role", "citedTitle", "citedNumber",
            "dateStart", "dateEnd", "cue"} <= seen_props


def test_every_kg_term_in_a_built_store_is_declared_with_the_right_type(ttl, built_store):
    """All writers (documents, links, lineage, versions, the manifest): a kg: predicate with a literal object
    is an owl:DatatypeProperty, with a node an owl:ObjectProperty; a kg: class is an owl:Class."""
    import pyoxigraph as ox

    declared = _kg_types(ttl)
    bad = set()
    for q in built_store.quads(include_manifest=True):
        p = q.predicate.value
        if p.startswith(KG_NS):
            want = OWL.DatatypeProperty if isinstance(q.object, ox.Literal) else OWL.ObjectProperty
            if want not in declared.get(p[len(KG_NS):], set()):
                bad.add((p[len(KG_NS):], str(want).split("#")[-1]))
        if p == str(RDF.type) and q.object.value.startswith(KG_NS):
            if OWL.Class not in declared.get(q.object.value[len(KG_NS):], set()):
                bad.add((q.object.value, "Class"))
    assert not bad, sorted(bad)


def test_the_fact_schema_names_declared_predicates_with_matching_types(ttl):
    declared = _kg_types(ttl)
    schema = fact_schema.load()
    for kind in schema.kinds.values():
        assert OWL.Class in declared[kind.cls.split(":", 1)[1]]
        for f in schema.common + kind.fields:
            if f.computed:
                continue
            p = term(f.predicate)  # a term missing from vocab.py raises here
            if not str(p).startswith(KG_NS):
                continue
            types = declared[str(p)[len(KG_NS):]]
            assert (OWL.ObjectProperty if f.datatype == "iri" else OWL.DatatypeProperty) in types, f
            rng = ttl.value(p, RDFS.range)
            if rng is not None and f.datatype not in ("iri", "xsd:string"):
                assert rng == term(f.datatype) if f.datatype != "rdf:langString" else rng == RDF.langString, (f, rng)


def test_the_graph_writer_writes_fact_fields_only_through_the_schema(docs):
    """A literal on a fact node is written under a predicate of the schema (common or its kind's)."""
    schema = fact_schema.load()
    by_class = {term(k.cls): {term(f.predicate) for f in schema.common + k.fields if not f.computed}
                for k in schema.kinds.values()}
    for doc in docs:
        _, triples = doc_triples(doc, BASE, "test")
        cls = {s: o for s, p, o in triples if p == RDF.type and o in by_class}
        for s, p, o in triples:
            if s in cls and isinstance(o, Literal):
                assert p in by_class[cls[s]], (cls[s], p, o)


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(float(a), float(b), rel_tol=1e-9)
    return a == b


def _expected(fd, f: dict):
    """What the query layer should give back for field ``fd`` of the assembled fact ``f``."""
    v = fact_schema.value_at(f, fd.path)
    if fd.multi:
        return sorted(v or [])
    return v if fd.required or fact_schema.present(v) else None


@pytest.mark.parametrize("kind", ["targets", "deadlines", "parties", "refs"])
def test_facts_come_back_from_the_graph_as_they_were_assembled(docs, kind):
    """Round trip: facts → graph writer → store → query layer gives back every field the schema maps."""
    schema = fact_schema.load()
    k = schema.kinds[kind]
    keys = [f for f in schema.common + k.fields
            if not f.computed and not f.hidden and f.writer == "facts" and f.key != "sources"]
    store = GraphStore(None, BASE)
    for doc in docs:
        graph, triples = doc_triples(doc, BASE, "test")
        store.replace_graph(graph, triples)
    got = qfacts.facts_of(kind, store)
    want = [f for doc in docs for f in doc.facts[kind]]
    assert want and len(got) == len(want)
    index = {(g["doc"], g["span"][0], g["span"][1], g["clause_id"]): [] for g in got}
    for g in got:
        index[(g["doc"], g["span"][0], g["span"][1], g["clause_id"])].append(g)
    for f in want:
        cands = index[(f["doc"], f["span"][0], f["span"][1], f["clause_id"])]
        ok = [g for g in cands if all(_same(fact_schema.value_at(g, fd.path), _expected(fd, f)) for fd in keys)]
        assert ok, (f, cands)
    if kind == "targets":
        twice = [f for f in want if f["sources"]]
        assert twice, "the text restates a table target"
        for f in twice:
            g = next(g for g in got if g["span"] == f["span"] and g["doc"] == f["doc"])
            assert [s["span"] for s in g["sources"]] == [s["span"] for s in f["sources"]]


@pytest.mark.parametrize("kind,keys", [
    ("targets", ("kind", "value", "metric", "unit", "deadline_year", "comparator")),
    ("targets", ("baseline", "method", "confidence")),
    ("deadlines", ("start", "end", "text")),
])
def test_a_few_fields_of_many_facts_are_those_of_the_whole_facts(built_store, kind, keys):
    """fields_of (target linking reads eight fields of every target) gives each fact's fields as facts_of
    does, in the same order, for the whole store and for one document."""
    whole = qfacts.facts_of(kind, built_store)
    want = [{"iri": f["iri"], "doc": f["doc"], "span": f["span"], **{k: f.get(k) for k in keys}} for f in whole]
    assert want and qfacts.fields_of(kind, built_store, keys) == want
    doc = whole[-1]["doc"]
    # the document's node (the store's manifest node of its source file carries the id too, under an IRI hashed
    # from the file's path: which of the two a query gives first depends on where the repository is checked out)
    iri = next(r["iri"] for r in built_store.select(
        f'SELECT ?iri WHERE {{ ?iri a kg:SourceDocument ; kg:documentId "{doc}" }}'))
    assert qfacts.fields_of(kind, built_store, keys, iri) == [w for w in want if w["doc"] == doc]


def test_the_query_layer_reads_the_schema_without_the_pipeline():
    import subprocess
    import sys

    code = ("import sys, kg.query.facts as q; q.select(q.fact_schema.load().kinds['targets']); "
            "print(sorted(m for m in sys.modules if m.startswith(('kg.pipeline', 'kg.facts', 'kg.graph', 'kg.extract'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_no_import_cycle_between_facts_and_pipeline():
    import ast

    def imports(mod: str) -> set[str]:
        tree = ast.parse((ROOT / "kg" / f"{mod}.py").read_text(encoding="utf-8"))
        return {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module and n.level == 1}

    assert "pipeline" not in imports("facts") and "pipeline" not in imports("graph")
    assert "pipeline" not in imports("document") and "facts" not in imports("document")
