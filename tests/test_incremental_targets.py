"""Issue 9: the target-links step of a rebuild links only the targets of the documents that changed.

The lineage cache beside the store (``lineage-cache.marshal``) keeps each document's targets (by document
version), the state of each document and the target links of each pair of documents the graph was last
written from; a rebuild after one document changed, was added or was removed reads, links, digests and
writes only that document's links.  Whatever the cache holds, the store must equal — quad for quad — a
fresh build of the same files; a cache that is missing, from an earlier state of the store or from another
store falls back to the full computation."""
from __future__ import annotations

import re
import shutil
import sys

import pytest

from conftest import BASE, CORPUS, ROOT

N2026 = "2026-hu-tongxinguanfa-5-wuzhihulian-iot-action-plan"
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
    link_targets, targets, sync_graph = tl.link_targets, facts.targets, GraphStore.sync_graph

    def link_spy(targets_, docs, may_implement, changed=None):
        seen["linked"].append(None if changed is None else set(changed))
        return link_targets(targets_, docs, may_implement, changed)

    def targets_spy(store, doc_iri=None):
        seen["read"].append(doc_iri)
        return targets(store, doc_iri)

    def sync_spy(self, graph, triples, known=None, *, keep=None):
        triples = list(triples)
        keep = None if keep is None else list(keep)
        seen["synced"].append((len({t[0] for t in triples}), None if keep is None else len(keep)))
        return sync_graph(self, graph, triples, known, keep=keep)

    monkeypatch.setattr(tl, "link_targets", link_spy)
    monkeypatch.setattr(facts, "targets", targets_spy)
    monkeypatch.setattr(GraphStore, "sync_graph", sync_spy)

    def clear():
        for k in ("linked", "read", "synced"):
            seen[k].clear()

    seen["clear"] = clear
    return seen


def test_a_changed_an_added_and_a_removed_document_give_the_store_of_a_fresh_build(tmp_path, spy):
    from kg.export import export
    from kg.store import GraphStore

    corpus = _corpus(tmp_path)
    aside = tmp_path / "aside"
    aside.mkdir()
    added = sorted(corpus.glob("g0000-*.txt"))[-1]
    shutil.move(added, aside / added.name)
    store = GraphStore(tmp_path / "s", BASE)
    _build(store, [corpus])
    assert spy["linked"] == [None]  # a first build computes everything
    before = _target_links(store)
    assert len(before) > 20

    # one document changed: a target's deadline and wording
    spy["clear"]()
    f = corpus / f"{N2026}.txt"
    f.write_text(f.read_text(encoding="utf-8").replace("提升服务", "优化服务").replace("2027年", "2028年", 1),
                 encoding="utf-8")
    _build(store, [corpus])
    changed = _iri(store, N2026)
    assert spy["linked"] == [{changed}] and spy["read"] == [changed]
    (given, kept), = spy["synced"]
    assert kept > 0 and given < len(before)  # the other pairs' links were neither recomputed nor digested
    assert export(store, "nq") == _fresh(tmp_path, corpus, "fresh1")

    # one document added
    spy["clear"]()
    shutil.move(aside / added.name, corpus / added.name)
    _build(store, [corpus])
    new = _iri(store, added.stem)
    assert spy["linked"] == [{new}] and spy["read"] == [new]
    assert any(new in (r["l"], r["s"]) for r in _target_links(store))
    assert export(store, "nq") == _fresh(tmp_path, corpus, "fresh2")

    # one document removed: its links go, nothing is linked again
    spy["clear"]()
    removed = sorted(corpus.glob("g0000-*.txt"))[2]
    gone = _iri(store, removed.stem)
    assert any(gone in (r["l"], r["s"]) for r in _target_links(store))
    removed.unlink()
    _build(store, [corpus])
    assert spy["linked"] == [set()] and spy["read"] == []
    assert not any(gone in (r["l"], r["s"]) for r in _target_links(store))
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
    assert spy["linked"][-1] == {_iri(store, docs[1].stem)}
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


def test_linking_only_the_changed_documents_gives_exactly_their_links_of_the_full_computation(built_store):
    from itertools import combinations

    from kg.lineage import doc_infos, may_implement
    from kg.query.facts import targets
    from kg.targetlinks import link_targets

    docs = doc_infos(built_store)
    rows = [t for t in targets(built_store) if t["value"] is not None and t["metric"]]
    full = link_targets(rows, docs, may_implement)
    assert len({(x.local_doc, x.source_doc) for x in full}) >= 3
    for changed in [{i} for i in docs] + [set(p) for p in combinations(sorted(docs), 2)]:
        part = link_targets(rows, docs, may_implement, changed)
        assert part == [x for x in full if x.local_doc in changed or x.source_doc in changed], changed
    assert link_targets(rows, docs, may_implement, set()) == []
