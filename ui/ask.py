"""Page: ask a question in Chinese; the answer, its evidence clauses and what was understood."""
import streamlit as st

from ui.common import NotReady, doc_by_id, not_ready
from ui.common import ask as ask_q
from ui.render import esc, block, show_text

EXAMPLES = [
    "物智沪联行动计划落实了哪些国家文件？哪一条对应国家文件的哪一条？",
    "工信厅通信〔2024〕52号被哪些文件落实？",
    "物智沪联行动计划到2028年5G基站要建多少个？",
    "哪些目标的期限是2027年？",
    "上海市通信管理局牵头负责哪些任务？",
]


ENTITY_ZH = {"doc": "文件", "agency": "机构", "party": "机构", "metric": "指标", "level": "层级", "place": "地区",
             "year": "年份", "clause": "条款", "relation": "关系"}


def _use(example: str) -> None:
    st.session_state["ask_q"] = example


st.header("问答")
st.caption("用中文提问：某个文件落实了哪些上级文件、哪一条对应哪一条、目标是多少、由谁负责、何时完成。"
           "答案只来自图谱中的文件，并列出依据条款。")

url_q = st.query_params.get("q", "")
if url_q and url_q != st.session_state.get("ask-url"):  # a link or a typed address carries the question
    st.session_state["ask_q"] = url_q

st.write("示例问题（点击即问）：")
with st.container(horizontal=True, gap="small"):
    for i, ex in enumerate(EXAMPLES):
        st.button(ex, key=f"ask-ex-{i}", on_click=_use, args=(ex,), icon=":material/help:")

with st.form("ask-form", border=False):
    st.text_input("问题", key="ask_q", placeholder="例如：物智沪联行动计划落实了哪些国家文件？")
    st.form_submit_button("提问", type="primary")

q = (st.session_state.get("ask_q") or "").strip()
if q:
    st.session_state["ask-url"] = q
    st.query_params["q"] = q
    try:
        res = ask_q(q)
    except NotReady as e:
        not_ready(e)
        st.stop()
    by_id = doc_by_id()

    st.subheader("回答")
    if not res.get("answered", True):
        st.warning("图谱中没有找到能回答这个问题的内容。")
    st.markdown(block(esc(res.get("answer") or ""), "font-size:1.05rem;"), unsafe_allow_html=True)

    ev = res.get("evidence") or []
    if ev:
        st.subheader(f"依据条款（{len(ev)}）")
        for n, e in enumerate(ev):
            d = by_id.get(e.get("doc"))
            title = (d["title"] if d else e.get("doc_title")) or e.get("doc") or "（外部文件）"
            with st.container(border=True):
                st.markdown(block(f"<b>{esc(title)}</b>　{esc(e.get('doc_number') or '')}　"
                                  f"<b>{esc(e.get('clause') or '')}</b>"), unsafe_allow_html=True)
                show_text(e.get("text"))
                if d is not None:
                    params = {"doc": d["id"]}
                    if e.get("clause_id") or e.get("clause"):
                        params["clause"] = e.get("clause_id") or e.get("clause")
                    st.page_link("ui/docs.py", label="在文件中查看此条", icon=":material/description:", query_params=params)

    with st.expander("我的理解", expanded=True):
        if res.get("understood"):
            st.markdown(block(esc(res["understood"])), unsafe_allow_html=True)
        intents = res.get("intents") or ([res["intent"]] if res.get("intent") else [])
        st.caption("意图：" + ("、".join(str(i) for i in intents) if intents else "—"))
        ents = res.get("entities") or []
        if ents:
            st.dataframe([{"类型": ENTITY_ZH.get(x.get("type"), x.get("type")), "问题中的文字": x.get("text"),
                           "对应": x.get("title") or x.get("value"), "文号": x.get("doc_number"), "怎样对应": x.get("how")}
                          if isinstance(x, dict) else {"对应": str(x)} for x in ents],
                         width="stretch", hide_index=True)
        else:
            st.caption("没有识别出文件、机构或指标。")
