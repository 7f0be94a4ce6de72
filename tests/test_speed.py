"""The fast entity ruler and the prepared-dictionary cache give exactly what the slow path gives."""
from pathlib import Path

import pytest

from kg.extract import nlp as knlp

ROOT = Path(__file__).resolve().parent.parent


def _texts() -> list[str]:
    out = ["市通信管理局会同市数据局、市经济和信息化委等部门推进，发挥基础电信企业作用。",
           "各镇人民政府、街道办事处，区政府各部门、各直属单位：",
           "由工业和信息化部牵头，国家发展改革委、财政部配合。"]
    for f in sorted((ROOT / "corpus").glob("*.txt")):
        out += [ln for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()][:60]
    return out


def test_gazetteer_ruler_matches_spacys_entity_ruler():
    """Same spans, labels and ids as spaCy's EntityRuler (phrase patterns on ORTH, overwrite_ents) —
    including a surface listed both as an agency and as an actor class (the tie spaCy breaks)."""
    nlp = knlp.get_nlp()
    texts = _texts()
    pats = knlp._ruler_patterns()
    # every pattern occurring in the texts, plus some that do not, plus the label ties
    joined = "\n".join(texts)
    names = [p for p in pats if p["pattern"] in joined]
    ties = {p["pattern"] for p in pats if p["label"] == "ACTOR_CLASS"} & {p["pattern"] for p in pats if p["label"] == "ORG"}
    assert ties, "the gazetteer has surfaces that are both an agency and an actor class"
    subset = names + [p for p in pats if p["pattern"] in ties] + pats[::200]
    import spacy

    ref = spacy.blank("zh")
    ref.tokenizer = nlp.tokenizer
    er = ref.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH", "overwrite_ents": True})
    er.add_patterns(subset)
    mine = knlp.GazetteerRuler(nlp, trie=knlp.build_trie(nlp, subset))
    seen = 0
    for t in texts + [p["pattern"] + "和" + p["pattern"] for p in subset if p["pattern"] in ties]:
        a = [(e.start_char, e.end_char, e.label_, e.ent_id_) for e in ref(t).ents]
        b = [(e.start_char, e.end_char, e.label_, e.ent_id_) for e in mine(nlp.make_doc(t)).ents]
        assert a == b, t
        seen += len(a)
    assert seen > 20


def test_ruler_spans_reuse_gives_the_pipeline_result():
    text = "市通信管理局会同市数据局推进。"
    fresh = [(e.start_char, e.end_char, e.text) for e in knlp.get_nlp()(text).ents]
    assert knlp.ruler_spans(text) == fresh == [(0, 6, "市通信管理局"), (8, 12, "市数据局")]


def test_prepared_dictionary_round_trips_and_survives_a_corrupt_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    built = knlp.get_segmenter.__wrapped__()  # no cache yet: builds and writes it
    files = list(tmp_path.glob("jieba-*.marshal"))
    assert len(files) == 1
    loaded = knlp.get_segmenter.__wrapped__()  # loads it
    assert loaded.FREQ == built.FREQ and loaded.total == built.total
    text = "上海市通信管理局会同市数据局推进移动物联网“万物智联”发展。"
    assert loaded.lcut(text) == built.lcut(text)
    files[0].write_bytes(b"not a marshal file")
    again = knlp.get_segmenter.__wrapped__()  # unreadable: rebuilt, and rewritten
    assert again.lcut(text) == built.lcut(text)
    assert knlp._cache_load("jieba") is not None


def test_cache_never_written_into_the_package(monkeypatch):
    monkeypatch.delenv("KG_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/nonexistent-xdg")
    assert knlp.cache_dir() == Path("/nonexistent-xdg/policy-kg")
    assert ROOT / "kg" not in knlp.cache_dir().parents


@pytest.mark.parametrize("mod", ["kg.extract.components"])
def test_extraction_does_not_import_torch(mod):
    import subprocess
    import sys

    code = f"import sys, {mod}; {mod}.get_policy_nlp(); print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
