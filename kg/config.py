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


DEFAULT_MAX_FILE_MB = 10.0


def max_file_mb() -> float:
    """The size limit of one input file, in MB: ``$KG_MAX_FILE_MB`` (``kg build --max-size`` sets it), else 10.

    A build keeps a whole document in memory (its clause tree, facts and triples are written in one
    transaction), so its peak memory grows with the file: about 220 MB + 470 MB per MB, 4.9 GB at 10 MB (see README,
    "Size limits", and bench/big.py).  A file above the limit is refused before it is decoded."""
    raw = os.environ.get("KG_MAX_FILE_MB")
    if not raw:
        return DEFAULT_MAX_FILE_MB
    try:
        value = float(raw)
    except ValueError as e:
        raise ValueError(f"KG_MAX_FILE_MB 必须是数字（MB），而不是 {raw!r}") from e
    if value <= 0:
        raise ValueError(f"KG_MAX_FILE_MB 必须大于 0，而不是 {raw!r}")
    return value


@dataclass(frozen=True)
class Settings:
    store_path: Path
    base_iri: str = DEFAULT_BASE_IRI
    embedding_model: str | None = None  # a local sentence-transformers model path; never required
    spacy_model: str | None = None  # a local trained spaCy model path; never required
    query_timeout_s: float = 30.0
    query_row_limit: int = 10000
    max_file_mb: float = DEFAULT_MAX_FILE_MB  # one input file; KG_MAX_FILE_MB

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
        max_mb = max_file_mb()
        return cls(
            store_path=Path(store).expanduser() if store else default_store_path(),
            base_iri=base,
            embedding_model=os.environ.get("KG_EMBEDDING_MODEL") or None,
            spacy_model=os.environ.get("KG_SPACY_MODEL") or None,
            query_timeout_s=timeout,
            query_row_limit=limit,
            max_file_mb=max_mb,
        )


def check_file_size(nbytes: int, path: str | None = None, *, what: str = "文件") -> None:
    """Refuse, with the reason and how to raise the limit, a file (or extracted text) above the limit."""
    from .errors import FileTooLarge

    limit = max_file_mb()
    if nbytes > limit * 1024 * 1024:
        size = nbytes / 1024 / 1024
        need = int(size) + 1
        raise FileTooLarge(
            f"{what}过大：{size:.1f} MB，超过单个文件上限 {limit:g} MB（大文件的构建内存和时间随大小增长，见 README 的 Size limits）。"
            f"如确需导入，请用 kg build --max-size {need} 或设置环境变量 KG_MAX_FILE_MB={need} 提高上限",
            path=path)
