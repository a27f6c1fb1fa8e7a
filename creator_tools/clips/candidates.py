"""Candidate clips of whole sentences inside one topic, their parts, and the best few.

Every run of consecutive sentences that stays inside a topic and lasts from ``min`` to
``max`` seconds is a candidate. Each gets the parts of :mod:`creator_tools.clips.score`;
the best are taken greedily, highest score first (ties: the earlier one), skipping any that
overlaps one already taken.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from creator_tools.clips.score import Judged, ending_strength, hook_strength, total
from creator_tools.clips.sentences import Quiet, Sentence
from creator_tools.clips.signals import SourceSignals
from creator_tools.clips.tiling import Boundaries

#: The first part of a clip where a cut or motion makes a visual hook, seconds.
VISUAL_WINDOW = 1.0
#: A first second that moves more than this share of the source's seconds is a visual hook
#: worth :data:`MOTION_HOOK` (a cut in it is worth 1).
MOTION_PERCENTILE = 0.9
MOTION_HOOK = 0.6
#: Smallest spread of the baselines (z-scores do not explode on a monotone source).
MIN_SD = {"energy": 1.5, "rate": 0.25}


#: The parts of a candidate's score, in order (see :mod:`creator_tools.clips.score`).
PARTS = ("hook", "completeness", "energy_z", "rate_z", "density", "ending", "visual")


@dataclass(frozen=True, slots=True)
class Candidate:
    """Sentences ``first`` to ``last`` (indices) from ``start`` to ``end`` (seconds), the
    values of its :data:`PARTS` and its score. Small: an hour holds thousands of them."""

    first: int
    last: int
    start: float
    end: float
    values: tuple[float, ...]
    score: float
    coverage: float

    @property
    def parts(self) -> dict[str, float]:
        return dict(zip(PARTS, self.values, strict=True))

    def overlaps(self, other: Candidate) -> bool:
        return self.start < other.end and other.start < self.end


class Baseline:
    """The source's own sentences: their loudness and speaking rate, and the motion of each
    second of the picture, to compare a candidate with."""

    def __init__(self, sentences: Sequence[Sentence], signals: SourceSignals,
                 quiet: Quiet) -> None:
        self.signals = signals
        db = np.asarray(signals.audio_db, dtype=np.float64)
        self.levels = np.array([_level(db, quiet, s.start, s.end, signals.rate)
                                for s in sentences])
        self.rates = np.array([len(s.words) / max(s.duration, 0.2) for s in sentences])
        self.durations = np.array([s.duration for s in sentences])
        self.words = np.array([len(s.words) for s in sentences])
        self.stats = {"energy": _stats(self.levels, MIN_SD["energy"]),
                      "rate": _stats(self.rates, MIN_SD["rate"])}
        motion = np.asarray(signals.motion, dtype=np.float64)
        per = max(1, round(signals.rate * VISUAL_WINDOW))
        whole = motion[: motion.size // per * per].reshape(-1, per).mean(axis=1) \
            if motion.size >= per else motion
        self.motion = motion
        self.motion_seconds = np.sort(whole)
        self.cuts = np.asarray(sorted(signals.cuts), dtype=np.float64)

    def z(self, kind: str, value: float) -> float:
        mean, sd = self.stats[kind]
        return (value - mean) / sd

    def visual(self, start: float) -> Judged:
        """A cut in the first second (1), else :data:`MOTION_HOOK` when the first second
        moves more than :data:`MOTION_PERCENTILE` of the source's seconds, else 0."""
        i = int(np.searchsorted(self.cuts, start))
        if i < self.cuts.size and self.cuts[i] <= start + VISUAL_WINDOW:
            return Judged(1.0, ("a cut in the first second",))
        if not self.motion_seconds.size:
            return Judged(0.0)
        rate = self.signals.rate
        a = int(start * rate)
        first = self.motion[a: a + max(1, round(rate * VISUAL_WINDOW))]
        if not first.size:
            return Judged(0.0)
        pct = float(np.searchsorted(self.motion_seconds, first.mean(), side="right")
                    / self.motion_seconds.size)
        if pct < MOTION_PERCENTILE:
            return Judged(0.0)
        return Judged(MOTION_HOOK, (f"the first second moves more than {pct:.0%} of the "
                                    "source",))


def _level(db: np.ndarray, quiet: Quiet, a: float, b: float, rate: float) -> float:
    """Mean level (dBFS) of the speech between ``a`` and ``b``: its bins above the quiet."""
    part = db[int(a * rate): max(int(a * rate) + 1, int(np.ceil(b * rate)))]
    loud = part[part >= quiet.threshold] if part.size else part
    if loud.size:
        return float(loud.mean())
    return float(part.mean()) if part.size else quiet.threshold


def _stats(x: np.ndarray, min_sd: float) -> tuple[float, float]:
    if not x.size:
        return 0.0, min_sd
    return float(x.mean()), max(min_sd, float(x.std()))


def candidates(sentences: Sequence[Sentence], bounds: Boundaries, base: Baseline, *,
               min_seconds: float, max_seconds: float,
               usable: Sequence[bool] = ()) -> list[Candidate]:
    """Every candidate (see the module's docstring), scored; none holds a sentence that is
    not ``usable`` (a greeting, a sign-off)."""
    n = len(sentences)
    if not n:
        return []
    judge = Judge(sentences, bounds, base)
    out: list[Candidate] = []
    for first, last in bounds.topics(n):
        span = sentences[last].end - sentences[first].start
        for i in range(first, last + 1):
            for j in range(i, last + 1):
                length = sentences[j].end - sentences[i].start
                if length > max_seconds or (usable and not usable[j]):
                    break
                if length >= min_seconds:
                    out.append(judge.score(i, j, min(1.0, length / max(span, 1e-6))))
    return out


#: Gaps at least as strong as this share of the source's gaps count as a topic's edge.
EDGE_PERCENTILE = 90.0


def _edge_strengths(bounds: Boundaries, n: int) -> np.ndarray:
    """How much each sentence edge is a topic's edge, 0..1: ``edge[k]`` for the gap before
    sentence ``k`` (``edge[0]`` and ``edge[n]``, the source's ends, are 1). A topic boundary
    and the strongest tenth of the gaps are 1; another gap its strength against those."""
    edge = np.ones(n + 1)
    if n > 1:
        s = bounds.strength
        ref = max(float(np.percentile(s, EDGE_PERCENTILE)), 1e-6)
        edge[1:n] = np.where(bounds.topic, 1.0, np.clip(s / ref, 0.0, 1.0))
    return edge


class Judge:
    """Scores candidates of ``sentences`` and says why, in words."""

    def __init__(self, sentences: Sequence[Sentence], bounds: Boundaries,
                 base: Baseline) -> None:
        self.sentences = sentences
        self.base = base
        self.hooks = [hook_strength(s.text) for s in sentences]
        self.endings = [ending_strength(s.text) for s in sentences]
        self.edge = _edge_strengths(bounds, len(sentences))

    def score(self, i: int, j: int, coverage: float) -> Candidate:
        """Sentences ``i`` to ``j``, covering ``coverage`` of their topic."""
        base, edge = self.base, self.edge
        start, end = self.sentences[i].start, self.sentences[j].end
        speech = float(base.durations[i: j + 1].sum())
        level = float(np.average(base.levels[i: j + 1],
                                 weights=base.durations[i: j + 1] + 1e-6))
        rate = float(base.words[i: j + 1].sum()) / max(speech, 0.2)
        values = (self.hooks[i].value,
                  float(0.45 * edge[i] + 0.45 * edge[j + 1] + 0.1 * coverage),
                  base.z("energy", level), base.z("rate", rate),
                  min(1.0, speech / max(end - start, 1e-6)), self.endings[j].value,
                  base.visual(start).value)
        return Candidate(i, j, start, end, values, total(dict(zip(PARTS, values, strict=True))),
                         coverage)

    def reasons(self, c: Candidate) -> list[str]:
        """The score of ``c`` in words."""
        i, j, edge, parts = c.first, c.last, self.edge, c.parts
        out: list[str] = []
        if self.hooks[i].reasons:
            out.append("first line: " + ", ".join(self.hooks[i].reasons))
        if edge[i] >= 0.99 and edge[j + 1] >= 0.99:
            out.append("a whole topic: starts and ends where it does" if c.coverage >= 0.9
                       else "starts where a topic starts and ends where one ends")
        elif edge[i] >= 0.99:
            out.append("starts where a topic starts")
        elif edge[j + 1] >= 0.99:
            out.append("ends where a topic ends")
        out += _z_reasons(parts["energy_z"], "louder", "quieter", "than the source's average")
        out += _z_reasons(parts["rate_z"], "faster", "slower", "speech than usual")
        d = parts["density"]
        if d >= 0.85:
            out.append(f"{d:.0%} speech: little dead air")
        elif d < 0.6:
            out.append(f"only {d:.0%} speech: much dead air")
        return [*out, *self.endings[j].reasons, *self.base.visual(c.start).reasons]


def _z_reasons(z: float, more: str, less: str, what: str) -> list[str]:
    if z >= 0.5:
        return [f"{more} {what} ({z:+.1f} sd)"]
    if z <= -0.5:
        return [f"{less} {what} ({z:+.1f} sd)"]
    return []


def choose(found: Sequence[Candidate], count: int) -> list[Candidate]:
    """The ``count`` best candidates that do not overlap, best first (ties: earlier first)."""
    taken: list[Candidate] = []
    for c in sorted(found, key=lambda c: (-round(c.score, 6), c.start, c.end)):
        if len(taken) >= count:
            break
        if not any(c.overlaps(t) for t in taken):
            taken.append(c)
    return taken
