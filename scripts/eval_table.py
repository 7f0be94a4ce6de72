"""The README's "Sentence kinds" table (and, with ``--metadata``, its "Metadata" F1 table) from ``kg eval --json`` output (precision / recall per kind and set; the
blind sets — held-out sets and the B halves never tuned on — in bold, as the README marks the honest figures).

    .venv/bin/kg eval --json > /tmp/eval.json && .venv/bin/python scripts/eval_table.py /tmp/eval.json [--metadata]
"""
from __future__ import annotations

import json
import re
import sys

KINDS = ["targets", "targets~metric", "targets~deadline", "deadlines", "parties", "parties~explicit", "references"]
LABELS = {"targets": "targets (all fields)", "targets~deadline": "targets~deadline (value + deadline, on the facts)"}


def _order(name: str) -> tuple:
    m = re.fullmatch(r"(dev|heldout)(\d*)([ab]?)", name)
    if not m:
        return (2, 0, name)
    return (1 if m.group(1) == "heldout" else 0, int(m.group(2) or 0), m.group(3))


def _blind(name: str) -> bool:
    return name.startswith(("heldout", "zhejiang-heldout")) or re.fullmatch(r"dev\d+b", name) is not None


def _label(name: str) -> str:
    m = re.fullmatch(r"heldout(\d*)", name)
    return f"held-out {m.group(1) or 1}" if m else name


FIELDS = [("doc_number", "文号 doc_number"), ("issuers", "issuers"), ("date", "成文日期 date"),
          ("jurisdiction", "jurisdiction"), ("level", "level"), ("recipients", "recipients (主送)"), ("title", "title")]


def _grid(first: str, rows: list[tuple[str, str]], sets: list[str], cells: dict, fmt, sep: str) -> str:
    """A Markdown table: a row per (key, label), a column per set, ``fmt(score)`` in each cell (— when the set does
    not score that key), blind sets and their cells in bold."""
    head = [first] + [f"**{_label(s)}**" if _blind(s) else _label(s) for s in sets]
    lines = ["| " + " | ".join(head) + " |", "|" + sep * len(head)]
    for key, label in rows:
        row = [label]
        for s in sets:
            r = cells[s].get(key)
            v = "—" if r is None else fmt(r)
            row.append(f"**{v}**" if r is not None and _blind(s) else v)
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def metadata_table(data: dict) -> str:
    meta = data["metadata"]
    sets = sorted(meta, key=lambda k: (_blind(k), k != "zhejiang-dev" and k != "zhejiang-heldout", _order(k)))
    cells = {s: {r["kind"]: r for r in meta[s]} for s in sets}
    return _grid("field", FIELDS, sets, cells, lambda r: f"{r['f1']:.3f}", "---|")


def table(data: dict) -> str:
    sets = sorted((k for k, v in data.items() if isinstance(v, list) and k != "heldout"), key=_order)
    cells = {s: {r["kind"]: r for r in data[s]} for s in sets}
    sets = [s for s in sets if any(k in cells[s] for k in KINDS)]
    return _grid("kind", [(k, LABELS.get(k, k)) for k in KINDS], sets, cells,
                 lambda r: f"{r['precision']:.3f} / {r['recall']:.3f}", " --- |")


if __name__ == "__main__":
    data = json.load(open(sys.argv[1], encoding="utf-8"))
    print(metadata_table(data) if "--metadata" in sys.argv[2:] else table(data))
