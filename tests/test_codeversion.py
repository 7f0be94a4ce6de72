"""Which code a document's graph and the derived graphs depend on (kg/codeversion.py): a new version of the query
layer or the app does not re-extract a store's documents; a new version of an extractor or of the ontology does."""
from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from kg import codeversion
from kg.build import PIPELINE_ROOTS
from kg.lineage import ALIGN_MODULES, ALIGN_ROOTS

PKG = Path(codeversion.__file__).resolve().parent


def _ast_closure(roots) -> set[str]:
    """The same closure found by parsing every module (an independent reading of the imports)."""
    def path(m):
        p = PKG.joinpath(*m.split(".")[1:])
        return p / "__init__.py" if (p / "__init__.py").is_file() else p.with_suffix(".py") if p.with_suffix(".py").is_file() else None

    seen, todo = set(), list(roots)
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        seen.add(m)
        parts = m.split(".")
        todo += [".".join(parts[:i]) for i in range(1, len(parts))]
        src = path(m)
        pkg = parts if src.name == "__init__.py" else parts[:-1]
        for node in ast.walk(ast.parse(src.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = (".".join(pkg[:len(pkg) - node.level + 1] + ([node.module] if node.module else []))
                        if node.level else node.module or "")
                todo += [x for x in [base, *(f"{base}.{a.name}" for a in node.names)] if x.startswith("kg") and path(x)]
            elif isinstance(node, ast.Import):
                todo += [a.name for a in node.names if a.name.startswith("kg") and path(a.name)]
    return seen


def test_the_pipeline_closure_is_the_extractors_not_the_query_layer():
    got = set(codeversion.module_closure(PIPELINE_ROOTS))
    assert got == _ast_closure(PIPELINE_ROOTS)
    assert {"kg.pipeline", "kg.clean", "kg.extract.targets", "kg.extract.metadata", "kg.gazetteer.scanning",
            "kg.graph", "kg.facts", "kg.fact_schema"} <= got
    assert not {m for m in got if m.startswith(("kg.query.", "kg.align", "kg.evaluate"))}
    assert not got & {"kg.cli", "kg.serve", "kg.lineage", "kg.targetlinks", "kg.links", "kg.validate", "kg.export"}


def test_the_derived_closure_is_the_alignment_engine():
    got = set(codeversion.module_closure(ALIGN_ROOTS))
    assert got == _ast_closure(ALIGN_ROOTS)
    assert {"kg.align.core", "kg.align.sw", "kg.align.tokens"} <= got
    assert not {m for m in got if m.startswith("kg.query.")}


@pytest.fixture
def package_copy(tmp_path, monkeypatch):
    """codeversion reading a copy of the package, with its caches cleared before and after."""
    dst = tmp_path / "kg"
    shutil.copytree(PKG, dst, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(codeversion, "PACKAGE_DIR", dst)
    monkeypatch.setattr(codeversion, "ONTOLOGY_DIR", dst / "ontology")

    def clear():
        codeversion.module_closure.cache_clear()
        codeversion.code_version.cache_clear()
    clear()
    yield dst
    clear()


def _versions():
    codeversion.module_closure.cache_clear()
    codeversion.code_version.cache_clear()
    return (codeversion.code_version(PIPELINE_ROOTS), codeversion.code_version(ALIGN_ROOTS, ALIGN_MODULES))


@pytest.mark.parametrize("changed,pipeline,derived", [
    ("query/ask.py", False, False),  # the query layer: neither
    ("cli.py", False, False),
    ("evaluate.py", False, False),
    ("align/core.py", False, True),  # the alignment engine: the derived graphs only
    ("targetlinks.py", False, True),
    ("extract/targets.py", True, False),  # an extractor: every document (and so every pair, by its versions)
    ("clean.py", True, False),
    ("ontology/target_patterns.yaml", True, True),  # the ontology's data: both
])
def test_a_new_version_of_a_module_changes_the_versions_that_depend_on_it(package_copy, changed, pipeline, derived):
    before = _versions()
    f = package_copy / changed
    f.write_text(f.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    after = _versions()
    assert (before[0] != after[0], before[1] != after[1]) == (pipeline, derived)


def test_an_import_inside_a_function_counts(package_copy):
    """A module imported only inside a function of a pipeline module joins the closure."""
    assert "kg.review" not in codeversion.module_closure(PIPELINE_ROOTS)
    f = package_copy / "graph.py"
    f.write_text(f.read_text(encoding="utf-8") + "\n\ndef _later():\n    from .review import (\n        review_iri,\n    )\n",
                 encoding="utf-8")
    codeversion.module_closure.cache_clear()
    assert "kg.review" in codeversion.module_closure(PIPELINE_ROOTS)
