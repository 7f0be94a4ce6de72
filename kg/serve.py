"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over the store.

How it works (and why it is built this way):

* **The engine is Oxigraph's own server** (``oxigraph serve-read-only`` from the ``oxigraph`` PyPI
  package, ``--union-default-graph``, ``--timeout-s``), not a hand-written SPARQL server.
* **It serves a snapshot, never the live store.**  Oxigraph says that opening a database read-only
  while another process writes it is undefined behaviour, and our builds write the store (one short
  read-write open per commit, under ``access.lock``).  So the endpoint takes the shared
  ``access.lock`` (as every reader does), makes a RocksDB checkpoint of the store with
  ``Store.backup`` on a read-only handle (hard links on the same file system: cheap), drops the
  bookkeeping manifest graph from the copy (it holds absolute source paths and is never exported
  either), and starts the server on that copy.  Every few seconds it compares
  :func:`kg.query.graphx.store_state` (a fingerprint of the database files) with the snapshot's; on
  a change it takes a new snapshot, starts a new server on it, switches to it, and retires the old
  one once its last request has finished.  Builds never wait for the endpoint.
* **The Oxigraph server is never exposed directly**, because it *executes* ``SERVICE``: tried with a
  listener on 127.0.0.1, a ``SERVICE <http://127.0.0.1:PORT/…>`` query made it POST there and return
  the listener's rows.  In front of it sits the smallest possible forwarding layer (stdlib
  ``http.server``): it accepts only the SPARQL query operation (``GET``/``POST /query``, alias
  ``/sparql``), refuses updates with 403 (``/update``, ``update=``, ``application/sparql-update``)
  and any other method or path, runs every query through the read-only guard (kg/sparql_guard.py:
  a real parser; updates, ``LOAD`` and ``SERVICE`` anywhere in the algebra are refused with 400),
  prepends the store's prefixes (``kg: eli: skos: …``, as ``kg sparql`` predeclares them) and
  forwards the very text it checked.
* **Second wall**: where the system allows unprivileged user namespaces (Linux), the Oxigraph
  server runs in its own empty network namespace (only its loopback): it cannot reach any network,
  and nothing outside can reach it; the front layer gets each connection to it as a file descriptor
  from a small helper inside the namespace.  Elsewhere it listens on a random 127.0.0.1 port.
  Its address space is bounded too (``KG_QUERY_MEMORY_MB``, as for ``kg sparql``).
* Binds 127.0.0.1 unless ``--host`` says otherwise; when bound to loopback it also refuses requests
  whose ``Host`` header is not a loopback name (DNS rebinding from a browser).
"""
from __future__ import annotations

import fcntl
import html
import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pyoxigraph as ox

from .errors import KGError, QueryRefused
from .procs import free_port as _free_port
from .store import GraphStore, check_read_only
from .vocab import PREFIXES

MAX_QUERY_BYTES = 256 * 1024  # the guard parses every query: keep one request from costing minutes
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
_PROLOGUE = "".join(f"PREFIX {k}: <{v}>\n" for k, v in sorted(PREFIXES.items()))


def oxigraph_binary() -> str:
    """The ``oxigraph`` CLI of this environment (the ``oxigraph`` PyPI package)."""
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.exists() else shutil.which("oxigraph")
    if not found:
        raise KGError("找不到 oxigraph 命令（PyPI 包 oxigraph）；请运行 scripts/setup.sh 安装依赖")
    return found


# ---------------------------------------------------------------------------------------------- snapshot
def make_snapshot(store: GraphStore, dest: Path) -> None:
    """Copy the store into ``dest`` (which must not exist) under the shared access lock, then drop the
    manifest graph from the copy."""
    if store.path is None:
        raise KGError("kg serve 需要磁盘上的存储（--store PATH）")
    db = store.path / "oxigraph"
    fd = os.open(store.path / "access.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        try:
            if db.exists():
                src = ox.Store.read_only(str(db))
                try:
                    src.backup(str(dest))
                finally:
                    del src
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
    copy = ox.Store(str(dest))  # an empty store when nothing was built yet
    try:
        copy.update(f"DROP SILENT GRAPH <{store.iris.manifest_graph}>")
        copy.flush()
    finally:
        del copy


# ---------------------------------------------------------------------------------------------- backend
_HELPER = r"""
import ctypes, fcntl, os, resource, signal, socket, struct, subprocess, sys
ctl_fd, oxbin, snap, timeout, mem = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
from kg.query_worker import enter_namespaces
if not enter_namespaces():                                # CLONE_NEWUSER | CLONE_NEWNET
    sys.exit(97)
libc = ctypes.CDLL(None, use_errno=True)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
fcntl.ioctl(s, 0x8914, struct.pack("16sH", b"lo", 0x1 | 0x8 | 0x40))   # SIOCSIFFLAGS lo UP|LOOPBACK|RUNNING
s.close()
if mem:
    resource.setrlimit(resource.RLIMIT_AS, (mem, resource.getrlimit(resource.RLIMIT_AS)[1]))
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # run the finally below: stop the server too
port = 7878
proc = subprocess.Popen([oxbin, "serve-read-only", "--location", snap, "--bind", f"127.0.0.1:{port}",
                         "--union-default-graph", "--timeout-s", timeout],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ, MALLOC_ARENA_MAX="2"),
                        preexec_fn=lambda: libc.prctl(1, signal.SIGTERM))  # PR_SET_PDEATHSIG
ctl = socket.socket(fileno=ctl_fd)
try:
    while True:
        if not ctl.recv(1):
            break
        try:
            c = socket.create_connection(("127.0.0.1", port), timeout=2)
        except OSError:
            ctl.send(b"-" if proc.poll() is None else b"x")
            continue
        socket.send_fds(ctl, [b"+"], [c.fileno()])
        c.close()
finally:
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
"""




def _memory_limit() -> int:
    from .query_worker import memory_limit_bytes

    return memory_limit_bytes()


class Backend:
    """One ``oxigraph serve-read-only`` on one snapshot, isolated in a network namespace if possible."""

    def __init__(self, snapshot: Path, timeout_s: float, *, isolate: bool = True) -> None:
        self.snapshot = snapshot
        self.timeout_s = timeout_s
        self.isolated = False
        self.active = 0
        self._cv = threading.Condition()
        self._ctl: socket.socket | None = None
        self._ctl_lock = threading.Lock()
        self._stop_lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._port = 0
        self._start(isolate)

    def _start(self, isolate: bool) -> None:
        oxbin = oxigraph_binary()
        timeout = str(max(1, int(round(self.timeout_s))))
        mem = _memory_limit()
        if isolate and sys.platform.startswith("linux") and os.environ.get("KG_QUERY_NETNS", "1") != "0":
            mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            mine.settimeout(15)
            proc = subprocess.Popen([sys.executable, "-c", _HELPER, str(theirs.fileno()), oxbin, str(self.snapshot),
                                     timeout, str(mem)], pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
            theirs.close()
            self._proc, self._ctl = proc, mine
            if self._wait_ready():
                self.isolated = True
                return
            self.stop()  # no user namespaces here: fall back to a loopback port
        self._port = _free_port()

        def limit() -> None:  # runs in the child before exec: bounded memory
            if mem:
                import resource

                resource.setrlimit(resource.RLIMIT_AS, (mem, resource.getrlimit(resource.RLIMIT_AS)[1]))

        self._proc = subprocess.Popen([oxbin, "serve-read-only", "--location", str(self.snapshot), "--bind",
                                       f"127.0.0.1:{self._port}", "--union-default-graph", "--timeout-s", timeout],
                                      stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                      env=dict(os.environ, MALLOC_ARENA_MAX="2"), preexec_fn=limit)
        if not self._wait_ready():
            self.stop()
            raise KGError("oxigraph 服务未能启动")

    def _wait_ready(self, within_s: float = 20.0) -> bool:
        deadline = time.monotonic() + within_s
        while time.monotonic() < deadline:
            if self._proc is None or self._proc.poll() is not None:
                return False
            try:
                conn = self.connection(timeout=2)
                conn.request("GET", "/")
                ok = conn.getresponse().status < 500
                conn.close()
                if ok:
                    return True
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.05)
        return False

    def connection(self, timeout: float) -> http.client.HTTPConnection:
        """A fresh HTTP connection to the server."""
        conn = http.client.HTTPConnection("127.0.0.1", self._port or 7878, timeout=timeout)
        if self._ctl is None:
            return conn
        with self._ctl_lock:
            self._ctl.send(b"c")
            msg, fds, _, _ = socket.recv_fds(self._ctl, 1, 1)
        if msg != b"+" or not fds:
            raise ConnectionRefusedError("oxigraph 服务不可用")
        sock = socket.socket(fileno=fds[0])
        sock.settimeout(timeout)
        conn.sock = sock
        return conn

    def acquire(self) -> None:
        with self._cv:
            self.active += 1

    def release(self) -> None:
        with self._cv:
            self.active -= 1
            self._cv.notify_all()

    def retire(self, grace_s: float) -> None:
        """Stop once the requests in flight have finished (or after ``grace_s``), then delete the snapshot."""
        with self._cv:
            self._cv.wait_for(lambda: self.active <= 0, timeout=grace_s)
        self.stop()
        shutil.rmtree(self.snapshot, ignore_errors=True)

    def stop(self) -> None:
        with self._stop_lock:
            self._stop_now()

    def _stop_now(self) -> None:
        if self._ctl is not None:
            try:
                self._ctl.close()  # the helper sees EOF, stops its server and exits
            except OSError:
                pass
            self._ctl = None
            if self._proc is not None:
                try:
                    self._proc.wait(10)
                except subprocess.TimeoutExpired:
                    pass
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.terminate()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            self._proc = None


# ---------------------------------------------------------------------------------------------- endpoint
class Endpoint:
    """The front layer + the current backend.  ``start()`` returns at once; ``stop()`` ends everything."""

    def __init__(self, store: GraphStore, host: str = "127.0.0.1", port: int = 7878, *, timeout_s: float = 30.0,
                 poll_s: float = 3.0, isolate: bool = True) -> None:
        if store.path is None:
            raise KGError("kg serve 需要磁盘上的存储（--store PATH）")
        self.store, self.host, self.port = store, host, port
        self.timeout_s, self.poll_s, self.isolate = timeout_s, poll_s, isolate
        self.state: str | None = None
        self.snapshot_time: str | None = None
        self.refreshes = 0
        self._tmp = Path(tempfile.mkdtemp(prefix="kg-serve-"))
        self._backend: Backend | None = None
        self._all: set[Backend] = set()  # the current one and those being retired
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._threads: list[threading.Thread] = []

    # -- snapshots
    def _new_backend(self) -> tuple[str, Backend]:
        from .query.graphx import store_state

        state = store_state(self.store)
        snap = self._tmp / f"snapshot-{self.refreshes}"
        self.refreshes += 1
        try:
            make_snapshot(self.store, snap)
            backend = Backend(snap, self.timeout_s, isolate=self.isolate)
        except BaseException:
            shutil.rmtree(snap, ignore_errors=True)
            raise
        with self._lock:
            self._all.add(backend)
        return state, backend

    def _retire(self, backend: Backend) -> None:
        backend.retire(self.timeout_s + 5)
        with self._lock:
            self._all.discard(backend)

    def refresh(self, force: bool = False) -> bool:
        """Take a new snapshot when the store changed; True when the endpoint switched to one."""
        from .query.graphx import store_state

        if not force and self.state is not None and store_state(self.store) == self.state:
            return False
        state, backend = self._new_backend()
        with self._lock:
            old, self._backend, self.state = self._backend, backend, state
            self.snapshot_time = time.strftime("%Y-%m-%d %H:%M:%S")
        if old is not None:
            threading.Thread(target=self._retire, args=(old,), daemon=True).start()
        return True

    def _poll(self) -> None:
        while not self._stop.wait(self.poll_s):
            try:
                self.refresh()
            except Exception as e:  # noqa: BLE001 - keep serving the last snapshot; say why once per failure
                sys.stderr.write(f"kg serve: 快照刷新失败，继续使用上一个快照：{e}\n")

    def backend(self) -> Backend:
        with self._lock:
            b = self._backend
            assert b is not None
            b.acquire()
            return b

    # -- lifecycle
    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/query"

    @property
    def isolated(self) -> bool:
        return bool(self._backend and self._backend.isolated)

    def start(self) -> "Endpoint":
        self.refresh(force=True)
        handler = type("Handler", (_Handler,), {"endpoint": self})
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        server_cls = type("Server", (ThreadingHTTPServer,), {"address_family": family, "daemon_threads": True})
        try:
            self._httpd = server_cls((self.host, self.port), handler)
        except OSError as e:
            self.stop()
            raise KGError(f"无法监听 {self.host}:{self.port}：{e.strerror or e}") from None
        self.port = self._httpd.server_address[1]
        self._threads = [threading.Thread(target=self._httpd.serve_forever, daemon=True),
                         threading.Thread(target=self._poll, daemon=True)]
        for t in self._threads:
            t.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        for t in self._threads:
            t.join(timeout=self.poll_s + 30)
        with self._lock:
            everything, self._backend, self._all = list(self._all), None, set()
        for b in everything:
            b.stop()
        shutil.rmtree(self._tmp, ignore_errors=True)

    def __enter__(self) -> "Endpoint":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    endpoint: Endpoint
    server_version = "policy-kg-sparql"
    sys_version = ""
    protocol_version = "HTTP/1.0"

    def log_message(self, fmt: str, *args) -> None:  # quiet: one line per request on stderr is noise
        pass

    # -- helpers
    def _send(self, status: int, text: str, ctype: str = "text/plain; charset=utf-8", extra: dict | None = None) -> None:
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _host_ok(self) -> bool:
        if self.endpoint.host not in LOOPBACK_HOSTS:
            return True
        host = (self.headers.get("Host") or "").strip().lower()
        name = host.rsplit(":", 1)[0] if not host.startswith("[") else host.split("]")[0] + "]"
        if name in LOOPBACK_HOSTS:
            return True
        self._send(403, "只接受发往本机（localhost / 127.0.0.1）的请求\n")
        return False

    def _refuse_update(self) -> None:
        self._send(403, "只读端点：不接受 SPARQL 更新（INSERT、DELETE、LOAD、CLEAR、DROP …）\n")

    # -- methods
    def do_GET(self) -> None:
        if not self._host_ok():
            return
        url = urlsplit(self.path)
        if url.path == "/":
            return self._page()
        if url.path in ("/update", "/store"):
            return self._refuse_update() if url.path == "/update" else self._send(404, "没有这个路径：只提供 /query\n")
        if url.path not in ("/query", "/sparql"):
            return self._send(404, "没有这个路径：只提供 /query\n")
        params = parse_qs(url.query, keep_blank_values=True)
        if "update" in params:
            return self._refuse_update()
        self._query(params)

    def do_POST(self) -> None:
        if not self._host_ok():
            return
        url = urlsplit(self.path)
        if url.path == "/update":
            return self._refuse_update()
        if url.path not in ("/query", "/sparql"):
            return self._send(404, "没有这个路径：只提供 /query\n")
        ctype = self.headers.get_content_type()
        if ctype == "application/sparql-update":
            return self._refuse_update()
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            return self._send(411, "需要 Content-Length\n")
        if int(length) > MAX_QUERY_BYTES:
            return self._send(413, f"查询过长（上限 {MAX_QUERY_BYTES // 1024} KiB）\n")
        body = self.rfile.read(int(length))
        params = parse_qs(url.query, keep_blank_values=True)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return self._send(400, "请求体不是 UTF-8 文本\n")
        if ctype == "application/sparql-query":
            params["query"] = [text]
        elif ctype == "application/x-www-form-urlencoded":
            form = parse_qs(text, keep_blank_values=True)
            if "update" in form:
                return self._refuse_update()
            for k, v in form.items():
                params.setdefault(k, []).extend(v)
        else:
            return self._send(415, "请用 application/sparql-query 或 application/x-www-form-urlencoded 提交查询\n")
        self._query(params)

    def _read_only(self) -> None:
        self._send(405, "只读端点：只接受 GET 与 POST 查询\n", extra={"Allow": "GET, POST"})

    do_PUT = do_DELETE = do_PATCH = _read_only

    def do_HEAD(self) -> None:
        self._read_only()

    def do_OPTIONS(self) -> None:
        self._read_only()

    # -- the query operation
    def _query(self, params: dict[str, list[str]]) -> None:
        queries = params.get("query") or []
        if len(queries) != 1 or not queries[0].strip():
            return self._send(400, "请给出一个 query 参数（SPARQL 查询）\n")
        text = _PROLOGUE + queries[0]
        try:
            check_read_only(text)  # exactly the text that will run
        except QueryRefused as e:
            return self._send(400, f"查询被拒绝：{e}\n")
        extra = [(k, v) for k in ("default-graph-uri", "named-graph-uri") for v in params.get(k, [])]
        path = "/query" + ("?" + urlencode(extra) if extra else "")
        ep = self.endpoint
        backend = ep.backend()
        try:
            conn = backend.connection(timeout=ep.timeout_s + 10)
            try:
                conn.request("POST", path, body=text.encode("utf-8"), headers={
                    "Content-Type": "application/sparql-query; charset=utf-8",
                    "Accept": self.headers.get("Accept") or "application/sparql-results+json",
                })
                resp = conn.getresponse()
                self.send_response(resp.status)
                for h in ("Content-Type", "Content-Length", "Content-Disposition"):
                    if resp.getheader(h):
                        self.send_header(h, resp.getheader(h))
                self.send_header("X-Content-Type-Options", "nosniff")
                self.end_headers()
                while True:
                    chunk = resp.read(65536)
                    if not chunk:
                        break
                    self.wfile.write(chunk)
            finally:
                conn.close()
        except (OSError, http.client.HTTPException) as e:
            try:
                self._send(502, f"查询引擎不可用：{e}\n")
            except OSError:
                pass
        finally:
            backend.release()

    def _page(self) -> None:
        ep = self.endpoint
        prefixes = "".join(f"<li><code>{html.escape(k)}: &lt;{html.escape(v)}&gt;</code></li>" for k, v in sorted(PREFIXES.items()))
        page = f"""<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>政策知识图谱 SPARQL 端点</title></head>
<body><h1>政策知识图谱 · 只读 SPARQL 端点</h1>
<p>SPARQL 1.1 协议：<code>GET /query?query=…</code>，或 <code>POST /query</code>
（<code>application/sparql-query</code> 或表单 <code>query=…</code>）。默认图为所有命名图的并集；
更新、<code>LOAD</code> 与 <code>SERVICE</code> 会被拒绝；每个查询最多 {ep.timeout_s:g} 秒。</p>
<p>快照：{html.escape(ep.snapshot_time or "—")}（存储变化后几秒内自动刷新）。</p>
<p>预先声明的前缀：</p><ul>{prefixes}</ul></body></html>"""
        self._send(200, page, "text/html; charset=utf-8")


def serve(store: GraphStore, host: str = "127.0.0.1", port: int = 7878, *, timeout_s: float = 30.0,
          poll_s: float = 3.0, on_ready=None) -> None:
    """Run the endpoint until interrupted (Ctrl+C or SIGTERM)."""
    import signal

    ep = Endpoint(store, host, port, timeout_s=timeout_s, poll_s=poll_s).start()
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        if on_ready:
            on_ready(ep)
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        ep.stop()
