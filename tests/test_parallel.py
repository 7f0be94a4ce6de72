"""The parallel build: a process pool and a Dask cluster run the pipeline, one writer fills the store — and the
store ends byte-identical to a build in one process, whatever the number of workers or the order they finish."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kg.build import build
from kg.export import export
from kg.lineage import update_derived
from kg.store import GraphStore

from conftest import BASE, CORPUS

BROKEN = "no Chinese policy text here at all, only a line of English.\n" * 3


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """12 distinct documents (the seeds and edited copies), a file that fails, and an exact duplicate."""
    d = tmp_path_factory.mktemp("parallel")
    seeds = sorted(CORPUS.glob("*.txt"))
    n = 0
    for k in range(3):
        for f in seeds:
            if n == 12:
                break
            text = f.read_text(encoding="utf-8")
            if k:
                i = text.index("。") + 1
                text = text[:i] + f"本文件为第{k}号修订稿，供并行构建测试。" + text[i:]
            (d / f"{f.stem}-v{k}.txt").write_text(text, encoding="utf-8")
            n += 1
    (d / "m-broken.txt").write_text(BROKEN, encoding="utf-8")
    (d / "zz-copy.txt").write_bytes(seeds[0].read_bytes())  # same text as *-v0: recorded as a duplicate
    return d


def _build(path, corpus, **kw):
    store = GraphStore(path, BASE)
    results = build(store, [corpus], after_docs=update_derived, **kw)
    return store, {r.path.rsplit("/", 1)[-1]: r for r in results}


@pytest.fixture(scope="module")
def sequential(tmp_path_factory, corpus):
    store, results = _build(tmp_path_factory.mktemp("seq"), corpus, workers=1)
    return export(store, "nq"), results


def _same(results, expected) -> None:
    assert {k: (r.status, r.doc_id, r.reason, r.warnings, r.clauses) for k, r in results.items()} == \
           {k: (r.status, r.doc_id, r.reason, r.warnings, r.clauses) for k, r in expected.items()}


def test_sequential_reference(sequential):
    nq, results = sequential
    assert len(results) == 14
    assert sum(r.status == "added" for r in results.values()) == 12
    assert results["m-broken.txt"].status == "failed" and "中文" in results["m-broken.txt"].reason
    assert results["zz-copy.txt"].status == "duplicate"
    assert nq.count("\n") > 1000


def test_process_pool_is_byte_identical(tmp_path, corpus, sequential):
    seen = []
    store, results = _build(tmp_path / "s", corpus, workers=2, on_file=lambda n, total, f: seen.append(n))
    assert seen == list(range(1, 15))  # progress still reported, file by file
    _same(results, sequential[1])  # the broken file failed alone, with the same reason
    assert export(store, "nq") == sequential[0]
    # a second parallel build: nothing to do
    _, again = _build(tmp_path / "s", corpus, workers=2)
    assert {r.status for k, r in again.items() if k != "m-broken.txt"} == {"unchanged"}


def test_dask_cluster_is_byte_identical(tmp_path, corpus, sequential):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        store, results = _build(tmp_path / "s", corpus, dask_address=cluster.scheduler_address)
    _same(results, sequential[1])
    assert export(store, "nq") == sequential[0]


def test_cli_workers(tmp_path, corpus):
    from kg.cli import app

    small = tmp_path / "small"
    small.mkdir()
    for f in sorted(corpus.glob("*.txt"))[:2] + [corpus / "m-broken.txt"]:
        (small / f.name).write_bytes(f.read_bytes())
    r = CliRunner().invoke(app, ["--store", str(tmp_path / "s"), "build", "--workers", "2", "--json", str(small)])
    assert r.exit_code == 1, r.output  # the broken file fails the command, and only that file fails
    rows = {x["path"].rsplit("/", 1)[-1]: x["status"] for x in json.loads(r.stdout)}
    assert rows.pop("m-broken.txt") == "failed"
    assert set(rows.values()) == {"added"} and len(rows) == 2



def _crash_on_x(key, name, data, base):
    import os

    from kg import build as kb

    if name.startswith("x-"):
        os._exit(3)  # a worker killed (out of memory, a segfault in a native library)
    return kb._real_prepare(key, name, data, base)


def test_a_worker_that_dies_fails_its_file_alone(tmp_path, monkeypatch):
    """The pool breaks; the file that broke it fails, the others are sent again and succeed."""
    import kg.build as kb

    d = tmp_path / "c"
    d.mkdir()
    seeds = sorted(CORPUS.glob("*.txt"))
    for name, f in (("a.txt", seeds[0]), ("x-crash.txt", seeds[1]), ("z.txt", seeds[2])):
        (d / name).write_bytes(f.read_bytes())
    monkeypatch.setattr(kb, "_real_prepare", kb.prepare, raising=False)
    monkeypatch.setattr(kb, "prepare", _crash_on_x)  # the workers are forked: they see the patch
    results = {r.path.rsplit("/", 1)[-1]: r for r in build(GraphStore(tmp_path / "s", BASE), [d], workers=2)}
    assert results["x-crash.txt"].status == "failed" and "意外退出" in results["x-crash.txt"].reason
    assert results["a.txt"].status == results["z.txt"].status == "added"
