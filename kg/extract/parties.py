"""Responsible parties of a clause, with their roles.

``extract_parties(text, ctx)`` finds every mention of an agency or a class of actors (the spaCy
entity ruler of :mod:`kg.extract.nlp`, completed by the gazetteer's character scan, which also
reads shared-prefix lists such as ``市通信管理局、数据局``), resolves it against the document's
jurisdiction, and gives it a role from the cue words around it (``kg/ontology/party_patterns.yaml``):

* ``lead`` — the body given the task: ``X要…``, ``X负责…``, ``由X牵头``, ``X会同Y…``, the first body of
  a ``（责任单位：A、B）`` list, every body of a ``牵头单位：`` list, every member of ``A、B按职责分工
  牵头/负责`` or ``A、B分别负责``; a subject after an adverbial clause (``按照…要求，X要…``) too;
* ``co`` — the bodies that assist: ``会同/联合Y``, ``Y配合``, the rest of a 责任单位 list, 配合单位;
* ``actor`` — bodies the issuer steers: ``推动/引导/鼓励/支持/组织/指导X…``, and classes of government
  bodies told collectively what to do (``各区、各有关部门要…``, rule ``class-subject``) unless a cue
  assigns them the task (``负责``, ``牵头``, ``会同`` …);
* ``implied`` — when nobody is named to act (no lead, no ``class-subject``) and the clause gives a task
  (not a definition, statistic, achievement or cited document), the document's first issuer
  (``method="implied-issuer"``, low confidence, ``start == end == 0`` and ``surface == ""``).

Bodies the gazetteer does not list are read by the organisation-name grammar
(``kg/ontology/org_grammar.yaml``, :mod:`kg.gazetteer.grammar`) where a name can start (after a
clause break, a list joiner or a cue such as 会同/由/支持): a relative name (``市科技创新局``,
``市大数据中心``) is canonicalised by the jurisdiction's place name (``jurisdiction-prefix-unlisted``),
any other name (``华谊集团``, ``同济大学``) kept as written (``org-grammar``); both have no
``party_id``, a low confidence and an ``org_type`` read from the name's head (government,
enterprise, institution, association).  Names side by side with only whitespace between them
(``上海市交通委员会  上海市发展和改革委员会``) are a list.  In a 责任单位 list the first named leads and
the rest assist unless the list says otherwise (``A牵头，B配合``, ``A会同B``, ``A、B按职责分工负责``).
A distributive prefix names a class of government bodies, one in each place (``各区发展改革委、教育局`` →
各区发展改革委, 各区教育局; ``各区相关部门``; method ``distributive-class``); a bare body the gazetteer does not
list keeps its list's place (``省发展改革委、环境保护厅`` → 四川省环境保护厅, ``list-prefix-unlisted``); a place or
zone given a task at the start of a clause stands for its government or management committee (``金山区加快…``,
``临港新片区加快…``; ``place-subject``).

Offsets are into ``text``.  Methods name the rule: ``label-list``, ``lead-cue``, ``co-cue``,
``subject-cue``, ``subject``, ``steer-cue``, ``class-subject``, ``implied-issuer``; a suffix ``+<resolution method>``
tells how the name was resolved (``+jurisdiction-prefix``, ``+list-prefix`` …).  ``confidence`` is
the rule's confidence times the resolution's.

>>> from kg.extract.base import DocContext
>>> ctx = DocContext(jurisdiction="上海市", level="provincial", issuers=("上海市通信管理局",))
>>> [(p.party, p.role) for p in extract_parties("市通信管理局会同市数据局等部门协同推进。", ctx)]
[('上海市通信管理局', 'lead'), ('上海市数据局', 'co')]
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from kg.yamlio import load_yaml

from kg.extract.base import Annotation, DocContext, alternation
from kg.patterns import pattern
from kg.text import compact
from kg.clean import simplified_view
from kg.gazetteer import ORG_SUFFIX, Mention, Resolution, default_gazetteer
from kg.gazetteer.grammar import CLASS_OPENERS, CLASS_SCOPE_WORDS, DISTRIBUTIVE, FINAL_CHARS, grammar_data, org_type

PATTERNS_PATH = Path(__file__).resolve().parent.parent / "ontology" / "party_patterns.yaml"
_STRIP = re.compile(r"[\s\u3000*#]")


@dataclass(frozen=True)
class Party(Annotation):
    party: str  # canonical name, or the class label
    party_id: str | None
    party_type: str  # organization | class
    role: str  # lead | co | actor | implied
    column: str | None = None  # task tables only: the column the offsets refer to
    org_type: str | None = None  # government | party | enterprise | institution | association, when known


@dataclass(frozen=True)
class _Rules:
    label_re: re.Pattern
    label_role: dict
    bare_bracket_re: re.Pattern  # a bracket that may hold an unlabelled responsibility list
    bare_list_separators: str
    bare_list_pairs: tuple  # the brackets a bare list may stand in: (open, close) pairs
    bare_list_cut_max: int  # a cut-off page's last fragment after a bare list's last name: at most this long
    bare_list_before: str  # a bare list's bracket comes after one of these, or before one of bare_list_after
    bare_list_after: str
    bare_list_not_start: tuple
    bare_list_tail: re.Pattern  # 等(省直涉及部门) before a bare list's own cue
    bare_list_unread_share: float
    bare_list_own_cues: frozenset

    division_re: re.Pattern
    running_division: re.Pattern  # a division right after its body in running text (市交通委 + 组织人事处)
    division_words: dict  # offices named whole after their body (督考办) → their full names
    by_not_after: re.Pattern
    subject_with_after: re.Pattern  # 与 + a partner + a verb of joint work after a subject group
    modifier_after: re.Pattern
    person_after: re.Pattern
    joiner_re: re.Pattern
    joiners: str  # the joiners as an alternation (、 和 及 以及 与 同)
    tail_re: re.Pattern
    lead_after: re.Pattern
    lead_is_after: re.Pattern
    lead_before: re.Pattern
    with_before: re.Pattern
    co_with_after: re.Pattern
    all_lead_after: re.Pattern
    all_lead_modal_after: re.Pattern
    ask_before: re.Pattern
    lead_marks: str  # ★区发改委: a table's mark of the lead unit
    ask_start: re.Pattern  # 请 opening a class named with 各 (请各牵头单位要…): not part of the class
    role_named_classes: dict  # class id → the role its name gives it (各牵头单位 → lead)
    not_in_class_phrase: re.Pattern
    class_not_initial: tuple
    example_bodies: re.Pattern
    subject_qualifier: re.Pattern
    qualified_class: re.Pattern  # 负有…职责的部门, 符合申报条件的企业: a bare head after its qualifier
    class_qualifier: re.Pattern  # the qualifier alone (获得资金的 申报单位)
    oversee_before: re.Pattern
    oversee_after: re.Pattern
    collective_prefixes: tuple
    collective_not_heads: tuple
    by_modifier: re.Pattern  # 由所涉及的 / 由相应的 …: the modifier right after 由
    by_modifier_end: re.Pattern
    class_assign_after: re.Pattern
    co_after: re.Pattern
    co_before: re.Pattern
    by_before: re.Pattern
    by_each_before: re.Pattern
    subject_after: re.Pattern
    subject_strong: frozenset
    steer_before: re.Pattern
    steer_start: re.Pattern
    steer_agent_before: re.Pattern
    role_rank: tuple  # a party named twice keeps the role that ranks first
    not_subject_before: re.Pattern
    not_subject_after: re.Pattern
    subject_object_after: re.Pattern
    reported_after: re.Pattern  # the rest of a sentence that reports what was done (…，形成了《通知》)
    clause_breaks: str
    subject_breaks: str
    sentence_breaks: str
    enumerator: re.Pattern
    directive: re.Pattern
    not_directive: re.Pattern
    target_marker: re.Pattern
    name_start_after: re.Pattern
    conf: dict
    duty_colon_co: re.Pattern  # 区经济信息委：负责配合…
    duty_colon_lead: re.Pattern  # 区生态环境局：负责…
    duty_heading_heads: tuple  # 城管执法中队：负责… (heads read only there)
    clause_lead: re.Pattern  # adverbs before a steering verb that opens a clause
    quantifier: re.Pattern  # 更多 … before a class
    quantifier_end: re.Pattern
    indefinite: frozenset
    scope_end: re.Pattern  # 各类, 本市 … before a class (org_grammar.yaml class_scope_words)
    list_items_end: re.Pattern  # 引导企业、高校…: items of a list of classes before a group
    steered_items_end: re.Pattern  # 鼓励幼儿园、中小学…: the same items right after a steering verb (the verb kept)
    steer_object_skip: re.Pattern  # 支持民营企业在内的各类经营主体: what the object phrase says it includes
    steer_object_skip_end: re.Pattern  # the same, between the verb and a group
    class_list_before: re.Pattern  # a class after an item of a list of classes and a joiner
    list_items_start: re.Pattern  # 、各级各类学校…: the later items of a list of classes, after its first
    bare_enterprises: re.Pattern
    not_by: re.Pattern
    not_agent_after: re.Pattern  # after a group that is a thing's modifier (医疗机构5G应用试点)
    pivot_after: re.Pattern  # after a class steered by a thing verb: what an agent does (发挥, 积极 …)
    steered_class_after: re.Pattern  # after a class of steered_class_heads: what an agent does (参与, 深入 …)
    steered_qualifier_max: int
    class_qualifier_max: int  # a class phrase's qualifier before a known class word: at most this long …
    examples_cut: re.Pattern  # 等 before the class an enumeration's examples belong to (…等各类市场主体)
    examples_list: re.Pattern  # a list of examples joined by 、 before such a 等 (电力、电视、通信等各类…)
    examples_before: re.Pattern  # … and before any class the text reads right after 等 (广播、电视、报刊、网络等媒体)
    steer_inside: re.Pattern  # a steering verb anywhere in a phrase
    class_list_heads: tuple
    shared_head_max: int
    shared_etc_max: int  # … and before 等部门 (发展改革、教育、…、林业等部门), where 、 alone separates the functions
    shared_etc_heads: tuple
    shared_etc_before: tuple  # 有关 in 水利等有关部门: not taken by the qualifiers
    shared_etc_after: tuple  # 和机构 in 城市管理等部门和机构
    list_owner_words: tuple  # 同级 in 会同同级发展改革、环保等行政管理部门
    shared_org_heads: tuple
    class_scope_prefixes: tuple  # … and not one of these
    thing_verb: re.Pattern
    level_class: re.Pattern  # 市、区人民政府, 市区两级交通管理部门: a class of government bodies named by its levels
    level_word: re.Pattern  # one level of such a phrase (县（市、区）)
    level_gov_heads: tuple
    government_departments: re.Pattern  # right after a government: its departments (有关部门, 农业农村主管部门)
    level_joiners: tuple  # between the levels of a class named by its levels (市、县)
    level_words: tuple  # the levels themselves (省, 市, 县, 区 …)
    short_form_scopes: dict  # 全区 → 区 opening a name a short form is defined for
    twin_org_types: tuple  # a list item's second name in brackets is no item when both are of these types


@functools.lru_cache(maxsize=4)
def load_rules(path: str | None = None) -> _Rules:
    """Compile ``party_patterns.yaml`` (once per path)."""
    d = load_yaml(Path(path or PATTERNS_PATH))
    labels = d["labels"]
    label_role = {w: role for role in ("lead", "co", "responsible") for w in labels[role]}
    steer = alternation(d["steer_before"])
    chain = alternation(d["steer_chain"])
    return _Rules(
        # a list's body runs to the end of its bracket or clause, or to the next label (牵头单位：A，支撑单位：B);
        # a bracket inside it is part of it (市交通委（计划财务处、宣传处）)
        label_re=re.compile(rf"(?P<label>{alternation(label_role)})[:：]"
                            rf"(?P<body>(?:(?!(?:{alternation(label_role)})[:：])(?:[（(][^（）()。\n]*[）)]|[^；;）)。\n]))*)"),
        division_re=re.compile(rf"(?:{alternation(d['division_heads'])})$"),
        running_division=re.compile(rf"(?:{alternation(d.get('division_words') or {})})|"
                                    rf"[\u4e00-\u9fff]{{2,8}}?(?:{alternation(d['division_heads'])})"),
        division_words=dict(d.get("division_words") or {}),
        by_not_after=re.compile(d["by_not_after"]["regex"]),
        subject_with_after=re.compile(d["subject_with_after"]["regex"]),
        modifier_after=re.compile(d["modifier_after"]["regex"]),
        person_after=re.compile(d["person_after"]["regex"]),
        label_role=label_role,
        bare_bracket_re=re.compile("|".join(
            f"{re.escape(b[0])}(?:[^{re.escape(''.join(d['bare_list_brackets']))}。\n]|[（(][^（）()。\n]{{1,10}}[）)]){{2,300}}"
            f"{re.escape(b[1])}" for b in d["bare_list_brackets"])),
        bare_list_separators=d["bare_list_separators"],
        bare_list_pairs=tuple((b[0], b[1]) for b in d["bare_list_brackets"]),
        bare_list_cut_max=int(d.get("bare_list_cut_max", 0)),
        bare_list_before=d["bare_list_before"],
        bare_list_after=d["bare_list_after"],
        bare_list_not_start=tuple(d["bare_list_not_start"]),
        bare_list_tail=re.compile(d["bare_list_tail"]),
        bare_list_unread_share=float(d["bare_list_unread_share"]),
        bare_list_own_cues=frozenset(d["bare_list_own_cues"]),
        joiner_re=re.compile(rf"^(?:{alternation(d['joiners'])})$"),
        joiners=alternation(d["joiners"]),
        tail_re=re.compile(d["group_tail"]["regex"]),
        lead_after=re.compile(rf"^(?:{alternation(d['lead_after'])})"),
        lead_is_after=re.compile(d["lead_is_after"]["regex"]),
        lead_before=re.compile(rf"(?:{alternation(d['lead_before'])})$"),
        with_before=re.compile(rf"(?:{alternation(d['with_before'])})$"),
        co_with_after=re.compile(d["co_with_after"]["regex"]),
        all_lead_after=re.compile(d["all_lead_after"]["regex"]),
        all_lead_modal_after=re.compile(d["all_lead_modal_after"]["regex"]),
        by_modifier=re.compile(rf"{_after_any(d['by_before'])}(?:{d['by_modifiers']['regex']})"),
        by_modifier_end=re.compile(rf"{_after_any(d['by_before'])}(?:{d['by_modifiers']['regex']})$"),
        collective_prefixes=tuple(d["collective_prefixes"]),
        collective_not_heads=tuple(d["collective_not_heads"]),
        oversee_before=re.compile(d["oversee_before"]["regex"]),
        oversee_after=re.compile(d["oversee_after"]["regex"]),
        class_not_initial=tuple(d["class_not_initial"]),
        example_bodies=re.compile(d["example_bodies"]["regex"]),
        subject_qualifier=re.compile(d["subject_qualifier"]["regex"]),
        qualified_class=re.compile(rf"(?:{d['qualified_class']['regex']})(?P<head>{alternation(d['qualified_class']['bare_heads'])})"),
        class_qualifier=re.compile(d["qualified_class"]["regex"]),
        not_in_class_phrase=re.compile(rf"[\u4e00-\u9fff]{{2}}(?:{alternation(d['not_in_class_phrase'])})"),
        ask_before=re.compile(rf"(?:{alternation(d['ask_before'])})$"),
        lead_marks="".join(d.get("lead_marks") or ()),
        ask_start=re.compile(rf"^(?:{alternation(d['ask_before'])})(?=各)"),
        role_named_classes=dict(d.get("role_named_classes") or {}),
        class_assign_after=re.compile(d["class_assign_after"]["regex"]),
        co_after=re.compile(rf"^(?:{d['co_adverbial']['regex']})?(?:{alternation(d['co_modals'])})?"
                            rf"(?:{alternation(d['co_adverbs'])})?(?:{alternation(d['co_after'])})"),
        co_before=re.compile(rf"(?:{alternation(d['co_before'])})$"),
        by_before=re.compile(rf"(?:{alternation(d['by_before'])})$"),
        by_each_before=re.compile(d["by_each_before"]["regex"]),
        subject_after=re.compile(rf"^(?:{alternation(d['subject_after'])})"),
        subject_strong=frozenset(d["subject_strong"]),
        steer_before=re.compile(rf"(?:{steer})(?:(?:{chain})?(?:{steer}))*$"),
        steer_start=re.compile(rf"^(?:{steer})(?:(?:{chain})?(?:{steer}))*"),
        steer_agent_before=re.compile(rf"(?:{alternation(d['steer_agents'])})$"),
        role_rank=tuple(d["role_rank"]),
        not_subject_before=re.compile(rf"(?:{alternation(d['not_subject_before'])})$"),
        not_subject_after=re.compile(d["not_subject_after"]["regex"]),
        subject_object_after=re.compile(d["subject_object_after"]["regex"]),
        reported_after=re.compile(d["reported_after"]["regex"]),
        clause_breaks=d["clause_breaks"],
        subject_breaks=d["subject_breaks"],
        sentence_breaks=d["sentence_breaks"],
        enumerator=pattern("leading_enumerator"),
        directive=re.compile(alternation(d["directive_verbs"])),
        not_directive=re.compile(d["not_directive"]["regex"]),
        target_marker=re.compile(d["target_marker"]["regex"]),
        # a name may start after a cue that introduces a party (会同X, 由X, 支持X …) or a joiner (A、X)
        name_start_after=re.compile(alternation([*d["co_before"], *d["lead_before"], *d["by_before"], *d["steer_before"],
                                                 *d["joiners"], *d["lead_after"], *d["co_after"], *d["oversee_words"]])),
        conf=dict(d["confidence"]),
        duty_colon_co=re.compile(d["duty_colon_co_after"]["regex"]),
        duty_colon_lead=re.compile(d["duty_colon_lead_after"]["regex"]),
        duty_heading_heads=tuple(d.get("duty_heading_heads") or ()),
        clause_lead=re.compile(rf"(?:{alternation(d['clause_adverbs'])})*"),
        quantifier=re.compile(alternation(d["class_quantifiers"])),
        indefinite=frozenset(d["class_indefinite"]),
        quantifier_end=re.compile(rf"(?:{alternation(d['class_quantifiers'])})$"),
        scope_end=re.compile(rf"(?:{alternation(CLASS_SCOPE_WORDS)})+$"),  # 全市各类: scope words may stack
        steered_items_end=re.compile(rf"((?:{alternation(d['steer_agents'])}))(?:[\u4e00-\u9fff]{{0,8}}?(?:{alternation(d['class_list_heads'])})[、和及与])+$"),
        steer_object_skip=re.compile(d["steer_object_skip"]["regex"]),
        steer_object_skip_end=re.compile(rf"((?:{steer})(?:(?:{chain})?(?:{steer}))*)" + d["steer_object_skip"]["regex"].removeprefix("^") + "$"),
        list_items_end=re.compile(rf"(?:[\u4e00-\u9fff]{{0,8}}?(?:{alternation(d['class_list_heads'])})[、和及与])+$"),
        class_list_before=re.compile(rf"(?:{alternation(d['class_list_heads'])})[、和及与]$"),
        list_items_start=re.compile(rf"^(?:[、和及与][\u4e00-\u9fff]{{0,8}}?(?:{alternation(d['class_list_heads'])}))+"),
        bare_enterprises=re.compile(rf"企业(?=[、和及与]|{alternation(d['bare_enterprise_before'])})"),
        not_by=re.compile(rf"(?:{alternation(d['not_by_before'])})由$"),
        not_agent_after=re.compile(rf"[0-9A-Za-z０-９]|[\u4e00-\u9fff]{{0,8}}(?:{alternation(d['thing_heads'])})(?:[，,。；;、]|$)"),
        pivot_after=re.compile(alternation(d["pivot_after"])),
        steered_class_after=re.compile(alternation(d["steered_class_after"])),
        class_qualifier_max=int(d["class_qualifier_max"]),
        steered_qualifier_max=int(d["steered_qualifier_max"]),
        examples_cut=re.compile(rf"等(?={alternation(d['class_after_examples'])})"),
        examples_list=re.compile(rf"(?:[\u4e00-\u9fff]{{1,8}}、){{1,8}}[\u4e00-\u9fff]{{1,8}}?等(?={alternation(d['class_after_examples'])})"),
        examples_before=re.compile(r"(?:[\u4e00-\u9fff]{1,8}、){1,8}[\u4e00-\u9fff]{1,8}?等"),
        steer_inside=re.compile(alternation(d["steer_before"])),
        shared_head_max=int(d["shared_head_max"]),
        shared_etc_max=int(d["shared_etc_max"]),
        shared_etc_heads=tuple(d["shared_etc_heads"]),
        shared_etc_before=tuple(d["shared_etc_head_extra"]["before"]),
        shared_etc_after=tuple(d["shared_etc_head_extra"]["after"]),
        list_owner_words=tuple(d["list_owner_words"]),
        shared_org_heads=tuple(sorted(d["shared_org_heads"], key=len, reverse=True)),
        class_list_heads=tuple(d["class_list_heads"]),
        class_scope_prefixes=tuple(sorted(d["class_scope_prefixes"], key=len, reverse=True)),
        thing_verb=re.compile(rf"(?:{alternation(d['thing_verbs'])})$"),
        level_class=_level_class_re(d["level_class"]),
        level_word=re.compile(rf"各?(?:{alternation(d['level_class']['levels'])})(?:{d['level_class']['level_note']})?"),
        level_gov_heads=tuple(d["level_class"]["government_heads"]),
        government_departments=re.compile(d["government_departments"]["regex"]),
        level_joiners=tuple(d["level_class"]["level_joiners"]),
        level_words=tuple(d["level_class"]["levels"]),
        short_form_scopes=dict(d["short_form_scopes"]),
        twin_org_types=tuple(d.get("twin_org_types") or ("government",)),
    )


def _after_any(words: list[str]) -> str:
    """A lookbehind for any of ``words`` (of any lengths): right after 由, 交给 …"""
    return "(?:" + "|".join(f"(?<={re.escape(w)})" for w in words) + ")"


def _level_class_re(d: dict) -> re.Pattern:
    """party_patterns.yaml ``level_class``: levels joined by a joiner, or run together before a tier word, then a head."""
    lv = rf"各?(?:{alternation(d['levels'])})(?:{d['level_note']})?"
    noted = rf"各?(?:{alternation(d['levels'])})(?:{d['level_note']})"
    tier = alternation(d["tiers"])
    # (after a level's note no joiner is needed: 各县（市）区政府; one level with its note names the kinds of place it takes
    # in, before a head: 县（市、区）人民政府 — a regulation's class of the county governments)
    return re.compile(rf"(?P<levels>{lv}(?:(?:{alternation(d['level_joiners'])}|(?<=[）)])){lv})+|{lv}(?:{lv})+(?=(?:{tier}))"
                      rf"|{noted}(?=(?:{d['heads']['regex']})))"
                      rf"(?P<tier>{tier})?(?P<head>{d['heads']['regex']})?")


# ---------------------------------------------------------------------------- mentions
def _compact(text: str) -> tuple[str, list[int]]:
    """The one extractor normalisation (kg/text.py ``compact``) and the original index of each
    kept character."""
    c = compact(text)
    # a page a portal serves in traditional characters (or with a converter's readings, 發(fā)) is read in simplified
    # characters, as kg.clean reads the whole page (kg/ontology/script_variants.yaml); offsets kept
    t, keep = simplified_view(c.text)
    return t, [c.orig[i] for i in keep]


def short_forms(text: str) -> tuple[tuple[str, str, int, int], ...]:
    """The short forms a text defines for bodies (kg/extract/definitions.py ``short_form_definitions``, kept when the name
    is a body's: :func:`_named_body`): (short form, the name it stands for, where the name starts and ends in the compact
    text), in order; a scope word opening the name is its relative prefix (party_patterns.yaml ``short_form_scopes``:
    全区成品油非法经营打击整治办公室 → 区成品油非法经营打击整治办公室).

    >>> short_forms("国网常州供电公司（以下简称“供电公司”）提供数据。")
    (('供电公司', '国网常州供电公司', 0, 8),)
    """
    from kg.extract.definitions import short_form_definitions

    rules = load_rules()
    out: list[tuple[str, str, int, int]] = []
    for d in short_form_definitions(compact(text).text):
        name = d.expansion or ""
        scope = next((k for k in rules.short_form_scopes if name.startswith(k)), None)
        full = rules.short_form_scopes[scope] + name[len(scope):] if scope is not None else name
        if d.term != full and _named_body(full):
            out.append((d.term, full, d.start, d.start + len(name)))
    return tuple(out)


def _named_body(name: str) -> bool:
    """Is ``name`` (defined by a short form) a body's name by the organisation grammar's rule: a head, and, when the
    head is weak (公司, 办公室, 中心), a place named in it or a relative prefix opening it (国网常州供电公司, 区成品油…办公室;
    not 项目管理办公室, which names no body of its own)?"""
    kind = org_type(name)
    if kind is None:
        return False
    heads = grammar_data()["heads"]
    if name.endswith(tuple(heads.get(kind, {}).get("strong") or ())):
        return True
    if name.startswith(tuple(p["prefix"] for p in grammar_data().get("relative_prefixes") or ())):
        return True
    from kg.divisions import place_at_start

    return any(place_at_start(name[i:]) is not None for i in range(len(name) - 1))


def _short_form_resolution(full: str, jurisdiction: str | None, g) -> Resolution:
    """The body a document's short form stands for, resolved as its full name (``short-form``)."""
    r = g.resolve(full, jurisdiction)
    if r is None:
        r = next((x.resolution for x in g.find_orgs(full, jurisdiction, [0]) if x.end == len(full)), None)
    if r is None:
        return Resolution("", full, "organization", None, None, "short-form", 0.45, org_type(full))
    return Resolution(r.id, r.name, r.party_type, r.level, r.jurisdiction, "short-form", r.confidence * 0.9,
                      r.org_type or org_type(full))


def _in_order(short: str, full: str) -> bool:
    """Are the characters of ``short`` those of ``full``, in order (区专项行动领导小组 in 区打击整治成品油非法经营专项行动领导小组)?"""
    it = iter(full)
    return all(ch in it for ch in short)


def _defined_variants(mentions: list[Mention], ctext: str, jurisdiction: str | None, aliases: tuple, g) -> list[Mention]:
    """A body the text names by a shorter variant of a name the document defines with a short form (领导小组 for
    区打击整治成品油非法经营专项行动领导小组, then 区专项行动领导小组): an unlisted name (no gazetteer id) with the same head,
    the same first character and every character in the full name's order is that body (``short-form``).  Only the
    full names of the document's own short forms are tried, so no body the document does not define is guessed."""
    fulls = {f for _, f in aliases} | {f for _, f, _, _ in short_forms(ctext)}
    if not fulls:
        return mentions
    out = []
    for m in mentions:
        r, name = m.resolution, m.surface
        head = ORG_SUFFIX.search(name)
        if r.id or r.party_type != "organization" or head is None or len(name) <= len(head.group(1)) + 1:
            out.append(m)
            continue
        full = next((f for f in sorted(fulls, key=len) if len(f) > len(name) and f[0] == name[0]
                     and f.endswith(head.group(1)) and _in_order(name, f)), None)
        out.append(m if full is None else Mention(m.start, m.end, m.surface, _short_form_resolution(full, jurisdiction, g)))
    return out


def _short_form_mentions(ctext: str, jurisdiction: str | None, aliases: tuple, g) -> list[Mention]:
    """Mentions of the bodies a document names by its own short forms (``aliases``: (short form, full name) pairs of
    the document; those the text defines itself are added): the short form wherever it is used, and the full name where
    the text defines it (国网常州供电公司（以下简称“供电公司”）), each resolved as its full name (``short-form``)."""
    own = short_forms(ctext)
    pairs = {s: f for s, f in aliases}
    pairs.update({s: f for s, f, _, _ in own})
    if not pairs:
        return []
    out: list[Mention] = []

    def resolution(full: str) -> Resolution:
        return _short_form_resolution(full, jurisdiction, g)

    for short, full, j, e in own:
        out.append(Mention(j, e, ctext[j:e], resolution(full)))
    defined = [(m.start, m.end) for m in out]
    from kg.extract.definitions import short_form_definitions

    brackets = [(d.start + len(d.expansion or ""), d.end) for d in short_form_definitions(ctext)]
    for short, full in pairs.items():
        r = None
        for k in (i.start() for i in re.finditer(re.escape(short), ctext)):
            e = k + len(short)
            if any(a <= k and e <= b for a, b in defined + brackets):
                continue  # inside the defined name or its own bracket
            r = r or resolution(full)
            out.append(Mention(k, e, short, r))
    return out


_FULL_WIDTH_BRACKETS = str.maketrans("()", "（）")


def find_mentions(ctext: str, jurisdiction: str | None, aliases: tuple = ()) -> list[Mention]:
    """Mentions in compact text: entity-ruler spans first, gazetteer scan fills the gaps.  ``aliases``: the document's
    own short forms of bodies, (short form, full name) pairs (:func:`short_forms`)."""
    from kg.extract.nlp import ruler_spans
    from kg.gazetteer.scanning import runs_on

    g = default_gazetteer()
    # the gazetteer's names are keyed with full-width brackets (kg/gazetteer/model.py normalize): a text written with
    # ASCII ones (各责任(配合)单位, 乡(镇)人民政府) is scanned as if full-width, one character for one (offsets kept)
    scanned = g.find_mentions(ctext.translate(_FULL_WIDTH_BRACKETS), jurisdiction)
    # what only the scan reads, from the list around a name, comes before the entity ruler's reading of the name
    # alone: classes named by a distributive prefix (各区发展改革委、教育局: not 各区 | 发展改革委) and bare bodies
    # in a prefixed list (市科技创新局、发展改革委: the city's, not the national commission)
    starts = _name_starts(ctext, load_rules())
    # … and so do classes named by their levels (市、区人民政府: not 区人民政府 alone)
    found: list[Mention] = []
    grammar = _grammar_mentions(ctext, jurisdiction, starts)
    for m in _short_form_mentions(ctext, jurisdiction, aliases, g) + _level_classes(ctext, starts, jurisdiction, g):
        if any(x.start <= m.start and m.end <= x.end and x.end - x.start > m.end - m.start for x in scanned + grammar):
            continue  # a short form inside a longer name (领导小组 in 领导小组成员单位)
        if not any(x.start < m.end and m.start < x.end for x in found):
            found.append(m)
    found += [m for m in scanned if m.resolution.method in _SCAN_FIRST
              and not any(x.start < m.end and m.start < x.end for x in found)]
    for start, end, surface in ruler_spans(ctext):  # the entity ruler's spans (not re-run on the same text)
        if any(m.start < end and start < m.end for m in found):
            continue
        if runs_on(ctext, end):
            continue  # 交通运输部门: a department named by function, not the ministry 交通运输部 (as the scan reads it)
        if any(m.start <= start and end <= m.end and m.end - m.start > end - start for m in scanned):
            continue  # a longer name the scan reads around the span (各街道、镇 around 各街道) is the mention
        r = g.resolve(surface, jurisdiction)
        if r is not None:
            found.append(Mention(start, end, surface, r, g._leading_prefix(surface)))
    taken = [(m.start, m.end) for m in found]
    for m in scanned:
        if not any(s < m.end and m.start < e for s, e in taken):
            found.append(m)
            taken.append((m.start, m.end))
    for m in grammar:
        inside = [x for x in found if m.start < x.end and x.start < m.end]
        # a class word inside a longer name (行业协会 in 上海市人工智能行业协会) gives way to the name
        if inside and all(m.start <= x.start and x.end <= m.end and x.end - x.start < m.end - m.start
                          and x.resolution.party_type == "class" for x in inside):
            found = [x for x in found if x not in inside]
            inside = []
        if not inside:
            found.append(m)
    rules = load_rules()
    subject_classes = _subject_classes(ctext, starts)  # (read twice below: computed once)
    for m in subject_classes:
        inside = [x for x in found if m.start < x.end and x.start < m.end]
        # a class word at the end of a longer class phrase (龙头企业 in 推动行业龙头企业发挥…) gives way to the phrase
        # (after the verb, what the object has is skipped: 鼓励具有…资质的成品油骨干企业 → 成品油骨干企业)
        steered = rules.steer_agent_before.search(rules.steer_object_skip_end.sub(r"\1", ctext[:m.start])) \
            or (rules.thing_verb.search(ctext[:m.start]) and rules.pivot_after.match(ctext, m.end))  # 推动…企业组建…
        # … and so is a class phrase opening its clause (增量配电网企业要…: the subject is the whole phrase)
        opens = m.start == 0 or ctext[m.start - 1] in rules.subject_breaks
        qmax = rules.steered_qualifier_max if steered or opens else rules.class_qualifier_max
        if inside and all(m.start < x.start <= m.start + qmax and x.end == m.end
                          and x.resolution.party_type == "class"
                          and not ctext[m.start:x.start].startswith(rules.class_scope_prefixes) for x in inside):
            found = [x for x in found if x not in inside]
        # 相关区能源主管部门: a class of departments named after the places it is in (相关区) is the departments
        elif inside and m.surface.endswith(rules.shared_etc_heads) and all(
                x.start == m.start and x.end < m.end and x.resolution.party_type == "class" for x in inside):
            found = [x for x in found if x not in inside]
    taken = [(m.start, m.end) for m in found]
    for m in _example_bodies(ctext, starts, rules) \
            + [_function_body(m, jurisdiction, g) for m in subject_classes] \
            + _distributive_partners(ctext, subject_classes, g) \
            + _place_subjects(ctext, starts, jurisdiction):
        if not any(s < m.end and m.start < e for s, e in taken):
            found.append(m)
            taken.append((m.start, m.end))
    dh = _duty_heading(ctext, jurisdiction, g, rules)
    if dh is not None and not any(s < dh.end and dh.start < e for s, e in taken):
        found.append(dh)
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    out: list[Mention] = []
    for m in found:
        if out and m.start < out[-1].end:
            continue
        if out and out[-1].end == m.start - 1 and ctext[m.start - 1] == "等" and out[-1].resolution.party_type == "class" \
                and m.resolution.party_type == "class" and _etc_department_head(ctext, m.start):
            continue  # 水利等有关部门: the head the functions before 等 share, not one more party (_shared_head_classes)
        if out and m.resolution.method == "class-phrase" and _list_owner_end(ctext, out[-1].start, rules) == m.start:
            while out and _list_owner_end(ctext, out[-1].start, rules) is not None and out[-1].start < m.start \
                    and m.start <= (_list_owner_end(ctext, out[-1].start, rules) or 0):
                out.pop()  # 县级以上人民政府发展改革、…等部门: the governments only say whose departments they are
        out.append(_with_places_above(m, ctext, out[-1].end if out else 0, g))
    out = _government_departments(out, ctext, rules)
    out = _running_divisions(out, ctext, rules)
    out = _joint_offices(out, ctext)
    out = _shared_head_governments(out, ctext, jurisdiction, g)
    branched: list[Mention] = []
    for k, m in enumerate(out):
        if branched and m.end <= branched[-1].end:
            continue  # read as part of the branch before it (国网 + 苏州供电公司)
        nxt = out[k + 1] if k + 1 < len(out) else None
        # the name after the body may be read on its own (苏州供电公司): the branch may take it whole, not in part
        limit = len(ctext) if nxt is None else nxt.end if nxt.start == m.end else nxt.start
        b = _as_branch(m, ctext, limit, jurisdiction, g)
        if nxt is not None and nxt.start == m.end and b.end not in (m.end, nxt.end):
            b = m
        branched.append(b)
    return _defined_variants(branched, ctext, jurisdiction, aliases, g)


def _shared_head_governments(mentions: list[Mention], ctext: str, jurisdiction: str | None, g) -> list[Mention]:
    """广东省和广州市人民政府: two governments sharing one head word, the first named by its place only — a mention of
    its own (广东省 → 广东省人民政府), read as the list's item before the named one.  The place must be a division's
    full name (kg/divisions.py), the longest one ending right before the joiner."""
    from kg.divisions import place_at_start

    head_re, joiner_re = _shared_head_res()
    out: list[Mention] = []
    for m in mentions:
        hm = head_re.search(m.surface)
        jm = joiner_re.search(ctext, max(0, m.start - 2), m.start) if hm and hm.start() > 0 else None
        lo = max(0, m.start - 12, out[-1].end if out else 0)
        if jm is not None:
            for k in range(lo, jm.start() - 1):
                place = ctext[k:jm.start()]
                d = place_at_start(place)
                if d is None or d.name != place:
                    continue
                r = g.resolve(place + hm.group(0), jurisdiction)
                if r is not None and r.party_type != "class":
                    out.append(Mention(k, jm.start(), place, r, place))
                break
        out.append(m)
    return out


@functools.lru_cache(maxsize=1)
def _shared_head_res() -> tuple[re.Pattern, re.Pattern]:
    """(the head words a government's name ends with, a joiner right before the named government), from
    party_patterns.yaml ``shared_head_governments``."""
    d = load_yaml(Path(PATTERNS_PATH))["shared_head_governments"]
    return re.compile(rf"(?:{alternation(d['heads'])})$"), re.compile(rf"(?:{alternation(d['joiners'])})$")

_DUTY_HEADING = re.compile(r"([\u4e00-\u9fff]{2,12})(?=[：:])")


def _duty_heading(ctext: str, jurisdiction: str | None, g, rules: "_Rules") -> Mention | None:
    """The body heading its own line of a division of duties (城运中心：负责…, 城管执法中队：负责…, 规建办：负责…): a name
    by construction, as an item of a responsibility list is, though its head alone (中心, 办, 所) would not make a bare
    name elsewhere.  Kept as written (a relative prefix resolved against the jurisdiction), no id, low confidence
    (a trial township notice's 职责分工, spec p31-05)."""
    m = _DUTY_HEADING.match(ctext)
    if m is None or not (rules.duty_colon_lead.match(ctext[m.end():]) or rules.duty_colon_co.match(ctext[m.end():])):
        return None
    span = g.org_grammar.match_at(ctext, 0, weak_bare=True)
    if span is None or span.end != m.end():
        if not m.group(1).endswith(rules.duty_heading_heads):
            return None
        return Mention(0, m.end(), m.group(1), Resolution("", m.group(1), "organization", None, None, "org-grammar", 0.5,
                                                          "government"))
    r = g.resolve(span.surface, jurisdiction) if span.prefix else None
    if r is None and span.prefix:
        r = g.resolve_org(span, jurisdiction)
    if r is None:
        r = Resolution("", span.surface, "organization", None, None, "org-grammar", 0.5, span.org_type)
    return Mention(0, span.end, span.surface, r, span.prefix or None)


def _list_owner_end(ctext: str, pos: int, rules: "_Rules") -> int | None:
    """Where a list of functions starts after the governments whose departments they are, at ``pos``: a class of
    governments (县级以上人民政府, actor_classes.yaml) or governments or levels named by their levels (市、县（市、区）人民政府,
    市、区（县级市）: party_patterns.yaml level_class) — None when none opens there."""
    m = rules.level_class.match(ctext, pos)
    if m is not None and m.group("tier") is None and (m.group("head") is None or m.group("head") in rules.level_gov_heads):
        return m.end()
    for h in rules.level_gov_heads:
        k = ctext.find(h, pos, pos + 14)
        if k > pos:
            r = default_gazetteer().resolve(ctext[pos:k + len(h)], None)
            if r is not None and r.party_type == "class":
                return k + len(h)
    return None


@functools.lru_cache(maxsize=1)
def _etc_head_source() -> str:
    """A head that functions before 等 share (有关部门, 主管部门, 行政管理部门, 部门和机构: party_patterns.yaml shared_etc_heads
    with shared_etc_head_extra), the head itself as a group."""
    rules = load_rules()
    return (rf"(?:{alternation(rules.shared_etc_before)})?({alternation(rules.shared_etc_heads)})"
            rf"(?:{alternation(rules.shared_etc_after)})?")


@functools.lru_cache(maxsize=1)
def _etc_head_re() -> re.Pattern:
    return re.compile(_etc_head_source())


@functools.lru_cache(maxsize=1)
def _etc_list_re() -> re.Pattern:
    """A qualifier, 等 and the head they share (水利等有关部门): group 1 the qualifier, group 2 the head."""
    return re.compile(rf"({_qualifier()})等{_etc_head_source()}")


def _etc_department_head(ctext: str, pos: int) -> bool:
    """Does a head that functions before 等 share follow at ``pos``?"""
    return _etc_head_re().match(ctext, pos) is not None


def _plain_examples(examples: str) -> bool:
    """Are the examples of an enumeration (电力、电视、通信等) fields or kinds, none of them a body or a class of bodies?"""
    g, rules = default_gazetteer(), load_rules()
    return not any(org_type(x) or g.resolve(x, None) is not None or rules.steer_inside.search(x) or rules.directive.search(x)
                   for x in examples.rstrip("等").split("、") if x)  # (协调和指导广播、电视等媒体: a verb, not an example)


def _running_divisions(mentions: list[Mention], ctext: str, rules: "_Rules") -> list[Mention]:
    """A government body named with one of its internal divisions in running text (市交通委组织人事处牵头…, 市教委基教处
    负责…): one party, the body's name + the division (as in a list: :func:`_with_divisions`), when a cue, a clause break or
    the 、 of a list follows the division (party_patterns.yaml division_heads)."""
    out: list[Mention] = []
    for k, m in enumerate(mentions):
        nxt = mentions[k + 1].start if k + 1 < len(mentions) else len(ctext)
        d = rules.running_division.match(ctext, m.end, nxt) if m.resolution.party_type == "organization" \
            and m.resolution.org_type == "government" and m.resolution.method != "division-of-body" else None
        after = ctext[d.end():] if d else ""
        # 、 then a named body (县政府督查室、县监察局要…): the first of a list; 、 then a bare division (市交通委科技信息处、港务
        # 监管处) is a list of the body's divisions, read by _with_divisions
        listed = after[:1] == "、" and k + 1 < len(mentions) and mentions[k + 1].start == d.end() + 1 \
            and not rules.division_re.search(mentions[k + 1].surface) if d else False
        if d is None or d.group(0).startswith(rules.class_scope_prefixes + ("有关", "相关", "下属", "所属", "直属")) \
                or _NOT_IN_CLASS_PHRASE.search(d.group(0)) or rules.not_in_class_phrase.search(d.group(0)) \
                or not (after[:1] in rules.subject_breaks or listed or rules.lead_after.match(after)
                        or rules.co_after.match(after) or rules.subject_after.match(after)):
            out.append(m)
            continue
        r = m.resolution
        name = r.name + rules.division_words.get(d.group(0), d.group(0))
        out.append(Mention(m.start, d.end(), ctext[m.start:d.end()],
                           Resolution("", name, "organization", r.level, r.jurisdiction, "division-of-body", 0.8, r.org_type),
                           m.prefix))
    return out


@functools.lru_cache(maxsize=1)
def _joint_office_re() -> re.Pattern:
    return re.compile(load_yaml(Path(PATTERNS_PATH))["joint_offices"]["regex"])


def _joint_offices(mentions: list[Mention], ctext: str) -> list[Mention]:
    """区委区政府督查室: the place's party committee right before its government's office, named together — one office of
    both, named as written after the committee's place (party_patterns.yaml joint_offices)."""
    out: list[Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        j = _joint_office_re().match(ctext, prev.start) if prev is not None and prev.end == m.start \
            and prev.resolution.org_type == "party" and m.resolution.org_type == "government" else None
        if j is None or j.end() != m.end or not prev.resolution.jurisdiction:
            out.append(m)
            continue
        r = prev.resolution
        name = r.jurisdiction + ctext[prev.start + 1:m.end]
        out[-1] = Mention(prev.start, m.end, ctext[prev.start:m.end],
                          Resolution("", name, "organization", r.level, r.jurisdiction, "joint-office", 0.7, "government"),
                          prev.prefix)
    return out


def _government_departments(mentions: list[Mention], ctext: str, rules: "_Rules") -> list[Mention]:
    """A government (市人民政府, or governments named by their levels: 市、县（区）人民政府) right before departments
    (有关部门, 农业农村主管部门) says whose departments they are: 市人民政府有关部门 is one class of departments, written as
    in the text (as 县级以上人民政府有关部门 is), not the government and a class (party_patterns.yaml government_departments)."""
    out: list[Mention] = []
    skip_to = -1
    for k, m in enumerate(mentions):
        if m.start < skip_to:
            continue
        if m.resolution.method == "class-phrase" and out and out[-1].resolution.method == "level-class" \
                and ctext[out[-1].end:m.start] in rules.level_joiners and rules.government_departments.search(m.surface) \
                and any(m.surface.startswith(lv + h) for lv in rules.level_words for h in rules.level_gov_heads):
            start = out.pop().start  # 市、区人民政府生态环境主管部门: the departments of both levels
            surface = ctext[start:m.end]
            out.append(Mention(start, m.end, surface, Resolution("", surface, "class", None, None, "class-phrase", 0.6,
                                                                 "government")))
            continue
        gov = (m.resolution.org_type == "government" or m.resolution.id == "county-and-above-governments") \
            and m.surface.endswith(rules.level_gov_heads)  # (县级以上人民政府有关部门: one class of departments)
        d = rules.government_departments.match(ctext, m.end) if gov else None
        if d is None or any(x.start < d.end() and m.end < x.end and not (m.end <= x.start and x.end <= d.end())
                            for x in mentions[k + 1:]):
            out.append(m)
            continue
        start = m.start
        while out and out[-1].resolution.method == "level-class" \
                and ctext[out[-1].end:start] in rules.level_joiners:
            start = out.pop().start  # 市、县（区）人民政府: every level of the phrase is the departments'
        surface = ctext[start:d.end()]
        out.append(Mention(start, d.end(), surface, Resolution("", surface, "class", None, None, "class-phrase", 0.6,
                                                               "government")))
        skip_to = d.end()
    return out


def _level_classes(ctext: str, starts: list[int], jurisdiction: str | None, g) -> list[Mention]:
    """Classes of government bodies named by their levels where a name can start (party_patterns.yaml ``level_class``):
    市区两级交通管理部门, 县（市）、区主管部门 — one class as written (``level-class``); under a government head, the
    document's own level and the levels below it (市、区人民政府 → the city's government and 各区人民政府)."""
    rules = load_rules()
    out: list[Mention] = []
    own = (jurisdiction or "")[-1:]
    for st in sorted(set(starts)):
        en = rules.enumerator.match(ctext[st:])
        s = st + (en.end() if en else 0)
        m = rules.level_class.match(ctext, s)
        if m is None or (m.group("head") is None and not m.group(0).startswith("各")) \
                or (out and s < out[-1].end):
            continue
        head = m.group("head") or ""
        levels = [w.group(0) for w in rules.level_word.finditer(m.group("levels"))]
        parts: list[Mention] = []
        known = g.resolve(m.group(0), jurisdiction)  # 市、县人民政府: a class the gazetteer lists
        if known is not None and known.party_type == "class":
            parts = [Mention(s, m.end(), m.group(0), Resolution(known.id, known.name, "class", known.level, known.jurisdiction,
                                                                "level-class", known.confidence, "government"))]
        elif head in rules.level_gov_heads and not m.group("tier"):
            pos = s
            for k, lv in enumerate(levels):
                pos = ctext.index(lv, pos)
                if lv == own and k == 0:
                    r = g.resolve(lv + head, jurisdiction)
                else:
                    r = g.resolve(("" if lv.startswith("各") else "各") + lv + head, jurisdiction)
                if r is None or (r.party_type == "class") != (lv != own or k > 0):
                    parts = []
                    break
                e = m.end() if k == len(levels) - 1 else pos + len(lv)
                parts.append(Mention(pos, e, ctext[pos:e], Resolution(r.id, r.name, r.party_type, r.level, r.jurisdiction,
                                                                      "level-class", r.confidence * 0.8, "government")))
                pos += len(lv)
        if not parts:
            parts = [Mention(s, m.end(), m.group(0), Resolution("", m.group(0), "class", None, None, "level-class", 0.6,
                                                                "government"))]
        out.extend(parts)
    return out


def _function_body(m: Mention, jurisdiction: str | None, g) -> Mention:
    """A department named by its function after a relative prefix (市财政部门 in a 济南 document): the body of that
    function of the document's place, when the gazetteer knows one (org_grammar.yaml ``function_department``);
    else the class as read."""
    from kg.gazetteer.grammar import grammar_data

    fd = grammar_data().get("function_department") or {}
    head, name = fd.get("head") or "部门", m.resolution.name
    if not jurisdiction or m.resolution.party_type != "class" or not name.endswith(head):
        return m
    prefix = next((d["prefix"] for d in grammar_data()["relative_prefixes"] if name.startswith(d["prefix"])), None)
    function = name[len(prefix):-len(head)] if prefix else ""
    if len(function) < 2:
        return m
    for body in fd.get("bodies") or ():
        r = g.resolve(prefix + function + body, jurisdiction)
        if r is not None and r.id and r.party_type == "organization" and r.method != "fuzzy":
            return Mention(m.start, m.end, m.surface, r, prefix)
    return m


@functools.lru_cache(maxsize=1)
def _place_suffixes() -> tuple[str, ...]:
    from kg.gazetteer.grammar import PLACE_SUFFIXES

    return tuple(sorted({x[0] for x in PLACE_SUFFIXES}, key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def _branch_head_re() -> re.Pattern:
    from kg.gazetteer.grammar import grammar_data

    return re.compile(rf"(?:{alternation(grammar_data().get('branch_heads') or ())})")


@functools.lru_cache(maxsize=1)
def _enterprise_branch_re() -> re.Pattern:
    """After a group's name (and a place): more words of place and business, then a company's branch head (济南石油分公司
    after 中石化山东), or a subsidiary's company head, itself followed by its branch or not (中国石化 + 销售股份有限公司 +
    浙江湖州石油分公司): org_grammar.yaml ``enterprise_branch_inner_max``, no character or word a name may not hold."""
    d = grammar_data()
    branch = alternation([h for h in d.get("branch_heads") or () if h.endswith("公司")])
    company = alternation([h for h in d["heads"]["enterprise"]["strong"] if h.endswith("公司")])
    bad = re.escape(d["internal"]["forbidden_chars"])
    inner = rf"(?:(?!{alternation(d['internal']['never_words'])})[^{bad}]){{0,{int(d['enterprise_branch_inner_max'])}}}?"
    return re.compile(rf"(?P<sub>{inner}(?:{company}))?{inner}(?:{branch})|(?P<own>{inner}(?:{company}))")


@functools.lru_cache(maxsize=1)
def _branch_region_re() -> re.Pattern:
    from kg.gazetteer.grammar import grammar_data

    return re.compile(rf"(?:{alternation(grammar_data().get('branch_regions') or ())})(?={_branch_head_re().pattern})")


def _as_branch(m: Mention, ctext: str, limit: int, jurisdiction: str | None, g) -> Mention:
    """A national body's name followed by a place and a branch head (中国人民银行深圳市分行), or a branch head alone
    (国家能源局派出机构), or a local body's name followed by a place and a branch head (市生态环境局承德县分局): the
    branch, named after the body unless the gazetteer knows it."""
    r = m.resolution
    if r.party_type != "organization" or not r.id:
        return m
    i = m.end
    place = g._prefix_trie.longest(ctext, i)
    if place is not None and place[0] <= limit:
        i = place[0]
        suffix = next((x for x in _place_suffixes() if ctext.startswith(x, i)), None)
        if suffix and i + len(suffix) < limit and not _branch_head_re().match(ctext, i):
            i += len(suffix)  # 承德 + 县 (a place read by its short form and its suffix)
    else:  # a place the gazetteer does not list, read by its suffix right before the head (承德县分局)
        adhoc = re.compile(rf"[\u4e00-\u9fff]{{2,4}}?(?:{alternation(_place_suffixes())})(?={_branch_head_re().pattern})"
                           ).match(ctext, i)
        region = _branch_region_re().match(ctext, i) if r.level == "national" else None
        if adhoc is not None and adhoc.end() < limit:
            i = adhoc.end()
        elif region is not None and region.end() < limit:
            i = region.end()  # 国家能源局华中监管局: a national body's regional office
        elif r.level != "national":
            return m  # a local body's branch is named after its place (市生态环境局承德县分局)
    head = _branch_head_re().match(ctext, i)
    if head is None and r.org_type == "enterprise":
        # a group's branch names its places and its business before the head (中石化山东济南石油分公司, 中石油重庆綦江销售分公司)
        head = _enterprise_branch_re().match(ctext, i)
    if head is None or head.end() > limit:
        return m
    surface = ctext[m.start:head.end()]
    known = g.resolve(surface, jurisdiction)
    # a branch is named after its body's full name (国网苏州供电公司 → 国家电网有限公司苏州供电公司, spec p203); a subsidiary
    # named with its own company head is a full name as written (中国石化销售股份有限公司…分公司)
    sub = head.re is _enterprise_branch_re() and (head.group("sub") or head.group("own"))
    name = surface if sub else r.name + ctext[m.end:head.end()]
    b = known if known is not None and known.party_type == "organization" else Resolution(
        "", name, "organization", None, None, "branch-of-body", 0.7, r.org_type)
    return Mention(m.start, head.end(), surface, b, m.prefix)


def _with_places_above(m: Mention, ctext: str, floor: int, g) -> Mention:
    """A body named with the places above its own (上海市杨浦区人民政府: the gazetteer reads 杨浦区人民政府): the
    mention starts at the highest of them, so that a list (上海市科学技术委员会、上海市杨浦区人民政府) stays one."""
    r = m.resolution
    s = m.start
    jur = r.jurisdiction or ""
    if r.party_type == "organization" and len(jur) > 2 and m.surface[:1] == jur[-1] and m.surface[:1] in "区县市":
        # 光明区发展和改革局 in a 深圳市光明区 text: the scan reads the relative name 区发展和改革局; the place's own
        # name (光明) before it belongs to the mention
        above = max(jur.rfind(c, 0, len(jur) - 1) for c in "省市区县州盟旗")
        stem = jur[above + 1:-1]
        if len(stem) >= 2 and s - len(stem) >= floor and ctext.endswith(stem, 0, s):
            s -= len(stem)
    p = g.place(r.jurisdiction) if r.party_type == "organization" and r.jurisdiction else None
    cur = g._places.get(p.parent) if p is not None and p.parent else None
    while cur is not None and s - len(cur.name) >= floor and ctext.endswith(cur.name, 0, s):
        s -= len(cur.name)
        cur = g._places.get(cur.parent) if cur.parent else None
    return m if s == m.start else Mention(s, m.end, ctext[s:m.end], r, m.prefix)


@functools.lru_cache(maxsize=1)
def _subject_class_re() -> re.Pattern:
    from kg.gazetteer.grammar import grammar_data

    heads = alternation(grammar_data().get("subject_class_heads") or ())
    alone = alternation(grammar_data().get("standalone_class_heads") or ())
    stop = re.escape(grammar_data().get("standalone_not_followed_by") or "")
    # a class in every place named by a distributive prefix with a bracket (各县（市、区）财政部门, 各县（区）发展改革部门) is one
    # class, written with its prefix (the bracket would end the phrase)
    bracketed = alternation([p for p in DISTRIBUTIVE if "（" in p])
    return re.compile(rf"(?:{alone})(?![{stop}])|(?:{bracketed})?[\u4e00-\u9fff]{{2,16}}?(?:{heads})")


@functools.lru_cache(maxsize=1)
def _steered_class_re() -> re.Pattern:
    """Classes named by a head that is an agent only as a steering verb's object (鼓励社会应急力量深入…, 鼓励各类销售平台制定…;
    org_grammar.yaml steered_class_heads; party_patterns.yaml steered_class_after)."""
    from kg.gazetteer.grammar import grammar_data

    heads = alternation(grammar_data().get("steered_class_heads") or ())
    return re.compile(rf"[\u4e00-\u9fff]{{2,16}}?(?:{heads})")


def _class_phrase_ok(m: re.Match | None, rules: "_Rules") -> bool:
    return m is not None and not ((_NOT_IN_CLASS_PHRASE.search(m.group(0)) and not _two_function_class(m.group(0), rules))
                                  or rules.steer_start.match(m.group(0))
                                  or rules.not_in_class_phrase.search(m.group(0))
                                  or m.group(0).startswith(rules.class_not_initial)
                                  or m.group(0).removeprefix("并").startswith(_CLASS_PHRASE_AFTER))  # (并配合相关部门: p31-02)


def _two_function_class(phrase: str, rules: "_Rules") -> bool:
    """A class named by two functions joined by 和 before one head (生产和经营企业, 管理和执法部门, 重点用能和排放单位):
    one class, written as in the text — not two items (企业和高校, 国有企业和学校: the first ends in a head of its own)."""
    m = _TWO_FUNCTIONS.fullmatch(phrase)
    if m is None or m.group(1).endswith((*_subject_class_heads(), *rules.class_list_heads)) \
            or _NOT_IN_CLASS_PHRASE.search(m.group(1)) or _NOT_IN_CLASS_CHARS.search(m.group(2)) \
            or rules.directive.match(m.group(1)) or m.group(1).startswith(rules.class_not_initial):
        return False  # (开展校园和国有企业光伏…: a verb's object, not a class)
    r = default_gazetteer().resolve(m.group(2), None)
    return r is None or r.party_type != "class"  # 校园和国有企业: the second is a class of its own, two items


_NOT_IN_CLASS_CHARS = re.compile(r"[的对在向从把被将为与和及或就]")
_TWO_FUNCTIONS = re.compile(r"([\u4e00-\u9fff]{2,6})和([\u4e00-\u9fff]{2,10})")
_NOT_IN_CLASS_PHRASE = re.compile(r"[的对在向从把被将为与和及或就]|^(?:由|经|各级|所有|任何|相关的|一批|一些|部分|若干|多家|一大批|"
                                  r"协调|聚焦|优先|用于|方式|指导|督促|考虑|服务|面向|针对|围绕)")
_CLASS_PHRASE_AFTER = ("会同", "配合", "协助", "联合", "由")
_SCAN_FIRST = frozenset(("distributive-class", "list-prefix", "list-prefix-unlisted"))


def _subject_classes(ctext: str, starts: list[int] | None = None) -> list[Mention]:
    """Classes of bodies named by function as the subject of a rule (卫生健康部门负责…, 有关主管部门依法…,
    网络服务提供者应当…) or right after 会同/配合/由: kept as classes, without an id, at low confidence.
    ``starts``: :func:`_name_starts` of ``ctext``, when the caller has them."""
    rules = load_rules()
    out: list[Mention] = []
    etc_end = 0  # the end of a list of functions sharing the head after 等 (…、城市管理等部门和机构): no class starts inside it
    for st in sorted(set(_name_starts(ctext, rules) if starts is None else starts)):
        if st < etc_end:
            continue
        en = rules.enumerator.match(ctext[st:])
        s = st + (en.end() if en else 0)
        p = rules.clause_lead.match(ctext, s).end()
        own = _list_owner_end(ctext, p, rules) if st == 0 or ctext[st - 1] in rules.subject_breaks else None
        if own is not None:  # 县级以上人民政府发展改革、教育、…等部门和机构应当…: the governments' departments, each by function
            shared = _shared_head_classes(ctext, own, rules)
            if shared and ctext.startswith("等", shared[-1].end) and _etc_department_head(ctext, shared[-1].end + 1) \
                    and _opens_clause(_after_group_tail(ctext, shared[-1].end, rules), rules):
                out.extend(shared)
                etc_end = len(ctext) - len(_after_group_tail(ctext, shared[-1].end, rules))
                continue
        ex = rules.examples_list.match(ctext, p) if st == 0 or ctext[st - 1] in rules.subject_breaks else None
        if ex is not None and _plain_examples(ex.group(0)) and not _etc_department_head(ctext, ex.end()):
            # 电力、电视、通信等各类管线运营单位应当…: the class after the examples opens the clause (examples that are
            # bodies, 光明集团等有关单位, are parties); but functions before 等有关部门 / 等主管部门 each name a department
            # (发展和改革、…、水利等有关部门按照各自职责… → 发展和改革部门, …, 水利部门: :func:`_shared_head_classes`)
            s = p = ex.end()
        v = rules.steer_start.match(ctext[p:])
        if v is not None:  # (积极)引导更多航运经营主体…: the class is the verb's object
            s = p + v.end()
        elif p > s and ctext.startswith(_CLASS_PHRASE_AFTER, p):
            continue  # 积极配合…: the class after the cue is read from the cue's own name start
        bmod = rules.by_modifier.match(ctext, s) if rules.by_before.search(ctext, 0, s) else None
        s = bmod.end() if bmod else s  # 由相应的管养单位负责: the class after the modifier
        s0 = s  # right after the verb, if any: what steers is read before it
        if v is not None or rules.steer_before.search(ctext[:s]):
            sk = rules.steer_object_skip.match(ctext[s:])
            s += sk.end() if sk else 0  # 支持民营企业在内的各类经营主体: the object is 各类经营主体
        if v is not None and rules.bare_enterprises.match(ctext, s) and rules.steer_agent_before.search(ctext[:s]):  # 鼓励企业开展…, 引导企业、高校…: enterprises at large
            out.append(Mention(s, s + 2, "企业", Resolution("", "企业", "class", None, None, "class-phrase", 0.6)))
            continue
        q = rules.quantifier.match(ctext, s)
        if q and q.group(0) in rules.indefinite and not rules.steer_before.search(ctext[:s0]):
            continue  # 一批网信企业加快走出去: nobody named
        s = q.end() if q else s  # 更多航运经营主体 → 航运经营主体
        shared = _shared_head_classes(ctext, s, rules)
        if ctext[:s].endswith(_CLASS_PHRASE_AFTER) and ctext.startswith(rules.list_owner_words, s):
            owned = _shared_head_classes(ctext, s + 2, rules)  # 会同同级发展改革、环保等行政管理部门: the functions of a
            if owned and ctext.startswith("等", owned[-1].end) and _etc_department_head(ctext, owned[-1].end + 1):
                shared = owned  # list sharing a department head after 等, after whose departments they are
        if shared and (rules.steer_agent_before.search(ctext[:s0]) or ctext[:s0].endswith(_CLASS_PHRASE_AFTER)
                       or (ctext[:s0].endswith(rules.list_owner_words) and ctext[:s0 - 2].endswith(_CLASS_PHRASE_AFTER))
                       or (v is None and s == s0 == p and (st == 0 or ctext[st - 1] in rules.subject_breaks)
                           and _shared_subject_quals().fullmatch(ctext, s, shared[-1].start)
                           and not _NOT_IN_CLASS_PHRASE.search(_etc_list_text(ctext, shared), s, shared[-1].start)  # 对工商、质监部门…经费
                           and _opens_clause(_after_group_tail(ctext, shared[-1].end, rules), rules))):
            out.extend(shared)  # 鼓励邮政、快递企业…: 邮政企业 and 快递企业; 联合应急管理、消防救援部门; 质监、工商部门要…
            if ctext.startswith("等", shared[-1].end) and _etc_department_head(ctext, shared[-1].end + 1):
                etc_end = len(ctext) - len(_after_group_tail(ctext, shared[-1].end, rules))
            continue
        qc = rules.qualified_class.match(ctext, s) if v is None and s == s0 == p else None
        if qc is not None and _opens_clause(ctext[qc.end():], rules):  # 负有…职责的部门要…: the class with its qualifier
            out.append(Mention(s, qc.end(), qc.group(0), Resolution("", qc.group(0), "class", None, None, "class-phrase", 0.6)))
            continue
        m = _subject_class_re().match(ctext, s)
        if not _class_phrase_ok(m, rules) and v is None and s == s0 == p:  # 获得资金的申报单位要…: the class after its qualifier
            qm = rules.class_qualifier.match(ctext, s)
            if qm is not None:
                s = qm.end()
                m = _subject_class_re().match(ctext, s)
        if not _class_phrase_ok(m, rules):
            # 鼓励社会应急力量深入…, 鼓励用户侧储能电站参与…: a head that names agents only as the object of a verb that steers
            # agents, followed by what an agent does (鼓励…平台建设 is no party)
            m = _steered_class_re().match(ctext, s) if rules.steer_agent_before.search(ctext[:s0]) else None
            if not _class_phrase_ok(m, rules) or not rules.steered_class_after.match(ctext, m.end()):
                continue
        after = ctext[m.end():]
        # 鼓励行业协会、专业技术服务机构和保险机构参与…: an item of a list of classes (the list's cues decide its role)
        listed = bool(rules.class_list_before.search(ctext[:s0]))
        steered = ctext[:s0].endswith(_CLASS_PHRASE_AFTER) or bool(rules.steer_agent_before.search(ctext[:s0])) or listed \
            or (bool(rules.oversee_before.search(ctext[:s0])) and rules.oversee_after.match(after) is not None) \
            or (bool(rules.thing_verb.search(ctext[:s0])) and rules.pivot_after.match(after) is not None)
        def opens(after: str) -> bool:
            return _opens_clause(after, rules)

        # 各区教育行政部门、各级各类学校建立…: the first item of a list of classes that opens its clause is a subject too
        items = rules.list_items_start.match(after)
        subject = opens(after) or (items is not None and opens(after[items.end():]))
        # 区民政部门配合提供…: a class opening its clause assists in it (its role is the cue's: co)
        opening = v is None and s == s0 == p and (st == 0 or ctext[st - 1] in rules.subject_breaks)
        subject = subject or (opening and bool(rules.co_after.match(_after_group_tail(ctext, m.end(), rules))))
        # 各行业相关管理机构利用各种途径加强宣传…: a class named with 各 opening a clause that gives a task is its subject,
        # whatever verb follows (the collective told what to do)
        subject = subject or (opening and m.group(0).startswith(rules.collective_prefixes)
                              and _directive_clause(after, rules))
        # 市财政部门：负责…: a class heading its own line of a division of duties
        # (… or the last item of the list heading the line: 中石油…分公司、中石化…分公司及有关成品油经营企业：负责…)
        line0 = ctext.rfind("\n", 0, s) + 1
        heads_line = s == line0 or (any(rules.joiner_re.match(ctext[max(line0, s - k):s]) for k in (1, 2))
                                    and not _break_re(rules.clause_breaks).search(ctext, line0, s))
        subject = subject or (heads_line and bool(rules.duty_colon_lead.match(after) or rules.duty_colon_co.match(after)))
        if not (steered or subject):
            continue
        name = m.group(0)
        if rules.steer_start.match(name):  # 引导电网企业: the verb is not part of the class (read from after it)
            continue
        ak = rules.ask_start.match(name)
        if ak is not None:  # 请各牵头单位要…: the issuer's 请 is not the class's
            s, name = s + ak.end(), name[ak.end():]
        bm = re.search(r"由(?=[\u4e00-\u9fff]{2})", name)
        if bm is not None:  # 跨盟市项目由相关盟市能源主管部门: the body 由 names starts after it
            s, name = s + bm.end(), name[bm.end():]
        ex = None
        for ex in rules.examples_cut.finditer(name):
            pass
        surface = name
        if ex is not None:  # 互联网平台等各类市场主体: the class is what follows the examples (named by it)
            name = name[ex.end():]
        out.append(Mention(s, m.end(), surface, Resolution("", name, "class", None, None, "class-phrase", 0.6)))
    return out


def _distributive_partners(ctext: str, classes: list[Mention], g) -> list[Mention]:
    """各县（区）、新区发展改革部门: a distributive prefix and a place joined by 、 before a department named by function share
    the function — 各县（区）发展改革部门 and 新区发展改革部门, two classes (org_grammar.yaml distributive_prefixes; the function
    is the longest end of the class's name before its head that a listed body's name starts with: 发展改革 + 委)."""
    from kg.gazetteer.grammar import grammar_data

    fd = grammar_data().get("function_department") or {}
    head = fd.get("head") or "部门"
    out: list[Mention] = []
    for m in classes:
        name = m.resolution.name
        if m.start < 2 or ctext[m.start - 1] != "、" or not name.endswith(head) or name.startswith(DISTRIBUTIVE):
            continue
        p = next((p for p in DISTRIBUTIVE if ctext.endswith(p, 0, m.start - 1)), None)
        ps = m.start - 1 - len(p) if p else -1
        if p is None or (ps > 0 and ctext[ps - 1] not in load_rules().subject_breaks):
            continue
        stem = name[:-len(head)]
        function = next((stem[k:] for k in range(1, len(stem) - 1)
                         if any(stem[k:] + b in g._bodies for b in fd.get("bodies") or ())), None)
        if function is None:
            continue
        label = p + function + head
        out.append(Mention(ps, m.start - 1, p, Resolution("", label, "class", None, None, "class-phrase", 0.6, "government")))
    return out


def _etc_list_text(ctext: str, shared: list[Mention]) -> str:
    """``ctext`` as the class-phrase check reads a shared-head list: in a list of functions before 等部门 (工业和信息化、
    文化和旅游、…等部门) 和 joins the words of one function, not two parties."""
    if len(shared) > 1 and ctext.startswith("等", shared[-1].end) and "、" in ctext[shared[0].start:shared[-1].start]:
        a, b = shared[0].start, shared[-1].end
        return ctext[:a] + ctext[a:b].replace("和", "·") + ctext[b:]
    return ctext


# the qualifiers of a shared-head list opening its clause (质监、工商部门要…), joined by 、 only: 和/同 there may join two
# parties and a cue (市公安局会同经济和信息化部门做好…)
@functools.lru_cache(maxsize=None)
def _qualifier(word: str = r"[\u4e00-\u9fff]") -> str:
    """One qualifier of a list of functions sharing a head, of ``word`` characters: a function of two to eight (人力资源社会
    保障), or one with a bracket inside (文化（文物）旅游) that is no place's level with its note (各县（区）: party_patterns.yaml
    level_class levels)."""
    lv = alternation(load_rules().level_words)
    return rf"(?:{word}{{2,8}}|(?!各?(?:{lv})（){word}{{1,6}}（{word}{{1,6}}）{word}{{0,6}})"


@functools.lru_cache(maxsize=1)
def _shared_subject_quals() -> re.Pattern:
    """The qualifiers of a shared-head list opening its clause, joined by 、 only (自然资源和规划、: a function named with 和)."""
    return re.compile(rf"(?:{_qualifier()}、)+")


def _opens_clause(after: str, rules: "_Rules") -> bool:
    """Does ``after`` (what follows a class phrase at the start of its clause) make the phrase the clause's subject?"""
    if rules.subject_object_after.match(after):
        return True  # 生产和经营企业对…负主体责任, 各街镇对辖区内的违法用地进行巡查
    return (bool(rules.subject_after.match(after)) or after.startswith(("是", "依法", "按照", "负责"))) and (
        not rules.not_subject_after.match(after) or bool(rules.lead_is_after.match(after)))


def _after_group_tail(ctext: str, end: int, rules: "_Rules") -> str:
    """What follows a group after its tail (质监、工商部门等部门要… → 要…; party_patterns.yaml group_tail)."""
    tail = rules.tail_re.match(ctext[end:])
    return ctext[end + (tail.end() if tail else 0):]


def _example_bodies(ctext: str, starts: list[int], rules: "_Rules") -> list[Mention]:
    """Named examples of a class right after a cue that introduces parties (推动启航公司、宝丰大通等企业参与…), or opening a
    clause whose task follows (共产主义青年团、妇女联合会等群团组织应当…): each a body named as written (``example-list``), when
    one of them reads as an organisation's name."""
    out: list[Mention] = []
    for st in sorted(set(starts)):
        opening = st == 0 or ctext[st - 1] in rules.subject_breaks
        if not (opening or rules.steer_before.search(ctext[:st]) or ctext[:st].endswith(_CLASS_PHRASE_AFTER)):
            continue
        m = rules.example_bodies.match(ctext, st)
        if m is None or (opening and not _opens_clause(ctext[m.end():], rules)):
            continue  # (a list opening its clause names the subjects only when a cue of a task follows: 应当, 负责 …)
        items = m.group(1).split("、")
        a, _, b = items[-1].partition("和")
        if b and org_type(a) and org_type(b):  # 妇女联合会和残疾人联合会等团体: the last two joined by 和
            items[-1:] = [a, b]
        if not any(org_type(x) for x in items) or any(x.startswith(_not_initial_words()) for x in items):
            continue
        pos = st
        for x in items:
            pos = ctext.index(x, pos)
            r = Resolution("", x, "organization", None, None, "example-list", 0.45, org_type(x) or "enterprise")
            out.append(Mention(pos, pos + len(x), x, r))
            pos += len(x)
    return out


@functools.lru_cache(maxsize=1)
def _not_initial_words() -> tuple[str, ...]:
    from kg.gazetteer.grammar import grammar_data

    d = grammar_data()
    return tuple(d.get("place_not_initial") or ()) + tuple((d.get("internal") or {}).get("bare_not_initial") or ())


@functools.lru_cache(maxsize=1)
def _shared_head_re() -> re.Pattern:
    from kg.gazetteer.grammar import grammar_data

    heads = alternation(grammar_data().get("subject_class_heads") or ())
    joiner = load_rules().joiners
    word = rf"(?:(?!{joiner}|或|的)[\u4e00-\u9fff])"
    qual = _qualifier(word)  # (各县（区）、新区教育部门: a level and its note, no function)
    return re.compile(rf"((?:{qual}(?:{joiner}))+)((?:{word}|（{word}{{1,6}}）){{2,8}}?(?:{heads})|{word}{{2,8}}等{word}{{2,4}}(?:{heads}))")


def _shared_head_classes(ctext: str, s: int, rules: "_Rules") -> list[Mention]:
    """邮政、快递企业 → 邮政企业 and 快递企业: qualifiers joined by 、/和 that share the class head of the last item
    (each qualifier a bare word the gazetteer does not know as a body or class)."""
    m = _shared_head_re().match(ctext, s)
    if m is None:
        return []
    last = m.group(2)
    head = next(h for h in sorted(_subject_class_heads(), key=len, reverse=True) if last.endswith(h))
    quals = [x for x in re.split(rules.joiners, m.group(1)) if x]
    words = m.group(1) + last[:-len(head)]
    if head in rules.shared_etc_heads and (_is_department_compound(words) or _is_department_compound(
            re.sub(r"^[省市区县]", "", re.sub(r"(?:行政)?主管$", "", words)))):  # 市住房和城乡建设主管部门: one department
        whole = ctext[m.start():m.end(2)]  # 经济和信息化部门: one department whose function is named with 和
        return [Mention(m.start(), m.end(2), whole, Resolution("", whole, "class", None, None, "class-phrase", 0.6))]
    etc = _etc_list_re().fullmatch(last)
    limit = rules.shared_head_max
    if etc is not None and not _NOT_IN_CLASS_PHRASE.search(etc.group(1)):
        # 应急管理、消防救援、市场监管等部门: the head after 等 is every qualifier's; in such a list 、 alone separates the
        # functions (工业和信息化、自然资源和规划、…等部门), and a rule may name many of them
        if "、" in m.group(1):
            quals = [x for x in (m.group(1) + etc.group(1)).split("、") if x]
        elif _is_department_compound(re.sub(r"^[省市区县]", "", m.group(1) + etc.group(1))):
            quals = [m.group(1) + etc.group(1)]  # 市人力资源和社会保障等部门: one function named with 和
        else:
            quals.append(etc.group(1))
        last, limit, head = "", rules.shared_etc_max, etc.group(2)
    elif len(quals) + 1 > rules.shared_head_max or _NOT_IN_CLASS_PHRASE.search(last) or "等" in last:
        return []  # 康养、教育、娱乐等领域企业: examples of a field, not qualifiers of one head
    if len(quals) + (1 if last else 0) > limit:
        return []
    g = default_gazetteer()
    heads = (*_subject_class_heads(), *rules.class_list_heads)
    out, pos = [], s
    for k, qual in enumerate(quals):
        # (after the first, a function before 等部门 may be a verb's word: …、城乡规划、建设等行政管理部门 → 建设行政管理部门)
        verb = rules.steer_start.match(qual) or rules.directive.match(qual)
        if any(h in qual for h in heads) or g.resolve(qual, None) is not None or (verb and (etc is None or k == 0)) \
                or _NOT_A_QUALIFIER.search(qual):
            return []  # 负荷企业牵头、会同电源企业 / 开展校园和国有企业 / 由其对生产、流通企业进行…: not bare qualifiers
        # 会同公安、法院、检察机关: a qualifier that is a body's name by its own head (法院, 检察院) does not take the head
        name = qual if org_type(qual) else qual + head
        out.append(Mention(pos, pos + len(qual), qual, Resolution("", name, "class", None, None, "class-phrase", 0.6)))
        pos += len(qual) + 1
    if last:
        out.append(Mention(m.start(2), m.end(2), last, Resolution("", last, "class", None, None, "class-phrase", 0.6)))
    return out


# a pronoun or a preposition inside a qualifier: the words before the list are no function (由其对生产、流通企业进行溯源治理 —
# the enterprises are what 其 acts on, not a class 其对生产企业: a trial district plan, spec p31-01)
_NOT_A_QUALIFIER = re.compile(r"^[其该此]|[的对在向从把被将为就]")


def _is_department_compound(words: str) -> bool:
    """Is ``words`` (经济和信息化, 人力资源和社会保障) one function joined by 和 that a body's name starts with
    (经济和信息化委员会, 人力资源和社会保障局 in the gazetteer's templates)?"""
    if "和" not in words or re.search(r"[、，,]", words):
        return False
    return any(k.startswith(words) and len(k) > len(words) for k in default_gazetteer()._bodies)


@functools.lru_cache(maxsize=1)
def _subject_class_heads() -> tuple[str, ...]:
    from kg.gazetteer.grammar import grammar_data

    return tuple(grammar_data().get("subject_class_heads") or ())


@functools.lru_cache(maxsize=1)
def _zone_subject() -> re.Pattern:
    from kg.gazetteer.grammar import ZONE_HEADS

    return re.compile(rf"[\u4e00-\u9fff]{{2,8}}?(?:{alternation(ZONE_HEADS)})")


def _place_subjects(ctext: str, starts: list[int], jurisdiction: str | None) -> list[Mention]:
    """A place or zone named as the subject of a task at the start of a clause (金山区加快…, 临港新片区加快…,
    青浦区重点推进…): its government or management committee, when the gazetteer knows it
    (``place-subject``)."""
    rules, g = load_rules(), default_gazetteer()
    out: list[Mention] = []
    for st in sorted(set(starts)):
        en = rules.enumerator.match(ctext[st:])
        s = st + (en.end() if en else 0)
        hit = g._prefix_trie.longest(ctext, s)
        cands = []
        if hit is not None and hit[1].name == ctext[s:hit[0]]:  # the full name (金山区), not a short form
            cands.append((hit[0], ("人民政府",)))
        z = _zone_subject().match(ctext, s)
        if z is not None:
            cands.append((z.end(), ("管委会", "管理委员会")))
        for e, heads in cands:
            after = ctext[e:]
            if not rules.subject_after.match(after) or rules.not_subject_after.match(after):
                continue
            r = next((x for x in (g.resolve(ctext[s:e] + h, jurisdiction) for h in heads) if x is not None), None)
            if r is not None and r.party_type == "organization":
                out.append(Mention(s, e, ctext[s:e], Resolution(r.id, r.name, r.party_type, r.level, r.jurisdiction,
                                                                "place-subject", r.confidence * 0.8, r.org_type)))
                break
    return out


@functools.lru_cache(maxsize=4)
def _break_re(breaks: str) -> re.Pattern:
    return re.compile(f"[{re.escape(breaks)}]")


def _name_starts(ctext: str, rules: _Rules) -> list[int]:
    """Where a party's name may start: the text's start, after a clause break, a list joiner or a
    cue that introduces a party (会同, 由, 支持 …; party_patterns.yaml)."""
    starts = [0] + [m.end() for m in _break_re(rules.clause_breaks).finditer(ctext)]
    for m in rules.name_start_after.finditer(ctext):
        # after 和/及/与 only when a name ends right before (久事集团和申通地铁集团), never inside one
        # (发展和改革委员会)
        # (or a class's head or a distributive prefix: 虚拟电厂运营商和相关电力用户, 对各区及行业单位加强指导)
        if len(m.group(0)) > 1 or m.group(0) == "、" or (m.start() > 0 and ctext[m.start() - 1] in FINAL_CHARS) \
                or ctext.endswith(rules.class_list_heads + DISTRIBUTIVE, 0, m.start()) or not rules.joiner_re.match(m.group(0)):
            starts.append(m.end())
    return starts


def _grammar_mentions(ctext: str, jurisdiction: str | None, starts: list[int] | None = None) -> list[Mention]:
    """Organisation names the gazetteer does not list, read by the name grammar where a name can
    start (kg/ontology/org_grammar.yaml): relative names canonicalised by the jurisdiction's place
    name (``jurisdiction-prefix-unlisted``), other names kept as written (``org-grammar``), no id,
    low confidence.  ``starts``: :func:`_name_starts` of ``ctext``, when the caller has them."""
    if starts is None:
        starts = _name_starts(ctext, load_rules())
    return default_gazetteer().find_orgs(ctext, jurisdiction, starts, overlapping=True)


# ---------------------------------------------------------------------------- extraction
@dataclass
class _Hit:
    mention: Mention
    role: str
    rule: str
    conf: float


def extract_parties(text: str, ctx: DocContext) -> list[Party]:
    """Parties named (or implied) by ``text``; offsets into ``text``."""
    rules = load_rules()
    ctext, pos = _compact(text)
    if not ctext:
        return []
    mentions = find_mentions(ctext, ctx.jurisdiction, ctx.aliases)
    hits: list[_Hit] = []
    used: set[int] = set()

    # 1. responsibility lists: （责任单位：A、B）, 牵头单位：A；配合单位：B
    lead_list_end = -1
    for m in rules.label_re.finditer(ctext):
        role = rules.label_role[m.group("label")]
        b0, b1 = m.span("body")
        if role == "responsible" and lead_list_end >= 0 and not _break_re("）)。\n").search(ctext, lead_list_end, m.start()):
            role = "co"  # 牵头部门：A；实施部门：B — the second list assists
        if role == "lead":
            lead_list_end = b1
        inside = [x for x in mentions if b0 <= x.start and x.end <= b1]
        extra = _unresolved_items(ctext, b0, b1, inside, role, rules, ctx.jurisdiction)  # may drop from inside
        items = sorted([_Hit(x, "", "label-list", 0.0) for x in inside] + extra, key=lambda h: h.mention.start)
        items = _with_divisions(_without_twins(items, ctext, rules), ctext, rules, ctx)
        for h, r in zip(items, _list_roles(items, ctext, b1, role, rules)):
            conf = h.conf or rules.conf["label_lead" if r == "lead" else "label_co"]
            hits.append(_Hit(h.mention, r, "label-list", conf))
            used.add(h.mention.start)

    # 1b. the same lists without their label: a bracket of nothing but bodies after a task
    for b0, b1 in _bare_lists(ctext, mentions, used, rules):
        inside = [x for x in mentions if b0 <= x.start and x.end <= b1]
        extra = _unresolved_items(ctext, b0, b1, inside, "responsible", rules, ctx.jurisdiction)
        items = _covers(ctext, b0, b1, sorted([_Hit(x, "", "bare-list", 0.0) for x in inside] + extra,
                                              key=lambda h: h.mention.start), rules)
        if items is None:
            continue
        items = _with_divisions(items, ctext, rules, ctx)
        own = next((c for c in rules.bare_list_own_cues if ctext.endswith(c, b0, b1)
                    and ctext[items[-1].mention.end:b1 - len(c)] in ("", "等")), None)
        b1 = b1 - len(own) if own else b1  # （A、B负责）: the list's order, not a lead cue for B
        for h, r in zip(items, _list_roles(items, ctext, b1, "responsible", rules)):
            conf = (h.conf or rules.conf["label_lead" if r == "lead" else "label_co"]) * rules.conf["bare_list"]
            hits.append(_Hit(h.mention, r, "bare-list", conf))
            used.add(h.mention.start)

    # 2. groups of mentions and the cues around them; a body's second name in brackets (市发展改革委（市能源局）: one
    # office, two names) is part of the body's name: it does not break its group, and is not a party of its own
    free = [m for m in mentions if m.start not in used]
    twins: dict[int, Mention] = {}
    for a, b in zip(free, free[1:]):
        if b.start == a.end + 1 and ctext[a.end] in "（(" and ctext[b.end:b.end + 1] in ("）", ")") \
                and a.resolution.party_type == b.resolution.party_type == "organization" and a.start not in twins.values():
            twins[a.end] = b
    free = [m for m in free if m not in twins.values()]
    led_at = -1  # where the last group given the lead by 牵头 ended (A牵头，B、C按职责分工负责: B, C assist)
    for group in _groups(free, ctext, rules, twins):
        g0, g1 = group[0].start, group[-1].end
        # 各街镇 各街镇是…: a name written twice side by side (a table's cell, then its text) is one member
        group = [x for k, x in enumerate(group) if k == 0 or ctext[group[k - 1].end:x.start].strip() != ""
                 or (x.resolution.id or x.resolution.name) != (group[k - 1].resolution.id or group[k - 1].resolution.name)]
        cstart = _clause_start(ctext, g0, rules)
        # 引导更多X: 引导 steers X; 引导企业、高校…: the items before the group are its list's too
        before = rules.quantifier_end.sub("", ctext[cstart:g0])
        if group[0].resolution.party_type == "class":
            # 鼓励各类金融机构, 本市行业管理部门要…: the class's own scope word; before a class named with 各 only after a
            # steering verb (鼓励本市各有关单位…; 全市各区推进… stays no subject)
            scoped = rules.scope_end.sub("", before)
            if not group[0].surface.startswith("各") or rules.steer_before.search(scoped):
                before = scoped
        if before.endswith(rules.list_owner_words) and before[:-2].endswith(_CLASS_PHRASE_AFTER):
            before = before[:-2]  # 会同同级发展改革、…等部门: 同级 says whose departments follow the cue
        before = rules.by_modifier_end.sub("", rules.steer_object_skip_end.sub(r"\1", before))
        if group[0].resolution.party_type == "class" and rules.subject_qualifier.match(before):
            before = ""  # 具备较好光伏开发条件的国有企业和学校结合…: the class opens its clause
        if group[0].resolution.party_type == "class" and ctext.startswith("等", group[-1].end) \
                and _list_owner_end(ctext, g0 - len(before), rules) == g0:
            before = ""  # 县级以上人民政府发展改革、…等部门: the governments only say whose departments open the clause
        # 鼓励幼儿园、中小学与高校…: the items before the group after the verb (the verb stays); else 企业、高校要…
        before = rules.steered_items_end.sub(r"\1", before) if rules.steered_items_end.search(before) \
            else rules.list_items_end.sub("", before)
        ex = rules.examples_before.match(ctext, cstart) if group[0].resolution.party_type == "class" else None
        if ex is not None and ex.end() == g0 and _plain_examples(ex.group(0)):
            before = ""  # 电力、电视、通信等各类管线运营单位应当…: the examples before the class are part of its subject
        if g1 in twins:
            g1 = twins[g1].end + 1
        tail = rules.tail_re.match(ctext[g1:])
        after = ctext[g1 + (tail.end() if tail else 0):]
        roles = _group_roles(before, after, rules)
        if roles is None:
            roles = _bare_subject(group, before, after, rules)
        if roles is None:
            continue
        kind, rule, conf = roles
        if kind == "all-lead" and rules.all_lead_after.match(after) and led_at >= 0 \
                and not _break_re(rules.sentence_breaks).search(ctext, led_at, g0):
            kind, rule, conf = "co", "co-cue", rules.conf["co_cue"]  # after a 牵头 body in the same sentence
        if rules.lead_after.match(after):
            led_at = g1
        collective = all(x.resolution.party_type == "class" and x.surface.startswith(rules.collective_prefixes)
                         and not x.surface.endswith(rules.collective_not_heads) for x in group)
        if kind in ("list", "all-lead") and rule.startswith("subject") and (collective or _government_classes(group)) \
                and not rules.class_assign_after.match(after):
            kind, rule, conf = "actor", "class-subject", rules.conf["steer"]
        elif kind == "list" and rules.ask_before.search(before) and all(x.resolution.party_type == "class" for x in group) \
                and not rules.class_assign_after.match(after):
            kind, rule, conf = "actor", "steer-cue", rules.conf["steer"]  # 请各相关单位高度重视: asked, not assigned
        # 各涉农区政府、光明集团等有关单位要…: in a subject list, a class of government bodies is told what to do (actor)
        # and the bodies named with it make up the list (the first of them leads)
        told = [kind in ("list", "all-lead") and rule.startswith("subject") and not rules.class_assign_after.match(after)
                and _government_classes([x]) for x in group]
        k = 0
        for x, t in zip(group, told):
            named = rules.role_named_classes.get(x.resolution.id) if x.resolution.party_type == "class" else None
            if named and (t or kind == "actor" or rule.startswith("subject")) and rule != "steer-cue" or \
                    named and rule == "steer-cue" and rules.ask_before.search(before):
                hits.append(_Hit(x, named, "role-named-class", rules.conf["steer"]))  # 各牵头单位要…: its role's name
                continue
            if t:
                hits.append(_Hit(x, "actor", "class-subject", rules.conf["steer"]))
                continue
            role = "lead" if kind == "all-lead" else kind if kind != "list" else ("lead" if k == 0 else "co")
            k += 1
            hits.append(_Hit(x, role, rule, conf if role != "co" or kind == "co" else min(conf, rules.conf["co_cue"])))


    parties = [_party(h, text, pos) for h in hits]
    # the issuer is implied only when nobody is named to act: no lead, no class told what to do
    acting = any(p.role == "lead" for p in parties) or any(h.rule == "class-subject" for h in hits)
    if not acting and ctx.issuers and _is_directive(ctext, rules):
        parties.append(_implied(ctx, rules))
    return _dedupe(parties)


def _without_twins(items: list[_Hit], ctext: str, rules: _Rules) -> list[_Hit]:
    """A list's items without a government body's second name in brackets right after it (责任单位：市发展改革委（市能源局）、
    市财政局: one office under two names, as in running text; a party organ sharing the office too, 区民政局（区委社会工委）:
    party_patterns.yaml twin_org_types) — a bracketed body of another type stays (市政府办公厅（市大数据中心）), and so does a
    division (市交通委（科信处）: _with_divisions)."""
    out: list[_Hit] = []
    for h in items:
        m = h.mention
        if out and m.start == out[-1].mention.end + 1 and ctext[m.start - 1] in "（(" \
                and ctext[m.end:m.end + 1] in ("）", ")") \
                and m.resolution.org_type in rules.twin_org_types and out[-1].mention.resolution.org_type in rules.twin_org_types \
                and m.resolution.party_type == out[-1].mention.resolution.party_type == "organization" \
                and not rules.division_re.search(m.surface):
            continue
        out.append(h)
    return out


def _bare_lists(ctext: str, mentions: list[Mention], used: set[int], rules: _Rules) -> list[tuple[int, int]]:
    """Spans (inside the brackets) of brackets that may be unlabelled responsibility lists: holding at least one
    mention and none already read, not right after a name (国家能源局（以下简称…）, 市交通委（科信处）)."""
    out = []
    ends = {m.end for m in mentions}
    for m in rules.bare_bracket_re.finditer(ctext):
        b0, b1 = m.start() + 1, m.end() - 1
        inside = [x for x in mentions if b0 <= x.start and x.end <= b1]
        if not inside or any(x.start in used for x in inside) or m.start() in ends \
                or ctext.startswith(rules.bare_list_not_start, b0):
            continue
        before = ctext[:m.start()].rstrip(" ")
        after = ctext[m.end():].lstrip(" ")
        if before and before[-1] not in rules.bare_list_before and after and after[0] not in rules.bare_list_after:
            continue  # 鼓励企业（…）参与: a bracket inside a sentence explains, it does not assign
        out.append((b0, b1))
    # a text that ends inside its last bracket (a page cut off: …确保无缝衔接。（市政府办公室、市): the list as far as it
    # goes — up to its last name, a short fragment after it dropped
    opened = max(((ctext.rfind(o), c) for o, c in rules.bare_list_pairs), default=(-1, ""))
    if opened[0] >= 0 and opened[1] not in ctext[opened[0]:] and ctext[:opened[0]].rstrip(" ")[-1:] in rules.bare_list_before \
            and ctext[:opened[0]].strip():
        b0 = opened[0] + 1
        inside = [x for x in mentions if b0 <= x.start]
        if inside and not any(x.start in used for x in inside) and not ctext.startswith(rules.bare_list_not_start, b0):
            b1 = inside[-1].end
            rest = ctext[b1:].strip(rules.bare_list_separators + " ")
            if rules.all_lead_after.match(rest) or rules.lead_after.match(rest) or rules.co_after.match(rest) \
                    or rest in rules.bare_list_own_cues:
                out.append((b0, len(ctext.rstrip(" "))))  # the list's own cue before the cut: read with it
            elif len(rest) <= rules.bare_list_cut_max and not any(c in rest for c in rules.bare_list_separators):
                out.append((b0, b1))
    return out


def _covers(ctext: str, b0: int, b1: int, items: list["_Hit"], rules: _Rules) -> list["_Hit"] | None:
    """Do the items fill the bracket, with only separators, joiners and a closing 等 (or the list's own cue) between
    them, and is one of them an organisation (a bracket of classes alone, （企业、高校）, may be examples)?  Returns
    the items, with the few names nothing read (国网山西电力) added as unresolved bodies; None when it is no list."""
    if not items or not any(h.mention.resolution.party_type == "organization" for h in items):
        return None
    seps = rules.bare_list_separators + " "
    unread: list[tuple[int, str]] = []
    pos = b0
    for h in items:
        gap = ctext[pos:h.mention.start]
        if gap.strip(seps) not in ("", "等") and not rules.joiner_re.match(gap) \
                and not _is_list_cue(rules.bare_list_tail.sub("", gap.strip(seps)), rules):
            # A、B等有关部门: 等 ends the names; A牵头，B、C…: the list's own cue between its groups
            for part in re.finditer(rf"[^{re.escape(seps)}]+", gap):
                if rules.bare_list_tail.fullmatch(part.group(0)):
                    continue  # …、国动办等部门，各省辖市政府…: a group's closing 等部门 names no one more
                unread.append((pos + part.start(), part.group(0)))
        pos = max(pos, h.mention.end)
    rest = ctext[pos:b1]
    lead = len(rest) - len(rest.lstrip(seps))
    rest = rest.strip(seps)
    tail = rules.bare_list_tail.match(rest)
    k = tail.end() if tail else 0
    cue = rest[k:]
    if cue and not (rules.all_lead_after.match(cue) or rules.lead_after.match(cue) or rules.co_after.match(cue)
                    or cue in rules.bare_list_own_cues):
        m = re.match(rf"([^{re.escape(seps)}]+?)等(.*)$", rest)  # …、国网山西电力等按照职责分工负责
        if m and (rules.all_lead_after.match(m.group(2)) or rules.lead_after.match(m.group(2))):
            unread.append((pos + lead, m.group(1)))
        elif re.fullmatch(rf"[^{re.escape(seps)}]{{1,12}}等?", rest):  # the last item is unread: …、昆明海关
            unread.append((pos + lead, rest.removesuffix("等")))
        else:
            return None
    # an unread rest glued to a name read before it is one name (国网 + 山西电力 → 国网山西电力)
    for n, (us, w) in enumerate(unread):
        glued = next((h for h in items if h.mention.end == us), None)
        if glued is not None:
            items = [h for h in items if h is not glued]
            unread[n] = (glued.mention.start, glued.mention.surface + w)
    cue_inside = [re.compile(r.pattern.removeprefix("^")) for r in (rules.lead_after, rules.co_after, rules.all_lead_after)]
    if len(unread) > rules.bare_list_unread_share * (len(items) + len(unread)) \
            or any(len(w) > 12 or not re.fullmatch(r"[\u4e00-\u9fff（）()]+", w) or any(c.search(w) for c in cue_inside)
                   for _, w in unread):
        return None  # …区交通局按职责牵头，…配合: the list's cues, read by the cue rules, not unread names
    extra = [_Hit(Mention(s, s + len(w), w, Resolution("", w, "organization", None, None, "unresolved", 1.0, org_type(w))),
                  "", "bare-list", rules.conf["label_unresolved"]) for s, w in unread]
    return sorted(items + extra, key=lambda h: h.mention.start)


def _with_divisions(items: list[_Hit], ctext: str, rules: _Rules, ctx: DocContext | None = None) -> list[_Hit]:
    """Internal divisions in a list (市交通委科技信息处、港务监管处): a body's mention followed at once by a
    division (科技信息处) is one party named body + division; a bare division later in the list, joined to
    the one before it, belongs to the same body.  A bare division with no body before it, in a document of
    one issuing body, is that body's own (设施养护处 in a 市交通委 plan → 上海市交通委员会设施养护处)."""
    out: list[_Hit] = []
    parent: Resolution | None = None
    own = _issuer_body(ctx)
    for h in items:
        m = h.mention
        division = bool(rules.division_re.search(m.surface)) and m.resolution.method in ("org-grammar", "unresolved")
        prev = out[-1].mention if out else None
        if division and prev is not None and ctext[prev.end:m.start] in ("", "（", "(") \
                and prev.resolution.party_type == "organization" and prev.resolution.method != "division-of-body":
            parent, start = prev.resolution, prev.start
            out.pop()
        elif division and parent is not None and _between_is_joiner(ctext, out, m, rules):
            start = m.start
        elif division and own is not None and not (m.prefix or "") and not m.surface.startswith(("市", "区", "县", "省")):
            parent, start = own, m.start
        else:
            parent = None
            out.append(h)
            continue
        r = Resolution("", parent.name + m.surface, "organization", parent.level, parent.jurisdiction,
                       "division-of-body", 0.8, parent.org_type)
        out.append(_Hit(Mention(start, m.end, ctext[start:m.end], r), h.role, h.rule, h.conf))
    return out


def _issuer_body(ctx: DocContext | None) -> Resolution | None:
    """The document's one issuing body, when it has exactly one and the gazetteer knows it as a government body."""
    if ctx is None or len(ctx.issuers) != 1:
        return None
    r = default_gazetteer().resolve(ctx.issuers[0], ctx.jurisdiction)
    return r if r is not None and r.party_type == "organization" and r.org_type in ("government", None) else None


def _between_is_joiner(ctext: str, out: list[_Hit], m: Mention, rules: _Rules) -> bool:
    if not out:
        return False
    between = ctext[out[-1].mention.end:m.start]
    return bool(rules.joiner_re.match(between))


def _list_roles(items: list[_Hit], ctext: str, b1: int, role: str, rules: _Rules) -> list[str]:
    """Roles of the items of a responsibility list (label ``role``: lead | co | responsible).

    A 牵头单位 list leads, a 配合单位 list assists.  In a 责任单位 list the first named leads and the
    rest assist, unless the list itself says otherwise: ``A牵头，B、C配合``, ``A会同B``, ``A、B按职责
    分工负责`` (every member leads) — cues read after each group of items (A、B和C) as in running text."""
    if role != "responsible":
        return [role] * len(items)
    if not items:
        return []
    groups: list[list[int]] = [[0]]
    for k in range(1, len(items)):
        between = ctext[items[k - 1].mention.end:items[k].mention.start]
        if between in ("", "等") or rules.joiner_re.match(between):  # A、B等有关部门按职责分工负责: one group
            groups[-1].append(k)
        else:
            groups.append([k])
    cues: list[str | None] = []
    prev_end = None
    for g in groups:
        g0, g1 = items[g[0]].mention.start, items[g[-1]].mention.end
        nxt = items[g[-1] + 1].mention.start if g[-1] + 1 < len(items) else b1
        tail = rules.tail_re.match(ctext[g1:nxt])
        after = ctext[g1 + (tail.end() if tail else 0):nxt].lstrip("，,")
        raw = ctext[g1:nxt]
        bt = rules.bare_list_tail.match(raw)
        if bt is not None and rules.all_lead_after.match(raw[bt.end():]):
            after = raw[bt.end():]  # A、B等省直涉及部门按照职责分工负责
        before = ctext[prev_end:g0] if prev_end is not None else ""
        prev_end = g1
        if rules.all_lead_after.match(after):
            cues.append("all-lead")
        elif rules.lead_after.match(after):
            cues.append("lead")  # A、B牵头: each is a 牵头 body
        elif after.startswith(("负责", "会同", "联合")):
            cues.append("first-lead")
        elif rules.co_after.match(after) or (before and rules.co_before.search(before)):
            cues.append("co")
        else:
            cues.append(None)
    # 按职责分工负责 after a group covers the groups before it that have no cue of their own (A、B，各省辖市政府，C、D管委会
    # 按职责分工负责: every one leads); after a 牵头 group the groups 按职责分工负责 assist (A牵头，B、C按职责分工负责)
    for n in range(len(cues) - 1, 0, -1):
        if cues[n] == "all-lead" and cues[n - 1] is None:
            cues[n - 1] = "all-lead"
    led = False
    for n, c in enumerate(cues):
        if c == "lead":
            led = True
        elif c == "all-lead" and led:
            cues[n] = "co"
    out = ["co"] * len(items)
    if not any(cues):  # no cue: the first named leads, the rest assist
        out[0] = "lead"
        return out
    lead_cued = any(c in ("lead", "first-lead", "all-lead") for c in cues)
    for n, (g, c) in enumerate(zip(groups, cues)):
        if c in ("all-lead", "lead"):
            for k in g:
                out[k] = "lead"
        elif c == "first-lead" or (c is None and n == 0 and not lead_cued):
            out[g[0]] = "lead"
    return out


def _group_roles(before: str, after: str, rules: _Rules) -> tuple[str, str, float] | None:
    """(role or "list", rule, confidence) for a group from the text before (in its clause) and after."""
    c = rules.conf
    at_start = before == "" or rules.enumerator.fullmatch(before) is not None or before in ("请", "并", "同时")
    if (at_start or rules.by_before.search(before)) and rules.all_lead_after.match(after):
        return "all-lead", "lead-cue", c["lead_cue"]
    if at_start and rules.duty_colon_co.match(after):  # 区经济信息委、区住房城乡建委：负责配合…
        return "co", "co-cue", c["co_cue"]
    if at_start and rules.duty_colon_lead.match(after):  # 区生态环境局：负责…; A、B：负责… is one list (the first leads)
        return "list", "lead-cue", c["lead_cue"]
    if rules.oversee_before.search(before) and rules.oversee_after.match(after):
        return "actor", "steer-cue", c["steer"]  # 对各区加强指导, 加强对重点用能单位的管理和指导
    if rules.not_by.search(before):
        return None  # 不得由电网企业代理购电: nobody is given the task
    if rules.person_after.match(after):
        return None  # 由项目提出部门负责人提供…: a person of the body acts
    if rules.by_before.search(before) and rules.lead_after.match(after):
        return "all-lead", "lead-cue", c["lead_cue"]  # 由A、B牵头: each is a 牵头 body (as A、B牵头 without 由)
    if rules.by_before.search(before) and after.startswith(("负责", "承担", "组织")):
        return ("all-lead" if rules.by_each_before.search(before) else "list"), "lead-cue", c["lead_cue"]
    if rules.by_before.search(before) and after.startswith(_WITH_CUES):
        return "list", "lead-cue", c["subject_strong"]  # 由街镇会同停车经营服务企业对…的…予以公示: X会同Y, X leads (p31-14)
    if rules.by_before.search(before) and _CJK.match(after) and not rules.by_not_after.match(after) \
            and "的" not in _break_re(rules.clause_breaks).split(after, 1)[0]:
        return "list", "lead-cue", c["subject_strong"]  # 由X发起征询, 由X统一提供: X acts (由X投资建设的项目: no)
    if rules.lead_after.match(after):
        return "all-lead", "lead-cue", c["lead_cue"]  # A、B牵头…: each is a 牵头 body
    if rules.lead_is_after.match(after):
        return "all-lead", "lead-cue", c["lead_cue"]  # A和B是…的责任主体: each is one (as A、B牵头)
    if rules.co_after.match(after) and not rules.steer_before.search(before):  # 鼓励X积极参与: X is steered
        return "co", "co-cue", c["co_cue"]
    if rules.lead_before.search(before):  # A配合B做好…: B leads; A配合B、C…: each body A assists leads
        return "all-lead", "lead-cue", c["lead_cue"]
    if rules.co_before.search(before) or (rules.with_before.search(before) and rules.co_with_after.match(after)):
        return "co", "co-cue", c["co_cue"]
    if rules.steer_before.search(before) and (rules.steer_agent_before.search(before) or not (
            rules.not_agent_after.match(after) or (after.startswith("的") and rules.thing_verb.search(before)))):
        # 推进/推动 take things as often as bodies: 推进医疗机构5G应用试点 steers no one
        return "actor", "steer-cue", c["steer"]
    if at_start and rules.subject_object_after.match(after) and not rules.reported_after.match(after):
        return "list", "subject", c["subject"]  # 各街镇对辖区内的违法用地进行巡查
    if at_start and rules.subject_with_after.match(after):
        return "list", "subject", c["subject"]  # 区委政法委、区司法局与人民法院开展…联动
    if at_start and rules.all_lead_modal_after.match(after):
        return "all-lead", "subject-cue", c["subject_strong"]  # A、B要按照职责分工，…: each acts within its duties
    if at_start and not rules.not_subject_after.match(after):
        m = rules.subject_after.match(after)
        if m and m.group(0) in rules.subject_strong:
            return "list", "subject-cue", c["subject_strong"]
        if m:
            return "list", "subject", c["subject"]
    return None


_CJK = re.compile(r"[\u4e00-\u9fff]")
_WITH_CUES = ("会同", "联合")  # X会同Y: X leads, Y assists (tests/ANNOTATION.md)


def _bare_subject(group: list[Mention], before: str, after: str, rules: _Rules) -> tuple[str, str, float] | None:
    """Named bodies opening a clause that gives a task, with no cue word after them (区发展改革委整体部署…,
    市数据局统筹…): the subject, at a lower confidence than a cued one; a class named with 各 so (各行业相关管理机构
    利用…加强…) is the collective told what to do."""
    at_start = before == "" or rules.enumerator.fullmatch(before) is not None
    if not at_start or not _CJK.match(after) or rules.not_subject_after.match(after) or rules.modifier_after.match(after):
        return None
    if any(m.resolution.party_type != "organization" and m.resolution.method != "distributive-class"
           and not (m.resolution.method == "class-phrase" and m.surface.startswith(rules.collective_prefixes)
                    and not m.surface.endswith(rules.collective_not_heads)) for m in group):
        return None
    if not _directive_clause(after, rules):
        return None
    return "list", "subject", rules.conf["subject_bare"]


def _directive_clause(after: str, rules: _Rules) -> bool:
    """Does the clause ``after`` opens give a task (a directive verb, and no definition or retrospective statement)?"""
    clause = after[:_break_re(rules.clause_breaks).search(after + "。").start()]
    return bool(rules.directive.search(clause)) and not rules.not_directive.search(clause)


def _government_classes(group: list[Mention]) -> bool:
    g = default_gazetteer()
    for m in group:
        if m.resolution.method in ("distributive-class", "level-class"):  # 各区发展改革委: every district's commission
            continue
        if m.resolution.method == "class-phrase":
            if m.resolution.name.endswith(("部门", "机关")):  # 卫生健康部门, 有关主管部门 (质监、工商部门: 质监 names 质监部门)
                continue
            return False  # 建设单位, 网络服务提供者: bodies of any kind named by function
        c = g.actor_class(m.resolution.id) if m.resolution.party_type == "class" else None
        if c is None or not c.government:
            return False
    return True


def _groups(mentions: list[Mention], ctext: str, rules: _Rules, twins: dict | None = None) -> list[list[Mention]]:
    groups: list[list[Mention]] = []
    tail_end = -1  # where the closing 等… of the last group ends, when a list goes on after it
    for m in mentions:
        prev_end = groups[-1][-1].end if groups else None
        if twins and prev_end in twins:
            prev_end = twins[prev_end].end + 1  # 市发展改革委（市能源局）、市工信局: the bracket is the body's
        if groups and tail_end > prev_end:
            prev_end = tail_end
        between = ctext[prev_end:m.start] if groups else None
        tm = rules.tail_re.match(ctext[prev_end:]) if groups and ctext.startswith("等", prev_end) else None
        tail = prev_end + tm.end() if tm is not None else None
        if tail is not None and m.resolution.party_type == "class" and m.start == prev_end + 1 and tail == m.end \
                and rules.joiner_re.match(ctext[m.end:m.end + 1] or "-"):
            # 组织省电力公司等相关单位和各市场主体…: the group's closing 等相关单位 is no party of its own, and the list goes on
            # after it (the member after the joiner is the list's)
            tail_end = m.end
            continue
        if tail is not None and prev_end + 1 < tail < m.start and rules.joiner_re.match(ctext[tail:m.start]):
            between = ctext[tail:m.start]  # 市发展改革委等部门和各区政府要…: one list across the closing 等部门
        # names side by side (only whitespace between them in the text: 上海市交通委员会  上海市发展和
        # 改革委员会) are a list as much as names joined by 、
        if groups and (between == "" or rules.joiner_re.match(between)):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def _clause_start(ctext: str, i: int, rules: _Rules) -> int:
    j = i
    while j > 0 and ctext[j - 1] not in rules.clause_breaks:
        j -= 1
    return j


def _is_directive(ctext: str, rules: _Rules) -> bool:
    if rules.not_directive.search(ctext):
        return False
    return bool(rules.directive.search(ctext) or rules.target_marker.search(ctext))


# items of a list: split on 、，, and on 和/及 only right after a complete body name (…局和…), never
# inside a name (工业和信息化厅, 住房和城乡建设厅, 人力资源和社会保障厅)
_LIST_ITEM = re.compile(
    rf"(?:[^、，,和及]|(?<![{re.escape(FINAL_CHARS)}])[和及])+")


_CLASS_ITEM_HEADS = ("部门", "单位", "机构", "主体", "企业", "公司")
_CLASS_OPENERS = CLASS_OPENERS  # org_grammar.yaml class_openers: 各, 有关, 相关 (kg.gazetteer.grammar)


def _shared_org_head_items(ctext: str, b0: int, b1: int, rules: _Rules,
                           jurisdiction: str | None = None) -> dict[int, tuple[str, str]]:
    """Places or zones joined by 、 before an item ending in a government body's head share that head: in
    郑州、洛阳、南阳、商丘市政府, 郑州 is 郑州市政府; in 济源示范区、航空港区管委会, 济源示范区 is 济源示范区管委会.
    {start of the bare item: (its surface, the name it stands for)}; the last item is read as usual."""
    g = default_gazetteer()
    items = [(b0 + m.start(), m.group(0)) for m in _LIST_ITEM.finditer(ctext[b0:b1])]
    out: dict[int, tuple[str, str]] = {}
    run: list[tuple[int, str]] = []
    for n, (s, item) in enumerate(items):
        cut = _list_cue_at(item, rules)
        item = item[:cut] if cut is not None else item
        head = next((h for h in rules.shared_org_heads if item.endswith(h) and len(item) > len(h)), None)
        if head is not None and run and not item.startswith(_CLASS_OPENERS) \
                and not any(rules.division_re.search(q) for _, q in run):  # 计划财务处、各区政府: no places
            level = head[0] if head[0] in "市县区" else ""
            names = [(rs, q, (q[:-1] if level and q.endswith(level) else q) + head) for rs, q in run]
            # each qualifier with the head names a place's government (郑州 + 市政府) or, before a zone's 管委会, the
            # qualifier is a zone (…区)
            if all(g.place(q) is not None or (level and g.resolve(name, jurisdiction) is not None)
                   or (not level and q.endswith("区")) for _, q, name in names):
                out.update({rs: (q, name) for rs, q, name in names})
        joined = n + 1 < len(items) and ctext[s + len(items[n][1]):items[n + 1][0]] == "、"
        known = g.resolve(item, jurisdiction)  # 新乡 ends like a township (乡) but names no body
        bare = 2 <= len(item) <= 8 and (known is None or known.party_type != "organization")
        run = run + [(s, item)] if bare and joined else []
    return out


def _list_cue_at(item: str, rules: _Rules) -> int | None:
    """Where a list's own cue, glued to its last name and running to the item's end, begins (财政厅按职责分工负责 → 3,
    省工业和信息化厅牵头 → 8); None when there is none (省级牵头部门: 牵头 inside a name)."""
    for p in range(1, len(item)):
        if _is_list_cue(item[p:], rules):
            return p
    return None


def _is_list_cue(s: str, rules: _Rules) -> bool:
    """Is ``s`` (the whole of it) one of a list's role cues: 牵头, 配合, 按职责分工负责, 负责…"""
    if s in rules.bare_list_own_cues:
        return True
    return any((m := r.match(s)) is not None and m.end() == len(s)
               for r in (rules.all_lead_after, rules.lead_after, rules.co_after))


def _unresolved_items(ctext: str, b0: int, b1: int, inside: list[Mention], role: str, rules: _Rules,
                      jurisdiction: str | None = None) -> list[_Hit]:
    """Items of a responsibility list the gazetteer does not know: a relative name (市某某中心) is
    canonicalised by the jurisdiction's place name, anything else kept as written.  Roles are given
    by the caller (list order); a hit's ``conf`` is the low confidence of an item kept as written,
    0 when the caller's list confidence applies."""
    out = []
    covered = [(x.start, x.end) for x in inside]
    shared = _shared_org_head_items(ctext, b0, b1, rules, jurisdiction)
    for m in _LIST_ITEM.finditer(ctext[b0:b1]):
        s, e = b0 + m.start(), b0 + m.end()
        if s in shared and not any(cs < e and s < ce for cs, ce in covered):
            surface, name = shared[s]
            r = default_gazetteer().resolve(name, jurisdiction) or \
                Resolution("", name, "organization", None, None, "unresolved", 1.0, org_type(name))
            out.append(_Hit(Mention(s, s + len(surface), surface, r), role, "label-list",
                            0.0 if r.method != "unresolved" else rules.conf["label_unresolved"]))
            continue
        item = m.group(0).removesuffix("等")
        cut = _list_cue_at(item, rules)
        if cut is not None:  # （省发展改革委、财政厅按职责分工负责）: the last name ends where the list's cue begins
            item = item[:cut]
            etc = item.rfind("等")
            if etc > 0 and rules.bare_list_tail.fullmatch(item[etc:]):
                item = item[:etc]  # …、区消防救援总队等部门配合: the list's closing 等部门 is no part of the name
        if item.endswith(("）", ")")) and not re.search(r"[（(]", item):
            item = item[:-1]  # 市交通委（科信处、宣传处）: the bracket's last division
        over = [x for x in inside if x.start < s + len(item) and s < x.end]
        if len(over) == 1 and over[0].start == s and over[0].end < s + len(item):
            rest = ctext[over[0].end:s + len(item)]
            skip = 1 if rest[:1] in ("（", "(") else 0  # 市交通委（计划财务处）: the division in brackets
            rest = rest[skip:].rstrip("）)")
            if rest and rules.division_re.search(rest) and over[0].resolution.party_type == "organization":
                # 市交通委科技信息处: the body's division, named with the body by _with_divisions
                r = Resolution("", rest, "organization", None, None, "unresolved", 1.0, org_type(rest))
                d0 = over[0].end + skip
                out.append(_Hit(Mention(d0, d0 + len(rest), rest, r), role, "label-list", 0.0))
                continue
            r0 = over[0].resolution
            if rest and r0.party_type == "organization" and r0.level == "national" and r0.id \
                    and _branch_head_re().search(rest) and _branch_head_re().search(rest).end() == len(rest):
                # 国家药品监督管理局医疗器械技术审评检查长三角分中心: the item is the national body's branch
                inside.remove(over[0])
                r = Resolution("", r0.name + rest, "organization", None, None, "branch-of-body", 0.7, r0.org_type)
                out.append(_Hit(Mention(s, s + len(item), item, r), role, "label-list", 0.0))
                continue
            if over[0].resolution.party_type == "class" and item.endswith(_CLASS_ITEM_HEADS):
                # 各区交通主管部门: a class of bodies longer than the class word it starts with (各区)
                inside.remove(over[0])
                r = Resolution("", item, "class", None, None, "class-phrase", 0.6)
                out.append(_Hit(Mention(s, s + len(item), item, r), role, "label-list", 0.0))
                continue
        if not over and item.startswith((*_CLASS_OPENERS, "其他")) and item.endswith(_CLASS_ITEM_HEADS):
            # 各项目实施主体, 各交通行业企业: a class of bodies named by what they do
            r = Resolution("", item, "class", None, None, "class-phrase", 0.6)
            out.append(_Hit(Mention(s, s + len(item), item, r), role, "label-list", 0.0))
            continue
        if any(cs < e and s < ce for cs, ce in covered):
            continue
        g = default_gazetteer()
        place = g._prefix_trie.longest(item, 0)
        if place is not None and place[0] == len(item) and place[1].name == item:
            # （责任单位：市规划资源局、杨浦区、同济大学）: a place named as a unit is its government (as a place opening a
            # clause is: _place_subjects)
            r = g.resolve(item + "人民政府", jurisdiction)
            if r is not None and r.party_type == "organization":
                out.append(_Hit(Mention(s, s + len(item), item, Resolution(
                    r.id, r.name, r.party_type, r.level, r.jurisdiction, "place-subject", r.confidence * 0.8, r.org_type)),
                    role, "label-list", 0.0))
            continue
        if not ORG_SUFFIX.search(item):
            continue
        span = g.org_grammar.match_at(item, 0, weak_bare=True)  # an item is a name by construction
        r = g.resolve_org(span, jurisdiction) if span is not None and span.end == len(item) else None
        listed = [x for x in inside if x.end <= s and x.prefix]
        if span is not None and not span.prefix and cut is not None and listed:
            # 省公安厅、互联网信息办公室按职责分工负责: a bare body before the list's own cue shares the list's place, as it does
            # where the list goes on (the scan reads 省发展改革委、环境保护厅、… so: list-prefix-unlisted)
            u = g._unlisted_list_item(item + "、", 0, listed[-1].prefix, jurisdiction)
            r = u.resolution if u is not None and u.end == len(item) else r
        if r is None and item.endswith(rules.shared_org_heads):
            r = g.resolve(item, jurisdiction)  # 商丘市政府: a place's government, named by its place
        conf = 0.0  # the caller's list confidence: the resolution's own is already low
        if r is None:
            r = Resolution("", item, "organization", None, None, "unresolved", 1.0, org_type(item))
            conf = rules.conf["label_unresolved"]
        out.append(_Hit(Mention(s, s + len(item), item, r), role, "label-list", conf))
    return out


def _party(h: _Hit, text: str, pos: list[int], column: str | None = None) -> Party:
    m, r = h.mention, h.mention.resolution
    start, end = pos[m.start], pos[m.end - 1] + 1
    return Party(start=start, end=end, surface=text[start:end], method=f"{h.rule}+{r.method}",
                 confidence=round(h.conf * r.confidence, 3), party=r.name, party_id=r.id or None,
                 party_type=r.party_type, role=h.role, column=column, org_type=r.org_type)


def _implied(ctx: DocContext, rules: _Rules) -> Party:
    name = ctx.issuers[0]
    r = default_gazetteer().resolve(name, ctx.jurisdiction)
    return Party(start=0, end=0, surface="", method="implied-issuer", confidence=rules.conf["implied"],
                 party=r.name if r else name, party_id=r.id if r else None,
                 party_type=r.party_type if r else "organization", role="implied")


def _dedupe(parties: list[Party]) -> list[Party]:
    best: dict[tuple[str, str], Party] = {}
    for p in parties:
        k = (p.party, p.role)
        if k not in best or p.confidence > best[k].confidence:
            best[k] = p
    return sorted(best.values(), key=lambda p: (p.start, p.end, p.role))


def _one_per_party(parties: list[Party]) -> list[Party]:
    """A unit named in two cells of one task-table row (市道运中心 in the 配合 and the 实施主体 cell) is one item: the
    role that ranks first (party_patterns.yaml role_rank) wins, then the more confident reading."""
    rank = {r: i for i, r in enumerate(load_rules().role_rank)}
    best: dict[str, Party] = {}
    for p in parties:
        q = best.get(p.party)
        if q is None or (rank.get(p.role, len(rank)), -p.confidence) < (rank.get(q.role, len(rank)), -q.confidence):
            best[p.party] = p
    return [p for p in parties if best[p.party] is p]


# ---------------------------------------------------------------------------- task tables
def _column_role(header: str, rules: _Rules) -> str | None:
    label = _STRIP.sub("", header or "")
    return next((rules.label_role[w] for w in sorted(rules.label_role, key=len, reverse=True) if w in label), None)


def parties_from_table_row(cells: dict[str, str], ctx: DocContext) -> list[Party]:
    """Parties of a task-table row from its 牵头单位 / 配合单位 / 责任单位 columns.

    ``cells`` maps column headers to cell text.  Each returned party's ``start``/``end`` are offsets
    into the text of the cell named by its ``column`` field (not into the row).  Columns whose header
    is not a responsibility label are ignored.  No implied party is added: a row without these
    columns returns ``[]``.
    """
    rules = load_rules()
    out: list[Party] = []
    roles = {h: _column_role(h, rules) for h in cells}
    has_lead = "lead" in roles.values()
    for header, cell in cells.items():
        role = roles[header]
        if role is None or not cell:
            continue
        if role == "responsible" and has_lead:
            role = "co"  # 牵头部门 | 配合部门 | 实施主体: the implementers assist the lead
        ctext, pos = _compact(cell)
        marked: set[int] = set()  # where a unit marked as the lead (★) starts, once the marks are taken out
        if rules.lead_marks and any(c in rules.lead_marks for c in ctext):
            keep = [i for i, c in enumerate(ctext) if c not in rules.lead_marks]
            marked = {keep.index(i + 1) for i, c in enumerate(ctext) if c in rules.lead_marks and i + 1 in keep}
            ctext, pos = "".join(ctext[i] for i in keep), [pos[i] for i in keep]
        if not ctext:
            continue
        inside = find_mentions(ctext, ctx.jurisdiction, ctx.aliases)
        extra = _unresolved_items(ctext, 0, len(ctext), inside, role, rules, ctx.jurisdiction)  # may drop from inside
        items = sorted([_Hit(x, role, "table-column", 0.0) for x in inside] + extra, key=lambda h: h.mention.start)
        items = _with_divisions(items, ctext, rules, ctx)
        hits = []
        for h, r in zip(items, _list_roles(items, ctext, len(ctext), role, rules)):
            if marked:  # 区发改委、★区财政局: the marked unit leads, the others assist
                r = "lead" if h.mention.start in marked else "co" if r == "lead" and role != "lead" else r
            conf = h.conf or rules.conf["label_lead" if r == "lead" else "label_co"]
            hits.append(_Hit(h.mention, r, "table-column", conf))
        out += [_party(h, cell, pos, column=header) for h in hits]
    return _one_per_party(out)


__all__ = ["Party", "extract_parties", "parties_from_table_row", "find_mentions", "load_rules"]
