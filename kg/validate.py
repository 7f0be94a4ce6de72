"""SHACL validation of the built graph (shapes in kg/ontology/shapes.ttl, ontology in policy.ttl, no network).

The shapes are compiled once into a small SHACL-Core engine that runs every constraint as a SPARQL
query **on the store**, each query returning only violations — instead of copying the whole store into
an rdflib graph for pySHACL (no answer within 15 minutes at 105 documents; 54 s at 1,000 documents now, 11.7 M triples,
see bench/RESULTS.md).  Semantics are those pySHACL gave (``inference="none"``, the ontology mixed into
the data): SHACL over the union of the store's graphs plus the ontology.

- focus nodes: ``sh:targetClass`` (instances of the class or of a subclass, ``rdfs:subClassOf*`` from
  the ontology and the data), ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, ``sh:targetNode``;
- ``sh:minCount`` as MINUS; ``sh:maxCount`` and ``sh:lessThanOrEquals``/``lessThan`` as one scan of the
  predicate shared by all shapes, whose few candidates are then checked against the focus nodes; value
  tests (``sh:datatype`` with the lexical form, ``pattern``, ``in``, ``languageIn``, ranges, ``nodeKind``)
  as filters over the predicate joined with the focus nodes;
- ``sh:class`` and ``sh:or`` against the types of the whole store (and nodes typed in the ontology) —
  the checks that cross documents: a link's target document, an alignment's clauses, the review graph;
- ``sh:sparql`` with ``$this`` pre-bound (substituted) per focus node, run on the named graph(s) where
  the focus node is typed — a document's clauses are in its own graph, and over the union the store
  plans these self-joins badly.  (The manifest graph is part of the union the other queries see; it
  holds only ``kg:SourceRecord`` nodes, which no shape targets or references.)

Queries run on a few threads; the report is ordered as before (focus, path, message), messages follow
pySHACL's wording.  The engine refuses a shapes file using a SHACL feature it does not implement, so a
new shape is never silently ignored.  ``validate_graph_pyshacl`` keeps pySHACL as the reference the
tests compare against (tests/test_validate.py: the same violations on a store broken on purpose).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

ONTOLOGY = Path(__file__).resolve().parent / "ontology"

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[dict]
    triples: int
    text: str


def load_shapes():
    from rdflib import Graph

    g = Graph()
    g.parse(ONTOLOGY / "shapes.ttl", format="turtle")
    return g


def load_ontology():
    from rdflib import Graph

    g = Graph()
    g.parse(ONTOLOGY / "policy.ttl", format="turtle")
    return g


# ---------------------------------------------------------------------------------------- shapes model
@dataclass
class Constraint:
    kind: str            # minCount, maxCount, class, datatype, pattern, in, languageIn, minInclusive, …, or
    arg: object          # the parameter (ox term, int, compiled regex, list of shapes …)
    text: str            # the parameter as pySHACL prints it in its generic message


@dataclass
class Shape:
    node: object                                     # rdflib node of the shape (for the text report)
    label: str
    path: str | None = None                          # property shapes: the predicate IRI
    path_text: str | None = None
    severity: str = "Violation"
    messages: list[str] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)
    properties: list["Shape"] = field(default_factory=list)
    sparql: list[tuple[str, list[str], str]] = field(default_factory=list)   # (select, messages, severity)
    target_classes: list[str] = field(default_factory=list)
    target_subjects_of: list[str] = field(default_factory=list)
    target_objects_of: list[str] = field(default_factory=list)
    target_nodes: list[object] = field(default_factory=list)


_META = {RDF_TYPE, SH + "path", SH + "message", SH + "severity", SH + "deactivated", SH + "name",
         SH + "description", SH + "property", SH + "sparql", SH + "targetClass", SH + "targetSubjectsOf",
         SH + "targetObjectsOf", SH + "targetNode", SH + "flags", SH + "order", SH + "group",
         "http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2000/01/rdf-schema#comment"}
_PARAMS = {"minCount", "maxCount", "class", "datatype", "pattern", "in", "languageIn", "minInclusive",
           "maxInclusive", "minExclusive", "maxExclusive", "lessThanOrEquals", "lessThan", "or", "nodeKind",
           "hasValue"}


def _ox(term):
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD + "string")))
    raise TypeError(f"unsupported term {term!r}")


class _Compiler:
    def __init__(self, sg) -> None:
        self.sg = sg
        self.nm = sg.namespace_manager

    def n3(self, node) -> str:
        from rdflib import BNode, Literal

        if isinstance(node, Literal):
            return _literal_text(node, self.nm)
        if isinstance(node, BNode):
            return self.bnode_text(node)
        try:
            return node.n3(namespace_manager=self.nm)
        except Exception:
            return str(node)

    def bnode_text(self, node) -> str:
        # pySHACL's stringify_blank_node for a shape: "[ p o ; p o ]" with predicates and objects sorted
        parts = sorted(f"{self.n3(p)} {self.n3(o)}" for p, o in self.sg.predicate_objects(node))
        return "[ " + " ; ".join(parts) + " ]"

    def one(self, node, pred: str):
        from rdflib import URIRef

        vals = list(self.sg.objects(node, URIRef(pred)))
        return vals[0] if vals else None

    def shape(self, node, path=None) -> Shape | None:
        from rdflib import URIRef

        sg = self.sg
        if str(self.one(node, SH + "deactivated") or "").lower() == "true":
            return None
        for p in sg.predicates(node):
            if str(p) in _META:
                continue
            if not (str(p).startswith(SH) and str(p)[len(SH):] in _PARAMS):
                raise ValueError(f"shapes.ttl: SHACL feature not implemented by kg.validate: {p} on {self.n3(node)}")
        if path is not None and not isinstance(path, URIRef):
            raise ValueError(f"shapes.ttl: only predicate paths are implemented, not {self.n3(path)}")
        sev = self.one(node, SH + "severity")
        s = Shape(node, self.n3(node), str(path) if path is not None else None,
                  self.n3(path) if path is not None else None,
                  str(sev).rsplit("#", 1)[-1] if sev is not None else "Violation",
                  [str(m) for m in sg.objects(node, URIRef(SH + "message"))])
        for p, o in sg.predicate_objects(node):
            name = str(p)[len(SH):] if str(p).startswith(SH) else None
            if name in ("minCount", "maxCount"):
                s.constraints.append(Constraint(name, int(o), str(o)))
            elif name in ("class", "datatype", "lessThanOrEquals", "lessThan", "nodeKind"):
                s.constraints.append(Constraint(name, str(o), self.n3(o)))
            elif name == "hasValue":
                s.constraints.append(Constraint(name, _ox(o), self.n3(o)))
            elif name == "pattern":
                flags = str(self.one(node, SH + "flags") or "")
                s.constraints.append(Constraint(name, (str(o), flags), str(o)))
            elif name in ("in", "languageIn"):
                items = list(sg.items(o))
                arg = [_ox(i) for i in items] if name == "in" else [str(i).lower() for i in items]
                s.constraints.append(Constraint(name, arg, str([self.n3(i) for i in items]) if name == "in"
                                                else self.n3(o)))
            elif name in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive"):
                s.constraints.append(Constraint(name, _ox(o), self.n3(o)))
            elif name == "or":
                members = [self.shape(m) for m in sg.items(o)]
                for m in members:
                    if m is None or m.properties or m.sparql or m.path:
                        raise ValueError("shapes.ttl: sh:or members must be node shapes of node constraints")
                s.constraints.append(Constraint(name, members, " , ".join(self.n3(m) for m in sg.items(o))))
        for ps in sg.objects(node, URIRef(SH + "property")):
            sub = self.shape(ps, self.one(ps, SH + "path"))
            if sub is not None:
                s.properties.append(sub)
        for sp in sg.objects(node, URIRef(SH + "sparql")):
            if str(self.one(sp, SH + "deactivated") or "").lower() == "true":
                continue
            sev = self.one(sp, SH + "severity")
            s.sparql.append((str(self.one(sp, SH + "select")), [str(m) for m in sg.objects(sp, URIRef(SH + "message"))],
                             str(sev).rsplit("#", 1)[-1] if sev is not None else "Violation"))
        s.target_classes = [str(c) for c in sg.objects(node, URIRef(SH + "targetClass"))]
        s.target_subjects_of = [str(c) for c in sg.objects(node, URIRef(SH + "targetSubjectsOf"))]
        s.target_objects_of = [str(c) for c in sg.objects(node, URIRef(SH + "targetObjectsOf"))]
        s.target_nodes = [_ox(c) for c in sg.objects(node, URIRef(SH + "targetNode"))]
        return s


@lru_cache(maxsize=1)
def compiled_shapes() -> tuple[list[Shape], object]:
    """The node shapes of shapes.ttl (those with a target), and the shapes graph's namespace manager."""
    from rdflib import URIRef

    sg = load_shapes()
    c = _Compiler(sg)
    shapes = []
    targets = {URIRef(SH + t) for t in ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode")}
    for node in sorted({s for t in targets for s in sg.subjects(t, None)}, key=str):
        s = c.shape(node)
        if s is not None:
            shapes.append(s)
    return shapes, c.nm


# ---------------------------------------------------------------------------------------- values
_LEXICAL = {
    XSD + "integer": re.compile(r"[+-]?\d+"),
    XSD + "decimal": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    XSD + "boolean": re.compile(r"true|false|1|0"),
    XSD + "date": re.compile(r"-?\d{4,}-\d\d-\d\d(Z|[+-]\d\d:\d\d)?"),
    XSD + "dateTime": re.compile(r"-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?"),
    XSD + "double": re.compile(r"[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF|NaN)|-INF"),
    XSD + "float": re.compile(r"[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF|NaN)|-INF"),
}


def _literal_text(lit, nm) -> str:
    """pySHACL's stringify_literal, for an rdflib Literal."""
    val = None if lit.value is None else str(lit.value)
    lex = str(lit)
    s = f'"{lex}" = {val}' if val is not None and val != lex else f'"{lex}"'
    if lit.language:
        s += f", lang={lit.language}"
    if lit.datatype:
        try:
            dt = lit.datatype.n3(namespace_manager=nm)
        except Exception:
            dt = str(lit.datatype)
        s += f", datatype={dt}"
    return f"Literal({s})"


@lru_cache(maxsize=1)
def _data_nm():
    from rdflib import Graph

    return Graph().namespace_manager


def _node_text(term) -> str:
    """How pySHACL prints a data node in a generic message (the data graph's default prefixes)."""
    from rdflib import Literal, URIRef

    if isinstance(term, ox.NamedNode):
        try:
            return URIRef(term.value).n3(namespace_manager=_data_nm())
        except Exception:
            return term.value
    if isinstance(term, ox.Literal):
        if term.language:
            lit = Literal(term.value, lang=term.language)
        elif term.datatype.value == XSD + "string":
            lit = Literal(term.value)
        else:
            lit = Literal(term.value, datatype=URIRef(term.datatype.value))
        return _literal_text(lit, _data_nm())
    return str(term)


# ---------------------------------------------------------------------------------------- evaluation
_COMPONENT = {"minCount": "MinCountConstraintComponent", "maxCount": "MaxCountConstraintComponent",
              "class": "ClassConstraintComponent", "datatype": "DatatypeConstraintComponent",
              "pattern": "PatternConstraintComponent", "in": "InConstraintComponent",
              "languageIn": "LanguageInConstraintComponent", "minInclusive": "MinInclusiveConstraintComponent",
              "maxInclusive": "MaxInclusiveConstraintComponent", "minExclusive": "MinExclusiveConstraintComponent",
              "maxExclusive": "MaxExclusiveConstraintComponent",
              "lessThanOrEquals": "LessThanOrEqualsConstraintComponent", "lessThan": "LessThanConstraintComponent",
              "or": "OrConstraintComponent", "nodeKind": "NodeKindConstraintComponent",
              "hasValue": "HasValueConstraintComponent", "sparql": "SPARQLConstraintComponent"}
_RANGE = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}


#: pySHACL's generic message per constraint kind ({text}: the constraint's value, {path}: the shape's path,
#: {focus}/{value}: the data nodes as pySHACL prints them, {op}: the comparison)
_MESSAGES = {
    "minCount": "Less than {text} values on {focus}->{path}",
    "maxCount": "More than {text} values on {focus}->{path}",
    "class": "Value does not have class {text}",
    "datatype": "Value is not Literal with datatype {text}",
    "pattern": "Value does not match pattern '{text}'",
    "in": "Value {value} not in list {text}",
    "languageIn": "String language is not in {text}",
    **{k: "Value is not {op} {text}" for k in _RANGE},
    # pySHACL's wording: the operator of the negation (sic)
    "lessThanOrEquals": "Value of {focus}->{text} < {value}",
    "lessThan": "Value of {focus}->{text} <= {value}",
    "nodeKind": "Value is not of Node Kind {text}",
    "or": "Node {value} must conform to one or more shapes in {text}",
    "hasValue": "Node {focus}->{path} does not contain a value in the set: ['{text}']",
}


def _generic_message(c: Constraint, s: Shape, focus, value, other=None) -> str:
    tpl = _MESSAGES.get(c.kind)
    if tpl is None:
        return c.kind
    return tpl.format(text=c.text, path=s.path_text, op=_RANGE.get(c.kind, ""),
                      focus=_node_text(focus) if "{focus}" in tpl else "",
                      value=_node_text(value) if "{value}" in tpl else "")


def _term_str(t) -> str:
    return t.value if isinstance(t, (ox.NamedNode, ox.Literal, ox.BlankNode)) else str(t)


_THIS = re.compile(r"\$this\b")
_PROJECTION = re.compile(r"(?is)(\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?)(.*?)(?=\bWHERE\b|\{)")


def _lit(text: str) -> str:
    """A SPARQL string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


class _Engine:
    """Evaluates the compiled shapes as SPARQL on one Oxigraph store (union of its graphs): every
    query returns only violations, so nothing proportional to the store is decoded into Python.
    ``onto`` (the ontology, when it is not in the store) adds its class hierarchy and typed nodes."""

    def __init__(self, st: ox.Store, onto: ox.Store | None = None, skip_graph: str | None = None) -> None:
        self.st = st
        self.skip_graph = skip_graph
        sup: dict[str, set[str]] = {}
        self.onto_types: dict[str, set] = {}  # class → nodes typed so in the ontology only
        q = f"SELECT ?s ?o WHERE {{ ?s <{RDFS_SUBCLASS}> ?o }}"
        for src in (st, onto):
            if src is None:
                continue
            for r in src.query(q, use_default_graph_as_union=True):
                if isinstance(r["s"], ox.NamedNode) and isinstance(r["o"], ox.NamedNode):
                    sup.setdefault(r["s"].value, set()).add(r["o"].value)
        if onto is not None:
            for r in onto.query(f"SELECT ?s ?t WHERE {{ ?s <{RDF_TYPE}> ?t }}"):
                if isinstance(r["t"], ox.NamedNode):
                    self.onto_types.setdefault(r["t"].value, set()).add(r["s"])
        self._sub: dict[str, set[str]] = {}
        for c in sup:
            seen, todo = set(), [c]
            while todo:
                for p in sup.get(todo.pop(), ()):
                    if p not in seen:
                        seen.add(p)
                        todo.append(p)
            for anc in seen:
                self._sub.setdefault(anc, set()).add(c)
        self._n = 0
        self._focus_sets: dict[str, set] = {}  # focus pattern → its nodes, read when first needed (among_focus)

    def select(self, q: str) -> list:
        return list(self.st.query(q, use_default_graph_as_union=True))

    def classes(self, c: str) -> str:
        return " ".join(f"<{x}>" for x in sorted({c} | self._sub.get(c, set())))

    def var(self) -> str:
        self._n += 1
        return f"?_{self._n}"

    def focus(self, s: Shape) -> str:
        parts = []
        for c in s.target_classes:
            t = self.var()
            parts.append(f"{{ ?f a {t} . VALUES {t} {{ {self.classes(c)} }} }}")
        for p in s.target_subjects_of:
            parts.append(f"{{ ?f <{p}> {self.var()} }}")
        for p in s.target_objects_of:
            parts.append(f"{{ {self.var()} <{p}> ?f }}")
        for n in s.target_nodes:
            parts.append(f"{{ VALUES ?f {{ {n} }} }}")
        return "{ SELECT DISTINCT ?f WHERE { " + " UNION ".join(parts) + " } }"

    def onto_nodes(self, classes: list[str]) -> list:
        out = set()
        for c in classes:
            for sub in {c} | self._sub.get(c, set()):
                out |= self.onto_types.get(sub, set())
        return sorted(out, key=str)

    def ok(self, c: Constraint, v: str) -> str:
        """A SPARQL expression true when value ``v`` satisfies the value constraint ``c``."""
        k = c.kind
        if k == "datatype":
            if c.arg == RDF_LANGSTRING:
                return f'(isLiteral({v}) && lang({v}) != "")'
            e = f'(isLiteral({v}) && lang({v}) = "" && datatype({v}) = <{c.arg}>'
            rx = _LEXICAL.get(c.arg)
            if rx is not None:
                e += f" && REGEX(STR({v}), {_lit('^(?:' + rx.pattern + ')$')})"
            return e + ")"
        if k == "pattern":
            pat, flags = c.arg
            return f"(!isBlank({v}) && REGEX(STR({v}), {_lit(pat)}{', ' + _lit(flags) if flags else ''}))"
        if k == "in":
            return "(" + (" || ".join(f"sameTerm({v}, {t})" for t in c.arg) or "false") + ")"
        if k == "languageIn":
            return f"(isLiteral({v}) && (" + (" || ".join(f"langMatches(lang({v}), {_lit(r)})" for r in c.arg)
                                              or "false") + "))"
        if k in _RANGE:
            return f"COALESCE({v} {_RANGE[k]} {c.arg}, false)"
        if k == "nodeKind":
            kind = c.arg.rsplit("#", 1)[-1]
            tests = [t for name, t in (("IRI", f"isIRI({v})"), ("BlankNode", f"isBlank({v})"),
                                       ("Literal", f"isLiteral({v})")) if name in kind]
            return "(" + (" || ".join(tests) or "false") + ")"
        if k == "class":
            t = self.var()
            extra = self.onto_nodes([c.arg])
            e = f"EXISTS {{ {v} a {t} . VALUES {t} {{ {self.classes(c.arg)} }} }}"
            return f"({e} || {v} IN ({', '.join(map(str, extra))}))" if extra else e
        if k == "or":
            return "(" + " || ".join("(" + (" && ".join(self.ok(mc, v) for mc in m.constraints) or "true") + ")"
                                     for m in c.arg) + ")"
        raise AssertionError(k)

    def plan(self, s: Shape, c: Constraint, F: str) -> tuple[str, str, tuple]:
        """The query for ``c`` (of property shape ``s``, or of the node shape itself when ``s.path`` is
        None) and how to read its rows: ``("direct", q, cols)`` gives violations among the focus nodes
        ``F``; ``("inner", q, cols)`` gives candidates over *all* subjects of the path (a scan of one
        predicate, shared by every shape that has the same constraint on it), whose focus nodes are
        checked afterwards — the candidates are the violations, so there are few."""
        k, p = c.kind, s.path
        if p is None:  # node-level: the value is the focus node
            if k in ("minCount", "maxCount", "hasValue", "lessThanOrEquals", "lessThan"):
                raise ValueError(f"shapes.ttl: sh:{k} needs sh:path")
            return "direct", f"SELECT ?f WHERE {{ {F} FILTER(!{self.ok(c, '?f')}) }}", ("f", "f", None)
        if k == "minCount":
            if c.arg == 1:
                return "direct", f"SELECT ?f WHERE {{ {F} MINUS {{ ?f <{p}> ?_v }} }}", ("f", None, None)
            return "direct", (f"SELECT ?f WHERE {{ {F} OPTIONAL {{ ?f <{p}> ?_v }} }} GROUP BY ?f "
                              f"HAVING (COUNT(DISTINCT ?_v) < {c.arg})"), ("f", None, None)
        if k == "maxCount":
            return "inner", (f"SELECT ?f WHERE {{ ?f <{p}> ?_v }} GROUP BY ?f "
                             f"HAVING (COUNT(DISTINCT ?_v) > {c.arg})"), ("f", None, None)
        if k == "hasValue":
            return "direct", f"SELECT ?f WHERE {{ {F} MINUS {{ ?f <{p}> {c.arg} }} }}", ("f", None, None)
        if k in ("lessThanOrEquals", "lessThan"):
            op = "<=" if k == "lessThanOrEquals" else "<"
            # two sub-selects: the store hash-joins them (a nested lookup per triple is 6× slower)
            return "inner", (f"SELECT DISTINCT ?f ?v ?w WHERE {{ {{ SELECT ?f ?v WHERE {{ ?f <{p}> ?v }} }} "
                             f"{{ SELECT ?f ?w WHERE {{ ?f <{c.arg}> ?w }} }} "
                             f"FILTER(!COALESCE(IF(isIRI(?v) && isIRI(?w), STR(?v) {op} STR(?w), ?v {op} ?w), false)) }}"
                             ), ("f", "v", "w")
        if k == "class" or (k == "or" and all(len(m.constraints) == 1 and m.constraints[0].kind == "class"
                                              for m in c.arg)):
            classes = [c.arg] if k == "class" else [m.constraints[0].arg for m in c.arg]
            vals = " ".join(sorted({x for cl in classes for x in self.classes(cl).split()}))
            extra = self.onto_nodes(classes)
            flt = f"FILTER(?v NOT IN ({', '.join(map(str, extra))}))" if extra else ""
            return "direct", (f"SELECT DISTINCT ?f ?v WHERE {{ {F} {{ SELECT ?f ?v WHERE {{ ?f <{p}> ?v }} }} "
                              f"MINUS {{ ?v a ?_c . VALUES ?_c {{ {vals} }} }} {flt} }}"), ("f", "v", None)
        # a value test: the predicate's triples filtered first, then joined with the focus nodes (a
        # predicate shared by classes with different allowed values, like kg:method, would make every
        # other class's values candidates if the focus check came last)
        return "direct", (f"SELECT DISTINCT ?f ?v WHERE {{ {{ SELECT ?f ?v WHERE {{ ?f <{p}> ?v "
                          f"FILTER(!{self.ok(c, '?v')}) }} }} {F} }}"), ("f", "v", None)

    def among_focus(self, candidates: set, F: str) -> set:
        """The ``candidates`` (of an "inner" check) that are focus nodes ``F``.  Few: the store checks them
        (:meth:`in_focus`, a VALUES join); many — a predicate that other classes use legitimately more often,
        like ``prov:wasDerivedFrom`` on clause alignments (516,437 at 1,000 documents, a join the store did not
        finish in 10 minutes) — the focus nodes are read once per shape and intersected here."""
        if len(candidates) <= IN_FOCUS_VALUES:
            return self.in_focus(sorted(candidates, key=str), F)
        if F not in self._focus_sets:
            self._focus_sets[F] = {r["f"] for r in self.select(f"SELECT ?f WHERE {{ {F} }}")}
        return candidates & self._focus_sets[F]

    def in_focus(self, nodes: list, F: str) -> set:
        if not nodes:
            return set()
        vals = " ".join(str(n) for n in nodes)
        return {r["f"] for r in self.select(f"SELECT ?f WHERE {{ VALUES ?f {{ {vals} }} {F} }}")}

    def sparql(self, s: Shape, F: str, threads: int = 4) -> list[tuple[dict, list[str], str]]:
        """Rows of the shape's SPARQL constraints, ``$this`` pre-bound to each focus node, run on the
        named graph(s) where the focus node is typed (a document's clauses live in its own graph;
        over the union the store cannot plan these self-joins: 1.6 s per document at 1,000)."""
        from concurrent.futures import ThreadPoolExecutor

        graphs: dict = {}
        for r in self.st.query(f"SELECT ?f ?g WHERE {{ {F} GRAPH ?g {{ ?f a ?_t }} }}", use_default_graph_as_union=True):
            graphs.setdefault(r["f"], set()).add(r["g"])
        tasks = []
        for f in sorted(graphs, key=str):
            if not isinstance(f, ox.NamedNode):
                raise ValueError(f"SPARQL constraints are run for IRI focus nodes only, not {f}")
            for i, (select, msgs, sev) in enumerate(s.sparql):
                q = re.sub(r"\$(\w+)", r"?\1", _THIS.sub(f"<{f.value}>", select))
                q = _PROJECTION.sub(lambda m: m.group(1) + (re.sub(r"<[^>]*>", " ", m.group(2)).strip() or "*") + " ",
                                    q, count=1)
                tasks.append((f, i, q, sorted(graphs[f], key=str)))

        def run(task):
            f, i, q, gs = task
            seen, rows = set(), []
            for g in gs:
                res = self.st.query(q, default_graph=g)
                names = [v.value for v in res.variables]
                for r in res:
                    d = {n: r[n] for n in names if r[n] is not None}
                    if d.get("failure") is not None:
                        continue
                    d["this"] = f
                    key = tuple(sorted((k2, str(v)) for k2, v in d.items()))
                    if key not in seen:
                        seen.add(key)
                        rows.append(d)
            return rows

        with ThreadPoolExecutor(threads) as ex:
            return [(d, s.sparql[t[1]][1], s.sparql[t[1]][2]) for t, rows in zip(tasks, ex.map(run, tasks))
                    for d in rows]


#: above this many candidates of an "inner" check, the focus nodes are read and intersected in Python
IN_FOCUS_VALUES = 2000


def _run(engine: _Engine, threads: int = 4, also=None) -> tuple[list[dict], object]:
    """Every constraint of every shape, its queries run on a few threads (the store releases the
    interpreter while it reads; ``also()`` runs beside them); results in shape order, so the report
    does not depend on timing."""
    from concurrent.futures import ThreadPoolExecutor

    shapes, _ = compiled_shapes()
    jobs = []  # (shape for messages, constraint, mode, query, cols, focus pattern)
    for s in shapes:
        F = engine.focus(s)
        for ps in (s, *s.properties):
            for c in ps.constraints:
                mode, q, cols = engine.plan(ps, c, F)
                jobs.append((ps, c, mode, q, cols, F))
    queries = sorted({j[3] for j in jobs})
    with ThreadPoolExecutor(threads) as ex:
        extra = ex.submit(also) if also is not None else None
        sparql_jobs = [ex.submit(engine.sparql, s, engine.focus(s)) for s in shapes if s.sparql]
        rows = dict(zip(queries, ex.map(engine.select, queries)))
        sparql = [j.result() for j in sparql_jobs]
        extra = extra.result() if extra is not None else None
    out: list[dict] = []
    for ps, c, mode, q, (cf, cv, cw), F in jobs:
        found = [(r[cf], r[cv] if cv else None, r[cw] if cw else None) for r in rows[q]]
        if mode == "inner" and found:
            keep = engine.among_focus({f for f, _, _ in found}, F)
            found = [t for t in found if t[0] in keep]
        for f, v, w in found:
            for m in ps.messages or [_generic_message(c, ps, f, v, w)]:
                out.append({"focus": _term_str(f), "path": ps.path, "message": m, "severity": ps.severity,
                            "_component": _COMPONENT[c.kind], "_shape": ps.label, "_value": v})
    for s, results in zip([s for s in shapes if s.sparql], sparql):
        for row, msgs, sev in results:
            for m in msgs or ["SPARQL constraint"]:
                for k, v in row.items():
                    m = re.sub(r"\{[?$]" + re.escape(k) + r"\}", v.value, m)
                out.append({"focus": _term_str(row["this"]), "path": row["path"].value if "path" in row else None,
                            "message": m, "severity": sev, "_component": _COMPONENT["sparql"],
                            "_shape": s.label, "_value": row.get("value", row["this"])})
    return out, extra


def _report(raw: list[dict], triples: int) -> ValidationReport:
    raw.sort(key=lambda v: (v["focus"], v["path"] or "", v["message"] or ""))
    lines = ["Validation Report", f"Conforms: {not raw}"]
    if raw:
        lines.append(f"Results ({len(raw)}):")
        for v in raw:
            lines += [f"Constraint Violation in {v['_component']} (http://www.w3.org/ns/shacl#{v['_component']}):",
                      f"\tSeverity: sh:{v['severity']}", f"\tSource Shape: {v['_shape']}", f"\tFocus Node: {v['focus']}"]
            if v["_value"] is not None:
                lines.append(f"\tValue Node: {_node_text(v['_value'])}")
            if v["path"]:
                lines.append(f"\tResult Path: {v['path']}")
            if v["message"]:
                lines.append(f"\tMessage: {v['message']}")
    violations = [{k: v[k] for k in ("focus", "path", "message", "severity")} for v in raw]
    return ValidationReport(not violations, violations, triples, "\n".join(lines) + "\n")


@lru_cache(maxsize=1)
def _ontology_store() -> ox.Store:
    st = ox.Store()
    st.load(path=str(ONTOLOGY / "policy.ttl"), format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
    return st


def union_triple_count(st: ox.Store, manifest_graph: str) -> int:
    """The distinct triples of the union of the named graphs (the manifest excepted) plus the default graph's:
    what the report counts."""
    q = (f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
         f"FILTER(?g != <{manifest_graph}>) }} }}")
    n = int(next(iter(st.query(q)))["n"].value)
    return n + int(next(iter(st.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)


def validate_store(store) -> ValidationReport:
    """Validate the union of the store's graphs (the manifest excepted) and the ontology."""
    mg = str(store.iris.manifest_graph)

    def run(st):
        return _run(_Engine(st, _ontology_store()), also=lambda: union_triple_count(st, mg))

    if type(store).__name__ == "SparqlStore":  # a server: its quads read once into a local store
        st = ox.Store()
        st.extend([q for q in store.quads()])
        raw, n = run(st)
    else:
        raw, n = store._run(False, run)
    return _report(raw, n)


def validate_graph(data) -> ValidationReport:
    """Validate one rdflib graph, the ontology mixed in (as pySHACL's ``ont_graph``)."""
    st = ox.Store()
    g = ox.NamedNode("urn:kg:data")
    st.extend([ox.Quad(_ox(s), _ox(p), _ox(o), g) for s, p, o in data])
    st.load(path=str(ONTOLOGY / "policy.ttl"), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:kg:ontology"))
    return _report(_run(_Engine(st))[0], len(data))


def validate_graph_pyshacl(data) -> ValidationReport:
    """The same validation by pySHACL (slow: minutes at a hundred documents) — the reference that
    tests/test_validate.py compares the engine above against."""
    from pyshacl import validate

    conforms, report_graph, text = validate(
        data, shacl_graph=load_shapes(), ont_graph=load_ontology(), inference="none",
        advanced=True, allow_warnings=True, abort_on_first=False,
    )
    q = f"""SELECT ?focus ?path ?msg ?sev WHERE {{ ?r a <{SH}ValidationResult> ; <{SH}focusNode> ?focus ;
            <{SH}resultSeverity> ?sev . OPTIONAL {{ ?r <{SH}resultPath> ?path }} OPTIONAL {{ ?r <{SH}resultMessage> ?msg }} }}"""
    violations = [{"focus": str(r.focus), "path": str(r.path) if r.path else None,
                   "message": str(r.msg) if r.msg else None, "severity": str(r.sev).rsplit("#", 1)[-1]}
                  for r in report_graph.query(q)]
    violations.sort(key=lambda v: (v["focus"], v["path"] or "", v["message"] or ""))
    return ValidationReport(bool(conforms), violations, len(data), text)
