"""A document that names itself by its title without （试行） gets no "upstream" external document of that
name; a citation of another document still links."""
from kg.build import build
from kg.links import link_triples
from kg.store import GraphStore
from kg.vocab import ELI, KG

DOC = (
    "海宁市工业企业技术改造奖励办法（试行）\n"
    "第一条 为推进工业企业技术改造，根据《浙江省人民政府关于加快推进工业企业技术改造的意见》，制定本办法。\n"
    "第二条 《海宁市工业企业技术改造奖励办法》由市经信局负责解释。\n")


def test_a_document_citing_its_own_title_without_qualifier_gets_no_link(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "haining.txt").write_text(DOC, encoding="utf-8")
    store = GraphStore(tmp_path / "s", "https://policykg.example/")
    build(store, [tmp_path / "in"])
    triples = link_triples(store)
    targets = [o for s, p, o in triples if p == KG.linkTarget]
    titles = [str(o) for s, p, o in triples if p == ELI.title]
    assert titles == ["浙江省人民政府关于加快推进工业企业技术改造的意见"]
    assert len(targets) == 1


def test_the_trial_version_with_its_own_number_is_another_document():
    from kg.links import _names_itself
    from kg.resolve import DocCandidate

    new = DocCandidate("new", ("杭州市科技保险补贴实施办法",), "杭科发〔2020〕5号")
    assert not _names_itself("杭州市科技保险补贴实施办法（试行）", "杭科发〔2017〕9号", new)
    assert _names_itself("杭州市科技保险补贴实施办法（试行）", None, new)
