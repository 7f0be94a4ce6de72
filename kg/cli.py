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
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.tree import Tree

from .config import Settings, default_corpus
from .errors import DocumentNotFound, KGError

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="政策知识图谱：把政策文件变成 RDF 知识图谱，并回答溯源问题。")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

_state: dict = {}


@app.callback()
def _global(
    store: Optional[Path] = typer.Option(None, "--store", envvar="KG_STORE", help="存储目录（默认 ~/.local/share/policy-kg/store）"),
    base_iri: Optional[str] = typer.Option(None, "--base-iri", envvar="KG_BASE_IRI", help="生成 IRI 的基地址"),
) -> None:
    try:
        _state["settings"] = Settings.load(store, base_iri)
    except ValueError as e:
        err.print(f"[red]配置错误[/red] {e}")
        raise typer.Exit(2)


def _settings() -> Settings:
    return _state.get("settings") or Settings.load()


def _store():
    from .store import GraphStore

    s = _settings()
    return GraphStore(s.store_path, s.base_iri)


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _fail(e: KGError, code: int = 2) -> None:
    err.print(f"[red]错误[/red] {e}")
    if isinstance(e, DocumentNotFound) and e.candidates:
        err.print("候选：")
        for c in e.candidates:
            err.print(f"  • {c}")
    raise typer.Exit(code)


def _run_build(store, paths: list[Path], force: bool = False, quiet: bool = False):
    from .build import build
    from .links import update_links

    with Progress(TextColumn("[bold]构建[/bold] {task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True, disable=quiet or not err.is_terminal) as prog:
        task = prog.add_task("", total=None)

        def on_file(n: int, total: int, f: Path) -> None:
            prog.update(task, total=total, completed=n - 1, description=f.name)

        results = build(store, paths, force=force, on_file=on_file, after_docs=update_links)
        prog.update(task, completed=len(results))
    return results


def _with_store(fn):
    """Open the store, build the default corpus if it is empty, run ``fn(store)``; errors end the command."""
    try:
        store = _store()
        _ensure_built(store)
        return store, fn(store)
    except KGError as e:
        _fail(e)


def _ensure_built(store) -> None:
    """Query commands build the default corpus on first use, so a new user's first command works."""
    if store.is_empty():
        corpus = default_corpus()
        if not corpus.is_dir():
            raise KGError(f"存储为空，且找不到默认语料目录 {corpus}；请先运行 kg build PATH")
        err.print(f"[yellow]存储为空，先构建默认语料 {corpus} …[/yellow]")
        results = _run_build(store, [corpus], quiet=True)
        failed = [r for r in results if r.status == "failed"]
        for r in failed:
            err.print(f"[red]✗[/red] {r.path}: {r.reason}")


@app.command()
def build(
    paths: list[Path] = typer.Argument(None, help="文件或目录（默认 corpus/）"),
    force: bool = typer.Option(False, "--force", help="忽略缓存，全部重建"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """导入文件或目录：逐个文件报告；未变化的跳过，变化的整体替换，目录中已删除的文件从图谱移除。"""
    try:
        store = _store()
        targets = list(paths) if paths else [default_corpus()]
        results = _run_build(store, targets, force=force, quiet=as_json)
    except KGError as e:
        _fail(e)
        return
    if as_json:
        _print_json([r.__dict__ for r in results])
    else:
        icons = {"added": "[green]＋ 新增[/green]", "updated": "[green]↻ 更新[/green]", "unchanged": "[dim]＝ 未变[/dim]",
                 "failed": "[red]✗ 失败[/red]", "removed": "[yellow]－ 移除[/yellow]"}
        for r in results:
            line = f"{icons[r.status]} {Path(r.path).name}"
            if r.doc_id and r.status in ("added", "updated"):
                line += f"  ({r.clauses} 个条款)"
            if r.reason:
                line += f"  — {r.reason}"
            out.print(line)
            for w in r.warnings:
                out.print(f"    [yellow]注意[/yellow] {w}")
        counts = {k: sum(1 for r in results if r.status == k) for k in ("added", "updated", "unchanged", "removed", "failed")}
        out.print(f"完成：新增 {counts['added']}，更新 {counts['updated']}，未变 {counts['unchanged']}，"
                  f"移除 {counts['removed']}，失败 {counts['failed']}。存储：{_settings().store_path}")
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
    for col in ("标识", "标题", "文号", "发文机关", "成文日期", "层级", "条款"):
        t.add_column(col, overflow="fold")
    for d in rows:
        t.add_row(d["id"], d["title"] or "", d["doc_number"] or "—", "、".join(d["issuers"]) or "—",
                  d["date_document"] or "—", f"{_LEVEL_ZH.get(d['level'], '—')} {d['jurisdiction'] or ''}",
                  str(d["clause_count"]))
    out.print(t)


_LEVEL_ZH = {"national": "国家级", "provincial": "省级", "prefectural": "地市级", "county": "区县级"}


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
    fmt: str = typer.Option("turtle", "--format", "-f", help="turtle | trig | jsonld | nt | nq"),
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
    file: Optional[Path] = typer.Option(None, "--file", help="从文件读取查询"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
    limit: Optional[int] = typer.Option(None, "--limit", help="最多返回行数"),
    timeout: Optional[float] = typer.Option(None, "--timeout", help="时间上限（秒）"),
) -> None:
    """运行只读 SPARQL（拒绝更新、LOAD 与 SERVICE；默认图为所有命名图的并集）。"""
    if file is not None:
        try:
            query = file.read_text(encoding="utf-8")
        except OSError as e:
            _fail(KGError(f"无法读取查询文件: {e.strerror or e}", path=str(file)))
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
) -> None:
    """按事实类型打印精确率、召回率与 F1。开发集用于调规则；留出集由未看过规则的人标注，是诚实的数字。"""
    from .evaluate import GOLD_SETS, evaluate

    sets = {"custom": gold} if gold else GOLD_SETS
    results = {name: evaluate(path) for name, path in sets.items() if path.exists()}
    if as_json:
        _print_json({name: [s.as_dict() | ({"errors": s.errors} if show_errors else {}) for s in scores]
                     for name, scores in results.items()})
        return
    names = {"dev": "开发集（规则据此编写，偏乐观）", "heldout": "留出集一（盲标；首测后曾用于错误分析，已偏乐观）",
             "heldout2": "留出集二（盲标，未用于调规则：诚实的数字）", "custom": str(gold)}
    for name, scores in results.items():
        t = Table(title=f"抽取评测 — {names.get(name, name)}：{sets[name]}")
        for col in ("类型", "用例", "TP", "FP", "FN", "精确率 P", "召回率 R", "F1"):
            t.add_column(col, justify="left" if col == "类型" else "right")
        for sc in scores:
            t.add_row(sc.kind, str(sc.cases), str(sc.tp), str(sc.fp), str(sc.fn), f"{sc.precision:.3f}",
                      f"{sc.recall:.3f}", f"{sc.f1:.3f}")
        out.print(t)
        if show_errors:
            for sc in scores:
                for e in sc.errors:
                    out.print(f"[dim]{name}/{sc.kind}[/dim] {e}")


@app.command("app")
def run_app(port: int = typer.Option(8501, "--port")) -> None:
    """启动 Streamlit 应用（本机，离线）。"""
    import subprocess

    app_py = Path(__file__).resolve().parent.parent / "app.py"
    cmd = [sys.executable, "-m", "streamlit", "run", str(app_py), "--server.port", str(port),
           "--server.headless", "true", "--browser.gatherUsageStats", "false", "--client.toolbarMode", "viewer"]
    err.print(f"应用地址：http://localhost:{port}  （Ctrl+C 退出）")
    raise typer.Exit(subprocess.call(cmd, cwd=app_py.parent))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
