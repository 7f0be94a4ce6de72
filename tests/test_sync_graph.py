"""GraphStore.sync_graph: a derived graph rewritten subject by subject, never left wrong.

The graph must end holding exactly the triples given (plus its content digest), whether the previous
state is known, stale, or the graph was changed behind the caller's back."""
from __future__ import annotations

from rdflib import Literal, URIRef

from conftest import BASE
from kg.store import GraphStore
from kg.vocab import KG

G = URIRef(BASE + "graph/targetlinks")


def _t(n: int, v: str):
    s = URIRef(f"{BASE}targetlink/{n}")
    return [(s, KG.relation, Literal(v)), (s, KG.confidence, Literal(f"0.{n}"))]


def _content(store: GraphStore) -> set[tuple[str, str, str]]:
    rows = store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}", union=False)
    return {(r["s"], r["p"], str(r["o"])) for r in rows if r["p"] != str(KG.contentDigest)}


def _expected(triples) -> set[tuple[str, str, str]]:
    return {(str(s), str(p), str(o)) for s, p, o in triples}


def test_sync_writes_exactly_the_triples_and_only_what_changed(monkeypatch):
    store = GraphStore(None, BASE)
    first = _t(1, "share") + _t(2, "same") + _t(3, "stricter")
    known = store.sync_graph(G, first)
    assert _content(store) == _expected(first)
    # one subject changed, one gone, one new: the others are not rewritten
    second = _t(1, "share") + _t(2, "looser") + _t(4, "successor")
    writes: list[str] = []
    orig = store._run

    def spy(exclusive, fn, **kw):
        if exclusive:
            class Rec:
                def __init__(self, st):
                    self.st = st

                def update(self, text):
                    writes.append(text)
                    self.st.update(text)

                def load(self, data, **kw):
                    writes.append(data.decode("utf-8"))
                    self.st.load(data, **kw)
            return orig(exclusive, lambda st: fn(Rec(st)), **kw)
        return orig(exclusive, fn, **kw)

    monkeypatch.setattr(store, "_run", spy)
    known2 = store.sync_graph(G, second, known)
    assert _content(store) == _expected(second)
    text = "\n".join(writes)
    assert "targetlink/2>" in text and "targetlink/3>" in text and "targetlink/4>" in text
    assert "targetlink/1>" not in text  # unchanged: neither deleted nor loaded again
    writes.clear()
    assert store.sync_graph(G, second, known2) == known2
    assert writes == []  # nothing changed, nothing written


def test_stale_or_missing_state_replaces_the_whole_graph():
    store = GraphStore(None, BASE)
    known = store.sync_graph(G, _t(1, "share") + _t(2, "same"))
    # someone else rewrote the graph: the digest no longer matches what the caller knows
    store.replace_graph(G, _t(9, "conflict"))
    store.sync_graph(G, _t(1, "share") + _t(3, "same"), known)
    assert _content(store) == _expected(_t(1, "share") + _t(3, "same"))
    # no state at all (first build, lost cache file): whole replacement as well
    store.sync_graph(G, _t(5, "same"), None)
    assert _content(store) == _expected(_t(5, "same"))


def test_a_write_cut_between_its_two_steps_is_repaired_next_time():
    store = GraphStore(None, BASE)
    known = store.sync_graph(G, _t(1, "share") + _t(2, "same"))
    # the first step of a sync ran (deleted subject 2 and the digest), the second never did
    store._run(True, lambda st: st.update(
        f"DELETE WHERE {{ GRAPH <{G}> {{ <{BASE}targetlink/2> ?p ?o }} }} ;"
        f"DELETE WHERE {{ GRAPH <{G}> {{ <{G}> <{KG.contentDigest}> ?d }} }}"))
    store.sync_graph(G, _t(1, "share") + _t(2, "same"), known)
    assert _content(store) == _expected(_t(1, "share") + _t(2, "same"))


def test_a_large_graph_is_loaded_in_bounded_parts_its_digest_last(monkeypatch):
    """A graph bigger than ``LOAD_CHUNK_CHARS`` is loaded in several transactions (Oxigraph holds one whole in
    memory), none much bigger than the bound, the digest in the last one, and an old one is deleted
    ``DELETE_CHUNK`` subjects at a time; a build cut after the first load leaves no digest, and the next sync
    replaces the graph whole."""
    import kg.store as ks

    monkeypatch.setattr(ks, "LOAD_CHUNK_CHARS", 400)
    monkeypatch.setattr(ks, "DELETE_CHUNK", 3)
    triples = [t for n in range(40) for t in _t(n, "share")]
    store = GraphStore(None, BASE)
    loads: list[str] = []
    orig = store._run

    def spy(exclusive, fn, cut=False, **kw):
        if exclusive:
            class Rec:
                def __init__(self, st):
                    self.st = st

                def update(self, text):
                    self.st.update(text)

                def query(self, text):
                    return self.st.query(text)

                def load(self, data, **kw):
                    loads.append(data.decode("utf-8"))
                    self.st.load(data, **kw)
                    if cut:
                        raise KeyboardInterrupt  # the build killed after its first load
            return orig(exclusive, lambda st: fn(Rec(st)), **kw)
        return orig(exclusive, fn, **kw)

    monkeypatch.setattr(store, "_run", spy)
    known = store.sync_graph(G, triples)
    assert _content(store) == _expected(triples)
    assert len(loads) > 3 and max(map(len, loads)) < 400 + 200
    assert str(KG.contentDigest) in loads[-1] and not any(str(KG.contentDigest) in x for x in loads[:-1])
    # a cut write: the first load of a whole replacement done, the rest (and the digest) never
    monkeypatch.setattr(store, "_run", lambda exclusive, fn, **kw: spy(exclusive, fn, cut=exclusive, **kw))
    try:
        store.sync_graph(G, [t for n in range(40) for t in _t(n, "same")], None)
    except KeyboardInterrupt:
        pass
    monkeypatch.setattr(store, "_run", orig)
    rows = store.select(f"SELECT ?d WHERE {{ GRAPH <{G}> {{ <{G}> kg:contentDigest ?d }} }}", union=False)
    assert rows == []
    store.sync_graph(G, triples, known)
    assert _content(store) == _expected(triples)
    # replaced whole again (no state): the old subjects deleted three at a time, none left behind
    other = [t for n in range(50, 60) for t in _t(n, "looser")]
    store.sync_graph(G, other, None)
    assert _content(store) == _expected(other)
