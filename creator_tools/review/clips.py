"""The ``creator clips`` JSON: ranked candidate clips cut from one long source.

``{"source": PATH, "duration": S, "clips": [{"rank", "start", "end", "duration", "score",
"title", "hook", "reasons": [...], "parts": {NAME: value}, "transcript"}]}``. A relative
``source`` is taken relative to the file's folder, as in a plan.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from creator_tools.errors import DataFileError


@dataclass(frozen=True, slots=True)
class Candidate:
    """One candidate clip: ``start``/``end`` in seconds of the source."""

    rank: int
    start: float
    end: float
    score: float | None = None
    title: str = ""
    hook: str = ""
    reasons: tuple[str, ...] = ()
    parts: tuple[tuple[str, float | str], ...] = ()
    transcript: str = ""

    @property
    def duration(self) -> float:
        return self.end - self.start

    def to_dict(self) -> dict[str, Any]:
        return {"rank": self.rank, "start": round(self.start, 3), "end": round(self.end, 3),
                "duration": round(self.duration, 3), "score": self.score, "title": self.title,
                "hook": self.hook, "reasons": list(self.reasons),
                "parts": [[k, v] for k, v in self.parts], "transcript": self.transcript}


@dataclass(slots=True)
class ClipsFile:
    """A ``creator clips`` result: the source and its candidates, best first."""

    source: Path
    duration: float | None
    clips: list[Candidate] = field(default_factory=list)


def is_clips_data(data: Any) -> bool:
    """Whether parsed JSON has the shape of a ``creator clips`` result."""
    return isinstance(data, dict) and "clips" in data and "source" in data


def _number(v: Any, where: str, path: Path, *, row: int | None = None) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
        raise DataFileError(f"{where}: must be a number", path=path, row=row)
    return float(v)


def _text(v: Any) -> str:
    return "" if v is None else str(v)


def clips_from_dict(data: Any, path: str | Path) -> ClipsFile:
    """Check and read a parsed ``creator clips`` file (``path``: where it was read)."""
    path = Path(path)
    if not is_clips_data(data):
        raise DataFileError("not a creator clips file (needs source and clips)", path=path)
    source = data["source"]
    if not isinstance(source, str) or not source or "\0" in source:
        raise DataFileError("source: must be a file name", path=path)
    src = Path(source)
    if not src.is_absolute():
        src = path.resolve().parent / src
    duration = data.get("duration")
    duration = None if duration is None else _number(duration, "duration", path)
    if not isinstance(data["clips"], list):
        raise DataFileError("clips: must be a list", path=path)
    out = []
    for i, c in enumerate(data["clips"]):
        row = i + 1
        if not isinstance(c, dict):
            raise DataFileError("must be an object", path=path, row=row, column="clips")
        start = _number(c.get("start"), "start", path, row=row)
        end = _number(c.get("end"), "end", path, row=row)
        if start < 0 or end <= start:
            raise DataFileError("end must be greater than start (and start >= 0)", path=path,
                                row=row)
        score = c.get("score")
        parts = c.get("parts") or {}
        if not isinstance(parts, dict):
            raise DataFileError("parts: must be an object", path=path, row=row)
        reasons = c.get("reasons") or []
        if not isinstance(reasons, list):
            raise DataFileError("reasons: must be a list", path=path, row=row)
        rank = c.get("rank")
        out.append(Candidate(
            rank=rank if isinstance(rank, int) and not isinstance(rank, bool) else row,
            start=start, end=end,
            score=None if score is None else _number(score, "score", path, row=row),
            title=_text(c.get("title")), hook=_text(c.get("hook")),
            reasons=tuple(_text(r) for r in reasons),
            parts=tuple((str(k), v if isinstance(v, int | float) and not isinstance(v, bool)
                         else _text(v)) for k, v in parts.items()),
            transcript=_text(c.get("transcript"))))
    out.sort(key=lambda c: c.rank)
    return ClipsFile(src, duration, out)


def load_clips(path: str | Path) -> ClipsFile:
    """Read a ``creator clips`` JSON file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError("no such file", path=path) from None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise DataFileError(f"cannot read JSON: {exc}", path=path) from None
    return clips_from_dict(data, path)
