"""政策知识图谱 — Streamlit app. Thin: each page (ui/*.py) calls kg.query and renders; nothing online.

Run with ``kg app`` (or ``streamlit run app.py``). The store is the one ``kg`` uses
(``KG_STORE`` or ~/.local/share/policy-kg/store); an empty store is built from corpus/ on first use.
"""
import streamlit as st

st.set_page_config(page_title="政策知识图谱", page_icon="📑", layout="wide")

pg = st.navigation([
    st.Page("ui/docs.py", title="文件", default=True),
    st.Page("ui/clauses.py", title="条款树"),
    st.Page("ui/compare.py", title="条款对照"),
    st.Page("ui/facts.py", title="目标与主体"),
    st.Page("ui/lineage.py", title="溯源"),
    st.Page("ui/sparql.py", title="SPARQL"),
])
pg.run()
