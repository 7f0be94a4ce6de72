"""Benchmark: one big file — time and peak memory for 1, 5, 10 and 50 MB. Prints figures; asserts nothing.

    .venv/bin/python bench/big.py [--sizes 1,5,10,50] [--raised] [--unstructured LINES]

Each size is a generated text: the seed documents of corpus/ concatenated until the size is
reached (numbered clauses, tables, footnotes — a "yearbook in one file").  Every measurement runs
``kg build`` on a fresh scratch store in a child process, so the peak RSS (``ru_maxrss``) is the
build's own, interpreter and spaCy included.  A size above the limit (``KG_MAX_FILE_MB``, default
10 MB) must be refused at once; ``--raised`` measures it again with the limit raised (careful: a
build needs about 0.5 GB per MB, see README "Size limits").  Results: bench/RESULTS.md, "Big input".
``--unstructured N`` adds a file of N lines with no numbering at all.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_structured(path: Path, mb: float, seed: int = 7) -> Path:
    """The corpus seeds concatenated (numbers varied a little, so the copies are not identical)
    until the file has ``mb`` megabytes of UTF-8."""
    import re

    rng = random.Random(seed)
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    target = int(mb * 1024 * 1024)
    size = 0
    k = 0
    with path.open("w", encoding="utf-8") as f:
        while size < target:
            text = seeds[k % len(seeds)]
            if k >= len(seeds):
                text = re.sub(r"(?<![\d〔])(\d{2,4})(?=万|个|%|Mbps|架)",
                              lambda m: str(int(m.group(1)) + rng.randint(1, 9)), text)
            chunk = text.rstrip("\n") + "\n\n"
            n = len(chunk.encode("utf-8"))
            if size and size + n > target:
                break  # never above the size asked for (a file of exactly the limit is accepted)
            f.write(chunk)
            size += n
            k += 1
    return path


def make_unstructured(path: Path, lines: int, seed: int = 11) -> Path:
    """``lines`` short lines of Chinese prose with no numbering, headings or tables (the first phrase of
    sentences taken from the seeds, markers removed): one clause of the whole file."""
    import re

    rng = random.Random(seed)
    sents: list[str] = []
    for p in sorted((ROOT / "corpus").glob("*.txt")):
        for s in re.split(r"(?<=。)", p.read_text(encoding="utf-8")):
            s = re.sub(r"^[\s（(]*[一二三四五六七八九十\d①-⑳]+[、．.）)]\s*", "", s.strip().replace("\t", " "))
            s = s.replace("\n", "")
            if len(s) >= 12 and "。" in s:
                sents.append(s)
    with path.open("w", encoding="utf-8") as f:
        f.write("关于推进信息基础设施建设的若干意见\n")
        for _ in range(lines):
            f.write("据悉，" + rng.choice(sents).split("，")[0].rstrip("。") + "。\n")  # no line starts with a marker
    return path


def _child(path: str, max_mb: str | None) -> None:
    """Run in a child process: build one file into a fresh store, print JSON."""
    from kg.build import build
    from kg.lineage import update_derived
    from kg.store import GraphStore

    if max_mb:
        os.environ["KG_MAX_FILE_MB"] = max_mb
    events: list[float] = []
    with tempfile.TemporaryDirectory(prefix="kg-big-") as d:
        store = GraphStore(Path(d) / "store", "https://policykg.example/")
        t0 = time.perf_counter()
        ru0 = resource.getrusage(resource.RUSAGE_SELF)
        cpu0 = ru0.ru_utime + ru0.ru_stime
        res = build(store, [path], after_docs=update_derived,
                    on_progress=lambda done, total, f: events.append(time.perf_counter() - t0))
        dt = time.perf_counter() - t0
    r = res[0]
    ru = resource.getrusage(resource.RUSAGE_SELF)
    peak_mb = ru.ru_maxrss / 1024
    print(json.dumps({"status": r.status, "reason": r.reason, "clauses": r.clauses, "seconds": round(dt, 2),
                      "cpu_s": round(ru.ru_utime + ru.ru_stime - cpu0, 1),
                      "peak_rss_mb": round(peak_mb), "progress_events": len(events),
                      "first_refusal_s": round(dt, 3) if r.status == "failed" else None}, ensure_ascii=False))


def measure(path: Path, max_mb: str | None = None, timeout: float | None = None) -> dict:
    cmd = [sys.executable, __file__, "--child", str(path)] + (["--max-mb", max_mb] if max_mb else [])
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "seconds": timeout}
    if p.returncode != 0:
        return {"status": "crashed", "stderr": p.stderr[-2000:]}
    return json.loads(p.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--child")
    ap.add_argument("--max-mb")
    ap.add_argument("--sizes", default="1,5,10,50")
    ap.add_argument("--raised", action="store_true", help="also build the sizes above the limit with the limit raised")
    ap.add_argument("--unstructured", type=int, default=0, help="also a file of N unnumbered lines")
    ap.add_argument("--timeout", type=float, default=1800)
    a = ap.parse_args()
    if a.child:
        _child(a.child, a.max_mb)
        return
    with tempfile.TemporaryDirectory(prefix="kg-bigin-") as d:
        rows = []
        for mb in [float(x) for x in a.sizes.split(",")]:
            f = make_structured(Path(d) / f"big-{mb:g}mb.txt", mb)
            r = measure(f, timeout=a.timeout)
            rows.append((f"{mb:g} MB structured", r))
            print(f"{mb:>5g} MB  {json.dumps(r, ensure_ascii=False)}", flush=True)
            if a.raised and r.get("status") == "failed":
                r2 = measure(f, max_mb=str(int(mb) + 10), timeout=a.timeout)
                rows.append((f"{mb:g} MB structured, limit raised", r2))
                print(f"{mb:>5g} MB (limit raised)  {json.dumps(r2, ensure_ascii=False)}", flush=True)
            f.unlink()
        if a.unstructured:
            f = make_unstructured(Path(d) / "flat.txt", a.unstructured)
            size = f.stat().st_size / 1024 / 1024
            r = measure(f, timeout=a.timeout)
            print(f"{a.unstructured} lines unstructured ({size:.1f} MB)  {json.dumps(r, ensure_ascii=False)}", flush=True)


if __name__ == "__main__":
    main()
