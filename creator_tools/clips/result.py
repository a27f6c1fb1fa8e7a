"""What ``creator clips`` finds: ranked clips of one source, as data and as its JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from creator_tools.captions.transcript import Transcript, Word


def _r(x: float) -> float:
    return round(float(x), 3)


@dataclass(slots=True)
class Clip:
    """One clip: ``start``/``end`` in seconds of the source, its ``score`` (0..100) and the
    ``parts`` it is made of (see :mod:`creator_tools.clips.score`), the ``reasons`` in words,
    a ``title`` and the ``hook`` (its first sentence) from its own words, and what is said in
    it (``transcript``). ``room`` is how far a render may reach into the pauses around it
    (seconds of the source) and ``words`` are its words with their times: neither is part of
    the JSON."""

    rank: int
    start: float
    end: float
    score: float
    title: str = ""
    hook: str = ""
    reasons: list[str] = field(default_factory=list)
    parts: dict[str, float] = field(default_factory=dict)
    transcript: str = ""
    room: tuple[float, float] | None = None
    words: tuple[Word, ...] = ()

    @property
    def duration(self) -> float:
        return self.end - self.start

    def to_dict(self) -> dict[str, Any]:
        """The clip's JSON object (documented in ``docs/clips.md``)."""
        return {"rank": self.rank, "start": _r(self.start), "end": _r(self.end),
                "duration": _r(self.duration), "score": round(self.score, 1),
                "title": self.title, "hook": self.hook, "reasons": list(self.reasons),
                "parts": {k: _r(v) for k, v in self.parts.items()},
                "transcript": self.transcript}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Clip:
        return cls(int(d["rank"]), float(d["start"]), float(d["end"]), float(d["score"]),
                   str(d.get("title", "")), str(d.get("hook", "")),
                   [str(r) for r in d.get("reasons", [])],
                   {str(k): float(v) for k, v in d.get("parts", {}).items()},
                   str(d.get("transcript", "")))


@dataclass(slots=True)
class ClipsResult:
    """The clips found in ``source`` (``duration`` seconds long), best first.

    ``notes`` say what the creator should know (no speech heard...); ``transcript`` is what
    was said in the whole source (``None``: nothing could be transcribed). Neither is part of
    the JSON.
    """

    source: Path
    duration: float
    clips: list[Clip] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    transcript: Transcript | None = None

    def to_dict(self) -> dict[str, Any]:
        """``{"source", "duration", "clips": [...]}``: the ``creator clips --json`` object."""
        return {"source": str(self.source), "duration": _r(self.duration),
                "clips": [c.to_dict() for c in self.clips]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ClipsResult:
        """Read :meth:`to_dict`'s form back (``KeyError``/``TypeError``/``ValueError`` when it
        is not one)."""
        return cls(Path(str(d["source"])), float(d["duration"]),
                   [Clip.from_dict(c) for c in d["clips"]])
