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

    def build(out: Path) -> None:  # gradients' seed is random unless given
        mediagen.ffmpeg("-f", "lavfi", "-i", f"gradients=s={W}x{H}:r=30:d=1:n=5:speed=0:seed=1:"
                        "c0=0xc68863:c1=0x5b86b8:c2=0x3f6b3a:c3=0xe3d2b5:c4=0x6a3b5e",
                        "-f", "lavfi", "-i", "sine=f=440:d=1:sample_rate=48000",
                        "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0",
                        "-pix_fmt", "yuv420p", *tags, "-c:a", "aac", str(out))

    return mediagen._cached(f"gradient-{tag}", "mp4", {"v": 2, "tag": tag}, build)


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


def wide_gradient_clip() -> Path:
    """1 s of colour gradients at 640x360 (16:9, BT.709 tagged), lossless: reframed to 9:16
    by a crop. The gradients' seed is fixed (ffmpeg draws one at random otherwise)."""
    def build(out: Path) -> None:
        mediagen.ffmpeg("-f", "lavfi", "-i", "gradients=s=640x360:r=30:d=1:n=5:speed=0:seed=3:"
                        "c0=0xc68863:c1=0x5b86b8:c2=0x3f6b3a:c3=0xe3d2b5:c4=0xd8c020",
                        "-f", "lavfi", "-i", "sine=f=440:d=1:sample_rate=48000",
                        "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0",
                        "-pix_fmt", "yuv420p", "-colorspace", "bt709", "-color_primaries",
                        "bt709", "-color_trc", "bt709", "-c:a", "aac", str(out))

    return mediagen._cached("gradient-wide", "mp4", {"v": 2}, build)


def real_second(name: str) -> Path:
    """One second of ``../shared/media/video/NAME`` at 640x360, lossless, with a tone."""
    def build(out: Path) -> None:
        mediagen.ffmpeg("-ss", "1", "-t", "1", "-i", str(mediagen.SHARED_MEDIA / "video" / name),
                        "-f", "lavfi", "-i", "sine=f=440:d=1:sample_rate=48000",
                        "-map", "0:v", "-map", "1:a", "-vf",
                        "fps=30,scale=640:360:flags=bicubic,setsar=1,format=yuv420p",
                        "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0",
                        "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc",
                        "bt709", "-c:a", "aac", "-shortest", str(out))

    return mediagen._cached(f"second-{Path(name).stem}", "mp4", {"v": 1, "src": name}, build)


def yuv_frame(path: Path) -> np.ndarray:
    out = subprocess.run([*base_args(), "-i", input_path_arg(path), "-frames:v", "1",
                          "-f", "rawvideo", "-pix_fmt", "yuv420p", "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(out, np.uint8).astype(float)


def render_both_paths(clip: Path, look: str, tmp_path: Path, monkeypatch
                      ) -> tuple[np.ndarray, np.ndarray]:
    """The first frame of ``clip`` cropped to 9:16 with ``look`` and a lifted gamma, graded on
    the YUV planes and on RGB (the graph's other path), as 4:2:0 planes in one array each."""
    from creator_tools.edit import video_graph
    from creator_tools.edit.plan import Enhance

    monkeypatch.setenv("CREATOR_CACHE_DIR", str(tmp_path / "cache"))
    plan = make_plan(analyze(clip), EditOptions(
        look=Look(look, str(asset_path("luts", f"{look}.cube")), 1.0), music=None,
        cut="none", enhance=False, voice_cleanup=False, reframe="crop"))
    plan.enhance = Enhance(gamma=1.3)
    plan.output = replace(OutputSpec(width=W, height=H, preset="ultrafast", crf=1),
                          fps=plan.output.fps)
    assert plan.reframe.mode == "crop"
    graph = video_graph.video_graph(plan, probe(clip), tmp_path)
    assert "look-planes.cube" in graph and "zscale=min" not in graph
    planes = yuv_frame(render(plan, tmp_path / "planes.mp4").output)
    monkeypatch.setattr(video_graph, "_planar", lambda *a, **k: False)
    return planes, yuv_frame(render(plan, tmp_path / "rgb.mp4").output)


def plane_parts() -> tuple[tuple[str, slice], ...]:
    n = W * H
    return (("Y", slice(0, n)), ("U", slice(n, n + n // 4)), ("V", slice(n + n // 4, None)))


@pytest.mark.parametrize("look", ["vivid", "teal-orange", "warm"])
def test_a_look_on_the_yuv_planes_matches_the_rgb_path(tmp_path, monkeypatch, look):
    """A crop of one size with a look is graded on the 4:2:0 planes
    (creator_tools.looks.yuv), with a tone curve folded in: on smooth gradients the picture
    is the one the RGB path (zscale, lut3d on float RGB or, for per-channel curves such as
    warm, lutrgb on 16-bit RGB, zscale) makes, to a code value.
    (Measured over 8 seeds of the gradients and both looks: means within 0.27 codes of the
    RGB path, 99th percentiles 2 codes at most, luma PSNR 53.5 dB or more; this seed, 0.03.)"""
    planes, rgb = render_both_paths(wide_gradient_clip(), look, tmp_path, monkeypatch)
    for name, part in plane_parts():
        d = planes[part] - rgb[part]
        assert abs(d.mean()) < 0.5, (name, d.mean())
        assert np.percentile(np.abs(d), 99) <= 2.0, (name, np.percentile(np.abs(d), 99))
    assert psnr(planes[:W * H].reshape(H, W), rgb[:W * H].reshape(H, W)) > 45.0


@pytest.mark.parametrize("name", ["box.mp4", "vtest.avi"])
def test_a_look_on_the_yuv_planes_keeps_real_footage_s_levels(tmp_path, monkeypatch,
                                                               shared_media, name):
    """On real footage the planes' grade keeps the RGB path's mean levels to a tenth of a
    code and its luma to a code (box, vtest, cup, bikes measured: means within 0.06, luma PSNR
    55.8 dB or more). (Chroma at sharp colour edges differs by a few codes: the
    RGB path's own chroma up- and downsampling moves them that much with no look at all.)"""
    planes, rgb = render_both_paths(real_second(name), "vivid", tmp_path, monkeypatch)
    for name_, part in plane_parts():
        d = planes[part] - rgb[part]
        assert abs(d.mean()) < 0.25, (name_, d.mean())  # measured 0.06 at most
    d = planes[:W * H] - rgb[:W * H]
    assert np.percentile(np.abs(d), 99) <= 1.0
    assert psnr(planes[:W * H].reshape(H, W), rgb[:W * H].reshape(H, W)) > 45.0


def test_crop_branches_among_fill_ones_grade_on_their_own_planes(tmp_path, monkeypatch):
    """Runs of crop and fill in one plan: each crop branch gets its own labels and table on
    the planes, the fill branch two (its picture scaled to fit, its background at an eighth
    of the output's size), and the render holds every frame."""
    from creator_tools.edit import video_graph
    from creator_tools.edit.plan import LayoutSwitch

    monkeypatch.setenv("CREATOR_CACHE_DIR", str(tmp_path / "cache"))
    clip = wide_gradient_clip()
    plan = make_plan(analyze(clip), EditOptions(
        look=Look("vivid", str(asset_path("luts", "vivid.cube")), 0.8), music=None,
        cut="none", enhance=False, voice_cleanup=False, reframe="crop"))
    tb = plan.timebase
    plan.reframe = replace(plan.reframe, layout=[LayoutSwitch(int(0.3 / tb), "fill"),
                                                 LayoutSwitch(int(0.6 / tb), "crop")])
    plan.output = replace(OutputSpec(width=W, height=H, preset="ultrafast", crf=28),
                          fps=plan.output.fps)
    work = tmp_path / "work"
    work.mkdir()
    graph = video_graph.video_graph(plan, probe(clip), work)
    assert {p.name for p in work.glob("*.cube")} == {"look-planes0.cube", "look-planes2.cube",
                                                     "look-planes1f.cube", "look-planes1b.cube"}
    assert graph.count("extractplanes=y+u+v[gy0]") == 1
    assert graph.count("extractplanes=y+u+v[gy2]") == 1
    out = probe(render(plan, tmp_path / "mixed.mp4").output)
    assert (out.video.width, out.video.height) == (W, H)
    assert out.video.frames == round(plan.duration * float(plan.output.fps))
