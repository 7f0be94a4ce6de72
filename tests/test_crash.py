"""Crash safety: ``kill -9`` a real ``kg build`` at random points, again and again.

After every kill the store must open and answer, and every document graph in it must be byte-identical (as
N-Quads) to a clean build's graph for the same file — a document is in its previous or its new state, never
half.  Kills land during the documents, during the derived step (links, lineage pairs, target links,
versions: detected from outside, once every file is in the manifest) and during a ``--force`` rebuild that
replaces documents already there.  A final ``kg build`` must complete the work: its ``kg export --format nq``
equals the clean build's, derived graphs included.

The corpus: copies of the seed corpus with small edits (so that each is a distinct document; copies of one
file share its 文号, so the versions graph has work to do) and one duplicate written with other whitespace.
"""
from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.export import export
from kg.query.docs import list_docs
from kg.store import GraphStore

SEED = 20261129
ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["2021-gongxinbu-lianke-130-iot-infrastructure-plan.txt", "2024-gongxinting-tongxin-52-mobile-iot-notice.txt",
           "2025-hu-tongxinguan-lingang-1-business-environment-plan.txt",
           "2026-hu-tongxinguanfa-5-wuzhihulian-iot-action-plan.txt"]
MIN_KILLS = 6


def _make_corpus(d: Path) -> int:
    d.mkdir()
    n = 0
    for i, name in enumerate(SOURCES):
        text = (ROOT / "corpus" / name).read_text(encoding="utf-8")
        for k in range(4 if i == len(SOURCES) - 1 else 3):
            edited = text.replace("。", f"（第{k + 1}稿）。", 1)
            assert edited != text
            (d / f"{Path(name).stem}-v{k + 1}.txt").write_text(edited, encoding="utf-8")
            n += 1
    # one duplicate: the same text with other line ends and indentation, under a name that sorts last
    dup = (d / f"{Path(SOURCES[1]).stem}-v3.txt").read_text(encoding="utf-8")  # the current version
    (d / "zz-copy-of-notice.txt").write_bytes(dup.replace("\n", "\r\n  ").encode("utf-8"))
    return n + 1


_SNAPSHOT: list[Path] = []


def _env() -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("KG_STORE", "KG_BASE_IRI", "KG_EMBEDDING_MODEL", "KG_CORPUS")}
    env["HF_HUB_OFFLINE"] = "1"
    # every write of more than a few hundred quads through Oxigraph's bulk loader (not one transaction), so
    # that the kills land in it too: a graph it was writing must never be seen half written
    env["KG_BULK_MIN_QUADS"] = "300"
    if _SNAPSHOT:  # every build runs the same code (the pipeline version is a digest of the package)
        env["PYTHONPATH"] = os.pathsep.join([str(_SNAPSHOT[0]), *filter(None, [env.get("PYTHONPATH")])])
    return env


def _cwd() -> str:
    """Not the repository: ``python -m`` puts the working directory first on the path, before the snapshot."""
    return str(_SNAPSHOT[0].parent) if _SNAPSHOT else str(ROOT)


@pytest.fixture(autouse=True)
def _package_snapshot(tmp_path):
    """A copy of the package taken once: an edit to the working tree while the test runs would otherwise
    change the pipeline version between the clean build and the crashed ones."""
    snap = tmp_path / "pkg"
    shutil.copytree(ROOT / "kg", snap / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    _SNAPSHOT[:] = [snap]
    yield
    _SNAPSHOT.clear()


def _kg(store: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "kg.cli", "--store", str(store), *args]


def _by_graph(nq: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for line in nq.splitlines():
        graph = line.rsplit(" ", 2)[-2]
        out.setdefault(graph, set()).add(line)
    return out


def _is_derived(graph: str, base: str) -> bool:
    name = graph.strip("<>")[len(f"{base}graph/"):]
    return name in ("links", "targetlinks", "versions", "review") or name.startswith("lineage/")


def _manifest_size(path: Path, base: str) -> int:
    try:
        return len(GraphStore(path, base).manifest())
    except Exception:  # noqa: BLE001 - not created yet, or being opened: try again
        return -1


def _run(cmd: list[str], *, kill_after: float | None = None,
         kill_when_manifest: tuple[Path, str, int, float] | None = None, log: Path) -> tuple[bool, float, float | None]:
    """Run a build; kill -9 it after ``kill_after`` seconds, or ``delay`` seconds after the manifest holds ``n``
    records.  Returns (killed, seconds it ran, seconds until the manifest was full or None)."""
    t0 = time.monotonic()
    full = None
    with open(log, "ab") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=fh, env=_env(), cwd=_cwd())
        try:
            if kill_when_manifest is not None:
                path, base, n, delay = kill_when_manifest
                while proc.poll() is None and _manifest_size(path, base) < n:
                    time.sleep(0.2)
                full = time.monotonic() - t0
                kill_after = full + delay
            try:
                proc.wait(timeout=max(kill_after - (time.monotonic() - t0), 0.01) if kill_after is not None else None)
                return False, time.monotonic() - t0, full
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
                return True, time.monotonic() - t0, full
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def _check(path: Path, base: str, clean: dict[str, set[str]]) -> int:
    """The store opens and answers; every document graph in it is a clean build's graph; each manifest
    record points at a document graph that is there.  Returns the number of document graphs."""
    store = GraphStore(path, base)
    manifest = store.manifest()
    docs = list_docs(store)
    assert len({d["id"] for d in docs}) == len(docs)
    present = _by_graph(export(store, "nq"))
    n = 0
    for graph, lines in present.items():
        if _is_derived(graph, base):
            continue
        assert graph in clean, f"a document graph a clean build does not have: {graph}"
        assert lines == clean[graph], f"document graph differs from a clean build's: {graph}"
        n += 1
    for e in manifest.values():
        assert f"<{e.graph}>" in present, f"manifest record without its graph: {e.source_path}"
    return n


def test_kill_9_during_builds_never_corrupts_the_store(tmp_path):
    rng = random.Random(SEED)
    base = "https://policykg.example/"
    corpus = tmp_path / "corpus"
    n_files = _make_corpus(corpus)
    log = tmp_path / "build.log"

    # the clean build, watched from outside: once every file is in the manifest, the derived step is running
    clean_path = tmp_path / "clean"
    killed, total, docs_done = _run(_kg(clean_path, "build", str(corpus)),
                                    kill_when_manifest=(clean_path, base, n_files, 3600.0), log=log)
    assert not killed and docs_done is not None
    derived_time = max(total - docs_done, 0.5)
    clean_nq = export(GraphStore(clean_path, base), "nq")
    clean = _by_graph(clean_nq)
    assert sum(1 for g in clean if not _is_derived(g, base)) == n_files - 1  # the duplicate is no document
    assert any(g.startswith(f"<{base}graph/lineage/") for g in clean) and f"<{base}graph/versions>" in clean
    # a build with nothing changed redoes the derived step and changes nothing (idempotent)
    killed, noop, _ = _run(_kg(clean_path, "build", str(corpus)), log=log)
    assert not killed and export(GraphStore(clean_path, base), "nq") == clean_nq

    path = tmp_path / "crashed"
    kills = {"documents": 0, "derived": 0, "force": 0, "late": 0}
    # documents: killed while files are ingested; derived: killed once every file is in the manifest (the
    # derived step); force: killed while a --force build replaces documents already there; late: a build
    # with every file in, killed after most of a no-op build's time (the derived step again)
    plan = ["documents", "derived", "force", "late", "force", "late"]
    runs = 0
    while sum(kills.values()) < MIN_KILLS and runs < 12:
        kind = plan[runs % len(plan)]
        runs += 1
        if kind in ("documents", "derived") and _manifest_size(path, base) >= n_files:
            kind = "late"  # every file is in: a build is all derived step now
        if kind == "documents":
            k = rng.randint(2, n_files - 3)  # killed a moment after the k-th file landed
            killed, _, _ = _run(_kg(path, "build", str(corpus)), log=log,
                                kill_when_manifest=(path, base, k, rng.uniform(0.0, 0.6)))
        elif kind == "derived":
            killed, _, _ = _run(_kg(path, "build", str(corpus)), log=log,
                                kill_when_manifest=(path, base, n_files, rng.uniform(0.05, 0.9) * derived_time))
        elif kind == "late":
            killed, _, _ = _run(_kg(path, "build", str(corpus)), kill_after=rng.uniform(0.4, 0.95) * noop, log=log)
        else:  # every document replaced again: a kill leaves each in its previous or its new state
            killed, _, _ = _run(_kg(path, "build", "--force", str(corpus)), kill_after=rng.uniform(2.0, total * 0.9),
                                log=log)
        if killed:
            kills[kind] += 1
        n_docs = _check(path, base, clean)
        print(f"run {runs}: {kind}, killed={killed}, document graphs={n_docs}")
    print(f"clean build {total:.1f}s (documents {docs_done:.1f}s), no-op build {noop:.1f}s, kills {kills}")
    assert sum(kills.values()) >= MIN_KILLS, (kills, log.read_text(errors="replace")[-2000:])
    assert kills["derived"] + kills["late"] >= 2 and kills["documents"] + kills["force"] >= 2, kills

    # the next build completes the work: the export (derived graphs included) is the clean build's
    r = subprocess.run(_kg(path, "build", str(corpus)), capture_output=True, env=_env(), cwd=_cwd(), timeout=600)
    assert r.returncode == 0, r.stdout.decode() + r.stderr.decode()
    assert _check(path, base, clean) == n_files - 1
    outs = []
    for p in (clean_path, path):
        e = subprocess.run(_kg(p, "export", "--format", "nq"), capture_output=True, env=_env(), cwd=_cwd(), timeout=300)
        assert e.returncode == 0, e.stderr.decode()
        outs.append(e.stdout)
    assert outs[0] == clean_nq.encode("utf-8")
    assert outs[1] == outs[0]


def test_a_build_with_nothing_changed_redoes_the_derived_graphs(tmp_path, corpus_dir):
    """A build that died after its documents but before the derived step: the next build, every file
    unchanged, must still recompute the derived graphs (versions, links)."""
    from kg.build import build
    from kg.links import update_links

    base = "https://policykg.example/"
    notice = "2024-gongxinting-tongxin-52-mobile-iot-notice.txt"
    for name in (notice, "2026-hu-tongxinguanfa-5-wuzhihulian-iot-action-plan.txt"):
        shutil.copy(corpus_dir / name, tmp_path / name)
    text = (corpus_dir / notice).read_text(encoding="utf-8")
    (tmp_path / "0-earlier-notice.txt").write_text(text.replace("。", "（征求意见稿）。", 1), encoding="utf-8")
    store = GraphStore(None, base)
    build(store, [tmp_path], after_docs=update_links)
    before = export(store, "nq")
    assert f"<{base}graph/versions>" in before and f"<{base}graph/links>" in before
    for g in (store.iris.versions_graph, store.iris.links_graph):
        store.drop_graph(g)
    assert export(store, "nq") != before
    res = build(store, [tmp_path], after_docs=update_links)
    assert {r.status for r in res} == {"unchanged"}
    assert export(store, "nq") == before
