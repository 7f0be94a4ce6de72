"""End to end over corpus/: documents, clauses, facts, links, SHACL, exports — as a reader sees them."""
import io
import json

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

from kg.export import export
from kg.query import facts as fq
from kg.query.clauses import clause_tree, flatten
from kg.query.docs import find_doc, list_docs
from kg.validate import validate_store

from conftest import FYP, N2021, N2024, N2025, N2026


@pytest.fixture(scope="module")
def docs(built_store):
    return {d["id"]: d for d in list_docs(built_store)}


def test_five_documents_with_their_metadata(docs):
    assert set(docs) == {N2026, N2024, N2021, FYP, N2025}
    d = docs[N2021]
    assert d["doc_number"] == "工信部联科〔2021〕130号"
    assert d["issuers"] == ["工业和信息化部", "中央网络安全和信息化委员会办公室", "科学技术部", "生态环境部",
                            "住房和城乡建设部", "农业农村部", "国家卫生健康委员会", "国家能源局"]
    assert (d["date_document"], d["date_header"], d["date_publication"]) == ("2021-09-10", "2021-09-15", "2021-09-27")
    assert d["level"] == "national" and d["jurisdiction"] == "全国" and d["period"] == [2021, 2023]
    assert d["title"] == "物联网新型基础设施建设三年行动计划（2021—2023年）"
    assert d["notice_title"].endswith("关于印发《物联网新型基础设施建设三年行动计划（2021—2023年）》的通知")
    d = docs[N2024]
    assert d["doc_number"] == "工信厅通信〔2024〕52号" and d["issuers"] == ["工业和信息化部办公厅"]
    assert d["date_document"] is None and d["date_publication"] is None and d["notice_title"] is None
    assert d["doc_type"] == "通知" and d["level"] == "national"
    d = docs[N2026]
    assert d["doc_number"] == "沪通信管发〔2026〕5号" and d["issuers"] == ["上海市通信管理局"]
    assert d["title"] == "上海市物联网及物联感知“物智沪联”行动计划（2026—2028年）"
    assert d["date_publication"] == "2026-01-16" and d["date_document"] is None
    assert d["level"] == "provincial" and d["jurisdiction"] == "上海市" and d["period"] == [2026, 2028]
    assert d["cc"] == ["上海市经济和信息化委员会", "上海市数据局"]  # document order
    d = docs[N2025]
    assert d["doc_number"] == "沪通信管临港〔2025〕1号"
    assert d["title"] == "上海信息通信业聚焦提升企业感受 持续打造国际一流通信服务能级和营商环境行动方案"
    assert d["recipients"][:5] == ["上海电信公司", "上海移动公司", "上海联通公司", "上海铁塔公司", "上海东方有线公司"]
    d = docs[FYP]
    assert d["doc_number"] is None and d["issuers"] == [] and d["date_document"] is None
    assert d["level"] == "provincial" and d["jurisdiction"] == "上海市" and d["period"] == [2021, 2025]


def test_clause_trees_as_a_reader_sees_them(built_store, docs):
    tree = clause_tree(built_store, docs[N2026]["iri"])
    five = next(n for n in tree if n["clause"] == "五、")
    assert [c["clause"] for c in five["children"]] == ["五（一）", "五（二）", "五（三）", "五（四）"]
    assert five["children"][3]["heading"] == "提升服务" and five["children"][3]["clause_id"] == "sec_5__subsec_4"
    three = next(n for n in tree if n["clause"] == "三、")
    assert [c["clause"] for c in three["children"]] == ["三、1.", "三、2.", "三、3."]
    flat = flatten(clause_tree(built_store, docs[FYP]["iri"]))
    table = next(c for c in flat if c["clause"] == "主要指标表")
    assert len(table["children"]) == 12
    cats = [r["cells"]["类别"] for r in table["children"]]
    assert cats == ["连接高地"] * 4 + ["计算高地"] * 3 + ["感知高地"] * 2 + ["枢纽高地"] * 2 + ["创新高地"]
    assert table["children"][1]["filled_down"] == ["类别"]
    note_holder = next(c for c in flat if c.get("notes"))
    assert note_holder["clause"] == "一（一）4." and "标准机架" in note_holder["notes"][0]["text"]
    labels = [c["clause"] for c in flatten(clause_tree(built_store, docs[N2021]["iri"]))]
    assert [x for x in labels if x.startswith("专栏")] == [f"专栏{i}" for i in range(1, 7)]
    assert "二（二）5." in labels and "二（四）12." in labels
    assert docs[N2024]["clause_count"] == 20 and docs[N2026]["clause_count"] == 20


def test_span_points_at_the_clause_text(built_store, docs, corpus_dir):
    src = (corpus_dir / f"{N2026}.txt").read_text(encoding="utf-8")
    node = next(c for c in flatten(clause_tree(built_store, docs[N2026]["iri"])) if c["clause"] == "五（四）")
    s, e = node["span"]
    assert src[s:e].startswith("### （四）提升服务") or src[s:e].lstrip("# ").startswith("（四）提升服务")
    assert "促进网络质量和服务提升。" in src[s:e]


def test_targets_of_the_seeds(built_store):
    ts = fq.targets(built_store)
    def find(doc, metric, value):
        hits = [t for t in ts if t["doc"] == doc and t["metric"] == metric and t["value"] == value]
        assert hits, (doc, metric, value)
        return hits[0]
    t = find(N2026, "5G基站", 130000)
    assert (t["unit"], t["change"], t["deadline"], t["kind"]) == ("个", "cumulative", "2028-12-31", "target")
    assert t["parties"] == ["上海市通信管理局"]
    t = find(N2024, "移动物联网终端连接数", 3600000000)
    assert (t["comparator"], t["deadline_year"], t["level_of_ambition"]) == (">", 2027, "stretch")
    rows = [t for t in ts if t["doc"] == FYP and t["method"] == "targets.table_row" and t["kind"] == "target"]
    assert len(rows) == 12
    # each row's 2020 value is a value of its own too (kind baseline), as 由A提升至B's A is in running text
    bases = [t for t in ts if t["doc"] == FYP and t["method"] == "targets.table_row" and t["kind"] == "baseline"]
    assert len(bases) == 12 and {(t["metric"], t["value"]) for t in bases} >= {("固定宽带平均可用下载速率", 50.32)}
    first = next(t for t in rows if t["metric"] == "固定宽带平均可用下载速率")
    assert (first["value"], first["comparator"], first["unit"], first["baseline"]) == (120, ">=", "Mbps", {"value": 50.32, "year": 2020})
    # 十三五 achievements are not targets
    assert not [t for t in ts if t["doc"] == FYP and t["kind"] == "target" and t["value"] == 32000]
    assert [t for t in ts if t["doc"] == FYP and t["value"] == 32000 and t["kind"] == "achievement"]
    # a target stated in the table and in the text is one target with two sources
    pue = [t for t in ts if t["doc"] == FYP and t["value"] == 1.3 and t["kind"] == "target"]
    assert len(pue) == 1 and pue[0]["sources"]


def test_parties_and_references_of_the_seeds(built_store):
    ps = [p for p in fq.parties(built_store) if p["doc"] == N2026 and p["clause"] == "五（一）"]
    roles = {(p["party"], p["role"]) for p in ps}
    assert {("上海市通信管理局", "lead"), ("上海市数据局", "co"), ("上海市经济和信息化委员会", "co")} <= roles
    refs = fq.refs(built_store)
    hit = [r for r in refs if r["doc"] == N2026 and r["resolved_doc"] == N2024]
    assert hit and hit[0]["relation"] == "applies" and hit[0]["cue"] == "落实"
    assert hit[0]["link_method"] == "title-match"
    ext = [r for r in refs if r["doc"] == FYP and r["title"] and "二〇三五" in r["title"]]
    assert ext and ext[0]["resolved_doc"] is None and ext[0]["external_iri"]
    selfs = [r for r in refs if r["doc"] == N2026 and r["relation"] == "self"]
    assert selfs and selfs[0]["clause"] == "印发通知"


def test_every_fact_has_provenance(built_store):
    for kind in ("targets", "deadlines", "parties", "refs"):
        for f in getattr(fq, kind)(built_store):
            assert f["clause_id"] and f["method"] and 0 < f["confidence"] <= 1, f
            assert 0 <= f["span"][0] <= f["span"][1], f


def test_shacl_conforms(built_store):
    rep = validate_store(built_store)
    assert rep.conforms, rep.violations[:5]


def test_shacl_catches_a_broken_graph():
    from rdflib import Literal, Namespace, RDF, URIRef
    from kg.validate import validate_graph

    KG = Namespace("https://policykg.example/ns#")
    g = Graph()
    d = URIRef("https://policykg.example/doc/x")
    g.add((d, RDF.type, KG.SourceDocument))
    g.add((d, KG.level, Literal("galactic")))
    rep = validate_graph(g)
    assert not rep.conforms and len(rep.violations) >= 3


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nt", "nq", "jsonld"])
def test_exports_parse_in_rdflib_and_pyoxigraph(built_store, fmt):
    data = export(built_store, fmt)
    n_triples = len(export(built_store, "nt").splitlines())
    rd = {"turtle": "turtle", "trig": "trig", "nt": "nt", "nq": "nquads", "jsonld": "json-ld"}[fmt]
    if fmt in ("trig", "nq", "jsonld"):
        ds = Dataset()
        ds.parse(data=data, format=rd)
        count = len({(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))})
    else:
        g = Graph()
        g.parse(data=data, format=rd)
        count = len(g)
    assert count == n_triples
    ofmt = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nt": ox.RdfFormat.N_TRIPLES,
            "nq": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    quads = list(ox.parse(io.BytesIO(data.encode("utf-8")), format=ofmt))
    assert len({(q.subject, q.predicate, q.object) for q in quads}) == n_triples


def test_jsonld_uses_a_local_context(built_store):
    data = json.loads(export(built_store, "jsonld"))
    assert isinstance(data["@context"], dict)  # inline, never a URL to fetch
    assert data["@context"]["eli"] == "http://data.europa.eu/eli/ontology#"


def test_find_doc_is_forgiving_and_explains_ambiguity(built_store):
    from kg.errors import DocumentNotFound

    assert find_doc(built_store, "沪通信管发[2026]5号")["id"] == N2026
    assert find_doc(built_store, "物智沪联")["id"] == N2026
    assert find_doc(built_store, f"{N2024}.txt")["id"] == N2024
    with pytest.raises(DocumentNotFound) as e:
        find_doc(built_store, "上海")
    assert len(e.value.candidates) >= 2
