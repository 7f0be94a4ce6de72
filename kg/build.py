"""Incremental ingest of files and folders into the store.

Unchanged files (same path, same bytes, same pipeline version) are skipped; a changed file
replaces its named graph in one transaction; a file deleted from a folder that was built before
disappears from the graph when that folder is built again.  One bad file is reported with its
reason and never stops the others.

*Duplicates.*  A file whose decoded, whitespace-normalised text has the same digest as a document
already in the store (whose file still exists) is not a second document: its manifest record points
at that document (``duplicate``), ``kg docs`` lists it in ``source_files``, and the build reports it
as ``duplicate``.  When the original file is deleted and a duplicate remains, the duplicate becomes
the document's source in the same transaction that drops the original (the document is rebuilt from
it, so the store is the one a clean build of the remaining files gives); deleting every copy removes
the document.  A duplicate whose original changed or vanished is re-ingested (:meth:`_Build.reconcile`).

*Versions.*  After the documents, :func:`update_versions` recomputes the derived graph
``{base}graph/versions``: documents with the same normalised 文号 are ordered by 成文日期, else 印发日期,
else ingestion order (kept in the manifest), and each newer one ``kg:supersedes`` the previous version.
Then ``after_docs`` (the cross-document derived graphs) runs — on every build, even when no file
changed, so a build that died before or during that step is completed by the next one.
"""
from __future__ import annotations

import hashlib
import os
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from rdflib import URIRef

from .errors import KGError
from .graph import doc_triples
from .iris import Triple
from .pipeline import PROGRESS_MIN_CHARS, ProcessedDoc, doc_id_for, process_source
from .read import SUPPORTED, os_error_reason, read_bytes
from .store import GraphStore, ManifestEntry, nt_lines
from .vocab import KG


#: where a document's graph comes from: these modules, those they import and the ontology's data
#: (:func:`kg.codeversion.code_version`)
PIPELINE_ROOTS = ("kg.pipeline", "kg.graph", "kg.build")


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """A digest of the code and data a document's graph depends on: a new version of the pipeline rebuilds every
    file; a new version of the query layer, the app or the steps derived across documents does not."""
    from .codeversion import code_version

    return code_version(PIPELINE_ROOTS)


@dataclass
class FileResult:
    path: str
    status: str  # added | updated | unchanged | duplicate | failed | removed | skipped (a hidden file in a folder)
    doc_id: str | None = None
    reason: str | None = None
    warnings: list[str] = field(default_factory=list)
    clauses: int = 0


def expand(paths: Iterable[str | Path]) -> tuple[list[Path], list[Path], list[FileResult]]:
    """Files to ingest, folders that were named (for deletions), and paths that do not exist."""
    files: list[Path] = []
    folders: list[Path] = []
    missing: list[FileResult] = []
    for p in paths:
        try:
            p = Path(p).expanduser().resolve()
        except (RuntimeError, OSError) as e:  # a symlink loop named directly
            missing.append(FileResult(str(p), "failed", reason=os_error_reason(e)))
            continue
        if p.is_dir():
            folders.append(p)
            files.extend(sorted(x for x in p.rglob("*") if x.is_file() and x.suffix.lower() in SUPPORTED
                                and not _skipped(x.relative_to(p))))
            missing.extend(FileResult(str(x), "skipped", reason="隐藏文件（名称以 . 或 _ 开头），已跳过；要导入请直接指定该文件")
                           for x in sorted(p.rglob("[._]*")) if x.is_file() and x.suffix.lower() in SUPPORTED
                           and not _skipped(x.relative_to(p).parent))
        elif p.is_file():
            files.append(p)
        else:
            missing.append(FileResult(str(p), "failed", reason="文件或目录不存在"))
    seen, uniq = set(), []
    for f in files:
        if f not in seen:
            seen.add(f)
            uniq.append(f)
    return uniq, folders, missing


def _skipped(rel: Path) -> bool:
    """Hidden files and folders, and a folder's README, are not policy documents."""
    if any(part.startswith((".", "_")) for part in rel.parts):
        return True
    return rel.stem.lower() in ("readme", "license", "changelog")


def build(store: GraphStore, paths: Iterable[str | Path], *, force: bool = False,
          on_file: Callable[[int, int, Path], None] | None = None,
          on_progress: Callable[[int, int, Path], None] | None = None,
          after_docs: Callable[[GraphStore], None] | None = None,
          workers: int | None = None, dask_address: str | None = None) -> list[FileResult]:
    """``workers``: processes that run the pipeline ahead of the (single) writer — ``1`` runs everything in
    this process, ``None`` uses every core when more than :data:`PARALLEL_MIN_FILES` files need processing;
    ``dask_address``: run the pipeline on that Dask cluster instead (``tcp://host:port``).  Either way the store
    is written by this process alone, file by file in the order of ``files``, so the store ends the same."""
    files, folders, results = expand(paths)
    positions = {r.path: i for i, r in enumerate(results)}
    with store.build_lock():
        b = _Build(store, store.manifest(), pipeline_version())
        b.on_progress = on_progress  # (characters done, total, file) while a big file is processed
        with _prefetcher(b, files, force, workers, dask_address) as ahead, _batched(store, ahead is not None):
            for n, f in enumerate(files, 1):
                pre = ahead.take(n - 1, f) if ahead is not None else None
                if on_file:
                    on_file(n, len(files), f)
                _put(results, positions, b.one(f, force, pre=pre))
        for folder in folders:
            for path, e in sorted(b.manifest.items()):
                if b.manifest.get(path) is e and _is_under(Path(path), folder) and not Path(path).exists():
                    for r in b.remove(e):
                        _put(results, positions, r)
        for r in b.reconcile():
            _put(results, positions, r)
        update_versions(store)
        if after_docs is not None:
            after_docs(store)  # always: a build that died before or during this step is completed here
    return results


def _put(results: list[FileResult], positions: dict[str, int], r: FileResult) -> None:
    """One result per file: a file ingested again later in the build (a duplicate whose original went away)
    reports its final outcome, in its first place (``positions``: path → index in ``results``)."""
    i = positions.get(r.path)
    if i is not None:
        results[i] = r
        return
    positions[r.path] = len(results)
    results.append(r)


def _is_under(p: Path, folder: Path) -> bool:
    try:
        p.relative_to(folder)
        return True
    except ValueError:
        return False


_WS = re.compile(r"\s+")


def text_digest(text: str) -> str:
    """The digest of a document's content: decoded text, whitespace runs collapsed (line ends, indentation,
    trailing spaces and blank lines do not make a different document)."""
    return hashlib.sha256(_WS.sub(" ", text).strip().encode("utf-8")).hexdigest()


class _Build:
    """One build's view of the manifest, kept in step with every transaction it commits."""

    def __init__(self, store: GraphStore, manifest: dict[str, ManifestEntry], version: str) -> None:
        self.store = store
        self.manifest = manifest
        self.version = version
        self.by_id = {e.doc_id: e for e in manifest.values() if not e.duplicate}  # originals only
        self.by_digest = {e.text_digest: e for e in sorted(manifest.values(), key=lambda e: (e.seq, e.source_path),
                                                           reverse=True)
                          if not e.duplicate and e.text_digest}
        self.next_seq = max((e.seq for e in manifest.values()), default=0) + 1

    def _seq(self, *olds: ManifestEntry | None) -> int:
        for o in olds:
            if o is not None and o.seq:
                return o.seq
        self.next_seq += 1
        return self.next_seq - 1

    def _forget(self, e: ManifestEntry) -> None:
        self.manifest.pop(e.source_path, None)
        if self.by_id.get(e.doc_id) is e:
            self.by_id.pop(e.doc_id)
        if self.by_digest.get(e.text_digest) is e:
            self.by_digest.pop(e.text_digest)

    def _record(self, e: ManifestEntry) -> None:
        self.manifest[e.source_path] = e
        if not e.duplicate:
            self.by_id[e.doc_id] = e
            self.by_digest[e.text_digest] = e

    def one(self, f: Path, force: bool, *, replaces: ManifestEntry | None = None,
            pre: Prepared | None = None) -> FileResult:
        """Ingest one file.  ``replaces``: an original whose file is gone and which this duplicate takes over
        (dropped in the same transaction); ``pre``: the file already read and processed by a worker
        (:func:`prepare`), used only if the file's bytes have not changed since."""
        key = str(f)
        try:
            data = f.read_bytes()
        except OSError as e:
            return FileResult(key, "failed", reason=os_error_reason(e))
        sha = hashlib.sha256(data).hexdigest()
        old = self.manifest.get(key)
        if old and old.sha256 == sha and old.pipeline_version == self.version and old.text_digest and not force:
            return FileResult(key, "unchanged", doc_id=old.doc_id)
        doc_id = doc_id_for(f.name)
        if pre is not None and pre.sha256 != sha:
            pre = None  # the file changed after it was sent to a worker
        if pre is not None:
            src, reason, digest = None, pre.read_error, pre.digest
        else:
            src, reason = _read_source(data, f.name, key)
            digest = text_digest(src.text) if src is not None else ""
        if reason is not None:
            return FileResult(key, "failed", doc_id=doc_id, reason=reason)
        # the file's former own document, if it had one (dropped when the file now repeats another document)
        former = [old.graph] if old is not None and not old.duplicate else []

        orig = self.by_digest.get(digest)
        if orig is not None and orig.source_path != key and Path(orig.source_path).exists():
            entry = ManifestEntry(key, sha, orig.doc_id, orig.graph, self.version, digest, self._seq(old), True)
            gone = [x for x in (old, replaces) if x is not None]
            drop = former + ([replaces.graph] if replaces is not None else [])
            self.store.put_entry(entry, drop_graphs=[g for g in drop if g != orig.graph],
                                 forget_paths=[replaces.source_path] if replaces is not None else [])
            for x in gone:
                self._forget(x)
            self._record(entry)
            return FileResult(key, "duplicate", doc_id=orig.doc_id,
                              reason=f"与 {Path(orig.source_path).name} 内容相同，作为同一文件（{orig.doc_id}）的重复副本记录，不另建文件")

        other = self.by_id.get(doc_id)
        if other is not None and other.source_path != key and Path(other.source_path).exists():
            return FileResult(key, "failed", doc_id=doc_id,
                              reason=f"文件标识 {doc_id} 已被 {other.source_path} 使用；请重命名其中一个文件")
        if pre is not None:
            doc, reason = pre.unpack(), pre.error
            if reason is None and pre.version != self.version:
                doc, reason = None, (f"工作节点上的流水线版本（{pre.version}）与本机（{self.version}）不同；"
                                     "请在各节点安装相同版本的本项目")
            elif doc is not None and getattr(self, "on_progress", None) and doc.chars >= PROGRESS_MIN_CHARS:
                self.on_progress(doc.chars, doc.chars, f)  # processed elsewhere: report it done
        else:
            progress = getattr(self, "on_progress", None)
            doc, reason = _process(src, self.store.iris.base, self.version, None if progress is None else (
                lambda done, total: progress(done, total, f)))
        if reason is not None:
            return FileResult(key, "failed", doc_id=doc_id, reason=reason)
        graph, triples = doc.graph, doc.triples
        moved = other if other is not None and other.source_path != key else None  # the old path is gone
        gone = [x for x in (moved, replaces) if x is not None]
        entry = ManifestEntry(key, sha, doc.doc_id, str(graph), self.version, digest, self._seq(old, moved, replaces))
        self.store.replace_document(graph, triples, entry, forget_paths=[x.source_path for x in gone],
                                    drop_graphs=[g for g in former + [x.graph for x in gone] if g != str(graph)])
        for x in gone + ([old] if old is not None else []):
            self._forget(x)
        self._record(entry)
        if replaces is not None:
            status, reason = "updated", f"原文件 {Path(replaces.source_path).name} 已删除，本文件（内容相同）接替为该文件的来源"
        elif old is not None and old.duplicate:
            status, reason = "added", "曾是重复副本；与原文件内容已不相同，作为独立文件入库"
        else:
            status, reason = ("updated" if old else "added"), None
        return FileResult(key, status, doc_id=doc.doc_id, reason=reason, warnings=doc.warnings,
                          clauses=doc.clauses)

    def remove(self, e: ManifestEntry) -> list[FileResult]:
        """A file deleted from a folder that was built before."""
        if e.duplicate:
            self.store.remove_document(e, keep_graph=True)
            self._forget(e)
            return [FileResult(e.source_path, "removed", doc_id=e.doc_id, reason="重复副本已删除；文件本身仍由其他副本承载")]
        heirs = sorted((d for d in self.manifest.values() if d.duplicate and d.doc_id == e.doc_id
                        and d.text_digest == e.text_digest and Path(d.source_path).exists()),
                       key=lambda d: (d.seq, d.source_path))
        for heir in heirs:
            r = self.one(Path(heir.source_path), True, replaces=e)
            if r.status == "duplicate":  # its content is now another document's (a copy ingested earlier)
                return [FileResult(e.source_path, "removed", doc_id=e.doc_id, reason="文件已删除，已从图谱移除"), r]
            if r.status != "failed":
                return [FileResult(e.source_path, "removed", doc_id=e.doc_id,
                                   reason=f"文件已删除；内容相同的 {Path(heir.source_path).name} 仍在，文件改由它承载（标识 {r.doc_id}）"),
                        r]
        self.store.remove_document(e)
        self._forget(e)
        return [FileResult(e.source_path, "removed", doc_id=e.doc_id, reason="文件已删除，已从图谱移除")]

    def reconcile(self) -> list[FileResult]:
        """Make the duplicates consistent after the files and deletions of this build (or of a build that died):

        * two documents with the same content (a new copy was ingested before its original's deletion was
          seen): the later one (by ingestion order) becomes a duplicate of the earlier;
        * a duplicate whose original changed or is gone is ingested again: it becomes a duplicate of a
          document with its content, or a document of its own."""
        out: list[FileResult] = []
        groups: dict[str, list[ManifestEntry]] = {}
        for e in self.manifest.values():
            if not e.duplicate and e.text_digest and Path(e.source_path).exists():
                groups.setdefault(e.text_digest, []).append(e)
        for digest, es in sorted(groups.items()):
            if len(es) < 2:
                continue
            es.sort(key=lambda e: (e.seq, e.source_path))
            self.by_digest[digest] = es[0]
            for e in es[1:]:
                out.append(self.one(Path(e.source_path), True))
        for e in sorted((e for e in self.manifest.values() if e.duplicate), key=lambda e: (e.seq, e.source_path)):
            if self.manifest.get(e.source_path) is not e:
                continue
            orig = self.by_id.get(e.doc_id)
            if orig is not None and orig.text_digest == e.text_digest:
                continue
            if Path(e.source_path).exists():
                out.append(self.one(Path(e.source_path), True))
            else:
                self.store.remove_document(e, keep_graph=True)
                self._forget(e)
                out.append(FileResult(e.source_path, "removed", doc_id=e.doc_id, reason="重复副本已删除"))
        return out


# ---------------------------------------------------------------------------------------------- parallel build
#: a build with more files than this to process uses every core unless told otherwise (``workers``)
PARALLEL_MIN_FILES = 8


@dataclass
class Processed:
    """What the writer needs from one processed file: its named graph and triples, and the report fields."""
    doc_id: str
    graph: URIRef
    triples: list[Triple] | str  # or already as N-Triples text (store.nt_lines)
    warnings: list[str]
    clauses: int
    chars: int = 0  # length of the cleaned text (progress reports)


@dataclass
class Prepared:
    """One file read and processed by a worker (:func:`prepare`) — plain, picklable data; no store."""
    sha256: str
    version: str  # the worker's pipeline version: a cluster node with other code must not write
    digest: str = ""
    read_error: str | None = None
    error: str | None = None  # the pipeline failed (after the duplicate checks this is the file's outcome)
    doc_id: str = ""
    graph: str = ""
    nt: str = ""  # the graph's triples as the writer puts them in the store (store.nt_lines: sorted N-Triples)
    warnings: list[str] = field(default_factory=list)
    clauses: int = 0
    chars: int = 0

    def unpack(self) -> Processed | None:
        if self.error is not None or self.read_error is not None:
            return None
        return Processed(self.doc_id, URIRef(self.graph), self.nt, self.warnings, self.clauses, self.chars)


def _read_source(data: bytes, name: str, key: str):
    """(SourceDoc, None) or (None, the reason it cannot be read)."""
    try:
        return read_bytes(data, name=name, path=key), None
    except KGError as e:
        return None, e.reason
    except Exception as e:  # noqa: BLE001 - a reader bug on one file must not stop the others
        return None, f"内部错误 {type(e).__name__}: {e}"


def _process(src, base: str, version: str, on_progress=None) -> tuple[Processed | None, str | None]:
    """(Processed, None) or (None, the reason the pipeline failed on this file)."""
    try:
        doc: ProcessedDoc = process_source(src, on_progress=on_progress)
        graph, triples = doc_triples(doc, base, version)
    except KGError as e:
        return None, e.reason
    except Exception as e:  # noqa: BLE001 - a pipeline bug on one file must not stop the others
        return None, f"内部错误 {type(e).__name__}: {e}"
    return Processed(doc.doc_id, graph, triples, doc.warnings, len(doc.all_clauses()), len(doc.clean.text)), None


def prepare(key: str, name: str, data: bytes, base: str) -> Prepared:
    """The per-file work of a build, run in a worker process or on a Dask worker: bytes → decoded text,
    digest, named graph and triples.  Pure (no store, no file access: ``key`` is the file's path for
    messages); never raises — a file that fails comes back as a failed :class:`Prepared`."""
    version = pipeline_version()
    out = Prepared(hashlib.sha256(data).hexdigest(), version)
    try:
        src, out.read_error = _read_source(data, name, key)
        if src is None:
            return out
        out.digest = text_digest(src.text)
        doc, out.error = _process(src, base, version)
        if doc is None:
            return out
        out.nt = nt_lines(doc.triples)  # the sort and the formatting: work taken off the single writer
        out.doc_id, out.graph = doc.doc_id, str(doc.graph)
        out.warnings, out.clauses, out.chars = list(doc.warnings), doc.clauses, doc.chars
    except Exception as e:  # noqa: BLE001 - e.g. a term the store cannot hold: this file fails, not the build
        out.error, out.nt = f"内部错误 {type(e).__name__}: {e}", ""
    return out


class _Ahead:
    """Runs :func:`prepare` on the files ahead of the writer, at most ``window`` files at a time (bounded
    memory), and hands each result over in file order (:meth:`take`).  Files the manifest shows unchanged
    are not sent.  A subclass supplies the executor (:meth:`_submit`, :meth:`_result`)."""

    window = 8

    def __init__(self, b: _Build, files: list[Path], force: bool) -> None:
        self.b, self.files, self.force = b, files, force
        self.base = b.store.iris.base
        self.next = 0  # the next file to consider sending
        self.pending: dict[str, tuple[object, tuple]] = {}  # path → (future, args)

    def _wanted(self, f: Path) -> tuple | None:
        key = str(f)
        try:
            data = f.read_bytes()
        except OSError:
            return None  # the writer reports it
        old = self.b.manifest.get(key)
        if (old and not self.force and old.pipeline_version == self.b.version and old.text_digest
                and old.sha256 == hashlib.sha256(data).hexdigest()):
            return None  # unchanged
        return (key, f.name, data, self.base)

    def take(self, i: int, f: Path) -> Prepared | None:
        """The worker's result for ``files[i]`` (waiting for it), after sending the files up to ``i + window``."""
        while self.next < len(self.files) and self.next <= i + self.window:
            g = self.files[self.next]
            self.next += 1
            args = self._wanted(g)
            if args is not None:
                self.pending[str(g)] = (self._submit(args), args)
        fut, args = self.pending.pop(str(f), (None, None))
        if fut is None:
            return None
        try:
            return self._result(fut, args)
        except KGError:
            raise
        except Exception as e:  # noqa: BLE001 - the executor lost this file: it fails alone
            return Prepared(hashlib.sha256(args[2]).hexdigest(), self.b.version,
                            read_error=f"并行处理该文件失败（{type(e).__name__}: {e}）")

    def _submit(self, args: tuple):  # pragma: no cover - abstract
        raise NotImplementedError

    def _result(self, fut, args: tuple) -> Prepared:  # pragma: no cover - abstract
        raise NotImplementedError

    def close(self) -> None:
        pass


class _PoolAhead(_Ahead):
    """A local process pool; each worker loads the pipeline once, on its first file.  On Linux the workers are
    forked (they start at once, with the modules already imported, and a script calling :func:`build` needs
    no ``if __name__ == "__main__"`` guard); elsewhere they are spawned (the guard is then required)."""

    def __init__(self, b: _Build, files: list[Path], force: bool, workers: int) -> None:
        super().__init__(b, files, force)
        self.workers = workers
        self.window = 4 * workers
        self.broken = 0  # files in a row whose worker died even when sent alone
        self.pool = self._pool()

    def _pool(self):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        ctx = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx, initializer=_die_with_parent,
                                   initargs=(os.getpid(),))

    def _submit(self, args: tuple):
        return self.pool.submit(prepare, *args)

    def _result(self, fut, args: tuple) -> Prepared:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return fut.result()
        except BrokenProcessPool:
            # a worker died (killed, out of memory) and took the pool with it: this file alone on a fresh pool
            # tells whether it is the cause; then the others are sent again
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = self._pool()
            try:
                out = self.pool.submit(prepare, *args).result()
                self.broken = 0
            except BrokenProcessPool:
                self.pool.shutdown(wait=False, cancel_futures=True)
                self.broken += 1
                if self.broken >= 3:  # not one file: the workers cannot run here
                    raise KGError("并行构建的工作进程接连意外退出；请改用 --workers 1") from None
                self.pool = self._pool()
                out = Prepared(hashlib.sha256(args[2]).hexdigest(), self.b.version,
                               read_error="处理该文件的工作进程意外退出（内存不足或被终止）")
            for key, (_, a) in list(self.pending.items()):
                self.pending[key] = (self.pool.submit(prepare, *a), a)
            return out

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class _DaskAhead(_Ahead):
    """A Dask cluster (``distributed.Client(address)``).  Every worker must run this project, same version
    (a node with other code is refused file by file: :attr:`Prepared.version`)."""

    def __init__(self, b: _Build, files: list[Path], force: bool, address: str) -> None:
        super().__init__(b, files, force)
        try:
            from distributed import Client
        except ImportError as e:
            raise KGError("使用 Dask 集群需要安装 dask 与 distributed（pip install 'dask[distributed]'）") from e
        try:
            self.client = Client(address, timeout=30)
        except (OSError, TimeoutError) as e:
            raise KGError(f"无法连接 Dask 调度器 {address}：{e}") from e
        threads = sum(self.client.nthreads().values()) or 1
        self.window = max(8, 4 * threads)

    def _submit(self, args: tuple):
        return self.client.submit(prepare, *args, pure=False)

    def _result(self, fut, args: tuple) -> Prepared:
        try:
            return fut.result()
        finally:
            fut.release()

    def close(self) -> None:
        for fut, _ in self.pending.values():
            fut.cancel()
        self.client.close()


@contextmanager
def _batched(store: GraphStore, on: bool):
    """A parallel build's writer commits documents in batches (:meth:`GraphStore.batched`), else it would be
    the bottleneck; a build in one process keeps one transaction per file."""
    batched = getattr(store, "batched", None) if on else None
    if batched is None:
        yield
        return
    with batched():
        yield


def _die_with_parent(parent: int) -> None:
    """A pool worker ends when the build does, even when the build is killed (``kill -9``): no orphans."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            return
    if os.getppid() != parent:  # the build died before the line above
        os._exit(1)


@contextmanager
def _prefetcher(b: _Build, files: list[Path], force: bool, workers: int | None, dask_address: str | None):
    """The executor for this build, or ``None`` (everything in this process)."""
    if dask_address:
        ahead: _Ahead | None = _DaskAhead(b, files, force, dask_address)
    else:
        if workers is None:
            todo = sum(1 for f in files if (e := b.manifest.get(str(f))) is None or force
                       or e.pipeline_version != b.version)  # a cheap estimate: no file is read here
            workers = (os.cpu_count() or 1) if todo > PARALLEL_MIN_FILES else 1
        workers = min(workers, len(files))
        ahead = _PoolAhead(b, files, force, workers) if workers > 1 else None
    try:
        yield ahead
    finally:
        if ahead is not None:
            ahead.close()


# ---------------------------------------------------------------------------------------------- versions
_VERSION_DOCS = """
SELECT DISTINCT ?d ?id ?num ?ddoc ?dpub WHERE {
  ?d a kg:SourceDocument ; kg:documentId ?id .
  OPTIONAL { ?d eli:id_local ?num }
  OPTIONAL { ?d eli:date_document ?ddoc }
  OPTIONAL { ?d eli:date_publication ?dpub }
}
"""


def version_order(members: list[tuple[str, str | None, int]]) -> list[str]:
    """Oldest first.  ``members``: (doc IRI, date or None, ingestion order).  Dated versions are ordered by
    date among themselves (equal dates: by ingestion); a version without any date keeps its place in the
    ingestion order."""
    by_seq = sorted(members, key=lambda m: (m[2], m[0]))
    dated = iter(sorted((m for m in by_seq if m[1]), key=lambda m: (m[1], m[2], m[0])))
    return [next(dated)[0] if m[1] else m[0] for m in by_seq]


def version_triples(store: GraphStore) -> list[Triple]:
    from rdflib import URIRef

    from .extract.docnumber import normalize_doc_number

    seq: dict[str, int] = {}
    for e in store.manifest().values():
        if not e.duplicate:
            seq[e.doc_id] = min(seq.get(e.doc_id, e.seq), e.seq)
    groups: dict[str, dict[str, tuple[str, str | None, int]]] = {}
    for r in store.select(_VERSION_DOCS):
        if not r["num"]:
            continue
        key = normalize_doc_number(str(r["num"]))
        date = r["ddoc"] or r["dpub"]
        groups.setdefault(key, {})[r["d"]] = (r["d"], str(date)[:10] if date else None, seq.get(r["id"], 0))
    out: list[Triple] = []
    for _, members in sorted(groups.items()):
        order = version_order(list(members.values()))
        for older, newer in zip(order, order[1:]):
            out.append((URIRef(newer), KG.supersedes, URIRef(older)))
    return out


def update_versions(store: GraphStore) -> int:
    """Recompute the versions graph from the documents in the store, in one transaction (idempotent)."""
    triples = version_triples(store)
    store.replace_graph(store.iris.versions_graph, triples)
    return len(triples)
