"""For your audience: what the creator's own results say about one clip, and the planner
defaults they support.

Only a confident model speaks: with no results store, or no finding in it (see
:mod:`creator_tools.results.evidence`), :func:`load_insights` gives ``None`` and nothing
changes. With findings, a clip gets its predicted average % viewed (the findings' model, with
its residual spread) and the one or two changes, toward the better tenth of the creator's own
videos, that would raise it most. The planner's defaults follow two kinds of findings:

- a cost of silence before the first word (``hook.dead_air_start``,
  ``hook.first_speech_at``): the opening keeps :data:`TIGHT_PRE_ROLL` s before the first word
  instead of 0.12 s;
- a cost of long pauses (``speech.longest_pause``) or a gain from more speech
  (``speech.share``): pauses are shortened from :data:`TIGHT_MAX_PAUSE` s instead of the
  default 0.6 s (only while ``max_pause`` is left at its default).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from creator_tools.results.features import after_edit, extract, feature
from creator_tools.results.insights import Insights, compute_insights
from creator_tools.results.store import ResultsStore
from creator_tools.results.table import TARGET_UNITS

#: The platform each edit platform posts to.
PLATFORM_OF_EDIT = {"tiktok": "tiktok", "reels": "instagram", "shorts": "youtube"}
TIGHT_PRE_ROLL = 0.05
TIGHT_MAX_PAUSE = 0.4
#: Smallest gain worth suggesting, in target units.
MIN_GAIN = 0.5
_OPENING = {"hook.dead_air_start", "hook.first_speech_at"}


def load_insights(store: str | Path | None = None) -> Insights | None:
    """The insights of the results store when it exists and has a finding, else ``None``
    (the store is never created here)."""
    opened = ResultsStore.existing(store)
    if opened is None:
        return None
    with opened:
        found = compute_insights(opened)
    return found if found.confident else None


@dataclass(frozen=True)
class Change:
    """One change to a clip and what it would gain."""

    key: str
    now: float
    to: float
    gain: float
    words: str


@dataclass(frozen=True)
class AudienceView:
    """A clip as the creator's audience would likely take it."""

    videos: int
    target: str
    predicted: float
    spread: float
    changes: tuple[Change, ...]

    def line(self, subject: str = "", compared: float | None = None) -> str:
        """``for your audience (24 videos): about 54% viewed (±4); most to gain: ...``;
        ``compared``: the clip as shot, beside an edit's prediction."""
        text = (f"for your audience ({self.videos} videos): {subject}"
                f"{self._value(self.predicted)} (±{self.spread:.0f})")
        if compared is not None:
            text += f", as shot {self._value(compared)}"
        if self.changes:
            text += "; most to gain: " + "; ".join(c.words for c in self.changes)
        return text

    def _value(self, value: float) -> str:
        return (f"about {value:.0f}% viewed" if self.target == "viewed"
                else f"about {value:.1f} s watched on average")

    def to_dict(self) -> dict[str, Any]:
        return {"videos": self.videos, "predicted": round(self.predicted, 2),
                "spread": round(self.spread, 2),
                "changes": [{"feature": c.key, "from": round(c.now, 3), "to": round(c.to, 3),
                             "gain": round(c.gain, 2)} for c in self.changes]}


def audience_view(features: dict[str, Any], insights: Insights, *,
                  platform: str | None = None) -> AudienceView:
    """The prediction for a clip with ``features`` and the two changes that gain most."""
    ev = insights.evidence
    assert ev is not None
    predicted = ev.predict(features, platform)
    changes: list[Change] = []
    points = TARGET_UNITS[insights.target][0]
    for finding in insights.findings:
        change = _change(finding.feature, finding.effect, features, insights, points)
        if change is not None and change.gain >= MIN_GAIN:
            changes.append(change)
    changes.sort(key=lambda c: -c.gain)
    return AudienceView(insights.videos, insights.target, predicted, ev.residual_sd,
                        tuple(changes[:2]))


def _change(key: str, effect: float, features: dict[str, Any], insights: Insights,
            points: str) -> Change | None:
    f = feature(key)
    name, _, level = key.partition("=")
    if f.kind != "number":
        now = float(str(features.get(name)) == level) if level else float(
            features.get(name) or 0.0)
        to = 1.0 if effect > 0 else 0.0
        if now == to:
            return None
        words = (f"{f.higher} {level}".strip() if to else f"{f.lower}") + \
            f" (about {abs(effect):+.0f} {points})"
        return Change(key, now, to, abs(effect), words)
    value = features.get(name)
    if value is None:
        return None
    mine = [o.features.get(name) for o in insights.observations]
    mine = [float(v) for v in mine if v is not None]
    if not mine:
        return None
    to = float(np.percentile(mine, 10 if effect < 0 else 90))
    gain = effect * (to - float(value))
    if gain <= 0:
        return None
    advice = f.lower if effect < 0 else f.higher
    words = (f"{advice or name} ({float(value):.1f} → {to:.1f} {f.unit}, about "
             f"+{gain:.0f} {points})")
    return Change(key, float(value), to, gain, words)


@dataclass(frozen=True)
class PlannerTuning:
    """Planner defaults the findings support, and the notes that say so."""

    pre_roll: float | None = None
    max_pause: float | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


def planner_tuning(insights: Insights, *, max_pause_is_default: bool = True) -> PlannerTuning:
    """What the findings change in the planner's defaults (see the module notes)."""
    pre_roll = max_pause = None
    notes = []
    for f in insights.findings:
        if f.feature in _OPENING and f.effect < 0 and pre_roll is None:
            pre_roll = TIGHT_PRE_ROLL
            notes.append(f"opening cut to {TIGHT_PRE_ROLL:.2f} s before the first word: "
                         f"for your audience, {f.message}")
        pauses = (f.feature == "speech.longest_pause" and f.effect < 0) or \
            (f.feature == "speech.share" and f.effect > 0)
        if pauses and max_pause is None and max_pause_is_default:
            max_pause = TIGHT_MAX_PAUSE
            notes.append(f"pauses shortened from {TIGHT_MAX_PAUSE:.1f} s (set max_pause, "
                         f"--max-pause, for another): for your audience, {f.message}")
    return PlannerTuning(pre_roll, max_pause, tuple(notes))


def clip_line(analysis: dict[str, Any], insights: Insights) -> str:
    """The "for your audience" line of an analyzed clip (its analysis record)."""
    return audience_view(extract(analysis), insights).line()


def edit_line(analysis: dict[str, Any], plan: Any, insights: Insights, *,
              platform: str | None = None) -> str:
    """The "for your audience" line of an edit: the edit's features estimated from the plan
    (:func:`~creator_tools.results.features.after_edit`), beside the clip as shot."""
    target = PLATFORM_OF_EDIT.get(platform or "")
    shot = audience_view(extract(analysis), insights, platform=target)
    edited = after_edit(extract(analysis, plan.to_dict()), analysis, plan)
    return audience_view(edited, insights, platform=target).line("this edit ", shot.predicted)
