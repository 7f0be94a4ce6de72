"""Extraction start-up: a fresh interpreter, from its start to the first document extracted (issue 9).

    .venv/bin/python bench/startup.py [FILE] [--runs 3] [--cold] [--profile]

Each run is a new ``python -c`` child that imports the pipeline and runs ``process_file(FILE)`` (default:
the corpus's 物智沪联 plan); its wall time and CPU time (user + sys, from ``RUSAGE_CHILDREN``) are
printed, then the best and the median.  The file cache is warm (a first, unrecorded run warms it and the
prepared-dictionary cache).  ``--cold`` adds one run with an empty ``KG_CACHE_DIR`` (the prepared
jieba dictionary, ruler trie and gazetteer rebuilt and written).  ``--profile`` prints the top of
``-X importtime`` (cumulative, by module) and a phase breakdown measured inside one child.
Nothing is asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DEFAULT = ROOT / "corpus" / "2026-hu-tongxinguanfa-5-wuzhihulian-iot-action-plan.txt"
_RUN = ("import sys; from kg.pipeline import process_file; d = process_file(sys.argv[1]); "
        "print(sum(len(v) for v in d.facts.values()), 'torch' in sys.modules, "
        "getattr(sys.modules.get('spacy.cli'), '__file__', None) is not None)")
_PHASES = r"""
import sys, time, json
t0 = time.process_time(); w0 = time.perf_counter()
out = {}
def mark(name):
    out[name] = (round(time.perf_counter() - w0, 3), round(time.process_time() - t0, 3))
import kg.pipeline; mark("import kg.pipeline")
from kg.gazetteer import default_gazetteer; default_gazetteer(); mark("gazetteer")
from kg.extract.nlp import pipeline_segmenter, get_nlp; pipeline_segmenter(); mark("jieba dictionary (parts read as needed)")
get_nlp(); mark("spaCy pipeline + ruler trie")
kg.pipeline.process_file(sys.argv[1]); mark("first document")
print(json.dumps(out))
"""


def child(args: list[str], env: dict | None = None) -> tuple[float, float, str, str]:
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run(args, capture_output=True, text=True, env={**os.environ, **(env or {})}, cwd=ROOT)
    wall = time.perf_counter() - t
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        raise RuntimeError(f"{args[:3]} failed ({p.returncode}): {p.stderr[-2000:]}")
    return wall, (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime), p.stdout, p.stderr


def importtime(file: str, top: int = 15) -> None:
    _, _, _, err = child([PY, "-X", "importtime", "-c", _RUN, file])
    rows = []
    for line in err.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, self_us, cum_us, name = [x.strip() for x in line[len("import time:"):].split("|", 1)[0:1]
                                    + line[len("import time:"):].split("|")]
        depth = len(name) - len(name.lstrip())
        rows.append((int(cum_us), int(self_us), depth, name.strip()))
    print(f"\n-X importtime, top {top} by cumulative time (µs, nested imports included):")
    for cum, self_, depth, name in sorted(rows, reverse=True)[:top]:
        print(f"  {cum / 1e6:6.3f} s  (self {self_ / 1e6:5.3f})  {name}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file", nargs="?", default=str(DEFAULT))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cold", action="store_true", help="one more run with an empty prepared-dictionary cache")
    ap.add_argument("--profile", action="store_true", help="-X importtime and a phase breakdown")
    args = ap.parse_args()
    print(f"file: {args.file} ({len(Path(args.file).read_text(encoding='utf-8')):,} characters); "
          f"load average {os.getloadavg()[0]:.1f}")
    child([PY, "-c", _RUN, args.file])  # warm the file cache and the prepared-dictionary cache
    runs = []
    for i in range(args.runs):
        wall, cpu, out, _ = child([PY, "-c", _RUN, args.file])
        facts, torch, cli = out.split()
        runs.append((wall, cpu))
        print(f"run {i + 1}: wall {wall:.2f} s, CPU {cpu:.2f} s  ({facts} facts; torch imported: {torch}; "
              f"spacy.cli imported: {cli})")
    print(f"start-up to first document, warm: wall best {min(r[0] for r in runs):.2f} s / median "
          f"{statistics.median(r[0] for r in runs):.2f} s; CPU best {min(r[1] for r in runs):.2f} s / median "
          f"{statistics.median(r[1] for r in runs):.2f} s")
    if args.cold:
        cold = tempfile.mkdtemp(prefix="kg-startup-cache-")
        try:
            wall, cpu, _, _ = child([PY, "-c", _RUN, args.file], env={"KG_CACHE_DIR": cold})
            print(f"cold prepared-dictionary cache (built and written): wall {wall:.2f} s, CPU {cpu:.2f} s")
        finally:
            shutil.rmtree(cold, ignore_errors=True)
    if args.profile:
        _, _, out, _ = child([PY, "-c", _PHASES, args.file])
        prev = (0.0, 0.0)
        print("\nphases in one child (wall / CPU, seconds since the first line of the script):")
        for name, (w, c) in json.loads(out).items():
            print(f"  {name:32s} +{w - prev[0]:.2f} / +{c - prev[1]:.2f}   (at {w:.2f} / {c:.2f})")
            prev = (w, c)
        importtime(args.file)


if __name__ == "__main__":
    main()
