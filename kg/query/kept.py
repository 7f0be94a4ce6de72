"""Tables of one document, or of one pair of documents, kept on disk under what fixes their content.

A document's clauses and targets depend on its own graph only, and its manifest record fixes that graph (the
graph, the file's content digest and the pipeline version: :meth:`GraphStore.manifest`); a lineage pair graph is
fixed by the version it states (``kg:docVersion``: the alignment code, the model and both documents' versions — the
build rewrites a pair graph exactly when that changes, kg/lineage.py).  So what the query layer reads of them can be
kept between processes and store states: a build that changes one document leaves every other document's tables
valid, and the first lineage of a document in a new process loads them instead of reading its graph (at 1,000
documents: ≈ 0.5 s of queries for a county plan and its twenty sources, bench/RESULTS.md).

One small pickle per (kind, key) in ``KG_CACHE_DIR/query-kept-<store>/`` (:mod:`kg.cache`: atomic writes, read only
when this user's own); the key digests the content key and the query layer's code (:func:`kg.query.search._code_digest`),
so a stale entry is never read.  A store without a directory (a SPARQL server, memory) keeps nothing."""
from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Callable, Iterable

from ..store import GraphStore

#: entries untouched for this long are removed (any key: a document changed or removed long ago)
STALE_S = 7 * 24 * 3600

_PAIR_VERSIONS = """SELECT ?g ?v WHERE { GRAPH ?g { ?g kg:docVersion ?v } FILTER(STRSTARTS(STR(?g), "%s")) }"""


def doc_keys(store: GraphStore) -> dict[str, str]:
    """Document IRI → what fixes its graph (graph, content digest, pipeline version), for the documents the
    manifest accounts for once (a document with two records that disagree is left out: read every time)."""
    keys: dict[str, set[str]] = {}
    for e in store.manifest().values():
        if not e.duplicate:
            keys.setdefault(str(store.iris.doc(e.doc_id)), set()).add(f"{e.graph}|{e.sha256}|{e.pipeline_version}")
    return {d: next(iter(ks)) for d, ks in keys.items() if len(ks) == 1}


def pair_versions(store: GraphStore) -> dict[str, str]:
    """Lineage pair graph IRI → the version it states."""
    return {r["g"]: r["v"] for r in store.select(_PAIR_VERSIONS % store.iris.lineage_prefix, union=False)}


class Kept:
    """The kept tables of one store (a no-op for a store without a directory)."""

    def __init__(self, store: GraphStore) -> None:
        from .. import cache
        from .search import _code_digest, _store_tag

        self.dir: Path | None = None
        if getattr(store, "path", None) is not None:
            self.dir = cache.cache_dir() / f"query-kept-{_store_tag(store)}"
            self.code = _code_digest()

    def _path(self, kind: str, key: str) -> Path:
        h = hashlib.sha1(f"{kind}|{key}|{self.code}".encode("utf-8")).hexdigest()[:24]
        return self.dir / f"{kind}-{h}.pickle"

    def load(self, kind: str, key: str | None):
        if self.dir is None or key is None:
            return None
        from ..cache import load_file

        return load_file(self._path(kind, key), "pickle")

    def save(self, kind: str, key: str | None, value) -> None:
        if self.dir is None or key is None:
            return
        from ..cache import save_file

        save_file(self._path(kind, key), value, "pickle")

    def get(self, kind: str, ids: Iterable[str], key_of: Callable[[str], str | None],
            read: Callable[[list[str]], dict]) -> dict:
        """id → value for these ids: each loaded if kept, the others read together (``read(ids)`` → id → value;
        an id it leaves out gets None) and kept."""
        out, todo = {}, []
        for i in ids:
            v = self.load(kind, key_of(i))
            if v is None:
                todo.append(i)
            else:
                out[i] = v
        if todo:
            got = read(todo)
            for i in todo:
                out[i] = got.get(i)
                if out[i] is not None:
                    self.save(kind, key_of(i), out[i])
        return out

    def prune(self, age: float = STALE_S) -> None:
        """Remove the entries nobody wrote for ``age`` seconds (run once per store state)."""
        if self.dir is None:
            return
        now = time.time()
        try:
            for p in self.dir.glob("*.pickle"):
                if now - p.stat().st_mtime >= age:
                    p.unlink(missing_ok=True)
        except OSError:
            pass
