"""The picture of an edit as one ffmpeg filtergraph: cuts, tone mapping, stabilization,
reframing, corrections, the look, burned captions; it ends in ``[vout]``."""

from __future__ import annotations

import shutil
from pathlib import Path

from creator_tools.edit.filtergraph import cut_and_join, output_path_points, piecewise_expr
from creator_tools.edit.plan import EditPlan
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
    # -- picture --------------------------------------------------------------------------
    src = plan.source("main")
    sw, sh = v.display_width, v.display_height
    chain: list[str] = []
    e = plan.enhance
    tonemap = e.tonemap or src.hdr
    if tonemap:
        chain += ["zscale=t=linear:npl=100", "format=gbrpf32le", "zscale=p=bt709",
                  "tonemap=hable:desat=0", "zscale=t=bt709:m=bt709:r=tv", "format=yuv420p"]
    mode = plan.reframe.mode
    # Stabilization sees the source picture, before any crop: after a moving crop it would
    # take the virtual camera's pans for shake (and ffmpeg 9.0.2's deshake crashes on a
    # crop window that moves). Its search range must be a multiple of 16 pixels.
    if e.stabilize:
        chain.append("deshake=rx=32:ry=32:edge=mirror")
    W, H = out.width, out.height
    # Grading runs where the picture has the fewest pixels: on the crop before upscaling, on
    # the scaled picture before padding, on the source before the fill composition.
    grade = _grade(plan, workdir, v, tonemapped=tonemap)
    src_label = "vcat"
    if mode == "crop":
        from creator_tools.edit.reframe import CropGeometry

        geo = CropGeometry.for_aspect(sw, sh, W, H, plan.reframe.zoom)
        cw, ch = min(_even(geo.width * sw), sw - sw % 2), min(_even(geo.height * sh), sh - sh % 2)
        x = piecewise_expr(output_path_points(plan, "x"), sw, -cw / 2, 0, sw - cw)
        y = piecewise_expr(output_path_points(plan, "y"), sh, -ch / 2, 0, sh - ch)
        chain.append(f"crop=w={cw}:h={ch}:x='{x}':y='{y}':exact=1")
        if e.denoise > 0:
            chain.append(_denoise(e.denoise))
        chain += grade
        chain.append(f"scale={W}:{H}:flags=bicubic")
    elif mode == "fill":
        if sw % 2 or sh % 2:  # zscale (in the grade) refuses odd 4:2:0 sizes; 1x1 -> 2x2
            chain.append("scale='max(2,trunc(iw/2)*2)':'max(2,trunc(ih/2)*2)'")
        if e.denoise > 0:
            chain.append(_denoise(e.denoise))
        chain += grade
        chains.append(f"[vcat]{','.join([*chain, 'split'])}[fg][bg]")
        small = (_even(W / 8), _even(H / 8))
        chains.append(
            f"[bg]scale={small[0]}:{small[1]}:force_original_aspect_ratio=increase,"
            f"crop={small[0]}:{small[1]},boxblur=4:2,scale={W}:{H},eq=brightness=-0.06[bgb]")
        chains.append(f"[fg]scale={W}:{H}:force_original_aspect_ratio=decrease:"
                      "force_divisible_by=2:flags=bicubic[fgs]")
        chains.append("[bgb][fgs]overlay=(W-w)/2:(H-h)/2[vframed]")
        chain = []
        src_label = "vframed"
    else:  # letterbox, none
        if e.denoise > 0:
            chain.append(_denoise(e.denoise))
        chain.append(f"scale={W}:{H}:force_original_aspect_ratio=decrease:"
                     "force_divisible_by=2:flags=bicubic")
        chain += grade
        chain.append(f"pad={W}:{H}:(ow-iw)/2:(oh-ih)/2:black")
    chain += _burned_captions(plan, workdir)
    # The pictures are BT.709 limited range by now (the grade converts other matrices). The
    # frames carry the tags to x264 and the stream: ffmpeg 9 takes them from the frames and
    # ignores -colorspace/-color_primaries/-color_trc/-color_range on the output.
    chain += ["setsar=1", "format=yuv420p",
              "setparams=range=tv:color_primaries=bt709:color_trc=bt709:colorspace=bt709"]
    chains.append(f"[{src_label}]" + ",".join(chain) + f"[{VIDEO_OUT}]")
    return ";\n".join(chains)


#: zimg names of the YUV matrices :class:`VideoInfo` reports.
_ZIMG_MATRIX = {"bt709": "709", "bt601": "170m", "bt2020": "2020_ncl"}


def _grade(plan: EditPlan, workdir: Path, v: VideoInfo, *, tonemapped: bool) -> list[str]:
    """Exposure, white balance and the look, as filters; the picture leaves in BT.709.

    The RGB steps (white balance, the LUT) run on planar float RGB converted by zscale with the
    source's own matrix and range: there ffmpeg's lut3d has its SIMD path, and zimg converts
    about twice as fast as swscale's 8-bit RGB path (see docs/benchmarks.md). A source in
    another matrix or in full range is converted to BT.709 limited range even without a look,
    so the output's colour tags tell the truth.
    """
    e = plan.enhance
    out = []
    if e.exposure or e.gamma != 1.0:
        out.append(f"eq=brightness={e.exposure * 0.1:.4f}:gamma={e.gamma:.4f}")
    matrix, full = ("bt709", False) if tonemapped else (v.yuv_matrix, v.full_range)
    source = f"min={_ZIMG_MATRIX[matrix]}:rin={'full' if full else 'limited'}"
    rgb = []
    if e.red_gain != 1.0 or e.blue_gain != 1.0:
        rgb.append(f"colorchannelmixer=rr={e.red_gain:.4f}:bb={e.blue_gain:.4f}")
    if plan.look.lut and plan.look.strength > 0:
        lut = _prepared_lut(plan.look.lut, plan.look.strength, workdir)
        rgb.append(f"lut3d=file={escape_filter_path(str(lut))}:interp=tetrahedral")
    # Back to 4:2:0 while the picture is small: scaling and encoding stay in YUV.
    if rgb:
        out += [f"zscale={source}", "format=gbrpf32le", *rgb, "zscale=m=709:r=limited",
                "format=yuv420p"]
    elif matrix != "bt709" or full:
        out += [f"zscale={source}:m=709:r=limited", "format=yuv420p"]
    return out


def _burned_captions(plan: EditPlan, workdir: Path) -> list[str]:
    """The ``subtitles`` filter drawing the plan's words (an ASS file in ``workdir``) with the
    bundled font, inside the platform's safe zone; nothing when captions are not burned."""
    words = plan.output_words() if plan.captions.burn else []
    if not words:
        return []
    from creator_tools.captions.ass import build_ass, font_dir, safe_zone
    from creator_tools.captions.transcript import Word

    out = plan.output
    doc = build_ass([Word(a, b, text) for a, b, text in words], width=out.width,
                    height=out.height, style=plan.captions.style,
                    safe=safe_zone(out.platform, out.width, out.height))
    ass = workdir / "captions.ass"
    ass.write_text(doc, encoding="utf-8")
    fonts = workdir / "fonts"  # the font files alone: libass tries every file in fontsdir
    fonts.mkdir()
    for font in font_dir().glob("*.ttf"):
        shutil.copyfile(font, fonts / font.name)
    return [f"subtitles=filename={escape_filter_path(str(ass))}:"
            f"fontsdir={escape_filter_path(str(fonts))}"]


def _denoise(strength: float) -> str:
    s = 1.5 + 4.0 * strength
    return f"hqdn3d={s:.2f}:{s * 0.75:.2f}:{s * 1.5:.2f}:{s * 1.1:.2f}"


def _prepared_lut(path: str, strength: float, workdir: Path) -> Path:
    """A copy of the LUT under a plain name, mixed with identity at ``strength``."""
    from creator_tools.looks.cube import blend, read_cube, write_cube

    lut = read_cube(path)
    if strength < 1.0:
        lut = blend(lut, strength)
    out = workdir / "look.cube"
    write_cube(lut, out)
    return out
