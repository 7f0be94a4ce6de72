"""Page: targets, deadlines and responsible parties of one document."""
import streamlit as st

from kg.query import facts as fq
from ui.common import ROLE_ZH, doc_picker, get_store

st.header("目标、时限、责任主体")
d = doc_picker("facts-doc")
if d:
    store = get_store()
    tab1, tab2, tab3 = st.tabs(["量化目标", "时限", "责任主体"])
    with tab1:
        st.dataframe([{"条款": r["clause"], "指标": r["metric"], "比较": r["comparator"], "数值": r["value"],
                       "单位": r["unit"], "类型": r["kind"], "期限": r["deadline"], "期限来源": r["deadline_source"],
                       "责任主体": "、".join(r["parties"]), "原文": r["text"], "方法": r["method"],
                       "置信度": r["confidence"]} for r in fq.targets(store, d["iri"])], width="stretch", hide_index=True)
    with tab2:
        st.dataframe([{"条款": r["clause"], "原文": r["surface"], "类型": r["kind"], "起": r["start"], "止": r["end"],
                       "句子": r["text"]} for r in fq.deadlines(store, d["iri"])], width="stretch", hide_index=True)
    with tab3:
        st.dataframe([{"条款": r["clause"], "主体": r["party"], "角色": ROLE_ZH.get(r["role"], r["role"]),
                       "类型": r["party_type"], "方法": r["method"], "置信度": r["confidence"]}
                      for r in fq.parties(store, d["iri"])], width="stretch", hide_index=True)
