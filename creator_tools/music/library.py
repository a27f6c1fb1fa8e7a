"""Analyze a creator's own music tracks and add them to the trend index."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from creator_tools.errors import MediaError


@dataclass(frozen=True, slots=True)
class TrackAnalysis:
    """What a track offers as a music bed. ``energy`` is 0..1; times in seconds."""

    path: str
    id: str
    title: str
    duration: float
    bpm: float | None
    beats: int
    energy: float
    energy_level: str  # low, medium, high
    integrated_lufs: float | None
    mood: str

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def estimate_mood(bpm: float | None, energy: float, brightness: float) -> str:
    """A coarse mood from tempo, energy and spectral brightness (0..1).

    chill: slow and soft; dreamy: soft and dark; upbeat: fast and bright; energetic: loud and
    fast; dark: loud and dark; otherwise steady.
    """
    fast = (bpm or 0) >= 115
    if energy < 0.35:
        return "dreamy" if brightness < 0.35 else "chill"
    if energy > 0.65:
        return "energetic" if brightness >= 0.4 or fast else "dark"
    if fast and brightness >= 0.4:
        return "upbeat"
    return "steady"


def analyze_track(path: str | Path) -> TrackAnalysis:
    """Tempo, beat grid, energy, loudness, duration and a mood estimate of an audio file.

    Raises
    ------
    MediaError
        The file has no audio stream.
    """
    from creator_tools.analysis.audio_features import AudioFeatureExtractor
    from creator_tools.analysis.rhythm import estimate_rhythm
    from creator_tools.media.decode import AudioSpec, DecodePass
    from creator_tools.media.probe import probe
    from creator_tools.trends.fields import slugify

    info = probe(path)
    if info.audio is None:
        raise MediaError("no audio stream", path=path)
    ex = AudioFeatureExtractor(sr=16000)
    with DecodePass(path, video=None, audio=AudioSpec(16000, 1.0, loudness=True), info=info,
                    on_audio=ex.push) as dp:
        report = dp.wait()
    f = ex.finish()
    rhythm = estimate_rhythm(f.onset, frame_rate=f.frame_rate)
    loud = report.loudness.integrated_lufs if report.loudness else None
    active = f.rms_db[f.rms_db > -60]
    level = float(np.clip((np.median(active) + 40) / 30, 0, 1)) if active.size else 0.0
    density = float(np.clip(np.mean(f.onset) * 4, 0, 1)) if f.onset.size else 0.0
    energy = round(0.6 * level + 0.4 * density, 3)
    band = f.speech_db[f.rms_db > -60]
    brightness = float(np.clip((np.median(band - active) + 12) / 12, 0, 1)) if band.size else 0.5
    name = Path(path).stem
    return TrackAnalysis(
        path=str(Path(path).resolve()), id=slugify(name) or "track", title=name,
        duration=round(info.duration, 3),
        bpm=None if rhythm.tempo_bpm is None else round(rhythm.tempo_bpm, 2),
        beats=int(len(rhythm.beats)), energy=energy,
        energy_level="low" if energy < 0.35 else "high" if energy > 0.65 else "medium",
        integrated_lufs=loud, mood=estimate_mood(rhythm.tempo_bpm, energy, brightness))


def add_tracks(tracks: list[TrackAnalysis], index: object,
               today: dt.date | None = None) -> object:
    """Store analyzed tracks as one snapshot of sounds (source "user library")."""
    from creator_tools.trends.importers import parse_import

    rows = [{"id": t.id, "title": t.title, "artist": "", "duration": t.duration, "bpm": t.bpm,
             "mood": t.mood, "energy": t.energy_level, "genre": "", "local_file": t.path,
             "description": f"your track: {t.mood}, {t.energy_level} energy"}
            for t in tracks]
    parsed = parse_import(json.dumps(rows), name="creator music add.json", kind="sounds",
                          source="user library", as_of=(today or dt.date.today()).isoformat())
    return index.add(parsed)  # type: ignore[attr-defined]
