"""Page: two documents' aligned clauses side by side, with the character-level differences marked."""
from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from ui.common import (NotReady, clause_tree, compare, doc_by_id, doc_search_picker, docs_cached, facts,
                       not_ready)
from ui.render import STYLE, block, diff_html, esc

MAX_SHOWN = 60


def lineage_pairs() -> list[tuple[str, str]]:
    """(local, source) pairs from the explicit links, 落实 first — the pairs a user most likely wants."""
    order = {"applies": 0, "based_on": 1, "cites": 2}
    pairs = sorted({(order.get(r["relation"], 3), r["doc"], r["resolved_doc"])
                    for r in facts("refs") if r["resolved_doc"] and r["resolved_doc"] != r["doc"]
                    and r["relation"] != "self"})
    return [(a, b) for _, a, b in pairs]


def sections(doc_iri: str) -> dict[str, str]:
    """clause label and clause id → the top-level section it belongs to (for the filter)."""
    out = {}
    for top in clause_tree(doc_iri):
        name = f"{top['clause']} {top['heading'] or ''}".strip()
        stack = [top]
        while stack:
            n = stack.pop()
            out[n["clause"]] = name
            out[n["clause_id"]] = name
            stack.extend(n["children"])
    return out


def _only_text(x) -> tuple[str, str]:
    if isinstance(x, dict):
        return (x.get("clause") or x.get("a_clause") or x.get("b_clause") or x.get("clause_id") or "",
                x.get("text") or x.get("a_text") or x.get("b_text") or x.get("heading") or "")
    return ("", str(x))


st.header("条款对照")
st.caption("左右并排查看两个文件中相互对应的条款，逐字标出差异：红色删除线为只在左侧文件中的文字，绿色为只在右侧文件中的文字。")

pairs = lineage_pairs()
a_def = pairs[0][0] if pairs else None
b_def = pairs[0][1] if pairs else None
if not docs_cached():
    st.info("存储中还没有文件。")
    st.stop()
if pairs:
    by = doc_by_id()
    st.caption("有落实/引用关系的文件对：" + "；".join(
        f"{by[a]['title'][:14]} → {by[b]['title'][:14]}" for a, b in pairs[:4] if a in by and b in by))
left, right = st.columns(2)
with left:
    da = doc_search_picker("cmp-a", label="左侧文件（通常为地方文件）", default_id=a_def, param="a")
with right:
    db = doc_search_picker("cmp-b", label="右侧文件（通常为上级文件）", default_id=b_def, param="b")
if not da or not db:
    st.stop()
if da["id"] == db["id"]:
    st.warning("请选择两个不同的文件。")
    st.stop()
try:
    res = compare(da["iri"], db["iri"])
except NotReady as e:
    not_ready(e)
    st.stop()

all_pairs = res.get("pairs") or []
sec = sections(da["iri"])
f1, f2, f3 = st.columns([2, 1, 2])
sec_names = sorted({sec.get(p.get("a_clause_id") or p.get("a_clause"), "（其他）") for p in all_pairs})
chosen = f1.multiselect("左侧文件的章节", sec_names, key="cmp-sec", placeholder="全部章节")
min_score = f2.slider("最低相似度", 0.0, 1.0, 0.0, 0.05, key="cmp-min")
kw = f3.text_input("关键词（在两侧原文中查找）", key="cmp-kw").strip()
shown = [p for p in all_pairs
         if (not chosen or sec.get(p.get("a_clause_id") or p.get("a_clause"), "（其他）") in chosen)
         and (p.get("score") or 0) >= min_score
         and (not kw or kw in (p.get("a_text") or "") or kw in (p.get("b_text") or ""))]

m1, m2, m3 = st.columns(3)
m1.metric("对应条款", f"{len(shown)} / {len(all_pairs)}")
m2.metric("左侧未对应", len(res.get("only_a") or []))
m3.metric("右侧未对应", len(res.get("only_b") or []))
st.markdown(f'<span style="{STYLE["-"]}padding:0 4px">仅左侧</span> '
            f'<span style="{STYLE["+"]}padding:0 4px">仅右侧</span> 未标色为两侧相同', unsafe_allow_html=True)

table = pd.DataFrame([{"左侧文件": da["title"], "左侧条款": p.get("a_clause"), "左侧原文": p.get("a_text"),
                       "右侧文件": db["title"], "右侧条款": p.get("b_clause"), "右侧原文": p.get("b_text"),
                       "相似度": p.get("score")} for p in shown])
c1, c2 = st.columns(2)
c1.download_button("下载对照表（CSV）", table.to_csv(index=False).encode("utf-8-sig"),
                   file_name=f"{da['id']}--{db['id']}.csv", mime="text/csv", disabled=table.empty, on_click="ignore")


def _xlsx() -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        table.to_excel(xw, index=False, sheet_name="对照表")
        pd.DataFrame([dict(zip(("条款", "原文"), _only_text(x))) for x in res.get("only_a") or []]).to_excel(
            xw, index=False, sheet_name="左侧未对应")
        pd.DataFrame([dict(zip(("条款", "原文"), _only_text(x))) for x in res.get("only_b") or []]).to_excel(
            xw, index=False, sheet_name="右侧未对应")
    return buf.getvalue()


c2.download_button("下载对照表（Excel）", _xlsx(), file_name=f"{da['id']}--{db['id']}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", disabled=table.empty,
                   on_click="ignore")

if not shown:
    st.info("没有符合条件的对应条款。")
for p in shown[:MAX_SHOWN]:
    with st.container(border=True):
        st.markdown(block(f"<b>{esc(p.get('a_clause'))}</b> ↔ <b>{esc(p.get('b_clause'))}</b>　"
                          f"相似度 <b>{esc(p.get('score'))}</b>"), unsafe_allow_html=True)
        l, r = st.columns(2)
        diff = p.get("diff") or [["-", p.get("a_text") or ""], ["+", p.get("b_text") or ""]]
        l.markdown(diff_html(diff, "a"), unsafe_allow_html=True)
        r.markdown(diff_html(diff, "b"), unsafe_allow_html=True)
if len(shown) > MAX_SHOWN:
    st.caption(f"只显示前 {MAX_SHOWN} 对；用上面的筛选缩小范围，或下载完整对照表。")

st.subheader("未对应的条款")
l, r = st.columns(2)
for col, key, d in ((l, "only_a", da), (r, "only_b", db)):
    items = res.get(key) or []
    with col:
        st.markdown(f"**{esc(d['title'])}**：{len(items)} 条")
        for x in items[:MAX_SHOWN]:
            label, text = _only_text(x)
            st.markdown(block(f"<b>{esc(label)}</b>　{esc(text)}"), unsafe_allow_html=True)
