"""Two documents side by side (``kg compare A B --json``): aligned clause pairs with a character diff,
and the clauses of each side that have no counterpart.

When the build already aligned the pair (a lineage pair graph, in either direction), those alignments are
used — with their review states; otherwise the two documents are aligned now with the same engine
(:func:`kg.align.align_documents`), the lower-level (or later) document as the local side.  Either way
the result depends only on the two documents.
"""
from __future__ import annotations

from ..store import GraphStore
from .clauses import alignable_clauses
from .docs import list_docs
from .lineage import LEVEL_RANK, clause_alignments, review_states
from .search import reads


def _stored(store: GraphStore, local: str, source: str, reviews: dict, docs: dict) -> list[dict]:
    return [a for a in clause_alignments(store, local, [source], reviews=reviews, docs=docs) if a["rank"] == 1]


def _computed(store: GraphStore, local: str, source: str, docs: dict) -> list[dict]:
    from ..align import align_documents

    clauses = alignable_clauses(store, local).get(local, []), alignable_clauses(store, source).get(source, [])
    if not clauses[0] or not clauses[1]:
        return []
    text = {c.key: c for c in clauses[0] + clauses[1]}
    out = []
    for a in align_documents(clauses[0], clauses[1]):
        if a.rank != 1:
            continue
        lc, sc = text[a.local_key], text[a.source_key]
        out.append({"local_clause": lc.label, "local_text": lc.text, "local_clause_iri": lc.key,
                    "source_clause": sc.label, "source_text": sc.text, "source_clause_iri": sc.key,
                    "score": a.score, "method": a.method, "shared": a.shared, "review": "unreviewed",
                    "iri": None, "rank": 1})
    return out


@reads
def compare(store: GraphStore, a_iri: str, b_iri: str, *, min_score: float = 0.0) -> dict:
    """Aligned pairs (``a_clause``, ``a_text``, ``b_clause``, ``b_text``, ``score``, ``diff``), ``only_a``, ``only_b``."""
    from ..align import char_diff

    docs = {d["iri"]: d for d in list_docs(store)}
    for x in (a_iri, b_iri):
        if x not in docs:
            from ..errors import DocumentNotFound

            raise DocumentNotFound(f"存储中没有文件 {x}")
    reviews = review_states(store)
    # which side is local: a stored pair in either direction, else the lower level, else b is the source
    stored_ab = _stored(store, a_iri, b_iri, reviews, docs)
    stored_ba = [] if stored_ab else _stored(store, b_iri, a_iri, reviews, docs)
    if stored_ab or stored_ba:
        a_local = bool(stored_ab)
        rows, source = (stored_ab or stored_ba), "stored"
    else:
        ra = LEVEL_RANK.get(docs[a_iri]["level"] or "", 9)
        rb = LEVEL_RANK.get(docs[b_iri]["level"] or "", 9)
        a_local = ra >= rb
        local, src = (a_iri, b_iri) if a_local else (b_iri, a_iri)
        rows, source = _computed(store, local, src, docs), "computed"
    pairs = []
    for r in rows:
        if r["score"] < min_score or r["review"] == "rejected":
            continue
        a_side = ("local", "source") if a_local else ("source", "local")
        a_label, a_text = r[f"{a_side[0]}_clause"], r[f"{a_side[0]}_text"]
        b_label, b_text = r[f"{a_side[1]}_clause"], r[f"{a_side[1]}_text"]
        pairs.append({
            "a_clause": a_label, "a_text": a_text, "b_clause": b_label, "b_text": b_text,
            "score": r["score"], "diff": char_diff(a_text, b_text), "method": r["method"],
            "shared": r.get("shared"), "review": r["review"], "iri": r.get("iri"),
            "a_clause_id": r.get(f"{a_side[0]}_clause_id"), "b_clause_id": r.get(f"{a_side[1]}_clause_id"),
            "a_clause_iri": r[f"{a_side[0]}_clause_iri"], "b_clause_iri": r[f"{a_side[1]}_clause_iri"],
        })
    all_a = alignable_clauses(store, a_iri).get(a_iri, [])
    all_b = alignable_clauses(store, b_iri).get(b_iri, [])
    used_a = {p["a_clause_iri"] for p in pairs}
    used_b = {p["b_clause_iri"] for p in pairs}
    order_a = {c.key: i for i, c in enumerate(all_a)}
    pairs.sort(key=lambda p: (order_a.get(p["a_clause_iri"], 1 << 30), -p["score"], p["b_clause"]))
    return {
        "a": _short(docs[a_iri]), "b": _short(docs[b_iri]), "source": source,
        "pairs": pairs,
        "only_a": [{"clause": c.label, "text": c.text} for c in all_a if c.key not in used_a],
        "only_b": [{"clause": c.label, "text": c.text} for c in all_b if c.key not in used_b],
    }


def _short(d: dict) -> dict:
    return {"id": d["id"], "iri": d["iri"], "title": d["title"], "doc_number": d["doc_number"], "level": d["level"]}
