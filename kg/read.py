"""Bytes → text. Detects the encoding instead of assuming it; format adapters for txt/md/html/docx/pdf.

The decoded text returned here is *the source*: every span in the graph is an offset into it.
For .txt/.md/.html the source is the decoded file itself (HTML tags are removed later, by the
cleaner, so spans still point into the file); for .docx and .pdf, whose bytes are not text, the
source is the text the adapter extracts (paragraphs joined by newlines).
"""
from __future__ import annotations

import codecs
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from .errors import EmptyDocument, UnreadableFile, UnsupportedFormat

TEXT_FORMATS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
                ".html": "html", ".htm": "html", ".xhtml": "html"}
BINARY_FORMATS = {".docx": "docx", ".pdf": "pdf"}
SUPPORTED = tuple(sorted(set(TEXT_FORMATS) | set(BINARY_FORMATS)))


@dataclass(frozen=True)
class SourceDoc:
    path: str  # as given (for messages)
    name: str  # file name
    format: str  # text | markdown | html | docx | pdf
    encoding: str  # utf-8, utf-8-sig, gb18030, utf-16 … or the adapter name
    sha256: str  # of the raw bytes
    text: str  # the decoded source text


def read_file(path: str | Path) -> SourceDoc:
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in TEXT_FORMATS and suffix not in BINARY_FORMATS:
        raise UnsupportedFormat(f"不支持的文件格式 {suffix or '(无扩展名)'}；支持: {', '.join(SUPPORTED)}", path=str(p))
    try:
        data = p.read_bytes()
    except OSError as e:
        raise UnreadableFile(f"无法读取文件: {e.strerror or e}", path=str(p)) from e
    return read_bytes(data, name=p.name, path=str(p))


def read_bytes(data: bytes, *, name: str, path: str | None = None) -> SourceDoc:
    path = path or name
    suffix = Path(name).suffix.lower() or ".txt"
    fmt = TEXT_FORMATS.get(suffix) or BINARY_FORMATS.get(suffix)
    if fmt is None:
        raise UnsupportedFormat(f"不支持的文件格式 {suffix}", path=path)
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise EmptyDocument("文件为空", path=path)
    if fmt == "docx":
        text, enc = _docx_text(data, path), "docx"
    elif fmt == "pdf":
        text, enc = _pdf_text(data, path), "pdf"
    else:
        text, enc = decode(data, path=path)
    if not text.strip():
        raise EmptyDocument("文件中没有可读的文字", path=path)
    return SourceDoc(path=path, name=Path(name).name, format=fmt, encoding=enc, sha256=digest, text=text)


_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes, *, path: str = "") -> tuple[str, str]:
    """Decode bytes of a text file: BOM first, then strict UTF-8, then GB18030, then detection."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return _strict(data, enc, path), enc
    if _looks_utf16(data):
        enc = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return _strict(data, enc, path), enc
    if b"\x00" in data[:4096] or _control_ratio(data[:4096]) > 0.1:
        raise UnreadableFile("看起来是二进制文件，不是文本（含有 NUL 或大量控制字符）", path=path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Chinese government texts that are not UTF-8 are nearly always GBK/GB18030 (a superset).
    try:
        text = data.decode("gb18030")
        if _cjk_ratio(text) > 0.2:
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnreadableFile("无法识别文件编码", path=path)
    return str(best), best.encoding


def _strict(data: bytes, enc: str, path: str) -> str:
    try:
        return data.decode(enc)
    except UnicodeDecodeError as e:
        raise UnreadableFile(f"按 {enc} 解码失败: {e.reason} (字节 {e.start})", path=path) from e


def _looks_utf16(data: bytes) -> bool:
    head = data[:2000]
    if len(head) < 4:
        return False
    even_nul = head[0::2].count(0)
    odd_nul = head[1::2].count(0)
    half = len(head) / 2
    # ASCII-heavy UTF-16 has NULs on one side; CJK-heavy UTF-16 rarely decodes as UTF-8/GBK cleanly.
    return (odd_nul > 0.3 * half and even_nul < 0.05 * half) or (even_nul > 0.3 * half and odd_nul < 0.05 * half)


def _control_ratio(data: bytes) -> float:
    if not data:
        return 0.0
    bad = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13, 27))
    return bad / len(data)


def _cjk_ratio(text: str) -> float:
    sample = text[:5000]
    if not sample:
        return 0.0
    return sum(1 for c in sample if "\u4e00" <= c <= "\u9fff") / len(sample)


def _docx_text(data: bytes, path: str) -> str:
    try:
        import docx  # python-docx
    except ImportError as e:  # pragma: no cover - dependency is pinned
        raise UnsupportedFormat("读取 .docx 需要 python-docx", path=path) from e
    try:
        d = docx.Document(io.BytesIO(data))
    except Exception as e:  # noqa: BLE001 - any parse failure is an unreadable file
        raise UnreadableFile(f"不是有效的 .docx 文件: {e}", path=path) from e
    lines: list[str] = []
    body = d.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for tr in child.iter():
                if not tr.tag.endswith("}tr"):
                    continue
                cells = []
                for tc in tr.iterchildren():
                    if tc.tag.endswith("}tc"):
                        cells.append("".join(t.text or "" for t in tc.iter() if t.tag.endswith("}t")).strip())
                lines.append("\t".join(cells))
    return "\n".join(lines)


def _pdf_text(data: bytes, path: str) -> str:
    try:
        from pypdf import PdfReader
    except ImportError as e:  # pragma: no cover
        raise UnsupportedFormat("读取 .pdf 需要 pypdf", path=path) from e
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as e:  # noqa: BLE001
        raise UnreadableFile(f"无法解析 PDF: {e}", path=path) from e
    text = "\n".join(pages)
    if not text.strip():
        raise UnreadableFile("PDF 中没有文字层（可能是扫描件，需要先 OCR）", path=path)
    return text
