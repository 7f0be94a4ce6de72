"""Prepared jieba tokenizers: a dictionary built once, kept in the disk cache (:mod:`kg.cache`) split by first
character, and read back by part as texts need it — start-up is a few small reads, not jieba's 0.6 s load of
its 350k-word prefix dictionary plus our own words.  Used by the extraction pipeline's segmenter
(:mod:`kg.extract.nlp`: jieba + the gazetteer's names) and by the retrieval tokenizer of the query layer and the
aligner (:mod:`kg.align.tokens`: jieba + domain terms), each under its own cache kind and key.  This module
imports neither of them, so the query layer may use it.
"""
from __future__ import annotations

import functools
import logging
import tempfile
from typing import Any, Callable


def quiet_jieba():
    """``jieba``, its start-up log silenced."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    return jieba


def shards(freq: dict) -> dict[str, bytes]:
    """jieba's prefix dictionary split by first character, each part marshalled on its own."""
    import marshal

    parts: dict[str, dict] = {}
    for w, f in freq.items():
        parts.setdefault(w[:1], {})[w] = f
    return {c: marshal.dumps(d) for c, d in parts.items()}


@functools.lru_cache(maxsize=1)
def sharded_tokenizer_class():
    import marshal
    import threading

    jieba = quiet_jieba()

    class ShardedTokenizer(jieba.Tokenizer):
        """A prepared ``jieba.Tokenizer`` whose prefix dictionary is filled by first character, as texts
        need it: the first document of a process reads a third of the 560k entries, not all of them
        (≈0.2 s less start-up).  Every lookup jieba makes while cutting a text is of a substring of a
        run it passed to :meth:`get_DAG` (the DAG, the route, the HMM buffer, search-mode n-grams), so
        loading the parts for that run's characters there gives exactly the whole dictionary's words;
        :meth:`add_word` and :meth:`suggest_freq` load the parts of their words first, and
        :meth:`load_all` the rest.  ``dict_version`` counts changes made through the API (the memo of
        ``kg.extract.nlp.BlockMemoSegmenter`` is keyed on it, not on the dictionary's growing size)."""

        def __init__(self, parts: dict[str, bytes], total: int, tags: dict) -> None:
            super().__init__()
            self.tmp_dir = tempfile.gettempdir()
            self.FREQ, self.total, self.user_word_tag_tab = {}, total, tags
            self.initialized = True
            self.dict_version = 0
            self._pending = dict(parts)
            self._shard_lock = threading.Lock()

        def _need(self, text) -> None:
            pending = self._pending
            if pending and not pending.keys().isdisjoint(text):
                with self._shard_lock:
                    for c in set(text):
                        b = pending.get(c)
                        if b is not None:
                            self.FREQ.update(marshal.loads(b))
                            del pending[c]  # only now: a thread that saw it pending waits on the lock

        def load_all(self) -> None:
            self._need(list(self._pending))

        def get_DAG(self, sentence):
            self._need(sentence)
            return super().get_DAG(sentence)

        def add_word(self, word, freq=None, tag=None):
            self._need(jieba.strdecode(word))
            super().add_word(word, freq, tag)
            self.dict_version += 1

        def suggest_freq(self, segment, tune=False):
            self._need(segment if isinstance(segment, str) else "".join(map(jieba.strdecode, segment)))
            return super().suggest_freq(segment, tune)

        def initialize(self, dictionary=None):
            self.load_all()
            return super().initialize(dictionary)

    return ShardedTokenizer


def new_tokenizer():
    """A plain ``jieba.Tokenizer`` with jieba's own dictionary loaded (its prefix-dictionary cache in the
    temporary directory), to add words to before :func:`prepared` saves it."""
    from jieba import finalseg

    tok = quiet_jieba().Tokenizer()
    tok.tmp_dir = tempfile.gettempdir()
    tok.initialize()
    tok._forced_before = set(finalseg.Force_Split_Words)  # noqa: SLF001 - read back by prepared()
    return tok


def prepared(kind: str, key: str, build: Callable[[], Any]):
    """The tokenizer of cache entry ``(kind, key)``: a :class:`ShardedTokenizer` with nothing read yet when the
    entry is there, else ``build()`` (a tokenizer from :func:`new_tokenizer` with words added) — whose
    dictionary, total, tags and forced splits are then written to the cache for the next process."""
    from jieba import finalseg

    from kg import cache

    quiet_jieba()
    data = cache.load(kind, key)
    if data is not None:
        try:
            parts, total, tags, forced = data
            if not isinstance(parts, dict):
                raise TypeError("not a sharded dictionary")
            tok = sharded_tokenizer_class()(parts, total, tags)
            for w in forced:  # jieba keeps forced splits (words added with frequency 0) globally
                finalseg.add_force_split(w)
            return tok
        except (TypeError, ValueError):
            pass
    tok = build()
    forced = sorted(set(finalseg.Force_Split_Words) - getattr(tok, "_forced_before", set()))
    cache.save(kind, key, (shards(tok.FREQ), tok.total, tok.user_word_tag_tab, forced))
    return tok


__all__ = ["quiet_jieba", "shards", "sharded_tokenizer_class", "new_tokenizer", "prepared"]
