"""Vocabularies as closed namespaces: a misspelt term raises instead of minting a new IRI."""
from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace, Namespace

KG_NS = "https://policykg.example/ns#"


class ELI(DefinedNamespace):
    _NS = Namespace("http://data.europa.eu/eli/ontology#")
    _fail = True
    LegalResource: URIRef
    LegalResourceSubdivision: URIRef
    has_part: URIRef
    is_part_of: URIRef
    id_local: URIRef
    title: URIRef
    title_short: URIRef
    passed_by: URIRef
    date_document: URIRef
    date_publication: URIRef
    type_document: URIRef
    has_annex: URIRef
    is_annex_of: URIRef
    cites: URIRef
    applies: URIRef
    based_on: URIRef
    jurisdiction: URIRef
    responsibility_of_agent: URIRef


class KG(DefinedNamespace):
    _NS = Namespace(KG_NS)
    _fail = True
    # documents
    SourceDocument: URIRef
    ExternalDocument: URIRef
    documentId: URIRef
    sourceFile: URIRef
    sha256: URIRef
    encoding: URIRef
    level: URIRef
    jurisdiction: URIRef
    periodStart: URIRef
    periodEnd: URIRef
    dateHeader: URIRef
    recipient: URIRef
    copyTo: URIRef
    printedBy: URIRef
    issuersShorthand: URIRef
    clauseCount: URIRef
    cleaningChanges: URIRef
    # clauses
    Clause: URIRef
    TableRow: URIRef
    Cell: URIRef
    Note: URIRef
    clauseKind: URIRef
    heading: URIRef
    text: URIRef
    number: URIRef
    position: URIRef
    hasCell: URIRef
    column: URIRef
    value: URIRef
    filledDown: URIRef
    columnYear: URIRef
    subRowOf: URIRef
    hasNote: URIRef
    marker: URIRef
    # provenance
    spanStart: URIRef
    spanEnd: URIRef
    method: URIRef
    confidence: URIRef
    surface: URIRef
    inDocument: URIRef
    MetadataAssertion: URIRef
    field: URIRef
    zone: URIRef
    hasMetadataAssertion: URIRef
    Extraction: URIRef
    pipelineVersion: URIRef
    sourcePath: URIRef
    namedGraph: URIRef
    SourceRecord: URIRef
    textDigest: URIRef
    ingestOrder: URIRef
    duplicateFile: URIRef
    # versions (derived graph {base}graph/versions): the same 文号 issued again
    supersedes: URIRef
    # agencies
    ActorClass: URIRef
    agencyId: URIRef
    resolved: URIRef
    # glossary
    Glossary: URIRef
    expansion: URIRef
    # facts
    Fact: URIRef
    Target: URIRef
    Deadline: URIRef
    PartyRole: URIRef
    Reference: URIRef
    Evidence: URIRef
    Link: URIRef
    sentence: URIRef
    metric: URIRef
    numericValue: URIRef
    numericValueHigh: URIRef
    unit: URIRef
    comparator: URIRef
    factKind: URIRef
    ambition: URIRef
    change: URIRef
    scope: URIRef
    per: URIRef
    recurrence: URIRef
    deadline: URIRef
    deadlineYear: URIRef
    deadlineSource: URIRef
    baselineValue: URIRef
    baselineYear: URIRef
    category: URIRef
    dateStart: URIRef
    dateEnd: URIRef
    qualifier: URIRef
    anchor: URIRef
    cue: URIRef
    role: URIRef
    agent: URIRef
    partyType: URIRef
    responsibleParty: URIRef
    leadParty: URIRef
    coParty: URIRef
    citedTitle: URIRef
    citedNumber: URIRef
    citedIssuer: URIRef
    levelSource: URIRef
    levelConfidence: URIRef
    relation: URIRef
    refKind: URIRef
    resolvedTo: URIRef
    titleKey: URIRef
    evidence: URIRef
    linkSource: URIRef
    linkTarget: URIRef
    hasFact: URIRef
    # lineage (derived graphs) and review
    ClauseAlignment: URIRef
    TargetLink: URIRef
    Review: URIRef
    localClause: URIRef
    sourceClause: URIRef
    localDocument: URIRef
    sourceDocument: URIRef
    localTarget: URIRef
    sourceTarget: URIRef
    score: URIRef
    rank: URIRef
    lexicalScore: URIRef
    embeddingScore: URIRef
    sharedText: URIRef
    localSpanStart: URIRef
    localSpanEnd: URIRef
    sourceSpanStart: URIRef
    sourceSpanEnd: URIRef
    evidenceAlignment: URIRef
    alignedClauses: URIRef
    coverage: URIRef
    metricMatch: URIRef
    ratio: URIRef
    conflict: URIRef
    docVersion: URIRef
    contentDigest: URIRef
    reviewOf: URIRef
    reviewState: URIRef
    note: URIRef


PREFIXES = {
    "kg": KG_NS,
    "eli": str(ELI._NS),
    "org": str(ORG._NS),
    "skos": str(SKOS._NS),
    "prov": str(PROV._NS),
    "dcterms": str(DCTERMS._NS),
    "rdf": str(RDF._NS),
    "rdfs": str(RDFS._NS),
    "owl": str(OWL._NS),
    "xsd": str(XSD._NS),
}

__all__ = ["ELI", "KG", "ORG", "SKOS", "PROV", "DCTERMS", "RDF", "RDFS", "OWL", "XSD", "PREFIXES"]
