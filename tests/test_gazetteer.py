"""Gazetteer: resolution of names, relative names, places, classes, issuer lists."""
from __future__ import annotations

import pytest

from kg.gazetteer import Gazetteer, default_gazetteer


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return default_gazetteer()


@pytest.mark.parametrize("mention,jurisdiction,name,method", [
    ("工业和信息化部", None, "工业和信息化部", "gazetteer-exact"),
    ("工信部", None, "工业和信息化部", "gazetteer-alias"),
    ("中央网信办", None, "中央网络安全和信息化委员会办公室", "gazetteer-alias"),
    ("信通院", None, "中国信息通信研究院", "gazetteer-alias"),
    ("国家发展改革委", None, "国家发展和改革委员会", "gazetteer-alias"),
    ("国家卫生健康委", None, "国家卫生健康委员会", "gazetteer-alias"),
    ("工业和信息化部办公厅", None, "工业和信息化部办公厅", "gazetteer-exact"),
    ("财政部办公厅", None, "财政部办公厅", "gazetteer-exact"),
    ("市场监管总局办公厅", None, "国家市场监督管理总局办公厅", "gazetteer-alias"),  # an administration's too
    ("税务总局办公厅", None, "国家税务总局办公厅", "gazetteer-alias"),
    ("中国移动", None, "中国移动通信集团有限公司", "gazetteer-alias"),
    ("市通信管理局", "上海市", "上海市通信管理局", "jurisdiction-prefix"),
    ("市经济和信息化委", "上海市", "上海市经济和信息化委员会", "jurisdiction-prefix"),
    ("市经信委", "上海市", "上海市经济和信息化委员会", "jurisdiction-prefix"),
    ("市发展改革委", "上海市", "上海市发展和改革委员会", "jurisdiction-prefix"),
    ("省工业和信息化厅", "广东省", "广东省工业和信息化厅", "jurisdiction-prefix"),
    ("省工信厅", "广东省", "广东省工业和信息化厅", "jurisdiction-prefix"),
    ("省经信厅", "浙江省", "浙江省经济和信息化厅", "jurisdiction-prefix"),
    ("自治区通信管理局", "广西壮族自治区", "广西壮族自治区通信管理局", "jurisdiction-prefix"),
    ("区政府", "杨浦区", "杨浦区人民政府", "jurisdiction-prefix"),
    ("市通信管理局", "杨浦区", "上海市通信管理局", "jurisdiction-prefix"),
    ("省通信管理局", "深圳市", "广东省通信管理局", "jurisdiction-prefix"),
    ("市委网信办", "上海市", "中共上海市委网络安全和信息化委员会办公室", "jurisdiction-prefix"),
    ("上海市经济和信息化委员会", None, "上海市经济和信息化委员会", "gazetteer-exact"),
    ("上海市 经济和信息化委员会", None, "上海市经济和信息化委员会", "gazetteer-exact"),
    ("上海市数据局", "全国", "上海市数据局", "gazetteer-exact"),
    ("上海市通信管理局办公室", None, "上海市通信管理局办公室", "gazetteer-exact"),
    ("汕头市数据局", None, "汕头市数据局", "place-prefix"),
    ("基础电信企业", None, "基础电信企业", "gazetteer-exact"),
    ("各有关单位", None, "各相关单位", "gazetteer-alias"),
])
def test_resolve(g, mention, jurisdiction, name, method):
    r = g.resolve(mention, jurisdiction)
    assert r is not None, mention
    assert (r.name, r.method) == (name, method)
    assert 0 < r.confidence <= 1


def test_levels_and_ids(g):
    r = g.resolve("上海市通信管理局")
    assert (r.id, r.level, r.jurisdiction, r.party_type) == ("sh-comm-admin", "provincial", "上海市", "organization")
    assert g.resolve("区科委", "杨浦区").level == "county"
    assert g.resolve("市数据局", "深圳市").level == "prefectural"
    assert g.resolve("国家数据局").level == "national"
    assert g.resolve("各区").party_type == "class"
    assert g.agency("miit-general-office").parent == "miit"
    assert g.agency("sh-comm-admin").parent == "miit"


def test_never_local_to_national(g):
    assert g.resolve("上海市数据局").id != "nda"
    assert g.resolve("上海市数据服务局") is None  # unknown local body: no fuzzy jump to 国家数据局
    # 数据资源局 is a real variant name of a local data bureau (杭州市): local, never 国家数据局
    r = g.resolve("上海市数据资源局")
    assert r is not None and r.id != "nda" and r.jurisdiction == "上海市"
    assert g.resolve("市数据局", None) is None  # relative name without jurisdiction
    assert g.resolve("区通信管理局", "杨浦区") is None  # no district-level 通信管理局
    assert g.resolve("省数据局", "上海市") is None  # a municipality has no 省


def test_fuzzy_is_guarded(g):
    r = g.resolve("中央网络安全和信急化委员会办公室")  # OCR-like typo of a national name
    assert r is not None and r.name == "中央网络安全和信息化委员会办公室" and r.method == "fuzzy" and r.confidence < 0.7
    assert g.resolve("国家数据管理局") is None or g.resolve("国家数据管理局").method == "fuzzy"
    assert g.resolve("随便什么单位") is None


def test_all_provinces_instantiated(g):
    provinces = [p for p in g.places() if p.level == "provincial" and p.kind != "special"]
    assert len(provinces) == 31
    for p in provinces:
        r = g.resolve(p.name + "通信管理局")
        assert r is not None and r.jurisdiction == p.name
        assert g.resolve("市发展改革委" if p.kind == "municipality" else "省发展改革委"
                         if p.kind == "province" else "自治区发展改革委", p.name).jurisdiction == p.name


def test_place_prefix_and_place(g):
    assert g.place_prefix("上海市新一代信息基础设施发展“十四五”规划").name == "上海市"
    assert g.place_prefix("广东省关于加快5G发展的通知").name == "广东省"
    assert g.place_prefix("上海信息通信业聚焦提升企业感受").name == "上海市"
    assert g.place_prefix("物联网新型基础设施建设三年行动计划") is None
    assert g.place("沪").name == "上海市"
    assert g.place("粤").name == "广东省"
    assert g.place("杨浦区").parent == "sh"
    assert g.place("全国").level == "national"


def test_split_issuers(g):
    text = ("工业和信息化部、中央网络安全和信息化委员会办公室、科学技术部、生态环境部、住房和城乡建设部、"
            "农业农村部、\n国家卫生健康委员会、国家能源局")
    assert g.split_issuers(text) == ["工业和信息化部", "中央网络安全和信息化委员会办公室", "科学技术部", "生态环境部",
                                     "住房和城乡建设部", "农业农村部", "国家卫生健康委员会", "国家能源局"]
    assert g.split_issuers("工信部、中央网信办") == ["工业和信息化部", "中央网络安全和信息化委员会办公室"]
    assert g.split_issuers("市通信管理局、数据局", "上海市") == ["上海市通信管理局", "上海市数据局"]


def test_find_mentions_shared_prefix_list(g):
    ms = g.find_mentions("上海电信、移动、联通、铁塔、东方有线公司，各有关单位：", "上海市")
    assert [m.resolution.id for m in ms] == ["sh-telecom-branch", "sh-mobile-branch", "sh-unicom-branch",
                                            "sh-tower-branch", "sh-oriental-cable", "related-units"]
    ms = g.find_mentions("推进移动物联网发展", "上海市")
    assert ms == []


def test_names_for_dictionaries(g):
    names = g.agency_names()
    assert "工业和信息化部" in names and "市通信管理局" in names and "广东省工业和信息化厅" in names
    assert "基础电信企业" in g.class_names()
    assert len({c.id for c in g.classes()}) == len(g.classes())


def test_nlp_pipeline_offline():
    from kg.extract.nlp import get_nlp

    doc = get_nlp()("市通信管理局会同市数据局、市经济和信息化委等部门推进，发挥基础电信企业作用。")
    assert [(e.text, e.label_) for e in doc.ents] == [("市通信管理局", "ORG"), ("市数据局", "ORG"),
                                                      ("市经济和信息化委", "ORG"), ("基础电信企业", "ACTOR_CLASS")]


@pytest.mark.parametrize("mention,jurisdiction,name,tid", [
    # a variant body resolves to the template's instance, named as written …
    ("市科技创新局", "珠海市", "珠海市科技创新局", "st-bureau"),
    ("区科信局", "杨浦区", "杨浦区科学技术和信息化局", "st-bureau"),
    ("汕头市数据资源管理局", None, "汕头市数据资源管理局", "big-data"),
    # … unless the place declares the body's real name (names:) or another body (same_as:)
    ("市科技局", "深圳市", "深圳市科技创新局", "st-bureau"),
    ("市科学技术局", "深圳市", "深圳市科技创新局", "st-bureau"),
    ("市住建局", "深圳市", "深圳市住房和建设局", "housing-bureau"),
    ("区科信局", "海淀区", "海淀区科学技术和信息化局", "st-bureau"),
    ("市数据资源局", "杭州市", "杭州市数据资源管理局", "big-data"),
    ("市工信局", "杭州市", "杭州市经济和信息化局", "eit-bureau"),
    ("杭州市工业和信息化局", None, "杭州市经济和信息化局", "eit-bureau"),
    ("市政府办公厅", "深圳市", "深圳市人民政府办公厅", "gov-office-local"),
])
def test_variant_and_declared_local_names(g, mention, jurisdiction, name, tid):
    r = g.resolve(mention, jurisdiction)
    assert r is not None and r.name == name, (mention, r)
    assert r.id.endswith("-" + tid)
    # the same body whatever it is called: one id
    assert g.resolve(name, jurisdiction).id == r.id


def test_unlisted_relative_name_takes_the_jurisdiction(g):
    r = g.resolve_unlisted("市城市更新和土地整备局", "深圳市")
    assert (r.name, r.id, r.method) == ("深圳市城市更新和土地整备局", "", "jurisdiction-prefix-unlisted")
    assert r.confidence < 0.9
    assert g.resolve_unlisted("区某某服务中心", "海淀区").name == "海淀区某某服务中心"
    assert g.resolve_unlisted("市某某中心", "海淀区").name == "北京市某某中心"  # 市 → the city above
    assert g.resolve_unlisted("市场监管局", "深圳市") is None  # 市场…, not 市 + 场…
    assert g.resolve_unlisted("市级部门", "深圳市") is None
    assert g.resolve_unlisted("市科技创新局", None) is None


@pytest.mark.parametrize("mention,cid", [
    ("各设区市人民政府", "prefectural-governments"),
    ("各县（市、区）人民政府", "county-governments"),
    ("地方各级数据管理部门", "local-data-authorities"),
    ("各地数据主管部门", "local-data-authorities"),
    ("规上工业企业", "above-scale-industrial-enterprises"),
    ("农业产业化龙头企业", "agri-leading-enterprises"),
    ("市直各有关部门", "related-departments"),
    ("各乡镇（街道）", "township-governments"),
    ("各街道办事处", "township-governments"),
    ("各开发区（园区）管委会", "development-zone-committees"),
])
def test_more_actor_classes(g, mention, cid):
    r = g.resolve(mention)
    assert r is not None and (r.party_type, r.id) == ("class", cid)


def test_unlisted_never_invents_a_listed_body_at_the_wrong_level(g):
    assert g.resolve_unlisted("区通信管理局", "杨浦区") is None
    assert g.resolve_unlisted("市城市管理委员会办公室", "深圳市").name == "深圳市城市管理委员会办公室"


# ------------------------------------------------------------------ the organisation-name grammar
def test_package_keeps_its_public_api():
    import kg.gazetteer as gz
    from kg.gazetteer import (ORG_SUFFIX, ActorClass, Agency, Mention, Place, Resolution, Template,  # noqa: F401
                              normalize)

    assert gz.default_gazetteer() is default_gazetteer()
    assert {"index", "loading", "resolution", "scanning", "grammar", "model"} <= {
        p.stem for p in __import__("pathlib").Path(gz.__file__).parent.glob("*.py")}


def test_one_suffix_set_shared_by_parties_and_metadata():
    from kg.extract import metadata, parties
    from kg.gazetteer import ORG_SUFFIX

    assert metadata._ORG_SUFFIX is ORG_SUFFIX and parties.ORG_SUFFIX is ORG_SUFFIX
    for name in ("上海久事（集团）有限公司", "同济大学", "区数据资源局", "各有关单位", "市委办公厅", "市大数据中心"):
        assert ORG_SUFFIX.search(name), name
    assert ORG_SUFFIX.search("加快推进建设") is None


@pytest.mark.parametrize("text,jurisdiction,name,org_type", [
    ("华谊集团", "上海市", "华谊集团", "enterprise"),
    ("锦江国际集团", "上海市", "锦江国际集团", "enterprise"),
    ("锦江国际集团有限公司", None, "锦江国际集团有限公司", "enterprise"),
    ("上海华谊（集团）公司", "上海市", "上海华谊（集团）公司", "enterprise"),
    ("中国商用飞机有限责任公司", None, "中国商用飞机有限责任公司", "enterprise"),
    ("同济大学", None, "同济大学", "institution"),
    ("上海交通大学", "上海市", "上海交通大学", "institution"),
    ("浙江工商大学", None, "浙江工商大学", "institution"),
    ("市大数据中心", "上海市", "上海市大数据中心", "institution"),
    ("区大数据中心", "杨浦区", "杨浦区大数据中心", "institution"),
    ("市数字化转型工作领导小组办公室", "杭州市", "杭州市数字化转型工作领导小组办公室", "government"),
    ("县经济开发区管委会", "仙居县", "仙居县经济开发区管理委员会", "government"),  # (the full form: org_grammar.yaml canonical_words)
    ("浙江省股权交易中心", None, "浙江省股权交易中心", "institution"),
    ("上海市人工智能行业协会", None, "上海市人工智能行业协会", "association"),
    ("长三角数字经济促进会", None, "长三角数字经济促进会", "association"),
])
def test_grammar_finds_bodies_the_gazetteer_lacks(g, text, jurisdiction, name, org_type):
    ms = g.find_orgs(text, jurisdiction)
    assert len(ms) == 1 and (ms[0].start, ms[0].end) == (0, len(text)), ms
    r = ms[0].resolution
    assert (r.name, r.org_type) == (name, org_type)
    assert r.id == "" and r.confidence < 0.7  # not listed: kept, with a lower confidence


def test_grammar_names_are_confirmed_and_canonicalised_by_the_gazetteer(g):
    for text, jurisdiction, name in [("市经济信息化委", "上海市", "上海市经济和信息化委员会"),
                                     ("市规划资源局", "上海市", "上海市规划和自然资源局"),
                                     ("区数据资源局", "杨浦区", "杨浦区数据资源管理局"),
                                     ("余杭区数据资源局", None, "余杭区数据资源管理局")]:
        (m,) = g.find_orgs(text, jurisdiction)
        assert m.resolution.name == name and m.resolution.id and m.resolution.org_type == "government"
    # a district body named in a city's document: kept as written (each district's bureau)
    (m,) = g.find_orgs("区数据资源局", "上海市")
    assert (m.resolution.name, m.resolution.method) == ("区数据资源局", "org-grammar")
    # a listed body that does not exist at that level, or no jurisdiction: nothing guessed
    assert g.find_orgs("区通信管理局", "杨浦区") == []
    assert g.find_orgs("市大数据中心", None) == []


@pytest.mark.parametrize("text", [
    "数据中心", "全局", "格局", "结构", "局面", "部分", "所有", "大学生", "上市公司", "基金公司", "物业公司",
    "研发中心", "企业技术中心", "企业集团", "市场监管", "市级部门", "全市数据中心", "本区服务中心", "国家工程研究中心",
    "建设数据中心", "从全局出发", "优化产业格局", "由市", "集团化发展", "公司制改革",
])
def test_grammar_does_not_take_ordinary_words_for_bodies(g, text):
    assert g.find_orgs(text, "上海市") == []


def test_grammar_reads_only_where_a_name_may_start(g):
    text = "由久事集团会同同济大学负责"
    assert [m.surface for m in g.find_orgs(text, "上海市", [1, 7])] == ["久事集团", "同济大学"]
    assert g.find_orgs(text, "上海市", [3]) == []  # 集团会同… is no name
    # two names side by side, separated only by spaces, are two bodies
    t = "上海市交通委员会    上海市发展和改革委员会"
    assert [m.resolution.name for m in g.find_mentions(t, "上海市")] == ["上海市交通委员会", "上海市发展和改革委员会"]
    assert g.split_issuers(t) == ["上海市交通委员会", "上海市发展和改革委员会"]


def test_org_types_of_listed_bodies(g):
    assert g.resolve("上海市通信管理局").org_type == "government"
    assert g.resolve("中国移动").org_type == "enterprise"
    assert g.resolve("信通院").org_type == "institution"


def test_grammar_reads_places_with_the_trie_not_a_regex_of_every_name(g):
    # per-position work must not grow with the gazetteer: listed places are read by a trie walk
    pattern = g.org_grammar._re.pattern
    assert "广东" not in pattern and "浙江" not in pattern and "杨浦" not in pattern
    (m,) = g.find_orgs("广东省人工智能产业协会", None)
    assert (m.resolution.name, m.resolution.jurisdiction, m.resolution.level) == (
        "广东省人工智能产业协会", "广东省", "provincial")


@pytest.mark.parametrize("jurisdiction,name", [
    ("上海市松江区", "松江区住房保障和房屋管理局"),  # the listed district, written with its municipality
    ("松江区", "松江区住房保障和房屋管理局"),
    ("上海市黄浦区", "黄浦区住房保障和房屋管理局"),
])
def test_a_jurisdiction_written_with_the_places_above_it_is_the_listed_place(jurisdiction, name):
    r = default_gazetteer().resolve("区房管局", jurisdiction)
    assert r is not None and r.name == name and not r.id.startswith("x-")


def test_district_abbreviations_of_shanghai_bodies():
    g = default_gazetteer()
    assert g.resolve("区建管委", "黄浦区").name == "黄浦区建设和管理委员会"
    assert g.resolve("区投促办", "黄浦区").name == "黄浦区投资促进办公室"
