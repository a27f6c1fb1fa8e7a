"""Find the best short clips in a long source: :func:`find_clips`."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from creator_tools.clips.result import Clip, ClipsResult
from creator_tools.errors import InputError, OptionError

if TYPE_CHECKING:
    from creator_tools.clips.sentences import Quiet, Sentence
    from creator_tools.clips.signals import SourceSignals

Progress = Callable[[float, float], None]


@dataclass(frozen=True)
class ClipSettings:
    """What to look for: ``count`` clips of ``min_seconds`` to ``max_seconds`` each; the
    speech ``model`` and ``language`` of the transcript (see ``creator captions``)."""

    count: int = 5
    min_seconds: float = 15.0
    max_seconds: float = 60.0
    model: str | None = None
    language: str | None = "en"

    def check(self) -> None:
        """Raise :class:`~creator_tools.errors.OptionError` (exit 2) for values that cannot
        work together."""
        if self.count < 1:
            raise OptionError(f"{{count}} must be at least 1, not {self.count}",
                              options="count")
        if self.min_seconds < 1.0:
            raise OptionError(f"{{min_seconds}} must be at least 1 second, not "
                              f"{self.min_seconds:g}", options="min_seconds")
        if self.min_seconds > self.max_seconds:
            raise OptionError(f"{{min_seconds}} ({self.min_seconds:g} s) is above {{max_seconds}} "
                              f"({self.max_seconds:g} s)", options=("min_seconds", "max_seconds"))


def find_clips(path: str | os.PathLike[str], settings: ClipSettings = ClipSettings(), *,
               analyze_progress: Progress | None = None,
               transcribe_progress: Progress | None = None,
               use_cache: bool = True) -> ClipsResult:
    """The best ``settings.count`` clips of ``path``, best first.

    One streaming decode of the source (window by window: memory stays flat) and its
    transcript (both cached per input, so another run with other settings is quick). Clips
    are whole sentences inside one topic; a source without speech gets clips from its sound
    and shots alone, with a note saying so.

    Raises
    ------
    OptionError
        Settings that cannot work (exit 2).
    InputError
        The file is not readable media, or shorter than ``settings.min_seconds`` (exit 3).
    """
    from creator_tools.clips.sentences import Quiet, split_sentences
    from creator_tools.clips.signals import source_signals
    from creator_tools.media.probe import check_readable_file, probe

    settings.check()
    check_readable_file(path)
    info = probe(path)
    if info.duration < settings.min_seconds:
        raise InputError(f"{info.duration:.1f} s long, shorter than {{min_seconds}} "
                         f"({settings.min_seconds:g} s): no clip fits in it", path=path,
                         options="min_seconds")
    signals = source_signals(path, info=info, progress=analyze_progress, use_cache=use_cache)
    notes: list[str] = []
    transcript = None
    if info.audio is not None:
        from creator_tools.captions.model import CaptionsUnavailable
        from creator_tools.captions.transcribe import transcribe_cached

        try:
            transcript = transcribe_cached(path, model=settings.model, language=settings.language,
                                           progress=transcribe_progress,
                                           use_cache=use_cache)[0]
        except CaptionsUnavailable as exc:
            if settings.model:  # asked for by name: that is the answer
                raise
            notes.append(f"no transcript ({exc})")
    quiet = Quiet(signals.audio_db, signals.rate)
    sentences = split_sentences(transcript.words, quiet) if transcript else []
    clips = _from_speech(sentences, signals, quiet, settings) if sentences else []
    if not clips:
        why = ("no speech heard" if not sentences else
               f"no stretch of speech lasts {settings.min_seconds:g} s")
        notes.append(f"{why}: clips from the sound's energy and the shots alone")
        clips = _from_sound(signals, quiet, settings)
    return ClipsResult(Path(path), info.duration, clips, notes, transcript)


def _from_speech(sentences: Sequence[Sentence], signals: SourceSignals, quiet: Quiet,
                 settings: ClipSettings) -> list[Clip]:
    from creator_tools.clips.candidates import Baseline, Judge, candidates, choose
    from creator_tools.clips.score import ending_strength, hook_strength, is_aside
    from creator_tools.clips.tiling import boundaries
    from creator_tools.clips.titles import make_title

    usable = [not is_aside(s.text) for s in sentences]
    bounds = boundaries(sentences, cuts=signals.cuts,
                        openings=[hook_strength(s.text).value for s in sentences],
                        closings=[ending_strength(s.text).value for s in sentences],
                        breaks=[not (a and b) for a, b in itertools.pairwise(usable)])
    base = Baseline(sentences, signals, quiet)
    found = candidates(sentences, bounds, base, min_seconds=settings.min_seconds,
                       max_seconds=settings.max_seconds, usable=usable)
    judge = Judge(sentences, bounds, base)
    out = []
    for rank, c in enumerate(choose(found, settings.count), 1):
        first = sentences[c.first].text
        after = sentences[c.first + 1].text if c.first < c.last else ""
        out.append(Clip(rank, c.start, c.end, c.score, make_title(first, after), first,
                        judge.reasons(c), c.parts,
                        " ".join(s.text for s in sentences[c.first: c.last + 1]),
                        _room(sentences, c.first, c.last, signals.duration),
                        tuple(w for s in sentences[c.first: c.last + 1] for w in s.words)))
    return out


#: How far a render may reach into the pause before or after a clip, seconds at most.
ROOM = 0.5


def _room(units: Sequence[Sentence], first: int, last: int, duration: float) -> tuple[float, float]:
    """The stretch a render may take: into the pauses around the clip, up to half-way to the
    sentence before and after it (and :data:`ROOM` at most)."""
    start, end = units[first].start, units[last].end
    before = units[first - 1].end if first > 0 else 0.0
    after = units[last + 1].start if last + 1 < len(units) else duration
    return (max(0.0, start - ROOM, (before + start) / 2),
            min(duration, end + ROOM, (end + after) / 2))


def _from_sound(signals: SourceSignals, quiet: Quiet, settings: ClipSettings) -> list[Clip]:
    from creator_tools.clips.candidates import Baseline, Judge, candidates, choose
    from creator_tools.clips.silent import pieces

    units, bounds = pieces(signals, quiet)
    base = Baseline(units, signals, quiet)
    found = candidates(units, bounds, base, min_seconds=settings.min_seconds,
                       max_seconds=settings.max_seconds)
    judge = Judge(units, bounds, base)
    return [Clip(rank, c.start, c.end, c.score, "", "", judge.reasons(c), c.parts, "",
                 _room(units, c.first, c.last, signals.duration))
            for rank, c in enumerate(choose(found, settings.count), 1)]
