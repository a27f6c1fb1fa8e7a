"""From an analysis (and choices) to an :class:`EditPlan`: the editing decisions."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from creator_tools.analysis.result import Analysis
from creator_tools.analysis.shots import Transition
from creator_tools.analysis.spans import Span
from creator_tools.captions.transcript import Word
from creator_tools.edit.camera import CameraSettings, frame_shots
from creator_tools.edit.plan import (
    AudioPlan,
    Captions,
    CaptionWord,
    EditPlan,
    Enhance,
    Keyframe,
    LayoutSwitch,
    Look,
    Music,
    OutputSpec,
    Reframe,
    Segment,
    Source,
    SubjectBox,
)
from creator_tools.edit.reframe import CropGeometry
from creator_tools.errors import NoVideoError, OptionError
from creator_tools.looks.tone import MID_GREY, UNDEREXPOSED, gamma_for
from creator_tools.settings import ASPECTS, EDIT_DEFAULTS, PLATFORMS

_D: dict[str, Any] = EDIT_DEFAULTS  # the schema's defaults


@dataclass(frozen=True)
class EditOptions:
    """Every editing decision, each switchable (defaults: everything on).

    The fields named like the edit options of :mod:`creator_tools.settings.schema` take their
    defaults from there; ``look`` and ``music`` are resolved (no ``auto`` left).
    """

    platform: str = _D["platform"]
    aspect: str = _D["aspect"]
    cut: str = _D["cut"]
    max_pause: float = _D["max_pause"]
    pre_roll: float = 0.12
    post_roll: float = 0.22
    reframe: str = _D["reframe"]
    enhance: bool = _D["enhance"]
    stabilize: bool = _D["stabilize"]
    denoise: bool = _D["denoise"]
    voice_cleanup: bool = _D["voice_cleanup"]
    look: Look = field(default_factory=Look)
    music: Music | None = None
    caption: str = _D["caption"]
    hashtags: tuple[str, ...] = ()
    crf: int = 20
    preset: str = "veryfast"
    #: The transcript's words (source seconds): burned in when ``burn_captions``.
    words: tuple[Word, ...] = ()
    #: Move each cut onto a beat of the music bed (within the removed silence only).
    snap_beats: bool = _D["snap_beats"]
    stabilize_zoom: float = _D["stabilize_zoom"]
    keep_resolution: bool = _D["keep_resolution"]
    burn_captions: bool = False
    caption_style: str = _D["caption_style"]
    #: What resolving the options found worth telling the creator (why ``auto`` chose a
    #: look or a music bed): the plan's notes end with these.
    notes: tuple[str, ...] = ()


def keep_segments(a: Analysis, o: EditOptions) -> list[Span]:
    """Spans of the source to keep: :func:`silence_cuts`, then, with ``cut="fillers"``,
    filler words ("um", "uh", "erm") and immediate word repeats taken out at word
    boundaries."""
    keep = silence_cuts(a, o)
    if not (o.cut == "fillers" and o.words):
        return keep
    from creator_tools.captions.fillers import filler_spans

    for lo, hi in filler_spans(o.words):
        nxt: list[Span] = []
        for s in keep:
            if hi <= s.start or lo >= s.end:
                nxt.append(s)
                continue
            if lo > s.start:
                nxt.append(Span(s.start, lo))
            if hi < s.end:
                nxt.append(Span(hi, s.end))
        keep = nxt
    return [s for s in keep if s.duration > 0.04]


def snap_to_beats(segments: list[Segment], tb: Fraction, *, period: float,
                  phase: float = 0.0) -> list[Segment]:
    """Lengthen kept segments so that each cut lands on a beat of the output timeline (to the
    nearest frame).

    A segment is only ever extended into the removed stretch after it (silence, by how the
    spans were made), never shortened, so no speech is cut; a cut that cannot reach the next
    beat inside that stretch stays where it is. ``period`` and ``phase`` in seconds; ``tb``
    seconds per tick.
    """
    beat = Fraction(period).limit_denominator(10**6)
    first = Fraction(phase).limit_denominator(10**6)
    out: list[Segment] = []
    acc = 0  # output ticks before this segment
    for i, seg in enumerate(segments):
        end = seg.end
        if i + 1 < len(segments):
            cut = (acc + end - seg.start) * tb
            target = first + math.ceil((cut - first) / beat) * beat
            delta = round((target - cut) / tb)
            if delta > 0 and end + delta <= segments[i + 1].start:
                end += delta
        out.append(Segment(seg.start, end, seg.source))
        acc += end - seg.start
    return out


def outside_transitions(segments: list[Segment], transitions: list[Transition],
                        tb: Fraction, limit: int) -> list[Segment]:
    """Kept segments with no boundary inside a gradual transition (fade, dissolve).

    A boundary that falls inside one moves out to its edge, away from the segment's middle
    (a start back to where the transition begins, an end on to where it ends): the cut then
    lands on a whole picture, never on a blend, and nothing the segment kept is lost.
    Segments that come to overlap are joined. ``tb`` seconds per tick; ``limit``: the
    source's length in ticks.
    """
    spans = []
    for tr in transitions:
        lo = int(Fraction(tr.start).limit_denominator(10**6) // tb)
        hi = min(limit, -int(-Fraction(tr.end).limit_denominator(10**6) // tb))
        if hi - lo > 1:
            spans.append((lo, hi))
    out: list[Segment] = []
    for seg in segments:
        start, end = seg.start, seg.end
        while (inner := [lo for lo, hi in spans if lo < start < hi]):  # overlapping ones too
            start = min(inner)
        while (inner := [hi for lo, hi in spans if lo < end < hi]):
            end = max(inner)
        if out and out[-1].source == seg.source and start <= out[-1].end:
            out[-1] = Segment(out[-1].start, max(out[-1].end, end), seg.source)
        else:
            out.append(Segment(start, end, seg.source))
    return out


def silence_cuts(a: Analysis, o: EditOptions) -> list[Span]:
    """Spans of the source to keep: dead air trimmed at both ends, long pauses shortened.

    Never cuts inside speech: only the middle of a silence longer than ``max_pause`` goes,
    keeping ``post_roll`` after the last word and ``pre_roll`` before the next. A clip without
    speech is kept whole.
    """
    dur = a.duration
    if o.cut == "none" or not a.speech:
        return [Span(0.0, dur)]
    keep: list[Span] = []
    start = max(0.0, a.speech[0].start - o.pre_roll)
    end = min(dur, a.speech[-1].end + o.post_roll)
    cursor = start
    for gap in a.silences:
        if gap.start <= a.speech[0].start or gap.end >= a.speech[-1].end:
            continue  # leading or trailing dead air: handled by start/end
        if gap.duration > max(o.max_pause, o.pre_roll + o.post_roll):
            keep.append(Span(cursor, gap.start + o.post_roll))
            cursor = gap.end - o.pre_roll
    keep.append(Span(cursor, end))
    return [s for s in keep if s.duration > 0]


def _ticks(plan_tb: Fraction, spans: list[Span], limit: int) -> list[Segment]:
    """Spans to frame-exact segments: starts rounded down, ends up (never into speech)."""
    out: list[Segment] = []
    for s in spans:
        a = int(Fraction(s.start).limit_denominator(10**6) // plan_tb)
        b = -int(-Fraction(s.end).limit_denominator(10**6) // plan_tb)
        a, b = max(0, a), min(limit, b)
        if out and a <= out[-1].end:
            out[-1] = Segment(out[-1].start, max(out[-1].end, b))
        elif b > a:
            out.append(Segment(a, b))
    return out


def _fps(a: Analysis, cap: float) -> Fraction:
    v = a.media.video
    assert v is not None
    fps = Fraction(v.fps).limit_denominator(1001)
    if fps > cap:
        fps = Fraction(30)
    return fps


#: The largest gamma the exposure fix uses.
MAX_LIFT_GAMMA = 2.4


def _enhance(a: Analysis, o: EditOptions) -> Enhance:
    v = a.media.video
    hdr = bool(v and v.hdr)
    if not o.enhance or a.color is None or a.color.overall is None:
        return Enhance(tonemap=hdr, voice_cleanup=o.voice_cleanup and bool(a.speech))
    c = a.color.overall
    gamma = 1.0
    if c.brightness < UNDEREXPOSED:
        gamma = gamma_for(max(c.brightness, 0.02), MID_GREY, low=1.0, high=MAX_LIFT_GAMMA)
    elif a.color.overexposed:
        gamma = 0.85
    red = blue = 1.0
    if c.white_balance == "warm":
        red, blue = 0.95, 1.06
    elif c.white_balance == "cool":
        red, blue = 1.06, 0.95
    shaky = a.motion is not None and bool(a.motion.shaky)
    return Enhance(
        gamma=round(gamma, 3),
        red_gain=red,
        blue_gain=blue,
        denoise=0.5 if (o.denoise and a.color.low_light) else 0.0,
        stabilize=o.stabilize and shaky,
        voice_cleanup=o.voice_cleanup and bool(a.speech),
        tonemap=hdr,
    )


def _reframe(a: Analysis, o: EditOptions, tb: Fraction, out_w: int, out_h: int,
             notes: list[str]) -> Reframe:
    v = a.media.video
    assert v is not None
    src_aspect = v.display_width / v.display_height
    out_aspect = out_w / out_h
    mode = o.reframe
    if mode == "auto":
        if abs(src_aspect - out_aspect) / out_aspect < 0.03:
            mode = "none"
        elif src_aspect < out_aspect:
            mode = "fill"  # taller than the output: show it whole over a blurred fill
        elif a.subject.source in ("face", "object", "motion", "mixed"):
            mode = "crop"
        else:
            mode = "fill"
    steady = o.enhance and o.stabilize and a.motion is not None and bool(a.motion.shaky)
    if mode == "none" and steady:
        mode = "crop"  # a window as big as the picture: the steadying zoom gives it room
    if mode != "crop":
        return Reframe(mode=mode)
    geo = CropGeometry.for_aspect(v.display_width, v.display_height, out_w, out_h)
    framings = frame_shots(a.subject.track, geo, shots=a.shots, duration=a.duration,
                           camera=a.camera, fps=float(1 / tb),
                           settings=CameraSettings(stabilize=steady,
                                                   max_zoom=o.stabilize_zoom))
    # A shot whose subject cannot fit the window (two people far apart) is shown whole, unless
    # the creator asked for a crop.
    whole = "fill" if src_aspect > out_aspect else "letterbox"
    layout: list[LayoutSwitch] = []
    current = "crop"
    for f in framings:
        want = "crop" if f.fits else (whole if o.reframe == "auto" else "crop")
        if not f.fits:
            what = f"shown whole ({want})" if want != "crop" else "cropped as asked"
            notes.append(f"{f.shot.start:.1f}-{f.shot.end:.1f} s: the subject is wider than "
                         f"the {out_w}x{out_h} crop, {what}")
        if want != current:
            layout.append(LayoutSwitch(_tick(f.shot.start, tb), want))
            current = want
    frames: list[Keyframe] = []
    for f in framings:
        for t, x, y in f.keys:
            tick = _tick(t, tb)
            if frames and tick <= frames[-1].t:
                tick = frames[-1].t + 1
            frames.append(Keyframe(tick, x, y, f.zoom))
    subject = []
    for p in a.subject.track:
        tick = _tick(p.t, tb)
        if not subject or tick > subject[-1].t:
            subject.append(SubjectBox(tick, p.x, p.y, p.w, p.h))
    return Reframe(mode="crop", keyframes=frames, layout=layout, subject=subject)


#: A source shown bigger than this many times its size gets a note: it will look soft.
MAX_UPSCALE = 3.0
#: Output sizes by their short side, for keeping a small source near its own size.
SIZE_CLASSES = (360, 540, 720, 1080)


def _output_size(sw: int, sh: int, full: tuple[int, int], *, keep: bool,
                 notes: list[str]) -> tuple[int, int]:
    """The output size: ``full`` (the aspect's 1080p size), or with ``keep`` the source's
    resolution class (:data:`SIZE_CLASSES`: the smallest at least its short side). A note says
    when the picture is shown more than :data:`MAX_UPSCALE` times bigger."""
    W, H = full
    short = min(W, H)
    if keep:
        cls = next((c for c in SIZE_CLASSES if c >= min(sw, sh)), short)
        if cls < short:
            W, H = (max(2, round(W * cls / short / 2) * 2), max(2, round(H * cls / short / 2) * 2))
    # The part of the source on screen: a window of the output's aspect (its width).
    seen = sh * W / H if sw / sh > W / H else sw
    scale = W / seen
    if scale > MAX_UPSCALE:
        hint = "" if keep else " (--keep-resolution keeps it nearer its own size)"
        notes.append(f"the {sw}x{sh} source is shown {scale:.1f}x bigger at {W}x{H}: it will "
                     f"look soft{hint}")
    return W, H


def _tick(t: float, tb: Fraction) -> int:
    return int(Fraction(t).limit_denominator(10**6) / tb)


def _caption_words(words: tuple[Word, ...], tb: Fraction, limit: int) -> list[CaptionWord]:
    """Transcript words at source ticks (start rounded down, end up), inside the source."""
    out: list[CaptionWord] = []
    for w in words:
        a = min(limit, max(0, int(Fraction(w.start).limit_denominator(10**6) // tb)))
        b = min(limit, max(a, -int(-Fraction(w.end).limit_denominator(10**6) // tb)))
        if out and a < out[-1].start:
            a = out[-1].start
        out.append(CaptionWord(a, max(a, b), w.text))
    return out


def make_plan(a: Analysis, o: EditOptions = EditOptions()) -> EditPlan:
    """Decide the edit of analyzed clip ``a``.

    Raises
    ------
    MediaError
        The clip has no video stream.
    OptionError
        An unknown platform or aspect.
    """
    if a.media.video is None:
        raise NoVideoError("no video stream: nothing to edit into a video", path=a.media.path)
    for name, value, known in (("platform", o.platform, PLATFORMS), ("aspect", o.aspect, ASPECTS)):
        if value not in known:
            raise OptionError(f"{{{name}}} must be one of {', '.join(known)}, not {value!r}",
                              options=name)
    p = PLATFORMS[o.platform]
    fps = _fps(a, p.max_fps)
    tb = 1 / fps
    limit = int(Fraction(a.duration).limit_denominator(10**6) / tb)
    v = a.media.video
    limit = min(limit, v.frames) if v.frames and not v.variable_fps else limit
    segments = _ticks(tb, keep_segments(a, o), limit)
    if o.snap_beats and o.music is not None and o.music.bpm:
        # The bed plays from music.offset at output time 0: its beats are at k * period.
        period = 60.0 / o.music.bpm
        segments = snap_to_beats(segments, tb, period=period, phase=-o.music.offset % period)
    segments = outside_transitions(segments, a.transitions, tb, limit)
    if not segments:
        segments = [Segment(0, limit)]
    notes: list[str] = []
    w, h = _output_size(v.display_width, v.display_height, ASPECTS[o.aspect],
                        keep=o.keep_resolution, notes=notes)
    plan = EditPlan(
        timebase=tb,
        sources=[Source("main", str(Path(a.media.path).resolve()), limit, True,
                        a.media.audio is not None, v.hdr)],
        segments=segments,
        output=OutputSpec(width=w, height=h, fps=str(fps), platform=p.name,
                          max_duration=p.max_duration, crf=o.crf, preset=o.preset),
        reframe=_reframe(a, o, tb, w, h, notes),
        enhance=_enhance(a, o),
        look=o.look,
        audio=AudioPlan(target_lufs=p.target_lufs, true_peak_db=p.true_peak_db,
                        measured_lufs=a.loudness.integrated_lufs if a.loudness else None,
                        music=o.music),
        captions=Captions(text=o.caption, hashtags=list(o.hashtags), burn=o.burn_captions,
                          style=o.caption_style, words=_caption_words(o.words, tb, limit)),
        notes=notes,
    )
    if plan.duration > p.max_duration:
        notes.append(f"{plan.duration:.0f} s is longer than {p.name} allows "
                     f"({p.max_duration:.0f} s)")
    removed = a.duration - plan.duration
    if removed > 0.05:
        notes.append(f"removed {removed:.1f} s of dead air and long pauses")
    notes += o.notes
    return plan
