"""The query layer: reads the store only (never the extractors)."""


def shared_labels(node: str, label: str, prop: str = "skos:prefLabel") -> str:
    """A SPARQL group giving the ``prop`` values (``label``) of ``node`` once each.

    Every document's graph states the labels of the shared nodes it uses (an agency, a document type, a class of
    actors), and the store's default graph is the union of those graphs: joining ``?node skos:prefLabel ?label``
    straight to what names the node gives one row per graph stating the label, for every row naming it — a join
    that grows with the square of the corpus (the document types at 10,000 documents: 42 s; bench/RESULTS.md).
    This group is evaluated once, distinct, and then joined."""
    return f"{{ SELECT DISTINCT {node} {label} WHERE {{ {node} {prop} {label} }} }}"
