"""Text that remembers where every character came from.

A :class:`MappedText` is a string plus, for each character, the ``[start, end)`` range of the
original decoded file it stands for.  Every cleaning step builds a new ``MappedText`` from an old
one with a :class:`Builder`, so after any number of steps a span of the cleaned text maps back to a
span of the source (``source_span``).  Inserted characters (a line break put in front of a heading
that ran into a paragraph) map to an empty range at the place they were inserted.

The *compact view* (``compact()``) drops whitespace so that ``5G 基站`` and ``5G基站`` match the
same patterns, while the display text keeps its spaces; its offsets map back the same way.
"""
from __future__ import annotations

import bisect
import functools
import re
from array import array
from dataclasses import dataclass

# Offsets are kept in compact machine-integer arrays, not tuples of Python ints: a tuple costs
# 8 bytes a slot plus 28–32 bytes per distinct int object, so a 5 MB file's two offset tuples (one
# per character, redone by every cleaning step) took hundreds of MB.  ``array('q')`` takes 8 bytes.
_TYPECODE = "q"


def _offsets(values=()) -> array:
    return array(_TYPECODE, values)


@dataclass(frozen=True)
class MappedText:
    text: str
    starts: array  # of int, one per character (a sequence: index, slice, len, bisect)
    ends: array

    __hash__ = None  # type: ignore[assignment]  # arrays are mutable; a MappedText is never a key

    @classmethod
    def from_source(cls, text: str, base: int = 0) -> "MappedText":
        n = len(text)
        return cls(text, _offsets(range(base, base + n)), _offsets(range(base + 1, base + n + 1)))

    def __len__(self) -> int:
        return len(self.text)

    def __str__(self) -> str:
        return self.text

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map ``[start, end)`` of this text to ``[start, end)`` of the source."""
        if not self.text:
            return (0, 0)
        start = max(0, min(start, len(self.text)))
        end = max(start, min(end, len(self.text)))
        if start == end:
            pos = self.starts[start] if start < len(self.starts) else self.ends[-1]
            return (pos, pos)
        return (self.starts[start], max(self.ends[end - 1], self.starts[start]))

    def slice(self, start: int, end: int) -> "MappedText":
        return MappedText(self.text[start:end], self.starts[start:end], self.ends[start:end])

    def index_of_source(self, src: int) -> int:
        """The first character of this text whose source position is at or after ``src``."""
        return bisect.bisect_left(self.starts, src)

    def strip_span(self, start: int, end: int) -> tuple[int, int]:
        """Shrink ``[start, end)`` so it neither starts nor ends with whitespace."""
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return start, end

    def compact(self) -> "CompactView":
        return CompactView.of(self)


class Builder:
    """Accumulates pieces of a new :class:`MappedText`."""

    def __init__(self) -> None:
        self._chars: list[str] = []
        self._starts = _offsets()
        self._ends = _offsets()

    def keep(self, mt: MappedText, start: int, end: int) -> None:
        self._chars.append(mt.text[start:end])
        self._starts.extend(mt.starts[start:end])
        self._ends.extend(mt.ends[start:end])

    def replace(self, mt: MappedText, start: int, end: int, new: str) -> None:
        """Put ``new`` in place of ``mt[start:end]``; every new character maps to the whole old span."""
        if not new:
            return
        if start < end:
            s, e = mt.starts[start], mt.ends[end - 1]
        else:
            s = e = mt.starts[start] if start < len(mt.starts) else (mt.ends[-1] if mt.ends else 0)
        self._chars.append(new)
        self._starts.extend(_offsets([s]) * len(new))
        self._ends.extend(_offsets([e]) * len(new))

    def insert(self, new: str, at_source: int) -> None:
        self._chars.append(new)
        self._starts.extend(_offsets([at_source]) * len(new))
        self._ends.extend(_offsets([at_source]) * len(new))

    def build(self) -> MappedText:
        return MappedText("".join(self._chars), self._starts, self._ends)


def substitute(mt: MappedText, pattern: re.Pattern[str], repl) -> tuple[MappedText, list[tuple[int, int, str, str]]]:
    """``re.sub`` on a MappedText. ``repl`` is a string or a function of the match.

    Returns the new text and the list of changes as ``(src_start, src_end, before, after)``.
    """
    b = Builder()
    changes: list[tuple[int, int, str, str]] = []
    pos = 0
    for m in pattern.finditer(mt.text):
        new = repl(m) if callable(repl) else m.expand(repl)
        if new == m.group(0):
            continue
        b.keep(mt, pos, m.start())
        b.replace(mt, m.start(), m.end(), new)
        s, e = mt.source_span(m.start(), m.end())
        changes.append((s, e, m.group(0), new))
        pos = m.end()
    b.keep(mt, pos, len(mt.text))
    return b.build(), changes


_WS = re.compile(r"[ \t\u3000\u00a0\r\n]+")


@dataclass(frozen=True)
class CompactView:
    """``text`` without whitespace; ``to_full[i]`` is the index in the full text of compact char ``i``."""

    full: MappedText
    text: str
    to_full: array  # of int

    __hash__ = None  # type: ignore[assignment]

    @classmethod
    def of(cls, mt: MappedText) -> "CompactView":
        chars: list[str] = []
        idx = _offsets()
        for i, ch in enumerate(mt.text):
            if ch in " \t\u3000\u00a0\r\n":
                continue
            chars.append(ch)
            idx.append(i)
        return cls(mt, "".join(chars), idx)

    def full_span(self, start: int, end: int) -> tuple[int, int]:
        if start >= end:
            p = self.to_full[start] if start < len(self.to_full) else len(self.full.text)
            return (p, p)
        return (self.to_full[start], self.to_full[end - 1] + 1)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        return self.full.source_span(*self.full_span(start, end))


def compact_str(s: str) -> str:
    """``s`` without any whitespace (for matching)."""
    return _WS.sub("", s)


# ---------------------------------------------------------------------------------------------
# The one normalisation the extractors share (numbers, targets, deadlines, parties): whitespace that
# conversion put next to CJK text or between a number and its unit is dropped, full-width digits and
# number signs are folded to ASCII, and every kept character remembers its offset in the paragraph.
# ---------------------------------------------------------------------------------------------

# Fullwidth digits and signs → ASCII, one character for one character (offsets are unchanged).
FULLWIDTH_FOLD = str.maketrans("０１２３４５６７８９．％，～－＋", "0123456789.%,~-+")
RANGE_DASHES = "-–—~～"


@dataclass(frozen=True)
class Compact:
    """``text`` with conversion whitespace removed; ``orig[i]`` is the offset of ``text[i]``."""

    text: str
    orig: tuple[int, ...]
    length: int  # length of the original text

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a compact ``[start, end)`` back to the original text."""
        if start >= len(self.orig):
            return self.length, self.length
        s = self.orig[start]
        e = self.orig[end - 1] + 1 if end > start else s
        return s, e

    def to_compact(self, original_offset: int) -> int:
        """First compact index whose original offset is >= ``original_offset``."""
        return bisect.bisect_left(self.orig, original_offset)


def _is_cjk(ch: str) -> bool:
    return not ch.isascii()


def compact(text: str) -> Compact:
    """Drop whitespace that conversion put next to CJK text or between a number and its unit.

    The last few texts' results are kept (a :class:`Compact` is immutable): the deadline, target,
    number and party extractors each ask for the same paragraph in turn."""
    return _recent_compact(text) if type(text) is str else _compact(text)


@functools.lru_cache(maxsize=8)
def _recent_compact(text: str) -> Compact:
    return _compact(text)


_COMPACT_SPACES = re.compile("[ \u3000\u00a0]")


def _compact(text: str) -> Compact:
    t = text.translate(FULLWIDTH_FOLD)
    if _COMPACT_SPACES.search(t) is None:  # nothing to drop: every character kept where it is
        return Compact(t, tuple(range(len(t))), len(text))
    chars: list[str] = []
    orig: list[int] = []
    i, n = 0, len(t)
    while i < n:
        ch = t[i]
        if ch in " \u3000\u00a0":
            j = i
            while j < n and t[j] in " \u3000\u00a0":
                j += 1
            left = chars[-1] if chars else ""
            right = t[j] if j < n else ""
            drop = (
                not left
                or not right
                or _is_cjk(left)
                or _is_cjk(right)
                or (left.isdigit() and right.isalpha())
                or (left.isdigit() and right == "%")
                # 20 - 100: spaces around a range dash between digits (not "- 5", a bullet)
                or (left.isdigit() and right in RANGE_DASHES)
                or (left in RANGE_DASHES and right.isdigit() and len(chars) >= 2 and chars[-2].isdigit())
            )
            if not drop:
                for k in range(i, j):
                    chars.append(t[k])
                    orig.append(k)
            i = j
            continue
        chars.append(ch)
        orig.append(i)
        i += 1
    return Compact("".join(chars), tuple(orig), len(text))


# ---------------------------------------------------------------------------------------------
# A cheap necessary condition for a regex to match: characters any match must contain.
# ---------------------------------------------------------------------------------------------

def required_chars(regex: re.Pattern) -> tuple[frozenset[str], ...]:
    """Sets of characters such that every non-empty match of ``regex`` contains at least one character
    of each set — read from the pattern's parse tree: its mandatory literals and character classes
    (of a branch, the union of what each alternative needs).  Sound, not complete: what cannot be
    told for sure (case-insensitive parts, negated classes, categories such as ``\\d``, optional or
    look-around parts) asks for nothing.  ``()`` when nothing can be said."""
    return _required_chars(regex.pattern, regex.flags)


def may_match(regex: re.Pattern, chars: str | set[str] | frozenset[str]) -> bool:
    """False only when ``regex`` cannot match a non-empty span of a text whose characters are ``chars``
    (the text, or better the set of its characters when several patterns are tried on one text):
    see :func:`required_chars`."""
    req = _REQUIRED.get(regex)
    if req is None:
        req = _REQUIRED[regex] = _required_chars(regex.pattern, regex.flags)
    for s in req:
        if s.isdisjoint(chars):
            return False
    return True


_REQUIRED: dict[re.Pattern, tuple[frozenset[str], ...]] = {}


@functools.lru_cache(maxsize=512)
def _required_chars(pattern, flags: int) -> tuple[frozenset[str], ...]:
    if not isinstance(pattern, str) or flags & re.IGNORECASE:
        return ()
    try:
        from re import _parser as sre_parse  # Python 3.11+
    except ImportError:  # pragma: no cover
        import sre_parse  # type: ignore[no-redef]
    try:
        needs = _needs(sre_parse.parse(pattern, flags), sre_parse)
    except Exception:  # noqa: BLE001 - an unexpected parse tree: no shortcut, never a wrong one
        return ()
    return tuple(sorted(set(needs), key=len))


def _class_chars(items, c) -> frozenset[str] | None:
    out: set[str] = set()
    for op, av in items:
        if op is c.LITERAL:
            out.add(chr(av))
        elif op is c.RANGE and av[1] - av[0] < 4096:
            out.update(chr(x) for x in range(av[0], av[1] + 1))
        else:  # NEGATE, CATEGORY, a huge range
            return None
    return frozenset(out)


def _needs(sub, sp) -> list[frozenset[str]]:
    """Of a parsed sequence: one set of characters per mandatory item that names them."""
    c = sp  # the opcodes live on the parser module (re._constants, re-exported)
    out: list[frozenset[str]] = []
    for op, av in sub:
        if op is c.LITERAL:
            out.append(frozenset(chr(av)))
        elif op is c.IN:
            s = _class_chars(av, c)
            if s is not None:
                out.append(s)
        elif op is c.SUBPATTERN:
            _group, add_flags, _del_flags, p = av
            if not add_flags & c.SRE_FLAG_IGNORECASE:
                out.extend(_needs(p, sp))
        elif op is getattr(c, "ATOMIC_GROUP", None):
            out.extend(_needs(av, sp))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)):
            lo, _hi, item = av
            if lo >= 1:
                out.extend(_needs(item, sp))
        elif op is c.BRANCH:
            union: set[str] = set()
            for alt in av[1]:
                alt_needs = _needs(alt, sp)
                if not alt_needs:
                    union = set()
                    break
                union |= min(alt_needs, key=len)
            if union:
                out.append(frozenset(union))
        # AT, ANY, NOT_LITERAL, ASSERT, ASSERT_NOT, GROUPREF, GROUPREF_EXISTS, CATEGORY: nothing required
    return out
