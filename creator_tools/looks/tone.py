"""Exposure and gamma as a tone curve on luma, between black and white.

The curve works on the picture's own black and white (0 and 1: code values 16 and 235 in
8-bit limited range), so a lift of the shadows leaves black black and white white; ffmpeg's
``eq`` gamma works on code values, which turns limited-range black (16) into grey (41).
Chroma is left as it is: in RGB, the same change of luma moves R, G and B alike.

The curve is a power with a toe: ``((v + TOE) ** (1 / gamma) - TOE ** (1 / gamma))``, scaled
so that white stays 1. A bare power has an infinite slope at black and multiplies the
sensor noise of the darkest pixels (and the encoder's work) several times over; with the
toe, black's slope stays near 2 at the gammas the planner chooses.
"""

from __future__ import annotations

import numpy as np

#: Offset of the curve's toe (0..1 of the range from black to white).
TOE = 0.05
#: The edit's exposure fix lifts a clip whose mean luma is below this ...
UNDEREXPOSED = 0.38
#: ... to this (0..1).
MID_GREY = 0.45
#: Rec. 709 luma weights of R, G and B.
LUMA_709 = np.array([0.2126, 0.7152, 0.0722])


def is_identity(*, brightness: float, gamma: float) -> bool:
    """Whether the curve leaves every value as it is."""
    return brightness == 0.0 and gamma == 1.0


def luma_curve(y: np.ndarray, *, brightness: float, gamma: float) -> np.ndarray:
    """The tone curve: ``brightness`` added, then the power ``1 / gamma`` with a toe.

    Parameters
    ----------
    y
        Luma, 0 (black) to 1 (white); values outside are allowed (super-whites).
    brightness
        Offset added first, in the same units.
    gamma
        Above 1 lifts shadows and mid-tones, below 1 darkens them; black and white stay
        where they are.

    Returns
    -------
    numpy.ndarray
        float64, the shape of ``y``.
    """
    p = 1.0 / gamma
    lo = TOE**p
    v = np.maximum(np.asarray(y, dtype=np.float64) + brightness, 0.0)
    return ((v + TOE) ** p - lo) / ((1.0 + TOE) ** p - lo)


def gamma_for(level: float, target: float, *, low: float = 0.3, high: float = 3.0) -> float:
    """The gamma whose curve takes luma ``level`` to ``target`` (both 0..1), within
    ``low..high``."""
    a, b = low, high
    for _ in range(60):  # the curve at ``level`` rises with gamma
        mid = 0.5 * (a + b)
        if float(luma_curve(np.array(level), brightness=0.0, gamma=mid)) < target:
            a = mid
        else:
            b = mid
    return 0.5 * (a + b)


def lift_luma(rgb: np.ndarray, *, brightness: float, gamma: float) -> np.ndarray:
    """``rgb`` with its Rec. 709 luma through :func:`luma_curve` and its chroma kept.

    Parameters
    ----------
    rgb
        Float RGB (gamma encoded, full range 0..1), shape ``(..., 3)``.

    Returns
    -------
    numpy.ndarray
        float64, the shape of ``rgb``, not clipped.
    """
    rgb = np.asarray(rgb, dtype=np.float64)
    y = rgb @ LUMA_709
    return rgb + (luma_curve(y, brightness=brightness, gamma=gamma) - y)[..., None]
