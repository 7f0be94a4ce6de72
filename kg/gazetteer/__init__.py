"""Agency gazetteer: canonical bodies, places, local-government templates, actor classes, and the
grammar of organisation names for the bodies it does not list.

Data lives in ``kg/ontology/agencies.yaml``, ``places.yaml``, ``actor_classes.yaml`` and
``org_grammar.yaml``; this package compiles it once (``default_gazetteer()`` is cached) and answers:

* ``resolve(mention, jurisdiction)`` — which body (or class of actors) a mention names;
* ``place_prefix(text)`` / ``place(name)`` — which place a title or name starts with;
* ``find_mentions(text, jurisdiction)`` — character-level longest-match scan for every mention;
* ``find_orgs(text, jurisdiction, starts)`` — organisation names the grammar reads, listed or not.

Local bodies are not listed one by one: a *template* (通信管理局, 发展和改革委员会 …) is instantiated for
every place whose level it fits, so ``上海市通信管理局`` and ``广东省工业和信息化厅`` are known, and
relative names (``市通信管理局``, ``省工信厅``) are resolved against the document's jurisdiction.
Places that are not in places.yaml still work with an explicit full name (``汕头市数据局``) through
an ad-hoc place whose level is read from its suffix.  A body nobody listed (``华谊集团``,
``市大数据中心``) is still found by the name grammar, typed by its head and kept with a lower
confidence: the gazetteer confirms and canonicalises, it does not gatekeep.

Modules: :mod:`.model` (data types), :mod:`.loading` (YAML), :mod:`.index` (the compiled index and
listings), :mod:`.resolution`, :mod:`.scanning`, :mod:`.grammar` (organisation-name grammar).

>>> g = default_gazetteer()
>>> g.resolve("市通信管理局", "上海市").name
'上海市通信管理局'
>>> g.resolve("省工信厅", "广东省").name
'广东省工业和信息化厅'
>>> g.resolve("上海市数据局").id
'sh-data'
>>> [(m.resolution.name, m.resolution.org_type) for m in g.find_orgs("由华谊集团会同同济大学负责", "上海市", [1, 7])]
[('华谊集团', 'enterprise'), ('同济大学', 'institution')]
"""
from __future__ import annotations

import functools

from .grammar import ORG_SUFFIX, OrgGrammar, OrgSpan, org_type
from .index import Gazetteer
from .model import (ONTOLOGY_DIR, ActorClass, Agency, Mention, Place, Resolution, Template,
                    normalize, normalize_keep_space)


@functools.lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer built from ``kg/ontology`` (compiled once per process)."""
    return Gazetteer.load()


__all__ = ["ActorClass", "Agency", "Gazetteer", "Mention", "ORG_SUFFIX", "OrgGrammar", "OrgSpan", "Place",
           "Resolution", "Template", "default_gazetteer", "normalize", "normalize_keep_space", "org_type",
           "ONTOLOGY_DIR"]
