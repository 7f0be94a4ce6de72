"""The kg command line: JSON fields users script against, errors, first-use build."""
import json

from typer.testing import CliRunner

from kg.cli import app

runner = CliRunner()


def run(args, store, input=None):
    return runner.invoke(app, ["--store", str(store), *args], input=input)


def test_first_query_builds_the_default_corpus_and_lists_docs(tmp_path):
    # first use: the *default* store (no --store, no KG_STORE) is empty → the bundled corpus is built into it
    env = {"XDG_DATA_HOME": str(tmp_path / "xdg"), "KG_STORE": None}
    r = runner.invoke(app, ["docs", "--json"], env=env)
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) and (tmp_path / "xdg" / "policy-kg" / "store" / "build.lock").exists()
    r = run(["build"], tmp_path / "s")  # a named store is built explicitly (first use never touches it)
    r = run(["docs", "--json"], tmp_path / "s")
    assert r.exit_code == 0, r.output
    docs = json.loads(r.stdout)
    assert len(docs) == 5
    fields = {"id", "iri", "title", "notice_title", "doc_number", "issuers", "doc_type", "level", "jurisdiction",
              "date_document", "date_header", "date_publication", "period", "recipients", "cc", "source_file",
              "clause_count"}
    assert all(fields <= set(d) for d in docs)
    r = run(["clauses", "沪通信管发〔2026〕5号", "--json"], tmp_path / "s")
    tree = json.loads(r.stdout)
    assert {"clause", "clause_id", "heading", "text", "span", "children"} <= set(tree[0])
    r = run(["targets", "--doc", "物智沪联", "--json"], tmp_path / "s")
    ts = json.loads(r.stdout)
    need = {"doc", "doc_number", "doc_title", "clause", "clause_id", "text", "span", "method", "confidence", "metric",
            "value", "unit", "comparator", "kind", "level_of_ambition", "change", "scope", "deadline", "deadline_year",
            "deadline_source", "baseline", "parties"}
    assert ts and all(need <= set(t) for t in ts)
    for kind, extra in (("deadlines", {"surface", "start", "end", "kind"}),
                        ("parties", {"party", "party_type", "surface", "role"}),
                        ("refs", {"title", "doc_number", "relation", "cue", "resolved_doc", "external_iri"})):
        r = run([kind, "--json"], tmp_path / "s")
        rows = json.loads(r.stdout)
        assert rows and all(extra <= set(x) for x in rows), kind


def test_build_reports_failures_with_nonzero_exit(tmp_path):
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "empty.md").write_text("", encoding="utf-8")
    (bad / "ok.txt").write_text("某某市数据局关于开展数据治理的通知\n某数〔2025〕1号\n\n一、工作目标\n到2026年，完成数据治理。\n", encoding="utf-8")
    r = run(["build", str(bad), "--json"], tmp_path / "s")
    assert r.exit_code == 1
    res = {x["path"].rsplit("/", 1)[-1]: x for x in json.loads(r.stdout)}
    assert res["empty.md"]["status"] == "failed" and res["ok.txt"]["status"] == "added"


def test_ambiguous_doc_lists_candidates(tmp_path):
    run(["build"], tmp_path / "s")
    r = run(["clauses", "上海"], tmp_path / "s")
    assert r.exit_code == 2
    assert "候选" in r.output


def test_sparql_refuses_updates(tmp_path):
    r = run(["sparql", "DELETE WHERE { ?s ?p ?o }"], tmp_path / "s")
    assert r.exit_code == 2 and "只读" in r.output


def test_extract_reads_pasted_text_without_a_store(tmp_path):
    text = ("浙江省经济和信息化厅关于印发《浙江省算力基础设施发展行动方案（2025—2027年）》的通知\n"
            "浙经信〔2025〕12号\n\n各市经信局：\n\n为落实《算力基础设施高质量发展行动计划》，制定本方案。\n"
            "一、发展目标\n到2027年，全省数据中心标准机架达到40万架，确保新建数据中心PUE不超过1.25。\n"
            "二、重点任务\n（一）建设算力网络。省经信厅会同省发展改革委推进算力枢纽建设。\n")
    r = runner.invoke(app, ["--store", str(tmp_path / "never"), "extract", "--json"], input=text)
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["doc"]["doc_number"] == "浙经信〔2025〕12号"
    t = next(t for t in out["targets"] if t["value"] == 400000)
    assert t["unit"] == "架" and t["deadline"] == "2027-12-31"
    assert any(p["party"] == "浙江省经济和信息化厅" and p["role"] == "lead" for p in out["parties"])
    assert any(r["title"] == "算力基础设施高质量发展行动计划" and r["relation"] == "applies" for r in out["refs"])
    assert not (tmp_path / "never" / "oxigraph").exists()


def test_extract_table_shows_a_rate_per_head(tmp_path):
    # x30-01: 每万人拥有5G基站30个 is a rate per head: the table says so (it read as 30 base stations), and a fall is a fall
    # (x30-02: 下降14.5% read as a level of 14.5%); a level stays bare
    text = "二、主要目标\n到2025年，全省单位地区生产总值能源消耗比2020年下降14.5%，每万人拥有5G基站30个，数据中心达到5个。\n"
    r = runner.invoke(app, ["--store", str(tmp_path / "never"), "extract"], input=text, env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "5G基站（每万人）" in r.output
    assert "单位地区生产总值能源消耗（下降）" in r.output
    assert "数据中心（" not in r.output


def test_export_is_byte_identical(tmp_path):
    run(["build"], tmp_path / "s")
    a = run(["export", "-f", "turtle"], tmp_path / "s").stdout
    b = run(["export", "-f", "turtle"], tmp_path / "s").stdout
    assert a == b and a.startswith("@prefix")


def test_eval_prints_scores():
    r = runner.invoke(app, ["eval", "--json"])
    assert r.exit_code == 0
    res = json.loads(r.stdout)
    assert {"dev", "heldout"} <= set(res)
    assert {"targets", "deadlines", "parties", "references"} <= {s["kind"] for s in res["heldout"]}
