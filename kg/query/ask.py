"""Questions in Chinese (``kg ask``): understand, link, query the graph, answer with evidence.

Deterministic and offline — no language model.  Three steps:

1. **Intent** — cue words and patterns kept as data in ``kg/ontology/question_patterns.yaml``; a question
   with several sub-questions (“…落实了哪些国家文件？哪一条对应国家文件的哪一条？”) gets one part per intent.
2. **Entities** — linked against the store only: documents (文号 with any brackets, full or short title,
   quoted nickname such as 物智沪联, fuzzy title), agencies (names in the graph, the surfaces the documents
   use for them, and the aliases of the agencies the graph holds), metrics (the metric strings of the
   targets in the graph), years and planning periods (十四五), places, clause labels (五（四）).
   A document may also be named by words of its title (上海信息通信业营商环境行动方案: most of the words'
   character bigrams in one title), by year and type (2021年的行动计划), by issuer and type (工信部通知), or
   described (上海市落实万物智联通知的行动计划 → the place's corpus document implementing it).  A described
   document the corpus lacks (北京市落实…的实施方案), or another place's version of a title, is said to be missing
   — the question is never answered about the document it was described by.  A quoted clause heading
   (“安全与标准”一条) names that clause.  Intents may have modes (question_patterns.yaml): coverage questions
   (哪些条款没有承接 / 哪些内容是自己加的) and yes/no lineage questions (甲是落实乙的吗).
3. **Answer** — from the query layer (``kg.query.facts``, ``kg.query.docs``, ``kg.query.lineage``,
   ``kg.query.compare``); every statement cites its clause (document short title + clause label).  When the
   corpus holds no answer, ``answered`` is false and the answer says what was understood and what is missing.

The result is the contract of ``kg ask --json``: ``question``, ``intent``, ``entities``, ``answer``,
``evidence``, ``answered`` (+ ``intents``, ``parts``, ``understood``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from ..errors import DocumentNotFound
from ..store import GraphStore
from ..patterns import pattern
from ..yamlio import load_yaml
from .labels import LEVEL_SOURCE_ZH, LEVEL_ZH, METHOD_ZH, RELATION_ZH
from . import facts as fq, shared_labels
from .docs import ENTRIES_ONE_BY_ONE, _key, find_doc, list_docs
from .search import StateCache, all_clauses, docs_state, full_state, persisted, reads

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"

# --------------------------------------------------------------------------------------------- config


@dataclass(frozen=True)
class _Intent:
    name: str
    label: str
    patterns: tuple
    needs: tuple
    suppresses: tuple
    requires_entity: str | None
    modes: tuple = ()  # (mode name, compiled patterns): kinds of the question within the intent


@dataclass(frozen=True)
class _Config:
    intents: tuple
    corpus_wide: frozenset
    level_words: dict
    anaphora: tuple
    doc_types: tuple
    metric_stop: tuple
    metric_suffixes: frozenset
    question_fillers: tuple
    templates: dict
    periods: tuple  # (name, start, end)
    places: tuple  # (surface, canonical name)
    implementing_verbs: tuple = ()
    targets_word: re.Pattern = re.compile("(?!)")  # a comparison of one document's targets (compare_targets_word)


@lru_cache(maxsize=1)
def _config() -> _Config:
    data = load_yaml(ONTOLOGY / "question_patterns.yaml")
    intents = tuple(
        _Intent(name, spec.get("label", name), tuple(re.compile(p) for p in spec.get("patterns", [])),
                tuple(spec.get("needs", [])), tuple(spec.get("suppresses", [])), spec.get("requires_entity"),
                tuple((m, tuple(re.compile(p) for p in ps)) for m, ps in (spec.get("modes") or {}).items()))
        for name, spec in data["intents"].items())
    ent = data.get("entities", {})
    periods = []
    pdata = load_yaml(ONTOLOGY / "periods.yaml")
    for p in pdata.get("five_year_plans", []):
        for n in list(p.get("names", [])) + list(p.get("long_names", [])):
            periods.append((n, int(p["start"]), int(p["end"])))
    places = []
    for p in load_yaml(ONTOLOGY / "places.yaml").get("places", []):
        if p.get("id") == "cn":
            continue
        for s in [p["name"], *p.get("short", [])]:
            if len(s) >= 2:
                places.append((s, p["name"]))
    return _Config(
        intents=intents, corpus_wide=frozenset(data.get("corpus_wide", [])),
        level_words={k: tuple(v) for k, v in ent.get("level_words", {}).items()},
        anaphora=tuple(ent.get("anaphora", [])), doc_types=tuple(ent.get("doc_types", [])),
        metric_stop=tuple(ent.get("metric_stop", [])), metric_suffixes=frozenset(ent.get("metric_suffixes", [])),
        question_fillers=tuple(sorted(ent.get("question_fillers", []), key=lambda w: -len(w))),
        templates=data.get("templates", {}),
        periods=tuple(sorted(periods, key=lambda x: -len(x[0]))),
        places=tuple(sorted(places, key=lambda x: (-len(x[0]), x[0]))),
        implementing_verbs=tuple(sorted(ent.get("implementing_verbs", []), key=lambda w: -len(w))),
        targets_word=re.compile(ent.get("compare_targets_word", "(?!)")),
    )


def _mode(q: str, intent: str) -> str | None:
    """The first of the intent's modes (kg/ontology/question_patterns.yaml) whose patterns match ``q``."""
    for it in _config().intents:
        if it.name == intent:
            for name, pats in it.modes:
                if any(p.search(q) for p in pats):
                    return name
    return None


# --------------------------------------------------------------------------------------------- context

_PERIOD_PAREN = re.compile(r"[（(]\s*\d{4}\s*[—–\-－~～至到]+\s*\d{4}\s*年?\s*[）)]")
_QUOTED = re.compile(r"[“\"]([^”\"]{2,16})[”\"]")
_LEVEL_ZH = LEVEL_ZH


def _norm(s: str) -> str:
    """A key for matching metric strings: no spaces or quotes, one kind of dash, half-width, lower case."""
    s = (s or "").translate(_FW)
    s = re.sub(r"[\s“”\"'‘’《》]", "", s)
    s = re.sub(r"[—–－~～]", "-", s)
    return s.lower()


_FW = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FW.update({0x3000: 0x20})
for _ch in "（）":  # keep Chinese brackets as they are (clause labels use them)
    _FW.pop(ord(_ch), None)


@dataclass
class _Ctx:
    docs: list
    by_id: dict
    doc_names: list  # (key, how, doc id)
    agencies: list  # (surface, how, canonical, iri, kind)
    metrics: list  # distinct metric strings
    jurisdictions: list
    short: dict  # doc id -> short title
    missing_agencies: list = field(default_factory=list)  # (surface, name) of bodies not in the store
    agency_ids: dict = field(default_factory=dict)  # agency IRI -> gazetteer id
    name_bigrams: list | None = None  # (doc id, bigram sets of its names), filled on first use
    # and, read when a question first needs them (:meth:`__getattr__`): ``targets``, ``parties``, ``deadlines``
    # (every fact of the kind, as kg.query.facts gives them) and ``clauses`` ((doc id, clause id) → clause)

    def __getattr__(self, name: str):
        # every fact of a kind, read when a question first needs them all: a question about one document reads
        # that document's (:func:`_doc_facts`, :func:`_doc_clauses`), one about a metric the targets that measure
        # it (:func:`_targets_of_metrics`); read once per store state and kept on disk for the next process
        if name not in _CTX_PARTS or "_store" not in self.__dict__:
            raise AttributeError(name)
        with self.__dict__["_lock"]:
            if name not in self.__dict__:
                store = self.__dict__["_store"]
                self.__dict__[name] = persisted(f"ask-{name}", store, lambda: _CTX_PARTS[name](store))
        return self.__dict__[name]

    def __getstate__(self) -> dict:  # the names and documents; the facts and clauses are read again as needed
        return {k: v for k, v in self.__dict__.items() if k not in _CTX_PARTS and not k.startswith("_")}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)


def _doc_facts(ctx: _Ctx, kind: str, did: str) -> list[dict]:
    """``[x for x in getattr(ctx, kind) if x["doc"] == did]`` (kind: targets, parties, deadlines), in the same
    order: read for that document only unless every fact of the kind has been read already."""
    d = ctx.__dict__
    if kind in d or did not in ctx.by_id:
        return [x for x in getattr(ctx, kind) if x["doc"] == did]
    memo = d.setdefault("_doc_facts", {})
    if (kind, did) not in memo:
        memo[(kind, did)] = fq.facts_of(kind, d["_store"], ctx.by_id[did]["iri"])
    return memo[(kind, did)]


_TARGETS_OF_METRICS = """
SELECT DISTINCT ?f WHERE { VALUES ?m { %s } ?f kg:metric ?m ; a kg:Target }
"""


def _targets_of_metrics(ctx: _Ctx, metrics: set) -> list[dict]:
    """``[t for t in ctx.targets if t["metric"] in metrics]``: unless every target has been read already, the
    targets that measure these metrics, found through the store's index (a question about 5G基站 reads the
    targets that measure it, not every target of the store)."""
    d = ctx.__dict__
    if "targets" not in d and "_store" in d and metrics and all(isinstance(m, str) for m in metrics):
        from rdflib import Literal

        memo = d.setdefault("_by_metric", {})
        key = frozenset(metrics)
        if key not in memo:
            values = " ".join(Literal(m, lang="zh").n3() for m in sorted(metrics))
            iris = [r["f"] for r in d["_store"].select(_TARGETS_OF_METRICS % values)]
            memo[key] = fq.facts_by_iri("targets", d["_store"], iris)
        return memo[key]
    return [t for t in ctx.targets if t["metric"] in metrics]


def _clauses_by_doc(clauses: dict) -> dict[str, dict]:
    """``(doc id, clause id) → clause`` grouped by document, each group and the documents in the table's order."""
    groups: dict[str, dict] = {}
    for k, c in clauses.items():
        groups.setdefault(k[0], {})[k] = c
    return groups


def _doc_clauses(ctx: _Ctx, doc: str) -> dict:
    """``ctx.clauses`` of one document (``(doc id, clause id) → clause``, in the same order): read for that
    document only unless every clause has been read already — a question about one document's lineage reads its
    clauses, not every clause of the store."""
    d = ctx.__dict__
    by_doc = d.setdefault("_by_doc", {})
    got = by_doc.get(doc)
    if got is not None:
        return got
    if "clauses" not in d and "_store" in d:
        iri = ctx.by_id[doc]["iri"] if doc in ctx.by_id else None
        got = {(c["doc"], c["clause_id"]): c for c in all_clauses(d["_store"], iri)} if iri else {}
    else:
        groups = _clauses_by_doc(ctx.clauses)
        for x, cs in groups.items():
            by_doc.setdefault(x, cs)
        got = groups.get(doc, {})
    by_doc[doc] = got
    return got


# the context's fields read from the store by their own queries: read when first used (:meth:`_Ctx.__getattr__`)
_CTX_PARTS = {
    "targets": lambda store: fq.targets(store),
    "parties": lambda store: fq.parties(store),
    "deadlines": lambda store: fq.deadlines(store),
    "clauses": lambda store: {(c["doc"], c["clause_id"]): c for c in all_clauses(store)},
}


_ctx_cache = StateCache()


def _context(store: GraphStore) -> _Ctx:
    """The index of names (read once per state of the documents in a process; built by the first question after
    a write and kept on disk for later processes: :func:`kg.query.search.persisted`); its facts and clauses are
    read as questions need them."""
    import threading

    key = ("ask",) + docs_state(store)
    ctx = _ctx_cache.get(key, lambda: persisted("ask-context", store, lambda: _build_context(store)))
    ctx.__dict__.setdefault("_lock", threading.RLock())
    ctx.__dict__["_store"] = store
    return ctx


def _short_title(d: dict, cfg: _Config) -> str:
    title = d["title"] or d["id"]
    t = _PERIOD_PAREN.sub("", title)
    m = _QUOTED.search(t)
    if m and m.group(1) not in {p[0] for p in cfg.periods}:
        rest = t[m.end():]
        for dt in cfg.doc_types:
            if rest.endswith(dt):
                return f"“{m.group(1)}”{dt}"
        return f"“{m.group(1)}”"
    t = re.sub(r"^.{2,40}?关于", "", t) if "关于" in t[:40] else t
    return t


def _doc_variants(d: dict, cfg: _Config) -> list[tuple[str, str]]:
    """(name, how) pairs a question may use for a document."""
    out: list[tuple[str, str]] = []
    if d["doc_number"]:
        out.append((d["doc_number"], "文号"))
    for t in [d["title"], d["notice_title"], *d.get("alt_titles", [])]:
        if not t:
            continue
        out.append((t, "标题"))
        bare = _PERIOD_PAREN.sub("", t)
        if bare != t:
            out.append((bare, "标题"))
        if "关于" in bare[:40]:
            after = re.sub(r"^.{2,40}?关于", "", bare)
            out.append((after, "简称"))
            after2 = re.sub(r"^(?:印发|推进|加快|进一步|促进|做好|开展)", "", after)
            if after2 != after:
                out.append((after2, "简称"))
        for place, _ in cfg.places:
            if bare.startswith(place) and len(bare) - len(place) >= 6:
                out.append((bare[len(place):], "简称"))
                break
        periods = {p[0] for p in cfg.periods}
        for m in _QUOTED.finditer(bare):
            nick = m.group(1)
            rest = bare[m.end():]
            for dt in cfg.doc_types:
                if dt in rest:
                    out.append((nick + dt, "别称"))
                    break
            if nick not in periods:
                out.append((nick, "别称"))
    return out


def _build_context(store: GraphStore) -> _Ctx:
    cfg = _config()
    docs = list_docs(store, current_only=True)  # questions are about current versions (a revision supersedes)
    by_id = {d["id"]: d for d in docs}
    names: dict[tuple[str, str], str] = {}
    for d in docs:
        for name, how in _doc_variants(d, cfg):
            k = _key(name)
            if len(k) >= (4 if how == "别称" else 6) or how == "文号":
                names.setdefault((k, d["id"]), how)
    # a name that fits several documents names none of them
    count: dict[str, set] = {}
    for (k, did) in names:
        count.setdefault(k, set()).add(did)
    doc_names = sorted(((k, how, did) for (k, did), how in names.items() if len(count[k]) == 1),
                       key=lambda x: (-len(x[0]), x[0], x[2]))
    # what the names need of every party and target: the words a text calls a body by, the metrics measured
    # (not every fact of the store: those are read as questions need them)
    parties = _party_surfaces(store)  # (every document's, superseded versions too)
    metrics = sorted({r["m"] for r in store.select(_METRICS, union=False) if r["m"]})
    orgs = store.select(_ORGS)
    agency_ids = {r["a"]: r["aid"] for r in orgs if r["aid"]}
    missing = _missing_agencies({r["p"] for r in orgs}, set(agency_ids.values()))
    return _Ctx(
        missing_agencies=missing, agency_ids=agency_ids,
        docs=docs, by_id=by_id, doc_names=doc_names, agencies=_agency_aliases(store, parties, cfg, orgs),
        metrics=metrics,
        jurisdictions=sorted({d["jurisdiction"] for d in docs if d["jurisdiction"]}),
        short={d["id"]: _short_title(d, cfg) for d in docs},
    )


# the words texts call bodies by (every party's surface, body and type: what _agency_aliases reads of the parties;
# 484 distinct of 112,775 parties at 1,000 documents, in 2.8 s — the parties' own rows took 16 s), then the bodies'
# names, and every metric measured
_SURFACE_PATTERN = "?f kg:agent ?party_iri ; kg:surface ?surface ; kg:partyType ?party_type"
_PARTY_SURFACES = f"SELECT DISTINCT ?surface ?party_iri ?party_type WHERE {{ GRAPH ?g {{ {_SURFACE_PATTERN} }} }}"
_AGENT_NAMES = "SELECT DISTINCT ?a ?name WHERE { VALUES ?a { %s } ?a skos:prefLabel ?name }"
_METRICS = "SELECT DISTINCT ?m WHERE { GRAPH ?g { ?t a kg:Target ; kg:metric ?m } }"


# (by graph: every document's at once; in one graph: one document's)
_PARTY_SURFACES_BY_GRAPH = _PARTY_SURFACES.replace("SELECT DISTINCT", "SELECT DISTINCT ?g", 1)
_PARTY_SURFACES_IN = _PARTY_SURFACES.replace("GRAPH ?g", "GRAPH <%s>", 1)


def _surface_rows(store: GraphStore, docs: list[dict]) -> list[dict]:
    """The distinct (surface, party_iri, party_type) rows of :data:`_PARTY_SURFACES`: each document's kept on disk
    under its manifest record (:mod:`kg.query.kept`), so that after a build only the documents it changed are read
    (at 1,000 documents the whole query costs 2.8–7.6 s of CPU, at 10,000 28 s, at every first question after any
    write).  A store whose documents the manifest does not account for, or that keeps nothing, is read whole."""
    from .kept import Kept, doc_keys

    keys = doc_keys(store)
    kept = Kept(store)
    if kept.dir is None or not keys or any(d["iri"] not in keys for d in docs):
        return store.select(_PARTY_SURFACES, union=False)
    have: dict[str, list] = {}
    missing = []
    for d, k in keys.items():
        v = kept.load("surfaces", k)
        if v is None:
            missing.append(d)
        else:
            have[d] = v
    if len(missing) > ENTRIES_ONE_BY_ONE:  # as the document list: one query over every graph, else one a document
        graph_doc = {str(store.iris.graph_of_doc(d)): d for d in missing}
        got: dict[str, list] = {d: [] for d in missing}
        for r in store.select(_PARTY_SURFACES_BY_GRAPH, union=False):
            d = graph_doc.get(r["g"])
            if d is not None:
                got[d].append((r["surface"], r["party_iri"], r["party_type"]))
    else:
        got = {d: [(r["surface"], r["party_iri"], r["party_type"])
                   for r in store.select(_PARTY_SURFACES_IN % store.iris.graph_of_doc(d), union=False)]
               for d in missing}
    for d, rows in got.items():
        have[d] = sorted(set(rows))
        kept.save("surfaces", keys[d], have[d])
    return [{"surface": s, "party_iri": i, "party_type": t}
            for s, i, t in sorted({row for rows in have.values() for row in rows})]


def _party_surfaces(store: GraphStore, docs: list[dict] | None = None) -> list[dict]:
    """``{surface, party_iri, party, party_type}`` of every (surface, body) pair the parties of the store name,
    sorted."""
    rows = _surface_rows(store, docs if docs is not None else list_docs(store))
    agents = sorted({r["party_iri"] for r in rows})
    names: dict[str, list[str]] = {}
    for k in range(0, len(agents), 200):
        for r in store.select(_AGENT_NAMES % " ".join(f"<{a}>" for a in agents[k:k + 200])):
            names.setdefault(r["a"], []).append(r["name"])
    out = [{"surface": r["surface"], "party_iri": r["party_iri"], "party": n, "party_type": r["party_type"]}
           for r in rows for n in names.get(r["party_iri"], [])]
    return sorted(out, key=lambda p: (p["surface"], p["party_iri"], p["party"], p["party_type"]))


_ORGS = """
SELECT DISTINCT ?a ?p ?l ?aid ?kind WHERE {
  { SELECT DISTINCT ?a ?kind WHERE {
      { ?a a org:Organization . BIND("organization" AS ?kind) } UNION { ?a a kg:ActorClass . BIND("class" AS ?kind) } } }
  %s
  OPTIONAL { %s }
  OPTIONAL { %s }
}
""" % (shared_labels("?a", "?p"), shared_labels("?a", "?l", "skos:altLabel"), shared_labels("?a", "?aid", "kg:agencyId"))


@lru_cache(maxsize=1)
def _gazetteer_aliases() -> dict[str, list[str]]:
    """Aliases of the national agencies, read from the reviewed gazetteer data (kg/ontology/agencies.yaml)."""
    data = load_yaml(ONTOLOGY / "agencies.yaml")
    out: dict[str, list[str]] = {}
    for a in data.get("agencies", []) or []:
        out[a["id"]] = list(a.get("aliases") or [])
    return out


def _agency_aliases(store: GraphStore, parties: list[dict], cfg: _Config, rows: list[dict] | None = None) -> list:
    rows = store.select(_ORGS) if rows is None else rows  # (the caller's rows of the same query: read once)
    entries: dict[tuple[str, str], tuple] = {}

    def add(surface: str, how: str, canonical: str, iri: str, kind: str) -> None:
        surface = (surface or "").strip()
        if len(surface) < 2:
            return
        entries.setdefault((surface, iri), (surface, how, canonical, iri, kind))

    gaz = _gazetteer_aliases()
    for r in rows:
        pref, iri, kind = r["p"], r["a"], r["kind"]
        add(pref, "名称", pref, iri, kind)
        if r["l"]:
            add(r["l"], "别名", pref, iri, kind)
        aid = r["aid"] or ""
        base_id = aid[: -len("-general-office")] if aid.endswith("-general-office") else aid
        for al in gaz.get(aid, []):
            add(al, "别名", pref, iri, kind)
        if base_id != aid:
            for al in gaz.get(base_id, []):
                add(al + "办公厅", "别名", pref, iri, kind)
        if "委员会" in pref:
            add(pref.replace("委员会", "委"), "别名", pref, iri, kind)
            add(pref.replace("委员会", "委").replace("和", ""), "别名", pref, iri, kind)
        for place, pname in cfg.places:
            if pref.startswith(place) and len(pref) > len(place) + 1:
                rest = pref[len(place):]
                rel = "省" if pname.endswith("省") else "市"
                add(rel + rest, "别名", pref, iri, kind)
                if "委员会" in rest:
                    add(rel + rest.replace("委员会", "委"), "别名", pref, iri, kind)
                if len(rest) >= 4:
                    add(rest, "别名", pref, iri, kind)
                break
    for p in parties:
        if p.get("surface") and p.get("party_iri"):
            add(p["surface"], "文中称谓", p["party"], p["party_iri"], p["party_type"])
    # a surface that names two different bodies names neither
    by_surface: dict[str, set] = {}
    for (s, iri) in entries:
        by_surface.setdefault(s, set()).add(iri)
    out = [e for (s, iri), e in entries.items() if len(by_surface[s]) == 1]
    out.sort(key=lambda e: (-len(e[0]), e[0], e[3]))
    return out


def _missing_agencies(store_names: set[str], store_ids: set[str]) -> list[tuple[str, str]]:
    """(surface, canonical name) of the gazetteer's national bodies that the store does not hold, longest
    first: a question about one of them is answered with “not in the corpus”, never with another body."""
    data = load_yaml(ONTOLOGY / "agencies.yaml")
    out = []
    for a in data.get("agencies", []) or []:
        if a["id"] in store_ids or a["name"] in store_names:
            continue
        for n in [a["name"], *(a.get("aliases") or [])]:
            if len(n) >= 3:  # 中办/国办 would be read inside 集中办理
                out.append((n, a["name"]))
    return sorted(set(out), key=lambda x: (-len(x[0]), x[0]))


# --------------------------------------------------------------------------------------------- linking


@dataclass
class _Linked:
    entities: list = field(default_factory=list)
    docs: list = field(default_factory=list)  # doc ids, in order of mention
    agencies: list = field(default_factory=list)  # (canonical, iri, kind)
    metrics: list = field(default_factory=list)  # metric strings (store)
    metric_terms: list = field(default_factory=list)  # what the question called them
    years: list = field(default_factory=list)  # (start, end)
    clauses: list = field(default_factory=list)  # clause labels (normalised)
    places: list = field(default_factory=list)
    levels: list = field(default_factory=list)
    unresolved: list = field(default_factory=list)  # (type, text) named but not in the corpus
    anaphora: bool = False
    doc_pos: list = field(default_factory=list)  # (end offset in the question, doc id)
    doc_spans: list = field(default_factory=list)  # (start, end, doc id) of each linked mention
    derived_missing: str | None = None  # a described document (北京市落实…的实施方案) the corpus lacks
    clause_owner: dict = field(default_factory=dict)  # clause label -> the document named just before it
    memo: dict = field(default_factory=dict)  # per question: the store state, computed once
    question: str = ""


_DOCNUM = pattern("doc_number")  # kg/ontology/patterns.yaml: 文号, whatever the brackets
_BOOK = re.compile(r"《([^《》]{2,80})》")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年?(?:底|末|前|之前|以前)?")
_CLAUSE = re.compile(r"(?:[一二三四五六七八九十]+[（(][一二三四五六七八九十]+[）)](?:\d+\.?)?|专栏\s*\d+|"
                     r"[一二三四五六七八九十]+、\d+\.?|第[一二三四五六七八九十百]+条)")
_ASCII_TOKEN = re.compile(r"[a-z0-9]+(?:[./][a-z0-9]+)*")


class _Mask:
    """Which characters of the question are already taken by a linked name."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.taken = [False] * len(text)

    def free(self, a: int, b: int) -> bool:
        return not any(self.taken[a:b])

    def take(self, a: int, b: int) -> None:
        for i in range(a, b):
            self.taken[i] = True

    def masked(self) -> str:
        return "".join("|" if t else ch for ch, t in zip(self.text, self.taken))


def _find_all(hay: str, needle: str):
    i = hay.find(needle)
    while i >= 0:
        yield i
        i = hay.find(needle, i + 1)


def _link(store: GraphStore, ctx: _Ctx, q: str, context_doc: str | None) -> _Linked:
    cfg = _config()
    L = _Linked()
    mask = _Mask(q)

    def add_doc(did: str, text: str, how: str, a: int | None = None, b: int | None = None) -> None:
        if a is not None:
            mask.take(a, b)
            L.doc_pos.append((b, did))
            L.doc_spans.append((a, b, did))
        if did in L.docs:
            return
        L.docs.append(did)
        d = ctx.by_id[did]
        L.entities.append({"type": "doc", "text": text, "value": did, "how": how, "title": d["title"],
                           "doc_number": d["doc_number"], "iri": d["iri"], "short_title": ctx.short[did],
                           "_pos": a if a is not None else len(q)})

    # 1. 文号, whatever the brackets
    for m in _DOCNUM.finditer(q):
        mk = _key(m.group(0))
        hit = [d for d in ctx.docs if d["doc_number"] and mk.endswith(_key(d["doc_number"]))]
        if hit:
            g = m.group(0)
            idx = g.rfind(_key(hit[0]["doc_number"])[:2])
            add_doc(hit[0]["id"], g[idx:] if idx >= 0 else g, "文号", m.start() + max(idx, 0), m.end())
        else:
            mask.take(m.start(), m.end())
            L.unresolved.append(("doc", m.group(0)))
    # 2. 《title》
    for m in _BOOK.finditer(q):
        if not mask.free(m.start(), m.end()):
            continue
        try:
            d = find_doc(store, m.group(1), ctx.docs)
            add_doc(d["id"], m.group(0), "标题", m.start(), m.end())
        except DocumentNotFound:
            mask.take(m.start(), m.end())
            L.unresolved.append(("doc", m.group(0)))
    # 3. names, nicknames, short titles: longest first, on the punctuation-free key of the question
    qk, pos = _keyed(q)
    for k, how, did in ctx.doc_names:
        for i in _find_all(qk, k):
            a, b = pos[i], pos[i + len(k) - 1] + 1
            if a > 0 and q[a - 1] in "“\"《" and mask.free(a - 1, a):
                a -= 1
            if b < len(q) and q[b] in "”\"》" and mask.free(b, b + 1):
                b += 1
            if mask.free(a, b):
                add_doc(did, q[a:b], how, a, b)
    # 4. a year and a document type (2021年的行动计划), then the content words before a document-type word
    _year_type_docs(ctx, q, mask, add_doc, cfg)
    _partial_docs(ctx, q, mask, add_doc, cfg)
    # 5. fuzzy: the words before a document-type word, against every name
    if not L.docs:
        _fuzzy_docs(ctx, q, mask, add_doc, cfg)

    # agencies (names the graph holds, longest first)
    agency_spans = []
    for surface, how, canonical, iri, kind in ctx.agencies:
        for i in _find_all(q, surface):
            if mask.free(i, i + len(surface)):
                mask.take(i, i + len(surface))
                agency_spans.append((i, i + len(surface), canonical, iri))
                if iri not in [x[1] for x in L.agencies]:
                    L.agencies.append((canonical, iri, kind))
                    L.entities.append({"type": "agency", "text": surface, "value": canonical, "how": how,
                                       "iri": iri, "kind": kind})
    # an agency and a document type (工信部通知, 工信部的通知): the one document of that type it issued
    _agency_type_docs(ctx, q, mask, agency_spans, add_doc, cfg)
    # bodies the gazetteer knows but the corpus does not mention
    for surface, name in ctx.missing_agencies:
        for i in _find_all(q, surface):
            if mask.free(i, i + len(surface)):
                mask.take(i, i + len(surface))
                if ("agency", name) not in L.unresolved:
                    L.unresolved.append(("agency", name))
                    L.entities.append({"type": "agency", "text": surface, "value": name, "how": "不在语料库中"})
    # places
    for surface, name in cfg.places:
        for i in _find_all(q, surface):
            if mask.free(i, i + len(surface)):
                mask.take(i, i + len(surface))
                if name not in L.places:
                    L.places.append(name)
                    L.entities.append({"type": "place", "text": surface, "value": name, "how": "地名"})
    # a document name with another place's name in front (北京市物联网新型基础设施建设三年行动计划)
    _place_mismatch(ctx, q, L, cfg)
    # a document described by place + implementing verb + named document + type (北京市落实万物智联通知的实施方案)
    _derived_docs(store, ctx, q, L, cfg)
    # clause labels
    for m in _CLAUSE.finditer(q):
        if mask.free(m.start(), m.end()):
            mask.take(m.start(), m.end())
            label = m.group(0).replace("(", "（").replace(")", "）").replace(" ", "")
            L.clauses.append(label)
            before = [(end, did) for end, did in L.doc_pos if end <= m.start()]
            if before:  # 万物智联通知的五（二）: the clause of the document named just before it
                L.clause_owner[label] = max(before)[1]
            L.entities.append({"type": "clause", "text": m.group(0), "value": label, "how": "条款标签"})
    # clause headings in quotes (“安全与标准”一条): the clause of a named document with that heading
    _heading_clauses(ctx, q, mask, L)
    # years and periods
    for name, start, end in cfg.periods:
        for i in _find_all(q, name):
            if mask.free(i, i + len(name)):
                mask.take(i, i + len(name))
                L.years.append((start, end))
                L.entities.append({"type": "year", "text": name, "value": [start, end], "how": "规划期"})
    doc_starts = {a for a, _, _ in L.doc_spans}
    for m in _YEAR.finditer(q):
        if m.group(0).endswith("年") and any(m.end() + k in doc_starts for k in (0, 1) if q[m.end():m.end() + k] in ("", "的")):
            mask.take(m.start(), m.end())  # 2024年的万物智联通知: the document's year, not a target's
            continue
        if mask.free(m.start(), m.end()):
            mask.take(m.start(), m.end())
            y = int(m.group(1))
            L.years.append((y, y))
            L.entities.append({"type": "year", "text": m.group(0), "value": y, "how": "年份"})
    # metrics
    _link_metrics(ctx, mask, L, cfg)
    # level words (国家文件 → national), outside the names already linked (入选国家5G工厂名录 is a metric)
    masked = mask.masked()
    for level, words in cfg.level_words.items():
        for w in words:
            if w in masked and level not in L.levels and not any(w in m for m in L.metrics):
                L.levels.append(level)
                L.entities.append({"type": "level", "text": w, "value": level, "how": "层级词"})
                break
    # anaphora: “这个行动计划” refers to the document the caller is looking at
    L.anaphora = any(a in q for a in cfg.anaphora)
    if not L.docs and context_doc:
        try:
            d = find_doc(store, context_doc, ctx.docs)
            add_doc(d["id"], context_doc, "上下文")
        except DocumentNotFound:
            L.unresolved.append(("doc", context_doc))
    # documents in the order the question names them (the first is “A” of a comparison)
    pos = {e["value"]: e.pop("_pos") for e in L.entities if e["type"] == "doc"}
    L.docs.sort(key=lambda did: pos[did])
    order = {id(e): i for i, e in enumerate(L.entities)}
    L.entities.sort(key=lambda e: (0, pos[e["value"]]) if e["type"] == "doc" else (1, order[id(e)]))
    return L


def _keyed(q: str) -> tuple[str, list[int]]:
    """The question's matching key (as docs._key) and, for each key character, its index in ``q``."""
    chars, pos = [], []
    for i, ch in enumerate(q):
        k = _key(ch)
        if k:
            chars.append(k)
            pos.append(i)
    return "".join(chars), pos


def _bigrams(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1)}


def _name_bigrams(ctx: _Ctx, cfg: _Config) -> list[tuple[str, list[set]]]:
    """(doc id, the bigram sets of its names) for every document; computed once per context."""
    if ctx.name_bigrams is None:
        ctx.name_bigrams = [(d["id"], [_bigrams(_key(n)) for n, _ in _doc_variants(d, cfg) if len(_key(n)) >= 6])
                            for d in ctx.docs]
    return ctx.name_bigrams


def _types_re(cfg: _Config) -> str:
    return "|".join(re.escape(t) for t in sorted(cfg.doc_types, key=lambda t: -len(t)))


def _year_type_docs(ctx: _Ctx, q: str, mask: _Mask, add_doc, cfg: _Config) -> None:
    """“2021年的行动计划”, “2025年行动方案”: the one corpus document of that year with that type in its title
    (a year after 到/至 is a deadline, not a document's year)."""
    for m in re.finditer(r"((?:19|20)\d{2})年(?:的|发布的|印发的|出台的)?(" + _types_re(cfg) + ")", q):
        if not mask.free(m.start(), m.end()) or q[max(0, m.start() - 2):m.start()].endswith(("到", "至", "截至", "截止")):
            continue
        y, dt = int(m.group(1)), m.group(2)
        hit = [d for d in ctx.docs if _doc_year(d) == y and dt in _PERIOD_PAREN.sub("", d["title"] or "")]
        if len(hit) == 1:
            add_doc(hit[0]["id"], m.group(0), "年份+文种", m.start(), m.end())


def _partial_docs(ctx: _Ctx, q: str, mask: _Mask, add_doc, cfg: _Config) -> None:
    """A short title made of words of the full title (上海信息通信业营商环境行动方案 → 上海信息通信业聚焦提升企业感受
    持续打造…营商环境行动方案): the words before a document-type word, read from as far back as they still fit
    one document's name — at least 80 % of their character bigrams in that name, clearly more than in any other."""
    for m in re.finditer(_types_re(cfg), q):
        b = m.end()
        if not mask.free(m.start(), b):
            continue
        start = max(0, m.start() - 30)
        stop = max((q.rfind(ch, start, m.start()) for ch in "，,、；;：:（(）)？?！!。 "), default=-1)
        for a in range(max(start, stop + 1), m.start()):
            if not mask.free(a, b):
                continue
            chunk = _key(q[a:b])
            if len(chunk) - len(_key(m.group(0))) < 4:
                break
            bg = _bigrams(chunk)
            names = _name_bigrams(ctx, cfg)  # once per context, and only for a question that gets this far
            scored = sorted(((max((len(bg & nb) / len(bg) for nb in nbs), default=0.0), did) for did, nbs in names),
                            key=lambda x: (-x[0], x[1]))
            if scored and scored[0][0] >= 0.8 and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 0.15):
                nbs = next(n for did, n in names if did == scored[0][1])
                while b - a > 6 and not any(_key(q[a:a + 2]) in nb for nb in nbs):
                    a += 1  # leading words that are not the title's (在上海…): not part of the mention
                add_doc(scored[0][1], q[a:b], f"模糊匹配（词重合）:{scored[0][0]:.2f}", a, b)
                break


def _agency_type_docs(ctx: _Ctx, q: str, mask: _Mask, spans: list, add_doc, cfg: _Config) -> None:
    for a, b, canonical, iri in spans:
        m = re.match(r"(?:的|所发的|印发的|发布的)?(" + _types_re(cfg) + ")", q[b:])
        if not m or not mask.free(b, b + m.end()):
            continue
        bodies = {canonical}
        office = next((x for x, aid in ctx.agency_ids.items() if aid == f"{ctx.agency_ids.get(iri, '')}-general-office"), None)
        bodies |= {e[2] for e in ctx.agencies if e[3] == office}
        hit = [d for d in ctx.docs if bodies & set(d["issuers"]) and m.group(1) in (d["title"] or "")]
        if len(hit) == 1:
            add_doc(hit[0]["id"], q[a:b + m.end()], "机关+文种", b, b + m.end())


def _place_mismatch(ctx: _Ctx, q: str, L: _Linked, cfg: _Config) -> None:
    """A place written right before (or inside) a document's name that is not the document's own place: the
    question is about that place's document, which the corpus does not hold — never about the other one."""
    for a, b, did in list(L.doc_spans):
        d = ctx.by_id[did]
        title = (d["title"] or "") + (d["notice_title"] or "")
        for surface, name in cfg.places:
            if name == d["jurisdiction"] or surface in title or name in title:
                continue
            if d["level"] == "national" and name in ctx.jurisdictions:
                continue  # 上海万物智联通知的落实文件: the national document, seen from a place the corpus has
            if q[max(0, a - len(surface)):a] == surface or surface in q[a:b]:
                mention = q[a - len(surface):b] if q[max(0, a - len(surface)):a] == surface else q[a:b]
                L.docs = [x for x in L.docs if x != did]
                L.unresolved.append(("doc", mention))
                for e in L.entities:
                    if e["type"] == "doc" and e["value"] == did:
                        e["how"] += f"；但问的是{name}的文件，语料库中没有"
                break


def _derived_docs(store: GraphStore, ctx: _Ctx, q: str, L: _Linked, cfg: _Config) -> None:
    """<place> + <implementing verb> + <named document> + 的 + <document type>: the place's corpus document
    that implements the named one replaces it; when there is none, the question is about a document the
    corpus does not hold (L.derived_missing) and is never answered about the named document instead."""
    if not L.places or not cfg.implementing_verbs:
        return
    places = [s for s, name in cfg.places if name in L.places]
    types = _types_re(cfg)
    for a, b, did in sorted(L.doc_spans):
        before = q[max(0, a - 16):a]
        verb = next((v for v in cfg.implementing_verbs if before.endswith(v)), None)
        if not verb:
            continue
        head = before[: -len(verb)]
        head = re.sub(r"(?:的|所|为|要)$", "", head)
        place = next((p for p in sorted(places, key=len, reverse=True) if head.endswith(p)), None)
        tm = re.match(r"(?:的|之)?(" + types + ")", q[b:])
        if not place or not tm:
            continue
        pname = next(name for s, name in cfg.places if s == place)
        dtype = tm.group(1)
        down = _lineage(store, ctx, did, L.memo).get("downstream") or []
        cands = sorted({it["doc"] for it in down if it.get("doc") in ctx.by_id and it.get("review") != "rejected"
                        and ctx.by_id[it["doc"]]["jurisdiction"] == pname})
        typed = [c for c in cands if dtype in (ctx.by_id[c]["title"] or "")]
        pick = typed or cands
        named = ctx.short[did]
        if len(pick) == 1:
            new = pick[0]
            L.docs = [new if x == did else x for x in L.docs]
            for e in L.entities:
                if e["type"] == "doc" and e["value"] == did:
                    d = ctx.by_id[new]
                    e.update(value=new, how=f"描述：{pname}{verb}《{named}》的文件", title=d["title"],
                             doc_number=d["doc_number"], iri=d["iri"], short_title=ctx.short[new],
                             text=q[a - len(verb) - len(place):b + tm.end()])
            continue
        have = "、".join(f"《{ctx.short[it['doc']]}》（{ctx.by_id[it['doc']]['jurisdiction'] or '?'}）"
                        for it in down if it.get("doc") in ctx.by_id) or "无"
        L.derived_missing = cfg.templates["derived_missing"].format(place=pname, verb=verb, doc=f"《{named}》",
                                                                    dtype=dtype, have=have)
        L.unresolved.append(("doc", f"{pname}{verb}《{named}》的{dtype}"))
        L.docs = [x for x in L.docs if x != did]
        for e in L.entities:
            if e["type"] == "doc" and e["value"] == did:
                e["how"] += f"；问的是{pname}落实它的{dtype}，语料库中没有"
        return


def _heading_clauses(ctx: _Ctx, q: str, mask: _Mask, L: _Linked) -> None:
    """A quoted clause heading (沪通信管发〔2026〕5号的“安全与标准”一条): the clause of a named document whose
    heading it is (or begins, or is contained in) — the document named just before it first."""
    if not L.docs:
        return
    for m in _QUOTED.finditer(q):
        if not mask.free(m.start(), m.end()):
            continue
        want = _key(m.group(1))
        if len(want) < 2:
            continue
        before = [did for end, did in sorted(L.doc_pos, reverse=True) if end <= m.start()]
        order = before + [d for d in L.docs if d not in before]
        for did in order:
            hits = [c for c in sorted(_doc_clauses(ctx, did).values(), key=lambda c: c["span"][0])
                    if c.get("heading") and want in _key(c["heading"])]
            exact = [c for c in hits if _key(c["heading"]) == want]
            # a heading only partly quoted counts when the question says it is a clause (“…”一条/部分/条款)
            clause_word = re.match(r"(?:这一?|那一?|一)?(?:条|部分|节|段|项|条款|章节|内容)", q[m.end():])
            hits = exact or (hits if clause_word and len(want) >= 4 else [])
            how = "条款标题"
            if not hits and clause_word and len(want) >= 4:
                how = "条款文字"  # words of the clause's text (“保护用户权益”那部分)
                hits = [c for c in sorted(_doc_clauses(ctx, did).values(), key=lambda c: c["span"][0])
                        if want in _key(c.get("text") or "")][:1]
            if hits:
                c = hits[0]
                mask.take(m.start(), m.end())
                L.clauses.append(c["clause"])
                L.clause_owner[c["clause"]] = did
                L.entities.append({"type": "clause", "text": m.group(0), "value": c["clause"], "how": how})
                break


def _fuzzy_docs(ctx: _Ctx, q: str, mask: _Mask, add_doc, cfg: _Config) -> None:
    for dt in cfg.doc_types:
        for i in _find_all(q, dt):
            b = i + len(dt)
            a = max(0, i - 30)
            while a < i and not mask.free(a, b):
                a += 1
            chunk = _key(q[a:b])
            if len(chunk) < 6:
                continue
            scored = []
            for d in ctx.docs:
                best = 0.0
                for name, _ in _doc_variants(d, cfg):
                    nk = _key(name)
                    if len(nk) >= 6:
                        best = max(best, fuzz.partial_ratio(chunk, nk) if len(chunk) <= len(nk) else fuzz.partial_ratio(nk, chunk))
                scored.append((best, d["id"]))
            scored.sort(key=lambda x: (-x[0], x[1]))
            if scored and scored[0][0] >= 85 and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 8):
                add_doc(scored[0][1], q[a:b], f"模糊匹配:{scored[0][0] / 100:.2f}", a, b)
                return


def _link_metrics(ctx: _Ctx, mask: _Mask, L: _Linked, cfg: _Config) -> None:
    masked = mask.masked()
    qn = _norm(masked)
    norms = {m: _norm(m) for m in ctx.metrics}
    exact = sorted((m for m, n in norms.items() if len(n) >= 2 and n in qn), key=lambda m: (-len(norms[m]), m))
    # keep the longest non-overlapping exact mentions
    terms: list[str] = []
    for m in exact:
        n = norms[m]
        if not any(n in t for t in terms):
            terms.append(n)
    chosen: dict[str, str] = {}
    if terms:
        for t in terms:
            for m, n in sorted(norms.items()):
                if n == t:
                    chosen.setdefault(m, "精确")
                elif len(t) >= 3 and _same_measure(t, n, cfg):
                    chosen.setdefault(m, "包含")
    else:
        best: list[tuple[float, str]] = []
        for m, n in sorted(norms.items()):
            if len(n) < 4:
                continue
            if any(tok not in qn for tok in _ASCII_TOKEN.findall(n)):
                continue  # 6G基站 is not 5G基站
            s = fuzz.partial_ratio(n, qn)
            if s >= 75:
                best.append((s, m))
        if best:
            top = max(s for s, _ in best)
            for s, m in sorted(best, key=lambda x: (-x[0], x[1])):
                if s >= top - 5:
                    chosen[m] = f"模糊:{s / 100:.2f}"
    for m in sorted(chosen, key=lambda m: ({"精确": 0, "包含": 1}.get(chosen[m], 2), -len(m), m)):
        L.metrics.append(m)
        L.entities.append({"type": "metric", "text": _metric_surface(masked, m, terms), "value": m, "how": chosen[m]})
    L.metric_terms = terms
    if not chosen:
        term = _metric_guess(masked, cfg)
        if term:
            tn = _norm(term)
            hits = [m for m, n in sorted(norms.items()) if len(tn) >= 2 and tn in n]
            if hits:
                # a topic word rather than a metric (“5G目标”): every metric that contains it
                for m in sorted(hits, key=lambda m: (len(m), m)):
                    L.metrics.append(m)
                    L.entities.append({"type": "metric", "text": term, "value": m, "how": "关键词"})
                L.metric_terms = [tn]
            else:
                L.unresolved.append(("metric", term))


def _same_measure(term: str, metric: str, cfg: _Config) -> bool:
    """Does the metric measure what ``term`` names?  移动物联网终端连接数 measures 物联网终端连接数 (a modifier
    before it), 5G基站规模 measures 5G基站 (a measure word after it); 4G/5G物联网终端连接数占比 does not."""
    if term not in metric:
        return False
    if metric.endswith(term):
        return True
    tail = metric[metric.rfind(term) + len(term):]
    return tail in cfg.metric_suffixes


def _metric_surface(masked: str, metric: str, terms: list[str]) -> str:
    """The words of the question that named the metric, as the asker wrote them."""
    n = _norm(metric)
    for t in terms:
        if t in n:
            qk = "".join(_norm(ch) for ch in masked)
            pos = [i for i, ch in enumerate(masked) if _norm(ch)]
            i = qk.find(t)
            if i >= 0:
                return masked[pos[i]: pos[i + len(t) - 1] + 1]
            return t
    return metric


_GUESS = re.compile(r"([A-Za-z0-9\u4e00-\u9fff/\-]{2,16}?)(?:的)?(?:目标|指标|要达到|达到多少|是多少|有多少|多少)")


def _metric_guess(masked: str, cfg: _Config) -> str | None:
    """The words the question seems to ask a target for, when no metric of the corpus fits them."""
    for m in _GUESS.finditer(masked.replace("|", " ")):
        t = m.group(1)
        t = re.sub(r"^(?:到|在|至)?(?:\d{4}年)?(?:底|末)?(?:的)?", "", t)
        t = re.sub(r"^(?:关于|有关|对|中|里)", "", t)
        for w in cfg.question_fillers:
            t = t.replace(w, "")
        for w in cfg.metric_stop:
            if t.endswith(w) and len(t) > len(w):
                t = t[: -len(w)]
        if len(t) >= 2 and t not in cfg.metric_stop:
            return t
    return None


# --------------------------------------------------------------------------------------------- intents


def _unresolved(L: _Linked, kind: str) -> list[str]:
    return [t for k, t in L.unresolved if k == kind]


def _split(q: str) -> list[str]:
    parts = [p for p in re.split(r"[？?；;。！!\n]+", q) if p.strip()]
    return parts or [q]


def _intents(q: str, L: _Linked) -> list[str]:
    cfg = _config()
    out: list[str] = []
    for sub in _split(re.sub(r"\s+", "", q)):
        hits = []
        for it in cfg.intents:
            if it.requires_entity == "metric" and not L.metrics and (L.docs or not _unresolved(L, "metric")):
                continue
            if it.requires_entity == "agency" and not L.agencies:
                continue
            if any(p.search(sub) for p in it.patterns) or any(p.search(sub) for _, ps in it.modes for p in ps):
                hits.append(it)
        suppressed = {s for it in hits for s in it.suppresses}
        for it in hits:
            if it.name not in suppressed and it.name not in out:
                out.append(it.name)
    return out


# --------------------------------------------------------------------------------------------- answers


@dataclass
class _Part:
    intent: str
    answered: bool
    text: str
    evidence: list = field(default_factory=list)


def _ev(x: dict, ctx: _Ctx, **extra) -> dict:
    doc = x["doc"]
    d = ctx.by_id.get(doc, {})
    out = {"doc": doc, "doc_number": d.get("doc_number"), "doc_title": d.get("title"), "clause": x.get("clause"),
           "clause_id": x.get("clause_id"), "text": x.get("text"), "span": x.get("span")}
    out.update(extra)
    return out


def _cite(ctx: _Ctx, doc: str, clause: str | None) -> str:
    return f"《{ctx.short.get(doc, doc)}》{clause or ''}"


def _fmt_num(v) -> str:
    if v is None:
        return "?"
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, int) and v >= 10000:
        for div, name in ((100000000, "亿"), (10000, "万")):
            if v >= div:
                q = v / div
                return (f"{q:g}" if q != int(q) else str(int(q))) + name
    return f"{v:g}" if isinstance(v, float) else str(v)


_CMP = {">": "超过", ">=": "达到", "=": "为", "<=": "不超过", "<": "低于", "~": "约"}


def _fmt_target(t: dict) -> str:
    val = _fmt_num(t["value"]) + (t["unit"] or "")
    when = f"（{t['deadline_year']}年）" if t.get("deadline_year") else ""
    kind = {"achievement": "［已完成］", "baseline": "［基数］", "context": "［背景］", "criterion": "［条件］", "incentive": "［奖补］"}.get(t["kind"] or "", "")
    return f"{t['metric']}{_CMP.get(t['comparator'] or '', '')}{val}{when}{kind}"


def _doc_label(ctx: _Ctx, did: str) -> str:
    d = ctx.by_id[did]
    return f"《{d['title']}》" + (f"（{d['doc_number']}）" if d["doc_number"] else "")


def _need_doc(ctx: _Ctx, L: _Linked) -> str:
    cfg = _config()
    return cfg.templates["need_doc"]


_lineage_cache = StateCache(size=32)


def _lineage(store: GraphStore, ctx: _Ctx, did: str, memo: dict) -> dict:
    """``kg.query.lineage.lineage`` when it is there; else the explicit links from the references."""
    d = ctx.by_id[did]
    try:
        from . import lineage as lq
    except ImportError:
        lq = None
    if lq is not None and hasattr(lq, "lineage"):
        if "state" not in memo:
            memo["state"] = full_state(store)
        key = ("lineage",) + memo["state"] + (d["iri"], id(lq.lineage))
        return _lineage_cache.get(key, lambda: lq.lineage(store, d["iri"]))
    refs = fq.refs(store)
    up, down = [], []
    for r in refs:
        if r["relation"] == "self":
            continue
        if r["doc"] == did:
            tgt = ctx.by_id.get(r["resolved_doc"]) if r["resolved_doc"] else None
            up.append({"doc": r["resolved_doc"], "title": tgt["title"] if tgt else r["title"],
                       "doc_number": tgt["doc_number"] if tgt else r["doc_number"], "level": tgt["level"] if tgt else None,
                       "relation": r["relation"], "method": r["link_method"] or r["method"],
                       "confidence": r["link_confidence"] or r["confidence"],
                       "evidence": [{"clause": r["clause"], "text": r["text"], "span": r["span"]}],
                       "path": [did] + ([r["resolved_doc"]] if r["resolved_doc"] else []),
                       "external_iri": r["external_iri"], "review": "unreviewed"})
        elif r["resolved_doc"] == did:
            src = ctx.by_id[r["doc"]]
            down.append({"doc": r["doc"], "title": src["title"], "doc_number": src["doc_number"], "level": src["level"],
                         "relation": r["relation"], "method": r["link_method"] or r["method"],
                         "confidence": r["link_confidence"] or r["confidence"],
                         "evidence": [{"clause": r["clause"], "text": r["text"], "span": r["span"]}],
                         "path": [r["doc"], did], "external_iri": None, "review": "unreviewed"})
    return {"doc": d, "upstream": up, "downstream": down, "clause_alignments": [], "target_lineage": [], "coverage": []}


_REL_ZH = RELATION_ZH
_METHOD_ZH = METHOD_ZH


def _target_links_among(store: GraphStore, targets: list[dict]) -> list[dict]:
    """The target links between ``targets`` (rejected ones left out): :func:`kg.query.lineage.target_links_among`."""
    try:
        from . import lineage as lq
    except ImportError:
        return []
    return [r for r in lq.target_links_among(store, targets) if r.get("review") != "rejected"]


def _expand_metrics(store: GraphStore, L: _Linked) -> None:
    """Metrics the lineage step linked to the named ones (物联网连接数 → 移动物联网终端连接数)."""
    if not L.metrics or any(e["how"] == "关键词" for e in L.entities if e["type"] == "metric"):
        return
    named = set(L.metrics)
    extra: list[str] = []
    try:
        from . import lineage as lq
    except ImportError:
        return
    rejected = {s for s, r in lq.review_states(store).items() if r.get("state") == "rejected"}
    for iri, a, b in sorted(lq.metric_links(store, sorted(named))):
        if iri in rejected:
            continue
        for x, y in ((a, b), (b, a)):
            if x in named and y and y not in named and y not in extra:
                extra.append(y)
    for m in sorted(extra):
        L.metrics.append(m)
        L.entities.append({"type": "metric", "text": _metric_surface(L.question, m, L.metric_terms) if L.metric_terms else m,
                           "value": m, "how": "目标关联"})


def _citing_doc(item: dict, default: str) -> str:
    """The corpus document whose clause is the evidence of a lineage item (the one before it on its path)."""
    if item.get("from_doc"):
        return item["from_doc"]
    path = item.get("path") or []
    return path[-2] if len(path) >= 2 else default


def _link_ev(ctx: _Ctx, item: dict, doc_of_evidence: str) -> list[dict]:
    out = []
    for e in item.get("evidence") or []:
        ev = {"doc": doc_of_evidence, "clause": e.get("clause"), "clause_id": e.get("clause_id"),
              "text": e.get("text"), "span": e.get("span")}
        c = _clause_by_label(ctx, doc_of_evidence, e.get("clause"))
        if c and not ev["clause_id"]:
            ev["clause_id"] = c["clause_id"]
        out.append(_ev(ev, ctx))
    return out


def _clause_by_label(ctx: _Ctx, doc: str, label: str | None) -> dict | None:
    if not label:
        return None
    for c in _doc_clauses(ctx, doc).values():
        if c["clause"] == label:
            return c
    return None


def _level_ok(item_level: str | None, L: _Linked) -> bool:
    return not L.levels or item_level in L.levels


def _fmt_link(ctx: _Ctx, it: dict) -> str:
    title = f"《{it['title']}》" if it.get("title") else "（无标题）"
    bits = []
    if it.get("doc_number"):
        bits.append(it["doc_number"])
    if it.get("level"):
        bits.append(_LEVEL_ZH.get(it["level"], it["level"]))
        if it.get("level_source") in LEVEL_SOURCE_ZH:
            bits.append("层级" + LEVEL_SOURCE_ZH[it["level_source"]])
    if not it.get("doc"):
        bits.append("不在语料库中")
    via = [p for p in (it.get("path") or [])[1:-1] if p in ctx.by_id]
    if via:
        bits.append("经由" + "、".join(f"《{ctx.short[p]}》" for p in via) + "间接关联")
    head = title + (f"（{'，'.join(bits)}）" if bits else "")
    how = f"{_REL_ZH.get(it.get('relation'), it.get('relation') or '关联')}；方法：{_METHOD_ZH.get(it.get('method'), it.get('method'))}"
    if it.get("confidence") is not None:
        how += f"，置信度 {float(it['confidence']):.2f}"
    if it.get("review") and it["review"] != "unreviewed":
        how += f"，人工{ {'confirmed': '已确认', 'rejected': '已否定'}.get(it['review'], it['review'])}"
    ev = (it.get("evidence") or [None])[0]
    if ev and ev.get("clause"):
        sent = (ev.get("text") or "").strip()
        how += f"；依据：{ev['clause']}“{sent[:60]}{'…' if len(sent) > 60 else ''}”"
    return f"{head}——{how}"


def _fmt_ext(ctx: _Ctx, it: dict, did: str) -> str:
    via = _citing_doc(it, did)
    return f"《{it.get('title') or '?'}》" + (f"（由《{ctx.short[via]}》{_REL_ZH.get(it.get('relation'), '引用')}）"
                                             if via != did and via in ctx.short else "")


def _ans_lineage(store, ctx: _Ctx, L: _Linked, direction: str) -> _Part:
    intent = "lineage_up" if direction == "upstream" else "lineage_down"
    if not L.docs:
        return _Part(intent, False, _need_doc(ctx, L))
    if direction == "upstream" and len(L.docs) >= 2 and _mode(L.question, "lineage_up") == "yes_no":
        return _ans_lineage_yes_no(store, ctx, L)
    parts, ev, answered = [], [], False
    for did in L.docs[:2] if direction == "upstream" else L.docs[:1]:
        lin = _lineage(store, ctx, did, L.memo)
        items = [it for it in lin.get(direction) or [] if it.get("review") != "rejected"]
        # nearest first; at the same distance, documents of the corpus before external ones
        items = sorted(items, key=lambda it: (it.get("depth") or len(it.get("path") or []), it.get("doc") is None))
        wanted = [it for it in items if _level_ok(it.get("level"), L)]
        place = ""
        if direction == "downstream" and L.places:
            # 在上海有哪些落实文件: only the documents of the places named
            wanted = [it for it in wanted if (it.get("jurisdiction") or ctx.by_id.get(it.get("doc"), {}).get("jurisdiction"))
                      in L.places]
            place = "、".join(L.places)
        unknown_level = [it for it in items if L.levels and it.get("level") is None]
        name = _cite(ctx, did, None)
        lvl = "、".join(_LEVEL_ZH[x] for x in L.levels)
        if direction == "upstream":
            if not wanted:
                msg = f"语料库中没有{name}落实或依据的{lvl}文件" if lvl else f"语料库中没有{name}落实、依据或引用的文件"
                if unknown_level:
                    msg += f"；它还提到 {len(unknown_level)} 份不在语料库中的文件（层级未知）：" + "；".join(
                        _fmt_ext(ctx, it, did) for it in unknown_level)
                parts.append(msg + "。")
                ev += [e for it in unknown_level for e in _link_ev(ctx, it, _citing_doc(it, did))]
                continue
            answered = True
            lines = [f"{name}（{ctx.by_id[did]['doc_number'] or '无文号'}）{'落实或依据的' + lvl + '文件' if lvl else '的上位文件'}有 {len(wanted)} 份："]
            for i, it in enumerate(wanted, 1):
                lines.append(f"{i}. {_fmt_link(ctx, it)}")
                ev += _link_ev(ctx, it, _citing_doc(it, did))
            if unknown_level:
                lines.append(f"另有 {len(unknown_level)} 份不在语料库中的文件（层级未知）：" + "；".join(
                    _fmt_ext(ctx, it, did) for it in unknown_level))
                ev += [e for it in unknown_level for e in _link_ev(ctx, it, _citing_doc(it, did))]
            parts.append("\n".join(lines))
        else:
            if not wanted:
                parts.append(f"语料库中没有{place}落实或引用{name}的{lvl}文件。")
                continue
            answered = True
            lines = [f"{place}落实或引用{name}的文件有 {len(wanted)} 份："]
            for i, it in enumerate(wanted, 1):
                lines.append(f"{i}. {_fmt_link(ctx, it)}")
                item_ev = _link_ev(ctx, it, _citing_doc(it, it.get("doc") or did))
                if not item_ev and it.get("doc") in ctx.by_id:
                    # an inferred link: its evidence is the other document's clauses aligned to this one
                    pairs = _best_pairs(_lineage(store, ctx, it["doc"], L.memo), it["doc"], did)[:3]
                    for a in pairs:
                        lines.append(f"   {_fmt_pair(ctx, it['doc'], a)}")
                        item_ev += _pair_ev(ctx, it["doc"], a)
                ev += item_ev
            parts.append("\n".join(lines))
    return _Part(intent, answered, "\n".join(parts), ev)


def _ans_lineage_yes_no(store, ctx: _Ctx, L: _Linked) -> _Part:
    """甲是落实乙的吗: yes with the link (how it was found, its evidence), or no with what 甲 does rest on."""
    cfg = _config()
    a, b = L.docs[0], L.docs[1]
    lin = _lineage(store, ctx, a, L.memo)
    ups = [it for it in lin.get("upstream") or [] if it.get("review") != "rejected"]
    hit = [it for it in ups if it.get("doc") == b]
    if hit:
        it = sorted(hit, key=lambda it: it.get("depth") or len(it.get("path") or []))[0]
        rel = _REL_ZH.get(it.get("relation"), "关联")
        how = _fmt_link(ctx, it).split("——", 1)[-1]
        if it.get("method") in ("clause-similarity", "target-metric"):
            how += "；这是从条款或指标推断的关联，文中没有明文引用"
        ev = _link_ev(ctx, it, _citing_doc(it, a))
        if not ev and it.get("doc"):
            for pair in _best_pairs(lin, a, b)[:3]:
                ev += _pair_ev(ctx, a, pair)
        text = cfg.templates["yes_link"].format(local=_cite(ctx, a, None), rel=rel, source=_cite(ctx, b, None), how=how)
        return _Part("lineage_up", True, text, ev)
    corpus_ups = [it for it in ups if it.get("doc") in ctx.by_id]
    have = "、".join(f"{_cite(ctx, it['doc'], None)}（{_METHOD_ZH.get(it.get('method'), it.get('method'))}）"
                     for it in corpus_ups) or "语料库中没有"
    n_ext = sum(1 for it in ups if not it.get("doc"))
    if n_ext:
        have += f"；另引用 {n_ext} 份不在语料库中的文件"
    ev = []
    for it in ups:
        ev += _link_ev(ctx, it, _citing_doc(it, a))
    text = cfg.templates["no_link"].format(local=_cite(ctx, a, None), source=_cite(ctx, b, None), have=have)
    return _Part("lineage_up", True, text, ev[:10])


def _local_and_source(ctx: _Ctx, L: _Linked) -> tuple[str | None, str | None]:
    """With two documents named, the lower-level (then the later) one is the local one."""
    if not L.docs:
        return None, None
    if len(L.docs) == 1:
        return L.docs[0], None
    from .lineage import LEVEL_RANK as rank

    a, b = L.docs[0], L.docs[1]

    def key(did):
        d = ctx.by_id[did]
        return (rank.get(d["level"], 9), d["date_document"] or d["id"][:4])
    return (a, b) if key(a) >= key(b) else (b, a)


def _ans_clauses(store, ctx: _Ctx, L: _Linked) -> _Part:
    local, source = _local_and_source(ctx, L)
    if not local:
        return _Part("clause_correspondence", False, _need_doc(ctx, L))
    mode = _mode(L.question, "clause_correspondence")
    if mode == "not_taken_up":
        return _ans_not_taken_up(store, ctx, L, local, source)
    if mode == "local_only":
        return _ans_local_only(store, ctx, L, local, source)
    lin = _lineage(store, ctx, local, L.memo)
    levels = {it["doc"]: it.get("level") for it in lin.get("upstream") or [] if it.get("doc")}
    rows = [a for a in lin.get("clause_alignments") or [] if a.get("review") != "rejected"]
    if source:
        rows = [a for a in rows if a.get("source_doc") == source]
    elif L.levels:
        rows = [a for a in rows if (levels.get(a.get("source_doc")) or ctx.by_id.get(a.get("source_doc"), {}).get("level")) in L.levels]
    if L.clauses:
        local_want = {c for c in L.clauses if L.clause_owner.get(c) in (None, local)}
        source_want = {c for c in L.clauses if L.clause_owner.get(c) not in (None, local)}
        sel = [a for a in rows if a.get("local_clause") in local_want
               or (a.get("source_clause") in source_want and a.get("source_doc") == L.clause_owner.get(a.get("source_clause")))]
        if not sel and source is None and not source_want:
            sel = [a for a in rows if a.get("source_clause") in local_want]
        rows = sel
    best = [a for a in rows if (a.get("rank") or 1) == 1]
    best.sort(key=lambda a: (-(a.get("score") or 0), a.get("local_clause_id") or "", a.get("source_doc") or "",
                             a.get("source_clause_id") or ""))
    weak = [a for a in best if (a.get("score") or 0) < _taken_up() and a.get("review") != "confirmed"]
    if not L.clauses:
        best = [a for a in best if a not in weak]
    name = _cite(ctx, local, None)
    if not best:
        what = f"{name}与{_cite(ctx, source, None)}之间的条款对应" if source else f"{name}的条款与上位文件条款的对应"
        if L.clauses:
            what = f"{name}{'、'.join(L.clauses)}的条款对应"
        return _Part("clause_correspondence", False, _config().templates["missing"].format(what=what))
    shown = best[:10]
    lines = [f"{name}与上位文件条款的对应（每条取最相似的一条，按相似度排序，共 {len(best)} 对"
             + (f"，列出前 {len(shown)} 对" if len(shown) < len(best) else "") + "）："]
    ev = []
    for a in shown:
        lines.append("- " + _fmt_pair(ctx, local, a))
        for e in _pair_ev(ctx, local, a):
            if e not in ev:
                ev.append(e)
    if weak and not L.clauses:
        lines.append(f"另有 {len(weak)} 条的最相似条款相似度低于 {_taken_up():.2f}，不算作对应。")
    return _Part("clause_correspondence", True, "\n".join(lines), ev)


def _clause_ev(ctx: _Ctx, doc: str, label: str | None, cid: str | None, text: str | None) -> dict:
    c = _doc_clauses(ctx, doc).get((doc, cid)) or _clause_by_label(ctx, doc, label) or {}
    return _ev({"doc": doc, "clause": label, "clause_id": cid or c.get("clause_id"), "text": text or c.get("text"),
                "span": c.get("span")}, ctx)


def _upstream_in_corpus(lin: dict, L: _Linked, ctx: _Ctx, source: str | None) -> list[str]:
    """The corpus documents upstream of a lineage answer (the named one, else those of the named level)."""
    ups = [it["doc"] for it in lin.get("upstream") or [] if it.get("doc") in ctx.by_id and it.get("review") != "rejected"]
    if source:
        return [source] if source in ups or any(c.get("doc") == source for c in lin.get("coverage") or []) else []
    return [d for d in dict.fromkeys(ups) if _level_ok(ctx.by_id[d]["level"], L)]


def _ans_not_taken_up(store, ctx: _Ctx, L: _Linked, local: str, source: str | None) -> _Part:
    """Upstream clauses that the local document takes up with no clause (coverage.not_taken_up).  With one
    document named that has no upstream document in the corpus, it is the upstream one and the documents
    below it are the local ones."""
    lin = _lineage(store, ctx, local, L.memo)
    covs = [c for c in lin.get("coverage") or [] if c.get("doc") in _upstream_in_corpus(lin, L, ctx, source)]
    pairs = [(local, c) for c in covs]
    if not covs and source is None:
        for it in _lineage(store, ctx, local, L.memo).get("downstream") or []:
            down = it.get("doc")
            if down in ctx.by_id and _doc_in_place(ctx, down, L) and it.get("review") != "rejected":
                for c in _lineage(store, ctx, down, L.memo).get("coverage") or []:
                    if c.get("doc") == local:
                        pairs.append((down, c))
    if not pairs:
        what = (f"{_cite(ctx, local, None)}与{_cite(ctx, source, None)}之间的条款对应" if source
                else f"{_cite(ctx, local, None)}在语料库中的上位或下位文件（无从判断哪些条款没有承接）")
        return _Part("clause_correspondence", False, _config().templates["missing"].format(what=what))
    lines, ev = [], []
    for loc, c in pairs:
        src = c["doc"]
        n, t = c.get("not_taken_up") or [], c.get("taken_up") or []
        head = (f"{_cite(ctx, src, None)}的 {len(n) + len(t)} 个条款中，{_cite(ctx, loc, None)}承接了 {len(t)} 个"
                f"（有相似度不低于 {_taken_up():.2f} 的条款）")
        if not n:
            lines.append(head + "，没有未承接的条款。")
            continue
        lines.append(head + f"，没有承接的 {len(n)} 个：")
        for x in n:
            heading = (x.get("heading") or "").strip()
            body = _snip(x.get("text"), 50)
            lines.append(f"- {_cite(ctx, src, x.get('clause'))}" + (f"“{heading}”" if heading and not body.startswith(heading) else "")
                         + f"：{body}")
            ev.append(_clause_ev(ctx, src, x.get("clause"), x.get("clause_id"), x.get("text")))
    return _Part("clause_correspondence", True, "\n".join(lines), ev)


def _ans_local_only(store, ctx: _Ctx, L: _Linked, local: str, source: str | None) -> _Part:
    """The local document's own clauses: alignable clauses with no alignment of at least TAKEN_UP (or a
    confirmed one) to the upstream documents in the corpus (the named one, else all of them)."""
    from .clauses import alignable_clauses

    lin = _lineage(store, ctx, local, L.memo)
    sources = _upstream_in_corpus(lin, L, ctx, source)
    name = _cite(ctx, local, None)
    if not sources:
        what = f"{name}与{_cite(ctx, source, None)}之间的条款对应" if source else f"{name}在语料库中的上位文件"
        return _Part("clause_correspondence", False, _config().templates["missing"].format(what=what))
    aligned = {a.get("local_clause_iri") or a.get("local_clause_id") for a in lin.get("clause_alignments") or []
               if a.get("source_doc") in sources and a.get("review") != "rejected"
               and ((a.get("score") or 0) >= _taken_up() or a.get("review") == "confirmed")}
    iri = ctx.by_id[local]["iri"]
    by_iri = {c["iri"]: c for c in _doc_clauses(ctx, local).values()}
    own = []
    for c in alignable_clauses(store, iri).get(iri, []):
        info = by_iri.get(c.key, {})
        if c.key in aligned or info.get("clause_id") in aligned or not (info.get("text") or "").strip():
            continue  # taken from upstream, or a section title whose items are listed instead
        own.append((c, info))
    srcs = "、".join(_cite(ctx, s, None) for s in sources)
    if not own:
        return _Part("clause_correspondence", True,
                     f"{name}的每个条款在{srcs}中都有相似度不低于 {_taken_up():.2f} 的对应条款。", [])
    lines = [f"{name}中在{srcs}里找不到对应（最相似条款的相似度低于 {_taken_up():.2f}）的条款有 {len(own)} 个，"
             "可视为本文件自己增加的内容："]
    ev = []
    for c, info in own:
        lines.append(f"- {_cite(ctx, local, c.label)}：{_snip(c.text, 60)}")
        ev.append(_clause_ev(ctx, local, c.label, info.get("clause_id"), info.get("text") or c.text))
    return _Part("clause_correspondence", True, "\n".join(lines), ev)


def _taken_up() -> float:
    try:
        from .lineage import TAKEN_UP
        return float(TAKEN_UP)
    except ImportError:
        return 0.5


def _best_pairs(lin: dict, local: str, source: str) -> list[dict]:
    rows = [a for a in lin.get("clause_alignments") or [] if a.get("source_doc") == source
            and (a.get("rank") or 1) == 1 and a.get("review") != "rejected"]
    rows.sort(key=lambda a: (-(a.get("score") or 0), a.get("local_clause_id") or "", a.get("source_clause_id") or ""))
    return rows


def _fmt_pair(ctx: _Ctx, local: str, a: dict) -> str:
    sd = a.get("source_doc")
    review = {"confirmed": "，人工已确认"}.get(a.get("review"), "")
    return (f"{_cite(ctx, local, a.get('local_clause'))}“{_snip(a.get('local_text'))}” ↔ "
            f"{_cite(ctx, sd, a.get('source_clause'))}“{_snip(a.get('source_text'))}”"
            f"（相似度 {float(a.get('score') or 0):.2f}，{_METHOD_ZH.get(a.get('method'), a.get('method'))}{review}）")


def _pair_ev(ctx: _Ctx, local: str, a: dict) -> list[dict]:
    out = []
    sd = a.get("source_doc")
    for doc, cid, label, text in ((local, a.get("local_clause_id"), a.get("local_clause"), a.get("local_text")),
                                  (sd, a.get("source_clause_id"), a.get("source_clause"), a.get("source_text"))):
        c = _doc_clauses(ctx, doc).get((doc, cid)) or _clause_by_label(ctx, doc, label) or {}
        out.append(_ev({"doc": doc, "clause": label, "clause_id": cid, "text": text or c.get("text"),
                        "span": c.get("span")}, ctx))
    return out


def _snip(t: str | None, n: int = 40) -> str:
    t = re.sub(r"\s+", "", t or "")
    return t[:n] + ("…" if len(t) > n else "")


def _in_years(y: int | None, L: _Linked) -> bool:
    return not L.years or (y is not None and any(a <= y <= b for a, b in L.years))


def _doc_in_place(ctx: _Ctx, did: str, L: _Linked) -> bool:
    return not L.places or ctx.by_id[did]["jurisdiction"] in L.places


def _ans_targets_of_doc(store, ctx: _Ctx, L: _Linked) -> _Part:
    if not L.docs:
        return _Part("targets_of_doc", False, _need_doc(ctx, L))
    lines, ev, answered = [], [], False
    for did in L.docs:
        ts = [t for t in _doc_facts(ctx, "targets", did) if t["kind"] == "target" and _in_years(t["deadline_year"], L)]
        name = _cite(ctx, did, None)
        yr = _years_text(L)
        if not ts:
            lines.append(_config().templates["missing"].format(what=f"{name}{yr}的量化目标"))
            continue
        answered = True
        lines.append(f"{name}{yr}提出的量化目标（{len(ts)} 项）：")
        for t in ts:
            lines.append(f"- {_fmt_target(t)}（{t['clause']}）")
            ev.append(_ev(t, ctx))
    return _Part("targets_of_doc", answered, "\n".join(lines), ev)


def _years_text(L: _Linked) -> str:
    if not L.years:
        return ""
    return "、".join(f"{a}年" if a == b else f"{a}—{b}年" for a, b in L.years)


def _metric_targets(ctx: _Ctx, L: _Linked, kinds=("target",)) -> list[dict]:
    want = set(L.metrics)
    docs = set(L.docs)
    out = [t for t in _targets_of_metrics(ctx, want) if (not docs or t["doc"] in docs)
           and _doc_in_place(ctx, t["doc"], L) and _in_years(t["deadline_year"], L)
           and (ctx.by_id[t["doc"]]["level"] in L.levels if L.levels else True)]
    pick = [t for t in out if t["kind"] in kinds]
    return pick


def _ans_targets_on_metric(store, ctx: _Ctx, L: _Linked) -> _Part:
    if not L.metrics:
        return _Part("targets_on_metric", False, _missing_metric(L))
    ts = _metric_targets(ctx, L)
    scope = "".join(f"《{ctx.short[d]}》" for d in L.docs) + "、".join(L.places) + _years_text(L)
    mnames = _metric_names(L)
    if not ts:
        other = _metric_targets(ctx, L, kinds=("achievement", "baseline", "context", "criterion", "incentive"))
        msg = _config().templates["missing"].format(what=f"{scope}关于{mnames}的目标")
        if other:
            msg += "但有以下非目标数值：" + "；".join(f"{_fmt_target(t)}（{_cite(ctx, t['doc'], t['clause'])}）" for t in other)
        return _Part("targets_on_metric", False, msg, [_ev(t, ctx) for t in other])
    lines = [f"{scope}关于{mnames}的目标（{len(ts)} 项）："]
    for t in sorted(ts, key=lambda t: (t["deadline_year"] or 0, t["doc"], t["span"][0])):
        who = f"，责任单位：{'、'.join(t['parties'])}" if t.get("parties") else ""
        lines.append(f"- {_cite(ctx, t['doc'], t['clause'])}：{_fmt_target(t)}{who}")
    return _Part("targets_on_metric", True, "\n".join(lines), [_ev(t, ctx) for t in ts])


def _metric_names(L: _Linked) -> str:
    if len(L.metrics) <= 3:
        return "、".join(f"“{m}”" for m in L.metrics)
    terms = L.metric_terms or []
    head = f"含“{terms[0]}”的" if len(terms) == 1 else ""
    return f"{head}{len(L.metrics)} 个指标（{'、'.join(L.metrics[:3])}等）"


def _missing_metric(L: _Linked) -> str:
    terms = [t for k, t in L.unresolved if k == "metric"]
    if terms:
        return _config().templates["missing"].format(what=f"关于“{terms[0]}”的指标或目标")
    return _config().templates["need_metric"]


def _ans_parties(store, ctx: _Ctx, L: _Linked) -> _Part:
    lines, ev, answered = [], [], False
    if L.metrics:
        ts = _metric_targets(ctx, L)
        if ts:
            answered = True
            lines.append("指标的责任单位：")
            for t in ts:
                who = "、".join(t["parties"]) if t["parties"] else "（条款未写明）"
                lines.append(f"- {_cite(ctx, t['doc'], t['clause'])} {_fmt_target(t)}：{who}")
                ev.append(_ev(t, ctx))
            return _Part("parties", answered, "\n".join(lines), ev)
    roles_wanted = [r for w, r in (("牵头", "lead"), ("配合", "co"), ("协同", "co")) if w in L.question]
    if L.agencies and not L.docs:
        for canonical, iri, kind in L.agencies:
            rows = [p for p in ctx.parties if p["party_iri"] == iri and p["role"] != "implied"]
            rows = [p for p in rows if _doc_in_place(ctx, p["doc"], L)]
            if roles_wanted and any(p["role"] in roles_wanted for p in rows):
                rows = [p for p in rows if p["role"] in roles_wanted]
            if not rows:
                lines.append(_config().templates["missing"].format(what=f"写明由{canonical}负责的条款"))
                continue
            answered = True
            roles = {"lead": "牵头", "co": "配合", "actor": "实施"}
            lines.append(f"{canonical}负责的条款（{len(rows)} 处）：")
            for p in rows[:_MAX_LINES]:
                lines.append(f"- {_cite(ctx, p['doc'], p['clause'])}（{roles.get(p['role'], p['role'])}）：{_snip(p['text'], 50)}")
                ev.append(_ev(p, ctx))
            if len(rows) > _MAX_LINES:
                lines.append(f"……另有 {len(rows) - _MAX_LINES} 处未列出（可用 kg parties 查看全部）。")
        return _Part("parties", answered, "\n".join(lines), ev)
    if not L.docs:
        return _Part("parties", False, _need_doc(ctx, L))
    roles = {"lead": "牵头", "co": "配合", "actor": "实施", "implied": "发文机关（条款未写明）"}
    for did in L.docs:
        rows = list(_doc_facts(ctx, "parties", did))
        if L.clauses:
            rows = [p for p in rows if p["clause"] in L.clauses or any(p["clause"].startswith(c) for c in L.clauses)]
        if L.agencies:
            rows = [p for p in rows if p["party_iri"] in {a[1] for a in L.agencies}]
        explicit = [p for p in rows if p["role"] != "implied"]
        use = explicit or rows
        if roles_wanted and any(p["role"] in roles_wanted for p in use):
            use = [p for p in use if p["role"] in roles_wanted]
        where = _cite(ctx, did, "、".join(L.clauses) if L.clauses else None)
        if not use:
            who = "、".join(a[0] for a in L.agencies)
            what = f"{where}中写明由{who}负责的条款" if who else f"{where}中写明的责任单位"
            lines.append(_config().templates["missing"].format(what=what))
            continue
        answered = True
        if L.agencies:
            # 甲给乙分配了哪些任务: each clause where the body is named, with what it is asked to do
            who = "、".join(a[0] for a in L.agencies)
            lines.append(f"{where}中写明由{who}承担的任务（{len(use)} 处）：")
            for p in sorted(use, key=lambda p: p["span"][0]):
                lines.append(f"- {p['clause']}（{roles.get(p['role'], p['role'])}）：{_snip(p['text'], 80)}")
                e = _ev(p, ctx)
                if e not in ev:
                    ev.append(e)
            continue
        groups: dict[tuple, list] = {}
        for p in use:
            groups.setdefault((p["party"], p["role"]), []).append(p)
        lines.append(f"{where}的责任单位：")
        for (party, role), ps in sorted(groups.items(), key=lambda kv: ({"lead": 0, "co": 1, "actor": 2}.get(kv[0][1], 3), -len(kv[1]), kv[0][0])):
            labels = []
            for p in ps:
                if p["clause"] not in labels:
                    labels.append(p["clause"])
            lines.append(f"- {party}（{roles.get(role, role)}）：{'、'.join(labels)}")
            for p in ps:
                e = _ev(p, ctx)
                if e not in ev:
                    ev.append(e)
    return _Part("parties", answered, "\n".join(lines), ev)


def _ans_deadlines(store, ctx: _Ctx, L: _Linked) -> _Part:
    cfg = _config()
    if not (L.docs or L.years or L.metrics):
        return _Part("deadlines", False, cfg.templates["need_doc"])
    docs = set(L.docs)
    ts = [t for t in ctx.targets if t["kind"] == "target" and t["deadline_year"] is not None
          and (not docs or t["doc"] in docs) and _in_years(t["deadline_year"], L) and _doc_in_place(ctx, t["doc"], L)
          and (not L.metrics or t["metric"] in L.metrics)]
    ds = [] if L.metrics else [
        x for x in ctx.deadlines if (not docs or x["doc"] in docs) and _doc_in_place(ctx, x["doc"], L)
        and x["kind"] == "point" and x["year"] is not None and _in_years(x["year"], L)
        and (x["text"] or "").strip() != (x["surface"] or "").strip()]
    # a deadline sentence that only restates a target's is not listed twice
    tspans = {(t["doc"], t["clause_id"]) for t in ts}
    ds = [x for x in ds if (x["doc"], x["clause_id"]) not in tspans and x["clause"] not in ("序言", "印发通知")]
    scope = "".join(f"《{ctx.short[d]}》" for d in L.docs) + "、".join(L.places)
    yr = _years_text(L)
    if not ts and not ds:
        what = f"{scope}{'在' + yr if yr else ''}到期的任务或目标" + (f"（指标：{'、'.join(L.metrics)}）" if L.metrics else "")
        return _Part("deadlines", False, cfg.templates["missing"].format(what=what))
    lines, ev = [], []
    head = f"{scope}{yr + '到期的' if yr else '的'}目标与任务时限："
    lines.append(head)
    for did in L.docs:
        per = ctx.by_id[did].get("period")
        if per and not L.metrics:
            lines.append(f"- 规划期：{per[0]}—{per[1]}年（{_cite(ctx, did, None)}）")
    shown = 0
    for t in sorted(ts, key=lambda t: (t["deadline_year"], t["doc"], t["span"][0])):
        shown += 1
        if shown > _MAX_LINES:
            continue
        lines.append(f"- {t['deadline_year']}年：{_fmt_target(t)}（{_cite(ctx, t['doc'], t['clause'])}）")
        ev.append(_ev(t, ctx))
    seen = set()
    for x in sorted(ds, key=lambda x: (x["year"], x["doc"], x["span"][0])):
        k = (x["doc"], x["clause_id"], x["year"])
        if k in seen:
            continue
        seen.add(k)
        shown += 1
        if shown > _MAX_LINES:
            continue
        lines.append(f"- {x['year']}年（{x['surface']}）：{_snip(x['text'], 50)}（{_cite(ctx, x['doc'], x['clause'])}）")
        ev.append(_ev(x, ctx))
    if shown > _MAX_LINES:
        lines.append(f"……另有 {shown - _MAX_LINES} 项未列出（可用 kg targets / kg deadlines 查看全部）。")
    return _Part("deadlines", True, "\n".join(lines), ev)


_MAX_LINES = 30


def _ans_cites(store, ctx: _Ctx, L: _Linked) -> _Part:
    if not L.docs:
        return _Part("cites", False, _need_doc(ctx, L))
    lines, ev, answered = [], [], False
    for did in L.docs:
        rs = [r for r in fq.refs(store, ctx.by_id[did]["iri"]) if r["relation"] != "self"]
        name = _cite(ctx, did, None)
        if not rs:
            lines.append(_config().templates["missing"].format(what=f"{name}引用其他文件的语句"))
            continue
        answered = True
        lines.append(f"{name}引用的文件（{len(rs)} 处）：")
        for r in rs:
            where = f"语料库中：{ctx.short[r['resolved_doc']]}" if r["resolved_doc"] else "不在语料库中"
            num = f"，{r['doc_number']}" if r["doc_number"] else ""
            lines.append(f"- 《{r['title'] or '?'}》（{_REL_ZH.get(r['relation'], r['relation'])}{num}；{where}）——{r['clause']}")
            e = _ev({**r, "doc": did}, ctx)
            ev.append(e)
    return _Part("cites", answered, "\n".join(lines), ev)


_META = """
SELECT DISTINCT ?field ?value ?s ?e ?zone WHERE {
  <%s> kg:hasMetadataAssertion ?m . ?m kg:field ?field ; kg:value ?value ; kg:spanStart ?s ; kg:spanEnd ?e .
  OPTIONAL { ?m kg:zone ?zone }
}
"""


# where a metadata element was read (kg:zone of its kg:MetadataAssertion), as a reader names it
_ZONE_ZH = {"title": "标题", "colophon": "落款", "recipients": "主送", "header": "版头", "cc": "抄送",
            "signature": "落款", "发文字号": "发文字号", "notice_title": "通知标题", "masthead": "发文机关标志"}


def _ans_issuer(store, ctx: _Ctx, L: _Linked) -> _Part:
    if not L.docs and L.agencies:
        return _ans_issued_by(store, ctx, L)
    if not L.docs:
        return _Part("issuer", False, _need_doc(ctx, L))
    lines, ev, answered = [], [], False
    for did in L.docs:
        d = ctx.by_id[did]
        meta = {r["field"]: r for r in store.select(_META % d["iri"])}
        bits = []
        if d["issuers"]:
            bits.append(f"发文机关：{'、'.join(d['issuers'])}")
        if d["doc_number"]:
            bits.append(f"文号：{d['doc_number']}")
        if d["date_document"]:
            bits.append(f"成文日期：{d['date_document']}")
        if d["date_publication"]:
            bits.append(f"发布日期：{d['date_publication']}")
        name = _doc_label(ctx, did)
        if not bits:
            lines.append(_config().templates["missing"].format(what=f"{name}的发文机关、文号和日期（文中未写明）"))
            continue
        missing = [n for k, n in (("issuers", "发文机关"), ("doc_number", "文号")) if not d[k]]
        answered = True
        lines.append(f"{name}——" + "；".join(bits) + (f"（文中未写明{'、'.join(missing)}）" if missing else "") + "。")
        for f in ("issuers", "doc_number", "date_document", "date_publication"):
            r = meta.get(f)
            if r:
                ev.append(_ev({"doc": did, "clause": _ZONE_ZH.get(r["zone"], r["zone"] or f), "clause_id": None,
                               "text": r["value"], "span": [r["s"], r["e"]]}, ctx, field=f))
    return _Part("issuer", answered, "\n".join(lines), ev)


def _ans_issued_by(store, ctx: _Ctx, L: _Linked) -> _Part:
    lines, ev, answered = [], [], False
    names = {}
    for a_iri, aid in ctx.agency_ids.items():
        names[aid] = a_iri
    pref = {iri: c for c, iri, _ in [(e[2], e[3], e[4]) for e in ctx.agencies]}
    for canonical, iri, kind in L.agencies:
        office = names.get(f"{ctx.agency_ids.get(iri, '')}-general-office")
        bodies = {canonical} | ({pref[office]} if office in pref else set())
        docs = [d for d in ctx.docs if bodies & set(d["issuers"]) and _in_years(_doc_year(d), L)]
        if not docs:
            lines.append(_config().templates["missing"].format(what=f"{canonical}{_years_text(L)}发布的文件"))
            continue
        answered = True
        lines.append(f"语料库中{canonical}{_years_text(L)}发布（或联合发布）的文件有 {len(docs)} 份：")
        for d in docs:
            bits = [x for x in (d["doc_number"], d["date_document"]) if x]
            if canonical not in d["issuers"]:
                bits.append(f"由{'、'.join(sorted(bodies & set(d['issuers'])))}印发")
            lines.append(f"- 《{d['title']}》" + (f"（{'，'.join(bits)}）" if bits else ""))
            for r in store.select(_META % d["iri"]):
                if r["field"] == "issuers":
                    ev.append(_ev({"doc": d["id"], "clause": _ZONE_ZH.get(r["zone"], r["zone"] or "issuers"), "clause_id": None,
                                   "text": r["value"], "span": [r["s"], r["e"]]}, ctx, field="issuers"))
    return _Part("issuer", answered, "\n".join(lines), ev)


def _doc_year(d: dict) -> int | None:
    for v in (d.get("date_document"), d.get("date_publication")):
        if v:
            return int(v[:4])
    m = re.search(r"[〔\[（(]((?:19|20)\d{2})[〕\]）)]", d.get("doc_number") or "")
    return int(m.group(1)) if m else None


def _ans_compare(store, ctx: _Ctx, L: _Linked) -> _Part:
    cfg = _config()
    if L.metrics:
        part = _compare_targets(store, ctx, L)
        if part.answered or len(L.docs) < 2:
            return part
    if len(L.docs) == 1 and cfg.targets_word.search(L.question):
        # 它的目标和国家目标是什么关系: one document's targets against those of the documents it implements
        return _targets_vs_upstream(store, ctx, L, L.docs[0])
    if len(L.docs) < 2:
        return _Part("compare", False, cfg.templates["need_two_docs"].format(n=len(L.docs)))
    a, b = L.docs[0], L.docs[1]
    try:
        from . import compare as cq
    except ImportError:
        cq = None
    lines, ev = [], []
    da, db = ctx.by_id[a], ctx.by_id[b]
    lines.append(f"{_doc_label(ctx, a)}：{_LEVEL_ZH.get(da['level'], '?')}，{'、'.join(da['issuers']) or '发文机关未写明'}，"
                 f"{da['clause_count']} 个条款；{_doc_label(ctx, b)}：{_LEVEL_ZH.get(db['level'], '?')}，"
                 f"{'、'.join(db['issuers']) or '发文机关未写明'}，{db['clause_count']} 个条款。")
    answered = False
    if cq is not None and hasattr(cq, "compare"):
        if "state" not in L.memo:
            L.memo["state"] = full_state(store)
        key = ("compare",) + L.memo["state"] + (da["iri"], db["iri"], id(cq.compare))
        res = _lineage_cache.get(key, lambda: cq.compare(store, da["iri"], db["iri"]))
        pairs = sorted(res.get("pairs") or [], key=lambda p: -(p.get("score") or 0))
        answered = True
        lines.append(f"条款对照：{len(pairs)} 对相应条款，{len(res.get('only_a') or [])} 条仅见于《{ctx.short[a]}》，"
                     f"{len(res.get('only_b') or [])} 条仅见于《{ctx.short[b]}》。")
        for p in pairs[:5]:
            lines.append(f"- 《{ctx.short[a]}》{p.get('a_clause')}“{_snip(p.get('a_text'))}” ↔ 《{ctx.short[b]}》"
                         f"{p.get('b_clause')}“{_snip(p.get('b_text'))}”（相似度 {float(p.get('score') or 0):.2f}）")
            for doc, label, text in ((a, p.get("a_clause"), p.get("a_text")), (b, p.get("b_clause"), p.get("b_text"))):
                c = _clause_by_label(ctx, doc, label) or {}
                ev.append(_ev({"doc": doc, "clause": label, "clause_id": c.get("clause_id"), "text": text,
                               "span": c.get("span")}, ctx))
    shared = _shared_metrics(ctx, a, b)
    if shared:
        answered = True
        lines.append("共同指标：")
        for ta, tb in shared:
            lines.append(f"- {_fmt_target(ta)}（{_cite(ctx, a, ta['clause'])}） vs {_fmt_target(tb)}（{_cite(ctx, b, tb['clause'])}）")
            ev += [_ev(ta, ctx), _ev(tb, ctx)]
    if not answered:
        lines.append(cfg.templates["missing"].format(what="这两个文件之间的条款对照或共同指标"))
    return _Part("compare", answered, "\n".join(lines), ev)


def _compare_targets(store, ctx: _Ctx, L: _Linked) -> _Part:
    """The targets of the named metric in two or more documents side by side (上海的物联网终端连接数目标和全国目标
    是什么关系; 甲和乙的PUE要求一致吗): the documents named, else those of the place(s) and level(s) named;
    each value with its clause, then how they relate (the target links: share, same, successor, conflict)."""
    cfg = _config()
    want = set(L.metrics)
    ts = [t for t in _targets_of_metrics(ctx, want) if t["kind"] == "target"
          and (t["deadline_year"] is None or _in_years(t["deadline_year"], L))]
    if len(L.docs) >= 2:
        scoped = [t for t in ts if t["doc"] in L.docs]
    else:
        def in_scope(did: str) -> bool:
            d = ctx.by_id[did]
            if did in L.docs:
                return True
            if not (L.places or L.levels):
                return True
            return d["jurisdiction"] in L.places or d["level"] in L.levels
        scoped = [t for t in ts if in_scope(t["doc"])]
    if len({t["doc"] for t in scoped}) < 2:
        # the documents name the metric differently (新建数据中心综合PUE, 新建数据中心PUE值)
        def ok(t: dict) -> bool:
            if t["deadline_year"] is not None and not _in_years(t["deadline_year"], L):
                return False
            if len(L.docs) >= 2:
                return t["doc"] in L.docs
            d = ctx.by_id[t["doc"]]
            return t["doc"] in L.docs or not (L.places or L.levels) or d["jurisdiction"] in L.places or d["level"] in L.levels
        scoped += _similar_metric_targets(ctx, L, scoped, scope=ok)
    docs = list(dict.fromkeys(t["doc"] for t in sorted(scoped, key=lambda t: (_doc_year(ctx.by_id[t["doc"]]) or 0, t["doc"]))))
    mnames = _metric_names(L)
    if len(docs) < 2:
        where = "、".join(f"《{ctx.short[d]}》" for d in docs) or "语料库"
        msg = cfg.templates["missing"].format(what=f"两份以上文件关于{mnames}的目标（只在{where}中找到）" if docs
                                              else f"关于{mnames}的目标")
        return _Part("compare", False, msg, [_ev(t, ctx) for t in scoped])
    scoped.sort(key=lambda t: (docs.index(t["doc"]), t["deadline_year"] or 0, t["span"][0]))
    lines = [f"{mnames}在 {len(docs)} 份文件中的目标："]
    for t in scoped:
        d = ctx.by_id[t["doc"]]
        lines.append(f"- {_cite(ctx, t['doc'], t['clause'])}（{d['jurisdiction'] or _LEVEL_ZH.get(d['level'], '')}）：{_fmt_target(t)}")
    links = {}
    for tl in _target_links_among(store, scoped):
        links[(tl["local"]["iri"], tl["source"]["iri"])] = tl
    rel_lines = []
    for x in scoped:
        for y in scoped:
            tl = links.get((x["iri"], y["iri"]))
            if tl is None or x["doc"] == y["doc"]:
                continue
            rel_lines.append(f"- {_cite(ctx, x['doc'], x['clause'])}的{_fmt_num(x['value'])}{x['unit'] or ''}"
                             f"{_fmt_tlink(ctx, tl, x, y)}" + _verdict(x, y, tl))
    if not rel_lines:
        # no target link: compare the values of the same unit directly
        for i, x in enumerate(scoped):
            for y in scoped[i + 1:]:
                if x["doc"] != y["doc"] and x.get("unit") == y.get("unit") and x.get("value") is not None:
                    rel_lines.append(f"- {_cite(ctx, x['doc'], x['clause'])}的{_fmt_num(x['value'])}{x['unit'] or ''}与"
                                     f"{_cite(ctx, y['doc'], y['clause'])}的{_fmt_num(y['value'])}{y['unit'] or ''}"
                                     + _same_value(x, y))
    if rel_lines:
        lines.append("相互关系：" if len(docs) > 2 else "两者的关系：")
        lines += rel_lines
    return _Part("compare", True, "\n".join(lines), [_ev(t, ctx) for t in scoped])


def _targets_vs_upstream(store, ctx: _Ctx, L: _Linked, did: str) -> _Part:
    """The document's target links to the targets of the documents above it (of the level(s) named, if any): each
    pair with both values and clauses and how they relate (share, same, stricter, looser, successor; a conflict) —
    the lineage's ``target_lineage``, links a person rejected left out."""
    cfg = _config()
    lin = _lineage(store, ctx, did, L.memo)
    items = [x for x in lin.get("target_lineage") or [] if x.get("direction", "up") == "up"
             and x.get("review") != "rejected" and _level_ok(ctx.by_id.get(x["source"]["doc"], {}).get("level"), L)]
    lvl = "、".join(_LEVEL_ZH[x] for x in L.levels)
    name = _cite(ctx, did, None)
    if not items:
        return _Part("compare", False, cfg.templates["missing"].format(
            what=f"{name}的目标与{lvl or '上位'}文件目标之间的对应"))
    items.sort(key=lambda x: (-(x.get("confidence") or 0), x["local"]["span"][0]))
    lines = [f"{name}的目标与{lvl or '上位'}文件目标的对应（{len(items)} 对）："]
    ev = []
    for x in items:
        lo, so = x["local"], x["source"]
        lines.append(f"- {_cite(ctx, did, lo['clause'])}：{_fmt_target(lo)} ↔ {_cite(ctx, so['doc'], so['clause'])}："
                     f"{_fmt_target(so)}{_fmt_tlink(ctx, x, lo, so)}（置信度 {x.get('confidence') or 0:.2f}）")
        ev += [_ev(lo, ctx), _ev(so, ctx)]
    return _Part("compare", True, "\n".join(lines), ev)


def _same_value(x: dict, y: dict) -> str:
    if x["value"] != y["value"]:
        return "不一致。"
    if x.get("comparator") == y.get("comparator"):
        return "一致。"
    return (f"数值相同，但表述不同（{_CMP.get(x.get('comparator') or '', '')}、{_CMP.get(y.get('comparator') or '', '')}）。")


def _verdict(x: dict, y: dict, tl: dict) -> str:
    rel = tl.get("relation")
    if tl.get("conflict"):
        return "：两者不一致。"
    if rel == "same":
        return "：两者一致。"
    if rel == "share" and tl.get("ratio") is not None:
        return f"：前者约占后者的 {float(tl['ratio']) * 100:.1f}%。"
    if rel in ("stricter", "looser"):
        return "：两者不一致（" + ("更严" if rel == "stricter" else "更宽") + "）。"
    return "。"


def _metric_related(m1: str, m2: str) -> bool:
    a, b = _norm(m1), _norm(m2)
    cfg = _config()
    return a == b or (min(len(a), len(b)) >= 3 and (_same_measure(a, b, cfg) or _same_measure(b, a, cfg)))


def _shared_metrics(ctx: _Ctx, a: str, b: str) -> list[tuple[dict, dict]]:
    """Targets of ``a`` and ``b`` on the same metric (same name, or one a modified form of the other)."""
    ta = [t for t in _doc_facts(ctx, "targets", a) if t["kind"] == "target"]
    tb = [t for t in _doc_facts(ctx, "targets", b) if t["kind"] == "target"]
    out = []
    for x in ta:
        for y in tb:
            if _metric_related(x["metric"], y["metric"]):
                out.append((x, y))
    return out


def _ans_metric_change(store, ctx: _Ctx, L: _Linked) -> _Part:
    cfg = _config()
    if not L.metrics and len(L.docs) < 2:
        _similar_metric_targets(ctx, L, [])  # a metric named in words no target uses as such (adds to L.metrics)
    if not L.metrics:
        if len(L.docs) >= 2:
            shared = _shared_metrics(ctx, L.docs[0], L.docs[1])
            if not shared:
                return _Part("metric_change", False, cfg.templates["missing"].format(
                    what=f"《{ctx.short[L.docs[0]]}》与《{ctx.short[L.docs[1]]}》共同的指标"))
            lines = [f"《{ctx.short[L.docs[0]]}》与《{ctx.short[L.docs[1]]}》共同指标的变化："]
            ev = []
            for x, y in shared:
                lines.append(f"- {_fmt_target(x)}（{_cite(ctx, x['doc'], x['clause'])}）→ {_fmt_target(y)}"
                             f"（{_cite(ctx, y['doc'], y['clause'])}）{_change(x, y)}")
                ev += [_ev(x, ctx), _ev(y, ctx)]
            return _Part("metric_change", True, "\n".join(lines), ev)
        return _Part("metric_change", False, _missing_metric(L))
    ts = _metric_targets(ctx, L)
    if len({t["doc"] for t in ts}) < 2:
        ts += _similar_metric_targets(ctx, L, ts)
    if not ts:
        return _Part("metric_change", False, cfg.templates["missing"].format(what=f"关于{'、'.join(L.metrics)}的目标"))
    order = sorted(ts, key=lambda t: (t["deadline_year"] or _doc_year(ctx.by_id[t["doc"]]) or 0,
                                      ctx.by_id[t["doc"]]["date_document"] or t["doc"][:4], t["doc"], t["span"][0]))
    docs = {t["doc"] for t in order}
    links = {}
    for tl in _target_links_among(store, order):
        links[(tl["local"]["iri"], tl["source"]["iri"])] = tl
        links[(tl["source"]["iri"], tl["local"]["iri"])] = tl
    lines = [f"{_metric_names(L)}在 {len(docs)} 份文件中的目标（按期限排列）："]
    conflicts = []
    for i, t in enumerate(order):
        notes = []
        for prev in order[:i]:
            tl = links.get((t["iri"], prev["iri"]))
            if tl is None:
                continue
            notes.append(_fmt_tlink(ctx, tl, t, prev))
            if tl.get("conflict") and tl["conflict"] not in conflicts:
                conflicts.append(tl["conflict"])
        if not notes:
            prev = order[i - 1] if i else None
            if prev is not None and prev["doc"] != t["doc"] and _metric_related(prev["metric"], t["metric"]):
                notes.append(_change(prev, t))
        lines.append(f"- {_cite(ctx, t['doc'], t['clause'])}：{_fmt_target(t)}{''.join(n for n in notes if n)}")
    for c in conflicts:
        lines.append(f"注意：{c}。")
    joined = [e["value"] for e in L.entities if e["type"] == "metric" and e["how"] == "指标归一"]
    if joined and len(docs) >= 2:
        lines.append(f"（各文件对这一指标的称法不同：{'、'.join(f'“{m}”' for m in L.metrics)}，按名称中的共同词归为同一指标，"
                     "没有指标关联记录，请核对。）")
    if len(docs) < 2:
        lines.append("（语料库中只有一份文件给出这个指标的目标，无从比较前后变化。）")
    return _Part("metric_change", len(docs) >= 2, "\n".join(lines), [_ev(t, ctx) for t in order])


def _question_term(L: _Linked) -> str | None:
    """The words the question names its metric with, without the names of documents, bodies, places and levels."""
    cfg = _config()
    q = L.question
    for e in L.entities:
        if e["type"] in ("doc", "agency", "place", "year") and isinstance(e.get("text"), str) and e["text"]:
            q = q.replace(e["text"], "|")
    for words in cfg.level_words.values():
        for w in sorted(words, key=len, reverse=True):
            q = q.replace(w, "")
    return _metric_guess(q, cfg)


def _similar_metric_targets(ctx: _Ctx, L: _Linked, found: list[dict], *, scope=None) -> list[dict]:
    """Targets of the same level, place and unit whose metric, once normalised (kg/ontology/metric_terms.yaml),
    holds at least half of the character bigrams of the words the question used (物联网标准制修订数量 →
    国家标准或行业标准制修订 and 移动物联网标准): the other rounds of a metric that two plans name differently."""
    from ..targetlinks import normalise_metric

    term = _question_term(L) or (L.metrics[0] if L.metrics else None)
    if not term:
        return []
    tb = _bigrams(_norm(normalise_metric(term)))
    if len(tb) < 2:
        return []
    units = {t.get("unit") for t in found}
    have = {t["iri"] for t in found}
    docs = set(L.docs)
    out = []
    for t in ctx.targets:
        if t["kind"] != "target" or t["iri"] in have or (units and t.get("unit") not in units):
            continue
        if scope is not None:
            if not scope(t):
                continue
        elif (docs and t["doc"] not in docs) or not _doc_in_place(ctx, t["doc"], L) or not _in_years(t["deadline_year"], L):
            continue
        elif L.levels and ctx.by_id[t["doc"]]["level"] not in L.levels:
            continue
        mb = _bigrams(_norm(normalise_metric(t["metric"])))
        if len(tb & mb) / len(tb) >= 0.5:
            out.append(t)
    if len({t["doc"] for t in found + out}) < 2:
        return []
    for m in sorted({t["metric"] for t in out} - set(L.metrics)):
        L.metrics.append(m)
        L.entities.append({"type": "metric", "text": term, "value": m, "how": "指标归一"})
    return out


_TL_REL = {"share": "为{o}的份额", "same": "与{o}相同", "stricter": "比{o}更严", "looser": "比{o}更宽",
           "successor": "接续{o}"}


def _fmt_tlink(ctx: _Ctx, tl: dict, t: dict, other: dict) -> str:
    o = _cite(ctx, other["doc"], other["clause"])
    bits = []
    rel = tl.get("relation")
    if rel in _TL_REL:
        bits.append(_TL_REL[rel].format(o=o))
    ratio = tl.get("ratio")
    if ratio is not None and t.get("value") is not None and other.get("value"):
        r = t["value"] / other["value"] if t.get("unit") == other.get("unit") else None
        if r is not None:
            bits.append(f"为其 {r:.2f} 倍")
    if tl.get("conflict"):
        bits.append(f"与{o}数值冲突")
    if not bits:
        bits.append(f"与{o}为同一指标")
    return "（" + "，".join(bits) + "）"


def _change(a: dict | None, b: dict) -> str:
    """How the later figure relates to the earlier one (units must agree)."""
    if not a or a.get("unit") != b.get("unit") or not a.get("value") or b.get("value") is None:
        return ""
    r = b["value"] / a["value"]
    return f"（为前者的 {r:.2f} 倍）"


_ANSWER = {
    "lineage_up": lambda s, c, L: _ans_lineage(s, c, L, "upstream"),
    "lineage_down": lambda s, c, L: _ans_lineage(s, c, L, "downstream"),
    "clause_correspondence": _ans_clauses,
    "targets_of_doc": _ans_targets_of_doc,
    "targets_on_metric": _ans_targets_on_metric,
    "parties": _ans_parties,
    "deadlines": _ans_deadlines,
    "cites": _ans_cites,
    "issuer": _ans_issuer,
    "compare": _ans_compare,
    "metric_change": _ans_metric_change,
}


# --------------------------------------------------------------------------------------------- entry


def understood(intents: list[str], entities: list[dict]) -> str:
    cfg = _config()
    labels = {it.name: it.label for it in cfg.intents}
    ints = "、".join(labels.get(i, i) for i in intents) or "（未识别）"
    names = {"doc": "文件", "agency": "机关", "metric": "指标", "year": "时间", "clause": "条款", "place": "地区",
             "level": "层级"}
    ents = "；".join(f"{names.get(e['type'], e['type'])}“{e['text']}”→{_ent_value(e)}（{e['how']}）" for e in entities)
    return cfg.templates["understood"].format(intents=ints, entities=ents or cfg.templates["nothing_linked"])


def _ent_value(e: dict) -> str:
    if e["type"] == "doc":
        return f"《{e['title']}》"
    v = e["value"]
    if isinstance(v, list):
        return f"{v[0]}—{v[1]}年"
    return str(v)


@reads
def ask(store: GraphStore, question: str, doc: str | None = None) -> dict:
    """Answer a question in Chinese from the graph.  ``doc``: the document the asker is looking at (for
    “这个行动计划…”); used only when the question names no document."""
    cfg = _config()
    q = re.sub(r"\s+", "", question or "")
    ctx = _context(store)
    L = _link(store, ctx, q, doc)
    L.question = q
    intents = _intents(q, L)
    if any(i in ("metric_change", "targets_on_metric", "compare") for i in intents):
        _expand_metrics(store, L)
    result = {"question": question, "intent": None, "intents": intents, "entities": L.entities, "answer": "",
              "evidence": [], "answered": False, "parts": []}
    understood_text = understood(intents, L.entities)
    result["understood"] = understood_text
    if not q:
        result["answer"] = "问题为空。"
        return result
    # a document described by place and upstream document that the corpus does not hold: say so, never answer
    # about the upstream document instead
    if L.derived_missing:
        result.update(intent=intents[0] if intents else None, answer=L.derived_missing + "\n" + understood_text)
        return result
    # a place the corpus has no document for: say so instead of answering about another place
    foreign = [p for p in L.places if p not in ctx.jurisdictions]
    if foreign and not L.docs:
        msg = cfg.templates["place_missing"].format(place="、".join(foreign), have="、".join(ctx.jurisdictions))
        result.update(intent=intents[0] if intents else None, answer=msg + "\n" + understood_text)
        return result
    if not intents:
        result["answer"] = cfg.templates["unknown_intent"] + "\n" + understood_text
        return result
    parts: list[_Part] = []
    for it in intents:
        parts.append(_ANSWER[it](store, ctx, L))
    # an intent that only failed for want of an entity another part already answered without is dropped
    answered_parts = [p for p in parts if p.answered]
    if answered_parts:
        need_msgs = {cfg.templates["need_doc"], cfg.templates["need_metric"]}
        parts = [p for p in parts if p.answered or p.text not in need_msgs]
    unresolved = [f"“{t}”" for k, t in L.unresolved if k == "doc"]
    texts = []
    for p in parts:
        if unresolved and not p.answered and p.text == cfg.templates["need_doc"]:
            continue  # the document was named, it is just not in the corpus: said below
        texts.append(p.text)
    if unresolved:
        texts.append(cfg.templates["missing"].format(what=f"问题中提到的文件{'、'.join(unresolved)}"))
    missing_bodies = _unresolved(L, "agency")
    if missing_bodies:
        texts = [t for t in texts if t != cfg.templates["need_doc"]]
        texts.append(cfg.templates["missing"].format(
            what=f"{'、'.join(missing_bodies)}发布或负责的文件（它不是语料库中任何文件的发文机关或责任单位）"))
    answered = any(p.answered for p in parts)
    if not answered:
        texts.append(understood_text)
    evidence, seen = [], set()
    for p in parts:
        for e in p.evidence:
            k = (e["doc"], e.get("clause_id") or e.get("clause"), e.get("text"))
            if k in seen:
                continue
            seen.add(k)
            evidence.append(dict(e, intent=p.intent))
    result.update(
        intent=intents[0], answer="\n\n".join(t for t in texts if t), evidence=evidence, answered=answered,
        partial=answered and not all(p.answered for p in parts),
        parts=[{"intent": p.intent, "answered": p.answered, "answer": p.text} for p in parts],
    )
    return result
