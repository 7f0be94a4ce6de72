"""Per-state query indexes kept on disk (kg/query/search.py ``persisted``): the first question after a write
builds ``ask``'s index of names and facts and the first lineage query builds the lineage tables, both are
written to the cache keyed by the store's write token; a later process loads them (nothing is rebuilt) and
answers byte for byte the same; any write to the store is a new key (built again)."""
from __future__ import annotations

import json

import pytest
from conftest import PLAN26, dump_json, forget_query_state
from rdflib import URIRef

from kg.query import ask as aq
from kg.query import docs as dq
from kg.query import lineage as lq
from kg.query import search as sq

QUESTION = "物智沪联行动计划落实了哪些国家文件？哪一条对应国家文件的哪一条？"


_new_process = forget_query_state  # as a new process would start


@pytest.fixture
def store(query_store):
    return query_store


_dump = dump_json


def _count_builds(monkeypatch, *targets) -> list[str]:
    """A list that records the label of each (owner, attribute, label) every time that function is called."""
    built: list[str] = []
    for owner, attr, label in targets:
        def spy(*a, _real=getattr(owner, attr), _label=label, **k):
            built.append(_label)
            return _real(*a, **k)

        monkeypatch.setattr(owner, attr, spy)
    return built


def _entries(tmp_path, kind: str) -> list[str]:
    return sorted(p.name for p in (tmp_path / "cache").glob(f"query-{kind}-*.pickle"))


def test_built_once_then_loaded_and_rebuilt_after_a_write(store, tmp_path, monkeypatch):
    iri = next(d["iri"] for d in dq.list_docs(store) if d["id"] == PLAN26)
    answer, lin = _dump(aq.ask(store, QUESTION)), _dump(lq.lineage(store, iri))
    assert json.loads(answer)["answered"] and json.loads(lin)["upstream"]
    ask_files, lin_files = _entries(tmp_path, "ask-context"), _entries(tmp_path, "lineage")
    assert len(ask_files) == 1 and len(lin_files) == 1

    # a later process: loads both, builds neither, answers the same
    _new_process()
    built = _count_builds(monkeypatch, (aq, "_build_context", "ask"), (lq._Graph, "__init__", "lineage"))
    assert _dump(aq.ask(store, QUESTION)) == answer
    assert _dump(lq.lineage(store, iri)) == lin
    assert built == []

    # any write is a new state: built again (once), the same answers; the new entry of each replaces the
    # old one (an older state of this store is never read again; at 1,000 documents an entry is 100+ MB)
    store.drop_graph(URIRef(store.iris.base + "graph/nothing-here"))
    _new_process()
    assert _dump(aq.ask(store, QUESTION)) == answer
    assert _dump(lq.lineage(store, iri)) == lin
    assert built == ["ask", "lineage"]
    assert len(_entries(tmp_path, "ask-context")) == 1 and len(_entries(tmp_path, "lineage")) == 1
    assert _entries(tmp_path, "ask-context") != ask_files and _entries(tmp_path, "lineage") != lin_files


def test_document_list_and_search_index_are_kept_for_the_next_process(store, tmp_path, monkeypatch):
    docs, hits = _dump(dq.list_docs(store)), _dump(sq.search(store, "物联网感知设施", k=5))
    assert json.loads(hits) and len(_entries(tmp_path, "docs")) == 1 and len(_entries(tmp_path, "search")) == 1
    _new_process()
    sq._cache.clear()
    built = _count_builds(monkeypatch, (dq, "_read_docs", "docs"), (sq._Searcher, "__init__", "search"))
    assert _dump(dq.list_docs(store)) == docs and _dump(sq.search(store, "物联网感知设施", k=5)) == hits
    assert built == []


def test_lineage_is_the_callers_own_copy(store):
    iri = next(d["iri"] for d in dq.list_docs(store) if d["id"] == PLAN26)
    first = lq.lineage(store, iri)
    expected = _dump(first)
    first["clause_alignments"][0]["local_span"].append(-1)
    first["target_lineage"][0]["local"]["doc"] = "changed"
    first["upstream"][0]["evidence"].clear()
    assert _dump(lq.lineage(store, iri)) == expected


def test_a_corrupt_entry_is_rebuilt(store, tmp_path):
    iri = next(d["iri"] for d in dq.list_docs(store) if d["id"] == PLAN26)
    lin = _dump(lq.lineage(store, iri))
    (name,) = _entries(tmp_path, "lineage")
    f = tmp_path / "cache" / name
    f.write_bytes(f.read_bytes()[:100])
    _new_process()
    assert _dump(lq.lineage(store, iri)) == lin
    assert len(f.read_bytes()) > 100


def test_after_a_build_only_the_changed_documents_entries_are_read_again(corpus_copy, tmp_path, monkeypatch):
    """The document list keeps each document's entry under its manifest record: after one file changes, the
    next list reads that document alone (bound by VALUES), and equals the list read whole."""
    from conftest import BASE

    from kg.build import build
    from kg.store import GraphStore

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    store = GraphStore(tmp_path / "s", BASE)
    build(store, [corpus_copy])
    _new_process()
    first = dq.list_docs(store)
    assert len(first) == 5
    read: list = []
    real = dq._doc_entries
    monkeypatch.setattr(dq, "_doc_entries", lambda st, iris: read.append(iris) or real(st, iris))
    f = next(p for p in sorted(corpus_copy.glob("*.txt")) if PLAN26 not in p.name)
    f.write_text(f.read_text(encoding="utf-8").replace("。", "。\n", 1), encoding="utf-8")
    assert [r.status for r in build(store, [corpus_copy])].count("updated") == 1
    _new_process()
    now = dq.list_docs(store)
    changed = next(d for d in now if d["source_file"].endswith(f.name))
    assert read == [[changed["iri"]]]
    monkeypatch.setattr(dq, "_kept_entries", lambda st: None)  # as a store without a kept list reads it
    assert _dump(dq._read_docs(store)) == _dump(now)
    assert read[-1] is None
    # the documents that did not change are as before
    assert [d for d in now if d["id"] != changed["id"]] == [d for d in first if d["id"] != changed["id"]]


def test_graphs_written_without_a_build_are_read_whole(query_store, tmp_path):
    """A document graph the manifest does not account for (written directly) is still listed."""
    from kg.graph import doc_triples
    from kg.pipeline import process_text

    before = dq.list_docs(query_store)
    doc = process_text("上海市某区数据局关于印发《某区数据行动方案》的通知\n\n一、目标\n到2027年，建成数据中心2个。\n",
                       name="written-directly.txt")
    graph, triples = doc_triples(doc, query_store.iris.base, "test")
    query_store.replace_graph(graph, triples)
    _new_process()
    after = dq.list_docs(query_store)
    assert len(after) == len(before) + 1 and any(d["source_file"] == "written-directly.txt" for d in after)


def _kept(tmp_path) -> dict[str, int]:
    """Kind → number of tables kept on disk (kg/query/kept.py)."""
    out: dict[str, int] = {}
    for p in (tmp_path / "cache").glob("query-kept-*/*.pickle"):
        kind = p.name.split("-", 1)[0]
        out[kind] = out.get(kind, 0) + 1
    return out


def _spy_reads(monkeypatch) -> list[tuple[str, list]]:
    """Records each read of a document's clauses, of targets by IRI and of pair alignments from the store."""
    from kg.query import facts as fq

    reads: list[tuple[str, list]] = []
    real_rows, real_pairs, real_by_iri = lq.clause_rows, lq._pair_alignments, fq.facts_by_iri
    monkeypatch.setattr(lq, "clause_rows", lambda st, iris: reads.append(("clauses", sorted(iris))) or real_rows(st, iris))
    monkeypatch.setattr(lq, "_pair_alignments", lambda st, l, ss, d: reads.append(("pairs", [l, *ss])) or real_pairs(st, l, ss, d))
    monkeypatch.setattr(fq, "facts_by_iri", lambda k, st, iris: reads.append(("targets", sorted(iris))) or real_by_iri(k, st, iris))
    return reads


def test_document_tables_are_kept_across_writes_and_give_the_same_lineage(store, tmp_path, monkeypatch):
    """A document's clauses and targets and a pair's alignments are kept on disk under what fixes them (the
    manifest record, the version the pair graph states): a later state of the store — here after a write that
    touches no document — loads them instead of reading the store, and the lineage is byte for byte the same."""
    iri = next(d["iri"] for d in dq.list_docs(store) if d["id"] == PLAN26)
    lin = _dump(lq.lineage(store, iri))
    kept = _kept(tmp_path)
    assert kept.get("clauses", 0) >= 2 and kept.get("pairs", 0) >= 1 and kept.get("targets", 0) >= 2, kept
    store.drop_graph(URIRef(store.iris.base + "graph/nothing-here"))  # a new state: the link graph is read again
    _new_process()
    reads = _spy_reads(monkeypatch)
    assert _dump(lq.lineage(store, iri)) == lin
    assert reads == []
    # the same answer when nothing is kept (read from the store)
    _new_process()
    monkeypatch.setattr(lq.Kept, "load", lambda self, kind, key: None)
    assert _dump(lq.lineage(store, iri)) == lin
    assert {k for k, _ in reads} == {"clauses", "pairs", "targets"}


def test_a_changed_document_has_its_tables_read_again(corpus_copy, tmp_path, monkeypatch):
    """After a build that changed one document, its tables (and its pairs') are read from the store again and
    the others are loaded; the lineage equals the one read with nothing kept."""
    from conftest import BASE

    from kg.build import build
    from kg.lineage import update_derived
    from kg.store import GraphStore

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    store = GraphStore(tmp_path / "s", BASE)
    build(store, [corpus_copy], after_docs=update_derived)
    _new_process()
    iri = next(d["iri"] for d in dq.list_docs(store) if d["id"] == PLAN26)
    before = lq.lineage(store, iri)
    sources = sorted({u["iri"] for u in before["upstream"] if u["doc"]})
    assert sources and before["clause_alignments"]
    f = next(p for p in sorted(corpus_copy.glob("*.txt")) if PLAN26 in p.name)
    text = f.read_text(encoding="utf-8")
    clause = before["clause_alignments"][0]["local_text"]
    assert clause[:12] in text
    f.write_text(text.replace(clause[:12], clause[:12] + "（新增的修改文字）", 1), encoding="utf-8")
    assert [r.status for r in build(store, [corpus_copy], after_docs=update_derived)].count("updated") == 1
    _new_process()
    reads = _spy_reads(monkeypatch)
    after = lq.lineage(store, iri)
    clause_reads = [ids for kind, ids in reads if kind == "clauses"]
    assert clause_reads == [[iri]]  # the sources' clauses were loaded
    assert any("（新增的修改文字）" in a["local_text"] for a in after["clause_alignments"])
    _new_process()
    monkeypatch.setattr(lq.Kept, "load", lambda self, kind, key: None)
    assert _dump(lq.lineage(store, iri)) == _dump(after)


def test_a_store_in_memory_keeps_no_tables(tmp_path, monkeypatch):
    from conftest import BASE

    from kg.query.kept import Kept
    from kg.store import GraphStore

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    kept = Kept(GraphStore(None, BASE))
    kept.save("clauses", "k", {"x": 1})
    assert kept.load("clauses", "k") is None and not (tmp_path / "cache").exists()
    assert kept.get("clauses", ["a"], lambda i: "k", lambda todo: {"a": 2}) == {"a": 2}


def test_party_surfaces_are_kept_per_document(corpus_copy, tmp_path, monkeypatch):
    """``ask``'s index reads the words texts call bodies by per document, kept under the manifest record: after a
    build that changed one document only that document's are read, and the index equals the one read whole."""
    from conftest import BASE

    from kg.build import build
    from kg.store import GraphStore

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    store = GraphStore(tmp_path / "s", BASE)
    build(store, [corpus_copy])
    _new_process()
    whole = aq._party_surfaces(store)  # nothing kept yet: every document's read (and kept)
    assert whole and _kept(tmp_path).get("surfaces") == 5
    f = next(p for p in sorted(corpus_copy.glob("*.txt")) if PLAN26 in p.name)
    f.write_text(f.read_text(encoding="utf-8").replace("。", "。\n", 1), encoding="utf-8")
    assert [r.status for r in build(store, [corpus_copy])].count("updated") == 1
    _new_process()
    queries: list[str] = []
    real = store.select
    monkeypatch.setattr(store, "select", lambda q, *a, **k: queries.append(q) or real(q, *a, **k))
    after = aq._party_surfaces(store)
    graphs = [q for q in queries if "kg:surface" in q]
    assert len(graphs) == 1 and "GRAPH <" in graphs[0]  # the changed document's graph alone
    monkeypatch.setattr(aq, "_surface_rows", lambda st, docs: real(aq._PARTY_SURFACES, union=False))
    assert _dump(aq._party_surfaces(store)) == _dump(after)
