"""政策知识图谱 — Chinese policy documents to an RDF knowledge graph."""

__version__ = "0.1.0"
