"""The read-only guard for users' SPARQL (``kg sparql``, the app's console, ``kg serve``).

A query is accepted only when every wall lets it through:

1. **the lexer** (:func:`kg.store.code_only` + keyword search): fast, and it reads strings the way
   Oxigraph does (a backslash escapes the next character);
2. **no ``\\u`` / ``\\U`` escapes**: SPARQL parsers disagree on them — rdflib expands them over the
   whole query before parsing (so ``"\\u0022`` *ends* a string for it), Oxigraph only inside IRIs and
   strings (where ``\\u0022`` is a quote *inside* the string).  A query that two parsers read
   differently cannot be checked by either, so it is refused; write the characters themselves;
3. **a real SPARQL 1.1 parser** (rdflib): the query must parse as a query (an update, ``LOAD``
   included, is refused by name); the parse tree and then the algebra are walked, and a
   ``SERVICE`` pattern anywhere — inside ``OPTIONAL``, ``UNION``, ``MINUS``, a sub-select,
   ``FILTER EXISTS``, ``GRAPH`` … — means refusal.  A query rdflib cannot parse is refused.

The query worker adds walls of its own (no network namespace, bounded memory: kg/query_worker.py).
"""
from __future__ import annotations

import re
from functools import lru_cache

from .errors import QueryRefused
from .vocab import PREFIXES

# node names of the rdflib parse tree / algebra that must never be executed
_SERVICE_NAMES = frozenset({"ServiceGraphPattern", "Service"})
_UPDATE_NAMES = frozenset({"Load", "Clear", "Drop", "Create", "Add", "Move", "Copy", "InsertData", "DeleteData",
                           "DeleteWhere", "Modify", "Update"})
_UCHAR = re.compile(r"\\[uU]")
_UPDATE_ZH = {"Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD", "Move": "MOVE",
              "Copy": "COPY", "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE",
              "Modify": "DELETE/INSERT", "Update": "更新"}

MSG_SERVICE = "只允许本地查询：拒绝 SERVICE（联邦查询会访问网络）"


def lexer_check(query: str) -> None:
    """Wall 1: the keyword check on the query with strings, IRIs and comments blanked out."""
    from .store import _SERVICE, _UPDATE_WORDS, code_only

    bare = code_only(query)
    m = _UPDATE_WORDS.search(bare)
    if m:
        raise QueryRefused(f"只允许只读查询：拒绝 {m.group(1).upper()}（SPARQL 更新不被接受）")
    if _SERVICE.search(bare):
        raise QueryRefused(MSG_SERVICE)


def _walk(node, seen: set[int] | None = None):
    """Every rdflib ``CompValue`` name reachable from ``node`` (parse results, algebra, expressions)."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Node

    stack = [node]
    seen = set() if seen is None else seen
    while stack:
        n = stack.pop()
        if n is None or isinstance(n, (str, int, float, bool, Node)):
            continue
        if id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, CompValue):
            yield n.name
            stack.extend(n.values())
        elif isinstance(n, dict):
            stack.extend(n.values())
        elif isinstance(n, ParseResults):
            stack.extend(list(n))
            stack.extend(list(n.values()))
        elif isinstance(n, (list, tuple, set, frozenset)):
            stack.extend(n)
        else:  # an algebra object we do not know: look at its attributes rather than trust it
            stack.extend(getattr(n, "__dict__", {}).values())


def _refuse_names(names) -> None:
    for name in names:
        if name in _SERVICE_NAMES:
            raise QueryRefused(MSG_SERVICE)
        if name in _UPDATE_NAMES:
            raise QueryRefused(f"只允许只读查询：拒绝 {_UPDATE_ZH[name]}（SPARQL 更新不被接受）")


def _where(e: Exception) -> str:
    line, col = getattr(e, "lineno", None), getattr(e, "col", None)
    msg = getattr(e, "msg", None) or str(e)
    return (f"第 {line} 行第 {col} 列：{msg}" if line and col else msg).strip()


def parser_check(query: str, prefixes: dict[str, str] | None = None) -> None:
    """Walls 2 and 3 alone (no lexer): no ``\\u`` escapes, then parse, walk the tree and the algebra."""
    if _UCHAR.search(query):
        raise QueryRefused("不接受 \\u / \\U 转义：请直接写出字符（不同的 SPARQL 解析器对这种转义的读法不同，无法可靠地检查）")
    _parser_check(query, tuple(sorted((prefixes if prefixes is not None else PREFIXES).items())))


@lru_cache(maxsize=256)
def _parser_check(query: str, prefixes: tuple[tuple[str, str], ...]) -> None:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree = parseQuery(query)
    except ParseBaseException as e:
        try:
            upd = parseUpdate(query)
        except Exception:  # noqa: BLE001 - neither a query nor an update
            raise QueryRefused(f"SPARQL 语法错误，无法解析查询（只接受标准 SPARQL 1.1 查询）：{_where(e)}") from None
        _refuse_names(_walk(upd))
        raise QueryRefused("只允许只读查询：这是一个 SPARQL 更新") from None
    except RecursionError:
        raise QueryRefused("查询嵌套过深，无法解析") from None
    _refuse_names(_walk(tree))
    try:
        algebra = translateQuery(tree, initNs=dict(prefixes))
    except RecursionError:
        raise QueryRefused("查询嵌套过深，无法解析") from None
    except Exception as e:  # noqa: BLE001 - rdflib reports unknown prefixes, bad projections … as plain exceptions
        raise QueryRefused(f"SPARQL 查询无效：{e}") from None
    _refuse_names(_walk(algebra.algebra))


def check_query(query: str, prefixes: dict[str, str] | None = None) -> None:
    """Raise :class:`QueryRefused` unless ``query`` is a read-only, local SPARQL 1.1 query.

    ``prefixes``: the prefixes the engine predeclares (default: the store's, ``kg.vocab.PREFIXES``),
    so PREFIX-less queries parse exactly as they will run.

    >>> check_query("SELECT ?from ?to WHERE { ?from eli:applies+ ?to }")
    >>> check_query("SELECT * WHERE { OPTIONAL { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }")
    Traceback (most recent call last):
    ...
    kg.errors.QueryRefused: 只允许本地查询：拒绝 SERVICE（联邦查询会访问网络）
    """
    if not isinstance(query, str) or not query.strip():
        raise QueryRefused("查询为空")
    if "\x00" in query:
        raise QueryRefused("查询中含有 NUL 字符")
    lexer_check(query)
    parser_check(query, prefixes)
