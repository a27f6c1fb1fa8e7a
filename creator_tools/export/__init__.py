"""Hand-off to editors: an edit plan as an OpenTimelineIO timeline, in editors' formats.

:mod:`creator_tools.export.timeline` builds the timeline; :mod:`creator_tools.export.formats`
holds the formats (OTIO, FCPXML, CMX 3600 EDL, FCP 7 XML) and writes them.
"""

from creator_tools.export.formats import (
    FORMATS,
    ExportFormat,
    default_output,
    export_text,
    get_format,
    write_export,
)

__all__ = ["FORMATS", "ExportFormat", "default_output", "export_text", "get_format",
           "write_export"]
