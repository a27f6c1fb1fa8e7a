"""Export formats: each name maps to a file extension and a writer (plan -> text).

Importing this module is cheap (OpenTimelineIO is loaded by the writers), so the command line
can list the formats. Add a format by adding an entry to :data:`FORMATS`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from creator_tools.errors import ProcessingError, UsageError

if TYPE_CHECKING:
    from creator_tools.edit.plan import EditPlan


class ExportFormat(NamedTuple):
    """A file extension (with its dot) and a function writing a plan as that format's text."""

    extension: str
    write: Callable[[EditPlan], str]


def _otio(plan: EditPlan) -> str:
    import opentimelineio as otio

    from creator_tools.export.timeline import plan_to_timeline

    return otio.adapters.write_to_string(plan_to_timeline(plan), "otio_json")


def _fcpxml(plan: EditPlan) -> str:
    from creator_tools.export.fcpx import write_fcpx
    from creator_tools.export.timeline import plan_to_timeline, smpte_rate

    rate = smpte_rate(1 / plan.timebase)
    return write_fcpx(plan_to_timeline(plan, rate=rate), rate,
                      (plan.output.width, plan.output.height))


def _fcp7xml(plan: EditPlan) -> str:
    import opentimelineio as otio

    from creator_tools.export.timeline import plan_to_timeline, smpte_rate

    rate = smpte_rate(1 / plan.timebase)
    text = otio.adapters.write_to_string(plan_to_timeline(plan, rate=rate), "fcp_xml")
    return _fcp7_sized(text, plan.output.width, plan.output.height)


def _fcp7_sized(text: str, width: int, height: int) -> str:
    """``text`` with the sequence's video format filled in: the adapter leaves it empty, so
    an editor opened a 9:16 edit at its default size. The rate is the sequence's own."""
    import copy
    from xml.etree import ElementTree as ET

    root = ET.fromstring(text)
    for sequence in root.iter("sequence"):
        fmt = sequence.find("./media/video/format")
        rate = sequence.find("rate")
        if fmt is None or rate is None:
            continue
        fmt.clear()
        chars = ET.SubElement(fmt, "samplecharacteristics")
        chars.append(copy.deepcopy(rate))
        for tag, value in (("width", width), ("height", height), ("anamorphic", "FALSE"),
                           ("pixelaspectratio", "square"), ("fielddominance", "none")):
            ET.SubElement(chars, tag).text = str(value)
    ET.indent(root, space="    ")
    return '<?xml version="1.0" ?>\n<!DOCTYPE xmeml>\n' + ET.tostring(root, encoding="unicode")


def _edl(plan: EditPlan) -> str:
    from creator_tools.export.edl import write_edl

    return write_edl(plan)


def _srt(plan: EditPlan) -> str:
    from creator_tools.edit.sidecars import edited_srt

    text = edited_srt(plan)
    if not text:
        raise UsageError("the plan has no caption words to write as SRT (edit with captions "
                         "on, from a clip with speech)")
    return text


#: Format name -> (extension, writer). ``xml`` and ``fcp7xml`` are the same format.
FORMATS: dict[str, ExportFormat] = {
    "otio": ExportFormat(".otio", _otio),
    "fcpxml": ExportFormat(".fcpxml", _fcpxml),
    "edl": ExportFormat(".edl", _edl),
    "xml": ExportFormat(".xml", _fcp7xml),
    "fcp7xml": ExportFormat(".xml", _fcp7xml),
    "srt": ExportFormat(".srt", _srt),
}


#: What each format carries besides the cuts (output size and frame rate where it can).
_CARRIES = {
    "otio": "the cuts, the output size and frame rate (timeline metadata) and the caption",
    "fcpxml": "the cuts and a project of the output size and frame rate",
    "xml": "the cuts and a sequence of the output size and frame rate",
    "fcp7xml": "the cuts and a sequence of the output size and frame rate",
    "edl": "the cuts and the frame rate (an EDL has no picture size)",
}


def export_note(plan: EditPlan, fmt: str) -> str | None:
    """What the export of ``plan`` as ``fmt`` leaves for the editor to redo, in one line
    (``None`` for a format that is not a timeline, or a plan that needs nothing more)."""
    carries = _CARRIES.get(fmt.lower())
    if carries is None:
        return None
    left = []
    if plan.reframe.mode in ("crop", "fill", "letterbox"):
        left.append(f"the {plan.reframe.mode} to {plan.output.width}x{plan.output.height}"
                    + (" (its moving crop window)" if len(plan.reframe.keyframes) > 1 else ""))
    if plan.enhance.stabilize:
        left.append("the stabilization")
    if plan.look.lut:
        left.append(f"the look ({plan.look.name or Path(plan.look.lut).name})")
    if plan.audio.music is not None:
        left.append(f"the music bed ({Path(plan.audio.music.file).name})")
    if plan.captions.burn and plan.captions.words:
        left.append("the burned-in captions (export srt for them)")
    left.append("the loudness normalization")
    return (f"{fmt} carries {carries}; not {', '.join(left)}: redo those in the editor, or "
            "render the plan itself")


def get_format(name: str) -> ExportFormat:
    """The format called ``name``; :class:`UsageError` (exit 2) naming the formats otherwise."""
    try:
        return FORMATS[name.lower()]
    except KeyError:
        raise UsageError(f"unknown export format {name!r} (one of: {', '.join(FORMATS)})") \
            from None


def default_output(plan_path: str | Path, fmt: str) -> Path:
    """Beside the plan, named after it: ``X.edited.plan.json`` -> ``X.edited.otio``."""
    path = Path(plan_path)
    name = path.name
    for suffix in (".json", ".plan"):
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
    return path.with_name(name + get_format(fmt).extension)


def export_text(plan: EditPlan, fmt: str) -> str:
    """``plan`` as the text of format ``fmt``, ending with a newline."""
    import opentimelineio as otio

    writer = get_format(fmt).write
    try:
        text = writer(plan)
    except (otio.exceptions.OTIOError, ValueError) as exc:
        raise ProcessingError(f"cannot write {fmt}: {exc}") from None
    return text if text.endswith("\n") else text + "\n"


def write_export(plan: EditPlan, path: str | Path, fmt: str, *, force: bool = False,
                 inputs: tuple[str | Path, ...] = ()) -> Path:
    """Write ``plan`` as format ``fmt`` to ``path``, atomically.

    Refuses (exit 3) to overwrite an existing file unless ``force``, or any of ``inputs`` or the
    plan's media files.
    """
    from creator_tools.fs import atomic_output, check_output

    get_format(fmt)
    protect = (*inputs, *(s.path for s in plan.sources))
    check_output(path, force=force, inputs=protect)
    text = export_text(plan, fmt)
    with atomic_output(path, force=force, inputs=protect) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)
