"""Targets, deadlines, parties and references as ``kg targets|deadlines|parties|refs --json`` print them.

Read from the graph only; field names are those of contract.md (add freely, never rename).  The SELECT
for each kind and the conversion of its rows are derived from the fact schema
(``kg/ontology/fact_schema.yaml``, read by :mod:`kg.fact_schema`), as the graph writer's mapping is.
"""
from __future__ import annotations

from typing import Any, Callable

from .. import fact_schema
from ..fact_schema import Field, Kind
from ..store import GraphStore
from .search import reads

# the document and clause every fact hangs from (the graph's shape, not fields of the fact)
_SHAPE = """
  ?f a %(cls)s ; kg:inDocument ?d ; prov:wasDerivedFrom ?clause .
  ?d kg:documentId ?doc .
  ?clause rdfs:label ?clabel ; eli:id_local ?cid .
"""
_SHAPE_OPTIONAL = """
  OPTIONAL { ?d eli:id_local ?dnum }
  OPTIONAL { ?d eli:has_annex/eli:title ?ptitle }
  OPTIONAL { ?d eli:title ?dtitle }
"""
_SHAPE_VARS = ("f", "doc", "dnum", "ptitle", "dtitle", "clabel", "cid")


def _read(field: Field, v: Any) -> Any:
    """A value as the store returns it → as the JSON has it (by the field's datatype)."""
    if v is None:
        return None
    if field.datatype == "xsd:gYear":
        return int(v) if v else None
    if field.datatype == "xsd:decimal" and field.digits is None:
        return int(v) if float(v).is_integer() else v
    return v


def _single(fields) -> list[Field]:
    """The fields read in the main SELECT (one value per fact)."""
    return [f for f in fields if not f.computed and not f.multi]


def _patterns(fields: list[Field], subject: str = "f", via: str | None = None) -> str:
    """Triple patterns for the fields hanging from ``?subject`` (the fact, or the node of field ``via``);
    a field that is not required is read in an OPTIONAL, with the fields under it."""
    required, optional = _blocks(fields, subject, via)
    return "\n  ".join(required + optional)


def _blocks(fields: list[Field], subject: str = "f", via: str | None = None,
            doc_iri: str | None = None, fact_iris: str | None = None) -> tuple[list[str], list[str]]:
    """(required, optional) pattern blocks of :func:`_patterns`.  The required ones come first: a required
    pattern after an OPTIONAL is a join with everything that predicate says in the whole store (SPARQL's
    algebra: ``Join(LeftJoin(A, O), B)``), one before is a lookup per fact.  Each field has variables of
    its own, so the order does not change the answer.  ``doc_iri`` (one document's facts) or ``fact_iris`` (a
    VALUES list of facts' IRIs) bind the sub-selects below to those facts."""
    required, optional = [], []
    for fd in fields:
        if fd.via != via:
            continue
        if fd.inverse:
            own = f"?{fd.var} a {fd.cls} ; {fd.predicate} ?{subject} ."
        else:
            own = f"?{subject} {fd.predicate} ?{fd.var} ."
        inner_req, inner_opt = _blocks(fields, fd.var, fd.key) if fd.datatype == "iri" else ([], [])
        if fd.required and not fd.inverse and (inner_req or inner_opt):
            # the node's fields (an agency's name and id) as one DISTINCT sub-select joined on the node: every
            # document graph that names the agency states its name again, and the union of the graphs gives
            # each copy — read in line, each fact row was repeated once per copy under every OPTIONAL after it
            # (61 s instead of 5 s for the parties of 200 documents); the DISTINCT rows are the same
            node_vars = " ".join(f"?{v}" for v in [fd.var, *_node_vars(fields, fd.key)])
            # one document: the sub-select reads the nodes its facts point at, not every node of the store
            # (every agent's name in every document graph: 0.7 s for one document's parties at 1,000)
            scope = (f"?_of_doc kg:inDocument <{doc_iri}> ; {fd.predicate} ?{fd.var} ." if doc_iri and subject == "f"
                     else f"VALUES ?_of_doc {{ {fact_iris} }} ?_of_doc {fd.predicate} ?{fd.var} ." if fact_iris
                     and subject == "f" else "")
            required.append(f"{own} {{ SELECT DISTINCT {node_vars} WHERE {{ {' '.join([scope, *inner_req, *inner_opt])} }} }}")
        elif fd.required:  # the node's own optional fields join the fact's optional ones (the node is bound by then)
            required.append(" ".join([own, *inner_req]))
            optional.extend(inner_opt)
        elif fd.inverse and (doc_iri or fact_iris) and subject == "f":
            # a node pointing at the fact (the kg:Link drawn from a reference), for one document: read in a
            # sub-select bound to that document — an OPTIONAL that starts from the node is evaluated on its own
            # and walks every such node of the store (3.6 s instead of 0.08 s for one document at 1,000)
            node_vars = " ".join(f"?{v}" for v in _node_vars(fields, fd.key))
            bind = f"VALUES ?d {{ <{doc_iri}> }} ?f kg:inDocument ?d ." if doc_iri else f"VALUES ?f {{ {fact_iris} }}"
            optional.append(f"OPTIONAL {{ {{ SELECT ?f {node_vars} WHERE {{ {bind} "
                            f"{' '.join([own, *inner_req, *inner_opt])} }} }} }}")
        else:
            optional.append(f"OPTIONAL {{ {' '.join([own, *inner_req, *inner_opt])} }}")
    return required, optional


def _node_vars(fields: list[Field], via: str) -> list[str]:
    """The variables of the fields read from the node of field ``via`` (and from the nodes under it)."""
    out = []
    for fd in fields:
        if fd.via == via:
            out.append(fd.var)
            if fd.datatype == "iri":
                out.extend(_node_vars(fields, fd.key))
    return out


def select(kind: Kind, doc_iri: str | None = None, graph: str | None = None, fact_iris: str | None = None) -> str:
    """The SELECT that reads every fact of ``kind`` (of one document when ``doc_iri`` is given; inside that
    document's named graph when ``graph`` is given: :func:`_doc_graph`; the facts of a VALUES list of IRIs
    ``fact_iris``)."""
    schema = fact_schema.load()
    fields = _single(schema.common) + _single(kind.fields)
    # one document: its IRI bound first, so the store walks that document's facts through its indexes (a
    # FILTER on ?d would read every fact of the store and keep one document's)
    flt = f"VALUES ?d {{ <{doc_iri}> }}" if doc_iri else f"VALUES ?f {{ {fact_iris} }}" if fact_iris else ""
    # a node that points at the fact (the kg:Link drawn from a reference) is matched, not read: selecting it
    # would split one reference into one row per link
    variables = " ".join(f"?{v}" for v in _SHAPE_VARS + tuple(f.var for f in fields if not f.inverse))
    required, optional = _blocks(fields, doc_iri=doc_iri, fact_iris=fact_iris)
    body = (f"  {flt}" + _SHAPE % {"cls": kind.cls} + "  " + "\n  ".join(required)
            + _SHAPE_OPTIONAL + "  " + "\n  ".join(optional))
    return f"SELECT DISTINCT {variables} WHERE {{\n{_in_graph(graph, body)}\n}}"


def _doc_graph(store: GraphStore, kind: Kind, doc_iri: str | None) -> str | None:
    """The named graph one document's facts of ``kind`` are read in, or None (every document's; or a kind
    with a field written into another graph — a reference's kg:Link is in the links graph).  A document's
    facts, its clauses and the names of the agencies it cites are all in its own graph; read inside it, a
    document's targets at 10,000 documents take 48 ms instead of 300 (the union of 10,000 graphs is looked
    up pattern by pattern), with the same rows (tests/test_query_scale.py)."""
    if not doc_iri or any(f.inverse for f in kind.fields):
        return None
    g = store.iris.graph_of_doc(doc_iri)
    return str(g) if g is not None else None


def _set(out: dict, path: tuple[str, ...], v: Any) -> None:
    if len(path) == 1:
        out[path[0]] = v
        return
    head, rest = path[0], path[1:]
    if rest[0].isdigit():
        lst = out.setdefault(head, [])
        i = int(rest[0])
        lst.extend([None] * (i + 1 - len(lst)))
        lst[i] = v
    else:
        _set(out.setdefault(head, {}), rest, v)


def _row(kind: Kind, r: dict, multi: dict[str, dict[str, list]], computed: dict[str, Callable]) -> dict:
    schema = fact_schema.load()
    out: dict[str, Any] = {"doc": r["doc"], "doc_number": r["dnum"], "doc_title": r["ptitle"] or r["dtitle"],
                           "clause": r["clabel"], "clause_id": r["cid"]}
    for fd in schema.common:
        _set(out, fd.path, _read(fd, r[fd.var]))
    out["iri"] = r["f"]
    for fd in kind.fields:
        if fd.hidden:
            continue
        if fd.computed:
            out[fd.key] = computed[fd.key](out, r)
        elif fd.multi:
            out[fd.key] = multi[fd.key].get(r["f"], [])
        else:
            _set(out, fd.path, _read(fd, r[fd.var]))
    return _null_groups(out, kind.fields)


def _null_groups(out: dict, fields: list[Field]) -> dict:
    """A group of fields (baseline) is null when its first field (the value) is."""
    for g in dict.fromkeys(fd.path[0] for fd in fields if len(fd.path) > 1 and not fd.hidden):
        if isinstance(out.get(g), dict) and next(iter(out[g].values())) is None:
            out[g] = None
    return out


def _sort(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda x: (x["doc"], x["span"][0], x["span"][1], x["iri"]))


def _of_doc(doc_iri: str | None, fact_iris: str | None = None) -> str:
    """The pattern that keeps one document's facts, or those of a VALUES list of IRIs (nothing: every fact)."""
    if fact_iris:
        return f"VALUES ?f {{ {fact_iris} }}"
    return f"?f kg:inDocument <{doc_iri}> ." if doc_iri else ""


def _in_graph(graph: str | None, body: str) -> str:
    """``body`` inside one named graph, or as it is (None: the union of the graphs).  (Several documents' graphs
    named in one query — ``GRAPH ?g { VALUES ?g {…} }`` — were no faster at 10,000 documents, 28 ms a document
    in tens against 19 ms one by one, and above fifteen graphs Oxigraph chose a plan that took 9–14 s.)"""
    return f"GRAPH <{graph}> {{ {body} }}" if graph else body


def _multi(store: GraphStore, kind: Kind, fd: Field, doc_iri: str | None = None,
           fact_iris: str | None = None) -> dict[str, list]:
    """A field with several values per fact, by fact IRI (sorted: an RDF set has no order)."""
    got: dict[str, list] = {}
    g = _doc_graph(store, kind, doc_iri)
    body = _in_graph(g, f"{_of_doc(doc_iri, fact_iris)} ?f a {kind.cls} ; {fd.predicate} ?v")
    for r in store.select(f"SELECT DISTINCT ?f ?v WHERE {{ {body} }}"):
        got.setdefault(r["f"], []).append(_read(fd, r["v"]))
    return {k: sorted(v) for k, v in got.items()}


def _evidence(store: GraphStore, kind: Kind, fd: Field, doc_iri: str | None = None,
              fact_iris: str | None = None) -> dict[str, list]:
    """The further places a target is stated (kg:Evidence nodes), by target IRI, in span order."""
    got: dict[str, list] = {}
    g = _doc_graph(store, kind, doc_iri)
    body = _in_graph(g, f"""{_of_doc(doc_iri, fact_iris)}
            ?f a {kind.cls} ; {fd.predicate} ?ev .
            ?ev prov:wasDerivedFrom ?c ; kg:spanStart ?s ; kg:spanEnd ?e ; kg:method ?m ; kg:sentence ?t .
            ?c rdfs:label ?clabel ; eli:id_local ?cid""")
    for r in store.select(f"""SELECT DISTINCT ?f ?ev ?clabel ?cid ?s ?e ?m ?t WHERE {{ {body} }}"""):
        got.setdefault(r["f"], []).append({"clause": r["clabel"], "clause_id": r["cid"], "span": [r["s"], r["e"]],
                                           "text": r["t"], "method": r["m"]})
    return {k: sorted(v, key=lambda x: x["span"]) for k, v in got.items()}


# multi-valued fields whose values are nodes, read by a query of their own
_NODE_READERS = {"sources": _evidence}

# fields the query layer fills in from others (fact_schema.yaml: computed)
_COMPUTED: dict[str, Callable[[dict, dict], Any]] = {
    "citing_doc_number": lambda out, r: out["doc_number"],  # before doc_number becomes the cited one
    "cited_doc_number": lambda out, r: out["doc_number"],
    "external_iri": lambda out, r: r["v_resolved_target"] if r["v_resolved_target"] and not r["v_resolved_doc"] else None,
}


# the fact, its document and its clause, without the labels a fact dict carries (:func:`fields_of`)
_SHAPE_BARE = """
  ?f a %(cls)s ; kg:inDocument ?d ; prov:wasDerivedFrom ?clause .
  ?d kg:documentId ?doc .
"""


def fields_of(kind_name: str, store: GraphStore, keys: tuple[str, ...], doc_iri: str | None = None) -> list[dict]:
    """Some fields of every fact of a kind (of one document when ``doc_iri`` is given): dicts with ``iri``,
    ``doc``, ``span`` and the single-valued fields named in ``keys`` (a group such as ``baseline`` by its
    name), the values as :func:`facts_of` gives them and in its order.  For readers that need a few fields
    of many facts (target linking reads eight of each target's 25): the document and clause labels and
    the other fields are not looked up (measured in bench/RESULTS.md)."""
    schema = fact_schema.load()
    kind = schema.kinds[kind_name]
    wanted = set(keys) | {"span"}
    fields = [f for f in _single(schema.common) + _single(kind.fields)
              if not f.via and not f.inverse and f.datatype != "iri" and f.path[0] in wanted]
    flt = f"VALUES ?d {{ <{doc_iri}> }}" if doc_iri else ""
    required, optional = _blocks(fields)
    variables = " ".join(f"?{v}" for v in ("f", "doc", *(f.var for f in fields)))
    body = _SHAPE_BARE % {"cls": kind.cls} + "  " + "\n  ".join(required + optional)
    if doc_iri:
        g = _doc_graph(store, kind, doc_iri)
        query = f"SELECT DISTINCT {variables} WHERE {{\n  {_in_graph(g, flt + body)}\n}}"
    else:  # every document's: each fact read inside its document's graph (2.6 s against 4.9 s, 1,000 documents)
        query = f"SELECT DISTINCT {variables} WHERE {{ GRAPH ?g {{\n{body}\n}} }}"
    out = []
    for r in store.select(query, union=bool(doc_iri)):
        row: dict[str, Any] = {"doc": r["doc"], "iri": r["f"]}
        for fd in fields:
            _set(row, fd.path, _read(fd, r[fd.var]))
        out.append(_null_groups(row, [fd for fd in fields if fd.path[0] != "span"]))
    return _sort(out)


def facts_of(kind_name: str, store: GraphStore, doc_iri: str | None = None) -> list[dict]:
    kind = fact_schema.load().kinds[kind_name]
    multi = {fd.key: (_NODE_READERS[fd.key] if fd.datatype == "iri" else _multi)(store, kind, fd, doc_iri)
             for fd in kind.fields if fd.multi}
    query = select(kind, doc_iri, _doc_graph(store, kind, doc_iri))
    return _sort([_row(kind, r, multi, _COMPUTED) for r in store.select(query)])


def facts_by_iri(kind_name: str, store: GraphStore, iris) -> list[dict]:
    """:func:`facts_of` of the facts of a kind with these IRIs (any documents'), in its order (every kind:
    tests/test_query_scale.py): what the target links of one document need of the targets on their other side —
    at 1,000 documents 77 targets of twelve documents in 68 ms, against 385 ms for those documents' targets one
    document a query."""
    kind = fact_schema.load().kinds[kind_name]
    iris = sorted(set(iris))
    out: list[dict] = []
    for k in range(0, len(iris), 100):
        values = " ".join(f"<{x}>" for x in iris[k:k + 100])
        multi = {fd.key: (_NODE_READERS[fd.key] if fd.datatype == "iri" else _multi)(store, kind, fd, fact_iris=values)
                 for fd in kind.fields if fd.multi}
        out += [_row(kind, r, multi, _COMPUTED) for r in store.select(select(kind, fact_iris=values))]
    return _sort(out)


@reads
def targets(store: GraphStore, doc_iri: str | None = None) -> list[dict]:
    return facts_of("targets", store, doc_iri)


@reads
def deadlines(store: GraphStore, doc_iri: str | None = None) -> list[dict]:
    return facts_of("deadlines", store, doc_iri)


@reads
def parties(store: GraphStore, doc_iri: str | None = None) -> list[dict]:
    return facts_of("parties", store, doc_iri)


@reads
def refs(store: GraphStore, doc_iri: str | None = None) -> list[dict]:
    # contract: for a reference, doc_number is the cited 文号 (the citing one is citing_doc_number)
    return facts_of("refs", store, doc_iri)
