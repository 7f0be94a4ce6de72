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
# the ids of the five seed documents of corpus/ (their file names without suffix)
N2026 = "2026-hu-tongxinguanfa-5-wuzhihulian-iot-action-plan"
N2024 = "2024-gongxinting-tongxin-52-mobile-iot-notice"
N2021 = "2021-gongxinbu-lianke-130-iot-infrastructure-plan"
FYP = "2021-shanghai-14th-fyp-new-information-infrastructure"
N2025 = "2025-hu-tongxinguan-lingang-1-business-environment-plan"


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


PLAN26 = N2026  # the seed plan that implements the 2024 notice


def dump_json(x) -> str:
    import json

    return json.dumps(x, ensure_ascii=False, indent=2)


def meta(text: str):
    """The metadata the pipeline reads from a text (no facts)."""
    from kg.pipeline import process_text

    return process_text(text, "x.txt", with_facts=False).meta


def forget_query_state() -> None:
    """Forget what this process keeps in memory of the query layer's indexes (as a new process would start)."""
    from kg.query import ask as aq
    from kg.query import docs as dq
    from kg.query import search as sq

    for c in (aq._ctx_cache, aq._lineage_cache, sq._persisted, sq._cache, dq._cache):
        c.clear()


@pytest.fixture
def query_store(built_store, tmp_path, monkeypatch):
    """A copy of the seed store with its own cache directory, and no query state kept in memory."""
    from kg.store import GraphStore

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    dst = tmp_path / "store"
    shutil.copytree(built_store.path, dst, ignore=shutil.ignore_patterns("*.lock"))
    forget_query_state()
    yield GraphStore(dst, built_store.iris.base)
    forget_query_state()


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


