"""The extractors as spaCy components, so one pipeline runs them all on a paragraph.

``get_policy_nlp()`` is the shared pipeline of :mod:`kg.extract.nlp` (blank ``zh`` + jieba with our
user dictionary + the gazetteer's entity ruler, or a trained model named by ``KG_SPACY_MODEL``)
followed by four components, each a thin adapter over one extractor function:

=================  =====================================  =========================
component          extractor                              writes
=================  =====================================  =========================
policy_deadlines   kg.extract.deadlines.extract_deadlines ``doc._.deadlines``
policy_targets     kg.extract.targets.extract_targets     ``doc._.targets``
policy_parties     kg.extract.parties.extract_parties     ``doc._.parties``
policy_references  kg.extract.references.extract_refs     ``doc._.references``
=================  =====================================  =========================

Each also adds its spans to ``doc.spans[<kind>]`` (expanded to token boundaries), so a trained
model or a displaCy view can use them.  The document context (jurisdiction, issuers, the document's
own date, plan period) travels in ``doc._.policy_ctx``; set it with :func:`make_doc`.

>>> from kg.extract.base import DocContext
>>> out = run_extractors("到2027年，全省5G基站达到25万个。", DocContext(jurisdiction="浙江省"))
>>> [(t.metric, t.value) for t in out["targets"]]
[('5G基站', 250000)]
"""
from __future__ import annotations

import functools

from .nlp import get_nlp, import_spacy

import_spacy()  # before spacy.language: keeps thinc from importing torch

from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

from .base import DocContext  # noqa: E402
from .deadlines import extract_deadlines  # noqa: E402
from .parties import extract_parties  # noqa: E402
from .references import extract_references  # noqa: E402
from .targets import extract_targets  # noqa: E402

_TEXT_KEY = "policy_text"
KINDS = {"deadlines": extract_deadlines, "targets": extract_targets, "parties": extract_parties,
         "references": extract_references}

for _attr in (*KINDS, "policy_ctx"):
    if not Doc.has_extension(_attr):
        Doc.set_extension(_attr, default=None)


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once: spaCy rebuilds it token by token in Python on every access
    (the extractors read it four times per paragraph).  Set by :func:`make_doc`."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def _component(kind: str):
    fn = KINDS[kind]

    def component(doc: Doc) -> Doc:
        u = doc._  # spaCy makes a new accessor object on every ``doc._``
        ctx = u.policy_ctx or DocContext()
        anns = fn(doc_text(doc), ctx)
        setattr(u, kind, anns)
        spans = []
        for a in anns:
            if a.end > a.start:
                sp = doc.char_span(a.start, a.end, label=kind, alignment_mode="expand")
                if sp is not None:
                    spans.append(sp)
        doc.spans[kind] = spans
        return doc

    return component


for _kind in KINDS:
    Language.component(f"policy_{_kind}", func=_component(_kind))


@functools.lru_cache(maxsize=1)
def get_policy_nlp() -> Language:
    """A pipeline of its own (the shared one stays as the parties extractor's mention finder):
    same tokenizer and entity ruler, sourced from :func:`kg.extract.nlp.get_nlp`, plus the four
    extractor components."""
    spacy = import_spacy()

    base = get_nlp()
    nlp = spacy.blank(base.lang)  # its tokenizer is replaced by the shared one (jieba + our dictionary)
    nlp.tokenizer = base.tokenizer
    for name in base.pipe_names:
        nlp.add_pipe(name, source=base)
    for kind in KINDS:
        name = f"policy_{kind}"
        if name not in nlp.pipe_names:
            nlp.add_pipe(name)
    return nlp


def make_doc(text: str, ctx: DocContext) -> Doc:
    nlp = get_policy_nlp()
    doc = nlp.make_doc(text)
    doc.user_data[_TEXT_KEY] = text  # the tokenizer keeps the text verbatim: doc.text == text
    doc._.policy_ctx = ctx
    return doc


def run_extractors(text: str, ctx: DocContext) -> dict[str, list]:
    """Run the whole pipeline on one paragraph; returns annotations by kind (offsets into ``text``)."""
    nlp = get_policy_nlp()
    doc = make_doc(text, ctx)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return {kind: list(getattr(doc._, kind) or []) for kind in KINDS}
