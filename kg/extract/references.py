"""Cross-references: 《titles》, 发文字号 and named programmes a text cites.

``extract_references(text, ctx) -> list[Reference]`` finds three kinds of reference (``ref_kind``):

- ``title``: a 《…》 title — also across line breaks, with nested “…” / 〈…〉, any dash or bracket
  variant inside, and an issuer written outside the brackets (工业和信息化部《…》).  A 发文字号 in
  brackets right after it (《…》（国发〔2024〕7号）) becomes its ``doc_number``.
- ``doc_number``: a 发文字号 standing alone (根据国发〔2024〕7号文件精神).  The document's own 文号 (the context's
  ``doc_number``, or a line holding nothing else but a 发文字号 label) is metadata, no reference.
- ``programme``: a named programme cited without brackets: a quoted name plus a plan suffix,
  with its left modifiers (5G—A 应用赋能“海上扬帆”升级行动计划（2024—2026 年）).

``relation`` comes from a cue word before the title or list (one cue governs the whole list
《A》《B》…): 贯彻落实/落实/执行/按照/参照… → ``applies``; 根据/依据/依照 → ``based_on``; else a cue
after the list (推进《X》有效执行) → ``applies``; else ``cites``.  A document naming itself —
its title equals ``ctx.title`` (ignoring whitespace, brackets, quotes and dashes), or the title
sits in an issuing frame 关于印发《X》的通知 / 现将《X》印发 — is ``self``.

Title text (``title``): without 《》; line-break joins removed (whitespace containing a newline
is dropped); other whitespace runs collapsed to one space; spaces next to punctuation, brackets
or quotes removed; spaces between a CJK character and a Latin letter/digit removed (Chinese
typesetting padding).  A single space between two CJK characters is kept — it may be a real
separator (…聚焦提升企业感受 持续打造…) and we cannot tell a wrapped line from one; matching
(kg.resolve.title_key) ignores whitespace anyway.

Patterns live in kg/ontology/reference_patterns.yaml and are compiled once, at import.
"""
from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.clean import converter_gloss, simplified_view, to_simplified
from kg.yamlio import load_yaml

from kg.extract.base import Annotation, DocContext, alternation
from kg.extract.docnumber import find_doc_numbers, normalize_doc_number
from kg.patterns import compile_template, expand, fragment, pattern

_PATTERNS_FILE = Path(__file__).resolve().parent.parent / "ontology" / "reference_patterns.yaml"

RELATIONS = ("applies", "based_on", "cites", "self")
REF_KINDS = ("title", "doc_number", "programme")


@dataclass(frozen=True)
class Reference(Annotation):
    title: str | None = None
    doc_number: str | None = None
    issuer_surface: str | None = None
    relation: str = "cites"
    cue: str | None = None
    ref_kind: str = "title"


# --------------------------------------------------------------------------------------------
# compiled patterns


@dataclass(frozen=True)
class _Compiled:
    cue_before: re.Pattern
    cue_rel: dict
    cue_after: re.Pattern
    breakers: re.Pattern
    cue_max_gap: int
    cue_max_gap_coord: int
    connectors: re.Pattern
    list_gap: re.Pattern
    list_note: re.Pattern
    issuer: re.Pattern
    issuer_tails: re.Pattern
    self_frames: tuple
    self_lines: list[re.Pattern]  # lines naming the document itself without 《》
    own_notice_named: list[re.Pattern]  # 印发X的通知 / 现将X印发 in a sentence, X unquoted (self only when X is the own title)
    own_plan_kinds: tuple  # 办法, 方案 …: the kinds of plan a notice's own title may issue or forward without 《》
    own_plan_connectors: re.Pattern
    draft_note: re.Pattern  # (征求意见稿) closing a title: a draft of the document named
    own_annex_note: re.Pattern  # (详见附件) right after a title: the document's own annex
    own_plan_no_split: re.Pattern  # what, after a connector, continues one name (和2035年远景目标纲要)
    own_plan_note: re.Pattern  # (试行), (2025年版): a note that may close a plan's name after its kind
    own_title_plan: re.Pattern  # …转发市发改委等部门《X办法》的通知: a plan the own title forwards in 《》
    issued_after: re.Pattern
    forward_frames: tuple
    implementing_frames: tuple  # 山东省实施《X条例》办法: the measure applies X
    alias_frame: re.Pattern
    alias_in_number_bracket: re.Pattern
    programme: re.Pattern
    prog_stop: re.Pattern
    prog_left_stops: re.Pattern
    prog_left_strip: re.Pattern
    prog_max_prefix: int
    standard_number: re.Pattern  # 《…规范》（GB55015-2021）
    not_document: re.Pattern  # 《…许可证》: a form or certificate
    heading_cue: dict  # heading (without its number) → relation of the titles listed under it (1.2 编制依据)
    law_article: re.Pattern  # 刑法第一百四十四条: the 法 of a law named without 《》, before an article of it
    law_max_name: int
    law_left_stops: re.Pattern
    law_not_prefix: re.Pattern
    law_not_ending: re.Pattern
    law_cue_name: re.Pattern  # 根据宪法和国务院组织法: one name of a list of laws right after a cue (law_after_cue)
    law_cue_join: re.Pattern
    law_cue_end: re.Pattern
    law_cue_relations: frozenset
    own_number_line: re.Pattern  # what else a line holding the document's own 文号 may hold (a 发文字号 label)
    own_number_field: re.Pattern  # 文 号 | X | 发文日期 |…: the 文号 cell of a page's header table
    titled_frame_before: re.Pattern  # …关于印发 right before 《X》: a notice's title (another document's when X is not ours)
    bare_cited: re.Pattern  # right after a cue: [issuer]关于…的意见 — a document cited by its title without 《》
    bare_cited_relations: frozenset  # the relations of the cues it follows


def _bare_cited_re(d: dict, one_issuer: str) -> re.Pattern:
    """reference_patterns.yaml ``bare_cited_title``: at a cue's end, the issuers (or none), 关于, the subject, a kind."""
    from kg.patterns import doc_kinds

    kinds = alternation([k for k in doc_kinds().split("|") if k not in set(d["not_kinds"])])
    return re.compile(rf"\s*(?P<title>(?:{one_issuer}(?:[、和及]{one_issuer})*)关于[^，,。；;：:\n《》“”]{{2,{int(d['max_about'])}}}?"
                      rf"(?:{kinds}))(?={d['end_after']})")


@lru_cache(maxsize=1)
def _compiled() -> _Compiled:
    data = load_yaml(_PATTERNS_FILE)
    cue_rel: dict[str, str] = {}
    for rel, words in data["cues_before"].items():
        for w in words:
            cue_rel[w] = rel
    after_rel: dict[str, str] = {}
    for rel, words in data["cues_after"].items():
        for w in words:
            after_rel[w] = rel
    cue_rel_all = {**{f"after:{k}": v for k, v in after_rel.items()}, **cue_rel}
    suffixes = alternation(data["issuer_suffixes"])
    one_issuer = rf"[\u4e00-\u9fff]{{1,20}}?(?:{suffixes})"
    prog = data["programme"]
    frames = lambda key: tuple(  # noqa: E731
        (re.compile(rf"(?:{f['before']})\s*$"), re.compile(rf"^\s*(?:{f['after']})")) for f in data[key]
    )
    return _Compiled(
        cue_before=re.compile(alternation(cue_rel)),
        cue_rel=cue_rel_all,
        cue_after=re.compile(rf"^{data['cues_after_filler']}(?P<cue>{alternation(after_rel)})"),
        breakers=re.compile(alternation(data["scope_breakers"])),
        cue_max_gap=int(data["cue_max_gap"]),
        cue_max_gap_coord=int(data["cue_max_gap_coordinated"]),
        connectors=re.compile(rf"^(?:\s|{alternation(data['list_connectors'])})*"),
        list_note=re.compile(data["list_note"]),
        list_gap=re.compile(
            rf"^\s*(?:{alternation(data['list_fillers'])})*(?:\s*(?:{alternation(data['list_connectors'])}))+\s*$"
        ),
        issuer=re.compile(rf"(?:{one_issuer})(?:[、和及]\s*{one_issuer})*"),
        issuer_tails=re.compile(rf"(?:{fragment('notice_frame_head')}|{alternation(data['issuer_tails'])})$"),
        self_frames=frames("self_frames"),
        titled_frame_before=re.compile(data["titled_frame_before"]),
        bare_cited=_bare_cited_re(data["bare_cited_title"], one_issuer),
        bare_cited_relations=frozenset(data["bare_cited_title"]["cue_relations"]),
        self_lines=[compile_template(x) for x in data["self_lines"]],
        own_notice_named=[compile_template(x) for x in data["own_notice_named"]],  # (may use patterns.yaml fragments)
        own_plan_kinds=tuple(data["own_plan_kinds"]),
        own_plan_connectors=re.compile(alternation(data["own_plan_connectors"])),
        draft_note=re.compile(data["draft_note"]),
        own_annex_note=re.compile(data["own_annex_note"]),
        own_plan_no_split=re.compile(data["own_plan_no_split"]),
        own_plan_note=re.compile(data["own_plan_note"]),
        own_title_plan=compile_template(data["own_title_plan"]),
        issued_after=re.compile(data["issued_list_after"]),
        forward_frames=frames("forward_frames"),
        implementing_frames=frames("implementing_frames"),
        alias_frame=re.compile(data["alias_frame"]),
        alias_in_number_bracket=re.compile(data["alias_in_number_bracket"]),
        programme=re.compile(
            r"“(?P<name>[^“”\n《》]{1,20})”"
            rf"(?P<mod>[\u4e00-\u9fffA-Za-z0-9.+\s]{{0,{int(prog['max_modifier'])}}}?)"
            rf"(?P<suf>{alternation(prog['suffixes'])})"
            + expand(r"(?P<yr>\s*{year_range_paren})?")
        ),
        prog_stop=pattern("five_year_plan_short"),  # “十四五” names a period, not a programme
        prog_left_stops=re.compile(alternation(prog["left_stops"])),
        prog_left_strip=re.compile(rf"^(?:{alternation(prog['left_strip'])})+"),
        prog_max_prefix=int(prog["max_prefix"]),
        standard_number=re.compile(data["standard_number"]),
        not_document=re.compile(rf"(?:{alternation(data['not_document_suffixes'])})$"),
        heading_cue={h: rel for rel, hs in data["heading_cues"].items() for h in hs},
        law_article=re.compile(rf"法(?={data['law_by_article']['article']})"),
        law_max_name=int(data["law_by_article"]["max_name"]),
        law_left_stops=re.compile(alternation(data["law_by_article"]["left_stops"])),
        law_not_prefix=re.compile(rf"^(?:{alternation(data['law_by_article']['not_prefixes'])})"),
        law_not_ending=re.compile(rf"(?:{alternation(data['law_by_article']['not_endings'])})$"),
        law_cue_name=re.compile(rf"\s*(?P<name>[\u4e00-\u9fff]{{1,{int(data['law_after_cue']['max_name'])}}}?法)"),
        law_cue_join=re.compile(data["law_after_cue"]["connectors"]),
        law_cue_end=re.compile(data["law_after_cue"]["end_after"]),
        law_cue_relations=frozenset(data["law_after_cue"]["cue_relations"]),
        own_number_line=re.compile(rf"(?:{alternation(data['own_number_labels'])})?[:：]?"),
        own_number_field=re.compile(data["own_number_field"].replace("{gap}", data["own_number_label_gap"]).replace(
            "{labels}", "|".join(data["own_number_label_gap"].join(re.escape(ch) for ch in w)
                                 for w in data["own_number_labels"]))),
    )


# --------------------------------------------------------------------------------------------
# text helpers

_PUNCT = "，。；：、！？,.;:!?《》〈〉“”‘’\"'（）()[]【】〔〕「」『』—–－-~～·"
_PUNCT_CLASS = re.escape(_PUNCT)
_FRAG_BOUNDARY = re.compile(r"[。；;！？!?：:，,]")
_DASHES = "—–－‐‑‒―~～"


def clean_title(raw: str) -> str:
    """Whitespace-normalised title text (see module docstring for the rule)."""
    s = raw.replace("\r", "")
    s = re.sub(r"[ \t\u3000\xa0]*\n\s*", "", s)  # line-break joins
    s = re.sub(r"[ \t\u3000\xa0]+", " ", s).strip()
    s = re.sub(rf"\s+(?=[{_PUNCT_CLASS}])|(?<=[{_PUNCT_CLASS}])\s+", "", s)
    s = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])\s+(?=[\u4e00-\u9fff])", "", s)
    return s


def _self_key(s: str) -> str:
    # (in one script: a title in traditional characters or with a converter's readings is the same title)
    s = re.sub(r"\s+", "", to_simplified(s))
    s = re.sub(r"[《》〈〉“”‘’\"'「」『』（）()\[\]【】〔〕" + re.escape(_DASHES) + r"\-]", "", s)
    return s


_NOTICE_FRAME = compile_template(r"^.*?{notice_frame}$")  # patterns.yaml: 关于印发《X》的通知 (group plan: X)


_NOTICE_FRAME_BARE = compile_template(r"{notice_frame_bare}")  # 关于转发A办法和B办法的通知 (group plan)


def _is_plan_name(P, name: str) -> bool:
    """``name`` ends with a kind of plan, perhaps closed by a bracketed note (…应急预案(试行))."""
    return P.own_plan_note.sub("", name).endswith(P.own_plan_kinds)


def _split_plans(plan: str) -> list[tuple[int, int]]:
    """(start, end) of each plan a list of names holds (A办法和B办法 → two), split only at a connector that follows a kind
    of plan (住房和城乡建设部…办法 stays one); [] when a part does not end with a kind of plan."""
    P = _compiled()
    spans, start = [], 0
    for m in P.own_plan_connectors.finditer(plan):
        if P.own_plan_no_split.match(plan, m.end()):
            continue  # …第十四个五年规划和2035年远景目标纲要: one name
        if m.start() > start and _is_plan_name(P, plan[start:m.start()]):
            spans.append((start, m.start()))
            start = m.end()
    spans.append((start, len(plan)))
    return spans if all(_is_plan_name(P, plan[a:b]) and b - a >= 4 for a, b in spans) else []


def _own_plans(own_title: str) -> set[str]:
    """Keys of the plans the document's own title issues or forwards: without 《》 (关于转发A办法和B办法的通知), or in 《》
    after the verb and who drew them up (…转发市发改委等部门《X办法》的通知) when X is a kind of plan (a forwarded 通知 is
    applied, not made its own)."""
    P = _compiled()
    own_title = to_simplified(own_title)  # 關于印發(fā)《X》的通知 is 关于印发《X》的通知
    m = P.own_title_plan.search(own_title)
    if m:
        return {_self_key(m.group("plan"))} if _is_plan_name(P, m.group("plan").strip()) else set()
    m = _NOTICE_FRAME_BARE.search(own_title)
    if not m:
        return set()
    plan = m.group("plan")
    return {_self_key(plan[a:b]) for a, b in _split_plans(plan)}


def _is_own_title(title: str, ctx: DocContext) -> bool:
    if not ctx.title:
        return False
    own = _self_key(ctx.title)
    # the document's draft is the document (《X(征求意见稿)》 on a page reprinting the draft of X): the note is no name
    key = _self_key(_compiled().draft_note.sub("", title))
    if key == own or key in _own_plans(ctx.title):
        return True
    m = _NOTICE_FRAME.match(to_simplified(title))
    return bool(m and _self_key(m.group("plan")) == own)


def _heads_own_document(title: str, ctx: DocContext) -> bool:
    """``title`` is the document's own, or the notice issuing its own plan without 《》 (关于印发X的通知, X its title)."""
    if _is_own_title(title, ctx):
        return True
    m = _NOTICE_FRAME_BARE.search(to_simplified(title))
    return bool(m and ctx.title) and _self_key(m.group("plan")) == _self_key(ctx.title)


def _heading_cue(P, ctx: DocContext) -> str | None:
    """The relation the innermost heading of the clause gives the titles listed under it with no cue of their own
    (1.2 编制依据 → based_on: reference_patterns.yaml ``heading_cues``); the section's headings come without their
    numbers (kg/extract/structure.py ``section_headings``)."""
    head = "".join(ctx.section[-1].split()).rstrip("：:") if ctx.section else ""
    return P.heading_cue.get(head)


def _cue_in_sentence(P, text: str, pos: int) -> bool:
    """A citing cue (按照, 根据 …) stands in the sentence before ``pos``: what follows is cited, not issued."""
    start = max((text.rfind(ch, 0, pos) for ch in "。；;！!？?\n"), default=-1) + 1
    return P.cue_before.search(text, start, pos) is not None


def _names_in_own_notice(title: str, ctx: DocContext) -> bool:
    """The document's title is a notice issuing ``title`` (…关于印发《X》的通知, X = ``title``)."""
    m = _NOTICE_FRAME.match(to_simplified(ctx.title or ""))
    return bool(m and _self_key(m.group("plan")) == _self_key(title))


def _find_titles(text: str) -> list[tuple[int, int]]:
    """(start, end) of every balanced 《…》 (outermost), end exclusive; unbalanced 《 are skipped."""
    out = []
    i, n = 0, len(text)
    while i < n:
        if text[i] != "《":
            i += 1
            continue
        depth, j = 0, i
        limit = min(n, i + 200)
        while j < limit:
            c = text[j]
            if c == "《":
                depth += 1
            elif c == "》":
                depth -= 1
                if depth == 0:
                    break
            elif c in "。；" and depth == 1:
                j = limit  # a sentence end inside a title: not a title
                break
            j += 1
        if j < limit and depth == 0 and j > i + 1:
            out.append((i, j + 1))
            i = j + 1
        else:
            i += 1
    return out


def _fragment_floor(text: str, pos: int, floor: int) -> int:
    last = floor
    for m in _FRAG_BOUNDARY.finditer(text, floor, pos):
        last = m.end()
    return last


def _cue_before(text: str, pos: int, floor: int) -> tuple[str, str, int, str] | None:
    """(cue, relation, cue_end, gap) for the last cue governing position ``pos``."""
    P = _compiled()
    lo = _fragment_floor(text, pos, floor)
    window = text[lo:pos]
    last = None
    for m in P.cue_before.finditer(window):
        last = m
    if last is None:
        return None
    gap = re.sub(r"\s+", "", window[last.end():])
    if P.breakers.search(gap):
        return None
    if len(gap) > P.cue_max_gap and not (
        len(gap) <= P.cue_max_gap_coord and re.search(r"(?:和|及|以及|、)$", gap)
    ) and not _issuers_only(gap):
        return None
    # the cue as written: with a converter's reading in brackets right after it (根據(jù)《X》), as the title keeps its own
    reading = converter_gloss().match(window, last.end())
    written = last.group(0) + (reading.group(0) if reading else "")
    return written, P.cue_rel[last.group(0)], lo + last.end(), gap


def _issuers_only(gap: str) -> bool:
    """The words between a cue and a title only name who issued it (根据交通运输部、国家铁路局、…联合印发的《X》): however long
    the list of issuers, the cue governs the title."""
    issuers, tail = _issuers_named(gap)
    return issuers is not None and tail


def _issuers_named(phrase: str) -> tuple[str | None, bool]:
    """(the issuers ``phrase`` names right before a title — 工业和信息化部印发的 → 工业和信息化部 — or None; whether a tail
    such as 印发的 follows them)."""
    P = _compiled()
    bare = P.issuer_tails.sub("", phrase)
    return (bare if bare and P.issuer.fullmatch(bare) else None), bare != phrase


def _cue_after(text: str, pos: int) -> tuple[str, str] | None:
    P = _compiled()
    window = text[pos:pos + 16]
    window = _FRAG_BOUNDARY.split(window, 1)[0]
    m = P.cue_after.match(window)
    if not m:
        return None
    return m.group("cue"), P.cue_rel[f"after:{m.group('cue')}"]


def _issuer_before(text: str, pos: int, floor: int) -> str | None:
    P = _compiled()
    lo = _fragment_floor(text, pos, floor)
    left = text[lo:pos]
    if "\n" in left:
        left = left.rsplit("\n", 1)[1]
    left = re.sub(r"\s+", "", left)
    return _issuers_named(P.connectors.sub("", left))[0]


def _doc_numbers(text: str) -> list:
    """The 文号 in ``text`` (kg.extract.docnumber), found also where a converter wrote its readings in brackets inside
    them (工信部企業(yè)〔2022〕119號): read on the text without the readings, the spans given in ``text``."""
    if not converter_gloss().search(text):
        return find_doc_numbers(text)
    view, vi = simplified_view(text, simplify=False)
    out = []
    for dn in find_doc_numbers(view):
        s, e = vi[dn.start], vi[dn.end - 1] + 1
        reading = converter_gloss().match(text, e)  # 82號(hào): the last character's reading ends the span
        e = reading.end() if reading else e
        out.append(dataclasses.replace(dn, start=s, end=e, surface=text[s:e]))
    return out


def _attached_doc_number(text: str, end: int) -> tuple[str, int] | None:
    """A 文号 in brackets right after a title: 《…》（国发〔2024〕7号）."""
    m = re.match(r"\s*[（(]\s*", text[end:end + 4])
    if not m:
        return None
    inner_start = end + m.end()
    seg = text[inner_start:inner_start + 80]
    dns = _doc_numbers(seg)
    if not dns or dns[0].start != 0:
        sm = _compiled().standard_number.match(seg)  # a standard's number stands where a 文号 would
        close = re.match(r"\s*[）)]", seg[sm.end():]) if sm else None
        return (re.sub(r"\s+", "", sm.group(0)), inner_start + sm.end() + close.end()) if close else None
    close = re.match(r"\s*(?:[、,，]\s*[^）)]{0,30})?[）)]", seg[dns[0].end:])
    if not close:
        return None
    return dns[0].value, inner_start + dns[0].end + close.end()


@functools.lru_cache(maxsize=1)
def _bare_title_res() -> tuple[re.Pattern, re.Pattern]:
    from kg.patterns import doc_kinds

    return (re.compile(rf"(?:{doc_kinds()})\s*[（(]\s*$"),
            re.compile(r"[，,。；;：:、\n《》“”（）()]|按照|根据|依据|依照|落实|贯彻|结合|参照|对照|印发|转发|制定了?|和|及|与"))


def _bare_title_before(text: str, start: int) -> tuple[str, int] | None:
    """The title of a bracketed 文号 when the text names the document without 《》 just before it (本市…的实施意见
    （沪府办发〔2024〕3号）), and where it starts: after the last break, cue or connector before it."""
    ends, breaks = _bare_title_res()
    lo = max(0, start - 100)
    window = text[lo:start]
    if not ends.search(window):
        return None
    body = window.rstrip().rstrip("（(").rstrip()
    cut = 0
    for m in breaks.finditer(body):
        cut = m.end()
    # 附件：A等5部门关于印发贯彻落实…的通知（桂能监管〔2025〕340号）: a notice's title names its issuer, then 关于 and what it
    # is about; the cue words and connectors inside it (贯彻落实, 印发, 和) are part of the title, not cues before it
    hard = max((m.end() for m in _HARD_BREAK.finditer(body)), default=0)
    about = body.find("关于", hard)
    if 0 <= about < cut:
        head = body[hard:about]
        cue = None
        for cue in _compiled().cue_before.finditer(head):
            pass
        cut = hard + (cue.end() if cue is not None else 0)
        cut += len(body[cut:]) - len(body[cut:].lstrip())
    title = body[cut:].strip()
    limit = 90 if "关于" in title else 60
    return (title, lo + cut) if 4 <= len(title) <= limit else None


_HARD_BREAK = re.compile(r"[，,。；;：:\n]")


def _issued_list(P, text: str, start: int, end: int) -> bool:
    """A list of titles that opens its sentence (or follows 现将) and that the sentence then issues
    (《A》、《B》…等四个方案已经市政府研究同意，现印发给你们): the notice's own plans."""
    before = text[max(0, start - 4):start].rstrip()
    if before and not before.endswith(("现将", "。", "；", "\n", "：")) and start > 4:
        return False
    return bool(P.issued_after.match(text, end))


def _laws_after_cue(P, text: str, pos: int) -> list[tuple[int, int]]:
    """(start, end) of each law a list right after a cue names without 《》 (宪法和国务院组织法), or [] when the list holds
    anything but names of laws (宪法、法律和行政法规) or does not end where a cited list does (reference_patterns.yaml
    ``law_after_cue``)."""
    out = []
    while True:
        m = P.law_cue_name.match(text, pos)
        if m is None:
            return []
        name = m.group("name")
        if len(name) < 2 or P.law_not_prefix.match(name) or P.law_not_ending.search(name):
            return []
        out.append(m.span("name"))
        if P.law_cue_end.match(text, m.end()):
            return out
        j = P.law_cue_join.match(text, m.end())
        if j is None or j.end() == m.end():
            return []
        pos = j.end()


def _frame(frames, text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 12):start]
    after = text[end:end + 12]
    return any(b.search(before) and a.search(after) for b, a in frames)


# --------------------------------------------------------------------------------------------
# the extractor


def _before_recipients(text: str, line_start: int, dn) -> bool:
    """A 文号 opening its line with the 主送 line glued after it (汕府办[2015]29号各县(市、区)人民政府,市政府各部门、各直属
    机构:现将…): the document's own, under its title (tests/ANNOTATION.md).  The recipients end like a body's name or a
    class of bodies (…人民政府, …各直属机构, 各有关单位) — not a sentence (国发〔2021〕29号文件要求：…)."""
    from kg.extract.reflow import org_run_end
    from kg.gazetteer.grammar import grammar_data

    if text[line_start:dn.start].strip(" \t\u3000#*"):
        return False
    m = pattern("recipients_then_text").match(text[dn.end:] + "。")  # (the 主送 line may close the text)
    if m is None:
        return False
    names = m.group(1).rstrip("：: ")
    return org_run_end(names) or names.endswith(tuple(grammar_data()["class_heads"]))


def extract_references(text: str, ctx: DocContext) -> list[Reference]:
    """All references in ``text`` (offsets into ``text``), sorted by position."""
    P = _compiled()
    refs: list[Reference] = []
    spans = _find_titles(text)
    taken: list[tuple[int, int]] = []  # spans already used (titles + attached numbers)

    # ---- 《titles》: alias definitions, attached 文号, list grouping
    items = []  # dicts: start, end, title, doc_number, alias_of
    for s, e in spans:
        title = clean_title(text[s + 1:e - 1])
        if not title or P.not_document.search(title):
            continue  # 《道路运输证》: a certificate, not a document
        if items and (P.alias_frame.match(text[items[-1]["end"]:s]) or (
                s < items[-1]["end"] and P.alias_in_number_bracket.search(text[items[-1]["close"]:s]))):
            items[-1]["aliases"].append(title)
            taken.append((s, e))
            # the alias's bracket does not end a cued list (依据《A》（以下简称《a》）和《B》: one cue governs A and B)
            close = re.match(r"\s*[）)]", text[e:])
            items[-1]["list_end"] = e + close.end() if close else e
            continue
        item = {"start": s, "end": e, "close": e, "title": title, "doc_number": None, "aliases": []}
        dn = _attached_doc_number(text, e)
        if dn:
            item["doc_number"], item["end"] = dn
        else:
            # 关于印发《X》的通知（国发〔2021〕29号）: the number is the notice's, cited with X
            fm = re.match(r"\s*的(?:通知|决定|函|意见|批复)", text[e:e + 12])
            dn = _attached_doc_number(text, e + fm.end()) if fm else None
            if dn:
                item["doc_number"], item["end"], item["frame_number"] = dn[0], dn[1], True
        items.append(item)
        taken.append((s, item["end"]))

    alias_map = {}
    for it in items:
        for a in it["aliases"]:
            alias_map[_self_key(a)] = it["title"]

    groups: list[list[dict]] = []
    for it in items:
        if groups:
            prev = groups[-1][-1]
            gap = P.list_note.sub("", text[prev.get("list_end", prev["end"]):it["start"]])
            rest = P.connectors.sub("", gap)
            rest = re.sub(r"\s+", "", rest)
            # (a standard's number before the next title, GB5749-2006《生活饮用水卫生标准》, is no break either)
            if (not rest or P.list_gap.match(gap) or (len(rest) <= 20 and P.issuer.fullmatch(P.issuer_tails.sub("", rest)))
                    or P.standard_number.fullmatch(rest)):
                groups[-1].append(it)
                continue
        groups.append([it])

    prev_end = 0
    for group in groups:
        first, last = group[0], group[-1]
        cue = _cue_before(text, first["start"], prev_end)
        after = None if cue else _cue_after(text, last["end"])
        for k, it in enumerate(group):
            floor = group[k - 1]["end"] if k else (cue[2] if cue else prev_end)
            issuer = _issuer_before(text, it["start"], floor)
            title = it["title"]
            method_rule = None
            alias_full = alias_map.get(_self_key(title))
            if alias_full and alias_full != title:
                title, method_rule = alias_full, "alias"
            s, e = it["start"], it["end"]
            relation, cue_word, conf = "cites", None, 0.9
            own = _is_own_title(title, ctx)
            cue_in_frame = bool(cue and compile_template("{notice_frame_head}$").search(cue[3]))
            # an issuing frame is self unless a cue governs it or its own 文号 is another document's
            other_number = bool(it["doc_number"] and (
                it.get("frame_number") if not ctx.doc_number
                else it["doc_number"] != normalize_doc_number(ctx.doc_number)))
            # …关于印发《X》的通知 where X is not this document's (known) title: another notice's title, not the issuing frame
            titled_other = (bool(ctx.title) and not own and P.titled_frame_before.search(text, max(0, s - 8), s) is not None
                            and not _names_in_own_notice(title, ctx) and _cue_in_sentence(P, text, s))
            framed = (len(group) == 1 and not cue_in_frame and not other_number and not titled_other
                      and _frame(P.self_frames, text, s, it["close"]))
            # 《A》、《B》…等四个方案已经市政府研究同意，现印发给你们 / 《X》已经…审议通过，现印发给你们
            listed = not cue and _issued_list(P, text, first["start"], last["end"])
            # 按照《X分解表》(详见附件): the document's own annex, whatever cue stands before it
            annex = P.own_annex_note.match(text, it["close"]) is not None
            if own or framed or listed or annex:
                relation = "self"
                conf = 0.98 if own else 0.94 if framed else 0.9 if listed else 0.88
                rule = ("self-title" if own else "self-frame" if framed else "self-list" if listed
                        else "self-annex")
            elif len(group) == 1 and _frame(P.forward_frames, text, s, e):
                relation, cue_word, conf, rule = "applies", "转发", 0.9, "forward-frame"
            elif len(group) == 1 and _frame(P.implementing_frames, text, s, it["close"]):
                relation, cue_word, conf, rule = "applies", None, 0.88, "implementing-frame"
            elif cue:
                relation, cue_word = cue[1], cue[0]
                direct = cue[3] == "" or issuer is not None or k > 0
                conf = 0.93 if direct else 0.85
                rule = "cue-before"
            elif after:
                relation, cue_word, conf, rule = after[1], after[0], 0.8, "cue-after"
            elif heading_rel := _heading_cue(P, ctx):
                relation, conf, rule = heading_rel, 0.85, "heading-cue"
            else:
                rule = "plain"
            refs.append(
                Reference(
                    start=s,
                    end=e,
                    surface=text[s:e],
                    method=f"references.title:{rule}" + (f"+{method_rule}" if method_rule else ""),
                    confidence=conf,
                    title=title,
                    doc_number=it["doc_number"],
                    issuer_surface=issuer,
                    relation=relation,
                    cue=cue_word,
                    ref_kind="title",
                )
            )
        prev_end = last["end"]

    # ---- standalone 发文字号
    own_number = normalize_doc_number(ctx.doc_number) if ctx.doc_number else None
    for dn in _doc_numbers(text):
        if any(a <= dn.start < b for a, b in taken):
            continue
        line_start = text.rfind("\n", 0, dn.start) + 1
        line_end = text.find("\n", dn.end)
        line_end = len(text) if line_end < 0 else line_end
        rest = re.sub(r"\s+|[#*]", "", text[line_start:dn.start] + text[dn.end:line_end])
        relation, cue_word, conf, rule = "cites", None, 0.88, "plain"
        own_title = bool(ctx.title) and _self_key(text[dn.end:line_end]) == _self_key(ctx.title)
        if (dn.value == own_number or P.own_number_line.fullmatch(rest) or own_title
                or P.own_number_field.match(text[line_start:dn.start]) or _before_recipients(text, line_start, dn)):
            continue  # the document's own 文号 (its head, a 发文字号 field, glued before the 主送 line): metadata (ANNOTATION.md)
        cue = _cue_before(text, dn.start, 0)
        if cue:
            relation, cue_word, conf, rule = cue[1], cue[0], 0.9, "cue-before"
        bare = _bare_title_before(text, dn.start)
        title = bare[0] if bare else None
        if bare and _heads_own_document(title, ctx):
            continue  # the heading's own 文号 after it (关于印发X的通知(鲁政发〔2021〕5号), X this document): metadata
        if bare:
            # 根据本市…的实施意见（沪府办发〔2024〕3号）: the cue before the title governs it — not one inside it
            # (A关于印发贯彻落实…的通知（…号）)
            cue = _cue_before(text, bare[1], 0)
            relation, cue_word, conf, rule = (cue[1], cue[0], 0.9, "cue-before") if cue else ("cites", None, 0.88, "plain")
        refs.append(
            Reference(
                start=dn.start,
                end=dn.end,
                surface=dn.surface,
                method=f"references.doc_number:{rule}" + ("+bare-title" if title else ""),
                confidence=round(min(conf, dn.confidence), 3),
                title=title,
                doc_number=dn.value,
                issuer_surface=None,
                relation=relation,
                cue=cue_word,
                ref_kind="doc_number",
            )
        )
        taken.append((bare[1] if bare else dn.start, dn.end))

    # ---- documents cited by their title without 《》 right after a cue (根据国务院办公厅关于…的意见，…)
    for cm in P.cue_before.finditer(text):
        bm = P.bare_cited.match(text, cm.end()) if P.cue_rel[cm.group(0)] in P.bare_cited_relations else None
        if bm is None or any(a < bm.end() and bm.start("title") < b for a, b in taken + spans):
            continue
        s, e = bm.span("title")
        refs.append(Reference(start=s, end=e, surface=text[s:e], method="references.title:cue-before+bare-title",
                              confidence=0.8, title=text[s:e], doc_number=None, issuer_surface=None,
                              relation=P.cue_rel[cm.group(0)], cue=cm.group(0), ref_kind="title"))
        taken.append((s, e))

    # ---- named programmes without brackets
    for m in P.programme.finditer(text):
        if P.prog_stop.fullmatch(m.group("name").strip()):
            continue
        if any(a < m.end() and m.start() < b for a, b in spans):
            continue
        q = m.start()
        lo = max(0, q - 40)
        left = text[lo:q]
        cut = max((mm.end() for mm in re.finditer(r"[。；;！？!?：:，,、\n》”]", left)), default=0)
        stops = list(P.prog_left_stops.finditer(left, cut))
        if stops:
            cut = stops[-1].end()
        prefix_raw = left[cut:]
        md = re.match(r"[#*\s]*", prefix_raw)
        cut += md.end()
        prefix_raw = prefix_raw[md.end():]
        lead = len(prefix_raw) - len(prefix_raw.lstrip())
        prefix = prefix_raw.strip()
        sm = P.prog_left_strip.match(prefix)
        if sm:
            lead += sm.end() + (len(prefix[sm.end():]) - len(prefix[sm.end():].lstrip()))
            prefix = prefix[sm.end():].strip()
        if len(prefix) > P.prog_max_prefix or re.search(r"[#*]", prefix):
            prefix, lead = "", len(prefix_raw)
        start = lo + cut + lead if prefix else q
        end = m.end()
        title = clean_title(text[start:end])
        if _is_own_title(title, ctx):
            relation, cue_word, conf, rule = "self", None, 0.85, "self-title"
        else:
            cue = _cue_before(text, start, 0)
            if cue:
                relation, cue_word, conf, rule = cue[1], cue[0], 0.75, "cue-before"
            else:
                relation, cue_word, conf, rule = "cites", None, 0.7, "plain"
        refs.append(
            Reference(
                start=start,
                end=end,
                surface=text[start:end],
                method=f"references.programme:{rule}",
                confidence=conf,
                title=title,
                doc_number=None,
                issuer_surface=None,
                relation=relation,
                cue=cue_word,
                ref_kind="programme",
            )
        )

    # ---- laws named without 《》 by an article of theirs (依照刑法第一百四十四条): the name starts after the last break,
    # cue word or left stop before 法
    for m in P.law_article.finditer(text):
        end = m.end()
        if any(a < end and m.start() < b for a, b in spans):
            continue
        lo = max(0, end - P.law_max_name)
        left = text[lo:end]
        cut = max((mm.end() for mm in re.finditer(rf"[{_PUNCT_CLASS}\s#*]", left)), default=0)
        for rx in (P.cue_before, P.law_left_stops):
            for mm in rx.finditer(left, cut):
                if mm.end() < len(left):
                    cut = max(cut, mm.end())
        name = left[cut:]
        start = lo + cut
        if (len(name) < 2 or not re.fullmatch(r"[\u4e00-\u9fff]+", name) or P.law_not_prefix.match(name)
                or P.law_not_ending.search(name)):
            continue
        cue = _cue_before(text, start, 0)
        relation, cue_word, conf, rule = (cue[1], cue[0], 0.8, "cue-before") if cue else ("cites", None, 0.75, "plain")
        refs.append(Reference(start=start, end=end, surface=name, method=f"references.law-by-article:{rule}",
                              confidence=conf, title=name, doc_number=None, issuer_surface=None, relation=relation,
                              cue=cue_word, ref_kind="title"))

    # ---- laws named without 《》 as a list right after a cue (根据宪法和国务院组织法，制定本条例): every name must be a law's
    for cm in P.cue_before.finditer(text):
        rel = P.cue_rel[cm.group(0)]
        names = _laws_after_cue(P, text, cm.end()) if rel in P.law_cue_relations else []
        for s, e in names:
            if any(a < e and s < b for a, b in taken + spans) or any(r.start < e and s < r.end for r in refs):
                continue
            refs.append(Reference(start=s, end=e, surface=text[s:e], method="references.law-after-cue:cue-before",
                                  confidence=0.8, title=text[s:e], doc_number=None, issuer_surface=None, relation=rel,
                                  cue=cm.group(0), ref_kind="title"))

    # ---- a title line issuing a plan named without 《》, or the sentence making it: the plan is this document
    # (matched on the text as the reader simplifies it — 關於印發(fā)X的通知 in traditional characters with a converter's
    # readings is 关于印发X的通知 — the plan's name given as written: kg.clean.simplified_view)
    view, vi = simplified_view(text)
    sm = next((m for m in (x.search(view) for x in P.self_lines) if m), None) if not items else None
    if sm is not None:
        s0, e0 = sm.span("title")
        # 关于转发A办法和B办法的通知: one reference per plan
        for a, b in _split_plans(view[s0:e0]) or [(0, e0 - s0)]:
            s, e = vi[s0 + a], vi[s0 + b - 1] + 1
            refs.append(Reference(start=s, end=e, surface=text[s:e], method="references.title:self-notice-line",
                                  confidence=0.8, title=clean_title(re.sub(r"<[^<>]{1,20}>", "", text[s:e])),
                                  doc_number=None,
                                  issuer_surface=None, relation="self", cue=None, ref_kind="title"))
    elif not items and ctx.title:
        # a sentence naming the notice that issues the document's own plan, unquoted (日前，X市人民政府印发X市碳达峰实施方案
        # 的通知，通知指出…: a news page reprinting the plan): self, only where the name is the document's own title
        for m in (m for x in P.own_notice_named for m in x.finditer(view)):
            s, e = vi[m.start("title")], vi[m.end("title") - 1] + 1
            title = clean_title(text[s:e])
            if _is_own_title(title, ctx) and not any(r.start < e and s < r.end for r in refs):
                refs.append(Reference(start=s, end=e, surface=text[s:e], method="references.title:self-notice-named",
                                      confidence=0.75, title=title, doc_number=None, issuer_surface=None,
                                      relation="self", cue=None, ref_kind="title"))

    refs.sort(key=lambda r: (r.start, r.end))
    return refs


__all__ = ["Reference", "extract_references", "clean_title", "RELATIONS", "REF_KINDS"]
