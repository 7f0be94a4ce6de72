"""The one contract every extractor follows.

An extractor is a function ``extract_xxx(text: str, ctx: DocContext) -> list[SomeAnnotation]``.
``text`` is a clause's cleaned text (or a sentence of it); every annotation's ``start``/``end`` are
offsets into that very string, ``[start, end)``.  The pipeline maps them back to the source file, so
extractors never deal with files, clauses or the graph.

Each annotation says how it was found (``method``: the name of the rule or model) and how sure we
are (``confidence``, 0–1, different evidence gives different values).  Kind-specific, normalised
fields live on the subclasses; ``to_dict()`` gives the JSON view.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DocContext:
    """What an extractor may know about the document a text comes from.

    Nothing here is filled from outside knowledge: fields the text does not state are ``None``.
    ``date_document`` is the reference date for relative expressions (年内, 明年) — never today.
    """

    doc_id: str | None = None
    title: str | None = None
    jurisdiction: str | None = None  # 全国, 上海市, 杨浦区 …
    level: str | None = None  # national | provincial | prefectural | county | township
    date_document: _dt.date | None = None
    period: tuple[int, int] | None = None  # plan period, e.g. (2026, 2028)
    issuers: tuple[str, ...] = ()  # canonical names of the issuing agencies
    doc_number: str | None = None
    # the headings of the clause a text stands in and of its ancestors (专栏 titles too), outermost first: evidence
    # for the kind of a figure with no cue of its own (一、发展基础 → achievement; 二、主要目标 → target)
    section: tuple[str, ...] = ()
    # the document's own short forms of bodies, (short form, full name) pairs: 国网常州供电公司（以下简称“供电公司”） →
    # ("供电公司", "国网常州供电公司") (kg/extract/parties.py short_forms)
    aliases: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Annotation:
    start: int
    end: int
    surface: str
    method: str
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            out[f.name] = to_jsonable(v)
        return out

    def shifted(self, offset: int):
        """The same annotation with offsets moved by ``offset`` (for text that is a slice)."""
        return dataclasses.replace(self, start=self.start + offset, end=self.end + offset)


from ..patterns import alternation  # noqa: E402,F401  (defined once, with the pattern fragments)


def to_jsonable(v: Any) -> Any:
    """Dates → ISO strings, tuples → lists, dataclasses → dicts, recursively."""
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v.isoformat()
    if isinstance(v, tuple):
        return [to_jsonable(x) for x in v]
    if isinstance(v, list):
        return [to_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {k: to_jsonable(x) for k, x in v.items()}
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return {f.name: to_jsonable(getattr(v, f.name)) for f in dataclasses.fields(v)}
    return v


__all__ = ["Annotation", "DocContext", "alternation", "field", "to_jsonable"]
