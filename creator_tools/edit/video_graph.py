"""The picture of an edit as one ffmpeg filtergraph: cuts, tone mapping, the virtual camera's
window (reframing and stabilization), corrections, the look, burned captions; it ends in
``[vout]``."""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np

from creator_tools.edit.filtergraph import (
    curve_expr,
    cut_and_join,
    layout_runs,
    output_path_points,
    piecewise_expr,
    zoom_changes,
)
from creator_tools.edit.plan import EditPlan
from creator_tools.looks.cube import (
    Lut3D,
    blend,
    compose,
    format_cube,
    read_cube,
    sample_lut,
    separable_curves,
)
from creator_tools.looks.tone import TOE, is_identity, lift_luma
from creator_tools.looks.yuv import MATRIX_WEIGHTS, chroma_grade, luma_table_expr
from creator_tools.media.ffmpeg_escape import escape_filter_path
from creator_tools.media.probe import MediaInfo, VideoInfo

#: The label of the graph's output.
VIDEO_OUT = "vout"


def _even(x: float) -> int:
    return max(2, int(round(x / 2)) * 2)


def video_graph(plan: EditPlan, info: MediaInfo, workdir: Path) -> str:
    """The filtergraph (one chain per line) that turns input 0's video into ``[vout]``.

    Files the graph reads (the LUT, captions, fonts) are written to ``workdir``: no path from
    the plan or the command line appears inside a filter string.
    """
    v = info.video
    assert v is not None
    out = plan.output
    # -- cut ------------------------------------------------------------------------------
    chains = cut_and_join(
        f"[0:v:0]fps={out.fps}",
        [f"trim=start_frame={seg.start}:end_frame={seg.end},setpts=PTS-STARTPTS"
         for seg in plan.segments],
        audio=False, out="vcat")
    # -- picture: one layout, or one branch per run of a layout ---------------------------
    runs = layout_runs(plan)
    if len(runs) == 1:
        chains += _layout(plan, v, workdir, runs[0][2], "vcat", "vlaid")
    else:  # a shot shown whole among cropped ones: each run in its own branch, joined again
        chains.append("[vcat]split=" + str(len(runs)) +
                      "".join(f"[lay{i}]" for i in range(len(runs))))
        for i, (start, end, mode) in enumerate(runs):
            # Trimmed on the output's clock, which the crop's path and zoom commands follow;
            # each branch restarts at 0 only after its picture is made.
            trim = f"trim=start={start:.6f}" + ("" if end is None else f":end={end:.6f}")
            chains += _layout(plan, v, workdir, mode, f"lay{i}", f"laid{i}", first=trim,
                              last="setpts=PTS-STARTPTS", tag=str(i))
        chains.append("".join(f"[laid{i}]" for i in range(len(runs)))
                      + f"concat=n={len(runs)}:v=1:a=0[vlaid]")
    captions = _burned_captions(plan, workdir, "vlaid", "vcap")
    chains += captions
    # The pictures are BT.709 limited range by now (the grade converts other matrices). The
    # frames carry the tags to x264 and the stream: ffmpeg 9 takes them from the frames and
    # ignores -colorspace/-color_primaries/-color_trc/-color_range on the output.
    chain = ["setsar=1", "format=yuv420p",
             "setparams=range=tv:color_primaries=bt709:color_trc=bt709:colorspace=bt709"]
    chains.append(f"[{'vcap' if captions else 'vlaid'}]" + ",".join(chain) + f"[{VIDEO_OUT}]")
    return ";\n".join(chains)


def _layout(plan: EditPlan, v: VideoInfo, workdir: Path, mode: str, src: str, dst: str, *,
            first: str | None = None, last: str | None = None, tag: str = "") -> list[str]:
    """Chains from ``[src]`` to ``[dst]`` laying the cut picture out by ``mode`` at the
    output's size: tone mapping, the virtual camera's window (crop), the whole picture over a
    blurred copy (fill) or on black (letterbox, none), denoise and the grade. ``first`` and
    ``last`` are filters run before and after; ``tag`` keeps a branch's labels apart."""
    e = plan.enhance
    out = plan.output
    W, H = out.width, out.height
    sw, sh = v.display_width, v.display_height
    chain: list[str] = [first] if first else []
    tonemap = e.tonemap or plan.source("main").hdr
    if tonemap:
        chain += ["zscale=t=linear:npl=100", "format=gbrpf32le", "zscale=p=bt709",
                  "tonemap=hable:desat=0", "zscale=t=bt709:m=bt709:r=tv", "format=yuv420p"]
    # Grading runs where the picture has the fewest pixels: on the crop before upscaling, on
    # the scaled picture before padding, on the source before the fill composition.
    tail = ["setsar=1", *([last] if last else [])]
    if mode == "crop":
        # No stabilizing filter: the virtual camera's window (its path in the plan) holds a
        # shaky picture still at no cost per pixel.
        window, size = _window(plan, v, workdir, tag)
        chain += window
        if e.denoise > 0:
            chain.append(_denoise(e.denoise))
        # A window of one size: the grade may run on the YUV planes.
        grade = _grade(plan, workdir, v, tonemapped=tonemap, size=size, tag=tag)
        chain += [*grade, f"scale={W}:{H}:flags=bicubic", *tail]
        return [f"[{src}]" + ",".join(chain) + f"[{dst}]"]
    if mode == "fill":
        # The picture scaled to fit, graded at that size; behind it a copy graded, blurred and
        # darkened at an eighth of the output's size, then brought up: nothing per pixel runs
        # on the source's full size or on the output's (a 1080p source graded whole and a
        # full-size brightness filter doubled the cost of a fill shot).
        if e.denoise > 0:
            chain.append(_denoise(e.denoise))
        fit = min(W / sw, H / sh)
        fw, fh = min(W, _even(sw * fit)), min(H, _even(sh * fit))
        small = (_even(W / 8), _even(H / 8))
        fg_grade = _grade(plan, workdir, v, tonemapped=tonemap, size=(fw, fh), tag=f"{tag}f")
        bg_grade = _grade(plan, workdir, v, tonemapped=tonemap, size=small, tag=f"{tag}b")
        # Scaled, the picture keeps the source's pixel format (the grade was chosen for it).
        keep = [f"format={v.pix_fmt}"] if v.pix_fmt and not tonemap else []
        fg, bg, bgb, fgs = (f"{x}{tag}" for x in ("fg", "bg", "bgb", "fgs"))
        return [
            f"[{src}]{','.join([*chain, 'split'])}[{fg}][{bg}]",
            f"[{bg}]" + ",".join([
                f"scale={small[0]}:{small[1]}:force_original_aspect_ratio=increase",
                f"crop={small[0]}:{small[1]}", *keep, *bg_grade, "boxblur=4:2",
                "eq=brightness=-0.06", f"scale={W}:{H}"]) + f"[{bgb}]",
            f"[{fg}]" + ",".join([f"scale={fw}:{fh}:flags=bicubic", *keep, *fg_grade])
            + f"[{fgs}]",
            f"[{bgb}][{fgs}]overlay=(W-w)/2:(H-h)/2,{','.join(tail)}[{dst}]",
        ]
    grade = _grade(plan, workdir, v, tonemapped=tonemap)
    # letterbox, none
    if e.denoise > 0:
        chain.append(_denoise(e.denoise))
    chain.append(f"scale={W}:{H}:force_original_aspect_ratio=decrease:"
                 "force_divisible_by=2:flags=bicubic")
    chain += [*grade, f"pad={W}:{H}:(ow-iw)/2:(oh-ih)/2:black", *tail]
    return [f"[{src}]" + ",".join(chain) + f"[{dst}]"]


def _window(plan: EditPlan, v: VideoInfo, workdir: Path, tag: str = ""
            ) -> tuple[list[str], tuple[int, int] | None]:
    """The virtual camera's window: a ``crop`` whose centre follows the keyframes (expressions
    of the output's time) and whose size a ``sendcmd`` changes where the steadying zoom does;
    and its size when it keeps one. ``tag`` names this branch's crop: a command reaches only
    the first filter of its name."""
    from creator_tools.edit.reframe import CropGeometry

    sw, sh = v.display_width, v.display_height
    geo = CropGeometry.for_aspect(sw, sh, plan.output.width, plan.output.height,
                                  plan.reframe.zoom)

    def size(zoom: float) -> tuple[int, int]:
        return (min(_even(geo.width * sw / zoom), sw - sw % 2),
                min(_even(geo.height * sh / zoom), sh - sh % 2))

    chain = []
    zooms = zoom_changes(plan)
    cw, ch = size(zooms[0][1])
    name = f"crop@camera{tag}"
    if len(zooms) > 1:
        cmds = workdir / f"zoom{tag}.cmd"
        cmds.write_text("".join(f"{t:.6f} {name} w {w}, {name} h {h};\n"
                                for t, (w, h) in ((t, size(z)) for t, z in zooms[1:])),
                        encoding="utf-8")
        chain.append(f"sendcmd=f={escape_filter_path(str(cmds))}")
    x = piecewise_expr(output_path_points(plan, "x"), sw, 0, 0, sw)
    y = piecewise_expr(output_path_points(plan, "y"), sh, 0, 0, sh)
    chain.append(f"{name}=w={cw}:h={ch}:x='clip({x}-ow/2,0,iw-ow)':"
                 f"y='clip({y}-oh/2,0,ih-oh)':exact=1")
    return chain, (cw, ch) if len(zooms) == 1 else None


#: zimg names of the YUV matrices :class:`VideoInfo` reports.
_ZIMG_MATRIX = {"bt709": "709", "bt601": "170m", "bt2020": "2020_ncl"}
#: Grid of a look's LUT that also holds the tone curve and the white balance.
FOLDED_LUT_SIZE = 33


def _grade(plan: EditPlan, workdir: Path, v: VideoInfo, *, tonemapped: bool,
           size: tuple[int, int] | None = None, tag: str = "") -> list[str]:
    """Exposure, white balance and the look, as filters; the picture leaves in BT.709.

    The RGB steps (white balance, the LUT) run on planar float RGB converted by zscale with the
    source's own matrix and range: there ffmpeg's lut3d has its SIMD path, and zimg converts
    about twice as fast as swscale's 8-bit RGB path (see docs/benchmarks.md). With a 3D look,
    the tone curve (exposure, gamma) and the white balance are folded into its LUT; otherwise
    the curve is a ``lutyuv`` on luma, between the picture's black and white. A source in
    another matrix or in full range is converted to BT.709 limited range even without a look,
    so the output's colour tags tell the truth.

    A look (3D, or per-channel curves) on an 8-bit 4:2:0 picture of one known ``size``
    (even) skips RGB: see :func:`_planar_grade`. ``tag`` keeps a branch's labels apart.
    """
    e = plan.enhance
    out = []
    brightness, gamma = round(e.exposure * 0.1, 4) + 0.0, round(e.gamma, 4)
    tone = not is_identity(brightness=brightness, gamma=gamma)  # 1e-6 off is no change
    matrix, full = ("bt709", False) if tonemapped else (v.yuv_matrix, v.full_range)
    source = f"min={_ZIMG_MATRIX[matrix]}:rin={'full' if full else 'limited'}"
    rgb, rgb_format = [], "gbrpf32le"
    gains = e.red_gain != 1.0 or e.blue_gain != 1.0
    look = plan.look.lut if plan.look.lut and plan.look.strength > 0 else None
    if look and size is not None and _planar(v, size, tonemapped=tonemapped):
        # The tone curve, the white balance and the look (a 3D one or per-channel curves),
        # graded on the YUV planes.
        tables = _planar_tables(_look_key(look, plan.look.strength), brightness, gamma,
                                (e.red_gain, e.blue_gain), v.yuv_matrix, v.full_range)
        return _planar_grade(tables, workdir, size, tag)
    lut = _prepared_lut(look, plan.look.strength) if look else None
    curves = separable_curves(lut) if lut is not None and not gains else None
    if curves is not None:
        # Elsewhere (a letterbox, another depth or pixel format, a tone-mapped picture), a
        # look made of per-channel curves is a table lookup per sample on 16-bit RGB: a fifth
        # of the 3D LUT's cost, the same colours to a code value. (A white balance's gains
        # keep the float path: there a highlight over white stays white.)
        rgb_format = "gbrp16le"
        rgb.append("lutrgb=" + ":".join(f"{c}='{curve_expr(curves[i])}'"
                                        for i, c in enumerate("rgb")))
    elif look is not None:
        # The tone curve and the white balance go into the look's LUT: one lookup per pixel.
        cube = workdir / "look.cube"  # under a plain name; the branches of a graph share it
        if not cube.exists():
            cube.write_text(_folded_cube(_look_key(look, plan.look.strength), brightness,
                                         gamma, (e.red_gain, e.blue_gain)),
                            encoding="utf-8", newline="\n")
        tone = False
        rgb.append(f"lut3d=file={escape_filter_path(str(cube))}:interp=tetrahedral")
    elif gains:
        rgb.append(f"colorchannelmixer=rr={e.red_gain:.4f}:bb={e.blue_gain:.4f}")
    if tone:
        depth = 8 if tonemapped else v.bit_depth
        out.append(_tone_filter(brightness, gamma, depth=depth, full=full))
    # Back to 4:2:0 while the picture is small: scaling and encoding stay in YUV.
    if rgb:
        out += [f"zscale={source}", f"format={rgb_format}", *rgb, "zscale=m=709:r=limited",
                "format=yuv420p"]
    elif matrix != "bt709" or full:
        out += [f"zscale={source}:m=709:r=limited", "format=yuv420p"]
    return out


#: Pixel formats whose planes :func:`_planar_grade` reads: 8-bit 4:2:0.
PLANAR_FORMATS = ("yuv420p", "yuvj420p")


def _planar(v: VideoInfo, size: tuple[int, int], *, tonemapped: bool) -> bool:
    return (not tonemapped and v.bit_depth == 8 and v.pix_fmt in PLANAR_FORMATS
            and v.yuv_matrix in MATRIX_WEIGHTS and size[0] % 2 == 0 and size[1] % 2 == 0)


def _before(brightness: float, gamma: float, gains: tuple[float, float]
            ) -> Callable[[np.ndarray], np.ndarray]:
    """What comes before the look: the tone curve, then the white balance (red and blue
    ``gains``), on RGB in 0..1; the identity when neither changes anything."""
    if is_identity(brightness=brightness, gamma=gamma) and gains == (1.0, 1.0):
        return lambda c: c
    g = np.array([gains[0], 1.0, gains[1]])
    return lambda c: lift_luma(c, brightness=brightness, gamma=gamma) * g


def _look_key(path: str, strength: float) -> tuple[str, int, int, float]:
    """A look file as a cache key: its path, modification time and size, and the strength."""
    try:
        st = os.stat(path)
    except OSError:  # reading it reports the problem
        return path, -1, -1, strength
    return path, st.st_mtime_ns, st.st_size, strength


@functools.lru_cache(maxsize=8)
def _planar_tables(look: tuple[str, int, int, float], brightness: float, gamma: float,
                   gains: tuple[float, float], matrix: str, full_range: bool
                   ) -> tuple[str, str]:
    """The grade on the planes (:func:`~creator_tools.looks.yuv.chroma_grade`) of the look
    ``look`` (:func:`_look_key`) after the tone curve and the white balance: its 3D table as
    ``.cube`` text and its luma table as a ``lut`` expression. Worked out once for the
    branches of a graph and the clips of a batch that share them (each costs about 0.08 s)."""
    lut = _prepared_lut(look[0], look[3])
    before = _before(brightness, gamma, gains)
    cg = chroma_grade(lambda c: sample_lut(lut, before(c)), matrix=matrix,
                      full_range=full_range)
    return format_cube(cg.table), luma_table_expr(cg.luma)


@functools.lru_cache(maxsize=8)
def _folded_cube(look: tuple[str, int, int, float], brightness: float, gamma: float,
                 gains: tuple[float, float]) -> str:
    """The ``.cube`` text of the look ``look`` (:func:`_look_key`) with the tone curve and the
    white balance folded in before it. The curve is steep near black, so a folded LUT gets a
    finer grid (33 points cost lut3d no more than 17). Worked out once per look, as
    :func:`_planar_tables`."""
    lut = _prepared_lut(look[0], look[3])
    if not is_identity(brightness=brightness, gamma=gamma) or gains != (1.0, 1.0):
        lut = compose(lut, _before(brightness, gamma, gains),
                      size=max(lut.size, FOLDED_LUT_SIZE))
    return format_cube(lut)


def _planar_grade(tables: tuple[str, str], workdir: Path, size: tuple[int, int],
                  tag: str) -> list[str]:
    """The grade on the planes of an 8-bit 4:2:0 picture of ``size``, without RGB
    (:mod:`creator_tools.looks.yuv`): a 3D table over the block-averaged luma and the chroma
    at the chroma planes' size (a quarter of the pixels), a 1D table on the luma plane plus
    the table's luma correction brought up bilinearly. About half the RGB path's cost, and as
    close to grading each pixel in RGB (tests/test_render_color.py). One filter of the chain
    that opens and closes branches: the picture leaves it in BT.709 limited range.
    ``tables`` are :func:`_planar_tables`'s."""
    table, luma = tables
    cube = workdir / f"look-planes{tag}.cube"
    cube.write_text(table, encoding="utf-8", newline="\n")
    w, h = size
    y, yf, yc, ys, u, vv, dy, dyf, u2, v2, yl, y2 = (f"{n}{tag}" for n in (
        "gy", "gyf", "gyc", "gys", "gu", "gv", "gdy", "gdyf", "gu2", "gv2", "gyl", "gy2"))
    return [
        f"extractplanes=y+u+v[{y}][{u}][{vv}];\n"
        f"[{y}]split[{yf}][{yc}];\n"
        f"[{yc}]scale={w // 2}:{h // 2}:flags=area[{ys}];\n"
        # gbrp's planes are G, B, R: U to G, V to B, the averaged luma to R.
        f"[{ys}][{u}][{vv}]mergeplanes=map0s=1:map0p=0:map1s=2:map1p=0:map2s=0:map2p=0:"
        # zimg converts to float and back rounding to nearest (swscale's float to 8 bits
        # moved the table's outputs by up to half a code, all one way).
        f"format=gbrp,zscale,format=gbrpf32le,"
        f"lut3d=file={escape_filter_path(str(cube))}:interp=tetrahedral,"
        f"zscale,format=gbrp,extractplanes=r+g+b[{dy}][{u2}][{v2}];\n"
        f"[{dy}]scale={w}:{h}:flags=bilinear[{dyf}];\n"
        f"[{yf}]lut=c0='{luma}'[{yl}];\n"
        f"[{yl}][{dyf}]blend=all_mode=grainmerge[{y2}];\n"
        f"[{y2}][{u2}][{v2}]mergeplanes=map0s=0:map0p=0:map1s=1:map1p=0:map2s=2:map2p=0:"
        f"format=yuv420p"]


def _tone_filter(brightness: float, gamma: float, *, depth: int, full: bool) -> str:
    """:func:`~creator_tools.looks.tone.luma_curve` on the luma plane, between the picture's
    own black and white code values (``depth`` bits, full or limited range)."""
    depth = depth if 8 <= depth <= 16 else 8
    scale = 1 << (depth - 8)
    black, white = (0, (1 << depth) - 1) if full else (16 * scale, 235 * scale)
    span = white - black
    p = 1 / gamma
    lo, hi = TOE**p, (1 + TOE) ** p
    expr = (f"clip({black}+{span}*(pow(max((val-{black})/{span}+{brightness:.4f},0)+{TOE},"
            f"{p:.6f})-{lo:.6f})/{hi - lo:.6f},0,{(1 << depth) - 1})")
    return f"lutyuv=y='{expr}'"


def _burned_captions(plan: EditPlan, workdir: Path, src: str, dst: str) -> list[str]:
    """Chains from ``[src]`` to ``[dst]`` burning the plan's words in, inside the platform's
    safe zone, with the bundled font (none when captions are not burned).

    Each caption is drawn once (:mod:`creator_tools.captions.stills`): libass draws the
    stills into a band of the frame, in colour and in white, from two ASS files in
    ``workdir``; the white band becomes the colour band's opacity, each still moves to the
    time it starts, and ``overlay`` lays the band over every frame until the next still.
    """
    words = plan.output_words() if plan.captions.burn else []
    if not words:
        return []
    from creator_tools.captions.ass import font_dir, layout_captions, safe_zone
    from creator_tools.captions.stills import caption_stills, stills_chains
    from creator_tools.captions.transcript import Word

    out = plan.output
    stills = caption_stills(layout_captions(
        [Word(a, b, text) for a, b, text in words], width=out.width, height=out.height,
        style=plan.captions.style, safe=safe_zone(out.platform, out.width, out.height)))
    if stills is None:
        return []
    fonts = workdir / "fonts"  # the font files alone: libass tries every file in fontsdir
    fonts.mkdir()
    for font in font_dir().glob("*.ttf"):
        shutil.copyfile(font, fonts / font.name)
    return stills_chains(stills, workdir=workdir, fonts=fonts, src=src, dst=dst)


def _denoise(strength: float) -> str:
    s = 1.5 + 4.0 * strength
    return f"hqdn3d={s:.2f}:{s * 0.75:.2f}:{s * 1.5:.2f}:{s * 1.1:.2f}"


def _prepared_lut(path: str, strength: float) -> Lut3D:
    """The look's LUT mixed with identity at ``strength``."""
    lut = read_cube(path)
    return blend(lut, strength) if strength < 1.0 else lut
