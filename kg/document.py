"""The processed document: what :mod:`kg.pipeline` produces (read → clean → segment) and the fact layer
(:mod:`kg.facts`) and the graph writer (:mod:`kg.graph`) read.  It lives apart from both so that neither
imports the other for it."""
from __future__ import annotations

from dataclasses import dataclass, field

from .clean import CleanText
from .extract.layout import Zones
from .extract.metadata import DocMeta
from .extract.structure import Clause, Glossary
from .read import SourceDoc


@dataclass
class ProcessedDoc:
    doc_id: str
    source: SourceDoc
    clean: CleanText
    zones: Zones
    meta: DocMeta
    clauses: list[Clause]
    glossary: list[Glossary]
    warnings: list[str] = field(default_factory=list)
    facts: dict[str, list] = field(default_factory=dict)

    def all_clauses(self) -> list[Clause]:
        return [c for r in self.clauses for c in r.walk()]

    def own_text(self, c: Clause) -> str:
        t = self.clean.text
        return "\n".join(t[s:e] for s, e in c.own_segments())

    def clause_span(self, c: Clause) -> tuple[int, int]:
        """Source span of the clause with everything under it."""
        segs = [seg for x in c.walk() for seg in x.lines]
        if not segs:
            return (0, 0)
        start = min(s for s, _ in segs)
        end = max(e for _, e in segs)
        return self.clean.mt.source_span(start, end)

    def source_span(self, clean_start: int, clean_end: int) -> tuple[int, int]:
        return self.clean.mt.source_span(clean_start, clean_end)
