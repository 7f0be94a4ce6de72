"""Derived lineage graphs, recomputed after every build: clause alignments, inferred document links and
target links.

*What is compared with what.*  A document ("local") is aligned with a document above it ("source") when
either it cites that document explicitly (a resolved ``applies``/``based_on``/``cites`` link of
:mod:`kg.links`), or the source is at a higher level of government whose territory contains the local
one, is not later than it, and is among the local document's three most similar such documents
(:func:`kg.align.document_similarity`, at least ``MIN_DOC_SIMILARITY``).  Level-aware (a local clause
aligns to provincial or national ones, never the reverse) and date-aware (a document cannot implement a
later one).

*One named graph per pair* (``{base}graph/lineage/{local}--{source}``) holds the pair's
``kg:ClauseAlignment`` nodes and, when the local document does not cite the source, an inferred
``kg:Link`` (method ``clause-similarity``) whose evidence is the aligned clause pairs.  An alignment
depends only on the two documents' texts (:func:`kg.align.align_documents`), so the graphs do not depend
on build order; a pair graph records the versions of both documents it was computed from and is
recomputed only when one of them changed (incremental: a new document is aligned against the candidates
the similarity ranking picked, not against every clause of the corpus).

*Target links* (``{base}graph/targetlinks``) join targets that measure the same thing: a local target
and the target of a document it may implement (the city's share of the national figure, or a stricter or
looser rate), successive plans of one jurisdiction (``successor``), and the same metric stated twice for
one place and year (``same``, or a ``conflict`` when the values differ).  Each local target is linked to
a few documents only (:mod:`kg.targetlinks`: at most three above it — those its document cites, directly
or through the documents it cites, first, then those it is linked to by the clause alignments above, then
the nearest level and deadline year — and three of its own jurisdiction), so the graph grows with the
number of targets, not with the number of pairs of documents.  When two documents that neither cite each
other nor align clause by clause share at least two such target links, an inferred ``kg:Link`` with
method ``target-metric`` joins them.

Human review states live in ``{base}graph/review`` (:mod:`kg.review`), which nothing here touches.
"""
from __future__ import annotations

import hashlib
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Callable

from kg.yamlio import load_yaml
from rdflib import Literal, URIRef

from .divisions import by_code, named
from .iris import IRIs, Triple, conf, decimal_literal, integer, zh
from .query.clauses import alignable_clauses
from .query.lineage import LEVEL_RANK
from .store import GraphStore, nt_lines
from .vocab import KG, PROV, RDF, XSD

#: bump when the layout of the pair graphs changes (a new version of the code that aligns, scores or links is
#: noticed by itself: :func:`align_version`)
ALIGN_VERSION = "1"
#: the code the pair graphs, the document vectors and similarities and the target links come from: the alignment
#: engine with what it imports, this module and target linking (the query layer this module reads the store
#: with is not among them: what it reads is versioned by the documents)
ALIGN_ROOTS, ALIGN_MODULES = ("kg.align",), ("kg.lineage", "kg.targetlinks")


def align_version() -> str:
    """:data:`ALIGN_VERSION` and a digest of the code of :data:`ALIGN_ROOTS` and :data:`ALIGN_MODULES` and of the
    ontology's data: every pair graph, the cache's figures and the target links are computed again when it changes."""
    from .codeversion import code_version

    return f"{ALIGN_VERSION}:{code_version(ALIGN_ROOTS, ALIGN_MODULES)}"


MIN_DOC_SIMILARITY = 0.12
TOP_SOURCES = 3
#: how many sources, by whole-document cosine, get the (costlier) clause-level document similarity
PREFILTER = 12
#: pair graphs are written to the store a batch at a time: at most this many graphs, or this many characters of
#: N-Triples (each write opens the database and ends with a flush; at 300 documents, 801 pairs, batches of 64
#: instead of 16 took the writer's CPU from 89.7 to 82.2 s — bench/RESULTS.md, "store writes")
WRITE_BATCH = 64
WRITE_BATCH_CHARS = 24_000_000
#: an alignment at or above this score counts as "taken up" and as evidence for an inferred link
STRONG = 0.5
#: the layout of the target-link entries of :class:`LineageCache` (another layout is not read)
TL_FORMAT = 3
#: the fields of a target that target linking reads (:func:`kg.targetlinks.link_targets`), as cached
TARGET_FIELDS = ("iri", "doc", "kind", "value", "metric", "unit", "deadline_year", "comparator")
#: more documents than this whose targets are not cached: every target is read in one query
TARGETS_ONE_BY_ONE = 24
ONTOLOGY = Path(__file__).resolve().parent / "ontology"


# ---------------------------------------------------------------------------------------------- reading
@dataclass
class DocInfo:
    iri: str
    id: str
    title: str
    level: str | None
    jurisdiction: str | None
    date: str | None  # ISO date or year the document was made (成文, else 印发, else the period's start)
    version: str  # content digest + pipeline version: a derived graph computed from it stays valid
    issuers: list[str]


_EXPLICIT = """
SELECT DISTINCT ?link ?from ?to ?rel ?conf WHERE {
  GRAPH <%s> { ?link a kg:Link ; kg:linkSource ?from ; kg:linkTarget ?to ; kg:relation ?rel ; kg:confidence ?conf }
  ?to a kg:SourceDocument .
}
"""


def doc_infos(store: GraphStore) -> dict[str, DocInfo]:
    from .query.docs import list_docs

    versions = {e.doc_id: f"{e.sha256[:16]}:{e.pipeline_version}" for e in store.manifest().values()
                if not e.duplicate}  # a duplicate file's record names the same document
    out = {}
    for d in list_docs(store, current_only=True):  # a version superseded by a newer one is not compared
        date = d["date_document"] or d["date_publication"] or (str(d["period"][0]) if d["period"] else None)
        out[d["iri"]] = DocInfo(d["iri"], d["id"], d["title"] or d["id"], d["level"], d["jurisdiction"], date,
                                versions.get(d["id"], "?"), d["issuers"])
    return out


@lru_cache(maxsize=1)
def _places() -> dict[str, dict]:
    data = load_yaml((ONTOLOGY / "places.yaml")) or {}
    return {p["name"]: p for p in data.get("places") or []}


@lru_cache(maxsize=None)
def _ancestors(name: str) -> tuple[str, ...]:
    """The place and the places containing it, by places.yaml (``杨浦区`` → 上海市 when listed), else by
    the administrative divisions (GB/T 2260: ``温岭市`` → 台州市 → 浙江省) when the name is unambiguous."""
    places = _places()
    by_id = {p["id"]: p for p in places.values()}
    out, cur = [name], places.get(name)
    while cur and cur.get("parent") and cur["parent"] in by_id:
        cur = by_id[cur["parent"]]
        out.append(cur["name"])
    found = named(name)
    if len(found) == 1:
        d = found[0]
        while d.parent and (d := by_code(d.parent)) is not None:
            if d.name not in out:
                out.append(d.name)
    return tuple(out)


def within(local: DocInfo, source: DocInfo) -> bool:
    """Is the local document's territory inside the source's?  National covers everything; otherwise the
    source's place must contain the local one (places.yaml), or be named in the local title or issuers
    (a district of a city places.yaml does not list)."""
    if source.level == "national" or source.jurisdiction in (None, "全国"):
        return True
    if not local.jurisdiction:
        return False
    if source.jurisdiction in _ancestors(local.jurisdiction):
        return True
    sj = source.jurisdiction
    short = sj[:-1] if sj.endswith(("省", "市")) and len(sj) > 2 else sj
    return any(short in x for x in [local.title, *local.issuers])


def _year(date: str | None) -> str | None:
    return date[:10] if date else None


def _may_contain(local: DocInfo, source: DocInfo) -> bool:
    """The level and territory half of :func:`may_implement` (it depends on the source's level and place
    only, so one check serves every document of a level and place)."""
    lr, sr = LEVEL_RANK.get(local.level or ""), LEVEL_RANK.get(source.level or "")
    if lr is None or sr is None or sr >= lr:
        return False
    return within(local, source)


def may_implement(local: DocInfo, source: DocInfo) -> bool:
    """Level- and date-aware: the source is strictly higher, contains the local territory, is not later."""
    return _may_contain(local, source) and _not_later(local, source)


def _not_later(local: DocInfo, source: DocInfo) -> bool:
    """The date half of :func:`may_implement`: the source is not dated after the local document."""
    ld, sd = _year(local.date), _year(source.date)
    return not (ld and sd and sd[:len(ld)] > ld[:len(sd)])


def _memo_implements() -> Callable[[DocInfo, DocInfo], bool]:
    """:func:`may_implement` for target linking, which asks it once per pair of targets: its level and territory
    half (:func:`_may_contain`, which reads of the source only its level and place) remembered per (local
    document, source's level and place) — a few entries per document, where one entry per pair of documents grew
    with the square of the corpus — and its date half computed each time (two string comparisons)."""
    seen: dict[tuple, bool] = {}

    def memo(a: DocInfo, b: DocInfo) -> bool:
        k = (a.iri, b.level, b.jurisdiction)
        v = seen.get(k)
        if v is None:
            v = seen[k] = _may_contain(a, b)
        return v and _not_later(a, b)

    return memo


# ---------------------------------------------------------------------------------------------- IRIs
def pair_graph(iris: IRIs, local_id: str, source_id: str) -> URIRef:
    return iris.lineage_graph(local_id, source_id)


def alignment_iri(iris: IRIs, local_clause: str, source_clause: str) -> URIRef:
    h = hashlib.sha1(f"{local_clause}|{source_clause}".encode("utf-8")).hexdigest()[:16]
    return URIRef(f"{iris.base}align/{h}")


def inferred_link_iri(iris: IRIs, local_doc: str, source_doc: str, method: str) -> URIRef:
    h = hashlib.sha1(f"{local_doc}|{source_doc}|{method}".encode("utf-8")).hexdigest()[:16]
    return URIRef(f"{iris.base}link/{h}")


def target_link_iri(iris: IRIs, a: str, b: str) -> URIRef:
    h = hashlib.sha1(f"{a}|{b}".encode("utf-8")).hexdigest()[:16]
    return URIRef(f"{iris.base}targetlink/{h}")


def _dec(x: float, digits: int = 3) -> Literal:
    return decimal_literal(f"{x:.{digits}f}")  # the same literal as Literal(Decimal(…), datatype=XSD.decimal)


def _ratio(x: float) -> Literal:
    return Literal(Decimal(f"{x:.6g}") if abs(x) >= 1e-6 else Decimal("0"), datatype=XSD.decimal)


# ---------------------------------------------------------------------------------------------- pairs
class LineageCache:
    """What the lineage step keeps from one build to the next, keyed by document versions (content digest +
    pipeline version, :attr:`DocInfo.version`) so that nothing in it can be stale: each document's
    whole-text vector and the document similarity of each (local, source) pair it scored; and, for the
    target-links graph, what was last written there (:meth:`GraphStore.sync_graph`).  After a change to one
    document, only that document's figures are computed again, and only the links that changed are written.

    Kept beside an embedded store (``lineage-cache.marshal``, written atomically), in memory for a SPARQL
    server; a missing or unreadable file only means computing again."""

    NAME = "lineage-cache.marshal"

    def __init__(self, store: GraphStore | None = None) -> None:
        from .cache import load_file

        path = getattr(store, "path", None)
        self.path = Path(path) / self.NAME if path is not None else None
        data = load_file(self.path) if self.path is not None else None
        ok = isinstance(data, dict) and data.get("align") == align_version()
        self.vectors: dict[str, dict[str, float]] = data["vectors"] if ok else {}
        self.sims: dict[tuple[str, str], float] = data["sims"] if ok else {}
        #: derived graph IRI → what :meth:`GraphStore.sync_graph` returned when it last wrote that graph
        self.graphs: dict[str, dict[str, str]] = data.get("graphs", {}) if ok else {}
        tl_ok = ok and data.get("tl_format") == TL_FORMAT
        #: document IRI → (its version, its targets as :func:`update_target_links` needs them: ``TARGET_FIELDS``)
        self.targets: dict[str, tuple[str, list[tuple]]] = data.get("targets", {}) if tl_ok else {}
        #: what the target-links graph was computed from, written with ``graphs`` (only valid together): each
        #: document's :func:`_doc_state`, per (local document, source document) its target links
        #: ``(subject, relation, has a conflict)``, and each inferred document link's digest of its sources
        self.tlinks: dict | None = data.get("tlinks") if tl_ok else None
        #: what the links graph was computed from (:func:`kg.links.update_links`; only valid with ``graphs``)
        self.links: dict = data.get("links") or {} if ok else {}
        #: pair graph IRI → [its version (``kg:docVersion``), local IRI, source IRI, at least 2 aligned clauses]:
        #: a pair graph's content is a function of its IRI and version, so these are read from the store only
        #: for graphs not kept here under the version the store states (:func:`_pair_summaries`)
        self.pairs: dict[str, list] = data.get("pairs") or {} if ok else {}
        #: the pairs :func:`update_lineage` left in the store, in this process (for :func:`update_target_links`)
        self.stored: list[tuple[str, str, bool]] | None = None

    @staticmethod
    def cacheable(d: DocInfo) -> bool:
        return bool(d.version) and not d.version.startswith("?")

    def save(self, docs: dict[str, DocInfo]) -> None:
        """Write the entries of the documents in ``docs`` (those of documents gone or changed are dropped)."""
        from .cache import save_file

        live = {d.version for d in docs.values() if self.cacheable(d)}
        self.vectors = {v: x for v, x in self.vectors.items() if v in live}
        self.sims = {k: x for k, x in self.sims.items() if k[0] in live and k[1] in live}
        self.targets = {i: x for i, x in self.targets.items() if i in docs and x[0] == docs[i].version}
        if self.path is not None:
            save_file(self.path, {"align": align_version(), "vectors": self.vectors, "sims": self.sims,
                                  "graphs": self.graphs, "tl_format": TL_FORMAT, "targets": self.targets,
                                  "tlinks": self.tlinks, "links": self.links, "pairs": self.pairs})


def candidate_pairs(docs: dict[str, DocInfo], clauses_of: Callable[[list[str]], dict[str, list]],
                    explicit: dict[tuple[str, str], dict], cache: LineageCache | None = None,
                    workers: int = 1, progress: Callable[[int, int, str], None] | None = None,
                    ) -> tuple[list[tuple[str, str, float | None]], dict[str, list[str]]]:
    """(local IRI, source IRI, document similarity or None for explicit links), sorted; and the clause
    texts it had to fetch (``clauses_of(iris)`` → IRI → clauses, called only for documents whose figures
    are not in ``cache``).  ``workers``: processes that segment the fetched clause texts
    (:func:`analyse_texts`); the answer does not depend on it.  ``progress(done, total, stage)``: the local
    documents whose candidate sources are scored."""
    from .align import document_similarity

    cache = cache if cache is not None else LineageCache()
    pairs: dict[tuple[str, str], float | None] = {k: None for k in explicit if k[0] in docs and k[1] in docs}
    texts: dict[str, list[str]] = {}

    def fetch(iris) -> None:
        need = sorted({i for i in iris if i not in texts})
        if need:
            got = clauses_of(need)
            for i in need:
                texts[i] = [c.text for c in got.get(i, [])]

    fetch(i for i, d in docs.items() if not cache.cacheable(d) or d.version not in cache.vectors)
    analyse_texts([x for ts in texts.values() for x in ts], workers)
    vectors: dict[str, dict[str, float]] = {}
    for i, d in docs.items():
        v = cache.vectors.get(d.version) if cache.cacheable(d) else None
        if v is None:
            v = _doc_vector(texts[i]) if texts[i] else {}
            if cache.cacheable(d):
                cache.vectors[d.version] = v
        if v:  # a document without alignable text is neither a local nor a source here
            vectors[i] = v
    order = sorted(vectors)
    sims = _cosines([vectors[d] for d in order])
    index = {d: i for i, d in enumerate(order)}
    # blocking: documents grouped by level and place, so a local document is checked against the groups
    # that may contain its sources, not against every document of the store
    groups: dict[tuple[str | None, str | None], list[DocInfo]] = {}
    for s_iri in order:
        groups.setdefault((docs[s_iri].level, docs[s_iri].jurisdiction), []).append(docs[s_iri])
    shortlist: dict[str, list[str]] = {}
    for l_iri in order:
        local = docs[l_iri]
        # (the level and territory half checked once per group: its members share level and place)
        eligible = [s.iri for members in groups.values() if _may_contain(local, members[0])
                    for s in members if s.iri != l_iri and _not_later(local, s)]
        if eligible:
            # a cheap whole-document cosine picks the few sources worth the clause-level similarity
            shortlist[l_iri] = _best_few(sims(index[l_iri]), eligible, index, PREFILTER)

    def key(l_iri: str, s_iri: str) -> tuple[str, str] | None:
        l, s = docs[l_iri], docs[s_iri]
        return (l.version, s.version) if cache.cacheable(l) and cache.cacheable(s) else None

    fetch(x for l_iri, ss in shortlist.items() for s_iri in ss if key(l_iri, s_iri) not in cache.sims
          for x in (l_iri, s_iri))
    analyse_texts([x for ts in texts.values() for x in ts], workers)
    for n, (l_iri, ss) in enumerate(shortlist.items(), 1):
        if progress and (n == 1 or n % 50 == 0 or n == len(shortlist)):
            progress(n, len(shortlist), STAGE_CANDIDATES)
        scored = []
        for s_iri in ss:
            k = key(l_iri, s_iri)
            sim = cache.sims.get(k) if k is not None else None
            if sim is None:
                sim = document_similarity(texts[l_iri], texts[s_iri])
                if k is not None:
                    cache.sims[k] = sim
            if sim >= MIN_DOC_SIMILARITY:
                scored.append((-sim, s_iri))
        for neg, s_iri in sorted(scored)[:TOP_SOURCES]:
            if (l_iri, s_iri) not in pairs:
                pairs[(l_iri, s_iri)] = -neg
    return sorted((k[0], k[1], v) for k, v in pairs.items()), texts


#: fewer clause texts than this to segment are segmented here, on demand, not by a pool of processes
PARALLEL_MIN_TEXTS = 4000


def analyse_texts(texts: list[str], workers: int) -> None:
    """Segment the clause texts not yet kept (:func:`kg.align.tokens.remembering`) with ``workers`` forked
    processes, and keep their analyses here: jieba on every clause of the corpus was the largest serial part
    of the lineage step before its aligners start (48 s of 101 s in ``candidate_pairs``, 1,000 documents).
    The analyses are those this process would make (same functions, same data), so nothing downstream
    changes.  Should the pool break, the rest are analysed on demand."""
    from .align.tokens import analyse_many, keep, unkept

    todo = unkept(texts)
    workers = min(workers, len(todo) // (PARALLEL_MIN_TEXTS // 2) or 1)
    if workers <= 1 or len(todo) < PARALLEL_MIN_TEXTS or not sys.platform.startswith("linux"):
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from .build import _die_with_parent

    size = max(200, len(todo) // (8 * workers) + 1)
    chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                             initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
        try:
            for chunk, analyses in zip(chunks, pool.map(analyse_many, chunks)):
                keep(chunk, analyses)
        except BrokenProcessPool:
            pass


def _doc_vector(texts: list[str]) -> dict[str, float]:
    """Unit-length vector of a document's retrieval tokens (sublinear term frequency)."""
    import math
    from collections import Counter

    from .align.tokens import tokens_of

    tf = Counter(t for x in texts for t in tokens_of(x))
    v = {t: 1.0 + math.log(n) for t, n in tf.items()}
    norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
    return {t: x / norm for t, x in v.items()}


def _best_few(row, eligible: list[str], index: dict[str, int], n: int) -> list[str]:
    """The ``n`` first of ``eligible`` by ``(-round(cosine, 9), IRI)`` (``row``: the cosines, by ``index``).

    Only the candidates whose raw cosine reaches the ``n``-th largest less a margin wider than any rounding to
    9 digits (5e-10) are sorted in Python: the others cannot be among the first ``n`` (rounding keeps order, up to
    ties), so the answer is the one sorting every candidate gives."""
    import numpy as np

    if len(eligible) > 4 * n:
        vals = row[np.fromiter((index[s] for s in eligible), dtype=np.int64, count=len(eligible))]
        kth = np.partition(vals, len(vals) - n)[len(vals) - n]
        keep = np.flatnonzero(vals >= kth - 1e-8)
        eligible = [eligible[j] for j in keep.tolist()]
    return [s for _, s in sorted((-round(float(row[index[s]]), 9), s) for s in eligible)[:n]]


#: rows of document cosines computed per sparse product (:func:`_cosines`): bounded memory at 10,000 documents
COSINE_BLOCK = 256


def _cosines(vectors: list[dict[str, float]]):
    """``row(i)`` → the cosines of document ``i`` with every document, by one sparse product per block of
    :data:`COSINE_BLOCK` rows (scipy; each row summed in the order a product of that row alone sums it, so the
    same floats), so a build does not pay a Python loop per pair of documents nor a product per row.  Rows are
    asked for in increasing order; the block last computed is kept."""
    import numpy as np
    from scipy.sparse import csr_matrix

    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, v in enumerate(vectors):
        for t in sorted(v):
            rows.append(i)
            cols.append(vocab.setdefault(t, len(vocab)))
            vals.append(v[t])
    m = csr_matrix((np.array(vals, dtype=np.float64), (rows, cols)), shape=(len(vectors), max(len(vocab), 1)))
    mt = m.T.tocsr()
    block: list = [None, None]  # block number, its dense rows

    def row(i: int):
        b = i // COSINE_BLOCK
        if block[0] != b:
            block[0], block[1] = b, np.asarray((m[b * COSINE_BLOCK:(b + 1) * COSINE_BLOCK] @ mt).todense())
        return block[1][i - b * COSINE_BLOCK]

    return row


def explicit_links(store: GraphStore) -> dict[tuple[str, str], dict]:
    out: dict[tuple[str, str], dict] = {}
    for r in store.select(_EXPLICIT % store.iris.links_graph):
        k = (r["from"], r["to"])
        if k[0] == k[1]:
            continue
        best = out.get(k)
        if best is None or float(r["conf"]) > best["confidence"]:
            out[k] = {"link": r["link"], "relation": r["rel"], "confidence": float(r["conf"])}
    return out


def inferred_confidence(strong: int, coverage: float, doc_sim: float | None) -> float:
    """More restated clauses, a larger share of the source taken up and more similar documents → surer.
    Never as sure as an explicit citation (at most 0.85)."""
    c = 0.25 + 0.08 * min(strong, 6) + 0.25 * coverage + 0.2 * min(doc_sim or 0.0, 0.5)
    return round(min(c, 0.85), 3)


def pair_triples(iris: IRIs, local: DocInfo, source: DocInfo, lclauses: list, sclauses: list,
                 alignments: list, has_explicit: bool, doc_sim: float | None, version: str) -> tuple[URIRef, list[Triple]]:
    g = pair_graph(iris, local.id, source.id)
    L, S = URIRef(local.iri), URIRef(source.iri)
    out: list[Triple] = [
        (g, RDF.type, KG.Extraction),
        (g, KG.localDocument, L), (g, KG.sourceDocument, S), (g, KG.docVersion, Literal(version)),
    ]
    add = out.append
    nodes = []
    # the vocabulary's terms looked up once (a closed namespace answers each lookup in Python)
    TYPE, DERIVED, ALIGNMENT, LOCAL_C, SOURCE_C, LOCAL_D, SOURCE_D = (
        RDF.type, PROV.wasDerivedFrom, KG.ClauseAlignment, KG.localClause, KG.sourceClause, KG.localDocument,
        KG.sourceDocument)
    SCORE, RANK, METHOD, LEXICAL, EMBEDDING, SHARED, LSTART, LEND, SSTART, SEND = (
        KG.score, KG.rank, KG.method, KG.lexicalScore, KG.embeddingScore, KG.sharedText, KG.localSpanStart,
        KG.localSpanEnd, KG.sourceSpanStart, KG.sourceSpanEnd)
    methods: dict[str, Literal] = {}
    for a in alignments:
        n = alignment_iri(iris, a.local_key, a.source_key)
        nodes.append((a, n))
        lk, sk = URIRef(a.local_key), URIRef(a.source_key)
        method = methods.get(a.method)
        if method is None:
            method = methods[a.method] = Literal(a.method)
        add((n, TYPE, ALIGNMENT))
        add((n, LOCAL_C, lk))
        add((n, SOURCE_C, sk))
        add((n, LOCAL_D, L))
        add((n, SOURCE_D, S))
        add((n, SCORE, _dec(a.score)))
        add((n, RANK, integer(a.rank)))
        add((n, METHOD, method))
        add((n, LEXICAL, _dec(a.lexical_score)))
        if a.embedding_score is not None:
            add((n, EMBEDDING, _dec(a.embedding_score)))
        if a.shared:
            add((n, SHARED, zh(a.shared)))
            add((n, LSTART, integer(a.local_span[0])))
            add((n, LEND, integer(a.local_span[1])))
            add((n, SSTART, integer(a.source_span[0])))
            add((n, SEND, integer(a.source_span[1])))
        add((n, DERIVED, lk))
        add((n, DERIVED, sk))
    strong = [(a, n) for a, n in nodes if a.rank == 1 and a.score >= STRONG]
    taken = {a.source_key for a, _ in nodes if a.score >= STRONG}
    coverage = len(taken) / len(sclauses) if sclauses else 0.0
    add((g, KG.alignedClauses, integer(len({a.local_key for a, _ in strong}))))
    add((g, KG.coverage, _dec(coverage)))
    if not has_explicit and len({a.local_key for a, _ in strong}) >= 2:
        link = inferred_link_iri(iris, local.iri, source.iri, "clause-similarity")
        add((link, RDF.type, KG.Link))
        add((link, KG.linkSource, L))
        add((link, KG.linkTarget, S))
        add((link, KG.relation, Literal("applies")))
        add((link, KG.method, Literal("clause-similarity")))
        add((link, KG.confidence, conf(inferred_confidence(len(strong), coverage, doc_sim))))
        for a, n in sorted(strong, key=lambda x: (-x[0].score, str(x[1])))[:10]:
            add((link, KG.evidenceAlignment, n))
            add((link, PROV.wasDerivedFrom, n))
    return g, out


def _existing_pair_graphs(store: GraphStore) -> dict[str, str]:
    prefix = store.iris.lineage_prefix
    rows = store.select(f"""SELECT ?g ?v WHERE {{ GRAPH ?g {{ ?g kg:docVersion ?v }}
                            FILTER(STRSTARTS(STR(?g), "{prefix}")) }}""", union=False)
    return {r["g"]: r["v"] for r in rows}


def update_lineage(store: GraphStore, *, embedder=None,
                   progress: Callable[[int, int, str], None] | None = None,
                   workers: int | None = None, cache: LineageCache | None = None,
                   docs: dict[str, DocInfo] | None = None,
                   explicit: dict[tuple[str, str], dict] | None = None) -> dict[str, int]:
    """Recompute the pair graphs whose documents changed, add new pairs, drop pairs that no longer hold.

    ``workers``: processes that align pairs while this process writes them (``None``: every core when more
    than :data:`PARALLEL_MIN_PAIRS` pairs need computing and no embedding model is configured — a model
    would be loaded by every worker).  The graphs do not depend on it: each pair is aligned on its own.
    ``docs``: :func:`doc_infos` of the store, when the caller has read them; ``explicit``: likewise
    :func:`explicit_links`.
    ``progress(done, total, stage)``: the documents scored for candidate pairs (:data:`STAGE_CANDIDATES`), then
    the pairs aligned (:data:`STAGE_ALIGN` and the pair).

    Each clause text is tokenised once for the whole step (:func:`kg.align.tokens.remembering`): the
    document similarities and, in this process before the workers are forked, the texts of the pairs to
    align, so the workers inherit them instead of segmenting a clause again for every pair it is in.  The
    small matrix products of the similarities and alignments run on one BLAS thread
    (:func:`kg.align.core.one_blas_thread`)."""
    from .align.core import one_blas_thread
    from .align.tokens import remembering

    with remembering(), one_blas_thread():
        return _update_lineage(store, embedder, progress, workers, cache, docs, explicit)


def _update_lineage(store: GraphStore, embedder, progress, workers: int | None, cache: LineageCache | None,
                    docs: dict[str, DocInfo] | None, explicit: dict | None = None) -> dict[str, int]:
    docs = docs if docs is not None else doc_infos(store)
    explicit = explicit if explicit is not None else explicit_links(store)
    cache = cache if cache is not None else LineageCache(store)
    fetched: dict[str, list] = {}  # the clauses candidate_pairs read, kept for the pairs to align

    def clauses_of(iris: list[str]) -> dict[str, list]:
        got = alignable_clauses(store, iris)
        fetched.update((i, got.get(i, [])) for i in iris)
        return got

    pairs, _ = candidate_pairs(docs, clauses_of, explicit, cache,
                               workers=1 if embedder is not None else (workers or os.cpu_count() or 1),
                               progress=progress)
    cache.save(docs)
    existing = _existing_pair_graphs(store)
    model = getattr(embedder, "model_name", None) or "none"  # a new model recomputes every pair
    wanted: set[str] = set()
    stats = {"pairs": len(pairs), "computed": 0, "kept": 0, "dropped": 0}
    todo: list[tuple] = []
    for l_iri, s_iri, sim in pairs:
        local, source = docs[l_iri], docs[s_iri]
        g = str(pair_graph(store.iris, local.id, source.id))
        wanted.add(g)
        has_explicit = (l_iri, s_iri) in explicit
        version = f"{align_version()}|{model}|{local.version}|{source.version}|{'explicit' if has_explicit else 'inferred'}"
        if existing.get(g) == version:
            stats["kept"] += 1
            continue
        todo.append((store.iris.base, local, source, l_iri, s_iri, has_explicit, sim, version))
    # the clauses of the documents whose pairs are computed: those candidate_pairs read, the others fetched
    # in one query
    need = sorted({x for t in todo for x in (t[3], t[4])} - set(fetched))
    clauses = {**fetched, **alignable_clauses(store, need)} if need else fetched
    todo = [(b, lo, so, clauses.get(li, []), clauses.get(si, []), he, sim, v) for b, lo, so, li, si, he, sim, v in todo]
    if embedder is not None:
        workers = 1  # the model lives in this process
    elif workers is None:
        workers = (os.cpu_count() or 1) if len(todo) > PARALLEL_MIN_PAIRS else 1
    workers = min(workers, max(1, len(todo)))
    if workers > 1:
        _analyse_clauses(todo)  # here, once, before the fork (the workers inherit what is kept)
    pending: list = []  # pair graphs written a batch at a time (WRITE_BATCH, WRITE_BATCH_CHARS), each replaced whole
    size = 0
    with _pair_results(todo, embedder, workers) as results:
        for n, (args, (g, data)) in enumerate(zip(todo, results), 1):
            if progress:
                progress(n, len(todo), f"{STAGE_ALIGN}：{args[1].id} → {args[2].id}")
            pending.append((URIRef(g), data))
            size += len(data)
            stats["computed"] += 1
            if len(pending) >= WRITE_BATCH or size >= WRITE_BATCH_CHARS:
                store.replace_graphs(pending)
                pending, size = [], 0
    store.replace_graphs(pending)
    for g in sorted(set(existing) - wanted):
        store.drop_graph(URIRef(g))
        stats["dropped"] += 1
    cache.stored = _pair_summaries(store, cache, {**existing, **{str(pair_graph(store.iris, t[1].id, t[2].id)): t[-1] for t in todo}}, wanted)
    cache.save(docs)
    return stats


def _pair_summaries(store: GraphStore, cache: LineageCache, versions: dict[str, str],
                    wanted: set[str]) -> list[tuple[str, str, bool]]:
    """What :func:`_stored_pairs` reads, for the pair graphs ``wanted`` (all the store holds after the
    update; ``versions``: graph → the version it now states): from ``cache.pairs`` where kept under that
    version, the others read (bound by ``VALUES``) and kept."""
    need = sorted(g for g in wanted if (cache.pairs.get(g) or [None])[0] != versions.get(g))
    if need:
        got = {g: [versions.get(g)] for g in need}
        for i in range(0, len(need), 500):
            values = " ".join(f"<{g}>" for g in need[i:i + 500])
            for r in store.select(f"""SELECT ?g ?l ?s ?n WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{
                                      ?g kg:localDocument ?l ; kg:sourceDocument ?s ; kg:alignedClauses ?n }} }}""",
                                  union=False):
                got[r["g"]] = [versions.get(r["g"]), r["l"], r["s"], int(r["n"]) >= 2]
        cache.pairs.update(got)
    cache.pairs = {g: x for g, x in cache.pairs.items() if g in wanted}
    return sorted((x[1], x[2], x[3]) for x in cache.pairs.values() if len(x) == 4)


#: a lineage update with more pairs than this to align uses every core unless told otherwise
PARALLEL_MIN_PAIRS = 8


def _analyse_clauses(todo: list[tuple]) -> None:
    """Tokenise (and weigh the characters of) every clause text of the pairs in ``todo`` once, in this
    process (kept while :func:`kg.align.tokens.remembering` is in force)."""
    from .align.sw import content
    from .align.tokens import char_weights

    seen: set[str] = set()
    for t in todo:
        for clauses in (t[3], t[4]):
            for c in clauses:
                if c.text not in seen:
                    seen.add(c.text)
                    char_weights(c.text)
                    content(c.text)


def _pair_graph_text(base: str, local: DocInfo, source: DocInfo, lc: list, sc: list, has_explicit: bool,
                     sim: float | None, version: str, embedder=None) -> tuple[str, str]:
    """One pair's graph, aligned and serialised (the N-Triples the store loads): run in a worker process."""
    from .align import align_documents

    alignments = align_documents(lc, sc, embedder=embedder) if lc and sc else []
    g, triples = pair_triples(IRIs(base), local, source, lc, sc, alignments, has_explicit, sim, version)
    return str(g), nt_lines(triples)


def _pair_work(args: tuple) -> tuple[str, str]:
    return _pair_graph_text(*args)


@contextmanager
def _pair_results(todo: list[tuple], embedder, workers: int):
    """The pair graphs of ``todo`` in order, computed here or by a pool of forked workers (Linux) at most
    ``4 × workers`` pairs ahead of the writer (bounded memory).  Should the pool break (a worker killed), the
    remaining pairs are computed here."""
    if workers <= 1 or not sys.platform.startswith("linux"):
        yield (_pair_graph_text(*a, embedder=embedder) for a in todo)
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from .build import _die_with_parent

    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_die_with_parent, initargs=(os.getpid(),))

    def results():
        ahead: deque = deque()
        sent = 0
        broken = False
        for a in todo:
            while not broken and sent < len(todo) and len(ahead) < 4 * workers:
                ahead.append(pool.submit(_pair_work, todo[sent]))
                sent += 1
            fut = ahead.popleft() if ahead else None
            if fut is not None:
                try:
                    yield fut.result()
                    continue
                except BrokenProcessPool:
                    broken = True
                    ahead.clear()
            yield _pair_graph_text(*a)

    try:
        yield results()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# ---------------------------------------------------------------------------------------------- targets
def update_target_links(store: GraphStore, cache: LineageCache | None = None,
                        docs: dict[str, DocInfo] | None = None,
                        explicit: dict[tuple[str, str], dict] | None = None) -> int:
    """Recompute the target-links graph (and the target-metric document links); only the links that changed
    are written (:meth:`GraphStore.sync_graph`).

    Incremental: a local target's links (at most ``SOURCES_PER_TARGET`` sources and ``PEERS_PER_TARGET``
    peers, :func:`kg.targetlinks.link_targets`) depend on its document's targets and lineage links
    (:func:`lineage_reach`), and on the targets of the documents it may implement or shares its level and
    jurisdiction with.  So with what the last computation left in ``cache`` (each document's targets and
    state, the links of each pair of documents, the digests of the graph's subjects), only the local
    documents for which one of these changed are linked again: the documents changed or added, those whose
    lineage links changed, those a changed or added document may be a source or a peer of (it may enter
    their targets' best few), and those linked to a removed or changed document (another may take its
    place).  Only their links are read, digested and written; the inferred document links are derived again
    from all of them, and only those whose target links changed are built and written.  Without that
    state, or when the graph does not hold what it says (another store, an older state of this one, a
    write cut short), everything is computed (the store stays the truth)."""
    cache = cache if cache is not None else LineageCache(store)
    docs = docs if docs is not None else doc_infos(store)
    g = str(store.iris.targetlinks_graph)
    rows = _target_rows(store, docs, cache)
    explicit = explicit if explicit is not None else explicit_links(store)
    stored = cache.stored if cache.stored is not None else _stored_pairs(store)
    clause_linked = {(l, s) for l, s, strong in stored if strong}
    reach = lineage_reach(docs, set(explicit), clause_linked)
    state = {i: (_doc_state(d), tuple(sorted(reach.get(i, {}).items()))) for i, d in docs.items()}
    prev, known = cache.tlinks, cache.graphs.get(g)
    if prev is not None and known is not None:  # the graph's digest is checked before anything is written
        local = _relink(docs, state, prev, rows)
        kept = {k: v for k, v in prev["pairs"].items() if k[0] not in local and k[0] in docs and k[1] in docs}
        n, new = _target_links(store, docs, rows, kept, local, known, explicit, clause_linked, reach,
                               prev["inferred"])
        if new is not None:
            cache.tlinks, cache.graphs[g] = {"docs": state, "pairs": n[1], "inferred": n[2]}, new
            cache.save(docs)
            return n[0]
    n, new = _target_links(store, docs, rows, {}, None, known, explicit, clause_linked, reach)
    cache.tlinks, cache.graphs[g] = {"docs": state, "pairs": n[1], "inferred": n[2]}, new
    cache.save(docs)
    return n[0]


def lineage_reach(docs: dict[str, DocInfo], cited: set[tuple[str, str]], aligned: set[tuple[str, str]]
                  ) -> dict[str, dict[str, tuple[int, int]]]:
    """Document IRI → the documents reachable from it by lineage links, each with two distances: the fewest
    explicit citations it takes (``cited``: (local, source) pairs of document IRIs; ``UNLINKED`` when no
    chain of citations leads there) and the fewest lineage links of either kind (``aligned``: the pairs
    that restate each other clause by clause).  1 is a direct link.  Target linking ranks a local target's
    sources by them, citations first (:func:`kg.targetlinks.source_rank`)."""
    from .targetlinks import UNLINKED

    def up(pairs) -> dict[str, list[str]]:
        out: dict[str, set[str]] = {}
        for l, s in pairs:
            if l != s and l in docs and s in docs:
                out.setdefault(l, set()).add(s)
        return {k: sorted(v) for k, v in out.items()}

    def hops(graph: dict[str, list[str]], start: str) -> dict[str, int]:
        dist: dict[str, int] = {}
        frontier, n = [start], 0
        while frontier:
            n += 1
            nxt = []
            for d in frontier:
                for s in graph.get(d, ()):
                    if s != start and s not in dist:
                        dist[s] = n
                        nxt.append(s)
            frontier = nxt
        return dist

    by_citation, by_any = up(cited), up(cited | aligned)
    out: dict[str, dict[str, tuple[int, int]]] = {}
    for start in by_any:
        c = hops(by_citation, start)
        out[start] = {s: (c.get(s, UNLINKED), n) for s, n in hops(by_any, start).items()}
    return out


def _relink(docs: dict[str, DocInfo], state: dict[str, tuple], prev: dict, rows: dict[str, list[dict]]) -> set[str]:
    """The local documents whose target links must be computed again (:func:`update_target_links`); ``rows``:
    each document's targets (:func:`_target_rows`)."""
    from .targetlinks import linkable, sharing_metrics

    changed = {i for i, x in state.items() if prev["docs"].get(i) != x or not LineageCache.cacheable(docs[i])}
    # a document itself unchanged but whose lineage links changed: only its own targets rank otherwise
    moved = {i for i in changed if i in prev["docs"] and prev["docs"][i][0] == state[i][0]
             and LineageCache.cacheable(docs[i])}
    stale = (changed - moved) | (set(prev["docs"]) - set(state))
    if len(stale) * 4 > len(docs):
        return set(docs)  # most documents changed: all of them (the same links, without the search below)
    local = set(changed)
    for s in stale - set(state):  # removed: the documents that had links to it
        local.update(l for l, x in prev["pairs"] if x == s)
    present = sorted(stale & set(state))
    # changed or added: the documents with a target of a metric it states (now) that it may be a source or a
    # peer of, and those it was linked from (before it changed)
    sharing = sharing_metrics([t for i in sorted(rows) for t in rows[i]], {docs[s].id for s in present})
    for s in present:
        sd = docs[s]
        local.update(l for l, x in prev["pairs"] if x == s)
        local.update(i for i, d in docs.items() if i not in local and d.id in sharing and linkable(d, sd, may_implement))
    return local


def _doc_state(d: DocInfo) -> tuple:
    """Everything of a document its target links depend on besides its targets (which its version fixes)."""
    return (d.id, d.title, d.level, d.jurisdiction, d.date, d.version, tuple(d.issuers))


def _target_rows(store: GraphStore, docs: dict[str, DocInfo], cache: LineageCache) -> dict[str, list[dict]]:
    """Document IRI → its targets with a value and a metric (the fields of ``TARGET_FIELDS``), from ``cache``
    for the documents of the same version, read from the store for the others (and kept in ``cache``)."""
    from .query.facts import fields_of
    from .query.search import reads

    all_targets = reads(lambda st, doc_iri=None: fields_of("targets", st, TARGET_FIELDS, doc_iri))

    out: dict[str, list[dict]] = {}
    need = []
    for i, d in docs.items():
        hit = cache.targets.get(i)
        if hit is not None and LineageCache.cacheable(d) and hit[0] == d.version:
            out[i] = [dict(zip(TARGET_FIELDS, t)) for t in hit[1]]
        else:
            need.append(i)
    if not need:
        return out
    got: dict[str, list[dict]] = {i: [] for i in need}
    if len(need) > TARGETS_ONE_BY_ONE:
        by_id = {docs[i].id: i for i in need}
        for t in all_targets(store):
            if t["doc"] in by_id:
                got[by_id[t["doc"]]].append(t)
    else:
        with store.reading():
            for i in need:
                got[i] = all_targets(store, i)
    for i in need:
        slim = [tuple(t.get(f) for f in TARGET_FIELDS) for t in got[i] if t["value"] is not None and t["metric"]]
        out[i] = [dict(zip(TARGET_FIELDS, t)) for t in slim]
        if LineageCache.cacheable(docs[i]):
            cache.targets[i] = (docs[i].version, slim)
    return out


def _target_links(store: GraphStore, docs: dict[str, DocInfo], rows: dict[str, list[dict]],
                  kept: dict[tuple[str, str], list], local: set[str] | None, known: dict[str, str] | None,
                  explicit: dict[tuple[str, str], dict], clause_linked: set[tuple[str, str]],
                  reach: dict[str, dict[str, tuple[int, int]]], kept_inferred: dict[str, str] | None = None,
                  ) -> tuple[tuple[int, dict, dict], dict[str, str] | None]:
    """Link the targets (those of the ``local`` documents only, unless None; ``kept``: the links of the other
    local documents and ``kept_inferred`` the inferred document links, as :attr:`LineageCache.tlinks` holds
    them; ``explicit``, ``clause_linked``: the document links a target-metric link is not inferred for;
    ``reach``: :func:`lineage_reach`) and write the graph.  Returns ((number of links, the links of each pair
    of documents, the inferred links), what :meth:`GraphStore.sync_graph` returned — None when an incremental
    write found the graph not in the state ``known`` says)."""
    from .targetlinks import link_targets

    iris = store.iris
    targets = [t for i in sorted(rows) for t in rows[i]]
    implements = _memo_implements()
    links = link_targets(targets, docs, implements, local, reach)
    out: list[Triple] = []
    add = out.append
    pairs: dict[tuple[str, str], list] = {k: v for k, v in kept.items()}
    # the vocabulary's terms looked up once (a closed namespace answers each lookup in Python)
    TARGET_LINK, LOCAL_T, SOURCE_T, LOCAL_D, SOURCE_D = (KG.TargetLink, KG.localTarget, KG.sourceTarget,
                                                           KG.localDocument, KG.sourceDocument)
    MATCH, METHOD, CONF, REL, RATIO, CONFLICT = (KG.metricMatch, KG.method, KG.confidence, KG.relation,
                                                 KG.ratio, KG.conflict)
    TYPE, DERIVED, TARGET_METRIC = RDF.type, PROV.wasDerivedFrom, Literal("target-metric")
    for tl in links:
        n = target_link_iri(iris, tl.local["iri"], tl.source["iri"])
        lt, st = URIRef(tl.local["iri"]), URIRef(tl.source["iri"])
        add((n, TYPE, TARGET_LINK))
        add((n, LOCAL_T, lt))
        add((n, SOURCE_T, st))
        add((n, LOCAL_D, URIRef(tl.local_doc)))
        add((n, SOURCE_D, URIRef(tl.source_doc)))
        add((n, MATCH, Literal(tl.metric_match)))
        add((n, METHOD, TARGET_METRIC))
        add((n, CONF, conf(tl.confidence)))
        if tl.relation:
            add((n, REL, Literal(tl.relation)))
        if tl.ratio is not None:
            add((n, RATIO, _ratio(tl.ratio)))
        if tl.conflict:
            add((n, CONFLICT, zh(tl.conflict)))
        add((n, DERIVED, lt))
        add((n, DERIVED, st))
        pairs.setdefault((tl.local_doc, tl.source_doc), []).append((str(n), tl.relation, bool(tl.conflict)))
    by_pair: dict[tuple[str, str], list[str]] = {}
    for (l_iri, s_iri), tls in pairs.items():
        ld, sd = docs[l_iri], docs[s_iri]
        for n, relation, conflict in tls:
            if relation in ("share", "same", "stricter", "looser") and implements(ld, sd):
                by_pair.setdefault((l_iri, s_iri), []).append(n)
            elif (relation == "same" or conflict) and ld.date and sd.date and ld.date[:4] != sd.date[:4]:
                # one jurisdiction's later plan restating the targets (same year) of an earlier one takes it up
                later, earlier = (l_iri, s_iri) if ld.date > sd.date else (s_iri, l_iri)
                by_pair.setdefault((later, earlier), []).append(n)
    keep = None if local is None else [n for tls in kept.values() for n, _, _ in tls]
    inferred: dict[str, str] = {}  # inferred link → digest of what it is made from (its triples follow from it)
    LINK, SOURCE, TARGET, APPLIES = KG.Link, KG.linkSource, KG.linkTarget, Literal("applies")
    for (l_iri, s_iri), tls in sorted(by_pair.items()):
        if (l_iri, s_iri) in explicit or (l_iri, s_iri) in clause_linked or len(tls) < 2:
            continue
        link = inferred_link_iri(iris, l_iri, s_iri, "target-metric")
        tls = sorted(tls)
        sig = inferred[str(link)] = hashlib.sha1("|".join([l_iri, s_iri, *tls]).encode("utf-8")).hexdigest()[:16]
        if keep is not None and (kept_inferred or {}).get(str(link)) == sig:
            keep.append(str(link))  # the same link from the same target links: not built, digested or written
            continue
        add((link, TYPE, LINK))
        add((link, SOURCE, URIRef(l_iri)))
        add((link, TARGET, URIRef(s_iri)))
        add((link, REL, APPLIES))
        add((link, METHOD, TARGET_METRIC))
        add((link, CONF, conf(round(min(0.25 + 0.1 * len(tls), 0.6), 3))))
        for n in tls:
            add((link, DERIVED, URIRef(n)))
    new = store.sync_graph(store.iris.targetlinks_graph, out, known, keep=keep)
    return (sum(len(v) for v in pairs.values()), pairs, inferred), new


def _stored_pairs(store: GraphStore) -> list[tuple[str, str, bool]]:
    prefix = store.iris.lineage_prefix
    rows = store.select(f"""SELECT ?l ?s ?n WHERE {{ GRAPH ?g {{ ?g kg:localDocument ?l ; kg:sourceDocument ?s ;
                            kg:alignedClauses ?n }} FILTER(STRSTARTS(STR(?g), "{prefix}")) }}""", union=False)
    return [(r["l"], r["s"], int(r["n"]) >= 2) for r in rows]


# ---------------------------------------------------------------------------------------------- all
#: the stages of the derived step, as :func:`update_derived` reports them to ``progress(done, total, stage)``
#: (``total`` 0: a stage whose size is not known)
STAGE_LINKS = "引用与文号关联"
STAGE_CANDIDATES = "挑选可能有落实关系的文件对"
STAGE_ALIGN = "条款对齐"
STAGE_TARGETS = "目标关联"


def update_derived(store: GraphStore, *, progress: Callable[[int, int, str], None] | None = None) -> dict:
    """Everything derived across documents, in order: explicit links, clause lineage, target links.
    ``progress(done, total, stage)`` hears of each stage (``STAGE_*``) as it starts and of its progress.

    Called after every build (``after_docs``).  The links graph is replaced in one transaction, the lineage pair
    graphs a batch at a time, the target-links graph in bounded transactions with its content digest written last
    (:meth:`GraphStore.sync_graph`): a build cut short leaves no digest, and the next build rewrites that graph whole."""
    from .config import Settings
    from .links import update_links

    cache = LineageCache(store)
    if progress:
        progress(0, 0, STAGE_LINKS)
    update_links(store, cache.graphs, cache.links)  # (saved with the cache by update_lineage)
    embedder = None
    model = Settings.load().embedding_model
    if model:
        from .align import Embedder

        embedder = Embedder.from_settings(model)
    # the documents' metadata read once for both steps (the pair graphs written between add nothing to it)
    docs = doc_infos(store)
    # … and the explicit links (the links graph is not written again until the next build)
    explicit = explicit_links(store)
    stats = update_lineage(store, embedder=embedder, progress=progress, cache=cache, docs=docs, explicit=explicit)
    if progress:
        progress(0, 0, STAGE_TARGETS)
    stats["target_links"] = update_target_links(store, cache, docs, explicit)
    return stats
