import os
import shutil
import sys
from pathlib import Path

import pytest

# the suite builds its own stores: a SPARQL server configured in the environment must never receive them
# and builds are lexical unless a test asks for embeddings (a model configured by the user is kept for those)
for _var in ("KG_SPARQL_ENDPOINT", "KG_SPARQL_UPDATE", "KG_SPARQL_GSP"):
    os.environ.pop(_var, None)
USER_EMBEDDING_MODEL = os.environ.pop("KG_EMBEDDING_MODEL", None)

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


MODEL_DIRNAME = "all-MiniLM-L6-v2"


@pytest.fixture(scope="session")
def embedding_model() -> str:
    """Path of the local sentence-transformers model (unpacked by scripts/setup.sh).

    Looked for in ``KG_EMBEDDING_MODEL`` (when it is a directory), then under the running venv's
    ``share/policy-kg/models/``, then under the project's ``.venv``.  Missing: skipped locally with the
    reason, but a failure when ``CI`` is set — the embedding path must really run in CI."""
    candidates = []
    env = USER_EMBEDDING_MODEL
    if env:
        candidates.append(Path(env).expanduser())
    candidates += [Path(sys.prefix) / "share" / "policy-kg" / "models" / MODEL_DIRNAME,
                   ROOT / ".venv" / "share" / "policy-kg" / "models" / MODEL_DIRNAME]
    for p in candidates:
        if (p / "modules.json").exists() or (p / "config.json").exists():
            return str(p)
    msg = (f"sentence-transformers model {MODEL_DIRNAME} not found (looked in: "
           f"{', '.join(map(str, candidates))}); run scripts/setup.sh")
    if os.environ.get("CI"):
        pytest.fail(msg)
    pytest.skip(msg)


@pytest.fixture(scope="session")
def embedder(embedding_model):
    from kg.align import Embedder

    e = Embedder.from_settings(embedding_model)
    assert e is not None
    return e


