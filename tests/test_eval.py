"""Extraction quality floors, per fact kind, on both gold sets.

The dev set (tests/gold) is what the rules were written against; the held-out set
(tests/gold_heldout) was annotated blind to the rules.  The floors sit a little under the figures
measured when they were set (README, "Evaluation"), so a change that makes extraction worse fails.
"""
import pytest

from kg.evaluate import (DEFAULT_GOLD, DEV3_GOLD, DEV4_GOLD, DEV5_GOLD, DEV6_GOLD, DEV7_GOLD, DEV8_GOLD, HELDOUT2_GOLD,
                         HELDOUT3_GOLD, HELDOUT4_GOLD, HELDOUT5_GOLD, HELDOUT6_GOLD, HELDOUT_GOLD, DEV9_GOLD, DEV14_GOLD, evaluate, matches,
                         same)

DEV_FLOORS = {"targets": (0.95, 0.95), "deadlines": (0.95, 0.95), "parties": (0.9, 0.9),
              "references": (0.95, 0.95), "resolution": (0.95, 0.9)}
# held-out set 1 was used for error analysis after its first run (README): its floors guard regressions
HELDOUT_FLOORS = {"targets": (0.95, 0.95), "deadlines": (0.9, 0.95), "parties": (0.9, 0.95),
                  "references": (0.95, 0.95)}
# held-out set 2 has never been used to change a rule (its aggregate was watched while party rules were written, README):
# these floors sit under its figures
HELDOUT2_FLOORS = {"targets": (0.62, 0.62), "targets~metric": (0.88, 0.88), "deadlines": (0.95, 0.95),
                   "parties": (0.79, 0.81), "parties~explicit": (0.85, 0.83), "references": (0.95, 0.95)}
# real documents (issue 8): dev3 was tuned on; held-out set 3 was annotated blind and never tuned on — its
# floors sit under the figures measured when they were set (README, "Evaluation")
# tgt4 (2026-12-02): targets 0.600 / 0.750 (pay rates)
DEV3_FLOORS = {"targets": (0.59, 0.74), "parties": (0.85, 0.85), "parties~explicit": (0.93, 0.89),
               "references": (0.85, 0.85)}
# (parties floors lowered on 2026-11-30 by the party-forms rules — classes named by their levels, a document's short
# forms, …: held-out 3 went from 35 tp / 3 fp / 12 fn to 36 / 5 / 11 explicit; its errors were not read and no rule was
# changed for it)
HELDOUT3_FLOORS = {"targets": (0.62, 0.51), "targets~metric": (0.76, 0.62), "parties": (0.83, 0.71),
                   "parties~explicit": (0.87, 0.73), "references": (0.85, 0.85)}
# real plan-type documents annotated to tests/ANNOTATION.md (issue 8): dev4 tuned on; held-out set 4 annotated
# blind, re-checked blind against the corrected guideline, never tuned on
DEV4_FLOORS = {"targets": (0.94, 0.94), "targets~metric": (0.97, 0.97), "parties~explicit": (0.96, 0.95),
               "references": (0.95, 0.95)}
HELDOUT4_FLOORS = {"targets": (0.86, 0.76), "targets~metric": (0.92, 0.82), "parties~explicit": (0.92, 0.70),
                   "references": (0.78, 0.74)}
DEV5_FLOORS = {"targets": (0.98, 0.98), "parties~explicit": (0.98, 0.98), "references": (0.97, 0.97)}
# dev set 6's task tables are laid out in ways the table reader does not rebuild yet (header cells broken over
# lines, category rows): low floors that only catch a breakage
DEV6_FLOORS = {"targets": (0.92, 0.86), "parties~explicit": (0.93, 0.82), "references": (0.94, 0.94)}
# plan-type documents of several provinces (2026-11-30): dev 7 tuned on; held-out 5 annotated blind, never tuned on
DEV7_FLOORS = {"targets": (0.92, 0.92), "targets~metric": (0.97, 0.97), "parties~explicit": (0.94, 0.97),
               "references": (0.97, 0.95)}
# (parties~explicit precision lowered 0.98 → 0.95 on 2026-12-02, branch pty4: 0.981 / 0.940 → 0.964 / 0.958 — the fire corps the
# text names 区消防救援总队 is written 支队 by the gold, and 各县（区）、新区发展改革部门应联合… is read lead/co where the gold has
# actor, 联合 being a cue of class_assign_after as 会同)
# tgt4 (2026-12-02): targets 0.913 / 0.895, ~metric 0.951 / 0.933 (a circle's reach)
DEV8_FLOORS = {"targets": (0.9, 0.89), "targets~metric": (0.94, 0.92), "parties~explicit": (0.95, 0.94),
               "references": (0.95, 0.95)}  # references 1.0 since 现制定 + an unbracketed name is self (2026-11-30)
# (targets~metric: 0.644 / 0.535 before dev 14's rules, 0.627 / 0.521 after them — aggregate only, rules decided on dev sets)
# 2026-12-01 (night, tgen: 项目/产品 holders, Latin letters after a classifier): targets 0.695 / 0.577, ~metric 0.780 / 0.648
HELDOUT5_FLOORS = {"targets": (0.69, 0.57), "targets~metric": (0.77, 0.64), "parties~explicit": (0.89, 0.80),
                   "references": (0.95, 0.95)}
# held-out 6 (2026-11-30): seven plan-type documents annotated blind, never tuned on; under its first run
# (parties: the session's party rules raised its recall 0.467 → 0.533 and lowered its precision 0.807 → 0.745; the
# party rules of issue 8's afternoon raised both, to 0.833 / 0.685)
# 2026-12-01 (night, tgen): targets 0.800 / 0.739, ~metric 0.857 / 0.791
HELDOUT6_FLOORS = {"targets": (0.79, 0.73), "targets~metric": (0.85, 0.79), "parties~explicit": (0.88, 0.76),
                   "references": (0.9, 0.92)}
# dev 9: seven provincial plans of held-out 6's collector, annotated blind, tuned on since its first run
DEV9_FLOORS = {"targets": (0.93, 0.94), "targets~metric": (0.94, 0.95), "parties~explicit": (0.97, 0.93),
               "references": (0.95, 0.95)}
# dev 14 (targets only): six plan-type texts of three levels, annotated blind; first run strict 0.601 / 0.511,
# ~metric 0.646 / 0.548; tuned on since (its rules: 0.863 / 0.849, ~metric 0.913 / 0.898; the section evidence:
# 0.913 / 0.898, ~metric 0.962 / 0.946; the pooled-error rules of targets-recall: 0.945 / 0.925, ~metric 0.973 / 0.952)
DEV14_FLOORS = {"targets": (0.95, 0.93), "targets~metric": (0.96, 0.94)}

SETS = {"dev": (DEFAULT_GOLD, DEV_FLOORS), "heldout": (HELDOUT_GOLD, HELDOUT_FLOORS),
        "heldout2": (HELDOUT2_GOLD, HELDOUT2_FLOORS), "dev3": (DEV3_GOLD, DEV3_FLOORS),
        "heldout3": (HELDOUT3_GOLD, HELDOUT3_FLOORS), "dev4": (DEV4_GOLD, DEV4_FLOORS),
        "heldout4": (HELDOUT4_GOLD, HELDOUT4_FLOORS), "dev5": (DEV5_GOLD, DEV5_FLOORS),
        "dev6": (DEV6_GOLD, DEV6_FLOORS), "dev7": (DEV7_GOLD, DEV7_FLOORS), "dev8": (DEV8_GOLD, DEV8_FLOORS),
        "heldout5": (HELDOUT5_GOLD, HELDOUT5_FLOORS), "heldout6": (HELDOUT6_GOLD, HELDOUT6_FLOORS),
        "dev9": (DEV9_GOLD, DEV9_FLOORS), "dev14": (DEV14_GOLD, DEV14_FLOORS)}
# dev 15: seven work plans and measures (上海 municipal, districts, a subdistrict; 江西), annotated blind for parties
# and references; tuned on since its first run (parties~explicit 0.808 / 0.635, references 1.0 / 1.0; after the rules
# of 2026-11-30: 0.926 / 0.844; after the parties-recall rules: 0.943 / 0.859)
from kg.evaluate import DEV15_GOLD  # noqa: E402
DEV15_FLOORS = {"parties~explicit": (0.95, 0.88), "references": (0.97, 0.97)}
SETS["dev15"] = (DEV15_GOLD, DEV15_FLOORS)
# dev 16 (targets only): six prefecture- and county-level texts (广州, 天河区, 果洛州, 霍邱县) annotated blind; first run
# strict 0.412 / 0.337, ~metric 0.456 / 0.373 (2026-11-30); tuned on since (after its rules: strict 0.797 / 0.759,
# ~metric 0.835 / 0.795; the pooled-error rules of targets-recall: 0.887 / 0.855, ~metric 0.900 / 0.867; the grant-label
# and scope-phrase rules of targetgaps: 0.936 / 0.880, ~metric 0.949 / 0.892)
from kg.evaluate import DEV16_GOLD  # noqa: E402
DEV16_FLOORS = {"targets": (0.93, 0.89), "targets~metric": (0.94, 0.91)}  # tgt4: 0.938 / 0.904, 0.950 / 0.916
SETS["dev16"] = (DEV16_GOLD, DEV16_FLOORS)
# dev 17: five notices and plans (广州市, 济南市, 深圳市光明区, 广州市海珠区; a 河南 provincial task division), annotated
# blind for parties and references; tuned on since its first run (parties~explicit 0.809 / 0.414, references
# 0.857 / 1.0; after the rules of 2026-11-30: 0.948 / 0.831, references 0.923 / 1.0; after the parties-recall rules:
# parties~explicit 0.963 / 0.883)
from kg.evaluate import DEV17_GOLD  # noqa: E402
# (0.95: since 第三方 is no longer read as an enumerator 第三 + 方 (2026-12-01), 委托第三方专业机构 gives an actor, as the seeds
# annotate the object of 委托; dev 17 annotates none there — a known convention conflict, README)
DEV17_FLOORS = {"parties~explicit": (0.95, 0.93), "references": (0.95, 0.99)}
SETS["dev17"] = (DEV17_GOLD, DEV17_FLOORS)
# held-out 8: ten real documents of every level (a ministry regulation, two 上海 notices, a 威海 regulation, five 上海
# district documents, a subdistrict plan), annotated blind for every kind on 2026-11-30, never tuned on; just under its
# first run (code of e25d373): targets 0.514 / 0.396, ~metric 0.622 / 0.479, parties~explicit 0.850 / 0.649,
# references 0.886 / 0.907
from kg.evaluate import HELDOUT8_GOLD  # noqa: E402
HELDOUT8_FLOORS = {"targets": (0.5, 0.38), "targets~metric": (0.61, 0.47), "parties~explicit": (0.86, 0.66),
                   "references": (0.88, 0.9)}
SETS["heldout8"] = (HELDOUT8_GOLD, HELDOUT8_FLOORS)
# dev 19 (targets only): ten short real texts of four levels annotated blind on 2026-11-30 and split by document.
# Half A is tuned on: first run strict 0.565 / 0.520 (~metric the same); after the rules written from its errors
# (chained per-units, tariff blocks, prices, lead times, budget shares, growth rates, free allowances) 1.0 / 1.0.
# Half B is never tuned on (its errors are not shown, like a held-out set's): first run strict 0.471 / 0.333,
# ~metric 0.706 / 0.500; after A's rules 0.650 / 0.542, ~metric 0.850 / 0.708 (the transfer of A's rules).
from kg.evaluate import DEV19A_GOLD, DEV19B_GOLD  # noqa: E402
DEV19A_FLOORS = {"targets": (0.95, 0.95), "targets~metric": (0.95, 0.95)}
DEV19B_FLOORS = {"targets": (0.64, 0.54), "targets~metric": (0.84, 0.7)}
SETS["dev19a"] = (DEV19A_GOLD, DEV19A_FLOORS)
SETS["dev19b"] = (DEV19B_GOLD, DEV19B_FLOORS)
# dev 21 (targets only): ten real texts of four levels and five provinces (上海 districts' plans with indicator tables,
# grant and threshold rules, a municipal plan's 发展成果; 广东/北京/云南 一户多人口, 上海港口岸电, 海南 洋浦) annotated blind on
# 2026-12-01 and split by document.  Half A is tuned on: first run strict 0.667 / 0.275 (~metric the same); after the
# rules written from its errors (indicator-table headers 指标项 / 近期规划（2030年）, lexicon units not split, 新增 rows,
# worded plans, shares to reach, free goods, household sizes, tonnage grades) 0.940 / 0.922, ~metric 0.960 / 0.941.
# Half B is never tuned on (its errors are not shown): first run strict 0.584 / 0.529, ~metric 0.610 / 0.553; after
# A's rules 0.610 / 0.553, ~metric 0.662 / 0.600 (the transfer of A's rules).  The pooled-error rules of 2026-12-01
# (t29: a change word cut from a table indicator's name, from dev 21 A and dev 25 A) moved B strict 0.636 / 0.577 →
# 0.662 / 0.600 (aggregate only).
from kg.evaluate import DEV21A_GOLD, DEV21B_GOLD  # noqa: E402
DEV21A_FLOORS = {"targets": (0.97, 0.97), "targets~metric": (0.97, 0.97), "targets~deadline": (0.99, 0.99)}  # tgen: 配套 grants; tgt4: 0.980 / 0.980, ~deadline 1.000 / 1.000 (category-first table, phrase cells)
DEV21B_FLOORS = {"targets": (0.67, 0.61), "targets~metric": (0.69, 0.63)}  # tgen (2026-12-01 night): 0.667 / 0.612, 0.692 / 0.635; tgt4 (背景 heading): 0.679 / 0.624, 0.705 / 0.647
SETS["dev21a"] = (DEV21A_GOLD, DEV21A_FLOORS)
SETS["dev21b"] = (DEV21B_GOLD, DEV21B_FLOORS)
# dev 22 (parties only): eight real documents (上海 municipal and district plans, opinions and notices, a 临沂 regulation)
# annotated blind on 2026-12-01 and split by document.  Half A is tuned on: first run parties~explicit 0.868 / 0.643;
# after the rules written from its errors (long 等部门 lists, party committees' departments, classes opening a clause
# with 配合 or any task verb, a government's departments, 上海 districts' police branches, …) 0.946 / 0.903.
# Half B is never tuned on (its errors are not shown): first run 0.848 / 0.636; after A's rules the same.
from kg.evaluate import DEV22A_GOLD, DEV22B_GOLD  # noqa: E402
DEV22A_FLOORS = {"parties~explicit": (0.94, 0.93)}
DEV22B_FLOORS = {"parties~explicit": (0.90, 0.76)}  # 0.859 / 0.644 before the 2026-12-01 (night) place-item and 镇（街道） rules
SETS["dev22a"] = (DEV22A_GOLD, DEV22A_FLOORS)
SETS["dev22b"] = (DEV22B_GOLD, DEV22B_FLOORS)
# dev 23 (references only): twenty real texts of four levels (State Council regulations, a four-ministry order page, a
# 江苏 provincial task division, 上海 municipal notices and measures, 松江 and 奉贤 district documents) annotated blind on
# 2026-12-01 and split by document.  Half A is tuned on: first run 0.893 / 0.962 (37 cases); three documents added to it
# blind after its first rule, 65 cases: 0.849 / 0.938; after the rules written from its errors (有序实施 … 《X》 and
# 遵守《X》 → applies, forms in 《》 not documents, laws named without 《》 by an article) 0.923 / 1.000 (left: annex
# labels 附件：1、《X》（点击下载） and a 告知书, which this set's gold does not count and earlier sets do); five more documents
# added blind after the fourth rule (97 cases) came out with no new error: 0.944 / 1.000.  Half B is never
# tuned on (its errors are not shown): first run 0.867 / 0.743; after A's rules 0.875 / 0.800 (the transfer of A's rules).
from kg.evaluate import DEV23A_GOLD, DEV23B_GOLD  # noqa: E402
DEV23A_FLOORS = {"references": (0.92, 0.99)}
DEV23B_FLOORS = {"references": (0.87, 0.79)}
SETS["dev23a"] = (DEV23A_GOLD, DEV23A_FLOORS)
SETS["dev23b"] = (DEV23B_GOLD, DEV23B_FLOORS)
# dev 25 (targets only): eleven real texts of four levels (上海 district 十五五纲要 and 十四五 special plan with indicator
# tables, municipal 专项资金 rules, a district 申报指南, a town's thresholds; 山东/山西 prefectural and county clean-heating
# plans) annotated blind on 2026-12-01 and split by md5 parity.  Half A is tuned on: first run strict 0.641 / 0.603,
# ~metric 0.688 / 0.647; after the rules written from its errors (指标单位 unit columns, 具有全球影响力的 no wider area,
# 目前…有 a stock, 较“十三五” no time, lists of "number + counted thing", 集聚/有 no metric, 累计 inside a name) 0.909 /
# 0.882, ~metric 0.970 / 0.941.  Half B is never tuned on (its errors are not shown): first run strict 0.737 / 0.683,
# ~metric 0.816 / 0.756; after A's rules the same (nothing transferred).
from kg.evaluate import DEV25A_GOLD, DEV25B_GOLD  # noqa: E402
DEV25A_FLOORS = {"targets": (0.96, 0.95), "targets~metric": (0.99, 0.98), "targets~deadline": (0.99, 0.98)}  # tgt4: 0.970 / 0.956, 1.000 / 0.985, 1.000 / 0.985
DEV25B_FLOORS = {"targets": (0.73, 0.68), "targets~metric": (0.81, 0.75)}
SETS["dev25a"] = (DEV25A_GOLD, DEV25A_FLOORS)
SETS["dev25b"] = (DEV25B_GOLD, DEV25B_FLOORS)
# dev 26 (parties only): eleven openings of real task-division documents (菏泽, 广东, 荆门, 吴江区 ★ table, 石景山区, 大洼区,
# 泾县; 安徽 and 浙江 provincial 责任分解) annotated blind on 2026-12-01 and split by md5 of the page address.  Half A is
# tuned on: first run ~explicit 0.718 / 0.636; after the rules written from its errors (classes named by their role in
# the division of work: 各牵头单位 lead, 各参与单位 / 各协同责任单位 co; 请 not part of a class; ★ marks a table cell's lead;
# 各县区 / 各县市区 the county governments) 0.837 / 0.818.  Half B is never tuned on (its errors are not shown): first run
# ~explicit 0.811 / 0.820; after A's rules the same (nothing transferred).
from kg.evaluate import DEV26A_GOLD, DEV26B_GOLD  # noqa: E402
DEV26A_FLOORS = {"parties~explicit": (0.94, 0.96)}
DEV26B_FLOORS = {"parties~explicit": (0.80, 0.82)}
SETS["dev26a"] = (DEV26A_GOLD, DEV26A_FLOORS)
SETS["dev26b"] = (DEV26B_GOLD, DEV26B_FLOORS)
# dev 24 (metadata only, scored by kg.evaluate_meta: its floors are in tests/test_metadata_real.py) is split the same
# way; its half B is blind too
# dev 27 (references only): twenty real texts of genres, levels and provinces the earlier sets lack (山西 / 四川 provincial
# 实施方案 and 实施意见, a 河南 decision and a 怀化 plan in traditional characters, 汕头 / 新余 / 兰州 notices forwarding a
# notice, measures or a bulletin, a 湖南 people's congress rule, 大连 / 厦门 / 潍坊 regulations and orders, 禄丰 / 景东 /
# 牟定 county documents, 婺城 district measures, 黑河 and 山西 notices and norms, two national office notices) annotated
# blind on 2026-12-01 and split by md5 parity.  Half A is tuned on: first seven documents, first run 0.650 / 0.650 (25
# cases); after the rules written from their errors (cue words and 號 in traditional characters; plans a notice's own
# title forwards without 《》 are self, split at 和) 0.909 / 1.000; two documents added blind after the rules (牟定, 景东)
# bring it to 0.750 / 0.800 (35 cases; left: a list of laws under the heading 编制依据, which the gold reads as based_on,
# and two own 文号 the gold does not count and the seed set counts as self).  Half B is never tuned on (its errors are not
# shown): first nine documents, first run 0.762 / 0.696, after A's rules 0.727 / 0.696; all eleven 0.633 / 0.613 without
# A's rules, 0.613 / 0.613 with them (nothing transferred; one more own 文号 in traditional characters found, which B's
# gold does not count).
from kg.evaluate import DEV27A_GOLD, DEV27B_GOLD  # noqa: E402
# (the own 文号 is no reference since 2026-12-01, ANNOTATION.md: dev27a 0.774 / 0.800, dev27b 0.655 / 0.613, dev17 0.960 /
# 1.000; held-out 3 0.900 / 0.900 → 0.897 / 0.875, one of its cases counts an own 文号 as self, the old seed convention)
DEV27A_FLOORS = {"references": (0.99, 0.99)}  # 0.800 / 0.800 before the 编制依据 heading cue (branch pr2)
DEV27B_FLOORS = {"references": (0.75, 0.70)}  # 0.759 / 0.710 with ref31's one-script title comparison (was 0.690 / 0.645)
SETS["dev27a"] = (DEV27A_GOLD, DEV27A_FLOORS)
SETS["dev27b"] = (DEV27B_GOLD, DEV27B_FLOORS)
# dev 28 (targets only): thirteen real plan-type texts of levels and provinces the earlier sets lack (national plans and
# opinions with 到2025/2027/2030年 goal lists, a 四川 provincial measure of grants and thresholds, 重庆 涪陵区 and 南川区
# integrated-energy-station plans) annotated blind with deadlines on 2026-12-01 and split by md5 parity.  Half A is tuned
# on: first run strict 0.528 / 0.500, ~metric 0.704 / 0.667, ~deadline 0.843 / 0.782.  Half B is never tuned on (its
# errors are not shown): first run strict 0.750 / 0.750, ~metric 0.800 / 0.800, ~deadline 0.944 / 0.895.  After the rules
# written from A's errors (t28-01…10: forecast clauses and calculation bases are background, 约为/降到, 支撑/分别/年均 and the
# document's own place not in a metric, 新建 over a comma list, kg/d and Nm³/d, 截至 a date before the document's, a power
# bound before 组织 a criterion, 5%以上的…能力 a target, X规划新增Y measures Y) A 0.633 / 0.605, ~metric 0.761 / 0.728,
# ~deadline 0.914 / 0.864; B 0.775 / 0.775, ~metric 0.800 / 0.800 (aggregate only).
from kg.evaluate import DEV28A_GOLD, DEV28B_GOLD  # noqa: E402
DEV28A_FLOORS = {"targets": (0.87, 0.85), "targets~metric": (0.97, 0.96), "targets~deadline": (0.99, 0.97)}  # tgen: 0.736 / 0.711; tgt4: 0.875 / 0.860, ~metric 0.982 / 0.965, ~deadline 1.000 / 0.982
DEV28B_FLOORS = {"targets": (0.77, 0.77), "targets~metric": (0.79, 0.79)}  # (~deadline: 14 cases, under the 20 a floor needs)
SETS["dev28a"] = (DEV28A_GOLD, DEV28A_FLOORS)
SETS["dev28b"] = (DEV28B_GOLD, DEV28B_FLOORS)
# dev 24 (metadata only, scored by kg.evaluate_meta: its floors are in tests/test_metadata_real.py) is split the same
# way; its half B is blind too
# targets~deadline (2026-12-01): the deadline the fact layer gives each target of a case's sentence in its whole source
# document (kg/evaluate.py score_deadlines).  Dev 21 A and dev 25 A got a deadline on every item, written from the
# documents before any output was seen: first figures dev21a 0.957 / 0.431 (its 普陀 plan's indicator table, its header
# broken over lines one cell a line, is not rebuilt by the pipeline: no facts), dev25a 0.919 / 0.838; after the rule
# "only a goal is due" (target_patterns.yaml due_kinds) dev25a 1.000 / 0.912, dev21a unchanged; after the one-cell-a-line
# table rows that lost a leading category cell (kg/clean.py) dev25a 1.000 / 0.971 (held-out 9 unchanged).
# Held-out 9: seven real plan-type texts (national ×2, 湖北 and 上海 provincial, 普陀 / 奉贤 / 怀柔 county level) with dated
# goals, annotated blind with their deadlines and committed before the first run; never tuned on.  Just under its first
# run (code of 06e3fa8): targets 0.886 / 0.788, ~metric 0.905 / 0.805, ~deadline 0.885 / 0.746 (without the due_kinds
# rule, written from dev 25 A before this run: ~deadline 0.802 / 0.675).
from kg.evaluate import HELDOUT9_GOLD  # noqa: E402
# 2026-12-01 (night, tgen): count classifiers 把/盏/支/口/头/块/根/株/棵 in units.yaml found five more figures here (all
# of them 块): targets 0.899 / 0.831, ~metric 0.917 / 0.847, ~deadline 0.873 / 0.781 — its precision floor lowered
# from 0.88 to 0.87 because two of the five newly found figures get a deadline the annotator did not give (F1 0.809 → 0.824).
HELDOUT9_FLOORS = {"targets": (0.88, 0.82), "targets~metric": (0.9, 0.84), "targets~deadline": (0.87, 0.77)}
SETS["heldout9"] = (HELDOUT9_GOLD, HELDOUT9_FLOORS)
# Held-out 11: ten real documents of every level (two national, 重庆 / 辽宁 / 云南 provincial, 武汉 / 吕梁 / 苏州 prefectural,
# 北京 海淀区 / 重庆 黔江区 county), annotated blind for every kind (deadlines included) and committed before the first run
# (1c7f562); never tuned on, its errors never printed.  Just under its first run (code of 39c8aed): targets 0.839 / 0.839,
# ~metric 0.863 / 0.863, ~deadline 0.960 / 0.935 (64 cases), parties 0.729 / 0.796, ~explicit 0.789 / 0.796, references
# 0.805 / 0.868.  Its metadata floors are in tests/test_metadata_real.py.
from kg.evaluate import HELDOUT11_GOLD  # noqa: E402
HELDOUT11_FLOORS = {"targets": (0.82, 0.82), "targets~metric": (0.85, 0.85), "targets~deadline": (0.95, 0.92),
                    "parties": (0.71, 0.78), "parties~explicit": (0.77, 0.78), "references": (0.79, 0.85)}
SETS["heldout11"] = (HELDOUT11_GOLD, HELDOUT11_FLOORS)
# dev 30 (references only): nineteen real texts of genres the reference sets hold few of (provincial and county-level
# measures citing national documents by title and 文号, 转发 / 批转 notices, orders promulgating a regulation, laws cited
# without 《》, a 达州 decision repealing documents, two pages in traditional characters) annotated blind on 2026-12-02 and
# split by md5 parity.  First run (gold committed before it): A 0.789 / 0.625, B 0.882 / 0.882 (aggregate only).  Rules
# from A's errors (r30-001…025: forwarding / 批转 titles' own plans, laws without 《》 after 根据, 实施《X》办法 and 《X》实施办法
# headings, 现予印发 / 现予公布, own 文号 in header cells and before the own title, a standard's number inside a cued list,
# 预案 and (试行) in own plans); documents added blind in five more batches (41 in all).  Final: A (23 documents) 0.987 /
# 0.987 (0.792 / 0.772 without the rules), B (18 documents) 0.929 / 0.929 (0.911 / 0.911 without them; aggregate only).
from kg.evaluate import DEV30A_GOLD, DEV30B_GOLD  # noqa: E402
DEV30A_FLOORS = {"references": (0.99, 0.99)}  # 1.000 / 1.000 with ref31's own-annex rule (was 0.987)
DEV30B_FLOORS = {"references": (0.93, 0.92)}  # 0.945 / 0.929 with ref31's rules (was 0.929 / 0.929)
SETS["dev30a"] = (DEV30A_GOLD, DEV30A_FLOORS)
SETS["dev30b"] = (DEV30B_GOLD, DEV30B_FLOORS)
# dev 35 (targets only): eight real plan-type texts of provinces, prefectures and counties outside 上海 (吉林 charging plan,
# 朝阳 and 六安 filling-station plans, a 北京 reward rule; 湖南 action plan, 内蒙古 subsidy rule, 丰台 2026 action plan, 崇阳
# filling-station plan) annotated blind with deadlines on 2026-12-02, split by md5 parity, committed before the first run
# (dbce164).  Half A is tuned on: first run strict 0.467 / 0.380, ~metric 0.493 / 0.402, ~deadline 0.693 / 0.565.  Half B
# is never tuned on (its errors are not shown): first run strict 0.526 / 0.484, ~metric 0.544 / 0.500, ~deadline 0.583 /
# 0.467.  After the rules written from A's errors (t35-01…16: 不宜小于 / 不应超过 bounds, 元/千瓦·年 units, a reward table's
# 奖励标准 column, rule headings → criterion, 拟规划 a goal cue, comma lists in two classifiers, dashes and 省内 cut from a
# metric, 公示N个工作日, facilities after a bounded property, Markdown escapes, 功率 after 的, 增幅 / 增长率, 平方千米,
# 100%建设…, 现有…共有 and 到…月底…共计 stock) A 0.814 / 0.761, ~metric 0.849 / 0.793, ~deadline 0.883 / 0.739; B 0.632 / 0.581,
# ~metric 0.667 / 0.613, ~deadline 0.771 / 0.617 (aggregate only).
from kg.evaluate import DEV35A_GOLD, DEV35B_GOLD  # noqa: E402
DEV35A_FLOORS = {"targets": (0.80, 0.75), "targets~metric": (0.83, 0.78), "targets~deadline": (0.87, 0.72)}
# (merged with branch tgt4's rules, written the same morning from the older dev sets' errors: one more false positive on B,
# aggregate only — strict 0.621 / 0.581, ~metric 0.655 / 0.613, ~deadline 0.755 / 0.617; A 0.837 / 0.783, ~metric 0.872 / 0.815)
DEV35B_FLOORS = {"targets": (0.61, 0.57), "targets~metric": (0.64, 0.60), "targets~deadline": (0.74, 0.60)}
SETS["dev35a"] = (DEV35A_GOLD, DEV35A_FLOORS)
SETS["dev35b"] = (DEV35B_GOLD, DEV35B_FLOORS)
# dev 32 (parties only): twelve openings of real plans, measures and task divisions outside 上海 (咸阳 放管服 points and 黑龙江
# measures in traditional characters, 菏泽 measures with duties in prose, 郧阳区 / 蔡甸区 / 立山区 / 广丰区 task divisions, 安徽,
# 武汉, 二连浩特, 广州 2006, 淮安) annotated blind on 2026-12-02 and split by md5 of the page address (A: 3 documents, 18
# cases; B: 9 documents, 50 cases).  First run (gold committed before it): A ~explicit 0.769 / 0.500, B 0.760 / 0.418
# (aggregate only).  Rules from A's errors (traditional characters read simplified, 市级各有关部门 / 县区政府 classes, 各责任
# 主体, 务必, X是…部门，负责…, A和B是…责任主体, a cut-off bracket): A 1.000 / 1.000, B 0.663 / 0.626.  Batch 2 added blind (A: 张家川,
# 盘锦, 高唐, 22 cases; B: 华容, 谯城区, 11 cases), first run A 0.727 / 0.533, B 0.300 / 0.375 on its cases; whole set then A
# 0.903 / 0.800, B 0.625 / 0.606.  After its rules (加强配合, 进行了, bare 牵头单位, 督考办, 县直各单位, long jurisdiction paths,
# running lists before their cue, …，形成了 reports): A (40 cases) 1.000 / 0.943, B (61 cases) 0.639 / 0.626 (aggregate only).
from kg.evaluate import DEV32A_GOLD, DEV32B_GOLD  # noqa: E402
DEV32A_FLOORS = {"parties~explicit": (0.99, 0.93)}
DEV32B_FLOORS = {"parties~explicit": (0.62, 0.61)}
SETS["dev32a"] = (DEV32A_GOLD, DEV32A_FLOORS)
SETS["dev32b"] = (DEV32B_GOLD, DEV32B_FLOORS)
# dev 34 (references only): seventy-five real texts (碳达峰 / 减污降碳 / 节能减排 plans of provinces, prefectures, districts
# and counties, the notices issuing them, news pages reprinting them, national notices citing by title and 文号, pages in
# traditional characters with a converter's readings), annotated blind on 2026-12-02 in twelve batches, each committed
# before the system was run on it, and split by md5 parity.  First run of the first twenty-two (e3684c8): A 0.806 / 0.735,
# B 1.000 / 0.958 (aggregate only).  Final, with the rules of branch ref31 (specs r34-001…038): A (37 documents) 0.978 /
# 0.978 (0.656 / 0.692 without them), B (38 documents) 0.875 / 0.894 (0.776 / 0.809 without them; aggregate only).
from kg.evaluate import DEV34A_GOLD, DEV34B_GOLD  # noqa: E402
DEV34A_FLOORS = {"references": (0.97, 0.97)}
DEV34B_FLOORS = {"references": (0.86, 0.88)}
SETS["dev34a"] = (DEV34A_GOLD, DEV34A_FLOORS)
SETS["dev34b"] = (DEV34B_GOLD, DEV34B_FLOORS)
# dev 37 (parties only): nine real local regulations (地方性法规 条例 / 办法 of 山东 and 浙江, provincial and prefectural), cut to
# the articles that assign duties, annotated blind on 2026-12-02, split by md5 parity, committed before the first run
# (9868014).  Half A is tuned on: first run ~explicit 0.690 / 0.379; after the rules written from its errors (p37-01…24:
# functions before 等有关部门 / 等主管部门 / 等行政管理部门 / 等部门和机构, with a bracket inside, after 县级以上人民政府 or levels or
# 会同同级; 县级以上人民政府 a class; named organisations before 等团体; 应当结合自身职责; functions named with 和; X所在地 before a class; 主管本…工作 as 负责; 综合行政执法部门 / X行政部门 after a government) 0.809 / 0.769.
# Half B is never tuned on
# (its errors are not shown): first run ~explicit 0.895 / 0.526; after A's rules 0.898 / 0.546 (aggregate only).
from kg.evaluate import DEV37A_GOLD, DEV37B_GOLD  # noqa: E402
DEV37A_FLOORS = {"parties~explicit": (0.80, 0.76)}
DEV37B_FLOORS = {"parties~explicit": (0.88, 0.53)}
SETS["dev37a"] = (DEV37A_GOLD, DEV37A_FLOORS)
SETS["dev37b"] = (DEV37B_GOLD, DEV37B_FLOORS)
# dev 36 (targets only, 2026-12-02): eight real district-level plans of 上海 (崇明 rural roads, 松江 parking sharing and 清水行动,
# 奉贤 渣土消纳 → A; 嘉定 2014 reduction tasks and 2024－2026 illegal land use, 徐汇 renovation waste, 宝山 household waste → B),
# annotated blind with deadlines, split by md5 parity.  First run (before any rule; A had 17 cases then, the 奉贤 text was
# added after it): A strict 1.000 / 0.333, ~metric 1.000 / 0.333; B 0.750 / 0.414, ~metric 0.750 / 0.414 (aggregate only).
# After the two rules from A's errors (t36-01…03: a quoted goal before 的工作目标, a comparator before the bases of a rate and
# the next rate sharing it) A 1.000 / 0.833, ~metric 1.000 / 0.833; B unchanged.  ~deadline has fewer than 20 cases in either
# half (A 2, B 18): no floor.
from kg.evaluate import DEV36A_GOLD, DEV36B_GOLD  # noqa: E402
DEV36A_FLOORS = {"targets": (0.99, 0.82), "targets~metric": (0.99, 0.82)}
DEV36B_FLOORS = {"targets": (0.74, 0.40), "targets~metric": (0.74, 0.40)}
SETS["dev36a"] = (DEV36A_GOLD, DEV36A_FLOORS)
SETS["dev36b"] = (DEV36B_GOLD, DEV36B_FLOORS)
BLIND = {"dev19b", "dev21b", "dev22b", "dev23b", "dev24b", "dev25b", "dev26b", "dev27b", "dev28b", "dev30b", "dev31b", "dev32b",
         "dev33b", "dev34b", "dev35b", "dev36b", "dev37b"}  # sets whose errors are never shown (besides the held-out sets)
_scores: dict = {}


def _score(name: str) -> dict:
    if name not in _scores:
        _scores[name] = {s.kind: s for s in evaluate(SETS[name][0])}
    return _scores[name]


@pytest.mark.parametrize("name,kind", [(n, k) for n, (_, floors) in SETS.items() for k in floors])
def test_floors(name, kind):
    p, r = SETS[name][1][kind]
    s = _score(name)[kind]
    # a held-out set's errors are never shown, not even by a failing floor (they must not be read); nor dev 19/21/22/23 B's
    # — the figures are taken out of the Score first, so that pytest's report of a failing assert does not print the
    # Score (its errors) either (a failing floor of dev 28 B printed one, 2026-12-01)
    blind = name.startswith("heldout") or name in BLIND
    cases, precision, recall = s.cases, s.precision, s.recall
    assert cases >= 20
    assert precision >= p and recall >= r, (s.as_dict(), [] if blind else s.errors[:5])


def test_matching_rules():
    assert same("5G 基站", "5G基站") and same(130000, 130000.0) and not same(13, 130000)
    assert matches({"value": 1, "unit": "个", "kind": "target"}, {"value": 1, "unit": "个"})
    assert not matches({"value": 1, "unit": "个"}, {"value": 1, "unit": "户"})
    assert not matches({"value": 1}, {"value": 1, "unit": "个"})


def test_deadline_kind_scores_the_facts_of_the_sentence():
    """targets~deadline reads the facts the pipeline assembles for the case's sentence in its whole source document
    (an indicator-table row found by its cells), counts only items that carry `deadline`, and is absent from a set
    whose items carry none; the sentence-level kinds ignore the key."""
    from kg.evaluate import DEV25A_GOLD, load_specs, score_deadlines, sentence_facts

    cases = {c["id"]: c for c in load_specs(DEV25A_GOLD, "targets")}
    row = sentence_facts(cases["d25a-t051"])  # 红色文化 | 红色文物保护建筑修缮改造 | 处 | 4 | 预期性 (2025年目标值)
    assert [(f["value"], f["deadline"]) for f in row] == [(4, "2025-12-31")]
    assert sentence_facts({"text": "x", "source": "nosuchset:nosuchfile.txt"}) is None
    sc = score_deadlines(DEV25A_GOLD)
    assert sc.cases == sum(1 for c in cases.values() if any("deadline" in e for e in c.get("expected") or []))
    assert sc.tp + sc.fn == sum(1 for c in cases.values() for e in c.get("expected") or [] if "deadline" in e)
    assert "targets~deadline" not in _score("dev4")
    assert _score("dev25a")["targets"].tp + _score("dev25a")["targets"].fn == sum(
        len(c.get("expected") or []) for c in cases.values())
