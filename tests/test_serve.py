"""The read-only guard (a real SPARQL parser), the query worker's walls, and ``kg serve``.

The SERVICE bypasses are those of issue 10: each once made Oxigraph POST to a local listener.
Every network test uses a listener on 127.0.0.1 and checks that it was never called.
"""
from __future__ import annotations

import http.server
import json
import random as random_module
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg.errors import QueryRefused
from kg.sparql_guard import check_query, lexer_check, parser_check
from kg.store import GraphStore, check_read_only

BASE = "https://policykg.example/"
CORPUS = Path(__file__).resolve().parent.parent / "corpus"


# ------------------------------------------------------------------------------------------ a listener
class _Listener:
    """A fake SPARQL endpoint on 127.0.0.1 that counts the requests it gets."""

    def __init__(self) -> None:
        hits = self.hits = []

        class H(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                hits.append(self.path)
                out = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"LEAK"}}]}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            do_GET = do_POST

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener():
    ls = _Listener()
    yield ls
    ls.close()


def _bypasses(url: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o<'>'||true) SERVICE <{url}> {{ ?x ?y ?z }} }} LIMIT 1",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o != <http://x/\\u0041#>) SERVICE <{url}> {{ ?x ?y ?z }} }} LIMIT 1",
        f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{url}> {{ ?x ?y ?z }} }} }} LIMIT 1",
        f"SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ SERVICE SILENT <{url}> {{ ?x ?y ?z }} }} }} LIMIT 1",
        f"SELECT * WHERE {{ {{ SELECT ?x WHERE {{ SERVICE <{url}> {{ ?x ?y ?z }} }} }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?x ?y ?z }} }} }} LIMIT 1",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o<'>'||true) MINUS {{ GRAPH ?g {{ SERVICE <{url}> {{ ?x ?y ?z }} }} }} }}",
        f"ASK {{ ?s ?p ?o FILTER(?o<'>'||true) OPTIONAL {{ {{ SELECT * {{ SERVICE <{url}> {{ ?x ?y ?z }} }} }} }} }}",
    ]


# ------------------------------------------------------------------------------------------ the guard
ORDINARY = [
    "SELECT ?from ?to WHERE { ?from eli:applies ?to }",
    "SELECT ?d ?u WHERE { ?d (eli:applies|eli:based_on|eli:cites)+ ?u }",
    "SELECT ?c WHERE { ?c ^eli:has_part/eli:is_part_of* ?d ; prov:wasDerivedFrom? ?x }",
    "SELECT ?d (COUNT(?c) AS ?n) WHERE { ?c eli:is_part_of ?d } GROUP BY ?d HAVING (COUNT(?c) > 2) ORDER BY DESC(?n)",
    "SELECT (GROUP_CONCAT(DISTINCT ?l; separator='、') AS ?ls) (SAMPLE(?a) AS ?one) WHERE { ?a a org:Organization ; skos:prefLabel ?l }",
    "SELECT ?d WHERE { VALUES ?lvl { 'national' 'provincial' } ?d kg:level ?lvl }",
    "SELECT ?d ?t WHERE { ?d a kg:SourceDocument . BIND(STR(?d) AS ?t) FILTER NOT EXISTS { ?d eli:applies ?z } }",
    "SELECT * WHERE { ?s dcterms:title|rdfs:label ?l MINUS { ?s a kg:Clause } } LIMIT 1",
    "ASK { ?d a kg:SourceDocument }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3",
    "DESCRIBE <https://policykg.example/doc/x>",
    "SELECT * WHERE { GRAPH ?g { ?s skos:prefLabel ?l } FILTER(CONTAINS(?l, '通信') && LANG(?l) = '') } LIMIT 5",
    'SELECT ?s WHERE { ?s ?p "please DELETE me; LOAD <x> SERVICE" } # INSERT in a comment',
    "PREFIX ex: <http://example.org/load#> SELECT ?add ?with WHERE { ?add ex:Clear ?with }",
    "SELECT ?x WHERE { ?x ?p ?v FILTER(?v < 5 && ?v > 1) }",
    "SELECT * { { SELECT ?d WHERE { ?d a kg:SourceDocument } LIMIT 2 } OPTIONAL { ?d eli:title ?t } }",
]


@pytest.mark.parametrize("q", ORDINARY)
def test_ordinary_queries_pass_with_the_predeclared_prefixes(q):
    check_read_only(q)
    parser_check(q)  # the parser alone accepts them too


@pytest.mark.parametrize("i", range(8))
def test_service_bypasses_are_refused_by_the_parser(i):
    q = _bypasses("http://127.0.0.1:9/sparql")[i]
    with pytest.raises(QueryRefused):
        check_read_only(q)
    with pytest.raises(QueryRefused):
        parser_check(q)  # the parser wall holds on its own, whatever the lexer does


def test_the_lexer_alone_is_fooled_by_the_first_bypass_but_the_parser_is_not():
    q = _bypasses("http://127.0.0.1:9/sparql")[0]
    lexer_check(q)  # the old wall: fooled by <'>'
    with pytest.raises(QueryRefused, match="SERVICE"):
        parser_check(q)


@pytest.mark.parametrize("q,word", [
    ("LOAD <http://example.org/x.ttl>", "LOAD"),
    ("INSERT DATA { <a:x> <a:y> <a:z> }", "INSERT"),
    ("DELETE WHERE { ?s ?p ?o }", "DELETE"),
    ("DROP ALL", "DROP"),
    ("CLEAR DEFAULT", "CLEAR"),
    ("WITH <a:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH|DELETE"),
])
def test_updates_are_refused_by_both_walls(q, word):
    with pytest.raises(QueryRefused, match=word):
        check_read_only(q)
    with pytest.raises(QueryRefused, match="只允许只读查询"):
        parser_check(q)


def test_unparsable_and_undeclared_prefix_queries_are_refused_in_chinese():
    with pytest.raises(QueryRefused, match="语法错误"):
        check_query("SELEC nonsense")
    with pytest.raises(QueryRefused, match="nope"):
        check_query("SELECT ?x WHERE { ?x nope:p ?y }")
    with pytest.raises(QueryRefused, match="转义"):
        check_query('SELECT ?x WHERE { BIND("\\u0022" AS ?x) }')
    with pytest.raises(QueryRefused):
        check_query("   ")


def test_the_prefixes_given_to_the_parser_are_the_engines():
    check_query("SELECT ?x WHERE { ?x ex:p ?y }", {"ex": "http://example.org/"})
    with pytest.raises(QueryRefused):
        check_query("SELECT ?x WHERE { ?x ex:p ?y }")


# ------------------------------------------------------------------------------------------ a small store
@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> GraphStore:
    """Two small documents of the seed corpus (the 2026 plan applies the 2024 notice)."""
    from kg.build import build
    from kg.links import update_links

    path = tmp_path_factory.mktemp("serve-store")
    store = GraphStore(path, BASE)
    files = [CORPUS / "2024-gongxinting-tongxin-52-mobile-iot-notice.txt",
             CORPUS / "2026-hu-tongxinguanfa-5-wuzhihulian-iot-action-plan.txt"]
    results = build(store, files, after_docs=update_links)
    assert all(r.status == "added" for r in results), results
    return store


# ------------------------------------------------------------------------------------------ the worker's walls
def test_the_worker_is_refused_memory_beyond_its_bound(small_store, monkeypatch):
    monkeypatch.setenv("KG_QUERY_MEMORY_MB", "800")
    heavy = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
    with pytest.raises(QueryRefused, match="查询超出内存上限") as e:
        small_store.user_query(heavy, limit=10, timeout_s=300)
    assert "800 MiB" in str(e.value)
    # an ordinary query under the same bound still runs
    assert small_store.user_query("ASK { ?d a kg:SourceDocument }", limit=10, timeout_s=60).rows == [{"result": True}]


def _netns_available() -> bool:
    probe = "import kg.query_worker as w, sys; sys.exit(0 if w._leave_network() else 1)"
    return subprocess.run([sys.executable, "-c", probe], cwd=Path(__file__).parent.parent).returncode == 0


def test_the_worker_cannot_reach_the_network_even_if_a_service_got_through(small_store, listener):
    if not _netns_available():
        pytest.skip("no unprivileged user namespaces on this system: the parser wall is the only one")
    payload = json.dumps({"path": str(small_store.path), "base": BASE, "limit": 5,
                          "query": f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?x ?y ?z }} }}"})
    # the worker is run directly here, past every check, as a query that fooled the parser would be
    proc = subprocess.run([sys.executable, "-m", "kg.query_worker"], input=payload, capture_output=True, text=True,
                          timeout=120, cwd=Path(__file__).parent.parent)
    assert "error" in json.loads(proc.stdout)
    assert listener.hits == []


def test_user_queries_with_the_bypasses_never_reach_the_listener(small_store, listener):
    for q in _bypasses(listener.url):
        with pytest.raises(QueryRefused):
            small_store.user_query(q, limit=5, timeout_s=60)
    assert listener.hits == []


# ------------------------------------------------------------------------------------------ kg serve
def _get(url: str, query: str, accept: str = "application/sparql-results+json", headers: dict | None = None):
    req = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": query}),
                                 headers={"Accept": accept, **(headers or {})})
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status, r.headers.get_content_type(), r.read()


def _post(url: str, body: bytes, ctype: str, method: str = "POST"):
    req = urllib.request.Request(url, data=body, method=method,
                                 headers={"Content-Type": ctype, "Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def _rows(body: bytes) -> list[dict]:
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(body)["results"]["bindings"]]


@pytest.fixture(scope="module")
def endpoint(small_store):
    from kg.serve import Endpoint

    ep = Endpoint(small_store, "127.0.0.1", 0, timeout_s=20, poll_s=0.5).start()
    yield ep
    ep.stop()


def test_serve_answers_sparql_protocol_queries(endpoint):
    q = "SELECT ?id WHERE { ?d a kg:SourceDocument ; kg:documentId ?id } ORDER BY ?id"  # PREFIX-less, as kg sparql
    status, ctype, body = _get(endpoint.url, q)
    assert status == 200 and ctype == "application/sparql-results+json"
    assert [r["id"] for r in _rows(body)] == ["2024-gongxinting-tongxin-52-mobile-iot-notice",
                                              "2026-hu-tongxinguanfa-5-wuzhihulian-iot-action-plan"]
    # POST, both encodings; property paths; the union default graph (links live in their own graph)
    q2 = "SELECT ?u WHERE { ?d kg:documentId '2026-hu-tongxinguanfa-5-wuzhihulian-iot-action-plan' ; eli:applies+ ?u }"
    status, body = _post(endpoint.url, q2.encode(), "application/sparql-query")
    assert status == 200 and f"{BASE}doc/2024-gongxinting-tongxin-52-mobile-iot-notice" in {r["u"] for r in _rows(body)}
    status, body = _post(endpoint.url, urllib.parse.urlencode({"query": q}).encode(), "application/x-www-form-urlencoded")
    assert status == 200 and len(_rows(body)) == 2
    status, ctype, body = _get(endpoint.url, q, accept="text/csv")
    assert ctype == "text/csv" and body.decode().splitlines()[0] == "id"


def test_serve_refuses_updates_and_other_methods(endpoint, small_store):
    base = endpoint.url.rsplit("/", 1)[0]
    upd = b"INSERT DATA { GRAPH <a:g> { <a:x> <a:y> <a:z> } }"
    for url, body, ctype in [(base + "/update", upd, "application/sparql-update"),
                             (endpoint.url, upd, "application/sparql-update"),
                             (base + "/update", b"update=DROP%20ALL", "application/x-www-form-urlencoded"),
                             (endpoint.url, b"update=DROP%20ALL", "application/x-www-form-urlencoded")]:
        status, text = _post(url, body, ctype)
        assert 400 <= status < 500, (url, ctype, status)
        assert "只读" in text.decode()
    status, text = _post(endpoint.url, upd, "application/sparql-query")  # an update sent as a query
    assert 400 <= status < 500
    status, _ = _post(base + "/store", b"<a:x> <a:y> <a:z> .", "application/n-triples", method="PUT")
    assert status == 405
    status, _ = _post(base + "/store", b"", "text/plain", method="DELETE")
    assert status == 405
    assert small_store.user_query("ASK { GRAPH <a:g> { ?s ?p ?o } }", limit=1, timeout_s=60).rows == [{"result": False}]


def test_serve_refuses_service_and_never_calls_out(endpoint, listener):
    for q in _bypasses(listener.url) + [f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?x ?y ?z }} }}"]:
        status, text = _post(endpoint.url, q.encode(), "application/sparql-query")
        assert status == 400, q
        assert "拒绝" in text.decode() or "转义" in text.decode()
    assert listener.hits == []


def test_the_engine_behind_serve_is_cut_off_from_the_network(endpoint, listener):
    """The second wall: even a SERVICE sent straight to the Oxigraph server (past the guard) goes nowhere."""
    if not endpoint.isolated:
        pytest.skip("no unprivileged user namespaces on this system: the guard is the only wall")
    backend = endpoint.backend()
    try:
        conn = backend.connection(timeout=30)
        conn.request("POST", "/query", body=f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?x ?y ?z }} }}".encode(),
                     headers={"Content-Type": "application/sparql-query"})
        resp = conn.getresponse()
        body = resp.read()
        conn.close()
    finally:
        backend.release()
    assert resp.status >= 400 or b"LEAK" not in body
    assert listener.hits == []


def test_serve_hides_the_manifest_and_refuses_foreign_host_names(endpoint):
    _, _, body = _get(endpoint.url, "ASK { GRAPH ?g { ?s kg:sourcePath ?p } }")
    assert json.loads(body)["boolean"] is False  # absolute source paths are not served
    with pytest.raises(urllib.error.HTTPError) as e:
        _get(endpoint.url, "ASK {}", headers={"Host": "attacker.example:7878"})
    assert e.value.code == 403


def test_serve_follows_the_store_through_fresh_snapshots(endpoint, small_store):
    marker = URIRef(f"{BASE}test/serve-marker")
    before = endpoint.state
    small_store.replace_graph(URIRef(f"{BASE}graph/test-serve"), [(marker, URIRef(f"{BASE}ns#note"), Literal("新快照"))])
    q = f"ASK {{ <{marker}> ?p '新快照' }}"
    deadline = time.monotonic() + 60  # a bound on the wait, not a timing assertion
    seen = False
    while time.monotonic() < deadline and not seen:
        seen = json.loads(_get(endpoint.url, q)[2])["boolean"]
        if not seen:
            time.sleep(0.2)
    assert seen and endpoint.state != before


def test_serve_page_and_cli_help():
    from typer.testing import CliRunner

    from kg.cli import app

    res = CliRunner().invoke(app, ["serve", "--help"])
    assert res.exit_code == 0 and "--host" in res.output and "127.0.0.1" in res.output


# ------------------------------------------------------------------------------------------ differential fuzz
_NOISE = [
    "'>'", '"<"', "'\\''", '"\\""', "'''a'b'''", '"""x"y"""', '"#"', "'\\\\'", '"\\u0022"', "'}'",
    "<http://x/#>", "<'>", "<http://x/a'b>", "<urn:x>", "<http://x/\\u0041#>",
    "# } SERVICE\n", "#'\n", "<", ">", "'", '"', "\\", "#",
    "?o", "true", "5", "'a'@zh", "'1'^^xsd:integer", "kg:x",
]
_FILTERS = ["FILTER(?o < {n} || true)", "FILTER(?o != {n})", "FILTER(?o = {n} || ?o < {n})", "BIND({n} AS ?b)",
            "FILTER(STR(?o) != {n})", "{n}"]
_WRAP = ["{s}", "OPTIONAL {{ {s} }}", "{{ ?s ?p ?o }} UNION {{ {s} }}", "MINUS {{ {s} }}",
         "{{ SELECT * WHERE {{ {s} }} }}", "FILTER EXISTS {{ {s} }}", "GRAPH ?g {{ {s} }}"]
_SERVICES = ["SERVICE <{u}> {{ ?x ?y ?z }}", "service silent <{u}> {{?x ?y ?z}}",
             "SERVICE ?svc {{ ?x ?y ?z }}"]


def _fuzz_queries(url: str, n: int, seed: int = 10) -> list[str]:
    rnd = random_module.Random(seed)
    out = []
    for _ in range(n):
        noise = " ".join(rnd.choice(_NOISE) for _ in range(rnd.randint(0, 2)))
        flt = rnd.choice(_FILTERS).format(n=noise or "'x'")
        svc = rnd.choice(_SERVICES).format(u=url)
        body = rnd.choice(_WRAP).format(s=svc)
        pre = "VALUES ?svc { <%s> } " % url if "?svc" in svc else ""
        out.append(f"SELECT * WHERE {{ {pre}?s ?p ?o {flt} {body} }} LIMIT 1")
    return out


def test_differential_fuzz_no_query_that_makes_oxigraph_call_out_passes_the_guard(listener):
    """For every generated query: if Oxigraph itself would send it to the listener, the guard refuses it."""
    import pyoxigraph as ox

    from kg.vocab import PREFIXES

    st = ox.Store()
    for o in (ox.Literal(">"), ox.Literal("x"), ox.Literal("5", datatype=ox.NamedNode(PREFIXES["xsd"] + "integer"))):
        st.add(ox.Quad(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), o))
    calls_out = passed = 0
    for q in _fuzz_queries(listener.url, 300):
        before = len(listener.hits)
        try:
            res = st.query(q, prefixes=PREFIXES)
            list(res) if not isinstance(res, (bool, ox.QueryBoolean)) else None
        except (SyntaxError, OSError, ValueError, RuntimeError):
            pass
        engine_called = len(listener.hits) > before
        calls_out += engine_called
        try:
            check_read_only(q)
            passed += 1
            assert not engine_called, f"the guard let through a query that reaches the network:\n{q}"
        except QueryRefused:
            pass
    assert calls_out >= 50  # the fuzz does produce real attacks on the bare engine


def test_differential_fuzz_queries_oxigraph_accepts_pass_the_guard(monkeypatch):
    """The other direction: without SERVICE, what Oxigraph parses the guard accepts (``\\u`` escapes
    excepted: they are refused on purpose, since the two parsers read them differently)."""
    import pyoxigraph as ox

    from kg.vocab import PREFIXES

    monkeypatch.setattr(sys.modules[__name__], "_SERVICES", ["{{ ?x ?y ?z }}", "GRAPH <{u}> {{ ?x ?y ?z }}",
                                                              "BIND(?svc AS ?w)"])
    st = ox.Store()
    valid = 0
    for q in _fuzz_queries("http://example.org/g", 300, seed=3):
        try:
            st.query(q, prefixes=PREFIXES)
        except SyntaxError:
            continue
        valid += 1
        if "\\u" in q or "\\U" in q:
            with pytest.raises(QueryRefused, match="转义"):
                check_read_only(q)
        else:
            check_read_only(q)
    assert valid >= 100


def test_serve_without_namespaces_still_guards_everything(small_store, listener):
    """Where user namespaces are not available the engine listens on a loopback port; the guard holds."""
    from kg.serve import Endpoint

    with Endpoint(small_store, "127.0.0.1", 0, timeout_s=20, poll_s=5, isolate=False) as ep:
        assert not ep.isolated
        _, _, body = _get(ep.url, "SELECT (COUNT(*) AS ?n) WHERE { ?d a kg:SourceDocument }")
        assert _rows(body) == [{"n": "2"}]
        status, _ = _post(ep.url, _bypasses(listener.url)[0].encode(), "application/sparql-query")
        assert status == 400
        snapshot_dir = ep._tmp
    assert listener.hits == []
    assert not snapshot_dir.exists()  # the snapshot is removed with the endpoint
