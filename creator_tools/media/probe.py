"""Probe media files through libav (PyAV): containers, streams, rotation, HDR, VFR.

``imageio-ffmpeg`` ships no ffprobe, so probing reads the container with PyAV. The result is a
plain dataclass whose :meth:`MediaInfo.to_dict` is the stable JSON record documented in
``docs/json-output.md``.
"""

from __future__ import annotations

import errno
import itertools
import os
from dataclasses import asdict, dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from creator_tools.errors import InputError, MediaError, NotAFileError

#: AVColorSpace numbers of the YUV matrices we convert from.
_MATRICES = {1: "bt709", 5: "bt601", 6: "bt601", 9: "bt2020", 10: "bt2020"}

#: ``color_trc`` values of HDR transfer functions (AVColorTransferCharacteristic).
_HDR_TRC = {16: "smpte2084", 18: "arib-std-b67"}
#: How many packets to demux when the container has no usable index (for VFR detection).
_SCAN_PACKETS = 600


@dataclass(frozen=True, slots=True)
class VideoInfo:
    """The first video stream of a file.

    ``width``/``height`` are the stored (coded) picture size; ``display_width``/``display_height``
    are what a player shows after applying ``rotation`` (clockwise degrees: 0, 90, 180, 270).
    """

    codec: str
    width: int
    height: int
    display_width: int
    display_height: int
    rotation: int
    fps: float
    variable_fps: bool
    frames: int
    pix_fmt: str
    bit_depth: int
    hdr: bool
    matrix: str = ""
    full_range: bool = False

    @property
    def yuv_matrix(self) -> str:
        """The YUV matrix of the pictures: the tagged one (``bt709``, ``bt601``, ``bt2020``),
        else the usual convention (BT.709 from 720 lines up, BT.601 below)."""
        return self.matrix or ("bt709" if min(self.width, self.height) >= 720 else "bt601")


@dataclass(frozen=True, slots=True)
class AudioInfo:
    """The first audio stream of a file."""

    codec: str
    sample_rate: int
    channels: int


@dataclass(frozen=True, slots=True)
class MediaInfo:
    """What :func:`probe` learned about one file. ``duration`` is in seconds."""

    path: str
    duration: float
    container: str
    video: VideoInfo | None
    audio: AudioInfo | None

    @property
    def fps(self) -> float:
        """Frame rate of the video stream (0.0 when there is none)."""
        return self.video.fps if self.video else 0.0

    def to_dict(self) -> dict[str, Any]:
        """The JSON record: keys ``path, duration, container, video, audio``."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MediaInfo:
        """Inverse of :meth:`to_dict`."""
        video = data.get("video")
        audio = data.get("audio")
        return cls(
            path=data["path"],
            duration=data["duration"],
            container=data["container"],
            video=VideoInfo(**video) if video else None,
            audio=AudioInfo(**audio) if audio else None,
        )


def check_readable_file(path: str | Path) -> Path:
    """Raise :class:`InputError` unless ``path`` is an existing, readable, non-empty file."""
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except PermissionError:
        raise InputError("permission denied", path=path) from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), path=path) from None
    except ValueError:  # os.stat refuses a path with a NUL byte
        raise InputError("invalid file name (contains a NUL byte)",
                         path=str(path).replace("\0", "\\0")) from None
    if p.is_dir():
        raise NotAFileError("is a directory, not a file", path=path)
    if not os.access(p, os.R_OK):
        raise InputError("permission denied (not readable)", path=path)
    if st.st_size == 0:
        raise InputError("empty file (0 bytes)", path=path)
    return p


def _av_error_message(exc: Exception) -> str:
    code = getattr(exc, "errno", None)
    if code == errno.EACCES:
        return "permission denied"
    text = getattr(exc, "strerror", None) or str(exc)
    if "Invalid data" in text or "moov atom" in text:
        return "not a readable media file (invalid data; truncated or not audio/video)"
    return f"cannot open as media: {text}"


def probe(path: str | Path) -> MediaInfo:
    """Probe one file.

    Parameters
    ----------
    path
        A media file.

    Returns
    -------
    MediaInfo

    Raises
    ------
    InputError
        Missing, unreadable, empty, truncated, or not media (:class:`MediaError`).
    """
    import av

    p = check_readable_file(path)
    try:
        container = av.open(os.fspath(p), mode="r", metadata_errors="ignore")
    except av.error.FFmpegError as exc:
        raise MediaError(_av_error_message(exc), path=path) from None
    with container:
        vstreams = list(container.streams.video)
        astreams = list(container.streams.audio)
        if not vstreams and not astreams:
            raise MediaError("no audio or video stream", path=path)
        if _is_image_format(container.format.name):
            raise MediaError("a still image, not a video or audio clip", path=path)
        _check_not_truncated(container, p)
        video = _video_info(container, vstreams[0], path) if vstreams else None
        audio = _audio_info(astreams[0]) if astreams else None
        duration = _duration(container)
        if duration <= 0:
            raise MediaError("zero-length media (duration 0)", path=path)
        return MediaInfo(
            path=str(path),
            duration=round(duration, 6),
            container=container.format.name,
            video=video,
            audio=audio,
        )


def _is_image_format(name: str) -> bool:
    """Whether ``name`` is a demuxer of single pictures (PNG, JPEG, WebP, BMP, TIFF...)."""
    return name in ("image2", "image2pipe") or name.endswith("_pipe")


def _duration(container: Any) -> float:
    if container.duration and container.duration > 0:
        return container.duration / 1_000_000
    best = 0.0
    for s in container.streams:
        if s.duration and s.time_base:
            best = max(best, float(s.duration * s.time_base))
    return best


def _check_not_truncated(container: Any, path: Path) -> None:
    """Raise when the container's sample index points past the end of the file (mp4/mov)."""
    size = path.stat().st_size
    last = 0
    for s in container.streams:
        try:
            entries = s.index_entries
        except AttributeError:  # PyAV < 14
            return
        n = len(entries)
        for i in range(max(0, n - 64), n):
            e = entries[i]
            if e.pos > 0:
                last = max(last, e.pos + e.size)
    if last > size:
        pct = 100.0 * size / last
        raise MediaError(f"truncated file (only {pct:.0f}% of its data present)", path=path)


def _frame_rate(stream: Any) -> Fraction | None:
    for rate in (stream.average_rate, stream.guessed_rate, stream.base_rate):
        if rate and rate > 0:
            return Fraction(rate)
    return None


def _timestamps(container: Any, stream: Any) -> list[int]:
    """Packet timestamps of ``stream``: from the index when complete, else by demuxing."""
    try:
        entries = stream.index_entries
        if stream.frames and len(entries) >= stream.frames > 1:
            return sorted(entries[i].timestamp for i in range(len(entries)))
    except AttributeError:
        pass
    stamps: list[int] = []
    try:
        for packet in container.demux(stream):
            if packet.pts is not None:
                stamps.append(packet.pts)
            if len(stamps) >= _SCAN_PACKETS:
                break
    except Exception:  # demux errors: VFR detection is best effort
        pass
    return sorted(stamps)


def _is_variable(stamps: list[int]) -> bool:
    if len(stamps) < 4:
        return False
    deltas = [b - a for a, b in itertools.pairwise(stamps) if b > a]
    if len(deltas) < 3:
        return False
    deltas.sort()
    median = deltas[len(deltas) // 2]
    # Ignore the extreme 2% either side (an odd first/last packet is not VFR).
    k = len(deltas) // 50
    lo, hi = deltas[k], deltas[-1 - k]
    return (hi - lo) > 0.1 * median and hi > 1


def _video_info(container: Any, stream: Any, path: str | Path) -> VideoInfo:
    import av

    cc = stream.codec_context
    width, height = int(cc.width or 0), int(cc.height or 0)
    if width <= 0 or height <= 0:
        raise MediaError("video stream has no picture size", path=path)
    rate = _frame_rate(stream)
    fps = float(rate) if rate else 0.0
    stamps = _timestamps(container, stream)
    variable = _is_variable(stamps)
    if variable and len(stamps) > 1 and stream.time_base:
        span = float((stamps[-1] - stamps[0]) * stream.time_base)
        if span > 0 and stream.frames and len(stamps) >= stream.frames:
            fps = (len(stamps) - 1) / span
    rotation, frame_fmt, frame_trc, space, rng = _first_frame_facts(container, stream)
    pix_fmt = frame_fmt or (cc.format.name if cc.format else "unknown")
    try:
        bit_depth = max(c.bits for c in av.VideoFormat(pix_fmt).components)
    except (ValueError, TypeError):
        bit_depth = 8
    trc = frame_trc if frame_trc is not None else cc.color_trc
    frames = int(stream.frames or 0)
    if frames <= 0:
        frames = round(_duration(container) * fps) if fps else 0
    dw, dh = (height, width) if rotation in (90, 270) else (width, height)
    return VideoInfo(
        codec=cc.name,
        width=width,
        height=height,
        display_width=dw,
        display_height=dh,
        rotation=rotation,
        fps=round(fps, 6),
        variable_fps=variable,
        frames=frames,
        pix_fmt=pix_fmt,
        bit_depth=int(bit_depth),
        hdr=int(trc or 0) in _HDR_TRC,
        matrix=_MATRICES.get(int(space or 0), ""),
        full_range=rng == 2 or pix_fmt.startswith("yuvj"),
    )


def _first_frame_facts(container: Any, stream: Any
                       ) -> tuple[int, str | None, int | None, int | None, int | None]:
    """Rotation (clockwise degrees), pixel format, transfer, colour matrix and range
    (AVColorSpace, AVColorRange numbers) of the first decodable frame."""
    rotation = None
    fmt = trc = space = rng = None
    frame = None
    try:
        container.seek(0)
        for n, packet in enumerate(container.demux(stream)):
            try:
                frames = packet.decode()
            except Exception:  # a damaged packet: try the next one
                frames = []
            if frames or n > 300:
                frame = frames[0] if frames else None
                break
    except Exception:  # demuxing failed: fall back to stream-level facts
        frame = None
    if frame is not None:
        ccw = getattr(frame, "rotation", None)
        if ccw is not None:
            rotation = (-round(ccw / 90) * 90) % 360
        fmt = frame.format.name
        trc = frame.color_trc
        space, rng = frame.colorspace, frame.color_range
    if rotation is None:
        tag = stream.metadata.get("rotate")
        try:
            rotation = int(tag) % 360 if tag is not None else 0
        except ValueError:
            rotation = 0
    return rotation, fmt, trc, space, rng


def probe_many(paths: list[str | Path]) -> list[MediaInfo | InputError]:
    """Probe several files; a bad file gives its error in place instead of stopping the rest."""
    results: list[MediaInfo | InputError] = []
    for path in paths:
        try:
            results.append(probe(path))
        except InputError as exc:
            results.append(exc)
    return results


def _audio_info(stream: Any) -> AudioInfo:
    cc = stream.codec_context
    channels = getattr(cc, "channels", None) or getattr(cc.layout, "nb_channels", 0)
    return AudioInfo(codec=cc.name, sample_rate=int(cc.sample_rate or 0), channels=int(channels))
