"""What the clip finder needs of a long source's picture and sound, from one streaming decode.

The source is analyzed window by window (:data:`WINDOW_SECONDS` at a time, one after the
other, each frame decoded once: :func:`creator_tools.analysis.engine.analyze` with a
``window``), and only compact curves and event times are kept of each window, so memory does
not grow with the source's length. The result is cached per input, like an analysis; so is
each window's whole analysis (:func:`window_analysis`), which a clip's render plans from.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from creator_tools.analysis.engine import AnalysisSettings
    from creator_tools.analysis.result import Analysis
    from creator_tools.media.probe import MediaInfo

#: Seconds of source analyzed at once (about 10 minutes of per-frame rows in memory).
WINDOW_SECONDS = 600.0
#: Values per second of the curves (the analysis's level curves).
RATE = 10.0
#: Bumped when what is kept changes (part of the cache key; 2: a window's sound aligned to
#: its start).
SIGNALS_VERSION = 2
Progress = Callable[[float, float], None]


@dataclass(slots=True)
class SourceSignals:
    """A source's sound and picture over its whole length.

    ``audio_db`` is the loudest level (dBFS) and ``motion`` the mean motion energy (0..1) in
    each 1/:data:`RATE` s bin; ``cuts`` are hard cuts and ``speech`` the stretches where the
    sound is speech-like (seconds). ``motion`` and ``cuts`` are empty without video,
    ``audio_db`` and ``speech`` without sound.
    """

    duration: float
    has_video: bool
    has_audio: bool
    audio_db: list[float] = field(default_factory=list)
    motion: list[float] = field(default_factory=list)
    cuts: list[float] = field(default_factory=list)
    speech: list[tuple[float, float]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rate: float = RATE

    def to_dict(self) -> dict[str, Any]:
        return {"version": SIGNALS_VERSION, **asdict(self)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SourceSignals:
        return cls(float(d["duration"]), bool(d["has_video"]), bool(d["has_audio"]),
                   [float(x) for x in d["audio_db"]], [float(x) for x in d["motion"]],
                   [float(x) for x in d["cuts"]],
                   [(float(a), float(b)) for a, b in d["speech"]],
                   [str(p) for p in d["problems"]], float(d["rate"]))


def windows(duration: float, length: float = WINDOW_SECONDS) -> list[tuple[float, float]]:
    """``(start, duration)`` of the windows that cover ``duration`` seconds: as even as
    possible, each a whole number of curve bins long (so the curves join exactly)."""
    n = max(1, round(duration / length))
    step = math.ceil(duration / n * RATE) / RATE
    out = []
    for k in range(n):
        start = round(k * step, 6)
        if start >= duration:
            break
        out.append((start, duration - start if k == n - 1 else step))
    return out


def source_signals(path: str | Path, *, info: MediaInfo | None = None,
                   settings: AnalysisSettings | None = None,
                   window: float = WINDOW_SECONDS, progress: Progress | None = None,
                   use_cache: bool = True) -> SourceSignals:
    """The :class:`SourceSignals` of ``path``, analyzed window by window (cached per input).

    Raises the errors of :func:`creator_tools.analysis.engine.analyze`.
    """
    from creator_tools import cache
    from creator_tools.analysis.engine import AnalysisSettings
    from creator_tools.media.probe import probe

    settings = settings or AnalysisSettings()
    info = info or probe(path)
    key = cache.input_key(path, "clip-signals",
                          f"{settings.key()}:{window}:{SIGNALS_VERSION}")
    if use_cache:
        data = cache.load("clip-signals", key)
        if data is not None and data.get("version") == SIGNALS_VERSION:
            try:
                return SourceSignals.from_dict(data)
            except (KeyError, TypeError, ValueError):
                pass
    signals = _analyze(path, info, settings, window, progress, use_cache)
    if use_cache:
        cache.store("clip-signals", key, signals.to_dict())
    return signals


def _analyze(path: str | Path, info: MediaInfo, settings: AnalysisSettings, length: float,
             progress: Progress | None, use_cache: bool) -> SourceSignals:
    total = info.duration
    out = SourceSignals(total, info.video is not None, info.audio is not None)
    for start, span in windows(total, length):
        tick = None if progress is None else (
            lambda done, _n, start=start: progress(min(total, start + done), total))
        a = window_analysis(path, (start, span), info=info, settings=settings, progress=tick,
                            use_cache=use_cache, reuse=False)
        bins = round(span * RATE) if start + span < total else None
        out.audio_db += _fit(a.levels.audio_db, bins)
        out.motion += _fit(a.levels.motion, bins)
        out.cuts += [round(start + c, 3) for c in a.cuts]
        for s in a.speech:
            a_, b_ = round(start + s.start, 3), round(start + s.end, 3)
            if out.speech and a_ - out.speech[-1][1] < 0.05:  # one span across the join
                out.speech[-1] = (out.speech[-1][0], b_)
            else:
                out.speech.append((a_, b_))
        out.problems += a.problems[: max(0, 50 - len(out.problems))]
    if progress:
        progress(total, total)
    return out


def _window_key(path: str | Path, window: tuple[float, float],
                settings: AnalysisSettings) -> str:
    from creator_tools import cache

    return cache.input_key(path, "analysis", f"{settings.key()}:window={window[0]:.6f}+"
                                             f"{window[1]:.6f}:{SIGNALS_VERSION}")


def _load_window(key: str) -> Analysis | None:
    from creator_tools import cache
    from creator_tools.analysis.result import FORMAT_VERSION, Analysis

    data = cache.load("analysis", key)
    if data is None or data.get("version") != FORMAT_VERSION:
        return None
    try:
        return Analysis.from_dict(data)
    except (KeyError, TypeError, ValueError):
        return None


def window_analysis(path: str | Path, window: tuple[float, float], *, info: MediaInfo,
                    settings: AnalysisSettings | None = None, progress: Progress | None = None,
                    use_cache: bool = True, reuse: bool = True) -> Analysis:
    """The analysis of ``window`` (start, duration in seconds) of ``path`` alone, through the
    cache (``reuse``: take a cached one; it is stored anyway with ``use_cache``): an
    :class:`~creator_tools.analysis.result.Analysis` whose times count from the window's
    start, as a cached one comes back (no per-frame arrays)."""
    from creator_tools import cache
    from creator_tools.analysis.engine import AnalysisSettings, analyze
    from creator_tools.analysis.result import Analysis

    settings = settings or AnalysisSettings()
    key = _window_key(path, window, settings)
    if reuse and use_cache and (found := _load_window(key)) is not None:
        return found
    record = analyze(path, settings=settings, info=info, window=window,
                     progress=progress).to_dict()
    if use_cache:
        cache.store("analysis", key, record)
    return Analysis.from_dict(record)


def cached_window(path: str | Path, start: float, end: float, *, info: MediaInfo,
                  length: float = WINDOW_SECONDS) -> tuple[float, Analysis] | None:
    """The cached analysis of the window of :func:`source_signals` that holds ``start`` to
    ``end`` (seconds), and where that window starts; ``None`` when no window holds it all or
    it is not cached."""
    from creator_tools.analysis.engine import AnalysisSettings

    for w0, span in windows(info.duration, length):
        if w0 <= start and end <= w0 + span:
            found = _load_window(_window_key(path, (w0, span), AnalysisSettings()))
            return None if found is None else (w0, found)
    return None


def _fit(curve: list[float], bins: int | None) -> list[float]:
    """``curve`` cut or padded (with its last value) to ``bins`` values (``None``: as is)."""
    if bins is None or not curve:
        return list(curve)
    return list(curve[:bins]) + [curve[-1]] * max(0, bins - len(curve))
