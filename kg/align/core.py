"""Clause alignment: index → ranked candidates → Smith–Waterman confirmation → calibrated score.

For each clause of the *local* (lower-level) document, :func:`align_documents` asks a BM25 index
over the *source* clauses for candidates (fused by reciprocal rank with the nearest neighbours of a
dense embedding when an :class:`~kg.align.embed.Embedder` is given), scores every candidate with a
calibrated pairwise score and keeps those at or above ``min_score``, best first.

The pairwise score (:func:`pair_score`, the same arithmetic) combines

* ``cos`` — tf-idf cosine of the retrieval tokens (:func:`kg.align.tokens.tokenize`).  The idf is
  BM25's, ``ln(1 + (N − df + ½)/(df + ½))``, over the clauses of the *two documents only*: a word
  found in every clause (物联网, 基础电信企业) weighs almost nothing, one shared by just the pair a lot;
  ``[generic]`` words (物联网, 基础电信企业 …) weigh a further 0.2 (:mod:`kg.align.tokens`);
* ``cov`` — Smith–Waterman coverage: characters matched by up to three non-overlapping local
  alignments (:func:`kg.align.sw.passages`), each character weighted (1 in content words, 0.2 in
  stopwords, generic words and cited titles ``《…》``, 0.5 in bare numbers —
  :func:`kg.align.tokens.char_weights`), divided by ``shorter^(2/3) · longer^(1/3)`` of the two
  texts' weighted lengths: mostly the shorter text, as in LID, but a one-line table row swallowed
  whole by a long clause counts for less than a clause restating a clause of its own size;
* ``info`` — informativeness of the shorter text, ``min(1, weighted length / 30)``, so a bare
  heading such as ``保障措施`` (all stopwords) or ``夯实网络底座`` cannot produce a confident alignment
  on its own.

``raw = info · (cos + cov)/2`` is mapped to the reported 0–1 ``lexical`` score by a fixed monotone
piecewise-linear curve (:data:`CALIBRATION`) chosen so that **≥ 0.5 means "restates or implements"**:
a pair a reader would put side by side in a correlation table.  The anchors were set on the seed pair
(物智沪联 2026 plan ↔ MIIT 2024 notice) — their honest accuracy must be measured on held-out gold.

**Embeddings** (``method = "hybrid"``) are mixed in conservatively, because a model may not read the
language at all (the English ``all-MiniLM-L6-v2`` sees Chinese as ``[UNK]`` and finds every pair
≈ equally similar).  For local clause *i* and candidate *j*:

* ``e_ij = clamp((cos_ij − median_i) / (1 − median_i), 0, 1)`` — the similarity *above* what this
  clause has with a typical source clause (the model's anisotropy is removed);
* ``w_ij = 0.35 · read_ij · clamp(std_i / 0.08, 0, 1)`` — the weight grows with how much the
  model's similarities *spread* over the source clauses (``std_i``) and with how much of the two
  texts the model can read: ``read = clamp((known − 0.5)/0.4, 0, 1)`` where ``known`` is the share
  of content subword tokens that are not ``[UNK]`` (the lower of the two texts).  A model that reads
  less than half of the text gets no weight at all, one that reads 90 % gets the full weight; it
  never exceeds 0.35.  (Spread alone is not enough: all-MiniLM-L6-v2's similarities on Chinese do
  spread, std ≈ 0.1–0.2, but only by length, digits and the few Latin tokens such as ``4G``; it reads
  0–37 % of the seed clauses' content tokens, so its weight is 0.  A tokenizer without an unknown
  token — byte-level BPE — counts as reading everything; then the spread alone sets the weight.)
* ``score = (1 − w) · lexical + w · e``.

So an uninformative model (flat similarities or mostly-[UNK] input) gets weight 0 and cannot move
a score in either direction; a good model moves a score by at most 0.35 and, with no lexical
evidence, can never reach 0.5 on its own.  The same weight gates the embedding's vote in the
candidate fusion.  Any object with ``encode(texts) -> normalised array`` and
``known_fraction(texts) -> float`` can serve as the embedder.  ``method`` is ``"hybrid"`` whenever
an embedder took part, ``"embedding"`` for a candidate found only by the embedding with no lexical
evidence, else ``"lexical"``.

Determinism: clauses are processed in key order, ties are broken by key, all floats are rounded
to 3 digits, and the result depends only on the two clause lists (no corpus-wide statistics), so
shuffling the input or building the store in another order gives the same alignments.
"""
from __future__ import annotations

import functools
import math
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

import numpy as np

from .index import ClauseIndex
from .sw import content, passages, to_span
from .tokens import char_weights, is_generic, tokenize, tokens_of

if TYPE_CHECKING:  # pragma: no cover
    from .embed import Embedder


@dataclass(frozen=True)
class ClauseText:
    """One clause as the aligner sees it: an opaque ``key`` (the clause IRI), its ``label``
    (``五（四）``) and its ``text`` (heading + text, as a reader sees it)."""

    key: str
    label: str
    text: str


@dataclass(frozen=True)
class Alignment:
    """A local clause aligned to a source clause it restates or implements.

    ``score`` is 0–1 (≥ 0.5: restates/implements), rounded to 3 digits; ``rank`` 1 is the best
    source clause for that local clause.  ``shared`` is the longest passage the two share (the first
    Smith–Waterman alignment) as written in the local text; ``local_span``/``source_span`` are its
    ``(start, end)`` offsets in the two clause texts."""

    local_key: str
    source_key: str
    score: float
    rank: int
    method: str
    lexical_score: float
    embedding_score: float | None
    shared: str
    local_span: tuple[int, int]
    source_span: tuple[int, int]


# raw → calibrated lexical score (piecewise linear, monotone, 0 → 0 and 1 → 1)
CALIBRATION: tuple[tuple[float, float], ...] = (
    (0.0, 0.0), (0.08, 0.10), (0.18, 0.50), (0.30, 0.75), (0.50, 0.92), (1.0, 1.0),
)
INFO_CHARS = 30  # a shorter text of this many (weighted) content characters is fully informative
COV_LONGER_EXP = 1 / 3  # coverage is divided by shorter^(2/3) · longer^(1/3) (weighted lengths)
GENERIC_WEIGHT = 0.2  # tf-idf weight factor of the [generic] words (物联网, 基础电信企业 …)
EMB_MAX_WEIGHT = 0.35  # the embedding's weight never exceeds this
EMB_SPREAD_FULL = 0.08  # std of a clause's similarities at which the embedding gets its full weight
EMB_READ_MIN, EMB_READ_FULL = 0.5, 0.9  # share of non-[UNK] content tokens: no weight below, full above
RRF_K = 60  # reciprocal-rank-fusion constant
MIN_CANDIDATES = 8  # candidates taken from the index per local clause (at least 2 × top_k)


def calibrate(raw: float) -> float:
    """Map the raw lexical evidence to the calibrated 0–1 scale (:data:`CALIBRATION`)."""
    return float(np.interp(min(max(raw, 0.0), 1.0), _CAL_X, _CAL_Y))


_CAL_X, _CAL_Y = (np.array(v, dtype=np.float64) for v in zip(*CALIBRATION))


class _Space:
    """tf-idf vectors (sublinear tf, BM25 idf) over a fixed set of token lists."""

    def __init__(self, token_lists: list[list[str]], uniform_idf: bool = False) -> None:
        n = len(token_lists)
        df = Counter(t for toks in token_lists for t in set(toks))
        self.vocab = {t: i for i, t in enumerate(sorted(df))}
        if uniform_idf:
            idf = np.ones(len(self.vocab))
        else:
            idf = np.array([math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) for t in sorted(df)])
        self.idf = idf * np.array([GENERIC_WEIGHT if is_generic(t) else 1.0 for t in sorted(df)])

    def matrix(self, token_lists: list[list[str]]) -> np.ndarray:
        m = np.zeros((len(token_lists), len(self.vocab)))
        for r, toks in enumerate(token_lists):
            for t, c in Counter(toks).items():
                j = self.vocab.get(t)
                if j is not None:
                    m[r, j] = (1 + math.log(c)) * self.idf[j]
        norms = np.linalg.norm(m, axis=1, keepdims=True)
        norms[norms == 0] = 1
        return m / norms


def _lexical(cos: float, cov: float, w_a: float, w_b: float) -> float:
    info = min(1.0, min(w_a, w_b) / INFO_CHARS)
    return calibrate(info * (cos + cov) / 2)


def _coverage(ps, wa: np.ndarray, wb: np.ndarray, la: float | None = None, lb: float | None = None) -> float:
    """Weighted share of the shorter text covered by the passages (see the module docstring).  ``la``, ``lb``:
    the weights' sums, when the caller has them."""
    la = float(wa.sum()) if la is None else la
    lb = float(wb.sum()) if lb is None else lb
    shorter, longer = min(la, lb), max(la, lb)
    if shorter <= 0 or not ps:
        return 0.0
    # a slice's mean as ndarray.mean computes it (its sum divided by its length), without the method's overhead
    got = sum(p.matches * float(wa[p.a_start:p.a_end].sum() / (p.a_end - p.a_start)) for p in ps if p.a_end > p.a_start)
    return min(1.0, got / (shorter ** (1 - COV_LONGER_EXP) * longer ** COV_LONGER_EXP))


def _emb_stats(row: np.ndarray) -> tuple[float, float]:
    """(median, spread factor in 0–1) of one local clause's similarities to all source clauses."""
    if row.size == 0:
        return 0.0, 0.0
    med = float(np.median(row))
    spread = float(np.std(row)) if row.size > 1 else 0.0
    return med, min(1.0, spread / EMB_SPREAD_FULL)


def _read(known: float) -> float:
    """How well the model reads a text, from its share of known (non-[UNK]) content tokens."""
    return min(1.0, max(0.0, (known - EMB_READ_MIN) / (EMB_READ_FULL - EMB_READ_MIN)))


def _emb_component(cos: float, med: float) -> float:
    return min(1.0, max(0.0, (cos - med) / max(1e-6, 1.0 - med)))


def _r3(x: float) -> float:
    return round(float(x) + 0.0, 3)


def _bm25_order(bm: np.ndarray, keys: list[str], first: int | None = None) -> list[int]:
    """The clauses with a positive BM25 score, best first (score rounded to 4 digits, ties by key); only the
    ``first`` best when given — the same as the whole order's beginning, without sorting the rest: a score
    more than 0.001 below the ``first``-th best cannot round to as much as any of the ``first`` best."""
    pos = np.flatnonzero(bm > 0)
    if first is not None and len(pos) > first:
        vals = bm[pos]
        kth = np.partition(vals, len(vals) - first)[len(vals) - first]
        pos = pos[vals >= kth - 1e-3]
    order = sorted(pos.tolist(), key=lambda j: (-round(float(bm[j]), 4), keys[j]))
    return order if first is None else order[:first]


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Within it numpy's BLAS computes on the calling thread only (``threadpoolctl``, when installed).  The
    products of the aligner are of small matrices (a document's clauses by the two documents' words), for
    which OpenBLAS's threads cost far more processor time than they save: on two cores, 15 times the
    product itself.  The products are then also the same whatever the number of cores (a threaded product
    can differ from another in the last bit).  Worker processes forked inside inherit the setting."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - installed with scikit-learn
        yield
        return
    with threadpool_limits(1, user_api="blas"):
        yield


@functools.lru_cache(maxsize=64)
def _source_index(src: tuple[ClauseText, ...]) -> ClauseIndex:
    """The BM25 index of a source document's clauses, kept for the next local document it is aligned with."""
    return ClauseIndex(list(src))


def align_documents(local: list[ClauseText], source: list[ClauseText], *, embedder: "Embedder | None" = None,
                    top_k: int = 3, min_score: float = 0.3) -> list[Alignment]:
    """Align every local clause with the source clauses it restates or implements.

    Returns at most ``top_k`` :class:`Alignment` per local clause with ``score ≥ min_score``, sorted
    by local key then rank.  Depends only on the two inputs (see the module docstring)."""
    loc = sorted({c.key: c for c in local}.values(), key=lambda c: c.key)
    src = sorted({c.key: c for c in source}.values(), key=lambda c: c.key)
    if not loc or not src:
        return []
    index = _source_index(tuple(src))  # keys sorted → same order as ``src``
    # tf-idf cosines as :class:`_Space` over the two lists gives them, from each list's counts (kept)
    lrows, srows = _clause_rows(tuple(c.text for c in loc)), _clause_rows(tuple(c.text for c in src))
    lcols, scols, idf = _pair_idf(lrows, srows)
    cosm = lrows.matrix(lcols, idf) @ srows.matrix(scols, idf).T
    lcont = [content(c.text) for c in loc]
    scont = [content(c.text) for c in src]
    lw = [char_weights(c.text) for c in loc]
    sw = [char_weights(c.text) for c in src]
    lsum, ssum = [float(w.sum()) for w in lw], [float(w.sum()) for w in sw]  # each text's weighted length

    emb = known_l = known_s = None
    if embedder is not None:
        emb = embedder.encode([c.text for c in loc]) @ embedder.encode([c.text for c in src]).T
        known_l = [_read(embedder.known_fraction([c.text])) for c in loc]
        known_s = [_read(embedder.known_fraction([c.text])) for c in src]

    n_cand = max(MIN_CANDIDATES, 2 * top_k)
    skeys = [c.key for c in src]
    out: list[Alignment] = []
    for i, a in enumerate(loc):
        bm = index.scores(a.text)
        med = spread = 0.0
        if emb is None:
            # the fused ranking is the BM25 ranking (1/(RRF_K + r) falls by far more than the rounding):
            # only its first n_cand are needed
            cands = _bm25_order(bm, skeys, n_cand)
        else:
            bm_rank = {j: r for r, j in enumerate(_bm25_order(bm, skeys))}
            fused: dict[int, float] = {j: 1 / (RRF_K + r + 1) for j, r in bm_rank.items()}
            med, spread = _emb_stats(emb[i])
            gate = spread * float(np.mean([min(known_l[i], k) for k in known_s]))
            order = sorted(range(len(src)), key=lambda j: (-round(float(emb[i, j]), 6), src[j].key))
            for r, j in enumerate(order[:n_cand]):
                fused[j] = fused.get(j, 0.0) + gate / (RRF_K + r + 1)
            cands = sorted(fused, key=lambda j: (-round(fused[j], 9), src[j].key))[:n_cand]
        if not cands:
            continue
        ps = passages(lcont[i][0], [scont[j][0] for j in cands])
        scored = []
        for j, pj in zip(cands, ps):
            lex = _lexical(float(cosm[i, j]), _coverage(pj, lw[i], sw[j], lsum[i], ssum[j]), lsum[i], ssum[j])
            e = None
            score = lex
            method = "lexical"
            if emb is not None:
                e = float(emb[i, j])
                w = EMB_MAX_WEIGHT * min(known_l[i], known_s[j]) * spread
                score = (1 - w) * lex + w * _emb_component(e, med)
                method = "hybrid" if (lex > 0 or j in bm_rank) else "embedding"
            score = _r3(score)
            if score < min_score:
                continue
            first = pj[0] if pj else None
            lspan = to_span(lcont[i][1], first.a_start, first.a_end) if first else (0, 0)
            sspan = to_span(scont[j][1], first.b_start, first.b_end) if first else (0, 0)
            scored.append((score, src[j].key, method, _r3(lex), None if e is None else _r3(e), lspan, sspan))
        scored.sort(key=lambda t: (-t[0], t[1]))
        for rank, (score, skey, method, lex, e, lspan, sspan) in enumerate(scored[:top_k], 1):
            out.append(Alignment(a.key, skey, score, rank, method, lex, e, a.text[lspan[0]:lspan[1]],
                                 lspan, sspan))
    return out


def pair_score(a: str, b: str, embedder: "Embedder | None" = None, *,
               context: list[str] | None = None) -> tuple[float, float, float | None]:
    """Calibrated similarity of two arbitrary clause texts: ``(score, lexical, embedding)``.

    ``context`` — the clause texts of the two documents, if known — supplies the idf and the
    embedding baseline, which makes the score identical to :func:`align_documents`'s for the pair.
    Without it every non-stopword token weighs the same (a little more generous for boilerplate)
    and the embedding gets half the maximum weight, scaled by how well the model reads the texts.
    ``embedding`` is the raw cosine (``None`` without an embedder).  All rounded to 3 digits."""
    ta, tb = tokenize(a), tokenize(b)
    ctx = list(context or [])
    if ctx:
        space = _Space([tokenize(t) for t in ctx])
    else:
        space = _Space([ta, tb], uniform_idf=True)
    va, vb = space.matrix([ta, tb])
    cos = float(va @ vb)
    ca, cb = content(a)[0], content(b)[0]
    wa, wb = char_weights(a), char_weights(b)
    ps = passages(ca, [cb])[0]
    lex = _lexical(cos, _coverage(ps, wa, wb), wa.sum(), wb.sum())
    if embedder is None:
        return _r3(lex), _r3(lex), None
    known = _read(min(embedder.known_fraction([a]), embedder.known_fraction([b])))
    e = float(embedder.encode([a])[0] @ embedder.encode([b])[0])
    others = [t for t in ctx if t != a]
    if others:
        med, spread = _emb_stats(embedder.encode([a])[0] @ embedder.encode(others).T)
        w = EMB_MAX_WEIGHT * known * spread
        comp = _emb_component(e, med)
    else:
        w = EMB_MAX_WEIGHT * known * 0.5
        comp = max(0.0, e)
    return _r3((1 - w) * lex + w * comp), _r3(lex), _r3(e)


def document_similarity(a_texts: list[str], b_texts: list[str]) -> float:
    """Cheap 0–1 similarity of two documents given their clause texts.

    The share of the shorter document's clauses whose best tf-idf cosine (idf over the two documents'
    clauses) with a clause of the other document reaches 0.2 — roughly, how much of it has a
    counterpart — blended half-and-half with the cosine of the whole documents' tf-idf vectors.
    No local alignment is run; use it to choose which document pairs to align.  Each document's token
    counts are computed once and cached (a source is compared with many local documents)."""
    da, db = _doc_counts(tuple(a_texts)), _doc_counts(tuple(b_texts))
    if not da.n_rows or not db.n_rows:
        return 0.0
    pa, pb, idf = _pair_idf(da, db)
    ma, mb = da.matrix(pa, idf), db.matrix(pb, idf)
    sims = ma @ mb.T
    if da.n_rows <= db.n_rows:
        covered = float(np.mean(sims.max(axis=1) >= 0.2))
    else:
        covered = float(np.mean(sims.max(axis=0) >= 0.2))
    whole = _normalised_rows(np.vstack([da.whole_row(pa, idf), db.whole_row(pb, idf)]))
    doc_cos = float(whole[0] @ whole[1])
    return _r3(min(1.0, 0.5 * covered + 0.5 * doc_cos))


def _log_tf(counts: np.ndarray) -> np.ndarray:
    """``1 + ln(count)`` per count, computed by :func:`math.log` as :meth:`_Space.matrix` does."""
    return np.array([1 + math.log(c) for c in counts.tolist()], dtype=np.float64)


def _normalised_rows(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1
    return m / norms


@functools.lru_cache(maxsize=1024)
def _idf_table(n: int) -> np.ndarray:
    """BM25's idf for every document frequency 0…n among ``n`` texts, each by :func:`math.log` exactly as
    :class:`_Space` computes it (so a looked-up idf is the same float)."""
    return np.array([math.log(1 + (n - df + 0.5) / (df + 0.5)) for df in range(n + 1)], dtype=np.float64)


class _TermRows:
    """The token counts of a list of texts (one row each), kept for the tf-idf matrices of
    :func:`document_similarity` and :func:`align_documents`: the same matrices as :class:`_Space` builds
    over two such lists, filled with array operations.  The vocabulary is this list's distinct tokens in
    sorted order; the union of two lists' vocabularies, in sorted order, is :class:`_Space`'s columns."""

    def __init__(self, token_lists: list[tuple[str, ...]]) -> None:
        counts = [Counter(t) for t in token_lists]
        self.n_rows = len(counts)
        df: Counter = Counter(t for c in counts for t in c)
        vocab = sorted(df)
        pos = {t: i for i, t in enumerate(vocab)}
        #: the distinct tokens, sorted (numpy strings compare as Python's do, but for NULs, which no token has)
        self.vocab = np.array(vocab, dtype=str) if vocab else np.zeros(0, dtype="<U1")
        self.exact = not any("\x00" in t for t in vocab)
        self.vocab_list = vocab
        self.df = np.array([df[t] for t in vocab], dtype=np.int64)
        self.generic = np.array([GENERIC_WEIGHT if is_generic(t) else 1.0 for t in vocab], dtype=np.float64)
        self.row_idx = np.array([r for r, c in enumerate(counts) for _ in c], dtype=np.int64)
        self.entry = np.array([pos[t] for c in counts for t in c], dtype=np.int64)
        self.log_tf = _log_tf(np.array([k for c in counts for k in c.values()], dtype=np.int64))
        self.counts = counts

    def matrix(self, cols: np.ndarray, idf: np.ndarray) -> np.ndarray:
        """Row-normalised tf-idf matrix over the columns of a pair (``cols``: this vocabulary's column
        numbers among them)."""
        m = np.zeros((self.n_rows, len(idf)))
        c = cols[self.entry]
        m[self.row_idx, c] = self.log_tf * idf[c]
        return _normalised_rows(m)


def _pair_idf(a: _TermRows, b: _TermRows) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The columns of two lists' union vocabulary (sorted) for each list's tokens, and the idf of each column
    (BM25's over the texts of both lists, generic words weighed down) — :class:`_Space`'s numbers."""
    if a.exact and b.exact:
        vocab = np.union1d(a.vocab, b.vocab)
        pa = np.searchsorted(vocab, a.vocab)
        pb = np.searchsorted(vocab, b.vocab)
        size = len(vocab)
    else:  # a token with a NUL: Python's order
        words = sorted(set(a.vocab_list) | set(b.vocab_list))
        col = {t: j for j, t in enumerate(words)}
        pa = np.array([col[t] for t in a.vocab_list], dtype=np.int64)
        pb = np.array([col[t] for t in b.vocab_list], dtype=np.int64)
        size = len(words)
    df = np.zeros(size, dtype=np.int64)
    df[pa] += a.df
    df[pb] += b.df
    generic = np.empty(size, dtype=np.float64)
    generic[pa] = a.generic
    generic[pb] = b.generic
    return pa, pb, _idf_table(a.n_rows + b.n_rows)[df] * generic


class _DocCounts(_TermRows):
    """One document's clause-token counts, kept for :func:`document_similarity` (its clauses with tokens,
    and the whole document's counts)."""

    def __init__(self, texts: tuple[str, ...]) -> None:
        toks = [tokens_of(t) for t in texts if t and t.strip()]
        super().__init__([t for t in toks if t])
        whole: Counter = Counter()
        for c in self.counts:
            whole.update(c)
        pos = {t: i for i, t in enumerate(self.vocab_list)}
        self.whole_entry = np.array([pos[t] for t in whole], dtype=np.int64)
        self.whole_log_tf = _log_tf(np.array(list(whole.values()), dtype=np.int64))
        del self.counts

    def whole_row(self, cols: np.ndarray, idf: np.ndarray) -> np.ndarray:
        row = np.zeros(len(idf))
        c = cols[self.whole_entry]
        row[c] = self.whole_log_tf * idf[c]
        return row


@functools.lru_cache(maxsize=4096)
def _doc_counts(texts: tuple[str, ...]) -> _DocCounts:
    return _DocCounts(texts)


@functools.lru_cache(maxsize=256)
def _clause_rows(texts: tuple[str, ...]) -> _TermRows:
    """The token counts of a document's clauses, one row per clause (none left out), for
    :func:`align_documents` (a source document is aligned with every local document that implements it)."""
    rows = _TermRows([tokens_of(t) for t in texts])
    del rows.counts
    return rows


__all__ = ["ClauseText", "Alignment", "align_documents", "pair_score", "document_similarity", "calibrate", "CALIBRATION"]
