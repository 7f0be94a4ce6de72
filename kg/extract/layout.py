"""Zones of a 公文 file (GB/T 9704 elements), found line by line on the cleaned text.

A file may hold, top to bottom: a web-portal header block (``发文机关：…``, ``成文日期：…``), the
发文机关标志 (``上海市通信管理局文件``), the 发文字号, the notice title, the 主送机关 line, the notice
body (``现将《…》印发给你们``), the signature (agency names and 成文日期), the plan's own title and
body, and a colophon (``抄送：…``, 印发机关 and 印发日期).  :func:`find_zones` labels each line; the
metadata reader and the clause segmenter both start from these zones.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..clean import TRUNCATED_END, CleanText, _BREADCRUMB, _FIELD_LINE, _spaced, is_heading_line, is_title_line
from ..patterns import compile_template, fragment_list, pattern
from ..text import compact_str
from ..gazetteer.grammar import ORG_SUFFIX
from .reflow import is_org_run

DOC_NUMBER_RE = pattern("doc_number_line")  # patterns.yaml (groups code, year, serial; use fullmatch)
DATE_LINE_RE = pattern("date_line")  # patterns.yaml (groups date, y, m, d, suffix)
_MASTHEAD = re.compile(r"^\s*(?P<org>[\u4e00-\u9fff、\s]{4,60}?)\s*文\s*件\s*$")
_NOTICE_OF_PLAN = pattern("notice_frame")  # patterns.yaml: 关于印发《X》的通知 (groups plan, type)
_NOTICE_OF_PLAN_BARE = pattern("notice_frame_bare")  # 关于印发X的通知, no 《》 (same groups)
_NOTICE_BY_ISSUER = pattern("notice_frame_issuer")  # 吉林省能源局…印发《X》的通知, no 关于 (groups issuer, plan, type)
_NOTICE_BY_ISSUER_BARE = pattern("notice_frame_issuer_bare")  # the same without 《》: …办公室印发…规则的通知
_ADOPTION = pattern("adoption_note")  # （2021年6月23日…会议通过） (group date)
_BODY_START = pattern("body_start")
# a first-level item (一、…) of any length: a notice's own requirements, or the plan's first part
_TOP_ITEM = compile_template(r"^\s*{cn_clause_num}[、．.]")
_CLOSING = pattern("closing_formula")  # 特此通知。
_ANNEX_HEADING = re.compile(r"^\s*附\s*件\s*[0-9０-９一二三四五六七八九十]{0,3}\s*[：:]?\s*$")  # 附件1, alone on its line
# under other header fields: 层级: 市级, 官方链接: https://…, and a collector's quoted note (> 依《著作权法》…)
_SHORT_FIELD = re.compile(r"^\s*(?:[\u4e00-\u9fff]{2,6}\s*[：:]\s*\S.{0,300}|>.*)$")
_DOC_NUMBER_EMPTIED = pattern("doc_number_emptied")  # patterns.yaml: 甘发改规划〔〕号, its year and serial dropped
_DOC_NUMBER_BARE = pattern("doc_number_bare")  # 温政发202057号: brackets lost in scraping
_TITLE_DATE = compile_template(r"[（(]{date_ymd}[）)]\s*$")  # 关于…的意见（2016年11月10日）
_RECIPIENTS_END = re.compile(r"[：:]\s*$")
# a page's byline (尹琪 签发于2013/8/22 13:52:33) ends with a colon too: a clock time is never in a 主送 line
# (nor a page's date and its source: 2019-12-21 来源:开福区司法局 字体大小:)
_NOT_RECIPIENTS = re.compile(r"\d{1,2}:\d{2}|签发|浏览次数|发布时间|信息来源|信息提供日期|【?字体[：:]|字体大小|打印本页|关闭窗口"
                             r"|(?:19|20)\d{2}-\d{1,2}-\d{1,2}|(?:^|\s)来源[：:]")
# a byline's label alone on its line, its value cut to the next (时间: ⏎ 2024-07-09 06:45:11 来源:…): no 主送 line
# (作者: ⏎ 发布时间:2023年11月20日 来源:: the label of an empty field, the byline's next field below it)
_BYLINE_LABEL, _BYLINE_VALUE = pattern("byline_label"), pattern("byline_value")  # patterns.yaml: • 时间: ⏎ 2024-07-09
# a fragment that opens with its 主送 line (no title above it): a list of bodies addressed as 各…
_ORG_LIST_START = re.compile(r"^各[\u4e00-\u9fff（）()、]{1,30}(?:人民政府|政府|部门|单位|机构)")


_EMPTY_FIELD = pattern("empty_field")  # patterns.yaml: a page's empty 文号 or 主送 field (无, ：) under the title
_PAGE_NAV = pattern("page_nav_line")  # patterns.yaml: 收藏本站| 设为首页| 首页, «上一版 本期共4版: a page's links
_SITE_LINE = pattern("site_line")  # patterns.yaml: - 湖南省发展和改革委员会, a page's title split from its site
_PAGE_TRAILER = pattern("page_trailer")  # patterns.yaml: 来源：…, 扫一扫… under a signature
# a portal's field table set out as rows of cells, label and value alternating, the colon after a label optional
# (文　号⇥某发改规〔2025〕1 号⇥发布机关⇥… ; 签发日期⇥2025-02-06⇥实施日期⇥…), or a row of a table left empty (|⇥|)
# (labels: patterns.yaml header_field_labels, spaced out or not, as the cleaner's field lines)
_TABLE_ROW = re.compile(
    r"^\s*(?:[|｜]?\s*(?:" + "|".join(_spaced(w) for w in sorted(fragment_list("header_field_labels"), key=len, reverse=True))
    + r")\s*[：:]?\s*\t|[|｜\s]*$)")
_ADDRESSEE_PERSON = pattern("addressee_person")  # patterns.yaml: 张某某委员： (a reply's 主送 line)
_REPLY_START = pattern("addressee_reply_start")  # 您提出的…: the reply to them, in the second person


_COLOPHON = re.compile(r"^\s*(?:抄\s*送|信息公开(?:属性|选项)|公开属性|公开方式|（此件|\(此件|此件|附\s*注|联系人|分送)")
_PREAMBLE_CUES = ("现将", "现就", "为深入", "为贯彻", "为进一步", "为加快", "为全面", "为推动", "为落实")


@dataclass
class Zones:
    header: list[int] = field(default_factory=list)  # line indexes
    masthead: int | None = None
    doc_number: int | None = None
    notice_title: list[int] = field(default_factory=list)
    recipients: int | None = None
    notice_body: list[int] = field(default_factory=list)
    adoption: int | None = None  # （2021年6月23日…会议通过） under the title of a decision or regulation
    signature: list[int] = field(default_factory=list)
    signature_date: int | None = None
    plan_title: int | None = None
    body: list[int] = field(default_factory=list)  # lines of the main text (plan, or the notice itself)
    colophon: list[int] = field(default_factory=list)
    closing: list[int] = field(default_factory=list)  # 特此通知。 alone on its line: the notice's closing formula
    issues_plan: bool = False
    plan_title_in_notice: str | None = None  # X in 关于印发《X》的通知


def _key(s: str) -> str:
    s = compact_str(s)
    s = re.sub(r"[（(][^（()）]*[）)]", "", s)
    return re.sub(r"[《》〈〉<>“”\"'‘’—–\-－～~]", "", s)


def find_zones(ct: CleanText) -> Zones:
    lines = [ct.text[s:e] for s, e in ct.lines()]
    n = len(lines)
    z = Zones()
    i = _top_matter(lines, 0, z)
    if z.doc_number is None and z.recipients is None and (not z.notice_title or _page_heading_only(lines, z, i)):
        # the file opens with something else — a portal's menus and links, a collector's title and fields — and
        # the notice's head comes further down: start over there, the lines above it a header
        k = _head_anchor(lines)
        if k is not None:
            z = Zones(header=list(range(k)))
            i = _top_matter(lines, k, z)
    if z.doc_number is not None and z.doc_number < 4 and not z.notice_title and z.recipients is None \
            and z.masthead is None:
        # a page's field rows gave the 文号 (文号 瑞政办〔2011〕129号 发布机构 …) and the rest of the page's matter stopped
        # the head: the document's own head, its 文号 with its 主送 line, further down
        k = _head_anchor(lines, start=i, addressed=True)
        if k is not None:
            z = Zones(header=list(range(k)))
            i = _top_matter(lines, k, z)
    if i == 0 and not z.header and z.plan_title is None:
        k = _field_block(lines)
        if k is not None:  # a page's chrome (返回顶部, the page's heading), then its field list: the head is below it
            z = Zones(header=list(range(k)))
            i = _top_matter(lines, k, z)
    if i == 0 and not z.header and z.plan_title is None and z.doc_number is None and not z.notice_title:
        k = _title_under_lead(lines)
        if k is not None:  # a page's lead naming the plan (山西省人民政府印发《X》，…), then the plan's own title
            z = Zones(header=list(range(k)), plan_title=k)
            i = k + 1
    if z.adoption is None and z.doc_number is None and z.recipients is None and not z.notice_title:
        reg = _regulation_head(lines)
        if reg is not None:  # a regulation's title and its adoption note under a page's or a collector's matter
            z = Zones(header=list(range(reg[0])), plan_title=reg[0], adoption=reg[1])
            i = reg[1] + 1
    if i == 0 and not z.header and not z.notice_title and z.doc_number is None and z.recipients is None \
            and z.plan_title is None and z.adoption is None:
        k = _title_under_site_names(lines)
        if k is not None:  # a news page: its site's name (人民网 ⏎ 人民网), then the headline — a 通告 with no 主送
            z = Zones(header=list(range(k)), notice_title=[k])
            i = k + 1
    z = _rest(lines, i, z)
    if z.recipients is None:
        _person_addressed(lines, z)
    # 特此通知。 (特此函告。, 此复。) alone on its line closes the notice: no clause's text
    z.closing = [b for b in z.body if closing_start(lines[b]) == 0]
    z.body = [b for b in z.body if b not in z.closing]
    return z


_SITE_NAME_LINES = 3  # a page's site or column names over its headline, one a line


def _title_under_site_names(lines: list[str]) -> int | None:
    """A headline that is a notice's title (关于…的通告) under at most three short lines of a page's names (人民网),
    none of them a sentence, a field or a title."""
    for k in range(1, min(len(lines), _SITE_NAME_LINES + 1)):
        prev = lines[k - 1].strip()
        if not _PAGE_NOTE.match(prev) or len(prev) > 12 or _looks_like_notice_title(prev) or is_title_line(prev):
            return None
        if _looks_like_notice_title(lines[k]):
            return k
    return None


def _title_under_lead(lines: list[str]) -> int | None:
    """The plan's own title on one of the first lines, under a page's lead that names it in 《》 (…印发《X》，通过…),
    its body right below it (为贯彻落实…): the index of the title line."""
    for k in range(1, min(len(lines) - 1, 4)):
        s = lines[k].strip()
        if not is_title_line(s) or is_heading_line(s) or not _BODY_START.match(lines[k + 1]):
            continue
        named = {_key(t) for x in lines[:k] for t in re.findall(r"《([^《》]{4,80})》", x)}
        return k if _key(s) in named else None
    return None


def closing_start(line: str) -> int | None:
    """Where the closing formula at the end of ``line`` begins (0: the line is nothing else; …请认真执行。特此通知。:
    after the sentence's full stop), or None when the line does not end with one."""
    m = _CLOSING.search(line)
    if m is None:
        return None
    before = line[:m.start()].rstrip()
    if not before:
        return 0
    return m.start() if before.endswith(("。", "；", "！", "!", ";")) else None


_FIELD_BLOCK_START = 12  # how far down a page's chrome may push its list of fields


def _field_block(lines: list[str]) -> int | None:
    """The first line of a page's list of fields (three field lines running: • 索引号:… ⏎ • 主题分类: ⏎ • 来源:), near
    the top of the file."""
    for k in range(1, min(len(lines) - 2, _FIELD_BLOCK_START)):
        if all(_FIELD_LINE.match(lines[j]) for j in range(k, k + 3)):
            return k
    return None


def _regulation_head(lines: list[str]) -> tuple[int, int] | None:
    """A law's, regulation's or rule's head further down a page: its title, then (a field or two of the page between,
    颁布日期：… ⏎ 颁布单位：…) the note of its adoption ((2018年12月31日…人民代表大会第四次会议通过…批准), 【题注】 (…通过)):
    the title's and the note's line indexes.  What stands above the title is the page's."""
    for k in range(1, min(len(lines), _ANCHOR_LINES)):
        if not _ADOPTION.match(lines[k]):
            continue
        j = k - 1
        while j > 0 and k - j <= 4 and _FIELD_LINE.match(lines[j]):
            j -= 1
        if is_title_line(lines[j]) and not _FIELD_LINE.match(lines[j]):
            return j, k
        return None
    return None


_ADDRESSEE_LINES = 60  # a reply addresses its deputy or member near its top, under the page's fields


def _person_addressed(lines: list[str], z: Zones) -> None:
    """A reply to a deputy's suggestion or a member's proposal: its 主送 line names them (张某某委员：) and the reply
    follows in the second person (您提出的…); a page's fields may stand above it (提案者, 承办单位, 答复内容)."""
    for k in z.body:
        if k >= _ADDRESSEE_LINES:
            return
        if _ADDRESSEE_PERSON.match(lines[k]) and k + 1 < len(lines) and _REPLY_START.match(lines[k + 1]):
            z.recipients = k
            z.body.remove(k)
            return


_PAGE_LABEL = re.compile(r"^\s*(?:[-—]\s*\S{2,30}(?:网站|网|门户)|[\u4e00-\u9fff]{2,10}|[\u4e00-\u9fff]{2,8}\s*[：:].*"
                         r"|[A-Z]{2,10}(?:[-—－]?\d{2,8}){2,3})\s*$")  # …, or a register number: HNPR—2025—02011


# a library's note under a document's head (本作品收录于《…公报/2004年/第7号): a short line with no sentence in it
_PAGE_NOTE = re.compile(r"^[^。，,；;：:]{2,40}$")


def _page_matter(line: str, lines: list[str], z: Zones) -> bool:
    """A line a page puts between a notice's title and its 主送 line: its site (-国家能源局网站), a label (政策原文,
    目录项的基本信息), a field (索引号:\t…), a register number (HNPR—2025—02011), or the title or the 文号 once more."""
    s = line.strip()
    again = [lines[k].strip() for k in [*z.notice_title, *([z.doc_number] if z.doc_number is not None else [])]]
    return s in again or bool(_SITE_LINE.match(s)) or bool(_TABLE_ROW.match(line)) or bool(DATE_LINE_RE.match(s)) \
        or (bool(_PAGE_NOTE.match(s)) and not DOC_NUMBER_RE.fullmatch(s) and not _looks_like_notice_title(s)
            and not is_org_run(s) and not is_title_line(s)) \
        or (bool(_PAGE_LABEL.match(s)) and not DOC_NUMBER_RE.fullmatch(s))


def _recipients_ahead(lines: list[str], i: int, within: int = 12, title_again: bool = False) -> bool:
    """A 主送 line within the next lines, with nothing but page matter, titles and 文号 lines before it.  Right under
    the title given once more (``title_again``: a page's heading, its byline and the 文号, then the document's own
    title), a short 主送 line of one body counts though it names it in short form (区政协常委会：)."""
    for k in range(i + 1, min(len(lines), i + within)):
        if _is_recipients_line(lines[k]) and (_opens_org_list(lines[k].strip())
                                              or (title_again and k == i + 1 and len(lines[k].strip()) <= 20
                                                  and not re.search(r"[，,、；;]", lines[k]))):
            return True
        if _BODY_START.match(lines[k]) or "。" in lines[k]:
            return False
    return False


def _page_heading_only(lines: list[str], z: Zones, i: int) -> bool:
    """The top matter is a page's or a collector's heading and fields, and the document's own head — a 文号 line
    with its masthead, title or 主送 line — follows (标题：… ⏎ 发文机关：… ⏎ 政策原文 ⏎ 吉林省能源局… ⏎ 吉能储能〔2024〕
    232号 ⏎ …印发《…》的通知 ⏎ 各市（州）能源局…：)."""
    k = _head_anchor(lines)
    return k is not None and k >= i and any(DOC_NUMBER_RE.fullmatch(x.strip()) for x in lines[k:k + 2])


_ISSUES_IN_BODY = pattern("issues_in_body")  # patterns.yaml: 现将《X》印发, 《X》已经…审议通过，现予印发 …
_ATTACHMENT_LINE = re.compile(r"^\s*(?:附\s*件\s*\d*\s*[：:]?.*|\d{1,2}\s*[.．、]\s*\S.{0,80})$")
# a page's buttons (朗读, 打印), a bare label (附件:) or a Markdown link line (- [空间布局图.pdf](./….pdf))
_CHROME = re.compile(r"^(?:[\u4e00-\u9fff]{1,8}[：:]?|[-*+]\s*\[[^\]]*\]\([^)]*\).*)$")
# a line that is nothing but Markdown images (a page's seal, banner or decoration: ![](…/part/22499841.png))
_IMAGES_ONLY = re.compile(r"^\s*(?:!\[[^\]]*\]\([^)]*\)\s*)+$")


def _head_anchor(lines: list[str], start: int = 1, addressed: bool = False) -> int | None:
    """The first line of a notice's head further down the file: a notice title or a 文号 line with another
    head element (文号, 主送 line) within the next four lines, or the title of a notice issuing a plan with its body
    right under it; a masthead's names right above it go with it.  ``addressed``: only a head whose 主送 line is
    within those four lines (a page's own 文号 and title, given above the document's, have none)."""
    n = len(lines)
    for k in range(start, min(n, _ANCHOR_LINES)):
        line = lines[k].strip()
        title = _looks_like_notice_title(line) and not line.startswith(("《", "“"))
        if _is_recipients_line(lines[k]) and _opens_org_list(line) and k + 1 < n and _BODY_START.match(lines[k + 1]):
            return k  # 各辖市、区发改委（局）…：⏎ 为贯彻落实…: a notice whose head the page lost, from its 主送 line
        if not (title or DOC_NUMBER_RE.fullmatch(line)):
            continue
        if title and k + 1 < n and _BODY_START.match(lines[k + 1]) \
                and (_NOTICE_OF_PLAN.search(line) or _issuer_notice(line)):
            return k  # …关于印发《X》的通知 ⏎ 按照…: a notice issuing a plan, its body right under its title
        # (under a title, a portal's byline and field table looked past: 来源：…日期：… ⏎ 文　号⇥…⇥发布机关⇥… ⏎ 各有关单位：)
        near = _past_page_matter(lines, k + 1, 4) if title else range(k + 1, min(n, k + 5))
        if not any((DOC_NUMBER_RE.fullmatch(lines[j].strip()) and not addressed)
                   or (_is_recipients_line(lines[j]) and (not addressed or _opens_org_list(lines[j].strip())))
                   for j in near):
            continue
        while k > 0 and is_org_run(lines[k - 1].strip()):  # 重庆市财政局 ⏎ … ⏎ 关于印发《…》的通知
            k -= 1
        return k
    return None


_ANCHOR_LINES = 80


def _past_page_matter(lines: list[str], i: int, count: int) -> list[int]:
    """The next ``count`` lines from ``i``, a portal's matter right under a title looked past as a reader's eye does:
    its byline on the first line, several fields run together (来源：…日期：…字号：…), then the rows of its field
    table (文　号⇥…⇥发布机关⇥… ; 签发日期⇥…), at most eight of them."""
    out: list[int] = []
    skipped = 0
    for k in range(i, len(lines)):
        if len(out) >= count:
            break
        row = lines[k]
        if not out and skipped < 8 and not _is_recipients_line(row) and not DOC_NUMBER_RE.fullmatch(row.strip()) \
                and (_TABLE_ROW.match(row) or (k == i and len(re.findall(r"[：:]", row)) >= 2
                                               and (_FIELD_LINE.match(row) or _PAGE_LABEL.match(row.strip())))):
            skipped += 1
            continue
        out.append(k)
    return out


def _names_then_title(lines: list[str], i: int) -> bool:
    """Lines of bodies' names from ``i`` down to a notice title."""
    for k in range(i, min(len(lines), i + 12)):
        if _looks_like_notice_title(lines[k]):
            return k > i
        if not is_org_run(lines[k].strip()):
            return False
    return False


def _title_again_below(lines: list[str], i: int, z: Zones) -> int | None:
    """Lines of bodies' names from ``i`` down to the notice's title once more: the index of that title line.  A 文号
    line may stand between the names and the title, as under a masthead (a collector's issuer line ⏎ 喀署办发[2008]63号
    ⏎ the title again ⏎ 主送)."""
    title = _key(lines[z.notice_title[0]])
    number = False
    for k in range(i + 1, min(len(lines), i + 6)):
        if _key(lines[k]) == title:
            return k
        if DOC_NUMBER_RE.fullmatch(lines[k].strip()) and not number and z.doc_number is None:
            number = True
            continue
        if number or not is_org_run(lines[k].strip()):
            return None
    return None


def _opens_org_list(line: str) -> bool:
    """A line that opens with a list of bodies addressed as 各… (各地级以上市发展改革局（委）、…：)."""
    if _ORG_LIST_START.match(line) or is_org_run(re.sub(r"[：:]\s*$", "", line)):  # (or one body: 甘肃省人民政府：)
        return True
    first = re.split(r"[，,：:]", line, maxsplit=1)[0]  # the first group: 各辖市、区发改（经发）委（局）、工信局
    if _GOVERNMENTS_BODIES.match(first):  # 市政府直属各单位, 区政府各部门: a government's bodies as a class
        return True
    return first.startswith("各") and bool(ORG_SUFFIX.search(re.sub(r"(?:[（(][^（）()]{1,6}[）)])+$", "", first)))


_GOVERNMENTS_BODIES = re.compile(r"^[省市区县州旗](?:人民)?政府[\u4e00-\u9fff]{0,4}各[\u4e00-\u9fff、]{1,8}$")


def _is_recipients_line(line: str, after: str = "") -> bool:
    """A 主送 line: ends with a colon, no sentence in it, not a heading, a body's opening or a page's byline (``after``:
    the next line, where a byline's label alone has its date)."""
    if _BYLINE_LABEL.match(line) and _BYLINE_VALUE.match(after):
        return False
    return bool(_RECIPIENTS_END.search(line)) and "。" not in line and len(line) <= 600 and not _BODY_START.match(line) \
        and not is_heading_line(line) and not _NOT_RECIPIENTS.search(line) and not _EMPTY_FIELD.match(line)


def _top_matter(lines: list[str], i: int, z: Zones) -> int:
    """Read the top matter from line ``i`` into ``z`` (header fields, masthead, doc number, titles, recipients);
    the index of the first line after it."""
    n = len(lines)
    top_limit = min(n, i + 40)
    while i < top_limit:
        line = lines[i]
        if _BREADCRUMB.match(line) or _FIELD_LINE.match(line) or _IMAGES_ONLY.match(line) or _PAGE_NAV.search(line) \
                or (z.header and z.header[-1] == i - 1 and _SHORT_FIELD.match(line)):
            z.header.append(i)  # a portal's header block, or a collector's front matter (层级: 市级)
        elif (_NOT_RECIPIENTS.search(line) and len(line) <= 80
              or _BYLINE_LABEL.match(line) and i + 1 < n and _BYLINE_VALUE.match(lines[i + 1])) \
                and (z.notice_title or z.doc_number is not None):
            z.header.append(i)  # a page's byline under the title (尹琪 签发于2013/8/22 13:52:33; 时间: ⏎ 2024-07-09 …)
        elif z.masthead is None and not z.notice_title and z.doc_number is None and is_org_run(line.strip()) \
                and _names_then_title(lines, i):
            z.header.append(i)  # a joint masthead, one name a line, over the title (the signature names them again)
        elif TRUNCATED_END.search(line) and len(line) <= 120 and not z.recipients:
            z.header.append(i)  # a page's heading cut short (柳州市发展和改革委员会关于进一步贯彻 ...)
        elif z.doc_number is not None and line.strip() == lines[z.doc_number].strip() and not z.notice_title:
            z.header.append(i)  # the 文号 again, under the page's own heading
        elif (z.notice_title or z.doc_number is not None) and z.recipients is None and _page_matter(line, lines, z) \
                and _recipients_ahead(lines, i, title_again=bool(z.notice_title)
                                      and _key(line) == _key(lines[z.notice_title[0]])):
            z.header.append(i)  # a page's site line, labels, fields and the title or 文号 again, over the 主送 line
        elif z.doc_number is not None and not z.notice_title and z.recipients is None and is_org_run(line.strip()) \
                and i + 1 < n and _FORWARD_TITLE.match(lines[i + 1].strip()):
            z.header.append(i)  # 瑞政办〔2011〕129号 ⏎ 瑞安市人民政府办公室 ⏎ 转发…的通知: the issuer's line opens the title
        elif z.masthead is None and _MASTHEAD.match(line) and len(line) <= 40:
            z.masthead = i
        elif z.masthead is None and z.doc_number is None and not z.notice_title and i + 1 < n \
                and DOC_NUMBER_RE.fullmatch(lines[i + 1].strip()) and "关于" not in line and is_org_run(line):
            z.masthead = i  # a joint masthead without 文件: the bodies' names over the 文号
        elif z.doc_number is None and z.recipients is None and (z.notice_title or z.masthead is not None) \
                and _DOC_NUMBER_EMPTIED.fullmatch(line):
            z.header.append(i)  # a 文号 whose year and serial a copy dropped (…规划〔〕号), the 主送 line below it
        elif z.doc_number is None and (DOC_NUMBER_RE.fullmatch(line.strip())
                                       or (i < 4 and _DOC_NUMBER_BARE.fullmatch(line.strip()))):
            z.doc_number = i
        elif not z.notice_title and _looks_like_notice_title(line):
            z.notice_title.append(i)
            m = _NOTICE_OF_PLAN.search(line) or _NOTICE_OF_PLAN_BARE.search(_TITLE_DATE.sub("", line.strip())) \
                or _issuer_notice(line)
            if m:
                z.issues_plan = True
                z.plan_title_in_notice = m.group("plan")
        elif z.notice_title and _looks_like_notice_title(line) and not z.doc_number \
                and all(k in z.header for k in range(z.notice_title[-1] + 1, i)):
            # a second rendering of the title (short form above the full one; a page's heading, then a label such
            # as 政策原文, then the document's own title)
            z.notice_title.append(i)
        elif z.recipients is None and (z.notice_title or z.doc_number is not None) and _EMPTY_FIELD.match(line):
            z.header.append(i)  # a page's empty fields under the title (文号 无, 主送 ：), its head given again below
        elif z.recipients is None and z.notice_title and is_org_run(line.strip()) \
                and (k := _title_again_below(lines, i, z)) is not None:
            # the document's own head under the page's: its masthead's names over the title once more
            # (…的通知 ⏎ 豫发改运行〔2024〕852号 ⏎ ： ⏎ 河南省发展和改革委员会 国家能源局河南监管办 ⏎ …的通知 ⏎ 各省辖市…：)
            number = next((j for j in range(i, k) if DOC_NUMBER_RE.fullmatch(lines[j].strip())), None)
            if number is not None:
                z.doc_number = number
            z.header.extend(j for j in range(i, k + 1) if j != number)
            i = k
        elif z.adoption is None and _ADOPTION.match(line) and (z.notice_title or z.doc_number is not None):
            z.adoption = i
        elif z.recipients is None and _is_recipients_line(line, lines[i + 1] if i + 1 < n else "") \
                and (z.notice_title or z.doc_number is not None
                     or (i == (z.header[-1] + 1 if z.header else 0) and _opens_org_list(line))):
            z.recipients = i
            i += 1
            break
        elif z.header and not z.notice_title and z.doc_number is None and z.recipients is None and i + 1 < n \
                and _PAGE_LABEL.match(line) and not is_title_line(line) and is_title_line(lines[i + 1]):
            z.header.append(i)  # a collector's label (政策原文) over a page's own title that is no notice's
        elif z.header and not z.notice_title and z.doc_number is None and z.recipients is None \
                and z.masthead is None and z.header[-1] == i - 1 and is_title_line(line) and not is_heading_line(line):
            z.plan_title = i  # the page's own title under its header (…拟支持企业公示, …权责事项清单)
            i += 1
            break
        elif (z.notice_title or z.header) and z.recipients is None and _CHROME.match(line.strip()) \
                and any(DOC_NUMBER_RE.fullmatch(lines[k].strip()) or _is_recipients_line(lines[k])
                        for k in range(i + 1, min(n, i + 4))):
            z.header.append(i)  # a page's button under the title (朗读), the 文号 or 主送 line below it
        elif z.notice_title or z.header or z.masthead is not None:
            # first line of running text
            break
        elif is_title_line(line):
            z.plan_title = i
            i += 1
            if i < n and _ADOPTION.match(lines[i]):  # a regulation or rule: its title, then when it was adopted
                z.adoption = i
                i += 1
            break
        else:
            break
        i += 1
    return i


def _rest(lines: list[str], i: int, z: Zones) -> Zones:
    """The colophon, the notice body, the plan's title and the signature, below the top matter (from line ``i``)."""
    n = len(lines)
    if not z.issues_plan and z.recipients is not None and not z.notice_title:
        # no title to say so, but the notice's first lines issue a plan (制定《X》，现印发给你们)
        for k in range(i, min(n, i + 3)):
            m = _ISSUES_IN_BODY.search(lines[k])
            if m:
                z.issues_plan = True
                z.plan_title_in_notice = m.group("plan") or m.group("plan2") or m.group("plan3") or m.group("plan4")
                break
    # --- colophon at the end ---
    end = n
    j = n - 1
    while j >= i:
        line = lines[j]
        if _COLOPHON.match(line) or _is_issue_date(line):
            z.colophon.insert(0, j)
            end = j
        elif z.colophon and _is_issue_date(lines[z.colophon[0]]) and _is_signature_name(line) and "\t" not in line:
            z.colophon.insert(0, j)  # 印发机关 line right before the 印发日期
            end = j
        else:
            break
        j -= 1

    # --- the notice body and the plan title, when the notice issues a plan ---
    if z.issues_plan and z.plan_title is None:
        target = _key(z.plan_title_in_notice or "")
        k = i
        found = None
        rest_of_title = 0  # the title set on two lines (2026年松江区建筑垃圾运输行业 ⏎ “清水行动”工作方案: spec d31-02)
        while k < end:
            if target and _key(lines[k]) == target and "。" not in lines[k]:
                found = k
                break
            if target and k + 1 < end and _key(lines[k]) and target.startswith(_key(lines[k])) \
                    and _key(lines[k] + lines[k + 1]) == target and "。" not in lines[k] + lines[k + 1]:
                found, rest_of_title = k, 1
                break
            k += 1
        if found is None:
            # 关于印发本区…实施方案的通知, then 《崇明区…实施方案》已经区政府同意，现印发给你们: the notice's text names the plan
            # as its title line writes it (spec d31-03)
            for k in range(i, min(end, i + 4)):
                m = _ISSUES_IN_BODY.search(lines[k])
                said = _key(m.group("plan") or m.group("plan2") or m.group("plan3") or m.group("plan4")) if m else ""
                hit = next((x for x in range(k + 1, end) if said and _key(lines[x]) == said and "。" not in lines[x]), None)
                if hit is not None:
                    found = hit
                    break
        if found is not None:
            z.notice_body = list(range(i, found))
            z.plan_title = found
            i = found + 1 + rest_of_title
        else:
            # no title line for the plan: the notice is its first paragraph(s) up to the signature
            k = i
            # (a preamble cue opens the plan, unless it opens the notice itself: 为贯彻落实…，现将…印发给你们)
            # a first-level item, however long, ends it too: a notice that sets requirements of its own (一、要强化…
            # 二、要坚持…) under the sentence that issues the plan keeps them as clauses, not as the notice's text
            while k < end and not is_heading_line(lines[k]) and not (k > i and lines[k].startswith(_PREAMBLE_CUES[1:])) \
                    and not (k > i and _TOP_ITEM.match(lines[k])):
                k += 1
            # its list of attachments (附件：1.… 2.…) and then its signature still belong to the notice
            for j in range(k, min(end, k + 10)):
                if DATE_LINE_RE.match(lines[j]):
                    if all(_ATTACHMENT_LINE.match(lines[x]) or _is_signature_name(lines[x]) for x in range(k, j)):
                        k = j + 1
                    break
            z.notice_body = list(range(i, k))
            i = k
        _split_signature(lines, z)
    z.body = list(range(i, end))
    if not z.issues_plan or z.signature_date is None:
        # a plain notice may end with its own signature block, and so may a plan whose notice is not signed
        # (柘林镇人民政府 / 2023年10月13日 after the plan's last section); after 特此通知。 the block comes next,
        # whatever a page adds below it
        tail = z.body[-12:]
        closing = next((k for k, b in enumerate(z.body) if _CLOSING.search(lines[b])), None)
        if closing is not None:
            tail = z.body[closing + 1:closing + 8]
        else:
            # the signature, then the annexes (附件1 ⏎ …模板): the date right above the first annex heading
            annex = next((k for k, b in enumerate(z.body) if k > 0 and _ANNEX_HEADING.match(lines[b])
                          and DATE_LINE_RE.match(lines[z.body[k - 1]])), None)
            if annex is not None:
                tail = z.body[max(0, annex - 8):annex]
        for idx in reversed(tail):
            if DATE_LINE_RE.match(lines[idx]):
                sig = [idx]
                k = idx - 1
                while k >= (z.body[0] if z.body else 0) and _is_signature_name(lines[k]):
                    sig.insert(0, k)
                    k -= 1
                # (a date right under the notice's list of annexes ends it, though the page dropped the name)
                # (… or with nothing but a page's trailer under it: 2025年6月23日 ⏎ 来源：江西省发展和改革委员会)
                # (… or a date alone a few lines under the 主送 line, right after the notice's last sentence: a short
                # notice whose page dropped the name, the forwarded document below it — 市政府直属各单位： ⏎ …请认真贯彻执行。
                # ⏎ 二○一一年八月九日 ⏎ 温州市推行…的指导意见)
                if len(sig) >= 2 or all(_PAGE_TRAILER.match(lines[b]) for b in z.body if b > idx) \
                        or (idx - 1 in z.body and _ATTACHMENT_LINE.match(lines[idx - 1])) \
                        or (z.recipients is not None and 0 < idx - z.recipients <= 4 and idx - 1 in z.body
                            and lines[idx - 1].rstrip().endswith("。")):
                    z.signature = sig[:-1]
                    z.signature_date = idx
                    # a page's trailer right under the date (扫一扫在手机打开当前页面 ⏎ 主办:… ⏎ 联系电话:…): the page's
                    # footer from there on, no text of the notice
                    after = [b for b in z.body if b > idx]
                    cut = after[0] if after and after[0] == idx + 1 and _PAGE_TRAILER.match(lines[after[0]]) else None
                    z.body = [b for b in z.body if b < sig[0] or (b > idx and (cut is None or b < cut))]
                break
        if z.signature_date is None:
            _signature_before_a_list(lines, z)
    return z


def _signature_before_a_list(lines: list[str], z: Zones) -> None:
    """A signature far from the end, a list or table after it without a heading of its own (…予以公示，名单附后。 ⏎
    地址：… ⏎ 上海市某委员会 ⏎ 2024年10月30日 ⏎ 拟支持企业名单 ⏎ 1 | ⏎ 上海某某有限公司 | …): bodies' names alone on their
    lines under the text (a sentence above them), then a date alone on its line."""
    body = z.body
    for pos in range(1, len(body) - 1):
        idx = body[pos]
        if not DATE_LINE_RE.match(lines[idx]) or _is_issue_date(lines[idx]):
            continue
        k = pos - 1
        while k >= 0 and body[k] == idx - (pos - k) and is_org_run(lines[body[k]].strip()) \
                and _is_signature_name(lines[body[k]]):
            k -= 1
        if k == pos - 1 or k < 0 or not any("。" in lines[b] for b in body[:k + 1]):
            continue
        z.signature = body[k + 1:pos]
        z.signature_date = idx
        z.body = body[:k + 1] + body[pos + 1:]
        return


def _is_issue_date(line: str) -> bool:
    m = DATE_LINE_RE.match(line)
    if m is None:
        # 吴泾镇人民政府办公室      2021年2月7日印发: the 印发机关 and the 印发日期 set on one line, apart (GB/T 9704 §7.4.4;
        # the spaces may be collapsed to one; a trial township notice, its date read as a deadline: spec d31-01)
        parts = line.strip().rsplit(None, 1)
        if len(parts) == 2 and _is_signature_name(parts[0]):
            m = DATE_LINE_RE.match(parts[1])
    return bool(m) and m.group("suffix") in ("印发", "发布")


def _split_signature(lines: list[str], z: Zones) -> None:
    body = z.notice_body
    for pos in range(len(body) - 1, -1, -1):
        # (the 印发 line of a colophon — 海南省发展和改革委员会办公室 ⏎ 2020年12月24日印发 — is not the signature)
        if DATE_LINE_RE.match(lines[body[pos]]) and not _is_issue_date(lines[body[pos]]):
            z.signature_date = body[pos]
            k = pos - 1
            sig = []
            while k >= 0 and _is_signature_name(lines[body[k]]):
                sig.insert(0, body[k])
                k -= 1
            z.signature = sig
            z.notice_body = body[: k + 1] + body[pos + 1:]
            return


def _is_signature_name(line: str) -> bool:
    s = line.strip()
    return (2 <= len(s) <= 90 and "\t" not in line and not re.search(r"[。，,；;：:、\d]", s)  # (a comma of either width)
            and not is_heading_line(s) and not _CLOSING.search(s))  # 特此通知 is no name


def _looks_like_notice_title(line: str) -> bool:
    s = _TITLE_DATE.sub("", line.strip())
    if "。" in s or len(s) > 300:
        return False
    if _NOTICE_OF_PLAN.search(s) or _issuer_notice(s):
        return True
    # (a forwarding notice's title has no 关于: …办公室转发温州市…指导意见及操作规范的通知)
    return ("关于" in s or bool(_FORWARD_TITLE.match(s))) and is_title_line(s)


_FORWARD_TITLE = compile_template(r"^[\u4e00-\u9fff]{0,30}?{forwarding_verbs}{forwarding_title_rest}")  # patterns.yaml


def _issuer_notice(line: str) -> re.Match | None:
    """吉林省能源局 吉林省发展和改革委员会吉林省工业和信息化厅印发《X》的通知: a notice title without 关于, the
    issuing bodies before the verb (their names must read as bodies' names: 根据国务院印发《X》的通知 is no title)."""
    m = _NOTICE_BY_ISSUER.search(line) or _NOTICE_BY_ISSUER_BARE.search(line)
    return m if m and is_org_run(re.sub(r"\s+", "", m.group("issuer"))) else None
