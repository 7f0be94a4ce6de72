"""External check of the number extractor against Microsoft Recognizers-Text's Chinese specs.

The cases live in ``tests/data/external/recognizers_text/{percent,number}.yaml``: every case of
``Specs/Number/Chinese/PercentModel.json`` and ``NumberModel.json`` (MIT licence), transcribed with
the spec's own expected text and value, each marked with its category; categories that are not
policy-relevant are listed there as excluded, with the reason, and are not scored.

A case is right when :func:`kg.extract.numbers.extract_numbers` finds exactly the expected items —
no more, no fewer — each with the same value, at the same offsets:

* percent set: only quantities of kind ``percent`` or ``percent_point`` count as found
  (Recognizers-Text's PercentModel reports nothing else).  ``N个百分点`` is resolved by
  Recognizers-Text as N%; we keep the unit 百分点, so the value must agree and the unit may be
  either.  The span must be exact.
* number set: every quantity counts.  The span must start where the expected one starts and may
  run on over a unit written after it (``199个``: we report 199 with unit 个, Recognizers-Text
  the bare 199) but over no further digit.
* range set (NumberRangeModel, both ends explicit: 20~100, 一到五个): value and value_high must be
  the interval's ends; the interval's open/closed brackets are not scored.
* a range we read as both ends (``5-20%`` → 5..20) matches Recognizers-Text's upper end (``20%``)
  when it ends where that ends and its upper value is the expected value — our reading keeps
  more, not less.

Sets: ``percent`` (PercentModel), ``number`` (NumberModel), ``range`` (NumberRangeModel).
``evaluate()`` returns per-category and total figures and the failures; ``format_table()``
prints them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from kg.extract.numbers import Quantity, extract_numbers

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "external" / "recognizers_text"
SETS = {"percent": DATA / "percent.yaml", "number": DATA / "number.yaml", "range": DATA / "range.yaml"}
PERCENT_KINDS = ("percent", "percent_point")


@dataclass
class Figure:
    cases: int = 0
    correct: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.cases if self.cases else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"cases": self.cases, "correct": self.correct, "accuracy": round(self.accuracy, 3)}


@dataclass
class SetResult:
    name: str
    source: dict[str, Any]
    categories: dict[str, Figure] = field(default_factory=dict)
    total: Figure = field(default_factory=Figure)
    excluded: dict[str, int] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"set": self.name, "source": self.source, "total": self.total.as_dict(),
                "categories": {k: v.as_dict() for k, v in self.categories.items()},
                "excluded": self.excluded, "failures": self.failures}


def _value(s: str) -> Decimal:
    return Decimal(str(s).strip().rstrip("%"))


def _same(v: int | float | None, expected: Decimal) -> bool:
    return v is not None and abs(Decimal(str(v)) - expected) <= abs(expected) * Decimal("1e-9")


def _matches(q: Quantity, exp: dict[str, Any], text: str, percent: bool) -> bool:
    s, e = exp["start"], exp["end"]
    if str(exp["value"])[:1] in "[(":  # an interval "[20,100)": both ends must agree (not the brackets)
        lo, hi = (_value(x) for x in str(exp["value"])[1:-1].split(","))
        return (q.start == s and q.end >= e and not any(ch.isdigit() for ch in text[e:q.end])
                and _same(q.value, lo) and _same(q.value_high, hi))
    want = _value(exp["value"])
    if q.value_high is not None and q.end == e and q.start <= s and _same(q.value_high, want):
        return True  # a range read with both ends: Recognizers-Text reports its upper end
    if q.start != s or not _same(q.value, want):
        return False
    if percent:
        return q.end == e
    return q.end >= e and not any(ch.isdigit() for ch in text[e:q.end])


def _found(text: str, percent: bool) -> list[Quantity]:
    qs = extract_numbers(text)
    return [q for q in qs if q.unit_kind in PERCENT_KINDS] if percent else qs


def _show(q: Quantity) -> str:
    hi = f"..{q.value_high}" if q.value_high is not None else ""
    return f"{q.surface}[{q.start}:{q.end}]={q.value}{hi}{q.unit or ''}"


def evaluate_set(name: str, path: Path | None = None) -> SetResult:
    data = yaml.safe_load(Path(path or SETS[name]).read_text(encoding="utf-8"))
    percent = name == "percent"
    res = SetResult(name=name, source=data["source"],
                    excluded={k: len(v["indices"]) for k, v in data["excluded_categories"].items()})
    for cat in data["included_categories"]:
        res.categories[cat] = Figure()
    for case in data["cases"]:
        text, expected = case["input"], case["expected"]
        got = _found(text, percent)
        unused = list(got)
        ok = True
        for exp in expected:
            hit = next((q for q in unused if _matches(q, exp, text, percent)), None)
            if hit is None:
                ok = False
            else:
                unused.remove(hit)
        ok = ok and not unused
        fig = res.categories.setdefault(case["category"], Figure())
        fig.cases += 1
        res.total.cases += 1
        if ok:
            fig.correct += 1
            res.total.correct += 1
        else:
            res.failures.append({
                "index": case["index"], "category": case["category"], "input": text,
                "expected": [f"{x['text']}[{x['start']}:{x['end']}]={x['value']}" for x in expected],
                "got": [_show(q) for q in got],
            })
    return res


def evaluate() -> dict[str, SetResult]:
    """Both sets: ``{"percent": SetResult, "number": SetResult}``."""
    return {name: evaluate_set(name) for name, path in SETS.items() if path.exists()}


def format_table(results: dict[str, SetResult] | None = None, failures: bool = False) -> str:
    """Plain-text table: one row per category and a total per set; failures listed on request."""
    results = evaluate() if results is None else results
    lines: list[str] = []
    for name, r in results.items():
        src = r.source
        lines.append(f"external: Recognizers-Text {src['path']} @{src['commit'][:8]} ({name})")
        lines.append(f"  {'category':<22}{'cases':>7}{'correct':>9}{'accuracy':>10}")
        for cat, f in r.categories.items():
            lines.append(f"  {cat:<22}{f.cases:>7}{f.correct:>9}{f.accuracy:>10.3f}")
        lines.append(f"  {'TOTAL':<22}{r.total.cases:>7}{r.total.correct:>9}{r.total.accuracy:>10.3f}")
        if r.excluded:
            lines.append("  not scored: " + ", ".join(f"{k} {v}" for k, v in r.excluded.items()))
        if failures:
            for f in r.failures:
                lines.append(f"  ✗ #{f['index']} {f['category']}: {f['input']!r} expected {f['expected']} got {f['got']}")
    return "\n".join(lines)


__all__ = ["evaluate", "evaluate_set", "format_table", "SetResult", "Figure", "SETS"]

if __name__ == "__main__":  # pragma: no cover
    print(format_table(failures=True))
