"""Page: a read-only SPARQL console."""
import json

import streamlit as st

from kg.config import Settings
from kg.errors import KGError
from ui.common import get_store

st.header("SPARQL 控制台（只读）")
st.caption("默认图为所有命名图的并集；更新、LOAD、SERVICE 会被拒绝；有行数与时间上限。")
q = st.text_area("查询", height=160, value="SELECT ?doc ?title WHERE {\n  ?doc a kg:SourceDocument ; eli:title ?title .\n}")
if st.button("运行"):
    s = Settings.load()
    try:
        res = get_store().user_query(q, limit=s.query_row_limit, timeout_s=s.query_timeout_s)
    except KGError as e:
        st.error(str(e))
    else:
        st.caption(f"{len(res.rows)} 行" + (f"（已截断：上限 {s.query_row_limit} 行）" if res.truncated else ""))
        st.dataframe(res.rows, width="stretch")
        st.download_button("下载 JSON", json.dumps(res.rows, ensure_ascii=False, indent=2), file_name="result.json")
