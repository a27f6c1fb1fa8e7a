"""The marks on the review page's timeline of the original, as data.

Each mark becomes one element with ``data-kind`` (:data:`KINDS`) and ``data-start`` /
``data-end`` in seconds with 3 decimals; points (cuts, beats, advice) have ``start == end``.
"""

from __future__ import annotations

from dataclasses import dataclass

from creator_tools.analysis.result import Analysis
from creator_tools.edit.plan import EditPlan

KINDS = ("shot", "speech", "silence", "removed", "cut", "beat", "hook", "advice")
#: The hook window: the first seconds, where viewers decide to stay.
HOOK_SECONDS = 3.0


@dataclass(frozen=True, slots=True)
class Mark:
    """One timeline mark: ``label`` is plain text; ``attrs`` more ``data-`` attributes."""

    kind: str
    start: float
    end: float
    label: str
    attrs: tuple[tuple[str, str], ...] = ()


def removed_ranges(plan: EditPlan) -> list[tuple[int, int]]:
    """The source ticks the plan leaves out, ``[start, end)`` in time order."""
    total = plan.source("main").duration
    out, at = [], 0
    for seg in sorted((s for s in plan.segments if s.source == "main"), key=lambda s: s.start):
        if seg.start > at:
            out.append((at, seg.start))
        at = max(at, seg.end)
    if at < total:
        out.append((at, total))
    return out


def _s(x: float) -> str:
    return f"{x:.1f} s"


def timeline_marks(a: Analysis, plan: EditPlan | None) -> list[Mark]:
    """Every mark of the timeline, grouped by kind in the order of :data:`KINDS`."""
    d = a.duration
    marks = [Mark("shot", s.start, s.end, f"shot {i + 1}: {_s(s.start)} to {_s(s.end)}",
                  (("index", str(i)),)) for i, s in enumerate(a.shots)]
    marks += [Mark("speech", s.start, s.end, f"speech {_s(s.start)} to {_s(s.end)}")
              for s in a.speech]
    for s in a.silences:
        dead = s.start <= 0.001 or s.end >= d - 0.001
        what = "dead air" if dead else "silence"
        marks.append(Mark("silence", s.start, s.end,
                          f"{what} {_s(s.start)} to {_s(s.end)} ({s.end - s.start:.1f} s)",
                          (("dead-air", "true" if dead else "false"),)))
    if plan is not None:
        for i, (t0, t1) in enumerate(removed_ranges(plan)):
            x0, x1 = plan.seconds(t0), plan.seconds(t1)
            marks.append(Mark("removed", x0, x1,
                              f"removed {_s(x0)} to {_s(x1)} ({x1 - x0:.1f} s)",
                              (("tick-start", str(t0)), ("tick-end", str(t1)),
                               ("id", f"r{i}"))))
    marks += [Mark("cut", c, c, f"cut at {c:.2f} s") for c in a.cuts]
    marks += [Mark("beat", b, b, f"beat at {b:.2f} s") for b in a.beats]
    if d > 0:
        marks.append(Mark("hook", 0.0, min(HOOK_SECONDS, d),
                          f"hook window: the first {min(HOOK_SECONDS, d):.0f} s "
                          f"(hook score {a.hook.score}/100)"))
    marks += [Mark("advice", ad.at, ad.at, ad.message, (("code", ad.code),))
              for ad in a.advice if ad.at is not None]
    return marks
