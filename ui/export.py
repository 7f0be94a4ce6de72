"""Page: downloads (RDF, GraphML, CSV) and the read-only SPARQL console with the canned queries as examples."""
from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from kg.config import Settings
from kg.errors import KGError
from ui.common import (KIND_ZH, LEVEL_ZH, NotReady, available, canned_queries, doc_by_id, docs_cached,
                       export_text, facts, get_store, graphml_bytes, lineage)

st.header("导出与SPARQL")
st.caption("整个图谱可下载为 RDF（Turtle、TriG、JSON-LD、N-Triples）、GraphML（网络分析软件）和 CSV；"
           "SPARQL 控制台只读：默认图为所有命名图的并集，更新、LOAD、SERVICE 会被拒绝，行数和时间有上限。")

st.subheader("下载")
FORMATS = [("turtle", "Turtle", "graph.ttl", "text/turtle"), ("trig", "TriG（含命名图）", "graph.trig", "application/trig"),
           ("jsonld", "JSON-LD", "graph.jsonld", "application/ld+json"), ("nt", "N-Triples", "graph.nt", "application/n-triples")]
cols = st.columns(len(FORMATS) + 1)
for col, (fmt, label, fname, mime) in zip(cols, FORMATS):
    col.download_button(label, (lambda f=fmt: export_text(f).encode("utf-8")), file_name=fname, mime=mime,
                        key=f"dl-{fmt}", width="stretch", on_click="ignore")
if available("kg.query.graphx", "to_graphml"):
    cols[-1].download_button("GraphML", graphml_bytes, file_name="graph.graphml", mime="application/xml",
                             key="dl-graphml", width="stretch", on_click="ignore")
else:
    cols[-1].button("GraphML（尚未就绪）", disabled=True, key="dl-graphml-off", width="stretch")


def targets_csv() -> bytes:
    by_id = doc_by_id()
    rows = [{"文件": t["doc"], "文件标题": t["doc_title"], "文号": t["doc_number"],
             "层级": LEVEL_ZH.get((by_id.get(t["doc"]) or {}).get("level")), "条款": t["clause"], "条款标识": t["clause_id"],
             "指标": t["metric"], "比较": t["comparator"], "数值": t["value"], "单位": t["unit"], "期限": t["deadline"],
             "责任主体": "、".join(t["parties"]), "类型": KIND_ZH.get(t["kind"], t["kind"]), "原文": t["text"],
             "方法": t["method"], "置信度": t["confidence"]} for t in facts("targets")]
    return pd.DataFrame(rows).to_csv(index=False).encode("utf-8-sig")


def alignments_csv() -> bytes:
    rows = []
    for d in docs_cached():
        try:
            lin = lineage(d["iri"])
        except NotReady:
            return "功能尚未就绪\n".encode("utf-8-sig")
        for a in lin.get("clause_alignments") or []:
            rows.append({"本文件": d["id"], "本文件条款": a.get("local_clause"), "本文件条款标识": a.get("local_clause_id"),
                         "上级文件": a.get("source_doc"), "上级条款": a.get("source_clause"),
                         "上级条款标识": a.get("source_clause_id"), "相似度": a.get("score"), "排名": a.get("rank"),
                         "方法": a.get("method"), "审核": a.get("review"),
                         "本文件原文": a.get("local_text"), "上级原文": a.get("source_text")})
    return pd.DataFrame(rows).to_csv(index=False).encode("utf-8-sig")


def documents_csv() -> bytes:
    return pd.DataFrame([{k: ("、".join(v) if isinstance(v, list) and all(isinstance(x, str) for x in v) else v)
                          for k, v in d.items()} for d in docs_cached()]).to_csv(index=False).encode("utf-8-sig")


c1, c2, c3 = st.columns(3)
c1.download_button("文件表（CSV）", documents_csv, file_name="documents.csv", mime="text/csv", key="dl-docs", width="stretch",
                   on_click="ignore")
c2.download_button("目标表（CSV）", targets_csv, file_name="targets.csv", mime="text/csv", key="dl-targets", width="stretch",
                   on_click="ignore")
c3.download_button("条款对应表（CSV）", alignments_csv, file_name="alignments.csv", mime="text/csv", key="dl-align",
                   width="stretch", disabled=not available("kg.query.lineage", "lineage"), on_click="ignore")

st.subheader("SPARQL 控制台（只读）")
DEFAULT_Q = "SELECT ?doc ?title WHERE {\n  ?doc a kg:SourceDocument ; eli:title ?title .\n}"
try:
    canned = canned_queries()
except NotReady as e:
    canned = []
    st.caption(f"示例查询：{e}")
# the query text lives in session state; the text area's key changes when an example is loaded
st.session_state.setdefault("sparql-text", DEFAULT_Q)
st.session_state.setdefault("sparql-ver", 0)
if canned:
    def _load() -> None:
        i = st.session_state.get("sparql-example")
        if i is not None:
            st.session_state["sparql-text"] = canned[i]["query"]
            st.session_state["sparql-ver"] += 1

    pick = st.selectbox("示例查询", list(range(len(canned))), index=None, key="sparql-example", on_change=_load,
                        format_func=lambda i: canned[i]["title"], placeholder="选择一个示例查询填入下方")
    if pick is not None and canned[pick].get("description"):
        st.caption(canned[pick]["description"])
q = st.text_area("查询", value=st.session_state["sparql-text"], height=200,
                 key=f"sparql-q-{st.session_state['sparql-ver']}")
st.session_state["sparql-text"] = q
st.caption("可用前缀：kg、eli、skos、prov、rdfs、dcterms、org 等（无需声明）。")
if st.button("运行", type="primary", key="sparql-run"):
    s = Settings.load()
    try:
        res = get_store().user_query(q, limit=s.query_row_limit, timeout_s=s.query_timeout_s)
    except KGError as e:
        st.error(str(e))
    else:
        st.session_state["sparql-result"] = (res.kind, res.variables, res.rows, res.truncated)
if st.session_state.get("sparql-result"):
    kind, variables, rows, truncated = st.session_state["sparql-result"]
    s = Settings.load()
    if kind == "ask":
        st.success(f"结果：{'是' if rows and rows[0].get('result') else '否'}")
    else:
        st.caption(f"{len(rows)} 行" + (f"（已截断：上限 {s.query_row_limit} 行）" if truncated else ""))
        frame = pd.DataFrame(rows, columns=variables or None)
        st.dataframe(frame, width="stretch", hide_index=True)
        d1, d2 = st.columns(2)
        d1.download_button("下载结果（CSV）", frame.to_csv(index=False).encode("utf-8-sig"), file_name="result.csv",
                           mime="text/csv", key="dl-sparql-csv", on_click="ignore")
        d2.download_button("下载结果（JSON）", json.dumps(rows, ensure_ascii=False, indent=2), file_name="result.json",
                           mime="application/json", key="dl-sparql-json", on_click="ignore")
