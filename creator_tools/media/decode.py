"""Stream low-resolution frames and mono audio out of one ffmpeg decode.

One ffmpeg process decodes the file once. Its video branch is scaled inside ffmpeg to the
analysis size and written as raw frames to stdout; its audio branch is measured with ffmpeg's
own EBU R128 scanner (``ebur128``), resampled to mono float32 and written to a second pipe.
Python reads fixed-size frames and audio blocks as they come, so memory stays constant
whatever the clip's length. Rotation is applied by ffmpeg (autorotate), timestamps are those of
a constant-rate timeline (``index / fps``), so variable-rate phone footage comes out regular.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple

import numpy as np

from creator_tools.errors import MediaError, ProcessingError
from creator_tools.media.ffmpeg import base_args, input_path_arg
from creator_tools.media.loudness import Loudness, parse_ebur128_summary
from creator_tools.media.probe import MediaInfo, probe
from creator_tools.system import cpu_count

PixFmt = Literal["gray", "rgb24", "bgr24"]
_CHANNELS = {"gray": 1, "rgb24": 3, "bgr24": 3}
#: ``-loglevel level`` lines: any number of ``[component @ 0x...]`` contexts (ffmpeg 9 writes
#: two for a decoder: ``[vist#0:0/h264 @ 0x..] [dec:h264 @ 0x..]``), the level, the message.
_LOG_LINE = re.compile(r"^(?:\[[^\]]+ @ 0x[0-9a-f]+\] )*\[(?P<level>\w+)\] ?(?P<msg>.*)$")
#: Decoder complaints that skipping B-frames causes by itself (reference bookkeeping).
_SKIM_NOISE = re.compile(r"mmco|reference|ref pic|co located POCs", re.IGNORECASE)


class Frame(NamedTuple):
    """One analysis frame: its index, its time in seconds, and the pixels (H, W[, C]) uint8."""

    index: int
    t: float
    image: np.ndarray


@dataclass(frozen=True, slots=True)
class VideoSpec:
    """What the video branch delivers.

    ``width`` is the analysis width in pixels (height follows the display aspect, even);
    ``fps`` resamples to a constant rate (``None``: the source's average rate).
    ``skim`` decodes only reference frames and skips the deblocking filter: about half the
    decoding work on streams with B-frames. Frames that were not decoded come out as exact
    copies of the previous one (callers can tell them apart by equality).
    ``start`` and ``frames`` decode a window: from ``start`` seconds (frame-accurate seek),
    at most ``frames`` frames.
    """

    width: int = 320
    pix_fmt: PixFmt = "gray"
    fps: float | None = None
    skim: bool = False
    start: float | None = None
    frames: int | None = None


@dataclass(frozen=True, slots=True)
class AudioSpec:
    """What the audio branch delivers: mono float32 at ``sample_rate`` in blocks."""

    sample_rate: int = 16000
    block_seconds: float = 1.0
    loudness: bool = False


@dataclass(slots=True)
class DecodeReport:
    """What happened during a decode pass."""

    frames: int = 0
    samples: int = 0
    problems: list[str] = field(default_factory=list)
    loudness: Loudness | None = None
    returncode: int | None = None


def analysis_size(info: MediaInfo, width: int) -> tuple[int, int]:
    """Frame size (w, h) for an analysis ``width``, keeping the display aspect; both even and
    at least :data:`MIN_ANALYSIS_SIDE` (a tiny picture is scaled up: the detectors need a few
    pixels, e.g. phase correlation on the half-size frame)."""
    assert info.video is not None
    dw, dh = info.video.display_width, info.video.display_height
    w = max(MIN_ANALYSIS_SIDE, min(width, dw + dw % 2) // 2 * 2)
    h = max(MIN_ANALYSIS_SIDE, round(w * dh / dw / 2) * 2)
    return w, h


#: Smallest side of an analysis frame, pixels.
MIN_ANALYSIS_SIDE = 16


class DecodePass:
    """One ffmpeg process decoding a file once into analysis frames and audio blocks.

    Use as a context manager and iterate :meth:`frames`; audio blocks are handed to
    ``on_audio`` from a reader thread as they arrive (so neither pipe can stall the other).
    After the iteration, :attr:`report` holds the frame count, decode problems and loudness.

    Parameters
    ----------
    path
        The media file.
    video, audio
        What to deliver; ``None`` skips that branch (and that stream is not decoded).
    on_audio
        Called with each mono float32 block, shape ``(n,)``, in order.
    info
        The file's :class:`MediaInfo` when already probed.
    window
        ``(start, duration)`` in seconds: decode only that stretch of the file, both streams
        (frame times and audio then count from ``start``).
    """

    def __init__(
        self,
        path: str | Path,
        *,
        video: VideoSpec | None = VideoSpec(),
        audio: AudioSpec | None = None,
        on_audio: Callable[[np.ndarray], None] | None = None,
        info: MediaInfo | None = None,
        window: tuple[float, float] | None = None,
    ) -> None:
        self.path = Path(path)
        self.info = info or probe(path)
        self.window = window
        self.video = video if self.info.video else None
        self.audio = audio if self.info.audio else None
        if video is not None and self.info.video is None:
            raise MediaError("no video stream", path=path)
        self.on_audio = on_audio
        self.report = DecodeReport()
        self.fps = 0.0
        self.size = (0, 0)
        self._proc: subprocess.Popen[bytes] | None = None
        self._threads: list[threading.Thread] = []
        self._log: deque[str] = deque(maxlen=400)
        self._audio_error: BaseException | None = None
        self._skimming = bool(self.video and self.video.skim)

    # -- command -------------------------------------------------------------------------
    def _command(self, audio_fd: int | None) -> list[str]:
        graph: list[str] = []
        maps: list[str] = []
        if self.video is not None:
            assert self.info.video is not None
            self.fps = float(self.video.fps or self.info.video.fps or 30.0)
            w, h = analysis_size(self.info, self.video.width)
            self.size = (w, h)
            graph.append(
                # Scale first: frames the fps filter repeats are then repeated small.
                f"[0:v:0]scale={w}:{h}:flags=area,format={self.video.pix_fmt},"
                f"fps={self.fps:.6f}[v]"
            )
            if self.video.frames is not None:
                maps += ["-frames:v", str(self.video.frames)]
            maps += ["-map", "[v]", "-f", "rawvideo", "-pix_fmt", self.video.pix_fmt, "pipe:1"]
        if self.audio is not None and audio_fd is not None:
            chain = "[0:a:0]"
            if self.audio.loudness:
                chain += "ebur128=peak=true:framelog=quiet,"
            # A window's sound starts at its first sample's time, not at the packet the seek
            # landed on: silence fills up to it, so sample k lies at start + k / rate.
            align = ":async=1:first_pts=0" if self.window is not None else ""
            chain += (
                f"aresample={self.audio.sample_rate}{align},"
                "aformat=sample_fmts=flt:channel_layouts=mono[a]"
            )
            graph.append(chain)
            maps += ["-map", "[a]", "-f", "f32le", f"pipe:{audio_fd}"]
        pre: list[str] = []
        if self.video is not None and self.video.skim:
            # A skimmed decode is light work that threads do not speed up: leave a core to
            # the Python that reads its frames (on 2 cores: 3.5 s wall for the benchmark
            # clip with one decoder thread, 3.9 s with two).
            pre += ["-skip_frame", "bidir", "-skip_loop_filter", "all", "-flags2", "+fast",
                    "-threads", str(max(1, cpu_count() - 1))]
        if self.window is not None:
            pre += ["-ss", f"{max(0.0, self.window[0]):.6f}", "-t", f"{self.window[1]:.6f}"]
        elif self.video is not None and self.video.start:
            pre += ["-ss", f"{self.video.start:.6f}"]
        return [
            *base_args(),
            "-loglevel",
            "repeat+level+info",
            *pre,
            "-i",
            input_path_arg(self.path),
            "-filter_complex",
            ";".join(graph),
            *maps,
        ]

    # -- lifecycle -----------------------------------------------------------------------
    def __enter__(self) -> DecodePass:
        if self.video is None and self.audio is None:
            raise MediaError("nothing to decode (no stream of the requested kind)", path=self.path)
        audio_r = audio_w = None
        if self.audio is not None:
            audio_r, audio_w = os.pipe()
        cmd = self._command(audio_w)
        try:
            self._proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE if self.video is not None else subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                pass_fds=(audio_w,) if audio_w is not None else (),
            )
        except OSError as exc:
            raise ProcessingError(f"cannot start ffmpeg: {exc}") from exc
        finally:
            if audio_w is not None:
                os.close(audio_w)
        if self._proc.stdout is not None:
            _widen_pipe(self._proc.stdout.fileno())
        self._start(self._read_log, self._proc.stderr)
        if audio_r is not None:
            self._start(self._read_audio, os.fdopen(audio_r, "rb", buffering=0))
        return self

    def _start(self, target: Callable[..., None], stream: object) -> None:
        t = threading.Thread(target=target, args=(stream,), daemon=True)
        t.start()
        self._threads.append(t)

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop ffmpeg if it is still running (the consumer stopped early) and clean up."""
        proc = self._proc
        if proc is None:
            return
        if proc.poll() is None:
            proc.kill()
        self._finish()

    def _finish(self) -> None:
        """Wait for ffmpeg and the reader threads; record the exit status and loudness."""
        proc = self._proc
        if proc is None or self.report.returncode is not None:
            return
        for t in self._threads:
            t.join(timeout=600)
        proc.wait()
        if proc.stdout is not None and not proc.stdout.closed:
            proc.stdout.close()
        self.report.returncode = proc.returncode
        self._parse_loudness()

    # -- readers -------------------------------------------------------------------------
    def frames(self) -> Iterator[Frame]:
        """Yield :class:`Frame` objects in order until the stream ends."""
        if self.video is None or self._proc is None or self._proc.stdout is None:
            return
        w, h = self.size
        c = _CHANNELS[self.video.pix_fmt]
        nbytes = w * h * c
        shape = (h, w) if c == 1 else (h, w, c)
        stdout = self._proc.stdout
        index = 0
        while True:
            data = stdout.read(nbytes)
            if len(data) < nbytes:
                break
            image = np.frombuffer(data, dtype=np.uint8).reshape(shape)
            origin = 0.0 if self.window is not None else (self.video.start or 0.0)
            yield Frame(index, origin + index / self.fps, image)
            index += 1
            self.report.frames = index
        self.wait()

    def wait(self) -> DecodeReport:
        """Wait until the pass is complete and return the report.

        Raises
        ------
        MediaError
            When ffmpeg failed without producing any frame or sample.
        """
        self._finish()
        if self._audio_error is not None:
            raise self._audio_error
        failed = self.report.returncode not in (0, None)
        if failed and not (self.report.frames or self.report.samples):
            msg = self.report.problems[-1] if self.report.problems else "decoding failed"
            raise MediaError(f"cannot decode: {msg}", path=self.path)
        return self.report

    def _read_audio(self, pipe: object) -> None:
        assert self.audio is not None
        block_bytes = max(1, int(self.audio.sample_rate * self.audio.block_seconds)) * 4
        pending = b""
        try:
            with pipe:  # type: ignore[attr-defined]
                while True:
                    chunk = pipe.read(block_bytes - len(pending))  # type: ignore[attr-defined]
                    if not chunk:
                        break
                    pending += chunk
                    if len(pending) >= block_bytes:
                        self._emit_audio(pending)
                        pending = b""
                usable = len(pending) // 4 * 4
                if usable:
                    self._emit_audio(pending[:usable])
        except BaseException as exc:  # surfaced in the consumer's thread
            self._audio_error = exc
            if self._proc is not None:
                self._proc.kill()

    def _emit_audio(self, data: bytes) -> None:
        block = np.frombuffer(data, dtype="<f4").astype(np.float32, copy=False)
        self.report.samples += block.size
        if self.on_audio is not None:
            self.on_audio(block)

    def _read_log(self, pipe: object) -> None:
        for raw in pipe:  # type: ignore[attr-defined]
            line = raw.decode("utf-8", "replace").rstrip()
            self._log.append(line)
            msg = decode_problem(line, skimming=self._skimming)
            if msg and len(self.report.problems) < 50:
                self.report.problems.append(msg)

    def _parse_loudness(self) -> None:
        if self.audio is None or not self.audio.loudness:
            return
        self.report.loudness = parse_ebur128_summary(self._log)


def decode_problem(line: str, *, skimming: bool = False) -> str | None:
    """The message of an ffmpeg log line at level error or worse; ``None`` for other lines.

    With ``skimming``, the reference-bookkeeping complaints that skipping B-frames causes by
    itself are not problems.
    """
    m = _LOG_LINE.match(line)
    if not m or m["level"] not in ("error", "fatal", "panic"):
        return None
    msg = m["msg"].strip()
    if not msg or (skimming and _SKIM_NOISE.search(msg)):
        return None
    return msg


def _widen_pipe(fd: int) -> None:
    """Let ffmpeg run ahead of the reader by many frames, where the system allows it.

    A pipe holds 64 KiB by default: one 320x180 frame. ffmpeg then waits while Python works
    on a frame and Python waits while ffmpeg decodes the next, and the two cores take turns.
    Linux lets an unprivileged process grow a pipe to ``/proc/sys/fs/pipe-max-size`` (1 MiB
    by default); elsewhere, or when refused, the pipe stays as it is.
    """
    try:
        import fcntl
    except ImportError:  # Windows
        return
    setsz = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setsz is None:
        return
    try:
        limit = int(Path("/proc/sys/fs/pipe-max-size").read_text())
    except (OSError, ValueError):
        limit = 1 << 20
    with contextlib.suppress(OSError):
        fcntl.fcntl(fd, setsz, min(limit, _PIPE_BYTES))


#: How much decoded video the pipe from ffmpeg may hold, bytes (about 18 analysis frames).
_PIPE_BYTES = 1 << 20


def iter_frames(
    path: str | Path,
    *,
    width: int = 320,
    pix_fmt: PixFmt = "gray",
    fps: float | None = None,
    info: MediaInfo | None = None,
    start: float | None = None,
    frames: int | None = None,
) -> Iterator[Frame]:
    """Yield analysis frames of ``path`` (rotation applied) at ``width`` pixels wide.

    Memory is constant in the clip's length. Frames of a damaged stream that cannot be decoded
    are skipped (ffmpeg conceals or drops them); the rest still come out. ``start`` (seconds)
    and ``frames`` limit the pass to a window.
    """
    spec = VideoSpec(width, pix_fmt, fps, start=start, frames=frames)
    with DecodePass(path, video=spec, info=info) as dp:
        yield from dp.frames()


def iter_audio_blocks(
    path: str | Path,
    *,
    sample_rate: int = 16000,
    block_seconds: float = 1.0,
    info: MediaInfo | None = None,
) -> Iterator[np.ndarray]:
    """Yield the first audio stream as mono float32 blocks of ``block_seconds``.

    Blocks are buffered in a bounded queue between the reader thread and the caller.
    """
    import queue

    q: queue.Queue[np.ndarray | None] = queue.Queue(maxsize=8)
    abandoned = threading.Event()

    def put(block: np.ndarray | None) -> None:
        while not abandoned.is_set():
            try:
                q.put(block, timeout=0.1)
                return
            except queue.Full:
                continue

    spec = AudioSpec(sample_rate, block_seconds)
    dp = DecodePass(path, video=None, audio=spec, on_audio=put, info=info)
    if dp.audio is None:
        raise MediaError("no audio stream", path=path)
    errors: list[BaseException] = []

    def finish() -> None:
        try:
            dp.wait()
        except BaseException as exc:
            errors.append(exc)
        finally:
            put(None)

    with dp:
        threading.Thread(target=finish, daemon=True).start()
        try:
            while (block := q.get()) is not None:
                yield block
        finally:
            abandoned.set()
    if errors:
        raise errors[0]


def read_audio(
    path: str | Path,
    *,
    sample_rate: int = 16000,
    info: MediaInfo | None = None,
) -> np.ndarray:
    """Return the first audio stream as one mono float32 array, shape ``(n,)``."""
    blocks = list(iter_audio_blocks(path, sample_rate=sample_rate, block_seconds=4.0, info=info))
    return np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.float32)
