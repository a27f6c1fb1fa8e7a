"""The score of a candidate clip: seven parts, each reported, in a weighted sum (0..100).

=================  ======  ==================================================================
part               weight  value
=================  ======  ==================================================================
``hook``           25      how the first sentence holds a viewer (0..1, :func:`hook_strength`)
``completeness``   25      starts where a topic starts (0.45), ends where one ends (0.45),
                           covers its topic (0.1): the setup and the payoff are inside
``energy_z``       10      loudness of its speech against the source's sentences (z-score;
                           counts as ``0.5 + z / 4``, clipped to 0..1)
``rate_z``         5       words per second against the source's sentences (z-score, same)
``density``        15      share of its time with speech (little dead air)
``ending``         10      a call to action (1) or a payoff (0.7) or an exclamation (0.4) at
                           the end
``visual``         10      a cut in its first second (1), else how much the first second moves
                           against the rest of the source (its percentile)
=================  ======  ==================================================================
"""

from __future__ import annotations

from dataclasses import dataclass

from creator_tools.clips.lexicon import (
    CTA_CUES,
    DANGLING_START,
    GREETING,
    HOOK_CUES,
    PUNCHLINE_CUES,
    SIGN_OFF,
    matches,
    words_of,
)

#: Points each part can give (they sum to 100).
WEIGHTS = {"hook": 25.0, "completeness": 25.0, "energy_z": 10.0, "rate_z": 5.0,
           "density": 15.0, "ending": 10.0, "visual": 10.0}
#: Parts given as z-scores, and how they count: ``0.5 + z / Z_SPAN`` clipped to 0..1.
Z_PARTS = ("energy_z", "rate_z")
Z_SPAN = 4.0


@dataclass(frozen=True, slots=True)
class Judged:
    """A strength (0..1) and the reasons for it, in words."""

    value: float
    reasons: tuple[str, ...] = ()


def hook_strength(text: str) -> Judged:
    """How well a first sentence hooks: the weights of its cues (a question, a what-if, a
    command, a bold claim, a number, the viewer addressed), a little for being short (12
    words or fewer), less for running long (over 25) or leaning on what came before
    ("And...", "So...", "It...")."""
    cues = matches(HOOK_CUES, text)
    value = sum(c.weight for c in cues)
    reasons = [c.reason for c in cues]
    n = len(words_of(text))
    if 0 < n <= 12:
        value += 0.1
        reasons.append("short first line")
    elif n > 25:
        value -= 0.15
        reasons.append("long first line")
    low = text.lower().lstrip(" \"'“‘")
    if GREETING.search(low):
        return Judged(0.0, ("opens on a greeting",))
    if DANGLING_START.match(low):
        value -= 0.3
        reasons.append("starts mid-thought")
    return Judged(min(1.0, max(0.0, value)), tuple(reasons))


def ending_strength(text: str) -> Judged:
    """How a last sentence lands: the strongest of its call-to-action and payoff cues (a
    sign-off, "thanks for watching", is neither)."""
    if SIGN_OFF.search(text.lower()):
        return Judged(0.0, ("ends on a sign-off",))
    cues = matches(CTA_CUES, text) + matches(PUNCHLINE_CUES, text)
    if not cues:
        return Judged(0.0)
    best = max(cues, key=lambda c: c.weight)
    return Judged(best.weight, (best.reason,))


def is_aside(text: str) -> bool:
    """A greeting or a sign-off ("hi everyone, welcome back", "thanks for watching"): left
    out of clips."""
    low = text.lower().lstrip(" \"'“‘")
    return bool(GREETING.search(low) or SIGN_OFF.search(low))


def counted(part: str, value: float) -> float:
    """How much of its weight a part's value earns (0..1)."""
    if part in Z_PARTS:
        return min(1.0, max(0.0, 0.5 + value / Z_SPAN))
    return min(1.0, max(0.0, value))


def total(parts: dict[str, float]) -> float:
    """The score (0..100) of a candidate's parts."""
    return sum(w * counted(k, parts.get(k, 0.0)) for k, w in WEIGHTS.items())
