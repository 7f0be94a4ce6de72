"""Every province, prefecture and county of the PRC (GB/T 2260), for level and jurisdiction.

The gazetteer (``places.yaml``) knows 70 places well: their bodies, short names and quirks.  This
table knows all 3,342 (and counties abolished since 2009) by name only, so that a document issued by
温岭市人民政府 or 中共绍兴市上虞区委办公室 still gets its level (county) and jurisdiction (温岭市, 上虞区) when the
gazetteer lists neither.

>>> [d.name for d in place_chain("杭州市临安区人民政府")]
['杭州市', '临安区']
>>> place_at_start("中共东阳市委东阳市人民政府").level
'county'
>>> place_at_start("关于印发《方案》的通知") is None
True
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .patterns import compile_template

DATA = Path(__file__).resolve().parent / "ontology" / "divisions.csv"

# suffixes that may be dropped to give the short name people write (浙江, 嘉兴, 新疆, 延边);
# longest first.  Counties keep their full name: their short forms collide with ordinary words.
_SHORTEN = re.compile(r"(?:维吾尔自治区|壮族自治区|回族自治区|自治区|特别行政区|[\u4e00-\u9fff]{1,6}?族自治州|自治州|地区|盟|省|市)$")
# an autonomous prefecture is written short by its place and 州 or 自治州, its peoples left out (湘西土家族苗族自治州 → 湘西州,
# 湘西自治州, 湘西; 黔东南苗族侗族自治州 → 黔东南州): the place is what stands before the first people's name
_AUTONOMOUS_PREFECTURE = compile_template(r"^(?P<place>[\u4e00-\u9fff]{2,4}?)(?:{ethnic_groups}族?)+自治州$")  # patterns.yaml
_PARTY_PREFIX = re.compile(r"^(?:中国共产党|中共|共青团)")  # (共青团嘉兴市委: the league's committee of a place)


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str  # provincial | prefectural | county
    parent: str | None

    @property
    def province(self) -> str:
        return self.code[:2] + "0000"


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, Division], dict[str, list[Division]], int]:
    by_code: dict[str, Division] = {}
    by_name: dict[str, list[Division]] = {}
    with DATA.open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        for r in rows:
            d = Division(r["code"], r["name"], r["level"], r["parent"] or None)
            by_code[d.code] = d
            by_name.setdefault(d.name, []).append(d)
    for d in list(by_code.values()):
        if d.level == "county":
            continue
        short = _SHORTEN.sub("", d.name)
        if len(short) >= 2 and short != d.name:
            by_name.setdefault(short, []).append(d)
    for d in list(by_code.values()):  # (after every other short name: 海南 stays 海南省's)
        am = _AUTONOMOUS_PREFECTURE.match(d.name) if d.level != "county" else None
        if am:
            for form in (am.group("place"), am.group("place") + "州", am.group("place") + "自治州"):
                if form == am.group("place") and form in by_name:
                    continue  # 海南 is 海南省's short name: the prefecture (海南藏族自治州) is 海南州 only
                if d not in by_name.get(form, []):
                    by_name.setdefault(form, []).append(d)
    longest = max(len(k) for k in by_name)
    return by_code, by_name, longest


def provinces_short() -> list[tuple[str, str]]:
    """(short name, suffix) of every provincial-level division: (浙江, 省), (广西, 壮族自治区), (香港, 特别行政区)."""
    out = []
    for d in _table()[0].values():
        if d.level == "provincial":
            short = _SHORTEN.sub("", d.name)
            out.append((short, d.name[len(short):]))
    return sorted(out)


def by_code(code: str) -> Division | None:
    return _table()[0].get(code)


def named(name: str) -> list[Division]:
    """All divisions called ``name`` (full or short name); several where names repeat (普陀区)."""
    return list(_table()[1].get(name, ()))


def _ancestors(d: Division) -> set[str]:
    codes = _table()[0]
    out = set()
    while d.parent:
        out.add(d.parent)
        d = codes[d.parent]
    return out


def place_chain(text: str, start: int = 0, *, within: str | None = None) -> list[Division]:
    """The run of nested places ``text`` starts with (浙江省杭州市临安区 → three), most general first.

    A name that repeats (普陀区) is taken in the place named before it, else in ``within`` (a province
    or prefecture name, e.g. the document's jurisdiction), else when it is the only one of its name.
    """
    _, names, longest = _table()
    m = _PARTY_PREFIX.match(text, start)
    i = m.end() if m else start
    chain: list[Division] = []
    scope = named(within)[0].code if within and named(within) else None
    while i < len(text):
        hit = None
        for n in range(min(longest, len(text) - i), 1, -1):
            cands = names.get(text[i:i + n])
            if not cands:
                continue
            if chain:
                cands = [c for c in cands if chain[-1].code in _ancestors(c)]
            elif len(cands) > 1 and scope:
                cands = [c for c in cands if scope in _ancestors(c) or c.code == scope] or cands
            if len(cands) == 1:
                hit = (cands[0], n)
                break
            if cands and len({c.level for c in cands}) == 1 and not chain:
                # same name, same level, no way to tell (普陀区): keep the name, not the code
                hit = (Division("", cands[0].name, cands[0].level, None), n)
                break
        if hit is None:
            break
        chain.append(hit[0])
        i += hit[1]
        if not hit[0].code:
            break
    return chain


def place_at_start(text: str, *, within: str | None = None) -> Division | None:
    """The most specific place ``text`` starts with, or None."""
    chain = place_chain(text, within=within)
    return chain[-1] if chain else None
