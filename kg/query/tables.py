"""Tables for download: the correlation table of a lineage (CSV), a comparison (CSV), as rows for Excel."""
from __future__ import annotations

import csv
import io

ALIGNMENT_COLUMNS = [
    ("本文件", "local_doc"), ("本文件条款", "local_clause"), ("条款编号", "local_clause_id"), ("本文件原文", "local_text"),
    ("上位文件", "source_doc"), ("上位条款", "source_clause"), ("上位条款编号", "source_clause_id"),
    ("上位原文", "source_text"), ("得分", "score"), ("名次", "rank"), ("方法", "method"), ("共同片段", "shared"),
    ("审核", "review"), ("IRI", "iri"),
]
COMPARE_COLUMNS = [("A 条款", "a_clause"), ("A 原文", "a_text"), ("B 条款", "b_clause"), ("B 原文", "b_text"),
                   ("得分", "score"), ("方法", "method"), ("审核", "review")]


def rows(items: list[dict], columns: list[tuple[str, str]]) -> list[list]:
    return [[c for c, _ in columns]] + [["" if it.get(k) is None else it.get(k) for _, k in columns] for it in items]


def to_csv(table: list[list]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerows(table)
    return buf.getvalue()


def alignments_csv(alignments: list[dict]) -> str:
    """The correlation table: one row per (local clause, upstream clause) alignment.

    >>> alignments_csv([{"local_clause": "五（四）", "score": 0.7}]).splitlines()[1].split(",")[1]
    '五（四）'
    """
    return to_csv(rows(alignments, ALIGNMENT_COLUMNS))


def compare_csv(result: dict) -> str:
    table = rows(result["pairs"], COMPARE_COLUMNS)
    table += [[c["clause"], c["text"], "", "", "", "仅 A", ""] for c in result["only_a"]]
    table += [["", "", c["clause"], c["text"], "", "仅 B", ""] for c in result["only_b"]]
    return to_csv(table)
