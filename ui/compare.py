"""Page: two documents' clauses side by side (a local plan and the national text it implements)."""
import streamlit as st

from kg.query.clauses import clause_tree, flatten
from ui.common import doc_picker, get_store

st.header("条款对照")
st.caption("左右并排查看两个文件的条款，例如地方行动计划与它落实的国家文件。")
left, right = st.columns(2)
for col, key in ((left, "a"), (right, "b")):
    with col:
        d = doc_picker(f"cmp-doc-{key}")
        if not d:
            continue
        nodes = flatten(clause_tree(get_store(), d["iri"]))
        if not nodes:
            st.info("该文件没有识别出条款。")
            continue
        label = st.selectbox("条款", [c["clause"] for c in nodes], key=f"cmp-clause-{key}")
        node = next((c for c in nodes if c["clause"] == label), nodes[0])
        st.markdown(f"**{node['clause']} {node['heading'] or ''}**")
        st.write(node["text"] or "（本条只有标题，见下级条款）")
