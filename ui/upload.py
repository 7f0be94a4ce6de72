"""Page: add documents — upload, store under a generated name, build incrementally with a progress bar."""
from __future__ import annotations

import streamlit as st

from ui.common import after_docs_hook, get_store, invalidate
from ui.ingest import MAX_MB, TYPES, ingest

st.header("添加文件")
st.caption(f"上传政策文件（{'、'.join('.' + t for t in TYPES)}，每个不超过 {MAX_MB} MB）。"
           "文件以生成的名称保存在存储目录的 uploads/ 下，然后增量构建：只处理新文件，并更新文件间的溯源关系。"
           "某个文件失败时会说明原因，图谱保持原样。")
files = st.file_uploader("选择文件", type=list(TYPES), accept_multiple_files=True, key="upload-files",
                         max_upload_size=MAX_MB)
if st.button("导入并构建", type="primary", disabled=not files, key="upload-go") and files:
    bar = st.progress(0.0, text="准备构建…")

    def on_file(n: int, total: int, name: str) -> None:
        bar.progress((n - 1) / max(total, 1), text=f"正在处理 {name}（{n}/{total}）")

    derive = after_docs_hook()

    def after_docs(store) -> None:
        bar.progress(0.95, text="正在更新文件间的关联：引用、条款对应、目标关联…")
        derive(store)

    report = ingest(get_store(), [(f.name, f.getvalue()) for f in files], after_docs=after_docs, on_file=on_file)
    bar.progress(1.0, text="完成")
    invalidate()  # every cached page result and index is stale now
    st.session_state["upload-report"] = report

report = st.session_state.get("upload-report")
if report:
    ok = [r for r in report if r["状态"] in ("新增", "更新")]
    bad = [r for r in report if r["状态"] == "失败"]
    if ok:
        st.success(f"已导入 {len(ok)} 个文件。")
    if bad:
        st.error("以下文件未能导入（图谱未因它们改动）：" + "；".join(f"{r['文件']}：{r['原因']}" for r in bad))
    st.dataframe(report, width="stretch", hide_index=True)
    for r in ok:
        if r.get("文件标识"):
            c1, c2 = st.columns(2)
            c1.page_link("ui/docs.py", label=f"查看 {r['文件']}", icon=":material/description:", query_params={"doc": r["文件标识"]})
            c2.page_link("ui/lineage.py", label="查看溯源", icon=":material/account_tree:", query_params={"doc": r["文件标识"]})
