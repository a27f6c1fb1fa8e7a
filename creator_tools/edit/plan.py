"""The edit plan: plain, versioned data that the planner writes and the renderer reads.

Documented as a file format in ``docs/plan-format.md``. Times are integers in a rational
``timebase`` (seconds per tick; for a video source, one tick per frame of its constant-rate
timeline), so cut points are exact frames and survive JSON unchanged. Loading validates every
field and names the first bad one (:class:`PlanError`).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from creator_tools.errors import DataFileError

PLAN_VERSION = 1
ASPECTS = {"9:16": (1080, 1920), "1:1": (1080, 1080), "4:5": (1080, 1350), "16:9": (1920, 1080)}
REFRAME_MODES = ("crop", "fill", "letterbox", "none")
#: ``timebase`` and ``output.fps``: ``"N"``, ``"N/D"`` or ``"N.F"``, plain ASCII digits (no
#: exponent, so a hostile plan cannot make :class:`~fractions.Fraction` build a huge number).
_RATIONAL = re.compile(r"[0-9]{1,18}(?:/[0-9]{1,18}|\.[0-9]{1,18})?")
#: Largest time in ticks (exact as a float, so seconds stay finite and exact enough).
MAX_TICKS = 2**53


class PlanError(DataFileError):
    """A plan file is not valid; the message names the field."""


@dataclass(frozen=True, slots=True)
class Segment:
    """Keep source ticks ``[start, end)`` of source ``source``."""

    start: int
    end: int
    source: str = "main"


@dataclass(frozen=True, slots=True)
class Source:
    """A media file the plan reads. ``duration`` in ticks; ``has_audio``/``has_video`` as probed."""

    id: str
    path: str
    duration: int
    has_video: bool
    has_audio: bool
    hdr: bool = False


@dataclass(frozen=True, slots=True)
class OutputSpec:
    """The file to produce."""

    width: int = 1080
    height: int = 1920
    fps: str = "30"
    platform: str = "tiktok"
    max_duration: float = 600.0
    video_codec: str = "libx264"
    preset: str = "veryfast"
    crf: int = 20
    audio_codec: str = "aac"
    audio_rate: int = 48000
    audio_bitrate: str = "160k"


@dataclass(frozen=True, slots=True)
class Keyframe:
    """Crop centre at source tick ``t``: ``x``, ``y`` in 0..1 of the displayed source frame."""

    t: int
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class Reframe:
    """How the source becomes the output's aspect.

    ``crop``: a window of the output's aspect follows ``keyframes`` (piecewise linear);
    ``fill``: the whole picture over a blurred, cropped copy of itself; ``letterbox``: the whole
    picture on black; ``none``: scale only (the source already has the output's aspect).
    ``zoom`` >= 1 tightens the crop.
    """

    mode: str = "crop"
    keyframes: list[Keyframe] = field(default_factory=list)
    zoom: float = 1.0


@dataclass(frozen=True, slots=True)
class Enhance:
    """Corrections, each off when at its neutral value.

    ``exposure`` in stops; ``gamma`` (1 = none); ``red_gain``/``blue_gain`` white-balance
    multipliers; ``denoise`` (0 = off .. 1 = strong); ``stabilize``; ``voice_cleanup``
    (high-pass, noise reduction, gentle compression); ``tonemap`` HDR to SDR.
    """

    exposure: float = 0.0
    gamma: float = 1.0
    red_gain: float = 1.0
    blue_gain: float = 1.0
    denoise: float = 0.0
    stabilize: bool = False
    voice_cleanup: bool = False
    tonemap: bool = False


@dataclass(frozen=True, slots=True)
class Look:
    """A ``.cube`` 3D LUT applied after the corrections, mixed with the original at ``strength``."""

    name: str | None = None
    lut: str | None = None
    strength: float = 1.0


@dataclass(frozen=True, slots=True)
class Music:
    """A music bed under the edit (seconds, dB)."""

    file: str
    offset: float = 0.0
    gain_db: float = -16.0
    fade_in: float = 0.5
    fade_out: float = 1.5
    duck: bool = True
    duck_db: float = 12.0
    id: str | None = None
    #: Tempo of the bed; its beats fall at ``offset``-shifted multiples of 60/bpm from the
    #: file's start (bundled tracks start on a downbeat). Used to snap cuts to the beat.
    bpm: float | None = None


@dataclass(frozen=True, slots=True)
class AudioPlan:
    """Loudness target (LUFS, dBTP), the measured source loudness, and an optional music bed."""

    target_lufs: float = -14.0
    true_peak_db: float = -1.0
    measured_lufs: float | None = None
    music: Music | None = None


@dataclass(frozen=True, slots=True)
class CaptionWord:
    """A spoken word at source ticks ``[start, end)``; ``text`` carries its punctuation."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Captions:
    """The post caption (``text`` and ``hashtags``) and the words of the transcript.

    With ``burn`` the words are drawn on the picture in ``style`` (see
    :data:`creator_tools.captions.CAPTION_STYLES`), timed through the cuts.
    """

    text: str = ""
    hashtags: list[str] = field(default_factory=list)
    burn: bool = False
    style: str = "bold"
    words: list[CaptionWord] = field(default_factory=list)


@dataclass(slots=True)
class EditPlan:
    """Everything the renderer needs, and nothing it must guess."""

    timebase: Fraction
    sources: list[Source]
    segments: list[Segment]
    output: OutputSpec = field(default_factory=OutputSpec)
    reframe: Reframe = field(default_factory=Reframe)
    enhance: Enhance = field(default_factory=Enhance)
    look: Look = field(default_factory=Look)
    audio: AudioPlan = field(default_factory=AudioPlan)
    captions: Captions = field(default_factory=Captions)
    notes: list[str] = field(default_factory=list)
    version: int = PLAN_VERSION

    # -- time -------------------------------------------------------------------------------
    def seconds(self, ticks: int) -> float:
        """Ticks to seconds."""
        return float(ticks * self.timebase)

    def ticks(self, seconds: float, *, rounding: str = "nearest") -> int:
        """Seconds to ticks (``nearest``, ``floor`` or ``ceil``)."""
        x = Fraction(seconds).limit_denominator(10**9) / self.timebase
        if rounding == "floor":
            return math.floor(x)
        if rounding == "ceil":
            return math.ceil(x)
        return round(x)

    @property
    def duration(self) -> float:
        """Output duration, seconds (the sum of the kept segments)."""
        return self.seconds(sum(s.end - s.start for s in self.segments))

    def source(self, sid: str = "main") -> Source:
        return next(s for s in self.sources if s.id == sid)

    def output_words(self) -> list[tuple[float, float, str]]:
        """The caption words on the output timeline: ``(start, end, text)`` in seconds.

        A word keeps the part of it inside the kept segment it overlaps most; a word mostly
        cut away (a removed filler, a word in cut-away audio) is dropped.
        """
        out = []
        for word in self.captions.words:
            acc, best = 0, None
            for seg in self.segments:
                a, b = max(word.start, seg.start), min(word.end, seg.end)
                if b > a and (best is None or b - a > best[1] - best[0]):
                    best = (acc + a - seg.start, acc + b - seg.start)
                acc += seg.end - seg.start
            if best is not None and 2 * (best[1] - best[0]) >= word.end - word.start:
                out.append((self.seconds(best[0]), self.seconds(best[1]), word.text))
        return out

    def output_time(self, source_tick: int) -> float | None:
        """Where source tick ``source_tick`` lands in the output (seconds), or ``None`` if cut."""
        acc = 0
        for seg in self.segments:
            if seg.start <= source_tick < seg.end:
                return self.seconds(acc + source_tick - seg.start)
            acc += seg.end - seg.start
        return None

    def resolve_paths(self, base: Path) -> None:
        """Make relative media, LUT and music paths relative to ``base`` (the plan's folder)."""
        from dataclasses import replace

        def fix(p: str) -> str:
            return p if Path(p).is_absolute() else str(base / p)

        self.sources = [replace(s, path=fix(s.path)) for s in self.sources]
        if self.look.lut:
            self.look = replace(self.look, lut=fix(self.look.lut))
        if self.audio.music:
            self.audio = replace(self.audio, music=replace(self.audio.music,
                                                           file=fix(self.audio.music.file)))

    # -- JSON -------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["timebase"] = f"{self.timebase.numerator}/{self.timebase.denominator}"
        order = ["version", "timebase", "sources", "segments", "output", "reframe", "enhance",
                 "look", "audio", "captions", "notes"]
        return {k: d[k] for k in order}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_dict(cls, data: Any, *, path: str | Path | None = None) -> EditPlan:
        """Validate and build a plan. Raises :class:`PlanError` naming the first bad field."""
        return _Loader(path).plan(data)

    def save(self, path: str | Path, *, force: bool = False) -> Path:
        """Write the plan as JSON, atomically."""
        from creator_tools.fs import atomic_output

        with atomic_output(path, force=force) as tmp:
            tmp.write_text(self.to_json(), encoding="utf-8")
        return Path(path)


def load_plan(path: str | Path) -> EditPlan:
    """Read and validate a plan file (``-`` reads standard input)."""
    import sys

    try:
        text = sys.stdin.read() if str(path) == "-" else Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanError("no such file", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanError(f"cannot read plan: {exc}", path=path) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanError(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                        path=path) from None
    except RecursionError:
        raise PlanError("not valid JSON: nested too deeply", path=path) from None
    except ValueError:  # an integer of more than 4300 digits
        raise PlanError("not valid JSON: a number with too many digits", path=path) from None
    plan = EditPlan.from_dict(data, path=path)
    if str(path) != "-":
        plan.resolve_paths(Path(path).resolve().parent)
    return plan


class _Loader:
    """Field-by-field validation with messages that name the field."""

    def __init__(self, path: str | Path | None) -> None:
        self.path = path

    def fail(self, where: str, msg: str) -> PlanError:
        return PlanError(f"{where}: {msg}", path=self.path)

    def obj(self, v: Any, where: str) -> dict[str, Any]:
        if not isinstance(v, dict):
            raise self.fail(where, "must be an object")
        return v

    def get(self, d: dict[str, Any], key: str, where: str, kind: type | tuple[type, ...],
            default: Any = ..., *, low: float | None = None, high: float | None = None) -> Any:
        if key not in d or (d[key] is None and default is not ...):
            if default is ...:
                raise self.fail(f"{where}.{key}", "is required")
            return default
        v = d[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(v, bool) and bool not in kinds:
            raise self.fail(f"{where}.{key}", f"must be {kinds[0].__name__}, not a boolean")
        if float in kinds and isinstance(v, int) and not isinstance(v, bool):
            try:
                v = float(v)
            except OverflowError:
                raise self.fail(f"{where}.{key}", "must be a finite number") from None
        if not isinstance(v, kinds):
            raise self.fail(f"{where}.{key}", f"must be {kinds[0].__name__}")
        if isinstance(v, float) and not math.isfinite(v):
            raise self.fail(f"{where}.{key}", "must be a finite number")
        if low is not None and v < low:
            raise self.fail(f"{where}.{key}", f"must be >= {low}")
        if high is not None and v > high:
            raise self.fail(f"{where}.{key}", f"must be <= {high}")
        return v

    def path_value(self, d: dict[str, Any], key: str, where: str, default: Any = ...) -> Any:
        """A file name: a string without NUL (no file can be named so)."""
        v = self.get(d, key, where, str, default)
        if isinstance(v, str) and "\0" in v:
            raise self.fail(f"{where}.{key}", "must not contain a NUL character")
        return v

    def unknown(self, d: dict[str, Any], allowed: set[str], where: str) -> None:
        extra = sorted(set(d) - allowed)
        if extra:
            name = extra[0] if extra[0].isprintable() else repr(extra[0])  # one line
            raise self.fail(f"{where}.{name}", "unknown field")

    def plan(self, data: Any) -> EditPlan:
        d = self.obj(data, "plan")
        self.unknown(d, {"version", "timebase", "sources", "segments", "output", "reframe",
                         "enhance", "look", "audio", "captions", "notes"}, "plan")
        version = self.get(d, "version", "plan", int)
        if version != PLAN_VERSION:
            raise self.fail("plan.version", f"unsupported version {version} (this build reads "
                            f"{PLAN_VERSION})")
        tb = self.get(d, "timebase", "plan", str)
        try:
            if not _RATIONAL.fullmatch(tb):
                raise ValueError
            timebase = Fraction(tb)
        except (ValueError, ZeroDivisionError):
            raise self.fail("plan.timebase", f"not a rational number: {tb!r}") from None
        if timebase <= 0 or timebase > 1:
            raise self.fail("plan.timebase", "must be in (0, 1] seconds per tick")
        sources = [self.source(s, f"sources[{i}]")
                   for i, s in enumerate(self.get(d, "sources", "plan", list))]
        if not sources:
            raise self.fail("plan.sources", "needs at least one source")
        ids = {s.id for s in sources}
        if len(ids) != len(sources):
            raise self.fail("plan.sources", "source ids must be unique")
        if "main" not in ids:
            raise self.fail("plan.sources", "needs a source with id 'main' (the one rendered)")
        segments = [self.segment(s, f"segments[{i}]", {x.id: x for x in sources})
                    for i, s in enumerate(self.get(d, "segments", "plan", list))]
        if not segments:
            raise self.fail("plan.segments", "needs at least one segment")
        for i in range(1, len(segments)):
            a, b = segments[i - 1], segments[i]
            if a.source == b.source and b.start < a.end:
                raise self.fail(f"segments[{i}].start", "overlaps the previous segment")
        return EditPlan(
            timebase=timebase,
            sources=sources,
            segments=segments,
            output=self.output(self.get(d, "output", "plan", dict, {}), "output"),
            reframe=self.reframe(self.get(d, "reframe", "plan", dict, {}), "reframe"),
            enhance=self.enhance(self.get(d, "enhance", "plan", dict, {}), "enhance"),
            look=self.look(self.get(d, "look", "plan", dict, {}), "look"),
            audio=self.audio(self.get(d, "audio", "plan", dict, {}), "audio"),
            captions=self.captions(self.get(d, "captions", "plan", dict, {}), "captions"),
            notes=[str(n) for n in self.get(d, "notes", "plan", list, [])],
            version=version,
        )

    def source(self, v: Any, w: str) -> Source:
        d = self.obj(v, w)
        self.unknown(d, {"id", "path", "duration", "has_video", "has_audio", "hdr"}, w)
        path = self.path_value(d, "path", w)
        if not path:
            raise self.fail(f"{w}.path", "must not be empty")
        return Source(id=self.get(d, "id", w, str), path=path,
                      duration=self.get(d, "duration", w, int, low=1, high=MAX_TICKS),
                      has_video=self.get(d, "has_video", w, bool),
                      has_audio=self.get(d, "has_audio", w, bool),
                      hdr=self.get(d, "hdr", w, bool, False))

    def segment(self, v: Any, w: str, sources: dict[str, Source]) -> Segment:
        d = self.obj(v, w)
        self.unknown(d, {"start", "end", "source"}, w)
        sid = self.get(d, "source", w, str, "main")
        if sid not in sources:
            raise self.fail(f"{w}.source", f"no source with id {sid!r}")
        start = self.get(d, "start", w, int, low=0)
        end = self.get(d, "end", w, int)
        if end <= start:
            raise self.fail(f"{w}.end", "must be greater than start")
        if end > sources[sid].duration:
            raise self.fail(f"{w}.end", f"beyond the source's end ({sources[sid].duration})")
        return Segment(start, end, sid)

    def output(self, d: dict[str, Any], w: str) -> OutputSpec:
        self.unknown(d, set(OutputSpec.__dataclass_fields__), w)
        base = OutputSpec()
        fps = self.get(d, "fps", w, str, base.fps)
        try:
            if not _RATIONAL.fullmatch(fps) or not 1 <= Fraction(fps) <= 240:
                raise ValueError
        except (ValueError, ZeroDivisionError):
            raise self.fail(f"{w}.fps", f"not a frame rate: {fps!r}") from None
        spec = OutputSpec(
            width=self.get(d, "width", w, int, base.width, low=16, high=8192),
            height=self.get(d, "height", w, int, base.height, low=16, high=8192),
            fps=fps,
            platform=self.get(d, "platform", w, str, base.platform),
            max_duration=self.get(d, "max_duration", w, float, base.max_duration, low=1),
            video_codec=self.choice(d, "video_codec", w, ("libx264",), base.video_codec),
            preset=self.choice(d, "preset", w, ("ultrafast", "superfast", "veryfast", "faster",
                                                "fast", "medium", "slow", "slower", "veryslow"),
                               base.preset),
            crf=self.get(d, "crf", w, int, base.crf, low=0, high=51),
            audio_codec=self.choice(d, "audio_codec", w, ("aac",), base.audio_codec),
            audio_rate=self.get(d, "audio_rate", w, int, base.audio_rate, low=8000, high=192000),
            audio_bitrate=self.get(d, "audio_bitrate", w, str, base.audio_bitrate),
        )
        if spec.width % 2 or spec.height % 2:
            raise self.fail(f"{w}.width", "width and height must be even (yuv420p)")
        return spec

    def choice(self, d: dict[str, Any], key: str, w: str, options: tuple[str, ...],
               default: str) -> str:
        v = self.get(d, key, w, str, default)
        if v not in options:
            raise self.fail(f"{w}.{key}", f"must be one of {', '.join(options)}")
        return v

    def reframe(self, d: dict[str, Any], w: str) -> Reframe:
        self.unknown(d, {"mode", "keyframes", "zoom"}, w)
        keys = []
        last = -1
        for i, k in enumerate(self.get(d, "keyframes", w, list, [])):
            kw = f"{w}.keyframes[{i}]"
            kd = self.obj(k, kw)
            self.unknown(kd, {"t", "x", "y"}, kw)
            kf = Keyframe(self.get(kd, "t", kw, int, low=0, high=MAX_TICKS),
                          self.get(kd, "x", kw, float, low=0.0, high=1.0),
                          self.get(kd, "y", kw, float, low=0.0, high=1.0))
            if kf.t <= last:
                raise self.fail(f"{kw}.t", "keyframe times must increase")
            last = kf.t
            keys.append(kf)
        return Reframe(mode=self.choice(d, "mode", w, REFRAME_MODES, "crop"), keyframes=keys,
                       zoom=self.get(d, "zoom", w, float, 1.0, low=1.0, high=4.0))

    def enhance(self, d: dict[str, Any], w: str) -> Enhance:
        self.unknown(d, set(Enhance.__dataclass_fields__), w)
        return Enhance(
            exposure=self.get(d, "exposure", w, float, 0.0, low=-2.0, high=2.0),
            gamma=self.get(d, "gamma", w, float, 1.0, low=0.3, high=3.0),
            red_gain=self.get(d, "red_gain", w, float, 1.0, low=0.5, high=2.0),
            blue_gain=self.get(d, "blue_gain", w, float, 1.0, low=0.5, high=2.0),
            denoise=self.get(d, "denoise", w, float, 0.0, low=0.0, high=1.0),
            stabilize=self.get(d, "stabilize", w, bool, False),
            voice_cleanup=self.get(d, "voice_cleanup", w, bool, False),
            tonemap=self.get(d, "tonemap", w, bool, False),
        )

    def look(self, d: dict[str, Any], w: str) -> Look:
        self.unknown(d, {"name", "lut", "strength"}, w)
        return Look(name=self.get(d, "name", w, str, None), lut=self.path_value(d, "lut", w, None),
                    strength=self.get(d, "strength", w, float, 1.0, low=0.0, high=1.0))

    def audio(self, d: dict[str, Any], w: str) -> AudioPlan:
        self.unknown(d, {"target_lufs", "true_peak_db", "measured_lufs", "music"}, w)
        m = self.get(d, "music", w, dict, None)
        music = None
        if m is not None:
            mw = f"{w}.music"
            self.unknown(m, set(Music.__dataclass_fields__), mw)
            music = Music(file=self.path_value(m, "file", mw),
                          offset=self.get(m, "offset", mw, float, 0.0, low=0.0),
                          gain_db=self.get(m, "gain_db", mw, float, -16.0, low=-60, high=12),
                          fade_in=self.get(m, "fade_in", mw, float, 0.5, low=0.0, high=30),
                          fade_out=self.get(m, "fade_out", mw, float, 1.5, low=0.0, high=30),
                          duck=self.get(m, "duck", mw, bool, True),
                          duck_db=self.get(m, "duck_db", mw, float, 12.0, low=0.0, high=40),
                          id=self.get(m, "id", mw, str, None),
                          bpm=self.get(m, "bpm", mw, float, None, low=20, high=300))
        return AudioPlan(
            target_lufs=self.get(d, "target_lufs", w, float, -14.0, low=-40, high=-5),
            true_peak_db=self.get(d, "true_peak_db", w, float, -1.0, low=-9, high=0),
            measured_lufs=self.get(d, "measured_lufs", w, float, None, low=-120, high=20),
            music=music,
        )

    def captions(self, d: dict[str, Any], w: str) -> Captions:
        from creator_tools.captions.ass import CAPTION_STYLES

        self.unknown(d, {"text", "hashtags", "burn", "style", "words"}, w)
        tags = self.get(d, "hashtags", w, list, [])
        for i, t in enumerate(tags):
            if not isinstance(t, str):
                raise self.fail(f"{w}.hashtags[{i}]", "must be a string")
        words = []
        last = 0
        for i, item in enumerate(self.get(d, "words", w, list, [])):
            ww = f"{w}.words[{i}]"
            wd = self.obj(item, ww)
            self.unknown(wd, {"start", "end", "text"}, ww)
            word = CaptionWord(self.get(wd, "start", ww, int, low=0, high=MAX_TICKS),
                               self.get(wd, "end", ww, int, low=0, high=MAX_TICKS),
                               self.get(wd, "text", ww, str))
            if word.end < word.start:
                raise self.fail(f"{ww}.end", "must not be before start")
            if word.start < last:
                raise self.fail(f"{ww}.start", "words must be in time order")
            last = word.start
            words.append(word)
        return Captions(text=self.get(d, "text", w, str, ""), hashtags=list(tags),
                        burn=self.get(d, "burn", w, bool, False),
                        style=self.choice(d, "style", w, tuple(CAPTION_STYLES), "bold"),
                        words=words)
