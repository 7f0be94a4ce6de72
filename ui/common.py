"""Shared pieces of the app's pages: the store (one per server), cached query results, pickers,
and a small adapter over query functions that other modules may not provide yet.

Caching: ``get_store`` is a ``st.cache_resource`` (one store per server), as is the networkx
projection. Query results are ``st.cache_data`` keyed by a *store stamp* (a fingerprint of the
database files), so a build or a review from the CLI is picked up on the next rerun; ``invalidate()``
clears them at once after an upload or a review in the app. The search index and the question
answerer keep their own per-store-state caches (kg.query.search, kg.query.ask).  Pages never build triples or read document text themselves.
"""
from __future__ import annotations

import hashlib
import importlib
from typing import Any, Callable

import streamlit as st

from kg.config import Settings, default_corpus
from kg.errors import DocumentNotFound
from kg.query import clauses as cq
from kg.query import docs as dq
from kg.query import facts as fq
from kg.query import labels as _labels
from kg.query import lineage as _lq
from kg.store import GraphStore

from kg.query.labels import KIND_ZH, LEVEL_SOURCE_ZH, LEVEL_ZH, ROLE_ZH  # noqa: E402,F401  (one table each)
from kg.query.lineage import LEVEL_RANK  # noqa: E402
LEVEL_ORDER = sorted(LEVEL_RANK, key=LEVEL_RANK.get)  # lanes of the lineage graph, national first
# one wording for relations and methods everywhere: the query layer's (kg lineage, kg ask, the app)
RELATION_ZH = {**_lq.RELATION_ZH, "self": "自身", None: "—"}
METHOD_ZH = dict(_lq.METHOD_ZH)
REVIEW_ZH = {**_labels.REVIEW_ZH, None: "未审核"}

NOT_READY = "功能尚未就绪"


class NotReady(Exception):
    """A query function another module is still writing is not importable yet."""


# ---------------------------------------------------------------------------------------- store

def after_docs_hook() -> Callable[[GraphStore], None]:
    """What a build runs after the documents: the lead's single derived-facts update when it exists
    (links, lineage, target links), else the explicit links alone."""
    try:
        mod = importlib.import_module("kg.lineage")
        fn = getattr(mod, "update_derived", None)
        if fn is not None:
            return fn
    except ImportError as e:
        if e.name not in ("kg.lineage",):
            raise
    from kg.links import update_links

    return update_links


@st.cache_resource(show_spinner=False)
def get_store() -> GraphStore:
    s = Settings.load()
    from kg.stores import open_store  # the embedded store, or a SPARQL server (KG_SPARQL_ENDPOINT)

    store = open_store(s)
    if store.is_empty():
        from kg.build import build
        from kg.errors import StoreLocked
        from kg.firstuse import first_use_refusal, store_was_named

        why = first_use_refusal(store.path, named=store_was_named())  # the CLI's first-use rule
        if why:
            st.info(why)
            return store
        try:
            with st.spinner("存储为空，正在从 corpus/ 构建图谱…"):
                build(store, [default_corpus()], after_docs=after_docs_hook())
        except StoreLocked as e:
            st.warning(f"{e.reason}；构建完成后刷新页面即可看到文件。")
    return store


@st.cache_data(ttl=10, show_spinner=False)
def _stamp() -> str:
    m = get_store().manifest()
    h = hashlib.sha1()
    for path, e in sorted(m.items()):
        h.update(f"{path}\0{e.sha256}\0{e.pipeline_version}\n".encode())
    return h.hexdigest()[:16]


def stamp() -> str:
    """Changes whenever the store's content does: the database files' fingerprint (kg.query.graphx), read
    on every run (it costs a directory listing), else the manifest's digest re-read every 10 s."""
    try:
        return _optional("kg.query.graphx", "store_state")(get_store())
    except NotReady:
        return _stamp()


def invalidate() -> None:
    """After an upload, a build or a review: every cached query result and index is stale."""
    st.cache_data.clear()
    for fn in _RESOURCES:
        fn.clear()


# ------------------------------------------------------------------------- optional modules

def _optional(module: str, name: str) -> Callable[..., Any]:
    try:
        mod = importlib.import_module(module)
    except ImportError as e:
        if e.name == module:
            raise NotReady(f"{NOT_READY}（{module} 还没有提供）") from None
        raise
    fn = getattr(mod, name, None)
    if fn is None:
        raise NotReady(f"{NOT_READY}（{module}.{name} 还没有提供）")
    return fn


def available(module: str, name: str) -> bool:
    try:
        _optional(module, name)
        return True
    except NotReady:
        return False


# ------------------------------------------------------------------------- cached queries

@st.cache_data(show_spinner=False)
def _docs(_s: str) -> list[dict]:
    return dq.list_docs(get_store())


def docs_cached() -> list[dict]:
    return _docs(stamp())


def doc_by_id() -> dict[str, dict]:
    return {d["id"]: d for d in docs_cached()}


def doc_by_iri() -> dict[str, dict]:
    return {d["iri"]: d for d in docs_cached()}


@st.cache_data(show_spinner=False)
def _tree(_s: str, doc_iri: str) -> list[dict]:
    return cq.clause_tree(get_store(), doc_iri)


def clause_tree(doc_iri: str) -> list[dict]:
    return _tree(stamp(), doc_iri)


@st.cache_data(show_spinner=False)
def _facts(_s: str, kind: str, doc_iri: str | None) -> list[dict]:
    return getattr(fq, kind)(get_store(), doc_iri)


def facts(kind: str, doc_iri: str | None = None) -> list[dict]:
    return _facts(stamp(), kind, doc_iri)


@st.cache_data(show_spinner="正在计算溯源…")
def _lineage(_s: str, doc_iri: str) -> dict:
    return _optional("kg.query.lineage", "lineage")(get_store(), doc_iri)


def lineage(doc_iri: str) -> dict:
    return _lineage(stamp(), doc_iri)


@st.cache_data(show_spinner="正在对照条款…")
def _compare(_s: str, a_iri: str, b_iri: str) -> dict:
    return _optional("kg.query.compare", "compare")(get_store(), a_iri, b_iri)


def compare(a_iri: str, b_iri: str) -> dict:
    return _compare(stamp(), a_iri, b_iri)


@st.cache_data(show_spinner=False)
def _target_links(_s: str, doc_iri: str | None = None) -> list[dict]:
    return _optional("kg.query.lineage", "target_links")(get_store(), doc_iri)


def target_links(doc_iri: str | None = None) -> list[dict]:
    """Every target link, or those of one document (either side)."""
    return _target_links(stamp(), doc_iri)


@st.cache_data(show_spinner="正在理解问题并查找依据…", max_entries=200)
def _ask(_s: str, question: str) -> dict:
    return _optional("kg.query.ask", "ask")(get_store(), question)


def ask(question: str) -> dict:
    return _ask(stamp(), question)


@st.cache_data(show_spinner="正在检索…", max_entries=200)
def _search(_s: str, text: str, k: int) -> list[dict]:
    return _optional("kg.query.search", "search")(get_store(), text, k)


def search(text: str, k: int = 10) -> list[dict]:
    return _search(stamp(), text, k)


@st.cache_data(show_spinner=False)
def _canned(_s: str) -> list[dict]:
    items = _optional("kg.query.canned", "list_queries")()
    return [{"name": q.name, "title": q.title, "description": q.description, "query": q.text} for q in items]


def canned_queries() -> list[dict]:
    return _canned(stamp())


@st.cache_data(show_spinner="正在导出…", max_entries=8)
def _export(_s: str, fmt: str) -> str:
    from kg.export import export

    return export(get_store(), fmt)


def export_text(fmt: str) -> str:
    return _export(stamp(), fmt)


@st.cache_resource(show_spinner="正在构建网络图…", max_entries=2)
def _graph(_s: str):
    mod = importlib.import_module("kg.query.graphx") if available("kg.query.graphx", "to_graphml") else None
    if mod is None:
        raise NotReady(f"{NOT_READY}（kg.query.graphx 还没有提供）")
    for name in ("projection", "build_graph"):
        fn = getattr(mod, name, None)
        if callable(fn):
            return fn(get_store())
    raise NotReady(f"{NOT_READY}（kg.query.graphx 中没有投影函数）")


def graphml_bytes() -> bytes:
    mod = importlib.import_module("kg.query.graphx")
    out = mod.to_graphml(_graph(stamp()))
    return out.encode("utf-8") if isinstance(out, str) else out


_RESOURCES = [_graph]


def set_review(subject_iri: str, state: str, note: str | None = None, user: str | None = None) -> None:
    _optional("kg.review", "set_review")(get_store(), subject_iri, state, note=note, user=user)
    invalidate()


# ----------------------------------------------------------------------------- pickers

def doc_label(d: dict) -> str:
    return f"{d['title']}（{d['doc_number'] or '无文号'}）"


def doc_search_picker(key: str, label: str = "文件", default_id: str | None = None, param: str | None = None,
                      drop_on_change: tuple[str, ...] = (), help_text: str = "按标题、简称或文号搜索") -> dict | None:
    """A search box (title, short title, 文号, id — forgiving, as ``kg`` resolves DOC) and a select box.

    ``param``: the URL query parameter that holds the choice — a link or a typed URL that sets it selects
    that document; choosing another one writes it back (and drops ``drop_on_change`` parameters)."""
    docs = docs_cached()
    if not docs:
        st.info("存储中还没有文件：在“添加文件”页上传，或运行 `kg build PATH` 导入。")
        return None
    by_id = {d["id"]: d for d in docs}
    url = query_param(param) if param else None
    if url and url != st.session_state.get(f"{key}-url"):
        # the URL was set from outside this widget (a link, the graph, a typed address): start from it
        for k in [k for k in st.session_state if str(k).startswith(f"{key}-")]:
            del st.session_state[k]
    if url in by_id:
        default_id = url
    q = st.text_input(f"搜索{label}", key=f"{key}-q", placeholder=help_text, help=help_text)
    pool = list(by_id)
    if q.strip():
        try:
            pool = [dq.find_doc(get_store(), q, docs=docs)["id"]]
        except DocumentNotFound as e:
            k = dq._key(q)
            pool = [d["id"] for d in docs if any(k in dq._key(n) for n in _names(d))]
            if not pool:
                st.warning(f"{e.reason}。")
                pool = list(by_id)
    index = pool.index(default_id) if default_id in pool else 0
    choice = st.selectbox(label, pool, index=index, key=f"{key}-{'|'.join(pool) if q.strip() else 'all'}",
                          format_func=lambda i: doc_label(by_id[i]))
    if param:
        st.session_state[f"{key}-url"] = choice
        if url != choice:
            for extra in drop_on_change:
                st.query_params.pop(extra, None)
            st.query_params[param] = choice
    return by_id[choice]


def _names(d: dict) -> list[str]:
    return [x for x in [d["id"], d["doc_number"], d["title"], d["notice_title"], *d.get("alt_titles", [])] if x]


def query_param(name: str) -> str | None:
    v = st.query_params.get(name)
    return v if v else None


def not_ready(e: Exception) -> None:
    st.info(str(e) if str(e) else NOT_READY)


def app_many_docs() -> int:
    """Above how many documents a page that reads every document's facts asks which documents first
    (``KG_APP_MANY_DOCS``, default 150)."""
    import os

    try:
        return max(1, int(os.environ.get("KG_APP_MANY_DOCS", "150")))
    except ValueError:
        return 150
