"""Clause retrieval and alignment engine (kg/align): tokens, BM25, Smith–Waterman, diff, scoring,
determinism, and the embedding path run offline with the bundled sentence-transformers model."""
from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kg.align import (Alignment, ClauseIndex, ClauseText, Embedder, align_documents, char_diff,
                      document_similarity, pair_score, smith_waterman, tokenize)
from kg.align.sw import align_many, content, passages
from kg.errors import KGError

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
LOCAL = "2026-hu-tongxinguanfa-5-wuzhihulian-iot-action-plan"  # 物智沪联 (implements the notice)
SOURCE = "2024-gongxinting-tongxin-52-mobile-iot-notice"  # MIIT 2024 移动物联网 notice
OTHER = "2025-hu-tongxinguan-lingang-1-business-environment-plan"  # unrelated Lingang plan
MODEL_DIRNAME = "all-MiniLM-L6-v2"


# ---------------------------------------------------------------- fixtures


def _clauses(doc_id: str) -> list[ClauseText]:
    from kg.pipeline import process_file

    doc = process_file(CORPUS / f"{doc_id}.txt", with_facts=False)
    out = []
    for c in doc.all_clauses():
        text = doc.own_text(c)
        out.append(ClauseText(f"{doc_id}/{c.clause_id}", c.label, f"{c.heading} {text}" if c.heading else text))
    return out


@pytest.fixture(scope="module")
def seed() -> dict[str, list[ClauseText]]:
    """Clause texts (heading + text) of three seed documents, straight from the pipeline."""
    return {d: _clauses(d) for d in (LOCAL, SOURCE, OTHER)}


def _by_label(clauses: list[ClauseText], label: str) -> ClauseText:
    hits = [c for c in clauses if c.label == label]
    assert len(hits) == 1, (label, [c.label for c in clauses])
    return hits[0]


@pytest.fixture(scope="module")
def seed_alignments(seed) -> list[Alignment]:
    return align_documents(seed[LOCAL], seed[SOURCE])


# ---------------------------------------------------------------- tokens


def test_tokenize_words_bigrams_and_stopwords():
    toks = tokenize("推动基础电信企业加强移动物联网安全防护，提升 NB-IoT 网络覆盖。")
    assert "移动物联网" in toks  # domain dictionary term kept whole
    assert {"安全", "防护", "nb-iot"} <= set(toks)  # NFKC + lower case for Latin
    assert not {"推动", "加强", "提升"} & set(toks)  # boilerplate verbs are stopwords
    assert not any(t in "，。 " for t in toks)  # punctuation and whitespace dropped
    assert "全防" in toks  # character bigrams inside runs of content words …
    assert "强移" not in toks and "动物" not in toks  # … broken by stopwords and generic words
    assert "基础电信企业" in toks and "物联" not in toks  # generic words: one token, no bigrams
    assert tokenize("") == [] and tokenize("，。；") == []
    assert tokenize("推进推动加强") == []  # only boilerplate → nothing to match on


def test_tokenize_does_not_double_count_two_character_words():
    toks = tokenize("安全防护")
    assert toks.count("安全") == 1 and toks.count("防护") == 1 and "全防" in toks


# ---------------------------------------------------------------- BM25


def test_bm25_ranks_the_relevant_clause_first(seed):
    index = ClauseIndex(seed[SOURCE])
    assert len(index) == len(seed[SOURCE])
    hits = index.search("统筹考虑4G/5G和2G/3G物联网服务的衔接、迁转，保护用户权益", k=3)
    assert hits[0][0] == _by_label(seed[SOURCE], "五（二）").key
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True) and len(hits) == 3
    assert index.search("完全无关的烹饪菜谱", k=5) == []
    # the ranking does not depend on the order the clauses were given in
    shuffled = list(seed[SOURCE])
    random.Random(7).shuffle(shuffled)
    assert ClauseIndex(shuffled).search("物联网卡安全管理", k=5) == index.search("物联网卡安全管理", k=5)


def test_bm25_small_index_and_ties():
    idx = ClauseIndex([ClauseText("b", "二", "物联网卡安全管理"), ClauseText("a", "一", "物联网卡安全管理"),
                       ClauseText("c", "三", "网络建设规划")])
    hits = idx.search("物联网卡", k=10)
    assert [k for k, _ in hits] == ["a", "b"]  # equal scores → by key; "c" shares nothing
    assert hits[0][1] == hits[1][1] > 0
    assert ClauseIndex([]).search("物联网") == []


# ---------------------------------------------------------------- Smith–Waterman


def test_smith_waterman_spans_on_known_strings():
    a, b = "甲乙丙物联网卡安全管理丁戊", "子丑物联网卡安全管理寅卯辰"
    score, sa, sb = smith_waterman(a, b)
    assert a[sa[0]:sa[1]] == "物联网卡安全管理" == b[sb[0]:sb[1]]
    assert sa == (3, 11) and sb == (2, 10)
    assert score == 2 * 8  # +2 per matched character


def test_smith_waterman_ignores_punctuation_and_maps_back_to_offsets():
    a = "要统筹考虑4G/5G和2G/3G物联网服务"
    b = "统筹考虑 ４Ｇ/５Ｇ 和 2G/3G 的衔接"  # spaces and full-width letters
    score, sa, sb = smith_waterman(a, b)
    assert a[sa[0]:sa[1]] == "统筹考虑4G/5G和2G/3G"
    assert b[sb[0]:sb[1]] == "统筹考虑 ４Ｇ/５Ｇ 和 2G/3G"
    assert score == 2 * 13  # 统筹考虑4g5g和2g3g: 13 content characters


def test_smith_waterman_bridges_small_differences_and_reports_no_match():
    score, sa, sb = smith_waterman("全面强化移动物联网安全防护能力", "全面强化物联网安全防护能力")
    assert sa == (0, 15) and sb == (0, 13)  # one passage across the two-character gap
    assert score == 2 * 13 - 2 * 2
    # two matching characters do not pay for a two-character gap: the passage starts after it
    assert smith_waterman("强化移动物联网安全", "强化物联网安全")[1] == (4, 9)
    assert smith_waterman("甲乙丙", "子丑寅") == (0.0, (0, 0), (0, 0))
    assert smith_waterman("", "物联网") == (0.0, (0, 0), (0, 0))


def _reference_sw(a: str, b: str) -> int:
    h = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    best = 0
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            s = 2 if a[i - 1] == b[j - 1] else -2
            h[i][j] = max(0, h[i - 1][j - 1] + s, h[i - 1][j] - 2, h[i][j - 1] - 2)
            best = max(best, h[i][j])
    return best


def test_batched_vectorised_dp_equals_the_textbook_recurrence():
    rng = random.Random(3)
    for _ in range(200):
        a = "".join(rng.choice("甲乙丙丁") for _ in range(rng.randint(0, 14)))
        bs = ["".join(rng.choice("甲乙丙丁") for _ in range(rng.randint(0, 14))) for _ in range(rng.randint(1, 4))]
        res = align_many(content(a)[0], [content(b)[0] for b in bs])
        for b, p in zip(bs, res):
            assert (p.score if p else 0) == _reference_sw(a, b), (a, b)
            if p:  # the reported spans really carry the score
                assert _reference_sw(a[p.a_start:p.a_end], b[p.b_start:p.b_end]) == p.score


def test_passages_are_disjoint_and_credit_two_restated_sentences():
    a = "完善用户投诉处理机制。加强物联网网络建设、优化和运维工作。"
    b = "基础电信企业要加强网络建设、优化和运维工作，促进网络质量提升。同时完善用户投诉处理机制。"
    ca, cb = content(a)[0], content(b)[0]
    ps = passages(ca, [cb])[0]
    assert len(ps) == 2
    spans = sorted((p.a_start, p.a_end) for p in ps)
    assert spans[0][1] <= spans[1][0]  # disjoint in the query …
    bspans = sorted((p.b_start, p.b_end) for p in ps)
    assert bspans[0][1] <= bspans[1][0]  # … and in the candidate


# ---------------------------------------------------------------- diff


@pytest.mark.parametrize("a,b", [
    ("提升服务水平", "提高行业服务水平"),
    ("", "物联网"),
    ("物联网", ""),
    ("统筹考虑的衔接", "统筹安排的迁转"),
    ("完全相同", "完全相同"),
])
def test_char_diff_round_trip(a, b):
    d = char_diff(a, b)
    assert all(op in ("=", "-", "+") and t for op, t in d)
    assert "".join(t for op, t in d if op != "+") == a
    assert "".join(t for op, t in d if op != "-") == b


def test_char_diff_round_trip_on_seed_clauses(seed):
    a = _by_label(seed[LOCAL], "五（四）").text
    b = _by_label(seed[SOURCE], "五（二）").text
    d = char_diff(a, b)
    assert "".join(t for op, t in d if op != "+") == a
    assert "".join(t for op, t in d if op != "-") == b
    assert any(op == "=" and "迁转等工作" in t for op, t in d)
    # no single-character "=" islands between two changes (semantic clean-up)
    for i in range(1, len(d) - 1):
        if d[i][0] == "=":
            assert len(d[i][1]) > 1 or d[i - 1][0] == "=" or d[i + 1][0] == "="


# ---------------------------------------------------------------- alignment on the seed pair


def _top1(alignments, local_key):
    return next((x for x in alignments if x.local_key == local_key and x.rank == 1), None)


@pytest.mark.parametrize("local_label,source_label", [
    ("五（四）", "五（二）"),  # 提升服务 ↔ 提高行业服务水平 (the example)
    ("四、1.", "四（一）"),
    ("四、3.", "四（三）"),
    ("二（一）", "二（一）"),
])
def test_positive_alignment_on_seed_clauses(seed, seed_alignments, local_label, source_label):
    loc = _by_label(seed[LOCAL], local_label)
    src = _by_label(seed[SOURCE], source_label)
    top = _top1(seed_alignments, loc.key)
    assert top is not None and top.source_key == src.key
    assert top.score >= 0.5 and top.method == "lexical" and top.embedding_score is None
    assert top.shared and loc.text[top.local_span[0]:top.local_span[1]] == top.shared
    # the source span holds the same passage, up to punctuation/whitespace
    strip = lambda s: "".join(ch for ch in s if ch.isalnum())  # noqa: E731
    sp = src.text[top.source_span[0]:top.source_span[1]]
    assert strip(sp) and (strip(sp) in strip(src.text))
    assert len(strip(top.shared)) >= 8


def test_the_service_clause_shares_the_transition_passage(seed, seed_alignments):
    top = _top1(seed_alignments, _by_label(seed[LOCAL], "五（四）").key)
    assert "统筹考虑" in top.shared and "迁转" in top.shared
    assert top.score >= 0.8


def test_negative_alignments_on_seed_clauses(seed, seed_alignments):
    # the cover notice restates nothing of the MIIT notice
    notice = _by_label(seed[LOCAL], "印发通知")
    assert not [x for x in seed_alignments if x.local_key == notice.key]
    # a bare heading is not confident on its own, even against its parallel heading
    heading = _by_label(seed[LOCAL], "二、")  # 夯实网络底座
    assert all(x.score < 0.5 for x in seed_alignments if x.local_key == heading.key)
    s, lex, emb = pair_score(heading.text, _by_label(seed[SOURCE], "二、").text)  # 夯实物联网络底座
    assert s < 0.5 and emb is None
    # two substantive clauses on different subjects
    service = _by_label(seed[LOCAL], "五（四）").text
    standards = _by_label(seed[SOURCE], "三（一）").text  # 推进标准体系建设
    assert pair_score(service, standards, context=[c.text for c in seed[LOCAL] + seed[SOURCE]])[0] < 0.3


def test_boilerplate_overlap_does_not_score_high():
    a = "推动基础电信企业加强物联网网络建设，进一步提升物联网发展水平，强化组织保障。"
    b = "鼓励基础电信企业加快物联网应用推广，不断提升物联网产业水平，加强宣传引导。"
    assert pair_score(a, b)[0] < 0.3


def test_alignment_records_are_well_formed(seed, seed_alignments):
    assert seed_alignments
    loc_keys = {c.key for c in seed[LOCAL]}
    src_keys = {c.key for c in seed[SOURCE]}
    for x in seed_alignments:
        assert x.local_key in loc_keys and x.source_key in src_keys
        assert 0.3 <= x.score <= 1 and round(x.score, 3) == x.score and round(x.lexical_score, 3) == x.lexical_score
        assert 1 <= x.rank <= 3 and x.method == "lexical"
    for k in loc_keys:
        ranks = [x for x in seed_alignments if x.local_key == k]
        assert [x.rank for x in ranks] == list(range(1, len(ranks) + 1))
        assert [x.score for x in ranks] == sorted((x.score for x in ranks), reverse=True)


def test_alignment_is_deterministic_and_order_independent(seed, seed_alignments):
    rng = random.Random(11)
    loc, src = list(seed[LOCAL]), list(seed[SOURCE])
    rng.shuffle(loc)
    rng.shuffle(src)
    assert align_documents(loc, src) == seed_alignments
    assert align_documents(seed[LOCAL] + seed[LOCAL][:3], seed[SOURCE]) == seed_alignments  # duplicates
    assert align_documents([], seed[SOURCE]) == [] == align_documents(seed[LOCAL], [])


def test_alignment_depends_only_on_its_two_inputs(seed, seed_alignments):
    # tokenising or aligning other documents first (a different "build order") changes nothing
    align_documents(seed[OTHER], seed[SOURCE])
    align_documents(seed[LOCAL], seed[OTHER])
    assert align_documents(seed[LOCAL], seed[SOURCE]) == seed_alignments


def test_pair_score_with_context_equals_the_alignment_score(seed, seed_alignments):
    texts = {c.key: c.text for c in seed[LOCAL] + seed[SOURCE]}
    context = [c.text for c in seed[LOCAL] + seed[SOURCE]]
    for x in seed_alignments[:5]:
        score, lex, emb = pair_score(texts[x.local_key], texts[x.source_key], context=context)
        assert (score, lex, emb) == (x.score, x.lexical_score, None)


def test_top_k_and_min_score(seed):
    loose = align_documents(seed[LOCAL], seed[SOURCE], top_k=5, min_score=0.0)
    assert max(x.rank for x in loose) == 5
    strict = align_documents(seed[LOCAL], seed[SOURCE], top_k=1, min_score=0.5)
    assert strict and all(x.rank == 1 and x.score >= 0.5 for x in strict)


def test_document_similarity_prefers_the_implemented_notice(seed):
    texts = {d: [c.text for c in cs] for d, cs in seed.items()}
    pair = document_similarity(texts[LOCAL], texts[SOURCE])
    assert 0 <= pair <= 1
    assert pair > document_similarity(texts[OTHER], texts[SOURCE])
    assert pair > document_similarity(texts[LOCAL], texts[OTHER])
    assert document_similarity(texts[LOCAL], texts[SOURCE]) == document_similarity(texts[LOCAL], texts[SOURCE])
    assert document_similarity([], texts[SOURCE]) == 0.0


# ---------------------------------------------------------------- embeddings


def test_no_model_configured_means_no_embedder_and_no_torch():
    assert Embedder.from_settings(None) is None and Embedder.from_settings("") is None
    code = ("import sys; from kg.align import ClauseText as C, align_documents, Embedder; "
            "assert Embedder.from_settings(None) is None; "
            "r = align_documents([C('a','一','强化物联网卡安全管理')], [C('b','二','加强物联网卡安全管理')], min_score=0); "
            "print(len(r), r[0].method, any(m.split('.')[0] in ('torch', 'sentence_transformers') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["1", "lexical", "False"]


def test_configured_but_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(KGError, match="嵌入模型"):
        Embedder.from_settings(str(tmp_path / "no-such-model"))
    with pytest.raises(KGError, match="不会联网下载"):
        Embedder.from_settings("no-such-org/no-such-model-for-policy-kg")
    (tmp_path / "empty").mkdir()
    with pytest.raises(KGError, match="modules.json"):
        Embedder.from_settings(str(tmp_path / "empty"))


def test_embedder_encodes_offline_normalised_and_order_independent(embedder):
    texts = ["Mobile IoT network coverage", "物联网卡安全管理", "Mobile IoT network coverage"]
    v = embedder.encode(texts)
    assert v.shape[0] == 3 and v.shape[1] > 0
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(v[0], v[2])
    assert np.array_equal(embedder.encode(list(reversed(texts)))[2], v[0])
    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    # the English model reads English but hardly any Chinese
    assert embedder.known_fraction(["The notice asks carriers to improve IoT coverage."]) > 0.9
    assert embedder.known_fraction(["基础电信企业要强化移动物联网安全防护能力建设"]) < 0.5


def test_embedding_path_makes_the_method_hybrid(seed, seed_alignments, embedder):
    hybrid = align_documents(seed[LOCAL], seed[SOURCE], embedder=embedder)
    assert hybrid and {x.method for x in hybrid} == {"hybrid"}
    assert all(x.embedding_score is not None and -1 <= x.embedding_score <= 1 for x in hybrid)
    # an English model on Chinese text reads < 50 % of the tokens: its weight is 0, so it cannot drag
    # a score up (or down) — the ranking and the scores stay the lexical ones
    strip = lambda xs: [(x.local_key, x.source_key, x.rank, x.score, x.shared) for x in xs]  # noqa: E731
    assert strip(hybrid) == strip(seed_alignments)
    top = _top1(hybrid, _by_label(seed[LOCAL], "五（四）").key)
    assert top.source_key == _by_label(seed[SOURCE], "五（二）").key
    s, lex, emb = pair_score(_by_label(seed[LOCAL], "五（四）").text, _by_label(seed[SOURCE], "五（二）").text,
                             embedder=embedder)
    assert emb is not None and s == lex
    # order independence holds with embeddings too
    rng = random.Random(5)
    loc, src = list(seed[LOCAL]), list(seed[SOURCE])
    rng.shuffle(loc)
    rng.shuffle(src)
    assert align_documents(loc, src, embedder=embedder) == hybrid


class _FakeEmbedder:
    """A model that reads everything and puts chosen texts close together (tests the weighting)."""

    def __init__(self, groups: dict[str, int]):
        self.groups = groups

    def encode(self, texts):
        v = np.zeros((len(texts), 8), dtype=np.float32)
        for i, t in enumerate(texts):
            v[i, self.groups.get(t, 7)] = 1.0
        return v

    def known_fraction(self, texts):
        return 1.0


def test_a_reading_model_can_lift_but_never_decide_alone():
    local = [ClauseText("l1", "一", "甲乙丙丁戊己庚辛壬癸")]
    source = [ClauseText(f"s{i}", str(i), t) for i, t in enumerate(
        ["子丑寅卯辰巳午未申酉", "天地玄黄宇宙洪荒日月", "盈昃辰宿列张寒来暑往", "秋收冬藏闰余成岁律吕"])]
    fake = _FakeEmbedder({"甲乙丙丁戊己庚辛壬癸": 0, "子丑寅卯辰巳午未申酉": 0, "天地玄黄宇宙洪荒日月": 1,
                          "盈昃辰宿列张寒来暑往": 2, "秋收冬藏闰余成岁律吕": 3})
    res = align_documents(local, source, embedder=fake, min_score=0.0)
    assert res[0].source_key == "s0" and res[0].method == "embedding" and res[0].lexical_score == 0
    assert res[0].embedding_score == 1.0
    assert 0 < res[0].score <= 0.35  # capped: an embedding alone never reaches "restates" (0.5)
    assert align_documents(local, source, embedder=fake) == [a for a in res if a.score >= 0.3]


# ---------------------------------------------------------------- kept counts and analyses (issue 9)


def _reference_matrices(ltoks, stoks):
    """The tf-idf matrices as :class:`kg.align.core._Space` builds them over the two lists."""
    from kg.align.core import _Space

    space = _Space([list(t) for t in ltoks] + [list(t) for t in stoks])
    return space.matrix([list(t) for t in ltoks]), space.matrix([list(t) for t in stoks])


def _kept_matrices(ltoks, stoks):
    from kg.align.core import _pair_idf, _TermRows

    lrows, srows = _TermRows([tuple(t) for t in ltoks]), _TermRows([tuple(t) for t in stoks])
    lcols, scols, idf = _pair_idf(lrows, srows)
    return lrows.matrix(lcols, idf), srows.matrix(scols, idf)


def test_kept_counts_give_the_reference_matrices_bit_for_bit(seed):
    from kg.align.tokens import tokens_of

    for a, b in ((LOCAL, SOURCE), (OTHER, SOURCE), (SOURCE, SOURCE)):
        ltoks = [tokens_of(c.text) for c in seed[a]]
        stoks = [tokens_of(c.text) for c in seed[b]]
        for got, want in zip(_kept_matrices(ltoks, stoks), _reference_matrices(ltoks, stoks)):
            assert got.shape == want.shape and np.array_equal(got, want)


def test_kept_counts_order_columns_as_python_sorts_words():
    # prefixes, Latin and CJK, a character outside the basic plane, an empty row, a generic word; and a word
    # with a NUL (numpy's strings would drop a trailing one: Python's order is used then)
    rows = [["物联网", "a", "ab", "中", "中文", "\U00020000", "Z"], [], ["ab", "ab", "b", "中文网"]]
    other = [["a", "中文", "𠀀x"], ["物联网", "物联网", "zz"]]
    for ltoks, stoks in ((rows, other), (rows + [["a\x00"]], other), (rows, other + [["\x00", "a"]])):
        for got, want in zip(_kept_matrices(ltoks, stoks), _reference_matrices(ltoks, stoks)):
            assert got.shape == want.shape and np.array_equal(got, want)


def _reference_weights(text: str) -> np.ndarray:
    """char_weights' definition, character by character."""
    import unicodedata

    from kg.align import tokens as T

    nfkc = unicodedata.normalize("NFKC", text)
    if len(nfkc) != len(text):
        return np.ones(sum(1 for ch in text for c in T.normalise(ch) if T.is_content_char(c)))
    per_char = np.full(len(text), T.CHAR_WEIGHT[T.KEEP])
    for m in T._TITLE.finditer(nfkc):
        per_char[m.start():m.end()] = T.TITLE_CHAR_WEIGHT
    for w, s, e, kind in T.words(text):
        if w in T.stopwords():
            per_char[s:e] = T.CHAR_WEIGHT[T.DROP]
        elif T._NUMBER.match(w):
            per_char[s:e] = np.minimum(per_char[s:e], T.NUMBER_CHAR_WEIGHT)
        elif kind == T.GENERIC:
            per_char[s:e] = np.minimum(per_char[s:e], T.CHAR_WEIGHT[T.GENERIC])
    return np.asarray([per_char[i] for i, ch in enumerate(text) for c in T.normalise(ch) if T.is_content_char(c)],
                      dtype=np.float64)


def test_one_analysis_gives_the_tokens_weights_and_content_of_each_text(seed):
    from kg.align import tokens as T

    texts = [c.text for c in seed[LOCAL][:20]] + [
        "依据《关于推进移动物联网“万物智联”发展的通知》，到2027年建成５Ｇ基站10万个", "ＮＢ－ＩｏＴ ㎡ ﬁ 物联网卡", "", "，。"]
    outside = [(T.tokenize(t), T.char_weights(t)) for t in texts]
    with T.remembering():
        with T.remembering():  # nested: the outer one's memory
            inside = [(T.tokenize(t), T.char_weights(t)) for t in texts]
        assert set(texts) <= set(T._KEPT)
    assert T._KEPT is None
    for t, (toks, w), (toks2, w2) in zip(texts, outside, inside):
        assert toks == toks2 == list(T.tokens_of(t))
        want = _reference_weights(t)
        assert w.dtype == want.dtype and np.array_equal(w, want) and np.array_equal(w2, want)
        codes, offs = content(t)
        assert codes.tolist() == [ord(c) for ch in t for c in T.normalise(ch) if T.is_content_char(c)]
        assert offs.tolist() == [i for i, ch in enumerate(t) for c in T.normalise(ch) if T.is_content_char(c)]
        assert len(w) == len(codes)


def test_the_first_candidates_are_the_whole_bm25_orders_beginning():
    from kg.align.core import _bm25_order

    rng = random.Random(9)
    for _ in range(300):
        n = rng.randint(0, 60)
        # ties, near-ties across the 4-digit rounding, zeros
        bm = np.array([rng.choice([0.0, 1.0, 1.00004, 0.99996, 2.5, rng.random() * 3, rng.randint(0, 3) / 7])
                       for _ in range(n)], dtype=np.float64)
        keys = [f"k{rng.randint(0, 999):03d}-{i}" for i in range(n)]
        whole = _bm25_order(bm, keys)
        assert whole == sorted((j for j in range(n) if bm[j] > 0), key=lambda j: (-round(float(bm[j]), 4), keys[j]))
        for first in (1, 3, 8):
            assert _bm25_order(bm, keys, first) == whole[:first]


def _reference_kernel(a, b, mask):
    """The one-pass recurrence, first best cell in row-major order and its traceback, as sw.py had it."""
    n, m = len(a), len(b)
    h = [[0] * (m + 1) for _ in range(n + 1)]
    best = bi = bj = 0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            s = 2 if (not mask[i - 1] and a[i - 1] == b[j - 1]) else -2
            h[i][j] = max(0, h[i - 1][j - 1] + s, h[i - 1][j] - 2, h[i][j - 1] - 2)
            if h[i][j] > best:
                best, bi, bj = h[i][j], i, j
    if best <= 0:
        return None
    i, j, matches = bi, bj, 0
    while i > 0 and j > 0 and h[i][j] > 0:
        s = 2 if (not mask[i - 1] and a[i - 1] == b[j - 1]) else -2
        if h[i][j] == h[i - 1][j - 1] + s:
            matches += s == 2
            i, j = i - 1, j - 1
        elif h[i][j] == h[i - 1][j] - 2:
            i -= 1
        else:
            j -= 1
    return best, matches, i, bi, j, bj


def test_two_pass_rows_give_the_one_pass_recurrences_passages():
    rng = random.Random(11)
    for _ in range(300):
        a = np.array([rng.randint(0, 3) for _ in range(rng.randint(0, 30))], dtype=np.int32)
        bs = [np.array([rng.choice([0, 1, 2, 3, -3]) for _ in range(rng.randint(0, 30))], dtype=np.int32)
              for _ in range(rng.randint(1, 4))]
        masks = [np.array([rng.random() < 0.25 for _ in range(len(a))], dtype=bool) for _ in bs]
        for b, mask, p in zip(bs, masks, align_many(a, bs, a_masks=masks)):
            want = _reference_kernel(a.tolist(), b.tolist(), mask.tolist()) if len(b) else None
            got = None if p is None else (p.score, p.matches, p.a_start, p.a_end, p.b_start, p.b_end)
            assert got == want, (a, b, mask)
