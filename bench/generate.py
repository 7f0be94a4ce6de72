"""Seeded generator of realistic policy documents for the benchmark.

    .venv/bin/python bench/generate.py OUT_DIR -n 1000 [--seed 7]

Writes ``n`` UTF-8 text files in the style of ``corpus/`` and ``../shared/corpus-external/``: a 发文机关
masthead, a 发文字号, a notice issuing a plan (``关于印发《…》的通知``), recipients, the signature and
date, then the plan: preamble citing the upper-level document by 《title》 and 文号, ``一、`` /
``（一）`` / ``1.`` hierarchies, goals with targets in Arabic and Chinese numerals and deadlines,
tasks with lead and co-operating agencies (relative names such as ``市数据局`` and full names at
national, provincial, city and district level), ``（责任单位：…）`` lists, 专栏 boxes, an indicator table
(tab-separated, like the seeds), and a colophon.

Documents come in *families* (one theme and period each): a State Council document, ministry
plans implementing it, provincial plans implementing a ministry plan, city plans implementing the
province's, and district plans implementing the city's — each cites its parent (《》 and 文号),
restates some of its parent's clauses for its own jurisdiction and scales its targets down, so
lineage, alignment and target links have real work to do.  Same ``seed`` and ``n`` → same files.
"""
from __future__ import annotations

import argparse
import random
from dataclasses import dataclass, field
from pathlib import Path

CN_DIGITS = "〇一二三四五六七八九"

THEMES = [
    ("物联网", "物联网新型基础设施", [("物联网终端连接数", "亿", 30.0), ("5G基站", "万个", 380.0),
     ("NB-IoT基站", "万个", 90.0), ("物联网产业规模", "万亿元", 3.0), ("行业物联网应用标杆", "个", 200.0)],
     ["感知终端", "物联网平台", "窄带物联网", "5G RedCap", "物联网芯片", "智能传感器", "车联网", "城市感知体系"]),
    ("算力", "算力基础设施", [("算力总规模", "EFLOPS", 300.0), ("智能算力占比", "%", 35.0),
     ("数据中心标准机架", "万架", 900.0), ("新建数据中心PUE", "", 1.25), ("算力枢纽节点", "个", 10.0)],
     ["智算中心", "算力调度平台", "绿色数据中心", "边缘计算节点", "存力设施", "算力网络", "液冷技术", "国产算力芯片"]),
    ("数据要素", "数据要素市场化配置", [("数据产业规模", "万亿元", 7.0), ("公共数据开放数据集", "个", 50000.0),
     ("高质量数据集", "个", 1000.0), ("数据交易场所交易额", "亿元", 2000.0), ("数据标注基地", "个", 7.0)],
     ["公共数据授权运营", "数据资产登记", "数据交易场所", "可信数据空间", "数据标注产业", "数据安全治理", "首席数据官制度", "数据基础设施"]),
    ("工业互联网", "工业互联网创新发展", [("工业互联网标识解析二级节点", "个", 350.0), ("重点工业设备上云率", "%", 60.0),
     ("5G工厂", "家", 10000.0), ("工业APP", "万个", 100.0), ("具有影响力的工业互联网平台", "个", 50.0)],
     ["工业互联网平台", "标识解析体系", "5G全连接工厂", "企业内网改造", "工业数据", "安全监测", "中小企业数字化转型", "灯塔工厂"]),
    ("智慧养老", "智慧健康养老产业", [("养老机构护理型床位占比", "%", 60.0), ("智慧养老服务平台", "个", 300.0),
     ("社区嵌入式养老服务设施", "个", 50000.0), ("适老化改造家庭", "万户", 200.0), ("老年助餐点", "个", 80000.0)],
     ["智慧健康养老产品", "社区嵌入式服务", "居家养老上门服务", "适老化改造", "长期护理保险", "老年助餐服务", "养老服务信息平台", "康复辅具"]),
    ("人工智能", "人工智能产业", [("人工智能核心产业规模", "亿元", 10000.0), ("智能算力", "EFLOPS", 100.0),
     ("人工智能典型应用场景", "个", 500.0), ("通用大模型", "个", 20.0), ("人工智能企业", "家", 5000.0)],
     ["通用大模型", "行业大模型", "智能体", "具身智能", "人工智能芯片", "开源社区", "高质量语料", "场景开放"]),
    ("低空经济", "低空经济高质量发展", [("低空飞行服务站", "个", 500.0), ("无人机起降点", "个", 20000.0),
     ("低空经济规模", "亿元", 15000.0), ("低空航线", "条", 3000.0), ("通用机场", "个", 500.0)],
     ["低空飞行服务", "无人机物流", "低空智联网", "通用航空", "空域管理", "起降设施", "低空应用场景", "适航审定"]),
    ("绿色低碳", "工业领域碳达峰", [("规模以上工业单位增加值能耗下降", "%", 13.5), ("绿色工厂", "家", 10000.0),
     ("绿色工业园区", "个", 500.0), ("工业固体废物综合利用率", "%", 57.0), ("再生资源回收利用量", "亿吨", 4.5)],
     ["绿色制造体系", "节能降碳改造", "清洁能源替代", "绿色工厂", "资源循环利用", "碳足迹管理", "绿色低碳技术", "能效标杆"]),
]
VERBS = ["加快", "推进", "推动", "深化", "完善", "强化", "统筹", "优化", "健全", "实施"]
GOALS = ["提升供给能力", "夯实发展基础", "增强创新能力", "形成示范效应", "提高服务水平", "保障安全可靠",
         "促进融合应用", "释放发展潜力", "降低企业成本", "扩大有效投资"]
ACTIONS = ["开展试点示范", "建设公共服务平台", "制定技术标准", "遴选典型案例", "组织供需对接", "完善统计监测",
           "加大资金支持", "培育龙头企业", "建设创新中心", "开展评估督导", "推广解决方案", "优化审批流程"]
SECTIONS = ["夯实基础设施", "提升创新能力", "深化融合应用", "培育产业生态", "强化安全保障", "优化发展环境"]
SUPPORT = ["加强组织领导", "加大政策支持", "做好监测评估", "加强宣传推广", "强化人才保障"]
NATIONAL_BODIES = [("工业和信息化部", "工信部", "工信部通信"), ("国家发展和改革委员会", "国家发展改革委", "发改高技"),
                   ("国家数据局", "国家数据局", "国数发"), ("科学技术部", "科技部", "国科发"),
                   ("民政部", "民政部", "民发"), ("生态环境部", "生态环境部", "环综合")]
NATIONAL_CO = ["财政部", "商务部", "国家市场监督管理总局", "国家标准化管理委员会", "中国人民银行", "国家统计局"]
# province → (its cities, and for each city its districts); 上海市/北京市 are municipalities
GEO = {
    "浙江省": ("浙", {"杭州市": ("杭", ["西湖区"]), "宁波市": ("甬", [])}),
    "广东省": ("粤", {"深圳市": ("深", ["南山区", "福田区"]), "广州市": ("穗", [])}),
    "江苏省": ("苏", {"南京市": ("宁", []), "苏州市": ("苏", [])}),
    "四川省": ("川", {"成都市": ("成", [])}),
    "湖北省": ("鄂", {"武汉市": ("武", [])}),
    "山东省": ("鲁", {"青岛市": ("青", [])}),
    "福建省": ("闽", {"厦门市": ("厦", [])}),
    "上海市": ("沪", {}),
    "北京市": ("京", {}),
}
MUNICIPAL_DISTRICTS = {"上海市": ["黄浦区", "徐汇区", "杨浦区", "浦东新区", "闵行区", "金山区", "青浦区"], "北京市": ["海淀区"]}
# relative bodies usable at each level (kg/ontology templates), with the prefix the level uses
LOCAL_BODIES = {
    "provincial": ["经济和信息化厅", "发展和改革委员会", "数据局", "科学技术厅", "财政厅", "商务厅", "市场监督管理局", "统计局", "通信管理局"],
    "municipality": ["经济和信息化委员会", "发展和改革委员会", "数据局", "科学技术委员会", "财政局", "商务委员会", "市场监督管理局", "统计局", "通信管理局"],
    "prefectural": ["经济和信息化局", "发展和改革委员会", "数据局", "科学技术局", "财政局", "商务局", "市场监督管理局", "统计局"],
    "county": ["发展和改革委员会", "数据局", "科学技术局", "财政局", "商务局", "市场监督管理局", "统计局"],
}
CLASSES = {"national": "各地区、各有关部门", "provincial": "各市、县（市、区）人民政府", "municipality": "各区人民政府",
           "prefectural": "各区、县（市）人民政府", "county": "各街道办事处、各镇人民政府"}


@dataclass
class Doc:
    name: str
    level: str  # national-sc | national | provincial | prefectural | county
    place: str  # 全国 or the place name
    issuer: str
    number: str
    title: str  # the plan's title
    year: int
    period: tuple[int, int]
    parent: "Doc | None"
    targets: list[tuple[str, str, float]] = field(default_factory=list)
    tasks: list[tuple[int, str]] = field(default_factory=list)
    text: str = ""


def cn_num(n: int) -> str:
    """Chinese numerals for small counts (十二, 三十五, 一百二十)."""
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return CN_DIGITS[n // 10] + "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else ("零" + CN_DIGITS[rest] if rest < 10 else cn_num(rest) if rest >= 20 else "一" + cn_num(rest))
        return CN_DIGITS[n // 100] + "百" + tail
    return str(n)


def cn_year(y: int) -> str:
    return "".join(CN_DIGITS[int(c)] for c in str(y))


def cn_date(y: int, m: int, d: int) -> str:
    return f"{cn_year(y)}年{cn_num(m)}月{cn_num(d)}日"


def fmt_value(v: float, unit: str = "") -> str:
    if unit in ("个", "家", "条") and v >= 1:
        return str(int(round(v)))
    if v >= 100:
        return str(int(round(v)))
    if v >= 10:
        return f"{v:.0f}" if abs(v - round(v)) < 0.05 else f"{v:.1f}"
    return f"{v:.2f}".rstrip("0").rstrip(".")


class Generator:
    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.seq: dict[str, int] = {}

    def number(self, prefix: str, year: int) -> str:
        key = f"{prefix}{year}"
        self.seq[key] = self.seq.get(key, self.rng.randint(1, 20)) + self.rng.randint(1, 7)
        return f"{prefix}〔{year}〕{self.seq[key]}号"

    # ---------------------------------------------------------------- sentences
    def scope(self, d: Doc) -> str:
        return {"national-sc": "全国", "national": "全国", "provincial": "全省" if d.place.endswith("省") else "全市",
                "prefectural": "全市", "county": "全区"}[d.level]

    def kind(self, d: Doc) -> str:
        if d.level == "provincial" and d.place.endswith("市"):
            return "municipality"
        return {"national-sc": "national"}.get(d.level, d.level)

    def prefix(self, d: Doc) -> str:
        return {"provincial": "省" if d.place.endswith("省") else "市", "prefectural": "市", "county": "区"}.get(d.level, "")

    def bodies(self, d: Doc, k: int) -> list[str]:
        kind = self.kind(d)
        if kind == "national":
            pool = [b[0] for b in NATIONAL_BODIES] + NATIONAL_CO
        else:
            pre = self.prefix(d)
            # relative names (市数据局) mostly, full names (杭州市数据局) sometimes
            pool = [(pre if self.rng.random() < 0.8 else d.place) + b for b in LOCAL_BODIES[kind]]
        return self.rng.sample(pool, k)

    def task(self, d: Doc, objs: list[str]) -> tuple[int, str]:
        """A task: (sentence form, the task itself); :meth:`render` names the bodies."""
        r = self.rng
        o1, o2 = r.sample(objs, 2)
        body = f"{r.choice(VERBS)}{o1}建设，{r.choice(ACTIONS)}，{r.choice(VERBS)}{o2}发展，{r.choice(GOALS)}"
        if r.random() < 0.3:
            body += f"，{self.scope(d)}{r.choice(objs)}覆盖率达到{r.randint(60, 98)}%"
        return r.randrange(6), body

    def render(self, d: Doc, form: int, body: str) -> str:
        r = self.rng
        if form == 0:
            lead, *co = self.bodies(d, 3)
            return f"{lead}牵头，会同{'、'.join(co)}{body}。"
        if form == 1:
            return f"{body}。（责任单位：{'、'.join(self.bodies(d, 3))}）"
        if form == 2:
            return f"{CLASSES[self.kind(d)]}要{body}。"
        if form == 3:
            return f"支持基础电信企业和行业龙头企业{body}。"
        if form == 4:
            return f"{r.randint(d.period[0], d.period[1])}年底前，{body}。"
        return f"{body}，形成一批可复制可推广的经验。"

    def task_sentence(self, d: Doc, objs: list[str]) -> str:
        return self.render(d, *self.task(d, objs))

    def localise(self, task: tuple[int, str], parent: Doc, d: Doc) -> tuple[int, str]:
        """A parent's task restated for the child's jurisdiction (its scope; its own bodies named)."""
        form, body = task
        return form, body.replace(self.scope(parent), self.scope(d))

    # ---------------------------------------------------------------- documents
    def plan(self, d: Doc, theme, objs: list[str]) -> str:
        r = self.rng
        scope = self.scope(d)
        lines = []
        a, b = d.period
        if d.parent is not None:
            p = d.parent
            lines.append(f"为深入贯彻落实《{p.title}》（{p.number}）部署，{r.choice(GOALS)}，结合{d.place if d.place != '全国' else '我国'}实际，制定本方案。")
        else:
            lines.append(f"为深入贯彻党中央、国务院决策部署，{r.choice(GOALS)}，加快{theme[1]}建设，制定本规划。")
        base = "，".join(f"{r.choice(objs)}{r.choice(['加快发展', '持续完善', '初具规模', '不断深化'])}" for _ in range(3))
        lines += ["", "一、总体要求", "", "（一）发展基础", "",
                  f"近年来，{scope}{theme[0]}发展取得积极成效，{base}。{self.task_sentence(d, objs)}"
                  f"同时，{r.choice(objs)}等方面仍存在短板，{r.choice(objs)}支撑能力有待提升。", "", "（二）指导思想", "",
                  f"坚持需求牵引、创新驱动、统筹推进，以{r.choice(objs)}为重点，{r.choice(VERBS)}{r.choice(objs)}布局，{r.choice(GOALS)}。",
                  "", "（三）主要目标", ""]
        goal = [f"到{b}年，{scope}{theme[0]}发展水平显著提升"]
        for metric, unit, value in d.targets:
            if unit == "个" and value < 100 and r.random() < 0.5:
                goal.append(f"建成{metric}{cn_num(int(round(value)))}个以上")
            elif unit == "%":
                goal.append(f"{metric}达到{fmt_value(value)}%")
            elif unit == "":
                goal.append(f"{metric}降至{fmt_value(value)}以下")
            else:
                goal.append(f"{metric}{r.choice(['达到', '突破', '超过'])}{fmt_value(value, unit)}{unit}")
        lines.append("，".join(goal) + "。" + f"到{b + 3}年，{theme[0]}{r.choice(GOALS)}，形成完善的发展体系。")
        tasks = []
        inherited = list(d.parent.tasks) if d.parent else []
        r.shuffle(inherited)
        inherited = inherited[: max(2, len(inherited) * 2 // 3)]
        sec_names = r.sample(SECTIONS, r.randint(4, 6))
        box = 0
        n_item = 0
        for si, sec in enumerate(sec_names):
            lines += ["", f"{cn_num(si + 2)}、{sec}", ""]
            for k in range(r.randint(3, 4)):
                obj = r.choice(objs)
                lines += [f"（{cn_num(k + 1)}）{r.choice(VERBS)}{obj}", ""]
                for _ in range(r.randint(1, 3)):
                    n_item += 1
                    if inherited and r.random() < 0.5:
                        t = self.localise(inherited.pop(), d.parent, d)  # type: ignore[arg-type]
                    else:
                        t = self.task(d, objs)
                    tasks.append(t)
                    lines.append(f"{n_item}.{obj}{r.choice(['建设', '应用', '推广', '提升'])}。{self.render(d, *t)}"
                                 f"{r.choice(ACTIONS)}，{r.choice(VERBS)}{r.choice(objs)}与{r.choice(objs)}协同，{r.choice(GOALS)}。")
                if r.random() < 0.25:
                    box += 1
                    lines += ["", f"专栏{box}：{obj}{r.choice(['建设指引', '重点工程', '应用场景'])}",
                              f"<p>{r.choice(VERBS)}{obj}。{self.task_sentence(d, objs)}</p> <p>{r.choice(ACTIONS)}。{self.task_sentence(d, objs)}</p>", ""]
        n = len(sec_names) + 2
        lines += ["", f"{cn_num(n)}、保障措施", ""]
        for k, s in enumerate(r.sample(SUPPORT, 3)):
            lines.append(f"（{cn_num(k + 1)}）{s}。{self.task_sentence(d, objs)}")
        # indicator table, tab-separated as in the seeds
        lines += ["", "附件", "", "主要指标表", "", f"序号\t指标名称\t单位\t{a - 1}年\t{b}年"]
        for i, (metric, unit, value) in enumerate(d.targets, 1):
            base = value * r.uniform(0.4, 0.8)
            sign = "≤" if unit == "" else "≥"
            lines.append(f"{i}\t{metric}\t{unit or '-'}\t{fmt_value(base, unit)}\t{sign}{fmt_value(value, unit)}")
        d.tasks = tasks
        return "\n".join(lines)

    def document(self, d: Doc, theme, objs: list[str]) -> str:
        r = self.rng
        y, m, day = d.year, r.randint(1, 12), r.randint(1, 28)
        recipients = {"national-sc": "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
                      "national": "各省、自治区、直辖市及计划单列市、新疆生产建设兵团有关主管部门：",
                      "provincial": f"{CLASSES[self.kind(d)]}，省级有关单位：" if d.place.endswith("省") else "各区人民政府，市政府各委、办、局：",
                      "prefectural": f"{CLASSES['prefectural']}，市政府各部门、各直属单位：",
                      "county": "各街道办事处、各镇人民政府，区政府各部门："}[d.level]
        plan = self.plan(d, theme, objs)
        head = [f"{d.issuer}文件", "", d.number, "", f"{d.issuer}关于印发《{d.title}》的通知", "", recipients, "",
                f"现将《{d.title}》印发给你们，请结合实际认真贯彻落实。", "", d.issuer, cn_date(y, m, day), "",
                f"（此件公开发布）", "", d.title, ""]
        tail = ["", f"抄送：{d.parent.issuer if d.parent else '中共中央办公厅'}。", "",
                f"{d.issuer if d.issuer.endswith(('办公厅', '办公室')) else d.issuer + '办公室'}            {y}年{m}月{day}日印发"]
        return "\n".join(head) + plan + "\n" + "\n".join(tail) + "\n"

    def family(self, fam: int, budget: int) -> list[Doc]:
        r = self.rng
        theme = THEMES[fam % len(THEMES)]
        objs = theme[3]
        start = 2021 + (fam // len(THEMES)) % 6
        period = (start, start + 2 + r.randint(0, 2))
        qual = "" if fam < len(THEMES) else f"（第{cn_num(fam // len(THEMES) + 1)}批）"
        docs: list[Doc] = []

        def add(level, place, issuer, number, title, parent, scale):
            if len(docs) >= budget:
                return None
            targets = [(mt, u, v if u in ("%", "") else max(v * scale * r.uniform(0.8, 1.2), 1.0 if u in ("个", "家", "条") else 0.01))
                       for mt, u, v in r.sample(theme[2], r.randint(3, 5))]
            d = Doc(f"{len(docs)}", level, place, issuer, number, title, period[0] + (0 if parent is None else r.randint(0, 1)),
                    period, parent, targets)
            docs.append(d)
            return d

        sc_issuer = r.choice(["国务院", "国务院办公厅"])
        sc = add("national-sc", "全国", sc_issuer, self.number("国发" if sc_issuer == "国务院" else "国办发", period[0]),
                 f"{theme[1]}发展规划（{period[0]}—{period[1]}年）{qual}", None, 1.0)
        for body, short, pre in r.sample(NATIONAL_BODIES, 2):
            mini = add("national", "全国", body, self.number(pre, period[0]),
                       f"{theme[0]}{r.choice(['行动计划', '实施方案', '专项行动方案'])}（{period[0]}—{period[1]}年）{qual}", sc, 1.0)
            if mini is None:
                break
            for prov in r.sample(list(GEO), 2):
                abbr, cities = GEO[prov]
                gov = prov + ("人民政府办公厅" if r.random() < 0.5 else "经济和信息化厅" if prov.endswith("省") else "经济和信息化委员会")
                pd = add("provincial", prov, gov, self.number(f"{abbr}政办发" if "办公厅" in gov else f"{abbr}经信", period[0]),
                         f"{prov}{theme[0]}{r.choice(['实施方案', '行动计划'])}（{period[0]}—{period[1]}年）{qual}", mini, 0.06)
                if pd is None:
                    break
                kids = [(c, a, ds) for c, (a, ds) in cities.items()]
                if prov in MUNICIPAL_DISTRICTS:  # municipality: its districts implement it directly
                    for dist in r.sample(MUNICIPAL_DISTRICTS[prov], min(2, len(MUNICIPAL_DISTRICTS[prov]))):
                        add("county", dist, dist + "人民政府办公室", self.number(f"{dist[:2]}府办发", period[0] + 1),
                            f"{dist}{theme[0]}三年行动方案{qual}", pd, 0.01)
                for city, cab, dists in r.sample(kids, min(1, len(kids))):
                    cd = add("prefectural", city, city + r.choice(["人民政府办公室", "经济和信息化局", "数据局"]),
                             self.number(f"{cab}政办发", period[0] + 1), f"{city}{theme[0]}行动方案{qual}", pd, 0.01)
                    if cd is None:
                        break
                    for dist in dists[:1]:
                        add("county", dist, dist + "人民政府办公室", self.number(f"{dist[:2]}政办", period[0] + 1),
                            f"{dist}{theme[0]}实施意见{qual}", cd, 0.002)
        for d in docs:
            d.text = self.document(d, theme, objs)
        return docs


_LEVEL_TAG = {"national-sc": "guowuyuan", "national": "buwei", "provincial": "sheng", "prefectural": "shi", "county": "qu"}


def generate(out: Path, n: int, seed: int = 7) -> list[Path]:
    """Write ``n`` documents into ``out``; returns their paths (sorted)."""
    out.mkdir(parents=True, exist_ok=True)
    g = Generator(seed)
    paths: list[Path] = []
    fam = 0
    while len(paths) < n:
        for d in g.family(fam, n - len(paths)):
            p = out / f"g{fam:04d}-{int(d.name):02d}-{_LEVEL_TAG[d.level]}-{d.year}.txt"
            p.write_text(d.text, encoding="utf-8")
            paths.append(p)
        fam += 1
    return sorted(paths)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("-n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    files = generate(a.out, a.n, a.seed)
    chars = sum(len(p.read_text(encoding="utf-8")) for p in files)
    print(f"{len(files)} documents, {chars:,} characters → {a.out}")


if __name__ == "__main__":
    main()
