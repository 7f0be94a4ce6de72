"""Shared pieces of the app's pages: the store (one per server), the cached document list, pickers."""
from __future__ import annotations

import streamlit as st

from kg.config import Settings, default_corpus
from kg.query.docs import list_docs
from kg.store import GraphStore

LEVEL_ZH = {"national": "国家级", "provincial": "省级", "prefectural": "地市级", "county": "区县级"}
RELATION_ZH = {"applies": "落实", "based_on": "依据", "cites": "引用", "self": "自身"}
ROLE_ZH = {"lead": "牵头", "co": "配合", "actor": "被引导主体", "implied": "发文机关（默认）"}


@st.cache_resource
def get_store() -> GraphStore:
    s = Settings.load()
    store = GraphStore(s.store_path, s.base_iri)
    if store.is_empty():
        from kg.build import build
        from kg.errors import StoreLocked
        from kg.links import update_links

        try:
            with st.spinner("存储为空，正在从 corpus/ 构建图谱…"):
                build(store, [default_corpus()], after_docs=update_links)
        except StoreLocked as e:
            st.warning(f"{e.reason}；构建完成后刷新页面即可看到文件。")
    return store


@st.cache_data(ttl=30)
def docs_cached() -> list[dict]:
    return list_docs(get_store())


def doc_picker(key: str, label: str = "文件") -> dict | None:
    docs = docs_cached()
    if not docs:
        st.info("存储中还没有文件：运行 `kg build PATH` 导入。")
        return None
    by_id = {d["id"]: d for d in docs}
    choice = st.selectbox(label, list(by_id), key=key,
                          format_func=lambda i: f"{by_id[i]['title']}（{by_id[i]['doc_number'] or '无文号'}）")
    return by_id[choice]
