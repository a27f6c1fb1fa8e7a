"""The virtual camera's window: its size in the source frame (its path:
:mod:`creator_tools.edit.camera`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CropGeometry:
    """Size of the crop window as fractions of the source (display) frame."""

    width: float
    height: float

    @classmethod
    def for_aspect(cls, src_w: int, src_h: int, out_w: int, out_h: int,
                   zoom: float = 1.0) -> CropGeometry:
        """The largest window of the output's aspect inside the source, tightened by ``zoom``."""
        target = out_w / out_h
        if src_w / src_h > target:  # source is wider: full height, narrower width
            w, h = src_h * target / src_w, 1.0
        else:
            w, h = 1.0, src_w / target / src_h
        return cls(w / zoom, h / zoom)
