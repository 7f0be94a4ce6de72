"""Child process for a user's SPARQL query (``python -m kg.query_worker``; JSON on stdin and stdout).

Run by :meth:`kg.store.GraphStore.user_query`, which kills it at the time limit: the query's store
handle and shared lock die with the process.  Before it opens the store the worker puts up its own
walls, behind the parser check (kg/sparql_guard.py):

* **memory**: its address space is bounded (``RLIMIT_AS``, ``KG_QUERY_MEMORY_MB``, default 2048 MiB;
  ``0`` = no bound); a query that needs more is ended and reported as "查询超出内存上限";
* **network**: where the system allows unprivileged user namespaces (Linux), the worker moves into a
  new, empty network namespace, so even a ``SERVICE`` that slipped past every check has nowhere to
  go.  Elsewhere this wall is silently absent (the parser check still holds).
"""
from __future__ import annotations

import json
import os
import sys

DEFAULT_MEMORY_MB = 2048


def memory_limit_bytes() -> int:
    """The worker's address-space bound in bytes (0 = none), from ``KG_QUERY_MEMORY_MB``."""
    raw = os.environ.get("KG_QUERY_MEMORY_MB", "").strip()
    try:
        mb = int(raw) if raw else DEFAULT_MEMORY_MB
    except ValueError:
        mb = DEFAULT_MEMORY_MB
    return max(mb, 0) * 2**20


def _limit_memory() -> None:
    limit = memory_limit_bytes()
    if not limit:
        return
    try:  # few malloc arenas: their address-space reservations (64 MiB each, per thread) would count
        import ctypes

        ctypes.CDLL(None).mallopt(-8, 2)  # M_ARENA_MAX (glibc; elsewhere absent)
    except (OSError, AttributeError):
        pass
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):  # not on this system: the time limit still holds
        pass


def _leave_network() -> bool:
    """Enter a new user + network namespace (no interfaces up): no socket can reach anything.

    Must run while the process has a single thread (before pyoxigraph starts RocksDB's)."""
    if not sys.platform.startswith("linux") or os.environ.get("KG_QUERY_NETNS", "1") == "0":
        return False
    return enter_namespaces()


def enter_namespaces() -> bool:
    """``unshare(CLONE_NEWUSER | CLONE_NEWNET)`` with this process's user and group mapped to themselves; False
    where the system does not allow it.  Also the way into the namespace of ``kg serve``'s Oxigraph server
    (kg/serve.py ``_HELPER``)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        clone_newuser, clone_newnet = 0x10000000, 0x40000000
        uid, gid = os.getuid(), os.getgid()
        if libc.unshare(clone_newuser | clone_newnet) != 0:
            return False
        # map ourselves so that files keep their owner (the store is opened read-only anyway)
        for path, text in (("/proc/self/setgroups", "deny"), ("/proc/self/uid_map", f"{uid} {uid} 1"),
                           ("/proc/self/gid_map", f"{gid} {gid} 1")):
            try:
                with open(path, "w") as f:
                    f.write(text)
            except OSError:
                pass
        return True
    except (OSError, AttributeError):
        return False


def main() -> int:
    _leave_network()
    _limit_memory()
    req = json.loads(sys.stdin.read())
    try:
        from .store import GraphStore, run_query

        store = GraphStore(req["path"], req["base"])
        res = store._run(False, lambda st: run_query(st, req["query"], int(req["limit"])))
    except SyntaxError as e:
        json.dump({"error": f"SPARQL 语法错误: {e}"}, sys.stdout, ensure_ascii=False)
        return 0
    except MemoryError:
        sys.stderr.write("查询超出内存上限\n")
        return 3
    except Exception as e:  # noqa: BLE001 - reported to the user as a query error
        json.dump({"error": f"查询失败: {e}"}, sys.stdout, ensure_ascii=False)
        return 0
    json.dump({"kind": res.kind, "variables": res.variables, "rows": res.rows, "truncated": res.truncated},
              sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
