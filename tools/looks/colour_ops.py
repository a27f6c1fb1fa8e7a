"""Colour operations on float RGB in 0..1 (display-referred, gamma encoded), shape ``(..., 3)``:
white balance, fade, gamma, contrast, saturation and vibrance with skin protection, split
toning, monochrome, shadow lift, and :func:`chain` to combine them."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

_LUMA = np.array([0.2126, 0.7152, 0.0722])

Transform = Callable[[np.ndarray], np.ndarray]


def luma(rgb: np.ndarray) -> np.ndarray:
    """Rec. 709 luma of ``rgb``, shape ``rgb.shape[:-1]``."""
    return rgb @ _LUMA


def _hsv_hue_sat(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hue (degrees, 0..360) and HSV saturation (0..1) of ``rgb``."""
    mx = rgb.max(axis=-1)
    mn = rgb.min(axis=-1)
    chroma = mx - mn
    safe = np.where(chroma > 1e-9, chroma, 1.0)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    h = np.where(mx == r, ((g - b) / safe) % 6.0,
                 np.where(mx == g, (b - r) / safe + 2.0, (r - g) / safe + 4.0))
    hue = np.where(chroma > 1e-9, 60.0 * h, 0.0)
    sat = np.where(mx > 1e-9, chroma / np.where(mx > 1e-9, mx, 1.0), 0.0)
    return hue, sat


def skin_weight(rgb: np.ndarray) -> np.ndarray:
    """How skin-like each colour is, 0..1: orange-red hues of moderate saturation."""
    hue, sat = _hsv_hue_sat(rgb)
    d = np.minimum(np.abs(hue - 25.0), 360.0 - np.abs(hue - 25.0))
    hue_w = np.exp(-0.5 * (d / 14.0) ** 2)
    sat_w = np.exp(-0.5 * ((sat - 0.45) / 0.25) ** 2)
    lum = luma(rgb)
    lum_w = np.clip(lum / 0.12, 0.0, 1.0)  # near-black is not skin
    return hue_w * sat_w * lum_w


def midtone_balance(rgb: np.ndarray, *, r: float, g: float = 1.0, b: float) -> np.ndarray:
    """White balance by per-channel power curves (``x ** gamma``): black and white stay put.

    ``r < 1`` with ``b > 1`` warms the midtones; the reverse cools them.
    """
    gam = np.array([r, g, b])
    return np.clip(rgb, 0.0, 1.0) ** gam


def fade(rgb: np.ndarray, *, black: float, white: float = 1.0) -> np.ndarray:
    """Map 0..1 onto ``black..white`` (lifted blacks, softened whites)."""
    return black + rgb * (white - black)


def gamma(rgb: np.ndarray, g: float) -> np.ndarray:
    """Brighten (``g < 1``) or darken (``g > 1``) the midtones of every channel."""
    return np.clip(rgb, 0.0, 1.0) ** g


def contrast(rgb: np.ndarray, amount: float, *, pivot: float = 0.42) -> np.ndarray:
    """Smooth S-curve on luma (``amount`` > 0 adds contrast, < 0 flattens); hue is kept.

    The luma change is added to every channel, so colour differences (chroma) are unchanged.
    """
    y = np.clip(luma(rgb), 0.0, 1.0)
    # A sigmoid through (0, 0), (pivot, pivot), (1, 1) with slope 1 + amount at the pivot.
    k = 4.0 * amount
    t = np.where(y < pivot, y / pivot - 1.0, (y - pivot) / (1.0 - pivot))
    bent = t * (1.0 + k * (1.0 - np.abs(t)) / (1.0 + abs(k)))
    y_new = np.where(y < pivot, pivot * (bent + 1.0), pivot + (1.0 - pivot) * bent)
    return rgb + (y_new - y)[..., None]


def saturation(rgb: np.ndarray, amount: float, *, vibrance: float = 0.0,
               protect_skin: float = 0.0) -> np.ndarray:
    """Scale colourfulness around luma.

    Parameters
    ----------
    rgb
        Colours, ``(..., 3)``.
    amount
        Multiplier of every colour's distance from grey (1 keeps it).
    vibrance
        Extra gain for muted colours only (0 keeps them): ``1 + vibrance * (1 - sat)``.
    protect_skin
        0..1: how much of the change skin-like colours are spared.
    """
    y = luma(rgb)[..., None]
    _, sat = _hsv_hue_sat(np.clip(rgb, 0.0, 1.0))
    gain = amount * (1.0 + vibrance * (1.0 - sat))
    if protect_skin:
        gain = 1.0 + (gain - 1.0) * (1.0 - protect_skin * skin_weight(np.clip(rgb, 0.0, 1.0)))
    return y + (rgb - y) * gain[..., None]


def split_tone(rgb: np.ndarray, *, shadows: tuple[float, float, float],
               highlights: tuple[float, float, float]) -> np.ndarray:
    """Add a colour offset to the shadows and another to the highlights (weighted by luma)."""
    y = np.clip(luma(rgb), 0.0, 1.0)[..., None]
    ws = (1.0 - y) ** 2 * np.clip(y * 8.0, 0.0, 1.0)  # black itself stays black
    wh = y**2 * np.clip((1.0 - y) * 8.0, 0.0, 1.0)  # white itself stays white
    return rgb + ws * np.asarray(shadows) + wh * np.asarray(highlights)


def monochrome(rgb: np.ndarray, *, weights: tuple[float, float, float] = (0.30, 0.59, 0.11)
               ) -> np.ndarray:
    """Grey of ``rgb`` (channel weights: a mild red filter look by default)."""
    y = rgb @ np.asarray(weights)
    return np.repeat(y[..., None], 3, axis=-1)


def lift_shadows(rgb: np.ndarray, amount: float) -> np.ndarray:
    """Open up shadows and lower midtones, leaving white where it is (a toe lift).

    ``y + amount * y * (1 - y) ** 2 * 4``: the gain peaks around 1/3, is zero at 0 and 1.
    Applied to luma and added to every channel so colours keep their hue.
    """
    y = np.clip(luma(rgb), 0.0, 1.0)
    boost = amount * 4.0 * np.sqrt(y) * (1.0 - y) ** 2
    return rgb + boost[..., None]


def chain(*steps: Transform) -> Transform:
    """Apply ``steps`` in order to float64 RGB, then clip to 0..1."""
    def run(rgb: np.ndarray) -> np.ndarray:
        out = rgb.astype(np.float64)
        for step in steps:
            out = step(out)
        return np.clip(out, 0.0, 1.0)

    return run
