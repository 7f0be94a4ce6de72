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
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.yamlio import load_yaml
from rapidfuzz import fuzz

ONTOLOGY = Path(__file__).resolve().parent / "ontology"
MIN_METRIC = 88.0  # rapidfuzz ratio (0–100) for a fuzzy metric match


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


def link_targets(targets: list[dict], docs: dict, may_implement, changed: set[str] | None = None
                 ) -> list[TargetLinkResult]:
    """Every pair of linked targets, one link per (local target, source document), best metric match first.

    ``docs`` maps document IRIs to :class:`kg.lineage.DocInfo`; ``may_implement(local, source)`` says whether
    a document may implement another (level, territory, date).  ``changed`` (document IRIs): only the links
    with a document of that set on either side (an incremental rebuild reuses the others: a link depends on
    its two targets and their two documents only)."""
    from kg.extract.numbers import unit_key  # here: the query layer imports this module's metric names alone

    by_id = {d.id: d for d in docs.values()}
    pool = [t for t in targets if t.get("kind") == "target" and t.get("value") is not None and t.get("metric")
            and t["doc"] in by_id]
    by_metric: dict[tuple[str, str], list[dict]] = {}
    for t in pool:
        by_metric.setdefault((unit_key(t.get("unit")), t["metric"]), []).append(t)
    out: dict[tuple[str, str], TargetLinkResult] = {}
    if changed is None:
        partners = _metric_partners(by_metric)
        for lt in pool:
            unit = unit_key(lt.get("unit"))
            for st in (st for m in partners[(unit, lt["metric"])] for st in by_metric[(unit, m)]):
                _consider(out, lt, st, by_id, may_implement)
    else:
        ids = {docs[i].id for i in changed if i in docs}
        mine = [t for t in pool if t["doc"] in ids]
        partners = _metric_partners(by_metric, {(unit_key(t.get("unit")), t["metric"]) for t in mine})
        for x in mine:
            unit = unit_key(x.get("unit"))
            for y in (y for m in partners[(unit, x["metric"])] for y in by_metric[(unit, m)]):
                _consider(out, x, y, by_id, may_implement)
                if y["doc"] not in ids:  # the partner's side of the pair (metric partners are symmetric)
                    _consider(out, y, x, by_id, may_implement)
    return [out[k] for k in sorted(out)]


def _consider(out: dict[tuple[str, str], TargetLinkResult], lt: dict, st: dict, by_id: dict, may_implement) -> None:
    """Link the local target ``lt`` to ``st`` if they measure the same thing, keeping per (local target, source
    document) the best match (:func:`link_targets`)."""
    if st["doc"] == lt["doc"]:
        return
    ld, sd = by_id[lt["doc"]], by_id[st["doc"]]
    m = metric_match(lt["metric"], st["metric"])
    if m is None:
        return
    how, strength = m
    relation = ratio = conflict = None
    lv, sv = float(lt["value"]), float(st["value"])
    ly, sy = lt.get("deadline_year"), st.get("deadline_year")
    if may_implement(ld, sd):
        if ly and sy and abs(ly - sy) > 2:
            return  # a national target of another period is not what this one scales down
        if _is_rate(lt.get("unit")):
            relation = _rate_relation(lt, st)
        else:
            if sv == 0 or lv > sv:
                return  # a part larger than the whole: not the same metric
            relation, ratio = "share", lv / sv
        conf = strength * (0.95 if ly and sy and abs(ly - sy) <= 1 else 0.8)
    elif (ld.level, ld.jurisdiction) == (sd.level, sd.jurisdiction) and ld.level:
        if ly and sy and ly != sy:
            if ly < sy:
                return  # the later target is the local side of a successor link
            relation, ratio = "successor", (lv / sv if sv else None)
            conf = strength * 0.85
        elif ly == sy and ly:
            if abs(lv - sv) < 1e-9:
                relation = "same"
            else:
                if (ld.id, lt["iri"]) > (sd.id, st["iri"]):
                    return  # one conflict link per pair of targets
                conflict = (f"同一指标、同一地区、同一年份（{ly}年）两个不同数值："
                            f"{ld.title} {_fmt(lt)}，{sd.title} {_fmt(st)}")
            if relation == "same" and (ld.id, lt["iri"]) > (sd.id, st["iri"]):
                return
            conf = strength * 0.9
        else:
            return
    else:
        return
    key = (lt["iri"], sd.iri)
    best = out.get(key)
    rank = (-strength, abs((ly or 0) - (sy or 0)), st["iri"])
    if best is None or rank < (-_strength(best), abs((ly or 0) - (best.source.get("deadline_year") or 0)),
                               best.source["iri"]):
        out[key] = TargetLinkResult(lt, st, ld.iri, sd.iri, how, relation, ratio, conflict, round(min(conf, 0.95), 3))


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
