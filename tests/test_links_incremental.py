"""The links graph after a one-document change: skipped when nothing it depends on changed, computed again
otherwise — and in every case exactly what computing it from scratch gives."""

from kg.build import build
from kg.lineage import update_derived
from kg.store import GraphStore, nt_lines
from kg import links

BASE = "https://policykg.example/"
_LINK_TRIPLES = links.link_triples  # (the tests count the calls of links.link_triples)
NOTICE = "2024-gongxinting-tongxin-52-mobile-iot-notice.txt"


def _links_graph(store) -> set[str]:
    g = str(store.iris.links_graph)
    rows = store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} FILTER(?s != <{g}>) }}", union=False)
    return {(r["s"], r["p"], str(r["o"])) for r in rows}


def _from_scratch(store) -> set[str]:
    g = str(store.iris.links_graph)
    tmp = GraphStore(None, BASE)
    tmp.replace_graph(store.iris.links_graph, _LINK_TRIPLES(store))
    rows = tmp.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}", union=False)
    return {(r["s"], r["p"], str(r["o"])) for r in rows}


def test_links_after_one_changed_document_equal_links_from_scratch(tmp_path, corpus_copy, monkeypatch):
    store = GraphStore(tmp_path / "s", BASE)
    build(store, [corpus_copy], after_docs=update_derived)
    assert _links_graph(store) == _from_scratch(store) != set()
    calls = []
    real = links.link_triples
    monkeypatch.setattr(links, "link_triples", lambda *a, **k: calls.append(1) or real(*a, **k))

    # an edit that touches no title, 文号 or reference: nothing computed, the graph still right
    f = corpus_copy / NOTICE
    f.write_text(f.read_text(encoding="utf-8").rstrip("\n") + "\n（本文件已于次年修订。）\n", encoding="utf-8")
    build(store, [corpus_copy], after_docs=update_derived)
    assert calls == []
    assert _links_graph(store) == _from_scratch(store)

    # a new reference to another document of the store: computed again, the new link there
    before = _links_graph(store)
    f.write_text(f.read_text(encoding="utf-8").rstrip("\n")
                 + "\n请结合《物联网新型基础设施建设三年行动计划（2021—2023年）》抓好落实。\n", encoding="utf-8")
    build(store, [corpus_copy], after_docs=update_derived)
    assert len(calls) == 1
    after = _links_graph(store)
    assert after == _from_scratch(store) and after != before

    # a document removed, then a title changed: computed again, equal to from scratch each time
    (corpus_copy / "2025-hu-tongxinguan-lingang-1-business-environment-plan.txt").unlink()
    build(store, [corpus_copy], after_docs=update_derived)
    assert len(calls) == 2 and _links_graph(store) == _from_scratch(store)
    g = corpus_copy / "2021-gongxinbu-lianke-130-iot-infrastructure-plan.txt"
    text = g.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    g.write_text(text.replace(first, first + "（修订）", 1), encoding="utf-8")
    build(store, [corpus_copy], after_docs=update_derived)
    assert len(calls) == 3 and _links_graph(store) == _from_scratch(store)

    # the same store built from scratch has the same links graph
    fresh = GraphStore(tmp_path / "fresh", BASE)
    build(fresh, [corpus_copy], after_docs=update_derived)
    assert _links_graph(fresh) == _links_graph(store)


def test_a_links_graph_that_is_not_what_was_kept_is_computed_again(tmp_path, corpus_copy, monkeypatch):
    """Another writer (or a build cut short) changed the links graph: the kept state does not match the
    graph's digest, so the next build computes and writes it whole."""
    store = GraphStore(tmp_path / "s", BASE)
    build(store, [corpus_copy], after_docs=update_derived)
    good = _links_graph(store)
    store.replace_graph(store.iris.links_graph, [])  # no digest any more
    f = corpus_copy / NOTICE
    f.write_text(f.read_text(encoding="utf-8") + "\n（又一行。）\n", encoding="utf-8")
    build(store, [corpus_copy], after_docs=update_derived)
    assert _links_graph(store) == good == _from_scratch(store)


def test_the_pairs_kept_for_target_links_are_the_pairs_in_the_store(tmp_path, corpus_copy):
    """update_lineage leaves the pair summaries target links need (kept per pair graph and version in the
    lineage cache, read only for graphs not kept): the same as reading every pair graph."""
    from kg.lineage import LineageCache, _stored_pairs, update_lineage

    store = GraphStore(tmp_path / "s", BASE)
    build(store, [corpus_copy], after_docs=update_derived)
    f = corpus_copy / NOTICE
    for n in range(2):
        cache = LineageCache(store)
        update_lineage(store, cache=cache, workers=1)
        assert cache.stored == sorted(_stored_pairs(store)) and cache.stored
        f.write_text(f.read_text(encoding="utf-8").replace("力争突破36亿", "力争突破40亿") + "\n（又一行。）\n",
                     encoding="utf-8")
        build(store, [corpus_copy], after_docs=update_derived)
