"""Canned SPARQL queries (kg/query/sparql/*.rq): headers, parameters, and each one run on the seed store."""
from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import KGError
from kg.query import canned
from kg.store import check_read_only

BASE = "https://policykg.example/"
NAMES = {"lineage_chain", "targets_by_deadline_year", "clause_parties", "unresolved_references",
         "clause_alignments", "documents_by_level", "agencies_roles"}
# may be empty on some stores: alignments exist only once the lineage pass has found some
MAY_BE_EMPTY = {"clause_alignments"}
CJK = re.compile(r"[\u4e00-\u9fff]")
PLAN = f"{BASE}doc/2026-hu-tongxinguanfa-5-wuzhihulian-iot-action-plan"
NOTICE = f"{BASE}doc/2024-gongxinting-tongxin-52-mobile-iot-notice"


def test_every_canned_query_has_a_chinese_title_and_description():
    qs = canned.list_queries()
    assert NAMES <= {q.name for q in qs}
    for q in qs:
        assert CJK.search(q.title) and CJK.search(q.description), q.name
        assert q.path.suffix == ".rq" and q.path.is_file()
        for p in q.params:
            assert CJK.search(p.description) and p.type in ("iri", "string", "integer", "decimal", "gYear")
        d = q.as_dict()
        assert set(d) == {"name", "title", "description", "file", "params"}


@pytest.mark.parametrize("name", sorted(NAMES))
def test_each_canned_query_parses_and_runs_on_the_seed_store(built_store, name):
    q = canned.load(name)
    check_read_only(q.text)  # passes the real parser with the store's prefixes
    res = built_store.user_query(q.text, limit=10000, timeout_s=120)
    assert res.kind == "select" and not res.truncated
    if name not in MAY_BE_EMPTY:
        assert res.rows, f"{name} found nothing on the seed corpus"


def test_parameters_restrict_the_results(built_store):
    def run(name, **params):
        return built_store.user_query(canned.render(canned.load(name), **params), limit=10000, timeout_s=120).rows

    rows = run("documents_by_level", level="national")
    assert rows and {r["level"] for r in rows} == {"national"}
    assert len(rows) < len(run("documents_by_level"))

    chain = run("lineage_chain", doc=PLAN)
    assert {r["doc"] for r in chain} == {PLAN}
    assert NOTICE in {r["upstream"] for r in chain}  # 物智沪联 applies the 2024 notice
    assert all(isinstance(r["external"], bool) for r in chain)

    years = run("targets_by_deadline_year", year=2025)
    assert years and {str(r["year"]) for r in years} == {"2025"}
    assert {r["kind"] for r in years} == {"target"}

    strict = run("clause_alignments", min_score=0.9)
    assert all(r["score"] >= 0.9 for r in strict)
    assert len(strict) <= len(run("clause_alignments", min_score=0.1))

    clause = run("clause_parties")[0]["clause"]
    assert {r["clause"] for r in run("clause_parties", clause=clause)} == {clause}


def test_render_refuses_bad_values_and_escapes_strings():
    q = canned.load("documents_by_level")
    with pytest.raises(KGError, match="没有参数"):
        canned.render(q, nope="x")
    with pytest.raises(KGError, match="IRI"):
        canned.render(canned.load("lineage_chain"), doc="http://x/> } SERVICE <http://evil/> { ?a ?b ?c")
    with pytest.raises(KGError):
        canned.render(canned.load("clause_alignments"), min_score="0.5) || true")
    text = canned.render(q, level='na"tional } SERVICE <http://evil/> {')
    check_read_only(text)  # still one string literal: nothing escapes it
    assert 'VALUES ?level { "na\\"tional } SERVICE <http://evil/> {" }' in text
    assert canned.render(q) == q.text  # no parameter: the file as it is


def test_headers_are_required(tmp_path):
    (tmp_path / "bad.rq").write_text("# title: 只有标题\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(KGError, match="description"):
        canned.list_queries(tmp_path)
    (tmp_path / "bad.rq").write_text("# title: 标题\n# description: 说明\n# param: x (iri) 某个参数\n"
                                     "SELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(KGError, match="VALUES"):
        canned.list_queries(tmp_path)
    with pytest.raises(KGError, match="没有名为"):
        canned.load("../../etc/passwd")


def test_cli_lists_and_runs_canned_queries(built_store):
    runner = CliRunner()
    res = runner.invoke(app, ["--store", str(built_store.path), "queries", "--json"])
    assert res.exit_code == 0, res.output
    listed = json.loads(res.stdout)
    assert NAMES <= {q["name"] for q in listed}
    res = runner.invoke(app, ["--store", str(built_store.path), "sparql", "--file", "documents_by_level",
                              "-p", "level=national", "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["rows"]
    assert rows and {r["level"] for r in rows} == {"national"}
    path = next(q["file"] for q in listed if q["name"] == "agencies_roles")
    res = runner.invoke(app, ["--store", str(built_store.path), "sparql", "--file", path, "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["rows"]
