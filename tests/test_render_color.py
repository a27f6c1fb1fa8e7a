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


@pytest.mark.parametrize(("exposure", "gamma", "expected"), [
    (0.0, 1.0, []),
    (1e-6, 1.00001, []),  # written as brightness=0.0000:gamma=1.0000: eq would only copy
    (-1e-6, 1.0, []),
    (0.0, 1.512, ["eq=brightness=0.0000:gamma=1.5120"]),
    (-0.5, 1.0, ["eq=brightness=-0.0500:gamma=1.0000"]),
])
def test_an_eq_is_written_only_when_it_changes_the_picture(tmp_path, exposure, gamma, expected):
    from types import SimpleNamespace

    from creator_tools.edit.plan import Enhance
    from creator_tools.edit.video_graph import _grade

    plan = SimpleNamespace(enhance=Enhance(exposure=exposure, gamma=gamma), look=Look())
    video = SimpleNamespace(yuv_matrix="bt709", full_range=False)
    assert _grade(plan, tmp_path, video, tonemapped=False) == expected  # type: ignore[arg-type]
