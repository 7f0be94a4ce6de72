"""Where the time of ``kg validate`` goes (issue 9: "kg validate on 1,000 documents under 1 minute"): the
whole validation timed as the command runs it, then each of its queries alone, one after the other on one
thread (each printed as it ends), then the slowest first.

    .venv/bin/python bench/validate.py STORE [--top 15] [--no-whole]

``STORE``: a built store.  The queries are the ones :func:`kg.validate.validate_store` runs: one per distinct
constraint query of the compiled shapes (``kg/ontology/shapes.ttl``), the SPARQL constraints per focus
node (timed together per shape), and the count of the union's distinct triples that the report prints.
Nothing is asserted; the store is only read.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository, for ``import kg``


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path, help="a built store")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--no-whole", action="store_true", help="only the queries one by one")
    a = ap.parse_args()
    os.environ["KG_STORE"] = str(a.store)

    from kg.stores import open_store
    from kg.validate import _Engine, _ontology_store, compiled_shapes, validate_store, union_triple_count

    store = open_store()
    if not a.no_whole:
        w, c = time.perf_counter(), time.process_time()
        rep = validate_store(store)
        print(f"kg validate as the command runs it: wall {time.perf_counter() - w:.1f} s, "
              f"CPU {time.process_time() - c:.1f} s; {rep.triples:,} triples, {len(rep.violations)} violations")

    def one_by_one(st):
        engine = _Engine(st, _ontology_store())
        shapes, _ = compiled_shapes()
        timed: list[tuple[float, str]] = []
        seen: set[str] = set()
        for s in shapes:
            F = engine.focus(s)
            for ps in (s, *s.properties):
                for con in ps.constraints:
                    mode, q, cols = engine.plan(ps, con, F)
                    w = time.perf_counter()
                    if q in seen:
                        if mode != "inner":
                            continue
                        rows = engine.select(q)  # (validate runs it once; the focus check is per shape)
                        w = time.perf_counter()
                    else:
                        seen.add(q)
                        rows = engine.select(q)
                    n = len(rows)
                    if mode == "inner" and rows:  # the candidates' focus check, as kg.validate._run does it
                        n = len(engine.among_focus({r[cols[0]] for r in rows}, F))
                    timed.append((time.perf_counter() - w, f"{s.label} · {ps.path or '(node)'} · sh:{con.kind} ({n} rows)"))
                    print(f"  {timed[-1][0]:7.2f} s  {timed[-1][1]}", flush=True)
            if s.sparql:
                w = time.perf_counter()
                n = len(engine.sparql(s, F, threads=1))
                timed.append((time.perf_counter() - w, f"{s.label} · sh:sparql per focus node ({n} rows)"))
                print(f"  {timed[-1][0]:7.2f} s  {timed[-1][1]}", flush=True)
        w = time.perf_counter()
        n = union_triple_count(st, str(store.iris.manifest_graph))
        timed.append((time.perf_counter() - w, f"the report's triple count ({n:,})"))
        print(f"  {timed[-1][0]:7.2f} s  {timed[-1][1]}", flush=True)
        return timed

    timed = store._run(False, one_by_one)
    total = sum(t for t, _ in timed)
    print(f"{len(timed)} queries one by one: {total:.1f} s")
    print("| s | share | query |\n|---|---|---|")
    for t, what in sorted(timed, reverse=True)[: a.top]:
        print(f"| {t:.2f} | {t / total:.1%} | {what} |")


if __name__ == "__main__":
    main()
