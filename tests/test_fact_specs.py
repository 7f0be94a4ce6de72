"""The fact layer pinned by specs (tests/specs/facts/*.yaml; format in that folder's README): whole documents
through kg.pipeline.process_text, assembled facts compared with what each case expects and must not contain."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from kg.evaluate import same
from kg.pipeline import process_text

SPEC_DIR = Path(__file__).parent / "specs" / "facts"
KINDS = ("targets", "deadlines", "parties", "refs")


def load_cases() -> list[dict]:
    cases = []
    for f in sorted(SPEC_DIR.glob("*.yaml")):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        assert data["kind"] == "facts", f
        for c in data["cases"]:
            c["_file"] = f.name
            cases.append(c)
    return cases


CASES = load_cases()


def _norm(v):
    return v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v


def _matches(fact: dict, want: dict) -> bool:
    for k, v in want.items():
        v = _norm(v)
        if k == "sources" and isinstance(v, int):
            if len(fact.get("sources") or []) != v:
                return False
            continue
        if k not in fact:
            raise KeyError(f"{k!r} is not a field of the fact {sorted(fact)}")
        got = fact[k]
        if isinstance(v, list) and isinstance(got, list):
            if sorted(map(str, got)) != sorted(map(str, v)):
                return False
        elif v is None:
            if got is not None:
                return False
        elif not same(got, v):
            return False
    return True


def _show(facts: list[dict]) -> list[dict]:
    keep = ("clause", "metric", "value", "unit", "kind", "deadline", "deadline_source", "parties", "party", "role",
            "surface", "start", "end", "method")
    return [{k: f[k] for k in keep if k in f} | {"sources": len(f.get("sources") or [])} for f in facts]


def test_spec_format():
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "case ids are unique"
    assert len(CASES) >= 15
    for c in CASES:
        assert c.get("note") and c.get("text"), c["id"]
        assert set(c) <= {"id", "note", "text", "expect", "absent", "count", "_file"}, c["id"]
        for part in ("expect", "absent"):
            assert set(c.get(part) or {}) <= set(KINDS), (c["id"], part)
        assert c.get("expect") or c.get("count"), c["id"]
    # negatives: cases that say what must not come out
    assert sum(1 for c in CASES if c.get("absent")) >= 6


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_fact_spec(case):
    doc = process_text(case["text"], name=f"{case['id']}.txt")
    facts = doc.facts
    for kind, wants in (case.get("expect") or {}).items():
        for want in wants:
            assert any(_matches(f, want) for f in facts[kind]), (kind, want, _show(facts[kind]))
    for kind, bans in (case.get("absent") or {}).items():
        for ban in bans:
            hits = [f for f in facts[kind] if _matches(f, ban)]
            assert not hits, (kind, ban, _show(hits))
    for kind, n in (case.get("count") or {}).items():
        assert len(facts[kind]) == n, (kind, n, _show(facts[kind]))


def test_a_wrong_expectation_fails():
    """The matcher can fail: a changed value, deadline source or party list does not match."""
    fact = {"value": 20000, "deadline": "2028-12-31", "deadline_source": "period", "parties": ["甲", "乙"], "sources": []}
    assert _matches(fact, {"value": 20000, "deadline": dt.date(2028, 12, 31), "parties": ["乙", "甲"], "sources": 0})
    assert not _matches(fact, {"value": 2000})
    assert not _matches(fact, {"deadline_source": "inherited"})
    assert not _matches(fact, {"parties": ["甲"]})
    assert not _matches(fact, {"deadline": None})
    assert not _matches(fact, {"sources": 1})
    with pytest.raises(KeyError):
        _matches(fact, {"deadline_sorce": "period"})
