"""Render an :class:`EditPlan`: the picture in one ffmpeg pass, the sound beside it.

Three ffmpeg processes make an edit. The picture's pass (one filtergraph, one encode: see
:mod:`creator_tools.edit.video_graph`) holds the cores; beside it, the sound's two short passes
(:mod:`creator_tools.edit.audio_mix`) mix and then master the audio to the target loudness
with a gain measured on the finished mix (where a limiter is needed, passes that only measure
find the gain that lands, and the master is encoded once), at a lower CPU priority so that
they never slow the picture's encode. A stream copy then puts the two
into the output, with the index at the front (``+faststart``). Every intermediate file lies
in a hidden folder beside the output, removed whatever happens.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from creator_tools.edit.audio_mix import (
    MIX_OUT,
    STEREO_FLOAT,
    Master,
    correct_master,
    master_miss,
    mix_pass,
    plan_master,
)
from creator_tools.edit.plan import EditPlan
from creator_tools.edit.video_graph import VIDEO_OUT, video_graph
from creator_tools.errors import NoVideoError, ProcessingError
from creator_tools.media.ffmpeg import base_args, input_path_arg
from creator_tools.media.loudness import parse_ebur128_summary
from creator_tools.media.probe import MediaInfo, probe
from creator_tools.system import cpu_count

#: ``progress(done_seconds, total_seconds)``
Progress = Callable[[float, float], None]
#: Passes of the master at most (the first and up to three corrections of a limited one).
MAX_MASTER_PASSES = 4


@dataclass(frozen=True, slots=True)
class RenderResult:
    """What was written, and the master that set its loudness (``None``: no sound in the
    plan, a silent track)."""

    output: Path
    duration: float
    master: Master | None = None


@dataclass(frozen=True, slots=True)
class RenderCommands:
    """The ffmpeg command lines of one render.

    ``video`` encodes the picture into ``parts/video.mp4``; ``mix`` (``None`` when the plan has
    no sound) writes the measured mix to ``parts/mix.wav``; :meth:`master` encodes the sound
    into ``parts/audio.m4a``; ``mux`` copies both into the output.
    """

    video: list[str]
    mix: list[str] | None
    mux: list[str]
    parts: Path
    plan: EditPlan
    threads: int | None = None

    def master(self, master: Master, *, measure: bool, name: str | None = "audio.m4a",
               ) -> list[str]:
        """The master pass with ``master``'s gain and limiter, into ``parts/name`` (``None``:
        nowhere, a pass that only measures); with ``measure`` it logs the result's loudness."""
        out = self.plan.output
        total = self.plan.duration
        if self.mix is None:  # no sound in the plan: a silent track
            source = ["-f", "lavfi", "-i",
                      f"anullsrc=r={out.audio_rate}:cl=stereo:d={total:.6f}"]
            af = ["-af", STEREO_FLOAT]
        else:
            source = ["-i", input_path_arg(self.parts / "mix.wav")]
            af = ["-af", master.filters(measure=measure)]
        head = [*base_args(), "-loglevel", "repeat+level+info", "-y", *_cap(self.threads),
                *source, *af]
        if name is None:
            return [*head, "-t", f"{total:.6f}", "-f", "null", "-"]
        return [
            *head, "-c:a", out.audio_codec, "-b:a", out.audio_bitrate, "-ar", str(out.audio_rate),
            "-t", f"{total:.6f}", "-map_metadata", "-1", "-f", "mp4",
            input_path_arg(self.parts / name),
        ]


def _cap(threads: int | None) -> list[str]:
    return [] if threads is None else ["-threads", str(threads)]


def filter_threads() -> int:
    """Threads for a render's filtergraph when nothing caps them: a quarter of the cores.

    The encoder is what needs the cores. The picture's filters (crop, colour conversions, the
    LUT, scaling) cost a few milliseconds a frame, and slicing each frame between threads costs
    more in hand-offs than it saves where cores are few: on 2 cores one filter thread rendered
    the benchmark clip's picture 2% faster (docs/benchmarks.md).
    """
    return max(1, cpu_count() // 4)


def _seek(plan: EditPlan, ticks: int, *, early: float = 0.0) -> list[str]:
    """``-ss`` opening an input at source tick ``ticks`` (none for 0). ``early`` (in ticks)
    opens a picture a fraction of a frame before its frame, so that rounding cannot skip it:
    the first frame decoded is then that one, and the frame-rate filter keeps it as frame 0."""
    if not ticks:
        return []
    return ["-ss", f"{max(0.0, plan.seconds(ticks) - early * float(plan.timebase)):.6f}"]


def build_commands(plan: EditPlan, output: Path, *, workdir: Path, parts: Path,
                   info: MediaInfo | None = None, threads: int | None = None) -> RenderCommands:
    """The ffmpeg commands that render ``plan`` into ``output``.

    The filtergraphs go to ``workdir`` (``graph.txt``, ``mix.txt``) with the files they read
    (the LUT, captions, fonts); the intermediate media go to ``parts``. ``threads`` caps
    ffmpeg's decoder, filter and encoder threads (for parallel batch jobs); ``None`` lets
    ffmpeg use every core. A plan whose first kept frame lies seconds into the source is
    rendered from there (the source is opened at that point, not decoded from its start).
    """
    from creator_tools.edit.timeshift import seek_point

    plan, seek = seek_point(plan)
    src = plan.source("main")
    info = info or probe(src.path)
    if info.video is None:
        raise NoVideoError("no video stream: nothing to edit into a video", path=src.path)
    out = plan.output
    cap = _cap(threads)
    fct = ["-filter_complex_threads", str(threads or filter_threads())]
    total = plan.duration
    graph = workdir / "graph.txt"
    graph.write_text(video_graph(plan, info, workdir), encoding="utf-8")
    video = [
        *base_args(), "-loglevel", "repeat+level+warning", "-y", *cap,
        *_seek(plan, seek, early=0.25), "-i", input_path_arg(src.path), *fct,
        "-/filter_complex", str(graph), "-map", f"[{VIDEO_OUT}]",
        "-c:v", out.video_codec, *cap, "-preset", out.preset, "-crf", str(out.crf),
        "-profile:v", "high", "-pix_fmt", "yuv420p", "-r", out.fps, "-fps_mode", "cfr",
        "-t", f"{total:.6f}", "-map_metadata", "-1", "-map_chapters", "-1",
        "-progress", "pipe:1", "-f", "mp4", input_path_arg(parts / "video.mp4"),
    ]
    mix = None
    sound = mix_pass(plan, info)
    if sound is not None:
        mix_graph = workdir / "mix.txt"
        mix_graph.write_text(sound.graph, encoding="utf-8")
        inputs = [a for arg in sound.inputs for a in ([*cap, arg] if arg == "-i" else [arg])]
        url = input_path_arg(src.path)
        if seek and url in inputs:  # the source's sound from the same point, to the sample
            at = inputs.index(url) - 1
            inputs[at:at] = _seek(plan, seek)
        mix = [
            *base_args(), "-loglevel", "repeat+level+info", "-y", *inputs, *fct,
            "-/filter_complex", str(mix_graph), "-map", f"[{MIX_OUT}]",
            "-c:a", "pcm_f32le", "-rf64", "auto", "-f", "wav",
            input_path_arg(parts / "mix.wav"),
        ]
    mux = [
        *base_args(), "-loglevel", "repeat+level+warning", "-y",
        "-i", input_path_arg(parts / "video.mp4"), "-i", input_path_arg(parts / "audio.m4a"),
        "-map", "0:v:0", "-map", "1:a:0", "-c", "copy", "-movflags", "+faststart",
        "-map_metadata", "-1", "-map_chapters", "-1", "-f", "mp4", input_path_arg(output),
    ]
    return RenderCommands(video, mix, mux, parts, plan, threads)


_TIME = re.compile(r"^out_time_us=(\d+)")
#: ffmpeg's ``-loglevel repeat+level`` prefixes: ``[vost#0:0/libx264 @ 0x55d8...] [error] ``.
_LOG_PREFIX = re.compile(r"^(?:\[[^\]]*\]\s*)+")


def ffmpeg_message(line: str) -> str:
    """An ffmpeg log line without its ``[component @ address] [level]`` prefixes."""
    text = _LOG_PREFIX.sub("", line.strip())
    return text or line.strip()


def render(plan: EditPlan, output: str | Path, *, force: bool = False,
           progress: Progress | None = None, threads: int | None = None,
           info: MediaInfo | None = None) -> RenderResult:
    """Render ``plan`` to ``output`` atomically (temporary file, then rename).

    ``threads`` caps ffmpeg's threads (see :func:`build_commands`); ``info`` is the main
    source's probe when the caller has it (a long source's probe reads every packet's time).

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
    info = info or probe(src.path)
    total = plan.duration
    workdir = Path(tempfile.mkdtemp(prefix="creator-render-"))
    parts: Path | None = None
    try:
        with atomic_output(output, force=force, inputs=inputs) as tmp:
            # Beside the output (same disk, and the system's temporary folder may be small):
            # ".NAME.XXXX.tmp.parts" for ".NAME.XXXX.tmp.mp4".
            parts = tmp.with_name(tmp.name.removesuffix(tmp.suffix) + ".parts")
            try:
                parts.mkdir()
            except OSError as exc:
                raise ProcessingError(f"cannot write output: {exc.strerror or exc}",
                                      path=output) from None
            cmds = build_commands(plan, tmp, workdir=workdir, parts=parts, info=info,
                                  threads=threads)
            procs = _Processes()
            sound = _SoundJob(cmds, procs)
            try:
                sound.start()
                _run(cmds.video, procs, who="picture", total=total, progress=progress)
                sound.join()
            except BaseException as exc:
                procs.abort("picture")
                if sound.ident is not None:
                    sound.join()
                raise _stop_reason(exc, procs.cause, sound.error) from None
            if sound.error is not None:
                raise sound.error
            _run(cmds.mux, procs, who="mux")
            if progress:
                progress(total, total)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if parts is not None:
            shutil.rmtree(parts, ignore_errors=True)
    return RenderResult(Path(output), total, sound.master)


class _Aborted(Exception):
    """The render is being stopped: start no further process."""


def _stop_reason(exc: BaseException, cause: str | None,
                 sound_error: BaseException | None) -> BaseException:
    """What a stopped render raises, given what stopped the picture (``exc``), who stopped the
    render first (``cause``) and the sound's own error.

    An interruption wins: Ctrl-C signals the whole process group, so the sound's ffmpeg may
    die of it (and report a failure) before Python raises ``KeyboardInterrupt``. Otherwise,
    when the sound failed first its error is the cause: the picture was only stopped for it.
    """
    for stop in (exc, sound_error):
        if isinstance(stop, KeyboardInterrupt):
            return stop
    if cause == "sound" and sound_error is not None:
        return sound_error
    if isinstance(exc, _Aborted):  # not expected: stopped with no cause kept
        return ProcessingError("the render was stopped")
    return exc


#: The sound's passes run this much nicer than the picture's encode, which is the render's
#: critical path: they fill the moments the encoder leaves a core idle instead of taking
#: turns with it (its threads do not keep every core busy), and finish well before it.
BACKGROUND_NICENESS = 10


class _Processes:
    """The ffmpeg processes of one render, started here so that all stop at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._procs: list[subprocess.Popen[str]] = []
        #: Who stopped the render first (``picture``, ``sound``...); ``None`` while it runs.
        self.cause: str | None = None

    def popen(self, cmd: list[str], *, background: bool = False) -> subprocess.Popen[str]:
        """Start ``cmd``; ``background`` runs it at a lower CPU priority (see
        :data:`BACKGROUND_NICENESS`)."""
        with self._lock:
            if self.cause is not None:
                raise _Aborted
            flags = getattr(subprocess, "BELOW_NORMAL_PRIORITY_CLASS", 0) if background else 0
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True, errors="replace",
                                    creationflags=flags)
            if background and hasattr(os, "setpriority"):
                with contextlib.suppress(OSError):
                    os.setpriority(os.PRIO_PROCESS, proc.pid,
                                   os.getpriority(os.PRIO_PROCESS, 0) + BACKGROUND_NICENESS)
            self._procs.append(proc)
            return proc

    def abort(self, cause: str) -> None:
        """Kill every process still running, refuse new ones, and keep the first ``cause``.

        The partial outputs are thrown away, so ffmpeg is not asked to finish them (a graceful
        stop flushes the encoder and rewrites the file for +faststart first).
        """
        with self._lock:
            if self.cause is None:
                self.cause = cause
            procs = list(self._procs)
        for proc in procs:
            if proc.poll() is None:
                with contextlib.suppress(OSError):
                    proc.kill()


class _SoundJob(threading.Thread):
    """The sound's passes (mix, then master until it lands), beside the picture's encode.

    A failure is kept in :attr:`error` and stops the whole render at once.
    """

    def __init__(self, cmds: RenderCommands, procs: _Processes) -> None:
        super().__init__(name="creator-render-sound", daemon=True)
        self.cmds = cmds
        self.procs = procs
        self.error: BaseException | None = None
        self.master: Master | None = None

    def run(self) -> None:
        try:
            self._sound()
        except _Aborted:
            pass
        except BaseException as exc:  # handed to the main thread
            self.error = exc
            self.procs.abort("sound")

    def _sound(self) -> None:
        cmds, plan = self.cmds, self.cmds.plan
        if cmds.mix is None:
            _run(cmds.master(Master(), measure=False), self.procs, who="sound")
            return
        mix = parse_ebur128_summary(_run(cmds.mix, self.procs, who="sound"))
        master: Master | None = plan_master(plan, mix)
        assert master is not None
        if master.limit_db is None:  # a linear gain lands where it was computed to
            _run(cmds.master(master, measure=False), self.procs, who="sound")
            self.master = master
            return
        # What the limiter does to the loudness is measured, not predicted. The first pass
        # encodes and measures at once: it mostly lands, and then it is the master. One that
        # misses is followed by passes that only measure (a tenth of an encode's cost) until
        # one lands, then the one encode (none when the first pass came closest after all).
        previous = None
        tried: list[tuple[tuple[bool, float], Master]] = []
        encoded = master
        for n in range(MAX_MASTER_PASSES):
            assert master is not None
            log = _run(cmds.master(master, measure=True, name=None if n else "audio.m4a"),
                       self.procs, who="sound")
            result = parse_ebur128_summary(log)
            tried.append((master_miss(plan, result), master))
            master, previous = correct_master(plan, master, result, previous), (master, result)
            if master is None:
                break
        # The pass that came closest: peaks under the ceiling first, then loudness.
        _, self.master = min(tried, key=lambda t: t[0])
        if self.master != encoded:
            _run(cmds.master(self.master, measure=False), self.procs, who="sound")


def _run(cmd: list[str], procs: _Processes, *, who: str, total: float | None = None,
         progress: Progress | None = None) -> list[str]:
    """Run one ffmpeg command of ``who`` (the picture, the sound...) to its end; its log lines
    (the last few hundred).

    Raises
    ------
    ProcessingError
        ffmpeg failed (the message is its first error line).
    _Aborted
        Another part of the render stopped it (or had stopped before it could start).
    """
    log: deque[str] = deque(maxlen=300)
    proc = procs.popen(cmd, background=who == "sound")

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
            if m and progress and total:
                progress(min(total, int(m[1]) / 1e6), total)
        proc.wait()
    except BaseException:
        # Interrupted (Ctrl-C, SIGTERM) or failed here: everything stops at once.
        procs.abort(who)
        proc.wait()
        raise
    finally:
        t.join(timeout=10)
    if proc.returncode != 0 and procs.cause not in (None, who):
        raise _Aborted  # killed because another part failed or was interrupted
    if proc.returncode != 0:
        # Only error lines: an ffmpeg killed by a signal logs none, and its last info line
        # ("Guessed Channel Layout: stereo") would read as the cause.
        errors = [ln for ln in log if "[error]" in ln or "[fatal]" in ln]
        # The first error is the cause ("No space left on device"); later ones are its echoes
        # ("Nothing was written into output file", "Task finished with error code").
        cause = ffmpeg_message(errors[0]) if errors else f"exit status {proc.returncode}"
        raise ProcessingError(f"ffmpeg failed: {cause}")
    return list(log)
