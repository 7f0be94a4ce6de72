"""kg search: ranked clauses over the whole store (BM25 from kg.align), cached per store state."""
import json
import subprocess
import sys

import pytest

from kg.query.docs import find_doc
from kg.query.search import StateCache, search, store_state

FIELDS = {"doc", "doc_title", "clause", "clause_id", "text", "score", "method", "iri"}


def test_search_ranks_the_clause_that_says_it(built_store):
    hits = search(built_store, "完善用户投诉处理机制", k=5)
    assert hits and len(hits) <= 5
    assert FIELDS <= set(hits[0])
    # both the national notice and the Shanghai plan say this, in their service clauses
    top2 = {(h["doc"], h["clause"]) for h in hits[:2]}
    assert ("2024-gongxinting-tongxin-52-mobile-iot-notice", "五（二）") in top2
    assert ("2026-hu-tongxinguanfa-5-wuzhihulian-iot-action-plan", "五（四）") in top2
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(h["score"] > 0 and h["method"] for h in hits)
    assert "投诉处理" in hits[0]["text"]


def test_search_within_one_document(built_store):
    d = find_doc(built_store, "物智沪联")
    hits = search(built_store, "物联网安全防护", k=3, doc_iri=d["iri"])
    assert hits and all(h["doc"] == d["id"] for h in hits)
    assert hits[0]["clause"] == "五（二）"
    assert len(search(built_store, "物联网安全防护", k=1, doc_iri=d["iri"])) == 1


def test_search_nothing_to_find(built_store):
    assert search(built_store, "") == []
    assert search(built_store, "   ") == []
    assert search(built_store, "qwxzv zzyqk", k=5) == []
    assert search(built_store, "物联网", k=0) == []


def test_search_is_deterministic_and_cached(built_store):
    from kg.query import search as sq

    a = search(built_store, "5G基站建设", k=8)
    first = sq._searcher(built_store)
    b = search(built_store, "5G基站建设", k=8)
    assert a == b
    assert sq._searcher(built_store) is first  # the index is built once per store state
    sq._cache.clear()
    assert search(built_store, "5G基站建设", k=8) == a  # and a rebuilt index gives the same ranking


def test_store_state_changes_with_the_manifest(built_store, monkeypatch):
    where, digest = store_state(built_store)
    assert str(built_store.path) in where
    m = built_store.manifest()
    path = sorted(m)[0]
    changed = dict(m)
    changed[path] = m[path].__class__(path, "0" * 64, m[path].doc_id, m[path].graph, m[path].pipeline_version)
    monkeypatch.setattr(built_store, "manifest", lambda: changed)
    assert store_state(built_store)[1] != digest


def test_state_cache_is_bounded():
    c = StateCache(size=2)
    calls = []
    for k in ("a", "b", "a", "c", "b"):
        c.get(k, lambda k=k: calls.append(k) or k.upper())
    assert calls == ["a", "b", "c", "b"]  # "b" was evicted when "c" came in


def test_search_and_ask_load_no_nlp_stack(built_store):
    """The query path imports neither spaCy, torch nor the extraction pipeline."""
    code = (
        "import sys, json\n"
        "from kg.store import GraphStore\n"
        "from kg.query.search import search\n"
        "from kg.query.ask import ask\n"
        f"s = GraphStore({str(built_store.path)!r}, {built_store.iris.base!r})\n"
        "search(s, '物联网终端', k=3)\n"
        "r = ask(s, '物智沪联行动计划落实了哪些国家文件？哪一条对应国家文件的哪一条？')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'torch', 'sentence_transformers')\n"
        "             or m.startswith(('kg.extract', 'kg.pipeline', 'kg.clean', 'kg.graph', 'kg.gazetteer')))\n"
        "print(json.dumps({'bad': bad, 'answered': r['answered']}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    res = json.loads(out.stdout.strip().splitlines()[-1])
    assert res == {"bad": [], "answered": True}


@pytest.mark.parametrize("k", [1, 3])
def test_cli_search_json(built_store, k):
    from typer.testing import CliRunner

    from kg.cli import app

    r = CliRunner().invoke(app, ["--store", str(built_store.path), "search", "用户权益保护", "--json", "-k", str(k)])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert 1 <= len(rows) <= k and FIELDS <= set(rows[0])
    r = CliRunner().invoke(app, ["--store", str(built_store.path), "search", "用户权益保护", "--doc", "物智沪联", "--json"])
    assert r.exit_code == 0, r.output
    assert {x["doc"] for x in json.loads(r.stdout)} == {"2026-hu-tongxinguanfa-5-wuzhihulian-iot-action-plan"}
