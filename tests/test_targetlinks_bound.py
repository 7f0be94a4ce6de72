"""Issue 9: a local target is linked to a bounded number of documents, the most plausible ones.

kg/targetlinks.py ``link_targets``: at most ``SOURCES_PER_TARGET`` documents above a local target (those its
document cites first, directly or through the documents it cites; then those it reaches by lineage links of
either kind, citations and clause alignments; then the nearest level, the nearest deadline year, the best
metric match, the document sharing the most metrics, the document id) and at most ``PEERS_PER_TARGET``
documents of its own level and jurisdiction (the same year first, then the nearest earlier one).
Synthetic documents, so that every step of the order is exercised."""
from __future__ import annotations

import pytest

import kg.targetlinks as tl
from kg.lineage import DocInfo, lineage_reach, may_implement

B = "https://policykg.example/doc/"


def doc(i: str, level: str, place: str, date: str) -> DocInfo:
    return DocInfo(B + i, i, f"{place}{i}", level, place, date, f"v-{i}", [])


def target(d: str, n: int, metric: str, value: float, year: int | None, unit: str = "个") -> dict:
    return {"iri": f"{B}{d}/t{n}", "doc": d, "kind": "target", "value": value, "metric": metric, "unit": unit,
            "deadline_year": year, "comparator": ">="}


DOCS = {d.iri: d for d in [
    doc("local", "county", "杨浦区", "2025-03-01"),
    # above it; the order in which they are expected, and why
    doc("n-cited", "national", "全国", "2024-01-01"),    # 1. cited by the local document (one link away)
    doc("n-via", "national", "全国", "2024-01-01"),      # 2. cited by the document the local one cites (two)
    doc("n-aligned", "national", "全国", "2024-01-01"),  # 3. the local document restates its clauses
    doc("p-near", "provincial", "上海市", "2024-06-01"),  # 4. unlinked; the nearest level
    doc("n-2025b", "national", "全国", "2024-01-01"),    # 5. unlinked national, same year; shares two metrics
    doc("n-2025a", "national", "全国", "2024-01-01"),    # 6. the same, one metric shared (id would put it first)
    doc("n-2026", "national", "全国", "2024-01-01"),     # 7. a year further
    doc("n-fuzzy", "national", "全国", "2024-01-01"),    # 8. as far in years, a weaker metric match
    doc("n-late", "national", "全国", "2026-01-01"),     # never: later than the local document
    # its own level and jurisdiction
    doc("peer-same", "county", "杨浦区", "2024-01-01"),   # the same year, the same value: same
    doc("peer-other", "county", "杨浦区", "2024-02-01"),  # the same year, another value: a conflict
    doc("peer-2023", "county", "杨浦区", "2022-01-01"),   # successor: the nearest earlier year
    doc("peer-2021", "county", "杨浦区", "2020-01-01"),   # an earlier one still
    doc("peer-2019", "county", "杨浦区", "2018-01-01"),
]}
ORDER = ["n-cited", "n-via", "n-aligned", "p-near", "n-2025b", "n-2025a", "n-2026", "n-fuzzy"]
PEERS = ["peer-other", "peer-same", "peer-2023", "peer-2021", "peer-2019"]

TARGETS = [
    target("local", 1, "5G基站", 1000, 2025),
    target("local", 2, "千兆光网用户", 500, 2025, "户"),
    target("n-cited", 1, "5G基站", 3000000, 2027),
    target("n-via", 1, "5G基站", 3000000, 2027),
    target("n-aligned", 1, "5G基站", 3000000, 2027),
    target("p-near", 1, "5G基站", 60000, 2025),
    target("n-2025b", 1, "5G基站", 3000000, 2025),
    target("n-2025b", 2, "千兆光网用户", 60000000, 2025, "户"),
    target("n-2025a", 1, "5G基站", 3000000, 2025),
    target("n-2026", 1, "5G基站", 3000000, 2026),
    target("n-fuzzy", 1, "5G宏基站", 3000000, 2026),
    target("n-late", 1, "5G基站", 3000000, 2025),
    target("peer-same", 1, "5G基站", 1000, 2025),
    target("peer-other", 1, "5G基站", 1200, 2025),
    target("peer-2023", 1, "5G基站", 800, 2023),
    target("peer-2021", 1, "5G基站", 500, 2021),
    target("peer-2019", 1, "5G基站", 300, 2019),
]
CITED = {(B + "local", B + "n-cited"), (B + "n-cited", B + "n-via"), (B + "p-near", B + "n-2026")}
ALIGNED = {(B + "local", B + "n-aligned"), (B + "local", B + "n-via")}


def reach():
    return lineage_reach(DOCS, CITED, ALIGNED)


def sources(links, t: str = "t1") -> list[str]:
    return sorted(x.source_doc.rsplit("/", 1)[1] for x in links if x.local["iri"].endswith(f"/local/{t}"))


def test_the_fixture_means_what_it_says():
    from kg.targetlinks import metric_match

    assert metric_match("5G基站", "5G宏基站")[0].startswith("fuzzy:")  # weaker than exact
    assert not may_implement(DOCS[B + "local"], DOCS[B + "n-late"])
    assert all(may_implement(DOCS[B + "local"], DOCS[B + d]) for d in ORDER)
    assert reach()[B + "local"] == {B + "n-cited": (1, 1), B + "n-via": (2, 1), B + "n-aligned": (99, 1)}


@pytest.mark.parametrize("k", range(1, len(ORDER) + 1))
def test_exactly_the_k_most_plausible_sources_are_linked(monkeypatch, k):
    monkeypatch.setattr(tl, "SOURCES_PER_TARGET", k)
    monkeypatch.setattr(tl, "PEERS_PER_TARGET", 0)
    links = tl.link_targets(TARGETS, DOCS, may_implement, lineage=reach())
    assert sources(links) == sorted(ORDER[:k])
    # the other local target has one source only: it is linked whatever the others do
    assert sources(links, "t2") == ["n-2025b"]


def test_the_default_bound_and_peers():
    assert tl.SOURCES_PER_TARGET == 3 and tl.PEERS_PER_TARGET == 3
    links = tl.link_targets(TARGETS, DOCS, may_implement, lineage=reach())
    local = [x for x in links if x.local["iri"] == B + "local/t1"]
    assert sources(local) == sorted(ORDER[:3] + PEERS[:3])
    rel = {x.source_doc.rsplit("/", 1)[1]: (x.relation, bool(x.conflict)) for x in local}
    assert rel["peer-same"] == ("same", False) and rel["peer-other"] == (None, True)
    assert rel["peer-2023"] == ("successor", False) and rel["n-aligned"] == ("share", False)
    # every local target, whatever the corpus holds, has at most 3 + 3 links
    per: dict[str, int] = {}
    for x in links:
        per[x.local["iri"]] = per.get(x.local["iri"], 0) + 1
    assert max(per.values()) <= tl.SOURCES_PER_TARGET + tl.PEERS_PER_TARGET


def test_without_lineage_the_nearest_level_and_year_come_first():
    links = tl.link_targets(TARGETS, DOCS, may_implement)
    assert [s for s in sources(links) if s in ORDER] == sorted(["p-near", "n-2025b", "n-2025a"])


def test_linking_some_local_documents_gives_exactly_their_links_of_the_full_computation():
    full = tl.link_targets(TARGETS, DOCS, may_implement, lineage=reach())
    for d in DOCS:
        part = tl.link_targets(TARGETS, DOCS, may_implement, {d}, reach())
        assert part == [x for x in full if x.local_doc == d]
    assert tl.link_targets(TARGETS, DOCS, may_implement, set(), reach()) == []


def test_memoised_may_implement_is_may_implement():
    """Target linking remembers may_implement's level-and-territory half per (local document, source level and
    place), not per pair of documents (which grew with the square of the corpus): the same answer for every pair,
    dates included, whatever order the pairs are asked in."""
    from kg.lineage import _memo_implements

    docs = list(DOCS.values()) + [doc("sh", "provincial", "上海市", "2026-01-01"), doc("zj", "provincial", "浙江省", "2023"),
                                  doc("hz", "prefectural", "杭州市", "2024-05-01"), doc("nodate", "national", "全国", None),
                                  doc("x", None, None, "2024-01-01")]
    for order in (docs, docs[::-1]):
        memo = _memo_implements()
        for a in order:
            for b in order:
                assert memo(a, b) == may_implement(a, b), (a.id, b.id)


def test_light_candidates_rank_as_the_links_they_become():
    """The candidate boxes hold light records; the kept ones are built as links: the same answer as building
    every link (whether a pair is a candidate, vertical or a peer, and the link built)."""
    from kg.lineage import _memo_implements

    targets = [target("local", 1, "5G基站", 100, 2025), target("n-cited", 1, "5G基站", 1000, 2025),
               target("p-near", 1, "5G基站数", 500, 2025), target("local", 2, "5G基站", 100, 2025),
               target("n-late", 1, "5G基站", 1000, 2025)]
    by_id = {d.id: d for d in DOCS.values()}
    memo = _memo_implements()
    for lt in targets:
        for st in targets:
            light = tl._candidate(lt, st, by_id, memo, build=False)
            full = tl._candidate(lt, st, by_id, memo)
            assert (light is None) == (full is None)
            if full is not None:
                assert light[0] == full[0] and tl._built(light[1], by_id, memo) == full[1]
                assert tl._strength(light[1]) == tl._strength(full[1])
