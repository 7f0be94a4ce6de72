"""Child process for a user's SPARQL query (``python -m kg.query_worker``; JSON on stdin and stdout).

Run by :meth:`kg.store.GraphStore.user_query`, which kills it at the time limit: the query's store
handle and shared lock die with the process.
"""
from __future__ import annotations

import json
import sys


def main() -> int:
    from .store import GraphStore, run_query

    req = json.loads(sys.stdin.read())
    store = GraphStore(req["path"], req["base"])
    try:
        res = store._run(False, lambda st: run_query(st, req["query"], int(req["limit"])))
    except SyntaxError as e:
        json.dump({"error": f"SPARQL 语法错误: {e}"}, sys.stdout, ensure_ascii=False)
        return 0
    except Exception as e:  # noqa: BLE001 - reported to the user as a query error
        json.dump({"error": f"查询失败: {e}"}, sys.stdout, ensure_ascii=False)
        return 0
    json.dump({"kind": res.kind, "variables": res.variables, "rows": res.rows, "truncated": res.truncated},
              sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
