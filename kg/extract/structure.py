"""The clause tree: 一、/（一）/1./（1）/①, “——” bullets, 专栏 boxes, tables with rows, annexes.

Every clause gets a stable identifier built from its position (Akoma Ntoso style:
``sec_5__subsec_4``) and a unique label as a reader cites it (``五（四）``, ``三、1.``, ``专栏1``,
``主要指标表 第3行``).  Levels are ranked as GB/T 9704 §7.3.3 orders them; a skipped level
(三、 straight to 1.) simply nests one step deeper.  A numbered heading that runs into its body
("（一）加强网络规划建设。基础电信企业要…") is split into heading and text.  A 专栏 box has no end
marker: it closes at the next numbered clause of its own or a higher level.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..clean import CleanText, Footnote
from ..numerals import cn_to_int  # noqa: F401 — re-exported (tests, callers)
from ..patterns import compile_template, pattern
from .layout import Zones, closing_start

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# (kind, rank, AKN element, regex). Lower rank = higher level.
_MARKERS: list[tuple[str, int, str, re.Pattern[str]]] = [
    ("chapter", 0, "chp", compile_template(r"^第(?P<n>{cn_ordinal_num})章\s*")),
    ("article", 1, "art", compile_template(r"^第(?P<n>{cn_ordinal_num})条\s*")),
    ("section", 1, "sec", compile_template(r"^(?P<n>{cn_clause_num})\s*[、．.]\s*")),
    ("subsection", 2, "subsec", compile_template(r"^[（(]\s*(?P<n>{cn_clause_num})\s*[）)]\s*")),
    ("item", 3, "para", re.compile(r"^(?P<n>\d{1,2})\s*[.．、](?!\d)\s*")),
    ("subitem", 4, "subpara", re.compile(r"^[（(]\s*(?P<n>\d{1,2})\s*[）)]\s*")),
    ("point", 5, "point", re.compile(rf"^(?P<n>[{CIRCLED}])\s*")),
    ("bullet", 6, "item", re.compile(r"^(?:——|--|—\s|[-*•·▪]\s)\s*")),
]
# 1 总论 / 1.1 / 2.1.5: a decimal outline, read only in a document that has at least DECIMAL_MIN heading lines
# numbered 1.1 or deeper (a figure such as 1.5 at the start of a line elsewhere is no heading).  Its levels stand
# below 第X章 and 一、 and above 1. and （1）: rank 2 + (points in the number) / 10 (1 → 2.0, 1.1 → 2.1, 1.1.1 → 2.2)
_DECIMAL = compile_template(r"^{decimal_outline_num}\s*")
_DECIMAL_TOP = compile_template(r"^{decimal_outline_top}")
DECIMAL_MIN = 2
_BOX = compile_template(r"^专栏\s*(?P<n>\d{1,3}|{cn_clause_num})?\s*[：:．.、]?\s*(?P<title>.*)$")
_ANNEX = compile_template(r"^(?P<kind>附表|附件)\s*(?P<n>\d{1,2}|{cn_clause_num})?\s*[：:．.、]?\s*(?P<title>[^。]{0,40})$")
RANK_BOX = 3  # a box stands among the items of its section
RANK_ANNEX = 0

KIND_ZH = {
    "notice": "印发通知", "preamble": "序言", "chapter": "章", "article": "条", "section": "部分", "subsection": "条",
    "item": "款", "subitem": "项", "point": "目", "bullet": "分项", "box": "专栏", "annex": "附件",
    "table": "表格", "row": "表格行", "decimal": "节",
}


@dataclass
class Clause:
    clause_id: str
    label: str
    kind: str
    number: str | None = None
    heading: str | None = None
    lines: list[tuple[int, int]] = field(default_factory=list)  # clean-text [start, end) of own paragraphs
    text_start: int = 0  # offset in the first line where the text (after the marker) begins
    children: list["Clause"] = field(default_factory=list)
    cells: dict[str, str] | None = None  # table rows
    attrs: dict = field(default_factory=dict)
    notes: list[Footnote] = field(default_factory=list)
    rank: int = 99
    ordinal: int = 0  # position among siblings, 1-based

    def own_segments(self) -> list[tuple[int, int]]:
        """Clean-text ranges of the clause's own text (the first line without its numbering marker)."""
        if not self.lines:
            return []
        first = (self.lines[0][0] + self.text_start, self.lines[0][1])
        return [seg for seg in [first] + self.lines[1:] if seg[1] > seg[0]]

    def content_segments(self) -> list[tuple[int, int]]:
        """Like :meth:`own_segments`, but the first line keeps its heading (only the numbering marker
        is dropped): extractors read "（一）新建5G基站1万个。" whole, heading or not."""
        if not self.lines:
            return []
        skip = self.attrs.get("marker_end", self.text_start)
        first = (self.lines[0][0] + skip, self.lines[0][1])
        return [seg for seg in [first] + self.lines[1:] if seg[1] > seg[0]]

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass
class Glossary:
    term: str
    expansion: str | None
    definition: str | None
    start: int  # clean offsets of the row (or of the inline definition)
    end: int
    method: str
    clause: "Clause | None" = None  # the table row or the clause that states it
    confidence: float = 0.95


def segment(ct: CleanText, z: Zones) -> tuple[list[Clause], list[Glossary]]:
    """Build the clause tree of a document's main text (and the notice that issues it)."""
    text = ct.text
    line_spans = ct.lines()
    roots: list[Clause] = []
    glossary: list[Glossary] = []

    if z.notice_body:
        c = Clause("notice", "印发通知", "notice", rank=-1)
        c.lines = [line_spans[i] for i in z.notice_body]
        roots.append(c)

    stack: list[Clause] = []  # open clauses, rank increasing
    preamble: Clause | None = None
    body = z.body
    decimal = _decimal_outline(text, [line_spans[i] for i in body])
    k = 0
    while k < len(body):
        s, e = line_spans[body[k]]
        cut = closing_start(text[s:e])  # …请认真执行。特此通知。: the closing formula is the notice's, no clause's text
        if cut:
            e = s + len(text[s:s + cut].rstrip())
        line = text[s:e]
        if "\t" in line:  # a table: a run of tab-separated lines
            run = [body[k]]
            while k + 1 < len(body) and "\t" in text[line_spans[body[k + 1]][0]:line_spans[body[k + 1]][1]]:
                k += 1
                run.append(body[k])
            caption = None
            if stack and stack[-1].kind == "bullet" and len(stack[-1].lines) > 1:
                # a caption line after the last bullet belongs to the table, and the table to the section
                bl = stack.pop()
                stack[-1].lines.append(bl.lines.pop()) if stack else None
            while stack and stack[-1].kind == "bullet":
                stack.pop()
            parent = stack[-1] if stack else None
            if parent is not None and parent.kind not in ("table",) and parent.lines:
                ls, le = parent.lines[-1]
                cap = text[ls:le].strip()
                if len(parent.lines) > 1 and len(cap) <= 24 and not re.search(r"[。，；]", cap):
                    caption = cap
                    parent.lines.pop()
            elif parent is None and preamble is not None and preamble.lines:
                ls, le = preamble.lines[-1]
                cap = text[ls:le].strip()
                if len(cap) <= 24 and not re.search(r"[。，；]", cap):
                    caption = cap
                    preamble.lines.pop()
            tbl, gl = _table(ct, [line_spans[i] for i in run], caption)
            glossary.extend(gl)
            _attach(roots, stack, tbl)
            k += 1
            continue

        marker = _match_marker(line, decimal)
        if marker is None:
            bm = _BOX.match(line)
            am = _ANNEX.match(line) if not bm else None
            if bm and len(line) <= 60 and "。" not in line:
                while stack and (stack[-1].rank > 2 or stack[-1].kind == "box"):
                    stack.pop()
                n = bm.group("n")
                c = Clause("", "", "box", number=n, heading=bm.group("title").strip() or None, rank=RANK_BOX)
                c.lines = [(s, e)]
                c.text_start = len(line)
                _attach(roots, stack, c)
                stack.append(c)
            elif am and len(line) <= 44:
                stack.clear()
                c = Clause("", "", "annex", number=am.group("n"), heading=am.group("title").strip() or None,
                           rank=RANK_ANNEX)
                c.attrs["annex_kind"] = am.group("kind")
                c.lines = [(s, e)]
                c.text_start = len(line)
                _attach(roots, stack, c)
                stack.append(c)
            elif stack:
                stack[-1].lines.append((s, e))
            else:
                if preamble is None or roots[-1] is not preamble:
                    # text after a top-level table opens a new unnumbered part instead of joining the
                    # preamble before the table (reading order; found by tests/test_fuzz.py)
                    preamble = Clause("preamble", "序言", "preamble", rank=-1)
                    roots.append(preamble)
                preamble.lines.append((s, e))
            k += 1
            continue

        kind, rank, _el, m, n = marker
        while stack and stack[-1].rank >= rank:
            stack.pop()
        rest_start = m.end()
        rest = line[rest_start:]
        heading, body_off = split_heading(rest)
        if kind == "bullet" and heading is not None and body_off >= len(rest):
            heading, body_off = None, 0  # a bullet that is one short sentence has no heading
        c = Clause("", "", kind, number=n, heading=heading, rank=rank)
        c.lines = [(s, e)]
        c.text_start = rest_start if heading is None else rest_start + body_off
        c.attrs["marker"] = line[:m.end()].strip()
        c.attrs["marker_end"] = rest_start
        _attach(roots, stack, c)
        stack.append(c)
        _inline_points(c, line, s, roots, stack)
        k += 1

    _number_siblings(roots)
    _assign_ids(roots)
    _attach_notes(ct, roots)
    return roots, glossary


_INLINE_POINT = re.compile(rf"[{CIRCLED}]")


def _inline_points(c: Clause, line: str, s: int, roots: list[Clause], stack: list[Clause]) -> None:
    """"（2）优化室内覆盖。①重点场所。…；②重点建筑。…" — circled points run inline: split them out."""
    body_from = c.text_start
    hits = [m for m in _INLINE_POINT.finditer(line, body_from)]
    if len(hits) < 2 or [CIRCLED.index(h.group(0)) for h in hits] != list(range(CIRCLED.index(hits[0].group(0)), CIRCLED.index(hits[0].group(0)) + len(hits))):
        return
    c.lines = [(s, s + hits[0].start())]
    for i, h in enumerate(hits):
        end = hits[i + 1].start() if i + 1 < len(hits) else len(line)
        rest = line[h.end():end]
        heading, off = split_heading(rest)
        if heading is not None and not rest[off:].strip():
            heading, off = None, 0  # a point that is one short sentence has no heading (as bullets)
        p = Clause("", "", "point", number=h.group(0), heading=heading, rank=5)
        p.lines = [(s + h.start(), s + end)]
        p.text_start = 1 + (off if heading is not None else 0)
        p.attrs["marker"] = h.group(0)
        p.attrs["marker_end"] = 1
        p.attrs["inline"] = True
        _attach(roots, [c], p)


def _attach(roots: list[Clause], stack: list[Clause], c: Clause) -> None:
    siblings = stack[-1].children if stack else roots
    siblings.append(c)  # ordinals are set once the tree is complete (_number_siblings)


def _number_siblings(siblings: list[Clause]) -> None:
    """``ordinal``: the 1-based position of each clause among its siblings of the same kind.  Siblings
    are only ever appended, so this equals counting at attach time — without re-counting every
    sibling on every attach (quadratic in a file with thousands of top-level sections or table rows)."""
    seen: dict[str, int] = {}
    for x in siblings:
        if x.kind not in ("notice", "preamble"):  # those are put in place, not attached: no ordinal
            seen[x.kind] = seen.get(x.kind, 0) + 1
            x.ordinal = seen[x.kind]
        _number_siblings(x.children)


def _match_marker(line: str, decimal: bool = False):
    if decimal:
        m = _DECIMAL.match(line) or _DECIMAL_TOP.match(line)
        if m and len(line) > m.end():
            n = m.group("n").replace("．", ".")
            return "decimal", 2 + n.count(".") / 10, "sec", m, n
    for kind, rank, el, rx in _MARKERS:
        m = rx.match(line)
        if m:
            n = m.groupdict().get("n")
            if kind == "bullet" and len(line) - m.end() < 2:
                return None
            return kind, rank, el, m, n
    return None


def _decimal_outline(text: str, spans: list[tuple[int, int]]) -> bool:
    """Does the text number its headings 1.1 / 1.1.1?  At least :data:`DECIMAL_MIN` short heading lines (no full
    stop, at most 40 characters after the number) so numbered, of at least two different numbers."""
    seen: set[str] = set()
    for s, e in spans:
        line = text[s:e].strip()
        m = _DECIMAL.match(line)
        if m and "。" not in line and 0 < len(line) - m.end() <= 40:
            seen.add(m.group("n"))
            if len(seen) >= DECIMAL_MIN:
                return True
    return False


def split_heading(rest: str) -> tuple[str | None, int]:
    """Split "加强网络规划建设。基础电信企业要…" into ("加强网络规划建设", offset of the body).

    Returns ``(heading, offset_of_body_in_rest)``; ``(None, 0)`` when the line has no short heading.
    A line that is only a heading (short, no full stop) returns the whole line and ``len(rest)``.
    """
    stripped = rest.strip()
    if not stripped:
        return None, 0
    if "。" not in stripped and len(stripped) <= 50 and not stripped.endswith(("：", ":")):
        return stripped, len(rest)
    cut = rest.find("。")
    if 0 < cut <= 40:
        head = rest[:cut].strip()
        if "，" not in head or len(head) <= 24:
            return head, cut + 1
    return None, 0


_AKN = {"chapter": "chp", "article": "art", "section": "sec", "subsection": "subsec", "item": "para", "subitem": "subpara",
        "point": "point", "bullet": "item", "box": "box", "annex": "annex", "table": "table", "row": "row",
        "decimal": "sec"}


def _num_value(c: Clause) -> int:
    n = c.number
    if n is None:
        return c.ordinal
    if n in CIRCLED:
        return CIRCLED.index(n) + 1
    return cn_to_int(n, default=c.ordinal)


def _label_part(c: Clause, parent: Clause | None) -> str:
    n = c.number
    if c.kind == "chapter":
        return f"第{n}章"
    if c.kind == "article":
        return f"第{n}条"
    if c.kind == "section":
        return f"{n}、"
    if c.kind == "subsection":
        return f"（{n}）"
    if c.kind == "item":
        return f"{n}."
    if c.kind == "subitem":
        return f"（{n}）"
    if c.kind == "point":
        return n or ""
    if c.kind == "bullet":
        return f"——{c.ordinal}"
    if c.kind == "decimal":
        return f"{n} "
    return ""


def _assign_ids(roots: list[Clause]) -> None:
    seen_labels: dict[str, int] = {}
    seen_ids: dict[str, int] = {}

    def visit(c: Clause, parent: Clause | None, pid: str, plabel: str) -> None:
        if c.kind in ("notice", "preamble"):
            cid, label = c.clause_id, c.label
        else:
            cid = (f"sec_{c.number.replace('.', '_')}" if c.kind == "decimal" and c.number
                   else f"{_AKN[c.kind]}_{_num_value(c)}")
            cid = f"{pid}__{cid}" if pid else cid
            if c.kind == "box":
                label = f"专栏{c.number or c.ordinal}"
            elif c.kind == "annex":
                label = f"{c.attrs.get('annex_kind', '附件')}{c.number or ''}"
            elif c.kind == "table":
                label = c.attrs.get("caption") or f"表{c.ordinal}"
            elif c.kind == "row":
                label = f"{plabel} 第{c.ordinal}行"
            else:
                part = _label_part(c, parent)
                base = plabel if parent is not None and parent.kind not in ("box", "annex", "table", "decimal") else (
                    plabel + " " if plabel else "")
                if c.kind in ("article", "decimal"):
                    base = ""  # cited on their own: 第三条, not 第一章第三条; 2.1.5, which names its parents
                if base.endswith("、") and part.startswith("（"):
                    base = base[:-1]
                label = (base + part).strip()
        if cid in seen_ids:
            seen_ids[cid] += 1
            cid = f"{cid}_{seen_ids[cid]}"
        else:
            seen_ids[cid] = 1
        if label in seen_labels:
            seen_labels[label] += 1
            label = f"{label}（第{seen_labels[label]}处）"
        else:
            seen_labels[label] = 1
        c.clause_id, c.label = cid, label
        for ch in c.children:
            visit(ch, c, cid, label)

    for r in roots:
        visit(r, None, "", "")


def section_headings(roots: list[Clause]) -> dict[str, tuple[str, ...]]:
    """clause_id → the headings of the clause and of its ancestors (专栏 and annex titles too), outermost first:
    the section a clause's text stands in (一、发展基础 › （二）新能源发展成效)."""
    out: dict[str, tuple[str, ...]] = {}

    def visit(c: Clause, path: tuple[str, ...]) -> None:
        path = path + (c.heading,) if c.heading else path
        out[c.clause_id] = path
        for ch in c.children:
            visit(ch, path)

    for r in roots:
        visit(r, ())
    return out


def _attach_notes(ct: CleanText, roots: list[Clause]) -> None:
    """A footnote goes to the clause whose own text holds its marker, else where the note line stood.

    "Holds": a line of the clause whose source span ``[s, e]`` contains the position (the last such
    clause in document order wins); "where the note line stood": the last clause, in document order,
    whose first line starts at or before it.  Both are answered by one sweep over the lines sorted
    by source offset (O((lines + notes) log lines)), not by scanning every clause for every note.
    """
    if not ct.footnotes:
        return
    import heapq

    flat = [c for r in roots for c in r.walk()]
    spans: list[tuple[int, int, int]] = []  # (src start, src end, index in flat)
    firsts: list[tuple[int, int]] = []  # (src start of the first line, index in flat)
    for idx, c in enumerate(flat):
        for k, (s, e) in enumerate(c.lines):
            ss, se = ct.mt.source_span(s, e)
            spans.append((ss, se, idx))
            if k == 0:
                firsts.append((ss, idx))
    spans.sort()
    firsts.sort()
    notes = sorted(range(len(ct.footnotes)), key=lambda i: (
        ct.footnotes[i].marker_pos if ct.footnotes[i].marker_pos is not None else ct.footnotes[i].start))
    best_for: dict[int, int] = {}
    heap: list[tuple[int, int]] = []  # (-flat index, src end) of the lines started at or before pos
    si = fi = 0
    last_first = -1
    for i in notes:
        fn = ct.footnotes[i]
        pos = fn.marker_pos if fn.marker_pos is not None else fn.start
        while si < len(spans) and spans[si][0] <= pos:
            heapq.heappush(heap, (-spans[si][2], spans[si][1]))
            si += 1
        while fi < len(firsts) and firsts[fi][0] <= pos:
            last_first = max(last_first, firsts[fi][1])
            fi += 1
        # a line that ends before pos ends before every later note too: drop it for good
        while heap and heap[0][1] < pos:
            heapq.heappop(heap)
        if heap:
            best_for[i] = -heap[0][0]
        elif last_first >= 0:
            best_for[i] = last_first
    for i, fn in enumerate(ct.footnotes):  # in the notes' own order, as before
        if i in best_for:
            flat[best_for[i]].notes.append(fn)


# --- tables ---------------------------------------------------------------------------------

_NAME_COLS = ("指标名称", "指标", "名称", "任务", "重点任务", "工作任务", "项目", "缩略语", "缩写")
_VALUE_COLS = ("现状值", "基期值", "基准值", "目标值", "预期值", "单位", "属性", "备注", "全称", "名词解释")
_YEAR_IN_HEADER = re.compile(r"(\d{4})\s*年")
_GLOSSARY_HEAD = re.compile(r"缩略语|缩写|英文缩写|术语")


_FILL_DOWN_HEADER = re.compile(r"责任单位|责任部门|牵头单位|牵头部门|配合单位|推进单位|实施单位|^事项$|^类别$|任务类型|^领域$")


def _unique_headers(header: list[str]) -> list[str]:
    """Column names that can key a dict: empty → 列N, a repeated name → 名称#2."""
    out, seen = [], {}
    for i, h in enumerate(header):
        h = h or f"列{i + 1}"
        seen[h] = seen.get(h, 0) + 1
        out.append(h if seen[h] == 1 else f"{h}#{seen[h]}")
    return out


_SUBHEADER_YEAR = pattern("table_subheader_year")  # patterns.yaml: （2025年） under a value header


def _subheaders_joined(header: list[str], width: int) -> list[str]:
    """A header whose last cells are years written under the value headers before them (… 指标值 现状 近期规划 （2025年）
    （2030年）, a table one cell a line): each year joined to its header in order (现状（2025年）, 近期规划（2030年）), and the
    header over them (指标值), which has no column of its own, left out when the header is still wider than the rows."""
    m = 0
    while m < len(header) and _SUBHEADER_YEAR.match(header[-1 - m]):
        m += 1
    if not m or len(header) < 2 * m + 1:
        return header
    base, years = header[:-m], header[-m:]
    first = len(base) - m
    out = base[:first] + [h + y for h, y in zip(base[first:], years)]
    extra = len(out) - width
    if 0 < extra <= first - 1:
        out = out[:first - extra] + out[first:]
    return out


def _table(ct: CleanText, spans: list[tuple[int, int]], caption: str | None):
    text = ct.text
    rows = [text[s:e].split("\t") for s, e in spans]
    header = [h.strip() for h in rows[0]]
    if len(rows) > 1:
        header = _subheaders_joined(header, max(len(r) for r in rows[1:]))
    is_header = not any(re.fullmatch(r"\d+(\.\d+)?", h) for h in header if h) and len(header) >= 2
    tbl = Clause("", "", "table", rank=7)
    tbl.attrs["caption"] = caption
    tbl.lines = [spans[0]] if is_header else []
    data = spans[1:] if is_header else spans
    data_rows = rows[1:] if is_header else rows
    cols = _unique_headers(header) if is_header else [f"列{i + 1}" for i in range(max(len(r) for r in rows))]
    tbl.attrs["columns"] = cols
    years = {}
    for h in cols:
        m = _YEAR_IN_HEADER.search(h)
        if m:
            years[h] = int(m.group(1))
    tbl.attrs["column_years"] = years
    name_idx = next((i for i, h in enumerate(cols) if any(h.startswith(nc) for nc in _NAME_COLS)), None)
    fill_cols = [i for i, h in enumerate(cols)
                 if name_idx is not None and i < name_idx and not h.startswith("序号") and h not in ("",)]
    # cells a page merges over several rows (rowspan) come out empty below their first row: a responsibility
    # list or a category is filled down from the row above
    insert_col = fill_cols[0] if fill_cols else None
    fill_cols += [i for i, h in enumerate(cols) if i not in fill_cols and _FILL_DOWN_HEADER.search(h)]
    glossary_like = bool(cols) and bool(_GLOSSARY_HEAD.search(cols[0])) and is_header
    tbl.attrs["table_kind"] = "glossary" if glossary_like else ("indicator" if years else "table")
    glossary: list[Glossary] = []
    last: dict[int, tuple[str, int | None]] = {}  # column → the last cell written in it and its offset
    prev_row: Clause | None = None
    for (s, e), cells in zip(data, data_rows):
        # where each cell starts in the cleaned text (before any cell is re-inserted)
        offsets: list[int | None] = []
        pos = s
        for raw in cells:
            offsets.append(pos + (len(raw) - len(raw.lstrip())))
            pos += len(raw) + 1
        cells = [c.strip() for c in cells]
        if len(cells) == len(cols) - 1 and insert_col is not None:  # a merged cell dropped by the converter
            cells.insert(insert_col, "")
            offsets.insert(insert_col, None)
        row_cols = cols + [f"列{i + 1}" for i in range(len(cols), len(cells))]  # ragged rows keep every cell
        cells += [""] * (len(row_cols) - len(cells))
        offsets += [None] * (len(row_cols) - len(offsets))
        filled = []
        for i in fill_cols:
            if not cells[i] and i in last:
                cells[i], offsets[i] = last[i]  # the cell of the row above, where it is written
                filled.append(cols[i])
            elif cells[i]:
                last[i] = (cells[i], offsets[i])
        row = Clause("", "", "row", rank=8)
        row.lines = [(s, e)]
        row.cells = {row_cols[i]: cells[i] for i in range(len(row_cols))}
        row.attrs["cell_offsets"] = {row_cols[i]: offsets[i] for i in range(len(row_cols))}
        if filled:
            row.attrs["filled_down"] = filled
        name = cells[name_idx] if name_idx is not None else ""
        if re.match(r"^其中\s*[：:]", name) and prev_row is not None:
            row.attrs["sub_row_of"] = prev_row
        else:
            prev_row = row
        _attach([], [tbl], row)
        if glossary_like and cells[0]:
            expansion = cells[1] if len(cells) > 1 and cells[1] else None
            definition = cells[2] if len(cells) > 2 and cells[2] else None
            glossary.append(Glossary(cells[0], expansion, definition, s, e, "glossary-table", clause=row))
    return tbl, glossary
