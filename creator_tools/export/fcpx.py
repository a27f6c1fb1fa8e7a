"""Final Cut Pro X XML, written by the otio-fcpx-xml-adapter with its timing made exact.

The adapter (1.0) knows frame durations only for integer rates, and places each connected
(audio) clip on its picture by reading times back as whole frames at an integer rate, which
puts the sound up to a frame off the picture. :class:`ExactFcpxWriter` keeps the adapter's
XML but gives it exact frame durations (NTSC included) and exact times for those steps.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any
from xml.etree.ElementTree import Element

import opentimelineio as otio
from otio_fcpx_xml_adapter import fcpx_xml

from creator_tools.errors import UsageError

_PLACED = ("clip", "asset-clip", "gap", "ref-clip")


def _seconds(value: str | None) -> Fraction:
    """An FCPXML time (``"1001/30000s"``, ``"3s"``) as exact seconds."""
    return Fraction(value.removesuffix("s")) if value else Fraction(0)


class ExactFcpxWriter(fcpx_xml.FcpxOtio):
    """The adapter's writer for a timeline whose times are whole frames at ``rate``."""

    def __init__(self, timeline: otio.schema.Timeline, rate: Fraction) -> None:
        super().__init__(timeline)
        self._rate = rate

    def _framerate_to_frame_duration(self, framerate: float) -> str:
        rate = Fraction(framerate).limit_denominator(1001)
        if rate.denominator == 1 and int(rate) in fcpx_xml.FRAMERATE_FRAMEDURATION:
            return fcpx_xml.FRAMERATE_FRAMEDURATION[int(rate)]  # FCP's own spelling
        return f"{rate.denominator}/{rate.numerator}s"

    def _time(self, seconds: Fraction) -> otio.opentime.RationalTime:
        return otio.opentime.RationalTime(float(seconds * self._rate), float(self._rate))

    def _find_parent_element(self, spine: Element, trimmed_range: Any,
                             format_id: str) -> Element | None:
        at = Fraction(round(trimmed_range.value_rescaled_to(float(self._rate)))) / self._rate
        for item in spine.iter():
            if item.tag not in _PLACED or item.get("lane") is not None:
                continue
            if item.tag == "gap" and item.find("./audio") is not None:
                continue
            start = _seconds(item.get("offset"))
            if start <= at < start + _seconds(item.get("duration")):
                return item
        return None

    def _offset_based_on_parent(self, child: Element, parent: Element,
                                default_format_id: str) -> otio.opentime.RationalTime:
        offset = _seconds(child.get("offset")) - _seconds(parent.get("offset"))
        return self._time(offset + _seconds(parent.get("start")))

    def _asset_clip_by_name(self, name: str) -> bool:  # type: ignore[override]
        # The adapter tests the found element's truth (False when it has no children) and
        # builds its XPath from the name, so every clip got a duplicate browser clip.
        return any(e.get("name") == name for e in self.event_resource.findall("asset-clip"))

    def _clip_format_name(self, clip: Any) -> str:
        # The adapter runs ffprobe from PATH for this (and names NTSC formats wrongly).
        return ""


def write_fcpx(timeline: otio.schema.Timeline, rate: Fraction, size: tuple[int, int]) -> str:
    """FCPXML (version 1.8) text of ``timeline``; its project is ``size`` (width, height)."""
    if not timeline.video_tracks():
        # the adapter hangs sound on the picture's clips: without picture it fails
        raise UsageError("fcpxml needs picture, and no source of this plan has video "
                         "(use --to otio or xml)")
    return _sized(ExactFcpxWriter(timeline, rate).to_xml(), size)


def _sized(text: str, size: tuple[int, int]) -> str:
    """``text`` with the project's sequence in a format of its own, ``size`` pixels: the
    adapter gives the sequence its media's format, without a size, so a 9:16 edit opened as
    the editor's default size."""
    from xml.etree import ElementTree as ET

    root = ET.fromstring(text)
    resources = root.find("resources")
    sequence = root.find("./project/sequence") if resources is not None else None
    if resources is None or sequence is None:
        return text
    media = resources.find(f"./format[@id='{sequence.get('format')}']")
    ids = {int(e.get("id", "r0")[1:]) for e in resources if e.get("id", "").startswith("r")}
    fmt = ET.Element("format", {"id": f"r{max(ids, default=0) + 1}",
                                "frameDuration": media.get("frameDuration", "")
                                if media is not None else "",
                                "width": str(size[0]), "height": str(size[1]), "name": ""})
    resources.insert(0, fmt)
    sequence.set("format", fmt.get("id", ""))
    ET.indent(root, space="    ")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE fcpxml>\n\n'
            + ET.tostring(root, encoding="unicode") + "\n")
