"""The lineage link graph and the search index kept on disk (the search index in parts (kg/cache.py ``save_shards``; kg/query/search.py
``persisted(layout=)``): a later process loads the head and reads only the parts a call needs, answers byte for
byte the same, and a corrupt part is rebuilt."""
from __future__ import annotations

import json

import pytest
from conftest import PLAN26, dump_json, forget_query_state

from kg import cache
from kg.query import docs as dq
from kg.query import lineage as lq
from kg.query import search as sq



_new_process = forget_query_state  # as a new process would start


@pytest.fixture
def store(query_store):
    return query_store


_dump = dump_json


def _entry(tmp_path, kind: str):
    (f,) = (tmp_path / "cache").glob(f"query-{kind}-*.pickle")
    return f


def test_a_later_process_loads_the_link_graph_and_reads_only_the_documents_a_lineage_needs(store, tmp_path,
                                                                                          monkeypatch):
    docs = dq.list_docs(store)
    iri = next(d["iri"] for d in docs if d["id"] == PLAN26)
    answers = {d["iri"]: _dump(lq.lineage(store, d["iri"])) for d in docs}
    assert json.loads(answers[iri])["clause_alignments"]
    _new_process()
    built = []
    init = lq._Graph.__init__
    monkeypatch.setattr(lq._Graph, "__init__", lambda self, st: (built.append(1), init(self, st))[1])
    assert _dump(lq.lineage(store, iri)) == answers[iri]
    assert built == []  # the link graph loaded from disk, not read again
    g = lq._graph(store)
    shown = {d for _, d in g._loaded}
    assert iri in shown and shown < set(answers)  # the tables of the documents this lineage shows, not every one
    for d in docs:  # every other document, from the same loaded graph
        assert _dump(lq.lineage(store, d["iri"])) == answers[d["iri"]]


def test_the_link_graph_on_disk_holds_no_tables(store, tmp_path):
    iri = next(d["iri"] for d in dq.list_docs(store) if d["id"] == PLAN26)
    lq.lineage(store, iri)
    assert lq._graph(store).targets  # read in this process
    (f,) = (tmp_path / "cache").glob("query-lineage-*.pickle")
    _new_process()
    g = lq._graph(store)
    assert g.edges and not any(getattr(g, t) for t in lq._Graph._TABLES)


def test_search_from_parts_is_the_same(store, tmp_path):
    doc_iri = next(d["iri"] for d in dq.list_docs(store) if d["id"] == PLAN26)
    queries = [("物联网感知设施", None), ("5G基站", None), ("物联网", doc_iri), ("不存在的词语", None)]
    before = [_dump(sq.search(store, q, k=8, doc_iri=d)) for q, d in queries]
    assert json.loads(before[0]) and json.loads(before[2])
    _new_process()
    assert _dump(sq.search(store, "物联网", k=8, doc_iri=doc_iri)) == before[2]
    s = sq._searcher(store)
    assert s._parts is not None and s.clauses is None  # loaded from the parts
    assert s._loaded == {doc_iri}  # a search in one document reads that document's clauses only
    assert [_dump(sq.search(store, q, k=8, doc_iri=d)) for q, d in queries] == before


ASK_QUESTIONS = ["物智沪联行动计划落实了哪些国家文件？哪一条对应国家文件的哪一条？",
                 "万物智联通知的五（二）在物智沪联中对应哪一条？",
                 "物智沪联行动计划里“保护用户权益”那部分来自通知的哪一条？",
                 "5G基站的目标是多少？"]


def test_ask_reads_the_clauses_of_the_documents_it_shows(store, tmp_path):
    from kg.query import ask as aq

    before = [_dump(aq.ask(store, q)) for q in ASK_QUESTIONS]  # builds the index (and keeps it on disk)
    ctx = aq._context(store)
    assert not {"targets", "parties", "deadlines", "clauses"} & set(ctx.__dict__)  # no table of every fact
    built = list(ctx.clauses.items())  # the whole table, read when asked for
    _new_process()
    assert _dump(aq.ask(store, ASK_QUESTIONS[0])) == before[0]
    ctx = aq._context(store)
    assert "clauses" not in ctx.__dict__  # not the table of every clause
    assert 0 < len(ctx.__dict__["_by_doc"]) < len(ctx.docs)  # the clauses of the documents the answer shows
    assert [_dump(aq.ask(store, q)) for q in ASK_QUESTIONS] == before
    assert list(ctx.clauses.items()) == built  # the whole table, in the same order, read again
    assert _entry(tmp_path, "ask-clauses")  # and kept on disk for the next process


def test_a_corrupt_ask_index_is_rebuilt(store, tmp_path):
    from kg.query import ask as aq

    answer = _dump(aq.ask(store, ASK_QUESTIONS[1]))
    f = _entry(tmp_path, "ask-context")
    data = bytearray(f.read_bytes())
    data[len(data) // 2] ^= 0xFF
    f.write_bytes(bytes(data))
    _new_process()
    assert _dump(aq.ask(store, ASK_QUESTIONS[1])) == answer  # built from the store again


def test_a_lineage_from_the_tables_does_not_import_the_alignment_engine(store):
    """A new process answers a lineage without kg.align (numpy, bm25s): the alignable clauses are read as plain
    tuples."""
    import subprocess
    import sys

    iri = next(d["iri"] for d in dq.list_docs(store) if d["id"] == PLAN26)
    lin = _dump(lq.lineage(store, iri))  # builds the tables, and keeps them on disk
    code = ("import json, sys; from kg.store import GraphStore; from kg.query import lineage as lq; "
            "res = lq.lineage(GraphStore(sys.argv[1], sys.argv[2]), sys.argv[3]); "
            "print(json.dumps([json.dumps(res, ensure_ascii=False, indent=2), 'numpy' in sys.modules, "
            "'kg.align' in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code, str(store.path), store.iris.base, iri], capture_output=True,
                         text=True, check=True)
    assert json.loads(out.stdout) == [lin, False, False]


def test_ask_about_a_metric_reads_the_targets_of_that_metric(store):
    from kg.query import ask as aq

    q = "5G基站的目标是多少？"
    before = _dump(aq.ask(store, q))
    _new_process()
    assert _dump(aq.ask(store, q)) == before
    ctx = aq._context(store)
    assert "targets" not in ctx.__dict__ and ctx.__dict__["_by_metric"]  # that metric's targets, not every target
    metrics = set().union(*ctx.__dict__["_by_metric"]) | {"物联网终端连接数", "不存在的指标"}
    got = aq._targets_of_metrics(ctx, metrics)
    assert got and got == [t for t in ctx.targets if t["metric"] in metrics]  # the same targets, in the same order


def test_alignable_clauses_leave_out_the_notice_glossary_rows_and_short_clauses(built_store):
    """The clauses lineage aligns: every clause of a document but the notice that issues it, the rows of its
    缩略语 table (a concept is derived from each; asked apart from the clause query) and clauses too short to say
    anything — one document or several, the same clauses either way."""
    from kg.query.clauses import ALIGNABLE_MIN_CHARS, alignable_clauses

    every = alignable_clauses(built_store)
    rows = built_store.select("""SELECT ?c ?d ?kind WHERE { ?c a eli:LegalResourceSubdivision ; kg:inDocument ?d ;
                                  kg:clauseKind ?kind }""")
    glossary = {r["c"] for r in built_store.select(
        "SELECT ?c WHERE { ?concept a skos:Concept ; prov:wasDerivedFrom ?c . ?c kg:clauseKind \"row\" }")}
    assert len(glossary) > 20  # the 2021 Shanghai plan's 缩略语 table
    kept = {c.key for cs in every.values() for c in cs}
    assert kept and not kept & glossary
    assert not kept & {r["c"] for r in rows if r["kind"] == "notice"}
    assert all(len(c.text.strip()) >= ALIGNABLE_MIN_CHARS for cs in every.values() for c in cs)
    others = {r["c"] for r in rows if r["kind"] != "notice"} - glossary - kept
    assert all(len(t.strip()) < ALIGNABLE_MIN_CHARS for t in _texts(built_store, others))
    doc = next(r["d"] for r in rows if r["c"] in glossary)  # the document with the table, asked alone
    assert alignable_clauses(built_store, doc) == {doc: every[doc]}
    assert alignable_clauses(built_store, sorted(every)[:2]) == {d: every[d] for d in sorted(every)[:2]}


def _texts(store, iris) -> list[str]:
    from kg.query.clauses import clause_text

    if not iris:
        return []
    values = " ".join(f"<{i}>" for i in iris)
    return [clause_text(r["h"], r["t"]) for r in store.select(
        f"SELECT ?c ?h ?t WHERE {{ VALUES ?c {{ {values} }} OPTIONAL {{ ?c kg:heading ?h }} OPTIONAL {{ ?c kg:text ?t }} }}")]
