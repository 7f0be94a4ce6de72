"""Ranked clauses for open questions (``kg search``): BM25 over every clause in the store.

The retrieval engine is :mod:`kg.align` (tokenisation and the BM25 index); this module only reads the
clauses from the store, keeps one index per store state in the process, and shapes the results as the
contract says (``doc``, ``clause``, ``clause_id``, ``text``, ``score``, ``method`` + ``doc_title``, ``iri``).
"""
from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import threading
from collections import OrderedDict
from pathlib import Path

from ..store import GraphStore

_CLAUSES = """
SELECT DISTINCT ?c ?d ?doc ?ptitle ?dtitle ?label ?cid ?text ?heading ?s ?e WHERE {
  ?c a eli:LegalResourceSubdivision ; kg:inDocument ?d ; eli:id_local ?cid ; rdfs:label ?label ;
     kg:spanStart ?s ; kg:spanEnd ?e .
  ?d kg:documentId ?doc .
  OPTIONAL { ?d eli:has_annex/eli:title ?ptitle }
  OPTIONAL { ?d eli:title ?dtitle }
  OPTIONAL { ?c kg:text ?text }
  OPTIONAL { ?c kg:heading ?heading }
}
"""


def _where(store: GraphStore) -> str:
    where = str(store.path) if store.path is not None else getattr(store, "location", None) or f"mem:{getattr(store, 'instance', id(store))}"
    return f"{where}|{store.iris.base}"


def _token(store: GraphStore) -> str | None:
    fn = getattr(store, "state_token", None)
    return fn() if fn is not None else None


def _manifest_digest(store: GraphStore) -> str:
    h = hashlib.sha1()
    for path, e in sorted(store.manifest().items()):
        h.update(f"{path}\t{e.sha256}\t{e.graph}\t{e.pipeline_version}\n".encode("utf-8"))
    return h.hexdigest()


def store_state(store: GraphStore) -> tuple[str, str]:
    """(which store, which state): the store's location and a digest of its manifest.

    A build changes the manifest, so anything derived from the documents can be cached under this key."""
    return _where(store), _manifest_digest(store)


def docs_state(store: GraphStore) -> tuple[str, str]:
    """:func:`store_state`, read once per write token of the store (:meth:`GraphStore.state_token`: a build
    that changes the manifest changes the token), so a warm process does not read the manifest per call."""
    where, token = _where(store), _token(store)
    if token is None:
        return store_state(store)
    return where, _memo.get(("manifest", where, token), lambda: _saved_manifest_digest(store, where, token))


def _store_tag(store: GraphStore) -> str:
    """A short name for a store's directory in cache entry names (one kind of entry per store)."""
    return hashlib.sha1(str(Path(store.path).resolve()).encode("utf-8")).hexdigest()[:12]


def _saved_manifest_digest(store: GraphStore, where: str, token: str) -> str:
    """:func:`_manifest_digest`, kept on disk per write token for the next process (reading the manifest of
    1,000 documents costs 0.12 s; the token changes with any write, so a kept digest is never stale)."""
    if getattr(store, "path", None) is None:
        return _manifest_digest(store)
    from .. import cache

    key = cache.digest(["manifest", where, token, _code_digest()], [])
    name = f"query-manifest-{_store_tag(store)}"
    value = cache.load(name, key)
    if not isinstance(value, str):
        value = _manifest_digest(store)
        cache.save(name, key, value, only=True)
    return value


_DERIVED = """
SELECT ?k (COUNT(DISTINCT ?x) AS ?n) WHERE {
  VALUES ?k { kg:ClauseAlignment kg:Link kg:TargetLink kg:Review } ?x a ?k } GROUP BY ?k
"""

_REVIEW_STATE = """
SELECT ?r ?state ?when WHERE { GRAPH <%s> { ?r kg:reviewState ?state . OPTIONAL { ?r dcterms:created ?when } } }
"""


def derived_state(store: GraphStore) -> str:
    """A digest of the derived graphs and the review graph (for a store without a write token)."""
    h = hashlib.sha1()
    for r in sorted(store.select(_DERIVED), key=lambda r: r["k"]):
        h.update(f"{r['k']}={r['n']};".encode())
    for r in sorted(store.select(_REVIEW_STATE % store.iris.review_graph),
                    key=lambda r: (r["r"], r["state"], r["when"] or "")):
        h.update(f"{r['r']}|{r['state']}|{r['when']};".encode())
    return h.hexdigest()


def full_state(store: GraphStore) -> tuple[str, ...]:
    """(which store, which state) of everything a query answer can depend on: the documents, the derived
    graphs (links, lineage pairs, target links, versions) and the reviews.  With a write token this is
    the token (any write changes it; reading it costs a file read); else the manifest digest and a
    digest of the derived and review graphs."""
    where, token = _where(store), _token(store)
    if token is not None:
        return where, "token", token
    return store_state(store) + (derived_state(store),)


def reads(fn):
    """A query-layer function whose selects all run on one opening of the store (:meth:`GraphStore.reading`):
    the first argument is the store."""
    @functools.wraps(fn)
    def run(store, *args, **kwargs):
        reading = getattr(store, "reading", None)  # a store class without it: one opening per select
        with (reading() if reading is not None else contextlib.nullcontext()):
            return fn(store, *args, **kwargs)
    return run


class StateCache:
    """A small in-process cache of values derived from one store state (LRU, thread-safe)."""

    def __init__(self, size: int = 4) -> None:
        self.size = size
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, make):
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = make()
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


_cache = StateCache()
_memo = StateCache(size=8)  # (kind, store, token) → manifest digest
_persisted = StateCache(size=12)  # (kind, store, "token", token) → a value :func:`persisted` made or loaded

_PKG = Path(__file__).resolve().parent.parent


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    """A digest of the code and data that derive the persisted values from the store: the query layer, the
    fact schema, the ontology files (question patterns, places, agencies …) and the store's value conversion."""
    import pyoxigraph

    from .. import cache

    files = sorted([*(_PKG / "query").rglob("*.py"), *(_PKG / "query").rglob("*.rq"), *(_PKG / "ontology").iterdir(),
                    _PKG / "fact_schema.py", _PKG / "store.py", _PKG / "vocab.py", _PKG / "align" / "__init__.py"])
    return cache.digest([f"pyoxigraph {getattr(pyoxigraph, '__version__', '?')}"], [f for f in files if f.is_file()])


def persisted(kind: str, store: GraphStore, make, layout=None):
    """``make()``, once per store state — in this process, and on disk for the next process: a value derived
    from every document (``ask``'s index of names and facts, the lineage tables) is built by the first query
    after a write and loaded by every later process until the store changes again.

    Keyed by the store's location and its write token (:meth:`GraphStore.state_token`: any write, by any
    process, changes it) and by the code that derives the value (:func:`_code_digest`), through :mod:`kg.cache`
    (atomic writes; a pickle is read only from this user's own, unwritable-by-others directory).  A store
    without a token (in memory, a server, a store no write of this version touched) keeps the value in this
    process only, under :func:`full_state`.

    ``layout``: an object with ``split(value) -> (head, parts)`` and ``join(head, shards, drop) -> value`` — the
    value is kept as a head loaded whole and parts (a string key → a picklable value, e.g. one per document)
    read only when the value asks for them (:func:`kg.cache.save_shards`); ``drop()`` removes the entry (a part
    found corrupt: the value rebuilds what it needs in this process, the next process rebuilds the entry)."""
    state = full_state(store)
    if state[1] != "token" or getattr(store, "path", None) is None:
        return _persisted.get((kind,) + state, make)

    def load_or_make():
        from .. import cache

        key = cache.digest([kind, *state, _code_digest()], [])
        # one kind per store: its older states are removed when a new one is saved (at 1,000 documents an
        # entry is 100–150 MB, and every write — a review too — makes a new state)
        name = f"query-{kind}-{_store_tag(store)}"
        if layout is not None:
            got = cache.load_shards(name, key)
            if got is not None:
                value = layout.join(*got, lambda: cache.drop_shards(name, key))
            else:
                value = make()
                cache.save_shards(name, key, *layout.split(value), only=True)
        else:
            value = cache.load(name, key, "pickle")
            if value is None:
                value = make()
                cache.save(name, key, value, "pickle", only=True)
        # millions of long-lived objects (1,000 documents): left to the collector, every full collection walks
        # them all — 100–200 ms added to a query now and then.  Frozen, the collector skips them; reference
        # counting still frees them when the state is dropped (plain dicts and lists, no cycles)
        gc.freeze()
        return value

    return _persisted.get((kind,) + state, load_or_make)


def all_clauses(store: GraphStore, doc_iri: str | None = None) -> list[dict]:
    """Every clause that has text or a heading, in document and reading order (of one document: read inside its
    graph)."""
    out = []
    query = _CLAUSES
    g = store.iris.graph_of_doc(doc_iri) if doc_iri else None
    if doc_iri and g is not None:
        query = _CLAUSES.replace("WHERE {", f"WHERE {{ GRAPH <{g}> {{ VALUES ?d {{ <{doc_iri}> }}", 1).rstrip() + " }\n"
    elif doc_iri:
        query = _CLAUSES.replace("WHERE {", f"WHERE {{ VALUES ?d {{ <{doc_iri}> }}", 1)
    for r in store.select(query):
        text = r["text"] or ""
        heading = r["heading"] or ""
        if not (text or heading):
            continue
        out.append({
            "doc": r["doc"], "doc_iri": r["d"], "doc_title": r["ptitle"] or r["dtitle"], "clause": r["label"],
            "clause_id": r["cid"], "heading": r["heading"], "text": text, "span": [r["s"], r["e"]], "iri": r["c"],
        })
    out.sort(key=lambda x: (x["doc"], x["span"][0], x["span"][1], x["iri"]))
    return out


class _Searcher:
    _parts = None  # loaded from disk (:class:`_SearchLayout`): the clauses are read per document when hit

    def __init__(self, clauses: list[dict]) -> None:
        from .. import align

        self.clauses = clauses
        self.size = len(clauses)
        self.by_key = {c["iri"]: c for c in clauses}
        items = [align.ClauseText(c["iri"], c["clause"], _index_text(c)) for c in clauses]
        self.index = align.ClauseIndex(items) if items else None

    def clause(self, key: str) -> dict | None:
        """The clause indexed under ``key`` (read from its document's part on disk the first time)."""
        c = self.by_key.get(key)
        if c is not None or self._parts is None:
            return c
        d = self.doc_of.get(key)
        if d is None:
            return None
        with self._lock:
            if d not in self._loaded:
                from .. import cache

                try:
                    part = self._parts.get(d) or []
                except cache.Corrupt as e:  # the entry is removed; this process reads the clauses again
                    import logging

                    logging.getLogger(__name__).warning("search index on disk unreadable (%s); rebuilding", e)
                    self._drop()
                    part = [c for c in all_clauses(self.store) if c["doc_iri"] == d]
                self.by_key.update((c["iri"], c) for c in part)
                self._loaded.add(d)
        return self.by_key.get(key)

    def search(self, text: str, k: int) -> list[tuple[str, float, str]]:
        if self.index is None or k <= 0:
            return []
        return [_hit(h) for h in self.index.search(text, k)]


class _SearchLayout:
    """How :func:`_searcher` keeps a :class:`_Searcher` on disk (:func:`persisted`): the BM25 index (the clause
    keys and the score matrix: not the tokens or texts it was built from) and each clause's document whole, the
    clauses in one part per document, read when a search hits them."""

    @staticmethod
    def split(s: _Searcher) -> tuple[_Searcher, dict[str, list[dict]]]:
        head = _Searcher.__new__(_Searcher)
        head.clauses, head.size, head.by_key, head.index = None, s.size, {}, None
        if s.index is not None:
            head.index = type(s.index).__new__(type(s.index))
            head.index.__dict__.update(s.index.__dict__)
            head.index.tokens = head.index.clauses = None  # only the keys and the matrix are searched
        head.doc_of = {c["iri"]: c["doc_iri"] for c in s.clauses}
        parts: dict[str, list[dict]] = {}
        for c in s.clauses:
            parts.setdefault(c["doc_iri"], []).append(c)
        return head, parts

    @staticmethod
    def join(head: _Searcher, parts, drop) -> _Searcher:
        head._parts, head._drop, head._loaded, head._lock = parts, drop, set(), threading.Lock()
        return head


def _index_text(c: dict) -> str:
    heading, text = c.get("heading") or "", c.get("text") or ""
    if heading and heading not in text:
        return f"{heading}\n{text}" if text else heading
    return text or heading


def _hit(h) -> tuple[str, float, str]:
    """(key, score, method) from whatever kg.align returns for one hit: an object or a tuple."""
    if isinstance(h, tuple):
        key, score = h[0], h[1]
        method = h[2] if len(h) > 2 and isinstance(h[2], str) else "bm25"
    else:
        key = getattr(h, "key", None)
        if key is None and getattr(h, "item", None) is not None:
            key = h.item.key
        score = getattr(h, "score", 0.0)
        method = getattr(h, "method", None) or "bm25"
    return key, float(score), method


def _searcher(store: GraphStore) -> _Searcher:
    key = docs_state(store)  # (= store_state, the manifest read once per write token)
    # the BM25 index of every clause is made once per store state and kept for later processes (at 1,000
    # documents: 40 s to read and index 71 k clauses, 1.4 s to load)
    s = _cache.get(("search",) + key, lambda: persisted("search", store, lambda: _Searcher(all_clauses(store)),
                                                       layout=_SearchLayout))
    s.store = store
    return s


@reads
def search(store: GraphStore, text: str, k: int = 10, doc_iri: str | None = None) -> list[dict]:
    """The ``k`` clauses that best match ``text`` (BM25), best first; only ``doc_iri``'s when given."""
    text = (text or "").strip()
    if not text or k <= 0:
        return []
    s = _searcher(store)
    pool = s.size if doc_iri else k
    out = []
    for key, score, method in s.search(text, pool):
        if score <= 0 or (doc_iri and s._parts is not None and s.doc_of.get(key) != doc_iri):
            continue
        c = s.clause(key)
        if c is None or (doc_iri and c["doc_iri"] != doc_iri):
            continue
        out.append({
            "doc": c["doc"], "doc_title": c["doc_title"], "clause": c["clause"], "clause_id": c["clause_id"],
            "heading": c["heading"], "text": c["text"], "span": c["span"], "score": round(score, 4),
            "method": method, "iri": c["iri"],
        })
    # ties broken by position, so the order never depends on the engine's internals
    out.sort(key=lambda x: (-x["score"], x["doc"], x["span"][0], x["iri"]))
    return out[:k]
