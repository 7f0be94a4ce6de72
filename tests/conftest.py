import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
OWN = ROOT / "tests" / "data" / "own"
BASE = "https://policykg.example/"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def built_store(tmp_path_factory):
    """The seed corpus built once into an on-disk store (read-only use in tests)."""
    from kg.build import build
    from kg.lineage import update_derived
    from kg.store import GraphStore

    path = tmp_path_factory.mktemp("store")
    store = GraphStore(path, BASE)
    results = build(store, [CORPUS], after_docs=update_derived)
    assert all(r.status == "added" for r in results), results
    return store


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    d = tmp_path / "corpus"
    d.mkdir()
    for f in CORPUS.glob("*.txt"):
        shutil.copy(f, d / f.name)
    return d
