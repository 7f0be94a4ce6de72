"""kg.read: bytes → text. Encodings are detected, formats adapted, and every error names the file and why."""
from __future__ import annotations

import codecs
import io

import pytest

from kg.clean import clean
from kg.errors import EmptyDocument, KGError, UnreadableFile, UnsupportedFormat
from kg.read import decode, read_bytes, read_file

POLICY = (
    "工业和信息化部办公厅关于推进移动物联网“万物智联”发展的通知\n"
    "工信厅通信〔2024〕52号\n"
    "一、发展目标\n"
    "到2027年，移动物联网终端连接数力争突破36亿，其中4G/5G物联网终端连接数占比达到95%。\n"
)


def _write(tmp_path, name: str, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return p


def _assert_error(exc: KGError, path) -> None:
    assert exc.path == str(path)
    assert exc.reason and exc.reason.strip()
    assert str(path) in str(exc)
    assert exc.reason in str(exc)


# --- encodings ----------------------------------------------------------------------------------

def test_utf8(tmp_path):
    p = _write(tmp_path, "a.txt", POLICY.encode("utf-8"))
    src = read_file(p)
    assert src.text == POLICY
    assert src.encoding == "utf-8"
    assert src.format == "text"
    assert src.name == "a.txt"
    assert src.path == str(p)


def test_utf8_bom_is_not_part_of_the_text(tmp_path):
    p = _write(tmp_path, "a.txt", codecs.BOM_UTF8 + POLICY.encode("utf-8"))
    src = read_file(p)
    assert src.encoding == "utf-8-sig"
    assert src.text == POLICY
    assert not src.text.startswith("\ufeff")


@pytest.mark.parametrize("codec", ["gbk", "gb2312"])
def test_gbk_family(tmp_path, codec):
    p = _write(tmp_path, "a.txt", POLICY.encode(codec))
    src = read_file(p)
    assert src.encoding == "gb18030"
    assert src.text == POLICY


def test_gb18030_with_characters_outside_gbk(tmp_path):
    # 䶮 (U+4DAE, CJK ext. A) and 𠀀 (U+20000, a 4-byte GB18030 sequence) are not in GBK
    text = POLICY + "附：䶮𠀀字样不应丢失。\n"
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    src = read_file(_write(tmp_path, "a.txt", text.encode("gb18030")))
    assert src.encoding == "gb18030"
    assert src.text == text


@pytest.mark.parametrize("codec,bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_utf16_with_bom(tmp_path, codec, bom):
    p = _write(tmp_path, "a.txt", bom + POLICY.encode(codec))
    src = read_file(p)
    assert src.encoding == "utf-16"
    assert src.text == POLICY


def test_utf16_le_without_bom_ascii_heavy():
    text = "Policy 2024 No. 52: IoT 5G RedCap NB-IoT 物联网\n" * 5
    out, enc = decode(text.encode("utf-16-le"))
    assert enc == "utf-16-le"
    assert out == text


def test_crlf_is_kept_in_the_source_and_normalised_by_clean(tmp_path):
    p = _write(tmp_path, "a.txt", POLICY.replace("\n", "\r\n").encode("utf-8"))
    src = read_file(p)
    assert "\r\n" in src.text  # the source is the file as decoded; spans point into it
    ct = clean(src)
    assert "\r" not in ct.text
    assert ct.text.splitlines()[1] == "工信厅通信〔2024〕52号"


def test_sha256_is_of_the_raw_bytes(tmp_path):
    import hashlib

    data = POLICY.encode("gbk")
    src = read_file(_write(tmp_path, "a.txt", data))
    assert src.sha256 == hashlib.sha256(data).hexdigest()


# --- errors -------------------------------------------------------------------------------------

def test_binary_file_is_unreadable(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    p = _write(tmp_path, "scan.txt", png)
    with pytest.raises(UnreadableFile) as ei:
        read_file(p)
    _assert_error(ei.value, p)
    assert "二进制" in ei.value.reason
    assert ei.value.code == "KG002"


def test_control_characters_without_nul_are_unreadable(tmp_path):
    junk = bytes([1, 2, 3, 4, 5, 6, 7, 8, 0x0E, 0x0F, 0x10, 0x11] * 50)
    p = _write(tmp_path, "junk.md", junk)
    with pytest.raises(UnreadableFile) as ei:
        read_file(p)
    _assert_error(ei.value, p)


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t  ", codecs.BOM_UTF16_LE])
def test_empty_file(tmp_path, data):
    p = _write(tmp_path, "empty.txt", data)
    with pytest.raises(EmptyDocument) as ei:
        read_file(p)
    _assert_error(ei.value, p)
    assert ei.value.code == "KG003"


@pytest.mark.parametrize("name", ["plan.xls", "plan.doc", "plan.rtf", "README"])
def test_unsupported_suffix(tmp_path, name):
    p = _write(tmp_path, name, POLICY.encode("utf-8"))
    with pytest.raises(UnsupportedFormat) as ei:
        read_file(p)
    _assert_error(ei.value, p)
    assert ".docx" in ei.value.reason  # says what is supported
    assert ei.value.code == "KG001"


def test_unsupported_suffix_is_refused_before_reading(tmp_path):
    p = tmp_path / "missing.xlsx"  # does not exist: the suffix is the first reason
    with pytest.raises(UnsupportedFormat) as ei:
        read_file(p)
    _assert_error(ei.value, p)


def test_missing_file_is_unreadable(tmp_path):
    p = tmp_path / "missing.txt"
    with pytest.raises(UnreadableFile) as ei:
        read_file(p)
    _assert_error(ei.value, p)


def test_read_bytes_uses_name_as_path():
    with pytest.raises(EmptyDocument) as ei:
        read_bytes(b"", name="stdin.txt")
    assert ei.value.path == "stdin.txt"


def test_corrupt_docx_is_unreadable(tmp_path):
    p = _write(tmp_path, "broken.docx", b"PK\x03\x04 this is not really a zip archive" * 3)
    with pytest.raises(UnreadableFile) as ei:
        read_file(p)
    _assert_error(ei.value, p)
    assert ".docx" in ei.value.reason


# --- formats ------------------------------------------------------------------------------------

def test_html_source_is_the_file_and_clean_strips_it(tmp_path):
    page = (
        "<!DOCTYPE html><html><head><title>页面</title><style>p{color:red}</style>"
        "<script>var s='一、脚本里的假条款';</script></head><body>\n"
        "<h1>某某市推进算力基础设施建设行动方案</h1>\n"
        "<p>一、主要目标</p><p>到2026年，全市算力规模超过10EFLOPS&amp;PUE低于1.25。</p>\n"
        "<table><tr><th>指标</th><th>目标值</th></tr><tr><td>标准机架</td><td>8万架</td></tr></table>\n"
        "</body></html>"
    )
    p = _write(tmp_path, "page.html", page.encode("utf-8"))
    src = read_file(p)
    assert src.format == "html"
    assert src.text == page  # spans point into the file: tags are removed by the cleaner
    lines = clean(src).text.split("\n")
    assert lines == [
        "某某市推进算力基础设施建设行动方案",
        "一、主要目标",
        "到2026年，全市算力规模超过10EFLOPS&PUE低于1.25。",
        "指标\t目标值",
        "标准机架\t8万架",
    ]


def test_html_in_gbk_is_decoded(tmp_path):
    page = "<html><body><p>关于加快推进城市数字底座建设的实施意见</p></body></html>"
    src = read_file(_write(tmp_path, "p.htm", page.encode("gbk")))
    assert src.format == "html"
    assert src.encoding == "gb18030"
    assert clean(src).text == "关于加快推进城市数字底座建设的实施意见"


def test_markdown_format(tmp_path):
    src = read_file(_write(tmp_path, "n.md", "# 标题\n\n**一、目标**\n".encode("utf-8")))
    assert src.format == "markdown"
    assert clean(src).text == "标题\n一、目标"


def _docx_bytes() -> bytes:
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("某某市数字经济发展三年行动计划（2025—2027年）")
    d.add_paragraph("一、主要目标")
    t = d.add_table(rows=3, cols=3)
    for r, row in enumerate([("序号", "指标名称", "目标值"), ("1", "5G基站", "2万个"), ("2", "千兆用户", "100万户")]):
        for c, val in enumerate(row):
            t.cell(r, c).text = val
    d.add_paragraph("二、保障措施")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_paragraphs_and_table(tmp_path):
    p = _write(tmp_path, "plan.docx", _docx_bytes())
    src = read_file(p)
    assert src.format == "docx"
    assert src.encoding == "docx"
    assert src.text.split("\n") == [
        "某某市数字经济发展三年行动计划（2025—2027年）",
        "一、主要目标",
        "序号\t指标名称\t目标值",
        "1\t5G基站\t2万个",
        "2\t千兆用户\t100万户",
        "二、保障措施",
    ]


def test_docx_without_text_is_empty(tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("")
    buf = io.BytesIO()
    d.save(buf)
    p = _write(tmp_path, "blank.docx", buf.getvalue())
    with pytest.raises(EmptyDocument) as ei:
        read_file(p)
    _assert_error(ei.value, p)


def test_seeds_are_utf8():
    from pathlib import Path

    corpus = Path(__file__).resolve().parent.parent / "corpus"
    seeds = sorted(corpus.glob("*.txt"))
    assert len(seeds) == 5
    for f in seeds:
        src = read_file(f)
        assert src.encoding == "utf-8", f
        assert src.text == f.read_bytes().decode("utf-8")
