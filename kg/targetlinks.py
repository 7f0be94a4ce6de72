"""Target lineage: which targets of two documents measure the same thing, and how they relate.

Pure functions over target records (the shape ``kg targets --json`` prints, plus ``iri``) and document
infos (:class:`kg.lineage.DocInfo`); :mod:`kg.lineage` writes the result into the target-links graph.

Two targets are linked when their metric names agree after normalisation (``kg/ontology/metric_terms.yaml``:
移动物联网终端连接数 ~ 物联网终端连接数 ~ 物联网连接数) and their units agree.  The relation depends on the two
documents:

* a lower-level document and one above it that it may implement (level-, territory- and date-aware):
  amounts give ``share`` with the ratio (the city's 2亿 of the nation's 36亿 → 0.056); rates give
  ``same``, ``stricter`` or ``looser`` (95 % vs 90 % for a floor is stricter);
* two documents of the same level and jurisdiction: different deadline years give ``successor`` (the
  later target succeeds the earlier, with the ratio as the change); the same year and the same value give
  ``same``; the same year and different values are a **conflict** (固定宽带平均接入带宽 600 Mbps vs 470 Mbps
  for Shanghai in 2025).

*Bounded*: a local target is linked to at most ``SOURCES_PER_TARGET`` (3) documents above it and
``PEERS_PER_TARGET`` (3) documents of its own level and jurisdiction, the most plausible ones
(:func:`link_targets`).  For sources: those its document cites (directly, then through the documents it
cites) first, then those it is linked to by lineage otherwise (restates their clauses), then the nearest
level, the nearest deadline year, the best metric match, the document sharing the most metrics with the
local one.  For peers: the same year before the nearest earlier one.  Linking every source that states
the metric gave a district target a link to every national document of the same metric, across unrelated
plans: links grew with the square of the corpus (231,568 at 1,000 generated documents) and a reader of
``kg lineage`` got noise.  Now they grow with the number of targets.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from kg.yamlio import load_yaml
from rapidfuzz import fuzz

ONTOLOGY = Path(__file__).resolve().parent / "ontology"
MIN_METRIC = 88.0  # rapidfuzz ratio (0–100) for a fuzzy metric match
#: at most this many source documents (documents it may implement) per local target, the most plausible
#: first (:func:`link_targets`): links grow with the number of targets, not with the number of documents above
SOURCES_PER_TARGET = 3
#: at most this many documents of its own level and jurisdiction per local target (same, conflict, successor)
PEERS_PER_TARGET = 3
#: the lineage distance of a source document no lineage link leads to (:func:`source_rank`)
UNLINKED = 99
#: the deadline-year distance of two targets when one has no year (after every known distance)
NO_YEAR = 99


@lru_cache(maxsize=1)
def _terms() -> dict:
    return load_yaml((ONTOLOGY / "metric_terms.yaml")) or {}


@lru_cache(maxsize=4096)
def normalise_metric(metric: str) -> str:
    """``“全市”移动物联网终端连接数`` → ``物联网连接数``.

    >>> normalise_metric("移动物联网终端连接数") == normalise_metric("物联网终端连接数") == "物联网连接数"
    True
    >>> normalise_metric("5G—A基站")
    '5G-A基站'
    """
    t = _terms()
    s = metric
    for a, b in (t.get("same") or {}).items():
        s = s.replace(a, b)
    prefixes = sorted(t.get("prefixes") or [], key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        for p in prefixes:
            if s.startswith(p) and len(s) > len(p) + 1:
                s, changed = s[len(p):], True
    for w in sorted(t.get("drop") or [], key=len, reverse=True):
        if len(s.replace(w, "")) >= 2:
            s = s.replace(w, "")
    return re.sub(r"[\s()（）]", "", s)


def metric_match(a: str, b: str) -> tuple[str, float] | None:
    """How two metric names match (``exact``, ``normalised``, ``fuzzy:0.91``) and a 0–1 strength, or None.

    >>> metric_match("移动物联网终端连接数", "物联网终端连接数")
    ('normalised', 0.9)
    >>> metric_match("5G基站", "5G-A基站") is None
    True
    """
    if a == b:
        return "exact", 1.0
    na, nb = normalise_metric(a), normalise_metric(b)
    if na == nb:
        return "normalised", 0.9
    if len(na) < 2 or len(nb) < 2:
        return None
    r = max(fuzz.ratio(na, nb), 0.97 * fuzz.ratio("".join(sorted(na)), "".join(sorted(nb))))
    if r >= MIN_METRIC:
        return f"fuzzy:{r / 100:.2f}", round(0.8 * r / 100, 3)
    return None


def _is_rate(unit: str | None) -> bool:
    return unit in set(_terms().get("rate_units") or [])


@dataclass
class TargetLinkResult:
    local: dict
    source: dict
    local_doc: str
    source_doc: str
    metric_match: str
    relation: str | None
    ratio: float | None
    conflict: str | None
    confidence: float


class _Cand(NamedTuple):
    """What the ranking of :func:`link_targets` reads of a candidate link; the link itself
    (:class:`TargetLinkResult`) is built for the few kept only."""
    local: dict
    source: dict
    local_doc: str
    source_doc: str
    metric_match: str


def _fmt(t: dict) -> str:
    v = t["value"]
    v = int(v) if isinstance(v, float) and v.is_integer() else v
    return f"{v}{t['unit'] or ''}"


def _rate_relation(local: dict, source: dict) -> str:
    lv, sv = float(local["value"]), float(source["value"])
    if abs(lv - sv) < 1e-9:
        return "same"
    upper = (local.get("comparator") or ">=") in ("<", "<=")  # a ceiling (PUE ≤ 1.3): lower is stricter
    return "stricter" if (lv < sv) == upper else "looser"


def link_targets(targets: list[dict], docs: dict, may_implement, local: set[str] | None = None,
                 lineage: dict[str, dict[str, tuple[int, int]]] | None = None) -> list[TargetLinkResult]:
    """The target links whose local target belongs to a document of ``local`` (document IRIs; None: every
    document), sorted by (local target, source document).

    ``docs`` maps document IRIs to :class:`kg.lineage.DocInfo`; ``may_implement(local, source)`` says whether
    a document may implement another (level, territory, date); ``lineage`` maps a document IRI to the
    documents reachable from it by lineage links, with how many citations and how many links of either kind
    away (:func:`kg.lineage.lineage_reach`).

    Per (local target, source document) the source's best-matching target is kept (best metric match, then
    the nearest deadline year).  Then each local target keeps at most :data:`SOURCES_PER_TARGET` source
    documents among those it may implement, in this order (:func:`source_rank`): those its document cites,
    directly or through the documents it cites (the fewest citations first); then those reachable by lineage
    links of either kind (citations and clause alignments, the fewest first); then the nearest level; the
    nearest deadline year; the best metric match; the source document sharing the most metrics with the
    local document; the document id.  And at most :data:`PEERS_PER_TARGET` documents of its own level and
    jurisdiction: the same deadline year (``same``, a conflict) first, then the nearest earlier one
    (``successor``); the best metric match; the document id.  So a local target has a bounded number of
    links whatever the size of the corpus.

    A local target's links depend on its document's targets, on the targets of every document it may
    implement or that shares its level and jurisdiction, and on its document's ``lineage``: an incremental
    caller gives in ``local`` every document for which one of these changed."""
    from kg.extract.numbers import unit_key  # here: the query layer imports this module's metric names alone
    from kg.query.lineage import LEVEL_RANK

    by_id = {d.id: d for d in docs.values()}
    by_metric = _by_metric([t for t in targets if t["doc"] in by_id])
    pool = [t for ts in by_metric.values() for t in ts]
    if local is None:
        mine = pool
        partners = _metric_partners(by_metric)
    else:
        ids = {docs[i].id for i in local if i in docs}
        mine = [t for t in pool if t["doc"] in ids]
        partners = _metric_partners(by_metric, {(unit_key(t.get("unit")), t["metric"]) for t in mine})
    reach = lineage or {}
    out: list[TargetLinkResult] = []
    # one local document at a time: a target's ranking reads its own document's figures only (``shared``), so
    # the candidates of one document are held at a time — memory flat in the corpus, where holding every
    # target's candidates grew with the square of it (11 GiB for 10,000 generated documents, simulated)
    by_doc: dict[str, list[dict]] = {}
    for lt in mine:
        by_doc.setdefault(lt["doc"], []).append(lt)
    # (unit, metric) → its targets grouped by document, so that a document that may not be linked is passed over whole
    grouped: dict[tuple[str, str], list[tuple[str, list[dict]]]] = {}
    for k, ts in by_metric.items():
        per: dict[str, list[dict]] = {}
        for t in ts:
            per.setdefault(t["doc"], []).append(t)
        grouped[k] = list(per.items())
    for group in by_doc.values():
        out.extend(_link_document(group, grouped, partners, by_id, may_implement, docs, reach, unit_key,
                                  LEVEL_RANK))
    return sorted(out, key=lambda r: (r.local["iri"], r.source_doc))


def _link_document(mine: list[dict], grouped: dict, partners: dict, by_id: dict, may_implement, docs: dict,
                   reach: dict, unit_key, levels: dict) -> list[TargetLinkResult]:
    """The links of the targets ``mine`` of one local document (:func:`link_targets`); ``grouped``: (unit,
    metric) → the targets of that metric grouped by document."""
    # local target IRI → source document IRI → (rank among that document's targets, the candidate); the boxes
    # hold light candidates (:class:`_Cand`): every candidate is ranked, the kept ones only are built as links
    up: dict[str, dict[str, tuple[tuple, _Cand]]] = {}
    peers: dict[str, dict[str, tuple[tuple, _Cand]]] = {}
    ld = by_id[mine[0]["doc"]]
    # source document id → may it be linked at all (a document it may implement, or a peer: _candidate's
    # conditions on documents): most documents stating a metric are neither, and their targets are passed over
    eligible: dict[str, bool] = {}
    for lt in mine:
        unit = unit_key(lt.get("unit"))
        for doc_id, sts in (x for m in partners[(unit, lt["metric"])] for x in grouped[(unit, m)]):
            ok = eligible.get(doc_id)
            if ok is None:
                sd = by_id[doc_id]
                ok = eligible[doc_id] = sd.id != ld.id and linkable(ld, sd, may_implement)
            if not ok:
                continue
            for st in sts:
                found = _candidate(lt, st, by_id, may_implement, build=False)
                if found is None:
                    continue
                vertical, link = found
                within = (-_strength(link), abs((lt.get("deadline_year") or 0) - (st.get("deadline_year") or 0)),
                          st["iri"])
                box = (up if vertical else peers).setdefault(lt["iri"], {})
                best = box.get(link.source_doc)
                if best is None or within < best[0]:
                    box[link.source_doc] = (within, link)
    # per (local document, source document): how many of the local document's targets the source states
    shared: dict[tuple[str, str], int] = {}
    for box in up.values():
        for _, link in box.values():
            k = (link.local_doc, link.source_doc)
            shared[k] = shared.get(k, 0) + 1
    out: list[TargetLinkResult] = []
    for box in up.values():
        ranked = sorted(box.values(), key=lambda x: source_rank(x[1], x[0], docs, reach, shared, levels))
        out.extend(_built(c, by_id, may_implement) for _, c in ranked[:SOURCES_PER_TARGET])
    for box in peers.values():
        ranked = sorted(box.values(), key=lambda x: (_years_apart(x[1]), x[0][0], docs[x[1].source_doc].id,
                                                     x[1].source_doc))
        out.extend(_built(c, by_id, may_implement) for _, c in ranked[:PEERS_PER_TARGET])
    return out


def sharing_metrics(targets: list[dict], docs: set[str]) -> set[str]:
    """The ids of the documents with a target :func:`link_targets` may join to a target of ``docs`` (document
    ids), the documents themselves included (a superset: the metric partners of :func:`_metric_partners`,
    which are symmetric)."""
    by_metric = _by_metric(targets)
    keys = {k for k, ts in by_metric.items() if any(t["doc"] in docs for t in ts)}
    partners = _metric_partners(by_metric, keys)
    return set(docs) | {t["doc"] for k in keys for m in partners[k] for t in by_metric[(k[0], m)]}


def _by_metric(targets: list[dict]) -> dict[tuple[str, str], list[dict]]:
    """The targets that may be linked (kind ``target``, with a value and a metric) by (unit, metric), in order."""
    from kg.extract.numbers import unit_key

    out: dict[tuple[str, str], list[dict]] = {}
    for t in targets:
        if t.get("kind") == "target" and t.get("value") is not None and t.get("metric"):
            out.setdefault((unit_key(t.get("unit")), t["metric"]), []).append(t)
    return out


def linkable(local, source, may_implement) -> bool:
    """May a target of ``local`` be linked to one of ``source`` at all (kg.lineage.DocInfo): ``local`` may implement
    it (``may_implement``), or they are peers — the same level and jurisdiction (:func:`_candidate`)."""
    return may_implement(local, source) or _peers(local, source)


def _peers(local, source) -> bool:
    return bool(local.level) and (local.level, local.jurisdiction) == (source.level, source.jurisdiction)


def source_rank(link: TargetLinkResult, within: tuple, docs: dict, reach: dict[str, dict[str, tuple[int, int]]],
                shared: dict[tuple[str, str], int], levels: dict[str, int]) -> tuple:
    """The order of a local target's source documents (:func:`link_targets`), smallest first: citation
    distance (1: the local document cites the source; 2: it cites a document that cites the source …),
    lineage distance (the same over citations and clause-aligned pairs; :data:`UNLINKED` when no chain of
    such links leads there), level distance, deadline-year distance (:data:`NO_YEAR` when a year is
    missing), metric match, shared metrics, document id.  ``within``: the source's best target's rank among
    that document's targets (negated strength first); ``levels``: the rank of each level
    (``kg.query.lineage.LEVEL_RANK``, national 0)."""
    ld, sd = docs[link.local_doc], docs[link.source_doc]
    cited, linked = reach.get(link.local_doc, {}).get(link.source_doc, (UNLINKED, UNLINKED))
    level = levels.get(ld.level or "", 9) - levels.get(sd.level or "", 0)
    return (cited, linked, level, _years_apart(link), within[0], -shared.get((link.local_doc, link.source_doc), 0),
            sd.id, link.source_doc)


def _years_apart(link: TargetLinkResult) -> int:
    ly, sy = link.local.get("deadline_year"), link.source.get("deadline_year")
    return abs(ly - sy) if ly and sy else NO_YEAR


def _built(c: _Cand, by_id: dict, may_implement) -> TargetLinkResult:
    found = _candidate(c.local, c.source, by_id, may_implement)
    assert found is not None
    return found[1]


def _candidate(lt: dict, st: dict, by_id: dict, may_implement, *, build: bool = True
               ) -> tuple[bool, TargetLinkResult | _Cand] | None:
    """The link of the local target ``lt`` to ``st`` if they measure the same thing and ``lt`` is the local
    side, with whether it is vertical (``st``'s document is one ``lt``'s may implement) or between peers (the
    same level and jurisdiction); else None.  ``build=False``: the same answer, with a :class:`_Cand` (what
    ranking needs) instead of the link — its relation, ratio, conflict text and confidence left uncomputed."""
    if st["doc"] == lt["doc"]:
        return None
    ld, sd = by_id[lt["doc"]], by_id[st["doc"]]
    m = metric_match(lt["metric"], st["metric"])
    if m is None:
        return None
    how, strength = m
    relation = ratio = conflict = None
    lv, sv = float(lt["value"]), float(st["value"])
    ly, sy = lt.get("deadline_year"), st.get("deadline_year")
    vertical = may_implement(ld, sd)
    if vertical:
        if ly and sy and abs(ly - sy) > 2:
            return None  # a national target of another period is not what this one scales down
        if _is_rate(lt.get("unit")):
            relation = _rate_relation(lt, st)
        else:
            if sv == 0 or lv > sv:
                return None  # a part larger than the whole: not the same metric
            relation, ratio = "share", lv / sv
        conf = strength * (0.95 if ly and sy and abs(ly - sy) <= 1 else 0.8)
    elif _peers(ld, sd):
        if ly and sy and ly != sy:
            if ly < sy:
                return None  # the later target is the local side of a successor link
            relation, ratio = "successor", (lv / sv if sv else None)
            conf = strength * 0.85
        elif ly == sy and ly:
            if abs(lv - sv) < 1e-9:
                relation = "same"
            else:
                if (ld.id, lt["iri"]) > (sd.id, st["iri"]):
                    return None  # one conflict link per pair of targets
                conflict = (f"同一指标、同一地区、同一年份（{ly}年）两个不同数值："
                            f"{ld.title} {_fmt(lt)}，{sd.title} {_fmt(st)}") if build else "conflict"
            if relation == "same" and (ld.id, lt["iri"]) > (sd.id, st["iri"]):
                return None
            conf = strength * 0.9
        else:
            return None
    else:
        return None
    if not build:
        return vertical, _Cand(lt, st, ld.iri, sd.iri, how)
    return vertical, TargetLinkResult(lt, st, ld.iri, sd.iri, how, relation, ratio, conflict,
                                      round(min(conf, 0.95), 3))


def _metric_partners(by_metric: dict[tuple[str, str], list], only: set[tuple[str, str]] | None = None
                     ) -> dict[tuple[str, str], list[str]]:
    """(unit, metric) → the metrics of that unit that :func:`metric_match` may join with it (itself included);
    ``only``: for these (unit, metric) keys alone (the others are not searched).

    Blocking, so that linking is not a comparison of every target with every other: only targets of the
    same unit are compared, and the fuzzy candidates of each normalised metric are found by rapidfuzz's
    C search with the same two scorers and cut-offs as :func:`metric_match` (a superset: every candidate
    is then checked by :func:`metric_match` itself)."""
    from rapidfuzz import process

    units: dict[str, list[str]] = {}
    for unit, metric in by_metric:
        units.setdefault(unit, []).append(metric)
    out: dict[tuple[str, str], list[str]] = {}
    for unit, metrics in units.items():
        norms: dict[str, list[str]] = {}
        for m in sorted(metrics):
            norms.setdefault(normalise_metric(m), []).append(m)
        keys = sorted(norms)
        sorted_keys = ["".join(sorted(k)) for k in keys]
        near: dict[str, set[str]] = {k: {k} for k in keys}
        wanted = None if only is None else {normalise_metric(m) for u, m in only if u == unit}
        for i, k in enumerate(keys):
            if len(k) < 2 or wanted is not None and k not in wanted:
                continue
            for _, _, j in process.extract(k, keys, scorer=fuzz.ratio, score_cutoff=MIN_METRIC - 1e-6, limit=None):
                near[k].add(keys[j])
            for _, _, j in process.extract(sorted_keys[i], sorted_keys, scorer=fuzz.ratio,
                                           score_cutoff=MIN_METRIC / 0.97 - 1e-6, limit=None):
                near[k].add(keys[j])
        for k, ms in norms.items():
            if wanted is not None and k not in wanted:
                continue
            cands = sorted(m for n in near[k] for m in norms[n])
            for m in ms:
                out[(unit, m)] = cands
    return out


def _strength(r: TargetLinkResult) -> float:
    if r.metric_match == "exact":
        return 1.0
    if r.metric_match == "normalised":
        return 0.9
    return round(0.8 * float(r.metric_match.split(":")[1]), 3)
