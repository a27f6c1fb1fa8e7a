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


# ---------------------------------------------------------------------------------------
# Reframing fixtures: real faces and objects along known paths over real footage
# ---------------------------------------------------------------------------------------

#: The head of carphone_pristine.mp4 (176x144): the box (x, y, w, h) that holds it through
#: the clip (checked by eye at 0, 2 and 3.3 s), and how much it is scaled up.
FACE_CROP = (26, 8, 92, 100)
FACE_SCALE = 2.0
#: The cup of cup.mp4 at 0.5 s (640x480): the box around it, and its scale.
CUP_CROP = (300, 110, 125, 282)
CUP_SCALE = 0.9


@dataclass(frozen=True)
class Actor:
    """A face (the talking man of carphone_pristine.mp4, his head inside an ellipse) or a cup
    (cut out of cup.mp4) whose box's centre follows ``path``: keyframes ``(t, x, y)``
    (seconds; fractions of the frame), linear in between, held after the last; plus a sway
    ``(x amplitude, x Hz, y amplitude, y Hz)``. ``mirror`` flips a face."""

    kind: str
    path: tuple[tuple[float, float, float], ...]
    sway: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    mirror: bool = False

    def centre(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        kt, kx, ky = (np.array([k[i] for k in self.path]) for i in range(3))
        ax, fx, ay, fy = self.sway
        return (np.interp(t, kt, kx) + ax * np.sin(2 * np.pi * fx * t),
                np.interp(t, kt, ky) + ay * np.sin(2 * np.pi * fy * t))

    def corner_expr(self, axis: int, frame: int, patch: int) -> str:
        """The overlay's ``x`` (``axis`` 0) or ``y`` (1) as an ffmpeg expression of ``t``:
        :meth:`centre` in pixels of a ``frame``-pixel axis, less half the ``patch``,
        rounded. (A ``sendcmd`` in front of an overlay runs ahead of the frames the overlay
        is at: the picture jumped by up to 6 frames.)"""
        keys = [(k[0], k[1 + axis]) for k in self.path]
        amp, hz = self.sway[2 * axis], self.sway[2 * axis + 1]

        def piece(i: int) -> str:
            if i == len(keys) - 1:
                return repr(keys[i][1])
            (t0, v0), (t1, v1) = keys[i], keys[i + 1]
            return f"if(lt(t,{t1!r}),{v0!r}+({v1 - v0!r})*(t-{t0!r})/{t1 - t0!r},{piece(i + 1)})"

        inner = f"if(lt(t,{keys[0][0]!r}),{keys[0][1]!r},{piece(0)})"
        sway = f"+{amp!r}*sin(2*PI*{hz!r}*t)" if amp else ""
        return f"floor(({inner}{sway})*{frame}-{patch / 2!r}+0.5)"


@dataclass(frozen=True)
class FramingClip:
    """A reframing fixture: ``boxes[i]`` is actor ``i``'s box per frame, ``x0, y0, x1, y1`` in
    fractions of the frame (exactly where the overlay put its picture; also in
    ``NAME.truth.json`` beside the clip). One shot, no sound, a still camera."""

    name: str
    path: Path
    width: int
    height: int
    fps: int
    frames: int
    boxes: np.ndarray  # (actors, frames, 4)
    speed: float  # fastest move of actor 0's centre, frame widths per second


def _face_mask(out: Path, w: int, h: int) -> None:
    import cv2

    m = np.zeros((h, w), np.uint8)
    cv2.ellipse(m, (w // 2, h // 2), (w // 2 - 3, h // 2 - 3), 0, 0, 360, 255, -1)
    cv2.imwrite(str(out), cv2.GaussianBlur(m, (0, 0), 2.0))


def _cup_png(out: Path) -> tuple[int, int]:
    """The cup of cup.mp4 at 0.5 s as an RGBA picture (its dark body's convex hull, the thumb
    across it included), scaled by :data:`CUP_SCALE`; returns its size."""
    import cv2

    from creator_tools.media.decode import iter_frames

    f = next(iter(iter_frames(SHARED_MEDIA / "video/cup.mp4", width=640, pix_fmt="rgb24",
                              start=0.5, frames=1)))
    x0, y0, w0, h0 = CUP_CROP
    rgb = f.image[y0 : y0 + h0, x0 : x0 + w0]
    dark = (rgb.mean(axis=2) < 60).astype(np.uint8)
    dark = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    hull = cv2.convexHull(cv2.findNonZero(dark))
    mask = np.zeros_like(dark)
    cv2.fillConvexPoly(mask, hull, 255)
    x, y, w, h = cv2.boundingRect(hull)
    rgba = np.dstack([rgb[..., ::-1], mask])[y : y + h, x : x + w]
    size = (round(w * CUP_SCALE / 2) * 2, round(h * CUP_SCALE / 2) * 2)
    cv2.imwrite(str(out), cv2.resize(rgba, size, interpolation=cv2.INTER_AREA))
    return size


#: Reframing fixtures: (actors, vtest.avi second the background starts at). 960x540, 7 s.
FRAMING: dict[str, tuple[tuple[Actor, ...], float]] = {
    # Side to side at walking pace (0.3 frame widths a second), a pause, and back.
    "walk": ((Actor("face", ((0.0, 0.2, 0.46), (0.5, 0.2, 0.46), (2.5, 0.8, 0.46),
                             (3.5, 0.8, 0.46), (5.2, 0.3, 0.46)),
                    sway=(0.0, 0.0, 0.008, 1.8)),), 2.0),
    # A cup held still, a dash across the frame in 0.6 s (0.93 widths a second), and back.
    "dash": ((Actor("cup", ((0.0, 0.22, 0.5), (2.0, 0.22, 0.5), (2.6, 0.78, 0.5),
                            (4.5, 0.78, 0.5), (5.1, 0.3, 0.5))),), 14.0),
    # Talking, standing still.
    "still": ((Actor("face", ((0.0, 0.4, 0.46),)),), 26.0),
    # Talking, swaying a little (0.04 widths at 0.4 Hz, 0.015 heights at 0.7 Hz).
    "sway": ((Actor("face", ((0.0, 0.55, 0.46),), sway=(0.04, 0.4, 0.015, 0.7)),), 38.0),
    # Two people far apart: no 9:16 window holds both.
    "two": ((Actor("face", ((0.0, 0.2, 0.46),)),
             Actor("face", ((0.0, 0.8, 0.46),), mirror=True)), 50.0),
}


def framing_clip(name: str, *, size: tuple[int, int] = (960, 540), fps: int = 30,
                 duration: float = 7.0) -> FramingClip:
    """The reframing fixture ``name`` of :data:`FRAMING`: its actors composited by ffmpeg
    (``overlay`` at an expression of time, :meth:`Actor.corner_expr`) over vtest.avi (a fixed
    camera on people walking), scaled to cover ``size``. Needs ../shared/media."""
    actors, bg_start = FRAMING[name]
    w, h = size
    n = round(duration * fps)
    t = np.arange(n) / fps
    fw, fh = FACE_CROP[2] * FACE_SCALE, FACE_CROP[3] * FACE_SCALE
    face_size = (round(fw / 2) * 2, round(fh / 2) * 2)
    cup_size = (round(112 * CUP_SCALE / 2) * 2, round(258 * CUP_SCALE / 2) * 2)
    sizes = [face_size if a.kind == "face" else cup_size for a in actors]
    corners = []
    for a, (pw, ph) in zip(actors, sizes, strict=True):
        cx, cy = a.centre(t)
        corners.append((np.floor(cx * w - pw / 2 + 0.5).astype(int),
                        np.floor(cy * h - ph / 2 + 0.5).astype(int)))
    boxes = np.array([[(x / w, y / h, (x + pw) / w, (y + ph) / h) for x, y in zip(*c, strict=True)]
                      for c, (pw, ph) in zip(corners, sizes, strict=True)])
    cx0 = (boxes[0, :, 0] + boxes[0, :, 2]) / 2
    speed = float(np.abs(np.diff(cx0)).max() * fps)
    recipe = {"v": 2, "name": name, "actors": actors, "bg": bg_start, "size": size, "fps": fps,
              "d": duration, "face": [FACE_CROP, FACE_SCALE], "cup": [CUP_CROP, CUP_SCALE]}

    def build(out: Path) -> None:
        faces = [i for i, a in enumerate(actors) if a.kind == "face"]
        with tempfile.TemporaryDirectory() as tmp:
            tmpd = Path(tmp)
            args = ["-ss", str(bg_start), "-i", str(SHARED_MEDIA / "video/vtest.avi")]
            chains = [f"[0:v]fps={fps},scale={w}:{h}:force_original_aspect_ratio=increase,"
                      f"crop={w}:{h},format=yuv420p[b0]"]
            if faces:
                _face_mask(tmpd / "mask.png", *face_size)
                fx, fy, cw, ch = FACE_CROP
                args += ["-i", str(SHARED_MEDIA / "video/carphone_pristine.mp4"),
                         "-loop", "1", "-framerate", str(fps), "-i", "mask.png"]
                k = len(faces)
                # Forward, then backward: 8 s of talking without a jump.
                chains += [f"[1:v]fps={fps},crop={cw}:{ch}:{fx}:{fy},"
                           f"scale={face_size[0]}:{face_size[1]}:flags=lanczos,"
                           f"format=yuv420p,split[fa][fb]",
                           "[fb]reverse[fr]",
                           f"[fa][fr]concat=n=2:v=1:a=0,split={k}"
                           + "".join(f"[f{j}]" for j in range(k)),
                           f"[2:v]format=gray,split={k}" + "".join(f"[m{j}]" for j in range(k))]
            if len(faces) < len(actors):
                got = _cup_png(tmpd / "cup.png")
                if got != cup_size:
                    raise RuntimeError(f"the cup's picture is {got}, expected {cup_size}")
                args += ["-loop", "1", "-framerate", str(fps), "-i", "cup.png"]
            cup_input = args.count("-i") - 1
            for i, a in enumerate(actors):
                if a.kind == "face":
                    j = faces.index(i)
                    flip = "hflip," if a.mirror else ""
                    chains.append(f"[f{j}]{flip}format=yuva420p[fc{i}]")
                    chains.append(f"[fc{i}][m{j}]alphamerge[p{i}]")
                else:
                    chains.append(f"[{cup_input}:v]format=rgba[p{i}]")
                x, y = (a.corner_expr(k, (w, h)[k], sizes[i][k]) for k in (0, 1))
                chains.append(f"[b{i}][p{i}]overlay@a{i}=x='{x}':y='{y}':eof_action=repeat:"
                              f"format=auto[b{i + 1}]")
            chains.append(f"[b{len(actors)}]format=yuv420p[v]")
            cwd = os.getcwd()
            os.chdir(tmpd)  # the graph names its files relative to here
            try:
                ffmpeg(*args, "-filter_complex", ";".join(chains), "-map", "[v]",
                       "-frames:v", str(n), "-r", str(fps), "-c:v", "libx264",
                       "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p", str(out))
            finally:
                os.chdir(cwd)

    path = _cached(f"framing-{name}", "mp4", recipe, build)
    side = path.with_suffix(".truth.json")
    if not side.exists():
        truth = {"fps": fps, "frames": n, "size": list(size), "speed": speed,
                 "boxes": "x0, y0, x1, y1 per frame, fractions of the frame",
                 "actors": [{"kind": a.kind, "boxes": np.round(b, 5).tolist()}
                            for a, b in zip(actors, boxes, strict=True)]}
        side.write_text(json.dumps(truth))
    return FramingClip(name, path, w, h, fps, n, boxes, speed)


# ---------------------------------------------------------------------------------------
# Real footage (../shared/media), re-encoded, and joined by gradual transitions
# ---------------------------------------------------------------------------------------

#: The hard cuts of bikes.mp4 (25 fps), seconds, checked frame by frame by eye.
BIKES_CUTS = (1.2, 3.04, 5.48, 7.48, 9.68)


def reencoded(name: str, *, size: str = "1280x720", fps: int = 30,
              preset: str = "medium") -> Path:
    """``../shared/media/video/NAME`` scaled to ``size`` at ``fps`` and encoded again by x264
    at ``preset`` (medium: B-frames, some of them references, as most H.264 files have)."""
    w, h = size.split("x")

    def build(out: Path) -> None:
        ffmpeg("-i", str(SHARED_MEDIA / "video" / name), "-an", "-vf",
               f"fps={fps},scale={w}:{h}:flags=bicubic,setsar=1,format=yuv420p",
               "-c:v", "libx264", "-preset", preset, "-crf", "23", str(out))

    recipe = {"v": 1, "src": name, "size": size, "fps": fps, "preset": preset}
    return _cached(f"re-{Path(name).stem}", "mp4", recipe, build)


@dataclass(frozen=True)
class XfadeClip:
    """Real footage joined by ``xfade`` transitions: ``transitions`` are (start, end, xfade
    transition name) in seconds; ``cuts`` the hard cuts inside the footage (bikes)."""

    path: Path
    fps: int
    transitions: tuple[tuple[float, float, str], ...]
    cuts: tuple[float, ...]


#: What the analysis calls each ``xfade`` transition used here.
XFADE_KINDS = {"fade": "dissolve", "dissolve": "dissolve", "fadefast": "dissolve",
               "fadeslow": "dissolve", "hblur": "dissolve", "fadeblack": "fade",
               "fadewhite": "fade"}
#: Where each clip of ../shared/media/video is taken from, seconds (bikes: inside a shot).
_XFADE_FROM = {"bikes.mp4": (1.5, 5.6), "box.mp4": (1.0, 5.0, 9.0, 11.5),
               "cup.mp4": (0.0, 1.5, 3.0, 4.5), "vtest.avi": (5.0, 25.0, 45.0, 65.0),
               "carphone_pristine.mp4": (0.0, 0.3, 0.5, 0.2), "tree.avi": (2.0, 9.0, 16.0, 23.0)}


def xfade_clip(kinds: tuple[str, ...] = ("fade", "fadeblack", "dissolve", "fadewhite",
                                         "fadefast", "hblur", "fadeslow"),
               durations: tuple[float, ...] = (0.3, 0.5, 0.8, 1.0, 1.2, 1.5), *,
               count: int = 21, length: float = 3.5, size: str = "320x240",
               fps: int = 30) -> XfadeClip:
    """``count`` clips of ``length`` seconds from bikes, box, cup, vtest, carphone and tree
    (scaled and cropped to ``size`` at ``fps``), each joined to the next by ``xfade``, the
    transitions and their durations taken in turn from ``kinds`` and ``durations``."""
    names = list(_XFADE_FROM)
    used = dict.fromkeys(names, 0)
    clips: list[tuple[str, float]] = []
    for i in range(count):
        name = names[i % len(names)]
        if name == "bikes.mp4" and used[name] >= len(_XFADE_FROM[name]):
            name = "cup.mp4"
        clips.append((name, _XFADE_FROM[name][used[name] % len(_XFADE_FROM[name])]))
        used[name] += 1
    w, h = size.split("x")
    transitions: list[tuple[float, float, str]] = []
    cuts: list[float] = []
    end = 0.0
    for i, (name, start) in enumerate(clips):
        at = 0.0 if i == 0 else end - durations[(i - 1) % len(durations)]
        if i:
            transitions.append((round(at, 4), round(end, 4), kinds[(i - 1) % len(kinds)]))
        if name == "bikes.mp4":
            cuts += [round(at + c - start, 4) for c in BIKES_CUTS if 0 < c - start < length]
        end = at + length

    def build(out: Path) -> None:
        args: list[str] = []
        chains = []
        for i, (name, start) in enumerate(clips):
            args += ["-i", str(SHARED_MEDIA / "video" / name)]
            chains.append(f"[{i}:v]fps={fps},trim=start={start}:duration={length},"
                          f"setpts=PTS-STARTPTS,scale={w}:{h}:force_original_aspect_ratio="
                          f"increase,crop={w}:{h},setsar=1,format=yuv420p,settb=1/{fps}[s{i}]")
        last = "s0"
        for i, (a, _b, kind) in enumerate(transitions, start=1):
            chains.append(f"[{last}][s{i}]xfade=transition={kind}:duration="
                          f"{durations[(i - 1) % len(durations)]}:offset={a}[x{i}]")
            last = f"x{i}"
        ffmpeg(*args, "-filter_complex", ";".join(chains), "-map", f"[{last}]",
               "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", str(out))

    recipe = {"v": 1, "clips": clips, "transitions": transitions, "size": size, "fps": fps,
              "length": length}
    path = _cached("xfade-real", "mp4", recipe, build)
    return XfadeClip(path, fps, tuple(transitions), tuple(cuts))
