"""Clause retrieval and alignment engine (issue 6, item 2).

Index → ranked candidates → local alignment, after the Legislative Influence Detector (Burgess et
al., KDD 2016): a BM25 index (``bm25s``) over the source document's clauses proposes candidates for
each local clause, optionally fused with a sentence-transformers embedding; a calibrated pairwise
score (tf-idf cosine + Smith–Waterman coverage, embedding mixed in conservatively) decides, and the
Smith–Waterman passage is the evidence shown to the reader.

Public API (used by ``kg/lineage.py``, ``kg/query/compare.py``, ``kg/query/search.py``):

* :class:`ClauseText`, :class:`Alignment` — input and output records;
* :func:`tokenize` — jieba words minus stopwords/punctuation + character bigrams;
* :class:`ClauseIndex` — BM25 over clauses, ``.search(text, k) -> [(key, score)]``;
* :class:`Embedder` — ``Embedder.from_settings(settings.embedding_model)``; torch is imported only
  when a model is configured and used;
* :func:`smith_waterman`, :func:`char_diff` — the shared passage and the highlighted diff;
* :func:`align_documents`, :func:`pair_score`, :func:`document_similarity`.

No store access and no import of the extraction pipeline: the query layer may import this package.
"""
from __future__ import annotations

from .core import CALIBRATION, Alignment, ClauseText, align_documents, calibrate, document_similarity, pair_score
from .diff import char_diff
from .embed import Embedder
from .index import ClauseIndex
from .sw import smith_waterman
from .tokens import tokenize

__all__ = [
    "ClauseText", "Alignment", "tokenize", "ClauseIndex", "Embedder", "smith_waterman", "char_diff",
    "align_documents", "pair_score", "document_similarity", "calibrate", "CALIBRATION",
]
