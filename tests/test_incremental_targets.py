"""Issue 9: the target-links step of a rebuild links only the targets whose links may have changed.

The lineage cache beside the store (``lineage-cache.marshal``) keeps each document's targets (by document
version), the state of each document (with the documents its lineage links reach) and the target links of
each pair of documents the graph was last written from.  A local target keeps its few most plausible
sources (kg/targetlinks.py), so a rebuild after one document changed, was added or was removed links again
the targets of that document and of the documents whose best few it may enter or leave (those it may be a
source or a peer of, those linked to it); it reads only that document's targets, and digests and writes
only the links of the documents linked again.  Whatever the cache holds, the store must equal — quad for
quad — a fresh build of the same files (also with one source and one peer per target, where a new document
pushes another out); a cache that is missing, from an earlier state of the store or from another store
falls back to the full computation."""
from __future__ import annotations

import re
import shutil
import sys

import pytest

from conftest import BASE, CORPUS, N2026, ROOT

GENERATED = 6  # one family of generated documents (a State Council plan, ministry, province, city …)


def _build(store, paths):
    from kg.build import build
    from kg.lineage import update_derived

    return build(store, paths, after_docs=update_derived)


def _corpus(tmp_path, generated: int = GENERATED):
    d = tmp_path / "corpus"
    d.mkdir()
    for f in CORPUS.glob("*.txt"):
        shutil.copy(f, d / f.name)
    if generated:
        sys.path.insert(0, str(ROOT / "bench"))
        try:
            from generate import generate
        finally:
            sys.path.remove(str(ROOT / "bench"))
        for f in generate(tmp_path / "gen", generated, seed=7):
            shutil.copy(f, d / f.name)
    return d


def _fresh(tmp_path, corpus, name: str) -> str:
    from kg.export import export
    from kg.store import GraphStore

    fresh = GraphStore(tmp_path / name, BASE)
    _build(fresh, [corpus])
    return export(fresh, "nq")


def _iri(store, doc_id: str) -> str:
    from kg.lineage import doc_infos

    return next(d.iri for d in doc_infos(store).values() if d.id == doc_id)


def _target_links(store) -> list[dict]:
    g = store.iris.targetlinks_graph
    return store.select(f"""SELECT ?n ?l ?s WHERE {{ GRAPH <{g}> {{ ?n a kg:TargetLink ;
                            kg:localDocument ?l ; kg:sourceDocument ?s }} }}""", union=False)


@pytest.fixture
def spy(monkeypatch):
    """What each target-links step did: the documents it linked (None: all), the documents whose targets it
    read from the store, and how many subjects it gave the graph writer (and kept unread)."""
    import kg.query.facts as facts
    import kg.targetlinks as tl
    from kg.store import GraphStore

    seen: dict[str, list] = {"linked": [], "read": [], "synced": []}
    link_targets, fields_of, sync_graph = tl.link_targets, facts.fields_of, GraphStore.sync_graph

    def link_spy(targets_, docs, may_implement, local=None, lineage=None):
        seen["linked"].append(None if local is None else set(local))
        return link_targets(targets_, docs, may_implement, local, lineage)

    def fields_spy(kind, store, keys, doc_iri=None):
        if kind == "targets":
            seen["read"].append(doc_iri)
        return fields_of(kind, store, keys, doc_iri)

    def sync_spy(self, graph, triples, known=None, *, keep=None):
        triples = list(triples)
        keep = None if keep is None else list(keep)
        if graph == self.iris.targetlinks_graph:  # (the links graph is synced too: kg/links.py)
            seen["synced"].append((len({t[0] for t in triples}), None if keep is None else len(keep)))
        return sync_graph(self, graph, triples, known, keep=keep)

    monkeypatch.setattr(tl, "link_targets", link_spy)
    monkeypatch.setattr(facts, "fields_of", fields_spy)
    monkeypatch.setattr(GraphStore, "sync_graph", sync_spy)

    def clear():
        for k in ("linked", "read", "synced"):
            seen[k].clear()

    seen["clear"] = clear
    return seen


def _pairs(store) -> set[tuple[str, str]]:
    return {(r["l"], r["s"]) for r in _target_links(store)}


@pytest.mark.parametrize("bound", [None, 1])
def test_a_changed_an_added_and_a_removed_document_give_the_store_of_a_fresh_build(tmp_path, spy, monkeypatch,
                                                                                    bound):
    """``bound``: one source and one peer per local target (so that documents push each other out)."""
    import kg.targetlinks as tl
    from kg.export import export
    from kg.lineage import doc_infos
    from kg.store import GraphStore

    if bound is not None:
        monkeypatch.setattr(tl, "SOURCES_PER_TARGET", bound)
        monkeypatch.setattr(tl, "PEERS_PER_TARGET", bound)
    corpus = _corpus(tmp_path)
    aside = tmp_path / "aside"
    aside.mkdir()
    # added later: the family's last document; with the bound, its province (it takes the place of the
    # national documents in the best source of the targets below it)
    added = sorted(corpus.glob("g0000-*.txt"))[-1 if bound is None else 2]
    assert bound is None or "-sheng-" in added.name
    shutil.move(added, aside / added.name)
    store = GraphStore(tmp_path / "s", BASE)
    _build(store, [corpus])
    assert spy["linked"] == [None]  # a first build computes everything
    before = _target_links(store)
    assert len(before) > 20 if bound is None else len(before) > 10
    everyone = set(doc_infos(store))

    # one document changed: a target's deadline and wording
    spy["clear"]()
    f = corpus / f"{N2026}.txt"
    f.write_text(f.read_text(encoding="utf-8").replace("提升服务", "优化服务").replace("2027年", "2028年", 1),
                 encoding="utf-8")
    _build(store, [corpus])
    changed = _iri(store, N2026)
    (linked,) = spy["linked"]
    assert changed in linked and linked != everyone and spy["read"] == [changed]
    (given, kept), = spy["synced"]
    assert kept > 0 and given < len(before)  # the other documents' links were neither recomputed nor digested
    assert export(store, "nq") == _fresh(tmp_path, corpus, "fresh1")

    # one document added
    spy["clear"]()
    links = {(r["n"], r["l"], r["s"]) for r in _target_links(store)}
    shutil.move(aside / added.name, corpus / added.name)
    _build(store, [corpus])
    new = _iri(store, added.stem)
    (linked,) = spy["linked"]
    assert new in linked and spy["read"] == [new]
    now = _pairs(store)
    assert any(new in p for p in now)
    if bound is not None:  # the new document took the place of another in some target's best one
        now_links = {(r["n"], r["l"], r["s"]) for r in _target_links(store)}
        assert any(new not in (l, s_) for _, l, s_ in links - now_links)
    assert export(store, "nq") == _fresh(tmp_path, corpus, "fresh2")

    # one document removed: its links go, the documents linked to it are linked again
    spy["clear"]()
    removed = sorted(corpus.glob("g0000-*.txt"))[2]
    gone = _iri(store, removed.stem)
    had = {l for l, s_ in _pairs(store) if s_ == gone}
    assert had
    removed.unlink()
    _build(store, [corpus])
    assert spy["linked"] == [had] and spy["read"] == []
    assert not any(gone in p for p in _pairs(store))
    assert export(store, "nq") == _fresh(tmp_path, corpus, "fresh3")


def test_a_missing_stale_or_foreign_cache_falls_back_to_the_full_computation(tmp_path, spy):
    from kg.export import export
    from kg.lineage import LineageCache
    from kg.store import GraphStore

    corpus = _corpus(tmp_path)
    store = GraphStore(tmp_path / "s", BASE)
    _build(store, [corpus])
    cache = tmp_path / "s" / LineageCache.NAME
    earlier = cache.read_bytes()
    docs = sorted(corpus.glob("g0000-*.txt"))

    def change(f) -> None:
        """Every percentage of the document one point lower (its rate targets relate otherwise to others)."""
        text = f.read_text(encoding="utf-8")
        new = re.sub(r"(\d+)%", lambda m: f"{int(m.group(1)) - 1}%", text)
        assert new != text
        f.write_text(new + "\n（本文件已于次年修订。）\n", encoding="utf-8")

    def digest() -> str:
        g = store.iris.targetlinks_graph
        rows = store.select(f"SELECT ?d WHERE {{ GRAPH <{g}> {{ <{g}> kg:contentDigest ?d }} }}", union=False)
        assert len(rows) == 1
        return rows[0]["d"]

    first = digest()
    change(docs[1])
    _build(store, [corpus])
    assert _iri(store, docs[1].stem) in spy["linked"][-1]
    assert digest() != first  # the target links changed
    # the cache of an earlier state of this store: the graph does not hold what it says
    change(docs[3])
    cache.write_bytes(earlier)
    spy["clear"]()
    _build(store, [corpus])
    # the graph writer refuses the incremental result (nothing written), then everything is computed
    assert spy["linked"][-1] is None and [k for _, k in spy["synced"]][-1] is None
    fresh = _fresh(tmp_path, corpus, "fresh")
    assert export(store, "nq") == fresh
    # the next build finds its own state again: nothing changed, nothing linked
    spy["clear"]()
    _build(store, [corpus])
    assert spy["linked"] == [set()] and spy["read"] == []
    assert export(store, "nq") == fresh
    # no cache at all
    cache.unlink()
    spy["clear"]()
    _build(store, [corpus])
    assert spy["linked"] == [None] and len(spy["read"]) in (1, len(list(corpus.glob("*.txt"))))
    assert export(store, "nq") == fresh
    # the cache of another store (the seed documents alone: the same documents, other links)
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    for f in CORPUS.glob("*.txt"):
        shutil.copy(f, other_dir / f.name)
    other = GraphStore(tmp_path / "o", BASE)
    _build(other, [other_dir])
    shutil.copy(tmp_path / "o" / LineageCache.NAME, cache)
    spy["clear"]()
    _build(store, [corpus])
    assert spy["linked"][-1] is None
    assert export(store, "nq") == fresh


def test_linking_some_local_documents_gives_exactly_their_links_of_the_full_computation(built_store):
    from itertools import combinations

    from kg.lineage import _stored_pairs, doc_infos, explicit_links, lineage_reach, may_implement
    from kg.query.facts import targets
    from kg.targetlinks import link_targets

    docs = doc_infos(built_store)
    rows = [t for t in targets(built_store) if t["value"] is not None and t["metric"]]
    reach = lineage_reach(docs, set(explicit_links(built_store)), {(l, s) for l, s, _ in _stored_pairs(built_store)})
    full = link_targets(rows, docs, may_implement, None, reach)
    assert len({(x.local_doc, x.source_doc) for x in full}) >= 3
    for local in [{i} for i in docs] + [set(p) for p in combinations(sorted(docs), 2)]:
        part = link_targets(rows, docs, may_implement, local, reach)
        assert part == [x for x in full if x.local_doc in local], local
    assert link_targets(rows, docs, may_implement, set(), reach) == []
