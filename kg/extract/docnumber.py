"""发文字号 (document numbers): find them in text and normalise them.

A 发文字号 is 机关代字 + 〔年份〕 + 序号 + 号 (GB/T 9704-2012 §7.2.4), e.g. 工信厅通信〔2024〕52号,
工信部联科〔2021〕130号, 沪通信管临港〔2025〕1号, 国发〔2024〕7号.  Real text also writes the year in
``[] （） () 【】`` and puts spaces anywhere; the normal form uses 六角括号 〔〕, no spaces, ASCII
digits, no zero padding and no 第.

Used by the metadata reader (the document's own number) and by the reference extractor.

>>> normalize_doc_number("工信厅通信 [2024] 052 号")
'工信厅通信〔2024〕52号'
>>> [d.value for d in find_doc_numbers("根据国发（2024）7号文件精神")]
['国发〔2024〕7号']
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.base import Annotation
from kg.numerals import FULLWIDTH_TRANS
from kg.patterns import fragment, pattern

_FULLWIDTH_DIGITS = FULLWIDTH_TRANS
_OPEN_CLASS = fragment("doc_number_open")  # regex class bodies: 〔 [ ［ （ ( 【 〖 and their closers
_CLOSE_CLASS = fragment("doc_number_close")

# 机关代字: 1–12 CJK characters (沪通信管临港, 工信部联科, 国办发 …).  Matched greedily and then
# trimmed of leading words that belong to the sentence, not to the code (see _LEAD_WORDS).
# The pattern is patterns.yaml ``doc_number``.
_DOCNUM_RE = pattern("doc_number")

# Sentence words that can stand right before a 文号 and must not be read as part of 机关代字.
# Longest first; stripped repeatedly from the left.
_LEAD_WORDS = sorted(
    {
        "发文字号", "文号", "根据", "依据", "依照", "按照", "参照", "贯彻落实", "落实", "贯彻", "执行",
        "印发", "转发", "关于", "文件", "通知", "精神", "要求", "的", "和", "及", "与", "以及", "见",
        "详见", "即", "原", "号文", "号", "由", "经", "为", "对", "将", "按", "据", "请", "并", "或",
    },
    key=len,
    reverse=True,
)


@dataclass(frozen=True)
class DocNumber(Annotation):
    """One 发文字号 found in text. ``value`` is the normal form (see :func:`normalize_doc_number`)."""

    value: str = ""
    agency_code: str = ""  # 机关代字
    year: int = 0
    serial: int = 0


# Words of two characters or more among them, that end the sentence's part wherever they stand before the code
# (认真执行川府发〔2022〕5号: 认真 is no lead word, 执行 is): the code starts after the last of them.
_INNER_LEAD = re.compile("|".join(re.escape(w) for w in _LEAD_WORDS if len(w) >= 2 and w not in ("号文",)))


_ACTING_BODY = pattern("doc_number_acting_body")  # patterns.yaml: 市政府以 | 沪府〔2024〕21号


def _trim_code(code: str) -> str:
    inner = None
    for inner in _INNER_LEAD.finditer(code):
        pass
    for m in _ACTING_BODY.finditer(code):
        if inner is None or m.end() > inner.end():
            inner = m
    if inner is not None and inner.end() < len(code):
        code = code[inner.end():]
    changed = True
    while changed and code:
        changed = False
        for w in _LEAD_WORDS:
            if code.startswith(w) and len(code) > len(w):
                code = code[len(w):]
                changed = True
                break
    return code


def _parse(m: re.Match) -> tuple[str, int, int, int]:
    """(code, year, serial, code_offset_in_match)"""
    raw = m.group("code")
    code = _trim_code(raw)
    year = int(m.group("year").translate(_FULLWIDTH_DIGITS))
    serial = int(m.group("serial").translate(_FULLWIDTH_DIGITS))
    return code, year, serial, len(raw) - len(code)


def normalize_doc_number(s: str) -> str:
    """The normal form of a 发文字号: ``代字〔年份〕序号号``.

    Tolerates 〔〕 [] ［］ （） () 【】, spaces, full-width digits, zero padding and 第.  A string that
    does not look like a 文号 comes back with whitespace removed and its brackets normalised, so
    the function is total and idempotent.
    """
    from kg.clean import converter_gloss

    # (a converter's readings in brackets are no part of it: 工信部企業(yè)〔2022〕119號 is 工信部企業〔2022〕119号)
    compact = converter_gloss().sub("", re.sub(r"\s+", "", s or ""))
    m = _DOCNUM_RE.search(compact)
    if m and m.start() == 0 and m.end() == len(compact):
        code, year, serial, _ = _parse(m)
        # the caller gave us a whole 文号: keep its code as given (no lead-word trimming)
        code = m.group("code")
        return f"{code}〔{year}〕{serial}号"
    out = compact.translate(_FULLWIDTH_DIGITS)
    out = re.sub(rf"[{_OPEN_CLASS}]((?:19|20)\d\d)[{_CLOSE_CLASS}]", r"〔\1〕", out)
    return out


_CODE_MAX = 12  # the longest 机关代字 patterns.yaml ``doc_number`` takes
_ISSUER_MAX = 30  # the longest issuer's name looked for before a code that reached it


def _after_issuer(text: str, m: re.Match, skip: int) -> int | None:
    """Where the 机关代字 begins when a body's name runs straight into it: 国务院办公厅国办发〔2022〕1号, or a name so long
    that the code the pattern took reached its longest (上海市经济信息化委沪经信规〔2023〕5号: the pattern starts at 海).
    The name is read as the head's reader reads a glued masthead (:func:`kg.extract.reflow.issuer_code_cut`), after
    any words of the sentence (根据…); None when no name ends there."""
    cs = m.start("code")
    lo = cs
    if len(m.group("code")) >= _CODE_MAX:
        while lo > 0 and cs - lo < _ISSUER_MAX and "\u4e00" <= text[lo - 1] <= "\u9fff":
            lo -= 1
    if m.start("year") - (cs + skip) < 6 and lo == cs:
        return None  # too short for a name of five characters and a code
    from .reflow import issuer_code_cut

    for floor in range(lo, cs + skip + 1):
        cut = issuer_code_cut(text, floor, m.start("year"))
        if cut > floor:
            return cut
    return None


def find_doc_numbers(text: str) -> list[DocNumber]:
    """Every 发文字号 in ``text``, with offsets into ``text`` and the normal form in ``value``."""
    out: list[DocNumber] = []
    for m in _DOCNUM_RE.finditer(text):
        code, year, serial, skip = _parse(m)
        start = m.start("code") + skip
        after_issuer = _after_issuer(text, m, skip)
        if after_issuer is not None:
            start, code = after_issuer, text[after_issuer:m.end("code")]
        if not code:
            continue
        end = m.end()
        bracket_std = "〔" in m.group(0) and "〕" in m.group(0)
        spaced = bool(re.search(r"\s", text[start:end]))
        conf = 0.98 if bracket_std and not spaced else 0.93
        out.append(
            DocNumber(
                start=start,
                end=end,
                surface=text[start:end],
                method="docnumber.pattern" if bracket_std else "docnumber.pattern-variant-bracket",
                confidence=conf,
                value=f"{code}〔{year}〕{serial}号",
                agency_code=code,
                year=year,
                serial=serial,
            )
        )
    return out


__all__ = ["DocNumber", "find_doc_numbers", "normalize_doc_number"]
