"""A colour grade as ffmpeg applies it to an 8-bit 4:2:0 picture without going through RGB.

A 3D look on RGB costs ffmpeg's ``lut3d`` about 5 ns a pixel (its SIMD path included), and the
picture's trip to float RGB and back more again: on a 46 s clip cropped to 404x720, 2.9 CPU-s,
a tenth of the encode. Yet in a 4:2:0 picture three quarters of the samples that come back
are thrown away: the chroma planes have a quarter of the luma plane's pixels.

So the grade runs where the picture's information is (:class:`ChromaGrade`):

* the chroma planes, and a luma correction, through one 3D table over ``(Ȳ, U, V)``, at the
  chroma planes' size, where ``Ȳ`` is the luma averaged over each 2x2 block;
* the luma plane at full size through a 1D table, the grade of a neutral pixel of that
  luma, plus the luma correction (the part of the grade's luma that depends on colour:
  saturation moves luma too), brought up from the chroma planes' size.

What is approximated: within each 2x2 block the colour-dependent part of the luma and the
chroma are computed at the block's mean luma, not per pixel (the chroma is stored at that
size anyway), and a colour outside the RGB cube is clipped to it at that luma, where the RGB
path clips each pixel. tests/test_look_planes.py measures what that costs against grading each
pixel in RGB, tests/test_render_color.py against the RGB path on gradients and real footage.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from creator_tools.looks.cube import Lut3D

#: ``(Kr, Kb)`` of the YUV matrices :class:`~creator_tools.media.probe.VideoInfo` reports.
MATRIX_WEIGHTS = {"bt709": (0.2126, 0.0722), "bt601": (0.299, 0.114),
                  "bt2020": (0.2627, 0.0593)}
#: Grid points per axis of the chroma table (over 8-bit codes 0..255).
CHROMA_GRID = 33
#: The luma correction is stored around this code (ffmpeg's ``blend`` ``grainmerge`` adds
#: ``B - 128``).
HALF = 128.0

Grade = Callable[[np.ndarray], np.ndarray]


def yuv_to_rgb(yuv: np.ndarray, *, matrix: str, full_range: bool) -> np.ndarray:
    """8-bit YUV codes, shape ``(..., 3)``, to gamma-encoded RGB 0..1 (not clipped)."""
    kr, kb = MATRIX_WEIGHTS[matrix]
    kg = 1.0 - kr - kb
    yuv = np.asarray(yuv, dtype=np.float64)
    if full_range:
        y, cb, cr = yuv[..., 0] / 255.0, (yuv[..., 1] - 128.0) / 255.0, \
            (yuv[..., 2] - 128.0) / 255.0
    else:
        y, cb, cr = (yuv[..., 0] - 16.0) / 219.0, (yuv[..., 1] - 128.0) / 224.0, \
            (yuv[..., 2] - 128.0) / 224.0
    r = y + 2.0 * (1.0 - kr) * cr
    b = y + 2.0 * (1.0 - kb) * cb
    g = (y - kr * r - kb * b) / kg
    return np.stack([r, g, b], axis=-1)


def rgb_to_yuv(rgb: np.ndarray, *, matrix: str = "bt709", full_range: bool = False
               ) -> np.ndarray:
    """Gamma-encoded RGB 0..1, shape ``(..., 3)``, to 8-bit YUV codes (float, not rounded);
    BT.709 limited range unless told."""
    kr, kb = MATRIX_WEIGHTS[matrix]
    rgb = np.asarray(rgb, dtype=np.float64)
    y = kr * rgb[..., 0] + (1.0 - kr - kb) * rgb[..., 1] + kb * rgb[..., 2]
    cb = (rgb[..., 2] - y) / (2.0 * (1.0 - kb))
    cr = (rgb[..., 0] - y) / (2.0 * (1.0 - kr))
    if full_range:
        return np.stack([255.0 * y, 128.0 + 255.0 * cb, 128.0 + 255.0 * cr], axis=-1)
    return np.stack([16.0 + 219.0 * y, 128.0 + 224.0 * cb, 128.0 + 224.0 * cr], axis=-1)


@dataclass(frozen=True, slots=True)
class ChromaGrade:
    """A grade split for an 8-bit 4:2:0 picture (see the module's notes).

    Attributes
    ----------
    table
        Over ``(Ȳ, U, V) / 255`` as the ``.cube``'s ``(r, g, b)`` inputs: the luma correction
        plus :data:`HALF`, the graded U and the graded V, each ``/ 255``, as its outputs.
    luma
        The graded luma of a neutral pixel of each 8-bit luma code, shape ``(256,)``, in
        BT.709 limited range (codes, not rounded).
    """

    table: Lut3D
    luma: np.ndarray


def chroma_grade(grade: Grade, *, matrix: str, full_range: bool,
                 size: int = CHROMA_GRID) -> ChromaGrade:
    """``grade`` (float RGB 0..1 in and out, shape ``(..., 3)``: tone, white balance, look)
    for a picture in ``matrix`` (``bt709``, ``bt601``, ``bt2020``), full or limited range;
    the result is BT.709 limited range, as the RGB path's."""

    def graded(yuv: np.ndarray) -> np.ndarray:
        # Codes outside the RGB cube are clipped to it first, as ffmpeg's lut3d clamps its
        # input on the RGB path: a saturated 4:2:0 picture has many (a pixel's own luma
        # with its block's chroma), and keeping their distance instead moved the mean luma
        # by up to a code against that path.
        rgb = yuv_to_rgb(yuv, matrix=matrix, full_range=full_range)
        return rgb_to_yuv(grade(np.clip(rgb, 0.0, 1.0)))

    def neutral(y: np.ndarray) -> np.ndarray:
        return np.stack([y, np.full_like(y, HALF), np.full_like(y, HALF)], axis=-1)

    steps = np.linspace(0.0, 255.0, size)
    v, u, y = np.meshgrid(steps, steps, steps, indexing="ij")  # [b, g, r] = [V, U, Ȳ]
    out = graded(np.stack([y, u, v], axis=-1))
    correction = out[..., 0] - graded(neutral(y))[..., 0]
    table = np.stack([correction + HALF, out[..., 1], out[..., 2]], axis=-1) / 255.0
    luma = graded(neutral(np.arange(256, dtype=np.float64)))[..., 0]
    return ChromaGrade(Lut3D(size, np.clip(table, 0.0, 1.0).astype(np.float32),
                             title="chroma grade"), luma)


def luma_table_expr(luma: np.ndarray) -> str:
    """The ``lut`` filter's expression of ``val`` (an 8-bit code) for the 256-entry ``luma``:
    a balanced tree of ``if(lt(val,i+0.5),...)`` over the rounded codes."""
    codes = [int(c) for c in np.clip(np.floor(np.asarray(luma) + 0.5), 0, 255)]

    def tree(a: int, b: int) -> str:  # codes a..b-1
        if len(set(codes[a:b])) == 1:
            return str(codes[a])
        m = (a + b) // 2
        return f"if(lt(val,{m - 0.5}),{tree(a, m)},{tree(m, b)})"

    return tree(0, 256)
