"""App first-render time per page, in a real browser, on a store built beforehand (issue 9).

    python bench/app.py STORE [--repeat 3]

Starts the app (``kg app``) on 127.0.0.1 over ``STORE`` (a copy is not made: nothing here writes),
drives Debian's Chromium through Playwright (never ``playwright install``; ``KG_CHROMIUM`` or
``/usr/bin/chromium``) and prints, for every page, the time from navigation until the page's heading is
shown and the app is idle (Streamlit's running indicator gone, network idle):

* **first** — the first visit of that page after the server started (it fills the server's caches: the
  document list, the link graph, ``ask``'s index);
* **again** — the median of ``--repeat`` later visits in fresh browser tabs (a new session each time).

The documents shown are picked as a user would: the ask page asks the central question about a
district or city plan, the lineage, compare and document pages open that plan (compare: against the
first document above it).  Wall-clock times on a shared machine; no timed assertions anywhere.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from kg.procs import chromium_context, chromium_missing, free_port, stop, wait_http  # noqa: E402


def _pages(store: Path) -> list[tuple[str, str, str]]:
    """(name, path, heading) of every page, with a district or city plan and the document above it."""
    from urllib.parse import quote

    from kg.query.docs import list_docs
    from kg.query.lineage import chain_up
    from kg.store import GraphStore

    st = GraphStore(store, os.environ.get("KG_BASE_IRI", "https://policykg.example/"))
    docs = list_docs(st)
    if not docs:
        sys.exit(f"存储 {store} 中没有文件：先运行 kg build")
    local = next((d for d in docs if d.get("level") in ("county", "prefectural")
                  and any(u.get("doc") for u in chain_up(st, d["iri"]))), docs[0])
    up = next((u for u in chain_up(st, local["iri"]) if u.get("doc")), None)
    up_id = next((d["id"] for d in docs if up and d["iri"] == up["iri"]), docs[-1]["id"])
    q = quote(f"{local.get('title') or local['id']}落实了哪些国家文件？")
    return [
        ("问答（提问）", f"/?q={q}", "问答"),
        ("溯源", f"/lineage?doc={quote(local['id'])}", "溯源"),
        ("条款对照", f"/compare?a={quote(local['id'])}&b={quote(up_id)}", "条款对照"),
        ("目标", "/targets", "目标"),
        ("文件", f"/docs?doc={quote(local['id'])}", "文件"),
        ("导出与SPARQL", "/export", "导出与SPARQL"),
        ("添加文件", "/upload", "添加文件"),
    ]


def _visit(page, url: str, heading: str) -> float:
    t = time.perf_counter()
    page.goto(url)
    page.get_by_role("heading", name=heading, exact=True).wait_for(timeout=600_000)
    page.wait_for_load_state("networkidle", timeout=600_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=600_000)
    if page.locator("[data-testid='stException']").count():
        raise RuntimeError(f"{url}: " + page.locator("[data-testid='stException']").first.inner_text()[:500])
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    missing = chromium_missing()
    if missing:
        sys.exit(missing)
    from playwright.sync_api import sync_playwright

    pages = _pages(args.store)
    port = free_port()
    env = {**os.environ, "KG_STORE": str(args.store), "HF_HUB_OFFLINE": "1"}
    # the server as a user starts it (``kg app``)
    cmd = [sys.executable, "-m", "kg.cli", "app", "--port", str(port), "--host", "127.0.0.1"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    rows = []
    try:
        if not wait_http(url + "/_stcore/health", proc, 120):
            sys.exit("streamlit 没有启动")
        with sync_playwright() as pw:
            browser, ctx = chromium_context(pw)
            for name, path, heading in pages:
                page = ctx.new_page()
                first = _visit(page, url + path, heading)
                page.close()
                again = []
                for _ in range(args.repeat):
                    page = ctx.new_page()
                    again.append(_visit(page, url + path, heading))
                    page.close()
                rows.append((name, first, statistics.median(again) if again else None))
                print(f"{name}: first {first:.2f} s, again {rows[-1][2] or 0:.2f} s", file=sys.stderr, flush=True)
            browser.close()
    finally:
        stop(proc)
    from kg.store import GraphStore

    n = len(GraphStore(args.store, "https://policykg.example/").manifest())
    print(f"\n## App first render per page ({n:,} files in the store; Chromium, wall clock)\n")
    print("| page | first visit after start (s) | later visits, median (s) |")
    print("|---|---|---|")
    for name, first, again in rows:
        print(f"| {name} | {first:.2f} | {'—' if again is None else f'{again:.2f}'} |")


if __name__ == "__main__":
    main()
