"""The pipeline's jieba tokenizer reads its prepared dictionary by first character as texts need it
(issue 9, start-up); it must cut every text exactly as the tokenizer with the whole dictionary does,
whatever it has read so far, and its API changes must behave as on the whole dictionary."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from kg.extract import nlp as knlp

ROOT = Path(__file__).resolve().parent.parent


def _texts() -> list[str]:
    out = ["市通信管理局会同市数据局、市经济和信息化委等部门推进，发挥基础电信企业作用。",
           "到２０２７年，全市５G基站达到 2.5 万个，增长１５％ 以上。", "IoT-5G+ & C#._% 物联网", "", " 。"]
    for f in sorted((ROOT / "corpus").glob("*.txt")):
        out += [ln for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()][:60]
    rnd = random.Random(11)
    alphabet = list("，。、 0123456789５abcX-+#") + ["通信", "管理局", "市", "数据", "年", "鬯", "龘", "〇"]
    out += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 30))) for _ in range(200)]
    return out


@pytest.fixture(scope="module")
def cached(tmp_path_factory):
    """The tokenizer built whole (nothing cached yet), and a function reading it back from the cache
    just written: a tokenizer with the parts of its dictionary, none decoded yet."""
    d = str(tmp_path_factory.mktemp("kgcache"))
    mp = pytest.MonkeyPatch()
    mp.setenv("KG_CACHE_DIR", d)
    try:
        whole = knlp._load_segmenter()
    finally:
        mp.undo()

    def sharded():
        with pytest.MonkeyPatch.context() as m:
            m.setenv("KG_CACHE_DIR", d)
            return knlp._load_segmenter()
    return whole, sharded


def test_a_loaded_tokenizer_starts_empty_and_cuts_like_the_whole_dictionary(cached):
    whole, sharded = cached[0], cached[1]()
    assert not hasattr(whole, "load_all") and sharded.FREQ == {} and sharded.total == whole.total
    seen = 0
    for t in _texts():  # one text at a time: each cut sees only the parts read so far
        assert sharded.lcut(t) == whole.lcut(t), t
        assert sharded.lcut(t, HMM=False) == whole.lcut(t, HMM=False), t
        assert sharded.lcut(t, cut_all=True) == whole.lcut(t, cut_all=True), t
        assert sharded.lcut_for_search(t) == whole.lcut_for_search(t), t
        assert list(sharded.tokenize(t, mode="search")) == list(whole.tokenize(t, mode="search")), t
        seen += 1
    assert seen > 100 and 0 < len(sharded.FREQ) < len(whole.FREQ)  # read in part, not whole
    assert sharded.suggest_freq("鬯龘", False) == whole.suggest_freq("鬯龘", False)
    assert sharded.suggest_freq(("通信", "管理局"), False) == whole.suggest_freq(("通信", "管理局"), False)
    sharded.load_all()
    assert sharded.FREQ == whole.FREQ and not sharded._pending


def test_words_added_to_a_partly_read_dictionary_keep_its_entries(cached, tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    whole = knlp._load_segmenter()  # its own: words are added to it
    sharded = cached[1]()
    assert sharded.FREQ == {}
    for tok in (whole, sharded):  # 推进 is in the dictionary: adding a longer word must not lose it
        tok.add_word("推进泛在感知终端", 10 ** 9)
    assert sharded.FREQ["推进"] == whole.FREQ["推进"] > 0
    text = "推进泛在感知终端规模部署，推进数据互通"
    assert sharded.lcut(text) == whole.lcut(text)
    sharded.load_all()
    assert sharded.FREQ == whole.FREQ and sharded.total == whole.total


def test_the_memo_survives_reading_parts_and_forgets_an_added_word(cached):
    sharded = cached[1]()
    seg = knlp.BlockMemoSegmenter(sharded)
    text = "推进泛在感知终端规模部署"
    seg.lcut(text)
    memo = seg.memo
    seg.lcut("龘鬯彧")  # reads more parts of the dictionary: the words already cut stay valid
    assert seg.memo is memo and text in memo
    sharded.add_word("泛在感知终端规模部署", 10 ** 9)
    assert seg.lcut(text) == sharded.lcut(text) == ["推进", "泛在感知终端规模部署"]


def test_the_retrieval_tokenizer_is_prepared_the_same_way(tmp_path, monkeypatch):
    """kg.align's tokenizer (jieba + domain terms, used by search, ask and the aligner) is kept in the cache by
    first character too: read back in part, it cuts every text as the one built whole."""
    from kg.align import tokens

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    whole = tokens.segmenter.__wrapped__()  # nothing cached: built, then saved
    sharded = tokens.segmenter.__wrapped__()
    assert not hasattr(whole, "load_all") and sharded.FREQ == {} and sharded.total == whole.total
    for t in _texts():
        assert list(sharded.tokenize(t)) == list(whole.tokenize(t)), t
    sharded.load_all()
    assert sharded.FREQ == whole.FREQ
