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
