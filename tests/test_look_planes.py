"""A 3D look on the planes of an 8-bit 4:2:0 picture (creator_tools.looks.yuv), against
grading every pixel in RGB."""

from __future__ import annotations

import numpy as np
import pytest

from creator_tools.looks.cube import read_cube, sample_lut
from creator_tools.looks.yuv import (
    HALF,
    ChromaGrade,
    Grade,
    chroma_grade,
    luma_table_expr,
    rgb_to_yuv,
    yuv_to_rgb,
)
from creator_tools.resources import asset_path


def apply_chroma_grade(cg: ChromaGrade, y: np.ndarray, u: np.ndarray, v: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What the filtergraph computes, in numpy (for :func:`grade_error`): 8-bit
    planes ``y`` (h, w) and ``u``, ``v`` (h/2, w/2) in, graded planes out (float codes).
    Nearest upsampling of the correction stands in for the graph's bilinear one."""
    h, w = y.shape
    ybar = y.astype(np.float64).reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3))
    out = sample_lut(cg.table, np.stack([ybar, u, v], axis=-1) / 255.0) * 255.0
    dy = np.repeat(np.repeat(out[..., 0] - HALF, 2, axis=0), 2, axis=1)
    return cg.luma[y.astype(int)] + dy, out[..., 1], out[..., 2]


def grade_error(grade: Grade, *, matrix: str, full_range: bool,
                rgb: np.ndarray) -> tuple[float, float]:
    """How far the split grade lands from grading ``rgb`` (an even-sized picture, float
    0..1, ``(h, w, 3)``) as RGB and subsampling the chroma after: the mean and 99th
    percentile of the absolute difference, in 8-bit codes over the three planes."""
    src = rgb_to_yuv(rgb, matrix=matrix, full_range=full_range)
    h, w = src.shape[:2]
    y = np.clip(np.floor(src[..., 0] + 0.5), 0, 255)
    uv = src[..., 1:].reshape(h // 2, 2, w // 2, 2, 2).mean(axis=(1, 3))
    u, v = (np.clip(np.floor(uv[..., i] + 0.5), 0, 255) for i in (0, 1))
    # The reference: each pixel graded in RGB (from its own luma and its block's chroma,
    # as a decoder gives it), the chroma averaged over the block after.
    up = np.repeat(np.repeat(np.stack([u, v], axis=-1), 2, axis=0), 2, axis=1)
    ref_rgb = np.clip(yuv_to_rgb(np.concatenate([y[..., None], up], axis=-1), matrix=matrix,
                                 full_range=full_range), 0.0, 1.0)
    ref = rgb_to_yuv(np.clip(grade(ref_rgb), 0.0, 1.0))
    ref_uv = ref[..., 1:].reshape(h // 2, 2, w // 2, 2, 2).mean(axis=(1, 3))
    gy, gu, gv = apply_chroma_grade(chroma_grade(grade, matrix=matrix, full_range=full_range),
                                    y, u, v)
    diff = np.concatenate([np.abs(gy - ref[..., 0]).ravel(),
                           np.abs(gu - ref_uv[..., 0]).ravel(),
                           np.abs(gv - ref_uv[..., 1]).ravel()])
    return float(diff.mean()), float(np.percentile(diff, 99))


def picture(seed: int = 0, h: int = 96, w: int = 128) -> np.ndarray:
    """Float RGB with what grading meets in footage: smooth gradients, sensor noise, skin,
    sky and foliage patches, saturated edges, near-black and near-white."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w] / np.array([h, w])[:, None, None]
    rgb = np.stack([0.2 + 0.6 * x, 0.1 + 0.7 * y, 0.9 - 0.8 * x * y], axis=-1)
    for colour, (a, b) in [((0.78, 0.53, 0.39), (10, 10)), ((0.36, 0.53, 0.72), (40, 60)),
                           ((0.25, 0.42, 0.23), (60, 20)), ((0.95, 0.85, 0.1), (20, 90)),
                           ((0.02, 0.02, 0.03), (70, 70)), ((0.98, 0.97, 0.95), (5, 50))]:
        rgb[a:a + 20, b:b + 24] = colour
    return np.clip(rgb + rng.normal(0, 0.02, rgb.shape), 0, 1)


@pytest.mark.parametrize(("matrix", "full"), [("bt709", False), ("bt601", False),
                                              ("bt601", True)])
def test_yuv_and_rgb_convert_back_and_forth(matrix, full):
    rgb = picture()
    back = yuv_to_rgb(rgb_to_yuv(rgb, matrix=matrix, full_range=full), matrix=matrix,
                      full_range=full)
    assert np.abs(back - rgb).max() < 1e-12


def test_an_identity_grade_is_exact_inside_the_rgb_cube():
    cg = chroma_grade(lambda c: c, matrix="bt709", full_range=False)
    assert np.abs(cg.luma[16:236] - np.arange(16, 236)).max() < 1e-9
    t = cg.table.table.astype(np.float64) * 255
    steps = np.linspace(0, 255, cg.table.size)
    v, u, y = np.meshgrid(steps, steps, steps, indexing="ij")
    rgb = yuv_to_rgb(np.stack([y, u, v], axis=-1), matrix="bt709", full_range=False)
    inside = np.all((rgb >= 0) & (rgb <= 1), axis=-1)
    assert inside.sum() > 100
    assert np.abs(t[..., 0] - HALF)[inside].max() < 1e-3  # no luma correction there
    assert np.abs(t[..., 1] - u)[inside].max() < 1e-3  # U, V unchanged
    assert np.abs(t[..., 2] - v)[inside].max() < 1e-3


def test_codes_outside_the_rgb_cube_are_clipped_to_it_as_lut3d_does():
    """The RGB path's lut3d clamps its input to the cube: super-white luma leaves at white,
    and an impossible colour at the nearest one the cube holds."""
    cg = chroma_grade(lambda c: c, matrix="bt709", full_range=False)
    assert cg.luma[0] == pytest.approx(16) and cg.luma[255] == pytest.approx(235)
    yuv = np.array([[128.0, 255.0, 255.0]])  # R and B far above 1
    want = rgb_to_yuv(np.clip(yuv_to_rgb(yuv, matrix="bt709", full_range=False), 0, 1))
    got = sample_lut(cg.table, yuv / 255.0) * 255.0
    assert got[0, 1:] == pytest.approx(want[0, 1:], abs=0.5)
    assert cg.luma[128] + got[0, 0] - HALF == pytest.approx(want[0, 0], abs=0.5)


def test_a_full_range_bt601_source_leaves_in_bt709_limited_range():
    cg = chroma_grade(lambda c: c, matrix="bt601", full_range=True)
    assert cg.luma[0] == pytest.approx(16) and cg.luma[255] == pytest.approx(235)


@pytest.mark.parametrize("look", ["vivid", "crisp", "moody", "teal-orange", "bright-lift"])
def test_the_planes_land_within_two_codes_of_grading_each_pixel(look):
    """Measured: mean 0.07-0.13 codes, 99th percentile 0.4-0.9, and 1.5-1.7 for bright-lift,
    whose lifted highlights clip: a block clipped at its mean luma, not pixel by pixel."""
    lut = read_cube(asset_path("luts", f"{look}.cube"))
    for seed in range(3):
        mean, p99 = grade_error(lambda c: sample_lut(lut, c), matrix="bt709",
                                full_range=False, rgb=picture(seed))
        assert mean < 0.25 and p99 < 2.0, (seed, mean, p99)


def test_a_look_that_moves_luma_with_colour_gets_a_correction():
    """Saturation moves luma: a neutral pixel's curve alone would miss it by 7-12 codes."""
    lut = read_cube(asset_path("luts", "vivid.cube"))
    cg = chroma_grade(lambda c: sample_lut(lut, c), matrix="bt709", full_range=False)
    assert np.abs(cg.table.table[..., 0] * 255 - HALF).max() > 5


def test_the_luma_expression_is_the_table():
    luma = np.linspace(16, 235, 256) + np.sin(np.arange(256)) * 3
    expr = luma_table_expr(luma)

    def evaluate(val: int) -> int:
        # if(lt(val,m),A,B) -> A if val < m else B, evaluated recursively
        text = expr
        while text.startswith("if("):
            inner = text[3:-1]
            depth, parts, start = 0, [], 0
            for i, ch in enumerate(inner):
                depth += ch == "("
                depth -= ch == ")"
                if ch == "," and depth == 0:
                    parts.append(inner[start:i])
                    start = i + 1
            parts.append(inner[start:])
            m = float(parts[0][len("lt(val,"):-1])
            text = parts[1] if val < m else parts[2]
        return int(text)

    want = np.clip(np.floor(luma + 0.5), 0, 255).astype(int)
    assert [evaluate(v) for v in range(256)] == list(want)
