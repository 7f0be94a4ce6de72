"""Responsible parties of a clause, with their roles.

``extract_parties(text, ctx)`` finds every mention of an agency or a class of actors (the spaCy
entity ruler of :mod:`kg.extract.nlp`, completed by the gazetteer's character scan, which also
reads shared-prefix lists such as ``市通信管理局、数据局``), resolves it against the document's
jurisdiction, and gives it a role from the cue words around it (``kg/ontology/party_patterns.yaml``):

* ``lead`` — the body given the task: ``X要…``, ``X负责…``, ``由X牵头``, ``X会同Y…``, the first body of
  a ``（责任单位：A、B）`` list, every body of a ``牵头单位：`` list;
* ``co`` — the bodies that assist: ``会同/联合Y``, ``Y配合``, the rest of a 责任单位 list, 配合单位;
* ``actor`` — bodies the issuer steers: ``推动/引导/鼓励/支持/组织/指导X…``;
* ``implied`` — when no lead is named and the clause gives a task, the document's first issuer
  (``method="implied-issuer"``, low confidence, ``start == end == 0`` and ``surface == ""``).

Offsets are into ``text``.  Methods name the rule: ``label-list``, ``lead-cue``, ``co-cue``,
``subject-cue``, ``subject``, ``steer-cue``, ``implied-issuer``; a suffix ``+<resolution method>``
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

import yaml

from kg.extract.base import Annotation, DocContext
from kg.gazetteer import Mention, Resolution, default_gazetteer

PATTERNS_PATH = Path(__file__).resolve().parent.parent / "ontology" / "party_patterns.yaml"
_STRIP = re.compile(r"[\s\u3000*#]")
_ORGLIKE = re.compile(r"(?:局|委|办|厅|部|院|会|司|公司|中心|政府|单位|企业|机构|署|所|组)$")


@dataclass(frozen=True)
class Party(Annotation):
    party: str  # canonical name, or the class label
    party_id: str | None
    party_type: str  # organization | class
    role: str  # lead | co | actor | implied
    column: str | None = None  # task tables only: the column the offsets refer to


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class _Rules:
    label_re: re.Pattern
    label_role: dict
    joiner_re: re.Pattern
    tail_re: re.Pattern
    lead_after: re.Pattern
    co_after: re.Pattern
    co_before: re.Pattern
    by_before: re.Pattern
    subject_after: re.Pattern
    subject_strong: frozenset
    steer_before: re.Pattern
    not_subject_before: re.Pattern
    not_subject_after: re.Pattern
    clause_breaks: str
    enumerator: re.Pattern
    directive: re.Pattern
    not_directive: re.Pattern
    target_marker: re.Pattern
    conf: dict


@functools.lru_cache(maxsize=4)
def load_rules(path: str | None = None) -> _Rules:
    """Compile ``party_patterns.yaml`` (once per path)."""
    d = yaml.safe_load(Path(path or PATTERNS_PATH).read_text(encoding="utf-8"))
    labels = d["labels"]
    label_role = {w: role for role in ("lead", "co", "responsible") for w in labels[role]}
    steer = _alt(d["steer_before"])
    chain = _alt(d["steer_chain"])
    return _Rules(
        label_re=re.compile(rf"(?P<label>{_alt(label_role)})[:：](?P<body>[^；;）)。\n]*)"),
        label_role=label_role,
        joiner_re=re.compile(rf"^(?:{_alt(d['joiners'])})$"),
        tail_re=re.compile(d["group_tail"]["regex"]),
        lead_after=re.compile(rf"^(?:{_alt(d['lead_after'])})"),
        co_after=re.compile(rf"^(?:{_alt(d.get('co_adverbs') or ['配合'])})?(?:{_alt(d['co_after'])})"),
        co_before=re.compile(rf"(?:{_alt(d['co_before'])})$"),
        by_before=re.compile(rf"(?:{_alt(d['by_before'])})$"),
        subject_after=re.compile(rf"^(?:{_alt(d['subject_after'])})"),
        subject_strong=frozenset(d["subject_strong"]),
        steer_before=re.compile(rf"(?:{steer})(?:(?:{chain})?(?:{steer}))*$"),
        not_subject_before=re.compile(rf"(?:{_alt(d['not_subject_before'])})$"),
        not_subject_after=re.compile(d["not_subject_after"]["regex"]),
        clause_breaks=d["clause_breaks"],
        enumerator=re.compile(d["enumerator"]["regex"]),
        directive=re.compile(_alt(d["directive_verbs"])),
        not_directive=re.compile(d["not_directive"]["regex"]),
        target_marker=re.compile(d["target_marker"]["regex"]),
        conf=dict(d["confidence"]),
    )


# ---------------------------------------------------------------------------- mentions
def _compact(text: str) -> tuple[str, list[int]]:
    """Text without whitespace/markdown debris, and the original index of each kept character."""
    keep = [i for i, ch in enumerate(text) if not _STRIP.match(ch)]
    return "".join(text[i] for i in keep), keep


def find_mentions(ctext: str, jurisdiction: str | None) -> list[Mention]:
    """Mentions in compact text: entity-ruler spans first, gazetteer scan fills the gaps."""
    from kg.extract.nlp import get_nlp

    g = default_gazetteer()
    found: list[Mention] = []
    for ent in get_nlp()(ctext).ents:
        r = g.resolve(ent.text, jurisdiction)
        if r is not None:
            found.append(Mention(ent.start_char, ent.end_char, ent.text, r, g._leading_prefix(ent.text)))
    taken = [(m.start, m.end) for m in found]
    for m in g.find_mentions(ctext, jurisdiction):
        if not any(s < m.end and m.start < e for s, e in taken):
            found.append(m)
        elif m.resolution.method == "list-prefix":
            pass
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    out: list[Mention] = []
    for m in found:
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out


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
    mentions = find_mentions(ctext, ctx.jurisdiction)
    hits: list[_Hit] = []
    used: set[int] = set()

    # 1. responsibility lists: （责任单位：A、B）, 牵头单位：A；配合单位：B
    for m in rules.label_re.finditer(ctext):
        role = rules.label_role[m.group("label")]
        b0, b1 = m.span("body")
        inside = [x for x in mentions if b0 <= x.start and x.end <= b1]
        for k, x in enumerate(inside):
            r = "lead" if role == "lead" or (role == "responsible" and k == 0) else "co"
            hits.append(_Hit(x, r, "label-list", rules.conf["label_lead" if r == "lead" else "label_co"]))
            used.add(x.start)
        hits += _unresolved_items(ctext, b0, b1, inside, role, rules)

    # 2. groups of mentions and the cues around them
    for group in _groups([m for m in mentions if m.start not in used], ctext, rules):
        g0, g1 = group[0].start, group[-1].end
        cstart = _clause_start(ctext, g0, rules)
        before = ctext[cstart:g0]
        tail = rules.tail_re.match(ctext[g1:])
        after = ctext[g1 + (tail.end() if tail else 0):]
        roles = _group_roles(before, after, rules)
        if roles is None:
            continue
        kind, rule, conf = roles
        for k, x in enumerate(group):
            role = kind if kind != "list" else ("lead" if k == 0 else "co")
            hits.append(_Hit(x, role, rule, conf if role != "co" or kind == "co" else min(conf, rules.conf["co_cue"])))

    parties = [_party(h, text, pos) for h in hits]
    if not any(p.role == "lead" for p in parties) and ctx.issuers and _is_directive(ctext, rules):
        parties.append(_implied(ctx, rules))
    return _dedupe(parties)


def _group_roles(before: str, after: str, rules: _Rules) -> tuple[str, str, float] | None:
    """(role or "list", rule, confidence) for a group from the text before (in its clause) and after."""
    c = rules.conf
    if rules.by_before.search(before) and (rules.lead_after.match(after) or after.startswith(("负责", "承担", "组织"))):
        return "list", "lead-cue", c["lead_cue"]
    if rules.lead_after.match(after):
        return "list", "lead-cue", c["lead_cue"]
    if rules.co_after.match(after):
        return "co", "co-cue", c["co_cue"]
    if rules.co_before.search(before):
        return "co", "co-cue", c["co_cue"]
    if rules.steer_before.search(before):
        return "actor", "steer-cue", c["steer"]
    at_start = before == "" or rules.enumerator.fullmatch(before) is not None or before in ("请", "并", "同时")
    if at_start and not rules.not_subject_after.match(after):
        m = rules.subject_after.match(after)
        if m and m.group(0) in rules.subject_strong:
            return "list", "subject-cue", c["subject_strong"]
        if m:
            return "list", "subject", c["subject"]
    return None


def _groups(mentions: list[Mention], ctext: str, rules: _Rules) -> list[list[Mention]]:
    groups: list[list[Mention]] = []
    for m in mentions:
        if groups and rules.joiner_re.match(ctext[groups[-1][-1].end:m.start]):
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


def _unresolved_items(ctext: str, b0: int, b1: int, inside: list[Mention], role: str, rules: _Rules) -> list[_Hit]:
    """Items of a responsibility list the gazetteer does not know, kept as written."""
    out = []
    covered = [(x.start, x.end) for x in inside]
    k = len(inside)
    for m in re.finditer(r"[^、，,和及]+", ctext[b0:b1]):
        s, e = b0 + m.start(), b0 + m.end()
        item = m.group(0).removesuffix("等")
        if any(cs < e and s < ce for cs, ce in covered) or not _ORGLIKE.search(item):
            continue
        r = Resolution("", item, "organization", None, None, "unresolved", 1.0)
        first = k == 0 and not out
        rr = "lead" if role == "lead" or (role == "responsible" and first and s < min([c[0] for c in covered] or [b1])) else "co"
        out.append(_Hit(Mention(s, s + len(item), item, r), rr, "label-list", rules.conf["label_unresolved"]))
    return out


def _party(h: _Hit, text: str, pos: list[int], column: str | None = None) -> Party:
    m, r = h.mention, h.mention.resolution
    start, end = pos[m.start], pos[m.end - 1] + 1
    return Party(start=start, end=end, surface=text[start:end], method=f"{h.rule}+{r.method}",
                 confidence=round(h.conf * r.confidence, 3), party=r.name, party_id=r.id or None,
                 party_type=r.party_type, role=h.role, column=column)


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


# ---------------------------------------------------------------------------- task tables
def parties_from_table_row(cells: dict[str, str], ctx: DocContext) -> list[Party]:
    """Parties of a task-table row from its 牵头单位 / 配合单位 / 责任单位 columns.

    ``cells`` maps column headers to cell text.  Each returned party's ``start``/``end`` are offsets
    into the text of the cell named by its ``column`` field (not into the row).  Columns whose header
    is not a responsibility label are ignored.  No implied party is added: a row without these
    columns returns ``[]``.
    """
    rules = load_rules()
    out: list[Party] = []
    for header, cell in cells.items():
        label = _STRIP.sub("", header or "")
        role = next((rules.label_role[w] for w in sorted(rules.label_role, key=len, reverse=True) if w in label), None)
        if role is None or not cell:
            continue
        ctext, pos = _compact(cell)
        if not ctext:
            continue
        inside = find_mentions(ctext, ctx.jurisdiction)
        hits = []
        for k, x in enumerate(inside):
            r = "lead" if role == "lead" or (role == "responsible" and k == 0) else "co"
            hits.append(_Hit(x, r, "table-column", rules.conf["label_lead" if r == "lead" else "label_co"]))
        hits += _unresolved_items(ctext, 0, len(ctext), inside, role, rules)
        hits.sort(key=lambda h: h.mention.start)
        if role == "responsible" and hits:
            hits = [_Hit(h.mention, "lead" if i == 0 else "co", h.rule, h.conf) for i, h in enumerate(hits)]
        out += [_party(h, cell, pos, column=header) for h in hits]
    return out


__all__ = ["Party", "extract_parties", "parties_from_table_row", "find_mentions", "load_rules"]
