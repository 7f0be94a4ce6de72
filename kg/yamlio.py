"""YAML data files of kg/ontology, read with libyaml's C loader when it is there (about 7× faster than
the pure-Python parser, which matters at start-up: a dozen files are read before the first document),
else with the pure-Python safe loader.  Both are *safe* loaders: no Python objects from data."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def loads_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 — a safe loader (CSafeLoader or SafeLoader)


def load_yaml(path: str | Path) -> Any:
    """The parsed content of a UTF-8 YAML file."""
    return loads_yaml(Path(path).read_text(encoding="utf-8"))
