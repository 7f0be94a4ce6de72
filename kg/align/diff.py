"""A character diff for display (the compare page's highlighted diff).

``char_diff(a, b)`` returns ``[[op, text], …]`` with ``"="`` (in both), ``"-"`` (only in ``a``) and
``"+"`` (only in ``b``).  Joining the ``=`` and ``-`` parts gives ``a`` back; joining ``=`` and ``+``
gives ``b``.  The opcodes come from rapidfuzz's Indel distance (longest common subsequence, C++),
then a *semantic clean-up* like diff-match-patch's: an equal run of a single character between two
changes (a stray ``的`` or ``，`` that happens to coincide) is folded into the changes around it, so
the highlighted diff shows whole phrases rather than confetti.  Within a change, deletions come
before insertions.
"""
from __future__ import annotations

from rapidfuzz.distance import Indel

_MIN_EQUAL = 2  # an equal run shorter than this between two changes is folded into them


def _raw(a: str, b: str) -> list[list[str]]:
    ops: list[list[str]] = []
    for o in Indel.opcodes(a, b):
        if o.tag == "equal":
            ops.append(["=", a[o.src_start:o.src_end]])
        else:
            if o.src_end > o.src_start:
                ops.append(["-", a[o.src_start:o.src_end]])
            if o.dest_end > o.dest_start:
                ops.append(["+", b[o.dest_start:o.dest_end]])
    return ops


def _normalise(ops: list[list[str]]) -> list[list[str]]:
    """Within each stretch of changes put all ``-`` first then all ``+``, merge equal neighbours."""
    out: list[list[str]] = []
    i = 0
    while i < len(ops):
        if ops[i][0] == "=":
            if out and out[-1][0] == "=":
                out[-1][1] += ops[i][1]
            else:
                out.append(list(ops[i]))
            i += 1
            continue
        dels, ins = [], []
        while i < len(ops) and ops[i][0] != "=":
            (dels if ops[i][0] == "-" else ins).append(ops[i][1])
            i += 1
        if dels:
            out.append(["-", "".join(dels)])
        if ins:
            out.append(["+", "".join(ins)])
    return [o for o in out if o[1]]


def char_diff(a: str, b: str) -> list[list[str]]:
    """Character diff of ``a`` → ``b`` as ``[[op, text], …]`` (see the module docstring).

    >>> char_diff("提升服务水平", "提高行业服务水平")
    [['=', '提'], ['-', '升'], ['+', '高行业'], ['=', '服务水平']]
    >>> d = char_diff("统筹考虑的衔接", "统筹安排的迁转")
    >>> "".join(t for op, t in d if op != "+"), "".join(t for op, t in d if op != "-")
    ('统筹考虑的衔接', '统筹安排的迁转')
    """
    ops = _normalise(_raw(a, b))
    changed = True
    while changed:
        changed = False
        for i in range(1, len(ops) - 1):
            if ops[i][0] == "=" and len(ops[i][1]) < _MIN_EQUAL and ops[i - 1][0] != "=" and ops[i + 1][0] != "=":
                # fold the short equality into both sides of the surrounding change
                t = ops[i][1]
                ops = ops[:i] + [["-", t], ["+", t]] + ops[i + 1:]
                ops = _normalise(ops)
                changed = True
                break
    return ops


__all__ = ["char_diff"]
