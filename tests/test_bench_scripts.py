"""The profiling scripts of bench/ run end to end on a small generated corpus and print their tables (issue 9:
the figures in bench/RESULTS.md must be reproducible).  Nothing here is timed: only that each script finishes,
prints what its docstring promises and leaves the corpus as it found it."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str, env: dict) -> str:
    p = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr[-3000:]
    return p.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bench")
    env = {**os.environ, "KG_CACHE_DIR": str(tmp / "cache")}
    env.pop("KG_STORE", None)
    corpus, store = tmp / "corpus", tmp / "store"
    _run("bench/generate.py", str(corpus), "-n", "6", env=env)
    out = _run("bench/phases.py", str(corpus), str(store), "--workers", "1", env=env)
    return corpus, store, env, out


def test_phases_prints_every_phase_and_the_whole(built):
    _, _, _, out = built
    for row in ("| documents |", "| lineage |", "| target links |", "| **whole** |"):
        assert row in out
    assert "peak RSS" in out and "store" in out


def test_pairs_profiles_the_stored_pairs(built):
    _, store, env, _ = built
    out = _run("bench/pairs.py", str(store), "--pairs", "2", env=env)
    for stage in ("aligning (BM25, cosines, SW)", "serialising (N-Triples)", "replacing it (drop + write)"):
        assert stage in out
    assert "per alignment" in out


def test_pairs_says_so_on_a_store_without_pairs(tmp_path, built):
    _, _, env, _ = built
    p = subprocess.run([sys.executable, "bench/pairs.py", str(tmp_path / "empty")], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode != 0 and "no pair graph" in p.stderr


def test_stages_compares_with_jieba(built):
    corpus, _, env, _ = built
    out = _run("bench/stages.py", str(corpus), "--docs", "2", env=env)
    assert "parties extractor" in out
    assert "jieba.lcut alone" in out and "of jieba's throughput" in out


def test_warm_rebuilds_one_document_and_restores_it(built):
    corpus, store, env, _ = built
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in corpus.iterdir()}
    out = _run("bench/warm.py", str(corpus), str(store), "--edits", "1", env=env)
    assert "warm 1" in out and "files rebuilt 1" in out and "warm median" in out
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in corpus.iterdir()}
    assert after == before


def test_validate_times_each_query(built):
    _, store, env, _ = built
    out = _run("bench/validate.py", str(store), "--top", "3", env=env)
    assert "kg validate as the command runs it" in out and "0 violations" in out
    assert "queries one by one" in out and "the report's triple count" in out
