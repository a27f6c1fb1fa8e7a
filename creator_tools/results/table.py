"""The learning table: one observation per matched video with features and a target.

Targets: ``viewed``, the average percentage viewed (where an export gives only the average
view duration, as TikTok's does, that duration over the video's length), and ``duration``,
the average view duration in seconds (from the percentage and the length where missing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from creator_tools.results.columns import PLATFORMS
from creator_tools.results.features import CORE_KEYS

TARGETS: dict[str, str] = {
    "viewed": "average_percentage_viewed",
    "duration": "average_view_duration",
}
#: What one unit of each target is, in findings' words.
TARGET_UNITS: dict[str, tuple[str, str]] = {
    "viewed": ("points", "average % viewed"),
    "duration": ("seconds", "average view duration"),
}
#: Columns of a learning row: intercept, platform indicators (YouTube is the baseline), the
#: core features, the target.
LAYOUT: tuple[str, ...] = ("1", *(f"platform={p}" for p in PLATFORMS[1:]), *CORE_KEYS, "y")


@dataclass(frozen=True)
class Observation:
    """A matched video with what it was like and how it did."""

    platform: str
    video_id: str
    title: str | None
    clip: str | None
    features: dict[str, Any]
    target: float


def length_of(video: Any) -> float | None:
    """The video's length: the export's, else its clip's."""
    if video.duration:
        return float(video.duration)
    length = (video.features or {}).get("media.duration")
    return float(length) if length else None


def target_value(video: Any, target: str) -> float | None:
    """``video``'s current value of ``target`` (``None`` when the export lacks it)."""
    pct, avd, length = video.avg_pct_viewed, video.avg_view_duration, length_of(video)
    if target == "viewed":
        if pct is not None:
            return float(pct)
        return 100.0 * avd / length if avd is not None and length else None
    if avd is not None:
        return float(avd)
    return pct * length / 100.0 if pct is not None and length else None


def observations(videos: list[Any], target: str) -> list[Observation]:
    """The videos that can teach: matched, with features and a value of ``target``."""
    out = []
    for v in videos:
        if not v.features:
            continue
        y = target_value(v, target)
        if y is not None:
            out.append(Observation(v.platform, v.video_id, v.title, v.clip, v.features, y))
    return out


def learning_row(obs: Observation) -> list[float]:
    """The observation as a row of :data:`LAYOUT`."""
    row = [1.0] + [float(obs.platform == p) for p in PLATFORMS[1:]]
    row += [float(obs.features.get(k) or 0.0) for k in CORE_KEYS]
    return [*row, obs.target]
