"""Cut found clips through the edit pipeline, and hand all of them to an editor as one timeline.

Each clip is an ordinary edit of the source, planned like ``creator edit`` plans a clip
(reframing, corrections, look, music, captions, dead air) from the analysis finding the clips
made of the window it lies in (or of its own stretch, decoded now), kept to the clip's range
and moved onto the whole source's timeline: its segments lie inside the clip's range of the
long file. The renderer opens the source at the first segment instead of decoding it from
the start.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from creator_tools.clips.result import Clip, ClipsResult
from creator_tools.errors import NoVideoError, UsageError
from creator_tools.settings import EditChoices

if TYPE_CHECKING:
    from creator_tools.captions.transcript import Transcript
    from creator_tools.edit.plan import EditPlan
    from creator_tools.media.probe import MediaInfo

Progress = Callable[[float, float], None]


@dataclass
class RenderedClip:
    """One clip as written: the video, its sidecars, its length (seconds) and the plan's notes."""

    rank: int
    video: Path
    plan_file: Path
    caption_file: Path
    srt_file: Path | None
    duration: float
    caption: str
    notes: list[str] = field(default_factory=list)


def clip_video(source: str | Path, rank: int, outdir: str | Path | None = None) -> Path:
    """``NAME.clip01.mp4`` for the best clip of ``NAME.mp4``: in ``outdir`` or beside it."""
    source = Path(source)
    folder = Path(outdir) if outdir is not None else source.parent
    return folder / f"{source.stem}.clip{rank:02d}.mp4"


def clip_files(source: str | Path, rank: int, outdir: str | Path | None = None) -> list[Path]:
    """Every file one rendered clip may write: the video, its plan and caption, its SRT."""
    from creator_tools.edit.sidecars import sidecar_paths

    video = clip_video(source, rank, outdir)
    plan, caption = sidecar_paths(video)
    return [video, plan, caption, video.with_suffix(".srt")]


def render_clips(result: ClipsResult, choices: EditChoices | None = None, *,
                 outdir: str | Path | None = None, force: bool = False,
                 progress: Progress | None = None, threads: int | None = None,
                 skip_current: bool = False) -> list[RenderedClip]:
    """Render every clip of ``result``, in rank order, into ``outdir`` (default: beside the
    source) as ``NAME.clip01.mp4``... with its plan, caption and SRT sidecars.

    ``choices`` are the edit's (look, music, reframing, captions...; the caption line
    defaults to the clip's title). Every output is checked before any work (exit 5 for one
    that exists, without ``force``). A clip is written completely or not at all: when its
    render fails or is interrupted, what it had written is removed, and the clips before it
    stay. With ``skip_current``, a clip whose files were made from this source, as it is now,
    with the same choices and range, is left as it is (a batch carrying on).
    ``progress(done, total)`` counts seconds of clip over all clips.
    """
    from creator_tools.fs import check_output
    from creator_tools.media.probe import probe
    from creator_tools.pipeline.job import check_choices

    choices = choices if choices is not None else EditChoices()
    check_choices(choices)
    source = Path(result.source)
    info = probe(source)
    if info.video is None:
        raise NoVideoError("no video stream: clips can only be listed, not rendered",
                           path=source)
    todo = [c for c in result.clips
            if not (skip_current and is_current(source, c, choices, outdir))]
    # Carrying on, a stale clip this made before is redone without asking.
    redo = {c.rank: force or (skip_current and _made_here(source, c, outdir)) for c in todo}
    for clip in todo:
        for target in clip_files(source, clip.rank, outdir):
            check_output(target, force=redo[clip.rank], inputs=(source,))
    total = sum(c.duration for c in todo) or 1.0
    done = 0.0
    out: list[RenderedClip] = []
    for clip in todo:
        tick = None if progress is None else (
            lambda d, _t, base=done, c=clip: progress(base + min(d, c.duration), total))
        out.append(_render_one(result, clip, choices, info, outdir=outdir,
                               force=redo[clip.rank], progress=tick, threads=threads))
        done += clip.duration
    return out


def fingerprint(clip: Clip, choices: EditChoices) -> str:
    """A short hash of the edit choices and the clip's range (its plan sidecar's origin)."""
    blob = f"{choices.fingerprint()}:{clip.start:.3f}:{clip.end:.3f}".encode()
    return hashlib.sha1(blob).hexdigest()[:12]


def _origin(source: Path, clip: Clip, outdir: str | Path | None) -> dict[str, object] | None:
    """The origin in the plan sidecar of ``clip``'s video when it names that video as it is
    (this made it); else ``None``."""
    import json

    video, plan_file, _, _ = clip_files(source, clip.rank, outdir)
    try:
        origin = json.loads(plan_file.read_text(encoding="utf-8"))["origin"]
        made = video.stat()
        ours = [origin["output_size"], origin["output_mtime_ns"]] == [made.st_size,
                                                                      made.st_mtime_ns]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return origin if ours and isinstance(origin, dict) else None


def _made_here(source: Path, clip: Clip, outdir: str | Path | None) -> bool:
    return _origin(source, clip, outdir) is not None


def is_current(source: Path, clip: Clip, choices: EditChoices,
               outdir: str | Path | None = None) -> bool:
    """Whether ``clip``'s video and sidecars were made from ``source`` as it is now, with
    ``choices`` and this range (the plan sidecar's origin says so)."""
    origin = _origin(source, clip, outdir)
    if origin is None:
        return False
    try:
        st = source.stat()
    except OSError:
        return False
    return (origin.get("fingerprint") == fingerprint(clip, choices)
            and [origin.get("input_size"), origin.get("input_mtime_ns")] == [st.st_size,
                                                                             st.st_mtime_ns]
            and clip_files(source, clip.rank, outdir)[2].is_file())


def _render_one(result: ClipsResult, clip: Clip, choices: EditChoices, info: MediaInfo, *,
                outdir: str | Path | None, force: bool, progress: Progress | None,
                threads: int | None) -> RenderedClip:
    from creator_tools import __version__
    from creator_tools.edit.plan import Origin
    from creator_tools.edit.render import render
    from creator_tools.edit.sidecars import caption_text, edited_srt, write_text_atomic

    source = Path(result.source)
    video, plan_file, caption_file, srt_file = clip_files(source, clip.rank, outdir)
    read = source.stat()
    plan = clip_plan(result, clip, choices, info=info)
    written: list[Path] = []
    try:
        render(plan, video, force=force, progress=progress, threads=threads, info=info)
        written.append(video)
        made = video.stat()
        plan.origin = Origin(tool=f"creator-tools {__version__}",
                             fingerprint=fingerprint(clip, choices), input_size=read.st_size,
                             input_mtime_ns=read.st_mtime_ns, output_size=made.st_size,
                             output_mtime_ns=made.st_mtime_ns)
        written.append(plan.save(plan_file, force=True))
        text = caption_text(plan)
        written.append(write_text_atomic(caption_file, text + "\n", force=True))
        srt = edited_srt(plan)
        srt_out = None
        if srt:
            srt_out = write_text_atomic(srt_file, srt, force=True)
            written.append(srt_out)
    except BaseException:
        for path in written:  # a clip is whole or absent
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    return RenderedClip(clip.rank, video, plan_file, caption_file, srt_out, plan.duration, text,
                        list(plan.notes))


def _timebase(info: MediaInfo, platform: str) -> Fraction:
    """The plan's tick for this source and platform, as the planner chooses it."""
    from creator_tools.settings import PLATFORMS

    assert info.video is not None
    fps = Fraction(info.video.fps).limit_denominator(1001)
    p = PLATFORMS.get(platform) or PLATFORMS["tiktok"]
    if fps > p.max_fps:
        fps = Fraction(30)
    return 1 / fps


def clip_plan(result: ClipsResult, clip: Clip, choices: EditChoices, *,
              info: MediaInfo | None = None) -> EditPlan:
    """The edit plan of ``clip``, with ``choices`` (the caption line defaults to the clip's
    title), on the source's timeline: planned from the analysis of the window that
    :func:`~creator_tools.clips.find.find_clips` read it in (cached), or else of the clip's own
    stretch (decoded now), and kept to the clip's range, from a moment before its first word
    to a moment after its last (the planner's pre- and post-roll, inside the pauses around)."""
    from creator_tools.clips.signals import cached_window, window_analysis
    from creator_tools.edit.planner import EditOptions, make_plan
    from creator_tools.edit.timeshift import shifted, within
    from creator_tools.media.probe import probe
    from creator_tools.pipeline.job import edit_options, wants_transcript

    source = Path(result.source)
    info = info or probe(source)
    tb = _timebase(info, choices.platform)
    lo, hi = clip.room or (clip.start, clip.end)
    roll = EditOptions()
    lo, hi = max(lo, clip.start - roll.pre_roll), min(hi, clip.end + roll.post_roll)
    first = math.floor(Fraction(lo).limit_denominator(10**6) / tb)
    last = math.ceil(Fraction(hi).limit_denominator(10**6) / tb)
    held = cached_window(source, float(first * tb), float(last * tb), info=info)
    if held is not None:
        origin, analysis = held
    else:
        origin = float(first * tb)
        analysis = window_analysis(source, (origin, float((last - first) * tb)), info=info)
    # Frame only the shots the clip is in: the camera is planned shot by shot.
    a, b = float(first * tb) - origin, float(last * tb) - origin
    analysis = replace(analysis, shots=[s for s in analysis.shots if s.end > a and s.start < b])
    words = _clip_words(result, clip, origin, origin + analysis.duration) \
        if wants_transcript(choices) else None
    c = replace(choices, caption=choices.caption or clip.title)
    plan = make_plan(analysis, edit_options(analysis, c, words))
    ticks = round(Fraction(origin).limit_denominator(10**6) / plan.timebase)
    plan = within(plan, first - ticks, last - ticks)
    v = info.video
    assert v is not None
    whole = int(Fraction(info.duration).limit_denominator(10**6) / plan.timebase)
    whole = min(whole, v.frames) if v.frames and not v.variable_fps else whole
    plan = shifted(plan, ticks, source_duration=max(whole, last + 1))
    plan.notes = [n for n in plan.notes  # said of the whole window: said again of the clip
                  if not (n.startswith("removed ") or " is longer than " in n)]
    removed = plan.seconds(last - first) - plan.duration
    if removed > 0.05:
        plan.notes.append(f"removed {removed:.1f} s of dead air and long pauses")
    if plan.duration > plan.output.max_duration:
        plan.notes.append(f"{plan.duration:.0f} s is longer than {plan.output.platform} allows "
                          f"({plan.output.max_duration:.0f} s)")
    if choices.captions is not False and words is not None and not words.words:
        plan.notes.append("no captions: no words were heard in this clip")
    return plan


def _clip_words(result: ClipsResult, clip: Clip, start: float, end: float) -> Transcript:
    """The clip's words (those found with it, else the transcript's between ``start`` and
    ``end``, seconds of the source) as a transcript of that stretch: times from ``start``,
    inside it."""
    from creator_tools.captions.transcript import Segment, Transcript, Word

    t = result.transcript
    found = clip.words or tuple(w for w in (t.words if t else ())
                                if w.start >= start - 0.05 and w.end <= end + 0.05)
    span = end - start
    words = tuple(Word(round(min(span, max(0.0, w.start - start)), 3),
                       round(min(span, max(0.0, w.end - start)), 3), w.text, w.probability)
                  for w in found)
    segments = (Segment(words[0].start, words[-1].end, " ".join(w.text for w in words),
                        words),) if words else ()
    return Transcript(t.language if t else "en", span, segments, t.model if t else "")


def export_clips(result: ClipsResult, fmt: str, path: str | Path, *, force: bool = False
                 ) -> Path:
    """Write every clip of ``result`` as one timeline (``otio``, ``fcpxml``, ``edl``...: see
    ``creator export``), best first, each clip its range of the source."""
    from creator_tools.edit.plan import EditPlan, OutputSpec, Reframe, Segment, Source
    from creator_tools.export.formats import write_export
    from creator_tools.media.probe import probe

    source = Path(result.source)
    info = probe(source)
    fps = Fraction(info.video.fps if info.video else 30).limit_denominator(1001)
    tb = 1 / fps
    ticks = int(Fraction(info.duration).limit_denominator(10**6) / tb)
    segments = [Segment(max(0, math.floor(Fraction(c.start).limit_denominator(10**6) / tb)),
                        min(ticks, math.ceil(Fraction(c.end).limit_denominator(10**6) / tb)))
                for c in result.clips]
    plan = EditPlan(timebase=tb, sources=[Source("main", str(source.resolve()), ticks,
                                                 info.video is not None,
                                                 info.audio is not None)],
                    segments=[s for s in segments if s.end > s.start],
                    output=OutputSpec(fps=str(fps)), reframe=Reframe(mode="none"))
    if not plan.segments:
        raise UsageError("no clips to export")
    return write_export(plan, path, fmt, force=force, inputs=(source,))
