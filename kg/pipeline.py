"""read → clean → segment → extract, for one file or one text. Nothing here touches the store."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Callable

from .clean import clean
from .config import check_file_size
from .document import ProcessedDoc
from .errors import NoStructure
from .extract.layout import find_zones
from .extract.metadata import read_metadata
from .extract.reflow import reflow
from .extract.structure import Glossary, segment
from .read import SourceDoc, read_bytes, read_file

__all__ = ["ProcessedDoc", "PROGRESS_MIN_CHARS", "doc_id_for", "process_file", "process_source", "process_text"]


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


PROGRESS_MIN_CHARS = 100_000  # a file whose cleaned text is at least this long reports its progress


def _progress_reporter(total: int, on_progress: Callable[[int, int], None] | None):
    """``report(done)`` → ``on_progress(done, total)``, at most about once per 1 % (and always at 0 and the end);
    a no-op for files below :data:`PROGRESS_MIN_CHARS`."""
    if on_progress is None or total < PROGRESS_MIN_CHARS:
        return None
    step = max(1, total // 100)
    last = [-step]

    def report(done: int) -> None:
        done = min(done, total)
        if done - last[0] >= step or done in (0, total) and done != last[0]:
            last[0] = done
            on_progress(done, total)

    return report


def process_source(src: SourceDoc, *, with_facts: bool = True,
                   on_progress: Callable[[int, int], None] | None = None) -> ProcessedDoc:
    """``on_progress(done, total)``: for a big file (see :data:`PROGRESS_MIN_CHARS`), how many characters of its
    cleaned text have been through the extractors (the slow part), about once per 1 %."""
    if src.format in ("docx", "pdf"):  # the file was small enough; its text may not be (a .docx is compressed)
        check_file_size(len(src.text.encode("utf-8")), src.path, what="提取出的文字")
    ct = reflow(clean(src))  # line breaks scraping lost, restored in the head and at signatures
    report = _progress_reporter(len(ct.text), on_progress)
    if report is not None:
        report(0)
    cjk = sum(1 for ch in ct.text if "\u4e00" <= ch <= "\u9fff")
    if cjk < 10:
        raise NoStructure("没有可识别的中文政策文本（中文字符不足 10 个）", path=src.path)
    zones = find_zones(ct)
    meta = read_metadata(ct, zones)
    clauses, glossary = segment(ct, zones)
    doc = ProcessedDoc(doc_id_for(src.name), src, ct, zones, meta, clauses, glossary)
    _inline_definitions(doc)
    doc.warnings.extend(src.warnings)  # what reading repaired (invalid bytes, mixed encodings, NULs)
    numbered = any(c.kind not in ("preamble", "notice") for c in doc.all_clauses())
    if meta.title is None and meta.doc_number is None and not meta.issuers:
        doc.warnings.append("未识别出公文结构（没有标题、文号和发文机关），可能不是政策文件；已按普通文本收录")
    if not numbered:
        doc.warnings.append("未识别出条款编号（一、/（一）/1./（1）），全文作为一个条款收录")
    if src.encoding not in ("utf-8", "docx", "pdf"):
        doc.warnings.append(f"文件编码为 {src.encoding}，已自动识别并转换")
    if meta.title is None:
        doc.warnings.append("未识别出标题，以文件名代替")
        meta.title = Path(src.name).stem
    if with_facts:
        from .facts import extract_facts  # imported here: loading the extractors (spaCy) costs a second

        doc.facts = extract_facts(doc, on_progress=report)
    if report is not None:
        report(len(ct.text))
    return doc
