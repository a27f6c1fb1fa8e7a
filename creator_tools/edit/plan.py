"""The edit plan: plain, versioned data that the planner writes and the renderer reads.

Documented as a file format in ``docs/plan-format.md``. Times are integers in a rational
``timebase`` (seconds per tick; for a video source, one tick per frame of its constant-rate
timeline), so cut points are exact frames and survive JSON unchanged. Loading validates every
field and names the first bad one (:class:`PlanError`): each field's type and default are
those of its dataclass, and its bounds, choices and whether it names a file are in the field's
metadata (see :func:`_f`).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import MISSING, Field, asdict, dataclass, field, fields, is_dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path
from types import NoneType, UnionType
from typing import Any, ClassVar, Union, get_args, get_origin, get_type_hints

from creator_tools.errors import DataFileError
from creator_tools.settings.schema import CAPTION_STYLES

PLAN_VERSION = 1
REFRAME_MODES = ("crop", "fill", "letterbox", "none")
#: ``timebase`` and ``output.fps``: ``"N"``, ``"N/D"`` or ``"N.F"``, plain ASCII digits (no
#: exponent, so a hostile plan cannot make :class:`~fractions.Fraction` build a huge number).
_RATIONAL = re.compile(r"[0-9]{1,18}(?:/[0-9]{1,18}|\.[0-9]{1,18})?")
#: Largest time in ticks (exact as a float, so seconds stay finite and exact enough).
MAX_TICKS = 2**53


class PlanError(DataFileError):
    """A plan file is not valid; the message names the field."""


def _f(default: Any = MISSING, *, low: float | None = None, high: float | None = None,
       choices: tuple[str, ...] | None = None, path: bool = False,
       required: bool = False) -> Any:
    """A dataclass field and how a plan file's value for it is checked when loading.

    ``low``/``high``: inclusive bounds; ``choices``: the allowed values; ``path``: a file name
    (no NUL); ``required``: must be in the file even though the dataclass has a default.
    Without ``default`` the field is required.
    """
    meta = {k: v for k, v in (("low", low), ("high", high), ("choices", choices)) if v is not None}
    meta.update({k: True for k, v in (("path", path), ("required", required)) if v})
    return field(default=default, metadata=meta)


@dataclass(frozen=True, slots=True)
class Segment:
    """Keep source ticks ``[start, end)`` of source ``source``."""

    start: int = _f(low=0)
    end: int
    source: str = "main"


@dataclass(frozen=True, slots=True)
class Source:
    """A media file the plan reads. ``duration`` in ticks; ``has_audio``/``has_video`` as probed."""

    id: str
    path: str = _f(path=True)
    duration: int = _f(low=1, high=MAX_TICKS)
    has_video: bool
    has_audio: bool
    hdr: bool = False


@dataclass(frozen=True, slots=True)
class OutputSpec:
    """The file to produce."""

    width: int = _f(1080, low=16, high=8192)
    height: int = _f(1920, low=16, high=8192)
    fps: str = "30"
    platform: str = "tiktok"
    max_duration: float = _f(600.0, low=1)
    video_codec: str = _f("libx264", choices=("libx264",))
    preset: str = _f("veryfast", choices=("ultrafast", "superfast", "veryfast", "faster", "fast",
                                          "medium", "slow", "slower", "veryslow"))
    crf: int = _f(20, low=0, high=51)
    audio_codec: str = _f("aac", choices=("aac",))
    audio_rate: int = _f(48000, low=8000, high=192000)
    audio_bitrate: str = "160k"


@dataclass(frozen=True, slots=True)
class Keyframe:
    """Crop centre at source tick ``t``: ``x``, ``y`` in 0..1 of the displayed source frame.

    ``zoom`` tightens the window from this keyframe on (the virtual camera's room to steady a
    shaky shot; it changes only where a shot starts).
    """

    t: int = _f(low=0, high=MAX_TICKS)
    x: float = _f(low=0.0, high=1.0)
    y: float = _f(low=0.0, high=1.0)
    zoom: float = _f(1.0, low=1.0, high=2.0)


@dataclass(frozen=True, slots=True)
class SubjectBox:
    """The subject at source tick ``t``: its box's centre ``x``, ``y`` and size ``w``, ``h``
    in 0..1 of the displayed source frame (what the camera framed; 0 x 0: a point)."""

    t: int = _f(low=0, high=MAX_TICKS)
    x: float = _f(low=0.0, high=1.0)
    y: float = _f(low=0.0, high=1.0)
    w: float = _f(0.0, low=0.0, high=1.0)
    h: float = _f(0.0, low=0.0, high=1.0)


@dataclass(frozen=True, slots=True)
class LayoutSwitch:
    """From source tick ``t`` on, the picture is laid out by ``mode`` (see :class:`Reframe`)."""

    t: int = _f(low=0, high=MAX_TICKS)
    mode: str = _f(choices=REFRAME_MODES)


@dataclass(frozen=True, slots=True)
class Reframe:
    """How the source becomes the output's aspect.

    ``crop``: a window of the output's aspect follows ``keyframes`` (piecewise linear);
    ``fill``: the whole picture over a blurred, cropped copy of itself; ``letterbox``: the whole
    picture on black; ``none``: scale only (the source already has the output's aspect).
    ``zoom`` >= 1 tightens the crop. ``layout`` switches the mode from a tick on (a shot
    whose subject cannot fit the crop is shown whole). ``subject`` is the subject's box over
    time, as the virtual camera saw it (for people and tools: the renderer does not read it).
    """

    mode: str = _f("crop", choices=REFRAME_MODES)
    keyframes: list[Keyframe] = field(default_factory=list)
    zoom: float = _f(1.0, low=1.0, high=4.0)
    layout: list[LayoutSwitch] = field(default_factory=list)
    subject: list[SubjectBox] = field(default_factory=list)

    def mode_at(self, t: int) -> str:
        """The layout at source tick ``t``."""
        mode = self.mode
        for switch in self.layout:
            if switch.t > t:
                break
            mode = switch.mode
        return mode


@dataclass(frozen=True, slots=True)
class Enhance:
    """Corrections, each off when at its neutral value.

    ``exposure`` in stops; ``gamma`` (1 = none); ``red_gain``/``blue_gain`` white-balance
    multipliers; ``denoise`` (0 = off .. 1 = strong); ``stabilize``; ``voice_cleanup``
    (high-pass, noise reduction, gentle compression); ``tonemap`` HDR to SDR.
    """

    exposure: float = _f(0.0, low=-2.0, high=2.0)
    gamma: float = _f(1.0, low=0.3, high=3.0)
    red_gain: float = _f(1.0, low=0.5, high=2.0)
    blue_gain: float = _f(1.0, low=0.5, high=2.0)
    denoise: float = _f(0.0, low=0.0, high=1.0)
    stabilize: bool = False
    voice_cleanup: bool = False
    tonemap: bool = False


@dataclass(frozen=True, slots=True)
class Look:
    """A ``.cube`` 3D LUT applied after the corrections, mixed with the original at ``strength``."""

    name: str | None = None
    lut: str | None = _f(None, path=True)
    strength: float = _f(1.0, low=0.0, high=1.0)


@dataclass(frozen=True, slots=True)
class Music:
    """A music bed under the edit (seconds, dB)."""

    file: str = _f(path=True)
    offset: float = _f(0.0, low=0.0)
    gain_db: float = _f(-16.0, low=-60, high=12)
    fade_in: float = _f(0.5, low=0.0, high=30)
    fade_out: float = _f(1.5, low=0.0, high=30)
    duck: bool = True
    duck_db: float = _f(12.0, low=0.0, high=40)
    id: str | None = None
    #: Tempo of the bed; its beats fall at ``offset``-shifted multiples of 60/bpm from the
    #: file's start (bundled tracks start on a downbeat). Used to snap cuts to the beat.
    bpm: float | None = _f(None, low=20, high=300)


@dataclass(frozen=True, slots=True)
class AudioPlan:
    """Loudness target (LUFS, dBTP), the measured source loudness, and an optional music bed."""

    target_lufs: float = _f(-14.0, low=-40, high=-5)
    true_peak_db: float = _f(-1.0, low=-9, high=0)
    measured_lufs: float | None = _f(None, low=-120, high=20)
    music: Music | None = None


@dataclass(frozen=True, slots=True)
class CaptionWord:
    """A spoken word at source ticks ``[start, end)``; ``text`` carries its punctuation."""

    start: int = _f(low=0, high=MAX_TICKS)
    end: int = _f(low=0, high=MAX_TICKS)
    text: str


@dataclass(frozen=True, slots=True)
class Captions:
    """The post caption (``text`` and ``hashtags``) and the words of the transcript.

    With ``burn`` the words are drawn on the picture in ``style`` (see
    :data:`creator_tools.settings.CAPTION_STYLES`), timed through the cuts.
    """

    text: str = ""
    hashtags: list[str] = field(default_factory=list)
    burn: bool = False
    style: str = _f("bold", choices=CAPTION_STYLES)
    words: list[CaptionWord] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a rendered plan's video came from, so that a later run can tell it is current.

    ``creator edit`` and ``creator batch`` write it into the plan sidecar after the render:
    ``fingerprint`` of the edit choices, the input's size and modification time (ns) when it
    was read, and the video's as written. The renderer ignores it.
    """

    tool: str
    fingerprint: str
    input_size: int = _f(low=0)
    input_mtime_ns: int = _f()
    output_size: int = _f(low=0)
    output_mtime_ns: int = _f()


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
    version: int = _f(PLAN_VERSION, required=True)  # a file must say which version it is
    #: Set on the plan sidecar of a rendered edit; ``None`` (and not written) otherwise.
    origin: Origin | None = None

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
                 "look", "audio", "captions", "notes", "origin"]
        return {k: d[k] for k in order if k != "origin" or self.origin is not None}

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


@cache
def _spec(cls: type) -> dict[str, tuple[Field[Any], Any]]:
    """Each field of dataclass ``cls`` with its resolved type."""
    hints = get_type_hints(cls)
    return {f.name: (f, hints[f.name]) for f in fields(cls)}


def _kind(hint: Any) -> Any:
    """The type a value must have: ``X`` for ``X | None``; ``list`` for ``list[X]``."""
    if get_origin(hint) in (Union, UnionType):
        (hint,) = (a for a in get_args(hint) if a is not NoneType)
    return get_origin(hint) or hint


class _Loader:
    """Field-by-field validation with messages that name the field.

    A dataclass is loaded field by field in its declared order (:meth:`value`); the parts with
    checks across fields or list items have a method of their own, listed in ``_PARTS``.
    """

    def __init__(self, path: str | Path | None) -> None:
        self.path = path

    def fail(self, where: str, msg: str) -> PlanError:
        return PlanError(f"{where}: {msg}", path=self.path)

    def obj(self, v: Any, where: str) -> dict[str, Any]:
        if not isinstance(v, dict):
            raise self.fail(where, "must be an object")
        return v

    def get(self, d: dict[str, Any], key: str, where: str, kind: type, default: Any = ..., *,
            low: float | None = None, high: float | None = None) -> Any:
        if key not in d or (d[key] is None and default is not ...):
            if default is ...:
                raise self.fail(f"{where}.{key}", "is required")
            return default
        v = d[key]
        if isinstance(v, bool) and kind is not bool:
            raise self.fail(f"{where}.{key}", f"must be {kind.__name__}, not a boolean")
        if kind is float and isinstance(v, int):
            try:
                v = float(v)
            except OverflowError:
                raise self.fail(f"{where}.{key}", "must be a finite number") from None
        if not isinstance(v, kind):
            raise self.fail(f"{where}.{key}", f"must be {kind.__name__}")
        if isinstance(v, float) and not math.isfinite(v):
            raise self.fail(f"{where}.{key}", "must be a finite number")
        if low is not None and v < low:
            raise self.fail(f"{where}.{key}", f"must be >= {low}")
        if high is not None and v > high:
            raise self.fail(f"{where}.{key}", f"must be <= {high}")
        return v

    def value(self, d: dict[str, Any], cls: type, key: str, where: str) -> Any:
        """Field ``key`` of dataclass ``cls`` from object ``d`` (at ``where``), checked as declared.

        A missing or null value is the field's default; a nested dataclass is loaded from an
        object (missing: all its defaults).
        """
        f, hint = _spec(cls)[key]
        kind = _kind(hint)
        nested = is_dataclass(kind)
        meta = f.metadata
        if meta.get("required") or (f.default is MISSING and f.default_factory is MISSING):
            default = ...
        elif f.default is not MISSING:
            default = f.default
        else:
            default = {} if nested else f.default_factory()
        v = self.get(d, key, where, dict if nested else kind, default,
                     low=meta.get("low"), high=meta.get("high"))
        if meta.get("path") and isinstance(v, str) and "\0" in v:  # no file can be named so
            raise self.fail(f"{where}.{key}", "must not contain a NUL character")
        if (options := meta.get("choices")) is not None and v not in options:
            raise self.fail(f"{where}.{key}", f"must be one of {', '.join(options)}")
        if nested and v is not None:
            return self.load(kind, v, key if where == "plan" else f"{where}.{key}")
        return v

    def fields_of(self, cls: type, v: Any, where: str) -> dict[str, Any]:
        """``v`` as an object holding only fields of ``cls``."""
        d = self.obj(v, where)
        extra = sorted(set(d) - set(_spec(cls)))
        if extra:
            name = extra[0] if extra[0].isprintable() else repr(extra[0])  # one line
            raise self.fail(f"{where}.{name}", "unknown field")
        return d

    def build(self, cls: type, d: dict[str, Any], where: str, **done: Any) -> Any:
        """A ``cls`` from its fields in order, taking those in ``done`` as already loaded."""
        return cls(**{k: done[k] if k in done else self.value(d, cls, k, where)
                      for k in _spec(cls)})

    def load(self, cls: type, v: Any, where: str) -> Any:
        d = self.fields_of(cls, v, where)
        part = self._PARTS.get(cls)
        return part(self, d, where) if part else self.build(cls, d, where)

    def plan(self, data: Any) -> EditPlan:
        d = self.fields_of(EditPlan, data, "plan")
        version = self.value(d, EditPlan, "version", "plan")
        if version != PLAN_VERSION:
            raise self.fail("plan.version", f"unsupported version {version} (this build reads "
                            f"{PLAN_VERSION})")
        tb = self.get(d, "timebase", "plan", str)  # a Fraction, written as text
        try:
            if not _RATIONAL.fullmatch(tb):
                raise ValueError
            timebase = Fraction(tb)
        except (ValueError, ZeroDivisionError):
            raise self.fail("plan.timebase", f"not a rational number: {tb!r}") from None
        if timebase <= 0 or timebase > 1:
            raise self.fail("plan.timebase", "must be in (0, 1] seconds per tick")
        sources = [self.load(Source, s, f"sources[{i}]")
                   for i, s in enumerate(self.value(d, EditPlan, "sources", "plan"))]
        if not sources:
            raise self.fail("plan.sources", "needs at least one source")
        ids = {s.id for s in sources}
        if len(ids) != len(sources):
            raise self.fail("plan.sources", "source ids must be unique")
        if "main" not in ids:
            raise self.fail("plan.sources", "needs a source with id 'main' (the one rendered)")
        segments = [self.segment(s, f"segments[{i}]", {x.id: x for x in sources})
                    for i, s in enumerate(self.value(d, EditPlan, "segments", "plan"))]
        if not segments:
            raise self.fail("plan.segments", "needs at least one segment")
        for i in range(1, len(segments)):
            a, b = segments[i - 1], segments[i]
            if a.source == b.source and b.start < a.end:
                raise self.fail(f"segments[{i}].start", "overlaps the previous segment")
        plan = self.build(EditPlan, d, "plan", version=version, timebase=timebase,
                          sources=sources, segments=segments)
        plan.notes = [str(n) for n in plan.notes]
        return plan

    def source(self, d: dict[str, Any], w: str) -> Source:
        path = self.value(d, Source, "path", w)
        if not path:
            raise self.fail(f"{w}.path", "must not be empty")
        return self.build(Source, d, w, path=path)

    def segment(self, v: Any, w: str, sources: dict[str, Source]) -> Segment:
        d = self.fields_of(Segment, v, w)
        sid = self.value(d, Segment, "source", w)
        if sid not in sources:
            raise self.fail(f"{w}.source", f"no source with id {sid!r}")
        seg = self.build(Segment, d, w, source=sid)
        if seg.end <= seg.start:
            raise self.fail(f"{w}.end", "must be greater than start")
        if seg.end > sources[sid].duration:
            raise self.fail(f"{w}.end", f"beyond the source's end ({sources[sid].duration})")
        return seg

    def output(self, d: dict[str, Any], w: str) -> OutputSpec:
        fps = self.value(d, OutputSpec, "fps", w)
        try:
            if not _RATIONAL.fullmatch(fps) or not 1 <= Fraction(fps) <= 240:
                raise ValueError
        except (ValueError, ZeroDivisionError):
            raise self.fail(f"{w}.fps", f"not a frame rate: {fps!r}") from None
        spec = self.build(OutputSpec, d, w, fps=fps)
        if spec.width % 2 or spec.height % 2:
            raise self.fail(f"{w}.width", "width and height must be even (yuv420p)")
        return spec

    def reframe(self, d: dict[str, Any], w: str) -> Reframe:
        parts = {}
        for name, cls in (("keyframes", Keyframe), ("layout", LayoutSwitch),
                          ("subject", SubjectBox)):
            items = []
            last = -1
            for i, k in enumerate(self.value(d, Reframe, name, w)):
                kw = f"{w}.{name}[{i}]"
                item = self.load(cls, k, kw)
                if item.t <= last:
                    raise self.fail(f"{kw}.t",
                                    f"{name.removesuffix('s')} times must increase")
                last = item.t
                items.append(item)
            parts[name] = items
        return self.build(Reframe, d, w, **parts)

    def audio(self, d: dict[str, Any], w: str) -> AudioPlan:
        return self.build(AudioPlan, d, w, music=self.value(d, AudioPlan, "music", w))

    def captions(self, d: dict[str, Any], w: str) -> Captions:
        tags = self.value(d, Captions, "hashtags", w)
        for i, t in enumerate(tags):
            if not isinstance(t, str):
                raise self.fail(f"{w}.hashtags[{i}]", "must be a string")
        words = []
        last = 0
        for i, item in enumerate(self.value(d, Captions, "words", w)):
            ww = f"{w}.words[{i}]"
            word = self.load(CaptionWord, item, ww)
            if word.end < word.start:
                raise self.fail(f"{ww}.end", "must not be before start")
            if word.start < last:
                raise self.fail(f"{ww}.start", "words must be in time order")
            last = word.start
            words.append(word)
        return self.build(Captions, d, w, hashtags=list(tags), words=words)

    #: The parts loaded by a method of their own (the rest: :meth:`build`).
    _PARTS: ClassVar[dict[type, Callable[[_Loader, dict[str, Any], str], Any]]] = {
        Source: source, OutputSpec: output, Reframe: reframe, AudioPlan: audio,
        Captions: captions,
    }
