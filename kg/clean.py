"""Debris removal with every change recorded and every offset mapped back to the source.

Input: a :class:`~kg.read.SourceDoc`.  Output: :class:`CleanText` — one logical paragraph per
line (``\\n``-separated, no blank lines), table rows as tab-separated cells, footnotes lifted out of
the flow, and a list of :class:`Change` saying what was removed, replaced or rejoined and where.

Steps, in order (each one a small function, each one recording its changes):
1. line endings → ``\\n``; form feeds (page breaks) → ``\\n``;
2. HTML: whole documents (``.html``, whose ``<nav>``/``<aside>`` menus and link-only list items are
   dropped) and markup in
   text files (``<p>`` debris, a pasted ``<script>…</script>``): block tags become line breaks,
   cells become tabs, active elements (script, style, iframe…) go with their content, other tags
   of known HTML elements are removed, entities are decoded — and markup that entities spelled out
   (``&lt;script&gt;``) is removed after decoding, so no tag reaches the graph as content;
   C0/C1 control characters are dropped; a page mostly in traditional characters (a portal's big5 gate) is
   read in simplified ones (kg/ontology/script_variants.yaml, one character for one: offsets hold);
3. Markdown: ``#`` headings, ``**bold**`` (a numbered heading that starts inside bold in mid-line
   is split onto its own line first), escapes, ``---`` rules, pipe tables → tabs;
4. machine-translation noise between Chinese words (`` and `` → 和, `` will `` → 将, `` etc `` → 等);
5. page footers (``- 3 -``, ``第 3 页 共 10 页``) dropped; footnote lines (``注：…``) lifted out
   and kept as :class:`Footnote` with their marker (``^{【注】}``) position;
6. lines broken in mid-sentence (page breaks, hard wrapping, a 《title》 or a “quote” left open)
   are rejoined; headings, titles, table rows and signature lines are never glued to their neighbours.

Spaces inside a line are kept for display (some titles contain a real one); matching ignores them
through :meth:`kg.text.MappedText.compact`.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache
from dataclasses import dataclass, field

from .patterns import compile_template, expand, fragment_list, pattern
from .read import SourceDoc
from .text import Builder, MappedText, substitute


@dataclass(frozen=True)
class Change:
    kind: str  # newline | html | markdown | noise | footer | footnote | join | whitespace
    start: int  # source span
    end: int
    before: str
    after: str


@dataclass(frozen=True)
class Footnote:
    marker: str | None  # the marker text (【注】, 1, *) or None when the note has no marker
    text: str
    start: int  # source span of the note line
    end: int
    marker_pos: int | None  # source offset of the marker in the body, when found


@dataclass
class CleanText:
    source: SourceDoc
    mt: MappedText
    changes: list[Change] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.mt.text

    def lines(self) -> list[tuple[int, int]]:
        """``[start, end)`` of each line of the cleaned text."""
        out, pos = [], 0
        t = self.mt.text
        while pos <= len(t):
            nl = t.find("\n", pos)
            if nl < 0:
                nl = len(t)
            if nl > pos:
                out.append((pos, nl))
            pos = nl + 1
        return out


# --- patterns -------------------------------------------------------------------------------

CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{CJK}]")
NUM_MARK = expand(
    r"(?:{cn_clause_num}[、．.]"  # 一、
    r"|[（(]\s*{cn_clause_num}\s*[）)]"  # （一）
    r"|\d{1,2}\s*[.．、](?!\d)"  # 1.  1、
    r"|[（(]\s*\d{1,2}\s*[）)]"  # （1）
    r"|[①-⑳]"  # ①
    r"|第{cn_ordinal_num}[章节条部分]"  # 第一章
    r")"
)
_HEADING_START = re.compile(rf"^\s*(?:{NUM_MARK}|专栏\s*\d*|——|附表|附件\s*\d*)")

_BLOCK_TAGS = r"(?:p|div|br|li|ul|ol|h[1-6]|tr|table|tbody|thead|section|article|header|footer|blockquote|pre|title)"
_CELL_TAGS = r"(?:td|th)"
_HTML_DROP = re.compile(r"<(script|style|head)\b[^>]*>.*?</\1\s*>|<!--.*?-->|<!DOCTYPE[^>]*>", re.S | re.I)
_HTML_BLOCK = re.compile(rf"(?<!\s)\s*</?{_BLOCK_TAGS}\b[^>]*>\s*", re.I)
_HTML_CELL = re.compile(rf"</?{_CELL_TAGS}\b[^>]*>", re.I)
_HTML_ANY = re.compile(r"</?[A-Za-z][A-Za-z0-9]*\b[^<>]*>")
_HTML_NAV = re.compile(r"<(nav|aside)\b[^>]*>.*?</\1\s*>", re.S | re.I)  # a portal's menus are not the document
# … nor are its link lists: a list item that is nothing but one link (menus, breadcrumbs, "related links")
_INLINE = r"(?:[^<]|</?(?:span|em|b|i|u|font|strong|small)\b[^>]*>)*"
_HTML_LINK_ITEM = re.compile(rf"<li\b[^>]*>\s*<a\b[^>]*>{_INLINE}</a>\s*</li\s*>", re.I)
# Markup in any file (a .txt pasted from a web page, or markup spelled with entities, &lt;script&gt;):
# active elements go with their content; tags of known HTML elements, written as tags (ASCII attributes,
# so “a<b 与 5G>4G” is left alone), are removed.  Each removal is an "html" change.
_ACTIVE = r"(?:script|style|iframe|object|embed|noscript|template|svg|math|applet|frameset|textarea|select)"
_ACTIVE_CLOSE = re.compile(rf"</({_ACTIVE})\s*>", re.I)


def _markup_drop(text: str) -> re.Pattern[str]:
    """An active element with its content (``<script>…</script>``), for the active elements that are closed
    somewhere in ``text`` (an opening tag
    with no closing one is only a tag, removed by ``_MARKUP_TAG``): a file of unclosed ``<svg>`` tags
    must not make every one of them scan to the end of the file."""
    names = sorted({m.group(1).lower() for m in _ACTIVE_CLOSE.finditer(text)})
    return _drop_for(tuple(names))


@lru_cache(maxsize=64)
def _drop_for(names: tuple[str, ...]) -> re.Pattern[str]:
    if not names:
        return re.compile(r"(?!)")
    return re.compile(rf"<({'|'.join(names)})\b[^>]*>.*?</\1\s*>", re.S | re.I)
_TAG_NAMES = (
    "a|abbr|address|applet|area|article|aside|audio|b|base|bdi|bdo|big|blink|blockquote|body|br|button|canvas|"
    "caption|center|cite|code|col|colgroup|data|datalist|dd|del|details|dfn|dialog|div|dl|dt|em|embed|fieldset|"
    "figcaption|figure|font|footer|form|frame|frameset|h[1-6]|head|header|hr|html|i|iframe|img|input|ins|kbd|"
    "label|legend|li|link|main|map|mark|marquee|math|meta|meter|nav|noscript|object|ol|optgroup|option|output|p|"
    "param|picture|pre|progress|q|s|samp|script|section|select|small|source|span|strike|strong|style|sub|"
    "summary|sup|svg|table|tbody|td|template|textarea|tfoot|th|thead|time|title|tr|track|tt|u|ul|var|video|wbr"
)
_ATTR = r"""(?:\s+[A-Za-z_:@][-\w:.@]*(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>=`]+))?)"""
_MARKUP_TAG = re.compile(rf"</?(?:{_TAG_NAMES})(?![\w-]){_ATTR}*\s*/?>", re.I)
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # C0/C1 controls (tab and newline are kept)
_HTML_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z]{2,8});")

_MD_INLINE_HEADING = re.compile(rf"(?<=[。；！？;!?])\s*(\*\*|__)(?=\s*{NUM_MARK})")
_MD_HEADING = re.compile(r"(?m)^[ \t]*#{1,6}[ \t]*")
_MD_BOLD = re.compile(r"\*\*|__(?=\S)|(?<=\S)__")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_MD_RULE = re.compile(r"(?m)^[ \t]*(?:-{3,}|\*{3,}|_{3,}|={3,})[ \t]*$")
_MD_TABLE_SEP = re.compile(r"(?m)^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)+\|?[ \t]*$")
_MD_TABLE_ROW = re.compile(r"(?m)^[ \t]*\|(.*)\|[ \t]*$")
_MD_PIPE = re.compile(r"(?<![ \t])[ \t]*\|[ \t]*")
_HTML_CELL_SPAN = re.compile(r"<t[dh]\b[^>]*>.*?</t[dh]\s*>", re.I | re.S)
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# (the lookbehind makes a long run of spaces inside a line cost one try, not one per space)
_TRAILING_WS = re.compile(r"(?m)(?<![ \t\u3000\u00a0])[ \t\u3000\u00a0]+$")
_LEADING_WS = re.compile(r"(?m)^[ \t\u3000\u00a0]+")
_FOOTNOTE_MARKER = re.compile(r"\^\{([^{}]{1,8})\}|\^\[([^\[\]]{1,8})\]|\[\^([^\[\]]{1,8})\]")
_NOISE = re.compile(rf"(?<=[{CJK}，、])\s*\b(and|will|etc\.?|the|of)\b\s*(?=[{CJK}，、。])", re.I)
_NOISE_MAP = {"and": "和", "will": "将", "etc": "等", "etc.": "等", "the": "", "of": "的"}

_FOOTER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]"
    r"|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:Page|页码)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)\s*$",
    re.I,
)
_LONE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_FOOTNOTE_LINE = re.compile(r"^\s*(?:[—–-]{1,2}\s*)?(?:【?注\s*(\d{0,2})】?\s*[：:]|(\d{1,2})[)）]\s*注[：:]|\[(\d{1,2})\]\s*[^\d])")

_TERMINAL = set("。！？；：!?;:…")  # (a page may give a 主送 line's colon half-width: …各单位:)
_CLOSERS = set("”’」』）)】》")
_CONTINUE = set("、，,（(《“‘「『—-：")


@lru_cache(maxsize=1)
def _doc_type_end() -> re.Pattern[str]:
    """A title's last word: a 文种 or genre of kg/ontology/doc_types.yaml, or N条 (新政10条), then an
    optional (2021—2023年), （试行）, （2017年修订）, or the document's 文号 in brackets, as a page's title line
    gives it (…的通知(发改能源〔2025〕1144号))."""
    from .patterns import doc_kinds

    kinds = doc_kinds()
    return re.compile(
        rf"(?:{kinds}|" + expand(r"{title_articles})")
        + expand(r"(?:\s*{year_range_paren}|\s*[（(](?:试行|暂行|修订|\d{4}年?(?:修订|修正|版))[）)]"
                 r"|[（(]{doc_number}[）)])?\s*$")
    )


def _spaced(word: str) -> str:
    return r"\s*".join(re.escape(ch) for ch in word)


# a line of a web portal's header block: 发文机关：…, 索 引 号：…, 发布日期（2024-09-27） (labels: patterns.yaml
# header_field_labels), perhaps as a list item (• 发文字号:)
_FIELD_LABELS = "|".join(_spaced(w) for w in sorted(fragment_list("header_field_labels"), key=len, reverse=True))
# a portal's field row whose colons the page leaves out (发布机构 自治区人民政府 文  号 内政发〔2013〕62号; 索 引 号 主题分类 综合政务):
# two labels, each with a space after it, or a date field alone (成文日期 2013-07-02); a row of a table (cells between | or
# tabs: 索引号 | … | 发布机构 | 藤桥镇 |) is read as the table it is
BARE_FIELD_ROW = re.compile(
    rf"^(?![^\n]*[|｜\t])\s*(?:{_FIELD_LABELS})[ \u3000]+\S(?:.*?[ \u3000])?(?:{_FIELD_LABELS})(?:[ \u3000]|$)"
    + expand(r"|^(?![^\n]*[|｜\t])\s*{date_field_labels}[ \t\u3000]+{numeric_date}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*$"))
_FIELD_LINE = re.compile(
    r"^\s*(?:[•·●▪]\s*)?(?:" + _FIELD_LABELS
    + r")\s*(?:[：:]|[（(][^（）()\n]{1,30}[）)]\s*$)"  # 发布日期：…, or 发布日期（2024-09-27） alone on its line
    + "|" + BARE_FIELD_ROW.pattern
)
_BREADCRUMB = pattern("page_breadcrumb")  # patterns.yaml: 您当前的位置: 首页 > …
_SITE_SUFFIX = pattern("site_suffix")  # patterns.yaml: a page's site after its title (…的批复 中华文库)
# a label and its colon inside a line (作者:…  时间:…  来源:…): a page's field or byline, not a title's words
_LABELLED = re.compile(r"[\u4e00-\u9fff]{2,4}\s*[：:]")
# a field's label alone on its line (• 发文字号:), its value on the next
_TITLE_LABEL = re.compile("|".join(_spaced(w) for w in fragment_list("header_title_fields")))
_LABEL_ONLY = re.compile(r"\s*(?:[•·●▪]\s*)?[\u4e00-\u9fff][\u4e00-\u9fff\s]{1,11}[：:]\s*")
_DOC_NUMBER_LINE = compile_template(r"^{doc_number_line}$")  # patterns.yaml: a line that is only a 文号
# a page's field set out as a list item (• 编译者: 杨娇, • 发布时间:2024-09-18): a line of its own, whatever its label
_BULLET_FIELD = re.compile(r"^\s*[•●▪]\s*[\u4e00-\u9fff]{2,6}\s*[：:]")
_TITLE_NUMBER_END = pattern("title_doc_number_end")  # patterns.yaml: …的通知（川发改能源〔2023〕3号）
_LINE_FIELD = re.compile(r"^\s*(?:[•●▪]\s*)?[\u4e00-\u9fff]{2,6}\s*[：:]")  # a line that opens with a label (发布时间:…)
# a title's first line: a body's name, then 关于 (国务院关于推动内蒙古高质量发展), perhaps as a list item
_ISSUER_VERB_END = pattern("issuer_verb_end")  # patterns.yaml: …办公厅印发 ⏎ …的通知
_LIST_SEPARATORS = "，,、；;"


def _recipients_go_on(a: str) -> bool:
    """A 主送 line going on at its end: nothing but bodies' or classes' names, each ending with an agency's suffix, and
    a list separator after the last (…人民政府，国务院各部委、; 省直有关部门，各市财政局，)."""
    a = a.strip()
    if not a or a[-1] not in _LIST_SEPARATORS or re.search(r"[。：:！？]", a):
        return False
    end, clause = _recipient_item()
    items = [x.strip() for x in re.split(r"[，,；;]", a.rstrip(_LIST_SEPARATORS))]
    return all(x and end.search(x.rstrip("、")) and not any(w in x for w in clause) for x in items)


@lru_cache(maxsize=1)
def _recipient_item() -> tuple[re.Pattern[str], tuple[str, ...]]:
    """The end of a 主送 item (an agency's suffix, perhaps a short bracket after it), and the words that make a clause of
    it instead (到, 要求, 会同: org_grammar.yaml place_not_inside less its zone heads — 要求各县落实到县财政局，)."""
    from .gazetteer.grammar import ORG_SUFFIX, grammar_data

    end = re.compile(rf"(?:{ORG_SUFFIX.pattern.rstrip('$')})(?:[（(][^（）()]{{1,8}}[）)])?$")
    zones = set(grammar_data()["zone_heads"])
    return end, tuple(w for w in grammar_data()["place_not_inside"] if w not in zones)
_TITLE_OPEN = re.compile(r"^\s*(?:[•●▪]\s*)?(?P<org>[\u4e00-\u9fff]{2,40}?)关于[^。；;：:，,]*$")


def _opens_title(b: str) -> bool:
    m = _TITLE_OPEN.match(b)
    return bool(m) and bool(_ORG_NAME_LINE.fullmatch(m.group("org")))
_DATE_LINE = pattern("date_line")  # patterns.yaml: a line that is only a date (signature, colophon)
_NUMBER_TAIL = re.compile(r"\d\s*[年月]?$")  # “力争到 2028 年” cut from “底，…”
_UNIT_HEAD = re.compile(r"^(?:[年月日底初末前内万亿千百个户%％]|以[上下内前后])")
_NO_LINE_START = set("，。、；：！？）》”’」』%％")
_SIGNATURE_NAME = re.compile(r"^[^。，；：:、,;\d\t]{2,40}$")
_URL_END = re.compile(r"(?:https?://|www\.)\S+$")
TRUNCATED_END = re.compile(r"(?:\s\.{3}|…{1,2}|\s…)$")  # a line a page cut short: 关于进一步贯彻 ...
# pieces of a 文号 on lines of their own (the brackets of patterns.yaml): the line so far is a code, perhaps with its
# bracket, year and serial begun
_DOC_NUMBER_PART = compile_template(r"[{doc_number_open}]|\d{1,4}|[{doc_number_close}]|号")
_DOC_NUMBER_OPEN = compile_template(r"^[\u4e00-\u9fff]{1,12}(?:[{doc_number_open}]\d{0,4}(?:[{doc_number_close}]\d{0,5})?)?$")


@lru_cache(maxsize=1)
def _org_name_line() -> re.Pattern[str]:
    from .gazetteer.grammar import ORG_SUFFIX

    return re.compile(rf"(?:中共)?[\u4e00-\u9fff（）()]{{1,30}}?{ORG_SUFFIX.pattern.rstrip('$')}")


class _OrgNameLine:
    """A line that is one body's name and nothing else (重庆市财政局, 国家金融监督管理总局重庆监管局)."""

    def fullmatch(self, s: str):
        return _org_name_line().fullmatch(s)


_ORG_NAME_LINE = _OrgNameLine()


@lru_cache(maxsize=1)
def _script_variants() -> tuple[dict[str, str], re.Pattern[str], float, int]:
    """kg/ontology/script_variants.yaml: traditional → simplified (characters, and a big5 gate's own words)."""
    from pathlib import Path

    from .yamlio import load_yaml

    data = load_yaml(Path(__file__).resolve().parent / "ontology" / "script_variants.yaml")
    table = {p[0]: p[1] for p in data["chars"].split()}
    words = dict(data.get("words") or {})
    table.update(words)
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    rx = re.compile(rf"(?:{alternation})|[{''.join(k for k in table if len(k) == 1)}]" if alternation
                    else rf"[{''.join(table)}]")
    return table, rx, float(data["min_share"]), int(data["min_count"])


@lru_cache(maxsize=1)
def _converter_gloss() -> tuple[re.Pattern[str], int]:
    """kg/ontology/script_variants.yaml: a converter's reading in brackets after a character (發(fā)), and how many of
    them make a text's (one alone may be its own)."""
    from pathlib import Path

    from .yamlio import load_yaml

    data = load_yaml(Path(__file__).resolve().parent / "ontology" / "script_variants.yaml")
    return re.compile(data["gloss"]), int(data["gloss_min_count"])


def to_simplified(s: str) -> str:
    """``s`` with every traditional character (and a big5 gate's word) of script_variants.yaml simplified, and a
    converter's readings in brackets (發(fā)) dropped."""
    return _script_variants()[1].sub(_simplified, _converter_gloss()[0].sub("", s))


def converter_gloss() -> re.Pattern[str]:
    """A converter's reading in brackets after a character (發(fā)): kg/ontology/script_variants.yaml ``gloss``."""
    return _converter_gloss()[0]


def simplified_view(s: str, simplify: bool = True) -> tuple[str, list[int]]:
    """``s`` read as :func:`to_simplified` reads it — every converter's reading in brackets (發(fā)) dropped, however few
    (the gloss pattern is narrow: a toned reading right after a character), and traditional characters and a big5
    gate's words simplified, each for one of the same length — with, for each character of the view, its offset in
    ``s``: a pattern written in simplified characters matched on the view gives spans of ``s``.  For extractors handed
    text that did not come through :func:`clean` (a spec case, a snippet, a table cell): a sentence is too short for
    the page's share test, and every character the map lists is never a simplified character of its own, so each is
    simplified wherever it stands.  ``simplify=False``: the readings dropped only, the characters as written."""
    gloss = _converter_gloss()[0]
    drop = {i for m in gloss.finditer(s) for i in range(m.start(), m.end())}
    idx = [i for i in range(len(s)) if i not in drop] if drop else list(range(len(s)))
    view = "".join(s[i] for i in idx) if drop else s
    if simplify:
        table, rx = _script_variants()[:2]
        view = rx.sub(lambda m: t if len(t := table[m.group(0)]) == len(m.group(0)) else m.group(0), view)
    return view, idx


def _simplified(m: re.Match) -> str:
    return _script_variants()[0][m.group(0)]


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _mostly_traditional(text: str) -> bool:
    """A page served in traditional characters: they are a good part of its Chinese (not a quoted name or two)."""
    table, rx, share, count = _script_variants()
    n = sum(1 for _ in rx.finditer(text))
    if n < count:  # (most pages: no CJK count needed)
        return False
    return n >= share * max(len(_CJK.findall(text)), 1)


def clean(src: SourceDoc) -> CleanText:
    mt = MappedText.from_source(src.text)
    changes: list[Change] = []

    def apply(kind: str, pattern: re.Pattern[str], repl) -> None:
        nonlocal mt
        if pattern.search(mt.text) is None:  # nothing to change: skip rebuilding the offset map
            return
        mt, ch = substitute(mt, pattern, repl)
        changes.extend(Change(kind, s, e, b, a) for s, e, b, a in ch)

    apply("newline", re.compile(r"\r\n?|\f|\u2028|\u2029|\v"), "\n")
    apply("front-matter", _FRONT_MATTER, _front_matter_fields)
    apply("html", _HTML_COMMENT, "")  # <!-- … --> in any format (scrapers leave them in .txt and .md too)
    apply("whitespace", _INVISIBLE, "")
    apply("whitespace", _CONTROL, "")
    if _mostly_traditional(mt.text):  # a portal's big5 gate: read in simplified characters, offsets kept
        apply("script", _script_variants()[1], _simplified)
    if len(_converter_gloss()[0].findall(mt.text)) >= _converter_gloss()[1]:  # 發(fā): a converter's reading, no text
        apply("script", _converter_gloss()[0], "")
    if src.format == "html":
        apply("html", _HTML_DROP, "")
        # in HTML a line break in the source is only a space (lines come from <br>, <p>, <tr> …): dropped next to
        # a tag or a CJK character, a space between Latin words
        apply("html", _HTML_SOURCE_BREAK, lambda m: " " if _latin_both_sides(m) else "")
        apply("html", _HTML_NAV, "")
        apply("html", _HTML_LINK_ITEM, "")
    apply("html", _markup_drop(mt.text), "")
    # a block tag inside a table cell (<td><p>10</p></td>, as Word exports) must not break the row
    cells = [(m.start(), m.end()) for m in _HTML_CELL_SPAN.finditer(mt.text)]
    apply("html", _HTML_BLOCK, lambda m: m.group(0) if not _is_html_like(m.group(0)) else (
        " " if _inside(cells, m.start()) and not m.group(0).strip().lower().startswith(("<tr", "</tr", "<table", "</table"))
        else "\n"))
    apply("html", _HTML_CELL, lambda m: "" if m.group(0).startswith("</") else "\t")
    apply("html", _HTML_ANY if src.format == "html" else _MARKUP_TAG, "")
    apply("html", _HTML_ENTITY, lambda m: html.unescape(m.group(0)))
    # markup the entities spelled out is markup too, not content
    apply("html", _markup_drop(mt.text), "")
    apply("html", _MARKUP_TAG, "")
    apply("markdown", _MD_INLINE_HEADING, "\n")
    apply("markdown", _MD_TABLE_SEP, "")
    # pipe tables: only the delimiters change, so each cell keeps its own source offsets
    rows = [(m.start(), m.end()) for m in _MD_TABLE_ROW.finditer(mt.text)]
    apply("markdown", _MD_PIPE, lambda m: m.group(0) if not _inside(rows, m.start()) else (
        "" if (m.start() == 0 or mt.text[m.start() - 1] == "\n" or m.end() >= len(mt.text) or mt.text[m.end()] == "\n")
        else "\t"))
    # a Markdown heading is a line of its own, and a rule separates what is above it from what is below: the
    # line pass never joins across them (their source offsets, which later edits keep)
    hard: set[int] = set()
    for m in _MD_HEADING.finditer(mt.text):
        if m.end() < len(mt.text) and mt.text[m.end()] != "\n":
            hard.add(mt.source_span(m.end(), m.end() + 1)[0])
    rules = [mt.source_span(m.start(), m.end())[0] for m in _MD_RULE.finditer(mt.text)]
    apply("markdown", _MD_HEADING, "")
    apply("markdown", _MD_RULE, "")
    apply("markdown", _MD_BOLD, "")
    apply("markdown", _MD_ESCAPE, r"\1")
    apply("noise", _NOISE, lambda m: _NOISE_MAP.get(m.group(1).lower(), m.group(0)))
    apply("whitespace", _TRAILING_WS, "")
    apply("whitespace", _LEADING_WS, "")
    # tables scraped one cell per line (序号 / 区域 / 新增装机容量（MW） / 1 / 黄浦区 / 0.3-0.4 …): rows of tabs again
    seps = _linear_table_seps(mt.text)
    if seps:
        apply("table", _LINE_SEPARATOR, lambda m: seps.get(m.start(), m.group(0)))

    # footnote markers: remember where they were, then drop them from the text
    markers: list[tuple[str, int]] = []
    for m in _FOOTNOTE_MARKER.finditer(mt.text):
        markers.append((next(g for g in m.groups() if g is not None), mt.source_span(m.start(), m.end())[0]))
    apply("footnote", _FOOTNOTE_MARKER, "")

    mt, footnotes, line_changes = _lines_pass(mt, markers, hard, rules)
    changes.extend(line_changes)
    changes.sort(key=lambda c: (c.start, c.end, c.kind))
    return CleanText(source=src, mt=mt, changes=changes, footnotes=footnotes)


_LINE_SEPARATOR = re.compile(r"\n+")
_INDEX_HEADERS = ("序号", "编号")
_TOTAL_ROWS = ("合计", "总计", "小计", "汇总")
_MAX_COLUMNS = 12


_BODY_RUN = re.compile(r"^各[\u4e00-\u9fff]{1,6}(?:要|应|须)|^(?:为|根据|按照|结合)[\u4e00-\u9fff]")
_TABLE_END = re.compile(r"^(?:附表|附件|表)\s*[\d一二三四五六七八九十]|表$")


def _table_end(line: str) -> bool:
    """A line that ends a table written one cell per line: the next table's caption or header, a total row, a
    heading of the body (三、保障措施) or a sentence that runs on (各区要按照本方案要求…)."""
    return line in _INDEX_HEADERS or line in _TOTAL_ROWS or bool(_TABLE_END.search(line)) \
        or is_heading_line(line) or bool(_HEADING_START.match(line)) or bool(_BODY_RUN.match(line))


def _cellish(line: str) -> bool:
    """A line that may be one cell of a table written one cell per line: not a sentence of the body."""
    return len(line) <= 120 and not line.endswith(("。", "：", ":")) and "\t" not in line


_NUMBER_CELL = re.compile(r"^[≥≤>＜<＞～~约]?\d+(?:\.\d+)?(?:[-—~～至]\d+(?:\.\d+)?)?%?$")


def _columns_of(cells: list[str], k: int, prev: list[str] | None, total: bool,
                num_prev: list[str] | None = None) -> list[int]:
    """The column of each cell of a row of a one-cell-per-line table with ``k`` columns.  A whole row fills
    them in order.  A short row lost its merged cells: a total row (合计) sits under the name column and its
    numbers under the columns where the row above had numbers; another row lacks the cells the row above
    had shortest (the merged ones: units, categories), 序号 never."""
    n = len(cells)
    if n >= k or prev is None:
        return list(range(n))
    if total:
        numeric = [c for c in range(1, k) if c < len(prev) and _NUMBER_CELL.match(prev[c])]
        out, free = [1], [c for c in range(2, k)]
        for cell in cells[1:]:
            pool = [c for c in (numeric if _NUMBER_CELL.match(cell) else free) if c > out[-1]] or \
                   [c for c in range(out[-1] + 1, k)]
            if not pool:
                return list(range(n))
            out.append(pool[0])
        return out
    numeric_cols = [c for c in range(1, k) if c < len(prev) and _NUMBER_CELL.match(prev[c])]
    if not numeric_cols and num_prev is not None:  # the row above has no number (基本消除): the last whole row that had
        numeric_cols = [c for c in range(1, k) if c < len(num_prev) and _NUMBER_CELL.match(num_prev[c])]
    if numeric_cols and any(_NUMBER_CELL.match(x) for x in cells[1:]):
        # 2 / 徐汇区 / 8 under 序号 / 区域 / 类别 / 新增容量（MW）: words go to the word columns left to right, numbers to
        # the number columns, as in the row above
        words = [c for c in range(1, k) if c not in numeric_cols]
        out, wi, ni = [0], 0, 0
        for x in cells[1:]:
            if _NUMBER_CELL.match(x) and ni < len(numeric_cols):
                c, ni = numeric_cols[ni], ni + 1
            elif not _NUMBER_CELL.match(x) and wi < len(words):
                c, wi = words[wi], wi + 1
            else:
                break
            if c <= out[-1]:
                break
            out.append(c)
        else:
            return out
        # the words before a number right-aligned to the word columns before its column, the words after the last
        # number left-aligned: the merged cells are the leading ones (a category over several rows) —
        # 4 / “建筑可阅读”线下走读线路数 / 条 / 5 / 预期性 under 序号 / 类型 / 指标名称 / 指标单位 / 2025年目标值 / 属性
        out, run, ni = [0], [], 0
        for x in cells[1:]:
            if not _NUMBER_CELL.match(x) or ni >= len(numeric_cols):
                run.append(x)
                continue
            c, ni = numeric_cols[ni], ni + 1
            avail = [w for w in words if out[-1] < w < c]
            if c <= out[-1] or len(avail) < len(run):
                break
            out += avail[len(avail) - len(run):] + [c]
            run = []
        else:
            avail = [w for w in words if w > out[-1]]
            if len(avail) >= len(run):
                return out + avail[:len(run)]
    merged = sorted(range(1, k), key=lambda c: (len(prev[c]) if c < len(prev) else 0, c))[:k - n]
    return [c for c in range(k) if c not in merged][:n]


_CATEGORY_HEADER = pattern("table_category_header")  # patterns.yaml: 指标类别 written before 序号
_SUBHEADER_YEAR = pattern("table_subheader_year")  # patterns.yaml: （2025年） under a value header


def _category_first_rows(val: list[str], h0: int, j: int) -> tuple[list[int], list[tuple[int | None, list[int]]], int, int] | None:
    """A table one cell a line whose first column is a category written before 序号 (指标类别 / 序号 / 指标项 / … ⏎ 发展规模 /
    1 / 建设用地总规模 / …): the header lines ``h0`` … ``j - 2`` (year sub-headers included), and each row as (its category
    line or None, its cell lines).  A category cell is merged over the rows it spans, so it stands before the number of
    the first of them only: a row's lines run from its number to the next number, and when they are one more than a row
    without a category has, the last one is the next row's category.  Returns (header, rows, end, width of a row without
    its category) or None when the rows do not fit that layout."""
    if j - 1 <= h0 or _NUMBER_CELL.match(val[j - 1]) or not _cellish(val[j - 1]):
        return None
    hcols = sum(1 for x in range(h0, j - 1) if not _SUBHEADER_YEAR.match(val[x]))
    starts, n = [j], 1
    while True:
        cur = starts[-1]
        cands = [x for x in range(cur + 2, min(len(val), cur + hcols + 1)) if val[x] == str(n + 1)
                 and all(_cellish(val[y]) and not _table_end(val[y]) for y in range(cur + 1, x))]
        if not cands:
            break
        starts.append(cands[-1])  # the last: a value equal to the next number stands before it
        n += 1
    if len(starts) < 3:
        return None
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    w = min(gaps)
    if w < 3 or gaps.count(w) < 2:
        return None
    rows: list[tuple[int | None, list[int]]] = []
    cat: int | None = j - 1
    for a, b in zip(starts, starts[1:]):
        nxt = b - 1 if b - a > w and not _NUMBER_CELL.match(val[b - 1]) else None
        rows.append((cat, list(range(a, nxt if nxt is not None else b))))
        cat = nxt
    a = starts[-1]
    end = a + 1
    while end < len(val) and end - a < w and _cellish(val[end]) and not _table_end(val[end]):
        end += 1
    rows.append((cat, list(range(a, end))))
    return list(range(h0, j - 1)), rows, end, w


def _linear_table_seps(text: str) -> dict[int, str]:
    """Where a table written one cell per line (a header 序号 / A / B … then rows 1 / a / b …, as scraped web
    pages give it) needs tabs instead of line breaks: separator position → replacement.  The row number of
    each row starts it; a row with fewer cells than the header (merged cells of the page) gets empty cells
    where the row before it had its shortest cells (the merged ones: units, categories); surplus lines of
    a row (a cell broken over two lines) are joined into its last cell."""
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    val = [text[a:b].strip() for a, b in lines]
    out: dict[int, str] = {}
    i = 0
    while i < len(lines):
        if val[i] not in _INDEX_HEADERS:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and j - i <= _MAX_COLUMNS and val[j] != "1" and _cellish(val[j]) and len(val[j]) <= 20:
            j += 1
        if j >= len(lines) or val[j] != "1" or j - i < 3:
            i += 1
            continue
        cf = _category_first_rows(val, i - 1, j) if i > 0 and _CATEGORY_HEADER.match(val[i - 1]) else None
        if cf is not None:
            # 指标类别 / 序号 / … / （2030年） ⏎ 发展规模 / 1 / …: the header on one line (its year sub-headers too: the table
            # reader joins them to their columns), each row on a line of its own with its category cell or an empty one
            header, rows, cur, w = cf
            for x in header[:-1]:
                out[lines[x][1]] = "\t"
            for cat, cells in rows:
                plan = [[x] for x in cells[:w - 1]] + [cells[w - 1:]] if len(cells) > w else [[x] for x in cells]
                if cat is None:
                    key = lines[cells[0] - 1][1]
                    out[key] = out.get(key, "\n") + "\t"
                else:
                    out[lines[cat][1]] = "\t"
                for cell in plan:
                    for a_, b_ in zip(cell, cell[1:]):  # a cell broken over lines
                        out[lines[a_][1]] = ""
                for ci in range(len(plan) - 1):
                    out[lines[plan[ci][-1]][1]] = "\t"
                if len(plan) < w and plan[-1][-1] + 1 < len(lines):
                    out[lines[plan[-1][-1]][1]] = "\t" * (w - len(plan)) + "\n"
            i = cur
            continue
        rows: list[list[int]] = []
        n, cur = 1, j
        k_guess = j - i
        while cur < len(lines) and val[cur] == str(n):
            # the next row starts where a whole row would end, else at the first line with its number (a row that
            # lost merged cells is shorter; a cell may also hold the next row's number: 3 示范工程 before row 3)
            whole = cur + k_guess
            if whole < len(lines) and val[whole] == str(n + 1):
                nxt = whole
            elif (whole == len(lines) or (whole < len(lines) and _table_end(val[whole]))) \
                    and all(_cellish(val[x]) for x in range(cur + 1, whole)):
                nxt = None  # the last row, whole, before a total row or the next table
            else:
                # the line with the next number that leaves this row the longest within a whole row (a cell may hold
                # the next row's number: 4 / … / 条 / 5 / 预期性 / 5 / 民生改善 …), else the first one further on
                cands = [x for x in range(cur + 1, min(len(lines), cur + 1 + 2 * k_guess)) if val[x] == str(n + 1)]
                within = [x for x in cands if x - cur <= k_guess]
                nxt = within[-1] if within else (cands[0] if cands else None)
            if nxt is None:  # the last numbered row: as many cell-like lines as the header has cells
                end = cur + 1
                while end < len(lines) and end - cur < k_guess and _cellish(val[end]) and not _table_end(val[end]):
                    end += 1
                rows.append(list(range(cur, end)))
                cur = end
                break
            rows.append(list(range(cur, nxt)))
            cur, n = nxt, n + 1
        total = None
        if cur < len(lines) and val[cur] in _TOTAL_ROWS:
            end = cur + 1
            while end < len(lines) and end - cur < k_guess - 1 and _cellish(val[end]) and not _table_end(val[end]):
                end += 1
            total = list(range(cur, end))
            rows.append(total)
            cur = end
        if len(rows) < 2:
            i += 1
            continue
        # the first row is whole (nothing above it to merge with): it tells how many columns there are; header
        # lines beyond that are a category row between the header and the first row
        k = min(k_guess, len(rows[0])) if len(rows[0]) >= 2 else k_guess
        header = list(range(i, i + k))
        extra = list(range(i + k, j))
        prev: list[str] | None = None
        num_prev: list[str] | None = None
        for g in [header] + rows:
            plan = [[x] for x in g[:k - 1]] + [g[k - 1:]] if len(g) > k else [[x] for x in g]
            cells = [" ".join(val[x] for x in c) for c in plan]
            assign = _columns_of(cells, k, prev, total=g is total, num_prev=num_prev)
            if g is not header and len(plan) >= k:
                prev = cells  # the last whole row: where merged cells and numbers sit
                if any(_NUMBER_CELL.match(x) for x in cells[1:]):
                    num_prev = cells
            for cell in plan:
                for a_, b_ in zip(cell, cell[1:]):  # a cell broken over lines
                    out[lines[a_][1]] = ""
            if assign[0] and g is not header:  # empty cells before the first one: after the line break before it
                key = lines[g[0] - 1][1]
                out[key] = out.get(key, "\n") + "\t" * assign[0]
            for ci in range(len(plan) - 1):
                out[lines[plan[ci][-1]][1]] = "\t" * (assign[ci + 1] - assign[ci])
            if assign[-1] < k - 1 and g[-1] + 1 < len(lines):
                out[lines[plan[-1][-1]][1]] = "\t" * (k - 1 - assign[-1]) + "\n"
        if extra and len(extra) == 1:
            out[lines[extra[0]][1]] = "\t\n"  # a one-cell category row stays in the table
        i = cur
    return out


def _is_html_like(s: str) -> bool:
    return "<" in s and ">" in s


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    import bisect

    i = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


# --- the line pass: footers, footnotes, rejoining -----------------------------------------------

def is_heading_line(line: str) -> bool:
    """A numbered heading standing on its own line (short, no full stop)."""
    s = line.strip()
    if not _HEADING_START.match(s):
        return False
    return "。" not in s and len(s) <= 50


def is_title_line(line: str) -> bool:
    s = line.strip()
    if not s or "。" in s or "，" in s or "；" in s or len(s) > 200:
        return False
    return bool(_doc_type_end().search(s.strip("《》")))  # 《…的决定》 as a heading is a title too


def _unbalanced(s: str) -> bool:
    return (s.count("《") > s.count("》")) or (s.count("“") > s.count("”")) or (
        s.count("（") + s.count("(") > s.count("）") + s.count(")")
    )


_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_HTML_SOURCE_BREAK = re.compile(r"(?<![ \t])[ \t]*\n\s*")


def _latin_both_sides(m: re.Match) -> bool:
    s = m.string
    a, b = s[m.start() - 1:m.start()], s[m.end():m.end() + 1]
    return a.isascii() and a.isalnum() and b.isascii() and b.isalnum()
_PARENTHESISED = re.compile(r"[（(][^（）()]*[）)]")
# a forwarding notice's title has no 关于 (瑞安市人民政府办公室 ⏎ 转发温州市推行说理性行政处罚文书 ⏎ 指导意见及操作规范的通知)
_FORWARDING = compile_template(r"^\s*{forwarding_verbs}[\u4e00-\u9fff《》“”]")


@lru_cache(maxsize=1)
def _notice_head_end() -> re.Pattern[str]:
    from .patterns import compile_template

    return compile_template(r"{notice_frame_head}\s*$")


@lru_cache(maxsize=1)
def _titles_open() -> re.Pattern[str]:
    from .patterns import pattern

    return pattern("notice_frame_titles_open")  # patterns.yaml: …关于印发 《X》 at a line's end, the title going on


_TITLE_OPENERS = "《〈"


@lru_cache(maxsize=1)
def _title_type_line() -> re.Pattern[str]:
    from .patterns import pattern

    return pattern("title_type_line")  # patterns.yaml: 的通知 alone on a line, a title's last words


@lru_cache(maxsize=1)
def _page_nav() -> re.Pattern[str]:
    from .patterns import pattern

    return pattern("page_nav_line")


@lru_cache(maxsize=1)
def _body_start() -> re.Pattern[str]:
    from .patterns import pattern

    return pattern("body_start")


_CLOCK_TIME_END = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?$")


def _ends_with_signature(a: str) -> bool:
    """A run-together notice's line that ends with its signature (…抓好落实。 国家能源局 2025年1月6日): bodies' names
    and a full date after its last sentence."""
    from .patterns import pattern

    m = pattern("signature_line_end").search(a)
    return bool(m) and all(_ORG_NAME_LINE.fullmatch(x) for x in m.group("names").split())


def should_join(a: str, b: str, before: str = "") -> bool:
    """Does line ``a`` continue on line ``b`` (a break in mid-sentence)?  ``before``: the line above ``a``."""
    a, b = a.rstrip(), b.strip()
    if not a or not b:
        return False
    if "\t" in a or "\t" in b:
        return False
    if _FIELD_LINE.match(a) and _LABEL_ONLY.fullmatch(a) and not _FIELD_LINE.match(b) and len(b) <= 60 \
            and (not is_title_line(b) or _TITLE_LABEL.search(a)):  # (an empty 内容概述:, then the page's title)
        return True  # a field's label, its value on the next line (• 发文字号: ⏎ 镇政发〔2024〕7号)
    if _FIELD_LINE.match(b) or _BREADCRUMB.match(a) or _DOC_NUMBER_LINE.match(a) or _DOC_NUMBER_LINE.match(b):
        return False
    if BARE_FIELD_ROW.match(a) or BARE_FIELD_ROW.match(b):
        return False  # a portal's field row without colons (成文日期 2013-07-02): a line of its own
    if _page_nav().search(a) or _page_nav().search(b):
        return False  # a page's row of links (收藏本站| 设为首页| 首页) or a paper's page navigation: a line of its own
    if (m := _TITLE_NUMBER_END.search(a)) and is_title_line(t := a[:m.start()].strip()) and not t.endswith("》") \
            and not _body_start().match(t):
        return False  # a title with its 文号 after it (…的通知 (浙政发〔2021〕1号)): a line of its own
    if _BULLET_FIELD.match(b) or (_LINE_FIELD.match(a) and not re.search(r"[，,。；;]", a) and _opens_title(b)):
        return False  # a page's bulleted field (• 编译者: …), or its byline (发布时间:… 来源: …) over a title's first line
    if _DOC_NUMBER_PART.fullmatch(b) and _DOC_NUMBER_OPEN.search(a) and len(a) <= 30:
        return True  # a 文号 scraped one piece a line (内能源新能发 ⏎ 〔 ⏎ 2 ⏎ 026 ⏎ 〕 ⏎ 1 ⏎ 号)
    if _URL_END.search(a) or TRUNCATED_END.search(a):
        return False  # a link ends its line (来源: https://…); so does a heading the page cut short (…贯彻 ...)
    if _ORG_NAME_LINE.fullmatch(b) and a[-1] not in _CONTINUE and not a.endswith(("由", "和", "及", "与", "至", "向")):
        return False  # a body's name on a line of its own (a masthead or a signature), not the rest of a sentence
    if b.startswith("关于") and _ORG_NAME_LINE.fullmatch(a) and _ORG_NAME_LINE.fullmatch(before.strip()):
        return False  # a joint masthead's last name, then the title (重庆市财政局 ⏎ 重庆市商务委员会 ⏎ 关于印发《…》的通知)
    if a.endswith("关于") or _notice_head_end().search(a) or (
            b.startswith(("印发《", "关于印发")) and a[-1] not in _TERMINAL and re.match(r"[\u4e00-\u9fff》”）)]", a[-1])
            and not _LABELLED.search(a)):  # (a page's byline — 来源:法律资料网 下载地址: 点击此处下载 — is no title's start)
        return True  # a title broken after 关于 / 关于印发 (国务院关于印发 ⏎ “十四五”数字经济发展规划的通知), not a page's
        # counter before it (浏览量：1 | | |)
    if (vm := _ISSUER_VERB_END.search(a)) and _ORG_NAME_LINE.fullmatch(a[:vm.start()].strip()) \
            and _doc_type_end().search(b) and not re.search(r"[。；;：:，,]", b) and len(b) <= 100:
        return True  # a title without 关于, its issuer and verb on the first line (某市人民政府办公室印发 ⏎ …规则的通知)
    if _title_type_line().match(b) and not re.search(r"[。；;：:，,]", a) and len(a) <= 120:
        return True  # a title whose last words the page set on a line of their own (…实施方案 ⏎ 的通知)
    if _recipients_go_on(a) and len(a) <= 300 \
            and "。" not in b and b[-1:] in tuple("：:，,、；;") and len(b) <= 200:
        return True  # a 主送 line set over several lines (…人民政府，国务院各部委、 ⏎ 各直属机构：)
    if b[:1] in _TITLE_OPENERS and _titles_open().search(a):
        return True  # a notice issuing several documents, one 《》 a line (…关于印发 《X》 ⏎ 《Y》 ⏎ 《Z》的通知)
    if _SITE_SUFFIX.search(a) and is_title_line(_SITE_SUFFIX.sub("", a)):
        return False  # a page's title, its site after it (…的批复 中华文库): a line of its own
    if is_title_line(a) and not _unbalanced(a) and (b[:1] in "（(" or _body_start().match(b)):
        return False  # a title, then its note (（…会议通过）) or its body (为了…)
    if pattern("adoption_note").match(a):
        return False  # 2021年6月23日 …会议通过: a note of its own
    if _PARENTHESISED.fullmatch(a.strip()):
        return False  # a note of its own: （2021年6月23日…会议通过）, （此件公开发布）
    if ("关于" in a or _FORWARDING.match(a)) and not _HEADING_START.match(a) and not is_title_line(a) \
            and not re.search(r"[。；：:！？，,]" if _FORWARDING.match(a) else r"[。；：:！？]", a + b) \
            and len(a) + len(b) <= 120 and not _DOC_NUMBER_LINE.match(b):
        return True  # a title set over several lines (…以哈尔滨市名义 ⏎ 申办2009年… ⏎ …的复函)
    if _HEADING_START.match(b) and (is_heading_line(b) or re.match(rf"^\s*{NUM_MARK}", b)):
        return False
    if b.startswith(("专栏", "附件", "附表", "抄送", "印发", "信息公开", "主送", "（此件", "(此件")):
        return False
    if _CLOCK_TIME_END.search(a) or (b.startswith("各") and b[-1] in "：:" and len(b) <= 120 and "。" not in b):
        return False  # a page's byline (签发于2013/8/22 13:52:33), or a 主送 line of its own (各镇政府、…：)
    if a[-1] in "：:" and _body_start().match(b):
        return False  # a 主送 line or a lead-in, then the body it leads to (现将…, 为…, 根据…)
    if a.lstrip().startswith("《") and "》" not in a and "关于" in b[:40] \
            and _ORG_NAME_LINE.fullmatch(b.split("关于", 1)[0].strip()):
        return False  # a page's heading cut short (《广东省…实行), then the document's own title (…办公厅关于…)
    if b[-1] in "：:" and _ORG_NAME_LINE.fullmatch(b[:-1].strip()):
        return False  # a 主送 line of one body (甘肃省人民政府:), under a note whose bracket a page left open
    last = a[-1]
    # an unclosed bracket far back is more likely a typo than a break — but a lead-in that ends its sentence (…印发。
    # 全文如下：) is followed by the document's own title, however a page's snippet above it left a 《 open
    # (《长三角地区2020-2021年秋冬季大气污染 ⏎ …): the title is a line of its own
    if _unbalanced(a) and len(a) < 400 and not (last in "。：:" and is_title_line(b) and not _unbalanced(b)):
        return True
    if last in _TERMINAL:
        return False
    if is_heading_line(a) or is_title_line(a) or _DATE_LINE.match(a) or _ends_with_signature(a):
        return False
    if b[0] in _NO_LINE_START or (_NUMBER_TAIL.search(a) and _UNIT_HEAD.match(b)):
        return True  # the rest of a sentence, or a number cut from its unit (“2028 年” / “底，…”)
    if last in _CONTINUE:
        return True
    if last in _CLOSERS and len(a) < 22:
        return False
    # a body line hard-wrapped or cut by a page break: long, and the next line is not a heading
    return len(a) >= 22 and not is_title_line(b) and not _DATE_LINE.match(b)


def _lines_pass(mt: MappedText, markers: list[tuple[str, int]], hard: set[int] = frozenset(),
                rules: list[int] = ()):
    """Drop footers and footnote lines, then join the lines that continue each other (:func:`should_join`) —
    never a line that was a Markdown heading (its source start in ``hard``) nor across a Markdown rule (source
    offsets in ``rules``)."""
    text = mt.text
    spans: list[tuple[int, int]] = []
    pos = 0
    while pos <= len(text):
        nl = text.find("\n", pos)
        if nl < 0:
            nl = len(text)
        spans.append((pos, nl))
        pos = nl + 1

    changes: list[Change] = []
    footnotes: list[Footnote] = []
    kept: list[tuple[int, int]] = []  # non-empty lines
    for s, e in spans:
        line = text[s:e]
        if not line.strip():
            continue
        src = mt.source_span(s, e)
        prev = text[kept[-1][0]:kept[-1][1]] if kept else ""
        if _FOOTER.match(line) or (_LONE_NUMBER.match(line) and len(prev) >= 20 and "\t" not in prev):
            changes.append(Change("footer", *src, line, ""))
            continue
        fm = _FOOTNOTE_LINE.match(line)
        if fm and (markers or line.lstrip().startswith(("—", "-", "–", "注"))):
            num = next((g for g in fm.groups() if g), None)
            body = line[fm.end():].strip() if not fm.group(3) else line[fm.end() - 1:].strip()
            footnotes.append(Footnote(None if num is None else num, body, src[0], src[1], None))
            changes.append(Change("footnote", *src, line, ""))
            continue
        kept.append((s, e))

    # the signature block (agency names on their own lines right above a date line) is never glued
    protected: set[int] = set()
    for idx, (s, e) in enumerate(kept):
        if _DATE_LINE.match(text[s:e]):
            k = idx - 1
            while k >= max(0, idx - 12) and _is_name_line(text[kept[k][0]:kept[k][1]]):
                protected.add(k)
                k -= 1

    # pair footnotes with markers: by number when both are numbered, else in order
    paired: list[Footnote] = []
    free = list(markers)
    for fn in footnotes:
        hit = None
        for i, (mk, mpos) in enumerate(free):
            if fn.marker is not None and re.sub(r"\D", "", mk) == fn.marker:
                hit = i
                break
        if hit is None and free:
            hit = 0
        if hit is not None:
            mk, mpos = free.pop(hit)
            paired.append(Footnote(mk, fn.text, fn.start, fn.end, mpos))
        else:
            paired.append(fn)

    b = Builder()
    i = 0
    first = True
    while i < len(kept):
        s, e = kept[i]
        if not first:
            b.insert("\n", mt.starts[s] if s < len(mt.starts) else 0)
        first = False
        b.keep(mt, s, e)
        cur = text[s:e]
        while i + 1 < len(kept) and i not in protected and i + 1 not in protected \
                and not _hard_break(mt, kept[i], kept[i + 1], hard, rules) \
                and should_join(cur, text[kept[i + 1][0]:kept[i + 1][1]],
                                text[kept[i - 1][0]:kept[i - 1][1]] if i > 0 and cur == text[s:e] else ""):
            ns, ne = kept[i + 1]
            nxt = text[ns:ne]
            gap_src = mt.source_span(e, ns) if ns > e else (mt.ends[e - 1], mt.starts[ns])
            glue = " " if (cur[-1:].isascii() and cur[-1:].isalnum() and nxt[:1].isascii() and nxt[:1].isalnum()
                           and not (_DOC_NUMBER_PART.fullmatch(nxt.strip()) and _DOC_NUMBER_OPEN.search(cur))) else ""
            if glue:
                b.insert(glue, gap_src[0])
            changes.append(Change("join", gap_src[0], max(gap_src), text[e:ns], glue))
            b.keep(mt, ns, ne)
            cur = cur + glue + nxt
            e = ne
            i += 1
        i += 1
    out = b.build()
    # spaces left at a join (“行动计划  (2026” → keep one), and runs of spaces
    out, ch = substitute(out, re.compile(r"[ \u3000]{2,}"), " ")
    changes.extend(Change("whitespace", s, e, bb, a) for s, e, bb, a in ch)
    return out, paired, changes


# a YAML front matter block at the very start of a file: ---, lines of key: value, ---
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(?P<body>(?:(?!---[ \t]*(?:\n|\Z)).*\n){1,200}?)---[ \t]*(?:\n|\Z)")
_URLISH = re.compile(r"https?://|www\.|\.(?:com|cn|gov|org|net)\b", re.I)


def _front_matter_fields(m: re.Match) -> str:
    """A collector's front matter with English keys (title:, official_number:, issuer: [...], region: {...}) as the
    header fields they give (标题：…, 文号：…; patterns.yaml ``front_matter_keys``), the rest dropped; a block that is
    not YAML, or whose keys are Chinese (标题: 文号:, read as header fields as they stand), is left as it is."""
    from .patterns import front_matter_keys
    from .yamlio import loads_yaml

    try:
        d = loads_yaml(m.group("body"))
    except Exception:  # noqa: BLE001 - not YAML: the text stays as it is
        return m.group(0)
    if not isinstance(d, dict) or not any(isinstance(k, str) and k.isascii() for k in d):
        return m.group(0)
    out = []
    for field_name, keys in front_matter_keys().items():
        v = next((d[k] for k in keys if k in d and d[k] not in (None, "", [])), None)
        vals = [str(x).strip() for x in (v if isinstance(v, list) else [v])
                if x is not None and not isinstance(x, dict) and not _URLISH.search(str(x))] if v is not None else []
        if vals:
            out.append(f"{field_name}：{'、'.join(vals)}")
    return "\n".join(out) + "\n" if out else ""


def _hard_break(mt: MappedText, a: tuple[int, int], b: tuple[int, int], hard: set[int], rules: list[int]) -> bool:
    """Whether a Markdown heading or rule stands between lines ``a`` and ``b`` (text spans)."""
    if not hard and not rules:
        return False
    sa, sb = mt.source_span(*a), mt.source_span(*b)
    return sa[0] in hard or sb[0] in hard or any(sa[1] <= r < sb[0] for r in rules)


def _is_name_line(line: str) -> bool:
    s = line.strip()
    return bool(_SIGNATURE_NAME.match(s)) and not _HEADING_START.match(s) and not is_title_line(s)


def has_cjk(s: str) -> bool:
    return bool(_CJK_RE.search(s))
