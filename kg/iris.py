"""IRIs, term helpers and the triple type shared by the graph writer, the store and the links.

Kept apart from :mod:`kg.graph` so the store and the query layer never import the pipeline.
"""
from __future__ import annotations

import functools
import hashlib
from decimal import Decimal
from urllib.parse import quote

from rdflib import Literal, URIRef

from .vocab import XSD

Triple = tuple[URIRef, URIRef, URIRef | Literal]


def iri_part(s: str) -> str:
    return quote(s, safe="-_.~")


class IRIs:
    def __init__(self, base: str) -> None:
        self.base = base

    def doc(self, doc_id: str) -> URIRef:
        return URIRef(f"{self.base}doc/{iri_part(doc_id)}")

    def plan(self, doc_id: str) -> URIRef:
        return URIRef(f"{self.doc(doc_id)}/plan")

    def clause(self, doc_id: str, clause_id: str) -> URIRef:
        return URIRef(f"{self.doc(doc_id)}/{iri_part(clause_id)}")

    def graph(self, doc_id: str) -> URIRef:
        return URIRef(f"{self.base}graph/{iri_part(doc_id)}")

    def graph_of_doc(self, doc_iri: str) -> URIRef | None:
        """The named graph a document's triples are written to (:meth:`graph`), from the document's IRI
        (:meth:`doc`); None for an IRI that is not a document's of this base."""
        prefix = f"{self.base}doc/"
        rest = str(doc_iri)[len(prefix):]
        if not str(doc_iri).startswith(prefix) or not rest or "/" in rest:
            return None
        return URIRef(f"{self.base}graph/{rest}")

    def agency(self, agency_id: str | None, name: str) -> URIRef:
        if agency_id:
            return URIRef(f"{self.base}agency/{iri_part(agency_id)}")
        return URIRef(f"{self.base}agency/x-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:12]}")

    def actor_class(self, class_id: str) -> URIRef:
        return URIRef(f"{self.base}actor/{iri_part(class_id)}")

    def doctype(self, word: str) -> URIRef:
        return URIRef(f"{self.base}doctype/{iri_part(word)}")

    def external(self, key: str) -> URIRef:
        return URIRef(f"{self.base}external/{hashlib.sha1(key.encode('utf-8')).hexdigest()[:16]}")

    @property
    def links_graph(self) -> URIRef:
        return URIRef(f"{self.base}graph/links")

    @property
    def review_graph(self) -> URIRef:
        """Human review states: no build ever writes or drops it."""
        return URIRef(f"{self.base}graph/review")

    @property
    def targetlinks_graph(self) -> URIRef:
        return URIRef(f"{self.base}graph/targetlinks")

    @property
    def versions_graph(self) -> URIRef:
        """Derived: ``kg:supersedes`` between versions of one 文号 (kg/build.py, after every build)."""
        return URIRef(f"{self.base}graph/versions")

    def lineage_graph(self, local_id: str, source_id: str) -> URIRef:
        return URIRef(f"{self.base}graph/lineage/{iri_part(local_id)}--{iri_part(source_id)}")

    @property
    def lineage_prefix(self) -> str:
        return f"{self.base}graph/lineage/"

    @property
    def manifest_graph(self) -> URIRef:
        return URIRef(f"{self.base}graph/manifest")


# rdflib builds a Literal in Python (casts, checks, a new datatype IRI): the short ones a graph
# repeats — names, labels, methods, numbers, dates — are built once.  A Literal is immutable, so
# one object serves every triple; long texts (clause and sentence texts, rarely repeated) are not kept.
_SHORT = 64


@functools.lru_cache(maxsize=16384)
def _cached_literal(kind: type, value, lang: str | None, datatype) -> Literal:
    return Literal(value, lang=lang, datatype=datatype)


def lit(value, lang: str | None = None, datatype=None) -> Literal:
    """``Literal(value, lang=…, datatype=…)``, the same literal, from a cache for short strings, ints and
    booleans (the value's type is part of the key: ``True`` and ``1`` are equal in Python, not in RDF)."""
    t = type(value)
    if (t is int or t is bool or t is str and len(value) <= _SHORT) and (datatype is None or type(datatype) is URIRef):
        return _cached_literal(t, value, lang, datatype)
    return Literal(value, lang=lang, datatype=datatype)


@functools.lru_cache(maxsize=4096)
def decimal_literal(text: str) -> Literal:
    """``Literal(Decimal(text), datatype=XSD.decimal)`` (cached: confidences, rounded values)."""
    return Literal(Decimal(text), datatype=XSD.decimal)


def zh(s: str) -> Literal:
    return lit(s, lang="zh")


def conf(x: float) -> Literal:
    return decimal_literal(f"{x:.3f}")


def integer(n: int) -> Literal:
    return lit(int(n), datatype=XSD.integer)
