"""Store, incremental build, determinism, locking, bad input and read-only queries."""

import pytest

from kg.build import build
from kg.errors import QueryRefused, StoreLocked
from kg.export import export
from kg.links import update_links
from kg.store import GraphStore, check_read_only

BASE = "https://policykg.example/"


def _build(store, paths, **kw):
    return build(store, paths, after_docs=update_links, **kw)


def test_incremental_rebuild(tmp_path, corpus_copy):
    store = GraphStore(tmp_path / "s", BASE)
    first = _build(store, [corpus_copy])
    assert sorted(r.status for r in first) == ["added"] * 5
    again = _build(store, [corpus_copy])
    assert [r.status for r in again] == ["unchanged"] * 5
    before = export(store, "nq")

    # a changed file replaces exactly its own named graph
    f = corpus_copy / "2024-gongxinting-tongxin-52-mobile-iot-notice.txt"
    f.write_text(f.read_text(encoding="utf-8").replace("力争突破36亿", "力争突破40亿"), encoding="utf-8")
    res = {r.doc_id: r.status for r in _build(store, [corpus_copy])}
    assert res["2024-gongxinting-tongxin-52-mobile-iot-notice"] == "updated"
    assert sorted(res.values()).count("unchanged") == 4
    after = export(store, "nq")
    changed = set(before.splitlines()) ^ set(after.splitlines())
    graphs = {line.rsplit(" ", 2)[-2] for line in changed}
    assert graphs <= {f"<{BASE}graph/2024-gongxinting-tongxin-52-mobile-iot-notice>", f"<{BASE}graph/links>"}
    assert any("4000000000" in line for line in after.splitlines())
    assert not any('"3600000000"' in line for line in after.splitlines())

    # a file deleted from a folder that was built before disappears on the next build of that folder
    (corpus_copy / "2025-hu-tongxinguan-lingang-1-business-environment-plan.txt").unlink()
    res = _build(store, [corpus_copy])
    assert [r.status for r in res if r.status == "removed"] == ["removed"]
    assert "2025-hu-tongxinguan-lingang" not in export(store, "nq")


def test_export_depends_only_on_the_set_of_files(tmp_path, corpus_copy):
    files = sorted(corpus_copy.glob("*.txt"))
    a = GraphStore(tmp_path / "a", BASE)
    _build(a, [corpus_copy])
    b = GraphStore(tmp_path / "b", BASE)
    for f in reversed(files):  # one at a time, in the opposite order
        _build(b, [f])
    for fmt in ("nq", "turtle", "trig", "jsonld"):
        assert export(a, fmt) == export(b, fmt), fmt
    _build(a, [corpus_copy], force=True)
    assert export(a, "trig") == export(b, "trig")


def test_bad_files_are_reported_and_the_others_land(tmp_path, corpus_copy):
    (corpus_copy / "empty.txt").write_bytes(b"")
    (corpus_copy / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (corpus_copy / "slides.pptx").write_bytes(b"PK\x03\x04")  # unsupported: not picked up from a folder
    (corpus_copy / "no-structure.txt").write_text("会议纪要\n今天开会讨论了很多事情，大家发言踊跃，气氛热烈，形成了一些共识。", encoding="utf-8")
    gbk = "杭州市数据资源管理局关于做好数据归集工作的通知\n杭数据〔2025〕3号\n\n一、工作目标\n到2026年，完成全部市级部门数据归集。\n"
    (corpus_copy / "gbk-notice.txt").write_bytes(gbk.encode("gbk"))
    store = GraphStore(tmp_path / "s", BASE)
    res = {r.path.rsplit("/", 1)[-1]: r for r in _build(store, [corpus_copy, tmp_path / "missing.txt"])}
    assert res["empty.txt"].status == "failed" and "空" in res["empty.txt"].reason
    assert res["binary.txt"].status == "failed" and "二进制" in res["binary.txt"].reason
    assert res["missing.txt"].status == "failed"
    assert "slides.pptx" not in res
    assert res["no-structure.txt"].status == "added" and res["no-structure.txt"].warnings
    assert res["gbk-notice.txt"].status == "added" and any("gb" in w.lower() for w in res["gbk-notice.txt"].warnings)
    assert sum(1 for r in res.values() if r.status == "added") == 7
    from kg.query.docs import list_docs

    docs = {d["id"]: d for d in list_docs(store)}
    assert docs["gbk-notice"]["doc_number"] == "杭数据〔2025〕3号"


def test_one_writer_at_a_time(tmp_path):
    store = GraphStore(tmp_path / "s", BASE)
    other = GraphStore(tmp_path / "s", BASE)
    with store.build_lock():
        with pytest.raises(StoreLocked) as e:
            with other.build_lock():
                pass
        assert "另一个构建" in str(e.value)
    with other.build_lock():  # released
        pass


def test_readers_see_the_store_during_a_build_lock(tmp_path, corpus_copy):
    store = GraphStore(tmp_path / "s", BASE)
    _build(store, [corpus_copy / "2024-gongxinting-tongxin-52-mobile-iot-notice.txt"])
    reader = GraphStore(tmp_path / "s", BASE)
    with store.build_lock():
        assert len(reader.manifest()) == 1  # queries keep answering while a build holds the lock


@pytest.mark.parametrize("q", [
    "DELETE WHERE { ?s ?p ?o }",
    "INSERT DATA { <a:x> <a:y> <a:z> }",
    "LOAD <http://example.org/x.ttl>",
    "DROP ALL",
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
])
def test_updates_load_and_service_are_refused(q):
    with pytest.raises(QueryRefused):
        check_read_only(q)


def test_keywords_inside_strings_are_not_refused():
    check_read_only('SELECT ?s WHERE { ?s ?p "please DELETE me" } # INSERT in a comment')
    check_read_only("PREFIX ex: <http://example.org/load#> SELECT ?add ?with WHERE { ?add ex:Clear ?with }")
    check_read_only("SELECT ?x WHERE { ?x ?p ?v FILTER(?v < 5 && ?v > 1) }")


def test_service_hidden_between_comments_is_refused():
    q = 'SELECT * WHERE {\n# """\n  SERVICE <http://127.0.0.1:8765/sparql> { ?s ?p ?o }\n# """\n}'
    with pytest.raises(QueryRefused):
        check_read_only(q)
    with pytest.raises(QueryRefused):
        check_read_only("SELECT * WHERE { ?s ?p 'x' . service <http://e.org/s> { ?s ?p ?o } }")


def test_user_query_is_bounded(built_store):
    res = built_store.user_query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", limit=7, timeout_s=60)
    assert res.kind == "select" and len(res.rows) == 7 and res.truncated
    res = built_store.user_query("ASK { ?d a kg:SourceDocument }", limit=10, timeout_s=60)
    assert res.kind == "ask" and res.rows == [{"result": True}]
    with pytest.raises(QueryRefused):
        built_store.user_query("SELEC nonsense", limit=10, timeout_s=60)


def test_a_query_past_its_time_limit_is_killed_and_releases_the_store(built_store):
    import fcntl
    import os

    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with pytest.raises(QueryRefused) as e:
        built_store.user_query(heavy, limit=10, timeout_s=2)
    assert "时间上限" in str(e.value)
    fd = os.open(built_store.path / "access.lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # nobody holds the store any more
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def test_in_memory_store_has_the_same_api(corpus_dir):
    store = GraphStore(None, BASE)
    res = _build(store, [corpus_dir / "2024-gongxinting-tongxin-52-mobile-iot-notice.txt"])
    assert res[0].status == "added"
    assert len(store.manifest()) == 1


@pytest.mark.parametrize("fmt", ["trig", "turtle", "jsonld", "nq"])
def test_exports_are_identical_across_processes(built_store, fmt):
    """Hash randomisation differs per process: nothing in an export may depend on it."""
    import os
    import subprocess
    import sys

    outs = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        r = subprocess.run([sys.executable, "-m", "kg.cli", "--store", str(built_store.path), "export", "-f", fmt],
                           capture_output=True, env=env, timeout=300)
        assert r.returncode == 0, r.stderr.decode()
        outs.add(r.stdout)
    assert len(outs) == 1


def test_a_moved_file_keeps_one_entry(tmp_path, corpus_copy):
    store = GraphStore(tmp_path / "s", BASE)
    _build(store, [corpus_copy])
    name = "2024-gongxinting-tongxin-52-mobile-iot-notice.txt"
    (corpus_copy / "sub").mkdir()
    (corpus_copy / name).rename(corpus_copy / "sub" / name)
    res = {r.status for r in _build(store, [corpus_copy])}
    assert "failed" not in res
    paths = [p for p in store.manifest() if p.endswith(name)]
    assert paths == [str(corpus_copy / "sub" / name)]


def test_the_query_layer_does_not_load_the_pipeline():
    import subprocess
    import sys

    code = ("import sys, kg.query.facts, kg.query.docs, kg.query.clauses, kg.query.lineage, kg.query.compare; "
            "print(sorted(m for m in sys.modules if m.startswith(('kg.extract', 'kg.pipeline', 'kg.clean', "
            "'kg.graph', 'kg.facts', 'kg.gazetteer', 'spacy', 'torch', 'sentence_transformers'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_in_memory_stores_never_share_cached_answers():
    """Each store holds one document of its own; a cache keyed by id() (reused once a store is freed) gave a
    new store the document list of a dead one."""
    import gc

    from rdflib import Literal, URIRef

    from kg.query.docs import list_docs
    from kg.store import GraphStore
    from kg.vocab import KG, RDF

    for i in range(30):
        st = GraphStore(None, "https://policykg.example/")
        d = URIRef(f"https://policykg.example/doc/d{i}")
        st.replace_graph(URIRef(f"https://policykg.example/graph/d{i}"), [
            (d, RDF.type, KG.SourceDocument), (d, KG.documentId, Literal(f"d{i}")),
            (d, KG.sourceFile, Literal(f"d{i}.txt")), (d, KG.clauseCount, Literal(1))])
        assert [x["id"] for x in list_docs(st)] == [f"d{i}"]
        del st
        gc.collect()


def test_the_manifest_read_once_per_state_sees_another_writers_change(tmp_path, corpus_copy):
    """GraphStore.manifest is kept per state token: a second read of one state reads nothing, and a write by
    another handle on the same store (another process) is seen at the next read."""
    from kg.build import build

    a = GraphStore(tmp_path / "s", "https://policykg.example/")
    files = sorted(corpus_copy.glob("*.txt"))
    build(a, [files[0]])
    first = a.manifest()
    assert len(first) == 1
    reads = []
    real = GraphStore._read_manifest
    GraphStore._read_manifest = lambda self: reads.append(1) or real(self)
    try:
        first.clear()  # the caller's own copy
        assert len(a.manifest()) == 1 and reads == []
        b = GraphStore(tmp_path / "s", "https://policykg.example/")
        build(b, [files[0], files[1]])
        assert len(a.manifest()) == 2 and len(reads) >= 1
    finally:
        GraphStore._read_manifest = real


def test_the_manifest_memo_kept_across_the_builds_own_writes_is_what_a_read_gives(tmp_path, corpus_copy, monkeypatch):
    """A build brings the manifest memo forward past its own writes (documents added, changed, removed, moved;
    derived graphs) instead of reading the records again; what it keeps is exactly what a fresh read gives, and
    a write by another handle in between is still seen."""
    from kg.lineage import update_derived

    store = GraphStore(tmp_path / "s", BASE)
    reads = []
    real = GraphStore._read_manifest
    monkeypatch.setattr(GraphStore, "_read_manifest", lambda self: reads.append(1) or real(self))

    def check():
        kept = store.manifest()
        assert kept == real(GraphStore(tmp_path / "s", BASE))
        return kept

    build(store, [corpus_copy], after_docs=update_derived)
    assert len(check()) == 5
    f = corpus_copy / "2024-gongxinting-tongxin-52-mobile-iot-notice.txt"
    f.write_text(f.read_text(encoding="utf-8").replace("力争突破36亿", "力争突破40亿"), encoding="utf-8")
    reads.clear()
    build(store, [corpus_copy], after_docs=update_derived)
    assert len(reads) <= 1  # (the first read of this handle's state, if any): not one per write
    check()
    (corpus_copy / "sub").mkdir()
    f.rename(corpus_copy / "sub" / f.name)
    (corpus_copy / "2025-hu-tongxinguan-lingang-1-business-environment-plan.txt").unlink()
    (corpus_copy / "copy.txt").write_bytes((corpus_copy / "sub" / f.name).read_bytes())
    build(store, [corpus_copy], after_docs=update_derived)
    assert len(check()) == 5
    other = GraphStore(tmp_path / "s", BASE)
    other.remove_document(next(iter(other.manifest().values())))
    assert len(check()) == 4


def test_the_bulk_loader_writes_the_same_store_as_transactions(tmp_path, corpus_copy, monkeypatch):
    """A large write goes through Oxigraph's bulk loader (kg.store.BULK_MIN_QUADS): a parallel build, its
    documents committed in batches and its derived graphs (lineage pairs, links) replaced in batches, ends
    with the store a build of small transactions gives, quad for quad."""
    import kg.store
    from kg.lineage import update_derived

    files = sorted(corpus_copy.glob("*.txt"))
    exports = {}
    bulk_ok = GraphStore._bulk_ok
    for name, threshold in (("transactions", 10 ** 9), ("bulk", 1)):
        monkeypatch.setattr(kg.store, "BULK_MIN_QUADS", threshold)
        used = []
        monkeypatch.setattr(GraphStore, "_bulk_ok", lambda self, st, n: used.append(bulk_ok(self, st, n)) or used[-1])
        store = GraphStore(tmp_path / name, BASE)
        results = build(store, files, after_docs=update_derived, workers=2)
        assert all(r.status == "added" for r in results), results
        assert not (tmp_path / name / kg.store.BULK_PENDING).exists()
        exports[name] = export(store, "nq")
        assert any(used) == (name == "bulk") and len(used) >= 2  # the documents' batch and the lineage pairs
    assert exports["bulk"] == exports["transactions"]
    assert "/graph/lineage/" in exports["bulk"]


def test_a_bulk_load_cut_short_is_dropped_before_anyone_reads(tmp_path, corpus_copy):
    """A process killed during a bulk load leaves the list of graphs it was writing (kg.store.BULK_PENDING):
    the next reader or writer drops those graphs first — never seen half written — and the next build writes
    them again, ending with the store it had."""
    import kg.store
    from kg.lineage import update_derived
    from kg.query.docs import list_docs

    files = sorted(corpus_copy.glob("*.txt"))
    store = GraphStore(tmp_path / "s", BASE)
    build(store, files, after_docs=update_derived)
    before = export(store, "nq")
    lineage = sorted({line.rsplit(" ", 2)[-2].strip("<>") for line in before.splitlines()
                      if "/graph/lineage/" in line.rsplit(" ", 2)[-2]})
    assert lineage
    pending = tmp_path / "s" / kg.store.BULK_PENDING
    pending.write_text("\n".join(lineage) + "\n", encoding="utf-8")
    reader = GraphStore(tmp_path / "s", BASE)  # another process, reading
    assert list_docs(reader)  # the read heals the store first
    assert not pending.exists()
    after = export(reader, "nq")
    assert "/graph/lineage/" not in after and len(after) < len(before)
    build(store, files, after_docs=update_derived)  # the derived step recomputes exactly what is missing
    assert export(store, "nq") == before
