"""Cross-document links, recomputed after every build into their own named graph.

Each reference a document makes (a 《title》, a 文号, a named programme) is resolved against the
documents in the store — by 文号 first, else by forgiving title matching (kg.resolve).  A resolved
reference links the citing document to the cited one with the relation its cue gave
(``eli:applies``, ``eli:based_on``, ``eli:cites``); an unresolved one links to an *external
document* node carrying the title, number and issuer as cited, whose IRI is derived from the
normalised title (or 文号), so a later ingest of that document connects automatically the next time
links are recomputed.  Every link is a ``kg:Link`` with the method that found it, a confidence and
``prov:wasDerivedFrom`` the reference (which carries the clause and span).
"""
from __future__ import annotations

import hashlib
import re

from rdflib import Literal, URIRef

from .iris import Triple, conf, zh
from .query import shared_labels
from .resolve import DocCandidate, Resolver, cited_level, match_reference, title_key
from .store import GraphStore
from .vocab import ELI, KG, PROV, RDF, RDFS

RELATION_PROPS = {"applies": ELI.applies, "based_on": ELI.based_on, "cites": ELI.cites}

_REFS = """
SELECT DISTINCT ?ref ?d ?clause ?rel ?title ?num ?issuer ?c WHERE {
  ?ref a kg:Reference ; kg:inDocument ?d ; kg:relation ?rel ; prov:wasDerivedFrom ?clause ; kg:confidence ?c .
  OPTIONAL { ?ref kg:citedTitle ?title }
  OPTIONAL { ?ref kg:citedNumber ?num }
  OPTIONAL { ?ref kg:citedIssuer ?issuer }
  FILTER (?rel != "self")
}
"""

# The documents a reference may resolve to (not superseded), then their titles, 文号 and issuers: four
# small queries joined here rather than one with three OPTIONALs (whose title × issuer rows — every copy of
# an agency's prefLabel in every graph — made it 3× slower than the four together at 1,000 documents).
_DOCS = """
SELECT DISTINCT ?d ?id WHERE {
  ?d a kg:SourceDocument ; kg:documentId ?id .
  FILTER NOT EXISTS { ?newer kg:supersedes ?d }
}
"""
_DOC_TITLES = """
SELECT DISTINCT ?d ?t WHERE {
  ?d a kg:SourceDocument .
  { ?d eli:title ?t } UNION { ?d skos:altLabel ?t } UNION { ?d eli:has_annex/eli:title ?t }
}
"""
_DOC_NUMBERS = "SELECT DISTINCT ?d ?num WHERE { ?d a kg:SourceDocument ; eli:id_local ?num }"
_DOC_ISSUERS = "SELECT DISTINCT ?d ?issuer WHERE { ?d a kg:SourceDocument ; eli:passed_by ?a . %s }" % shared_labels(
    "?a", "?issuer")


def candidates(store: GraphStore) -> tuple[list[DocCandidate], dict[str, str]]:
    def values(query: str, var: str) -> dict[str, list]:
        out: dict[str, list] = {}
        for r in store.select(query):
            if r[var]:
                out.setdefault(r["d"], []).append(r[var])
        return out

    titles, nums, issuers = (values(_DOC_TITLES, "t"), values(_DOC_NUMBERS, "num"),
                             values(_DOC_ISSUERS, "issuer"))
    by: dict[str, dict] = {}
    iri_of: dict[str, str] = {}
    for r in store.select(_DOCS):
        e = by.setdefault(r["id"], {"titles": set(), "num": None, "issuers": set()})
        iri_of[r["id"]] = r["d"]
        e["titles"].update(titles.get(r["d"], ()))
        if r["d"] in nums:
            e["num"] = max(nums[r["d"]])  # one 文号 per document; should there be two, the same one every time
        e["issuers"].update(issuers.get(r["d"], ()))
    cands = [DocCandidate(doc_id=i, titles=tuple(sorted(e["titles"])), doc_number=e["num"],
                          issuers=tuple(sorted(e["issuers"]))) for i, e in sorted(by.items())]
    return cands, iri_of


_QUALIFIER = re.compile(r"\((?:试行|暂行|修订|征求意见稿|\d{4}年(?:修订|修正|版))\)$")


def _names_itself(title: str | None, num: str | None, own: DocCandidate) -> bool:
    """Whether a reference names the citing document itself: its 文号, or its title with or without a
    qualifier such as （试行） — the forms a document uses for itself in its own 附则."""
    if match_reference(title, num, [own]) is not None:
        return True
    if not title or (num and own.doc_number and num != own.doc_number) or (num and not own.doc_number):
        return False  # another 文号: the trial version or the one it replaces, not this document
    key = _QUALIFIER.sub("", title_key(title))
    return any(_QUALIFIER.sub("", title_key(t)) == key for t in own.titles)


def link_triples(store: GraphStore, seen: dict | None = None) -> list[Triple]:
    """The links graph, from every document's references resolved against every current document.

    ``seen``: when given, filled with what the triples were computed from, per document (:func:`_inputs`),
    for :func:`_unchanged`."""
    cands, iri_of = candidates(store)
    if seen is not None:
        refs = store.select(_REFS)
        seen.update(_inputs(store, cands, iri_of, refs))
    else:
        refs = None
    id_of = {v: k for k, v in iri_of.items()}
    out: list[Triple] = []
    add = out.append
    base = store.iris.base
    by_id = {c.doc_id: c for c in cands}
    resolver = Resolver(cands)  # indexed once: a reference is scored only against titles that could match
    levels: dict = {}  # external document -> the surest level its citations give
    for r in (refs if refs is not None else store.select(_REFS)):
        citing = URIRef(r["d"])
        own_id = id_of.get(r["d"])
        if own_id in by_id and _names_itself(r["title"], r["num"], by_id[own_id]):
            continue  # the document names itself (《…办法》 in its own 附则, its own 文号): no link
        m = resolver.match(r["title"], r["num"], exclude=own_id)  # any document but the citing one
        ref = URIRef(r["ref"])
        link = URIRef(f"{base}link/{hashlib.sha1(r['ref'].encode('utf-8')).hexdigest()[:16]}")
        prop = RELATION_PROPS.get(r["rel"], ELI.cites)
        if m is not None:
            target = URIRef(iri_of[m.doc_id])
            method, confidence = m.method, float(r["c"]) * m.confidence
        else:
            key = title_key(r["title"]) if r["title"] else (r["num"] or "")
            if not key:
                continue
            target = store.iris.external(key)
            method, confidence = "explicit-citation", float(r["c"])
            add((target, RDF.type, KG.ExternalDocument))
            add((target, RDF.type, ELI.LegalResource))
            add((target, KG.titleKey, Literal(key)))
            if r["title"]:
                add((target, ELI.title, zh(r["title"])))
                add((target, RDFS.label, zh(r["title"])))
            if r["num"]:
                add((target, ELI.id_local, Literal(r["num"])))
            if r["issuer"]:
                add((target, KG.citedIssuer, zh(r["issuer"])))
            lv = cited_level(r["title"], r["num"], r["issuer"])
            if lv is not None and (target not in levels or (lv.confidence, lv.method) > (levels[target].confidence, levels[target].method)):
                levels[target] = lv
        add((ref, KG.resolvedTo, target))
        add((citing, prop, target))
        add((URIRef(r["clause"]), prop, target))
        add((link, RDF.type, KG.Link))
        add((link, KG.linkSource, citing))
        add((link, KG.linkTarget, target))
        add((link, KG.relation, Literal(r["rel"])))
        add((link, KG.method, Literal(method)))
        add((link, KG.confidence, conf(confidence)))
        add((link, PROV.wasDerivedFrom, ref))
    for target in sorted(levels):  # what the citations say of a document outside the corpus: its level
        lv = levels[target]
        add((target, KG.level, Literal(lv.level)))
        add((target, KG.jurisdiction, zh(lv.jurisdiction)))
        add((target, KG.levelSource, Literal(lv.method)))
        add((target, KG.levelConfidence, conf(lv.confidence)))
    return out


#: the version of what :func:`_inputs` keeps (with the code of this module and what it imports)
LINKS_INPUTS = "1"


def _links_code() -> str:
    from .codeversion import code_version

    return f"{LINKS_INPUTS}:{code_version(('kg.links',))}"


def _ref_key(r: dict) -> tuple:
    return tuple("" if r[k] is None else str(r[k]) for k in ("ref", "clause", "rel", "title", "num", "issuer", "c"))


def _inputs(store: GraphStore, cands: list[DocCandidate], iri_of: dict[str, str], refs: list[dict],
            only: set[str] | None = None) -> dict:
    """What the links graph is computed from, in a form that compares: the current documents (IRI → id), per
    document IRI its candidate entry (titles, 文号, issuers) and its references (sorted rows of ``_REFS``);
    ``only``: of those documents only (their references read by the caller for them alone)."""
    docs = {iri: {"cand": None, "refs": []} for iri in (only if only is not None else set(iri_of.values()))}
    for c in cands:
        iri = iri_of[c.doc_id]
        if iri in docs:
            docs[iri]["cand"] = (c.doc_id, list(c.titles), c.doc_number, list(c.issuers))
    for r in refs:
        if only is None or r["d"] in docs:
            docs.setdefault(r["d"], {"cand": None, "refs": []})["refs"].append(_ref_key(r))
    for d in docs.values():
        d["refs"] = sorted(set(d["refs"]))
    return {"docs": docs}


def _doc_versions(store: GraphStore) -> dict[str, str]:
    """Document IRI → its version (content digest + pipeline version, from the manifest)."""
    return {str(store.iris.doc(e.doc_id)): f"{e.sha256}:{e.pipeline_version}"
            for e in store.manifest().values() if not e.duplicate}


def _unchanged(store: GraphStore, kept: dict, known: dict[str, str] | None) -> bool:
    """Whether the links graph the last build wrote (``known``: what :meth:`GraphStore.sync_graph` returned)
    is still exactly what :func:`link_triples` would compute, given what it was computed from (``kept``: the
    code, every document's version and inputs, the superseded documents, every document's issuers).

    Only the documents whose version changed are read (their titles, 文号 and references, bound by
    ``VALUES``); a document's own titles, 文号 and references are in its own graph, so an unchanged version
    reads as before.  The superseded documents and every document's issuers (an agency's label is stated by
    every graph naming it) are read whole — cheap.  Any difference, or a store that does not hold ``known``,
    says no: the caller computes everything.  On yes, ``kept`` takes the new versions."""
    if not kept or known is None or kept.get("code") != _links_code():
        return False
    versions = _doc_versions(store)
    before = kept.get("versions", {})
    if set(versions) != set(before):
        return False
    changed = sorted(d for d, v in versions.items() if before[d] != v)
    if len(changed) > CHANGED_MAX:
        return False
    g = str(store.iris.links_graph)
    from .store import content_digest

    rows = store.select(f"SELECT ?d WHERE {{ GRAPH <{g}> {{ <{g}> kg:contentDigest ?d }} }}", union=False)
    if [r["d"] for r in rows] != [content_digest(known)]:
        return False
    if sorted(r["d"] for r in store.select(_SUPERSEDED)) != kept.get("superseded"):
        return False
    if _issuers(store) != kept.get("issuers"):
        return False
    if changed:
        values = " ".join(f"<{d}>" for d in changed)

        def bound(q: str) -> str:
            return q.replace("WHERE {", f"WHERE {{ VALUES ?d {{ {values} }}", 1)

        ids = {r["d"]: r["id"] for r in store.select(bound(_DOCS))}
        titles, nums, issuers = ({}, {}, {})
        for q, var, out in ((_DOC_TITLES, "t", titles), (_DOC_NUMBERS, "num", nums), (_DOC_ISSUERS, "issuer", issuers)):
            for r in store.select(bound(q)):
                if r[var]:
                    out.setdefault(r["d"], set()).add(r[var])
        cands = [DocCandidate(doc_id=ids[d], titles=tuple(sorted(titles.get(d, ()))),
                              doc_number=max(nums[d]) if d in nums else None,
                              issuers=tuple(sorted(issuers.get(d, ())))) for d in sorted(ids)]
        now = _inputs(store, cands, {ids[d]: d for d in ids}, store.select(bound(_REFS)), set(changed))["docs"]
        old = kept.get("docs", {})
        if any(_plain(now[d]) != _plain(old.get(d)) for d in changed):
            return False
    kept["versions"] = versions  # (the same inputs under the new versions)
    return True


def _plain(x):
    """``x`` with tuples as lists (what a marshal round trip gives), for comparing."""
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    return x


#: more changed documents than this: the links graph is computed again without asking whether it changed
CHANGED_MAX = 50

_SUPERSEDED = "SELECT DISTINCT ?d WHERE { ?newer kg:supersedes ?d }"


def _issuers(store: GraphStore) -> list:
    return sorted([r["d"], r["issuer"]] for r in store.select(_DOC_ISSUERS) if r["issuer"])


def update_links(store: GraphStore, known: dict[str, dict[str, str]] | None = None,
                 kept: dict | None = None) -> None:
    """Recompute the links graph from every document in the store (under one hold of the write lock).

    ``known``: derived graph IRI → what :meth:`GraphStore.sync_graph` returned when it last wrote that graph
    (:attr:`kg.lineage.LineageCache.graphs`, updated here): then only the links that changed are written — a
    build that changed one document of 1,000 rewrote all 8,000 triples (1.1 s) where it now writes its own
    (0.13 s with nothing changed; bench/RESULTS.md).  Without it the graph is replaced whole.

    ``kept`` (with ``known``; :attr:`kg.lineage.LineageCache.links`, updated here): what the graph was last
    computed from, per document version.  When nothing the graph depends on changed — the usual case after
    an edit of one document's text that touches neither its titles, its 文号 nor its references — nothing
    is computed or written (:func:`_unchanged`: only the changed documents are read); otherwise everything
    is, and ``kept`` is refilled."""
    g = str(store.iris.links_graph)
    if kept is not None and known is not None and _unchanged(store, kept, known.get(g)):
        return
    seen: dict | None = {} if kept is not None and known is not None else None
    if seen is not None:
        kept.clear()  # (until refilled below: a write cut short leaves nothing that could be trusted)
        versions, superseded, issuers = (_doc_versions(store), sorted(r["d"] for r in store.select(_SUPERSEDED)),
                                         _issuers(store))
    triples = link_triples(store, seen)
    if known is None:
        store.replace_graph(store.iris.links_graph, triples)
        return
    known[g] = store.sync_graph(store.iris.links_graph, triples, known.get(g))
    if seen is not None and known[g] is not None:
        kept.update(code=_links_code(), versions=versions, superseded=superseded, issuers=issuers,
                    docs={d: _plain(x) for d, x in seen["docs"].items()})
