"""Run the extractors (as spaCy components, kg.extract.components) over a document's clauses and
turn their annotations into facts.

A *fact* is a dict with the fields of ``contract.md`` (doc, doc_number, doc_title, clause,
clause_id, text, span, method, confidence, plus the kind's own fields).  Offsets that extractors
report into a paragraph are mapped here to the source file (``span``).  Linking that needs the
clause tree also lives here: a target's deadline is taken from its own sentence (``explicit``), else
from a goal stated before it in its clause or in an enclosing clause (``inherited``: a date with a goal
cue, 到2027年/力争到…, or one that opens its sentence, 2027年，…; a date inside a sentence times that
sentence only), else from the plan period (``period``); a target's parties are the clause's lead and
co parties; a clause that names no one gets one ``implied`` party, its issuer; a target stated both in an indicator table and in
the text is one target with two sources.
"""
from __future__ import annotations

import bisect
import dataclasses
import functools
import datetime as dt
import re
from typing import Callable, Iterable, Iterator

from rapidfuzz import fuzz

from .extract.base import DocContext
from .extract.components import KINDS as EXTRACTOR_KINDS, get_policy_nlp, make_doc
from .extract.parties import extract_parties, load_rules, parties_from_table_row, short_forms
from .extract.structure import Clause, section_headings
from .extract.targets_table import table_roles, targets_from_table_row, year_columns
from .document import ProcessedDoc

KINDS = ("targets", "deadlines", "parties", "refs")
_SENT_END = "。！？!?\n"
_GOAL_CUES = ("到", "至", "力争到", "力争于", "力争", "截至", "在")


def doc_context(doc: ProcessedDoc) -> DocContext:
    m = doc.meta
    return DocContext(
        doc_id=doc.doc_id, title=m.title, jurisdiction=m.jurisdiction, level=m.level,
        date_document=m.date_document or m.date_publication or m.date_header,
        period=tuple(m.period) if m.period else None, issuers=tuple(m.issuers), doc_number=m.doc_number,
        aliases=document_aliases(doc.clean.text),
    )


def document_aliases(text: str) -> tuple[tuple[str, str], ...]:
    """The short forms of bodies a document defines (国网常州供电公司（以下简称“供电公司”）), (short form, full name), the
    first definition of each short form kept: the parties extractor reads them in every clause of the document."""
    out: dict[str, str] = {}
    for short, full, _, _ in short_forms(text):
        out.setdefault(short, full)
    return tuple(out.items())


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    s = start
    while s > 0 and text[s - 1] not in _SENT_END:
        s -= 1
    e = end
    while e < len(text) and text[e] not in _SENT_END:
        e += 1
    if e < len(text) and text[e] != "\n":
        e += 1
    return s, e


class _Sentences:
    """:func:`sentence_bounds` for many spans of one paragraph: the sentence ends are found once and
    each lookup is a bisection, so a long paragraph with many annotations stays linear (scanning back
    and forth from every annotation was quadratic in the paragraph's length)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.ends = [i for i, ch in enumerate(text) if ch in _SENT_END]

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        n = len(self.text)
        i = bisect.bisect_left(self.ends, start)
        s = self.ends[i - 1] + 1 if i > 0 and start > 0 else 0
        if start <= 0:
            s = start
        j = bisect.bisect_left(self.ends, end)
        e = self.ends[j] if j < len(self.ends) else max(end, n)
        if end >= n:
            e = end
        if e < n and self.text[e] != "\n":
            e += 1
        return s, e


class _Doc:
    """Per-document helpers: clause lines, spans and the common fields of every fact."""

    def __init__(self, doc: ProcessedDoc) -> None:
        self.doc = doc
        self.text = doc.clean.text

    def base(self, c: Clause, clean_start: int, clean_end: int, sentence: str, method: str, conf: float) -> dict:
        s, e = self.doc.source_span(clean_start, clean_end)
        return {
            "doc": self.doc.doc_id, "doc_number": self.doc.meta.doc_number, "doc_title": self.doc.meta.title,
            "clause": c.label, "clause_id": c.clause_id, "text": sentence.strip(), "span": [s, e],
            "method": method, "confidence": round(float(conf), 3),
        }


MAX_PARAGRAPH = 50_000  # characters; a longer paragraph (a file with no line breaks) is read in pieces


def paragraph_pieces(text: str, segments: list[tuple[int, int]], limit: int | None = None) -> list[tuple[int, int]]:
    """The paragraphs the extractors read: ``segments`` as they are, except that one longer than
    :data:`MAX_PARAGRAPH` is cut after a sentence end (else at the limit) into pieces read one by one —
    spaCy refuses a text above its ``max_length`` and a whole file on one line would otherwise be one doc."""
    limit = limit or MAX_PARAGRAPH
    out: list[tuple[int, int]] = []
    for ls, le in segments:
        while le - ls > limit:
            window = text[ls:ls + limit]
            cut = max(window.rfind(ch) for ch in _SENT_END)
            cut = ls + cut + 1 if cut > 0 else ls + limit
            out.append((ls, cut))
            ls = cut
        if le > ls:
            out.append((ls, le))
    return out


def _implies_issuer(text: str, segments: list[tuple[int, int]], ctx: DocContext) -> bool:
    """Does the clause state a task that names no one (its issuer is then the implied party)?  Read on the
    clause's whole text; a clause longer than :data:`MAX_PARAGRAPH` (a file with no numbering is one
    clause) is read paragraph by paragraph, so its memory stays that of a paragraph."""
    if sum(e - s for s, e in segments) <= MAX_PARAGRAPH:
        own = "\n".join(text[s:e] for s, e in segments)
        return any(p.role == "implied" for p in extract_parties(own, ctx))
    return any(any(p.role == "implied" for p in extract_parties(text[s:e], ctx))
               for s, e in paragraph_pieces(text, segments))


def annotate(paragraphs: Iterable[str | tuple[str, DocContext]], ctx: DocContext,
             batch_size: int = 64) -> Iterator[dict[str, list]]:
    """:func:`kg.extract.components.run_extractors` over many paragraphs: one ``nlp.pipe`` stream
    (documents made with the context by ``make_doc``), so only a batch of spaCy docs is alive at once.
    A paragraph given as ``(text, context)`` is read with its own context (the section it stands in).
    Yields, per paragraph and in order, the annotations by kind."""
    nlp = get_policy_nlp()
    docs = (make_doc(*t) if isinstance(t, tuple) else make_doc(t, ctx) for t in paragraphs)
    for d in nlp.pipe(docs, batch_size=batch_size):
        u = d._  # spaCy makes a new accessor object on every ``doc._``
        yield {kind: list(getattr(u, kind) or []) for kind in EXTRACTOR_KINDS}


def extract_facts(doc: ProcessedDoc, on_progress: Callable[[int], None] | None = None) -> dict[str, list[dict]]:
    """``on_progress(chars)``: called after each paragraph with the clean-text characters done so far."""
    ctx = doc_context(doc)
    h = _Doc(doc)
    facts: dict[str, list[dict]] = {k: [] for k in KINDS}
    clause_parties: dict[str, list[dict]] = {}
    clause_deadlines: dict[str, list[tuple[int, bool, object]]] = {}  # clause_id → (clean pos, is a goal, annotation)
    text_targets: list[tuple[Clause, dict, object, int]] = []
    table_targets: list[dict] = []
    parents: dict[str, Clause | None] = {}
    implied: dict[str, bool] = {}  # clause_id → does the clause imply its issuer (one-paragraph clauses)

    def walk(c: Clause, parent: Clause | None) -> Iterable[Clause]:
        parents[c.clause_id] = parent
        yield c
        for ch in c.children:
            yield from walk(ch, c)

    clauses = [c for r in doc.clauses for c in walk(r, None)]
    # the spaCy pipeline (ruler + the four extractor components) over every paragraph, in batches,
    # consumed in the same order as the paragraphs are produced
    # a table row's prose cells (工作任务, 工作措施: the task itself) are read as paragraphs too; its structured
    # cells (责任单位, 指标名称, 目标值) by the row readers of _row_facts
    row_cells = {c.clause_id: _row_text_cells(c) for c in clauses if c.kind == "row"}
    # each paragraph with the section it stands in (its clause's and ancestors' headings): evidence for the kind
    # of a figure with no cue of its own (kg/extract/targets.py section_kind)
    sections = section_headings(doc.clauses)
    in_section = {sec: dataclasses.replace(ctx, section=sec) for sec in set(sections.values())}
    paragraphs = annotate(((h.text[ls:le], in_section[sections[c.clause_id]]) for c in clauses if c.kind != "table"
                           for ls, le in (row_cells[c.clause_id] if c.kind == "row"
                                          else paragraph_pieces(h.text, c.content_segments()))), ctx)
    done = 0
    for c in clauses:
        if c.kind == "table":
            continue
        if c.kind == "row":
            _row_facts(h, c, ctx, facts, clause_parties, table_targets)
            pieces, segments = row_cells[c.clause_id], []
        else:
            segments = c.content_segments()
            pieces = paragraph_pieces(h.text, segments)
        for ls, le in pieces:
            line = h.text[ls:le]
            anns = next(paragraphs)
            if len(segments) == 1 and pieces == segments and le - ls <= MAX_PARAGRAPH:
                # the clause is this one paragraph: what _implies_issuer would read is what the parties
                # component has just read (same text, same context)
                implied[c.clause_id] = any(p.role == "implied" for p in anns["parties"])
            done += le - ls
            if on_progress is not None:
                on_progress(done)
            sentence = _Sentences(line).bounds
            for d in anns["deadlines"]:
                ss, se = sentence(d.start, d.end)
                f = h.base(c, ls + d.start, ls + d.end, line[ss:se], d.method, d.confidence)
                f.update({"surface": d.surface, "start": _iso(d.date_start), "end": _iso(d.date_end),
                          "kind": d.kind, "year": d.year, "qualifier": d.qualifier, "anchor": d.anchor,
                          "recurrence": d.recurrence, "cue": d.cue})
                facts["deadlines"].append(f)
                clause_deadlines.setdefault(c.clause_id, []).append((ls + d.start, _is_goal(d, line), d))
            for p in anns["parties"]:
                if p.role == "implied":
                    continue  # decided per clause below
                ss, se = sentence(p.start, p.end)
                f = h.base(c, ls + p.start, ls + p.end, line[ss:se], p.method, p.confidence)
                f.update({"party": p.party, "party_id": p.party_id, "party_type": p.party_type,
                          "surface": p.surface, "role": p.role})
                facts["parties"].append(f)
                clause_parties.setdefault(c.clause_id, []).append(f)
            for r in anns["references"]:
                ss, se = sentence(r.start, r.end)
                f = h.base(c, ls + r.start, ls + r.end, line[ss:se], r.method, r.confidence)
                f["citing_doc_number"] = f["doc_number"]
                f.update({"title": r.title, "cited_doc_number": r.doc_number, "doc_number": r.doc_number, "issuer": r.issuer_surface,
                          "relation": r.relation, "cue": r.cue, "ref_kind": r.ref_kind, "surface": r.surface,
                          "resolved_doc": None, "external_iri": None})
                facts["refs"].append(f)
            for t in anns["targets"]:
                ss, se = t.sentence_start, t.sentence_end
                f = h.base(c, ls + t.start, ls + t.end, line[ss:se], t.method, t.confidence)
                f.update(_target_fields(t))
                text_targets.append((c, f, t, ls))

    # one implied party (the issuer) for a clause with a task that names no one
    if doc.meta.issuers:
        for c in clauses:
            if c.kind in ("table", "notice") or c.clause_id in clause_parties or not c.content_segments():
                continue
            known = implied.get(c.clause_id)
            if not (known if known is not None else _implies_issuer(h.text, c.content_segments(), ctx)):
                continue
            ls, le = c.content_segments()[0]
            f = h.base(c, ls, le, h.text[ls:le][:200], "implied-issuer", 0.3)
            f.update({"party": doc.meta.issuers[0], "party_id": (doc.meta.issuer_ids or [None])[0],
                      "party_type": "organization", "surface": None, "role": "implied"})
            f["span"] = [f["span"][0], f["span"][0]]
            facts["parties"].append(f)
            clause_parties.setdefault(c.clause_id, []).append(f)

    # deadlines and parties of text targets
    for c, f, t, ls in text_targets:
        _link_deadline(f, t, c, ls, clause_deadlines, parents, h, doc)
        f["parties"] = _parties_for(c, clause_parties, parents)
    for f in table_targets:
        f["parties"] = _parties_for_id(f["clause_id"], clause_parties)

    # a target in the indicator table and again in the text is one target with two sources
    merged = _merge_table_and_text(table_targets, [f for _, f, _, _ in text_targets])
    facts["targets"] = table_targets + merged
    for k in KINDS:
        facts[k].sort(key=lambda f: (f["span"][0], f["span"][1], f.get("metric") or f.get("party") or f.get("title") or ""))
    return facts


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _target_fields(t) -> dict:
    return {
        "metric": t.metric, "value": t.value, "value_high": t.value_high, "unit": t.unit,
        "comparator": t.comparator, "kind": t.kind, "level_of_ambition": t.level_of_ambition,
        "change": t.change, "scope": t.scope, "per": t.per, "recurring": t.recurring,
        "baseline": {"value": t.baseline.get("value"), "year": t.baseline.get("year")} if t.baseline else None,
        "category": t.category, "attribute": t.attribute, "surface": t.surface,
        "deadline": None, "deadline_year": None, "deadline_source": None, "sources": [],
    }


def _row_facts(h: _Doc, c: Clause, ctx: DocContext, facts: dict, clause_parties: dict, table_targets: list) -> None:
    (ls, le), = c.lines
    raw = h.text[ls:le]
    row_text = raw.replace("\t", " | ")
    offsets: dict[str, int | None] = c.attrs.get("cell_offsets", {})

    def cell_base(col: str | None) -> int:
        off = offsets.get(col) if col else None
        return ls if off is None else off

    target_col = table_roles(dict(c.cells)).get("target")
    for t in targets_from_table_row(dict(c.cells), {}, ctx):
        base = cell_base(t.column or target_col)  # an allocation table's targets sit in several columns
        f = h.base(c, base + t.start, base + t.end, row_text, t.method, t.confidence)
        f.update(_target_fields(t))
        if t.target_year and f["kind"] in due_kinds():
            f["deadline"] = f"{t.target_year}-12-31"
            f["deadline_year"] = t.target_year
            f["deadline_source"] = "explicit"
        table_targets.append(f)
    for p in parties_from_table_row(dict(c.cells), ctx):
        base = cell_base(p.column)
        f = h.base(c, base + p.start, base + p.end, row_text, p.method, p.confidence)
        f.update({"party": p.party, "party_id": p.party_id, "party_type": p.party_type, "surface": p.surface or None,
                  "role": p.role})
        facts["parties"].append(f)
        clause_parties.setdefault(c.clause_id, []).append(f)


_PROSE_CELL_MIN = 8  # characters: a shorter cell is a name, a number or a label, not a task's text


def prose_columns(cells: dict[str, str]) -> list[str]:
    """The columns of a table row whose cells are prose (工作任务, 工作措施: the task itself), read like a
    paragraph: long text with Chinese in it, in a column no row reader takes (an indicator table's metric,
    unit and values; a responsibility list)."""
    structured = set(table_roles(dict(cells)).values()) | set(year_columns(dict(cells)))
    labels = load_rules().label_role
    return [col for col, cell in cells.items()
            if col not in structured and not any(w in "".join(str(col).split()) for w in labels)
            and len(cell) >= _PROSE_CELL_MIN and re.search(r"[\u4e00-\u9fff]", cell)]


def _row_text_cells(c: Clause) -> list[tuple[int, int]]:
    """Clean-text spans of a table row's prose cells (:func:`prose_columns`)."""
    cells = c.cells or {}
    offsets = c.attrs.get("cell_offsets", {})
    filled = set(c.attrs.get("filled_down", ()))  # read once, in the row that writes it
    return sorted((offsets[col], offsets[col] + len(cells[col])) for col in prose_columns(cells)
                  if offsets.get(col) is not None and col not in filled)


@functools.lru_cache(maxsize=None)
def due_kinds() -> frozenset[str]:
    """The kinds of figure that take a deadline (target_patterns.yaml ``due_kinds``): a goal is due by a date; the date
    of an achievement, a baseline, background, a criterion or a grant says when it held or applies."""
    from .extract.targets import PATTERNS_FILE
    from .yamlio import load_yaml

    return frozenset(load_yaml(PATTERNS_FILE).get("due_kinds") or ())


def _deadline_ok(d) -> bool:
    return d.kind in ("point", "period") and d.year is not None and d.date_end is not None


def _set_deadline(f: dict, d, source: str) -> None:
    f["deadline"] = d.date_end.isoformat()
    f["deadline_year"] = d.year
    f["deadline_source"] = source


GOAL_HEAD = 3  # characters: a date starting at most this far into its sentence opens the sentence (一是2027年，…)


def _is_goal(d, line: str) -> bool:
    """Does the deadline ``d`` (offsets into the paragraph ``line``) set the horizon for the sentences
    after it?  Yes when it has a goal cue (到2028年，…, 力争到…) or opens its sentence (2025年，新增…。
    每万人…); no for a date inside a sentence (…，结合实际于2027年开展试点。), which times that
    sentence's action only."""
    if d.cue in _GOAL_CUES:
        return True
    k = d.start
    while k > 0 and line[k - 1] not in _SENT_END:
        k -= 1
    return d.start - k <= GOAL_HEAD


_CLAUSE_BREAK = re.compile(r"[，,；;]")


def _link_deadline(f: dict, t, c: Clause, ls: int, clause_deadlines: dict, parents: dict, h: _Doc,
                   doc: ProcessedDoc) -> None:
    if f["kind"] not in due_kinds():
        return  # not a goal: nothing is due
    sent_s, sent_e = ls + t.sentence_start, ls + t.sentence_end
    own = [(p, goal, d) for p, goal, d in clause_deadlines.get(c.clause_id, []) if _deadline_ok(d)]
    in_sentence = [(p, goal, d) for p, goal, d in own if sent_s <= p < sent_e]
    # a date after the figure times it only in the figure's own clause: 明确1名联系人，每月15日前报送…，2024年3月底前报送总结
    # times the report, not the contact (a trial district plan, spec in tests/specs/facts/deadlines.yaml f31-01)
    in_sentence = [x for x in in_sentence if x[0] <= ls + t.start
                   or not _CLAUSE_BREAK.search(h.text, ls + t.end, x[0])]
    if in_sentence:
        before = [x for x in in_sentence if x[0] <= ls + t.start]
        _set_deadline(f, (before[-1] if before else in_sentence[0])[2], "explicit")
        return
    if f["kind"] != "target":
        return
    # the last goal stated before this sentence in the same clause
    earlier = [(p, goal, d) for p, goal, d in own if p < sent_s and goal]
    if earlier:
        _set_deadline(f, earlier[-1][2], "inherited")
        return
    node = parents.get(c.clause_id)
    while node is not None:
        goals = [(p, goal, d) for p, goal, d in clause_deadlines.get(node.clause_id, []) if _deadline_ok(d) and goal]
        if goals:
            _set_deadline(f, goals[0][2], "inherited")
            return
        node = parents.get(node.clause_id)
    if doc.meta.period:
        end = doc.meta.period[1]
        f["deadline"] = f"{end}-12-31"
        f["deadline_year"] = end
        f["deadline_source"] = "period"


def _parties_for_id(clause_id: str, clause_parties: dict) -> list[str]:
    ps = clause_parties.get(clause_id, [])
    named = [p["party"] for p in ps if p["role"] in ("lead", "co")]
    if not named:
        named = [p["party"] for p in ps if p["role"] == "implied"]
    return sorted(set(named))  # as the query layer returns them (an RDF set has no order)


def _parties_for(c: Clause, clause_parties: dict, parents: dict) -> list[str]:
    node: Clause | None = c
    while node is not None:
        got = _parties_for_id(node.clause_id, clause_parties)
        if got:
            return got
        node = parents.get(node.clause_id)
    return []


_MET_NORM = re.compile(r"[\s“”\"'（）()其中：:]+")


def _merge_table_and_text(table: list[dict], text: list[dict]) -> list[dict]:
    """Drop a text target that restates a table row (same value, unit, comparator, similar metric).

    The twin of a text target is the first table target (in table order) that passes every test.
    Table targets are indexed by value, so each text target looks only at the rows with its value
    (within the relative tolerance), not at every row of every table: tables × text targets was
    quadratic on a big file.
    """
    rows = []
    for i, t in enumerate(table):
        if t["kind"] == "target":
            try:
                rows.append((float(t["value"]), i))
            except (TypeError, ValueError):
                continue  # no value: it cannot be anyone's twin
    rows.sort()
    values = [v for v, _ in rows]
    kept = []
    for f in text:
        twin = None
        if rows and f["kind"] in ("target", "criterion"):
            fv = float(f["value"])
            # |t - f| <= 1e-9 * max(1, |t|)  implies  |t - f| <= 2e-9 * max(1, |f|) (+ slack); re-tested below
            slack = 4e-9 * max(1.0, abs(fv))
            lo = bisect.bisect_left(values, fv - slack)
            hi = bisect.bisect_right(values, fv + slack)
            for _, i in sorted(rows[lo:hi], key=lambda r: r[1]):
                t = table[i]
                if _twins(t, f):
                    twin = t
                    break
        if twin is None:
            kept.append(f)
        else:
            twin["sources"].append({"clause": f["clause"], "clause_id": f["clause_id"], "span": f["span"],
                                    "text": f["text"], "method": f["method"]})
            twin["confidence"] = round(min(0.99, twin["confidence"] + 0.05), 3)
    return kept


def _twins(t: dict, f: dict) -> bool:
    if abs(float(t["value"]) - float(f["value"])) > 1e-9 * max(1.0, abs(float(t["value"]))):
        return False
    if (t["unit"] or "") != (f["unit"] or "") and t["unit"] not in (None, "-") and f["unit"] is not None:
        return False
    if t["comparator"] != f["comparator"] and {t["comparator"], f["comparator"]} - {"=", ">=", ">"}:
        return False
    a, b = _MET_NORM.sub("", t["metric"] or ""), _MET_NORM.sub("", f["metric"] or "")
    return bool(a and b and fuzz.partial_ratio(a, b) >= 80)
