"""``kg`` — the command line. Thin: parse arguments, call the pipeline or the query layer, print.

Every query command takes ``--json`` (the fields of ``contract.md``); human output is in Chinese.
Global options: ``--store PATH`` (or ``KG_STORE``) and ``--base-iri`` (or ``KG_BASE_IRI``).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from .config import Settings, default_corpus
from .errors import DocumentNotFound, KGError

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="政策知识图谱：把政策文件变成 RDF 知识图谱，并回答溯源问题。")


class _Console:
    """A rich ``Console`` made when first used: a command that prints JSON never imports rich's console and
    tables (40 ms of every query command's start-up)."""

    def __init__(self, **kwargs) -> None:
        self._kwargs, self._made = kwargs, None

    def real(self):
        if self._made is None:
            from rich.console import Console

            self._made = Console(**self._kwargs)
        return self._made

    def __getattr__(self, name: str):
        return getattr(self.real(), name)


def Table(*args, **kwargs):  # noqa: N802  (rich's Table, imported when a table is printed)
    from rich.table import Table as _Table

    return _Table(*args, **kwargs)


out = _Console(soft_wrap=True)
err = _Console(stderr=True, soft_wrap=True)

_state: dict = {}


@app.callback()
def _global(
    store: Optional[Path] = typer.Option(None, "--store", envvar="KG_STORE", help="存储目录（默认 ~/.local/share/policy-kg/store）"),
    base_iri: Optional[str] = typer.Option(None, "--base-iri", envvar="KG_BASE_IRI", help="生成 IRI 的基地址"),
) -> None:
    _state["store_named"] = store is not None  # --store or KG_STORE: the first-use build never touches it
    try:
        _state["settings"] = Settings.load(store, base_iri)
    except ValueError as e:
        err.print(f"[red]配置错误[/red] {e}")
        raise typer.Exit(2)


def _settings() -> Settings:
    return _state.get("settings") or Settings.load()


def _store():
    from .stores import open_store  # the embedded store, or a SPARQL server (KG_SPARQL_ENDPOINT)

    return open_store(_settings())


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _fail(e: KGError, code: int = 2) -> None:
    err.print(f"[red]错误[/red] {e}")
    if isinstance(e, DocumentNotFound) and e.candidates:
        err.print("候选：")
        for c in e.candidates:
            err.print(f"  • {c}")
    raise typer.Exit(code)


def _run_build(store, paths: list[Path], force: bool = False, quiet: bool = False,
               workers: Optional[int] = None, dask: Optional[str] = None):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .build import build
    from .lineage import update_derived

    with Progress(TextColumn("[bold]构建[/bold] {task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err.real(), transient=True, disable=quiet or not err.is_terminal) as prog:
        task = prog.add_task("", total=None)

        def on_file(n: int, total: int, f: Path) -> None:
            prog.update(task, total=total, completed=n - 1, description=f.name)

        stages: dict = {}

        def on_stage(done: int, total: int, stage: str) -> None:
            """The derived step's stages (links, candidate pairs, clause alignment, target links): on the bar in
            a terminal, else a line when a stage starts and every 10 % of it."""
            if quiet:
                return
            if err.is_terminal:
                prog.update(task, description=f"跨文件关联：{stage}", total=total or None, completed=done)
                return
            name = stage.split("：", 1)[0]  # (the pair being aligned is left out of a log)
            tenth = 10 * done // total if total else -1
            if stages.get(name) != tenth:
                stages[name] = tenth
                figure = f"（{done:,}/{total:,}）" if total else ""
                err.print(f"跨文件关联：{name}{figure}", markup=False, highlight=False)

        def derive(st) -> None:
            prog.update(task, description="跨文件关联：引用、条款对应、目标关联", total=None)
            update_derived(st, progress=on_stage)

        shown: dict = {}

        def on_progress(done: int, total: int, f: Path) -> None:
            """A big file reports its progress (characters through the extractors): on the bar in a terminal,
            else a line every 10 %."""
            pct = 100 * done // max(1, total)
            tail = "，抽取完成，正在写入存储…" if done >= total else ""
            if quiet:
                return
            if err.is_terminal:
                prog.update(task, description=f"{f.name}（{pct}%，{total:,} 字{tail}）")
            elif pct // 10 != shown.get(f, -1):
                shown[f] = pct // 10
                err.print(f"构建 {f.name}：{pct}%（{done:,}/{total:,} 字{tail}）", markup=False, highlight=False)

        results = build(store, paths, force=force, on_file=on_file, on_progress=on_progress, after_docs=derive,
                        workers=workers, dask_address=dask)
        prog.update(task, completed=len(results))
    return results


def _with_store(fn):
    """Open the store, apply the first-use rule (``_ensure_built``), run ``fn(store)``; errors end the command."""
    try:
        store = _store()
        _ensure_built(store)
        return store, fn(store)
    except KGError as e:
        _fail(e)


def _ensure_built(store) -> None:
    """First use (kg/firstuse.py): a query on the empty *default* store builds the bundled corpus, once;
    any other empty store (named with --store/KG_STORE, or one a build has started) is left alone and
    the user is told how to build."""
    if not store.is_empty():
        return
    from rich.markup import escape

    from .errors import StoreLocked
    from .firstuse import first_use_refusal, store_was_named

    why = first_use_refusal(store.path, named=_state.get("store_named", store_was_named()))
    if why:
        err.print(f"[yellow]注意[/yellow] {escape(why)}")
        return
    corpus = default_corpus()
    err.print(f"[yellow]默认存储为空，先构建示例语料 {corpus} …[/yellow]")
    try:
        results = _run_build(store, [corpus], quiet=True)
    except StoreLocked as e:  # a build started between the check and ours: leave the store to it
        err.print(f"[yellow]注意[/yellow] 未导入示例语料：{escape(e.reason)}")
        return
    for r in results:
        if r.status == "failed":
            err.print(f"[red]✗[/red] {escape(r.path)}: {escape(r.reason or '')}")


@app.command()
def build(
    paths: list[Path] = typer.Argument(None, help="文件或目录（默认 corpus/）"),
    force: bool = typer.Option(False, "--force", help="忽略缓存，全部重建"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
    max_size: Optional[float] = typer.Option(None, "--max-size", min=0.001,
                                             help="单个文件大小上限（MB，默认 10，或环境变量 KG_MAX_FILE_MB）；超过的文件拒绝导入"),
    workers: Optional[int] = typer.Option(None, "--workers", min=1,
                                          help="并行处理文件的进程数（默认：待处理文件多于 8 个时用全部 CPU 核，否则 1）；存储始终由本进程写入"),
    dask: Optional[str] = typer.Option(None, "--dask", metavar="ADDRESS",
                                       help="在 Dask 集群上处理文件（调度器地址，如 tcp://host:8786；各节点须安装同一版本的本项目）"),
) -> None:
    """导入文件或目录：逐个文件报告；未变化的跳过，变化的整体替换，目录中已删除的文件从图谱移除。"""
    if max_size is not None:
        import os

        os.environ["KG_MAX_FILE_MB"] = f"{max_size:g}"
    try:
        store = _store()
        targets = list(paths) if paths else [default_corpus()]
        results = _run_build(store, targets, force=force, quiet=as_json, workers=workers, dask=dask)
    except KGError as e:
        _fail(e)
        return
    if as_json:
        _print_json([r.__dict__ for r in results])
    else:
        icons = {"added": "[green]＋ 新增[/green]", "updated": "[green]↻ 更新[/green]", "unchanged": "[dim]＝ 未变[/dim]",
                 "failed": "[red]✗ 失败[/red]", "removed": "[yellow]－ 移除[/yellow]",
                 "duplicate": "[cyan]≡ 重复[/cyan]", "skipped": "[dim]－ 跳过[/dim]"}
        from rich.markup import escape  # file names and reasons are text, not markup ("[red]x.txt")

        for r in results:
            line = f"{icons.get(r.status, r.status)} {escape(Path(r.path).name)}"
            if r.doc_id and r.status in ("added", "updated"):
                line += f"  ({r.clauses} 个条款)"
            if r.reason:
                line += f"  — {escape(r.reason)}"
            out.print(line)
            for w in r.warnings:
                out.print(f"    [yellow]注意[/yellow] {escape(w)}")
        counts = {k: sum(1 for r in results if r.status == k)
                  for k in ("added", "updated", "unchanged", "duplicate", "removed", "failed", "skipped")}
        out.print(f"完成：新增 {counts['added']}，更新 {counts['updated']}，未变 {counts['unchanged']}，"
                  + (f"重复 {counts['duplicate']}，" if counts["duplicate"] else "")
                  + f"移除 {counts['removed']}，失败 {counts['failed']}"
                  + (f"，跳过 {counts['skipped']}" if counts["skipped"] else "")
                  + f"。存储：{escape(str(getattr(store, 'location', None) or _settings().store_path))}")
    if any(r.status == "failed" for r in results):
        raise typer.Exit(1)


@app.command()
def docs(as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """列出文件：文号、发文机关、日期、层级。"""
    from .query.docs import list_docs

    _, rows = _with_store(list_docs)
    if as_json:
        _print_json(rows)
        return
    t = Table(title=f"文件（{len(rows)}）", show_lines=False)
    for col in ("标识", "标题", "文号", "发文机关", "成文日期", "层级", "条款", "版本"):
        t.add_column(col, overflow="fold")
    for d in rows:
        ver = f"[dim]已被 {d['superseded_by']} 取代[/dim]" if d.get("superseded_by") else (
            f"现行（取代 {d['supersedes']}）" if d.get("supersedes") else "现行")
        if len(d.get("source_files") or []) > 1:
            ver += f"；重复副本 {'、'.join(d['source_files'][1:])}"
        t.add_row(d["id"], d["title"] or "", d["doc_number"] or "—", "、".join(d["issuers"]) or "—",
                  d["date_document"] or "—", f"{_LEVEL_ZH.get(d['level'], '—')} {d['jurisdiction'] or ''}",
                  str(d["clause_count"]), ver)
    out.print(t)


from .query.labels import CHANGE_ZH as _CHANGE_ZH, KIND_ZH as _KIND_ZH, LEVEL_ZH as _LEVEL_ZH, METHOD_ZH as _METHOD_ZH  # noqa: E402
from .query.labels import RELATION_ZH as _REL_ZH, REVIEW_ZH as _REVIEW_ZH, ROLE_ZH as _ROLE_ZH  # noqa: E402
from .query.labels import TARGET_RELATION_ZH as _TREL_ZH  # noqa: E402


@app.command()
def clauses(
    doc: str = typer.Argument(..., help="文号、标题或简称、IRI、标识或文件名"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """显示一个文件的条款树。"""
    from .query.clauses import clause_tree
    from .query.docs import find_doc

    _, d = _with_store(lambda store: find_doc(store, doc))
    _, tree = _with_store(lambda store: clause_tree(store, d["iri"]))
    if as_json:
        _print_json(tree)
        return
    from rich.tree import Tree

    root = Tree(f"[bold]{d['title']}[/bold]  {d['doc_number'] or ''}")

    def add(node, parent):
        head = node["heading"] or (node["text"][:40] + ("…" if len(node["text"]) > 40 else ""))
        if node.get("cells"):
            head = " | ".join(v for v in node["cells"].values())
        br = parent.add(f"[cyan]{node['clause']}[/cyan] {head}")
        for ch in node["children"]:
            add(ch, br)

    for n in tree:
        add(n, root)
    out.print(root)


@app.command()
def export(
    fmt: str = typer.Option("turtle", "--format", "-f", help="turtle | trig | jsonld | nt | nq | graphml"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="输出文件（默认标准输出）"),
) -> None:
    """导出 RDF：相同输入得到逐字节相同的输出。"""
    from .export import FORMATS, export as do_export

    if fmt not in FORMATS:
        _fail(KGError(f"未知格式 {fmt}；可选: {', '.join(FORMATS)}"))
    _, data = _with_store(lambda store: do_export(store, fmt))
    if output:
        output.write_text(data, encoding="utf-8")
        err.print(f"已写入 {output}（{len(data.encode('utf-8'))} 字节）")
    else:
        sys.stdout.write(data)


@app.command()
def validate(as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """用 SHACL（pySHACL）校验图谱。"""
    from .validate import validate_store

    _, rep = _with_store(validate_store)
    if as_json:
        _print_json({"conforms": rep.conforms, "triples": rep.triples, "violations": rep.violations})
    else:
        if rep.conforms:
            out.print(f"[green]✓ 符合 SHACL 约束[/green]（{rep.triples} 个三元组）")
        else:
            out.print(f"[red]✗ 不符合：{len(rep.violations)} 处[/red]")
            for v in rep.violations[:20]:
                out.print(f"  {v['severity']} {v['focus']} {v['path'] or ''} {v['message'] or ''}")
            if len(rep.violations) > 20:
                out.print(f"  …另有 {len(rep.violations) - 20} 处（--json 查看全部）")
    if not rep.conforms:
        raise typer.Exit(1)


@app.command()
def sparql(
    query: Optional[str] = typer.Argument(None, help="SPARQL 查询（只读）"),
    file: Optional[Path] = typer.Option(None, "--file", help="从文件读取查询（或预置查询的名称，见 kg queries）"),
    params: list[str] = typer.Option([], "--param", "-p", help="预置查询的参数 NAME=VALUE（可重复）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
    limit: Optional[int] = typer.Option(None, "--limit", help="最多返回行数"),
    timeout: Optional[float] = typer.Option(None, "--timeout", help="时间上限（秒）"),
) -> None:
    """运行只读 SPARQL（拒绝更新、LOAD 与 SERVICE；默认图为所有命名图的并集）。"""
    if file is not None:
        from .query import canned

        try:
            if file.is_file():
                query = file.read_text(encoding="utf-8")
                cq = canned.parse(query, file.stem, file) if params else None
            else:
                cq = canned.load(str(file))
                query = cq.text
            if params:
                if cq is None or not all("=" in p for p in params):
                    raise KGError("--param 的格式为 NAME=VALUE，且查询文件须声明 # param:")
                query = canned.render(cq, **dict(p.split("=", 1) for p in params))
        except OSError as e:
            _fail(KGError(f"无法读取查询文件: {e.strerror or e}", path=str(file)))
        except KGError as e:
            _fail(e)
    if not query:
        err.print("请给出查询或 --file")
        raise typer.Exit(2)
    s = _settings()
    _, res = _with_store(lambda st: st.user_query(query, limit=s.query_row_limit if limit is None else limit,
                                                  timeout_s=s.query_timeout_s if timeout is None else timeout))
    kind, vars_, rows, truncated = res.kind, res.variables, res.rows, res.truncated
    if as_json:
        _print_json({"kind": kind, "variables": vars_, "rows": rows, "truncated": truncated})
        return
    t = Table(show_lines=False)
    for v in vars_:
        t.add_column(v, overflow="fold")
    for r in rows:
        t.add_row(*["" if r[v] is None else str(r[v]) for v in vars_])
    out.print(t)
    out.print(f"{len(rows)} 行" + ("（已截断）" if truncated else ""))


def _facts_command(kind: str, doc: Optional[str], as_json: bool) -> None:
    from .query import facts as fq
    from .query.docs import find_doc

    _, rows = _with_store(lambda store: getattr(fq, kind)(store, find_doc(store, doc)["iri"] if doc else None))
    if as_json:
        _print_json(rows)
        return
    _print_fact_table(kind, rows)


_FACT_COLUMNS = {
    "targets": [("条款", "clause"), ("指标", "metric"), ("比较", "comparator"), ("数值", "value"), ("单位", "unit"),
                ("类型", "kind"), ("期限", "deadline"), ("来源", "deadline_source"), ("责任主体", "parties")],
    "deadlines": [("条款", "clause"), ("原文", "surface"), ("类型", "kind"), ("起", "start"), ("止", "end")],
    "parties": [("条款", "clause"), ("主体", "party"), ("类型", "party_type"), ("角色", "role"), ("方法", "method")],
    "refs": [("条款", "clause"), ("标题", "title"), ("文号", "doc_number"), ("关系", "relation"), ("提示词", "cue"),
             ("指向", "resolved_doc")],
}


def _print_fact_table(kind: str, rows: list[dict], title: str | None = None) -> None:
    cols = _FACT_COLUMNS[kind]
    t = Table(title=title or f"{len(rows)} 条", show_lines=False)
    multi_doc = len({r["doc"] for r in rows}) > 1
    if multi_doc:
        t.add_column("文件", overflow="fold", max_width=24)
    for name, _ in cols:
        t.add_column(name, overflow="fold")
    for r in rows:
        cells = []
        for _, key in cols:
            v = r.get(key)
            if kind == "targets" and key == "kind":
                v = _KIND_ZH.get(v, v)  # 目标, 基数, 奖补 … (the --json output keeps the codes)
            elif kind == "targets" and key == "metric" and (r.get("per") or r.get("change") in _CHANGE_ZH):
                # 5G基站（每万人）: a rate per head, not a count; 单位地区生产总值能源消耗（下降）: a fall of 14.5%, not a level
                v = f"{v or '—'}（{'，'.join(x for x in (r.get('per'), _CHANGE_ZH.get(r.get('change'))) if x)}）"
            elif kind == "parties" and key == "role":
                v = _ROLE_ZH.get(v, v)
            elif kind == "refs" and key == "relation":
                v = _REL_ZH.get(v, v)
            cells.append("、".join(v) if isinstance(v, list) else ("—" if v is None else str(v)))
        t.add_row(*(([r["doc"]] if multi_doc else []) + cells))
    out.print(t)


def _register_fact_command(kind: str, help_text: str) -> None:
    def command(doc: Optional[str] = typer.Option(None, "--doc", help="限定一个文件"),
                as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
        _facts_command(kind, doc, as_json)

    command.__doc__ = help_text
    app.command(kind)(command)


for _kind, _help in (
    ("targets", "量化目标：指标、数值、单位、比较符、期限、责任主体。"),
    ("deadlines", "时限：时间点、时间段、周期、相对时间。"),
    ("parties", "责任主体：牵头（lead）、配合（co）、被引导的主体（actor）、默认为发文机关（implied）。"),
    ("refs", "引用：《标题》、文号、专项行动；关系 applies / based_on / cites / self，及指向的文件。"),
):
    _register_fact_command(_kind, _help)


@app.command()
def extract(
    file: Optional[Path] = typer.Argument(None, help="文本文件（省略则从标准输入读取）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """抽取一段文本中的目标、时限、主体与引用，不写入存储。"""
    from .pipeline import process_file, process_text

    try:
        if file is not None:
            doc = process_file(file)
        else:
            data = sys.stdin.read()
            if not data.strip():
                err.print("标准输入为空：请粘贴文本，或给出文件路径")
                raise typer.Exit(2)
            doc = process_text(data)
    except KGError as e:
        _fail(e)
        return
    m = doc.meta
    result = {
        "doc": {"id": doc.doc_id, "title": m.title, "doc_number": m.doc_number, "issuers": m.issuers,
                "level": m.level, "jurisdiction": m.jurisdiction, "period": list(m.period) if m.period else None,
                "date_document": m.date_document.isoformat() if m.date_document else None,
                "clause_count": len(doc.all_clauses()), "warnings": doc.warnings},
        "targets": doc.facts["targets"], "deadlines": doc.facts["deadlines"],
        "parties": doc.facts["parties"], "refs": doc.facts["refs"],
    }
    if as_json:
        _print_json(result)
        return
    out.print(f"[bold]{m.title}[/bold]  {m.doc_number or ''}  {len(doc.all_clauses())} 个条款")
    for w in doc.warnings:
        out.print(f"[yellow]注意[/yellow] {w}")
    for kind, name in (("targets", "量化目标"), ("deadlines", "时限"), ("parties", "责任主体"), ("refs", "引用")):
        _print_fact_table(kind, result[kind], title=f"{name}（{len(result[kind])}）")


@app.command("eval")
def eval_cmd(
    gold: Optional[Path] = typer.Option(None, "--gold", help="金标准目录（默认：开发集 tests/gold 与留出集 tests/gold_heldout）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
    show_errors: bool = typer.Option(False, "--errors", help="列出漏检与误检"),
    lineage_eval: bool = typer.Option(True, "--lineage/--no-lineage", help="同时评测溯源：条款对应、目标关联、问答"),
    embeddings: bool = typer.Option(False, "--embeddings", help="溯源评测再用 KG_EMBEDDING_MODEL 的句向量跑一遍，对比是否有帮助"),
) -> None:
    """按事实类型打印精确率、召回率与 F1。开发集用于调规则；留出集由未看过规则的人标注，是诚实的数字。"""
    from .evaluate import GOLD_SETS, evaluate

    sets = {"custom": gold} if gold else GOLD_SETS
    results = {name: evaluate(path) for name, path in sets.items() if path.exists()}
    lin = _lineage_eval(embeddings) if lineage_eval and not gold else {}
    if as_json:
        data = {name: [s.as_dict() | ({"errors": s.errors} if show_errors else {}) for s in scores]
                for name, scores in results.items()}
        data["lineage"] = {run: [m.as_dict() | ({"errors": m.errors} if show_errors else {}) for m in ms.values()]
                           for run, ms in lin.items()}
        if not gold:
            data["metadata"] = {name: [s.as_dict() | ({"errors": s.errors} if show_errors else {}) for s in scores]
                                for name, scores in _meta_eval().items()}
            from .evaluate_numbers import evaluate as evaluate_numbers
            data["external_numbers"] = {k: r.as_dict() | ({} if show_errors else {"failures": len(r.failures)})
                                        for k, r in evaluate_numbers().items()}
        _print_json(data)
        return
    names = {"dev": "开发集（规则据此编写，偏乐观）", "heldout": "留出集一（盲标；首测后曾用于错误分析，已偏乐观）",
             "heldout2": "留出集二（盲标，未用于调规则：诚实的数字）",
             "dev3": "开发集三（真实文件的句子，可据此调规则）",
             "heldout3": "留出集三（真实文件的句子，盲标，未用于调规则：诚实的数字）",
             "dev4": "开发集四（真实规划类文件，可据此调规则）",
             "dev5": "开发集五（真实规划类文件，可据此调规则）",
             "dev6": "开发集六（真实任务分解表，可据此调规则）",
             "dev7": "开发集七（多省份真实规划类文件，可据此调规则）",
             "dev8": "开发集八（五省市县两级真实文件，可据此调规则）",
             "dev9": "开发集九（七省真实规划类文件，与留出集六同一来源，可据此调规则）",
             "dev14": "开发集十四（国家、省、区县三级真实规划类文件的目标，可据此调规则）",
             "dev15": "开发集十五（上海市、区、街道与江西的真实任务类文件，仅责任主体与引用，可据此调规则）",
             "dev16": "开发集十六（地市与区县真实文件的目标、补贴与条件，仅目标，可据此调规则）",
             "dev17": "开发集十七（广东、山东市县两级与河南省级的真实任务类文件，仅责任主体与引用，可据此调规则）",
             "dev19a": "开发集十九·甲半（国家、省、地市、区县四级真实文件的目标，仅目标，可据此调规则）",
             "dev19b": "开发集十九·乙半（与甲半同批盲标，未据此调规则：衡量规则能否迁移）",
             "dev21a": "开发集二十一·甲半（上海区级规划与补贴细则、广东与海南等真实文件的目标，仅目标，可据此调规则）",
             "dev21b": "开发集二十一·乙半（与甲半同批盲标，未据此调规则：衡量规则能否迁移）",
             "dev22a": "开发集二十二·甲半（上海市、区与临沂的真实任务类文件，仅责任主体，可据此调规则）",
             "dev22b": "开发集二十二·乙半（与甲半同批盲标，未据此调规则：衡量规则能否迁移）",
             "dev23a": "开发集二十三·甲半（国家、省、区县各级真实文件的引用，仅引用，可据此调规则）",
             "dev23b": "开发集二十三·乙半（与甲半同批盲标，未据此调规则：衡量规则能否迁移）",
             "dev25a": "开发集二十五·甲半（上海区级纲要与专项规划指标、市级专项资金办法、机器人行动方案、河津清洁取暖，仅目标，可据此调规则）",
             "dev25b": "开发集二十五·乙半（与甲半同批盲标，未据此调规则：衡量规则能否迁移）",
             "dev26a": "开发集二十六·甲半（菏泽、广东、荆门、吴江区、石景山区、大洼区、泾县的任务分工类文件开头，仅责任主体，可据此调规则）",
             "dev26b": "开发集二十六·乙半（安徽与浙江省级责任分解，与甲半同批盲标，未据此调规则：衡量规则能否迁移）",
             "dev27a": "开发集二十七·甲半（山西实施方案、河南决定（繁体）、汕头与新余转发通知、湖南人大规定、婺城与团中央印发通知、牟定预案与景东条例的引用，仅引用，可据此调规则）",
             "dev27b": "开发集二十七·乙半（与甲半同批盲标，未据此调规则：衡量规则能否迁移）",
             "dev28a": "开发集二十八·甲半（国务院碳达峰行动方案、电网与数据中心文件、重庆涪陵与南川综合能源站规划的目标，仅目标，可据此调规则）",
             "dev28b": "开发集二十八·乙半（与甲半同批盲标，未据此调规则：衡量规则能否迁移）",
             "heldout4": "留出集四（真实规划类文件，盲标，未用于调规则：诚实的数字）",
             "heldout5": "留出集五（多省份真实规划类文件，盲标，未用于调规则：诚实的数字）",
             "heldout6": "留出集六（七省市区县真实规划类文件，盲标，未用于调规则：诚实的数字）",
             "heldout8": "留出集八（国家、省、地市、区县、街道五级真实文件，盲标，未用于调规则：诚实的数字）",
             "heldout9": "留出集九（国家、省、区县三级真实规划类文件的目标及其期限，盲标，未用于调规则：诚实的数字）",
             "heldout11": "留出集十一（国家、省、地市、区县四级真实文件，目标、责任主体、引用与公文要素，盲标，未用于调规则：诚实的数字）",
             "dev30a": "开发集三十·甲半（山西细则（繁体）、武汉批转与沧州转发通知、国务院条例、沈阳与山东规章、延安印发通知的引用，仅引用，可据此调规则）",
             "dev30b": "开发集三十·乙半（与甲半同批盲标，未据此调规则：衡量规则能否迁移）",
             "dev35a": "开发集三十五·甲半（吉林充换电规划、朝阳与六安加油站规划、北京充换电奖励细则的目标及其期限，仅目标，可据此调规则）",
             "dev35b": "开发集三十五·乙半（与甲半同批盲标，未据此调规则：衡量规则能否迁移）",
             "dev32a": "开发集三十二·甲半（咸阳放管服要点（繁体）、菏泽管理办法、郧阳区任务分解通知的责任主体，仅责任主体，可据此调规则）",
             "dev32b": "开发集三十二·乙半（与甲半同批盲标，未据此调规则：衡量规则能否迁移）",
             "dev34a": "开发集三十四·甲半（海南、东莞、西青等碳达峰实施方案及印发通知、转载方案的新闻页、转发国办文件的通知的引用，仅引用，可据此调规则）",
             "dev34b": "开发集三十四·乙半（与甲半同批盲标，未据此调规则：衡量规则能否迁移）",
             "dev37a": "开发集三十七·甲半（威海节水、嘉兴秸秆、丽水传统村落、宁波再生资源、山东全民健身等地方性法规的职责条款，仅责任主体，可据此调规则）",
             "dev37b": "开发集三十七·乙半（与甲半同批盲标，未据此调规则：衡量规则能否迁移）",
             "dev36a": "开发集三十六·甲半（上海崇明农村公路、松江停车共享与清水行动等区级方案的目标及其期限，仅目标，可据此调规则）",
             "dev36b": "开发集三十六·乙半（与甲半同批盲标，未据此调规则：衡量规则能否迁移）",
             "custom": str(gold)}
    for name, scores in results.items():
        _score_table(f"抽取评测 — {names.get(name, name)}：{sets[name]}", ("类型", "用例"), name, scores, show_errors)
    meta_names = {"zhejiang-dev": "浙江外部标注·开发半（可据此调规则）",
                  "zhejiang-heldout": "浙江外部标注·留出半（未据此调规则：诚实的数字）",
                  "dev3": "开发集三：真实文件（可据此调规则）",
                  "heldout3": "留出集三：真实文件盲标（诚实的数字）",
                  "dev4": "开发集四：真实规划类文件（可据此调规则）",
                  "dev5": "开发集五：真实规划类文件（可据此调规则）",
                  "dev6": "开发集六：真实任务分解表（可据此调规则）",
                  "dev7": "开发集七：多省份真实规划类文件（可据此调规则）",
                  "dev8": "开发集八：五省市县两级真实文件（可据此调规则）",
                  "dev9": "开发集九：七省真实规划类文件（可据此调规则）",
                  "heldout4": "留出集四：真实规划类文件盲标（诚实的数字）",
                  "heldout5": "留出集五：多省份真实规划类文件盲标（诚实的数字）",
                  "heldout6": "留出集六：七省市区县真实规划类文件盲标（诚实的数字）",
                  "dev10": "开发集十：各级真实通知的公文要素（可据此调规则）",
                  "dev11": "开发集十一：各级真实通知的公文要素（可据此调规则）",
                  "dev12": "开发集十二：各级真实通知与批复的公文要素（可据此调规则）",
                  "dev13": "开发集十三：部委联合发文、门户页与繁体页的公文要素（可据此调规则）",
                  "dev18": "开发集十八：外省地级市与区县文件的公文要素（可据此调规则）",
                  "dev20": "开发集二十：未见过的版式（法规资料网、区县门户、转载与繁体页、人大通过的条例、国务院批复）的公文要素（可据此调规则）",
                  "dev24a": "开发集二十四·甲半：国家至街道五级真实文件（联合署名、汉字日期、门户字段表、人大决定与公告）的公文要素（可据此调规则）",
                  "dev24b": "开发集二十四·乙半：与甲半同批盲标的公文要素（未据此调规则：衡量规则能否迁移）",
                  "heldout7": "留出集七：各级真实通知的公文要素盲标（诚实的数字）",
                  "heldout8": "留出集八：国家、省、地市、区县、街道五级真实文件的公文要素盲标（诚实的数字）",
                  "heldout11": "留出集十一：国家、省、地市、区县四级真实文件的公文要素盲标（诚实的数字）",
                  "dev31a": "开发集三十一·甲半：采集站与门户字段行、带注音括号的繁体转抄、人大决议与公告、无标题或无落款的文件头（十二省地市与区县）的公文要素（可据此调规则）",
                  "dev31b": "开发集三十一·乙半：与甲半同批盲标的公文要素（未据此调规则：衡量规则能否迁移）",
                  "dev33a": "开发集三十三·甲半：分行与页面重复标题下的标题、无标题文件头、带括号与连写的主送、无主送文件（十三省）的公文要素（可据此调规则）",
                  "dev33b": "开发集三十三·乙半：与甲半同批盲标的公文要素（未据此调规则：衡量规则能否迁移）"}
    for name, scores in (_meta_eval() if not gold else {}).items():
        _score_table(f"公文要素评测 — {meta_names.get(name, name)}", ("字段", "文件"), name, scores, show_errors)
    run_names = {"dev": "开发集（种子语料，可据此调参）", "heldout": "留出集（盲标的新文件，未据此调参：诚实的数字）",
                 "dev+embeddings": "开发集 + 句向量", "heldout+embeddings": "留出集 + 句向量"}
    for run, ms in lin.items():
        t = Table(title=f"溯源评测 — {run_names.get(run, run)}")
        for col in ("指标", "命中", "总数", "数值"):
            t.add_column(col, justify="left" if col == "指标" else "right")
        for m in ms.values():
            t.add_row(m.name, str(m.hits), str(m.total), f"{m.value:.3f}")
        out.print(t)
        if show_errors:
            for m in ms.values():
                for e in m.errors:
                    out.print(f"[dim]{run}/{m.name}[/dim] {e}")
    if not gold:  # external: Microsoft Recognizers-Text's Chinese number specs (tests/data/external)
        from .evaluate_numbers import format_table as numbers_table
        out.print(numbers_table(failures=show_errors), markup=False, highlight=False)


def _score_table(title: str, first: tuple[str, str], name: str, scores: list, show_errors: bool) -> None:
    """One evaluation table (kind or field, cases, TP, FP, FN, P, R, F1), then its errors if asked."""
    t = Table(title=title)
    for col in (*first, "TP", "FP", "FN", "精确率 P", "召回率 R", "F1"):
        t.add_column(col, justify="left" if col == first[0] else "right")
    for sc in scores:
        t.add_row(sc.kind, str(sc.cases), str(sc.tp), str(sc.fp), str(sc.fn), f"{sc.precision:.3f}",
                  f"{sc.recall:.3f}", f"{sc.f1:.3f}")
    out.print(t)
    if show_errors:
        for sc in scores:
            for e in sc.errors:
                out.print(f"{name}/{sc.kind} {e}", markup=False, highlight=False, style="dim")


def _meta_eval() -> dict:
    from .evaluate_meta import META_SETS, evaluate_meta

    return {name: scores for name in META_SETS if (scores := evaluate_meta(name))}


def _lineage_eval(embeddings: bool) -> dict:
    from .evaluate_lineage import SETS as LSETS, evaluate_set

    runs: dict = {}
    with err.status("溯源评测：为每个集合构建临时存储…"):
        for name in LSETS:
            runs[name] = evaluate_set(name)
        if embeddings:
            from .align import Embedder

            emb = Embedder.from_settings(_settings().embedding_model)
            if emb is None:
                err.print("[yellow]未配置 KG_EMBEDDING_MODEL：跳过句向量对比[/yellow]")
            else:
                for name in LSETS:
                    runs[f"{name}+embeddings"] = evaluate_set(name, embedder=emb, questions=False)
    return runs


@app.command()
def lineage(
    doc: str = typer.Argument(..., help="文号、标题或简称、IRI、标识或文件名"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
    csv_out: Optional[Path] = typer.Option(None, "--csv", help="把条款对应表写入 CSV 文件"),
) -> None:
    """溯源：上位文件（直到国家级）、下位文件、条款对应、目标对比、未落实的条款。"""
    from .query.docs import find_doc
    from .query.lineage import chain_in_words, lineage as lineage_q

    _, d = _with_store(lambda store: find_doc(store, doc))
    _, res = _with_store(lambda store: lineage_q(store, d["iri"]))
    if csv_out is not None:
        from .query.tables import alignments_csv

        csv_out.write_text(alignments_csv(res["clause_alignments"]), encoding="utf-8-sig")
        err.print(f"已写入 {csv_out}（{len(res['clause_alignments'])} 行）")
    if as_json:
        _print_json(res)
        return
    _print_lineage(res, chain_in_words(res["doc"], res["upstream"]))




def _print_lineage(res: dict, chain: str) -> None:
    d = res["doc"]
    out.print(f"[bold]{d['title']}[/bold]  {d['doc_number'] or ''}  {_LEVEL_ZH.get(d['level'], '')} {d['jurisdiction'] or ''}")
    out.print(f"[bold]溯源链[/bold]\n{chain}")
    for name, items in (("上位文件", res["upstream"]), ("下位文件（落实本文件的）", res["downstream"])):
        t = Table(title=f"{name}（{len(items)}）")
        for col in ("文件", "文号", "层级", "关系", "方法", "置信度", "审核", "依据"):
            t.add_column(col, overflow="fold")
        for u in items:
            ev = u["evidence"][0] if u["evidence"] else None
            t.add_row(u["title"] or u["iri"], u["doc_number"] or "—",
                      _LEVEL_ZH.get(u["level"], "语料库外" if u["external_iri"] else "—"),
                      _REL_ZH.get(u["relation"], u["relation"]), _METHOD_ZH.get(u["method"], u["method"]),
                      f"{u['confidence']:.2f}", _REVIEW_ZH.get(u["review"], u["review"]),
                      f"{ev['clause']}：{ev['text'] or ''}"[:48] + "…" if ev else "—")
        out.print(t)
    al = [a for a in res["clause_alignments"] if a["rank"] == 1]
    t = Table(title=f"条款对应（每条取最佳，{len(al)}）")
    for col in ("本文件条款", "上位文件", "上位条款", "得分", "方法", "共同片段"):
        t.add_column(col, overflow="fold")
    for a in al:
        t.add_row(a["local_clause"], a["source_title"] or a["source_doc"], a["source_clause"], f"{a['score']:.2f}",
                  a["method"], (a["shared"] or "")[:40])
    out.print(t)
    if res["target_lineage"]:
        t = Table(title=f"目标对比（{len(res['target_lineage'])}）")
        for col in ("本文件指标", "数值", "对方文件", "对方指标", "数值", "关系", "比值", "冲突"):
            t.add_column(col, overflow="fold")
        for x in res["target_lineage"]:
            lo, so = x["local"], x["source"]
            t.add_row(lo["metric"], f"{lo['value']}{lo['unit'] or ''}", so["doc_title"] or so["doc"], so["metric"],
                      f"{so['value']}{so['unit'] or ''}", _TREL_ZH.get(x["relation"], x["relation"] or "—"),
                      f"{x['ratio']:.4g}" if x["ratio"] is not None else "—", x["conflict"] or "")
        out.print(t)
    for c in res["coverage"]:
        out.print(f"[bold]《{c['title']}》[/bold] 已落实 {len(c['taken_up'])} 条，未对应 {len(c['not_taken_up'])} 条"
                  f"（覆盖 {c['share']:.0%}）")
        if c["not_taken_up"]:
            out.print("  未对应：" + "；".join(f"{n['clause']} {n['heading'] or ''}".strip() for n in c["not_taken_up"]))




@app.command()
def compare(
    a: str = typer.Argument(..., help="文件 A"),
    b: str = typer.Argument(..., help="文件 B"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
    min_score: float = typer.Option(0.0, "--min-score", help="只显示得分不低于此值的对应"),
    csv_out: Optional[Path] = typer.Option(None, "--csv", help="把对照表写入 CSV 文件"),
) -> None:
    """条款对照：两个文件的对应条款并排，标出文字差异；以及各自没有对应的条款。"""
    from .query.compare import compare as compare_q
    from .query.docs import find_doc

    _, (da, db) = _with_store(lambda store: (find_doc(store, a), find_doc(store, b)))
    _, res = _with_store(lambda store: compare_q(store, da["iri"], db["iri"], min_score=min_score))
    if csv_out is not None:
        from .query.tables import compare_csv

        csv_out.write_text(compare_csv(res), encoding="utf-8-sig")
        err.print(f"已写入 {csv_out}（{len(res['pairs'])} 行）")
    if as_json:
        _print_json(res)
        return
    out.print(f"[bold]A[/bold] {res['a']['title']}    [bold]B[/bold] {res['b']['title']}")
    for p in res["pairs"]:
        out.print(f"\n[cyan]{p['a_clause']}[/cyan] ↔ [cyan]{p['b_clause']}[/cyan]  得分 {p['score']:.2f}")
        line = []
        for op, text in p["diff"]:
            text = text.replace("[", "\\[")
            line.append(text if op == "=" else (f"[red]{text}[/red]" if op == "-" else f"[green]{text}[/green]"))
        out.print("".join(line))
    out.print(f"\n[bold]仅 A 有[/bold]（{len(res['only_a'])}）：" + "；".join(c["clause"] for c in res["only_a"]))
    out.print(f"[bold]仅 B 有[/bold]（{len(res['only_b'])}）：" + "；".join(c["clause"] for c in res["only_b"]))


@app.command()
def review(
    link: Optional[str] = typer.Argument(None, help="关联或条款对应的 IRI（或末尾 16 位编号）"),
    confirm: bool = typer.Option(False, "--confirm", help="确认"),
    reject: bool = typer.Option(False, "--reject", help="否决"),
    clear: bool = typer.Option(False, "--clear", help="撤销审核"),
    note: Optional[str] = typer.Option(None, "--note", help="备注"),
    add: Optional[list[str]] = typer.Option(None, "--add", help="人工添加关联：--add 下位文件 --add 上位文件"),
    relation: str = typer.Option("applies", "--relation", help="人工关联的关系：applies / based_on / cites"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """人工审核：确认或否决一条关联/条款对应，或人工添加关联；审核结果在重建后保留。"""
    from .query.docs import find_doc
    from .review import add_link, clear_review, set_review

    if add:
        if len(add) != 2:
            err.print("--add 需要两次：--add 下位文件 --add 上位文件")
            raise typer.Exit(2)
        _, (lo, so) = _with_store(lambda st: (find_doc(st, add[0]), find_doc(st, add[1])))
        _, iri = _with_store(lambda st: add_link(st, lo["iri"], so["iri"], relation, note))
        result = {"iri": iri, "method": "human", "review": "confirmed", "from": lo["id"], "to": so["id"]}
    else:
        if not link or confirm + reject + clear != 1:
            err.print("请给出关联，并且只选 --confirm、--reject 或 --clear 之一")
            raise typer.Exit(2)
        if clear:
            _with_store(lambda st: clear_review(st, link))
            result = {"subject": link, "review": "unreviewed"}
        else:
            state = "confirmed" if confirm else "rejected"
            _, node = _with_store(lambda st: set_review(st, link, state, note))
            result = {"subject": link, "review": state, "review_iri": node}
    if as_json:
        _print_json(result)
    else:
        out.print(f"[green]已记录[/green] {result}")


@app.command()
def queries(as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """列出预置的 SPARQL 查询（kg/query/sparql/*.rq）；用 kg sparql --file NAME [-p 参数=值] 运行。"""
    from .query.canned import list_queries

    try:
        qs = [q.as_dict() for q in list_queries()]
    except KGError as e:
        _fail(e)
        return
    if as_json:
        _print_json(qs)
        return
    for q in qs:
        out.print(f"[bold cyan]{q['name']}[/bold cyan]  [bold]{q['title']}[/bold]")
        out.print(f"  {q['description']}")
        for p in q["params"]:
            out.print(f"  [dim]-p {p['name']}=…[/dim]  {p['description']}")
    out.print(f"[dim]运行：kg sparql --file NAME [-p NAME=VALUE]；文件在 {Path(qs[0]['file']).parent if qs else ''}[/dim]")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址（默认只在本机；其他地址须明确给出）"),
    port: int = typer.Option(7878, "--port", help="端口"),
    timeout: Optional[float] = typer.Option(None, "--timeout", help="每个查询的时间上限（秒，默认 KG_QUERY_TIMEOUT）"),
    poll: float = typer.Option(3.0, "--poll", help="检查存储变化的间隔（秒）"),
) -> None:
    """只读 SPARQL 1.1 协议端点（Oxigraph 服务器 + 只读检查）：服务存储的快照，存储变化后自动刷新。"""
    from .serve import LOOPBACK_HOSTS, serve as run_serve

    s = _settings()
    if host not in LOOPBACK_HOSTS:
        err.print(f"[yellow]注意[/yellow] 端点将对网络开放（{host}）：任何能访问该地址的人都能查询整个图谱")

    def ready(ep) -> None:
        iso = "查询引擎在独立的网络命名空间中（无法访问网络）" if ep.isolated else "查询引擎监听本机随机端口"
        err.print(f"SPARQL 端点：{ep.url}  （只读；{iso}；Ctrl+C 退出）")

    try:
        store = _store()
        if store.is_empty():
            err.print("[yellow]存储为空[/yellow]：请先运行 kg build PATH；端点会在存储变化后自动刷新")
        run_serve(store, host, port, timeout_s=s.query_timeout_s if timeout is None else timeout, poll_s=poll,
                  on_ready=ready)
    except KGError as e:
        _fail(e)


@app.command()
def ask(
    question: str = typer.Argument(..., help="用中文提问，如：物智沪联行动计划落实了哪些国家文件？"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """用中文提问：溯源、条款对应、目标、责任单位、时限、引用、发文机关、比较、指标变化。"""
    from .query.ask import ask as ask_q

    _, res = _with_store(lambda store: ask_q(store, question))
    if as_json:
        _print_json(res)
        return
    out.print(res["answer"], markup=False, highlight=False)
    if res["evidence"]:
        out.print("\n依据：")
        for e in res["evidence"]:
            text = (e["text"] or "").replace("\n", " ")
            out.print(f"  • 《{e['doc_title'] or e['doc']}》{e['clause'] or ''}：{text[:80]}{'…' if len(text) > 80 else ''}",
                      markup=False, highlight=False)
    if res["answered"]:  # an unanswered question's answer already says what was understood
        out.print("\n" + res["understood"], markup=False, highlight=False)


@app.command()
def search(
    text: str = typer.Argument(..., help="要查找的内容"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
    doc: Optional[str] = typer.Option(None, "--doc", help="限定一个文件"),
    k: int = typer.Option(10, "-k", help="最多返回条数"),
) -> None:
    """按相关度列出条款（BM25）。"""
    from .query.docs import find_doc
    from .query.search import search as search_q

    _, rows = _with_store(lambda store: search_q(store, text, k=k, doc_iri=find_doc(store, doc)["iri"] if doc else None))
    if as_json:
        _print_json(rows)
        return
    t = Table(title=f"{len(rows)} 条", show_lines=False)
    for col in ("得分", "文件", "条款", "内容"):
        t.add_column(col, overflow="fold")
    for r in rows:
        body = (r["text"] or r["heading"] or "").replace("\n", " ")
        t.add_row(f"{r['score']:.2f}", r["doc_title"] or r["doc"], r["clause"], body[:120] + ("…" if len(body) > 120 else ""))
    out.print(t)


@app.command("app")
def run_app(port: int = typer.Option(8501, "--port"),
            host: str = typer.Option("127.0.0.1", "--host", help="监听地址（默认仅本机；在办公室内共享用 0.0.0.0）")) -> None:
    """启动 Streamlit 应用（离线；默认只在本机监听）。"""
    import socket
    import subprocess

    app_py = Path(__file__).resolve().parent.parent / "app.py"
    # an explicit address also keeps Streamlit from asking an internet service for this machine's IP
    shown = host if host not in ("0.0.0.0", "::") else socket.gethostname()
    cmd = [sys.executable, "-m", "streamlit", "run", str(app_py), "--server.port", str(port),
           "--server.address", host, "--browser.serverAddress", shown,
           "--server.headless", "true", "--browser.gatherUsageStats", "false", "--client.toolbarMode", "viewer"]
    err.print(f"应用地址：http://{shown}:{port}  （Ctrl+C 退出）")
    import os

    env = dict(os.environ)
    if _state.get("store_named"):  # kg --store X app: the app serves X (and never first-use-builds into it)
        env["KG_STORE"] = str(_settings().store_path)
    raise typer.Exit(subprocess.call(cmd, cwd=app_py.parent, env=env))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
