"""Revisions (the same 文号 issued again) and duplicates (the same text under two names)."""
from __future__ import annotations

import shutil

import pytest

from kg.build import build, version_order
from kg.export import export
from kg.query.docs import find_doc, list_docs
from kg.store import GraphStore

BASE = "https://policykg.example/"

NOTICE = """上海市通信管理局关于推进物联网发展的通知
{num}

各区通信管理部门：
为推进物联网发展，现将有关事项通知如下。
一、总体要求
到2027年，物联网连接数达到{target}个。
二、保障措施
加强组织领导，明确责任分工。{extra}

上海市通信管理局
{date}
"""


def notice(*, date: str = "2025年3月1日", target: str = "1亿", num: str = "沪通信管〔2025〕9号", extra: str = "") -> str:
    return NOTICE.format(date=date, target=target, num=num, extra=extra)


def _store() -> GraphStore:
    return GraphStore(None, BASE)


def _docs(store) -> dict[str, dict]:
    return {d["id"]: d for d in list_docs(store)}


def _status(store) -> dict[str, tuple]:
    return {i: (d["status"], d["supersedes"], d["superseded_by"]) for i, d in _docs(store).items()}


# ------------------------------------------------------------------------------------------------ revisions
@pytest.mark.parametrize("order", ["old-first", "new-first"])
def test_the_later_date_is_current_whatever_the_ingestion_order(tmp_path, order):
    # the file names sort the other way round from the dates: a folder build ingests the revision first
    (tmp_path / "a-revised.txt").write_text(notice(date="2025年6月1日", target="2亿"), encoding="utf-8")
    (tmp_path / "b-original.txt").write_text(notice(date="2025年3月1日"), encoding="utf-8")
    store = _store()
    files = [tmp_path / "b-original.txt", tmp_path / "a-revised.txt"]
    for f in (files if order == "old-first" else files[::-1]):
        build(store, [f])
    assert _status(store) == {
        "a-revised": ("current", "b-original", None),
        "b-original": ("superseded", None, "a-revised"),
    }
    # both versions stay visible with all their facts; the 文号 finds the current one, the id the old one
    docs = _docs(store)
    assert docs["a-revised"]["doc_number"] == docs["b-original"]["doc_number"] == "沪通信管〔2025〕9号"
    assert find_doc(store, "沪通信管〔2025〕9号")["id"] == "a-revised"
    assert find_doc(store, "b-original")["id"] == "b-original"
    assert [d["id"] for d in list_docs(store, current_only=True)] == ["a-revised"]


def test_versions_do_not_depend_on_the_build_order_when_dates_exist(tmp_path):
    (tmp_path / "a.txt").write_text(notice(date="2025年6月1日", target="2亿"), encoding="utf-8")
    (tmp_path / "b.txt").write_text(notice(date="2025年3月1日"), encoding="utf-8")
    (tmp_path / "c.txt").write_text(notice(date="2025年9月1日", target="3亿"), encoding="utf-8")
    one, two = _store(), _store()
    build(one, [tmp_path])
    for name in ("c.txt", "b.txt", "a.txt"):
        build(two, [tmp_path / name])
    assert _status(one) == _status(two) == {
        "a": ("superseded", "b", "c"), "b": ("superseded", None, "a"), "c": ("current", "a", None)}
    assert export(one, "nq") == export(two, "nq")
    assert "/ns#supersedes>" in export(one, "nq")


def test_equal_or_missing_dates_fall_back_to_ingestion_order(tmp_path):
    (tmp_path / "x.txt").write_text(notice(), encoding="utf-8")
    (tmp_path / "y.txt").write_text(notice(target="2亿"), encoding="utf-8")  # the same date
    first, second = _store(), _store()
    build(first, [tmp_path / "x.txt"])
    build(first, [tmp_path / "y.txt"])
    build(second, [tmp_path / "y.txt"])
    build(second, [tmp_path / "x.txt"])
    assert _status(first) == {"x": ("superseded", None, "y"), "y": ("current", "x", None)}
    assert _status(second) == {"y": ("superseded", None, "x"), "x": ("current", "y", None)}
    # rebuilding a file (changed content) keeps its place in the ingestion order
    (tmp_path / "x.txt").write_text(notice(target="5亿"), encoding="utf-8")
    assert [r.status for r in build(first, [tmp_path / "x.txt"])] == ["updated"]
    assert _status(first)["y"] == ("current", "x", None)
    # no date at all (and a 文号 written another way): ingestion order too
    (tmp_path / "z.txt").write_text(notice(date="", num="沪通信管（2025）9 号", target="4亿"), encoding="utf-8")
    build(first, [tmp_path / "z.txt"])
    assert _status(first) == {"x": ("superseded", None, "y"), "y": ("superseded", "x", "z"),
                              "z": ("current", "y", None)}


def test_a_document_whose_revision_is_removed_is_current_again(tmp_path):
    (tmp_path / "old.txt").write_text(notice(), encoding="utf-8")
    (tmp_path / "new.txt").write_text(notice(date="2025年6月1日"), encoding="utf-8")
    store = _store()
    build(store, [tmp_path])
    assert _status(store)["old"] == ("superseded", None, "new")
    (tmp_path / "new.txt").unlink()
    assert {r.status for r in build(store, [tmp_path])} == {"unchanged", "removed"}
    assert _status(store) == {"old": ("current", None, None)}
    assert "/ns#supersedes>" not in export(store, "nq")


def test_version_order_keeps_undated_versions_in_ingestion_order():
    # (iri, date, ingestion order); dated ones sorted by date in the dated slots
    members = [("a", "2025-06-01", 1), ("b", None, 2), ("c", "2025-01-01", 3), ("d", "2025-01-01", 4)]
    assert version_order(members) == ["c", "b", "d", "a"]
    assert version_order(list(reversed(members))) == ["c", "b", "d", "a"]
    assert version_order([("p", None, 2), ("q", None, 1)]) == ["q", "p"]


# ------------------------------------------------------------------------------------------------ duplicates
def _manifest_ids(store) -> dict[str, tuple[str, bool]]:
    return {p.rsplit("/", 1)[-1]: (e.doc_id, e.duplicate) for p, e in store.manifest().items()}


def test_the_same_text_under_two_names_is_one_document(tmp_path):
    text = notice()
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    # the same content: other line ends, indentation, blank lines and trailing spaces
    (tmp_path / "b.txt").write_bytes(("\n\n" + text.replace("\n", "  \r\n\r\n  ")).encode("utf-8"))
    store = _store()
    res = {r.path.rsplit("/", 1)[-1]: r for r in build(store, [tmp_path])}
    assert res["a.txt"].status == "added"
    assert res["b.txt"].status == "duplicate" and res["b.txt"].doc_id == "a"
    assert "a.txt" in res["b.txt"].reason and "重复" in res["b.txt"].reason
    docs = _docs(store)
    assert list(docs) == ["a"]
    assert docs["a"]["source_file"] == "a.txt" and docs["a"]["source_files"] == ["a.txt", "b.txt"]
    assert _manifest_ids(store) == {"a.txt": ("a", False), "b.txt": ("a", True)}
    # nothing changes on a rebuild; a real difference is a document of its own
    assert {r.status for r in build(store, [tmp_path])} == {"unchanged"}
    (tmp_path / "c.txt").write_text(notice(extra="各区加强督促检查。"), encoding="utf-8")
    assert [r.status for r in build(store, [tmp_path / "c.txt"])] == ["added"]


def test_deleting_the_original_keeps_the_document_backed_by_the_duplicate(tmp_path):
    text = notice()
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(text + ("\n" if name != "a.txt" else ""), encoding="utf-8")
    store = _store()
    build(store, [tmp_path])
    assert _docs(store)["a"]["source_files"] == ["a.txt", "b.txt", "c.txt"]

    (tmp_path / "a.txt").unlink()
    res = {r.path.rsplit("/", 1)[-1]: r for r in build(store, [tmp_path])}
    assert res["a.txt"].status == "removed" and "b.txt" in res["a.txt"].reason
    assert res["b.txt"].status == "updated"
    docs = _docs(store)
    assert list(docs) == ["b"] and docs["b"]["source_files"] == ["b.txt", "c.txt"]
    assert _manifest_ids(store) == {"b.txt": ("b", False), "c.txt": ("b", True)}
    # the store is the one a clean build of the remaining files gives
    clean = _store()
    build(clean, [tmp_path])
    assert export(store, "nq") == export(clean, "nq")

    # deleting a duplicate keeps the document; deleting every copy removes it
    (tmp_path / "c.txt").unlink()
    assert {r.status for r in build(store, [tmp_path])} == {"unchanged", "removed"}
    assert _docs(store)["b"]["source_files"] == ["b.txt"]
    (tmp_path / "b.txt").unlink()
    assert [r.status for r in build(store, [tmp_path])] == ["removed"]
    assert list_docs(store) == [] and store.manifest() == {}
    assert export(store, "nq") == ""


def test_deleting_both_at_once_removes_the_document(tmp_path):
    (tmp_path / "a.txt").write_text(notice(), encoding="utf-8")
    (tmp_path / "b.txt").write_text(notice(), encoding="utf-8")
    (tmp_path / "other.txt").write_text(notice(num="沪通信管〔2025〕10号", target="3亿"), encoding="utf-8")
    store = _store()
    build(store, [tmp_path])
    (tmp_path / "a.txt").unlink()
    (tmp_path / "b.txt").unlink()
    res = build(store, [tmp_path])
    assert sorted(r.status for r in res) == ["removed", "removed", "unchanged"]
    assert list(_docs(store)) == ["other"]
    assert list(_manifest_ids(store)) == ["other.txt"]


def test_a_changed_original_frees_its_duplicate(tmp_path):
    (tmp_path / "a.txt").write_text(notice(), encoding="utf-8")
    (tmp_path / "b.txt").write_text(notice(), encoding="utf-8")
    store = _store()
    build(store, [tmp_path])
    (tmp_path / "a.txt").write_text(notice(target="2亿"), encoding="utf-8")
    res = {r.path.rsplit("/", 1)[-1]: r.status for r in build(store, [tmp_path])}
    assert res == {"a.txt": "updated", "b.txt": "added"}  # b is now a document of its own
    assert _manifest_ids(store) == {"a.txt": ("a", False), "b.txt": ("b", False)}
    # and a file edited to repeat another document becomes its duplicate, its own document gone
    (tmp_path / "a.txt").write_text(notice(), encoding="utf-8")
    res = {r.path.rsplit("/", 1)[-1]: r.status for r in build(store, [tmp_path])}
    assert res == {"a.txt": "duplicate", "b.txt": "unchanged"}
    assert list(_docs(store)) == ["b"] and _docs(store)["b"]["source_files"] == ["b.txt", "a.txt"]
    clean = _store()
    build(clean, [tmp_path / "b.txt", tmp_path / "a.txt"])
    assert export(store, "nq") == export(clean, "nq")


def test_a_copy_added_while_its_original_is_deleted_becomes_a_duplicate(tmp_path):
    """A new copy sorts before the deleted original's duplicate: the build must still end with one document."""
    (tmp_path / "m.txt").write_text(notice(), encoding="utf-8")
    (tmp_path / "z.txt").write_text(notice(), encoding="utf-8")
    store = _store()
    build(store, [tmp_path])
    (tmp_path / "m.txt").unlink()
    (tmp_path / "a.txt").write_text(notice(), encoding="utf-8")
    build(store, [tmp_path])
    docs = _docs(store)
    assert len(docs) == 1
    (doc,) = docs.values()
    assert sorted(doc["source_files"]) == ["a.txt", "z.txt"]


# ------------------------------------------------------------------------------------------------ lineage
def test_lineage_uses_current_versions_only(tmp_path, corpus_dir):
    from kg.lineage import update_derived
    from kg.query.lineage import lineage

    notice_file = "2024-gongxinting-tongxin-52-mobile-iot-notice.txt"
    local_file = "2026-hu-tongxinguanfa-5-wuzhihulian-iot-action-plan.txt"
    src = (corpus_dir / notice_file).read_text(encoding="utf-8")
    old = src.replace("六、保障措施", "六、保障措施\n（零）旧版说明。本版为征求意见稿。", 1)
    assert old != src
    (tmp_path / "0-draft-notice.txt").write_text(old, encoding="utf-8")  # same 文号, no date: ingested first
    shutil.copy(corpus_dir / notice_file, tmp_path / notice_file)
    shutil.copy(corpus_dir / local_file, tmp_path / local_file)
    store = _store()
    res = build(store, [tmp_path], after_docs=update_derived)
    assert [r.status for r in res] == ["added"] * 3
    docs = _docs(store)
    assert docs["0-draft-notice"]["status"] == "superseded"
    cur = notice_file[:-4]
    assert docs[cur]["status"] == "current" and docs[cur]["supersedes"] == "0-draft-notice"

    graphs = {str(q.graph_name.value) for q in store.quads() if hasattr(q.graph_name, "value")}
    pair_graphs = {g for g in graphs if g.startswith(store.iris.lineage_prefix)}
    assert any(cur in g for g in pair_graphs), pair_graphs  # the current version takes part
    assert not any("0-draft-notice" in g for g in pair_graphs), pair_graphs
    nq = export(store, "nq")
    derived = [line for line in nq.splitlines()
               if "/graph/lineage/" in line or "/graph/targetlinks>" in line or "/graph/links>" in line]
    draft_iri = docs["0-draft-notice"]["iri"]
    assert not any(f"<{draft_iri}>" in line and "/ns#linkTarget>" in line for line in derived)
    assert not any(f"<{draft_iri}>" in line and "/ns#sourceDocument>" in line for line in derived)

    # the local plan's upstream is the current notice; the draft, asked for by id, is marked superseded
    up = lineage(store, docs[local_file[:-4]]["iri"])["upstream"]
    assert cur in [u["doc"] for u in up] and "0-draft-notice" not in [u["doc"] for u in up]
    draft = lineage(store, draft_iri)
    assert draft["doc"]["status"] == "superseded" and draft["doc"]["superseded_by"] == cur
