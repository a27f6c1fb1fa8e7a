"""Render an :class:`EditPlan` with one ffmpeg pass (one filtergraph, one encode)."""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import tempfile
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from creator_tools.edit.filtergraph import output_path_points, piecewise_expr
from creator_tools.edit.plan import EditPlan
from creator_tools.errors import InputError, MediaError, ProcessingError
from creator_tools.media.ffmpeg import base_args, input_path_arg
from creator_tools.media.ffmpeg_escape import escape_filter_path
from creator_tools.media.probe import MediaInfo, VideoInfo, probe

#: ``progress(done_seconds, total_seconds)``
Progress = Callable[[float, float], None]


@dataclass(frozen=True, slots=True)
class RenderResult:
    """What was written."""

    output: Path
    duration: float


def _even(x: float) -> int:
    return max(2, int(round(x / 2)) * 2)


class _Graph:
    """Accumulates filtergraph chains with unique labels."""

    def __init__(self) -> None:
        self.chains: list[str] = []
        self._n = 0

    def label(self, stem: str) -> str:
        self._n += 1
        return f"{stem}{self._n}"

    def add(self, chain: str) -> None:
        self.chains.append(chain)

    def text(self) -> str:
        return ";\n".join(self.chains)


def build_command(plan: EditPlan, output: Path, *, workdir: Path,
                  info: MediaInfo | None = None, threads: int | None = None) -> list[str]:
    """The full ffmpeg command line that renders ``plan`` into ``output``.

    ``threads`` caps ffmpeg's decoder, filter and encoder threads (for parallel batch jobs);
    ``None`` lets ffmpeg use every core.
    """
    src = plan.source("main")
    info = info or probe(src.path)
    if info.video is None:
        raise MediaError("no video stream: nothing to edit into a video", path=src.path)
    out = plan.output
    g = _Graph()
    cap = [] if threads is None else ["-threads", str(threads)]
    args = [*base_args(), "-loglevel", "repeat+level+warning", "-y", *cap, "-i",
            input_path_arg(src.path)]
    if threads is not None:
        args += ["-filter_complex_threads", str(threads)]
    music = plan.audio.music
    if music is not None:
        if not Path(music.file).is_file():
            raise InputError("music file not found", path=music.file)
        args += ["-stream_loop", "-1", "-i", input_path_arg(music.file)]
    n = len(plan.segments)
    fps = plan.output.fps
    # -- cut ------------------------------------------------------------------------------
    has_audio = src.has_audio and info.audio is not None
    g.add(f"[0:v:0]fps={fps}" + (f",split={n}" if n > 1 else "")
          + "".join(f"[vs{i}]" for i in range(n)))
    if has_audio:
        g.add("[0:a:0]aresample=48000:async=0,aformat=sample_fmts=fltp:channel_layouts=stereo"
              + (f",asplit={n}" if n > 1 else "") + "".join(f"[as{i}]" for i in range(n)))
    for i, seg in enumerate(plan.segments):
        g.add(f"[vs{i}]trim=start_frame={seg.start}:end_frame={seg.end},setpts=PTS-STARTPTS[v{i}]")
        if has_audio:
            a, b = plan.seconds(seg.start), plan.seconds(seg.end)
            d = b - a
            fade = min(0.01, d / 4)
            g.add(f"[as{i}]atrim=start={a:.6f}:end={b:.6f},asetpts=PTS-STARTPTS,"
                  f"afade=t=in:d={fade:.4f},afade=t=out:st={d - fade:.6f}:d={fade:.4f}[a{i}]")
    if n > 1:
        pairs = "".join(f"[v{i}]" + (f"[a{i}]" if has_audio else "") for i in range(n))
        g.add(f"{pairs}concat=n={n}:v=1:a={1 if has_audio else 0}[vcat]"
              + ("[acat]" if has_audio else ""))
    else:
        g.add("[v0]null[vcat]")
        if has_audio:
            g.add("[a0]anull[acat]")
    # -- picture --------------------------------------------------------------------------
    v = info.video
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
        fg, bg = g.label("fg"), g.label("bg")
        g.add(f"[vcat]{','.join([*chain, 'split'])}[{fg}][{bg}]")
        small = (_even(W / 8), _even(H / 8))
        g.add(f"[{bg}]scale={small[0]}:{small[1]}:force_original_aspect_ratio=increase,"
              f"crop={small[0]}:{small[1]},boxblur=4:2,scale={W}:{H},eq=brightness=-0.06"
              f"[{bg}b]")
        g.add(f"[{fg}]scale={W}:{H}:force_original_aspect_ratio=decrease:force_divisible_by=2:flags=bicubic[{fg}s]")
        g.add(f"[{bg}b][{fg}s]overlay=(W-w)/2:(H-h)/2[vframed]")
        chain = []
        src_label = "vframed"
    else:  # letterbox, none
        if e.denoise > 0:
            chain.append(_denoise(e.denoise))
        chain.append(f"scale={W}:{H}:force_original_aspect_ratio=decrease:force_divisible_by=2:flags=bicubic")
        chain += grade
        chain.append(f"pad={W}:{H}:(ow-iw)/2:(oh-ih)/2:black")
    chain += _burned_captions(plan, workdir)
    # The pictures are BT.709 limited range by now (the grade converts other matrices). The
    # frames carry the tags to x264 and the stream: ffmpeg 9 takes them from the frames and
    # ignores -colorspace/-color_primaries/-color_trc/-color_range on the output.
    chain += ["setsar=1", "format=yuv420p",
              "setparams=range=tv:color_primaries=bt709:color_trc=bt709:colorspace=bt709"]
    g.add(f"[{src_label}]" + ",".join(chain) + "[vout]")
    # -- sound ----------------------------------------------------------------------------
    total = plan.duration
    audio_label = None
    # At the -70 LUFS gate (or unmeasured): silence, which gain and loudnorm must not touch.
    silent = plan.audio.measured_lufs is not None and plan.audio.measured_lufs <= -69.0
    if has_audio:
        speech = ["[acat]"]
        steps = []
        if e.voice_cleanup:
            steps += ["highpass=f=80", "afftdn=nr=10:nf=-50:tn=1",
                      "acompressor=threshold=-20dB:ratio=2.5:attack=10:release=200"]
        if plan.audio.measured_lufs is not None and not silent:
            gain = max(-20.0, min(24.0, plan.audio.target_lufs - plan.audio.measured_lufs))
            steps.append(f"volume={gain:.2f}dB")
        g.add("".join(speech) + (",".join(steps) if steps else "anull") + "[speech]")
        audio_label = "speech"
    if music is not None:
        fade_out_start = max(0.0, total - music.fade_out)
        g.add(f"[1:a:0]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,"
              f"atrim=start={music.offset:.3f}:duration={total:.6f},asetpts=PTS-STARTPTS,"
              f"volume={music.gain_db:.2f}dB,afade=t=in:d={music.fade_in:.3f},"
              f"afade=t=out:st={fade_out_start:.3f}:d={music.fade_out:.3f}[music]")
        if audio_label is not None:
            if music.duck:
                ratio = max(2.0, min(20.0, music.duck_db / 1.5))
                g.add("[speech]asplit=2[sp][sc]")
                g.add(f"[music][sc]sidechaincompress=threshold=0.015:ratio={ratio:.1f}:"
                      "attack=20:release=400:knee=4[ducked]")
                g.add("[sp][ducked]amix=inputs=2:duration=first:normalize=0[mixed]")
            else:
                g.add("[speech][music]amix=inputs=2:duration=first:normalize=0[mixed]")
            audio_label = "mixed"
        else:
            audio_label = "music"
    if audio_label is None:
        g.add(f"anullsrc=r=48000:cl=stereo,atrim=duration={total:.6f}[silent]")
        audio_label = "silent"
        g.add(f"[{audio_label}]anull[aout]")
    elif silent and music is None:
        # Digital silence: nothing to normalize (loudnorm would compute an infinite gain).
        g.add(f"[{audio_label}]aresample={out.audio_rate},"
              "aformat=sample_fmts=fltp:channel_layouts=stereo[aout]")
    else:
        tp = plan.audio.true_peak_db - 0.5
        g.add(f"[{audio_label}]loudnorm=I={plan.audio.target_lufs:.1f}:TP={tp:.1f}:LRA=11,"
              f"aresample={out.audio_rate},aformat=sample_fmts=fltp:channel_layouts=stereo"
              "[aout]")
    script = workdir / "graph.txt"
    script.write_text(g.text(), encoding="utf-8")
    return [
        *args,
        "-/filter_complex", str(script),
        "-map", "[vout]", "-map", "[aout]",
        "-c:v", out.video_codec, *cap, "-preset", out.preset, "-crf", str(out.crf),
        "-profile:v", "high", "-pix_fmt", "yuv420p", "-r", out.fps, "-fps_mode", "cfr",
        "-c:a", out.audio_codec, "-b:a", out.audio_bitrate, "-ar", str(out.audio_rate),
        "-t", f"{total:.6f}",
        "-movflags", "+faststart", "-map_metadata", "-1", "-map_chapters", "-1",
        "-progress", "pipe:1", "-f", "mp4", input_path_arg(output),
    ]


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


_TIME = re.compile(r"^out_time_us=(\d+)")
#: ffmpeg's ``-loglevel repeat+level`` prefixes: ``[vost#0:0/libx264 @ 0x55d8...] [error] ``.
_LOG_PREFIX = re.compile(r"^(?:\[[^\]]*\]\s*)+")


def ffmpeg_message(line: str) -> str:
    """An ffmpeg log line without its ``[component @ address] [level]`` prefixes."""
    text = _LOG_PREFIX.sub("", line.strip())
    return text or line.strip()


def render(plan: EditPlan, output: str | Path, *, force: bool = False,
           progress: Progress | None = None, threads: int | None = None) -> RenderResult:
    """Render ``plan`` to ``output`` atomically (temporary file, then rename).

    ``threads`` caps ffmpeg's threads (see :func:`build_command`).

    Raises
    ------
    InputError
        A source, music or LUT file is missing or invalid; the output exists (without
        ``force``) or is an input.
    ProcessingError
        ffmpeg failed.
    """
    from creator_tools.fs import atomic_output

    src = plan.source("main")
    inputs = tuple(s.path for s in plan.sources)
    if plan.audio.music:
        inputs += (plan.audio.music.file,)
    info = probe(src.path)
    total = plan.duration
    workdir = Path(tempfile.mkdtemp(prefix="creator-render-"))
    try:
        with atomic_output(output, force=force, inputs=inputs) as tmp:
            cmd = build_command(plan, tmp, workdir=workdir, info=info, threads=threads)
            _run(cmd, total, progress)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return RenderResult(Path(output), total)


def _run(cmd: list[str], total: float, progress: Progress | None) -> None:
    log: deque[str] = deque(maxlen=60)
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, errors="replace")

    def drain() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            log.append(line.rstrip())

    t = threading.Thread(target=drain, daemon=True)
    t.start()
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            m = _TIME.match(line)
            if m and progress:
                progress(min(total, int(m[1]) / 1e6), total)
        proc.wait()
    except BaseException:
        # Interrupted (Ctrl-C, SIGTERM) or failed here: the partial output is thrown away, so
        # ffmpeg is not asked to finish it (a graceful stop flushes the encoder and rewrites
        # the whole file for +faststart first): it is killed at once.
        with contextlib.suppress(OSError):
            proc.kill()
        proc.wait()
        raise
    finally:
        t.join(timeout=10)
    if proc.returncode != 0:
        errors = [ln for ln in log if "[error]" in ln or "[fatal]" in ln] or list(log)
        # The first error is the cause ("No space left on device"); later ones are its echoes
        # ("Nothing was written into output file", "Task finished with error code").
        cause = ffmpeg_message(errors[0]) if errors else f"exit status {proc.returncode}"
        raise ProcessingError(f"ffmpeg failed: {cause}")
    if progress:
        progress(total, total)
