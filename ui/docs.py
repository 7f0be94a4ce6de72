"""Page: the documents; one document's metadata and clause tree with its extracted facts highlighted."""
from __future__ import annotations

import streamlit as st

from ui.common import (KIND_ZH, LEVEL_ZH, RELATION_ZH, ROLE_ZH, clause_tree, doc_by_id, doc_search_picker,
                       docs_cached, facts, query_param)
from ui.render import block, esc, highlight_html, legend, locate, md_plain, show_text

st.header("文件")
docs = docs_cached()
st.caption(f"共 {len(docs)} 个文件。选择一个文件查看元数据和条款；条款中标出了抽取到的目标、时限、责任主体和引用。")
with st.expander("文件列表", expanded=not query_param("doc")):
    st.dataframe(
        [{"标识": d["id"], "标题": d["title"], "文号": d["doc_number"], "发文机关": "、".join(d["issuers"]),
          "文种": d["doc_type"], "层级": LEVEL_ZH.get(d["level"], d["level"]), "辖区": d["jurisdiction"],
          "成文日期": d["date_document"], "印发/发布日期": d["date_publication"],
          "规划期": "—".join(map(str, d["period"])) if d["period"] else None, "条款数": d["clause_count"]}
         for d in docs],
        width="stretch", hide_index=True)

doc = doc_search_picker("docs-doc", param="doc", drop_on_change=("clause",))
if doc is None:
    st.stop()
focus = query_param("clause")

meta = {"标题": doc["title"], "通知标题": doc["notice_title"], "文号": doc["doc_number"],
        "发文机关": "、".join(doc["issuers"]), "文种": doc["doc_type"], "规划类型": doc.get("plan_type"),
        "层级": LEVEL_ZH.get(doc["level"], doc["level"]), "辖区": doc["jurisdiction"],
        "成文日期": doc["date_document"], "页眉日期": doc.get("date_header"), "印发/发布日期": doc["date_publication"],
        "规划期": "—".join(map(str, doc["period"])) if doc["period"] else None,
        "主送": "、".join(doc["recipients"]), "抄送": "、".join(doc["cc"]), "来源文件": doc["source_file"],
        "条款数": doc["clause_count"], "标识": doc["id"], "IRI": doc["iri"]}
with st.container(border=True):
    c1, c2 = st.columns(2)
    items = [(k, v) for k, v in meta.items() if v not in (None, "")]
    half = (len(items) + 1) // 2
    for col, part in ((c1, items[:half]), (c2, items[half:])):
        col.markdown(block("<br>".join(f"<b>{esc(k)}</b>：{esc(v)}" for k, v in part)), unsafe_allow_html=True)
    l1, l2 = st.columns(2)
    l1.page_link("ui/lineage.py", label="查看溯源", icon=":material/account_tree:", query_params={"doc": doc["id"]})

# facts by clause
by_clause: dict[str, list[tuple[str, dict]]] = {}
for kind, fkind in (("targets", "target"), ("deadlines", "deadline"), ("parties", "party"), ("refs", "ref")):
    for f in facts(kind, doc["iri"]):
        by_clause.setdefault(f["clause_id"], []).append((fkind, f))

by_doc = doc_by_id()


def fact_title(kind: str, f: dict) -> str:
    if kind == "target":
        return (f"目标：{f['metric'] or ''} {f['comparator'] or ''} {f['value']}{f['unit'] or ''}"
                f"（{KIND_ZH.get(f['kind'], f['kind'])}，期限 {f['deadline'] or '—'}）")
    if kind == "deadline":
        return f"时限：{f['surface']}（{f['start'] or ''}—{f['end'] or ''}）"
    if kind == "party":
        return f"责任主体：{f['party']}（{ROLE_ZH.get(f['role'], f['role'])}）"
    return f"引用：{RELATION_ZH.get(f['relation'], f['relation'])}《{f['title'] or f['doc_number'] or ''}》"


def fact_detail(kind: str, f: dict) -> None:
    st.markdown(block(esc(fact_title(kind, f)) + f"<br>方法：{esc(f['method'])}　置信度：{esc(f['confidence'])}"),
                unsafe_allow_html=True)
    if kind == "target" and f["parties"]:
        st.caption("责任主体：" + md_plain("、".join(f["parties"])))
    if kind == "ref" and f.get("resolved_doc") in by_doc:
        st.page_link("ui/docs.py", label=f"打开《{md_plain(by_doc[f['resolved_doc']]['title'])}》", icon=":material/description:",
                     query_params={"doc": f["resolved_doc"]})


nodes = []


def walk(ns: list[dict], depth: int) -> None:
    for n in ns:
        nodes.append((depth, n))
        walk(n["children"], depth + 1)


walk(clause_tree(doc["iri"]), 0)
focus_node = next((n for _, n in nodes if focus in (n["clause_id"], n["clause"])), None) if focus else None

st.subheader("条款")
legend(["target", "deadline", "party", "ref"])
if focus and focus_node is None:
    st.warning(f"该文件中没有条款“{focus}”。")
if focus_node is not None:
    st.success(f"定位到条款 {md_plain(focus_node['clause'])} {md_plain(focus_node['heading'])}")

for i, (depth, n) in enumerate(nodes):
    text = n["text"] or ""
    fs = by_clause.get(n["clause_id"], [])
    marks, taken = [], []
    for kind, f in fs:
        span = locate(text, f.get("surface") or f.get("party"), taken)
        if span:
            taken.append(span)
            marks.append((span[0], span[1], kind, fact_title(kind, f)))
    title = ("　" * depth) + md_plain(f"{n['clause']} {n['heading'] or ''}".strip()) + (f"　·　{len(fs)} 项事实" if fs else "")
    is_focus = focus_node is not None and n is focus_node
    with st.expander(title, expanded=is_focus or (focus_node is None and depth == 0 and i < 3)):
        if is_focus:
            st.caption("↑ 从链接打开的条款")
        if n.get("cells"):
            st.dataframe([n["cells"]], hide_index=True, width="stretch")
        if text:
            st.markdown(highlight_html(text, marks), unsafe_allow_html=True)
        elif not n.get("cells"):
            st.caption("（本条只有标题，见下级条款）")
        for note in n.get("notes") or []:
            show_text(f"注{note.get('marker') or ''}：{note['text']}", "font-size:0.9rem;color:#555;")
        if fs:
            labels = [fact_title(k, f) for k, f in fs]
            sel = st.pills("抽取的事实（点击查看详情）", list(range(len(fs))), format_func=lambda j: labels[j][:40],
                           key=f"facts-{doc['id']}-{n['clause_id']}")
            if sel is not None:
                fact_detail(*fs[sel])
        st.caption(f"条款标识 {n['clause_id']} · 字符位置 {n['span'][0]}–{n['span'][1]}")
