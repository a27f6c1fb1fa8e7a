"""What a review page is about: a clip, an edit plan or a ``creator clips`` file.

- a clip: the plan sidecar ``NAME.edited.plan.json`` of ``creator edit`` beside it when there
  is one (and ``NAME.edited.mp4``), else a fresh plan with your configured defaults;
- a plan: the plan, and the video ``NAME.mp4`` beside ``NAME.plan.json`` when it exists;
- a clips file: the ranked candidates of ``creator clips`` and their source.

The source's analysis comes from the cache (one decode when it is not there yet).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from creator_tools.analysis.result import Analysis
from creator_tools.edit.plan import EditPlan
from creator_tools.errors import DataFileError, InputError
from creator_tools.review.clips import ClipsFile, clips_from_dict, is_clips_data
from creator_tools.settings import EditChoices

Progress = Callable[[float, float], None]


@dataclass(slots=True)
class ReviewSubject:
    """Everything a review page shows. ``plan`` is ``None`` for a clips file."""

    kind: str  # "clip", "plan" or "clips"
    input: Path
    source: Path
    analysis: Analysis
    choices: EditChoices
    plan: EditPlan | None = None
    plan_file: Path | None = None  # None: planned for the page, not read from a file
    edited: Path | None = None  # the rendered video, when it exists
    clips: ClipsFile | None = None


def input_kind(path: Path) -> str:
    """``plan``, ``clips`` or ``clip`` (anything that is not JSON)."""
    if path.suffix.lower() != ".json":
        return "clip"
    return "clips" if is_clips_data(_read_json(path)) else "plan"


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise DataFileError(f"cannot read JSON: {exc}", path=path) from None


def edited_video_for(plan_file: Path) -> Path:
    """``NAME.mp4`` for ``NAME.plan.json`` (the sidecar naming of ``creator edit``)."""
    name = plan_file.name
    stem = name[: -len(".plan.json")] if name.lower().endswith(".plan.json") else plan_file.stem
    return plan_file.with_name(f"{stem}.mp4")


def configured_choices() -> EditChoices:
    """The edit choices of the user's config and ``creator.toml`` (no flags, no preset)."""
    from creator_tools.settings import resolve_edit_settings

    return EditChoices(**resolve_edit_settings({}, None)[0])  # type: ignore[arg-type]


def portable_plan(plan: EditPlan) -> EditPlan:
    """A copy of ``plan`` to offer for download: absolute media paths (it may be saved
    anywhere) and no ``origin`` (a changed plan no longer describes the video beside it)."""
    from creator_tools.edit.plan import Music

    def absolute(p: str) -> str:
        return str(Path(p).resolve())

    out = EditPlan.from_dict(plan.to_dict())
    out.sources = [replace(s, path=absolute(s.path)) for s in out.sources]
    if out.look.lut:
        out.look = replace(out.look, lut=absolute(out.look.lut))
    music: Music | None = out.audio.music
    if music is not None:
        out.audio = replace(out.audio, music=replace(music, file=absolute(music.file)))
    out.origin = None
    return out


def open_subject(path: str | Path, *, progress: Progress | None = None,
                 choices: EditChoices | None = None) -> ReviewSubject:
    """Read what ``path`` names and analyze its source (cached).

    Raises the errors of :mod:`creator_tools.errors` (missing file, bad plan or clips file,
    unreadable media).
    """
    from creator_tools.analysis.engine import AnalysisSettings, analyze_cached
    from creator_tools.media.probe import check_readable_file

    path = Path(path)
    check_readable_file(path)
    kind = input_kind(path)
    choices = choices or configured_choices()
    if kind == "clip":
        from creator_tools.pipeline.job import EditTargets, analyze_and_plan

        t = EditTargets.beside(path)
        if t.plan.is_file():
            from creator_tools.edit.plan import load_plan

            plan = load_plan(t.plan)
            a = analyze_cached(path, settings=AnalysisSettings(), progress=progress)[0]
            return ReviewSubject("clip", path, path, a, choices, portable_plan(plan), t.plan,
                                 t.video if t.video.is_file() else None)
        a, plan = analyze_and_plan(path, choices, progress=progress)
        return ReviewSubject("clip", path, path, a, choices, portable_plan(plan))
    if kind == "plan":
        from creator_tools.edit.plan import load_plan

        plan = load_plan(path)
        source = Path(plan.source("main").path)
        check_readable_file(source)
        a = analyze_cached(source, settings=AnalysisSettings(), progress=progress)[0]
        video = edited_video_for(path)
        return ReviewSubject("plan", path, source, a, choices, portable_plan(plan), path,
                             video if video.is_file() and video != source else None)
    clips = clips_from_dict(_read_json(path), path)
    check_readable_file(clips.source)
    a = analyze_cached(clips.source, settings=AnalysisSettings(), progress=progress)[0]
    return ReviewSubject("clips", path, clips.source, a, choices, clips=clips)
