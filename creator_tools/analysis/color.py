"""Colour statistics per shot and overall: exposure, contrast, saturation, white balance."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from creator_tools.analysis.spans import Span
from creator_tools.analysis.video_features import ColorSample

#: Linear sRGB to CIE XYZ (D65).
_RGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805],
                        [0.2126, 0.7152, 0.0722],
                        [0.0193, 0.1192, 0.9505]])


@dataclass(frozen=True, slots=True)
class ColorStats:
    """Colour of a stretch of video. All values 0..1 except ``temperature_k`` (kelvin)."""

    brightness: float
    contrast: float
    saturation: float
    temperature_k: float
    white_balance: str  # "warm", "neutral" or "cool"
    clipped_highlights: float
    crushed_shadows: float

    def to_dict(self) -> dict[str, float | str]:
        return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in asdict(self).items()}


@dataclass(frozen=True, slots=True)
class ColorSummary:
    """Overall and per-shot colour, plus exposure flags."""

    overall: ColorStats | None
    shots: list[ColorStats | None]
    low_light: bool
    overexposed: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "overall": self.overall.to_dict() if self.overall else None,
            "shots": [s.to_dict() if s else None for s in self.shots],
            "low_light": self.low_light,
            "overexposed": self.overexposed,
        }


def correlated_color_temperature(rgb_linear: np.ndarray) -> float:
    """CCT in kelvin of a linear-light sRGB colour (McCamy's approximation), 1500..15000."""
    xyz = _RGB_TO_XYZ @ np.asarray(rgb_linear, dtype=np.float64)
    total = xyz.sum()
    if total <= 1e-9:
        return 6500.0
    x, y = xyz[0] / total, xyz[1] / total
    if abs(0.1858 - y) < 1e-9:
        return 6500.0
    n = (x - 0.3320) / (0.1858 - y)
    cct = 449 * n**3 + 3525 * n**2 + 6823.3 * n + 5520.33
    return float(np.clip(cct, 1500.0, 15000.0))


def color_stats(samples: list[ColorSample]) -> ColorStats | None:
    """Average colour of ``samples`` (``None`` when empty)."""
    if not samples:
        return None
    rgb = np.mean([s.rgb_mean for s in samples], axis=0)
    cct = correlated_color_temperature(rgb)
    balance = "warm" if cct < 5000 else "cool" if cct > 7800 else "neutral"
    return ColorStats(
        brightness=float(np.mean([s.brightness for s in samples])),
        contrast=float(np.mean([s.contrast for s in samples])),
        saturation=float(np.mean([s.saturation for s in samples])),
        temperature_k=round(cct, 0),
        white_balance=balance,
        clipped_highlights=float(np.mean([s.clipped_highlights for s in samples])),
        crushed_shadows=float(np.mean([s.crushed_shadows for s in samples])),
    )


def summarize_color(samples: list[ColorSample], shots: list[Span]) -> ColorSummary:
    """Colour overall and per shot; flags low light and overexposure."""
    overall = color_stats(samples)
    per_shot = [color_stats([s for s in samples if sh.start <= s.t < sh.end]) for sh in shots]
    low = overall is not None and (
        overall.brightness < 0.15 or (overall.brightness < 0.25 and overall.contrast < 0.15))
    over = overall is not None and (overall.clipped_highlights > 0.08 or overall.brightness > 0.85)
    return ColorSummary(overall, per_shot, bool(low), bool(over))


def count_flashes(luma: np.ndarray, *, fps: float, min_change: float = 0.1) -> tuple[int, float]:
    """Most general flashes within any one second, and when that second starts.

    A flash is a pair of opposing changes in mean relative luminance of at least
    ``min_change`` where the darker state is below 0.8 (the WCAG 2.3.1 general flash rule,
    applied to the whole frame).

    Parameters
    ----------
    luma
        Per-frame mean relative luminance (linear light), shape ``(n,)``, 0..1.
    """
    if luma.size < 3:
        return 0, 0.0
    # Turning points of the luminance curve, keeping only changes that are large enough.
    points = [0]
    for i in range(1, luma.size):
        last = luma[points[-1]]
        if len(points) >= 2:
            rising = luma[points[-1]] > luma[points[-2]]
            if (rising and luma[i] >= last) or (not rising and luma[i] <= last):
                points[-1] = i
                continue
        if abs(luma[i] - last) >= min_change and min(luma[i], last) < 0.8:
            points.append(i)
        elif len(points) == 1 and abs(luma[i] - last) < min_change:
            continue
    transitions = np.array(points[1:], dtype=np.float64) / fps
    best, at = 0, 0.0
    for k, t in enumerate(transitions):
        j = np.searchsorted(transitions, t + 1.0, side="left")
        flashes = (j - k) // 2
        if flashes > best:
            best, at = int(flashes), float(transitions[max(0, k - 1)] if k else t)
    return best, at
