"""Lineage as ``kg lineage DOC --json`` prints it: what a document implements, up to the top and down to
the documents that take it up, which of its clauses restate which upstream clauses, how its targets relate
to the upstream targets, and what it did not take up.  Reads the store only (the links graph, the lineage
pair graphs, the target-links graph and the review graph)."""
from __future__ import annotations

import pickle
import threading
from collections import deque
from typing import NamedTuple

from ..store import GraphStore
from .clauses import alignable_clauses, alignable_from, clause_rows, clause_text as _clause_text
from .docs import list_docs
from .kept import Kept, doc_keys, pair_versions
from .search import persisted, reads

#: an alignment at or above this score counts as "taken up" (the same threshold as kg.lineage.STRONG)
TAKEN_UP = 0.5
#: lower = higher level of government (used to orient pairs)
LEVEL_RANK = {"national": 0, "provincial": 1, "prefectural": 2, "county": 3, "township": 4}
from .labels import LEVEL_ZH, METHOD_ZH, RELATION_ZH  # noqa: E402,F401  (one table each, re-exported)

# every link and every clause-similarity link's aligned pairs, each read inside its graph (the links graph, the
# target-links graph, the pair graphs; run with union=False): half the time of the union form at 1,000 documents
_LINKS = """
SELECT DISTINCT ?link ?from ?to ?rel ?method ?conf WHERE { GRAPH ?g {
  ?link a kg:Link ; kg:linkSource ?from ; kg:linkTarget ?to ; kg:relation ?rel ; kg:method ?method ;
        kg:confidence ?conf .
} }
"""

_EXTERNAL = """
SELECT DISTINCT ?x ?title ?num ?level ?jur ?lsrc WHERE {
  ?x a kg:ExternalDocument . OPTIONAL { ?x eli:title ?title } OPTIONAL { ?x eli:id_local ?num }
  OPTIONAL { ?x kg:level ?level } OPTIONAL { ?x kg:jurisdiction ?jur } OPTIONAL { ?x kg:levelSource ?lsrc }
}
"""

_REVIEWS = """
SELECT ?s ?state ?note ?when WHERE { GRAPH <%s> {
  ?r a kg:Review ; kg:reviewOf ?s ; kg:reviewState ?state . OPTIONAL { ?r kg:note ?note } OPTIONAL { ?r dcterms:created ?when } } }
"""

_REF_EVIDENCE = """
SELECT DISTINCT ?link ?label ?cid ?text ?s ?e WHERE {
  VALUES ?link { %s }
  ?link prov:wasDerivedFrom ?ref . ?ref a kg:Reference ; prov:wasDerivedFrom ?clause ;
        kg:spanStart ?s ; kg:spanEnd ?e . OPTIONAL { ?ref kg:sentence ?text }
  ?clause rdfs:label ?label ; eli:id_local ?cid .
}
"""

_ALIGN_EVIDENCE = """
SELECT DISTINCT ?link ?a WHERE { GRAPH ?g { ?link a kg:Link ; kg:evidenceAlignment ?a } }
"""

_ALIGNMENT_VARS = "?a ?ld ?sd ?lc ?sc ?score ?rank ?method ?lex ?emb ?shared ?lss ?lse ?sss ?sse"
_ALIGNMENT_PATTERN = """
  ?a a kg:ClauseAlignment ; kg:localDocument ?ld ; kg:sourceDocument ?sd ; kg:localClause ?lc ;
     kg:sourceClause ?sc ; kg:score ?score ; kg:rank ?rank ; kg:method ?method ; kg:lexicalScore ?lex .
  OPTIONAL { ?a kg:embeddingScore ?emb }
  OPTIONAL { ?a kg:sharedText ?shared } OPTIONAL { ?a kg:localSpanStart ?lss } OPTIONAL { ?a kg:localSpanEnd ?lse }
  OPTIONAL { ?a kg:sourceSpanStart ?sss } OPTIONAL { ?a kg:sourceSpanEnd ?sse }
"""
_ALIGNMENTS = f"SELECT DISTINCT {_ALIGNMENT_VARS} WHERE {{\n  %s\n{_ALIGNMENT_PATTERN}}}\n"
# the alignments of given (local, source) pairs, read inside their pair graphs (one graph per pair of documents,
# kg/lineage.py): half the time of the union form (1,000 documents, 40 local documents with their sources: median
# 66 ms against 132 ms); the graphs are named inside GRAPH (a VALUES list of documents outside it took seconds)
_ALIGNMENTS_IN_PAIRS = f"SELECT DISTINCT {_ALIGNMENT_VARS} WHERE {{ GRAPH ?g {{ VALUES ?g {{ %s }}\n{_ALIGNMENT_PATTERN}}} }}\n"
# (one triple per OPTIONAL: Oxigraph looks a one-triple OPTIONAL up per alignment, but evaluates a group of
# several triples over the whole store and joins — 12 s instead of 0.3 s on 200 documents.  The writer
# (kg/lineage.py pair_triples) states the shared text and its four offsets together.)

_CLAUSE_INFO = """
SELECT ?c ?label ?cid ?h ?t ?s ?e WHERE {
  VALUES ?c { %s }
  ?c rdfs:label ?label ; eli:id_local ?cid ; kg:spanStart ?s ; kg:spanEnd ?e .
  OPTIONAL { ?c kg:heading ?h } OPTIONAL { ?c kg:text ?t }
}
"""

_TARGET_LINK_VARS = "?tl ?lt ?st ?ld ?sd ?match ?rel ?ratio ?conflict ?conf"
_TARGET_LINKS_BODY = """
  ?tl a kg:TargetLink ; kg:localTarget ?lt ; kg:sourceTarget ?st ; kg:localDocument ?ld ;
      kg:sourceDocument ?sd ; kg:metricMatch ?match ; kg:confidence ?conf .
  OPTIONAL { ?tl kg:relation ?rel } OPTIONAL { ?tl kg:ratio ?ratio } OPTIONAL { ?tl kg:conflict ?conflict }
"""
_TARGET_LINKS = f"SELECT DISTINCT {_TARGET_LINK_VARS} WHERE {{\n  %s\n{_TARGET_LINKS_BODY}}}\n"


# the metrics target links pair with the metrics named (either side), without reading the links' targets whole
_METRIC_LINKS = """
SELECT DISTINCT ?tl ?lm ?sm WHERE {
  VALUES ?m { %s }
  { ?lt kg:metric ?m . ?tl kg:localTarget ?lt ; kg:sourceTarget ?st . ?st kg:metric ?sm . BIND (?m AS ?lm) }
  UNION
  { ?st kg:metric ?m . ?tl kg:sourceTarget ?st ; kg:localTarget ?lt . ?lt kg:metric ?lm . BIND (?m AS ?sm) }
}
"""


@reads
def metric_links(store: GraphStore, metrics: list[str]) -> list[tuple[str, str, str]]:
    """``(link IRI, local metric, source metric)`` of every target link one of whose targets measures one of
    ``metrics`` — what a question about a metric needs to find the metrics linked to it (物联网连接数 →
    移动物联网终端连接数), read through the metric index rather than every link of the store."""
    if not metrics:
        return []
    from rdflib import Literal

    values = " ".join(Literal(m, lang="zh").n3() for m in sorted(set(metrics)))
    return [(r["tl"], r["lm"], r["sm"]) for r in store.select(_METRIC_LINKS % values)]


@reads
def review_states(store: GraphStore) -> dict[str, dict]:
    """Subject IRI → ``{state, note, when}`` for every human decision."""
    return {r["s"]: {"state": r["state"], "note": r["note"], "when": r["when"]}
            for r in store.select(_REVIEWS % store.iris.review_graph)}


def _review(reviews: dict, iri: str) -> str:
    return reviews.get(iri, {}).get("state") or "unreviewed"


def _graph(store: GraphStore) -> "_Graph":
    """The link graph of the store's current state: read once per state (any write — a build, a review — is a
    new state) by the first lineage query after the write, and kept on disk for later processes
    (:func:`kg.query.search.persisted`).  The tables a lineage is assembled from are read per document as
    calls need them (:meth:`_Graph._need`) and kept in the process."""
    g = persisted("lineage", store, lambda: _Graph(store))
    g.store = store
    return g


class _Graph:
    """The document-level link graph of the store (every link, read inside the graphs that hold it), and
    the tables a document's lineage is assembled from — its clauses, targets, target links, alignable clauses
    — read per document when a call first needs them, in a few queries each bound to those documents' graphs,
    and kept for the next call in the process.  A first lineage therefore costs the link graph and the tables
    of the documents it shows, whatever the size of the store (reading every table of the store up front took
    75 s at 1,000 documents and did not end in 5 minutes at 10,000: bench/RESULTS.md).  Built per store state
    by :func:`_graph` and pickled with it without its tables, store and lock."""

    #: the tables read per document (:meth:`_need`); ``evidence_refs`` (by link) per link and ``targets`` (by
    #: target IRI) per target
    _TABLES = ("clauses", "target_rows", "targets", "alignable", "clause_meta", "evidence_refs")

    def __getstate__(self) -> dict:
        state = {k: v for k, v in self.__dict__.items() if k not in ("store", "_lock", "_loaded", "_kept")}
        state.update({t: {} for t in self._TABLES})  # the head only: tables are read again as needed
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.RLock()
        self._loaded = set()
        self._kept = None
        self.store = None

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._lock = threading.RLock()  # the graph is shared by the threads of a server
        self._loaded: set[tuple[str, str]] = set()  # (table, document) read
        self._kept: Kept | None = None
        for t in self._TABLES:
            setattr(self, t, {})
        self.docs = {d["iri"]: d for d in list_docs(store)}
        # what fixes each document's graph and each pair graph: the keys of their tables kept on disk
        self.doc_keys = doc_keys(store)
        self.pair_versions = pair_versions(store)
        self.kept.prune()
        self.external = {r["x"]: r for r in store.select(_EXTERNAL)}
        self.reviews = review_states(store)
        by_pair: dict[tuple[str, str], list[dict]] = {}
        for r in store.select(_LINKS, union=False):
            if r["from"] == r["to"]:
                continue
            by_pair.setdefault((r["from"], r["to"]), []).append(r)
        self.evidence_alignments: dict[str, list[str]] = {}
        for r in store.select(_ALIGN_EVIDENCE, union=False):
            self.evidence_alignments.setdefault(r["link"], []).append(r["a"])
        self.edges: dict[tuple[str, str], dict] = {}
        order = {"human": 0, "explicit-citation": 1, "doc-number": 1, "title-match": 1, "clause-similarity": 2,
                 "target-metric": 3}
        for pair, links in by_pair.items():
            links.sort(key=lambda r: (order.get(r["method"], 9), -float(r["conf"]), r["link"]))
            states = [_review(self.reviews, r["link"]) for r in links]
            live = [r for r, s in zip(links, states) if s != "rejected"]
            best = (live or links)[0]
            state = "confirmed" if "confirmed" in states else ("rejected" if not live else "unreviewed")
            self.edges[pair] = {"best": best, "links": links, "review": state}
        self.up: dict[str, list[str]] = {}
        self.down: dict[str, list[str]] = {}
        for (a, b) in sorted(self.edges):
            self.up.setdefault(a, []).append(b)
            self.down.setdefault(b, []).append(a)

    @property
    def kept(self) -> Kept:
        """The tables kept on disk for this store (:mod:`kg.query.kept`)."""
        if self._kept is None:
            self._kept = Kept(self.store)
        return self._kept

    def _need(self, names, doc_iris) -> None:
        """These tables (of :data:`_TABLES`, but ``evidence_refs``) of these documents, read from the store if
        not yet read in this process, for all of them together (a document a query for the targets)."""
        with self._lock:
            for name in names:
                todo = sorted({d for d in doc_iris if (name, d) not in self._loaded})
                if not todo:
                    continue
                _READERS[name](self, todo)
                self._loaded.update((name, d) for d in todo)

    def _read_clauses(self, doc_iris: list[str]) -> None:
        """The clauses, clause_meta and alignable tables of these documents, from one read of their clauses."""
        def read(todo: list[str]) -> dict[str, tuple[list[dict], list[str]]]:
            rows, glossary = clause_rows(self.store, todo)
            by: dict[str, tuple[list[dict], list[str]]] = {d: ([], []) for d in todo}
            for r in rows:
                by[r["d"]][0].append(r)
                if r["c"] in glossary:
                    by[r["d"]][1].append(r["c"])
            return by

        got = self.kept.get("clauses", doc_iris, self.doc_keys.get, read)
        rows = [r for d in doc_iris for r in (got[d] or ((), ()))[0]]
        glossary = {c for d in doc_iris for c in (got[d] or ((), ()))[1]}
        for r in rows:
            self.clauses[r["c"]] = {"label": r["label"], "cid": r["cid"], "span": [r["s"], r["e"]],
                                    "text": _clause_text(r["heading"], r["text"]), "heading": r["heading"]}
            self.clause_meta.setdefault(r["d"], {})[r["c"]] = {
                "cid": r["cid"], "heading": r["heading"], "has_text": bool((r["text"] or "").strip())}
        # as small named tuples: kg.align.ClauseText would import the alignment engine (numpy, 0.13 s) into a
        # process that only reads their key, label and text
        self.alignable.update(alignable_from(rows, glossary, _Clause))
        self._loaded.update((t, d) for d in doc_iris for t in ("clauses", "clause_meta", "alignable"))

    def _read_target_rows(self, doc_iris: list[str]) -> None:
        wanted = set(doc_iris)
        g = self.store.iris.targetlinks_graph
        seen: dict[str, set] = {}
        for side in ("ld", "sd"):
            for k in range(0, len(doc_iris), 40):
                values = " ".join(f"<{d}>" for d in doc_iris[k:k + 40])
                query = (f"SELECT DISTINCT {_TARGET_LINK_VARS} WHERE {{ GRAPH <{g}> {{ VALUES ?{side} {{ {values} }} "
                         f"{_TARGET_LINKS_BODY} }} }}")
                for r in self.store.select(query, union=False):
                    for d in dict.fromkeys((r["ld"], r["sd"])):
                        if d in wanted and r["tl"] not in seen.setdefault(d, set()):
                            seen[d].add(r["tl"])
                            self.target_rows.setdefault(d, []).append(r)

    def node(self, iri: str) -> dict:
        d = self.docs.get(iri)
        if d:
            return {"doc": d["id"], "title": d["title"], "doc_number": d["doc_number"], "level": d["level"],
                    "jurisdiction": d["jurisdiction"], "level_source": None, "external_iri": None, "iri": iri,
                    "status": d.get("status", "current"), "superseded_by": d.get("superseded_by")}
        x = self.external.get(iri, {})
        # a document outside the corpus: the level its citations give (issuer, title, 文号 code), if any
        return {"doc": None, "title": x.get("title"), "doc_number": x.get("num"), "level": x.get("level"),
                "jurisdiction": x.get("jur"), "level_source": x.get("lsrc"), "external_iri": iri, "iri": iri,
                "status": None, "superseded_by": None}

    def item(self, a: str, b: str, path: list[str], far: str) -> dict:
        e = self.edges[(a, b)]
        best = e["best"]
        evidence: list[dict] = []
        self._load_citations([lk["link"] for lk in e["links"]])
        for link in e["links"]:
            evidence.extend(self.evidence_refs.get(link["link"], []))
        out = self.node(far)
        out.update({
            "relation": best["rel"], "method": best["method"], "confidence": float(best["conf"]),
            "evidence": evidence, "path": path, "review": e["review"], "link_iri": best["link"],
            "methods": sorted({lk["method"] for lk in e["links"]}),
            "links": [{"iri": lk["link"], "method": lk["method"], "relation": lk["rel"],
                       "confidence": float(lk["conf"]), "review": _review(self.reviews, lk["link"])}
                      for lk in e["links"]],
            "from_doc": self.node(a)["doc"] or a, "to_doc": self.node(b)["doc"] or b,
            "depth": len(path) - 1,
        })
        return out

    def _load_citations(self, links: list[str]) -> None:
        """The citing sentences of these links (one query for those not read yet)."""
        with self._lock:  # the graph is shared by the threads of a server
            todo = sorted(x for x in set(links) if x not in self.evidence_refs)
            if not todo:
                return
            got: dict[str, list] = {x: [] for x in todo}
            for k in range(0, len(todo), 40):  # a long VALUES list is far slower than several short ones
                for r in self.store.select(_REF_EVIDENCE % " ".join(f"<{x}>" for x in todo[k:k + 40])):
                    got[r["link"]].append(
                        {"clause": r["label"], "clause_id": r["cid"], "text": r["text"], "span": [r["s"], r["e"]],
                         "kind": "citation"})
            for x in todo:
                got[x].sort(key=lambda ev: (ev["span"][0], ev["span"][1], ev["clause_id"]))
            self.evidence_refs.update(got)

    def clause_alignments(self, store: GraphStore, local_iri: str, source_iris: list[str]) -> list[dict]:
        """:func:`clause_alignments` of the local document to these upstream documents (the alignments read
        from the store, their clauses from the table)."""
        if not source_iris:
            return []
        rows = self._pair_rows(store, local_iri, source_iris)
        self._need(("clauses",), [local_iri, *source_iris])
        keys = {r[k] for r in rows for k in ("lc", "sc")}
        info = {c: self.clauses[c] for c in keys if c in self.clauses}
        if len(info) < len(keys):  # not in the table (cannot happen with a consistent store): read as before
            info.update(clause_info(store, keys - set(info)))
        return _shape_alignments(rows, info, self.reviews, self.docs)

    def target_links(self, doc_iri: str) -> list[dict]:
        """:func:`target_links` of one document (either side), from the tables."""
        self._need(("target_rows",), [doc_iri])
        rows = [r for r in self.target_rows.get(doc_iri, []) if r["ld"] == doc_iri]
        seen = {r["tl"] for r in rows}
        rows += [r for r in self.target_rows.get(doc_iri, []) if r["sd"] == doc_iri and r["tl"] not in seen]
        if not rows:
            return []
        by_doc: dict[str, set[str]] = {}
        for r in rows:
            by_doc.setdefault(r["ld"], set()).add(r["lt"])
            by_doc.setdefault(r["sd"], set()).add(r["st"])
        self._need_targets(by_doc)
        return _shape_target_links(rows, self.targets, self.reviews, doc_iri)

    def _pair_rows(self, store: GraphStore, local_iri: str, source_iris: list[str]) -> list[dict]:
        """The alignment rows of the local document to these sources: each pair's kept on disk under the version its
        pair graph states, the others read together."""
        lid = self.docs.get(local_iri, {}).get("id")
        if not lid or not all(s in self.docs for s in source_iris):
            return _pair_alignments(store, local_iri, source_iris, self.docs)
        graphs = {s: str(store.iris.lineage_graph(lid, self.docs[s]["id"])) for s in source_iris}

        def key(s: str) -> str | None:
            v = self.pair_versions.get(graphs[s])
            return f"{graphs[s]}|{v}" if v is not None else None

        def read(todo: list[str]) -> dict[str, list[dict]]:
            by: dict[str, list[dict]] = {s: [] for s in todo}
            for r in _pair_alignments(store, local_iri, todo, self.docs):
                by.setdefault(r["sd"], []).append(r)
            return by

        got = self.kept.get("pairs", source_iris, key, read)
        return [r for s in source_iris for r in got[s] or ()]

    def _need_targets(self, by_doc: dict[str, set[str]]) -> None:
        """The targets with these IRIs (document → IRIs; as ``kg targets`` prints them), if not yet read: those a
        document's entry kept on disk holds are loaded, the others read by IRI together and added to their
        documents' entries."""
        from .facts import facts_by_iri

        with self._lock:
            todo = {d: {i for i in iris if i not in self.targets} for d, iris in by_doc.items()}
            todo = {d: s for d, s in todo.items() if s}
            if not todo:
                return
            kept = {d: self.kept.load("targets", self.doc_keys.get(d)) or {} for d in todo}
            missing = sorted({i for d, s in todo.items() for i in s if i not in kept[d]})
            got = {t["iri"]: t for t in facts_by_iri("targets", self.store, missing)} if missing else {}
            for d, iris in todo.items():
                entry, grew = kept[d], False
                for i in sorted(iris):
                    if i not in entry and i in got:
                        entry[i], grew = got[i], True
                    # None: not in the store (cannot happen with a consistent store)
                    self.targets[i] = entry.get(i)
                if grew:
                    self.kept.save("targets", self.doc_keys.get(d), entry)

    def coverage(self, source_iris: list[str], alignments: list[dict]) -> list[dict]:
        """:func:`coverage` from the tables."""
        self._need(("alignable", "clause_meta"), source_iris)
        meta: dict[str, dict] = {}
        for s in source_iris:
            meta.update(self.clause_meta.get(s, {}))
        return _coverage(source_iris, alignments, self.docs, {s: self.alignable.get(s, []) for s in source_iris}, meta)

    def walk(self, start: str, direction: str) -> list[dict]:
        """Breadth first, nearest first; a rejected link is listed but never followed."""
        nxt = self.up if direction == "up" else self.down
        # the citing sentences of every link the walk can reach, read together (one query per 40 links)
        reach, todo, links = {start}, [start], []
        while todo:
            cur = todo.pop()
            for other in nxt.get(cur, []):
                pair = (cur, other) if direction == "up" else (other, cur)
                links.extend(lk["link"] for lk in self.edges[pair]["links"])
                if other not in reach:
                    reach.add(other)
                    todo.append(other)
        self._load_citations(links)
        seen = {start}
        out: list[dict] = []
        queue = deque([(start, [self.node(start)["doc"] or start])])
        while queue:
            cur, path = queue.popleft()
            level_items = []
            for other in nxt.get(cur, []):
                if other in seen:
                    continue
                pair = (cur, other) if direction == "up" else (other, cur)
                p = path + [self.node(other)["doc"] or other]
                level_items.append((other, self.item(pair[0], pair[1], p, other)))
            level_items.sort(key=lambda x: (-x[1]["confidence"], x[0]))
            for other, it in level_items:
                seen.add(other)
                out.append(it)
                if it["review"] != "rejected":
                    queue.append((other, it["path"]))
        out.sort(key=lambda x: (x["depth"], -x["confidence"], x["iri"]))
        return out


#: how :meth:`_Graph._need` reads each table
_READERS = {"clauses": _Graph._read_clauses, "clause_meta": _Graph._read_clauses,
            "target_rows": _Graph._read_target_rows, "alignable": _Graph._read_clauses}


class _Clause(NamedTuple):
    """An alignable clause as the lineage tables keep it: what :func:`_coverage` reads of a
    :class:`kg.align.ClauseText` (its key, label and text), without importing the alignment engine."""

    key: str
    label: str
    text: str


def clause_info(store: GraphStore, iris) -> dict[str, dict]:
    """Label, id, text and span of the given clauses (one query)."""
    iris = sorted(set(iris))
    out: dict[str, dict] = {}
    for k in range(0, len(iris), 500):
        for r in store.select(_CLAUSE_INFO % " ".join(f"<{x}>" for x in iris[k:k + 500])):
            out[r["c"]] = _clause_info_row(r)
    return out


def _clause_info_row(r: dict) -> dict:
    return {"label": r["label"], "cid": r["cid"], "text": _clause_text(r["h"], r["t"]), "span": [r["s"], r["e"]],
            "heading": r["h"]}


def _pair_alignments(store: GraphStore, local_iri: str, source_iris: list[str], docs: dict) -> list[dict]:
    """The rows of :data:`_ALIGNMENTS` of the local document to these sources, from their pair graphs when every
    document is in ``docs`` (its id names the graph), else from the union of the graphs."""
    ids = [docs.get(i, {}).get("id") for i in (local_iri, *source_iris)]
    if all(ids):
        graphs = " ".join(f"<{store.iris.lineage_graph(ids[0], s)}>" for s in ids[1:])
        return store.select(_ALIGNMENTS_IN_PAIRS % graphs, union=False)
    head = f"VALUES ?ld {{ <{local_iri}> }} VALUES ?sd {{ " + " ".join(f"<{s}>" for s in source_iris) + " }"
    return store.select(_ALIGNMENTS % head)


def _alignment_rows(store: GraphStore, rows: list[dict], reviews: dict, docs: dict) -> list[dict]:
    info = clause_info(store, [r["lc"] for r in rows] + [r["sc"] for r in rows])
    return _shape_alignments(rows, info, reviews, docs)


def _shape_alignments(rows: list[dict], info: dict[str, dict], reviews: dict, docs: dict) -> list[dict]:
    """Alignment rows (of :data:`_ALIGNMENTS`) as ``clause_alignments`` items, in their order."""
    out = []
    for r in rows:
        src = docs.get(r["sd"], {})
        loc = docs.get(r["ld"], {})
        lc, sc = info.get(r["lc"]), info.get(r["sc"])
        if lc is None or sc is None:
            continue
        out.append({
            "local_doc": loc.get("id"), "local_clause": lc["label"], "local_clause_id": lc["cid"],
            "local_text": lc["text"], "local_span": lc["span"],
            "source_doc": src.get("id"), "source_title": src.get("title"), "source_clause": sc["label"],
            "source_clause_id": sc["cid"], "source_text": sc["text"],
            "source_span": sc["span"], "score": float(r["score"]), "rank": int(r["rank"]),
            "method": r["method"], "lexical_score": float(r["lex"]),
            "embedding_score": float(r["emb"]) if r["emb"] is not None else None,
            "shared": r["shared"],
            "shared_local_span": [r["lss"], r["lse"]] if r["lss"] is not None else None,
            "shared_source_span": [r["sss"], r["sse"]] if r["sss"] is not None else None,
            "review": _review(reviews, r["a"]), "iri": r["a"],
            "local_clause_iri": r["lc"], "source_clause_iri": r["sc"],
        })
    out.sort(key=lambda x: (x["local_span"][0], x["local_clause_id"], x["source_doc"] or "", x["rank"], x["iri"]))
    return out


@reads
def clause_alignments(store: GraphStore, local_iri: str, source_iris: list[str] | None = None,
                      *, reviews: dict | None = None, docs: dict | None = None) -> list[dict]:
    """The local document's clause alignments (to the given upstream documents, or to all)."""
    reviews = review_states(store) if reviews is None else reviews
    docs = docs if docs is not None else {d["iri"]: d for d in list_docs(store)}
    if source_iris is not None:
        if not source_iris:
            return []
        return _alignment_rows(store, _pair_alignments(store, local_iri, source_iris, docs), reviews, docs)
    return _alignment_rows(store, store.select(_ALIGNMENTS % f"VALUES ?ld {{ <{local_iri}> }}"), reviews, docs)


@reads
def target_links(store: GraphStore, doc_iri: str | None = None, *, reviews: dict | None = None) -> list[dict]:
    """Target lineage items (both sides as ``kg targets`` prints them); with ``doc_iri``, those where the
    document is either side (and only the targets of the documents on their other side are read)."""
    from .facts import targets

    reviews = review_states(store) if reviews is None else reviews
    if doc_iri:
        rows = store.select(_TARGET_LINKS % f"VALUES ?ld {{ <{doc_iri}> }}")
        seen = {r["tl"] for r in rows}
        rows += [r for r in store.select(_TARGET_LINKS % f"VALUES ?sd {{ <{doc_iri}> }}") if r["tl"] not in seen]
    else:
        rows = store.select(_TARGET_LINKS % "")
    if not rows:
        return []
    if doc_iri:
        by_iri = {t["iri"]: t for d in sorted({r["ld"] for r in rows} | {r["sd"] for r in rows})
                  for t in targets(store, d)}
    else:
        by_iri = {t["iri"]: t for t in targets(store)}
    return _shape_target_links(rows, by_iri, reviews, doc_iri)


@reads
def target_links_among(store: GraphStore, targets: list[dict], *, reviews: dict | None = None) -> list[dict]:
    """The target links both of whose targets are among ``targets`` (fact dicts as :func:`kg.query.facts.targets`
    gives them): one query bound to their IRIs, not every link of the store (a question comparing one metric's
    targets across documents)."""
    iris = sorted({t["iri"] for t in targets})
    if len(iris) < 2:
        return []
    values = " ".join(f"<{i}>" for i in iris)
    # bound on the local side, the source side kept here: two VALUES of N targets each made Oxigraph look up
    # N × N pairs (0.07 s more for 105 targets)
    wanted = set(iris)
    rows = [r for r in store.select(_TARGET_LINKS % f"VALUES ?lt {{ {values} }}") if r["st"] in wanted]
    if not rows:
        return []
    return _shape_target_links(rows, {t["iri"]: t for t in targets}, review_states(store) if reviews is None else reviews,
                               None)


def _shape_target_links(rows: list[dict], by_iri: dict[str, dict], reviews: dict, doc_iri: str | None) -> list[dict]:
    """Target link rows (of :data:`_TARGET_LINKS`) as ``target_links`` items, in their order."""
    out = []
    for r in rows:
        lt, st = by_iri.get(r["lt"]), by_iri.get(r["st"])
        if lt is None or st is None:
            continue
        out.append({
            "local": lt, "source": st, "metric_match": r["match"],
            "ratio": float(r["ratio"]) if r["ratio"] is not None else None,
            "relation": r["rel"], "conflict": r["conflict"], "confidence": float(r["conf"]),
            "review": _review(reviews, r["tl"]), "iri": r["tl"],
            "direction": "up" if doc_iri is None or r["ld"] == doc_iri else "down",
        })
    out.sort(key=lambda x: (x["direction"], x["local"]["doc"], x["local"]["span"][0], x["source"]["doc"],
                            x["source"]["span"][0], x["iri"]))
    return out


def coverage(store: GraphStore, local_iri: str, source_iris: list[str], alignments: list[dict],
             docs: dict) -> list[dict]:
    """Per upstream document: which of its clauses the local document takes up (an alignment of at least
    ``TAKEN_UP`` that nobody rejected) and which it does not."""
    all_clauses = alignable_clauses(store, list(source_iris))  # one query for every source
    all_meta = _clause_meta(store, list(source_iris))
    return _coverage(source_iris, alignments, docs, all_clauses, all_meta)


def _coverage(source_iris: list[str], alignments: list[dict], docs: dict, all_clauses: dict, all_meta: dict) -> list[dict]:
    out = []
    for s in source_iris:
        clauses = all_clauses.get(s, [])
        if not clauses:
            continue
        taken = {a["source_clause_iri"] for a in alignments
                 if a["source_doc"] == docs[s]["id"] and a["score"] >= TAKEN_UP and a["review"] != "rejected"}
        taken |= {a["source_clause_iri"] for a in alignments
                  if a["source_doc"] == docs[s]["id"] and a["review"] == "confirmed"}
        meta = all_meta
        t_list, n_list = [], []
        for c in clauses:
            m = meta.get(c.key, {})
            if not m.get("has_text") and c.key not in taken:
                continue  # a section title (二、夯实物联网络底座): its items are counted instead
            entry = {"clause": c.label, "clause_id": m.get("cid"), "heading": m.get("heading"), "text": c.text}
            (t_list if c.key in taken else n_list).append(entry)
        out.append({"doc": docs[s]["id"], "title": docs[s]["title"], "taken_up": t_list, "not_taken_up": n_list,
                    "share": round(len(t_list) / max(len(t_list) + len(n_list), 1), 3)})
    return out


def _clause_meta(store: GraphStore, doc_iris: list[str]) -> dict[str, dict]:
    if not doc_iris:
        return {}
    values = " ".join(f"<{x}>" for x in doc_iris)
    rows = store.select(f"""SELECT ?c ?cid ?h ?t WHERE {{ VALUES ?d {{ {values} }} ?c kg:inDocument ?d ; a eli:LegalResourceSubdivision ;
                            eli:id_local ?cid . OPTIONAL {{ ?c kg:heading ?h }} OPTIONAL {{ ?c kg:text ?t }} }}""")
    return {r["c"]: {"cid": r["cid"], "heading": r["h"], "has_text": bool((r["t"] or "").strip())} for r in rows}


@reads
def chain_up(store: GraphStore, doc_iri: str) -> list[dict]:
    return _graph(store).walk(doc_iri, "up")


@reads
def chain_down(store: GraphStore, doc_iri: str) -> list[dict]:
    return _graph(store).walk(doc_iri, "down")


@reads
def lineage(store: GraphStore, doc_iri: str) -> dict:
    """The whole answer for one document (contract: ``kg lineage --json``)."""
    g = _graph(store)
    doc = g.docs.get(doc_iri)
    if doc is None:
        from ..errors import DocumentNotFound

        raise DocumentNotFound(f"存储中没有文件 {doc_iri}")
    doc = {k: (list(v) if isinstance(v, list) else v) for k, v in doc.items()}  # the caller's own copy
    upstream = g.walk(doc_iri, "up")
    downstream = g.walk(doc_iri, "down")
    sources = sorted({u["iri"] for u in upstream if u["doc"] and u["review"] != "rejected"})
    alignments = g.clause_alignments(store, doc_iri, sources)
    # evidence of inferred links: the aligned clause pairs
    by_iri = {a["iri"]: a for a in alignments}
    for u in upstream + downstream:
        for lk in u["links"]:
            for a_iri in g.evidence_alignments.get(lk["iri"], []):
                a = by_iri.get(a_iri)
                if a is None:
                    continue
                u["evidence"].append({"clause": a["local_clause"], "clause_id": a["local_clause_id"],
                                      "text": a["local_text"], "span": a["local_span"], "kind": "alignment",
                                      "source_clause": a["source_clause"], "source_text": a["source_text"],
                                      "score": a["score"]})
    result = {
        "doc": doc,
        "upstream": upstream,
        "downstream": downstream,
        "clause_alignments": alignments,
        "target_lineage": g.target_links(doc_iri),
        "coverage": g.coverage([s for s in sources if s in g.docs], alignments),
    }
    # the caller's own copy: the items share dicts with the tables kept for the next call
    return pickle.loads(pickle.dumps(result, pickle.HIGHEST_PROTOCOL))


def chain_in_words(doc: dict, upstream: list[dict]) -> str:
    """``物智沪联（省级） → 落实 → 万物智联通知（国家级）`` for each path to the top."""
    if not upstream:
        return f"《{doc['title']}》没有找到上位文件。"
    ends = [u for u in upstream if u["review"] != "rejected"]
    by_path = {tuple(u["path"]): u for u in ends}
    tops = [u for u in ends if not any(tuple(v["path"][:len(u["path"])]) == tuple(u["path"]) and v is not u
                                       for v in ends)]
    lines = []
    for top in tops:
        parts = [f"《{doc['title']}》"]
        for k in range(2, len(top["path"]) + 1):
            u = by_path.get(tuple(top["path"][:k]))
            if u is None:
                continue
            lvl = LEVEL_ZH.get(u["level"], "层级未知")
            if u["external_iri"]:  # a level read off the citation (issuer, title, 文号 code) — the document is not here
                lvl = f"{lvl}，语料库外" if u["level"] in LEVEL_ZH else "语料库外"
            parts.append(f"{RELATION_ZH.get(u['relation'], u['relation'])}（{METHOD_ZH.get(u['method'], u['method'])}，"
                         f"置信度 {u['confidence']:.2f}）→《{u['title'] or u['doc_number'] or u['iri']}》（{lvl}）")
        lines.append(" ".join(parts))
    return "\n".join(lines)
