"""Inline definitions → glossary concepts (abbreviation tables are read by structure.py).

Three shapes, each a method name:

* ``inline-zh-abbr``: a Chinese term followed by its abbreviation in brackets — 射频识别（RFID）,
  区域全面经济伙伴关系协定（RCEP）.  The term runs back to the previous delimiter and no further than
  the last boundary word listed in definition_patterns.yaml (持续深度参与国际标准化组织 → 国际标准化组织).
* ``inline-abbr-zh``: an abbreviation followed by its Chinese meaning — 5G TSN（时间敏感网络）.
* ``inline-list``: a bracket that lists pairs — （含NB-IoT，窄带物联网；RedCap，轻量化）.

>>> [(d.term, d.expansion) for d in extract_definitions("推广射频识别（RFID）技术。")]
[('RFID', '射频识别')]
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

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
