"""Benchmark: pipeline stages, build, queries, export and peak memory. Prints figures; asserts nothing.

    .venv/bin/python bench/run.py [--copies N]

The corpus is corpus/ plus N generated variants of each seed (numbers and agency names changed,
so every file is distinct and goes through the whole pipeline).
"""
from __future__ import annotations

import argparse
import random
import re
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def generate(out: Path, copies: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    files = []
    for src in sorted((ROOT / "corpus").glob("*.txt")):
        text = src.read_text(encoding="utf-8")
        files.append(out / src.name)
        shutil.copy(src, files[-1])
        for k in range(copies):
            variant = re.sub(r"(?<![\d〔])(\d{2,4})(?=万|个|%|Mbps|架)", lambda m: str(int(m.group(1)) + rng.randint(1, 9)), text)
            variant = variant.replace("上海市", rng.choice(["上海市", "浙江省", "广东省"]))
            p = out / f"{src.stem}-v{k}.txt"
            p.write_text(variant, encoding="utf-8")
            files.append(p)
    return files


def timed(fn, *a, **kw):
    t = time.perf_counter()
    r = fn(*a, **kw)
    return r, time.perf_counter() - t


def _lineage_latency(store, repeat: int = 5) -> None:
    """Median and worst of the lineage query layer in a warm process (the seed plan and the notice)."""
    from kg.query.ask import ask
    from kg.query.compare import compare
    from kg.query.docs import find_doc
    from kg.query.lineage import lineage
    from kg.query.search import search

    local = find_doc(store, "2026-hu-tongxinguanfa-5-wuzhihulian-iot-action-plan")["iri"]
    source = find_doc(store, "2024-gongxinting-tongxin-52-mobile-iot-notice")["iri"]
    cases = (("kg lineage", lambda: lineage(store, local)), ("kg compare", lambda: compare(store, local, source)),
             ("kg ask", lambda: ask(store, "物智沪联行动计划落实了哪些国家文件？哪一条对应国家文件的哪一条？")),
             ("kg search", lambda: search(store, "物联网终端连接数")))
    for name, fn in cases:
        fn()  # warm
        ts = sorted(timed(fn)[1] for _ in range(repeat))
        print(f"{name} (warm): median {statistics.median(ts) * 1000:.0f} ms, max {ts[-1] * 1000:.0f} ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=3)
    args = ap.parse_args()
    from kg.build import build
    from kg.export import export
    from kg.lineage import update_derived
    from kg.links import update_links
    from kg.pipeline import process_file
    from kg.query import facts as fq
    from kg.query.docs import list_docs
    from kg.store import GraphStore

    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        files = generate(tmp / "corpus", args.copies) if (tmp / "corpus").mkdir() is None else []
        chars = sum(len(f.read_text(encoding="utf-8")) for f in files)
        print(f"corpus: {len(files)} files, {chars:,} characters")
        _, warm = timed(process_file, files[0])
        print(f"first document (loads gazetteer, jieba, spaCy): {warm:.2f} s")
        per_doc = []
        for f in files:
            _, t = timed(process_file, f)
            per_doc.append(t)
        print(f"pipeline per document: median {statistics.median(per_doc) * 1000:.0f} ms, "
              f"max {max(per_doc) * 1000:.0f} ms, {chars / sum(per_doc):,.0f} chars/s")
        store = GraphStore(tmp / "store", "https://policykg.example/")
        _, t = timed(build, store, [tmp / "corpus"], after_docs=update_links)
        print(f"cold build of {len(files)} files: {t:.2f} s ({t / len(files) * 1000:.0f} ms/file)")
        stats, t = timed(update_derived, store)
        print(f"derived graphs (links, {stats['pairs']} lineage pairs aligned, {stats['target_links']} target links): {t:.2f} s")
        _, t = timed(build, store, [tmp / "corpus"], after_docs=update_derived)
        print(f"incremental build, nothing changed (derived graphs checked, none recomputed): {t:.2f} s")
        _lineage_latency(store)
        for name, fn in (("kg docs", lambda: list_docs(store)), ("kg targets (all)", lambda: fq.targets(store)),
                         ("kg refs (all)", lambda: fq.refs(store))):
            rows, t = timed(fn)
            print(f"{name}: {len(rows)} rows in {t * 1000:.0f} ms")
        data, t = timed(export, store, "nq")
        print(f"export nq: {len(data.splitlines()):,} quads in {t:.2f} s")
        _, t = timed(export, store, "turtle")
        print(f"export turtle: {t:.2f} s")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS: {peak:.0f} MiB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
