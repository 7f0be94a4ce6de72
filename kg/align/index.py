"""A per-document BM25 index over clause texts (``bm25s``), used to pick alignment candidates.

The index holds only the clauses it is given: its statistics (document frequencies, average length)
come from them alone, so results depend on nothing but the input.  Clauses are indexed in key
order, and ties in the ranking are broken by key, so the input order does not matter.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import numpy as np

from .tokens import tokenize

if TYPE_CHECKING:  # pragma: no cover
    from .core import ClauseText

logging.getLogger("bm25s").setLevel(logging.WARNING)


class ClauseIndex:
    """BM25 (Lucene variant, k1=1.5, b=0.75) over the retrieval tokens of a list of clauses.

    >>> from kg.align import ClauseText
    >>> idx = ClauseIndex([ClauseText("a", "一", "物联网卡安全管理"), ClauseText("b", "二", "网络建设规划")])
    >>> [k for k, _ in idx.search("加强物联网卡管理")]
    ['a']
    """

    def __init__(self, clauses: "list[ClauseText]"):
        import bm25s

        uniq = {c.key: c for c in clauses}
        self.keys: list[str] = sorted(uniq)
        self.clauses = [uniq[k] for k in self.keys]
        self.tokens: list[list[str]] = [tokenize(c.text) for c in self.clauses]
        self._bm25 = None
        if self.keys:
            # bm25s needs at least one token per document; an empty clause gets a placeholder
            corpus = [t or ["\u0000"] for t in self.tokens]
            self._bm25 = bm25s.BM25(k1=1.5, b=0.75, method="lucene")
            self._bm25.index(corpus, show_progress=False)

    def __len__(self) -> int:
        return len(self.keys)

    def scores(self, text: str) -> np.ndarray:
        """BM25 score of ``text`` against every indexed clause (in :attr:`keys` order)."""
        if self._bm25 is None:
            return np.zeros(0, dtype=np.float64)
        vocab = self._bm25.vocab_dict
        q = [t for t in tokenize(text) if t in vocab]
        if not q:
            return np.zeros(len(self.keys), dtype=np.float64)
        return np.asarray(self._bm25.get_scores(q), dtype=np.float64)

    def search(self, text: str, k: int = 10) -> list[tuple[str, float]]:
        """The ``k`` best clauses for ``text`` as ``(key, bm25 score)``, best first; clauses that share
        no token with the query are left out.  Scores are rounded to 4 digits, ties go by key."""
        s = self.scores(text)
        hits = [(self.keys[i], round(float(v), 4)) for i, v in enumerate(s) if v > 0]
        hits.sort(key=lambda kv: (-kv[1], kv[0]))
        return hits[:k]


__all__ = ["ClauseIndex"]
