"""Page: which documents does this one implement, cite or rest on?"""
import streamlit as st

from kg.query import facts as fq
from ui.common import RELATION_ZH, doc_picker, get_store

st.header("溯源：这个文件落实了哪些文件？")
d = doc_picker("lineage-doc")
if d:
    rows = [r for r in fq.refs(get_store(), d["iri"]) if r["relation"] != "self"]
    if not rows:
        st.info("该文件没有引用其他文件。")
    for r in rows:
        target = r["resolved_doc"] or "（语料库外的文件）"
        st.markdown(f"- **{RELATION_ZH.get(r['relation'], r['relation'])}**《{r['title'] or r['doc_number']}》 → `{target}`"
                    f" · 条款 {r['clause']} · 提示词 {r['cue'] or '—'} · 方法 {r['link_method'] or r['method']}"
                    f" · 置信度 {r['link_confidence'] or r['confidence']}")
        with st.expander("原文"):
            st.write(r["text"])
            st.caption(f"字符位置 {r['span'][0]}–{r['span'][1]}")
