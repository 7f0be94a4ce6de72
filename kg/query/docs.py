"""Documents as ``kg docs --json`` prints them, and forgiving lookup of a DOC argument."""
from __future__ import annotations

import re
from pathlib import PurePath

from rapidfuzz import fuzz

from ..errors import DocumentNotFound
from ..store import GraphStore
from . import shared_labels
from .search import StateCache, full_state, persisted, reads

# The document list is read as several simple queries joined here on ?d: Oxigraph evaluates an OPTIONAL group
# of several triples (or a property path) over the whole store before joining it, so the one SELECT that
# had them all took seconds at 200 documents (minutes at 1,000).  :func:`_doc_rows` makes the same rows that
# one SELECT with a sequence of OPTIONALs and DISTINCT made (every combination of the values found).
_DOCS = """
SELECT DISTINCT ?d ?id ?file ?count WHERE { ?d a kg:SourceDocument ; kg:documentId ?id ; kg:sourceFile ?file ; kg:clauseCount ?count . }
"""

_DOC_PLAN = """
SELECT DISTINCT ?d ?ptitle ?ptype WHERE {
  ?d a kg:SourceDocument ; eli:has_annex ?plan . ?plan eli:title ?ptitle .
  OPTIONAL { ?plan eli:type_document ?pt . %s }
}
""" % shared_labels("?pt", "?ptype")

#: one value per document each (optional); the key is the variable of the old single SELECT
_DOC_FIELDS = {"dtitle": "eli:title", "num": "eli:id_local", "level": "kg:level", "jur": "kg:jurisdiction",
               "ddoc": "eli:date_document", "dhead": "kg:dateHeader", "dpub": "eli:date_publication"}

_DOC_VALUES = "SELECT DISTINCT ?d ?k ?v WHERE { ?d a kg:SourceDocument . %s }" % " UNION ".join(
    f'{{ ?d {p} ?v . BIND("{k}" AS ?k) }}' for k, p in _DOC_FIELDS.items())

_DOC_PERIOD = """
SELECT DISTINCT ?d ?ps ?pe WHERE { ?d a kg:SourceDocument ; kg:periodStart ?ps ; kg:periodEnd ?pe . }
"""

_DOC_TYPE = """
SELECT DISTINCT ?d ?type WHERE { ?d a kg:SourceDocument ; eli:type_document ?t . %s }
""" % shared_labels("?t", "?type")


def _only(query: str, iris: list[str] | None) -> str:
    """``query`` for the documents ``iris`` only (None: every document): ``?d`` bound first, so the store walks
    those documents' triples through its indexes."""
    if iris is None:
        return query
    return query.replace("WHERE {", "WHERE { VALUES ?d { " + " ".join(f"<{i}>" for i in iris) + " }", 1)


def _doc_rows(store: GraphStore, iris: list[str] | None = None) -> list[dict]:
    """The rows of the document list: ``d id file count title ntitle num level jur ddoc dhead dpub ps pe type
    ptype`` (title: the plan's title, else the document's; ntitle: the notice's title when the plan's is used);
    of the documents ``iris`` only, unless None."""
    from itertools import product

    def grouped(rows, key, cols):
        out: dict[str, list] = {}
        for r in rows:
            out.setdefault(r[key], []).append(tuple(r[c] for c in cols))
        return out

    plans = grouped(store.select(_only(_DOC_PLAN, iris)), "d", ("ptitle", "ptype"))
    values: dict[str, dict[str, list]] = {}
    for r in store.select(_only(_DOC_VALUES, iris)):
        values.setdefault(r["d"], {}).setdefault(r["k"], []).append(r["v"])
    periods = grouped(store.select(_only(_DOC_PERIOD, iris)), "d", ("ps", "pe"))
    types = grouped(store.select(_only(_DOC_TYPE, iris)), "d", ("type",))
    out, seen = [], set()
    for b in store.select(_only(_DOCS, iris)):
        d = b["d"]
        v = values.get(d, {})
        for (ptitle, ptype), dtitle, num, level, jur, ddoc, dhead, dpub, (ps, pe), (typ,) in product(
                plans.get(d) or [(None, None)], *[v.get(k) or [None] for k in _DOC_FIELDS],
                periods.get(d) or [(None, None)], types.get(d) or [(None,)]):
            row = {"d": d, "id": b["id"], "file": b["file"], "count": b["count"],
                   "title": ptitle if ptitle is not None else dtitle,
                   "ntitle": dtitle if ptitle is not None else None, "num": num, "level": level, "jur": jur,
                   "ddoc": ddoc, "dhead": dhead, "dpub": dpub, "ps": ps, "pe": pe, "type": typ, "ptype": ptype}
            key = tuple(row.values())
            if key not in seen:
                seen.add(key)
                out.append(row)
    return out


_MULTI = """
SELECT DISTINCT ?d ?p ?v WHERE {
  ?d a kg:SourceDocument .
  { ?d eli:passed_by ?a . %s BIND("issuer" AS ?p) }
  UNION { ?d kg:recipient ?v . BIND("recipient" AS ?p) }
  UNION { ?d kg:copyTo ?v . BIND("cc" AS ?p) }
  UNION { ?d skos:altLabel ?v . BIND("alt" AS ?p) }
}
""" % shared_labels("?a", "?v")

_ISSUER_ORDER = """
SELECT DISTINCT ?d ?v WHERE { ?d a kg:SourceDocument ; kg:hasMetadataAssertion ?m . ?m kg:field "issuers" ; kg:value ?v }
"""

_RECIPIENT_ORDER = """
SELECT DISTINCT ?d ?v WHERE { ?d a kg:SourceDocument ; kg:hasMetadataAssertion ?m . ?m kg:field "recipients" ; kg:value ?v }
"""

_CC_ORDER = """
SELECT DISTINCT ?d ?v WHERE { ?d a kg:SourceDocument ; kg:hasMetadataAssertion ?m . ?m kg:field "cc" ; kg:value ?v }
"""


_VERSIONS = """SELECT ?new ?old WHERE { GRAPH <%s> { ?new kg:supersedes ?old } }"""


def versions(store: GraphStore) -> tuple[dict[str, str], dict[str, str]]:
    """(document IRI → the IRI of the version it supersedes, IRI → the version superseding it), from the
    derived versions graph (kg/build.py recomputes it after every build)."""
    sup, by = {}, {}
    for r in store.select(_VERSIONS % store.iris.versions_graph, union=False):
        sup[r["new"]] = r["old"]
        by[r["old"]] = r["new"]
    return sup, by


def source_files(store: GraphStore) -> dict[str, list[str]]:
    """Document id → the names of every file backing it: the original first, then its duplicates (the same
    normalised text under another name) in ingestion order."""
    out: dict[str, list[tuple]] = {}
    for e in store.manifest().values():
        out.setdefault(e.doc_id, []).append((e.duplicate, e.seq, PurePath(e.source_path).name))
    return {k: [x[2] for x in sorted(v)] for k, v in out.items()}


_cache = StateCache()


@reads
def list_docs(store: GraphStore, *, current_only: bool = False) -> list[dict]:
    """Every document; ``current_only``: without the versions a newer one of the same 文号 superseded.

    Read once per store state (:func:`kg.query.search.full_state`) and kept for later processes
    (:func:`kg.query.search.persisted`); each call gets its own copies."""
    docs = _cache.get(("docs",) + full_state(store), lambda: persisted("docs", store, lambda: _read_docs(store)))
    out = [{k: (list(v) if isinstance(v, list) else v) for k, v in d.items()} for d in docs]
    if current_only:
        out = [x for x in out if x["status"] == "current"]
    return out


#: more documents than this not in the kept entries: every document's entry is read in whole-store queries
ENTRIES_ONE_BY_ONE = 64


def _read_docs(store: GraphStore) -> list[dict]:
    """Every document's entry.  What an entry says of its document (all but its status among versions and its
    files) depends on the document's graph only, which its manifest record fixes (content digest and pipeline
    version): for a store on disk those parts are kept between processes (:func:`_kept_entries`), and after a
    build only the documents it added or changed are read again (at 1,000 documents, one changed: 0.1 s
    instead of 2 s)."""
    kept = _kept_entries(store)
    rows = _doc_entries(store, None) if kept is None else _incremental_entries(store, *kept)
    sup, by = versions(store)
    files = source_files(store)
    ids = {r["iri"]: r["id"] for r in rows}
    out = [{**r, "status": "superseded" if r["iri"] in by else "current",
            "supersedes": ids.get(sup[r["iri"]]) if r["iri"] in sup else None,
            "superseded_by": ids.get(by[r["iri"]]) if r["iri"] in by else None,
            "source_files": files.get(r["id"]) or [r["source_file"]]} for r in rows]
    # (a document stating a field twice has a row per combination: ordered by their values, as read in any way)
    out.sort(key=lambda x: (x["id"], repr(list(x.values()))))
    return out


_COUNT_DOCS = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a kg:SourceDocument }"


def _incremental_entries(store: GraphStore, save, have: dict[str, list[dict]]) -> list[dict]:
    """:func:`_doc_entries` of every document, the kept ones (``have``: manifest key → the document's rows)
    taken as they are; the new ones kept with ``save``."""
    keys = {e.doc_id: f"{e.graph}|{e.sha256}|{e.pipeline_version}" for e in store.manifest().values()
            if not e.duplicate}
    need = sorted(i for i, k in keys.items() if k not in have)
    if need and have and len(need) <= ENTRIES_ONE_BY_ONE:
        fresh = _doc_entries(store, [str(store.iris.doc(i)) for i in need])
    elif need or not keys:
        fresh = _doc_entries(store, None)
    else:
        fresh = []
    by_key: dict[str | None, list[dict]] = {}
    for e in fresh:
        by_key.setdefault(keys.get(e["id"]), []).append(e)
    for k in keys.values():
        if k not in by_key and k in have:
            by_key[k] = have[k]
    rows = [e for es in by_key.values() for e in es]  # (ordered by the caller)
    if None in by_key or int(store.select(_COUNT_DOCS)[0]["n"]) != len({e["id"] for e in rows}):
        # documents the manifest does not account for (graphs written without a build): read whole, kept nowhere
        return _doc_entries(store, None)
    if need:
        save(by_key)
    return rows


def _kept_entries(store: GraphStore):
    """(save, the kept entries: manifest key → entry) for a store on disk, kept under the code that makes them
    (:func:`kg.query.search._code_digest`); None for a store elsewhere (a server, memory)."""
    if getattr(store, "path", None) is None:
        return None
    from .. import cache
    from .search import _code_digest, _store_tag, _where

    name, key = f"query-doc-entries-{_store_tag(store)}", cache.digest(["doc-entries", _where(store), _code_digest()], [])
    got = cache.load(name, key, "pickle")
    return (lambda value: cache.save(name, key, value, "pickle", only=True)), (got if isinstance(got, dict) else {})


def _doc_entries(store: GraphStore, iris: list[str] | None) -> list[dict]:
    """The parts of the entries of the documents ``iris`` (None: every document) that depend on their own
    graphs: every field but ``status``, ``supersedes``, ``superseded_by`` and ``source_files``."""
    rows = _doc_rows(store, iris)
    multi: dict[str, dict[str, list[str]]] = {}
    for r in store.select(_only(_MULTI, iris)):
        multi.setdefault(r["d"], {}).setdefault(r["p"], []).append(r["v"])
    order = {r["d"]: r["v"].split("\n") for r in store.select(_only(_ISSUER_ORDER, iris))}
    rorder = {r["d"]: r["v"].split("\n") for r in store.select(_only(_RECIPIENT_ORDER, iris))}
    corder = {r["d"]: r["v"].split("\n") for r in store.select(_only(_CC_ORDER, iris))}
    out = []
    for r in rows:
        d = r["d"]
        m = multi.get(d, {})
        issuers = _ordered(m.get("issuer", []), order.get(d))
        recipients = _ordered(m.get("recipient", []), rorder.get(d))
        out.append({
            "id": r["id"],
            "iri": d,
            "title": r["title"],
            "notice_title": r["ntitle"],
            "doc_number": r["num"],
            "issuers": issuers,
            "doc_type": r["type"],
            "plan_type": r["ptype"],
            "level": r["level"],
            "jurisdiction": r["jur"],
            "date_document": r["ddoc"],
            "date_header": r["dhead"],
            "date_publication": r["dpub"],
            "period": [int(r["ps"]), int(r["pe"])] if r["ps"] else None,
            "recipients": recipients,
            "cc": _ordered(m.get("cc", []), corder.get(d)),
            "source_file": r["file"],
            "clause_count": r["count"],
            "alt_titles": sorted(m.get("alt", [])),
        })
    return out


def _ordered(values: list[str], order: list[str] | None) -> list[str]:
    vs = sorted(set(values))
    if not order:
        return vs
    pos = {v: i for i, v in enumerate(order)}
    return sorted(vs, key=lambda v: (pos.get(v, len(pos)), v))


_PUNCT = re.compile(r"[\s《》“”\"'‘’（）()〔〕\[\]【】—–\-－~～、，。：:]+")


def _key(s: str) -> str:
    return _PUNCT.sub("", s or "").lower()


def find_doc(store: GraphStore, ref: str, docs: list[dict] | None = None) -> dict:
    """Resolve a DOC argument: 文号, title or short title, IRI, id or file name, forgivingly.

    Raises :class:`DocumentNotFound` with candidates when nothing or more than one thing fits.
    """
    docs = docs if docs is not None else list_docs(store)
    k = _key(ref)
    if not k:
        raise DocumentNotFound("请给出文件：文号、标题、简称、IRI、标识或文件名", candidates=[d["id"] for d in docs])

    def names(d: dict) -> list[str]:
        return [x for x in [d["id"], d["iri"], d["source_file"], d["doc_number"], d["title"], d["notice_title"],
                            *d.get("alt_titles", [])] if x]

    exact = [d for d in docs if any(_key(n) == k for n in names(d))]
    if len(exact) == 1:
        return exact[0]
    pool = exact or [d for d in docs if any(k in _key(n) for n in names(d))]
    if len(pool) == 1:
        return pool[0]
    current = [d for d in pool if d.get("status") != "superseded"]
    if len(pool) > 1 and len(current) == 1:  # versions of one 文号: the current one unless asked by id or file
        return current[0]
    if not pool:
        scored = sorted(((max(fuzz.partial_ratio(k, _key(n)) for n in names(d)), d) for d in docs),
                        key=lambda x: -x[0])
        if scored and scored[0][0] >= 80 and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 10):
            return scored[0][1]
        raise DocumentNotFound(f"找不到文件“{ref}”", candidates=[f"{d['id']}  {d['title']}" for _, d in scored[:5]])
    raise DocumentNotFound(f"“{ref}”对应多个文件，请写得更具体", candidates=[f"{d['id']}  {d['title']}" for d in pool])
