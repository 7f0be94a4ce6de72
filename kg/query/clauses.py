"""The clause tree of a document, read from the graph."""
from __future__ import annotations

from ..store import GraphStore
from .search import reads

_CLAUSES = """
SELECT DISTINCT ?c ?parent ?cid ?label ?kind ?pos ?heading ?text ?s ?e WHERE {
  ?c kg:inDocument <%s> ; a eli:LegalResourceSubdivision ; eli:id_local ?cid ; rdfs:label ?label ;
     kg:clauseKind ?kind ; kg:position ?pos ; kg:spanStart ?s ; kg:spanEnd ?e ; eli:is_part_of ?parent .
  OPTIONAL { ?c kg:heading ?heading }
  OPTIONAL { ?c kg:text ?text }
}
"""

_CELLS = """
SELECT DISTINCT ?c ?col ?val ?pos ?filled WHERE {
  ?c kg:inDocument <%s> ; kg:hasCell ?cell . ?cell kg:column ?col ; kg:value ?val ; kg:position ?pos .
  OPTIONAL { ?cell kg:filledDown ?filled }
}
"""

_NOTES = """
SELECT DISTINCT ?c ?text ?marker ?s ?e WHERE {
  ?c kg:inDocument <%s> ; kg:hasNote ?n . ?n kg:text ?text ; kg:spanStart ?s ; kg:spanEnd ?e .
  OPTIONAL { ?n kg:marker ?marker }
}
"""


@reads
def clause_tree(store: GraphStore, doc_iri: str) -> list[dict]:
    rows = store.select(_CLAUSES % doc_iri)
    nodes: dict[str, dict] = {}
    for r in rows:
        nodes[r["c"]] = {
            "clause": r["label"], "clause_id": r["cid"], "kind": r["kind"], "heading": r["heading"],
            "text": r["text"] or "", "span": [r["s"], r["e"]], "iri": r["c"], "children": [],
            "_parent": r["parent"], "_pos": r["pos"],
        }
    cells: dict[str, list] = {}
    for r in store.select(_CELLS % doc_iri):
        cells.setdefault(r["c"], []).append((r["pos"], r["col"], r["val"], bool(r["filled"])))
    for c, cs in cells.items():
        if c in nodes:
            cs.sort()
            nodes[c]["cells"] = {col: val for _, col, val, _ in cs}
            filled = [col for _, col, _, f in cs if f]
            if filled:
                nodes[c]["filled_down"] = filled
    for r in store.select(_NOTES % doc_iri):
        if r["c"] in nodes:
            nodes[r["c"]].setdefault("notes", []).append({"text": r["text"], "marker": r["marker"], "span": [r["s"], r["e"]]})
    roots = []
    for n in nodes.values():
        parent = nodes.get(n["_parent"])
        (parent["children"] if parent else roots).append(n)
    for n in list(nodes.values()) + [{"children": roots}]:
        n["children"].sort(key=lambda x: (x["kind"] != "notice", x["_pos"]))
    # the notice comes first, then the plan's clauses in order
    roots.sort(key=lambda x: (x["kind"] != "notice", x["span"][0]))
    for n in nodes.values():
        n.pop("_parent", None)
        n.pop("_pos", None)
    return roots


def flatten(tree: list[dict]) -> list[dict]:
    out = []
    for n in tree:
        out.append(n)
        out.extend(flatten(n["children"]))
    return out


#: a clause shorter than this (heading and text together) says too little to be aligned
ALIGNABLE_MIN_CHARS = 6

_ALIGNABLE = """
SELECT ?c ?d ?label ?cid ?kind ?pos ?s ?heading ?text WHERE {
  %s
  ?c a eli:LegalResourceSubdivision ; kg:inDocument ?d ; rdfs:label ?label ; eli:id_local ?cid ;
     kg:clauseKind ?kind ; kg:position ?pos ; kg:spanStart ?s .
  OPTIONAL { ?c kg:heading ?heading }
  OPTIONAL { ?c kg:text ?text }
}
"""
# the rows of a glossary (缩略语 tables: a concept derived from each), left out of the clauses above — asked apart
# (a FILTER NOT EXISTS per clause doubled the time of the clause query: 33 s against 17 s at 1,000 documents)
_GLOSSARY_ROWS = """
SELECT DISTINCT ?c WHERE {
  %s
  ?c kg:inDocument ?d ; kg:clauseKind "row" . ?concept prov:wasDerivedFrom ?c ; a skos:Concept .
}
"""
# the same two for every document, each read inside its document's graph (only clauses have a kg:clauseKind)
_ALIGNABLE_BY_GRAPH = """
SELECT ?c ?d ?label ?kind ?pos ?s ?heading ?text WHERE { GRAPH ?g {
  ?c kg:clauseKind ?kind ; kg:inDocument ?d ; rdfs:label ?label ; kg:position ?pos ; kg:spanStart ?s .
  OPTIONAL { ?c kg:heading ?heading }
  OPTIONAL { ?c kg:text ?text }
} }
"""
# every clause of some documents with its id and end too (what a lineage shows of a clause): read inside their graphs
_CLAUSE_ROWS_IN_GRAPHS = """
SELECT ?c ?d ?label ?cid ?kind ?pos ?s ?e ?heading ?text WHERE { GRAPH ?g { VALUES ?g { %s }
  ?c kg:clauseKind ?kind ; kg:inDocument ?d ; rdfs:label ?label ; eli:id_local ?cid ; kg:position ?pos ;
     kg:spanStart ?s ; kg:spanEnd ?e .
  OPTIONAL { ?c kg:heading ?heading }
  OPTIONAL { ?c kg:text ?text }
} }
"""
_GLOSSARY_ROWS_BY_GRAPH = """
SELECT DISTINCT ?c WHERE { GRAPH ?g {
  ?c kg:inDocument ?d ; kg:clauseKind "row" . ?concept prov:wasDerivedFrom ?c ; a skos:Concept .
} }
"""
#: a list of documents longer than this share of the store's is read as the whole store (see alignable_clauses)
WHOLE_STORE_SHARE = 0.3
#: documents' graphs named in one query (a list of documents no longer than this is never read as the whole store)
_GRAPHS_A_QUERY = 40


def _document_count(store: GraphStore) -> int:
    return int(store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?d a eli:LegalResource ; kg:documentId ?id } }",
                            union=False)[0]["n"] or 0)


def clause_text(heading: str | None, text: str | None) -> str:
    """What a reader sees of a clause: its heading, then its text."""
    if heading and text:
        return f"{heading}　{text}"
    return heading or text or ""


@reads
def alignable_clauses(store: GraphStore, doc_iri=None, make=None):
    """Each document's clauses as :class:`kg.align.ClauseText` (key = clause IRI, heading + text), in
    document order.  The notice that issues a plan is left out (it restates the title, not the policy), and
    so are glossary rows (a 缩略语 table restates definitions, not policy) and clauses too short to say
    anything.  ``doc_iri``: one document's IRI, several, or ``None`` for every document.  ``make(key, label,
    text)`` builds each clause (default :class:`kg.align.ClauseText`).

    Every document's clauses are read inside their document's graph (``GRAPH ?g``), not from the union of the
    graphs: at 1,000 documents 6.5 s of CPU against 12.4 s (each pattern of the union form is looked up in every
    graph).  A list of documents is read inside their graphs (:func:`clause_rows`: thirty documents' clauses in
    0.6 s instead of 3.0 s through the union at 10,000 documents, 0.5 s instead of 1.5 s at 1,000), but a list of
    more than :data:`WHOLE_STORE_SHARE` of the store's documents is read as the whole store and filtered here."""
    if make is None:  # the alignment engine's clause (importing kg.align imports numpy: a reader may pass its own)
        from ..align import ClauseText as make

    iris = [doc_iri] if isinstance(doc_iri, str) else list(doc_iri or [])
    if doc_iri is not None and not isinstance(doc_iri, str) and not iris:
        return {}
    wanted = set(iris)
    if len(iris) > _GRAPHS_A_QUERY and len(iris) > WHOLE_STORE_SHARE * _document_count(store):
        iris = []
    if iris and all(store.iris.graph_of_doc(x) for x in iris):  # those documents' clauses, inside their graphs
        rows, glossary = clause_rows(store, iris)
    elif iris:  # bound first: those documents' clauses only
        flt = "VALUES ?d { " + " ".join(f"<{x}>" for x in iris) + " }"
        glossary = {r["c"] for r in store.select(_GLOSSARY_ROWS % flt)}
        rows = store.select(_ALIGNABLE % flt)
    else:
        glossary = {r["c"] for r in store.select(_GLOSSARY_ROWS_BY_GRAPH, union=False)}
        rows = store.select(_ALIGNABLE_BY_GRAPH, union=False)
    return alignable_from(rows, glossary, make, wanted)


def clause_rows(store: GraphStore, doc_iris: list[str]) -> tuple[list[dict], set[str]]:
    """(every clause of these documents — IRI ``c``, document ``d``, ``label``, id ``cid``, ``kind``, ``pos``,
    span ``s``–``e``, ``heading``, ``text`` —, the IRIs of those that are glossary rows), read inside the documents'
    graphs, :data:`_GRAPHS_A_QUERY` graphs a query.  Documents whose IRIs name no graph of this store's base
    are not read."""
    graphs = [g for g in (store.iris.graph_of_doc(x) for x in doc_iris) if g is not None]
    rows: list[dict] = []
    glossary: set[str] = set()
    for k in range(0, len(graphs), _GRAPHS_A_QUERY):
        values = " ".join(f"<{g}>" for g in graphs[k:k + _GRAPHS_A_QUERY])
        glossary |= {r["c"] for r in store.select(
            _GLOSSARY_ROWS_BY_GRAPH.replace("GRAPH ?g {", "GRAPH ?g { VALUES ?g { " + values + " }", 1), union=False)}
        rows += store.select(_CLAUSE_ROWS_IN_GRAPHS % values, union=False)
    return rows, glossary


def alignable_from(rows: list[dict], glossary: set[str], make, wanted: set[str] | None = None) -> dict[str, list]:
    """:func:`alignable_clauses` of clause rows (of :data:`_ALIGNABLE` or :func:`clause_rows`): by document, in
    document order, without the notice, the glossary rows and the clauses too short to align."""
    by_doc: dict[str, list] = {}
    for r in rows:
        if wanted and r["d"] not in wanted:
            continue
        if r["kind"] == "notice" or r["c"] in glossary:
            continue
        text = clause_text(r["heading"], r["text"])
        if len(text.strip()) < ALIGNABLE_MIN_CHARS:
            continue
        by_doc.setdefault(r["d"], []).append((r["s"], r["pos"], make(r["c"], r["label"], text)))
    return {d: [c for _, _, c in sorted(cs, key=lambda x: (x[0], x[1], x[2].key))] for d, cs in by_doc.items()}
