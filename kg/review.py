"""Human review of machine-found lineage: confirm or reject a link or a clause alignment, or add a link.

Decisions live in the review graph (``{base}graph/review``), which no build writes or drops, and point at
the reviewed node's IRI.  Link, alignment and target-link IRIs are digests of stable clause, document and
reference IRIs, so a decision survives rebuilds: when the same link is found again it shows the same
review state.  A link a person adds is a ``kg:Link`` with method ``human`` in the review graph.
"""
from __future__ import annotations

import getpass
import hashlib
from datetime import datetime, timezone

from rdflib import Literal, URIRef

from .errors import KGError
from .iris import conf
from .store import GraphStore
from .vocab import DCTERMS, KG, PROV, RDF, XSD

STATES = ("confirmed", "rejected")
RELATIONS = ("applies", "based_on", "cites")


def review_iri(store: GraphStore, subject: str) -> URIRef:
    return URIRef(f"{store.iris.base}review/{hashlib.sha1(subject.encode('utf-8')).hexdigest()[:16]}")


def resolve_subject(store: GraphStore, ref: str) -> tuple[str, str]:
    """A full IRI, or the 16-hex suffix of one, of a link, alignment or target link → (IRI, kind)."""
    ref = ref.strip()
    if not ref:
        raise KGError("请给出要审核的关联：IRI 或其末尾的 16 位编号（见 kg lineage --json 的 iri 字段）")
    rows = store.select("""SELECT DISTINCT ?x ?t WHERE {
        { ?x a kg:Link } UNION { ?x a kg:ClauseAlignment } UNION { ?x a kg:TargetLink } ?x a ?t
        FILTER(?t IN (kg:Link, kg:ClauseAlignment, kg:TargetLink)) }""")
    hits = [(r["x"], r["t"]) for r in rows if r["x"] == ref or r["x"].rsplit("/", 1)[-1] == ref]
    if not hits:
        raise KGError(f"找不到关联或条款对应“{ref}”（kg lineage DOC --json 列出每条关联的 iri）")
    iri, t = sorted(hits)[0]
    return iri, {str(KG.Link): "link", str(KG.ClauseAlignment): "alignment", str(KG.TargetLink): "target_link"}[t]


def set_review(store: GraphStore, subject_iri: str, state: str, note: str | None = None,
               user: str | None = None, *, when: datetime | None = None) -> str:
    """Record a decision (``confirmed`` or ``rejected``) on a link, alignment or target link; replaces an
    earlier decision on the same subject.  Returns the review node's IRI."""
    if state not in STATES:
        raise KGError(f"审核状态必须是 {' / '.join(STATES)}，而不是 {state!r}")
    subject_iri, _ = resolve_subject(store, subject_iri)
    node = review_iri(store, subject_iri)
    store.replace_subject(store.iris.review_graph, node, _decision(node, subject_iri, state, note, user, when))
    return str(node)


def _decision(node: URIRef, subject: str, state: str, note: str | None, user: str | None,
              when: datetime | None) -> list:
    when = (when or datetime.now(timezone.utc)).replace(microsecond=0)
    triples = [
        (node, RDF.type, KG.Review),
        (node, KG.reviewOf, URIRef(subject)),
        (node, KG.reviewState, Literal(state)),
        (node, DCTERMS.created, Literal(when.isoformat(), datatype=XSD.dateTime)),
        (node, PROV.wasAttributedTo, Literal(user or _user())),
    ]
    if note:
        triples.append((node, KG.note, Literal(note)))
    return triples


def clear_review(store: GraphStore, subject_iri: str) -> None:
    subject_iri, _ = resolve_subject(store, subject_iri)
    store.replace_subject(store.iris.review_graph, review_iri(store, subject_iri), [])


def add_link(store: GraphStore, local_doc_iri: str, source_doc_iri: str, relation: str = "applies",
             note: str | None = None, user: str | None = None) -> str:
    """A person states that one document implements (or rests on, or cites) another: method ``human``,
    confidence 1, confirmed."""
    if relation not in RELATIONS:
        raise KGError(f"关系必须是 {' / '.join(RELATIONS)}")
    if local_doc_iri == source_doc_iri:
        raise KGError("一个文件不能落实它自己")
    h = hashlib.sha1(f"{local_doc_iri}|{source_doc_iri}|human".encode("utf-8")).hexdigest()[:16]
    link = URIRef(f"{store.iris.base}link/{h}")
    review = review_iri(store, str(link))
    triples = [
        (link, RDF.type, KG.Link),
        (link, KG.linkSource, URIRef(local_doc_iri)),
        (link, KG.linkTarget, URIRef(source_doc_iri)),
        (link, KG.relation, Literal(relation)),
        (link, KG.method, Literal("human")),
        (link, KG.confidence, conf(1.0)),
        (link, PROV.wasDerivedFrom, review),
    ]
    triples += _decision(review, str(link), "confirmed", note, user, None)
    store.replace_subject(store.iris.review_graph, [link, review], triples)  # the link and its decision together
    return str(link)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        return "unknown"
