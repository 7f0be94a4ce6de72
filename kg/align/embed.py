"""Optional dense embeddings (sentence-transformers), loaded lazily and never downloaded.

``Embedder.from_settings(settings.embedding_model)`` returns ``None`` when no model is configured
(``KG_EMBEDDING_MODEL`` unset): the alignment is then lexical only and neither torch nor
sentence-transformers is imported.  A configured model is either a local directory or a model name
already in the Hugging Face cache; anything else raises a :class:`~kg.errors.KGError` at once
(``HF_HUB_OFFLINE=1`` and ``local_files_only=True``: nothing is fetched).  The model itself is loaded
on the first :meth:`Embedder.encode`, and torch is imported only then.

Encodings are cached per text and computed over the *sorted distinct* texts, so the vectors do not
depend on the order (or batching) of the input.  Vectors are L2-normalised: a dot product is the
cosine.  :meth:`Embedder.known_fraction` tells how much of the input the model's vocabulary covers
— the English ``all-MiniLM-L6-v2`` maps nearly every Chinese character to ``[UNK]``, and
:mod:`kg.align` uses this (with the spread of the similarities) to keep such a model from moving
any score.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..errors import KGError
from .tokens import is_content_char


def _offline() -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _looks_like_path(model: str) -> bool:
    """An existing file-system entry, or anything written as a path (``/…``, ``./…``, ``~/…``);
    otherwise a model name such as ``sentence-transformers/all-MiniLM-L6-v2``."""
    return Path(model).expanduser().exists() or model.startswith((".", "/", "~"))


def _cached_repo(name: str) -> str | None:
    """The repo id under which ``name`` sits in the local Hugging Face cache, if any."""
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:  # pragma: no cover - comes with sentence-transformers
        return None
    candidates = [name] if "/" in name else [name, f"sentence-transformers/{name}"]
    for repo in candidates:
        for fname in ("modules.json", "config.json"):
            hit = try_to_load_from_cache(repo, fname)
            if isinstance(hit, str):
                return repo
    return None


class Embedder:
    """A sentence-transformers model behind a small, order-independent API."""

    def __init__(self, model: str, *, source: str | None = None) -> None:
        self.model_name = model
        self._source = source or model
        self._model = None
        self._cache: dict[str, np.ndarray] = {}

    @classmethod
    def from_settings(cls, model: str | None) -> "Embedder | None":
        """``None`` when no model is configured; else an Embedder for a local path or a cached name.

        Raises :class:`KGError` (in Chinese) when the configured model cannot be found locally."""
        if not model or not str(model).strip():
            return None
        model = str(model).strip()
        _offline()
        if _looks_like_path(model):
            p = Path(model).expanduser()
            if not p.is_dir():
                raise KGError(f"找不到嵌入模型目录：{model}（KG_EMBEDDING_MODEL 应为本地 sentence-transformers 模型目录或已缓存的模型名；不会联网下载）", path=str(p))
            if not ((p / "modules.json").exists() or (p / "config.json").exists()):
                raise KGError(f"{model} 不是 sentence-transformers 模型目录（缺少 modules.json / config.json）", path=str(p))
            return cls(str(p.resolve()), source=str(p.resolve()))
        repo = _cached_repo(model)
        if repo is None:
            raise KGError(f"嵌入模型 {model} 不在本地缓存中，且不会联网下载；请把 KG_EMBEDDING_MODEL 设为本地模型目录，或先离线准备好该模型")
        return cls(model, source=repo)

    @property
    def model(self):
        """The loaded ``SentenceTransformer`` (imports torch on first use)."""
        if self._model is None:
            _offline()
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as e:  # pragma: no cover - dependency missing
                raise KGError(f"配置了嵌入模型，但未安装 sentence-transformers：{e}") from e
            try:
                import transformers

                transformers.logging.set_verbosity_error()  # no "sequence longer than …" chatter
                transformers.logging.disable_progress_bar()
            except Exception:  # noqa: BLE001 - cosmetic only
                pass
            try:
                self._model = SentenceTransformer(self._source, device="cpu", local_files_only=True)
            except Exception as e:  # noqa: BLE001 - any load failure becomes a clear error
                raise KGError(f"无法加载嵌入模型 {self.model_name}：{e}") from e
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text (same order as ``texts``)."""
        todo = sorted({t for t in texts if t not in self._cache})
        if todo:
            vecs = self.model.encode(todo, batch_size=32, show_progress_bar=False,
                                     convert_to_numpy=True, normalize_embeddings=True)
            for t, v in zip(todo, np.asarray(vecs, dtype=np.float32)):
                self._cache[t] = v
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])

    def known_fraction(self, texts: list[str]) -> float:
        """Share of the texts' *content* subword tokens that are not the unknown token (0–1).

        Punctuation-only tokens are left out (a model that knows "，" but no Chinese character does
        not read Chinese).  1.0 when the tokenizer has no unknown token (byte-level models)."""
        tok = getattr(self.model, "tokenizer", None)
        unk = getattr(tok, "unk_token", None) if tok is not None else None
        if tok is None or unk is None:
            return 1.0
        total = known = 0
        for text in texts:
            for piece in tok.tokenize(text):
                if piece != unk and not any(is_content_char(c) for c in piece.lstrip("#")):
                    continue
                total += 1
                known += piece != unk
        return known / total if total else 0.0


__all__ = ["Embedder"]
