"""Time spans and conversions between frame masks and spans."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open time interval ``[start, end)`` in seconds."""

    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start

    def to_dict(self) -> dict[str, float]:
        return {"start": round(self.start, 3), "end": round(self.end, 3)}


def mask_to_spans(mask: np.ndarray, frame_rate: float, *, offset: float = 0.0) -> list[Span]:
    """Runs of True in a boolean frame mask, as spans (frame k covers ``[k, k+1) / rate``)."""
    m = np.asarray(mask, dtype=bool)
    if m.size == 0:
        return []
    edges = np.diff(np.concatenate([[0], m.astype(np.int8), [0]]))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    return [Span(float(offset + s / frame_rate), float(offset + e / frame_rate))
            for s, e in zip(starts, ends, strict=True)]


def spans_to_mask(spans: list[Span], n: int, frame_rate: float) -> np.ndarray:
    """Inverse of :func:`mask_to_spans` on a grid of ``n`` frames."""
    m = np.zeros(n, dtype=bool)
    for s in spans:
        a = max(0, int(round(s.start * frame_rate)))
        b = min(n, int(round(s.end * frame_rate)))
        m[a:b] = True
    return m


def overlap(a: list[Span], b: list[Span]) -> float:
    """Total time covered by both span lists, seconds (each list non-overlapping)."""
    total, i, j = 0.0, 0, 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i].start, b[j].start), min(a[i].end, b[j].end)
        total += max(0.0, hi - lo)
        if a[i].end < b[j].end:
            i += 1
        else:
            j += 1
    return total
