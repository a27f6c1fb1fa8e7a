"""A plan moved along its source's timeline.

Every time in a plan is a tick of the main source: the kept segments, the reframing (crop
keyframes, layout switches, subject boxes) and the caption words. :func:`shifted` moves them
all by the same number of ticks, so a plan made for a stretch of a file (from an analysis of
that stretch alone) can name the whole file, and the renderer can seek to a late first
segment instead of decoding the file from its start (:func:`seek_point`); :func:`within`
keeps a stretch of a plan.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from creator_tools.edit.plan import EditPlan

#: The fields that hold source ticks, in the segments, the reframing and the caption words.
TICK_FIELDS = ("t", "start", "end")
#: A render whose first kept frame lies at least this far into its source seeks to it
#: (seconds): decoding up to it would be wasted.
SEEK_FROM = 2.0


def _moved(value: Any, ticks: int) -> Any:
    """``value`` (a dataclass, a list of them, or anything else) with its tick fields moved."""
    if isinstance(value, list):
        return [_moved(v, ticks) for v in value]
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    changes = {}
    for f in dataclasses.fields(value):
        v = getattr(value, f.name)
        if f.name in TICK_FIELDS and isinstance(v, int) and not isinstance(v, bool):
            changes[f.name] = v + ticks
        elif isinstance(v, list) or dataclasses.is_dataclass(v):
            changes[f.name] = _moved(v, ticks)
    return dataclasses.replace(value, **changes)


def shifted(plan: EditPlan, ticks: int, *, source_duration: int | None = None) -> EditPlan:
    """A copy of ``plan`` with its segments, reframing and caption words ``ticks`` later on
    the source (earlier when negative), and the main source ``source_duration`` ticks long
    (unchanged when ``None``).

    A plan moved earlier can hold negative ticks before its first segment (a keyframe that
    the crop interpolates from): fine to render, not to save.
    """
    out = dataclasses.replace(plan)
    out.segments = _moved(list(plan.segments), ticks)
    out.reframe = _moved(plan.reframe, ticks)
    out.captions = _moved(plan.captions, ticks)
    if source_duration is not None:
        out.sources = [dataclasses.replace(s, duration=source_duration) if s.id == "main" else s
                       for s in plan.sources]
    return out


def _near(items: list[Any], a: int, b: int) -> list[Any]:
    """The items (with a tick ``t``) from ``a`` to ``b``, and the last before and the first
    after (a path interpolates between them)."""
    inside = [x for x in items if a <= x.t <= b]
    before = [x for x in items if x.t < a][-1:]
    after = [x for x in items if x.t > b][:1]
    return [*before, *inside, *after]


def within(plan: EditPlan, start: int, end: int) -> EditPlan:
    """A copy of ``plan`` that keeps only ticks ``start`` to ``end`` of its source: its
    segments cut to that stretch, the reframing's timed lists (keyframes, layout, subject)
    and the caption words narrowed to it. Its notes are kept as they were."""
    out = dataclasses.replace(plan)
    out.segments = [dataclasses.replace(s, start=max(s.start, start), end=min(s.end, end))
                    for s in plan.segments if s.start < end and s.end > start]
    changes = {}
    for f in dataclasses.fields(plan.reframe):
        v = getattr(plan.reframe, f.name)
        if isinstance(v, list) and v and hasattr(v[0], "t"):
            changes[f.name] = _near(v, start, end)
    out.reframe = dataclasses.replace(plan.reframe, **changes)
    out.captions = dataclasses.replace(
        plan.captions, words=[w for w in plan.captions.words if w.start < end and w.end > start])
    return out


def seek_point(plan: EditPlan) -> tuple[EditPlan, int]:
    """``plan`` moved so that its first kept frame is tick 0, and the ticks it was moved by;
    ``(plan, 0)`` when that frame is within :data:`SEEK_FROM` seconds of the start."""
    first = min((s.start for s in plan.segments if s.source == "main"), default=0)
    if plan.seconds(first) < SEEK_FROM:
        return plan, 0
    return shifted(plan, -first), first
