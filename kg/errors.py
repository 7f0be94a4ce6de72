"""Typed errors. Each carries the file it concerns and a reason a person can act on.

The CLI and the app decide how to show them; nothing below them prints.
"""
from __future__ import annotations


class KGError(Exception):
    """Base class of every error this package raises on purpose."""

    code = "KG000"

    def __init__(self, reason: str, *, path: str | None = None) -> None:
        self.reason = reason
        self.path = path
        super().__init__(f"{path}: {reason}" if path else reason)


class UnsupportedFormat(KGError):
    code = "KG001"


class UnreadableFile(KGError):
    code = "KG002"


class EmptyDocument(KGError):
    code = "KG003"


class FileTooLarge(UnreadableFile):
    """Above the size limit (``KG_MAX_FILE_MB`` / ``kg build --max-size``); refused before decoding."""

    code = "KG005"


class NoStructure(KGError):
    code = "KG004"


class StoreLocked(KGError):
    code = "KG010"


class StoreError(KGError):
    code = "KG011"


class QueryRefused(KGError):
    code = "KG020"


class DocumentNotFound(KGError):
    code = "KG030"

    def __init__(self, reason: str, *, candidates: list[str] | None = None) -> None:
        super().__init__(reason)
        self.candidates = candidates or []
