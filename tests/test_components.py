"""The extractors run as components of one spaCy pipeline (blank zh + jieba + entity ruler)."""
from kg.extract.base import DocContext
from kg.extract.components import get_policy_nlp, make_doc, run_extractors
from kg.extract.deadlines import extract_deadlines
from kg.extract.parties import extract_parties
from kg.extract.targets import extract_targets

CTX = DocContext(jurisdiction="上海市", level="provincial", issuers=("上海市通信管理局",), period=(2026, 2028))
TEXT = "到2028年，全市5G基站累计建设13万个。市通信管理局会同市数据局推进，落实《关于推进移动物联网“万物智联”发展的通知》要求。"


def test_pipeline_components():
    nlp = get_policy_nlp()
    assert nlp.lang == "zh"
    assert nlp.pipe_names == ["entity_ruler", "policy_deadlines", "policy_targets", "policy_parties", "policy_references"]


def test_components_write_extensions_and_span_groups():
    nlp = get_policy_nlp()
    doc = make_doc(TEXT, CTX)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    assert [e.text for e in doc.ents] == ["市通信管理局", "市数据局"]
    assert [t.value for t in doc._.targets] == [130000]
    assert any(sp.text.startswith("到2028") for sp in doc.spans["deadlines"])
    assert {(p.party, p.role) for p in doc._.parties} >= {("上海市通信管理局", "lead"), ("上海市数据局", "co")}
    assert doc._.references[0].relation == "applies"


def test_same_results_as_the_extractor_functions():
    out = run_extractors(TEXT, CTX)
    assert out["targets"] == extract_targets(TEXT, CTX)
    assert out["deadlines"] == extract_deadlines(TEXT, CTX)
    assert out["parties"] == extract_parties(TEXT, CTX)
