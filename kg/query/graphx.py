"""A networkx projection of the store, for graph algorithms and GraphML (``kg export --format graphml``).

Nodes (attribute ``kind``): ``document`` (a source file's document, the notice when a notice issues a
plan — the plan's own IRI is folded into it), ``external`` (a cited document not in the corpus),
``clause``, ``agency`` (org:Organization), ``actor_class`` (kg:ActorClass) and ``target``; every node
has a ``label``; documents also ``level``, ``jurisdiction``, ``doc_id``, ``doc_number``.

Edges (a ``MultiDiGraph``; attribute ``kind``, the edge key is the IRI of the node that states it,
else ``kind``):

* ``has_part``   document/clause → clause (the clause tree);
* ``link``       document → document (``relation`` applies | based_on | cites, ``method``, ``confidence``,
                 ``review`` confirmed | rejected when reviewed): every ``kg:Link`` (graph/links, the
                 lineage graphs, human links in graph/review);
* ``clause_link`` clause → document (``relation``): a clause's own eli:applies / based_on / cites;
* ``party``      clause → agency or actor class (``role``, ``party_type``, ``method``, ``confidence``);
* ``states``     clause → target;
* ``target_link`` target → target (``relation``, ``metric_match``, ``ratio``, ``conflict``, ``confidence``);
* ``alignment``  local clause → source clause (``score``, ``rank``, ``method``, ``review``).

The projection reads the store only (``GraphStore.select``) and is cached per store state
(:func:`store_state`: a fingerprint of the database files on disk, a digest of the quads in memory),
so a rebuild, a new lineage pass or a review gives a new graph and nothing else does.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import OrderedDict

import networkx as nx

from ..store import GraphStore
from . import shared_labels


def store_state(store: GraphStore) -> str:
    """A digest that changes whenever the store's content does, and only then.

    On disk: the names, sizes and modification times of the database's files (every commit
    appends to RocksDB's log or writes new tables; readers, which open it read-only, change
    nothing; its ``LOG*`` diagnostics are left out).  In memory: a digest of every quad."""
    h = hashlib.sha256()
    if store.path is not None:
        db = store.path / "oxigraph"
        entries = sorted(os.scandir(db), key=lambda e: e.name) if db.is_dir() else []
        for e in entries:
            if e.name.startswith("LOG") or not e.is_file():
                continue
            try:
                st = e.stat()
            except FileNotFoundError:  # a commit is replacing files right now: the next call sees it
                h.update(f"{e.name}\tgone\n".encode())
                continue
            h.update(f"{e.name}\t{st.st_size}\t{st.st_mtime_ns}\n".encode())
        return "fs:" + h.hexdigest()
    for line in sorted(str(q) for q in store.quads(include_manifest=True)):
        h.update(line.encode("utf-8") + b"\n")
    return "mem:" + h.hexdigest()


_DOCS = """
SELECT DISTINCT ?d ?id ?ptitle ?title ?num ?level ?jur WHERE {
  ?d a kg:SourceDocument ; kg:documentId ?id .
  OPTIONAL { ?d eli:has_annex/eli:title ?ptitle }
  OPTIONAL { ?d eli:title ?title }
  OPTIONAL { ?d eli:id_local ?num }
  OPTIONAL { ?d kg:level ?level }
  OPTIONAL { ?d kg:jurisdiction ?jur }
}
"""
_ANNEX = "SELECT DISTINCT ?d ?plan WHERE { ?d a kg:SourceDocument ; eli:has_annex ?plan }"
_EXTERNAL = """
SELECT DISTINCT ?d ?title ?label ?num ?level ?jur WHERE {
  ?d a kg:ExternalDocument .
  FILTER NOT EXISTS { ?d a kg:SourceDocument }
  OPTIONAL { ?d eli:title ?title } OPTIONAL { ?d rdfs:label ?label } OPTIONAL { ?d eli:id_local ?num }
  OPTIONAL { ?d kg:level ?level } OPTIONAL { ?d kg:jurisdiction ?jur }
}
"""
_CLAUSES = """
SELECT DISTINCT ?c ?doc ?label ?cid ?ckind ?parent ?pos WHERE {
  ?c a eli:LegalResourceSubdivision ; kg:inDocument ?doc ; rdfs:label ?label .
  OPTIONAL { ?c eli:id_local ?cid } OPTIONAL { ?c kg:clauseKind ?ckind }
  OPTIONAL { ?c eli:is_part_of ?parent } OPTIONAL { ?c kg:position ?pos }
}
"""
_AGENTS = """
SELECT DISTINCT ?a ?label ?cls WHERE {
  { SELECT DISTINCT ?a ?cls WHERE {
      { ?a a org:Organization . BIND("agency" AS ?cls) } UNION { ?a a kg:ActorClass . BIND("actor_class" AS ?cls) } } }
  OPTIONAL { %s }
}
""" % shared_labels("?a", "?label")
_TARGETS = """
SELECT DISTINCT ?t ?clause ?doc ?metric ?value ?unit ?cmp ?year ?kind WHERE {
  ?t a kg:Target ; prov:wasDerivedFrom ?clause ; kg:inDocument ?doc .
  OPTIONAL { ?t kg:metric ?metric } OPTIONAL { ?t kg:numericValue ?value } OPTIONAL { ?t kg:unit ?unit }
  OPTIONAL { ?t kg:comparator ?cmp } OPTIONAL { ?t kg:deadlineYear ?year } OPTIONAL { ?t kg:factKind ?kind }
}
"""
_LINKS = """
SELECT DISTINCT ?l ?src ?dst ?rel ?method ?conf WHERE {
  ?l a kg:Link ; kg:linkSource ?src ; kg:linkTarget ?dst .
  OPTIONAL { ?l kg:relation ?rel } OPTIONAL { ?l kg:method ?method } OPTIONAL { ?l kg:confidence ?conf }
}
"""
_CLAUSE_LINKS = """
SELECT DISTINCT ?c ?rel ?dst WHERE {
  VALUES (?p ?rel) { (eli:applies "applies") (eli:based_on "based_on") (eli:cites "cites") }
  ?c a eli:LegalResourceSubdivision ; ?p ?dst .
}
"""
_PARTIES = """
SELECT DISTINCT ?f ?clause ?agent ?role ?ptype ?method ?conf WHERE {
  ?f a kg:PartyRole ; prov:wasDerivedFrom ?clause ; kg:agent ?agent .
  OPTIONAL { ?f kg:role ?role } OPTIONAL { ?f kg:partyType ?ptype }
  OPTIONAL { ?f kg:method ?method } OPTIONAL { ?f kg:confidence ?conf }
}
"""
_TARGET_LINKS = """
SELECT DISTINCT ?l ?a ?b ?rel ?match ?ratio ?conflict ?conf ?method WHERE {
  ?l a kg:TargetLink ; kg:localTarget ?a ; kg:sourceTarget ?b .
  OPTIONAL { ?l kg:relation ?rel } OPTIONAL { ?l kg:metricMatch ?match } OPTIONAL { ?l kg:ratio ?ratio }
  OPTIONAL { ?l kg:conflict ?conflict } OPTIONAL { ?l kg:confidence ?conf } OPTIONAL { ?l kg:method ?method }
}
"""
_ALIGNMENTS = """
SELECT DISTINCT ?al ?lc ?sc ?score ?rank ?method WHERE {
  ?al a kg:ClauseAlignment ; kg:localClause ?lc ; kg:sourceClause ?sc .
  OPTIONAL { ?al kg:score ?score } OPTIONAL { ?al kg:rank ?rank } OPTIONAL { ?al kg:method ?method }
}
"""

_REVIEWS = "SELECT DISTINCT ?x ?state WHERE { ?r a kg:Review ; kg:reviewOf ?x ; kg:reviewState ?state }"

_LINK_RELATIONS = ("applies", "based_on", "cites")


def _clean(attrs: dict) -> dict:
    """GraphML-safe attributes: scalars only, no None; floats stay floats, ints ints."""
    out = {}
    for k, v in attrs.items():
        if v is None:
            continue
        if isinstance(v, (list, tuple, set)):
            v = "; ".join(sorted(str(x) for x in v))
        elif not isinstance(v, (str, int, float, bool)):
            v = str(v)
        out[k] = v
    return out


def _f(v) -> float | None:
    return None if v is None else float(v)


def _rows(store: GraphStore, query: str) -> list[dict]:
    """Rows in a fixed order, so that when a node has two values for one attribute the same one wins
    whatever order the engine returned them in."""
    return sorted(store.select(query), key=lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False, default=str))


def build_graph(store: GraphStore) -> nx.MultiDiGraph:
    """Project the store into a fresh ``MultiDiGraph`` (uncached: see :func:`projection`)."""
    G = nx.MultiDiGraph()
    fold: dict[str, str] = {r["plan"]: r["d"] for r in _rows(store, _ANNEX)}  # plan IRI → its notice

    def node(iri: str) -> str:
        return fold.get(iri, iri)

    def add_node(iri: str, **attrs) -> None:
        G.add_node(iri, **_clean(attrs))

    def add_edge(u: str, v: str, key: str, **attrs) -> None:
        u, v = node(u), node(v)
        for n in (u, v):
            if n not in G:  # a link to something not projected (should not happen): keep it visible
                add_node(n, kind="unknown", label=n)
        G.add_edge(u, v, key=key, **_clean(attrs))

    for r in _rows(store, _DOCS):
        add_node(r["d"], kind="document", label=r["ptitle"] or r["title"] or r["id"], doc_id=r["id"],
                 doc_number=r["num"], level=r["level"], jurisdiction=r["jur"])
    for r in _rows(store, _EXTERNAL):
        if r["d"] not in G:
            add_node(r["d"], kind="external", label=r["title"] or r["label"] or r["d"], doc_number=r["num"],
                     level=r["level"], jurisdiction=r["jur"])  # level: as its citations give it, when they do
    clause_rows = _rows(store, _CLAUSES)
    for r in clause_rows:
        add_node(r["c"], kind="clause", label=r["label"], clause_id=r["cid"], clause_kind=r["ckind"],
                 document=r["doc"], position=None if r["pos"] is None else int(r["pos"]))
    for r in _rows(store, _AGENTS):
        if r["a"] not in G:
            add_node(r["a"], kind=r["cls"], label=r["label"] or r["a"])
    for r in _rows(store, _TARGETS):
        label = "".join(str(x) for x in (r["metric"] or "", r["cmp"] if r["cmp"] not in (None, "=") else "",
                                          "" if r["value"] is None else _num(r["value"]), r["unit"] or ""))
        add_node(r["t"], kind="target", label=label or r["t"], metric=r["metric"], value=_f(r["value"]),
                 unit=r["unit"], comparator=r["cmp"], deadline_year=None if r["year"] is None else int(r["year"]),
                 fact_kind=r["kind"], document=r["doc"])
        add_edge(r["clause"], r["t"], "states", kind="states")
    for r in clause_rows:
        parent = r["parent"] or r["doc"]
        add_edge(parent, r["c"], "has_part", kind="has_part")
    review = {r["x"]: r["state"] for r in _rows(store, _REVIEWS)}
    for r in _rows(store, _LINKS):
        add_edge(r["src"], r["dst"], r["l"], kind="link", relation=r["rel"], method=r["method"],
                 confidence=_f(r["conf"]), review=review.get(r["l"]))
    for r in _rows(store, _CLAUSE_LINKS):
        add_edge(r["c"], r["dst"], f"clause_link:{r['rel']}", kind="clause_link", relation=r["rel"])
    for r in _rows(store, _PARTIES):
        add_edge(r["clause"], r["agent"], r["f"], kind="party", role=r["role"], party_type=r["ptype"],
                 method=r["method"], confidence=_f(r["conf"]))
    for r in _rows(store, _TARGET_LINKS):
        add_edge(r["a"], r["b"], r["l"], kind="target_link", relation=r["rel"], metric_match=r["match"],
                 ratio=_f(r["ratio"]), conflict=r["conflict"], confidence=_f(r["conf"]), method=r["method"])
    for r in _rows(store, _ALIGNMENTS):
        add_edge(r["lc"], r["sc"], r["al"], kind="alignment", score=_f(r["score"]),
                 rank=None if r["rank"] is None else int(r["rank"]), method=r["method"], review=review.get(r["al"]))
    return G


def _num(v):
    return int(v) if float(v).is_integer() else v


_CACHE: "OrderedDict[tuple, tuple[str, nx.MultiDiGraph]]" = OrderedDict()
_LOCK = threading.Lock()
_CACHE_SIZE = 4


def projection(store: GraphStore) -> nx.MultiDiGraph:
    """The store's projection, rebuilt only when :func:`store_state` changes.

    The graph is shared between callers: do not modify it (``G.copy()`` first)."""
    key = (str(store.path) if store.path is not None else f"mem:{id(store)}", store.iris.base)
    state = store_state(store)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit and hit[0] == state:
            _CACHE.move_to_end(key)
            return hit[1]
    G = build_graph(store)
    G.graph["state"] = state
    with _LOCK:
        _CACHE[key] = (state, G)
        _CACHE.move_to_end(key)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return G


def upstream_paths(G: nx.MultiDiGraph, doc_iri: str, relations=_LINK_RELATIONS) -> list[list[str]]:
    """Every maximal chain of document links (``link`` edges with one of ``relations``) upward from
    ``doc_iri``: ``[[doc, parent, grandparent, …], …]``; a cycle ends a chain.  Sorted."""
    if doc_iri not in G:
        return []

    def ups(n: str) -> list[str]:
        return sorted({v for _, v, d in G.out_edges(n, data=True)
                       if d.get("kind") == "link" and d.get("relation") in relations and v != n})

    paths: list[list[str]] = []
    stack: list[list[str]] = [[doc_iri]]
    while stack:
        path = stack.pop()
        nxt = [v for v in ups(path[-1]) if v not in path]
        if not nxt:
            if len(path) > 1:
                paths.append(path)
            continue
        for v in reversed(nxt):
            stack.append(path + [v])
    return sorted(paths)


def neighbourhood(G: nx.MultiDiGraph, iri: str, radius: int = 1) -> nx.MultiDiGraph:
    """The subgraph within ``radius`` hops of ``iri``, edges followed in either direction."""
    if iri not in G:
        return nx.MultiDiGraph()
    return nx.ego_graph(G, iri, radius=radius, undirected=True).copy()


def to_graphml(G: nx.MultiDiGraph) -> str:
    """GraphML text with nodes, edges, attribute keys and attributes in sorted order: the same graph
    gives the same bytes, whatever the order it was built in.  Values are scalars (lists are joined
    with ``; ``, ``None`` is left out); an attribute whose values mix ints and floats is written as
    ``double``, any other mix as ``string``."""
    nodes = {n: _clean(G.nodes[n]) for n in G.nodes}
    edges = [(u, v, str(k), _clean(d)) for u, v, k, d in G.edges(keys=True, data=True)]
    types = {"node": _unify([d for d in nodes.values()]), "edge": _unify([d for *_, d in edges])}

    def cast(scope: str, d: dict) -> dict:
        return {k: types[scope][k](v) for k, v in sorted(d.items())}

    H = nx.MultiDiGraph() if G.is_directed() else nx.MultiGraph()
    for n in sorted(nodes):
        H.add_node(n, **cast("node", nodes[n]))
    for u, v, k, d in sorted(edges, key=lambda e: (e[0], e[1], e[2])):
        H.add_edge(u, v, key=k, **cast("edge", d))
    writer = nx.readwrite.graphml.GraphMLWriter(encoding="utf-8", prettyprint=True)
    # declare the keys in sorted order (the writer inserts each new key at the top: go backwards)
    decl = [(scope, name, t) for scope in ("node", "edge") for name, t in sorted(types[scope].items())]
    for scope, name, t in reversed(decl):
        writer.get_key(name, writer.get_xml_type(t), scope, None)
    writer.add_graph_element(H)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + str(writer) + "\n"


def _unify(dicts: list[dict]) -> dict:
    """attribute name → the one Python type its values are written as."""
    seen: dict[str, set] = {}
    for d in dicts:
        for k, v in d.items():
            seen.setdefault(k, set()).add(type(v))
    out = {}
    for k, ts in seen.items():
        if len(ts) == 1:
            out[k] = next(iter(ts))
        elif ts <= {int, float}:
            out[k] = float
        else:
            out[k] = str
    return out
