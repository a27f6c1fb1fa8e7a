""".cube LUTs (:mod:`creator_tools.looks.cube`) and the shipped looks (assets/luts)."""

from __future__ import annotations

import json
import subprocess
from functools import cache

import cv2
import numpy as np
import pytest

from creator_tools.edit.filtergraph import curve_expr
from creator_tools.errors import DataFileError
from creator_tools.looks.cube import (
    Lut3D,
    apply_lut,
    blend,
    identity,
    read_cube,
    separable_curves,
    write_cube,
)
from creator_tools.media.ffmpeg import base_args
from creator_tools.media.ffmpeg_escape import escape_filter_path
from creator_tools.resources import asset_path
from creator_tools.settings import NICHES
from tools.looks import colour_ops
from tools.looks import looks as presets

LUTS = asset_path("luts")
MANIFEST = json.loads((LUTS / "looks.json").read_text(encoding="utf-8"))
LOOKS = {entry["name"]: entry for entry in MANIFEST["looks"]}
#: Typical skin tones, light to dark (RGB).
SKIN = np.array([[(255, 224, 196), (234, 192, 134), (224, 172, 105), (198, 134, 66),
                  (141, 85, 36), (92, 51, 23)]], dtype=np.uint8)


def _random_lut(size: int = 5, seed: int = 0) -> Lut3D:
    rng = np.random.default_rng(seed)
    table = rng.uniform(-0.1, 1.2, (size, size, size, 3))
    return Lut3D(size, table, title='a "quoted" title', domain_min=(0.0, 0.1, 0.0),
                 domain_max=(1.0, 1.0, 2.0))


def _cube_text(size: int, rows: list[str], head: str = "") -> str:
    return f"{head}LUT_3D_SIZE {size}\n" + "\n".join(rows) + "\n"


def _identity_rows(size: int) -> list[str]:
    return [" ".join(f"{v:.6f}" for v in row) for row in identity(size).table.reshape(-1, 3)]


# ---------------------------------------------------------------------------------------
# Reading and writing
# ---------------------------------------------------------------------------------------

def test_round_trip(tmp_path):
    lut = _random_lut()
    path = write_cube(lut, tmp_path / "r.cube")
    back = read_cube(path)
    assert back.size == lut.size
    assert np.max(np.abs(back.table - lut.table)) <= 1e-6
    assert back.title == "a 'quoted' title"  # double quotes cannot live in a TITLE
    assert back.domain_min == pytest.approx(lut.domain_min, abs=1e-6)
    assert back.domain_max == pytest.approx(lut.domain_max, abs=1e-6)
    assert path.read_bytes().count(b"\n") == 4 + 5**3
    assert not list(tmp_path.glob(".*.tmp"))


def test_row_order_is_red_fastest(tmp_path):
    # Each row encodes its own (r, g, b) grid index: row k has r = k % 2, g = k // 2 % 2, ...
    rows = [f"{k % 2} {k // 2 % 2} {k // 4}" for k in range(8)]
    (tmp_path / "o.cube").write_text(_cube_text(2, rows))
    lut = read_cube(tmp_path / "o.cube")
    for b in (0, 1):
        for g in (0, 1):
            for r in (0, 1):
                assert tuple(lut.table[b, g, r]) == (r, g, b)


def test_reading_variants(tmp_path):
    rows = _identity_rows(3)
    rows[4] += "   # a comment after a row"
    text = ("\ufeff# Created by hand\r\n\r\nTITLE \"Hand made\"\r\n  # indented comment\r\n"
            "DOMAIN_MIN 0 0 0\r\nDOMAIN_MAX 1.0 1.0 1.0\r\nLUT_IN_VIDEO_RANGE\r\n"
            "LUT_3D_SIZE 3\r\n\r\n" + "\r\n".join(rows[:10]) + "\r\n\r\n# middle\r\n"
            + "\r\n".join(rows[10:]) + "\r\n")
    (tmp_path / "v.cube").write_bytes(text.encode("utf-8"))
    lut = read_cube(tmp_path / "v.cube")
    assert lut.title == "Hand made"
    assert lut.size == 3
    assert np.allclose(lut.table, identity(3).table, atol=1e-6)
    # Old-Mac CR line ends, a bare title, Resolve's input range keyword.
    text = "TITLE bare words\rLUT_3D_INPUT_RANGE 0.0 2.0\rLUT_3D_SIZE 2\r" \
        + "\r".join(_identity_rows(2)) + "\r"
    (tmp_path / "cr.cube").write_text(text, newline="")
    lut = read_cube(tmp_path / "cr.cube")
    assert lut.title == "bare words"
    assert lut.domain_max == (2.0, 2.0, 2.0)


@pytest.mark.parametrize(
    ("text", "row", "needle"),
    [
        ("TITLE \"1d\"\nLUT_1D_SIZE 4\n0 0 0\n0.3 0.3 0.3\n0.6 0.6 0.6\n1 1 1\n", 2, "1D"),
        (_cube_text(2, _identity_rows(2)[:7], "# short\n"), 9, "expected 8 table rows"),
        (_cube_text(2, [*_identity_rows(2), "1 1 1"]), 10, "more than 8"),
        (_cube_text(2, [*_identity_rows(2)[:5], "0.5 abc 0.1", *_identity_rows(2)[6:]]), 7,
         "not a number"),
        (_cube_text(2, [*_identity_rows(2)[:2], "0.5 0.1", *_identity_rows(2)[3:]]), 4,
         "3 numbers"),
        (_cube_text(2, [*_identity_rows(2)[:3], "nan 0 0", *_identity_rows(2)[4:]]), 5,
         "non-finite"),
        ("# c\nTITLE \"x\"\nLUT_3D_SIZE 1\n0 0 0\n", 3, "outside 2..256"),
        ("LUT_3D_SIZE 300\n", 1, "outside 2..256"),
        ("LUT_3D_SIZE 2.5\n", 1, "whole number"),
        ("TITLE \"x\"\n0 0 0\nLUT_3D_SIZE 2\n", 2, "before LUT_3D_SIZE"),
        (_cube_text(2, _identity_rows(2), "DOMAIN_MIN 0 0 0\nDOMAIN_MAX 1 0 1\n"), 2,
         "below DOMAIN_MAX"),
        (_cube_text(2, [*_identity_rows(2), "TITLE \"late\""]), 10, "after the table"),
    ],
    ids=["1d", "too-few", "too-many", "text-value", "two-values", "nan", "size-1",
         "size-300", "size-fraction", "data-first", "bad-domain", "late-keyword"],
)
def test_malformed_files_name_the_line(tmp_path, text, row, needle):
    path = tmp_path / "bad.cube"
    path.write_text(text)
    with pytest.raises(DataFileError) as info:
        read_cube(path)
    err = info.value
    assert err.row == row
    assert needle in str(err)
    assert f"row {row}" in str(err)
    assert str(path) in str(err)


@pytest.mark.parametrize("content", [b"", b"# only a comment\n", b"TITLE \"x\"\n"])
def test_no_size_line(tmp_path, content):
    (tmp_path / "e.cube").write_bytes(content)
    with pytest.raises(DataFileError, match="no LUT_3D_SIZE"):
        read_cube(tmp_path / "e.cube")


def test_missing_file(tmp_path):
    with pytest.raises(DataFileError, match="cannot read"):
        read_cube(tmp_path / "nope.cube")


def test_lut_validation():
    with pytest.raises(ValueError, match="shape"):
        Lut3D(3, np.zeros((3, 3, 3)))
    with pytest.raises(ValueError, match="size"):
        Lut3D(1, np.zeros((1, 1, 1, 3)))
    with pytest.raises(ValueError, match="domain"):
        Lut3D(2, identity(2).table, domain_min=(0, 0, 1), domain_max=(1, 1, 1))
    lut = identity(4)
    assert lut.table.dtype == np.float32
    with pytest.raises(ValueError):
        lut.table[0, 0, 0, 0] = 1.0  # read-only, like the frozen dataclass around it


# ---------------------------------------------------------------------------------------
# Applying and blending
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [2, 17, 33])
def test_identity_is_a_no_op(size):
    rng = np.random.default_rng(size)
    img = rng.integers(0, 256, (37, 53, 3), dtype=np.uint8)
    assert np.array_equal(apply_lut(identity(size), img), img)
    levels = np.arange(256, dtype=np.uint8)
    every = np.stack(np.meshgrid(levels, levels[::5], levels[::7], indexing="ij"), -1)
    assert np.array_equal(apply_lut(identity(size), every), every)


def test_apply_interpolates_between_grid_points():
    lut = Lut3D(2, 1.0 - identity(2).table)  # an inverting LUT is linear: exact everywhere
    img = np.arange(256, dtype=np.uint8)[:, None].repeat(3, axis=1)
    assert np.array_equal(apply_lut(lut, img), 255 - img)
    with pytest.raises(ValueError, match="uint8"):
        apply_lut(lut, img.astype(np.float32))


def test_blend():
    lut = presets.look("teal-orange").lut()
    assert np.allclose(blend(lut, 0.0).table, identity(lut.size).table, atol=1e-6)
    assert np.allclose(blend(lut, 1.0).table, lut.table)
    half = blend(lut, 0.5)
    assert np.allclose(half.table, (lut.table + identity(lut.size).table) / 2, atol=1e-6)
    assert half.title.endswith("(50%)")
    for bad in (-0.1, 1.5, float("nan")):
        with pytest.raises(ValueError):
            blend(lut, bad)


# ---------------------------------------------------------------------------------------
# ffmpeg's lut3d agrees with apply_lut
# ---------------------------------------------------------------------------------------

def _ffmpeg_frame(vf: str) -> np.ndarray:
    cmd = [*base_args(), "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=s=320x240:d=1",
           "-frames:v", "1", "-vf", vf, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]
    proc = subprocess.run(cmd, capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return np.frombuffer(proc.stdout, np.uint8).reshape(240, 320, 3)


@cache
def _source_frame() -> np.ndarray:
    return _ffmpeg_frame("format=rgb24")


@pytest.mark.parametrize("name", ["teal-orange", "vintage-fade", "bright-lift"])
def test_ffmpeg_lut3d_matches_numpy(name):
    path = LUTS / f"{name}.cube"
    graph = f"format=rgb24,lut3d=file={escape_filter_path(path)}:interp=trilinear,format=rgb24"
    ours = apply_lut(read_cube(path), _source_frame()).astype(np.int16)
    theirs = _ffmpeg_frame(graph).astype(np.int16)
    diff = np.abs(ours - theirs)
    assert diff.mean() < 2.0, diff.mean()
    assert np.percentile(diff, 99.9) <= 2
    assert np.abs(theirs - _source_frame()).max() > 8  # the look did change the frame


def test_ffmpeg_agrees_on_a_wider_domain(tmp_path):
    """DOMAIN_MAX above 1 (HDR-style input range from 0) is read the same way by ffmpeg."""
    lo, hi = (0.0, 0.0, 0.0), (2.0, 2.0, 2.0)
    grid = Lut3D(9, identity(9).table, domain_min=lo, domain_max=hi).grid()
    lut = Lut3D(9, np.clip(grid, 0, 1) ** 0.7, domain_min=lo, domain_max=hi)
    path = write_cube(lut, tmp_path / "wide domain.cube")
    graph = f"format=rgb24,lut3d=file={escape_filter_path(path)}:interp=trilinear,format=rgb24"
    ours = apply_lut(read_cube(path), _source_frame()).astype(np.int16)
    theirs = _ffmpeg_frame(graph).astype(np.int16)
    assert np.abs(ours - theirs).mean() < 2.0
    assert np.abs(ours - theirs).max() <= 2


@pytest.mark.parametrize("name", ["warm", "cool"])
def test_a_separable_look_runs_as_curves_with_the_same_colours(name, tmp_path):
    """A look of per-channel curves renders through ``lutrgb`` on 16-bit RGB (the render's
    fast path) within one code value of ``lut3d`` on float RGB (the general path)."""
    lut = blend(_shipped(name), 0.8)
    curves = separable_curves(lut)
    assert curves is not None and curves.shape == (3, lut.size)
    path = write_cube(lut, tmp_path / "look.cube")
    to_rgb = "zscale=min=709:rin=limited,format="
    back = ",zscale=m=709:r=limited,format=yuv444p"
    general = f"{to_rgb}gbrpf32le,lut3d=file={escape_filter_path(path)}:interp=tetrahedral{back}"
    fast = (f"{to_rgb}gbrp16le,lutrgb=" + ":".join(
        f"{c}='{curve_expr(curves[i])}'" for i, c in enumerate("rgb")) + back)
    for source in ("testsrc2=s=320x240,format=yuv420p",
                   "gradients=s=320x240:c0=black:c1=white:c2=red:c3=blue:nb_colors=4:seed=1,"
                   "format=yuv420p"):
        frames = []
        for graph in (general, fast, "format=yuv444p"):
            cmd = [*base_args(), "-loglevel", "error", "-f", "lavfi", "-i", source,
                   "-frames:v", "1", "-vf", graph, "-f", "rawvideo", "pipe:1"]
            proc = subprocess.run(cmd, capture_output=True, check=True)
            frames.append(np.frombuffer(proc.stdout, np.uint8).astype(np.int16))
        ours, theirs, before = frames
        assert np.abs(ours - theirs).max() <= 1
        assert np.abs(ours - theirs).mean() < 0.25
        assert np.abs(theirs - before).max() > 8  # the look did change the frame


def test_only_per_channel_luts_are_separable():
    assert separable_curves(_shipped("teal-orange")) is None
    assert separable_curves(_shipped("black-and-white")) is None  # grey mixes the channels
    swapped = Lut3D(3, identity(3).table[..., ::-1])  # red out of blue: not per channel
    assert separable_curves(swapped) is None
    gains = Lut3D(5, identity(5).table * np.float32([0.9, 1.0, 1.1]))
    assert np.allclose(separable_curves(gains), np.linspace(0, 1, 5) * [[0.9], [1.0], [1.1]])
    wide = Lut3D(5, identity(5).table, domain_max=(2.0, 2.0, 2.0))
    assert separable_curves(wide) is None


# ---------------------------------------------------------------------------------------
# The shipped looks
# ---------------------------------------------------------------------------------------

def _hsv_sweep() -> np.ndarray:
    """Hues x saturations x values, as RGB uint8, shape (48*8, 12, 3)."""
    h, s, v = np.meshgrid(np.arange(48) * 180 // 48, np.linspace(0, 255, 8),
                          np.linspace(13, 255, 12), indexing="ij")
    hsv = np.stack([h, s, v], -1).astype(np.uint8).reshape(-1, 1, 3)
    return cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB).reshape(48 * 8, 12, 3)


def _luma(img: np.ndarray) -> np.ndarray:
    return img.astype(np.float64) @ np.array([0.2126, 0.7152, 0.0722])


def _chroma(img: np.ndarray) -> np.ndarray:
    f = img.astype(np.float64)
    return f.max(axis=-1) - f.min(axis=-1)


def _warmth(img: np.ndarray) -> float:
    f = img.reshape(-1, 3).astype(np.float64)
    return float((f[:, 0].mean() + 1) / (f[:, 2].mean() + 1))


@cache
def _shipped(name: str) -> Lut3D:
    return read_cube(LUTS / LOOKS[name]["file"])


def test_manifest_and_files():
    names = [e["name"] for e in MANIFEST["looks"]]
    assert len(names) >= 8
    assert len(set(names)) == len(names)
    assert names == [lk.name for lk in presets.LOOKS]
    readme = (LUTS / "README.md").read_text(encoding="utf-8")
    assert "generated by tools.looks, CC0" in readme
    for entry in MANIFEST["looks"]:
        path = LUTS / entry["file"]
        assert path.stat().st_size < 500_000
        assert entry["description"] and "\n" not in entry["description"]
        assert entry["niches"] and set(entry["niches"]) <= set(NICHES)
        for key in ("warmth", "brightness", "saturation", "contrast"):
            assert entry[key] in (-1, 0, 1)
        assert isinstance(entry["lifts_shadows"], bool)
        assert f"`{entry['file']}`" in readme
        assert read_cube(path).size == entry["lut_size"] in (17, 25)
    assert {"warm", "cool", "teal-orange", "vintage-fade", "black-and-white", "vivid",
            "moody", "soft-pastel"} <= set(names)


@pytest.mark.parametrize("name", list(LOOKS))
def test_shipped_file_is_current(name):
    """assets/luts matches the code: run ``python tools/make_assets.py looks`` when not."""
    lut = _shipped(name)
    fresh = presets.look(name).lut(lut.size)
    assert np.max(np.abs(lut.table - fresh.table)) <= 1e-6
    assert lut.title == fresh.title


@pytest.mark.parametrize("name", list(LOOKS))
def test_look_does_what_its_manifest_says(name):
    entry = LOOKS[name]
    lut = _shipped(name)
    img = _hsv_sweep()
    out = apply_lut(lut, img)
    grey = np.repeat(np.arange(20, 236, dtype=np.uint8)[None, :, None], 3, axis=2)
    grey_out = apply_lut(lut, grey).astype(np.float64)
    grey_r_minus_b = float((grey_out[..., 0] - grey_out[..., 2]).mean())

    d_warm = _warmth(out) / _warmth(img) - 1.0
    if entry["warmth"] == 1:
        assert d_warm > 0.03 and grey_r_minus_b > 3
    elif entry["warmth"] == -1:
        assert d_warm < -0.03 and grey_r_minus_b < -3
    else:
        assert abs(d_warm) < 0.05 and abs(grey_r_minus_b) < 4

    d_luma = _luma(out).mean() - _luma(img).mean()
    if entry["brightness"] == 1:
        assert d_luma > 4
    elif entry["brightness"] == -1:
        assert d_luma < -4
    else:
        assert abs(d_luma) < 8

    d_sat = _chroma(out).mean() / _chroma(img).mean() - 1.0
    if entry["monochrome"]:
        assert _chroma(out).max() <= 1
    elif entry["saturation"] == 1:
        assert d_sat > 0.05
    elif entry["saturation"] == -1:
        assert d_sat < -0.05
    else:
        assert abs(d_sat) < 0.08

    d_contrast = _luma(out).std() - _luma(img).std()
    if entry["contrast"] == 1:
        assert d_contrast > 2
    elif entry["contrast"] == -1:
        assert d_contrast < -2
    else:
        assert abs(d_contrast) < 3

    dark = np.repeat(np.arange(0, 40, dtype=np.uint8)[None, :, None], 3, axis=2)
    lift = float(apply_lut(lut, dark).astype(np.float64).mean() - dark.mean())
    assert (lift > 8) if entry["lifts_shadows"] else (lift <= 2)


@pytest.mark.parametrize("name", list(LOOKS))
def test_look_is_moderate_and_keeps_skin_plausible(name):
    lut = _shipped(name)
    img = _hsv_sweep()
    out = apply_lut(lut, img)
    # White stays light, black stays dark: usable at full strength.
    ends = apply_lut(lut, np.array([[[255, 255, 255], [0, 0, 0]]], dtype=np.uint8))
    assert _luma(ends[0, 0]) >= 235 and _luma(ends[0, 1]) <= 25
    if LOOKS[name]["monochrome"]:
        return
    assert np.abs(out.astype(np.int16) - img).mean() < 30
    skin = apply_lut(lut, SKIN)[0].astype(np.float64)
    hue, sat = colour_ops._hsv_hue_sat(skin / 255.0)
    assert np.all((hue >= 12) & (hue <= 45)), hue  # still orange-red: no green or grey faces
    assert np.all((sat >= 0.15) & (sat <= 0.9)), sat
    assert np.all((skin[:, 0] > skin[:, 1]) & (skin[:, 1] > skin[:, 2]))
