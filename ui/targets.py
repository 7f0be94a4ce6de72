"""Page: every quantitative target — a filterable table and charts (deadline years, local vs national, a metric over plans)."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from ui.common import KIND_ZH, LEVEL_ZH, NotReady, app_many_docs, doc_by_id, facts, not_ready, target_links

st.header("目标")
st.caption("所有文件中的量化目标。表格可筛选、排序、下载；下方图表按期限年份、地方与国家目标、同一指标在前后几期规划中的数值展示。")

by_id = doc_by_id()
# a large store (a thousand plans hold a hundred thousand targets and more target links): the documents are
# chosen first, and only theirs are read — reading every target and link took over a minute at 1,000 documents
LARGE = app_many_docs()
MAX_CHOSEN = 30
chosen: list[str] | None = None
if len(by_id) > LARGE:
    title_of = {i: f"{d['title'] or i}（{d['doc_number'] or '无文号'}）" for i, d in by_id.items()}
    chosen = st.multiselect(f"文件（图谱中有 {len(by_id)} 份文件：选择要看的文件，最多 {MAX_CHOSEN} 份）", list(by_id),
                            format_func=title_of.get, max_selections=MAX_CHOSEN, key="t-chosen", placeholder="按标题搜索")
    if not chosen:
        st.info("请先选择文件。文件较多时，本页只读取所选文件的目标与目标关联。")
        st.stop()
    rows = [t for i in chosen for t in facts("targets", by_id[i]["iri"])]
else:
    rows = facts("targets")
if not rows:
    st.info("所选文件中没有量化目标。" if chosen else "图谱中还没有量化目标。")
    st.stop()


def _row(t: dict) -> dict:
    d = by_id.get(t["doc"]) or {}
    return {"文件": t["doc_title"] or t["doc"], "文号": t["doc_number"], "层级": LEVEL_ZH.get(d.get("level"), d.get("level")),
            "条款": t["clause"], "指标": t["metric"], "比较": t["comparator"], "数值": t["value"], "单位": t["unit"],
            "期限": t["deadline"], "期限年份": t["deadline_year"], "责任主体": "、".join(t["parties"]),
            "类型": KIND_ZH.get(t["kind"], t["kind"]), "原文": t["text"], "置信度": t["confidence"], "doc": t["doc"]}


df = pd.DataFrame([_row(t) for t in rows])
with st.expander("筛选", expanded=True):
    c1, c2, c3 = st.columns(3)
    f_doc = c1.multiselect("文件", sorted(df["文件"].dropna().unique()), key="t-doc", placeholder="全部")
    f_level = c2.multiselect("层级", sorted(df["层级"].dropna().unique()), key="t-level", placeholder="全部")
    f_kind = c3.multiselect("类型", sorted(df["类型"].dropna().unique()), default=["目标"] if "目标" in set(df["类型"]) else None,
                            key="t-kind", placeholder="全部")
    c4, c5 = st.columns([2, 1])
    f_kw = c4.text_input("指标或责任主体包含", key="t-kw").strip()
    years = sorted(int(y) for y in df["期限年份"].dropna().unique())
    f_years = c5.select_slider("期限年份", years, value=(years[0], years[-1]), key="t-years") if len(years) > 1 else None
view = df
if f_doc:
    view = view[view["文件"].isin(f_doc)]
if f_level:
    view = view[view["层级"].isin(f_level)]
if f_kind:
    view = view[view["类型"].isin(f_kind)]
if f_kw:
    view = view[view["指标"].fillna("").str.contains(f_kw, regex=False) | view["责任主体"].fillna("").str.contains(f_kw, regex=False)]
if f_years:
    view = view[view["期限年份"].isna() | view["期限年份"].between(*f_years)]
st.caption(f"{len(view)} / {len(df)} 个目标")
st.dataframe(view.drop(columns=["doc"]), width="stretch", hide_index=True)
st.download_button("下载目标表（CSV）", view.drop(columns=["doc"]).to_csv(index=False).encode("utf-8-sig"),
                   file_name="targets.csv", mime="text/csv", on_click="ignore")

st.subheader("按期限年份")
yv = view.dropna(subset=["期限年份"])
if yv.empty:
    st.caption("筛选结果中没有带期限的目标。")
else:
    st.altair_chart(alt.Chart(yv).mark_bar().encode(
        x=alt.X("期限年份:O", title="期限年份"), y=alt.Y("count():Q", title="目标数"),
        color=alt.Color("文件:N", legend=alt.Legend(orient="bottom", columns=1, labelLimit=500)),
        tooltip=["文件", "期限年份", alt.Tooltip("count():Q", title="目标数")]), width="stretch")

st.subheader("地方目标与国家目标")
try:
    if chosen is None:
        links = target_links()
    else:  # the links of the chosen documents, each once
        seen: set = set()
        links = [tl for i in chosen for tl in target_links(by_id[i]["iri"])
                 if not (tl.get("iri") in seen or seen.add(tl.get("iri")))]
except NotReady as e:
    not_ready(e)
    links = []
# the filters above apply here too (by the local target's document); the chart shows the first
# CHART_PAIRS pairs (a thousand documents make over a hundred thousand: a chart of all of them takes
# minutes to draw and cannot be read), the table below it every pair
CHART_PAIRS = 40
shown_docs = set(view["doc"])
pairs = []
n_pairs = 0
for i, tl in enumerate(links):
    loc, src = tl.get("local") or {}, tl.get("source") or {}
    if loc.get("value") is None or src.get("value") is None or loc.get("doc") not in shown_docs:
        continue
    n_pairs += 1
    name = f"{i + 1}. {loc.get('metric') or src.get('metric')}"
    rel = tl.get("relation") or "—"
    for side, t in (("地方", loc), ("上级（来源）", src)):
        pairs.append({"对应": name, "一方": side, "数值": t.get("value"), "单位": t.get("unit"),
                      "文件": t.get("doc_title") or t.get("doc"), "指标": t.get("metric"), "期限": t.get("deadline"),
                      "关系": rel, "比值": tl.get("ratio"), "冲突": tl.get("conflict")})
if not pairs:
    st.caption("没有相互对应且都带数值的地方与上级目标。")
else:
    pf = pd.DataFrame(pairs)
    cf = pf[pf["对应"].isin(list(dict.fromkeys(pf["对应"]))[:CHART_PAIRS])]
    if n_pairs > CHART_PAIRS:
        st.caption(f"图中为前 {CHART_PAIRS} 对（共 {n_pairs} 对）；用上方筛选缩小范围，下表列出全部。")
    st.altair_chart(alt.Chart(cf).mark_bar().encode(
        y=alt.Y("对应:N", title=None, axis=alt.Axis(labelLimit=320)), yOffset="一方:N",
        x=alt.X("数值:Q", scale=alt.Scale(type="log" if (pf["数值"] > 0).all() else "symlog"), title="数值（对数刻度）"),
        color=alt.Color("一方:N", scale=alt.Scale(domain=["地方", "上级（来源）"], range=["#1565c0", "#c62828"])),
        tooltip=["一方", "文件", "指标", "数值", "单位", "期限", "关系", "比值", "冲突"]), width="stretch")
    st.dataframe(pf, width="stretch", hide_index=True)

st.subheader("同一指标在前后几期规划中的数值")
# metrics grouped by exact name, joined by the target links (successor, same…) when they exist
parent: dict[str, str] = {}


def _find(x: str) -> str:
    while parent.setdefault(x, x) != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


for t in rows:
    if t["metric"] and t["value"] is not None:
        parent.setdefault(t["iri"], t["iri"])
by_metric: dict[str, str] = {}
for t in rows:
    if t["metric"] and t["value"] is not None:
        if t["metric"] in by_metric:
            parent[_find(t["iri"])] = _find(by_metric[t["metric"]])
        by_metric.setdefault(t["metric"], t["iri"])
for tl in links:
    a, b = (tl.get("local") or {}).get("iri"), (tl.get("source") or {}).get("iri")
    if a in parent and b in parent:
        parent[_find(a)] = _find(b)
groups: dict[str, list[dict]] = {}
for t in rows:
    if t["iri"] in parent:
        groups.setdefault(_find(t["iri"]), []).append(t)
multi = {k: v for k, v in groups.items() if len({t["doc"] for t in v}) >= 2}
if not multi:
    st.caption("没有在两个以上文件中出现的同一指标。")
else:
    names = {k: " / ".join(sorted({t["metric"] for t in v}))[:60] for k, v in multi.items()}
    k = st.selectbox("指标", sorted(multi, key=lambda k: (-len(multi[k]), names[k])), format_func=lambda k: names[k],
                     key="t-metric")
    mf = pd.DataFrame([{"文件": t["doc_title"] or t["doc"], "年份": t["deadline_year"] or (by_id.get(t["doc"], {}).get("period") or [None, None])[1],
                        "数值": t["value"], "单位": t["unit"], "指标": t["metric"], "类型": KIND_ZH.get(t["kind"], t["kind"]),
                        "层级": LEVEL_ZH.get((by_id.get(t["doc"]) or {}).get("level"), "")} for t in multi[k]])
    mf = mf.dropna(subset=["年份"])
    if mf.empty:
        st.caption("这些目标都没有期限年份。")
    else:
        unit = mf["单位"].fillna("").mode().iloc[0]
        same = mf[mf["单位"].fillna("") == unit].sort_values("年份")
        base = alt.Chart(same).encode(x=alt.X("年份:O"), y=alt.Y("数值:Q", title=f"数值（{unit or '无单位'}）"))
        st.altair_chart(base.mark_line(color="#9e9e9e") + base.mark_point(filled=True, size=140).encode(
            color=alt.Color("文件:N", legend=alt.Legend(orient="bottom", columns=1, labelLimit=500)),
            tooltip=["文件", "指标", "年份", "数值", "单位", "类型"]), width="stretch")
        st.dataframe(mf, width="stretch", hide_index=True)
