"""Chinese numerals: one table (``kg/ontology/numerals.yaml``), one conversion.

Every module that reads a Chinese numeral — clause numbers (第十二条, 三、), dates (二〇二一年十二月
十二日), quarters and relative spans (第一季度, 三年内), ordinals and counts in titles — converts it
here.  Small and positional numerals are read from the table; anything longer (一百零一, 两百) goes
through ``cn2an``.

>>> cn_to_int("二十三"), cn_to_int("两"), cn_to_int("一百零一"), cn_to_int("7")
(23, 2, 101, 7)
>>> cn_year("二〇三五"), cn_year("二○二一"), cn_year("2025")
(2035, 2021, 2025)
>>> cn_to_int("十十", default=0)
0
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.yamlio import loads_yaml

NUMERALS_FILE = Path(__file__).resolve().parent / "ontology" / "numerals.yaml"


@lru_cache(maxsize=None)
def numerals() -> dict[str, Any]:
    """The numeral tables of numerals.yaml (read once)."""
    with open(NUMERALS_FILE, encoding="utf-8") as fh:
        return loads_yaml(fh.read())


def _table(*names: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for n in names:
        out.update({str(k): int(v) for k, v in (numerals().get(n) or {}).items()})
    return out


DIGITS: dict[str, int] = _table("digits")  # 〇零一…九
COUNT_DIGITS: dict[str, int] = _table("digits", "count_variants")  # + 两
YEAR_DIGITS: dict[str, int] = _table("digits", "year_zero_variants")  # + ○
UNITS: dict[str, int] = _table("units")
FULLWIDTH_DIGITS = str(numerals()["fullwidth_digits"])
FULLWIDTH_TRANS = str.maketrans(FULLWIDTH_DIGITS, "0123456789")
# a written-out year, character by character: 二〇二五 → 2025
YEAR_TRANS = str.maketrans({k: str(v) for k, v in YEAR_DIGITS.items()})
_POSITIONAL = {**COUNT_DIGITS, **YEAR_DIGITS}


def char_classes() -> dict[str, str]:
    """Character-class contents (for ``[...]``) derived from the tables, by fragment name."""
    nonzero = "".join(k for k, v in DIGITS.items() if v)
    return {
        "cn_digit_chars": "".join(DIGITS),
        "cn_nonzero_digit_chars": nonzero,
        "cn_count_digit_chars": "".join(COUNT_DIGITS),
        "cn_year_digit_chars": "".join(YEAR_DIGITS),
        "cn_unit_chars": "".join(UNITS),
        "fullwidth_digit_chars": FULLWIDTH_DIGITS,
    }


_FAIL = object()


def cn_to_int(s: str, default: Any = _FAIL) -> int:
    """An integer written in Chinese or ASCII digits: 一 → 1, 十二 → 12, 二十三 → 23, 两 → 2,
    一百零一 → 101, 二〇二五 → 2025 (digit by digit), ７ → 7.

    Raises ``ValueError`` for a string that is not an integer numeral, unless ``default`` is given.
    """
    t = (s or "").strip()
    if t.isdigit():
        return int(t)
    if t and all(c in _POSITIONAL for c in t):
        total = 0
        for c in t:
            total = total * 10 + _POSITIONAL[c]
        return total
    try:
        import cn2an  # only for long numerals; its import costs 0.2 s at start-up

        v = cn2an.cn2an(t.translate(FULLWIDTH_TRANS), "smart") if t else None
    except (ValueError, KeyError, IndexError, TypeError):
        v = None
    if v is not None and float(v) == int(v):
        return int(v)
    if default is not _FAIL:
        return default
    raise ValueError(f"not an integer numeral: {s!r}")


def cn_year(s: str) -> int:
    """A year written digit by digit, in ASCII, full-width or Chinese digits: 二〇三五 → 2035."""
    t = (s or "").strip().translate(FULLWIDTH_TRANS).translate(YEAR_TRANS)
    if not t.isdigit():
        raise ValueError(f"not a year: {s!r}")
    return int(t)


__all__ = ["DIGITS", "COUNT_DIGITS", "YEAR_DIGITS", "UNITS", "FULLWIDTH_TRANS", "YEAR_TRANS", "char_classes",
           "cn_to_int", "cn_year", "numerals"]
