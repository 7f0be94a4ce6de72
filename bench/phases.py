"""A whole build, phase by phase: wall time, CPU of this process (the writer) and of its children (extraction
workers, aligners, segmenters), and peak memory (issue 9).

    .venv/bin/python bench/phases.py CORPUS STORE [--workers N]

``CORPUS``: a folder of documents (e.g. ``bench/generate.py /tmp/b1k -n 1000`` writes one); ``STORE``: the store
to build (an empty folder for a whole build; an existing one measures an incremental build).  The phases are the
ones ``kg build`` runs, called one by one: the documents (:func:`kg.build.build`), the explicit links
(:func:`kg.links.update_links`), the documents' metadata (:func:`kg.lineage.doc_infos`), clause lineage
(:func:`kg.lineage.update_lineage`, without an embedding model) and target links
(:func:`kg.lineage.update_target_links`), as :func:`kg.lineage.update_derived` runs them.  A line is
printed as each phase ends, and the lineage step's stages as they go, so a long build shows where it is.
Nothing is asserted.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _cpu() -> tuple[float, float]:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("store", type=Path)
    ap.add_argument("--workers", type=int, help="extraction and alignment processes (default: every core)")
    a = ap.parse_args()
    os.environ["KG_STORE"] = str(a.store)

    from kg.build import build
    from kg.links import update_links
    from kg.lineage import LineageCache, doc_infos, update_lineage, update_target_links
    from kg.stores import open_store

    rows: list[tuple[str, float, float, float]] = []

    def phase(name: str, fn):
        w, (me, kids) = time.perf_counter(), _cpu()
        out = fn()
        me2, kids2 = _cpu()
        rows.append((name, time.perf_counter() - w, me2 - me, kids2 - kids))
        print(f"{name:16s} wall {rows[-1][1]:8.1f} s   writer CPU {rows[-1][2]:8.1f} s   children CPU {rows[-1][3]:8.1f} s",
              flush=True)
        return out

    shown: dict[str, int] = {}

    def stage(done: int, total: int, name: str) -> None:
        name = name.split("：", 1)[0]
        step = 10 * done // total if total else -1
        if shown.get(name) != step:
            shown[name] = step
            print(f"  {time.strftime('%H:%M:%S')} {name} {done:,}/{total:,}" if total else f"  {name}", flush=True)

    store = open_store()
    start = time.perf_counter()
    results = phase("documents", lambda: build(store, [a.corpus], workers=a.workers))
    cache = LineageCache(store)
    phase("explicit links", lambda: update_links(store, cache.graphs))
    docs = phase("document list", lambda: doc_infos(store))
    stats = phase("lineage", lambda: update_lineage(store, cache=cache, docs=docs, workers=a.workers, progress=stage))
    n = phase("target links", lambda: update_target_links(store, cache, docs))
    wall = time.perf_counter() - start
    me, kids = _cpu()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    size = sum(f.stat().st_size for f in a.store.rglob("*") if f.is_file()) / 2**30
    print()
    print("| phase | wall | writer CPU | children CPU |")
    print("|---|---|---|---|")
    for name, w, c1, c2 in rows:
        print(f"| {name} | {w:,.1f} s | {c1:,.1f} s | {c2:,.1f} s |")
    print(f"| **whole** | **{wall:,.1f} s** | {me:,.1f} s | {kids:,.1f} s |")
    print()
    print(f"{len(results):,} documents; lineage {stats}; target links {n}; peak RSS: writer {peak:,.0f} MiB, "
          f"largest child {peak_kids:,.0f} MiB; store {size:.2f} GiB; {os.cpu_count()} CPUs, "
          f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
