"""The Streamlit app, headless (streamlit.testing AppTest) on the seed corpus: every page renders and shows
what it should; document text is shown as text; uploads are stored under generated names."""
from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from conftest import BASE, ROOT

LOCAL = "2026-hu-tongxinguanfa-5-wuzhihulian-iot-action-plan"
NATIONAL = "2024-gongxinting-tongxin-52-mobile-iot-notice"
NOTICE_TITLE = "工业和信息化部办公厅关于推进移动物联网“万物智联”发展的通知"
QUESTION = "物智沪联行动计划落实了哪些国家文件？哪一条对应国家文件的哪一条？"

EVIL = """某某市通信管理局关于印发《某某市测试行动计划（2026—2027年）》的通知

某通信管发〔2026〕9号

各有关单位：
现将《某某市测试行动计划（2026—2027年）》印发给你们，请认真贯彻落实。

某某市通信管理局
2026年3月1日

某某市测试行动计划（2026—2027年）

一、总体要求
到2027年，全市5G基站达到2万个。<script>alert("xss")</script> 详见 [链接](javascript:alert(1)) 以及 $x^2$ 和 :red[红字]。

二、重点任务
（一）推进网络建设。<img src=x onerror=alert(2)> 当 a<b 且 c>d 时完成部署。
"""


def _fresh_caches() -> None:
    """AppTest runs in this process: the store and query results are cached per process."""
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


@pytest.fixture(scope="module")
def app(built_store, monkeypatch_module):
    monkeypatch_module.setenv("KG_STORE", str(built_store.path))
    monkeypatch_module.setenv("HF_HUB_OFFLINE", "1")
    _fresh_caches()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    yield at
    _fresh_caches()


def _open(at: AppTest, page: str, **params) -> AppTest:
    at.query_params.clear()
    at.query_params.update(params)
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _html(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [e.label for e in at.expander]
    parts += [x.value for x in at.success] + [x.value for x in at.info] + [x.value for x in at.warning]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page,header", [
    ("ui/ask.py", "问答"), ("ui/lineage.py", "溯源"), ("ui/compare.py", "条款对照"), ("ui/targets.py", "目标"),
    ("ui/docs.py", "文件"), ("ui/export.py", "导出与SPARQL"), ("ui/upload.py", "添加文件"),
])
def test_every_page_renders(app, page, header):
    _open(app, page)
    assert app.header[0].value == header
    assert not app.exception


def test_landing_page_is_ask_with_examples(app):
    app.query_params.clear()
    _open(app, "ui/ask.py")
    labels = [b.label for b in app.button]
    assert QUESTION in labels
    assert app.text_input(key="ask_q") is not None


def test_ask_answers_the_central_question(app):
    _open(app, "ui/ask.py")
    app.button(key="ask-ex-0").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.session_state["ask_q"] == QUESTION
    assert not any("尚未就绪" in i.value for i in app.info), [i.value for i in app.info]
    html = _html(app)
    assert "万物智联" in html or "52号" in html, html[:3000]
    # evidence clauses with a link to the clause in context, and what was understood
    assert any(s.value.startswith("依据条款") for s in app.subheader), [s.value for s in app.subheader]
    links = app.get("page_link")
    assert links, "no link to open an evidence clause"
    assert any(e.label == "我的理解" for e in app.expander)


def test_lineage_lists_the_2024_notice_upstream(app):
    _open(app, "ui/lineage.py")
    app.text_input(key="lineage-doc-q").input("物智沪联").run()
    assert not app.exception
    sel = app.selectbox[0]
    assert sel.value == LOCAL
    text = _text(app)
    up = [e.label for e in app.expander if NOTICE_TITLE in e.label]
    assert up and up[0].startswith("落实"), [e.label for e in app.expander]
    assert f"《{NOTICE_TITLE}》" in text  # the chain to the top in words
    # clause alignments with their CSV, coverage of the upstream document, review buttons
    assert any(s.value == "条款对应" for s in app.subheader)
    assert len(app.dataframe[0].value) > 0
    assert any("落实情况" in s.value for s in app.subheader)
    assert [b for b in app.button if b.label == "确认"] and [b for b in app.button if b.label == "否决"]
    assert app.get("vega_lite_chart"), "no lineage graph"


def test_lineage_by_query_param(app):
    _open(app, "ui/lineage.py", doc=NATIONAL)
    assert app.selectbox[0].value == NATIONAL
    labels = " ".join(e.label for e in app.expander)
    assert "物智沪联" in labels  # downstream: the Shanghai plan takes the notice up


def test_compare_preselects_a_lineage_pair_and_marks_differences(app):
    _open(app, "ui/compare.py", a=LOCAL, b=NATIONAL)
    assert app.selectbox[0].value == LOCAL and app.selectbox[1].value == NATIONAL
    html = _html(app)
    assert 'class="kg-diff-del"' in html and 'class="kg-diff-ins"' in html
    assert "相似度" in html
    labels = [d.label for d in app.get("download_button")]
    assert "下载对照表（CSV）" in labels and "下载对照表（Excel）" in labels
    # the score filter hides pairs
    before = html.count('class="kg-text"')
    app.slider(key="cmp-min").set_value(1.0).run()
    assert _html(app).count('class="kg-text"') < before


def test_compare_default_pair_comes_from_links(app):
    _open(app, "ui/compare.py")
    a, b = app.selectbox[0].value, app.selectbox[1].value
    assert a != b


def test_targets_table_and_charts(app):
    _open(app, "ui/targets.py")
    df = app.dataframe[0].value
    assert len(df) > 0 and {"文件", "层级", "指标", "数值", "单位", "比较", "期限", "责任主体", "类型"} <= set(df.columns)
    assert len(app.get("vega_lite_chart")) >= 1
    app.text_input(key="t-kw").input("5G基站").run()
    assert 0 < len(app.dataframe[0].value) < len(df)  # the filter keeps some rows, not all
    assert all("5G基站" in m or "5G基站" in p for m, p in zip(app.dataframe[0].value["指标"].fillna(""),
                                                              app.dataframe[0].value["责任主体"].fillna("")))


def test_document_page_opens_a_clause_in_context(app):
    _open(app, "ui/docs.py", doc=LOCAL, clause="sec_1")
    assert app.selectbox[0].value == LOCAL
    assert any("定位到条款 一、" in s.value for s in app.success)
    html = _html(app)
    assert "kg-fact kg-target" in html  # extracted targets highlighted in the clause text


def test_export_page_sparql_console(app):
    _open(app, "ui/export.py")
    labels = [d.label for d in app.get("download_button")]
    for want in ("Turtle", "N-Triples", "JSON-LD", "目标表（CSV）"):
        assert any(want in x for x in labels), labels
    app.text_area[0].input("DELETE WHERE { ?s ?p ?o }")
    app.button(key="sparql-run").click().run()
    assert app.error and "只读" in app.error[0].value
    app.text_area[0].input("SELECT ?d WHERE { ?d a kg:SourceDocument }")
    app.button(key="sparql-run").click().run()
    assert not app.error
    assert len(app.dataframe[0].value) == 5


def test_export_page_offers_canned_queries(app):
    _open(app, "ui/export.py")
    sel = app.selectbox(key="sparql-example")
    assert len(sel.options) >= 3
    sel.select_index(0).run()
    assert app.text_area[0].value.strip()
    app.button(key="sparql-run").click().run()
    assert not app.error, [e.value for e in app.error]


# ------------------------------------------------------------------ uploads and escaping

@pytest.fixture(scope="module")
def evil_store(tmp_path_factory):
    """A store holding one uploaded document whose text carries HTML and Markdown tricks."""
    from kg.lineage import update_derived
    from kg.store import GraphStore
    from ui.ingest import ingest

    store = GraphStore(tmp_path_factory.mktemp("evil"), BASE)
    rows = ingest(store, [("../../中文 名字<b>.txt", EVIL.encode("utf-8"))], after_docs=update_derived)
    assert [r["状态"] for r in rows] == ["新增"], rows
    return store, rows


def test_upload_is_stored_under_a_generated_name(evil_store):
    store, rows = evil_store
    files = sorted(p.name for p in (store.path / "uploads").iterdir())
    assert len(files) == 1 and files[0].startswith("upload-") and files[0].endswith(".txt")
    assert rows[0]["文件"] == "../../中文 名字<b>.txt"  # the user's name is only shown, never used as a path
    assert not any(p.name.startswith("中文") for p in store.path.rglob("*"))


def test_failed_upload_leaves_the_graph_as_it_was(evil_store):
    from kg.export import export
    from ui.ingest import MAX_MB, ingest

    store, _ = evil_store
    before = export(store, "nq")
    rows = ingest(store, [("a.exe", b"MZ..."), ("empty.txt", b"   "), ("big.txt", b"x" * (MAX_MB * 1024 * 1024 + 1)),
                          ("broken.pdf", b"%PDF-1.4 not really a pdf")])
    assert [r["状态"] for r in rows] == ["失败"] * 4, rows
    assert all(r["原因"] for r in rows)
    assert export(store, "nq") == before
    assert len(list((store.path / "uploads").iterdir())) == 1  # the failed files were not kept


def test_document_text_is_rendered_as_text(evil_store, monkeypatch):
    store, rows = evil_store
    monkeypatch.setenv("KG_STORE", str(store.path))
    _fresh_caches()
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
        at.query_params["doc"] = rows[0]["文件标识"]
        at.query_params["clause"] = "sec_1"
        at.switch_page("ui/docs.py")
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        html = _html(at)
        from kg.query.clauses import clause_tree, flatten

        texts = [c["text"] for c in flatten(clause_tree(store, store.iris.base + "doc/" + rows[0]["文件标识"])) if c["text"]]
        tricky = [t for t in texts if any(ch in t for ch in "<>[]$")]
        assert tricky, texts  # whatever the cleaner keeps, some markup-like text reaches the page…
        assert "&#60;" in html and "&#62;" in html  # …and it is there, escaped
        assert "<script" not in html and "<img" not in html
        assert "](" not in html and ":red[" not in html and "$x" not in html and "javascript:" not in html
    finally:
        _fresh_caches()


def test_review_buttons_record_a_decision(built_store, tmp_path, monkeypatch):
    """确认 on a link writes a review (into a copy of the seed store) and the page shows it at once."""
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(built_store.path, copy, ignore=shutil.ignore_patterns("*.lock"))
    monkeypatch.setenv("KG_STORE", str(copy))
    _fresh_caches()
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
        at.query_params["doc"] = LOCAL
        at.switch_page("ui/lineage.py")
        at.run()
        i = next(n for n, e in enumerate(x for x in at.expander if x.label.startswith("落实")) if NOTICE_TITLE in e.label)
        assert "未审核" in [e for e in at.expander if e.label.startswith("落实")][i].label
        at.button(key=f"rev-confirmed-upstream-{i}").click().run()
        assert not at.exception, [e.value for e in at.exception]
        label = next(e.label for e in at.expander if NOTICE_TITLE in e.label and e.label.startswith("落实"))
        assert "已确认" in label, label
        from kg.query.lineage import review_states
        from kg.store import GraphStore

        assert [v["state"] for v in review_states(GraphStore(copy, BASE)).values()] == ["confirmed"]
    finally:
        _fresh_caches()


def test_render_escapes_every_piece():
    """ui.render: document text never becomes HTML, Markdown, LaTeX or a Streamlit directive, and reads the same."""
    import html as _html_mod
    import re

    from ui.render import diff_html, esc, highlight_html

    text = '<script>alert("x")</script> **粗** [链](javascript:alert(1)) $x^2$ :red[红] # 标题\n\n| a | b |\n<img src=x>'
    out = esc(text)
    assert "<" not in out.replace("<br>", "") and ">" not in out.replace("<br>", "")
    assert not any(c in out.replace("&#", "").replace("<br>", "") for c in "*[]$`#|")
    assert _html_mod.unescape(out.replace("<br>", "\n")) == text
    marked = highlight_html(text, [(0, 8, "target", '"><script>x</script>'), (14, 17, "ref", "t")])
    assert "<script" not in marked and marked.count("<span") == 2
    assert _html_mod.unescape(re.sub(r"<[^>]+>", "", marked.replace("<br>", "\n"))) == text
    d = diff_html([["=", "同<b>"], ["-", "删*"], ["+", "增$"]], "a")
    assert "kg-diff-del" in d and "增" not in d and "<b>" not in d


def test_upload_gbk_malicious_html_and_binary(tmp_path):
    """Issue 10: through the app's upload path a GBK file becomes the document, a malicious HTML file the
    document as text, a binary file a clear refusal — and the other files still land."""
    from kg.lineage import update_derived
    from kg.query.clauses import clause_tree, flatten
    from kg.query.docs import list_docs
    from kg.store import GraphStore
    from ui.ingest import ingest

    gbk = ("上海市某区关于印发《数据要素发展行动方案》的通知\n各委、办、局：\n现将方案印发给你们。\n"
           "一、主要目标\n到2027年，全区数据中心机架达到5000个。\n").encode("gbk")
    html_doc = ("<html><head><script>alert(1)</script></head><body><h1>关于推进政务数据共享的通知</h1>"
                "<p>一、工作目标</p><p>到2026年，&lt;script&gt;alert(2)&lt;/script&gt;政务数据共享率达到90%。"
                "<img src=x onerror=alert(3)></p></body></html>").encode("utf-8")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    store = GraphStore(tmp_path / "s", BASE)
    rows = ingest(store, [("旧系统导出.txt", gbk), ("evil.html", html_doc), ("照片.txt", png)], after_docs=update_derived)
    by_name = {r["文件"]: r for r in rows}
    assert by_name["旧系统导出.txt"]["状态"] == "新增" and by_name["evil.html"]["状态"] == "新增"
    assert by_name["照片.txt"]["状态"] == "失败" and "二进制" in by_name["照片.txt"]["原因"]
    docs = {d["id"]: d for d in list_docs(store)}
    gbk_doc = docs[by_name["旧系统导出.txt"]["文件标识"]]
    assert "数据要素发展行动方案" in (gbk_doc["title"] or "")
    evil = docs[by_name["evil.html"]["文件标识"]]
    texts = " ".join(c["text"] for c in flatten(clause_tree(store, evil["iri"])))
    assert "政务数据共享率达到90%" in texts
    assert "<script" not in texts and "alert(" not in texts and "<img" not in texts


def test_targets_page_of_a_large_store_reads_the_chosen_documents_only(app, monkeypatch):
    """Above KG_APP_MANY_DOCS documents the targets page asks which documents first, then reads theirs only."""
    monkeypatch.setenv("KG_APP_MANY_DOCS", "2")
    _open(app, "ui/targets.py")
    assert not app.dataframe and any("请先选择文件" in i.value for i in app.info)
    app.multiselect(key="t-chosen").select(LOCAL).run()
    assert not app.exception, [e.value for e in app.exception]
    df = app.dataframe[0].value
    assert len(df) > 0 and len(set(df["文件"])) == 1 and "物智沪联" in df["文件"].iloc[0]
