"""One clip's whole edit (analyze -> plan -> render -> sidecars -> exports), as a library call.

``creator edit`` runs one :func:`edit_clip`; ``creator batch`` runs many, locally or on a
Dask cluster. The creator's choices come in as :class:`~creator_tools.settings.EditChoices`
(plain, picklable data: the option values after profile and preset defaults).
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from creator_tools import __version__
from creator_tools.analysis.result import Analysis
from creator_tools.captions.transcript import Transcript
from creator_tools.edit.plan import EditPlan, Origin
from creator_tools.edit.planner import EditOptions
from creator_tools.errors import CreatorError, OptionError
from creator_tools.settings import EDIT_DEFAULTS, EditChoices

Progress = Callable[[float, float], None]


def wants_transcript(c: EditChoices) -> bool:
    """Whether this edit needs the clip's words (burned captions or filler cuts)."""
    if c.cut == "fillers" or c.captions:
        return True
    if c.captions is None:
        from creator_tools.captions.model import captions_available

        return captions_available()
    return False


def check_choices(c: EditChoices) -> None:
    """Validate the choices that need no analysis (a named look or track, a LUT or audio
    file), so a typo fails at once instead of after analyzing, or for every clip of a batch."""
    from creator_tools.pipeline.choices import resolve_look, resolve_music

    if c.look.strip().lower() not in ("auto", "none"):
        resolve_look(c.look, None, strength=c.look_strength)  # type: ignore[arg-type]
    if c.music.strip().lower() not in ("auto", "none"):
        resolve_music(c.music, None)  # type: ignore[arg-type]


def edit_options(a: Analysis, c: EditChoices, transcript: Transcript | None = None
                 ) -> EditOptions:
    """Resolve ``auto`` looks, music and the caption line for analyzed clip ``a`` (and what
    is said in it: ``transcript``). The clip's topic, read once from its caption and speech,
    steers all three; the options' notes say why ``auto`` chose the look and the music."""
    from creator_tools.pipeline.choices import resolve_look, resolve_music
    from creator_tools.suggest.hashtags import caption_line, read_clip_topic

    said = transcript.text if transcript else ""
    topic = read_clip_topic(caption=c.caption, transcript=said, niche=c.niche, region=c.region)
    text, tags = caption_line(a, caption=c.caption, niche=c.niche, region=c.region,
                              platform=c.platform, transcript=said, topic=topic)
    notes: list[str] = []
    look = resolve_look(c.look, a, strength=c.look_strength, niche=c.niche, topic=topic,
                        notes=notes, exposure_fixed=c.enhance)
    music = resolve_music(c.music, a, niche=c.niche, region=c.region, topic=topic, notes=notes)
    return EditOptions(
        platform=c.platform, aspect=c.aspect, cut=c.cut, max_pause=c.max_pause,
        reframe=c.reframe, enhance=c.enhance, stabilize=c.enhance and c.stabilize,
        stabilize_zoom=c.stabilize_zoom, keep_resolution=c.keep_resolution,
        denoise=c.enhance and c.denoise, voice_cleanup=c.voice_cleanup,
        look=look, music=music, caption=text, hashtags=tuple(tags),
        words=transcript.words if transcript else (),
        burn_captions=bool(transcript) and c.captions is not False,
        caption_style=c.caption_style, snap_beats=c.snap_beats, notes=tuple(notes),
    )


def analyze_and_plan(clip: str | Path, c: EditChoices, *, progress: Progress | None = None,
                     transcribe_progress: Progress | None = None
                     ) -> tuple[Analysis, EditPlan]:
    """The (cached) analysis of ``clip``, its (cached) transcript when the choices need one,
    and the plan of its edit."""
    from creator_tools.analysis.engine import AnalysisSettings, analyze_cached
    from creator_tools.edit.planner import make_plan

    aside = _import_aside("scipy.sparse", "scipy.optimize")  # the camera path's solver
    a = analyze_cached(clip, settings=AnalysisSettings(), progress=progress)[0]
    if aside is not None:  # done by now, unless the analysis came from the cache
        aside.join()
    transcript = None
    if wants_transcript(c) and a.media.audio is not None:
        from creator_tools.captions.model import CaptionsUnavailable
        from creator_tools.captions.transcribe import transcribe_cached

        try:
            transcript = transcribe_cached(clip, progress=transcribe_progress)[0]
        except CaptionsUnavailable:
            if c.captions or c.cut == "fillers":  # asked for: the edit cannot be made
                raise
            # on by default: the edit goes on without them, and its notes say why
    options = edit_options(a, c, transcript)
    insights, tuning_notes = None, []
    try:  # the creator's own results (creator results import); none: nothing changes
        from creator_tools.results.audience import load_insights, planner_tuning

        insights = load_insights()
    except CreatorError as exc:
        tuning_notes = [f"your results were not used: {exc}"]
    if insights is not None:
        tuning = planner_tuning(insights, max_pause_is_default=c.max_pause == EDIT_DEFAULTS[
            "max_pause"])
        changed = {k: v for k, v in (("pre_roll", tuning.pre_roll),
                                     ("max_pause", tuning.max_pause)) if v is not None}
        options, tuning_notes = replace(options, **changed), list(tuning.notes)
    plan = make_plan(a, options)
    if (why := _no_captions(a, c, transcript)) is not None:
        plan.notes.append(f"no captions: {why}")
    plan.notes += tuning_notes
    if insights is not None:
        from creator_tools.results.audience import edit_line

        plan.notes.append(edit_line(a.to_dict(), plan, insights, platform=c.platform))
    return a, plan


def _import_aside(*modules: str) -> threading.Thread | None:
    """Start importing ``modules`` on a side thread (``None``: all imported already): the
    analysis's decode leaves part of a core idle, and the planner's first call would
    otherwise wait ~0.35 s for scipy. Only libraries the analysis never imports, and the
    caller joins the thread before importing anything else, so that two threads never import
    at once; a failure is left for the planner's own import to report."""
    missing = [m for m in modules if m not in sys.modules]
    if not missing:
        return None

    def load() -> None:
        for name in missing:
            with contextlib.suppress(Exception):
                importlib.import_module(name)

    thread = threading.Thread(target=load, name="creator-import-aside", daemon=True)
    thread.start()
    return thread


def _no_captions(a: Analysis, c: EditChoices, transcript: Transcript | None) -> str | None:
    """Why an edit that would burn captions in has none (``None``: it has them, or they are
    off by choice)."""
    if c.captions is False:
        return None
    if a.media.audio is None:
        return "the clip has no sound"
    if transcript is None:
        return "faster-whisper cannot be imported (reinstall creator-tools)"
    if not transcript.words:
        return "no words were heard"
    return None


@dataclass(frozen=True)
class EditTargets:
    """The files one edit writes: the video and its sidecars."""

    video: Path
    plan: Path
    caption: Path
    srt: Path

    @classmethod
    def beside(cls, clip: str | Path, output: str | Path | None = None) -> EditTargets:
        """``NAME.edited.mp4`` beside ``clip`` (or ``output``), with its sidecars."""
        from creator_tools.edit.sidecars import sidecar_paths

        clip = Path(clip)
        video = Path(output) if output else clip.with_name(f"{clip.stem}.edited.mp4")
        plan, caption = sidecar_paths(video)
        return cls(video, plan, caption, video.with_suffix(".srt"))

    def all(self) -> list[Path]:
        """The files every edit writes (``srt`` only comes with a transcript)."""
        return [self.video, self.plan, self.caption]


@dataclass
class EditResult:
    """What one edit produced (seconds; ``output`` is ``None`` for a plan-only run)."""

    input: Path
    output: Path | None
    plan_file: Path
    caption_file: Path | None
    srt_file: Path | None
    duration_before: float
    duration: float
    caption: str
    notes: list[str] = field(default_factory=list)
    exports: list[Path] = field(default_factory=list)

    @property
    def removed_seconds(self) -> float:
        return max(0.0, self.duration_before - self.duration)


def edit_clip(clip: str | Path, choices: EditChoices | None = None, *,
              output: str | Path | None = None, force: bool = False, plan_only: bool = False,
              analyze_progress: Progress | None = None, render_progress: Progress | None = None,
              transcribe_progress: Progress | None = None, threads: int | None = None,
              exports: tuple[str, ...] = ()) -> EditResult:
    """Edit ``clip`` into a finished video with its plan and caption sidecars.

    Every output is checked before any work starts (so a refusal costs nothing) and written
    atomically. The plan sidecar of a rendered edit records its :class:`Origin` (the choices'
    fingerprint, the input and the video as they were), so that a batch knows it is current.
    Raises the errors of :mod:`creator_tools.errors` (bad input, output exists without
    ``force``, ffmpeg failure).
    """
    from creator_tools.edit.render import render
    from creator_tools.edit.sidecars import caption_text, edited_srt, write_text_atomic
    from creator_tools.export.formats import export_note, get_format, write_export
    from creator_tools.fs import check_output
    from creator_tools.media.probe import check_readable_file

    choices = choices if choices is not None else EditChoices()
    clip = Path(clip)
    check_readable_file(clip)
    check_choices(choices)
    t = EditTargets.beside(clip, output)
    targets = [t.plan] if plan_only else t.all()
    if wants_transcript(choices) and not plan_only:
        targets.append(t.srt)
    export_paths = {fmt.lower(): t.video.with_suffix(get_format(fmt).extension)
                     for fmt in exports}
    if "srt" in export_paths and not wants_transcript(choices):
        raise OptionError("{exports} srt needs captions: leave them on ({captions})",
                          options=("exports", "captions"))
    export_paths.pop("srt", None)  # the SRT sidecar is written anyway
    targets += list(export_paths.values())
    for target in targets:
        check_output(target, force=force, inputs=(clip,))
    read = clip.stat()
    a, plan = analyze_and_plan(clip, choices, progress=analyze_progress,
                               transcribe_progress=transcribe_progress)
    text = caption_text(plan)
    result = EditResult(input=clip, output=None, plan_file=t.plan, caption_file=None,
                        srt_file=None, duration_before=a.duration, duration=plan.duration,
                        caption=text, notes=list(plan.notes))
    if not plan_only:  # the sidecars come after the video: a failed render leaves nothing
        rendered = render(plan, t.video, force=force, progress=render_progress,
                          threads=threads)
        made = t.video.stat()
        plan.origin = Origin(tool=f"creator-tools {__version__}",
                             fingerprint=choices.fingerprint(), input_size=read.st_size,
                             input_mtime_ns=read.st_mtime_ns, output_size=made.st_size,
                             output_mtime_ns=made.st_mtime_ns)
    plan.save(t.plan, force=force)
    result.exports = [write_export(plan, path, fmt, force=force, inputs=(clip,))
                      for fmt, path in export_paths.items()]
    result.notes += [n for fmt in export_paths if (n := export_note(plan, fmt))]
    if plan_only:
        return result
    write_text_atomic(t.caption, text + "\n", force=force)
    result.output, result.caption_file, result.duration = t.video, t.caption, rendered.duration
    srt = edited_srt(plan)
    if srt:
        result.srt_file = write_text_atomic(t.srt, srt, force=force)
    return result
