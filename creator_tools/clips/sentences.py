"""Sentences from a transcript's words, with their edges put on the sound.

A sentence ends at a word with end punctuation (``. ? ! …``), at a comma, semicolon or colon
followed by a pause, or at any long pause. Whisper's word times are often a few tenths of a
second off at a sentence's edges; the source's level curve (10 values a second) says where
the sound really stops and starts again, so each boundary is moved onto the quiet between
the two sentences when there is one. A clip made of whole sentences then starts and ends on
silence, never inside a word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from creator_tools.captions.transcript import Word

#: A comma (or ``;``, ``:``) ends a sentence when this much quiet follows it, seconds.
CLAUSE_PAUSE = 0.3
#: Any pause this long ends a sentence, seconds.
LONG_PAUSE = 0.8
#: A sentence longer than this is split at its longest pause (seconds).
MAX_SENTENCE = 20.0
#: How far (seconds) a boundary may move from Whisper's word times onto the quiet.
REACH = 0.45
_END = (".", "?", "!", "…")
_CLAUSE = (",", ";", ":", "—", "-")


@dataclass(frozen=True, slots=True)
class Sentence:
    """Whole words from ``start`` to ``end`` (seconds, on the sound)."""

    start: float
    end: float
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def duration(self) -> float:
        return self.end - self.start


class Quiet:
    """Where a level curve (dBFS per bin, ``rate`` bins a second) is quiet.

    Quiet is below a threshold between the source's noise floor (10th percentile) and its
    speech level (95th percentile), a third of the way up, and at least 6 dB above the floor.
    """

    def __init__(self, audio_db: Sequence[float], rate: float) -> None:
        self.rate = rate
        db = np.asarray(audio_db, dtype=np.float64)
        self.db = db
        if db.size:
            floor, loud = np.percentile(db, 10), np.percentile(db, 95)
            self.threshold = max(floor + 6.0, floor + (loud - floor) / 3)
        else:
            self.threshold = 0.0
        self.quiet = db < self.threshold
        #: Whether there is a level curve at all.
        self.known = bool(db.size)

    def runs(self, a: float, b: float) -> list[tuple[float, float]]:
        """Quiet stretches ``(start, end)`` (bin edges, seconds) that overlap ``[a, b]``."""
        if not self.quiet.size:
            return []
        i = max(0, int(np.floor(a * self.rate)))
        j = min(self.quiet.size, int(np.ceil(b * self.rate)))
        out = []
        k = i
        while k < j:
            if not self.quiet[k]:
                k += 1
                continue
            lo = k
            while lo > 0 and self.quiet[lo - 1]:
                lo -= 1
            hi = k
            while hi < self.quiet.size and self.quiet[hi]:
                hi += 1
            out.append((lo / self.rate, hi / self.rate))
            k = hi
        return out

    def gap(self, a: Word, b: Word) -> tuple[float, float] | None:
        """The longest quiet stretch between word ``a`` and the next word ``b`` (Whisper's
        times, trusted to :data:`REACH` seconds and never past either word's other edge);
        ``None``: no quiet between them."""
        lo = max(a.start, a.end - REACH)
        hi = min(b.end, b.start + REACH)
        runs = [(max(r[0], lo), min(r[1], hi)) for r in self.runs(lo, hi)]
        runs = [r for r in runs if r[1] > r[0]]
        if not runs:
            return None
        mid = (a.end + b.start) / 2
        return max(runs, key=lambda r: (r[1] - r[0], -abs((r[0] + r[1]) / 2 - mid)))


def split_sentences(words: Sequence[Word], quiet: Quiet) -> list[Sentence]:
    """The sentences of ``words`` (in time order), their edges on the quiet around them."""
    words = [w for w in words if w.text.strip()]
    if not words:
        return []
    groups: list[list[Word]] = [[]]
    gaps: list[tuple[float, float]] = []  # (end of one sentence, start of the next)
    for w, nxt in zip(words, [*words[1:], None], strict=True):
        groups[-1].append(w)
        if nxt is None:
            break
        q = quiet.gap(w, nxt)
        # Whisper's own gaps between words say little: trust the sound when it is known.
        pause = (q[1] - q[0]) if q else 0.0 if quiet.known else max(0.0, nxt.start - w.end)
        pause = round(pause, 6)  # three 0.1 s bins of quiet are 0.3 s, not 0.29999999
        text = w.text.rstrip("\"')]”’")
        if (text.endswith(_END) or (text.endswith(_CLAUSE) and pause >= CLAUSE_PAUSE)
                or pause >= LONG_PAUSE):
            gaps.append(q if q else _between(w.end, nxt.start))
            groups.append([])
    groups = [g for g in groups if g]
    first = _onset(quiet, groups[0][0].start)
    last = _offset(quiet, groups[-1][-1].end)
    edges = [first, *[x for g in gaps for x in g], last]
    out = [Sentence(edges[2 * k], max(edges[2 * k + 1], edges[2 * k] + 0.05), tuple(g))
           for k, g in enumerate(groups)]
    return [piece for s in out for piece in _split_long(s, quiet)]


def _between(end: float, start: float) -> tuple[float, float]:
    """Whisper's own gap between two words (their midpoint when they overlap)."""
    if start >= end:
        return end, start
    mid = (end + start) / 2
    return mid, mid


def _onset(quiet: Quiet, start: float) -> float:
    """Where the sound starts before a first word that Whisper put at ``start``: the end of
    the quiet it lies in or follows, within :data:`REACH`."""
    runs = [r for r in quiet.runs(start - REACH, start + REACH)
            if r[0] <= start and start - REACH <= r[1] <= start + REACH]
    return runs[-1][1] if runs else start


def _offset(quiet: Quiet, end: float) -> float:
    """Where the sound stops after a last word that Whisper ended at ``end``: the start of the
    quiet it lies in or precedes, within :data:`REACH`."""
    runs = [r for r in quiet.runs(end - REACH, end + REACH)
            if r[1] >= end and end - REACH <= r[0] <= end + REACH]
    return runs[0][0] if runs else end


def _split_long(s: Sentence, quiet: Quiet) -> list[Sentence]:
    """``s``, or its halves at its longest pause between words when it runs over
    :data:`MAX_SENTENCE` seconds."""
    if s.duration <= MAX_SENTENCE or len(s.words) < 2:
        return [s]

    def pause(k: int) -> float:
        q = quiet.gap(s.words[k], s.words[k + 1])
        return (q[1] - q[0]) if q else 0.0 if quiet.known else \
            s.words[k + 1].start - s.words[k].end

    k = max(range(len(s.words) - 1), key=pause)
    q = quiet.gap(s.words[k], s.words[k + 1]) or _between(s.words[k].end,
                                                           s.words[k + 1].start)
    a = Sentence(s.start, max(q[0], s.start + 0.05), s.words[: k + 1])
    b = Sentence(min(q[1], s.end - 0.05), s.end, s.words[k + 1 :])
    return [*_split_long(a, quiet), *_split_long(b, quiet)]
