"""Tokenisation for clause retrieval and alignment.

``tokenize(text)`` returns the retrieval tokens of a clause:

* **words** — jieba segmentation with the domain dictionary ``kg/ontology/terms.txt`` plus the
  generic words below (a private ``jieba.Tokenizer``, so the global one and the extraction
  pipeline's segmenter are untouched), minus the ``[stop]`` words of
  ``kg/ontology/retrieval_stopwords.txt``, punctuation, whitespace, bare numbers and single
  characters (those still count inside the bigrams);
* **character bigrams** — inside every run of consecutive *content* CJK words, so a stopword, a
  generic word or a punctuation mark breaks the run (``推动物联网感知`` gives ``感知`` but not ``动物``).
  A bigram that is exactly a two-character word at the same place is not emitted twice.

``[generic]`` words (物联网, 基础电信企业 …, the field's boilerplate) stay tokens but yield no bigrams;
:func:`is_generic` lets the scorer weigh them down, and :func:`char_weights` gives their characters
(and those of stopwords and numbers) a low weight in the Smith–Waterman coverage.

Text is NFKC-normalised (全角 ``５Ｇ`` = ``5G``) and tokens are lower-cased (``NB-IoT`` → ``nb-iot``).
This module never imports the extraction pipeline (``kg.extract``/``kg.gazetteer``), so the query
layer may use it.

>>> toks = tokenize("加强移动物联网安全防护")
>>> "加强" in toks, "移动物联网" in toks, "安全" in toks, "防护" in toks, "全防" in toks, "物联" in toks
(False, True, True, True, True, False)
"""
from __future__ import annotations

import functools
import re
import sys
import unicodedata
from contextlib import contextmanager
from pathlib import Path

import numpy as np

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
TERMS_PATH = ONTOLOGY_DIR / "terms.txt"
STOPWORDS_PATH = ONTOLOGY_DIR / "retrieval_stopwords.txt"

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORDCHAR = re.compile(r"[\w\u3400-\u4dbf\u4e00-\u9fff]")
_NUMBER = re.compile(r"^[\d.,%‰]+$")
#: one character :func:`is_content_char` accepts, and a run of characters ``_CJK`` accepts
_CONTENT_CHAR = re.compile(r"(?!_)[\w\u3400-\u4dbf\u4e00-\u9fff]")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

KEEP, GENERIC, DROP = "keep", "generic", "drop"
# weight of a character in the alignment coverage, by the kind of word it belongs to
CHAR_WEIGHT = {KEEP: 1.0, GENERIC: 0.2, DROP: 0.2}
NUMBER_CHAR_WEIGHT = 0.5
TITLE_CHAR_WEIGHT = 0.2
_TITLE = re.compile(r"《[^《》]{1,80}》")


@functools.lru_cache(maxsize=1)
def _lists() -> dict[str, frozenset[str]]:
    sections: dict[str, set[str]] = {"stop": set(), "generic": set()}
    current = "stop"
    for line in STOPWORDS_PATH.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            sections.setdefault(current, set())
            continue
        sections[current].update(normalise(w) for w in line.split())
    sections["generic"] -= sections["stop"]
    return {k: frozenset(v) for k, v in sections.items()}


def stopwords() -> frozenset[str]:
    """The ``[stop]`` words of the data file (dropped from the tokens)."""
    return _lists()["stop"]


def generic_words() -> frozenset[str]:
    """The ``[generic]`` words of the data file (kept, but weighed down)."""
    return _lists()["generic"]


def is_generic(token: str) -> bool:
    return token in _lists()["generic"]


@functools.lru_cache(maxsize=1)
def segmenter():
    """A private jieba tokenizer with the domain terms and the generic words, prepared once and kept in the
    disk cache by first character (:mod:`kg.jieba_prepared`: a later process reads the parts its texts need,
    not jieba's whole dictionary)."""
    from kg import cache
    from kg.jieba_prepared import prepared, quiet_jieba

    def build():
        from kg.jieba_prepared import new_tokenizer

        tok = new_tokenizer()
        if TERMS_PATH.exists():
            tok.load_userdict(str(TERMS_PATH))
        for w in sorted(generic_words()):
            if len(w) > 2:
                tok.add_word(w, 20000)
        return tok

    key = cache.digest(["retrieval-jieba 1", f"jieba {quiet_jieba().__version__}"],
                       [TERMS_PATH, STOPWORDS_PATH, Path(__file__).resolve(),
                        Path(__file__).resolve().parent.parent / "jieba_prepared.py"])
    return prepared("retrieval-jieba", key, build)


def normalise(text: str) -> str:
    """NFKC + lower case: the form every comparison in :mod:`kg.align` works on."""
    return unicodedata.normalize("NFKC", text).lower()


def is_content_char(ch: str) -> bool:
    """True for characters alignment looks at: letters, digits, CJK (not punctuation/whitespace)."""
    return bool(_WORDCHAR.match(ch)) and ch != "_"


def words(text: str) -> list[tuple[str, int, int, str]]:
    """jieba words of the NFKC text as ``(word, start, end, kind)``, ``kind`` one of ``"keep"``,
    ``"generic"`` or ``"drop"`` (stopwords, punctuation, whitespace, bare numbers, single characters).

    The text is segmented *before* lower-casing (the dictionary spells NB-IoT, RedCap as written);
    the words are returned lower-cased."""
    t = unicodedata.normalize("NFKC", text)
    stop, generic = stopwords(), generic_words()
    out = []
    for w, s, e in segmenter().tokenize(t):
        w = w.strip().lower()
        if len(w) <= 1 or _CONTENT_CHAR.search(w) is None or w in stop or _NUMBER.match(w):
            kind = DROP
        elif w in generic:
            kind = GENERIC
        else:
            kind = KEEP
        out.append((w, s, e, kind))
    return out


def tokenize(text: str) -> list[str]:
    """Retrieval tokens: kept and generic jieba words, then the character bigrams of the content runs.

    Deterministic and order-preserving (a word list, not a set: term frequency matters).  Results
    are cached per text (clauses are tokenised again for every document pair they take part in)."""
    return list(_analysis(text)[0])


def tokens_of(text: str) -> tuple[str, ...]:
    """:func:`tokenize` as the cached tuple itself (no copy): for callers that only read it."""
    return _analysis(text)[0]


#: text → (tokens, char weights) kept without bound while :func:`remembering` is in force
_KEPT: dict[str, tuple[tuple[str, ...], np.ndarray]] | None = None


@contextmanager
def remembering():
    """Within it every text's analysis (tokens and character weights, from one jieba segmentation) is kept
    until it ends, not only the last few thousand: for a step that aligns the clauses of a whole corpus,
    each of them many times (the lineage step).  Worker processes forked inside inherit what is kept.
    Nested uses share the outermost one's memory."""
    global _KEPT
    if _KEPT is not None:
        yield
        return
    _KEPT = {}
    try:
        yield
    finally:
        _KEPT = None


def unkept(texts) -> list[str]:
    """The distinct texts of ``texts`` whose analysis :func:`remembering` does not keep yet, in first-seen
    order (none when it is not in force: nothing would keep them)."""
    kept = _KEPT
    return [] if kept is None else [t for t in dict.fromkeys(texts) if t not in kept]


def analyse_many(texts: list[str]) -> list[tuple[tuple[str, ...], np.ndarray]]:
    """The analyses of ``texts`` (tokens, character weights), as :func:`tokens_of` and :func:`char_weights`
    give them: for a worker process that analyses a share of a corpus for :func:`keep`."""
    return [_analysis(t) for t in texts]


def keep(texts: list[str], analyses: list[tuple[tuple[str, ...], np.ndarray]]) -> None:
    """Keep analyses made in another process (:func:`analyse_many`) while :func:`remembering` is in force:
    the tokens interned again, as :func:`_tokens` does here, and the weights read-only."""
    kept = _KEPT
    if kept is None:
        return
    for t, (toks, weights) in zip(texts, analyses):
        weights.flags.writeable = False
        kept[t] = (tuple(map(_intern, toks)), weights)


def _analysis(text: str) -> tuple[tuple[str, ...], np.ndarray]:
    kept = _KEPT
    if kept is not None:
        hit = kept.get(text)
        if hit is None:
            hit = kept[text] = _analyse_cached(text)
        return hit
    return _analyse_cached(text)


@functools.lru_cache(maxsize=8192)
def _analyse_cached(text: str) -> tuple[tuple[str, ...], np.ndarray]:
    ws = words(text)
    return _tokens(ws), _char_weights(text, ws)


_intern = sys.intern


def _tokens(ws: list[tuple[str, int, int, str]]) -> tuple[str, ...]:
    toks = [_intern(w) for w, _, _, kind in ws if kind != DROP]
    run: list[str] = []
    runs: list[list[str]] = []
    for w, _, _, kind in ws:
        if kind == KEEP and _CJK_RUN.fullmatch(w):  # a kept word is never empty
            run.append(w)
        else:
            if run:
                runs.append(run)
            run = []
    if run:
        runs.append(run)
    for r in runs:
        chars = "".join(r)
        two_char_words = set()
        pos = 0
        for w in r:
            if len(w) == 2:
                two_char_words.add(pos)
            pos += len(w)
        for i in range(len(chars) - 1):
            if i not in two_char_words:
                toks.append(_intern(chars[i:i + 2]))
    return tuple(toks)


#: character → the codes of its content characters once normalised (most characters: one or none)
_CHAR_CODES: dict[str, tuple[int, ...]] = {}


def content_codes(ch: str) -> tuple[int, ...]:
    """The code points of the content characters :func:`normalise` makes of the character ``ch``."""
    got = _CHAR_CODES.get(ch)
    if got is None:
        got = _CHAR_CODES[ch] = tuple(ord(c) for c in normalise(ch) if is_content_char(c))
    return got


def content_offsets(text: str) -> list[int]:
    """For each content character of the normalised ``text`` (see :func:`kg.align.sw.content`), the offset
    in ``text`` of the character it comes from."""
    from .sw import content  # (sw imports this module)

    return content(text)[1].tolist()


def char_weights(text: str) -> np.ndarray:
    """Weight of each *content* character of ``text`` (same order as :func:`kg.align.sw.content`):
    1 inside content words, 0.2 inside stopwords, generic words and cited titles (``《…》``), 0.5 for
    bare numbers.

    Falls back to all ones when NFKC changes the text's length (offsets would not line up).  Cached per
    text with its tokens (one jieba segmentation for both)."""
    return _analysis(text)[1]


def _char_weights(text: str, ws: list[tuple[str, int, int, str]]) -> np.ndarray:
    nfkc = unicodedata.normalize("NFKC", text)
    if len(nfkc) != len(text):
        out = np.ones(len(content_offsets(text)))
        out.flags.writeable = False
        return out
    # a list of floats, not an array: most words change a few characters, and a list's slices are cheaper
    per_char = [CHAR_WEIGHT[KEEP]] * len(text)
    # the title of a cited document (《…》) is evidence of a reference, not of a restated clause
    for m in _TITLE.finditer(nfkc):
        per_char[m.start():m.end()] = [TITLE_CHAR_WEIGHT] * (m.end() - m.start())
    stop = stopwords()
    for w, s, e, kind in ws:
        if w in stop:
            per_char[s:e] = [CHAR_WEIGHT[DROP]] * (e - s)
        elif _NUMBER.match(w):
            per_char[s:e] = [min(x, NUMBER_CHAR_WEIGHT) for x in per_char[s:e]]
        elif kind == GENERIC:
            per_char[s:e] = [min(x, CHAR_WEIGHT[GENERIC]) for x in per_char[s:e]]
    out = np.array([per_char[i] for i in content_offsets(text)], dtype=np.float64)
    out.flags.writeable = False  # shared by every caller
    return out


__all__ = ["tokenize", "tokens_of", "remembering", "content_codes", "content_offsets", "normalise", "stopwords", "generic_words", "is_generic", "segmenter", "words",
           "is_content_char", "char_weights"]
