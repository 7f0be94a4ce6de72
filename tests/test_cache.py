"""The on-disk cache of compiled ontology data (kg/cache.py): the gazetteer and the prepared jieba
dictionary load from it, a corrupt or stale entry is rebuilt, and what is loaded behaves as what is built."""
from __future__ import annotations

import os
import time

from kg import cache
from kg.gazetteer.index import Gazetteer


def test_gazetteer_from_the_cache_is_the_built_one(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    built = Gazetteer.load()  # no entry yet: built and written
    files = list(tmp_path.glob("gazetteer-*.pickle"))
    assert len(files) == 1
    loaded = Gazetteer.load()
    assert loaded is not built
    assert loaded.agency_names() == built.agency_names() and loaded.class_names() == built.class_names()
    for mention, place in (("市通信管理局", "上海市"), ("省工信厅", "广东省"), ("上海市数据局", None)):
        assert loaded.resolve(mention, place) == built.resolve(mention, place)
    text = "由久事集团会同同济大学负责，市通信管理局、市数据局按职责分工落实"
    assert loaded.find_mentions(text, "上海市") == built.find_mentions(text, "上海市")
    assert loaded.find_orgs(text, "上海市") == built.find_orgs(text, "上海市")


def test_corrupt_entry_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    Gazetteer.load()
    (f,) = tmp_path.glob("gazetteer-*.pickle")
    f.write_bytes(f.read_bytes()[:1000])  # truncated
    g = Gazetteer.load()
    assert g.resolve("市通信管理局", "上海市").name == "上海市通信管理局"
    assert len(f.read_bytes()) > 1000  # rewritten whole


def test_key_follows_the_data_and_old_entries_are_pruned(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    data = tmp_path / "data.yaml"
    data.write_text("a: 1\n", encoding="utf-8")
    k1 = cache.digest(["v1"], [data])
    cache.save("thing", k1, {"a": 1})
    assert cache.load("thing", k1) == {"a": 1}
    data.write_text("a: 2\n", encoding="utf-8")
    k2 = cache.digest(["v1"], [data])
    assert k2 != k1 and cache.load("thing", k2) is None  # stale entry never read
    old = tmp_path / f"thing-{k1}.marshal"
    os.utime(old, (time.time() - 3 * 86400,) * 2)
    cache.save("thing", k2, {"a": 2})
    assert not old.exists() and cache.load("thing", k2) == {"a": 2}


def test_unwritable_cache_dir_only_means_building(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("KG_CACHE_DIR", str(blocker / "sub"))  # cannot be created
    cache.save("thing", "k", {"a": 1})
    assert cache.load("thing", "k") is None
    assert Gazetteer.load().resolve("市通信管理局", "上海市").name == "上海市通信管理局"


def test_a_pickle_others_can_write_is_not_loaded(tmp_path, monkeypatch):
    import os
    import pickle

    from kg import cache

    d = tmp_path / "c"
    d.mkdir()
    monkeypatch.setenv("KG_CACHE_DIR", str(d))
    cache._path("gazetteer", "k", "pickle").write_bytes(pickle.dumps({"a": 1}))
    os.chmod(d, 0o700)
    assert cache.load("gazetteer", "k", "pickle") == {"a": 1}
    os.chmod(d, 0o777)  # a directory anyone may write: a planted pickle would run code
    assert cache.load("gazetteer", "k", "pickle") is None
