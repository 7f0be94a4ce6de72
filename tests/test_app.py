"""The Streamlit app, headless (streamlit.testing AppTest): every page renders without an exception."""
import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT


@pytest.fixture(scope="module")
def app(built_store, monkeypatch_module):
    monkeypatch_module.setenv("KG_STORE", str(built_store.path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    return at


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def test_documents_page(app):
    assert not app.exception
    assert app.header[0].value == "文件"
    assert len(app.dataframe[0].value) == 5


@pytest.mark.parametrize("page,header", [
    ("ui/clauses.py", "条款树"), ("ui/compare.py", "条款对照"), ("ui/facts.py", "目标、时限、责任主体"),
    ("ui/lineage.py", "溯源：这个文件落实了哪些文件？"), ("ui/sparql.py", "SPARQL 控制台（只读）"),
])
def test_pages_render(app, page, header):
    app.switch_page(page)
    app.run()
    assert not app.exception, app.exception
    assert app.header[0].value == header


def test_lineage_shows_the_implemented_notice(app):
    app.switch_page("ui/lineage.py")
    app.run()
    box = app.selectbox[0]
    box.select("2026-hu-tongxinguanfa-5-wuzhihulian-iot-action-plan").run()
    text = " ".join(m.value for m in app.markdown)
    assert "落实" in text and "2024-gongxinting-tongxin-52-mobile-iot-notice" in text


def test_sparql_console_refuses_updates(app):
    app.switch_page("ui/sparql.py")
    app.run()
    app.text_area[0].input("DELETE WHERE { ?s ?p ?o }")
    app.button[0].click().run()
    assert app.error and "只读" in app.error[0].value
