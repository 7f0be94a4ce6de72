"""Cross-document facts (reference → document links) live in their own named graph and are
recomputed after every build, so they stay right when any document is added, changed or removed."""
from __future__ import annotations

from .store import GraphStore


def update_links(store: GraphStore) -> None:
    """Recompute the links graph. (References are resolved here once the reference extractor feeds
    the document graphs; until then the graph holds nothing and this is a no-op replace.)"""
    store.replace_graph(store.iris.links_graph, [])
