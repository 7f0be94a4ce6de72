"""Child processes on this machine: a free port, waiting until a server answers, stopping one, and
Debian's Chromium for the browser test and benchmark.

One place for what ``kg serve`` (:mod:`kg.serve`), the app benchmark (``bench/app.py``) and the tests that
start Streamlit, ``oxigraph serve`` or Chromium all need.  Chromium is never downloaded
(no ``playwright install``): ``KG_CHROMIUM``, else ``chromium`` on ``PATH``, else ``/usr/bin/chromium``.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on now (the OS picks it)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, timeout_s: float) -> bool:
    """Poll ``url`` until it answers 200: True; False when ``proc`` exits first or ``timeout_s`` passes.
    (A start-up bound for a child server, not a timed assertion.)"""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    r.read()
                    return True
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            return False
        time.sleep(0.1)


def stop(proc: subprocess.Popen, timeout_s: float = 10) -> None:
    """Terminate ``proc`` and wait for it; kill it when it does not stop in ``timeout_s``."""
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


CHROMIUM = os.environ.get("KG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def chromium_missing() -> str | None:
    """None when Playwright and an executable Chromium are there; else why not (in Chinese, with the fix)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python 包 playwright 未安装"
    if os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK):
        return None
    return f"找不到 Chromium（{CHROMIUM}）：apt-get install chromium fonts-noto-cjk"


def chromium_context(pw, height: int = 1000):
    """(browser, context) of a headless Chromium from a running ``sync_playwright()`` ``pw``: a Chinese
    locale and a 1440-pixel-wide window."""
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    return browser, browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": height})


__all__ = ["free_port", "wait_http", "stop", "CHROMIUM", "CHROMIUM_ARGS", "chromium_missing", "chromium_context"]
