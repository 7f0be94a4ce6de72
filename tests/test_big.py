"""Big input without surprises: a size limit with a clear refusal (and a way to raise it), progress for a
big file, and the linear replacements of the steps that were quadratic give the same answers."""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kg.build import build
from kg.errors import FileTooLarge
from kg.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus").glob("*.txt"))
BASE = "https://policykg.example/"


def _big_text(nbytes: int) -> str:
    """The seed documents one after another (numbers varied) until ``nbytes`` of UTF-8: a yearbook in one file."""
    rng = random.Random(3)
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    parts, size, k = [], 0, 0
    while size < nbytes:
        t = texts[k % len(texts)]
        if k >= len(texts):
            t = re.sub(r"(?<![\d〔])(\d{2,4})(?=万|个|%)", lambda m: str(int(m.group(1)) + rng.randint(1, 9)), t)
        parts.append(t.rstrip("\n") + "\n\n")
        size += len(parts[-1].encode("utf-8"))
        k += 1
    return "".join(parts)


def test_a_2mb_file_builds_and_reports_its_progress(tmp_path):
    f = tmp_path / "nianjian.txt"
    f.write_text(_big_text(2 * 1024 * 1024), encoding="utf-8")
    events: list[tuple[int, int, str]] = []
    store = GraphStore(tmp_path / "store", BASE)
    [r] = build(store, [f], on_progress=lambda done, total, p: events.append((done, total, p.name)))
    assert r.status == "added", r.reason
    assert r.clauses > 1000
    # progress: several events for this file, never backwards, from 0 to the whole cleaned text
    assert len(events) >= 10
    assert {name for _, _, name in events} == {"nianjian.txt"}
    dones = [d for d, _, _ in events]
    total = events[0][1]
    assert dones == sorted(dones) and dones[0] == 0 and dones[-1] == total > 1_000_000 // 3
    # the document is there, with the facts of every copy of the seeds (their footnote included)
    rows = store.select("SELECT (COUNT(?t) AS ?n) WHERE { GRAPH ?g { ?t a kg:Target } }")
    assert int(rows[0]["n"]) > 200


def test_a_small_file_reports_no_progress(tmp_path):
    events = []
    store = GraphStore(tmp_path / "store", BASE)
    [r] = build(store, [SEEDS[-1]], on_progress=lambda *a: events.append(a))
    assert r.status == "added" and events == []


def test_a_file_above_the_limit_is_refused_at_once_with_the_reason(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_MAX_FILE_MB", "0.05")
    f = tmp_path / "big.txt"
    f.write_text(_big_text(80 * 1024), encoding="utf-8")
    ok = tmp_path / "small.txt"
    ok.write_text(SEEDS[-1].read_text(encoding="utf-8"), encoding="utf-8")  # 7 KB: under the limit
    events = []
    store = GraphStore(tmp_path / "store", BASE)
    results = {Path(r.path).name: r for r in build(store, [f, ok], on_progress=lambda *a: events.append(a))}
    r = results["big.txt"]
    assert r.status == "failed" and events == []
    assert "过大" in r.reason and "0.05 MB" in r.reason  # the size and the limit, in Chinese
    assert "--max-size" in r.reason and "KG_MAX_FILE_MB" in r.reason  # and how to raise it
    assert results["small.txt"].status == "added"  # the rest lands
    # refused before it is decoded: a big binary file gets the size reason, not "binary"
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\x01\x02" * 30000)
    from kg.pipeline import process_file

    with pytest.raises(FileTooLarge, match="过大"):
        process_file(junk)
    # raising the limit lets the same file through
    monkeypatch.setenv("KG_MAX_FILE_MB", "1")
    [r] = build(store, [f])
    assert r.status == "added", r.reason


def test_cli_max_size_option(tmp_path, monkeypatch):
    from kg.cli import app

    monkeypatch.setenv("KG_MAX_FILE_MB", "20")  # the option sets the variable for the process: restored after the test
    f = tmp_path / "big.txt"
    f.write_text(_big_text(80 * 1024), encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(app, ["--store", str(tmp_path / "s"), "build", "--max-size", "0.05", str(f)])
    assert r.exit_code == 1
    assert "过大" in r.output and "--max-size" in r.output
    r = runner.invoke(app, ["--store", str(tmp_path / "s"), "build", "--max-size", "1", str(f)])
    assert r.exit_code == 0, r.output


def test_a_bad_limit_is_a_clear_error(monkeypatch):
    from kg.config import max_file_mb

    monkeypatch.setenv("KG_MAX_FILE_MB", "lots")
    with pytest.raises(ValueError, match="KG_MAX_FILE_MB"):
        max_file_mb()
    monkeypatch.setenv("KG_MAX_FILE_MB", "")
    assert max_file_mb() == 10


# --- the linear replacements answer as the quadratic originals did -------------------------------------

_ALPHABET = st.sampled_from(list("。！？!?\n，的a5 "))


@settings(deadline=None, max_examples=200)
@given(st.text(_ALPHABET, max_size=60), st.data())
def test_sentence_bounds_by_bisection_equal_the_scan(text, data):
    from kg.facts import _Sentences, sentence_bounds

    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert _Sentences(text).bounds(start, end) == sentence_bounds(text, start, end)


def _merge_naive(table, text):
    """The original tables × text targets loop (first matching row wins)."""
    from rapidfuzz import fuzz

    from kg.facts import _MET_NORM

    kept = []
    for f in text:
        twin = None
        for t in table:
            if t["kind"] != "target" or f["kind"] not in ("target", "criterion"):
                continue
            if abs(float(t["value"]) - float(f["value"])) > 1e-9 * max(1.0, abs(float(t["value"]))):
                continue
            if (t["unit"] or "") != (f["unit"] or "") and t["unit"] not in (None, "-") and f["unit"] is not None:
                continue
            if t["comparator"] != f["comparator"] and {t["comparator"], f["comparator"]} - {"=", ">=", ">"}:
                continue
            a, b = _MET_NORM.sub("", t["metric"] or ""), _MET_NORM.sub("", f["metric"] or "")
            if a and b and fuzz.partial_ratio(a, b) >= 80:
                twin = t
                break
        kept.append((f["metric"], None if twin is None else table.index(twin)))
    return kept


def _target(rng, i):
    return {"kind": rng.choice(["target", "target", "criterion", "other"]), "value": rng.choice([1, 2, 2.0000000001, 25, 1e9, 1e9 + 0.5, 0.1]),
            "unit": rng.choice([None, "-", "万个", "%"]), "comparator": rng.choice(["=", ">=", ">", "<="]),
            "metric": rng.choice(["5G基站", "5G 基站数", "千兆用户", "（其中）千兆宽带用户", "数据中心机架"]),
            "clause": f"c{i}", "clause_id": f"c{i}", "span": [i, i + 1], "text": "", "method": "m", "confidence": 0.8,
            "sources": []}


@pytest.mark.parametrize("seed", range(20))
def test_table_text_merge_by_value_index_equals_the_nested_loop(seed):
    from kg.facts import _merge_table_and_text

    rng = random.Random(seed)
    table = [_target(rng, i) for i in range(rng.randint(0, 30))]
    text = [_target(rng, 100 + i) for i in range(rng.randint(0, 30))]
    expected = _merge_naive(table, text)
    kept = _merge_table_and_text(table, text)
    assert [f["metric"] for f in kept] == [m for m, twin in expected if twin is None]
    # every dropped text target became a source of the same row the nested loop picks
    for (m, twin), f in zip(expected, text):
        if twin is not None:
            assert any(s["clause_id"] == f["clause_id"] for s in table[twin]["sources"])


def test_footnotes_attach_as_before():
    """A footnote marker inside a clause goes to that clause; a note whose marker is not found goes to the
    clause before the note line (the seed plan has one of each kind when its marker is removed)."""
    from kg.pipeline import process_text

    seed = next(p for p in SEEDS if "shanghai" in p.name).read_text(encoding="utf-8")
    doc = process_text(seed, "sh.txt", with_facts=False)
    noted = [c for c in doc.all_clauses() if c.notes]
    assert len(noted) == 1 and "标准机架" in doc.own_text(noted[0])
    doc2 = process_text(seed.replace("^{【注】}", ""), "sh2.txt", with_facts=False)
    noted2 = [c for c in doc2.all_clauses() if c.notes]
    assert len(noted2) == 1
    # twice the plan in one file: each copy's note goes to its own copy's clause
    doc3 = process_text(seed + "\n\n" + seed, "sh3.txt", with_facts=False)
    noted3 = [c for c in doc3.all_clauses() if c.notes]
    assert len(noted3) == 2 and noted3[0] is not noted3[1]


def test_long_paragraphs_are_read_in_pieces_cut_after_a_sentence():
    from kg.facts import paragraph_pieces

    text = "甲" * 10 + "。" + "乙" * 30 + "。" + "丙" * 5
    assert paragraph_pieces(text, [(0, len(text))], limit=100) == [(0, len(text))]
    pieces = paragraph_pieces(text, [(0, len(text))], limit=20)
    assert pieces[0] == (0, 11)  # after the full stop
    assert pieces[1] == (11, 31)  # no sentence end within the limit: cut at the limit
    assert pieces[-1][1] == len(text) and all(a[1] == b[0] for a, b in zip(pieces, pieces[1:]))


def test_a_file_on_one_line_builds(monkeypatch):
    """No line breaks at all: one paragraph the size of the file, read in pieces (spaCy refuses a text above
    its max_length, 1,000,000 characters); the targets are found as in the original."""
    import kg.facts
    from kg.pipeline import process_text

    seed = next(p for p in SEEDS if "wuzhihulian" in p.name).read_text(encoding="utf-8")
    whole = process_text(seed, "a.txt")
    monkeypatch.setattr(kg.facts, "MAX_PARAGRAPH", 300)
    flat = process_text(seed.replace("\n", ""), "b.txt")
    assert len(flat.all_clauses()) == 1  # one clause, one paragraph of 2,700 characters: nine pieces
    assert {t["metric"] for t in flat.facts["targets"]} == {t["metric"] for t in whole.facts["targets"]}
    text = flat.source.text
    assert all(0 <= t["span"][0] <= t["span"][1] <= len(text) for t in flat.facts["targets"])


def test_cli_shows_the_progress_of_a_big_file(tmp_path, monkeypatch):
    import kg.pipeline
    from kg.cli import app

    monkeypatch.setattr(kg.pipeline, "PROGRESS_MIN_CHARS", 1000)  # the seed plan counts as big here
    r = CliRunner().invoke(app, ["--store", str(tmp_path / "s"), "build", str(SEEDS[0])])
    assert r.exit_code == 0, r.output
    lines = [ln for ln in r.output.splitlines() if ln.startswith(f"构建 {SEEDS[0].name}：")]
    assert lines[0].startswith(f"构建 {SEEDS[0].name}：0%") and "100%" in lines[-1] and "写入存储" in lines[-1]
    assert 5 <= len(lines) <= 11  # one line per 10 %


def test_cli_shows_the_stages_of_the_derived_step(tmp_path):
    """After the documents, the cross-document step says what it is doing: its stages in order, with counts
    where it knows them (the pairs aligned), so an hour of lineage on a large corpus is not a silent bar."""
    from kg.cli import app

    r = CliRunner().invoke(app, ["--store", str(tmp_path / "s"), "build", *map(str, SEEDS)])
    assert r.exit_code == 0, r.output
    lines = [ln for ln in r.output.splitlines() if ln.startswith("跨文件关联：")]
    names = list(dict.fromkeys(ln.split("：", 1)[1].split("（", 1)[0] for ln in lines))
    assert names == ["引用与文号关联", "挑选可能有落实关系的文件对", "条款对齐", "目标关联"], lines
    aligned = [re.fullmatch(r"跨文件关联：条款对齐（(\d+)/(\d+)）", ln) for ln in lines if "条款对齐" in ln]
    assert all(aligned) and aligned[-1][1] == aligned[-1][2]  # counted to the last pair
    assert len(lines) <= 40  # at most a line per stage and per 10 % of it
