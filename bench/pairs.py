"""Where the time of the clause-alignment step goes, per document pair (issue 9): segmenting, aligning,
building the pair graph, serialising it and writing it into a store — and how many quads an alignment costs.

    .venv/bin/python bench/pairs.py STORE [--pairs 40] [--profile]

``STORE``: a built store (e.g. the one ``bench/phases.py`` left).  The pairs are the first ``--pairs`` pair
graphs the store holds (sorted by IRI, so a run is repeatable); they are computed again here, in this process
(no workers), exactly as :func:`kg.lineage.update_lineage` computes them, then written twice into a scratch
store in memory (a first write, then a replacement of the same graphs: the drop of the old graph is what an
incremental build pays).  ``--profile`` adds the functions that took the most time under ``cProfile``.
Nothing is asserted; the store is only read.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--pairs", type=int, default=40)
    ap.add_argument("--profile", action="store_true")
    a = ap.parse_args()
    os.environ["KG_STORE"] = str(a.store)

    from rdflib import URIRef

    from kg.align import align_documents
    from kg.align.core import one_blas_thread
    from kg.align.tokens import remembering
    from kg.lineage import _analyse_clauses, _existing_pair_graphs, align_version, doc_infos, explicit_links, \
        pair_triples
    from kg.query.clauses import alignable_clauses
    from kg.store import GraphStore, nt_lines
    from kg.stores import open_store

    store = open_store()
    graphs = sorted(_existing_pair_graphs(store))[: a.pairs]
    if not graphs:
        sys.exit(f"{a.store}: no pair graph (build it first: bench/phases.py CORPUS {a.store})")
    rows = store.select("SELECT ?g ?l ?s WHERE { VALUES ?g { %s } GRAPH ?g { ?g kg:localDocument ?l ; "
                        "kg:sourceDocument ?s } }" % " ".join(f"<{g}>" for g in graphs), union=False)
    pairs = sorted((r["g"], r["l"], r["s"]) for r in rows)
    docs = doc_infos(store)
    explicit = explicit_links(store)
    clauses = alignable_clauses(store, sorted({x for _, l, s in pairs for x in (l, s)}))
    todo = [(store.iris.base, docs[l], docs[s], clauses.get(l, []), clauses.get(s, []), (l, s) in explicit, None,
             f"{align_version()}|none|{docs[l].version}|{docs[s].version}") for _, l, s in pairs]
    n_lc = sum(len(t[3]) for t in todo) / len(todo)
    n_sc = sum(len(t[4]) for t in todo) / len(todo)
    print(f"{len(todo)} pairs of {a.store} (clauses per pair: {n_lc:.0f} local × {n_sc:.0f} source)")

    prof = cProfile.Profile() if a.profile else None
    t: dict[str, float] = {k: 0.0 for k in ("segment", "align", "triples", "serialise", "write", "replace")}
    alignments = triples = chars = 0
    texts: list[tuple[URIRef, str]] = []
    with remembering(), one_blas_thread():
        if prof:
            prof.enable()
        c = time.process_time()
        _analyse_clauses(todo)
        t["segment"] = time.process_time() - c
        for base, local, source, lc, sc, has_explicit, sim, version in todo:
            c = time.process_time()
            al = align_documents(lc, sc) if lc and sc else []
            c2 = time.process_time()
            g, tr = pair_triples(store.iris, local, source, lc, sc, al, has_explicit, sim, version)
            c3 = time.process_time()
            nt = nt_lines(tr)
            c4 = time.process_time()
            t["align"] += c2 - c
            t["triples"] += c3 - c2
            t["serialise"] += c4 - c3
            alignments += len(al)
            triples += len(tr)
            chars += len(nt)
            texts.append((g, nt))
        scratch = GraphStore(None, store.iris.base)
        c = time.process_time()
        scratch.replace_graphs(texts)
        t["write"] = time.process_time() - c
        c = time.process_time()
        scratch.replace_graphs(texts)
        t["replace"] = time.process_time() - c
        if prof:
            prof.disable()

    n = len(todo)
    total = sum(t.values())
    print(f"{'stage':28s} {'CPU ms / pair':>14s} {'share':>7s}")
    for k, label in (("segment", "segmenting the clauses"), ("align", "aligning (BM25, cosines, SW)"),
                     ("triples", "building the pair graph"), ("serialise", "serialising (N-Triples)"),
                     ("write", "writing into an empty store"), ("replace", "replacing it (drop + write)")):
        print(f"{label:28s} {1000 * t[k] / n:14.1f} {t[k] / total:7.1%}")
    print(f"{'total':28s} {1000 * total / n:14.1f}")
    print(f"alignments per pair {alignments / n:.1f}; triples per pair {triples / n:.0f} "
          f"({triples / max(alignments, 1):.1f} per alignment); N-Triples {chars / n / 1024:.0f} KiB per pair; "
          f"writing {1e6 * t['write'] / max(triples, 1):.1f} µs, replacing {1e6 * t['replace'] / max(triples, 1):.1f} µs "
          f"of CPU per triple")
    if prof:
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(15)
        print(out.getvalue())


if __name__ == "__main__":
    main()
