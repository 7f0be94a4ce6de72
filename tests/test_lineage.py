"""Lineage over corpus/: the 2026 Shanghai plan traces back to the 2024 MIIT notice, clause by clause and
target by target; reviews survive rebuilds; derived graphs do not depend on build order."""
import shutil
import sys

import pytest

from kg.query.compare import compare
from kg.query.docs import find_doc
from kg.query.lineage import chain_in_words, lineage, target_links

from conftest import FYP, N2021, N2024, N2025, N2026


@pytest.fixture(scope="module")
def lin(built_store):
    return lineage(built_store, find_doc(built_store, "物智沪联")["iri"])


def test_the_2024_notice_is_upstream_explicitly_with_the_citing_sentence(lin):
    up = {u["doc"]: u for u in lin["upstream"]}
    u = up[N2024]
    assert u["relation"] == "applies" and u["method"] == "title-match" and u["review"] == "unreviewed"
    assert u["path"] == [N2026, N2024] and u["level"] == "national" and u["external_iri"] is None
    ev = [e for e in u["evidence"] if e["kind"] == "citation"]
    assert ev and "落实《关于推进移动物联网“万物智联”发展的通知》" in ev[0]["text"] and ev[0]["clause"] == "序言"
    assert 0 < u["confidence"] <= 1
    # the Shanghai 2023 action plan it also names is not in the corpus: an external document
    ext = [u for u in lin["upstream"] if u["doc"] is None]
    assert any("新型基础设施建设行动方案" in (u["title"] or "") and u["external_iri"] for u in ext)
    # its level is read off the citation: the title opens with 上海市 (said how, not guessed silently)
    sh = next(u for u in ext if "上海市进一步推进新型基础设施建设行动方案" in (u["title"] or ""))
    assert (sh["level"], sh["jurisdiction"], sh["level_source"]) == ("provincial", "上海市", "title-place")
    assert all(u["level_source"] is None for u in lin["upstream"] if u["doc"] is not None)


def test_clauses_align_to_the_notice_clauses_a_reader_would_pair(lin):
    best = {a["local_clause"]: a for a in lin["clause_alignments"] if a["rank"] == 1 and a["source_doc"] == N2024}
    assert best["五（四）"]["source_clause"] == "五（二）"  # 提升服务 ↔ 提高行业服务水平
    assert best["二（一）"]["source_clause"] == "二（一）"
    for a in best.values():
        assert 0 <= a["score"] <= 1 and a["method"] in ("lexical", "hybrid", "embedding")
        assert a["local_text"] and a["source_text"] and a["review"] == "unreviewed"
    # ranks are 1..n per local clause
    by_local = {}
    for a in lin["clause_alignments"]:
        by_local.setdefault((a["local_clause_id"], a["source_doc"]), []).append(a["rank"])
    assert all(sorted(r) == list(range(1, len(r) + 1)) for r in by_local.values())


def test_the_connection_target_sits_next_to_the_national_36_billion_with_the_ratio(lin):
    tl = [x for x in lin["target_lineage"] if x["local"]["doc"] == N2026 and x["source"]["doc"] == N2024
          and "连接数" in x["local"]["metric"] and "占比" not in x["local"]["metric"]]
    assert len(tl) == 1
    x = tl[0]
    assert x["relation"] == "share" and x["source"]["value"] == 3600000000 and x["local"]["value"] == 200000000
    assert x["ratio"] == pytest.approx(2e8 / 3.6e9, rel=1e-3)


def test_coverage_lists_what_shanghai_did_not_take_up(lin):
    cov = {c["doc"]: c for c in lin["coverage"]}[N2024]
    assert cov["taken_up"] and cov["not_taken_up"]
    assert 0 < cov["share"] < 1
    assert cov["share"] == round(len(cov["taken_up"]) / (len(cov["taken_up"]) + len(cov["not_taken_up"])), 3)
    taken = {c["clause"] for c in cov["taken_up"]}
    assert "五（二）" in taken


def test_downstream_of_the_notice_lists_the_shanghai_plan(built_store):
    res = lineage(built_store, find_doc(built_store, "工信厅通信〔2024〕52号")["iri"])
    assert N2026 in {d["doc"] for d in res["downstream"]}
    assert res["clause_alignments"] == []  # the notice is the top: nothing above it in the corpus


def test_chain_in_words_names_both_ends(built_store, lin):
    words = chain_in_words(lin["doc"], lin["upstream"])
    assert "物智沪联" in words and "万物智联" in words and "落实" in words


def test_successive_national_targets_and_a_shanghai_conflict(built_store):
    links = target_links(built_store)
    succ = [x for x in links if x["relation"] == "successor" and x["local"]["doc"] == N2024
            and x["source"]["doc"] == N2021]
    assert succ, "the 2024 notice's connection target succeeds the 2021 plan's"
    conflicts = [x for x in links if x["conflict"]]
    assert any("600" in x["conflict"] and "470" in x["conflict"] for x in conflicts)
    for x in links:
        assert x["local"]["iri"] != x["source"]["iri"]
        assert 0 < x["confidence"] <= 1


def test_compare_gives_pairs_with_a_diff_and_the_unaligned_clauses(built_store):
    a = find_doc(built_store, "物智沪联")["iri"]
    b = find_doc(built_store, "万物智联")["iri"]
    res = compare(built_store, a, b)
    assert res["source"] == "stored" and res["pairs"]
    for p in res["pairs"]:
        assert "".join(t for op, t in p["diff"] if op in "=-") == p["a_text"]
        assert "".join(t for op, t in p["diff"] if op in "=+") == p["b_text"]
    assert {p["a_clause"] for p in res["pairs"]}.isdisjoint({c["clause"] for c in res["only_a"]})
    # the other way round gives the same pairs, mirrored
    back = compare(built_store, b, a)
    assert sorted((p["b_clause"], p["a_clause"]) for p in back["pairs"]) == \
        sorted((p["a_clause"], p["b_clause"]) for p in res["pairs"])


def test_an_unrelated_pair_is_compared_on_the_fly(built_store):
    a = find_doc(built_store, N2025)["iri"]
    b = find_doc(built_store, N2021)["iri"]
    res = compare(built_store, a, b)
    assert res["source"] in ("stored", "computed")
    assert isinstance(res["pairs"], list) and res["only_a"]


def _build(store, paths):
    from kg.build import build
    from kg.lineage import update_derived

    return build(store, paths, after_docs=update_derived)


def test_reviews_survive_a_rebuild_and_show_everywhere(tmp_path, corpus_copy):
    from kg.review import add_link, set_review
    from kg.store import GraphStore

    store = GraphStore(tmp_path / "s", "https://policykg.example/")
    _build(store, [corpus_copy])
    d = find_doc(store, "物智沪联")["iri"]
    lin = lineage(store, d)
    up = {u["doc"]: u for u in lin["upstream"]}[N2024]
    a = next(x for x in lin["clause_alignments"] if x["rank"] == 1)
    set_review(store, up["link_iri"], "confirmed", note="核对过原文")
    set_review(store, a["iri"].rsplit("/", 1)[-1], "rejected")
    # a rebuild of every document (forced) keeps the decisions
    from kg.build import build
    from kg.lineage import update_derived

    build(store, [corpus_copy], force=True, after_docs=update_derived)
    lin2 = lineage(store, d)
    assert {u["doc"]: u for u in lin2["upstream"]}[N2024]["review"] == "confirmed"
    a2 = next(x for x in lin2["clause_alignments"] if x["iri"] == a["iri"])
    assert a2["review"] == "rejected"
    # a human link
    n2021 = find_doc(store, N2021)["iri"]
    add_link(store, d, n2021, "applies", note="人工补充")
    up3 = {u["doc"]: u for u in lineage(store, d)["upstream"]}
    assert up3[N2021]["method"] == "human" and up3[N2021]["review"] == "confirmed"
    from kg.validate import validate_store

    assert validate_store(store).conforms


def test_derived_graphs_do_not_depend_on_build_order(tmp_path, corpus_copy):
    from kg.export import export
    from kg.store import GraphStore

    one = GraphStore(tmp_path / "one", "https://policykg.example/")
    _build(one, [corpus_copy])
    two = GraphStore(tmp_path / "two", "https://policykg.example/")
    files = sorted(corpus_copy.glob("*.txt"), reverse=True)
    for f in files:  # one at a time, newest first: every pair is computed incrementally
        _build(two, [f])
    assert export(one, "nq") == export(two, "nq")


def test_a_changed_document_recomputes_only_its_pairs(tmp_path, corpus_copy):
    from kg.lineage import update_lineage
    from kg.store import GraphStore

    store = GraphStore(tmp_path / "s", "https://policykg.example/")
    _build(store, [corpus_copy])
    again = update_lineage(store)
    assert again["computed"] == 0 and again["kept"] == again["pairs"] > 0
    f = corpus_copy / f"{N2026}.txt"
    f.write_text(f.read_text(encoding="utf-8").replace("提升服务", "优化服务"), encoding="utf-8")
    from kg.build import build
    from kg.links import update_links

    build(store, [f], after_docs=update_links)
    stats = update_lineage(store)
    assert 0 < stats["computed"] < stats["pairs"]


def test_an_incremental_rebuild_equals_a_fresh_build(tmp_path, corpus_copy):
    """The lineage step's figures kept beside the store (document vectors, document similarities, what the
    target-links graph held) are keyed by document versions: after a change, the store equals a fresh
    build of the changed corpus, quad for quad."""
    from kg.export import export
    from kg.lineage import LineageCache
    from kg.store import GraphStore

    store = GraphStore(tmp_path / "s", "https://policykg.example/")
    _build(store, [corpus_copy])
    cache = LineageCache(store)
    assert cache.vectors and cache.sims and cache.graphs  # written by the build
    f = corpus_copy / f"{N2026}.txt"
    # (a citation changed too: 《上海市进一步推进新型基础设施建设行动方案》 is no longer cited, so the links graph,
    # written incrementally, loses that link)
    f.write_text(f.read_text(encoding="utf-8").replace("提升服务", "优化服务").replace("2027年", "2028年", 1)
                 .replace("《上海市进一步推进新型基础设施建设行动方案（2023—2026年）》", "新型基础设施建设有关要求"),
                 encoding="utf-8")
    links_before = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{store.iris.links_graph}> {{ ?s ?p ?o }} }}")
    _build(store, [corpus_copy])
    assert store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{store.iris.links_graph}> {{ ?s ?p ?o }} }}") \
        != links_before
    fresh = GraphStore(tmp_path / "fresh", "https://policykg.example/")
    _build(fresh, [corpus_copy])
    assert export(store, "nq") == export(fresh, "nq")
    # a cache file that cannot be read is only a slower build
    (tmp_path / "s" / LineageCache.NAME).write_bytes(b"\x00garbage")
    _build(store, [corpus_copy])
    assert export(store, "nq") == export(fresh, "nq")


def test_the_embedding_path_runs_through_the_derived_graphs(tmp_path, corpus_copy, embedder):
    """With a sentence-transformers model the pair alignments are 'hybrid'; the bundled model cannot read
    Chinese, so it must not change a single score or rank (README: "Do embeddings help?")."""
    from kg.build import build
    from kg.links import update_links
    from kg.lineage import update_lineage
    from kg.store import GraphStore

    def with_model(st):
        update_links(st)
        update_lineage(st, embedder=embedder)

    def without(st):
        update_links(st)
        update_lineage(st)

    out = {}
    for name, derive in (("hybrid", with_model), ("lexical", without)):
        store = GraphStore(tmp_path / name, "https://policykg.example/")
        build(store, [corpus_copy], after_docs=derive)
        rows = lineage(store, find_doc(store, "物智沪联")["iri"])["clause_alignments"]
        assert rows and {r["method"] for r in rows} == {name}
        if name == "hybrid":
            assert all(r["embedding_score"] is not None for r in rows)
        out[name] = [(r["local_clause"], r["source_clause"], r["score"], r["rank"]) for r in rows]
    assert out["hybrid"] == out["lexical"]


def test_a_county_city_the_gazetteer_does_not_list_is_within_its_province():
    from kg.lineage import DocInfo, may_implement, within

    def doc(level, jur, date="2021-01-01", title="某某方案"):
        return DocInfo(iri="x", id="x", title=title, level=level, jurisdiction=jur, date=date, version="1", issuers=[])

    assert within(doc("county", "温岭市"), doc("provincial", "浙江省"))  # 温岭市 → 台州市 → 浙江省 (GB/T 2260)
    assert within(doc("county", "温岭市"), doc("prefectural", "台州市"))
    assert not within(doc("county", "温岭市"), doc("provincial", "江苏省"))
    assert may_implement(doc("county", "温岭市", "2021-05-01"), doc("provincial", "浙江省", "2021-01-01"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the pool forks (Linux)")
def test_clause_texts_segmented_by_a_pool_are_kept_as_this_process_would_make_them(monkeypatch):
    import kg.lineage as lineage_mod
    from kg.align import tokens

    texts = [f"第{i}条 推进{w}建设，到2025年新建5G基站{i}万个，加强移动物联网安全防护。"
             for i, w in enumerate(["智慧城市", "数字乡村", "工业互联网", "车联网", "算力网络"] * 6)]
    with tokens.remembering():
        here = [(tokens.tokens_of(t), tokens.char_weights(t).tolist()) for t in texts]
    monkeypatch.setattr(lineage_mod, "PARALLEL_MIN_TEXTS", 4)
    with tokens.remembering():
        assert tokens.unkept(texts + texts[:3]) == texts  # distinct, first-seen order
        lineage_mod.analyse_texts(texts, 2)
        assert tokens.unkept(texts) == []  # kept here, made by the pool
        kept = [(tokens.tokens_of(t), tokens.char_weights(t).tolist()) for t in texts]
        assert all(x is sys.intern(x) for toks, _ in kept for x in toks)  # interned again
        assert not tokens.char_weights(texts[0]).flags.writeable
    assert kept == here
    assert tokens.unkept(texts) == []  # outside remembering nothing would keep them: nothing to do
