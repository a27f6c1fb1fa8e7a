"""The data the review page's script reads: JSON-ready, compact, links relative to the page."""

from __future__ import annotations

import os
import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from creator_tools.analysis.result import Analysis
from creator_tools.edit.plan import EditPlan
from creator_tools.review.subject import ReviewSubject
from creator_tools.review.thumbs import Thumb

#: Subject track points kept per second (the analysis has 5).
TRACK_RATE = 5.0


def href(target: Path, page: Path) -> str:
    """A link from ``page`` to ``target``: relative and percent-encoded (a ``file:`` URL
    where no relative path exists, as between two Windows drives)."""
    try:
        rel = os.path.relpath(target.resolve(), page.resolve().parent)
    except ValueError:
        return target.resolve().as_uri()
    return quote(rel.replace(os.sep, "/"), safe="/")


def _r(x: float) -> float:
    return round(float(x), 3)


def reviewed_names(subject: ReviewSubject) -> tuple[str, Path]:
    """The changed plan's download name and the video ``creator render`` would make of it,
    beside the edited video (or the source): ``NAME.reviewed.plan.json``, ``.mp4``."""
    stem = subject.source.stem
    folder = (subject.edited or subject.source).resolve().parent
    return f"{stem}.reviewed.plan.json", folder / f"{stem}.reviewed.mp4"


def crop_data(a: Analysis, plan: EditPlan) -> dict[str, Any] | None:
    """The crop window (fractions of the displayed source) and its centre's path."""
    from creator_tools.edit.reframe import CropGeometry

    v = a.media.video
    if v is None or plan.reframe.mode != "crop":
        return None
    geo = CropGeometry.for_aspect(v.display_width, v.display_height, plan.output.width,
                                  plan.output.height, plan.reframe.zoom)
    # a keyframe's own zoom (when the plan has one) tightens the window from it on
    keys = [[_r(plan.seconds(k.t)), k.x, k.y, getattr(k, "zoom", 1.0)]
            for k in plan.reframe.keyframes]
    return {"w": round(geo.width, 4), "h": round(geo.height, 4), "keyframes": keys}


def _plan_data(subject: ReviewSubject, page: Path) -> dict[str, Any] | None:
    from creator_tools.review.choices import review_choices

    plan = subject.plan
    if plan is None:
        return None
    name, video = reviewed_names(subject)
    command = f"creator render {shlex.quote(name)} -o {shlex.quote(str(video))}"
    return {"plan": plan.to_dict(), "timebase": [plan.timebase.numerator,
                                                 plan.timebase.denominator],
            "duration": _r(plan.duration), "file": subject.plan_file.name
            if subject.plan_file else None,
            "download": name, "command": command, "crop": crop_data(subject.analysis, plan),
            "choices": review_choices(subject.analysis, plan, subject.choices)}


def page_data(subject: ReviewSubject, page: Path, thumbs: Sequence[Thumb],
              thumb_folder: Path | None) -> dict[str, Any]:
    """Everything the page's script draws, as JSON-ready data."""
    from creator_tools import __version__

    a = subject.analysis
    v = a.media.video
    step = max(1, round(5.0 / TRACK_RATE))
    track = [[_r(p.t), round(p.x, 3), round(p.y, 3)] for p in a.subject.track[::step]]
    edited = subject.edited
    return {
        "kind": subject.kind,
        "tool": f"creator-tools {__version__}",
        "source": {"name": subject.source.name, "href": href(subject.source, page),
                   "duration": _r(a.duration),
                   "width": v.display_width if v else None,
                   "height": v.display_height if v else None,
                   "fps": v.fps if v else None, "has_audio": a.media.audio is not None},
        "edited": {"name": edited.name, "href": href(edited, page)} if edited else None,
        "shots": [[_r(s.start), _r(s.end)] for s in a.shots],
        "levels": {"rate": a.levels.rate, "audio_db": a.levels.audio_db},
        "loudness": a.loudness.to_dict() if a.loudness else None,
        "track": track,
        "hook": a.hook.to_dict(),
        "advice": [ad.to_dict() for ad in a.advice],
        "thumbs": {"folder": href(thumb_folder, page) if thumb_folder else "",
                   "items": [[t.time, t.file] for t in thumbs]},
        "edit": _plan_data(subject, page),
        "clips": [c.to_dict() for c in subject.clips.clips] if subject.clips else None,
    }
