"""The app in a real browser: ``streamlit run app.py`` on 127.0.0.1, driven by Debian's Chromium via Playwright.

It asks the central question and reads the answer, opens the compare page and sees a highlighted
diff, opens the lineage graph, and fails on any network request that leaves the machine.  On failure
it saves a screenshot (its path is in the failure message); with ``KG_SCREENSHOTS=1`` it also writes a
screenshot of every page to ``docs/screenshots/`` for the README.

Never runs ``playwright install`` (that downloads a browser): it uses ``/usr/bin/chromium`` (or
``KG_CHROMIUM``). Without Chromium the test is skipped — except in CI (``CI`` set), where it fails.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest

from kg.procs import chromium_context, chromium_missing, free_port, stop, wait_http

from conftest import BASE, ROOT

QUESTION = "物智沪联行动计划落实了哪些国家文件？哪一条对应国家文件的哪一条？"
LOCAL = "2026-hu-tongxinguanfa-5-wuzhihulian-iot-action-plan"
NATIONAL = "2024-gongxinting-tongxin-52-mobile-iot-notice"
SHOTS = ROOT / "docs" / "screenshots"
_STATE: dict = {}
# screenshots of failures: outside pytest's rotating temp folders, so they survive other test runs
FAILURES = Path(os.environ.get("KG_TEST_ARTIFACTS") or Path(tempfile.gettempdir()) / "policy-kg-browser-failures")


def _need_browser() -> None:
    reason = chromium_missing()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    _need_browser()
    # KG_BROWSER_STORE: an already built store (quicker while developing); else the session's seed store
    source = os.environ.get("KG_BROWSER_STORE") or str(request.getfixturevalue("built_store").path)
    work = tmp_path_factory.mktemp("streamlit")
    store_path = work / "store"  # a copy: the upload test writes to it
    _STATE["store"] = store_path
    shutil.copytree(source, store_path, ignore=shutil.ignore_patterns("*.lock"))
    port = free_port()
    log = work / "server.log"
    env = {**os.environ, "KG_STORE": str(store_path), "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.address", "127.0.0.1",
           "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none", "--global.developmentMode", "false"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        if not wait_http(url + "/_stcore/health", proc, 60):
            pytest.fail("streamlit 没有启动：\n" + log.read_text(errors="replace")[-3000:])
        yield url
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def browser_page(server, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as pw:
        tall = 1500 if os.environ.get("KG_SCREENSHOTS") else 1000  # README screenshots show more of each page
        browser, ctx = chromium_context(pw, tall)
        ctx.on("request", lambda r: requests.append(r.url))
        ctx.on("websocket", lambda ws: requests.append(ws.url))
        page = ctx.new_page()
        page.set_default_timeout(45_000)
        try:
            yield SimpleNamespace(page=page, requests=requests, failure_dir=FAILURES)
        finally:
            ctx.close()
            browser.close()


def _offsite(urls: list[str]) -> list[str]:
    bad = []
    for u in urls:
        p = urlparse(u)
        if p.scheme in ("data", "blob", "about", "chrome-error", "chrome"):
            continue
        if p.hostname not in ("127.0.0.1", "localhost"):
            bad.append(u)
    return bad


def _wait_idle(page) -> None:
    """Streamlit shows a running indicator while the script runs; wait until the app is quiet."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)


def _shot(page, name: str) -> None:
    if os.environ.get("KG_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        from PIL import Image  # 256 colours: a third of the size, the same to read

        Image.open(path).convert("RGB").quantize(colors=256).save(path, optimize=True)


def _on_failure(b, name: str):
    page = b.page

    class _Guard:
        def __enter__(self):
            return self

        def __exit__(self, et, ev, tb):
            if et is not None and et is not pytest.skip.Exception:
                b.failure_dir.mkdir(parents=True, exist_ok=True)
                path = b.failure_dir / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.png"
                try:
                    page.screenshot(path=str(path), full_page=True)
                except Exception:  # noqa: BLE001 - the original failure matters more
                    return False
                raise AssertionError(f"{ev}\n截图：{path}") from ev
            return False

    return _Guard()


def test_ask_the_central_question(server, browser_page):
    page = browser_page.page
    with _on_failure(browser_page, "ask"):
        page.goto(server + "/")
        page.get_by_role("heading", name="问答").wait_for()
        box = page.get_by_label("问题")
        box.fill(QUESTION)
        box.press("Enter")
        page.get_by_role("heading", name="回答").wait_for()
        _wait_idle(page)
        answer = page.locator(".kg-text").first.inner_text()
        assert "万物智联" in answer or "工信厅通信〔2024〕52号" in answer, answer
        body = page.locator("section.main, [data-testid='stMain']").first.inner_text()
        assert "依据条款" in body and "我的理解" in body, body[:2000]
        _shot(page, "1-ask")


def test_compare_shows_highlighted_diff(server, browser_page):
    page = browser_page.page
    with _on_failure(browser_page, "compare"):
        page.goto(f"{server}/compare?a={LOCAL}&b={NATIONAL}")
        page.get_by_role("heading", name="条款对照").wait_for()
        marks = page.locator("span.kg-diff-del, span.kg-diff-ins")
        marks.first.wait_for()
        _wait_idle(page)
        assert marks.count() > 0
        bg = marks.first.evaluate("e => getComputedStyle(e).backgroundColor")
        assert bg not in ("rgba(0, 0, 0, 0)", "transparent"), bg
        _shot(page, "3-compare")


def test_lineage_graph_renders_offline(server, browser_page):
    page = browser_page.page
    with _on_failure(browser_page, "lineage"):
        page.goto(f"{server}/lineage?doc={LOCAL}")
        page.get_by_role("heading", name="溯源").wait_for()
        chart = page.locator("[data-testid='stVegaLiteChart']").first
        chart.locator("canvas, svg").first.wait_for()
        page.wait_for_function("e => e.getBoundingClientRect().height > 100", arg=chart.element_handle())
        body = page.locator("[data-testid='stMain']").first.inner_text()
        assert "万物智联" in body, body[:2000]
        _wait_idle(page)
        _shot(page, "2-lineage")
        page.get_by_role("tab", name="层级图").click()
        page.locator("[data-testid='stGraphVizChart'] svg").first.wait_for()
        _wait_idle(page)
        _shot(page, "2b-lineage-graphviz")


def test_export_downloads_and_sparql(server, browser_page):
    page = browser_page.page
    with _on_failure(browser_page, "export"):
        page.goto(server + "/export")
        page.get_by_role("heading", name="导出与SPARQL", exact=True).wait_for()
        # a download registered by a run that a later run replaces is gone (Streamlit: "Deferred file … not
        # found"): click once the page has finished running, as a person would
        _wait_idle(page)
        for label, head in (("Turtle", "@prefix"), ("GraphML", "<?xml")):
            with page.expect_download(timeout=60_000) as dl:
                page.get_by_role("button", name=label, exact=True).click()
            data = Path(dl.value.path()).read_text(encoding="utf-8")
            assert data.lstrip().startswith(head) and len(data) > 1000, data[:200]
        page.get_by_role("button", name="运行").click()
        page.locator("[data-testid='stDataFrame']").first.wait_for()
        _wait_idle(page)
        _shot(page, "6-export")


def test_other_pages_render(server, browser_page):
    page = browser_page.page
    for name, path, heading in (("4-targets", "/targets", "目标"), ("5-docs", f"/docs?doc={LOCAL}&clause=sec_1", "文件"),
                                ("7-upload", "/upload", "添加文件")):
        with _on_failure(browser_page, name):
            page.goto(server + path)
            page.get_by_role("heading", name=heading, exact=True).wait_for()
            _wait_idle(page)
            assert not page.locator("[data-testid='stException']").count(), page.locator("[data-testid='stException']").first.inner_text()
            _shot(page, name)


EVIL = ("某某市通信管理局关于印发《某某市测试行动计划（2026—2027年）》的通知\n\n某通信管发〔2026〕9号\n\n各有关单位：\n"
        "现将《某某市测试行动计划（2026—2027年）》印发给你们，请认真贯彻落实。\n\n某某市通信管理局\n2026年3月1日\n\n"
        "某某市测试行动计划（2026—2027年）\n\n一、总体要求\n"
        "到2027年，全市5G基站达到2万个。<script>window.kgxss = 1</script><img src=x onerror=\"window.kgxss = 2\"> "
        "详见 [链接](javascript:alert(1))。\n\n二、重点任务\n（一）推进网络建设。当 a<b 且 c>d 时完成部署。\n")


def test_upload_then_document_text_stays_text(server, browser_page, tmp_path):
    page = browser_page.page
    with _on_failure(browser_page, "upload"):
        page.goto(server + "/upload")
        page.get_by_role("heading", name="添加文件", exact=True).wait_for()
        f = tmp_path / "测试<b>计划.txt"
        f.write_text(EVIL, encoding="utf-8")
        page.locator("input[type=file]").set_input_files(str(f))
        page.get_by_text("测试<b>计划.txt").first.wait_for()
        page.get_by_role("button", name="导入并构建").click()
        page.get_by_text("已导入 1 个文件").wait_for(timeout=120_000)
        _wait_idle(page)
        page.get_by_role("link", name="查看 测试<b>计划.txt").click()
        page.get_by_role("heading", name="文件", exact=True).wait_for()
        _wait_idle(page)
        # whatever of the markup the cleaner kept is shown as text, never run
        from kg.query.clauses import clause_tree, flatten
        from kg.query.docs import find_doc
        from kg.store import GraphStore

        store = GraphStore(_STATE["store"], BASE)
        doc = find_doc(store, "某某市测试行动计划")
        texts = [c["text"] for c in flatten(clause_tree(store, doc["iri"])) if any(ch in c["text"] for ch in "<>[]")]
        assert texts
        main = page.locator("[data-testid='stMain']").first
        for t in texts:
            page.wait_for_function("([e, t]) => e.textContent.replace(/\\s+/g, '').includes(t.replace(/\\s+/g, ''))",
                                   arg=[main.element_handle(), t])
        assert page.evaluate("() => window.kgxss") is None
        assert page.locator("[data-testid='stMain'] script, [data-testid='stMain'] img[src='x']").count() == 0


def test_nothing_leaves_the_machine(server, browser_page):
    """Runs last in this module: every request the pages above made stayed on 127.0.0.1."""
    reqs = browser_page.requests
    assert reqs, "no request recorded"
    assert not _offsite(reqs), _offsite(reqs)
