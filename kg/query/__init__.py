"""The query layer: reads the store only (never the extractors)."""
