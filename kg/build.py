"""Incremental ingest of files and folders into the store.

Unchanged files (same path, same bytes, same pipeline version) are skipped; a changed file
replaces its named graph in one transaction; a file deleted from a folder that was built before
disappears from the graph when that folder is built again.  One bad file is reported with its
reason and never stops the others.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from .errors import KGError
from .graph import doc_triples
from .pipeline import ProcessedDoc, doc_id_for, process_file
from .read import SUPPORTED
from .store import GraphStore, ManifestEntry

PACKAGE_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """A digest of the package's code and data: a new version of the pipeline rebuilds every file."""
    h = hashlib.sha256()
    for p in sorted(PACKAGE_DIR.rglob("*")):
        if p.is_file() and p.suffix in (".py", ".ttl", ".yaml", ".txt", ".json", ".jsonld") and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(PACKAGE_DIR)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


@dataclass
class FileResult:
    path: str
    status: str  # added | updated | unchanged | failed | removed
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
        p = Path(p).expanduser().resolve()
        if p.is_dir():
            folders.append(p)
            files.extend(sorted(x for x in p.rglob("*") if x.is_file() and x.suffix.lower() in SUPPORTED
                                and not _skipped(x.relative_to(p))))
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
          after_docs: Callable[[GraphStore], None] | None = None) -> list[FileResult]:
    files, folders, results = expand(paths)
    version = pipeline_version()
    with store.build_lock():
        manifest = store.manifest()
        by_id = {e.doc_id: e for e in manifest.values()}
        for n, f in enumerate(files, 1):
            if on_file:
                on_file(n, len(files), f)
            results.append(_one(store, f, manifest, by_id, version, force))
        for folder in folders:
            for path, e in sorted(manifest.items()):
                p = Path(path)
                if _is_under(p, folder) and not p.exists():
                    store.remove_document(e)
                    by_id.pop(e.doc_id, None)
                    results.append(FileResult(path, "removed", doc_id=e.doc_id, reason="文件已删除，已从图谱移除"))
        if after_docs is not None:
            after_docs(store)
    return results


def _is_under(p: Path, folder: Path) -> bool:
    try:
        p.relative_to(folder)
        return True
    except ValueError:
        return False


def _one(store: GraphStore, f: Path, manifest: dict, by_id: dict, version: str, force: bool) -> FileResult:
    key = str(f)
    try:
        data = f.read_bytes()
    except OSError as e:
        return FileResult(key, "failed", reason=f"无法读取文件: {e.strerror or e}")
    sha = hashlib.sha256(data).hexdigest()
    old = manifest.get(key)
    if old and old.sha256 == sha and old.pipeline_version == version and not force:
        return FileResult(key, "unchanged", doc_id=old.doc_id)
    doc_id = doc_id_for(f.name)
    other = by_id.get(doc_id)
    if other is not None and other.source_path != key and Path(other.source_path).exists():
        return FileResult(key, "failed", doc_id=doc_id,
                          reason=f"文件标识 {doc_id} 已被 {other.source_path} 使用；请重命名其中一个文件")
    try:
        doc: ProcessedDoc = process_file(f)
        graph, triples = doc_triples(doc, store.iris.base, version)
    except KGError as e:
        return FileResult(key, "failed", doc_id=doc_id, reason=e.reason)
    except Exception as e:  # noqa: BLE001 - a pipeline bug on one file must not stop the others
        return FileResult(key, "failed", doc_id=doc_id, reason=f"内部错误 {type(e).__name__}: {e}")
    moved = [other.source_path] if other is not None and other.source_path != key else []  # the old path is gone
    entry = ManifestEntry(key, sha, doc.doc_id, str(graph), version)
    store.replace_document(graph, triples, entry, forget_paths=moved)
    for path in moved:
        manifest.pop(path, None)
    manifest[key] = entry
    by_id[doc.doc_id] = entry
    return FileResult(key, "updated" if old else "added", doc_id=doc.doc_id, warnings=doc.warnings,
                      clauses=len(doc.all_clauses()))
