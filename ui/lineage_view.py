"""The lineage graph and chain, from a ``kg.query.lineage.lineage`` result (pure functions, no Streamlit)."""
from __future__ import annotations

import altair as alt
import pandas as pd

from ui.common import LEVEL_ORDER, LEVEL_ZH, METHOD_ZH, RELATION_ZH, REVIEW_ZH

LANE_ZH = {**LEVEL_ZH, None: "层级未知"}
# one colour a level (grey: level unknown); a level without one here would make the chart fail loudly
LEVEL_COLOUR = {"national": "#c62828", "provincial": "#1565c0", "prefectural": "#2e7d32", "county": "#6a1b9a",
                "township": "#ef6c00"}


def _key(item: dict) -> str:
    return item.get("doc") or item.get("external_iri") or f"ext:{item.get('title') or item.get('doc_number')}"


def _parent(item: dict, root: str) -> str:
    path = [p for p in (item.get("path") or []) if p]
    own = _key(item)
    while path and path[-1] in (own, item.get("doc"), item.get("external_iri")):
        path = path[:-1]
    return path[-1] if path else root


def _short(title: str | None, n: int = 16) -> str:
    t = title or "（无标题）"
    return t if len(t) <= n else t[: n - 1] + "…"


def link_iri(item: dict) -> str | None:
    return item.get("link_iri")


def align_iri(a: dict) -> str | None:
    return a.get("alignment") or a.get("alignment_iri") or a.get("iri")


def graph_frames(doc: dict, lin: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes and edges of the lineage graph; lanes by level (national on top)."""
    root = doc["id"]
    nodes = {root: {"id": root, "title": doc["title"], "doc_number": doc["doc_number"] or "",
                    "level": doc["level"], "kind": "本文件", "external": False}}
    edges = []
    for side in ("upstream", "downstream"):
        for it in lin.get(side) or []:
            k = _key(it)
            external = not it.get("doc")
            nodes.setdefault(k, {"id": k, "title": it.get("title") or it.get("doc_number") or k,
                                 "doc_number": it.get("doc_number") or "", "level": it.get("level"),
                                 "kind": "外部文件（不在语料库中）" if external else ("上游" if side == "upstream" else "下游"),
                                 "external": external})
            p = _parent(it, root)
            src, dst = (p, k) if side == "upstream" else (k, p)  # an edge goes from the taker-up to the source
            edges.append({"from": src, "to": dst, "relation": RELATION_ZH.get(it.get("relation"), it.get("relation")),
                          "method": METHOD_ZH.get(it.get("method"), it.get("method")),
                          "confidence": it.get("confidence"), "review": REVIEW_ZH.get(it.get("review"), it.get("review"))})
    lanes: dict[int, list[str]] = {}
    for k, n in nodes.items():
        lane = LEVEL_ORDER.index(n["level"]) if n["level"] in LEVEL_ORDER else -1
        n["lane"] = lane
        n["层级"] = LANE_ZH.get(n["level"], n["level"])
        lanes.setdefault(lane, []).append(k)
    for lane, ks in lanes.items():
        ks.sort(key=lambda k: (k != root, nodes[k]["kind"], k))
        for i, k in enumerate(ks):
            nodes[k]["x"] = i - (len(ks) - 1) / 2
    nf = pd.DataFrame(list(nodes.values()))
    nf["label"] = nf["title"].map(_short)
    pos = {k: (n["x"], n["lane"]) for k, n in nodes.items()}
    ef = pd.DataFrame([{**e, "x": pos[e["from"]][0], "y": pos[e["from"]][1], "x2": pos[e["to"]][0],
                        "y2": pos[e["to"]][1], "mx": (pos[e["from"]][0] + pos[e["to"]][0]) / 2,
                        "my": (pos[e["from"]][1] + pos[e["to"]][1]) / 2,
                        "edge_label": f"{e['relation']} · {e['method']} · {e['confidence']}"}
                       for e in edges if e["from"] in pos and e["to"] in pos])
    return nf, ef


def graph_chart(nf: pd.DataFrame, ef: pd.DataFrame) -> alt.Chart:
    lanes = sorted(nf["lane"].unique())
    yscale = alt.Scale(domain=[max(lanes) + 0.5, min(lanes) - 0.5])
    xs = alt.Scale(domain=[float(nf["x"].min()) - 1, float(nf["x"].max()) + 1])
    pick = alt.selection_point(fields=["id"], name="pick", on="click")
    colour = alt.Color("层级:N", scale=alt.Scale(domain=[LANE_ZH[k] for k in LEVEL_ORDER] + ["层级未知"],
                                                  range=[LEVEL_COLOUR[k] for k in LEVEL_ORDER] + ["#757575"]),
                       legend=alt.Legend(title="层级"))
    layers = []
    if not ef.empty:
        base_e = alt.Chart(ef)
        layers.append(base_e.mark_rule(strokeWidth=2.5, color="#90a4ae").encode(
            x=alt.X("x:Q", scale=xs, axis=None), y=alt.Y("y:Q", scale=yscale, axis=None), x2="x2:Q", y2="y2:Q",
            tooltip=[alt.Tooltip("relation:N", title="关系"), alt.Tooltip("method:N", title="方法"),
                     alt.Tooltip("confidence:Q", title="置信度"), alt.Tooltip("review:N", title="审核")]))
        layers.append(base_e.mark_text(fontSize=11, color="#455a64", dy=-6).encode(
            x=alt.X("mx:Q", scale=xs, axis=None), y=alt.Y("my:Q", scale=yscale, axis=None), text="edge_label:N"))
    base_n = alt.Chart(nf)
    layers.append(base_n.mark_point(filled=True, size=900, opacity=0.95).encode(
        x=alt.X("x:Q", scale=xs, axis=None), y=alt.Y("lane:Q", scale=yscale, axis=None), color=colour,
        shape=alt.Shape("kind:N", title="类型",
                        scale=alt.Scale(domain=["本文件", "上游", "下游", "外部文件（不在语料库中）"],
                                        range=["square", "circle", "circle", "diamond"])),
        stroke=alt.condition(pick, alt.value("#000"), alt.value("#fff")),
        tooltip=[alt.Tooltip("title:N", title="标题"), alt.Tooltip("doc_number:N", title="文号"),
                 alt.Tooltip("层级:N"), alt.Tooltip("kind:N", title="类型")]).add_params(pick))
    layers.append(base_n.mark_text(dy=26, fontSize=12).encode(
        x=alt.X("x:Q", scale=xs, axis=None), y=alt.Y("lane:Q", scale=yscale, axis=None), text="label:N"))
    lane_names = nf[["lane", "层级"]].drop_duplicates().assign(x=float(nf["x"].min()) - 0.9)
    layers.append(alt.Chart(lane_names).mark_text(align="left", fontSize=13, fontWeight="bold", color="#9e9e9e").encode(
        x=alt.X("x:Q", scale=xs, axis=None), y=alt.Y("lane:Q", scale=yscale, axis=None), text="层级:N"))
    return alt.layer(*layers).properties(height=120 + 110 * len(lanes)).interactive()


def graph_dot(nf: pd.DataFrame, ef: pd.DataFrame) -> str:
    def q(s) -> str:
        return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'

    colours = {0: "#ffcdd2", 1: "#bbdefb", 2: "#c8e6c9", 3: "#e1bee7", -1: "#eeeeee"}
    lines = ['digraph lineage {', 'rankdir=BT; node [shape=box, style="rounded,filled", fontname="sans-serif"];',
             'edge [fontname="sans-serif", fontsize=10];']
    for lane in sorted(nf["lane"].unique()):
        ids = []
        for _, n in nf[nf["lane"] == lane].iterrows():
            style = '"rounded,filled,dashed"' if n["external"] else ('"rounded,filled,bold"' if n["kind"] == "本文件" else '"rounded,filled"')
            label = q(_short(n["title"], 22))[:-1] + "\\n" + q(n["doc_number"] or n["层级"])[1:]
            lines.append(f'{q(n["id"])} [label={label}, '
                         f'fillcolor="{colours.get(int(lane), "#eeeeee")}", style={style}];')
            ids.append(q(n["id"]))
        lines.append("{rank=same; " + " ".join(ids) + "}")
    for _, e in ef.iterrows():
        lines.append(f'{q(e["from"])} -> {q(e["to"])} [label={q(e["edge_label"])}];')
    lines.append("}")
    return "\n".join(lines)


def chain_words(doc: dict, lin: dict) -> list[str]:
    """Each path to the top in words, as the query layer writes it (rejected links are not followed)."""
    from kg.query.lineage import chain_in_words

    ups = lin.get("upstream") or []
    return chain_in_words(doc, ups).splitlines() if ups else []


