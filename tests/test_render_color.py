"""The renderer's colour path: the look lands as the LUT says, in the source's own matrix."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from creator_tools.analysis.engine import analyze
from creator_tools.edit.plan import Look, OutputSpec
from creator_tools.edit.planner import EditOptions, make_plan
from creator_tools.edit.render import render
from creator_tools.looks.cube import apply_lut, read_cube
from creator_tools.media.ffmpeg import base_args, input_path_arg
from creator_tools.media.probe import probe
from creator_tools.resources import asset_path
from tests import mediagen

LUT = asset_path("luts", "teal-orange.cube")
W, H = 360, 640
_ZIMG = {"bt709": "709", "bt601": "170m"}


def rgb_frame(path: Path, matrix: str) -> np.ndarray:
    """The first frame of ``path`` as RGB, converted with YUV matrix ``matrix`` (limited range)."""
    vf = f"zscale=min={_ZIMG[matrix]}:rin=limited,format=gbrp"  # planar: zimg converts
    out = subprocess.run([*base_args(), "-i", input_path_arg(path),
                          "-frames:v", "1", "-vf", vf, "-f", "rawvideo", "-"],
                         capture_output=True, check=True).stdout
    g, b, r = np.frombuffer(out, np.uint8).reshape(3, H, W)
    return np.stack([r, g, b], axis=-1)


def gradient_clip(tag: str | None) -> Path:
    """1 s of smooth mid-tone colour gradients (skin, sky, foliage), lossless, colour-tagged
    ``tag`` or untagged, with a tone."""
    tags = ["-colorspace", tag, "-color_primaries", tag, "-color_trc", tag] if tag else []

    def build(out: Path) -> None:
        mediagen.ffmpeg("-f", "lavfi", "-i", f"gradients=s={W}x{H}:r=30:d=1:n=5:speed=0:"
                        "c0=0xc68863:c1=0x5b86b8:c2=0x3f6b3a:c3=0xe3d2b5:c4=0x6a3b5e",
                        "-f", "lavfi", "-i", "sine=f=440:d=1:sample_rate=48000",
                        "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0",
                        "-pix_fmt", "yuv420p", *tags, "-c:a", "aac", str(out))

    return mediagen._cached(f"gradient-{tag}", "mp4", {"v": 1, "tag": tag}, build)


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(float) - b.astype(float)) ** 2)
    return float(10 * np.log10(255**2 / max(mse, 1e-9)))


def stream_colour_tags(path: Path) -> dict[str, int]:
    """The colour tags of ``path``'s first decoded frame (H.264 VUI numbers: 1 is BT.709
    for primaries, transfer and matrix, 1 is limited range; 2 is "unspecified")."""
    import av

    with av.open(str(path)) as c:
        f = next(c.decode(video=0))
        return {"primaries": f.color_primaries, "transfer": f.color_trc,
                "matrix": f.colorspace, "range": f.color_range}


@pytest.mark.parametrize(("tag", "matrix"), [(None, "bt601"), ("bt709", "bt709")])
def test_look_matches_the_lut_in_the_sources_matrix(tmp_path, monkeypatch, tag, matrix):
    monkeypatch.setenv("CREATOR_CACHE_DIR", str(tmp_path / "cache"))
    clip = gradient_clip(tag)
    assert probe(clip).video.yuv_matrix == matrix
    a = analyze(clip)
    plan = make_plan(a, EditOptions(look=Look("teal-orange", str(LUT), 1.0), music=None,
                                    cut="none", enhance=False, voice_cleanup=False))
    assert plan.reframe.mode == "none"
    plan.output = replace(OutputSpec(width=W, height=H, preset="ultrafast", crf=4),
                          fps=plan.output.fps)
    out = render(plan, tmp_path / "graded.mp4").output
    v = probe(out).video
    assert (v.width, v.height, v.pix_fmt, v.matrix) == (W, H, "yuv420p", "bt709")
    assert stream_colour_tags(out) == {"primaries": 1, "transfer": 1, "matrix": 1, "range": 1}

    graded = rgb_frame(out, "bt709")
    lut = read_cube(LUT)
    expected = apply_lut(lut, rgb_frame(clip, matrix))
    wrong_matrix = apply_lut(lut, rgb_frame(clip, "bt709" if matrix == "bt601" else "bt601"))
    no_look = rgb_frame(clip, matrix)
    good = psnr(graded, expected)
    assert good > 45.0  # measured 50-51 dB: 4:2:0 and x264 rounding only
    assert good > psnr(graded, wrong_matrix) + 8.0  # measured 35-36 dB
    assert good > psnr(graded, no_look) + 10.0  # measured 30-31 dB


@pytest.mark.parametrize(("exposure", "gamma", "changes"), [
    (0.0, 1.0, False),
    (1e-6, 1.00001, False),  # rounds to brightness 0.0000, gamma 1.0000: a copy
    (-1e-6, 1.0, False),
    (0.0, 1.512, True),
    (-0.5, 1.0, True),
])
def test_a_tone_curve_is_written_only_when_it_changes_the_picture(tmp_path, exposure, gamma,
                                                                   changes):
    from types import SimpleNamespace

    from creator_tools.edit.plan import Enhance
    from creator_tools.edit.video_graph import _grade

    plan = SimpleNamespace(enhance=Enhance(exposure=exposure, gamma=gamma), look=Look())
    video = SimpleNamespace(yuv_matrix="bt709", full_range=False, bit_depth=8)
    got = _grade(plan, tmp_path, video, tonemapped=False)  # type: ignore[arg-type]
    assert got == ([got[0]] if changes else [])
    assert not changes or got[0].startswith("lutyuv=y='clip(16+219*")


def grey_ramp() -> Path:
    """1 s of a horizontal grey ramp from limited-range black (16) to white (235), lossless."""
    def build(out: Path) -> None:
        mediagen.ffmpeg("-f", "lavfi", "-i", f"color=gray:s={W}x{H}:r=30:d=1,format=yuv420p,"
                        f"geq=lum='16+floor(X*220/{W})':cb=128:cr=128",
                        "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0",
                        "-pix_fmt", "yuv420p", "-color_range", "tv", str(out))

    return mediagen._cached("grey-ramp", "mp4", {"v": 1}, build)


def luma_row(path: Path) -> np.ndarray:
    out = subprocess.run([*base_args(), "-i", input_path_arg(path), "-frames:v", "1",
                          "-f", "rawvideo", "-pix_fmt", "yuv420p", "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(out, np.uint8)[: W * H].reshape(H, W)[H // 2].astype(float)


@pytest.mark.parametrize("look", [None, "teal-orange"])
def test_a_lifted_gamma_keeps_black_black_and_white_white(tmp_path, monkeypatch, look):
    """ffmpeg's eq gamma turned limited-range black (16) into grey (41); the tone curve
    works between black and white, alone (lutyuv) or folded into the look's LUT."""
    from creator_tools.edit.plan import Enhance
    from creator_tools.looks.tone import luma_curve

    monkeypatch.setenv("CREATOR_CACHE_DIR", str(tmp_path / "cache"))
    clip = grey_ramp()
    a = analyze(clip)
    chosen = Look(look, str(asset_path("luts", f"{look}.cube")), 1.0) if look else Look()
    plan = make_plan(a, EditOptions(look=chosen, music=None, cut="none", enhance=False,
                                    voice_cleanup=False))
    plan.enhance = Enhance(gamma=1.6)
    plan.output = replace(OutputSpec(width=W, height=H, preset="ultrafast", crf=1),
                          fps=plan.output.fps)
    out = render(plan, tmp_path / "lifted.mp4").output
    src, got = luma_row(clip), luma_row(out)
    if look is None:
        want = 16 + 219 * luma_curve((src - 16) / 219, brightness=0.0, gamma=1.6)
        assert np.abs(got - want)[4:-4].max() <= 2.0  # measured 1.0 (eq: 20)
    else:  # the look's own tones on top of the curve, as the LUT maps the lifted greys
        lut = read_cube(asset_path("luts", f"{look}.cube"))
        grey = luma_curve((src - 16) / 219, brightness=0.0, gamma=1.6)
        rgb = np.clip(np.rint(np.clip(grey, 0, 1) * 255), 0, 255).astype(np.uint8)
        mapped = apply_lut(lut, np.repeat(rgb[:, None], 3, axis=1)).astype(float) / 255
        want = 16 + 219 * (mapped @ np.array([0.2126, 0.7152, 0.0722]))
        assert np.abs(got - want)[8:-8].max() <= 3.0  # measured 2.2 (eq: 16)
    assert got[:4].mean() < 20  # black stays black (eq gave 41)
    assert got[-4:].mean() > 230  # white stays white
    assert got[W // 4] > src[W // 4] + 15  # the shadows are lifted (measured +24)
