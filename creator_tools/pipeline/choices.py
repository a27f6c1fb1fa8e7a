"""Resolve ``--look`` and ``--music`` values (auto, none, a shipped name, a file)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from creator_tools.analysis.result import Analysis
from creator_tools.edit.plan import Look, Music
from creator_tools.errors import InputError, OptionError

if TYPE_CHECKING:
    from creator_tools.topics.reading import Topic


def resolve_look(value: str, analysis: Analysis, *, strength: float = 0.8,
                 niche: str | None = None, topic: Topic | None = None,
                 notes: list[str] | None = None, exposure_fixed: bool = False) -> Look:
    """``auto`` (suggested for this clip and its ``topic``), ``none``, a shipped look name, or a
    ``.cube`` file. ``notes`` gets why ``auto`` chose what it did; ``exposure_fixed``: the
    edit lifts a dim clip itself (see :func:`~creator_tools.suggest.looks.score_look`)."""
    v = value.strip()
    if v.lower() == "none":
        return Look()
    if v.lower() == "auto":
        from creator_tools.suggest.looks import suggest_looks

        best = suggest_looks(analysis, niche=niche, top=1, topic=topic,
                             exposure_fixed=exposure_fixed)
        if not best:
            return Look()
        if notes is not None:
            notes.append(f"look auto: {best[0].name} ({'; '.join(best[0].reasons)})")
        return Look(name=best[0].name, lut=str(best[0].file), strength=strength)
    path = Path(v)
    if path.suffix.lower() == ".cube" or path.exists():
        from creator_tools.looks.cube import read_cube

        read_cube(path)  # validates: a bad LUT is a bad input, before any work is done
        return Look(name=path.stem, lut=str(path), strength=strength)
    from creator_tools.suggest.catalog import shipped_looks

    looks = shipped_looks()
    if v not in looks:
        raise OptionError(f"{{look}} must be auto, none, a .cube file or one of "
                          f"{', '.join(sorted(looks))}, not {v!r}", options="look")
    return Look(name=v, lut=str(looks[v].file), strength=strength)


def resolve_music(value: str, analysis: Analysis, *, niche: str | None = None,
                  region: str | None = None, gain_db: float = -16.0, topic: Topic | None = None,
                  notes: list[str] | None = None) -> Music | None:
    """``auto`` (best local track for this clip and its ``topic``), ``none``, a track id, or an
    audio file. ``notes`` gets why ``auto`` chose what it did."""
    v = value.strip()
    if v.lower() == "none":
        return None
    if v.lower() == "auto":
        from creator_tools.suggest.music import suggest_music

        local = [m for m in suggest_music(analysis, niche=niche, region=region, top=10,
                                          topic=topic)
                 if m.file]
        if not local:
            return None
        best = local[0]
        if notes is not None:
            notes.append(f"music auto: {best.title} ({'; '.join(best.reasons)})")
        return Music(file=str(best.file), id=best.id, gain_db=gain_db, bpm=_beat_grid(best))
    path = Path(v)
    if path.exists() or path.suffix:
        if not path.is_file():
            raise InputError("music file not found", path=path)
        from creator_tools.media.probe import probe

        if probe(path).audio is None:
            raise InputError("music file has no audio stream", path=path)
        return Music(file=str(path), gain_db=gain_db)
    from creator_tools.suggest.catalog import local_tracks

    tracks = local_tracks()
    if v not in tracks:
        raise OptionError(f"{{music}} must be auto, none, an audio file or one of "
                          f"{', '.join(sorted(tracks))}, not {v!r}", options="music")
    return Music(file=str(tracks[v].file), id=v, gain_db=gain_db, bpm=_beat_grid(tracks[v]))


def _beat_grid(track: object) -> float | None:
    """The tempo of a track whose beats start at its first sample: the bundled tracks (a
    track added with ``creator music add`` has a tempo but no known downbeat)."""
    from creator_tools.suggest.catalog import bundled_tracks

    tid = getattr(track, "id", None)
    return getattr(track, "bpm", None) if tid in bundled_tracks() else None
