"""Hostile input (issue 10, item 1): every bad file gets a defined outcome — ingested correctly, or refused
with a one-line Chinese reason naming the file — and in every case the good file of the same build lands
and the store still validates (SHACL).  The cases are generated here (binary fixtures are a few bytes,
the ZIP bomb is written compressed, ~100 KB); README "Reliability" lists the same outcomes.

Also: the first-use rule (a query on an empty store builds the bundled corpus only into the untouched
default store) and what SPARQL users can see of the build machine's paths.
"""
from __future__ import annotations

import codecs
import io
import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.build import build
from kg.lineage import update_derived
from kg.query.clauses import clause_tree, flatten
from kg.query.docs import list_docs
from kg.store import GraphStore
from kg.validate import validate_store

BASE = "https://policykg.example/"
ROOT = Path(__file__).resolve().parent.parent


def policy(n: int, topic: str) -> str:
    """A small, well-formed notice; ``n`` makes its 文号 and its target distinct (no duplicates, no versions)."""
    return (f"某某市数据局关于开展{topic}工作的通知\n某数〔2025〕{n}号\n\n各区人民政府，市政府各委、办、局：\n"
            f"为推进{topic}，现就有关事项通知如下。\n一、工作目标\n到2026年，全市{topic}覆盖率达到{50 + n}%。\n"
            f"二、重点任务\n（一）建设{topic}平台。市数据局牵头推进，各区配合。\n\n某某市数据局\n2025年3月{n}日\n")


def target_sentence(n: int, topic: str) -> str:
    return f"到2026年，全市{topic}覆盖率达到{50 + n}%。"


GOOD = ("good-notice.txt", policy(1, "公共数据治理").encode("utf-8"))


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


def _zip_renamed() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "不是文本文件")
    return buf.getvalue()


def _zip_bomb_docx() -> bytes:
    """A .docx whose one entry declares (and really inflates to) 101 MB of zeros: ~100 KB on disk."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(101):
                f.write(chunk)
    return buf.getvalue()


def _blank_pdf() -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _pdf_stream_bomb() -> bytes:
    """A one-page PDF whose content stream inflates to 100 MB (~100 KB on disk): pypdf caps each stream's
    output (75 MB), so the read stays bounded and the file is refused."""
    import zlib

    from pypdf import PdfWriter
    from pypdf.generic import NameObject, StreamObject

    w = PdfWriter()
    page = w.add_blank_page(width=200, height=200)
    comp = zlib.compressobj()
    stream = StreamObject()
    stream._data = b"".join(comp.compress(b" " * (1 << 20)) for _ in range(100)) + comp.flush()
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = w._add_object(stream)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _nav_html(n: int, topic: str) -> bytes:
    """A portal page: 99 % menus, breadcrumbs and footer links, the notice in one content div."""
    menu = "".join(f'<li><a href="/col/{i}">栏目{i}：政务公开目录{i}</a></li>' for i in range(1500))
    body = "".join(f"<p>{line}</p>" for line in policy(n, topic).splitlines() if line)
    page = (f'<!DOCTYPE html><html><head><title>门户网站</title><style>p{{color:red}}</style></head><body>'
            f'<div class="menu"><ul>{menu}</ul></div><nav><a href="/">首页</a> &gt; 政策文件</nav>'
            f'<div class="content">{body}</div><div class="footer"><ul>{menu}</ul></div></body></html>')
    return page.encode("utf-8")


NOVEL = ("第三章 雨夜\n那天晚上雨下得很大，老张撑着伞走在回家的路上。街灯昏黄，行人稀少，"
         "他想起年轻时在南方小城的日子，想起母亲在灶台边忙碌的背影。\n"
         "“回来啦？”妻子在门口等他，手里端着一碗热汤。他点点头，没有说话。\n"
         "窗外的雨一直下到天亮，像是要把这些年的心事都冲刷干净。\n")
SHEET = "地区,指标名称,2024年,2025年,单位\n" + "".join(
    f"{d},5G基站数量,{1000 + i},{1200 + i},个\n" for i, d in enumerate(["黄浦区", "徐汇区", "长宁区", "静安区", "普陀区"]))

MIXED = (policy(7, "混合编码治理").encode("utf-8")
         + "三、保障措施\n（一）加强组织领导。各区建立工作专班。\n".encode("gbk")
         + "四、附则\n本通知自印发之日起施行。\n".encode("utf-8"))


def _with(text: str, at: str, insert: bytes, enc: str = "utf-8") -> bytes:
    """``text`` encoded, with raw ``insert`` bytes placed right after the first ``at``."""
    i = text.index(at) + len(at)
    return text[:i].encode(enc) + insert + text[i:].encode(enc)


# name → (bytes, expected outcome).  Outcomes: ("added", n, topic, warning-substring or None)
# ("failed", reason-substring), ("skipped", reason-substring).
BOMB = _zip_bomb_docx()
assert len(BOMB) < 1 << 20  # the bomb is small on disk; only its declared size is big

CASES: dict[str, tuple[bytes, tuple]] = {
    "empty.txt": (b"", ("failed", "文件为空")),
    "whitespace.md": (" \n\t\r\n\u3000\u00a0\n".encode("utf-8"), ("failed", "没有可读的文字")),
    "png-renamed.txt": (_png(), ("failed", "二进制文件（PNG 图片）")),
    "zip-renamed.txt": (_zip_renamed(), ("failed", "ZIP 压缩包")),
    "nul-middle.txt": (_with(policy(2, "空字节处理"), "工作目标", b"\x00\x00\x00"), ("added", 2, "空字节处理", "NUL 字节")),
    "invalid-byte.txt": (_with(policy(3, "无效字节容错"), "现就有关事项", b"\xff"),
                         ("added", 3, "无效字节容错", "无效的 UTF-8 字节（第一个在第")),
    "control-chars.txt": (_with(policy(4, "控制字符清理"), "工作目标", b"\x01\x02\x1b\x7f"), ("added", 4, "控制字符清理", None)),
    "mixed-encodings.txt": (MIXED, ("added", 7, "混合编码治理", "混合编码")),
    "gbk.txt": (policy(8, "旧系统数据迁移").encode("gbk"), ("added", 8, "旧系统数据迁移", "gb18030")),
    "gb18030.txt": ((policy(9, "生僻字䶮𠀀登记")).encode("gb18030"), ("added", 9, "生僻字䶮𠀀登记", "gb18030")),
    "utf16-bom.txt": (codecs.BOM_UTF16_LE + policy(10, "双字节编码").encode("utf-16-le"), ("added", 10, "双字节编码", "utf-16")),
    "utf16-le-no-bom.txt": (policy(11, "无签名小端编码").encode("utf-16-le"), ("added", 11, "无签名小端编码", "utf-16-le")),
    "utf16-be-no-bom.txt": (policy(12, "无签名大端编码").encode("utf-16-be"), ("added", 12, "无签名大端编码", "utf-16-be")),
    "zip-bomb.docx": (BOMB, ("failed", "疑似压缩炸弹")),
    "not-a-docx.docx": (_zip_renamed(), ("failed", "没有 word/document.xml")),
    "scanned.pdf": (_blank_pdf(), ("failed", "没有文字层")),
    "stream-bomb.pdf": (_pdf_stream_bomb(), ("failed", "PDF")),
    "portal-page.html": (_nav_html(13, "门户政策发布"), ("added", 13, "门户政策发布", None)),
    "novel-chapter.txt": (NOVEL.encode("utf-8"), ("added", None, None, "未识别出公文结构")),
    "spreadsheet-export.txt": (SHEET.encode("utf-8"), ("added", None, None, "未识别出公文结构")),
    "script-in-text.txt": (policy(14, "脚本注入防范").replace("覆盖率", "LTE-Cat<script>alert(1)</script>覆盖率")
                   .replace("二、重点任务", "二、重点任务<img src=x onerror=alert(2)>").encode("utf-8"),
                   ("added", 14, "脚本注入防范", None)),
    "script.html": (("<html><body>" + "".join(
        f"<p>{line}</p>" if not line.startswith("二、") else f"<h2>{line}&lt;script&gt;alert(3)&lt;/script&gt;</h2>"
        for line in policy(15, "实体转义防范").splitlines() if line) + "<script>alert(4)</script></body></html>").encode("utf-8"),
        ("added", 15, "实体转义防范", None)),
    "nested-divs.html": (("<div>" * 5000 + "".join(f"<p>{x}</p>" for x in policy(16, "深层嵌套").splitlines() if x)
                          + "</div>" * 5000).encode("utf-8"), ("added", 16, "深层嵌套", None)),
    "unbalanced《（.txt": (policy(17, "括号不配对").replace("现就有关事项", "《现就（有关事项").encode("utf-8"),
                          ("added", 17, "括号不配对", None)),
    "with space 名称.txt": (policy(18, "空格文件名").encode("utf-8"), ("added", 18, "空格文件名", None)),
    "中文文件名.md": (policy(19, "中文文件名").encode("utf-8"), ("added", 19, "中文文件名", None)),
    "-leading-dash.txt": (policy(20, "短横线文件名").encode("utf-8"), ("added", 20, "短横线文件名", None)),
    "..hidden.txt": (policy(21, "隐藏文件").encode("utf-8"), ("skipped", "隐藏文件")),
    "sheet.csv": (SHEET.encode("utf-8"), ("ignored",)),  # not a supported suffix: a folder build never picks it up
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """All the cases and the good file in one folder, built once, plus a symlink loop and a dangling link."""
    folder = tmp_path_factory.mktemp("hostile")
    for name, (data, _) in {**CASES, GOOD[0]: (GOOD[1], None)}.items():
        (folder / name).write_bytes(data)
    (folder / "loop").symlink_to(folder)  # a directory loop: not followed
    (folder / "self-loop.txt").symlink_to(folder / "self-loop.txt")  # a file link to itself
    store = GraphStore(tmp_path_factory.mktemp("store"), BASE)
    results = build(store, [folder], after_docs=update_derived)
    by_name = {Path(r.path).name: r for r in results}
    return store, folder, by_name, {d["id"]: d for d in list_docs(store)}


def _clause_texts(store, iri) -> list[str]:
    return [f"{c.get('heading') or ''}\n{c.get('text') or ''}" for c in flatten(clause_tree(store, iri))]


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_case_has_its_defined_outcome(hostile, name):
    store, folder, res, docs = hostile
    expected = CASES[name][1]
    if expected[0] == "ignored":
        assert name not in res
        return
    r = res[name]
    assert r.status == expected[0], (r.status, r.reason, r.warnings)
    if expected[0] in ("failed", "skipped"):
        assert expected[1] in r.reason, r.reason
        assert "\n" not in r.reason and re.search(r"[\u4e00-\u9fff]", r.reason)  # one line, Chinese
        assert r.path == str(folder / name)  # the report names the file
        return
    _, n, topic, warning = expected
    if warning:
        assert any(warning in w for w in r.warnings), r.warnings
    d = docs[r.doc_id]
    assert d["source_file"] == name
    if n is not None:  # a policy text: read correctly, every character of its target sentence intact
        assert d["doc_number"] == f"某数〔2025〕{n}号", d
        assert topic in d["title"], d["title"]
        texts = _clause_texts(store, d["iri"])
        sentence = target_sentence(n, topic)
        if name == "script-in-text.txt":  # the script element goes, the words around it stay
            sentence = sentence.replace("覆盖率", "LTE-Cat覆盖率")
        assert any(sentence in t for t in texts), name
        if name == "invalid-byte.txt":  # the bad byte costs one character, where it was
            assert any("现就有关事项\ufffd通知如下" in t for t in texts)
        if name == "mixed-encodings.txt":  # the GBK paragraph is read as Chinese, not as mojibake
            assert any("加强组织领导" in t for t in texts) and any("各区建立工作专班。" in t for t in texts)


def test_the_good_file_lands_and_the_store_validates(hostile):
    store, folder, res, docs = hostile
    assert res[GOOD[0]].status == "added" and not res[GOOD[0]].warnings
    assert docs["good-notice"]["doc_number"] == "某数〔2025〕1号"
    rep = validate_store(store)
    assert rep.conforms, rep.violations[:5]


def test_symlink_loops_do_not_hang_or_fail_the_build(hostile):
    store, folder, res, docs = hostile
    assert "self-loop.txt" not in docs
    assert not any("/loop/" in p for p in res)  # the directory link is not followed
    # named directly, the loop is refused with a reason instead of crashing the build
    other = GraphStore(None, BASE)
    rs = build(other, [folder / "self-loop.txt", folder / GOOD[0]])
    by = {Path(r.path).name: r for r in rs}
    assert by[GOOD[0]].status == "added"
    assert by["self-loop.txt"].status == "failed" and "符号链接循环" in by["self-loop.txt"].reason


def test_no_markup_reaches_the_graph_as_content(hostile):
    store, *_ = hostile
    rows = store.select("""SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isLiteral(?o) &&
        (CONTAINS(STR(?o), "<script") || CONTAINS(STR(?o), "alert(") || CONTAINS(STR(?o), "onerror")
         || CONTAINS(STR(?o), "<img") || CONTAINS(STR(?o), "</"))) }""")
    assert rows == [], rows[:3]
    # … and no control characters either (XML-based exports such as GraphML cannot carry them)
    bad = store.select("""SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isLiteral(?o) && REGEX(STR(?o), "[\\\\x01-\\\\x08\\\\x1b\\\\x7f]")) }""")
    assert bad == []


def test_markup_removal_is_recorded_in_the_change_log():
    from kg.clean import clean
    from kg.read import read_bytes

    ct = clean(read_bytes(CASES["script-in-text.txt"][0], name="script.txt"))
    removed = {c.before for c in ct.changes if c.kind == "html"}
    assert "<script>alert(1)</script>" in removed and "<img src=x onerror=alert(2)>" in removed
    ct = clean(read_bytes(CASES["script.html"][0], name="script.html"))
    assert "<script>" not in ct.text and "alert(3)" not in ct.text
    # angle brackets that are not tags stay text
    ct = clean(read_bytes("新建数据中心PUE<1.3，且 a<b 与 5G>4G。&lt;示例&gt;".encode(), name="x.txt"))
    assert ct.text == "新建数据中心PUE<1.3，且 a<b 与 5G>4G。<示例>"


def test_portal_menus_do_not_become_the_title_or_clauses(hostile):
    store, folder, res, docs = hostile
    d = docs[res["portal-page.html"].doc_id]
    assert d["title"] == "开展门户政策发布工作的通知" or "门户政策发布" in d["title"]
    assert not any("政务公开目录" in t or "首页" in t for t in _clause_texts(store, d["iri"]))
    assert d["date_document"] == "2025-03-13"


def test_absolute_paths_are_not_in_the_queryable_graph(hostile):
    """Decision: kg:sourceFile is the file name; the absolute path lives only in the bookkeeping manifest
    graph, which is never exported, dropped by kg serve, and hidden from user SPARQL (kg sparql, the app)."""
    store, folder, res, docs = hostile
    root = str(folder)
    assert not any(root in str(q.object.value) for q in store.quads() if hasattr(q.object, "value"))
    q = store.user_query("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isLiteral(?o) && CONTAINS(STR(?o), \"%s\")) }"
                         % root.replace("\\", "\\\\"), limit=10, timeout_s=30)
    assert q.rows == []
    q = store.user_query(f"SELECT ?p FROM <{BASE}graph/manifest> WHERE {{ ?s ?x ?p }} LIMIT 5", limit=10, timeout_s=30)
    assert not any(root in str(r["p"]) for r in q.rows)
    assert docs["good-notice"]["source_file"] == "good-notice.txt"  # kg docs still says which file


# --- files that change under the build -----------------------------------------------------------

def test_a_file_that_disappears_during_the_build_is_reported_and_the_rest_lands(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-vanishing.txt").write_text(policy(30, "消失的文件"), encoding="utf-8")
    (folder / GOOD[0]).write_bytes(GOOD[1])

    def on_file(n, total, f):
        if f.name == "a-vanishing.txt":
            f.unlink()

    store = GraphStore(tmp_path / "s", BASE)
    res = {Path(r.path).name: r for r in build(store, [folder], on_file=on_file, after_docs=update_derived)}
    assert res["a-vanishing.txt"].status == "failed"
    assert "不存在" in res["a-vanishing.txt"].reason and "构建过程中" in res["a-vanishing.txt"].reason
    assert res[GOOD[0]].status == "added"
    assert [d["id"] for d in list_docs(store)] == ["good-notice"]
    assert validate_store(store).conforms


def test_a_file_that_changes_during_the_build_lands_as_read_and_is_updated_next_time(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    a, b = folder / "a-changing.txt", folder / "b-changed-after.txt"
    a.write_text(policy(31, "构建中修改"), encoding="utf-8")
    b.write_text(policy(32, "读取后修改"), encoding="utf-8")
    (folder / GOOD[0]).write_bytes(GOOD[1])

    def on_file(n, total, f):
        if f == a:  # changed just before it is read: the new content lands
            a.write_text(policy(33, "构建中修改"), encoding="utf-8")
        if f == b:  # a file already read changes while the build goes on
            a.write_text(policy(34, "构建中修改"), encoding="utf-8")

    store = GraphStore(tmp_path / "s", BASE)
    res = {Path(r.path).name: r for r in build(store, [folder], on_file=on_file, after_docs=update_derived)}
    assert {k: r.status for k, r in res.items()} == {"a-changing.txt": "added", "b-changed-after.txt": "added",
                                                     GOOD[0]: "added"}
    docs = {d["id"]: d for d in list_docs(store)}
    assert docs["a-changing"]["doc_number"] == "某数〔2025〕33号"  # what was read is what the graph says
    assert validate_store(store).conforms
    res = {Path(r.path).name: r.status for r in build(store, [folder], after_docs=update_derived)}
    assert res["a-changing.txt"] == "updated" and res[GOOD[0]] == "unchanged"  # the manifest held the read bytes' digest
    assert {d["id"]: d for d in list_docs(store)}["a-changing"]["doc_number"] == "某数〔2025〕34号"


# --- names on the command line -------------------------------------------------------------------

def test_cli_builds_odd_file_names_and_prints_them_as_text(tmp_path):
    from kg.cli import app

    folder = tmp_path / "in"
    folder.mkdir()
    for i, name in enumerate(["-dash.txt", "with space.txt", "[red]markup.txt", "中文.txt"]):
        (folder / name).write_text(policy(40 + i, f"命令行文件名{i}"), encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(app, ["--store", str(tmp_path / "s"), "build", "--", str(folder / "-dash.txt")])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["--store", str(tmp_path / "s"), "build", str(folder)])
    assert r.exit_code == 0, r.output
    assert "[red]markup.txt" in r.stdout  # shown as the file's name, not as colour markup
    r = runner.invoke(app, ["--store", str(tmp_path / "s"), "docs", "--json"])
    assert sorted(d["source_file"] for d in json.loads(r.stdout)) == sorted(
        ["-dash.txt", "with space.txt", "[red]markup.txt", "中文.txt"])


# --- first use -----------------------------------------------------------------------------------

def _cli(args, env):
    from kg.cli import app

    return CliRunner().invoke(app, args, env=env)


def test_first_use_never_builds_into_a_named_store(tmp_path):
    for args, env in ((["--store", str(tmp_path / "a")], {"KG_STORE": None}),
                      ([], {"KG_STORE": str(tmp_path / "b")})):
        r = _cli([*args, "docs", "--json"], {**env, "XDG_DATA_HOME": str(tmp_path / "xdg")})
        assert r.exit_code == 0, r.output
        assert json.loads(r.stdout) == []
        assert "为空" in r.stderr and "kg build" in r.stderr
    for p in ("a", "b"):
        assert GraphStore(tmp_path / p, BASE).is_empty() and not (tmp_path / p / "build.lock").exists()
    assert not (tmp_path / "xdg").exists()


def test_first_use_never_builds_into_a_store_a_build_started(tmp_path):
    """A build killed before its first commit leaves the store empty: the next query must not import corpus/."""
    xdg = tmp_path / "xdg"
    default = xdg / "policy-kg" / "store"
    store = GraphStore(default, BASE)
    with store.build_lock():  # a build holds the lock: the query neither waits nor builds
        r = _cli(["docs", "--json"], {"KG_STORE": None, "XDG_DATA_HOME": str(xdg)})
        assert r.exit_code == 0 and json.loads(r.stdout) == [], r.output
        assert "已有构建" in r.stderr
    # the build died (lock released, nothing committed): still not touched
    r = _cli(["docs", "--json"], {"KG_STORE": None, "XDG_DATA_HOME": str(xdg)})
    assert json.loads(r.stdout) == [] and "已有构建" in r.stderr and "kg build" in r.stderr
    assert store.is_empty()


def test_app_get_store_follows_the_same_rule(tmp_path, monkeypatch):
    import ui.common as common

    monkeypatch.setenv("KG_STORE", str(tmp_path / "named"))
    common.get_store.clear()
    try:
        store = common.get_store()
        assert store.path == tmp_path / "named" and store.is_empty()
        assert not (tmp_path / "named" / "build.lock").exists()
        monkeypatch.delenv("KG_STORE")
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
        default = tmp_path / "xdg" / "policy-kg" / "store"
        default.mkdir(parents=True)
        (default / "build.lock").write_text("12345")  # a build started here once
        common.get_store.clear()
        store = common.get_store()
        assert store.path == default and store.is_empty()
    finally:
        common.get_store.clear()


def test_first_use_rule_in_one_place(tmp_path, monkeypatch):
    from kg.firstuse import first_use_refusal

    monkeypatch.setenv("KG_CORPUS", str(ROOT / "corpus"))
    assert first_use_refusal(None, named=False)  # in memory: never
    assert "--store/KG_STORE" in first_use_refusal(tmp_path, named=True)
    assert first_use_refusal(tmp_path, named=False) is None  # the untouched default store: build corpus/
    (tmp_path / "build.lock").write_text("1")
    assert "已有构建" in first_use_refusal(tmp_path, named=False)
    monkeypatch.setenv("KG_CORPUS", str(tmp_path / "no-corpus"))
    assert "找不到示例语料" in first_use_refusal(tmp_path / "other", named=False)


# --- decoding: properties over real lines --------------------------------------------------------

def _corpus_lines() -> list[str]:
    lines = []
    for f in sorted((ROOT / "corpus").glob("*.txt")):
        lines += [ln for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.isascii()]
    return [ln for ln in lines if all(_gbk_ok(c) for c in ln)]


def _gbk_ok(c: str) -> bool:
    try:
        c.encode("gbk")
        return True
    except UnicodeEncodeError:
        return False


LINES = _corpus_lines()


def test_short_gbk_lines_are_not_read_as_utf8():
    from kg.read import decode_report

    # 农业农村部 in GBK is *valid* UTF-8 but for one byte (ũҵũ�岿): it must still be read as GBK
    data = ("一、工作目标\n".encode("utf-8") + "农业农村部\n".encode("gbk") + "到2026年，完成。\n".encode("utf-8"))
    text, enc, warnings = decode_report(data)
    assert text == "一、工作目标\n农业农村部\n到2026年，完成。\n" and enc == "utf-8+gb18030"
    assert any("第 2 行" in w for w in warnings)


def test_line_by_line_decoding_round_trips_any_mix_of_utf8_and_gbk_lines():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from kg.read import decode_report

    @settings(deadline=None, max_examples=60, derandomize=True)
    @given(st.lists(st.tuples(st.sampled_from(LINES), st.sampled_from(["utf-8", "gbk"])), min_size=1, max_size=12),
           st.integers(min_value=0, max_value=10_000))
    def check(parts, bad_at):
        data = b"".join((line + "\n").encode(enc) for line, enc in parts)
        text, enc, warnings = decode_report(data)
        assert text == "".join(line + "\n" for line, _ in parts)
        encs = {e for _, e in parts}
        assert enc == {"utf-8": "utf-8", "gbk": "gb18030"}.get(encs.pop()) if len(encs) == 1 else enc == "utf-8+gb18030"
        # one invalid byte inserted into a UTF-8 text costs at most the character it lands in, and is
        # reported with the offset of the broken sequence
        original = "".join(line + "\n" for line, _ in parts)
        utf8 = original.encode("utf-8")
        i = bad_at % len(utf8)
        text, enc, warnings = decode_report(utf8[:i] + b"\xff" + utf8[i:])
        assert enc == "utf-8" and 1 <= text.count("\ufffd") <= 4
        offsets = [int(x) for w in warnings for x in re.findall(r"第一个在第 (\d+) 字节", w)]
        assert len(offsets) == 1 and i - 3 <= offsets[0] <= i
        kept = text.replace("\ufffd", "")
        j = next((k for k, (x, y) in enumerate(zip(kept, original)) if x != y), len(kept))
        assert kept in (original, original[:j] + original[j + 1:])

    check()
