"""Inline definitions → glossary concepts (abbreviation tables are read by structure.py).

Three shapes, each a method name:

* ``inline-zh-abbr``: a Chinese term followed by its abbreviation in brackets — 射频识别（RFID）,
  区域全面经济伙伴关系协定（RCEP）.  The term runs back to the previous delimiter and no further than
  the last boundary word listed in definition_patterns.yaml (持续深度参与国际标准化组织 → 国际标准化组织).
* ``inline-abbr-zh``: an abbreviation followed by its Chinese meaning — 5G TSN（时间敏感网络）.
* ``inline-list``: a bracket that lists pairs — （含NB-IoT，窄带物联网；RedCap，轻量化）.

:func:`short_form_definitions` reads a fourth shape, ``short-form``: a name and the short form a document defines for it
— 国网常州供电公司（以下简称“供电公司”） (the parties extractor resolves such short forms of bodies).

>>> [(d.term, d.expansion) for d in extract_definitions("推广射频识别（RFID）技术。")]
[('RFID', '射频识别')]
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from kg.patterns import alternation
from kg.yamlio import load_yaml

from .base import Annotation, DocContext

_FILE = Path(__file__).resolve().parent.parent / "ontology" / "definition_patterns.yaml"
_ABBR = r"(?=[0-9\-]*[A-Za-z])[A-Za-z0-9][A-Za-z0-9\-+/.]{0,15}[A-Za-z0-9+]|[A-Za-z]"
_ZH_ABBR = re.compile(rf"(?P<zh>[\u4e00-\u9fff0-9A-Za-z]{{2,40}})[（(](?P<abbr>{_ABBR})[）)]")
_ABBR_ZH = re.compile(rf"(?<![A-Za-z0-9\-])(?P<abbr>{_ABBR})\s*[（(](?P<zh>[\u4e00-\u9fff][^（）()，,。；;]{{1,20}}|[0-9A-Za-z]+[\u4e00-\u9fff][^（）()，,。；;]{{0,18}})[）)]")
_LIST = re.compile(r"[（(](?P<opener>含|包括|即)(?P<body>[^（）()]{3,80})[）)]")
_PAIR = re.compile(rf"(?P<abbr>{_ABBR})\s*[，,]\s*(?:即)?(?P<zh>[^，,；;（）()]{{2,24}})")


@dataclass(frozen=True)
class Definition(Annotation):
    term: str = ""  # the abbreviation or short form (skos:prefLabel)
    expansion: str | None = None  # the Chinese full term


@functools.lru_cache(maxsize=1)
def _cfg() -> dict:
    return load_yaml(_FILE)


def _trim_term(phrase: str) -> tuple[str, int]:
    """The defined term at the end of ``phrase`` and its offset in it."""
    cfg = _cfg()
    cut = 0
    for b in cfg["boundaries"]:
        i = phrase.rfind(b)
        if i >= 0 and len(phrase) - (i + len(b)) >= 3:
            cut = max(cut, i + len(b))
    term = phrase[cut:]
    if len(term) > cfg["max_term_chars"]:
        cut = len(phrase) - cfg["max_term_chars"]
        term = phrase[cut:]
    return term, cut


def extract_definitions(text: str, ctx: DocContext | None = None) -> list[Definition]:
    out: list[Definition] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for m in _LIST.finditer(text):
        body_start = m.start("body")
        for p in _PAIR.finditer(m.group("body")):
            zh = p.group("zh").strip()
            if not re.search(r"[\u4e00-\u9fff]", zh):
                continue
            s, e = body_start + p.start(), body_start + p.end()
            out.append(Definition(s, e, text[s:e], "inline-list", 0.8, term=p.group("abbr"), expansion=zh))
            taken.append((s, e))
    for m in _ZH_ABBR.finditer(text):
        if not free(m.start(), m.end()):
            continue
        phrase = m.group("zh")
        # the phrase runs back to the previous delimiter only
        phrase = re.split(r"[、，,。；;：:“”《》\s]", phrase)[-1]
        if not re.search(r"[\u4e00-\u9fff]{2}", phrase):
            continue
        term, off = _trim_term(phrase)
        if len(term) < 2:
            continue
        s = m.start("zh") + (len(m.group("zh")) - len(phrase)) + off
        out.append(Definition(s, m.end(), text[s:m.end()], "inline-zh-abbr", 0.75, term=m.group("abbr"), expansion=term))
        taken.append((s, m.end()))
    for m in _ABBR_ZH.finditer(text):
        if not free(m.start(), m.end()):
            continue
        zh = m.group("zh").strip()
        if zh.startswith(("含", "包括", "即", "以下简称", "简称")) or len(zh) < 2:
            continue
        out.append(Definition(m.start(), m.end(), m.group(0), "inline-abbr-zh", 0.7, term=m.group("abbr"), expansion=zh))
        taken.append((m.start(), m.end()))
    out.sort(key=lambda d: d.start)
    return out


@functools.lru_cache(maxsize=1)
def _short_form_re() -> tuple[re.Pattern, re.Pattern, int]:
    d = _cfg()["short_form"]
    return re.compile(d["bracket"]["regex"]), re.compile(alternation(d["name_cut"])), int(d["name_max"])


def short_form_definitions(text: str) -> list[Definition]:
    """Names followed by the short form the text defines for them (definition_patterns.yaml ``short_form``):
    ``term`` the short form, ``expansion`` the name (run back from the bracket to the previous delimiter, after the last
    verb that introduces it), ``start`` where the name starts, ``end`` where the bracket ends.

    >>> [(d.term, d.expansion) for d in short_form_definitions("领导小组下设项目管理办公室（以下简称项管办）负责具体工作。")]
    [('项管办', '项目管理办公室')]
    """
    bracket, cut, name_max = _short_form_re()
    out: list[Definition] = []
    for m in bracket.finditer(text):
        j = m.start()
        while j > 0 and m.start() - j < name_max and re.match(r"[\u4e00-\u9fff]", text[j - 1]):
            j -= 1
        for c in cut.finditer(text, j, m.start()):
            if m.start() - c.end() >= 2:
                j = c.end()
        name = text[j:m.start()]
        if len(name) >= 2 and m.group("short") != name:
            out.append(Definition(j, m.end(), text[j:m.end()], "short-form", 0.8, term=m.group("short"), expansion=name))
    return out
