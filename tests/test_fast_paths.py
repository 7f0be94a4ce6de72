"""Each shortcut of the per-document pipeline (issue 9, speed) gives exactly what the plain path gives:
the memoised jieba cut, the alignment of words to the text, the ruler's spans without a doc, the
N-Triples sort on strings, the cached literals, the compact view without spaces, and the implied
issuer read from the parties component."""
from __future__ import annotations

import random
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
import rdflib.namespace as rdfns
from rdflib.term import Genid

from kg.extract import nlp as knlp
from kg.iris import conf, integer, lit, zh
from kg.store import _nt, nt_lines
from kg.text import compact, may_match, required_chars

ROOT = Path(__file__).resolve().parent.parent


def _texts() -> list[str]:
    out = ["市通信管理局会同市数据局、市经济和信息化委等部门推进，发挥基础电信企业作用。",
           "到２０２７年，全市５G基站达到 2.5 万个，增长１５％ 以上。",
           "  上海市  交通委员会\u3000上海市发展和改革委员会\n（责任单位：市数据局） a  b\t c\r\n",
           "", " ", "\n\n", "IoT-5G+ & C#._% 物联网", "中" * 5, "一、总体要求\n二、主要任务"]
    for f in sorted((ROOT / "corpus").glob("*.txt")):
        lines = [ln for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()][:80]
        out += lines + ["\n".join(lines[i:i + 3]) for i in range(0, len(lines), 3)]
    rnd = random.Random(7)
    alphabet = list(" \u3000\u00a0\t\n，,。0123456789０５．％-+#&._%abcXYZ") + ["通信", "管理局", "市", "数据", "年"]
    out += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40))) for _ in range(400)]
    return out


def test_memoised_cut_gives_jiebas_words():
    raw = knlp.get_segmenter()
    seg = knlp.BlockMemoSegmenter(raw)
    for t in _texts() * 2:  # the second round is answered from the memo
        assert list(seg.cut(t)) == list(raw.cut(t)), t
        assert seg.lcut(t, HMM=False) == raw.lcut(t, HMM=False)
        assert seg.lcut(t, cut_all=True) == raw.lcut(t, cut_all=True)
    assert seg.memo


def test_memo_forgets_when_the_dictionary_changes():
    import jieba

    tok = jieba.Tokenizer()
    tok.FREQ, tok.total, tok.initialized = dict(knlp.get_segmenter().FREQ), knlp.get_segmenter().total, True
    seg = knlp.BlockMemoSegmenter(tok)
    text = "推进泛在感知终端规模部署"
    before = seg.lcut(text)
    tok.add_word("泛在感知终端规模部署", 10 ** 9)
    assert seg.lcut(text) == tok.lcut(text) == ["推进", "泛在感知终端规模部署"] != before


def test_words_and_spaces_is_spacys_alignment():
    from spacy.util import get_words_and_spaces

    raw = knlp.get_segmenter()
    for t in _texts():
        words = [w for w in raw.cut(t) if w]
        assert knlp.words_and_spaces(words, t) == get_words_and_spaces(words, t), t
    for words, t in ((["ab", "c"], "abd"), (["a", "x"], "a b")):
        with pytest.raises(ValueError):
            get_words_and_spaces(words, t)
        with pytest.raises(ValueError):
            knlp.words_and_spaces(words, t)


def test_ruler_spans_without_a_doc_are_the_rulers_spans():
    nlp = knlp.get_nlp()
    ruler = nlp.get_pipe("entity_ruler")
    seen = 0
    for t in _texts():
        doc = ruler(nlp.make_doc(t))
        expected = sorted((e.start_char, e.end_char, e.text) for e in doc.ents)
        assert ruler.text_spans(t) == expected, t
        seen += len(expected)
    assert seen > 50


def _rdflib_nt(triples) -> str:
    return "\n".join(f"{_nt(s)} {_nt(p)} {_nt(o)} ." for s, p, o in sorted(set(triples)))


def test_nt_lines_sort_like_rdflib():
    """Literals of one subject and predicate in every datatype the graph writer uses (numbers compare by
    value across integer and decimal, dates by date, language tags and plain strings apart), IRIs before
    literals, duplicates dropped."""
    s, p, q = URIRef("http://e.org/s"), URIRef("http://e.org/p"), URIRef("http://e.org/p2")
    objs = [Literal(10), Literal(9), Literal(Decimal("9.5"), datatype=rdfns.XSD.decimal), integer(2), conf(0.95),
            Literal(Decimal("0.950"), datatype=rdfns.XSD.decimal), Literal("2027-12-31", datatype=rdfns.XSD.date),
            Literal("2026", datatype=rdfns.XSD.gYear), Literal("2025", datatype=rdfns.XSD.gYear), Literal(True), Literal(False),
            zh("乙"), zh("甲"), Literal("甲"), Literal("b", lang="en"), Literal("a"), Literal(""), Literal(date(2025, 1, 1)),
            Literal("P1Y", datatype=rdfns.XSD.duration), URIRef("http://e.org/o2"), URIRef("http://e.org/o1")]
    triples = [(s, p, o) for o in objs] + [(s, q, o) for o in objs[::-1]] + [(URIRef("http://e.org/a"), p, zh("x"))]
    triples += triples[:5]  # duplicates
    rnd = random.Random(3)
    for _ in range(20):
        rnd.shuffle(triples)
        assert nt_lines(triples) == _rdflib_nt(triples)
    other = triples + [(Genid("http://e.org/.well-known/genid/x"), p, Literal("x"))]  # not a plain IRI: rdflib's path
    assert nt_lines(other) == _rdflib_nt(other)


def test_nt_lines_of_a_document_graph_are_rdflibs(corpus_dir):
    from kg.build import pipeline_version
    from kg.graph import doc_triples
    from kg.pipeline import process_source
    from kg.read import read_file

    f = sorted(Path(corpus_dir).glob("*.txt"))[0]
    _, triples = doc_triples(process_source(read_file(f)), "http://example.org/kg/", pipeline_version())
    assert nt_lines(triples) == _rdflib_nt(triples)


@pytest.mark.parametrize("args", [("上海市",), ("上海市", "zh"), ("x" * 100, "zh"), ("0.5",), (1,), (True,), (False,), (0,),
                                  ("2027-01-01", None, rdfns.XSD.date), ("2026", None, rdfns.XSD.gYear), (7, None, rdfns.XSD.integer),
                                  (Decimal("0.950"), None, rdfns.XSD.decimal)])
def test_cached_literals_are_the_literals(args):
    value, lang, datatype = (*args, None, None)[:3]
    a, b = lit(value, lang=lang, datatype=datatype), Literal(value, lang=lang, datatype=datatype)
    assert (a, type(a), a.language, a.datatype, _nt(a)) == (b, type(b), b.language, b.datatype, _nt(b))
    assert lit(value, lang=lang, datatype=datatype) == a


def test_cached_literals_keep_true_and_one_apart():
    assert lit(True).datatype == rdfns.XSD.boolean and lit(1).datatype == rdfns.XSD.integer
    assert _nt(lit(True)) != _nt(lit(1))
    assert _nt(conf(0.95)) == '"0.950"^^<http://www.w3.org/2001/XMLSchema#decimal>'


def test_compact_without_spaces_keeps_every_character():
    for t in ("到２０２７年，全市５G基站达到２．５万个", "一、总体要求\n二、主要任务", ""):
        c = compact(t)
        assert c.text == t.translate(str.maketrans("０１２３４５６７８９．％，～－＋", "0123456789.%,~-+"))
        assert c.orig == tuple(range(len(t))) and c.length == len(t)
        assert compact(t) is c  # asked again by the next extractor: the same (immutable) result
    c = compact("到 2027 年，5G 基站 20 - 30 万个")
    assert c.text == "到2027年,5G基站20-30万个" and len(c.orig) == len(c.text)


def test_implied_issuer_is_the_one_the_clause_text_implies(corpus_dir):
    """The implied issuer of a one-paragraph clause is read from the parties component's run on that
    paragraph; it must be what reading the clause's text gives."""
    from kg.facts import _implies_issuer, doc_context
    from kg.pipeline import process_source
    from kg.read import read_file

    checked = 0
    for f in sorted(Path(corpus_dir).glob("*.txt")):
        doc = process_source(read_file(f))
        if not doc.meta.issuers:
            continue
        ctx = doc_context(doc)
        implied = {p["clause_id"] for p in doc.facts["parties"] if p["role"] == "implied"}
        named = {p["clause_id"] for p in doc.facts["parties"] if p["role"] != "implied"}
        for c in doc.all_clauses():
            if c.kind in ("table", "notice", "row") or c.clause_id in named or not c.content_segments():
                continue
            assert (c.clause_id in implied) == _implies_issuer(doc.clean.text, c.content_segments(), ctx), c.clause_id
            checked += 1
    assert checked > 20


@pytest.mark.parametrize("pattern, flags, needs", [
    (r"到(?:19|20)[0-9]{2}年", 0, ["到", "年", "12", "0123456789"]),
    (r"(?:争取|力争)?到期末", 0, ["到", "期", "末"]),
    (r"(?:到|至)年底|截至", 0, ["年截"]),  # a branch: the union of what each alternative needs (its narrowest)
    (r"(?:年|月)?日", 0, ["日"]),  # the optional part needs nothing
    (r"(?<![长增])年[^底]", 0, ["年"]),  # look-behind and a negated class need nothing
    (r"\d+年", 0, ["年"]),  # a category needs nothing
    (r"abc", re.IGNORECASE, []),
    (r"x(?i:abc)", 0, ["x"]),
    (r"(?:a|b?)c", 0, ["c"]),  # an alternative that needs nothing: the branch needs nothing
])
def test_required_chars_of_a_pattern(pattern, flags, needs):
    got = sorted("".join(sorted(s)) for s in required_chars(re.compile(pattern, flags)))
    assert got == sorted("".join(sorted(n)) for n in needs)


def test_deadline_rules_never_match_where_a_required_character_is_missing():
    from kg.extract.deadlines import _RULES

    texts = [compact(t).text for t in _texts()]
    skipped = 0
    for t in texts:
        for r in _RULES:
            if not may_match(r.regex, set(t)):
                skipped += 1
                assert not any(m.end() > m.start() for m in r.regex.finditer(t)), (r.name, t)
    assert skipped > len(texts)  # the shortcut is taken


def test_spans_of_a_paragraph_serve_its_compact_form_only_when_they_are_its_spans():
    """The ruler's spans of a paragraph are kept for its compact form too when the two differ only by
    folds that cannot change them (，→, ～→~); then they must be the compact form's own spans."""
    nlp = knlp.get_nlp()
    ruler = nlp.get_pipe("entity_ruler")
    assert ruler._fold() == {ord("，"): ",", ord("～"): "~"}
    reused = 0
    for t in _texts() + ["市通信管理局，市数据局～区政府", "５G，市数据局"]:
        c = compact(t).text
        ruler._recent.clear()
        ruler(nlp.make_doc(t))
        kept = ruler.recent(c)
        if c != t and kept is not None:
            reused += 1
            ruler._recent.clear()
            assert kept == ruler.text_spans(c), t
        elif c != t:
            assert t.translate(ruler._fold()) != c
    assert reused > 20
