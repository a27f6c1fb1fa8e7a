"""Generate test media with exactly known properties, cached between test runs.

Each clip is built by ffmpeg from lavfi sources (testsrc2, mandelbrot, life, color, sine,
aevalsrc, anoisesrc) or from a synthetic signal (:mod:`tools.synth`) muxed by ffmpeg.
The file name carries a hash of the recipe, so changing a recipe rebuilds that clip.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from creator_tools.media.ffmpeg import base_args

ROOT = Path(__file__).resolve().parent
CACHE = Path(os.environ.get("CREATOR_TEST_MEDIA", ROOT / ".media-cache"))
SHARED_MEDIA = ROOT.parent.parent / "shared" / "media"


def ffmpeg(*args: str) -> None:
    """Run ffmpeg (the project's own) with ``args``; raise on failure."""
    cmd = [*base_args(), "-loglevel", "error", "-y", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"ffmpeg failed: {' '.join(cmd)}\n{proc.stderr}")


def ebur128(path: Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) of ``path``'s first audio stream, as
    ffmpeg's own ``ebur128`` filter reports them (``-inf`` for silence)."""
    proc = subprocess.run([*base_args(), "-i", str(path), "-map", "0:a:0", "-af",
                           "ebur128=peak=true:framelog=quiet", "-f", "null", "-"],
                          capture_output=True, text=True, check=True)
    i = float(re.findall(r"I:\s+(-?[\d.]+|-?inf|nan) LUFS", proc.stderr)[-1])
    tp = float(re.findall(r"Peak:\s+(-?[\d.]+|-?inf|nan) dBFS", proc.stderr)[-1])
    return i, tp


def _cached(name: str, ext: str, recipe: object, build: Callable[[Path], None]) -> Path:
    key = hashlib.sha1(json.dumps(recipe, sort_keys=True, default=str).encode()).hexdigest()[:10]
    CACHE.mkdir(parents=True, exist_ok=True)
    final = CACHE / f"{name}-{key}.{ext}"
    if not final.exists():
        fd, tmp = tempfile.mkstemp(dir=CACHE, suffix=f".{ext}", prefix=f".{name}-")
        os.close(fd)
        try:
            build(Path(tmp))
            os.replace(tmp, final)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return final


def write_wav(path: Path, y: np.ndarray, sr: int) -> None:
    import soundfile as sf

    sf.write(path, y, sr, subtype="FLOAT", format="WAV")


# ---------------------------------------------------------------------------------------
# Clips with known cuts
# ---------------------------------------------------------------------------------------

#: Sources for cut tests: different content, each with some motion of its own.
CUT_SOURCES = (
    "testsrc2=s={s}:r={r}",
    "mandelbrot=s={s}:r={r}",
    "life=s={s}:r={r}:mold=10:ratio=0.2:death_color=#3060C0:life_color=#F0D020:seed=7",
    "cellauto=s={s}:r={r}:rule=110:seed=3",
    "testsrc=s={s}:r={r}",
    "smptehdbars=s={s}:r={r}",
)


@dataclass(frozen=True)
class CutClip:
    """A clip of hard cuts: ``cuts`` are the first frame index of each new shot."""

    path: Path
    fps: int
    frames: int
    cuts: tuple[int, ...]

    @property
    def cut_times(self) -> list[float]:
        return [c / self.fps for c in self.cuts]


def cut_clip(
    cuts: tuple[int, ...] = (45, 100, 140, 200),
    frames: int = 260,
    *,
    fps: int = 30,
    size: str = "320x240",
    audio: bool = True,
    x264: tuple[str, ...] = ("-preset", "ultrafast"),
) -> CutClip:
    """Hard cuts between different lavfi sources at the given frame indices."""
    bounds = [0, *cuts, frames]
    recipe = {"v": 2, "cuts": cuts, "frames": frames, "fps": fps, "size": size, "audio": audio}
    if x264 != ("-preset", "ultrafast"):
        recipe["x264"] = x264

    def build(out: Path) -> None:
        args: list[str] = []
        chains = []
        for i, (a, b) in enumerate(itertools.pairwise(bounds)):
            src = CUT_SOURCES[i % len(CUT_SOURCES)].format(s=size, r=fps)
            args += ["-f", "lavfi", "-i", src]
            chains.append(f"[{i}:v]trim=start_frame=0:end_frame={b - a},setpts=PTS-STARTPTS,"
                          f"format=yuv420p,setsar=1[v{i}]")
        n = len(chains)
        graph = ";".join(chains) + ";" + "".join(f"[v{i}]" for i in range(n))
        graph += f"concat=n={n}:v=1:a=0[v]"
        maps = ["-map", "[v]"]
        if audio:
            args += ["-f", "lavfi", "-i", f"sine=f=330:d={frames / fps}:sample_rate=48000"]
            maps += ["-map", f"{n}:a", "-c:a", "aac", "-b:a", "64k"]
        ffmpeg(*args, "-filter_complex", graph, *maps, "-c:v", "libx264", *x264,
               "-crf", "20", "-g", "300", "-r", str(fps), "-frames:v", str(frames), str(out))

    return CutClip(_cached("cuts", "mp4", recipe, build), fps, frames, cuts)


# ---------------------------------------------------------------------------------------
# Audio with known speech and silence
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SpeechClip:
    """A clip whose audio is speech-like in ``speech`` spans and room tone elsewhere."""

    path: Path
    duration: float
    speech: tuple[tuple[float, float], ...]

    @property
    def silences(self) -> list[tuple[float, float]]:
        edges = [0.0, *[x for s in self.speech for x in s], self.duration]
        return [(a, b) for a, b in zip(edges[::2], edges[1::2], strict=True) if b > a]


DEFAULT_SPEECH = ((0.8, 2.6), (3.2, 5.5), (6.7, 8.4), (8.9, 10.6))


def speech_clip(
    speech: tuple[tuple[float, float], ...] = DEFAULT_SPEECH,
    duration: float = 11.5,
    *,
    video: bool = True,
    hum: bool = True,
    noise_db: float = -58.0,
    seed: int = 0,
) -> SpeechClip:
    """Speech-like audio in the given spans over room tone (pink noise and 50 Hz hum)."""
    recipe = {"v": 1, "speech": speech, "d": duration, "video": video, "hum": hum,
              "noise": noise_db, "seed": seed}

    def build(out: Path) -> None:
        from tools.synth import room_tone, speech_like

        sr = 48000
        y = speech_like(duration, speech, sr=sr, seed=seed)
        y += room_tone(duration, sr=sr, noise_db=noise_db, hum_db=-50.0 if hum else None)
        with tempfile.TemporaryDirectory() as tmp:
            wav = Path(tmp) / "a.wav"
            write_wav(wav, y, sr)
            if video:
                ffmpeg("-f", "lavfi", "-i", f"testsrc2=s=320x240:r=30:d={duration}", "-i",
                       str(wav), "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
                       "-b:a", "128k", "-shortest", str(out))
            else:
                ffmpeg("-i", str(wav), "-c:a", "pcm_s16le", str(out))

    ext = "mp4" if video else "wav"
    return SpeechClip(_cached("speech", ext, recipe, build), duration, speech)


def click_clip(bpm: float, duration: float = 20.0, *, offset: float = 0.25) -> Path:
    """A WAV click track at ``bpm`` (decaying 1.5 kHz clicks), first click at ``offset``."""
    recipe = {"v": 1, "bpm": bpm, "d": duration, "offset": offset}
    expr = f"0.8*sin(2*PI*1500*t)*exp(-60*mod(t-{offset}+{60 / bpm},{60 / bpm}))*gte(t,{offset})"

    def build(out: Path) -> None:
        ffmpeg("-f", "lavfi", "-i", f"aevalsrc='{expr}':s=44100:d={duration}",
               "-f", "lavfi", "-i", f"anoisesrc=color=pink:amplitude=0.002:d={duration}:r=44100",
               "-filter_complex", "[0:a][1:a]amix=inputs=2:normalize=0", "-c:a", "pcm_s16le",
               str(out))

    return _cached(f"click{bpm:g}", "wav", recipe, build)


# ---------------------------------------------------------------------------------------
# Container and stream oddities
# ---------------------------------------------------------------------------------------

def rotated_clip(rotation: int = 90) -> Path:
    """Stored 1920x1080, tagged with a display rotation of ``rotation`` degrees (as phones do)."""

    def build(out: Path) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            plain = Path(tmp) / "p.mp4"
            ffmpeg("-f", "lavfi", "-i", "testsrc2=s=1920x1080:r=30:d=1", "-f", "lavfi", "-i",
                   "sine=d=1", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
                   str(plain))
            # -display_rotation is counter-clockwise; phones tag clockwise 90 as -90 here.
            ffmpeg("-display_rotation", str(-rotation), "-i", str(plain), "-c", "copy", str(out))

    return _cached(f"rot{rotation}", "mp4", {"v": 1, "r": rotation}, build)


def vfr_clip() -> Path:
    """Variable frame rate: 1 s at 30 fps then 1 s at 60 fps (timestamps kept as they are)."""

    def build(out: Path) -> None:
        ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x240:r=60:d=2", "-vf",
               "select='lt(n\\,60)*not(mod(n\\,2))+gte(n\\,60)'", "-fps_mode", "vfr",
               "-c:v", "libx264", "-preset", "ultrafast", str(out))

    return _cached("vfr", "mp4", {"v": 1}, build)


def simple_clip(
    name: str,
    *,
    size: str = "320x240",
    fps: int = 30,
    duration: float = 2.0,
    audio: bool = True,
    video: bool = True,
    vcodec: tuple[str, ...] = ("libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"),
    ext: str = "mp4",
) -> Path:
    """A plain testsrc2 + sine clip with the given properties."""
    recipe = {"v": 2, "size": size, "fps": fps, "d": duration, "a": audio, "vid": video,
              "vc": vcodec}

    def build(out: Path) -> None:
        args: list[str] = []
        if video:
            args += ["-f", "lavfi", "-i", f"testsrc2=s={size}:r={fps}:d={duration}"]
        if audio:
            args += ["-f", "lavfi", "-i", f"sine=f=440:d={duration}:sample_rate=48000"]
        if video:  # testsrc2 rounds odd sizes down: scale to the exact size asked for
            args += ["-vf", f"scale={size.replace('x', ':')}", "-c:v", *vcodec]
        if audio:
            args += ["-c:a", "aac"]
        ffmpeg(*args, str(out))

    return _cached(name, ext, recipe, build)


def truncated_clip(keep: float = 0.5) -> Path:
    """An mp4 cut to ``keep`` of its size (moov at the end is lost, or the data is short)."""

    def build(out: Path) -> None:
        whole = simple_clip("whole", duration=3.0)
        data = whole.read_bytes()
        out.write_bytes(data[: int(len(data) * keep)])

    return _cached(f"trunc{int(keep * 100)}", "mp4", {"v": 1, "keep": keep}, build)


def truncated_faststart_clip(keep: float = 0.8) -> Path:
    """A +faststart mp4 (index first) whose media data is cut short."""

    def build(out: Path) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            whole = Path(tmp) / "w.mp4"
            ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=3", "-c:v", "libx264",
                   "-preset", "ultrafast", "-movflags", "+faststart", str(whole))
            data = whole.read_bytes()
            out.write_bytes(data[: int(len(data) * keep)])

    return _cached("truncfs", "mp4", {"v": 1, "keep": keep}, build)


def not_media_file() -> Path:
    """A text file named .mp4."""
    return _cached("notmedia", "mp4", {"v": 1},
                   lambda p: p.write_text("This is not a video, just text.\n" * 20))


def empty_file() -> Path:
    """A 0-byte file named .mp4."""
    return _cached("empty", "mp4", {"v": 1}, lambda p: p.write_bytes(b""))


# ---------------------------------------------------------------------------------------
# Things that are not cuts, and gradual transitions
# ---------------------------------------------------------------------------------------

def transition_clip(kind: str) -> Path:
    """3 s of testsrc2 then 3 s of mandelbrot joined by a 1 s ``xfade`` (``fade``: through
    black; ``dissolve``) starting at 2.5 s. The transition spans 2.5-3.5 s."""

    def build(out: Path) -> None:
        transition = "fadeblack" if kind == "fade" else "dissolve"
        ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=3.5", "-f", "lavfi", "-i",
               "mandelbrot=s=320x240:r=30", "-filter_complex",
               f"[0:v]format=yuv420p[a];[1:v]trim=duration=4,format=yuv420p[b];"
               f"[a][b]xfade=transition={transition}:duration=1:offset=2.5,format=yuv420p",
               "-c:v", "libx264", "-preset", "ultrafast", "-t", "6.5", str(out))

    return _cached(f"xfade-{kind}", "mp4", {"v": 1, "kind": kind}, build)


def flash_clip() -> Path:
    """One continuous testsrc2 shot with white flashes of 2 frames at frames 60 and 120."""

    def build(out: Path) -> None:
        ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=6", "-vf",
               "drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:"
               "enable='between(n,60,61)+between(n,120,121)',format=yuv420p",
               "-c:v", "libx264", "-preset", "ultrafast", str(out))

    return _cached("flash", "mp4", {"v": 1}, build)


def strobe_clip() -> Path:
    """5 flashes a second (black/white alternation) between 2 s and 3 s: a photosensitivity risk."""

    def build(out: Path) -> None:
        ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=5", "-vf",
               "drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:"
               "enable='between(t,2,3)*lt(mod(t,0.2),0.1)',format=yuv420p",
               "-c:v", "libx264", "-preset", "ultrafast", str(out))

    return _cached("strobe", "mp4", {"v": 1}, build)


def pan_clip(speed: float = 600.0) -> Path:
    """A fast horizontal pan (``speed`` px/s over a 320 px view) across one big still scene."""

    def build(out: Path) -> None:
        ffmpeg("-f", "lavfi", "-i", "mandelbrot=s=3200x240:r=1:end_pts=1", "-frames:v", "1",
               "-f", "image2", "-update", "1", str(out) + ".png")
        ffmpeg("-loop", "1", "-framerate", "30", "-i", str(out) + ".png", "-vf",
               f"crop=320:240:'mod(t*{speed},2880)':0,format=yuv420p", "-t", "4",
               "-c:v", "libx264", "-preset", "ultrafast", str(out))
        os.unlink(str(out) + ".png")

    return _cached("pan", "mp4", {"v": 1, "speed": speed}, build)


def shaky_clip(amplitude: int = 12) -> Path:
    """Handheld-like jitter: a still scene cropped at random offsets of up to ``amplitude`` px."""

    def build(out: Path) -> None:
        ffmpeg("-f", "lavfi", "-i", "smptehdbars=s=400x300:r=30:d=4", "-vf",
               f"crop=320:240:'40+{amplitude}*(random(1)*2-1)':'30+{amplitude}*(random(2)*2-1)',"
               "format=yuv420p", "-c:v", "libx264", "-preset", "ultrafast", str(out))

    return _cached("shaky", "mp4", {"v": 1, "a": amplitude}, build)


def static_clip(duration: float = 8.0) -> Path:
    """A still picture (no motion) with a tone: a long static shot."""

    def build(out: Path) -> None:
        ffmpeg("-f", "lavfi", "-i", f"smptehdbars=s=320x240:r=30:d={duration}", "-f", "lavfi",
               "-i", f"sine=d={duration}", "-c:v", "libx264", "-preset", "ultrafast",
               "-c:a", "aac", str(out))

    return _cached("static", "mp4", {"v": 1, "d": duration}, build)


def moving_subject_clip() -> Path:
    """A white square crossing a still grey frame left to right: x(t) = (80 + 120 t) / 640."""

    def build(out: Path) -> None:
        ffmpeg("-f", "lavfi", "-i", "color=c=0x404040:s=640x360:r=30:d=4", "-f", "lavfi", "-i",
               "color=c=white:s=60x60:r=30:d=4", "-filter_complex",
               "[0:v][1:v]overlay=x='50+120*t':y=150,format=yuv420p", "-c:v", "libx264",
               "-preset", "ultrafast", str(out))

    return _cached("moving", "mp4", {"v": 1}, build)


def life_clip(duration: float = 5.0) -> Path:
    """Conway's game of life on 640x360 (lavfi ``life``): cells are born and die all over the
    frame. Nothing moves as one thing; the salient part of the picture shifts as the
    colonies grow."""

    def build(out: Path) -> None:
        ffmpeg("-f", "lavfi", "-i", "life=s=640x360:r=30:mold=10:ratio=0.15:seed=7:"
               "death_color=#203060:life_color=#F0C020", "-t", str(duration),
               "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", str(out))

    return _cached("life", "mp4", {"v": 1, "d": duration}, build)


def tone_clip(name: str, expr: str, duration: float = 6.0, *, volume: str = "1.0") -> Path:
    """An audio-only WAV from an ``aevalsrc``/lavfi source description ``expr``."""

    def build(out: Path) -> None:
        ffmpeg("-f", "lavfi", "-i", f"{expr}", "-af", f"volume={volume}", "-t", str(duration),
               "-c:a", "pcm_f32le", str(out))

    return _cached(name, "wav", {"v": 1, "e": expr, "d": duration, "vol": volume}, build)


#: Flash+beep times of :func:`sync_clip`, seconds; long silences lie between them.
SYNC_EVENTS = (0.8, 2.9, 5.1, 7.6)


def sync_clip() -> Path:
    """White flashes (2 frames) and 1 kHz beeps (0.3 s) that start together at SYNC_EVENTS,
    over a dark moving picture and faint room noise; 9 s, 30 fps, 640x360."""

    def build(out: Path) -> None:
        enable = "+".join(f"between(t,{t},{t + 0.06})" for t in SYNC_EVENTS)
        gate = "+".join(f"between(t,{t},{t + 0.3})" for t in SYNC_EVENTS)
        ffmpeg("-f", "lavfi", "-i", "testsrc2=s=640x360:r=30:d=9", "-f", "lavfi", "-i",
               f"aevalsrc='0.5*sin(2*PI*1000*t)*({gate})':s=48000:d=9", "-f", "lavfi", "-i",
               "anoisesrc=color=pink:amplitude=0.002:d=9:r=48000", "-filter_complex",
               f"[0:v]eq=brightness=-0.3,drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:"
               f"enable='{enable}',format=yuv420p[v];[1:a][2:a]amix=inputs=2:normalize=0[a]",
               "-map", "[v]", "-map", "[a]", "-c:v", "libx264", "-preset", "ultrafast",
               "-c:a", "aac", "-b:a", "128k", str(out))

    return _cached("sync", "mp4", {"v": 1, "ev": SYNC_EVENTS}, build)


# ---------------------------------------------------------------------------------------
# Subjects with known positions, over hard backgrounds (for the subject tracker)
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MovingObject:
    """A textured square of side ``size`` px whose left edge is at ``x0 + vx * t`` and top
    edge at ``y0`` (px of the output frame, before any camera jitter)."""

    size: int
    x0: float
    vx: float
    y0: float
    source: str = "testsrc=s={s}x{s}:r={r}"

    def centre(self, t: float) -> tuple[float, float]:
        return self.x0 + self.vx * t + self.size / 2, self.y0 + self.size / 2


@dataclass(frozen=True)
class SubjectClip:
    """A clip of ``objects`` moving over a still textured background filmed by a jittery,
    noisy, flickering camera. ``truth(t)`` is where object ``i`` is (0..1 of the frame)."""

    path: Path
    width: int
    height: int
    fps: int
    duration: float
    objects: tuple[MovingObject, ...]
    jitter: int

    def truth(self, t: float, i: int = 0) -> tuple[float, float]:
        x, y = self.objects[i].centre(t)
        return x / self.width, y / self.height


def _texture_png(out: Path, w: int, h: int) -> None:
    """A still background with hard edges, smooth gradients and fine detail (a Mandelbrot
    view), the kind of picture where camera shake leaves difference everywhere."""
    ffmpeg("-f", "lavfi", "-i",
           f"mandelbrot=s={w}x{h}:r=1:start_x=-0.75:start_y=0.1:start_scale=0.6",
           "-frames:v", "1", "-f", "image2", "-update", "1", str(out))


def subject_clip(
    objects: tuple[MovingObject, ...] = (MovingObject(64, 60.0, 90.0, 150.0),),
    *,
    duration: float = 5.0,
    jitter: int = 4,
    noise: int = 10,
    flicker: float = 0.04,
    size: tuple[int, int] = (640, 360),
    fps: int = 30,
) -> SubjectClip:
    """Objects moving across a textured still background; the camera shakes by up to
    ``jitter`` px (uniform random per frame), the sensor adds temporal noise of strength
    ``noise`` and the light flickers by ``flicker`` (brightness, 0..1) at 3 Hz.

    With ``objects=()`` the scene is still: only the jitter, noise and flicker change.
    """
    w, h = size
    margin = max(jitter, 1) + 8
    recipe = {"v": 1, "o": objects, "d": duration, "j": jitter, "n": noise, "f": flicker,
              "s": size, "r": fps}

    def build(out: Path) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            bg = Path(tmp) / "bg.png"
            _texture_png(bg, w + 2 * margin, h + 2 * margin)
            args = ["-loop", "1", "-framerate", str(fps), "-i", str(bg)]
            chain = "[0:v]format=rgb24[b0]"
            for i, o in enumerate(objects):
                args += ["-f", "lavfi", "-i", o.source.format(s=o.size, r=fps)]
                chain += (f";[b{i}][{i + 1}:v]overlay=x='{margin + o.x0}+{o.vx}*t':"
                          f"y={margin + o.y0}:shortest=1[b{i + 1}]")
            jx = f"{margin}+{jitter}*(random(1)*2-1)" if jitter else str(margin)
            jy = f"{margin}+{jitter}*(random(2)*2-1)" if jitter else str(margin)
            chain += f";[b{len(objects)}]crop={w}:{h}:'{jx}':'{jy}'"
            if noise:
                chain += f",noise=alls={noise}:allf=t+u"
            if flicker:
                chain += f",eq=brightness='{flicker}*sin(2*PI*3*t)':eval=frame"
            chain += ",format=yuv420p[v]"
            ffmpeg(*args, "-filter_complex", chain, "-map", "[v]", "-t", str(duration),
                   "-r", str(fps), "-c:v", "libx264", "-preset", "ultrafast", "-crf", "20",
                   str(out))

    path = _cached("subject", "mp4", recipe, build)
    return SubjectClip(path, w, h, fps, duration, objects, jitter)
