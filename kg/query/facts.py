"""Targets, deadlines, parties and references as ``kg targets|deadlines|parties|refs --json`` print them.

Read from the graph only; field names are those of contract.md (add freely, never rename).
"""
from __future__ import annotations

from ..store import GraphStore

_COMMON = """
  ?f a %(cls)s ; kg:inDocument ?d ; prov:wasDerivedFrom ?clause ; kg:spanStart ?s ; kg:spanEnd ?e ;
     kg:method ?method ; kg:confidence ?conf .
  ?d kg:documentId ?doc .
  ?clause rdfs:label ?clabel ; eli:id_local ?cid .
  OPTIONAL { ?d eli:id_local ?dnum }
  OPTIONAL { ?d eli:has_annex/eli:title ?ptitle }
  OPTIONAL { ?d eli:title ?dtitle }
  OPTIONAL { ?f kg:sentence ?text }
  OPTIONAL { ?f kg:surface ?surface }
  %(filter)s
"""

_COMMON_VARS = "?f ?doc ?dnum ?ptitle ?dtitle ?clabel ?cid ?s ?e ?method ?conf ?text ?surface"


def _q(cls: str, extra_vars: str, extra: str, doc_iri: str | None) -> str:
    flt = f"FILTER (?d = <{doc_iri}>)" if doc_iri else ""
    return (f"SELECT DISTINCT {_COMMON_VARS} {extra_vars} WHERE {{"
            + _COMMON % {"cls": cls, "filter": flt} + extra + "}")


def _base(r: dict) -> dict:
    return {
        "doc": r["doc"], "doc_number": r["dnum"], "doc_title": r["ptitle"] or r["dtitle"],
        "clause": r["clabel"], "clause_id": r["cid"], "text": r["text"], "span": [r["s"], r["e"]],
        "method": r["method"], "confidence": r["conf"], "surface": r["surface"], "iri": r["f"],
    }


def _num(v):
    if v is None:
        return None
    return int(v) if float(v).is_integer() else v


def _sort(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda x: (x["doc"], x["span"][0], x["span"][1], x["iri"]))


def targets(store: GraphStore, doc_iri: str | None = None) -> list[dict]:
    extra = """
      OPTIONAL { ?f kg:metric ?metric } OPTIONAL { ?f kg:numericValue ?value } OPTIONAL { ?f kg:numericValueHigh ?vhigh }
      OPTIONAL { ?f kg:unit ?unit } OPTIONAL { ?f kg:comparator ?cmp } OPTIONAL { ?f kg:factKind ?kind }
      OPTIONAL { ?f kg:ambition ?amb } OPTIONAL { ?f kg:change ?change } OPTIONAL { ?f kg:scope ?scope }
      OPTIONAL { ?f kg:per ?per } OPTIONAL { ?f kg:recurrence ?rec } OPTIONAL { ?f kg:deadline ?dl }
      OPTIONAL { ?f kg:deadlineYear ?dly } OPTIONAL { ?f kg:deadlineSource ?dls }
      OPTIONAL { ?f kg:baselineValue ?bv } OPTIONAL { ?f kg:baselineYear ?by } OPTIONAL { ?f kg:category ?cat }
    """
    rows = store.select(_q("kg:Target", "?metric ?value ?vhigh ?unit ?cmp ?kind ?amb ?change ?scope ?per ?rec ?dl ?dly ?dls ?bv ?by ?cat",
                           extra, doc_iri))
    parties: dict[str, list[str]] = {}
    for r in store.select("SELECT DISTINCT ?f ?p WHERE { ?f a kg:Target ; kg:responsibleParty ?p }"):
        parties.setdefault(r["f"], []).append(r["p"])
    sources: dict[str, list[dict]] = {}
    for r in store.select("""SELECT DISTINCT ?f ?ev ?clabel ?cid ?s ?e ?m ?t WHERE { ?f a kg:Target ; kg:evidence ?ev .
            ?ev prov:wasDerivedFrom ?c ; kg:spanStart ?s ; kg:spanEnd ?e ; kg:method ?m ; kg:sentence ?t .
            ?c rdfs:label ?clabel ; eli:id_local ?cid }"""):
        sources.setdefault(r["f"], []).append({"clause": r["clabel"], "clause_id": r["cid"], "span": [r["s"], r["e"]],
                                               "text": r["t"], "method": r["m"]})
    out = []
    for r in rows:
        f = _base(r)
        f.update({
            "metric": r["metric"], "value": _num(r["value"]), "value_high": _num(r["vhigh"]), "unit": r["unit"],
            "comparator": r["cmp"], "kind": r["kind"], "level_of_ambition": r["amb"], "change": r["change"],
            "scope": r["scope"], "per": r["per"], "recurring": r["rec"], "deadline": r["dl"],
            "deadline_year": int(r["dly"]) if r["dly"] else None, "deadline_source": r["dls"],
            "baseline": {"value": _num(r["bv"]), "year": int(r["by"]) if r["by"] else None} if r["bv"] is not None else None,
            "category": r["cat"], "parties": sorted(parties.get(r["f"], [])),
            "sources": sorted(sources.get(r["f"], []), key=lambda x: x["span"]),
        })
        out.append(f)
    return _sort(out)


def deadlines(store: GraphStore, doc_iri: str | None = None) -> list[dict]:
    extra = """
      OPTIONAL { ?f kg:factKind ?kind } OPTIONAL { ?f kg:dateStart ?ds } OPTIONAL { ?f kg:dateEnd ?de }
      OPTIONAL { ?f kg:deadlineYear ?y } OPTIONAL { ?f kg:qualifier ?qual } OPTIONAL { ?f kg:anchor ?anchor }
      OPTIONAL { ?f kg:cue ?cue } OPTIONAL { ?f kg:recurrence ?rec }
    """
    out = []
    for r in store.select(_q("kg:Deadline", "?kind ?ds ?de ?y ?qual ?anchor ?cue ?rec", extra, doc_iri)):
        f = _base(r)
        f.update({"start": r["ds"], "end": r["de"], "kind": r["kind"], "year": int(r["y"]) if r["y"] else None,
                  "qualifier": r["qual"], "anchor": r["anchor"], "cue": r["cue"], "recurrence": r["rec"]})
        out.append(f)
    return _sort(out)


def parties(store: GraphStore, doc_iri: str | None = None) -> list[dict]:
    extra = """
      ?f kg:agent ?agent ; kg:role ?role ; kg:partyType ?ptype . ?agent skos:prefLabel ?party .
      OPTIONAL { ?agent kg:agencyId ?aid }
    """
    out = []
    for r in store.select(_q("kg:PartyRole", "?agent ?role ?ptype ?party ?aid", extra, doc_iri)):
        f = _base(r)
        f.update({"party": r["party"], "party_type": r["ptype"], "role": r["role"], "party_iri": r["agent"],
                  "party_id": r["aid"]})
        out.append(f)
    return _sort(out)


def refs(store: GraphStore, doc_iri: str | None = None) -> list[dict]:
    extra = """
      ?f kg:relation ?rel ; kg:refKind ?rkind .
      OPTIONAL { ?f kg:citedTitle ?title } OPTIONAL { ?f kg:citedNumber ?num } OPTIONAL { ?f kg:citedIssuer ?issuer }
      OPTIONAL { ?f kg:cue ?cue }
      OPTIONAL { ?f kg:resolvedTo ?target . OPTIONAL { ?target kg:documentId ?rid } }
      OPTIONAL { ?link a kg:Link ; prov:wasDerivedFrom ?f ; kg:method ?lmethod ; kg:confidence ?lconf }
    """
    out = []
    for r in store.select(_q("kg:Reference", "?rel ?rkind ?title ?num ?issuer ?cue ?target ?rid ?lmethod ?lconf", extra, doc_iri)):
        f = _base(r)
        f["citing_doc_number"] = f["doc_number"]
        f.update({
            # contract: for a reference, doc_number is the cited 文号 (the citing one is citing_doc_number)
            "title": r["title"], "doc_number": r["num"], "cited_doc_number": r["num"], "relation": r["rel"], "cue": r["cue"],
            "ref_kind": r["rkind"], "issuer": r["issuer"], "resolved_doc": r["rid"],
            "external_iri": r["target"] if r["target"] and not r["rid"] else None,
            "link_method": r["lmethod"], "link_confidence": r["lconf"],
        })
        out.append(f)
    return _sort(out)
