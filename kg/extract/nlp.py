"""The shared spaCy pipeline: blank ``zh`` with the jieba segmenter and a gazetteer entity ruler.

* Segmentation uses a private ``jieba.Tokenizer`` (not jieba's global one, so other modules'
  segmentation is not changed) loaded with ``kg/ontology/terms.txt`` plus every agency name, alias,
  relative form (市通信管理局) and actor-class label from the gazetteer, so mentions are single
  tokens.  jieba's log is silenced; its prefix-dictionary cache goes to a temporary directory.
  Nothing is downloaded.
* An ``entity_ruler`` labels agency surfaces ``ORG`` and actor classes ``ACTOR_CLASS``; each
  pattern's ``id`` is the surface key the gazetteer resolves (relative names need the document's
  jurisdiction, so the ruler only finds mentions and :mod:`kg.gazetteer` resolves them).
* ``KG_SPACY_MODEL`` may name a trained spaCy pipeline directory; when it exists it is loaded
  instead of the blank one (the entity ruler is added before its ``ner`` if it lacks one).

>>> doc = get_nlp()("市通信管理局会同市数据局推进。")
>>> [(e.text, e.label_) for e in doc.ents]
[('市通信管理局', 'ORG'), ('市数据局', 'ORG')]
"""
from __future__ import annotations

import functools
import logging
import os
import tempfile
from pathlib import Path

from kg.gazetteer import ONTOLOGY_DIR, default_gazetteer

TERMS_PATH = ONTOLOGY_DIR / "terms.txt"
_AGENCY_FREQ = 200000  # high enough that a listed name wins over its parts in jieba's DAG


def _quiet_jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    return jieba


@functools.lru_cache(maxsize=1)
def get_segmenter():
    """A private jieba tokenizer with the domain terms and every gazetteer surface added."""
    jieba = _quiet_jieba()
    tok = jieba.Tokenizer()
    tok.tmp_dir = tempfile.gettempdir()
    tok.initialize()
    if TERMS_PATH.exists():
        tok.load_userdict(str(TERMS_PATH))
    g = default_gazetteer()
    for name in (*g.agency_names(), *g.class_names(), *g.place_names()):
        tok.add_word(name, _AGENCY_FREQ, "nt")
    return tok


def _ruler_patterns() -> list[dict]:
    g = default_gazetteer()
    pats = [{"label": "ORG", "pattern": n, "id": n} for n in g.agency_names()]
    pats += [{"label": "ACTOR_CLASS", "pattern": n, "id": n} for n in g.class_names()]
    return pats


@functools.lru_cache(maxsize=1)
def get_nlp():
    """The cached pipeline (trained model from ``KG_SPACY_MODEL`` when present, else blank zh)."""
    import spacy

    _quiet_jieba()
    model = os.environ.get("KG_SPACY_MODEL")
    if model and Path(model).exists():
        nlp = spacy.load(model)
    else:
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    if getattr(nlp.tokenizer, "segmenter", None) == "jieba" or hasattr(nlp.tokenizer, "jieba_seg"):
        nlp.tokenizer.jieba_seg = get_segmenter()
    if "entity_ruler" not in nlp.pipe_names:
        opts = {"phrase_matcher_attr": "ORTH", "overwrite_ents": True}
        ruler = nlp.add_pipe("entity_ruler", config=opts, before="ner" if "ner" in nlp.pipe_names else None)
        with nlp.select_pipes(enable=[]):
            ruler.add_patterns(_ruler_patterns())
    return nlp


__all__ = ["get_nlp", "get_segmenter", "TERMS_PATH"]
