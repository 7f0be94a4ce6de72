"""One changed document, rebuilt by a process that stays up (issue 9: "one changed document rebuilt in under
2 s"): what a resident builder would reach, and where its time goes.

    .venv/bin/python bench/warm.py CORPUS STORE [--edits 5] [--profile]

``CORPUS``/``STORE``: a built corpus and its store (``bench/phases.py CORPUS STORE`` makes them).  In one
process the store is opened once; then ``--edits`` times a line is appended to one document (a different line
each time; the file is restored at the end) and :func:`kg.build.build` runs on the corpus with
:func:`kg.lineage.update_derived` after it — what ``kg build CORPUS`` does, without the process start-up, the
imports and the first load of the segmenter and the patterns (paid by a first, untimed-as-warm edit).
Each edit's wall and CPU time is printed; ``--profile`` profiles the last edit and prints the
functions that took the most time, cumulatively.  Nothing is asserted.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("store", type=Path)
    ap.add_argument("--edits", type=int, default=5)
    ap.add_argument("--profile", action="store_true")
    a = ap.parse_args()
    os.environ["KG_STORE"] = str(a.store)

    from kg.build import build
    from kg.lineage import update_derived
    from kg.stores import open_store

    files = sorted(p for p in a.corpus.iterdir() if p.is_file())
    if not files:
        sys.exit(f"{a.corpus}: no document")
    victim = files[len(files) // 2]
    original = victim.read_bytes()
    store = open_store()
    print(f"{len(files)} documents; the edited one: {victim.name}")
    walls, cpus = [], []
    try:
        for i in range(a.edits + 1):
            victim.write_bytes(original + f"\n（{i + 1}）本条为基准测试追加的第{i + 1}行。\n".encode())
            prof = cProfile.Profile() if a.profile and i == a.edits else None
            w, c = time.perf_counter(), time.process_time()
            if prof:
                prof.enable()
            results = build(store, [a.corpus], workers=1, after_docs=update_derived)
            if prof:
                prof.disable()
            w, c = time.perf_counter() - w, time.process_time() - c
            changed = sum(1 for r in results if r.status not in ("unchanged", "skipped"))
            label = "first (loads)" if i == 0 else f"warm {i}"
            print(f"{label:14s} wall {w:6.2f} s   CPU {c:6.2f} s   files rebuilt {changed}", flush=True)
            if i:
                walls.append(w)
                cpus.append(c)
            if prof:
                out = io.StringIO()
                pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(40)
                print(out.getvalue())
    finally:
        victim.write_bytes(original)
    if walls:
        print(f"warm median: wall {statistics.median(walls):.2f} s, CPU {statistics.median(cpus):.2f} s "
              f"({len(walls)} edits); peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print("(the store keeps the last edit's version until the next build of the restored file)")


if __name__ == "__main__":
    main()
