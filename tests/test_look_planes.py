"""A 3D look on the planes of an 8-bit 4:2:0 picture (creator_tools.looks.yuv), against
grading every pixel in RGB."""

from __future__ import annotations

import numpy as np
import pytest

from creator_tools.looks.cube import read_cube, sample_lut
from creator_tools.looks.yuv import (
    HALF,
    chroma_grade,
    grade_error,
    luma_table_expr,
    rgb_to_yuv,
    yuv_to_rgb,
)
from creator_tools.resources import asset_path


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


def test_an_identity_grade_is_exact():
    cg = chroma_grade(lambda c: c, matrix="bt709", full_range=False)
    assert np.abs(cg.luma - np.arange(256)).max() < 1e-9  # outside 16..235 too
    t = cg.table.table.astype(np.float64) * 255
    steps = np.linspace(0, 255, cg.table.size)
    assert np.abs(t[..., 0] - HALF).max() < 1e-3  # no luma correction anywhere
    assert np.abs(t[..., 1] - steps[None, :, None]).max() < 1e-3  # U, V unchanged
    assert np.abs(t[..., 2] - steps[:, None, None]).max() < 1e-3


def test_a_full_range_bt601_source_leaves_in_bt709_limited_range():
    cg = chroma_grade(lambda c: c, matrix="bt601", full_range=True)
    assert cg.luma[0] == pytest.approx(16) and cg.luma[255] == pytest.approx(235)


@pytest.mark.parametrize("look", ["vivid", "crisp", "moody", "teal-orange", "bright-lift"])
def test_the_planes_land_within_a_code_of_grading_each_pixel(look):
    lut = read_cube(asset_path("luts", f"{look}.cube"))
    for seed in range(3):
        mean, p99 = grade_error(lambda c: sample_lut(lut, c), matrix="bt709",
                                full_range=False, rgb=picture(seed))
        assert mean < 0.25 and p99 < 1.5, (seed, mean, p99)  # measured 0.05-0.10, 0.4-1.0


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
