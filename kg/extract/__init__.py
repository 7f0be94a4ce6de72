"""Extractors: each is a function from text (with offsets) plus document context to typed annotations."""
