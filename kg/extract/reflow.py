"""Line breaks that scraping lost, put back in the head and at the signature of a 公文.

Web scrapes and sentence-split datasets run the elements of a document together::

    温岭市人民政府文件温政发202057号温岭市人民政府关于…的若干意见各镇人民政府，各街道办事处：
    嘉兴市科学技术局嘉兴市财政局2018年6月19日嘉兴市科技保险补贴实施办法（试行） 为切实加强…

The zone reader (:mod:`kg.extract.layout`) works line by line, so this step breaks such lines where
one element ends and the next begins: after a masthead (…文件), around a 发文字号, between a title and
its 主送 line, and around a signature that is glued to its date, to the colophon or to the next
title.  A ★ or a rule of dashes stuck to the first line is dropped.  Nothing else changes; every
change is recorded (kind ``reflow``) and offsets still map to the source.

>>> from kg.read import SourceDoc
>>> from kg.clean import clean
>>> ct = reflow(clean(SourceDoc(path="x.txt", name="x.txt", encoding="utf-8", sha256="", text="湖州市人民政府文件湖政发〔2018〕4号湖州市人民政府关于印发某某政策的通知各县区人民政府，市府各部门:\\n现将《某某政策》印发给你们。\\n湖州市人民政府2018年2月2日某某政策为积极响应国家倡议，现提出如下意见。", format="text")))
>>> print(ct.text)
湖州市人民政府文件
湖政发〔2018〕4号
湖州市人民政府关于印发某某政策的通知
各县区人民政府，市府各部门:
现将《某某政策》印发给你们。
湖州市人民政府
2018年2月2日
某某政策
为积极响应国家倡议，现提出如下意见。
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from ..clean import _FIELD_LINE, Change, CleanText, is_title_line
from ..divisions import place_chain
from ..text import Builder
from ..patterns import compile_template, doc_kinds, fragment, pattern
from .base import alternation

HEAD_LINES = 16  # the head of a document (masthead, 文号, title, 主送 — glued or not), after any portal header


def _org_end() -> str:
    """The last word of a body's name (…局, …人民政府, …委; a bank's or a company's branch: …中心支行, …供电公司), from
    the one grammar of organisation names."""
    from ..gazetteer.grammar import HEADS, grammar_data

    return alternation([*HEADS, *(h for h in grammar_data().get("branch_heads") or () if h.endswith(("行", "公司")))])


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    kinds = doc_kinds() + "|" + fragment("title_articles")
    org_end = f"(?:{_org_end()})"
    return {
        "decoration": compile_template(r"^\s*{line_decoration}+\s*(?=[\u4e00-\u9fff])"),
        "masthead": re.compile(rf"^\s*[\u4e00-\u9fff、（）\s]{{2,60}}?{org_end}\s*文\s*件(?=\S)"),
        "org_end": re.compile(org_end),
        "doc_number": pattern("doc_number"),
        "bare_doc_number": pattern("doc_number_bare"),
        "doc_kind": re.compile(rf"(?:{kinds})(?:[（(][^（）()]{{1,8}}[）)])?"),
        "title_end": re.compile(rf"的(?:{kinds})(?:[（(][^（）()]{{1,8}}[）)])?"),
        "title_then_body": re.compile(
            rf"\s*(?P<title>[^，。；：:！？\s]{{2,80}}?(?:{kinds})(?:[（(][^（）()]{{1,12}}[）)])?)\s*(?=\s|{fragment('body_start')})"),
        "colophon": pattern("colophon_start"),
        "doc_number_line": pattern("doc_number_line"),
        "lead_in": re.compile(rf"[：:]\s*(?={fragment('body_start')})"),
        # …市政府各部门：《某某办法》已经市政府同意，… / …各部门：当前，…: a body that opens otherwise, after a list of
        # bodies addressed (各…, 有关…, or several: a 主送 line, never a field label)
        "lead_in_other": re.compile(r"[：:]\s*(?=《[^《》]{2,80}》(?:已|经)|[\u4e00-\u9fff]{2,4}[，,])"),
        "date": pattern("date_ymd"),
        "not_signature": compile_template(r"{signature_stop_words}|^{signature_stop_starts}"),
        # a regulation's title, its note of adoption in brackets and its first article run together (…条例（2005年3月31日
        # …会议通过 根据…修正）第一章总则…)
        "title_adoption": re.compile(rf"^\s*(?P<title>[^，。；：:！？\s（()）]{{2,80}}?(?:{kinds}))\s*(?P<note>[（(]\s*"
                                     rf"{fragment('date_ymd')}[^（）()]{{2,300}}?(?:通过|批准|修正|修订|公布|施行)[^（）()]{{0,300}}?[）)])"),
        "order_start": compile_template(r"^\s*{order_number}(?=\S)"),
        "signer": pattern("signer_office"),
        "dated_title": re.compile(rf"关于[^。；]{{2,120}}?(?:{kinds})[（(]{fragment('date_ymd')}[）)]"),
    }


_SECOND_NAME = re.compile(r"[（(][^（）()]{2,20}[）)]")
_NAMED_TITLE = re.compile(r"《([^《》\n]{4,80})》")  # a document the text names (现将《X》印发给你们)
_MAX_SIGNATURE = 90  # characters: the longest run of bodies' names a signature line holds
_RECIPIENTS_THEN_TEXT = pattern("recipients_then_text")  # a 主送 line, then the text
_ADOPTION_THEN_CHAPTER = pattern("adoption_then_chapter")  # patterns.yaml: …会议通过)第一章 总则
_ADOPTION_NOTE = pattern("adoption_note")


def org_run_end(s: str) -> bool:
    """Whether ``s`` ends like the name of a body (…局, …人民政府, …市委)."""
    m = None
    for m in _patterns()["org_end"].finditer(s):
        pass
    return m is not None and m.end() == len(s)


#: single characters separated by spaces (a name spaced out across the line: 国 资 委)
_LETTER_SPACED = re.compile(r"(?<!\S)(?:[\u4e00-\u9fff][ \u3000]+)+[\u4e00-\u9fff](?!\S)")


def split_org_run(s: str) -> list[str]:
    """Names of bodies written one after another, with or without spaces between them.

    A new name begins after a body's last word where a place (or 中共) begins:
    嘉兴市科学技术局嘉兴市财政局 → two; 中共东阳市委东阳市人民政府 → two;
    嘉兴市人民政府金融工作办公室 → one (金融工作办公室 names no place).

    >>> split_org_run("中共舟山市委组织部舟山市人力资源和社会保障局 舟山市财政局")
    ['中共舟山市委组织部', '舟山市人力资源和社会保障局', '舟山市财政局']
    """
    out: list[str] = []
    s = _LETTER_SPACED.sub(lambda m: "".join(m.group(0).split()), s)  # 国 资 委: one name, spaced out
    for chunk in s.split():
        start = 0
        ends = [m.end() for m in _patterns()["org_end"].finditer(chunk)]
        # a body's second name in brackets after its own (嘉兴市科学技术局（市知识产权局）, 发展和改革局（粮食局）): the name
        # ends after the bracket
        ends += [b.end() for b in _SECOND_NAME.finditer(chunk) if org_run_end(chunk[:b.start()])]
        for e in sorted(set(ends)):
            if e >= len(chunk) or e - start < 2:
                continue
            if chunk.startswith(("中共", "中国共产党"), e) or (place_chain(chunk, e) and not _inside_name(chunk, e)
                                                            and not _local_office(chunk, start, e)) \
                    or (chunk.startswith(_NATIONAL_STARTS, e) and is_org_run(chunk[start:e])):
                # (嘉兴市财政局国家税务总局嘉兴市税务局: a national body's office after a local body is a new name)
                out.append(chunk[start:e])
                start = e
        if chunk[start:]:
            out.append(chunk[start:])
    return out


# a national body's, or a national company's, name opens so (国家税务总局…, 国家能源局…监管办公室, 中国人民银行…中心支行,
# 国网…供电公司)
_NATIONAL_STARTS = ("国家", "国务院", "中国", "国网")


def _name_sized(name: str) -> bool:
    """Whether what stands between a name's place and its head is no longer than a name's inside may be
    (org_grammar.yaml internal.max_len): 玉环市总部经济企业销售回归奖励申请表玉环市经济和信息化局 is a table's title
    and a body, not one body."""
    from ..gazetteer.grammar import grammar_data

    k = 0
    for d in place_chain(name):
        short = re.sub(r"[市县区省州]$", "", d.name)
        k += len(d.name) if name.startswith(d.name, k) else len(short) if name.startswith(short, k) else 0
    last = None
    for last in _patterns()["org_end"].finditer(name):
        pass
    head = len(last.group(0)) if last is not None and last.end() == len(name) else 0
    return len(name) - k - head <= int(grammar_data()["internal"]["max_len"])


def _local_office(s: str, start: int, e: int) -> bool:
    """A national body's name, then a place and the head of its office there, is one name — the office's
    (国家税务总局上海市税务局, 国家能源局河南监管办公室: kg/ontology/agencies.yaml's name formats)."""
    from ..gazetteer import default_gazetteer

    nxt = _patterns()["org_end"].search(s, e + 1)
    return nxt is not None and default_gazetteer().resolve(s[start:nxt.end()]) is not None


def _inside_name(s: str, e: int) -> bool:
    """A place right after 市/省/区 can be part of one name (上海市浦东新区…): only a body's own
    ending counts as a boundary when what precedes is a bare place."""
    return bool(place_chain(s[:e])) and "".join(d.name for d in place_chain(s[:e])) == s[:e]


def is_org_run(run: str) -> bool:
    """Whether ``run`` is nothing but the names of one or more bodies (a signature, a joint masthead)."""
    run = run.strip()
    if not (2 <= len(run) <= _MAX_SIGNATURE) or re.search(r"[^\u4e00-\u9fff（）()\s]", run):
        return False
    if _patterns()["not_signature"].search(_name_words_masked(run)) or not org_run_end(run):
        return False
    return bool(place_chain(run) or run.startswith(("中共", "中国共产党", "中华人民共和国", *_NATIONAL_STARTS))
                or _known_body(run))


def _name_words_masked(run: str) -> str:
    """``run`` with the stop words that are words of a name masked: 对外 (对外贸易经济合作局), and 与 inside a name, where
    what stands before it is no body's name (海洋与渔业局, 国土资源与房屋管理局; 财政局与税务局 joins two bodies)."""
    out = list(re.sub(r"对外", "□□", run))
    for m in re.finditer("与", run):
        if m.start() >= 2 and not org_run_end(run[:m.start()].split()[-1] if run[:m.start()].split() else ""):
            out[m.start()] = "□"
    return "".join(out)


def _known_body(run: str) -> bool:
    from ..gazetteer import default_gazetteer

    first = split_org_run(run)[0]
    return default_gazetteer().resolve(first) is not None


def issuer_code_cut(line: str, floor: int, year: int) -> int:
    """Where the bodies' names end and the 机关代字 begins in ``line[floor:year]`` (the text before a 文号's year):
    嘉兴市财政局|嘉科综〔…, 上海市经济信息化委|沪经信规〔…; ``floor`` when no body's name stands there.
    The code (1–8 characters) may itself end like a body (国务院办公厅|国办发: 国办 ends on 办): a later end counts only
    where a new body begins (split_org_run cuts there) or where the run goes on with a body's own last word
    (国家发展改革委办公厅, one name)."""
    cuts = []
    for om in _patterns()["org_end"].finditer(line, floor, year):
        # the 机关代字 after it: 1–8 characters and the bracket
        if 1 <= year - om.end() <= 9 and om.end() - floor >= 5 and is_org_run(line[floor:om.end()]):
            if cuts and om.start() > cuts[-1] \
                    and cuts[-1] - floor not in _run_bounds(line[floor:om.end()]):
                continue  # 国务院办公厅国办: 国办 is no new body, it opens the code
            cuts.append(om.end())
    return cuts[-1] if cuts else floor


def _run_bounds(run: str) -> set[int]:
    """The offsets where :func:`split_org_run` starts a new body in ``run``."""
    out, k = set(), 0
    for name in split_org_run(run):
        k = run.index(name, k) + len(name)
        out.add(k)
    return out


def _head_breaks(line: str, first: bool = False) -> tuple[list[int], tuple[int, int] | None]:
    """Break positions inside one head line, and a leading decoration to drop.  On the ``first`` lines a
    title may run straight into the body (北仑区…扶持政策为加速…)."""
    p = _patterns()
    cuts: list[int] = []
    drop = None
    m = p["decoration"].match(line)
    if m and m.end() < len(line):
        drop = (0, m.end())
    floor = drop[1] if drop else 0
    m = p["masthead"].match(line)
    if m is None:  # a decree's heading and number run into its text: 宁波市人民政府令第235号《…》已经…
        m = p["order_start"].match(line)
        m = m if m and is_org_run(re.sub(r"(?:公告|令)$", "", m.group("head"))) else None
    if m:
        cuts.append(m.end())
        floor = m.end()
    for dm in list(p["doc_number"].finditer(line)) + list(p["bare_doc_number"].finditer(line)):
        s, e = dm.start(), dm.end()
        pre = line[:s]
        if pre.count("《") > pre.count("》") or pre.rstrip().endswith(("（", "(")) \
                or re.match(r"\s*[）)》的文精]", line[e:]) or re.search(r"[：:]", pre):
            continue  # a 文号 cited in a title or a sentence, or the value of a header field (发文字号：…)
        if e <= floor:
            continue
        s = max(s, floor)
        # …关于印发某某办法的通知嘉科综〔2018〕32号: a title's end (的 and its kind) is no part of the 机关代字
        tail = None
        for tail in p["title_end"].finditer(line, s, dm.start("year")):
            pass
        if tail is not None and tail.end() < dm.start("year"):
            s = tail.end()
        code_start = issuer_code_cut(line, floor, dm.start("year"))
        if code_start == floor:
            code_start = s
        if code_start > floor and code_start not in cuts:
            cuts.append(code_start)
        again = re.match(r"\s*" + re.escape(dm.group(0)), line[e:])
        if again and line[e + again.end():].strip():  # 国能发监管〔2024〕9号 国能发监管〔2024〕9号 各省…： a page repeats it
            cuts.append(e)
            e += again.end()
        rm = _RECIPIENTS_THEN_TEXT.match(line, e)  # 国办函〔2004〕36号 黑龙江省人民政府，教育部…： 教育部…收悉。
        title_next = re.match(rf"\s*[^，。；：:]{{0,120}}?(?:关于|{doc_kinds()})", line[e:])
        in_sentence = re.match(r"(?:按照|根据|依据|依照|经|以|据|对|将|为|与|和|及)", line[s:])
        if line[e:].strip() and not in_sentence and (title_next or rm or code_start > floor or not line[floor:s].strip()):
            cuts.append(e)  # (按照浙政办发〔2018〕4号要求，… is a sentence: no cut)
            if rm and "关于" not in rm.group(1):
                cuts.append(rm.end(1))
        break
    am = p["title_adoption"].match(line) if first else None
    if am and line[am.end():].strip():
        cuts += [am.end("title"), am.end("note")]
    tm = p["dated_title"].search(line)  # 关于…的若干意见（2016年11月10日）为深入实施…
    if tm and line[tm.end():].strip():
        cuts.append(tm.end())
    elif line.lstrip().startswith("关于") or first:
        tm = p["title_then_body"].match(line)  # 关于…实施细则（试行）为加快…, 北仑区…扶持政策为加速…
        if tm and line[tm.end("title"):].strip():
            cuts.append(tm.end("title"))
    head = line  # the head part of the line: up to its 主送 line's colon, where the body runs on after it
    leads = [(cm, False) for cm in p["lead_in"].finditer(line)] + [(cm, True) for cm in p["lead_in_other"].finditer(line)]
    for cm, other in sorted(leads, key=lambda x: x[0].start()):  # …各直属机构： 现将《…》印发给你们 — a 主送 line, then the body
        if other and not (re.search(r"各|有关", line[:cm.start()]) and re.search(r"[，,、]", line[:cm.start()])):
            continue
        if "。" not in line[:cm.start()] and line[cm.end():].strip():
            cuts.append(cm.end())
            head = line[:cm.start() + 1]
            break
    else:
        rc = _title_recipients_colon(line)  # …的通知各县（市、区）人民政府，市政府各部门：2017年，我市…
        if rc is not None:
            cuts.append(rc)
            head = line[:rc]
    base = 0
    if "关于" in head and re.search(r"[：:]\s*$", head):
        about = head.index("关于")
        k = head.rfind("。", 0, about)
        if k >= 0 and "。" not in head[about:]:  # …不适用著作权法。关于印发《…》的通知区政府各委、办、局：
            base = k + 1
            cuts.append(base)
    # …的通知区政府各委、办、局： — the title, then its 主送 line (the body may run on after the colon: …各部门：现将…)
    if "关于" in head[base:] and re.search(r"[：:]\s*$", head) and "。" not in head[base:] \
            and (head is line or not re.search(r"[，,；;《]|^\s*(?:根据|按照|依据|为)", head[base:head.index("关于", base)])):
        # (where the body runs on, only a head that opens like one: no sentence before 关于 — 根据《关于…的通知》要求，现将
        # 有关事项通知如下：一、… is the body's first sentence)
        last = _title_kind_end(head, base, head.index("关于", base))
        if last is not None and not re.match(r"\s*[的、，和及与]", head[last:]):
            cuts.append(last)
    return sorted(set(c for c in cuts if 0 < c < len(line))), drop


def _title_kind_end(head: str, base: int, about: int) -> int | None:
    """Where the title that opens with 关于 at ``about`` ends in ``head`` (a head line ending with its 主送 line's colon):
    after the last document kind outside 《》 that something other than the colon follows."""
    depth, last = 0, None
    for i, ch in enumerate(head):
        if i < base:
            continue
        if ch == "《":
            depth += 1
        elif ch == "》":
            depth = max(0, depth - 1)
        elif depth == 0 and i > about:
            km = _patterns()["doc_kind"].match(head, i)
            if km and head[km.end():].strip(" ：:") and "关于" not in head[km.end():]:
                last = km.end()
    return last


def _title_recipients_colon(line: str) -> int | None:
    """A head line whose title (…关于…的通知) and 主送 line (各…, 市政府各部门…) run on into a body that opens any way at
    all (…各部门：2017年，我市…): the end of the 主送 line's colon.  Nothing before 关于 but the issuer's name."""
    cm = re.search(r"[：:]", line)
    if cm is None or not line[cm.end():].strip() or "。" in line[:cm.start()] or "关于" not in line[:cm.start()]:
        return None
    h = line[:cm.start() + 1]
    about = h.index("关于")
    if re.search(r"[，,；;《]|^\s*(?:根据|按照|依据|为)", h[:about]):
        return None
    last = _title_kind_end(h, 0, about)
    if last is None or re.match(r"\s*[的、，和及与]", h[last:]) \
            or not re.match(r"\s*(?:各|有关|[省市县区州]|自治区|全[省市县区])", h[last:]):
        return None
    return cm.end()


def _named_title_at(line: str, e: int, named: tuple[str, ...]) -> str | None:
    """The title of a document the text named in 《》 before (现将《X》印发给你们), if ``line`` goes on with it at ``e``."""
    return next((t for t in sorted(named, key=len, reverse=True) if line.startswith(t, e)), None)


def _ends_signature(line: str, e: int, named: tuple[str, ...] = ()) -> bool:
    """After a signature's date comes the end of the line, the colophon (（此件公开发布）, 抄送), the next
    title (…办法（试行） 为切实…, or the title the notice named in 《》, whatever follows it: …纲要省委九届…), or the
    印发机关 and its date — never the rest of a sentence."""
    p = _patterns()
    rest = line[e:]
    if not rest.strip() or p["colophon"].match(rest.lstrip()) or p["title_then_body"].match(line, e) \
            or _named_title_at(line, e, named):
        return True
    nd = p["date"].search(line, e)
    if nd is not None and is_org_run(line[e:nd.start()]) and re.match(r"\s*(?:印发|发布)", line[nd.end():]):
        return True
    pm = re.match(r"(.{2,90}?)(?:印发|发布)(?![的了])", rest)  # …人民政府2018年3月19日中共东阳市委办公室印发
    return pm is not None and is_org_run(pm.group(1))


def _signature_breaks(line: str, named: tuple[str, ...] = ()) -> list[int]:
    """Breaks around the signatures glued into ``line``; ``named``: the titles the text named in 《》 above the line
    (the document a notice issues, whose title may follow its signature's date; those named on the line before the
    date count too)."""
    p = _patterns()
    cuts: list[int] = []
    prev_end = 0
    for dm in p["date"].finditer(line):
        before = line[:dm.start()]
        here = named + tuple(m.group(1) for m in _NAMED_TITLE.finditer(before))
        k = max(max(before.rfind(c) for c in "。！？；") + 1, prev_end)
        prev_end = dm.end()
        run = before[k:]
        if run.strip() and not is_org_run(run) and not p["signer"].match(run):  # (市长裘东耀: a decree's signer)
            # names glued to the end of other text (…申请表玉环市经济和信息化局玉环市财政局2018年6月8日):
            # the signature is the longest tail of bodies' names
            k = next((j for j in range(max(k + 1, dm.start() - _MAX_SIGNATURE), dm.start() - 1)
                      if place_chain(line, j) and is_org_run(line[j:dm.start()])
                      and _name_sized(split_org_run(line[j:dm.start()])[0])), None)
            if k is None:
                continue
            run = before[k:]
        if not run.strip():
            continue
        after = line[dm.end():]
        issued = re.match(r"\s*(?:印发|发布)(?![的了])", after)  # 印发机关 and 印发日期 of the colophon
        if not issued and re.match(r"\s*(?:起|前|后|止|至|到|以|开始|施行|[，,。、的\d])", after):
            continue
        if not issued and not _ends_signature(line, dm.end(), here):
            continue  # 经宁波市人民政府2018年2月2日常务会议审议通过: a body and a date inside a sentence
        if k > 0:
            cuts.append(k)
        cuts.append(dm.start())
        pos = dm.end() + (issued.end() if issued else 0)
        prev_end = pos
        if not line[pos:].strip():
            continue
        cuts.append(pos)
        for cm in p["colophon"].finditer(line, pos):
            if cm.start() > pos:
                cuts.append(cm.start())
            if cm.group(0).startswith(("（", "(")):  # （此件公开发布） is a line of its own; the plan may follow
                cuts.append(cm.end())
                if not line[pos:cm.start()].strip():
                    pos = cm.end()
        tm = p["title_then_body"].match(line, pos)
        if tm and not p["colophon"].match(line, pos):
            cuts.append(tm.end("title"))
        elif (title := _named_title_at(line, pos, here)) is not None:
            cuts.append(pos + len(title))
    return cuts


def reflow(ct: CleanText) -> CleanText:
    """``ct`` with the lost line breaks of its head and signatures restored (see module docs)."""
    text = ct.text
    spans = ct.lines()
    cuts: set[int] = set()
    drops: list[tuple[int, int]] = []
    for n, (s, e) in enumerate(spans):
        line = text[s:e]
        if n < HEAD_LINES:
            c, d = _head_breaks(line, first=n < 3)
            prev = text[spans[n - 1][0]:spans[n - 1][1]] if n else ""
            rm = _RECIPIENTS_THEN_TEXT.match(line)
            if rm and not re.search(r"[：:]", prev) and not _FIELD_LINE.match(line) \
                    and (_patterns()["doc_number_line"].fullmatch(prev.strip()) or is_title_line(prev)):
                c.append(rm.end(1))  # 国办函〔2004〕36号 ⏎ 黑龙江省人民政府，教育部…： 教育部…《…请示》收悉。
            am = _ADOPTION_THEN_CHAPTER.search(line)
            if am and _ADOPTION_NOTE.match(line[:am.start() + 1]):
                c.append(am.end())  # (1992年10月24日…会议通过)第一章 总则: the note, then the first chapter's heading
            cuts.update(s + x for x in c)
            if d:
                drops.append((s + d[0], s + d[1]))
        if _patterns()["date"].search(line):
            named = tuple({m.group(1) for m in _NAMED_TITLE.finditer(text, 0, s)})
            cuts.update(s + x for x in _signature_breaks(line, named))
    if not cuts and not drops:
        return ct
    mt = ct.mt
    b = Builder()
    changes = list(ct.changes)
    pos = 0
    last_cut = -1
    events = sorted([(c, "cut") for c in cuts] + [(d[0], "drop", d[1]) for d in drops])
    for ev in events:
        at = ev[0]
        if at < pos:
            continue
        if ev[1] == "drop":
            b.keep(mt, pos, at)
            src = mt.source_span(at, ev[2])
            changes.append(Change("reflow", src[0], src[1], text[at:ev[2]], ""))
            pos = ev[2]
            continue
        # a break: spaces on either side go
        ls = at
        while ls > pos and text[ls - 1] in " \u3000":
            ls -= 1
        rs = at
        while rs < len(text) and text[rs] in " \u3000":
            rs += 1
        if ls == 0 or text[ls - 1] == "\n" or rs >= len(text) or text[rs] == "\n" or ls <= last_cut:
            continue
        b.keep(mt, pos, ls)
        src = mt.source_span(ls, rs) if rs > ls else (mt.starts[at], mt.starts[at])
        b.insert("\n", src[0])
        changes.append(Change("reflow", src[0], src[1], text[ls:rs], "\n"))
        pos = last_cut = rs
    b.keep(mt, pos, len(text))
    changes.sort(key=lambda c: (c.start, c.end, c.kind))
    return replace(ct, mt=b.build(), changes=changes)
