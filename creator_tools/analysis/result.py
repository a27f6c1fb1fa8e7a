"""The analysis result: a versioned, JSON-ready record (``docs/analysis-format.md``)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from creator_tools.analysis.advice import Advice
from creator_tools.analysis.camera import CameraPath
from creator_tools.analysis.color import ColorStats, ColorSummary
from creator_tools.analysis.hook import Hook
from creator_tools.analysis.motion import MotionSummary
from creator_tools.analysis.shots import Transition
from creator_tools.analysis.spans import Span
from creator_tools.analysis.subject import SubjectTrack, TrackPoint
from creator_tools.media.probe import MediaInfo

#: Version of the analysis JSON format; bump on any incompatible change.
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class LoudnessReport:
    """EBU R128 figures (ffmpeg's ``ebur128``) and clipping."""

    integrated_lufs: float | None
    true_peak_dbtp: float | None
    lra: float | None
    clipping: bool

    def to_dict(self) -> dict[str, object]:
        return {"integrated_lufs": self.integrated_lufs, "true_peak_dbtp": self.true_peak_dbtp,
                "lra": self.lra, "clipping": self.clipping}


@dataclass(frozen=True, slots=True)
class Levels:
    """Compact curves at ``rate`` values per second: audio level (dBFS) and motion (0..1)."""

    rate: float
    audio_db: list[float]
    motion: list[float]

    def to_dict(self) -> dict[str, object]:
        return {"rate": self.rate, "audio_db": self.audio_db, "motion": self.motion}


def resample_curve(
    x: np.ndarray, src_rate: float, rate: float, *, how: str = "mean"
) -> list[float]:
    """Average (or max) ``x`` sampled at ``src_rate`` into bins of ``1 / rate`` seconds."""
    if x.size == 0:
        return []
    n = int(np.ceil(x.size / src_rate * rate))
    edges = np.minimum(np.round(np.arange(n + 1) * src_rate / rate).astype(int), x.size)
    out = []
    for a, b in itertools.pairwise(edges):
        seg = x[a : max(b, a + 1)] if a < x.size else x[-1:]
        out.append(round(float(seg.max() if how == "max" else seg.mean()), 2))
    return out


@dataclass(slots=True)
class Analysis:
    """Everything :func:`creator_tools.analysis.engine.analyze` learned about a clip.

    Times are seconds of the source. ``speech`` and ``silences`` are empty without audio;
    ``shots`` is empty without video.
    """

    media: MediaInfo
    shots: list[Span]
    cuts: list[float]
    transitions: list[Transition]
    speech: list[Span]
    silences: list[Span]
    dead_air_end: float
    loudness: LoudnessReport | None
    tempo_bpm: float | None
    beats: list[float]
    motion: MotionSummary | None
    color: ColorSummary | None
    subject: SubjectTrack
    hook: Hook
    advice: list[Advice]
    stats: dict[str, float]
    levels: Levels
    problems: list[str] = field(default_factory=list)
    version: int = FORMAT_VERSION
    #: The camera's own motion, shot by shot (empty without video).
    camera: CameraPath = field(default_factory=lambda: CameraPath([], [], [], []))

    @property
    def duration(self) -> float:
        return self.media.duration

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON record."""
        return {
            "version": self.version,
            "media": self.media.to_dict(),
            "shots": [s.to_dict() for s in self.shots],
            "cuts": [round(c, 3) for c in self.cuts],
            "transitions": [t.to_dict() for t in self.transitions],
            "speech": [s.to_dict() for s in self.speech],
            "silences": [s.to_dict() for s in self.silences],
            "dead_air_end": round(self.dead_air_end, 3),
            "loudness": self.loudness.to_dict() if self.loudness else None,
            "tempo_bpm": None if self.tempo_bpm is None else round(self.tempo_bpm, 2),
            "beats": [round(b, 3) for b in self.beats],
            "motion": self.motion.to_dict() if self.motion else None,
            "color": self.color.to_dict() if self.color else None,
            "subject": self.subject.to_dict(),
            "camera": self.camera.to_dict(),
            "hook": self.hook.to_dict(),
            "advice": [a.to_dict() for a in self.advice],
            "stats": self.stats,
            "levels": self.levels.to_dict(),
            "problems": self.problems,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Analysis:
        """Inverse of :meth:`to_dict` (per-frame arrays are not stored and come back empty)."""
        spans = lambda xs: [Span(x["start"], x["end"]) for x in xs]  # noqa: E731
        m = d.get("motion")
        motion = None if m is None else MotionSummary(
            m["per_second"], m["mean"], spans(m["static"]), m["shakiness"], spans(m["shaky"]),
            np.zeros(0))
        c = d.get("color")
        color = None if c is None else ColorSummary(
            ColorStats(**c["overall"]) if c["overall"] else None,
            [ColorStats(**s) if s else None for s in c["shots"]], c["low_light"],
            c["overexposed"])
        s = d["subject"]
        loud = d.get("loudness")
        return cls(
            media=MediaInfo.from_dict(d["media"]),
            shots=spans(d["shots"]),
            cuts=list(d["cuts"]),
            transitions=[Transition(**t) for t in d["transitions"]],
            speech=spans(d["speech"]),
            silences=spans(d["silences"]),
            dead_air_end=d["dead_air_end"],
            loudness=LoudnessReport(**loud) if loud else None,
            tempo_bpm=d["tempo_bpm"],
            beats=list(d["beats"]),
            motion=motion,
            color=color,
            subject=SubjectTrack(s["source"], s["faces_found"],
                                 [TrackPoint(**p) for p in s["track"]]),
            hook=Hook(**d["hook"]),
            advice=[Advice(**a) for a in d["advice"]],
            stats=d["stats"],
            levels=Levels(**d["levels"]),
            problems=list(d.get("problems", [])),
            version=d["version"],
            camera=CameraPath.from_dict(d["camera"]) if d.get("camera") else
            CameraPath([], [], [], []),
        )
