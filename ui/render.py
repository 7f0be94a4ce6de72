"""Rendering document text safely.

Every piece of document text goes through :func:`esc`: HTML-escaped, and the characters Markdown or
Streamlit would interpret (``* _ ` [ ] # ~ | $ : \\ < >``) written as numeric entities, newlines as
``<br>``, all on one line — so the HTML block is never split by a blank line and nothing inside it is
read as Markdown, a LaTeX formula, a Streamlit directive or a tag.  Only the markup this module adds
(``<span>``/``<div>`` with fixed styles) is HTML.
"""
from __future__ import annotations

import streamlit as st

_ESC = {c: f"&#{ord(c)};" for c in "&<>\"'*_`[]#~|$:\\!{}()+-=.^@"}
_ESC_TABLE = str.maketrans(_ESC)

STYLE = {
    "=": "",
    "-": "background:#ffd7d5;text-decoration:line-through;text-decoration-color:#c62828;",
    "+": "background:#c8f0c8;",
    "target": "background:#fff3b0;border-bottom:2px solid #e0a800;",
    "deadline": "background:#d6ecff;border-bottom:2px solid #1e88e5;",
    "party": "background:#e9ddff;border-bottom:2px solid #7e57c2;",
    "ref": "background:#d7f5e4;border-bottom:2px solid #2e7d32;",
    "shared": "background:#fff3b0;",
}
FACT_ZH = {"target": "目标", "deadline": "时限", "party": "责任主体", "ref": "引用"}


_MD_SPECIAL = "\\`*_[]()#+-.!|~$:<>{}"


def md_plain(text: str | None) -> str:
    r"""Document text for a widget label or caption (Streamlit reads those as Markdown): every Markdown
    character backslash-escaped, on one line, so ``[a](javascript:…)`` or ``:red[x]`` shows as written.

    >>> print(md_plain("[a](x) :red[b]"))
    \[a\]\(x\) \:red\[b\]
    """
    if text is None:
        return ""
    s = " ".join(str(text).split())
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in s)


def esc(text: str | None) -> str:
    """Escaped text for inside an HTML block (see module doc)."""
    if text is None:
        return ""
    s = str(text).translate(_ESC_TABLE)  # one pass: HTML-special and Markdown-special characters
    return s.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def block(inner_html: str, css: str = "") -> str:
    return f'<div class="kg-text" style="line-height:1.8;white-space:normal;{css}">{inner_html}</div>'


def show_text(text: str | None, css: str = "") -> None:
    """Document text as text (never Markdown, never HTML)."""
    st.markdown(block(esc(text), css), unsafe_allow_html=True)


def diff_html(diff: list, side: str) -> str:
    """One side of a character diff: ``side`` "a" shows ``=`` and ``-`` pieces, "b" ``=`` and ``+``."""
    keep = "-" if side == "a" else "+"
    out = []
    for op, piece in diff:
        if op == "=":
            out.append(esc(piece))
        elif op == keep:
            out.append(f'<span class="kg-diff-{"del" if op == "-" else "ins"}" style="{STYLE[op]}">{esc(piece)}</span>')
    return block("".join(out))


def highlight_html(text: str, marks: list[tuple[int, int, str, str]]) -> str:
    """``text`` with non-overlapping ``(start, end, kind, title)`` marks as coloured spans (all escaped)."""
    out, pos = [], 0
    for s, e, kind, title in sorted(marks):
        if s < pos or e <= s or e > len(text):
            continue
        out.append(esc(text[pos:s]))
        out.append(f'<span class="kg-fact kg-{kind}" title="{esc(title)}" style="{STYLE.get(kind, "")}">'
                   f'{esc(text[s:e])}</span>')
        pos = e
    out.append(esc(text[pos:]))
    return block("".join(out))


def legend(kinds: list[str]) -> None:
    st.markdown(" ".join(f'<span style="{STYLE[k]}padding:0 4px">{FACT_ZH.get(k, k)}</span>' for k in kinds),
                unsafe_allow_html=True)


def locate(text: str, surface: str | None, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Where a fact's surface (as the extractor recorded it) sits inside its clause's text, for display."""
    if not surface or not text:
        return None
    start = 0
    while True:
        i = text.find(surface, start)
        if i < 0:
            return None
        span = (i, i + len(surface))
        if all(span[1] <= a or span[0] >= b for a, b in taken):
            return span
        start = i + 1
