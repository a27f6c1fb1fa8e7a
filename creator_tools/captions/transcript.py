"""A transcript with word times, and its subtitle files (SRT, WebVTT, JSON).

Times are seconds on the clip's timeline, rounded to milliseconds in files. Cues for SRT and
VTT are built from the words: at most :data:`MAX_LINES` lines of :data:`MAX_CHARS` characters
and :data:`MAX_CUE_SECONDS` seconds each (the usual broadcast and Netflix-style limits), cut
after a sentence end once a cue has been up for a second.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: Version of :meth:`Transcript.to_dict`'s layout (and of cached transcripts).
FORMAT_VERSION = 1
#: Characters per subtitle line.
MAX_CHARS = 42
#: Lines per subtitle cue.
MAX_LINES = 2
#: Longest time a cue stays up, seconds.
MAX_CUE_SECONDS = 7.0
#: A sentence end closes a cue that has been up at least this long, seconds.
MIN_CUE_SECONDS = 1.0
_SENTENCE_END = (".", "?", "!", "…")


def _r(t: float) -> float:
    return round(float(t), 3)


@dataclass(frozen=True, slots=True)
class Word:
    """One spoken word: ``text`` with its punctuation attached, start and end in seconds, and
    the recogniser's ``probability`` (0..1)."""

    start: float
    end: float
    text: str
    probability: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {"start": _r(self.start), "end": _r(self.end), "text": self.text,
                "probability": round(float(self.probability), 3)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Word:
        return cls(float(d["start"]), float(d["end"]), str(d["text"]),
                   float(d.get("probability", 1.0)))


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of speech (about a sentence) and its words."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"start": _r(self.start), "end": _r(self.end), "text": self.text,
                "words": [w.to_dict() for w in self.words]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Segment:
        return cls(float(d["start"]), float(d["end"]), str(d["text"]),
                   tuple(Word.from_dict(w) for w in d.get("words", ())))


@dataclass(frozen=True, slots=True)
class Cue:
    """One subtitle: shown from ``start`` to ``end``, ``lines`` of text."""

    start: float
    end: float
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Transcript:
    """What was said in a clip.

    ``language`` is the two-letter code used or detected, ``duration`` the audio's length in
    seconds, ``model`` the speech model that made it.
    """

    language: str
    duration: float
    segments: tuple[Segment, ...]
    model: str = ""

    @property
    def words(self) -> tuple[Word, ...]:
        """Every word in order."""
        return tuple(w for s in self.segments for w in s.words)

    @property
    def text(self) -> str:
        """The whole text, segments joined by spaces."""
        return " ".join(s.text for s in self.segments if s.text)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (documented in ``docs/json-output.md``)."""
        return {"version": FORMAT_VERSION, "language": self.language,
                "duration": _r(self.duration), "model": self.model, "text": self.text,
                "segments": [s.to_dict() for s in self.segments]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Transcript:
        """Read :meth:`to_dict`'s form back (``KeyError``/``TypeError``/``ValueError`` when it
        is not one)."""
        return cls(str(d["language"]), float(d["duration"]),
                   tuple(Segment.from_dict(s) for s in d["segments"]), str(d.get("model", "")))

    def cues(self, *, max_chars: int = MAX_CHARS, max_lines: int = MAX_LINES,
             max_seconds: float = MAX_CUE_SECONDS) -> list[Cue]:
        """Subtitle cues of at most ``max_lines`` lines of ``max_chars`` and ``max_seconds``."""
        out: list[Cue] = []
        for seg in self.segments:
            words = seg.words or _spread(seg)
            out += make_cues(words, max_chars=max_chars, max_lines=max_lines,
                             max_seconds=max_seconds)
        return out

    def to_srt(self, **limits: Any) -> str:
        """The transcript as SubRip (``.srt``): numbered cues, ``HH:MM:SS,mmm`` times."""
        blocks = [f"{i}\n{_stamp(c.start, ',')} --> {_stamp(c.end, ',')}\n"
                  + "\n".join(ln.replace("-->", "->") for ln in c.lines) + "\n"
                  for i, c in enumerate(self.cues(**limits), 1)]
        return "\n".join(blocks)

    def to_vtt(self, **limits: Any) -> str:
        """The transcript as WebVTT (``.vtt``): ``HH:MM:SS.mmm`` times, text escaped."""
        blocks = ["WEBVTT\n"]
        blocks += [f"{_stamp(c.start, '.')} --> {_stamp(c.end, '.')}\n"
                   + "\n".join(_vtt_escape(ln) for ln in c.lines) + "\n"
                   for c in self.cues(**limits)]
        return "\n".join(blocks)


def make_cues(words: Sequence[Word], *, max_chars: int = MAX_CHARS, max_lines: int = MAX_LINES,
              max_seconds: float = MAX_CUE_SECONDS) -> list[Cue]:
    """Group ``words`` into cues that fit ``max_lines`` lines of ``max_chars`` characters and
    last at most ``max_seconds``; a sentence end closes a cue up for :data:`MIN_CUE_SECONDS`.

    A single word longer than a line gets a cue (and a line) of its own.
    """
    cues: list[Cue] = []
    group: list[Word] = []

    def flush() -> None:
        if group:
            lines = wrap(" ".join(w.text for w in group), max_chars)
            end = max(group[-1].end, group[0].start + 0.001)
            cues.append(Cue(group[0].start, end, tuple(lines)))
            group.clear()

    for w in words:
        if not w.text:
            continue
        if group:
            text = " ".join(x.text for x in (*group, w))
            if (len(wrap(text, max_chars)) > max_lines
                    or w.end - group[0].start > max_seconds):
                flush()
        group.append(w)
        if (w.text.endswith(_SENTENCE_END) and w.end - group[0].start >= MIN_CUE_SECONDS):
            flush()
    flush()
    return cues


def wrap(text: str, max_chars: int = MAX_CHARS) -> list[str]:
    """Break ``text`` at spaces into the fewest lines of at most ``max_chars`` characters,
    as even as possible (a word longer than a line stays whole)."""
    words = text.split()
    if not words:
        return []
    lines: list[str] = []
    for w in words:  # greedy: the fewest lines
        if lines and len(lines[-1]) + 1 + len(w) <= max_chars:
            lines[-1] += " " + w
        else:
            lines.append(w)
    if len(lines) == 2:  # balance two lines: the break with the shortest longer line
        best = min(range(1, len(words)),
                   key=lambda k: max(len(" ".join(words[:k])), len(" ".join(words[k:]))))
        a, b = " ".join(words[:best]), " ".join(words[best:])
        if max(len(a), len(b)) <= max_chars:
            lines = [a, b]
    return lines


def _spread(seg: Segment) -> tuple[Word, ...]:
    """Words for a segment without word times: its span shared out by character count."""
    parts = seg.text.split()
    total = sum(len(p) + 1 for p in parts) or 1
    out, t = [], seg.start
    for p in parts:
        d = (seg.end - seg.start) * (len(p) + 1) / total
        out.append(Word(t, t + d, p))
        t += d
    return tuple(out)


def _stamp(t: float, sep: str) -> str:
    ms = max(0, round(t * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _vtt_escape(line: str) -> str:
    return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")



def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word error rate: word-level Levenshtein distance (substitutions, deletions,
    insertions) over the reference's word count, after lower-casing and dropping
    punctuation."""

    def norm(t: str) -> list[str]:
        t = re.sub(r"[^a-z0-9' ]+", " ", t.lower().replace("’", "'"))
        return [w.strip("'") for w in t.split() if w.strip("'")]

    ref, hyp = norm(reference), norm(hypothesis)
    d = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, d[0] = d[0], i
        for j, h in enumerate(hyp, 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (r != h))
    return d[len(hyp)] / max(1, len(ref))
