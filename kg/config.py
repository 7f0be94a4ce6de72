"""One settings object, read from options and the environment, validated in one place."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_BASE_IRI = "https://policykg.example/"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_store_path() -> Path:
    """``$KG_STORE``, else ``$XDG_DATA_HOME/policy-kg/store``, else ``~/.local/share/policy-kg/store``."""
    env = os.environ.get("KG_STORE")
    if env:
        return Path(env).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "policy-kg" / "store"


def default_corpus() -> Path:
    env = os.environ.get("KG_CORPUS")
    if env:
        return Path(env)
    if (Path.cwd() / "corpus").is_dir():
        return Path.cwd() / "corpus"
    return PROJECT_ROOT / "corpus"


@dataclass(frozen=True)
class Settings:
    store_path: Path
    base_iri: str = DEFAULT_BASE_IRI
    embedding_model: str | None = None  # a local sentence-transformers model path; never required
    spacy_model: str | None = None  # a local trained spaCy model path; never required
    query_timeout_s: float = 30.0
    query_row_limit: int = 10000

    @classmethod
    def load(cls, store: str | Path | None = None, base_iri: str | None = None) -> "Settings":
        base = base_iri or os.environ.get("KG_BASE_IRI") or DEFAULT_BASE_IRI
        if not base.endswith(("/", "#")):
            base += "/"
        if not base.startswith(("http://", "https://", "urn:")):
            raise ValueError(f"KG_BASE_IRI 必须是 http(s):// 或 urn: 开头的 IRI: {base}")
        try:
            timeout = float(os.environ.get("KG_QUERY_TIMEOUT", "30"))
            limit = int(os.environ.get("KG_QUERY_LIMIT", "10000"))
        except ValueError as e:
            raise ValueError(f"KG_QUERY_TIMEOUT / KG_QUERY_LIMIT 必须是数字: {e}") from e
        return cls(
            store_path=Path(store).expanduser() if store else default_store_path(),
            base_iri=base,
            embedding_model=os.environ.get("KG_EMBEDDING_MODEL") or None,
            spacy_model=os.environ.get("KG_SPACY_MODEL") or None,
            query_timeout_s=timeout,
            query_row_limit=limit,
        )
