"""Adding uploaded files to the store (no Streamlit here, so it can be tested directly).

An upload is written under a generated name (``upload-<sha256>.<ext>``) in the store's ``uploads/``
folder — never under the user's file name — then built incrementally with ``kg.build.build`` and the
derived-facts update. A file that fails is removed again, and the graph keeps its previous state
(each document is replaced in one transaction; a failed file writes nothing).
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable

from kg.errors import KGError, StoreLocked
from kg.store import GraphStore

MAX_MB = 20
TYPES = ("txt", "md", "html", "htm", "docx", "pdf")
STATUS_ZH = {"added": "新增", "updated": "更新", "unchanged": "未变（已在图谱中）", "failed": "失败", "removed": "移除",
             "duplicate": "重复（与已有文件内容相同，已合并）", "skipped": "跳过（隐藏文件或草稿）"}


def uploads_dir(store: GraphStore) -> Path:
    if store.path is None:
        raise KGError("内存中的存储不能保存上传的文件")
    d = store.path / "uploads"
    d.mkdir(parents=True, exist_ok=True)
    return d


def stored_name(data: bytes, original: str) -> str:
    """A generated name: the content's digest and the original extension (never the user's file name)."""
    ext = Path(original).suffix.lower()
    if ext.lstrip(".") not in TYPES:
        ext = ""
    return f"upload-{hashlib.sha256(data).hexdigest()[:20]}{ext}"


def ingest(store: GraphStore, files: list[tuple[str, bytes]], *,
           after_docs: Callable[[GraphStore], None] | None = None,
           on_file: Callable[[int, int, str], None] | None = None) -> list[dict]:
    """Check, store and build ``(original name, bytes)`` pairs; one report row per file (Chinese)."""
    rows: list[dict] = []
    todo: list[tuple[str, Path, bool]] = []
    for name, data in files:
        ext = Path(name).suffix.lower().lstrip(".")
        if ext not in TYPES:
            rows.append({"文件": name, "状态": "失败", "文件标识": None, "原因": f"不支持的格式 .{ext or '（无扩展名）'}"})
        elif len(data) > MAX_MB * 1024 * 1024:
            rows.append({"文件": name, "状态": "失败", "文件标识": None, "原因": f"超过 {MAX_MB} MB 上限"})
        elif not data.strip():
            rows.append({"文件": name, "状态": "失败", "文件标识": None, "原因": "文件是空的"})
        else:
            target = uploads_dir(store) / stored_name(data, name)
            existed = target.exists()
            if not existed:
                tmp = target.with_name(target.name + ".part")
                tmp.write_bytes(data)
                tmp.replace(target)
            todo.append((name, target.resolve(), existed))
    if not todo:
        return rows
    names = {str(p): name for name, p, _ in todo}
    from kg.build import build

    def progress(n: int, total: int, path: Path) -> None:
        if on_file:
            on_file(n, total, names.get(str(Path(path).resolve()), Path(path).name))

    try:
        results = build(store, [p for _, p, _ in todo], on_file=progress, after_docs=after_docs)
    except StoreLocked as e:
        for name, p, existed in todo:
            if not existed:
                p.unlink(missing_ok=True)
        return rows + [{"文件": name, "状态": "失败", "文件标识": None, "原因": f"{e.reason}，图谱未改动，请稍后再试"}
                       for name, _, _ in todo]
    new = {str(p) for _, p, existed in todo if not existed}
    for r in results:
        if r.status == "failed" and str(Path(r.path).resolve()) in new:
            Path(r.path).unlink(missing_ok=True)  # a file that could not be built is not kept
        rows.append({"文件": names.get(str(Path(r.path).resolve()), Path(r.path).name),
                     "状态": STATUS_ZH.get(r.status, r.status), "文件标识": r.doc_id, "条款数": r.clauses or None,
                     "原因": r.reason or ("；".join(r.warnings) if r.warnings else None)})
    return rows
