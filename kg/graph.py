"""Annotations → triples, one named graph per source file.

IRIs are deterministic and readable under a configurable base:
``{base}doc/{id}`` (the document entry), ``{base}doc/{id}/plan`` (the plan a notice issues),
``{base}doc/{id}/{clause_id}`` (clauses), ``{base}agency/{agency id}``, ``{base}graph/{id}``.
Nothing depends on time, order of processing or the machine; floats are rounded.
No blank nodes are used, so exports are byte-stable.
"""
from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Iterable

from rdflib import Literal, URIRef

from . import fact_schema
from .fact_schema import Field, present, value_at
from .iris import IRIs, Triple, conf, decimal_literal, integer, iri_part, lit, zh
from . import vocab

if TYPE_CHECKING:
    from .document import ProcessedDoc


class _Terms:
    """A vocabulary namespace whose terms are looked up once: rdflib answers every attribute of a
    closed namespace in Python (a few hundred thousand lookups per corpus); here the second lookup of
    a term is a plain attribute.  An undeclared term still raises."""

    def __init__(self, ns) -> None:
        self._ns = ns

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        value = getattr(self._ns, name)
        setattr(self, name, value)
        return value

    def __str__(self) -> str:
        return str(self._ns)


ELI, KG, ORG, PROV, RDF, RDFS, SKOS, XSD = (_Terms(ns) for ns in (
    vocab.ELI, vocab.KG, vocab.ORG, vocab.PROV, vocab.RDF, vocab.RDFS, vocab.SKOS, vocab.XSD))

PIPELINE_NAME = "policy-kg"


def doc_triples(doc: ProcessedDoc, base: str, pipeline_version: str) -> tuple[URIRef, list[Triple]]:
    """The named graph of one source file."""
    I = IRIs(base)
    m = doc.meta
    out: list[Triple] = []
    add = out.append
    d = I.doc(doc.doc_id)
    activity = URIRef(f"{d}/extraction")

    add((d, RDF.type, ELI.LegalResource))
    add((d, RDF.type, KG.SourceDocument))
    add((d, KG.documentId, lit(doc.doc_id)))
    add((d, KG.sourceFile, lit(doc.source.name)))
    add((d, KG.sha256, lit(doc.source.sha256)))
    add((d, KG.encoding, lit(doc.source.encoding)))
    add((d, KG.cleaningChanges, integer(len(doc.clean.changes))))
    add((d, PROV.wasGeneratedBy, activity))
    add((activity, RDF.type, KG.Extraction))
    add((activity, KG.pipelineVersion, lit(pipeline_version)))
    add((activity, RDFS.label, zh(f"{PIPELINE_NAME} 抽取")))

    has_plan = doc.zones.issues_plan
    container = I.plan(doc.doc_id) if has_plan else d
    if has_plan:
        add((container, RDF.type, ELI.LegalResource))
        add((d, ELI.has_annex, container))
        add((container, ELI.is_annex_of, d))
        add((container, ELI.title, zh(m.title)))
        add((container, RDFS.label, zh(m.title)))
        if m.notice_title:
            add((d, ELI.title, zh(m.notice_title)))
            add((d, RDFS.label, zh(m.notice_title)))
        if m.plan_type:
            add((container, ELI.type_document, I.doctype(m.plan_type)))
            add((I.doctype(m.plan_type), RDF.type, SKOS.Concept))
            add((I.doctype(m.plan_type), SKOS.prefLabel, zh(m.plan_type)))
        add((container, PROV.wasGeneratedBy, activity))
    else:
        add((d, ELI.title, zh(m.title)))
        add((d, RDFS.label, zh(m.title)))
    for t in m.titles:
        if t != m.title and t != m.notice_title:
            add((d, SKOS.altLabel, zh(t)))
    if m.doc_number:
        add((d, ELI.id_local, lit(m.doc_number)))
    if m.doc_type:
        add((d, ELI.type_document, I.doctype(m.doc_type)))
        add((I.doctype(m.doc_type), RDF.type, SKOS.Concept))
        add((I.doctype(m.doc_type), SKOS.prefLabel, zh(m.doc_type)))
    for name, aid in zip(m.issuers, m.issuer_ids):
        a = I.agency(aid, name)
        add((d, ELI.passed_by, a))
        if has_plan:
            add((container, ELI.passed_by, a))
        out.extend(agency_triples(a, name, aid))
    if m.issuers_shorthand:
        add((d, KG.issuersShorthand, zh(m.issuers_shorthand)))
    if m.date_document:
        add((d, ELI.date_document, lit(m.date_document.isoformat(), datatype=XSD.date)))
    if m.date_header:
        add((d, KG.dateHeader, lit(m.date_header.isoformat(), datatype=XSD.date)))
    if m.date_publication:
        add((d, ELI.date_publication, lit(m.date_publication.isoformat(), datatype=XSD.date)))
    if m.level:
        add((d, KG.level, lit(m.level)))
    if m.jurisdiction:
        add((d, KG.jurisdiction, zh(m.jurisdiction)))
    if m.period:
        for node in {d, container}:
            add((node, KG.periodStart, lit(str(m.period[0]), datatype=XSD.gYear)))
            add((node, KG.periodEnd, lit(str(m.period[1]), datatype=XSD.gYear)))
    for r in m.recipients:
        add((d, KG.recipient, zh(r)))
    for r in m.cc:
        add((d, KG.copyTo, zh(r)))
    if m.printer:
        add((d, KG.printedBy, zh(m.printer)))
    out.extend(_metadata_assertions(doc, I, d))

    # clauses
    all_clauses = doc.all_clauses()
    add((d, KG.clauseCount, integer(len(all_clauses))))
    notice_root = d
    for pos, c in enumerate(doc.clauses, 1):
        parent = notice_root if c.kind == "notice" else container
        out.extend(_clause_triples(doc, I, c, parent, pos, d))

    # glossary (abbreviation tables and inline definitions)
    if doc.glossary:
        scheme = URIRef(f"{d}/glossary")
        add((scheme, RDF.type, KG.Glossary))
        add((scheme, RDF.type, SKOS.ConceptScheme))
        add((scheme, RDFS.label, zh(f"{m.title} 术语表")))
        add((scheme, PROV.wasDerivedFrom, d))
        for g in doc.glossary:
            cpt = URIRef(f"{scheme}/{iri_part(g.term)}")
            add((cpt, RDF.type, SKOS.Concept))
            add((cpt, SKOS.inScheme, scheme))
            add((cpt, SKOS.prefLabel, lit(g.term)))
            if g.expansion:
                lang = "en" if g.expansion.isascii() else "zh"
                add((cpt, KG.expansion, lit(g.expansion, lang=lang)))
                add((cpt, SKOS.altLabel, lit(g.expansion, lang=lang)))
            if g.definition:
                add((cpt, SKOS.definition, zh(g.definition)))
            s, e = doc.source_span(g.start, g.end)
            add((cpt, KG.spanStart, integer(s)))
            add((cpt, KG.spanEnd, integer(e)))
            add((cpt, KG.method, lit(g.method)))
            add((cpt, KG.confidence, conf(g.confidence)))
            add((cpt, KG.inDocument, d))
            if g.clause is not None:
                add((cpt, PROV.wasDerivedFrom, I.clause(doc.doc_id, g.clause.clause_id)))
    out.extend(_fact_triples(doc, I, d))
    return I.graph(doc.doc_id), out


def dec(x) -> Literal:
    """An xsd:decimal rounded to 6 decimal places, in plain notation (never 1.2E+2)."""
    if isinstance(x, int) and not isinstance(x, bool):
        return decimal_literal(str(int(x)))  # Decimal(n) and Decimal(str(n)): the same number, the same exponent
    text = f"{round(float(x), 6):.6f}".rstrip("0").rstrip(".") or "0"
    return decimal_literal(text)


def _party_node(I: IRIs, f: dict) -> tuple[URIRef, list[Triple]]:
    if f["party_type"] == "class":
        node = I.actor_class(f["party_id"] or hashlib.sha1(f["party"].encode("utf-8")).hexdigest()[:12])
        return node, [(node, RDF.type, KG.ActorClass), (node, RDF.type, SKOS.Concept), (node, SKOS.prefLabel, zh(f["party"]))]
    node = I.agency(f["party_id"], f["party"])
    return node, agency_triples(node, f["party"], f["party_id"])


_NAMESPACES = {"kg": KG, "eli": ELI, "prov": PROV, "skos": SKOS, "rdf": RDF, "rdfs": RDFS, "org": ORG, "xsd": XSD}


_TERMS: dict[str, URIRef] = {}


def term(curie: str) -> URIRef:
    """``kg:metric`` → the IRI, through the closed namespaces of :mod:`kg.vocab` (an undeclared term raises)."""
    t = _TERMS.get(curie)
    if t is None:
        prefix, local = curie.split(":", 1)
        t = _TERMS[curie] = getattr(_NAMESPACES[prefix], local)
    return t


def literal(field: Field, v) -> Literal:
    """A fact field's value as the literal its schema datatype says."""
    dt = field.datatype
    if dt == "rdf:langString":
        return zh(v)
    if dt == "xsd:integer":
        return integer(v)
    if dt == "xsd:decimal":
        if field.digits is not None:  # exactly N decimals (a confidence: 0.950)
            return decimal_literal(f"{float(v):.{field.digits}f}")
        return dec(v)
    if dt == "xsd:gYear":
        return lit(str(v), datatype=XSD.gYear)
    if dt in ("xsd:date", "xsd:duration"):
        return lit(v, datatype=term(dt))
    if dt == "xsd:string":
        return lit(v)
    raise ValueError(f"{field.key}: {dt} is not a literal datatype")


_WRITTEN: dict[int, tuple[tuple[Field, ...], list[tuple[Field, str | None, tuple[str, ...]]]]] = {}


def _written(fields: tuple[Field, ...]) -> list[tuple[Field, str | None, tuple[str, ...]]]:
    """The fields the graph writer writes, each with its key when it is a plain one (else None) and its
    path — worked out once per field list of the (cached) schema."""
    hit = _WRITTEN.get(id(fields))
    if hit is None or hit[0] is not fields:
        plan = [(field, field.key if len(field.path) == 1 else None, field.path) for field in fields
                if not (field.computed or field.writer != "facts" or field.via or field.datatype == "iri")]
        hit = _WRITTEN[id(fields)] = (fields, plan)
    return hit[1]


def _field_triples(n: URIRef, fields, f: dict) -> Iterable[Triple]:
    """The literal fields of one fact (those the graph writer writes: kg/ontology/fact_schema.yaml)."""
    for field, key, path in _written(fields):
        v = f.get(key) if key is not None and type(f) is dict else value_at(f, path)
        if field.multi:
            for x in v or []:
                yield (n, term(field.predicate), literal(field, x))
        elif field.required or present(v):
            yield (n, term(field.predicate), literal(field, v))


def _fact_triples(doc: ProcessedDoc, I: IRIs, d: URIRef) -> list[Triple]:
    """Targets, deadlines, parties and references, each with clause, span, method and confidence; the
    literal fields as the fact schema maps them, the nodes (agent, evidence) here."""
    out: list[Triple] = []
    add = out.append
    facts = doc.facts or {}
    used: dict[str, int] = {}
    schema = fact_schema.load()

    def node_for(kind: str, f: dict) -> URIRef:
        key = f"{f['clause_id']}/{kind}_{f['span'][0]}_{f['span'][1]}"
        used[key] = used.get(key, 0) + 1
        suffix = "" if used[key] == 1 else f"_{used[key]}"
        return URIRef(f"{d}/{iri_part(f['clause_id'])}/{kind}_{f['span'][0]}_{f['span'][1]}{suffix}")

    for name, kind in schema.kinds.items():
        for f in facts.get(name, []):
            n = node_for(kind.node, f)
            clause = I.clause(doc.doc_id, f["clause_id"])
            add((n, RDF.type, term(kind.cls)))
            add((n, RDF.type, KG.Fact))
            add((n, KG.inDocument, d))
            add((n, PROV.wasDerivedFrom, clause))
            add((clause, KG.hasFact, n))
            out.extend(_field_triples(n, schema.common, f))
            out.extend(_field_triples(n, kind.fields, f))
            if name == "targets":
                for k, src in enumerate(f.get("sources") or [], 1):
                    ev = URIRef(f"{n}/evidence_{k}")
                    add((n, KG.evidence, ev))
                    add((ev, RDF.type, KG.Evidence))
                    add((ev, PROV.wasDerivedFrom, I.clause(doc.doc_id, src["clause_id"])))
                    add((ev, KG.spanStart, integer(src["span"][0])))
                    add((ev, KG.spanEnd, integer(src["span"][1])))
                    add((ev, KG.method, lit(src["method"])))
                    add((ev, KG.sentence, zh(src["text"])))
            elif name == "parties":
                agent, extra = _party_node(I, f)
                out.extend(extra)
                add((n, KG.agent, agent))
                if f["role"] in ("lead", "implied"):
                    add((clause, KG.leadParty, agent))
                elif f["role"] == "co":
                    add((clause, KG.coParty, agent))
    return out


def agency_triples(a: URIRef, name: str, aid: str | None) -> list[Triple]:
    out: list[Triple] = [(a, RDF.type, ORG.Organization), (a, SKOS.prefLabel, zh(name)), (a, RDFS.label, zh(name)),
                         (a, KG.resolved, lit(aid is not None))]
    if aid:
        out.append((a, KG.agencyId, lit(aid)))
    return out


def _metadata_assertions(doc: ProcessedDoc, I: IRIs, d: URIRef) -> list[Triple]:
    """Where the 文号, titles and dates were read (zone, span, method)."""
    out: list[Triple] = []
    z, m = doc.zones, doc.meta
    spans = doc.clean.lines()

    def assert_line(field: str, value: str | None, line_idx: int | None, zone: str, method: str, c: float) -> None:
        if value is None or line_idx is None:
            return
        node = URIRef(f"{d}/meta/{field}")
        s, e = doc.source_span(*spans[line_idx])
        out.extend([
            (d, KG.hasMetadataAssertion, node), (node, RDF.type, KG.MetadataAssertion),
            (node, KG.field, lit(field)), (node, KG.value, zh(value)), (node, KG.zone, lit(zone)),
            (node, KG.spanStart, integer(s)), (node, KG.spanEnd, integer(e)),
            (node, KG.method, lit(method)), (node, KG.confidence, conf(c)), (node, PROV.wasDerivedFrom, d),
        ])

    hdr = z.header[0] if z.header else None
    if m.doc_number:
        assert_line("doc_number", m.doc_number, z.doc_number if z.doc_number is not None else hdr,
                    m.sources.get("doc_number", "header"), "layout.doc-number-line", 0.98)
    if m.notice_title and z.notice_title:
        assert_line("notice_title", m.notice_title, z.notice_title[-1], "notice_title", "layout.title-line", 0.95)
    if m.title:
        idx = z.plan_title if z.plan_title is not None else (z.notice_title[0] if z.notice_title else None)
        assert_line("title", m.title, idx, "title", "layout.title-line+best-rendering", 0.95)
    if m.date_document:
        assert_line("date_document", m.date_document.isoformat(), z.signature_date, "signature", "layout.signature-date", 0.97)
    if m.date_publication:
        idx = next((i for i in z.colophon if "印发" in doc.clean.text[spans[i][0]:spans[i][1]]), hdr)
        assert_line("date_publication", m.date_publication.isoformat(), idx,
                    m.sources.get("date_publication", "header"), "layout.colophon-date", 0.95)
    if m.issuers:
        idx = (z.signature[0] if z.signature else z.masthead if z.masthead is not None
               else (z.notice_title[0] if z.notice_title else hdr))
        assert_line("issuers", "\n".join(m.issuers), idx, m.sources.get("issuers", "?"), "gazetteer.resolve", 0.9)
    if m.recipients:
        assert_line("recipients", "\n".join(m.recipients), z.recipients, "recipients", "layout.recipients-line", 0.9)
    if m.cc:
        idx = next((i for i in z.colophon if doc.clean.text[spans[i][0]:spans[i][1]].lstrip().startswith("抄")), None)
        assert_line("cc", "\n".join(m.cc), idx, "colophon", "layout.cc-line", 0.9)
    return out


def _clause_triples(doc: ProcessedDoc, I: IRIs, c, parent: URIRef, pos: int, d: URIRef) -> list[Triple]:
    out: list[Triple] = []
    add = out.append
    node = I.clause(doc.doc_id, c.clause_id)
    add((node, RDF.type, ELI.LegalResourceSubdivision))
    add((node, RDF.type, KG.TableRow if c.kind == "row" else KG.Clause))
    add((node, ELI.id_local, lit(c.clause_id)))
    add((node, RDFS.label, zh(c.label)))
    add((node, KG.clauseKind, lit(c.kind)))
    add((node, KG.position, integer(pos)))
    add((node, KG.inDocument, d))
    add((parent, ELI.has_part, node))
    add((node, ELI.is_part_of, parent))
    if c.number:
        add((node, KG.number, lit(c.number)))
    if c.heading:
        add((node, KG.heading, zh(c.heading)))
    text = doc.own_text(c)
    if text:
        add((node, KG.text, zh(text)))
    s, e = doc.clause_span(c)
    add((node, KG.spanStart, integer(s)))
    add((node, KG.spanEnd, integer(e)))
    add((node, KG.method, lit("structure.numbering" if c.kind not in ("row", "table") else "structure.table")))
    add((node, PROV.wasDerivedFrom, d))
    if c.kind == "table":
        for col, year in sorted(c.attrs.get("column_years", {}).items()):
            cn = URIRef(f"{node}/col_{iri_part(col)}")
            add((node, KG.column, zh(col)))
            add((cn, KG.column, zh(col)))
            add((cn, KG.columnYear, lit(str(year), datatype=XSD.gYear)))
            add((node, KG.hasCell, cn))
            add((cn, RDF.type, KG.Cell))
    if c.cells is not None:
        filled = set(c.attrs.get("filled_down", []))
        for i, (col, val) in enumerate(c.cells.items(), 1):
            cell = URIRef(f"{node}/cell_{i}")
            add((node, KG.hasCell, cell))
            add((cell, RDF.type, KG.Cell))
            add((cell, KG.column, zh(col)))
            add((cell, KG.value, zh(val)))
            add((cell, KG.position, integer(i)))
            if col in filled:
                add((cell, KG.filledDown, lit(True)))
        sub = c.attrs.get("sub_row_of")
        if sub is not None:
            add((node, KG.subRowOf, I.clause(doc.doc_id, sub.clause_id)))
    for k, fn in enumerate(c.notes, 1):
        nn = URIRef(f"{node}/note_{k}")
        add((node, KG.hasNote, nn))
        add((nn, RDF.type, KG.Note))
        add((nn, KG.text, zh(fn.text)))
        if fn.marker:
            add((nn, KG.marker, lit(fn.marker)))
        add((nn, KG.spanStart, integer(fn.start)))
        add((nn, KG.spanEnd, integer(fn.end)))
        add((nn, KG.method, lit("clean.footnote-line")))
    for k, ch in enumerate(c.children, 1):
        out.extend(_clause_triples(doc, I, ch, node, k, d))
    return out


def unique(triples: Iterable[Triple]) -> list[Triple]:
    return sorted(set(triples))
