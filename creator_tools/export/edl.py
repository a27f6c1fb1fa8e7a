"""CMX 3600 EDL, written by the otio-cmx3600-adapter: one event per kept segment.

Reel names are at most 8 letters and digits, unique per source file. The adapter writes the
picture track only (channel ``V``); an event whose source has sound is marked ``B`` (picture
and audio channel 1) so that editors bring the sound along.
"""

from __future__ import annotations

import re
from pathlib import Path

import opentimelineio as otio

from creator_tools.edit.plan import EditPlan
from creator_tools.errors import UsageError
from creator_tools.export.timeline import plan_to_timeline, smpte_rate

#: CMX 3600 numbers events 001..999.
MAX_EVENTS = 999
REEL_LEN = 8
#: An event line as the adapter writes it: number, reel (padded to 8), channel ``V``, cut.
_VIDEO_CUT = re.compile(r"^(\d{3}  [A-Z0-9 ]{8} )V    ( C )", re.MULTILINE)


def reel_names(paths: list[str]) -> dict[str, str]:
    """A unique reel name per path: the first letters and digits of its file name, upper case."""
    names: dict[str, str] = {}
    for path in dict.fromkeys(paths):
        base = re.sub(r"[^A-Za-z0-9]", "", Path(path).stem).upper()[:REEL_LEN] or "SOURCE"
        name, n = base, 1
        while name in names.values():
            n += 1
            name = base[: REEL_LEN - len(str(n))] + str(n)
        names[path] = name
    return names


def write_edl(plan: EditPlan) -> str:
    """EDL text of ``plan`` at the SMPTE rate nearest its timebase (see :func:`smpte_rate`)."""
    rate = smpte_rate(1 / plan.timebase)
    timeline = plan_to_timeline(plan, rate=rate)
    if not timeline.video_tracks():
        raise UsageError("an EDL needs picture, and no source of this plan has video "
                         "(use --to otio or xml)")
    clips = list(timeline.find_clips())
    paths = [otio.url_utils.filepath_from_url(c.media_reference.target_url) for c in clips]
    reels = reel_names(paths)
    for clip, path in zip(clips, paths, strict=True):
        clip.metadata["cmx_3600"] = {"reel": reels[path]}
        clip.media_reference.target_url = path  # editors read the comment as a file path
    events = len(list(timeline.video_tracks()[0].find_clips()))
    if events > MAX_EVENTS:
        raise UsageError(f"an EDL holds at most {MAX_EVENTS} events and this plan needs "
                         f"{events} (use --to otio, xml or fcpxml)")
    text = otio.adapters.write_to_string(timeline, "cmx_3600", rate=float(rate))
    # The adapter turns every backslash into "/" (for Windows paths); here it is part of a name.
    for path in dict.fromkeys(p for p in paths if "\\" in p):
        flipped = path.replace("\\", "/")
        text = text.replace(f"* FROM CLIP: {flipped}\n", f"* FROM CLIP: {path}\n")
    sources = {s.id: s for s in plan.sources}
    sound = [sources[s.source].has_audio for s in plan.segments if sources[s.source].has_video]
    flags = iter(sound)
    return _VIDEO_CUT.sub(lambda m: m.group(1) + ("B    " if next(flags) else "V    ")
                          + m.group(2), text)
