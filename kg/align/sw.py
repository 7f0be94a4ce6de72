"""Smith–Waterman local alignment over characters (numpy, vectorised per row).

Following the Legislative Influence Detector (Burgess et al., KDD 2016), a search index proposes
candidate clauses and a local alignment confirms them and shows the passage the two texts share.

**What is aligned.**  Both texts are NFKC-normalised and lower-cased, and only *content* characters
(letters, digits, CJK) take part: punctuation and whitespace are ignored, so ``统筹考虑 4G/5G`` and
``统筹考虑4G/5G`` align end to end.  Spans are mapped back to offsets in the *original* strings
(``text[start:end]`` is the shared passage as written there, punctuation inside it included).

**Scoring.**  Linear gaps: match ``+2``, mismatch ``-2``, gap ``-2`` per character.  A passage must
therefore gain three matching characters for every two characters of difference it bridges, which
joins ``移动物联网服务`` with ``物联网服务`` but not two common words separated by unrelated text.

**Vectorisation.**  Row ``i`` of the score matrix is computed with numpy in one go: the diagonal and
vertical moves are element-wise, and the horizontal (left-to-right) dependency of a linear gap is a
running maximum: ``H[j] = max_k≤j (T[k] − g·(j−k)) = cummax(T + g·k)[j] − g·j``.  Several candidate
texts are aligned against one query in a single pass by concatenating them with separator columns
that are reset to zero and by offsetting each segment so the running maximum cannot cross it
(:func:`align_many`).  A 150 × 1,500 character batch takes a few milliseconds.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .tokens import is_content_char, normalise

MATCH = 2
MISMATCH = -2
GAP = 2  # penalty per gap character (subtracted)
_SEP = -1  # separator code in the concatenated candidates: never equal to a character code
_MASK_B = -3  # masked (already used) characters of a candidate: never match anything


@dataclass(frozen=True)
class Passage:
    """One local alignment: raw score, matched characters and spans in content-character indices."""

    score: int
    matches: int
    a_start: int
    a_end: int
    b_start: int
    b_end: int


def content(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the content characters of ``text`` (normalised) and, for each, its offset in ``text``."""
    codes: list[int] = []
    offs: list[int] = []
    for i, ch in enumerate(text):
        for c in normalise(ch):
            if is_content_char(c):
                codes.append(ord(c))
                offs.append(i)
    return np.asarray(codes, dtype=np.int64), np.asarray(offs, dtype=np.int64)


def to_span(offs: np.ndarray, start: int, end: int) -> tuple[int, int]:
    """Content-index span → ``(start, end)`` offsets in the original text (``(0, 0)`` if empty)."""
    if end <= start:
        return (0, 0)
    return (int(offs[start]), int(offs[end - 1]) + 1)


def align_many(a: np.ndarray, bs: list[np.ndarray], *, a_masks: list[np.ndarray] | None = None) -> list[Passage | None]:
    """Best local alignment of ``a`` against each of ``bs`` (content codes), in one DP pass.

    Returns one :class:`Passage` per candidate, or ``None`` when nothing matches.  Ties are broken
    by the first cell in row-major order, so the result is deterministic.  ``a_masks`` (one boolean
    array per candidate) marks characters of ``a`` that may not match that candidate (already used)."""
    n = len(a)
    if n == 0 or not bs:
        return [None] * len(bs)
    parts: list[np.ndarray] = []
    seg_cols = [0]  # column index where each segment's own "column 0" sits
    width = 0
    for k, b in enumerate(bs):
        if k:
            parts.append(np.array([_SEP], dtype=np.int64))
            width += 1
            seg_cols.append(width)
        parts.append(np.asarray(b, dtype=np.int64))
        width += len(b)
    B = np.concatenate(parts)
    m = len(B)
    # the running-maximum offsets must dominate any score + gap term: pick the integer width
    big = 2 * (MATCH * n + GAP * (m + 1)) + 1
    dtype = np.int32 if big * (len(bs) + 1) < 2**31 - 1 else np.int64
    seg = np.zeros(m + 1, dtype=dtype)
    for k, c0 in enumerate(seg_cols):
        seg[c0:] = k
    sep_cols = np.asarray(seg_cols[1:], dtype=np.int64)
    gj = (GAP * np.arange(m + 1)).astype(dtype)
    shift = gj + seg * dtype(big)
    S = np.where(a[:, None] == B[None, :], MATCH, MISMATCH).astype(dtype)
    # a separator column can never be entered diagonally; vertically it stays at 0 (0 − gap, floored
    # at 0), and as the first column of its segment the running maximum cannot lift it either
    S[:, sep_cols - 1] = -big
    if a_masks is not None:
        for k, mask in enumerate(a_masks):
            if mask.any():
                S[np.ix_(np.flatnonzero(mask), np.arange(seg_cols[k], seg_cols[k] + len(bs[k])))] = MISMATCH
    H = np.zeros((n + 1, m + 1), dtype=dtype)
    T = np.zeros(m + 1, dtype=dtype)
    tmp = np.empty(m, dtype=dtype)
    for i in range(1, n + 1):
        prev = H[i - 1]
        np.add(prev[:-1], S[i - 1], out=T[1:])
        np.subtract(prev[1:], GAP, out=tmp)
        np.maximum(T[1:], tmp, out=T[1:])
        np.maximum(T, 0, out=T)
        T += shift
        row = H[i]
        np.maximum.accumulate(T, out=row)
        row -= shift
    out: list[Passage | None] = []
    bounds = seg_cols + [m + 1]
    for k in range(len(bs)):
        c0, c1 = bounds[k], bounds[k + 1]
        sub = H[:, c0:c1]
        if sub.size == 0 or sub.max() <= 0:
            out.append(None)
            continue
        flat = int(np.argmax(sub))
        i, j = divmod(flat, sub.shape[1])
        j += c0
        best = int(H[i, j])
        i_end, j_end = i, j
        matches = 0
        while i > 0 and j > c0 and H[i, j] > 0:
            h = H[i, j]
            if h == H[i - 1, j - 1] + S[i - 1, j - 1]:
                if S[i - 1, j - 1] == MATCH:
                    matches += 1
                i, j = i - 1, j - 1
            elif h == H[i - 1, j] - GAP:
                i -= 1
            else:
                j -= 1
        out.append(Passage(best, matches, i, i_end, j - c0, j_end - c0))
    return out


def passages(a: np.ndarray, bs: list[np.ndarray], rounds: int = 3, min_matches: int = 4,
             promising: int = 8) -> list[list[Passage]]:
    """Up to ``rounds`` local alignments of ``a`` with each of ``bs``, disjoint in both texts.

    After each round the aligned stretches are masked — in the candidate by replacing its codes, in
    the query by forbidding those rows to match *that* candidate — and all candidates are aligned
    again in one batched DP, so a clause that restates two separate sentences of its source is
    credited for both.  Later passages with fewer than ``min_matches`` matching characters are
    dropped (common words) and end that candidate's search; so does a first passage of fewer than
    ``promising`` matches (a shared word or two: further rounds would only find more of the same,
    and skipping them keeps the search fast)."""
    b_k = [np.asarray(b, dtype=np.int64).copy() for b in bs]
    used = [np.zeros(len(a), dtype=bool) for _ in bs]
    found: list[list[Passage]] = [[] for _ in bs]
    active = list(range(len(bs)))
    for r in range(rounds):
        if not active:
            break
        res = align_many(a, [b_k[k] for k in active], a_masks=[used[k] for k in active])
        nxt = []
        for k, p in zip(active, res):
            if p is None or (r > 0 and p.matches < min_matches):
                continue
            found[k].append(p)
            used[k][p.a_start:p.a_end] = True
            b_k[k][p.b_start:p.b_end] = _MASK_B
            if p.matches >= (promising if r == 0 else min_matches):
                nxt.append(k)
        active = nxt
    return found


def smith_waterman(a: str, b: str) -> tuple[float, tuple[int, int], tuple[int, int]]:
    """Character-level local alignment of two texts.

    Returns ``(score, a_span, b_span)``: the raw alignment score (``+2`` per match, ``-2`` per
    mismatch or gap character; 0 when nothing matches) and the ``(start, end)`` offsets of the
    shared passage in ``a`` and in ``b``.  Punctuation and whitespace are ignored while aligning
    (see the module docstring); the spans are offsets into the original strings.

    >>> s, sa, sb = smith_waterman("要统筹考虑4G/5G和2G/3G服务", "统筹考虑 4G/5G 和 2G/3G 的衔接")
    >>> "要统筹考虑4G/5G和2G/3G服务"[sa[0]:sa[1]], "统筹考虑 4G/5G 和 2G/3G 的衔接"[sb[0]:sb[1]]
    ('统筹考虑4G/5G和2G/3G', '统筹考虑 4G/5G 和 2G/3G')
    """
    ca, oa = content(a)
    cb, ob = content(b)
    p = align_many(ca, [cb])[0]
    if p is None:
        return 0.0, (0, 0), (0, 0)
    return float(p.score), to_span(oa, p.a_start, p.a_end), to_span(ob, p.b_start, p.b_end)


__all__ = ["smith_waterman", "align_many", "passages", "content", "to_span", "Passage", "MATCH", "MISMATCH", "GAP"]
