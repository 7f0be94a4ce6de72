"""Documents as ``kg docs --json`` prints them, and forgiving lookup of a DOC argument."""
from __future__ import annotations

import re
from pathlib import PurePath

from rapidfuzz import fuzz

from ..errors import DocumentNotFound
from ..store import GraphStore

_DOCS = """
SELECT DISTINCT ?d ?id ?file ?title ?ntitle ?num ?level ?jur ?ddoc ?dhead ?dpub ?ps ?pe ?count ?type ?ptype WHERE {
  ?d a kg:SourceDocument ; kg:documentId ?id ; kg:sourceFile ?file ; kg:clauseCount ?count .
  OPTIONAL { ?d eli:has_annex ?plan . ?plan eli:title ?ptitle . OPTIONAL { ?plan eli:type_document/skos:prefLabel ?ptype } }
  OPTIONAL { ?d eli:title ?dtitle }
  BIND(COALESCE(?ptitle, ?dtitle) AS ?title)
  BIND(IF(BOUND(?ptitle), ?dtitle, ?unbound) AS ?ntitle)
  OPTIONAL { ?d eli:id_local ?num }
  OPTIONAL { ?d kg:level ?level }
  OPTIONAL { ?d kg:jurisdiction ?jur }
  OPTIONAL { ?d eli:date_document ?ddoc }
  OPTIONAL { ?d kg:dateHeader ?dhead }
  OPTIONAL { ?d eli:date_publication ?dpub }
  OPTIONAL { ?d kg:periodStart ?ps ; kg:periodEnd ?pe }
  OPTIONAL { ?d eli:type_document/skos:prefLabel ?type }
}
"""

_MULTI = """
SELECT DISTINCT ?d ?p ?v WHERE {
  ?d a kg:SourceDocument .
  { ?d eli:passed_by ?a . ?a skos:prefLabel ?v . BIND("issuer" AS ?p) }
  UNION { ?d kg:recipient ?v . BIND("recipient" AS ?p) }
  UNION { ?d kg:copyTo ?v . BIND("cc" AS ?p) }
  UNION { ?d skos:altLabel ?v . BIND("alt" AS ?p) }
}
"""

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


def list_docs(store: GraphStore, *, current_only: bool = False) -> list[dict]:
    """Every document; ``current_only``: without the versions a newer one of the same 文号 superseded."""
    rows = store.select(_DOCS)
    sup, by = versions(store)
    files = source_files(store)
    ids = {r["d"]: r["id"] for r in rows}
    multi: dict[str, dict[str, list[str]]] = {}
    for r in store.select(_MULTI):
        multi.setdefault(r["d"], {}).setdefault(r["p"], []).append(r["v"])
    order = {r["d"]: r["v"].split("\n") for r in store.select(_ISSUER_ORDER)}
    rorder = {r["d"]: r["v"].split("\n") for r in store.select(_RECIPIENT_ORDER)}
    corder = {r["d"]: r["v"].split("\n") for r in store.select(_CC_ORDER)}
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
            "status": "superseded" if d in by else "current",
            "supersedes": ids.get(sup[d]) if d in sup else None,
            "superseded_by": ids.get(by[d]) if d in by else None,
            "source_files": files.get(r["id"]) or [r["file"]],
        })
    if current_only:
        out = [x for x in out if x["status"] == "current"]
    out.sort(key=lambda x: x["id"])
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
