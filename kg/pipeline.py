"""read → clean → segment → extract, for one file or one text. Nothing here touches the store."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .clean import CleanText, clean
from .errors import NoStructure
from .extract.layout import Zones, find_zones
from .extract.metadata import DocMeta, read_metadata
from .extract.structure import Clause, Glossary, segment
from .read import SourceDoc, read_bytes, read_file


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


def _inline_definitions(doc: ProcessedDoc) -> None:
    """射频识别（RFID） and the like join the glossary (an abbreviation table, when present, wins)."""
    from .extract.definitions import extract_definitions

    known = {g.term for g in doc.glossary}
    text = doc.clean.text
    for c in doc.all_clauses():
        if c.kind in ("table", "row"):
            continue
        for ls, le in c.content_segments():
            for d in extract_definitions(text[ls:le]):
                if d.term in known:
                    continue
                known.add(d.term)
                doc.glossary.append(Glossary(d.term, d.expansion, None, ls + d.start, ls + d.end, d.method,
                                             clause=c, confidence=d.confidence))


def doc_id_for(name: str) -> str:
    """A readable, stable id from the file name: its stem, with characters unsafe in an IRI replaced."""
    stem = Path(name).stem
    stem = unicodedata.normalize("NFKC", stem).strip()
    stem = re.sub(r"[\s/\\?#%<>\"{}|^`\[\]]+", "-", stem)
    return stem.strip("-.") or "document"


def process_file(path: str | Path, *, with_facts: bool = True) -> ProcessedDoc:
    return process_source(read_file(path), with_facts=with_facts)


def process_text(text: str, name: str = "stdin.txt", *, with_facts: bool = True) -> ProcessedDoc:
    return process_source(read_bytes(text.encode("utf-8"), name=name), with_facts=with_facts)


def process_source(src: SourceDoc, *, with_facts: bool = True) -> ProcessedDoc:
    ct = clean(src)
    cjk = sum(1 for ch in ct.text if "\u4e00" <= ch <= "\u9fff")
    if cjk < 10:
        raise NoStructure("没有可识别的中文政策文本（中文字符不足 10 个）", path=src.path)
    zones = find_zones(ct)
    meta = read_metadata(ct, zones)
    clauses, glossary = segment(ct, zones)
    doc = ProcessedDoc(doc_id_for(src.name), src, ct, zones, meta, clauses, glossary)
    _inline_definitions(doc)
    if not any(c.kind not in ("preamble", "notice") for c in doc.all_clauses()):
        doc.warnings.append("未识别出条款编号（一、/（一）/1./（1）），全文作为一个条款收录")
    if src.encoding not in ("utf-8", "docx", "pdf"):
        doc.warnings.append(f"文件编码为 {src.encoding}，已自动识别并转换")
    if meta.title is None:
        doc.warnings.append("未识别出标题，以文件名代替")
        meta.title = Path(src.name).stem
    if with_facts:
        from .facts import extract_facts  # the fact layer builds on ProcessedDoc

        doc.facts = extract_facts(doc)
    return doc
