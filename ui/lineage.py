"""Page: where a document comes from and what takes it up — graph, chain, clause alignments, coverage, review."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from ui.common import (LEVEL_SOURCE_ZH, LEVEL_ZH, METHOD_ZH, RELATION_ZH, REVIEW_ZH, NotReady, doc_by_id, doc_search_picker,
                       docs_cached, facts, lineage, not_ready, set_review)
from ui.lineage_view import align_iri, chain_words, graph_chart, graph_dot, graph_frames, link_iri
from ui.render import esc, block, md_plain, show_text

def review_buttons(subject: str | None, key: str, current: str | None) -> None:
    if not subject:
        st.caption("（此项没有可审核的标识）")
        return
    c1, c2, c3 = st.columns([1, 1, 4])
    note = c3.text_input("备注", key=f"note-{key}", label_visibility="collapsed", placeholder="审核备注（可选）")
    for col, state, label in ((c1, "confirmed", "确认"), (c2, "rejected", "否决")):
        if col.button(label, key=f"rev-{state}-{key}", disabled=current == state):
            try:
                set_review(subject, state, note=note or None, user=None)
                st.toast(f"已标记为：{REVIEW_ZH[state]}")
                st.rerun()
            except NotReady as e:
                not_ready(e)


def default_doc() -> str | None:
    docs = docs_cached()
    local = [d for d in docs if d["level"] not in (None, "national")]
    local.sort(key=lambda d: (d["date_document"] or "", d["id"]), reverse=True)
    return (local or docs or [{"id": None}])[0]["id"]


st.header("溯源")
st.caption("这个文件落实了哪些上级文件？哪些文件又落实了它？每条关系都给出发现方法、置信度和依据原文。")
doc = doc_search_picker("lineage-doc", default_id=default_doc(), param="doc")
if doc is None:
    st.stop()
try:
    lin = lineage(doc["iri"])
except NotReady as e:
    not_ready(e)
    refs = [r for r in facts("refs", doc["iri"]) if r["relation"] != "self"]
    st.subheader("明确引用（暂代）")
    for r in refs:
        st.markdown(block(f"<b>{esc(RELATION_ZH.get(r['relation'], r['relation']))}</b>《{esc(r['title'] or r['doc_number'])}》"
                          f" → {esc(r['resolved_doc'] or '（语料库外的文件）')}"), unsafe_allow_html=True)
    st.stop()

ups, downs = lin.get("upstream") or [], lin.get("downstream") or []
by_id = doc_by_id()
m1, m2, m3 = st.columns(3)
m1.metric("上游文件", len(ups))
m2.metric("下游文件", len(downs))
m3.metric("条款对应", len(lin.get("clause_alignments") or []))

nf, ef = graph_frames(doc, lin)
st.subheader("关系图")
tab1, tab2 = st.tabs(["交互图", "层级图"])
with tab1:
    st.caption("纵向按层级分道（国家级在上），颜色表示层级，菱形为语料库外的文件；边上为关系 · 方法 · 置信度。"
               "可缩放、拖动；点击一个文件即转到它的溯源。")
    ev = st.altair_chart(graph_chart(nf, ef), on_select="rerun", key=f"lineage-graph-{doc['id']}", width="stretch")
    picked = [p.get("id") for p in ((ev or {}).get("selection", {}).get("pick") or []) if isinstance(p, dict)]
    if picked and picked[0] in by_id and picked[0] != doc["id"]:
        st.query_params["doc"] = picked[0]
        st.rerun()
with tab2:
    st.graphviz_chart(graph_dot(nf, ef), width="stretch")

st.subheader("到最上层的链条")
chains = chain_words(doc, lin)
if not chains:
    st.info("没有找到这个文件落实或引用的上级文件。")
for c in chains:
    st.markdown(block("• " + esc(c)), unsafe_allow_html=True)

for side, title in (("upstream", "上游文件（它落实、依据或引用的）"), ("downstream", "下游文件（落实它的）")):
    items = lin.get(side) or []
    st.subheader(title)
    if not items:
        st.caption("无。")
        continue
    for i, it in enumerate(items):
        d = by_id.get(it.get("doc"))
        head = (f"{RELATION_ZH.get(it.get('relation'), it.get('relation'))}《{md_plain(it.get('title') or it.get('doc_number'))}》"
                f" · {LEVEL_ZH.get(it.get('level'), it.get('level') or '层级未知')}"
                f" · {METHOD_ZH.get(it.get('method'), it.get('method'))} · 置信度 {it.get('confidence')}"
                f" · {REVIEW_ZH.get(it.get('review'), it.get('review'))}"
                + ("" if d else " · 语料库外"))
        with st.expander(head, expanded=False):
            how = LEVEL_SOURCE_ZH.get(it.get("level_source"))  # a document outside the corpus: how its level is known
            st.caption(f"文号：{md_plain(it.get('doc_number')) or '—'}；" + (f"层级{how}；" if how else "") + "路径："
                       f"{md_plain(' → '.join(p or '（外部）' for p in it.get('path') or []))}")
            for e in it.get("evidence") or []:
                st.markdown(block(f"<b>{esc(e.get('clause'))}</b>　" + esc(e.get("text"))), unsafe_allow_html=True)
            if d is not None:
                c1, c2 = st.columns(2)
                c1.page_link("ui/lineage.py", label="查看它的溯源", query_params={"doc": d["id"]})
                pair = {"a": doc["id"], "b": d["id"]} if side == "upstream" else {"a": d["id"], "b": doc["id"]}
                c2.page_link("ui/compare.py", label="条款对照", query_params=pair)
            review_buttons(link_iri(it), f"{side}-{i}", it.get("review"))

aligns = lin.get("clause_alignments") or []
st.subheader("条款对应")
if not aligns:
    st.caption("没有条款对应。")
else:
    best = st.toggle("只看每条的最佳对应", value=True, key="lin-best")
    rows = [a for a in aligns if not best or a.get("rank") in (None, 1)]
    df = pd.DataFrame([{"本文件条款": a.get("local_clause"), "本文件原文": a.get("local_text"),
                        "上级文件": (by_id.get(a.get("source_doc")) or {}).get("title") or a.get("source_doc"),
                        "上级条款": a.get("source_clause"), "上级原文": a.get("source_text"),
                        "相似度": a.get("score"), "排名": a.get("rank"),
                        "方法": METHOD_ZH.get(a.get("method"), a.get("method")),
                        "审核": REVIEW_ZH.get(a.get("review"), a.get("review"))} for a in rows])
    st.dataframe(df, width="stretch", hide_index=True,
                 column_config={"相似度": st.column_config.ProgressColumn("相似度", min_value=0.0, max_value=1.0, format="%.3f")})
    st.download_button("下载条款对应（CSV）", df.to_csv(index=False).encode("utf-8-sig"),
                       file_name=f"{doc['id']}-alignments.csv", mime="text/csv")
    with st.expander("审核条款对应"):
        opts = list(range(len(rows)))
        j = st.selectbox("条款对应", opts, key=f"rev-align-pick-{doc['id']}",
                         format_func=lambda i: f"{rows[i].get('local_clause')} ↔ "
                                               f"{rows[i].get('source_doc')} {rows[i].get('source_clause')}"
                                               f"（{rows[i].get('score')}，{REVIEW_ZH.get(rows[i].get('review'), '未审核')}）")
        a = rows[j]
        c1, c2 = st.columns(2)
        with c1:
            show_text(a.get("local_text"))
        with c2:
            show_text(a.get("source_text"))
        review_buttons(align_iri(a), f"align-{j}", a.get("review"))

cov = lin.get("coverage") or []
st.subheader("上级文件的落实情况")
if not cov:
    st.caption("没有覆盖数据。")
else:
    cdf = pd.DataFrame([{"上级文件": (by_id.get(c.get("doc")) or {}).get("title") or c.get("doc"),
                         "已落实条款": len(c.get("taken_up") or []), "未落实条款": len(c.get("not_taken_up") or []),
                         "落实比例": c.get("share")} for c in cov])
    st.altair_chart(alt.Chart(cdf).mark_bar().encode(
        y=alt.Y("上级文件:N", sort="-x"), x=alt.X("落实比例:Q", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        tooltip=["上级文件", "已落实条款", "未落实条款", alt.Tooltip("落实比例:Q", format=".0%")]), width="stretch")
    flat = []
    for c in cov:
        for state, lst in (("已落实", c.get("taken_up") or []), ("未落实", c.get("not_taken_up") or [])):
            for x in lst:
                flat.append({"上级文件": c.get("doc"), "条款": x.get("clause"), "条款标识": x.get("clause_id"),
                             "标题": x.get("heading"), "状态": state})
        with st.expander(f"《{md_plain((by_id.get(c.get('doc')) or {}).get('title') or c.get('doc'))}》"
                         f"：落实 {len(c.get('taken_up') or [])} 条，未落实 {len(c.get('not_taken_up') or [])} 条"):
            l, r = st.columns(2)
            l.markdown("**已落实**")
            for x in c.get("taken_up") or []:
                l.markdown(block(f"{esc(x.get('clause'))} {esc(x.get('heading') or '')}"), unsafe_allow_html=True)
            r.markdown("**未落实**")
            for x in c.get("not_taken_up") or []:
                r.markdown(block(f"{esc(x.get('clause'))} {esc(x.get('heading') or '')}"), unsafe_allow_html=True)
    st.download_button("下载落实情况（CSV）", pd.DataFrame(flat).to_csv(index=False).encode("utf-8-sig"),
                       file_name=f"{doc['id']}-coverage.csv", mime="text/csv")
