"""Precision, recall and F1 per fact kind over the gold spec files (tests/gold/<kind>/*.yaml).

A spec file holds ``kind`` and ``cases``; each case has ``text``, an optional ``context`` (the
document context: jurisdiction, level, issuers, date_document, period, title) and ``expected`` (a
list of field → value; an empty list is a negative case).  A predicted item matches an expected one
when every field named in the expected item is equal — numbers within 1e-6 relative, strings ignoring
whitespace, dates as ISO strings — and each prediction matches at most one expected item.  Everything
predicted and unmatched is a false positive, everything expected and unmatched a false negative.

A targets case is read with the section its sentence stands in (``DocContext.section``: the headings of its clause
and of the clause's ancestors, as the pipeline passes them), found in its ``source`` document under tests/data, or
given as ``context.section``: the section is evidence for the kind of a figure with no cue of its own.

A targets item may carry ``deadline`` (YYYY-MM-DD or null: the date by which it is due, as a reader of the whole
document understands it).  The sentence-level kinds leave that field out (the extractor does not assign deadlines: the
fact layer does); ``targets~deadline`` scores it on the pipeline's facts: the case's ``source`` document is processed
whole (once per document), the case's sentence is found in it (whitespace-insensitive; a table row by its cells), and
the target facts whose span lies in it are paired with the expected items that carry ``deadline`` — a fact counts when
its value (and unit, if the item gives one) is that of such an item; it matches when its deadline is the same too.
Such a fact left unpaired is a false positive (a wrong deadline is a false positive and a false negative).

Parties of ``party_type`` class are compared as concepts: the annotator's label (各区) and ours
(各区政府) match when the gazetteer resolves both to the same class.

``resolution`` specs (reference → corpus document) are scored the same way: a case predicts a
doc_id or nothing; a wrong doc_id is both a false positive and a false negative.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

import yaml

from .config import PROJECT_ROOT
from .errors import KGError
from .extract.base import DocContext, to_jsonable

DEFAULT_GOLD = PROJECT_ROOT / "tests" / "gold"
HELDOUT_GOLD = PROJECT_ROOT / "tests" / "gold_heldout"
HELDOUT2_GOLD = PROJECT_ROOT / "tests" / "gold_heldout2"
HELDOUT3_GOLD = PROJECT_ROOT / "tests" / "gold_heldout3"  # sentences of real documents (tests/data/heldout3)
DEV3_GOLD = PROJECT_ROOT / "tests" / "gold_dev3"  # sentences of real documents (tests/data/dev3), tuned on
# real plan-type documents annotated to tests/ANNOTATION.md: dev4 tuned on, heldout4 blind and never tuned on
DEV4_GOLD = PROJECT_ROOT / "tests" / "gold_dev4"
DEV5_GOLD = PROJECT_ROOT / "tests" / "gold_dev5"
DEV6_GOLD = PROJECT_ROOT / "tests" / "gold_dev6"
# plan-type documents of several provinces (issue 8), annotated to the guideline: dev7 tuned on, heldout5 blind
DEV7_GOLD = PROJECT_ROOT / "tests" / "gold_dev7"
DEV8_GOLD = PROJECT_ROOT / "tests" / "gold_dev8"  # prefectural and county plans of five provinces, tuned on
HELDOUT5_GOLD = PROJECT_ROOT / "tests" / "gold_heldout5"
HELDOUT4_GOLD = PROJECT_ROOT / "tests" / "gold_heldout4"
# seven provincial plan-type documents (辽宁, 湖南, 江西, 北京, 云南, 山西, 吉林) of held-out 6's collector, tuned on
DEV9_GOLD = PROJECT_ROOT / "tests" / "gold_dev9"
# seven plan-type documents (国务院, 青海, 苏州, 广州, 承德, 大兴, 鹤城), annotated blind on 2026-11-30: never tuned on
HELDOUT6_GOLD = PROJECT_ROOT / "tests" / "gold_heldout6"
# targets of six plan-type texts (national ×3, 河南, 重庆, 上海市普陀区), annotated blind on 2026-11-30, tuned on since
DEV14_GOLD = PROJECT_ROOT / "tests" / "gold_dev14"
GOLD_SETS = {"dev": DEFAULT_GOLD, "dev3": DEV3_GOLD, "dev4": DEV4_GOLD, "dev5": DEV5_GOLD, "dev6": DEV6_GOLD,
             "dev7": DEV7_GOLD, "dev8": DEV8_GOLD, "dev9": DEV9_GOLD, "heldout": HELDOUT_GOLD,
             "heldout2": HELDOUT2_GOLD, "heldout3": HELDOUT3_GOLD, "heldout4": HELDOUT4_GOLD,
             "heldout5": HELDOUT5_GOLD, "heldout6": HELDOUT6_GOLD, "dev14": DEV14_GOLD}


def _register(name: str) -> Path:
    """A gold set named ``name`` in ``tests/gold_<name>``, registered in :data:`GOLD_SETS`; its path."""
    GOLD_SETS[name] = path = PROJECT_ROOT / "tests" / f"gold_{name}"
    return path


# dev 15: seven work plans and measures (上海 municipal, 奉贤/嘉定/崇明 districts, 西渡 subdistrict, 江西) annotated blind
# on 2026-11-30 for parties and references only; tuned on since its first run
DEV15_GOLD = _register("dev15")
# dev 16 (targets only): six prefecture- and county-level texts (广州, 天河区, 果洛州, 霍邱县) annotated blind on
# 2026-11-30; tuned on since its first run
DEV16_GOLD = _register("dev16")
# dev 17: five notices and plans (广州市 and 济南市, 深圳市光明区 and 广州市海珠区, a 河南 provincial task division) annotated
# blind on 2026-11-30 for parties and references only; tuned on since its first run
DEV17_GOLD = _register("dev17")
# held-out 8: ten real documents of every level (a ministry regulation, two 上海 notices, a 威海 regulation, five 上海
# district documents, a subdistrict plan) annotated blind on 2026-11-30 for every kind: never tuned on
HELDOUT8_GOLD = _register("heldout8")
# dev 19 (targets only): ten short real texts of four levels (national plans' goal paragraphs, provincial tariff
# notices, prefectural and county heating subsidies), annotated blind on 2026-11-30 and split by document in two
# halves: rules may be written from half A's errors only; half B is never tuned on (it measures transfer)
DEV19A_GOLD, DEV19B_GOLD = _register("dev19a"), _register("dev19b")
# dev 21 (targets only): ten real texts of four levels and five provinces (上海 districts' plans with indicator tables, a
# district grant rule and a district threshold rule, a municipal plan's 发展成果; 广东/北京/云南 一户多人口, 上海港口岸电, 海南
# 洋浦), annotated blind on 2026-12-01 and split by document: rules may be written from half A's errors only; half B is
# never tuned on (it measures transfer)
DEV21A_GOLD, DEV21B_GOLD = _register("dev21a"), _register("dev21b")
# dev 22 (parties only): eight real documents (上海 municipal and district plans, opinions and notices, a 临沂
# regulation) annotated blind on 2026-12-01 and split by document in two halves: rules may be written from half A's
# errors only; half B is never tuned on and its errors are never shown (it measures transfer)
DEV22A_GOLD, DEV22B_GOLD = _register("dev22a"), _register("dev22b")
# dev 23 (references only): twenty real texts of four levels (a State Council regulation, a four-ministry order page, a
# 江苏 provincial task division, 上海 municipal notices and plans, 松江 and 奉贤 district opinions), annotated blind on
# 2026-12-01 and split by document: rules may be written from half A's errors only; half B is never tuned on
DEV23A_GOLD, DEV23B_GOLD = _register("dev23a"), _register("dev23b")
# dev 25 (targets only): eleven real texts of four levels (上海 district 十五五纲要 and 十四五 special plan with indicator
# tables, municipal 专项资金 rules, a district 申报指南, a town's investment thresholds; 山东/山西 prefectural and county
# clean-heating plans), annotated blind on 2026-12-01 and split by md5 parity: rules may be written from half A's errors
# only; half B is never tuned on (it measures transfer)
DEV25A_GOLD, DEV25B_GOLD = _register("dev25a"), _register("dev25b")
# dev 26 (parties only): eleven openings of real task-division documents of seven provinces and three levels (山东 菏泽,
# 广东, 湖北 荆门, 江苏 吴江区 with a ★ table, 北京 石景山区, 辽宁 大洼区, 安徽 泾县; 安徽 and 浙江 provincial 责任分解), annotated blind
# on 2026-12-01 and split by md5 of the page address: rules may be written from half A's errors only; half B is never
# tuned on and its errors are never shown (it measures transfer)
DEV26A_GOLD, DEV26B_GOLD = _register("dev26a"), _register("dev26b")
# dev 27 (references only): twenty real texts of genres, levels and provinces the earlier sets lack (provincial 实施方案
# / 实施意见 / 决定 citing national documents, notices forwarding notices or measures, headings naming documents without
# 《》, a people's congress rule, municipal regulations and orders, county rules, two pages in traditional characters),
# annotated blind on 2026-12-01 and split by md5 parity: rules may be written from half A's errors only; half B is never
# tuned on (it measures transfer)
DEV27A_GOLD, DEV27B_GOLD = _register("dev27a"), _register("dev27b")
# dev 28 (targets only): thirteen real plan-type texts of levels and provinces the earlier sets lack (national plans and
# opinions with 到2025/2027/2030年 goal lists, a 四川 provincial measure of grants and thresholds, 重庆 涪陵区 and 南川区
# integrated-energy-station plans with 现状 stock and forecasts), annotated blind with deadlines on 2026-12-01 and split by
# md5 parity: rules may be written from half A's errors only; half B is never tuned on (it measures transfer)
DEV28A_GOLD, DEV28B_GOLD = _register("dev28a"), _register("dev28b")
# held-out 9 (targets with deadlines): seven real plan-type texts of three levels (national ×2, 湖北 and 上海 provincial, 上海
# 普陀 / 奉贤 and 北京 怀柔 county level) with dated goals, annotated blind on 2026-12-01 with each target's deadline: never
# tuned on (targets~deadline is its point)
HELDOUT9_GOLD = _register("heldout9")
# held-out 11 (every kind): ten real documents of every level (two national — a four-office V2G pilot notice, a ten-ministry
# demonstration plan in PDF text; 重庆, 辽宁 and 云南 provincial; 武汉, 吕梁 and 苏州 prefectural; 北京 海淀区 and 重庆 黔江区 county)
# with dated goals, 责任单位 brackets and cited documents, annotated blind on 2026-12-02 for every kind: never tuned on
HELDOUT11_GOLD = _register("heldout11")
# dev 30 (references only): nineteen real texts of genres the reference sets hold few of (provincial and county-level
# measures citing national documents by title and 文号, 转发 / 批转 notices, orders promulgating a regulation, laws cited
# without 《》, a repeal decision, two pages in traditional characters), annotated blind on 2026-12-02 and split by md5
# parity: rules may be written from half A's errors only; half B is never tuned on (it measures transfer)
DEV30A_GOLD, DEV30B_GOLD = _register("dev30a"), _register("dev30b")
# dev 35 (targets only): eight real plan-type texts of provinces, prefectures and counties outside 上海 (吉林 charging plan,
# 朝阳 and 六安 filling-station plans, a 北京 reward rule; 湖南 action plan, 内蒙古 subsidy rule, 丰台 2026 action plan, 崇阳
# filling-station plan), annotated blind with deadlines on 2026-12-02 and split by md5 parity: rules may be written from
# half A's errors only; half B is never tuned on (it measures transfer)
DEV35A_GOLD, DEV35B_GOLD = _register("dev35a"), _register("dev35b")
# dev 32 (parties only): twelve openings of real plans, measures and task divisions outside 上海 (咸阳 放管服 points and 黑龙江
# measures in traditional characters, 菏泽 measures with duties in prose, 郧阳区 / 蔡甸区 / 立山区 / 广丰区 task divisions, 安徽,
# 武汉, 二连浩特, 广州 2006, 淮安), annotated blind on 2026-12-02 and split by md5 of the page address: rules may be written
# from half A's errors only; half B is never tuned on and its errors are never shown (it measures transfer)
DEV32A_GOLD, DEV32B_GOLD = _register("dev32a"), _register("dev32b")
# dev 34 (references only): twenty-two real plan-type texts (碳达峰 / 减污降碳 / 节能减排 plans of provinces, prefectures,
# districts), the notices issuing them and news pages reprinting them, citing national and provincial documents by title
# and 文号 or programmes without 《》, annotated blind on 2026-12-02 and split by md5 parity: rules may be written from half
# A's errors only; half B is never tuned on (it measures transfer)
DEV34A_GOLD, DEV34B_GOLD = _register("dev34a"), _register("dev34b")
# dev 37 (parties only): nine real local regulations (地方性法规 条例 / 办法 of 山东 and 浙江, provincial and prefectural: 县级以上
# 人民政府应当…, X主管部门负责…, 发展改革、教育…等部门按照各自职责…, 乡镇人民政府、街道办事处…, X会同Y…), cut to the articles that assign
# duties, annotated blind on 2026-12-02 and split by md5 parity: rules may be written from half A's errors only; half B is
# never tuned on (it measures transfer)
DEV37A_GOLD, DEV37B_GOLD = _register("dev37a"), _register("dev37b")
# dev 36 (targets only): seven real district-level plans of 上海 (崇明 rural roads, 松江 parking sharing and 清水行动 → A;
# 嘉定 2014 and 2024－2026 land tasks, 徐汇 renovation waste, 宝山 household waste → B), annotated blind with deadlines on
# 2026-12-02 and split by md5 parity: rules may be written from half A's errors only; half B is never tuned on
DEV36A_GOLD, DEV36B_GOLD = _register("dev36a"), _register("dev36b")


def _extractors() -> dict[str, Callable]:
    from .extract.deadlines import extract_deadlines
    from .extract.parties import extract_parties
    from .extract.references import extract_references
    from .extract.targets import extract_targets

    return {"targets": extract_targets, "deadlines": extract_deadlines, "parties": extract_parties,
            "references": extract_references}


def _row_extractor(kind: str) -> Callable:
    from .extract.parties import parties_from_table_row
    from .extract.targets_table import targets_from_table_row

    if kind == "targets":
        return lambda cells, ctx: targets_from_table_row(cells, None, ctx)
    if kind == "parties":
        return parties_from_table_row
    return lambda cells, ctx: []


def _row_fits(text: str, columns: list[str]) -> bool:
    try:
        _row_cells(text, columns)
    except ValueError:
        return False
    return True


def _row_cells(text: str, columns: list[str]) -> dict[str, str]:
    """The cells of a table-row case: its text split on " | " when it has any, else on whitespace; one cell per
    header (``-`` is empty)."""
    if " | " in text:  # cells that hold spaces of their own are separated by " | "
        cells = [c.strip() for c in text.split(" | ")]
    else:
        cells = text.split()
    if len(cells) < len(columns):
        raise ValueError(f"table row {text!r}: {len(cells)} cells for {len(columns)} columns {columns}")
    extra = len(cells) - len(columns)
    if extra:  # a prose cell with spaces of its own: the task column takes the surplus words
        prose = next((i for i, h in enumerate(columns) if re.search(r"任务|措施|内容|事项|举措|工作", str(h))), None)
        if prose is None:
            prose = max(range(len(columns)), key=lambda i: len(" ".join(cells[i:i + extra + 1])))
        cells = cells[:prose] + [" ".join(cells[prose:prose + extra + 1])] + cells[prose + extra + 1:]
    return {str(h): ("" if c == "-" else c) for h, c in zip(columns, cells)}


@dataclass
class Score:
    kind: str
    cases: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[dict] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"kind": self.kind, "cases": self.cases, "tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


def context_of(c: dict | None, section: tuple[str, ...] = ()) -> DocContext:
    c = c or {}
    date = c.get("date_document")
    if date is not None and not isinstance(date, dt.date):
        date = dt.date.fromisoformat(str(date))
    return DocContext(
        doc_id=c.get("doc_id"), title=c.get("title"), jurisdiction=c.get("jurisdiction"), level=c.get("level"),
        date_document=date, period=tuple(c["period"]) if c.get("period") else None,
        issuers=tuple(c.get("issuers") or ()), doc_number=c.get("doc_number"),
        section=tuple(c.get("section") or section),
        aliases=tuple(tuple(a) for a in c.get("aliases") or ()),
    )


_KEY_CHARS = 24  # characters of a case's text (without spaces) looked up in its document's clauses


def _source_path(case: dict) -> Path | None:
    """The document a case's sentence comes from (``source: set:file`` → tests/data/set/file), when it is there."""
    src = str(case.get("source") or "")
    if ":" not in src:
        return None
    name, file = src.split(":", 1)
    path = PROJECT_ROOT / "tests" / "data" / name.strip() / file.strip()
    return path if path.is_file() else None


@lru_cache(maxsize=32)
def _source_doc(path: Path):
    """A case's source document read, cleaned and segmented as the pipeline does (no facts)."""
    from .pipeline import process_file

    return process_file(path, with_facts=False)


@lru_cache(maxsize=32)
def _clause_texts(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """(text without whitespace, section headings) of every clause of a document, as the pipeline segments it."""
    from .extract.structure import section_headings

    doc = _source_doc(path)
    sections = section_headings(doc.clauses)
    t = doc.clean.text
    return [("".join("".join(t[a:b] for a, b in c.lines).split()), sections[c.clause_id])
            for c in doc.all_clauses() if c.kind not in ("table", "row")]


def section_of(case: dict) -> tuple[str, ...]:
    """The headings of the clause a case's sentence stands in (as the pipeline passes them to the extractors),
    found in the case's source document (``source: set:file`` → tests/data/set/file); () when the case states
    its own ``context.section``, is a table row, or its sentence is not found in one section only."""
    ctx = case.get("context") or {}
    path = _source_path(case)
    if path is None or ctx.get("section") is not None or ctx.get("columns"):
        return ()
    key = "".join(case["text"].split())[:_KEY_CHARS]
    found = {sec for text, sec in _clause_texts(path) if key and key in text}
    return found.pop() if len(found) == 1 else ()


def aliases_of(case: dict) -> tuple[tuple[str, str], ...]:
    """The short forms of bodies defined in the case's source document (``source: set:file``), as the pipeline gives
    them to the parties extractor for every clause of the document (kg/facts.py ``document_aliases``)."""
    path = _source_path(case)
    return _document_aliases(path) if path is not None else ()


@lru_cache(maxsize=64)
def _document_aliases(path: Path) -> tuple[tuple[str, str], ...]:
    """Read from the cleaned text, as kg/facts.py ``doc_context`` reads them (not the file's raw bytes)."""
    from .facts import document_aliases

    try:
        return document_aliases(_source_doc(path).clean.text)
    except KGError:
        return ()  # a source the pipeline cannot read gives its cases no short forms


def same(a, b) -> bool:
    a, b = to_jsonable(a), to_jsonable(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)
    if isinstance(a, str) and isinstance(b, str):
        return "".join(a.split()) == "".join(b.split())
    if isinstance(a, dict) and isinstance(b, dict):
        return all(same(a.get(k), v) for k, v in b.items())
    return a == b


def matches(pred: dict, exp: dict) -> bool:
    return all(_same_unit(pred.get(k), v) if k == "unit" else _same_doc_number(pred.get(k), v) if k == "doc_number"
               else same(pred.get(k), v) for k, v in exp.items())


def _same_doc_number(a, b) -> bool:
    """One 文号 however its brackets are written (沪府办发[2013]52号 = 沪府办发〔2013〕52号)."""
    if same(a, b):
        return True
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    from .extract.docnumber import normalize_doc_number

    return normalize_doc_number(a) == normalize_doc_number(b)


def _same_unit(a, b) -> bool:
    """Two spellings of one unit (千米 = 公里, ㎡ = 平方米) are the same unit: the annotators write units as written,
    the extractor gives the lexicon's canonical form (kg/ontology/units.yaml)."""
    if same(a, b):
        return True
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    from .extract.numbers import unit_info

    if unit_info(a)[0] == unit_info(b)[0]:
        return True
    # a compound unit (kg/d = 千克/d, m³/天 = 立方米/天): each part in its canonical spelling
    pa, pb = re.split(r"[/／]", a), re.split(r"[/／]", b)
    return len(pa) == len(pb) > 1 and all(unit_info(x)[0] == unit_info(y)[0] for x, y in zip(pa, pb))


def load_specs(gold: Path, kind: str) -> list[dict]:
    cases = []
    for f in sorted((gold / kind).glob("*.yaml")):
        spec = yaml.safe_load(f.read_text(encoding="utf-8"))
        if spec.get("kind") != kind:
            continue
        for c in spec["cases"]:
            c = dict(c)
            c["_file"] = f.name
            cases.append(c)
    return cases


def _same_body(a: str, b: str) -> bool:
    """One body's name with or without the place names above it (上海市黄浦区财政局 ~ 黄浦区财政局): the
    annotators' conventions differ on how much of the place they write."""
    a, b = "".join(str(a or "").split()), "".join(str(b or "").split())
    if a == b:
        return True
    long, short = (a, b) if len(a) > len(b) else (b, a)
    if not long.endswith(short):
        return False
    from .divisions import place_chain

    prefix = long[:len(long) - len(short)]
    return "".join(d.name for d in place_chain(prefix)) == prefix


def _same_branch(pred: str | None, exp: str, jurisdiction: str | None) -> bool:
    """A branch named after its body's full name (中国石油化工集团有限公司山东济南石油分公司, as the extractor names it) is the
    branch named after any other name the gazetteer gives the body (中石化山东济南石油分公司, as annotators write it)."""
    a, b = "".join(str(pred or "").split()), "".join(str(exp or "").split())
    if not a or len(a) <= len(b):
        return False
    common = 0
    while common < len(b) and a[-1 - common] == b[-1 - common]:
        common += 1
    from .gazetteer import default_gazetteer

    g = default_gazetteer()
    for k in range(max(2, len(b) - common), len(b)):
        r = g.resolve(b[:k], jurisdiction)
        if r is not None and r.id and r.party_type == "organization" and a == r.name + b[k:]:
            return True
    return False


def _party_matches(pred: dict, exp: dict, jurisdiction: str | None) -> bool:
    """A class of actors is one concept whatever label the annotator wrote (各区 = 各区政府); a body is
    the same with or without the place names above it (:func:`_same_body`), and under any name the
    gazetteer gives it (申通集团 = 上海申通地铁集团有限公司: annotators keep a group's short name when the text
    gives no other), and so is a branch named after it (:func:`_same_branch`)."""
    if matches(pred, exp):
        return True
    if "party" in exp and _same_body(pred.get("party"), exp["party"]) \
            and matches(pred, {k: v for k, v in exp.items() if k != "party"}):
        return True
    if "party" in exp and _same_branch(pred.get("party"), exp["party"], jurisdiction) \
            and matches(pred, {k: v for k, v in exp.items() if k != "party"}):
        return True
    if not pred.get("party_id") or "party" not in exp:
        return False
    from .gazetteer import default_gazetteer

    r = default_gazetteer().resolve(exp["party"], jurisdiction)
    if r is None or r.id != pred["party_id"]:
        return False
    return matches(pred, {k: v for k, v in exp.items() if k != "party"})


def _metric_lenient(pred: dict, exp: dict) -> bool:
    """Like :func:`matches`, but a metric matches when one phrase contains the other
    (用数据中心标准机架规模 ⊃ 数据中心标准机架): it measures values, units, comparators and kinds
    without scoring where exactly a metric phrase begins."""
    if "metric" not in exp:
        return matches(pred, exp)
    a = "".join(str(pred.get("metric") or "").split())
    b = "".join(str(exp["metric"] or "").split())
    if not a or not b or (a not in b and b not in a):
        return False
    return matches(pred, {k: v for k, v in exp.items() if k != "metric"})


def score_kind(kind: str, gold: Path = DEFAULT_GOLD, *, lenient_metric: bool = False,
               explicit_only: bool = False) -> Score:
    """``explicit_only`` (parties): leave the implied issuer out on both sides — the lead/co/actor roles of
    bodies the text names, whatever an annotator's convention on implied issuers."""
    fn_ = _extractors()[kind]
    sc = Score(kind + ("~metric" if lenient_metric else "") + ("~explicit" if explicit_only else ""))
    misaligned: list[str] = []
    for case in load_specs(gold, kind):
        sc.cases += 1
        ctx = context_of(case.get("context"), section_of(case) if kind in ("targets", "references") else ())
        if kind == "parties" and not ctx.aliases:
            ctx = dataclasses.replace(ctx, aliases=aliases_of(case))
        columns = (case.get("context") or {}).get("columns")
        if columns and not _row_fits(case["text"], columns):
            # a row whose cells do not line up with its columns (merged cells left out without `-`): read as
            # running text, and said so (once per set and kind), rather than guessing which cell is which
            misaligned.append(case["id"])
            columns = None
        if columns:  # one row of a table: its cells under their headers, as the pipeline reads them (ANNOTATION.md):
            # the row readers on the cells, the sentence extractor on the prose cells
            from .facts import prose_columns

            cells = _row_cells(case["text"], columns)
            preds = [p.to_dict() for p in _row_extractor(kind)(cells, ctx)]
            for col in prose_columns(cells):
                preds += [p.to_dict() for p in fn_(cells[col], ctx) if p.to_dict().get("role") != "implied"]
        else:
            preds = [p.to_dict() for p in fn_(case["text"], ctx)]
        expected = case.get("expected") or []
        if kind == "targets":  # a target's deadline is the fact layer's: scored by score_deadlines only
            expected = [{k: v for k, v in e.items() if k != "deadline"} for e in expected]
        if explicit_only:
            preds = [p for p in preds if p.get("role") != "implied"]
            expected = [e for e in expected if e.get("role") != "implied"]
        if kind == "parties":
            match = lambda p, e: _party_matches(p, e, ctx.jurisdiction)  # noqa: E731
        elif lenient_metric:
            match = _metric_lenient
        else:
            match = matches
        match_items(sc, {"case": case["id"], "file": case["_file"]}, preds, expected, match,
                    show=lambda p: {k: v for k, v in p.items()
                                    if k not in ("start", "end", "sentence_start", "sentence_end")})
    if misaligned and not (lenient_metric or explicit_only):
        print(f"注意：{gold.name}/{kind} 有 {len(misaligned)} 个表格行用例的单元格与 columns 对不上，按正文评测"
              f"（{', '.join(misaligned[:3])}{' …' if len(misaligned) > 3 else ''}）", file=sys.stderr)
    return sc


def match_items(sc: Score, where: dict, preds: list, expected: list, match: Callable,
                show: Callable = lambda p: p) -> None:
    """Pair each expected item with the first unused prediction it matches: tp, else fn; every prediction
    left over is an fp.  Misses and extras go to ``sc.errors`` with ``where`` (case, file)."""
    used: set[int] = set()
    for exp in expected:
        hit = next((i for i, p in enumerate(preds) if i not in used and match(p, exp)), None)
        if hit is None:
            sc.fn += 1
            sc.errors.append(where | {"missed": exp})
        else:
            used.add(hit)
            sc.tp += 1
    for i, p in enumerate(preds):
        if i not in used:
            sc.fp += 1
            sc.errors.append(where | {"extra": show(p)})


def _squash(text: str) -> str:
    """A text without whitespace and without ``|`` (a table's cell separator)."""
    return "".join(text.split()).replace("|", "")


@lru_cache(maxsize=16)
def _fact_doc(path: Path):
    """A case's source document processed whole by the pipeline, with its facts (once per document)."""
    from .pipeline import process_file

    return process_file(path)


@lru_cache(maxsize=16)
def _squashed_clean(path: Path) -> tuple[str, tuple[int, ...], bool]:
    """The document's clean text without whitespace and ``|``, the clean offset of each character kept, and whether the
    document could be read."""
    try:
        doc = _fact_doc(path)
    except KGError:
        return "", (), False
    t = doc.clean.text
    keep = [i for i, ch in enumerate(t) if not ch.isspace() and ch != "|"]
    return "".join(t[i] for i in keep), tuple(keep), True


def sentence_facts(case: dict) -> list[dict] | None:
    """The target facts the pipeline assembles for a case's sentence in its ``source`` document: those whose span lies
    in an occurrence of the sentence (found without whitespace; a table row by its non-empty cells; else by its first
    :data:`_KEY_CHARS` characters); None when the case has no source document or its sentence is not found."""
    path = _source_path(case)
    if path is None:
        return None
    squashed, keep, ok = _squashed_clean(path)
    if not ok:
        return None
    row = bool((case.get("context") or {}).get("columns"))
    if row:  # a table row: its cells in order, with the 序号 cell the case leaves out allowed between them
        cells = [_squash(c) for c in (case["text"].split(" | ") if " | " in case["text"] else case["text"].split())]
        pattern = r"(?:\d{1,3}[.、．]?)?".join(re.escape(c) for c in cells if c and c != "-")
    else:
        pattern = re.escape(_squash(case["text"]))
    found = [(m.start(), m.end()) for m in re.finditer(pattern, squashed)] if pattern else []
    if not found and not row and len(_squash(case["text"])) > _KEY_CHARS:
        key = _squash(case["text"])
        found = [(m.start(), min(m.start() + len(key), len(keep))) for m in re.finditer(re.escape(key[:_KEY_CHARS]), squashed)]
    if not found:
        return None
    doc = _fact_doc(path)
    spans = [doc.source_span(keep[a], keep[b - 1] + 1) for a, b in found if b > a]
    out = []
    for f in doc.facts.get("targets", []):
        # a fact stated in an indicator table and again in the text keeps the text's span among its sources
        if any(a <= s and e <= b for s, e in [f["span"]] + [x["span"] for x in f.get("sources") or []]
               for a, b in spans):
            out.append(f)
    return out


def _deadline_value(pred: dict, exp: dict) -> bool:
    """The prediction is the expected item's figure: same value (and value_high, unit when the item gives them)."""
    return matches(pred, {k: v for k, v in exp.items() if k in ("value", "value_high", "unit")})


def score_deadlines(gold: Path) -> Score:
    """``targets~deadline``: the deadlines the fact layer gives the targets of each case's sentence (module doc)."""
    sc = Score("targets~deadline")
    for case in load_specs(gold, "targets"):
        expected = [e for e in case.get("expected") or [] if "deadline" in e]
        if not expected:
            continue
        sc.cases += 1
        facts = sentence_facts(case) or []
        preds = [{"value": f.get("value"), "value_high": f.get("value_high"), "unit": f.get("unit"),
                  "deadline": f.get("deadline"), "kind": f.get("kind"), "metric": f.get("metric"),
                  "deadline_source": f.get("deadline_source")} for f in facts]
        preds = [p for p in preds if any(_deadline_value(p, e) for e in expected)]
        want = [{k: e[k] for k in ("value", "value_high", "unit", "deadline") if k in e} for e in expected]
        match_items(sc, {"case": case["id"], "file": case["_file"]}, preds, want,
                    lambda p, e: _deadline_value(p, e) and same(p.get("deadline"), e["deadline"]))
    return sc


def score_resolution(gold: Path = DEFAULT_GOLD) -> Score:
    from .resolve import DocCandidate, match_reference

    sc = Score("resolution")
    f = gold / "references" / "resolution.yaml"
    if not f.exists():
        return sc
    spec = yaml.safe_load(f.read_text(encoding="utf-8"))
    cands = [DocCandidate(doc_id=c["doc_id"], titles=tuple(c.get("titles") or ()), doc_number=c.get("doc_number"),
                          issuers=tuple(c.get("issuers") or ())) for c in spec["candidates"]]
    for case in spec["cases"]:
        sc.cases += 1
        m = match_reference(case.get("title"), case.get("doc_number"), cands)
        got = m.doc_id if m else None
        want = case.get("expected")
        if got is not None and got == want:
            sc.tp += 1
            continue
        if got is not None:
            sc.fp += 1
        if want is not None:
            sc.fn += 1
        sc.errors.append({"case": case.get("id"), "expected": want, "got": got})
    return sc


KIND_ORDER = ("targets", "deadlines", "parties", "references", "resolution")


def evaluate(gold: Path = DEFAULT_GOLD, kinds: tuple[str, ...] = KIND_ORDER) -> list[Score]:
    out = []
    for k in kinds:
        if k == "resolution":
            if (gold / "references" / "resolution.yaml").exists():
                out.append(score_resolution(gold))
        elif (gold / k).is_dir():
            out.append(score_kind(k, gold))
            if k == "targets":
                out.append(score_kind(k, gold, lenient_metric=True))
                dl = score_deadlines(gold)
                if dl.cases:  # only sets whose items give deadlines
                    out.append(dl)
            if k == "parties":
                out.append(score_kind(k, gold, explicit_only=True))
    return out
