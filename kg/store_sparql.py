"""The store in any SPARQL 1.1 server (Query, Update, and optionally Graph Store protocols).

:class:`SparqlStore` is a :class:`kg.store.GraphStore` whose database is a remote dataset: every
method the build, the derived-graph step (kg/lineage.py, kg/links.py), kg/review.py and the query
layer call keeps its contract, because the write methods are *the same code* — they compose one
SPARQL update each and hand it to ``GraphStore._run``; here ``_run`` gives them a client of the
server instead of an open Oxigraph database (``_Remote``), so a change to the manifest or to an
update in kg/store.py reaches this backend without a second copy.

Guarantees and how they are kept on a server:

* ``replace_document`` (drop the document's named graph, write it and its manifest record),
  ``put_entry``, ``remove_document``, ``replace_graph``, ``drop_graph``, ``replace_subject``: each is
  **one SPARQL Update request** (one HTTP POST).  The SPARQL 1.1 protocol does not promise that a
  request is atomic, but Oxigraph (one transaction per request) and Apache Jena Fuseki (TDB2: one
  write transaction per request) apply it all or nothing, as do GraphDB (one transaction per
  request) and Virtuoso in its default transactional mode (``log_enable`` left at 1) — so a build
  that dies leaves each document in its previous or its new state, as with the embedded store.
* **One writer at a time** (``build_lock``): a local ``flock`` keyed by the server's update URL
  (a second build on the same machine is refused at once, and a killed build's lock dies with it),
  and a lock resource *in the store*: the triple ``<{base}graph/lock#build> kg:lockHolder "host
  uid pid nonce time"`` in the graph ``<{base}graph/lock#build>``, inserted by a conditional update
  (``INSERT … WHERE { FILTER NOT EXISTS { … } }``) and then read back: the build holds the lock only
  when its own holder is the only one.  Two builds that race both read back; the later one sees the
  earlier one and backs off (both backing off is possible; never both holding).  A lock left by a
  build that was killed is taken over when its holder was on this host, under this user, and its
  process no longer exists; a lock left by a dead build on *another* host stays until it is broken
  by hand: ``python -m kg.store_sparql break-lock`` (after checking that build is gone).
* ``user_query``: the same read-only guard as the embedded store (kg.sparql_guard via
  ``check_read_only``), then the query runs on an explicit dataset (protocol ``default-graph-uri`` /
  ``named-graph-uri``: every graph of this store but the manifest and the lock), so a user never
  sees file paths; at most ``limit`` rows are read (results are parsed as they stream and the
  connection is closed after the last row wanted) and at most ``timeout_s`` seconds are waited.
  The server itself keeps computing an abandoned query unless it has a query timeout of its own
  (README, "Scale: a SPARQL server as the store").
* ``select`` (the query layer's trusted queries) runs on the *union default graph*: with Oxigraph the
  client sends ``union-default-graph`` with each query (``KG_SPARQL_UNION=param``); other servers must
  be configured so that the default graph is the union of the named graphs (``KG_SPARQL_UNION=server``:
  Fuseki ``tdb2:unionDefaultGraph true``; Virtuoso and GraphDB do it by default).  The query layer's
  ``union=False`` queries all name their graphs with ``GRAPH``, so they mean the same on both.
* ``quads()``: a Graph Store Protocol GET of the whole dataset as N-Quads when ``KG_SPARQL_GSP`` is
  known (Oxigraph ``/store``), else ``SELECT ?g ?s ?p ?o`` over the named graphs.  Only this store's
  graphs (IRIs under ``{base}graph/``) are read; the lock graph never, the manifest graph only when
  asked.  Quads in the server's default graph are not read (the store never writes there).

Settings (environment; see :meth:`SparqlConfig.from_env`): ``KG_SPARQL_ENDPOINT`` (query URL: selects
this backend), ``KG_SPARQL_UPDATE``, ``KG_SPARQL_GSP``, ``KG_SPARQL_UNION``, ``KG_SPARQL_USER``,
``KG_SPARQL_PASSWORD``, ``KG_SPARQL_AUTH`` (``basic`` | ``digest``), ``KG_SPARQL_TIMEOUT``.

HTTP: the standard library's ``urllib`` (no new dependency; one connection per request).
"""
from __future__ import annotations

import base64
import fcntl
import hashlib
import io
import os
import socket
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox
from rdflib import URIRef

from .errors import QueryRefused, StoreError, StoreLocked
from .store import GraphStore, QueryResult, check_read_only, collect_solutions, collect_triples
from .vocab import KG, KG_NS, PREFIXES

#: the build lock's holder (bookkeeping of this backend; not part of the published vocabulary)
LOCK_HOLDER = URIRef(f"{KG_NS}lockHolder")

_JSON = "application/sparql-results+json"
_ACCEPT_QUERY = (f"{_JSON}, application/sparql-results+xml;q=0.9, application/n-triples;q=0.9, "
                 "text/turtle;q=0.5, application/rdf+xml;q=0.4")
_ACCEPT_QUADS = "application/n-quads, application/trig;q=0.8"


# ---------------------------------------------------------------------------------------------- settings
def derive_urls(query_url: str) -> tuple[str, str | None, str]:
    """(update URL, Graph Store URL or None, union mode) guessed from a query URL's layout.

    * Oxigraph server ``http://host:7878/query`` → ``/update``, ``/store``, ``param``;
    * Fuseki ``http://host:3030/ds/query`` or ``/ds/sparql`` → ``/ds/update``, none, ``server``;
    * GraphDB / RDF4J ``http://host:7200/repositories/ID`` → ``…/ID/statements``, none, ``server``;
    * anything else (Virtuoso ``http://host:8890/sparql``, whose endpoint takes updates too) → the
      same URL, none, ``server``.
    """
    u = urllib.parse.urlsplit(query_url)
    path = u.path.rstrip("/")
    parts = [p for p in path.split("/") if p]

    def at(p: str) -> str:
        return urllib.parse.urlunsplit((u.scheme, u.netloc, p, "", ""))

    if path == "/query":
        return at("/update"), at("/store"), "param"
    if parts and parts[-1] in ("query", "sparql") and len(parts) >= 2:
        return at("/" + "/".join(parts[:-1] + ["update"])), None, "server"
    if len(parts) >= 2 and parts[-2] == "repositories":
        return at(path + "/statements"), None, "server"
    return query_url, None, "server"


@dataclass(frozen=True)
class SparqlConfig:
    query_url: str
    update_url: str
    gsp_url: str | None = None
    #: "param": send ``union-default-graph`` (Oxigraph); "server": the server's default graph is the union
    union: str = "param"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    auth: str = "basic"  # basic (sent with every request) | digest (answering the server's challenge)
    timeout_s: float = 300.0  # one trusted request (an update of a large document, a whole-store read)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "SparqlConfig | None":
        """The server configured in the environment, or ``None`` (the embedded store)."""
        env = os.environ if env is None else env
        query = (env.get("KG_SPARQL_ENDPOINT") or "").strip()
        if not query:
            return None
        if not query.startswith(("http://", "https://")):
            raise ValueError(f"KG_SPARQL_ENDPOINT 必须是 http(s):// 开头的 SPARQL 查询地址: {query}")
        update, gsp, union = derive_urls(query)
        union = (env.get("KG_SPARQL_UNION") or union).strip().lower()
        if union not in ("param", "server"):
            raise ValueError(f"KG_SPARQL_UNION 只能是 param 或 server，而不是 {union!r}")
        auth = (env.get("KG_SPARQL_AUTH") or "basic").strip().lower()
        if auth not in ("basic", "digest"):
            raise ValueError(f"KG_SPARQL_AUTH 只能是 basic 或 digest，而不是 {auth!r}")
        try:
            timeout = float(env.get("KG_SPARQL_TIMEOUT") or 300)
        except ValueError as e:
            raise ValueError(f"KG_SPARQL_TIMEOUT 必须是秒数: {e}") from e
        return cls(query_url=query, update_url=(env.get("KG_SPARQL_UPDATE") or "").strip() or update,
                   gsp_url=(env.get("KG_SPARQL_GSP") or "").strip() or gsp, union=union,
                   user=env.get("KG_SPARQL_USER") or None, password=env.get("KG_SPARQL_PASSWORD") or None,
                   auth=auth, timeout_s=timeout)


# ---------------------------------------------------------------------------------------------- HTTP
class ServerTimeout(StoreError):
    """The server did not answer within the time allowed."""


class _Deadline(io.RawIOBase):
    """A response body that refuses to be read past a deadline (the parsers read it as they go)."""

    def __init__(self, resp, deadline: float) -> None:
        self._resp, self._deadline = resp, deadline

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("deadline")
        try:
            self._resp.fp.raw._sock.settimeout(left)  # http.client's socket: bound the wait for this read
        except AttributeError:
            pass
        data = self._resp.read(len(b))
        b[:len(data)] = data
        return len(data)


class _Http:
    def __init__(self, cfg: SparqlConfig) -> None:
        self.cfg = cfg
        handlers = []
        self._basic: str | None = None
        if cfg.user is not None:
            if cfg.auth == "digest":
                mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
                for url in (cfg.query_url, cfg.update_url, cfg.gsp_url):
                    if url:
                        mgr.add_password(None, url, cfg.user, cfg.password or "")
                handlers.append(urllib.request.HTTPDigestAuthHandler(mgr))
            else:
                raw = f"{cfg.user}:{cfg.password or ''}".encode("utf-8")
                self._basic = "Basic " + base64.b64encode(raw).decode("ascii")
        self._opener = urllib.request.build_opener(*handlers)

    def open(self, url: str, *, data: bytes | None, content_type: str | None, accept: str, timeout: float,
             method: str | None = None, write: bool = False):
        req = urllib.request.Request(url, data=data, method=method or ("POST" if data is not None else "GET"))
        req.add_header("Accept", accept)
        req.add_header("User-Agent", "policy-kg")
        if content_type:
            req.add_header("Content-Type", content_type)
        if self._basic:
            req.add_header("Authorization", self._basic)
        try:
            return self._opener.open(req, timeout=timeout)
        except urllib.error.HTTPError as e:
            body = e.read().decode("utf-8", errors="replace").strip()
            e.close()
            first = body.splitlines()[0][:400] if body else ""
            if e.code in (401, 403):
                raise StoreError(f"SPARQL 服务器拒绝访问（HTTP {e.code}）：请检查 KG_SPARQL_USER / KG_SPARQL_PASSWORD"
                                 f"{'（及 KG_SPARQL_AUTH）' if self.cfg.user else ''}", path=url) from None
            if e.code == 400 and write:
                raise StoreError(f"SPARQL 服务器拒绝更新（HTTP 400）：{first}", path=url) from None
            if e.code == 400:
                raise QueryRefused(f"SPARQL 服务器拒绝请求（HTTP 400）：{first}") from None
            raise StoreError(f"SPARQL 服务器出错（HTTP {e.code}）：{first}", path=url) from None
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise ServerTimeout(f"SPARQL 服务器在 {timeout:g} 秒内没有应答", path=url) from None
            raise StoreError(f"无法连接 SPARQL 服务器：{reason}（请检查 KG_SPARQL_ENDPOINT）", path=url) from None


def _form(pairs: list[tuple[str, str]]) -> bytes:
    return urllib.parse.urlencode(pairs).encode("ascii")


def _prologue(prefixes: dict[str, str] | None) -> str:
    return "".join(f"PREFIX {k}: <{v}>\n" for k, v in sorted((prefixes or {}).items()))


def _term_sparql(t) -> str:
    """An ox term in SPARQL/N-Triples syntax (NamedNode ``<…>``, Literal ``"…"@zh`` / ``"…"^^<…>``)."""
    return str(t)


def _media(resp) -> str:
    return (resp.headers.get("Content-Type") or "").split(";")[0].strip().lower()


class _Remote:
    """What ``GraphStore._run`` hands its functions: the part of ``pyoxigraph.Store`` kg/store.py uses,
    answered by the server."""

    def __init__(self, store: "SparqlStore") -> None:
        self._s = store

    def update(self, text: str) -> None:
        self._s._update(text)

    def flush(self) -> None:  # the server commits each update request
        pass

    def query(self, query: str, *, use_default_graph_as_union: bool = False, default_graph=None,
              named_graphs=None, prefixes: dict[str, str] | None = None, base_iri: str | None = None):
        text = (f"BASE <{base_iri}>\n" if base_iri else "") + _prologue(prefixes) + query
        pairs = [("query", text)]
        if use_default_graph_as_union and self._s.config.union == "param":
            pairs.append(("union-default-graph", ""))
        for g in default_graph or ():
            if isinstance(g, ox.NamedNode):  # the server's own default graph cannot be named in the protocol
                pairs.append(("default-graph-uri", g.value))
        for g in named_graphs or ():
            if isinstance(g, ox.NamedNode):
                pairs.append(("named-graph-uri", g.value))
        return self._s._query(pairs)

    def named_graphs(self) -> list[ox.NamedNode]:
        return [ox.NamedNode(g) for g in self._s._graphs()]

    def quads_for_pattern(self, s=None, p=None, o=None, g=None) -> list[ox.Quad]:
        def slot(term, var: str) -> str:
            return var if term is None else _term_sparql(term)

        pattern = f"{slot(s, '?s')} {slot(p, '?p')} {slot(o, '?o')}"
        if g is None:
            where = f"GRAPH ?g {{ {pattern} }} FILTER(STRSTARTS(STR(?g), {self._s._graph_prefix_literal()}))"
        elif isinstance(g, ox.DefaultGraph):
            where = pattern
        else:
            where = f"GRAPH {_term_sparql(g)} {{ {pattern} }}"
        res = self._s._query([("query", f"SELECT * WHERE {{ {where} }}")])
        out = []
        for r in res:
            gn = g if g is not None else r["g"]
            out.append(ox.Quad(s if s is not None else r["s"], p if p is not None else r["p"],
                               o if o is not None else r["o"], gn))
        return out


# ---------------------------------------------------------------------------------------------- the store
class SparqlStore(GraphStore):
    """``SparqlStore(SparqlConfig(...), base_iri)``: the graph in a SPARQL 1.1 server.

    ``path`` is ``None`` (nothing on local disk but the build's lock file): code that needs a local
    store (``kg serve``, the app's upload folder) says so, and first use never builds into a server."""

    def __init__(self, config: SparqlConfig, base_iri: str) -> None:
        super().__init__(None, base_iri)
        self._mem = None  # never the in-memory database: every access goes through _run → the server
        self.config = config
        self._http = _Http(config)
        self.lock_graph = URIRef(f"{self.iris.base}graph/lock#build")

    def __repr__(self) -> str:
        return f"SparqlStore({self.config.query_url!r}, base={self.iris.base!r})"

    @property
    def location(self) -> str:
        return self.config.query_url

    # ------------------------------------------------------------------ plumbing
    def _run(self, exclusive: bool, fn, manifest: tuple | None = None):
        return fn(_Remote(self))  # (no manifest memo: a server's state cannot be told by a token)

    def _update(self, text: str) -> None:
        resp = self._http.open(self.config.update_url, data=text.encode("utf-8"),
                               content_type="application/sparql-update; charset=UTF-8", accept="*/*",
                               timeout=self.config.timeout_s, write=True)
        with resp:
            resp.read()

    def _query(self, pairs: list[tuple[str, str]], *, timeout: float | None = None):
        """A query (form-encoded POST); its parsed results: ``QuerySolutions``, ``QueryBoolean`` or a
        list of triples."""
        timeout = self.config.timeout_s if timeout is None else timeout
        resp = self._http.open(self.config.query_url, data=_form(pairs),
                               content_type="application/x-www-form-urlencoded", accept=_ACCEPT_QUERY,
                               timeout=timeout)
        with resp:
            media, body = _media(resp), resp.read()
        try:
            return _parse_results(media, body)
        except (SyntaxError, ValueError) as e:
            raise StoreError(f"无法解析 SPARQL 服务器的应答（{media or '未知类型'}）：{e}",
                             path=self.config.query_url) from None

    def _graph_prefix_literal(self) -> str:
        return '"' + f"{self.iris.base}graph/".replace("\\", "\\\\").replace('"', '\\"') + '"'

    def _graphs(self, *, timeout: float | None = None) -> list[str]:
        """This store's named graphs (IRIs under ``{base}graph/``), the lock graph excepted."""
        q = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ }} FILTER(STRSTARTS(STR(?g), {self._graph_prefix_literal()})) }}"
        return sorted(r["g"].value for r in self._query([("query", q)], timeout=timeout)
                      if r["g"].value != str(self.lock_graph))

    # ------------------------------------------------------------------ reading
    def quads(self, *, include_manifest: bool = False) -> list[ox.Quad]:
        skip = {str(self.lock_graph)} | (set() if include_manifest else {str(self.iris.manifest_graph)})
        prefix = f"{self.iris.base}graph/"

        def keep(g) -> bool:
            return isinstance(g, ox.NamedNode) and g.value.startswith(prefix) and g.value not in skip

        if self.config.gsp_url:
            resp = self._http.open(self.config.gsp_url, data=None, content_type=None, accept=_ACCEPT_QUADS,
                                   timeout=self.config.timeout_s)
            with resp:
                media, body = _media(resp), resp.read()
            fmt = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.N_QUADS
            return [q for q in ox.parse(body, format=fmt) if keep(q.graph_name)]
        return [q for q in _Remote(self).quads_for_pattern() if keep(q.graph_name)]

    def user_query(self, query: str, *, limit: int, timeout_s: float) -> QueryResult:
        """A user's SPARQL on the server: read-only (the same guard as the embedded store), every graph
        but the manifest and the lock, at most ``limit`` rows read, at most ``timeout_s`` seconds."""
        check_read_only(query)
        deadline = time.monotonic() + timeout_s
        too_long = f"查询超过 {timeout_s:g} 秒的时间上限，已终止"
        try:
            mg = str(self.iris.manifest_graph)
            hidden = {mg} | {r["g"].value for r in self._query([("query", (
                f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s <{KG.sourcePath}> ?o }} }}"))], timeout=timeout_s)}
            graphs = [g for g in self._graphs(timeout=max(0.001, deadline - time.monotonic())) if g not in hidden]
            pairs = [("query", _prologue(PREFIXES) + query)]
            pairs += [("default-graph-uri", g) for g in graphs] + [("named-graph-uri", g) for g in graphs]
            left = deadline - time.monotonic()
            if left <= 0:
                raise QueryRefused(too_long)
            resp = self._http.open(self.config.query_url, data=_form(pairs),
                                   content_type="application/x-www-form-urlencoded", accept=_ACCEPT_QUERY,
                                   timeout=left)
        except ServerTimeout:
            raise QueryRefused(too_long) from None
        try:
            return _read_limited(resp, limit, deadline)
        except (TimeoutError, socket.timeout):
            raise QueryRefused(too_long) from None
        except (SyntaxError, ValueError) as e:
            raise QueryRefused(f"无法解析 SPARQL 服务器的应答：{e}") from None
        finally:
            resp.close()

    # ------------------------------------------------------------------ the build lock
    @contextmanager
    def build_lock(self) -> Iterator[None]:
        """Held for a whole build: a local ``flock`` and the lock resource in the store (module docstring)."""
        fd = os.open(_local_lock_file(self.config.update_url, self.iris.base), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
                raise StoreLocked(f"另一个构建正在写入该 SPARQL 存储（本机进程 {holder}），请等待它结束",
                                  path=self.config.update_url) from None
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
            token = _Holder.mine().text
            self._acquire(token)
            try:
                yield
            except BaseException:
                try:  # the build's own error matters more than a failed release (the server may be gone)
                    self._release(token)
                except StoreError:
                    pass
                raise
            self._release(token)
        finally:
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)

    def lock_holders(self) -> list[str]:
        L = self.lock_graph
        q = f"SELECT ?h WHERE {{ GRAPH <{L}> {{ <{L}> <{LOCK_HOLDER}> ?h }} }}"
        return sorted(r["h"].value for r in self._query([("query", q)]))

    def _acquire(self, token: str) -> None:
        L, held = self.lock_graph, f"<{LOCK_HOLDER}>"
        for _ in range(3):
            self._update(f"INSERT {{ GRAPH <{L}> {{ <{L}> {held} {_lit(token)} }} }}\n"
                         f"WHERE {{ FILTER NOT EXISTS {{ GRAPH <{L}> {{ <{L}> {held} ?h }} }} }}")
            holders = self.lock_holders()
            if holders == [token]:
                return
            if token in holders:  # a race: someone else got in too — back off, never both hold
                self._release(token)
            others = [_Holder.parse(h) for h in holders if h != token]
            live = [h for h in others if not h.dead()]
            for h in others:  # a build of ours on this host that was killed: its lock is stale
                if h.dead():
                    self._release(h.text)
            if live:
                h = live[0]
                who = f"{h.host} 上的进程 {h.pid}，{h.since} 开始" if h.pid else f"持有者 {h.nonce}"
                raise StoreLocked(f"另一个构建正在写入该 SPARQL 存储（{who}），请等待它结束；若确认该构建已不存在，"
                                  "可运行 python -m kg.store_sparql break-lock 解除",
                                  path=self.config.update_url)
        raise StoreLocked("无法取得 SPARQL 存储的构建锁（多次竞争失败），请稍后重试", path=self.config.update_url)

    def _release(self, token: str) -> None:
        L = self.lock_graph
        self._update(f"DELETE DATA {{ GRAPH <{L}> {{ <{L}> <{LOCK_HOLDER}> {_lit(token)} }} }}")

    def break_lock(self) -> list[str]:
        """Remove every holder of the build lock (by hand, when a dead build on another host left it)."""
        holders = self.lock_holders()
        self._update(f"DROP SILENT GRAPH <{self.lock_graph}>")
        return holders


# ---------------------------------------------------------------------------------------------- helpers
def _lit(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


@dataclass(frozen=True)
class _Holder:
    host: str
    uid: str
    pid: int
    nonce: str
    since: str

    @property
    def text(self) -> str:
        return "\t".join([self.host, self.uid, str(self.pid), self.nonce, self.since])

    @classmethod
    def mine(cls) -> "_Holder":
        now = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        return cls(socket.gethostname(), str(os.getuid()), os.getpid(), uuid.uuid4().hex[:12], now)

    @classmethod
    def parse(cls, text: str) -> "_Holder":
        parts = text.split("\t")
        if len(parts) != 5 or not parts[2].isdigit():
            return cls("?", "?", 0, text, "?")
        return cls(parts[0], parts[1], int(parts[2]), parts[3], parts[4])

    def dead(self) -> bool:
        """A holder on this host, under this user, whose process is gone (another host: never known)."""
        if self.host != socket.gethostname() or self.uid != str(os.getuid()) or self.pid <= 0:
            return False
        if self.pid == os.getpid():
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False


def _local_lock_file(update_url: str, base: str) -> Path:
    d = Path(os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()) / f"policy-kg-{os.getuid()}"
    d.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = hashlib.sha1(f"{update_url}\n{base}".encode("utf-8")).hexdigest()[:16]
    return d / f"sparql-{key}.lock"


def _parse_results(media: str, body: bytes):
    rdf = ox.RdfFormat.from_media_type(media) if media else None
    if rdf is not None:
        return list(ox.parse(body, format=rdf))
    fmt = ox.QueryResultsFormat.from_media_type(media) if media else None
    return ox.parse_query_results(body, format=fmt or ox.QueryResultsFormat.JSON)


def _read_limited(resp, limit: int, deadline: float) -> QueryResult:
    """Parse a query's results as they arrive; stop after ``limit`` rows (the rest is never read)."""
    media = _media(resp)
    stream = io.BufferedReader(_Deadline(resp, deadline), buffer_size=64 * 1024)
    rdf = ox.RdfFormat.from_media_type(media) if media else None
    if rdf is not None:
        return collect_triples(ox.parse(stream, format=rdf), limit)
    fmt = (ox.QueryResultsFormat.from_media_type(media) if media else None) or ox.QueryResultsFormat.JSON
    res = ox.parse_query_results(stream, format=fmt)
    if isinstance(res, (bool, ox.QueryBoolean)):
        return QueryResult("ask", ["result"], [{"result": bool(res)}])
    return collect_solutions(res, limit)


def main(argv: list[str] | None = None) -> int:
    """``python -m kg.store_sparql break-lock | holders`` on the configured server."""
    from .config import Settings

    args = sys.argv[1:] if argv is None else argv
    cfg = SparqlConfig.from_env()
    if cfg is None or not args or args[0] not in ("break-lock", "holders"):
        sys.stderr.write("用法: KG_SPARQL_ENDPOINT=… python -m kg.store_sparql break-lock | holders\n")
        return 2
    from .errors import KGError

    store = SparqlStore(cfg, Settings.load().base_iri)
    try:
        if args[0] == "holders":
            for h in store.lock_holders():
                print(h)
            return 0
        for h in store.break_lock():
            print(f"已解除: {h}")
    except KGError as e:
        sys.stderr.write(f"错误 {e}\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
