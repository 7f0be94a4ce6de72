"""Which store a command uses, by configuration: the embedded store, or a SPARQL 1.1 server.

``KG_SPARQL_ENDPOINT`` set (a query URL) → :class:`kg.store_sparql.SparqlStore` on that server
(credentials from ``KG_SPARQL_USER`` / ``KG_SPARQL_PASSWORD``; see kg/store_sparql.py and the README,
"Scale: a SPARQL server as the store"); otherwise the embedded on-disk store at ``settings.store_path``.
"""
from __future__ import annotations

from .config import Settings
from .store import GraphStore


def open_store(settings: Settings | None = None, env: dict[str, str] | None = None) -> GraphStore:
    """The configured store (a ``SparqlStore`` is a ``GraphStore`` with the same methods and guarantees)."""
    settings = settings or Settings.load()
    from .store_sparql import SparqlConfig

    try:
        cfg = SparqlConfig.from_env(env)
    except ValueError as e:
        from .errors import StoreError

        raise StoreError(str(e)) from None
    if cfg is None:
        return GraphStore(settings.store_path, settings.base_iri)
    from .store_sparql import SparqlStore

    return SparqlStore(cfg, settings.base_iri)
