"""Quantitative targets: what is measured, how much, compared how, and what kind of number it is.

``extract_targets(text, ctx) -> list[Target]`` reads sentences such as
"5G基站累计建设13万个" (metric 5G基站, 130000 个, =, cumulative) or
"确保达到120MW，力争达到180MW" (two targets, floor and stretch).  It reuses
:func:`kg.extract.numbers.extract_numbers` for the quantities and decides, for each one, whether it
is a target at all, then reads its comparator, metric, kind, ambition, change, scope, denominator
and recurrence from the words around it.  Deadlines are *not* read here (kg/extract/deadlines.py
finds them; the pipeline links them).

``targets_from_table_row(cells, headers, ctx) -> list[Target]`` reads one row of an indicator table
(序号/类别/指标名称/单位/现状值 (2020年)/预期值 (2025年)); it lives in ``kg/extract/targets_table.py``
and is importable from here too.

All word lists live in ``kg/ontology/target_patterns.yaml``; the quantities' lexicon in
``kg/ontology/units.yaml``.

How a quantity is judged (rules named in ``method``):

* ``targets.pre_metric``: the metric is written before the number ("物联网终端连接数突破2亿");
* ``targets.post_metric``: the number is the object of a verb and the metric follows it
  ("打造3个以上市级产业示范基地");
* a quantity becomes a candidate only with evidence: a comparator, an object verb or change cue just
  before it, or a property unit (%, Mbps, ms …) after a metric.  Bare unitless numbers, small Chinese
  numerals (五个新城) and orders of magnitude (亿级) need an explicit comparator, except the X of
  由X降至Y/从X提升到Y and a labelled value (基期值8, 目标值：25).  A list item after 、 shares the
  evidence (and the 累计/新增 marker) of the item before it (累计建成A 12万个、B 3000个); an
  ambition word alone before a number of the same unit is elliptic (确保…200家、力争300家).
  Ranks (全国第一, 首个) yield nothing.
* comparator: words before/after the number, and bound words — 最高/最多/上限/封顶 → ``<=``,
  最低/至少/最少 → ``>=`` — also with a grant verb between (最高补贴200万元).
* metric: the noun phrase only — leading prepositions, time and planning words and verbs (对/在…部署/
  今年计划新建), trailing verbs and comparator/bound words are stripped (target_patterns.yaml
  ``metric_strip_front``/``metric_strip_back``); a bracketed note is dropped and a bracketed unit
  (算力规模（EFLOPS）：基期值8) gives the unit of the bare numbers after it.
* kind: ``criterion`` (原则上/应不小于, 成长为…的; a threshold followed by 的 + a class of things —
  PUE不高于1.25的项目; a threshold imposed on a class — 对新建数据中心PUE不高于1.25), ``context``
  (据…显示, 从…年的…增长至…; the nearest area word before the number is 全球/世界, or 全国/我国 in a
  text whose jurisdiction is not 全国), ``achievement`` (a sentence about a past period — “十三五”期间,
  已, …了 — or inheriting that orientation inside the same text), ``baseline`` (现状/目前/基期值/
  由X提升至Y's X, comparator ``=``), else ``target``.  A figure with no cue of its own (none in its sentence
  or before it in its paragraph) takes its kind from the section it stands in (``DocContext.section``,
  :func:`section_kind`): ``achievement`` under a review heading (发展基础, 主要成效), ``context`` under a situation
  heading (面临形势, 存在的不足), ``target`` under an aim heading (主要目标) — the method says so (+review_section …).
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import re
from decimal import Decimal
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.yamlio import load_yaml

from kg.extract.base import Annotation, DocContext, alternation
from kg.patterns import pattern
from kg.extract.deadlines import five_year_plan, five_year_plan_names
from kg.extract.numbers import (
    ONTOLOGY,
    Compact,
    Quantity,
    as_number,
    compact,
    extract_numbers,
    split_unit,
    unit_info,
)

PATTERNS_FILE = ONTOLOGY / "target_patterns.yaml"

_SENT_END = "。！？!?\n"
_CLAUSE_END = "，,；;。！!？?：:（）()\n\t"
_LIST_SEP = "、"
_OPEN_Q = "“‘「『\""
_CLOSE_Q = "”’」』\""


@dataclass(frozen=True)
class Target(Annotation):
    """A quantitative statement.  ``value`` has the multiplier applied; ``unit`` does not carry it."""

    metric: str | None = None
    value: int | float = 0
    unit: str | None = None
    comparator: str = "="  # > >= = <= < ~
    kind: str = "target"  # target | baseline | achievement | criterion | context | incentive
    level_of_ambition: str | None = None  # floor (确保) | stretch (力争) | None
    change: str | None = None  # absolute | increase | cumulative | new | decrease | None
    scope: str | None = None  # 全国, 全市, 重点区域 … when stated
    per: str | None = None  # 每万人
    recurring: str | None = None  # ISO 8601 duration: 每年 → P1Y
    sentence_start: int = 0
    sentence_end: int = 0
    value_high: int | float | None = None  # upper end of a range
    baseline: dict[str, Any] | None = None  # {value, year, comparator} when the text gives one
    target_year: int | None = None  # only from an indicator table's header (预期值 (2025年))
    category: str | None = None  # indicator table 类别
    attribute: str | None = None  # indicator table 属性: 预期性 / 约束性
    column: str | None = None  # table rows: the column whose cell the offsets refer to (allocation tables)


# ---------------------------------------------------------------------------------------------
# Patterns
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Patterns:
    comp_before: dict[str, str]
    comp_before_re: re.Pattern  # anchored at the end of the text before a number
    comp_per_re: re.Pattern  # a comparator, then whose and per what the number counts (不得低于乡道每年每公里5000元)
    comp_per_next_re: re.Pattern  # fullmatch between two rates: ，村道每年每公里 (the second shares the first's bound)
    comp_inner_re: re.Pattern  # search in a noun after a number: a comparator that opens the next value
    comp_after: dict[str, str]
    comp_after_re: re.Pattern
    verb_dir: dict[str, str]
    verb_dir_re: re.Pattern
    ambition: dict[str, str]
    ambition_re: re.Pattern
    change: dict[str, list[str]]
    scopes: dict[str, str]
    scope_re: re.Pattern
    recurring: dict[str, str]
    recurring_re: re.Pattern
    object_verbs_re: re.Pattern  # anchored at the end
    object_verbs_front_re: re.Pattern  # anchored at the start
    object_verbs_inner_re: re.Pattern  # two-character verbs anywhere
    metric_head_re: re.Pattern
    sum_words_re: re.Pattern
    breakdown_words: tuple  # 其中: the parts of a total stated before
    rule_verbs_after: tuple  # 确定, 计算 after a multiple: the number sets a rule
    share_verbs_after: tuple  # 采用, 实现 after a share: how much of the subject does it
    rank_after_re: re.Pattern  # match after a figure: ，居全省第 (where things stand)
    quoted_goal_after: tuple  # 目标, 任务 after a closing quote: the quote states a goal
    grouping_re: re.Pattern  # match after a count: 方面 (a grouping)
    named_duration_re: re.Pattern  # match after a duration: 投递率达到8… (the duration names the rate)
    round_the_clock_re: re.Pattern  # match after 24小时: 动态巡查 (round-the-clock, no figure)
    interval_re: re.Pattern  # 15天完成1次: an interval and the times a thing is done in it (a frequency)
    clause_prepositions: tuple  # 在, 围绕 …: a phrase before the verb of a counted thing goes with the verb
    gloss_re: re.Pattern  # “3”即: a quoted number of a name, glossed (group 1: the number)
    unit_gloss_re: re.Pattern  # （每秒一千万亿次运算） right after a Latin unit: the unit spelled out (group 1: its text)
    activity_verbs_re: re.Pattern  # 至少主动联系1次签约居民: an activity counted in times, its object after the number
    grade_noun_re: re.Pattern  # match ending right before a value: 电压等级 (10千伏及以下的…: a grade, not a figure)
    conditional_re: re.Pattern  # match at a clause's start: 如, 如果, 若 (a condition)
    condition_end_re: re.Pattern  # match after a number: (以上)的， (a 的-phrase that states a condition)
    post_stop_re: re.Pattern
    post_strip_back: tuple  # 建设, 工作: dropped from the end of a noun after the number
    strip_front: tuple[str, ...]
    restart_re: re.Pattern  # metric_restart_after: 是指, 直至 … — a metric phrase begins again after them
    strip_back: tuple[str, ...]
    cues: dict[str, re.Pattern]
    table_headers: dict[str, list[re.Pattern]]
    time_re: re.Pattern
    bound: dict[str, str]
    bound_re: re.Pattern  # anchored at the end: 最高补贴 / 至少
    wider_re: re.Pattern  # named groups always / national / own
    wider_not_after: tuple[str, ...]
    criterion_noun_re: re.Pattern  # anchored at the start of the text after a threshold
    class_noun_re: re.Pattern  # match right after a bound word: a class noun without 的 (以上燃煤锅炉)
    class_bound_words: frozenset
    attribute_measure_ends: tuple  # 具备5%以上的尖峰负荷响应能力: a measure after 的, not a class
    class_bound_kinds: frozenset
    state_verbs: tuple  # object verbs whose object is a state, not the bounded amount (实现…全覆盖)
    per_item_re: re.Pattern  # a metric opening with 单个/单台…: a measure of each single item
    time_limit_re: re.Pattern  # right after a duration: 内, 以内 (a procedural time limit)
    share_subject_re: re.Pattern  # 80%以上的面积达到…: a share that is the subject of a verb of attainment
    count_subject_re: re.Pattern  # 100个示范社区全面建成: a count that is the subject of a verb of completion
    time_limit_units: frozenset
    period_before_re: re.Pattern  # anchored at the end: 为期, 利用 (the length of an action)
    period_after_re: re.Pattern  # to use with match after a duration: 时间
    front_duration_re: re.Pattern  # to use with match at a metric's start: 三年, 未来五年
    fyp: str  # alternation of the five-year plans' short names (periods.yaml): 十四五 …
    fyp_re: re.Pattern
    fyp_past_re: re.Pattern  # a plan period named as a span: “十三五”期间/期末/时期
    base_time_re: re.Pattern  # anchored at the end: 2020年的 / “十三五”期末 (before a baseline figure)
    level_verb: str  # alternation of target_patterns.yaml level_verbs (提升, 降低 …)
    level_prep: str  # 至/到
    to_level_re: re.Pattern  # (提升)至 / (降低)到, to use with match
    only_level_verb_re: re.Pattern  # a "metric" that is nothing but such a verb
    from_re: re.Pattern  # anchored at the end: 由 / 从 / 从2020年底的 (the X of 由X提升至Y)
    cell_comp_re: re.Pattern  # anchored at the start of a table cell: a comparator word (also full-width)
    respectively_re: re.Pattern  # 分别 / 依次
    basis_prepositions: frozenset  # 按照, 依照, 按
    basis_re: re.Pattern  # search: any of them, longest first
    holder_re: re.Pattern  # the head that ends a metric's holder (企业, 部门 …)
    head_open_re: re.Pattern  # match: a metric head of two characters or more (面积, 规模 …) opening a phrase
    per_unit_word: str  # 单位: "per unit of" before a denominator (单位增加值能耗), not a body
    per_unit_denominators: tuple  # GDP, 增加值, 换算周转量 …
    scope_openers: tuple  # 符合, 满足: a scope phrase …的 opening a share's metric
    scope_share_heads: tuple  # 率, 占比 …: the heads of such a share
    measure_ends: tuple
    grade_in_metric_re: re.Pattern  # search in a metric: 二级及以上 (the measure starts there)
    per_prefixes: tuple  # 每个, 单个: "each one's" before a sum of money
    each_holder_re: re.Pattern  # match: 每座加氢站的 (each one's: the measure follows 的)
    dimension_words: tuple  # 长, 宽 … right before a length: the length measures that dimension
    forecast_section_re: re.Pattern | None  # search in a heading: 预测 (a forecast: the past figures are its data)
    change_subject_end_re: re.Pattern  # search at a clause's end: 逐年增加 (its subject is what a from-to clause measures)
    reach_noun_ends: tuple  # 圈: a time or distance before 交通圈 is the reach of the circle, not a class's threshold
    pay_rate_base_re: re.Pattern | None  # search at the end before a share: 日工资收入的 (a share of a wage)
    pay_rate_after_re: re.Pattern | None  # match after the share: 支付 (the wage share is paid: a pay rate)
    attainment_after_re: re.Pattern  # to use with match after a duration: 到达, 运抵 …
    grade_re: re.Pattern  # to use with match at a number's end: 类以上 + a noun (三类以上消防救援支队)
    comp_of_re: re.Pattern  # anchored at the end: 不超过平台建设费用的 (a bound on a share of something)
    comp_of_ratio_re: re.Pattern  # anchored at the end: 不超过负荷年用电量 (a bound on a multiple of something)
    share_bound_grant_verbs: tuple  # 给予, 予以: before 不超过实际支出50% (a bound on a grant's share of a base)
    list_joiner_re: re.Pattern  # 、 和 及 与 以及 (between the items of a list)
    treated_prefix: tuple  # 对: opens the things a treatment verb after them acts on
    treated_after_re: re.Pattern  # match after the number: a noun, then 进行/实施 …
    status_section_re: re.Pattern  # search in a heading: 发展基础, 主要成效 … (where a plan says where things stand)
    aim_section_re: re.Pattern  # search in a heading: 主要目标, 主要指标 … (the figures a plan sets)
    situation_section_re: re.Pattern  # search in a heading: 面临形势, 存在的不足 … (background, shortcomings)
    rule_section_re: re.Pattern  # search in a heading: 设置标准, 布局控制要求, 申报条件 … (standards to meet)
    spatial_re: re.Pattern  # match after a distance: 范围内/以内/内 + a noun (a place's bound, not a target)
    alt_bracket_not: tuple  # 含, 注 …: a bracket opening with one is a note, not an alternative
    enumeration_re: re.Pattern  # 等 (not 等级 …) then an optional field word (领域): search, cut after it
    front_verbs: frozenset  # object_verbs + metric_front_verbs: dropped from a metric's opening
    front_joiners: frozenset  # 和 或 后 … inside such an opening run
    front_nouns: tuple  # nouns that open with a verb (建成区, 服务业): never cut at the front
    front_keep: tuple  # front_nouns + qualifiers (新建): the front-verb rule leaves a metric opening with one
    tier_re: re.Pattern  # search: 第一档为 / 第二阶梯 (the label of a tariff's block; its quantities are thresholds)
    price_re: re.Pattern  # search in a clause: 电价, 价格 … (money there is a price paid, not a target)
    lead_re: re.Pattern  # anchored at the end: 提前 + an optional bracket (a lead time follows)
    grant_term_re: re.Pattern  # anchored at the end: 补贴期限 (最长) — how long a grant runs follows
    free_after_re: re.Pattern  # match after a quantity: 免费电量 (an allowance granted)
    free_supply_re: re.Pattern  # match after a quantity: …实行统一免费供应 (a good handed out free)
    section_past_kinds: dict  # section → the kind a figure read as past takes there (situation → context)


@functools.lru_cache(maxsize=None)
def patterns(path: str | None = None) -> _Patterns:
    d = load_yaml(Path(path or PATTERNS_FILE))
    cb = {str(k): v for k, v in d["comparators_before"].items()}
    ca = {str(k): v for k, v in d["comparators_after"].items()}
    cues = {k: re.compile("|".join(f"(?:{p})" for p in v)) for k, v in d["kind_cues"].items()}
    th = {k: [re.compile(p) for p in v] for k, v in d["table_headers"].items()}
    fyp_names = alternation(five_year_plan_names())
    fyp = rf"[“\"‘]?(?:{fyp_names})[”\"’]?"
    level_verb = alternation(d["level_verbs"])
    level_prep = alternation(d["level_preps"])
    time_re = re.compile(
        rf"(?:到|至|截至|截止|于|在|同比|较|比|相比|与)?(?:(?:19|20)\d{{2}}年?(?:[-—–～~至到](?:19|20)\d{{2}}年?)?|{fyp})"
        r"(?:年底|年末|年前|年内|底|末|前|内|期末|期间|时期|以前|以来)?(?:的)?"
        rf"|(?:到|至)?{fyp}期末"
    )
    return _Patterns(
        comp_before=cb,
        comp_before_re=re.compile(f"(?:{alternation(cb)})$"),
        comp_per_re=re.compile(f"(?:{alternation([w for w in cb if len(w) > 1])})(?=[\\u4e00-\\u9fff]{{0,4}}?"
                               f"(?:{d['comparator_per_bases']})+$)"),
        comp_per_next_re=re.compile(f"[，,、；;][\\u4e00-\\u9fff]{{0,4}}?(?:{d['comparator_per_bases']})+"),
        # a one-character comparator (约, 近, 达, 超 …) inside a noun is part of a word (节约型, 临近): it opens a value
        # only before a number or at the end of the noun (cut there before the next quantity)
        comp_inner_re=re.compile(f"(?:{alternation([w for w in cb if len(w) > 1])})"
                                 f"|(?:{alternation([w for w in cb if len(w) == 1])})(?=$|[\\d０-９零〇一二三四五六七八九十两百千万半])"),
        comp_after=ca,
        comp_after_re=re.compile(f"(?:{alternation(ca)})"),
        verb_dir=dict(d["verb_to_direction"]),
        verb_dir_re=re.compile(alternation(d["verb_to_direction"])),
        ambition=dict(d["ambition"]),
        ambition_re=re.compile(alternation(d["ambition"])),
        change={k: list(v) for k, v in d["change"].items()},
        scopes=dict(d["scopes"]),
        scope_re=re.compile(alternation(d["scopes"])),
        recurring=dict(d["recurring"]),
        recurring_re=re.compile(alternation(d["recurring"])),
        object_verbs_re=re.compile(
            f"(?:{alternation(d['object_verbs'])})(?:了)?(?:{alternation(d['object_determiners'])})?$"),
        object_verbs_front_re=re.compile(f"(?:{alternation(d['object_verbs'])})(?:了)?"),
        metric_head_re=re.compile(f"(?:{alternation(d['metric_heads'])})$"),
        sum_words_re=re.compile(f"(?:{alternation(d['sum_words'])})$"),
        breakdown_words=tuple(d["breakdown_words"]),
        rule_verbs_after=tuple(d["rule_verbs_after"]),
        share_verbs_after=tuple(d["share_verbs_after"]),
        rank_after_re=re.compile("|".join(d["rank_after"])),
        quoted_goal_after=tuple(d["quoted_goal_after"]),
        grouping_re=re.compile(alternation(d["grouping_nouns"])),
        clause_prepositions=tuple(sorted(d["clause_prepositions"], key=len, reverse=True)),
        gloss_re=re.compile(r"[“\"](\d+)[”\"](?:" + alternation(d["name_gloss_words"]) + ")"),
        unit_gloss_re=re.compile(r"[A-Za-z][（(]((?:" + alternation(d["unit_gloss_openers"]) + r")[^（()）。；;，,]{0,30})[）)]"),
        grade_noun_re=re.compile(f"(?:{alternation(d['grade_nouns'])})$"),
        interval_re=re.compile(r"(?:\d+|[一二两三四五六七八九十半]+)(?:" + alternation(d["interval_periods"]) + r")(?:"
                               + alternation(d["interval_verbs"]) + r"){0,2}(?:\d+|[一二两三四五六七八九十]+)次"),
        round_the_clock_re=re.compile(d["round_the_clock_after"]),
        named_duration_re=re.compile(r"[\u4e00-\u9fff]{0,6}?(?:率|数|量|占比|比例)(?:" + alternation(cb) + r")[\d０-９]"),
        conditional_re=re.compile(f"(?:{alternation(d['conditional_openers'])})"),
        condition_end_re=re.compile(r"(?:以上|以下|及以上|及以下)?的[，,]"),
        object_verbs_inner_re=re.compile(alternation([v for v in d["object_verbs"] if len(v) >= 2])),
        post_stop_re=re.compile(alternation(d["post_noun_stops"])),
        post_strip_back=tuple(sorted(d["post_noun_strip_back"], key=len, reverse=True)),
        strip_front=tuple(sorted(d["metric_strip_front"], key=len, reverse=True)),
        restart_re=re.compile(f".*(?:{alternation(d['metric_restart_after'])})"
                              + (f"(?!{alternation(d['metric_restart_not_before'])})" if d.get("metric_restart_not_before") else "")),
        strip_back=tuple(sorted(d["metric_strip_back"], key=len, reverse=True)),
        cues=cues,
        table_headers=th,
        time_re=time_re,
        bound=dict(d["bound_words"]),
        activity_verbs_re=re.compile(f"(?:{alternation(d['activity_verbs'])})$"),
        bound_re=re.compile(f"(?:{alternation(d['bound_words'])})(?:(?:{alternation(d['bound_gap_adverbs'])})?"
                            f"(?:{alternation(d['bound_gap_words'] + d['activity_verbs'])}))?$"),
        wider_re=re.compile(
            "(?P<always>" + "|".join(d["wider_areas"]["always"]) + ")"
            + "|(?P<national>" + "|".join(d["wider_areas"]["non_national"]) + ")"
            + "|(?P<own>" + "|".join(d["wider_areas"]["own"]) + ")"
        ),
        wider_not_after=tuple(d["wider_areas"]["not_after"]),
        # 80%以上(的)面积达到…, 占建成区50%的目标要求: the number is the value to reach, not a class's threshold
        share_subject_re=re.compile(
            # (a list of classes joined by 和/及/、 too: 100%的社区卫生服务中心和镇卫生院完成中医馆设置 — dev 16)
            r"(?:以上|以下|及以上|及以下)?(?:的?(?:[\u4e00-\u9fff]{1,8}?|[\u4e00-\u9fff]{2,8}(?:" + alternation(d["list_joiners"])
            + r")[\u4e00-\u9fff]{2,8}?)(?:" + alternation(d["criterion_noun_breaks"]) + ")"
            r"|的?(?:" + alternation(d["share_target_nouns"]) + ")"  # 占建成区50%的目标要求, 达到90%目标
            # 城配车辆100%新能源化, 80%以上数字化: the share that reaches a state
            r"|[\u4e00-\u9fff]{1,6}?化(?![学工肥纤妆石])(?:[，,。；;、]|$))"),
        # (the noun, then the verb closing its clause: 100个示范社区全面建成，实现…; not a condition: …完成备案的，)
        count_subject_re=re.compile(
            r"(?P<noun>[\u4e00-\u9fffA-Za-z0-9“”（）()]{2,24}?)(?:" + alternation(d["count_subject_adverbs"]) + r")?(?:"
            + alternation(d["count_subject_verbs"]) + r")[\u4e00-\u9fff]{0,4}(?<!的)(?:[，,。；;]|$)"),
        time_limit_re=re.compile(rf"(?:{alternation(d['time_limit_after'])})"),
        time_limit_units=frozenset(d["time_limit_units"]),
        period_before_re=re.compile(f"(?:{alternation(d['period_before'])})$"),
        period_after_re=re.compile(alternation(d["period_after"])),
        front_duration_re=re.compile(d["metric_front_duration"]),
        criterion_noun_re=re.compile(
            r"(?:[（(]不?含[）)])?(?:以上|以下|及以上|及以下|以内)?的(?:[，,]|(?:(?!" + alternation(d["criterion_noun_breaks"]) + r")[^，,；;。：:（）()的]){0,12}?(?:"
            + alternation(d["criterion_nouns"]) + "))"
        ),
        class_noun_re=re.compile(r"[\u4e00-\u9fff]{0,8}?(?:" + alternation(d["criterion_nouns"]) + ")"),
        class_bound_words=frozenset(d["class_bound_words"]),
        attribute_measure_ends=tuple(d["attribute_measure_ends"]),
        class_bound_kinds=frozenset(d["class_bound_kinds"]),
        state_verbs=tuple(d["state_verbs"]),
        per_item_re=re.compile("^(?:" + alternation(d["per_item_openers"]) + ")"),
        fyp=fyp_names,
        fyp_re=re.compile(fyp_names),
        fyp_past_re=re.compile(rf"(?:{fyp_names})[”\"’]?(期间|期末|时期)"),
        base_time_re=re.compile(rf"(?:(?:19|20)\d{{2}}年(?:底|末)?|(?:{fyp_names})[”\"’]?期末)的?$"),
        level_verb=level_verb,
        level_prep=level_prep,
        to_level_re=re.compile(rf"(?:{level_verb})?(?:{level_prep})"),
        only_level_verb_re=re.compile(rf"(?:{level_verb})?(?:{level_prep})?"),
        from_re=re.compile(r"(?:由|从)(?:(?:19|20)\d{2}年(?:底|末)?的?)?$"),
        respectively_re=re.compile(alternation(d["respectively"])),
        basis_prepositions=frozenset(d["basis_prepositions"]),
        basis_re=re.compile(alternation(d["basis_prepositions"])),
        holder_re=re.compile(alternation(d["metric_holder_heads"])),
        head_open_re=re.compile(alternation([h for h in d["metric_heads"] if len(h) >= 2])),
        per_unit_word=d["per_unit_word"],
        per_unit_denominators=tuple(sorted(d["per_unit_denominators"], key=len, reverse=True)),
        scope_openers=tuple(d["metric_scope_openers"]),
        scope_share_heads=tuple(d["metric_scope_share_heads"]),
        measure_ends=tuple(d["metric_measure_ends"]),
        grade_in_metric_re=re.compile(d["metric_grade"]),
        per_prefixes=tuple(sorted(d["metric_per_prefixes"], key=len, reverse=True)),
        each_holder_re=re.compile(d["metric_each_holder"]),
        dimension_words=tuple(d.get("dimension_words") or ()),
        forecast_section_re=re.compile(alternation(d["forecast_section_headings"])) if d.get("forecast_section_headings") else None,
        change_subject_end_re=re.compile(d["change_subject_end"]),
        reach_noun_ends=tuple(d.get("reach_noun_ends") or ()),
        pay_rate_base_re=re.compile(d["pay_rate_base"]) if d.get("pay_rate_base") else None,
        pay_rate_after_re=re.compile(d["pay_rate_after"]) if d.get("pay_rate_after") else None,
        attainment_after_re=re.compile(rf"[\u4e00-\u9fff]{{0,2}}?(?:{alternation(d['attainment_verbs_after'])})"),
        grade_re=re.compile(rf"(?:{alternation(d['grade_classifiers'])})(?:及)?以上[\u4e00-\u9fff]"),
        comp_of_re=re.compile(rf"(?:{alternation(cb)})[^，,；;。的\d]{{1,20}}的$"),
        comp_of_ratio_re=re.compile(rf"(?:{alternation(cb)})[^，,；;。的\d]{{1,20}}$"),
        share_bound_grant_verbs=tuple(d["share_bound_grant_verbs"]),
        list_joiner_re=re.compile(alternation(d["list_joiners"])),
        alt_bracket_not=tuple(d["alternative_bracket_not"]),
        treated_prefix=tuple(d["treated_prefix"]),
        treated_after_re=re.compile(rf"[\u4e00-\u9fff（）()]{{1,16}}?(?:{alternation(d['treatment_verbs'])})"),
        status_section_re=re.compile(alternation(d["status_section_headings"])),
        aim_section_re=re.compile(alternation(d["aim_section_headings"])),
        situation_section_re=re.compile(alternation(d["situation_section_headings"])),
        rule_section_re=re.compile(alternation(d["rule_section_headings"])),
        spatial_re=re.compile(rf"(?:{alternation(d['spatial_bounds'])})(?=[\u4e00-\u9fff])"),
        enumeration_re=re.compile(rf"(?:{alternation(d['enumeration_words'])})(?!{alternation(d['enumeration_not_before'])})"
                                  rf"(?P<field>{alternation(d['enumeration_fields'])})?"),
        front_verbs=frozenset(d["object_verbs"]) | frozenset(d["metric_front_verbs"]),
        front_joiners=frozenset(d["metric_front_joiners"]),
        front_nouns=tuple(d["metric_front_nouns"]),
        front_keep=tuple(d["metric_front_nouns"]) + tuple(d["metric_front_qualifiers"]),
        cell_comp_re=re.compile(rf"^\s*({alternation(set(cb) | {_fullwidth(w) for w in cb})})?\s*"),
        tier_re=re.compile(d["tier_label"]),
        price_re=re.compile(alternation(d["price_nouns"])),
        lead_re=re.compile(rf"(?:{alternation(d['lead_time_before'])})[（(]?$"),
        grant_term_re=re.compile(d["grant_term"]),
        free_after_re=re.compile(d["free_grant_after"]),
        free_supply_re=re.compile(d["free_supply_after"]),
        section_past_kinds=dict(d.get("section_past_kinds") or {}),
    )


def _fullwidth(word: str) -> str:
    """ASCII signs in ``word`` as their full-width forms (>= → ＞＝, ~ → ～)."""
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in word)


# ---------------------------------------------------------------------------------------------
# Text helpers (all on the compacted text)
# ---------------------------------------------------------------------------------------------


def _sentences(ct: str) -> list[tuple[int, int]]:
    out, s = [], 0
    for i, ch in enumerate(ct):
        if ch in _SENT_END:
            if i + 1 > s:
                out.append((s, i + 1))
            s = i + 1
    if s < len(ct):
        out.append((s, len(ct)))
    return out


def _clause_start(ct: str, i: int, lo: int, list_sep: bool = True) -> int:
    """Start of the clause holding position ``i`` (not crossing ``lo``); quotes are skipped, and so is
    a parenthesis inside the clause (5G基站（含5G-A基站）12万个), but not one that opens it ((一) …)."""
    j, depth = i, 0
    stops = _CLAUSE_END + (_LIST_SEP if list_sep else "")
    while j > lo:
        ch = ct[j - 1]
        if depth == 0 and ch in "）)":
            k = j - 2
            while k >= lo and ct[k] not in "（(" + _SENT_END:
                k -= 1
            if k > lo and ct[k] in "（(" and ct[k - 1] not in _CLAUSE_END + _LIST_SEP and j - k <= 20:
                j = k  # skip the inner parenthesis and go on
                continue
            break
        if ch in _CLOSE_Q and ch not in _OPEN_Q:
            depth += 1
        elif ch in _OPEN_Q and ch not in _CLOSE_Q:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in stops:
            if ch == "、" and list_sep and _OTHERS_AFTER.match(ct, j, i):
                j -= 1  # 计算机、通信和其他电子设备制造业收入: the list is inside one name (…和其他…), go on over it
                continue
            break
        j -= 1
    return j


# a list item that goes on with 和其他 / 及其他 (计算机、通信和其他电子设备制造业): the items are parts of one name
_OTHERS_AFTER = re.compile(r"[^，,。；;：:、]{1,12}?(?:和|及|与)其他")


def _clause_end(ct: str, i: int, hi: int) -> int:
    j, depth = i, 0
    while j < hi:
        ch = ct[j]
        if ch in _OPEN_Q and ch not in _CLOSE_Q:
            depth += 1
        elif ch in _CLOSE_Q and ch not in _OPEN_Q:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in _CLAUSE_END + _LIST_SEP:
            break
        j += 1
    return j


_PAREN_RE = re.compile(r"[（(][^（）()]{0,20}[）)]")
# a short alternative (库, 电) or an abbreviation (PUE) in brackets inside a name
_ALT_PAREN_RE = re.compile(r"[（(]([\u4e00-\u9fff]{1,2}|[A-Z][A-Za-z]{1,7})[）)]")


def _alternative(m: re.Match | None, p: _Patterns) -> bool:
    """A bracket that gives an alternative inside a name (停车场（库）, 公共汽（电）车), not a note or a unit."""
    if m is None:
        return False
    w = m.group(1)
    return not w.startswith(p.alt_bracket_not) and unit_info(w)[1] is None


def _notes_removed(s: str, p: _Patterns) -> str:
    """5G基站（含5G-A基站） → 5G基站; 示范性智慧公共停车场（库） stays whole (:func:`_alternative`)."""
    return _PAREN_RE.sub(lambda m: m.group(0) if _alternative(_ALT_PAREN_RE.fullmatch(m.group(0)), p)
                         and m.start() > 0 else "", s)
_LEADING_ENUMERATOR = pattern("leading_enumerator")  # patterns.yaml: 2. / 三、 / （四）
_UNIT_PAREN_RE = re.compile(r"[（(](?:单位[：:])?([^（）()，,；;。]{1,8})[）)]")


def _unit_from_heading(before: str, q: Quantity) -> Quantity:
    """A bare number after a metric whose unit is written in brackets — 算力规模（EFLOPS）：基期值8 —
    takes that unit (the indicator-table convention written as running text)."""
    if q.unit is not None or q.multiplier != 1:
        return q
    um = None
    for um in _UNIT_PAREN_RE.finditer(before):
        pass
    if um is None:
        return q
    mult, unit, kind = split_unit(um.group(1))
    if unit is None or kind is None:
        return q
    return dataclasses.replace(q, value=as_number(Decimal(str(q.value)) * mult), unit=unit, unit_kind=kind,
                               multiplier=mult)


_JOINERS_ONLY = frozenset(("和", "及", "与", "以及", "或", "、", "并"))


def _strip(s: str, p: _Patterns, scope_out: list[str]) -> str:
    """Remove time expressions, ambition, scope and verbs around a metric phrase."""
    prev = None
    s = _notes_removed(s, p)  # 5G基站（含5G-A基站） → 5G基站
    s = _LEADING_ENUMERATOR.sub("", s)  # 2.对实际投资 → 对实际投资
    rm = p.restart_re.match(s)
    if rm and len(s) - rm.end() >= 2:  # 创业团队是指港澳青年人数比例 → 港澳青年人数比例: the thing defined is no measure
        s = s[rm.end():]
    while prev != s:
        prev = s
        s = p.time_re.sub("", s)
        s = p.ambition_re.sub("", s)
        dm = p.front_duration_re.match(s)
        if dm and dm.end() < len(s):  # 三年累计完成人行道断头贯通 → 人行道断头贯通
            s = s[dm.end():]
        sm = p.scope_re.match(s)
        if sm:
            scope_out.append(p.scopes[sm.group(0)])
            s = s[sm.end():]
        if p.sum_words_re.fullmatch(s):
            return ""  # 全市共计15.19平方公里: a total, with no measured thing named before it
        for w in p.strip_front:
            if s.startswith(w) and len(s) > len(w) and not s.startswith(p.front_nouns) \
                    and (len(w) > 1 or _first_word(s) == w):  # 内河航运 is no 内 + 河航运
                s = s[len(w):]
                break
        for w in p.strip_back:
            if s.endswith(w):
                s = s[: -len(w)]
                break
        s = s.strip("的 ")
        if s.startswith(("“", "\"")) and not re.search(r"[”\"]", s[1:]):
            s = s[1:]  # “新增5G基站1万个…”: the quote the phrase opens is no part of the metric
    return "" if s in _JOINERS_ONLY else s  # 36.1%和57.9%: 和 is no metric


def _first_word(s: str) -> str:
    """The first word of ``s`` as the shared segmenter cuts it."""
    from kg.extract.nlp import pipeline_segmenter

    return next(iter(pipeline_segmenter().cut(s)), "")


def _fyp_years(name: str) -> tuple[int, int] | None:
    """(start, end) of a five-year plan named in the text, from periods.yaml."""
    try:
        return five_year_plan(name)
    except KeyError:
        return None


def _ref_year(ctx: DocContext | None) -> int | None:
    if ctx is None:
        return None
    if ctx.period:
        return int(ctx.period[0])
    if ctx.date_document:
        return ctx.date_document.year
    return None


def _orientation(sent: str, ref: int | None, p: _Patterns, dated: _dt.date | None = None) -> str | None:
    """'past', 'future' or None for a sentence (``dated``: the document's own date, when known)."""
    past = bool(p.cues["achievement"].search(sent) or p.cues["achievement_done"].search(sent))
    for m in p.fyp_re.finditer(sent):
        yrs = _fyp_years(m.group(0))
        if re.search(r"(?:较|比|与|同)[“\"‘]?$", sent[max(0, m.start() - 2):m.start()]):
            continue  # 较“十三五”翻一番: a past plan named as the base of a comparison says nothing of the sentence's time
        if yrs and ref is not None and yrs[1] < ref:
            past = True
    future = bool(p.cues["future"].search(sent))
    for m in re.finditer(r"(到|至|截至|较|比|由|从|与)?((?:19|20)\d{2})年(?:(\d{1,2})月)?", sent):
        y = int(m.group(2))
        if m.group(1) in ("较", "比", "由", "从", "与"):
            continue  # a base year (较2023年增长10%) says nothing about the sentence's time
        if m.group(1) == "截至" and dated is not None and (
                y < dated.year or (y == dated.year and m.group(3) and int(m.group(3)) < dated.month)):
            past = True  # 截至2023年末 in a plan signed in 2024 (its period from 2023): where things stood (t28-07)
            continue
        if m.group(1) in (None, "到", "至") and dated is not None and y < dated.year:
            # 2023年全区实现… in a plan signed in 2024 (its period from 2023): a year already over; 从2019年…到2023年… in a
            # plan of 2024 is a span of past years, no date to reach
            past = True
            continue
        if ref is None:
            if m.group(1) in ("到", "至"):
                future = True
        elif y >= ref:
            future = True
        else:
            past = True  # a year before the document's, 截至2015年底 in a 2016 plan too: where things stood
    if future and not past:
        return "future"
    if past and not future:
        return "past"
    if past and future:
        # a past period named explicitly (“十三五”期间/期末) wins over generic forward words
        if p.fyp_past_re.search(sent) or p.cues["achievement_done"].search(sent):
            return "past"
        return "future"
    return None


# ---------------------------------------------------------------------------------------------
# Sentence extraction
# ---------------------------------------------------------------------------------------------


@dataclass
class _Cand:
    q: Quantity
    s: int  # compact offsets of the quantity
    e: int
    sent: tuple[int, int]
    comp: str = "="
    comp_start: int | None = None
    comp_end: int | None = None
    explicit: bool = False
    quoted: bool = False  # a number inside a quoted name: skipped, and no clause boundary for the next one
    metric: str | None = None
    mode: str = "pre"
    scope: str | None = None
    kind: str = "target"
    change: str | None = None
    level: str | None = None
    recurring: str | None = None
    baseline_of_next: bool = False
    baseline: dict | None = None
    share_of: bool = False  # 不超过平台建设费用的30%: a bound on a share of a base
    per_item: bool = False  # 单个储能项目装机超过0.5MW: a bound on each single item (and on the list items after it)
    comp_shared: bool = False  # the comparator is the one written before the first item of its list
    comp_per: bool = False  # the comparator stands before the bases of a rate (不得低于乡道每年每公里5000元)
    si: int = 0  # sentence index
    by_section: str | None = None  # review | aims: the kind was read from the section the text stands in
    skip: bool = False


def _comparator(ct: str, s: int, e: int, clause_lo: int, q: Quantity, p: _Patterns):
    """(comparator, explicit?, start of prefix word, end of suffix word)."""
    comp, explicit, cs, ce = "=", False, s, e
    # qualifier written before the number (recorded by numbers.py) or a comparator word
    pre = ct[clause_lo:s]
    tm = p.base_time_re.search(pre)
    if tm:  # 增长至2020年的41.5%
        pre = pre[: tm.start()]
    qual_len = 0
    if q.qualifier and pre.endswith(q.qualifier):
        qual_len = len(q.qualifier)
    head = pre[: len(pre) - qual_len] if qual_len else pre
    m = p.comp_before_re.search(pre)
    if m:
        comp, explicit, cs = p.comp_before[m.group(0)], True, clause_lo + m.start()
    elif qual_len:
        m2 = p.comp_before_re.search(head)
        if m2:
            comp, explicit, cs = p.comp_before[m2.group(0)], True, clause_lo + m2.start()
        if q.qualifier in p.comp_before:
            comp, explicit, cs = p.comp_before[q.qualifier], True, s - qual_len
    elif (pm := _last(p.comp_per_re.finditer(pre))) is not None:
        # 不得低于乡道每年每公里5000元: the comparator bounds the amount per year and kilometre named between them
        comp, explicit, cs = p.comp_before[pm.group(0)], True, clause_lo + pm.start()
    elif re.search(r"(?:至|到)$", pre):
        vm = None
        for vm in p.verb_dir_re.finditer(pre):
            pass
        if vm is not None:
            comp, explicit, cs = p.verb_dir[vm.group(0)], True, clause_lo + len(pre) - 1
    if not explicit and q.unit_kind in ("percent", "ratio"):  # 不超过平台建设费用的30%, 不超过负荷年用电量1.2倍
        om = p.comp_of_re.search(pre) or (p.comp_of_ratio_re.search(pre) if q.unit_kind == "ratio" else None)
        if om is None and q.unit_kind == "percent":  # 给予不超过实际支出50%的资金奖励: a grant's share of a base
            om = p.comp_of_ratio_re.search(pre)
            om = om if om is not None and pre[:om.start()].endswith(p.share_bound_grant_verbs) else None
        if om is not None and om.start() > 0 and not _word_starts_at(pre, om.start()):
            om = None  # 年签约服务费的80%: 约 ends the word 签约, it bounds nothing
        if om:  # 不超过平台建设费用的30%: a bound on a share of something (the last comparator word rules)
            head = om.group(0)[:len(om.group(0)) - len(_comparators_removed(om.group(0), p))]
            word = next(w for w in sorted(p.comp_before, key=len, reverse=True) if head.endswith(w))
            comp, explicit, cs = p.comp_before[word], True, clause_lo + om.start()
    if not explicit:
        bm = p.bound_re.search(pre)
        if bm:  # 最高200万元, 最高补贴200万元, 至少培育3家
            word = next(w for w in sorted(p.bound, key=len, reverse=True) if bm.group(0).startswith(w))
            comp, explicit, cs = p.bound[word], True, clause_lo + bm.start()
    if q.qualifier in ("余", "多") and comp == "=":
        comp, explicit = ">", True
    am = p.comp_after_re.match(ct, e)
    if am:
        comp, explicit, ce = p.comp_after[am.group(0)], True, am.end()
    return comp, explicit, cs, ce


def _last(it):
    m = None
    for m in it:
        pass
    return m


def _post_noun(ct: str, e: int, hi: int, p: _Patterns, next_q_starts: list[int]) -> str:
    j = e
    am = p.comp_after_re.match(ct, j)
    if am:
        j = am.end()
    if ct.startswith("的", j):
        j += 1
    end = _clause_end(ct, j, hi)
    while end > j and _alternative(_ALT_PAREN_RE.match(ct, end), p):  # 停车场（库）, 公共汽（电）车
        end = _clause_end(ct, _ALT_PAREN_RE.match(ct, end).end(), hi)
    for ns in next_q_starts:  # never run into the next quantity or its comparator
        if j <= ns < end:
            end = ns
            break
    seg = ct[j:end]
    vm = re.search(rf"(?:{p.level_verb})(?:{p.level_prep})|(?:{p.level_prep})$|" + p.comp_inner_re.pattern, seg)
    if vm:
        seg = seg[: vm.start()]
    # stop at a verb or at a conjunction that introduces the next quantity
    cut = len(seg)
    for m in p.post_stop_re.finditer(seg):
        w = m.group(0)
        if w in ("及", "和", "等", "或", "与", "以及", "并"):
            nxt = j + m.end()
            if w == "等" or any(nxt <= ns <= nxt + 6 for ns in next_q_starts):
                cut = m.start()
                break
            continue
        if m.start() > 0:
            cut = m.start()
            break
    seg = seg[:cut].strip("的等")
    if "”" in seg and "“" not in seg:
        seg = seg[:seg.index("”")]  # “全年新增1万个公共充电桩”建设目标: the quote closes the noun
    if seg.startswith(("已", "业已")):
        return ""  # 25.2平方公里已完成…: a report of what was done follows, no noun
    if p.cues["calculation_after"].match(ct[j:hi]):
        return ""  # 加氢规模1000kg/d来计算: how the estimate is computed follows, no noun
    for w in p.post_strip_back:
        if seg.endswith(w) and len(seg) - len(w) >= 2:
            return seg[: -len(w)]
    return seg


def extract_targets(text: str, ctx: DocContext | None = None) -> list[Target]:
    """Quantitative targets (and baselines, achievements, criteria, context figures) in ``text``."""
    p = patterns()
    ctx = ctx or DocContext()
    ref = _ref_year(ctx)
    section = section_kind(ctx.section, p, ref)
    c: Compact = compact(text)
    ct = c.text
    qs = extract_numbers(text, ctx)
    if not qs:
        return []
    sents = _sentences(ct)

    # orientation per sentence, neutral ones inherit (forward, then back-filled)
    orient = [_orientation(ct[a:b], ref, p, ctx.date_document) for a, b in sents]
    last = None
    for i, o in enumerate(orient):
        if o is None:
            orient[i] = last
        else:
            last = o
    own_or_before = list(orient)  # a sentence's own orientation, or one stated before it in the paragraph
    first = next((o for o in orient if o is not None), None)
    orient = [o if o is not None else first for o in orient]

    cands: list[_Cand] = []
    for q in qs:
        s = c.to_compact(q.start)
        e = c.to_compact(q.end - 1) + 1
        si = next(i for i, (a, b) in enumerate(sents) if a <= s < b)
        q = _unit_from_heading(ct[sents[si][0]:s], q)
        cands.append(_Cand(q=q, s=s, e=e, sent=sents[si], si=si))
    starts = [cd.s for cd in cands]

    for idx, cd in enumerate(cands):
        q = cd.q
        sa, sb = cd.sent
        sent = ct[sa:sb]
        lo = _clause_start(ct, cd.s, sa)  # list separators end a clause too
        lo_wide = _clause_start(ct, cd.s, sa, list_sep=False)
        # the previous quantity in the same clause cuts the phrase (由45%提升至80%)
        prev_q = None
        if idx > 0 and cands[idx - 1].sent == cd.sent and cands[idx - 1].e > lo and not cands[idx - 1].quoted:
            prev_q = cands[idx - 1]
            lo = cands[idx - 1].e
        # 第一档为年用电量2040度以内（月用电量170度以内）: a quantity in a tiered tariff's block (to the next ；) is the block's
        # threshold — money there is the block's price — and the label is not part of what it measures
        tm = None
        for tm in p.tier_re.finditer(ct, max(sa, ct.rfind("；", sa, cd.s) + 1), cd.s):
            pass
        tier = tm is not None and q.unit is not None and q.unit_kind not in ("currency", "percent", "percent_point", "time")
        if tier and lo < tm.end() <= cd.s:
            lo = tm.end()
        comp, explicit, cs, ce = _comparator(ct, cd.s, cd.e, lo, q, p)
        cd.comp_per = explicit and cs is not None and p.comp_per_re.match(ct[cs:cd.s]) is not None
        pv0 = cands[idx - 1] if idx > 0 else None
        if not explicit and pv0 is not None and pv0.comp_per and pv0.sent == cd.sent \
                and p.comp_per_next_re.fullmatch(ct, pv0.e, cd.s):
            # 不得低于乡道每年每公里5000元，村道每年每公里3000元: the next rate on the same bases shares the bound
            comp, explicit, cd.comp_per = pv0.comp, True, True
        cd.comp, cd.explicit, cd.comp_start, cd.comp_end = comp, explicit, cs, ce
        pre = ct[lo:cs]
        pre_wide = ct[lo_wide:cd.s]

        # rank statements and codes are not targets
        if p.cues["rank"].search(ct[lo_wide:_clause_end(ct, cd.e, sb)]):
            cd.skip = True
            continue
        # a procedural time limit (30个工作日内作出决定) is a rule of procedure, not a target
        if q.unit in p.time_limit_units and p.time_limit_re.match(ct, cd.e) \
                and cs >= cd.s:  # with a comparator before it (办理时限压缩至3个工作日以内) it is a target
            cd.skip = True
            continue
        # 提前（不少于两个月）完成采购, 提前30日告知: a lead time, not a target
        if q.unit in p.time_limit_units and p.lead_re.search(ct, max(sa, min(cs, cd.s) - 4), min(cs, cd.s)):
            cd.skip = True
            continue
        # 补贴期限不超过6个月: how long a grant runs, a period of the scheme
        if q.unit_kind == "time" and p.grant_term_re.search(ct, max(sa, min(cs, cd.s) - 12), min(cs, cd.s)):
            cd.skip = True
            continue
        # 电价每度提高0.05元, 用电价格为0.49元/千瓦时: a price the user pays (a pay rate), not a target — unless the clause
        # grants it (补贴0.1元/千瓦时) or bounds it (充电服务费不超过0.8元/千瓦时)
        if q.unit_kind == "currency" and not explicit and p.price_re.search(ct, lo_wide, cd.s) \
                and not p.cues["incentive"].search(ct[lo_wide:_clause_end(ct, cd.e, sb)]):
            cd.skip = True
            continue
        # 按照其日工资收入的300%支付…: a share of a wage paid, a pay rate
        if q.unit_kind == "percent" and p.pay_rate_base_re is not None and p.pay_rate_base_re.search(ct[lo_wide:cd.s]) \
                and p.pay_rate_after_re.match(ct[ce:sb]):
            cd.skip = True
            continue
        # the length of an action (为期9个月, 利用6个月时间) is a period, not a target
        if q.unit in p.time_limit_units and cs >= cd.s and (
                p.period_before_re.search(ct, lo, cd.s) or p.period_after_re.match(ct, ce)):
            cd.skip = True
            continue
        # a distance that bounds a place (轨道交通站点50米范围内地面公交配套服务占比) says where, it sets nothing
        if q.unit_kind == "length" and p.spatial_re.match(ct, ce):
            cd.skip = True
            continue
        # a grade (三类以上消防救援支队, 二级及以上医院) names a class of things
        if q.method == "numbers.chinese" and q.multiplier == 1 and p.grade_re.match(ct, cd.e - 1):
            cd.skip = True
            continue
        # a table row given as text: the table reader (targets_from_table_row) handles it
        if sent.count("\t") >= 2:
            cd.skip = True
            continue
        # a number inside a quoted name (“15分钟”社区生活圈, “1+N”, “两个100%”) names something, it sets nothing
        # (or a quoted pair of standards naming a thing: “城区1ms、中心城市间5ms”超低时延圈, no clause break inside)
        qo = ct.rfind("“", max(sa, cd.s - 24), cd.s)
        qc = ct.find("”", cd.e, cd.e + 24)
        if qo >= 0 and "”" not in ct[qo:cd.s] and qc >= 0 and "“" not in ct[cd.e:qc] \
                and (cd.s - qo <= 10 and qc - cd.e < 6 or not re.search(r"[，,。；;：:！？]", ct[qo:qc])) \
                and not ct.startswith(p.quoted_goal_after, qc + 1):  # “…新增1万个…”建设目标: a goal
            cd.skip = cd.quoted = True
            continue
        # 9个方面共57项…: a count of groups
        if q.unit_kind == "count" and p.grouping_re.match(ct, cd.e):
            cd.skip = cd.quoted = True
            continue
        # “3”即服务企业发展、…3项普惠政策: the gloss of a name's number spells the name out
        if any(float(g.group(1)) == q.value for g in p.gloss_re.finditer(ct, sa, cd.s)):
            cd.skip = True
            continue
        # 300PFLOPS（每秒一千万亿次运算）: a bracket after a Latin unit that spells the unit out sets nothing
        if any(g.start(1) <= cd.s < g.end(1) for g in p.unit_gloss_re.finditer(ct, max(sa, cd.s - 40), min(sb, cd.e + 40))):
            cd.skip = True
            continue
        # 接入电压等级10千伏及以下的分布式新能源: the grade of the things that follow, no figure
        if cs >= cd.s and p.grade_noun_re.search(ct, sa, cd.s) and ct[cd.e:ce] in p.class_bound_words \
                and ct.startswith("的", ce):
            cd.skip = True
            continue
        # 15天完成1次全线机械清理: a frequency standard, neither the interval nor the count is set on its own
        if any(m.start() <= cd.s < m.end() for m in p.interval_re.finditer(ct, max(sa, cd.s - 12), min(sb, cd.e + 12))):
            cd.skip = True
            continue
        # 邮快件24小时投递率达到80%: a duration inside the name of a rate measured by the next number
        if q.unit_kind == "time" and p.named_duration_re.match(ct, cd.e):
            cd.skip = cd.quoted = True
            continue
        # 实施24小时动态巡查: round-the-clock, how the thing is done (24小时内办结 stays a limit)
        if q.unit == "小时" and q.value == 24 and cs >= cd.s and p.round_the_clock_re.match(ct, cd.e):
            cd.skip = True
            continue

        # ---- candidate evidence
        unit_kind = q.unit_kind
        small_cn = q.method == "numbers.chinese" and q.multiplier == 1
        bare = q.unit is None and q.multiplier == 1
        magnitude = q.method == "numbers.magnitude"
        pre_for_verb = pre
        for _ in range(2):
            sm = p.scope_re.search(pre_for_verb)
            if sm and sm.end() == len(pre_for_verb):
                pre_for_verb = pre_for_verb[: sm.start()]
        verb_adjacent = bool(p.object_verbs_re.search(pre_for_verb)) or (
            # 为各区至少培育1家…基地: the verb stands between the bound and the number, and governs what follows
            cs < cd.s and (p.object_verbs_re.search(ct[cs:cd.s]) is not None
                           or p.activity_verbs_re.search(ct[cs:cd.s]) is not None)) or (
            # 对300个公交站台进行适老化改造: the things a treatment verb after them acts on
            pre_for_verb.endswith(p.treated_prefix) and p.treated_after_re.match(ct, ce) is not None)
        # verb + object + number: 培育省级工业互联网平台不少于50家, 建设示范区2个
        extent = q.unit_kind in ("count", "length", "area", "power", "storage", "compute")
        vo = p.object_verbs_inner_re.search(pre_for_verb)
        verb_object = bool(vo) and vo.end() < len(pre_for_verb) and extent
        if extent and not verb_object and prev_q is None and lo > lo_wide:
            # 建设功能匹配、各具特色的慢行交通精品区域50个, 推进大名、月浦等23个城镇…: the verb opening the clause governs
            # the thing counted across the list of its modifiers
            verb_object = p.object_verbs_front_re.match(ct, lo_wide) is not None
        change_adjacent = any(pre.endswith(w) for ws in p.change.values() for w in ws)
        scope_list: list[str] = []
        pre_metric = _strip(_per_removed(pre, q, p), p, scope_list)
        om = p.comp_of_re.search(ct[lo:cd.s]) if explicit and q.unit == "%" else None
        share_of = om is not None and cs == lo + om.start() and (not pre_metric or pre_metric in p.basis_prepositions)
        if share_of:  # 不超过平台建设费用的30%: the share's base is the metric
            pre_metric = _comparators_removed(om.group(0)[:-1], p)
        rm_ = p.comp_of_ratio_re.search(ct[lo:cd.s]) if explicit and q.unit_kind == "ratio" else None
        if rm_ is not None and cs == lo + rm_.start() and pre_metric.endswith(tuple(p.basis_prepositions)):
            pre_metric = _comparators_removed(rm_.group(0), p)  # 按照不超过负荷年用电量1.5倍: a multiple of the base
        if q.unit_kind == "ratio" and pre_metric:
            # 项目按照(不超过)负荷年用电量1.2倍: the base of the multiple is the metric
            bm = None
            for bm in p.basis_re.finditer(pre_metric):
                pass
            if bm is not None and bm.end() < len(pre_metric):
                pre_metric = _comparators_removed(pre_metric[bm.end():], p)
        vo2 = p.object_verbs_front_re.match(pre_metric)
        if vo2 and vo2.end() < len(pre_metric) and extent:
            pre_metric = _strip(pre_metric[vo2.end():], p, scope_list)
        if extent and pre_metric:
            pre_metric = _inner_verbs_removed(pre, pre_metric, p, scope_list)
        if q.unit_kind == "currency":  # 给予每人每月3000元实习补贴: who and how often a grant is counted for
            pre_metric = p.cues["grant_units"].sub("", pre_metric)
            pre_metric = _strip(pre_metric, p, scope_list) if pre_metric else pre_metric  # 奖补资金为每个 → 奖补资金
            bp = p.basis_re.search(pre_metric, 1)
            if bp is not None:  # 补贴资金按每千瓦时0.2元: what the amount is, not the rate's base after 按
                pre_metric = _strip(pre_metric[:bp.start()], p, scope_list)
        # 每连续租满1年补贴6000元: the grant's word right before the amount names it, when nothing else does
        grant_word = pre_metric if q.unit_kind == "currency" and p.cues["incentive"].fullmatch(pre_metric) else None
        if pre_metric in p.front_verbs or (q.unit_kind == "currency" and p.cues["incentive"].fullmatch(pre_metric)):
            pre_metric = ""  # 具备300万千瓦以上调节能力, 新增…1721辆、更新748辆: a verb names nothing measured
        property_unit = unit_kind in ("percent", "percent_point", "rate", "time", "ratio", "compute")
        # a list continuing a target: 超350个站点及8000幢楼宇
        continues = (prev_q is not None and not prev_q.skip and bool(re.search(r"(?:及|和|与|以及|、)$", pre)))
        # 由1.42降至1.3 / 从8EFLOPS增长到25EFLOPS: the first number is a baseline, even when bare
        fromto = bool(p.from_re.search(pre)) and bool(p.to_level_re.match(ct, ce))
        # 基期值为1.42 / 现状值：35% / 目标值：25EFLOPS (the label may sit before a colon that ends the clause)
        label_text = ct[sa:cs]
        baseline_value = bool(p.cues["baseline_value"].search(label_text))
        labelled = baseline_value or bool(p.cues["target_value"].search(label_text))
        # 累计建成5G基站12万个、5G-A基站3000个: a list item after 、 shares the evidence of the item before it
        list_item = False
        if idx > 0 and cands[idx - 1].sent == cd.sent and not cands[idx - 1].skip:
            pv = cands[idx - 1]
            between = ct[max(pv.e, pv.comp_end or pv.e):cd.s]
            list_item = (bool(_LIST_GAP.fullmatch(between))
                         and q.unit is not None
                         and (pv.q.unit_kind == q.unit_kind  # 分别完成3.05亿人、6.01亿吨: units of any kind
                              or (p.list_joiner_re.fullmatch(between) is not None
                                  and p.respectively_re.search(ct[lo_wide:pv.s]) is not None)))
            # 打造10家行业一流的机器人头部品牌、100个标杆示范的机器人应用场景、1000亿元机器人关联产业规模: the verb before
            # the first item governs each "number + the thing it counts" of the list (t25-05)
            list_item = list_item or (pv.mode == "post" and bool(pv.metric) and q.unit is not None
                                      and bool(_POST_LIST_GAP.fullmatch(between)))
        # 100万千瓦/200万千瓦时: a pair written with a slash (a storage's power and energy) — one measure, two values
        pair = (idx > 0 and cands[idx - 1].sent == cd.sent and not cands[idx - 1].skip and q.unit is not None
                and ct[cands[idx - 1].e:cd.s].strip() == "/")
        # 确保新增上云企业300家、力争500家: an ambition word alone before a number of the same unit
        prev_any = cands[idx - 1] if idx > 0 and cands[idx - 1].sent == cd.sent else None
        elliptic = (prev_any is not None and not prev_any.skip and prev_any.q.unit == q.unit and q.unit is not None
                    and not pre_metric and bool(p.ambition_re.search(pre)))
        # 共计15.19平方公里 (a sum), 远香湖南（4.73平方公里） (the size of what the clause names, in brackets)
        summed = extent and bool(p.sum_words_re.search(pre))
        bracketed = (extent and ct[cd.s - 1:cd.s] in ("（", "(") and ct[ce:ce + 1] in ("）", ")")
                     and bool(re.search(r"[\u4e00-\u9fff\dA-Za-z]$", ct[max(sa, cd.s - 13):cd.s - 1]))
                     and bool(p.object_verbs_inner_re.search(ct[sa:cd.s])))  # 推进远香湖南（4.73平方公里）: a task's size
        # 县乡道改造约600公里，其中二级路300公里; 共计9个（嘉定新城5个、…）: a part of a total stated before it
        total = next((x for x in reversed(cands[:idx]) if x.sent == cd.sent and not x.skip), None)
        in_bracket = ct[lo_wide - 1:lo_wide] in ("（", "(") and next(
            (x for x in cands[:idx] if x.sent == cd.sent and not x.skip and max(x.e, x.comp_end or 0) == lo_wide - 1), None)
        total = in_bracket or total
        breakdown = (total is not None and q.unit is not None and total.q.unit_kind == q.unit_kind
                     and (ct.startswith(p.breakdown_words, lo_wide) or bool(in_bracket)))
        # 如项目接入220千伏或330千伏电压等级，…; 确有必要接入220千伏的，…: a quantity that states a condition
        conditional = q.unit is not None and (p.conditional_re.match(ct, lo_wide) is not None
                                              or p.condition_end_re.match(ct, ce) is not None)
        # 每月享有10度免费电量: an allowance the policy grants
        # (not a count: 新建200个免费停车泊位 counts the things to build)
        free = q.unit is not None and q.unit_kind not in ("currency", "count") and p.free_after_re.match(ct, ce) is not None
        # 全市首批100个示范社区全面建成: the things counted are the subject of a verb of completion (not after 的, which
        # makes the count a class's threshold: 100个以上的项目完成…)
        csm = (p.count_subject_re.match(ct, ce) if q.unit_kind == "count" and q.unit is not None
               and not ct.startswith("的", ce) else None)
        # (a verb before it governs the count instead: 建成示范单位5家近期投用)
        count_subject = csm is not None and "的" not in csm.group("noun") and not verb_adjacent and not verb_object
        if continues or fromto or labelled or elliptic or list_item or pair or summed or bracketed or breakdown or conditional \
                or tier or free:
            ok = True
        elif small_cn or bare or magnitude:
            # 提高一个百分点, 缩短两小时: a change verb right before a small numeral of a measure (not of a count) sets it
            ok = explicit or (small_cn and change_adjacent and q.unit is not None and q.unit_kind != "count")
        else:
            headed = bool(pre_metric) and bool(p.metric_head_re.search(pre_metric))
            # 东西宽74.5公里, 河道长3.2公里: a length right after the dimension it measures
            headed = headed or (q.unit_kind == "length" and pre.endswith(p.dimension_words))
            # 补贴10000元, 给予奖励5000元: money right after a word that grants it
            # (给予每人每月3000元: who and how often sit between; 按每人2000元给予补贴, 补贴标准：10000元: named around it)
            granted = q.unit_kind == "currency" and (
                bool(p.cues["incentive"].search(p.cues["grant_units"].sub("", pre)[-4:]))
                or bool(p.cues["incentive_after"].search(ct[ce:sb])) or bool(p.cues["incentive_label"].search(label_text))
                or bool(p.cues["incentive_rate_basis"].search(ct[lo_wide:cd.s])
                        and p.cues["incentive_rate_after"].search(ct[ce:sb])))
            # 各级各类学校22所，…: a count written after the thing counted, closing its clause
            counted = (q.unit_kind == "count" and len(pre_metric) >= 2 and ce == _clause_end(ct, ce, sb)
                       and re.search(r"[\u4e00-\u9fff]$", pre) is not None)
            # 70%学校完成绿色学校创建: the share of a class that reaches a state
            share_subject = q.unit_kind == "percent" and not pre_metric and p.share_subject_re.match(ct, ce) is not None
            # 1小时内下行运抵乡镇服务站: a time to reach
            lm0 = p.time_limit_re.match(ct, ce)
            share_subject = share_subject or (q.unit_kind == "time" and p.attainment_after_re.match(
                ct, lm0.end() if lm0 else ce, min(sb, (lm0.end() if lm0 else ce) + 6)) is not None)
            ok = explicit or verb_adjacent or change_adjacent or verb_object or headed or granted or counted or share_subject or (
                property_unit and bool(pre_metric)) or (q.multiplier > 1 and bool(pre_metric)) or count_subject
        if (ok and q.value == 1 and not explicit and p.cues["step_unit"].search(pre)
                and p.cues["incentive"].search(ct[sa:sb])):
            ok = False  # 每增加1人给予3000元: the base of the grant's rate
        if ok and q.unit_kind == "time" and p.cues["step_span"].search(ct[lo:cd.s]) and p.cues["incentive"].search(ct[sa:sb]):
            ok = False  # 每连续租满1年补贴6000元: the span each step of the grant's rate is paid for
        if not ok:
            cd.skip = True
            continue

        # ---- metric
        later = [x for x in starts if x > cd.e]
        post = _post_noun(ct, cd.e, sb, p, later)
        if later and later[0] - cd.e <= 2:
            # 30余种近百万个智能感知终端: the noun follows the next quantity
            nxt = cands[starts.index(later[0])]
            post = _post_noun(ct, nxt.e, sb, p, [x for x in starts if x > nxt.e])
        enumerated = bool(re.search(r"等(?!级)", pre_metric))
        attributive = (property_unit and bool(post) and re.match(r"(?:的)?[\u4e00-\u9fff]", ct[ce:ce + 2] or "") is not None
                       and not ct.startswith(p.rule_verbs_after, ce)  # 1.2倍确定…规模: a rule, not a class's threshold
                       and not (unit_kind == "percent" and ct.startswith(p.share_verbs_after, ce)))  # 100%采用…设备
        cd.share_of = share_of
        if share_of or p.cues["incentive_basis"].search(pre):
            attributive = False  # (不超过)贷款金额的2%给予贴息: the base is the metric, the grant comes after
        lm = p.time_limit_re.match(ct, ce) if q.unit_kind == "time" else None
        if q.unit_kind == "time" and p.attainment_after_re.match(ct, lm.end() if lm else ce, min(sb, (lm.end() if lm else ce) + 6)):
            attributive, post = False, ""  # 2小时内到达: a time to reach, not an attribute of what follows
            if lm is not None and cd.comp == "=":
                cd.comp, cd.explicit, cd.comp_end = "<=", True, lm.end()
        # 港澳青年人数比例达30%以上的团队, 谷时充电占比应超过85%或者…: a measure named before the comparator is what the
        # value measures; the noun after the value is the class the bound picks out (or the next clause), not the metric
        measured_before = (attributive and cd.comp_start is not None and cd.comp_start < cd.s
                           and bool(p.metric_head_re.search(pre_metric)))
        if continues and post:
            cd.metric, cd.mode = post, "post"
        elif count_subject and csm is not None:
            cd.metric, cd.mode = csm.group("noun"), "post"
        elif post and (not pre_metric or verb_adjacent or enumerated or (attributive and not measured_before)
                       or p.sum_words_re.search(pre)
                       or (q.unit_kind == "currency" and p.cues["grant_noun"].search(post))):
            cd.metric, cd.mode = post, "post"
            scope_list2: list[str] = []
            _strip(pre, p, scope_list2)
            scope_list = scope_list or scope_list2
        elif pair:
            cd.metric, cd.mode = cands[idx - 1].metric, "inherited"
        elif pre_metric and not (pre_metric in p.basis_prepositions and post):  # 按每户3000元的标准: 按 names nothing
            cd.metric, cd.mode = pre_metric, "pre"
        elif grant_word and not post:
            cd.metric, cd.mode = grant_word, "pre"
        elif prev_q is not None and prev_q.metric:
            cd.metric, cd.mode = prev_q.metric, "pre"
        elif (idx > 0 and cands[idx - 1].sent == cd.sent and cands[idx - 1].metric and not cands[idx - 1].skip
              and cands[idx - 1].q.unit == q.unit and not post):
            # elliptic: 新增5G基站2万个，累计建成10万个 / 确保达到120MW，力争达到180MW
            cd.metric, cd.mode = cands[idx - 1].metric, "inherited"
        else:
            cd.metric, cd.mode = (post or None), "post" if post else "none"
        if not cd.metric and labelled:
            cd.metric, cd.mode = _heading_metric(ct[sa:cs], p), "pre"
        if not cd.metric and fromto and lo_wide > sa:
            # 税收亿元楼逐年增加，从2020年的30幢增长至40幢: the subject of the clause before, whose change the levels give
            prev_clause = ct[_clause_start(ct, lo_wide - 1, sa, list_sep=False):lo_wide - 1]
            cm = p.change_subject_end_re.search(prev_clause)
            if cm is not None and cm.start() >= 2:
                cd.metric, cd.mode = (_strip(prev_clause[:cm.start()], p, scope_list) or None), "pre"
        if not cd.metric and q.unit_kind == "currency" and ct[lo_wide - 1:lo_wide] in ("：", ":") \
                and p.cues["incentive_label"].search(ct[sa:lo_wide]):
            # 补贴标准：10000元: the amount under a grant's label, with nothing else named, is the label's
            head = ct[_clause_start(ct, lo_wide - 1, sa):lo_wide - 1]
            cd.metric, cd.mode = (_strip(re.sub(r"(?:为|是)$", "", head), p, []) or None), "pre"
        if (breakdown and in_bracket and total.metric and not ct.startswith(p.breakdown_words, lo_wide)
                and "的" not in (cd.metric or "") and not p.metric_head_re.search(cd.metric or "")
                and not (cd.metric or "").endswith(p.measure_ends)):
            # 公园建设项目共计9个（嘉定新城5个、…）: a place's share of the total (（其中5G 3CC达3.5万个） names a part of its own)
            cd.metric, cd.mode = total.metric, "inherited"
        if cd.metric:
            cd.metric = cd.metric.strip("，,、：: ")
            if cd.metric.startswith("其中"):
                cd.metric = cd.metric[2:]
            if cd.mode == "pre":
                m = _front_verbs_removed(_examples_removed(cd.metric, p), p)
                if m != cd.metric:  # 引领带动全省工业固定资产投资: what the verbs hid (a scope, a time) goes too
                    m = _strip(m, p, scope_list) or m
                cd.metric = _holder_removed(m, p)
                if q.unit_kind == "count" and "的" in cd.metric:
                    # 具备中试以上条件的灾害事故科技支撑基地10个: the things counted, not the clause that says which
                    rest = cd.metric[cd.metric.rindex("的") + 1:]
                    cd.metric = rest if len(rest) >= 4 and not p.metric_head_re.fullmatch(rest) else cd.metric
            cd.metric = cd.metric or None

        # ---- scope, per, recurrence, ambition, change
        if not scope_list:
            sm = None
            for sm in p.scope_re.finditer(pre_wide):
                pass
            if sm is not None:
                scope_list.append(p.scopes[sm.group(0)])
        cd.scope = scope_list[0] if scope_list else None
        rm = p.recurring_re.search(pre_wide)
        cd.recurring = p.recurring[rm.group(0)] if rm else None
        am = None
        for am in p.ambition_re.finditer(ct[sa:cd.s]):
            pass
        cd.level = p.ambition[am.group(0)] if am is not None else None
        cd.change = _change(pre, pre_wide, ct, cd, q, p)
        if list_item and cd.change == "absolute" and cands[idx - 1].change not in (None, "absolute"):
            cd.change = cands[idx - 1].change  # 分别下降43.3%、36.1%和57.9%: every item falls
        elif cd.change == "absolute" and prev_any is not None and not prev_any.skip and q.unit is not None \
                and (prev_any.q.unit == q.unit or prev_any.q.unit_kind == q.unit_kind == "count") \
                and prev_any.change in ("new", "cumulative") \
                and _COMMA_ITEM.fullmatch(ct[max(prev_any.e, prev_any.comp_end or prev_any.e):cd.s]) \
                and not any(w in ct[prev_any.e:cd.s] for ws in p.change.values() for w in ws) \
                and not p.object_verbs_front_re.search(ct[prev_any.e:cd.s]):
            # 新建便捷超充站15座，充换电站2座，快充站64座: a comma list of "thing + count" of one unit after a change verb —
            # each item is new (or cumulative) too (dev 28 A, spec t28-05); counts in different classifiers are one list
            # (规划新建充电桩7000个，换电站120座，充电站70座 — dev 35 A, spec t35-06)
            cd.change = prev_any.change
        if pair and not cd.explicit and cands[idx - 1].explicit:
            cd.comp, cd.explicit, cd.comp_shared = cands[idx - 1].comp, True, True  # >40万千瓦/80万千瓦时
        pv = cands[idx - 1] if list_item else None
        if pv is not None and not cd.explicit and pv.explicit and (
                pv.comp_shared or (pv.comp_start is not None and pv.comp_start < pv.s)):
            cd.comp, cd.explicit, cd.comp_shared = pv.comp, True, True  # 分别达到80%和50%: the verb bounds every item
        elif pv is not None and cd.explicit and (not pv.explicit or cd.comp == "~") and cd.comp_end is not None and cd.comp_end > cd.e \
                and (cd.comp_start is None or cd.comp_start >= cd.s) \
                and p.list_joiner_re.fullmatch(ct[pv.e:cd.s].strip()) is not None:
            # 分别在7%、2%以下, 下降25%和20%以上: a bound after the list bounds every item (左右 over a verb before it too:
            # 分别提高至10%和24%左右)
            pv.comp, pv.explicit = cd.comp, True
        if cd.mode == "inherited" and idx > 0:  # 全市新增…确保达到120MW，力争达到180MW: the second is new, 全市, too
            if cd.change == "absolute":
                cd.change = cands[idx - 1].change
            cd.scope = cd.scope or cands[idx - 1].scope

        # ---- kind
        cd.kind = _kind(ct, sa, sb, lo_wide, cd, orient[cd.si], p, ctx)
        if (conditional or tier) and cd.kind == "target":
            cd.kind = "criterion"
        if free:
            cd.kind = "incentive"
            cd.metric = p.free_after_re.match(ct, ce).group(0)  # 10度免费电量: the allowance is what is granted
        elif q.unit is not None and q.unit_kind not in ("currency", "count") and p.free_supply_re.match(ct, ce):
            cd.kind = "incentive"  # 6斤/亩、…实行统一免费供应: a good the policy hands out free
        if cd.kind == "target" and not cd.explicit and p.rank_after_re.match(ct, ce) \
                and _orientation(ct[max(sa, ct.rfind("；", sa, cd.s) + 1):(ct.find("；", cd.e, sb) + 1 or sb)], ref, p,
                                 ctx.date_document) != "future":
            if section == "aims":
                cd.by_section = "aims"  # 二、主要目标 … 数字经济核心产业增加值占比10%，居全省第3位: a position to reach
            else:
                cd.kind = "context"  # 一级公路占比14.4%，居全省第10位: where things stand (not 到2025年…达到…，居全省第5位)
        if (cd.kind == "target" and q.unit_kind in p.class_bound_kinds and ct[cd.e:ce] in p.class_bound_words
                and not verb_adjacent and p.class_noun_re.match(ct, ce)):
            cd.kind = "criterion"  # 65蒸吨/小时以上燃煤锅炉: which boilers, not a level to reach
            if cd.mode == "post":
                cd.metric = p.class_noun_re.match(ct, ce).group(0)  # the class the threshold picks out
        if cd.kind in ("target", "achievement", "context") and ct[cd.e:ce] in p.class_bound_words \
                and re.match(r"[\u4e00-\u9fff]", ct[ce:ce + 1]) and not ct.startswith("的", ce) \
                and (not verb_adjacent or _state_verb_before(pre_for_verb, p)) \
                and idx + 1 < len(cands) and cands[idx + 1].sent == cd.sent \
                and _clause_end(ct, ce, sb) > cands[idx + 1].s and not p.list_joiner_re.search(ct[ce:cands[idx + 1].s]):
            # 建制村及20户以上自然村通硬化路率100%, 实现3000平方米以上公园绿地500米服务半径全覆盖: a bounded value written
            # straight before a noun whose phrase runs on to another quantity of its clause (no list word between, unlike
            # 3个以上平台、50款以上终端) picks out the class that quantity is about: a criterion (dev 8, dev 14)
            cd.kind = "criterion"
        if cd.kind == "target" and cd.explicit and cd.comp != "~" and q.unit_kind != "currency" \
                and (p.per_item_re.match(cd.metric or "") or (idx > 0 and cands[idx - 1].per_item and cands[idx - 1].sent == cd.sent
                                                              and (pair or _LIST_GAP.fullmatch(
                                                                  ct[max(cands[idx - 1].e, cands[idx - 1].comp_end or 0):cd.s])))):
            # 单个储能项目装机超过0.5MW/1MWh、光伏项目装机超过0.5MW: a bound each item must meet, not a total to reach
            cd.kind, cd.per_item = "criterion", True
        # (在10%的社区卫生服务站设置…, 加强15%的中医馆…建设: a bare share quantifying the class a task is done to,
        # with no measure before it, is how much of the class the plan reaches — a target)
        quantifier = (unit_kind == "percent" and not cd.explicit and cd.mode == "post" and ct.startswith("的", ce)
                      and not p.metric_head_re.search(pre_metric))  # (研发投入占比5%的企业: a measure's threshold)
        # (实现50%以上的码头具备…能力: a share an object verb governs is the share to reach, not a class's threshold)
        if attributive and cd.kind == "target" and not p.share_subject_re.match(ct, ce) and not quantifier \
                and not (unit_kind == "percent" and verb_adjacent) \
                and not (ct.startswith("的", ce) and post.endswith(p.attribute_measure_ends)) \
                and not (p.reach_noun_ends and post.endswith(p.reach_noun_ends)):  # 1小时交通圈: the circle's reach
            cd.kind = "criterion"  # 超100Gbit/s大容量平台设备: a threshold describing a class of things
            # (but 80%以上的面积达到…标准 is a share that must reach a level: a target)
        if cd.kind == "criterion" and cd.metric:
            cm = None
            for cm in p.cues["criterion"].finditer(cd.metric):
                pass
            if cm is not None and cm.end() < len(cd.metric):
                cd.metric = cd.metric[cm.end():]

    # 不超过220（330）千伏: the value in brackets is an alternative to the one before it, read the same way
    for a, b in zip(cands, cands[1:]):
        if a.sent == b.sent and ct[a.e:b.s] in ("（", "(") and a.q.unit == b.q.unit and re.search(r"[)）]", b.q.surface):
            b.skip = a.skip
            for f in ("comp", "explicit", "metric", "mode", "scope", "kind", "change", "level", "recurring"):
                setattr(b, f, getattr(a, f))
            b.comp_start, b.comp_end = b.s, b.e

    _respectively(cands, ct, p)

    # 实际投资2亿元或年纳税总额5000万元以上的…: the bound after the last threshold of an 或-list bounds the bare ones before it
    for a, b in zip(cands, cands[1:]):
        if (a.sent == b.sent and not a.skip and not b.skip and a.kind == b.kind == "criterion" and not a.explicit
                and b.explicit and b.comp_end is not None and b.comp_end > b.e and (b.comp_start is None or b.comp_start >= b.s)
                and "或" in ct[a.e:b.s] and not re.search(r"[，,；;。]", ct[a.e:b.s])):
            a.comp, a.explicit = b.comp, True

    # from … to …: 由2020年的45%提升至2025年的80%
    for i in range(len(cands) - 1):
        a, b = cands[i], cands[i + 1]
        if a.skip or b.skip or a.sent != b.sent:
            continue
        between = ct[a.e:b.s]
        before = ct[_clause_start(ct, a.s, a.sent[0]):a.s]
        if p.from_re.search(before) and p.to_level_re.match(between):
            ya = re.search(r"((?:19|20)\d{2})年(?:底|末)?的?$", before)
            if a.kind == "target":
                a.kind = "baseline"
            if b.kind in ("target",):
                b.baseline = {"value": a.q.value, "year": int(ya.group(1)) if ya else None}
            if not b.metric or b.metric == a.metric or p.only_level_verb_re.fullmatch(b.metric):
                b.metric = a.metric
                b.mode = a.mode
            if b.comp == "=" or b.comp is None:
                b.comp = ">="

    # the section as evidence for a figure with no cue of its own (none in its sentence or before it in the
    # paragraph: no date, no 力争/已 …; a cue only after it — 全市建成…120公里。力争达到300公里 — says nothing of it)
    for cd in cands:
        if section in _SECTION_KINDS and cd.kind == "target" and own_or_before[cd.si] is None and cd.level is None \
                and not p.cues["target_value"].search(ct[cd.sent[0]:cd.s]) \
                and (section != "rules" or (cd.explicit and cd.comp in (">=", "<=", ">", "<"))):
            # (a rule section's standard is a bound: 不宜小于100米; a bare count there — 规划新增17个 — is no standard)
            # 一、发展基础 … 新增供暖面积1000万平方米: where things stand; 存在的不足 … 一级公路占比14.4%: background
            cd.kind, cd.by_section = _SECTION_KINDS[section], section
        elif cd.kind == "achievement" and section in p.section_past_kinds:
            # 现状分析 / 概况 … 截至2024年末，全区载客汽车保有量为10.6万辆: where things stood, told as background
            cd.kind, cd.by_section = p.section_past_kinds[section], section

    out: list[Target] = []
    for cd in cands:
        if cd.skip:
            continue
        q = cd.q
        start, end = c.span(min(cd.comp_start, cd.s), max(cd.comp_end, cd.e))
        ss, se = c.span(*cd.sent)
        conf = 0.85 if cd.explicit else 0.7
        if cd.mode == "post":
            conf -= 0.05
        if not cd.metric:
            conf *= 0.6
        if cd.mode == "inherited":
            conf -= 0.1
        if q.method == "numbers.magnitude":
            conf -= 0.15
        if q.method == "numbers.chinese":
            conf -= 0.05
        if cd.kind != "target":
            conf -= 0.05
        out.append(Target(
            start=start, end=end, surface=text[start:end],
            method=(f"targets.{cd.mode}_metric" if cd.mode != "none" else "targets.no_metric")
            + (f"+{cd.by_section}_section" if cd.by_section else ""),
            confidence=round(max(0.05, min(conf, 0.99)), 2),
            metric=_own_place_removed(cd.metric, ctx, p), value=q.value, unit=q.unit, comparator=cd.comp, kind=cd.kind,
            level_of_ambition=cd.level, change=cd.change, scope=cd.scope, per=q.per,
            recurring=cd.recurring, sentence_start=ss, sentence_end=se, value_high=q.value_high,
            baseline=cd.baseline,
        ))
    return out


def _own_place_removed(metric: str | None, ctx: DocContext | None, p: _Patterns) -> str | None:
    """涪陵区出租车保有量 in a 涪陵区 plan → 出租车保有量: the document's own place before a measure names where it is
    taken (as 全区 does), not what is measured (dev 28 A, spec t28-04).  The full name and each tail of it (重庆市涪陵区,
    涪陵区) count; what is left must be a measure (three characters or more, ending in a metric head: 量, 率, 规模 …) —
    a thing named after the place (广州市家庭医生培训示范基地) keeps it.  The jurisdiction is split into its places by the
    divisions table (GB/T 2260, kg/divisions.py); one it does not know counts whole."""
    from ..divisions import place_chain

    jur = (ctx.jurisdiction if ctx else None) or ""
    if not metric or not jur or jur in ("全国", "中华人民共和国", "中国"):
        return metric
    units = [d.name for d in place_chain(jur)]
    if "".join(units) != jur:
        units = [jur]
    for k in range(len(units)):
        name = "".join(units[k:])
        if metric.startswith(name) and len(metric) - len(name) >= 3 and p.metric_head_re.search(metric):
            return metric[len(name):]
    return metric


def _examples_removed(metric: str, p: _Patterns) -> str:
    """工业、农业、医疗等领域设备投资规模 → 设备投资规模: the examples an enumeration word closes are not the metric
    (kept when nothing of two characters or more follows)."""
    em = None
    for em in p.enumeration_re.finditer(metric):
        pass
    if em is None or em.start() == 0 or len(metric) - em.end() < 2:
        return metric
    if em.group("field") and p.metric_head_re.fullmatch(metric[em.end():]):
        return metric[em.start("field"):]  # 学校、医院等建筑面积: the field noun and a bare head are one measure (建筑面积)
    return metric[em.end():]


def _front_verbs_removed(metric: str, p: _Patterns) -> str:
    """完成交通基础设施固定资产投资 → 交通基础设施固定资产投资, 主导或参与制定修订重点国家标准 → 重点国家标准,
    改造后制冷机房系统运行能效 → 制冷机房系统运行能效: the verbs a metric phrase opens with, cut at the words the
    shared segmenter finds (服务业增加值, 建成区绿化覆盖率 and 完成率 are not verb + noun); left whole when what
    would remain is no phrase of its own (改造面积, 完成率)."""
    if not metric or metric.startswith(p.front_keep) or not any(metric.startswith(v) for v in p.front_verbs):
        return metric
    from kg.extract.nlp import pipeline_segmenter

    words = pipeline_segmenter().lcut(metric)
    i, last_verb = 0, -1
    while i < len(words):
        w = words[i]
        if w in p.front_verbs:
            last_verb = i
        elif not (w in p.front_joiners and last_verb == i - 1 and i + 1 < len(words)
                  and (words[i + 1] in p.front_verbs or w in ("后", "了"))):
            break
        i += 1
    if i < len(words) and words[i] == "的":
        return metric  # 改造后的存量数据中心PUE: a relative clause that says which things are measured
    rest = "".join(words[i:])
    if last_verb < 0 or len(rest) < 2 or p.metric_head_re.fullmatch(rest) or p.only_level_verb_re.fullmatch(rest):
        return metric
    return rest


def _holder_removed(metric: str, p: _Patterns) -> str:
    """规模以上工业企业数字化研发设计工具普及率 → 数字化研发设计工具普及率, 零碳工业园区建成期的年综合能耗 → 年综合能耗:
    the measure, not whose it is.  普通干线公路二级及以上公路占比 → 二级及以上公路占比 (a grade starts the measure),
    每个社区奖励金额 → 奖励金额 (each one's amount, when no holder head says whose)."""
    if metric.startswith(p.scope_openers) and "的" in metric:
        rest = metric[metric.index("的") + 1:]  # 符合安装条件的工地扬尘在线监控安装率: the things the scope picks out
        if len(rest) >= 4 and rest.endswith(p.scope_share_heads):
            metric = rest
    gm = p.grade_in_metric_re.search(metric, 2)
    if gm is not None:
        rest = metric[gm.start():]
        if len(rest) >= 4 and p.metric_head_re.search(rest) and not p.metric_head_re.fullmatch(rest[gm.end() - gm.start():]):
            return rest
    em = p.each_holder_re.match(metric)
    if em is not None:  # 每座加氢站的加氢规模: each one's measure
        rest = metric[em.end():]
        if len(rest) >= 2 and (p.metric_head_re.search(rest) or rest.endswith(p.measure_ends)):
            return rest
    out = _holder_head_removed(metric, p)
    if out == metric and metric.startswith(p.per_prefixes) and metric.endswith(p.measure_ends):
        from kg.extract.nlp import pipeline_segmenter

        pre = next(w for w in p.per_prefixes if metric.startswith(w))
        rest = "".join(pipeline_segmenter().lcut(metric[len(pre):])[1:])
        if len(rest) >= 4 and rest.endswith(p.measure_ends):
            return rest
    return out


def _holder_head_removed(metric: str, p: _Patterns) -> str:
    hm = None
    for hm in p.holder_re.finditer(metric):
        pass
    if hm is None or hm.start() < 2:
        return metric
    rest = metric[hm.end():]
    if hm.group(0) == p.per_unit_word and rest.startswith(p.per_unit_denominators):
        # 规模以上工业单位增加值能耗: 单位 opens a per-unit measure, the words before it are whose measure it is
        return metric[hm.start():] if len(rest) >= 4 else metric
    if p.head_open_re.match(rest):
        return metric  # 绿色建筑面积占比: the head after the holder word makes one measure with it (建筑面积)
    if hm.group(0) == "的" and (p.list_joiner_re.search(metric[:hm.start()]) or not rest.endswith(p.measure_ends)):
        # 东区和西区的5G网络覆盖率分别达到…: the places a 分别 list distributes over; 屋顶安装太阳能光伏的面积比例: a
        # clause that says which share — after 的 only a measure (能耗, 金额 …) is cut from whose it is
        return metric
    if len(rest) >= 4 and (p.metric_head_re.search(rest) or rest.endswith(p.measure_ends)):
        return rest
    return metric


def _state_verb_before(pre: str, p: _Patterns) -> bool:
    """实现3000平方米以上公园绿地…全覆盖: the verb before the number takes a state, not the amount bounded."""
    vm = p.object_verbs_re.search(pre)
    return vm is not None and vm.group(0).startswith(p.state_verbs)


def _word_starts_at(text: str, i: int) -> bool:
    """Whether the segmenter starts a word at ``text[i]`` (签约服务费: not at 约)."""
    from kg.extract.nlp import pipeline_segmenter

    at = 0
    for w in pipeline_segmenter().lcut(text):
        if at >= i:
            return at == i
        at += len(w)
    return at == i


def _comparators_removed(s: str, p: _Patterns) -> str:
    """最高不超过贷款金额 → 贷款金额: the comparator words at the front of a phrase."""
    words = sorted(p.comp_before, key=len, reverse=True)
    while True:
        w = next((w for w in words if s.startswith(w) and len(s) > len(w)), None)
        if w is None:
            return s
        s = s[len(w):]


def _metric_list(phrase: str, p: _Patterns) -> list[str] | None:
    """The metrics a 分别 list names (客运量、客运周转量和货运量 → three), or None when the phrase is not such a
    list: every item must end in a metric head (A市和B市的覆盖率 is one metric of two places)."""
    s = _strip(phrase, p, [])
    parts, last = [], 0
    for jm in p.list_joiner_re.finditer(s):
        # 、 always parts items; 和/及/与 only after a metric head (普及率 holds 及, 数据和算力 is one thing)
        if jm.group(0) == "、" or p.metric_head_re.search(s[last:jm.start()]):
            parts.append(s[last:jm.start()])
            last = jm.end()
    parts = [x.strip("的 ") for x in [*parts, s[last:]]]
    if len(parts) < 2 or any(not x or len(x) > 20 or not p.metric_head_re.search(x) for x in parts):
        return None
    return parts


def _named_list(phrase: str, p: _Patterns, n: int) -> list[str] | None:
    """化学需氧量、氨氮、氮氧化物、挥发性有机物重点工程减排量分别达到…, 5G基站、千兆宽带用户分别达到3万个、50万户: items
    parted by 、 alone, as many as the values after 分别, none of them a place (黄浦区、静安区分别… names scopes) — each
    value goes with its item, named as written.  An item that is a modifier of the last one's head (城镇、农村污水处理率:
    城镇 as long as 农村, a word of the last item) takes that head (城镇污水处理率)."""
    from kg.divisions import place_at_start
    from kg.extract.nlp import pipeline_segmenter

    parts = [x.strip("的 ") for x in _strip(phrase, p, []).split("、")]
    if n < 2 or len(parts) != n or any(not 2 <= len(x) <= 20 or place_at_start(x) is not None for x in parts):
        return None
    last = parts[-1]
    if p.metric_head_re.search(last):
        bounds, k = set(), 0
        for w in pipeline_segmenter().cut(last):
            k += len(w)
            bounds.add(k)
        parts = [x + last[len(x):] if not p.metric_head_re.search(x) and len(x) in bounds and len(x) < len(last) - 1
                 else x for x in parts[:-1]] + [last]
    return parts


def _respectively(cands: list[_Cand], ct: str, p: _Patterns) -> None:
    """客运量、货运量分别完成3.05亿人、6.01亿吨，分别增长6.3%、8.1%: a run of values joined by list words after
    分别 takes the metrics listed before it, one each, in order; a later run of the same sentence with as many
    values and no list of its own takes the same list."""
    lists: dict[tuple[int, int], list[str]] = {}
    i = 0
    while i < len(cands):
        a = cands[i]
        j = i + 1
        if a.skip:
            i = j
            continue
        while (j < len(cands) and cands[j].sent == a.sent and not cands[j].skip
               and p.list_joiner_re.fullmatch(ct[max(cands[j - 1].e, cands[j - 1].comp_end or 0):cands[j].s])):
            j += 1
        group = cands[i:j]
        lw = _clause_start(ct, a.s, a.sent[0], list_sep=False)
        m = None
        for m in p.respectively_re.finditer(ct[lw:a.s]):
            pass
        if m is not None and len(group) >= 2:
            parts = _metric_list(ct[lw:lw + m.start()], p)
            if parts is not None:
                lists[a.sent] = parts
            else:
                parts = lists.get(a.sent) or _named_list(ct[lw:lw + m.start()], p, len(group))
            if parts is not None and len(parts) == len(group):
                for cd, metric in zip(group, parts):
                    cd.metric, cd.mode = _holder_removed(metric, p), "pre"
            elif parts is None and (places := _place_list(ct[lw:lw + m.start()], p, len(group))) is not None:
                for cd, place in zip(group, places[0]):
                    cd.scope, cd.metric, cd.mode = place, places[1], "pre"
        i = j


def _place_list(phrase: str, p: _Patterns, n: int) -> tuple[list[str], str | None] | None:
    """黄浦区、静安区分别新建3个、5个, 黄浦区、静安区的5G网络覆盖率分别达到…: places, as many as the values after 分别,
    each value's scope; the measure after the last place (5G网络覆盖率), if any, is every value's metric."""
    from kg.divisions import place_at_start

    items = _strip(phrase, p, []).split("、")
    if n < 2 or len(items) != n:
        return None
    places = []
    for k, x in enumerate(items):
        d = place_at_start(x)
        if d is None or not x.startswith(d.name) or (k < n - 1 and x != d.name):
            return None
        places.append(d.name)
    rest = items[-1][len(places[-1]):].lstrip("的")
    return places, (_strip(rest, p, []) or None) if rest else None


def _inner_verbs_removed(pre: str, metric: str, p: _Patterns, scope_list: list[str]) -> str:
    """A verb left inside a counted thing's phrase: 在重点园区部署标识解析节点 → 标识解析节点 (a locative
    phrase before the verb goes with it); 算力中心新增机架 → 算力中心机架 (a change word is dropped)."""
    vm = None
    for vm in p.object_verbs_inner_re.finditer(metric):
        pass
    if vm is not None and vm.start() > 0 and vm.end() < len(metric):
        rest = metric[vm.end():]
        clause = pre.lstrip("，,；;、")
        if clause.startswith(p.clause_prepositions) and not p.metric_head_re.fullmatch(rest) and len(rest) >= 2:
            return _strip(rest, p, scope_list)
    for w in sorted(p.change.get("new", []) + p.change.get("cumulative", []), key=len, reverse=True):
        i = metric.find(w)
        if 0 < i and i + len(w) < len(metric):
            return metric[:i] + metric[i + len(w):]
    return metric


def _heading_metric(before: str, p: _Patterns) -> str | None:
    """The metric named before the first value label of a sentence: 算力总规模（EFLOPS）：基期值12 → 算力总规模."""
    lm = p.cues["value_label"].search(before)
    head = before[: lm.start()] if lm else before
    head = _PAREN_RE.sub("", head).rstrip("：:，, ")
    head = re.split(r"[，,；;：:、]", head)[-1]
    return _strip(head, p, []) or None


def _per_removed(pre: str, q: Quantity, p: _Patterns) -> str:
    if q.per and q.per in pre:
        i = pre.index(q.per)
        rest = pre[i + len(q.per):]
        em = p.each_holder_re.match(q.per + rest)
        if em is not None and em.end() > len(q.per):
            rest = (q.per + rest)[em.end():]  # 每台机组的装机容量: the unit counted and 的 go with the denominator
        rest = re.sub(r"^(?:拥有|所有|平均|的)", "", rest)
        return pre[:i] + rest
    return pre


def _change(pre: str, pre_wide: str, ct: str, cd: _Cand, q: Quantity, p: _Patterns) -> str:
    ch = p.change
    if any(w in pre_wide for w in ch["cumulative"]):
        return "cumulative"
    # 新增5G基站2万个, 新增光伏装机容量120MW: a number of new things (a share or a rate cannot be new)
    if q.unit is not None and q.unit_kind not in ("percent", "percent_point", "rate", "ratio", "time"):
        for w in ch["new"]:
            if w in pre_wide:
                return "new"
    tail = pre[-4:]
    after = ct[cd.e:cd.e + 1]
    for w in ch["increase"]:
        if tail.endswith(w) and after != "至":
            return "increase"
    for w in ch.get("decrease", []):
        if tail.endswith(w):
            return "decrease"
    # 减少二氧化碳排放8933万吨: a decrease verb opening the phrase measures the amount cut (a share keeps its verb at the tail)
    if q.unit is not None and q.unit_kind not in ("percent", "percent_point", "rate", "ratio", "time") \
            and any((cd.metric or "").startswith(w) for w in ch.get("decrease", [])):
        return "decrease"
    return "absolute"


def _wider_area(sent_before: str, p: _Patterns, ctx: DocContext | None) -> bool:
    """True when the last area word before the number names a wider area than the document's own
    (全球 anywhere; 全国/我国 in a provincial or city text)."""
    last = None
    for m in p.wider_re.finditer(sent_before):
        if any(sent_before.endswith(w, 0, m.start()) for w in p.wider_not_after):
            continue  # 占全国比重, 居全球前列: relative to the wider area, not about it
        last = m
    if last is None or last.group("own"):
        return False
    if last.group("always"):
        return True
    jur = (ctx.jurisdiction if ctx else None) or ""
    return bool(jur) and jur not in ("全国", "中华人民共和国", "中国")


def _disjunct_definition(ct: str, pos: int, p: _Patterns) -> bool:
    """总高度超过4.5米，或者总宽度超过3.75米…的（车辆）, 入井人数超过30人、井深超过800米的金属非金属地下矿山: from ``pos`` to
    the first 的 of the clause, at least one 或 (or 、 before another threshold), and the 的 closes the phrase (a bracket
    or a comma after it) or opens a class of things; the last threshold of such a list (…，或者总质量超过100000千克的）)
    too.  Linear: one bounded scan, no backtracking."""
    seg = _TO_DE.match(ct, pos).group(0)
    k = pos + len(seg)
    if ct[k:k + 1] != "的":
        return False
    closes = (ct[k + 1:k + 2] in ("）", ")", "，", ",") or p.criterion_noun_re.match(ct, k) is not None
              or p.cues["criterion_grant_after"].search(ct[k:k + 8]) is not None)  # …以下的给予奖励: the grant's condition
    if not closes:
        return False
    if "或" in seg:
        return True
    if seg.startswith("、") and not re.search(r"[，,]", seg) and (p.comp_inner_re.search(seg) or p.comp_after_re.search(seg)):
        return True  # 入井人数超过30人、井深超过800米的…矿山: the next threshold of the same list
    return not seg and _DISJUNCT_BEFORE.search(ct, max(0, pos - 60), pos) is not None


# between two items of one list (累计建成5G基站12万个、5G-A基站3000个): a joiner and a short phrase, no clause break
# between two items "number + counted thing" of one list (10家…头部品牌、100个…应用场景): the first item's noun phrase, 、
# the next item of a comma list written "thing + count" (…15座，充换电站2座): a comma and a short noun phrase, no verb
_COMMA_ITEM = re.compile(r"[，,][\u4e00-\u9fffA-Za-z（）()]{1,12}")
_POST_LIST_GAP = re.compile(r"[^，,；;。：:！？、（）()\n\d]{1,16}、")
_LIST_GAP = re.compile(r"[^，,；;。：:！？\n]{0,3}(?:、|和|及|与|以及)[^，,；;。：:！？、\n]{0,15}")
_TO_DE = re.compile(r"[^。；;（）()的]{0,120}")
_DISJUNCT_BEFORE = re.compile(r"或(?:者)?[^。；;（）()的或]{1,40}$")  # …，或者总质量超过100000千克: the list's last item


_SECTION_KINDS = {"review": "achievement", "situation": "context", "rules": "criterion"}  # section → the kind of a figure with no cue


def section_kind(headings: tuple[str, ...], p: _Patterns | None = None, ref: int | None = None) -> str | None:
    """'review', 'aims', 'situation', 'rules' or None: what the section a text stands in says about its figures.
    ``headings`` are the clause's and its ancestors' headings (专栏 titles too), outermost first; the innermost one
    that names a review (发展基础, 主要成效 …), a situation (面临形势, 存在的不足 …), a five-year plan ended before
    ``ref`` (专栏1 “十三五”主要指标 in a plan from 2021) or an aim (主要目标, 主要指标 …) decides, in that order within
    one heading (目标完成情况 reports; 发展现状与形势 reviews; “十三五”末存在的不足 is a situation)."""
    p = p or patterns()
    for h in reversed(headings or ()):
        if p.status_section_re.search(h):
            return "review"
        if p.situation_section_re.search(h):
            return "situation"
        if p.rule_section_re.search(h):
            return "rules"
        if ref is not None and any((yrs := _fyp_years(m.group(0))) and yrs[1] < ref for m in p.fyp_re.finditer(h)):
            return "review"
        if p.aim_section_re.search(h):
            return "aims"
        if p.forecast_section_re is not None and p.forecast_section_re.search(h):
            return "forecast"
    return None


def _kind(ct: str, sa: int, sb: int, lo_wide: int, cd: _Cand, orient: str | None, p: _Patterns,
          ctx: DocContext | None = None) -> str:
    clause_before = ct[lo_wide:cd.s]
    sent_before = ct[sa:cd.s]
    # 按照每座加氢站的加氢规模1000kg/d来计算: what an estimate is computed from — an assumption, background
    if cd.q.unit_kind != "currency" and p.basis_re.search(clause_before) \
            and p.cues["calculation_after"].search(ct[cd.comp_end if cd.comp_end is not None else cd.e:sb]):
        return "context"
    # 平均增长率为2.3%，按此增长率计算，预计…: the basis of the estimate the next clause makes (a level to reach — 达到1万辆，
    # 按此测算… — stays a goal; nor do things to build, 新建充电站20座，按此计算…)
    if cd.q.unit_kind != "currency" and not cd.explicit and not p.object_verbs_inner_re.search(clause_before) \
            and p.cues["calculation_next"].match(ct[cd.comp_end if cd.comp_end is not None else cd.e:sb]):
        return "context"
    # money the policy grants (给予最高100万元奖励, 补贴500万元, 按投资额的10%给予补贴): an instrument, not a goal
    if cd.q.unit_kind in ("currency", "percent") and (p.cues["incentive"].search(clause_before)
                                         or p.cues["incentive"].match(ct, cd.comp_end if cd.comp_end is not None else cd.e)):
        return "incentive"
    if cd.q.unit_kind == "currency" and p.cues["incentive_label"].search(sent_before):
        return "incentive"  # 补贴标准：一等奖20万元，二等奖15万元: the sentence lists the grant's amounts
    if cd.q.unit_kind in ("currency", "percent") and p.cues["incentive_rate_basis"].search(clause_before) \
            and p.cues["incentive_rate_after"].search(ct[cd.comp_end if cd.comp_end is not None else cd.e:sb]):
        return "incentive"  # 按照不低于50%的比例，对…予以配套支持: the rate the grant that follows is paid at
    if cd.q.unit_kind == "currency" and p.cues["incentive"].search(ct[sa:sb]) \
            and not ct.startswith("的", cd.comp_end if cd.comp_end is not None else cd.e) and (  # (…5000万元的，…: a condition)
                (cd.comp in ("<=", "<") and cd.metric and (p.per_item_re.match(cd.metric) or cd.metric.startswith(p.per_prefixes)))
                or (not cd.metric and lo_wide > sa)
                or ct.startswith(p.breakdown_words, lo_wide)):
        # …给予支持，单个项目最高不超过500万元: the cap of the sentence's grant on each item; …给予补贴，最高不超过500万元
        # (每家不超过20万元): money with nothing else named in a later clause; …给予奖励，其中国家级50万元: its parts
        return "incentive"
    if cd.q.unit_kind == "percent" and (p.cues["incentive_basis"].search(clause_before) or cd.share_of) \
            and p.cues["incentive"].search(ct[sa:sb]):
        return "incentive"  # 按照贷款利率的50%，…给予贴息: the share of a base the grant is computed on
    if p.cues["criterion"].search(clause_before):
        return "criterion"
    if cd.explicit and cd.comp != "~" and p.cues["criterion_bracket"].search(sent_before):
        return "criterion"  # 符合条件的家庭（…人口5人及以上）: what makes the class qualify
    if cd.q.unit_kind == "age" and not p.cues["age_measure"].search(cd.metric or clause_before):
        return "criterion"  # 45周岁以下: who qualifies
    if cd.q.unit_kind == "time" and p.cues["criterion_span"].search(clause_before):
        return "criterion"  # 登记注册满6个月: how long one must have done it
    if cd.q.unit_kind == "count" and cd.comp == "<=" and p.cues["criterion_cap"].search(clause_before):
        return "criterion"  # 获支持企业数量最多不超过10个: a cap of the scheme
    # a threshold on a property followed by 的 + a class of things: PUE不高于1.25的项目 (a count too when it is a
    # property of the class — 作业人数30人以上的企业 — not the things to build: 建成50个以上的…)
    if ((cd.explicit or cd.q.value_high is not None)  # a range too: 年销量3000—5000辆的车型
            and (cd.q.unit_kind != "count" or p.metric_head_re.search(cd.metric or "")
                 or p.cues["group_size_unit"].search(cd.q.unit or "")) and cd.comp != "~"
            and p.criterion_noun_re.match(ct, cd.comp_end if cd.comp_end is not None else cd.e)):
        return "criterion"
    # 总高度超过4.5米，或者总宽度超过3.75米…的（车辆）: thresholds joined by 或者 that end in 的 define a class
    if cd.explicit and cd.comp != "~" and _disjunct_definition(ct, cd.comp_end if cd.comp_end is not None else cd.e, p):
        return "criterion"
    after = ct[cd.comp_end if cd.comp_end is not None else cd.e:_clause_end(ct, cd.e, sb)]
    if p.cues["criterion_step"].search(clause_before) and p.cues["incentive"].search(ct[sa:sb]):
        return "criterion"  # 每达1000万元，给予6万元奖励: the step a grant rewards
    if cd.q.unit_kind == "currency" and p.cues["criterion_grant_after"].search(after):
        return "criterion"  # 出资额在1亿元以上的给予奖励200万元: the condition of the grant
    if cd.explicit and cd.comp != "~" and p.cues["criterion_rule_after"].search(after) \
            and p.cues["incentive"].search(ct[sa:sb]):
        return "criterion"  # 招用3人以下的按每人2000元给予补贴: the condition a grant's rule applies under
    if cd.q.unit_kind in ("currency", "percent") and p.cues["incentive_after"].search(
            ct[cd.comp_end if cd.comp_end is not None else cd.e:sb]):
        return "incentive"  # 按每个桩不超过1000元的标准予以补助: the grant is named after the amount
    # 对新建数据中心PUE不高于1.25: a threshold imposed on each member of a class (对/对于/针对 …) — inside the 对-phrase
    # (its clause) only: a bound in the main clause after it (对新建充电设施，充电服务费不超过0.6元/千瓦时) says what the
    # rule sets for that class, a target
    if p.cues["criterion_class"].search(_LEADING_ENUMERATOR.sub("", ct[lo_wide:cd.s].lstrip())):
        if cd.explicit and cd.comp != "~":
            return "criterion"
        if not cd.explicit and _disjunct_definition(ct, cd.e, p):
            return "criterion"  # 对实际投资2亿元或年纳税总额5000万元以上的招商项目: the first of the 对-phrase's thresholds
        if not cd.explicit and cd.q.unit is not None and cd.q.unit_kind != "count" and p.criterion_noun_re.match(ct, cd.e):
            return "criterion"  # 对投资2亿元的项目: the 对-phrase picks out the things of that size
    if p.cues["context"].search(ct[sa:sb]) or p.cues["context_before"].search(sent_before):
        return "context"
    if cd.q.unit_kind == "area" and cd.metric and cd.change == "absolute" and p.cues["context_size"].search(cd.metric) \
            and not p.object_verbs_re.search(clause_before):
        return "context"  # 面积约8.5平方公里: the size of what the text describes
    if _wider_area(sent_before, p, ctx):
        return "context"
    if orient == "past":
        return "achievement"
    if p.cues["achievement"].search(clause_before) or p.cues["achievement_clause"].search(clause_before) \
            or p.cues["achievement_after"].search(after):
        return "achievement"
    if p.cues["target_value"].search(sent_before):
        return "target"  # 基期值8，目标值25: the nearer label wins
    if p.cues["baseline"].search(clause_before) or p.cues["baseline"].search(sent_before[-12:]):
        return "baseline"
    return "target"


# Indicator tables are read in kg/extract/targets_table.py; its two functions stay importable from here.
_TABLE_API = ("table_roles", "targets_from_table_row")


def __getattr__(name: str):
    if name in _TABLE_API:  # loaded on first use: targets_table imports this module
        from kg.extract import targets_table

        return getattr(targets_table, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["Target", "extract_targets", "targets_from_table_row", "table_roles", "patterns"]
