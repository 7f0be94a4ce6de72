"""Loading: the three YAML files of ``kg/ontology`` read into the gazetteer's data types."""
from __future__ import annotations

from pathlib import Path

from kg.yamlio import load_yaml

from .model import ONTOLOGY_DIR, ActorClass, Agency, Place, Template, _derived


def load_parts(path: str | Path | None = None) -> tuple[list[Agency], list[Template], list[Place], list[ActorClass]]:
    """(agencies, templates, places, classes) from an ontology directory (default ``kg/ontology``)."""
    base = Path(path) if path else ONTOLOGY_DIR
    if base.is_file():
        base = base.parent
    ag = load_yaml((base / "agencies.yaml")) or {}
    pl = load_yaml((base / "places.yaml")) or {}
    cl = load_yaml((base / "actor_classes.yaml")) or {}
    agencies = [
        Agency(id=str(d["id"]), name=d["name"], level=d["level"], jurisdiction=d["jurisdiction"],
               aliases=tuple(d.get("aliases") or ()), type=d.get("type"), parent=d.get("parent"))
        for d in ag.get("agencies") or []
    ]
    agencies = _with_general_offices(agencies)
    templates = [
        Template(id=str(d["id"]), name=d["name"], levels=tuple(d["levels"]),
                 aliases=tuple(d.get("aliases") or ()), name_format=d.get("name_format"),
                 alias_formats=tuple(d.get("alias_formats") or ()), type=d.get("type"),
                 relative=bool(d.get("relative", True)), parent=d.get("parent"),
                 parent_template=d.get("parent_template"), list_body=tuple(d.get("list_body") or ()),
                 variants=tuple((v["name"], tuple(v.get("aliases") or ())) for v in d.get("variants") or []))
        for d in ag.get("templates") or []
    ]
    places = [
        Place(id=str(d["id"]), name=d["name"], level=d["level"], kind=d["kind"],
              short=tuple(d.get("short") or ()), abbr=tuple(d.get("abbr") or ()), parent=d.get("parent"),
              names=tuple((str(k), str(v)) for k, v in (d.get("names") or {}).items()),
              same_as=tuple((str(k), str(v)) for k, v in (d.get("same_as") or {}).items()))
        for d in pl.get("places") or []
    ]
    classes = [ActorClass(id=str(d["id"]), label=d["label"], aliases=tuple(d.get("aliases") or ()),
                          government=bool(d.get("government", False)))
               for d in cl.get("classes") or []]
    classes = _with_qualified_aliases(classes, tuple(cl.get("each_qualifiers") or ()))
    _check_unique([a.id for a in agencies] + [t.id for t in templates], "agency/template id")
    _check_unique([p.id for p in places], "place id")
    _check_unique([c.id for c in classes], "class id")
    return agencies, templates, places, classes


def _with_general_offices(agencies: list[Agency]) -> list[Agency]:
    """Every national ministry, commission and administration (总局) gets a ``<name>办公厅`` entry unless one is
    listed (国家市场监督管理总局办公厅 co-issues like 商务部办公厅)."""
    names = {a.name for a in agencies}
    ids = {a.id for a in agencies}
    out = list(agencies)
    for a in agencies:
        if a.level != "national" or a.type not in ("ministry", "commission", "administration"):
            continue
        name = a.name + "办公厅"
        aid = a.id + "-general-office"
        if name in names or aid in ids:
            continue
        aliases = tuple(al + "办公厅" for al in (*a.aliases, *_derived(a.name)) if not al.startswith("中华人民共和国"))
        out.append(Agency(id=aid, name=name, level="national", jurisdiction=a.jurisdiction, aliases=aliases,
                          type="office", parent=a.id))
    return out


def _with_qualified_aliases(classes: list[ActorClass], qualifiers: tuple[str, ...]) -> list[ActorClass]:
    """A class of government bodies named with 各 is the same class with a qualifier after 各 (actor_classes.yaml
    ``each_qualifiers``: 各市州人民政府 → 各相关市州人民政府, 各有关市州人民政府): those aliases are added, unless a class
    already has the name."""
    taken = {n for c in classes for n in (c.label, *c.aliases)}
    out = []
    for c in classes:
        extra: list[str] = []
        if c.government:
            for n in (c.label, *c.aliases):
                if not n.startswith("各") or n[1:].startswith(qualifiers):
                    continue
                for q in qualifiers:
                    v = "各" + q + n[1:]
                    if v not in taken:
                        taken.add(v)
                        extra.append(v)
        out.append(ActorClass(id=c.id, label=c.label, aliases=c.aliases + tuple(extra), government=c.government)
                   if extra else c)
    return out


def _check_unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"duplicate {what}: {i}")
        seen.add(i)
