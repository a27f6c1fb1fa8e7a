"""Pieces of a source without speech: its sound events and shots, for clips made from energy
and the picture alone.

A piece is a stretch of sound (between quiet pauses) or a shot, cut at every cut, and cut
into pieces of at most :data:`PIECE_SECONDS` where it runs longer; their edges are strong
where the picture cuts or the sound pauses. Pieces take the place of sentences (with no
words) in :func:`creator_tools.clips.candidates.candidates`.
"""

from __future__ import annotations

import math

import numpy as np

from creator_tools.clips.sentences import Quiet, Sentence
from creator_tools.clips.signals import SourceSignals
from creator_tools.clips.tiling import Boundaries

#: Longest piece, seconds (a finer grain for the candidates).
PIECE_SECONDS = 5.0
#: A quiet stretch shorter than this does not separate two sounds, seconds.
MIN_PAUSE = 0.3
#: Edge strengths: at a cut, at a pause, where a long piece was divided.
EDGE = {"cut": 1.0, "pause": 0.7, "split": 0.0}


def pieces(signals: SourceSignals, quiet: Quiet) -> tuple[list[Sentence], Boundaries]:
    """The pieces of the source in time order, and the strength of the edge between each
    two (no topic boundaries: candidates may span any of them)."""
    spans = _sounds(signals, quiet) or [(0.0, signals.duration)]
    cuts = [c for c in sorted(signals.cuts) if 0.0 < c < signals.duration]
    edges: list[tuple[float, float, str]] = []  # (end of one piece, start of the next, why)
    out: list[tuple[float, float]] = []
    for k, (a, b) in enumerate(spans):
        inner = [a, *[c for c in cuts if a + 0.5 < c < b - 0.5], b]
        for i in range(len(inner) - 1):
            lo, hi = inner[i], inner[i + 1]
            n = max(1, math.ceil((hi - lo) / PIECE_SECONDS))
            for m in range(n):
                out.append((lo + (hi - lo) * m / n, lo + (hi - lo) * (m + 1) / n))
                if m < n - 1:
                    edges.append((out[-1][1], out[-1][1], "split"))
            if i < len(inner) - 2:
                edges.append((inner[i + 1], inner[i + 1], "cut"))
        if k < len(spans) - 1:
            nxt = spans[k + 1][0]
            cut = any(b - 0.5 <= c <= nxt + 0.5 for c in cuts)
            edges.append((b, nxt, "cut" if cut else "pause"))
    units = [Sentence(a, b, ()) for a, b in out]
    strength = np.array([EDGE[why] for _, _, why in edges])
    return units, Boundaries(strength, np.zeros_like(strength),
                             np.zeros(strength.size, dtype=bool))


def _sounds(signals: SourceSignals, quiet: Quiet) -> list[tuple[float, float]]:
    """Stretches of sound, quiet pauses shorter than :data:`MIN_PAUSE` bridged."""
    if not signals.has_audio or not quiet.known or quiet.quiet.all():
        return []
    rate = signals.rate
    loud = ~quiet.quiet
    spans: list[tuple[float, float]] = []
    k, n = 0, loud.size
    while k < n:
        if not loud[k]:
            k += 1
            continue
        j = k
        while j < n and loud[j]:
            j += 1
        a, b = k / rate, min(signals.duration, j / rate)
        if spans and a - spans[-1][1] < MIN_PAUSE:
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
        k = j
    return spans
