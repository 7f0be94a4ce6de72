"""Page: the documents in the store."""
import streamlit as st

from ui.common import LEVEL_ZH, docs_cached

st.header("文件")
docs = docs_cached()
st.caption(f"共 {len(docs)} 个文件。")
st.dataframe(
    [{"标识": d["id"], "标题": d["title"], "文号": d["doc_number"], "发文机关": "、".join(d["issuers"]),
      "文种": d["doc_type"], "层级": LEVEL_ZH.get(d["level"], d["level"]), "辖区": d["jurisdiction"],
      "成文日期": d["date_document"], "印发/发布日期": d["date_publication"],
      "规划期": "—".join(map(str, d["period"])) if d["period"] else None, "条款数": d["clause_count"]}
     for d in docs],
    width="stretch", hide_index=True)
