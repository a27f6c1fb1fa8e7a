"""An edit plan as an OpenTimelineIO timeline: one video and one audio track, a clip per segment.

Times are integer frames at ``rate`` (by default ``1 / plan.timebase``, so source in/out points
are the plan's ticks, unchanged). Editors' formats need a SMPTE frame rate; :func:`smpte_rate`
picks the one a plan's cut points survive best.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import opentimelineio as otio

from creator_tools.edit.plan import EditPlan

#: Frame rates SMPTE timecode (EDL, FCP XML) can express.
SMPTE_RATES = tuple(Fraction(r) for r in ("24000/1001", "24", "25", "30000/1001", "30", "48",
                                          "50", "60000/1001", "60"))


def smpte_rate(rate: Fraction) -> Fraction:
    """``rate`` when SMPTE timecode can express it; else the lowest SMPTE rate it divides
    exactly (15 -> 30: every cut stays on a frame); else the nearest one."""
    if rate in SMPTE_RATES:
        return rate
    multiples = [r for r in SMPTE_RATES if (r / rate).denominator == 1]
    return multiples[0] if multiples else min(SMPTE_RATES, key=lambda r: abs(r - rate))


def plan_to_timeline(plan: EditPlan, *, rate: Fraction | None = None,
                     name: str | None = None) -> otio.schema.Timeline:
    """Build the timeline of ``plan``: each kept segment becomes a clip on the video track and
    one on the audio track (a gap where its source lacks that stream), in output order.

    Each clip references its source file (an absolute ``file://`` URL) with the whole source as
    its available range. ``rate`` (frames per second) defaults to ``1 / plan.timebase``; another
    rate rounds every cut point to its nearest frame.
    """
    rate = rate or 1 / plan.timebase
    fps = float(rate)

    def frames(ticks: int) -> int:
        return round(ticks * plan.timebase * rate)

    def rt(ticks: int) -> otio.opentime.RationalTime:
        return otio.opentime.RationalTime(frames(ticks), fps)

    first = Path(plan.sources[0].path)
    timeline = otio.schema.Timeline(name=name or f"{first.stem} edit",
                                    global_start_time=otio.opentime.RationalTime(0, fps))
    timeline.metadata["creator_tools"] = {
        "plan_version": plan.version,
        "timebase": f"{plan.timebase.numerator}/{plan.timebase.denominator}",
        "output": {"width": plan.output.width, "height": plan.output.height,
                   "fps": plan.output.fps},
        "captions": {"text": plan.captions.text, "hashtags": list(plan.captions.hashtags)},
    }
    video = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    audio = otio.schema.Track(name="A1", kind=otio.schema.TrackKind.Audio)
    sources = {s.id: s for s in plan.sources}
    for seg in plan.segments:
        src = sources[seg.source]
        cut = otio.opentime.TimeRange(rt(seg.start), rt(seg.end) - rt(seg.start))
        for track, has in ((video, src.has_video), (audio, src.has_audio)):
            if not has:
                track.append(otio.schema.Gap(source_range=cut))
                continue
            whole = otio.opentime.TimeRange(rt(0), rt(src.duration))
            track.append(otio.schema.Clip(
                name=Path(src.path).name,
                media_reference=otio.schema.ExternalReference(
                    target_url=Path(src.path).absolute().as_uri(), available_range=whole),
                source_range=cut,
            ))
    for track in (video, audio):
        if any(isinstance(item, otio.schema.Clip) for item in track):
            timeline.tracks.append(track)
    return timeline

