"""Page: one document's clause tree."""
import streamlit as st

from kg.query.clauses import clause_tree
from ui.common import doc_picker, get_store


def render(node: dict, depth: int = 0) -> None:
    st.markdown(("　" * depth) + f"**{node['clause']}** {node['heading'] or ''}")
    if node.get("cells"):
        st.table([node["cells"]])
    elif node["text"]:
        st.caption(("　" * depth) + node["text"])
    for ch in node["children"]:
        render(ch, depth + 1)


st.header("条款树")
d = doc_picker("clauses-doc")
if d:
    st.caption(f"{d['clause_count']} 个条款 · 来源文件 {d['source_file']}")
    for n in clause_tree(get_store(), d["iri"]):
        render(n)
