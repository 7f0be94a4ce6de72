"""The shared spaCy pipeline: blank ``zh`` with the jieba segmenter and a gazetteer entity ruler.

* Segmentation uses a private ``jieba.Tokenizer`` (not jieba's global one, so other modules'
  segmentation is not changed) loaded with ``kg/ontology/terms.txt`` plus every agency name, alias,
  relative form (市通信管理局) and actor-class label from the gazetteer, so mentions are single
  tokens.  jieba's log is silenced.  Nothing is downloaded.
* **Each text is segmented once.**  jieba cuts a text run by run (:class:`BlockMemoSegmenter`), so
  the words of a run are kept and reused: a paragraph's compact form (the parties extractor's
  view), a clause joined from paragraphs and a document's boilerplate cost no second cut.  The
  entity ruler's spans of a paragraph also serve its compact form when the two differ only by
  folds that cannot change them (，→, ～→~: :meth:`GazetteerRuler._fold`); other texts get the
  ruler's spans without a spaCy doc (:meth:`GazetteerRuler.text_spans`).
* An ``entity_ruler`` labels agency surfaces ``ORG`` and actor classes ``ACTOR_CLASS``; each
  span's ``id`` is the surface key the gazetteer resolves (relative names need the document's
  jurisdiction, so the ruler only finds mentions and :mod:`kg.gazetteer` resolves them).  It is
  :class:`GazetteerRuler`, which gives exactly the spans of spaCy's ``EntityRuler`` with
  ``phrase_matcher_attr="ORTH"`` and ``overwrite_ents=True`` (same matches, same longest-first
  choice) but matches through a trie of token hashes: no per-call work proportional to the number
  of patterns (spaCy's ruler re-counts its 19k patterns on every call).
* **Start-up is a load, not a build.**  The prepared jieba dictionary (jieba's own plus the ~19k
  gazetteer words) and the ruler's trie are written once to ``$XDG_CACHE_HOME/policy-kg/``
  (``~/.cache/policy-kg/`` by default; ``KG_CACHE_DIR`` overrides) under a key that digests the
  gazetteer YAML files, ``terms.txt``, the code that derives the surface forms, and the Python,
  jieba and spaCy versions; a later process loads them with :mod:`marshal` (:mod:`kg.cache`: the
  file read whole and decoded with the garbage collector paused — ``marshal.load`` on a file object
  took 0.75 s for the 11.5 MB dictionary, ``loads`` of its bytes 0.3 s).  The dictionary is stored split
  by first character and the pipeline's tokenizer decodes a part when a text first needs it (a first
  document needs a third of it: 0.05 s instead of 0.3 s; the same words).  An unreadable or
  unwritable cache only means building in memory as before.  Nothing is written into the package.
* spaCy is imported without its command line (``spacy.cli``, typer, click: ≈0.2 s; a stand-in
  module imports it on first use) and without letting thinc import torch (≈2–3 s of start-up for nothing: the blank
  pipeline has no neural component); torch stays importable for the embedding model later.
* ``KG_SPACY_MODEL`` may name a trained spaCy pipeline directory; when it exists it is loaded
  instead of the blank one (the entity ruler is added before its ``ner`` if it lacks one).  The
  disk cache is not used then (the model's tokenizer decides the patterns' tokens), and thinc may
  import torch.

>>> doc = get_nlp()("市通信管理局会同市数据局推进。")
>>> [(e.text, e.label_) for e in doc.ents]
[('市通信管理局', 'ORG'), ('市数据局', 'ORG')]
"""
from __future__ import annotations

import functools
import gc
import logging
import os
import re
import sys
import types
from collections import OrderedDict
from pathlib import Path

from kg.gazetteer import ONTOLOGY_DIR, default_gazetteer

TERMS_PATH = ONTOLOGY_DIR / "terms.txt"
_AGENCY_FREQ = 200000  # high enough that a listed name wins over its parts in jieba's DAG
_CACHE_FORMAT = "2"  # 2: the prepared jieba dictionary split by first character
_RECENT = 256  # texts whose ruler spans are kept for the parties extractor (a paragraph, its clause)
_ENT_ID_SEP = "||"  # spaCy EntityRuler's default: the match id is the hash of "LABEL||id"
log = logging.getLogger(__name__)


# ---------------------------------------------------------------------------- imports
def import_spacy():
    """``import spacy`` without thinc importing torch (unless a trained model may need it), and
    without spaCy's command line (``spacy/__init__`` imports ``spacy.cli.info`` only to re-export
    ``spacy.info``, and ``spacy.cli`` imports every command, typer and click: ≈0.2 s of CPU).
    ``spacy.cli`` is stood in for by a module that imports the real one on first use."""
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    block = "torch" not in sys.modules and not os.environ.get("KG_SPACY_MODEL")
    if block:
        sys.modules["torch"] = None  # type: ignore[assignment]  # → ImportError inside thinc.compat
    lazy_cli = "spacy.cli" not in sys.modules
    if lazy_cli:
        _LazyModule.install("spacy.cli", package=True)
        _LazyModule.install("spacy.cli.info")
    gc_was_on = gc.isenabled()
    gc.disable()  # a fresh import allocates ~0.5 M objects and frees almost none: collections are wasted work
    try:
        import spacy
    except BaseException:
        if lazy_cli:
            _LazyModule.uninstall()
        raise
    else:
        if lazy_cli and isinstance(sys.modules.get("spacy.cli"), _LazyModule):
            spacy.cli = sys.modules["spacy.cli"]
    finally:
        if block and "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]
        if gc_was_on:
            gc.enable()
    return spacy


class _LazyModule(types.ModuleType):
    """A stand-in for a module of spaCy's command line: the first attribute read (or a call of
    ``spacy.info``) imports the real module, puts it back into ``sys.modules`` and answers from it."""

    _names: list[str] = []

    @classmethod
    def install(cls, name: str, package: bool = False) -> None:
        mod = cls(name)
        if package:
            mod.__path__ = []  # type: ignore[attr-defined]
        else:
            def info(*args, **kwargs):  # spacy/__init__: ``from .cli.info import info``
                return cls.real(name).info(*args, **kwargs)
            mod.info = info  # type: ignore[attr-defined]
        sys.modules[name] = mod
        cls._names.append(name)

    @classmethod
    def uninstall(cls) -> None:
        for n in cls._names:
            if isinstance(sys.modules.get(n), _LazyModule):
                del sys.modules[n]
        cls._names.clear()

    @classmethod
    def real(cls, name: str):
        import importlib

        cls.uninstall()
        mod = importlib.import_module(name)
        if "spacy" in sys.modules:  # the package's ``spacy.cli`` attribute: the real module now
            sys.modules["spacy"].cli = sys.modules["spacy.cli"]
        return mod

    def __getattr__(self, attr: str):
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(attr)
        return getattr(type(self).real(self.__name__), attr)


def _quiet_jieba():
    from kg.jieba_prepared import quiet_jieba

    return quiet_jieba()


# ---------------------------------------------------------------------------- disk cache
def cache_dir() -> Path:
    """Where prepared dictionaries live: ``KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/policy-kg``."""
    from kg import cache

    return cache.cache_dir()


@functools.lru_cache(maxsize=1)
def gazetteer_digest() -> str:
    """Digest of everything the prepared dictionary and the ruler's trie are derived from."""
    import jieba

    from kg import cache

    try:
        from importlib.metadata import version

        spacy_version = version("spacy")
    except Exception:  # pragma: no cover - metadata missing
        spacy_version = "?"
    sources = [ONTOLOGY_DIR / n for n in ("agencies.yaml", "places.yaml", "actor_classes.yaml", "terms.txt")]
    sources += [ONTOLOGY_DIR / "org_grammar.yaml", *sorted((ONTOLOGY_DIR.parent / "gazetteer").glob("*.py")),
                Path(__file__).resolve(), ONTOLOGY_DIR.parent / "jieba_prepared.py"]
    return cache.digest([_CACHE_FORMAT, f"jieba {jieba.__version__}", str(_AGENCY_FREQ), f"spacy {spacy_version}"],
                        sources)


def _cache_load(kind: str):
    from kg import cache

    return cache.load(kind, gazetteer_digest())


def _cache_save(kind: str, data) -> None:
    from kg import cache

    cache.save(kind, gazetteer_digest(), data)


# ---------------------------------------------------------------------------- segmenter
def _build_segmenter():
    """jieba with the domain terms and every gazetteer surface added (to be saved by kg/jieba_prepared.py)."""
    from kg.jieba_prepared import new_tokenizer

    tok = new_tokenizer()
    if TERMS_PATH.exists():
        tok.load_userdict(str(TERMS_PATH))
    g = default_gazetteer()
    for name in (*g.agency_names(), *g.class_names(), *g.place_names()):
        tok.add_word(name, _AGENCY_FREQ, "nt")
    return tok


def _load_segmenter():
    """The prepared tokenizer from the disk cache (a ShardedTokenizer, nothing read yet), else built
    (a plain jieba tokenizer) and the cache written."""
    from kg.jieba_prepared import prepared

    return prepared("jieba", gazetteer_digest(), _build_segmenter)


@functools.lru_cache(maxsize=1)
def get_segmenter():
    """A private jieba tokenizer with the domain terms and every gazetteer surface added
    (loaded from the disk cache when present), its whole dictionary in ``FREQ``.  The pipeline's own
    (:func:`pipeline_segmenter`) gives the same words but reads its dictionary as texts need it."""
    tok = _load_segmenter()
    if hasattr(tok, "load_all"):
        tok.load_all()
    return tok


@functools.lru_cache(maxsize=1)
def pipeline_segmenter():
    """The tokenizer of :func:`get_nlp`: :func:`get_segmenter`'s, with the dictionary read by first
    character as texts need it (see ``ShardedTokenizer``)."""
    return _load_segmenter()


class BlockMemoSegmenter:
    """``jieba.Tokenizer.cut`` (accurate mode, HMM on) with each run of word characters cut once.

    jieba cuts a text run by run — the runs of ``re_han_default`` (Chinese, letters, digits, ``+#&._%-``),
    each through its DAG and HMM independently of the rest of the text, and every other character
    on its own — so a run's words depend only on the run and the dictionary.  The same runs come back
    over and over: a paragraph, then its compact form for the parties extractor (full-width commas
    folded, whitespace dropped: mostly the same runs), then a clause made of several paragraphs, and
    the boilerplate of documents of one kind.  The words of a run are kept (up to :attr:`limit` runs;
    forgotten all at once when the dictionary or jieba's forced splits change), so the text is
    segmented once.  Everything else (other modes, other attributes) is the wrapped tokenizer's."""

    limit = 100_000

    def __init__(self, tok) -> None:
        self.tok = tok
        self.memo: dict[str, tuple[str, ...]] = {}
        self._state: tuple | None = None

    def __getattr__(self, name: str):
        if name == "tok" or name.startswith("__"):  # not set yet (a copy being made)
            raise AttributeError(name)
        return getattr(self.tok, name)

    def _valid(self) -> dict[str, tuple[str, ...]]:
        from jieba import finalseg

        tok = self.tok
        version = getattr(tok, "dict_version", None)  # a ShardedTokenizer's FREQ grows as it loads
        state = (id(tok.FREQ), len(tok.FREQ) if version is None else version, tok.total,
                 len(finalseg.Force_Split_Words))
        if state != self._state or len(self.memo) > self.limit:
            self.memo = {}
            self._state = state
        return self.memo

    def cut(self, sentence, cut_all=False, HMM=True, use_paddle=False):
        """The words of ``sentence``, as ``jieba.Tokenizer.cut`` gives them (an iterator)."""
        import jieba

        if cut_all or not HMM or use_paddle:
            return self.tok.cut(sentence, cut_all=cut_all, HMM=HMM, use_paddle=use_paddle)
        sentence = jieba.strdecode(sentence)
        self.tok.check_initialized()
        memo = self._valid()
        re_han, re_skip = jieba.re_han_default, jieba.re_skip_default
        cut_block = self.tok._Tokenizer__cut_DAG
        out: list[str] = []
        for blk in re_han.split(sentence):
            if not blk:
                continue
            if re_han.match(blk):
                words = memo.get(blk)
                if words is None:
                    words = memo[blk] = tuple(cut_block(blk))
                out.extend(words)
            else:
                for x in re_skip.split(blk):
                    if re_skip.match(x):
                        out.append(x)
                    else:
                        out.extend(x)
        return iter(out)

    def lcut(self, *args, **kwargs) -> list[str]:
        return list(self.cut(*args, **kwargs))


_SPACE = re.compile(r"\s")  # what str.isspace() and str.split() call whitespace


def words_and_spaces(words, text: str) -> tuple[list[str], list[bool]]:
    """``spacy.util.get_words_and_spaces``: the same tokens and spaces, the same errors, but each word
    is looked for from the current position (``text.find(word, pos)``) instead of in a fresh copy of
    the rest of the text (``text[pos:].index(word)``), which made long paragraphs quadratic."""
    from spacy.errors import Errors

    if not isinstance(words, list):
        words = list(words)
    if "".join(words) == text and not _SPACE.search(text):
        return words[:], [False] * len(words)  # the words are the text, nothing between them
    if "".join("".join(words).split()) != "".join(text.split()):
        raise ValueError(Errors.E194.format(text=text, words=words))
    out_words: list[str] = []
    out_spaces: list[bool] = []
    pos, n = 0, len(text)
    for word in words:
        if word.isspace():
            continue
        start = text.find(word, pos)
        if start < 0:
            raise ValueError(Errors.E194.format(text=text, words=words))
        if start > pos:
            out_words.append(text[pos:start])
            out_spaces.append(False)
        out_words.append(word)
        pos = start + len(word)
        if pos < n and text[pos] == " ":
            out_spaces.append(True)
            pos += 1
        else:
            out_spaces.append(False)
    if pos < n:
        out_words.append(text[pos:])
        out_spaces.append(False)
    return out_words, out_spaces


@functools.lru_cache(maxsize=1)
def _jieba_tokenizer_class():
    """spaCy's Chinese tokenizer, with :func:`words_and_spaces` for the alignment of jieba's words:
    the same docs."""
    from spacy.lang.zh import ChineseTokenizer
    from spacy.tokens import Doc

    class JiebaTokenizer(ChineseTokenizer):
        def __call__(self, text: str):
            if self.segmenter != "jieba":
                return super().__call__(text)
            words, spaces = words_and_spaces([x for x in self.jieba_seg.cut(text, cut_all=False) if x], text)
            return Doc(self.vocab, words=words, spaces=spaces)

    return JiebaTokenizer


# ---------------------------------------------------------------------------- entity ruler
def _ruler_patterns() -> list[dict]:
    g = default_gazetteer()
    pats = [{"label": "ORG", "pattern": n, "id": n} for n in g.agency_names()]
    pats += [{"label": "ACTOR_CLASS", "pattern": n, "id": n} for n in g.class_names()]
    return pats


_END = -1  # trie key of the entries ending at a node (token hashes are unsigned, never -1)


def build_trie(nlp, patterns: list[dict]) -> dict:
    """Token-hash trie of phrase patterns, tokenised by ``nlp``'s tokenizer as spaCy's ruler does.

    A node maps a token's ORTH hash to the next node; ``node[-1]`` lists ``[match_id, label, id]``
    of the patterns ending there (match_id = hash of ``"LABEL||id"``, as the EntityRuler's)."""
    from spacy.attrs import ORTH
    from spacy.strings import hash_string

    trie: dict = {}
    for p in patterns:
        label, pid = p["label"], p.get("id")
        key = f"{label}{_ENT_ID_SEP}{pid}" if pid else label
        orths = nlp.make_doc(p["pattern"]).to_array(ORTH).tolist() if p["pattern"] else []
        if not orths:
            continue
        node = trie
        for o in orths:
            node = node.setdefault(o, {})
        entry = [hash_string(key), label, pid or ""]
        entries = node.setdefault(_END, [])
        if entry not in entries:
            entries.append(entry)
    _preshed_order(trie)
    return trie


def _preshed_order(node: dict) -> None:
    """Order the entries of a node sharing one token sequence (the same surface as ORG and as
    ACTOR_CLASS) as spaCy's PhraseMatcher reports them — the iteration order of its preshed map —
    so that ties are broken exactly as the EntityRuler breaks them."""
    from preshed.maps import PreshMap

    for n in _trie_nodes(node):
        v = n.get(_END)
        if v is not None and len(v) > 1:
            m = PreshMap(8)
            for e in v:
                m[e[0]] = 1
            by_id = {e[0]: e for e in v}
            n[_END] = [by_id[k2] for k2 in m.keys()]


def _trie_nodes(trie: dict):
    """Every node of a token-hash trie (its root included), depth first."""
    stack = [trie]
    while stack:
        n = stack.pop()
        stack.extend(v for k, v in n.items() if k != _END)
        yield n


class GazetteerRuler:
    """Drop-in for spaCy's ``EntityRuler`` (phrase patterns matched on ORTH, ``overwrite_ents``):
    every pattern occurrence is found by walking a token-hash trie from each token, and the spans
    are chosen exactly as ``EntityRuler.set_annotations`` does (longest first, then leftmost; a
    match whose first or last token is taken is dropped)."""

    def __init__(self, nlp, name: str = "entity_ruler", trie: dict | None = None):
        self.nlp = nlp
        self.name = name
        self.trie: dict = trie or {}
        self._recent: OrderedDict[str, list[tuple[int, int, str]]] = OrderedDict()
        self._orth: dict[str, int] = {}  # word → its ORTH hash (for text_spans)
        self._fold_of: tuple[dict, dict[int, str] | None] | None = None  # (trie, its folds): see _fold

    def __len__(self) -> int:
        return self._count(self.trie)

    def _count(self, node: dict) -> int:
        return sum(len(v) if k == _END else self._count(v) for k, v in node.items())

    def match(self, doc) -> tuple[list[tuple[int, int, int]], dict[int, tuple[str, str]]]:
        """All pattern occurrences ``(match_id, start, end)``, ordered as EntityRuler.match orders
        them, and the ``(label, id)`` of each match id."""
        from spacy.attrs import ORTH

        return self.match_orths(doc.to_array(ORTH).tolist() if len(doc) else [])

    def match_orths(self, orths: list[int]) -> tuple[list[tuple[int, int, int]], dict[int, tuple[str, str]]]:
        """:meth:`match` on the tokens' ORTH hashes."""
        found: list[tuple[int, int, int]] = []  # in PhraseMatcher order: by start, then end
        labels: dict[int, tuple[str, str]] = {}
        trie, n = self.trie, len(orths)
        for i in [i for i, o in enumerate(orths) if o in trie]:  # the tokens a pattern starts with
            node = trie[orths[i]]
            j = i + 1
            while node is not None:
                for mid, label, pid in node.get(_END, ()):
                    found.append((mid, i, j))
                    labels[mid] = (label, pid)
                if j >= n:
                    break
                node = node.get(orths[j])
                j += 1
        # the EntityRuler's own steps: a set of the matches, then a stable sort, longest first
        return sorted(set(found), key=lambda m: (m[2] - m[1], -m[1]), reverse=True), labels

    @staticmethod
    def _choose(matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """The matches that become entities, in order: a match whose first or last token is taken by
        an earlier (longer, or as long and further left) one is dropped."""
        chosen = []
        seen: set[int] = set()
        for mid, start, end in matches:
            if start not in seen and end - 1 not in seen:
                chosen.append((mid, start, end))
                seen.update(range(start, end))
        return chosen

    def __call__(self, doc):
        from spacy.tokens import Span

        matches, labels = self.match(doc)
        # doc.ents walks every token in Python: read it only when an earlier component set entities
        entities = list(doc.ents) if doc.has_annotation("ENT_IOB") else []
        new_entities = []
        for mid, start, end in self._choose(matches):
            label, pid = labels[mid]
            span = Span(doc, start, end, label=label, span_id=pid) if pid else Span(doc, start, end, label=label)
            new_entities.append(span)
            entities = [e for e in entities if not (e.start < end and e.end > start)]
        doc.ents = entities + new_entities
        spans = sorted((e.start_char, e.end_char, e.text) for e in (*entities, *new_entities))
        text = doc.user_data.get("policy_text")  # set by kg.extract.components.make_doc
        self._remember(text if text is not None else doc.text, spans)
        return doc

    def text_spans(self, text: str) -> list[tuple[int, int, str]] | None:
        """The spans :meth:`__call__` finds in ``nlp.make_doc(text)``, found without making the doc:
        the tokenizer's own words and spaces (jieba's words, aligned to the text as spaCy aligns them),
        their ORTH hashes, the same matches and the same choice, each token's offset counted as the
        doc counts it.  None when the tokenizer is not the blank pipeline's jieba tokenizer."""
        from spacy.lang.zh import ChineseTokenizer
        from spacy.strings import hash_string

        tok = self.nlp.tokenizer
        if not isinstance(tok, ChineseTokenizer) or tok.segmenter != "jieba":
            return None
        words, spaces = words_and_spaces([x for x in tok.jieba_seg.cut(text, cut_all=False) if x], text)
        hashes = self._orth
        if len(hashes) > 100_000:
            hashes.clear()
        orths, starts, pos = [], [], 0
        for w, sp in zip(words, spaces):
            h = hashes.get(w)
            if h is None:
                h = hashes[w] = hash_string(w)
            orths.append(h)
            starts.append(pos)
            pos += len(w) + sp
        matches, _ = self.match_orths(orths)
        spans = []
        for _, start, end in self._choose(matches):
            s, e = starts[start], starts[end - 1] + len(words[end - 1])
            spans.append((s, e, text[s:e]))
        spans.sort()
        self._remember(text, spans)
        return spans

    def _remember(self, text: str, spans: list[tuple[int, int, str]]) -> None:
        self._recent[text] = spans
        fold = self._fold()
        if fold:
            folded = text.translate(fold)
            if folded != text:
                self._recent[folded] = spans
        while len(self._recent) > _RECENT:
            self._recent.popitem(last=False)

    def _fold(self) -> dict[int, str] | None:
        """The folds of the extractors' compact view (``kg.text.FULLWIDTH_FOLD``: ，→, ～→~) that leave
        this ruler's spans as they are — so the spans of a paragraph are also those of its compact form
        when the two differ by these folds only, and the parties extractor need not segment it again.

        A fold qualifies when jieba cuts both characters alone (neither is a word character of
        ``re_han_default`` nor whitespace: each is its own token, and the word characters around it
        form the same runs, cut the same way) and no pattern of the trie contains either as a token
        (then a match can neither use nor cross that token, in either form).  Worked out once per trie."""
        trie = self.trie
        cached = self._fold_of
        if cached is not None and cached[0] is trie:
            return cached[1]
        import jieba
        from spacy.strings import hash_string

        from kg.text import FULLWIDTH_FOLD

        keys = {k for node in _trie_nodes(trie) for k in node if k != _END}
        fold = {}
        for a, b in FULLWIDTH_FOLD.items():
            ca, cb = chr(a), b if isinstance(b, str) else chr(b)
            alone = all(len(ch) == 1 and not jieba.re_han_default.match(ch) and not ch.isspace() for ch in (ca, cb))
            if alone and hash_string(ca) not in keys and hash_string(cb) not in keys:
                fold[a] = cb
        self._fold_of = (trie, fold or None)
        return self._fold_of[1]

    def recent(self, text: str) -> list[tuple[int, int, str]] | None:
        """The spans found in ``text`` if the ruler ran on exactly this text recently."""
        spans = self._recent.get(text)
        if spans is not None:
            self._recent.move_to_end(text)
        return spans


def _ruler_factory():
    spacy = import_spacy()
    from spacy.language import Language

    if not Language.has_factory("policy_gazetteer_ruler"):
        @Language.factory("policy_gazetteer_ruler")
        def _make(nlp, name):  # noqa: ANN001
            return GazetteerRuler(nlp, name)
    return spacy


@functools.lru_cache(maxsize=1)
def get_nlp():
    """The cached pipeline (trained model from ``KG_SPACY_MODEL`` when present, else blank zh)."""
    spacy = _ruler_factory()
    _quiet_jieba()
    model = os.environ.get("KG_SPACY_MODEL")
    trained = bool(model and Path(model).exists())
    if trained:
        nlp = spacy.load(model)
    else:
        # blank zh with the char segmenter, then switched to our jieba tokenizer: spaCy's jieba
        # option would first initialise jieba's *global* dictionary, which we never use
        nlp = spacy.blank("zh")
        nlp.tokenizer = _jieba_tokenizer_class()(nlp.vocab)  # made with the char segmenter, then switched
        nlp.tokenizer.segmenter = "jieba"
        nlp.tokenizer.jieba_seg = BlockMemoSegmenter(pipeline_segmenter())
    if trained and (getattr(nlp.tokenizer, "segmenter", None) == "jieba" or hasattr(nlp.tokenizer, "jieba_seg")):
        nlp.tokenizer.jieba_seg = BlockMemoSegmenter(pipeline_segmenter())
    if "entity_ruler" not in nlp.pipe_names:
        ruler = nlp.add_pipe("policy_gazetteer_ruler", name="entity_ruler",
                             before="ner" if "ner" in nlp.pipe_names else None)
        trie = None if trained else _cache_load("ruler")
        if not isinstance(trie, dict):
            trie = build_trie(nlp, _ruler_patterns())
            if not trained:
                _cache_save("ruler", trie)
        ruler.trie = trie
    # The gazetteer, the jieba dictionary, the ruler's trie and spaCy itself (~200k container objects)
    # live as long as the process: out of the collector's sight from now on, so that each full
    # collection during extraction (~90 ms each) does not walk them again.  Nothing else changes.
    gc.freeze()
    return nlp


def ruler_spans(text: str) -> list[tuple[int, int, str]]:
    """``(start_char, end_char, surface)`` of the entity ruler's spans in ``text``.

    When the ruler has recently run on this very text (the policy pipeline runs it on a paragraph,
    then the parties extractor asks for the same paragraph), its result is reused instead of
    segmenting the text again — the same tokenizer and the same ruler give the same spans;
    otherwise the shared pipeline runs on it.  (Not with a trained model, whose ``ner`` may
    change the entities after the ruler.)"""
    nlp = get_nlp()
    ruler = nlp.get_pipe("entity_ruler")
    if nlp.pipe_names == ["entity_ruler"] and isinstance(ruler, GazetteerRuler):
        spans = ruler.recent(text)
        if spans is None:
            spans = ruler.text_spans(text)  # = the ruler on nlp.make_doc(text), without the doc
        if spans is None:
            doc = nlp.make_doc(text)  # = nlp(text): the ruler is the only component
            doc.user_data["policy_text"] = text
            ruler(doc)
            spans = ruler.recent(text) or []
        return list(spans)
    return [(e.start_char, e.end_char, e.text) for e in nlp(text).ents]


__all__ = ["GazetteerRuler", "cache_dir", "gazetteer_digest", "get_nlp", "get_segmenter", "import_spacy",
           "pipeline_segmenter", "ruler_spans", "TERMS_PATH"]
