"""The store: embedded on-disk Oxigraph by default, in memory for tests; one interface.

Guarantees (tested in tests/test_store.py):

* ``replace_document`` drops a file's named graph and inserts the new one, together with its
  manifest record, in **one** SPARQL update — Oxigraph applies an update atomically, so a build that
  dies leaves each document in its previous or its new state, never half.
* **One writer at a time**: a build holds ``build.lock`` (non-blocking; a second build is told who
  holds it).  Readers never wait for a build's extraction work: the database itself is opened
  read-write only for the short commit of each document, under an exclusive ``access.lock``;
  readers take that lock shared for the duration of one query, so they see the state before or
  after a document's commit, never during it.
* The manifest (which file is in which graph, its digest and the pipeline version) lives in its
  own named graph, updated in the same transaction, and is never exported.
* A large write (a parallel build's batch of documents, a batch of lineage pair graphs) goes through
  Oxigraph's bulk loader, which is not one transaction: the graphs it writes are named in a file first,
  and a reader or writer that finds the file (the writer died) drops them before anything else; the
  manifest records of those documents are written after their graphs, so a document is never in the
  manifest with its graph half written.
"""
from __future__ import annotations

import fcntl
import os
import uuid
import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox
from rdflib import Literal, URIRef

from .errors import QueryRefused, StoreError, StoreLocked
from .iris import IRIs, Triple
from .vocab import KG, PREFIXES, RDF


@dataclass(frozen=True)
class ManifestEntry:
    source_path: str
    sha256: str
    doc_id: str
    graph: str
    pipeline_version: str
    #: digest of the decoded, whitespace-normalised text: the same content under two names is one document
    text_digest: str = ""
    #: ingestion order (1, 2, …; kept when a file is rebuilt or moved): orders versions without dates
    seq: int = 0
    #: a duplicate file: ``doc_id``/``graph`` are the original's document, which this file also backs
    duplicate: bool = False


def _apply_manifest(records: dict, ops: tuple) -> dict:
    """``records`` (source path → :class:`ManifestEntry`) after the operations of ``_Write.manifest``."""
    if not ops:
        return records
    out = dict(records)
    for op, x in ops:
        if op == "del":
            out.pop(x, None)
        else:
            out[x.source_path] = x
    return out


def _nt(term) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        lex = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if term.language:
            return f'"{lex}"@{term.language}'
        if term.datatype:
            return f'"{lex}"^^<{term.datatype}>'
        return f'"{lex}"'
    raise TypeError(f"unsupported term {term!r}")


def nt_lines(triples: Iterable[Triple]) -> str:
    """The triples as sorted, de-duplicated N-Triples lines (the body of an ``INSERT DATA``).

    The order is rdflib's order of the term tuples, computed on strings: every comparison the sort
    makes has the answer rdflib's would give (IRIs compare as their strings, an IRI sorts before any
    literal, two literals compare as rdflib's literals), and the sort sees the set in the same order,
    so it makes the same comparisons and gives the same sequence — without rdflib's ``__eq__`` and
    ``__lt__`` in Python on every comparison.  Subjects or predicates other than IRIs take rdflib's path."""
    uniq = set(triples)
    rows = []
    add = rows.append
    lits: dict[int, str] = {}  # id → N-Triples of a literal object (the graph writer shares repeated ones)
    for s, p, o in uniq:
        if type(s) is not URIRef or type(p) is not URIRef:
            return "\n".join(f"{_nt(s)} {_nt(p)} {_nt(o)} ." for s, p, o in sorted(uniq))
        ss, ps = str(s), str(p)
        if type(o) is URIRef:
            os_ = str(o)
            add(((ss, ps, 0, os_), f"<{ss}> <{ps}> <{os_}> ."))
        elif isinstance(o, Literal):
            lit = lits.get(id(o))
            if lit is None:
                lit = lits[id(o)] = _nt(o)
            add(((ss, ps, 1, o), f"<{ss}> <{ps}> {lit} ."))  # literal against literal: rdflib's own comparison
        else:
            return "\n".join(f"{_nt(s)} {_nt(p)} {_nt(o)} ." for s, p, o in sorted(uniq))
    rows.sort(key=_first)
    return "\n".join([r[1] for r in rows])


def _first(item):
    return item[0]


def to_ox(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")


_UPDATE_WORDS = re.compile(r"(?<![?$:\w])(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)(?![\w:])", re.I)
_SERVICE = re.compile(r"(?<![?$:\w])SERVICE(?![\w:])", re.I)
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')


def code_only(query: str) -> str:
    """The query with strings, IRIs and comments blanked out, in one left-to-right pass, so that a
    keyword can only be seen where SPARQL itself would read it."""
    out: list[str] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch == "#":
            j = query.find("\n", i)
            i = n if j < 0 else j
            continue
        if ch in "\"'":
            quote3 = query[i:i + 3]
            if quote3 in ('"""', "'''"):
                j = query.find(quote3, i + 3)
                i = n if j < 0 else j + 3
            else:
                j = i + 1
                while j < n and query[j] != ch and query[j] != "\n":
                    j += 2 if query[j] == "\\" else 1
                i = j + 1
            out.append(' "" ')
            continue
        if ch == "<":
            m = _IRIREF.match(query, i)
            if m:
                out.append(" <> ")
                i = m.end()
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def check_read_only(query: str) -> None:
    """Refuse anything but a read-only, local query: the lexer wall, then a real SPARQL parser whose
    parse tree and algebra are walked for updates, LOAD and SERVICE (kg/sparql_guard.py)."""
    from .sparql_guard import check_query

    check_query(query, PREFIXES)


@dataclass
class QueryResult:
    kind: str  # select | ask | graph
    variables: list[str]
    rows: list[dict]
    truncated: bool = False


def collect_solutions(res, limit: int) -> QueryResult:
    """At most ``limit`` rows of a SELECT's solutions, saying whether there were more."""
    vars_ = [v.value for v in res.variables]
    rows: list[dict] = []
    for row in res:
        if len(rows) >= limit:
            return QueryResult("select", vars_, rows, True)
        rows.append({v: _py(row[v]) for v in vars_})
    return QueryResult("select", vars_, rows, False)


def collect_triples(triples, limit: int) -> QueryResult:
    """At most ``limit`` triples of a CONSTRUCT or DESCRIBE, saying whether there were more."""
    rows: list[dict] = []
    for t in triples:
        if len(rows) >= limit:
            return QueryResult("graph", ["subject", "predicate", "object"], rows, True)
        rows.append({"subject": _py(t.subject), "predicate": _py(t.predicate), "object": _py(t.object)})
    return QueryResult("graph", ["subject", "predicate", "object"], rows, False)


def run_query(st: ox.Store, query: str, limit: int) -> QueryResult:
    """Run a (checked) user query on an open store, reading at most ``limit`` rows.

    The bookkeeping manifest graph (the graph holding ``kg:sourcePath``: absolute file paths on the
    build machine) is not part of the queried dataset — not in the default union, not reachable with
    ``GRAPH`` or ``FROM`` — so a shared app's SPARQL console does not show where files live."""
    hidden = {q.graph_name for q in st.quads_for_pattern(None, ox.NamedNode(str(KG.sourcePath)), None)}
    graphs = [g for g in st.named_graphs() if g not in hidden]
    res = st.query(query, default_graph=[ox.DefaultGraph(), *graphs], named_graphs=graphs, prefixes=PREFIXES)
    if isinstance(res, (bool, ox.QueryBoolean)):
        return QueryResult("ask", ["result"], [{"result": bool(res)}])
    if isinstance(res, ox.QuerySolutions):
        return collect_solutions(res, limit)
    return collect_triples(res, limit)


@dataclass
class _Write:
    """One queued document write: the whole update (one transaction), and the same split into what it drops
    and the N-Quads it adds (see :meth:`GraphStore.batched`)."""

    update: str
    drop: str
    quads: str
    removes: set[str]  # graph IRIs and manifest subjects the drop removes
    inserts: set[str]  # graph IRIs and manifest subjects the quads add to
    #: the manifest record's N-Quads (``quads`` then holds the graph's alone): loaded after the graph (see
    #: :meth:`GraphStore._load_quads`)
    records: str = ""
    graphs: tuple[str, ...] = ()  # the graphs ``quads`` fills
    #: what the write does to the manifest, in order: ``("del", path)`` drops a record, ``("put", entry)`` writes
    #: one (:meth:`GraphStore.manifest` keeps its memo current across this process's own writes with it)
    manifest: tuple = ()


#: characters of N-Triples per Oxigraph load transaction when a large derived graph is written
#: (:meth:`GraphStore.sync_graph`): ≈ 25 k triples of the target-links graph
LOAD_CHUNK_CHARS = 4_000_000
#: … and through the bulk loader, when a derived graph is written whole (:meth:`GraphStore._write_graph`)
BULK_CHUNK_CHARS = 24_000_000
#: a write of at least this many quads goes through Oxigraph's bulk loader (SST files built, then ingested into
#: every index at once), not a transaction: ≈ 9–13 µs of CPU a quad instead of 21–38 µs on this machine, on
#: several threads (bench/RESULTS.md); a smaller write stays one transaction (an ingestion per call would cost
#: more than it saves, and leave the database many small files)
BULK_MIN_QUADS = int(os.environ.get("KG_BULK_MIN_QUADS", "50000"))
#: the file in the store's folder naming the graphs a bulk load is writing (:meth:`GraphStore._load_quads`)
BULK_PENDING = "bulk-pending"
#: documents a parallel build's writer commits at once (:meth:`GraphStore.batched`), or fewer when their quads
#: reach :data:`BATCH_QUADS`: large enough for the bulk loader
BATCH_DOCS = 64
BATCH_QUADS = 400_000
#: subjects whose triples one Oxigraph update deletes from such a graph (≈ 25 k triples of the target-links graph)
DELETE_CHUNK = 2_000


def _quads(nt: str, graph: str) -> str:
    """N-Triples lines (one triple each, as :func:`nt_lines` writes them) as N-Quads in ``graph``."""
    if not nt:
        return ""
    tail = f" <{graph}> ."
    return "\n".join(line[:-2] + tail for line in nt.split("\n") if line)


class GraphStore:
    """``GraphStore(path)`` on disk, ``GraphStore(None)`` in memory."""

    def __init__(self, path: str | Path | None, base_iri: str) -> None:
        self.path = Path(path) if path is not None else None
        self.iris = IRIs(base_iri)
        self._mem: ox.Store | None = ox.Store() if self.path is None else None
        self.instance = uuid.uuid4().hex  # names an in-memory store in cache keys (id() is reused once freed)
        if self.path is not None:
            self.path.mkdir(parents=True, exist_ok=True)

    # ------------------------------------------------------------------ locking
    @property
    def _db_path(self) -> str:
        assert self.path is not None
        return str(self.path / "oxigraph")

    @contextmanager
    def build_lock(self) -> Iterator[None]:
        """Held for a whole build; a second build fails at once with :class:`StoreLocked`."""
        if self.path is None:
            yield
            return
        fd = os.open(self.path / "build.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
                raise StoreLocked(f"另一个构建正在写入该存储（进程 {holder}），请等待它结束", path=str(self.path))
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
            yield
        finally:
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)

    def _run(self, exclusive: bool, fn, manifest: tuple | None = None):
        """Open the database, run ``fn(store)``, close it — all under ``access.lock`` (exclusive for a
        writer, shared for readers).  ``fn`` must consume any result iterator before returning, so the
        database is closed (its last reference dropped) before the lock is released.

        ``manifest`` (a writer): what ``fn`` does to the manifest records (``_Write.manifest``: ``()`` for a
        write that leaves them alone; ``None``, the default, when unknown).  When the memo of
        :meth:`manifest` was current just before the write (its state token read under the write lock) and the
        write completes, the memo is brought forward (the operations applied, the new token taken, still
        under the lock): a build does not read the manifest of 1,000 documents again after each of its own
        writes.  Anything else — an unknown write, another writer in between, a failed write, a bulk load
        left by a killed process — drops the memo."""
        if self._mem is not None:
            if exclusive:
                self._generation = getattr(self, "_generation", 0) + 1
            return fn(self._mem)
        reader = getattr(self.__dict__.get("_readers"), "store", None)
        if reader is not None:  # inside reading(): the database is open already, under the shared lock
            if exclusive:
                raise StoreError("不能在读取块内写入存储", path=self._db_path)
            return fn(reader)
        if not exclusive:
            self._heal()
        fd = os.open(self.path / "access.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            carry = None  # the manifest memo to bring forward past this write
            done = False
            if exclusive:
                memo = self.__dict__.pop("_manifest_memo", None)
                if (manifest is not None and memo is not None and memo[0] == self.state_token()
                        and not (self.path / BULK_PENDING).exists()):
                    carry = memo[1]
            try:
                if exclusive:
                    store = ox.Store(self._db_path)
                elif not Path(self._db_path).exists():
                    store = ox.Store()  # nothing built yet: an empty view
                else:
                    store = ox.Store.read_only(self._db_path)
            except OSError as e:
                raise StoreError(f"无法打开存储: {e}", path=self._db_path) from e
            try:
                if exclusive:
                    self._recover_bulk(store)
                result = fn(store)
                if exclusive:
                    store.flush()
                    done = True
                return result
            finally:
                del store
                if exclusive:  # under the exclusive lock: readers see the new token with the new state
                    (self.path / "generation").write_text(f"{os.getpid()}-{time.time_ns()}-{os.urandom(4).hex()}")
                    if carry is not None and done:
                        token = self.state_token()
                        if token is not None:
                            self._manifest_memo = (token, _apply_manifest(carry, manifest))
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    @contextmanager
    def reading(self) -> Iterator[None]:
        """The selects inside the block share one opening of the database under one shared lock: a query that
        runs a dozen selects opens the store once, not a dozen times (each opening costs 10–100 ms and starts
        with cold caches).  Writers wait for the block to end; nested blocks reuse the outer one; per thread."""
        local = self.__dict__.setdefault("_readers", threading.local())
        if self._mem is not None or self.path is None or getattr(local, "store", None) is not None:
            yield
            return
        self._heal()
        fd = os.open(self.path / "access.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
            try:
                store = ox.Store.read_only(self._db_path) if Path(self._db_path).exists() else ox.Store()
            except OSError as e:
                raise StoreError(f"无法打开存储: {e}", path=self._db_path) from e
            local.store = store
            try:
                yield
            finally:
                local.store = None
                del store
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    # ------------------------------------------------------------------ writing
    @contextmanager
    def batched(self, max_docs: int = BATCH_DOCS, max_quads: int = BATCH_QUADS) -> Iterator[None]:
        """Queue the document writes (:meth:`replace_document`, :meth:`put_entry`, :meth:`remove_document`) and
        commit them ``max_docs`` at a time (fewer when their quads reach ``max_quads``), under one hold of the
        write lock, in an order that gives the same store as one transaction per file, at a fraction of the
        cost (opening the database and flushing it per file dominated a parallel build's writer).

        The embedded store runs a batch as one update that drops the old graphs and manifest records, then
        one load of the new graphs as N-Quads (:meth:`_load_quads`: Oxigraph's bulk loader for a large batch,
        else one transaction), then one transaction of their manifest records; a write that must follow a
        queued insert (a graph dropped again in the same batch) starts a new round.  A build killed in between
        leaves those files out of the manifest (a graph the bulk loader was writing is dropped at the next
        write), so the next build adds them again; a reader never sees the gap (it waits for the lock).  A
        SPARQL server gets each batch as one update request.  Reads inside the block do not see queued writes:
        the build reads only its in-memory manifest meanwhile."""
        self._batch: list[_Write] | None = []
        self._batch_max = max_docs
        self._batch_quads_max = max_quads
        self._batch_quads = 0
        try:
            yield
        finally:
            pending, self._batch = self._batch, None
            if pending:
                self._commit(pending)

    def _write(self, w: "_Write") -> None:
        batch = getattr(self, "_batch", None)
        if batch is None:
            self._run(True, lambda st: st.update(w.update), manifest=w.manifest)
            return
        batch.append(w)
        self._batch_quads += w.quads.count("\n") + 1 if w.quads else 0
        if len(batch) >= self._batch_max or self._batch_quads >= self._batch_quads_max:
            self._batch = []
            self._batch_quads = 0
            self._commit(batch)

    def _commit(self, writes: list["_Write"]) -> None:
        def run(st) -> None:
            if not hasattr(st, "load"):  # a SPARQL server (kg.store_sparql): one atomic update request
                st.update(" ;\n".join(w.update for w in writes))
                return
            drops: list[str] = []
            loads: list[str] = []
            records: list[str] = []
            inserted: set[str] = set()  # graphs and manifest subjects with a queued insert
            filled: list[str] = []  # the graphs of ``loads``

            def flush() -> None:
                if drops:
                    st.update(" ;\n".join(drops))
                self._load_quads(st, "\n".join(loads), filled, "\n".join(records))
                for x in (drops, loads, records, filled):
                    x.clear()
                inserted.clear()

            for w in writes:
                if w.removes & inserted:
                    flush()
                if w.drop:
                    drops.append(w.drop)
                if w.quads:
                    loads.append(w.quads)
                    inserted.update(w.inserts)
                    filled.extend(w.graphs)
                if w.records:
                    records.append(w.records)
                    inserted.update(w.inserts)
            flush()

        self._run(True, run, manifest=tuple(op for w in writes for op in w.manifest))

    def _bulk_ok(self, st, quads: int) -> bool:
        """Whether a write of ``quads`` quads goes through the bulk loader: an on-disk Oxigraph store, and at
        least :data:`BULK_MIN_QUADS` of them."""
        return self.path is not None and quads >= BULK_MIN_QUADS and hasattr(st, "bulk_load")

    def _load_quads(self, st, quads: str, graphs: Iterable[str], records: str = "") -> None:
        """Add the N-Quads ``quads`` (the content of ``graphs``, each dropped before), then ``records`` (what
        says those graphs are complete: their manifest records).  A large write goes through Oxigraph's bulk
        loader, which is not one transaction: the graphs are named in :data:`BULK_PENDING` first and the file
        removed once the load is flushed, so a process killed during the load leaves a list of graphs that the
        next write drops (:meth:`_recover_bulk`) before anything else; ``records`` follow in a transaction of
        their own.  A smaller write is one transaction of both."""
        if not quads:
            if records:
                st.load(records.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
            return
        if not self._bulk_ok(st, quads.count("\n") + 1):
            text = f"{quads}\n{records}" if records else quads
            st.load(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
            return
        pending = self.path / BULK_PENDING
        tmp = pending.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write("\n".join(sorted(set(graphs))) + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, pending)
        try:
            st.bulk_load(quads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
            st.flush()
        except BaseException:
            self._recover_bulk(st)  # the graphs it had begun to write are dropped (not left half written)
            raise
        pending.unlink()
        if records:
            st.load(records.encode("utf-8"), format=ox.RdfFormat.N_QUADS)

    def _heal(self) -> None:
        """Before a read: a bulk load's list of graphs left by a writer that died (:meth:`_load_quads`) is acted
        on first, under the write lock, so a reader never sees a graph half written.  One ``stat`` when there
        is none; a store this process may not write is read as it is."""
        if self.path is None or not (self.path / BULK_PENDING).exists():
            return
        try:
            self._run(True, lambda st: None)  # _run drops the graphs named (_recover_bulk)
        except (OSError, StoreError):
            pass

    def _recover_bulk(self, st) -> None:
        """Drop the graphs a bulk load named and did not finish (a process killed during it), so none stays
        half written; their documents are then out of the manifest, or their derived graphs missing, and the
        next build writes them again."""
        if self.path is None:
            return
        pending = self.path / BULK_PENDING
        try:
            graphs = [g for g in pending.read_text(encoding="utf-8").split("\n") if g]
        except FileNotFoundError:
            return
        for i in range(0, len(graphs), DELETE_CHUNK):
            st.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs[i:i + DELETE_CHUNK]))
        st.flush()
        pending.unlink()

    def _manifest_nt(self, src: URIRef, entry: ManifestEntry) -> str:
        return "\n".join(f"{_nt(s)} {_nt(p)} {_nt(o)} ." for s, p, o in self._manifest_triples(src, entry))

    def replace_document(self, graph: URIRef, triples: Iterable[Triple], entry: ManifestEntry,
                         *, forget_paths: Iterable[str] = (), drop_graphs: Iterable[str] = ()) -> None:
        """Drop ``graph`` and write ``triples`` and the manifest entry, in one transaction.

        ``triples`` may also come as the text :func:`nt_lines` makes of them (a parallel build's workers do
        that part of the writer's work).  ``forget_paths``: manifest records to drop in the same transaction
        (a file that moved, an original that a duplicate replaces); ``drop_graphs``: document graphs to drop
        with them."""
        forget_paths, drop_graphs = list(forget_paths), list(drop_graphs)
        src = self._source_node(entry.source_path)
        mg = self.iris.manifest_graph
        data = triples if isinstance(triples, str) else nt_lines(triples)
        manifest = self._manifest_nt(src, entry)
        drop = (self._forget(forget_paths, drop_graphs)
                + f"DROP SILENT GRAPH <{graph}> ;\n"
                f"DELETE WHERE {{ GRAPH <{mg}> {{ <{src}> ?p ?o }} }}")
        self._write(_Write(
            update=f"{drop} ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{data}\n}} GRAPH <{mg}> {{\n{manifest}\n}} }}",
            drop=drop, quads=_quads(data, str(graph)), records=_quads(manifest, str(mg)), graphs=(str(graph),),
            removes=self._removes(forget_paths, drop_graphs) | {str(graph), str(src)},
            inserts={str(graph), str(src)},
            manifest=(*(("del", p) for p in forget_paths), ("del", entry.source_path), ("put", entry))))

    def put_entry(self, entry: ManifestEntry, *, drop_graphs: Iterable[str] = (),
                  forget_paths: Iterable[str] = ()) -> None:
        """Write one manifest record (a duplicate file: no graph of its own), dropping ``drop_graphs`` (the
        file's former document) and the records of ``forget_paths`` in the same transaction."""
        drop_graphs = list(drop_graphs)
        src = self._source_node(entry.source_path)
        mg = self.iris.manifest_graph
        manifest = self._manifest_nt(src, entry)
        paths = [entry.source_path, *forget_paths]
        drop = self._forget(paths, drop_graphs).rstrip().rstrip(";").rstrip()
        self._write(_Write(update=f"{drop} ;\nINSERT DATA {{ GRAPH <{mg}> {{\n{manifest}\n}} }}", drop=drop,
                           quads="", records=_quads(manifest, str(mg)), removes=self._removes(paths, drop_graphs),
                           inserts={str(src)}, manifest=(*(("del", p) for p in paths), ("put", entry))))

    def remove_document(self, entry: ManifestEntry, *, keep_graph: bool = False) -> None:
        """Forget a file; drop its document graph too unless ``keep_graph`` (a duplicate: the document stays)."""
        graphs = [] if keep_graph else [entry.graph]
        drop = self._forget([entry.source_path], graphs).rstrip().rstrip(";").rstrip()
        self._write(_Write(update=drop, drop=drop, quads="", removes=self._removes([entry.source_path], graphs),
                           inserts=set(), manifest=(("del", entry.source_path),)))

    def _removes(self, paths: Iterable[str], graphs: Iterable[str]) -> set[str]:
        """The graphs and manifest subjects a write drops (see :meth:`_commit`)."""
        return {str(g) for g in graphs} | {str(self._source_node(p)) for p in paths}

    def _forget(self, paths: Iterable[str], graphs: Iterable[str]) -> str:
        mg = self.iris.manifest_graph
        return ("".join(f"DROP SILENT GRAPH <{g}> ;\n" for g in sorted(set(graphs)))
                + "".join(f"DELETE WHERE {{ GRAPH <{mg}> {{ <{self._source_node(p)}> ?p ?o }} }} ;\n"
                          for p in sorted(set(paths))))

    def replace_graph(self, graph: URIRef, triples: Iterable[Triple]) -> None:
        """Replace a derived graph (cross-document links) in one transaction."""
        self.replace_graphs([(graph, triples)])

    def replace_graphs(self, graphs: list[tuple[URIRef, Iterable[Triple] | str]]) -> None:
        """Replace several derived graphs under one hold of the write lock, so a reader sees all of them old
        or all new.  A graph's triples may also come as the text :func:`nt_lines` makes of them.

        The embedded store drops the graphs in one transaction and loads them with Oxigraph's bulk loader when
        they are large (:meth:`_load_quads`), else each with its N-Triples loader (about twice as fast as
        parsing an ``INSERT DATA``); a build that dies in between leaves some derived graphs missing (a graph
        the bulk loader was writing is dropped at the next write), and the next build's derived step
        recomputes exactly those (every derived graph is checked or rebuilt after every build).  A SPARQL
        server gets one update request."""
        if not graphs:
            return
        texts = [(str(g), t if isinstance(t, str) else nt_lines(t)) for g, t in graphs]

        def write(st) -> None:
            if not hasattr(st, "load"):  # a SPARQL server (kg.store_sparql): one atomic update request
                st.update(" ;\n".join(f"DROP SILENT GRAPH <{g}> ;\nINSERT DATA {{ GRAPH <{g}> {{\n{d}\n}} }}"
                                       for g, d in texts))
                return
            st.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g, _ in texts))
            if self._bulk_ok(st, sum(d.count("\n") + 1 for _, d in texts if d)):
                self._load_quads(st, "\n".join(_quads(d, g) for g, d in texts if d), [g for g, _ in texts])
                return
            for g, d in texts:
                if d:
                    st.load(d.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(g))

        self._run(True, write, manifest=self._neutral(g for g, _ in texts))

    def sync_graph(self, graph: URIRef, triples: Iterable[Triple], known: dict[str, str] | None = None,
                   *, keep: Iterable[str] | None = None) -> dict[str, str] | None:
        """Make the derived ``graph`` hold exactly ``triples``, writing only the subjects whose triples changed.

        ``known``: what the previous call returned (subject → digest of its triples).  The graph states the
        digest of its whole content (``<graph> kg:contentDigest``); only when it matches ``known`` are the
        changed subjects replaced (the old digest and those subjects deleted, their new triples and the new digest
        added: :meth:`_write_graph`); otherwise — a first sync, a lost ``known``, another writer, a build killed between those two
        steps (the digest is gone) — the graph is replaced whole.  Either way under one hold of the write
        lock.  Returns the new ``known``.  A SPARQL server gets one update request.

        ``keep``: subjects of ``known`` whose triples are unchanged and left out of ``triples`` (an incremental
        caller that did not compute them again); when the graph does not hold what ``known`` says, nothing is
        written and None is returned (the caller must give every triple).

        Memory: the N-Triples text of a subject is kept only until it is loaded (a whole replacement) or only
        for the subjects that changed (an incremental one); the store writes in bounded transactions."""
        import hashlib

        by_subject: dict[str, list[Triple]] = {}
        for t in triples:
            by_subject.setdefault(str(t[0]), []).append(t)
        g = str(graph)

        def digest(text: str) -> str:
            return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]

        def stamp(new: dict[str, str]) -> str:
            return f"<{g}> <{KG.contentDigest}> \"{content_digest(new)}\" ."

        if keep is not None and known is None:
            return None
        before = None
        if known is not None:
            rows = self.select(f"SELECT ?d WHERE {{ GRAPH <{g}> {{ <{g}> kg:contentDigest ?d }} }}", union=False)
            if [r["d"] for r in rows] == [content_digest(known)]:
                before = known
        if before is None:
            if keep is not None:
                return None
            # replaced whole: each subject's text made, digested and loaded in turn (never all held at once)
            new: dict[str, str] = {}

            def parts() -> Iterator[str]:
                for k in sorted(by_subject):
                    text = nt_lines(by_subject.pop(k))
                    new[k] = digest(text)
                    yield text
                yield stamp(new)

            self._write_graph(g, None, parts())
            return new
        new = {}
        changed: dict[str, str] = {}  # the texts of the subjects to write, only
        for k, ts in by_subject.items():
            text = nt_lines(ts)
            new[k] = digest(text)
            if before.get(k) != new[k]:
                changed[k] = text
        if keep is not None:
            keep = [k for k in keep if k not in new]
            if any(k not in known for k in keep):
                return None
            new.update((k, known[k]) for k in keep)
        if before == new:
            return new
        gone = sorted(k for k in before if new.get(k) != before[k])
        self._write_graph(g, gone, [*(changed[k] for k in sorted(changed)), stamp(new)])
        return new

    def _write_graph(self, g: str, gone: list[str] | None, parts: Iterable[str]) -> None:
        """Delete the triples of the subjects ``gone`` (``None``: every subject — the whole graph) and the graph's
        digest from graph ``g``, then add the N-Triples ``parts`` (each one subject's lines, the last one the new
        ``kg:contentDigest``) — under one hold of the write lock, so readers see the graph before or after, never
        between.

        The embedded store works in bounded transactions, since Oxigraph holds a transaction whole in memory (one
        load of the 1.7 M-triple target-links graph made the 1,000-document build's peak, and dropping it in one
        update cost as much): the old digest goes first, the subjects are deleted :data:`DELETE_CHUNK` at a time,
        the parts are loaded in order about :data:`LOAD_CHUNK_CHARS` characters at a time, each step flushed to
        disk (else RocksDB's write buffers kept growing with the graph: at 300 documents the write of the target
        links took 280 MiB above the process without the flushes, 53 MiB with them, and was faster), and the text
        of the whole graph is never joined into one string.  A build killed in between leaves the graph without a digest
        (the new one is in the last load), so the next :meth:`sync_graph` replaces it whole.  A SPARQL server gets
        one update request."""
        stamp_del = f"DELETE WHERE {{ GRAPH <{g}> {{ <{g}> <{KG.contentDigest}> ?d }} }}"

        def write(st) -> None:
            if not hasattr(st, "load"):  # a SPARQL server (kg.store_sparql): one atomic update request
                if gone is None:
                    deletes = f"DROP SILENT GRAPH <{g}>"
                else:
                    deletes = "".join(f"DELETE WHERE {{ GRAPH <{g}> {{ <{k}> ?p ?o }} }} ;\n" for k in gone) + stamp_del
                body = "\n".join(parts)
                st.update(f"{deletes} ;\nINSERT DATA {{ GRAPH <{g}> {{\n{body}\n}} }}")
                return
            st.update(stamp_del)
            flush = getattr(st, "flush", None) or (lambda: None)
            subjects = gone
            if subjects is None:
                found = [s for s, in st.query(f"SELECT DISTINCT ?s WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")]
                if all(isinstance(s, ox.NamedNode) for s in found):
                    subjects = [s.value for s in found]
                else:  # a blank node cannot be named in an update: the graph dropped in one
                    subjects = []
                    st.update(f"DROP SILENT GRAPH <{g}>")
            for i in range(0, len(subjects), DELETE_CHUNK):
                values = " ".join(f"<{k}>" for k in subjects[i:i + DELETE_CHUNK])
                st.update(f"DELETE {{ GRAPH <{g}> {{ ?s ?p ?o }} }} WHERE {{ VALUES ?s {{ {values} }} GRAPH <{g}> {{ ?s ?p ?o }} }}")
                flush()
            node = ox.NamedNode(g)
            # a whole graph goes through the bulk loader a few million characters at a time (with the graph named in
            # bulk-pending while it loads: a build killed meanwhile leaves no half graph, :meth:`_load_quads`); the
            # subjects of an incremental sync, few, in transactions
            bulk = gone is None and self.path is not None and hasattr(st, "bulk_load")
            limit = BULK_CHUNK_CHARS if bulk else LOAD_CHUNK_CHARS

            def load(chunk: list[str]) -> None:
                text = "\n".join(chunk)
                if bulk and self._bulk_ok(st, text.count("\n") + 1):
                    self._load_quads(st, _quads(text, g), [g])
                else:
                    st.load(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=node)

            chunk: list[str] = []
            size = 0
            for part in parts:
                chunk.append(part)
                size += len(part)
                if size >= limit:
                    load(chunk)
                    flush()
                    chunk, size = [], 0
            if chunk:
                load(chunk)

        self._run(True, write, manifest=self._neutral([g]))

    def drop_graph(self, graph: URIRef) -> None:
        """Remove a derived graph (a lineage pair that no longer holds)."""
        self._run(True, lambda st: st.update(f"DROP SILENT GRAPH <{graph}>"), manifest=self._neutral([graph]))

    def _neutral(self, graphs: Iterable) -> tuple | None:
        """``()`` (a write that leaves the manifest alone) for a write of ``graphs``, or None (unknown) when one
        of them is the manifest graph."""
        mg = str(self.iris.manifest_graph)
        return None if any(str(g) == mg for g in graphs) else ()

    def replace_subject(self, graph: URIRef, subject: URIRef | Iterable[URIRef], triples: Iterable[Triple]) -> None:
        """Replace everything ``subject`` (or each of several subjects) says in ``graph`` with ``triples``, in
        one transaction (a review, a link a person adds)."""
        subjects = [subject] if isinstance(subject, (str, URIRef)) else list(subject)
        data = nt_lines(triples)
        deletes = "".join(f"DELETE WHERE {{ GRAPH <{graph}> {{ <{x}> ?p ?o }} }} ;\n" for x in subjects)
        self._run(True, lambda st: st.update(f"{deletes}INSERT DATA {{ GRAPH <{graph}> {{\n{data}\n}} }}"))

    def _source_node(self, path: str) -> URIRef:
        import hashlib

        return URIRef(f"{self.iris.base}source/{hashlib.sha1(path.encode('utf-8')).hexdigest()[:16]}")

    def _manifest_triples(self, src: URIRef, e: ManifestEntry) -> list[Triple]:
        return [
            (src, RDF.type, KG.SourceRecord),
            (src, KG.sourcePath, Literal(e.source_path)),
            (src, KG.sha256, Literal(e.sha256)),
            (src, KG.documentId, Literal(e.doc_id)),
            (src, KG.namedGraph, URIRef(e.graph)),
            (src, KG.pipelineVersion, Literal(e.pipeline_version)),
            (src, KG.textDigest, Literal(e.text_digest)),
            (src, KG.ingestOrder, Literal(e.seq)),
            (src, KG.duplicateFile, Literal(e.duplicate)),
        ]

    # ------------------------------------------------------------------ reading
    def state_token(self) -> str | None:
        """A token that changes with every write made through this class, by any process (the query layer's
        caches are keyed by it: kg/query/search.py ``full_state``); ``None`` when the store cannot tell (a
        store no write of this version has touched yet, a server): callers then digest the content."""
        if self._mem is not None:
            return f"mem:{self.instance}:{getattr(self, '_generation', 0)}"
        if self.path is None:
            return None
        try:
            db = os.stat(self._db_path)
            token = (self.path / "generation").read_text()
        except OSError:
            return None
        return f"{db.st_ino}:{db.st_mtime_ns}:{token}"

    def manifest(self) -> dict[str, ManifestEntry]:
        """Source path → its :class:`ManifestEntry`.  Read once per state of the store (:meth:`state_token`, read
        before the records: a write in between only means reading again) — a build reads it five times (at
        1,000 documents, 0.15 s each)."""
        token = self.state_token()
        memo = self.__dict__.get("_manifest_memo")
        if token is not None and memo is not None and memo[0] == token:
            return dict(memo[1])
        out = self._read_manifest()
        if token is not None:
            self._manifest_memo = (token, out)
        return dict(out)

    def _read_manifest(self) -> dict[str, ManifestEntry]:
        q = f"""SELECT ?path ?sha ?id ?g ?v ?td ?seq ?dup WHERE {{ GRAPH <{self.iris.manifest_graph}> {{
              ?s <{KG.sourcePath}> ?path ; <{KG.sha256}> ?sha ; <{KG.documentId}> ?id ;
                 <{KG.namedGraph}> ?g ; <{KG.pipelineVersion}> ?v .
              OPTIONAL {{ ?s <{KG.textDigest}> ?td }} OPTIONAL {{ ?s <{KG.ingestOrder}> ?seq }}
              OPTIONAL {{ ?s <{KG.duplicateFile}> ?dup }} }} }}"""
        rows = self._run(False, lambda st: [
            ManifestEntry(r["path"].value, r["sha"].value, r["id"].value, r["g"].value, r["v"].value,
                          r["td"].value if r["td"] is not None else "",
                          int(r["seq"].value) if r["seq"] is not None else 0,
                          r["dup"] is not None and r["dup"].value == "true")
            for r in st.query(q)])
        return {e.source_path: e for e in rows}

    def is_empty(self) -> bool:
        """No manifest record (as :meth:`manifest` reads one: the same required properties), asked for at most
        one: every query command checks this first (the first-use rule), and reading the whole manifest of
        1,000 documents for it cost 0.12–0.15 s, twice for a command that opens the store twice."""
        q = f"""SELECT ?s WHERE {{ GRAPH <{self.iris.manifest_graph}> {{
              ?s <{KG.sourcePath}> ?path ; <{KG.sha256}> ?sha ; <{KG.documentId}> ?id ;
                 <{KG.namedGraph}> ?g ; <{KG.pipelineVersion}> ?v . }} }} LIMIT 1"""
        return not self._run(False, lambda st: [r["s"] for r in st.query(q)])

    def select(self, query: str, *, union: bool = True) -> list[dict[str, object]]:
        """Run a trusted SELECT from the query layer; values come back as Python strings/numbers."""
        def run(st: ox.Store) -> list[dict[str, object]]:
            res = st.query(query, use_default_graph_as_union=union, prefixes=PREFIXES)
            vars_ = [v.value for v in res.variables]
            return [{v: _py(row[v]) for v in vars_} for row in res]

        return self._run(False, run)

    def user_query(self, query: str, *, limit: int, timeout_s: float) -> QueryResult:
        """A user's SPARQL: read-only, no SERVICE, at most ``limit`` rows, at most ``timeout_s`` seconds.

        On disk the query runs in a child process that is killed at the deadline, so an abandoned
        query never keeps the store open or its lock held.
        """
        check_read_only(query)
        if self._mem is not None:
            try:
                return run_query(self._mem, query, limit)
            except SyntaxError as e:
                raise QueryRefused(f"SPARQL 语法错误: {e}") from e
        import json
        import subprocess
        import sys

        payload = json.dumps({"path": str(self.path), "base": self.iris.base, "query": query, "limit": limit})
        try:
            proc = subprocess.run([sys.executable, "-m", "kg.query_worker"], input=payload, capture_output=True,
                                  text=True, timeout=timeout_s)
        except subprocess.TimeoutExpired:
            raise QueryRefused(f"查询超过 {timeout_s:g} 秒的时间上限，已终止") from None
        if proc.returncode != 0 and _out_of_memory(proc.stderr):
            raise QueryRefused(f"查询超出内存上限（{_memory_limit_text()}），已终止；请缩小查询范围（加 LIMIT、过滤条件）")
        if proc.returncode != 0 or not proc.stdout.strip():
            raise QueryRefused(f"查询失败: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else proc.returncode}")
        out = json.loads(proc.stdout)
        if "error" in out:
            raise QueryRefused(out["error"])
        return QueryResult(out["kind"], out["variables"], out["rows"], out["truncated"])

    def quads(self, *, include_manifest: bool = False) -> list[ox.Quad]:
        mg = str(self.iris.manifest_graph)
        return self._run(False, lambda st: [
            q for q in st.quads_for_pattern(None, None, None, None)
            if include_manifest or not (isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == mg)])


def content_digest(known: dict[str, str]) -> str:
    """The digest a derived graph states of its content (``kg:contentDigest``, :meth:`GraphStore.sync_graph`):
    over the digest of each subject's triples."""
    import hashlib

    return hashlib.sha1("\n".join(map(" ".join, sorted(known.items()))).encode("utf-8")).hexdigest()


def _out_of_memory(stderr: str) -> bool:
    """The worker hit its address-space limit (kg/query_worker.py): Rust aborts, Python raises."""
    signs = ("memory allocation of", "MemoryError", "查询超出内存上限", "std::bad_alloc", "Cannot allocate memory",
             "Resource temporarily unavailable")  # the last: threads cannot get their stacks
    return any(s in stderr for s in signs)


def _memory_limit_text() -> str:
    from .query_worker import memory_limit_bytes

    lim = memory_limit_bytes()
    if not lim:
        return "系统内存"
    return f"{lim // 2**30} GiB" if lim % 2**30 == 0 else f"{lim // 2**20} MiB"


def _py(term):
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype is not None else ""
        if dt.endswith("#integer"):
            return int(term.value)
        if dt.endswith("#decimal") or dt.endswith("#double") or dt.endswith("#float"):
            return float(term.value)
        if dt.endswith("#boolean"):
            return term.value == "true"
        return term.value
    return term.value
