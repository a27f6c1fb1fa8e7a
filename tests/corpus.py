"""The bad-input corpus of issue #8: generated (and cached) inputs, and a runner that puts each
through ``probe``, ``analyze``, ``suggest``, ``edit`` and ``batch`` as a user would.

``tests/test_reliability.py`` asserts on the outcomes; ``python -m tests.corpus`` prints them
as the markdown table of ``docs/reliability.md``. Nothing large is committed: every input is
built by ffmpeg (or cut from ``shared/media`` when present) into ``tests/.media-cache``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from creator_tools.media.ffmpeg import base_args
from tests import mediagen
from tests.mediagen import SHARED_MEDIA, _cached, ffmpeg, simple_clip, write_wav

#: The commands every case goes through, in this order (they share one analysis cache).
COMMANDS = ("probe", "analyze", "suggest", "edit", "batch")
#: Options of an edit whose point is the input handling, not the look of the result.
FAST = ("--music", "none", "--look", "none", "--no-enhance", "--no-captions")
ROOT = Path(__file__).resolve().parent.parent


@cache
def has_encoder(name: str) -> bool:
    """Whether the project's ffmpeg has encoder ``name`` (e.g. ``libx265``)."""
    proc = subprocess.run([*base_args(), "-encoders"], capture_output=True, text=True,
                          check=False)
    return any(line.split()[1:2] == [name] for line in proc.stdout.splitlines())


# ---------------------------------------------------------------------------------------
# Generators
# ---------------------------------------------------------------------------------------

def _boxes(data: bytes) -> list[tuple[bytes, int, int]]:
    """Top-level ISO BMFF boxes of ``data``: (type, offset, size)."""
    out, pos = [], 0
    while pos + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if size == 1:
            size = struct.unpack(">Q", data[pos + 8:pos + 16])[0]
        elif size == 0:
            size = len(data) - pos
        out.append((kind, pos, size))
        pos += size
    return out


def moov_missing() -> Path:
    """A complete mp4 whose ``moov`` box (the index) was cut out: ftyp + mdat only."""

    def build(out: Path) -> None:
        data = simple_clip("whole", duration=3.0).read_bytes()
        out.write_bytes(b"".join(data[o:o + s] for kind, o, s in _boxes(data) if kind != b"moov"))

    return _cached("nomoov", "mp4", {"v": 1}, build)


def corrupt_middle() -> Path:
    """A 2 s clip with 64 KiB of its media data overwritten by noise in the middle: it opens,
    but decoding hits errors (broken slices, concealment)."""

    def build(out: Path) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            whole = Path(tmp) / "w.mp4"
            ffmpeg("-f", "lavfi", "-i", "testsrc2=s=640x360:r=30:d=2", "-f", "lavfi", "-i",
                   "sine=f=440:d=2:sample_rate=48000", "-c:v", "libx264", "-preset",
                   "ultrafast", "-g", "15", "-pix_fmt", "yuv420p", "-c:a", "aac",
                   "-movflags", "+faststart", str(whole))
            data = bytearray(whole.read_bytes())
        (_, off, size), = [b for b in _boxes(bytes(data)) if b[0] == b"mdat"]
        start = off + size // 2 - 32768
        data[start:start + 65536] = np.random.default_rng(8).bytes(65536)
        out.write_bytes(bytes(data))

    return _cached("corrupt", "mp4", {"v": 2}, build)


def shared_box() -> Path | None:
    """The first 2 s of ``shared/media/video/box.mp4`` (stream copy): a real H.264 stream with
    decode errors ('non-intra slice in an IDR NAL unit') and MP3 audio; ``None`` when absent."""
    src = SHARED_MEDIA / "video" / "box.mp4"
    if not src.is_file():
        return None
    return _cached("box2", "mp4", {"v": 1},
                   lambda out: ffmpeg("-i", str(src), "-t", "2", "-c", "copy", str(out)))


def still_image(ext: str) -> Path:
    """One 640x360 picture (``png`` or ``jpg``)."""

    def build(out: Path) -> None:
        ffmpeg("-f", "lavfi", "-i", "testsrc2=s=640x360:r=1", "-frames:v", "1", "-update", "1",
               "-f", "image2", str(out))

    return _cached("still", ext, {"v": 1, "ext": ext}, build)


def sized_clip(size: str) -> Path:
    """A 2 s clip of exactly ``size`` with a tone (odd sizes need 4:4:4 for libx264)."""
    w, h = (int(x) for x in size.split("x"))
    pix = "yuv420p" if w % 2 == 0 and h % 2 == 0 else "yuv444p"

    def build(out: Path) -> None:
        ffmpeg("-f", "lavfi", "-i", "testsrc2=s=640x360:r=30:d=2", "-f", "lavfi", "-i",
               "sine=f=440:d=2:sample_rate=48000", "-vf", f"scale={w}:{h},format={pix}",
               "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", str(out))

    return _cached(f"size{size}", "mp4", {"v": 1, "s": size}, build)


def hevc10(hdr: bool) -> Path:
    """A 2 s 10-bit HEVC (libx265) clip with audio; ``hdr``: tagged BT.2020 PQ (HDR10)."""
    tags: tuple[str, ...] = ()
    params = "log-level=error"
    if hdr:
        tags = ("-color_primaries", "bt2020", "-color_trc", "smpte2084",
                "-colorspace", "bt2020nc")
        params += ":colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc"

    def build(out: Path) -> None:
        ffmpeg("-f", "lavfi", "-i", "testsrc2=s=640x360:r=30:d=2", "-f", "lavfi", "-i",
               "sine=f=440:d=2:sample_rate=48000", "-c:v", "libx265", "-preset", "ultrafast",
               "-pix_fmt", "yuv420p10le", *tags, "-x265-params", params, "-tag:v", "hvc1",
               "-c:a", "aac", str(out))

    return _cached("hevc10hdr" if hdr else "hevc10", "mp4", {"v": 1, "hdr": hdr}, build)


def _speech(duration: float, gain: float, sr: int = 48000) -> np.ndarray:
    from tools.synth import speech_like

    y = speech_like(duration, ((0.3, duration - 0.3),), sr=sr, level_db=-18.0, seed=3)
    return np.clip(y * gain, -1.0, 1.0).astype(np.float32)


def audio_clip(kind: str, duration: float = 2.0) -> Path:
    """A 640x360 clip whose audio is ``kind``: ``clipped`` (speech driven 30 dB into hard
    clipping: square waves at 0 dBFS), ``silence`` (digital zero) or ``6ch`` (48 kHz 5.1)."""

    def build(out: Path) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            wav = Path(tmp) / "a.wav"
            if kind == "silence":
                write_wav(wav, np.zeros(int(duration * 48000), np.float32), 48000)
            elif kind == "clipped":
                write_wav(wav, _speech(duration, 30.0), 48000)
            else:
                y = _speech(duration, 1.0)
                write_wav(wav, np.stack([y * g for g in (1, 0.9, 0.8, 0.1, 0.5, 0.5)], 1),
                          48000)
            layout = ["-channel_layout", "5.1"] if kind == "6ch" else []
            ffmpeg("-f", "lavfi", "-i", f"testsrc2=s=640x360:r=30:d={duration}", *layout,
                   "-i", str(wav), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt",
                   "yuv420p", "-c:a", "aac", "-b:a", "192k" if kind == "6ch" else "128k",
                   "-shortest", str(out))

    return _cached(f"audio-{kind}", "mp4", {"v": 1, "k": kind, "d": duration}, build)


# ---------------------------------------------------------------------------------------
# The cases
# ---------------------------------------------------------------------------------------

def _codes(probe: int = 3, analyze: int = 3, suggest: int = 3, edit: int = 3,
           batch: int = 3) -> dict[str, int]:
    return {"probe": probe, "analyze": analyze, "suggest": suggest, "edit": edit, "batch": batch}


ALL_OK = _codes(0, 0, 0, 0, 0)
ALL_BAD = _codes()


@dataclass(frozen=True)
class Case:
    """One corpus entry.

    ``make`` builds the input (``None``: skip, e.g. shared media absent). ``expect`` is the
    documented exit status of each command; ``error`` a fragment of every error line.
    ``known`` names commands that do not meet ``expect`` yet, with the reason (the test
    reports them as expected failures). ``special`` is how the input is presented:
    ``dir`` (a folder named like a clip), ``missing`` (a path that does not exist),
    ``unreadable`` (mode 000) or ``readonly-out`` (outputs into a folder without write
    permission).
    """

    name: str
    make: Callable[[], Path | None]
    expect: dict[str, int]
    error: str = ""
    batch_error: str = ""  # when batch says it otherwise
    note: str = ""
    requires: str = ""  # an ffmpeg encoder the generator needs
    default_edit: bool = False  # also run a default edit (look, music, captions, enhance)
    edit_args: tuple[str, ...] = ()
    known: dict[str, str] = field(default_factory=dict)
    special: str = ""

    @property
    def valid(self) -> bool:
        return self.expect["edit"] == 0

    def error_for(self, command: str) -> str:
        return self.batch_error if command == "batch" and self.batch_error else self.error


_PLAIN = lambda: simple_clip("plain", size="640x360", fps=25, duration=2.0)  # noqa: E731
CASES: tuple[Case, ...] = (
    Case("empty file", mediagen.empty_file, ALL_BAD, "empty file (0 bytes)"),
    Case("text file named .mp4", mediagen.not_media_file, ALL_BAD,
         "not a readable media file"),
    Case("mp4 cut at 10%", lambda: mediagen.truncated_clip(0.1), ALL_BAD,
         "not a readable media file", note="index (moov, at the end) lost"),
    Case("mp4 cut at 90%", lambda: mediagen.truncated_clip(0.9), ALL_BAD,
         "not a readable media file", note="index (moov, at the end) lost"),
    Case("mp4 cut at 90%, faststart", lambda: mediagen.truncated_faststart_clip(0.9), ALL_BAD,
         "truncated file (only 90% of its data present)", note="index first, data short"),
    Case("moov atom missing", moov_missing, ALL_BAD, "not a readable media file"),
    Case("still image (PNG)", lambda: still_image("png"), ALL_BAD, "a still image",
         note="a picture is not a clip"),
    Case("still image (JPEG)", lambda: still_image("jpg"), ALL_BAD, "a still image",
         note="a picture is not a clip"),
    Case("audio only (.m4a)",
         lambda: simple_clip("audioonly", video=False, duration=2.0, ext="m4a"),
         _codes(0, 0, 0, 3, 3), "no video stream", note="probe/analyze/suggest work on audio"),
    Case("a directory", _PLAIN, ALL_BAD, "is a directory", special="dir",
         batch_error="no clips found",
         note="batch takes a folder: an empty one is 'no clips found' (exit 3)"),
    Case("path does not exist", _PLAIN, ALL_BAD, "no such file", special="missing"),
    Case("no read permission", _PLAIN, ALL_BAD, "permission denied", special="unreadable",
         note="as root: run as nobody (setpriv)"),
    Case("output folder not writable", _PLAIN, _codes(0, 0, 0, 3, 3),
         "output folder is not writable", special="readonly-out",
         note="probe/analyze/suggest: the cache folder is read-only too (the cache is "
              "skipped); as root: run as nobody (setpriv)"),
    Case("video, no audio", lambda: simple_clip("noaudio", audio=False, size="640x360"),
         ALL_OK, note="silent AAC stereo track in the output", default_edit=True),
    Case("0.2 s clip", lambda: simple_clip("short", duration=0.2, size="640x360"), ALL_OK),
    Case("1x1 video", lambda: sized_clip("1x1"), ALL_OK,
         note="analysis frames are scaled up to 16x16"),
    Case("333x187 (odd size)", lambda: sized_clip("333x187"), ALL_OK),
    Case("333x187, --reframe fill", lambda: sized_clip("333x187"), ALL_OK,
         edit_args=("--reframe", "fill")),
    Case("10-bit HEVC", lambda: hevc10(False), ALL_OK, requires="libx265"),
    Case("HDR10 (PQ, BT.2020)", lambda: hevc10(True), ALL_OK, requires="libx265",
         note="tone-mapped to SDR BT.709"),
    Case("variable frame rate", mediagen.vfr_clip, ALL_OK, note="30 then 60 fps"),
    Case("rotated 90", lambda: mediagen.rotated_clip(90), ALL_OK, default_edit=True),
    Case("rotated 180", lambda: mediagen.rotated_clip(180), ALL_OK),
    Case("rotated 270", lambda: mediagen.rotated_clip(270), ALL_OK),
    Case("decode errors (generated)", corrupt_middle, ALL_OK,
         note="64 KiB of noise mid-file: concealed"),
    Case("decode errors (box.mp4)", shared_box, ALL_OK,
         note="first 2 s of shared/media/video/box.mp4 (stream copy)"),
    Case("48 kHz 6-channel audio", lambda: audio_clip("6ch"), ALL_OK,
         note="downmixed to stereo"),
    Case("loud, clipped audio", lambda: audio_clip("clipped"), ALL_OK,
         note="to -14 LUFS, true peak <= -1 dBTP"),
    Case("digital silence", lambda: audio_clip("silence"), ALL_OK,
         note="2 s of zeros"),
    Case("digital silence, 3 s", lambda: audio_clip("silence", 3.0), ALL_OK,
         note="stays silent; no NaN"),
)


def case_named(name: str) -> Case:
    (case,) = [c for c in CASES if c.name == name]
    return case


# ---------------------------------------------------------------------------------------
# Running a case
# ---------------------------------------------------------------------------------------

@dataclass
class Outcome:
    """What one command did with one case's input."""

    command: str
    args: list[str]
    root: str  # the case's folder
    rc: int
    stdout: str
    stderr: str
    seconds: float
    #: Files that appeared in the input or output folder (paths relative to the case folder).
    new_files: list[str] = field(default_factory=list)
    input_unchanged: bool = True
    cache_entries: int = 0
    #: The edit's output: probe record and loudness (integrated LUFS, true peak dBTP).
    media: dict[str, Any] | None = None
    loudness: tuple[float, float] | None = None

    @property
    def error_lines(self) -> list[str]:
        return [ln for ln in self.stderr.splitlines() if ln.startswith("error:")]

    @property
    def stderr_lines(self) -> list[str]:
        return [ln for ln in self.stderr.splitlines() if ln.strip()]


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def public_tmpdir(prefix: str) -> Path:
    """A new temporary folder that other users may enter (mode 0755), for the cases that run
    as an unprivileged user."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    os.chmod(folder, 0o755)
    return folder


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


@cache
def _as_nobody() -> tuple[str, ...] | None:
    """A command prefix that runs as an unprivileged user when we are root (root reads and
    writes whatever the permissions say); ``()`` when not root; ``None`` when impossible."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if not setpriv:
        return None
    prefix = (setpriv, "--reuid=65534", "--regid=65534", "--clear-groups")
    ok = subprocess.run([*prefix, sys.executable, "-c", "import creator_tools"],
                        capture_output=True, check=False, cwd="/")
    return prefix if ok.returncode == 0 else None


def unprivileged_reason() -> str | None:
    """Why the permission cases cannot run here (``None``: they can)."""
    if _as_nobody() is None:
        return ("running as root, which reads and writes regardless of permissions, and "
                "cannot switch to an unprivileged user (no setpriv, or nobody cannot run "
                "this Python)")
    return None


@cache
def trend_index() -> Path:
    """A trend index built once for every run (its creation notice stays out of the runs)."""
    folder = public_tmpdir("creator-corpus-index-")
    idx = folder / "idx.sqlite"
    subprocess.run([sys.executable, "-m", "creator_tools", "trends", "stats"], check=True,
                   capture_output=True, env={**os.environ, "CREATOR_INDEX": str(idx)})
    os.chmod(idx, 0o644)
    return idx


def _command_args(command: str, case: Case, clip: Path, out: Path) -> list[str]:
    if command == "probe":
        return ["probe", "--json", str(clip)]
    if command == "analyze":
        return ["analyze", "--json", str(clip)]
    if command == "suggest":
        extra = [] if case.default_edit else ["--no-transcribe"]
        return ["suggest", "--json", *extra, str(clip)]
    if command == "edit":
        return ["edit", "--json", "-o", str(out / "x.mp4"), *FAST, *case.edit_args, str(clip)]
    outdir = out if case.special == "readonly-out" else out / "batch"
    return ["batch", "--json", "-o", str(outdir), *FAST, *case.edit_args, str(clip)]


def run_command(command: str, case: Case, root: Path, clip: Path, *,
                args: list[str] | None = None, check_output: bool = True) -> Outcome:
    """Run ``command`` on ``clip``, the case input staged under ``root`` (see :func:`stage`)."""
    out = root / "out"
    args = args or _command_args(command, case, clip, out)
    env = {**os.environ, "COLUMNS": "200", "CREATOR_CACHE_DIR": str(root / "cache"),
           "CREATOR_INDEX": str(trend_index()), "CREATOR_CONFIG": str(root / "config.toml"),
           "HOME": str(root / "home"), "XDG_CACHE_HOME": str(root / "home"),
           "XDG_DATA_HOME": str(root / "home"), "XDG_CONFIG_HOME": str(root / "home")}
    prefix: tuple[str, ...] = ()
    if case.special in ("unreadable", "readonly-out"):
        prefix = _as_nobody() or ()
        env["CREATOR_INDEX"] = str(root / "home" / "idx.sqlite")  # one they may write
        if case.special == "readonly-out" and command in ("probe", "analyze", "suggest"):
            env["CREATOR_CACHE_DIR"] = str(out)  # read-only: the cache is best effort
    before = _tree(root)
    digest = sha256(clip) if clip.is_file() else None
    t0 = time.perf_counter()
    proc = subprocess.run([*prefix, sys.executable, "-m", "creator_tools", *args], cwd=root,
                          capture_output=True, text=True, env=env, timeout=600, check=False)
    seconds = time.perf_counter() - t0
    new = sorted(f for f in _tree(root) - before
                 if not f.startswith(("cache/", "home/")) and f != "config.toml")
    o = Outcome(command, args, str(root), proc.returncode, proc.stdout, proc.stderr, seconds,
                new,
                digest is None or sha256(clip) == digest,
                sum(1 for _ in (root / "cache").rglob("*.json")))
    if check_output and command == "edit" and proc.returncode == 0:
        video = Path(json.loads(proc.stdout)["output"])
        from creator_tools.media.probe import probe

        o.media = probe(video).to_dict()
        o.media["plan_duration"] = json.loads(proc.stdout)["duration"]
        o.loudness = mediagen.ebur128(video)
    return o


def stage(case: Case, root: Path) -> Path | None:
    """Lay out ``root``: ``in/`` holding the input (a copy), ``out/``, ``cache/``.
    Returns the input path, or ``None`` when the case cannot run here."""
    src = case.make()
    if src is None or (case.requires and not has_encoder(case.requires)):
        return None
    for sub in ("in", "out", "cache", "home"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    clip = root / "in" / f"clip{src.suffix}"
    if case.special == "dir":
        clip.mkdir()
    elif case.special != "missing":
        shutil.copyfile(src, clip)
    if case.special in ("unreadable", "readonly-out"):
        if unprivileged_reason():
            return None
        for p in (root, root / "in"):
            os.chmod(p, 0o755)
        for p in (root / "cache", root / "home"):
            os.chmod(p, 0o777)
        os.chmod(root / "out", 0o555 if case.special == "readonly-out" else 0o777)
        shutil.copyfile(trend_index(), root / "home" / "idx.sqlite")
        os.chmod(root / "home" / "idx.sqlite", 0o666)
        os.chmod(clip, 0o000 if case.special == "unreadable" else 0o644)
    return clip


def run_case(case: Case, root: Path, commands: tuple[str, ...] = COMMANDS,
             ) -> dict[str, Outcome] | None:
    """The ``commands`` on ``case`` (in :data:`COMMANDS` order, one shared cache), and a
    default edit where the case asks for one; ``None`` when the case cannot run here."""
    clip = stage(case, root)
    if clip is None:
        return None
    outcomes = {cmd: run_command(cmd, case, root, clip) for cmd in COMMANDS if cmd in commands}
    if case.default_edit:
        outcomes["edit (default)"] = run_command(
            "edit", case, root, clip,
            args=["edit", "--json", "-o", str(root / "out" / "d.mp4"), str(clip)])
    return outcomes


def skip_reason(case: Case) -> str | None:
    """Why ``case`` cannot run here, if it cannot."""
    if case.requires and not has_encoder(case.requires):
        return f"the project's ffmpeg has no {case.requires} encoder"
    if case.name == "decode errors (box.mp4)" and shared_box() is None:
        return "shared/media/video/box.mp4 is not present"
    if case.special in ("unreadable", "readonly-out"):
        return unprivileged_reason()
    return None


# ---------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------

def cell(case: Case, o: Outcome) -> str:
    """One table cell: the exit status, and the error or what was written."""
    text = str(o.rc)
    if o.error_lines:
        msg = o.error_lines[0].removeprefix("error: ")
        text += ": " + msg.replace(f"{o.root}/in/", "").replace(f"{o.root}/", "")
    elif o.rc and o.stderr_lines:  # not our error line (click's usage error)
        text += f": {' / '.join(o.stderr_lines[-1:])}"
    elif o.command == "edit" and o.media:
        v, a = o.media["video"], o.media["audio"]
        text += (f": {v['width']}x{v['height']} {o.media['duration']:.2f} s, "
                 f"{a['channels']} ch, {o.loudness[0]:.1f} LUFS / {o.loudness[1]:.1f} dBTP")
    if o.rc != case.expect.get(o.command, 0):
        text += " (known bug)" if o.command in case.known else " (UNEXPECTED)"
    return text.replace("|", "\\|")


def table(results: dict[str, dict[str, Outcome] | str]) -> str:
    """The markdown table of :func:`run_all`'s results."""
    head = ["input", *COMMANDS, "notes"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for case in CASES:
        r = results.get(case.name)
        if r is None:
            continue
        if isinstance(r, str):
            lines.append(f"| {case.name} | " + " | ".join(["skipped"] * len(COMMANDS))
                         + f" | {r} |")
            continue
        cells = [cell(case, r[c]) if c in r else "not run" for c in COMMANDS]
        note = case.note
        if "edit (default)" in r:
            default = "default edit: " + cell(case, r["edit (default)"])
            note = f"{note}; {default}" if note else default
        lines.append(f"| {case.name} | " + " | ".join(cells) + f" | {note} |")
    return "\n".join(lines)


def run_all(jobs: int = 2, cases: tuple[Case, ...] = CASES,
            commands: Callable[[Case], tuple[str, ...]] = lambda case: COMMANDS,
            ) -> dict[str, dict[str, Outcome] | str]:
    """``cases`` (``jobs`` at a time) through ``commands(case)``; a case that cannot run here
    gives the reason instead of its outcomes."""
    from concurrent.futures import ThreadPoolExecutor

    base = public_tmpdir("creator-corpus-")
    try:
        with ThreadPoolExecutor(jobs) as pool:
            futures = {c.name: pool.submit(run_case, c, base / f"case{i}", commands(c))
                       for i, c in enumerate(cases)}
            return {name: f.result() or skip_reason(case_named(name)) or "cannot run here"
                    for name, f in futures.items()}
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    t0 = time.perf_counter()
    results = run_all(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
    print(table(results))
    for name, r in results.items():
        if isinstance(r, dict):
            times = " ".join(f"{c}={o.seconds:.1f}" for c, o in r.items())
            print(f"{name}: {times}", file=sys.stderr)
    print(f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
