"""The first-use rule, shared by the CLI and the app.

A new user's first query on the *default* store, while that store is empty and has never been built,
builds the bundled corpus so that the first command shows something.  Never otherwise:

* never into a store the user named (``--store``, ``KG_STORE``): that store is theirs;
* never while a build holds the store's lock, and never into a store a build has started — the
  build's lock file (``build.lock``, created when a build starts and left in place) is the marker,
  so a build killed before its first commit is not followed by a silent import of ``corpus/``;
* never into an in-memory store.

Otherwise a query on an empty store says so, and how to build.
"""
from __future__ import annotations

import os
from pathlib import Path

from .config import default_corpus


def store_was_named(cli_store: object | None = None) -> bool:
    """Did the user choose the store (``--store`` given, or ``KG_STORE`` set)?"""
    return cli_store is not None or bool(os.environ.get("KG_STORE"))


def build_started(store_path: Path | None) -> bool:
    """Has a build ever started on this store (running now, finished, or killed)?"""
    return store_path is not None and (Path(store_path) / "build.lock").exists()


def empty_store_message(store_path: Path | None) -> str:
    where = f"存储 {store_path} " if store_path is not None else "存储"
    return f"{where}为空：请先运行 kg build PATH 导入文件（或 kg build 导入示例语料 corpus/）"


def first_use_refusal(store_path: Path | None, *, named: bool) -> str | None:
    """``None`` when the bundled corpus may be built into this (empty) store, else the one-line reason
    it will not be, ending with how to build."""
    if store_path is None:
        return empty_store_message(store_path)
    if named:
        return (f"存储 {store_path} 为空（由 --store/KG_STORE 指定，不会自动导入示例语料）；"
                "请运行 kg build PATH 导入文件（或 kg build 导入示例语料 corpus/）")
    if build_started(store_path):
        return (f"存储 {store_path} 为空，但已有构建在此开始（正在进行或已中断），不会自动导入示例语料；"
                "请等待它结束，或重新运行 kg build PATH 完成它")
    corpus = default_corpus()
    if not corpus.is_dir():
        return f"存储 {store_path} 为空，且找不到示例语料目录 {corpus}；请运行 kg build PATH 导入文件"
    return None
