"""Where the time of the documents phase goes, stage by stage, against jieba's own segmentation of the same
text (issue 9: "whole-pipeline build throughput at least 40 % of jieba's").

    .venv/bin/python bench/stages.py CORPUS [--docs 30]

The first ``--docs`` files of ``CORPUS`` (sorted) go through :func:`kg.build.prepare` — the whole per-file
work of a build: read, clean, reflow, zones, metadata, clause tree, the spaCy pipeline (jieba tokenizer,
gazetteer ruler, the four extractor components), the fact layer, the triples and their N-Triples — in this
process, after one file has loaded everything, under ``cProfile``.  Each stage's cumulative time is printed
with its share and its throughput; then jieba (``jieba.lcut``, its default dictionary, a fresh tokenizer) on
the same cleaned texts, and the ratio.  The profiler's overhead inflates the Python-heavy stages (about 1.5×),
so the shares are the figures to read; the last line gives the same work timed without it.
Nothing is asserted.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: (label, module path suffix, function name): cumulative time of every call of that function
STAGES = [
    ("read (bytes → text)", "kg/read.py", "read_bytes"),
    ("clean", "kg/clean.py", "clean"),
    ("reflow", "kg/extract/reflow.py", "reflow"),
    ("zones (layout)", "kg/extract/layout.py", "find_zones"),
    ("metadata", "kg/extract/metadata.py", "read_metadata"),
    ("clause tree", "kg/extract/structure.py", "segment"),
    ("fact layer, all (below)", "kg/facts.py", "extract_facts"),
    ("  jieba tokenizer (spaCy)", "kg/extract/nlp.py", "__call__"),
    ("  deadlines extractor", "kg/extract/deadlines.py", "extract_deadlines"),
    ("  targets extractor", "kg/extract/targets.py", "extract_targets"),
    ("  parties extractor", "kg/extract/parties.py", "extract_parties"),
    ("  references extractor", "kg/extract/references.py", "extract_references"),
    ("triples (graph)", "kg/graph.py", "doc_triples"),
    ("N-Triples text", "kg/store.py", "nt_lines"),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--docs", type=int, default=30)
    a = ap.parse_args()

    from kg.build import prepare
    from kg.config import Settings

    base = Settings.load().base_iri
    files = sorted(p for p in a.corpus.iterdir() if p.is_file())[: a.docs + 1]
    if len(files) < 2:
        sys.exit(f"{a.corpus}: fewer than two documents")
    data = [(str(p), p.name, p.read_bytes()) for p in files]
    w = time.perf_counter()
    prepare(*data[0], base)  # loads the patterns, the segmenter, the gazetteer ruler
    print(f"first file (loads everything): {time.perf_counter() - w:.2f} s")
    data = data[1:]

    w = time.perf_counter()
    plain = [prepare(k, n, b, base) for k, n, b in data]
    plain_s = time.perf_counter() - w
    chars = sum(p.chars for p in plain)
    prof = cProfile.Profile()
    prof.enable()
    for k, n, b in data:
        prepare(k, n, b, base)
    prof.disable()
    st = pstats.Stats(prof)
    total = sum(v[2] for v in st.stats.values())  # every function's own time: the profiled whole
    rows = []
    for label, path, name in STAGES:
        ct = 0.0
        for (file, _line, fn), (_cc, _nc, _tt, cum, _callers) in st.stats.items():
            if fn == name and file.replace("\\", "/").endswith(path):
                ct += cum
        rows.append((label, ct))

    from kg.read import read_bytes
    from kg.clean import clean

    texts = [clean(read_bytes(b, name=n, path=k)).text for k, n, b in data]
    import jieba

    tk = jieba.Tokenizer()
    tk.initialize()
    w = time.perf_counter()
    for t in texts:
        tk.lcut(t)
    jieba_s = time.perf_counter() - w

    print(f"{len(data)} documents, {chars:,} characters of cleaned text; profiled whole {total:.2f} s")
    print(f"| stage | s (profiled) | share | characters/s |\n|---|---|---|---|")
    for label, ct in rows:
        print(f"| {label} | {ct:.2f} | {ct / total:.1%} | {chars / ct if ct else 0:,.0f} |")
    print(f"| jieba.lcut alone, same text (not profiled) | {jieba_s:.2f} | — | {chars / jieba_s:,.0f} |")
    print(f"without the profiler: the per-file work {plain_s:.2f} s = {chars / plain_s:,.0f} characters/s, "
          f"{jieba_s / plain_s:.3f} of jieba's throughput (one process, store writes and start-up excluded)")


if __name__ == "__main__":
    main()
