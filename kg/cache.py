"""A small on-disk cache for data compiled from the ontology files (start-up is a load, not a build).

Entries live in ``KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/policy-kg`` (``~/.cache/policy-kg``), one file
per ``(kind, key)`` where ``key`` digests everything the entry is derived from (data files, the code
that derives it, library versions) — so a changed file gives a new key and a stale entry is never read.
Writes are atomic (a temporary file in the same directory, then ``os.replace``): a concurrent process
sees the old file or the whole new one.  A missing, truncated or unreadable entry is rebuilt; an
unwritable directory only means building in memory.  Entries of the same kind under other keys are
removed when they are a day old (another checkout may still use a recent one).  Nothing is written
into the package.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import marshal
import os
import pickle
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path
from typing import Iterable

log = logging.getLogger(__name__)
_STALE_S = 24 * 3600


@contextlib.contextmanager
def _gc_paused():
    """Decoding creates hundreds of thousands of objects; each collection meanwhile would walk them all."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def cache_dir() -> Path:
    """``KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/policy-kg`` (``~/.cache/policy-kg``)."""
    if os.environ.get("KG_CACHE_DIR"):
        return Path(os.environ["KG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "policy-kg"


def digest(parts: Iterable[str | bytes], files: Iterable[Path]) -> str:
    """A key over version strings and the bytes of files (a missing file counts as missing)."""
    h = hashlib.sha256(f"{sys.version_info[:2]}|{marshal.version}|{pickle.HIGHEST_PROTOCOL}".encode())
    for p in parts:
        h.update(b"|" + (p if isinstance(p, bytes) else p.encode()))
    for f in files:
        h.update(f.name.encode() + b"\0")
        try:
            h.update(f.read_bytes())
        except OSError:
            h.update(b"<missing>")
        h.update(b"\0")
    return h.hexdigest()[:20]


def _trusted(path: Path) -> bool:
    """The file and its directory belong to this user and nobody else may write them."""
    try:
        for p in (path, path.parent):
            st = p.stat()
            if st.st_uid != os.getuid() or st.st_mode & 0o022:
                log.warning("policy-kg cache %s is not this user's own (owner or permissions): ignored", p)
                return False
    except FileNotFoundError:
        return False
    except OSError:
        return False
    return True


def _path(kind: str, key: str, fmt: str) -> Path:
    return cache_dir() / f"{kind}-{key}.{fmt}"


def load(kind: str, key: str, fmt: str = "marshal"):
    """The entry, or None.  Read whole, then decoded with the garbage collector paused (decoding
    creates hundreds of thousands of objects; each collection would walk them all)."""
    return load_file(_path(kind, key, fmt), fmt)


def load_file(path: Path, fmt: str = "marshal"):
    """:func:`load` for a file elsewhere (e.g. beside a store): the same checks and decoding."""
    if fmt != "marshal" and not _trusted(path):
        return None  # a pickle runs code when loaded: only our own, unwritable by others
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as e:
        log.warning("policy-kg cache %s unreadable (%s); rebuilding", path, e)
        return None
    try:
        with _gc_paused():
            return marshal.loads(data) if fmt == "marshal" else pickle.loads(data)
    except Exception as e:  # corrupt, truncated, another Python's marshal, a renamed class …: rebuild
        log.warning("policy-kg cache %s unreadable (%s); rebuilding", path, e)
        return None


def save(kind: str, key: str, data, fmt: str = "marshal", *, only: bool = False) -> None:
    """Write an entry.  ``only``: it replaces every other entry of its kind at once (a kind per store whose
    entries are states of one store: an older state is never read again), else those are removed when a day
    old."""
    path = _path(kind, key, fmt)
    if save_file(path, data, fmt):
        _prune(kind, path, 0 if only else _STALE_S)


def save_file(path: Path, data, fmt: str = "marshal") -> bool:
    """Write ``data`` to ``path`` atomically; False (logged) when it cannot be written."""
    kind = path.name.split("-", 1)[0]
    try:
        if fmt == "bytes":
            blob = data
        else:
            blob = marshal.dumps(data) if fmt == "marshal" else pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{kind}-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(blob)
            os.replace(tmp, path)  # atomic: a concurrent reader sees the old file or the whole new one
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, ValueError, TypeError, pickle.PicklingError) as e:  # read-only home, full disk …
        log.info("policy-kg cache %s not written (%s)", path, e)
        return False
    return True


_SHARDS_MAGIC = b"KGSHARDS1\n"


def save_shards(kind: str, key: str, head, shards: dict, *, only: bool = False) -> None:
    """An entry read in parts (:func:`load_shards`): ``head`` is loaded whole, each value of ``shards`` (a
    string key → any picklable value) only when asked for.  One file: a header, the head and an index of the
    parts (offset, length, CRC-32 of each), then the parts; written like :func:`save` (atomic, pruned) under the
    name of a pickle entry (it is read under the same rules)."""
    path = _path(kind, key, "pickle")
    try:
        index: dict[str, tuple[int, int, int]] = {}
        blobs = []
        at = 0
        for k, v in shards.items():
            b = pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)
            index[k] = (at, len(b), zlib.crc32(b))
            blobs.append(b)
            at += len(b)
        top = pickle.dumps((head, index), protocol=pickle.HIGHEST_PROTOCOL)
        data = b"".join([_SHARDS_MAGIC, len(top).to_bytes(8, "little"), top, *blobs])
    except (ValueError, TypeError, pickle.PicklingError) as e:
        log.info("policy-kg cache %s not written (%s)", path, e)
        return
    if save_file(path, data, "bytes"):
        _prune(kind, path, 0 if only else _STALE_S)


class Shards:
    """The parts of a :func:`save_shards` entry, read on demand from the file it was loaded from (an open file
    handle: a later ``os.replace`` by another process does not change what this one reads)."""

    def __init__(self, f, base: int, index: dict) -> None:
        self._f, self._base, self._index = f, base, index
        self._lock = threading.Lock()

    def __contains__(self, key: str) -> bool:
        return key in self._index

    def get(self, key: str):
        """The part, None when there is none under ``key``; raises :class:`Corrupt` when it cannot be read."""
        where = self._index.get(key)
        if where is None:
            return None
        off, n, crc = where
        with self._lock:
            try:
                data = os.pread(self._f.fileno(), n, self._base + off)
            except (OSError, ValueError) as e:
                raise Corrupt(str(e)) from e
        if len(data) != n or zlib.crc32(data) != crc:
            raise Corrupt(f"part {key!r} truncated or changed")
        try:
            with _gc_paused():
                return pickle.loads(data)
        except Exception as e:
            raise Corrupt(f"part {key!r} unreadable ({e})") from e


class Corrupt(Exception):
    """A part of a :func:`save_shards` entry could not be read (the entry is removed: the next process rebuilds)."""


def load_shards(kind: str, key: str):
    """``(head, Shards)`` of a :func:`save_shards` entry, or None (missing, corrupt, not this user's own)."""
    path = _path(kind, key, "pickle")
    if not _trusted(path):
        return None
    try:
        f = open(path, "rb")
    except OSError:
        return None
    try:
        magic = f.read(len(_SHARDS_MAGIC))
        n = int.from_bytes(f.read(8), "little")
        top = f.read(n)
        if magic != _SHARDS_MAGIC or len(top) != n:
            raise ValueError("not a complete entry")
        with _gc_paused():
            head, index = pickle.loads(top)
    except Exception as e:  # corrupt, truncated, a renamed class …: rebuild
        log.warning("policy-kg cache %s unreadable (%s); rebuilding", path, e)
        f.close()
        return None
    return head, Shards(f, len(_SHARDS_MAGIC) + 8 + n, index)


def drop_shards(kind: str, key: str) -> None:
    """Remove a :func:`save_shards` entry (one of its parts was found corrupt)."""
    _path(kind, key, "pickle").unlink(missing_ok=True)


def _prune(kind: str, keep: Path, age: float = _STALE_S) -> None:
    now = time.time()
    try:
        for p in keep.parent.glob(f"{kind}-*"):
            if p != keep and now - p.stat().st_mtime >= age:
                p.unlink(missing_ok=True)
    except OSError:
        pass


__all__ = ["cache_dir", "digest", "load", "save", "load_file", "save_file", "save_shards", "load_shards", "drop_shards",
           "Shards", "Corrupt"]
