"""GB/T 9704 elements of a document: 发文机关, 发文字号, 标题, 主送, 成文/印发日期, 抄送, 印发机关, 文种,
plus jurisdiction, level and plan period.  What the text does not state stays ``None``.

Each field remembers where it was read (``sources``: field → zone), so a reader can tell a date
at the signature from a date in a web-portal header block (kept apart as ``date_header``).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..clean import BARE_FIELD_ROW, TRUNCATED_END, CleanText, _FIELD_LABELS, _FIELD_LINE
from ..divisions import place_chain
from ..gazetteer import ORG_SUFFIX, default_gazetteer
from ..gazetteer.grammar import CLASS_OPENERS, grammar_data
from .deadlines import period_from_title
from .docnumber import find_doc_numbers, normalize_doc_number
from .layout import DATE_LINE_RE, Zones, _ADOPTION, _DOC_NUMBER_BARE, _MASTHEAD, _NOTICE_OF_PLAN, _issuer_notice
from .layout import _key as _layout_key
from ..divisions import place_at_start
from .reflow import is_org_run, split_org_run
from ..numerals import YEAR_TRANS, cn_to_int
from ..patterns import compile_template, doc_types, fragment_list, pattern
from ..text import compact_str

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"


@dataclass
class DocMeta:
    title: str | None = None
    notice_title: str | None = None
    doc_number: str | None = None
    issuers: list[str] = field(default_factory=list)  # canonical names where resolvable
    issuer_ids: list[str | None] = field(default_factory=list)
    issuers_shorthand: str | None = None  # 八部门
    doc_type: str | None = None  # 文种 of the notice, or of the document
    plan_type: str | None = None  # 行动计划, 规划 … when the file issues a plan
    level: str | None = None
    jurisdiction: str | None = None
    date_document: dt.date | None = None
    date_header: dt.date | None = None
    date_publication: dt.date | None = None
    period: tuple[int, int] | None = None
    recipients: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    printer: str | None = None  # 印发机关
    header: dict = field(default_factory=dict)  # web-portal header block fields, as stated
    sources: dict = field(default_factory=dict)  # field → where it was read
    titles: list[str] = field(default_factory=list)  # every rendering seen (for matching)


@lru_cache(maxsize=1)
def _doc_types() -> dict:
    return doc_types()


_CJK = "\u3400-\u9fff"
_OPENERS = "（(《“‘〔【"
_CLOSERS = "）)》”’〕】，。、；：！？"


# a page's lead naming who issued the document (山西省人民政府印发《X》，…): the bodies before 印发 at the start of a line
_LEAD_ISSUES = re.compile(r"^\s*(?P<issuer>[\u4e00-\u9fff、 ]{4,60}?)(?:联合)?印发(?:了)?《(?P<title>[^《》]{4,80})》")


def tidy_title(s: str) -> str:
    """Whitespace and bracket variants that conversion introduced, removed; real spaces kept.

    A space between two CJK characters is kept (some titles have one: “…企业感受 持续打造…”); spaces
    next to brackets, quotes and punctuation, and runs of spaces, are not.  Half-width brackets
    around a year range become full-width, and the range dash becomes “—”.
    """
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"^[•●▪]\s*", "", s)  # • 国务院办公厅关于…: a page's list bullet, not the title's
    s = pattern("title_column_prefix").sub("", s)  # 政务服务丨…: the page's column, not the title's
    s = pattern("site_suffix").sub("", s)  # …的通知_云南省发展和改革委员会: the page's site, not the title's
    s = pattern("title_doc_number_end").sub("", s)  # …的通知（川发改能源〔2023〕3号）: the 文号, not the title's
    s = re.sub(rf"\s*([{re.escape(_OPENERS + _CLOSERS)}])\s*", r"\1", s)
    s = _YEAR_RANGE_IN_TITLE.sub(r"（\1—\2年）", s)
    if s.startswith("《") and s.endswith("》") and s.count("《") == 1:
        s = s[1:-1]  # a title set as 《…的决定》 on its own line
    return s


def _best_rendering(cands: list[str]) -> str | None:
    cands = [tidy_title(c) for c in cands if c and c.strip()]
    if not cands:
        return None
    # conversion inserts spaces; a real space survives in every rendering
    return min(cands, key=lambda c: (c.count(" "), -len(c)))


_DATE_RE = pattern("date_ymd")  # patterns.yaml (groups y, m, d)
_ISO_RE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")
_CN_YEAR = YEAR_TRANS  # numerals.yaml


def parse_date(s: str) -> dt.date | None:
    m = _DATE_RE.search(s)
    try:
        if m:
            y = m.group("y")
            y = int(y) if y.isdigit() else int(y.translate(_CN_YEAR))
            return dt.date(y, cn_to_int(m.group("m")), cn_to_int(m.group("d")))
        m = _ISO_RE.search(s)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return None


_TITLE_DATE = compile_template(r"[（(](?P<date>{date_ymd})[）)]\s*$")
_YEAR_RANGE_IN_TITLE = compile_template(r"[（(]\s*(\d{4})\s*{year_range_dash}\s*(\d{4})\s*年\s*[）)]")
_LEVEL_RANK = {"national": 0, "provincial": 1, "prefectural": 2, "county": 3, "township": 4}
_TITLE_FIELDS = fragment_list("header_title_fields")  # patterns.yaml: 标题, 信息名称 …
_HEADER_DATE_FIELDS = fragment_list("header_date_fields")  # patterns.yaml: 成文日期, 发文日期
# a tab, a pipe-table cell's | (发文单位：…能源局 | 成文日期：2025年12月23日 |), or a list item's "- "
_HEADER_CELL_SPLIT = re.compile(r"\t|\s*\|\s*|(?:^|(?<=[^\s\-]))\s*-\s+(?=[\u4e00-\u9fff])")
_HEADER_FIELD = re.compile(r"^\s*(?P<k>[^：:]{1,8}?)\s*[：:]\s*(?P<v>.*)$")


_BARE_LABEL = re.compile(rf"(?:^|(?<=\s))(?P<k>{_FIELD_LABELS})(?=[ \t\u3000]|$)")


def _bare_fields(row: str) -> list[tuple[str, str]]:
    """The fields of a row whose colons the page left out (发布机构 自治区人民政府 文  号 内政发〔2013〕62号): each label known
    (patterns.yaml header_field_labels), its value up to the next label."""
    ms = list(_BARE_LABEL.finditer(row))
    return [(re.sub(r"\s+", "", m.group("k")), row[m.end():ms[j + 1].start() if j + 1 < len(ms) else len(row)].strip())
            for j, m in enumerate(ms)]


def _fields_of(row: str) -> list[tuple[str, str]]:
    """The fields of one header row, cell after cell (标题：⇥…, or a label's value in the next cell)."""
    if not re.search(r"[：:]", row) and BARE_FIELD_ROW.match(row):
        return _bare_fields(row)
    cells = [c.strip() for c in _HEADER_CELL_SPLIT.split(row)]
    out, j = [], 0
    while j < len(cells):
        m = _HEADER_FIELD.match(cells[j])
        j += 1
        if not m:
            continue
        k, v = re.sub(r"^[•·●▪]|\s+", "", m.group("k")), m.group("v").strip()  # (• 发文字号: a list item's bullet)
        if not v and j < len(cells) and not _HEADER_FIELD.match(cells[j]):
            v, j = cells[j], j + 1
        out.append((k, v))
    return out


def _catalogue_titles(lines: list[str], head: set[int]) -> list[str]:
    """A disclosure catalogue's field table set below the text (索引号：⇥… ⏎ 发布机构：⇥…⇥成文日期：⇥… ⏎ 名称：⇥…):
    its title field names the document, where the head gives no title.  A row counts only inside such a table —
    two more field lines within two lines of it — never a 名称： of running text."""
    out: list[str] = []
    for i, row in enumerate(lines):
        if i in head or not _FIELD_LINE.match(row):
            continue
        near = sum(1 for k in range(max(0, i - 2), min(len(lines), i + 3)) if k != i and _FIELD_LINE.match(lines[k]))
        if near < 2:
            continue
        out += [v for k, v in _fields_of(row) if k in _TITLE_FIELDS and v and not is_org_run(v)]
    return out


_DOC_NUMBER_LINE = pattern("doc_number_line")  # a line that is nothing but a 文号 (fullmatch)
_TITLE_NUMBER_END = pattern("title_doc_number_end")  # …的通知（川发改能源〔2023〕3号）
_CITED_NUMBER = re.compile(r"[》〉>）)]\s*[（(]\s*$")  # 《…》（ right before a 文号: a document the text cites


_LOCAL_FIT_CHARS = 3000  # the opening of a text, where a local document says which place it adapts a policy to


def read_metadata(ct: CleanText, z: Zones) -> DocMeta:
    text = ct.text
    spans = ct.lines()
    line = lambda i: text[spans[i][0]:spans[i][1]]  # noqa: E731
    gaz = default_gazetteer()
    meta = DocMeta()

    # --- web-portal header block: kept as stated, apart from the document's own elements ---
    header_titles: list[str] = []  # every title field's value (标题 cut short, then 标 题 or 信息名称 whole)
    for i in z.header:
        # a row of a header table holds one or two fields, cell after cell: 发文机关：⇥国务院办公厅⇥成文日期：⇥…
        # (or list items run together by a page: - 索 引 号：FJ00103…- 文号：闽工信函节能〔2026〕160号- 发布机构：…)
        for k, v in _fields_of(line(i)):
            meta.header.setdefault(k, v)
            if k in _TITLE_FIELDS and v and not is_org_run(v):  # a collector's heading naming the host body only
                header_titles.append(re.sub(r"\s+[-—]\s*$", "", v))  # …的通知 - (a portal's cell separator)
    if not header_titles and not z.notice_title:
        header_titles = _catalogue_titles([line(i) for i in range(len(spans))], set(z.header))
    for k in _HEADER_DATE_FIELDS:  # 成文日期, or a portal's 发文日期: the date the document bears
        if meta.header.get(k):
            meta.date_header = parse_date(meta.header[k])
            break

    # --- 发文字号 ---
    if z.doc_number is not None:
        bare = _DOC_NUMBER_BARE.fullmatch(line(z.doc_number).strip())
        meta.doc_number = normalize_doc_number(
            f"{bare.group('code')}〔{bare.group('year')}〕{bare.group('serial')}号" if bare
            else _unbracketed(line(z.doc_number)))  # ( 吉府发〔2003〕37号 )
        meta.sources["doc_number"] = "发文字号"
    elif meta.header.get("发文字号") or meta.header.get("文号"):
        nums = find_doc_numbers(meta.header.get("发文字号") or meta.header.get("文号"))
        # a page's or collector's 文号 field may hold the number of a document the text cites — 根据《…》（国办发〔2019〕42号）,
        # 为贯彻落实…（浙发改能源〔2024〕111号）: that number is not this document's
        head = set(z.header)
        body = "\n".join(line(k) for k in range(len(spans)) if k not in head)
        cited = {d.value for d in find_doc_numbers(body) if _CITED_NUMBER.search(body[:d.start])}
        nums = [d for d in nums if d.value not in cited]
        if nums:
            meta.doc_number = nums[0].value
            meta.sources["doc_number"] = "header"

    if meta.doc_number is None:  # …印发《…》的通知(岳办发〔2017〕2号): a page's heading ends with the 文号
        for i in z.notice_title:
            tm = _TITLE_NUMBER_END.search(line(i).strip())
            nums = find_doc_numbers(tm.group(0)) if tm else []
            if nums:
                meta.doc_number = nums[0].value
                meta.sources["doc_number"] = "title"
                break

    if meta.doc_number is None:  # 河北省人工影响天气管理规定 ⏎ 政府令〔2010〕第15号: a page's copy, the 文号 under the title
        head = [line(k) for k in range(min(len(spans), _HEAD_SCAN))]
        keys = {_layout_key(tidy_title(line(k)))
                for k in [*z.notice_title, *([z.plan_title] if z.plan_title is not None else [])]}
        for k in range(1, len(head)):
            if _layout_key(tidy_title(head[k - 1])) in keys and _DOC_NUMBER_LINE.fullmatch(head[k].strip()):
                meta.doc_number = normalize_doc_number(_unbracketed(head[k]))
                meta.sources["doc_number"] = "under title"
                break

    order_head = None  # 宁波市人民政府令: a decree's heading (the body whose 令 it is)
    announcement = None  # 五峰土家族自治县人民代表大会常务委员会 ⏎ 公 告 ⏎ 〔2021〕第2号: the 公告's heading, its title
    if meta.doc_number is None:  # 深圳市人民代表大会常务委员会公告 ⏎ 第三十七号: a 公告's or a 令's number under its heading
        for k in range(min(len(spans), _HEAD_SCAN) - 1):
            hm = _ORDER_HEADING.match(line(k))
            if hm and _ORDER_SERIAL.match(line(k + 1)):
                meta.doc_number = re.sub(r"\s+", "", hm.group("head")) + re.sub(r"[\s（()）]", "", line(k + 1))
                meta.sources["doc_number"] = "order"
                order_head = hm.group("head")
                break
            om = _ORDER_LINE.match(line(k))  # 宁波市人民政府令第235号: the heading and its number on one line
            if om and is_org_run(re.sub(r"(?:公告|令)$", "", om.group("head"))):
                meta.doc_number = re.sub(r"\s+", "", om.group("head")) + re.sub(r"[\s（()）]", "", om.group("serial"))
                meta.sources["doc_number"] = "order"
                order_head = om.group("head")
                break
            if k > 0 and _ORDER_SERIAL.match(line(k)) and _SERIAL_ADOPTED.match(line(k + 1)):
                meta.doc_number = re.sub(r"[\s（()）]", "", line(k))  # 第153号 ⏎ 《…》已经…会议审议通过: the decree's
                meta.sources["doc_number"] = "order"
                break
            if k + 2 < len(spans) and (is_org_run(line(k).strip()) or _CONGRESS_SESSION.fullmatch(line(k).strip())) \
                    and _ANNOUNCEMENT.match(line(k + 1)) and _ORDER_SERIAL.match(line(k + 2)):
                # (a session's 公告: 某县第十八届人民代表大会第二次会议 ⏎ 公 告 ⏎ (第4号))
                announcement = line(k).strip() + "公告"
                meta.doc_number = announcement + re.sub(r"[\s（()）]", "", line(k + 2))
                meta.sources["doc_number"] = "order"
                break

    if meta.doc_number is None and z.adoption is not None:  # 中华人民共和国国家安全部令第2号
        am = _ADOPTION.match(line(z.adoption))
        if am.group("order"):
            meta.doc_number = re.sub(r"\s+", "", am.group("order"))
            meta.sources["doc_number"] = "order"

    # --- titles ---
    notice_lines = [line(i) for i in z.notice_title]
    # 关于…的意见（2016年11月10日）: a party document dates itself under its title
    title_date = None
    for k, nl in enumerate(notice_lines):
        dm = _TITLE_DATE.search(nl)
        if dm:
            title_date = parse_date(dm.group("date"))
            notice_lines[k] = nl[:dm.start()]
    # 重庆市经济和信息化委员会 ⏎ 关于废止部分行政规范性文件的通知: the issuer's name set on the line above is the title's
    # first line (GB/T 9704: 发文机关名称 + 关于 + 事由 + 文种)
    above = z.notice_title[0] - 1 if z.notice_title else -1
    if notice_lines and notice_lines[0].strip().startswith("关于") and above in z.header \
            and is_org_run(line(above).strip()) \
            and not (above - 1 >= 0 and is_org_run(line(above - 1).strip())):  # one body, not a joint masthead
        notice_lines.append(line(above).strip() + notice_lines[0].strip())
    elif notice_lines and _FORWARDING_TITLE.match(notice_lines[0].strip()):
        # 瑞政办〔2011〕129号 ⏎ 瑞安市人民政府办公室 ⏎ 转发…的通知: a forwarding notice's title (no 关于), given by the page
        # and again under the 文号 with the issuer's line above it
        key = _layout_key(notice_lines[0])
        for h in z.header:
            if h > 0 and h - 1 in z.header and _layout_key(line(h)) == key and is_org_run(line(h - 1).strip()):
                notice_lines.append(line(h - 1).strip() + notice_lines[0].strip())
                break
    elif notice_lines and notice_lines[0].strip().startswith("关于") and above in z.header \
            and _NOTICE_VERB_END.search(line(above).strip()) \
            and is_org_run(_NOTICE_VERB_END.sub("", line(above).strip()).strip()):
        # 鹤岗市人民政府 鹤岗市中级人民法院印发 ⏎ 关于完善“府院联动”机制的意见的通知: the issuers and the verb set on the line
        # above are the title's first line (the verb says the line cannot be a masthead)
        notice_lines.append(line(above).strip() + notice_lines[0].strip())
    # a title a page cut short (…关于印发海南省2021 ...) is no rendering of it
    notice_lines += [t for t in header_titles if not TRUNCATED_END.search(t.strip())]
    plan_cands: list[str] = []
    if z.plan_title_in_notice:
        plan_cands.append(z.plan_title_in_notice)
    for i in z.notice_body:
        m = re.search(r"(?:现将|现印发|印发)\s*《(.+?)》", line(i))
        if m:
            plan_cands.append(m.group(1))
    if z.plan_title is not None:
        plan_cands.append(line(z.plan_title))
    plan_title = _best_rendering(plan_cands)
    if not notice_lines and z.issues_plan and plan_title:
        # no title in the head, but the page ends with the notice itself for download, named after it
        for i in range(len(spans) - 1, max(-1, len(spans) - 6), -1):
            fm = pattern("file_named_title").match(line(i))
            nm = _NOTICE_OF_PLAN.search(fm.group("title")) if fm else None
            if nm and _layout_key(nm.group("plan")) == _layout_key(plan_title):
                notice_lines.append(fm.group("title"))
                meta.sources["title"] = "file name"
                break
    if notice_lines:
        full = [nl for nl in notice_lines if not re.match(_doc_types()["issuer_shorthand"], nl.strip())]
        # a page's title that is the document's own with a collector's tag after it (…的通知(2019修订) over …的通知):
        # the tag is no part of the title
        own = {compact_str(tidy_title(t)) for t in full}
        full = [t for t in full if not ((m := _TRAILING_NOTE.search(tt := compact_str(tidy_title(t))))
                                        and tt[:m.start()] in own)]
        nt = max(full or notice_lines, key=lambda t: len(tidy_title(t)))  # (a 文号 or a site after it is no part)
        if plan_title and z.issues_plan:
            nt = _NOTICE_OF_PLAN.sub(lambda m: m.group(0) if _tagged(plan_title, m.group("plan"))
                                     else m.group(0).replace(m.group("plan"), plan_title), tidy_title(nt))
        meta.notice_title = _strip_issuer_space(tidy_title(nt))
        short = next((nl for nl in notice_lines if re.match(_doc_types()["issuer_shorthand"], nl.strip())), None)
        if short:
            meta.issuers_shorthand = re.match(_doc_types()["issuer_shorthand"], short.strip()).group(0)
    if z.issues_plan:
        meta.title = plan_title or meta.notice_title
    else:
        meta.title = meta.notice_title or plan_title
    if meta.title is None and not notice_lines:  # 关于支持“双招双引”的十条意见。为落实…: a title run into its body
        head = set(z.header)
        first = next((line(i) for i in range(len(spans)) if i not in head and line(i).strip()), "")
        rm = pattern("run_in_title").match(first)
        if rm:
            meta.notice_title = meta.title = tidy_title(rm.group("title"))
            meta.sources["title"] = "run-in"
    if meta.title is None and announcement is not None:
        meta.notice_title = meta.title = announcement
        meta.sources["title"] = "announcement"
    if order_head is not None and (meta.title is None or _layout_key(meta.title).startswith(_layout_key(order_head))):
        # a decree (宁波市人民政府令 ⏎ 第235号 ⏎ 《X》已经…审议通过，现予公布): the regulation it promulgates is the title
        pm = next((m for m in (_PROMULGATED.search(line(k)) for k in range(min(len(spans), _HEAD_SCAN))) if m), None)
        if pm is not None:
            meta.title = tidy_title(pm.group("title"))
            meta.sources["title"] = "promulgated"
    meta.titles = sorted({tidy_title(t) for t in plan_cands + notice_lines if t} | ({meta.title} if meta.title else set()))

    # --- 文种 ---
    dt_cfg = _doc_types()
    if meta.notice_title:
        meta.doc_type = _type_of(meta.notice_title, dt_cfg["official"])
    if z.issues_plan or not meta.notice_title:
        meta.plan_type = _type_of(meta.title or "", sorted(dt_cfg["genres"], key=len, reverse=True))
        if meta.doc_type is None:
            meta.doc_type = meta.plan_type

    # --- issuers: signature, masthead, title prefix, header, in that order of authority ---
    names: list[str] = []
    if z.signature:
        # 重庆市綦江区商务委员会（代章）: the body that seals on behalf of another is still the issuer named
        # ((略) 人民政府办公厅: the mark of a name a copy left out is no name; the place it stood for is lost)
        sig_lines = [_ELIDED.sub("", line(i)).strip() for i in z.signature]
        for k in range(len(sig_lines) - 1, 0, -1):  # 某县第十八届人民代表大会 ⏎ 第二次会议主席团: one body over two lines
            if _SESSION_LINE_REST.match(sig_lines[k]):
                sig_lines[k - 1:k + 1] = [sig_lines[k - 1] + sig_lines[k]]
        names = [_SEAL_NOTE.sub("", n) for sl in sig_lines if not _SIGNER_OFFICE.match(_SPACED_WORDS.sub("", sl))
                 for n in ([sl] if _CONGRESS_SESSION.match(sl) else split_org_run(sl))
                 if not _SIGNER_OFFICE.match(n)]  # (省长, 总理李鹏, 市长 裘东耀: an office holder signs a decree, no body)
        meta.sources["issuers"] = "signature"
    elif z.masthead is not None:
        mast = _MASTHEAD.match(line(z.masthead))
        names = split_org_run(mast.group("org") if mast else line(z.masthead))
        meta.sources["issuers"] = "masthead"
    if not names and order_head is not None and is_org_run(re.sub(r"(?:公告|令)$", "", order_head)):
        # 宁波市人民政府令 signed 市长 …: the decree is the body's (国家发展改革委 财政部令: the bodies')
        names = split_org_run(re.sub(r"(?:公告|令)$", "", order_head))
        meta.sources["issuers"] = "order"
    if not names and order_head is not None:
        # 中华人民共和国主席令: an office holder promulgates what a body adopted (《…法》已由…常务委员会第十次会议…通过)
        pb = next((m for m in (_PROMULGATED_BY.search(line(k)) for k in range(min(len(spans), _HEAD_SCAN))) if m), None)
        body = re.sub(r"第[\d一二三四五六七八九十百]+届", "", pb.group("body")) if pb else ""
        body = re.sub(r"^中华人民共和国(?=\S{2})", "", body)
        if body and is_org_run(body):
            names = [body]
            meta.sources["issuers"] = "promulgation"
    issuer_notice = _issuer_notice(meta.notice_title or "")
    if not names and issuer_notice:
        # 吉林省能源局 吉林省发展和改革委员会…印发《X》的通知: the bodies before the verb
        names = split_org_run(issuer_notice.group("issuer"))
        meta.sources["issuers"] = "title"
    if not names and meta.notice_title and (fm := _FORWARDING_TITLE.search(meta.notice_title)) and fm.start() > 0 \
            and is_org_run(meta.notice_title[:fm.start()].strip()):
        names = split_org_run(meta.notice_title[:fm.start()].strip())  # 瑞安市人民政府办公室转发…的通知
        meta.sources["issuers"] = "title"
    if not names and meta.notice_title and "关于" in meta.notice_title:
        prefix = _NOTICE_VERB_END.sub("", meta.notice_title.split("关于", 1)[0].strip())  # 虹口区人民政府办公室印发关于…
        if prefix and not re.match(dt_cfg["issuer_shorthand"], prefix):
            names = [n for part in split_org_run(prefix) for n in gaz.split_issuers(part)]
            meta.sources["issuers"] = "title"
    if not names and meta.header.get("发文机关"):
        names = gaz.split_issuers(meta.header["发文机关"])
        meta.sources["issuers"] = "header"
    if not names and z.adoption is not None:  # 经人力资源和社会保障部第6次部务会议通过: the body that adopted it
        am = _ADOPTION.match(line(z.adoption))
        body = re.sub(r"第[\d一二三四五六七八九十百]+届", "", am.group("body") or am.group("body2") or am.group("body3") or "")
        body = re.sub(r"^中华人民共和国(?=\S{2})", "", body) if am.group("body3") else body
        if len(body) >= 2:
            names = [body]
            meta.sources["issuers"] = "adoption"
    if not names and meta.title:  # 河北省人工影响天气管理规定 ⏎ 河北省人民政府 ⏎ 河北省人工影响天气管理规定: a collector's line
        names = _issuer_between_titles([line(k) for k in range(min(len(spans), _HEAD_SCAN))], meta.titles)
        if names:
            meta.sources["issuers"] = "between titles"
    if not names and meta.title and z.plan_title is not None:
        # 山西省人民政府印发《山西省“十四五”节能减排实施方案》，…: a page's lead over the title names who issued it
        for h in z.header:
            lm = _LEAD_ISSUES.search(line(h))
            if lm and _layout_key(lm.group("title")) == _layout_key(meta.title) and is_org_run(lm.group("issuer")):
                names = split_org_run(lm.group("issuer"))
                meta.sources["issuers"] = "page lead"
                break
    if not names and meta.title and not meta.notice_title and z.signature_date is None and z.adoption is None:
        # 镇巴县人民政府工作规则 under a portal's fields naming no body (发文机构：县政府网站): the body the title opens with
        body = _title_body(meta.title)
        if body:
            names = [body]
            meta.sources["issuers"] = "title body"
    # relative names in a signature (市交通委 市公安局) are read in the place the title or header names
    # (or, failing a place there, the 文号's place abbreviation: 沪建建材联〔2022〕679号 → 上海市)
    hint = next((p for p in (gaz.place_prefix(t) for t in (meta.notice_title, meta.title, meta.header.get("发文机关"),
                                                            meta.header.get("发布单位")) if t) if p is not None), None)
    if hint is None and meta.doc_number:
        hint = gaz.place(meta.doc_number[:1])
    where = hint.name if hint is not None else None
    if where is None:  # a place the gazetteer does not list, at the start of a title (嘉兴市某某办法 signed 市科技局 市财政局)
        where = next((d.name for d in (place_at_start(t) for t in (meta.notice_title, meta.title) if t) if d), None)
    if where is None:  # 州人大常委会法工委 signed under a page's line naming it with its place (湘西自治州人大常委会法工委)
        names = [_placed_by_head(n, [line(k).strip() for k in range(min(len(spans), _HEAD_SCAN))]) for n in names]
    # a session of a congress (绛县第十五届人民代表大会第五次会议关于…的决议): what it adopted is the congress's
    names = [f"{cm.group('place')}{cm.group('body')}" if (cm := _CONGRESS_SESSION.fullmatch(n.strip())) else n
             for n in names]
    resolved = []
    for n in names:
        relative = re.match(r"^[市区县省]", n.strip()) is not None
        r = ((gaz.resolve(n, where) if where is not None else None) or gaz.resolve(n)) if relative else \
            (gaz.resolve(n) or (gaz.resolve(n, where) if where is not None else None))
        resolved.append((r.name if r else re.sub(r"\s+", "", n), r.id if r else None, r))
    meta.issuers = [x[0] for x in resolved]
    meta.issuer_ids = [x[1] for x in resolved]

    # --- level and jurisdiction: from the issuer, else from a place named at the start of the title ---
    first = next((x[2] for x in resolved if x[2] is not None), None)
    if first is not None:
        meta.level, meta.jurisdiction = first.level, first.jurisdiction
        meta.sources["level"] = "issuer"
    elif meta.title:
        place = _title_place(meta.title)
        if place is not None:
            meta.level, meta.jurisdiction = place.level, place.name
            meta.sources["level"] = "title-place"
    # every province, prefecture and county (GB/T 2260), for what the gazetteer does not list or
    # lists only above the issuer's own level (杭州市临安区人民政府 is a county body, not a city's)
    div, src = None, None
    # a joint notice led by a central body (生态环境部 发展改革委 … 上海市人民政府 江苏省人民政府) is national: the places
    # of the provinces that co-sign it are not its jurisdiction
    lead_central = bool(resolved) and resolved[0][2] is not None and resolved[0][2].level == "national"
    for n in meta.issuers[:1] if lead_central else meta.issuers:
        div, src = place_at_start(n, within=meta.jurisdiction), "issuer-division"
        if div:
            break
    if div is None and (meta.notice_title or meta.title):
        div, src = place_at_start(meta.notice_title or meta.title, within=meta.jurisdiction), "title-division"
    if div is not None and (meta.level is None or _LEVEL_RANK.get(div.level, 0) > _LEVEL_RANK.get(meta.level, 0)):
        meta.level, meta.jurisdiction = div.level, div.name
        meta.sources["level"] = src

    if meta.level == "county":  # 上海市奉贤区柘林镇人民政府: a township of the county
        tm = next((m for m in (pattern("township_issuer").search(n) for n in meta.issuers) if m), None)
        if tm is not None:
            meta.level, meta.jurisdiction = "township", tm.group("township")
            meta.sources["level"] = "issuer-township"
    if meta.jurisdiction is None:  # 结合莆田实际: a local document names its place where it adapts a policy
        for m in pattern("local_fit").finditer(text[:_LOCAL_FIT_CHARS]):
            div = place_at_start(m.group("place"))
            if div is not None:
                meta.level, meta.jurisdiction = div.level, div.name
                meta.sources["level"] = "body-place"
                break

    # --- dates ---
    if z.signature_date is not None:
        meta.date_document = parse_date(line(z.signature_date))
        meta.sources["date_document"] = "signature"
        below = z.signature_date + 1  # a regulation a 公告 promulgates: its own note of adoption under the 公告's date
        am = _ADOPTION.match(line(below)) if below < len(spans) else None
        if am and "通过" in line(below) and parse_date(am.group("date")):
            meta.date_document = parse_date(am.group("date"))
            meta.sources["date_document"] = "adoption"
    elif z.adoption is not None:  # a decision or regulation is dated by its adoption
        meta.date_document = parse_date(_ADOPTION.match(line(z.adoption)).group("date"))
        meta.sources["date_document"] = "adoption"
    elif title_date is not None:
        meta.date_document = title_date
        meta.sources["date_document"] = "title"
    if meta.date_document is None and meta.date_header is not None:  # the portal's 成文日期 is the same element
        meta.date_document = meta.date_header
        meta.sources["date_document"] = "header"
    for i in z.colophon:
        m = DATE_LINE_RE.match(line(i))
        if m and m.group("suffix") in ("印发", "发布"):
            meta.date_publication = parse_date(m.group("date"))
            meta.sources["date_publication"] = "colophon"
            k = z.colophon.index(i)
            if k > 0 and not re.match(r"^\s*(抄\s*送|信息公开)", line(z.colophon[k - 1])):
                meta.printer = line(z.colophon[k - 1]).strip()
    if meta.date_publication is None and meta.header.get("发布日期"):
        meta.date_publication = parse_date(meta.header["发布日期"])
        meta.sources["date_publication"] = "header"

    # --- 主送 and 抄送 ---
    if z.recipients is not None:
        # (a page's table may leave its cell separator before the 主送 line: |各科室,各站所,各村:; a Markdown quote its >)
        meta.recipients = split_recipients(line(z.recipients).rstrip("：: ").lstrip("|｜> "))
    elif (sent := (meta.header.get("主送") or meta.header.get("主送机关") or "").strip("：: ")) \
            and not re.fullmatch(r"[（(]?无[）)]?|[-—/]+", sent):  # a portal's 主送 field: the 主送 line, labelled
        meta.recipients = split_recipients(sent)
        meta.sources["recipients"] = "header"
    for i in z.colophon:
        m = re.match(r"^\s*抄\s*送\s*[：:]\s*(.*)$", line(i))
        if m:
            meta.cc = split_recipients(m.group(1))

    # --- level from the 主送 line, where neither the issuers nor the title give it ---
    if meta.level is None and meta.recipients:  # 自治区人民政府各组成部门 in the 主送 line: a provincial issuer
        if any(pattern("recipients_national").search(r) for r in meta.recipients):
            meta.level, meta.jurisdiction = "national", "全国"
            meta.sources["level"] = "recipients"
        elif any(pattern("recipients_provincial").search(r) for r in meta.recipients[1:]) \
                and re.match(r"各(?:市|州|地)", meta.recipients[0]):
            meta.level = "provincial"
            meta.sources["level"] = "recipients"

    # --- plan period ---
    meta.period = period_from_title(meta.title or "") if meta.title else None
    return meta


_BRACKETS_AROUND = re.compile(r"^[（(]\s*|\s*[）)]$")


def _unbracketed(s: str) -> str:
    """A 文号 line without the brackets a page sets it in: ( 吉府发〔2003〕37号 ) → 吉府发〔2003〕37号."""
    return _BRACKETS_AROUND.sub("", s.strip())


_HEAD_SCAN = 40  # lines from the top where a page repeats a document's title around its issuer's name
_SIGNER_OFFICE = pattern("signer_office")
_ELIDED = pattern("elided_name")  # patterns.yaml: (略), a name a copy left out
_SPACED_WORDS = re.compile(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff])")  # 省  长  唐仁健: an office spaced out
_ORDER_HEADING = pattern("order_heading")
_ORDER_SERIAL = pattern("order_serial")
_ORDER_LINE = pattern("order_line")
_SERIAL_ADOPTED = pattern("order_serial_then_adoption")  # patterns.yaml: 《…》已经…会议审议通过, under a decree's number
_PROMULGATED = pattern("promulgated_title")
_PROMULGATED_BY = pattern("promulgated_by")
_ANNOUNCEMENT = pattern("announcement_word")
_CONGRESS_SESSION = pattern("congress_session")  # patterns.yaml: 某县第十五届人民代表大会第五次会议
_SESSION_LINE_REST = pattern("session_line_rest")  # 第二次会议主席团: a session's body, its congress on the line above


def _issuer_between_titles(lines: list[str], titles: list[str]) -> list[str]:
    """A body's name alone on its line between two renderings of the document's title: a collector's or a database's
    page names the issuer so (title ⏎ 云南省临沧市人民政府 ⏎ title), where the document's own head does not."""
    keys = {_layout_key(t) for t in titles if t}
    for k in range(1, len(lines) - 1):
        s = lines[k].strip()
        # (the document's 文号 may stand between the name and the title once more: title ⏎ 某地区行政公署办公室 ⏎
        # 喀署办发[2008]63号 ⏎ title)
        below = k + 2 if k + 2 < len(lines) and _DOC_NUMBER_LINE.fullmatch(lines[k + 1].strip()) else k + 1
        # (a joint document's bodies listed with 、 on that line: 财政部、司法部)
        parts = s.split("、")
        if (is_org_run(s) or (len(parts) > 1 and all(is_org_run(p) for p in parts))) \
                and _layout_key(tidy_title(lines[k - 1])) in keys and _layout_key(tidy_title(lines[below])) in keys:
            return [n for p in parts for n in split_org_run(p)]
    return []


def _placed_by_head(name: str, head: list[str]) -> str:
    """A relative name (州人大常委会法工委) with the place a line of the page's head names the same body with (湘西自治州
    人大常委会法工委 → 湘西土家族苗族自治州人大常委会法工委); the name as it is where no line does."""
    if not re.match(r"^[市区县州省]", name) or len(name) < 4:
        return name
    rest = name[1:]
    for h in head:
        pre = h[:-len(rest)] if h.endswith(rest) else ""
        d = place_at_start(pre) if pre.endswith(name[0]) else None
        if d is not None:
            return d.name + rest
    return name


def _title_body(title: str) -> str | None:
    """The body a title opens with, named in full and known to the gazetteer, with the title going on after it
    (镇巴县人民政府工作规则 → 镇巴县人民政府); None for a title that opens with a place only (杭州市区域…) or with 关于."""
    from .reflow import org_run_end

    gaz = default_gazetteer()
    best = None
    for e in range(2, len(title) - 1):
        head = title[:e]
        if org_run_end(head) and is_org_run(head) and len(split_org_run(head)) == 1 and gaz.resolve(head) is not None:
            best = head
    return best


def _title_place(title: str):
    """The most specific place a title starts with: 上海市杨浦区… → 杨浦区 (inside 上海市)."""
    gaz = default_gazetteer()
    place = gaz.place_prefix(title)
    rest = title
    while place is not None:
        form = next((f for f in sorted([place.name, *place.short, *place.abbr], key=len, reverse=True)
                     if rest.startswith(f)), None)
        if form is None:
            break
        sub = gaz.place_prefix(rest[len(form):])
        if sub is None or sub.parent != place.id:
            break
        place, rest = sub, rest[len(form):]
    return place


def _strip_issuer_space(t: str) -> str:
    return re.sub(r"\s+(?=关于)", "", t)


def _type_of(title: str, words: list[str]) -> str | None:
    t = re.sub(r"[（(][^（()）]*[）)]\s*$", "", title.strip())
    t = re.sub(r"[》”\s]+$", "", t)
    for w in sorted(words, key=len, reverse=True):
        if t.endswith(w):
            return w
    return None


_GROUP_PREFIX = re.compile(r"^(各省、自治区、直辖市(?:及计划单列市|及新疆生产建设兵团)*(?:、新疆生产建设兵团)?)")
_ORG_SUFFIX = ORG_SUFFIX  # the one agency-suffix set (kg/ontology/org_grammar.yaml)
# township heads end a list of townships (各乡镇、街道), not one class whose head distributes (各区、县人民政府)
_TOWNSHIP_HEADS = ("街道", "镇", "乡")


def split_recipients(s: str) -> list[str]:
    """Split a 主送/抄送 list. Shares a prefix and suffix across 、-lists (上海电信、移动、联通公司)."""
    s = s.strip().rstrip("。；;")
    out: list[str] = []
    for chunk in _split_top(s, "，,；;"):
        chunk = chunk.strip()
        if not chunk:
            continue
        gm = _GROUP_PREFIX.match(chunk)
        if gm:
            rest = chunk[gm.end():]
            items = [x for x in _split_top(rest, "、") if x.strip()]
            if not items:
                out.append(chunk)
            else:
                out.extend(gm.group(1) + it.strip() for it in items)
            continue
        m_suffix = _ORG_SUFFIX.search(re.sub(r"[（(][^（）()]*[）)]$", "", chunk))
        if re.match(r"^各[\u4e00-\u9fff]{1,2}(?:[（(][^（）()]{1,6}[）)])?、", chunk) and m_suffix and m_suffix.group(1) not in _TOWNSHIP_HEADS:
            out.append(chunk)  # 各区、县（市）人民政府: 各 and the head distribute, one class of recipients
            continue
        items = []
        for x in (x.strip() for x in _split_top(chunk, "、")):
            if x and items and len(x) == 1 and x in "委办局厅" and re.search(r"(?:各|有关)[委办局厅](?:、[委办局厅])*$", items[-1]):
                items[-1] += "、" + x  # 市政府各委、办、局, 市政府有关委、办、局: one class of recipients, not three
            elif x:
                items.append(x)
        if len(items) > 1 and chunk.startswith(_CLASS_OPENERS) and items[-1].endswith(_CLASS_HEADS) \
                and not any(_ORG_SUFFIX.search(_TRAILING_NOTE.sub("", x)) for x in items[:-1]):
            # 各市州发展改革、科技、…、能源主管部门: one class of departments named by their fields, not bodies
            out.append(chunk)
            continue
        if len(items) > 1 and chunk.startswith(_CLASS_OPENERS) and items[0].endswith(_DEPARTMENT_BODIES) \
                and all(_bare_department(x) for x in items[1:]):
            out.append(chunk)  # 各州市财政局、科技局: 各 and its places distribute over the departments, one class
            continue
        lead = _place_prefix(items[0]) if len(items) > 1 else None
        if lead and len(items[0]) > len(lead) + 1 and _ORG_SUFFIX.search(items[0]) \
                and not items[0].endswith(_COMPANY_ENDS):  # 海南电网有限责任公司: the place is part of its own name
            # 新疆生产建设兵团工业和信息化主管部门、党委网信办、科技局 — the place distributes over the list
            place = default_gazetteer().place_prefix(items[0])
            forms = [place.name, *place.short, *place.abbr] if place else [lead]
            # … but not over a name of its own (内蒙古电力公司、国网蒙东电力公司; 中国…, 国家…)
            out.extend(it if j == 0 or it.startswith(tuple(forms)) or it.startswith(("国网", "中国", "国家", "中共"))
                       or it.startswith(_CLASS_OPENERS)  # 各发电企业, 有关单位: a class, not a body of that place
                       or _place_prefix(it) else lead + it for j, it in enumerate(items))
            continue
        if len(items) > 1:
            suffix_m = _ORG_SUFFIX.search(items[-1])
            first_has_suffix = bool(_ORG_SUFFIX.search(_TRAILING_NOTE.sub("", items[0])))  # 发展改革局（委）
            if suffix_m and not first_has_suffix and all(len(x) <= 6 for x in items[1:-1]):
                suffix = suffix_m.group(1)
                last_place = "".join(d.name for d in place_chain(items[-1]))
                if last_place and items[-1].startswith(last_place) and all(_bare_place(x) for x in items[:-1]) \
                        and re.match(r"[（(][^（）()]{1,4}[）)]", items[-1][len(last_place):]):
                    # 湖北、湖南、重庆、贵州省(市)民(宗)委: the places' kind given with its alternative (省(市)) — one class
                    # written for them all, kept as written (湖北省(市)… is no body's name)
                    out.append(chunk)
                    continue
                if last_place and items[-1].startswith(last_place) and all(_bare_place(x) for x in items[:-1]):
                    suffix = items[-1][len(last_place):]  # 满洲里市、二连浩特市发展改革委: each city's 发展改革委
                    # (郑州、平顶山、…、驻马店市发展改革委: a city named short takes its full name)
                    items = [_bare_place(x) for x in items[:-1]] + items[-1:]
                elif all(_bare_place(x) for x in items[:-1]) and (lp := _place_prefix(items[-1])) \
                        and _ORG_SUFFIX.search(items[-1][len(lp):]):
                    # 天津、内蒙古、…、广西工业和信息化主管部门; 北京、广州电力交易中心: places named short, each with what
                    # follows the last one's place (no place distributes over the others)
                    out.extend([x + items[-1][len(lp):] for x in items[:-1]] + items[-1:])
                    continue
                prefix = _place_prefix(items[0])
                expanded = []
                for j, it in enumerate(items):
                    # a zone or place names its own place (嘉定工业区、菊园新区管委会; 南京、无锡、…、黄山市人民政府 — every
                    # city a division of its own): no shared prefix
                    if j > 0 and prefix and not it.startswith(prefix) and not _names_a_place(it.removesuffix(suffix)) \
                            and not _bare_place(it.removesuffix(suffix)):
                        it = prefix + it
                    if not it.endswith(suffix) and not _ORG_SUFFIX.search(it):
                        it = it + suffix
                    expanded.append(it)
                out.extend(expanded)
                continue
        out.extend(items)
    return out


def _tagged(plan_title: str, named: str) -> bool:
    """The plan's own title line is the name the notice's title gives it with a note after it (工作规则(2019年11月修订)
    under 印发《…工作规则》的通知): the notice's title names it as it does, without the note."""
    m = _TRAILING_NOTE.search(t := compact_str(plan_title))
    return bool(m) and t[:m.start()] == compact_str(named)


def _bare_department(x: str) -> bool:
    """A department's name alone, without a place or a class's opener (科技局, 教育委员会): in a 主送 item after a class
    (各州市财政局、科技局) it takes that class's opener and places (org_grammar.yaml function_department bodies)."""
    return 2 <= len(x) <= 6 and x.endswith(_DEPARTMENT_BODIES) and "各" not in x and not x.startswith(_CLASS_OPENERS) \
        and _place_prefix(x) is None


def _bare_place(x: str) -> str | None:
    """``x`` if it is a place's name and nothing else, the full name if it is a short one (郑州 → 郑州市)."""
    chain = place_chain(x)
    full = "".join(d.name for d in chain)
    return full if chain and (full == x or (len(chain) == 1 and chain[0].name.startswith(x))) else None


# org_grammar.yaml: a class of recipients' head (各市州…能源主管部门), the words opening a class (各, 有关: no place prefix
# distributes over it), and the heads of names that hold their own place (海南电网有限责任公司: no shared prefix)
_CLASS_HEADS = tuple(grammar_data()["class_heads"])
_CLASS_OPENERS = CLASS_OPENERS  # org_grammar.yaml class_openers: 各, 有关, 相关 (kg.gazetteer.grammar)
_COMPANY_ENDS = tuple(grammar_data()["own_place_heads"])
_DEPARTMENT_BODIES = tuple(grammar_data()["function_department"]["bodies"])  # 委, 局, 办, 厅 …
_NOTICE_VERB_END = compile_template(r"(?:联合)?{notice_verbs}$")  # patterns.yaml: 印发, 转发 … ending a title's prefix
_TRAILING_NOTE = re.compile(r"[（(][^（）()]*[）)]$")
_FORWARDING_TITLE = compile_template(r"{forwarding_verbs}(?={forwarding_title_rest})")  # patterns.yaml: no 关于
_SEAL_NOTE = re.compile(r"\s*[（(](?:代章|盖章|代印|印章)[）)]$")


def _names_a_place(stem: str) -> bool:
    """A list item that is itself a zone or a place (菊园新区, 工业区, 某某镇): a shared place prefix does
    not distribute over it."""
    from kg.gazetteer.grammar import ZONE_HEADS

    return stem.endswith(ZONE_HEADS) or stem.endswith(("区", "县", "镇", "乡", "街道"))


def _place_prefix(s: str) -> str | None:
    p = default_gazetteer().place_prefix(s)
    if p is None:
        return None
    for form in sorted([p.name, *p.short, *p.abbr], key=len, reverse=True):
        if s.startswith(form):
            return form
    return None


def _split_top(s: str, seps: str) -> list[str]:
    """Split on separators that are not inside brackets."""
    out, depth, cur = [], 0, []
    for ch in s:
        if ch in "（(《“【":
            depth += 1
        elif ch in "）)》”】":
            depth = max(0, depth - 1)
        if ch in seps and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out
