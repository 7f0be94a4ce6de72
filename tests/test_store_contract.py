"""The store contract, run against the embedded store and against a real Oxigraph server.

The server is the ``oxigraph`` CLI of this environment (PyPI package ``oxigraph``), started once for
the session on a free 127.0.0.1 port with a temporary location, emptied before each test, stopped at
the end.  kg/store_sparql.py must keep every guarantee of kg/store.py: these tests are the contract.
"""
from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg.errors import QueryRefused, StoreError, StoreLocked
from kg.procs import free_port, stop, wait_http
from kg.store import GraphStore, ManifestEntry
from kg.store_sparql import LOCK_HOLDER, SparqlConfig, SparqlStore, _Holder
from kg import vocab
from kg.vocab import KG

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
BASE = "https://policykg.example/"
EX = "https://policykg.example/t/"


def _oxigraph() -> str | None:
    here = Path(sys.executable).parent / "oxigraph"
    return str(here) if here.exists() else shutil.which("oxigraph")


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """``oxigraph serve`` on 127.0.0.1: yields its base URL; stopped (and waited for) at the end."""
    exe = _oxigraph()
    if exe is None:
        pytest.skip("the oxigraph CLI (PyPI package oxigraph) is not installed")
    loc = tmp_path_factory.mktemp("oxigraph-server")
    port = free_port()
    log = open(loc.parent / f"oxigraph-{port}.log", "wb")
    proc = subprocess.Popen([exe, "serve", "--location", str(loc / "db"), "--bind", f"127.0.0.1:{port}"],
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        if not wait_http(f"{url}/query?query=ASK%7B%7D", proc, 30):  # a start-up bound, not a timed assertion
            if proc.poll() is not None:
                pytest.fail(f"oxigraph serve exited with {proc.returncode}: {Path(log.name).read_text()}")
            pytest.fail("oxigraph serve did not start listening")
        yield url
    finally:
        stop(proc)
        log.close()


def _server_store(url: str, **kw) -> SparqlStore:
    cfg = SparqlConfig.from_env({"KG_SPARQL_ENDPOINT": f"{url}/query", **kw})
    return SparqlStore(cfg, BASE)


@pytest.fixture
def server_store(oxigraph_server):
    store = _server_store(oxigraph_server)
    store._update("DROP SILENT ALL")
    return store


@pytest.fixture(params=["embedded", "oxigraph-server"])
def store(request, tmp_path):
    if request.param == "embedded":
        return GraphStore(tmp_path / "store", BASE)
    return request.getfixturevalue("server_store")


def _entry(store, name: str, sha: str = "s1", seq: int = 1) -> ManifestEntry:
    return ManifestEntry(f"/corpus/{name}.txt", sha, name, str(store.iris.graph(name)), "v1", "td-" + sha, seq)


def _graph_quads(store, graph) -> set[tuple[str, str, str]]:
    return {(q.subject.value, q.predicate.value, str(q.object)) for q in store.quads(include_manifest=True)
            if q.graph_name.value == str(graph)}


def _t(s, p, o) -> tuple:
    return (URIRef(EX + s), URIRef(EX + p), o if isinstance(o, Literal) else URIRef(EX + o))


# ---------------------------------------------------------------------------------------------- documents
def test_replace_and_remove_document_with_manifest(store):
    assert store.is_empty() and store.manifest() == {}
    g = store.iris.graph("a")
    e1 = _entry(store, "a")
    store.replace_document(g, [_t("x", "p", Literal("一")), _t("x", "q", "y")], e1)
    assert store.manifest() == {e1.source_path: e1}
    assert not store.is_empty()
    assert _graph_quads(store, g) == {(EX + "x", EX + "p", '"一"'), (EX + "x", EX + "q", f"<{EX}y>")}

    e2 = _entry(store, "a", sha="s2", seq=1)
    store.replace_document(g, [_t("x", "p", Literal("二", lang="zh"))], e2)
    assert store.manifest() == {e2.source_path: e2}
    assert _graph_quads(store, g) == {(EX + "x", EX + "p", '"二"@zh')}

    b = store.iris.graph("b")
    eb = _entry(store, "b", seq=2)
    store.replace_document(b, [_t("z", "p", Literal(3))], eb)
    store.remove_document(e2)
    assert set(store.manifest()) == {eb.source_path}
    assert _graph_quads(store, g) == set()
    assert _graph_quads(store, b) == {(EX + "z", EX + "p", f'"3"^^<{vocab.XSD.integer}>')}
    # the manifest graph is bookkeeping: never among the exported quads
    assert all(q.graph_name.value != str(store.iris.manifest_graph) for q in store.quads())


def test_a_refused_replace_changes_nothing(store):
    """One request: when the update is refused, the earlier drop of the graph is not applied either."""
    g = store.iris.graph("a")
    e1 = _entry(store, "a")
    store.replace_document(g, [_t("x", "p", Literal("旧"))], e1)
    bad = (URIRef(EX + "x"), URIRef(EX + "p"), URIRef("not an iri"))  # a space: not a valid IRI reference
    with pytest.raises((StoreError, SyntaxError, ValueError)):
        store.replace_document(g, [_t("x", "p", Literal("新")), bad], _entry(store, "a", sha="s2"))
    assert store.manifest() == {e1.source_path: e1}
    assert _graph_quads(store, g) == {(EX + "x", EX + "p", '"旧"')}


def test_replace_document_is_one_update_request(server_store, monkeypatch):
    sent: list[str] = []
    real = server_store._update
    monkeypatch.setattr(server_store, "_update", lambda text: (sent.append(text), real(text))[1])
    old = _entry(server_store, "old")
    server_store.replace_document(server_store.iris.graph("old"), [_t("o", "p", Literal(1))], old)
    sent.clear()
    server_store.replace_document(server_store.iris.graph("a"), [_t("x", "p", Literal(1))], _entry(server_store, "a"),
                                  forget_paths=[old.source_path], drop_graphs=[old.graph])
    assert len(sent) == 1
    assert set(server_store.manifest()) == {"/corpus/a.txt"}
    assert _graph_quads(server_store, server_store.iris.graph("old")) == set()


# ---------------------------------------------------------------------------------------------- derived graphs
def test_derived_graph_replace_and_drop(store):
    links = store.iris.links_graph
    store.replace_graph(links, [_t("l1", "p", "a"), _t("l2", "p", "b")])
    store.replace_graph(links, [_t("l3", "p", "c")])
    assert _graph_quads(store, links) == {(EX + "l3", EX + "p", f"<{EX}c>")}
    pair = store.iris.lineage_graph("x", "y")
    store.replace_graph(pair, [_t("al", "score", Literal("0.5", datatype=vocab.XSD.decimal))])
    store.drop_graph(pair)
    assert _graph_quads(store, pair) == set()
    assert _graph_quads(store, links) == {(EX + "l3", EX + "p", f"<{EX}c>")}


def test_replace_subject(store):
    rg = store.iris.review_graph
    s1, s2 = URIRef(EX + "r1"), URIRef(EX + "r2")
    store.replace_subject(rg, s1, [(s1, KG.reviewState, Literal("confirmed")), (s1, KG.note, Literal("好"))])
    store.replace_subject(rg, s2, [(s2, KG.reviewState, Literal("rejected"))])
    store.replace_subject(rg, s1, [(s1, KG.reviewState, Literal("rejected"))])
    assert _graph_quads(store, rg) == {(str(s1), str(KG.reviewState), '"rejected"'),
                                       (str(s2), str(KG.reviewState), '"rejected"')}
    store.replace_subject(rg, s1, [])
    assert _graph_quads(store, rg) == {(str(s2), str(KG.reviewState), '"rejected"')}


# ---------------------------------------------------------------------------------------------- reading
def test_select_runs_on_the_union_of_the_graphs(store):
    store.replace_document(store.iris.graph("a"), [_t("d1", "cites", "d2"), _t("d1", "n", Literal(7))],
                           _entry(store, "a"))
    store.replace_document(store.iris.graph("b"), [_t("d2", "title", Literal("标题")),
                                                   _t("d2", "ok", Literal(True)),
                                                   _t("d2", "r", Literal("0.25", datatype=vocab.XSD.decimal))],
                           _entry(store, "b", seq=2))
    rows = store.select(f"""SELECT ?t ?n ?ok ?r WHERE {{ <{EX}d1> <{EX}cites> ?d ; <{EX}n> ?n .
                            ?d <{EX}title> ?t ; <{EX}ok> ?ok ; <{EX}r> ?r }}""")
    assert rows == [{"t": "标题", "n": 7, "ok": True, "r": 0.25}]
    # union=False queries name their graphs; the predeclared prefixes (kg:, eli: …) are available
    named = store.select(f"SELECT ?g WHERE {{ GRAPH ?g {{ <{EX}d2> <{EX}title> ?t }} }}", union=False)
    assert named == [{"g": str(store.iris.graph("b"))}]
    assert store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s kg:documentId ?id }") == [{"n": 2}]


def test_user_query_refuses_updates_load_and_service(store):
    for q in ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "LOAD <http://127.0.0.1:9/x.ttl>",
              "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
              "DROP ALL", "SELECT * WHERE { OPTIONAL { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }"):
        with pytest.raises(QueryRefused):
            store.user_query(q, limit=10, timeout_s=10)
    assert store.is_empty()


def test_user_query_rows_limit_kinds_and_hidden_manifest(store):
    triples = [_t(f"s{i:02d}", "p", Literal(i)) for i in range(30)]
    store.replace_document(store.iris.graph("a"), triples, _entry(store, "a"))
    res = store.user_query(f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?o", limit=10, timeout_s=10)
    assert res.kind == "select" and res.variables == ["s", "o"] and res.truncated
    assert [r["o"] for r in res.rows] == list(range(10))
    full = store.user_query(f"SELECT ?s WHERE {{ ?s <{EX}p> ?o }}", limit=100, timeout_s=10)
    assert len(full.rows) == 30 and not full.truncated
    ask = store.user_query(f"ASK {{ <{EX}s03> <{EX}p> 3 }}", limit=10, timeout_s=10)
    assert (ask.kind, ask.rows) == ("ask", [{"result": True}])
    graph = store.user_query(f"CONSTRUCT {{ ?s <{EX}q> ?o }} WHERE {{ ?s <{EX}p> ?o }}", limit=5, timeout_s=10)
    assert graph.kind == "graph" and len(graph.rows) == 5 and graph.truncated
    # the manifest (absolute file paths of the build machine) is not part of the queried dataset
    for q in ("SELECT ?p WHERE { ?s kg:sourcePath ?p }",
              f"SELECT ?p WHERE {{ GRAPH <{store.iris.manifest_graph}> {{ ?s ?x ?p }} }}"):
        assert store.user_query(q, limit=10, timeout_s=10).rows == []
    g = store.user_query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", limit=10, timeout_s=10)
    assert g.rows == [{"g": str(store.iris.graph("a"))}]


# ---------------------------------------------------------------------------------------------- one writer
def _same(store, tmp_path):
    if isinstance(store, SparqlStore):
        return SparqlStore(store.config, BASE)
    return GraphStore(tmp_path / "store", BASE)


def test_build_lock_is_exclusive(store, tmp_path):
    other = _same(store, tmp_path)
    with store.build_lock():
        with pytest.raises(StoreLocked):
            with other.build_lock():
                pass
    with other.build_lock():  # released: the next build takes it
        pass


def test_server_lock_lives_in_the_store(server_store, oxigraph_server, tmp_path, monkeypatch):
    """The lock resource on the server excludes a build whose local lock file is elsewhere (another
    machine), says who holds it, and is taken over when its holder on this host is dead."""
    other = SparqlStore(server_store.config, BASE)
    with server_store.build_lock():
        monkeypatch.setattr("kg.store_sparql._local_lock_file", lambda url, base: tmp_path / "elsewhere.lock")
        assert len(server_store.lock_holders()) == 1
        with pytest.raises(StoreLocked) as e:
            with other.build_lock():
                pass
        assert f"进程 {server_store.lock_holders()[0].split(chr(9))[2]}" in str(e.value)
    assert server_store.lock_holders() == []

    L = server_store.lock_graph
    far = _Holder("another-host", "0", 4242, "abc", "2026-01-01T00:00:00Z")
    server_store._update(f'INSERT DATA {{ GRAPH <{L}> {{ <{L}> <{LOCK_HOLDER}> "{far.text}" }} }}')
    with pytest.raises(StoreLocked, match="another-host"):
        with other.build_lock():
            pass
    assert server_store.break_lock() == [far.text]

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    me = _Holder.mine()
    stale = _Holder(me.host, me.uid, dead.pid, "dead", me.since)
    server_store._update(f'INSERT DATA {{ GRAPH <{L}> {{ <{L}> <{LOCK_HOLDER}> "{stale.text}" }} }}')
    with other.build_lock():  # the killed build's lock is taken over
        assert [h.split("\t")[2] for h in other.lock_holders()] == [str(me.pid)]
    # the lock graph is never exported nor queried
    assert all(q.graph_name.value != str(L) for q in server_store.quads(include_manifest=True))


def test_quads_by_graph_store_protocol_and_by_select_agree(server_store, oxigraph_server):
    server_store.replace_document(server_store.iris.graph("a"), [_t("x", "p", Literal("一", lang="zh"))],
                                  _entry(server_store, "a"))
    server_store.replace_graph(server_store.iris.links_graph, [_t("l", "p", Literal("0.5", datatype=vocab.XSD.decimal))])
    by_select = SparqlStore(dataclasses.replace(server_store.config, gsp_url=None), BASE)
    assert server_store.config.gsp_url and by_select.config.gsp_url is None
    for inc in (False, True):
        assert sorted(map(str, server_store.quads(include_manifest=inc))) == \
            sorted(map(str, by_select.quads(include_manifest=inc)))
    assert len(server_store.quads()) == 2


# ---------------------------------------------------------------------------------------------- end to end
def test_build_of_the_corpus_exports_the_same_bytes(server_store, built_store):
    """The whole build (documents, then the derived graphs) into the server, exported: byte-identical to
    the embedded store's; a second build changes nothing."""
    from kg.build import build
    from kg.export import export
    from kg.lineage import update_derived

    results = build(server_store, [CORPUS], after_docs=update_derived)
    assert results and all(r.status == "added" for r in results), results
    assert export(server_store, "nq") == export(built_store, "nq")
    assert set(server_store.manifest()) == set(built_store.manifest())
    again = build(server_store, [CORPUS], after_docs=update_derived)
    assert {r.status for r in again} == {"unchanged"}
    assert export(server_store, "nq") == export(built_store, "nq")


def test_open_store_selects_the_backend(tmp_path, oxigraph_server):
    from kg.config import Settings
    from kg.stores import open_store

    s = Settings.load(store=tmp_path / "s")
    assert type(open_store(s, env={})) is GraphStore
    st = open_store(s, env={"KG_SPARQL_ENDPOINT": f"{oxigraph_server}/query", "KG_SPARQL_USER": "u",
                            "KG_SPARQL_PASSWORD": "secret"})
    assert isinstance(st, SparqlStore) and st.path is None
    assert st.config.update_url == f"{oxigraph_server}/update" and st.config.union == "param"
    assert "secret" not in repr(st.config)


# ---------------------------------------------------------------------------------------------- bounded reads
@pytest.fixture
def endless_server():
    """A SPARQL endpoint whose answer to a user's query never ends: a row every 20 ms, for ever."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import parse_qs

    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_POST(self):
            form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            if "GRAPH ?g" in form["query"][0] and "default-graph-uri" not in form:  # the store's own look-ups
                self.wfile.write(b'{"head":{"vars":["g"]},"results":{"bindings":[]}}')
                return
            self.wfile.write(b'{"head":{"vars":["x"]},"results":{"bindings":[')
            i = 0
            try:
                while not stop.is_set():
                    self.wfile.write(b'%s{"x":{"type":"literal","value":"%d"}}' % (b"," if i else b"", i))
                    self.wfile.flush()
                    i += 1
                    time.sleep(0.02)
            except OSError:  # the client hung up: what a bounded read does
                pass

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        stop.set()
        srv.shutdown()
        srv.server_close()
        t.join()


def test_user_query_reads_only_the_rows_it_returns(endless_server):
    store = _server_store(endless_server)
    res = store.user_query("SELECT ?x WHERE { ?s ?p ?x }", limit=5, timeout_s=60)
    assert res.truncated and [r["x"] for r in res.rows] == ["0", "1", "2", "3", "4"]


def test_user_query_gives_up_at_its_time_limit(endless_server):
    store = _server_store(endless_server)
    with pytest.raises(QueryRefused, match="时间上限"):
        store.user_query("SELECT ?x WHERE { ?s ?p ?x }", limit=10**9, timeout_s=0.5)
