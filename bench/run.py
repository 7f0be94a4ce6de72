"""Benchmark: pipeline stages, build, queries, export and peak memory. Prints figures; asserts nothing.

    .venv/bin/python bench/run.py [--copies N]                 # seed section only (as before)
    .venv/bin/python bench/run.py --docs 100 1000 [--seed 7]   # plus the scale table (issue 9)
    .venv/bin/python bench/run.py --skip-seeds --docs 100      # scale table only
    .venv/bin/python bench/run.py --skip-seeds --query-store STORE [STORE …]   # query latencies of built stores

Seed section: corpus/ plus N generated variants of each seed (numbers and agency names changed,
so every file is distinct and goes through the whole pipeline).

Scale section (``--docs``): for each size, ``bench/generate.py`` writes that many documents (fixed
seed) and the figures are taken in one run on that text: jieba's raw segmentation throughput
(default dictionary, initialised before timing, single process) and the whole build's throughput
(read, clean, structure, extraction, graph, store, links, lineage and target links) with their
ratio; process start-up to the first extracted document (a fresh interpreter, disk cache warm and
cold); peak memory of the build process; time of one ``kg build`` CLI invocation after one document
changed; store size on disk; median and 95th-percentile latency of lineage, compare, ask, targets
and a SPARQL property-path query in a warm process; CLI start-up of a query command.  Builds run
in child processes so their peak memory is their own.  Nothing is asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
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


def seed_section(args) -> None:
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




# ---------------------------------------------------------------------------- scale (issue 9)
PY = sys.executable
_CLI = "import sys; from kg.cli import main; sys.argv = ['kg'] + sys.argv[1:]; sys.exit(main())"
_PATH_QUERY = """SELECT DISTINCT ?up WHERE {{ <{doc}> (eli:applies|eli:based_on|eli:cites)+ ?up }}"""


def _child(args: list[str], env: dict | None = None, input_: str | None = None,
           timeout: float | None = None) -> tuple[float, float, str]:
    """Run a child; (wall seconds, its CPU seconds, stdout).  At ``timeout`` it is killed and what it
    printed so far is returned (wall = the timeout)."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    try:
        p = subprocess.run(args, capture_output=True, text=True, env={**os.environ, **(env or {})}, input=input_,
                           timeout=timeout)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        return time.perf_counter() - t, float("nan"), out
    wall = time.perf_counter() - t
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        raise RuntimeError(f"{args[:4]} failed ({p.returncode}): {p.stderr[-2000:]}")
    return wall, (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime), p.stdout


def jieba_throughput(files: list[Path]) -> tuple[int, float]:
    """(characters, seconds) of jieba's raw segmentation (default dictionary, HMM on, one process)."""
    import jieba

    jieba.setLogLevel(60)
    tok = jieba.Tokenizer()
    tok.initialize()
    texts = [f.read_text(encoding="utf-8") for f in files]
    t = time.perf_counter()
    for text in texts:
        tok.lcut(text)
    return sum(map(len, texts)), time.perf_counter() - t


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _children(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/task/{p}/children", encoding="ascii") as f:
                kids = [int(x) for x in f.read().split()]
        except (OSError, ValueError):
            kids = []
        out.extend(kids)
        todo.extend(kids)
    return out


class PhasePeaks:
    """Peak resident memory per phase of a build (documents, explicit links, lineage, target links), of this
    process (the writer), of its largest child (a build worker, an alignment worker: forked from the writer)
    and of all of them together: a thread samples ``/proc/PID/status`` (VmRSS) every 0.2 s (Linux; elsewhere
    nothing is recorded).  :meth:`enter` starts a phase; :meth:`wrap` makes a function start one."""

    def __init__(self) -> None:
        import threading

        self.phase = "start"  # before the build: imports, jieba's throughput
        self.peaks: dict[str, dict[str, float]] = {}
        self._stop = threading.Event()
        self._on = os.path.exists(f"/proc/{os.getpid()}/status")
        if self._on:
            threading.Thread(target=self._run, daemon=True).start()

    def _sample(self) -> None:
        me = _rss_kib(os.getpid())
        kids = [_rss_kib(k) for k in _children(os.getpid())]
        p = self.peaks.setdefault(self.phase, {"writer_mib": 0.0, "worker_mib": 0.0, "all_mib": 0.0})
        p["writer_mib"] = max(p["writer_mib"], me / 1024)
        p["worker_mib"] = max(p["worker_mib"], max(kids, default=0) / 1024)
        p["all_mib"] = max(p["all_mib"], (me + sum(kids)) / 1024)

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self._sample()

    def enter(self, phase: str) -> None:
        if self._on:
            self._sample()
        self.phase = phase

    def wrap(self, module, name: str, phase: str) -> None:
        fn = getattr(module, name)

        def wrapped(*a, **k):
            self.enter(phase)
            return fn(*a, **k)

        setattr(module, name, wrapped)

    def stop(self) -> dict[str, dict[str, float]]:
        self.enter("end")
        self._stop.set()
        self.peaks.pop("end", None)
        return {k: {x: round(y) for x, y in v.items()} for k, v in self.peaks.items()}


def _build_worker(corpus: str, store_path: str, derived_graphs: bool = True, measure_jieba: bool = True) -> None:
    """Child: the whole build of ``corpus`` into a store; prints JSON figures.  Without
    ``derived_graphs`` only the explicit links are derived (no lineage alignment, no target links)."""
    t0 = time.perf_counter()
    import kg.lineage
    import kg.links
    from kg.build import build
    from kg.lineage import update_derived
    from kg.store import GraphStore

    peaks = PhasePeaks()  # the derived step calls these through the modules: each starts a phase
    peaks.wrap(kg.links, "update_links", "links")
    peaks.wrap(kg.lineage, "update_lineage", "lineage")
    peaks.wrap(kg.lineage, "update_target_links", "target links")
    files = sorted(Path(corpus).glob("*.txt"))
    chars, jt = jieba_throughput(files) if measure_jieba else (sum(len(f.read_text(encoding="utf-8")) for f in files), 0.0)
    derived = {}
    derive = update_derived if derived_graphs else (lambda st: {"links": kg.links.update_links(st)})

    def after(store):
        t = time.perf_counter()
        print(json.dumps({"partial": True, "files": len(files), "chars": chars, "jieba_s": jt,
                          "docs_phase_s": t - t_build, "import_s": t_build - t0,
                          "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), flush=True)
        res = derive(store)
        derived.update(res if isinstance(res, dict) else {})
        derived["seconds"] = time.perf_counter() - t

    store = GraphStore(store_path, "https://policykg.example/")
    peaks.enter("docs")
    t = t_build = time.perf_counter()
    done = {"chars": 0}
    sizes = {str(f): len(f.read_text(encoding="utf-8")) for f in files}

    def on_file(n, total, path):  # progress, so a build stopped at the time cap still has a throughput
        done["chars"] += sizes.get(str(path), 0)
        if n % 50 == 0:
            print(json.dumps({"partial": True, "progress": True, "files": len(files), "files_done": n, "chars": chars,
                              "chars_done": done["chars"], "jieba_s": jt, "elapsed_s": time.perf_counter() - t_build,
                              "import_s": t_build - t0,
                              "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), flush=True)

    res = build(store, [corpus], after_docs=after, on_file=on_file)
    bt = time.perf_counter() - t
    ok = sum(1 for r in res if getattr(r, "status", "") not in ("error", "failed"))
    print(json.dumps({"files": len(files), "chars": chars, "jieba_s": jt, "build_s": bt, "ok": ok,
                      "docs_phase_s": bt - (derived.get("seconds") or 0),
                      "derived_s": derived.get("seconds"), "pairs": derived.get("pairs"),
                      "import_s": t - t0, "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "phase_peaks": peaks.stop(), "cpu_s": time.process_time()}))


def _startup_worker(path: str) -> None:
    """Child: import the pipeline and extract one document; prints seconds since interpreter start."""
    from kg.pipeline import process_file

    doc = process_file(path)
    print(json.dumps({"facts": sum(len(v) for v in doc.facts.values()), "torch": "torch" in sys.modules,
                      "spacy": "spacy" in sys.modules}))


def _du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _pct(ts: list[float], q: float) -> float:
    ts = sorted(ts)
    return ts[min(len(ts) - 1, max(0, int(round(q * (len(ts) - 1)))))]


def query_latency(store_path: Path, repeat: int, budget_s: float = 60.0) -> dict[str, tuple[float, float, int]]:
    """name → (median s, p95 s, samples), warm process, over ``repeat`` district/city documents.  The first
    call of each query (on another document) is left out: it fills the process's per-store-state caches
    (the document list, the link graph, ``ask``'s index of names and facts) — its time is ``first …``."""
    from kg.query import facts as fq
    from kg.query.ask import ask
    from kg.query.compare import compare
    from kg.query.docs import find_doc, list_docs
    from kg.query.lineage import chain_up, lineage
    from kg.store import GraphStore

    store = GraphStore(store_path, "https://policykg.example/")
    t0 = time.perf_counter()
    docs = list_docs(store)
    first = {"list_docs": time.perf_counter() - t0}
    local = [d for d in docs if d.get("level") in ("county", "prefectural")] or docs
    rng = random.Random(3)
    picks = [rng.choice(local) for _ in range(repeat)]
    pairs = []
    for d in picks:
        up = [u for u in chain_up(store, d["iri"]) if u.get("doc")]
        pairs.append((d, up[0]["iri"] if up else docs[0]["iri"]))
    title = lambda d: (d.get("title") or d.get("id") or "")  # noqa: E731
    cases = {
        "find_doc": lambda d, up: find_doc(store, d["id"]),
        "lineage": lambda d, up: lineage(store, d["iri"]),
        "compare": lambda d, up: compare(store, d["iri"], up),
        "ask": lambda d, up: ask(store, f"{title(d)}落实了哪些上级文件？"),
        "targets": lambda d, up: fq.targets(store, d["iri"]),
        "sparql path": lambda d, up: store.select(_PATH_QUERY.format(doc=d["iri"])),
    }
    out = {}
    for name, fn in cases.items():
        t = time.perf_counter()
        fn(*pairs[-1])  # warm (another document than the first sample)
        first[name] = time.perf_counter() - t
        ts, cs = [], []
        for d, up in pairs:
            t, c = time.perf_counter(), time.process_time()
            fn(d, up)
            ts.append(time.perf_counter() - t)
            cs.append(time.process_time() - c)
            if sum(ts) > budget_s and len(ts) >= 3:  # a slow query: fewer samples (their number is shown)
                break
        # wall median, p95, samples; CPU median, p95 (the machine may be shared: CPU is the steadier figure)
        out[name] = (statistics.median(ts), _pct(ts, 0.95), len(ts), statistics.median(cs), _pct(cs, 0.95))
    out["first"] = first
    return out


def scale_section(n: int, seed: int, repeat: int, tmp: Path, timeout: float | None = None,
                  derived: bool = True) -> dict:
    from generate import generate as gen_docs  # bench/generate.py

    corpus, store = tmp / f"gen-{n}", tmp / f"store-{n}"
    files = gen_docs(corpus, n, seed)
    r: dict = {"n": n}
    # start-up: a fresh interpreter extracting one document, with the prepared cache cold and warm
    one = str(files[len(files) // 2])
    cold = tempfile.mkdtemp(prefix="kg-bench-cache-")
    r["startup_cold"] = _child([PY, __file__, "_startup", one], env={"KG_CACHE_DIR": cold})[:2]
    shutil.rmtree(cold, ignore_errors=True)
    r["startup_warm"] = min((_child([PY, __file__, "_startup", one])[:2] for _ in range(3)), key=lambda x: x[0])
    _, _, outp = _child([PY, "-c", "import sys; from kg.pipeline import process_file; process_file(sys.argv[1]);"
                         "print('torch' in sys.modules)", one])
    r["torch_in_extract"] = outp.strip()
    flags = [] if derived else ["--no-derived"]
    r["derived_graphs"] = derived
    wall, cpu, outp = _child([PY, __file__, "_build", str(corpus), str(store), *flags], timeout=timeout)
    b = json.loads(outp.strip().splitlines()[-1])
    r.update(b)
    r["build_wall"], r["build_cpu_total"] = wall, cpu
    r["store_bytes"] = _du(store)
    if b.get("progress"):  # killed at the time cap during the documents phase: its rate so far
        r["docs_phase_partial"] = (b["files_done"], b["chars_done"], b["elapsed_s"])
        r["build_s"] = None
        r["timed_out_after_s"] = wall
        return r
    if b.get("partial"):  # killed at the time cap while computing the derived graphs
        r["build_s"] = None
        r["timed_out_after_s"] = wall
        return r
    # one changed document, one CLI invocation
    f = files[len(files) // 3]
    f.write_text(f.read_text(encoding="utf-8").rstrip("\n") + "\n（本文件已于次年修订。）\n", encoding="utf-8")
    if derived:  # one CLI invocation, as a user runs it (recomputes the derived graphs that changed)
        r["rebuild_one"] = _child([PY, "-c", _CLI, "build", str(corpus), "--json"], env={"KG_STORE": str(store)})[:2]
    else:  # one fresh process: start-up, re-extract the changed file, explicit links
        r["rebuild_one"] = _child([PY, __file__, "_build", str(corpus), str(store), "--no-derived", "--no-jieba"])[:2]
    r["cli_query"] = min((_child([PY, "-c", _CLI, "docs", "--json"], env={"KG_STORE": str(store)})[:2]
                         for _ in range(3)), key=lambda x: x[0])
    r["latency"] = query_latency(store, repeat)
    r["first_showing"] = first_showing(store, repeat)
    return r


def print_scale(rows: list[dict]) -> None:
    def ms(x):
        return f"{x * 1000:.0f} ms"

    print("\n## Scale (issue 9)\n")
    print("| figure | " + " | ".join(f"{r['n']:,} docs" for r in rows) + " |")
    print("|---|" + "---|" * len(rows))
    lines = [
        ("characters", lambda r: f"{r['chars']:,}"),
        ("jieba raw segmentation (chars/s)", lambda r: f"{r['chars'] / r['jieba_s']:,.0f}"),
        ("whole build, wall (s)", lambda r: f"{r['build_s']:.1f}"),
        ("  of which derived graphs: links, lineage, target links (s)", lambda r: f"{r['derived_s'] or 0:.1f}"),
        ("whole build throughput (chars/s)", lambda r: f"{r['chars'] / r['build_s']:,.0f}"),
        ("**build / jieba ratio**", lambda r: f"**{r['jieba_s'] / r['build_s']:.3f}**"),
        ("start-up to first document, warm cache (wall / CPU s)", lambda r: "{:.2f} / {:.2f}".format(*r["startup_warm"])),
        ("start-up to first document, cold cache (wall / CPU s)", lambda r: "{:.2f} / {:.2f}".format(*r["startup_cold"])),
        ("torch imported by extraction", lambda r: r["torch_in_extract"]),
        ("peak RSS of the build process (MiB)", lambda r: f"{r['peak_rss_mib']:.0f}"),
        *[(f"  peak RSS, {ph}: writer / largest worker / all processes (MiB)",
           lambda r, ph=ph: "{writer_mib} / {worker_mib} / {all_mib}".format(**r["phase_peaks"][ph])
           if ph in (r.get("phase_peaks") or {}) else "—")
          for ph in ("docs", "links", "lineage", "target links")],
        ("derived graphs computed (lineage, target links)", lambda r: "yes" if r.get("derived_graphs", True) else "no: explicit links only"),
        ("`kg build` after one document changed (wall / CPU s)", lambda r: "{:.2f} / {:.2f}".format(*r["rebuild_one"])),
        ("store size on disk (MiB)", lambda r: f"{r['store_bytes'] / 2**20:.1f}"),
        ("`kg docs --json` CLI start-up + query (wall / CPU s)", lambda r: "{:.2f} / {:.2f}".format(*r["cli_query"])),
    ]
    for name in ("lineage", "compare", "ask", "targets", "sparql path", "find_doc"):
        lines.append((f"{name} median / p95 (warm; samples)",
                      lambda r, name=name: f"{ms(r['latency'][name][0])} / {ms(r['latency'][name][1])} ({r['latency'][name][2]})"))
        lines.append((f"  {name} CPU median / p95",
                      lambda r, name=name: f"{ms(r['latency'][name][3])} / {ms(r['latency'][name][4])}"))
    for name, what in (("cold", "nothing kept"), ("kept", "tables kept on disk")):
        lines.append((f"lineage of a document not yet shown in the process, {what}: median / p95 (CPU median / p95)",
                      lambda r, name=name: "{} / {} ({} / {})".format(
                          *(ms(x) for x in (lambda v: (v[0], v[1], v[3], v[4]))(r["first_showing"][name])))))
    lines.append(("first call in the process: list_docs / lineage / ask (fills the caches)",
                  lambda r: " / ".join(ms(r["latency"]["first"][k]) for k in ("list_docs", "lineage", "ask"))))
    def cell(fn, r):
        try:
            return fn(r)
        except (KeyError, TypeError, ZeroDivisionError):
            return "—"

    lines[2:2] = [("documents phase: read … extraction … store, wall (s)", lambda r: f"{r['docs_phase_s']:.1f}"),
                  ("documents phase throughput (chars/s)", lambda r: f"{r['chars'] / r['docs_phase_s']:,.0f}"),
                  ("**documents phase / jieba ratio**", lambda r: f"**{r['jieba_s'] / r['docs_phase_s']:.3f}**")]
    for name, fn in lines:
        print(f"| {name} | " + " | ".join(cell(fn, r) for r in rows) + " |")
    for r in rows:
        if r.get("docs_phase_partial"):
            n_done, c_done, el = r["docs_phase_partial"]
            print(f"\n{r['n']:,} documents: the build was stopped at the {r['timed_out_after_s']:.0f} s cap during the "
                  f"documents phase, after {n_done} files ({c_done:,} characters) in {el:.0f} s: {c_done / el:,.0f} chars/s, "
                  f"ratio to jieba {(c_done / el) / (r['chars'] / r['jieba_s']):.3f}.")
        elif r.get("timed_out_after_s"):
            print(f"\n{r['n']:,} documents: the build was stopped at the {r['timed_out_after_s']:.0f} s cap while "
                  "computing the derived graphs (lineage); the documents-phase figures are complete.")


def _first_showing_worker(store_path: str, n: int) -> None:
    """In a new process: the lineage of ``n`` documents this process has not shown (county and prefecture plans,
    a fixed sample), after one lineage of another document has loaded the state's link graph.  Prints JSON
    ``{"wall": [...], "cpu": [...]}`` (seconds per document)."""
    from kg.query.docs import list_docs
    from kg.query.lineage import lineage
    from kg.store import GraphStore

    store = GraphStore(store_path, "https://policykg.example/")
    docs = list_docs(store)
    local = sorted((d for d in docs if d.get("level") in ("county", "prefectural")), key=lambda d: d["id"]) or docs
    picks = random.Random(11).sample(local, min(n + 1, len(local)))
    lineage(store, picks[0]["iri"])  # the link graph of the state (loaded or built), not measured
    wall, cpu = [], []
    for d in picks[1:]:
        t, c = time.perf_counter(), time.process_time()
        lineage(store, d["iri"])
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    print(json.dumps({"wall": wall, "cpu": cpu}))


def first_showing(store: Path, n: int) -> dict:
    """``lineage`` of documents a process shows for the first time, in two new processes on one fresh cache
    directory: ``cold`` — nothing of those documents kept yet (the first showing after a build changed them);
    ``kept`` — the tables of their documents and pairs kept on disk by the first (kg/query/kept.py): every later
    process, and every document a build did not change."""
    cache = tempfile.mkdtemp(prefix="kg-bench-first-")
    try:
        out = {}
        for name in ("cold", "kept"):
            got = json.loads(_child([PY, __file__, "_first", str(store), str(n)],
                                    env={"KG_CACHE_DIR": cache})[2].strip().splitlines()[-1])
            out[name] = (statistics.median(got["wall"]), _pct(got["wall"], 0.95), len(got["wall"]),
                         statistics.median(got["cpu"]), _pct(got["cpu"], 0.95))
        return out
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def query_store_section(store: Path, repeat: int) -> dict:
    """Query figures of a store built beforehand (``kg build``): CLI start-up + ``kg docs --json``, and the
    warm latencies of :func:`query_latency`."""
    from kg.store import GraphStore

    st = GraphStore(store, "https://policykg.example/")
    r: dict = {"n": len(st.manifest()), "store": str(store), "store_bytes": _du(store)}
    r["cli_query"] = min((_child([PY, "-c", _CLI, "docs", "--json"], env={"KG_STORE": str(store)})[:2]
                         for _ in range(3)), key=lambda x: x[0])
    r["latency"] = query_latency(store, repeat)
    r["first_showing"] = first_showing(store, repeat)
    return r


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = int(Path("/proc/meminfo").read_text().split()[1]) / 2**20
    except OSError:
        mem = 0
    load = os.getloadavg()
    return (f"{os.cpu_count()} CPUs ({cpu}), {mem:.1f} GiB RAM, Python {sys.version.split()[0]}, "
            f"load average at start {load[0]:.1f}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_build":
        return _build_worker(sys.argv[2], sys.argv[3], "--no-derived" not in sys.argv, "--no-jieba" not in sys.argv)
    if len(sys.argv) > 1 and sys.argv[1] == "_startup":
        return _startup_worker(sys.argv[2])
    if len(sys.argv) > 1 and sys.argv[1] == "_first":
        return _first_showing_worker(sys.argv[2], int(sys.argv[3]))
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=3)
    ap.add_argument("--docs", type=int, nargs="*", default=[], help="scale table at these corpus sizes")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=20, help="query samples per figure")
    ap.add_argument("--skip-seeds", action="store_true")
    ap.add_argument("--no-derived", action="store_true",
                    help="build without lineage alignment and target links (explicit links only)")
    ap.add_argument("--timeout", type=float, help="seconds allowed for each build (then: documents phase only)")
    ap.add_argument("--json", type=Path, help="also write the scale figures as JSON here")
    ap.add_argument("--query-store", type=Path, nargs="*", default=[],
                    help="stores built beforehand (kg build): their query figures only")
    ap.add_argument("--keep", action="store_true",
                    help="keep the generated corpora and stores of --docs (their folder is printed)")
    args = ap.parse_args()
    print(f"machine: {machine()}")
    if not args.skip_seeds:
        seed_section(args)
    if args.query_store:
        rows = []
        for st in args.query_store:
            rows.append(query_store_section(st, args.repeat))
            print(f"[{st} done]", file=sys.stderr, flush=True)
            if args.json:
                args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1))
        print_scale(rows)
    if args.docs:
        tmp = Path(tempfile.mkdtemp(prefix="kg-bench-scale-"))
        rows = []
        try:
            for n in args.docs:
                rows.append(scale_section(n, args.seed, args.repeat, tmp, args.timeout, not args.no_derived))
                print(f"[{n} documents done]", file=sys.stderr, flush=True)
                if args.json:
                    args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1))
        finally:
            if args.keep:
                print(f"[corpora and stores kept in {tmp}]", file=sys.stderr, flush=True)
            else:
                shutil.rmtree(tmp, ignore_errors=True)
        print_scale(rows)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
