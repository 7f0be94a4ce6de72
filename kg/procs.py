"""Child servers on this machine: a free port, waiting until one answers, stopping one.

One place for what ``kg serve`` (:mod:`kg.serve`), the app benchmark (``bench/app.py``) and the tests that
start Streamlit or ``oxigraph serve`` all need.
"""
from __future__ import annotations

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


__all__ = ["free_port", "wait_http", "stop"]
